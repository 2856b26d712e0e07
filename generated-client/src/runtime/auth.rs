//! Credentials: how the `Authorization` header of each attempt is obtained.
//!
//! Three kinds of credentials share one path through [`Client::execute`](crate::runtime::Client::execute):
//!
//! * a static `Authorization` header (a bearer token such as a personal
//!   access token, or HTTP basic credentials): sent as is, never refreshed; a
//!   `401` is returned to the caller;
//! * OAuth2 client credentials: tokens are
//!   fetched from the token endpoint by [`ClientCredentials`], a
//!   [`TokenSource`];
//! * any caller-supplied [`TokenSource`].
//!
//! Tokens from a source are cached by the client ([`TokenCache`]): refreshed
//! shortly before they expire, fetched once for any number of concurrent
//! requests (single flight, whatever the token's lifetime: every request that
//! waited for a fetch uses the token it brought, even one with `expires_in:
//! 0`), and refreshed once with `force_refresh = true` when the API answers
//! `401`.
//!
//! Secrets are held in [`Secret`], whose `Debug` output is `<redacted>`. A
//! response that echoes the credentials sent with its request (a careless
//! gateway quoting the bearer token, say) has them replaced by `<redacted>`
//! before an error keeps any of it ([`Sent`]).

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex as StdMutex, MutexGuard};
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, HeaderValue, USER_AGENT};
use tokio::time::Instant;

use crate::runtime::encode::one_line;
use crate::runtime::error::{AuthError, BuildError};
use crate::runtime::response::{ReadError, read_body};
use crate::runtime::retry::{Observed, RetryPolicy, RetryReason, Step, parse_retry_after};

/// Refresh a cached token this long before it expires, at most.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// How many characters of a token endpoint's error body an [`AuthError`] shows.
const TOKEN_ERROR_BODY_CHARS: usize = 200;
/// Replaces secrets in error messages.
pub(crate) const REDACTED: &str = "<redacted>";

/// A secret string (client secret, access token). `Debug` prints
/// `<redacted>`; there is deliberately no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Box<str>);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into().into_boxed_str())
    }

    /// The secret itself. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// An access token and when it expires, as returned by a [`TokenSource`].
/// `Debug` never shows the token.
#[derive(Clone)]
pub struct AccessToken {
    token: Secret,
    expires_at: Option<Instant>,
}

impl AccessToken {
    /// A token without known expiry: the client keeps using it until the API
    /// answers `401`.
    pub fn new(token: impl Into<String>) -> AccessToken {
        AccessToken {
            token: Secret::new(token),
            expires_at: None,
        }
    }

    /// A token that expires `expires_in` from now (measured with tokio's
    /// clock). The client refreshes it shortly before: 60 s or 10% of
    /// `expires_in` early, whichever is smaller, so a token with any lifetime
    /// at all is fresh when it arrives. However short its lifetime (even
    /// zero), the requests that waited for the fetch that brought it use it;
    /// requests after it expired fetch a new one. An `expires_in` too large
    /// for the clock (centuries) means no known expiry, as with
    /// [`new`](Self::new).
    pub fn expiring_in(token: impl Into<String>, expires_in: Duration) -> AccessToken {
        let token = AccessToken::new(token);
        match Instant::now().checked_add(expires_in) {
            Some(expires_at) => token.with_expires_at(expires_at),
            None => token,
        }
    }

    /// Sets the instant (tokio's clock) at which the token expires.
    pub fn with_expires_at(mut self, expires_at: Instant) -> AccessToken {
        self.expires_at = Some(expires_at);
        self
    }

