//! The API client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};

use crate::runtime::auth::Credentials;
use crate::runtime::encode::push_query_pair;
use crate::runtime::error::{AuthError, BuildError, Error, SerializeError};
use crate::runtime::request::{Body, Request};
use crate::runtime::response::RawResponse;

/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] is used.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// Connect timeout of the built-in HTTP client unless configured.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// `Accept` sent when the request has none.
const DEFAULT_ACCEPT: &str = "application/json";

/// The API client.
///
/// Cheap to clone (the state is shared behind an `Arc`). Generated code adds
/// one method per operation with `impl crate::runtime::Client { ... }` blocks.
/// `Debug` output never contains credentials.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Absolute base URL without trailing slash, e.g. `https://acme.api.identitynow.com/beta`.
    base_url: String,
    credentials: Credentials,
    user_agent: HeaderValue,
    /// Total time limit of one attempt (send + read body).
    timeout: Option<Duration>,
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

    /// The base URL, without trailing slash (e.g. `https://acme.api.identitynow.com/beta`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and reads the whole response body.
    ///
    /// The URL is the base URL followed by the request path, plus the
    /// percent-encoded query pairs. Headers: the request's own, then
    /// `Authorization` from the configured credentials, `Accept:
    /// application/json` unless the request sets `Accept`, and `User-Agent`.
    ///
    /// The status is *not* interpreted: any answer from the server is `Ok`.
    /// Fails with [`Error::Timeout`] or [`Error::Transport`] when no answer
    /// was received, [`Error::Serialize`] when the request cannot be encoded,
    /// and [`Error::Auth`] when credentials cannot be obtained.
    pub async fn execute<E>(&self, req: Request) -> Result<RawResponse, Error<E>> {
        // Non-generic inner function: one copy of the state machine for all
        // operations.
        self.execute_raw(req).await.map_err(Failure::into_error)
    }

    async fn execute_raw(&self, req: Request) -> Result<RawResponse, Failure> {
        let url = self.url(&req)?;
        // One attempt. A retry policy (429 Retry-After, 502/503/504 with
        // backoff) loops here around `attempt`, which rebuilds the HTTP
        // request and asks the credentials for a header every time.
        self.attempt(&req, &url).await
    }

    async fn attempt(&self, req: &Request, url: &Url) -> Result<RawResponse, Failure> {
        let op = req.op.id;
        let authorization = self
            .inner
            .credentials
            .authorization()
            .await
            .map_err(Failure::Auth)?;
        let request = self.build_request(req, url, authorization)?;

        let started = Instant::now();
        let result = self.send(request).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match result {
            Ok((status, headers, body)) => {
                tracing::debug!(
                    op,
                    method = %req.method,
                    path = %req.path,
                    status,
                    elapsed_ms,
                    bytes = body.len(),
                    "HTTP request completed"
                );
                Ok(RawResponse::new(req.op, status, headers, body))
            }
            Err(source) => {
                let timeout = source.is_timeout();
                tracing::debug!(
                    op,
                    method = %req.method,
                    path = %req.path,
                    elapsed_ms,
                    timeout,
                    error = %source,
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

    async fn send(
        &self,
        request: reqwest::Request,
    ) -> Result<(u16, HeaderMap, bytes::Bytes), reqwest::Error> {
        let mut response = self.inner.http.execute(request).await?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok((status, headers, body))
    }

    fn url(&self, req: &Request) -> Result<Url, Failure> {
        let mut url = String::with_capacity(self.inner.base_url.len() + req.path.len() + 64);
        url.push_str(&self.inner.base_url);
        if !req.path.starts_with('/') {
            url.push('/');
        }
        url.push_str(&req.path);
        if !req.query.is_empty() {
            let mut query = String::new();
            for (name, value) in &req.query {
                push_query_pair(&mut query, name, value);
            }
            url.push('?');
            url.push_str(&query);
        }
        Url::parse(&url).map_err(|e| {
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

        let mut builder = self
            .inner
            .http
            .request(req.method.clone(), url.clone())
            .headers(headers);
        if let Some(timeout) = self.inner.timeout {
            builder = builder.timeout(timeout);
        }
        builder = match &req.body {
            Body::Empty => builder,
            Body::Bytes { data, content_type } => {
                let content_type = HeaderValue::from_str(content_type).map_err(|_| {
                    Failure::Serialize(SerializeError::new(
                        op,
                        format!("invalid content type `{content_type}`"),
                    ))
                })?;
                builder
                    .header(CONTENT_TYPE, content_type)
                    .body(data.clone())
            }
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
                    form = form.part(part.name, converted);
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

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
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
    Serialize(SerializeError),
    Auth(AuthError),
}

impl Failure {
    fn into_error<E>(self) -> Error<E> {
        match self {
            Failure::Timeout { op, source } => Error::Timeout { op, source },
            Failure::Transport { op, source } => Error::Transport { op, source },
            Failure::Serialize(e) => Error::Serialize(e),
            Failure::Auth(e) => Error::Auth(e),
        }
    }
}

/// Where the client sends requests.
#[derive(Clone)]
enum Target {
    BaseUrl(String),
    Tenant(String),
}

/// Builder for [`Client`]. `Debug` output never contains the token.
#[derive(Default, Clone)]
pub struct ClientBuilder {
    target: Option<Target>,
    bearer_token: Option<String>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// The base URL, e.g. `https://acme.api.identitynow.com/beta`. A trailing
    /// slash is removed; a base path such as `/beta` is kept. Replaces an
    /// earlier [`tenant`](Self::tenant).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.target = Some(Target::BaseUrl(url.into()));
        self
    }

    /// The tenant: the base URL becomes
    /// `https://{tenant}.api.identitynow.com/beta`. Replaces an earlier
    /// [`base_url`](Self::base_url).
    pub fn tenant(mut self, name: impl Into<String>) -> Self {
        self.target = Some(Target::Tenant(name.into()));
        self
    }

    /// A static bearer token (e.g. a personal access token), sent as
    /// `Authorization: Bearer <token>` on every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// The `User-Agent` header (default: `<crate name>/<crate version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Total time limit of a request: connecting, sending and reading the
    /// whole response body. Default: none. Exceeding it gives
    /// [`Error::Timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit for establishing a connection (default 30 s). Cannot be
    /// combined with [`http_client`](Self::http_client): configure the
    /// injected client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Uses this HTTP client (proxies, TLS roots, connection pool settings,
    /// ...) instead of building one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = match self.target {
            None => return Err(BuildError::MissingBaseUrl),
            Some(Target::BaseUrl(url)) => normalize_base_url(&url)?,
            Some(Target::Tenant(tenant)) => {
                let valid = !tenant.is_empty()
                    && tenant
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !valid {
                    return Err(BuildError::InvalidTenant(tenant));
                }
                normalize_base_url(&format!("https://{tenant}.api.identitynow.com/beta"))?
            }
        };
        let credentials = match &self.bearer_token {
            Some(token) => Credentials::bearer(token)?,
            None => Credentials::None,
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
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials,
                user_agent,
                timeout: self.timeout,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.target {
            None => None,
            Some(Target::BaseUrl(url)) => Some(format!("base_url={url}")),
            Some(Target::Tenant(tenant)) => Some(format!("tenant={tenant}")),
        };
        f.debug_struct("ClientBuilder")
            .field("target", &target)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "<custom>"),
            )
            .finish()
    }
}

/// Validates an absolute `http`/`https` base URL and returns it without
/// trailing slash.
fn normalize_base_url(url: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = Url::parse(url.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("credentials in the URL are not supported"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL cannot have a query or fragment"));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

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
