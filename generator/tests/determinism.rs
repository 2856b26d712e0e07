//! Output is a function of the spec's content, not of map order or of the run.

mod common;

use common::{fixture_path, generate, load_fixture, settings};
use std::path::PathBuf;

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

/// The `pub type {Op}Error = errors::X;` lines of a generation, by alias.
fn error_aliases(g: &generator::Generated) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for (path, text) in &g.files {
        if !path.starts_with("operations/") {
            continue;
        }
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("pub type ")
                && let Some((alias, target)) = rest.split_once(" = errors::")
            {
                out.insert(alias.to_string(), target.trim_end_matches(';').to_string());
            }
        }
    }
    out
}

/// Operations with the same documented errors share one enum of `errors.rs`; each has
/// its own alias. Adding an operation with new errors adds an enum and renames none.
#[test]
fn error_enums_are_shared_and_stable_when_an_operation_is_added() {
    let project = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/sailpoint-beta.yaml");
    let text = std::fs::read_to_string(&project).unwrap();
    let before = generate(&generator::load("specs/sailpoint-beta.yaml", &text).unwrap());
    let aliases = error_aliases(&before);
    let errors = &before.files["errors.rs"];
    let enums = errors.matches("\npub enum ").count();
    assert_eq!(aliases.len(), 43, "one alias per operation");
    assert!(enums > 1 && enums < 10, "43 operations share {enums} enums");
    for target in aliases.values() {
        assert!(
            errors.contains(&format!("pub enum {target} {{")),
            "{target} is defined"
        );
    }

    // One more operation, with an error set no other operation has (a 418).
    let mut tree: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let op: serde_yaml::Value = serde_yaml::from_str(
        "get:\n  operationId: brewCoffee\n  tags: [Sources]\n  responses:\n    '204': {description: brewed}\n    '418': {description: a teapot}\n",
    )
    .unwrap();
    tree["paths"]
        .as_mapping_mut()
        .unwrap()
        .insert("/coffee".into(), op);
    let after = generate(
        &generator::load(
            "specs/sailpoint-beta.yaml",
            &serde_yaml::to_string(&tree).unwrap(),
        )
        .unwrap(),
    );
    let mut after_aliases = error_aliases(&after);
    let added = after_aliases
        .remove("BrewCoffeeError")
        .expect("the new alias");
    assert_eq!(
        after_aliases, aliases,
        "no other operation's enum is renamed"
    );
    assert!(added.starts_with("Error418H"), "{added}");
    assert_eq!(
        after.files["errors.rs"].matches("\npub enum ").count(),
        enums + 1
    );
}
