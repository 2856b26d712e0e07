//! The 3.1 → 3.0 conversion, mapping by mapping: the converted JSON (`Spec::raw`), the
//! warnings, and for some the lowered IR.

use super::*;
use crate::error::WarningKind;
use serde_json::{Value, json};

fn load_json(doc: &Value) -> Result<Spec, Error> {
    load("s.json", &serde_json::to_string(doc).unwrap())
}

/// A 3.1 document with these component schemas.
fn with_schemas(schemas: Value) -> Value {
    json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": schemas}})
}

/// Load a document with these schemas; the converted schemas and the warnings.
fn convert(schemas: Value) -> (Value, Vec<Warning>) {
    let spec = load_json(&with_schemas(schemas)).unwrap_or_else(|e| panic!("{e}"));
    (spec.raw["components"]["schemas"].clone(), spec.warnings)
}

fn kinds(w: &[Warning]) -> Vec<(WarningKind, &str)> {
    w.iter().map(|w| (w.kind, w.pointer.as_str())).collect()
}

fn ir(doc: &Value) -> crate::ir::Api {
    let spec = load_json(doc).unwrap_or_else(|e| panic!("{e}"));
    crate::lower_to_ir(&spec, &crate::Settings::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

fn field<'a>(api: &'a crate::ir::Api, ty: &str, wire: &str) -> &'a crate::ir::Field {
    let crate::ir::TypeKind::Struct(s) = &api.types[ty].kind else {
        panic!("{ty} is not a struct: {:?}", api.types[ty].kind);
    };
    s.fields.iter().find(|f| f.wire == wire).unwrap()
}

#[test]
fn versions() {
    for v in ["3.1.0", "3.1.1", "3.1"] {
        let s = load(
            "s.yaml",
            &format!("openapi: '{v}'\ninfo: {{title: t, version: v}}\npaths: {{}}\n"),
        )
        .unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(s.doc.openapi, v);
    }
    for (text, pointer, words) in [
        (
            "openapi: 3.2.0\ninfo: {title: t, version: v}\npaths: {}\n",
            "#/openapi",
            "\"3.2.0\"",
        ),
        (
            "openapi: 3.10.0\ninfo: {title: t, version: v}\npaths: {}\n",
            "#/openapi",
            "other versions",
        ),
        (
            "openapi: 2.0\ninfo: {title: t, version: v}\n",
            "#/openapi",
            "quote it",
        ),
        (
            "swagger: '2.0'\ninfo: {title: t, version: v}\n",
            "#/swagger",
            "Swagger",
        ),
        (
            "info: {title: t, version: v}\n",
            "#/openapi",
            "`openapi: 3.1.x`",
        ),
        ("- a\n", "#", "a mapping"),
    ] {
        let e = load("s.yaml", text).unwrap_err();
        assert_eq!(e.pointer, pointer, "{text}: {e}");
        assert!(e.message.contains(words), "{text}: {e}");
    }
}

#[test]
fn document_level_fields() {
    let doc = json!({"openapi": "3.1.0", "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {"title": "t", "version": "1", "summary": "Short.", "description": "Long.",
            "license": {"name": "MIT", "identifier": "MIT"}},
        "webhooks": {"a": {"post": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"securitySchemes": {"mtls": {"type": "mutualTLS"}, "key": {"type": "apiKey", "name": "k", "in": "header"}}}});
    let spec = load_json(&doc).unwrap();
    assert_eq!(spec.raw["info"]["description"], "Short.\n\nLong.");
    assert_eq!(spec.raw["info"]["license"], json!({"name": "MIT"}));
    assert_eq!(spec.raw["paths"], json!({}), "paths may be absent in 3.1");
    assert!(spec.raw.get("webhooks").is_none());
    assert!(spec.raw.get("jsonSchemaDialect").is_none());
    assert_eq!(
        kinds(&spec.warnings),
        [
            (WarningKind::Skipped, "#/webhooks"),
            (WarningKind::Skipped, "#/components/securitySchemes/mtls")
        ]
    );
    assert_eq!(
        ir(&doc).description.as_deref(),
        Some("Short.\n\nLong."),
        "the summary leads the API's description"
    );

    let mut other = doc.clone();
    other["jsonSchemaDialect"] = json!("https://json-schema.org/draft/2019-09/schema");
    let spec = load_json(&other).unwrap();
    assert_eq!(spec.warnings[1].kind, WarningKind::Dialect);
    assert_eq!(spec.warnings[1].pointer, "#/jsonSchemaDialect");
}

