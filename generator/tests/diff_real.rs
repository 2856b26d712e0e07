//! Spec-change review between the two real revisions of the SailPoint beta document in
//! `../shared/specs/sailpoint-beta/` (2026-01-09 → 2026-08-04). The facts checked here
//! were read off the documents themselves (operation ids and component enums compared
//! with a script), not off the report.

use generator::diff::{ChangeKind, Report, Scope, Severity};
use generator::{Settings, Spec, Surface};
use std::sync::OnceLock;

const OLD: &str = "deref-sailpoint-api.beta.2026-01-09.yaml";
const NEW: &str = "deref-sailpoint-api.beta.2026-08-04.yaml";

fn load(name: &str) -> Spec {
    let path = format!(
        "{}/../../shared/specs/sailpoint-beta/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    generator::load(name, &text).unwrap_or_else(|e| panic!("{e}"))
}

/// Both documents, parsed once for all tests.
fn specs() -> &'static (Spec, Spec) {
    static SPECS: OnceLock<(Spec, Spec)> = OnceLock::new();
    SPECS.get_or_init(|| (load(OLD), load(NEW)))
}

fn surface(spec: &Spec) -> Surface {
    let (api, _) = generator::lower_to_ir(spec, &Settings::default()).unwrap();
    Surface::from_api(&api, Some(&spec.sha256))
}

fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        let (old, new) = specs();
        generator::diff::diff(&surface(old), &surface(new))
    })
}

/// The change of `kind` on `name` (and `member`), which must exist.
fn find(name: &str, kind: ChangeKind, member: Option<&str>) -> &'static generator::diff::Change {
    report()
        .changes
        .iter()
        .find(|c| c.name == name && c.kind == kind && c.member.as_deref() == member)
        .unwrap_or_else(|| {
            panic!(
                "no {kind:?} for {name} {member:?} in:\n{}",
                report().render_text()
            )
        })
}

#[test]
fn report_is_not_empty_and_has_both_kinds() {
    let r = report();
    assert!(!r.is_empty());
    assert!(r.has_breaking(), "{}", r.render_text());
    assert!(r.additive() > 0, "{}", r.render_text());
    assert_eq!(r.breaking() + r.additive(), r.changes.len());
    assert_ne!(r.old.spec_sha256, r.new.spec_sha256);
}

/// `AccessRequestType` gained `MODIFY_ACCESS`; `RoleCriteriaOperation` gained five
/// comparison operators. Generated enums are forward-compatible: additive.
#[test]
fn enum_values_gained_are_additive() {
    let c = find(
        "AccessRequestType",
        ChangeKind::EnumValueAdded,
        Some("MODIFY_ACCESS"),
    );
    assert_eq!(c.severity, Severity::Additive);
    for v in [
        "DOES_NOT_CONTAIN",
        "GREATER_THAN",
        "LESS_THAN",
        "GREATER_THAN_EQUALS",
        "LESS_THAN_EQUALS",
    ] {
        let c = find("RoleCriteriaOperation", ChangeKind::EnumValueAdded, Some(v));
        assert_eq!(c.severity, Severity::Additive);
    }
}

/// `Medium` lost `SMS` and `PHONE`: breaking.
#[test]
fn enum_values_lost_are_breaking() {
    for v in ["SMS", "PHONE"] {
        let c = find("Medium", ChangeKind::EnumValueRemoved, Some(v));
        assert_eq!(c.severity, Severity::Breaking);
    }
}

/// `patchPotentialRole` is gone; the same `PATCH` on the same path is now
/// `patchPotentialRoleSession`. The method callers used no longer exists: breaking.
#[test]
fn operation_removed_is_breaking() {
    let c = find(
        "patch_potential_role_session",
        ChangeKind::OperationRenamed,
        None,
    );
    assert_eq!(c.severity, Severity::Breaking);
    assert_eq!(c.old.as_deref(), Some("patch_potential_role"));
    assert!(
        c.context.starts_with("PATCH /role-mining-sessions/"),
        "{}",
        c.context
    );
    assert!(
        !report()
            .changes
            .iter()
            .any(|c| c.name == "patch_potential_role" && c.kind == ChangeKind::OperationAdded)
    );
}

