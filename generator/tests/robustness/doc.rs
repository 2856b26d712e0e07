//! OpenAPI documents as `serde_json::Value`: base documents, patches that add
//! constructs to them, and small queries the known-open detectors use.

use serde_json::{Map, Value, json};

/// A change to a document: each `(path, value)` sets the node at `path` (a list of
/// object keys, created as needed), replacing what was there.
#[derive(Clone, Debug)]
pub struct Patch {
    /// What the patch adds, for the case's label.
    pub label: String,
    pub sets: Vec<(Vec<String>, Value)>,
}

impl Patch {
    pub fn new(label: impl Into<String>) -> Self {
        Patch {
            label: label.into(),
            sets: Vec::new(),
        }
    }

    pub fn set(mut self, path: &[&str], value: Value) -> Self {
        self.sets
            .push((path.iter().map(|s| s.to_string()).collect(), value));
        self
    }

    pub fn schema(self, name: &str, schema: Value) -> Self {
        self.set(&["components", "schemas", name], schema)
    }

    pub fn op(self, path: &str, method: &str, op: Value) -> Self {
        self.set(&["paths", path, method], op)
    }

    pub fn apply(&self, doc: &mut Value) {
        for (path, value) in &self.sets {
            set_path(doc, path, value.clone());
        }
    }
}

/// Set `doc[path...] = value`, turning non-objects on the way into objects.
pub fn set_path(doc: &mut Value, path: &[String], value: Value) {
    let mut node = doc;
    for key in path {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        node = node
            .as_object_mut()
            .expect("made an object")
            .entry(key.clone())
            .or_insert(Value::Null);
    }
    *node = value;
}

pub fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", escape(name)) })
}

/// RFC 6901 escaping of one token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A JSON response with `schema`.
pub fn json_response(schema: Value) -> Value {
    json!({ "description": "ok", "content": { "application/json": { "schema": schema } } })
}

/// An operation returning `schema` as JSON on 200.
pub fn get_returning(op_id: &str, schema: Value) -> Value {
    json!({ "operationId": op_id, "responses": { "200": json_response(schema) } })
}

/// The smallest valid document.
pub fn minimal() -> Value {
    json!({ "openapi": "3.0.3", "info": { "title": "t", "version": "1" }, "paths": {} })
}

/// A small API with the constructs most documents have: tags, path and query
/// parameters, paging, a JSON body, typed errors, an enum, a nullable reference, a
/// recursive struct.
pub fn petstore() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Pets", "version": "1.0.0", "description": "A *small* API." },
        "servers": [{ "url": "https://api.example.com/v1" }],
        "tags": [{ "name": "pets", "description": "Pets." }],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "parameters": [
                        { "in": "query", "name": "limit", "schema": { "type": "integer", "format": "int32", "maximum": 250 } },
                        { "in": "query", "name": "offset", "schema": { "type": "integer", "format": "int32" } },
                        { "in": "query", "name": "status", "schema": { "$ref": "#/components/schemas/Status" } }
                    ],
                    "responses": {
                        "200": json_response(json!({ "type": "array", "items": schema_ref("Pet") })),
                        "default": json_response(schema_ref("Error"))
                    }
                },
                "post": {
                    "operationId": "createPet",
                    "tags": ["pets"],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": schema_ref("Pet") } } },
                    "responses": {
                        "201": json_response(schema_ref("Pet")),
                        "400": json_response(schema_ref("Error"))
                    }
                }
            },
            "/pets/{petId}": {
                "parameters": [{ "in": "path", "name": "petId", "required": true, "schema": { "type": "string" } }],
                "get": {
                    "operationId": "showPet",
                    "tags": ["pets"],
                    "parameters": [{ "$ref": "#/components/parameters/Verbose" }],
                    "responses": {
                        "200": json_response(schema_ref("Pet")),
                        "404": { "$ref": "#/components/responses/NotFound" }
                    }
                },
                "put": {
                    "operationId": "updatePet",
                    "tags": ["pets"],
                    "requestBody": { "$ref": "#/components/requestBodies/PetBody" },
                    "responses": {
                        "200": {
                            "description": "updated",
                            "headers": { "X-Rate-Limit": { "$ref": "#/components/headers/RateLimit" } },
                            "content": { "application/json": { "schema": schema_ref("Pet") } }
                        },
                        "404": { "$ref": "#/components/responses/NotFound" }
                    }
                },
                "delete": {
                    "operationId": "deletePet",
                    "tags": ["pets"],
                    "parameters": [{ "in": "header", "name": "X-Request-Id", "schema": { "type": "string" } }],
                    "responses": { "204": { "description": "gone" } }
                }
            }
        },
        "components": {
            "parameters": {
                "Verbose": { "in": "query", "name": "verbose", "schema": { "type": "boolean" } }
            },
            "responses": {
                "NotFound": json_response(schema_ref("Error"))
            },
            "requestBodies": {
                "PetBody": { "required": true, "content": { "application/json": { "schema": schema_ref("Pet") } } }
            },
            "headers": {
                "RateLimit": { "schema": { "type": "integer" } }
            },
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": { "type": "integer", "format": "int64" },
                        "name": { "type": "string", "description": "The pet's name." },
                        "tag": { "type": "string" },
                        "status": schema_ref("Status"),
                        "owner": { "allOf": [schema_ref("Owner")], "nullable": true },
                        "born": { "type": "string", "format": "date-time" }
                    }
                },
                "Status": { "type": "string", "enum": ["available", "pending", "sold"] },
                "Owner": {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string" },
                        "pets": { "type": "array", "items": schema_ref("Pet") },
                        "attributes": { "type": "object", "additionalProperties": { "type": "string" } }
                    }
                },
                "Error": {
                    "type": "object",
                    "properties": {
                        "code": { "type": "integer", "format": "int32" },
                        "message": { "type": "string" }
                    }
                }
            }
        }
    })
}

