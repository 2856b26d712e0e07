//! The JSON pass every document goes through before `openapiv3` reads it (after the
//! 3.1 conversion, for 3.1 documents).
//!
//! - `{$ref: X, nullable: true}`: OpenAPI 3.0 ignores siblings of `$ref`, and so does
//!   `openapiv3`, which made a required field typed that way non-optional. The intent is
//!   kept: `{allOf: [{$ref: X}], nullable: true}`, with the annotations beside it
//!   (`description`, `default`, ...); lowering reads a one-part `allOf` as its part.
//! - Response keys that are not status codes (`'20'`, `abc`) are dropped by `openapiv3`
//!   without a word: each gives a warning; `DEFAULT` is read as `default`; `2xx` and
//!   `2XX` side by side (one range twice) keep `2XX`, with a warning.
//! - Every schema keyword `openapiv3` reads is checked for its JSON kind (`minLength`
//!   a non-negative integer, `required` a list of strings, ...), children before
//!   parents. A malformed schema is refused here with the pointer of the keyword, in
//!   one pass: `openapiv3`'s untagged enums would otherwise retry every variant on the
//!   invalid subtree at each level above it, in time doubling per level.
//!
//! [`walk_document`] is the structural walk (where the schemas and responses of a
//! document are) shared with the 3.1 conversion.

use super::kind_of;
use crate::error::{Error, Warning, WarningKind, escape_pointer_token};
use serde_json::{Map, Value};

/// A JSON pointer built lazily: a chain of keys and indices on the stack, turned into a
/// string only for an error or a warning.
#[derive(Clone, Copy)]
pub(crate) enum Ptr<'a> {
    /// An already escaped pointer, `#` or `#/components/schemas/A`.
    Root(&'a str),
    Key(&'a Ptr<'a>, &'a str),
    Index(&'a Ptr<'a>, usize),
}

impl<'a> Ptr<'a> {
    pub(crate) fn key<'b>(&'b self, k: &'b str) -> Ptr<'b>
    where
        'a: 'b,
    {
        Ptr::Key(self, k)
    }

    pub(crate) fn index<'b>(&'b self, i: usize) -> Ptr<'b>
    where
        'a: 'b,
    {
        Ptr::Index(self, i)
    }

    /// The reference tokens (unescaped), for a pointer whose root is `#` or a pointer
    /// into the document.
    pub(crate) fn tokens(&self) -> Vec<String> {
        match self {
            Ptr::Root(s) => s
                .strip_prefix('#')
                .unwrap_or(s)
                .split('/')
                .skip(1)
                .map(|t| t.replace("~1", "/").replace("~0", "~"))
                .collect(),
            Ptr::Key(p, k) => {
                let mut t = p.tokens();
                t.push((*k).to_string());
                t
            }
            Ptr::Index(p, i) => {
                let mut t = p.tokens();
                t.push(i.to_string());
                t
            }
        }
    }

    fn push(&self, out: &mut String) {
        match self {
            Ptr::Root(s) => out.push_str(s),
            Ptr::Key(p, k) => {
                p.push(out);
                out.push('/');
                out.push_str(&escape_pointer_token(k));
            }
            Ptr::Index(p, i) => {
                p.push(out);
                out.push('/');
                out.push_str(&i.to_string());
            }
        }
    }
}

impl std::fmt::Display for Ptr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.push(&mut s);
        f.write_str(&s)
    }
}

