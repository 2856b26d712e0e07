//! The error types of the runtime.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::runtime::encode::one_line;
use crate::runtime::response::RawResponse;
use crate::runtime::retry::parse_retry_after;

/// How many characters of a raw body `Display` shows.
const DISPLAY_BODY_CHARS: usize = 200;

/// Implemented by the generated error enums (`errors.rs`: one variant per
/// documented error status, generic over the bodies): decodes an error response
/// into its variant. A hand-written impl may also give [`Error::tracking_id`] the
/// tracking id of its typed bodies; otherwise it is read from the raw body.
pub trait ErrorBody: Sized {
    /// The error for a response that is not one of the operation's successes:
    /// [`Error::Api`] with the body decoded into the variant for its status, or
    /// without a typed body ([`RawResponse::unexpected`]) for a status the enum
    /// does not list. The default lists none.
    fn from_response(resp: RawResponse) -> Error<Self> {
        resp.unexpected()
    }

    /// The server-side tracking id carried by this error body, if any.
    fn tracking_id(&self) -> Option<&str> {
        None
    }
}

/// One error type for all operations.
///
/// `E` is the generated per-operation enum of typed error bodies by status.
/// Errors never hold credentials, so their `Debug` output is safe to log, and
/// `Display` gives one line (operation id, status, tracking id, attempts and
/// the start of the body).
///
/// The two response-carrying variants are boxed so that `Result<_, Error<E>>`
/// stays small (a few machine words) whatever `E` is.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a non-success status.
    Api(Box<ApiError<E>>),
    /// A success body that did not decode into the expected type.
    Decode(Box<DecodeError>),
    /// The request (connect, send or reading the body) timed out (after the
    /// retries the [`RetryPolicy`](crate::runtime::RetryPolicy) allows).
    Timeout {
        /// The operation id.
        op: &'static str,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// The request could not be sent or the response not read (DNS, TLS,
    /// connection reset, ...), after the retries the
    /// [`RetryPolicy`](crate::runtime::RetryPolicy) allows.
    Transport {
        /// The operation id.
        op: &'static str,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// The response body was larger than
    /// [`ClientBuilder::max_body_size`](crate::runtime::ClientBuilder::max_body_size)
    /// allows (64 MiB unless set): refused from its `Content-Length` before
    /// anything was read, or reading stopped as soon as more had arrived. Not
    /// retried.
    BodyTooLarge {
        /// The operation id.
        op: &'static str,
        /// HTTP status of the response.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
        /// The `Content-Length` the server announced, if it did.
        content_length: Option<u64>,
    },
    /// The request could not be encoded.
    Serialize(SerializeError),
    /// Obtaining credentials failed: the token endpoint answered with an
    /// error or an invalid body, could not be reached, or a
    /// [`TokenSource`](crate::runtime::TokenSource) failed.
    Auth(AuthError),
}

/// A successful response whose body did not decode into the expected type
/// (see [`Error::Decode`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation id.
    pub op: &'static str,
    /// HTTP status of the response.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Where decoding failed, e.g. `attributes[1].enabled` (`.` for the root).
    pub path: String,
    /// What went wrong.
    pub message: String,
    /// The start of the body (at most ~512 bytes, cut at a character
    /// boundary, UTF-8-lossy).
    pub snippet: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: HTTP {}: response body did not decode at `{}`: {}",
            self.op,
            status_text(self.status),
            self.path,
            self.message
        )?;
        let body = one_line(self.snippet.as_bytes(), DISPLAY_BODY_CHARS);
        if !body.is_empty() {
            write!(f, "; body: {body}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

impl<E> Error<E> {
    /// The HTTP status, for [`Error::Api`], [`Error::Decode`] and
    /// [`Error::BodyTooLarge`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The error response, if the server answered with a non-success status.
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The id of the operation that failed.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(api) => Some(api.op),
            Error::Decode(decode) => Some(decode.op),
            Error::Timeout { op, .. }
            | Error::Transport { op, .. }
            | Error::BodyTooLarge { op, .. } => Some(op),
            Error::Serialize(e) => Some(e.op),
            Error::Auth(_) => None,
        }
    }

    /// The server's tracking id of an [`Error::Api`]: from the typed body if
    /// it has one, otherwise from the top-level string member the API's profile
    /// names (`tracking_id` in the settings) in the raw
    /// JSON body.
    pub fn tracking_id(&self) -> Option<&str>
    where
        E: ErrorBody,
    {
        self.api().and_then(ApiError::tracking_id)
    }

    /// Whether this is an [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The delay the server asked for with `Retry-After` (seconds or an HTTP
    /// date), for an [`Error::Api`] (typically `429` or `503`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(ApiError::retry_after)
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => fmt::Display::fmt(api, f),
            Error::Decode(decode) => fmt::Display::fmt(decode, f),
            Error::Timeout { op, source } => write!(f, "{op}: request timed out: {source}"),
            Error::Transport { op, source } => write!(f, "{op}: transport error: {source}"),
            Error::BodyTooLarge {
                op,
                status,
                limit,
                content_length,
            } => {
                write!(
                    f,
                    "{op}: HTTP {}: response body larger than the limit of {limit} bytes (",
                    status_text(*status)
                )?;
                match content_length {
                    Some(length) => write!(f, "Content-Length: {length}")?,
                    None => write!(f, "stopped reading after {limit} bytes")?,
                }
                f.write_str("); see ClientBuilder::max_body_size")
            }
            Error::Serialize(e) => fmt::Display::fmt(e, f),
            Error::Auth(e) => write!(f, "authentication failed: {e}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout { source, .. } | Error::Transport { source, .. } => Some(source),
            Error::Serialize(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::Api(_) | Error::Decode(_) | Error::BodyTooLarge { .. } => None,
        }
    }
}

