//! Every example reachable from the `Sources` operations of the project's spec (schema
//! `example`s, media-type `example`/`examples`, parameter examples, request bodies and
//! responses) is checked twice:
//!
//! 1. **against its own schema** (type, `nullable`, `enum`, `required`, `format:
//!    date-time`/`int32`, properties the schema does not declare): a failure here is a
//!    defect of the spec;
//! 2. **through its generated Rust type**: decoded with `serde_json`, re-encoded, and
//!    compared with the example as `serde_json::Value`s. A failure here when step 1
//!    passed is a problem of the generated type.
//!
//! Every mismatch must be listed, with its JSON pointer and the reason, in the reviewed
//! file `tests/spec_defects.yaml`; the test fails on a new, unlisted mismatch and on a
//! listed one that no longer occurs. The real beta document's `Sources` examples go
//! through the same checks and the same type table (the two documents share their
//! component names), with their own section of the reviewed file.
//!
//! **Which Rust type.** Component schemas map to `models::*` by name (the table in
//! [`component`]); arrays of a component to `Vec<_>`; inline schemas with a type of their
//! own by role (`response:<operationId>:<status>`, `response-component:<name>`,
//! `form:<operationId>:<field>`, `param:<operationId>:<name>`) in [`inline_root`];
//! `text/*` bodies without a schema to `String`. An example deep inside a schema (a
//! property's `example`, an `items` example) is checked through the nearest typed root:
//! it is wrapped into its parents (required siblings get minimal placeholder values),
//! the root is decoded and re-encoded, and the same place is read back out.
//!
//! **Normalising before comparing** (both sides, guided by the schema):
//! * an explicit `null` on a *nullable* property equals an absent one (the generated
//!   `Option` fields skip `None` when encoding); a `null` where the schema does not allow
//!   it is kept and reported;
//! * `format: date-time` strings are compared as instants with their offset, because
//!   `chrono` writes back its own canonical form: `+00:00` comes back as `Z`, `.5Z` as
//!   `.500Z`, and digits beyond nanoseconds are dropped.
//!
//! Nothing else is normalised: a dropped undeclared property, a changed number or an
//! enum value outside the list is a mismatch.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use generated_client::models;
use generated_client::operations::{
    CreateSourceParams, GetSourceConfigParams, GetSourceEntitlementsSchemaParams,
    GetSourceSchemasParams, ImportAccountsForm, ImportSourceEntitlementsSchemaParams,
    ListSourcesParams, PutSourceAttrSyncConfigParams,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use support::{Defects, Spec, escape};

// ---------------------------------------------------------------------------------------
// Example location → generated Rust type
// ---------------------------------------------------------------------------------------

/// Decode into a Rust type and encode again.
type Decoder = fn(Value) -> Result<Value, String>;

fn rt<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, String> {
    let typed: T = serde_path_to_error::deserialize(value)
        .map_err(|e| format!("does not decode at `{}`: {}", e.path(), e.inner()))?;
    serde_json::to_value(&typed).map_err(|e| format!("does not re-encode: {e}"))
}

/// The decoders of one generated type: the value itself, a list of it, and a nullable one.
struct Typed {
    one: Decoder,
    list: Decoder,
    nullable: Decoder,
}

fn typed<T: DeserializeOwned + Serialize>() -> Typed {
    Typed {
        one: rt::<T>,
        list: rt::<Vec<T>>,
        nullable: rt::<Option<T>>,
    }
}

/// Component schema name (as in the spec) → generated type, for every component in
/// `src/generated/models/`.
fn component(name: &str) -> Option<Typed> {
    Some(match name {
        "AttrSyncSource" => typed::<models::AttrSyncSource>(),
        "AttrSyncSourceAttributeConfig" => typed::<models::AttrSyncSourceAttributeConfig>(),
        "AttrSyncSourceConfig" => typed::<models::AttrSyncSourceConfig>(),
        "AttributeDefinition" => typed::<models::AttributeDefinition>(),
        "AttributeDefinitionType" => typed::<models::AttributeDefinitionType>(),
        "ConnectorDetail" => typed::<models::ConnectorDetail>(),
        "CorrelationConfig" => typed::<models::CorrelationConfig>(),
        "DtoType" => typed::<models::DtoType>(),
        "EntitlementAccessRequestConfig" => typed::<models::EntitlementAccessRequestConfig>(),
        "EntitlementApprovalScheme" => typed::<models::EntitlementApprovalScheme>(),
        "EntitlementRevocationRequestConfig" => {
            typed::<models::EntitlementRevocationRequestConfig>()
        }
        "ErrorMessageDto" => typed::<models::ErrorMessageDto>(),
        "ErrorResponseDto" => typed::<models::ErrorResponseDto>(),
        "FieldDetailsDto" => typed::<models::FieldDetailsDto>(),
        "JsonPatchOperation" => typed::<models::JsonPatchOperation>(),
        "LoadAccountsTask" => typed::<models::LoadAccountsTask>(),
        "LoadEntitlementTask" => typed::<models::LoadEntitlementTask>(),
        "LoadUncorrelatedAccountsTask" => typed::<models::LoadUncorrelatedAccountsTask>(),
        "LocaleOrigin" => typed::<models::LocaleOrigin>(),
        "ManagerCorrelationMapping" => typed::<models::ManagerCorrelationMapping>(),
        "NativeChangeDetectionConfig" => typed::<models::NativeChangeDetectionConfig>(),
        "ProvisioningPolicyDto" => typed::<models::ProvisioningPolicyDto>(),
        "ResourceObject" => typed::<models::ResourceObject>(),
        "ResourceObjectsRequest" => typed::<models::ResourceObjectsRequest>(),
        "ResourceObjectsResponse" => typed::<models::ResourceObjectsResponse>(),
        "Schema" => typed::<models::Schema>(),
        "Source-2" => typed::<models::Source>(),
        "SourceEntitlementRequestConfig" => typed::<models::SourceEntitlementRequestConfig>(),
        "SourceFeature" => typed::<models::SourceFeature>(),
        "SourceSyncJob" => typed::<models::SourceSyncJob>(),
        "SourceSyncPayload" => typed::<models::SourceSyncPayload>(),
        "StatusResponse" => typed::<models::StatusResponse>(),
        "TaskResultDto" => typed::<models::TaskResultDto>(),
        "UsageType" => typed::<models::UsageType>(),
        _ => return None,
    })
}

/// The decoder of an optional field of a generated parameter or form struct: ties the
/// table below to the field's actual type at compile time.
fn field<S, T: DeserializeOwned + Serialize>(_field: fn(&S) -> &Option<T>) -> Decoder {
    rt::<T>
}

/// Inline schemas (not components) by role → their generated type.
fn inline_root(key: &str) -> Option<Decoder> {
    Some(match key {
        // Inline response bodies.
        "response:delete:202" => rt::<models::DeleteResponse>,
        "response-component:401" => rt::<models::Status401Response>,
        "response-component:429" => rt::<models::Status429Response>,
        // Form fields. The client sends `importAccounts` as multipart only; its
        // form-urlencoded variant has the same field, checked against the same type.
        "form:importAccounts:disableOptimization"
        | "urlencoded:importAccounts:disableOptimization" => {
            field(|f: &ImportAccountsForm| &f.disable_optimization)
        }
        // Query and header parameters: the fields of the operations' `*Params` structs.
        "param:listSources:limit" => field(|p: &ListSourcesParams| &p.limit),
        "param:listSources:offset" => field(|p: &ListSourcesParams| &p.offset),
        "param:listSources:count" => field(|p: &ListSourcesParams| &p.count),
        "param:listSources:filters" => field(|p: &ListSourcesParams| &p.filters),
        "param:listSources:sorters" => field(|p: &ListSourcesParams| &p.sorters),
        "param:listSources:for-subadmin" => field(|p: &ListSourcesParams| &p.for_subadmin),
        "param:listSources:includeIDNSource" => {
            field(|p: &ListSourcesParams| &p.include_idn_source)
        }
        "param:createSource:provisionAsCsv" => field(|p: &CreateSourceParams| &p.provision_as_csv),
        "param:getSourceConfig:locale" => field(|p: &GetSourceConfigParams| &p.locale),
        "param:getSourceSchemas:include-types" => {
            field(|p: &GetSourceSchemasParams| &p.include_types)
        }
        "param:getSourceSchemas:include-names" => {
            field(|p: &GetSourceSchemasParams| &p.include_names)
        }
        "param:getSourceEntitlementsSchema:schemaName" => {
            field(|p: &GetSourceEntitlementsSchemaParams| &p.schema_name)
        }
        "param:importSourceEntitlementsSchema:schemaName" => {
            field(|p: &ImportSourceEntitlementsSchemaParams| &p.schema_name)
        }
        "param:putSourceAttrSyncConfig:X-SailPoint-Experimental" => {
            field(|p: &PutSourceAttrSyncConfigParams| &p.x_sail_point_experimental)
        }
        // Path parameters are `&str` arguments (except `usageType`, a `$ref` to
        // `UsageType`, typed through the component table).
        key if key.starts_with("path:") => rt::<String>,
        _ => return None,
    })
}

/// The decoder for a root key; `null_root` when the example is `null` at the root of a
/// nullable schema.
fn decoder(root: &str, null_root: bool) -> Option<Decoder> {
    if let Some(name) = root.strip_prefix("schema:") {
        let t = component(name)?;
        return Some(if null_root { t.nullable } else { t.one });
    }
    if let Some(name) = root.strip_prefix("schema[]:") {
        return Some(component(name)?.list);
    }
    if root == "text" {
        return Some(rt::<String>);
    }
    inline_root(root)
}

// ---------------------------------------------------------------------------------------
// Collecting the examples
// ---------------------------------------------------------------------------------------

/// One step from a typed root down to the schema that carries an example.
#[derive(Debug, Clone)]
enum StepKind {
    Property(String),
    Item,
    /// A value of `additionalProperties`.
    Extra,
    /// A `oneOf`/`anyOf`/`allOf` member: same place in the value.
    Variant,
}

#[derive(Debug, Clone)]
struct Step {
    kind: StepKind,
    /// Pointer of the parent schema (for the placeholder siblings).
    parent: String,
}

/// One example and where its type comes from.
#[derive(Debug, Clone)]
struct Site {
    /// JSON pointer of the example itself.
    pointer: String,
    value: Value,
    /// The typed root (see [`decoder`]).
    root: String,
    /// From the root to the schema of the example.
    path: Vec<Step>,
    /// Pointer of the example's schema, when it has one.
    schema: Option<String>,
}

struct Collector<'a> {
    spec: &'a Spec,
    sites: BTreeMap<String, Site>,
    walked: BTreeSet<String>,
    pending: Vec<String>,
}

