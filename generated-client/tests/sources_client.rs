//! The generated `Sources` operations against a local mock server: requests as the spec
//! describes them, responses decoded into the generated types, errors typed by status.

use generated_client::models::{
    AttrSyncSource, AttrSyncSourceAttributeConfig, AttrSyncSourceConfig, AttrSyncSourceType,
    DtoType, LocaleOrigin,
};
use generated_client::operations::{
    GetSourceAttrSyncConfigError, PutSourceAttrSyncConfigError, PutSourceAttrSyncConfigParams,
};
use generated_client::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SOURCE_ID: &str = "2c9180835d191a86015d28455b4a2329";
const CONFIG_PATH: &str = "/beta/sources/2c9180835d191a86015d28455b4a2329/attribute-sync-config";

/// The response example of the seed pages.
fn seed_example() -> serde_json::Value {
    json!({
        "source": {"type": "SOURCE", "id": "2c9180835d191a86015d28455b4b232a", "name": "HR Active Directory"},
        "attributes": [
            {"name": "email", "displayName": "Email", "enabled": true, "target": "mail"},
            {"name": "firstname", "displayName": "First Name", "enabled": false, "target": "givenName"}
        ]
    })
}

fn error_dto(code: &str) -> serde_json::Value {
    json!({
        "detailCode": code,
        "trackingId": "e7eab60924f64aa284175b9fa3309599",
        "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "The request was syntactically correct but its content is semantically invalid."}],
        "causes": [{"locale": null, "localeOrigin": null, "text": "no locale"}]
    })
}

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token("test-token")
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn get_decodes_the_seed_example() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed_example()))
        .expect(1)
        .mount(&server)
        .await;
    let resp = client.get_source_attr_sync_config(SOURCE_ID).await.unwrap();
    assert_eq!(resp.status, 200);
    let config: &AttrSyncSourceConfig = &resp;
    assert_eq!(config.source.type_, Some(AttrSyncSourceType::Source));
    assert_eq!(config.source.name.as_deref(), Some("HR Active Directory"));
    assert_eq!(config.attributes.len(), 2);
    assert_eq!(config.attributes[1].display_name, "First Name");
    assert!(!config.attributes[1].enabled);
    // Re-encodes to the same JSON.
    assert_eq!(serde_json::to_value(config).unwrap(), seed_example());
}

#[tokio::test]
async fn put_sends_body_and_experimental_header() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(path(CONFIG_PATH))
        .and(header("X-SailPoint-Experimental", "true"))
        .and(header("content-type", "application/json"))
        .and(body_json(seed_example()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed_example()))
        .expect(1)
        .mount(&server)
        .await;
    let body: AttrSyncSourceConfig = serde_json::from_value(seed_example()).unwrap();
    let resp = client
        .put_source_attr_sync_config(SOURCE_ID, &body, &Default::default())
        .await
        .unwrap();
    assert_eq!(resp.into_inner(), body);
}

#[tokio::test]
async fn put_experimental_header_can_be_overridden() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(path(CONFIG_PATH))
        .and(header("X-SailPoint-Experimental", "false"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed_example()))
        .expect(1)
        .mount(&server)
        .await;
    let body = AttrSyncSourceConfig {
        unknown_fields: Default::default(),
        source: AttrSyncSource {
            unknown_fields: Default::default(),
            id: Some("x".into()),
            name: None,
            type_: Some(AttrSyncSourceType::Source),
        },
        attributes: vec![AttrSyncSourceAttributeConfig {
            unknown_fields: Default::default(),
            name: "email".into(),
            display_name: "Email".into(),
            enabled: true,
            target: "mail".into(),
        }],
    };
    let params = PutSourceAttrSyncConfigParams {
        x_sail_point_experimental: Some("false".into()),
    };
    client
        .put_source_attr_sync_config(SOURCE_ID, &body, &params)
        .await
        .unwrap();
}