    /// The token itself. Never log it.
    pub fn secret(&self) -> &str {
        self.token.expose()
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<Instant> {
        self.expires_at
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expires_in = self
            .expires_at
            .map(|at| at.saturating_duration_since(Instant::now()));
        f.debug_struct("AccessToken")
            .field("token", &self.token)
            .field("expires_in", &expires_in)
            .finish()
    }
}

/// The future returned by [`TokenSource::token`].
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + 'a>>;

/// A caller-supplied source of access tokens, set with
/// [`ClientBuilder::token_source`](crate::runtime::ClientBuilder::token_source).
///
/// The client caches the returned token and calls [`token`](Self::token)
/// again only when it is about to expire (`force_refresh = false`) or after
/// the API answered `401` with it (`force_refresh = true`: a source with a
/// cache of its own must not return the same token again). Calls are never
/// concurrent for one client.
///
/// Closures `Fn(bool) -> impl Future<Output = Result<AccessToken, AuthError>>`
/// implement this trait:
///
/// ```no_run
/// use generated_client::runtime::{AccessToken, AuthError, Client};
///
/// # fn demo() -> Result<(), generated_client::runtime::BuildError> {
/// let client = Client::builder()
///     .base_url("https://api.example.com/v1")
///     .token_source(|_force_refresh: bool| async {
///         let token = std::env::var("API_TOKEN").map_err(|_| AuthError::new("API_TOKEN is not set"))?;
///         Ok::<_, AuthError>(AccessToken::new(token))
///     })
///     .build()?;
/// # Ok(())
/// # }
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// Obtains a token. Errors become [`Error::Auth`](crate::runtime::Error::Auth)
    /// of the request that needed the token; their messages must not contain
    /// secrets.
    fn token(&self, force_refresh: bool) -> TokenFuture<'_>;
}

impl<F, Fut> TokenSource for F
where
    F: Fn(bool) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AccessToken, AuthError>> + Send + 'static,
{
    fn token(&self, force_refresh: bool) -> TokenFuture<'_> {
        Box::pin(self(force_refresh))
    }
}

/// The credentials of a client. `Debug` never shows secrets.
#[derive(Clone)]
pub(crate) enum Auth {
    /// No `Authorization` header.
    None,
    /// A static bearer token (e.g. a personal access token), kept as a
    /// ready-made, sensitive-marked `Bearer ...` header value.
    Static(HeaderValue),
    /// Tokens from a source, cached and refreshed.
    Refreshing(Arc<TokenCache>),
}

/// The `Authorization` header for one attempt, and which cached token it came
/// from (to refresh only once after concurrent `401`s).
pub(crate) struct Authorization {
    pub(crate) header: Option<HeaderValue>,
    generation: u64,
}

impl Auth {
    /// Static bearer token credentials.
    pub(crate) fn bearer(token: &Secret) -> Result<Auth, BuildError> {
        let token = token.expose().trim();
        if token.is_empty() {
            return Err(BuildError::InvalidBearerToken("empty"));
        }
        let value = bearer_header(token).ok_or(BuildError::InvalidBearerToken(
            "not a valid HTTP header value",
        ))?;
        Ok(Auth::Static(value))
    }

    /// HTTP basic credentials, kept as a ready-made, sensitive-marked `Basic ...`
    /// header value.
    pub(crate) fn basic(user: &str, password: &Secret) -> Result<Auth, BuildError> {
        use base64::Engine as _;
        if user.contains(':') {
            return Err(BuildError::InvalidClientCredentials(
                "a basic-auth user name cannot contain `:`",
            ));
        }
        let encoded = base64::engine::general_purpose::STANDARD
            .encode(format!("{user}:{}", password.expose()));
        let mut value = HeaderValue::from_str(&format!("Basic {encoded}"))
            .map_err(|_| BuildError::InvalidClientCredentials("not a valid HTTP header value"))?;
        value.set_sensitive(true);
        Ok(Auth::Static(value))
    }

    /// Credentials from a token source.
    pub(crate) fn refreshing(source: Arc<dyn TokenSource>, label: String) -> Auth {
        Auth::Refreshing(Arc::new(TokenCache::new(source, label)))
    }

    /// The `Authorization` header value for the next attempt, if any.
    pub(crate) async fn authorization(&self) -> Result<Authorization, AuthError> {
        match self {
            Auth::None => Ok(Authorization {
                header: None,
                generation: 0,
            }),
            Auth::Static(value) => Ok(Authorization {
                header: Some(value.clone()),
                generation: 0,
            }),
            Auth::Refreshing(cache) => cache.authorization().await,
        }
    }

    /// Client credentials: tokens from `source`, whose client secret is
    /// redacted from the errors of API requests too.
    pub(crate) fn client_credentials(source: ClientCredentials) -> Auth {
        let label = source.label();
        let secret = secret_forms(source.client_secret.expose());
        let mut cache = TokenCache::new(Arc::new(source), label);
        cache.secret = Some(secret.into());
        Auth::Refreshing(Arc::new(cache))
    }

