//! Every example reachable from the `Sources` operations of the project's spec (schema
//! `example`s, media-type `example`/`examples`, parameter examples, request bodies and
//! responses) is checked twice:
//!
//! 1. **against its own schema** (type, `nullable`, `enum`, `required`, `format:
//!    date-time`/`int32`, properties the schema does not declare): a failure here is a
//!    defect of the spec;
//! 2. **through its generated Rust type**: decoded, re-encoded, and compared with the
//!    example as `serde_json::Value`s. A failure here when step 1 passed is a problem of
//!    the generated type.
//!
//! Every mismatch must be listed, with its JSON pointer and the reason, in the reviewed
//! file `tests/spec_defects.yaml`; the test fails on a new, unlisted mismatch and on a
//! listed one that no longer occurs. The real beta document's `Sources` examples go
//! through the same checks and the same registry (the two documents share their
//! component names, paths and operations), with their own section of the reviewed file.
//!
//! **Which Rust type.** The generated registry (`generated_client::testing`, the
//! `test-util` feature) says, see [`Root`]:
//! * a component schema → its `SCHEMAS` entry, found by pointer;
//! * a response body → the operation found by method and path template in
//!   `operations()`, and `spec.response(status).round_trip` (a `text/*` body that the
//!   client reads as a `String`: a string round trip);
//! * a JSON request body → the operation's `spec.request_body.check` (it decodes into the
//!   type the client sends), and a round trip through the `SCHEMAS` entry of the body's
//!   schema (of its items, for an array);
//! * a parameter or form field → the `SCHEMAS` entry of its schema (for a form field,
//!   of the same field in any form media type of the body); without one (the registry
//!   has no parameter types), the scalar its schema names (see [`scalar`]).
//!
//! An example deep inside a schema (a property's `example`, an `items` example) is checked
//! through the nearest typed root: it is wrapped into its parents (required siblings get
//! minimal placeholder values), the root is decoded and re-encoded, and the same place is
//! read back out.
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

use generated_client::runtime::testing::{
    BodyCheck, OperationEntry, RoundTrip, SchemaEntry, round_trip,
};
use generated_client::{Client, testing};
use serde_json::{Map, Value};
use support::{Defects, Spec, escape};

// ---------------------------------------------------------------------------------------
// Example location → generated Rust type, from the registry
// ---------------------------------------------------------------------------------------

/// Where the generated type of an example comes from.
#[derive(Debug, Clone)]
enum Root {
    /// A schema with a type of its own: its `SCHEMAS` entry, by pointer.
    Schema(String),
    /// An array of such a schema (a body of `type: array` whose `items` are a `$ref`):
    /// each item through the `SCHEMAS` entry of the items.
    SchemaList(String),
    /// The body of a documented response: the round trip of the operation's response
    /// for the status.
    Response {
        method: String,
        path: String,
        status: String,
        media_type: String,
    },
    /// A JSON request body: the operation's body check, then a round trip through
    /// `body` (a [`Root::Schema`] or [`Root::SchemaList`]).
    Request {
        method: String,
        path: String,
        media_type: String,
        body: Box<Root>,
    },
    /// A parameter or form field: the first of these schemas that has a `SCHEMAS` entry,
    /// else the scalar the first one names.
    Parameter(Vec<String>),
    /// Nothing the registry can type (a whole form body, a body without a schema): why.
    Unmapped(String),
}

