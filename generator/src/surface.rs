//! The API surface: what a caller of the generated client sees, as plain data.
//!
//! A [`Surface`] is built from the client-surface plan (what emit also reads) and holds exactly what
//! [`crate::diff`] compares: every operation (by Rust method name) with its HTTP method
//! and path, parameters, request body, responses by status and success type, and every
//! model type (by Rust name) with its fields, enum values, union variants or alias
//! target. Types are written as Rust type text (`Vec<Source>`, `Option<String>` is
//! spelled as `optional: true` plus the inner type), so a difference in the surface is a
//! difference in the generated code's API, not in the spec's prose.
//!
//! The generator writes it as `surface.json` beside the generated code (pretty-printed,
//! keys and members sorted, so it is deterministic and reviewable), with the SHA-256 of
//! the spec text it came from. `cargo xtask codegen` reads the checked-in file before
//! writing and prints the [`crate::diff`] between it and the fresh surface.
//!
//! # JSON format (`surface_format` 2)
//!
//! ```text
//! {
//!   "@generated": "...",                 // note: generated, do not edit
//!   "surface_format": 2,
//!   "spec_sha256": "<64 hex digits>",
//!   "title": "...", "version": "...",
//!   "operations": {                      // by Rust method name
//!     "get_source": {
//!       "operation_id": "getSource", "method": "GET", "path": "/sources/{id}",
//!       "deprecated": true,              // only when true
//!       "params": [                      // arguments in order, then `Params` fields by name
//!         {"name": "id", "wire": "id", "in": "path", "type": "String",
//!          "required": true, "default": "..." /* when the spec has one */}
//!       ],
//!       "body": {"content_type": "application/json", "type": "Source",
//!                "required": true, "fields": [/* multipart / form fields */]},
//!       "responses": {"200": "Source", "204": "()", "404": "ErrorResponseDto"},
//!       "returns": "Source"              // the success type of the method
//!     },
//!     "list_sources": {
//!       ...,
//!       "stream": "list_sources_stream"  // the `*_stream` method, for paged lists only
//!     }
//!   },
//!   "types": {                           // by Rust type name
//!     "Source": {"usage": "both", "kind": "struct",
//!                "derives_default": true, // every field optional; only when true
//!                "fields": [{"name": "id", "type": "String", "optional": true}],
//!                "additional": "serde_json::Value" /* flattened map, when present */},
//!     "DtoType": {"usage": "response", "kind": "enum", "values": ["A", "B"],
//!                 "catch_all": "Unknown"},
//!     "Value": {"usage": "none", "kind": "union", "discriminator": "type",
//!               "variants": [{"name": "A", "type": "A", "tags": ["a"]}], "catch_all": "Other"},
//!     "Id": {"usage": "request", "kind": "alias", "target": "String"}
//!   }
//! }
//! ```
//!
//! `usage` says where a type is reachable from: `request` (parameters, request bodies),
//! `response` (response bodies), `both`, or `none`; [`crate::diff`] uses it to decide
//! whether a change in optionality breaks callers, and `derives_default` (see
//! [`derives_default`]) whether a new optional field breaks callers' struct literals.
//!
//! Format 1 had no `derives_default` on structs and no `stream` on operations. A file of
//! another format is refused with [`ReadError::Format`] (checked before the rest is
//! parsed), so a reader can say which format it found instead of reporting a parse error.

use crate::ir::{Api, BodyKind, Param, ParamLocation, Response, Status, Struct, TypeDef, TypeKind};
use crate::rust::{Method, Plan};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the JSON layout of [`Surface`]; bumped when it changes (2:
/// `derives_default` on structs, `stream` on operations).
pub const SURFACE_FORMAT: u32 = 2;

/// Whether the generated model struct derives `Default`: exactly when every field is an
/// `Option` (the flattened `additionalProperties` map has a default too). The one place
/// this is decided, for the emitter and for the surface.
pub fn derives_default(s: &Struct) -> bool {
    s.derives_default()
}

/// The file name of the surface in the generated tree.
pub const SURFACE_FILE: &str = "surface.json";

/// The API surface of a generated client. See the [module docs](self).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// A note that the file is generated (JSON has no comments). Ignored by the diff.
    #[serde(
        rename = "@generated",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub generated: String,
    /// [`SURFACE_FORMAT`] of the writer.
    pub surface_format: u32,
    /// SHA-256 of the spec text (hex), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec_sha256: Option<String>,
    pub title: String,
    pub version: String,
    /// Operations by Rust method name.
    pub operations: BTreeMap<String, SurfaceOperation>,
    /// Model types by Rust type name.
    pub types: BTreeMap<String, SurfaceType>,
}

