//! The production runtime against a local mock server: OAuth2 client credentials (cache,
//! single flight, refresh before expiry and after a 401), retries (429 with Retry-After,
//! 502/503/504 with backoff, attempt and time budgets, non-idempotent methods),
//! pagination, configuration from the environment, and secrets kept out of every
//! `Debug` and `Display` (tracing fields: `tests/tracing_fields.rs`).
//!
//! Tests that wait run on a runtime whose clock starts paused (see [`paused`]): tokio
//! advances the clock to the next timer whenever the runtime is idle, so a 2 s
//! `Retry-After` costs no real time and elapsed virtual time is exact.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use generated_client::runtime::{
    AccessToken, AuthError, BuildError, Client, ClientBuilder, CredentialKind, Error, HeaderMap,
    OperationInfo, Profile, RawResponse, Request, Response, RetryPolicy, Secret, StreamExt,
    TokenFuture, TokenSource, paginate,
};
use serde_json::json;
use tokio::time::Instant;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "my-client-id";
/// With characters that form encoding changes, to check the body and the redaction.
const CLIENT_SECRET: &str = "Cl1ent/S3cret+xyz";
const FORM: &str =
    "grant_type=client_credentials&client_id=my-client-id&client_secret=Cl1ent%2FS3cret%2Bxyz";
const TOKEN_PATH: &str = "/oauth/token";

static GET_THING: OperationInfo = OperationInfo {
    id: "getThing",
    method: "GET",
    path: "/things/{id}",
};
static CREATE_THING: OperationInfo = OperationInfo {
    id: "createThing",
    method: "POST",
    path: "/things",
};
static LIST_THINGS: OperationInfo = OperationInfo {
    id: "listThings",
    method: "GET",
    path: "/things",
};

// ---------------------------------------------------------------------------------------
// Harness

/// Runs `test` on a current-thread runtime whose clock starts paused, on a thread of its
/// own, and fails if it has not finished after 60 s of real time.
///
/// The guard is a real-time one on purpose: a `tokio::time::timeout` around the test
/// would be a pending timer, and a paused clock jumps to it whenever the runtime waits
/// for the mock server's answer.
fn paused<F, Fut>(test: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let (done, finished) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        runtime.block_on(test());
        let _ = done.send(());
    });
    match finished.recv_timeout(Duration::from_secs(60)) {
        Ok(()) => thread.join().unwrap(),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(thread.join().unwrap_err())
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("test still running after 60 s of real time")
        }
    }
}

/// An HTTP client without timers of its own (no connect timeout, no idle-pool
/// sweeper), so that a paused clock only moves for the runtime's own waits.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .unwrap()
}

/// A builder for `server`'s `/beta` API with the test HTTP client, and without the
/// default request and token timeouts: they are timers too, and a paused clock would
/// jump to them while the runtime waits for the mock server's answer.
fn builder(server: &MockServer) -> ClientBuilder {
    ClientBuilder::new(&PROFILE)
        .base_url(format!("{}/beta", server.uri()))
        .http_client(http())
        .timeout(None)
        .token_timeout(None)
}

/// An API whose token endpoint is `/oauth/token` on its root.
static PROFILE: Profile = Profile {
    token_url: Some("{root}/oauth/token"),
    credentials: &[CredentialKind::ClientCredentials, CredentialKind::Bearer],
    ..Profile::GENERIC
};

/// Client credentials against `server`'s `/oauth/token` (derived from the base URL).
fn oauth_client(server: &MockServer) -> Client {
    builder(server)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap()
}

/// Mounts a token endpoint that hands out `tok-0`, `tok-1`, ... valid `expires_in` s.
async fn mount_tokens(server: &MockServer, expires_in: u64) {
    let issued = AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(FORM))
        .respond_with(move |_: &wiremock::Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(json!({
                "access_token": format!("tok-{n}"),
                "token_type": "bearer",
                "expires_in": expires_in,
                "scope": "sp:scopes:all",
                "tenant_id": "t-1",
            }))
        })
        .mount(server)
        .await;
}

/// Requests `server` received on `path`.
async fn received(server: &MockServer, on: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == on)
        .collect()
}

