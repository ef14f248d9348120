//! Copied by tests/tests/e2e.rs into the crate generated from the full HeyGen
//! spec: values the spec does not list must still decode, and known ones
//! encode exactly.

use heygen::types::*;
use serde_json::json;

#[test]
fn unknown_enum_value_decodes_and_encodes_back() {
    let status: CreateVideoAgentResponseStatus = serde_json::from_value(json!("thinking")).unwrap();
    assert_eq!(status, CreateVideoAgentResponseStatus::Unknown("thinking".into()));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("thinking"));
    assert_eq!(serde_json::to_value(VideoAspectRatio::Ratio16By9).unwrap(), json!("16:9"));
    assert_eq!(serde_json::to_value(VideoResolution::Resolution4k).unwrap(), json!("4k"));
    let event: WebhookEventType = serde_json::from_value(json!("avatar_video.success")).unwrap();
    assert_eq!(event.as_str(), "avatar_video.success");
    assert!(!matches!(event, WebhookEventType::Unknown(_)));
}

#[test]
fn tagged_union_writes_the_tag_once_and_reads_it_back() {
    let asset = AssetUrlOrIdOrBase64::Url(AssetUrl::new("https://x.test/a.png"));
    let text = serde_json::to_string(&asset).unwrap();
    assert_eq!(text.matches("\"type\"").count(), 1, "{text}");
    assert_eq!(serde_json::from_str::<AssetUrlOrIdOrBase64>(&text).unwrap(), asset);
    assert_eq!(serde_json::to_value(&asset).unwrap(), json!({"type": "url", "url": "https://x.test/a.png"}));
}

#[test]
fn unknown_discriminator_keeps_the_raw_json() {
    let raw = json!({"type": "gdrive", "file_id": "abc"});
    let asset: AssetUrlOrIdOrBase64 = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(asset, AssetUrlOrIdOrBase64::Unknown(raw.clone()));
    assert_eq!(serde_json::to_value(&asset).unwrap(), raw);
}

#[test]
fn unknown_fields_and_nulls_decode() {
    let video: VideoDetail = serde_json::from_value(json!({
        "id": "v1", "status": "completed", "title": null, "brand_new_field": {"x": 1}
    }))
    .unwrap();
    assert_eq!(video.id, "v1");
    assert_eq!(video.title, None);
}
