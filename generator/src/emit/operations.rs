//! One file per tag under `operations/`: the `Client` methods, and each operation's
//! `Params` (optional parameters), `Success` (when 2xx responses differ in type) and
//! `Error` (typed error bodies by status) types.

use super::docs::prose;
use super::{Ctx, doc_attrs, is_enum, resolve_alias, type_tokens};
use crate::ir::{
    Api, BodyKind, Operation, Param, ParamLocation, Response, Status, TypeKind, TypeRef,
};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

pub(super) fn module_file(api: &Api, ops: &[&Operation], errors: &ErrorEnums) -> TokenStream {
    let tag = ops
        .first()
        .and_then(|o| o.tags.first())
        .map(String::as_str)
        .unwrap_or("(untagged)");
    let module_doc = format!(" Operations tagged `{tag}`.");
    let items: Vec<TokenStream> = ops
        .iter()
        .map(|op| operation_tokens(api, op, errors))
        .collect();
    // Error bodies are in `errors.rs`: whether this module names a model is read off its
    // own code.
    let uses_models = items.iter().any(|t| t.to_string().contains("models ::"));
    let use_models = uses_models.then(|| {
        quote!(
            use crate::generated::models;
        )
    });
    quote! {
        #![doc = #module_doc]
        #use_models
        use crate::generated::errors;
        use crate::runtime;
        #(#items)*
    }
}

/// What a body or response value is in Rust.
fn body_value_type(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(t) => type_tokens(t, Ctx::Operations),
        BodyKind::Text => quote!(String),
        BodyKind::Binary => quote!(runtime::Bytes),
        BodyKind::Multipart(_) | BodyKind::Form(_) => quote!(serde_json::Value),
    }
}

fn response_value_type(r: &Response) -> TokenStream {
    match &r.body {
        None => quote!(()),
        Some(b) => body_value_type(&b.kind),
    }
}

/// Variant name for a status in the success / error enums.
fn status_variant(status: Status) -> Ident {
    let name = match status {
        Status::Code(c) => match c {
            200 => "Ok".to_string(),
            201 => "Created".to_string(),
            202 => "Accepted".to_string(),
            203 => "NonAuthoritativeInformation".to_string(),
            204 => "NoContent".to_string(),
            206 => "PartialContent".to_string(),
            207 => "MultiStatus".to_string(),
            400 => "BadRequest".to_string(),
            401 => "Unauthorized".to_string(),
            402 => "PaymentRequired".to_string(),
            403 => "Forbidden".to_string(),
            404 => "NotFound".to_string(),
            405 => "MethodNotAllowed".to_string(),
            406 => "NotAcceptable".to_string(),
            408 => "RequestTimeout".to_string(),
            409 => "Conflict".to_string(),
            410 => "Gone".to_string(),
            412 => "PreconditionFailed".to_string(),
            413 => "PayloadTooLarge".to_string(),
            415 => "UnsupportedMediaType".to_string(),
            422 => "UnprocessableEntity".to_string(),
            423 => "Locked".to_string(),
            429 => "TooManyRequests".to_string(),
            500 => "InternalServerError".to_string(),
            501 => "NotImplemented".to_string(),
            502 => "BadGateway".to_string(),
            503 => "ServiceUnavailable".to_string(),
            504 => "GatewayTimeout".to_string(),
            c => format!("Status{c}"),
        },
        Status::Range(r) => format!("Status{r}xx"),
        Status::Default => "Other".to_string(),
    };
    format_ident!("{}", name)
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        Status::Range(r) => {
            let lo = Literal::u16_unsuffixed(u16::from(r) * 100);
            let hi = Literal::u16_unsuffixed(u16::from(r) * 100 + 99);
            quote!(#lo..=#hi)
        }
        Status::Default => quote!(_),
    }
}

fn status_label(status: Status) -> String {
    match status {
        Status::Code(c) => c.to_string(),
        Status::Range(r) => format!("{r}XX"),
        Status::Default => "any other status".to_string(),
    }
}

/// How the success value is represented: one type, or an enum by status.
enum SuccessShape {
    Single(TokenStream),
    Enum(Ident),
}

fn success_shape(op: &Operation) -> SuccessShape {
    let types: Vec<String> = op
        .successes()
        .map(|r| response_value_type(r).to_string())
        .collect();
    let first = op.successes().next();
    match first {
        None => SuccessShape::Single(quote!(())),
        Some(r) if types.iter().all(|t| *t == types[0]) => {
            SuccessShape::Single(response_value_type(r))
        }
        Some(_) => SuccessShape::Enum(format_ident!("{}Success", op.type_name)),
    }
}

