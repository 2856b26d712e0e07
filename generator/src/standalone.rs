//! A complete, standalone crate around generated code: `Cargo.toml`, `src/lib.rs`, the
//! runtime and the `generated/` tree.
//!
//! The runtime is not a copy kept in the generator: `build.rs` embeds the files of
//! `generated-client/src/runtime/` and the `[dependencies]` of
//! `generated-client/Cargo.toml` at build time, so both crates always share one source.

use crate::{Generated, Settings};
use std::collections::BTreeMap;

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// The files of a standalone crate named `crate_name` holding `generated`, keyed by
/// path relative to the crate root. `settings` give the version and the dependencies of
/// replacement types.
pub fn standalone_crate(
    generated: &Generated,
    crate_name: &str,
    settings: &Settings,
) -> BTreeMap<String, String> {
    let header = generated.header.as_str();
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_string(),
        manifest(crate_name, header, settings, &generated.features),
    );
    files.insert("src/lib.rs".to_string(), lib_rs(header));
    for (rel, text) in RUNTIME_FILES {
        files.insert(format!("src/runtime/{rel}"), (*text).to_string());
    }
    for (rel, text) in &generated.files {
        files.insert(format!("src/generated/{rel}"), text.clone());
    }
    files
}

/// The `[dependencies]` section of the runtime's manifest, verbatim.
pub(crate) fn runtime_dependencies() -> &'static str {
    let start = CLIENT_MANIFEST
        .find("\n[dependencies]")
        .map(|i| i + 1)
        .unwrap_or(CLIENT_MANIFEST.len());
    let rest = &CLIENT_MANIFEST[start..];
    let end = rest[1..].find("\n[").map(|i| i + 2).unwrap_or(rest.len());
    &rest[..end]
}

/// The `[dependencies]` lines the settings' type replacements need, sorted.
pub fn extra_dependencies(settings: &Settings) -> Vec<&str> {
    let mut deps: Vec<&str> = settings
        .replace_formats
        .values()
        .filter_map(|r| r.dependency.as_deref())
        .collect();
    deps.sort();
    deps.dedup();
    deps
}

fn manifest(crate_name: &str, header: &str, settings: &Settings, features: &[String]) -> String {
    let header = header.replace("//", "#");
    let version = settings.crate_version.as_deref().unwrap_or("0.1.0");
    let mut deps = runtime_dependencies().trim_end().to_string();
    for extra in extra_dependencies(settings) {
        deps.push('\n');
        deps.push_str(extra);
    }
    let mut features_section = String::new();
    if !features.is_empty() {
        let list = |fs: &[String]| {
            fs.iter()
                .map(|f| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        features_section.push_str(
            "\n# One feature per tag: its operations and the types they use. `full` (the\n# default) is every tag; `default-features = false, features = [\"...\"]` picks some.\n[features]\ndefault = [\"full\"]\n",
        );
        features_section.push_str(&format!("full = [{}]\n", list(features)));
        for f in features {
            features_section.push_str(&format!("{f} = []\n"));
        }
    }
    format!(
        "{header}\n[package]\nname = \"{crate_name}\"\nversion = \"{version}\"\nedition = \"2024\"\npublish = false\n\n{deps}\n{features_section}\n# Not part of any enclosing workspace.\n[workspace]\n"
    )
}

/// What a crate holding a generated client re-exports at its root.
pub(crate) const REEXPORTS: &str = "pub use generated::{Client, ClientBuilder, models, operations};\npub use runtime::{ApiError, Error, Response};\n";

fn lib_rs(header: &str) -> String {
    format!(
        "{header}\n//! API client generated from an OpenAPI document.\n//!\n//! [`Client`] carries the operations (see [`operations`]); [`models`] holds the schemas' types.\n\n#[rustfmt::skip]\npub mod generated;\npub mod runtime;\n\n{REEXPORTS}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_runtime_and_dependencies() {
        assert!(
            RUNTIME_FILES.iter().any(|(p, _)| *p == "mod.rs"),
            "runtime/mod.rs is embedded"
        );
        let deps = runtime_dependencies();
        assert!(deps.starts_with("[dependencies]"), "{deps}");
        assert!(deps.contains("reqwest"), "{deps}");
        assert!(!deps.contains("[dev-dependencies]"), "{deps}");
    }
}
