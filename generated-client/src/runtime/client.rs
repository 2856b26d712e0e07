//! The API client and its builder.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use crate::runtime::auth::{Auth, Authorization, ClientCredentials, REDACTED, Secret, TokenSource};
use crate::runtime::error::{AuthError, BuildError, Error, ErrorBody, SerializeError};
use crate::runtime::observe::{Capture, Observer};
use crate::runtime::profile::{ApiKeyLocation, CredentialKind, Profile, server_url};
use crate::runtime::request::{Body, Request};
use crate::runtime::response::{
    Body as ResponseBody, RawResponse, ReadError, Response, ResponseFuture, read_body,
};
use crate::runtime::retry::{
    Observed, RetryPolicy, RetryReason, Step, is_idempotent, parse_retry_after,
};

/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] is used.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// Connect timeout of the built-in HTTP client unless configured.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Time limit of one attempt of an API request unless configured.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time limit of one token request unless configured.
const DEFAULT_TOKEN_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest response body read unless configured: 64 MiB. A full page
/// (250 items) of the largest list types is a few MB, so this leaves room for
/// exports and files while bounding what a misbehaving server or proxy can
/// make the client buffer: at most this much per request in flight (plus the
/// value decoded from it).
const DEFAULT_MAX_BODY_SIZE: usize = 64 << 20;
/// `Accept` sent when the request has none.
const DEFAULT_ACCEPT: &str = "application/json";

/// The API client.
///
/// Cheap to clone (the state, including the token cache, is shared behind an
/// `Arc`). Generated code adds one method per operation with
/// `impl crate::runtime::Client { ... }` blocks. `Debug` output never
/// contains credentials.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Absolute base URL without trailing slash, e.g. `https://acme.api.example.com/beta`.
    base_url: String,
    /// The token endpoint, with client credentials.
    token_url: Option<String>,
    auth: Auth,
    retry: RetryPolicy,
    user_agent: HeaderValue,
    /// Total time limit of one attempt (send + read body); `None`: no limit.
    timeout: Option<Duration>,
    /// Time limit of one token request (client credentials), for `Debug`.
    token_timeout: Option<Duration>,
    /// The largest response body read, in bytes.
    max_body_size: usize,
    /// `base_url` parsed, with the length of its origin; set on first use.
    parsed_base: std::sync::OnceLock<Option<(Url, usize)>>,
    /// An API key, sent in the header or query parameter the profile names.
    api_key: Option<(crate::runtime::profile::ApiKey, Secret)>,
    /// The API key and a basic-auth password in every form a server might echo
    /// them, to keep them out of errors.
    extra_secrets: Option<Arc<[Box<[u8]>]>>,
    /// The profile of the API.
    profile: &'static Profile,
    /// Headers sent on every request (see [`ClientBuilder::default_header`]).
    default_headers: Vec<(HeaderName, HeaderValue)>,
    /// Sees every exchange, when set.
    observer: Option<Arc<dyn Observer>>,
}

impl Client {
    /// A builder for a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for `base_url` without credentials.
    pub fn new(base_url: impl Into<String>) -> Result<Client, BuildError> {
        Client::builder().base_url(base_url).build()
    }

