//! Spec-change review on small fixture pairs (`tests/fixtures/diff/<case>.{old,new}.yaml`):
//! one snapshot per case holding the text, Markdown and JSON renderings, plus the
//! expected classification of each case's changes, checked without the snapshots.
//!
//! Review snapshot changes with `cargo insta review` (or `INSTA_UPDATE=always`).

use generator::diff::{ChangeKind, Report, Severity};
use generator::surface::Shape;
use generator::{Settings, Surface};
use std::path::PathBuf;

use ChangeKind as K;
use Severity::{Additive, Breaking};

fn surface(case: &str, side: &str) -> Surface {
    let name = format!("{case}.{side}.yaml");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(&name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let spec =
        generator::load(&format!("fixtures/diff/{name}"), &text).unwrap_or_else(|e| panic!("{e}"));
    let (api, _) = generator::lower_to_ir(&spec, &Settings::default()).unwrap();
    Surface::from_api(&api, Some(&spec.sha256))
}

fn report(case: &str) -> Report {
    generator::diff::diff(&surface(case, "old"), &surface(case, "new"))
}

/// The new → old direction.
fn reverse(case: &str) -> Report {
    generator::diff::diff(&surface(case, "new"), &surface(case, "old"))
}

/// (kind, member, severity) of every change, in report order.
fn kinds(r: &Report) -> Vec<(ChangeKind, String, Severity)> {
    r.changes
        .iter()
        .map(|c| {
            (
                c.kind,
                format!(
                    "{}{}",
                    c.name,
                    c.member
                        .as_deref()
                        .map(|m| format!(".{m}"))
                        .unwrap_or_default()
                ),
                c.severity,
            )
        })
        .collect()
}

fn expect(r: &Report, expected: &[(ChangeKind, &str, Severity)]) {
    let got = kinds(r);
    let want: Vec<(ChangeKind, String, Severity)> = expected
        .iter()
        .map(|(k, m, s)| (*k, m.to_string(), *s))
        .collect();
    assert_eq!(got, want, "\n{}", r.render_text());
}

/// Snapshot all three renderings of a case, and check that they are deterministic.
fn snapshot(case: &str) -> Report {
    let r = report(case);
    let text = format!(
        "===== text =====\n{}\n===== markdown =====\n{}\n===== json =====\n{}",
        r.render_text(),
        r.render_markdown(),
        r.render_json()
    );
    let again = report(case);
    assert_eq!(r, again, "{case}: the report is not deterministic");
    insta::assert_snapshot!(case, text);
    r
}

#[test]
fn operation_added() {
    let r = snapshot("operation_added");
    expect(&r, &[(K::OperationAdded, "delete_pet", Additive)]);
    assert!(!r.has_breaking());
}

#[test]
fn operation_removed() {
    let r = snapshot("operation_removed");
    expect(&r, &[(K::OperationRemoved, "get_pet", Breaking)]);
}

#[test]
fn operation_renamed() {
    let r = snapshot("operation_renamed");
    expect(
        &r,
        &[
            (K::OperationRenamed, "fetch_pet", Breaking),
            (K::OperationDeprecated, "fetch_pet", Additive),
        ],
    );
    assert_eq!(r.changes[0].old.as_deref(), Some("get_pet"));
}

#[test]
fn param_added_required() {
    let r = snapshot("param_added_required");
    expect(&r, &[(K::ParamAdded, "list_pets.owner", Breaking)]);
}

#[test]
fn param_added_optional() {
    let r = snapshot("param_added_optional");
    expect(
        &r,
        &[
            (K::ParamAdded, "list_pets.sort_by", Additive),
            (K::ParamAdded, "list_pets.x_trace", Additive),
        ],
    );
}

#[test]
fn param_removed() {
    let r = snapshot("param_removed");
    expect(&r, &[(K::ParamRemoved, "list_pets.limit", Breaking)]);
}

#[test]
fn param_type_changed() {
    let r = snapshot("param_type_changed");
    expect(&r, &[(K::ParamTypeChanged, "list_pets.limit", Breaking)]);
    assert_eq!(r.changes[0].old.as_deref(), Some("i32"));
    assert_eq!(r.changes[0].new.as_deref(), Some("i64"));
}

#[test]
fn param_required_changed() {
    let r = snapshot("param_required_changed");
    expect(
        &r,
        &[
            (K::ParamRequiredChanged, "list_pets.limit", Breaking),
            (K::ParamLocationChanged, "list_pets.limit", Breaking),
        ],
    );
    // Back from a required argument to optional also changes the method's signature.
    expect(
        &reverse("param_required_changed"),
        &[
            (K::ParamRequiredChanged, "list_pets.limit", Breaking),
            (K::ParamLocationChanged, "list_pets.limit", Breaking),
        ],
    );
}

#[test]
fn response_status_added() {
    let r = snapshot("response_status_added");
    expect(
        &r,
        &[
            (K::ResponseAdded, "create_pet.200", Additive),
            (K::ReturnTypeChanged, "create_pet", Breaking),
            (K::ResponseAdded, "get_pet.429", Additive),
        ],
    );
    assert_eq!(r.changes[1].new.as_deref(), Some("CreatePetSuccess"));
}

#[test]
fn response_status_removed() {
    let r = snapshot("response_status_removed");
    expect(&r, &[(K::ResponseRemoved, "get_pet.404", Breaking)]);
}

#[test]
fn response_type_changed() {
    let r = snapshot("response_type_changed");
    // The success type change is the 200's type change: reported once.
    expect(
        &r,
        &[
            (K::ResponseTypeChanged, "create_pet.400", Breaking),
            (K::ResponseTypeChanged, "get_pet.200", Breaking),
        ],
    );
}

#[test]
fn body_changed() {
    let r = snapshot("body_changed");
    expect(
        &r,
        &[
            (K::BodyTypeChanged, "create_pet", Breaking),
            (K::BodyContentTypeChanged, "create_pet", Breaking),
            (K::BodyRequiredChanged, "create_pet", Breaking),
        ],
    );
}

#[test]
fn type_added() {
    let r = snapshot("type_added");
    expect(
        &r,
        &[
            (K::TypeAdded, "Owner", Additive),
            (K::FieldAdded, "Pet.owner", Additive),
        ],
    );
}

#[test]
fn type_removed() {
    let r = snapshot("type_removed");
    expect(
        &r,
        &[
            (K::ResponseTypeChanged, "create_pet.400", Breaking),
            (K::ResponseTypeChanged, "get_pet.404", Breaking),
            (K::TypeRemoved, "Error", Breaking),
        ],
    );
}

#[test]
fn field_added_optional() {
    let r = snapshot("field_added_optional");
    expect(
        &r,
        &[
            // Sent, with a required field: callers build it with `new(required...)`, which
            // does not change.
            (K::FieldAdded, "NewPet.age", Additive),
            // Sent and read: the same.
            (K::FieldAdded, "Owner.email", Additive),
            // Only read.
            (K::FieldAdded, "Pet.age", Additive),
            // Sent, every field optional: `..Default::default()` covers it.
            (K::FieldAdded, "PetPatch.age", Additive),
        ],
    );
    let msg = |name: &str| {
        let c = r.changes.iter().find(|c| c.name == name).unwrap();
        c.message.clone()
    };
    assert_eq!(msg("NewPet"), "field `age` added: `Option<i32>`");
    assert_eq!(msg("PetPatch"), "field `age` added: `Option<i32>`");
    // The surface records which structs derive `Default`, as the emitter decides it.
    let s = surface("field_added_optional", "new");
    let default = |name: &str| match &s.types[name].shape {
        Shape::Struct { default, .. } => *default,
        other => panic!("{name}: {other:?}"),
    };
    assert!(default("PetPatch") && default("Error"));
    assert!(!default("Pet") && !default("NewPet") && !default("Owner"));
}

#[test]
fn form_field_added() {
    let r = snapshot("form_field_added");
    // `{Operation}Form` has `new(required...)` too: a new optional field breaks nothing.
    expect(
        &r,
        &[
            (K::FieldAdded, "login.remember", Additive),
            (K::FieldAdded, "upload_photo.taken_at", Additive),
        ],
    );
}

#[test]
fn struct_loses_default() {
    let r = snapshot("struct_loses_default");
    expect(
        &r,
        &[
            // Both added in the same version: the required one changes `new` (and
            // `Default` is gone); the optional one breaks nothing.
            (K::FieldAdded, "PetPatch.age", Additive),
            (K::FieldAdded, "PetPatch.reason", Breaking),
            (K::FieldOptionalityChanged, "PetQuery.tag", Breaking),
            // Only read: callers do not build it.
            (K::FieldOptionalityChanged, "PetStats.count", Breaking),
        ],
    );
    for c in r.changes.iter().filter(|c| c.severity == Breaking) {
        assert!(
            c.message.contains("the struct no longer derives `Default`"),
            "{}",
            c.message
        );
    }
    // Back again: the structs derive `Default` once more; a field becoming optional
    // breaks only readers.
    expect(
        &reverse("struct_loses_default"),
        &[
            (K::FieldRemoved, "PetPatch.age", Breaking),
            (K::FieldRemoved, "PetPatch.reason", Breaking),
            (K::FieldOptionalityChanged, "PetQuery.tag", Breaking),
            (K::FieldOptionalityChanged, "PetStats.count", Breaking),
        ],
    );
}

#[test]
fn stream_changed() {
    let r = snapshot("stream_changed");
    expect(
        &r,
        &[
            (K::ParamRemoved, "list_owners.offset", Breaking),
            (K::StreamRemoved, "list_owners.list_owners_stream", Breaking),
            (K::OperationRenamed, "list_pet_tags", Breaking),
            (
                K::StreamRenamed,
                "list_pet_tags.list_pet_tags_stream",
                Breaking,
            ),
            (K::ParamAdded, "list_pets.offset", Additive),
            (K::StreamAdded, "list_pets.list_pets_stream", Additive),
        ],
    );
    let renamed = &r.changes[3];
    assert_eq!(renamed.old.as_deref(), Some("list_tags_stream"));
    assert_eq!(renamed.new.as_deref(), Some("list_pet_tags_stream"));
    // The surface names the stream method of paged lists only.
    let s = surface("stream_changed", "new");
    assert_eq!(
        s.operations["list_pets"].stream.as_deref(),
        Some("list_pets_stream")
    );
    assert_eq!(s.operations["list_owners"].stream, None);
}

#[test]
fn field_added_required() {
    let r = snapshot("field_added_required");
    // `NewPet` is a request body: callers must now set `born`. `Pet` is only returned.
    expect(
        &r,
        &[
            (K::FieldAdded, "NewPet.born", Breaking),
            (K::FieldAdded, "Pet.born", Additive),
        ],
    );
}

#[test]
fn field_removed() {
    let r = snapshot("field_removed");
    expect(&r, &[(K::FieldRemoved, "Pet.tag", Breaking)]);
}

#[test]
fn field_type_changed() {
    let r = snapshot("field_type_changed");
    expect(&r, &[(K::FieldTypeChanged, "Pet.tag", Breaking)]);
    assert_eq!(r.changes[0].old.as_deref(), Some("Option<String>"));
    assert_eq!(r.changes[0].new.as_deref(), Some("Option<Vec<String>>"));
}

#[test]
fn field_optionality_changed() {
    let r = snapshot("field_optionality_changed");
    expect(
        &r,
        &[
            // Sent in requests: callers must now set it.
            (K::FieldOptionalityChanged, "NewPet.tag", Breaking),
            // Only returned: readers may now get `None`.
            (K::FieldOptionalityChanged, "Pet.name", Breaking),
            // Only returned: readers are now guaranteed a value.
            (K::FieldOptionalityChanged, "Pet.tag", Breaking),
        ],
    );
    // The other way round: `NewPet.tag` optional again is fine for callers who build it.
    expect(
        &reverse("field_optionality_changed"),
        &[
            (K::FieldOptionalityChanged, "NewPet.tag", Breaking),
            (K::FieldOptionalityChanged, "Pet.name", Breaking),
            (K::FieldOptionalityChanged, "Pet.tag", Breaking),
        ],
    );
}

#[test]
fn enum_value_added() {
    let r = snapshot("enum_value_added");
    // Generated enums keep unknown values in a catch-all variant: a new value is additive.
    expect(&r, &[(K::EnumValueAdded, "PetKind.bird", Additive)]);
}

#[test]
fn enum_value_removed() {
    let r = snapshot("enum_value_removed");
    expect(&r, &[(K::EnumValueRemoved, "PetKind.dog", Breaking)]);
}

#[test]
fn union_variant_added() {
    let r = snapshot("union_variant_added");
    expect(&r, &[(K::UnionVariantAdded, "Animal.Error", Additive)]);
    expect(
        &reverse("union_variant_added"),
        &[(K::UnionVariantRemoved, "Animal.Error", Breaking)],
    );
}

#[test]
fn unchanged() {
    let r = snapshot("unchanged");
    assert!(r.is_empty(), "{}", r.render_text());
    assert!(r.render_text().starts_with("API surface unchanged\n"));
}

/// Every case read backwards: additions become removals, which are breaking.
#[test]
fn reverse_of_additions_is_breaking() {
    for case in [
        "operation_added",
        "param_added_optional",
        "type_added",
        "field_added_optional",
        "enum_value_added",
        "union_variant_added",
    ] {
        let r = reverse(case);
        assert!(r.has_breaking(), "{case}:\n{}", r.render_text());
        assert!(
            r.changes
                .iter()
                .all(|c| c.severity == Breaking || c.kind == K::OperationDeprecated),
            "{case}:\n{}",
            r.render_text()
        );
    }
}

/// A surface survives its JSON form, and comparing a surface with itself finds nothing.
#[test]
fn surface_json_round_trip() {
    let s = surface("type_added", "new");
    let text = s.to_json();
    let back = Surface::from_json(&text).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.to_json(), text, "surface.json is stable");
    assert!(generator::diff::diff(&s, &back).is_empty());
    assert_eq!(s.spec_sha256.as_deref().map(str::len), Some(64));
}

/// The generated tree carries `surface.json`, and the module root's header names the spec's
/// hash. Only the root: a spec edit must not rewrite every generated file.
#[test]
fn generated_files_carry_surface_and_hash() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff/type_added.new.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let spec = generator::load("type_added.new.yaml", &text).unwrap();
    let g = generator::generate(&spec, &Settings::default()).unwrap();
    let line = format!("// Spec sha256: {}\n", spec.sha256);
    for (path, body) in &g.files {
        if path.ends_with(".rs") {
            assert_eq!(body.contains(&line), path == "mod.rs", "{path}");
        }
    }
    let json = &g.files[generator::surface::SURFACE_FILE];
    assert_eq!(Surface::from_json(json).unwrap(), g.surface);
    assert_eq!(g.surface.spec_sha256.as_deref(), Some(spec.sha256.as_str()));
}
