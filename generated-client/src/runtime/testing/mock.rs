//! The generic half of the generated typed mock server, and of the registry of
//! operations and schemas that the generated `testing` module emits.
//!
//! The generated code describes each operation with a static [`OperationSpec`]
//! (method, path template, required parameters, request body check, documented
//! responses with their examples and a round-trip function), marks it with a type
//! implementing [`MockOperation`], and adds typed parameter setters to
//! [`Mock<'_, ThatType>`](Mock). Everything else lives here:
//!
//! * [`MockServer`] (a `wiremock` server) answers the requests its [`Mock`]s
//!   expect and *diagnoses* every other request: which operation it was for (by
//!   method and path template) and what was wrong (a required parameter missing, a
//!   body that does not decode into the operation's request type, a parameter or
//!   body that differs from every expectation of that operation). Those failures,
//!   and expectations called the wrong number of times, fail the test at
//!   [`MockServer::verify`] or when the server is dropped.
//! * [`Mock`] sets up one expectation: the request it matches (the generated
//!   setters fill the same [`Request`] the client method builds, so values are
//!   compared as they are sent) and the answer (`respond*`), checked against the
//!   spec when it is set up: a body that does not decode into the type the
//!   operation documents for that status fails at once, naming both.
//! * [`OperationEntry`], [`SchemaEntry`], [`round_trip`], [`outcome`]: the
//!   registry, for tests that go through every operation or schema.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::runtime::client::ClientBuilder;
use crate::runtime::error::Error;
use crate::runtime::profile::{CredentialKind, Profile};
use crate::runtime::request::{Body, OperationInfo, Request};
use crate::runtime::response::Response;

pub use wiremock::ResponseTemplate;

/// The path under which the mock server answers token requests, for profiles
/// whose API uses OAuth2 client credentials.
pub const MOCK_TOKEN_PATH: &str = "/__mock/token";

/// Checks that a request body decodes into an operation's request type
/// ([`decodes`]); the error names the path.
pub type BodyCheck = fn(&[u8]) -> Result<(), String>;

/// Decodes a JSON value into a Rust type and encodes it back ([`round_trip`]).
pub type RoundTrip = fn(&Value) -> Result<Value, String>;

/// What the registry and the mock server know of one operation. Emitted by the
/// generator as a `static`.
#[derive(Debug)]
pub struct OperationSpec {
    /// Id, method and path template.
    pub info: OperationInfo,
    /// Query parameters the spec requires (wire names).
    pub required_query: &'static [&'static str],
    /// Header parameters the spec requires (wire names).
    pub required_headers: &'static [&'static str],
    /// The request body, when the operation takes one.
    pub request_body: Option<RequestBodySpec>,
    /// The documented responses, exact statuses first.
    pub responses: &'static [ResponseSpec],
}

/// The request body of an [`OperationSpec`].
#[derive(Debug)]
pub struct RequestBodySpec {
    /// Its media type.
    pub content_type: &'static str,
    /// Whether the spec requires it.
    pub required: bool,
    /// For JSON bodies: checks that a body decodes into the operation's request
    /// type ([`decodes`]).
    pub check: Option<BodyCheck>,
}

/// A documented status of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPattern {
    /// One status, e.g. `200`.
    Code(u16),
    /// A range by first digit, e.g. `4XX` is `Range(4)`.
    Range(u8),
    /// `default`: any status the others do not name.
    Default,
}

impl StatusPattern {
    /// Whether `status` falls under the pattern.
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusPattern::Code(c) => c == status,
            StatusPattern::Range(r) => status / 100 == u16::from(r),
            StatusPattern::Default => true,
        }
    }
}

impl fmt::Display for StatusPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusPattern::Code(c) => write!(f, "{c}"),
            StatusPattern::Range(r) => write!(f, "{r}XX"),
            StatusPattern::Default => f.write_str("default"),
        }
    }
}

