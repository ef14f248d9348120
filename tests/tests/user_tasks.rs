//! The everyday tasks a new user does, written against the public API of the
//! committed `heygen` crate only (nothing from its internals, no hand-written
//! HTTP), each against a local mock of HeyGen: create a video and wait; upload
//! an asset and reuse it; list everything; translate, patch, clear a nullable
//! field; errors and per-call options; client configuration. (Webhooks and
//! downloads have their own test files.)

use std::time::Duration;

use heygen::futures_util::TryStreamExt;
use heygen::types::{
    AssetId, AssetUrl, CreateVideoFromAvatar, CreateVideoFromImage, CreateVideoTranslationRequest,
    UpdateWebhookEndpointRequest, VideoStatus, WebhookEventType,
};
use heygen::{Client, Error, RetryPolicy, WaitOptions};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn heygen() -> MockServer {
    MockServer::builder().start().await
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("sk-user")
        .base_url(server.uri())
        .build()
        .expect("client")
}

fn ok(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "data": data }))
}

#[tokio::test]
async fn create_a_video_and_wait_for_it() {
    let server = heygen().await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .and(body_json(json!({
            "type": "avatar", "avatar_id": "av_1", "script": "Hello", "voice_id": "vo_1"
        })))
        .respond_with(ok(json!({"video_id": "v_1", "status": "waiting"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/videos/v_1"))
        .respond_with(ok(json!({
            "id": "v_1", "status": "completed", "video_url": "https://files.example/v_1.mp4"
        })))
        .mount(&server)
        .await;

    let client = client(&server);
    let request = CreateVideoFromAvatar::new("av_1")
        .script("Hello")
        .voice_id("vo_1");
    let created = client
        .videos()
        .create_video(request)
        .await
        .expect("created");
    let video = client
        .videos()
        .get_video_until_done(
            &created.video_id,
            WaitOptions::new().initial_interval(Duration::ZERO),
        )
        .await
        .expect("completed");
    assert_eq!(video.status, VideoStatus::Completed);
    assert_eq!(
        video.video_url.as_deref(),
        Some("https://files.example/v_1.mp4")
    );
}

#[tokio::test]
async fn upload_an_asset_and_reuse_it() {
    let server = heygen().await;
    Mock::given(method("POST"))
        .and(path("/v3/assets"))
        .respond_with(ok(json!({
            "asset_id": "as_1", "url": "https://files.example/as_1.png",
            "mime_type": "image/png", "size_bytes": 4
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .and(body_json(json!({
            "type": "image", "image": {"type": "asset_id", "asset_id": "as_1"}, "script": "Hi"
        })))
        .respond_with(ok(json!({"video_id": "v_2", "status": "waiting"})))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let file = heygen::FileUpload::from_bytes(b"\x89PNG".to_vec(), "me.png");
    let asset = client.assets().upload_asset(file).await.expect("uploaded");
    let request = CreateVideoFromImage::new(AssetId::new(asset.asset_id)).script("Hi");
    let created = client
        .videos()
        .create_video(request)
        .await
        .expect("created");
    assert_eq!(created.video_id, "v_2");
}

#[tokio::test]
async fn list_everything() {
    let server = heygen().await;
    Mock::given(path("/v3/videos"))
        .and(query_param("token", "next"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "v_3", "status": "failed"}], "has_more": false, "next_token": null
        })))
        .mount(&server)
        .await;
    Mock::given(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "v_1", "status": "completed"}, {"id": "v_2", "status": "processing"}],
            "has_more": true, "next_token": "next"
        })))
        .with_priority(10)
        .mount(&server)
        .await;

    let all: Vec<_> = client(&server)
        .videos()
        .list_videos()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<&str> = all.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["v_1", "v_2", "v_3"]);
}

#[tokio::test]
async fn translate_patch_and_clear_a_nullable_field() {
    let server = heygen().await;
    Mock::given(method("POST"))
        .and(path("/v3/video-translations"))
        .and(body_json(json!({
            "video": {"type": "url", "url": "https://files.example/talk.mp4"},
            "output_languages": ["Spanish (Spain)"]
        })))
        .respond_with(ok(json!({"video_translation_ids": ["vt_1"]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v3/webhooks/endpoints/we_1"))
        .and(body_json(json!({"url": null, "events": ["avatar_video.success"]})))
        .respond_with(ok(json!({
            "endpoint_id": "we_1", "url": "https://hooks.example/old",
            "events": ["avatar_video.success"], "status": "enabled", "created_at": "2026-11-30T00:00:00Z"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let request = CreateVideoTranslationRequest::new(
        AssetUrl::new("https://files.example/talk.mp4"),
        vec!["Spanish (Spain)".to_string()],
    );
    let created = client
        .video_translate()
        .create_video_translation(request)
        .await
        .expect("created");
    assert_eq!(created.video_translation_ids, ["vt_1"]);

    // `clear_url` sends an explicit null; fields never set are left out.
    let patch = UpdateWebhookEndpointRequest::new()
        .clear_url()
        .events(vec![WebhookEventType::AvatarVideoSuccess]);
    client
        .webhooks()
        .update_webhook_endpoint("we_1", patch)
        .await
        .expect("the mock matches the exact body");
}

#[tokio::test]
async fn errors_and_per_call_options() {
    let server = heygen().await;
    Mock::given(path("/v3/videos/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "not_found", "message": "Video not found"}
        })))
        .mount(&server)
        .await;
    Mock::given(path("/v3/videos"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_json(
                    json!({"error": {"code": "rate_limit_exceeded", "message": "slow down"}}),
                ),
        )
        .mount(&server)
        .await;

    let client = client(&server);
    let error = client.videos().get_video("missing").await.expect_err("404");
    assert!(error.is_not_found());
    assert_eq!(error.code(), Some("not_found"));

    // No retries for this one call: the 429 comes back at once, with its delay.
    let error = client
        .videos()
        .list_videos()
        .max_retries(0)
        .header("x-trace-id", "task-6")
        .await
        .expect_err("429");
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    match error {
        Error::Api(api) => assert_eq!(api.message.as_deref(), Some("slow down")),
        other => panic!("{other:?}"),
    }
    let requests = server.received_requests().await.expect("recorded");
    let listed = requests
        .iter()
        .filter(|r| r.url.path() == "/v3/videos")
        .collect::<Vec<_>>();
    assert_eq!(listed.len(), 1, "max_retries(0) on the call");
    assert_eq!(listed[0].headers["x-trace-id"], "task-6");
}

#[tokio::test]
async fn configure_the_client() {
    let server = heygen().await;
    Mock::given(path("/v3/users/me"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;

    let client = Client::builder()
        .bearer_token("oauth-token")
        .base_url(server.uri())
        .user_agent("my-app/2.0")
        .timeout(Duration::from_secs(20))
        .retry_policy(
            RetryPolicy::default()
                .max_retries(1)
                .initial_backoff(Duration::ZERO),
        )
        .default_header("x-team", "video")
        .build()
        .expect("client");
    let error = client.user().get_user_me().await.expect_err("503");
    assert_eq!(error.status(), Some(503));

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2, "one retry");
    for request in &requests {
        assert_eq!(request.headers["authorization"], "Bearer oauth-token");
        assert_eq!(request.headers["user-agent"], "my-app/2.0");
        assert_eq!(request.headers["x-team"], "video");
        assert!(request.headers.get("x-api-key").is_none());
    }
}
