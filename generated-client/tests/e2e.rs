//! End-to-end: every generated `Sources` operation against Prism, the OpenAPI mock and
//! validation server, serving a spec (`cargo xtask e2e` serves the project's spec and the
//! real beta document in turn).
//!
//! * Prism validates each request against the spec; a request it rejects (an answer with
//!   an `sl-violations` header that blames the request) fails the test and prints the
//!   violations.
//! * Success answers built from the spec's examples (`static`), named examples
//!   (`Prefer: example=...`) and bodies generated from the schemas (`Prefer:
//!   dynamic=true, seed=N`, several seeds) must decode into the generated types.
//! * Every error status an operation declares, forced with `Prefer: code=N` (static and
//!   dynamic bodies), must decode into the typed error variant of that status.
//!
//! What Prism cannot exercise because of a defect of the document itself (its own
//! example breaks its schema, so `prism mock --errors` answers 500 instead) must be
//! listed, with the reason, under `prism:` in `tests/spec_defects.yaml`; anything else
//! fails.
//!
//! The tests are `#[ignore]`d: they need a running Prism and are run, with `--ignored`,
//! by `cargo xtask e2e`, which starts Prism and passes its URL in `E2E_BASE_URL`. Under a
//! plain `cargo test` they show up as "ignored" instead of passing without checking
//! anything; run with `--ignored` but without `E2E_BASE_URL`, they fail and say why.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Debug};
use std::sync::OnceLock;
use std::time::Duration;

use generated_client::models::*;
use generated_client::operations::*;
use generated_client::runtime::{Bytes, HeaderMap, RetryPolicy};
use generated_client::{Client, Error, Response};
use serde_json::{Value, json};
use support::{Defects, Operation, Spec};

/// The bearer token sent with every request (Prism checks that one is present).
const TOKEN: &str = "e2e-token";
const SOURCE_ID: &str = "2c9180835d191a86015d28455b4a2329";
const SCHEMA_ID: &str = "2c9180835d191a86015d28455b4a2330";
const IDENTITY_ID: &str = "2c91808568c529c60168cca6f90c1313";

/// The error statuses checked with `Prefer: code=N`.
const ERROR_STATUSES: [u16; 6] = [400, 401, 403, 404, 429, 500];

// ---------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------

struct Env {
    base_url: String,
    /// File name of the served document (names its entries in spec_defects.yaml).
    spec_name: String,
    dynamic_runs: u32,
    ops: Vec<Operation>,
    defects: Vec<support::PrismDefect>,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let base_url = std::env::var("E2E_BASE_URL").unwrap_or_else(|_| {
            panic!(
                "E2E_BASE_URL is not set. These tests call a Prism mock server: run them with \
                 `cargo xtask e2e`, which starts Prism and sets E2E_BASE_URL, E2E_SPEC and \
                 E2E_SPEC_NAME."
            )
        });
        let spec_path = std::env::var("E2E_SPEC").unwrap_or_else(|_| support::PROJECT_SPEC.into());
        let spec = Spec::load(&spec_path);
        let spec_name = std::env::var("E2E_SPEC_NAME").unwrap_or_else(|_| spec.name.clone());
        let dynamic_runs = std::env::var("E2E_DYNAMIC_RUNS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(5);
        let ops = spec.tagged_operations();
        let defects = Defects::load()
            .prism
            .into_iter()
            .filter(|d| d.spec == spec_name)
            .collect();
        println!(
            "E2E against {base_url} serving {spec_name} ({} {} operations)",
            ops.len(),
            support::TAG
        );
        Env {
            base_url,
            spec_name,
            dynamic_runs,
            ops,
            defects,
        }
    })
}

/// A client for the mock. `prefer` becomes a `Prefer` header on every request (the
/// runtime has no per-request header hook, hence one client per value). No retries: a
/// forced 429 or 500 must come back as it is.
fn client(prefer: Option<&str>) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(prefer) = prefer {
        headers.insert("prefer", prefer.parse().expect("Prefer header value"));
    }
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client");
    Client::builder()
        .base_url(env().base_url.as_str())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .http_client(http)
        .build()
        .expect("client")
}

// ---------------------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------------------

/// One entry of Prism's `sl-violations` header.
#[derive(Debug, Clone)]
struct Violation {
    location: Vec<String>,
    severity: String,
    message: String,
}

impl Violation {
    fn blames_request(&self) -> bool {
        self.location.first().map(String::as_str) != Some("response")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {}: {}",
            self.severity,
            self.location.join("."),
            self.message
        )
    }
}

