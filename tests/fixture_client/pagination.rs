//! Copied by tests/tests/pagination.rs into the crate generated from
//! tests/fixtures/pagination: `stream()` follows pages whose items and cursor
//! sit in `data` (`data.items`, `data.next_token`, `data.has_more`).

use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> heygen::Client {
    heygen::Client::builder()
        .api_key("sk-test")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

async fn page(
    server: &MockServer,
    at: &str,
    cursor: (&str, Option<&str>),
    body: serde_json::Value,
) {
    let mock = Mock::given(method("GET")).and(path(at));
    let mock = match cursor {
        (name, Some(value)) => mock.and(query_param(name, value)),
        (name, None) => mock.and(query_param_is_missing(name)),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn stream_follows_next_token_until_has_more_is_false() {
    let server = MockServer::start().await;
    let cursor = "token";
    page(
        &server,
        "/v3/batches",
        (cursor, None),
        json!({"data": {
        "items": [{"id": "b1"}, {"id": "b2"}], "has_more": true, "next_token": "t2"}}),
    )
    .await;
    page(
        &server,
        "/v3/batches",
        (cursor, Some("t2")),
        json!({"data": {
        "items": [], "has_more": true, "next_token": "t3"}}),
    )
    .await;
    // has_more false ends the walk even with a token.
    page(
        &server,
        "/v3/batches",
        (cursor, Some("t3")),
        json!({"data": {
        "items": [{"id": "b3"}], "has_more": false, "next_token": "t4"}}),
    )
    .await;

    let ids: Vec<String> = client(&server)
        .batches()
        .list_batches()
        .limit(2)
        .stream()
        .map(|batch| batch.unwrap().id)
        .collect()
        .await;

    assert_eq!(ids, ["b1", "b2", "b3"]);
}

#[tokio::test]
async fn stream_without_has_more_stops_on_a_missing_token() {
    let server = MockServer::start().await;
    let at = "/v3/batches/bt_1";
    page(
        &server,
        at,
        ("next_token", None),
        json!({"data": {
        "id": "bt_1", "items": [{"video_id": "v1"}], "next_token": "n2"}}),
    )
    .await;
    page(
        &server,
        at,
        ("next_token", Some("n2")),
        json!({"data": {
        "id": "bt_1", "items": [{"video_id": "v2"}]}}),
    )
    .await;

    let videos: Vec<String> = client(&server)
        .batches()
        .get_batch("bt_1")
        .stream()
        .map(|item| item.unwrap().video_id)
        .collect()
        .await;

    assert_eq!(videos, ["v1", "v2"]);
}