/// A documented response of an [`OperationSpec`].
#[derive(Debug)]
pub struct ResponseSpec {
    /// The status (or range) it documents.
    pub status: StatusPattern,
    /// Whether the operation returns it as a success (2xx and documented 3xx).
    pub success: bool,
    /// The media type of its body, when it has one.
    pub content_type: Option<&'static str>,
    /// The Rust type its body decodes into, as written in generated code.
    pub type_name: Option<&'static str>,
    /// The spec's example of the body, as JSON text.
    pub example: Option<&'static str>,
    /// For JSON bodies: decodes a value into the Rust type and encodes it back
    /// ([`round_trip`]).
    pub round_trip: Option<RoundTrip>,
}

impl OperationSpec {
    /// The documented response for `status`: its exact code, else its range,
    /// else `default`.
    pub fn response(&self, status: u16) -> Option<&'static ResponseSpec> {
        let responses: &'static [ResponseSpec] = self.responses;
        [
            StatusPattern::Code(status),
            StatusPattern::Range((status / 100) as u8),
            StatusPattern::Default,
        ]
        .into_iter()
        .find_map(|p| responses.iter().find(|r| r.status == p))
    }
}

/// Decodes `value` into `T` and encodes it back: what a client that decodes the
/// value and sends it again would send. The error names the path where decoding
/// failed.
pub fn round_trip<T: Serialize + DeserializeOwned>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        format!("at `{path}`: {}", e.into_inner())
    })?;
    serde_json::to_value(&typed).map_err(|e| format!("cannot encode back: {e}"))
}

/// Whether `body` (JSON) decodes into `T`; the error names the path.
pub fn decodes<T: DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize::<_, T>(&mut de)
        .map(drop)
        .map_err(|e| {
            let path = e.path().to_string();
            format!("at `{path}`: {}", e.into_inner())
        })
}

/// An operation the generated mock server can expect: the generated marker type
/// of one operation.
pub trait MockOperation: 'static {
    /// The operation.
    const SPEC: &'static OperationSpec;
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

/// A mock of an API: a `wiremock` server, the API's profile and its operations.
/// The generated `testing::MockServer` wraps it with one method per operation.
pub struct MockServer {
    server: wiremock::MockServer,
    profile: &'static Profile,
    state: Arc<State>,
    verified: bool,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .field("api", &self.profile.name)
            .finish_non_exhaustive()
    }
}

struct State {
    operations: Vec<&'static OperationSpec>,
    expectations: Mutex<Vec<Expected>>,
    failures: Mutex<Vec<String>>,
}

/// What one mounted expectation matches, for diagnosing requests it did not.
#[derive(Clone)]
struct Expected {
    op: &'static OperationSpec,
    /// The path with the parameters the test fixed filled in (percent-encoded),
    /// `{variable}` for the others.
    path: String,
    /// Query pairs the request must have, decoded.
    query: Vec<(String, String)>,
    /// Headers the request must have.
    headers: Vec<(String, String)>,
    /// The JSON body the request must have.
    body: Option<Value>,
}

