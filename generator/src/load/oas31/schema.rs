//! One 3.1 schema (JSON Schema 2020-12 with OpenAPI's vocabulary) → a 3.0 Schema Object,
//! children before parents. The table in the parent module says what maps to what.

use super::super::kind_of;
use super::super::normalize::{Ptr, Visit, check_schema_keywords};
use super::{Group, Groups, known_dialect};
use crate::error::{Error, escape_pointer_token};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub(crate) struct Converter<'a> {
    pub file: &'a str,
    /// Components made from `$defs` or referenced schemas → where they were written.
    pub origins: &'a BTreeMap<String, String>,
    pub groups: &'a mut Groups,
    /// Tuples whose members moved under `items`, for [`super::super::Relocations`].
    pub reshaped: &'a mut Vec<Vec<(String, String)>>,
}

impl Visit for Converter<'_> {
    fn schema(&mut self, v: &mut Value, ptr: &Ptr<'_>) -> Result<(), Error> {
        let here = ptr.to_string();
        match self.origins.get(&here) {
            Some(origin) => {
                let origin = origin.clone();
                self.schema(v, &Ptr::Root(&origin), Slot::Plain)
            }
            None => self.schema(v, ptr, Slot::Plain),
        }
    }
}

/// Where a subschema is, for what its position allows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Plain,
    /// A member of `oneOf`/`anyOf`: a `{type: "null"}` member is the parent's business.
    UnionMember,
    /// `additionalProperties`: a boolean is valid 3.0.
    BoolAllowed,
}

/// Keywords that describe a use or a value and never change its type.
pub(crate) const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "nullable",
    "xml",
    "$comment",
];

/// Keywords that only narrow the values a schema accepts (dropping them loosens
/// validation and keeps the Rust type).
const CONSTRAINTS: &[&str] = &[
    "required",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "enum",
    "const",
    "not",
    "dependentRequired",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "if",
];

fn is_annotation(k: &str) -> bool {
    ANNOTATIONS.contains(&k) || k.starts_with("x-")
}

/// Keywords that go with each type when `type: [A, B]` is split into a `oneOf`.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &[
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
        ],
        "number" | "integer" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "discriminator",
        ],
        _ => &[],
    }
}

/// The JSON Schema type of a value.
fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn matches_type(v: &Value, ty: &str) -> bool {
    let t = type_of(v);
    t == ty || (ty == "number" && t == "integer")
}

/// `{type: "null"}` (or `enum: [null]`), annotations aside.
fn is_null_only(v: &Value) -> bool {
    v.as_object().is_some_and(null_only)
}

fn null_only(m: &Map<String, Value>) -> bool {
    let null_type = m.get("type").and_then(Value::as_str) == Some("null");
    let null_enum = m
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_null));
    (null_type || null_enum)
        && m.keys()
            .all(|k| is_annotation(k) || k == "type" || k == "enum")
}

/// Whether a schema only narrows what it is beside (so dropping it keeps the type):
/// constraints, annotations, and properties or items that only narrow in turn.
fn only_constrains(v: &Value, base_type: Option<&str>) -> bool {
    let Value::Object(m) = v else {
        return true;
    };
    m.iter().all(|(k, v)| {
        let k = k.as_str();
        if is_annotation(k) || CONSTRAINTS.contains(&k) || k == "then" || k == "else" {
            return k != "then" && k != "else" || only_constrains(v, base_type);
        }
        match k {
            "type" => base_type.is_some_and(|t| v.as_str() == Some(t)),
            "properties" => v
                .as_object()
                .is_some_and(|p| p.values().all(|s| only_constrains(s, None))),
            "items" => only_constrains(v, None),
            "allOf" | "anyOf" | "oneOf" => v
                .as_array()
                .is_some_and(|a| a.iter().all(|s| only_constrains(s, base_type))),
            _ => false,
        }
    })
}

/// Keep only annotations: the schema becomes `{}` (`serde_json::Value`) with its docs.
fn degrade(obj: &mut Map<String, Value>) {
    obj.retain(|k, _| is_annotation(k) && k != "examples" && k != "$comment");
}