impl Root {
    /// A label for the summary.
    fn kind(&self) -> &'static str {
        match self {
            Root::Schema(_) => "schema",
            Root::SchemaList(_) => "schema list",
            Root::Response { .. } => "response",
            Root::Request { .. } => "request",
            Root::Parameter(_) => "parameter",
            Root::Unmapped(_) => "unmapped",
        }
    }

    /// The root of a JSON body with `schema` (at `schema_at`): its component, a list of
    /// its items' component, or the inline schema itself.
    fn of_body_schema(spec: &Spec, schema: Option<&Value>, schema_at: &str) -> Root {
        let Some(schema) = schema else {
            return Root::Unmapped("a body without a schema".into());
        };
        if schema.get("$ref").is_some() {
            return Root::Schema(spec.resolve(schema, schema_at).1);
        }
        match schema
            .get("items")
            .filter(|_| type_of(schema) == Some("array"))
        {
            Some(items) if items.get("$ref").is_some() => {
                Root::SchemaList(spec.resolve(items, &format!("{schema_at}/items")).1)
            }
            _ => Root::Schema(schema_at.to_string()),
        }
    }
}

/// Decodes an example into its generated type and encodes it back.
enum Decoder {
    /// One value.
    Value(RoundTrip),
    /// Each item of an array.
    List(RoundTrip),
    /// A request body: checked as the client's request type, then round-tripped.
    Request(BodyCheck, Box<Decoder>),
}

impl Decoder {
    fn run(&self, value: &Value) -> Result<Value, String> {
        match self {
            Decoder::Value(round_trip) => round_trip(value),
            Decoder::List(round_trip) => match value.as_array() {
                Some(items) => items.iter().map(round_trip).collect::<Result<_, _>>(),
                None => Err(format!("{} is not an array", short(value))),
            },
            Decoder::Request(check, then) => {
                let body = serde_json::to_vec(value).map_err(|e| e.to_string())?;
                check(&body).map_err(|e| format!("not the client's request body type: {e}"))?;
                then.run(value)
            }
        }
    }
}

/// The registry's entry for the schema at `pointer`.
fn schema_entry(pointer: &str) -> Option<&'static SchemaEntry> {
    testing::SCHEMAS
        .iter()
        .find(|entry| entry.pointer == pointer)
}

/// The registry's operation with `method` (lower case, as in the document) and `path`.
fn operation(method: &str, path: &str) -> Result<&'static OperationEntry<Client>, String> {
    testing::operations()
        .into_iter()
        .find(|entry| {
            entry.spec.info.method.eq_ignore_ascii_case(method) && entry.spec.info.path == path
        })
        .ok_or_else(|| {
            format!(
                "the registry has no operation {} {path}",
                method.to_uppercase()
            )
        })
}

/// The round trip of a schema the registry has no entry for: the scalar the generator
/// makes of its `type` and `format` (`string` → `String`, `integer` → `i32` for `int32`
/// and `i64` otherwise, `number` → `f64`, `boolean` → `bool`). Anything else (an enum,
/// a date, an object) has a type of its own, which must be in the registry.
fn scalar(spec: &Spec, pointer: &str) -> Result<RoundTrip, String> {
    let schema = spec
        .at(pointer)
        .ok_or_else(|| format!("no schema at {pointer}"))?;
    let (schema, _) = spec.resolve(schema, pointer);
    let format = schema.get("format").and_then(Value::as_str);
    let round_trip: RoundTrip = match type_of(schema) {
        _ if schema.get("enum").is_some() => {
            return Err(format!("the enum at {pointer} has no SCHEMAS entry"));
        }
        Some("string") if !matches!(format, Some("date-time" | "date" | "binary")) => {
            round_trip::<String>
        }
        Some("integer") if format == Some("int32") => round_trip::<i32>,
        Some("integer") => round_trip::<i64>,
        Some("number") => round_trip::<f64>,
        Some("boolean") => round_trip::<bool>,
        other => {
            return Err(format!(
                "the {other:?} schema at {pointer} (format {format:?}) has no SCHEMAS entry"
            ));
        }
    };
    Ok(round_trip)
}

