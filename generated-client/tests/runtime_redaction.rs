//! What `Debug` and `Display` may show of requests and configuration errors: names,
//! kinds and sizes, never values that can carry credentials or personal data.

use generated_client::runtime::{BuildError, Bytes, Client, OperationInfo, Part, Request};

static SEARCH: OperationInfo = OperationInfo {
    id: "searchThings",
    method: "POST",
    path: "/things/search",
};

/// Everything a configuration error or builder shows.
fn shown<C: std::fmt::Debug>(result: Result<C, BuildError>) -> String {
    let err = result.unwrap_err();
    format!("{err} | {err:?} | {err:#?}")
}

#[test]
fn invalid_urls_are_shown_without_credentials_query_or_fragment() {
    for url in [
        "https://alice:pass-w0rd@acme.example.com/beta",
        "https://alice:pass-w0rd@/beta",
        "ftp://alice:pass-w0rd@acme.example.com/beta",
        "https://acme.example.com/beta?client_secret=pass-w0rd",
        "https://acme.example.com/beta#access_token=pass-w0rd",
        "acme.example.com/beta?client_secret=pass-w0rd",
    ] {
        let text = shown(Client::builder().base_url(url).build());
        assert!(text.contains("invalid base URL"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        assert!(!text.contains("pass-w0rd"), "{url}: {text}");
        assert!(!text.contains("alice"), "{url}: {text}");

        let builder = generated_client::Client::builder()
            .tenant("acme")
            .client_credentials("id", "secret")
            .token_url(url);
        let debug = format!("{builder:?}");
        assert!(!debug.contains("pass-w0rd"), "{url}: {debug}");
        let text = shown(builder.build());
        assert!(text.contains("invalid token URL"), "{text}");
        assert!(!text.contains("pass-w0rd"), "{url}: {text}");
        assert!(!text.contains("alice"), "{url}: {text}");

        let debug = format!("{:?}", Client::builder().base_url(url));
        assert!(!debug.contains("pass-w0rd"), "{url}: {debug}");
    }

    // The host and path stay, to say which URL is meant.
    let text = shown(
        Client::builder()
            .base_url("https://alice:pass-w0rd@acme.example.com/beta?x=1")
            .build(),
    );
    assert!(
        text.starts_with(
            "invalid base URL `https://<redacted>@acme.example.com/beta?<redacted>`: credentials in the URL are not supported"
        ),
        "{text}"
    );

    // From the environment too.
    let vars = [
        ("SAIL_BASE_URL", "https://alice:pass-w0rd@acme.example.com"),
        ("SAIL_CLIENT_ID", "id"),
        ("SAIL_CLIENT_SECRET", "secret"),
    ];
    let lookup = |name: &str| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    };
    let err = generated_client::ClientBuilder::from_env_with(lookup).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("SAIL_BASE_URL"), "{text}");
    assert!(!text.contains("pass-w0rd"), "{text}");
}

#[test]
fn request_debug_shows_names_kinds_and_sizes_only() {
    let mut req = Request::new(&SEARCH, "/things/search".into());
    req.query("filters", "email eq \"jane.doe@example.com\"");
    req.query("limit", 250);
    req.header("X-Api-Key", "k3y-s3cret");
    req.json_body(&serde_json::json!({"ssn": "123-45-6789"}));
    let debug = format!("{req:?} {req:#?}");
    for hidden in ["jane.doe", "250", "k3y-s3cret", "123-45-6789", "ssn"] {
        assert!(!debug.contains(hidden), "`{hidden}` in {debug}");
    }
    assert_eq!(
        format!("{req:?}"),
        "Request { op: \"searchThings\", method: POST, path: \"/things/search\", \
         query: [\"filters\", \"limit\"], headers: [\"X-Api-Key\"], \
         body: application/json (21 bytes) }"
    );

    req.form_body(vec![("password", "pass-w0rd".into())]);
    let debug = format!("{req:?}");
    assert!(debug.contains("body: form (1 fields)"), "{debug}");
    assert!(
        !debug.contains("pass-w0rd") && !debug.contains("password"),
        "{debug}"
    );

    req.multipart_body(vec![
        Part::text("note", "pass-w0rd"),
        Part::bytes("file", Bytes::from_static(b"pass-w0rd"), None, None),
    ]);
    let debug = format!("{req:?}");
    assert!(debug.contains("body: multipart (2 parts)"), "{debug}");
    assert!(!debug.contains("pass-w0rd"), "{debug}");

    req.text_body("pass-w0rd".into(), "text/plain");
    let debug = format!("{req:?}");
    assert!(debug.contains("body: text/plain (9 bytes)"), "{debug}");
    assert!(!debug.contains("pass-w0rd"), "{debug}");

    let empty = Request::new(&SEARCH, "/things/search".into());
    assert!(format!("{empty:?}").contains("body: none"), "{empty:?}");
}
