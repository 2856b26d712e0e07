//! The client `build.rs` generates, against a mock of the shop: what a user of the
//! `Builder` gets without checking generated code in.

use bookshop::models::{Author, Book, Genre, Hit};
use bookshop::operations::{DownloadBookSuccess, GetBookError, ListBooksParams, UploadCoverForm};
use bookshop::runtime::StreamExt;
use bookshop::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key("shop-key")
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_book_with_members_the_spec_does_not_list_goes_back_unchanged() {
    let server = MockServer::start().await;
    let stored = json!({
        "id": "b1",
        "title": "Dune",
        "genre": "poetry",
        "isbn": "978-0441013593",
        "author": {"name": "Frank Herbert", "born": "1920-10-08", "website": {"url": "https://example.com"}},
        "price": 9.5
    });
    Mock::given(method("GET"))
        .and(path("/books/b1"))
        .and(header("x-api-key", "shop-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&stored))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/books/b1"))
        .and(body_json(&stored))
        .respond_with(ResponseTemplate::new(200).set_body_json(&stored))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;

    let book = client.get_book("b1").await.expect("get").into_inner();
    assert_eq!(book.title, "Dune");
    assert!(
        matches!(book.genre, Some(Genre::Unknown(_))),
        "{:?}",
        book.genre
    );
    assert_eq!(book.unknown_fields.len(), 1);
    let author = book.author.as_ref().expect("author");
    assert_eq!(
        author.born.map(|d| d.to_string()).as_deref(),
        Some("1920-10-08")
    );
    assert_eq!(author.unknown_fields.len(), 1);

    // The mock matches the PUT only if its body equals what the GET returned.
    let again = client.put_book("b1", &book).await.expect("put");
    assert_eq!(*again, book);
}

#[tokio::test]
async fn documented_errors_are_typed_and_carry_the_trace_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/books/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "code": "not_found", "message": "no such book", "traceId": "t-42"
        })))
        .mount(&server)
        .await;
    let err = client(&server).await.get_book("missing").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.tracking_id(), Some("t-42"));
    let api = err.api().expect("an API error");
    assert!(matches!(&api.body, Some(GetBookError::NotFound(p)) if p.code == "not_found"));
    assert!(err.to_string().contains("t-42"), "{err}");
}

#[tokio::test]
async fn query_parameters_follow_their_styles_and_pages_are_walked() {
    let server = MockServer::start().await;
    let page = |ids: &[&str]| {
        ResponseTemplate::new(200).set_body_json(
            ids.iter()
                .map(|id| json!({"id": id, "title": id}))
                .collect::<Vec<_>>(),
        )
    };
    for (offset, ids) in [("0", &["a", "b"][..]), ("2", &["c"][..])] {
        Mock::given(method("GET"))
            .and(path("/books"))
            .and(query_param("limit", "2"))
            .and(query_param("offset", offset))
            .and(query_param("genre", "history"))
            // `explode: false`: one comma-separated value.
            .and(query_param("tags", "old,maps"))
            // `style: deepObject`.
            .and(query_param("published[after]", "1900-01-01"))
            .respond_with(page(ids))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server).await;
    let params = ListBooksParams {
        limit: Some(2),
        genre: Some(Genre::History),
        tags: Some(vec!["old".into(), "maps".into()]),
        published: Some(bookshop::models::ListBooksPublished {
            after: "1900-01-01".parse().ok(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let ids: Vec<String> = client
        .list_books_stream(&params, None)
        .map(|b| b.expect("page").id)
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_union_decodes_as_the_variant_that_fits_best() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("q", "dune & co"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "b1", "title": "Dune"},
            {"name": "Frank Herbert"},
            {"name": "Brian Herbert", "born": "1947-06-29"},
            42
        ])))
        .mount(&server)
        .await;
    let hits = client(&server)
        .await
        .search_catalogue("dune & co")
        .await
        .expect("search")
        .into_inner();
    assert!(matches!(&hits[0], Hit::Book(Book { title, .. }) if title == "Dune"));
    assert!(matches!(&hits[1], Hit::Author(Author { name, .. }) if name == "Frank Herbert"));
    assert!(matches!(
        &hits[2],
        Hit::Author(Author { born: Some(_), .. })
    ));
    // A value no variant describes is kept, and encodes back as it came.
    assert!(matches!(&hits[3], Hit::Other(_)));
    assert_eq!(serde_json::to_value(&hits[3]).expect("encode"), json!(42));
}

#[tokio::test]
async fn redirects_are_followed_unless_the_http_client_is_told_not_to() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/books/b1/download"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/files/b1.epub", server.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/b1.epub"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"EPUB".to_vec()))
        .mount(&server)
        .await;

    let followed = client(&server)
        .await
        .download_book("b1")
        .await
        .expect("download");
    assert!(matches!(&*followed, DownloadBookSuccess::Followed(b) if &b[..] == b"EPUB"));

    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let client = Client::builder()
        .base_url(server.uri())
        .http_client(no_redirects)
        .build()
        .expect("client");
    let found = client.download_book("b1").await.expect("download");
    assert!(matches!(*found, DownloadBookSuccess::Found));
    assert_eq!(
        found.location(),
        Some(format!("{}/files/b1.epub", server.uri()).as_str())
    );
}

#[tokio::test]
async fn a_cover_is_uploaded_as_multipart() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/books/b1/cover"))
        .and(|req: &Request| {
            let body = String::from_utf8_lossy(&req.body);
            req.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("multipart/form-data; boundary="))
                && body.contains("name=\"image\"")
                && body.contains("PNGDATA")
                && body.contains("name=\"caption\"")
                && body.contains("The cover")
        })
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let mut form = UploadCoverForm::new(bookshop::runtime::Bytes::from_static(b"PNGDATA"));
    form.caption = Some("The cover".into());
    client(&server)
        .await
        .upload_cover("b1", &form)
        .await
        .expect("upload");
}

#[test]
fn the_environment_configures_the_client_and_names_what_is_missing() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    };
    let client = bookshop::ClientBuilder::from_env_with(vars(&[
        ("BOOKSHOP_BASE_URL", "https://us.bookshop.example/v1/"),
        ("BOOKSHOP_API_KEY", "k"),
    ]))
    .expect("from env")
    .build()
    .expect("client");
    assert_eq!(client.base_url(), "https://us.bookshop.example/v1");
    // Debug never shows the key.
    assert!(!format!("{client:?}").contains("\"k\""));

    // Without a base URL the first server, with its variable's default, is used.
    let client = Client::builder().build().expect("client");
    assert_eq!(client.base_url(), "https://eu.bookshop.example/v1");
    let client = Client::builder().region("us").build().expect("client");
    assert_eq!(client.base_url(), "https://us.bookshop.example/v1");
    let err = Client::builder().region("mars").build().unwrap_err();
    assert!(err.to_string().contains("region"), "{err}");
}

#[test]
fn errors_name_the_operation() {
    // A transport error (nothing listens on port 9) still names the operation.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .retry_policy(bookshop::runtime::RetryPolicy::none())
        .build()
        .expect("client");
    let err: Error<GetBookError> = rt.block_on(client.get_book("b1")).unwrap_err();
    assert_eq!(err.operation(), Some("getBook"));
}