/// The `Authorization` headers of the requests on `path`.
async fn authorizations(server: &MockServer, on: &str) -> Vec<String> {
    received(server, on)
        .await
        .iter()
        .map(|r| {
            r.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// What generated code for `GET /things/{id}` looks like.
async fn get_thing(client: &Client, id: &str) -> Result<Response<serde_json::Value>, Error<()>> {
    let raw = client
        .execute(Request::new(&GET_THING, format!("/things/{id}")))
        .await?;
    match raw.status() {
        200 => raw.json(),
        _ => Err(raw.unexpected()),
    }
}

/// `POST /things`, returning the raw response.
async fn create_thing(client: &Client) -> Result<RawResponse, Error<()>> {
    let mut req = Request::new(&CREATE_THING, "/things".into());
    req.json_body(&json!({"name": "x"}));
    client.execute(req).await
}

fn ok_thing() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": "1"}))
}

// ---------------------------------------------------------------------------------------
// OAuth2 client credentials

#[test]
fn one_token_request_for_50_concurrent_calls() {
    paused(|| async {
        let server = MockServer::start().await;
        mount_tokens(&server, 749).await;
        Mock::given(method("GET"))
            .and(path("/beta/things/1"))
            .and(header("authorization", "Bearer tok-0"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        let client = oauth_client(&server);
        assert_eq!(
            client.token_url(),
            Some(format!("{}/oauth/token", server.uri()).as_str())
        );

        let calls = (0..50).map(|_| get_thing(&client, "1"));
        let results = futures_util::future::join_all(calls).await;
        for result in results {
            assert_eq!(result.unwrap().body, json!({"id": "1"}));
        }
        assert_eq!(received(&server, TOKEN_PATH).await.len(), 1);
        assert_eq!(received(&server, "/beta/things/1").await.len(), 50);
        let token_request = &received(&server, TOKEN_PATH).await[0];
        assert_eq!(token_request.headers["accept"], "application/json");
        assert!(token_request.headers.get("authorization").is_none());
    });
}

#[test]
fn token_is_refreshed_shortly_before_it_expires() {
    paused(|| async {
        let server = MockServer::start().await;
        mount_tokens(&server, 300).await;
        Mock::given(method("GET"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        let client = oauth_client(&server);

        get_thing(&client, "1").await.unwrap();
        // 300 s token, refreshed min(60 s, 10%) = 30 s early: still fresh at 250 s.
        tokio::time::advance(Duration::from_secs(250)).await;
        get_thing(&client, "1").await.unwrap();
        assert_eq!(received(&server, TOKEN_PATH).await.len(), 1);
        tokio::time::advance(Duration::from_secs(25)).await;
        get_thing(&client, "1").await.unwrap();
        get_thing(&client, "1").await.unwrap();
        assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
        // Long past the expiry of tok-1 (obtained at 275 s, expires at 575 s).
        tokio::time::advance(Duration::from_secs(1000)).await;
        get_thing(&client, "1").await.unwrap();
        assert_eq!(received(&server, TOKEN_PATH).await.len(), 3);
        assert_eq!(
            authorizations(&server, "/beta/things/1").await,
            [
                "Bearer tok-0",
                "Bearer tok-0",
                "Bearer tok-1",
                "Bearer tok-1",
                "Bearer tok-2"
            ]
        );
    });
}

#[test]
fn a_401_refreshes_the_token_once_and_sends_again() {
    paused(|| async {
        let server = MockServer::start().await;
        mount_tokens(&server, 3600).await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer tok-0"))
            .respond_with(
                ResponseTemplate::new(401).set_body_json(json!({"error": "JWT is expired"})),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer tok-1"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        let client = oauth_client(&server);

        // Twenty requests see the 401 of tok-0 at once: one refresh for all of them.
        let calls = (0..20).map(|_| get_thing(&client, "1"));
        for result in futures_util::future::join_all(calls).await {
            result.unwrap();
        }
        assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
        let auths = authorizations(&server, "/beta/things/1").await;
        assert!(auths.len() <= 40, "{auths:?}");
        assert_eq!(auths.iter().filter(|a| *a == "Bearer tok-1").count(), 20);

        let raw = client
            .execute::<()>(Request::new(&GET_THING, "/things/1".into()))
            .await
            .unwrap();
        assert_eq!((raw.status(), raw.attempts()), (200, 1));
    });
}

#[test]
fn the_send_after_a_token_refresh_does_not_count_as_a_retry() {
    paused(|| async {
        let server = MockServer::start().await;
        mount_tokens(&server, 3600).await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer tok-0"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer tok-1"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer tok-1"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        let client = builder(&server)
            .client_credentials(CLIENT_ID, CLIENT_SECRET)
            .retry_policy(
                RetryPolicy::new()
                    .max_attempts(2)
                    .initial_backoff(Duration::from_secs(1))
                    .jitter(false),
            )
            .build()
            .unwrap();
        let started = Instant::now();
        // 401 (refresh, not counted), 503 (attempt 1 of 2), wait 1 s, 200 (2 of 2).
        let raw = client
            .execute::<()>(Request::new(&GET_THING, "/things/1".into()))
            .await
            .unwrap();
        assert_eq!((raw.status(), raw.attempts()), (200, 3));
        assert_eq!(started.elapsed(), Duration::from_secs(1));
    });
}

#[test]
fn a_second_401_is_returned_after_one_refresh() {
    paused(|| async {
        let server = MockServer::start().await;
        mount_tokens(&server, 3600).await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        let client = oauth_client(&server);
        let err = get_thing(&client, "1").await.unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert_eq!(err.api().unwrap().attempts, 2);
        assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
        assert_eq!(received(&server, "/beta/things/1").await.len(), 2);
    });
}

#[test]
fn a_static_token_is_not_refreshed_on_401() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        let client = builder(&server).bearer_token("pat-token").build().unwrap();
        let err = get_thing(&client, "1").await.unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert_eq!(received(&server, "/beta/things/1").await.len(), 1);
        assert!(received(&server, TOKEN_PATH).await.is_empty());
    });
}

/// A caller-supplied source that counts its calls and records `force_refresh`.
#[derive(Default, Clone)]
struct CountingSource {
    calls: Arc<Mutex<Vec<bool>>>,
}

impl TokenSource for CountingSource {
    fn token(&self, force_refresh: bool) -> TokenFuture<'_> {
        Box::pin(async move {
            let n = {
                let mut calls = self.calls.lock().unwrap();
                calls.push(force_refresh);
                calls.len() - 1
            };
            // Yield so that concurrent requests pile up behind this fetch.
            tokio::task::yield_now().await;
            Ok(AccessToken::expiring_in(
                format!("src-{n}"),
                Duration::from_secs(600),
            ))
        })
    }
}

#[test]
fn token_sources_are_cached_and_forced_after_401() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer src-0"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer src-1"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        let source = CountingSource::default();
        let client = builder(&server)
            .token_source(source.clone())
            .build()
            .unwrap();
        let calls = (0..10).map(|_| get_thing(&client, "1"));
        for result in futures_util::future::join_all(calls).await {
            result.unwrap();
        }
        assert_eq!(*source.calls.lock().unwrap(), [false, true]);
        assert!(format!("{client:?}").contains("TokenSource(<custom>)"));

        // Closures are token sources too; their errors are `Error::Auth`.
        let client = builder(&server)
            .token_source(|_force: bool| async {
                Err::<AccessToken, _>(AuthError::new("vault is sealed"))
            })
            .build()
            .unwrap();
        let err = get_thing(&client, "1").await.unwrap_err();
        assert!(
            matches!(&err, Error::Auth(e) if e.message() == "vault is sealed"),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "authentication failed: vault is sealed");
    });
}