/// One `Client` method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurfaceOperation {
    pub operation_id: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The method's arguments in order, then the fields of its `Params` by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<SurfaceParam>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<SurfaceBody>,
    /// Status (`200`, `4XX`, `default`) → the Rust type of the body (`()` for none).
    pub responses: BTreeMap<String, String>,
    /// The method's success type: the one 2xx body type, `()`, or the
    /// `{Operation}Success` enum when 2xx bodies differ.
    pub returns: String,
    /// Name of the `*_stream` method that pages through the list, when the operation has
    /// one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurfaceParam {
    /// Rust name (argument, or field of the operation's `Params`).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    #[serde(rename = "in")]
    pub location: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// Required by the spec.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The value sent when the caller gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

impl SurfaceParam {
    /// Whether the caller passes it as a method argument (path parameters, and required
    /// parameters without a default) rather than in the operation's `Params`.
    pub fn positional(&self) -> bool {
        self.location == "path" || (self.required && self.default.is_none())
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurfaceBody {
    pub content_type: String,
    /// The Rust type of the body value (`{Operation}Form` for multipart and forms).
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Fields of the form struct (multipart and URL-encoded forms only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<SurfaceField>,
}

/// A struct field (or form field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurfaceField {
    /// Rust field name.
    pub name: String,
    /// The value type, without the `Option` that `optional` adds.
    #[serde(rename = "type")]
    pub ty: String,
    /// The Rust field is an `Option`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
}

impl SurfaceField {
    /// The Rust type of the field, `Option` included.
    pub fn rust_type(&self) -> String {
        if self.optional {
            format!("Option<{}>", self.ty)
        } else {
            self.ty.clone()
        }
    }
}

/// Where a type is reachable from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Usage {
    /// Only from parameters and request bodies: callers build it.
    Request,
    /// Only from response bodies: callers read it.
    Response,
    Both,
    /// From no operation (a component schema no operation refers to).
    None,
}

impl Usage {
    fn from_flags(request: bool, response: bool) -> Usage {
        match (request, response) {
            (true, true) => Usage::Both,
            (true, false) => Usage::Request,
            (false, true) => Usage::Response,
            (false, false) => Usage::None,
        }
    }
    /// Callers may build values of the type (sent in requests). Unknown (`None`) counts
    /// as yes.
    pub fn in_requests(self) -> bool {
        !matches!(self, Usage::Response)
    }
    /// Callers may read values of the type (returned in responses). Unknown (`None`)
    /// counts as yes.
    pub fn in_responses(self) -> bool {
        !matches!(self, Usage::Request)
    }
    /// The usage covering both `self` and `other` (an unknown side counts as neither).
    pub fn union(self, other: Usage) -> Usage {
        let req = matches!(self, Usage::Request | Usage::Both)
            || matches!(other, Usage::Request | Usage::Both);
        let resp = matches!(self, Usage::Response | Usage::Both)
            || matches!(other, Usage::Response | Usage::Both);
        Usage::from_flags(req, resp)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Usage::Request => "request",
            Usage::Response => "response",
            Usage::Both => "both",
            Usage::None => "none",
        }
    }
}

/// A model type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurfaceType {
    pub usage: Usage,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(flatten)]
    pub shape: Shape,
}

/// What kind of Rust type, and its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    Struct {
        /// The struct derives `Default` (see [`derives_default`]), so callers can build
        /// it with `..Default::default()`.
        #[serde(rename = "derives_default", default, skip_serializing_if = "is_false")]
        default: bool,
        /// Sorted by Rust name.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fields: Vec<SurfaceField>,
        /// Value type of the flattened `additionalProperties` map, when there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional: Option<String>,
    },
    Enum {
        /// Wire values, sorted.
        values: Vec<String>,
        /// The variant holding unlisted values.
        catch_all: String,
    },
    Union {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        discriminator: Option<String>,
        /// Sorted by name.
        variants: Vec<SurfaceVariant>,
        catch_all: String,
    },
    Alias {
        target: String,
    },
}

