//! End-to-end: every operation of the generated registry (`testing::operations()`, the
//! `test-util` feature) against Prism, the OpenAPI mock and validation server, serving a
//! spec (`cargo xtask e2e` serves the project's spec and the real beta document in turn).
//!
//! Each operation is called with its example call (`OperationEntry::call`: arguments
//! built from the spec's examples), by clients that ask Prism for a kind of answer with a
//! `Prefer` header (`ClientBuilder::default_header`). The mode names the kind of answer:
//!
//! * `static`: the spec's example of the success response;
//! * `example=<name>`: each named example of the served document (`Prefer: code=N,
//!   example=<name>`);
//! * `dynamic`: a body generated from the schema (`Prefer: dynamic=true, seed=N`, several
//!   seeds, reproducible);
//! * `<status>` and `<status> dynamic`: each error status the operation documents,
//!   forced with `Prefer: code=N`, with the example and with a generated body.
//!
//! Checks:
//!
//! * Prism validates each request against the spec; a request it rejects (an answer with
//!   an `sl-violations` header that blames the request, read from the exchange an
//!   [`Observer`](generated_client::runtime::Observer) saw) fails the test and prints the
//!   violations.
//! * A success answer must have the documented success status and decode
//!   (`OutcomeKind::Success`); an error answer must have the forced status and decode
//!   into the typed error of that status (`OutcomeKind::Api { typed: true, .. }`).
//!
//! What Prism cannot exercise because of a defect of the document itself (its own
//! example breaks its schema, so `prism mock --errors` answers 500 instead) must be
//! listed, with the reason, under `prism:` in `tests/spec_defects.yaml`; an entry that no
//! longer occurs fails as stale. Operations the registry has no example call for
//! (`not_callable`) must be listed under `not_callable:` there, or the test fails.
//!
//! The tests are `#[ignore]`d: they need a running Prism and are run, with `--ignored`,
//! by `cargo xtask e2e`, which starts Prism and passes its URL in `E2E_BASE_URL`. Under a
//! plain `cargo test --features test-util` they show up as "ignored" instead of passing
//! without checking anything; run with `--ignored` but without `E2E_BASE_URL`, they fail
//! and say why.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use generated_client::runtime::testing::{
    CallFuture, CallOutcome, ExampleError, OperationEntry, OutcomeKind, ResponseSpec, StatusPattern,
};
use generated_client::runtime::{Exchange, RetryPolicy};
use generated_client::{Client, testing};
use serde_json::Value;
use support::{Defects, NotCallableDefect, Operation, PrismDefect, Spec};

/// The bearer token sent with every request (Prism checks that one is present).
const TOKEN: &str = "e2e-token";

// ---------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------

/// What `cargo xtask e2e` passes in the environment, and what is read once from it.
struct Env {
    /// Prism's URL (`E2E_BASE_URL`).
    base_url: String,
    /// File name of the served document (names its entries in spec_defects.yaml).
    spec_name: String,
    /// How many seeds the `dynamic` mode tries (`E2E_DYNAMIC_RUNS`).
    dynamic_runs: u32,
    /// The served document's operations of the client's tag, by operationId.
    served: BTreeMap<String, Operation>,
    /// The reviewed `prism:` entries of the served document.
    defects: Vec<PrismDefect>,
    /// The reviewed `not_callable:` entries.
    not_callable: Vec<NotCallableDefect>,
}

