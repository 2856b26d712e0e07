//! Generates the bookshop client from `api.yaml` and `codegen.toml` at build time, as
//! `prost-build` does: `src/lib.rs` includes the result.

fn main() {
    if let Err(e) = generator::Builder::new("api.yaml")
        .settings("codegen.toml")
        .generate()
    {
        // The error names the file, the JSON pointer and what was expected.
        eprintln!("{e}");
        std::process::exit(1);
    }
}
