//! The client's credentials (API key or bearer token) and default headers go
//! only to the base URL's origin.
//!
//! Each test starts two wiremock servers, the API (the client's base URL) and
//! a foreign one (another port of 127.0.0.1, so another origin), sends the
//! same requests through every public way of making one to both, and asserts
//! that the foreign server saw no credential while the API saw it on every
//! request, so that no test can pass by sending nothing.

use std::time::Duration;

use heygen::{Client, ClientBuilder, Error, FileUpload, Method, Multipart, Request, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-credentials-test-key";
const TOKEN: &str = "oauth-credentials-test-token";

/// Every header that carries a credential in these tests.
const SECRET_HEADERS: &[&str] = &["x-api-key", "authorization", "x-proxy-secret"];

async fn server() -> MockServer {
    // Not the pooled `MockServer::start()`: each test sees its own requests.
    MockServer::builder().start().await
}

/// A server that answers everything with `200 {}`.
async fn answering_server() -> MockServer {
    let server = server().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

fn builder(api: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(api.uri())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
}

/// Asserts that `server` got `count` requests and none carried a secret.
async fn assert_no_secrets(server: &MockServer, count: usize) {
    let requests = received(server).await;
    for request in &requests {
        for name in SECRET_HEADERS {
            assert_eq!(
                header(request, name),
                None,
                "`{name}` sent to another origin: {} {}",
                request.method,
                request.url
            );
        }
    }
    assert_eq!(requests.len(), count, "requests to {}", server.uri());
}

/// Asserts that `server` got `count` requests, each with `name: value`.
async fn assert_every_request_has(server: &MockServer, count: usize, name: &str, value: &str) {
    let requests = received(server).await;
    assert_eq!(requests.len(), count, "requests to {}", server.uri());
    for request in &requests {
        assert_eq!(
            header(request, name),
            Some(value),
            "`{name}` on {} {}",
            request.method,
            request.url
        );
    }
}

/// Sends one request through every public way of sending one, each to a
/// path under `base` (an absolute URL, or "" for paths relative to the base
/// URL), and returns how many requests that makes.
async fn send_every_way(client: &Client, base: &str) -> usize {
    let url = |route: &str| format!("{base}/{route}");
    let _: Value = client
        .send_json(Request::new(Method::GET, url("json")).header("x-explicit", "1"))
        .await
        .expect("send_json");
    client
        .send_bytes(Request::new(Method::GET, url("bytes")))
        .await
        .expect("send_bytes");
    client
        .send_text(Request::new(Method::GET, url("text")))
        .await
        .expect("send_text");
    client
        .send_empty(Request::new(Method::DELETE, url("empty")))
        .await
        .expect("send_empty");
    let _: Value = client.get_json(&url("get")).await.expect("get_json");
    let _: Value = client
        .request_json(Method::POST, &url("request"), Some(&json!({"a": 1})))
        .await
        .expect("request_json");
    let _: Value = client
        .send_json(
            Request::new(Method::POST, url("idempotent"))
                .json(&json!({"a": 1}))
                .idempotent(),
        )
        .await
        .expect("idempotent POST");
    // Uploads: a multipart form, a raw file body, a one-shot stream.
    let form = Multipart::new()
        .text("title", "clip")
        .file("file", FileUpload::from_bytes(vec![1u8; 32], "clip.mp4"));
    let _: Value = client
        .send_json(
            Request::new(Method::POST, url("multipart"))
                .multipart(form)
                .upload(),
        )
        .await
        .expect("multipart upload");
    let file = FileUpload::from_bytes(vec![2u8; 32], "still.png");
    let _: Value = client
        .send_json(
            Request::new(Method::PUT, url("file"))
                .file_body(file)
                .upload(),
        )
        .await
        .expect("file upload");
    let chunks = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(b"chunk".to_vec())]);
    let stream = FileUpload::from_stream(chunks, "live.mp4", None);
    let _: Value = client
        .send_json(
            Request::new(Method::POST, url("stream"))
                .file_body(stream)
                .upload(),
        )
        .await
        .expect("stream upload");
    10
}