    /// The credentials sent with an attempt that used `authorization`: what
    /// errors made from its response must not show.
    pub(crate) fn sent(&self, authorization: &Authorization) -> Sent {
        Sent {
            authorization: authorization.header.clone(),
            secret: match self {
                Auth::Refreshing(cache) => cache.secret.clone(),
                Auth::None | Auth::Static(_) => None,
            },
            extra: None,
        }
    }

    /// Whether a `401` can be answered by refreshing the token.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self, Auth::Refreshing(_))
    }

    /// The API rejected the token of `used`: replace it (once, however many
    /// requests saw the `401`).
    pub(crate) async fn refresh_after_unauthorized(
        &self,
        used: &Authorization,
    ) -> Result<(), AuthError> {
        match self {
            Auth::Refreshing(cache) => cache.refresh_after_unauthorized(used.generation).await,
            Auth::None | Auth::Static(_) => Ok(()),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Static(_) => f.write_str("Bearer(<redacted>)"),
            Auth::Refreshing(cache) => f.write_str(&cache.label),
        }
    }
}

/// Every form a server might echo the secrets in (as sent, form-encoded,
/// JSON-escaped), for redaction; `None` for no secrets.
pub(crate) fn secret_needles(secrets: &[&str]) -> Option<Arc<[Box<[u8]>]>> {
    let needles: Vec<Box<[u8]>> = secrets
        .iter()
        .filter(|s| !s.is_empty())
        .flat_map(|s| secret_forms(s))
        .collect();
    (!needles.is_empty()).then(|| needles.into())
}

