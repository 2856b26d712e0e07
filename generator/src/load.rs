//! Loading: text (YAML or JSON) → JSON tree → normalised JSON tree →
//! [`openapiv3::OpenAPI`], with errors that name the file and the JSON pointer of the
//! node that could not be read.
//!
//! The steps:
//!
//! 1. `parse`: the text becomes a `serde_json::Value` (YAML through `serde_yaml`);
//!    duplicate keys are warned about.
//! 2. The `openapi` field picks the version: 3.0.x is read as it is, 3.1.x is converted
//!    to the 3.0 model first (`oas31`), anything else is refused.
//! 3. `normalize` works around 3.0 quirks that `openapiv3` would otherwise lose
//!    silently (siblings of `$ref`, response keys that are not status codes) and checks
//!    the JSON kind of every schema keyword, so that a malformed schema is refused with
//!    its pointer in linear time.
//! 4. `openapiv3::OpenAPI` is deserialized from the tree; when that fails, `refine`
//!    finds the deepest node that does not fit.
//!
//! Pure: the caller reads the file and passes its name and text.

mod normalize;
mod oas31;
mod parse;
mod read;
mod refine;
#[cfg(test)]
mod tests31;

use crate::error::{Error, Warning, escape_pointer_token};
use std::collections::BTreeMap;

/// A parsed OpenAPI document (3.0, or 3.1 converted to the 3.0 model) and the name of
/// the file it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file name as the user gave it; used in error messages.
    pub file: String,
    pub doc: openapiv3::OpenAPI,
    /// SHA-256 of the text the document was parsed from, as 64 lower-case hex digits.
    /// Written into the `@generated` headers and `surface.json`, so generated code names
    /// the exact spec it came from.
    pub sha256: String,
    /// What loading changed or could not keep (3.1 constructs converted to looser 3.0
    /// ones, quirks worked around), each with the pointer of the construct in the
    /// document as written. Lowering starts its warnings with these.
    pub warnings: Vec<Warning>,
    /// The document as JSON, in the normalised (3.0) form `doc` was read from. For tools
    /// that need what `openapiv3` drops (examples, extensions); map keys are sorted.
    pub raw: serde_json::Value,
    /// What loading moved (the 3.1 conversion, `{$ref, nullable}` made `allOf`), so
    /// that errors and warnings name the document as written.
    pub relocated: Relocations,
}

/// Where loading moved things from: path items inlined where they were referenced,
/// schemas moved into `components/schemas` (`$defs`, targets of `$id` and anchor
/// references), schemas reshaped in place (tuple members under `items: {oneOf}`, a
/// type list split into `oneOf` members, a `$ref` with siblings or `nullable` moved into
/// `allOf`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relocations {
    /// Inlined path items: pointer after inlining → pointer as written.
    pub(crate) inlined: BTreeMap<String, String>,
    /// Moved schemas: pointer in `doc` → pointer after inlining.
    pub(crate) moved: BTreeMap<String, String>,
    /// Schemas reshaped in place, in the order they were converted (children before
    /// parents), each a list of (new pointer, old pointer) for its moved members. The
    /// pointers are those after inlining, with moved schemas at their old place.
    pub(crate) reshaped: Vec<Vec<(String, String)>>,
    /// Schemas the normalisation pass reshaped (3.0 and 3.1), after everything above,
    /// with pointers into `doc`.
    pub(crate) normalized: Vec<Vec<(String, String)>>,
}

impl Relocations {
    /// `pointer` (into [`Spec::doc`]) as a pointer into the document as written.
    pub fn original_pointer(&self, pointer: &str) -> String {
        let p = unshape(&self.normalized, pointer.to_string());
        let p = map_prefix(&self.moved, &p);
        let p = unshape(&self.reshaped, p);
        map_prefix(&self.inlined, &p)
    }
}

/// `pointer` before the reshapings: the outermost happened last, so it is undone
/// first, then those inside; each at most once.
pub(crate) fn unshape(reshaped: &[Vec<(String, String)>], mut pointer: String) -> String {
    for members in reshaped.iter().rev() {
        if let Some(q) = members
            .iter()
            .find_map(|(new, old)| replace_prefix(&pointer, new, old))
        {
            pointer = q;
        }
    }
    pointer
}

