//! Operation descriptions and request building.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

use crate::runtime::error::SerializeError;
use crate::runtime::param::{self, Style};

/// Static description of an operation, emitted by the generator as a `const`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationInfo {
    /// The OpenAPI `operationId`, e.g. `getSourceAttrSyncConfig`.
    pub id: &'static str,
    /// The HTTP method, e.g. `GET` (case-insensitive).
    pub method: &'static str,
    /// The path template from the spec, e.g. `/sources/{id}/attribute-sync-config`.
    pub path: &'static str,
}

/// A request for one operation, built by generated code and sent with
/// [`Client::execute`](crate::runtime::Client::execute).
///
/// Everything is stored as plain data, so the HTTP request can be rebuilt for
/// every attempt.
///
/// `Debug` shows the operation, method and path, the *names* of the query
/// parameters and headers, and the kind and size of the body, never values or
/// contents (filters can carry personal data, headers credentials).
///
/// Generated operations start from [`for_operation`](Self::for_operation) and
/// add each parameter with the `*_param` methods, which write values as
/// OpenAPI's `style` and `explode` say (see [`param`](crate::runtime::param)).
/// Those methods record the first error (a value with no parameter form, a
/// path value that would address another endpoint) instead of returning it;
/// [`finish`](Self::finish) returns it.
pub struct Request {
    pub(crate) op: &'static OperationInfo,
    pub(crate) method: Method,
    pub(crate) path: String,
    /// Query pairs, percent-encoded (`name=value`), with the parameter name for `Debug`.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Body,
    error: Option<SerializeError>,
}

impl Clone for Request {
    fn clone(&self) -> Request {
        Request {
            op: self.op,
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            // The message is kept; the underlying error (not `Clone`) is not.
            error: self
                .error
                .as_ref()
                .map(|e| SerializeError::new(e.operation(), e.message().to_owned())),
        }
    }
}

/// A request body, kept re-sendable. `Debug` shows its kind and size only.
#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    Bytes {
        data: Bytes,
        content_type: &'static str,
    },
    Form(Vec<(Cow<'static, str>, String)>),
    Multipart(Vec<Part>),
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(name, _)| name.as_str()).collect();
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Request")
            .field("op", &self.op.id)
            .field("method", &self.method)
            .field("path", &self.op.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("none"),
            Body::Bytes { data, content_type } => {
                write!(f, "{content_type} ({} bytes)", data.len())
            }
            Body::Form(pairs) => write!(f, "form ({} fields)", pairs.len()),
            Body::Multipart(parts) => write!(f, "multipart ({} parts)", parts.len()),
        }
    }
}

impl Request {
    /// A request for `op` to `path` (relative to the client's base URL,
    /// starting with `/`, path parameters already encoded with
    /// [`encode_path`](crate::runtime::encode_path)).
    ///
    /// # Panics
    ///
    /// If `op.method` is not a valid HTTP method token (a generator bug).
    pub fn new(op: &'static OperationInfo, path: String) -> Request {
        Request {
            op,
            method: parse_method(op.method),
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            error: None,
        }
    }

    /// A request for `op` whose path is `op.path`, the template: each
    /// `{variable}` is replaced by [`path_param`](Self::path_param).
    pub fn for_operation(op: &'static OperationInfo) -> Request {
        Request::new(op, op.path.to_owned())
    }

