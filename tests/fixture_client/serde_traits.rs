//! Copied by tests/tests/fixture_crates.rs into the crate generated from
//! tests/fixtures/serde_traits, built with `full-serde`: the written-out
//! `Deserialize` of generated structs reads JSON as `#[derive(Deserialize)]`
//! does, and a decode error through the client still names its path.

use heygen::types::{Thing, ThingPatch};
use heygen::Nullable;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[test]
fn fields_read_as_the_derive_reads_them() {
    // Unknown keys are skipped; an absent optional field and a null one are
    // `None`; a required nullable field may be absent too.
    let thing: Thing = decode(r#"{"id": "t1", "shared": {"note": "n", "x": [1, {"y": 2}]}, "label": null, "new_key": {}}"#).unwrap();
    assert_eq!(thing.id, "t1");
    assert_eq!(thing.shared.note.as_deref(), Some("n"));
    assert_eq!(thing.label, None);
    assert_eq!(thing.parent_id, None);
    // An escaped key is the same key.
    let escaped: Thing = decode(r#"{"i\u0064": "t2", "shared": {}, "parent_id": "t1"}"#).unwrap();
    assert_eq!((escaped.id.as_str(), escaped.parent_id.as_deref()), ("t2", Some("t1")));
    // The same through a `serde_json::Value` (as tagged unions decode).
    let from_value: Thing = serde_json::from_value(json!({"id": "t3", "shared": {}})).unwrap();
    assert_eq!(from_value.id, "t3");
}

#[test]
fn bad_input_gets_the_errors_the_derive_gives() {
    let missing = decode::<Thing>(r#"{"shared": {}}"#).unwrap_err();
    assert!(missing.starts_with("missing field `id`"), "{missing}");
    let repeated = decode::<Thing>(r#"{"id": "a", "id": "b", "shared": {}}"#).unwrap_err();
    assert!(repeated.starts_with("duplicate field `id`"), "{repeated}");
    let array = decode::<Thing>("[1, 2]").unwrap_err();
    assert!(array.starts_with("invalid type: sequence, expected struct Thing"), "{array}");
    let wrong = decode::<Thing>(r#"{"id": 5, "shared": {}}"#).unwrap_err();
    assert!(wrong.starts_with("invalid type: integer `5`, expected a string"), "{wrong}");
}

#[test]
fn a_patch_field_tells_null_from_absent() {
    let cleared: ThingPatch = decode(r#"{"label": null}"#).unwrap();
    assert_eq!(cleared.label, Some(Nullable::Null));
    let set: ThingPatch = decode(r#"{"label": "x"}"#).unwrap();
    assert_eq!(set.label, Some(Nullable::Value("x".to_string())));
    let untouched: ThingPatch = decode("{}").unwrap();
    assert_eq!(untouched.label, None);
}

#[tokio::test]
async fn a_decode_error_through_the_client_names_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v3/things/t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"id": "t1", "shared": {"note": 7}, "parent_id": null}
        })))
        .mount(&server)
        .await;
    let client = heygen::Client::builder()
        .api_key("sk-test")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    let error = client
        .things()
        .update_thing("t1", ThingPatch::new().label("x"))
        .await
        .unwrap_err();
    match error {
        heygen::Error::Decode(decode) => {
            assert_eq!(decode.path, "data.shared.note", "{decode:?}");
            assert!(decode.message.contains("expected a string"), "{decode:?}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