const FORM_TYPES: [(&str, &str); 2] = [
    ("multipart/form-data", "form"),
    ("application/x-www-form-urlencoded", "urlencoded"),
];

impl<'a> Collector<'a> {
    fn collect(spec: &'a Spec) -> BTreeMap<String, Site> {
        let mut c = Collector {
            spec,
            sites: BTreeMap::new(),
            walked: BTreeSet::new(),
            pending: Vec::new(),
        };
        let ops = spec.tagged_operations();
        assert!(
            !ops.is_empty(),
            "{}: no operation tagged {}",
            spec.name,
            support::TAG
        );
        for op in &ops {
            c.operation(op);
        }
        while let Some(pointer) = c.pending.pop() {
            if !c.walked.insert(pointer.clone()) {
                continue;
            }
            let name = unescape(pointer.rsplit('/').next().unwrap_or_default());
            let node = spec
                .at(&pointer)
                .unwrap_or_else(|| panic!("no {pointer}"))
                .clone();
            c.walk(&node, &pointer, &format!("schema:{name}"), &[]);
        }
        c.sites
    }

    fn site(
        &mut self,
        pointer: String,
        value: &Value,
        root: &str,
        path: &[Step],
        schema: Option<String>,
    ) {
        self.sites.entry(pointer.clone()).or_insert(Site {
            pointer,
            value: value.clone(),
            root: root.to_string(),
            path: path.to_vec(),
            schema,
        });
    }