fn operation_tokens(api: &Api, op: &Operation, errors: &ErrorEnums) -> TokenStream {
    let method = format_ident!("{}", op.name);
    let error_ty = format_ident!("{}Error", op.type_name);
    let params_ty = format_ident!("{}Params", op.type_name);
    // Arguments keep the spec's order (it is the call's order); the `Params` fields are
    // sorted by name, so reordering the spec's parameter list changes nothing.
    let mut optional: Vec<&Param> = op.params.iter().filter(|p| !p.positional()).collect();
    optional.sort_by(|a, b| a.name.cmp(&b.name));
    let positional: Vec<&Param> = op.params.iter().filter(|p| p.positional()).collect();

    // Arguments.
    let mut args = Vec::new();
    let mut arg_pairs: Vec<(Ident, TokenStream)> = Vec::new();
    let mut arg_docs = Vec::new();
    for p in &positional {
        let name = format_ident!("{}", p.name);
        let ty = arg_type(api, &p.ty);
        arg_pairs.push((name.clone(), ty.clone()));
        args.push(quote!(#name: #ty));
        arg_docs.push(format!(
            "- `{}`: {}",
            p.name,
            p.doc
                .as_deref()
                .map(|d| prose(&one_line(d)))
                .unwrap_or_else(|| format!("`{}`", p.wire))
        ));
    }
    let body_arg = op.body.as_ref().map(|b| {
        let ty = match &b.kind {
            BodyKind::Json(t) => match t {
                TypeRef::Array(item) => {
                    let item = type_tokens(item, Ctx::Operations);
                    quote!(&[#item])
                }
                other => {
                    let t = type_tokens(other, Ctx::Operations);
                    quote!(&#t)
                }
            },
            BodyKind::Text => quote!(&str),
            BodyKind::Binary => quote!(runtime::Bytes),
            BodyKind::Multipart(_) | BodyKind::Form(_) => {
                let form = format_ident!("{}Form", op.type_name);
                quote!(&#form)
            }
        };
        let ty = if b.required { ty } else { quote!(Option<#ty>) };
        arg_docs.push(format!(
            "- `body` (`{}`): {}",
            b.content_type,
            b.doc
                .as_deref()
                .map(|d| prose(&one_line(d)))
                .unwrap_or_else(|| "the request body".to_string())
        ));
        arg_pairs.push((format_ident!("body"), ty.clone()));
        quote!(body: #ty)
    });
    args.extend(body_arg);
    if !optional.is_empty() {
        args.push(quote!(params: &#params_ty));
        arg_docs.push(format!(
            "- `params`: optional parameters, see [`{params_ty}`]"
        ));
    }

    // Request building.
    let (path_lets, path_expr) = path_expr(api, op);
    let mut stmts = Vec::new();
    for p in &positional {
        if p.location == ParamLocation::Path {
            continue;
        }
        let name = format_ident!("{}", p.name);
        stmts.push(send_param(api, &op.id, p, quote!(#name), false));
    }
    for p in &optional {
        let name = format_ident!("{}", p.name);
        let value = quote!(params.#name);
        match &p.default {
            Some(d) => {
                let wire = &p.wire;
                let call = location_call(p.location);
                stmts.push(quote! {
                    match &#value {
                        Some(v) => req.#call(#wire, v),
                        None => req.#call(#wire, #d),
                    }
                });
            }
            None => {
                let inner = send_param(api, &op.id, p, quote!(v), true);
                stmts.push(quote! {
                    if let Some(v) = &#value {
                        #inner
                    }
                });
            }
        }
    }
    if let Some(b) = &op.body {
        stmts.push(body_stmt(api, &op.id, b));
    }
    if let Some(accept) = accept_header(op) {
        stmts.push(quote!(req.header("Accept", #accept);));
    }
    let req_binding = if stmts.is_empty() {
        quote!(let req)
    } else {
        quote!(let mut req)
    };

    // Response handling.
    let success = success_shape(op);
    let success_ty = match &success {
        SuccessShape::Single(t) => t.clone(),
        SuccessShape::Enum(id) => quote!(#id),
    };
    let mut arms = Vec::new();
    let mut ordered: Vec<&Response> = op.responses.iter().collect();
    // Exact codes, then ranges, then `default`.
    ordered.sort_by_key(|r| match r.status {
        Status::Code(c) => (0, c),
        Status::Range(r) => (1, u16::from(r)),
        Status::Default => (2, 0),
    });
    for r in &ordered {
        let pat = status_pattern(r.status);
        let decode = decode_success(r);
        if r.status.is_success() {
            let expr = match &success {
                SuccessShape::Single(_) => decode,
                SuccessShape::Enum(id) => {
                    let v = status_variant(r.status);
                    match &r.body {
                        None => quote!(resp.empty().map(|r| r.map(|()| #id::#v))),
                        Some(b) => {
                            let t = body_value_type(&b.kind);
                            let call = match &b.kind {
                                BodyKind::Json(_) => quote!(json::<#t, _>),
                                BodyKind::Text => quote!(text::<_>),
                                _ => quote!(bytes::<_>),
                            };
                            quote!(resp.#call().map(|r| r.map(#id::#v)))
                        }
                    }
                }
            };
            arms.push(quote!(#pat => #expr,));
        }
    }
    // Every other status: the error enum decodes the documented ones.
    arms.push(quote!(_ => Err(resp.error()),));

    // Docs.
    let mut doc = String::new();
    if let Some(s) = &op.summary {
        doc.push_str(&prose(s));
        doc.push_str("\n\n");
    }
    if let Some(d) = &op.description {
        doc.push_str(&prose(d));
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}` (operation `{}`).",
        op.method, op.path, op.id
    ));
    if !arg_docs.is_empty() {
        doc.push_str("\n\n# Arguments\n\n");
        doc.push_str(&arg_docs.join("\n"));
    }
    for p in optional.iter().filter(|p| p.default.is_some()) {
        doc.push_str(&format!(
            "\n\nSends `{}: {}` unless `params.{}` is set.",
            p.wire,
            p.default.as_deref().unwrap_or_default(),
            p.name
        ));
    }
    doc.push_str(&format!(
        "\n\n# Errors\n\nA status the spec lists for this operation gives [`runtime::Error::Api`] with the typed body in [`{error_ty}`]; see [`runtime::Error`] for the rest."
    ));
    let doc = doc_attrs(&doc);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let allow_deprecated = op
        .params
        .iter()
        .any(|p| p.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));

    let id = &op.id;
    let http_method = &op.method;
    let path_template = &op.path;
    let method_fn = quote! {
        impl runtime::Client {
            #(#doc)*
            #deprecated
            #allow_deprecated
            #too_many
            pub fn #method(&self, #(#args),*) -> runtime::ResponseFuture<'_, #success_ty, #error_ty> {
                self.send_request(
                    || {
                        #(#path_lets)*
                        #req_binding = runtime::Request::new(
                            &runtime::OperationInfo { id: #id, method: #http_method, path: #path_template },
                            #path_expr,
                        );
                        #(#stmts)*
                        Ok(req)
                    },
                    |resp| match resp.status() {
                        #(#arms)*
                    },
                )
            }
        }
    };

    let stream_fn = op
        .paging
        .as_ref()
        .map(|page| stream_tokens(api, op, page, &arg_pairs, &params_ty, &error_ty));
    let params_struct =
        (!optional.is_empty()).then(|| params_struct(api, op, &optional, &params_ty));
    let form_struct = op.body.as_ref().and_then(|b| form_struct(op, b));
    let success_enum = match &success {
        SuccessShape::Enum(id) => Some(success_enum(op, id)),
        SuccessShape::Single(_) => None,
    };
    let error_enum = error_alias(op, &error_ty, errors);
    quote! {
        #params_struct
        #form_struct
        #success_enum
        #error_enum
        #method_fn
        #stream_fn
    }
}

/// The `Accept` header for an operation whose responses are not all JSON (the runtime
/// sends `application/json` otherwise): the success media types first, then the errors'.
fn accept_header(op: &Operation) -> Option<String> {
    let mut types: Vec<&str> = Vec::new();
    for r in op.successes().chain(op.errors()) {
        if let Some(b) = &r.body
            && !types.contains(&b.content_type.as_str())
        {
            types.push(&b.content_type);
        }
    }
    (types.iter().any(|t| *t != "application/json")).then(|| types.join(", "))
}

/// Put lifetime `'a` on every reference in a type.
fn with_lifetime(ty: &TokenStream) -> TokenStream {
    use proc_macro2::{Group, Punct, Spacing, TokenTree};
    let mut out = TokenStream::new();
    for tt in ty.clone() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '&' => {
                out.extend([TokenTree::Punct(Punct::new('&', Spacing::Alone))]);
                out.extend(quote!('a));
            }
            TokenTree::Group(g) => {
                let mut ng = Group::new(g.delimiter(), with_lifetime(&g.stream()));
                ng.set_span(g.span());
                out.extend([TokenTree::Group(ng)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

/// `{stream}`: every item of a paged list operation, as a `Stream`.
fn stream_tokens(
    api: &Api,
    op: &Operation,
    page: &crate::ir::Paging,
    arg_pairs: &[(Ident, TokenStream)],
    params_ty: &Ident,
    error_ty: &Ident,
) -> TokenStream {
    let method = format_ident!("{}", op.name);
    let stream = format_ident!("{}", page.stream);
    let names: Vec<&Ident> = arg_pairs.iter().map(|(n, _)| n).collect();
    let args: Vec<TokenStream> = arg_pairs
        .iter()
        .map(|(n, t)| {
            let t = with_lifetime(t);
            quote!(#n: #t)
        })
        .collect();
    let (limit, offset) = (
        format_ident!("{}", page.limit),
        format_ident!("{}", page.offset),
    );
    let param_ty = |name: &str| {
        let p = op
            .params
            .iter()
            .find(|p| p.name == name)
            .map(|p| resolve_alias(api, &p.ty));
        if p == Some(&TypeRef::I64) {
            quote!(i64)
        } else {
            quote!(i32)
        }
    };
    let item = type_tokens(&page.item, Ctx::Operations);
    let page_size = page.page_size;
    let page_size_lit = Literal::u32_unsuffixed(u32::try_from(page_size).unwrap_or(250));
    // `u32` → the parameter's integer type: infallible for `i64`, saturating for `i32`.
    let convert = |ty: TokenStream, v: TokenStream| {
        if ty.to_string() == "i64" {
            quote!(i64::from(#v))
        } else {
            quote!(#ty::try_from(#v).unwrap_or(#ty::MAX))
        }
    };
    let offset_from = convert(param_ty(&page.offset), quote!(page_offset));
    let limit_from = convert(param_ty(&page.limit), quote!(page_limit));
    let doc = [
        format!("Every item of [`Self::{method}`], fetched page after page while the stream is read."),
        String::new(),
        format!(
            "Pages hold `params.{limit}` items, at most {page_size} (the spec's maximum, also the \
             default); the first page starts at `params.{offset}` (default 0). The stream ends after \
             a short or empty page, after yielding the first error, or after `max_items` items."
        ),
    ]
    .join("\n");
    let doc = doc_attrs(&doc);
    // The stream calls the operation's method: deprecated with it, and allowed to call it.
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let allow = (op.deprecated || op.params.iter().any(|p| p.deprecated))
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        impl runtime::Client {
            #(#doc)*
            #deprecated
            #allow
            pub fn #stream<'a>(
                &'a self,
                #(#args,)*
                params: &'a #params_ty,
                max_items: Option<usize>,
            ) -> impl runtime::Stream<Item = Result<#item, runtime::Error<#error_ty>>> + 'a {
                runtime::paginate(
                    params.#limit.and_then(|l| u32::try_from(l).ok()).filter(|l| *l > 0).map_or(#page_size_lit, |l| l.min(#page_size_lit)),
                    max_items,
                    move |page_offset, page_limit| {
                        let mut page_params = params.clone();
                        page_params.#offset = Some(params.#offset.unwrap_or(0).saturating_add(#offset_from));
                        page_params.#limit = Some(#limit_from);
                        async move { self.#method(#(#names,)* &page_params).await }
                    },
                )
            }
        }
    }
}

fn decode_success(r: &Response) -> TokenStream {
    match &r.body {
        None => quote!(resp.empty()),
        Some(b) => match &b.kind {
            BodyKind::Json(_) => quote!(resp.json()),
            BodyKind::Text => quote!(resp.text()),
            _ => quote!(resp.bytes()),
        },
    }
}

fn location_call(loc: ParamLocation) -> Ident {
    match loc {
        ParamLocation::Header => format_ident!("header"),
        _ => format_ident!("query"),
    }
}

/// The statement that adds one query or header parameter to `req`. `is_ref`: `value` is a
/// reference (`if let Some(v) = &params.x`); otherwise it is the argument itself.
fn send_param(api: &Api, op_id: &str, p: &Param, value: TokenStream, is_ref: bool) -> TokenStream {
    let wire = &p.wire;
    let call = location_call(p.location);
    match resolve_alias(api, &p.ty) {
        TypeRef::Array(item) => {
            let item_text = to_text(api, item, quote!(x), true, op_id, wire);
            if p.explode && p.location == ParamLocation::Query {
                quote! {
                    for x in #value.iter() {
                        req.#call(#wire, #item_text);
                    }
                }
            } else if item_text.to_string().contains("json_text") {
                quote! {
                    req.#call(#wire, #value.iter().map(|x| runtime::json_text(#op_id, #wire, x)).collect::<Result<Vec<_>, _>>()?.join(","));
                }
            } else {
                quote! {
                    req.#call(#wire, #value.iter().map(|x| #item_text).collect::<Vec<_>>().join(","));
                }
            }
        }
        ty => {
            let text = to_text(api, ty, value, is_ref || !is_copy(ty), op_id, wire);
            quote!(req.#call(#wire, #text);)
        }
    }
}

/// Whether a positional argument of this type is passed by value.
fn is_copy(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F64
            | TypeRef::Date
            | TypeRef::DateTime
    )
}

/// An expression turning `value` into the text sent for parameter or form field `wire`.
/// `is_ref`: `value` is a reference or a by-value scalar; otherwise a place such as
/// `body.x`. Scalars and enums are written as text; anything else as JSON, since a query
/// string has no standard form for objects.
fn to_text(
    api: &Api,
    ty: &TypeRef,
    value: TokenStream,
    is_ref: bool,
    op_id: &str,
    wire: &str,
) -> TokenStream {
    let reference = if is_ref {
        value.clone()
    } else {
        quote!(&#value)
    };
    match resolve_alias(api, ty) {
        TypeRef::Nullable(inner) => {
            let t = to_text(api, inner, quote!(v), true, op_id, wire);
            quote!(match #reference { Some(v) => #t, None => String::new() })
        }
        TypeRef::DateTime => quote!(#value.to_rfc3339()),
        TypeRef::Binary => quote!(String::from_utf8_lossy(#reference).into_owned()),
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F64
        | TypeRef::Date => {
            quote!(#value.to_string())
        }
        t if is_enum(api, t) => quote!(#value.to_string()),
        _ => quote!(runtime::json_text(#op_id, #wire, #reference)?),
    }
}

/// The type of a positional argument.
fn arg_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match resolve_alias(api, ty) {
        TypeRef::String | TypeRef::Binary => quote!(&str),
        TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F64
        | TypeRef::Date
        | TypeRef::DateTime => type_tokens(ty, Ctx::Operations),
        TypeRef::Array(item) => {
            let item = type_tokens(item, Ctx::Operations);
            quote!(&[#item])
        }
        _ => {
            let t = type_tokens(ty, Ctx::Operations);
            quote!(&#t)
        }
    }
}

/// The request path, with path parameters checked and percent-encoded: `let` statements
/// binding each encoded parameter (shadowing the argument), and the `format!` of the
/// path. Literal braces and variables without a parameter are sent as written.
fn path_expr(api: &Api, op: &Operation) -> (Vec<TokenStream>, TokenStream) {
    let escape = |text: &str| text.replace('{', "{{").replace('}', "}}");
    let mut fmt = String::new();
    let mut lets = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        fmt.push_str(&escape(&rest[..open]));
        let wire = &rest[open + 1..close];
        match op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == wire)
        {
            Some(p) => {
                let name = format_ident!("{}", p.name);
                let id = &op.id;
                let wire = &p.wire;
                let text = match resolve_alias(api, &p.ty) {
                    TypeRef::String | TypeRef::Binary => quote!(#name),
                    ty => {
                        let t = to_text(api, ty, quote!(#name), true, id, wire);
                        quote!(&#t)
                    }
                };
                lets.push(quote!(let #name = runtime::path_param(#id, #wire, #text)?;));
                fmt.push_str(&format!("{{{}}}", p.name));
            }
            None => fmt.push_str(&escape(&rest[open..=close])),
        }
        rest = &rest[close + 1..];
    }
    fmt.push_str(&escape(rest));
    let expr = if fmt.contains('{') {
        quote!(format!(#fmt))
    } else {
        quote!(#fmt.to_string())
    };
    (lets, expr)
}

fn body_stmt(api: &Api, op_id: &str, b: &crate::ir::RequestBody) -> TokenStream {
    let ct = &b.content_type;
    let set = match &b.kind {
        BodyKind::Json(_) => {
            if ct == "application/json" {
                quote!(req.json_body(body)?;)
            } else {
                quote!(req.json_body_as(body, #ct)?;)
            }
        }
        BodyKind::Text => quote!(req.text_body(body.to_string(), #ct);),
        BodyKind::Binary => quote!(req.bytes_body(body.clone(), #ct);),
        BodyKind::Multipart(fields) => {
            // `v` is the field's value: a place (`body.x`) or a reference (`v`).
            let part = |f: &crate::ir::FormField, v: TokenStream, is_ref: bool| {
                let wire = &f.wire;
                match resolve_alias(api, &f.ty) {
                    TypeRef::Binary => {
                        // OpenAPI's default encoding of a binary property; servers
                        // (and Prism) expect file parts to be labelled.
                        quote!(runtime::Part::bytes(#wire, #v.clone(), Some(#wire.to_string()), Some("application/octet-stream".to_string())))
                    }
                    TypeRef::String => quote!(runtime::Part::text(#wire, #v.clone())),
                    TypeRef::Value | TypeRef::Named(_) | TypeRef::Array(_) | TypeRef::Map(_)
                        if !is_enum(api, &f.ty) =>
                    {
                        let msg = format!("multipart field `{wire}` could not be encoded as JSON");
                        let r = if is_ref { v } else { quote!(&#v) };
                        quote!(runtime::Part::json(#wire, #r).map_err(|e| runtime::SerializeError::with_source(#op_id, #msg, e))?)
                    }
                    _ => quote!(runtime::Part::text(#wire, #v.to_string())),
                }
            };
            let required: Vec<TokenStream> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| {
                    let name = format_ident!("{}", f.name);
                    part(f, quote!(body.#name), false)
                })
                .collect();
            let optional: Vec<TokenStream> = fields
                .iter()
                .filter(|f| !f.required)
                .map(|f| {
                    let name = format_ident!("{}", f.name);
                    let p = part(f, quote!(v), true);
                    quote!(if let Some(v) = &body.#name { parts.push(#p); })
                })
                .collect();
            let binding = if optional.is_empty() {
                quote!(let parts)
            } else {
                quote!(let mut parts)
            };
            quote! {
                #binding = vec![#(#required),*];
                #(#optional)*
                req.multipart_body(parts);
            }
        }
        BodyKind::Form(fields) => {
            let required: Vec<TokenStream> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| {
                    let name = format_ident!("{}", f.name);
                    let wire = &f.wire;
                    let text = to_text(api, &f.ty, quote!(body.#name), false, op_id, wire);
                    quote!((#wire, #text))
                })
                .collect();
            let optional: Vec<TokenStream> = fields
                .iter()
                .filter(|f| !f.required)
                .map(|f| {
                    let name = format_ident!("{}", f.name);
                    let wire = &f.wire;
                    let text = to_text(api, &f.ty, quote!(v), true, op_id, wire);
                    quote!(if let Some(v) = &body.#name { pairs.push((#wire, #text)); })
                })
                .collect();
            let binding = if optional.is_empty() {
                quote!(let pairs)
            } else {
                quote!(let mut pairs)
            };
            quote! {
                #binding = vec![#(#required),*];
                #(#optional)*
                req.form_body(pairs);
            }
        }
    };
    if b.required {
        set
    } else {
        quote! {
            if let Some(body) = body {
                #set
            }
        }
    }
}

fn params_struct(api: &Api, op: &Operation, optional: &[&Param], params_ty: &Ident) -> TokenStream {
    let fields: Vec<TokenStream> = optional
        .iter()
        .map(|p| {
            let name = format_ident!("{}", p.name);
            let ty = type_tokens(&p.ty, Ctx::Operations);
            let mut text = p.doc.as_deref().map(prose).unwrap_or_default();
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let where_ = match p.location {
                ParamLocation::Header => "Header",
                _ => "Query parameter",
            };
            text.push_str(&format!("{where_} `{}`.", p.wire));
            if let Some(d) = &p.default {
                text.push_str(&format!(" When `None`, `{d}` is sent."));
            }
            if let Some(d) = &p.server_default {
                text.push_str(&format!(
                    " When `None`, it is not sent and the server assumes `{d}`."
                ));
            }
            let doc = doc_attrs(&text);
            let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
            let _ = api;
            quote! {
                #(#doc)*
                #deprecated
                pub #name: Option<#ty>,
            }
        })
        .collect();
    let doc = format!(" Optional parameters of [`runtime::Client::{}`].", op.name);
    let allow_deprecated = optional
        .iter()
        .any(|p| p.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #[doc = #doc]
        #allow_deprecated
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #params_ty {
            #(#fields)*
        }
    }
}

fn form_struct(op: &Operation, b: &crate::ir::RequestBody) -> Option<TokenStream> {
    let fields = match &b.kind {
        BodyKind::Multipart(f) | BodyKind::Form(f) => f,
        _ => return None,
    };
    let name = format_ident!("{}Form", op.type_name);
    let items: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let id = format_ident!("{}", f.name);
            let ty = match &f.ty {
                TypeRef::Binary => quote!(runtime::Bytes),
                t => type_tokens(t, Ctx::Operations),
            };
            let ty = if f.required { ty } else { quote!(Option<#ty>) };
            let mut text = f.doc.as_deref().map(prose).unwrap_or_default();
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&format!("Form field `{}`.", f.wire));
            let doc = doc_attrs(&text);
            quote! { #(#doc)* pub #id: #ty, }
        })
        .collect();
    let doc = format!(
        " The `{}` body of [`runtime::Client::{}`].",
        b.content_type, op.name
    );
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#items)*
        }
    })
}

/// Rustdoc of a success variant: the status and the response's description.
fn status_doc(r: &Response) -> Vec<TokenStream> {
    let text = r
        .doc
        .as_deref()
        .map(|d| prose(&one_line(d)))
        .unwrap_or_default();
    doc_attrs(&format!("{}: {text}", status_label(r.status)))
}

fn success_enum(op: &Operation, name: &Ident) -> TokenStream {
    let variants: Vec<TokenStream> = op
        .successes()
        .map(|r| {
            let v = status_variant(r.status);
            let doc = status_doc(r);
            match &r.body {
                None => quote!(#(#doc)* #v,),
                Some(_) => {
                    let t = response_value_type(r);
                    quote!(#(#doc)* #v(#t),)
                }
            }
        })
        .collect();
    let doc = format!(
        " Successful responses of [`runtime::Client::{}`], by status.",
        op.name
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// One variant of an error enum.
struct ErrorVariant {
    status: Status,
    /// The status's name (`BadRequest`).
    name: Ident,
    /// The body's Rust type, and whether it is JSON (otherwise text).
    body: Option<(TokenStream, bool)>,
    /// The expression reading `trackingId` from the body `b`, when its schema has one.
    tracking: Option<TokenStream>,
}

fn error_variants(api: &Api, op: &Operation) -> Vec<ErrorVariant> {
    op.errors()
        .map(|r| {
            let (body, tracking) = match r.body.as_ref().map(|b| &b.kind) {
                None => (None, None),
                Some(BodyKind::Json(t)) => (
                    Some((type_tokens(t, Ctx::Operations), true)),
                    tracking_id_expr(api, t),
                ),
                Some(_) => (Some((quote!(String), false)), None),
            };
            ErrorVariant {
                status: r.status,
                name: status_variant(r.status),
                body,
                tracking,
            }
        })
        .collect()
}

/// The error enums of `errors.rs`. Operations whose documented errors are the same
/// (statuses, and a body type per status) share one enum, which each names with its own
/// alias (`{Operation}Error`): the real beta document's 559 operations have 18 distinct
/// sets, and one enum with its derives per operation was a tenth of the generated crate's
/// `cargo check` time.
pub(super) struct ErrorEnums<'a> {
    /// Enum name → an operation that has these errors.
    enums: BTreeMap<String, &'a Operation>,
    /// Operation id → enum name.
    of_op: BTreeMap<&'a str, String>,
}

impl<'a> ErrorEnums<'a> {
    /// Named after the statuses and a short hash of the statuses and body types
    /// (`Error400_401_404H1F2E`): a set's name depends on nothing but the set, so a new
    /// operation never renames the enums other operations use.
    pub(super) fn new(api: &'a Api) -> ErrorEnums<'a> {
        use sha2::Digest as _;
        // Key: the variants and body types, as text.
        let mut by_key: BTreeMap<String, &'a Operation> = BTreeMap::new();
        let mut key_of_op = BTreeMap::new();
        for op in &api.operations {
            // Text bodies are `String` too, but decode differently from JSON strings.
            let key = error_variants(api, op)
                .iter()
                .map(|v| match &v.body {
                    None => format!("{}", v.name),
                    Some((t, true)) => format!("{}({t})", v.name),
                    Some((t, false)) => format!("{}({t} as text)", v.name),
                })
                .collect::<Vec<_>>()
                .join(",");
            key_of_op.insert(op.id.as_str(), key.clone());
            by_key.entry(key).or_insert(op);
        }
        let mut names: BTreeMap<&str, String> = BTreeMap::new();
        let mut taken: BTreeMap<String, usize> = BTreeMap::new();
        for (key, op) in &by_key {
            let digest = sha2::Sha256::digest(key.as_bytes());
            let mut name = format!(
                "{}H{:02X}{:02X}",
                error_enum_base_name(op),
                digest[0],
                digest[1]
            );
            // Two sets with the same statuses and hash: numbered in key order.
            let n = taken.entry(name.clone()).or_default();
            *n += 1;
            if *n > 1 {
                name = format!("{name}V{n}");
            }
            names.insert(key, name);
        }
        let enums = by_key
            .iter()
            .map(|(key, op)| (names[key.as_str()].clone(), *op))
            .collect();
        let of_op = key_of_op
            .iter()
            .map(|(id, key)| (*id, names[key.as_str()].clone()))
            .collect();
        ErrorEnums { enums, of_op }
    }

    fn name_of(&self, op: &Operation) -> Ident {
        format_ident!("{}", self.of_op[op.id.as_str()])
    }
}

/// `Error` and the statuses, with `_` only between two numbers: `Error400_401_4XXOther`;
/// `NoDocumentedError` for none.
fn error_enum_base_name(op: &Operation) -> String {
    let mut name = String::from("Error");
    let mut any = false;
    for r in op.errors() {
        let part = match r.status {
            Status::Code(c) => c.to_string(),
            Status::Range(r) => format!("{r}XX"),
            Status::Default => "Other".to_string(),
        };
        if name.ends_with(|c: char| c.is_ascii_digit())
            && part.starts_with(|c: char| c.is_ascii_digit())
        {
            name.push('_');
        }
        name.push_str(&part);
        any = true;
    }
    if any {
        name
    } else {
        "NoDocumentedError".to_string()
    }
}

/// `errors.rs`: the shared error enums.
pub(super) fn errors_file(api: &Api, errors: &ErrorEnums) -> TokenStream {
    let items = errors.enums.iter().map(|(name, op)| {
        let name = format_ident!("{}", name);
        let mut variants = Vec::new();
        let mut tracking = Vec::new();
        let mut decode = Vec::new();
        for ErrorVariant {
            status,
            name: v,
            body,
            tracking: track,
        } in error_variants(api, op)
        {
            let doc = match status {
                Status::Code(c) => format!(" HTTP {c} ({}).", status_words(&v)),
                Status::Range(n) => format!(" Any other HTTP {n}xx status."),
                Status::Default => {
                    " Any status not listed above (the spec's `default`).".to_string()
                }
            };
            let pat = status_pattern(status);
            let (variant, call) = match body {
                None => (quote!(#v), quote!(error_empty)),
                Some((t, true)) => (quote!(#v(#t)), quote!(error_json)),
                Some((t, false)) => (quote!(#v(#t)), quote!(error_text)),
            };
            variants.push(quote!(#[doc = #doc] #variant,));
            decode.push((status, pat, quote!(resp.#call(Self::#v))));
            if let Some(expr) = track {
                tracking.push(quote!(Self::#v(b) => #expr,));
            }
        }
        // Exact codes, then ranges, then `default`.
        decode.sort_by_key(|(status, _, _)| match status {
            Status::Code(c) => (0, *c),
            Status::Range(r) => (1, u16::from(*r)),
            Status::Default => (2, 0),
        });
        let unexpected = (!decode.iter().any(|(s, _, _)| *s == Status::Default))
            .then(|| quote!(_ => resp.unexpected(),));
        let from_response = match decode.as_slice() {
            [] => None,
            // `default` alone: every status is this variant.
            [(Status::Default, _, expr)] => Some(quote! {
                fn from_response(resp: runtime::RawResponse) -> runtime::Error<Self> {
                    #expr
                }
            }),
            arms => {
                let arms = arms.iter().map(|(_, pat, expr)| quote!(#pat => #expr,));
                Some(quote! {
                    fn from_response(resp: runtime::RawResponse) -> runtime::Error<Self> {
                        match resp.status() {
                            #(#arms)*
                            #unexpected
                        }
                    }
                })
            }
        };
        let tracking_fn = (!tracking.is_empty()).then(|| {
            let fallback = (tracking.len() < variants.len()).then(|| quote!(_ => None,));
            quote! {
                fn tracking_id(&self) -> Option<&str> {
                    match self {
                        #(#tracking)*
                        #fallback
                    }
                }
            }
        });
        let body_impl = quote! {
            impl runtime::ErrorBody for #name {
                #from_response
                #tracking_fn
            }
        };
        quote! {
            /// Error bodies by HTTP status, for the operations that document exactly these
            /// error responses. Each operation names this type with its own alias,
            /// `{Operation}Error`, whose documentation says what each status means there.
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#variants)*
            }
            #body_impl
        }
    });
    let items: Vec<TokenStream> = items.collect();
    let uses_models = items.iter().any(|t| t.to_string().contains("models ::"));
    let use_models = uses_models.then(|| {
        quote!(
            use crate::generated::models;
        )
    });
    let use_runtime = (!items.is_empty()).then(|| {
        quote!(
            use crate::runtime;
        )
    });
    quote! {
        //! Error bodies by HTTP status, one enum per distinct set of documented error
        //! responses, shared by the operations that have it. Code names them through the
        //! operations' aliases (`operations::{Operation}Error`); these names follow the
        //! statuses and a hash of the set.
        #use_models
        #use_runtime
        #(#items)*
    }
}

/// `BadRequest` → `Bad Request`: a variant's name split into words.
fn status_words(v: &Ident) -> String {
    let name = v.to_string();
    let mut words = String::new();
    for (i, c) in name.char_indices() {
        if i > 0 && c.is_ascii_uppercase() {
            words.push(' ');
        }
        words.push(c);
    }
    words
}

/// The per-operation alias of its shared error enum, documented with the operation's own
/// descriptions of each status.
fn error_alias(op: &Operation, name: &Ident, errors: &ErrorEnums) -> TokenStream {
    let shared = errors.name_of(op);
    let mut doc = format!(
        "Error bodies of [`runtime::Client::{}`], by HTTP status.",
        op.name
    );
    let lines: Vec<String> = op
        .errors()
        .map(|r| {
            let text = r
                .doc
                .as_deref()
                .map(|d| prose(&one_line(d)))
                .unwrap_or_default();
            let v = status_variant(r.status);
            format!(
                "- [`{v}`](errors::{shared}::{v}) ({}): {text}",
                status_label(r.status)
            )
        })
        .collect();
    if !lines.is_empty() {
        doc.push_str("\n\n");
        doc.push_str(&lines.join("\n"));
    }
    let doc = doc_attrs(&doc);
    quote! {
        #(#doc)*
        pub type #name = errors::#shared;
    }
}

/// `trackingId` of an error body whose schema has that string property.
fn tracking_id_expr(api: &Api, ty: &TypeRef) -> Option<TokenStream> {
    let TypeRef::Named(n) = resolve_alias(api, ty) else {
        return None;
    };
    let TypeKind::Struct(s) = &api.types.get(n)?.kind else {
        return None;
    };
    let f = s
        .fields
        .iter()
        .find(|f| f.wire == "trackingId" && f.ty == TypeRef::String && !f.boxed)?;
    let id = format_ident!("{}", f.name);
    Some(if f.optional() {
        quote!(b.#id.as_deref())
    } else {
        quote!(Some(b.#id.as_str()))
    })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
