//! Observing the HTTP exchanges of a client: [`Observer`] and [`Exchange`].
//!
//! An observer set with
//! [`ClientBuilder::observer`](crate::runtime::ClientBuilder::observer) sees
//! every attempt of every API request that got a response, with the
//! credentials taken out. Record and replay (`runtime::testing`, the
//! `test-util` feature) is built on it; so can be logging of whole exchanges
//! or metrics by operation. Without an observer, the client does no extra
//! work.

use bytes::Bytes;
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, PROXY_AUTHORIZATION, SET_COOKIE};

use crate::runtime::auth::{REDACTED, Sent};
use crate::runtime::profile::{ApiKey, ApiKeyLocation};

/// Sees the HTTP exchanges of a client: set with
/// [`ClientBuilder::observer`](crate::runtime::ClientBuilder::observer).
///
/// [`exchange`](Self::exchange) is called once per HTTP attempt that got a
/// response, retries and the attempt after a token refresh included, in the
/// task that sent the request, before the response is decoded. Requests to the
/// OAuth2 token endpoint are not shown. Attempts that got no response (a
/// timeout, a transport error, a body over the size limit) are not shown
/// either.
///
/// The call is synchronous and on the request's path: keep it quick (store or
/// send the exchange elsewhere).
///
/// Closures `Fn(&Exchange)` implement this trait:
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use generated_client::runtime::{Client, Exchange};
///
/// let seen: Arc<Mutex<Vec<(String, u16)>>> = Arc::default();
/// let log = seen.clone();
/// let client = Client::builder()
///     .base_url("https://api.example.com/v1")
///     .observer(move |exchange: &Exchange| {
///         log.lock().unwrap().push((exchange.operation.to_owned(), exchange.status));
///     })
///     .build()
///     .unwrap();
/// assert!(format!("{client:?}").contains("observer: Some"));
/// ```
pub trait Observer: Send + Sync + 'static {
    /// One attempt and its response.
    fn exchange(&self, exchange: &Exchange);
}

impl<F> Observer for F
where
    F: Fn(&Exchange) + Send + Sync + 'static,
{
    fn exchange(&self, exchange: &Exchange) {
        self(exchange);
    }
}

/// One HTTP attempt and the response it got, as an [`Observer`] sees it.
///
/// Free of credentials: the values of the `Authorization`,
/// `Proxy-Authorization` and `Cookie` request headers, of the API key header
/// or query parameter (the profile's), and of `Set-Cookie` response headers
/// are `<redacted>`; so is every occurrence, anywhere in the URL, the headers
/// and the bodies, of the bearer token or access token, the client secret, the
/// API key and the basic-auth password the request was sent with (as sent,
/// form-encoded or JSON-escaped).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Exchange {
    /// The operation id, e.g. `getSource`.
    pub operation: &'static str,
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The request URL, e.g. `https://api.example.com/v1/sources/42?limit=2`.
    pub url: String,
    /// The client's base URL, without trailing slash (e.g.
    /// `https://api.example.com/v1`): `url` starts with it.
    pub base_url: String,
    /// The path and query of `url` as sent, e.g. `/v1/sources/42?limit=2`
    /// (with the base URL's path).
    pub path_and_query: String,
    /// The request headers, in order, names in lower case.
    pub request_headers: Vec<(String, String)>,
    /// The request body as sent; empty without a body, and for a multipart
    /// body (which is streamed).
    pub request_body: Bytes,
    /// The HTTP status of the response.
    pub status: u16,
    /// The response headers, in order, names in lower case.
    pub response_headers: Vec<(String, String)>,
    /// The whole response body.
    pub response_body: Bytes,
    /// Which attempt of the request this was: 1 for the first.
    pub attempt: u32,
}

/// What an attempt sent, taken before the request is handed to the HTTP
/// client (only when an observer is set).
pub(crate) struct Capture {
    method: String,
    url: Url,
    headers: HeaderMap,
    body: Bytes,
}

