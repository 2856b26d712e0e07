//! Record and replay: capture the exchanges of a client with a real server (or
//! any server) into a file, then answer the same requests from that file in
//! tests, checking that the client still sends what it sent. See [`Recorder`]
//! (with an example and what is redacted), [`Recording`] (the file format) and
//! [`Replay`].

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use base64::Engine as _;
use bytes::Bytes;
use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::runtime::auth::REDACTED;
use crate::runtime::observe::{Exchange, Observer, decode_query_text};

/// The version of the [file format](Recording#file-format) that
/// [`Recording::to_json`] writes and [`Recording::from_json`] reads.
pub const FORMAT_VERSION: u32 = 1;

/// The names of JSON members, form fields and query parameters whose values are
/// redacted from recordings (compared case-insensitively).
const SECRET_MEMBERS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "password",
];

/// The headers whose values are redacted from recordings.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Response headers not replayed: the mock server writes its own.
const NOT_REPLAYED: &[&str] = &[
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
];

/// How many characters of a text body a mismatch message shows.
const SHOWN_CHARS: usize = 200;

/// Records the exchanges of a client: an [`Observer`] to give to
/// [`ClientBuilder::observer`](crate::runtime::ClientBuilder::observer).
///
/// Cheap to clone: clones share the exchanges. They are kept in the order the
/// responses arrived, redacted as [below](#secrets) says.
///
/// Record and replay:
///
/// * set a recorder with
///   [`ClientBuilder::observer`](crate::runtime::ClientBuilder::observer), make
///   the calls, then [`save`](Recorder::save) the [`Recording`];
/// * [`Replay::start`] serves a recording from a local mock server: the
///   *n*-th request it receives gets the *n*-th recorded response. Use
///   [`Replay::uri`] as the client's base URL, make the same calls, and
///   [`verify`](Replay::verify): each request is compared with the recorded
///   one at its position.
///
/// ```no_run
/// use generated_client::runtime::Client;
/// use generated_client::runtime::testing::{Recorder, Recording, Replay};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// // Recording (once, against the real API):
/// let recorder = Recorder::new();
/// let client = Client::builder()
///     .base_url("https://api.example.com/v3")
///     .bearer_token(std::env::var("API_TOKEN")?)
///     .observer(recorder.clone())
///     .build()?;
/// // ... calls ...
/// recorder.save("tests/recordings/books.json")?;
///
/// // Replaying (in tests, offline):
/// let replay = Replay::start(Recording::load("tests/recordings/books.json")?).await;
/// let client = Client::builder().base_url(replay.uri()).build()?;
/// // ... the same calls ...
/// replay.verify().await;
/// # Ok(())
/// # }
/// ```
///
/// # Secrets
///
/// Exchanges reach the recorder with the client's credentials redacted (see
/// [`Exchange`]). A recording also replaces, when it is made and again when it is
/// saved, the values of the `Authorization`, `Proxy-Authorization`, `Cookie` and
/// `Set-Cookie` headers, and of the JSON members, form fields and query
/// parameters named `access_token`, `refresh_token`, `id_token`,
/// `client_secret` or `password` (at any depth, names compared
/// case-insensitively) with `<redacted>`. Requests to the OAuth2 token endpoint
/// are never recorded.
///
/// When replaying, a recorded value `<redacted>` (a query parameter, a form
/// field, a JSON string) matches any value.
#[derive(Clone, Default)]
pub struct Recorder {
    exchanges: Arc<Mutex<Vec<RecordedExchange>>>,
}

impl Recorder {
    /// A recorder with nothing recorded.
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// What has been recorded so far.
    pub fn recording(&self) -> Recording {
        Recording {
            exchanges: lock(&self.exchanges).clone(),
        }
    }

    /// Writes what has been recorded so far to `path` ([`Recording::save`]).
    pub fn save(&self, path: impl AsRef<Path>) -> io::Result<()> {
        self.recording().save(path)
    }

    /// How many exchanges have been recorded.
    pub fn len(&self) -> usize {
        lock(&self.exchanges).len()
    }

    /// Whether nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets what has been recorded.
    pub fn clear(&self) {
        lock(&self.exchanges).clear();
    }
}

impl Observer for Recorder {
    fn exchange(&self, exchange: &Exchange) {
        let recorded = RecordedExchange::from_exchange(exchange);
        lock(&self.exchanges).push(recorded);
    }
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("exchanges", &self.len())
            .finish()
    }
}

/// Recorded exchanges, in order: what a [`Recorder`] made, or a file read with
/// [`load`](Self::load).
///
/// # File format
///
/// Pretty-printed JSON ([`Recording::to_json`]), deterministic for the same
/// exchanges, with a format `version` (currently [`FORMAT_VERSION`]):
///
/// ```json
/// {
///   "version": 1,
///   "exchanges": [
///     {
///       "operation": "getBook",
///       "attempt": 1,
///       "request": {
///         "method": "GET",
///         "path": "/books/42?fields=title",
///         "headers": {
///           "accept": "application/json",
///           "authorization": "<redacted>"
///         }
///       },
///       "response": {
///         "status": 200,
///         "headers": {
///           "content-type": "application/json",
///           "set-cookie": ["<redacted>", "<redacted>"]
///         },
///         "body": { "json": { "id": 42, "title": "Dune" } }
///       }
///     }
///   ]
/// }
/// ```
///
/// * `path`: the path and query, relative to the base URL, percent-encoded as
///   sent;
/// * `headers`: an object in the order the headers came, names in lower case; a
///   header sent more than once has an array of its values;
/// * `body`: absent for an empty body; otherwise `{"json": value}` when the body
///   is JSON (its content type, if any, is a JSON type), `{"text": "..."}` when
///   it is other UTF-8 text, `{"base64": "..."}` (standard alphabet, padded)
///   for anything else. A JSON body is replayed re-encoded, compactly: the same
///   JSON value, not necessarily the same bytes. A multipart request body is
///   streamed, so it is not recorded, and not compared when replaying.
///
/// Members the format does not know are ignored when loading; a file of
/// another `version` is refused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recording {
    /// The exchanges, in the order they happened (and are replayed).
    pub exchanges: Vec<RecordedExchange>,
}

/// The file: the format version, then the exchanges.
#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    exchanges: &'a [RecordedExchange],
}

#[derive(Deserialize)]
struct FileIn {
    exchanges: Vec<RecordedExchange>,
}

