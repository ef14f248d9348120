//! The generated client's public API, as a user meets it, over HTTP against
//! wiremock: request builders and their per-call options (headers, query,
//! attempt timeout, overall deadline, retries, idempotency key), the raw
//! response, owned streams, and how request types are built (constructors,
//! setters, `From` for union variants, `FromStr` for enums, PATCH nulls).

use std::time::Duration;

use futures_util::{Stream, TryStreamExt};
use heygen::types::{
    AssetId, AssetUrlOrIdOrBase64, CreateVideoFromAvatar, CreateVideoFromImage,
    CreateVideoV3RequestBody, UpdateAvatarLookRequest, VideoDetail, VideoStatus,
};
use heygen::{Client, Error, RetryPolicy};
use serde_json::{json, Value};
use tokio::time::Instant;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk-client-api-test";

async fn server() -> MockServer {
    MockServer::builder().start().await
}

/// A client whose only timers are the runtime's own (fit for a paused clock).
fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .disable_timeouts()
        .retry_policy(RetryPolicy::default().max_retries(2))
        .http_client(
            reqwest::Client::builder()
                .pool_idle_timeout(None)
                .build()
                .expect("reqwest client"),
        )
        .build()
        .expect("client")
}

fn video(id: &str) -> Value {
    json!({"id": id, "status": "completed"})
}

fn page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let data: Vec<Value> = ids.iter().map(|id| video(id)).collect();
    ResponseTemplate::new(200)
        .set_body_json(json!({"data": data, "has_more": next.is_some(), "next_token": next}))
}

fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ascii header").to_owned())
        .collect()
}

#[tokio::test]
async fn per_call_headers_and_query_parameters_are_sent() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v3/videos"))
        .and(query_param("limit", "5"))
        .and(query_param("debug", "1"))
        .and(header("x-trace-id", "trace-7"))
        .respond_with(page(&["v_1"], None))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server)
        .videos()
        .list_videos()
        .limit(5)
        .header("x-trace-id", "trace-7")
        .query("debug", "1")
        .await
        .expect("the mock matches only with the header and both query parameters");
    assert_eq!(page.data.len(), 1);
}

#[tokio::test]
async fn an_idempotency_key_set_on_the_call_is_sent_once_on_every_attempt() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": {"video_id": "v_9", "status": "waiting"}})),
        )
        .mount(&server)
        .await;

    let created = client(&server)
        .videos()
        .create_video(CreateVideoFromAvatar::new("av_1").script("Hi"))
        .idempotency_key("order-42")
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::ZERO))
        .await
        .expect("the retry succeeds");
    assert_eq!(created.video_id, "v_9");

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(header_values(request, "idempotency-key"), ["order-42"]);
    }
    // The body was built from the constructor, the setter and the union's `From`.
    let sent: Value = serde_json::from_slice(&requests[0].body).expect("json body");
    assert_eq!(
        sent,
        json!({"type": "avatar", "avatar_id": "av_1", "script": "Hi"})
    );
}

#[tokio::test(start_paused = true)]
async fn max_retries_on_the_call_overrides_the_client() {
    let server = server().await;
    Mock::given(path("/v3/videos/v_1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let client = client(&server);

    let error = client
        .videos()
        .get_video("v_1")
        .max_retries(0)
        .await
        .expect_err("500");
    assert_eq!(error.status(), Some(500));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    client
        .videos()
        .get_video("v_1")
        .max_retries(4)
        .await
        .expect_err("500");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1 + 5,
        "one attempt and four retries"
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_policy_on_the_call_replaces_the_client_s() {
    let server = server().await;
    Mock::given(path("/v3/videos/v_1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;

    client(&server)
        .videos()
        .get_video("v_1")
        .retry_policy(RetryPolicy::default().max_retries(3))
        .await
        .expect_err("500");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1 + 3,
        "one attempt and three retries, where the client would make two"
    );
}

/// HeyGen adds fields to its responses: a key this version does not declare
/// (whatever its value) is skipped, before, between or after known ones.
#[tokio::test]
async fn undeclared_response_fields_are_skipped() {
    let server = server().await;
    let body = r#"{"data": {
        "new_first": {"nested": [1, {"deep": null}], "s": "x"},
        "id": "v_1",
        "new_list": [[], {}, "}", 2.5],
        "status": "completed",
        "new_last": true
    }}"#;
    Mock::given(path("/v3/videos/v_1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let video = client(&server)
        .videos()
        .get_video("v_1")
        .await
        .expect("decodes");
    assert_eq!(video.id, "v_1");
    assert_eq!(video.status, VideoStatus::Completed);
}

#[tokio::test(start_paused = true)]
async fn the_timeout_of_a_call_bounds_each_attempt() {
    let server = server().await;
    Mock::given(path("/v3/videos/v_1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": video("v_1")}))
                .set_delay(Duration::from_secs(30)),
        )
        .mount(&server)
        .await;

    let start = Instant::now();
    let error = client(&server)
        .videos()
        .get_video("v_1")
        .timeout(Duration::from_secs(3))
        .max_retries(0)
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout), "{error:?}");
    assert_eq!(start.elapsed(), Duration::from_secs(3));
}

