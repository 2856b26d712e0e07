//! OpenAPI 3.1 → the OpenAPI 3.0 model, as JSON → JSON, before `openapiv3` reads it.
//!
//! `openapiv3` models 3.0 only; converting at load time keeps lowering and everything
//! after it one code path (ARCHITECTURE.md). What maps to what:
//!
//! | 3.1 | 3.0 |
//! | --- | --- |
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [A, B]` | `oneOf: [{type: A, ...}, {type: B, ...}]`, each with the keywords of its type (`integer` is dropped beside `number`) |
//! | `oneOf`/`anyOf` with a `{type: "null"}` member | the other members, `nullable: true`; one other member is merged in (or `allOf: [$ref]`) |
//! | `const: v` | `enum: [v]`, with the type of `v` when there is no `type` |
//! | `examples: [a, ...]` on a schema | `example: a` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n, exclusiveMinimum: true` (same for maximum) |
//! | `$ref` with siblings | `allOf: [{$ref}]` beside the siblings |
//! | `contentEncoding: base64` (or `base64url`) | `format: byte` (a string holding base64 text) |
//! | `contentMediaType` of a non-text type, without `contentEncoding` | `format: binary` (raw bytes) |
//! | `prefixItems` | `items` a `oneOf` of the tuple's schemas (warning) |
//! | `$defs` anywhere | components under their own name (a suffix when taken, with a warning; identical ones merge) |
//! | `$ref` to an `$anchor`, an `$id`, or a pointer into a schema | a `$ref` to a component (the target becomes one) |
//! | `true` / `false` schemas | `{}` (`false` with a warning) |
//! | `type: "null"` alone | `{}` (warning) |
//! | `patternProperties` | `additionalProperties` of the pattern schemas (warning: keys are not checked) |
//! | `webhooks` | skipped (warning), as `x-webhooks` |
//! | `components/pathItems`, and path items that `$ref` them | inlined |
//! | `info.summary` | prepended to `info.description` |
//! | `license.identifier`, `jsonSchemaDialect`, `$schema`, `$comment`, `$id`, `$anchor` | removed (a dialect other than OpenAPI's or JSON Schema 2020-12 gives a warning) |
//! | `paths` absent | `paths: {}` |
//! | `mutualTLS` security schemes | skipped (warning) |
//!
//! Keywords that cannot be expressed, one grouped warning per keyword: dropped when
//! dropping them only loosens validation and keeps the Rust type (`dependentRequired`,
//! `propertyNames`, `contains`/`minContains`/`maxContains`, `unevaluatedProperties`,
//! `unevaluatedItems`, `contentSchema`, `additionalItems`, and `if`/`then`/`else` or
//! `dependentSchemas` whose branches only add constraints); otherwise the schema becomes
//! `{}` (`serde_json::Value`) keeping its annotations (`if`/`then`/`else` or
//! `dependentSchemas` with branches that add properties or change types, `$dynamicRef`
//! that does not resolve to a single `$dynamicAnchor`).

mod refs;
mod schema;

use super::Relocations;
use super::normalize::{Ptr, walk_document};
use crate::error::{Error, Warning, WarningKind, pointer_join};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Convert a 3.1 document, in place, to the 3.0 model. Returns where what it moved
/// was written.
pub(crate) fn convert(
    file: &str,
    doc: &mut Value,
    warnings: &mut Vec<Warning>,
) -> Result<Relocations, Error> {
    let mut groups = Groups::default();
    if let Value::Object(top) = doc {
        document_level(top, warnings);
    }
    let inlined = inline_path_items(file, doc)?;
    let mut reshaped = Vec::new();
    let moved: Result<BTreeMap<String, String>, Error> = (|| {
        let index = refs::Index::build(doc);
        let plan = refs::plan(file, doc, &index, &mut groups, warnings)?;
        warnings.extend(index.into_warnings());
        let origins = refs::relocate(doc, &plan);
        let mut conv = schema::Converter {
            file,
            origins: &origins,
            groups: &mut groups,
            reshaped: &mut reshaped,
        };
        walk_document(doc, &mut conv)?;
        Ok(origins)
    })();
    match moved {
        Ok(moved) => {
            groups.flush(warnings);
            Ok(Relocations {
                inlined,
                moved,
                reshaped,
                normalized: Vec::new(),
            })
        }
        // Inside an inlined path item: the error names where the item was written.
        Err(mut e) => {
            e.pointer = super::map_prefix(&inlined, &e.pointer);
            Err(e)
        }
    }
}

/// Whether a `jsonSchemaDialect` or `$schema` is one whose schemas read as OpenAPI 3.1's.
fn known_dialect(uri: &str) -> bool {
    let uri = uri.trim_end_matches('#');
    uri.starts_with("https://spec.openapis.org/oas/3.1/dialect/")
        || uri == "https://json-schema.org/draft/2020-12/schema"
}