#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

impl Recording {
    /// An empty recording.
    pub fn new() -> Recording {
        Recording::default()
    }

    /// Reads a recording written by [`save`](Self::save). A file that is not
    /// a recording of this [`FORMAT_VERSION`] fails with
    /// [`io::ErrorKind::InvalidData`].
    pub fn load(path: impl AsRef<Path>) -> io::Result<Recording> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)?;
        Recording::from_json(&text).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: not a recording: {e}", path.display()),
            )
        })
    }

    /// Writes the recording to `path` ([`to_json`](Self::to_json)), replacing
    /// the file.
    pub fn save(&self, path: impl AsRef<Path>) -> io::Result<()> {
        std::fs::write(path, self.to_json())
    }

    /// Reads a recording from its JSON text (as it is: nothing is redacted).
    pub fn from_json(text: &str) -> Result<Recording, serde_json::Error> {
        let VersionOnly { version } = serde_json::from_str(text)?;
        if version != FORMAT_VERSION {
            return Err(serde::de::Error::custom(format_args!(
                "recording format version {version}, expected {FORMAT_VERSION}"
            )));
        }
        let file: FileIn = serde_json::from_str(text)?;
        Ok(Recording {
            exchanges: file.exchanges,
        })
    }

    /// The recording as pretty-printed JSON, ending with a newline, secrets
    /// redacted (see [what is redacted](Recorder#secrets)). The same exchanges
    /// always give the same text.
    pub fn to_json(&self) -> String {
        let mut redacted = self.clone();
        redacted.redact();
        let file = FileOut {
            version: FORMAT_VERSION,
            exchanges: &redacted.exchanges,
        };
        let mut text = serde_json::to_string_pretty(&file)
            .expect("a recording is always serializable as JSON");
        text.push('\n');
        text
    }

    /// How many exchanges.
    pub fn len(&self) -> usize {
        self.exchanges.len()
    }

    /// Whether there is no exchange.
    pub fn is_empty(&self) -> bool {
        self.exchanges.is_empty()
    }

    /// Replaces the [secrets](Recorder#secrets).
    fn redact(&mut self) {
        for exchange in &mut self.exchanges {
            exchange.redact();
        }
    }
}

/// One recorded exchange: an attempt of an operation and its response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordedExchange {
    /// The operation id, e.g. `getBook`.
    pub operation: String,
    /// Which attempt of the request this was (1 for the first; more after
    /// retries).
    #[serde(default = "first_attempt")]
    pub attempt: u32,
    /// What the client sent.
    pub request: RecordedRequest,
    /// What the server answered.
    pub response: RecordedResponse,
}

fn first_attempt() -> u32 {
    1
}

/// A recorded request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The path and query relative to the client's base URL, percent-encoded as
    /// sent, e.g. `/books/42?fields=title`.
    pub path: String,
    /// The headers, in order, names in lower case.
    #[serde(default, with = "header_list")]
    pub headers: Vec<(String, String)>,
    /// The body.
    #[serde(default, skip_serializing_if = "RecordedBody::is_empty")]
    pub body: RecordedBody,
}

/// A recorded response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordedResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers, in order, names in lower case.
    #[serde(default, with = "header_list")]
    pub headers: Vec<(String, String)>,
    /// The body.
    #[serde(default, skip_serializing_if = "RecordedBody::is_empty")]
    pub body: RecordedBody,
}

/// A recorded body, by kind (see the [file format](Recording#file-format)).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Option<BodyRepr>", into = "Option<BodyRepr>")]
pub enum RecordedBody {
    /// No body.
    #[default]
    Empty,
    /// A JSON body.
    Json(Value),
    /// A UTF-8 text body that is not JSON.
    Text(String),
    /// Any other body (`base64` in the file).
    Bytes(Bytes),
}

/// How a body is written in the file.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum BodyRepr {
    Json(Value),
    Text(String),
    Base64(String),
}

impl From<RecordedBody> for Option<BodyRepr> {
    fn from(body: RecordedBody) -> Option<BodyRepr> {
        match body {
            RecordedBody::Empty => None,
            RecordedBody::Json(value) => Some(BodyRepr::Json(value)),
            RecordedBody::Text(text) => Some(BodyRepr::Text(text)),
            RecordedBody::Bytes(bytes) => Some(BodyRepr::Base64(
                base64::engine::general_purpose::STANDARD.encode(bytes),
            )),
        }
    }
}

impl TryFrom<Option<BodyRepr>> for RecordedBody {
    type Error = String;

    fn try_from(repr: Option<BodyRepr>) -> Result<RecordedBody, String> {
        Ok(match repr {
            None => RecordedBody::Empty,
            Some(BodyRepr::Json(value)) => RecordedBody::Json(value),
            Some(BodyRepr::Text(text)) => RecordedBody::Text(text),
            Some(BodyRepr::Base64(text)) => RecordedBody::Bytes(
                base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .map_err(|e| format!("invalid base64 body: {e}"))?
                    .into(),
            ),
        })
    }
}

impl RecordedBody {
    /// The body of a message with content type `content_type` (if known):
    /// JSON when it parses as JSON and the content type, if any, is a JSON
    /// type; otherwise text when it is UTF-8; otherwise bytes.
    pub fn from_bytes(bytes: &[u8], content_type: Option<&str>) -> RecordedBody {
        if bytes.is_empty() {
            return RecordedBody::Empty;
        }
        if content_type.is_none_or(is_json_type)
            && let Ok(value) = serde_json::from_slice::<Value>(bytes)
        {
            return RecordedBody::Json(value);
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => RecordedBody::Text(text.to_owned()),
            Err(_) => RecordedBody::Bytes(Bytes::copy_from_slice(bytes)),
        }
    }

    /// The body as bytes (JSON encoded compactly).
    pub fn to_bytes(&self) -> Bytes {
        match self {
            RecordedBody::Empty => Bytes::new(),
            RecordedBody::Json(value) => {
                Bytes::from(serde_json::to_vec(value).expect("a JSON value is always serializable"))
            }
            RecordedBody::Text(text) => Bytes::from(text.clone()),
            RecordedBody::Bytes(bytes) => bytes.clone(),
        }
    }