#[test]
fn type_lists() {
    let (s, w) = convert(json!({
        "A": {"type": ["string", "null"], "maxLength": 3},
        "B": {"type": ["null"]},
        "C": {"type": ["integer", "number"]},
        "D": {"type": ["string", "integer", "null"], "minLength": 1, "minimum": 0, "format": "int64",
              "enum": ["a", 1, null], "description": "d"},
        "E": {"type": ["string"]},
    }));
    assert_eq!(
        s["A"],
        json!({"type": "string", "nullable": true, "maxLength": 3})
    );
    assert_eq!(s["B"], json!({}));
    assert_eq!(s["C"], json!({"type": "number"}));
    assert_eq!(
        s["D"],
        json!({"description": "d", "nullable": true, "oneOf": [
            {"type": "string", "minLength": 1, "enum": ["a"]},
            {"type": "integer", "minimum": 0, "format": "int64", "enum": [1]},
        ]})
    );
    assert_eq!(s["E"], json!({"type": "string"}));
    assert_eq!(
        kinds(&w),
        [(WarningKind::Degraded, "#/components/schemas/B")]
    );
}

#[test]
fn bad_type_is_refused_with_pointer() {
    let doc = with_schemas(json!({"A": {"properties": {"x": {"type": ["string", 5]}}}}));
    let e = load_json(&doc).unwrap_err();
    assert_eq!(e.pointer, "#/components/schemas/A/properties/x/type");
    assert!(e.message.contains("list of strings"), "{e}");
    let doc = with_schemas(json!({"A": {"items": 7}}));
    let e = load_json(&doc).unwrap_err();
    assert_eq!(e.pointer, "#/components/schemas/A/items");
    assert!(e.message.contains("a mapping or a boolean"), "{e}");
}

#[test]
fn const_examples_and_bounds() {
    let (s, w) = convert(json!({
        "A": {"const": "on"},
        "B": {"type": "integer", "const": 3},
        "C": {"const": null},
        "D": {"type": "string", "examples": ["x", "y"]},
        "E": {"type": "string", "examples": [], "example": "kept"},
        "F": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5},
        "G": {"type": "number", "exclusiveMinimum": 1, "minimum": 1},
        "H": {"type": "number", "exclusiveMinimum": true, "minimum": 1},
        "I": {"type": "string", "enum": ["a"], "const": "b"},
    }));
    assert_eq!(s["A"], json!({"type": "string", "enum": ["on"]}));
    assert_eq!(s["B"], json!({"type": "integer", "enum": [3]}));
    assert_eq!(s["C"], json!({}), "only null: serde_json::Value");
    assert_eq!(s["D"], json!({"type": "string", "example": "x"}));
    assert_eq!(s["E"], json!({"type": "string", "example": "kept"}));
    assert_eq!(
        s["F"],
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
    );
    assert_eq!(
        s["G"],
        json!({"type": "number", "minimum": 1, "exclusiveMinimum": true})
    );
    assert_eq!(
        s["H"],
        json!({"type": "number", "minimum": 1, "exclusiveMinimum": true}),
        "3.0 form kept"
    );
    assert_eq!(s["I"], json!({"type": "string", "enum": ["b"]}));
    assert_eq!(
        kinds(&w),
        [
            (WarningKind::Degraded, "#/components/schemas/C"),
            (WarningKind::Contradiction, "#/components/schemas/I"),
        ]
    );
}

