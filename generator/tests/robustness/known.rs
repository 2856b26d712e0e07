//! Failure classes that are known and not fixed yet ("known-open"), each with a short
//! name used in /work/robustness-report.md and in `reproducers/`, the item of issue 12
//! it belongs to, a detector on the input document and a matcher on the failure.
//!
//! A failure is explained (and the case passes) when some entry's `input` accepts the
//! document and its `failure` accepts the failure's text. Entries with `skip` are not
//! run at all when their input matches (they would hang until the time limit), and the
//! strategies do not build their constructs on purpose while they are open.
//!
//! When a class is fixed, delete its entry: its reproducer under
//! `reproducers/<stage>/<name>.yaml` then becomes a regression test that must pass (and
//! while the entry is here, the reproducer must still fail, so a fixed class whose entry
//! was forgotten fails the run).

use super::doc;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// `load` + `generate`: panics, hangs, errors without a pointer, bad file names.
    Generate,
    /// `cargo clippy -- -D warnings` of the generated crate.
    Compile,
}

pub struct Known {
    pub name: &'static str,
    /// The item of issue 12 (`"12.6"`), or `"new"`.
    pub issue: &'static str,
    pub stage: Stage,
    /// Whether `doc` has the construct.
    pub input: fn(&Value) -> bool,
    /// Whether the failure text (a [`super::check::Failure`]'s display, or the compiler's
    /// output) is this class's.
    pub failure: fn(&str) -> bool,
    /// Not run when the input matches: it would take until the time limit.
    pub skip: bool,
}

pub const KNOWN_OPEN: &[Known] = &[
    Known {
        name: "deep-refusal-exponential",
        issue: "12.7",
        stage: Stage::Generate,
        // Refusal time doubles with the depth of the malformed node and grows with the
        // valid nesting below it (2^d x (1 + h) > 2000 is some 0.3 s and up).
        input: |d| refusal_cost(d) > 2000,
        failure: |f| f.starts_with("hang"),
        skip: true,
    },
    Known {
        name: "status-range-case-merge",
        issue: "12.6",
        stage: Stage::Generate,
        // `2xx` and `2XX` are merged into one response, and which one's body wins depends
        // on the order of the document's map (invariant 2).
        input: |d| {
            doc::operations(d).iter().any(|(_, _, op)| {
                op.get("responses")
                    .and_then(Value::as_object)
                    .is_some_and(|r| {
                        let folded: std::collections::BTreeSet<String> =
                            r.keys().map(|k| k.to_ascii_uppercase()).collect();
                        folded.len() < r.len()
                    })
            })
        },
        failure: |f| f.starts_with("nondeterministic"),
        skip: false,
    },
    // ------------------------------------------------------------ compile stage
];

pub fn entry(name: &str) -> Option<&'static Known> {
    KNOWN_OPEN.iter().find(|k| k.name == name)
}

pub fn is_open(name: &str) -> bool {
    entry(name).is_some()
}

/// An open class whose construct `doc` has and that must not be run.
pub fn skipped(doc: &Value) -> Option<&'static Known> {
    KNOWN_OPEN
        .iter()
        .find(|k| k.stage == Stage::Generate && k.skip && (k.input)(doc))
}

/// The open class that explains `failure` on `doc`, if any.
pub fn explain(stage: Stage, doc: &Value, failure: &str) -> Option<&'static Known> {
    KNOWN_OPEN
        .iter()
        .find(|k| k.stage == stage && (k.input)(doc) && (k.failure)(failure))
}

/// For compiler output: the open classes that explain every error diagnostic, or the
/// diagnostics that none explains.
pub fn explain_diagnostics(doc: &Value, output: &str) -> Result<Vec<&'static str>, Vec<String>> {
    let mut classes = Vec::new();
    let mut unexplained = Vec::new();
    for d in diagnostics(output) {
        match explain(Stage::Compile, doc, &d) {
            Some(k) => {
                if !classes.contains(&k.name) {
                    classes.push(k.name);
                }
            }
            None => unexplained.push(d),
        }
    }
    if unexplained.is_empty() && !classes.is_empty() {
        Ok(classes)
    } else if unexplained.is_empty() {
        Err(vec![format!(
            "failed without an error diagnostic:\n{output}"
        )])
    } else {
        Err(unexplained)
    }
}

/// The error diagnostics (`error...` up to the next blank line at column 0) of a
/// compiler output, without the closing `could not compile`.
pub fn diagnostics(output: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in output.lines() {
        if line.starts_with("error") || line.starts_with("warning") {
            if let Some(c) = current.take() {
                out.push(c);
            }
            if line.starts_with("error") && !line.starts_with("error: could not compile") {
                current = Some(line.to_string());
            }
        } else if let Some(c) = current.as_mut() {
            c.push('\n');
            c.push_str(line);
        }
    }
    out.extend(current);
    out
}

// ---------------------------------------------------------------- detectors

