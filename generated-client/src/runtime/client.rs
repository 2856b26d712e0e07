//! The API client and its builder.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use tokio::time::Instant;
use tracing::Instrument;

use crate::runtime::auth::{Auth, Authorization, ClientCredentials, REDACTED, Secret, TokenSource};
use crate::runtime::error::{AuthError, BuildError, Error, SerializeError};
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
/// The API root of the tenant (`https://{tenant}.api.identitynow.com`).
const ENV_BASE_URL: &str = "SAIL_BASE_URL";
/// The client id of the OAuth2 client credentials.
const ENV_CLIENT_ID: &str = "SAIL_CLIENT_ID";
/// The client secret of the OAuth2 client credentials.
const ENV_CLIENT_SECRET: &str = "SAIL_CLIENT_SECRET";

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
    /// Absolute base URL without trailing slash, e.g. `https://acme.api.identitynow.com/beta`.
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

    /// A client configured from `SAIL_BASE_URL`, `SAIL_CLIENT_ID` and
    /// `SAIL_CLIENT_SECRET`, with the default retry policy; see
    /// [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Client, BuildError> {
        ClientBuilder::from_env()?.build()
    }

    /// The base URL, without trailing slash (e.g. `https://acme.api.identitynow.com/beta`).
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
    /// percent-encoded query pairs. Headers: the request's own, then
    /// `Authorization` from the configured credentials, `Accept:
    /// application/json` unless the request sets `Accept`, and `User-Agent`.
    ///
    /// With client credentials or a token source, a `401` answer makes the
    /// client refresh the token once and send the request again.
    ///
    /// The status is *not* interpreted otherwise: any final answer from the
    /// server is `Ok` (after retries, the last one). Fails with
    /// [`Error::Timeout`] or [`Error::Transport`] when no answer was received,
    /// [`Error::BodyTooLarge`] when the body is larger than
    /// [`max_body_size`](ClientBuilder::max_body_size),
    /// [`Error::Serialize`] when the request cannot be encoded, and
    /// [`Error::Auth`] when credentials cannot be obtained.
    ///
    /// Runs in a `tracing` span `http_request` with the fields `op`,
    /// `method`, `path` (the template, e.g. `/sources/{id}`: never ids or
    /// query strings), `attempt`, `status` and `elapsed_ms`.
    pub async fn execute<E>(&self, req: Request) -> Result<RawResponse, Error<E>> {
        // Non-generic inner function: one copy of the state machine for all
        // operations.
        self.execute_raw(req).await.map_err(Failure::into_error)
    }

    /// Sends the request of a generated operation and decodes the answer.
    ///
    /// `build` makes the request; it runs at once, so the returned future
    /// borrows only the client, not the arguments. `decode` maps the
    /// final response (see [`execute`](Self::execute)) to the operation's typed
    /// result. Generated operation methods are plain functions that return this
    /// future, so the crate holds one async state machine for all operations
    /// instead of one per operation. Nothing is sent until the future is polled;
    /// an error from `build` is its output.
    pub fn send_request<T, E>(
        &self,
        build: impl FnOnce() -> Result<Request, SerializeError>,
        decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    ) -> ResponseFuture<'_, T, E>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let req = build();
        Box::pin(async move {
            let resp = self.execute(req?).await?;
            decode(resp)
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
                Ok(RawResponse::read(req.op, status, headers, body)
                    .with_sent(self.inner.auth.sent(authorization)))
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
        let mut headers = HeaderMap::with_capacity(req.headers.len() + 4);
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
        if let Some(authorization) = authorization {
            headers.insert(AUTHORIZATION, authorization);
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
            .finish_non_exhaustive()
    }
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
    /// The base URL of the API; the token endpoint is `/oauth/token` on its origin.
    BaseUrl(String),
    /// A tenant of `api.identitynow.com`.
    Tenant(String),
    /// An API root as in `SAIL_BASE_URL`: the API is at `{root}/beta`, the
    /// token endpoint at `{root}/oauth/token`.
    ApiRoot(String),
}

/// How the client authenticates, as configured.
#[derive(Clone)]
enum CredentialsConfig {
    Bearer(Secret),
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    Source(Arc<dyn TokenSource>),
}

/// Builder for [`Client`]. `Debug` output never contains the token or the
/// client secret.
///
/// Of [`bearer_token`](Self::bearer_token),
/// [`client_credentials`](Self::client_credentials) and
/// [`token_source`](Self::token_source), the last one called wins; likewise
/// for [`base_url`](Self::base_url) and [`tenant`](Self::tenant).
#[derive(Default, Clone)]
pub struct ClientBuilder {
    target: Option<Target>,
    credentials: Option<CredentialsConfig>,
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
}

impl ClientBuilder {
    /// A builder configured from the environment variables SailPoint's SDKs
    /// use: `SAIL_BASE_URL` (the API root, e.g.
    /// `https://acme.api.identitynow.com`), `SAIL_CLIENT_ID` and
    /// `SAIL_CLIENT_SECRET` (OAuth2 client credentials).
    ///
    /// The base URL becomes `{SAIL_BASE_URL}/beta` and the token endpoint
    /// `{SAIL_BASE_URL}/oauth/token` (a trailing slash is removed). Fails
    /// with [`BuildError::MissingEnv`] naming every variable that is unset
    /// or empty, or [`BuildError::InvalidEnv`] for an unusable URL.
    pub fn from_env() -> Result<ClientBuilder, BuildError> {
        ClientBuilder::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables with `lookup`
    /// instead of from the process environment (for tests, or other
    /// configuration stores).
    ///
    /// ```
    /// use generated_client::runtime::{BuildError, ClientBuilder};
    ///
    /// let vars = [("SAIL_BASE_URL", "https://acme.api.identitynow.com/")];
    /// let lookup = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string());
    /// match ClientBuilder::from_env_with(lookup) {
    ///     Err(BuildError::MissingEnv(names)) => assert_eq!(names, ["SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"]),
    ///     other => panic!("{other:?}"),
    /// }
    /// ```
    pub fn from_env_with(
        mut lookup: impl FnMut(&str) -> Option<String>,
    ) -> Result<ClientBuilder, BuildError> {
        let [root, client_id, client_secret] = [ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET]
            .map(|name| {
                let value = lookup(name).map(|v| v.trim().to_owned());
                (name, value.filter(|v| !v.is_empty()))
            });
        let missing: Vec<&'static str> = [&root, &client_id, &client_secret]
            .into_iter()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| *name)
            .collect();
        let (Some(root), Some(client_id), Some(client_secret)) =
            (root.1, client_id.1, client_secret.1)
        else {
            return Err(BuildError::MissingEnv(missing));
        };
        let root = normalize_base_url(&root).map_err(|e| BuildError::InvalidEnv {
            name: ENV_BASE_URL,
            reason: e.to_string(),
        })?;
        Ok(ClientBuilder {
            target: Some(Target::ApiRoot(root)),
            ..ClientBuilder::default()
        }
        .client_credentials(client_id, client_secret))
    }

    /// The base URL, e.g. `https://acme.api.identitynow.com/beta`. A trailing
    /// slash is removed; a base path such as `/beta` is kept. Replaces an
    /// earlier [`tenant`](Self::tenant). With client credentials, the token
    /// endpoint defaults to `/oauth/token` on the same origin.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.target = Some(Target::BaseUrl(url.into()));
        self
    }

    /// The tenant: the base URL becomes
    /// `https://{tenant}.api.identitynow.com/beta` and the token endpoint
    /// `https://{tenant}.api.identitynow.com/oauth/token`. Replaces an
    /// earlier [`base_url`](Self::base_url).
    pub fn tenant(mut self, name: impl Into<String>) -> Self {
        self.target = Some(Target::Tenant(name.into()));
        self
    }

    /// A static bearer token (e.g. a personal access token), sent as
    /// `Authorization: Bearer <token>` on every request. It cannot be
    /// refreshed: a `401` is returned to the caller.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(CredentialsConfig::Bearer(Secret::new(token)));
        self
    }

    /// OAuth2 client credentials (SailPoint's `applicationAuth`, e.g. a
    /// personal access token's client id and secret): the client posts
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
    /// [`client_credentials`](Self::client_credentials). Default: for
    /// [`tenant`](Self::tenant), `https://{tenant}.api.identitynow.com/oauth/token`;
    /// for [`from_env`](Self::from_env), `{SAIL_BASE_URL}/oauth/token`; for
    /// [`base_url`](Self::base_url), `/oauth/token` on the base URL's origin.
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
    /// let slow = Client::builder().tenant("acme").timeout(Duration::from_secs(300));
    /// let unbounded = Client::builder().tenant("acme").timeout(None);
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
    /// let client = Client::builder().tenant("acme").max_body_size(256 << 20).build().unwrap();
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

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let (base_url, default_token_url) = match self.target {
            None => return Err(BuildError::MissingBaseUrl),
            Some(Target::BaseUrl(url)) => {
                let base_url = normalize_base_url(&url)?;
                let token_url = Url::parse(&base_url)
                    .and_then(|base| base.join("/oauth/token"))
                    .map_err(|e| BuildError::InvalidBaseUrl {
                        url: redact_url(&url),
                        reason: e.to_string(),
                    })?;
                (base_url, token_url)
            }
            Some(Target::Tenant(tenant)) => {
                let valid = !tenant.is_empty()
                    && tenant
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !valid {
                    return Err(BuildError::InvalidTenant(tenant));
                }
                let root = format!("https://{tenant}.api.identitynow.com");
                api_root_urls(&root)?
            }
            Some(Target::ApiRoot(root)) => api_root_urls(&normalize_base_url(&root)?)?,
        };
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
        let retry = self.retry_policy.unwrap_or_default();
        let timeout = self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT));
        let token_timeout = self.token_timeout.unwrap_or(Some(DEFAULT_TOKEN_TIMEOUT));
        let max_body_size = self.max_body_size.unwrap_or(DEFAULT_MAX_BODY_SIZE);

        let mut token_url = None;
        let auth = match self.credentials {
            None => Auth::None,
            Some(CredentialsConfig::Bearer(token)) => Auth::bearer(&token)?,
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
                let url = match &self.token_url {
                    Some(url) => check_url(url).map_err(|reason| BuildError::InvalidTokenUrl {
                        url: redact_url(url),
                        reason,
                    })?,
                    None => default_token_url,
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
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.target {
            None => None,
            Some(Target::BaseUrl(url)) => Some(format!("base_url={}", redact_url(url))),
            Some(Target::Tenant(tenant)) => Some(format!("tenant={tenant}")),
            Some(Target::ApiRoot(root)) => Some(format!("api_root={}", redact_url(root))),
        };
        let credentials = match &self.credentials {
            None => None,
            Some(CredentialsConfig::Bearer(_)) => Some("Bearer(<redacted>)".to_owned()),
            Some(CredentialsConfig::ClientCredentials { client_id, .. }) => Some(format!(
                "ClientCredentials {{ client_id: {client_id:?}, client_secret: <redacted> }}"
            )),
            Some(CredentialsConfig::Source(_)) => Some("TokenSource(<custom>)".to_owned()),
        };
        f.debug_struct("ClientBuilder")
            .field("target", &target)
            .field("credentials", &credentials)
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
            .finish()
    }
}