impl<E> From<ApiError<E>> for Error<E> {
    fn from(e: ApiError<E>) -> Self {
        Error::Api(Box::new(e))
    }
}

impl<E> From<DecodeError> for Error<E> {
    fn from(e: DecodeError) -> Self {
        Error::Decode(Box::new(e))
    }
}

impl<E> From<SerializeError> for Error<E> {
    fn from(e: SerializeError) -> Self {
        Error::Serialize(e)
    }
}

impl<E> From<AuthError> for Error<E> {
    fn from(e: AuthError) -> Self {
        Error::Auth(e)
    }
}

/// A non-success response. The status and the raw body are always kept,
/// whether or not the body decoded into the typed error `E`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError<E> {
    /// The operation id.
    pub op: &'static str,
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The typed error body, when the status is documented for the operation
    /// and its body decoded.
    pub body: Option<E>,
    /// The raw response body.
    pub raw: Bytes,
    /// Why the body did not decode into `E`, when it did not.
    pub body_error: Option<String>,
    /// How many times the request was sent (more than 1 after retries).
    pub attempts: u32,
    /// The server's tracking id, from the top-level string member of the raw
    /// JSON body that the API's profile names.
    pub(crate) tracking: Option<String>,
}

impl<E> ApiError<E> {
    /// The server's tracking id: from the typed body if it has one, otherwise
    /// from the top-level string member the API's profile names in the raw JSON
    /// body.
    pub fn tracking_id(&self) -> Option<&str>
    where
        E: ErrorBody,
    {
        self.body
            .as_ref()
            .and_then(ErrorBody::tracking_id)
            .or(self.tracking.as_deref())
    }