/// `pointer` with `from` (a whole-token prefix of it) replaced by `to`.
fn replace_prefix(pointer: &str, from: &str, to: &str) -> Option<String> {
    let rest = pointer.strip_prefix(from)?;
    (rest.is_empty() || rest.starts_with('/')).then(|| format!("{to}{rest}"))
}

/// `pointer` with the longest key of `map` that prefixes it replaced by its value.
pub(crate) fn map_prefix(map: &BTreeMap<String, String>, pointer: &str) -> String {
    map.iter()
        .filter_map(|(from, to)| Some((from.len(), replace_prefix(pointer, from, to)?)))
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| pointer.to_string(), |(_, p)| p)
}

impl Spec {
    /// `pointer` (into [`Spec::doc`]) as a pointer into the document as written: the
    /// same unless it is inside something the 3.1 conversion moved.
    pub fn original_pointer(&self, pointer: &str) -> String {
        self.relocated.original_pointer(pointer)
    }
}

/// The OpenAPI versions [`load`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V30,
    V31,
}

/// Parse `text` (YAML or JSON; JSON is valid YAML but is parsed with `serde_json` when it
/// looks like JSON, for speed and better messages) into a [`Spec`].
///
/// Errors name `file`, the JSON pointer of the node at fault and what was expected:
/// syntax errors (with line and column), documents that are not OpenAPI 3.0.x or 3.1.x,
/// and nodes whose shape does not match the OpenAPI schema.
pub fn load(file: &str, text: &str) -> Result<Spec, Error> {
    let is_json = text.trim_start().starts_with('{');
    let mut warnings = Vec::new();
    let mut raw = parse::parse(file, text, is_json, &mut warnings)?;
    let version = check_version(file, &raw)?;
    let mut relocated = match version {
        Version::V31 => oas31::convert(file, &mut raw, &mut warnings)?,
        Version::V30 => Relocations::default(),
    };
    // Errors from here on name the document as written, also inside moved schemas.
    let warnings_before = warnings.len();
    relocated.normalized = match normalize::normalize(file, &mut raw, &mut warnings) {
        Ok(reshaped) => reshaped,
        Err(mut e) => {
            e.pointer = relocated.original_pointer(&e.pointer);
            return Err(e);
        }
    };
    for w in &mut warnings[warnings_before..] {
        w.pointer = relocated.original_pointer(&w.pointer);
    }
    let at_origin = |mut e: Error| {
        e.pointer = relocated.original_pointer(&e.pointer);
        e
    };
    let doc = read_document(file, &raw, version).map_err(at_origin)?;
    Ok(Spec {
        file: file.to_string(),
        doc,
        sha256: sha256_hex(text),
        warnings,
        raw,
        relocated,
    })
}

/// The reference point for the speed of [`load`]: the text parsed straight into
/// `openapiv3::OpenAPI` by serde, as the loader did before it read documents through a
/// JSON tree (no normalisation, no checks, no 3.1). For benchmarks only.
#[doc(hidden)]
pub fn load_plain(text: &str) -> Option<openapiv3::OpenAPI> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml::from_str(text).ok()
    }
}

/// `openapiv3::OpenAPI` from the normalised tree; on failure, the error of the deepest
/// node that does not fit.
fn read_document(
    file: &str,
    raw: &serde_json::Value,
    version: Version,
) -> Result<openapiv3::OpenAPI, Error> {
    use serde::Deserialize as _;
    // The fast path reads once, without tracking paths.
    if let Some(doc) = read::document(raw) {
        return Ok(doc);
    }
    // What the fast path refuses is read as a whole before looking for the failure.
    if let Ok(doc) = openapiv3::OpenAPI::deserialize(raw) {
        return Ok(doc);
    }
    let (pointer, message) = match refine::deepest_failure(raw) {
        Some(found) => found,
        None => {
            let e = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw)
                .err()
                .map(|e| (to_pointer(e.path()), e.into_inner().to_string()));
            e.unwrap_or_else(|| ("#".to_string(), "not a valid OpenAPI document".to_string()))
        }
    };
    let message = match version {
        Version::V30 => message,
        Version::V31 => format!("{message} (in the document converted from OpenAPI 3.1 to 3.0)"),
    };
    Err(Error::new(file, pointer, message))
}

