//! Reading response bodies: the size limit (from `Content-Length` up front, and while
//! reading a body of unknown length), and large bodies, which are read in parts and
//! decoded as a stream, giving the same values and the same errors as small ones.

use std::time::Duration;

use generated_client::runtime::{Client, ClientBuilder, Error, OperationInfo, Request, Response};
use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

static LIST_THINGS: OperationInfo = OperationInfo {
    id: "listThings",
    method: "GET",
    path: "/things",
};

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Thing {
    id: String,
    enabled: bool,
    tags: Vec<String>,
}

fn thing(i: usize) -> serde_json::Value {
    json!({"id": format!("thing-{i:06}"), "enabled": i.is_multiple_of(2), "tags": ["a", "b", format!("t{i}")]})
}

/// A JSON list of `n` things, and the things.
fn things(n: usize) -> (Vec<u8>, Vec<Thing>) {
    let values: Vec<serde_json::Value> = (0..n).map(thing).collect();
    let body = serde_json::to_vec(&values).unwrap();
    let decoded = serde_json::from_slice(&body).unwrap();
    (body, decoded)
}

fn builder(base: &str) -> ClientBuilder {
    Client::builder().base_url(format!("{base}/beta"))
}

/// What generated code for a list operation looks like.
async fn list(client: &Client) -> Result<Response<Vec<Thing>>, Error<()>> {
    let raw = client
        .execute(Request::new(&LIST_THINGS, "/things".into()))
        .await?;
    match raw.status() {
        200 => raw.json(),
        _ => Err(raw.unexpected()),
    }
}

