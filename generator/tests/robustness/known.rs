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
        name: "union-null-search-blowup",
        issue: "12.7",
        stage: Stage::Generate,
        // A million steps take 0.2–2 s in a debug build (U with three alternatives:
        // 2.6e8 steps, 36 s; four mutual anyOfs: 1e9).
        input: |d| null_search_cost(d) > 1_000_000,
        failure: |f| f.starts_with("hang"),
        skip: true,
    },
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
        name: "file-name-too-long",
        issue: "12.7",
        stage: Stage::Generate,
        // A long name, or an inline type named after 20+ levels of context.
        input: |d| doc::any_string(d, &|s| s.len() > 200) || deepest_schema(d, &|_| true) >= 20,
        failure: |f| f.starts_with("bad output: file name of"),
        skip: false,
    },
    Known {
        name: "deep-container-stack-overflow",
        issue: "new",
        stage: Stage::Generate,
        // `Vec<Vec<...>>` 45 deep overflows the 2 MiB stack of an emit worker thread
        // (in `syn`'s type parser): the process aborts.
        input: |d| longest_container_chain(d) >= 30,
        failure: |f| f.starts_with("crash"),
        skip: false,
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
    Known {
        name: "alias-cycle-through-container",
        issue: "12.6",
        stage: Stage::Compile,
        input: container_alias_cycle,
        failure: |e| e.contains("E0391"),
        skip: false,
    },
    Known {
        name: "path-variable-twice",
        issue: "12.6",
        stage: Stage::Compile,
        input: path_variable_twice,
        failure: |e| e.contains("E0308") && e.contains("path_param"),
        skip: false,
    },
    Known {
        name: "binary-query-or-header-parameter",
        issue: "12.6",
        stage: Stage::Compile,
        input: |d| {
            parameters(d).iter().any(|p| {
                matches!(
                    p.get("in").and_then(Value::as_str),
                    Some("query" | "header")
                ) && deepest_schema_in(p.get("schema"), &|s| {
                    s.get("format") == Some(&Value::from("binary"))
                })
            })
        },
        failure: |e| e.contains("E0308") && e.contains("from_utf8_lossy"),
        skip: false,
    },
    Known {
        name: "required-query-array-default",
        issue: "12.6",
        stage: Stage::Compile,
        input: |d| {
            parameters(d).iter().any(|p| {
                p.get("in") == Some(&Value::from("query"))
                    && p.get("schema")
                        .and_then(|s| s.get("default"))
                        .is_some_and(Value::is_array)
            })
        },
        failure: |e| e.contains("E0277") && e.contains("ToString"),
        skip: false,
    },
    Known {
        name: "prose-lone-cr",
        issue: "12.6",
        stage: Stage::Compile,
        input: |d| doc::any_string(d, &|s| s.replace("\r\n", "").contains('\r')),
        failure: |e| e.contains("bare CR not allowed"),
        skip: false,
    },
    Known {
        name: "prose-bidi-control",
        issue: "12.6",
        stage: Stage::Compile,
        input: |d| {
            doc::any_string(d, &|s| {
                s.chars()
                    .any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
            })
        },
        failure: |e| e.contains("unicode codepoint changing visible direction"),
        skip: false,
    },
    Known {
        name: "enum-value-err",
        issue: "12.6",
        stage: Stage::Compile,
        input: |d| {
            doc::all_nodes(d).iter().any(|v| {
                v.get("enum").and_then(Value::as_array).is_some_and(|a| {
                    a.iter()
                        .any(|x| x.as_str().is_some_and(|s| s.eq_ignore_ascii_case("err")))
                })
            })
        },
        failure: |e| e.contains("ambiguous associated item") && e.contains("Err"),
        skip: false,
    },
    Known {
        name: "keyword-operation-id-paging",
        issue: "12.6",
        stage: Stage::Compile,
        input: |d| {
            doc::operations(d).iter().any(|(_, _, op)| {
                op.get("operationId")
                    .and_then(Value::as_str)
                    .is_some_and(is_keyword)
            })
        },
        failure: |e| e.contains("__stream") && e.contains("snake case"),
        skip: false,
    },
    Known {
        name: "form-body-empty-schema",
        issue: "12.6",
        stage: Stage::Compile,
        // A form or multipart body whose schema lists no properties (none, `{}`,
        // `{type: object}`, a string, an array): the form has no pairs, `body` is unused
        // and nothing is sent.
        input: |d| {
            doc::operations(d).iter().any(|(_, _, op)| {
                op.get("requestBody")
                    .and_then(|b| b.get("content"))
                    .and_then(Value::as_object)
                    .is_some_and(|c| {
                        c.iter().any(|(m, v)| {
                            m.contains("form")
                                && v.get("schema").is_none_or(|s| {
                                    s.get("properties")
                                        .and_then(Value::as_object)
                                        .is_none_or(|p| p.is_empty())
                                })
                        })
                    })
            })
        },
        failure: |e| e.contains("unused variable: `body`"),
        skip: false,
    },
    Known {
        name: "deprecated-schema-used",
        issue: "12.6",
        stage: Stage::Compile,
        input: |d| {
            doc::all_nodes(d)
                .iter()
                .any(|v| v.get("deprecated") == Some(&Value::Bool(true)))
        },
        failure: |e| e.contains("use of deprecated"),
        skip: false,
    },
    Known {
        name: "no-success-response",
        issue: "12.4",
        stage: Stage::Compile,
        // No 2xx among the responses (302 only, `default` only, none, or only keys that are
        // not status codes): the decoder is a `match` with one `_` arm.
        input: |d| {
            doc::operations(d)
                .iter()
                .any(|(_, _, op)| !has_success_status(op))
        },
        failure: |e| e.contains("this match could be replaced by its scrutinee and body"),
        skip: false,
    },
    Known {
        name: "path-variable-without-parameter",
        issue: "12.5",
        stage: Stage::Compile,
        // `/a/{id}` and no parameter `id` (or `/a/{}`, or an unbalanced `/a/{x`): the path
        // is sent with the braces, built by a `format!` without arguments.
        input: path_variable_without_parameter,
        failure: |e| e.contains("useless use of `format!`"),
        skip: false,
    },
    Known {
        name: "module-inception",
        issue: "new",
        stage: Stage::Compile,
        // A schema named `models` is `models/models.rs`, a tag `operations` is
        // `operations/operations.rs`: clippy::module_inception.
        input: |d| {
            let norm = |s: &str| s.to_lowercase().replace(['-', '_', ' ', '.'], "");
            doc::component_schemas(d).is_some_and(|m| m.keys().any(|k| norm(k) == "models"))
                || doc::operations(d).iter().any(|(_, _, op)| {
                    op.get("tags").and_then(Value::as_array).is_some_and(|t| {
                        t.iter()
                            .filter_map(Value::as_str)
                            .any(|t| norm(t) == "operations")
                    })
                })
        },
        failure: |e| e.contains("module has the same name as its containing module"),
        skip: false,
    },
    Known {
        name: "deep-container-type",
        issue: "12.6",
        stage: Stage::Compile,
        // `Vec<Vec<...>>` / `BTreeMap<String, ...>` nested: clippy's type_complexity from
        // 5 levels of arrays or 4 of maps in a response type, E0275 (overflow evaluating `Send`) from 44 levels.
        input: |d| longest_container_chain(d) >= 4,
        failure: |e| e.contains("very complex type used") || e.contains("E0275"),
        skip: false,
    },
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

fn is_keyword(s: &str) -> bool {
    super::strategies::KEYWORDS.contains(&s)
}

/// Every parameter object of the document (inline in operations and path items, and in
/// components).
pub fn parameters(d: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    if let Some(paths) = d.get("paths").and_then(Value::as_object) {
        for item in paths.values() {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (k, v) in item {
                let list = if k == "parameters" {
                    Some(v)
                } else {
                    v.get("parameters")
                };
                if let Some(a) = list.and_then(Value::as_array) {
                    out.extend(a.iter().filter(|p| p.is_object()));
                }
            }
        }
    }
    if let Some(p) = d
        .get("components")
        .and_then(|c| c.get("parameters"))
        .and_then(Value::as_object)
    {
        out.extend(p.values());
    }
    out
}

/// Whether some schema node at or under `s` satisfies `pred`.
fn deepest_schema_in(s: Option<&Value>, pred: &dyn Fn(&Value) -> bool) -> bool {
    s.is_some_and(|s| deepest_schema(&serde_json::json!({ "schema": s }), pred) > 0)
}

/// Whether an operation documents a 2xx response (`200`..`299`, `2XX`).
fn has_success_status(op: &serde_json::Map<String, Value>) -> bool {
    op.get("responses")
        .and_then(Value::as_object)
        .is_some_and(|r| {
            r.keys().any(|k| {
                let k = k.to_ascii_uppercase();
                k.len() == 3
                    && k.starts_with('2')
                    && (k[1..].chars().all(|c| c.is_ascii_digit()) || &k[1..] == "XX")
            })
        })
}

/// A path template variable that no path parameter (of the operation or its path
/// item) is named after.
fn path_variable_without_parameter(d: &Value) -> bool {
    let Some(paths) = d.get("paths").and_then(Value::as_object) else {
        return false;
    };
    paths.iter().any(|(path, item)| {
        // An unbalanced brace is sent as written as well.
        let balanced = path.split('{').skip(1).all(|s| s.matches('}').count() == 1)
            && path.split('{').next().is_some_and(|s| !s.contains('}'));
        if !balanced {
            return true;
        }
        let vars: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(v, _)| v))
            .collect();
        let names = |list: Option<&Value>| -> Vec<String> {
            list.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter(|p| p.get("in") == Some(&Value::from("path")))
                        .filter_map(|p| p.get("name")?.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let shared = names(item.get("parameters"));
        doc::operations(&serde_json::json!({ "paths": { path: item } }))
            .iter()
            .any(|(_, _, op)| {
                let own = names(op.get("parameters"));
                vars.iter()
                    .any(|v| !own.iter().chain(&shared).any(|n| n == v))
            })
    })
}

/// A path template naming one variable twice.
fn path_variable_twice(d: &Value) -> bool {
    d.get("paths")
        .and_then(Value::as_object)
        .is_some_and(|paths| {
            paths.keys().any(|p| {
                let vars: Vec<&str> = p
                    .split('{')
                    .skip(1)
                    .filter_map(|s| s.split_once('}').map(|(v, _)| v))
                    .collect();
                let set: std::collections::BTreeSet<&str> = vars.iter().copied().collect();
                set.len() < vars.len()
            })
        })
}

/// The longest chain of directly nested arrays and maps (`items`,
/// `additionalProperties` without `properties`, single `allOf`), counting `$ref`s to
/// components that are themselves such containers.
pub fn longest_container_chain(d: &Value) -> usize {
    let schemas = doc::component_schemas(d);
    fn chain(s: &Value, schemas: Option<&serde_json::Map<String, Value>>, budget: usize) -> usize {
        if budget == 0 {
            return 0;
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let target = r
                .strip_prefix("#/components/schemas/")
                .and_then(|k| schemas?.get(&k.replace("~1", "/").replace("~0", "~")));
            return target.map_or(0, |t| {
                let is_container = t.get("items").is_some()
                    || t.get("additionalProperties").is_some_and(Value::is_object);
                if is_container {
                    chain(t, schemas, budget - 1)
                } else {
                    0
                }
            });
        }
        if let Some(i @ Value::Object(_)) = s.get("items") {
            return 1 + chain(i, schemas, budget - 1);
        }
        if s.get("properties").is_none()
            && let Some(a @ Value::Object(_)) = s.get("additionalProperties")
        {
            return 1 + chain(a, schemas, budget - 1);
        }
        if let Some(Value::Array(a)) = s.get("allOf")
            && a.len() == 1
        {
            return chain(&a[0], schemas, budget - 1);
        }
        0
    }
    let mut best = 0;
    for v in doc::all_nodes(d) {
        if v.is_object() {
            best = best.max(chain(v, schemas, 200));
        }
    }
    best
}

/// A component that is an array or map (an alias, in Rust) reaching itself through
/// `items`, `additionalProperties` and `$ref`s of other such aliases, with no struct or
/// enum in between.
fn container_alias_cycle(d: &Value) -> bool {
    let Some(schemas) = doc::component_schemas(d) else {
        return false;
    };
    let next = |s: &Value| -> Vec<String> {
        let mut inner: Vec<&Value> = Vec::new();
        if s.get("properties").is_none() {
            if let Some(i) = s.get("items") {
                inner.push(i);
            }
            if let Some(a @ Value::Object(_)) = s.get("additionalProperties") {
                inner.push(a);
            }
            if let Some(Value::Array(a)) = s.get("allOf")
                && a.len() == 1
            {
                inner.push(&a[0]);
            }
            inner.push(s);
        }
        inner
            .into_iter()
            .filter_map(|v| v.get("$ref").and_then(Value::as_str))
            .filter_map(|r| r.strip_prefix("#/components/schemas/"))
            .map(|k| k.replace("~1", "/").replace("~0", "~"))
            .collect()
    };
    schemas.keys().any(|start| {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<String> = next(&schemas[start]);
        let contained = schemas[start].get("items").is_some()
            || schemas[start]
                .get("additionalProperties")
                .is_some_and(Value::is_object);
        while let Some(k) = todo.pop() {
            if k == *start {
                return contained;
            }
            if seen.insert(k.clone())
                && let Some(s) = schemas.get(&k)
            {
                todo.extend(next(s));
            }
        }
        false
    })
}

/// How many steps a search for "does this component admit null" takes when it follows
/// `$ref`s and every `oneOf`/`anyOf` alternative (and single-part `allOf`) without
/// memoising, to depth 32: the shape of issue 12 item 7's blow-up.
pub fn null_search_cost(d: &Value) -> u64 {
    let Some(schemas) = doc::component_schemas(d) else {
        return 0;
    };
    let mut memo = std::collections::HashMap::new();
    fn cost(
        s: &Value,
        depth: usize,
        schemas: &serde_json::Map<String, Value>,
        memo: &mut std::collections::HashMap<(usize, usize), u64>,
    ) -> u64 {
        if depth > 32 {
            return 1;
        }
        let key = (s as *const Value as usize, depth);
        if let Some(c) = memo.get(&key) {
            return *c;
        }
        let mut total = 1u64;
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            if let Some(t) = r
                .strip_prefix("#/components/schemas/")
                .map(|k| k.replace("~1", "/").replace("~0", "~"))
                .and_then(|k| schemas.get(&k))
            {
                total = total.saturating_add(cost(t, depth + 1, schemas, memo));
            }
        } else if s.get("nullable") != Some(&Value::Bool(true)) {
            let mut children: Vec<&Value> = Vec::new();
            for k in ["oneOf", "anyOf"] {
                if let Some(a) = s.get(k).and_then(Value::as_array) {
                    children.extend(a);
                }
            }
            if let Some(a) = s.get("allOf").and_then(Value::as_array)
                && a.len() == 1
            {
                children.extend(a);
            }
            for c in children {
                total = total.saturating_add(cost(c, depth + 1, schemas, memo));
            }
        }
        memo.insert(key, total);
        total
    }
    schemas
        .values()
        .map(|s| cost(s, 0, schemas, &mut memo))
        .fold(0u64, u64::saturating_add)
}

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