    fn fail(&mut self, error: SerializeError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// The request, or the first error a `*_param` method recorded.
    pub fn finish(self) -> Result<Request, SerializeError> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self),
        }
    }

    /// Fills every `{name}` of the path template with `value`, `simple` style.
    pub fn path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.path_param_styled(name, value, Style::Simple, false);
    }

    /// Fills every `{name}` of the path template with `value`, laid out as
    /// `style` and `explode` say and percent-encoded. A value whose text is
    /// empty, `.` or `..` is refused: it would address another endpoint
    /// (`DELETE /sources/{id}/schemas/..` is `DELETE /sources/{id}/`).
    pub fn path_param_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        let text = param::flatten_param(self.op.id, name, value)
            .map(|flat| param::path_text(name, &flat, style, explode));
        match text {
            Err(e) => self.fail(e),
            Ok(None) => self.fail(SerializeError::new(
                self.op.id,
                format!("path parameter `{name}` has no value"),
            )),
            Ok(Some(text)) if matches!(text.as_str(), "" | "." | "..") => {
                self.fail(SerializeError::new(
                    self.op.id,
                    format!(
                        "path parameter `{name}` is {text:?}, which would address another endpoint"
                    ),
                ));
            }
            Ok(Some(text)) => self.path = self.path.replace(&format!("{{{name}}}"), &text),
        }
    }

    /// Adds query parameter `name` (`form` style, exploded: the default);
    /// nothing for `None`.
    pub fn query_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.query_param_styled(name, value, Style::Form, true, false);
    }

    /// Adds query parameter `name` laid out as `style`, `explode` and
    /// `allowReserved` say; nothing for `None`.
    pub fn query_param_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
        allow_reserved: bool,
    ) {
        match param::flatten_param(self.op.id, name, value) {
            Err(e) => self.fail(e),
            Ok(flat) => {
                for pair in param::query_pairs(name, &flat, style, explode, allow_reserved) {
                    self.query.push((name.to_owned(), pair));
                }
            }
        }
    }

    /// Adds header parameter `name` (`simple` style); nothing for `None`.
    pub fn header_param<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.header_param_styled(name, value, false);
    }

    /// Adds header parameter `name` (`simple` style, `explode` for objects).
    pub fn header_param_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        explode: bool,
    ) {
        match param::flatten_param(self.op.id, name, value) {
            Err(e) => self.fail(e),
            Ok(flat) => {
                if let Some(text) = param::header_text(&flat, explode) {
                    self.headers.push((name, text));
                }
            }
        }
    }

    /// Parses `json`, a parameter's default from the spec, for a `*_param`
    /// method.
    pub fn default_value(json: &str) -> serde_json::Value {
        serde_json::from_str(json).unwrap_or(serde_json::Value::Null)
    }

    /// The operation this request is for.
    pub fn operation(&self) -> &'static OperationInfo {
        self.op
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Appends a query pair of text: `name` and `value` percent-encoded. Call
    /// repeatedly with the same name for exploded arrays.
    pub fn query(&mut self, name: &'static str, value: impl ToString) {
        let mut pair = String::new();
        crate::runtime::encode::push_query_pair(&mut pair, name, &value.to_string());
        self.query.push((name.to_owned(), pair));
    }

    /// Adds a header (appended; the same name may be given more than once).
    /// Invalid names or values make [`Client::execute`](crate::runtime::Client::execute)
    /// fail with [`Error::Serialize`](crate::runtime::Error::Serialize).
    pub fn header(&mut self, name: &'static str, value: impl ToString) {
        self.headers.push((name, value.to_string()));
    }

    /// Sets a JSON body with content type `application/json`.
    pub fn json_body<T: serde::Serialize + ?Sized>(&mut self, body: &T) {
        self.json_body_as(body, "application/json");
    }

    /// Sets a JSON body with another content type, e.g.
    /// `application/json-patch+json`. A body that does not serialize is
    /// recorded as the request's error ([`finish`](Self::finish),
    /// [`Client::execute`](crate::runtime::Client::execute)).
    pub fn json_body_as<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
        content_type: &'static str,
    ) {
        match serde_json::to_vec(body) {
            Ok(data) => {
                self.body = Body::Bytes {
                    data: Bytes::from(data),
                    content_type,
                }
            }
            Err(e) => self.fail(SerializeError::with_source(
                self.op.id,
                "request body is not serializable as JSON",
                e,
            )),
        }
    }

    /// Sets a text body.
    pub fn text_body(&mut self, body: String, content_type: &'static str) {
        self.body = Body::Bytes {
            data: Bytes::from(body),
            content_type,
        };
    }

    /// Sets a binary body.
    pub fn bytes_body(&mut self, body: Bytes, content_type: &'static str) {
        self.body = Body::Bytes {
            data: body,
            content_type,
        };
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    pub fn form_body(&mut self, pairs: Vec<(&'static str, String)>) {
        self.body = Body::Form(
            pairs
                .into_iter()
                .map(|(k, v)| (Cow::Borrowed(k), v))
                .collect(),
        );
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body(&mut self, parts: Vec<Part>) {
        self.body = Body::Multipart(parts);
    }

    fn push_pair(&mut self, name: Cow<'static, str>, value: String) {
        match &mut self.body {
            Body::Form(pairs) => pairs.push((name, value)),
            _ => self.body = Body::Form(vec![(name, value)]),
        }
    }

    fn push_part(&mut self, part: Part) {
        match &mut self.body {
            Body::Multipart(parts) => parts.push(part),
            _ => self.body = Body::Multipart(vec![part]),
        }
    }

    /// Adds field `name` to an `application/x-www-form-urlencoded` body (`form`
    /// style, exploded: a list gives one pair per item, an object one pair per
    /// member); nothing for `None`.
    pub fn form_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match param::flatten_param(self.op.id, name, value) {
            Err(e) => self.fail(e),
            Ok(param::Flat::Absent) => {}
            Ok(param::Flat::Scalar(v)) => self.push_pair(Cow::Borrowed(name), v),
            Ok(param::Flat::List(items)) => {
                for v in items {
                    self.push_pair(Cow::Borrowed(name), v);
                }
            }
            Ok(param::Flat::Object(members)) => {
                for (k, v) in members {
                    self.push_pair(Cow::Owned(k), v);
                }
            }
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body from any object: one pair
    /// per member.
    pub fn form_object<T: Serialize + ?Sized>(&mut self, value: &T) {
        self.body = Body::Form(Vec::new());
        match param::flatten_param(self.op.id, "body", value) {
            Err(e) => self.fail(e),
            Ok(param::Flat::Object(members)) => {
                for (k, v) in members {
                    self.push_pair(Cow::Owned(k), v);
                }
            }
            Ok(param::Flat::Absent) => {}
            Ok(_) => self.fail(SerializeError::new(
                self.op.id,
                "a form body must be an object",
            )),
        }
    }

    /// Adds field `name` to a `multipart/form-data` body: a text part for a
    /// scalar, a JSON part (`application/json`) for a list or object; nothing
    /// for `None`.
    pub fn multipart_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match param::flatten(value) {
            Ok(param::Flat::Absent) => {}
            Ok(param::Flat::Scalar(v)) => self.push_part(Part::text(name, v)),
            // Lists, objects and nested values: as JSON.
            _ => match Part::json(name, value) {
                Ok(part) => self.push_part(part),
                Err(e) => self.fail(SerializeError::with_source(
                    self.op.id,
                    format!("multipart field `{name}` could not be encoded as JSON"),
                    e,
                )),
            },
        }
    }

    /// Adds file field `name` to a `multipart/form-data` body (labelled
    /// `application/octet-stream`, with the field name as file name); nothing for
    /// `None`.
    pub fn multipart_file(&mut self, name: &'static str, data: Option<&Bytes>) {
        if let Some(data) = data {
            self.push_part(Part::bytes(
                name,
                data.clone(),
                Some(name.to_owned()),
                Some("application/octet-stream".to_owned()),
            ));
        }
    }

    /// Adds one file part named `name` per item of `files` (an array of
    /// `format: binary` in the form's schema); none for an empty list.
    pub fn multipart_files(&mut self, name: &'static str, files: &[Bytes]) {
        for data in files {
            self.multipart_file(name, Some(data));
        }
    }

    /// Sets a `multipart/form-data` body from any object: one part per member,
    /// text for strings and other scalars, JSON for the rest.
    pub fn multipart_object<T: Serialize + ?Sized>(&mut self, value: &T) {
        self.body = Body::Multipart(Vec::new());
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(members)) => {
                for (k, v) in members {
                    let part = match &v {
                        serde_json::Value::Null => continue,
                        serde_json::Value::String(s) => Part::text_owned(k, s.clone()),
                        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
                            Part::text_owned(k, v.to_string())
                        }
                        _ => Part::json_owned(k, v.to_string()),
                    };
                    self.push_part(part);
                }
            }
            Ok(serde_json::Value::Null) => {}
            Ok(_) => self.fail(SerializeError::new(
                self.op.id,
                "a multipart body must be an object",
            )),
            Err(e) => self.fail(SerializeError::with_source(
                self.op.id,
                "multipart body could not be encoded",
                e,
            )),
        }
    }
}