/// Types only: composition without operations.
pub fn types_only() -> Value {
    json!({
        "openapi": "3.0.1",
        "info": { "title": "Types", "version": "2" },
        "paths": {},
        "components": {
            "schemas": {
                "Base": { "type": "object", "properties": { "id": { "type": "string" } } },
                "Derived": { "allOf": [schema_ref("Base"), { "type": "object", "properties": { "extra": { "type": "boolean" } } }] },
                "Either": { "oneOf": [schema_ref("Base"), { "type": "string" }] },
                "Bag": { "type": "object", "additionalProperties": schema_ref("Either") },
                "Kind": { "type": "string", "enum": ["a", "b"] }
            }
        }
    })
}

/// The project's fixtures (generator/tests/fixtures/*, not the diff pairs), as values.
pub fn fixtures() -> Vec<(String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let value: Value = serde_yaml::from_str(&text).expect("fixture parses as YAML");
        out.push((
            path.file_name().unwrap().to_string_lossy().into_owned(),
            value,
        ));
    }
    out
}

/// Every base document the strategies start from, simplest first (shrinking moves
/// towards the first).
pub fn bases() -> Vec<(String, Value)> {
    let mut bases = vec![
        ("minimal".to_string(), minimal()),
        ("petstore".to_string(), petstore()),
        ("types_only".to_string(), types_only()),
    ];
    bases.extend(fixtures());
    bases
}

/// Preorder list of the JSON pointers (as token lists) of every node of `doc`.
pub fn node_paths(doc: &Value) -> Vec<Vec<String>> {
    fn walk(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    path.push(k.clone());
                    walk(c, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    path.push(i.to_string());
                    walk(c, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut Vec::new(), &mut out);
    out
}

/// The node at `path` (object keys or array indices).
pub fn get<'a>(doc: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut node = doc;
    for t in path {
        node = match node {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

pub fn get_mut<'a>(doc: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut node = doc;
    for t in path {
        node = match node {
            Value::Object(m) => m.get_mut(t)?,
            Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Resolve a `#/...` JSON pointer (RFC 6901, URI fragment form) in `doc`.
pub fn resolve_pointer<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    let rest = pointer.strip_prefix('#')?;
    if rest.is_empty() {
        return Some(doc);
    }
    let rest = rest.strip_prefix('/')?;
    let tokens: Vec<String> = rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    get(doc, &tokens)
}

/// The operations: (path template, method, operation object).
pub fn operations(doc: &Value) -> Vec<(&str, &str, &Map<String, Value>)> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for m in METHODS {
                if let Some(op) = item.get(m).and_then(Value::as_object) {
                    out.push((path.as_str(), m, op));
                }
            }
        }
    }
    out
}