/// SHA-256 of `text` (its UTF-8 bytes) as lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The document must be a mapping with `openapi: 3.0.x` or `openapi: 3.1.x`; a Swagger
/// 2.0 document or another version gets a message saying so rather than a confusing
/// shape error.
fn check_version(file: &str, doc: &serde_json::Value) -> Result<Version, Error> {
    use serde_json::Value;
    let Value::Object(top) = doc else {
        return Err(Error::new(
            file,
            "#",
            format!(
                "expected a mapping (an OpenAPI 3.0 or 3.1 document) at the top level, found {}",
                kind_of(doc)
            ),
        ));
    };
    if let Some(v) = top.get("swagger") {
        return Err(Error::new(
            file,
            "#/swagger",
            format!(
                "expected an OpenAPI 3.0.x or 3.1.x document, found Swagger {v}; convert it to OpenAPI 3.0 first"
            ),
        ));
    }
    match top.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => Ok(Version::V30),
        Some(Value::String(v)) if v.starts_with("3.1.") || v == "3.1" => Ok(Version::V31),
        Some(Value::String(v)) => Err(Error::new(
            file,
            "#/openapi",
            format!(
                "expected an OpenAPI version \"3.0.x\" or \"3.1.x\", found \"{v}\"; other versions are not supported"
            ),
        )),
        Some(v @ Value::Number(_)) => Err(Error::new(
            file,
            "#/openapi",
            format!(
                "expected the OpenAPI version as a string (\"3.0.x\" or \"3.1.x\"), found the number {v}; quote it"
            ),
        )),
        Some(v) => Err(Error::new(
            file,
            "#/openapi",
            format!(
                "expected an OpenAPI version \"3.0.x\" or \"3.1.x\", found {}",
                kind_of(v)
            ),
        )),
        None => Err(Error::new(
            file,
            "#/openapi",
            "expected the field `openapi: 3.0.x` or `openapi: 3.1.x`; this is not an OpenAPI 3 document",
        )),
    }
}

/// "a string `x`", "the number 5", ... for messages.
pub(crate) fn kind_of(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    }
}