impl MockServer {
    /// Starts a server for the API described by `profile`, whose operations are
    /// `operations` (from the generated registry).
    pub async fn start(
        profile: &'static Profile,
        operations: impl IntoIterator<Item = &'static OperationSpec>,
    ) -> MockServer {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(State {
            operations: operations.into_iter().collect(),
            expectations: Mutex::new(Vec::new()),
            failures: Mutex::new(Vec::new()),
        });
        if profile
            .credentials
            .contains(&CredentialKind::ClientCredentials)
        {
            wiremock::Mock::given(wiremock::matchers::method("POST"))
                .and(wiremock::matchers::path(MOCK_TOKEN_PATH))
                .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                    "access_token": "mock-access-token",
                    "token_type": "bearer",
                    "expires_in": 3600
                })))
                .with_priority(1)
                .named("token endpoint")
                .mount(&server)
                .await;
        }
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Diagnose(Arc::clone(&state)))
            .with_priority(u8::MAX)
            .named("requests no expectation matched")
            .mount(&server)
            .await;
        MockServer {
            server,
            profile,
            state,
            verified: false,
        }
    }

    /// The server's URL (`http://127.0.0.1:PORT`), the base URL of its clients.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The `wiremock` server underneath, for expectations the typed ones cannot
    /// express.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// A builder of a client of this server: its base URL, and credentials of
    /// the kind the API uses (client credentials against the server's own token
    /// endpoint, a bearer token, an API key or basic authentication), with no
    /// retries.
    pub fn client_builder(&self) -> ClientBuilder {
        let uri = self.uri();
        let builder = ClientBuilder::new(self.profile)
            .base_url(uri.clone())
            .retry_policy(crate::runtime::RetryPolicy::none());
        let first = if self.profile.api_key.is_some() && self.profile.credentials.is_empty() {
            None
        } else {
            self.profile.credentials.first().copied()
        };
        match first {
            Some(CredentialKind::ClientCredentials) => builder
                .client_credentials("mock-client-id", "mock-client-secret")
                .token_url(format!("{uri}{MOCK_TOKEN_PATH}")),
            Some(CredentialKind::Bearer) => builder.bearer_token("mock-token"),
            Some(CredentialKind::Basic) => builder.basic_auth("mock-user", "mock-password"),
            Some(CredentialKind::ApiKey) => builder.api_key("mock-api-key"),
            None if self.profile.api_key.is_some() => builder.api_key("mock-api-key"),
            None => builder,
        }
    }

    /// The requests the server received, in order.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// Fails the test (panics) if a request matched no expectation, or an
    /// expectation with [`Mock::times`] was not met; the message names each
    /// operation and what was wrong. Dropping the server checks the same.
    pub async fn verify(&mut self) {
        use futures_util::FutureExt;
        self.verified = true;
        let failures = self.take_failures();
        let counts = std::panic::AssertUnwindSafe(self.server.verify())
            .catch_unwind()
            .await;
        if failures.is_empty() && counts.is_ok() {
            return;
        }
        // Reported once: the `wiremock` server would check its counts again when
        // dropped.
        self.server.reset().await;
        let mut report = String::new();
        if !failures.is_empty() {
            report.push_str(&failure_report(self.profile, &failures));
        }
        if let Err(panic) = counts {
            let text = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            if !report.is_empty() {
                report.push('\n');
            }
            report.push_str(&format!("mock server of {}: {text}", self.profile.name));
        }
        panic!("{report}");
    }

    fn take_failures(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .state
                .failures
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        )
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if std::thread::panicking() || self.verified {
            return;
        }
        let failures = self.take_failures();
        if !failures.is_empty() {
            panic!("{}", failure_report(self.profile, &failures));
        }
    }
}

fn failure_report(profile: &Profile, failures: &[String]) -> String {
    let mut text = format!(
        "mock server of {}: {} request(s) matched no expectation:",
        profile.name,
        failures.len()
    );
    for f in failures {
        text.push_str("\n  - ");
        text.push_str(f);
    }
    text
}

/// Answers a request no expectation matched, after recording why.
struct Diagnose(Arc<State>);

impl wiremock::Respond for Diagnose {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let message = diagnose(&self.0, request);
        self.0
            .failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(message.clone());
        ResponseTemplate::new(500)
            .insert_header("x-mock-failure", "no expectation matched")
            .set_body_string(message)
    }
}

fn diagnose(state: &State, request: &wiremock::Request) -> String {
    let method = request.method.as_str();
    let path = request.url.path();
    let shown = match request.url.query() {
        Some(q) => format!("{method} {path}?{q}"),
        None => format!("{method} {path}"),
    };
    let candidates: Vec<&'static OperationSpec> = state
        .operations
        .iter()
        .copied()
        .filter(|op| template_matches(op.info.path, path))
        .collect();
    let Some(op) = best_operation(&candidates, method) else {
        return match candidates.first() {
            Some(other) => format!(
                "`{shown}`: no operation has this method on this path (`{} {}` is operation `{}`)",
                other.info.method, other.info.path, other.info.id
            ),
            None => format!("`{shown}`: no operation of the API has this path"),
        };
    };
    let id = op.info.id;
    let mut problems = request_problems(op, request);
    let expectations: Vec<Expected> = state
        .expectations
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .filter(|e| std::ptr::eq(e.op, op))
        .cloned()
        .collect();
    if problems.is_empty() {
        if expectations.is_empty() {
            problems.push(format!(
                "no expectation of this operation was set up (`mock.{}()...`)",
                snake_case(id)
            ));
        } else {
            for (i, e) in expectations.iter().enumerate() {
                let differences = differences(e, request);
                let label = if expectations.len() == 1 {
                    String::new()
                } else {
                    format!("expectation {}: ", i + 1)
                };
                problems.push(format!("{label}{}", differences.join("; ")));
            }
        }
    }
    format!("`{shown}` (operation `{id}`): {}", problems.join("; "))
}

