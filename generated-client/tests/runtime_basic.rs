//! Runtime tests against a local mock server: request building, sending,
//! decoding and error mapping, with hand-built requests (no generated code).

use std::time::Duration;

use generated_client::runtime::{
    BinaryBody, Bytes, Client, ClientBuilder, Error, ErrorBody, ErrorPayload, NoBody,
    OperationInfo, Part, Profile, RawResponse, Request, Response, TextBody, encode_path,
};
use serde::{Deserialize, Serialize};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pat-s3cr3t-t0ken";

static GET_CONFIG: OperationInfo = OperationInfo {
    id: "getSourceAttrSyncConfig",
    method: "GET",
    path: "/sources/{id}/attribute-sync-config",
};
static PUT_CONFIG: OperationInfo = OperationInfo {
    id: "putSourceAttrSyncConfig",
    method: "put",
    path: "/sources/{id}/attribute-sync-config",
};
static PATCH_THING: OperationInfo = OperationInfo {
    id: "patchThing",
    method: "PATCH",
    path: "/things/{id}",
};
static IMPORT: OperationInfo = OperationInfo {
    id: "importAccounts",
    method: "POST",
    path: "/sources/{id}/load-accounts",
};
static TOKEN_OP: OperationInfo = OperationInfo {
    id: "formOp",
    method: "POST",
    path: "/form",
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Attribute {
    name: String,
    enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SyncConfig {
    source: String,
    attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ErrorDto {
    #[serde(rename = "detailCode")]
    detail_code: String,
    #[serde(rename = "trackingId")]
    tracking_id: Option<String>,
}

/// Stand-in for a generated per-operation error enum.
#[derive(Debug, Clone, PartialEq)]
enum OpError {
    Status400(ErrorDto),
    Status404(ErrorDto),
    Status409,
    Status500(String),
}

impl ErrorBody for OpError {
    fn tracking_id(&self) -> Option<&str> {
        match self {
            OpError::Status400(e) | OpError::Status404(e) => e.tracking_id.as_deref(),
            _ => None,
        }
    }
}

fn sample() -> SyncConfig {
    SyncConfig {
        source: "2c9180835d2e5168015d32f890ca1581".into(),
        attributes: vec![
            Attribute {
                name: "email".into(),
                enabled: true,
            },
            Attribute {
                name: "firstname".into(),
                enabled: false,
            },
        ],
    }
}

/// An API whose error bodies carry a `trackingId`.
static PROFILE: Profile = Profile {
    tracking_id: Some("trackingId"),
    ..Profile::GENERIC
};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = ClientBuilder::new(&PROFILE)
        .base_url(format!("{}/beta/", server.uri()))
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    (server, client)
}

/// What generated code for a GET looks like.
async fn get_config(client: &Client, id: &str) -> Result<Response<SyncConfig>, Error<OpError>> {
    let mut req = Request::new(
        &GET_CONFIG,
        format!("/sources/{}/attribute-sync-config", encode_path(id)),
    );
    req.query("count", true);
    req.query("filters", "name eq \"a&b\"");
    req.query("sorters", "name");
    req.query("sorters", "-created");
    req.header("X-SailPoint-Experimental", "true");
    let raw: RawResponse = client.execute(req).await?;
    match raw.status() {
        200 => raw.json(),
        400 => Err(raw.error_json(OpError::Status400)),
        404 => Err(raw.error_json(OpError::Status404)),
        409 => Err(raw.error_empty(OpError::Status409)),
        500 => Err(raw.error_text(OpError::Status500)),
        _ => Err(raw.unexpected()),
    }
}

#[tokio::test]
async fn get_sends_auth_query_headers_and_decodes_json() {
    let (server, client) = setup().await;
    assert!(
        client.base_url().ends_with("/beta"),
        "{}",
        client.base_url()
    );
    Mock::given(method("GET"))
        .and(path("/beta/sources/a%2Fb/attribute-sync-config"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("x-sailpoint-experimental", "true"))
        .and(query_param("count", "true"))
        .and(query_param("filters", "name eq \"a&b\""))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(sample())
                .insert_header("x-total-count", "2"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let resp = get_config(&client, "a/b").await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.headers["x-total-count"], "2");
    assert_eq!(resp.attributes.len(), 2, "Deref to the body");
    assert_eq!(resp.into_inner(), sample());

    let received = server.received_requests().await.unwrap();
    let req = &received[0];
    assert_eq!(
        req.url.query(),
        Some("count=true&filters=name%20eq%20%22a%26b%22&sorters=name&sorters=-created")
    );
    assert_eq!(req.headers["accept"], "application/json");
    assert!(
        req.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("generated-client/")
    );
    assert!(req.headers.get("content-type").is_none());
}

#[tokio::test]
async fn put_sends_json_body_with_content_type() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .and(path("/beta/sources/src1/attribute-sync-config"))
        .and(header("content-type", "application/json"))
        .and(body_json(sample()))
        .respond_with(ResponseTemplate::new(200).set_body_json(sample()))
        .expect(1)
        .mount(&server)
        .await;

    let mut req = Request::new(&PUT_CONFIG, "/sources/src1/attribute-sync-config".into());
    assert_eq!(req.method(), &generated_client::runtime::Method::PUT);
    req.json_body(&sample());
    let resp: Response<SyncConfig> = client
        .execute::<OpError>(req)
        .await
        .unwrap()
        .json::<_, OpError>()
        .unwrap();
    assert_eq!(resp.body, sample());
}

#[tokio::test]
async fn json_patch_text_and_empty_responses() {
    let (server, client) = setup().await;
    Mock::given(method("PATCH"))
        .and(path("/beta/things/1"))
        .and(header("content-type", "application/json-patch+json"))
        .and(body_json(
            serde_json::json!([{"op": "replace", "path": "/name", "value": "x"}]),
        ))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let mut req = Request::new(&PATCH_THING, "/things/1".into());
    req.json_body_as(
        &serde_json::json!([{"op": "replace", "path": "/name", "value": "x"}]),
        "application/json-patch+json",
    );
    let raw = client.execute::<OpError>(req).await.unwrap();
    assert_eq!(raw.status(), 204);
    let resp: Response<()> = raw.empty::<OpError>().unwrap();
    assert_eq!(resp.status, 204);

    let op = &GET_CONFIG;
    let raw = RawResponse::new(
        op,
        200,
        Default::default(),
        Bytes::from_static(b"plain text"),
    );
    assert_eq!(raw.text::<OpError>().unwrap().body, "plain text");
    let raw = RawResponse::new(op, 200, Default::default(), Bytes::from_static(b"\xff\xfe"));
    assert!(matches!(
        raw.text::<OpError>(),
        Err(Error::Decode(d)) if d.status == 200 && d.message.contains("UTF-8")
    ));
    let raw = RawResponse::new(op, 200, Default::default(), Bytes::from_static(b"\x00\x01"));
    assert_eq!(&raw.bytes::<OpError>().unwrap().body[..], b"\x00\x01");
}

#[tokio::test]
async fn decode_failure_reports_path_and_bounded_snippet() {
    let (server, client) = setup().await;
    let bad = serde_json::json!({
        "source": "s",
        "attributes": [
            {"name": "email", "enabled": true},
            {"name": "firstname", "enabled": "yes"}
        ],
        "padding": "x".repeat(2000),
    });
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(bad))
        .mount(&server)
        .await;

    let err = get_config(&client, "s").await.unwrap_err();
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.status, 200);
            assert_eq!(d.path, "attributes[1].enabled");
            assert!(d.message.contains("invalid type"), "{}", d.message);
            assert!(d.snippet.starts_with("{\""), "{}", d.snippet);
            assert!(
                d.snippet.len() <= 512 + 3,
                "snippet is bounded: {}",
                d.snippet.len()
            );
            assert_eq!(d.op, "getSourceAttrSyncConfig");
            assert_eq!(d.headers["content-type"], "application/json");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.status(), Some(200));
    let line = err.to_string();
    assert!(line.starts_with("getSourceAttrSyncConfig: HTTP 200 OK: response body did not decode at `attributes[1].enabled`"), "{line}");
    assert!(line.len() < 600, "{line}");
    assert!(!format!("{err:?}").contains(TOKEN));
}