/// A `Bearer` header value marked sensitive, or `None` if the token is not a
/// valid header value.
fn bearer_header(token: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Caches the token of a [`TokenSource`]: early refresh, single flight,
/// forced refresh after a `401`.
pub(crate) struct TokenCache {
    source: Arc<dyn TokenSource>,
    /// What `Debug` shows (no secrets).
    label: String,
    /// The cached token; locked briefly, never across an `await`.
    state: StdMutex<CacheState>,
    /// Held while fetching: one fetch at a time.
    refresh: tokio::sync::Mutex<()>,
    /// The forms of the client secret, for client credentials.
    secret: Option<Arc<[Box<[u8]>]>>,
}

#[derive(Default)]
struct CacheState {
    current: Option<Cached>,
    /// Incremented whenever a new token is stored.
    generation: u64,
    /// Incremented whenever a fetch ends, successfully or not.
    completed: u64,
    /// The message and status of the last fetch, if it failed.
    last_error: Option<(String, Option<u16>)>,
}

struct Cached {
    header: HeaderValue,
    /// When to fetch a new token; `None`: never (until a `401`).
    refresh_at: Option<Instant>,
}

impl CacheState {
    /// The cached token if it does not need a refresh yet.
    fn fresh(&self) -> Option<Authorization> {
        let cached = self.current.as_ref()?;
        if cached.refresh_at.is_some_and(|at| Instant::now() >= at) {
            return None;
        }
        Some(self.authorization(cached))
    }

    fn authorization(&self, cached: &Cached) -> Authorization {
        Authorization {
            header: Some(cached.header.clone()),
            generation: self.generation,
        }
    }

    /// The outcome of the last fetch if one ended after `seen` fetches had
    /// ended: its error, or the token it brought, fresh or not. A request
    /// that waited for a fetch uses its outcome: fetching again for every
    /// waiter would be one token request per request for a token whose
    /// lifetime is shorter than a fetch (an `expires_in` of 0).
    fn outcome_since(&self, seen: u64) -> Option<Result<Authorization, AuthError>> {
        if let Some(error) = self.failed_since(seen) {
            return Some(Err(error));
        }
        if self.completed == seen {
            return None;
        }
        Some(Ok(self.authorization(self.current.as_ref()?)))
    }

    /// The error of the last fetch if it failed and ended after `seen`
    /// fetches had ended.
    fn failed_since(&self, seen: u64) -> Option<AuthError> {
        if self.completed == seen {
            return None;
        }
        let (message, status) = self.last_error.as_ref()?;
        let error = AuthError::new(message.clone());
        Some(match status {
            Some(status) => error.with_status(*status),
            None => error,
        })
    }
}

impl TokenCache {
    fn new(source: Arc<dyn TokenSource>, label: String) -> TokenCache {
        TokenCache {
            source,
            label,
            state: StdMutex::new(CacheState::default()),
            refresh: tokio::sync::Mutex::new(()),
            secret: None,
        }
    }

    fn state(&self) -> MutexGuard<'_, CacheState> {
        // A panic while holding this lock cannot leave the state inconsistent
        // (every update is a plain assignment), so poisoning is ignored.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn authorization(&self) -> Result<Authorization, AuthError> {
        let seen = {
            let state = self.state();
            if let Some(fresh) = state.fresh() {
                return Ok(fresh);
            }
            state.completed
        };
        let _flight = self.refresh.lock().await;
        {
            let state = self.state();
            if let Some(fresh) = state.fresh() {
                // Another request refreshed while this one waited.
                return Ok(fresh);
            }
            if let Some(outcome) = state.outcome_since(seen) {
                // A fetch ended while this request waited: its token (even
                // if already due for a refresh) or its error is this
                // request's too, rather than one more token request per
                // waiter.
                return outcome;
            }
        }
        self.fetch(false).await
    }

    async fn refresh_after_unauthorized(&self, generation: u64) -> Result<(), AuthError> {
        let seen = self.state().completed;
        let _flight = self.refresh.lock().await;
        {
            let state = self.state();
            if state.generation != generation {
                // Already replaced since the rejected token was handed out
                // (if the replacement is due for a refresh, the next
                // `authorization` fetches one).
                return Ok(());
            }
            if let Some(error) = state.failed_since(seen) {
                return Err(error);
            }
        }
        self.fetch(true).await.map(drop)
    }

    /// Fetches and stores a token. Called with `refresh` held.
    async fn fetch(&self, force_refresh: bool) -> Result<Authorization, AuthError> {
        let result = self.source.token(force_refresh).await.and_then(|token| {
            let header = bearer_header(token.secret()).ok_or_else(|| {
                AuthError::new("the access token is not a valid HTTP header value")
            })?;
            Ok((header, token.expires_at()))
        });
        let mut state = self.state();
        state.completed += 1;
        match result {
            Ok((header, expires_at)) => {
                let now = Instant::now();
                // Refresh 60 s or 10% of the remaining lifetime early,
                // whichever is less: never before `now` (so a token with any
                // lifetime left is fresh when it arrives), and at `now` for a
                // token already expired (`expires_in: 0`, or shorter than the
                // fetch took), which only the requests that waited for this
                // fetch use.
                let refresh_at = expires_at.map(|at| {
                    let lifetime = at.saturating_duration_since(now);
                    at.checked_sub(MAX_REFRESH_MARGIN.min(lifetime / 10))
                        .unwrap_or(now)
                        .max(now)
                });
                state.generation += 1;
                state.last_error = None;
                state.current = Some(Cached {
                    header: header.clone(),
                    refresh_at,
                });
                tracing::debug!(
                    credentials = %self.label,
                    expires_in_s = expires_at.map(|at| at.saturating_duration_since(now).as_secs()),
                    force_refresh,
                    "obtained access token"
                );
                Ok(Authorization {
                    header: Some(header),
                    generation: state.generation,
                })
            }
            Err(error) => {
                tracing::warn!(credentials = %self.label, error = %error, "could not obtain access token");
                state.last_error = Some((error.to_string(), error.status()));
                Err(error)
            }
        }
    }
}

/// OAuth2 client credentials grant against a token endpoint: a
/// [`TokenSource`] that fetches a new token on every call (the client caches).
pub(crate) struct ClientCredentials {
    pub(crate) http: reqwest::Client,
    pub(crate) token_url: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) user_agent: HeaderValue,
    /// Time limit of one token request (connect, send, read the body).
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    /// The largest token response body read, in bytes.
    pub(crate) max_body_size: usize,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// The result of one request to the token endpoint.
enum TokenAttempt {
    Response {
        status: u16,
        retry_after: Option<Duration>,
        body: bytes::Bytes,
    },
    /// The body is larger than `max_body_size`.
    TooLarge {
        status: u16,
    },
    Failed(reqwest::Error),
}