    /// The delay the server asked for with `Retry-After` (seconds or an HTTP
    /// date), if it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(&self.headers)
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.op, status_text(self.status))?;
        if let Some(id) = &self.tracking {
            write!(f, " (tracking id {})", one_line(id.as_bytes(), 80))?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        let body = one_line(&self.raw, DISPLAY_BODY_CHARS);
        if !body.is_empty() {
            write!(f, ": {body}")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// `404 Not Found`, or just `599` for unknown codes.
pub(crate) fn status_text(status: u16) -> String {
    match StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// The top-level string member `field` of a JSON object body.
pub(crate) fn raw_tracking_id(raw: &[u8], field: &str) -> Option<String> {
    use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
    struct Probe<'f>(&'f str);
    impl<'de> Visitor<'de> for Probe<'_> {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 && found.is_none() {
                    // Any JSON value: a member that is not a string is no id.
                    found = match map.next_value::<serde_json::Value>()? {
                        serde_json::Value::String(id) => Some(id),
                        _ => None,
                    };
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    let first = raw.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }
    let mut de = serde_json::Deserializer::from_slice(raw);
    de.deserialize_map(Probe(field)).ok().flatten()
}

/// The request could not be encoded: a body that failed to serialize, or a
/// header name/value or content type that is not valid HTTP.
#[derive(Debug)]
pub struct SerializeError {
    op: &'static str,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl SerializeError {
    /// A new error for operation `op`.
    pub fn new(op: &'static str, message: impl Into<String>) -> Self {
        SerializeError {
            op,
            message: message.into(),
            source: None,
        }
    }

    /// A new error for operation `op` caused by `source`.
    pub fn with_source(
        op: &'static str,
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        SerializeError {
            op,
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.op
    }

    /// What could not be encoded.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: could not encode request: {}", self.op, self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SerializeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Obtaining or applying credentials failed. Messages never contain secrets.
///
/// For the token endpoint, the message names the endpoint and says what went
/// wrong: the HTTP status and the start of the body (secrets removed), a
/// transport error, or which field of the token response was invalid.
#[derive(Debug)]
pub struct AuthError {
    message: String,
    status: Option<u16>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl AuthError {
    /// A new error. The message must not contain secrets.
    pub fn new(message: impl Into<String>) -> Self {
        AuthError {
            message: message.into(),
            status: None,
            source: None,
        }
    }

    /// A new error caused by `source`. Neither may contain secrets.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        AuthError {
            message: message.into(),
            status: None,
            source: Some(source.into()),
        }
    }

    /// Records the HTTP status the token endpoint answered with.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the token endpoint's answer, if it answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// [`ClientBuilder::build`](crate::runtime::ClientBuilder::build) or
/// [`ClientBuilder::from_env`](crate::runtime::ClientBuilder::from_env)
/// failed. Messages never contain the token or the client secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No base URL was given, and the API's first server has a variable
    /// without a list of values (such as a tenant name), or the API lists no
    /// server.
    #[error("no base URL: give one (or the server's variables) to the builder")]
    MissingBaseUrl,
    /// The base URL is not an absolute `http`/`https` URL without query or
    /// fragment.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given, with any user name and password, query and
        /// fragment replaced by `<redacted>` (they can carry credentials).
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A server variable has a value the URL cannot hold or the API does not
    /// list.
    #[error("invalid server variable `{name}`: {reason}")]
    InvalidServerVariable {
        /// The variable.
        name: String,
        /// Why the value was refused.
        reason: String,
    },
    /// Client credentials were given, but no token endpoint: the API's profile
    /// has none, and [`token_url`](crate::runtime::ClientBuilder::token_url)
    /// was not called.
    #[error("client credentials need a token endpoint: call `token_url(..)`")]
    MissingTokenUrl,
    /// The API key cannot be sent (the key itself is not shown).
    #[error("invalid API key: {0}")]
    InvalidApiKey(&'static str),
    /// The bearer token is empty or contains characters not allowed in an
    /// HTTP header (the token itself is not shown).
    #[error("invalid bearer token: {0}")]
    InvalidBearerToken(&'static str),
    /// The client id or secret of
    /// [`client_credentials`](crate::runtime::ClientBuilder::client_credentials)
    /// is empty or not usable (the secret itself is not shown).
    #[error("invalid client credentials: {0}")]
    InvalidClientCredentials(&'static str),
    /// The token URL is not an absolute `http`/`https` URL without query or
    /// fragment.
    #[error("invalid token URL `{url}`: {reason}")]
    InvalidTokenUrl {
        /// The URL as given, with any user name and password, query and
        /// fragment replaced by `<redacted>` (they can carry credentials).
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// Environment variables needed by `from_env` are missing or empty.
    #[error(
        "missing or empty environment variable{}: {}",
        if .0.len() == 1 { "" } else { "s" },
        .0.join(", ")
    )]
    MissingEnv(Vec<String>),
    /// An environment variable read by `from_env` has an unusable value.
    #[error("environment variable {name}: {reason}")]
    InvalidEnv {
        /// The variable.
        name: String,
        /// Why its value was rejected (never the value of a secret).
        reason: String,
    },
    /// The user agent contains characters not allowed in an HTTP header.
    #[error("invalid user agent: not a valid HTTP header value")]
    InvalidUserAgent,
    /// A [default header](crate::runtime::ClientBuilder::default_header) has
    /// a name or a value not allowed in HTTP (the value is not shown).
    #[error("invalid default header `{name}`: not a valid HTTP header name and value")]
    InvalidHeader {
        /// The header's name, as given.
        name: String,
    },
    /// Two options cannot be used together.
    #[error("conflicting client options: {0}")]
    Conflict(&'static str),
    /// The underlying HTTP client could not be built.
    #[error("could not build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}