/// The operation for `method` among those whose template matches: the one with
/// the fewest template variables (a literal segment beats a variable).
fn best_operation(
    candidates: &[&'static OperationSpec],
    method: &str,
) -> Option<&'static OperationSpec> {
    candidates
        .iter()
        .copied()
        .filter(|op| op.info.method.eq_ignore_ascii_case(method))
        .min_by_key(|op| op.info.path.matches('{').count())
}

/// Whether a request path fits a path template: segment by segment, a
/// `{variable}` (with literal text around it) matches any non-empty text.
fn template_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| segment_matches(t, p))
}

fn segment_matches(template: &str, segment: &str) -> bool {
    let segment = decode(segment);
    let Some(open) = template.find('{') else {
        return decode(template) == segment;
    };
    let Some(close) = template[open..].find('}').map(|i| open + i) else {
        return decode(template) == segment;
    };
    let (prefix, rest) = (&template[..open], &template[close + 1..]);
    segment.starts_with(prefix) && segment_matches_rest(rest, &segment[prefix.len()..])
}

fn segment_matches_rest(rest: &str, segment: &str) -> bool {
    if rest.is_empty() {
        return !segment.is_empty();
    }
    if !rest.contains('{') {
        // The variable takes at least one character.
        return segment.len() > rest.len() && segment.ends_with(rest);
    }
    // Another variable in the same segment: any split works.
    (1..segment.len()).any(|i| segment.is_char_boundary(i) && segment_matches(rest, &segment[i..]))
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// What the spec requires of a request to `op` that it lacks.
fn request_problems(op: &OperationSpec, request: &wiremock::Request) -> Vec<String> {
    let mut problems = Vec::new();
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    for name in op.required_query {
        if !query
            .iter()
            .any(|(n, _)| n == name || n.starts_with(&format!("{name}[")))
        {
            problems.push(format!("required query parameter `{name}` is missing"));
        }
    }
    for name in op.required_headers {
        if !request.headers.contains_key(*name) {
            problems.push(format!("required header `{name}` is missing"));
        }
    }
    if let Some(body) = &op.request_body {
        if request.body.is_empty() {
            if body.required {
                problems.push("the required request body is missing".to_owned());
            }
        } else if let Some(check) = body.check
            && let Err(e) = check(&request.body)
        {
            problems.push(format!(
                "the body does not decode into the operation's request type: {e}"
            ));
        }
    }
    problems
}

/// How `request` differs from the expectation `e` of its operation.
fn differences(e: &Expected, request: &wiremock::Request) -> Vec<String> {
    let mut out = Vec::new();
    let path = request.url.path();
    if !template_matches(&e.path, path) {
        out.push(format!("path: expected `{}`, got `{path}`", e.path));
    }
    let got: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    for (name, value) in &e.query {
        if !got.contains(&(name.clone(), value.clone())) {
            let actual: Vec<&str> = got
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect();
            if actual.is_empty() {
                out.push(format!(
                    "query: expected `{name}={value}`, which is missing"
                ));
            } else {
                out.push(format!(
                    "query: expected `{name}={value}`, got `{name}={}`",
                    actual.join(&format!("&{name}="))
                ));
            }
        }
    }
    for (name, value) in &e.headers {
        let actual = request
            .headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok());
        if actual != Some(value.as_str()) {
            out.push(match actual {
                Some(a) => format!("header `{name}`: expected `{value}`, got `{a}`"),
                None => format!("header `{name}`: expected `{value}`, which is missing"),
            });
        }
    }
    if let Some(expected) = &e.body {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(got) if &got == expected => {}
            Ok(got) => out.push(format!(
                "body: expected {}, got {}",
                shorten(&expected.to_string()),
                shorten(&got.to_string())
            )),
            Err(_) => out.push("body: expected a JSON body".to_owned()),
        }
    }
    if out.is_empty() {
        // Everything the expectation names matched: it was used up.
        out.push(
            "matched an expectation that had already been called as often as it allows".to_owned(),
        );
    }
    out
}