/// The decoder of a root, or why the registry cannot type it.
fn decoder(spec: &Spec, root: &Root) -> Result<Decoder, String> {
    let entry = |pointer: &str| {
        schema_entry(pointer).ok_or_else(|| format!("no SCHEMAS entry for {pointer}"))
    };
    match root {
        Root::Schema(pointer) => Ok(Decoder::Value(entry(pointer)?.round_trip)),
        Root::SchemaList(pointer) => Ok(Decoder::List(entry(pointer)?.round_trip)),
        Root::Response {
            method,
            path,
            status,
            media_type,
        } => {
            let code: u16 = status
                .parse()
                .map_err(|_| format!("response `{status}`: not one status"))?;
            let response = operation(method, path)?
                .spec
                .response(code)
                .ok_or_else(|| format!("the registry documents no {code} response"))?;
            if response.content_type != Some(media_type.as_str()) {
                return Err(format!(
                    "the client reads the {code} response as {:?}, not {media_type}",
                    response.content_type
                ));
            }
            match (response.round_trip, response.type_name) {
                (Some(round_trip), _) => Ok(Decoder::Value(round_trip)),
                (None, Some("String")) => Ok(Decoder::Value(round_trip::<String>)),
                (None, other) => Err(format!(
                    "the registry has no round trip for the {code} response (type {other:?})"
                )),
            }
        }
        Root::Request {
            method,
            path,
            media_type,
            body,
        } => {
            let request = operation(method, path)?
                .spec
                .request_body
                .as_ref()
                .ok_or("the registry documents no request body")?;
            if request.content_type != media_type {
                return Err(format!(
                    "the client sends the body as {}, not {media_type}",
                    request.content_type
                ));
            }
            let check = request
                .check
                .ok_or("the registry has no check of the request body")?;
            Ok(Decoder::Request(check, Box::new(decoder(spec, body)?)))
        }
        Root::Parameter(schemas) => match schemas.iter().find_map(|p| schema_entry(p)) {
            Some(entry) => Ok(Decoder::Value(entry.round_trip)),
            None => {
                let first = schemas.first().ok_or("a parameter without a schema")?;
                Ok(Decoder::Value(scalar(spec, first)?))
            }
        },
        Root::Unmapped(why) => Err(why.clone()),
    }
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
    /// The typed root.
    root: Root,
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

/// The form media types: their bodies have no serde type, each field is a root.
const FORM_TYPES: [&str; 2] = ["multipart/form-data", "application/x-www-form-urlencoded"];

/// Whose body a media type describes.
enum Body<'s> {
    Request,
    /// A response, by its status key (`200`, `default`).
    Response(&'s str),
}

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
            let node = spec
                .at(&pointer)
                .unwrap_or_else(|| panic!("no {pointer}"))
                .clone();
            c.walk(&node, &pointer, &Root::Schema(pointer.clone()), &[]);
        }
        c.sites
    }

    fn site(
        &mut self,
        pointer: String,
        value: &Value,
        root: &Root,
        path: &[Step],
        schema: Option<String>,
    ) {
        self.sites.entry(pointer.clone()).or_insert(Site {
            pointer,
            value: value.clone(),
            root: root.clone(),
            path: path.to_vec(),
            schema,
        });
    }

    /// `example` and `examples.*.value` of a parameter or media type object.
    fn examples_of(&mut self, node: &Value, at: &str, root: &Root, schema: Option<String>) {
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
                let param = param.clone();
                let schema = param.get("schema");
                let schema_at = schema.map(|s| spec.resolve(s, &format!("{p_at}/schema")).1);
                let root = Root::Parameter(schema_at.iter().cloned().collect());
                self.examples_of(&param, &p_at, &root, schema_at);
                if let Some(schema) = schema {
                    self.walk(schema, &format!("{p_at}/schema"), &root, &[]);
                }
            }
        }
        if let Some(body) = op.node.get("requestBody") {
            let (body, at) = spec.resolve(body, &format!("{}/requestBody", op.pointer));
            let body = body.clone();
            self.content(&body, &at, Body::Request, op);
        }
        let responses = op.node.get("responses").and_then(Value::as_object).cloned();
        for (code, response) in responses.unwrap_or_default() {
            let at = format!("{}/responses/{}", op.pointer, escape(&code));
            let (response, at) = spec.resolve(&response, &at);
            let response = response.clone();
            self.content(&response, &at, Body::Response(&code), op);
        }
    }

    /// The media types of a request body or response.
    fn content(&mut self, owner: &Value, at: &str, body: Body, op: &support::Operation) {
        let Some(content) = owner.get("content").and_then(Value::as_object) else {
            return;
        };
        for (media_type, media) in content {
            let m_at = format!("{at}/content/{}", escape(media_type));
            let schema = media.get("schema");
            let s_at = format!("{m_at}/schema");
            if FORM_TYPES.contains(&media_type.as_str()) {
                if let Some(props) = schema
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                {
                    for (name, prop) in props {
                        // The same field in every form media type of the body, this one
                        // first: the client sends one of them, typed once.
                        let field_at = |form: &str| {
                            format!(
                                "{at}/content/{}/schema/properties/{}",
                                escape(form),
                                escape(name)
                            )
                        };
                        let mut schemas = vec![field_at(media_type)];
                        schemas.extend(
                            FORM_TYPES
                                .iter()
                                .filter(|form| **form != media_type)
                                .map(|form| field_at(form)),
                        );
                        let prop_at = schemas[0].clone();
                        self.walk(prop, &prop_at, &Root::Parameter(schemas), &[]);
                    }
                }
                let root = Root::Unmapped("a whole form body has no serde type".into());
                self.examples_of(media, &m_at, &root, None);
                continue;
            }
            let root = match body {
                Body::Response(status) => Root::Response {
                    method: op.method.clone(),
                    path: op.path.clone(),
                    status: status.to_string(),
                    media_type: media_type.clone(),
                },
                Body::Request => Root::Request {
                    method: op.method.clone(),
                    path: op.path.clone(),
                    media_type: media_type.clone(),
                    body: Box::new(Root::of_body_schema(self.spec, schema, &s_at)),
                },
            };
            let schema_at = schema.map(|s| self.spec.resolve(s, &s_at).1);
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
    fn walk(&mut self, node: &Value, at: &str, root: &Root, path: &[Step]) {
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
    let decode = match decoder(spec, &site.root) {
        Ok(decode) => decode,
        Err(why) => {
            problems.push(format!(
                "the registry gives no generated type for {:?}: {why}",
                site.root
            ));
            return problems;
        }
    };
    for issue in &spec_issues {
        problems.push(format!("breaks its schema: {issue}"));
    }
    // `null` at the root of a nullable component: `None` of the `Option` the generated
    // code wraps the type in wherever it is used.
    let null_root = matches!(site.root, Root::Schema(_))
        && site.path.is_empty()
        && site.value.is_null()
        && schema
            .as_ref()
            .is_some_and(|(s, at)| is_nullable(spec.resolve(s, at).0));
    let round_trip = if null_root {
        Ok(Some(Value::Null))
    } else {
        let embedded = embed(spec, &site.value, &site.path);
        decode
            .run(&embedded)
            .map(|encoded| extract(&encoded, &site.path))
            .map_err(|e| format!("{} {e}", site.root.kind()))
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
    let mut by_root: BTreeMap<&str, usize> = BTreeMap::new();
    for site in sites.values() {
        *by_root.entry(site.root.kind()).or_default() += 1;
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
    println!(
        "{}: {} examples reachable from the {} operations checked ({by_root:?} by kind of root); \
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

/// Every component schema of the project's spec has a generated type in the registry,
/// so that a new component cannot slip through unchecked.
#[test]
fn every_component_schema_has_a_registry_entry() {
    let spec = Spec::load(support::PROJECT_SPEC);
    let schemas = spec.doc["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    let missing: Vec<&String> = schemas
        .keys()
        .filter(|name| schema_entry(&format!("#/components/schemas/{}", escape(name))).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "component schemas without an entry in testing::SCHEMAS: {missing:?}"
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
