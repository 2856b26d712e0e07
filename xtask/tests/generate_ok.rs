//! `cargo xtask generate` on a small valid spec: a crate is written, files outside
//! `src/generated/` and `src/runtime/` are kept, stale generated files are deleted, and
//! a second run writes nothing.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const SPEC: &str = "\
openapi: 3.0.1
info: {title: Things, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      tags: [Things]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer, format: int32}
";

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

#[test]
fn generates_and_resyncs_a_standalone_crate() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("things.yaml");
    fs::write(&spec, SPEC).unwrap();
    let out = tmp.path().join("crate");
    fs::create_dir_all(out.join("src/generated/old")).unwrap();
    fs::write(out.join("README.md"), "mine").unwrap();
    fs::write(out.join("src/generated/old/stale.rs"), "stale").unwrap();

    let first = run_generate(&spec, &out);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(out.join("Cargo.toml").is_file());
    assert!(out.join("src/lib.rs").is_file());
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("things_client"),
        "default crate name from the spec stem:\n{manifest}"
    );
    assert_eq!(fs::read_to_string(out.join("README.md")).unwrap(), "mine");
    assert!(
        !out.join("src/generated/old").exists(),
        "stale file and its directory should be gone"
    );

    let second = run_generate(&spec, &out);
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert_eq!(
        second.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(
        stdout.contains(" 0 written,"),
        "second run should write nothing:\n{stdout}"
    );
    assert!(stdout.contains(" 0 deleted"), "{stdout}");
}
