//! Raw and decoded responses.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

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

/// A response whose status has not been interpreted yet: the whole body has
/// been read. Generated code matches on [`status`](Self::status) and calls
/// one of the decoding methods.
#[derive(Debug, Clone)]
pub struct RawResponse {
    op: &'static OperationInfo,
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    attempts: u32,
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
        RawResponse {
            op,
            status,
            headers,
            body,
            attempts: 1,
        }
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
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes a successful JSON body. On failure: [`Error::Decode`] with the
    /// JSON path where decoding failed and the start of the body.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        match decode_json::<T>(&self.body) {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                body,
            }),
            Err(failure) => Err(self.decode_error(failure)),
        }
    }

    /// A successful text body. Non-UTF-8 gives [`Error::Decode`].
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        match decode_text(&self.body) {
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
            body: self.body,
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

    /// A documented error status with a JSON body: [`Error::Api`] with the
    /// body decoded as `T` and wrapped by `wrap` (a generated enum variant).
    /// If the body does not decode, the error still is [`Error::Api`], with
    /// `body: None` and the reason in `body_error`.
    pub fn error_json<T: DeserializeOwned, E>(self, wrap: fn(T) -> E) -> Error<E> {
        match decode_json::<T>(&self.body) {
            Ok(body) => self.api_error(Some(wrap(body)), None),
            Err(failure) => {
                let reason = format!("at `{}`: {}", failure.path, failure.message);
                self.api_error(None, Some(reason))
            }
        }
    }

    /// A documented error status with a text body: [`Error::Api`] with the
    /// text wrapped by `wrap`; non-UTF-8 gives `body: None` and `body_error`.
    pub fn error_text<E>(self, wrap: fn(String) -> E) -> Error<E> {
        match decode_text(&self.body) {
            Ok(text) => self.api_error(Some(wrap(text)), None),
            Err(failure) => self.api_error(None, Some(failure.message)),
        }
    }

    /// A documented error status without a body: [`Error::Api`] with `value`
    /// as the typed body.
    pub fn error_empty<E>(self, value: E) -> Error<E> {
        self.api_error(Some(value), None)
    }

    /// A status the spec does not list for this operation: [`Error::Api`]
    /// with `body: None` and the raw body kept.
    pub fn unexpected<E>(self) -> Error<E> {
        self.api_error(None, None)
    }

    fn api_error<E>(self, body: Option<E>, body_error: Option<String>) -> Error<E> {
        Error::Api(Box::new(ApiError {
            op: self.op.id,
            status: self.status,
            headers: self.headers,
            body,
            raw: self.body,
            body_error,
            attempts: self.attempts,
        }))
    }

    fn decode_error<E>(self, failure: DecodeFailure) -> Error<E> {
        tracing::debug!(
            op = self.op.id,
            status = self.status,
            path = %failure.path,
            error = %failure.message,
            "response body did not decode"
        );
        Error::Decode(Box::new(DecodeError {
            op: self.op.id,
            status: self.status,
            snippet: snippet(&self.body, SNIPPET_BYTES),
            headers: self.headers,
            path: failure.path,
            message: failure.message,
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