fn shorten(text: &str) -> String {
    const MAX: usize = 200;
    if text.len() <= MAX {
        return text.to_owned();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn snake_case(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 4);
    let mut prev_lower = false;
    for c in id.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = true;
        } else {
            out.push('_');
            prev_lower = false;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// One expectation
// ---------------------------------------------------------------------------

/// One expectation of operation `O` on a [`MockServer`]: which requests it
/// matches (the generated setters of `Mock<'_, O>` name the operation's
/// parameters and body) and how it answers. Awaiting it (or [`Mock::mount`])
/// sets it up.
#[must_use = "an expectation is set up when it is awaited"]
pub struct Mock<'a, O> {
    server: &'a MockServer,
    request: Request,
    body: Option<Value>,
    response: Option<ResponseTemplate>,
    times: Option<u64>,
    delay: Option<Duration>,
    op: PhantomData<fn() -> O>,
}

impl<O: MockOperation> fmt::Debug for Mock<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mock")
            .field("operation", &O::SPEC.info.id)
            .field("request", &self.request)
            .field("times", &self.times)
            .finish_non_exhaustive()
    }
}

impl<'a, O: MockOperation> Mock<'a, O> {
    /// An expectation of `O` that matches any request for it.
    pub fn new(server: &'a MockServer) -> Self {
        Mock {
            server,
            request: Request::for_operation(&O::SPEC.info),
            body: None,
            response: None,
            times: None,
            delay: None,
            op: PhantomData,
        }
    }

    /// The request the expectation matches, filled by the generated parameter
    /// setters with the client's own `*_param` methods.
    #[doc(hidden)]
    pub fn request_mut(&mut self) -> &mut Request {
        &mut self.request
    }