/// Turn a `serde_path_to_error` path into a JSON pointer.
fn to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("#");
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push('/');
                out.push_str(&escape_pointer_token(key));
            }
            Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_inside_a_nullable_ref_name_the_ref_as_written() {
        // `{$ref, nullable}` is read as `allOf: [{$ref}]`; a bad reference found by
        // lowering names the schema that holds it in the document.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: other.yaml, nullable: true}\n";
        let spec = load("s.yaml", text).unwrap_or_else(|e| panic!("{e}"));
        let e = crate::generate(&spec, &crate::Settings::default()).unwrap_err();
        assert_eq!(e.pointer, "#/components/schemas/A/properties/b", "{e}");
    }

    #[test]
    fn errors_inside_renamed_responses_and_merged_union_members_name_them_as_written() {
        // `DEFAULT` is read as `default`.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses:\n        DEFAULT:\n          description: d\n          content: {application/json: {schema: string}}\n";
        let e = load("s.yaml", text).unwrap_err();
        assert_eq!(
            e.pointer, "#/paths/~1a/get/responses/DEFAULT/content/application~1json/schema",
            "{e}"
        );
        // `anyOf: [{$ref}, {type: null}]` is read as a nullable `allOf: [{$ref}]`.
        let text = "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {anyOf: [{type: 'null'}, {$ref: '#/components/schemas/Gone'}], title: B}\n";
        let spec = load("s.yaml", text).unwrap_or_else(|e| panic!("{e}"));
        let e = crate::generate(&spec, &crate::Settings::default()).unwrap_err();
        assert_eq!(
            e.pointer, "#/components/schemas/A/properties/b/anyOf/1",
            "{e}"
        );
    }

    #[test]
    fn rejects_swagger_2() {
        let e = load(
            "s.yaml",
            "swagger: '2.0'\ninfo: {title: t, version: v}\npaths: {}\n",
        )
        .unwrap_err();
        assert_eq!(e.pointer, "#/swagger");
        assert!(e.message.contains("OpenAPI 3.0"), "{e}");
    }

    #[test]
    fn accepts_openapi_3_1() {
        let s = load(
            "s.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\n",
        )
        .unwrap();
        assert_eq!(s.doc.openapi, "3.1.0");
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn rejects_openapi_3_2() {
        let e = load(
            "s.yaml",
            "openapi: 3.2.0\ninfo: {title: t, version: v}\npaths: {}\n",
        )
        .unwrap_err();
        assert_eq!(e.pointer, "#/openapi");
        assert!(e.message.contains("\"3.0.x\" or \"3.1.x\""), "{e}");
    }

    #[test]
    fn invalid_yaml_names_position() {
        let e = load("s.yaml", "openapi: 3.0.1\ninfo: [unclosed\n").unwrap_err();
        assert!(e.to_string().starts_with("s.yaml: at #"), "{e}");
        assert!(e.message.contains("YAML"), "{e}");
    }

    #[test]
    fn shape_error_has_pointer() {
        let text = "openapi: 3.0.1\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: 5\n          content: 7\n";
        let e = load("s.yaml", text).unwrap_err();
        assert_eq!(e.pointer, "#/paths/~1a/get/responses/200", "{e}");
    }

    /// Refusal is linear in the document's size: 40 levels of nesting (which once took
    /// time doubling per level) end at once with the deepest pointer.
    #[test]
    fn deeply_nested_malformed_schema() {
        for (version, bad) in [
            ("3.0.3", r#"{"type": 5}"#),
            ("3.1.0", r#"{"type": [5]}"#),
            ("3.0.3", r#"{"items": {"minItems": -1}}"#),
        ] {
            let mut schema = format!(r#"{{"type": "object", "properties": {{"x": {bad}}}}}"#);
            for _ in 0..40 {
                schema = format!(r#"{{"type": "object", "properties": {{"a": {schema}}}}}"#);
            }
            let text = format!(
                r#"{{"openapi": "{version}", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"Deep": {schema}}}}}}}"#
            );
            let start = std::time::Instant::now();
            let e = load("s.json", &text).unwrap_err();
            let deep = "/properties/a".repeat(40);
            let expected = if bad.contains("items") {
                format!("#/components/schemas/Deep{deep}/properties/x/items/minItems")
            } else {
                format!("#/components/schemas/Deep{deep}/properties/x/type")
            };
            assert_eq!(e.pointer, expected, "{e}");
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "{:?}",
                start.elapsed()
            );
        }
    }

    /// A valid schema nested 40 levels deep under a node that does not fit: the error
    /// names that node, found without reading the deep schema at every level.
    #[test]
    fn malformed_node_above_a_deep_schema() {
        let mut schema = r#"{"type": "string"}"#.to_string();
        for _ in 0..40 {
            schema = format!(r#"{{"type": "object", "properties": {{"a": {schema}}}}}"#);
        }
        let text = format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{"/a": {{"get": {{"responses": {{"200": {{"description": 5, "content": {{"application/json": {{"schema": {schema}}}}}}}}}}}}}}}}}"#
        );
        let e = load("s.json", &text).unwrap_err();
        assert_eq!(e.pointer, "#/paths/~1a/get/responses/200", "{e}");
        assert!(e.message.contains("Response Object"), "{e}");
    }

    /// The fast reader gives the document a single read gives.
    #[test]
    fn parallel_read_is_the_same_document() {
        use serde::Deserialize as _;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let spec = load("f", &text).unwrap();
            let single = openapiv3::OpenAPI::deserialize(&spec.raw).unwrap();
            assert_eq!(
                read::document(&spec.raw),
                Some(single),
                "{}",
                path.display()
            );
            n += 1;
        }
        assert!(n >= 10);
    }

    #[test]
    fn json_is_accepted() {
        let s = load(
            "s.json",
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}"#,
        )
        .unwrap();
        assert_eq!(s.doc.openapi, "3.0.3");
    }

    #[test]
    fn hashes_the_raw_text() {
        let text = "openapi: 3.0.1\ninfo: {title: t, version: v}\npaths: {}\n";
        let s = load("s.yaml", text).unwrap();
        assert_eq!(s.sha256, sha256_hex(text));
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let other = load("s.yaml", &format!("{text}# comment\n")).unwrap();
        assert_ne!(s.sha256, other.sha256);
    }
}