#[test]
fn token_endpoint_errors_are_clear_auth_errors_without_secrets() {
    paused(|| async {
        let server = MockServer::start().await;
        // A 500 whose body echoes the secret, plain and form-encoded.
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(500).set_body_string(format!(
                "{{\"error\":\"server_error\",\"detail\":\"cannot check {CLIENT_SECRET} / {FORM}\"}}"
            )))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        let client = oauth_client(&server);

        // Ten concurrent requests: one token request, ten errors.
        let calls = (0..10).map(|_| get_thing(&client, "1"));
        let results = futures_util::future::join_all(calls).await;
        assert_eq!(received(&server, TOKEN_PATH).await.len(), 1);
        assert!(received(&server, "/beta/things/1").await.is_empty());
        for result in results {
            let err = result.unwrap_err();
            let Error::Auth(auth) = &err else {
                panic!("expected Error::Auth, got {err:?}")
            };
            let line = err.to_string();
            assert!(
                line.starts_with(&format!(
                    "authentication failed: token endpoint {}/oauth/token answered HTTP 500 Internal Server Error: {{\"error\":\"server_error\"",
                    server.uri()
                )),
                "{line}"
            );
            assert!(line.contains("<redacted>"), "{line}");
            for shown in [line.clone(), format!("{err:?}"), format!("{auth:?}")] {
                assert!(!shown.contains(CLIENT_SECRET), "{shown}");
                assert!(!shown.contains("Cl1ent%2FS3cret"), "{shown}");
            }
        }
        let err = get_thing(&client, "1").await.unwrap_err();
        let Error::Auth(auth) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(auth.status(), Some(500));
        assert_eq!(
            received(&server, TOKEN_PATH).await.len(),
            2,
            "tried again later"
        );
    });
}

#[test]
fn invalid_token_responses_are_auth_errors_naming_the_field() {
    paused(|| async {
        for (body, expect) in [
            (
                json!({"access_token": "leaky-token-123", "expires_in": "soon"}),
                "invalid expires_in",
            ),
            (
                json!({"token": "x"}),
                "(at `.`): missing field `access_token`",
            ),
            (
                json!({"access_token": "leaky-token-123", "token_type": "mac"}),
                "token_type `mac`",
            ),
            (
                json!({"access_token": 17}),
                "(at `access_token`): invalid type",
            ),
        ] {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .and(path(TOKEN_PATH))
                .respond_with(ResponseTemplate::new(200).set_body_json(&body))
                .mount(&server)
                .await;
            let err = get_thing(&oauth_client(&server), "1").await.unwrap_err();
            assert!(matches!(err, Error::Auth(_)), "{err:?}");
            let shown = format!("{err} {err:?}");
            assert!(shown.contains(expect), "{body}: {shown}");
            assert!(!shown.contains("leaky-token-123"), "{shown}");
            assert!(!shown.contains(CLIENT_SECRET), "{shown}");
        }

        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_string("<html>login</html>"))
            .mount(&server)
            .await;
        let err = get_thing(&oauth_client(&server), "1").await.unwrap_err();
        assert!(
            err.to_string()
                .contains("answered HTTP 200 with an invalid token response"),
            "{err}"
        );
    });
}