/// Four new access-model-metadata operations: additive.
#[test]
fn operations_added_are_additive() {
    for name in [
        "create_access_model_metadata_attribute",
        "create_access_model_metadata_attribute_value",
        "update_access_model_metadata_attribute",
        "update_access_model_metadata_attribute_value",
    ] {
        let c = find(name, ChangeKind::OperationAdded, None);
        assert_eq!(c.severity, Severity::Additive);
        assert_eq!(c.scope, Scope::Operation);
    }
    // New component schemas.
    for name in ["AdditionalOwnerRef", "JsonPatchOperationRoleMining"] {
        assert_eq!(
            find(name, ChangeKind::TypeAdded, None).severity,
            Severity::Additive
        );
    }
}

/// Optional fields added: `Role` (sent by `createRole`; `name` and `owner` are required,
/// so it has no `Default`) gained `privilegeLevel` and `additionalOwners`, and
/// `RequestedItemDtoRef` (sent in access requests; `id` and `type` required) gained
/// `startDate`; `SendTestNotificationRequestDto` (sent, no required property) gained
/// `locale` and three recipient lists, and `PendingApproval` (only returned) gained
/// `startDate`. Callers build structs with `new(required...)` or `..Default::default()`
/// and then set fields, so none of them breaks: all additive.
#[test]
fn optional_fields_added_are_additive() {
    for (name, field) in [
        ("Role", "privilege_level"),
        ("Role", "additional_owners"),
        ("RequestedItemDtoRef", "start_date"),
        ("SendTestNotificationRequestDto", "locale"),
        ("SendTestNotificationRequestDto", "recipient_email_list"),
        ("PendingApproval", "start_date"),
    ] {
        let c = find(name, ChangeKind::FieldAdded, Some(field));
        assert_eq!(c.severity, Severity::Additive, "{name}.{field}");
    }
}

/// `searchFormInstancesByTenant` and `getWorkflowExecutionHistory` gained `limit` and
/// `offset`: each now has a `*_stream` method, additive.
#[test]
fn streams_gained_are_additive() {
    for (op, stream) in [
        (
            "search_form_instances_by_tenant",
            "search_form_instances_by_tenant_stream",
        ),
        (
            "get_workflow_execution_history",
            "get_workflow_execution_history_stream",
        ),
    ] {
        let c = find(op, ChangeKind::StreamAdded, Some(stream));
        assert_eq!(c.severity, Severity::Additive);
        assert_eq!(c.new.as_deref(), Some(stream));
    }
    assert!(
        !report().changes.iter().any(|c| matches!(
            c.kind,
            ChangeKind::StreamRemoved | ChangeKind::StreamRenamed
        )),
        "{}",
        report().render_text()
    );
}

/// Same input, same report and same bytes in every format; and the report is sorted.
#[test]
fn report_is_deterministic() {
    let (old, new) = specs();
    let again = generator::diff::diff(&surface(old), &surface(new));
    let r = report();
    assert_eq!(&again, r);
    assert_eq!(again.render_text(), r.render_text());
    assert_eq!(again.render_markdown(), r.render_markdown());
    assert_eq!(again.render_json(), r.render_json());
    let keys: Vec<_> = r
        .changes
        .iter()
        .map(|c| (c.scope, c.name.clone(), c.kind, c.member.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // Markdown: title with counts, breaking before additive.
    let md = r.render_markdown();
    assert!(md.starts_with(&format!(
        "## API changes: {} breaking, {} additive",
        r.breaking(),
        r.additive()
    )));
    let b = md.find("### Breaking").unwrap();
    let a = md.find("### Additive").unwrap();
    assert!(b < a);
}

/// A surface compared with itself, and the JSON rendering parses.
#[test]
fn same_document_has_no_changes() {
    let (_, new) = specs();
    let s = surface(new);
    assert!(generator::diff::diff(&s, &s).is_empty());
    let json: serde_json::Value = serde_json::from_str(&report().render_json()).unwrap();
    assert_eq!(json["report_format"], 1);
    assert_eq!(
        json["changes"].as_array().unwrap().len(),
        report().changes.len()
    );
}
