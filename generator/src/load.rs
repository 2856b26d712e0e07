//! Loading: text (YAML or JSON) → [`openapiv3::OpenAPI`], with errors that name the file
//! and the JSON pointer of the node that could not be read.
//!
//! Pure: the caller reads the file and passes its name and text.

use crate::error::{Error, escape_pointer_token};

/// A parsed OpenAPI 3.0 document and the name of the file it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file name as the user gave it; used in error messages.
    pub file: String,
    pub doc: openapiv3::OpenAPI,
    /// SHA-256 of the text the document was parsed from, as 64 lower-case hex digits.
    /// Written into the `@generated` headers and `surface.json`, so generated code names
    /// the exact spec it came from.
    pub sha256: String,
}

/// Parse `text` (YAML or JSON; JSON is valid YAML but is parsed with `serde_json` when it
/// looks like JSON, for speed and better messages) into a [`Spec`].
///
/// Errors name `file`, the JSON pointer of the node at fault and what was expected:
/// syntax errors (with line and column), documents that are not OpenAPI 3.0.x, and
/// nodes whose shape does not match the OpenAPI 3.0 schema.
pub fn load(file: &str, text: &str) -> Result<Spec, Error> {
    let is_json = text.trim_start().starts_with('{');
    // The fast path parses once, without tracking paths. Only a document that fails, or
    // that is not OpenAPI 3.0.x, pays for the version check and the parse that finds the
    // failing node.
    let parsed: Option<openapiv3::OpenAPI> = if is_json {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml::from_str(text).ok()
    };
    let doc = match parsed {
        Some(doc) if doc.openapi.starts_with("3.0") => doc,
        _ => {
            check_version(file, text, is_json)?;
            parse_with_path(file, text, is_json)?
        }
    };
    Ok(Spec {
        file: file.to_string(),
        doc,
        sha256: sha256_hex(text),
    })
}

/// Parses with `serde_path_to_error`, so that a failure names its node.
fn parse_with_path(file: &str, text: &str, is_json: bool) -> Result<openapiv3::OpenAPI, Error> {
    if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let pointer = to_pointer(e.path());
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                Error::new(file, "#", format!("invalid JSON: {inner}"))
            } else {
                let tree = serde_json::from_str(text).ok();
                refine_error(file, tree, pointer, inner.to_string())
            }
        })
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let pointer = to_pointer(e.path());
            let inner = e.into_inner();
            let tree = serde_yaml::from_str(text).ok();
            refine_error(file, tree, pointer, inner.to_string())
        })
    }
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

/// Check that the document is a mapping with `openapi: 3.0.x` before the full parse, so
/// that a Swagger 2.0 or OpenAPI 3.1 document gets a message saying so rather than a
/// confusing shape error.
fn check_version(file: &str, text: &str, is_json: bool) -> Result<(), Error> {
    #[derive(serde::Deserialize)]
    struct Head {
        openapi: Option<serde_json::Value>,
        swagger: Option<serde_json::Value>,
    }
    let head: Result<Head, String> = if is_json {
        serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))
    } else {
        serde_yaml::from_str(text).map_err(|e| format!("invalid YAML: {e}"))
    };
    let head = match head {
        Ok(h) => h,
        Err(msg) if msg.contains("expected struct Head") || msg.contains("invalid type") => {
            return Err(Error::new(
                file,
                "#",
                "expected a mapping (an OpenAPI 3.0 document) at the top level",
            ));
        }
        Err(msg) => return Err(Error::new(file, "#", msg)),
    };
    if let Some(v) = head.swagger {
        return Err(Error::new(
            file,
            "#/swagger",
            format!(
                "expected an OpenAPI 3.0.x document, found Swagger {v}; convert it to OpenAPI 3.0 first"
            ),
        ));
    }
    match head.openapi {
        Some(serde_json::Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(v) => Err(Error::new(
            file,
            "#/openapi",
            format!("expected an OpenAPI version \"3.0.x\", found {v}"),
        )),
        None => Err(Error::new(
            file,
            "#/openapi",
            "expected the field `openapi: 3.0.x`; this is not an OpenAPI 3.0 document",
        )),
    }
}

/// Build the error for a document that parsed but does not fit the OpenAPI model.
///
/// `openapiv3` uses untagged enums and flattened maps, through which serde cannot report
/// a path, so the pointer from the first pass often stops early (`#/paths`). Here the
/// document is walked as plain JSON and each node is deserialized on its own as the
/// OpenAPI type it must be, to find the deepest node that fails.
fn refine_error(
    file: &str,
    tree: Option<serde_json::Value>,
    pointer: String,
    message: String,
) -> Error {
    let found = tree.and_then(|t| deepest_failure(&t, Node::Document, "#"));
    let (pointer, message) = match found {
        Some((p, m)) if p.len() >= pointer.len() => (p, m),
        _ => (pointer, message),
    };
    Error::new(
        file,
        pointer,
        format!("not a valid OpenAPI 3.0 node: {message}"),
    )
}

/// What an OpenAPI node at some position must be.
#[derive(Clone, Copy)]
enum Node {
    Document,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Schema,
    Components,
}

