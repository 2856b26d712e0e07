//! Raw and decoded responses.

use std::fmt;
use std::future::Future;
use std::io::{self, BufReader, Read};
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::OnceLock;

use bytes::{Buf, Bytes};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::runtime::auth::Sent;
use crate::runtime::encode::snippet;
use crate::runtime::error::{ApiError, DecodeError, Error, ErrorBody};
use crate::runtime::request::OperationInfo;

/// What a generated operation method returns: a future of the typed response or
/// the error.
///
/// The request is built when the method is called, so the future borrows only
/// the client; nothing is sent until it is awaited (or polled).
pub type ResponseFuture<'a, T, E> =
    Pin<Box<dyn Future<Output = Result<Response<T>, Error<E>>> + Send + 'a>>;

/// How many bytes of a body an [`Error::Decode`] keeps.
const SNIPPET_BYTES: usize = 512;

/// Bodies up to this size are kept in one buffer and decoded with
/// `serde_json::from_slice`. Larger ones are kept in parts and decoded as a
/// stream that frees each part once it is decoded, so that the body and the
/// value decoded from it are never both whole in memory.
const WHOLE_BODY_MAX: usize = 4 << 20;

/// The size of the parts a large body with a known length is read into.
const PART_BYTES: usize = 1 << 20;

/// The buffer between the parts of a large body and the JSON decoder.
const STREAM_BUFFER_BYTES: usize = 64 << 10;

/// A response whose status has not been interpreted yet: the whole body has
/// been read. Generated code matches on [`status`](Self::status) and calls
/// one of the decoding methods.
///
/// The errors made from it never show the credentials its request was sent
/// with: every occurrence of the bearer token and of the client secret in the
/// body and the headers is replaced by `<redacted>` before anything of them is
/// decoded into or kept by an [`ApiError`] or a [`DecodeError`]. `Debug`
/// output is redacted the same way.
#[derive(Clone)]
pub struct RawResponse {
    op: &'static OperationInfo,
    status: u16,
    headers: HeaderMap,
    body: Body,
    attempts: u32,
    /// What was sent with the request.
    sent: Sent,
    /// The error-body member with the server's tracking id, from the profile.
    tracking_field: Option<&'static str>,
}

/// A whole response body, as read by [`read_body`].
#[derive(Clone)]
pub(crate) enum Body {
    /// In one buffer.
    Whole(Bytes),
    /// A body of more than [`WHOLE_BODY_MAX`] bytes, in order: parts of
    /// [`PART_BYTES`] when the length was known, otherwise the chunks as they
    /// arrived. `joined` is the body in one buffer once something asked for it.
    Parts {
        parts: Vec<Bytes>,
        len: usize,
        joined: OnceLock<Bytes>,
    },
}

impl Body {
    /// How many bytes.
    pub(crate) fn len(&self) -> usize {
        match self {
            Body::Whole(bytes) => bytes.len(),
            Body::Parts { len, .. } => *len,
        }
    }

    /// The body in one buffer (joined, once, for a body in parts).
    pub(crate) fn as_bytes(&self) -> &Bytes {
        match self {
            Body::Whole(bytes) => bytes,
            Body::Parts { parts, len, joined } => joined.get_or_init(|| join(parts, *len)),
        }
    }

