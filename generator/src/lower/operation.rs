//! Paths and operations → [`crate::ir::Operation`].

use super::{Lowerer, SRef};
use crate::error::{Error, Warning, WarningKind, pointer_join};
use crate::ir::{
    BodyKind, FormField, Operation, Param, ParamLocation, ParamStyle, RequestBody, Response,
    ResponseBody, Status, TypeRef,
};
use crate::naming::{Namer, snake_name, type_name};
use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr, SchemaKind,
    StatusCode, Type,
};
use std::collections::HashMap;

/// Methods the generated `Client` has besides the operations (its constructors and
/// accessors, and the trait methods of `Clone` and `Debug`); operations named like one
/// get a suffix. The generator writes these itself, so it knows them.
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "new", "builder", "from_env", "core", "base_url", "clone", "fmt", "from",
];

/// Names of locals in generated method bodies, which argument names must not shadow.
const RESERVED_ARGS: &[&str] = &[
    "self",
    "body",
    "params",
    "req",
    "resp",
    "parts",
    "pairs",
    "max_items",
    "page_offset",
    "page_limit",
    "page_params",
];

/// HTTP methods in the order they are read from a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'s> Lowerer<'s> {
    pub(crate) fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut method_names = Namer::new();
        for m in CLIENT_METHODS {
            method_names.reserve(m);
        }
        // Names the settings give are claimed first: another operation whose own name
        // meets one gets a suffix; two settings giving one name is an error.
        let mut given: HashMap<&str, &str> = HashMap::new();
        for (id, name) in &self.settings.rename_operations {
            if CLIENT_METHODS.contains(&name.as_str()) || given.values().any(|n| n == name) {
                return Err(self.settings.error(
                    &crate::settings::key("rename.operations", id),
                    format!("`{name}` is the name of another method of the client"),
                ));
            }
            given.insert(id, name);
            method_names.reserve(name);
        }
        let mut stems = Namer::new();
        let mut ids_seen: HashMap<String, String> = HashMap::new();
        let mut response_cache: HashMap<String, Response> = HashMap::new();
        let mut paths: Vec<(&'s String, &'s ReferenceOr<openapiv3::PathItem>)> =
            self.spec.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        let mut ops = Vec::new();
        for (path, item) in paths {
            let path_ptr = pointer_join("#/paths", path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { reference } => {
                    return Err(Error::new(
                        &self.file,
                        path_ptr,
                        format!(
                            "expected a path item, found `$ref: '{reference}'`; path item references are not supported"
                        ),
                    ));
                }
            };
            for method in METHODS {
                let Some(op) = path_item_op(item, method) else {
                    continue;
                };
                if !self.keeps(op) {
                    continue;
                }
                let ptr = pointer_join(&path_ptr, method);
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => {
                        let id = format!("{method}{}", type_name(path));
                        self.warn(
                            WarningKind::Renamed,
                            ptr.clone(),
                            format!("operation has no operationId; named `{id}`"),
                        );
                        id
                    }
                };
                if let Some(first) = ids_seen.get(&id) {
                    self.warn(
                        WarningKind::Contradiction,
                        pointer_join(&ptr, "operationId"),
                        format!("operationId `{id}` is also the id of the operation at {first}; operation ids must be unique, this one gets names of its own"),
                    );
                } else {
                    ids_seen.insert(id.clone(), ptr.clone());
                }
                let renamed = self.settings.rename_operations.get(&id);
                let base = renamed.cloned().unwrap_or_else(|| snake_name(&id));
                // A given name is already reserved for this operation.
                let name = match renamed {
                    Some(r) => r.clone(),
                    None => method_names.unique(&base, true),
                };
                if renamed.is_none() && crate::naming::is_keyword(&crate::naming::snake_case(&id)) {
                    self.warn(
                        WarningKind::Renamed,
                        pointer_join(&ptr, "operationId"),
                        format!("operationId `{id}` is a Rust keyword; method named `{name}`"),
                    );
                } else if name != base {
                    self.warn(WarningKind::Renamed,
                        pointer_join(&ptr, "operationId"),
                        format!("operationId `{id}` clashes with another method after conversion to `{base}`; named `{name}`"),
                    );
                }
                let stem = stems.unique(&type_name(renamed.unwrap_or(&id)), false);
                let mut params =
                    self.lower_params(&item.parameters, &op.parameters, &ptr, &stem)?;
                self.bind_path_params(path, &ptr, &mut params);
                let body = match &op.request_body {
                    None => None,
                    Some(rb) => {
                        self.lower_request_body(rb, &pointer_join(&ptr, "requestBody"), &stem)?
                    }
                };
                let responses = self.lower_responses(
                    &op.responses,
                    &pointer_join(&ptr, "responses"),
                    &stem,
                    &mut response_cache,
                )?;
                ops.push(Operation {
                    id,
                    name,
                    type_name: stem,
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    module: op
                        .tags
                        .first()
                        .map(|t| snake_name(t))
                        .unwrap_or_else(|| "untagged".to_string()),
                    tags: op.tags.clone(),
                    summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
                    description: op.description.clone().filter(|s| !s.trim().is_empty()),
                    deprecated: op.deprecated,
                    pointer: ptr,
                    params,
                    body,
                    responses,
                    paging: None,
                });
            }
        }
        // Stream methods are named once every operation has its name, so a `*_stream`
        // name never takes an operation's.
        let pagination = self.settings.client.pagination.clone().unwrap_or_default();
        for op in &mut ops {
            op.paging = paging(&self.types, op, &pagination).map(|mut p| {
                // `type_` + `_stream` would be `type__stream`.
                let stem = op.name.trim_end_matches('_');
                p.stream = method_names.unique(&format!("{stem}_stream"), true);
                p
            });
        }
        ops.sort_by(|a, b| (&a.module, &a.name).cmp(&(&b.module, &b.name)));
        Ok(ops)
    }

    /// Path parameters and the template's `{variables}` must match. A variable without a
    /// parameter is bound to the one path parameter the template does not use, when
    /// there is exactly one; otherwise it gets a required `String` argument of its own.
    /// Path parameters the template does not use are dropped. Either way with a warning:
    /// a URL is never sent with a variable left in it.
    fn bind_path_params(&mut self, path: &str, ptr: &str, params: &mut Vec<Param>) {
        let mut vars: Vec<&str> = Vec::new();
        for v in path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(v, _)| v))
        {
            if !vars.contains(&v) {
                vars.push(v);
            }
        }
        let is_unused =
            |p: &Param| p.location == ParamLocation::Path && !vars.contains(&p.wire.as_str());
        let unbound: Vec<&str> = vars
            .iter()
            .copied()
            .filter(|v| {
                !params
                    .iter()
                    .any(|p| p.location == ParamLocation::Path && p.wire == *v)
            })
            .collect();
        let unused: Vec<usize> = (0..params.len())
            .filter(|&i| is_unused(&params[i]))
            .collect();
        if let ([var], [i]) = (unbound.as_slice(), unused.as_slice()) {
            let p = &mut params[*i];
            self.warnings.push(Warning::new(
                WarningKind::PathParameter,
                ptr,
                format!(
                    "path template `{path}` has `{{{var}}}` but no parameter of that name; bound to the only unused path parameter, `{}`",
                    p.wire
                ),
            ));
            p.wire = var.to_string();
            return;
        }
        params.retain(|p| {
            let keep = !is_unused(p);
            if !keep {
                self.warnings.push(Warning::new(
                    WarningKind::PathParameter,
                    ptr,
                    format!("path parameter `{}` does not appear in the path template `{path}`; ignored", p.wire),
                ));
            }
            keep
        });
        let mut names = Namer::new();
        for p in params.iter() {
            names.reserve(&p.name);
        }
        for reserved in RESERVED_ARGS {
            names.reserve(reserved);
        }
        for var in unbound {
            let name = names.unique(&snake_name(var), true);
            self.warnings.push(Warning::new(
                WarningKind::PathParameter,
                ptr,
                format!("path template variable `{{{var}}}` has no path parameter; the method takes a required argument `{name}` for it"),
            ));
            params.push(Param {
                wire: var.to_string(),
                name,
                location: ParamLocation::Path,
                ty: TypeRef::String,
                required: true,
                default: None,
                server_default: None,
                maximum: None,
                style: ParamStyle::Simple,
                explode: false,
                allow_reserved: false,
                json: false,
                doc: None,
                deprecated: false,
                example: None,
            });
        }
    }

    fn lower_params(
        &mut self,
        shared: &'s [ReferenceOr<Parameter>],
        own: &'s [ReferenceOr<Parameter>],
        op_ptr: &str,
        stem: &str,
    ) -> Result<Vec<Param>, Error> {
        // Path-level parameters first, then the operation's, which override by (name, in).
        let mut merged: IndexMap<(String, ParamLocation), (&'s Parameter, String)> =
            IndexMap::new();
        let shared_ptr = pointer_join(
            op_ptr.rsplit_once('/').map(|(p, _)| p).unwrap_or(op_ptr),
            "parameters",
        );
        for (list, base) in [
            (shared, shared_ptr),
            (own, pointer_join(op_ptr, "parameters")),
        ] {
            for (i, p) in list.iter().enumerate() {
                let ptr = pointer_join(&base, &i.to_string());
                let (param, at) = self.resolve_param(p, &ptr)?;
                let loc = location(param);
                merged.insert((param.parameter_data_ref().name.clone(), loc), (param, at));
            }
        }
        let mut names = Namer::new();
        for reserved in RESERVED_ARGS {
            names.reserve(reserved);
        }
        let mut out = Vec::new();
        for ((wire, loc), (param, ptr)) in merged {
            if loc == ParamLocation::Cookie {
                self.warn(
                    WarningKind::Unsupported,
                    ptr,
                    format!("cookie parameter `{wire}` is not supported; not sent"),
                );
                continue;
            }
            let data = param.parameter_data_ref();
            let schema_ptr = pointer_join(&ptr, "schema");
            let hint = format!("{stem}{}", type_name(&wire));
            let (ty, default, maximum, json) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let lowered = self.lower_use(SRef::of(s), &schema_ptr, &hint)?;
                    let (default, maximum) = match s {
                        ReferenceOr::Item(schema) => (
                            schema.schema_data.default.as_ref(),
                            match &schema.schema_kind {
                                SchemaKind::Type(Type::Integer(it)) => it.maximum,
                                _ => None,
                            },
                        ),
                        ReferenceOr::Reference { .. } => (None, None),
                    };
                    (lowered.ty, default, maximum, false)
                }
                ParameterSchemaOrContent::Content(content) => {
                    let picked = pick_media(content);
                    let json_schema = picked
                        .filter(|(ct, _)| is_json(ct))
                        .and_then(|(ct, m)| m.schema.as_ref().map(|s| (ct, s)));
                    match json_schema {
                        Some((ct, s)) => {
                            let at = pointer_join(
                                &pointer_join(&pointer_join(&ptr, "content"), ct),
                                "schema",
                            );
                            let lowered = self.lower_use(SRef::of(s), &at, &hint)?;
                            (lowered.ty, None, None, true)
                        }
                        None => {
                            self.warn(
                                WarningKind::Degraded,
                                ptr.clone(),
                                format!("parameter `{wire}` uses `content` without a JSON schema; taken as any JSON value and sent as JSON text"),
                            );
                            (TypeRef::Value, None, None, true)
                        }
                    }
                }
            };
            let required = data.required || loc == ParamLocation::Path;
            let default_ptr = pointer_join(&schema_ptr, "default");
            if let Some(v) = default {
                self.check_default(v, &ty, &default_ptr);
            }
            let (default, server_default) = match default {
                Some(v) if required => (Some(v.clone()), None),
                Some(v) => (None, Some(v.clone())),
                None => (None, None),
            };
            let (style, allow_reserved) = match param {
                Parameter::Query {
                    style,
                    allow_reserved,
                    ..
                } => (
                    match style {
                        QueryStyle::Form => ParamStyle::Form,
                        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                    *allow_reserved,
                ),
                Parameter::Path { style, .. } => (
                    match style {
                        PathStyle::Simple => ParamStyle::Simple,
                        PathStyle::Label => ParamStyle::Label,
                        PathStyle::Matrix => ParamStyle::Matrix,
                    },
                    false,
                ),
                _ => (ParamStyle::Simple, false),
            };
            let explode = data.explode.unwrap_or(matches!(style, ParamStyle::Form));
            out.push(Param {
                name: names.unique(&snake_name(&wire), true),
                wire,
                location: loc,
                ty,
                required,
                default,
                server_default,
                maximum,
                style,
                explode,
                allow_reserved,
                json,
                doc: data.description.clone().filter(|s| !s.trim().is_empty()),
                deprecated: data.deprecated.unwrap_or(false),
                example: self.parameter_example(data),
            });
        }
        Ok(out)
    }

    /// Warn where a parameter's default does not match its schema's JSON type (the beta
    /// document's `default: true` on a string header): the default is sent as the spec
    /// writes it.
    fn check_default(&mut self, v: &serde_json::Value, ty: &TypeRef, ptr: &str) {
        let ty = crate::ir::resolve_alias(&self.types, ty);
        let matches = matches!(
            (ty, v),
            (
                TypeRef::String
                    | TypeRef::Named(_)
                    | TypeRef::Date
                    | TypeRef::DateTime
                    | TypeRef::Binary,
                serde_json::Value::String(_)
            ) | (TypeRef::Bool, serde_json::Value::Bool(_))
                | (
                    TypeRef::I32 | TypeRef::I64 | TypeRef::F64,
                    serde_json::Value::Number(_)
                )
                | (TypeRef::Array(_), serde_json::Value::Array(_))
                | (
                    TypeRef::Map(_) | TypeRef::Named(_),
                    serde_json::Value::Object(_)
                )
                | (TypeRef::Named(_), _)
                | (TypeRef::Value, _)
        );
        if !matches {
            self.warn(
                WarningKind::Contradiction,
                ptr.to_string(),
                format!("default {v} does not match the parameter's schema type; sent as the spec writes it"),
            );
        }
    }

    fn resolve_param(
        &self,
        p: &'s ReferenceOr<Parameter>,
        ptr: &str,
    ) -> Result<(&'s Parameter, String), Error> {
        match p {
            ReferenceOr::Item(param) => Ok((param, ptr.to_string())),
            ReferenceOr::Reference { reference } => {
                let key = self.component_key(reference, "parameters", ptr)?;
                let target = self
                    .spec
                    .components
                    .as_ref()
                    .and_then(|c| c.parameters.get(&key));
                match target {
                    Some(ReferenceOr::Item(param)) => {
                        Ok((param, pointer_join("#/components/parameters", &key)))
                    }
                    Some(ReferenceOr::Reference { .. }) => Err(Error::new(
                        &self.file,
                        ptr,
                        "expected a parameter; chained parameter references are not supported",
                    )),
                    None => Err(self.dangling(reference, ptr)),
                }
            }
        }
    }

    fn lower_request_body(
        &mut self,
        rb: &'s ReferenceOr<openapiv3::RequestBody>,
        ptr: &str,
        stem: &str,
    ) -> Result<Option<RequestBody>, Error> {
        let (rb, at) = match rb {
            ReferenceOr::Item(rb) => (rb, ptr.to_string()),
            ReferenceOr::Reference { reference } => {
                let key = self.component_key(reference, "requestBodies", ptr)?;
                match self
                    .spec
                    .components
                    .as_ref()
                    .and_then(|c| c.request_bodies.get(&key))
                {
                    Some(ReferenceOr::Item(rb)) => {
                        (rb, pointer_join("#/components/requestBodies", &key))
                    }
                    Some(ReferenceOr::Reference { .. }) => {
                        return Err(Error::new(
                            &self.file,
                            ptr,
                            "expected a request body; chained references are not supported",
                        ));
                    }
                    None => return Err(self.dangling(reference, ptr)),
                }
            }
        };
        let Some((content_type, media)) = pick_media(&rb.content) else {
            self.warn(
                WarningKind::Contradiction,
                at,
                "request body without content; no body is sent",
            );
            return Ok(None);
        };
        let media_ptr = pointer_join(&pointer_join(&at, "content"), content_type);
        let kind = self.body_kind(content_type, media, &media_ptr, &format!("{stem}Request"))?;
        Ok(Some(RequestBody {
            content_type: content_type.clone(),
            kind,
            required: rb.required,
            doc: rb.description.clone().filter(|s| !s.trim().is_empty()),
            // A body the spec gives no example of: its required members, made up.
            example: self.media_example(media).or_else(|| {
                media
                    .schema
                    .as_ref()
                    .and_then(|s| self.value_of_type(SRef::of(s), "body"))
            }),
        }))
    }

    fn body_kind(
        &mut self,
        content_type: &str,
        media: &'s MediaType,
        ptr: &str,
        hint: &str,
    ) -> Result<BodyKind, Error> {
        let schema_ptr = pointer_join(ptr, "schema");
        let ct = content_type.to_ascii_lowercase();
        Ok(if is_json(&ct) {
            match &media.schema {
                Some(s) => BodyKind::Json(super::schema::wrap_nullable(self.lower_use(
                    SRef::of(s),
                    &schema_ptr,
                    hint,
                )?)),
                None => BodyKind::Json(TypeRef::Value),
            }
        } else if ct == "multipart/form-data" || ct == "application/x-www-form-urlencoded" {
            let multipart = ct == "multipart/form-data";
            let fields = match &media.schema {
                Some(s) => self.form_fields(SRef::of(s), &schema_ptr, hint)?,
                None => None,
            };
            match fields {
                None => BodyKind::FreeForm { multipart },
                Some(fields) if multipart => BodyKind::Multipart(fields),
                Some(fields) => BodyKind::Form(fields),
            }
        } else if ct.starts_with("text/") {
            BodyKind::Text
        } else {
            BodyKind::Binary
        })
    }

    /// The properties of a form body's object schema, one field per part; `None` when the
    /// schema lists no properties (any object: one part per member).
    fn form_fields(
        &mut self,
        s: SRef<'s>,
        ptr: &str,
        hint: &str,
    ) -> Result<Option<Vec<FormField>>, Error> {
        let (schema, at) = self.resolve(s, ptr)?;
        let (props, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                (&o.properties, &o.required)
            }
            SchemaKind::Any(a) if !a.properties.is_empty() => (&a.properties, &a.required),
            SchemaKind::Type(Type::Object(_)) => return Ok(None),
            SchemaKind::Any(a) if a.typ.is_none() || a.typ.as_deref() == Some("object") => {
                return Ok(None);
            }
            _ => {
                self.warn(
                    WarningKind::Degraded,
                    at,
                    "form body schema is not an object; taken as any object, one field per member",
                );
                return Ok(None);
            }
        };
        let mut sorted: Vec<_> = props.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        let mut names = Namer::new();
        let mut out = Vec::new();
        for (wire, p) in sorted {
            let p_ptr = pointer_join(&pointer_join(&at, "properties"), wire);
            let lowered = self.lower_use(
                SRef::of_box(p),
                &p_ptr,
                &format!("{hint}{}", type_name(wire)),
            )?;
            let doc = match p {
                ReferenceOr::Item(s) => super::schema::doc_of(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            out.push(FormField {
                name: names.unique(&snake_name(wire), true),
                wire: wire.clone(),
                ty: lowered.ty,
                required: required.contains(wire),
                doc,
                example: self.field_example(SRef::of_box(p), wire),
            });
        }
        Ok(Some(out))
    }

    fn lower_responses(
        &mut self,
        responses: &'s openapiv3::Responses,
        ptr: &str,
        stem: &str,
        cache: &mut HashMap<String, Response>,
    ) -> Result<Vec<Response>, Error> {
        let success_count = responses
            .responses
            .keys()
            .filter(|s| code_status(s).is_success())
            .count();
        let mut out = Vec::new();
        // Sorted by status, so which response names a shared inline type never depends
        // on the order of the spec's map.
        let mut entries: Vec<(Status, String, &'s ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .map(|(code, r)| (code_status(code), code.to_string(), r))
            .chain(
                responses
                    .default
                    .iter()
                    .map(|r| (Status::Default, "default".to_string(), r)),
            )
            .collect();
        entries.sort_by_key(|e| e.0);
        for (status, key, r) in entries {
            let r_ptr = pointer_join(ptr, &key);
            let resp = match r {
                ReferenceOr::Reference { reference } => {
                    let name = self.component_key(reference, "responses", &r_ptr)?;
                    if let Some(cached) = cache.get(&name) {
                        Response {
                            status,
                            ..cached.clone()
                        }
                    } else {
                        let target = self
                            .spec
                            .components
                            .as_ref()
                            .and_then(|c| c.responses.get(&name));
                        let target = match target {
                            Some(ReferenceOr::Item(t)) => t,
                            Some(ReferenceOr::Reference { .. }) => {
                                return Err(Error::new(
                                    &self.file,
                                    r_ptr,
                                    "expected a response; chained references are not supported",
                                ));
                            }
                            None => return Err(self.dangling(reference, &r_ptr)),
                        };
                        let hint = if name.starts_with(|c: char| c.is_ascii_digit()) {
                            format!("Status{name}Response")
                        } else {
                            format!("{}Response", type_name(&name))
                        };
                        let resp = self.lower_response(
                            target,
                            &pointer_join("#/components/responses", &name),
                            &hint,
                            status,
                        )?;
                        cache.insert(name, resp.clone());
                        resp
                    }
                }
                ReferenceOr::Item(item) => {
                    let hint = if status.is_success() && success_count == 1 {
                        format!("{stem}Response")
                    } else {
                        format!(
                            "{stem}{}Response",
                            key.to_ascii_uppercase()
                                .replace(|c: char| !c.is_ascii_alphanumeric(), "")
                        )
                    };
                    self.lower_response(item, &r_ptr, &hint, status)?
                }
            };
            let mut resp = resp;
            if matches!(status, Status::Code(204 | 205 | 304)) && resp.body.is_some() {
                // HTTP: these statuses end at the headers (RFC 9110, 15.3.5, 15.3.6,
                // 15.4.5); a client that read a body would wait or fail.
                self.warn(
                    WarningKind::Contradiction,
                    r_ptr,
                    format!("a {key} response has no content in HTTP; the documented `content` is not read"),
                );
                resp.body = None;
            }
            out.push(resp);
        }
        Ok(out)
    }

    fn lower_response(
        &mut self,
        r: &'s openapiv3::Response,
        ptr: &str,
        hint: &str,
        status: Status,
    ) -> Result<Response, Error> {
        let body = match pick_media(&r.content) {
            None => None,
            Some((ct, media)) => {
                let media_ptr = pointer_join(&pointer_join(ptr, "content"), ct);
                {
                    // A form in a response has no typed decoding: it is read as bytes.
                    let kind = match self.body_kind(ct, media, &media_ptr, hint)? {
                        BodyKind::Multipart(_) | BodyKind::Form(_) | BodyKind::FreeForm { .. } => {
                            BodyKind::Binary
                        }
                        other => other,
                    };
                    Some(ResponseBody {
                        content_type: ct.clone(),
                        kind,
                        example: self.media_example(media).map(|v| v.to_string()),
                    })
                }
            }
        };
        Ok(Response {
            status,
            doc: Some(r.description.clone()).filter(|s| !s.trim().is_empty()),
            body,
        })
    }
}

/// An operation pages when it has the optional integer query parameters the pagination
/// setting names (`limit` and `offset` unless set), in its `Params` struct, no request
/// body other than JSON, and exactly one success response, a JSON array.
fn paging(
    types: &std::collections::BTreeMap<String, crate::ir::TypeDef>,
    op: &Operation,
    pagination: &crate::settings::Pagination,
) -> Option<crate::ir::Paging> {
    let find = |wire: &str| {
        op.params.iter().find(|p| {
            p.wire == wire
                && p.location == ParamLocation::Query
                && !p.positional()
                && matches!(
                    crate::ir::resolve_alias(types, &p.ty),
                    TypeRef::I32 | TypeRef::I64
                )
        })
    };
    let (limit, offset) = (find(&pagination.limit)?, find(&pagination.offset)?);
    let mut successes = op.successes();
    let only = successes.next()?;
    if successes.next().is_some()
        || op
            .body
            .as_ref()
            .is_some_and(|b| !matches!(b.kind, BodyKind::Json(_)))
    {
        return None;
    }
    let BodyKind::Json(ty) = &only.body.as_ref()?.kind else {
        return None;
    };
    let TypeRef::Array(item) = crate::ir::resolve_alias(types, ty) else {
        return None;
    };
    Some(crate::ir::Paging {
        stream: String::new(),
        limit: limit.name.clone(),
        offset: offset.name.clone(),
        page_size: limit
            .maximum
            .filter(|m| *m > 0)
            .unwrap_or(pagination.page_size),
        by_page: pagination.style == crate::settings::PageStyle::Page,
        item: (**item).clone(),
    })
}

fn path_item_op<'a>(
    item: &'a openapiv3::PathItem,
    method: &str,
) -> Option<&'a openapiv3::Operation> {
    match method {
        "get" => item.get.as_ref(),
        "put" => item.put.as_ref(),
        "post" => item.post.as_ref(),
        "delete" => item.delete.as_ref(),
        "options" => item.options.as_ref(),
        "head" => item.head.as_ref(),
        "patch" => item.patch.as_ref(),
        "trace" => item.trace.as_ref(),
        _ => None,
    }
}

fn location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn code_status(code: &StatusCode) -> Status {
    match code {
        StatusCode::Code(c) => Status::Code(*c),
        StatusCode::Range(r) => Status::Range(u8::try_from(*r).unwrap_or(0)),
    }
}

fn is_json(ct: &str) -> bool {
    let base = ct.split(';').next().unwrap_or(ct).trim();
    base == "application/json" || base.ends_with("+json") || base == "*/*"
}

/// The media type to use among those offered: JSON first, then forms, then text, then
/// anything else; ties broken by name, so the choice never depends on map order.
fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    fn rank(ct: &str) -> u8 {
        let ct = ct.to_ascii_lowercase();
        if ct.starts_with("application/json") {
            0
        } else if is_json(&ct) {
            1
        } else if ct == "multipart/form-data" {
            2
        } else if ct == "application/x-www-form-urlencoded" {
            3
        } else if ct.starts_with("text/") {
            4
        } else {
            5
        }
    }
    content
        .iter()
        .min_by(|a, b| (rank(a.0), a.0).cmp(&(rank(b.0), b.0)))
}
