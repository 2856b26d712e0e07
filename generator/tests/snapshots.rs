//! Snapshots of the generator's output for small fixtures. The same fixtures are
//! generated into crates and compiled by `.ci/run`, so a snapshot is also code that builds.
//!
//! Review changes with `cargo insta review` (or accept all with `INSTA_UPDATE=always`).

mod common;

use common::{generate, load_fixture, render};
use generator::ir::{TypeKind, TypeRef};

fn snapshot(name: &str) {
    let g = generate(&load_fixture(name));
    insta::assert_snapshot!(name, render(&g));
}

#[test]
fn seed_inline() {
    snapshot("seed_inline.json");
}

#[test]
fn enum_null() {
    snapshot("enum_null.yaml");
}

#[test]
fn keywords() {
    snapshot("keywords.yaml");
}

#[test]
fn nested_inline() {
    snapshot("nested_inline.yaml");
}

#[test]
fn composition() {
    snapshot("composition.yaml");
}

#[test]
fn media() {
    snapshot("media.yaml");
}

#[test]
fn quirks() {
    snapshot("quirks.yaml");
}

#[test]
fn collisions() {
    snapshot("collisions.yaml");
}

/// OpenAPI 3.1: every construct the loader maps to the 3.0 model, or degrades.
#[test]
fn openapi31() {
    snapshot("openapi31.yaml");
}

/// `composition.yaml` written in 3.1 idioms.
#[test]
fn composition31() {
    snapshot("composition31.yaml");
}

/// The OpenAPI 3.1 document of a FastAPI application (`testdata/fastapi/`).
#[test]
fn fastapi_openapi31() {
    snapshot("fastapi_openapi31.json");
}

/// 3.0 documents: `$ref` siblings and response keys the loader keeps or warns about.
#[test]
fn load_quirks() {
    snapshot("load_quirks.yaml");
}