#[test]
fn token_requests_follow_the_retry_policy() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        mount_tokens(&server, 3600).await;
        Mock::given(method("GET"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        get_thing(&oauth_client(&server), "1").await.unwrap();
        assert_eq!(received(&server, TOKEN_PATH).await.len(), 2);
        assert_eq!(
            authorizations(&server, "/beta/things/1").await,
            ["Bearer tok-0"]
        );
    });
}

#[test]
fn an_expires_in_beyond_the_clock_means_no_expiry() {
    paused(|| async {
        // 1e19 s is a valid duration but far beyond what an `Instant` can hold; 1e30 s
        // is not even a valid duration. Neither may panic or fail the call.
        for expires_in in [json!(1e19), json!(1e30), json!("1e19")] {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .and(path(TOKEN_PATH))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                    "access_token": "tok-0",
                    "token_type": "bearer",
                    "expires_in": expires_in,
                })))
                .mount(&server)
                .await;
            Mock::given(method("GET"))
                .respond_with(ok_thing())
                .mount(&server)
                .await;
            let client = oauth_client(&server);
            get_thing(&client, "1").await.unwrap();
            // No known expiry: the token is kept (until a 401).
            tokio::time::advance(Duration::from_secs(400 * 24 * 3600)).await;
            get_thing(&client, "2").await.unwrap();
            assert_eq!(received(&server, TOKEN_PATH).await.len(), 1, "{expires_in}");
        }
    });
}

/// Mounts a token endpoint that hands out `tok-0`, `tok-1`, ... with `expires_in` as
/// given (`None`: no `expires_in` at all).
async fn mount_tokens_expiring(server: &MockServer, expires_in: Option<serde_json::Value>) {
    let issued = AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(move |_: &wiremock::Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst);
            let mut body = json!({"access_token": format!("tok-{n}"), "token_type": "bearer"});
            if let Some(expires_in) = &expires_in {
                body["expires_in"] = expires_in.clone();
            }
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(server)
        .await;
}

#[test]
fn concurrent_calls_share_one_token_request_whatever_expires_in_says() {
    paused(|| async {
        // (expires_in, token requests after one more call later on)
        for (expires_in, later) in [
            (Some(json!(0)), 2),
            (Some(json!("0")), 2),
            (Some(json!(0.0001)), 1),
            (None, 1),
            (Some(json!(1e19)), 1),
            (Some(json!(1)), 1),
            (Some(json!(5)), 1),
            (Some(json!(3600)), 1),
        ] {
            let server = MockServer::start().await;
            mount_tokens_expiring(&server, expires_in.clone()).await;
            Mock::given(method("GET"))
                .respond_with(ok_thing())
                .mount(&server)
                .await;
            let client = oauth_client(&server);

            let calls = (0..20).map(|_| get_thing(&client, "1"));
            for result in futures_util::future::join_all(calls).await {
                result.unwrap();
            }
            assert_eq!(
                received(&server, TOKEN_PATH).await.len(),
                1,
                "expires_in {expires_in:?}"
            );
            assert_eq!(
                authorizations(&server, "/beta/things/1").await,
                vec!["Bearer tok-0"; 20],
                "expires_in {expires_in:?}"
            );

            // A call after the fetch: a token that expired at once is not used again;
            // any other is (no time has passed).
            get_thing(&client, "2").await.unwrap();
            assert_eq!(
                received(&server, TOKEN_PATH).await.len(),
                later,
                "expires_in {expires_in:?}"
            );
        }
    });
}

#[test]
fn a_token_source_whose_tokens_expire_at_once_is_asked_once_for_concurrent_calls() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let client = builder(&server)
            .token_source(move |_force: bool| {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                async move {
                    // Yield so that concurrent requests pile up behind this fetch.
                    tokio::task::yield_now().await;
                    Ok::<_, AuthError>(AccessToken::expiring_in(format!("src-{n}"), Duration::ZERO))
                }
            })
            .build()
            .unwrap();
        let results =
            futures_util::future::join_all((0..20).map(|_| get_thing(&client, "1"))).await;
        for result in results {
            result.unwrap();
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        get_thing(&client, "1").await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    });
}