impl ClientCredentials {
    /// What `Debug` of a client shows for these credentials.
    pub(crate) fn label(&self) -> String {
        format!(
            "ClientCredentials {{ token_url: {:?}, client_id: {:?}, client_secret: {REDACTED} }}",
            self.token_url.as_str(),
            self.client_id
        )
    }

    async fn fetch(&self) -> Result<AccessToken, AuthError> {
        let url = self.token_url.as_str();
        let started = Instant::now();
        let send_once = |_attempt: u32| async {
            let outcome = self.attempt().await;
            let observed = match &outcome {
                TokenAttempt::Response {
                    status,
                    retry_after,
                    ..
                } => Observed::Status {
                    status: *status,
                    retry_after: *retry_after,
                },
                TokenAttempt::Failed(e) => Observed::from_transport_error(e),
                TokenAttempt::TooLarge { .. } => return Step::Done(outcome),
            };
            Step::Observed(outcome, observed)
        };
        let on_retry = |attempt: u32, reason: RetryReason, delay: Duration| {
            tracing::warn!(
                token_url = url,
                attempt,
                reason = %reason,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying token request"
            );
        };
        // A token request can be repeated safely whatever its method.
        let (status, body) = match self.retry.run(true, send_once, on_retry).await.outcome {
            TokenAttempt::Response { status, body, .. } => (status, body),
            TokenAttempt::TooLarge { status } => {
                return Err(AuthError::new(format!(
                    "token endpoint {url} answered HTTP {} with a body larger than the limit of {} bytes",
                    crate::runtime::error::status_text(status),
                    self.max_body_size
                ))
                .with_status(status));
            }
            TokenAttempt::Failed(e) => {
                let what = match self.timeout {
                    Some(limit) if e.is_timeout() => format!("timed out (after {limit:?})"),
                    _ if e.is_timeout() => "timed out".to_owned(),
                    _ => "failed".to_owned(),
                };
                let e = e.without_url();
                return Err(AuthError::with_source(
                    format!("token request to {url} {what}: {}", error_chain(&e)),
                    e,
                ));
            }
        };

        if !(200..300).contains(&status) {
            // An error body could carry a token too.
            let token = probe_access_token(&body);
            let body = self.redact(&String::from_utf8_lossy(&body), token.as_deref());
            let body = one_line(body.as_bytes(), TOKEN_ERROR_BODY_CHARS);
            let mut message = format!(
                "token endpoint {url} answered HTTP {}",
                crate::runtime::error::status_text(status)
            );
            if !body.is_empty() {
                message.push_str(": ");
                message.push_str(&body);
            }
            return Err(AuthError::new(message).with_status(status));
        }

        let mut deserializer = serde_json::Deserializer::from_slice(&body);
        let parsed = serde_path_to_error::deserialize::<_, TokenResponse>(&mut deserializer)
            .map_err(|e| (e.path().to_string(), e.into_inner()))
            .and_then(|r| {
                deserializer
                    .end()
                    .map(|()| r)
                    .map_err(|e| (".".to_owned(), e))
            });
        let response = match parsed {
            Ok(response) => response,
            Err((path, error)) => {
                // The message of a data error can quote a value of the body:
                // never let it quote the token or the secret.
                let token = probe_access_token(&body);
                let detail = self.redact(&error.to_string(), token.as_deref());
                return Err(AuthError::new(format!(
                    "token endpoint {url} answered HTTP {status} with an invalid token response (at `{path}`): {detail}"
                ))
                .with_status(status));
            }
        };
        if let Some(token_type) = &response.token_type
            && !token_type.eq_ignore_ascii_case("bearer")
        {
            let token_type = self.redact(token_type, Some(&response.access_token));
            return Err(AuthError::new(format!(
                "token endpoint {url} returned token_type `{}`, expected `bearer`",
                one_line(token_type.as_bytes(), 40)
            ))
            .with_status(status));
        }
        if response.access_token.trim().is_empty() {
            return Err(AuthError::new(format!(
                "token endpoint {url} returned an empty access_token"
            ))
            .with_status(status));
        }
        let mut token = AccessToken::new(response.access_token);
        match response.expires_in.as_ref().map(seconds) {
            None => {}
            // Beyond what the clock can represent (an `expires_in` of
            // centuries): no known expiry.
            Some(Some(expires_in)) => {
                if let Some(expires_at) = started.checked_add(expires_in) {
                    token = token.with_expires_at(expires_at);
                }
            }
            Some(None) => {
                return Err(AuthError::new(format!(
                    "token endpoint {url} returned an invalid expires_in (expected seconds)"
                ))
                .with_status(status));
            }
        }
        Ok(token)
    }