    /// `example` and `examples.*.value` of a parameter or media type object.
    fn examples_of(&mut self, node: &Value, at: &str, root: &str, schema: Option<String>) {
        if let Some(example) = node.get("example") {
            self.site(format!("{at}/example"), example, root, &[], schema.clone());
        }
        if let Some(examples) = node.get("examples").and_then(Value::as_object) {
            for (name, example) in examples {
                let ex_at = format!("{at}/examples/{}", escape(name));
                let (example, ex_at) = self.spec.resolve(example, &ex_at);
                if let Some(value) = example.get("value") {
                    self.site(format!("{ex_at}/value"), value, root, &[], schema.clone());
                }
            }
        }
    }

    fn operation(&mut self, op: &support::Operation) {
        let spec = self.spec;
        // Path-level parameters first, then the operation's own.
        let path_item_at = op
            .pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap();
        let path_item = spec.at(&path_item_at).cloned().unwrap_or(Value::Null);
        for (params, at) in [
            (
                path_item.get("parameters"),
                format!("{path_item_at}/parameters"),
            ),
            (
                op.node.get("parameters"),
                format!("{}/parameters", op.pointer),
            ),
        ] {
            let Some(params) = params.and_then(Value::as_array) else {
                continue;
            };
            for (i, param) in params.iter().enumerate() {
                let (param, p_at) = spec.resolve(param, &format!("{at}/{i}"));
                let name = param["name"].as_str().unwrap_or_default();
                let location = param["in"].as_str().unwrap_or_default();
                let schema = param.get("schema");
                let schema_ref = schema
                    .and_then(|s| s.get("$ref"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let root = match &schema_ref {
                    Some(r) => format!("schema:{}", unescape(r.rsplit('/').next().unwrap())),
                    None if location == "path" => format!("path:{}:{name}", op.id),
                    None => format!("param:{}:{name}", op.id),
                };
                let schema_at = schema.map(|s| spec.resolve(s, &format!("{p_at}/schema")).1);
                let param = param.clone();
                self.examples_of(&param, &p_at, &root, schema_at);
                if let Some(schema) = param.get("schema") {
                    self.walk(schema, &format!("{p_at}/schema"), &root, &[]);
                }
            }
        }
        if let Some(body) = op.node.get("requestBody") {
            let (body, at) = spec.resolve(body, &format!("{}/requestBody", op.pointer));
            let body = body.clone();
            self.content(&body, &at, &format!("request:{}", op.id), &op.id);
        }
        let responses = op.node.get("responses").and_then(Value::as_object).cloned();
        for (code, response) in responses.unwrap_or_default() {
            let at = format!("{}/responses/{}", op.pointer, escape(&code));
            let role = match response.get("$ref").and_then(Value::as_str) {
                Some(r) => format!(
                    "response-component:{}",
                    unescape(r.rsplit('/').next().unwrap())
                ),
                None => format!("response:{}:{code}", op.id),
            };
            let (response, at) = spec.resolve(&response, &at);
            let response = response.clone();
            self.content(&response, &at, &role, &op.id);
        }
    }

    /// The media types of a request body or response.
    fn content(&mut self, owner: &Value, at: &str, role: &str, op: &str) {
        let Some(content) = owner.get("content").and_then(Value::as_object) else {
            return;
        };
        for (media_type, media) in content {
            let m_at = format!("{at}/content/{}", escape(media_type));
            let schema = media.get("schema");
            let s_at = format!("{m_at}/schema");
            if let Some(&(_, prefix)) = FORM_TYPES.iter().find(|(mt, _)| mt == media_type) {
                // Form bodies have no serde type of their own: each field is a root.
                if let Some(props) = schema
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                {
                    for (name, prop) in props {
                        let root = format!("{prefix}:{op}:{name}");
                        self.walk(
                            prop,
                            &format!("{s_at}/properties/{}", escape(name)),
                            &root,
                            &[],
                        );
                    }
                }
                self.examples_of(media, &m_at, &format!("{prefix}-body:{op}"), None);
                continue;
            }
            let (root, schema_at) = match schema {
                None if media_type.starts_with("text/") => ("text".to_string(), None),
                None => (format!("untyped:{role}:{media_type}"), None),
                Some(s) => {
                    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
                        let root = format!("schema:{}", unescape(r.rsplit('/').next().unwrap()));
                        (root, Some(self.spec.resolve(s, &s_at).1))
                    } else if let Some(r) = s
                        .get("items")
                        .filter(|_| s.get("type").and_then(Value::as_str) == Some("array"))
                        .and_then(|i| i.get("$ref"))
                        .and_then(Value::as_str)
                    {
                        (
                            format!("schema[]:{}", unescape(r.rsplit('/').next().unwrap())),
                            Some(s_at.clone()),
                        )
                    } else {
                        (role.to_string(), Some(s_at.clone()))
                    }
                }
            };
            if let Some(s) = schema {
                let s = s.clone();
                self.walk(&s, &s_at, &root, &[]);
            }
            let media = media.clone();
            self.examples_of(&media, &m_at, &root, schema_at);
        }
    }

    /// Record the `example`s of a schema and of everything inside it, down to `$ref`s
    /// (components are walked once each, as their own roots).
    fn walk(&mut self, node: &Value, at: &str, root: &str, path: &[Step]) {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            if r.starts_with("#/components/schemas/") {
                self.pending.push(r.to_string());
            }
            // OpenAPI 3.0 ignores siblings of `$ref`, but documents do put examples there.
            if let Some(example) = node.get("example") {
                let target = self.spec.resolve(node, at).1;
                // At the root of a media type the `$ref` *is* the root type.
                self.site(format!("{at}/example"), example, root, path, Some(target));
            }
            return;
        }
        if let Some(example) = node.get("example") {
            self.site(
                format!("{at}/example"),
                example,
                root,
                path,
                Some(at.to_string()),
            );
        }
        let step = |kind| {
            let mut p = path.to_vec();
            p.push(Step {
                kind,
                parent: at.to_string(),
            });
            p
        };
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (name, sub) in props {
                let p = step(StepKind::Property(name.clone()));
                self.walk(sub, &format!("{at}/properties/{}", escape(name)), root, &p);
            }
        }
        if let Some(items) = node.get("items") {
            let p = step(StepKind::Item);
            self.walk(items, &format!("{at}/items"), root, &p);
        }
        if let Some(extra) = node.get("additionalProperties").filter(|v| v.is_object()) {
            let p = step(StepKind::Extra);
            self.walk(extra, &format!("{at}/additionalProperties"), root, &p);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(members) = node.get(key).and_then(Value::as_array) {
                for (i, sub) in members.iter().enumerate() {
                    let p = step(StepKind::Variant);
                    self.walk(sub, &format!("{at}/{key}/{i}"), root, &p);
                }
            }
        }
    }
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