#[tokio::test]
async fn error_json_keeps_status_raw_and_typed_body() {
    let (server, client) = setup().await;
    let body = r#"{"detailCode":"400.1 Bad Request Content","trackingId":"b21b1f7ce4da4d639f2c62a57171b427","messages":[]}"#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let err = get_config(&client, "s").await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.tracking_id(), Some("b21b1f7ce4da4d639f2c62a57171b427"));
    let api = err.api().expect("Error::Api");
    assert_eq!(api.op, "getSourceAttrSyncConfig");
    assert_eq!(api.raw, body.as_bytes());
    assert!(api.body_error.is_none());
    assert_eq!(
        api.body,
        Some(OpError::Status400(ErrorDto {
            detail_code: "400.1 Bad Request Content".into(),
            tracking_id: Some("b21b1f7ce4da4d639f2c62a57171b427".into()),
        }))
    );
    let line = err.to_string();
    assert!(
        line.starts_with(
            "getSourceAttrSyncConfig: HTTP 400 Bad Request (tracking id b21b1f7ce4da4d639f2c62a57171b427): {\"detailCode\""
        ),
        "{line}"
    );
    // A std error (boxable, usable with `?` in anyhow-style code).
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
    assert!(boxed.source().is_none());
}

#[tokio::test]
async fn error_json_that_does_not_decode_still_is_api() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_raw("<html>not found</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let err = get_config(&client, "s").await.unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status, 404);
    assert!(api.body.is_none());
    assert!(
        api.body_error
            .as_deref()
            .unwrap()
            .contains("expected value"),
        "{:?}",
        api.body_error
    );
    assert_eq!(api.raw, "<html>not found</html>".as_bytes());
    assert_eq!(
        err.to_string(),
        "getSourceAttrSyncConfig: HTTP 404 Not Found: <html>not found</html>"
    );
}

