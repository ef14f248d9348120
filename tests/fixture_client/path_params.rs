//! Copied by tests/tests/fixture_crates.rs into the crate generated from
//! tests/fixtures/path_params: path parameters of every scalar shape (a named
//! string type, a named number type, a union of integer and string, a union
//! of integer and enum, an integer, an enum) reach the server as one encoded
//! segment.

use heygen::types::{FrameIndex, FrameIndex2, IntegerOrString, Mode};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_answering(route: &str) -> MockServer {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "sc_1"})))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> heygen::Client {
    heygen::Client::builder()
        .api_key("sk-test")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_named_string_type() {
    let server = server_answering("/v3/scenes/sc_1").await;
    let scene = client(&server).scenes().get_scene("sc_1").await.unwrap();
    assert_eq!(scene.id, "sc_1");
}

#[tokio::test]
async fn a_union_of_integer_and_string() {
    let server = server_answering("/v3/slots/42").await;
    client(&server).scenes().get_slot(42).await.unwrap();
    // A string variant is escaped like any segment.
    let server = server_answering("/v3/slots/a%2Fb").await;
    client(&server)
        .scenes()
        .get_slot(IntegerOrString::String("a/b".into()))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_named_number_and_a_union_with_an_enum() {
    let server = server_answering("/v3/frames/29.97/last").await;
    client(&server)
        .scenes()
        .get_frame(29.97, FrameIndex::from(FrameIndex2::Last))
        .await
        .unwrap();
    let server = server_answering("/v3/frames/24.5/7").await;
    client(&server)
        .scenes()
        .get_frame(24.5, 7)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_integer_and_an_enum() {
    let server = server_answering("/v3/takes/-3").await;
    client(&server).scenes().get_take(-3).await.unwrap();
    let server = server_answering("/v3/modes/final").await;
    client(&server)
        .scenes()
        .get_mode(Mode::Final)
        .await
        .unwrap();
}