// ---------------------------------------------------------------------------------------
// Checking against the schema
// ---------------------------------------------------------------------------------------

fn is_nullable(node: &Value) -> bool {
    node.get("nullable").and_then(Value::as_bool) == Some(true)
        || node
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(Value::is_null))
}

fn type_of(node: &Value) -> Option<&str> {
    node.get("type").and_then(Value::as_str)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

fn parses_as_date_time(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// Where `value` breaks `schema` (at `at`, a path inside the example such as `$.task.created`).
fn validate(
    spec: &Spec,
    value: &Value,
    schema: &Value,
    schema_at: &str,
    at: &str,
    issues: &mut Vec<String>,
) {
    let (schema, schema_at) = spec.resolve(schema, schema_at);
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        for (i, m) in members.iter().enumerate() {
            validate(
                spec,
                value,
                m,
                &format!("{schema_at}/allOf/{i}"),
                at,
                issues,
            );
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_array) {
            let mut first = None;
            let matched = members.iter().enumerate().any(|(i, m)| {
                let mut found = Vec::new();
                validate(
                    spec,
                    value,
                    m,
                    &format!("{schema_at}/{key}/{i}"),
                    at,
                    &mut found,
                );
                if first.is_none() {
                    first = Some(found.clone());
                }
                found.is_empty()
            });
            if !matched {
                issues.push(format!(
                    "{at}: {} matches none of the {key} members",
                    short(value)
                ));
            }
        }
    }
    if value.is_null() {
        let untyped = type_of(schema).is_none() && schema.get("enum").is_none();
        if !is_nullable(schema) && !untyped {
            issues.push(format!("{at}: null, but the schema is not nullable"));
        }
        return;
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(value)
    {
        let list: Vec<String> = values.iter().map(short).collect();
        issues.push(format!(
            "{at}: {} is not one of the enum values [{}]",
            short(value),
            list.join(", ")
        ));
    }
    let format = schema.get("format").and_then(Value::as_str);
    match type_of(schema) {
        Some("string") => match value.as_str() {
            None => issues.push(format!(
                "{at}: {} is a {}, the schema says string",
                short(value),
                json_type(value)
            )),
            Some(s) if format == Some("date-time") && !parses_as_date_time(s) => {
                issues.push(format!("{at}: {s:?} is not an RFC 3339 date-time"));
            }
            Some(s)
                if format == Some("date")
                    && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() =>
            {
                issues.push(format!("{at}: {s:?} is not an RFC 3339 full-date"));
            }
            Some(_) => {}
        },
        Some("integer") => {
            let whole = value
                .as_i64()
                .map(i128::from)
                .or_else(|| value.as_u64().map(i128::from))
                .or_else(|| {
                    value
                        .as_f64()
                        .filter(|f| f.fract() == 0.0)
                        .map(|f| f as i128)
                });
            match whole {
                None => issues.push(format!(
                    "{at}: {} is a {}, the schema says integer",
                    short(value),
                    json_type(value)
                )),
                Some(n) if format == Some("int32") && i32::try_from(n).is_err() => {
                    issues.push(format!("{at}: {n} does not fit format int32"));
                }
                Some(_) => {}
            }
        }
        Some("number") if !value.is_number() => {
            issues.push(format!(
                "{at}: {} is a {}, the schema says number",
                short(value),
                json_type(value)
            ));
        }
        Some("boolean") if !value.is_boolean() => {
            issues.push(format!(
                "{at}: {} is a {}, the schema says boolean",
                short(value),
                json_type(value)
            ));
        }
        Some("array") => match value.as_array() {
            None => issues.push(format!(
                "{at}: {} is a {}, the schema says array",
                short(value),
                json_type(value)
            )),
            Some(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        validate(
                            spec,
                            item,
                            item_schema,
                            &format!("{schema_at}/items"),
                            &format!("{at}[{i}]"),
                            issues,
                        );
                    }
                }
            }
        },
        Some("object") if !value.is_object() => {
            issues.push(format!(
                "{at}: {} is a {}, the schema says object",
                short(value),
                json_type(value)
            ));
        }
        _ => {}
    }
    if let Some(obj) = value.as_object() {
        validate_object(spec, obj, schema, &schema_at, at, issues);
    }
}

