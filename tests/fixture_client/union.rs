//! Copied by tests/tests/fixture_crates.rs into the crate generated from
//! tests/fixtures/union: a tagged union writes its discriminator once per
//! object, through serde and in the body the client sends. Checked on the
//! raw text, since a JSON parser would hide a key written twice (the last
//! one wins); the key order depends on serde_json's features, so it is not.

use heygen::types::*;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// How many times `"key":` occurs in JSON text (no string value here holds it).
fn keys_named(text: &str, key: &str) -> usize {
    text.matches(&format!("\"{key}\":")).count()
}

fn photo() -> CreateAvatarRequestBody {
    CreateAvatarRequestBody::Photo(PhotoAvatar::new(AssetUrlOrId::Url(AssetUrl::new(
        "https://x.test/a.png",
    ))))
}

fn photo_json() -> Value {
    json!({"type": "photo", "file": {"type": "url", "url": "https://x.test/a.png"}})
}

#[test]
fn serde_writes_each_tag_once_and_reads_it_back() {
    let text = serde_json::to_string(&photo()).unwrap();
    assert_eq!(
        keys_named(&text, "type"),
        2,
        "one per tagged object: {text}"
    );
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), photo_json());
    assert_eq!(
        serde_json::from_str::<CreateAvatarRequestBody>(&text).unwrap(),
        photo()
    );

    let video = CreateAvatarRequestBody::Video(
        VideoAvatar::new(Some(AssetUrlOrId::AssetId(AssetId::new("as_1"))))
            .code(IntegerOrString::Integer(7)),
    );
    let text = serde_json::to_string(&video).unwrap();
    assert_eq!(
        keys_named(&text, "type"),
        2,
        "one per tagged object: {text}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"type": "video", "file": {"type": "asset_id", "asset_id": "as_1"}, "code": 7})
    );
    assert_eq!(
        serde_json::from_str::<CreateAvatarRequestBody>(&text).unwrap(),
        video
    );

    let bare = CreateAvatarRequestBody::Video(VideoAvatar::new(None));
    let text = serde_json::to_string(&bare).unwrap();
    assert_eq!(keys_named(&text, "type"), 1, "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"type": "video", "file": null})
    );
}

#[tokio::test]
async fn the_client_sends_each_tag_once() {
    let server = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .and(path("/v3/avatars"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "av_1"}})))
        .expect(1)
        .mount(&server)
        .await;
    let client = heygen::Client::builder()
        .api_key("sk-test")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();

    let created = client.avatars().create_avatar(photo()).await.unwrap();

    assert_eq!(created.id.as_deref(), Some("av_1"));
    let requests = server.received_requests().await.unwrap();
    let sent = String::from_utf8(requests[0].body.clone()).unwrap();
    assert_eq!(
        keys_named(&sent, "type"),
        2,
        "one per tagged object: {sent}"
    );
    assert_eq!(serde_json::from_str::<Value>(&sent).unwrap(), photo_json());
}