    /// The body in one buffer, dropping the parts.
    pub(crate) fn into_bytes(self) -> Bytes {
        match self {
            Body::Whole(bytes) => bytes,
            Body::Parts { parts, len, joined } => {
                joined.into_inner().unwrap_or_else(|| join(&parts, len))
            }
        }
    }
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut headers = self.headers.clone();
        self.sent.redact_headers(&mut headers);
        f.debug_struct("RawResponse")
            .field("op", &self.op)
            .field("status", &self.status)
            .field("headers", &headers)
            .field("body", &self.sent.redact(self.body.as_bytes()))
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// The first `max` bytes of `parts` (or fewer).
fn prefix(parts: &[Bytes], max: usize) -> Bytes {
    let mut prefix = Vec::with_capacity(max);
    for part in parts {
        let take = part.len().min(max - prefix.len());
        prefix.extend_from_slice(&part[..take]);
        if prefix.len() == max {
            break;
        }
    }
    Bytes::from(prefix)
}

fn join(parts: &[Bytes], len: usize) -> Bytes {
    let mut joined = Vec::with_capacity(len);
    for part in parts {
        joined.extend_from_slice(part);
    }
    Bytes::from(joined)
}

/// Why [`read_body`] stopped.
pub(crate) enum ReadError {
    /// The body is larger than the limit; `content_length` is what the
    /// server announced, if it did.
    TooLarge { content_length: Option<u64> },
    /// Reading failed.
    Http(reqwest::Error),
}

/// Reads the whole body of `response`, at most `limit` bytes: a
/// `Content-Length` above the limit is refused before anything is read, and
/// reading stops as soon as the chunks add up to more.
///
/// Buffers are allocated once at their final size: one of `Content-Length`
/// bytes (up to [`WHOLE_BODY_MAX`]; a body that arrives in one chunk is kept
/// as it is), parts of [`PART_BYTES`] for a larger known length. A body of
/// unknown length keeps its chunks and is joined at the end when it is
/// small.
pub(crate) async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Body, ReadError> {
    let content_length = response.content_length();
    let expected = match content_length.map(usize::try_from) {
        Some(Ok(len)) if len <= limit => Some(len),
        Some(_) => return Err(ReadError::TooLarge { content_length }),
        None => None,
    };
    let mut buffer = BodyBuffer {
        expected,
        parts: Vec::new(),
        current: Vec::new(),
        len: 0,
    };
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Http)? {
        if chunk.len() > limit - buffer.len {
            return Err(ReadError::TooLarge { content_length });
        }
        buffer.push(chunk);
    }
    Ok(buffer.finish())
}

/// A body being read (see [`read_body`]).
struct BodyBuffer {
    /// The `Content-Length`, when known (and within the limit).
    expected: Option<usize>,
    /// Complete parts, in order.
    parts: Vec<Bytes>,
    /// The part being filled; allocated at its final size.
    current: Vec<u8>,
    /// Bytes so far.
    len: usize,
}

impl BodyBuffer {
    fn push(&mut self, chunk: Bytes) {
        let Some(expected) = self.expected else {
            self.len += chunk.len();
            self.parts.push(chunk);
            return;
        };
        if self.len == 0 && chunk.len() == expected {
            // The whole body in one chunk: kept as it is.
            self.len = expected;
            self.parts.push(chunk);
            return;
        }
        let part_size = if expected <= WHOLE_BODY_MAX {
            expected
        } else {
            PART_BYTES
        };
        let mut rest = &chunk[..];
        while !rest.is_empty() {
            if self.current.capacity() == 0 {
                // The last part is as long as what is left (should the server
                // send more than it announced, the rest goes into parts as
                // long as the chunks).
                let left = expected.saturating_sub(self.len);
                let size = if left > 0 {
                    part_size.min(left)
                } else {
                    rest.len()
                };
                self.current = Vec::with_capacity(size.max(1));
            }
            let take = (self.current.capacity() - self.current.len()).min(rest.len());
            self.current.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            self.len += take;
            if self.current.len() == self.current.capacity() {
                self.parts
                    .push(Bytes::from(std::mem::take(&mut self.current)));
            }
        }
    }

    fn finish(mut self) -> Body {
        if !self.current.is_empty() {
            self.parts.push(Bytes::from(self.current));
        }
        match self.parts.len() {
            0 => Body::Whole(Bytes::new()),
            1 => Body::Whole(self.parts.pop().unwrap_or_default()),
            _ if self.len <= WHOLE_BODY_MAX => Body::Whole(join(&self.parts, self.len)),
            _ => Body::Parts {
                parts: self.parts,
                len: self.len,
                joined: OnceLock::new(),
            },
        }
    }
}

/// Reads the parts of a body in order, dropping each once it has been read.
struct PartsReader {
    parts: std::vec::IntoIter<Bytes>,
    current: Bytes,
}