#[tokio::test]
async fn error_text_empty_and_unexpected() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/beta/sources/t/attribute-sync-config"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/sources/e/attribute-sync-config"))
        .respond_with(ResponseTemplate::new(409))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/sources/u/attribute-sync-config"))
        .respond_with(
            ResponseTemplate::new(418).set_body_string("{\"trackingId\":\"t-1\",\"x\":1}"),
        )
        .mount(&server)
        .await;

    let err = get_config(&client, "t").await.unwrap_err();
    assert_eq!(
        err.api().unwrap().body,
        Some(OpError::Status500("boom".into()))
    );

    let err = get_config(&client, "e").await.unwrap_err();
    assert_eq!(err.api().unwrap().body, Some(OpError::Status409));

    let err = get_config(&client, "u").await.unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status, 418);
    assert!(api.body.is_none());
    assert!(api.body_error.is_none());
    assert_eq!(api.raw, "{\"trackingId\":\"t-1\",\"x\":1}".as_bytes());
    // Falls back to the raw body for the tracking id.
    assert_eq!(err.tracking_id(), Some("t-1"));
    assert!(
        err.to_string()
            .starts_with("getSourceAttrSyncConfig: HTTP 418 I'm a teapot (tracking id t-1): "),
        "{err}"
    );
}

/// The shape of a generated shared error enum (`errors.rs`): a variant per status,
/// generic over its body, each body decoded through `ErrorPayload`.
#[derive(Debug, Clone, PartialEq)]
enum Errors400_409_415_500<B400, B409, B415, B500> {
    BadRequest(B400),
    Conflict(B409),
    UnsupportedMediaType(B415),
    InternalServerError(B500),
}

impl<B400, B409, B415, B500> ErrorBody for Errors400_409_415_500<B400, B409, B415, B500>
where
    B400: ErrorPayload,
    B409: ErrorPayload,
    B415: ErrorPayload,
    B500: ErrorPayload,
{
    fn from_response(resp: RawResponse) -> Error<Self> {
        match resp.status() {
            400 => resp.error_body(Self::BadRequest),
            409 => resp.error_body(Self::Conflict),
            415 => resp.error_body(Self::UnsupportedMediaType),
            500 => resp.error_body(Self::InternalServerError),
            _ => resp.unexpected(),
        }
    }
}

/// An operation's alias of it, as generated.
type SharedError = Errors400_409_415_500<ErrorDto, NoBody, BinaryBody, TextBody>;

async fn get_shared(client: &Client, id: &str) -> Result<Response<()>, Error<SharedError>> {
    let req = Request::new(&GET_CONFIG, format!("/things/{}", encode_path(id)));
    let raw: RawResponse = client.execute(req).await?;
    match raw.status() {
        200 => raw.empty(),
        _ => Err(raw.error()),
    }
}

