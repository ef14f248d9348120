//! The runtime's header hooks: `ClientBuilder::default_header` and the
//! response headers kept in API errors (what the Prism contract test uses to
//! send `Prefer: code=…` and to read `sl-violations`).

use heygen::{Client, Error, Method, Request};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    MockServer::builder().start().await
}

fn builder(server: &MockServer) -> heygen::ClientBuilder {
    Client::builder()
        .api_key("sk-test")
        .base_url(server.uri())
        .max_retries(0)
}

#[tokio::test]
async fn default_headers_go_on_every_request() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v3/users/me"))
        .and(header("prefer", "code=404"))
        .and(header("x-trace", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server)
        .default_header("Prefer", "code=404")
        .default_header("x-trace", "1")
        // The same name again replaces the value, whatever its case.
        .default_header("X-Trace", "2")
        .build()
        .unwrap();
    for _ in 0..2 {
        let _: Value = client.get_json("/v3/users/me").await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get_all("x-trace").iter().count(), 1);
}

#[tokio::test]
async fn a_header_set_by_the_request_wins_and_auth_cannot_be_replaced() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = builder(&server)
        .default_header("Prefer", "code=404")
        .default_header("x-api-key", "other")
        .default_header("user-agent", "other")
        .build()
        .unwrap();
    let request = Request::new(Method::GET, "/v3/videos").header("Prefer", "code=200");
    let _: Value = client.send_json(request).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let headers = &requests[0].headers;
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(values("prefer"), ["code=200"]);
    assert_eq!(values("x-api-key"), ["sk-test"]);
    assert!(values("user-agent")[0].starts_with("heygen-rust/"));
}

#[test]
fn bad_default_headers_fail_the_build_without_quoting_the_value() {
    let error = Client::builder()
        .api_key("k")
        .default_header("bad name", "x")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let error = Client::builder()
        .api_key("k")
        .default_header("x-secret", "line\nbreak-secret")
        .build()
        .unwrap_err();
    assert!(!error.to_string().contains("break-secret"), "{error}");
}

#[tokio::test]
async fn api_errors_keep_the_response_headers() {
    let server = server().await;
    let violations = r#"[{"location":["request","body"],"severity":"Error","code":"required","message":"Request body must have required property 'type'"}]"#;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .respond_with(
            ResponseTemplate::new(422)
                .insert_header("sl-violations", violations)
                .set_body_json(json!({"error": {"code": "invalid_parameter", "message": "no"}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/video.delete"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-ratelimit-remaining", "7")
                .set_body_json(json!({"code": 400116, "message": "gone"})),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let error = client
        .request_json::<Value, _>(Method::POST, "/v3/videos", Some(&json!({})))
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.headers["sl-violations"], violations);
    assert_eq!(error.headers().unwrap()["sl-violations"], violations);

    let error = client
        .request_json::<Value, ()>(Method::DELETE, "/v1/video.delete", None)
        .await
        .unwrap_err();
    let Error::LegacyApi(legacy) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(legacy.headers["x-ratelimit-remaining"], "7");
    assert!(Error::Timeout.headers().is_none());
}