/// Try to read `v` as `node`; on failure, return the deepest failing descendant.
fn deepest_failure(v: &serde_json::Value, node: Node, ptr: &str) -> Option<(String, String)> {
    use openapiv3 as o;
    use serde_json::Value;
    fn check<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
        T::deserialize(v).map(|_| ()).map_err(|e| e.to_string())
    }
    let result = match node {
        Node::Document => check::<o::OpenAPI>(v),
        Node::Paths => check::<o::Paths>(v),
        Node::PathItem => check::<o::ReferenceOr<o::PathItem>>(v),
        Node::Operation => check::<o::Operation>(v),
        Node::Parameter => check::<o::ReferenceOr<o::Parameter>>(v),
        Node::RequestBody => check::<o::ReferenceOr<o::RequestBody>>(v),
        Node::Responses => check::<o::Responses>(v),
        Node::Response => check::<o::ReferenceOr<o::Response>>(v),
        Node::MediaType => check::<o::MediaType>(v),
        Node::Schema => check::<o::ReferenceOr<o::Schema>>(v),
        Node::Components => check::<o::Components>(v),
    };
    let err = result.err()?;
    let obj = v.as_object();
    let child = |key: &str| obj.and_then(|o| o.get(key));
    let mut children: Vec<(String, &Value, Node)> = Vec::new();
    fn push_map<'v>(
        out: &mut Vec<(String, &'v Value, Node)>,
        base: &str,
        m: Option<&'v Value>,
        n: Node,
    ) {
        if let Some(Value::Object(m)) = m {
            for (k, v) in m {
                out.push((format!("{base}/{}", escape_pointer_token(k)), v, n));
            }
        }
    }
    fn push_list<'v>(
        out: &mut Vec<(String, &'v Value, Node)>,
        base: &str,
        l: Option<&'v Value>,
        n: Node,
    ) {
        if let Some(Value::Array(a)) = l {
            for (i, v) in a.iter().enumerate() {
                out.push((format!("{base}/{i}"), v, n));
            }
        }
    }
    match node {
        Node::Document => {
            if let Some(p) = child("paths") {
                children.push((format!("{ptr}/paths"), p, Node::Paths));
            }
            if let Some(c) = child("components") {
                children.push((format!("{ptr}/components"), c, Node::Components));
            }
        }
        Node::Paths => push_map(&mut children, ptr, Some(v), Node::PathItem),
        Node::PathItem => {
            for m in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if let Some(op) = child(m) {
                    children.push((format!("{ptr}/{m}"), op, Node::Operation));
                }
            }
            push_list(
                &mut children,
                &format!("{ptr}/parameters"),
                child("parameters"),
                Node::Parameter,
            );
        }
        Node::Operation => {
            push_list(
                &mut children,
                &format!("{ptr}/parameters"),
                child("parameters"),
                Node::Parameter,
            );
            if let Some(b) = child("requestBody") {
                children.push((format!("{ptr}/requestBody"), b, Node::RequestBody));
            }
            if let Some(r) = child("responses") {
                children.push((format!("{ptr}/responses"), r, Node::Responses));
            }
        }
        Node::Parameter => {
            if let Some(s) = child("schema") {
                children.push((format!("{ptr}/schema"), s, Node::Schema));
            }
            push_map(
                &mut children,
                &format!("{ptr}/content"),
                child("content"),
                Node::MediaType,
            );
        }
        Node::RequestBody | Node::Response => {
            push_map(
                &mut children,
                &format!("{ptr}/content"),
                child("content"),
                Node::MediaType,
            );
        }
        Node::Responses => push_map(&mut children, ptr, Some(v), Node::Response),
        Node::MediaType => {
            if let Some(s) = child("schema") {
                children.push((format!("{ptr}/schema"), s, Node::Schema));
            }
        }
        Node::Schema => {
            push_map(
                &mut children,
                &format!("{ptr}/properties"),
                child("properties"),
                Node::Schema,
            );
            for k in ["items", "additionalProperties", "not"] {
                if let Some(s) = child(k).filter(|s| s.is_object()) {
                    children.push((format!("{ptr}/{k}"), s, Node::Schema));
                }
            }
            for k in ["allOf", "oneOf", "anyOf"] {
                push_list(&mut children, &format!("{ptr}/{k}"), child(k), Node::Schema);
            }
        }
        Node::Components => {
            push_map(
                &mut children,
                &format!("{ptr}/schemas"),
                child("schemas"),
                Node::Schema,
            );
            push_map(
                &mut children,
                &format!("{ptr}/responses"),
                child("responses"),
                Node::Response,
            );
            push_map(
                &mut children,
                &format!("{ptr}/parameters"),
                child("parameters"),
                Node::Parameter,
            );
            push_map(
                &mut children,
                &format!("{ptr}/requestBodies"),
                child("requestBodies"),
                Node::RequestBody,
            );
        }
    }
    for (p, v, n) in children {
        if let Some(found) = deepest_failure(v, n, &p) {
            return Some(found);
        }
    }
    Some((ptr.to_string(), err))
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
    fn rejects_openapi_3_1() {
        let e = load(
            "s.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\n",
        )
        .unwrap_err();
        assert_eq!(e.pointer, "#/openapi");
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