    async fn attempt(&self) -> TokenAttempt {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
        ];
        let mut builder = self
            .http
            .post(self.token_url.clone())
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, self.user_agent.clone())
            .form(&form);
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        let mut response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return TokenAttempt::Failed(e),
        };
        let status = response.status().as_u16();
        let retry_after = parse_retry_after(response.headers());
        match read_body(&mut response, self.max_body_size).await {
            Ok(body) => TokenAttempt::Response {
                status,
                retry_after,
                body: body.into_bytes(),
            },
            Err(ReadError::TooLarge { .. }) => TokenAttempt::TooLarge { status },
            Err(ReadError::Http(e)) => TokenAttempt::Failed(e),
        }
    }

    /// `text` with the client secret and `token` (in every form
    /// [`secret_forms`] lists) replaced by `<redacted>`.
    fn redact(&self, text: &str, token: Option<&str>) -> String {
        let mut needles = secret_forms(self.client_secret.expose());
        needles.extend(token.map(secret_forms).unwrap_or_default());
        let needles: Vec<&[u8]> = needles.iter().map(|n| &n[..]).collect();
        redact_str(text, &needles).into_owned()
    }
}

impl TokenSource for ClientCredentials {
    fn token(&self, _force_refresh: bool) -> TokenFuture<'_> {
        Box::pin(self.fetch())
    }
}

/// `expires_in` as a duration: a finite, non-negative number of seconds (or
/// such a number in a string); values beyond [`Duration::MAX`] saturate.
fn seconds(value: &serde_json::Value) -> Option<Duration> {
    let secs = match value {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !(secs.is_finite() && secs >= 0.0) {
        return None;
    }
    Some(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
}

/// The `access_token` string of a JSON object body, if any (to redact it).
fn probe_access_token(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    Some(value.get("access_token")?.as_str()?.to_owned())
}

/// The bytes `application/x-www-form-urlencoded` encoding (WHATWG URL
/// standard, as `reqwest`'s `form` writes the token request) keeps: ASCII
/// alphanumerics and `*-._`. A space becomes `+`, anything else `%XX`.
const FORM_ENCODE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// `application/x-www-form-urlencoded` encoding of one value, to find the
/// client secret as the token request's body carries it.
fn form_encode(value: &str) -> String {
    value
        .split(' ')
        .map(|part| percent_encoding::utf8_percent_encode(part, FORM_ENCODE).to_string())
        .collect::<Vec<_>>()
        .join("+")
}

/// The forms in which a secret shows up in a body or header that echoes it:
/// as it is, `application/x-www-form-urlencoded` (as the token request sends
/// the client secret), JSON-escaped (as `serde_json` writes it, and with `/`
/// escaped as some encoders do). Distinct, non-empty, longest first.
pub(crate) fn secret_forms(secret: &str) -> Vec<Box<[u8]>> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or(secret);
    let mut forms: Vec<Box<[u8]>> = [
        secret.to_owned(),
        form_encode(secret),
        json.to_owned(),
        json.replace('/', "\\/"),
    ]
    .into_iter()
    .filter(|form| !form.is_empty())
    .map(|form| form.into_bytes().into_boxed_slice())
    .collect();
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    forms.dedup();
    forms
}

/// `bytes` with every occurrence of each needle (in order) replaced by
/// `<redacted>`; borrowed when there is none. Linear in the input for each
/// needle (`memchr::memmem`), whatever the bytes.
pub(crate) fn redact_bytes<'a>(bytes: &'a [u8], needles: &[&[u8]]) -> Cow<'a, [u8]> {
    let mut text = Cow::Borrowed(bytes);
    for needle in needles.iter().filter(|n| !n.is_empty()) {
        let finder = memchr::memmem::Finder::new(needle);
        let mut found = finder.find_iter(&text).peekable();
        if found.peek().is_none() {
            continue;
        }
        let mut out = Vec::with_capacity(text.len());
        let mut from = 0;
        for at in found {
            out.extend_from_slice(&text[from..at]);
            out.extend_from_slice(REDACTED.as_bytes());
            from = at + needle.len();
        }
        out.extend_from_slice(&text[from..]);
        text = Cow::Owned(out);
    }
    text
}

