//! Receiving webhooks (`heygen::webhooks`): the signature check, the typed
//! events, and the `client.yaml` data they are generated from.

use heygen::webhooks::{self, Delivery, Event, WebhookError};
use heygen_codegen_tests::{full_spec, specs_copy};
use serde_json::{json, Value};

const SECRET: &str = "whsec_test";

/// A delivery of `avatar_video.success` with every documented field.
fn success_body() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "event_id": "evt_abc123",
        "event_type": "avatar_video.success",
        "event_data": {
            "video_id": "v_123",
            "url": "https://files.example/v_123.mp4",
            "gif_download_url": "https://files.example/v_123.gif",
            "video_page_url": "https://app.example/videos/v_123",
            "video_share_page_url": "https://app.example/share/v_123",
            "folder_id": "f_9",
            "callback_id": "order-42",
            "duration": 12.5
        },
        "created_at": "2024-04-01T12:00:00Z"
    }))
    .unwrap()
}

fn verify_and_parse(body: &[u8], signature: Option<&str>) -> Result<Event, WebhookError> {
    webhooks::verify_and_parse(
        body,
        |name| {
            name.eq_ignore_ascii_case("x-heygen-signature")
                .then_some(signature)
                .flatten()
        },
        SECRET,
    )
}

#[test]
fn the_signature_is_the_hex_hmac_sha256_of_the_body() {
    // Computed elsewhere (Python's hmac module), so that `sign` and `verify`
    // cannot agree on a wrong scheme.
    let body = br#"{"event_id":"evt_1","event_type":"avatar_video.success","event_data":{"video_id":"v_1"},"created_at":"2024-04-01T12:00:00Z"}"#;
    let expected = "57fc01e20d05187e43d26fc6d0ab6e28d9ff4ddbd1e900f19679b16c8bd0c355";
    assert_eq!(webhooks::sign(body, SECRET), expected);
    webhooks::verify(body, Some(expected), SECRET).expect("a valid signature");
    webhooks::verify(body, Some(&expected.to_uppercase()), SECRET).expect("upper-case hex");
    assert_eq!(webhooks::SIGNATURE_HEADER, "X-HeyGen-Signature");
}

#[test]
fn a_signed_delivery_parses_into_the_typed_variant_with_every_documented_field() {
    let body = success_body();
    let signature = webhooks::sign(&body, SECRET);
    let event = verify_and_parse(&body, Some(&signature)).expect("verified");
    assert_eq!(event.event_type(), "avatar_video.success");
    assert_eq!(event.event_id(), Some("evt_abc123"));
    let Event::AvatarVideoSuccess(delivery) = event else {
        panic!("not AvatarVideoSuccess: {event:?}");
    };
    let Delivery {
        event_id,
        created_at,
        data,
        ..
    } = delivery;
    assert_eq!(event_id, "evt_abc123");
    assert_eq!(created_at, "2024-04-01T12:00:00Z");
    assert_eq!(data.video_id, "v_123");
    assert_eq!(data.url.as_deref(), Some("https://files.example/v_123.mp4"));
    assert_eq!(
        data.gif_download_url.as_deref(),
        Some("https://files.example/v_123.gif")
    );
    assert_eq!(
        data.video_page_url.as_deref(),
        Some("https://app.example/videos/v_123")
    );
    assert_eq!(
        data.video_share_page_url.as_deref(),
        Some("https://app.example/share/v_123")
    );
    assert_eq!(data.folder_id.as_deref(), Some("f_9"));
    assert_eq!(data.callback_id.as_deref(), Some("order-42"));
    // A key the documentation does not name is kept.
    assert_eq!(data.extra.get("duration"), Some(&json!(12.5)));
    assert_eq!(data.extra.len(), 1, "{:?}", data.extra);
}