impl Capture {
    /// The parts of `request` an [`Exchange`] shows.
    pub(crate) fn new(request: &reqwest::Request) -> Capture {
        Capture {
            method: request.method().as_str().to_owned(),
            url: request.url().clone(),
            headers: request.headers().clone(),
            body: request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .map(Bytes::copy_from_slice)
                .unwrap_or_default(),
        }
    }

    /// The exchange of this attempt and its response, redacted: `sent` holds
    /// the credentials the attempt was sent with, `api_key` where the API key
    /// went.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn exchange(
        self,
        operation: &'static str,
        attempt: u32,
        base_url: &str,
        api_key: Option<&ApiKey>,
        sent: &Sent,
        status: u16,
        response_headers: &HeaderMap,
        response_body: &Bytes,
    ) -> Exchange {
        let query_key = api_key
            .filter(|key| key.location == ApiKeyLocation::Query)
            .map(|key| key.name);
        let header_key = api_key
            .filter(|key| key.location == ApiKeyLocation::Header)
            .map(|key| key.name);
        let (url, path_and_query) = redact_url(&self.url, query_key);
        let request_headers = header_pairs(&self.headers, sent, |name| {
            name == AUTHORIZATION
                || name == PROXY_AUTHORIZATION
                || name == COOKIE
                || header_key.is_some_and(|key| name.as_str().eq_ignore_ascii_case(key))
        });
        let response_headers = header_pairs(response_headers, sent, |name| name == SET_COOKIE);
        Exchange {
            operation,
            method: self.method,
            url: sent.redact_text(url),
            base_url: base_url.to_owned(),
            path_and_query: sent.redact_text(path_and_query),
            request_headers,
            request_body: sent.redact(&self.body),
            status,
            response_headers,
            response_body: sent.redact(response_body),
            attempt,
        }
    }
}

/// The headers as text pairs: the values of those `secret` names replaced by
/// `<redacted>`, the credentials of `sent` taken out of the others.
fn header_pairs(
    headers: &HeaderMap,
    sent: &Sent,
    secret: impl Fn(&reqwest::header::HeaderName) -> bool,
) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = if secret(name) {
                REDACTED.to_owned()
            } else {
                sent.redact_text(String::from_utf8_lossy(value.as_bytes()).into_owned())
            };
            (name.as_str().to_owned(), value)
        })
        .collect()
}

/// The URL, and its path and query, with the value of the query parameter
/// `key` (the API key) replaced by `<redacted>`.
fn redact_url(url: &Url, key: Option<&str>) -> (String, String) {
    let full = url.as_str();
    let before_query = full.split_once('?').map_or(full, |(before, _)| before);
    let mut query = url.query().map(str::to_owned);
    if let (Some(key), Some(raw)) = (key, &query) {
        let pairs: Vec<String> = raw
            .split('&')
            .map(|pair| {
                let name = pair.split_once('=').map_or(pair, |(name, _)| name);
                if decode_query_text(name) == key {
                    format!("{name}={REDACTED}")
                } else {
                    pair.to_owned()
                }
            })
            .collect();
        query = Some(pairs.join("&"));
    }
    let mut path_and_query = url.path().to_owned();
    let mut whole = before_query.to_owned();
    if let Some(query) = query {
        for text in [&mut path_and_query, &mut whole] {
            text.push('?');
            text.push_str(&query);
        }
    }
    (whole, path_and_query)
}

