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

/// One parameter per style and value type (also served to Prism by CI's conformance run).
#[test]
fn param_styles() {
    snapshot("param_styles.yaml");
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
    let ops: String = g
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("operations/"))
        .map(|(_, text)| text.as_str())
        .collect();
    assert!(
        ops.contains("pub fn send("),
        "the runtime's methods are not the generated client's"
    );
    assert!(
        ops.contains("pub fn builder_2("),
        "the generated client's own `builder` is reserved"
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
        ops.contains(r#"req.query_param("filter", filter);"#),
        "objects in a query are laid out by style"
    );
    assert!(
        ops.contains(r#"path: "/odd/{id}/x}","#) && ops.contains(r#"req.path_param("id", id);"#),
        "the template is filled at run time (which encodes a stray brace)"
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
    // Converting `ErrorMessageDtoList-2` to `ErrorMessageDtoList2` is not news.
    assert!(
        !text.iter().any(|w| w.contains("ErrorMessageDtoList-2")),
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
    // The quirky header is still sent as `true`.
    assert!(
        g.files
            .iter()
            .any(|(path, text)| path.starts_with("operations/")
                && text.contains(r#"req.header_param("X-SailPoint-Experimental", &true);"#))
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

/// Every setting of `codegen.toml` at once (`fixtures/settings/shop.toml`).
#[test]
fn settings() {
    let spec = load_fixture("settings/shop.yaml");
    let toml = std::fs::read_to_string(common::fixture_path("settings/shop.toml")).unwrap();
    let mut settings =
        generator::Settings::from_toml("generator/tests/fixtures/settings/shop.toml", &toml)
            .unwrap();
    settings.regenerate_command = common::settings().regenerate_command;
    let g = generator::generate(&spec, &settings).unwrap();
    insta::assert_snapshot!("settings", render(&g));
    let file = |path: &str| g.files.get(path).map(String::as_str).unwrap_or_default();
    // Tags and operation filters.
    assert!(file("operations/orders/list_orders.rs").contains("pub fn list_orders("));
    assert!(
        !g.files
            .keys()
            .any(|p| p.contains("delete_order") || p.contains("admin"))
    );
    // Renames.
    assert!(file("models/line.rs").contains("pub struct Line {"));
    assert!(file("operations/orders/order.rs").contains("pub fn order("));
    // Replacements: not generated, used where the schema and the format were.
    assert!(!g.files.contains_key("models/timestamp.rs"));
    assert!(file("models/order.rs").contains("pub placed: Option<String>,"));
    assert!(file("models/order.rs").contains("pub id: uuid::Uuid,"));
    assert!(file("operations/orders/order.rs").contains("id: &uuid::Uuid"));
    // Derives.
    assert!(file("models/order.rs").contains("#[derive(Debug, Clone, PartialEq, Eq)]"));
    assert!(
        file("models/status.rs")
            .contains("#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]")
    );
    // The tracking id member (read from error bodies by the runtime) and page-number
    // pagination.
    assert!(file("client.rs").contains("tracking_id: Some(\"requestId\"),"));
    assert!(file("operations/orders/list_orders.rs").contains("runtime::paginate_pages("));
    // The crate's name, version and the replacement's dependency.
    let crate_files = generator::standalone_crate(&g, "shop-client", &settings);
    let manifest = &crate_files["Cargo.toml"];
    assert!(manifest.contains("version = \"2.0.0\""), "{manifest}");
    assert!(
        manifest.contains("uuid = { version = \"1\", features = [\"serde\"] }"),
        "{manifest}"
    );
}

/// Settings that name nothing in the document, or names that clash: errors naming the
/// settings file, the line and the key.
#[test]
fn settings_errors_name_file_line_and_key() {
    let spec = load_fixture("settings/shop.yaml");
    let err = |toml: &str| {
        let settings = generator::Settings::from_toml("codegen.toml", toml).unwrap();
        generator::generate(&spec, &settings)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("[rename.types]\nMissing = \"Other\"\n"),
        "codegen.toml: at line 2, `rename.types.Missing`: the document has no component schema `Missing`"
    );
    assert_eq!(
        err("\n[replace.types]\nNope = \"String\"\n"),
        "codegen.toml: at line 3, `replace.types.Nope`: the document has no component schema `Nope`"
    );
    assert_eq!(
        err("[rename.types]\norder-line = \"Order\"\n"),
        "codegen.toml: at line 2, `rename.types.order-line`: `Order` is also the name of another type"
    );
    assert_eq!(
        err("[rename.operations]\nlistOrders = \"order\"\nget_order = \"order\"\n"),
        "codegen.toml: at line 2, `rename.operations.listOrders`: `order` is the name of another method of the client"
    );
    assert_eq!(
        err("tags = [\"nope\"]\n"),
        "codegen.toml: at line 1, `tags.nope`: no operation has the tag `nope`"
    );
    assert_eq!(
        err("exclude_operations = [\"nope\"]\n"),
        "codegen.toml: at line 1, `exclude_operations.nope`: the document has no operation with the id `nope`"
    );
}
