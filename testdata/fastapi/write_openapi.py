"""Write the OpenAPI document of app.py as JSON.

    python write_openapi.py [OUT]

OUT defaults to generator/tests/fixtures/fastapi_openapi31.json in the repository.
"""

import json
import pathlib
import sys

from app import app

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent.parent / "generator" / "tests" / "fixtures" / "fastapi_openapi31.json"


def main() -> None:
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    text = json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