    /// Whether there is no body.
    pub fn is_empty(&self) -> bool {
        match self {
            RecordedBody::Empty => true,
            RecordedBody::Text(text) => text.is_empty(),
            RecordedBody::Bytes(bytes) => bytes.is_empty(),
            RecordedBody::Json(_) => false,
        }
    }

    /// Replaces the secret JSON members or form fields.
    fn redact(&mut self, content_type: Option<&str>) {
        match self {
            RecordedBody::Json(value) => redact_json(value),
            RecordedBody::Text(text) if content_type.is_some_and(is_form_type) => {
                *text = redact_pairs(text);
            }
            _ => {}
        }
    }
}

impl RecordedExchange {
    /// An exchange as the client reported it, with the path made relative to
    /// the base URL and the secrets replaced.
    fn from_exchange(exchange: &Exchange) -> RecordedExchange {
        let path = relative_path(&exchange.url, &exchange.base_url)
            .unwrap_or_else(|| exchange.path_and_query.clone());
        let request_type = content_type(&exchange.request_headers);
        let response_type = content_type(&exchange.response_headers);
        let mut recorded = RecordedExchange {
            operation: exchange.operation.to_owned(),
            attempt: exchange.attempt,
            request: RecordedRequest {
                method: exchange.method.clone(),
                path,
                headers: exchange.request_headers.clone(),
                body: RecordedBody::from_bytes(&exchange.request_body, request_type),
            },
            response: RecordedResponse {
                status: exchange.status,
                headers: exchange.response_headers.clone(),
                body: RecordedBody::from_bytes(&exchange.response_body, response_type),
            },
        };
        recorded.redact();
        recorded
    }

    fn redact(&mut self) {
        for headers in [&mut self.request.headers, &mut self.response.headers] {
            for (name, value) in headers.iter_mut() {
                *name = name.to_ascii_lowercase();
                if SECRET_HEADERS.contains(&name.as_str()) {
                    *value = REDACTED.to_owned();
                }
            }
        }
        let request_type = content_type(&self.request.headers).map(str::to_owned);
        self.request.body.redact(request_type.as_deref());
        let response_type = content_type(&self.response.headers).map(str::to_owned);
        self.response.body.redact(response_type.as_deref());
        if let Some((path, query)) = self.request.path.split_once('?') {
            self.request.path = format!("{path}?{}", redact_pairs(query));
        }
    }
}

/// `url` relative to `base_url` (`/books?x=1`), when it starts with it.
fn relative_path(url: &str, base_url: &str) -> Option<String> {
    let rest = url.strip_prefix(base_url.trim_end_matches('/'))?;
    match rest.chars().next() {
        None => Some("/".to_owned()),
        Some('/') => Some(rest.to_owned()),
        Some('?') => Some(format!("/{rest}")),
        Some(_) => None,
    }
}

/// The `Content-Type` of `headers`, if any.
fn content_type(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.as_str())
}

/// The media type of a `Content-Type` value, lower case.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// `application/json`, `application/problem+json`, ...
fn is_json_type(content_type: &str) -> bool {
    let media = media_type(content_type);
    media == "application/json" || media.ends_with("+json") || media.ends_with("/json")
}

fn is_form_type(content_type: &str) -> bool {
    media_type(content_type) == "application/x-www-form-urlencoded"
}

fn is_multipart_type(content_type: &str) -> bool {
    media_type(content_type).starts_with("multipart/")
}