/// Textual media types: a string with one of these is text, not raw bytes.
fn is_text_media(m: &str) -> bool {
    let m = m
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m.starts_with("text/")
        || m == "application/json"
        || m.ends_with("+json")
        || m == "application/xml"
        || m.ends_with("+xml")
        || m == "application/x-www-form-urlencoded"
        || m == "application/yaml"
        || m == "application/javascript"
}

impl Converter<'_> {
    fn schema(&mut self, v: &mut Value, ptr: &Ptr<'_>, slot: Slot) -> Result<(), Error> {
        match v {
            Value::Bool(_) if slot == Slot::BoolAllowed => return Ok(()),
            Value::Bool(true) => {
                *v = Value::Object(Map::new());
                return Ok(());
            }
            Value::Bool(false) => {
                self.groups.add_ptr(Group::FalseSchema, ptr);
                *v = Value::Object(Map::new());
                return Ok(());
            }
            // `openapiv3` reads `null` as an absent optional schema; the 3.0 check
            // refuses it where a schema is required.
            Value::Null => return Ok(()),
            Value::Object(_) => {}
            other => {
                return Err(Error::new(
                    self.file,
                    ptr.to_string(),
                    format!(
                        "expected a schema (a mapping or a boolean), found {}",
                        kind_of(other)
                    ),
                ));
            }
        }
        let Value::Object(obj) = v else {
            return Ok(());
        };
        self.object(obj, ptr)?;
        if slot != Slot::UnionMember && null_only(obj) {
            self.groups.add_ptr(Group::NullOnly, ptr);
            degrade(obj);
            obj.remove("nullable");
        }
        Ok(())
    }

    fn object(&mut self, obj: &mut Map<String, Value>, ptr: &Ptr<'_>) -> Result<(), Error> {
        // Core keywords with no meaning once references are resolved.
        if let Some(s) = obj.remove("$schema")
            && !s.as_str().is_some_and(known_dialect)
        {
            self.groups.add_ptr(Group::SchemaDialect, ptr);
        }
        for k in [
            "$comment",
            "$id",
            "$anchor",
            "$dynamicAnchor",
            "$vocabulary",
            "$defs",
            "definitions",
        ] {
            obj.remove(k);
        }
        self.children(obj, ptr)?;
        // A `$ref` with siblings: in 3.1 the siblings apply too.
        if obj.get("$ref").is_some_and(Value::is_string) && obj.len() > 1 {
            let r = obj.remove("$ref").unwrap_or(Value::Null);
            let mut part = Map::new();
            part.insert("$ref".into(), r);
            let all_of = ptr.key("allOf");
            let mut moves = vec![(all_of.index(0).to_string(), ptr.to_string())];
            match obj.get_mut("allOf") {
                Some(Value::Array(parts)) => {
                    moves.extend(
                        (0..parts.len()).map(|i| {
                            (all_of.index(i + 1).to_string(), all_of.index(i).to_string())
                        }),
                    );
                    parts.insert(0, Value::Object(part));
                }
                _ => {
                    obj.insert("allOf".into(), Value::Array(vec![Value::Object(part)]));
                }
            }
            self.reshaped.push(moves);
        }
        let (types, null) = self.types(obj, ptr)?;
        if null {
            obj.insert("nullable".into(), Value::Bool(true));
        }
        if let Some(c) = obj.remove("const") {
            if obj
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| !e.contains(&c))
            {
                self.groups.add_ptr(Group::ConstOutsideEnum, ptr);
            }
            if types.is_empty() && !obj.contains_key("type") && !c.is_null() {
                obj.insert("type".into(), Value::String(type_of(&c).into()));
            }
            if c.is_null() && types.is_empty() {
                obj.insert("type".into(), Value::String("null".into()));
            }
            obj.insert("enum".into(), Value::Array(vec![c]));
        }
        match obj.remove("examples") {
            Some(Value::Array(examples)) => {
                if !obj.contains_key("example")
                    && let Some(first) = examples.into_iter().next()
                {
                    obj.insert("example".into(), first);
                }
            }
            Some(_) => self.groups.add_ptr(Group::ExamplesNotList, ptr),
            None => {}
        }
        for (exclusive, bound, keep_existing) in [
            (
                "exclusiveMinimum",
                "minimum",
                (|b: f64, n: f64| b > n) as fn(f64, f64) -> bool,
            ),
            ("exclusiveMaximum", "maximum", |b: f64, n: f64| b < n),
        ] {
            if let Some(Value::Number(n)) = obj.get(exclusive).cloned() {
                obj.remove(exclusive);
                let stricter = obj
                    .get(bound)
                    .and_then(Value::as_f64)
                    .zip(n.as_f64())
                    .is_some_and(|(b, n)| keep_existing(b, n));
                if !stricter {
                    obj.insert(bound.into(), Value::Number(n));
                    obj.insert(exclusive.into(), Value::Bool(true));
                }
            }
        }
        self.tuple(obj, ptr);
        self.content(obj, &types);
        self.union_nulls(obj, ptr, &types);
        if self.unsupported(obj, ptr, types.first().map(String::as_str)) {
            return Ok(());
        }
        // The schema is a 3.0 one now (its subschemas were checked as they were
        // converted): checked here, where every keyword is still where it was written,
        // before a type list spreads them over new `oneOf` members.
        check_schema_keywords(self.file, obj, ptr)?;
        if types.len() > 1 {
            self.split_types(obj, ptr, &types);
        }
        Ok(())
    }

    /// Convert the subschemas that stay. (Those of keywords that are dropped or degrade
    /// the schema are left as they are: they go.)
    fn children(&mut self, obj: &mut Map<String, Value>, ptr: &Ptr<'_>) -> Result<(), Error> {
        for (k, child) in obj.iter_mut() {
            let p = ptr.key(k);
            match k.as_str() {
                "properties" | "patternProperties" => {
                    if let Value::Object(m) = child {
                        for (name, s) in m.iter_mut() {
                            self.schema(s, &p.key(name), Slot::Plain)?;
                        }
                    }
                }
                "additionalProperties" | "items" | "additionalItems" => match child {
                    Value::Array(list) if k != "additionalProperties" => {
                        for (i, s) in list.iter_mut().enumerate() {
                            self.schema(s, &p.index(i), Slot::Plain)?;
                        }
                    }
                    _ => self.schema(child, &p, Slot::BoolAllowed)?,
                },
                "not" => self.schema(child, &p, Slot::Plain)?,
                "prefixItems" | "allOf" | "oneOf" | "anyOf" => {
                    let slot = if k == "oneOf" || k == "anyOf" {
                        Slot::UnionMember
                    } else {
                        Slot::Plain
                    };
                    match child {
                        Value::Array(list) => {
                            for (i, s) in list.iter_mut().enumerate() {
                                self.schema(s, &p.index(i), slot)?;
                            }
                        }
                        Value::Null => {}
                        other => {
                            return Err(Error::new(
                                self.file,
                                p.to_string(),
                                format!(
                                    "expected `{k}` to be a list of schemas, found {}",
                                    kind_of(other)
                                ),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Read `type`: the types other than `"null"` (`integer` dropped beside `number`),
    /// and whether `"null"` is one. Writes back a single type; removes a list of several
    /// (split into a `oneOf` at the end).
    fn types(
        &mut self,
        obj: &mut Map<String, Value>,
        ptr: &Ptr<'_>,
    ) -> Result<(Vec<String>, bool), Error> {
        let list = match obj.get("type") {
            None | Some(Value::Null) => return Ok((Vec::new(), false)),
            Some(Value::String(t)) => {
                return Ok((vec![t.clone()], false)).map(|(t, n)| {
                    if t[0] == "null" {
                        (Vec::new(), n)
                    } else {
                        (t, n)
                    }
                });
            }
            Some(Value::Array(list)) => list,
            Some(other) => {
                return Err(Error::new(
                    self.file,
                    ptr.key("type").to_string(),
                    format!(
                        "expected `type` to be a string or a list of strings, found {}",
                        kind_of(other)
                    ),
                ));
            }
        };
        let mut names: Vec<String> = Vec::new();
        let mut null = false;
        for t in list {
            let Some(t) = t.as_str() else {
                return Err(Error::new(
                    self.file,
                    ptr.key("type").to_string(),
                    format!(
                        "expected `type` to be a string or a list of strings, found {} in the list",
                        kind_of(t)
                    ),
                ));
            };
            if t == "null" {
                null = true;
            } else if !names.iter().any(|n| n == t) {
                names.push(t.to_string());
            }
        }
        if names.iter().any(|n| n == "number") {
            names.retain(|n| n != "integer");
        }
        match names.as_slice() {
            [] => {
                obj.insert("type".into(), Value::String("null".into()));
            }
            [one] => {
                obj.insert("type".into(), Value::String(one.clone()));
            }
            _ => {
                obj.remove("type");
            }
        }
        Ok((names, null))
    }

    /// `prefixItems` (and the draft 2019 `items: [...]`) → `items`: a union of the tuple's
    /// schemas and of what may follow them. `items: true/false` alone → `{}`.
    fn tuple(&mut self, obj: &mut Map<String, Value>, ptr: &Ptr<'_>) {
        let legacy = obj.get("items").is_some_and(Value::is_array);
        let prefix = if legacy {
            obj.remove("items")
        } else {
            obj.remove("prefixItems")
        };
        let Some(prefix) = prefix else {
            match obj.get("items") {
                Some(Value::Bool(true)) => {
                    obj.insert("items".into(), Value::Object(Map::new()));
                }
                Some(Value::Bool(false)) => {
                    self.groups.add_ptr(Group::FalseSchema, &ptr.key("items"));
                    obj.insert("items".into(), Value::Object(Map::new()));
                }
                _ => {}
            }
            if obj.remove("additionalItems").is_some() {
                self.groups.add_ptr(Group::AdditionalItems, ptr);
            }
            return;
        };
        let rest = if legacy {
            obj.remove("additionalItems")
        } else {
            obj.remove("items")
        };
        // Each member with where it was written, for errors found after the conversion.
        let (prefix_at, rest_at) = if legacy {
            (ptr.key("items"), ptr.key("additionalItems"))
        } else {
            (ptr.key("prefixItems"), ptr.key("items"))
        };
        let mut members: Vec<(Value, String)> = match prefix {
            Value::Array(list) => list
                .into_iter()
                .enumerate()
                .map(|(i, m)| (m, prefix_at.index(i).to_string()))
                .collect(),
            _ => Vec::new(),
        };
        let max = obj.get("maxItems").and_then(Value::as_u64);
        let more = max.is_none_or(|m| m > members.len() as u64);
        match rest {
            Some(Value::Bool(false)) => {}
            Some(Value::Object(s)) if more => members.push((Value::Object(s), rest_at.to_string())),
            _ if more => members.push((Value::Object(Map::new()), String::new())),
            _ => {}
        }
        let mut unique: Vec<(Value, String)> = Vec::new();
        for (m, at) in members {
            if !unique.iter().any(|(u, _)| *u == m) {
                unique.push((m, at));
            }
        }
        let items_at = ptr.key("items").to_string();
        let items = if unique
            .iter()
            .any(|(m, _)| m.as_object().is_some_and(Map::is_empty))
        {
            Value::Object(Map::new())
        } else if unique.len() == 1 {
            let (m, at) = unique.pop().unwrap_or_default();
            self.reshaped.push(vec![(items_at, at)]);
            m
        } else {
            let one_of = ptr.key("items");
            let one_of = one_of.key("oneOf");
            let (list, moves): (Vec<Value>, Vec<(String, String)>) = unique
                .into_iter()
                .enumerate()
                .map(|(i, (m, at))| (m, (one_of.index(i).to_string(), at)))
                .unzip();
            self.reshaped.push(moves);
            let mut m = Map::new();
            m.insert("oneOf".into(), Value::Array(list));
            Value::Object(m)
        };
        obj.insert("items".into(), items);
        if !obj.contains_key("type") {
            obj.insert("type".into(), Value::String("array".into()));
        }
        self.groups.add_ptr(Group::PrefixItems, ptr);
    }

    /// `contentEncoding` / `contentMediaType` on a string → `format: byte` / `binary`.
    fn content(&mut self, obj: &mut Map<String, Value>, types: &[String]) {
        let encoding = obj.remove("contentEncoding");
        let media = obj.remove("contentMediaType");
        if encoding.is_none() && media.is_none() {
            return;
        }
        let stringy = types.is_empty() || types == ["string"];
        if !stringy || obj.contains_key("format") {
            return;
        }
        let encoding = encoding
            .as_ref()
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let format = match encoding.as_deref() {
            Some("base64" | "base64url") => Some("byte"),
            Some("binary" | "8bit") | None => match media.as_ref().and_then(Value::as_str) {
                Some(m) if !is_text_media(m) => Some("binary"),
                _ => None,
            },
            Some(_) => None,
        };
        if let Some(f) = format {
            obj.insert("format".into(), Value::String(f.into()));
            obj.insert("type".into(), Value::String("string".into()));
        }
    }

    /// `oneOf`/`anyOf` members that only admit `null` make the schema nullable; one
    /// member left is merged in (or referred to through `allOf`).
    fn union_nulls(&mut self, obj: &mut Map<String, Value>, ptr: &Ptr<'_>, types: &[String]) {
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(members)) = obj.get_mut(key) else {
                continue;
            };
            if !members.iter().any(is_null_only) {
                continue;
            }
            // The members that stay, with where each was written.
            let at = ptr.key(key);
            let (kept, written): (Vec<Value>, Vec<String>) = std::mem::take(members)
                .into_iter()
                .enumerate()
                .filter(|(_, m)| !is_null_only(m))
                .map(|(i, m)| (m, at.index(i).to_string()))
                .unzip();
            obj.insert("nullable".into(), Value::Bool(true));
            match kept.len() {
                0 => {
                    obj.remove(key);
                    if types.is_empty() && !obj.contains_key("type") {
                        obj.insert("type".into(), Value::String("null".into()));
                    }
                }
                1 => {
                    obj.remove(key);
                    let (member, written) =
                        kept.into_iter().zip(written).next().unwrap_or_default();
                    self.merge_member(obj, ptr, member, written);
                }
                _ => {
                    self.reshaped.push(
                        written
                            .into_iter()
                            .enumerate()
                            .map(|(i, w)| (at.index(i).to_string(), w))
                            .collect(),
                    );
                    obj.insert(key.into(), Value::Array(kept));
                }
            }
        }
    }

    /// Merge the one member left of a union (written at `written`) into `obj` when
    /// none of its keywords clash; otherwise `allOf: [member]`.
    fn merge_member(
        &mut self,
        obj: &mut Map<String, Value>,
        ptr: &Ptr<'_>,
        member: Value,
        written: String,
    ) {
        let Value::Object(m) = member else {
            return;
        };
        let is_ref = m.contains_key("$ref");
        let clash = m.keys().any(|k| obj.contains_key(k) && !is_annotation(k));
        if is_ref || clash || obj.contains_key("allOf") {
            let part = Value::Object(m);
            let all_of = ptr.key("allOf");
            let new = match obj.get_mut("allOf") {
                Some(Value::Array(parts)) => {
                    parts.push(part);
                    all_of.index(parts.len() - 1).to_string()
                }
                _ => {
                    obj.insert("allOf".into(), Value::Array(vec![part]));
                    all_of.index(0).to_string()
                }
            };
            self.reshaped.push(vec![(new, written)]);
            return;
        }
        let mut moves = Vec::new();
        for (k, v) in m {
            if !obj.contains_key(&k) {
                moves.push((
                    ptr.key(&k).to_string(),
                    format!("{written}/{}", escape_pointer_token(&k)),
                ));
                obj.insert(k, v);
            }
        }
        self.reshaped.push(moves);
    }

    /// Keywords 3.0 has no equivalent for. Returns whether the schema was degraded to
    /// `{}` (nothing else to do then).
    fn unsupported(
        &mut self,
        obj: &mut Map<String, Value>,
        ptr: &Ptr<'_>,
        base_type: Option<&str>,
    ) -> bool {
        if obj.contains_key("$dynamicRef") {
            self.groups.add_ptr(Group::DynamicRef, ptr);
            degrade(obj);
            return true;
        }
        if obj.contains_key("if") || obj.contains_key("then") || obj.contains_key("else") {
            let fine = ["then", "else"]
                .iter()
                .all(|k| obj.get(*k).is_none_or(|b| only_constrains(b, base_type)));
            if fine {
                for k in ["if", "then", "else"] {
                    obj.remove(k);
                }
                self.groups.add_ptr(Group::IfDropped, ptr);
            } else {
                self.groups.add_ptr(Group::IfDegraded, ptr);
                degrade(obj);
                return true;
            }
        }
        if let Some(deps) = obj.get("dependentSchemas") {
            let fine = deps
                .as_object()
                .is_none_or(|m| m.values().all(|s| only_constrains(s, base_type)));
            if fine {
                obj.remove("dependentSchemas");
                self.groups.add_ptr(Group::DependentSchemasDropped, ptr);
            } else {
                self.groups.add_ptr(Group::DependentSchemasDegraded, ptr);
                degrade(obj);
                return true;
            }
        }
        for (keys, group) in [
            (&["dependentRequired"][..], Group::DependentRequired),
            (&["propertyNames"][..], Group::PropertyNames),
            (
                &["contains", "minContains", "maxContains"][..],
                Group::Contains,
            ),
            (&["unevaluatedProperties"][..], Group::UnevaluatedProperties),
            (&["unevaluatedItems"][..], Group::UnevaluatedItems),
            (&["contentSchema"][..], Group::ContentSchema),
        ] {
            let mut found = false;
            for k in keys {
                found |= obj.remove(*k).is_some();
            }
            if found {
                self.groups.add_ptr(group, ptr);
            }
        }
        if let Some(patterns) = obj.remove("patternProperties") {
            let mut values: Vec<Value> = patterns
                .as_object()
                .map(|m| m.values().cloned().collect())
                .unwrap_or_default();
            match obj.remove("additionalProperties") {
                Some(Value::Bool(true)) => values = vec![Value::Bool(true)],
                Some(Value::Object(s)) => values.push(Value::Object(s)),
                _ => {}
            }
            let mut unique: Vec<Value> = Vec::new();
            for v in values {
                if !unique.contains(&v) {
                    unique.push(v);
                }
            }
            let ap = match unique.len() {
                0 => None,
                1 => unique.pop(),
                _ => {
                    let mut m = Map::new();
                    m.insert("anyOf".into(), Value::Array(unique));
                    Some(Value::Object(m))
                }
            };
            if let Some(ap) = ap {
                obj.insert("additionalProperties".into(), ap);
            }
            self.groups.add_ptr(Group::PatternProperties, ptr);
        }
        false
    }

    /// `type: [A, B]` → `oneOf: [{type: A, ...}, {type: B, ...}]`, the keywords of each
    /// type (and the `enum` values of that type) moved into its member.
    fn split_types(&mut self, obj: &mut Map<String, Value>, ptr: &Ptr<'_>, types: &[String]) {
        if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
            self.groups.add_ptr(Group::TypeListBesideUnion, ptr);
            return;
        }
        let values = obj.remove("enum");
        let format = obj.remove("format");
        let mut members = Vec::new();
        for ty in types {
            let mut m = Map::new();
            m.insert("type".into(), Value::String(ty.clone()));
            for k in keywords_of(ty) {
                if let Some(v) = obj.get(*k) {
                    m.insert((*k).into(), v.clone());
                }
            }
            if let Some(Value::String(f)) = &format {
                let numeric = matches!(f.as_str(), "int32" | "int64" | "float" | "double");
                let fits = match ty.as_str() {
                    "string" => !numeric,
                    "integer" | "number" => numeric,
                    _ => false,
                };
                if fits {
                    m.insert("format".into(), Value::String(f.clone()));
                }
            }
            if let Some(Value::Array(values)) = &values {
                let mine: Vec<Value> = values
                    .iter()
                    .filter(|v| matches_type(v, ty))
                    .cloned()
                    .collect();
                if mine.is_empty() {
                    // No value of the enum has this type: the type admits nothing.
                    continue;
                }
                m.insert("enum".into(), Value::Array(mine));
            }
            members.push(Value::Object(m));
        }
        for ty in types {
            for k in keywords_of(ty) {
                obj.remove(*k);
            }
        }
        match members.len() {
            0 => {}
            1 => {
                let m = members.pop().unwrap_or_default();
                if let Value::Object(m) = m {
                    for (k, v) in m {
                        obj.insert(k, v);
                    }
                }
            }
            _ => {
                // Each member holds keywords of the schema itself.
                let one_of = ptr.key("oneOf");
                self.reshaped.push(
                    (0..members.len())
                        .map(|i| (one_of.index(i).to_string(), ptr.to_string()))
                        .collect(),
                );
                obj.insert("oneOf".into(), Value::Array(members));
            }
        }
    }
}