#[tokio::test]
async fn shared_error_enum_decodes_each_body_by_its_type() {
    let (server, client) = setup().await;
    let respond = |id: &str, status: u16, body: &str, media: &str| {
        Mock::given(method("GET"))
            .and(path(format!("/beta/things/{id}")))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), media))
    };
    // An escaped tracking id is decoded; a member that is not a string is no id.
    respond(
        "json",
        400,
        r#"{"detailCode":"bad","trackingId":"t\u002d2"}"#,
        "application/json",
    )
    .mount(&server)
    .await;
    respond("none", 409, "", "text/plain").mount(&server).await;
    respond("bin", 415, "\u{1}\u{2}", "application/octet-stream")
        .mount(&server)
        .await;
    respond("text", 500, r#"{"trackingId":7}"#, "text/plain")
        .mount(&server)
        .await;
    respond("bad", 400, "[1]", "application/json")
        .mount(&server)
        .await;

    let err = get_shared(&client, "json").await.unwrap_err();
    assert_eq!(
        err.api().unwrap().body,
        Some(Errors400_409_415_500::BadRequest(ErrorDto {
            detail_code: "bad".into(),
            tracking_id: Some("t-2".into()),
        }))
    );
    assert_eq!(err.tracking_id(), Some("t-2"));
    assert!(err.to_string().contains("(tracking id t-2)"), "{err}");

    let err = get_shared(&client, "none").await.unwrap_err();
    assert_eq!(
        err.api().unwrap().body,
        Some(Errors400_409_415_500::Conflict(NoBody))
    );

    let err = get_shared(&client, "bin").await.unwrap_err();
    assert_eq!(
        err.api().unwrap().body,
        Some(Errors400_409_415_500::UnsupportedMediaType(BinaryBody(
            Bytes::from_static(&[1, 2])
        )))
    );

    let err = get_shared(&client, "text").await.unwrap_err();
    let Some(Errors400_409_415_500::InternalServerError(text)) = &err.api().unwrap().body else {
        panic!("{err:?}")
    };
    assert_eq!(&**text, r#"{"trackingId":7}"#);
    assert_eq!(err.tracking_id(), None);
    assert!(!err.to_string().contains("tracking id"), "{err}");

    // A JSON body that does not decode: still `Api`, with the reason.
    let err = get_shared(&client, "bad").await.unwrap_err();
    let api = err.api().unwrap();
    assert!(api.body.is_none());
    assert!(
        api.body_error
            .as_deref()
            .is_some_and(|e| e.starts_with("at `[0]`")),
        "{:?}",
        api.body_error
    );
}

#[tokio::test]
async fn multipart_body_arrives_as_multipart() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/beta/sources/s1/load-accounts"))
        .and(|req: &wiremock::Request| {
            req.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("multipart/form-data; boundary="))
        })
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({"id": "task-1"})))
        .expect(1)
        .mount(&server)
        .await;

    let mut req = Request::new(&IMPORT, "/sources/s1/load-accounts".into());
    req.multipart_body(vec![
        Part::text("disableOptimization", "true"),
        Part::bytes(
            "file",
            Bytes::from_static(b"id,name\n1,Ann\n"),
            Some("accounts.csv".into()),
            Some("text/csv".into()),
        ),
    ]);
    let raw = client.execute::<OpError>(req).await.unwrap();
    assert_eq!(raw.status(), 202);
    let resp: Response<serde_json::Value> = raw.json::<_, OpError>().unwrap();
    assert_eq!(resp["id"], "task-1");

    let received = server.received_requests().await.unwrap();
    let body = String::from_utf8_lossy(&received[0].body).into_owned();
    assert!(
        body.contains("name=\"disableOptimization\"\r\n\r\ntrue\r\n"),
        "{body}"
    );
    assert!(body.contains("name=\"file\"; filename=\"accounts.csv\"\r\nContent-Type: text/csv\r\n\r\nid,name\n1,Ann\n"), "{body}");
}

#[tokio::test]
async fn form_body_is_urlencoded() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/beta/form"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let mut req = Request::new(&TOKEN_OP, "/form".into());
    req.form_body(vec![
        ("grant_type", "client_credentials".into()),
        ("scope", "a b&c".into()),
    ]);
    client
        .execute::<OpError>(req)
        .await
        .unwrap()
        .empty::<OpError>()
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].body,
        b"grant_type=client_credentials&scope=a+b%26c"
    );
}

#[test]
fn encode_path_encodes_reserved_characters() {
    assert_eq!(encode_path("a/b?c#d e%"), "a%2Fb%3Fc%23d%20e%25");
    assert_eq!(
        encode_path("2c9180835d2e5168015d32f890ca1581"),
        "2c9180835d2e5168015d32f890ca1581"
    );
}

