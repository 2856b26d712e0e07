//! The bookshop client's own typed mock server (`--features test-util`): a user's test
//! that repeats nothing the spec already says.
#![cfg(feature = "test-util")]

use bookshop::models::{Book, Hit};
use bookshop::testing::MockServer;

#[tokio::test]
async fn mocks_answer_from_the_spec_and_check_the_request() {
    let mock = MockServer::start().await;
    let book: Book =
        serde_json::from_value(serde_json::json!({"id": "b1", "title": "Dune"})).unwrap();
    mock.get_book()
        .book_id("b1")
        .respond(200, &book)
        .times(1)
        .await;
    mock.search_catalogue()
        .q("dune")
        .respond(200, &serde_json::json!([{"name": "Frank Herbert"}]))
        .await;

    // The mock's client sends credentials of a kind the API accepts.
    let client = mock.client();
    assert_eq!(client.get_book("b1").await.unwrap().into_inner(), book);
    let hits = client.search_catalogue("dune").await.unwrap();
    assert!(matches!(hits[0], Hit::Author(_)));
    let received = mock.inner().received_requests().await;
    assert!(received.iter().all(|r| {
        r.headers.get("x-api-key").is_some() || r.headers.get("authorization").is_some()
    }));
}