    /// Matches only requests whose JSON body equals `body` (as the client
    /// encodes it).
    #[doc(hidden)]
    pub fn json_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_value(body) {
            Ok(v) => self.body = Some(v),
            Err(e) => panic!(
                "mock of `{}`: cannot encode the expected body: {e}",
                O::SPEC.info.id
            ),
        }
        self
    }

    /// Answers with `status` and `body` as JSON. `status` must be a success the
    /// operation documents, and `body` must decode into the type the operation
    /// documents for it; otherwise this panics, naming both.
    pub fn respond<T: Serialize + ?Sized>(self, status: u16, body: &T) -> Self {
        let spec = self.documented(status, true);
        self.respond_checked(status, spec, body)
    }

    /// Answers with `status` and the spec's example of that response, decoded
    /// through the generated type first (a broken example panics).
    pub fn respond_example(mut self, status: u16) -> Self {
        let id = O::SPEC.info.id;
        let Some(spec) = O::SPEC.response(status) else {
            panic!("mock of `{id}`: the operation documents no {status} response");
        };
        let Some(example) = spec.example else {
            panic!(
                "mock of `{id}`: the spec gives no example of the {} response",
                spec.status
            );
        };
        let value: Value = serde_json::from_str(example).unwrap_or_else(|e| {
            panic!(
                "mock of `{id}`: the {} example is not JSON: {e}",
                spec.status
            )
        });
        let content_type = spec.content_type.unwrap_or("application/json");
        let template = match (&value, spec.round_trip) {
            (_, Some(round_trip)) => {
                let encoded = round_trip(&value).unwrap_or_else(|e| {
                    panic!(
                        "mock of `{id}`: the spec's {} example does not decode into `{}`: {e}",
                        spec.status,
                        spec.type_name.unwrap_or("its type")
                    )
                });
                json_template(status, content_type, &encoded)
            }
            (Value::String(text), None) => {
                ResponseTemplate::new(status).set_body_raw(text.clone().into_bytes(), content_type)
            }
            (other, None) => json_template(status, content_type, other),
        };
        self.response = Some(template);
        self
    }

    /// Answers with an error `status` and `body` as JSON. For a documented error
    /// status, `body` must decode into its type; an undocumented status (say a
    /// `503` the spec does not list) is sent as is.
    pub fn respond_error<T: Serialize + ?Sized>(self, status: u16, body: &T) -> Self {
        let id = O::SPEC.info.id;
        if status < 400 {
            panic!("mock of `{id}`: respond_error({status}): not an error status");
        }
        match O::SPEC.response(status) {
            Some(spec) if !spec.success => self.respond_checked(status, spec, body),
            _ => {
                let value = serde_json::to_value(body)
                    .unwrap_or_else(|e| panic!("mock of `{id}`: cannot encode the body: {e}"));
                self.respond_with(json_template(status, "application/json", &value))
            }
        }
    }

    /// Answers with `status` and no body.
    pub fn respond_empty(self, status: u16) -> Self {
        self.respond_with(ResponseTemplate::new(status))
    }

    /// Answers with `template` as it is (any status, headers or body).
    pub fn respond_with(mut self, template: ResponseTemplate) -> Self {
        self.response = Some(template);
        self
    }

    /// Expects exactly `n` matching requests: [`MockServer::verify`] (or dropping
    /// the server) fails otherwise.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers after `delay` (for timeouts).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Sets the expectation up.
    ///
    /// # Panics
    ///
    /// If no answer was given (`respond*`), or a parameter setter was given a
    /// value the operation cannot send.
    pub async fn mount(self) {
        let id = O::SPEC.info.id;
        let Some(mut template) = self.response else {
            panic!(
                "mock of `{id}`: no answer was set (call `respond`, `respond_example`, `respond_error` ...)"
            );
        };
        if let Some(delay) = self.delay {
            template = template.set_delay(delay);
        }
        let request = match self.request.finish() {
            Ok(r) => r,
            Err(e) => panic!("mock of `{id}`: {e}"),
        };
        let expected = Expected {
            op: O::SPEC,
            query: decoded_query(&request.query),
            headers: request
                .headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.clone()))
                .collect(),
            path: request.path,
            body: self.body.or_else(|| match &request.body {
                Body::Bytes { data, content_type } if content_type.contains("json") => {
                    serde_json::from_slice(data).ok()
                }
                _ => None,
            }),
        };
        let name = format!("{id} ({} {})", O::SPEC.info.method, O::SPEC.info.path);
        // The more an expectation names, the earlier it is tried: `id("missing")`
        // wins over any id.
        let named = expected
            .path
            .matches('{')
            .count()
            .abs_diff(O::SPEC.info.path.matches('{').count())
            + expected.query.len()
            + expected.headers.len()
            + usize::from(expected.body.is_some());
        let priority = 20u8
            .saturating_sub(u8::try_from(named).unwrap_or(u8::MAX))
            .max(2);
        let mut mock = wiremock::Mock::given(Matches(expected.clone()))
            .respond_with(template)
            .with_priority(priority);
        if let Some(n) = self.times {
            mock = mock.expect(n).up_to_n_times(n);
        }
        self.server
            .state
            .expectations
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(expected);
        mock.named(name).mount(&self.server.server).await;
    }

    fn documented(&self, status: u16, success: bool) -> &'static ResponseSpec {
        let id = O::SPEC.info.id;
        match O::SPEC.response(status) {
            Some(spec) if spec.success == success => spec,
            Some(_) if success => {
                panic!("mock of `{id}`: {status} is an error of the operation; use respond_error")
            }
            _ => panic!("mock of `{id}`: the operation documents no {status} response"),
        }
    }

    fn respond_checked<T: Serialize + ?Sized>(
        self,
        status: u16,
        spec: &'static ResponseSpec,
        body: &T,
    ) -> Self {
        let id = O::SPEC.info.id;
        let value = serde_json::to_value(body)
            .unwrap_or_else(|e| panic!("mock of `{id}`: cannot encode the body: {e}"));
        if let Some(round_trip) = spec.round_trip
            && let Err(e) = round_trip(&value)
        {
            panic!(
                "mock of `{id}`: the {status} body does not decode into `{}`: {e}",
                spec.type_name.unwrap_or("its type")
            );
        }
        let content_type = spec
            .content_type
            .filter(|c| c.contains("json"))
            .unwrap_or("application/json");
        self.respond_with(json_template(status, content_type, &value))
    }
}

impl<'a, O: MockOperation> IntoFuture for Mock<'a, O> {
    type Output = ();
    type IntoFuture = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.mount())
    }
}