/// Standard methods are matched case-insensitively; anything else is taken
/// upper-cased as an extension method.
fn parse_method(method: &str) -> Method {
    const STANDARD: [Method; 9] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ];
    if let Some(m) = STANDARD
        .iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(method))
    {
        return m.clone();
    }
    Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .unwrap_or_else(|_| panic!("OperationInfo.method {method:?} is not a valid HTTP method"))
}

/// One part of a `multipart/form-data` body, kept as plain data.
#[derive(Clone)]
pub struct Part {
    pub(crate) name: Cow<'static, str>,
    pub(crate) data: PartData,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

#[derive(Clone)]
pub(crate) enum PartData {
    Text(String),
    Bytes(Bytes),
}

impl Part {
    /// A text field.
    pub fn text(name: &'static str, value: impl Into<String>) -> Part {
        Part {
            name: Cow::Borrowed(name),
            data: PartData::Text(value.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A binary field, typically a file upload.
    pub fn bytes(
        name: &'static str,
        data: impl Into<Bytes>,
        file_name: Option<String>,
        content_type: Option<String>,
    ) -> Part {
        Part {
            name: Cow::Borrowed(name),
            data: PartData::Bytes(data.into()),
            file_name,
            content_type,
        }
    }

    /// A field holding `value` encoded as JSON (content type `application/json`).
    pub fn json<T: serde::Serialize + ?Sized>(
        name: &'static str,
        value: &T,
    ) -> Result<Part, serde_json::Error> {
        Ok(Part {
            name: Cow::Borrowed(name),
            data: PartData::Text(serde_json::to_string(value)?),
            file_name: None,
            content_type: Some("application/json".to_string()),
        })
    }

    fn text_owned(name: String, value: String) -> Part {
        Part {
            name: Cow::Owned(name),
            data: PartData::Text(value),
            file_name: None,
            content_type: None,
        }
    }

    fn json_owned(name: String, json: String) -> Part {
        Part {
            content_type: Some("application/json".to_string()),
            ..Part::text_owned(name, json)
        }
    }

    /// Sets the file name of the part.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Part {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the content type of the part.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Part {
        self.content_type = Some(content_type.into());
        self
    }

    /// The field name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Converts to a reqwest part (done per attempt).
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Part, reqwest::Error> {
        let mut part = match &self.data {
            PartData::Text(text) => reqwest::multipart::Part::text(text.clone()),
            PartData::Bytes(bytes) => reqwest::multipart::Part::stream_with_length(
                reqwest::Body::from(bytes.clone()),
                bytes.len() as u64,
            ),
        };
        if let Some(file_name) = &self.file_name {
            part = part.file_name(file_name.clone());
        }
        if let Some(content_type) = &self.content_type {
            part = part.mime_str(content_type)?;
        }
        Ok(part)
    }
}

impl fmt::Debug for Part {
    /// Shows sizes, not contents (parts may be large or sensitive).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, len) = match &self.data {
            PartData::Text(t) => ("text", t.len()),
            PartData::Bytes(b) => ("bytes", b.len()),
        };
        f.debug_struct("Part")
            .field("name", &self.name)
            .field(kind, &format_args!("{len} bytes"))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}
