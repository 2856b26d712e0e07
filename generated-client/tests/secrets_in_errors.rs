//! No credential in any error: a server that echoes the bearer token or the client
//! secret back (in error bodies, in bodies that do not decode, in headers, in the token
//! endpoint's own errors) never gets them into `Display`, `Debug`, `ApiError::raw`,
//! the typed error body, `body_error`, `DecodeError::snippet` or the headers an error
//! keeps. They are replaced by `<redacted>`.

use generated_client::runtime::{
    Client, ClientBuilder, CredentialKind, Error, ErrorBody, OperationInfo, Profile, RawResponse,
    Request, Response,
};
use serde::Deserialize;

/// An API whose token endpoint is on its root and whose errors carry a `trackingId`.
static PROFILE: Profile = Profile {
    token_url: Some("{root}/oauth/token"),
    tracking_id: Some("trackingId"),
    credentials: &[CredentialKind::ClientCredentials, CredentialKind::Bearer],
    ..Profile::GENERIC
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A static bearer token (header-safe, with characters JSON and forms may escape).
const BEARER: &str = "pat-S3cr3t/T0ken+xyz.abc";
/// A client secret with characters that every encoding changes.
const CLIENT_SECRET: &str = r#"Cl1ent "S3cret"\with/slash+plus"#;
/// What the token endpoint hands out.
const ACCESS_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.s3cr3t-s1gn4ture";

static GET_CONFIG: OperationInfo = OperationInfo {
    id: "getSourceAttrSyncConfig",
    method: "GET",
    path: "/sources/{id}/attribute-sync-config",
};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[allow(dead_code)]
struct Config {
    source: String,
    attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[allow(dead_code)]
struct Attribute {
    name: String,
    enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[allow(dead_code)]
struct ErrorDto {
    #[serde(rename = "detailCode")]
    detail_code: String,
    messages: Vec<String>,
    #[serde(default)]
    code: Option<i32>,
}

/// Stand-in for a generated error enum: 400 is documented with a JSON body.
#[derive(Debug, Clone, PartialEq)]
enum OpError {
    BadRequest(ErrorDto),
}

impl ErrorBody for OpError {
    fn from_response(resp: RawResponse) -> Error<Self> {
        match resp.status() {
            400 => resp.error_json(OpError::BadRequest),
            _ => resp.unexpected(),
        }
    }
}

/// What generated code for a GET looks like.
async fn get_config(client: &Client) -> Result<Response<Config>, Error<OpError>> {
    client
        .send_json(
            Request::new(&GET_CONFIG, "/sources/s1/attribute-sync-config".into()),
            &[200],
        )
        .await
}

/// Every form in which `secret` could be echoed: as it is, form-encoded, JSON-escaped.
fn forms(secret: &str) -> Vec<String> {
    let form: String = url_form(secret);
    let json = serde_json::to_string(secret).unwrap();
    let json = json[1..json.len() - 1].to_owned();
    let mut forms = vec![
        secret.to_owned(),
        form,
        json.clone(),
        json.replace('/', "\\/"),
    ];
    forms.dedup();
    forms
}

fn url_form(value: &str) -> String {
    let request = reqwest::Client::new()
        .post("http://127.0.0.1/")
        .form(&[("v", value)])
        .build()
        .unwrap();
    let body = request.body().and_then(reqwest::Body::as_bytes).unwrap();
    std::str::from_utf8(body).unwrap()["v=".len()..].to_owned()
}

/// A body that quotes `secret` in every form, as JSON text.
fn echo(secret: &str) -> String {
    forms(secret).join(" | ")
}

/// Mounts the API's answers: each status echoes the `secrets` in its body and headers.
async fn mount_echoes(
    server: &MockServer,
    route: &str,
    status: u16,
    body: String,
    secrets: &[&str],
) {
    let mut template = ResponseTemplate::new(status).set_body_raw(body, "application/json");
    for (i, secret) in secrets.iter().enumerate() {
        template = template
            .insert_header(
                format!("x-echo-{i}").as_str(),
                format!("Bearer {secret}").as_str(),
            )
            .insert_header(
                format!("x-echo-form-{i}").as_str(),
                url_form(secret).as_str(),
            );
    }
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(template)
        .mount(server)
        .await;
}

/// Everything an error shows or keeps, as text.
fn everything(err: &Error<OpError>) -> String {
    let mut shown = vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")];
    match err {
        Error::Api(api) => {
            shown.push(String::from_utf8_lossy(&api.raw).into_owned());
            shown.push(format!("{:?}", api.body));
            shown.push(format!("{:?}", api.body_error));
            shown.push(api.to_string());
            for (name, value) in &api.headers {
                shown.push(format!(
                    "{name}: {}",
                    String::from_utf8_lossy(value.as_bytes())
                ));
            }
        }
        Error::Decode(decode) => {
            shown.push(decode.snippet.clone());
            shown.push(decode.message.clone());
            shown.push(decode.path.clone());
            for (name, value) in &decode.headers {
                shown.push(format!(
                    "{name}: {}",
                    String::from_utf8_lossy(value.as_bytes())
                ));
            }
        }
        _ => {}
    }
    shown.join("\n")
}

fn assert_hidden(text: &str, secrets: &[&str]) {
    for secret in secrets {
        for form in forms(secret) {
            assert!(!text.contains(&form), "`{form}` shown in:\n{text}");
        }
    }
    assert!(text.contains("<redacted>"), "{text}");
}

/// The cases every credential scheme is tried with; `secrets` are what was sent.
async fn check_every_error(server: &MockServer, client: &Client, secrets: &[&str]) {
    let quoted: String = secrets
        .iter()
        .map(|s| echo(s))
        .collect::<Vec<_>>()
        .join(" / ");
    let quoted = serde_json::to_string(&quoted).unwrap();
    let first = serde_json::to_string(secrets[0]).unwrap();

    // A documented error whose typed body decodes, quoting the credentials.
    mount_echoes(
        server,
        "/beta/sources/s1/attribute-sync-config",
        400,
        format!(r#"{{"detailCode":{quoted},"messages":[{quoted},{first}],"trackingId":{first}}}"#),
        secrets,
    )
    .await;
    let err = get_config(client).await.unwrap_err();
    let api = err.api().unwrap_or_else(|| panic!("{err:?}"));
    let Some(OpError::BadRequest(dto)) = &api.body else {
        panic!("expected the typed body: {err:?}")
    };
    assert!(dto.detail_code.contains("<redacted>"), "{dto:?}");
    assert_eq!(err.tracking_id(), Some("<redacted>"));
    assert_hidden(&everything(&err), secrets);
    server.reset().await;

    // A documented error whose body does not decode; the reason quotes a credential.
    mount_echoes(
        server,
        "/beta/sources/s1/attribute-sync-config",
        400,
        format!(r#"{{"detailCode":"x","messages":[],"code":{first}}}"#),
        secrets,
    )
    .await;
    let err = get_config(client).await.unwrap_err();
    let api = err.api().unwrap_or_else(|| panic!("{err:?}"));
    assert!(api.body.is_none(), "{err:?}");
    let reason = api.body_error.as_deref().unwrap_or_default();
    assert!(
        reason.contains(r#"invalid type: string "<redacted>""#),
        "{reason}"
    );
    assert_hidden(&everything(&err), secrets);
    server.reset().await;

    // A status the operation does not list.
    mount_echoes(
        server,
        "/beta/sources/s1/attribute-sync-config",
        418,
        quoted.clone(),
        secrets,
    )
    .await;
    let err = get_config(client).await.unwrap_err();
    assert_eq!(err.status(), Some(418));
    assert_hidden(&everything(&err), secrets);
    server.reset().await;

    // A success body that does not decode: the message quotes a credential.
    mount_echoes(
        server,
        "/beta/sources/s1/attribute-sync-config",
        200,
        format!(r#"{{"source":{quoted},"attributes":[{{"name":"a","enabled":{first}}}]}}"#),
        secrets,
    )
    .await;
    let err = get_config(client).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(decode.path, "attributes[0].enabled");
    assert!(
        decode
            .message
            .contains(r#"invalid type: string "<redacted>""#),
        "{}",
        decode.message
    );
    assert_hidden(&everything(&err), secrets);
    server.reset().await;

    // The same in a body large enough to be decoded as a stream (over 4 MiB), the
    // credential across the end of the snippet.
    let padding = "p".repeat(500);
    let item = format!(r#"{{"name":"{padding}","enabled":true}}"#);
    let items = vec![item; 9000].join(",");
    mount_echoes(
        server,
        "/beta/sources/s1/attribute-sync-config",
        200,
        format!(
            r#"{{"source":"{}{}","attributes":[{items},{{"name":"a","enabled":{first}}}]}}"#,
            "s".repeat(490),
            secrets[0].replace('\\', "\\\\").replace('"', "\\\"")
        ),
        secrets,
    )
    .await;
    let err = get_config(client).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(decode.path, "attributes[9000].enabled");
    assert!(
        decode
            .message
            .contains(r#"invalid type: string "<redacted>""#),
        "{}",
        decode.message
    );
    assert!(decode.snippet.ends_with('…'), "{}", decode.snippet);
    assert_hidden(&everything(&err), secrets);
    server.reset().await;

    // What `execute` returns is redacted in `Debug` too (not in its accessors: it is
    // the server's answer).
    mount_echoes(
        server,
        "/beta/sources/s1/attribute-sync-config",
        503,
        quoted.clone(),
        secrets,
    )
    .await;
    let raw = client
        .execute::<()>(Request::new(
            &GET_CONFIG,
            "/sources/s1/attribute-sync-config".into(),
        ))
        .await
        .unwrap();
    assert_hidden(&format!("{raw:?} {raw:#?}"), secrets);
    server.reset().await;
}

#[tokio::test]
async fn a_static_bearer_token_never_shows_in_errors() {
    let server = MockServer::start().await;
    let client = ClientBuilder::new(&PROFILE)
        .base_url(format!("{}/beta", server.uri()))
        .bearer_token(BEARER)
        .retry_policy(generated_client::runtime::RetryPolicy::none())
        .build()
        .unwrap();
    check_every_error(&server, &client, &[BEARER]).await;
}

#[tokio::test]
async fn client_credentials_never_show_in_errors() {
    let server = MockServer::start().await;
    let mount_token = || async {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": ACCESS_TOKEN,
                "token_type": "bearer",
                "expires_in": 3600,
            })))
            .mount(&server)
            .await;
    };
    mount_token().await;
    let client = ClientBuilder::new(&PROFILE)
        .base_url(format!("{}/beta", server.uri()))
        .client_credentials("my-client-id", CLIENT_SECRET)
        .retry_policy(generated_client::runtime::RetryPolicy::none())
        .build()
        .unwrap();
    // The token is cached after the first request, so resetting the API's mocks (and
    // with them the token endpoint) between cases is fine.
    get_config(&client).await.unwrap_err();
    check_every_error(&server, &client, &[ACCESS_TOKEN, CLIENT_SECRET]).await;
}

#[tokio::test]
async fn the_token_endpoint_never_echoes_the_client_secret_into_errors() {
    let server = MockServer::start().await;
    let secret_json = serde_json::to_string(&echo(CLIENT_SECRET)).unwrap();
    for (status, body) in [
        (
            400,
            format!(r#"{{"error":"invalid_client","error_description":{secret_json}}}"#),
        ),
        (500, echo(CLIENT_SECRET)),
        // A success whose token type quotes the secret.
        (
            200,
            format!(r#"{{"access_token":"t","token_type":{secret_json}}}"#),
        ),
        // A success whose body does not decode, quoting the secret.
        (
            200,
            format!(r#"{{"access_token":{secret_json},"expires_in":{secret_json}}}"#),
        ),
        (
            200,
            format!(r#"{{"access_token":17,"token_type":{secret_json}}}"#),
        ),
    ] {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(
                ResponseTemplate::new(status).set_body_raw(body.clone(), "application/json"),
            )
            .mount(&server)
            .await;
        let client = ClientBuilder::new(&PROFILE)
            .base_url(format!("{}/beta", server.uri()))
            .client_credentials("my-client-id", CLIENT_SECRET)
            .retry_policy(generated_client::runtime::RetryPolicy::none())
            .build()
            .unwrap();
        let err = get_config(&client).await.unwrap_err();
        let Error::Auth(auth) = &err else {
            panic!("expected Auth, got {err:?}")
        };
        let text = format!(
            "{err}\n{err:?}\n{err:#?}\n{auth}\n{auth:?}\n{}",
            auth.message()
        );
        for form in forms(CLIENT_SECRET) {
            assert!(!text.contains(&form), "{body}: `{form}` shown in:\n{text}");
        }
    }
}
