//! Operation descriptions and request building.

use std::fmt;

use bytes::Bytes;
use reqwest::Method;

use crate::runtime::error::SerializeError;

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
#[derive(Clone)]
pub struct Request {
    pub(crate) op: &'static OperationInfo,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Body,
}

/// A request body, kept re-sendable. `Debug` shows its kind and size only.
#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    Bytes {
        data: Bytes,
        content_type: &'static str,
    },
    Form(Vec<(&'static str, String)>),
    Multipart(Vec<Part>),
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(&'static str, String)]| -> Vec<&'static str> {
            pairs.iter().map(|(name, _)| *name).collect()
        };
        f.debug_struct("Request")
            .field("op", &self.op.id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &names(&self.query))
            .field("headers", &names(&self.headers))
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
        }
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

    /// Appends a query pair. Call repeatedly with the same name for exploded
    /// arrays. Names and values are percent-encoded when sent.
    pub fn query(&mut self, name: &'static str, value: impl ToString) {
        self.query.push((name, value.to_string()));
    }

    /// Adds a header (appended; the same name may be given more than once).
    /// Invalid names or values make [`Client::execute`](crate::runtime::Client::execute)
    /// fail with [`Error::Serialize`](crate::runtime::Error::Serialize).
    pub fn header(&mut self, name: &'static str, value: impl ToString) {
        self.headers.push((name, value.to_string()));
    }

    /// Sets a JSON body with content type `application/json`.
    pub fn json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
    ) -> Result<(), SerializeError> {
        self.json_body_as(body, "application/json")
    }

    /// Sets a JSON body with another content type, e.g.
    /// `application/json-patch+json`.
    pub fn json_body_as<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
        content_type: &'static str,
    ) -> Result<(), SerializeError> {
        let data = serde_json::to_vec(body).map_err(|e| {
            SerializeError::with_source(self.op.id, "request body is not serializable as JSON", e)
        })?;
        self.body = Body::Bytes {
            data: Bytes::from(data),
            content_type,
        };
        Ok(())
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
        self.body = Body::Form(pairs);
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body(&mut self, parts: Vec<Part>) {
        self.body = Body::Multipart(parts);
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
    pub(crate) name: &'static str,
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
            name,
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
            name,
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
            name,
            data: PartData::Text(serde_json::to_string(value)?),
            file_name: None,
            content_type: Some("application/json".to_string()),
        })
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
    pub fn name(&self) -> &'static str {
        self.name
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
