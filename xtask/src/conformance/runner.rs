//! The conformance runner: written by `cargo xtask conformance` into
//! `target/conformance/<document>/runner/src/main.rs`, beside the generated client
//! (`client`, with its `test-util` feature), and run against Prism.
//!
//! For every operation of the client's registry that has an example call, and for each
//! mode (Prism's static examples, then `Prefer: dynamic=true, seed=N` for each seed),
//! it makes the call, watches the exchange, and classifies it:
//!
//! * `ok`: the answer decoded, and encoding the decoded value gives the JSON back;
//! * `lost` / `changed`: it decoded, but members are missing from the re-encoding, or
//!   values differ (with their JSON paths);
//! * `decode`: it did not decode (with the serde path);
//! * `rejected`: Prism says the request breaks the document (its `sl-violations`), or
//!   answers that no operation has the request's path or method;
//! * `prism`: Prism could not answer from the document (it says so in a problem
//!   body, or its answer breaks the document by its own validation);
//! * `example`: an argument's example from the spec does not decode into its type;
//! * `failed`: no answer (connection, encoding);
//! * `not-callable`: the registry has no example call (with the reason).
//!
//! One JSON object per line on stdout, one per call; the xtask reads them.
#![deny(warnings)]

use std::sync::{Arc, Mutex};

use client::runtime::testing::{CallOutcome, OperationEntry, OutcomeKind};
use client::runtime::{CredentialKind, Exchange};
use client::Client;
use serde_json::{json, Value};

/// The exchanges of the current call (calls of one mode run one after another).
type Seen = Arc<Mutex<Vec<Exchange>>>;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let base_url = args.next().expect("usage: runner BASE_URL SEEDS");
    let seeds: u32 = args
        .next()
        .and_then(|s| s.parse().ok())
        .expect("usage: runner BASE_URL SEEDS");
    let mut modes = vec![None];
    modes.extend((1..=seeds).map(Some));
    let operations = client::testing::operations();
    let runs = modes.into_iter().map(|seed| {
        let operations = &operations;
        let base_url = &base_url;
        async move {
            let seen: Seen = Arc::default();
            let client = build_client(base_url, seed, &seen);
            let mut lines = Vec::new();
            for entry in operations {
                lines.push(call(&client, entry, seed, &seen).await);
            }
            lines
        }
    });
    for lines in futures_util::future::join_all(runs).await {
        for line in lines {
            println!("{line}");
        }
    }
}

/// A client of Prism with credentials of the kind the API uses (Prism checks that
/// they are there, not what they are) and no retries.
fn build_client(base_url: &str, seed: Option<u32>, seen: &Seen) -> Client {
    // The runtime's builder, with this API's profile: it takes every kind of
    // credentials, whatever the document's schemes are.
    let profile = Client::new(base_url).expect("a client").core().profile();
    let log = Arc::clone(seen);
    // Redirects are not followed: Prism points them at the document's example hosts,
    // which are not there; the documented 3xx is the answer.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let mut builder = client::runtime::ClientBuilder::new(profile)
        .base_url(base_url)
        .http_client(http)
        .retry_policy(client::runtime::RetryPolicy::none())
        .observer(move |exchange: &Exchange| {
            log.lock().expect("exchanges").push(exchange.clone());
        });
    builder = match profile.credentials.first() {
        Some(CredentialKind::Basic) => builder.basic_auth("conformance", "conformance"),
        Some(CredentialKind::ApiKey) => builder.api_key("conformance-key"),
        None if profile.api_key.is_some() => builder.api_key("conformance-key"),
        Some(_) => builder.bearer_token("conformance-token"),
        None => builder,
    };
    if let Some(seed) = seed {
        builder = builder.default_header("Prefer", format!("dynamic=true, seed={seed}"));
    }
    Client::from(builder.build().expect("a client of Prism"))
}

async fn call(
    client: &Client,
    entry: &OperationEntry<Client>,
    seed: Option<u32>,
    seen: &Seen,
) -> Value {
    let id = entry.spec.info.id;
    let mode = seed.map_or_else(|| "static".to_owned(), |s| format!("seed={s}"));
    let line = |result: &str, status: Option<u16>, detail: Value| {
        json!({"operation": id, "mode": mode, "result": result, "status": status, "detail": detail})
    };
    let Some(call) = entry.call else {
        return line("not-callable", None, json!(entry.not_callable));
    };
    seen.lock().expect("exchanges").clear();
    let outcome = match call(client).await {
        Ok(outcome) => outcome,
        Err(e) => return line("example", None, json!(e.to_string())),
    };
    let exchange = seen.lock().expect("exchanges").last().cloned();
    let (result, detail) = classify(entry, &outcome, exchange.as_ref());
    line(result, outcome.status, detail)
}