    /// The profile of the API the client is for.
    pub fn profile(&self) -> &'static Profile {
        self.inner.profile
    }

    /// The base URL, without trailing slash (e.g. `https://acme.example.com/v1`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The OAuth2 token endpoint, when the client uses client credentials.
    pub fn token_url(&self) -> Option<&str> {
        self.inner.token_url.as_deref()
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Sends a request and reads the whole response body, retrying as the
    /// [`RetryPolicy`] says.
    ///
    /// The URL is the base URL followed by the request path, plus the
    /// percent-encoded query pairs. Headers: the request's own, then the
    /// [default headers](ClientBuilder::default_header) it does not set,
    /// `Authorization` from the configured credentials, `Accept:
    /// application/json` unless set by then, and `User-Agent`.
    ///
    /// Each attempt that gets a response is shown to the
    /// [observer](ClientBuilder::observer), if one is set.
    ///
    /// With client credentials or a token source, a `401` answer makes the
    /// client refresh the token once and send the request again.
    ///
    /// The status is *not* interpreted otherwise: any final answer from the
    /// server is `Ok` (after retries, the last one). Fails with
    /// [`Error::Timeout`] or [`Error::Transport`] when no answer was received,
    /// [`Error::BodyTooLarge`] when the body is larger than
    /// [`max_body_size`](ClientBuilder::max_body_size),
    /// [`Error::Serialize`] when the request cannot be encoded (the first
    /// error one of its setters recorded, or its headers), and
    /// [`Error::Auth`] when credentials cannot be obtained.
    ///
    /// Runs in a `tracing` span `http_request` with the fields `op`,
    /// `method`, `path` (the template, e.g. `/sources/{id}`: never ids or
    /// query strings), `attempt`, `status` and `elapsed_ms`.
    pub async fn execute<E>(&self, req: Request) -> Result<RawResponse, Error<E>> {
        let req = req.finish().map_err(Error::Serialize)?;
        // Non-generic inner function: one copy of the state machine for all
        // operations.
        self.execute_raw(req).await.map_err(Failure::into_error)
    }

    /// Sends the request of a generated operation and decodes the answer.
    ///
    /// `decode` maps the final response (see [`execute`](Self::execute)) to
    /// the operation's typed result. Generated operation methods are plain
    /// functions that build the request and return this future, so the crate
    /// holds one async state machine for all operations instead of one per
    /// operation, and the future borrows only the client, not the arguments.
    /// Nothing is sent until the future is polled; an error a setter of `req`
    /// recorded is its output.
    pub fn send_request<T, E>(
        &self,
        req: Request,
        decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    ) -> ResponseFuture<'_, T, E>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        Box::pin(async move { decode(self.execute(req).await?) })
    }

    /// [`send_request`](Self::send_request) for an operation whose success
    /// statuses (exact codes) all have a JSON body of type `T`: one of
    /// `statuses` decodes it, any other status is the operation's error.
    pub fn send_json<T, E>(
        &self,
        req: Request,
        statuses: &'static [u16],
    ) -> ResponseFuture<'_, T, E>
    where
        T: DeserializeOwned + Send + 'static,
        E: ErrorBody + Send + 'static,
    {
        self.send_listed(req, statuses, RawResponse::json)
    }

    /// [`send_request`](Self::send_request) for an operation whose success
    /// statuses (exact codes) have no body, or one it ignores.
    pub fn send_empty<E>(&self, req: Request, statuses: &'static [u16]) -> ResponseFuture<'_, (), E>
    where
        E: ErrorBody + Send + 'static,
    {
        self.send_listed(req, statuses, RawResponse::empty)
    }

    /// `decode` for one of `statuses`, the operation's error for any other.
    fn send_listed<T, E>(
        &self,
        req: Request,
        statuses: &'static [u16],
        decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    ) -> ResponseFuture<'_, T, E>
    where
        T: Send + 'static,
        E: ErrorBody + Send + 'static,
    {
        Box::pin(async move {
            let resp = self.execute(req).await?;
            if statuses.contains(&resp.status()) {
                decode(resp)
            } else {
                Err(resp.error())
            }
        })
    }

    async fn execute_raw(&self, req: Request) -> Result<RawResponse, Failure> {
        let url = self.url(&req)?;
        let span = tracing::info_span!(
            "http_request",
            op = req.op.id,
            method = %req.method,
            path = req.op.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        self.send_with_retries(&req, &url, &span)
            .instrument(span.clone())
            .await
    }

    /// [`attempt`](Self::attempt) in the retry loop, plus one refresh of the
    /// token after a `401`.
    async fn send_with_retries(
        &self,
        req: &Request,
        url: &Url,
        span: &tracing::Span,
    ) -> Result<RawResponse, Failure> {
        // The clock is read only for a span that records (a subscriber
        // listens).
        let started = (!span.is_disabled()).then(Instant::now);
        let auth = &self.inner.auth;
        // Atomic only so that the attempts' futures are `Send`.
        let refreshed = &AtomicBool::new(false);
        let send_once = |attempt: u32| async move {
            span.record("attempt", attempt);
            let authorization = match auth.authorization().await {
                Ok(authorization) => authorization,
                Err(e) => return Step::Done(Err(Failure::Auth(e))),
            };
            let outcome = self.attempt(req, url, &authorization, attempt).await;
            if let Some(started) = started {
                span.record("elapsed_ms", millis(started.elapsed()));
            }
            let observed = match &outcome {
                Ok(response) => {
                    span.record("status", response.status());
                    if response.status() == 401
                        && auth.can_refresh()
                        && !refreshed.swap(true, Ordering::Relaxed)
                    {
                        tracing::debug!(
                            op = req.op.id,
                            attempt,
                            "HTTP 401: refreshing the access token and sending again"
                        );
                        return match auth.refresh_after_unauthorized(&authorization).await {
                            Ok(()) => Step::Again,
                            Err(e) => Step::Done(Err(Failure::Auth(e))),
                        };
                    }
                    Observed::Status {
                        status: response.status(),
                        retry_after: parse_retry_after(response.headers()),
                    }
                }
                Err(Failure::Timeout { source, .. } | Failure::Transport { source, .. }) => {
                    Observed::from_transport_error(source)
                }
                Err(Failure::Serialize(_) | Failure::Auth(_) | Failure::BodyTooLarge { .. }) => {
                    return Step::Done(outcome);
                }
            };
            Step::Observed(outcome, observed)
        };
        let on_retry = |attempt: u32, reason: RetryReason, delay: Duration| {
            tracing::warn!(
                op = req.op.id,
                method = %req.method,
                path = req.op.path,
                attempt,
                reason = %reason,
                delay_ms = millis(delay),
                "retrying request"
            );
        };
        let finished = self
            .inner
            .retry
            .run(is_idempotent(&req.method), send_once, on_retry)
            .await;
        if let Some(why) = finished.why {
            tracing::debug!(
                op = req.op.id,
                attempt = finished.attempts,
                why,
                "not retrying"
            );
        }
        let attempts = finished.attempts;
        finished
            .outcome
            .map(|response| response.with_attempts(attempts))
    }

    /// One attempt: build the HTTP request, send it, read the whole body.
    async fn attempt(
        &self,
        req: &Request,
        url: &Url,
        authorization: &Authorization,
        attempt: u32,
    ) -> Result<RawResponse, Failure> {
        let op = req.op.id;
        let request = self.build_request(req, url, authorization.header.clone())?;
        // What was sent, for the observer (if any).
        let capture = self.inner.observer.as_ref().map(|_| Capture::new(&request));

        // The clock is read only for the debug events below.
        let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
        let result = self.send(request).await;
        let elapsed_ms = started.map(|started| millis(started.elapsed()));
        match result {
            Ok((status, headers, body)) => {
                tracing::debug!(
                    op,
                    method = %req.method,
                    path = req.op.path,
                    attempt,
                    status,
                    elapsed_ms,
                    bytes = body.len(),
                    "HTTP request completed"
                );
                let sent = self
                    .inner
                    .auth
                    .sent(authorization)
                    .with_extra(self.inner.extra_secrets.clone());
                if let (Some(observer), Some(capture)) = (&self.inner.observer, capture) {
                    observer.exchange(&capture.exchange(
                        op,
                        attempt,
                        &self.inner.base_url,
                        self.inner.api_key.as_ref().map(|(scheme, _)| scheme),
                        &sent,
                        status,
                        &headers,
                        body.as_bytes(),
                    ));
                }
                Ok(RawResponse::read(req.op, status, headers, body)
                    .with_sent(sent)
                    .with_tracking_field(self.inner.profile.tracking_id))
            }
            Err(SendError::TooLarge {
                status,
                content_length,
            }) => {
                let limit = self.inner.max_body_size as u64;
                tracing::debug!(
                    op,
                    method = %req.method,
                    path = req.op.path,
                    attempt,
                    status,
                    elapsed_ms,
                    limit,
                    content_length,
                    "response body larger than the limit"
                );
                Err(Failure::BodyTooLarge {
                    op,
                    status,
                    limit,
                    content_length,
                })
            }
            Err(SendError::Http(source)) => {
                let timeout = source.is_timeout();
                // Without the URL: it may carry ids and query values.
                let source = source.without_url();
                tracing::debug!(
                    op,
                    method = %req.method,
                    path = req.op.path,
                    attempt,
                    elapsed_ms,
                    timeout,
                    error = %crate::runtime::auth::error_chain(&source),
                    "HTTP request failed"
                );
                Err(if timeout {
                    Failure::Timeout { op, source }
                } else {
                    Failure::Transport { op, source }
                })
            }
        }
    }

    /// Sends the request and reads the whole body, at most
    /// [`max_body_size`](ClientBuilder::max_body_size) bytes.
    async fn send(
        &self,
        request: reqwest::Request,
    ) -> Result<(u16, HeaderMap, ResponseBody), SendError> {
        let mut response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(SendError::Http)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(&mut response, self.inner.max_body_size)
            .await
            .map_err(|e| match e {
                ReadError::TooLarge { content_length } => SendError::TooLarge {
                    status,
                    content_length,
                },
                ReadError::Http(e) => SendError::Http(e),
            })?;
        Ok((status, headers, body))
    }

    fn url(&self, req: &Request) -> Result<Url, Failure> {
        let mut url = String::with_capacity(self.inner.base_url.len() + req.path.len() + 64);
        url.push_str(&self.inner.base_url);
        if !req.path.starts_with('/') {
            url.push('/');
        }
        // Every template variable has been filled, so a brace left is a literal
        // one, which a URL cannot hold.
        for c in req.path.chars() {
            match c {
                '{' => url.push_str("%7B"),
                '}' => url.push_str("%7D"),
                c => url.push(c),
            }
        }
        for (i, (_, pair)) in req.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(pair);
        }
        if let Some((scheme, key)) = &self.inner.api_key
            && scheme.location == ApiKeyLocation::Query
        {
            url.push(if req.query.is_empty() { '?' } else { '&' });
            let mut pair = String::new();
            crate::runtime::encode::push_query_pair(&mut pair, scheme.name, key.expose());
            url.push_str(&pair);
        }
        // Parsed relative to the parsed base URL: the same URL as parsing the
        // whole string, without parsing the host again (its IDNA processing
        // alone costs more than the rest of building the request).
        let parsed = match self.inner.parsed_base() {
            Some((base, origin)) if path_absolute(&url[*origin..]) => base.join(&url[*origin..]),
            _ => Url::parse(&url),
        };
        parsed.map_err(|e| {
            Failure::Serialize(SerializeError::with_source(
                req.op.id,
                "invalid request URL",
                e,
            ))
        })
    }

    /// Builds the HTTP request of one attempt from the plain request data.
    fn build_request(
        &self,
        req: &Request,
        url: &Url,
        authorization: Option<HeaderValue>,
    ) -> Result<reqwest::Request, Failure> {
        let op = req.op.id;
        let mut headers =
            HeaderMap::with_capacity(req.headers.len() + self.inner.default_headers.len() + 4);
        for (name, value) in &req.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Failure::Serialize(SerializeError::new(
                    op,
                    format!("invalid header name `{name}`"),
                ))
            })?;
            // The value is not echoed: it may be sensitive.
            let header_value = HeaderValue::from_str(value).map_err(|_| {
                Failure::Serialize(SerializeError::new(
                    op,
                    format!("invalid value for header `{name}`"),
                ))
            })?;
            headers.append(header_name, header_value);
        }
        for (name, value) in &self.inner.default_headers {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        if let Some(authorization) = authorization {
            headers.insert(AUTHORIZATION, authorization);
        }
        if let Some((scheme, key)) = &self.inner.api_key
            && scheme.location == ApiKeyLocation::Header
        {
            let name = HeaderName::from_bytes(scheme.name.as_bytes()).map_err(|_| {
                Failure::Serialize(SerializeError::new(
                    op,
                    format!("invalid API key header name `{}`", scheme.name),
                ))
            })?;
            let mut value = HeaderValue::from_str(key.expose()).map_err(|_| {
                Failure::Serialize(SerializeError::new(op, "invalid API key header value"))
            })?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static(DEFAULT_ACCEPT));
        }
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        if !matches!(req.body, Body::Empty) {
            // The body decides the content type (multipart needs its boundary).
            headers.remove(CONTENT_TYPE);
        }

        // Without a form to encode, the request is built directly: through
        // `RequestBuilder`, the headers would be copied once more.
        if let Body::Empty | Body::Bytes { .. } = &req.body {
            if let Body::Bytes { content_type, .. } = &req.body {
                let content_type = HeaderValue::from_str(content_type).map_err(|_| {
                    Failure::Serialize(SerializeError::new(
                        op,
                        format!("invalid content type `{content_type}`"),
                    ))
                })?;
                headers.insert(CONTENT_TYPE, content_type);
            }
            let mut request = reqwest::Request::new(req.method.clone(), url.clone());
            *request.headers_mut() = headers;
            if let Some(timeout) = self.inner.timeout {
                *request.timeout_mut() = Some(timeout);
            }
            if let Body::Bytes { data, .. } = &req.body {
                *request.body_mut() = Some(data.clone().into());
            }
            return Ok(request);
        }

        let mut builder = self
            .inner
            .http
            .request(req.method.clone(), url.clone())
            .headers(headers);
        if let Some(timeout) = self.inner.timeout {
            builder = builder.timeout(timeout);
        }
        builder = match &req.body {
            Body::Empty | Body::Bytes { .. } => builder,
            Body::Form(pairs) => builder.form(pairs),
            Body::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for part in parts {
                    let converted = part.to_reqwest().map_err(|e| {
                        Failure::Serialize(SerializeError::with_source(
                            op,
                            format!("invalid multipart part `{}`", part.name),
                            e.without_url(),
                        ))
                    })?;
                    form = form.part(part.name.clone(), converted);
                }
                builder.multipart(form)
            }
        };
        builder.build().map_err(|e| {
            Failure::Serialize(SerializeError::with_source(
                op,
                "invalid request",
                e.without_url(),
            ))
        })
    }
}

