//! Helpers shared by the generator's integration tests.
#![allow(dead_code)]

use generator::{Generated, Settings, Spec};
use std::path::PathBuf;

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn load_fixture(name: &str) -> Spec {
    let path = fixture_path(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    generator::load(&format!("generator/tests/fixtures/{name}"), &text)
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn settings() -> Settings {
    Settings {
        regenerate_command: "cargo test -p generator --test snapshots".to_string(),
        ..Settings::default()
    }
}

pub fn generate(spec: &Spec) -> Generated {
    generator::generate(spec, &settings()).unwrap_or_else(|e| panic!("{e}"))
}

/// All files of a generation, and its warnings, as one text.
pub fn render(g: &Generated) -> String {
    let mut out = String::new();
    for w in &g.warnings {
        out.push_str(&format!("{w}\n"));
    }
    for (path, text) in &g.files {
        out.push_str(&format!("\n===== {path} =====\n{text}"));
    }
    out
}