/// [`redact_bytes`] for text.
pub(crate) fn redact_str<'a>(text: &'a str, needles: &[&[u8]]) -> Cow<'a, str> {
    match redact_bytes(text.as_bytes(), needles) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(bytes) => Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
    }
}

/// The credentials sent with one request, to keep them out of the errors
/// made from its response: the `Authorization` header (its token, as sent
/// and JSON-escaped) and, for client credentials, the client secret (as
/// [`secret_forms`] lists). `Debug` shows `<redacted>`.
#[derive(Clone, Default)]
pub(crate) struct Sent {
    authorization: Option<HeaderValue>,
    secret: Option<Arc<[Box<[u8]>]>>,
    /// Other credentials the client sends (an API key, a basic-auth password), in
    /// every form a server might echo.
    extra: Option<Arc<[Box<[u8]>]>>,
}

impl Sent {
    /// Whether nothing was sent.
    pub(crate) fn is_empty(&self) -> bool {
        self.authorization.is_none() && self.secret.is_none() && self.extra.is_none()
    }

    /// Also the client's other credentials (see [`secret_needles`]).
    pub(crate) fn with_extra(mut self, extra: Option<Arc<[Box<[u8]>]>>) -> Sent {
        self.extra = extra;
        self
    }

    /// What to replace, longest first.
    fn needles(&self) -> Vec<Cow<'_, [u8]>> {
        let mut needles: Vec<Cow<'_, [u8]>> = Vec::new();
        if let Some(value) = &self.authorization {
            let value = value.as_bytes();
            let token = value
                .strip_prefix(b"Bearer ")
                .or_else(|| value.strip_prefix(b"Basic "))
                .unwrap_or(value);
            match std::str::from_utf8(token) {
                Ok(token) => needles.extend(
                    secret_forms(token)
                        .into_iter()
                        .map(|n| Cow::Owned(n.into_vec())),
                ),
                Err(_) => needles.push(Cow::Borrowed(token)),
            }
        }
        for list in [&self.secret, &self.extra].into_iter().flatten() {
            needles.extend(list.iter().map(|n| Cow::Borrowed(&n[..])));
        }
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        needles
    }

    /// The length of the longest form of a credential (0 if none).
    pub(crate) fn longest(&self) -> usize {
        self.needles().first().map_or(0, |n| n.len())
    }

    /// `bytes` with the credentials replaced by `<redacted>` (the same buffer
    /// when they do not occur).
    pub(crate) fn redact(&self, bytes: &bytes::Bytes) -> bytes::Bytes {
        if self.is_empty() {
            return bytes.clone();
        }
        let needles = self.needles();
        let needles: Vec<&[u8]> = needles.iter().map(|n| &n[..]).collect();
        match redact_bytes(bytes, &needles) {
            Cow::Borrowed(_) => bytes.clone(),
            Cow::Owned(redacted) => bytes::Bytes::from(redacted),
        }
    }

    /// `text` with the credentials replaced by `<redacted>`.
    pub(crate) fn redact_text(&self, text: String) -> String {
        if self.is_empty() {
            return text;
        }
        let needles = self.needles();
        let needles: Vec<&[u8]> = needles.iter().map(|n| &n[..]).collect();
        match redact_str(&text, &needles) {
            Cow::Borrowed(_) => text,
            Cow::Owned(redacted) => redacted,
        }
    }

    /// Replaces the credentials in every header value.
    pub(crate) fn redact_headers(&self, headers: &mut reqwest::header::HeaderMap) {
        if self.is_empty() {
            return;
        }
        let needles = self.needles();
        let needles: Vec<&[u8]> = needles.iter().map(|n| &n[..]).collect();
        for value in headers.values_mut() {
            if let Cow::Owned(redacted) = redact_bytes(value.as_bytes(), &needles) {
                let sensitive = value.is_sensitive();
                *value = HeaderValue::from_bytes(&redacted)
                    .unwrap_or_else(|_| HeaderValue::from_static(REDACTED));
                value.set_sensitive(sensitive);
            }
        }
    }
}