#[test]
fn ref_siblings_and_nullable_unions() {
    let (s, w) = convert(json!({
        "A": {"$ref": "#/components/schemas/X", "description": "d"},
        "B": {"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}], "description": "d"},
        "C": {"oneOf": [{"type": "integer", "format": "int32"}, {"type": "null"}], "default": null},
        "D": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
        "E": {"$ref": "#/components/schemas/X", "$comment": "alone: a plain reference"},
        "F": {"anyOf": [{"type": "null"}]},
        "X": {"type": "object", "properties": {"a": {"type": "string"}}},
    }));
    assert_eq!(
        s["A"],
        json!({"allOf": [{"$ref": "#/components/schemas/X"}], "description": "d"})
    );
    assert_eq!(
        s["B"],
        json!({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true, "description": "d"})
    );
    assert_eq!(
        s["C"],
        json!({"type": "integer", "format": "int32", "nullable": true, "default": null})
    );
    assert_eq!(
        s["D"],
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
    );
    assert_eq!(s["E"], json!({"$ref": "#/components/schemas/X"}));
    assert_eq!(s["F"], json!({}));
    assert_eq!(
        kinds(&w),
        [(WarningKind::Degraded, "#/components/schemas/F")]
    );
}

#[test]
fn nullable_reference_on_a_required_field_is_an_option() {
    let doc = with_schemas(json!({
        "A": {"type": "object", "required": ["x", "y"], "properties": {
            "x": {"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}], "description": "may be null"},
            "y": {"$ref": "#/components/schemas/X", "description": "a sibling"},
        }},
        "X": {"type": "object", "properties": {"a": {"type": "string"}}},
    }));
    let api = ir(&doc);
    let x = field(&api, "A", "x");
    assert!(x.required && x.nullable, "{x:?}");
    assert_eq!(x.ty, crate::ir::TypeRef::Named("X".into()));
    assert_eq!(x.doc.as_deref(), Some("may be null"));
    let y = field(&api, "A", "y");
    assert!(!y.nullable);
    assert_eq!(y.doc.as_deref(), Some("a sibling"));
}

#[test]
fn tuples() {
    let (s, w) = convert(json!({
        "A": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}], "maxItems": 2},
        "B": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]},
        "C": {"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "string"}},
        "D": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "integer"}], "items": false},
        "E": {"type": "array", "items": [{"type": "integer"}], "additionalItems": false},
        "F": {"type": "array", "items": true},
    }));
    assert_eq!(
        s["A"],
        json!({"type": "array", "maxItems": 2, "items": {"oneOf": [{"type": "integer"}, {"type": "string"}]}})
    );
    assert_eq!(
        s["B"],
        json!({"type": "array", "items": {}}),
        "more items of any kind may follow"
    );
    assert_eq!(
        s["C"],
        json!({"type": "array", "items": {"oneOf": [{"type": "integer"}, {"type": "string"}]}})
    );
    assert_eq!(
        s["D"],
        json!({"type": "array", "items": {"type": "integer"}})
    );
    assert_eq!(
        s["E"],
        json!({"type": "array", "items": {"type": "integer"}})
    );
    assert_eq!(s["F"], json!({"type": "array", "items": {}}));
    // One warning for the kind, naming every place.
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].pointer, "#/components/schemas/A");
    assert!(
        w[0].message
            .contains("(5 places: #/components/schemas/A, #/components/schemas/B,"),
        "{}",
        w[0].message
    );
}

#[test]
fn binary_content() {
    let (s, w) = convert(json!({
        "A": {"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"},
        "B": {"type": "string", "contentMediaType": "image/png"},
        "C": {"contentMediaType": "application/octet-stream"},
        "D": {"type": "string", "contentMediaType": "application/json"},
        "E": {"type": "string", "format": "binary", "contentMediaType": "image/png"},
        "F": {"type": "string", "contentEncoding": "quoted-printable"},
    }));
    assert_eq!(s["A"], json!({"type": "string", "format": "byte"}));
    assert_eq!(s["B"], json!({"type": "string", "format": "binary"}));
    assert_eq!(s["C"], json!({"type": "string", "format": "binary"}));
    assert_eq!(
        s["D"],
        json!({"type": "string"}),
        "text in a string is a string"
    );
    assert_eq!(s["E"], json!({"type": "string", "format": "binary"}));
    assert_eq!(s["F"], json!({"type": "string"}));
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn boolean_schemas() {
    let (s, w) = convert(json!({
        "A": true,
        "B": false,
        "C": {"type": "object", "properties": {"x": true, "y": false}, "additionalProperties": false},
        "D": {"type": "object", "additionalProperties": true},
    }));
    assert_eq!(s["A"], json!({}));
    assert_eq!(s["B"], json!({}));
    assert_eq!(
        s["C"],
        json!({"type": "object", "properties": {"x": {}, "y": {}}, "additionalProperties": false})
    );
    assert_eq!(
        s["D"],
        json!({"type": "object", "additionalProperties": true})
    );
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].kind, WarningKind::Degraded);
    assert!(
        w[0].message.contains("#/components/schemas/C/properties/y"),
        "{}",
        w[0].message
    );
}