/// On the real clock: a paused clock would jump straight to the deadline
/// while the first attempt waits for the network.
#[tokio::test]
async fn the_deadline_of_a_call_bounds_every_attempt_and_wait_together() {
    let server = server().await;
    Mock::given(path("/v3/videos/v_1"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .mount(&server)
        .await;

    let start = std::time::Instant::now();
    let error = client(&server)
        .videos()
        .get_video("v_1")
        .max_retries(10)
        .deadline(Duration::from_millis(2500))
        .await
        .expect_err("the deadline passes");
    let elapsed = start.elapsed();
    assert!(matches!(error, Error::Timeout), "{error:?}");
    // Attempts at about 0, 1 and 2 s; ten retries would take ten seconds.
    assert!(elapsed >= Duration::from_millis(2500), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(8), "{elapsed:?}");
    let attempts = server.received_requests().await.unwrap().len();
    assert!((2..=4).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn the_raw_response_comes_with_the_value_on_request() {
    let server = server().await;
    Mock::given(path("/v3/videos/v_1"))
        .respond_with(
            // Not 200, so that the status is seen to come from the response.
            ResponseTemplate::new(202)
                .insert_header("x-request-id", "req_123")
                .insert_header("x-ratelimit-remaining", "41")
                .set_body_json(json!({"data": video("v_1")})),
        )
        .mount(&server)
        .await;

    let response = client(&server)
        .videos()
        .get_video("v_1")
        .send_with_response()
        .await
        .expect("202");
    assert_eq!(response.status(), 202);
    assert_eq!(response.request_id(), Some("req_123"));
    assert_eq!(response.headers()["x-ratelimit-remaining"], "41");
    assert_eq!(response.value().id, "v_1");
    assert_eq!(response.into_value().status, VideoStatus::Completed);
}

/// A stream that outlives the client it came from: what a user returns from a
/// function that builds its own client.
fn every_video(
    base_url: String,
) -> impl Stream<Item = heygen::Result<VideoDetail>> + Send + 'static {
    let client = Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .build()
        .expect("client");
    client.videos().list_videos().limit(2).stream()
}

#[tokio::test]
async fn a_list_stream_owns_its_client_and_can_be_spawned() {
    let server = server().await;
    Mock::given(path("/v3/videos"))
        .and(query_param("token", "t1"))
        .respond_with(page(&["c"], None))
        .mount(&server)
        .await;
    Mock::given(path("/v3/videos"))
        .respond_with(page(&["a", "b"], Some("t1")))
        .with_priority(10)
        .mount(&server)
        .await;

    let stream = every_video(server.uri());
    let ids = tokio::spawn(async move {
        stream
            .map_ok(|video| video.id)
            .try_collect::<Vec<String>>()
            .await
    })
    .await
    .expect("joined")
    .expect("every page");
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_group_handle_can_outlive_the_client_expression_it_came_from() {
    let server = server().await;
    Mock::given(path("/v3/videos/v_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": video("v_1")})))
        .mount(&server)
        .await;
    // `with_timeout` returns a new client; the handle keeps it alive.
    let videos = client(&server)
        .with_timeout(Duration::from_secs(30))
        .videos();
    let call = videos.get_video("v_1");
    drop(videos);
    assert_eq!(call.await.expect("200").id, "v_1");
}

#[test]
fn request_types_are_built_with_constructors_setters_and_conversions() {
    // A union takes any of its variants through `From`.
    let image: AssetUrlOrIdOrBase64 = AssetId::new("as_1").into();
    let request = CreateVideoFromImage::new(image)
        .title("Talking")
        .voice_id("vo_1");
    let body: CreateVideoV3RequestBody = request.into();
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({
            "type": "image",
            "title": "Talking",
            "voice_id": "vo_1",
            "image": {"type": "asset_id", "asset_id": "as_1"}
        })
    );

    // Enums parse from and print as their wire value, and keep unknown ones.
    let status: VideoStatus = "completed".parse().unwrap();
    assert_eq!(status, VideoStatus::Completed);
    assert_eq!(status.to_string(), "completed");
    assert_eq!(status.as_str(), "completed");
    let later: VideoStatus = "archived".parse().unwrap();
    assert_eq!(later, VideoStatus::Unknown("archived".into()));
    assert_eq!(later.as_str(), "archived");

    // PATCH: unset fields are left out, a cleared one is sent as null.
    let patch = UpdateAvatarLookRequest::new();
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({}));
    let patch = UpdateAvatarLookRequest::new().name("Studio look");
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"name": "Studio look"})
    );
    let patch = UpdateAvatarLookRequest::new().clear_name();
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({"name": null}));
}