#[test]
fn short_lifetimes_are_refreshed_a_tenth_early() {
    paused(|| async {
        for (expires_in, still_fresh, refreshed) in [
            (1, Duration::from_millis(890), Duration::from_millis(900)),
            (5, Duration::from_millis(4490), Duration::from_millis(4500)),
            // 60 s early at most.
            (3600, Duration::from_secs(3539), Duration::from_secs(3540)),
        ] {
            let server = MockServer::start().await;
            mount_tokens_expiring(&server, Some(json!(expires_in))).await;
            Mock::given(method("GET"))
                .respond_with(ok_thing())
                .mount(&server)
                .await;
            let client = oauth_client(&server);
            let start = Instant::now();
            get_thing(&client, "1").await.unwrap();

            tokio::time::advance(still_fresh).await;
            let calls = (0..5).map(|_| get_thing(&client, "1"));
            for result in futures_util::future::join_all(calls).await {
                result.unwrap();
            }
            assert_eq!(
                received(&server, TOKEN_PATH).await.len(),
                1,
                "{expires_in} s"
            );

            tokio::time::advance(refreshed - still_fresh).await;
            let calls = (0..5).map(|_| get_thing(&client, "1"));
            for result in futures_util::future::join_all(calls).await {
                result.unwrap();
            }
            assert_eq!(
                received(&server, TOKEN_PATH).await.len(),
                2,
                "{expires_in} s"
            );
            assert_eq!(
                start.elapsed(),
                refreshed,
                "no time passes but the advances"
            );
            assert_eq!(
                authorizations(&server, "/beta/things/1").await,
                [vec!["Bearer tok-0"; 6], vec!["Bearer tok-1"; 5]].concat(),
                "{expires_in} s"
            );
        }
    });
}

/// A loopback port that accepts connections (the kernel completes the handshake) and
/// never answers. Listening as long as the listener lives.
fn silent_server() -> (std::net::TcpListener, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

#[test]
fn a_token_endpoint_that_never_answers_times_out_for_every_waiting_request() {
    paused(|| async {
        let (_listener, port) = silent_server();
        let token_url = format!("http://127.0.0.1:{port}/oauth/token");
        // The default token timeout (30 s), with an injected HTTP client.
        let client = Client::builder()
            .base_url("http://127.0.0.1:1/beta")
            .http_client(http())
            .client_credentials(CLIENT_ID, CLIENT_SECRET)
            .token_url(&token_url)
            .build()
            .unwrap();
        let started = Instant::now();
        let calls = (0..10).map(|_| get_thing(&client, "1"));
        let results = futures_util::future::join_all(calls).await;
        // One token request, not retried, bounded by the token timeout; the waiting
        // requests share its failure instead of waiting for a token request each.
        assert_eq!(started.elapsed(), Duration::from_secs(30));
        for result in results {
            let err = result.unwrap_err();
            let Error::Auth(auth) = &err else {
                panic!("expected Error::Auth, got {err:?}")
            };
            assert!(
                auth.message().starts_with(&format!(
                    "token request to {token_url} timed out (after 30s)"
                )),
                "{err}"
            );
            assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET));
        }

        // A shorter limit of its own.
        let client = Client::builder()
            .base_url("http://127.0.0.1:1/beta")
            .http_client(http())
            .client_credentials(CLIENT_ID, CLIENT_SECRET)
            .token_url(&token_url)
            .token_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = get_thing(&client, "1").await.unwrap_err();
        assert_eq!(started.elapsed(), Duration::from_secs(5));
        assert!(err.to_string().contains("timed out (after 5s)"), "{err}");
    });
}

#[test]
fn api_requests_time_out_after_60_s_by_default() {
    paused(|| async {
        let (_listener, port) = silent_server();
        let client = Client::builder()
            .base_url(format!("http://127.0.0.1:{port}/beta"))
            .http_client(http())
            .bearer_token("static-token")
            .build()
            .unwrap();
        let started = Instant::now();
        let err = get_thing(&client, "1").await.unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
        // Not retried: one attempt, cut at the default limit.
        assert_eq!(started.elapsed(), Duration::from_secs(60));
    });
}

#[test]
fn timeouts_show_in_debug_and_can_be_turned_off() {
    let client = generated_client::Client::builder()
        .tenant("acme")
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(shown.contains("timeout: Some(60s)"), "{shown}");
    assert!(shown.contains("token_timeout: Some(30s)"), "{shown}");
    let builder = generated_client::Client::builder()
        .tenant("acme")
        .timeout(None)
        .token_timeout(Duration::from_secs(3));
    for shown in [
        format!("{builder:?}"),
        format!("{:?}", builder.build().unwrap()),
    ] {
        assert!(shown.contains(" timeout: None"), "{shown}");
        assert!(shown.contains("token_timeout: Some(3s)"), "{shown}");
    }
    let shown = format!("{:?}", Client::builder());
    assert!(shown.contains(" timeout: Some(60s)"), "{shown}");
}