#[tokio::test]
async fn status_400_is_the_typed_error_with_tracking_id() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(error_dto("400.1 Bad Request Content")),
        )
        .mount(&server)
        .await;
    let err = client
        .get_source_attr_sync_config(SOURCE_ID)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.tracking_id(), Some("e7eab60924f64aa284175b9fa3309599"));
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    match &api.body {
        Some(GetSourceAttrSyncConfigError::BadRequest(dto)) => {
            assert_eq!(
                dto.detail_code.as_deref(),
                Some("400.1 Bad Request Content")
            );
            let messages = dto.messages.as_ref().unwrap();
            assert_eq!(messages[0].locale_origin, Some(LocaleOrigin::Default));
            // `null` is a value of LocaleOrigin: it decodes as None, not as a variant.
            assert_eq!(dto.causes.as_ref().unwrap()[0].locale_origin, None);
        }
        other => panic!("expected BadRequest, got {other:?}"),
    }
    assert!(!api.raw.is_empty());
    let line = err.to_string();
    assert!(
        line.contains("400") && line.contains("e7eab60924f64aa284175b9fa3309599"),
        "{line}"
    );
}

/// The same body under 404 and 500 lands in the variant of that status: the status
/// chooses the type, never the body's shape.
#[tokio::test]
async fn the_status_chooses_the_error_variant() {
    for (status, expect) in [
        (403, "Forbidden"),
        (404, "NotFound"),
        (500, "InternalServerError"),
    ] {
        let (server, client) = setup().await;
        Mock::given(method("PUT"))
            .and(path(CONFIG_PATH))
            .respond_with(ResponseTemplate::new(status).set_body_json(error_dto("x")))
            .mount(&server)
            .await;
        let body: AttrSyncSourceConfig = serde_json::from_value(seed_example()).unwrap();
        let err = client
            .put_source_attr_sync_config(SOURCE_ID, &body, &Default::default())
            .await
            .unwrap_err();
        let variant = match err.api().and_then(|a| a.body.as_ref()) {
            Some(PutSourceAttrSyncConfigError::Forbidden(_)) => "Forbidden",
            Some(PutSourceAttrSyncConfigError::NotFound(_)) => "NotFound",
            Some(PutSourceAttrSyncConfigError::InternalServerError(_)) => "InternalServerError",
            other => panic!("status {status}: {other:?}"),
        };
        assert_eq!(variant, expect);
        assert_eq!(err.tracking_id(), Some("e7eab60924f64aa284175b9fa3309599"));
    }
}

#[tokio::test]
async fn status_401_and_429_have_their_own_bodies() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "JWT validation failed: JWT is expired"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let err = client
        .get_source_attr_sync_config(SOURCE_ID)
        .await
        .unwrap_err();
    match err.api().and_then(|a| a.body.as_ref()) {
        Some(GetSourceAttrSyncConfigError::Unauthorized(b)) => {
            assert_eq!(
                b.error,
                Some(json!("JWT validation failed: JWT is expired"))
            );
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert_eq!(err.tracking_id(), None);

    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(
            ResponseTemplate::new(429).set_body_json(json!({"message": " Rate Limit Exceeded "})),
        )
        .mount(&server)
        .await;
    let err = client
        .get_source_attr_sync_config(SOURCE_ID)
        .await
        .unwrap_err();
    match err.api().and_then(|a| a.body.as_ref()) {
        Some(GetSourceAttrSyncConfigError::TooManyRequests(b)) => {
            assert_eq!(b.message, Some(json!(" Rate Limit Exceeded ")))
        }
        other => panic!("expected TooManyRequests, got {other:?}"),
    }
}

#[tokio::test]
async fn unlisted_status_keeps_status_headers_and_raw_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(
            ResponseTemplate::new(418)
                .insert_header("x-teapot", "yes")
                .set_body_string("short and stout"),
        )
        .mount(&server)
        .await;
    let err = client
        .get_source_attr_sync_config(SOURCE_ID)
        .await
        .unwrap_err();
    let api = err.api().expect("API error");
    assert_eq!(api.status, 418);
    assert!(api.body.is_none());
    assert_eq!(api.headers.get("x-teapot").unwrap(), "yes");
    assert_eq!(&api.raw[..], b"short and stout");
}