impl Inner {
    /// The base URL parsed, and the length of its origin (`scheme://host:port`),
    /// which the base URL string starts with.
    fn parsed_base(&self) -> Option<&(Url, usize)> {
        self.parsed_base
            .get_or_init(|| {
                let base = Url::parse(&self.base_url).ok()?;
                if base.query().is_some() || base.fragment().is_some() {
                    return None;
                }
                let origin = base.as_str().len() - base.path().len();
                let same = self.base_url.get(..origin) == base.as_str().get(..origin);
                same.then_some((base, origin))
            })
            .as_ref()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.auth)
            .field("retry_policy", &self.inner.retry)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("token_timeout", &self.inner.token_timeout)
            .field("max_body_size", &self.inner.max_body_size)
            .field(
                "default_headers",
                &header_names(&self.inner.default_headers),
            )
            .field("observer", &self.inner.observer.as_ref().map(|_| "<set>"))
            .finish_non_exhaustive()
    }
}

/// The names of `headers` (their values may be sensitive), for `Debug`.
fn header_names<N: AsRef<str>, V>(headers: &[(N, V)]) -> Vec<&str> {
    headers.iter().map(|(name, _)| name.as_ref()).collect()
}

/// Whether `reference` (what follows the origin in a request URL) is a
/// path-absolute reference, which [`Url::join`] resolves against the origin as
/// a whole-URL parse would: it starts with `/`, not with two slashes (`\` is
/// a slash in `http` URLs), which would name another host.
fn path_absolute(reference: &str) -> bool {
    let mut bytes = reference.bytes();
    bytes.next() == Some(b'/') && !matches!(bytes.next(), Some(b'/' | b'\\'))
}

/// Milliseconds, saturating.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Why one request failed before a response was received; turned into
/// [`Error<E>`] by the generic [`Client::execute`].
enum Failure {
    Timeout {
        op: &'static str,
        source: reqwest::Error,
    },
    Transport {
        op: &'static str,
        source: reqwest::Error,
    },
    BodyTooLarge {
        op: &'static str,
        status: u16,
        limit: u64,
        content_length: Option<u64>,
    },
    Serialize(SerializeError),
    Auth(AuthError),
}

