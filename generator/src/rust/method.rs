//! One operation as a method of the generated client: everything its signature,
//! request and response handling need, decided once.

use super::{Ty, TypeSpace};
use crate::ir::{BodyKind, FormField, Operation, Param, RequestBody, Response, Status, TypeRef};

/// One `Client` method and the types of its module. See [`super::Plan`].
pub(crate) struct Method<'a> {
    pub op: &'a Operation,
    /// The generated file (`operations/{module}/{file}.rs`).
    pub file: String,
    /// Arguments in call order: path and required parameters in spec order, the body,
    /// then `params` when there are optional parameters.
    pub args: Vec<Arg<'a>>,
    /// `{Op}Params`: the optional parameters, sorted by name, with their field types
    /// (without the `Option`).
    pub params: Option<(String, Vec<(&'a Param, Ty)>)>,
    pub body: Option<BodyArg<'a>>,
    pub success: Success,
    /// `{Op}Error` and its variants, one per documented error status, in
    /// [`status_order`].
    pub error: (String, Vec<ErrorVariant>),
    pub stream: Option<Stream>,
    /// The `Accept` header, when the responses are not all JSON.
    pub accept: Option<String>,
}

/// A method argument.
pub(crate) struct Arg<'a> {
    pub name: String,
    pub ty: Ty,
    pub kind: ArgKind<'a>,
}

pub(crate) enum ArgKind<'a> {
    Param(&'a Param),
    Body,
    Params,
}

/// The request body argument.
pub(crate) struct BodyArg<'a> {
    pub body: &'a RequestBody,
    /// `{Op}Form` for multipart and URL-encoded bodies with properties.
    pub form: Option<FormStruct<'a>>,
}

/// The struct of a form body.
pub(crate) struct FormStruct<'a> {
    pub name: String,
    pub fields: Vec<(&'a FormField, Ty)>,
}

/// How a response body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decode {
    Json,
    Text,
    Bytes,
    /// No body (or one that is ignored).
    Empty,
}

/// What a successful call returns.
pub(crate) enum Success {
    /// One type for every success status.
    Single(Ty, Decode),
    /// `{Op}Success`: a variant per success status.
    Enum(String, Vec<SuccessVariant>),
}

pub(crate) struct SuccessVariant {
    /// `None`: any 2xx the operation does not document, after a redirect was followed.
    pub status: Option<Status>,
    pub ident: String,
    pub body: Option<Ty>,
    pub decode: Decode,
    pub doc: Option<String>,
}

pub(crate) struct ErrorVariant {
    pub status: Status,
    pub ident: String,
    pub body: Option<Ty>,
    pub decode: Decode,
    pub doc: Option<String>,
}

/// The `*_stream` method of a paged list operation.
pub(crate) struct Stream {
    pub name: String,
    pub limit: String,
    pub offset: String,
    /// The integer types of the `limit` and `offset` parameters.
    pub limit_ty: Ty,
    pub offset_ty: Ty,
    pub page_size: i64,
    pub item: Ty,
    /// `offset` counts pages from 1 rather than items.
    pub by_page: bool,
}