fn is_secret_member(name: &str) -> bool {
    SECRET_MEMBERS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Replaces the values of the secret members, at any depth.
fn redact_json(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if is_secret_member(name) && !member.is_null() {
                    *member = Value::String(REDACTED.to_owned());
                } else {
                    redact_json(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// `name=value&...` (a query or a form body) with the values of the secret
/// names replaced.
fn redact_pairs(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_member(&decode_query_text(name)) => {
                format!("{name}={REDACTED}")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `name=value&...`, decoded.
fn decode_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_query_text(name), decode_query_text(value))
        })
        .collect()
}

/// Locks, whether or not another thread panicked holding the lock.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The headers as a JSON object in their order, with arrays for repeated names.
mod header_list {
    use std::fmt;

    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        headers: &[(String, String)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in headers {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        let mut map = serializer.serialize_map(Some(names.len()))?;
        for name in names {
            let values: Vec<&str> = headers
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect();
            match values.as_slice() {
                [one] => map.serialize_entry(name, one)?,
                many => map.serialize_entry(name, many)?,
            }
        }
        map.end()
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Values {
        One(String),
        Many(Vec<String>),
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<(String, String)>, D::Error> {
        struct HeadersVisitor;

        impl<'de> Visitor<'de> for HeadersVisitor {
            type Value = Vec<(String, String)>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of header names and values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut headers = Vec::new();
                while let Some((name, values)) = map.next_entry::<String, Values>()? {
                    match values {
                        Values::One(value) => headers.push((name, value)),
                        Values::Many(values) => {
                            headers.extend(values.into_iter().map(|value| (name.clone(), value)));
                        }
                    }
                }
                Ok(headers)
            }
        }

        deserializer.deserialize_map(HeadersVisitor)
    }
}

/// A local mock server answering with the exchanges of a [`Recording`], in
/// order, and checking each request against the recorded one.
///
/// The *n*-th request received gets the *n*-th recorded response, whatever it
/// is (replays are for sequential calls: concurrent requests arrive in no
/// particular order). Each request is compared with the recorded request at its
/// position: the method and path (the operation), the query parameters (as a
/// multiset: order does not matter) and the body (as JSON values when the
/// recorded body is JSON; field by field for a form; byte for byte otherwise).
/// Headers are not compared. A recorded value `<redacted>` matches any value.
///
/// A request that does not match still counts (the next request is compared
/// with the next exchange) but gets a `500` answer whose text body says what
/// differed, so the client's error shows it too; a request past the end of the
/// recording gets a `500` too. [`verify`](Self::verify) panics listing every
/// mismatch, extra request and recorded exchange that was never requested,
/// naming the recorded operation: `request 2 (getBook): query: expected
/// limit=2, got limit=3`. Dropping the replay checks the same, unless `verify`
/// already did (and nothing was received since) or the thread is panicking.
///
/// # Paths and the base URL
///
/// Recorded paths are relative to the base URL of the client that made them: a
/// request to `https://api.example.com/v3/books?limit=2` by a client whose base
/// URL is `https://api.example.com/v3` is recorded as `/books?limit=2`, and is
/// expected at `{replay.uri()}/books?limit=2`. So the replaying client's base
/// URL is [`Replay::uri`] itself, without the API's base path.
pub struct Replay {
    server: wiremock::MockServer,
    state: Arc<Mutex<ReplayState>>,
}

struct ReplayState {
    exchanges: Vec<RecordedExchange>,
    /// How many requests have been received.
    received: usize,
    /// Mismatches and extra requests, in order.
    failures: Vec<String>,
    /// `received` when [`Replay::verify`] last ran.
    verified_at: Option<usize>,
}

impl ReplayState {
    /// Every problem: the failures, then the exchanges never requested.
    fn problems(&self) -> Vec<String> {
        let mut problems = self.failures.clone();
        for (i, exchange) in self.exchanges.iter().enumerate().skip(self.received) {
            problems.push(format!(
                "request {} ({}): not sent (recorded: {} {})",
                i + 1,
                exchange.operation,
                exchange.request.method,
                exchange.request.path
            ));
        }
        problems
    }

    fn report(&self) -> Option<String> {
        let problems = self.problems();
        if problems.is_empty() {
            return None;
        }
        let mut message = format!(
            "replay of {} recorded exchange{}: {} problem{}:",
            self.exchanges.len(),
            plural(self.exchanges.len()),
            problems.len(),
            plural(problems.len()),
        );
        for problem in problems {
            message.push_str("\n  ");
            message.push_str(&problem);
        }
        Some(message)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Replay {
    /// Starts a mock server on a local port serving `recording`.
    pub async fn start(recording: Recording) -> Replay {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(Mutex::new(ReplayState {
            exchanges: recording.exchanges,
            received: 0,
            failures: Vec::new(),
            verified_at: None,
        }));
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Responder(state.clone()))
            .named("replay")
            .mount(&server)
            .await;
        Replay { server, state }
    }

    /// The base URL to give the client, e.g. `http://127.0.0.1:34567` (see
    /// [paths and the base URL](Replay#paths-and-the-base-url)).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// How many requests have been received.
    pub fn received(&self) -> usize {
        lock(&self.state).received
    }

    /// What [`verify`](Self::verify) would report, one line per problem; empty
    /// when every recorded exchange was requested as recorded.
    pub fn problems(&self) -> Vec<String> {
        lock(&self.state).problems()
    }

    /// Panics, listing them, if any request did not match the recorded one at
    /// its position, if there were more requests than recorded exchanges, or if
    /// some recorded exchanges were not requested.
    pub async fn verify(&self) {
        let report = {
            let mut state = lock(&self.state);
            state.verified_at = Some(state.received);
            state.report()
        };
        if let Some(report) = report {
            panic!("{report}");
        }
    }
}

impl fmt::Debug for Replay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Replay")
            .field("uri", &self.server.uri())
            .field("exchanges", &state.exchanges.len())
            .field("received", &state.received)
            .field("failures", &state.failures.len())
            .finish()
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let report = {
            let state = lock(&self.state);
            if state.verified_at == Some(state.received) {
                return;
            }
            state.report()
        };
        if let Some(report) = report {
            panic!("{report}");
        }
    }
}

/// Answers the requests of a [`Replay`].
struct Responder(Arc<Mutex<ReplayState>>);

impl wiremock::Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let mut state = lock(&self.0);
        let index = state.received;
        state.received += 1;
        let got = describe(request);
        let Some(exchange) = state.exchanges.get(index) else {
            let failure = format!(
                "request {}: not in the recording ({} exchange{}): {got}",
                index + 1,
                state.exchanges.len(),
                plural(state.exchanges.len()),
            );
            state.failures.push(failure.clone());
            return mismatch(&failure);
        };
        let differences = compare(&exchange.request, request);
        if !differences.is_empty() {
            let failure = format!(
                "request {} ({}): {}",
                index + 1,
                exchange.operation,
                differences.join("; ")
            );
            state.failures.push(failure.clone());
            return mismatch(&failure);
        }
        match response(&exchange.response) {
            Ok(template) => template,
            Err(reason) => {
                let failure = format!("request {} ({}): {reason}", index + 1, exchange.operation);
                state.failures.push(failure.clone());
                mismatch(&failure)
            }
        }
    }
}

/// The answer to a request that does not match: `500` (not retried by the
/// default retry policy) with the reason.
fn mismatch(failure: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(500).set_body_string(format!(
        "replay: the request does not match the recording: {failure}"
    ))
}

/// The recorded response as the mock server's answer.
fn response(recorded: &RecordedResponse) -> Result<wiremock::ResponseTemplate, String> {
    let status = reqwest::StatusCode::from_u16(recorded.status)
        .map_err(|_| format!("invalid recorded status {}", recorded.status))?;
    let mut template = wiremock::ResponseTemplate::new(status);
    for (name, value) in &recorded.headers {
        if NOT_REPLAYED.iter().any(|n| name.eq_ignore_ascii_case(n)) {
            continue;
        }
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) else {
            return Err(format!("invalid recorded response header `{name}`"));
        };
        template = template.append_header(name, value);
    }
    Ok(template.set_body_bytes(recorded.body.to_bytes().to_vec()))
}

