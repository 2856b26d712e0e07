//! The checked-in generated code must equal fresh generator output.

#[test]
fn checked_in_generated_code_is_fresh() {
    let root = xtask::project_root();
    let plan = match xtask::codegen_check(&root) {
        Ok(plan) => plan,
        Err(e) => panic!("`cargo xtask codegen --check` fails: {e}"),
    };
    assert!(
        plan.is_clean(),
        "{}\n{} is out of date with {}: run {}",
        plan.diff(),
        xtask::CODEGEN_DIR,
        xtask::CODEGEN_SPEC,
        xtask::CODEGEN_COMMAND
    );
}