#[test]
fn defs_are_hoisted_and_references_rewritten() {
    let (s, w) = convert(json!({
        "A": {"type": "object", "properties": {
                "b": {"$ref": "#/components/schemas/A/$defs/B"},
                "c": {"$ref": "#/components/schemas/A/$defs/C"},
                "deep": {"$ref": "#/components/schemas/A/$defs/B/$defs/Inner"},
            },
            "$defs": {
                "B": {"type": "string", "$defs": {"Inner": {"type": "integer"}}},
                "C": {"type": "boolean"},
            }},
        "C": {"type": "number"},
        "D": {"properties": {"b": {"$ref": "#/$defs/B"}}, "$defs": {"B": {"type": "string", "$defs": {"Inner": {"type": "integer"}}}}},
    }));
    assert_eq!(
        s["A"]["properties"],
        json!({"b": {"$ref": "#/components/schemas/B"}, "c": {"$ref": "#/components/schemas/C_2"},
               "deep": {"$ref": "#/components/schemas/Inner"}})
    );
    assert!(s["A"].get("$defs").is_none());
    assert_eq!(s["B"], json!({"type": "string"}));
    assert_eq!(s["C_2"], json!({"type": "boolean"}));
    assert_eq!(s["C"], json!({"type": "number"}));
    assert_eq!(s["Inner"], json!({"type": "integer"}));
    // `D`'s `B` is the same schema as `A`'s: one component. Its `#/$defs/B` is read
    // against the enclosing schema, with a warning.
    assert_eq!(
        s["D"]["properties"]["b"],
        json!({"$ref": "#/components/schemas/B"})
    );
    assert!(s.get("B_2").is_none(), "{s}");
    assert_eq!(
        kinds(&w),
        [
            (WarningKind::Renamed, "#/components/schemas/A/$defs/C"),
            (
                WarningKind::Contradiction,
                "#/components/schemas/D/properties/b"
            ),
        ]
    );
}

#[test]
fn anchors_ids_and_pointers() {
    let (s, w) = convert(json!({
        "User": {"$id": "https://example.com/user", "type": "object", "properties": {
            "name": {"type": "string"},
            "friend": {"$ref": "#"},
            "home": {"$ref": "address"},
            "pet": {"$ref": "#/components/schemas/Pet"},
        }},
        "Address": {"$id": "https://example.com/address", "type": "object", "properties": {"city": {"$anchor": "city", "type": "string"}}},
        "Uses": {"type": "object", "properties": {
            "user": {"$ref": "https://example.com/user"},
            "city": {"$ref": "https://example.com/address#city"},
            "name": {"$ref": "https://example.com/user#/properties/name"},
            "pet": {"$ref": "#petAnchor"},
            "external": {"$ref": "https://elsewhere.example.com/x.json"},
        }},
        "Pet": {"$anchor": "petAnchor", "type": "object"},
    }));
    let p = &s["Uses"]["properties"];
    assert_eq!(p["user"], json!({"$ref": "#/components/schemas/User"}));
    assert_eq!(p["city"], json!({"$ref": "#/components/schemas/city"}));
    assert_eq!(p["name"], json!({"$ref": "#/components/schemas/User_name"}));
    assert_eq!(p["pet"], json!({"$ref": "#/components/schemas/Pet"}));
    assert_eq!(
        p["external"],
        json!({"$ref": "https://elsewhere.example.com/x.json"})
    );
    let u = &s["User"]["properties"];
    assert_eq!(u["friend"], json!({"$ref": "#/components/schemas/User"}));
    assert_eq!(u["home"], json!({"$ref": "#/components/schemas/Address"}));
    assert_eq!(
        u["pet"],
        json!({"$ref": "#/components/schemas/Pet"}),
        "read against the document"
    );
    assert_eq!(
        u["name"],
        json!({"$ref": "#/components/schemas/User_name"}),
        "the target moved, leaving a reference"
    );
    assert_eq!(s["User_name"], json!({"type": "string"}));
    assert_eq!(s["city"], json!({"type": "string"}));
    assert!(s["User"].get("$id").is_none());
    assert!(w.is_empty(), "{w:?}");

    let e = load_json(&with_schemas(json!({"A": {"$ref": "#nowhere"}}))).unwrap_err();
    assert_eq!(e.pointer, "#/components/schemas/A");
    assert!(e.message.contains("`$anchor`"), "{e}");
}

