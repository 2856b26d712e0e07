//! The `tracing` output of a request: one `http_request` span with the operation id,
//! method, path *template*, attempt, status and elapsed time; retries logged with their
//! reason and delay; never a secret, a token, a concrete path or a query string.
//!
//! In a test binary of its own: tracing caches per-callsite interest process-wide, and a
//! thread-local subscriber can miss events when other tests hit the same callsites
//! concurrently.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use generated_client::runtime::{Client, OperationInfo, Request, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "Cl1ent/S3cret+xyz";

static GET_THING: OperationInfo = OperationInfo {
    id: "getThing",
    method: "GET",
    path: "/things/{id}",
};

/// Records the fields of every span and event of this crate as `name=value` text.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("generated_client")
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("span {}:", span.metadata().name());
        span.record(&mut Fields(&mut line));
        let mut lines = self.lines.lock().unwrap();
        lines.push(line);
        tracing::span::Id::from_u64(lines.len() as u64)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = String::from("record:");
        values.record(&mut Fields(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = format!("event {}:", event.metadata().level());
        event.record(&mut Fields(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn requests_are_traced_with_the_path_template_and_no_secrets() {
    let recorder = Recorder::default();
    tracing::subscriber::set_global_default(recorder.clone()).unwrap();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-0", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .client_credentials("my-client-id", CLIENT_SECRET)
        .token_url(format!("{}/oauth/token", server.uri()))
        .retry_policy(RetryPolicy::new().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let mut req = Request::new(&GET_THING, "/things/secret-id-42".into());
    req.query("filters", "name eq \"query-value\"");
    let raw = tokio::time::timeout(Duration::from_secs(30), client.execute::<()>(req))
        .await
        .expect("no hang")
        .unwrap();
    assert_eq!((raw.status(), raw.attempts()), (200, 2));

    let log = recorder.lines.lock().unwrap().join("\n");
    assert!(
        log.contains("span http_request: op=\"getThing\" method=GET path=\"/things/{id}\""),
        "{log}"
    );
    for field in [
        "status=503",
        "status=200",
        "attempt=2",
        "elapsed_ms=",
        "reason=HTTP 503 delay_ms=",
        "obtained access token",
        "client_secret: <redacted>",
    ] {
        assert!(log.contains(field), "`{field}` not in\n{log}");
    }
    for hidden in [CLIENT_SECRET, "tok-0", "secret-id-42", "query-value"] {
        assert!(!log.contains(hidden), "`{hidden}` in\n{log}");
    }
}
