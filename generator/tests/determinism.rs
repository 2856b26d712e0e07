//! Output is a function of the spec's content, not of map order or of the run.

mod common;

use common::{fixture_path, generate, load_fixture, settings};

/// Reverse the order of every mapping in a YAML tree.
fn reverse_maps(v: serde_yaml::Value) -> serde_yaml::Value {
    match v {
        serde_yaml::Value::Mapping(m) => {
            let mut entries: Vec<(serde_yaml::Value, serde_yaml::Value)> = m.into_iter().collect();
            entries.reverse();
            serde_yaml::Value::Mapping(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, reverse_maps(v)))
                    .collect(),
            )
        }
        serde_yaml::Value::Sequence(s) => {
            serde_yaml::Value::Sequence(s.into_iter().map(reverse_maps).collect())
        }
        other => other,
    }
}

fn reordered(name: &str) -> generator::Spec {
    let text = std::fs::read_to_string(fixture_path(name)).unwrap();
    let tree: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let reordered = serde_yaml::to_string(&reverse_maps(tree)).unwrap();
    let mut spec =
        generator::load(&format!("generator/tests/fixtures/{name}"), &reordered).unwrap();
    // The headers name the hash of the spec text, which reordering changes by design.
    spec.sha256 = generator::load::sha256_hex(&text);
    spec
}

/// Every fixture file (not the `diff/` pairs).
fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_path(""))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    names
}

#[test]
fn same_input_same_bytes() {
    for name in &fixtures() {
        let a = generate(&load_fixture(name));
        let b = generate(&load_fixture(name));
        assert_eq!(a.files, b.files, "{name}");
        assert_eq!(a.warnings, b.warnings, "{name}");
    }
}

#[test]
fn map_order_does_not_change_output() {
    for name in &fixtures() {
        let a = generate(&load_fixture(name));
        let b = generate(&reordered(name));
        assert_eq!(
            a.files.keys().collect::<Vec<_>>(),
            b.files.keys().collect::<Vec<_>>(),
            "{name}"
        );
        for (path, text) in &a.files {
            assert_eq!(
                text, &b.files[path],
                "{name}: {path} differs after reordering the input's maps"
            );
        }
    }
}

#[test]
fn project_spec_map_order_does_not_change_output() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/sailpoint-beta.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let a = generator::generate(
        &generator::load("specs/sailpoint-beta.yaml", &text).unwrap(),
        &settings(),
    )
    .unwrap();
    let tree: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let reordered = serde_yaml::to_string(&reverse_maps(tree)).unwrap();
    let mut spec = generator::load("specs/sailpoint-beta.yaml", &reordered).unwrap();
    // The headers name the hash of the spec text, which reordering changes by design.
    spec.sha256 = generator::load::sha256_hex(&text);
    let b = generator::generate(&spec, &settings()).unwrap();
    assert_eq!(a.files, b.files);
}