impl Read for PartsReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.parts.next() {
                Some(next) => self.current = next,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current.advance(n);
        Ok(n)
    }
}

/// Why a body did not decode: JSON path and message.
struct DecodeFailure {
    path: String,
    message: String,
}

impl RawResponse {
    /// A raw response (for tests and custom transports).
    pub fn new(
        op: &'static OperationInfo,
        status: u16,
        headers: HeaderMap,
        body: Bytes,
    ) -> RawResponse {
        RawResponse::read(op, status, headers, Body::Whole(body))
    }

    /// A response whose body was read by [`read_body`].
    pub(crate) fn read(
        op: &'static OperationInfo,
        status: u16,
        headers: HeaderMap,
        body: Body,
    ) -> RawResponse {
        RawResponse {
            op,
            status,
            headers,
            body,
            attempts: 1,
            sent: Sent::default(),
            tracking_field: None,
        }
    }

    /// Records the credentials the request was sent with, to keep them out of
    /// errors.
    pub(crate) fn with_sent(mut self, sent: Sent) -> RawResponse {
        self.sent = sent;
        self
    }

    /// The error-body member that holds the server's tracking id (from the API's
    /// profile), for [`ApiError::tracking_id`].
    pub fn with_tracking_field(mut self, field: Option<&'static str>) -> RawResponse {
        self.tracking_field = field;
        self
    }

    /// This response with the credentials it was sent with replaced by
    /// `<redacted>` in the body and the headers.
    fn redacted(mut self) -> RawResponse {
        if !self.sent.is_empty() {
            let body = self.sent.redact(self.body.as_bytes());
            self.body = Body::Whole(body);
            self.sent.redact_headers(&mut self.headers);
        }
        self
    }

    /// Records how many times the request was sent.
    pub(crate) fn with_attempts(mut self, attempts: u32) -> RawResponse {
        self.attempts = attempts;
        self
    }