fn violations(headers: &HeaderMap) -> Vec<Violation> {
    let Some(raw) = headers.get("sl-violations") else {
        return vec![];
    };
    let raw = String::from_utf8_lossy(raw.as_bytes()).into_owned();
    match serde_json::from_str::<Vec<Value>>(&raw) {
        Ok(list) => list
            .iter()
            .map(|v| Violation {
                location: v["location"]
                    .as_array()
                    .map(|l| {
                        l.iter()
                            .map(|s| {
                                s.as_str()
                                    .map(str::to_string)
                                    .unwrap_or_else(|| s.to_string())
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                severity: v["severity"].as_str().unwrap_or("?").to_string(),
                message: v["message"].as_str().unwrap_or("?").to_string(),
            })
            .collect(),
        Err(_) => vec![Violation {
            location: vec!["?".into()],
            severity: "?".into(),
            message: raw,
        }],
    }
}

/// What one call gave, independent of the operation's types.
#[derive(Debug)]
enum Outcome {
    /// A success status, body decoded into the generated type.
    Success {
        status: u16,
        violations: Vec<Violation>,
    },
    /// A non-success status (`Error::Api`).
    Api {
        status: u16,
        violations: Vec<Violation>,
        /// The typed error variant (`BadRequest`, ...) when the body decoded.
        variant: Option<String>,
        body_error: Option<String>,
        raw: String,
    },
    /// A success status whose body did not decode.
    Decode {
        status: u16,
        violations: Vec<Violation>,
        message: String,
    },
    /// No answer, or the request could not be built.
    Other(String),
}

fn outcome<T, E: Debug>(result: Result<Response<T>, Error<E>>) -> Outcome {
    match result {
        Ok(resp) => Outcome::Success {
            status: resp.status,
            violations: violations(&resp.headers),
        },
        Err(Error::Api(api)) => Outcome::Api {
            status: api.status,
            violations: violations(&api.headers),
            variant: api.body.as_ref().map(|b| {
                let debug = format!("{b:?}");
                debug
                    .split(['(', ' ', '{'])
                    .next()
                    .unwrap_or_default()
                    .to_string()
            }),
            body_error: api.body_error.clone(),
            raw: String::from_utf8_lossy(&api.raw)
                .chars()
                .take(600)
                .collect(),
        },
        Err(Error::Decode(d)) => Outcome::Decode {
            status: d.status,
            violations: violations(&d.headers),
            message: d.to_string(),
        },
        Err(other) => Outcome::Other(other.to_string()),
    }
}

/// The typed error variant the generator emits for a status.
fn variant_for(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        _ => "?",
    }
}

// ---------------------------------------------------------------------------------------
// The 43 operations, called with valid arguments
// ---------------------------------------------------------------------------------------

/// The operations the generated client has, by operationId.
const CLIENT_OPERATIONS: [&str; 43] = [
    "createProvisioningPolicy",
    "createSource",
    "createSourceSchema",
    "delete",
    "deleteAccountsAsync",
    "deleteNativeChangeDetectionConfig",
    "deleteProvisioningPolicy",
    "deleteSourceSchema",
    "getCorrelationConfig",
    "getNativeChangeDetectionConfig",
    "getProvisioningPolicy",
    "getSource",
    "getSourceAccountsSchema",
    "getSourceAttrSyncConfig",
    "getSourceConfig",
    "getSourceEntitlementRequestConfig",
    "getSourceEntitlementsSchema",
    "getSourceSchema",
    "getSourceSchemas",
    "importAccounts",
    "importEntitlements",
    "importSourceAccountsSchema",
    "importSourceConnectorFile",
    "importSourceEntitlementsSchema",
    "importUncorrelatedAccounts",
    "listProvisioningPolicies",
    "listSources",
    "peekResourceObjects",
    "pingCluster",
    "putCorrelationConfig",
    "putNativeChangeDetectionConfig",
    "putProvisioningPolicy",
    "putSource",
    "putSourceAttrSyncConfig",
    "putSourceSchema",
    "syncAttributesForSource",
    "testSourceConfiguration",
    "testSourceConnection",
    "updateProvisioningPoliciesInBulk",
    "updateProvisioningPolicy",
    "updateSource",
    "updateSourceEntitlementRequestConfig",
    "updateSourceSchema",
];

fn source() -> Source {
    Source {
        unknown_fields: Default::default(),
        name: "Corporate Directory".into(),
        description: Some("Employees and contractors of the corporate directory.".into()),
        owner: Some(SourceOwner {
            unknown_fields: Default::default(),
            type_: Some(SourceOwnerType::Identity),
            id: Some(IDENTITY_ID.into()),
            name: Some("Jane Doe".into()),
        }),
        cluster: Some(SourceCluster {
            unknown_fields: Default::default(),
            type_: SourceClusterType::Cluster,
            id: "2c9180866166b5b0016167c32ef31a66".into(),
            name: "Corporate Cluster".into(),
        }),
        account_correlation_config: Some(SourceAccountCorrelationConfig {
            unknown_fields: Default::default(),
            type_: Some(SourceAccountCorrelationConfigType::AccountCorrelationConfig),
            id: Some("2c9180855d191c59015d28583727245a".into()),
            name: Some("Directory Account Correlation".into()),
        }),
        account_correlation_rule: None,
        manager_correlation_mapping: Some(ManagerCorrelationMapping {
            unknown_fields: Default::default(),
            account_attribute_name: Some("manager".into()),
            identity_attribute_name: Some("manager".into()),
        }),
        manager_correlation_rule: None,
        before_provisioning_rule: None,
        schemas: None,
        password_policies: None,
        features: Some(vec![
            SourceFeatureItem::Provisioning,
            SourceFeatureItem::NoPermissionsProvisioning,
            SourceFeatureItem::GroupsHaveMembers,
        ]),
        type_: Some("Active Directory - Direct".into()),
        connector: "active-directory".into(),
        connector_class: Some("sailpoint.connector.ADLDAPConnector".into()),
        connector_attributes: Some(json!({
            "healthCheckTimeout": 30,
            "authSearchAttributes": ["cn", "uid", "mail"]
        })),
        delete_threshold: Some(10),
        authoritative: Some(false),
        management_workgroup: None,
        healthy: None,
        status: None,
        since: None,
        connector_id: None,
        connector_name: Some("Active Directory".into()),
        connection_type: Some("direct".into()),
        connector_implementation_id: None,
        created: None,
        modified: None,
        credential_provider_enabled: Some(false),
        category: None,
        id: None,
    }
}

fn schema() -> Schema {
    Schema {
        name: Some("account".into()),
        native_object_type: Some("User".into()),
        identity_attribute: Some("sAMAccountName".into()),
        display_attribute: Some("distinguishedName".into()),
        hierarchy_attribute: None,
        include_permissions: Some(false),
        features: Some(vec![SourceFeatureItem::Provisioning]),
        configuration: Some(json!({"groupMemberAttribute": "member"})),
        attributes: Some(vec![
            AttributeDefinition {
                name: Some("sAMAccountName".into()),
                type_: Some(AttributeDefinitionType::String),
                is_multi: Some(false),
                is_entitlement: Some(false),
                is_group: Some(false),
                ..Default::default()
            },
            AttributeDefinition {
                name: Some("memberOf".into()),
                type_: Some(AttributeDefinitionType::String),
                schema: Some(AttributeDefinitionSchema {
                    unknown_fields: Default::default(),
                    type_: Some(AttributeDefinitionSchemaType::ConnectorSchema),
                    id: Some("2c9180887671ff8c01767b4671fc7d60".into()),
                    name: Some("group".into()),
                }),
                description: Some("Group membership".into()),
                is_multi: Some(true),
                is_entitlement: Some(true),
                is_group: Some(true),
                ..Default::default()
            },
        ]),
        ..Default::default()
    }
}

fn policy() -> ProvisioningPolicyDto {
    ProvisioningPolicyDto {
        unknown_fields: Default::default(),
        name: Some("Account".into()),
        description: Some("Account provisioning policy".into()),
        usage_type: Some(UsageType::Create),
        fields: Some(vec![FieldDetailsDto {
            name: Some("displayName".into()),
            transform: Some(
                json!({"type": "identityAttribute", "attributes": {"name": "displayName"}}),
            ),
            attributes: Some(json!({})),
            type_: Some(FieldDetailsDtoType::String),
            is_multi_valued: Some(false),
            ..Default::default()
        }]),
    }
}

fn correlation_config() -> CorrelationConfig {
    CorrelationConfig {
        unknown_fields: Default::default(),
        id: Some("2c9180835d191a86015d28455b4a2329".into()),
        name: Some("Source [source] Account Correlation".into()),
        attribute_assignments: Some(vec![CorrelationConfigAttributeAssignmentsItem {
            unknown_fields: Default::default(),
            sequence: Some(1),
            property: Some("first_name".into()),
            value: Some("firstName".into()),
            operation: Some(CorrelationConfigAttributeAssignmentsItemOperation::Eq),
            complex: Some(false),
            ignore_case: Some(true),
            match_mode: Some(CorrelationConfigAttributeAssignmentsItemMatchMode::Anywhere),
            filter_string: Some("first_name == \"John\"".into()),
        }]),
    }
}

fn native_change_detection() -> NativeChangeDetectionConfig {
    NativeChangeDetectionConfig {
        unknown_fields: Default::default(),
        enabled: Some(true),
        operations: Some(vec![
            NativeChangeDetectionConfigOperationsItem::AccountUpdated,
            NativeChangeDetectionConfigOperationsItem::AccountDeleted,
        ]),
        all_entitlements: Some(false),
        all_non_entitlement_attributes: Some(false),
        selected_entitlements: Some(vec!["memberOf".into()]),
        selected_non_entitlement_attributes: Some(vec!["lastName".into(), "phoneNumber".into()]),
    }
}

fn attr_sync_config() -> AttrSyncSourceConfig {
    AttrSyncSourceConfig {
        unknown_fields: Default::default(),
        source: AttrSyncSource {
            unknown_fields: Default::default(),
            type_: Some(AttrSyncSourceType::Source),
            id: Some(SOURCE_ID.into()),
            name: Some("HR Active Directory".into()),
        },
        attributes: vec![
            AttrSyncSourceAttributeConfig {
                unknown_fields: Default::default(),
                name: "email".into(),
                display_name: "Email".into(),
                enabled: true,
                target: "mail".into(),
            },
            AttrSyncSourceAttributeConfig {
                unknown_fields: Default::default(),
                name: "firstname".into(),
                display_name: "First Name".into(),
                enabled: false,
                target: "givenName".into(),
            },
        ],
    }
}

fn entitlement_request_config() -> SourceEntitlementRequestConfig {
    SourceEntitlementRequestConfig {
        unknown_fields: Default::default(),
        access_request_config: Some(EntitlementAccessRequestConfig {
            approval_schemes: Some(vec![
                EntitlementApprovalScheme {
                    unknown_fields: Default::default(),
                    approver_type: Some(EntitlementApprovalSchemeApproverType::SourceOwner),
                    approver_id: None,
                },
                EntitlementApprovalScheme {
                    unknown_fields: Default::default(),
                    approver_type: Some(EntitlementApprovalSchemeApproverType::GovernanceGroup),
                    approver_id: Some("95e538a3-30c1-433a-af05-4bed973bbc22".into()),
                },
            ]),
            request_comment_required: Some(true),
            denial_comment_required: Some(false),
            ..Default::default()
        }),
        revocation_request_config: Some(EntitlementRevocationRequestConfig {
            unknown_fields: Default::default(),
            approval_schemes: Some(vec![]),
        }),
    }
}

fn patch(
    op: JsonPatchOperationOp,
    path: &str,
    value: Option<JsonPatchOperationValue>,
) -> JsonPatchOperation {
    JsonPatchOperation {
        unknown_fields: Default::default(),
        op,
        path: path.into(),
        value,
    }
}

const ACCOUNTS_CSV: &[u8] =
    b"id,name,givenName,familyName,e-mail\n1,jdoe,Jane,Doe,jane.doe@example.com\n";

fn csv() -> Option<Bytes> {
    Some(Bytes::from_static(ACCOUNTS_CSV))
}

/// Call operation `op` with valid arguments.
async fn call(c: &Client, op: &str) -> Outcome {
    let usage = UsageType::Create;
    match op {
        "createProvisioningPolicy" => {
            outcome(c.create_provisioning_policy(SOURCE_ID, &policy()).await)
        }
        "createSource" => outcome(
            c.create_source(
                &source(),
                &CreateSourceParams {
                    provision_as_csv: Some(false),
                },
            )
            .await,
        ),
        "createSourceSchema" => outcome(c.create_source_schema(SOURCE_ID, &schema()).await),
        "delete" => outcome(c.delete(SOURCE_ID).await),
        "deleteAccountsAsync" => outcome(c.delete_accounts_async(SOURCE_ID).await),
        "deleteNativeChangeDetectionConfig" => {
            outcome(c.delete_native_change_detection_config(SOURCE_ID).await)
        }
        "deleteProvisioningPolicy" => {
            outcome(c.delete_provisioning_policy(SOURCE_ID, &usage).await)
        }
        "deleteSourceSchema" => outcome(c.delete_source_schema(SOURCE_ID, SCHEMA_ID).await),
        "getCorrelationConfig" => outcome(c.get_correlation_config(SOURCE_ID).await),
        "getNativeChangeDetectionConfig" => {
            outcome(c.get_native_change_detection_config(SOURCE_ID).await)
        }
        "getProvisioningPolicy" => outcome(c.get_provisioning_policy(SOURCE_ID, &usage).await),
        "getSource" => outcome(c.get_source(SOURCE_ID).await),
        "getSourceAccountsSchema" => outcome(c.get_source_accounts_schema(SOURCE_ID).await),
        "getSourceAttrSyncConfig" => outcome(c.get_source_attr_sync_config(SOURCE_ID).await),
        "getSourceConfig" => outcome(
            c.get_source_config(
                SOURCE_ID,
                &GetSourceConfigParams {
                    locale: Some(GetSourceConfigLocale::En),
                },
            )
            .await,
        ),
        "getSourceEntitlementRequestConfig" => {
            outcome(c.get_source_entitlement_request_config(SOURCE_ID).await)
        }
        "getSourceEntitlementsSchema" => outcome(
            c.get_source_entitlements_schema(
                SOURCE_ID,
                &GetSourceEntitlementsSchemaParams {
                    schema_name: Some("group".into()),
                },
            )
            .await,
        ),
        "getSourceSchema" => outcome(c.get_source_schema(SOURCE_ID, SCHEMA_ID).await),
        "getSourceSchemas" => outcome(
            c.get_source_schemas(
                SOURCE_ID,
                &GetSourceSchemasParams {
                    include_types: Some(GetSourceSchemasIncludeTypes::Group),
                    include_names: Some("account".into()),
                },
            )
            .await,
        ),
        "importAccounts" => outcome(
            c.import_accounts(
                SOURCE_ID,
                Some(&ImportAccountsForm {
                    disable_optimization: Some(ImportAccountsRequestDisableOptimization::True),
                    file: csv(),
                }),
            )
            .await,
        ),
        "importEntitlements" => outcome(
            c.import_entitlements(
                SOURCE_ID,
                Some(&ImportEntitlementsForm {
                    file: Some(Bytes::from_static(
                        b"id,name,displayName\ngrp1,Admins,Administrators\n",
                    )),
                }),
            )
            .await,
        ),
        "importSourceAccountsSchema" => outcome(
            c.import_source_accounts_schema(
                SOURCE_ID,
                &ImportSourceAccountsSchemaForm {
                    file: Some(Bytes::from_static(b"id,name,givenName,familyName,e-mail\n")),
                },
            )
            .await,
        ),
        "importSourceConnectorFile" => outcome(
            c.import_source_connector_file(
                SOURCE_ID,
                &ImportSourceConnectorFileForm {
                    // The start of a JAR (zip) file: binary, not UTF-8.
                    file: Some(Bytes::from_static(
                        b"PK\x03\x04\x14\x00\x08\x08\x08\x00\xff\xfe\x00\x01",
                    )),
                },
            )
            .await,
        ),
        "importSourceEntitlementsSchema" => outcome(
            c.import_source_entitlements_schema(
                SOURCE_ID,
                &ImportSourceEntitlementsSchemaForm {
                    file: Some(Bytes::from_static(b"id,name,displayName,description\n")),
                },
                &ImportSourceEntitlementsSchemaParams {
                    schema_name: Some("group".into()),
                },
            )
            .await,
        ),
        "importUncorrelatedAccounts" => outcome(
            c.import_uncorrelated_accounts(
                SOURCE_ID,
                Some(&ImportUncorrelatedAccountsForm { file: csv() }),
            )
            .await,
        ),
        "listProvisioningPolicies" => outcome(c.list_provisioning_policies(SOURCE_ID).await),
        "listSources" => outcome(
            c.list_sources(&ListSourcesParams {
                limit: Some(50),
                offset: Some(0),
                count: Some(true),
                filters: Some("name eq \"Employees\"".into()),
                sorters: Some("-created,name".into()),
                for_subadmin: Some("me".into()),
                include_idn_source: Some(false),
            })
            .await,
        ),
        "peekResourceObjects" => outcome(
            c.peek_resource_objects(
                SOURCE_ID,
                &ResourceObjectsRequest { unknown_fields: Default::default(),
                    object_type: Some("account".into()),
                    max_count: Some(25),
                },
            )
            .await,
        ),
        "pingCluster" => outcome(c.ping_cluster(SOURCE_ID).await),
        "putCorrelationConfig" => outcome(
            c.put_correlation_config(SOURCE_ID, &correlation_config())
                .await,
        ),
        "putNativeChangeDetectionConfig" => outcome(
            c.put_native_change_detection_config(SOURCE_ID, &native_change_detection())
                .await,
        ),
        "putProvisioningPolicy" => outcome(
            c.put_provisioning_policy(SOURCE_ID, &usage, &policy())
                .await,
        ),
        "putSource" => outcome(c.put_source(SOURCE_ID, &source()).await),
        "putSourceAttrSyncConfig" => outcome(
            c.put_source_attr_sync_config(SOURCE_ID, &attr_sync_config(), &Default::default())
                .await,
        ),
        "putSourceSchema" => outcome(c.put_source_schema(SOURCE_ID, SCHEMA_ID, &schema()).await),
        "syncAttributesForSource" => outcome(c.sync_attributes_for_source(SOURCE_ID).await),
        "testSourceConfiguration" => outcome(c.test_source_configuration(SOURCE_ID).await),
        "testSourceConnection" => outcome(c.test_source_connection(SOURCE_ID).await),
        "updateProvisioningPoliciesInBulk" => outcome(
            c.update_provisioning_policies_in_bulk(SOURCE_ID, &[policy()])
                .await,
        ),
        "updateProvisioningPolicy" => outcome(
            c.update_provisioning_policy(
                SOURCE_ID,
                &usage,
                &[patch(
                    JsonPatchOperationOp::Add,
                    "/fields/0",
                    Some(JsonPatchOperationValue::Object(
                        serde_json::from_value(json!({
                            "name": "email",
                            "transform": {"type": "identityAttribute", "attributes": {"name": "email"}},
                            "attributes": {},
                            "isRequired": false,
                            "type": "string",
                            "isMultiValued": false
                        }))
                        .unwrap(),
                    )),
                )],
            )
            .await,
        ),
        "updateSource" => outcome(
            c.update_source(
                SOURCE_ID,
                &[
                    patch(
                        JsonPatchOperationOp::Replace,
                        "/description",
                        Some(JsonPatchOperationValue::String("new description".into())),
                    ),
                    patch(
                        JsonPatchOperationOp::Replace,
                        "/features",
                        Some(JsonPatchOperationValue::JsonPatchOperationValueVariant4ItemList(
                            ["PASSWORD", "PROVISIONING"]
                                .map(|f| JsonPatchOperationValueVariant4Item::String(f.into()))
                                .to_vec(),
                        )),
                    ),
                    patch(
                        JsonPatchOperationOp::Replace,
                        "/deleteThreshold",
                        Some(JsonPatchOperationValue::Integer(20)),
                    ),
                    patch(
                        JsonPatchOperationOp::Replace,
                        "/authoritative",
                        Some(JsonPatchOperationValue::Boolean(false)),
                    ),
                    patch(
                        JsonPatchOperationOp::Remove,
                        "/managerCorrelationRule",
                        None,
                    ),
                ],
            )
            .await,
        ),
        "updateSourceEntitlementRequestConfig" => outcome(
            c.update_source_entitlement_request_config(SOURCE_ID, &entitlement_request_config())
                .await,
        ),
        "updateSourceSchema" => outcome(
            c.update_source_schema(
                SOURCE_ID,
                SCHEMA_ID,
                &[patch(
                    JsonPatchOperationOp::Replace,
                    "/displayAttribute",
                    Some(JsonPatchOperationValue::String("cn".into())),
                )],
            )
            .await,
        ),
        other => Outcome::Other(format!("the test has no call for operation {other}")),
    }
}

// ---------------------------------------------------------------------------------------
// Judging outcomes
// ---------------------------------------------------------------------------------------

/// Failures, and what Prism could not exercise (listed in spec_defects.yaml), of one test.
#[derive(Default)]
struct Tally {
    calls: usize,
    failures: Vec<String>,
    /// (operation, mode) → reason, for listed defects that occurred.
    not_exercised: BTreeMap<(String, String), String>,
    /// Every (operation, mode) tried, to find listed defects that no longer occur.
    tried: BTreeSet<(String, String)>,
}

impl Tally {
    fn listed(&self, op: &str, mode: &str) -> Option<&'static support::PrismDefect> {
        env()
            .defects
            .iter()
            .find(|d| d.operation == op && d.mode == mode)
    }

    fn fail(&mut self, op: &str, mode: &str, what: String) {
        self.failures.push(format!("{op} [{mode}]: {what}"));
    }

    /// A response-side problem: allowed only when listed.
    fn spec_problem(&mut self, op: &str, mode: &str, what: String) {
        match self.listed(op, mode) {
            Some(d) => {
                self.not_exercised
                    .insert((op.into(), mode.into()), d.reason.clone());
            }
            None => self.fail(
                op,
                mode,
                format!(
                    "{what}\n    (if the document itself is at fault, list it under `prism:` in \
                     tests/spec_defects.yaml with spec: {}, operation: {op}, mode: {mode:?})",
                    env().spec_name
                ),
            ),
        }
    }

    /// Judge a call that should succeed with `expected` status.
    fn success(&mut self, op: &str, mode: &str, expected: u16, outcome: Outcome) {
        self.calls += 1;
        self.tried.insert((op.into(), mode.into()));
        match outcome {
            Outcome::Success { status, violations } => {
                let (request, response): (Vec<_>, Vec<_>) =
                    violations.into_iter().partition(Violation::blames_request);
                if !request.is_empty() {
                    self.fail(
                        op,
                        mode,
                        format!(
                            "Prism reports request violations on a {status} answer:\n{}",
                            list(&request)
                        ),
                    );
                } else if !response.is_empty() {
                    self.spec_problem(
                        op,
                        mode,
                        format!(
                            "Prism's {status} answer breaks the spec:\n{}",
                            list(&response)
                        ),
                    );
                } else if status != expected {
                    self.fail(
                        op,
                        mode,
                        format!("status {status}, the spec's success status is {expected}"),
                    );
                }
            }
            Outcome::Api {
                status,
                violations,
                raw,
                ..
            } => {
                let (request, response): (Vec<_>, Vec<_>) =
                    violations.into_iter().partition(Violation::blames_request);
                if !request.is_empty() {
                    self.fail(
                        op,
                        mode,
                        format!(
                            "Prism rejected the request with {status}:\n{}",
                            list(&request)
                        ),
                    );
                } else if !response.is_empty() {
                    self.spec_problem(
                        op,
                        mode,
                        format!("Prism cannot answer {expected}: its answer breaks the spec (it sent {status}):\n{}", list(&response)),
                    );
                } else if raw.contains("https://stoplight.io/prism/errors#") {
                    // Prism's own problem report: it could not build an answer from the
                    // document (not a response the API defines).
                    self.spec_problem(
                        op,
                        mode,
                        format!("Prism could not produce the {expected} answer (it sent {status}): {raw}"),
                    );
                } else {
                    self.fail(
                        op,
                        mode,
                        format!("HTTP {status} instead of {expected}; body: {raw}"),
                    );
                }
            }
            Outcome::Decode {
                status,
                violations,
                message,
            } => {
                let (_, response): (Vec<_>, Vec<_>) =
                    violations.into_iter().partition(Violation::blames_request);
                self.fail(
                    op,
                    mode,
                    format!(
                        "the {status} body does not decode into the generated type: {message}{}",
                        if response.is_empty() {
                            String::new()
                        } else {
                            format!("\n  Prism also reports:\n{}", list(&response))
                        }
                    ),
                );
            }
            Outcome::Other(e) => self.other(op, mode, e),
        }
    }

    /// No answer: when Prism is gone (it crashes on some requests), stop here with a
    /// clear message instead of failing every later call the same way.
    fn other(&mut self, op: &str, mode: &str, error: String) {
        if !prism_is_up() {
            for f in &self.failures {
                println!("  - {f}");
            }
            panic!(
                "Prism stopped accepting connections during {op} [{mode}] ({error}): it crashed \
                 on this request or the one just before; `cargo xtask e2e` prints the end of its \
                 log, which names the request"
            );
        }
        self.fail(op, mode, error);
    }

    /// Judge a call that should fail with `expected` and its typed body.
    fn error(&mut self, op: &str, mode: &str, expected: u16, outcome: Outcome) {
        self.calls += 1;
        self.tried.insert((op.into(), mode.into()));
        match outcome {
            Outcome::Api {
                status,
                violations,
                variant,
                body_error,
                raw,
            } => {
                let (request, response): (Vec<_>, Vec<_>) =
                    violations.into_iter().partition(Violation::blames_request);
                if !request.is_empty() {
                    self.fail(
                        op,
                        mode,
                        format!(
                            "Prism rejected the request with {status}:\n{}",
                            list(&request)
                        ),
                    );
                } else if !response.is_empty() {
                    self.spec_problem(
                        op,
                        mode,
                        format!(
                            "Prism cannot answer {expected} (it sent {status}):\n{}",
                            list(&response)
                        ),
                    );
                } else if status != expected {
                    self.fail(
                        op,
                        mode,
                        format!("HTTP {status} instead of {expected}; body: {raw}"),
                    );
                } else if let Some(e) = body_error {
                    self.fail(op, mode, format!("the {status} body does not decode into the typed error: {e}; body: {raw}"));
                } else if variant.as_deref() != Some(variant_for(expected)) {
                    self.fail(
                        op,
                        mode,
                        format!(
                            "typed error {variant:?}, expected {}(..) for {expected}; body: {raw}",
                            variant_for(expected)
                        ),
                    );
                }
            }
            Outcome::Success { status, .. } => {
                self.fail(op, mode, format!("HTTP {status} instead of {expected}"))
            }
            Outcome::Decode { message, .. } => self.fail(op, mode, message),
            Outcome::Other(e) => self.other(op, mode, e),
        }
    }

    /// Print the result and fail the test when needed. Listed defects of the modes this
    /// test covers must have occurred.
    fn finish(mut self, test: &str, modes: impl Fn(&str) -> bool, summary: String) {
        let env = env();
        for d in env.defects.iter().filter(|d| modes(&d.mode)) {
            let key = (d.operation.clone(), d.mode.clone());
            if self.tried.contains(&key) && !self.not_exercised.contains_key(&key) {
                self.failures.push(format!(
                    "{} [{}]: listed in tests/spec_defects.yaml ({}) but Prism exercised it fine: remove the entry",
                    d.operation, d.mode, d.reason
                ));
            }
        }
        println!("{test} ({}): {summary}", env.spec_name);
        if !self.not_exercised.is_empty() {
            println!("  not exercised, because of the document (tests/spec_defects.yaml):");
            for ((op, mode), reason) in &self.not_exercised {
                println!("    {op} [{mode}]: {reason}");
            }
        }
        if !self.failures.is_empty() {
            println!("  FAILURES ({}):", self.failures.len());
            for f in &self.failures {
                println!("  - {f}");
            }
        }
        assert!(
            self.failures.is_empty(),
            "{test}: {} failure(s), see above",
            self.failures.len()
        );
    }
}

/// Whether the mock still accepts TCP connections.
fn prism_is_up() -> bool {
    let url = reqwest::Url::parse(&env().base_url).expect("E2E_BASE_URL is a URL");
    let addr = (
        url.host_str().unwrap_or("127.0.0.1"),
        url.port_or_known_default().unwrap_or(80),
    );
    std::net::ToSocketAddrs::to_socket_addrs(&addr)
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok())
}

fn list(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("    {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The served document's operations, in the order of [`CLIENT_OPERATIONS`] except that
/// operations with a multipart request body come last: Prism 5.16 has crashed on some
/// multipart requests, and a crash must not hide the results of everything else.
fn operations() -> Vec<&'static Operation> {
    let env = env();
    let mut ops: Vec<&Operation> = CLIENT_OPERATIONS
        .iter()
        .filter_map(|id| env.ops.iter().find(|op| op.id == *id))
        .collect();
    ops.sort_by_key(|op| is_multipart(op));
    ops
}

fn is_multipart(op: &Operation) -> bool {
    op.node
        .pointer("/requestBody/content/multipart~1form-data")
        .is_some()
}

// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------

/// The served document has exactly the operations the client has.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask e2e`"]
async fn served_spec_has_the_clients_operations() {
    let env = env();
    let served: BTreeSet<&str> = env.ops.iter().map(|op| op.id.as_str()).collect();
    let client: BTreeSet<&str> = CLIENT_OPERATIONS.iter().copied().collect();
    let missing: Vec<_> = client.difference(&served).collect();
    let extra: Vec<_> = served.difference(&client).collect();
    println!(
        "{}: {} {} operations served, {} in the client",
        env.spec_name,
        served.len(),
        support::TAG,
        client.len()
    );
    assert!(
        missing.is_empty() && extra.is_empty(),
        "operations the client has but {} does not serve: {missing:?}; served but not in the client: {extra:?}",
        env.spec_name
    );
}

/// Every operation, answered from the spec's examples: the default example, then each
/// named example (`Prefer: example=<name>`) of every response that has several.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask e2e`"]
async fn every_operation_decodes_the_spec_examples() {
    let mut tally = Tally::default();
    let plain = client(None);
    let ops = operations();
    let mut named = 0;
    for op in &ops {
        let expected = op.success_status().expect("a success status");
        tally.success(&op.id, "static", expected, call(&plain, &op.id).await);
        for &status in op.responses.keys() {
            for name in op.named_examples(status) {
                let c = client(Some(&format!("code={status}, example={name}")));
                let mode = format!("example={name}");
                if status < 400 {
                    tally.success(&op.id, &mode, status, call(&c, &op.id).await);
                } else {
                    tally.error(&op.id, &mode, status, call(&c, &op.id).await);
                }
                named += 1;
            }
        }
    }
    let summary = format!(
        "{} operations called with the spec's examples, {named} named examples requested, {} calls",
        ops.len(),
        tally.calls
    );
    tally.finish(
        "static examples",
        |m| m == "static" || m.starts_with("example="),
        summary,
    );
}

/// Every error status each operation declares, forced with `Prefer: code=N`, decodes
/// into the typed error of that status; once with the spec's example and once with a
/// body Prism generates from the schema.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask e2e`"]
async fn every_declared_error_status_decodes_into_its_typed_error() {
    let mut tally = Tally::default();
    let ops = operations();
    let mut pairs = 0;
    let mut statuses = BTreeSet::new();
    let clients: BTreeMap<u16, (Client, Client)> = ERROR_STATUSES
        .iter()
        .map(|&status| {
            let example = client(Some(&format!("code={status}")));
            let generated = client(Some(&format!("code={status}, dynamic=true, seed={status}")));
            (status, (example, generated))
        })
        .collect();
    for op in &ops {
        for (&status, (example, generated)) in &clients {
            if !op.responses.contains_key(&status) {
                continue;
            }
            let mode = status.to_string();
            tally.error(&op.id, &mode, status, call(example, &op.id).await);
            let mode = format!("{status} dynamic");
            tally.error(&op.id, &mode, status, call(generated, &op.id).await);
            pairs += 1;
            statuses.insert(status);
        }
    }
    let undeclared: Vec<String> = ops
        .iter()
        .flat_map(|op| {
            op.error_statuses()
                .into_iter()
                .filter(|s| !ERROR_STATUSES.contains(s))
                .map(move |s| format!("{} {s}", op.id))
        })
        .collect();
    assert!(
        undeclared.is_empty(),
        "error statuses the test does not force: {undeclared:?}"
    );
    let summary = format!(
        "statuses {statuses:?} exercised: {pairs} (operation, status) pairs, each with the example and a generated body, {} calls",
        tally.calls
    );
    tally.finish(
        "error statuses",
        |m| m.chars().next().is_some_and(|c| c.is_ascii_digit()),
        summary,
    );
}

/// Bodies Prism generates from the schemas (`Prefer: dynamic=true, seed=N`) decode for
/// every operation, over several seeds (reproducible: rerun with the same seed).
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask e2e`"]
async fn generated_bodies_decode_for_every_operation() {
    let env = env();
    let mut tally = Tally::default();
    let ops = operations();
    let clients: Vec<(u32, Client)> = (1..=env.dynamic_runs)
        .map(|seed| (seed, client(Some(&format!("dynamic=true, seed={seed}")))))
        .collect();
    for op in &ops {
        let expected = op.success_status().expect("a success status");
        for (seed, c) in &clients {
            let before = tally.failures.len();
            tally.success(&op.id, "dynamic", expected, call(c, &op.id).await);
            if tally.failures.len() > before {
                let last = tally.failures.pop().unwrap();
                tally.failures.push(format!("{last} (seed {seed})"));
            }
        }
    }
    let summary = format!(
        "{} dynamic runs (seeds 1..={}) over {} operations, {} calls",
        env.dynamic_runs,
        env.dynamic_runs,
        ops.len(),
        tally.calls
    );
    tally.finish("generated bodies", |m| m == "dynamic", summary);
}
