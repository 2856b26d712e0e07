//! The error for a document that is valid JSON but does not fit the `openapiv3` model.
//!
//! `openapiv3` uses untagged enums and flattened maps, through which serde reports no
//! path, so the error of the whole-document parse often names no node. Here the
//! document is walked as plain JSON, children before parents, and each node is read on
//! its own as the OpenAPI type it must be, with its child nodes replaced by minimal
//! valid placeholders (`{"$ref": "#"}` for anything that may be a reference). Every node
//! is read once, so finding the failure takes time linear in the document's size; the
//! first failing node in that order is the deepest one on its branch.
//!
//! (Reading each node with its whole subtree, as this module once did, parses an invalid
//! subtree again at every level above it, and an untagged enum tries each variant on it:
//! time doubled per level of nesting.)

use crate::error::pointer_join;
use openapiv3 as o;
use serde_json::{Map, Value};

/// What an OpenAPI node at some position must be.
#[derive(Clone, Copy, Debug)]
enum Node {
    Document,
    Paths,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Schema,
    Components,
    Callback,
}

impl Node {
    fn what(self) -> &'static str {
        match self {
            Node::Document => "an OpenAPI Object",
            Node::Paths => "a Paths Object",
            Node::PathItem => "a Path Item Object",
            Node::Operation => "an Operation Object",
            Node::Parameter => "a Parameter Object",
            Node::Header => "a Header Object",
            Node::RequestBody => "a Request Body Object",
            Node::Responses => "a Responses Object",
            Node::Response => "a Response Object",
            Node::MediaType => "a Media Type Object",
            Node::Schema => "a Schema Object",
            Node::Components => "a Components Object",
            Node::Callback => "a Callback Object",
        }
    }

    /// Whether the node may be a Reference Object in place of the real one.
    fn may_be_ref(self) -> bool {
        matches!(
            self,
            Node::PathItem
                | Node::Parameter
                | Node::Header
                | Node::RequestBody
                | Node::Response
                | Node::Schema
        )
    }
}

/// The deepest node of `doc` that does not read as the OpenAPI type it must be: its
/// pointer, and the message "expected ...: serde's words".
pub(crate) fn deepest_failure(doc: &Value) -> Option<(String, String)> {
    find(doc, Node::Document, "#")
}

fn find(v: &Value, node: Node, ptr: &str) -> Option<(String, String)> {
    let children = children(v, node, ptr);
    for (p, child, n) in &children {
        if let Some(found) = find(child, *n, p) {
            return Some(found);
        }
    }
    let err = check(&shallow(v, node, &children), node).err()?;
    Some((ptr.to_string(), format!("expected {}: {err}", node.what())))
}

/// Read `v` (children replaced) as `node`.
fn check(v: &Value, node: Node) -> Result<(), String> {
    fn read<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
        T::deserialize(v).map(|_| ()).map_err(|e| e.to_string())
    }
    use o::ReferenceOr as R;
    match node {
        Node::Document => read::<o::OpenAPI>(v),
        Node::Paths => read::<o::Paths>(v),
        Node::PathItem => read::<R<o::PathItem>>(v),
        Node::Operation => read::<o::Operation>(v),
        Node::Parameter => read::<R<o::Parameter>>(v),
        Node::Header => read::<R<o::Header>>(v),
        Node::RequestBody => read::<R<o::RequestBody>>(v),
        Node::Responses => read::<o::Responses>(v),
        Node::Response => read::<R<o::Response>>(v),
        Node::MediaType => read::<o::MediaType>(v),
        Node::Schema => read::<R<o::Schema>>(v),
        Node::Components => read::<o::Components>(v),
        Node::Callback => read::<R<o::Callback>>(v),
    }
}

/// A placeholder that reads as a valid `node` whatever else is wrong.
fn placeholder(node: Node) -> Value {
    if node.may_be_ref() {
        let mut m = Map::new();
        m.insert("$ref".into(), Value::String("#".into()));
        return Value::Object(m);
    }
    match node {
        Node::Operation => serde_json::json!({"responses": {}}),
        Node::Document => {
            serde_json::json!({"openapi": "3.0.3", "info": {"title": "", "version": ""}, "paths": {}})
        }
        _ => Value::Object(Map::new()),
    }
}

/// `v` with each child node replaced by its placeholder. Children are named by their
/// pointers, which end in the key (or index) under their parent's container.
fn shallow(v: &Value, node: Node, children: &[(String, &Value, Node)]) -> Value {
    let Value::Object(obj) = v else {
        return v.clone();
    };
    if children.is_empty() {
        return v.clone();
    }
    // Which keys of `obj` hold children, directly or in a container (map or list).
    let mut out = Map::new();
    for (k, val) in obj {
        let slots = child_slots(node, k);
        let replaced = match (slots, val) {
            (Slot::None, _) => val.clone(),
            (Slot::One(n), _) if val.is_object() => placeholder(n),
            (Slot::Map(n), Value::Object(m)) => {
                Value::Object(m.keys().map(|k| (k.clone(), placeholder(n))).collect())
            }
            (Slot::List(n), Value::Array(a)) => {
                Value::Array(a.iter().map(|_| placeholder(n)).collect())
            }
            _ => val.clone(),
        };
        out.insert(k.clone(), replaced);
    }
    // A map node whose entries are all children (Paths, Responses, Callback).
    if let Some(n) = entry_node(node) {
        for (k, val) in obj {
            if val.is_object() && !k.starts_with("x-") {
                out.insert(k.clone(), placeholder(n));
            }
        }
    }
    Value::Object(out)
}