fn classify(
    entry: &OperationEntry<Client>,
    outcome: &CallOutcome,
    exchange: Option<&Exchange>,
) -> (&'static str, Value) {
    let Some(exchange) = exchange else {
        return match &outcome.kind {
            OutcomeKind::Failed(message) => ("failed", json!(message)),
            other => ("failed", json!(format!("no exchange was seen ({other:?})"))),
        };
    };
    let (request_violations, response_violations) = violations(exchange);
    if !request_violations.is_empty() {
        return ("rejected", json!(request_violations));
    }
    if let Some(problem) = prism_problem(exchange) {
        // Prism refusing the request itself (not finding an answer) is a rejection.
        let refused = ["NO_PATH_MATCHED", "NO_METHOD_MATCHED", "UNPROCESSABLE_ENTITY"];
        return if refused.iter().any(|kind| problem.contains(kind)) {
            ("rejected", json!(problem))
        } else {
            ("prism", json!(problem))
        };
    }
    let body = || serde_json::from_slice::<Value>(&exchange.response_body).ok();
    match &outcome.kind {
        OutcomeKind::Success | OutcomeKind::Api { typed: true, .. } => {
            let spec = entry.spec.response(exchange.status);
            let (Some(round_trip), Some(raw)) = (spec.and_then(|r| r.round_trip), body()) else {
                return ("ok", Value::Null);
            };
            match round_trip(&raw) {
                Err(e) => ("decode", json!(e)),
                Ok(encoded) => {
                    let mut lost = Vec::new();
                    let mut changed = Vec::new();
                    compare(&raw, &encoded, "", &mut lost, &mut changed);
                    if !lost.is_empty() {
                        ("lost", json!({"missing": lost, "changed": changed}))
                    } else if !changed.is_empty() {
                        ("changed", json!(changed))
                    } else {
                        ("ok", Value::Null)
                    }
                }
            }
        }
        OutcomeKind::Decode { path, message } if response_violations.is_empty() => {
            ("decode", json!(format!("at `{path}`: {message}")))
        }
        OutcomeKind::Api {
            typed: false,
            body_error: Some(e),
        } if response_violations.is_empty() => ("decode", json!(e)),
        OutcomeKind::Decode { .. } | OutcomeKind::Api { body_error: Some(_), .. } => {
            ("prism", json!({"response violates the document": response_violations}))
        }
        OutcomeKind::Api { .. } => (
            "prism",
            json!(format!(
                "status {} is not documented: {}",
                exchange.status,
                String::from_utf8_lossy(&exchange.response_body)
                    .chars()
                    .take(300)
                    .collect::<String>()
            )),
        ),
        OutcomeKind::Failed(message) => ("failed", json!(message)),
        other => ("failed", json!(format!("{other:?}"))),
    }
}

/// Prism's `sl-violations`, split into those about the request and the rest.
fn violations(exchange: &Exchange) -> (Vec<String>, Vec<String>) {
    let mut request = Vec::new();
    let mut response = Vec::new();
    for (name, value) in &exchange.response_headers {
        if name != "sl-violations" {
            continue;
        }
        let Ok(Value::Array(items)) = serde_json::from_str::<Value>(value) else {
            continue;
        };
        for v in items {
            let location: Vec<&str> = v["location"]
                .as_array()
                .map(|l| l.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let text = format!(
                "{}: {}",
                location.join("."),
                v["message"].as_str().unwrap_or_default()
            );
            if location.first() == Some(&"request") {
                request.push(text);
            } else {
                response.push(text);
            }
        }
    }
    (request, response)
}

/// The problem Prism answers with when it cannot serve the request from the document
/// (`{"type": "https://stoplight.io/prism/errors#...", ...}`).
fn prism_problem(exchange: &Exchange) -> Option<String> {
    let body: Value = serde_json::from_slice(&exchange.response_body).ok()?;
    let kind = body["type"].as_str()?;
    kind.contains("stoplight.io/prism/errors#").then(|| {
        // An invalid request's problem lists what was wrong, as `sl-violations` would.
        let validation: Vec<String> = body["validation"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|v| {
                        let location: Vec<&str> = v["location"]
                            .as_array()
                            .map(|l| l.iter().filter_map(Value::as_str).collect())
                            .unwrap_or_default();
                        format!("{}: {}", location.join("."), v["message"].as_str().unwrap_or_default())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let detail = if validation.is_empty() {
            body["detail"].as_str().unwrap_or_default().to_owned()
        } else {
            validation.join("; ")
        };
        format!(
            "{} ({}): {detail}",
            kind.rsplit('#').next().unwrap_or(kind),
            exchange.status,
        )
    })
}

/// Where `encoded` differs from `raw`: members missing from it (`lost`), and values
/// that differ (`changed`). Numbers are equal when their values are (`1` and `1.0`).
fn compare(raw: &Value, encoded: &Value, at: &str, lost: &mut Vec<String>, changed: &mut Vec<String>) {
    match (raw, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let path = format!("{at}/{key}");
                match b.get(key) {
                    Some(other) => compare(value, other, &path, lost, changed),
                    None => lost.push(path),
                }
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                changed.push(format!("{at}/{key}: added"));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{at}/{i}"), lost, changed);
            }
        }
        (Value::Number(a), Value::Number(b)) if same_number(a, b) => {}
        (Value::String(a), Value::String(b)) if same_instant(a, b) => {}
        (a, b) if a == b => {}
        (a, b) => changed.push(format!("{}: {} became {}", if at.is_empty() { "/" } else { at }, short(a), short(b))),
    }
}

/// Two RFC 3339 date-times for the same instant with the same offset: the client
/// decodes date-times into `chrono` values and writes them back in RFC 3339, which
/// can spell the same value differently (`10.0Z` becomes `10Z`).
fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x == y && x.offset() == y.offset(),
        _ => false,
    }
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= 60 {
        text
    } else {
        format!("{}…", text.chars().take(60).collect::<String>())
    }
}