fn json_template(status: u16, content_type: &str, value: &Value) -> ResponseTemplate {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    ResponseTemplate::new(status).set_body_raw(bytes, content_type)
}

fn decoded_query(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut text = String::new();
    for (i, (_, pair)) in pairs.iter().enumerate() {
        if i > 0 {
            text.push('&');
        }
        text.push_str(pair);
    }
    form_pairs(&text)
}

fn form_pairs(query: &str) -> Vec<(String, String)> {
    let Ok(url) = reqwest::Url::parse(&format!("http://mock.invalid/?{query}")) else {
        return Vec::new();
    };
    url.query_pairs().into_owned().collect()
}

/// Matches the requests of one expectation.
struct Matches(Expected);

impl wiremock::Match for Matches {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let e = &self.0;
        if !e
            .op
            .info
            .method
            .eq_ignore_ascii_case(request.method.as_str())
            || !template_matches(&e.path, request.url.path())
            || !request_problems(e.op, request).is_empty()
        {
            return false;
        }
        let got: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        if !e.query.iter().all(|pair| got.contains(pair)) {
            return false;
        }
        let headers_match = e.headers.iter().all(|(n, v)| {
            request
                .headers
                .get(n.as_str())
                .and_then(|h| h.to_str().ok())
                == Some(v.as_str())
        });
        headers_match
            && e.body.as_ref().is_none_or(|expected| {
                serde_json::from_slice::<Value>(&request.body).is_ok_and(|got| &got == expected)
            })
    }
}

// ---------------------------------------------------------------------------
// The registry
// ---------------------------------------------------------------------------

/// The future of an example call ([`OperationEntry::call`]).
pub type CallFuture<'a> =
    Pin<Box<dyn Future<Output = Result<CallOutcome, ExampleError>> + Send + 'a>>;

/// One operation in the generated registry. `C` is the generated `Client`.
pub struct OperationEntry<C: 'static> {
    /// What the operation is.
    pub spec: &'static OperationSpec,
    /// Its tags.
    pub tags: &'static [&'static str],
    /// Calls the operation with arguments built from the spec's examples (a
    /// schema's example, a parameter's default, or for a plain string, enum or
    /// number a value of its type), when they can be built.
    pub call: Option<for<'c> fn(&'c C) -> CallFuture<'c>>,
    /// Why there is no example call.
    pub not_callable: Option<&'static str>,
}

impl<C> fmt::Debug for OperationEntry<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationEntry")
            .field("id", &self.spec.info.id)
            .field("method", &self.spec.info.method)
            .field("path", &self.spec.info.path)
            .field("callable", &self.call.is_some())
            .finish_non_exhaustive()
    }
}

/// One component schema in the generated registry.
#[derive(Debug)]
pub struct SchemaEntry {
    /// The Rust type, as written in generated code (`models::Source`).
    pub type_name: &'static str,
    /// The schema's JSON pointer in the document.
    pub pointer: &'static str,
    /// Decodes a value into the type and encodes it back ([`round_trip`]).
    pub round_trip: RoundTrip,
    /// The spec's example of the schema, as JSON text.
    pub example: Option<&'static str>,
}

/// A value of a parameter or body of an example call could not be built from
/// the spec's example.
#[derive(Debug, Clone)]
pub struct ExampleError {
    /// The parameter (or `body`).
    pub argument: &'static str,
    /// Why.
    pub message: String,
}

impl fmt::Display for ExampleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the example of `{}` does not decode: {}",
            self.argument, self.message
        )
    }
}

impl std::error::Error for ExampleError {}

/// Decodes the example `json` of `argument` into its Rust type.
pub fn example<T: DeserializeOwned>(argument: &'static str, json: &str) -> Result<T, ExampleError> {
    let mut de = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        ExampleError {
            argument,
            message: format!("at `{path}`: {}", e.into_inner()),
        }
    })
}

/// What an example call got.
#[derive(Debug)]
#[non_exhaustive]
pub struct CallOutcome {
    /// The status of the answer; `None` when there was none.
    pub status: Option<u16>,
    /// What became of it.
    pub kind: OutcomeKind,
}