#[tokio::test]
async fn unreachable_token_endpoint_is_an_auth_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url("http://127.0.0.1:1/beta")
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .token_url(format!("http://127.0.0.1:{port}/oauth/token"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = tokio::time::timeout(Duration::from_secs(30), get_thing(&client, "1"))
        .await
        .expect("no hang")
        .unwrap_err();
    let line = err.to_string();
    assert!(
        line.starts_with(&format!(
            "authentication failed: token request to http://127.0.0.1:{port}/oauth/token failed: "
        )),
        "{line}"
    );
    assert!(!format!("{line} {err:?}").contains(CLIENT_SECRET));
}

// ---------------------------------------------------------------------------------------
// Retries

#[test]
fn a_429_waits_as_retry_after_says_even_for_post() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "2"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(201))
            .mount(&server)
            .await;
        let client = builder(&server).bearer_token("pat").build().unwrap();
        let started = Instant::now();
        let raw = create_thing(&client).await.unwrap();
        let waited = started.elapsed();
        assert_eq!((raw.status(), raw.attempts()), (201, 2));
        assert!(waited >= Duration::from_secs(2), "{waited:?}");
        assert!(waited < Duration::from_secs(3), "{waited:?}");
        assert_eq!(received(&server, "/beta/things").await.len(), 2);
    });
}

#[test]
fn a_429_retry_after_http_date_is_honoured() {
    paused(|| async {
        let server = MockServer::start().await;
        let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(4));
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", date.as_str()))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        let client = builder(&server).build().unwrap();
        let started = Instant::now();
        get_thing(&client, "1").await.unwrap();
        let waited = started.elapsed();
        // The date has a resolution of one second.
        assert!(
            waited >= Duration::from_secs(2) && waited <= Duration::from_secs(4),
            "{waited:?}"
        );
    });
}

#[test]
fn a_retry_after_beyond_the_budget_returns_the_429() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "120")
                    .set_body_json(json!({"message": "Rate Limit Exceeded"})),
            )
            .mount(&server)
            .await;
        let client = builder(&server).build().unwrap();
        let started = Instant::now();
        let err = get_thing(&client, "1").await.unwrap_err();
        assert_eq!(started.elapsed(), Duration::ZERO, "gave up without waiting");
        assert_eq!(err.status(), Some(429));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
        assert_eq!(received(&server, "/beta/things/1").await.len(), 1);
    });
}

#[test]
fn a_503_is_retried_with_exponential_backoff() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ok_thing())
            .mount(&server)
            .await;
        let client = builder(&server)
            .retry_policy(
                RetryPolicy::new()
                    .initial_backoff(Duration::from_secs(1))
                    .jitter(false),
            )
            .build()
            .unwrap();
        let started = Instant::now();
        let resp = get_thing(&client, "1").await.unwrap();
        assert_eq!(resp.body, json!({"id": "1"}));
        // 1 s, then 2 s.
        assert_eq!(started.elapsed(), Duration::from_secs(3));
        assert_eq!(received(&server, "/beta/things/1").await.len(), 3);
    });
}

#[test]
fn post_is_not_retried_on_503_unless_opted_in() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(201))
            .mount(&server)
            .await;
        let client = builder(&server).build().unwrap();
        let raw = create_thing(&client).await.unwrap();
        assert_eq!((raw.status(), raw.attempts()), (503, 1));
        assert_eq!(received(&server, "/beta/things").await.len(), 1);

        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(201))
            .mount(&server)
            .await;
        let client = builder(&server)
            .retry_policy(RetryPolicy::new().retry_non_idempotent(true))
            .build()
            .unwrap();
        let raw = create_thing(&client).await.unwrap();
        assert_eq!((raw.status(), raw.attempts()), (201, 2));
        assert_eq!(received(&server, "/beta/things").await.len(), 2);
    });
}

#[test]
fn attempts_are_capped() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).set_body_string("down for maintenance"))
            .mount(&server)
            .await;
        // The default policy: 4 attempts.
        let client = builder(&server).build().unwrap();
        let err = get_thing(&client, "1").await.unwrap_err();
        assert_eq!(received(&server, "/beta/things/1").await.len(), 4);
        let api = err.api().unwrap();
        assert_eq!((api.status, api.attempts), (503, 4));
        assert_eq!(
            err.to_string(),
            "getThing: HTTP 503 Service Unavailable after 4 attempts: down for maintenance"
        );

        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(502))
            .mount(&server)
            .await;
        let client = builder(&server)
            .retry_policy(RetryPolicy::new().max_attempts(2))
            .build()
            .unwrap();
        assert_eq!(
            get_thing(&client, "1").await.unwrap_err().status(),
            Some(502)
        );
        assert_eq!(received(&server, "/beta/things/1").await.len(), 2);
    });
}

#[test]
fn the_time_budget_bounds_backoff() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(504))
            .mount(&server)
            .await;
        let client = builder(&server)
            .retry_policy(
                RetryPolicy::new()
                    .max_attempts(100)
                    .max_elapsed(Duration::from_secs(10))
                    .initial_backoff(Duration::from_secs(1))
                    .jitter(false),
            )
            .build()
            .unwrap();
        let started = Instant::now();
        assert_eq!(
            get_thing(&client, "1").await.unwrap_err().status(),
            Some(504)
        );
        // Waits 1, 2 and 4 s; the next wait (8 s) would end after the 10 s budget.
        assert_eq!(started.elapsed(), Duration::from_secs(7));
        assert_eq!(received(&server, "/beta/things/1").await.len(), 4);
    });
}