/// What [`walk_document`] calls at each place of interest.
pub(crate) trait Visit {
    /// A schema at a schema position outside schemas (a component, a parameter's, a
    /// header's or a media type's `schema`). Subschemas are the visitor's business.
    fn schema(&mut self, v: &mut Value, ptr: &Ptr<'_>) -> Result<(), Error>;
    /// The `responses` of an operation.
    fn responses(&mut self, _m: &mut Map<String, Value>, _ptr: &Ptr<'_>) -> Result<(), Error> {
        Ok(())
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Visit the schemas and responses of a document, in sorted key order (the order of
/// `serde_json`'s maps), skipping Reference Objects.
pub(crate) fn walk_document(doc: &mut Value, vis: &mut impl Visit) -> Result<(), Error> {
    let Value::Object(top) = doc else {
        return Ok(());
    };
    let root = Ptr::Root("#");
    if let Some(Value::Object(paths)) = top.get_mut("paths") {
        let p = root.key("paths");
        for (path, item) in paths.iter_mut() {
            if path.starts_with('/') {
                path_item(item, &p.key(path), vis)?;
            }
        }
    }
    if let Some(Value::Object(c)) = top.get_mut("components") {
        let p = root.key("components");
        for (section, value) in c.iter_mut() {
            let Value::Object(entries) = value else {
                continue;
            };
            let sp = p.key(section);
            for (name, v) in entries.iter_mut() {
                let ep = sp.key(name);
                match section.as_str() {
                    "schemas" => vis.schema(v, &ep)?,
                    "responses" => response(v, &ep, vis)?,
                    "parameters" | "headers" => parameter(v, &ep, vis)?,
                    "requestBodies" => request_body(v, &ep, vis)?,
                    "callbacks" => callback(v, &ep, vis)?,
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

fn is_ref(v: &Value) -> bool {
    v.get("$ref").is_some_and(Value::is_string)
}

fn path_item(v: &mut Value, ptr: &Ptr<'_>, vis: &mut impl Visit) -> Result<(), Error> {
    if is_ref(v) {
        return Ok(());
    }
    let Value::Object(item) = v else {
        return Ok(());
    };
    for (k, child) in item.iter_mut() {
        let p = ptr.key(k);
        if k == "parameters" {
            list(child, &p, vis, parameter)?;
        } else if METHODS.contains(&k.as_str()) {
            operation(child, &p, vis)?;
        }
    }
    Ok(())
}

fn list<V: Visit>(
    v: &mut Value,
    ptr: &Ptr<'_>,
    vis: &mut V,
    f: fn(&mut Value, &Ptr<'_>, &mut V) -> Result<(), Error>,
) -> Result<(), Error> {
    if let Value::Array(a) = v {
        for (i, x) in a.iter_mut().enumerate() {
            f(x, &ptr.index(i), vis)?;
        }
    }
    Ok(())
}

fn map<V: Visit>(
    v: &mut Value,
    ptr: &Ptr<'_>,
    vis: &mut V,
    f: fn(&mut Value, &Ptr<'_>, &mut V) -> Result<(), Error>,
) -> Result<(), Error> {
    if let Value::Object(m) = v {
        for (k, x) in m.iter_mut() {
            f(x, &ptr.key(k), vis)?;
        }
    }
    Ok(())
}

fn operation(v: &mut Value, ptr: &Ptr<'_>, vis: &mut impl Visit) -> Result<(), Error> {
    let Value::Object(op) = v else {
        return Ok(());
    };
    for (k, child) in op.iter_mut() {
        let p = ptr.key(k);
        match k.as_str() {
            "parameters" => list(child, &p, vis, parameter)?,
            "requestBody" => request_body(child, &p, vis)?,
            "responses" => {
                if let Value::Object(m) = child {
                    vis.responses(m, &p)?;
                    for (code, r) in m.iter_mut() {
                        if !code.starts_with("x-") {
                            response(r, &p.key(code), vis)?;
                        }
                    }
                }
            }
            "callbacks" => map(child, &p, vis, callback)?,
            _ => {}
        }
    }
    Ok(())
}

fn callback(v: &mut Value, ptr: &Ptr<'_>, vis: &mut impl Visit) -> Result<(), Error> {
    if is_ref(v) {
        return Ok(());
    }
    if let Value::Object(m) = v {
        for (expr, item) in m.iter_mut() {
            if !expr.starts_with("x-") {
                path_item(item, &ptr.key(expr), vis)?;
            }
        }
    }
    Ok(())
}

/// Parameters and headers: `schema`, or `content`.
fn parameter(v: &mut Value, ptr: &Ptr<'_>, vis: &mut impl Visit) -> Result<(), Error> {
    if is_ref(v) {
        return Ok(());
    }
    let Value::Object(m) = v else {
        return Ok(());
    };
    for (k, child) in m.iter_mut() {
        let p = ptr.key(k);
        match k.as_str() {
            "schema" => vis.schema(child, &p)?,
            "content" => map(child, &p, vis, media_type)?,
            _ => {}
        }
    }
    Ok(())
}

fn request_body(v: &mut Value, ptr: &Ptr<'_>, vis: &mut impl Visit) -> Result<(), Error> {
    if is_ref(v) {
        return Ok(());
    }
    if let Some(content) = v.get_mut("content") {
        map(content, &ptr.key("content"), vis, media_type)?;
    }
    Ok(())
}

fn response(v: &mut Value, ptr: &Ptr<'_>, vis: &mut impl Visit) -> Result<(), Error> {
    if is_ref(v) {
        return Ok(());
    }
    let Value::Object(m) = v else {
        return Ok(());
    };
    for (k, child) in m.iter_mut() {
        let p = ptr.key(k);
        match k.as_str() {
            "headers" => map(child, &p, vis, parameter)?,
            "content" => map(child, &p, vis, media_type)?,
            _ => {}
        }
    }
    Ok(())
}

fn media_type(v: &mut Value, ptr: &Ptr<'_>, vis: &mut impl Visit) -> Result<(), Error> {
    let Value::Object(m) = v else {
        return Ok(());
    };
    for (k, child) in m.iter_mut() {
        let p = ptr.key(k);
        match k.as_str() {
            "schema" => vis.schema(child, &p)?,
            "encoding" => {
                if let Value::Object(encodings) = child {
                    for (name, enc) in encodings.iter_mut() {
                        let ep = p.key(name);
                        if let Some(h) = enc.get_mut("headers") {
                            map(h, &ep.key("headers"), vis, parameter)?;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Run the normalisation pass over `doc`. Returns the schemas it reshaped, as
/// [`super::Relocations`] keeps them.
pub(crate) fn normalize(
    file: &str,
    doc: &mut Value,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Vec<(String, String)>>, Error> {
    // `openapiv3` reads only paths that start with `/` (and `x-` extensions).
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        let odd: Vec<String> = paths
            .keys()
            .filter(|k| !k.starts_with('/') && !k.starts_with("x-"))
            .cloned()
            .collect();
        for k in odd {
            paths.remove(&k);
            warnings.push(Warning::new(
                WarningKind::Skipped,
                Ptr::Root("#/paths").key(&k).to_string(),
                format!("path `{k}` does not start with `/`; skipped"),
            ));
        }
    }
    let mut n = Normalizer {
        file,
        warnings,
        reshaped: Vec::new(),
    };
    match walk_document(doc, &mut n) {
        Ok(()) => Ok(n.reshaped),
        Err(mut e) => {
            e.pointer = super::unshape(&n.reshaped, e.pointer);
            Err(e)
        }
    }
}

struct Normalizer<'w> {
    file: &'w str,
    warnings: &'w mut Vec<Warning>,
    /// `{$ref, nullable}` schemas whose reference moved into `allOf`.
    reshaped: Vec<Vec<(String, String)>>,
}

impl Visit for Normalizer<'_> {
    fn schema(&mut self, v: &mut Value, ptr: &Ptr<'_>) -> Result<(), Error> {
        self.schema_at(v, ptr, true)
    }

    fn responses(&mut self, m: &mut Map<String, Value>, ptr: &Ptr<'_>) -> Result<(), Error> {
        if let Some(key) = response_keys(m, ptr, self.warnings) {
            self.reshaped.push(vec![(
                ptr.key("default").to_string(),
                ptr.key(&key).to_string(),
            )]);
        }
        Ok(())
    }
}

/// Annotations kept beside `allOf: [{$ref}]` when a `$ref` with `nullable: true` is
/// rewritten; they describe the use, not the referenced type.
pub(crate) const REF_ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "default",
    "example",
    "externalDocs",
];

impl Normalizer<'_> {
    /// `optional`: the position may hold `null` (an `Option` in `openapiv3`).
    fn schema_at(&mut self, v: &mut Value, ptr: &Ptr<'_>, optional: bool) -> Result<(), Error> {
        let obj = match v {
            Value::Object(obj) => obj,
            Value::Null if optional => return Ok(()),
            other => {
                return Err(Error::new(
                    self.file,
                    ptr.to_string(),
                    format!(
                        "expected a Schema Object (a mapping), found {}",
                        kind_of(other)
                    ),
                ));
            }
        };
        if obj.get("$ref").is_some_and(Value::is_string) {
            if obj.get("nullable") != Some(&Value::Bool(true)) {
                // A Reference Object: `openapiv3` reads `$ref` alone, as OpenAPI 3.0 says.
                return Ok(());
            }
            self.nullable_ref(obj, ptr);
        }
        for (k, child) in obj.iter_mut() {
            match k.as_str() {
                "properties" => {
                    if let Value::Object(props) = child {
                        let p = ptr.key(k);
                        for (name, s) in props.iter_mut() {
                            self.schema_at(s, &p.key(name), false)?;
                        }
                    }
                }
                "items" | "not" => self.schema_at(child, &ptr.key(k), true)?,
                "additionalProperties" if !child.is_boolean() => {
                    self.schema_at(child, &ptr.key(k), true)?
                }
                "allOf" | "oneOf" | "anyOf" => {
                    if let Value::Array(parts) = child {
                        let p = ptr.key(k);
                        for (i, s) in parts.iter_mut().enumerate() {
                            self.schema_at(s, &p.index(i), false)?;
                        }
                    }
                }
                _ => {}
            }
        }
        check_schema_keywords(self.file, obj, ptr)
    }

    /// `{$ref: X, nullable: true, ...}` → `{allOf: [{$ref: X}], nullable: true, ...}`,
    /// keeping the annotations; other siblings are dropped (OpenAPI 3.0 ignores them),
    /// with a warning.
    fn nullable_ref(&mut self, obj: &mut Map<String, Value>, ptr: &Ptr<'_>) {
        let reference = obj.remove("$ref").unwrap_or(Value::Null);
        let mut dropped = Vec::new();
        obj.retain(|k, _| {
            let keep = REF_ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-");
            if !keep && k != "type" {
                dropped.push(format!("`{k}`"));
            }
            keep
        });
        let mut part = Map::new();
        part.insert("$ref".into(), reference);
        obj.insert("allOf".into(), Value::Array(vec![Value::Object(part)]));
        self.reshaped.push(vec![(
            ptr.key("allOf").index(0).to_string(),
            ptr.to_string(),
        )]);
        if !dropped.is_empty() {
            self.warnings.push(Warning::new(
                WarningKind::Contradiction,
                ptr.to_string(),
                format!(
                    "`$ref` with `nullable: true` is read as a nullable reference (`allOf: [$ref]`); its other siblings are ignored, as OpenAPI 3.0 says: {}",
                    dropped.join(", ")
                ),
            ));
        }
    }
}

/// What a keyword's value must be for `openapiv3` to read the schema.
enum Expect {
    Bool,
    OptBool,
    OptString,
    OptNumber,
    OptCount,
    OptStrings,
    OptList,
    OptMap,
    OptSchema,
    OptSchemaOrBool,
    OptDiscriminator,
    OptExternalDocs,
}

impl Expect {
    fn what(&self) -> &'static str {
        match self {
            Expect::Bool => "a boolean",
            Expect::OptBool => "a boolean",
            Expect::OptString => "a string",
            Expect::OptNumber => "a number",
            Expect::OptCount => "a non-negative integer",
            Expect::OptStrings => "a list of strings",
            Expect::OptList => "a list",
            Expect::OptMap => "a mapping",
            Expect::OptSchema => "a schema (a mapping)",
            Expect::OptSchemaOrBool => "a schema (a mapping) or a boolean",
            Expect::OptDiscriminator => {
                "a Discriminator Object (a mapping with a string `propertyName` and a `mapping` of strings)"
            }
            Expect::OptExternalDocs => {
                "an External Documentation Object (a mapping with a string `url`)"
            }
        }
    }

    fn accepts(&self, v: &Value) -> bool {
        if v.is_null() && !matches!(self, Expect::Bool) {
            return true;
        }
        match self {
            Expect::Bool | Expect::OptBool => v.is_boolean(),
            Expect::OptString => v.is_string(),
            Expect::OptNumber => v.is_number(),
            Expect::OptCount => v.as_u64().is_some_and(|n| usize::try_from(n).is_ok()),
            Expect::OptStrings => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
            Expect::OptList => v.is_array(),
            Expect::OptMap | Expect::OptSchema => v.is_object(),
            Expect::OptSchemaOrBool => v.is_object() || v.is_boolean(),
            Expect::OptDiscriminator => v.as_object().is_some_and(|d| {
                d.get("propertyName").is_some_and(Value::is_string)
                    && match d.get("mapping") {
                        None | Some(Value::Null) => true,
                        Some(Value::Object(m)) => m.values().all(Value::is_string),
                        Some(_) => false,
                    }
            }),
            Expect::OptExternalDocs => v.as_object().is_some_and(|d| {
                d.get("url").is_some_and(Value::is_string)
                    && d.get("description")
                        .is_none_or(|x| x.is_string() || x.is_null())
            }),
        }
    }
}

fn expectation(keyword: &str) -> Option<Expect> {
    Some(match keyword {
        "nullable" | "readOnly" | "writeOnly" | "deprecated" => Expect::Bool,
        "exclusiveMinimum" | "exclusiveMaximum" | "uniqueItems" => Expect::OptBool,
        "title" | "description" | "type" | "pattern" | "format" => Expect::OptString,
        "multipleOf" | "minimum" | "maximum" => Expect::OptNumber,
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            Expect::OptCount
        }
        "required" => Expect::OptStrings,
        "enum" | "allOf" | "oneOf" | "anyOf" => Expect::OptList,
        "properties" => Expect::OptMap,
        "items" | "not" => Expect::OptSchema,
        "additionalProperties" => Expect::OptSchemaOrBool,
        "discriminator" => Expect::OptDiscriminator,
        "externalDocs" => Expect::OptExternalDocs,
        _ => return None,
    })
}

/// Check the JSON kind of every keyword of a (3.0) schema that `openapiv3` reads.
pub(crate) fn check_schema_keywords(
    file: &str,
    obj: &Map<String, Value>,
    ptr: &Ptr<'_>,
) -> Result<(), Error> {
    for (k, v) in obj {
        let Some(expect) = expectation(k) else {
            continue;
        };
        if !expect.accepts(v) {
            return Err(Error::new(
                file,
                ptr.key(k).to_string(),
                format!(
                    "expected `{k}` to be {}, found {}",
                    expect.what(),
                    kind_of(v)
                ),
            ));
        }
    }
    Ok(())
}

/// Whether `openapiv3` reads `key` as a status code or range (`200`, `2XX`).
fn is_status_key(key: &str) -> bool {
    let b = key.as_bytes();
    if b.len() != 3 {
        return false;
    }
    if let Ok(n) = key.parse::<u16>() {
        return (100..1000).contains(&n);
    }
    b[0].is_ascii_digit() && b[1].eq_ignore_ascii_case(&b'x') && b[2].eq_ignore_ascii_case(&b'x')
}

/// Warn about response keys `openapiv3` would drop or merge silently, and make the
/// tree say what is read: `DEFAULT` becomes `default`, `2xx` beside `2XX` and keys that
/// are not status codes are removed. Returns the key read as `default`, if any.
fn response_keys(
    m: &mut Map<String, Value>,
    ptr: &Ptr<'_>,
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    let mut remove = Vec::new();
    let mut rename = None;
    for key in m.keys() {
        if key == "default" || key.starts_with("x-") {
            continue;
        }
        if is_status_key(key) {
            // `2xx` and `2XX` are one range to `openapiv3`; keep the upper-case one.
            let upper = key.to_ascii_uppercase();
            if upper != *key && m.contains_key(&upper) {
                warnings.push(Warning::new(
                    WarningKind::Contradiction,
                    ptr.key(key).to_string(),
                    format!("response `{key}` is the same range as `{upper}`, which is also listed; `{upper}` is used and `{key}` is ignored"),
                ));
                remove.push(key.clone());
            }
            continue;
        }
        if key.eq_ignore_ascii_case("default") && !m.contains_key("default") && rename.is_none() {
            warnings.push(Warning::new(
                WarningKind::Contradiction,
                ptr.key(key).to_string(),
                format!("response key `{key}` is read as `default` (keys are case-sensitive)"),
            ));
            rename = Some(key.clone());
            continue;
        }
        warnings.push(Warning::new(
            WarningKind::Contradiction,
            ptr.key(key).to_string(),
            format!("response key `{key}` is not an HTTP status code (three digits), a range like `2XX`, or `default`; this response is ignored"),
        ));
        remove.push(key.clone());
    }
    for key in remove {
        m.remove(&key);
    }
    let key = rename?;
    let v = m.remove(&key)?;
    m.insert("default".into(), v);
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(mut doc: Value) -> Result<(Value, Vec<Warning>), Error> {
        let mut w = Vec::new();
        normalize("s.yaml", &mut doc, &mut w)?;
        Ok((doc, w))
    }

    fn doc_with_schema(schema: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"A": schema}}})
    }

    #[test]
    fn nullable_ref_becomes_all_of() {
        let (doc, w) = run(doc_with_schema(json!({"type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/B", "nullable": true, "description": "d"},
            "b": {"$ref": "#/components/schemas/B", "description": "ignored, as 3.0 says"},
        }})))
        .unwrap();
        assert!(w.is_empty(), "{w:?}");
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(
            props["a"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true, "description": "d"})
        );
        assert_eq!(
            props["b"],
            json!({"$ref": "#/components/schemas/B", "description": "ignored, as 3.0 says"})
        );
    }

    #[test]
    fn nullable_ref_drops_other_siblings_with_a_warning() {
        let (doc, w) = run(doc_with_schema(
            json!({"$ref": "#/components/schemas/B", "nullable": true, "type": "object", "minProperties": 1}),
        ))
        .unwrap();
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true})
        );
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].pointer, "#/components/schemas/A");
        assert!(w[0].message.contains("`minProperties`"), "{}", w[0].message);
        assert!(!w[0].message.contains("`type`"), "{}", w[0].message);
    }