#[tokio::test]
async fn unknown_enum_values_decode_into_the_catch_all_and_round_trip() {
    let (server, client) = setup().await;
    let mut body = seed_example();
    body["source"]["type"] = json!("MACHINE_IDENTITY_V2");
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let config = client
        .get_source_attr_sync_config(SOURCE_ID)
        .await
        .unwrap()
        .into_inner();
    // The catch-all cannot be built by hand; `From<&str>` makes it for unlisted values.
    assert_eq!(
        config.source.type_,
        Some(AttrSyncSourceType::from("MACHINE_IDENTITY_V2"))
    );
    assert!(matches!(
        &config.source.type_,
        Some(t @ AttrSyncSourceType::Unknown(v)) if !t.is_known() && v.as_str() == "MACHINE_IDENTITY_V2"
    ));
    assert_eq!(serde_json::to_value(&config).unwrap(), body);

    // DtoType: a value the spec lists, and values it does not (some later betas added).
    for wire in ["SOURCE", "WORKGROUP", "SOMETHING_NEW"] {
        let v: DtoType = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(serde_json::to_value(&v).unwrap(), json!(wire));
        assert_eq!(v.as_str(), wire);
        assert_eq!(v.is_known(), wire != "SOMETHING_NEW");
    }
    assert_eq!(DtoType::KNOWN.len(), 29);
}

#[tokio::test]
async fn path_ids_are_percent_encoded() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(|req: &Request| {
            ResponseTemplate::new(200)
                .set_body_json(json!({"path": req.url.path(), "query": req.url.query()}))
        })
        .mount(&server)
        .await;
    // A decode error is fine here: we only look at what was requested.
    let _ = client.get_source_attr_sync_config("a/b?c#d e%").await;
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].url.path(),
        "/beta/sources/a%2Fb%3Fc%23d%20e%25/attribute-sync-config"
    );
    assert_eq!(received[0].url.query(), None);
}

#[tokio::test]
async fn a_malformed_success_body_is_a_decode_error_with_its_path() {
    let (server, client) = setup().await;
    let mut body = seed_example();
    body["attributes"][1]["enabled"] = json!("yes");
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let err = client
        .get_source_attr_sync_config(SOURCE_ID)
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(d.path, "attributes[1].enabled");
    assert_eq!(d.status, 200);
}