/// The schema nesting depth of the deepest schema node that does not have the shape
/// OpenAPI requires (0 when all are regular). Schema nodes: components' schemas and
/// every `schema`, and inside them properties, items, additionalProperties, allOf,
/// oneOf, anyOf and not.
/// An estimate of the time refusing the document takes: the largest `2^d x (1 + h)`
/// over malformed schema nodes at schema depth `d` with `h` levels of schema below them.
pub fn refusal_cost(d: &Value) -> u64 {
    let mut worst = 0u64;
    let record = |s: &Value, depth: usize, worst: &mut u64| {
        if !regular_schema(s) {
            let h = deepest_schema(&serde_json::json!({ "schema": s }), &|_| true) as u64;
            let cost = (1u64 << depth.min(40)).saturating_mul(1 + h);
            *worst = (*worst).max(cost);
        }
    };
    fn walk(s: &Value, depth: usize, worst: &mut u64, record: &dyn Fn(&Value, usize, &mut u64)) {
        record(s, depth, worst);
        let Some(m) = s.as_object() else { return };
        if let Some(Value::Object(p)) = m.get("properties") {
            p.values().for_each(|c| walk(c, depth + 1, worst, record));
        }
        for k in ["items", "additionalProperties", "not"] {
            if let Some(c @ Value::Object(_)) = m.get(k) {
                walk(c, depth + 1, worst, record);
            }
        }
        for k in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(a)) = m.get(k) {
                a.iter().for_each(|c| walk(c, depth + 1, worst, record));
            }
        }
    }
    fn roots<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    if k == "schema" {
                        out.push(c);
                    } else if k == "schemas" && c.is_object() {
                        out.extend(c.as_object().unwrap().values());
                    } else {
                        roots(c, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| roots(c, out)),
            _ => {}
        }
    }
    let mut list = Vec::new();
    roots(d, &mut list);
    for r in list {
        walk(r, 1, &mut worst, &record);
    }
    worst
}

/// The schema nesting depth of the deepest schema node that satisfies `pred` (0 when
/// none does).
pub fn deepest_schema(d: &Value, pred: &dyn Fn(&Value) -> bool) -> usize {
    let mut deepest = 0;
    fn walk_schema(s: &Value, depth: usize, deepest: &mut usize, pred: &dyn Fn(&Value) -> bool) {
        if pred(s) {
            *deepest = (*deepest).max(depth.max(1));
        }
        let Some(m) = s.as_object() else { return };
        if let Some(Value::Object(p)) = m.get("properties") {
            for c in p.values() {
                walk_schema(c, depth + 1, deepest, pred);
            }
        }
        for k in ["items", "additionalProperties", "not"] {
            if let Some(c @ Value::Object(_)) = m.get(k) {
                walk_schema(c, depth + 1, deepest, pred);
            }
        }
        for k in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(a)) = m.get(k) {
                for c in a {
                    walk_schema(c, depth + 1, deepest, pred);
                }
            }
        }
    }
    fn walk_doc(v: &Value, deepest: &mut usize, pred: &dyn Fn(&Value) -> bool) {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    if k == "schema" {
                        walk_schema(c, 1, deepest, pred);
                    } else if k == "schemas" {
                        if let Value::Object(s) = c {
                            s.values().for_each(|c| walk_schema(c, 1, deepest, pred));
                        }
                    } else {
                        walk_doc(c, deepest, pred);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| walk_doc(c, deepest, pred)),
            _ => {}
        }
    }
    walk_doc(d, &mut deepest, pred);
    deepest
}

/// Whether a schema node's known keys have the JSON types OpenAPI 3.0 gives them.
/// Errs on the side of "irregular".
fn regular_schema(s: &Value) -> bool {
    let Some(m) = s.as_object() else { return false };
    if m.contains_key("$ref") {
        return m.get("$ref").is_some_and(Value::is_string);
    }
    m.iter().all(|(k, v)| match k.as_str() {
        "type" => matches!(
            v.as_str(),
            Some("string" | "number" | "integer" | "boolean" | "array" | "object")
        ),
        "properties" => v
            .as_object()
            .is_some_and(|p| p.values().all(Value::is_object)),
        "items" | "not" | "externalDocs" | "xml" => v.is_object(),
        "additionalProperties" => v.is_object() || v.is_boolean(),
        "required" => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        "enum" => v.is_array(),
        "allOf" | "oneOf" | "anyOf" => v.as_array().is_some_and(|a| a.iter().all(Value::is_object)),
        "nullable" | "deprecated" | "readOnly" | "writeOnly" | "uniqueItems"
        | "exclusiveMinimum" | "exclusiveMaximum" => v.is_boolean(),
        "format" | "pattern" | "title" | "description" => v.is_string(),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            v.as_u64().is_some()
        }
        "minimum" | "maximum" | "multipleOf" => v.is_number(),
        "discriminator" => v.get("propertyName").is_some_and(Value::is_string),
        _ => true,
    })
}