    #[test]
    fn paths_must_start_with_a_slash() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"pets": {"get": {"responses": {"200": {"description": "ok"}}}}, "x-a": 1, "/b": {}}});
        let (doc, w) = run(doc).unwrap();
        assert_eq!(doc["paths"], json!({"x-a": 1, "/b": {}}));
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].kind, w[0].pointer.as_str()),
            (WarningKind::Skipped, "#/paths/pets")
        );
    }

    #[test]
    fn response_keys() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {
            "200": {"description": "ok"}, "20": {"description": "x"}, "abc": {"description": "x"},
            "DEFAULT": {"description": "d"}, "2xx": {"description": "l"}, "2XX": {"description": "u"},
            "x-ext": 1, "4xx": {"description": "only lower case"}
        }}}}});
        let (doc, w) = run(doc).unwrap();
        let r = &doc["paths"]["/a"]["get"]["responses"];
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["200", "2XX", "4xx", "default", "x-ext"]);
        assert_eq!(r["default"]["description"], "d");
        assert_eq!(r["2XX"]["description"], "u");
        let got: Vec<(&str, WarningKind)> =
            w.iter().map(|w| (w.pointer.as_str(), w.kind)).collect();
        assert_eq!(
            got,
            [
                ("#/paths/~1a/get/responses/20", WarningKind::Contradiction),
                ("#/paths/~1a/get/responses/2xx", WarningKind::Contradiction),
                (
                    "#/paths/~1a/get/responses/DEFAULT",
                    WarningKind::Contradiction
                ),
                ("#/paths/~1a/get/responses/abc", WarningKind::Contradiction),
            ]
        );
        assert!(
            w[3].message.contains("not an HTTP status code"),
            "{}",
            w[3].message
        );
    }

    #[test]
    fn keyword_kinds_are_checked_with_pointer() {
        let cases = [
            (
                json!({"type": 5}),
                "#/components/schemas/A/type",
                "a string",
            ),
            (
                json!({"properties": {"x": {"minLength": -1}}}),
                "#/components/schemas/A/properties/x/minLength",
                "non-negative",
            ),
            (
                json!({"required": [1]}),
                "#/components/schemas/A/required",
                "list of strings",
            ),
            (
                json!({"nullable": null}),
                "#/components/schemas/A/nullable",
                "boolean",
            ),
            (
                json!({"items": {"allOf": [{"oneOf": ["x"]}]}}),
                "#/components/schemas/A/items/allOf/0/oneOf/0",
                "Schema Object",
            ),
            (
                json!({"discriminator": {"mapping": {}}}),
                "#/components/schemas/A/discriminator",
                "propertyName",
            ),
            (
                json!({"additionalProperties": 3}),
                "#/components/schemas/A/additionalProperties",
                "Schema Object",
            ),
        ];
        for (schema, pointer, what) in cases {
            let e = run(doc_with_schema(schema.clone())).unwrap_err();
            assert_eq!(e.pointer, pointer, "{schema}: {e}");
            assert!(e.message.contains(what), "{schema}: {e}");
        }
        // Nulls where `openapiv3` reads an `Option`, and siblings of a `$ref`, are fine.
        run(doc_with_schema(
            json!({"description": null, "items": null, "enum": null}),
        ))
        .unwrap();
        run(doc_with_schema(json!({"$ref": "#/x", "type": 5}))).unwrap();
    }
}