impl<'a> Method<'a> {
    pub(crate) fn new(types: &TypeSpace<'a>, op: &'a Operation, file: String) -> Method<'a> {
        let mut args = Vec::new();
        for p in op.params.iter().filter(|p| p.positional()) {
            args.push(Arg {
                name: p.name.clone(),
                ty: types.argument(&p.ty),
                kind: ArgKind::Param(p),
            });
        }
        let body = op.body.as_ref().map(|b| body_arg(types, op, b));
        if let Some(b) = &body {
            let ty = match (&b.body.kind, &b.form) {
                (BodyKind::Json(t), _) => types.argument(t),
                (BodyKind::Text, _) => Ty::Str.reference(),
                (BodyKind::Binary, _) => Ty::Bytes,
                (_, Some(form)) => Ty::Local(form.name.clone()).reference(),
                (BodyKind::FreeForm { .. }, None) | (_, None) => {
                    Ty::Map(Box::new(Ty::Value)).reference()
                }
            };
            args.push(Arg {
                name: "body".into(),
                ty: if b.body.required { ty } else { ty.option() },
                kind: ArgKind::Body,
            });
        }
        let mut optional: Vec<(&Param, Ty)> = op
            .params
            .iter()
            .filter(|p| !p.positional())
            .map(|p| (p, types.value(&p.ty)))
            .collect();
        optional.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let params = (!optional.is_empty()).then(|| {
            let name = format!("{}Params", op.type_name);
            args.push(Arg {
                name: "params".into(),
                ty: Ty::Local(name.clone()).reference(),
                kind: ArgKind::Params,
            });
            (name, optional)
        });
        let stream = op.paging.as_ref().map(|p| {
            let int = |name: &str| {
                let ty = op
                    .params
                    .iter()
                    .find(|x| x.name == name)
                    .map(|x| types.resolve(&x.ty));
                if ty == Some(&TypeRef::I64) {
                    Ty::I64
                } else {
                    Ty::I32
                }
            };
            Stream {
                name: p.stream.clone(),
                limit: p.limit.clone(),
                offset: p.offset.clone(),
                limit_ty: int(&p.limit),
                offset_ty: int(&p.offset),
                page_size: p.page_size,
                item: types.value(&p.item),
                by_page: p.by_page,
            }
        });
        Method {
            op,
            file,
            args,
            params,
            body,
            success: success(types, op),
            error: (format!("{}Error", op.type_name), error_variants(types, op)),
            stream,
            accept: accept_header(op),
        }
    }

    /// The success type, as the method's signature names it.
    pub(crate) fn success_ty(&self) -> Ty {
        match &self.success {
            Success::Single(t, _) => t.clone(),
            Success::Enum(name, _) => Ty::Local(name.clone()),
        }
    }

    /// The shared error enum its `{Op}Error` is an alias of ([`error_shape_name`]).
    pub(crate) fn error_shape(&self) -> String {
        error_shape_name(self.error.1.iter().map(|v| v.status))
    }

    /// Whether anything the module writes names a generated model.
    pub(crate) fn names_models(&self) -> bool {
        let success = match &self.success {
            Success::Single(t, _) => t.names_model(),
            Success::Enum(_, vs) => vs
                .iter()
                .any(|v| v.body.as_ref().is_some_and(Ty::names_model)),
        };
        success
            || self.args.iter().any(|a| a.ty.names_model())
            || self
                .error
                .1
                .iter()
                .any(|v| v.body.as_ref().is_some_and(Ty::names_model))
            || self
                .body
                .as_ref()
                .and_then(|b| b.form.as_ref())
                .is_some_and(|f| f.fields.iter().any(|(_, t)| t.names_model()))
            || self
                .params
                .as_ref()
                .is_some_and(|(_, ps)| ps.iter().any(|(_, t)| t.names_model()))
            || self.stream.as_ref().is_some_and(|s| s.item.names_model())
    }
}

fn body_arg<'a>(types: &TypeSpace<'a>, op: &'a Operation, b: &'a RequestBody) -> BodyArg<'a> {
    let form = match &b.kind {
        BodyKind::Multipart(fields) | BodyKind::Form(fields) => Some(FormStruct {
            name: format!("{}Form", op.type_name),
            fields: fields
                .iter()
                .map(|f| {
                    let ty = match types.resolve(&f.ty) {
                        TypeRef::Binary => Ty::Bytes,
                        // Several files under one name: one part each.
                        TypeRef::Array(item) if types.resolve(item) == &TypeRef::Binary => {
                            Ty::Vec(Box::new(Ty::Bytes))
                        }
                        _ => types.value(&f.ty),
                    };
                    (f, ty)
                })
                .collect(),
        }),
        _ => None,
    };
    BodyArg { body: b, form }
}

/// A response body's Rust type and how it is read.
fn response_body(types: &TypeSpace<'_>, r: &Response) -> (Option<Ty>, Decode) {
    match r.body.as_ref().map(|b| &b.kind) {
        None => (None, Decode::Empty),
        Some(BodyKind::Json(t)) => (Some(types.value(t)), Decode::Json),
        Some(BodyKind::Text) => (Some(Ty::String), Decode::Text),
        Some(_) => (Some(Ty::Bytes), Decode::Bytes),
    }
}

fn success(types: &TypeSpace<'_>, op: &Operation) -> Success {
    let bodies: Vec<(&Response, Option<Ty>, Decode)> = op
        .successes()
        .map(|r| {
            let (ty, decode) = response_body(types, r);
            (r, ty, decode)
        })
        .collect();
    let same = bodies
        .windows(2)
        .all(|w| w[0].1 == w[1].1 && w[0].2 == w[1].2);
    if !op.redirects() && same {
        return match bodies.first() {
            None => Success::Single(Ty::Unit, Decode::Empty),
            Some((_, ty, decode)) => Success::Single(ty.clone().unwrap_or(Ty::Unit), *decode),
        };
    }
    let mut variants: Vec<SuccessVariant> = bodies
        .into_iter()
        .map(|(r, body, decode)| SuccessVariant {
            status: Some(r.status),
            ident: status_variant(r.status),
            body,
            decode,
            doc: r.doc.clone(),
        })
        .collect();
    // A redirect that the HTTP client follows ends in the target's answer: without a
    // documented 2xx, any 2xx is that answer, read as bytes.
    if op.redirects()
        && !op
            .successes()
            .any(|r| matches!(r.status, Status::Code(200..=299) | Status::Range(2)))
    {
        variants.push(SuccessVariant {
            status: None,
            ident: "Followed".into(),
            body: Some(Ty::Bytes),
            decode: Decode::Bytes,
            doc: Some(
                "The answer of the redirect's target, when the HTTP client followed it.".into(),
            ),
        });
    }
    Success::Enum(format!("{}Success", op.type_name), variants)
}