#[test]
fn dynamic_refs() {
    let (s, w) = convert(json!({
        "Tree": {"$dynamicAnchor": "node", "type": "object", "properties": {
            "children": {"type": "array", "items": {"$dynamicRef": "#node"}}}},
        "Loose": {"$dynamicRef": "#nothing", "description": "d"},
    }));
    assert_eq!(
        s["Tree"]["properties"]["children"]["items"],
        json!({"$ref": "#/components/schemas/Tree"})
    );
    assert_eq!(s["Loose"], json!({"description": "d"}));
    assert_eq!(
        kinds(&w),
        [(WarningKind::Degraded, "#/components/schemas/Loose")]
    );
}

#[test]
fn unsupported_keywords_drop_or_degrade_with_one_warning_each() {
    let (s, w) = convert(json!({
        "A": {"type": "object", "title": "A", "properties": {"kind": {"type": "string"}},
              "if": {"properties": {"kind": {"const": "x"}}},
              "then": {"properties": {"extra": {"type": "object"}}}},
        "B": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
              "if": {"properties": {"a": {"const": "x"}}}, "then": {"required": ["b"]},
              "dependentRequired": {"a": ["b"]}, "propertyNames": {"maxLength": 3},
              "unevaluatedProperties": false},
        "C": {"type": "array", "items": {"type": "string"}, "contains": {"const": "x"}, "minContains": 1,
              "unevaluatedItems": false},
        "D": {"type": "object", "dependentSchemas": {"a": {"required": ["b"]}}},
        "E": {"type": "object", "dependentSchemas": {"a": {"properties": {"b": {"type": "integer"}}, "required": ["b"]}}},
        "F": {"type": "object", "patternProperties": {"^a": {"type": "string"}, "^b": {"type": "integer"}}},
        "G": {"type": "object", "patternProperties": {"^a": {"type": "string"}}, "additionalProperties": true},
        "H": {"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "object"}},
        "I": {"type": "object", "unevaluatedProperties": false, "if": {"required": ["a"]}, "then": {"required": ["b"]}},
    }));
    assert_eq!(s["A"], json!({"title": "A"}));
    assert_eq!(
        s["B"],
        json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}})
    );
    assert_eq!(
        s["C"],
        json!({"type": "array", "items": {"type": "string"}})
    );
    assert_eq!(s["D"], json!({"type": "object"}));
    assert_eq!(s["E"], json!({}));
    assert_eq!(
        s["F"],
        json!({"type": "object", "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "integer"}]}})
    );
    assert_eq!(
        s["G"],
        json!({"type": "object", "additionalProperties": true})
    );
    assert_eq!(s["H"], json!({"type": "string"}));
    let got: Vec<(&str, &str, usize)> = w
        .iter()
        .map(|w| {
            let word = w.message.split('`').nth(1).unwrap_or("");
            (word, w.pointer.as_str(), w.message.matches("#/").count())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("patternProperties", "#/components/schemas/F", 2),
            ("if", "#/components/schemas/A", 0),
            ("if", "#/components/schemas/B", 2),
            ("dependentSchemas", "#/components/schemas/E", 0),
            ("dependentSchemas", "#/components/schemas/D", 0),
            ("dependentRequired", "#/components/schemas/B", 0),
            ("propertyNames", "#/components/schemas/B", 0),
            ("contains", "#/components/schemas/C", 0),
            ("unevaluatedProperties", "#/components/schemas/B", 2),
            ("unevaluatedItems", "#/components/schemas/C", 0),
            ("contentSchema", "#/components/schemas/H", 0),
        ]
    );
    assert!(w.iter().all(|w| w.kind == WarningKind::Degraded));
}

#[test]
fn path_items_are_inlined() {
    let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
    "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "Local summary."}},
    "components": {"pathItems": {
        "A": {"$ref": "#/components/pathItems/B"},
        "B": {"summary": "Shared.", "get": {"operationId": "getA", "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"type": ["string", "null"]}}}}}}},
    }}});
    let spec = load_json(&doc).unwrap();
    let item = &spec.raw["paths"]["/a"];
    assert_eq!(item["summary"], "Local summary.");
    assert_eq!(
        item["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"type": "string", "nullable": true}),
        "inlined before the schemas are converted"
    );
    assert!(spec.raw["components"].get("pathItems").is_none());
    assert_eq!(ir(&doc).operations[0].id, "getA");

    let mut cyclic = doc.clone();
    cyclic["components"]["pathItems"]["B"] = json!({"$ref": "#/components/pathItems/A"});
    let e = load_json(&cyclic).unwrap_err();
    assert_eq!(e.pointer, "#/paths/~1a");
    assert!(e.message.contains("circle"), "{e}");
}

#[test]
fn schemas_everywhere_are_converted() {
    let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
    "paths": {"/a/{id}": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": ["integer"], "exclusiveMinimum": 0}}],
        "post": {
            "parameters": [{"name": "h", "in": "header", "content": {"text/plain": {"schema": {"const": "x"}}}}],
            "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"f": {"type": "string", "contentMediaType": "image/png"}}},
                "encoding": {"f": {"headers": {"X-A": {"schema": {"type": ["string", "null"]}}}}}}}},
            "responses": {"200": {"description": "ok", "headers": {"X-B": {"schema": {"examples": [1], "type": "integer"}}}},
                "DEFAULT": {"description": "error"}},
            "callbacks": {"cb": {"{$request.body#/url}": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": ["boolean", "null"]}}}},
                "responses": {"200": {"description": "ok"}}}}}}}}},
    "components": {
        "parameters": {"p": {"name": "p", "in": "query", "schema": {"type": ["string", "null"]}}},
        "headers": {"h": {"schema": {"const": 1}}},
        "responses": {"r": {"description": "d", "content": {"application/json": {"schema": {"type": ["string", "null"]}}}}},
        "requestBodies": {"b": {"content": {"application/json": {"schema": {"type": ["string", "null"]}}}}},
    }});
    let spec = load_json(&doc).unwrap();
    let r = &spec.raw;
    let item = &r["paths"]["/a/{id}"];
    assert_eq!(
        item["parameters"][0]["schema"],
        json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
    );
    let op = &item["post"];
    assert_eq!(
        op["parameters"][0]["content"]["text/plain"]["schema"],
        json!({"type": "string", "enum": ["x"]})
    );
    let form = &op["requestBody"]["content"]["multipart/form-data"];
    assert_eq!(
        form["schema"]["properties"]["f"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        form["encoding"]["f"]["headers"]["X-A"]["schema"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        op["responses"]["200"]["headers"]["X-B"]["schema"],
        json!({"type": "integer", "example": 1})
    );
    assert_eq!(
        op["responses"]["default"]["description"], "error",
        "`DEFAULT` is read as `default`"
    );
    assert_eq!(
        op["callbacks"]["cb"]["{$request.body#/url}"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"],
        json!({"type": "boolean", "nullable": true})
    );
    let c = &r["components"];
    for s in [
        &c["parameters"]["p"]["schema"],
        &c["responses"]["r"]["content"]["application/json"]["schema"],
        &c["requestBodies"]["b"]["content"]["application/json"]["schema"],
    ] {
        assert_eq!(s, &json!({"type": "string", "nullable": true}));
    }
    assert_eq!(
        c["headers"]["h"]["schema"],
        json!({"type": "integer", "enum": [1]})
    );
    assert_eq!(
        kinds(&spec.warnings),
        [(
            WarningKind::Contradiction,
            "#/paths/~1a~1{id}/post/responses/DEFAULT"
        )]
    );
}

#[test]
fn warnings_reach_the_lowered_output() {
    let doc = with_schemas(
        json!({"A": {"type": "object", "properties": {"t": {"type": "array", "prefixItems": [{"type": "string"}]}}}}),
    );
    let spec = load_json(&doc).unwrap();
    let (_, warnings) = crate::lower_to_ir(&spec, &crate::Settings::default()).unwrap();
    assert_eq!(warnings[0], spec.warnings[0]);
    assert_eq!(warnings[0].pointer, "#/components/schemas/A/properties/t");
}

/// Deterministic mutations of the 3.1 fixtures (nodes replaced by values of other
/// kinds, keys renamed to 3.1 keywords): loading gives a document or an error, never a
/// panic, and an error always names a pointer.
#[test]
fn mutated_documents_never_panic() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut docs = Vec::new();
    for name in [
        "openapi31.yaml",
        "composition31.yaml",
        "fastapi_openapi31.json",
    ] {
        let text = std::fs::read_to_string(format!("{fixtures}/{name}")).unwrap();
        docs.push(parse::parse(name, &text, name.ends_with(".json"), &mut Vec::new()).unwrap());
    }
    // Every node's pointer, to pick from.
    fn pointers(v: &Value, base: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    let p = format!("{base}/{}", crate::error::escape_pointer_token(k));
                    out.push(p.clone());
                    pointers(c, p, out);
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    let p = format!("{base}/{i}");
                    out.push(p.clone());
                    pointers(c, p, out);
                }
            }
            _ => {}
        }
    }
    let replacements = [
        json!(null),
        json!(true),
        json!(false),
        json!(7),
        json!(-1),
        json!(1.5),
        json!("x"),
        json!([]),
        json!(["null"]),
        json!({}),
        json!({"$ref": "#nowhere"}),
        json!({"$ref": "#/components/schemas/Pet/properties/name"}),
        json!({"$ref": "#/$defs/X"}),
        json!({"$defs": {"Pet": {"type": "integer"}}, "$ref": "#/components/schemas/Pet/$defs/Pet"}),
        json!({"type": ["string", 5]}),
        json!({"type": ["object", "array", "null"], "prefixItems": [true, false], "const": 3}),
        json!({"if": true, "then": false, "else": {"type": "string"}}),
        json!({"$dynamicRef": "#x", "$id": "https://a/b", "$anchor": "a"}),
        json!({"anyOf": [{"type": "null"}]}),
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    let mut loaded = 0;
    for round in 0..600 {
        let mut doc = docs[round % docs.len()].clone();
        let mut all = Vec::new();
        pointers(&doc, String::new(), &mut all);
        for _ in 0..1 + next(3) {
            let p = &all[next(all.len())];
            if let Some(slot) = doc.pointer_mut(p) {
                *slot = replacements[next(replacements.len())].clone();
            }
        }
        let text = serde_json::to_string(&doc).unwrap();
        match load("m.json", &text) {
            Ok(_) => loaded += 1,
            Err(e) => assert!(e.pointer.starts_with('#'), "{e}"),
        }
    }
    assert!(loaded > 0);
}

