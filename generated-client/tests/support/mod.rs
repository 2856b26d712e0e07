//! Helpers shared by the `e2e` and `examples` tests: reading OpenAPI documents as plain
//! JSON values, JSON pointers, the `Sources` operations of a document, and the reviewed
//! list of spec defects (`tests/spec_defects.yaml`).
#![allow(dead_code)] // each test crate uses a different part

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

/// The project's own spec, relative to this crate.
pub const PROJECT_SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/sailpoint-beta.yaml");
/// The current real beta document, read in place (never copied into the repository).
pub const REAL_SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/specs/sailpoint-beta/deref-sailpoint-api.beta.2026-08-04.yaml"
);
/// The reviewed list of known spec defects.
pub const DEFECTS_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/spec_defects.yaml");

/// The tag whose operations the client has.
pub const TAG: &str = "Sources";

/// An OpenAPI document as a JSON value (YAML keys such as `200` become strings).
pub struct Spec {
    pub name: String,
    pub doc: Value,
}

impl Spec {
    pub fn load(path: &str) -> Spec {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
        let doc: Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"));
        let name = Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string());
        Spec { name, doc }
    }

    /// The node at a `#/...` pointer.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.doc
            .pointer(pointer.strip_prefix('#').unwrap_or(pointer))
    }

    /// Follow `$ref`s (local ones only) from `node` at `pointer`; returns the target and
    /// its pointer.
    pub fn resolve<'a>(&'a self, node: &'a Value, pointer: &str) -> (&'a Value, String) {
        let mut node = node;
        let mut pointer = pointer.to_string();
        for _ in 0..32 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with("#/") => {
                    node = self
                        .at(r)
                        .unwrap_or_else(|| panic!("{}: dangling $ref {r} at {pointer}", self.name));
                    pointer = r.to_string();
                }
                _ => break,
            }
        }
        (node, pointer)
    }

    /// The operations tagged [`TAG`], in document order.
    pub fn tagged_operations(&self) -> Vec<Operation> {
        let mut ops = Vec::new();
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            return ops;
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if ![
                    "get", "put", "post", "delete", "patch", "head", "options", "trace",
                ]
                .contains(&method.as_str())
                {
                    continue;
                }
                let tagged = op
                    .get("tags")
                    .and_then(Value::as_array)
                    .is_some_and(|tags| tags.iter().any(|t| t == TAG));
                if !tagged {
                    continue;
                }
                let pointer = format!("#/paths/{}/{method}", escape(path));
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_else(|| panic!("{}: no operationId at {pointer}", self.name))
                    .to_string();
                let mut responses = BTreeMap::new();
                if let Some(map) = op.get("responses").and_then(Value::as_object) {
                    for (code, response) in map {
                        if let Ok(code) = code.parse::<u16>() {
                            let at = format!(
                                "{pointer}/responses/{}",
                                escape(code.to_string().as_str())
                            );
                            responses.insert(code, self.resolve(response, &at).0.clone());
                        }
                    }
                }
                ops.push(Operation {
                    id,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    pointer,
                    node: op.clone(),
                    responses,
                });
            }
        }
        ops
    }
}

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub method: String,
    pub path: String,
    /// `#/paths/~1sources/get`
    pub pointer: String,
    pub node: Value,
    /// Status → response object, `$ref` resolved.
    pub responses: BTreeMap<u16, Value>,
}

impl Operation {
    /// The names of the named examples (`content.*.examples`) of a response.
    pub fn named_examples(&self, status: u16) -> Vec<String> {
        let Some(response) = self.responses.get(&status) else {
            return vec![];
        };
        let mut names = Vec::new();
        if let Some(content) = response.get("content").and_then(Value::as_object) {
            for media in content.values() {
                if let Some(examples) = media.get("examples").and_then(Value::as_object) {
                    names.extend(examples.keys().cloned());
                }
            }
        }
        names
    }
}

/// Escape one JSON pointer segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

// ---------------------------------------------------------------------------------------
// The reviewed list
// ---------------------------------------------------------------------------------------

/// `tests/spec_defects.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defects {
    /// Examples that break their own schema, per document file name.
    #[serde(default)]
    pub examples: BTreeMap<String, Vec<ExampleDefect>>,
    /// What Prism cannot exercise because of a quirk of the document.
    #[serde(default)]
    pub prism: Vec<PrismDefect>,
    /// Operations the generated registry has no example call for, so the e2e tests do
    /// not call them.
    #[serde(default)]
    pub not_callable: Vec<NotCallableDefect>,
}

/// One example that does not match its schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleDefect {
    /// JSON pointer of the example (`.../example` or `.../examples/<name>/value`).
    pub pointer: String,
    /// Why it is wrong, for the reviewer.
    pub reason: String,
}

/// One call that Prism cannot answer as the spec says, because of the spec.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrismDefect {
    /// The document's file name.
    pub spec: String,
    /// The operationId.
    pub operation: String,
    /// `static` (examples), `dynamic` (generated bodies) or a status code (`"404"`).
    pub mode: String,
    pub reason: String,
}

/// One operation the e2e tests cannot call: the registry's `OperationEntry::call` is
/// `None` (its `not_callable` says why).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotCallableDefect {
    /// The operationId.
    pub operation: String,
    /// Why not calling it is acceptable, for the reviewer.
    pub reason: String,
}

impl Defects {
    pub fn load() -> Defects {
        let text = std::fs::read_to_string(DEFECTS_FILE)
            .unwrap_or_else(|e| panic!("read {DEFECTS_FILE}: {e}"));
        let defects: Defects =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{DEFECTS_FILE}: {e}"));
        for list in defects.examples.values() {
            for d in list {
                assert!(
                    !d.reason.trim().is_empty(),
                    "{DEFECTS_FILE}: {} has no reason",
                    d.pointer
                );
            }
        }
        for d in &defects.not_callable {
            assert!(
                !d.reason.trim().is_empty(),
                "{DEFECTS_FILE}: not_callable {} has no reason",
                d.operation
            );
        }
        for d in &defects.prism {
            assert!(
                !d.reason.trim().is_empty(),
                "{DEFECTS_FILE}: {} {} has no reason",
                d.operation,
                d.mode
            );
        }
        defects
    }
}