/// The base URL (`{root}/beta`) and token URL (`{root}/oauth/token`) of an
/// API root without trailing slash.
fn api_root_urls(root: &str) -> Result<(String, Url), BuildError> {
    let base_url = normalize_base_url(&format!("{root}/beta"))?;
    let token_url = format!("{root}/oauth/token");
    let token_url = check_url(&token_url).map_err(|reason| BuildError::InvalidTokenUrl {
        url: redact_url(&token_url),
        reason,
    })?;
    Ok((base_url, token_url))
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

    #[test]
    fn request_urls_are_parsed_as_whole_urls_would_be() {
        static OP: crate::runtime::OperationInfo = crate::runtime::OperationInfo {
            id: "op",
            method: "GET",
            path: "/x",
        };
        for base in [
            "https://acme.api.identitynow.com/beta",
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
    fn tenant_url() {
        let client = Client::builder().tenant("acme-1").build().unwrap();
        assert_eq!(client.base_url(), "https://acme-1.api.identitynow.com/beta");
        assert!(matches!(
            Client::builder().tenant("evil.com/x").build(),
            Err(BuildError::InvalidTenant(_))
        ));
        assert!(matches!(
            Client::builder().build(),
            Err(BuildError::MissingBaseUrl)
        ));
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
            token_url(Client::builder().tenant("acme")),
            "https://acme.api.identitynow.com/oauth/token"
        );
        assert_eq!(
            token_url(Client::builder().base_url("http://127.0.0.1:8080/beta/")),
            "http://127.0.0.1:8080/oauth/token"
        );
        assert_eq!(
            token_url(Client::builder().base_url("https://proxy.example.com/isc/beta")),
            "https://proxy.example.com/oauth/token"
        );
        assert_eq!(
            token_url(
                Client::builder()
                    .tenant("acme")
                    .token_url("https://login.example.com/oauth/token")
            ),
            "https://login.example.com/oauth/token"
        );
        let env = |name: &str| match name {
            "SAIL_BASE_URL" => Some("https://proxy.example.com/isc/".to_owned()),
            _ => Some(format!("value of {name}")),
        };
        let client = ClientBuilder::from_env_with(env).unwrap().build().unwrap();
        assert_eq!(client.base_url(), "https://proxy.example.com/isc/beta");
        assert_eq!(
            client.token_url(),
            Some("https://proxy.example.com/isc/oauth/token")
        );
        assert!(matches!(
            Client::builder()
                .tenant("acme")
                .token_url("https://x.example.com/t?secret=1")
                .client_credentials("id", "s")
                .build(),
            Err(BuildError::InvalidTokenUrl { .. })
        ));
        assert!(matches!(
            Client::builder()
                .tenant("acme")
                .token_url("https://x.example.com/t")
                .build(),
            Err(BuildError::Conflict(_))
        ));
        assert!(matches!(
            Client::builder()
                .tenant("acme")
                .client_credentials("id", "  ")
                .build(),
            Err(BuildError::InvalidClientCredentials("empty client secret"))
        ));
        assert_eq!(
            Client::builder()
                .tenant("acme")
                .build()
                .unwrap()
                .token_url(),
            None
        );
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