#[test]
fn errors_name_the_document_as_written_inside_moved_schemas_and_inlined_path_items() {
    // A `$defs` schema moved into components, broken.
    let doc = with_schemas(json!({
        "Owner": {"type": "object",
            "properties": {"address": {"$ref": "#/components/schemas/Owner/$defs/Address"}},
            "$defs": {"Address": {"properties": true}}}
    }));
    let Err(e) = load_json(&doc) else {
        panic!("expected the document to be refused")
    };
    assert_eq!(
        e.pointer, "#/components/schemas/Owner/$defs/Address/properties",
        "{e}"
    );

    // A path item of `components/pathItems`, inlined where it is referenced, broken.
    let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/pets": {"$ref": "#/components/pathItems/Pets"}},
        "components": {"pathItems": {"Pets": {"get": {"responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": 0}}}}}}}}});
    let Err(e) = load_json(&doc) else {
        panic!("expected the document to be refused")
    };
    assert_eq!(
        e.pointer, "#/components/pathItems/Pets/get/responses/200/content/application~1json/schema",
        "{e}"
    );
}

#[test]
fn errors_inside_reshaped_schemas_name_the_keyword_as_written() {
    // `prefixItems` becomes `items: {oneOf}`; the member's pointer is where it was
    // written, also for the rest schema, a tuple inside a tuple, and inside a moved
    // `$defs` schema.
    let cases = [
        (
            json!({"T": {"type": "array", "maxItems": 2,
                "prefixItems": [{"type": "integer"}, {"type": "string", "format": {}}]}}),
            "#/components/schemas/T/prefixItems/1/format",
        ),
        (
            json!({"T": {"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "string", "format": []}}}),
            "#/components/schemas/T/items/format",
        ),
        (
            json!({"T": {"type": "array", "prefixItems": [{"type": "string", "format": 1}], "maxItems": 1}}),
            "#/components/schemas/T/prefixItems/0/format",
        ),
        (
            // The rest schema is itself a union: its members are not tuple members.
            json!({"T": {"type": "array", "prefixItems": [{"type": "integer"}],
                "items": {"oneOf": [{"type": "boolean"}, {"type": "string", "format": {}}]}}}),
            "#/components/schemas/T/items/oneOf/1/format",
        ),
        (
            json!({"T": {"type": "array", "maxItems": 2, "prefixItems": [{"type": "integer"},
                {"type": "array", "maxItems": 2,
                    "prefixItems": [{"type": "boolean"}, {"type": "string", "format": {}}]}]}}),
            "#/components/schemas/T/prefixItems/1/prefixItems/1/format",
        ),
        (
            json!({"Owner": {"type": "object",
                "properties": {"t": {"$ref": "#/components/schemas/Owner/$defs/Pair"}},
                "$defs": {"Pair": {"type": "array", "maxItems": 2,
                    "prefixItems": [{"type": "integer"}, {"type": "string", "format": {}}]}}}}),
            "#/components/schemas/Owner/$defs/Pair/prefixItems/1/format",
        ),
        (
            // A type list spreads the keywords over `oneOf` members.
            json!({"T": {"type": ["string", "integer"], "minLength": {"oneOf": [1]}}}),
            "#/components/schemas/T/minLength",
        ),
        (
            json!({"T": {"type": ["array", "null"], "items": {"type": "array", "maxItems": 1,
                "prefixItems": [{"type": "string", "maxLength": "x"}]}}}),
            "#/components/schemas/T/items/prefixItems/0/maxLength",
        ),
    ];
    for (schemas, expected) in cases {
        let e = load_json(&with_schemas(schemas.clone()))
            .err()
            .unwrap_or_else(|| panic!("{schemas} loaded"));
        assert_eq!(e.pointer, expected, "{schemas}: {e}");
    }
}

#[test]
fn relocations_undo_the_outermost_reshaping_first_and_each_at_most_once() {
    use super::Relocations;
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    // `Defs/Pair` (moved to `components/schemas/Pair`) is a tuple
    // `{prefixItems: [A], items: {prefixItems: [B, C], maxItems: 2}}`: the inner tuple
    // was converted first, then the outer one.
    let r = Relocations {
        inlined: BTreeMap::new(),
        moved: [s(
            "#/components/schemas/Pair",
            "#/components/schemas/Owner/$defs/Pair",
        )]
        .into(),
        normalized: Vec::new(),
        reshaped: vec![
            vec![
                s(
                    "#/components/schemas/Owner/$defs/Pair/items/items/oneOf/0",
                    "#/components/schemas/Owner/$defs/Pair/items/prefixItems/0",
                ),
                s(
                    "#/components/schemas/Owner/$defs/Pair/items/items/oneOf/1",
                    "#/components/schemas/Owner/$defs/Pair/items/prefixItems/1",
                ),
            ],
            vec![
                s(
                    "#/components/schemas/Owner/$defs/Pair/items/oneOf/0",
                    "#/components/schemas/Owner/$defs/Pair/prefixItems/0",
                ),
                s(
                    "#/components/schemas/Owner/$defs/Pair/items/oneOf/1",
                    "#/components/schemas/Owner/$defs/Pair/items",
                ),
            ],
        ],
    };
    let at = |p: &str| r.original_pointer(&format!("#/components/schemas/Pair{p}"));
    let was = |p: &str| format!("#/components/schemas/Owner/$defs/Pair{p}");
    assert_eq!(at("/items/oneOf/0/format"), was("/prefixItems/0/format"));
    // The rest schema, then C inside it; `items/oneOf/1` → `items` must not be read
    // again as the outer tuple's `items/oneOf/...`.
    assert_eq!(
        at("/items/oneOf/1/items/oneOf/1/format"),
        was("/items/prefixItems/1/format")
    );
    assert_eq!(at("/items/oneOf/1"), was("/items"));
    assert_eq!(at("/type"), was("/type"));
    assert_eq!(r.original_pointer("#/paths"), "#/paths");
}