#[test]
fn the_header_lookup_is_asked_for_the_signature_header() {
    let body = success_body();
    let signature = webhooks::sign(&body, SECRET);
    let mut asked = Vec::new();
    let event = webhooks::verify_and_parse(
        &body,
        |name| {
            asked.push(name.to_owned());
            Some(signature.as_str())
        },
        SECRET,
    )
    .expect("verified");
    assert_eq!(asked, ["X-HeyGen-Signature"]);
    assert!(matches!(event, Event::AvatarVideoSuccess(_)));
}

#[test]
fn optional_fields_may_be_absent_or_null() {
    let body = br#"{"event_id":"e","event_type":"avatar_video.success","event_data":{"video_id":"v","url":null},"created_at":"t"}"#;
    let Event::AvatarVideoSuccess(delivery) = webhooks::parse(body).expect("parses") else {
        panic!("not AvatarVideoSuccess");
    };
    assert_eq!(delivery.data.video_id, "v");
    assert_eq!(delivery.data.url, None);
    assert_eq!(delivery.data.callback_id, None);
}

#[test]
fn a_tampered_body_is_a_bad_signature() {
    let body = success_body();
    let signature = webhooks::sign(&body, SECRET);
    let tampered = String::from_utf8(body)
        .unwrap()
        .replace("v_123", "v_666")
        .into_bytes();
    let error = verify_and_parse(&tampered, Some(&signature)).expect_err("tampered");
    assert!(matches!(error, WebhookError::BadSignature), "{error:?}");
    assert!(
        error.to_string().contains("does not match the body"),
        "{error}"
    );
}

#[test]
fn a_wrong_secret_is_a_bad_signature() {
    let body = success_body();
    let signature = webhooks::sign(&body, "whsec_other");
    let error = verify_and_parse(&body, Some(&signature)).expect_err("wrong secret");
    assert!(matches!(error, WebhookError::BadSignature), "{error:?}");
    assert!(
        error.to_string().contains("wrong endpoint secret"),
        "{error}"
    );
}

#[test]
fn a_missing_header_is_a_missing_signature() {
    let body = success_body();
    let error = verify_and_parse(&body, None).expect_err("no header");
    assert!(matches!(error, WebhookError::MissingSignature), "{error:?}");
    assert!(error.to_string().contains("no signature header"), "{error}");
    // The same when another header is there but not the signature.
    let error = webhooks::verify_and_parse(
        &body,
        |name| (name == "Content-Type").then_some("application/json"),
        SECRET,
    )
    .expect_err("no signature header");
    assert!(matches!(error, WebhookError::MissingSignature), "{error:?}");
}

#[test]
fn a_signature_that_is_not_64_hex_digits_is_malformed() {
    let body = success_body();
    let good = webhooks::sign(&body, SECRET);
    let not_hex = format!("zz{}", &good[2..]);
    let short = &good[..62];
    let long = format!("{good}00");
    let odd = &good[..63];
    for signature in [not_hex.as_str(), short, long.as_str(), odd, "", "sha256="] {
        let error = verify_and_parse(&body, Some(signature)).expect_err(signature);
        assert!(
            matches!(error, WebhookError::MalformedSignature),
            "{signature:?}: {error:?}"
        );
        assert!(error.to_string().contains("64 hex digits"), "{error}");
    }
}