#[test]
fn retries_can_be_turned_off() {
    paused(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
            .mount(&server)
            .await;
        let client = builder(&server)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        assert!(!client.retry_policy().is_enabled());
        assert_eq!(
            get_thing(&client, "1").await.unwrap_err().status(),
            Some(503)
        );
        assert_eq!(create_thing(&client).await.unwrap().status(), 429);
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    });
}

#[test]
fn connection_errors_are_retried_even_for_post() {
    paused(|| async {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let client = Client::builder()
            .base_url(format!("http://127.0.0.1:{port}/beta"))
            .http_client(http())
            .timeout(None)
            .retry_policy(
                RetryPolicy::new()
                    .max_attempts(3)
                    .initial_backoff(Duration::from_secs(1))
                    .jitter(false),
            )
            .build()
            .unwrap();
        let started = Instant::now();
        let err = create_thing(&client).await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        // Two waits (1 s, 2 s): the request was never sent, so POST is retried.
        assert_eq!(started.elapsed(), Duration::from_secs(3));
    });
}

#[tokio::test]
async fn timeouts_are_timeout_errors_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_thing().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = tokio::time::timeout(Duration::from_secs(30), get_thing(&client, "1"))
        .await
        .expect("no hang")
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        err.to_string().starts_with("getThing: request timed out"),
        "{err}"
    );
    assert_eq!(received(&server, "/beta/things/1").await.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Pagination

/// `GET /things?offset=..&limit=..` over `total` items `{"n": i}`.
async fn mount_things(server: &MockServer, total: usize) {
    Mock::given(method("GET"))
        .and(path("/beta/things"))
        .respond_with(move |req: &wiremock::Request| {
            let param = |name: &str| {
                req.url
                    .query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.parse::<usize>().unwrap())
                    .unwrap()
            };
            let (offset, limit) = (param("offset"), param("limit"));
            let items: Vec<_> = (offset..total.min(offset + limit))
                .map(|n| json!({"n": n}))
                .collect();
            ResponseTemplate::new(200).set_body_json(items)
        })
        .mount(server)
        .await;
}

/// What a generated list operation with `offset` and `limit` looks like.
async fn list_things(
    client: &Client,
    offset: u32,
    limit: u32,
) -> Result<Response<Vec<serde_json::Value>>, Error<()>> {
    let mut req = Request::new(&LIST_THINGS, "/things".into());
    req.query("offset", offset);
    req.query("limit", limit);
    let raw = client.execute(req).await?;
    match raw.status() {
        200 => raw.json(),
        _ => Err(raw.unexpected()),
    }
}

async fn queries(server: &MockServer) -> Vec<String> {
    received(server, "/beta/things")
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn stream_walks_pages_until_a_short_page() {
    paused(|| async {
        let server = MockServer::start().await;
        mount_things(&server, 5).await;
        let client = builder(&server).build().unwrap();
        let stream = paginate(2, None, |offset, limit| list_things(&client, offset, limit));
        let items: Vec<_> = stream
            .map(|item| item.unwrap()["n"].clone())
            .collect()
            .await;
        assert_eq!(items, (0..5).map(|n| json!(n)).collect::<Vec<_>>());
        assert_eq!(
            queries(&server).await,
            ["offset=0&limit=2", "offset=2&limit=2", "offset=4&limit=2"]
        );

        // A full last page: one more request, answered with an empty page.
        server.reset().await;
        mount_things(&server, 4).await;
        let stream = paginate(2, None, |offset, limit| list_things(&client, offset, limit));
        assert_eq!(stream.count().await, 4);
        assert_eq!(
            queries(&server).await,
            ["offset=0&limit=2", "offset=2&limit=2", "offset=4&limit=2"]
        );
    });
}

#[test]
fn stream_stops_at_max_items_and_asks_for_no_more() {
    paused(|| async {
        let server = MockServer::start().await;
        mount_things(&server, 100).await;
        let client = builder(&server).build().unwrap();
        let stream = paginate(250, Some(3), |offset, limit| {
            list_things(&client, offset, limit)
        });
        let mut stream = std::pin::pin!(stream);
        let mut items = Vec::new();
        while let Some(item) = stream.next().await {
            items.push(item.unwrap()["n"].as_u64().unwrap());
        }
        assert_eq!(items, [0, 1, 2]);
        assert_eq!(queries(&server).await, ["offset=0&limit=3"]);

        server.reset().await;
        mount_things(&server, 100).await;
        let stream = paginate(2, Some(5), |offset, limit| {
            list_things(&client, offset, limit)
        });
        assert_eq!(stream.count().await, 5);
        assert_eq!(
            queries(&server).await,
            ["offset=0&limit=2", "offset=2&limit=2", "offset=4&limit=1"]
        );

        let stream = paginate(2, Some(0), |offset, limit| {
            list_things(&client, offset, limit)
        });
        assert_eq!(stream.count().await, 0);
        assert_eq!(
            queries(&server).await.len(),
            3,
            "nothing requested for 0 items"
        );
    });
}

#[test]
fn stream_ends_after_an_error() {
    paused(|| async {
        let fetched = Arc::new(Mutex::new(Vec::new()));
        let log = fetched.clone();
        let stream = paginate(2, None, move |offset, limit| {
            log.lock().unwrap().push((offset, limit));
            async move {
                if offset == 0 {
                    Ok(Response {
                        status: 200,
                        headers: HeaderMap::new(),
                        body: vec!["a", "b"],
                    })
                } else {
                    Err(Error::<()>::Auth(AuthError::new("token expired")))
                }
            }
        });
        let items: Vec<_> = stream.collect().await;
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].as_ref().unwrap(), &"a");
        assert_eq!(items[1].as_ref().unwrap(), &"b");
        assert!(matches!(items[2], Err(Error::Auth(_))));
        assert_eq!(*fetched.lock().unwrap(), [(0, 2), (2, 2)]);
    });
}

