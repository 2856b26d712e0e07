//! Testing a service that uses the client, with the generated mock server (the
//! `test-util` feature), the way a user of the crate writes such a test: no paths,
//! statuses or bodies repeated from the spec, and a failing expectation that names the
//! operation and what was wrong.

use futures_util::FutureExt;
use generated_client::Client;
use generated_client::models::AttrSyncSourceConfig;
use generated_client::operations::GetSourceAttrSyncConfigError;
use generated_client::testing::MockServer;
use serde_json::json;

const SOURCE_ID: &str = "2c9180835d191a86015d28455b4a2329";

/// The user's code under test: turns one attribute's sync on, keeping everything else.
async fn enable_sync(client: &Client, source: &str, attribute: &str) -> Result<usize, String> {
    let mut config = client
        .get_source_attr_sync_config(source)
        .await
        .map_err(|e| e.to_string())?
        .into_inner();
    for a in &mut config.attributes {
        if a.name == attribute {
            a.enabled = true;
        }
    }
    let saved = client
        .put_source_attr_sync_config(source, &config, &Default::default())
        .await
        .map_err(|e| e.to_string())?;
    Ok(saved.attributes.iter().filter(|a| a.enabled).count())
}

fn config(enabled: bool) -> AttrSyncSourceConfig {
    serde_json::from_value(json!({
        "source": {"type": "SOURCE", "id": SOURCE_ID, "name": "HR"},
        "attributes": [
            {"name": "email", "displayName": "Email", "enabled": true, "target": "mail"},
            {"name": "firstname", "displayName": "First Name", "enabled": enabled, "target": "givenName"}
        ]
    }))
    .expect("a config")
}

#[tokio::test]
async fn a_service_test_with_typed_mocks() {
    let mock = MockServer::start().await;
    mock.get_source_attr_sync_config()
        .id(SOURCE_ID)
        .respond(200, &config(false))
        .times(1)
        .await;
    mock.put_source_attr_sync_config()
        .id(SOURCE_ID)
        .body(&config(true))
        .respond(200, &config(true))
        .times(1)
        .await;

    assert_eq!(
        enable_sync(&mock.client(), SOURCE_ID, "firstname")
            .await
            .unwrap(),
        2
    );
}

#[tokio::test]
async fn answers_come_from_the_spec_examples() {
    let mock = MockServer::start().await;
    mock.get_source_attr_sync_config()
        .respond_example(200)
        .await;
    mock.get_source_attr_sync_config()
        .id("missing")
        .respond_example(404)
        .await;
    let client = mock.client();

    let config = client.get_source_attr_sync_config(SOURCE_ID).await.unwrap();
    assert!(!config.attributes.is_empty());
    let err = client
        .get_source_attr_sync_config("missing")
        .await
        .unwrap_err();
    assert!(matches!(
        err.api().and_then(|a| a.body.as_ref()),
        Some(GetSourceAttrSyncConfigError::NotFound(_))
    ));
    assert!(err.tracking_id().is_some());
}

/// What `verify` panics with.
async fn verify_failure(mut mock: MockServer) -> String {
    let outcome = std::panic::AssertUnwindSafe(mock.verify())
        .catch_unwind()
        .await;
    let panic = outcome.expect_err("verify fails");
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[tokio::test]
async fn a_request_no_expectation_matches_names_the_operation_and_the_difference() {
    let mock = MockServer::start().await;
    mock.get_source_attr_sync_config()
        .id(SOURCE_ID)
        .respond(200, &config(false))
        .await;
    // The service asks for another source.
    let err = mock
        .client()
        .get_source_attr_sync_config("other")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    let message = verify_failure(mock).await;
    assert!(
        message.contains("operation `getSourceAttrSyncConfig`"),
        "{message}"
    );
    assert!(message.contains("path: expected `/sources/2c9180835d191a86015d28455b4a2329/attribute-sync-config`, got `/sources/other/attribute-sync-config`"), "{message}");
}

#[tokio::test]
async fn a_body_that_does_not_decode_into_the_request_type_is_reported() {
    let mock = MockServer::start().await;
    mock.put_source_attr_sync_config()
        .respond(200, &config(true))
        .await;
    // Sent around the typed method: `attributes` must be a list.
    let resp = reqwest::Client::new()
        .put(format!(
            "{}/sources/{SOURCE_ID}/attribute-sync-config",
            mock.uri()
        ))
        .json(&json!({"source": {"type": "SOURCE"}, "attributes": {"name": "email"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 500);
    let message = verify_failure(mock).await;
    assert!(
        message.contains("operation `putSourceAttrSyncConfig`"),
        "{message}"
    );
    assert!(
        message.contains("does not decode into the operation's request type: at `attributes`"),
        "{message}"
    );
}

#[tokio::test]
async fn unknown_paths_and_missing_calls_are_reported() {
    let mock = MockServer::start().await;
    let resp = reqwest::Client::new()
        .get(format!("{}/no-such-thing", mock.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 500);
    let message = verify_failure(mock).await;
    assert!(
        message.contains("`GET /no-such-thing`: no operation of the API has this path"),
        "{message}"
    );

    let mock = MockServer::start().await;
    mock.get_source().respond_example(200).times(2).await;
    mock.client().get_source(SOURCE_ID).await.unwrap();
    let message = verify_failure(mock).await;
    assert!(message.contains("getSource"), "{message}");
}

#[tokio::test]
async fn answers_are_checked_against_the_spec_when_set_up() {
    let mock = MockServer::start().await;
    let wrong = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        mock.get_source_attr_sync_config()
            .respond(200, &json!({"attributes": "not a list"}))
    }))
    .unwrap_err();
    let message = wrong.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("`getSourceAttrSyncConfig`: the 200 body does not decode into `models::AttrSyncSourceConfig`"),
        "{message}"
    );
    let undocumented = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        mock.get_source_attr_sync_config()
            .respond(201, &config(true))
    }))
    .unwrap_err();
    let message = undocumented
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("documents no 201 response"), "{message}");
}

#[tokio::test]
async fn the_registry_lists_every_operation_and_schema() {
    let ops = generated_client::testing::operations();
    assert_eq!(ops.len(), 43);
    let get = ops
        .iter()
        .find(|e| e.spec.info.id == "getSourceAttrSyncConfig")
        .unwrap();
    assert_eq!(get.spec.info.method, "GET");
    assert_eq!(get.spec.info.path, "/sources/{id}/attribute-sync-config");
    assert_eq!(
        get.spec.response(200).and_then(|r| r.type_name),
        Some("models::AttrSyncSourceConfig")
    );
    // Example calls go against the mock too.
    let mock = MockServer::start().await;
    mock.get_source_attr_sync_config()
        .respond_example(200)
        .await;
    let outcome = (get.call.unwrap())(&mock.client()).await.unwrap();
    assert_eq!(outcome.status, Some(200));
    let schema = generated_client::testing::SCHEMAS
        .iter()
        .find(|s| s.type_name == "models::AttrSyncSourceConfig")
        .unwrap();
    assert_eq!(schema.pointer, "#/components/schemas/AttrSyncSourceConfig");
    let value = serde_json::to_value(config(true)).unwrap();
    assert_eq!((schema.round_trip)(&value).unwrap(), value);
}