#[test]
fn debug_output_never_contains_the_token() {
    let builder = generated_client::Client::builder()
        .tenant("acme")
        .bearer_token(TOKEN);
    let builder_debug = format!("{builder:?}");
    assert!(!builder_debug.contains(TOKEN), "{builder_debug}");
    assert!(builder_debug.contains("<redacted>"), "{builder_debug}");
    let client = builder.build().unwrap();
    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains(TOKEN), "{client_debug}");
    assert!(!format!("{client:#?}").contains(TOKEN));
    assert!(client_debug.contains("<redacted>"), "{client_debug}");
    assert_eq!(client.base_url(), "https://acme.api.identitynow.com/beta");
}

#[tokio::test]
async fn slow_server_gives_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(sample())
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = get_config(&client, "s").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                op: "getSourceAttrSyncConfig",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert_eq!(err.status(), None);
    assert!(
        err.to_string()
            .starts_with("getSourceAttrSyncConfig: request timed out"),
        "{err}"
    );
    assert!(!format!("{err:?} {err}").contains(TOKEN));
}

#[tokio::test]
async fn connection_refused_gives_transport() {
    // Bind then drop a listener to get a local port with nothing behind it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(format!("http://127.0.0.1:{port}")).unwrap();
    let err = get_config(&client, "s").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn invalid_header_value_is_a_serialize_error() {
    let (_server, client) = setup().await;
    let mut req = Request::new(&GET_CONFIG, "/x".into());
    req.header("X-Bad", "line\nbreak");
    let err = client.execute::<OpError>(req).await.unwrap_err();
    assert!(matches!(err, Error::Serialize(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("getSourceAttrSyncConfig: could not encode request"),
        "{err}"
    );
}

#[test]
fn futures_and_errors_are_send_and_sync() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    let client = Client::new("http://127.0.0.1:1").unwrap();
    let fut = client.execute::<OpError>(Request::new(&GET_CONFIG, "/x".into()));
    assert_send(&fut);
    assert_send_sync::<Error<OpError>>();
    assert_send_sync::<Client>();
    assert_send_sync::<Request>();
    // Boxed response variants keep results small whatever the error enum is.
    assert!(std::mem::size_of::<Error<[u8; 4096]>>() <= 64);
}

/// A setter's recorded error (a body that is not JSON, an empty path
/// parameter) is what `execute` and the `send_*` futures return; nothing is sent.
#[tokio::test]
async fn recorded_request_errors_are_serialize_errors_and_nothing_is_sent() {
    let (server, client) = setup().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    // JSON object keys must be strings.
    let not_json: std::collections::HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
    let mut req = Request::new(&PUT_CONFIG, "/sources/s/attribute-sync-config".into());
    req.json_body(&not_json);
    let err = client.execute::<OpError>(req).await.unwrap_err();
    assert!(matches!(err, Error::Serialize(_)), "{err:?}");
    assert!(
        err.to_string().contains("not serializable as JSON"),
        "{err}"
    );

    let mut req = Request::for_operation(&PUT_CONFIG);
    req.path_param("id", "");
    let err = client.send_empty::<OpError>(req, &[204]).await.unwrap_err();
    assert!(matches!(err, Error::Serialize(_)), "{err:?}");
}

/// `send_json` and `send_empty` decode only the listed statuses; any other is the
/// operation's error.
#[tokio::test]
async fn send_json_and_send_empty_decode_the_listed_statuses_only() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/beta/sources/a/attribute-sync-config"))
        .respond_with(ResponseTemplate::new(201).set_body_json(sample()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/sources/b/attribute-sync-config"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sample()))
        .mount(&server)
        .await;
    let get = |id: &str| Request::new(&GET_CONFIG, format!("/sources/{id}/attribute-sync-config"));

    let ok: Response<SyncConfig> = client
        .send_json::<_, OpError>(get("a"), &[200, 201])
        .await
        .unwrap();
    assert_eq!((ok.status, ok.body), (201, sample()));
    let err = client
        .send_json::<SyncConfig, OpError>(get("a"), &[200])
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(201));
    assert!(err.api().unwrap().body.is_none());

    let ok = client
        .send_empty::<OpError>(get("b"), &[200])
        .await
        .unwrap();
    assert_eq!(ok.status, 200);
    let err = client
        .send_empty::<OpError>(get("b"), &[204])
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(200));
}