/// The environment, read on first use; panics with instructions without `E2E_BASE_URL`.
fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let base_url = std::env::var("E2E_BASE_URL").unwrap_or_else(|_| {
            panic!(
                "E2E_BASE_URL is not set. These tests call a Prism mock server: run them with \
                 `cargo xtask e2e`, which starts Prism and sets E2E_BASE_URL, E2E_SPEC and \
                 E2E_SPEC_NAME."
            )
        });
        let spec_path = std::env::var("E2E_SPEC").unwrap_or_else(|_| support::PROJECT_SPEC.into());
        let spec = Spec::load(&spec_path);
        let spec_name = std::env::var("E2E_SPEC_NAME").unwrap_or_else(|_| spec.name.clone());
        let dynamic_runs = std::env::var("E2E_DYNAMIC_RUNS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(5);
        let served: BTreeMap<String, Operation> = spec
            .tagged_operations()
            .into_iter()
            .map(|op| (op.id.clone(), op))
            .collect();
        let defects = Defects::load();
        println!(
            "E2E against {base_url} serving {spec_name} ({} {} operations)",
            served.len(),
            support::TAG
        );
        Env {
            base_url,
            defects: defects
                .prism
                .into_iter()
                .filter(|d| d.spec == spec_name)
                .collect(),
            not_callable: defects.not_callable,
            spec_name,
            dynamic_runs,
            served,
        }
    })
}

// ---------------------------------------------------------------------------------------
// The registry
// ---------------------------------------------------------------------------------------

/// The example call of a registry entry.
type ExampleCall = for<'c> fn(&'c Client) -> CallFuture<'c>;

/// The registry's operations that have an example call, with the call. Operations with a
/// multipart request body come last: Prism 5.16 has crashed on some multipart requests,
/// and a crash must not hide the results of everything else.
fn callable_operations() -> Vec<(&'static OperationEntry<Client>, ExampleCall)> {
    let mut ops: Vec<_> = testing::operations()
        .into_iter()
        .filter_map(|entry| entry.call.map(|call| (entry, call)))
        .collect();
    ops.sort_by_key(|(entry, _)| {
        entry
            .spec
            .request_body
            .as_ref()
            .is_some_and(|body| body.content_type == "multipart/form-data")
    });
    ops
}

/// The status of the operation's success answer: the lowest success status it documents.
fn success_status(entry: &OperationEntry<Client>) -> u16 {
    entry
        .spec
        .responses
        .iter()
        .filter(|response| response.success)
        .filter_map(|response| match response.status {
            StatusPattern::Code(code) => Some(code),
            _ => None,
        })
        .min()
        .unwrap_or_else(|| panic!("{}: no success status documented", entry.spec.info.id))
}