/// Top-level fields 3.0 has no place for.
fn document_level(top: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    if let Some(w) = top.remove("webhooks") {
        let n = w.as_object().map_or(0, Map::len);
        warnings.push(Warning::new(
            WarningKind::Skipped,
            "#/webhooks",
            format!(
                "`webhooks` ({n}) describe requests the API sends, not operations a client calls; skipped"
            ),
        ));
    }
    if let Some(d) = top.remove("jsonSchemaDialect")
        && !d.as_str().is_some_and(known_dialect)
    {
        warnings.push(Warning::new(
            WarningKind::Dialect,
            "#/jsonSchemaDialect",
            format!(
                "`jsonSchemaDialect: {d}` is not the OpenAPI 3.1 base dialect; schemas are read as OpenAPI 3.1 (JSON Schema 2020-12) schemas"
            ),
        ));
    }
    if let Some(Value::Object(info)) = top.get_mut("info") {
        if let Some(Value::String(summary)) = info.remove("summary") {
            let text = match info.get("description").and_then(Value::as_str) {
                Some(d) if !d.trim().is_empty() => format!("{summary}\n\n{d}"),
                _ => summary,
            };
            if !text.trim().is_empty() {
                info.insert("description".into(), Value::String(text));
            }
        }
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    top.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(Value::Object(schemes)) = top
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    {
        let mtls: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(k, _)| k.clone())
            .collect();
        for k in mtls {
            schemes.remove(&k);
            warnings.push(Warning::new(
                WarningKind::Skipped,
                pointer_join("#/components/securitySchemes", &k),
                "security scheme of type `mutualTLS` (client certificates, set up on the HTTP client); skipped",
            ));
        }
    }
}

