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
    crate_files(generated, generated.files.clone(), crate_name, settings)
}

/// [`standalone_crate`], moving the generated files out of `generated` (which is left
/// with none) instead of copying them: for callers that only write the crate.
pub fn take_standalone_crate(
    generated: &mut Generated,
    crate_name: &str,
    settings: &Settings,
) -> BTreeMap<String, String> {
    let files = std::mem::take(&mut generated.files);
    crate_files(generated, files, crate_name, settings)
}

fn crate_files(
    generated: &Generated,
    files: BTreeMap<String, String>,
    crate_name: &str,
    settings: &Settings,
) -> BTreeMap<String, String> {
    let header = generated.header.as_str();
    let mut out = BTreeMap::new();
    out.insert(
        "Cargo.toml".to_string(),
        manifest(crate_name, header, settings, &generated.features),
    );
    out.insert("src/lib.rs".to_string(), lib_rs(header));
    let lib_name = crate_name.replace('-', "_");
    for (rel, text) in runtime_files(Some(&lib_name)) {
        out.insert(format!("src/runtime/{rel}"), text);
    }
    for (rel, text) in files {
        out.insert(format!("{GENERATED_DIR}{rel}"), text);
    }
    out
}

/// Where the generated files go in a standalone crate.
pub const GENERATED_DIR: &str = "src/generated/";

/// The runtime's files as they go into a crate holding a generated client, keyed by
/// path relative to `runtime/`: without their unit tests (they run in
/// `generated-client`, with its dev-dependencies, which the crate need not have), and
/// with their doc examples naming the crate's library, `lib_name`, or, when the
/// generator does not know it (a build script's `include!`), shown but not run.
pub(crate) fn runtime_files(lib_name: Option<&str>) -> Vec<(&'static str, String)> {
    RUNTIME_FILES
        .iter()
        .map(|(rel, text)| (*rel, runtime_file(text, lib_name)))
        .collect()
}

fn runtime_file(text: &str, lib_name: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_example = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        // A unit-test module: `#[cfg(test)]`, other attributes, `mod tests {`, up to
        // its closing brace at the start of a line.
        if line == "#[cfg(test)]" {
            let mut attrs = vec![line];
            while let Some(next) = lines.next_if(|l| l.starts_with("#[")) {
                attrs.push(next);
            }
            let is_test_module =
                |l: &&str| l.starts_with("mod tests {") || l.starts_with("pub(crate) mod tests {");
            if lines.next_if(is_test_module).is_some() {
                for inner in lines.by_ref() {
                    if inner == "}" {
                        break;
                    }
                }
                continue;
            }
            for attr in attrs {
                out.push_str(attr);
                out.push('\n');
            }
            continue;
        }
        let trimmed = line.trim_start();
        let doc_text = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
            .map(str::trim_start);
        let line = match (doc_text, lib_name) {
            (Some(doc), _) if doc.starts_with("```") => {
                let info = &doc[3..];
                let opens_rust = !in_example && !matches!(info, "text" | "toml" | "json" | "yaml");
                if !in_example || info.is_empty() {
                    in_example = !in_example;
                }
                if opens_rust && lib_name.is_none() {
                    line.replacen(doc, "```ignore", 1)
                } else {
                    line.to_string()
                }
            }
            (Some(_), Some(lib)) if in_example => {
                line.replace("generated_client::", &format!("{lib}::"))
            }
            (Some(_), None) if in_example => line.replace("generated_client::", "crate::"),
            _ => line.to_string(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    // The file ended with its test module: no blank line at the end.
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
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
    let mut features_section = String::from(
        "\n[features]\n# Test support: the typed mock server and registry (`generated::testing`), record\n# and replay (`runtime::testing`). Off by default.\ntest-util = [\"dep:wiremock\"]\n",
    );
    if !features.is_empty() {
        let list = |fs: &[String]| {
            fs.iter()
                .map(|f| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        features_section.push_str(
            "# One feature per tag: its operations and the types they use. `full` (the\n# default) is every tag; `default-features = false, features = [\"...\"]` picks some.\ndefault = [\"full\"]\n",
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
pub(crate) const REEXPORTS: &str = "pub use generated::{Client, ClientBuilder, errors, models, operations};\npub use runtime::{ApiError, Error, Response};\n/// Test support: a typed mock server of the API and a registry of its operations and\n/// schemas (the `test-util` feature).\n#[cfg(feature = \"test-util\")]\npub use generated::testing;\n";

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

    #[test]
    fn runtime_files_lose_their_tests_and_name_the_crate_in_examples() {
        let text = "//! Docs.\n\n/// ```\n/// use generated_client::runtime::Client;\n/// ```\n///\n/// ```text\n/// generated_client::x\n/// ```\npub fn f() {}\n\n#[cfg(test)]\nfn helper() {}\n\n#[cfg(test)]\n#[allow(dead_code)]\nmod tests {\n    #[test]\n    fn t() {\n    }\n}\n";
        let standalone = runtime_file(text, Some("my_api"));
        assert_eq!(
            standalone,
            "//! Docs.\n\n/// ```\n/// use my_api::runtime::Client;\n/// ```\n///\n/// ```text\n/// my_api::x\n/// ```\npub fn f() {}\n\n#[cfg(test)]\nfn helper() {}\n"
        );
        let included = runtime_file(text, None);
        assert!(
            included.contains("/// ```ignore\n/// use crate::runtime::Client;\n/// ```\n"),
            "{included}"
        );
        assert!(included.contains("/// ```text\n"), "{included}");
        // The real files: no test module survives, every file still parses.
        for (rel, text) in runtime_files(Some("x")) {
            assert!(!text.contains("mod tests"), "{rel}");
            let in_docs = |l: &&str| {
                let l = l.trim_start();
                (l.starts_with("///") || l.starts_with("//!")) && l.contains("generated_client::")
            };
            assert!(!text.lines().any(|l| in_docs(&l)), "{rel}");
            syn::parse_file(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        }
    }
}
