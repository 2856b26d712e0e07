//! Record and replay (`runtime::testing`, the `test-util` feature) with generated
//! operations: calls recorded against a server standing for the real API, saved,
//! replayed offline, and a changed call caught by the replay.
//!
//! Run with `cargo test -p generated-client --features test-util` (the `[[test]]`
//! entry requires the feature: a plain `cargo test` skips this file).

use generated_client::Client;
use generated_client::models::Source;
use generated_client::operations::{CreateSourceParams, ListSourcesParams};
use generated_client::runtime::Error;
use generated_client::runtime::testing::{Recorder, Recording, Replay};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "secret-token";
const SOURCE_ID: &str = "2c9180835d191a86015d28455b4a2329";

fn source_json(id: &str, name: &str) -> serde_json::Value {
    json!({
        "id": id,
        "name": name,
        "owner": {"type": "IDENTITY", "id": "2c9180a46faadee4016fb4e018c20639", "name": "Support"},
        "connector": "active-directory",
    })
}

/// The "real" API: answers only requests with the bearer token.
async fn api() -> MockServer {
    let server = MockServer::start().await;
    let auth = || header("authorization", format!("Bearer {TOKEN}").as_str());
    Mock::given(method("GET"))
        .and(path("/beta/sources"))
        .and(query_param("limit", "2"))
        .and(auth())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            source_json("id0", "HR Active Directory"),
            source_json("id1", "Payroll"),
        ])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/beta/sources/{SOURCE_ID}")))
        .and(auth())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("set-cookie", "session=abc")
                .set_body_json(source_json(SOURCE_ID, "HR Active Directory")),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/beta/sources"))
        .and(auth())
        .respond_with(ResponseTemplate::new(201).set_body_json(source_json("new", "Badges")))
        .mount(&server)
        .await;
    server
}

fn new_source() -> Source {
    serde_json::from_value(source_json("", "Badges")).unwrap()
}

/// The calls of the tests; `limit` of `list_sources` is the parameter to change.
async fn calls(client: &Client, limit: i32) -> Result<Vec<Source>, String> {
    let params = ListSourcesParams {
        limit: Some(limit),
        sorters: Some("name".into()),
        ..Default::default()
    };
    let mut sources = client
        .list_sources(&params)
        .await
        .map_err(|e| e.to_string())?
        .into_inner();
    sources.push(
        client
            .get_source(SOURCE_ID)
            .await
            .map_err(|e| e.to_string())?
            .into_inner(),
    );
    sources.push(
        client
            .create_source(&new_source(), &CreateSourceParams::default())
            .await
            .map_err(|e| e.to_string())?
            .into_inner(),
    );
    Ok(sources)
}

/// Records [`calls`] against [`api`] into a file; returns its path and what the calls got.
async fn record(name: &str) -> (std::path::PathBuf, Vec<Source>) {
    let server = api().await;
    let recorder = Recorder::new();
    let client = Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(TOKEN)
        .observer(recorder.clone())
        .build()
        .unwrap();
    let sources = calls(&client, 2).await.unwrap();
    assert_eq!(recorder.len(), 3);
    let file = std::env::temp_dir().join(format!(
        "generated-client-{name}-{}.json",
        std::process::id()
    ));
    recorder.save(&file).unwrap();
    (file, sources)
}

#[tokio::test]
async fn recorded_calls_replay_offline() {
    let (file, recorded) = record("replay").await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains("session=abc"), "{text}");
    assert!(
        text.contains(r#""path": "/sources?limit=2&sorters=name""#),
        "{text}"
    );
    let recording = Recording::load(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let operations: Vec<&str> = recording
        .exchanges
        .iter()
        .map(|e| e.operation.as_str())
        .collect();
    assert_eq!(operations, ["listSources", "getSource", "createSource"]);

    let replay = Replay::start(recording).await;
    let client = Client::builder().base_url(replay.uri()).build().unwrap();
    let replayed = calls(&client, 2).await.unwrap();
    assert_eq!(replayed, recorded);
    assert_eq!(replayed[3].name, "Badges");
    replay.verify().await;
}

#[tokio::test]
#[should_panic(expected = "request 1 (listSources): query: expected limit=2, got limit=3")]
async fn a_changed_call_fails_verification_naming_the_operation() {
    let (file, _) = record("changed").await;
    let recording = Recording::load(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let replay = Replay::start(recording).await;
    let client = Client::builder().base_url(replay.uri()).build().unwrap();
    let err = client
        .list_sources(&ListSourcesParams {
            limit: Some(3),
            sorters: Some("name".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    // The client's error shows why too.
    assert_eq!(err.status(), Some(500));
    assert!(matches!(err, Error::Api(_)));
    assert!(
        err.to_string()
            .contains("query: expected limit=2, got limit=3"),
        "{err}"
    );
    replay.verify().await;
}