/// `GET /path?query` of a received request.
fn describe(request: &wiremock::Request) -> String {
    match request.url.query() {
        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

/// How `request` differs from `recorded`: empty when it matches.
fn compare(recorded: &RecordedRequest, request: &wiremock::Request) -> Vec<String> {
    let mut differences = Vec::new();
    let (expected_path, expected_query) = split_path(&recorded.path);
    let got_path = request.url.path();
    let method_differs = !recorded
        .method
        .eq_ignore_ascii_case(request.method.as_str());
    if method_differs || expected_path != got_path {
        differences.push(format!(
            "operation: expected {} {expected_path}, got {} {got_path}",
            recorded.method.to_ascii_uppercase(),
            request.method
        ));
    }
    let expected = expected_query
        .as_deref()
        .map(decode_pairs)
        .unwrap_or_default();
    let got = request.url.query().map(decode_pairs).unwrap_or_default();
    if let Some((missing, extra)) = pairs_differ(&expected, &got) {
        differences.push(format!("query: expected {missing}, got {extra}"));
    }
    let content_type = content_type(&recorded.headers);
    if let Some(difference) = body_difference(&recorded.body, content_type, &request.body) {
        differences.push(format!("body: {difference}"));
    }
    differences
}

/// A recorded `path?query`: the path as a URL parser writes it, and the query.
fn split_path(recorded: &str) -> (String, Option<String>) {
    let relative = if recorded.starts_with('/') {
        recorded.to_owned()
    } else {
        format!("/{recorded}")
    };
    match Url::parse(&format!("http://replay.invalid{relative}")) {
        Ok(url) => (url.path().to_owned(), url.query().map(str::to_owned)),
        Err(_) => match relative.split_once('?') {
            Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
            None => (relative, None),
        },
    }
}

/// When the multisets of pairs differ: the expected pairs not received, and
/// the received pairs not expected, as `a=1&b=2` (`(none)` for none). An
/// expected value `<redacted>` matches any value.
fn pairs_differ(
    expected: &[(String, String)],
    got: &[(String, String)],
) -> Option<(String, String)> {
    let mut unmatched: Vec<&(String, String)> = got.iter().collect();
    let mut missing: Vec<&(String, String)> = Vec::new();
    let mut wildcards: Vec<&(String, String)> = Vec::new();
    for pair in expected {
        if pair.1 == REDACTED {
            wildcards.push(pair);
        } else if let Some(at) = unmatched.iter().position(|g| *g == pair) {
            unmatched.remove(at);
        } else {
            missing.push(pair);
        }
    }
    for pair in wildcards {
        match unmatched.iter().position(|g| g.0 == pair.0) {
            Some(at) => {
                unmatched.remove(at);
            }
            None => missing.push(pair),
        }
    }
    if missing.is_empty() && unmatched.is_empty() {
        return None;
    }
    let show = |pairs: &[&(String, String)]| {
        if pairs.is_empty() {
            "(none)".to_owned()
        } else {
            pairs
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("&")
        }
    };
    Some((show(&missing), show(&unmatched)))
}

/// How the received body differs from the recorded one, if it does.
fn body_difference(
    recorded: &RecordedBody,
    content_type: Option<&str>,
    got: &[u8],
) -> Option<String> {
    if content_type.is_some_and(is_multipart_type) {
        // Multipart bodies are streamed: not recorded.
        return None;
    }
    match recorded {
        RecordedBody::Empty if got.is_empty() => None,
        RecordedBody::Empty => Some(format!("expected none, got {}", show_bytes(got))),
        RecordedBody::Json(expected) => match serde_json::from_slice::<Value>(got) {
            Ok(value) => json_difference(expected, &value, &mut String::new()),
            Err(_) => Some(format!(
                "expected JSON {}, got {}",
                show_text(&expected.to_string()),
                show_bytes(got)
            )),
        },
        RecordedBody::Text(expected) if content_type.is_some_and(is_form_type) => {
            let got_text = String::from_utf8_lossy(got);
            pairs_differ(&decode_pairs(expected), &decode_pairs(&got_text))
                .map(|(missing, extra)| format!("expected fields {missing}, got {extra}"))
        }
        RecordedBody::Text(expected) if expected.as_bytes() == got => None,
        RecordedBody::Text(expected) => Some(format!(
            "expected {}, got {}",
            show_text(expected),
            show_bytes(got)
        )),
        RecordedBody::Bytes(expected) if expected[..] == *got => None,
        RecordedBody::Bytes(expected) => Some(format!(
            "expected {} bytes, got {} different bytes",
            expected.len(),
            got.len()
        )),
    }
}

/// The first difference between two JSON values, at its JSON pointer (`/`
/// for the root). An expected string `<redacted>` matches any value.
fn json_difference(expected: &Value, got: &Value, at: &mut String) -> Option<String> {
    let here = |at: &str| {
        if at.is_empty() {
            "/".to_owned()
        } else {
            at.to_owned()
        }
    };
    match (expected, got) {
        (Value::String(s), _) if s == REDACTED => None,
        (Value::Object(expected), Value::Object(got)) => {
            for (name, value) in expected {
                let len = at.len();
                at.push('/');
                at.push_str(&name.replace('~', "~0").replace('/', "~1"));
                let difference = match got.get(name) {
                    Some(got) => json_difference(value, got, at),
                    None => Some(format!(
                        "at {at}: expected {}, got nothing",
                        show_json(value)
                    )),
                };
                at.truncate(len);
                if difference.is_some() {
                    return difference;
                }
            }
            got.iter()
                .find(|(name, _)| !expected.contains_key(*name))
                .map(|(name, value)| {
                    format!(
                        "at {}: unexpected member `{name}`: {}",
                        here(at),
                        show_json(value)
                    )
                })
        }
        (Value::Array(expected), Value::Array(got)) => {
            for (i, (e, g)) in expected.iter().zip(got).enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                let difference = json_difference(e, g, at);
                at.truncate(len);
                if difference.is_some() {
                    return difference;
                }
            }
            (expected.len() != got.len()).then(|| {
                format!(
                    "at {}: expected {} items, got {}",
                    here(at),
                    expected.len(),
                    got.len()
                )
            })
        }
        _ if expected == got => None,
        _ => Some(format!(
            "at {}: expected {}, got {}",
            here(at),
            show_json(expected),
            show_json(got)
        )),
    }
}

/// At most [`SHOWN_CHARS`] characters of `value` as compact JSON.
fn show_json(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// At most [`SHOWN_CHARS`] characters of `text`, quoted.
fn show_text(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{:?}…", &text[..end]),
        None => format!("{text:?}"),
    }
}

fn show_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => show_text(text),
        Err(_) => format!("{} bytes", bytes.len()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use futures_util::FutureExt as _;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;
    use crate::runtime::{Client, ClientBuilder, OperationInfo, Request, RetryPolicy};

    static GET_BOOK: OperationInfo = OperationInfo {
        id: "getBook",
        method: "GET",
        path: "/books/{id}",
    };
    static LIST_BOOKS: OperationInfo = OperationInfo {
        id: "listBooks",
        method: "GET",
        path: "/books",
    };
    static CREATE_BOOK: OperationInfo = OperationInfo {
        id: "createBook",
        method: "POST",
        path: "/books",
    };

    fn get_book(id: &str) -> Request {
        let mut req = Request::for_operation(&GET_BOOK);
        req.path_param("id", id);
        req.finish().unwrap()
    }

    fn list_books(limit: u32) -> Request {
        let mut req = Request::for_operation(&LIST_BOOKS);
        req.query("limit", limit);
        req.query("filter", "title eq \"a&b\"");
        req.finish().unwrap()
    }

    fn create_book(title: &str, password: &str) -> Request {
        let mut req = Request::for_operation(&CREATE_BOOK);
        req.json_body(&json!({"title": title, "owner": {"password": password}}));
        req
    }

    /// Makes the calls, returns each status and JSON body.
    async fn run(client: &Client, requests: Vec<Request>) -> Vec<(u16, Value)> {
        let mut answers = Vec::new();
        for req in requests {
            let resp = client.execute::<()>(req).await.unwrap();
            let body = serde_json::from_slice(resp.body())
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(resp.body()).into()));
            answers.push((resp.status(), body));
        }
        answers
    }

    fn three_calls() -> Vec<Request> {
        vec![
            get_book("1"),
            list_books(2),
            create_book("Dune", "pw-s3cret"),
        ]
    }

    /// A server standing for the real API: counts the requests and echoes them.
    async fn library() -> MockServer {
        let server = MockServer::start().await;
        let count = Arc::new(AtomicUsize::new(0));
        Mock::given(wiremock::matchers::any())
            .respond_with(move |req: &wiremock::Request| {
                let n = count.fetch_add(1, Ordering::SeqCst) + 1;
                let sent: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
                let status = if req.method == "POST" { 201 } else { 200 };
                ResponseTemplate::new(status)
                    .insert_header("set-cookie", "session=c00kie")
                    .insert_header("x-request-number", n.to_string().as_str())
                    .set_body_json(json!({
                        "n": n,
                        "path": req.url.path(),
                        "query": req.url.query(),
                        "sent": sent,
                    }))
            })
            .mount(&server)
            .await;
        server
    }

    /// Records `requests` against [`library`] (base path `/v3`, a bearer token).
    async fn record(requests: Vec<Request>) -> (Recording, Vec<(u16, Value)>) {
        let server = library().await;
        let recorder = Recorder::new();
        let client = Client::builder()
            .base_url(format!("{}/v3/", server.uri()))
            .bearer_token("tok-r3c0rd")
            .observer(recorder.clone())
            .build()
            .unwrap();
        let answers = run(&client, requests).await;
        (recorder.recording(), answers)
    }

    fn replay_client(replay: &Replay) -> Client {
        Client::builder().base_url(replay.uri()).build().unwrap()
    }

    /// The panic message of `future`.
    async fn panic_of(future: impl std::future::Future<Output = ()>) -> String {
        let payload = std::panic::AssertUnwindSafe(future)
            .catch_unwind()
            .await
            .expect_err("no panic");
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn recordings_replay_in_order_against_the_replay_uri() {
        let (recording, answers) = record(three_calls()).await;
        assert_eq!(recording.len(), 3);
        assert_eq!(
            recording
                .exchanges
                .iter()
                .map(|e| (e.operation.as_str(), e.request.path.as_str()))
                .collect::<Vec<_>>(),
            [
                ("getBook", "/books/1"),
                (
                    "listBooks",
                    "/books?limit=2&filter=title%20eq%20%22a%26b%22"
                ),
                ("createBook", "/books"),
            ]
        );
        let text = recording.to_json();
        assert!(!text.contains("tok-r3c0rd"), "{text}");
        assert!(!text.contains("pw-s3cret"), "{text}");
        assert!(!text.contains("c00kie"), "{text}");

        let replay = Replay::start(Recording::from_json(&text).unwrap()).await;
        let client = replay_client(&replay);
        // Another password: a redacted value matches any.
        let requests = vec![get_book("1"), list_books(2), create_book("Dune", "other")];
        let replayed = run(&client, requests).await;
        assert_eq!(replayed.len(), 3);
        for ((status, body), (replayed_status, replayed_body)) in answers.iter().zip(&replayed) {
            assert_eq!(status, replayed_status);
            // As recorded, where the recording redacted nothing.
            assert_eq!(body["n"], replayed_body["n"]);
            assert_eq!(body["path"], replayed_body["path"]);
        }
        assert_eq!(replayed[2].1["sent"]["owner"]["password"], REDACTED);
        assert_eq!(replay.received(), 3);
        assert!(replay.problems().is_empty(), "{:?}", replay.problems());
        replay.verify().await;
    }

    #[tokio::test]
    async fn the_file_format_round_trips() {
        // (The closing brace is not at the start of a line: the generator ends a
        // test module at the first such line.)
        let text = concat!(
            r#"{
  "version": 1,
  "exchanges": [
    {
      "operation": "getBook",
      "attempt": 2,
      "request": {
        "method": "GET",
        "path": "/books/1?fields=title",
        "headers": {
          "accept": "application/json",
          "authorization": "<redacted>"
        }
      },
      "response": {
        "status": 200,
        "headers": {
          "content-type": "application/json",
          "set-cookie": [
            "<redacted>",
            "<redacted>"
          ]
        },
        "body": {
          "json": {
            "id": 1,
            "title": "Dune"
          }
        }
      }
    },
    {
      "operation": "getCover",
      "attempt": 1,
      "request": {
        "method": "PUT",
        "path": "/books/1/cover",
        "headers": {
          "content-type": "text/plain"
        },
        "body": {
          "text": "{not json"
        }
      },
      "response": {
        "status": 200,
        "headers": {},
        "body": {
          "base64": "/wCAAQ=="
        }
      }
    }
  ]"#,
            "\n}\n"
        );
        let recording = Recording::from_json(text).unwrap();
        assert_eq!(recording.len(), 2);
        let first = &recording.exchanges[0];
        assert_eq!(first.attempt, 2);
        assert_eq!(
            first.response.headers,
            [
                ("content-type".to_owned(), "application/json".to_owned()),
                ("set-cookie".to_owned(), REDACTED.to_owned()),
                ("set-cookie".to_owned(), REDACTED.to_owned()),
            ]
        );
        assert_eq!(
            first.response.body,
            RecordedBody::Json(json!({"id": 1, "title": "Dune"}))
        );
        assert_eq!(first.request.body, RecordedBody::Empty);
        let second = &recording.exchanges[1];
        assert_eq!(second.request.body, RecordedBody::Text("{not json".into()));
        assert_eq!(
            second.response.body,
            RecordedBody::Bytes(Bytes::from_static(&[0xff, 0, 0x80, 1]))
        );
        // Written back the same, field order included.
        assert_eq!(recording.to_json(), text);

        let dir = std::env::temp_dir().join(format!("record-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("books.json");
        recording.save(&file).unwrap();
        assert_eq!(Recording::load(&file).unwrap(), recording);
        std::fs::write(&file, text.replace("\"version\": 1", "\"version\": 2")).unwrap();
        let err = Recording::load(&file).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("version 2, expected 1"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();

        // Minimal files: no headers, no attempt.
        let minimal = r#"{"version": 1, "exchanges": [{"operation": "x",
            "request": {"method": "GET", "path": "/"}, "response": {"status": 204}}]}"#;
        let recording = Recording::from_json(minimal).unwrap();
        assert_eq!(recording.exchanges[0].attempt, 1);
        assert!(recording.exchanges[0].response.headers.is_empty());
        assert!(Recording::from_json(r#"{"exchanges": []}"#).is_err());
    }

    #[test]
    fn bodies_are_kept_as_json_text_or_bytes() {
        let body = |bytes: &[u8], content_type| RecordedBody::from_bytes(bytes, content_type);
        assert_eq!(body(b"", Some("application/json")), RecordedBody::Empty);
        assert_eq!(body(b" [1, 2]\n", None), RecordedBody::Json(json!([1, 2])));
        assert_eq!(
            body(
                b"{\"a\":1}",
                Some("application/problem+json; charset=utf-8")
            ),
            RecordedBody::Json(json!({"a": 1}))
        );
        // JSON-looking text of another type stays text, byte for byte.
        assert_eq!(
            body(b" 42\n", Some("text/plain")),
            RecordedBody::Text(" 42\n".into())
        );
        assert_eq!(
            body(b"{oops", Some("application/json")),
            RecordedBody::Text("{oops".into())
        );
        assert_eq!(
            body(&[0xff, 0xfe], None),
            RecordedBody::Bytes(Bytes::from_static(&[0xff, 0xfe]))
        );
        assert_eq!(
            &RecordedBody::Json(json!({"a": [1]})).to_bytes()[..],
            b"{\"a\":[1]}"
        );
        assert_eq!(
            RecordedBody::Bytes(Bytes::from_static(&[7])).to_bytes(),
            [7][..]
        );
    }

    #[tokio::test]
    async fn every_kind_of_secret_is_kept_out_of_recordings() {
        use crate::runtime::profile::tests::{HEADER_KEY, QUERY_KEY};
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "at-s3cret", "expires_in": 3600
            })))
            .mount(&server)
            .await;
        Mock::given(wiremock::matchers::any())
            .respond_with(|req: &wiremock::Request| {
                // Echoes the headers and the URL of a `GET` (credentials only), and
                // returns tokens of its own.
                let url = (req.method == "GET").then(|| req.url.as_str().to_owned());
                ResponseTemplate::new(200).set_body_json(json!({
                    "url": url,
                    "headers": format!("{:?}", req.headers),
                    "session": {"refresh_token": "rt-s3cret", "id_token": "it-s3cret"},
                    "users": [{"Password": "up-s3cret", "client_secret": null}],
                }))
            })
            .mount(&server)
            .await;
        let secrets = [
            "tok-s3cret",
            "at-s3cret",
            "cs-s3cret",
            "qk-s3cret",
            "hk-s3cret",
            "bp-s3cret",
            "rt-s3cret",
            "it-s3cret",
            "up-s3cret",
            "fp-s3cret",
            "qp-s3cret",
        ];
        let builders = [
            Client::builder().bearer_token("tok-s3cret"),
            Client::builder()
                .token_url(format!("{}/oauth/token", server.uri()))
                .client_credentials("id", "cs-s3cret"),
            ClientBuilder::new(&QUERY_KEY).api_key("qk-s3cret"),
            ClientBuilder::new(&HEADER_KEY).api_key("hk-s3cret"),
            Client::builder().basic_auth("user", "bp-s3cret"),
        ];
        for builder in builders {
            let recorder = Recorder::new();
            let client = builder
                .base_url(server.uri())
                .observer(recorder.clone())
                .build()
                .unwrap();
            let get = get_book("1");
            let mut post = Request::for_operation(&CREATE_BOOK);
            post.query("access_token", "qp-s3cret");
            post.form_body(vec![
                ("title", "Dune".into()),
                ("password", "fp-s3cret".into()),
            ]);
            run(&client, vec![get, post]).await;
            let recording = recorder.recording();
            // No token request.
            assert_eq!(recording.len(), 2);
            let text = recording.to_json();
            for secret in secrets {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
            let get = &recording.exchanges[0];
            let post = &recording.exchanges[1];
            assert!(
                post.request
                    .path
                    .starts_with("/books?access_token=<redacted>"),
                "{}",
                post.request.path
            );
            let RecordedBody::Json(body) = &get.response.body else {
                panic!("{:?}", get.response.body)
            };
            assert_eq!(body["session"]["refresh_token"], REDACTED);
            assert_eq!(body["users"][0]["Password"], REDACTED);
            assert_eq!(body["users"][0]["client_secret"], Value::Null);
            assert_eq!(
                post.request.body,
                RecordedBody::Text("title=Dune&password=<redacted>".into())
            );
            let authorization = get
                .request
                .headers
                .iter()
                .find(|(name, _)| name == "authorization" || name == "x-api-key");
            if let Some((_, value)) = authorization {
                assert_eq!(value, REDACTED);
            }
            if text.contains("api_key") {
                assert!(text.contains("api_key=<redacted>"), "{text}");
            }
        }

        // Recordings made by hand are redacted when saved.
        let mut recording = Recording::from_json(
            r#"{"version": 1, "exchanges": [{"operation": "x",
                "request": {"method": "POST", "path": "/t?password=p1", "headers": {"Cookie": "c1"},
                            "body": {"json": {"a": {"access_token": "t1"}}}},
                "response": {"status": 200, "headers": {"authorization": "Bearer t2"}}}]}"#,
        )
        .unwrap();
        let text = recording.to_json();
        for secret in ["p1", "c1", "t1", "t2"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        recording.redact();
        assert_eq!(
            recording.exchanges[0].request.path,
            "/t?password=<redacted>"
        );
        assert_eq!(
            recording.exchanges[0].request.headers,
            [("cookie".to_owned(), REDACTED.to_owned())]
        );
    }

    #[tokio::test]
    async fn mismatches_are_answered_with_500_and_reported() {
        let (recording, _) = record(three_calls()).await;
        let replay = Replay::start(recording).await;
        let client = replay_client(&replay);
        let requests = vec![get_book("2"), list_books(3), create_book("Emma", "pw")];
        let answers = run(&client, requests).await;
        let expected = [
            "request 1 (getBook): operation: expected GET /books/1, got GET /books/2",
            "request 2 (listBooks): query: expected limit=2, got limit=3",
            "request 3 (createBook): body: at /title: expected \"Dune\", got \"Emma\"",
        ];
        for ((status, body), failure) in answers.iter().zip(expected) {
            assert_eq!(*status, 500);
            let body = body.as_str().unwrap();
            assert!(body.contains(failure), "{body}");
        }
        assert_eq!(replay.problems(), expected);
        let message = panic_of(replay.verify()).await;
        assert!(
            message.starts_with("replay of 3 recorded exchanges: 3 problems:"),
            "{message}"
        );
        for failure in expected {
            assert!(message.contains(&format!("\n  {failure}")), "{message}");
        }
    }

    #[tokio::test]
    async fn missing_and_extra_requests_are_reported() {
        let (recording, _) = record(vec![get_book("1"), list_books(2)]).await;

        let replay = Replay::start(recording.clone()).await;
        run(&replay_client(&replay), vec![get_book("1")]).await;
        assert_eq!(
            replay.problems(),
            ["request 2 (listBooks): not sent (recorded: GET \
                 /books?limit=2&filter=title%20eq%20%22a%26b%22)"]
        );
        let message = panic_of(replay.verify()).await;
        assert!(
            message.contains("request 2 (listBooks): not sent"),
            "{message}"
        );

        let replay = Replay::start(recording).await;
        let answers = run(
            &replay_client(&replay),
            vec![get_book("1"), list_books(2), get_book("9")],
        )
        .await;
        assert_eq!(answers[2].0, 500);
        assert_eq!(
            replay.problems(),
            ["request 3: not in the recording (2 exchanges): GET /books/9"]
        );
        let message = panic_of(replay.verify()).await;
        assert!(
            message.contains("request 3: not in the recording"),
            "{message}"
        );
    }

    #[tokio::test]
    #[should_panic(expected = "request 1 (getBook): operation: expected GET /books/1")]
    async fn verify_panics_naming_the_operation() {
        let (recording, _) = record(vec![get_book("1")]).await;
        let replay = Replay::start(recording).await;
        run(&replay_client(&replay), vec![get_book("other")]).await;
        replay.verify().await;
    }

    #[tokio::test]
    async fn dropping_an_unverified_replay_checks_it() {
        let (recording, _) = record(vec![get_book("1"), list_books(2)]).await;
        // Everything as recorded: dropping is fine, verified or not.
        let replay = Replay::start(recording.clone()).await;
        run(&replay_client(&replay), vec![get_book("1"), list_books(2)]).await;
        drop(replay);

        let replay = Replay::start(recording.clone()).await;
        run(&replay_client(&replay), vec![get_book("1")]).await;
        let message = panic_of(async move { drop(replay) }).await;
        assert!(
            message.contains("request 2 (listBooks): not sent"),
            "{message}"
        );

        // Verified, then nothing more: not reported again on drop.
        let replay = Replay::start(recording).await;
        run(&replay_client(&replay), vec![get_book("1")]).await;
        let message = panic_of(replay.verify()).await;
        assert!(message.contains("listBooks"), "{message}");
        drop(replay);
    }

    #[tokio::test]
    async fn retried_attempts_are_recorded_and_replayed() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
            .mount(&server)
            .await;
        let policy = RetryPolicy::new().initial_backoff(Duration::from_millis(1));
        let recorder = Recorder::new();
        let client = Client::builder()
            .base_url(server.uri())
            .retry_policy(policy.clone())
            .observer(recorder.clone())
            .build()
            .unwrap();
        let answers = run(&client, vec![get_book("1")]).await;
        assert_eq!(answers, [(200, json!({"id": "1"}))]);
        let recording = recorder.recording();
        assert_eq!(
            recording
                .exchanges
                .iter()
                .map(|e| (e.attempt, e.response.status))
                .collect::<Vec<_>>(),
            [(1, 503), (2, 200)]
        );

        let replay = Replay::start(recording).await;
        let client = Client::builder()
            .base_url(replay.uri())
            .retry_policy(policy)
            .build()
            .unwrap();
        let resp = client.execute::<()>(get_book("1")).await.unwrap();
        assert_eq!((resp.status(), resp.attempts()), (200, 2));
        assert_eq!(resp.body().as_ref(), br#"{"id":"1"}"#);
        replay.verify().await;
    }

    #[test]
    fn query_pairs_compare_as_multisets() {
        let pairs = |text: &str| decode_pairs(text);
        assert_eq!(
            pairs_differ(&pairs("a=1&b=2&a=3"), &pairs("a=3&b=2&a=1")),
            None
        );
        assert_eq!(
            pairs_differ(&pairs("a=1&a=1"), &pairs("a=1")),
            Some(("a=1".to_owned(), "(none)".to_owned()))
        );
        assert_eq!(
            pairs_differ(&pairs("k=<redacted>&x=%20"), &pairs("x=+&k=anything")),
            None
        );
        assert_eq!(
            pairs_differ(&pairs("k=<redacted>"), &pairs("j=1")),
            Some(("k=<redacted>".to_owned(), "j=1".to_owned()))
        );
        assert_eq!(
            json_difference(
                &json!({"a": [1, {"b": "<redacted>"}]}),
                &json!({"a": [1, {"b": 5}]}),
                &mut String::new()
            ),
            None
        );
        assert_eq!(
            json_difference(
                &json!({"a": [1]}),
                &json!({"a": [1, 2]}),
                &mut String::new()
            )
            .unwrap(),
            "at /a: expected 1 items, got 2"
        );
        assert_eq!(
            json_difference(
                &json!({"a/b": 1}),
                &json!({"a/b": 1, "c": true}),
                &mut String::new()
            )
            .unwrap(),
            "at /: unexpected member `c`: true"
        );
        assert_eq!(
            json_difference(&json!({"a/b": 1}), &json!({}), &mut String::new()).unwrap(),
            "at /a~1b: expected 1, got nothing"
        );
    }
}