#[test]
fn a_signed_body_that_is_not_a_delivery_is_a_body_error() {
    for (body, says) in [
        (&b"not json"[..], "expected ident"),
        (br#"["a"]"#, "string `event_type`"),
        (br#"{"event_type": 3}"#, "string `event_type`"),
        // A known event without the field its type requires: the path is named.
        (
            br#"{"event_id":"e","event_type":"avatar_video.success","event_data":{},"created_at":"t"}"#,
            "event_data: missing field `video_id`",
        ),
    ] {
        let signature = webhooks::sign(body, SECRET);
        let error = verify_and_parse(body, Some(&signature)).expect_err("not a delivery");
        assert!(matches!(error, WebhookError::Body(_)), "{error:?}");
        let message = error.to_string();
        assert!(message.starts_with("the webhook body is not a valid delivery"));
        assert!(message.contains(says), "{message}");
    }
}

#[test]
fn an_unknown_event_type_keeps_the_raw_json() {
    let raw = json!({
        "event_id": "evt_new",
        "event_type": "hologram.success",
        "event_data": {"hologram_id": "h_1"},
        "created_at": "2030-01-01T00:00:00Z",
        "extra_top_level": true
    });
    let body = serde_json::to_vec(&raw).unwrap();
    let event = verify_and_parse(&body, Some(&webhooks::sign(&body, SECRET))).expect("parses");
    assert_eq!(event.event_type(), "hologram.success");
    assert_eq!(event.event_id(), Some("evt_new"));
    match event {
        Event::Unknown {
            event_type,
            raw: kept,
        } => {
            assert_eq!(event_type, "hologram.success");
            assert_eq!(kept, raw);
        }
        other => panic!("not Unknown: {other:?}"),
    }
}

/// The values of the spec's `WebhookEventType` enum.
fn spec_event_types() -> Vec<String> {
    let text = std::fs::read_to_string(full_spec()).expect("spec");
    let spec: Value = serde_json::from_str(&text).expect("spec JSON");
    let values = spec["components"]["schemas"]["WebhookEventType"]["enum"]
        .as_array()
        .expect("WebhookEventType lists its values")
        .iter()
        .map(|v| v.as_str().expect("a string value").to_owned())
        .collect::<Vec<_>>();
    assert!(values.len() > 20, "{values:?}");
    values
}

#[test]
fn every_event_type_of_the_spec_has_a_variant() {
    for event_type in spec_event_types() {
        let data = json!({"video_id": "v_1", "status": "done"});
        let body = serde_json::to_vec(&json!({
            "event_id": format!("evt_{event_type}"),
            "event_type": event_type,
            "event_data": data,
            "created_at": "2024-04-01T12:00:00Z"
        }))
        .unwrap();
        let event = webhooks::parse(&body).unwrap_or_else(|e| panic!("{event_type}: {e}"));
        assert!(
            !matches!(event, Event::Unknown { .. }),
            "`{event_type}` has no Event variant"
        );
        assert_eq!(event.event_type(), event_type);
        assert_eq!(event.event_id(), Some(format!("evt_{event_type}").as_str()));
        // The untyped payloads keep the object as received.
        match &event {
            Event::AvatarVideoSuccess(delivery) => assert_eq!(delivery.data.video_id, "v_1"),
            Event::AvatarVideoFail(delivery) | Event::VideoAgentSuccess(delivery) => {
                assert_eq!(Value::Object(delivery.data.clone()), data)
            }
            _ => {}
        }
    }
}

#[test]
fn a_listed_event_converts_like_a_delivery() {
    let listed: heygen::types::WebhookEventResponse =
        serde_json::from_slice(&success_body()).expect("the delivery shape");
    assert_eq!(
        listed.event_type,
        heygen::types::WebhookEventType::AvatarVideoSuccess
    );
    let event = Event::try_from(listed).expect("converts");
    let Event::AvatarVideoSuccess(delivery) = event else {
        panic!("not AvatarVideoSuccess");
    };
    assert_eq!(delivery.data.callback_id.as_deref(), Some("order-42"));
}

// ------------------------------------------------------- client.yaml data

/// Generates from a copy of `specs/` whose `client.yaml` has `from` replaced by `to`.
fn generate_with_client_yaml(from: &str, to: &str) -> Result<generator::Generated, String> {
    let dir = specs_copy();
    let path = dir.path().join("client.yaml");
    let text = std::fs::read_to_string(&path).expect("client.yaml");
    assert!(text.contains(from), "client.yaml has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write client.yaml");
    generator::generate(&generator::Options::for_workspace(dir.path())).map_err(|e| e.to_string())
}

fn assert_stale(from: &str, to: &str, pointer: &str, says: &str) {
    let message = generate_with_client_yaml(from, to)
        .map(|_| ())
        .expect_err("a stale webhooks entry fails regen");
    assert!(
        message.contains("client.yaml:"),
        "names the file and line: {message}"
    );
    assert!(message.contains(&format!("#{pointer}")), "{message}");
    assert!(message.contains(says), "{message}");
}

#[test]
fn a_payload_for_an_event_type_the_spec_lacks_fails_regen() {
    assert_stale(
        "- event_type: avatar_video.success",
        "- event_type: avatar_video.succeeded",
        "/webhooks/payloads/0/event_type",
        "`avatar_video.succeeded` is not a value of `WebhookEventType`",
    );
}

#[test]
fn an_event_type_schema_the_spec_lacks_fails_regen() {
    assert_stale(
        "event_types: WebhookEventType",
        "event_types: WebhookEventKind",
        "/webhooks/event_types",
        "no component schema `WebhookEventKind`",
    );
    assert_stale(
        "event_types: WebhookEventType",
        "event_types: WebhookEventResponse",
        "/webhooks/event_types",
        "`WebhookEventResponse` is not a string enum",
    );
}

#[test]
fn a_delivery_schema_without_the_delivery_fields_fails_regen() {
    assert_stale(
        "delivery: WebhookEventResponse",
        "delivery: WebhookEndpointResponse",
        "/webhooks/delivery",
        "`WebhookEndpointResponse` has no `event_id`",
    );
}

#[test]
fn a_group_that_does_not_exist_fails_regen() {
    assert_stale(
        "group: webhooks",
        "group: hooks",
        "/webhooks/group",
        "no v3 operation group has the module `hooks`",
    );
}

#[test]
fn payload_names_are_checked() {
    assert_stale(
        "name: AvatarVideoSuccess",
        "name: Event",
        "/webhooks/payloads/0/name",
        "`Event` cannot name a payload",
    );
    assert_stale(
        "- name: folder_id",
        "- name: folderId",
        "/webhooks/payloads/0/fields/5/name",
        "`folderId` is not a snake_case field name",
    );
    assert_stale(
        "- name: folder_id",
        "- name: video_id",
        "/webhooks/payloads/0/fields/5/name",
        "`video_id` is listed twice",
    );
}

#[test]
fn the_webhooks_data_shapes_the_generated_module() {
    let generated = generate_with_client_yaml(
        "signature_header: X-HeyGen-Signature",
        "signature_header: X-Test-Signature",
    )
    .expect("generates");
    let module = &generated.files["src/webhooks.rs"];
    assert!(
        module.contains(r#"pub const SIGNATURE_HEADER: &str = "X-Test-Signature";"#),
        "the header comes from client.yaml"
    );
    assert!(module.contains("pub enum Event {"));
    assert!(module.contains("AvatarVideoSuccess(Delivery<AvatarVideoSuccess>)"));
    let manifest = &generated.files["Cargo.toml"];
    assert!(
        manifest.contains(r#"webhooks = ["dep:hex", "dep:hmac", "dep:sha2"]"#),
        "the group's feature turns on the signature check:\n{manifest}"
    );
    assert!(generated.files["src/lib.rs"].contains("mod webhook_runtime;"));

    // Without the section, no webhook API and no dependency on the signature check.
    let dir = specs_copy();
    let path = dir.path().join("client.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("\nwebhooks:").expect("a webhooks section");
    std::fs::write(&path, &text[..at]).unwrap();
    let generated =
        generator::generate(&generator::Options::for_workspace(dir.path())).expect("generates");
    assert!(!generated.files["src/webhooks.rs"].contains("pub enum Event"));
    assert!(!generated.files["src/lib.rs"].contains("webhook_runtime"));
    assert!(generated.files["Cargo.toml"].contains("webhooks = []"));
}