/// What became of an example call's answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum OutcomeKind {
    /// A success, decoded.
    Success,
    /// An error status.
    Api {
        /// The body decoded into the status's documented type.
        typed: bool,
        /// Why it did not, for a documented status whose body did not decode.
        body_error: Option<String>,
    },
    /// A success whose body did not decode.
    Decode {
        /// Where (`attributes[1].enabled`).
        path: String,
        /// What went wrong.
        message: String,
    },
    /// No answer: the request could not be encoded or sent, or credentials
    /// failed.
    Failed(String),
}

/// The outcome of a call, for the registry's example calls.
pub fn outcome<T, E>(result: Result<Response<T>, Error<E>>) -> CallOutcome {
    match result {
        Ok(r) => CallOutcome {
            status: Some(r.status),
            kind: OutcomeKind::Success,
        },
        Err(Error::Api(api)) => CallOutcome {
            status: Some(api.status),
            kind: OutcomeKind::Api {
                typed: api.body.is_some(),
                body_error: api.body_error.clone(),
            },
        },
        Err(Error::Decode(d)) => CallOutcome {
            status: Some(d.status),
            kind: OutcomeKind::Decode {
                path: d.path.clone(),
                message: d.message.clone(),
            },
        },
        Err(Error::BodyTooLarge { status, .. }) => CallOutcome {
            status: Some(status),
            kind: OutcomeKind::Failed("body too large".to_owned()),
        },
        Err(other) => CallOutcome {
            status: None,
            kind: OutcomeKind::Failed(other.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_segments() {
        assert!(template_matches("/books/{id}", "/books/b1"));
        assert!(template_matches("/books/{id}/", "/books/b%201"));
        assert!(!template_matches("/books/{id}", "/books"));
        assert!(!template_matches("/books/{id}", "/books/b1/cover"));
        assert!(template_matches("/files/{name}.json", "/files/a.json"));
        assert!(!template_matches("/files/{name}.json", "/files/a.xml"));
        assert!(template_matches("/v/{a}-{b}", "/v/x-y"));
        assert!(template_matches("/books/search", "/books/search"));
    }

    static LITERAL: OperationSpec = OperationSpec {
        info: OperationInfo {
            id: "searchBooks",
            method: "GET",
            path: "/books/search",
        },
        required_query: &["q"],
        required_headers: &[],
        request_body: None,
        responses: &[],
    };
    static VARIABLE: OperationSpec = OperationSpec {
        info: OperationInfo {
            id: "getBook",
            method: "GET",
            path: "/books/{id}",
        },
        required_query: &[],
        required_headers: &[],
        request_body: None,
        responses: &[
            ResponseSpec {
                status: StatusPattern::Code(200),
                success: true,
                content_type: Some("application/json"),
                type_name: Some("Value"),
                example: None,
                round_trip: Some(round_trip::<Value>),
            },
            ResponseSpec {
                status: StatusPattern::Range(4),
                success: false,
                content_type: None,
                type_name: None,
                example: None,
                round_trip: None,
            },
        ],
    };

    #[test]
    fn literal_paths_win_and_statuses_resolve() {
        let ops = [&VARIABLE, &LITERAL];
        let candidates: Vec<&OperationSpec> = ops
            .iter()
            .copied()
            .filter(|op| template_matches(op.info.path, "/books/search"))
            .collect();
        assert_eq!(
            best_operation(&candidates, "get").map(|o| o.info.id),
            Some("searchBooks")
        );
        assert_eq!(
            VARIABLE.response(200).map(|r| r.status),
            Some(StatusPattern::Code(200))
        );
        assert_eq!(
            VARIABLE.response(404).map(|r| r.status),
            Some(StatusPattern::Range(4))
        );
        assert!(VARIABLE.response(500).is_none());
    }

    #[test]
    fn round_trips_name_the_path() {
        #[derive(serde::Deserialize, Serialize)]
        struct S {
            #[allow(dead_code)]
            n: i64,
        }
        let err = round_trip::<Vec<S>>(&serde_json::json!([{"n": 1}, {"n": "x"}])).unwrap_err();
        assert!(err.starts_with("at `[1].n`"), "{err}");
        assert!(decodes::<Vec<S>>(b"[{\"n\": 2}]").is_ok());
        assert_eq!(
            snake_case("getSourceAttrSyncConfig"),
            "get_source_attr_sync_config"
        );
    }
}