    /// How many times the request was sent to get this response (more than 1
    /// after retries or a token refresh).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The operation this response answers.
    pub fn operation(&self) -> &'static OperationInfo {
        self.op
    }

    /// HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The whole response body.
    ///
    /// (A body of more than 4 MiB is read in parts; the first call joins
    /// them, which [`json`](Self::json) avoids.)
    pub fn body(&self) -> &Bytes {
        self.body.as_bytes()
    }

    /// Decodes a successful JSON body. On failure: [`Error::Decode`] with the
    /// JSON path where decoding failed and the start of the body.
    ///
    /// A body of up to 4 MiB is decoded with `serde_json::from_slice` (and
    /// only when that fails, again through `serde_path_to_error` to find the
    /// path). A larger one is decoded as a stream through
    /// `serde_path_to_error` in one pass, each part of the body freed once
    /// decoded, so the body and the value are never both whole in memory.
    pub fn json<T: DeserializeOwned, E>(mut self) -> Result<Response<T>, Error<E>> {
        let decoded = match std::mem::replace(&mut self.body, Body::Whole(Bytes::new())) {
            Body::Parts { parts, joined, .. } if joined.get().is_none() => {
                // Enough for the snippet (which says when it is cut), and for
                // a credential across its end to be redacted.
                let start = prefix(&parts, SNIPPET_BYTES + 1 + self.sent.longest());
                decode_json_stream::<T>(parts).map_err(|failure| (failure, start))
            }
            body => {
                let bytes = body.into_bytes();
                serde_json::from_slice(&bytes).map_err(|error| {
                    // Explained from the redacted body, so that the message
                    // cannot quote a credential.
                    let redacted = self.sent.redact(&bytes);
                    (explain_json::<T>(&redacted, &error), redacted)
                })
            }
        };
        match decoded {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                body,
            }),
            Err((failure, bytes)) => {
                self.body = Body::Whole(bytes);
                Err(self.decode_error(failure))
            }
        }
    }

    /// A successful text body. Non-UTF-8 gives [`Error::Decode`].
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        match decode_text(self.body.as_bytes()) {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                body,
            }),
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    /// A successful binary body.
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: self.body.into_bytes(),
        })
    }

    /// A successful response whose body (if any) is ignored.
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: (),
        })
    }

    /// The operation's error for this response, decoded by its error enum
    /// ([`ErrorBody::from_response`]).
    pub fn error<E: ErrorBody>(self) -> Error<E> {
        E::from_response(self)
    }

    /// A documented error status: [`Error::Api`] with the body decoded as `B`
    /// (see [`ErrorPayload`]: JSON, text, bytes or none) and wrapped by `wrap`
    /// (a variant of a generated error enum). If the body does not decode, the
    /// error still is [`Error::Api`], with `body: None` and the reason in
    /// `body_error`.
    pub fn error_body<B: ErrorPayload, E>(self, wrap: fn(B) -> E) -> Error<E> {
        self.decode_error_body(wrap)
    }

    /// [`RawResponse::error_body`] for a JSON body, for hand-written
    /// [`ErrorBody`] impls.
    pub fn error_json<T: DeserializeOwned, E>(self, wrap: fn(T) -> E) -> Error<E> {
        self.decode_error_body(wrap)
    }

    /// A documented error status with a text body: [`Error::Api`] with the
    /// text wrapped by `wrap`; non-UTF-8 gives `body: None` and `body_error`.
    pub fn error_text<E>(self, wrap: fn(String) -> E) -> Error<E> {
        self.decode_error_body(|TextBody(text)| wrap(text))
    }

    /// A documented error status with a binary body: [`Error::Api`] with the
    /// bytes wrapped by `wrap`.
    pub fn error_bytes<E>(self, wrap: fn(Bytes) -> E) -> Error<E> {
        self.decode_error_body(|BinaryBody(bytes)| wrap(bytes))
    }

    /// A documented error status without a body: [`Error::Api`] with `value`
    /// as the typed body.
    pub fn error_empty<E>(self, value: E) -> Error<E> {
        self.decode_error_body(|NoBody| value)
    }

    /// The error of a documented status, its body decoded as `B`. Decoded from
    /// the redacted body: the typed body, the raw body and the reason it did
    /// not decode are all free of credentials.
    fn decode_error_body<B: ErrorPayload, E>(self, wrap: impl FnOnce(B) -> E) -> Error<E> {
        let this = self.redacted();
        match B::decode_error_payload(this.body.as_bytes()) {
            Ok(body) => this.api_error(Some(wrap(body)), None),
            Err(reason) => this.api_error(None, Some(reason)),
        }
    }

    /// A status the spec does not list for this operation: [`Error::Api`]
    /// with `body: None` and the raw body kept.
    pub fn unexpected<E>(self) -> Error<E> {
        self.redacted().api_error(None, None)
    }

    /// The error of a redacted response.
    fn api_error<E>(self, body: Option<E>, body_error: Option<String>) -> Error<E> {
        let raw = self.body.into_bytes();
        let tracking = self
            .tracking_field
            .and_then(|field| crate::runtime::error::raw_tracking_id(&raw, field));
        Error::Api(Box::new(ApiError {
            op: self.op.id,
            status: self.status,
            headers: self.headers,
            body,
            raw,
            body_error,
            attempts: self.attempts,
            tracking,
        }))
    }

    fn decode_error<E>(self, failure: DecodeFailure) -> Error<E> {
        let this = self.redacted();
        let path = this.sent.redact_text(failure.path);
        let message = this.sent.redact_text(failure.message);
        tracing::debug!(
            op = this.op.id,
            status = this.status,
            path = %path,
            error = %message,
            "response body did not decode"
        );
        Error::Decode(Box::new(DecodeError {
            op: this.op.id,
            status: this.status,
            snippet: snippet(this.body.as_bytes(), SNIPPET_BYTES),
            headers: this.headers,
            path,
            message,
        }))
    }
}

/// Decodes `body` as JSON into `T` at plain `serde_json` speed; only when that
/// fails, decodes it again through `serde_path_to_error` (which allocates a string
/// per key) to say where.
fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    // Trailing characters after the JSON value are an error too.
    serde_json::from_slice(body).map_err(|error| explain_json::<T>(body, &error))
}