#[tokio::test]
async fn the_api_key_goes_only_to_the_api_origin() {
    let (api, foreign) = (answering_server().await, answering_server().await);
    let client = builder(&api).build().unwrap();

    let sent = send_every_way(&client, &foreign.uri()).await;
    assert_no_secrets(&foreign, sent).await;
    // Headers the caller set on the request go where the request goes.
    assert_eq!(
        header(&received(&foreign).await[0], "x-explicit"),
        Some("1")
    );

    // The same calls to the API, by relative path and by absolute URL, carry
    // the key: the foreign server got none because it is another origin.
    send_every_way(&client, "").await;
    send_every_way(&client, &api.uri()).await;
    assert_every_request_has(&api, 2 * sent, "x-api-key", KEY).await;
}

#[tokio::test]
async fn a_bearer_token_goes_only_to_the_api_origin() {
    let (api, foreign) = (answering_server().await, answering_server().await);
    let client = builder(&api).bearer_token(TOKEN).build().unwrap();

    let sent = send_every_way(&client, &foreign.uri()).await;
    assert_no_secrets(&foreign, sent).await;

    send_every_way(&client, "").await;
    assert_every_request_has(&api, sent, "authorization", &format!("Bearer {TOKEN}")).await;
}

#[tokio::test]
async fn default_headers_go_only_to_the_api_origin() {
    let (api, foreign) = (answering_server().await, answering_server().await);
    let client = builder(&api)
        .default_header("Authorization", "Basic cHJveHk6c2VjcmV0")
        .default_header("x-api-key", "not-the-key")
        .default_header("X-Proxy-Secret", "proxy-secret")
        .build()
        .unwrap();

    let sent = send_every_way(&client, &foreign.uri()).await;
    assert_no_secrets(&foreign, sent).await;

    send_every_way(&client, "").await;
    // The configured key wins over a default `x-api-key`; the others are sent.
    assert_every_request_has(&api, sent, "x-api-key", KEY).await;
    assert_every_request_has(&api, sent, "authorization", "Basic cHJveHk6c2VjcmV0").await;
    assert_every_request_has(&api, sent, "x-proxy-secret", "proxy-secret").await;
}

/// Mounts a route that fails with 503 once, then answers 200.
async fn fail_once(server: &MockServer, route: &str) {
    Mock::given(path(route))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(server)
        .await;
}

async fn send_retried(client: &Client, base: &str) {
    let _: Value = client
        .send_json(Request::new(Method::GET, format!("{base}/flaky-get")))
        .await
        .expect("GET after a retry");
    let form = Multipart::new().file("file", FileUpload::from_bytes(vec![3u8; 8], "a.png"));
    let request = Request::new(Method::POST, format!("{base}/flaky-upload"))
        .multipart(form)
        .upload()
        .idempotent();
    let _: Value = client
        .send_json(request)
        .await
        .expect("upload after a retry");
}

#[tokio::test]
async fn retries_to_another_origin_carry_no_credentials() {
    let (api, foreign) = (server().await, server().await);
    for server in [&api, &foreign] {
        fail_once(server, "/flaky-get").await;
        fail_once(server, "/flaky-upload").await;
    }
    let client = builder(&api)
        .default_header("x-proxy-secret", "s")
        .build()
        .unwrap();

    send_retried(&client, &foreign.uri()).await;
    // Two requests each: the first attempt and the retry.
    assert_no_secrets(&foreign, 4).await;

    send_retried(&client, "").await;
    assert_every_request_has(&api, 4, "x-api-key", KEY).await;
}

