//! `cargo xtask generate` on bad input: one `error:` line naming the file (and the JSON
//! pointer), exit code 1, no panic, and the output directory exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DANGLING_REF: &str = "\
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Missing'
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
";

/// Run `xtask generate --spec <spec> --out <out>`.
fn run_generate(spec: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("generate")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run the xtask binary")
}

/// Every entry below `dir` (directories too) with file contents; `None` if `dir` is missing.
fn snapshot(dir: &Path) -> Option<BTreeMap<PathBuf, Option<Vec<u8>>>> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(base).unwrap().to_path_buf();
            if path.is_dir() {
                out.insert(rel, None);
                walk(&path, base, out);
            } else {
                out.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    if !dir.exists() {
        return None;
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    Some(out)
}

/// Write `text` (if any) to `file_name` in a fresh temp dir, run generate into an existing
/// output directory holding a sentinel file and into a missing one, and check the failure.
/// Returns stderr of the first run for case-specific checks.
fn expect_failure(file_name: &str, text: Option<&str>, expect_pointer: bool) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join(file_name);
    if let Some(text) = text {
        fs::write(&spec, text).unwrap();
    }
    let out = tmp.path().join("out");
    fs::create_dir_all(out.join("src/generated")).unwrap();
    fs::write(out.join("sentinel.txt"), "keep me").unwrap();
    fs::write(
        out.join("src/generated/stale.rs"),
        "// would be deleted by a successful run",
    )
    .unwrap();
    let missing_out = tmp.path().join("not-created");

    let mut first_stderr = None;
    for dir in [&out, &missing_out] {
        let before = snapshot(dir);
        let output = run_generate(&spec, dir);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let case = format!("{file_name} -> {}\nstderr:\n{stderr}", dir.display());
        assert_eq!(output.status.code(), Some(1), "{case}");
        assert!(!stderr.contains("panicked"), "{case}");
        assert!(stderr.starts_with("error: "), "{case}");
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "expected one error line: {case}"
        );
        assert!(
            stderr.contains(file_name),
            "error should name the file: {case}"
        );
        if expect_pointer {
            assert!(
                stderr.contains(": at #"),
                "error should give a JSON pointer: {case}"
            );
        }
        assert_eq!(snapshot(dir), before, "output directory changed: {case}");
        first_stderr.get_or_insert(stderr);
    }
    assert!(!missing_out.exists());
    first_stderr.unwrap()
}

#[test]
fn missing_spec_file() {
    let stderr = expect_failure("missing.yaml", None, false);
    assert!(stderr.contains("cannot read"), "{stderr}");
}

#[test]
fn invalid_yaml() {
    expect_failure("bad.yaml", Some("openapi: 3.0.1\ninfo: [\n"), true);
}

#[test]
fn invalid_json() {
    expect_failure("bad.json", Some(r#"{"openapi": "3.0.1","#), true);
}

#[test]
fn swagger_2_document() {
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let stderr = expect_failure("swagger.yaml", Some(text), true);
    assert!(stderr.contains("#/swagger"), "{stderr}");
}

/// OpenAPI 3.1 is read (converted to the 3.0 model); versions after it are refused.
#[test]
fn openapi_3_2_document() {
    let text = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let stderr = expect_failure("three-two.yaml", Some(text), true);
    assert!(stderr.contains("#/openapi"), "{stderr}");
    assert!(stderr.contains("\"3.1.x\""), "{stderr}");
}

/// A malformed schema 40 levels deep is refused at once, naming the deepest node.
#[test]
fn deeply_nested_bad_schema() {
    let mut schema = String::from("{type: object, properties: {x: {type: 5}}}");
    for _ in 0..40 {
        schema = format!("{{type: object, properties: {{a: {schema}}}}}");
    }
    let text = format!(
        "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n"
    );
    let stderr = expect_failure("deep.yaml", Some(&text), true);
    let pointer = format!(
        "#/components/schemas/Deep{}/properties/x/type",
        "/properties/a".repeat(40)
    );
    assert!(stderr.contains(&pointer), "{stderr}");
}

/// A 3.1 construct that cannot be read: the pointer of the keyword at fault.
#[test]
fn openapi_3_1_bad_type_list() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {type: [string, 5]}\n";
    let stderr = expect_failure("bad31.yaml", Some(text), true);
    assert!(stderr.contains("#/components/schemas/A/type"), "{stderr}");
}

#[test]
fn dangling_ref() {
    let stderr = expect_failure("dangling.yaml", Some(DANGLING_REF), true);
    assert!(
        stderr.contains("#/paths/~1things/get"),
        "error should point at the $ref: {stderr}"
    );
}