/// The exact statuses an operation documents, success and error.
fn documented_statuses(entry: &OperationEntry<Client>) -> BTreeSet<u16> {
    entry
        .spec
        .responses
        .iter()
        .filter_map(|response| match response.status {
            StatusPattern::Code(code) => Some(code),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Calling
// ---------------------------------------------------------------------------------------

/// A client for the mock that keeps the exchange of its last call. `prefer` becomes a
/// `Prefer` header on every request. No retries: a forced 429 or 500 must come back as
/// it is.
struct Caller {
    client: Client,
    /// What the client's observer saw since the last call began.
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl Caller {
    /// A client of Prism, with `Prefer: <prefer>` on every request when given.
    fn new(prefer: Option<&str>) -> Caller {
        let exchanges: Arc<Mutex<Vec<Exchange>>> = Arc::default();
        let seen = Arc::clone(&exchanges);
        let mut builder = Client::builder()
            .base_url(env().base_url.as_str())
            .bearer_token(TOKEN)
            .retry_policy(RetryPolicy::none())
            .timeout(Duration::from_secs(30))
            .observer(move |exchange: &Exchange| {
                seen.lock().expect("exchanges").push(exchange.clone());
            });
        if let Some(prefer) = prefer {
            builder = builder.default_header("Prefer", prefer);
        }
        Caller {
            client: builder.build().expect("client"),
            exchanges,
        }
    }

    /// Make one example call.
    async fn call(&self, call: ExampleCall) -> Answer {
        self.exchanges.lock().expect("exchanges").clear();
        let outcome = call(&self.client).await;
        let exchange = self.exchanges.lock().expect("exchanges").pop();
        Answer { outcome, exchange }
    }
}

/// What one example call got.
struct Answer {
    /// What the client made of Prism's answer; `Err` when the registry could not build
    /// the call's arguments from the spec's examples.
    outcome: Result<CallOutcome, ExampleError>,
    /// The HTTP exchange, as the observer saw it; `None` when no answer came.
    exchange: Option<Exchange>,
}

impl Answer {
    /// Prism's `sl-violations` header, split into the violations that blame the request
    /// and those that blame the response.
    fn violations(&self) -> (Vec<Violation>, Vec<Violation>) {
        let header = self.exchange.as_ref().and_then(|exchange| {
            exchange
                .response_headers
                .iter()
                .find(|(name, _)| name == "sl-violations")
        });
        header
            .map(|(_, raw)| Violation::parse(raw))
            .unwrap_or_default()
            .into_iter()
            .partition(Violation::blames_request)
    }

    /// The start of the answer's body, for messages.
    fn body(&self) -> String {
        self.exchange
            .as_ref()
            .map(|exchange| {
                String::from_utf8_lossy(&exchange.response_body)
                    .chars()
                    .take(600)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One entry of Prism's `sl-violations` header.
#[derive(Debug, Clone)]
struct Violation {
    location: Vec<String>,
    severity: String,
    message: String,
}

impl Violation {
    /// The entries of a header value (a JSON array); the whole value as one entry when
    /// it is not one.
    fn parse(raw: &str) -> Vec<Violation> {
        let Ok(list) = serde_json::from_str::<Vec<Value>>(raw) else {
            return vec![Violation {
                location: vec!["?".into()],
                severity: "?".into(),
                message: raw.to_string(),
            }];
        };
        list.iter()
            .map(|entry| Violation {
                location: entry["location"]
                    .as_array()
                    .map(|segments| {
                        segments
                            .iter()
                            .map(|segment| match segment.as_str() {
                                Some(text) => text.to_string(),
                                None => segment.to_string(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                severity: entry["severity"].as_str().unwrap_or("?").to_string(),
                message: entry["message"].as_str().unwrap_or("?").to_string(),
            })
            .collect()
    }

    /// Whether the violation is about the request (anything not under `response`).
    fn blames_request(&self) -> bool {
        self.location.first().map(String::as_str) != Some("response")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {}: {}",
            self.severity,
            self.location.join("."),
            self.message
        )
    }
}

/// Violations as an indented list, one a line.
fn list(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|violation| format!("    {violation}"))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------
// Judging answers
// ---------------------------------------------------------------------------------------

/// Failures, and what Prism could not exercise (listed in spec_defects.yaml), of one test.
#[derive(Default)]
struct Tally {
    calls: usize,
    failures: Vec<String>,
    /// (operation, mode) → reason, for listed defects that occurred.
    not_exercised: BTreeMap<(String, String), String>,
    /// Every (operation, mode) tried, to find listed defects that no longer occur.
    tried: BTreeSet<(String, String)>,
}

impl Tally {
    /// The reviewed `prism:` entry of this call, if any.
    fn listed(&self, op: &str, mode: &str) -> Option<&'static PrismDefect> {
        env()
            .defects
            .iter()
            .find(|defect| defect.operation == op && defect.mode == mode)
    }

    /// Record a failure of one call.
    fn fail(&mut self, op: &str, mode: &str, what: String) {
        self.failures.push(format!("{op} [{mode}]: {what}"));
    }

    /// A response-side problem: allowed only when listed.
    fn spec_problem(&mut self, op: &str, mode: &str, what: String) {
        match self.listed(op, mode) {
            Some(defect) => {
                self.not_exercised
                    .insert((op.into(), mode.into()), defect.reason.clone());
            }
            None => self.fail(
                op,
                mode,
                format!(
                    "{what}\n    (if the document itself is at fault, list it under `prism:` in \
                     tests/spec_defects.yaml with spec: {}, operation: {op}, mode: {mode:?})",
                    env().spec_name
                ),
            ),
        }
    }

    /// Count the call; its outcome, or `None` (and a failure) when the registry could
    /// not build the call's arguments.
    fn outcome(
        &mut self,
        op: &str,
        mode: &str,
        outcome: Result<CallOutcome, ExampleError>,
    ) -> Option<CallOutcome> {
        self.calls += 1;
        self.tried.insert((op.into(), mode.into()));
        outcome
            .map_err(|error| {
                self.fail(
                    op,
                    mode,
                    format!("the example call cannot be made: {error}"),
                )
            })
            .ok()
    }

    /// Judge a call that should succeed with `expected` status.
    fn success(&mut self, op: &str, mode: &str, expected: u16, answer: Answer) {
        let (request, response) = answer.violations();
        let body = answer.body();
        let Some(outcome) = self.outcome(op, mode, answer.outcome) else {
            return;
        };
        let status = outcome.status.unwrap_or_default();
        match outcome.kind {
            OutcomeKind::Success => {
                if !request.is_empty() {
                    self.fail(
                        op,
                        mode,
                        format!(
                            "Prism reports request violations on a {status} answer:\n{}",
                            list(&request)
                        ),
                    );
                } else if !response.is_empty() {
                    self.spec_problem(
                        op,
                        mode,
                        format!(
                            "Prism's {status} answer breaks the spec:\n{}",
                            list(&response)
                        ),
                    );
                } else if status != expected {
                    self.fail(
                        op,
                        mode,
                        format!("status {status}, the spec's success status is {expected}"),
                    );
                }
            }
            OutcomeKind::Api { .. } => {
                if !request.is_empty() {
                    self.fail(
                        op,
                        mode,
                        format!(
                            "Prism rejected the request with {status}:\n{}",
                            list(&request)
                        ),
                    );
                } else if !response.is_empty() {
                    self.spec_problem(
                        op,
                        mode,
                        format!(
                            "Prism cannot answer {expected}: its answer breaks the spec (it sent {status}):\n{}",
                            list(&response)
                        ),
                    );
                } else if body.contains("https://stoplight.io/prism/errors#") {
                    // Prism's own problem report: it could not build an answer from the
                    // document (not a response the API defines).
                    self.spec_problem(
                        op,
                        mode,
                        format!(
                            "Prism could not produce the {expected} answer (it sent {status}): {body}"
                        ),
                    );
                } else {
                    self.fail(
                        op,
                        mode,
                        format!("HTTP {status} instead of {expected}; body: {body}"),
                    );
                }
            }
            OutcomeKind::Decode { path, message } => {
                let also = if response.is_empty() {
                    String::new()
                } else {
                    format!("\n  Prism also reports:\n{}", list(&response))
                };
                self.fail(
                    op,
                    mode,
                    format!(
                        "the {status} body does not decode into the generated type at `{path}`: {message}{also}"
                    ),
                );
            }
            OutcomeKind::Failed(error) => self.no_answer(op, mode, error),
            other => self.fail(op, mode, format!("unexpected outcome {other:?}")),
        }
    }

    /// Judge a call that should fail with `expected`, documented by `documented`, and
    /// its typed body.
    fn error(
        &mut self,
        op: &str,
        mode: &str,
        expected: u16,
        documented: &ResponseSpec,
        answer: Answer,
    ) {
        let (request, response) = answer.violations();
        let body = answer.body();
        let Some(outcome) = self.outcome(op, mode, answer.outcome) else {
            return;
        };
        let status = outcome.status.unwrap_or_default();
        match outcome.kind {
            OutcomeKind::Api { typed, body_error } => {
                let type_name = documented.type_name.unwrap_or("no body");
                if !request.is_empty() {
                    self.fail(
                        op,
                        mode,
                        format!(
                            "Prism rejected the request with {status}:\n{}",
                            list(&request)
                        ),
                    );
                } else if !response.is_empty() {
                    self.spec_problem(
                        op,
                        mode,
                        format!(
                            "Prism cannot answer {expected} (it sent {status}):\n{}",
                            list(&response)
                        ),
                    );
                } else if status != expected {
                    self.fail(
                        op,
                        mode,
                        format!("HTTP {status} instead of {expected}; body: {body}"),
                    );
                } else if let Some(error) = body_error {
                    self.fail(
                        op,
                        mode,
                        format!(
                            "the {status} body does not decode into the typed error ({type_name}): {error}; body: {body}"
                        ),
                    );
                } else if documented.type_name.is_some() && !typed {
                    self.fail(
                        op,
                        mode,
                        format!(
                            "the {status} answer did not become its typed error ({type_name}); body: {body}"
                        ),
                    );
                }
            }
            OutcomeKind::Success => {
                self.fail(op, mode, format!("HTTP {status} instead of {expected}"))
            }
            OutcomeKind::Decode { path, message } => {
                self.fail(op, mode, format!("at `{path}`: {message}"))
            }
            OutcomeKind::Failed(error) => self.no_answer(op, mode, error),
            other => self.fail(op, mode, format!("unexpected outcome {other:?}")),
        }
    }

    /// No answer: when Prism is gone (it crashes on some requests), stop here with a
    /// clear message instead of failing every later call the same way.
    fn no_answer(&mut self, op: &str, mode: &str, error: String) {
        if !prism_is_up() {
            for failure in &self.failures {
                println!("  - {failure}");
            }
            panic!(
                "Prism stopped accepting connections during {op} [{mode}] ({error}): it crashed \
                 on this request or the one just before; `cargo xtask e2e` prints the end of its \
                 log, which names the request"
            );
        }
        self.fail(op, mode, error);
    }

    /// The operations the registry cannot call: each must be listed under
    /// `not_callable:`, and each entry there must still name one.
    fn check_not_callable(&mut self) -> Vec<String> {
        let listed = &env().not_callable;
        let mut report = Vec::new();
        for entry in testing::operations() {
            if entry.call.is_some() {
                continue;
            }
            let id = entry.spec.info.id;
            let why = entry.not_callable.unwrap_or("no reason given");
            match listed.iter().find(|defect| defect.operation == id) {
                Some(defect) => report.push(format!("{id} ({why}): {}", defect.reason)),
                None => self.failures.push(format!(
                    "{id}: the registry has no example call ({why}), so it is not called; fix \
                     that, or list it under `not_callable:` in tests/spec_defects.yaml with the \
                     reason that is acceptable"
                )),
            }
        }
        for defect in listed {
            let callable = testing::operations()
                .into_iter()
                .find(|entry| entry.spec.info.id == defect.operation)
                .map(|entry| entry.call.is_some());
            match callable {
                Some(false) => {}
                Some(true) => self.failures.push(format!(
                    "{}: listed under `not_callable:` in tests/spec_defects.yaml, but the registry \
                     can call it now: remove the entry",
                    defect.operation
                )),
                None => self.failures.push(format!(
                    "{}: listed under `not_callable:` in tests/spec_defects.yaml, but the registry \
                     has no such operation: remove the entry",
                    defect.operation
                )),
            }
        }
        report
    }

    /// Print the result and fail the test when needed. Listed defects of the modes this
    /// test covers must have occurred, unless their operation cannot be called;
    /// operations not called must be listed.
    fn finish(mut self, test: &str, modes: impl Fn(&str) -> bool, summary: String) {
        let env = env();
        let called: BTreeSet<&str> = callable_operations()
            .iter()
            .map(|(entry, _)| entry.spec.info.id)
            .collect();
        let mut unchecked = Vec::new();
        for defect in env.defects.iter().filter(|defect| modes(&defect.mode)) {
            let key = (defect.operation.clone(), defect.mode.clone());
            if !called.contains(defect.operation.as_str()) {
                unchecked.push(format!("{} [{}]", defect.operation, defect.mode));
            } else if !self.tried.contains(&key) {
                self.failures.push(format!(
                    "{} [{}]: listed in tests/spec_defects.yaml ({}) but the test makes no such call: remove the entry",
                    defect.operation, defect.mode, defect.reason
                ));
            } else if !self.not_exercised.contains_key(&key) {
                self.failures.push(format!(
                    "{} [{}]: listed in tests/spec_defects.yaml ({}) but Prism exercised it fine: remove the entry",
                    defect.operation, defect.mode, defect.reason
                ));
            }
        }
        let not_called = self.check_not_callable();
        println!("{test} ({}): {summary}", env.spec_name);
        if !not_called.is_empty() {
            println!("  not called, no example call (tests/spec_defects.yaml `not_callable`):");
            for line in &not_called {
                println!("    {line}");
            }
        }
        if !unchecked.is_empty() {
            println!(
                "  listed under `prism:` but not checked, the operation is not called: {}",
                unchecked.join(", ")
            );
        }
        if !self.not_exercised.is_empty() {
            println!("  not exercised, because of the document (tests/spec_defects.yaml):");
            for ((op, mode), reason) in &self.not_exercised {
                println!("    {op} [{mode}]: {reason}");
            }
        }
        if !self.failures.is_empty() {
            println!("  FAILURES ({}):", self.failures.len());
            for failure in &self.failures {
                println!("  - {failure}");
            }
        }
        assert!(
            self.failures.is_empty(),
            "{test}: {} failure(s), see above",
            self.failures.len()
        );
    }
}

/// Whether the mock still accepts TCP connections.
fn prism_is_up() -> bool {
    let url = reqwest::Url::parse(&env().base_url).expect("E2E_BASE_URL is a URL");
    let addr = (
        url.host_str().unwrap_or("127.0.0.1"),
        url.port_or_known_default().unwrap_or(80),
    );
    std::net::ToSocketAddrs::to_socket_addrs(&addr)
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok())
}

// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------

/// The served document has exactly the registry's operations, each with the same method,
/// path template and documented statuses.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask e2e`"]
async fn served_spec_matches_the_registry() {
    let env = env();
    let registry = testing::operations();
    let mut problems = Vec::new();
    for entry in &registry {
        let info = &entry.spec.info;
        let Some(served) = env.served.get(info.id) else {
            problems.push(format!("{}: in the registry, not served", info.id));
            continue;
        };
        if (served.method.as_str(), served.path.as_str()) != (info.method, info.path) {
            problems.push(format!(
                "{}: {} {} in the registry, {} {} served",
                info.id, info.method, info.path, served.method, served.path
            ));
        }
        let served_statuses: BTreeSet<u16> = served.responses.keys().copied().collect();
        let documented = documented_statuses(entry);
        if served_statuses != documented {
            problems.push(format!(
                "{}: statuses {documented:?} in the registry, {served_statuses:?} served",
                info.id
            ));
        }
    }
    for id in env.served.keys() {
        if !registry.iter().any(|entry| entry.spec.info.id == id) {
            problems.push(format!("{id}: served, not in the registry"));
        }
    }
    println!(
        "{}: {} {} operations served, {} in the registry",
        env.spec_name,
        env.served.len(),
        support::TAG,
        registry.len()
    );
    assert!(
        problems.is_empty(),
        "{} and the registry differ:\n  {}",
        env.spec_name,
        problems.join("\n  ")
    );
}

/// Every operation, answered from the spec's examples: the default example, then each
/// named example (`Prefer: example=<name>`) of every response that has several.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask e2e`"]
async fn every_operation_decodes_the_spec_examples() {
    let env = env();
    let mut tally = Tally::default();
    let plain = Caller::new(None);
    let ops = callable_operations();
    let mut named = 0;
    for &(entry, call) in &ops {
        let id = entry.spec.info.id;
        tally.success(id, "static", success_status(entry), plain.call(call).await);
        let Some(served) = env.served.get(id) else {
            tally.fail(
                id,
                "static",
                "not served (see served_spec_matches_the_registry)".into(),
            );
            continue;
        };
        for &status in served.responses.keys() {
            for name in served.named_examples(status) {
                let mode = format!("example={name}");
                let caller = Caller::new(Some(&format!("code={status}, {mode}")));
                match entry.spec.response(status) {
                    Some(documented) if documented.success => {
                        tally.success(id, &mode, status, caller.call(call).await);
                    }
                    Some(documented) => {
                        tally.error(id, &mode, status, documented, caller.call(call).await);
                    }
                    None => tally.fail(
                        id,
                        &mode,
                        format!("the served document's status {status} is not in the registry"),
                    ),
                }
                named += 1;
            }
        }
    }
    let summary = format!(
        "{} operations called with the spec's examples, {named} named examples requested, {} calls",
        ops.len(),
        tally.calls
    );
    tally.finish(
        "static examples",
        |mode| mode == "static" || mode.starts_with("example="),
        summary,
    );
}

/// Every error status each operation documents, forced with `Prefer: code=N`, decodes
/// into the typed error of that status; once with the spec's example and once with a
/// body Prism generates from the schema.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask e2e`"]
async fn every_declared_error_status_decodes_into_its_typed_error() {
    let mut tally = Tally::default();
    let ops = callable_operations();
    let mut pairs = 0;
    // Status → (a caller asking for the example, a caller asking for a generated body).
    let mut callers: BTreeMap<u16, (Caller, Caller)> = BTreeMap::new();
    for &(entry, call) in &ops {
        let id = entry.spec.info.id;
        for documented in entry.spec.responses.iter().filter(|r| !r.success) {
            let StatusPattern::Code(status) = documented.status else {
                tally.fail(
                    id,
                    &documented.status.to_string(),
                    "a status range or `default` cannot be forced with `Prefer: code=N`".into(),
                );
                continue;
            };
            let (example, generated) = callers.entry(status).or_insert_with(|| {
                (
                    Caller::new(Some(&format!("code={status}"))),
                    Caller::new(Some(&format!("code={status}, dynamic=true, seed={status}"))),
                )
            });
            let mode = status.to_string();
            tally.error(id, &mode, status, documented, example.call(call).await);
            let mode = format!("{status} dynamic");
            tally.error(id, &mode, status, documented, generated.call(call).await);
            pairs += 1;
        }
    }
    let statuses: Vec<u16> = callers.keys().copied().collect();
    let summary = format!(
        "statuses {statuses:?} exercised: {pairs} (operation, status) pairs, each with the example and a generated body, {} calls",
        tally.calls
    );
    tally.finish(
        "error statuses",
        |mode| mode.chars().next().is_some_and(|c| c.is_ascii_digit()),
        summary,
    );
}

/// Bodies Prism generates from the schemas (`Prefer: dynamic=true, seed=N`) decode for
/// every operation, over several seeds (reproducible: rerun with the same seed).
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask e2e`"]
async fn generated_bodies_decode_for_every_operation() {
    let env = env();
    let mut tally = Tally::default();
    let ops = callable_operations();
    let callers: Vec<(u32, Caller)> = (1..=env.dynamic_runs)
        .map(|seed| {
            (
                seed,
                Caller::new(Some(&format!("dynamic=true, seed={seed}"))),
            )
        })
        .collect();
    for &(entry, call) in &ops {
        let id = entry.spec.info.id;
        for (seed, caller) in &callers {
            let before = tally.failures.len();
            tally.success(
                id,
                "dynamic",
                success_status(entry),
                caller.call(call).await,
            );
            if tally.failures.len() > before
                && let Some(last) = tally.failures.pop()
            {
                tally.failures.push(format!("{last} (seed {seed})"));
            }
        }
    }
    let summary = format!(
        "{} dynamic runs (seeds 1..={}) over {} operations, {} calls",
        env.dynamic_runs,
        env.dynamic_runs,
        ops.len(),
        tally.calls
    );
    tally.finish("generated bodies", |mode| mode == "dynamic", summary);
}