/// Why `body` did not decode into `T` (it did not, with `error`): the JSON path
/// and message from a second, path-tracking decode.
#[cold]
fn explain_json<T: DeserializeOwned>(body: &[u8], error: &serde_json::Error) -> DecodeFailure {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => DecodeFailure {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        },
        // The value decoded, so what failed is after it (trailing characters).
        Ok(_) => DecodeFailure {
            path: ".".to_owned(),
            message: match deserializer.end() {
                Err(e) => e.to_string(),
                // Cannot happen (the same bytes decoded the same way); say what
                // the first decode said.
                Ok(()) => error.to_string(),
            },
        },
    }
}

/// Decodes a large body as a stream (see [`RawResponse::json`]): one pass,
/// with the path tracked, since the parts already decoded are gone when it
/// fails.
fn decode_json_stream<T: DeserializeOwned>(parts: Vec<Bytes>) -> Result<T, DecodeFailure> {
    let reader = PartsReader {
        parts: parts.into_iter(),
        current: Bytes::new(),
    };
    let mut deserializer = serde_json::Deserializer::from_reader(BufReader::with_capacity(
        STREAM_BUFFER_BYTES,
        reader,
    ));
    let value =
        serde_path_to_error::deserialize::<_, T>(&mut deserializer).map_err(|e| DecodeFailure {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })?;
    deserializer.end().map_err(|e| DecodeFailure {
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// The body of one documented error status, as a generated error enum holds
/// it: the type decodes itself from the raw body. Every JSON type (what
/// `serde` deserializes) decodes as JSON; [`TextBody`], [`BinaryBody`] and
/// [`NoBody`] are the other media types.
pub trait ErrorPayload: Sized {
    /// The body decoded, or why it does not decode (for
    /// [`ApiError::body_error`](crate::runtime::ApiError::body_error)).
    fn decode_error_payload(body: &Bytes) -> Result<Self, String>;
}

impl<T: DeserializeOwned> ErrorPayload for T {
    fn decode_error_payload(body: &Bytes) -> Result<Self, String> {
        decode_json(body).map_err(|failure| format!("at `{}`: {}", failure.path, failure.message))
    }
}

/// The body of an error status documented as text (`text/plain` and other
/// non-JSON text media types).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TextBody(pub String);

impl Deref for TextBody {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TextBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ErrorPayload for TextBody {
    fn decode_error_payload(body: &Bytes) -> Result<Self, String> {
        decode_text(body)
            .map(TextBody)
            .map_err(|failure| failure.message)
    }
}

/// The body of an error status documented as binary (`application/octet-stream`,
/// images, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct BinaryBody(pub Bytes);

impl ErrorPayload for BinaryBody {
    fn decode_error_payload(body: &Bytes) -> Result<Self, String> {
        Ok(BinaryBody(body.clone()))
    }
}

/// The body of an error status documented without one (the raw body, if the
/// server sent any, is still in [`ApiError::raw`](crate::runtime::ApiError::raw)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NoBody;

impl ErrorPayload for NoBody {
    fn decode_error_payload(_: &Bytes) -> Result<Self, String> {
        Ok(NoBody)
    }
}

fn decode_text(body: &Bytes) -> Result<String, DecodeFailure> {
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(DecodeFailure {
            path: ".".to_owned(),
            message: format!("body is not valid UTF-8: {e}"),
        }),
    }
}

/// A successful response: status, headers and the decoded body.
///
/// Dereferences to the body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The `Location` header: where a redirect points, or the URL of a created
    /// resource.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The body, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Config {
        #[allow(dead_code)]
        attributes: Vec<Attribute>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Attribute {
        #[allow(dead_code)]
        enabled: bool,
    }

    /// What the runtime said before it decoded with plain `serde_json` first.
    fn through_path_to_error(body: &[u8]) -> (String, String) {
        let mut de = serde_json::Deserializer::from_slice(body);
        match serde_path_to_error::deserialize::<_, Config>(&mut de) {
            Err(e) => (e.path().to_string(), e.inner().to_string()),
            Ok(_) => (".".to_owned(), de.end().unwrap_err().to_string()),
        }
    }

    /// `body` read in chunks of `chunk` bytes, announced with `expected`.
    fn read_in_chunks(body: &[u8], chunk: usize, expected: Option<usize>) -> Body {
        let mut buffer = BodyBuffer {
            expected,
            parts: Vec::new(),
            current: Vec::new(),
            len: 0,
        };
        for part in body.chunks(chunk) {
            buffer.push(Bytes::copy_from_slice(part));
        }
        buffer.finish()
    }

    #[test]
    fn bodies_are_buffered_at_their_final_size() {
        let small: Vec<u8> = (0..3000u32).map(|i| i as u8).collect();
        for (chunk, expected) in [
            (3000, Some(3000)),
            (700, Some(3000)),
            (700, None),
            (1, None),
        ] {
            let body = read_in_chunks(&small, chunk, expected);
            assert!(
                matches!(&body, Body::Whole(b) if b[..] == small[..]),
                "{chunk} {expected:?}"
            );
        }
        let empty = read_in_chunks(b"", 1, Some(0));
        assert!(matches!(&empty, Body::Whole(b) if b.is_empty()));

        // Above WHOLE_BODY_MAX: parts of PART_BYTES (the last one shorter), or the
        // chunks as they came.
        let large: Vec<u8> = (0..WHOLE_BODY_MAX + 2 * PART_BYTES + 5)
            .map(|i| (i % 251) as u8)
            .collect();
        let body = read_in_chunks(&large, 65_000, Some(large.len()));
        let Body::Parts { parts, len, .. } = &body else {
            panic!("expected parts")
        };
        assert_eq!(*len, large.len());
        assert_eq!(parts.len(), WHOLE_BODY_MAX / PART_BYTES + 3);
        assert!(
            parts[..parts.len() - 1]
                .iter()
                .all(|p| p.len() == PART_BYTES)
        );
        assert_eq!(parts.last().map(Bytes::len), Some(5));
        assert!(body.as_bytes()[..] == large[..]);
        let body = read_in_chunks(&large, 65_000, None);
        assert!(
            matches!(&body, Body::Parts { parts, .. } if parts.len() == large.len().div_ceil(65_000))
        );
        assert!(body.into_bytes()[..] == large[..]);

        // The reader hands out the parts in order.
        let body = read_in_chunks(&large, 65_000, Some(large.len()));
        let Body::Parts { parts, .. } = body else {
            panic!("expected parts")
        };
        let mut read = Vec::new();
        PartsReader {
            parts: parts.into_iter(),
            current: Bytes::new(),
        }
        .read_to_end(&mut read)
        .unwrap();
        assert!(read == large);
    }

    #[test]
    fn failures_name_the_path_and_message_as_before() {
        for body in [
            &br#"{"attributes":[{"enabled":true},{"enabled":"yes"}]}"#[..],
            br#"{"attributes":[{"enabled":true},{}]}"#,
            br#"{"attributes":{}}"#,
            br#"{"attributes":[]} trailing"#,
            br#"{"attributes":[{"enabled":tru"#,
            b"",
        ] {
            let failure = decode_json::<Config>(body).unwrap_err();
            let (path, message) = through_path_to_error(body);
            assert_eq!((failure.path, failure.message), (path, message));
        }
        let failure =
            decode_json::<Config>(br#"{"attributes":[{"enabled":true},{"enabled":"yes"}]}"#)
                .unwrap_err();
        assert_eq!(failure.path, "attributes[1].enabled");
        let failure = decode_json::<Config>(br#"{"attributes":[]} x"#).unwrap_err();
        assert_eq!(failure.path, ".");
        assert!(
            failure.message.contains("trailing characters"),
            "{}",
            failure.message
        );
        assert!(decode_json::<Config>(br#" {"attributes":[{"enabled":false}]} "#).is_ok());
    }
}