#[tokio::test]
async fn a_redirect_from_the_api_to_another_origin_is_not_followed() {
    let (api, foreign) = (server().await, answering_server().await);
    for status in [302, 307] {
        Mock::given(path(format!("/moved-{status}")))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("location", format!("{}/landing", foreign.uri()).as_str()),
            )
            .mount(&api)
            .await;
    }
    // Within the API's origin, redirects are followed, with the key.
    Mock::given(path("/hop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/final"))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/final"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"done": true})))
        .mount(&api)
        .await;
    let client = builder(&api).max_retries(0).build().unwrap();

    let mut results = Vec::new();
    for (verb, status) in [(Method::GET, 302), (Method::POST, 307)] {
        let request = Request::new(verb, format!("/moved-{status}")).json(&json!({}));
        results.push((status, client.send_json::<Value>(request).await));
    }
    let done: Value = client.get_json("/hop").await.unwrap();
    assert_eq!(done, json!({"done": true}));

    // The leak first (a followed redirect would show the key here), then how
    // the stopped redirect is reported.
    assert_no_secrets(&foreign, 0).await;
    assert_every_request_has(&api, 4, "x-api-key", KEY).await;
    for (status, result) in results {
        let error = result.unwrap_err();
        assert_eq!(error.status(), Some(status), "{error:?}");
        assert!(matches!(error, Error::Api(_)), "{error:?}");
    }
}

#[tokio::test]
async fn another_host_name_for_the_same_server_is_another_origin() {
    let api = answering_server().await;
    let port = api.address().port();
    // Base URL by IP address; `localhost` reaches the same server under
    // another host name, so it gets no key.
    let client = builder(&api).build().unwrap();
    client
        .send_empty(Request::new(
            Method::GET,
            format!("http://localhost:{port}/by-name"),
        ))
        .await
        .unwrap();
    assert_no_secrets(&api, 1).await;

    // Host names compare without case: `LOCALHOST` is `localhost`.
    let api = answering_server().await;
    let port = api.address().port();
    let client = builder(&api)
        .base_url(format!("http://localhost:{port}"))
        .build()
        .unwrap();
    client
        .send_empty(Request::new(
            Method::GET,
            format!("http://LOCALHOST:{port}/by-name"),
        ))
        .await
        .unwrap();
    assert_every_request_has(&api, 1, "x-api-key", KEY).await;
}

/// Downloads follow the same rule: a result URL on another origin (a video
/// on a CDN) gets no credential, streamed or saved, and neither does the
/// target of a redirect from the API to another origin, which a download
/// follows (the API's own request carries the key).
#[tokio::test]
async fn downloads_carry_credentials_only_to_the_api_origin() {
    let (api, foreign) = (server().await, answering_server().await);
    Mock::given(path("/v3/files/redirect"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/cdn/video.mp4", foreign.uri()).as_str(),
        ))
        .mount(&api)
        .await;
    let dir = tempfile::tempdir().unwrap();
    for client in [
        builder(&api)
            .default_header("x-proxy-secret", "proxy-secret")
            .build()
            .unwrap(),
        builder(&api).bearer_token(TOKEN).build().unwrap(),
    ] {
        client
            .download(format!("{}/video.mp4", foreign.uri()))
            .to_file(dir.path().join("a.mp4"))
            .await
            .expect("to_file");
        let chunks: Vec<_> = heygen::futures_util::TryStreamExt::try_collect(
            client
                .download(format!("{}/video.mp4", foreign.uri()))
                .stream(),
        )
        .await
        .expect("stream");
        assert_eq!(chunks.concat(), b"{}");
        client
            .download("/v3/files/redirect")
            .to_file(dir.path().join("b.mp4"))
            .await
            .expect("redirected download");
        assert_eq!(std::fs::read(dir.path().join("b.mp4")).unwrap(), b"{}");
    }

    assert_no_secrets(&foreign, 6).await;
    let api_requests = received(&api).await;
    assert_eq!(api_requests.len(), 2);
    assert_eq!(header(&api_requests[0], "x-api-key"), Some(KEY));
    assert_eq!(
        header(&api_requests[0], "x-proxy-secret"),
        Some("proxy-secret")
    );
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(
        header(&api_requests[1], "authorization"),
        Some(bearer.as_str())
    );
}
