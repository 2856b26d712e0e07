//! The checked-in generated code must equal fresh generator output.

#[test]
fn checked_in_generated_code_is_fresh() {
    let root = xtask::project_root();
    let diff = match xtask::codegen_check(&root) {
        Ok(diff) => diff,
        Err(e) => panic!("`cargo xtask codegen --check` fails: {e}"),
    };
    assert!(
        diff.is_none(),
        "{}\n{} is out of date with {}: run {}",
        diff.unwrap_or_default(),
        xtask::CODEGEN_DIR,
        xtask::CODEGEN_SPEC,
        xtask::CODEGEN_COMMAND
    );
}