enum Slot {
    None,
    One(Node),
    Map(Node),
    List(Node),
}

/// The node kind held under key `k` of a `node`.
fn child_slots(node: Node, k: &str) -> Slot {
    match (node, k) {
        (Node::Document, "paths") => Slot::One(Node::Paths),
        (Node::Document, "components") => Slot::One(Node::Components),
        (
            Node::PathItem,
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace",
        ) => Slot::One(Node::Operation),
        (Node::PathItem | Node::Operation, "parameters") => Slot::List(Node::Parameter),
        (Node::Operation, "requestBody") => Slot::One(Node::RequestBody),
        (Node::Operation, "responses") => Slot::One(Node::Responses),
        (Node::Operation, "callbacks") => Slot::Map(Node::Callback),
        (Node::Parameter | Node::Header, "schema") => Slot::One(Node::Schema),
        (Node::Parameter | Node::Header | Node::RequestBody | Node::Response, "content") => {
            Slot::Map(Node::MediaType)
        }
        (Node::Response, "headers") => Slot::Map(Node::Header),
        (Node::MediaType, "schema") => Slot::One(Node::Schema),
        (Node::Schema, "properties") => Slot::Map(Node::Schema),
        (Node::Schema, "items" | "additionalProperties" | "not") => Slot::One(Node::Schema),
        (Node::Schema, "allOf" | "oneOf" | "anyOf") => Slot::List(Node::Schema),
        (Node::Components, "schemas") => Slot::Map(Node::Schema),
        (Node::Components, "responses") => Slot::Map(Node::Response),
        (Node::Components, "parameters") => Slot::Map(Node::Parameter),
        (Node::Components, "requestBodies") => Slot::Map(Node::RequestBody),
        (Node::Components, "headers") => Slot::Map(Node::Header),
        (Node::Components, "callbacks") => Slot::Map(Node::Callback),
        _ => Slot::None,
    }
}

/// For nodes that are maps of children (other than extensions): the child kind.
fn entry_node(node: Node) -> Option<Node> {
    match node {
        Node::Paths => Some(Node::PathItem),
        Node::Responses => Some(Node::Response),
        Node::Callback => Some(Node::PathItem),
        _ => None,
    }
}

/// The child nodes of `v`, with their pointers, in key order.
fn children<'v>(v: &'v Value, node: Node, ptr: &str) -> Vec<(String, &'v Value, Node)> {
    let mut out = Vec::new();
    let Value::Object(obj) = v else {
        return out;
    };
    // A Reference Object has no children to read.
    if node.may_be_ref() && obj.get("$ref").is_some_and(Value::is_string) {
        return out;
    }
    if let Some(n) = entry_node(node) {
        for (k, val) in obj {
            if val.is_object() && !k.starts_with("x-") {
                out.push((pointer_join(ptr, k), val, n));
            }
        }
        return out;
    }
    for (k, val) in obj {
        let base = pointer_join(ptr, k);
        match (child_slots(node, k), val) {
            (Slot::None, _) => {}
            (Slot::One(n), Value::Object(_)) => out.push((base, val, n)),
            (Slot::Map(n), Value::Object(m)) => {
                for (mk, mv) in m {
                    if mv.is_object() {
                        out.push((pointer_join(&base, mk), mv, n));
                    }
                }
            }
            (Slot::List(n), Value::Array(a)) => {
                for (i, item) in a.iter().enumerate() {
                    if item.is_object() {
                        out.push((pointer_join(&base, &i.to_string()), item, n));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_deepest_node() {
        let doc = json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}});
        let (p, m) = deepest_failure(&doc).unwrap();
        assert_eq!(p, "#/paths/~1a/get/responses/200");
        assert!(m.starts_with("expected a Response Object: "), "{m}");
    }

    #[test]
    fn a_valid_document_has_no_failure() {
        let doc = json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"default": {"description": "d"}, "200": {"description": "ok",
                "content": {"application/json": {"schema": {"type": "object", "properties": {"x": {"type": "integer"}}}}}}}}}},
            "components": {"schemas": {"A": {"allOf": [{"$ref": "#/components/schemas/B"}]}, "B": {}}}});
        assert_eq!(deepest_failure(&doc), None);
    }

    #[test]
    fn top_level_failures() {
        let doc = json!({"openapi": "3.0.1", "paths": {}});
        let (p, m) = deepest_failure(&doc).unwrap();
        assert_eq!(p, "#");
        assert!(m.contains("info"), "{m}");
    }
}