fn error_variants(types: &TypeSpace<'_>, op: &Operation) -> Vec<ErrorVariant> {
    let mut variants: Vec<ErrorVariant> = op
        .errors()
        .map(|r| {
            let (body, decode) = response_body(types, r);
            ErrorVariant {
                status: r.status,
                ident: status_variant(r.status),
                body,
                decode,
                doc: r.doc.clone(),
            }
        })
        .collect();
    variants.sort_by_key(|v| status_order(v.status));
    variants
}

/// Exact codes, then ranges, then `default`: the order of an error enum's variants and
/// of the arms that decode them.
pub(crate) fn status_order(status: Status) -> (u8, u16) {
    match status {
        Status::Code(c) => (0, c),
        Status::Range(r) => (1, u16::from(r)),
        Status::Default => (2, 0),
    }
}

/// The shared error enum (in `errors.rs`) of an operation whose documented error
/// statuses are `statuses` (in [`status_order`]): `Errors400_404`, `Errors4XX5XX`,
/// `Errors404Default`; `Undocumented` for none. A name is a function of the statuses
/// alone, so it is the same in every crate and changes only with them.
pub(crate) fn error_shape_name(statuses: impl IntoIterator<Item = Status>) -> String {
    let mut name = String::from("Errors");
    for status in statuses {
        let part = error_shape_part(status);
        // Rust's camel case allows `_` only between digits.
        if name.ends_with(|c: char| c.is_ascii_digit())
            && part.starts_with(|c: char| c.is_ascii_digit())
        {
            name.push('_');
        }
        name.push_str(&part);
    }
    if name == "Errors" {
        "Undocumented".to_string()
    } else {
        name
    }
}

/// A status's part of a shared error enum's name, and of its type parameter's (`B`
/// then the part): `404`, `4XX`, `Default`.
pub(crate) fn error_shape_part(status: Status) -> String {
    match status {
        Status::Code(c) => c.to_string(),
        Status::Range(r) => format!("{r}XX"),
        Status::Default => "Default".to_string(),
    }
}

/// The `Accept` header for an operation whose responses are not all JSON (the runtime
/// sends `application/json` otherwise): the success media types first, then the errors'.
fn accept_header(op: &Operation) -> Option<String> {
    let mut media: Vec<&str> = Vec::new();
    for r in op.successes().chain(op.errors()) {
        if let Some(b) = &r.body
            && !media.contains(&b.content_type.as_str())
        {
            media.push(&b.content_type);
        }
    }
    (media.iter().any(|t| *t != "application/json")).then(|| media.join(", "))
}

/// Variant name for a status in the success and error enums.
pub(crate) fn status_variant(status: Status) -> String {
    let name = match status {
        Status::Code(c) => match c {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            205 => "ResetContent",
            206 => "PartialContent",
            207 => "MultiStatus",
            300 => "MultipleChoices",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            423 => "Locked",
            428 => "PreconditionRequired",
            429 => "TooManyRequests",
            451 => "UnavailableForLegalReasons",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            c => return format!("Status{c}"),
        },
        Status::Range(r) => return format!("Status{r}xx"),
        Status::Default => "Other",
    };
    name.to_string()
}

/// `BadRequest` → `Bad Request`.
pub(crate) fn status_words(ident: &str) -> String {
    let mut words = String::new();
    for (i, c) in ident.char_indices() {
        if i > 0 && c.is_ascii_uppercase() {
            words.push(' ');
        }
        words.push(c);
    }
    words
}

/// Status as the spec writes it: `200`, `4XX`, `default`.
pub(crate) fn status_label(status: Status) -> String {
    match status {
        Status::Code(c) => c.to_string(),
        Status::Range(r) => format!("{r}XX"),
        Status::Default => "default".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Status::{Code, Default, Range};

    #[test]
    fn error_shape_names_are_the_statuses_in_camel_case() {
        assert_eq!(error_shape_name([]), "Undocumented");
        assert_eq!(error_shape_name([Code(404)]), "Errors404");
        assert_eq!(error_shape_name([Code(400), Code(404)]), "Errors400_404");
        // `_` only between digits: rustc's camel case refuses it next to a letter.
        assert_eq!(
            error_shape_name([Code(404), Range(4), Range(5)]),
            "Errors404_4XX5XX"
        );
        assert_eq!(error_shape_name([Code(404), Default]), "Errors404Default");
        assert_eq!(error_shape_name([Default]), "ErrorsDefault");
        assert_eq!(error_shape_part(Range(4)), "4XX");
    }
}