/// A query name or value, percent-decoded, `+` read as a space.
pub(crate) fn decode_query_text(text: &str) -> String {
    let text = text.replace('+', " ");
    percent_encoding::percent_decode_str(&text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;
    use crate::runtime::{BuildError, Client, ClientBuilder, OperationInfo, Request, RetryPolicy};

    static OP: OperationInfo = OperationInfo {
        id: "getThing",
        method: "GET",
        path: "/things/{id}",
    };

    static POST: OperationInfo = OperationInfo {
        id: "createThing",
        method: "POST",
        path: "/things",
    };

    /// The exchanges an observer saw.
    fn observed(builder: ClientBuilder) -> (Client, Arc<Mutex<Vec<Exchange>>>) {
        let seen: Arc<Mutex<Vec<Exchange>>> = Arc::default();
        let log = seen.clone();
        let client = builder
            .observer(move |exchange: &Exchange| log.lock().unwrap().push(exchange.clone()))
            .build()
            .unwrap();
        (client, seen)
    }

    fn get(id: &str) -> Request {
        let mut req = Request::for_operation(&OP);
        req.path_param("id", id);
        req.query("limit", 2);
        req.finish().unwrap()
    }

    fn value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[tokio::test]
    async fn every_attempt_is_observed_with_the_bearer_token_redacted() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v3/things/a%20b"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("set-cookie", "session=s3ss10n")
                    .insert_header("x-echo", "Bearer tok-observe-1")
                    .set_body_string(r#"{"token":"tok-observe-1","ok":true}"#),
            )
            .mount(&server)
            .await;
        let (client, seen) = observed(
            Client::builder()
                .base_url(format!("{}/v3/", server.uri()))
                .bearer_token("tok-observe-1")
                .retry_policy(RetryPolicy::new().initial_backoff(Duration::from_millis(1))),
        );
        let mut req = get("a b");
        req.header("cookie", "session=s3ss10n");
        let resp = client.execute::<()>(req).await.unwrap();
        assert_eq!(resp.status(), 200);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(
            seen.iter()
                .map(|e| (e.attempt, e.status))
                .collect::<Vec<_>>(),
            [(1, 503), (2, 200)]
        );
        let last = &seen[1];
        assert_eq!(last.operation, "getThing");
        assert_eq!(last.method, "GET");
        assert_eq!(last.base_url, format!("{}/v3", server.uri()));
        assert_eq!(
            last.url,
            format!("{}/v3/things/a%20b?limit=2", server.uri())
        );
        assert_eq!(last.path_and_query, "/v3/things/a%20b?limit=2");
        assert_eq!(
            value(&last.request_headers, "authorization"),
            Some(REDACTED)
        );
        assert_eq!(value(&last.request_headers, "cookie"), Some(REDACTED));
        assert_eq!(value(&last.response_headers, "set-cookie"), Some(REDACTED));
        assert_eq!(
            value(&last.response_headers, "x-echo"),
            Some("Bearer <redacted>")
        );
        assert_eq!(
            &last.response_body[..],
            br#"{"token":"<redacted>","ok":true}"#
        );
        let shown = format!("{seen:?}");
        assert!(!shown.contains("tok-observe-1"), "{shown}");
        assert!(!shown.contains("s3ss10n"), "{shown}");
    }

    #[tokio::test]
    async fn api_keys_and_basic_passwords_are_redacted() {
        use crate::runtime::profile::tests::{HEADER_KEY, QUERY_KEY};
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(|req: &wiremock::Request| {
                // Echoes everything it got.
                ResponseTemplate::new(200).set_body_string(format!(
                    "{} {:?} {}",
                    req.url,
                    req.headers,
                    String::from_utf8_lossy(&req.body)
                ))
            })
            .mount(&server)
            .await;
        for (profile, key) in [(&QUERY_KEY, "qk-s3cret"), (&HEADER_KEY, "hk-s3cret")] {
            let (client, seen) = observed(
                ClientBuilder::new(profile)
                    .base_url(server.uri())
                    .api_key(key)
                    .basic_auth("user", "pw-s3cret"),
            );
            let mut req = Request::for_operation(&POST);
            req.json_body(&serde_json::json!({"note": format!("{key} pw-s3cret")}));
            client.execute::<()>(req).await.unwrap();
            let seen = seen.lock().unwrap();
            assert_eq!(seen.len(), 1);
            let exchange = &seen[0];
            let shown = format!("{exchange:?}");
            for secret in [key, "pw-s3cret"] {
                assert!(!shown.contains(secret), "{shown}");
            }
            assert_eq!(
                &exchange.request_body[..],
                br#"{"note":"<redacted> <redacted>"}"#
            );
            if profile.api_key.unwrap().location == ApiKeyLocation::Query {
                assert_eq!(exchange.path_and_query, "/things?api_key=<redacted>");
                assert!(exchange.url.ends_with("/things?api_key=<redacted>"));
            } else {
                assert_eq!(
                    value(&exchange.request_headers, "x-api-key"),
                    Some(REDACTED)
                );
                assert_eq!(exchange.path_and_query, "/things");
            }
        }
    }

    #[tokio::test]
    async fn token_requests_are_not_observed() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "at-s3cret", "expires_in": 3600
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer at-s3cret"))
            .respond_with(|req: &wiremock::Request| {
                ResponseTemplate::new(200).set_body_string(format!("{:?}", req.headers))
            })
            .mount(&server)
            .await;
        let (client, seen) = observed(
            Client::builder()
                .base_url(server.uri())
                .token_url(format!("{}/oauth/token", server.uri()))
                .client_credentials("id", "cs-s3cret"),
        );
        client.execute::<()>(get("1")).await.unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].operation, "getThing");
        let shown = format!("{seen:?}");
        assert!(!shown.contains("at-s3cret"), "{shown}");
        assert!(!shown.contains("cs-s3cret"), "{shown}");
    }

    #[tokio::test]
    async fn default_headers_are_sent_without_overriding() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(|req: &wiremock::Request| {
                req.headers.get_all("prefer").iter().collect::<Vec<_>>() == ["dynamic=true, seed=7"]
            })
            .and(header("x-mode", "operation"))
            .and(header("authorization", "Bearer t0k"))
            .and(header("accept", "text/plain"))
            .respond_with(ResponseTemplate::new(200))
            .expect(1)
            .mount(&server)
            .await;
        let builder = Client::builder()
            .base_url(server.uri())
            .bearer_token("t0k")
            .default_header("Prefer", "dynamic=false")
            .default_header("prefer", "dynamic=true, seed=7")
            .default_header("X-Mode", "default")
            .default_header("Authorization", "Bearer other")
            .default_header("Accept", "text/plain");
        let shown = format!("{builder:?}");
        assert!(
            shown.contains(r#"default_headers: ["prefer", "X-Mode", "Authorization", "Accept"]"#),
            "{shown}"
        );
        assert!(!shown.contains("dynamic"), "{shown}");
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("dynamic"));
        let mut req = get("1");
        req.header("x-mode", "operation");
        assert_eq!(client.execute::<()>(req).await.unwrap().status(), 200);

        for (name, value) in [("bad name", "v"), ("X-Ok", "s3cret\nvalue")] {
            let err = Client::builder()
                .base_url(server.uri())
                .default_header(name, value)
                .build()
                .unwrap_err();
            assert!(
                matches!(&err, BuildError::InvalidHeader { name: n } if n == name),
                "{err:?}"
            );
            assert!(!format!("{err} {err:?}").contains("s3cret"), "{err}");
        }
    }

    #[test]
    fn api_key_query_values_are_redacted() {
        let url =
            Url::parse("https://api.example.com/v1/books?limit=2&api%5Fkey=k3y&x=a+b").unwrap();
        let (whole, path) = redact_url(&url, Some("api_key"));
        assert_eq!(
            whole,
            "https://api.example.com/v1/books?limit=2&api%5Fkey=<redacted>&x=a+b"
        );
        assert_eq!(path, "/v1/books?limit=2&api%5Fkey=<redacted>&x=a+b");
        let (whole, path) = redact_url(&url, None);
        assert_eq!(whole, url.as_str());
        assert_eq!(path, "/v1/books?limit=2&api%5Fkey=k3y&x=a+b");
        let url = Url::parse("https://api.example.com/").unwrap();
        assert_eq!(
            redact_url(&url, Some("k")),
            ("https://api.example.com/".to_owned(), "/".to_owned())
        );
        assert_eq!(decode_query_text("a+b%20c%3D"), "a b c=");
    }
}