/// Replace each path item that is a `$ref` to another path item (usually in
/// `components/pathItems`) by a copy of it, the referring item's own fields on top;
/// then drop `components/pathItems`.
fn inline_path_items(file: &str, doc: &mut Value) -> Result<BTreeMap<String, String>, Error> {
    fn refers(v: &Value) -> bool {
        v.get("$ref")
            .and_then(Value::as_str)
            .is_some_and(|r| r.starts_with("#/"))
    }
    // Where path items are: `paths`, and the callbacks of operations and components.
    fn sites(doc: &Value) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let in_item = |item: &Value, base: Vec<String>, out: &mut Vec<Vec<String>>| {
            if refers(item) {
                out.push(base.clone());
            }
            let Some(item) = item.as_object() else { return };
            for (method, op) in item {
                if let Some(Value::Object(cbs)) = op.get("callbacks") {
                    for (name, cb) in cbs {
                        for (expr, inner) in cb.as_object().into_iter().flatten() {
                            if refers(inner) {
                                let mut p = base.clone();
                                p.extend([
                                    method.clone(),
                                    "callbacks".into(),
                                    name.clone(),
                                    expr.clone(),
                                ]);
                                out.push(p);
                            }
                        }
                    }
                }
            }
        };
        if let Some(Value::Object(paths)) = doc.get("paths") {
            for (path, item) in paths {
                in_item(item, vec!["paths".into(), path.clone()], &mut out);
            }
        }
        if let Some(Value::Object(cbs)) = doc.get("components").and_then(|c| c.get("callbacks")) {
            for (name, cb) in cbs {
                for (expr, inner) in cb.as_object().into_iter().flatten() {
                    if refers(inner) {
                        out.push(vec![
                            "components".into(),
                            "callbacks".into(),
                            name.clone(),
                            expr.clone(),
                        ]);
                    }
                }
            }
        }
        out
    }
    let sites = sites(doc);
    // Where each inlined path item was: its site → the item it referred to.
    let mut origins = BTreeMap::new();
    if !sites.is_empty() {
        let snapshot = doc.clone();
        for site in sites {
            let mut cur = refs::get(&snapshot, &site).cloned().unwrap_or(Value::Null);
            let mut seen = Vec::new();
            let mut overlay = Map::new();
            while let Some(r) = cur
                .get("$ref")
                .and_then(Value::as_str)
                .filter(|r| r.starts_with("#/"))
            {
                let r = r.to_string();
                if seen.contains(&r) || seen.len() > 32 {
                    return Err(Error::new(
                        file,
                        refs::pointer(&site),
                        format!(
                            "expected `$ref: '{r}'` to lead to a path item; the references go round in a circle"
                        ),
                    ));
                }
                if let Value::Object(m) = &cur {
                    for (k, v) in m {
                        if k != "$ref" {
                            overlay.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                }
                let target = refs::fragment_tokens(&r[1..]);
                cur = match refs::get(&snapshot, &target) {
                    Some(v @ Value::Object(_)) => v.clone(),
                    _ => {
                        return Err(Error::new(
                            file,
                            refs::pointer(&site),
                            format!(
                                "expected `$ref: '{r}'` to point at a path item in the document; it does not resolve"
                            ),
                        ));
                    }
                };
                seen.push(r);
            }
            if let Value::Object(m) = &mut cur {
                for (k, v) in overlay {
                    m.insert(k, v);
                }
            }
            if let Some(target) = seen.last() {
                origins.insert(refs::pointer(&site), target.clone());
            }
            if let Some(slot) = get_mut(doc, &site) {
                *slot = cur;
            }
        }
    }
    if let Some(Value::Object(c)) = doc.get_mut("components") {
        c.remove("pathItems");
    }
    Ok(origins)
}

fn get_mut<'v>(doc: &'v mut Value, t: &[String]) -> Option<&'v mut Value> {
    let mut cur = doc;
    for token in t {
        cur = match cur {
            Value::Object(m) => m.get_mut(token)?,
            Value::Array(a) => a.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The kinds of grouped warnings: one warning per kind, listing every pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Group {
    FalseSchema,
    NullOnly,
    PrefixItems,
    PatternProperties,
    IfDegraded,
    IfDropped,
    DependentSchemasDegraded,
    DependentSchemasDropped,
    DynamicRef,
    DependentRequired,
    PropertyNames,
    Contains,
    UnevaluatedProperties,
    UnevaluatedItems,
    ContentSchema,
    AdditionalItems,
    TypeListBesideUnion,
    ExamplesNotList,
    ConstOutsideEnum,
    SchemaDialect,
    DefsFromEnclosing,
}

impl Group {
    fn describe(self) -> (WarningKind, &'static str) {
        use WarningKind::*;
        match self {
            Group::FalseSchema => (
                Degraded,
                "the schema `false` (nothing matches) cannot be expressed; generated as serde_json::Value",
            ),
            Group::NullOnly => (
                Degraded,
                "`type: 'null'` alone (only `null` matches) is generated as serde_json::Value",
            ),
            Group::PrefixItems => (
                Degraded,
                "`prefixItems` (a tuple) cannot be expressed; the items are generated as a union of the tuple's item schemas",
            ),
            Group::PatternProperties => (
                Degraded,
                "`patternProperties`: the key patterns are not checked; the values are typed by the pattern schemas, as `additionalProperties`",
            ),
            Group::IfDegraded => (
                Degraded,
                "`if`/`then`/`else` cannot be expressed; the schema is generated as serde_json::Value",
            ),
            Group::IfDropped => (
                Degraded,
                "`if`/`then`/`else` only adds constraints here; dropped (validation is looser)",
            ),
            Group::DependentSchemasDegraded => (
                Degraded,
                "`dependentSchemas` cannot be expressed; the schema is generated as serde_json::Value",
            ),
            Group::DependentSchemasDropped => (
                Degraded,
                "`dependentSchemas` only adds constraints here; dropped (validation is looser)",
            ),
            Group::DynamicRef => (
                Degraded,
                "`$dynamicRef` that does not resolve to one `$dynamicAnchor` cannot be expressed; generated as serde_json::Value",
            ),
            Group::DependentRequired => (
                Degraded,
                "`dependentRequired` is dropped; the fields it requires stay optional",
            ),
            Group::PropertyNames => (
                Degraded,
                "`propertyNames` is dropped; property names are not checked",
            ),
            Group::Contains => (
                Degraded,
                "`contains` (and `minContains`/`maxContains`) is dropped; array contents are not checked",
            ),
            Group::UnevaluatedProperties => (
                Degraded,
                "`unevaluatedProperties` is dropped; properties the schema does not list are not checked",
            ),
            Group::UnevaluatedItems => (
                Degraded,
                "`unevaluatedItems` is dropped; items are not checked beyond `items`",
            ),
            Group::ContentSchema => (
                Degraded,
                "`contentSchema` is dropped; the string's decoded content is not typed",
            ),
            Group::AdditionalItems => (
                Degraded,
                "`additionalItems` without a tuple form of `items` means nothing in JSON Schema 2020-12; dropped",
            ),
            Group::TypeListBesideUnion => (
                Degraded,
                "a list of types beside `oneOf`/`anyOf` cannot be expressed; the `type` list is dropped",
            ),
            Group::ExamplesNotList => (
                Contradiction,
                "`examples` of a schema must be a list; ignored",
            ),
            Group::ConstOutsideEnum => (
                Contradiction,
                "`const` is not one of the `enum` values beside it; `const` is used",
            ),
            Group::SchemaDialect => (
                Dialect,
                "`$schema` names a dialect other than OpenAPI 3.1's; the schema is read as an OpenAPI 3.1 (JSON Schema 2020-12) schema",
            ),
            Group::DefsFromEnclosing => (
                Contradiction,
                "`$ref: '#/$defs/...'` does not resolve from the document's root; read as the `$defs` of the enclosing schema",
            ),
        }
    }
}

/// Grouped warnings, collected during the conversion.
#[derive(Default)]
pub(crate) struct Groups(BTreeMap<Group, Vec<String>>);

impl Groups {
    pub(crate) fn add(&mut self, group: Group, pointer: String) {
        self.0.entry(group).or_default().push(pointer);
    }

    pub(crate) fn add_ptr(&mut self, group: Group, ptr: &Ptr<'_>) {
        self.add(group, ptr.to_string());
    }

    fn flush(self, warnings: &mut Vec<Warning>) {
        for (group, pointers) in self.0 {
            let (kind, message) = group.describe();
            let message = if pointers.len() == 1 {
                message.to_string()
            } else {
                format!(
                    "{message} ({} places: {})",
                    pointers.len(),
                    pointers.join(", ")
                )
            };
            warnings.push(Warning::new(kind, pointers[0].clone(), message));
        }
    }
}
