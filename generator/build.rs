//! Embeds the hand-written runtime (`generated-client/src/runtime/`) and the runtime's
//! dependency list (`generated-client/Cargo.toml`) into the generator, so standalone
//! crates written by `cargo xtask generate` carry the runtime with one source of truth.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let client = manifest.join("../generated-client");
    let runtime = client.join("src/runtime");
    println!("cargo:rerun-if-changed={}", runtime.display());
    println!(
        "cargo:rerun-if-changed={}",
        client.join("Cargo.toml").display()
    );

    let mut files = Vec::new();
    collect(&runtime, &runtime, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Runtime source files: (path relative to `src/runtime/`, contents).\npub(crate) static RUNTIME_FILES: &[(&str, &str)] = &[\n",
    );
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={}", abs.display());
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .expect("write to String");
    }
    out.push_str("];\n");
    writeln!(
        out,
        "/// `generated-client/Cargo.toml`.\npub(crate) static CLIENT_MANIFEST: &str = include_str!({:?});",
        client.join("Cargo.toml").canonicalize().expect("generated-client/Cargo.toml exists").display().to_string()
    )
    .expect("write to String");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("runtime_files.rs");
    std::fs::write(dest, out).expect("write runtime_files.rs");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path.canonicalize().expect("canonical path")));
        }
    }
}