/// Why [`Client::send`] got no whole response.
enum SendError {
    Http(reqwest::Error),
    TooLarge {
        status: u16,
        content_length: Option<u64>,
    },
}

impl Failure {
    fn into_error<E>(self) -> Error<E> {
        match self {
            Failure::Timeout { op, source } => Error::Timeout { op, source },
            Failure::Transport { op, source } => Error::Transport { op, source },
            Failure::BodyTooLarge {
                op,
                status,
                limit,
                content_length,
            } => Error::BodyTooLarge {
                op,
                status,
                limit,
                content_length,
            },
            Failure::Serialize(e) => Error::Serialize(e),
            Failure::Auth(e) => Error::Auth(e),
        }
    }
}

/// Where the client sends requests.
#[derive(Clone)]
enum Target {
    /// The base URL of the API; its origin is the API root (`{root}` in the profile's token URL).
    BaseUrl(String),
    /// An API root: the API is at the root followed by the first server's path.
    ApiRoot(String),
    /// A server of the profile, with values for (some of) its variables.
    Server {
        index: usize,
        values: Vec<(String, String)>,
    },
}

/// How the client authenticates, as configured.
#[derive(Clone)]
enum CredentialsConfig {
    Bearer(Secret),
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    Basic {
        user: String,
        password: Secret,
    },
    Source(Arc<dyn TokenSource>),
}

/// Builder for [`Client`]. `Debug` output never contains the token or the
/// client secret.
///
/// The generated crate's `ClientBuilder` wraps this one with the API's
/// [`Profile`]: its servers (and their variables), its credentials and its
/// environment variables.
///
/// Of [`bearer_token`](Self::bearer_token),
/// [`client_credentials`](Self::client_credentials),
/// [`basic_auth`](Self::basic_auth) and [`token_source`](Self::token_source),
/// the last one called wins; likewise for [`base_url`](Self::base_url),
/// [`api_root`](Self::api_root) and [`server_variable`](Self::server_variable).
#[derive(Clone)]
pub struct ClientBuilder {
    profile: &'static Profile,
    target: Option<Target>,
    credentials: Option<CredentialsConfig>,
    api_key: Option<Secret>,
    token_url: Option<String>,
    retry_policy: Option<RetryPolicy>,
    user_agent: Option<String>,
    /// `None`: not configured (the default applies); `Some(None)`: no limit.
    timeout: Option<Option<Duration>>,
    /// Like `timeout`.
    token_timeout: Option<Option<Duration>>,
    connect_timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
    max_body_size: Option<usize>,
    /// Checked when the client is built.
    default_headers: Vec<(String, String)>,
    observer: Option<Arc<dyn Observer>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new(&Profile::GENERIC)
    }
}

impl ClientBuilder {
    /// A builder for the API that `profile` describes.
    pub fn new(profile: &'static Profile) -> ClientBuilder {
        ClientBuilder {
            profile,
            target: None,
            credentials: None,
            api_key: None,
            token_url: None,
            retry_policy: None,
            user_agent: None,
            timeout: None,
            token_timeout: None,
            connect_timeout: None,
            http_client: None,
            max_body_size: None,
            default_headers: Vec::new(),
            observer: None,
        }
    }