/// The 3.1 form of a 3.0 fixture generates the same crate, file for file (the names of
/// the spec file and its hash aside).
#[test]
fn openapi31_form_generates_the_same_crate() {
    let three_o = load_fixture("composition.yaml");
    let three_one = load_fixture("composition31.yaml");
    assert_eq!(three_one.doc.openapi, "3.1.0");
    let a = generate(&three_o);
    let b = generate(&three_one);
    let same_names = |text: &str| {
        text.replace("composition31.yaml", "composition.yaml")
            .replace(&three_one.sha256, &three_o.sha256)
    };
    assert_eq!(
        a.files.keys().collect::<Vec<_>>(),
        b.files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &a.files {
        assert_eq!(text, &same_names(&b.files[path]), "{path} differs");
    }
    assert_eq!(a.warnings, b.warnings);
}

/// No operations: the modules that would hold them are still valid, warning-free Rust.
#[test]
fn types_only() {
    snapshot("types_only.yaml");
}

/// Generated names never collide with the runtime's methods, each other or generated
/// locals, and cycles end in a warning, not a hang.
#[test]
fn collisions_are_renamed_and_cycles_broken() {
    let g = generate(&load_fixture("collisions.yaml"));
    let ops = &g.files["operations/default.rs"];
    assert!(
        ops.contains("pub fn send_2("),
        "runtime's private `send` is reserved"
    );
    assert!(
        ops.contains("pub fn list_things_stream("),
        "the operation keeps its name"
    );
    assert!(
        ops.contains("pub fn list_things_stream_2<'a>("),
        "the stream takes another"
    );
    assert!(
        ops.contains("req_2: &str"),
        "an argument may not shadow the request local"
    );
    assert!(
        ops.contains("runtime::json_text(\"send\", \"filter\", filter)?"),
        "objects in a query are JSON"
    );
    assert!(
        ops.contains(r#"format!("/odd/{id}/x}}")"#),
        "stray braces are escaped"
    );
    let warned = |ptr: &str, needle: &str| {
        g.warnings
            .iter()
            .any(|w| w.pointer.starts_with(ptr) && w.message.contains(needle))
    };
    assert!(
        warned("#/components/schemas/LoopA", "refers to itself"),
        "{:#?}",
        g.warnings
    );
    assert!(
        warned("#/components/schemas/SelfAll", "refers to itself"),
        "{:#?}",
        g.warnings
    );
    assert!(
        warned("#/components/schemas/SelfMany/allOf/0", "cycle"),
        "{:#?}",
        g.warnings
    );
    assert!(
        g.warnings.len() < 20,
        "cycles warn once each: {:#?}",
        g.warnings
    );
}

/// The seed pages inline every schema: the DTO-type enum appears in three places and the
/// error envelope in eight. Structural deduplication must leave one type of each.
#[test]
fn seed_inline_schemas_are_deduplicated() {
    let spec = load_fixture("seed_inline.json");
    let (api, _) = generator::lower_to_ir(&spec, &common::settings()).unwrap();
    let dto_like: Vec<&str> = api
        .types
        .values()
        .filter(|d| matches!(&d.kind, TypeKind::Enum(e) if e.variants.iter().any(|v| v.wire == "ACCOUNT_CORRELATION_CONFIG")))
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(
        dto_like.len(),
        1,
        "one DtoType-like enum, found {dto_like:?}"
    );
    let envelopes: Vec<&str> = api
        .types
        .values()
        .filter(|d| matches!(&d.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.wire == "trackingId")))
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(
        envelopes.len(),
        1,
        "one error envelope, found {envelopes:?}"
    );
    let locale_origins = api
        .types
        .values()
        .filter(|d| matches!(&d.kind, TypeKind::Enum(e) if e.variants.iter().any(|v| v.wire == "REQUEST")))
        .count();
    assert_eq!(locale_origins, 1);
    // The config struct is shared by GET's response, PUT's body and PUT's response.
    let get = api
        .operations
        .iter()
        .find(|o| o.id == "getSourceAttrSyncConfig")
        .unwrap();
    let put = api
        .operations
        .iter()
        .find(|o| o.id == "putSourceAttrSyncConfig")
        .unwrap();
    let body_ty = |b: &generator::ir::BodyKind| match b {
        generator::ir::BodyKind::Json(t) => t.clone(),
        other => panic!("{other:?}"),
    };
    let get_200 = body_ty(&get.responses[0].body.as_ref().unwrap().kind);
    let put_req = body_ty(&put.body.as_ref().unwrap().kind);
    let put_200 = body_ty(&put.responses[0].body.as_ref().unwrap().kind);
    assert!(matches!(get_200, TypeRef::Named(_)));
    assert_eq!(get_200, put_req);
    assert_eq!(get_200, put_200);
}

#[test]
fn real_document_quirks_are_warned_with_pointers() {
    let g = generate(&load_fixture("quirks.yaml"));
    let text: Vec<String> = g.warnings.iter().map(ToString::to_string).collect();
    let has = |ptr: &str, needle: &str| {
        text.iter()
            .any(|w| w.contains(&format!("at {ptr}:")) && w.contains(needle))
    };
    assert!(
        has("#/x-webhooks", "./events/something.yaml") || has("#/x-webhooks", "to other files"),
        "{text:#?}"
    );
    assert!(
        has(
            "#/components/schemas/ErrorMessageDtoList-2",
            "not a Rust identifier"
        ),
        "{text:#?}"
    );
    assert!(has("#/components/schemas/selector", "clashes"), "{text:#?}");
    assert!(
        has(
            "#/paths/~1things~1{id}/put/parameters/1/schema/default",
            "does not match"
        ),
        "{text:#?}"
    );
    assert!(
        has(
            "#/paths/~1orphans/patch",
            "does not appear in the path template"
        ),
        "{text:#?}"
    );
    // The quirky header is still sent as the text `true`.
    assert!(
        g.files["operations/default.rs"]
            .contains(r#"None => req.header("X-SailPoint-Experimental", "true")"#)
    );
}

#[test]
fn unsupported_constructs_become_values_with_a_warning() {
    let g = generate(&load_fixture("composition.yaml"));
    assert!(
        g.warnings
            .iter()
            .any(|w| w.pointer == "#/components/schemas/Unsupported"
                && w.message.contains("serde_json::Value"))
    );
    assert!(g.files["models/unsupported.rs"].contains("pub type Unsupported = serde_json::Value;"));
}

/// A `$ref` to a nullable component is optional wherever it is used, whichever order the
/// components are lowered in.
#[test]
fn references_to_nullable_components_are_options() {
    let spec = load_fixture("enum_null.yaml");
    let (api, _) = generator::lower_to_ir(&spec, &common::settings()).unwrap();
    let TypeKind::Struct(s) = &api.types["AaaFirst"].kind else {
        panic!()
    };
    for f in &s.fields {
        assert!(f.required && f.nullable && f.optional(), "{f:?}");
    }
    let TypeKind::Struct(m) = &api.types["Message"].kind else {
        panic!()
    };
    assert!(
        m.fields
            .iter()
            .find(|f| f.wire == "origin")
            .unwrap()
            .nullable
    );
}

#[test]
fn quirks_are_warned_with_pointers() {
    let g = generate(&load_fixture("keywords.yaml"));
    let text: Vec<String> = g.warnings.iter().map(ToString::to_string).collect();
    let has = |ptr: &str, needle: &str| text.iter().any(|w| w.contains(ptr) && w.contains(needle));
    assert!(
        has(
            "#/paths/~1campaigns~1{id}~1reassign/post/operationId",
            "Rust keyword"
        ),
        "{text:#?}"
    );
    assert!(
        has("#/paths/~1things~1{thingId}/get/operationId", "clashes"),
        "{text:#?}"
    );
    assert!(has("#/components/schemas/selector", "clashes"), "{text:#?}");
    assert!(
        has("/parameters/2/schema/default", "does not match"),
        "{text:#?}"
    );
}
