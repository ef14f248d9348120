//! Copied by tests/tests/e2e.rs into the crate generated from the full HeyGen
//! spec, and run there: the generated operations against a local HTTP server,
//! with tokio's paused clock so that backoff and polling cost no wall time.

use std::time::Duration;

use futures_util::StreamExt;
use heygen::types::*;
use serde_json::json;
use wiremock::matchers::{header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A client for the mock server. No request timeout: with the paused clock a
/// timer would fire while the request waits on the socket.
async fn client(server: &MockServer) -> heygen::Client {
    let http = reqwest::Client::builder().pool_idle_timeout(None).build().unwrap();
    heygen::Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .http_client(http)
        .disable_timeouts()
        .build()
        .unwrap()
}

fn video(id: &str, status: &str) -> serde_json::Value {
    json!({"id": id, "status": status, "failure_code": null, "failure_message": null})
}

#[tokio::test(start_paused = true)]
async fn a_three_page_list_streams_in_order() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let data: Vec<_> = ids.iter().map(|id| video(id, "completed")).collect();
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "has_more": next.is_some(), "next_token": next}))
    };
    Mock::given(method("GET")).and(path("/v3/videos")).and(query_param("token", "t2"))
        .respond_with(page(&["c"], None)).mount(&server).await;
    Mock::given(method("GET")).and(path("/v3/videos")).and(query_param("token", "t1"))
        .respond_with(page(&["b1", "b2"], Some("t2"))).mount(&server).await;
    Mock::given(method("GET")).and(path("/v3/videos")).and(query_param("limit", "2"))
        .respond_with(page(&["a1", "a2"], Some("t1"))).with_priority(10).mount(&server).await;
    let client = client(&server).await;
    let ids: Vec<String> = client
        .videos()
        .list_videos()
        .limit(2)
        .stream()
        .map(|item| item.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["a1", "a2", "b1", "b2", "c"]);
}

#[tokio::test(start_paused = true)]
async fn an_upload_sends_one_file_part_and_an_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v3/assets")).and(header_exists("idempotency-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"asset_id": "as_1", "url": "https://cdn.test/as_1.png", "mime_type": "image/png", "size_bytes": 7}})))
        .mount(&server).await;
    let client = client(&server).await;
    let file = heygen::FileUpload::from_bytes(b"PNGDATA".to_vec(), "logo.png").mime_type("image/png");
    let uploaded = client.assets().upload_asset(file).await.unwrap();
    assert_eq!(serde_json::to_value(&uploaded).unwrap()["asset_id"], "as_1");

    let requests = server.received_requests().await.unwrap();
    let body = String::from_utf8_lossy(&requests[0].body);
    assert!(body.contains("name=\"file\"; filename=\"logo.png\""), "{body}");
    assert!(body.contains("Content-Type: image/png"), "{body}");
    assert!(body.contains("PNGDATA"), "{body}");
    let key = requests[0].headers.get("idempotency-key").unwrap().to_str().unwrap();
    assert_eq!(key.len(), 36, "a UUID: {key}");
}

#[tokio::test(start_paused = true)]
async fn a_create_is_retried_after_500_with_the_same_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": {"code": "internal_error", "message": "boom"}})))
        .up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).and(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"video_id": "v_1", "status": "waiting"}})))
        .mount(&server).await;
    let client = client(&server).await;
    let body: CreateVideoV3RequestBody =
        serde_json::from_value(json!({"type": "avatar", "avatar_id": "av_1", "script": "Hello"})).unwrap();
    assert!(matches!(body, CreateVideoV3RequestBody::Avatar(_)), "{body:?}");
    client.videos().create_video(body).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let keys: Vec<_> = requests.iter().map(|r| r.headers.get("idempotency-key").unwrap().clone()).collect();
    assert_eq!(keys[0], keys[1]);
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent["type"], "avatar", "the tag is written once, by the union: {sent}");
}

#[tokio::test(start_paused = true)]
async fn waiting_for_a_video_ends_in_completed() {
    let server = MockServer::start().await;
    let polls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = polls.clone();
    Mock::given(method("GET")).and(path("/v3/videos/v_1"))
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let status = if n < 2 { "processing" } else { "completed" };
            ResponseTemplate::new(200).set_body_json(json!({"data": video("v_1", status)}))
        })
        .mount(&server).await;
    let client = client(&server).await;
    let started = tokio::time::Instant::now();
    let done = client.videos().get_video_until_done("v_1", heygen::WaitOptions::default()).await.unwrap();
    assert_eq!(done.status, VideoStatus::Completed);
    assert_eq!(polls.load(std::sync::atomic::Ordering::SeqCst), 3);
    assert!(started.elapsed() >= Duration::from_secs(4), "two waits of at least 2 s");
}

#[tokio::test(start_paused = true)]
async fn waiting_for_a_video_reports_its_failure() {
    let server = MockServer::start().await;
    let failed = json!({"data": {"id": "v_1", "status": "failed", "failure_code": "avatar_not_found", "failure_message": "no such avatar"}});
    Mock::given(method("GET")).and(path("/v3/videos/v_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(failed)).mount(&server).await;
    let client = client(&server).await;
    match client.videos().get_video_until_done("v_1", heygen::WaitOptions::default()).await {
        Err(heygen::Error::WaitFailed { code, message, .. }) => {
            assert_eq!(code.as_deref(), Some("avatar_not_found"));
            assert_eq!(message.as_deref(), Some("no such avatar"));
        }
        other => panic!("expected WaitFailed, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_declared_404_is_a_typed_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v3/videos/missing"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-request-id", "req_9")
            .set_body_json(json!({"error": {"code": "not_found", "message": "Video not found", "param": null, "doc_url": null}})))
        .mount(&server).await;
    let client = client(&server).await;
    let error = client.videos().get_video("missing").await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.code(), Some("not_found"));
    assert_eq!(error.request_id(), Some("req_9"));
}

#[tokio::test(start_paused = true)]
async fn a_legacy_v2_error_decodes_through_the_legacy_namespace() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v2/videos/v_1"))
        .respond_with(ResponseTemplate::new(404)
            .set_body_json(json!({"data": null, "error": {"code": "video_not_found", "message": "gone"}})))
        .mount(&server).await;
    let client = client(&server).await;
    let error = client.legacy().videos().get_video("v_1").await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.code(), Some("video_not_found"));
}