async fn mount(server: &MockServer, status: u16, body: Vec<u8>) {
    Mock::given(method("GET"))
        .and(path("/beta/things"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
        .mount(server)
        .await;
}

/// A server that answers every request with `head` (status line and headers, without
/// `Content-Length`) and `body` in HTTP/1.1 chunks of `chunk` bytes, then closes.
/// Returns its base URL.
async fn chunked_server(status: u16, body: Vec<u8>, chunk: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let body = body.clone();
            tokio::spawn(async move {
                // Read the request head (GETs only).
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let mut out = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
                )
                .into_bytes();
                for part in body.chunks(chunk) {
                    out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
                    out.extend_from_slice(part);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n\r\n");
                // Whether the client reads it all or hangs up early.
                let _ = stream.write_all(&out).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    base
}

#[tokio::test]
async fn the_default_limit_is_64_mib() {
    let client = generated_client::Client::builder()
        .tenant("acme")
        .build()
        .unwrap();
    assert!(format!("{client:?}").contains("max_body_size: 67108864"));
    let builder = generated_client::Client::builder()
        .tenant("acme")
        .max_body_size(1000);
    assert!(format!("{builder:?}").contains("max_body_size: 1000"));
    assert!(format!("{:?}", builder.build().unwrap()).contains("max_body_size: 1000"));
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_reading() {
    let server = MockServer::start().await;
    let (body, _) = things(100);
    let len = body.len() as u64;
    mount(&server, 200, body).await;

    // Exactly at the limit: fine.
    let at_limit = builder(&server.uri())
        .max_body_size(len as usize)
        .build()
        .unwrap();
    assert_eq!(list(&at_limit).await.unwrap().len(), 100);

    let client = builder(&server.uri())
        .max_body_size(len as usize - 1)
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    match &err {
        Error::BodyTooLarge {
            op,
            status,
            limit,
            content_length,
        } => {
            assert_eq!(*op, "listThings");
            assert_eq!(*status, 200);
            assert_eq!(*limit, len - 1);
            assert_eq!(*content_length, Some(len));
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    assert_eq!(err.operation(), Some("listThings"));
    assert_eq!(err.status(), Some(200));
    assert_eq!(
        err.to_string(),
        format!(
            "listThings: HTTP 200 OK: response body larger than the limit of {} bytes (Content-Length: {len}); see ClientBuilder::max_body_size",
            len - 1
        )
    );
    // Not retried, whatever the status.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn error_bodies_are_limited_too() {
    let server = MockServer::start().await;
    mount(&server, 503, vec![b'x'; 5000]).await;
    let client = builder(&server.uri()).max_body_size(4096).build().unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                status: 503,
                limit: 4096,
                ..
            }
        ),
        "{err:?}"
    );
    // A 503 is retried, but not when its body is too large.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_body_of_unknown_length_stops_at_the_limit() {
    let (body, decoded) = things(2000);
    let len = body.len();
    let base = chunked_server(200, body, 1000).await;

    let client = builder(&base).max_body_size(len).build().unwrap();
    assert_eq!(list(&client).await.unwrap().body, decoded);

    let client = builder(&base).max_body_size(len - 1).build().unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { content_length: None, limit, .. } if limit == len as u64 - 1),
        "{err:?}"
    );
    assert!(
        err.to_string().ends_with(&format!(
            "(stopped reading after {} bytes); see ClientBuilder::max_body_size",
            len - 1
        )),
        "{err}"
    );
}

#[tokio::test]
async fn large_bodies_decode_as_small_ones_do() {
    // About 5 MB: above the 4 MiB up to which a body is kept in one buffer.
    let (body, decoded) = things(80_000);
    assert!(body.len() > 4_500_000, "{}", body.len());

    let server = MockServer::start().await;
    mount(&server, 200, body.clone()).await;
    let client = builder(&server.uri()).build().unwrap();
    let response = list(&client).await.unwrap();
    assert_eq!(response.body, decoded);

    // Of unknown length, in small chunks.
    let base = chunked_server(200, body.clone(), 7000).await;
    let client = builder(&base).build().unwrap();
    assert_eq!(list(&client).await.unwrap().body, decoded);

    // The raw body, whole.
    let raw = client
        .execute::<()>(Request::new(&LIST_THINGS, "/things".into()))
        .await
        .unwrap();
    assert_eq!(raw.body().len(), body.len());
    assert!(raw.body()[..] == body[..]);
    let bytes = raw.clone().bytes::<()>().unwrap().body;
    assert!(bytes[..] == body[..]);
    // Decoding after the body was joined gives the same.
    assert_eq!(raw.json::<Vec<Thing>, ()>().unwrap().body, decoded);
}

#[tokio::test]
async fn large_bodies_that_do_not_decode_say_where() {
    let mut values: Vec<serde_json::Value> = (0..80_000).map(thing).collect();
    values[70_000]["enabled"] = json!("yes");
    let body = serde_json::to_vec(&values).unwrap();
    let server = MockServer::start().await;
    mount(&server, 200, body.clone()).await;
    for base in [
        server.uri(),
        chunked_server(200, body.clone(), 65_536).await,
    ] {
        let client = builder(&base).build().unwrap();
        let err = list(&client).await.unwrap_err();
        let Error::Decode(decode) = &err else {
            panic!("expected Decode, got {err:?}")
        };
        assert_eq!(decode.path, "[70000].enabled");
        assert!(
            decode
                .message
                .starts_with("invalid type: string \"yes\", expected a boolean"),
            "{}",
            decode.message
        );
        assert!(
            decode
                .snippet
                .starts_with(r#"[{"enabled":true,"id":"thing-000000""#),
            "{}",
            decode.snippet
        );
        assert!(decode.snippet.ends_with('…'), "{}", decode.snippet);
        assert!(decode.snippet.len() <= 512 + '…'.len_utf8());
    }

    // Trailing characters after the list.
    let (mut body, _) = things(80_000);
    body.extend_from_slice(b" x");
    let base = chunked_server(200, body, 65_536).await;
    let err = list(&builder(&base).build().unwrap()).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(decode.path, ".");
    assert!(
        decode.message.contains("trailing characters"),
        "{}",
        decode.message
    );
}

#[tokio::test]
async fn large_error_bodies_are_kept_whole() {
    let body = vec![b'e'; 5 << 20];
    let base = chunked_server(500, body.clone(), 100_000).await;
    let client = builder(&base).build().unwrap();
    let err = list(&client).await.unwrap_err();
    let api = err.api().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(api.status, 500);
    assert!(api.raw[..] == body[..]);
}

#[tokio::test]
async fn token_responses_are_limited_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "x".repeat(5000),
            "token_type": "bearer",
            "expires_in": 3600,
        })))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .client_credentials("id", "secret")
        .token_url(format!("{}/oauth/token", server.uri()))
        .max_body_size(4096)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("expected Auth, got {err:?}")
    };
    assert_eq!(auth.status(), Some(200));
    assert_eq!(
        auth.message(),
        format!(
            "token endpoint {}/oauth/token answered HTTP 200 OK with a body larger than the limit of 4096 bytes",
            server.uri()
        )
    );
}