// ---------------------------------------------------------------------------------------
// Configuration

fn env(vars: &'static [(&'static str, &'static str)]) -> impl FnMut(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn from_env_names_every_missing_variable() {
    let err = generated_client::ClientBuilder::from_env_with(env(&[])).unwrap_err();
    assert!(
        matches!(&err, BuildError::MissingEnv(names) if names == &["SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"]),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "missing or empty environment variables: SAIL_BASE_URL, SAIL_CLIENT_ID, SAIL_CLIENT_SECRET"
    );
    let err = generated_client::ClientBuilder::from_env_with(env(&[
        ("SAIL_BASE_URL", "https://acme.api.identitynow.com"),
        ("SAIL_CLIENT_ID", "id"),
        ("SAIL_CLIENT_SECRET", "  "),
    ]))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing or empty environment variable: SAIL_CLIENT_SECRET"
    );
    let err = generated_client::ClientBuilder::from_env_with(env(&[
        ("SAIL_BASE_URL", "acme.api.identitynow.com"),
        ("SAIL_CLIENT_ID", "id"),
        ("SAIL_CLIENT_SECRET", "Cl1ent/S3cret+xyz"),
    ]))
    .unwrap_err();
    assert!(
        matches!(
            err,
            BuildError::InvalidEnv { ref name, .. } if name == "SAIL_BASE_URL"
        ),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET));
}

#[test]
fn from_env_derives_the_base_and_token_urls() {
    let builder = generated_client::ClientBuilder::from_env_with(env(&[
        ("SAIL_BASE_URL", "https://acme.api.identitynow.com/"),
        ("SAIL_CLIENT_ID", "my-client-id"),
        ("SAIL_CLIENT_SECRET", "Cl1ent/S3cret+xyz"),
    ]))
    .unwrap();
    let client = builder
        .retry_policy(RetryPolicy::new().max_attempts(2))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://acme.api.identitynow.com/beta");
    assert_eq!(
        client.core().token_url(),
        Some("https://acme.api.identitynow.com/oauth/token")
    );
    assert_eq!(
        client.core().retry_policy(),
        &RetryPolicy::new().max_attempts(2)
    );
}

#[test]
fn the_token_url_defaults_from_the_tenant() {
    let client = generated_client::Client::builder()
        .tenant("acme")
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();
    assert_eq!(
        client.core().token_url(),
        Some("https://acme.api.identitynow.com/oauth/token")
    );
}

#[test]
fn debug_never_shows_secrets() {
    paused(|| async {
        let server = MockServer::start().await;
        mount_tokens(&server, 3600).await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
            .mount(&server)
            .await;
        let builder = builder(&server).client_credentials(CLIENT_ID, CLIENT_SECRET);
        let client = builder.clone().build().unwrap();
        // After a request the client holds the token `tok-0` in its cache.
        let err = get_thing(&client, "1").await.unwrap_err();
        let shown = [
            format!("{builder:?}"),
            format!("{builder:#?}"),
            format!("{client:?}"),
            format!("{client:#?}"),
            format!("{err:?}"),
            err.to_string(),
            format!("{:?}", Secret::new(CLIENT_SECRET)),
            format!("{:?}", AccessToken::new("tok-0")),
        ];
        for text in &shown {
            assert!(!text.contains(CLIENT_SECRET), "{text}");
            assert!(!text.contains("tok-0"), "{text}");
        }
        assert!(shown[0].contains(CLIENT_ID), "{}", shown[0]);
        assert!(
            shown[2].contains("client_secret: <redacted>"),
            "{}",
            shown[2]
        );
    });
}