impl Shape {
    /// `struct`, `enum`, `union` or `alias`.
    pub fn kind(&self) -> &'static str {
        match self {
            Shape::Struct { .. } => "struct",
            Shape::Enum { .. } => "enum",
            Shape::Union { .. } => "union",
            Shape::Alias { .. } => "alias",
        }
    }
}

/// A union variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurfaceVariant {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// Discriminator values selecting it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Surface {
    /// The surface of the client that `plan` describes, generated from a spec whose text
    /// hashes to `spec_sha256`.
    pub(crate) fn from_plan(plan: &Plan, spec_sha256: Option<&str>) -> Surface {
        let api = plan.api;
        let usage = usages(api);
        let operations = plan
            .methods
            .iter()
            .map(|m| (m.op.name.clone(), operation(plan, m)))
            .collect();
        let types = api
            .types
            .values()
            .map(|def| {
                let u = usage.get(def.name.as_str()).copied().unwrap_or(Usage::None);
                (def.name.clone(), type_def(plan, def, u))
            })
            .collect();
        Surface {
            generated: String::new(),
            surface_format: SURFACE_FORMAT,
            spec_sha256: spec_sha256.map(str::to_string),
            title: api.title.clone(),
            version: api.version.clone(),
            operations,
            types,
        }
    }

    /// The surface of `api`, planned with the default settings.
    pub fn from_api(api: &Api, spec_sha256: Option<&str>) -> Surface {
        Surface::from_plan(&Plan::new(api, &crate::Settings::default()), spec_sha256)
    }

    /// Pretty-printed JSON with a trailing newline. Deterministic: every map is sorted.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a surface always serializes");
        text.push('\n');
        text
    }

    /// Parse a surface written by [`Surface::to_json`]. The format is checked first: a
    /// surface of another [`SURFACE_FORMAT`] gives [`ReadError::Format`] whatever the
    /// rest of it looks like.
    pub fn from_json(text: &str) -> Result<Surface, ReadError> {
        match surface_format_of(text)? {
            None => return Err(ReadError::NotSurface),
            Some(found) if found != u64::from(SURFACE_FORMAT) => {
                return Err(ReadError::Format { found });
            }
            Some(_) => {}
        }
        serde_json::from_str(text).map_err(|e| ReadError::Malformed(e.to_string()))
    }
}

/// Why a text is not a [`Surface`] this generator reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not JSON, a `surface_format` that is not a number, or a surface of the current
    /// format that does not have its shape.
    Malformed(String),
    /// A JSON document without a top-level `surface_format`.
    NotSurface,
    /// A surface written in another format (by an older or newer generator).
    Format { found: u64 },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Malformed(why) => write!(f, "not a valid surface: {why}"),
            ReadError::NotSurface => f.write_str("not a surface: no top-level `surface_format`"),
            ReadError::Format { found } => write!(
                f,
                "surface has format {found}, this generator reads and writes format {SURFACE_FORMAT}"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// The top-level `surface_format` of a JSON document: `Ok(None)` when the document is
/// JSON without one (an OpenAPI document, say), an error when it is not JSON or the
/// format is not a non-negative integer. Reads nothing else of the document.
pub fn surface_format_of(text: &str) -> Result<Option<u64>, ReadError> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        surface_format: Option<serde_json::Value>,
    }
    let malformed = |e: serde_json::Error| ReadError::Malformed(e.to_string());
    // A derived `Deserialize` also accepts an array; only an object can be a surface.
    if !text.trim_start().starts_with('{') {
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(malformed)?;
        return Ok(None);
    }
    let probe: Probe = serde_json::from_str(text).map_err(malformed)?;
    match probe.surface_format {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            ReadError::Malformed(format!("`surface_format` is {v}, not a format number"))
        }),
    }
}