/// The properties (with their schema pointers) an object schema declares, `allOf` merged.
fn declared_properties(
    spec: &Spec,
    schema: &Value,
    schema_at: &str,
) -> Option<BTreeMap<String, (Value, String)>> {
    let (schema, schema_at) = spec.resolve(schema, schema_at);
    let mut props = BTreeMap::new();
    let mut any = false;
    if let Some(p) = schema.get("properties").and_then(Value::as_object) {
        any = true;
        for (name, s) in p {
            props.insert(
                name.clone(),
                (
                    s.clone(),
                    format!("{schema_at}/properties/{}", escape(name)),
                ),
            );
        }
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        for (i, m) in members.iter().enumerate() {
            if let Some(p) = declared_properties(spec, m, &format!("{schema_at}/allOf/{i}")) {
                any = true;
                props.extend(p);
            }
        }
    }
    any.then_some(props)
}

fn validate_object(
    spec: &Spec,
    obj: &Map<String, Value>,
    schema: &Value,
    schema_at: &str,
    at: &str,
    issues: &mut Vec<String>,
) {
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if !obj.contains_key(name) {
                issues.push(format!("{at}: required property `{name}` is missing"));
            }
        }
    }
    let declared = declared_properties(spec, schema, schema_at);
    let extra = schema.get("additionalProperties");
    for (name, v) in obj {
        let child_at = format!("{at}.{name}");
        if let Some((s, s_at)) = declared.as_ref().and_then(|d| d.get(name)) {
            validate(spec, v, s, s_at, &child_at, issues);
        } else if let Some(extra_schema) = extra.filter(|e| e.is_object()) {
            validate(
                spec,
                v,
                extra_schema,
                &format!("{schema_at}/additionalProperties"),
                &child_at,
                issues,
            );
        } else if extra == Some(&Value::Bool(false)) || declared.is_some() {
            // JSON Schema would allow it unless `additionalProperties: false`, but the
            // schema lists its properties and the generated struct drops any other.
            issues.push(format!(
                "{at}: property `{name}` is not declared by the schema"
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Checking through the generated type
// ---------------------------------------------------------------------------------------

/// A minimal valid value for a schema: fills the required siblings of an example when it
/// is wrapped into its parents.
fn placeholder(spec: &Spec, schema: &Value, at: &str, depth: usize) -> Value {
    let (schema, at) = spec.resolve(schema, at);
    if is_nullable(schema) || depth > 8 {
        return Value::Null;
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.iter().find(|v| !v.is_null()))
    {
        return first.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|m| m.first())
        {
            return placeholder(spec, first, &format!("{at}/{key}/0"), depth + 1);
        }
    }
    match type_of(schema) {
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => Value::from("2020-01-01T00:00:00Z"),
            Some("date") => Value::from("2020-01-01"),
            _ => Value::from("x"),
        },
        Some("integer") | Some("number") => Value::from(0),
        Some("boolean") => Value::from(false),
        Some("array") => Value::Array(vec![]),
        _ if schema.get("properties").is_some()
            || type_of(schema) == Some("object")
            || schema.get("allOf").is_some() =>
        {
            Value::Object(required_placeholders(spec, schema, &at, None, depth))
        }
        _ => Value::Null,
    }
}

/// Placeholders for the required properties of an object schema, except `skip`.
fn required_placeholders(
    spec: &Spec,
    schema: &Value,
    at: &str,
    skip: Option<&str>,
    depth: usize,
) -> Map<String, Value> {
    let (schema, at) = spec.resolve(schema, at);
    let mut required: Vec<String> = Vec::new();
    let mut collect = |s: &Value| {
        if let Some(r) = s.get("required").and_then(Value::as_array) {
            required.extend(r.iter().filter_map(Value::as_str).map(str::to_string));
        }
    };
    collect(schema);
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        for (i, m) in members.iter().enumerate() {
            collect(spec.resolve(m, &format!("{at}/allOf/{i}")).0);
        }
    }
    let declared = declared_properties(spec, schema, &at).unwrap_or_default();
    let mut obj = Map::new();
    for name in required {
        if Some(name.as_str()) == skip {
            continue;
        }
        let value = match declared.get(&name) {
            Some((s, s_at)) => placeholder(spec, s, s_at, depth + 1),
            None => Value::Null,
        };
        obj.insert(name, value);
    }
    obj
}

/// The key under which an `additionalProperties` example is wrapped.
const EXTRA_KEY: &str = "__example__";

/// Wrap `value` into its parents, from the example's schema up to the typed root.
fn embed(spec: &Spec, value: &Value, path: &[Step]) -> Value {
    let mut inner = value.clone();
    for step in path.iter().rev() {
        let parent = spec.at(&step.parent).cloned().unwrap_or(Value::Null);
        inner = match &step.kind {
            StepKind::Property(name) => {
                let mut obj = required_placeholders(spec, &parent, &step.parent, Some(name), 0);
                obj.insert(name.clone(), inner);
                Value::Object(obj)
            }
            StepKind::Item => Value::Array(vec![inner]),
            StepKind::Extra => {
                let mut obj = required_placeholders(spec, &parent, &step.parent, None, 0);
                obj.insert(EXTRA_KEY.to_string(), inner);
                Value::Object(obj)
            }
            StepKind::Variant => inner,
        };
    }
    inner
}

/// Read the example's place back out of the re-encoded root; `None` when it is gone.
fn extract(value: &Value, path: &[Step]) -> Option<Value> {
    let mut current = value;
    for step in path {
        current = match &step.kind {
            StepKind::Property(name) => current.get(name)?,
            StepKind::Item => current.get(0)?,
            StepKind::Extra => current.get(EXTRA_KEY)?,
            StepKind::Variant => current,
        };
    }
    Some(current.clone())
}

/// The schema-guided normalisation described at the top of the file.
fn normalise(spec: &Spec, value: &Value, schema: Option<(&Value, &str)>) -> Value {
    let Some((schema, at)) = schema else {
        return value.clone();
    };
    let (schema, at) = spec.resolve(schema, at);
    // A union: normalise with the first member the value fits.
    for key in ["oneOf", "anyOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_array) {
            for (i, m) in members.iter().enumerate() {
                let m_at = format!("{at}/{key}/{i}");
                let mut issues = Vec::new();
                validate(spec, value, m, &m_at, "$", &mut issues);
                if issues.is_empty() {
                    return normalise(spec, value, Some((m, &m_at)));
                }
            }
        }
    }
    match value {
        Value::String(s) if schema.get("format").and_then(Value::as_str) == Some("date-time") => {
            match chrono::DateTime::parse_from_rfc3339(s) {
                Ok(t) => Value::from(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
                Err(_) => value.clone(),
            }
        }
        Value::Array(items) => {
            let item_schema = schema.get("items");
            let item_at = format!("{at}/items");
            Value::Array(
                items
                    .iter()
                    .map(|v| normalise(spec, v, item_schema.map(|s| (s, item_at.as_str()))))
                    .collect(),
            )
        }
        Value::Object(obj) => {
            let declared = declared_properties(spec, schema, &at).unwrap_or_default();
            let extra = schema.get("additionalProperties").filter(|e| e.is_object());
            let extra_at = format!("{at}/additionalProperties");
            let mut out = Map::new();
            for (name, v) in obj {
                let child: Option<(&Value, &str)> = match declared.get(name) {
                    Some((s, s_at)) => Some((s, s_at.as_str())),
                    None => extra.map(|e| (e, extra_at.as_str())),
                };
                // An explicit null on a nullable property equals an absent one.
                if v.is_null()
                    && let Some((s, s_at)) = child
                    && is_nullable(spec.resolve(s, s_at).0)
                {
                    continue;
                }
                out.insert(name.clone(), normalise(spec, v, child));
            }
            Value::Object(out)
        }
        _ => value.clone(),
    }
}

/// What is wrong with one example; empty when nothing is.
fn check(spec: &Spec, site: &Site) -> Vec<String> {
    let mut problems = Vec::new();
    let schema = site
        .schema
        .as_ref()
        .map(|at| (spec.at(at).cloned().unwrap_or(Value::Null), at.clone()));
    let mut spec_issues = Vec::new();
    if let Some((s, at)) = &schema {
        validate(spec, &site.value, s, at, "$", &mut spec_issues);
    }
    let null_root = site.path.is_empty()
        && site.value.is_null()
        && schema
            .as_ref()
            .is_some_and(|(s, at)| is_nullable(spec.resolve(s, at).0));
    let Some(decode) = decoder(&site.root, null_root) else {
        problems.push(format!(
            "no generated type is mapped for `{}` (add it to the table in tests/examples.rs)",
            site.root
        ));
        return problems;
    };
    for issue in &spec_issues {
        problems.push(format!("breaks its schema: {issue}"));
    }
    let embedded = embed(spec, &site.value, &site.path);
    let round_trip = match decode(embedded) {
        Err(e) => Err(format!("{} {e}", site.root)),
        Ok(encoded) => Ok(extract(&encoded, &site.path)),
    };
    let schema_ref = schema.as_ref().map(|(s, at)| (s, at.as_str()));
    let label = if spec_issues.is_empty() {
        "GENERATED TYPE: "
    } else {
        ""
    };
    match round_trip {
        Err(e) => problems.push(format!("{label}{e}")),
        Ok(back) => {
            let expected = normalise(spec, &site.value, schema_ref);
            let nullable_here =
                schema_ref.is_some_and(|(s, at)| is_nullable(spec.resolve(s, at).0));
            match back {
                None if site.value.is_null() && nullable_here => {}
                None => problems.push(format!(
                    "{label}the value is gone after decoding and encoding again (was {})",
                    short(&site.value)
                )),
                Some(back) => {
                    let back = normalise(spec, &back, schema_ref);
                    if back != expected {
                        problems.push(format!(
                            "{label}re-encodes differently: {} became {}",
                            short(&expected),
                            short(&back)
                        ));
                    }
                }
            }
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------

fn check_document(path: &str, section: &str) {
    let spec = Spec::load(path);
    let sites = Collector::collect(&spec);
    let defects = Defects::load();
    let listed: BTreeMap<&str, &str> = defects
        .examples
        .get(section)
        .map(|l| {
            l.iter()
                .map(|d| (d.pointer.as_str(), d.reason.as_str()))
                .collect()
        })
        .unwrap_or_default();

    let mut failing: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut by_root: BTreeMap<String, usize> = BTreeMap::new();
    for site in sites.values() {
        *by_root
            .entry(site.root.split(':').next().unwrap_or("").to_string())
            .or_default() += 1;
        let problems = check(&spec, site);
        if !problems.is_empty() {
            failing.insert(&site.pointer, problems);
        }
    }

    let new: Vec<_> = failing
        .iter()
        .filter(|(p, _)| !listed.contains_key(*p))
        .collect();
    let stale: Vec<_> = listed
        .iter()
        .filter(|(p, _)| !failing.contains_key(*p))
        .collect();
    let unknown_kinds: BTreeMap<_, _> = by_root.iter().collect();
    println!(
        "{}: {} examples reachable from the {} operations checked ({unknown_kinds:?} by kind of root); \
         {} break their schema or do not round-trip, all {} listed in tests/spec_defects.yaml `examples.{section}`",
        spec.name,
        sites.len(),
        support::TAG,
        failing.len(),
        if new.is_empty() { "of them" } else { "NOT" },
    );
    for (pointer, problems) in &failing {
        let mark = if listed.contains_key(*pointer) {
            "listed"
        } else {
            "NEW"
        };
        println!("  [{mark}] {pointer}");
        for p in problems {
            println!("      {p}");
        }
    }
    let mut message = String::new();
    if !new.is_empty() {
        message.push_str(&format!(
            "{} example(s) of {} fail and are not in tests/spec_defects.yaml `examples.{section}`.\n\
             Fix the spec (or, for a GENERATED TYPE problem, the generator); if the spec's example \
             really breaks its own schema, list it with the reason:\n",
            new.len(),
            spec.name
        ));
        for (pointer, problems) in &new {
            message.push_str(&format!(
                "  - pointer: \"{pointer}\"\n    reason: \"{}\"\n",
                problems.join("; ").replace('"', "'")
            ));
        }
    }
    if !stale.is_empty() {
        message.push_str(&format!(
            "{} listed defect(s) of {} no longer occur; remove them from tests/spec_defects.yaml:\n",
            stale.len(),
            spec.name
        ));
        for (pointer, reason) in &stale {
            message.push_str(&format!("  - {pointer} ({reason})\n"));
        }
    }
    assert!(message.is_empty(), "{message}");
}

/// The project's spec: every example reachable from the `Sources` operations.
#[test]
fn project_spec_examples_round_trip() {
    check_document(support::PROJECT_SPEC, "sailpoint-beta.yaml");
}

/// The real beta document's `Sources` examples, through the same generated types (the
/// component names are the same in both documents).
#[test]
fn real_document_sources_examples_round_trip() {
    check_document(
        support::REAL_SPEC,
        "deref-sailpoint-api.beta.2026-08-04.yaml",
    );
}

/// The table above covers every generated model that a component schema became, so that
/// a new component cannot slip through unchecked.
#[test]
fn every_component_schema_has_a_type() {
    let spec = Spec::load(support::PROJECT_SPEC);
    let schemas = spec.doc["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    let missing: Vec<&String> = schemas
        .keys()
        .filter(|name| component(name).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "component schemas without an entry in `component()`: {missing:?}"
    );
}

/// The normalisation rules themselves.
#[test]
fn normalisation_rules() {
    let spec = Spec {
        name: "inline".into(),
        doc: serde_json::json!({
            "components": {"schemas": {"T": {
                "type": "object",
                "properties": {
                    "a": {"type": "string", "nullable": true},
                    "b": {"type": "string"},
                    "t": {"type": "string", "format": "date-time"}
                }
            }}}
        }),
    };
    let at = "#/components/schemas/T";
    let schema = spec.at(at).unwrap().clone();
    let n = |v: Value| normalise(&spec, &v, Some((&schema, at)));
    // null on a nullable property == absent; not on a non-nullable one.
    assert_eq!(n(serde_json::json!({"a": null})), n(serde_json::json!({})));
    assert_ne!(n(serde_json::json!({"b": null})), n(serde_json::json!({})));
    // Z == +00:00, but not another instant.
    assert_eq!(
        n(serde_json::json!({"t": "2022-02-08T14:50:03.827Z"})),
        n(serde_json::json!({"t": "2022-02-08T14:50:03.827+00:00"}))
    );
    assert_ne!(
        n(serde_json::json!({"t": "2022-02-08T14:50:03.827Z"})),
        n(serde_json::json!({"t": "2022-02-08T14:50:03.828Z"}))
    );
}