    /// A builder configured from the environment variables of the profile's
    /// prefix (`{P}` below): `{P}_BASE_URL` (the base URL, or the API root when
    /// the profile says so) unless the first server has no variables, and the
    /// first credentials the profile accepts whose variables are set:
    /// `{P}_CLIENT_ID` and `{P}_CLIENT_SECRET` (OAuth2 client credentials),
    /// `{P}_TOKEN` (a bearer token), `{P}_USERNAME` and `{P}_PASSWORD` (basic),
    /// `{P}_API_KEY`. Fails with [`BuildError::MissingEnv`] naming the variables
    /// that are unset or empty (those of the first credentials when none are
    /// set), or [`BuildError::InvalidEnv`] for an unusable URL.
    pub fn from_env(profile: &'static Profile) -> Result<ClientBuilder, BuildError> {
        ClientBuilder::from_env_with(profile, |name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables with `lookup`
    /// instead of from the process environment (for tests, or other
    /// configuration stores).
    pub fn from_env_with(
        profile: &'static Profile,
        mut lookup: impl FnMut(&str) -> Option<String>,
    ) -> Result<ClientBuilder, BuildError> {
        let Some(prefix) = profile.env_prefix else {
            return Err(BuildError::Conflict(
                "the API has no environment variable prefix (settings: client.env_prefix)",
            ));
        };
        let mut get = |suffix: &str| -> (String, Option<String>) {
            let name = format!("{prefix}_{suffix}");
            let value = lookup(&name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
            (name, value)
        };
        let base = get("BASE_URL");
        let needs_base = profile
            .servers
            .first()
            .is_none_or(|s| !s.variables.is_empty());
        let mut missing: Vec<String> = Vec::new();
        if needs_base && base.1.is_none() {
            missing.push(base.0.clone());
        }
        let mut builder = ClientBuilder::new(profile);
        let mut chosen = None;
        let mut first_missing: Option<Vec<String>> = None;
        for kind in profile.credentials {
            let vars: Vec<(String, Option<String>)> = match kind {
                CredentialKind::ClientCredentials => vec![get("CLIENT_ID"), get("CLIENT_SECRET")],
                CredentialKind::Bearer => vec![get("TOKEN")],
                CredentialKind::Basic => vec![get("USERNAME"), get("PASSWORD")],
                CredentialKind::ApiKey => vec![get("API_KEY")],
            };
            let unset: Vec<String> = vars
                .iter()
                .filter(|(_, v)| v.is_none())
                .map(|(n, _)| n.clone())
                .collect();
            if unset.is_empty() {
                chosen = Some((*kind, vars));
                break;
            }
            if unset.len() < vars.len() {
                // Some of these credentials' variables are set: the rest are missing.
                first_missing = Some(unset);
                break;
            }
            first_missing.get_or_insert(unset);
        }
        match chosen {
            Some(_) => {}
            None => missing.extend(first_missing.unwrap_or_default()),
        }
        if !missing.is_empty() {
            return Err(BuildError::MissingEnv(missing));
        }
        if let (name, Some(url)) = base {
            let url = normalize_base_url(&url).map_err(|e| BuildError::InvalidEnv {
                name,
                reason: e.to_string(),
            })?;
            builder = if profile.env_base_url_is_root {
                builder.api_root(url)
            } else {
                builder.base_url(url)
            };
        }
        if let Some((kind, vars)) = chosen {
            let mut values = vars.into_iter().map(|(_, v)| v.unwrap_or_default());
            let mut next = || values.next().unwrap_or_default();
            builder = match kind {
                CredentialKind::ClientCredentials => {
                    let (id, secret) = (next(), next());
                    builder.client_credentials(id, secret)
                }
                CredentialKind::Bearer => builder.bearer_token(next()),
                CredentialKind::Basic => {
                    let (user, password) = (next(), next());
                    builder.basic_auth(user, password)
                }
                CredentialKind::ApiKey => builder.api_key(next()),
            };
        }
        Ok(builder)
    }

    /// The base URL, e.g. `https://acme.example.com/v1`. A trailing slash is
    /// removed; a base path such as `/v1` is kept. With client credentials, a
    /// token endpoint template's `{root}` is the base URL's origin.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.target = Some(Target::BaseUrl(url.into()));
        self
    }

    /// The API root, e.g. `https://acme.example.com`: the base URL is the root
    /// followed by the first server's path (`/v1`), and a token endpoint
    /// template's `{root}` is the root.
    pub fn api_root(mut self, root: impl Into<String>) -> Self {
        self.target = Some(Target::ApiRoot(root.into()));
        self
    }

    /// Sets a variable of the server URL: the first server of the profile that
    /// has the variable is used, with the document's defaults for its other
    /// variables. Values are checked when the client is built (letters,
    /// digits, `-`, `.`, `_`, `~`, and one of the document's values when it
    /// lists some).
    pub fn server_variable(mut self, name: &str, value: impl Into<String>) -> Self {
        let index = self
            .profile
            .servers
            .iter()
            .position(|s| s.variables.iter().any(|v| v.name == name))
            .unwrap_or(usize::MAX);
        let value = (name.to_owned(), value.into());
        self.target = Some(match self.target.take() {
            Some(Target::Server {
                index: current,
                mut values,
            }) if current == index => {
                values.push(value);
                Target::Server { index, values }
            }
            _ => Target::Server {
                index,
                values: vec![value],
            },
        });
        self
    }

    /// A static bearer token (e.g. a personal access token), sent as
    /// `Authorization: Bearer <token>` on every request. It cannot be
    /// refreshed: a `401` is returned to the caller.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(CredentialsConfig::Bearer(Secret::new(token)));
        self
    }

    /// HTTP basic authentication: `Authorization: Basic <user:password>` on
    /// every request.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(CredentialsConfig::Basic {
            user: user.into(),
            password: Secret::new(password),
        });
        self
    }

    /// An API key, sent in the header or query parameter the API's security
    /// scheme names (see the profile). Independent of the other credentials:
    /// both are sent when both are set.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(key));
        self
    }

    /// OAuth2 client credentials: the client posts
    /// `grant_type=client_credentials` to the [token URL](Self::token_url),
    /// caches the access token, refreshes it shortly before it expires
    /// (60 s or 10% of its lifetime early, whichever is smaller) and once
    /// when the API answers `401`. Concurrent requests share one token
    /// request whatever its `expires_in` (a token that expires at once, with
    /// `expires_in: 0`, serves the requests that waited for it; the next
    /// request fetches a new one).
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.credentials = Some(CredentialsConfig::ClientCredentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
        });
        self
    }

    /// The OAuth2 token endpoint for
    /// [`client_credentials`](Self::client_credentials). Default: the
    /// profile's (from the security scheme's `tokenUrl` or the settings), its
    /// `{root}` being the API root.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// A caller-supplied [`TokenSource`]. Its tokens are cached and refreshed
    /// like those of [`client_credentials`](Self::client_credentials).
    pub fn token_source(mut self, source: impl TokenSource) -> Self {
        self.credentials = Some(CredentialsConfig::Source(Arc::new(source)));
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]; use
    /// [`RetryPolicy::none`] to send every request once). Also applies to
    /// token requests.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// The `User-Agent` header (default: `<crate name>/<crate version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Total time limit of one attempt of an API request: connecting,
    /// sending and reading the whole response body. Default: 60 s; `None`
    /// for no limit. Exceeding it gives [`Error::Timeout`] (not retried).
    /// Applies with an injected [`http_client`](Self::http_client) too,
    /// overriding that client's own `timeout`; with `None`, the injected
    /// client's `timeout` (if any) applies. Token requests have their own
    /// limit, [`token_timeout`](Self::token_timeout).
    ///
    /// ```
    /// use std::time::Duration;
    /// use generated_client::runtime::Client;
    ///
    /// let slow = Client::builder().base_url("https://api.example.com").timeout(Duration::from_secs(300));
    /// let unbounded = Client::builder().base_url("https://api.example.com").timeout(None);
    /// # slow.build().unwrap(); unbounded.build().unwrap();
    /// ```
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = Some(timeout.into());
        self
    }

    /// Total time limit of one request to the token endpoint of
    /// [`client_credentials`](Self::client_credentials). Default: 30 s;
    /// `None` for no limit. While a token is being fetched, every request
    /// that needs one waits for it: exceeding the limit fails them all with
    /// [`Error::Auth`] (saying the token request timed out) instead of
    /// letting them hang. Applies with an injected
    /// [`http_client`](Self::http_client) too, like [`timeout`](Self::timeout).
    /// A caller-supplied [`TokenSource`] bounds its own time.
    pub fn token_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.token_timeout = Some(timeout.into());
        self
    }

    /// Time limit for establishing a connection (default 30 s). Cannot be
    /// combined with [`http_client`](Self::http_client): configure the
    /// injected client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The largest response body the client reads, in bytes (default 64 MiB,
    /// 67,108,864 bytes; token responses too). A larger body fails the
    /// request with [`Error::BodyTooLarge`]: at once when its
    /// `Content-Length` says so, otherwise as soon as more has arrived. Use
    /// `usize::MAX` for no limit.
    ///
    /// ```
    /// use generated_client::runtime::Client;
    ///
    /// let client = Client::builder().base_url("https://api.example.com").max_body_size(256 << 20).build().unwrap();
    /// assert!(format!("{client:?}").contains("max_body_size: 268435456"));
    /// ```
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// Uses this HTTP client (proxies, TLS roots, connection pool settings,
    /// ...) instead of building one; token requests use it too.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// A header sent with every request, e.g. `Prefer: dynamic=true` for a
    /// mock server, or a gateway's routing header. The operation's own
    /// headers come first: a header the operation sets keeps the operation's
    /// value. `Authorization` from the credentials, the API key header,
    /// `User-Agent` and the body's `Content-Type` replace a default header of
    /// the same name; `Accept` is the default header's unless the operation
    /// sets one. Calling this again with the same name (case-insensitive)
    /// replaces the value. An invalid name or value fails
    /// [`build`](Self::build) with [`BuildError::InvalidHeader`], which names
    /// the header, never the value; `Debug` shows the names only.
    ///
    /// ```
    /// use generated_client::runtime::Client;
    ///
    /// let client = Client::builder()
    ///     .base_url("http://127.0.0.1:4010")
    ///     .default_header("Prefer", "dynamic=true, seed=7")
    ///     .build()
    ///     .unwrap();
    /// assert!(format!("{client:?}").contains(r#"default_headers: ["prefer"]"#));
    /// ```
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.default_headers
            .retain(|(existing, _)| !existing.eq_ignore_ascii_case(&name));
        self.default_headers.push((name, value.into()));
        self
    }

    /// Shows every HTTP exchange of the client to `observer` (see [`Observer`]):
    /// each attempt that got a response, with credentials redacted. One
    /// observer per client: the last one set is used. `Debug` shows only
    /// that one is set.
    pub fn observer(mut self, observer: impl Observer) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let profile = self.profile;
        // The base URL, and the API root a token endpoint template's `{root}` means.
        // Unless told otherwise, the first server, when each of its variables has a
        // list of values (one of the API's own hosts, by its default); a free-form
        // variable (a tenant, a host name) has only an example for a default, and
        // credentials must not go there.
        let target = match self.target {
            Some(target) => target,
            None => match profile.servers.first() {
                Some(server) if server.variables.iter().all(|v| !v.values.is_empty()) => {
                    Target::Server {
                        index: 0,
                        values: Vec::new(),
                    }
                }
                _ => return Err(BuildError::MissingBaseUrl),
            },
        };
        let (base_url, root) = match target {
            Target::BaseUrl(url) => {
                let base_url = normalize_base_url(&url)?;
                let root = origin(&base_url);
                (base_url, root)
            }
            Target::ApiRoot(root) => {
                let root = normalize_base_url(&root)?;
                let base_url = normalize_base_url(&format!("{root}{}", profile.base_path()))?;
                (base_url, root)
            }
            Target::Server { index, values } => {
                let Some(server) = profile.servers.get(index) else {
                    let name = values.first().map(|(n, _)| n.clone()).unwrap_or_default();
                    return Err(BuildError::InvalidServerVariable {
                        name,
                        reason: "no server of the API has this variable".to_owned(),
                    });
                };
                let url = server_url(server, &values).map_err(|(name, value, reason)| {
                    BuildError::InvalidServerVariable {
                        name,
                        reason: format!("`{value}`: {reason}"),
                    }
                })?;
                let base_url = normalize_base_url(&url)?;
                let path = profile_path(server.url);
                let root = normalize_base_url(base_url.strip_suffix(path).unwrap_or(&base_url))?;
                (base_url, root)
            }
        };
        let default_token_url = profile.token_url.map(|t| t.replace("{root}", &root));
        let user_agent =
            HeaderValue::from_str(self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT))
                .map_err(|_| BuildError::InvalidUserAgent)?;
        let http = match self.http_client {
            Some(client) => {
                if self.connect_timeout.is_some() {
                    return Err(BuildError::Conflict(
                        "connect_timeout cannot be applied to an injected http_client",
                    ));
                }
                client
            }
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(BuildError::Http)?,
        };
        let default_headers = self
            .default_headers
            .iter()
            .map(|(name, value)| {
                let invalid = || BuildError::InvalidHeader { name: name.clone() };
                let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
                let header_value = HeaderValue::from_str(value).map_err(|_| invalid())?;
                Ok((header_name, header_value))
            })
            .collect::<Result<Vec<_>, BuildError>>()?;
        let retry = self.retry_policy.unwrap_or_default();
        let timeout = self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT));
        let token_timeout = self.token_timeout.unwrap_or(Some(DEFAULT_TOKEN_TIMEOUT));
        let max_body_size = self.max_body_size.unwrap_or(DEFAULT_MAX_BODY_SIZE);

        let mut token_url = None;
        let mut basic_password: Option<Secret> = None;
        let auth = match self.credentials {
            None => Auth::None,
            Some(CredentialsConfig::Bearer(token)) => Auth::bearer(&token)?,
            Some(CredentialsConfig::Basic { user, password }) => {
                basic_password = Some(password.clone());
                Auth::basic(&user, &password)?
            }
            Some(CredentialsConfig::Source(source)) => {
                Auth::refreshing(source, "TokenSource(<custom>)".to_owned())
            }
            Some(CredentialsConfig::ClientCredentials {
                client_id,
                client_secret,
            }) => {
                let client_id = client_id.trim();
                if client_id.is_empty() {
                    return Err(BuildError::InvalidClientCredentials("empty client id"));
                }
                let client_secret = client_secret.expose().trim();
                if client_secret.is_empty() {
                    return Err(BuildError::InvalidClientCredentials("empty client secret"));
                }
                let url = match self.token_url.as_ref().or(default_token_url.as_ref()) {
                    // A relative `tokenUrl` is relative to the base URL.
                    Some(url) => Url::parse(&base_url)
                        .and_then(|base| base.join(url))
                        .map_err(|e| e.to_string())
                        .and_then(|joined| check_url(joined.as_str()))
                        .map_err(|reason| BuildError::InvalidTokenUrl {
                            url: redact_url(url),
                            reason,
                        })?,
                    None => return Err(BuildError::MissingTokenUrl),
                };
                token_url = Some(url.as_str().to_owned());
                let source = ClientCredentials {
                    http: http.clone(),
                    token_url: url,
                    client_id: client_id.to_owned(),
                    client_secret: Secret::new(client_secret),
                    user_agent: user_agent.clone(),
                    timeout: token_timeout,
                    retry: retry.clone(),
                    max_body_size,
                };
                Auth::client_credentials(source)
            }
        };
        if self.token_url.is_some() && token_url.is_none() {
            return Err(BuildError::Conflict(
                "token_url only applies to client_credentials",
            ));
        }
        let api_key = match (self.api_key, profile.api_key) {
            (None, _) => None,
            (Some(key), Some(scheme)) => {
                if scheme.location == ApiKeyLocation::Header
                    && HeaderValue::from_str(key.expose()).is_err()
                {
                    return Err(BuildError::InvalidApiKey("not a valid HTTP header value"));
                }
                Some((scheme, key))
            }
            (Some(_), None) => {
                return Err(BuildError::Conflict(
                    "the API has no API key security scheme",
                ));
            }
        };
        let extra_secrets = crate::runtime::auth::secret_needles(
            &[
                api_key.as_ref().map(|(_, k)| k.expose()),
                basic_password.as_ref().map(Secret::expose),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>(),
        );
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                token_url,
                auth,
                retry,
                user_agent,
                timeout,
                token_timeout,
                max_body_size,
                parsed_base: std::sync::OnceLock::new(),
                api_key,
                extra_secrets,
                profile,
                default_headers,
                observer: self.observer,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.target {
            None => None,
            Some(Target::BaseUrl(url)) => Some(format!("base_url={}", redact_url(url))),
            Some(Target::ApiRoot(root)) => Some(format!("api_root={}", redact_url(root))),
            Some(Target::Server { values, .. }) => Some(format!(
                "server({})",
                values
                    .iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        let credentials = match &self.credentials {
            None => None,
            Some(CredentialsConfig::Bearer(_)) => Some("Bearer(<redacted>)".to_owned()),
            Some(CredentialsConfig::ClientCredentials { client_id, .. }) => Some(format!(
                "ClientCredentials {{ client_id: {client_id:?}, client_secret: <redacted> }}"
            )),
            Some(CredentialsConfig::Basic { user, .. }) => {
                Some(format!("Basic {{ user: {user:?}, password: <redacted> }}"))
            }
            Some(CredentialsConfig::Source(_)) => Some("TokenSource(<custom>)".to_owned()),
        };
        f.debug_struct("ClientBuilder")
            .field("target", &target)
            .field("credentials", &credentials)
            .field("api_key", &self.api_key.as_ref().map(|_| REDACTED))
            .field("token_url", &self.token_url.as_deref().map(redact_url))
            .field("retry_policy", &self.retry_policy)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)))
            .field(
                "token_timeout",
                &self.token_timeout.unwrap_or(Some(DEFAULT_TOKEN_TIMEOUT)),
            )
            .field("connect_timeout", &self.connect_timeout)
            .field(
                "max_body_size",
                &self.max_body_size.unwrap_or(DEFAULT_MAX_BODY_SIZE),
            )
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "<custom>"),
            )
            .field("default_headers", &header_names(&self.default_headers))
            .field("observer", &self.observer.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// `scheme://host[:port]` of a URL without trailing slash.
fn origin(url: &str) -> String {
    Url::parse(url).map_or_else(|_| url.to_owned(), |u| u.origin().ascii_serialization())
}

/// The path of a server URL template (`/beta` of `https://{tenant}.x.com/beta`).
fn profile_path(template: &str) -> &str {
    let after_scheme = template.find("://").map_or(0, |i| i + 3);
    match template[after_scheme..].find('/') {
        Some(i) => template[after_scheme + i..].trim_end_matches('/'),
        None => "",
    }
}

/// Parses an absolute `http`/`https` URL without credentials, query or
/// fragment; the error is the reason.
fn check_url(url: &str) -> Result<Url, String> {
    let parsed = Url::parse(url.trim()).map_err(|e| e.to_string())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("the scheme must be http or https".to_owned());
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("no host".to_owned());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("credentials in the URL are not supported".to_owned());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("a query or fragment is not supported".to_owned());
    }
    Ok(parsed)
}