impl fmt::Debug for Sent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// An error and its sources on one line: `a: b: c`.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let next = e.to_string();
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = e.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        let token = AccessToken::expiring_in("tok-123", Duration::from_secs(5));
        assert!(!format!("{token:?}").contains("tok-123"));
        assert_eq!(token.secret(), "tok-123");
    }

    #[test]
    fn form_encoding_matches_reqwest() {
        let samples = [
            "a b+c/d~é",
            "Cl1ent/S3cret+xyz",
            "  lead and trail  ",
            "*-._!'()~%&=?#[]@$,;:\"\\<>{}|^`\t\n",
            "ünï©ødé 🦀",
            "",
        ];
        for value in samples {
            let request = reqwest::Client::new()
                .post("http://127.0.0.1/oauth/token")
                .form(&[("client_secret", value)])
                .build()
                .unwrap();
            let body = request.body().and_then(reqwest::Body::as_bytes).unwrap();
            let body = std::str::from_utf8(body).unwrap();
            assert_eq!(
                body.strip_prefix("client_secret="),
                Some(form_encode(value).as_str()),
                "{value:?}"
            );
        }
        assert_eq!(form_encode("a b+c/d~é"), "a+b%2Bc%2Fd%7E%C3%A9");
    }

    #[test]
    fn secrets_are_found_in_every_form() {
        let forms = |s: &str| -> Vec<String> {
            secret_forms(s)
                .into_iter()
                .map(|f| String::from_utf8(f.into_vec()).unwrap())
                .collect()
        };
        assert_eq!(forms("plain-Secret_1.x"), ["plain-Secret_1.x"]);
        assert_eq!(
            forms(r#"a "b"/c d"#),
            [
                "a+%22b%22%2Fc+d",
                r#"a \"b\"\/c d"#,
                r#"a \"b\"/c d"#,
                r#"a "b"/c d"#
            ]
        );
        assert!(secret_forms("").is_empty());

        let needles: &[&[u8]] = &[b"aaa", b"tok"];
        assert_eq!(
            redact_bytes(b"aaaaaaa tok-tok", needles),
            &b"<redacted><redacted>a <redacted>-<redacted>"[..]
        );
        assert!(matches!(
            redact_bytes(b"nothing here", needles),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            redact_str("\u{e9}tok\u{e9}", needles),
            "\u{e9}<redacted>\u{e9}"
        );

        let sent = Sent {
            authorization: bearer_header("tok/1"),
            secret: Some(secret_forms("s3cr3t").into()),
            extra: None,
        };
        assert_eq!(
            sent.redact(&bytes::Bytes::from_static(
                b"[tok/1 tok\\/1 s3cr3t Bearer tok/1]"
            )),
            &b"[<redacted> <redacted> <redacted> Bearer <redacted>]"[..]
        );
        assert_eq!(sent.redact_text("tok/1".to_owned()), "<redacted>");
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("Bearer tok/1"));
        headers.insert("x-other", HeaderValue::from_static("fine"));
        sent.redact_headers(&mut headers);
        assert_eq!(headers["x-echo"], "Bearer <redacted>");
        assert_eq!(headers["x-other"], "fine");
        assert_eq!(format!("{sent:?}"), "<redacted>");
        assert_eq!(sent.longest(), "tok%2F1".len());
    }

    #[test]
    fn expires_in_values() {
        assert_eq!(
            seconds(&serde_json::json!(749)),
            Some(Duration::from_secs(749))
        );
        assert_eq!(
            seconds(&serde_json::json!("60")),
            Some(Duration::from_secs(60))
        );
        assert_eq!(seconds(&serde_json::json!(-1)), None);
        assert_eq!(seconds(&serde_json::json!("soon")), None);
        assert_eq!(seconds(&serde_json::json!("inf")), None);
        assert_eq!(seconds(&serde_json::json!("NaN")), None);
        assert_eq!(seconds(&serde_json::json!(1e30)), Some(Duration::MAX));
    }

    #[test]
    fn huge_lifetimes_mean_no_expiry() {
        for secs in [u64::MAX, 10_000_000_000_000_000_000] {
            let token = AccessToken::expiring_in("tok", Duration::from_secs(secs));
            assert_eq!(token.expires_at(), None);
        }
        let token = AccessToken::expiring_in("tok", Duration::from_secs(60));
        assert!(token.expires_at().is_some());
    }
}
