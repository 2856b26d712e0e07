//! What `build.rs` wrote: a generic runtime and a client of this API only.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the generated tree") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn nothing_of_another_api_is_in_the_client() {
    let mut all = Vec::new();
    files(&Path::new(env!("OUT_DIR")).join("client"), &mut all);
    assert!(all.len() > 20, "{all:?}");
    for path in &all {
        let text = std::fs::read_to_string(path).expect("read");
        let lower = text.to_lowercase();
        for name in [
            "sailpoint",
            "identitynow",
            "sail_",
            "trackingid",
            "/oauth/token",
        ] {
            assert!(
                !lower.contains(name),
                "{} mentions `{name}`",
                path.display()
            );
        }
        // The runtime's unit tests stay in generated-client.
        assert!(!text.contains("mod tests"), "{}", path.display());
    }
}

/// The `[dependencies]` section of a manifest, without comments.
fn dependencies(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .skip_while(|l| *l != "[dependencies]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_manifest_lists_the_runtime_dependencies() {
    let ours = dependencies(include_str!("../Cargo.toml"));
    let runtime = dependencies(include_str!("../../generated-client/Cargo.toml"));
    assert!(runtime.len() > 5, "{runtime:?}");
    assert_eq!(
        ours, runtime,
        "build-example/Cargo.toml must list generator::runtime_dependencies()"
    );
}