/// `url` (valid or not) as it may be shown in errors and `Debug`: a user
/// name and password (anything before the last `@` ahead of the query) and
/// the query and fragment, which can carry credentials, are replaced by
/// `<redacted>`: `https://<redacted>@host/path?<redacted>`.
fn redact_url(url: &str) -> String {
    let (before_query, query_mark) = match url.find(['?', '#']) {
        Some(at) => (&url[..at], Some(&url[at..=at])),
        None => (url, None),
    };
    let authority = before_query.find("://").map_or(0, |at| at + 3);
    let mut out = String::with_capacity(url.len());
    match before_query[authority..].rfind('@') {
        Some(at) => {
            out.push_str(&before_query[..authority]);
            out.push_str(REDACTED);
            out.push_str(&before_query[authority + at..]);
        }
        None => out.push_str(before_query),
    }
    if let Some(mark) = query_mark {
        out.push_str(mark);
        out.push_str(REDACTED);
    }
    out
}

/// Validates an absolute `http`/`https` base URL and returns it without
/// trailing slash.
fn normalize_base_url(url: &str) -> Result<String, BuildError> {
    let parsed = check_url(url).map_err(|reason| BuildError::InvalidBaseUrl {
        url: redact_url(url),
        reason,
    })?;
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::encode::push_query_pair;

    #[test]
    fn base_urls() {
        assert_eq!(
            normalize_base_url("https://a.example.com/beta/").unwrap(),
            "https://a.example.com/beta"
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(normalize_base_url("ftp://a.example.com").is_err());
        assert!(normalize_base_url("a.example.com/beta").is_err());
        assert!(normalize_base_url("https://u:p@a.example.com").is_err());
        assert!(normalize_base_url("https://a.example.com/?x=1").is_err());
    }

    use crate::runtime::profile::{Server, ServerVariable};

    /// A profile like that of an API addressed by tenant: a tenant variable, the API root as
    /// the environment's base URL, the token endpoint on the root.
    static PROFILE: Profile = Profile {
        name: "Test API",
        servers: &[
            Server {
                url: "https://{tenant}.api.example.com/beta",
                variables: &[ServerVariable {
                    name: "tenant",
                    default: "demo",
                    values: &[],
                }],
            },
            Server {
                url: "https://{apiUrl}/beta",
                variables: &[ServerVariable {
                    name: "apiUrl",
                    default: "demo.api.example.com",
                    values: &[],
                }],
            },
        ],
        env_prefix: Some("TEST"),
        env_base_url_is_root: true,
        token_url: Some("{root}/oauth/token"),
        credentials: &[CredentialKind::ClientCredentials, CredentialKind::Bearer],
        api_key: None,
        tracking_id: Some("trackingId"),
    };

    fn builder() -> ClientBuilder {
        ClientBuilder::new(&PROFILE)
    }

    #[test]
    fn request_urls_are_parsed_as_whole_urls_would_be() {
        static OP: crate::runtime::OperationInfo = crate::runtime::OperationInfo {
            id: "op",
            method: "GET",
            path: "/x",
        };
        for base in [
            "https://acme.api.example.com/beta",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "http://[::1]:3000/api/v2/",
            "https://xn--bcher-kva.example/beta",
            "https://BÜCHER.example:443/Beta%20X",
        ] {
            let client = Client::new(base).unwrap();
            for path in [
                "/sources",
                "sources/a%2Fb",
                "/sources/é ü/{x}",
                "/a/./b/../c",
                "/%2e%2e/x",
                "//evil.example/x",
                "/\\evil.example/x",
                "\\evil.example",
                "/p?q#f",
                "",
            ] {
                for query in [vec![], vec![("filters", "name eq \"a&b\" #1")]] {
                    let mut req = Request::new(&OP, path.to_owned());
                    for (name, value) in &query {
                        req.query(name, *value);
                    }
                    let url = client.url(&req).map(|u| u.to_string()).map_err(|_| ());
                    let mut whole = client.inner.base_url.clone();
                    if !path.starts_with('/') {
                        whole.push('/');
                    }
                    whole.push_str(path);
                    if !query.is_empty() {
                        let mut pairs = String::new();
                        for (name, value) in &query {
                            push_query_pair(&mut pairs, name, value);
                        }
                        whole.push('?');
                        whole.push_str(&pairs);
                    }
                    let expected = Url::parse(&whole).map(|u| u.to_string()).map_err(|_| ());
                    assert_eq!(url, expected, "{base} + {path:?} + {query:?}");
                }
            }
        }
        let client = Client::new("https://a.example.com/beta").unwrap();
        let url = client.url(&Request::new(&OP, "//evil.example/x".into()));
        assert_eq!(
            url.ok().and_then(|u| u.host_str().map(str::to_owned)),
            Some("a.example.com".to_owned())
        );
    }

    #[test]
    fn server_variables() {
        let client = builder()
            .server_variable("tenant", "acme-1")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://acme-1.api.example.com/beta");
        let client = builder()
            .server_variable("apiUrl", "acme.api.example.com")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://acme.api.example.com/beta");
        assert!(matches!(
            builder().server_variable("tenant", "evil.com/x").build(),
            Err(BuildError::InvalidServerVariable { .. })
        ));
        assert!(matches!(
            builder().server_variable("nope", "x").build(),
            Err(BuildError::InvalidServerVariable { .. })
        ));
        // The first server has a free-form variable: no default base URL.
        assert!(matches!(builder().build(), Err(BuildError::MissingBaseUrl)));
        // Variables with lists of values: their defaults make the default.
        static REGIONS: Profile = Profile {
            servers: &[Server {
                url: "https://{region}.api.example.com/v2",
                variables: &[ServerVariable {
                    name: "region",
                    default: "eu",
                    values: &["eu", "us"],
                }],
            }],
            ..Profile::GENERIC
        };
        let client = ClientBuilder::new(&REGIONS).build().unwrap();
        assert_eq!(client.base_url(), "https://eu.api.example.com/v2");
        let client = ClientBuilder::new(&REGIONS)
            .server_variable("region", "us")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://us.api.example.com/v2");
        // A server without variables is the default.
        static PLAIN: Profile = Profile {
            servers: &[Server {
                url: "https://api.example.com/v3/",
                variables: &[],
            }],
            ..Profile::GENERIC
        };
        let client = ClientBuilder::new(&PLAIN).build().unwrap();
        assert_eq!(client.base_url(), "https://api.example.com/v3");
        let client = builder()
            .api_root("https://proxy.example.com/isc/")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://proxy.example.com/isc/beta");
    }

    #[test]
    fn token_urls() {
        let token_url = |builder: ClientBuilder| {
            builder
                .client_credentials("id", "secret")
                .build()
                .unwrap()
                .token_url()
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            token_url(builder().server_variable("tenant", "acme")),
            "https://acme.api.example.com/oauth/token"
        );
        assert_eq!(
            token_url(builder().base_url("http://127.0.0.1:8080/beta/")),
            "http://127.0.0.1:8080/oauth/token"
        );
        assert_eq!(
            token_url(builder().base_url("https://proxy.example.com/isc/beta")),
            "https://proxy.example.com/oauth/token"
        );
        assert_eq!(
            token_url(
                builder()
                    .server_variable("tenant", "acme")
                    .token_url("https://login.example.com/oauth/token")
            ),
            "https://login.example.com/oauth/token"
        );
        let env = |name: &str| match name {
            "TEST_BASE_URL" => Some("https://proxy.example.com/isc/".to_owned()),
            _ => Some(format!("value of {name}")),
        };
        let client = ClientBuilder::from_env_with(&PROFILE, env)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://proxy.example.com/isc/beta");
        assert_eq!(
            client.token_url(),
            Some("https://proxy.example.com/isc/oauth/token")
        );
        assert!(matches!(
            builder()
                .server_variable("tenant", "acme")
                .token_url("https://x.example.com/t?secret=1")
                .client_credentials("id", "s")
                .build(),
            Err(BuildError::InvalidTokenUrl { .. })
        ));
        assert!(matches!(
            builder()
                .server_variable("tenant", "acme")
                .token_url("https://x.example.com/t")
                .build(),
            Err(BuildError::Conflict(_))
        ));
        assert!(matches!(
            builder()
                .server_variable("tenant", "acme")
                .client_credentials("id", "  ")
                .build(),
            Err(BuildError::InvalidClientCredentials("empty client secret"))
        ));
        assert_eq!(
            builder()
                .server_variable("tenant", "acme")
                .build()
                .unwrap()
                .token_url(),
            None
        );
        // No token endpoint known: say so.
        assert!(matches!(
            Client::builder()
                .base_url("https://a.example.com")
                .client_credentials("id", "secret")
                .build(),
            Err(BuildError::MissingTokenUrl)
        ));
        // A relative `tokenUrl` is relative to the base URL.
        static RELATIVE: Profile = Profile {
            token_url: Some("oauth/token"),
            ..Profile::GENERIC
        };
        let client = ClientBuilder::new(&RELATIVE)
            .base_url("https://a.example.com/api/")
            .client_credentials("id", "secret")
            .build()
            .unwrap();
        assert_eq!(
            client.token_url(),
            Some("https://a.example.com/oauth/token")
        );
    }

    #[test]
    fn from_env_names_what_is_missing() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let missing = |r: Result<ClientBuilder, BuildError>| match r {
            Err(BuildError::MissingEnv(names)) => names,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            missing(ClientBuilder::from_env_with(
                &PROFILE,
                vars(&[("TEST_BASE_URL", "https://acme.api.example.com/")])
            )),
            ["TEST_CLIENT_ID", "TEST_CLIENT_SECRET"]
        );
        assert_eq!(
            missing(ClientBuilder::from_env_with(
                &PROFILE,
                vars(&[("TEST_CLIENT_ID", "id")])
            )),
            ["TEST_BASE_URL", "TEST_CLIENT_SECRET"]
        );
        // Another kind of credentials the profile accepts.
        let client = ClientBuilder::from_env_with(
            &PROFILE,
            vars(&[
                ("TEST_BASE_URL", "https://acme.example.com"),
                ("TEST_TOKEN", "t"),
            ]),
        )
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "https://acme.example.com/beta");
        assert!(matches!(
            ClientBuilder::from_env_with(&Profile::GENERIC, vars(&[])),
            Err(BuildError::Conflict(_))
        ));
    }

    #[test]
    fn urls_are_redacted() {
        for (given, shown) in [
            ("https://a.example.com/beta", "https://a.example.com/beta"),
            (
                "https://user:pass@a.example.com/beta",
                "https://<redacted>@a.example.com/beta",
            ),
            (
                "https://a.example.com/t?client_secret=x#frag",
                "https://a.example.com/t?<redacted>",
            ),
            (
                "https://a.example.com/t#frag?x",
                "https://a.example.com/t#<redacted>",
            ),
            ("user:p@ss@host/x?y", "<redacted>@host/x?<redacted>"),
            ("not a url", "not a url"),
        ] {
            assert_eq!(redact_url(given), shown, "{given}");
        }
    }

    #[test]
    fn bearer_token_validation_does_not_leak() {
        let err = Client::builder()
            .base_url("https://a.example.com")
            .bearer_token("secret\nvalue")
            .build()
            .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("secret"));
        let builder = Client::builder()
            .base_url("https://a.example.com")
            .bearer_token("s3cr3t-token");
        assert!(!format!("{builder:?}").contains("s3cr3t"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("s3cr3t"));
    }
}
