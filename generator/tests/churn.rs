//! How much of the generated tree a spec change touches: reviewers read the diff of
//! the generated code, so a small spec change must be a small diff there too.
//!
//! * One new optional field: at most one hunk of at most three lines per file it
//!   touches, and only the struct's model and codec files (and `surface.json`).
//! * One new status on one operation: only that operation's file changes, and in
//!   `errors.rs` an enum for its new set of statuses is added (and the old set's
//!   removed, if no other operation has it); no other enum changes.
//! * A new operation: no other operation's file changes.

mod common;

use common::generate;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn project_spec() -> serde_yaml::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/sailpoint-beta.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn generate_tree(tree: &serde_yaml::Value) -> BTreeMap<String, String> {
    let text = serde_yaml::to_string(tree).unwrap();
    let mut spec = generator::load("specs/sailpoint-beta.yaml", &text).unwrap();
    // Only the module root names the spec's hash; keep it fixed to compare the rest.
    spec.sha256 = "0".repeat(64);
    generate(&spec).files
}

/// Per changed file: the hunks of its unified diff, as (removed, added) line counts.
fn changes(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> BTreeMap<String, Vec<(usize, usize)>> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut out = BTreeMap::new();
    for path in paths {
        let (a, b) = (
            before.get(path).map_or("", String::as_str),
            after.get(path).map_or("", String::as_str),
        );
        if a == b {
            continue;
        }
        let diff = similar::TextDiff::from_lines(a, b);
        let hunks = diff
            .unified_diff()
            .context_radius(0)
            .iter_hunks()
            .map(|h| {
                let (mut removed, mut added) = (0, 0);
                for op in h.ops() {
                    for change in diff.iter_changes(op) {
                        match change.tag() {
                            similar::ChangeTag::Delete => removed += 1,
                            similar::ChangeTag::Insert => added += 1,
                            similar::ChangeTag::Equal => {}
                        }
                    }
                }
                (removed, added)
            })
            .collect();
        out.insert(path.clone(), hunks);
    }
    out
}

#[test]
fn one_new_optional_field_is_one_small_hunk_per_file() {
    let before_tree = project_spec();
    let before = generate_tree(&before_tree);
    let mut after_tree = before_tree.clone();
    after_tree["components"]["schemas"]["AttrSyncSourceConfig"]["properties"]
        .as_mapping_mut()
        .unwrap()
        .insert(
            "lastSynced".into(),
            serde_yaml::from_str("{type: string, description: When the sync last ran.}").unwrap(),
        );
    let after = generate_tree(&after_tree);
    let changed = changes(&before, &after);
    let files: BTreeSet<&str> = changed.keys().map(String::as_str).collect();
    assert_eq!(
        files,
        BTreeSet::from([
            "codec/attr_sync_source_config.rs",
            "models/attr_sync_source_config.rs",
            "surface.json",
        ]),
        "{changed:#?}"
    );
    for (path, hunks) in &changed {
        if path == "surface.json" {
            continue;
        }
        assert_eq!(hunks.len(), 1, "{path}: {hunks:?}");
        let (removed, added) = hunks[0];
        assert!(removed == 0 && added <= 3, "{path}: {hunks:?}");
    }
}

#[test]
fn a_new_status_changes_only_its_operations_file() {
    let before_tree = project_spec();
    let before = generate_tree(&before_tree);
    let mut after_tree = before_tree.clone();
    after_tree["paths"]["/sources/{id}/attribute-sync-config"]["get"]["responses"]
        .as_mapping_mut()
        .unwrap()
        .insert(
            "409".into(),
            serde_yaml::from_str("{description: Busy.}").unwrap(),
        );
    let after = generate_tree(&after_tree);
    let changed = changes(&before, &after);
    let files: BTreeSet<&str> = changed.keys().map(String::as_str).collect();
    assert_eq!(
        files,
        BTreeSet::from([
            "errors.rs",
            "operations/sources/get_source_attr_sync_config.rs",
            "surface.json",
            // Its mock knows the new status.
            "testing/sources/get_source_attr_sync_config.rs",
        ]),
        "{changed:#?}"
    );
    assert_whole_enums_added_or_removed(&before["errors.rs"], &after["errors.rs"]);
    assert!(
        after["errors.rs"].contains("pub enum Errors400_401_403_404_409_429_500<"),
        "{}",
        after["errors.rs"]
    );
}

/// Every hunk of the `errors.rs` diff adds or removes whole enums (with their impls):
/// no enum another operation names is edited.
fn assert_whole_enums_added_or_removed(before: &str, after: &str) {
    let enums = |text: &str| -> BTreeMap<String, String> {
        text.split("\n/// ")
            .skip(1)
            .map(|item| {
                let name = item
                    .split("pub enum ")
                    .nth(1)
                    .and_then(|rest| rest.split(['<', ' ']).next())
                    .unwrap_or_default()
                    .to_string();
                (name, item.to_string())
            })
            .collect()
    };
    let (before, after) = (enums(before), enums(after));
    assert!(!before.is_empty());
    for (name, text) in &before {
        if let Some(now) = after.get(name) {
            assert_eq!(now, text, "`{name}` changed");
        }
    }
    assert!(
        after.keys().any(|name| !before.contains_key(name)),
        "no enum added"
    );
}

#[test]
fn a_new_operation_changes_no_other_operations_file() {
    let before_tree = project_spec();
    let before = generate_tree(&before_tree);
    let mut after_tree = before_tree.clone();
    after_tree["paths"].as_mapping_mut().unwrap().insert(
        "/coffee".into(),
        serde_yaml::from_str(
            "get:\n  operationId: brewCoffee\n  tags: [Sources]\n  responses:\n    '204': {description: brewed}\n    '418': {description: a teapot}\n",
        )
        .unwrap(),
    );
    let after = generate_tree(&after_tree);
    let files: BTreeSet<String> = changes(&before, &after).into_keys().collect();
    assert_whole_enums_added_or_removed(&before["errors.rs"], &after["errors.rs"]);
    assert_eq!(
        files,
        BTreeSet::from([
            "errors.rs".to_string(),
            "operations/sources/brew_coffee.rs".to_string(),
            "operations/sources/mod.rs".to_string(),
            "surface.json".to_string(),
            "testing/sources/brew_coffee.rs".to_string(),
            "testing/sources/mod.rs".to_string(),
        ])
    );
}