fn location(loc: ParamLocation) -> &'static str {
    match loc {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// Status as the spec writes it: `200`, `4XX`, `default`.
pub fn status_label(status: Status) -> String {
    crate::rust::method::status_label(status)
}

fn param(plan: &Plan, p: &Param) -> SurfaceParam {
    SurfaceParam {
        name: p.name.clone(),
        wire: p.wire.clone(),
        location: location(p.location).to_string(),
        ty: plan.types.value(&p.ty).surface(),
        required: p.required,
        default: p.default.as_ref().map(|d| match d {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        deprecated: p.deprecated,
    }
}

fn operation(plan: &Plan, m: &Method) -> SurfaceOperation {
    let op = m.op;
    let body = m.body.as_ref().map(|b| {
        let (ty, fields) = match (&b.body.kind, &b.form) {
            (_, Some(form)) => {
                let mut fields: Vec<SurfaceField> = form
                    .fields
                    .iter()
                    .map(|(f, t)| SurfaceField {
                        name: f.name.clone(),
                        ty: t.surface(),
                        optional: !f.required,
                    })
                    .collect();
                fields.sort_by(|a, b| a.name.cmp(&b.name));
                (form.name.clone(), fields)
            }
            (BodyKind::Json(t), None) => (plan.types.value(t).surface(), Vec::new()),
            (BodyKind::Text, None) => ("String".to_string(), Vec::new()),
            (BodyKind::Binary, None) => ("Bytes".to_string(), Vec::new()),
            (_, None) => (
                "BTreeMap<String, serde_json::Value>".to_string(),
                Vec::new(),
            ),
        };
        SurfaceBody {
            content_type: b.body.content_type.clone(),
            ty,
            required: b.body.required,
            fields,
        }
    });
    let responses = op
        .responses
        .iter()
        .map(|r| (status_label(r.status), response_type(plan, r)))
        .collect();
    // Arguments keep spec order (it is the method's signature); the fields of `Params`
    // follow by name, so reordering optional parameters in the spec changes nothing here.
    let mut params: Vec<SurfaceParam> = m
        .args
        .iter()
        .filter_map(|a| match &a.kind {
            crate::rust::ArgKind::Param(p) => Some(param(plan, p)),
            _ => None,
        })
        .collect();
    if let Some((_, fields)) = &m.params {
        params.extend(fields.iter().map(|(p, _)| param(plan, p)));
    }
    SurfaceOperation {
        operation_id: op.id.clone(),
        method: op.method.clone(),
        path: op.path.clone(),
        deprecated: op.deprecated,
        params,
        body,
        responses,
        returns: m.success_ty().surface(),
        stream: m.stream.as_ref().map(|s| s.name.clone()),
    }
}

/// Rust type of a response value, as the generated method decodes it.
fn response_type(plan: &Plan, r: &Response) -> String {
    match r.body.as_ref().map(|b| &b.kind) {
        None => "()".to_string(),
        Some(BodyKind::Json(t)) => plan.types.value(t).surface(),
        Some(BodyKind::Text) => "String".to_string(),
        Some(_) => "Bytes".to_string(),
    }
}

fn type_def(plan: &Plan, def: &TypeDef, usage: Usage) -> SurfaceType {
    let shape = match &def.kind {
        TypeKind::Struct(s) => {
            let mut fields: Vec<SurfaceField> = s
                .fields
                .iter()
                .map(|f| SurfaceField {
                    name: f.name.clone(),
                    ty: plan.types.field_value(f).surface(),
                    optional: f.optional(),
                })
                .collect();
            fields.sort_by(|a, b| a.name.cmp(&b.name));
            Shape::Struct {
                default: derives_default(s),
                fields,
                additional: s.additional.as_ref().map(|t| plan.types.value(t).surface()),
            }
        }
        TypeKind::Enum(e) => {
            let mut values: Vec<String> = e.variants.iter().map(|v| v.wire.clone()).collect();
            values.sort();
            values.dedup();
            Shape::Enum {
                values,
                catch_all: e.catch_all.clone(),
            }
        }
        TypeKind::Union(u) => {
            let mut variants: Vec<SurfaceVariant> = u
                .variants
                .iter()
                .map(|v| {
                    let mut tags = v.tags.clone();
                    tags.sort();
                    SurfaceVariant {
                        name: v.name.clone(),
                        ty: plan.types.value(&v.ty).surface(),
                        tags,
                    }
                })
                .collect();
            variants.sort_by(|a, b| a.name.cmp(&b.name));
            Shape::Union {
                discriminator: u.discriminator.clone(),
                variants,
                catch_all: u.catch_all.clone(),
            }
        }
        // A newtype wraps its target as an alias names it: the same changes matter.
        TypeKind::Alias(t) | TypeKind::Newtype(t) => Shape::Alias {
            target: plan.types.value(t).surface(),
        },
    };
    SurfaceType {
        usage,
        deprecated: def.deprecated,
        shape,
    }
}

/// Where each named type is reachable from.
fn usages(api: &Api) -> BTreeMap<&str, Usage> {
    let mut request_roots: Vec<&str> = Vec::new();
    let mut response_roots: Vec<&str> = Vec::new();
    for op in &api.operations {
        for p in &op.params {
            p.ty.visit_named(&mut |n| request_roots.push(n));
        }
        if let Some(b) = &op.body {
            b.kind.visit_named(&mut |n| request_roots.push(n));
        }
        for r in &op.responses {
            if let Some(b) = &r.body {
                b.kind.visit_named(&mut |n| response_roots.push(n));
            }
        }
    }
    let request = crate::ir::reach(&api.types, request_roots);
    let response = crate::ir::reach(&api.types, response_roots);
    api.types
        .keys()
        .map(|n| {
            let n = n.as_str();
            (
                n,
                Usage::from_flags(request.contains(n), response.contains(n)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_union_and_direction() {
        assert_eq!(Usage::Request.union(Usage::Response), Usage::Both);
        assert_eq!(Usage::None.union(Usage::Response), Usage::Response);
        assert_eq!(Usage::None.union(Usage::None), Usage::None);
        assert!(Usage::None.in_requests() && Usage::None.in_responses());
        assert!(!Usage::Response.in_requests());
        assert!(!Usage::Request.in_responses());
    }

    #[test]
    fn json_round_trip() {
        let mut s = Surface {
            surface_format: SURFACE_FORMAT,
            title: "t".into(),
            version: "1".into(),
            ..Surface::default()
        };
        s.types.insert(
            "E".into(),
            SurfaceType {
                usage: Usage::Response,
                deprecated: false,
                shape: Shape::Enum {
                    values: vec!["A".into()],
                    catch_all: "Unknown".into(),
                },
            },
        );
        let text = s.to_json();
        assert_eq!(Surface::from_json(&text).unwrap(), s);
        assert!(text.contains("\"kind\": \"enum\""), "{text}");
        assert!(text.contains("\"surface_format\": 2,"), "{text}");
        let bad = text.replace("\"surface_format\": 2", "\"surface_format\": 99");
        assert_eq!(
            Surface::from_json(&bad),
            Err(ReadError::Format { found: 99 })
        );
    }

    /// Another format is reported as such, before (and whatever) the rest is parsed.
    #[test]
    fn other_formats_are_named() {
        // Format 1 had no `derives_default` / `stream`: its shape would parse, its number does not.
        let v1 =
            r#"{"surface_format": 1, "title": "t", "version": "1", "operations": {}, "types": {}}"#;
        assert_eq!(Surface::from_json(v1), Err(ReadError::Format { found: 1 }));
        // A later format whose shape this version cannot parse at all.
        let v9 = r#"{"surface_format": 9, "operations": [1, 2, 3]}"#;
        let err = Surface::from_json(v9).unwrap_err();
        assert_eq!(err, ReadError::Format { found: 9 });
        assert_eq!(
            err.to_string(),
            format!(
                "surface has format 9, this generator reads and writes format {SURFACE_FORMAT}"
            )
        );
        // JSON that merely mentions `surface_format` below the top level is no surface.
        let spec =
            r#"{"openapi": "3.0.1", "info": {"surface_format": 2, "title": "surface_format"}}"#;
        assert_eq!(Surface::from_json(spec), Err(ReadError::NotSurface));
        assert_eq!(surface_format_of(spec), Ok(None));
        assert_eq!(surface_format_of(r#"{"surface_format": 2}"#), Ok(Some(2)));
        assert_eq!(surface_format_of("[2]"), Ok(None));
        // Not JSON; a format that is not a number; the current format with a wrong shape.
        for bad in [
            "{ nope",
            "[1",
            r#"{"surface_format": "2"}"#,
            r#"{"surface_format": 2, "operations": []}"#,
        ] {
            assert!(
                matches!(Surface::from_json(bad), Err(ReadError::Malformed(_))),
                "{bad}"
            );
        }
    }
}