/// `list_sources_stream` pages with `limit`/`offset` and stops after a short page.
#[tokio::test]
async fn list_sources_stream_reads_every_page() {
    use generated_client::operations::ListSourcesParams;
    use generated_client::runtime::StreamExt;
    use wiremock::matchers::query_param;

    let (server, client) = setup().await;
    let source = |i: usize| json!({"name": format!("source {i}"), "id": format!("id{i}"), "owner": {"type": "IDENTITY", "id": "o", "name": "Owner"}, "connector": "active-directory"});
    for (offset, count) in [(0, 2), (2, 2), (4, 1)] {
        let page: Vec<_> = (offset..offset + count).map(source).collect();
        Mock::given(method("GET"))
            .and(path("/beta/sources"))
            .and(query_param("limit", "2"))
            .and(query_param("offset", offset.to_string()))
            .and(query_param("sorters", "name"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
    }
    let params = ListSourcesParams {
        limit: Some(2),
        sorters: Some("name".into()),
        ..Default::default()
    };
    let names: Vec<String> = client
        .list_sources_stream(&params, None)
        .map(|r| r.map(|s| s.name))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        names,
        ["source 0", "source 1", "source 2", "source 3", "source 4"]
    );
    let queries = |reqs: Vec<wiremock::Request>| -> Vec<String> {
        reqs.iter()
            .map(|r| r.url.query().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        queries(server.received_requests().await.unwrap()),
        [
            "limit=2&offset=0&sorters=name",
            "limit=2&offset=2&sorters=name",
            "limit=2&offset=4&sorters=name"
        ]
    );

    // A cap stops early and asks only for what is left.
    server.reset().await;
    for offset in [0, 2] {
        let page: Vec<_> = (offset..offset + 2).map(source).collect();
        Mock::given(method("GET"))
            .and(path("/beta/sources"))
            .and(query_param("offset", offset.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
    }
    let capped: Vec<_> = client
        .list_sources_stream(&params, Some(3))
        .collect::<Vec<_>>()
        .await;
    assert_eq!(capped.len(), 3);
    assert_eq!(
        queries(server.received_requests().await.unwrap()),
        [
            "limit=2&offset=0&sorters=name",
            "limit=1&offset=2&sorters=name"
        ]
    );
}

/// A path parameter of `..`, `.` or nothing would address another endpoint
/// (`/sources/x/schemas/..` is `/sources/x/`): refused before anything is sent.
#[tokio::test]
async fn dot_segments_in_path_parameters_are_refused() {
    let (server, client) = setup().await;
    for bad in ["..", ".", ""] {
        let err = client.delete_source_schema("2c91", bad).await.unwrap_err();
        assert!(matches!(err, Error::Serialize(_)), "{bad:?}: {err:?}");
        assert!(err.to_string().contains("schemaId"), "{err}");
    }
    // Encoded, a dot is harmless inside a longer value.
    Mock::given(method("DELETE"))
        .and(path("/beta/sources/2c91/schemas/a..b"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client.delete_source_schema("2c91", "a..b").await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// An operation method builds its request when called and sends it when the future is
/// polled: a future dropped unpolled sends nothing, and the future borrows only the client
/// (the arguments may be dropped before it is awaited).
#[tokio::test]
async fn requests_are_sent_when_awaited_and_futures_borrow_only_the_client() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(path(CONFIG_PATH))
        .and(body_json(seed_example()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed_example()))
        .expect(1)
        .mount(&server)
        .await;
    let config: AttrSyncSourceConfig = serde_json::from_value(seed_example()).unwrap();
    let params = PutSourceAttrSyncConfigParams::default();

    drop(client.put_source_attr_sync_config(SOURCE_ID, &config, &params));
    assert!(server.received_requests().await.unwrap().is_empty());

    let id = SOURCE_ID.to_string();
    let pending = client.put_source_attr_sync_config(&id, &config, &params);
    drop((id, config, params));
    fn assert_send<T: Send>(_: &T) {}
    assert_send(&pending);
    let resp = pending.await.unwrap();
    assert_eq!(resp.status, 200);
}

/// The seeds' own flow: GET the config, change one flag, PUT it back (a full
/// replacement). Members the server added after the spec was written, at every depth,
/// reach the server again byte for byte, after the known fields of their object.
#[tokio::test]
async fn get_change_put_keeps_members_the_spec_does_not_list() {
    let (server, client) = setup().await;
    let body = concat!(
        r#"{"source":{"type":"SOURCE","id":"2c91","name":"HR","region":"eu-1"},"#,
        r#""attributes":[{"name":"email","displayName":"Email","enabled":true,"target":"mail","#,
        r#""since":"2026-01-01T00:00:00.100Z","weight":1.50},"#,
        r#"{"name":"first","displayName":"First","enabled":false,"target":"givenName"}],"#,
        r#""policy":{"mode":"strict","limits":[1e3,2],"note":"caf\u00e9"},"optional":null}"#
    );
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(CONFIG_PATH))
        .respond_with(|req: &Request| {
            ResponseTemplate::new(200).set_body_raw(req.body.clone(), "application/json")
        })
        .mount(&server)
        .await;

    let mut config = client
        .get_source_attr_sync_config(SOURCE_ID)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        config.unknown_fields.len(),
        2,
        "{:?}",
        config.unknown_fields
    );
    assert_eq!(
        config.source.unknown_fields.get("region").unwrap().get(),
        r#""eu-1""#
    );
    config.attributes[1].enabled = true;
    client
        .put_source_attr_sync_config(
            SOURCE_ID,
            &config,
            &PutSourceAttrSyncConfigParams::default(),
        )
        .await
        .unwrap();

    let sent = server.received_requests().await.unwrap();
    let put = sent.iter().find(|r| r.method.as_str() == "PUT").unwrap();
    let sent_text = std::str::from_utf8(&put.body).unwrap();
    for member in [
        r#""region":"eu-1""#,
        r#""since":"2026-01-01T00:00:00.100Z","weight":1.50"#,
        r#""policy":{"mode":"strict","limits":[1e3,2],"note":"caf\u00e9"}"#,
        r#""optional":null"#,
    ] {
        assert!(sent_text.contains(member), "{member} in {sent_text}");
    }
    // The one change, and nothing else.
    let mut expected: serde_json::Value = serde_json::from_str(body).unwrap();
    expected["attributes"][1]["enabled"] = json!(true);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(sent_text).unwrap(),
        expected
    );
}
