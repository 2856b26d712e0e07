//! `operations/{tag}/{op}.rs`: one operation's `Client` method and the types of its
//! signature (`{Op}Params`, `{Op}Form`, `{Op}Success`, `{Op}Error`); and the tag's
//! `mod.rs`.

use super::doc_attrs;
use super::docs::{self, one_line, prose};
use crate::ir::{BodyKind, ParamLocation, ParamStyle, Status};
use crate::rust::method::status_order;
use crate::rust::{
    Arg, ArgKind, Decode, ErrorVariant, FormStruct, Method, Module, Plan, Scope, Stream, Success,
    Ty,
};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// `operations/{tag}/mod.rs`.
pub(super) fn tag_module(plan: &Plan, module: &Module) -> TokenStream {
    let doc = format!(" Operations tagged `{}`.", docs::code(&module.tag));
    let mods = module.methods.iter().map(|&i| {
        let file = &plan.methods[i].file;
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or(file)
            .trim_end_matches(".rs");
        let m = format_ident!("{}", stem);
        let cfg = plan.method_cfg(i);
        quote!(#cfg mod #m; #cfg pub use #m::*;)
    });
    quote! {
        #![doc = #doc]
        #(#mods)*
    }
}

/// `operations/{tag}/{op}.rs`.
pub(super) fn file(m: &Method) -> TokenStream {
    let (head, client) = file_items(m);
    let error = error_alias(m);
    quote!(#head #error #client)
}

/// An operation file's items but the error alias: the module docs, imports and the
/// parameter, form and success types; the `impl Client`.
fn file_items(m: &Method) -> (TokenStream, TokenStream) {
    let op = m.op;
    let module_doc = format!(
        " `{} {}` (operation `{}`): [`Client::{}`](crate::generated::Client::{}) and the types it takes and returns.",
        op.method,
        docs::code(&op.path),
        docs::code(&op.id),
        op.name,
        op.name
    );
    let use_models = m.names_models().then(|| {
        quote!(
            use crate::generated::models;
        )
    });
    let params = m
        .params
        .as_ref()
        .map(|(name, fields)| params_struct(m, name, fields));
    let form = m.body.as_ref().and_then(|b| {
        b.form
            .as_ref()
            .map(|f| form_struct(m, &b.body.content_type, f))
    });
    let success = match &m.success {
        Success::Enum(name, variants) => Some(success_enum(m, name, variants)),
        Success::Single(..) => None,
    };
    let method = method_tokens(m);
    let stream = m.stream.as_ref().map(|s| stream_tokens(m, s));
    let head = quote! {
        #![doc = #module_doc]
        #use_models
        use crate::runtime;
        #params
        #form
        #success
    };
    let client = quote! {
        impl crate::generated::Client {
            #method
            #stream
        }
    };
    (head, client)
}

fn ident(name: &str) -> Ident {
    format_ident!("{}", name)
}

fn ty(t: &Ty) -> TokenStream {
    t.tokens(Scope::Operations, None)
}

/// `{Op}Params`: the optional parameters.
fn params_struct(m: &Method, name: &str, fields: &[(&crate::ir::Param, Ty)]) -> TokenStream {
    let name = ident(name);
    let fields = fields.iter().map(|(p, t)| {
        let field = ident(&p.name);
        let t = ty(t);
        let mut text = p.doc.as_deref().map(prose).unwrap_or_default();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let where_ = match p.location {
            ParamLocation::Header => "Header",
            ParamLocation::Path => "Path parameter",
            _ => "Query parameter",
        };
        text.push_str(&format!("{where_} `{}`.", docs::code(&p.wire)));
        if let Some(d) = &p.default {
            text.push_str(&format!(
                " When `None`, `{}` is sent.",
                docs::code(&d.to_string())
            ));
        }
        if let Some(d) = &p.server_default {
            text.push_str(&format!(
                " When `None`, it is not sent and the server assumes `{}`.",
                docs::code(&d.to_string())
            ));
        }
        let doc = doc_attrs(&text);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #(#doc)*
            #deprecated
            pub #field: Option<#t>,
        }
    });
    let doc = format!(
        " Optional parameters of [`Client::{}`](crate::generated::Client::{}).",
        m.op.name, m.op.name
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// `{Op}Form`: the fields of a multipart or URL-encoded body.
fn form_struct(m: &Method, content_type: &str, form: &FormStruct) -> TokenStream {
    let name = ident(&form.name);
    let mut required_args = Vec::new();
    let mut inits = Vec::new();
    let fields: Vec<TokenStream> = form
        .fields
        .iter()
        .map(|(f, t)| {
            let field = ident(&f.name);
            let t = ty(t);
            let full = if f.required {
                t.clone()
            } else {
                quote!(Option<#t>)
            };
            if f.required {
                required_args.push(quote!(#field: #t));
                inits.push(quote!(#field));
            } else {
                inits.push(quote!(#field: None));
            }
            let mut text = f.doc.as_deref().map(prose).unwrap_or_default();
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&format!("Form field `{}`.", docs::code(&f.wire)));
            let doc = doc_attrs(&text);
            quote! { #(#doc)* pub #field: #full, }
        })
        .collect();
    let all_optional = form.fields.iter().all(|(f, _)| !f.required);
    let default = all_optional.then(|| quote!(Default,));
    let doc = format!(
        " The `{}` body of [`Client::{}`](crate::generated::Client::{}).",
        docs::code(content_type),
        m.op.name,
        m.op.name
    );
    let too_many = (required_args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// A form with the given required fields; every optional field is `None`.
            #too_many
            pub fn new(#(#required_args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

/// Rustdoc of a status variant: the status and the response's description.
fn status_doc(status: Option<Status>, doc: Option<&str>) -> Vec<TokenStream> {
    let text = doc.map(|d| prose(&one_line(d))).unwrap_or_default();
    match status {
        Some(s) => doc_attrs(&format!("{}: {text}", crate::rust::method::status_label(s))),
        None => doc_attrs(&text),
    }
}

fn success_enum(m: &Method, name: &str, variants: &[crate::rust::SuccessVariant]) -> TokenStream {
    let name = ident(name);
    let variants = variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let doc = status_doc(v.status, v.doc.as_deref());
        match &v.body {
            None => quote!(#(#doc)* #vi,),
            Some(t) => {
                let t = ty(t);
                quote!(#(#doc)* #vi(#t),)
            }
        }
    });
    let mut doc = format!(
        "Successful responses of [`Client::{}`](crate::generated::Client::{}), by status.",
        m.op.name, m.op.name
    );
    if m.op.redirects() {
        doc.push_str(REDIRECT_DOC);
    }
    let doc = doc_attrs(&doc);
    quote! {
        #(#doc)*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    }
}

const REDIRECT_DOC: &str = "\n\nThe operation answers with a redirect. The HTTP client follows redirects \
    unless told not to (reqwest follows up to 10, dropping credentials when the host changes): \
    then the target's answer is returned (as `Followed` when the spec documents no 2xx). With \
    redirects off (`ClientBuilder::http_client` with a `reqwest::redirect::Policy::none()` \
    client), the redirect itself is returned, with its `Location` in \
    [`runtime::Response::location`].";

/// `{Op}Error`: the alias of the shared error enum of its statuses, with the
/// operation's own words for each status.
fn error_alias(m: &Method) -> TokenStream {
    let (name, variants) = &m.error;
    let mut doc = format!(
        "Error bodies of [`Client::{}`](crate::generated::Client::{}), by HTTP status",
        m.op.name, m.op.name
    );
    if variants.is_empty() {
        doc.push_str(": the spec documents none, so every error status gives [`runtime::Error::Api`] without a typed body.");
    } else {
        doc.push_str(": one variant per error response the spec documents. A status it does not document gives [`runtime::Error::Api`] without a typed body.\n");
        for v in variants {
            let status = match v.status {
                Status::Code(c) => format!("{c} {}", crate::rust::method::status_words(&v.ident)),
                Status::Range(r) => format!("any other {r}XX"),
                Status::Default => "`default`: any status not listed".to_string(),
            };
            let text = v
                .doc
                .as_deref()
                .map(|d| prose(&one_line(d)))
                .unwrap_or_default();
            doc.push_str(&format!("\n- `{}` ({status})", v.ident));
            if !text.is_empty() {
                doc.push_str(": ");
                doc.push_str(&text);
            }
        }
    }
    let doc = doc_attrs(&doc);
    let name = ident(name);
    let shape = ident(&m.error_shape());
    let args: Vec<TokenStream> = variants.iter().map(error_payload).collect();
    let args = (!args.is_empty()).then(|| quote!(<#(#args),*>));
    quote! {
        #(#doc)*
        pub type #name = crate::generated::errors::#shape #args;
    }
}

/// The type argument of one status of an error alias: the body's type for JSON, the
/// runtime's wrapper for the other media types and for none.
fn error_payload(v: &ErrorVariant) -> TokenStream {
    match (v.decode, &v.body) {
        (Decode::Json, Some(t)) => ty(t),
        (Decode::Text, _) => quote!(runtime::TextBody),
        (Decode::Bytes, _) => quote!(runtime::BinaryBody),
        (Decode::Empty, _) | (Decode::Json, None) => quote!(runtime::NoBody),
    }
}

pub(super) fn status_pattern(status: Status) -> TokenStream {
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

/// The method's rustdoc.
fn method_doc(m: &Method) -> Vec<TokenStream> {
    let op = m.op;
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
        op.method,
        docs::code(&op.path),
        docs::code(&op.id)
    ));
    let arg_docs: Vec<String> = m
        .args
        .iter()
        .map(|a| match &a.kind {
            ArgKind::Param(p) => format!(
                "- `{}`: {}",
                a.name,
                p.doc
                    .as_deref()
                    .map(|d| prose(&one_line(d)))
                    .unwrap_or_else(|| format!("`{}`", docs::code(&p.wire)))
            ),
            ArgKind::Body => {
                let b = m.body.as_ref().map(|b| b.body);
                format!(
                    "- `body` (`{}`): {}",
                    b.map(|b| docs::code(&b.content_type)).unwrap_or_default(),
                    b.and_then(|b| b.doc.as_deref())
                        .map(|d| prose(&one_line(d)))
                        .unwrap_or_else(|| "the request body".to_string())
                )
            }
            ArgKind::Params => {
                let name = m
                    .params
                    .as_ref()
                    .map(|(n, _)| n.as_str())
                    .unwrap_or_default();
                format!("- `params`: optional parameters, see [`{name}`]")
            }
        })
        .collect();
    if !arg_docs.is_empty() {
        doc.push_str("\n\n# Arguments\n\n");
        doc.push_str(&arg_docs.join("\n"));
    }
    if let Some((_, fields)) = &m.params {
        for (p, _) in fields.iter().filter(|(p, _)| p.default.is_some()) {
            doc.push_str(&format!(
                "\n\nSends `{}: {}` unless `params.{}` is set.",
                docs::code(&p.wire),
                docs::code(
                    &p.default
                        .as_ref()
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                ),
                p.name
            ));
        }
    }
    if op.redirects() {
        doc.push_str("\n\n# Redirects");
        doc.push_str(REDIRECT_DOC);
    }
    doc.push_str(&format!(
        "\n\n# Errors\n\nA status the spec lists for this operation gives [`runtime::Error::Api`] with the typed body in [`{}`]; see [`runtime::Error`] for the rest.",
        m.error.0
    ));
    doc_attrs(&doc)
}

/// The operation's method.
fn method_tokens(m: &Method) -> TokenStream {
    let op = m.op;
    let name = ident(&op.name);
    let args = m.args.iter().map(|a| {
        let n = ident(&a.name);
        let t = ty(&a.ty);
        quote!(#n: #t)
    });
    let error_ty = ident(&m.error.0);
    let success_ty = ty(&m.success_ty());
    let doc = method_doc(m);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let too_many = (m.args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let (id, http_method, path) = (&op.id, &op.method, &op.path);
    let stmts = request_statements(m);
    let binding = if stmts.is_empty() {
        quote!(let req)
    } else {
        quote!(let mut req)
    };
    let send = send_call(m);
    quote! {
        #(#doc)*
        #deprecated
        #too_many
        pub fn #name(&self, #(#args),*) -> runtime::ResponseFuture<'_, #success_ty, #error_ty> {
            #binding = runtime::Request::for_operation(&runtime::OperationInfo {
                id: #id,
                method: #http_method,
                path: #path,
            });
            #(#stmts)*
            #send
        }
    }
}

/// The call that sends the request and decodes the answer: `send_json` or
/// `send_empty` with the success codes when they are all exact codes decoded alike
/// (most operations; no closure for rustc to check), otherwise `send_request` with a
/// function matching on the status.
fn send_call(m: &Method) -> TokenStream {
    if let Success::Single(_, decode @ (Decode::Json | Decode::Empty)) = &m.success {
        let mut codes: Vec<u16> = Vec::new();
        let mut exact = true;
        for r in m.op.successes() {
            match r.status {
                Status::Code(c) => codes.push(c),
                _ => exact = false,
            }
        }
        codes.sort_unstable();
        if exact && !codes.is_empty() {
            let codes = codes.iter().map(|c| Literal::u16_unsuffixed(*c));
            let send = match decode {
                Decode::Json => quote!(send_json),
                _ => quote!(send_empty),
            };
            return quote!(self.core.#send(req, &[#(#codes),*]));
        }
    }
    let arms = decode_arms(m);
    // No success documented: every answer is the error.
    let decode = if arms.is_empty() {
        quote!(|resp| Err(resp.error()))
    } else {
        quote! {
            |resp| match resp.status() {
                #(#arms)*
                _ => Err(resp.error()),
            }
        }
    };
    quote!(self.core.send_request(req, #decode))
}

/// A value reference for a `*_param` call: the argument, borrowed when it is passed by
/// value.
fn arg_value(a: &Arg) -> TokenStream {
    let n = ident(&a.name);
    if matches!(a.ty, Ty::Ref(_)) {
        quote!(#n)
    } else {
        quote!(&#n)
    }
}

/// The statement adding one parameter whose value is `value` (a reference).
pub(super) fn param_statement(p: &crate::ir::Param, value: TokenStream) -> TokenStream {
    let wire = &p.wire;
    let value = if p.json {
        quote!(&runtime::param::Json(#value))
    } else {
        value
    };
    let style = |s: ParamStyle| match s {
        ParamStyle::Simple => quote!(runtime::Style::Simple),
        ParamStyle::Label => quote!(runtime::Style::Label),
        ParamStyle::Matrix => quote!(runtime::Style::Matrix),
        ParamStyle::Form => quote!(runtime::Style::Form),
        ParamStyle::SpaceDelimited => quote!(runtime::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(runtime::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(runtime::Style::DeepObject),
    };
    let explode = p.explode;
    match p.location {
        ParamLocation::Path if p.style == ParamStyle::Simple && !explode => {
            quote!(req.path_param(#wire, #value);)
        }
        ParamLocation::Path => {
            let s = style(p.style);
            quote!(req.path_param_styled(#wire, #value, #s, #explode);)
        }
        ParamLocation::Header if !explode => quote!(req.header_param(#wire, #value);),
        ParamLocation::Header => quote!(req.header_param_styled(#wire, #value, #explode);),
        _ if p.style == ParamStyle::Form && explode && !p.allow_reserved => {
            quote!(req.query_param(#wire, #value);)
        }
        _ => {
            let s = style(p.style);
            let reserved = p.allow_reserved;
            quote!(req.query_param_styled(#wire, #value, #s, #explode, #reserved);)
        }
    }
}

/// A parameter's default as a Rust expression whose reference serializes to it.
fn default_expr(v: &serde_json::Value) -> TokenStream {
    match v {
        serde_json::Value::Bool(b) => quote!(#b),
        serde_json::Value::String(s) => quote!(#s),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => {
                let l = Literal::i64_unsuffixed(i);
                quote!(#l)
            }
            (None, Some(f)) => {
                let l = Literal::f64_unsuffixed(f);
                quote!(#l)
            }
            _ => quote!(()),
        },
        other => {
            let json = other.to_string();
            quote!(runtime::Request::default_value(#json))
        }
    }
}

/// The statements that fill the request: parameters, body, `Accept`.
fn request_statements(m: &Method) -> Vec<TokenStream> {
    let mut stmts = Vec::new();
    for a in &m.args {
        if let ArgKind::Param(p) = &a.kind {
            stmts.push(param_statement(p, arg_value(a)));
        }
    }
    if let Some((_, fields)) = &m.params {
        for (p, _) in fields {
            let field = ident(&p.name);
            match &p.default {
                None => stmts.push(param_statement(p, quote!(&params.#field))),
                Some(d) => {
                    let set = param_statement(p, quote!(v));
                    let default = default_expr(d);
                    let fallback = param_statement(p, quote!(&#default));
                    stmts.push(quote! {
                        match &params.#field {
                            Some(v) => { #set }
                            None => { #fallback }
                        }
                    });
                }
            }
        }
    }
    if let Some(b) = &m.body {
        let set = body_statements(b);
        stmts.push(if b.body.required {
            quote!(#(#set)*)
        } else {
            quote! {
                if let Some(body) = body {
                    #(#set)*
                }
            }
        });
    }
    if let Some(accept) = &m.accept {
        stmts.push(quote!(req.header("Accept", #accept);));
    }
    stmts
}

fn body_statements(b: &crate::rust::BodyArg) -> Vec<TokenStream> {
    let ct = &b.body.content_type;
    match (&b.body.kind, &b.form) {
        (BodyKind::Json(_), _) if ct == "application/json" => vec![quote!(req.json_body(body);)],
        (BodyKind::Json(_), _) => vec![quote!(req.json_body_as(body, #ct);)],
        (BodyKind::Text, _) => vec![quote!(req.text_body(body.to_owned(), #ct);)],
        (BodyKind::Binary, _) => vec![quote!(req.bytes_body(body, #ct);)],
        (BodyKind::FreeForm { multipart: true }, _) => vec![quote!(req.multipart_object(body);)],
        (BodyKind::FreeForm { multipart: false }, _) => vec![quote!(req.form_object(body);)],
        (kind, Some(form)) => {
            let multipart = matches!(kind, BodyKind::Multipart(_));
            form.fields
                .iter()
                .map(|(f, t)| {
                    let wire = &f.wire;
                    let field = ident(&f.name);
                    match (multipart, t, f.required) {
                        (true, Ty::Bytes, true) => {
                            quote!(req.multipart_file(#wire, Some(&body.#field));)
                        }
                        (true, Ty::Bytes, false) => {
                            quote!(req.multipart_file(#wire, body.#field.as_ref());)
                        }
                        (true, Ty::Vec(item), true) if **item == Ty::Bytes => {
                            quote!(req.multipart_files(#wire, &body.#field);)
                        }
                        (true, Ty::Vec(item), false) if **item == Ty::Bytes => {
                            quote!(req.multipart_files(#wire, body.#field.as_deref().unwrap_or_default());)
                        }
                        (true, _, _) => quote!(req.multipart_field(#wire, &body.#field);),
                        (false, _, _) => quote!(req.form_field(#wire, &body.#field);),
                    }
                })
                .collect()
        }
        (_, None) => Vec::new(),
    }
}

/// The `match` arms decoding the success statuses.
fn decode_arms(m: &Method) -> Vec<TokenStream> {
    let call = |d: Decode| match d {
        Decode::Json => quote!(json),
        Decode::Text => quote!(text),
        Decode::Bytes => quote!(bytes),
        Decode::Empty => quote!(empty),
    };
    match &m.success {
        Success::Single(_, decode) => {
            let c = call(*decode);
            let mut statuses: Vec<Status> = m.op.successes().map(|r| r.status).collect();
            statuses.sort_by_key(|s| status_order(*s));
            if statuses.is_empty() {
                return Vec::new();
            }
            let pats = statuses.iter().map(|s| status_pattern(*s));
            vec![quote!(#(#pats)|* => resp.#c(),)]
        }
        Success::Enum(name, variants) => {
            let name = ident(name);
            let mut ordered: Vec<&crate::rust::SuccessVariant> = variants.iter().collect();
            ordered.sort_by_key(|v| v.status.map_or((3, 0), status_order));
            ordered
                .iter()
                .map(|v| {
                    let pat = match v.status {
                        Some(s) => status_pattern(s),
                        None => quote!(200..=299),
                    };
                    let vi = ident(&v.ident);
                    let c = call(v.decode);
                    match &v.body {
                        None => quote!(#pat => resp.empty().map(|r| r.map(|()| #name::#vi)),),
                        Some(t) if v.decode == Decode::Json => {
                            let t = ty(t);
                            quote!(#pat => resp.json::<#t, _>().map(|r| r.map(#name::#vi)),)
                        }
                        Some(_) => quote!(#pat => resp.#c().map(|r| r.map(#name::#vi)),),
                    }
                })
                .collect()
        }
    }
}

/// `{stream}`: every item of a paged list operation, as a `Stream`.
fn stream_tokens(m: &Method, page: &Stream) -> TokenStream {
    let method = ident(&m.op.name);
    let stream = ident(&page.name);
    let params_ty = m.params.as_ref().map(|(n, _)| ident(n));
    let others: Vec<&Arg> = m
        .args
        .iter()
        .filter(|a| !matches!(a.kind, ArgKind::Params))
        .collect();
    let names: Vec<Ident> = others.iter().map(|a| ident(&a.name)).collect();
    let args = others.iter().map(|a| {
        let n = ident(&a.name);
        let t = a.ty.tokens(Scope::Operations, Some("'a"));
        quote!(#n: #t)
    });
    let (limit, offset) = (ident(&page.limit), ident(&page.offset));
    let item = ty(&page.item);
    let error_ty = ident(&m.error.0);
    let page_size = page.page_size;
    let page_size_lit = Literal::u32_unsuffixed(u32::try_from(page_size).unwrap_or(250));
    // `u32` → the parameter's integer type: infallible for `i64`, saturating for `i32`.
    let convert = |t: &Ty, v: TokenStream| match t {
        Ty::I64 => quote!(i64::from(#v)),
        _ => quote!(i32::try_from(#v).unwrap_or(i32::MAX)),
    };
    let offset_from = convert(&page.offset_ty, quote!(page_offset));
    let limit_from = convert(&page.limit_ty, quote!(page_limit));
    let (paginate, first, what) = if page.by_page {
        (quote!(paginate_pages), quote!(1), "page number (default 1)")
    } else {
        (quote!(paginate), quote!(0), "offset (default 0)")
    };
    let doc = doc_attrs(&format!(
        "Every item of [`Self::{method}`], fetched page after page while the stream is read.\n\n\
         Pages hold `params.{limit}` items, at most {page_size} (the spec's maximum, also the \
         default); the first page is at `params.{offset}`, the {what}. The stream ends after \
         a short or empty page, after yielding the first error, or after `max_items` items."
    ));
    let deprecated = m.op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #(#doc)*
        #deprecated
        pub fn #stream<'a>(
            &'a self,
            #(#args,)*
            params: &'a #params_ty,
            max_items: Option<usize>,
        ) -> impl runtime::Stream<Item = Result<#item, runtime::Error<#error_ty>>> + 'a {
            runtime::#paginate(
                params.#limit.and_then(|l| u32::try_from(l).ok()).filter(|l| *l > 0).map_or(#page_size_lit, |l| l.min(#page_size_lit)),
                max_items,
                move |page_offset, page_limit| {
                    let mut page_params = params.clone();
                    page_params.#offset = Some(params.#offset.unwrap_or(#first).saturating_add(#offset_from));
                    page_params.#limit = Some(#limit_from);
                    async move { self.#method(#(#names,)* &page_params).await }
                },
            )
        }
    }
}
