//! The committed `heygen` crate decodes the examples of the seed documents: the legacy
//! readme pages (whose schemas quirks.yaml fixes) and the v3 May page. The bodies are read
//! from specs/ at test time, so they are exactly the documented ones.
// The legacy operations are deprecated (retired by HeyGen); calling them is the point here.
#![allow(deprecated)]

use heygen::types::{
    IntegerOrString, LegacyDeleteAVideoResponse, LegacyDeletePhotoAvatarByIdResponse,
    LegacyEnvelopeError, LegacyEnvelopeErrorError, LegacyError, LegacyFlatError, StandardAPIError,
    VideoTranslationDeleteResponse,
};
use heygen::{Client, Error};
use heygen_codegen_tests::{specs_copy, specs_dir, workspace_root};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VDEL: &str = "v1-video-delete.readme.md";
const PDEL: &str = "v2-photo-avatar-delete.readme.md";
const V3DEL: &str = "v3-delete-video-translation.2026-05.docs.md";

const VDEL_OP: &str = "/paths/~1v1~1video.delete/delete/responses";
const PDEL_OP: &str = "/paths/~1v2~1photo_avatar~1{avatar_id}/delete/responses";
const V3DEL_OP: &str = "/paths/~1v3~1video-translations~1{video_translation_id}/delete/responses";

const VIDEO_ID: &str = "vb606c57ee8042f4b499a6ab42183c2a-hi";

/// The value at `pointer` in the OpenAPI document embedded in `specs/<file>`.
fn example(file: &str, pointer: &str) -> Value {
    let path = workspace_root().join("specs").join(file);
    let document = generator::load::load_file(&path, file.into())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    document
        .value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{file}: nothing at {pointer}"))
        .clone()
}

fn vdel_200() -> Value {
    example(
        VDEL,
        &format!("{VDEL_OP}/200/content/application~1json/examples/Result/value"),
    )
}

fn vdel_404() -> Value {
    example(
        VDEL,
        &format!("{VDEL_OP}/404/content/application~1json/examples/Video Not Found/value"),
    )
}

fn pdel_200() -> Value {
    example(
        PDEL,
        &format!("{PDEL_OP}/200/content/application~1json/examples/Result/value"),
    )
}

fn pdel_404() -> Value {
    example(
        PDEL,
        &format!("{PDEL_OP}/404/content/application~1json/examples/Photo Avatar Not Found/value"),
    )
}

fn v3_404() -> Value {
    example(
        V3DEL,
        &format!("{V3DEL_OP}/404/content/application~1json/example"),
    )
}

fn decode<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

#[test]
fn the_examples_are_the_documented_bodies() {
    // a guard against reading the wrong node: the pages' bodies, as published
    assert_eq!(
        vdel_200(),
        json!({"code": 100, "data": {"Deleted": [VIDEO_ID], "Failed": []}, "msg": null, "message": "Successfully deleted 1 video IDs"})
    );
    assert_eq!(
        vdel_404(),
        json!({"code": 400569, "message": "ResourceType.VIDEO_TRANSLATE not found"})
    );
    assert_eq!(
        pdel_200(),
        json!({"code": 100, "data": null, "msg": null, "message": null})
    );
    assert_eq!(
        pdel_404(),
        json!({"data": null, "error": {"code": "internal_error", "message": "photo avatar not found"}})
    );
    assert_eq!(v3_404()["error"]["code"], "not_found");
}

#[test]
fn video_delete_200_decodes() {
    let response: LegacyDeleteAVideoResponse = decode(&vdel_200());
    assert_eq!(response.code, Some(IntegerOrString::Integer(100)));
    let data = response.data.expect("data");
    assert_eq!(data.deleted, Some(vec![VIDEO_ID.to_string()]));
    assert_eq!(data.failed, Some(Vec::new()));
    assert_eq!(response.msg, None);
    assert_eq!(
        response.message.as_deref(),
        Some("Successfully deleted 1 video IDs")
    );
}

#[test]
fn photo_avatar_delete_200_decodes() {
    let response: LegacyDeletePhotoAvatarByIdResponse = decode(&pdel_200());
    assert_eq!(
        response,
        LegacyDeletePhotoAvatarByIdResponse::new().code(IntegerOrString::Integer(100))
    );
}

#[test]
fn the_404_bodies_land_in_their_legacy_error_variant() {
    let flat: LegacyError = decode(&vdel_404());
    assert_eq!(
        flat,
        LegacyError::LegacyFlatError(LegacyFlatError::new(
            400569,
            "ResourceType.VIDEO_TRANSLATE not found"
        ))
    );
    let envelope: LegacyError = decode(&pdel_404());
    assert_eq!(
        envelope,
        LegacyError::LegacyEnvelopeError(LegacyEnvelopeError::new(LegacyEnvelopeErrorError::new(
            "internal_error",
            "photo avatar not found"
        ),))
    );
    // anything else is kept, not rejected
    let other: LegacyError = decode(&json!({"oops": true}));
    assert_eq!(other, LegacyError::Other(json!({"oops": true})));
}

#[test]
fn the_v3_404_body_decodes() {
    let error: StandardAPIError = decode(&v3_404()["error"]);
    assert_eq!(error.code, "not_found");
    assert_eq!(error.message, "Video translation not found.");
    assert_eq!((error.param, error.doc_url), (None, None));
}

// ---------------------------------------------------------------------------------------
// Through the generated client methods

const KEY: &str = "sk-test-legacy-0123456789";

async fn server() -> MockServer {
    MockServer::builder().start().await
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .expect("client")
}

async fn respond(server: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .and(header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

fn legacy_error(result: heygen::Result<impl std::fmt::Debug>) -> heygen::LegacyApiError {
    match result {
        Err(Error::LegacyApi(error)) => *error,
        other => panic!("expected Error::LegacyApi, got {other:?}"),
    }
}

#[tokio::test]
async fn delete_a_video_over_http() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/video.delete"))
        .and(query_param("video_id", VIDEO_ID))
        .and(header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(vdel_200()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/video.delete"))
        .and(query_param("video_id", "v_gone"))
        .and(query_param("type", "video_translate"))
        .respond_with(ResponseTemplate::new(404).set_body_json(vdel_404()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let response = client
        .legacy()
        .video()
        .delete_a_video(VIDEO_ID)
        .await
        .expect("200");
    assert_eq!(response.code, Some(IntegerOrString::Integer(100)));
    assert_eq!(
        response.data.and_then(|d| d.deleted),
        Some(vec![VIDEO_ID.to_string()])
    );

    let result = client
        .legacy()
        .video()
        .delete_a_video("v_gone")
        .r#type("video_translate")
        .await;
    let error = legacy_error(result);
    assert_eq!(error.status, 404);
    assert_eq!(error.code, "400569");
    assert_eq!(
        error.message.as_deref(),
        Some("ResourceType.VIDEO_TRANSLATE not found")
    );
}

#[tokio::test]
async fn delete_photo_avatar_over_http() {
    let server = server().await;
    respond(&server, "DELETE", "/v2/photo_avatar/pa_1", 200, pdel_200()).await;
    respond(
        &server,
        "DELETE",
        "/v2/photo_avatar/pa_gone",
        404,
        pdel_404(),
    )
    .await;
    let client = client(&server);

    let response = client
        .legacy()
        .photo_avatar()
        .delete_photo_avatar_by_id("pa_1")
        .await
        .expect("200");
    assert_eq!(response.code, Some(IntegerOrString::Integer(100)));
    assert_eq!(response.data, None);

    let result = client
        .legacy()
        .photo_avatar()
        .delete_photo_avatar_by_id("pa_gone")
        .await;
    let error = legacy_error(result);
    assert_eq!(error.status, 404);
    assert_eq!(error.code, "internal_error");
    assert_eq!(error.message.as_deref(), Some("photo avatar not found"));
}

#[tokio::test]
async fn delete_video_translation_over_http() {
    let server = server().await;
    // the page has no 200 example: the v3 envelope around the documented schema
    respond(
        &server,
        "DELETE",
        "/v3/video-translations/vt_1",
        200,
        json!({"data": {"id": "vt_1"}}),
    )
    .await;
    respond(
        &server,
        "DELETE",
        "/v3/video-translations/vt_gone",
        404,
        v3_404(),
    )
    .await;
    let client = client(&server);

    let deleted: VideoTranslationDeleteResponse = client
        .video_translate()
        .delete_video_translation("vt_1")
        .await
        .expect("200");
    assert_eq!(deleted.id, "vt_1");

    let result = client
        .video_translate()
        .delete_video_translation("vt_gone")
        .await;
    let error = match result {
        Err(Error::Api(error)) => error,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(error.status, 404);
    assert_eq!(error.code.as_deref(), Some("not_found"));
    assert_eq!(
        error.message.as_deref(),
        Some("Video translation not found.")
    );
}

/// The operations of the committed crate, lowered from `specs/`.
fn committed_operations() -> Vec<generator::ir::Operation> {
    generator::generate(&generator::Options::for_workspace(specs_dir()))
        .expect("specs/ generate")
        .api
        .operations
}

#[test]
fn every_retired_operation_is_deprecated_with_its_v3_replacement() {
    let operations = committed_operations();
    let legacy: Vec<_> = operations.iter().filter(|op| op.legacy).collect();
    assert!(legacy.len() >= 17, "{}", legacy.len());
    for op in &legacy {
        let deprecation = op
            .deprecation
            .as_ref()
            .unwrap_or_else(|| panic!("{} is not deprecated", op.operation_id));
        assert_eq!(deprecation.since, "0.1.0");
        assert!(
            deprecation
                .note
                .starts_with("HeyGen retired the v1/v2 API on 2026-10-31; "),
            "{}",
            deprecation.note
        );
    }
    assert!(operations
        .iter()
        .filter(|op| !op.legacy)
        .all(|op| op.deprecation.is_none()));
    let note = |id: &str| {
        operations
            .iter()
            .find(|op| op.operation_id == id)
            .and_then(|op| op.deprecation.clone())
            .unwrap_or_else(|| panic!("{id}"))
            .note
    };
    assert!(
        note("createAvatarVideo")
            .ends_with("use `client.videos().create_video()` (POST /v3/videos)"),
        "{}",
        note("createAvatarVideo")
    );
    assert!(
        note("delete-photo-avatar-by-id").ends_with("the v3 API has no equivalent operation"),
        "{}",
        note("delete-photo-avatar-by-id")
    );
}

/// Generates from a copy of `specs/` whose `client.yaml` has `from` replaced by `to`.
fn generate_with_client_yaml(from: &str, to: &str) -> generator::Result<generator::Generated> {
    let dir = specs_copy();
    let path = dir.path().join("client.yaml");
    let text = std::fs::read_to_string(&path).expect("client.yaml");
    assert!(text.contains(from), "client.yaml has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write client.yaml");
    generator::generate(&generator::Options::for_workspace(dir.path()))
}

#[test]
fn a_retirement_entry_naming_no_operation_fails_regen() {
    let error =
        generate_with_client_yaml("legacy: createAvatarVideo", "legacy: createAvatarVideoV9")
            .map(|_| ())
            .expect_err("a stale entry is an error");
    let message = error.to_string();
    assert!(
        message.contains("client.yaml:"),
        "names the file and line: {message}"
    );
    assert!(
        message.contains("#/legacy/retired/replacements/0/legacy"),
        "{message}"
    );
    assert!(message.contains("`createAvatarVideoV9`"), "{message}");
}

#[test]
fn a_replacement_must_be_a_v3_operation() {
    let error = generate_with_client_yaml("v3: createVideo\n", "v3: getVideo\n")
        .map(|_| ())
        .expect_err("a legacy replacement is an error");
    let message = error.to_string();
    assert!(
        message.contains("#/legacy/retired/replacements/0/v3"),
        "{message}"
    );
    assert!(
        message.contains("is itself a legacy operation"),
        "{message}"
    );
}

#[test]
fn a_polling_entry_naming_no_operation_fails_regen() {
    let error = generate_with_client_yaml("operation: getVideoV3", "operation: getVideoV4")
        .map(|_| ())
        .expect_err("a stale polling entry is an error");
    let message = error.to_string();
    assert!(
        message.contains("client.yaml:"),
        "names the file and line: {message}"
    );
    assert!(message.contains("#/polling/0/operation"), "{message}");
    assert!(message.contains("`getVideoV4`"), "{message}");
}

/// What `Error` tells of a legacy error: status, code, message, request id,
/// headers and Retry-After, as it does for a v3 one.
#[tokio::test]
async fn a_legacy_error_answers_the_error_accessors() {
    let server = server().await;
    let mut body = vdel_404();
    body["message"] = json!("slow down");
    Mock::given(method("DELETE"))
        .and(path("/v1/video.delete"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .insert_header("x-request-id", "req_legacy")
                .set_body_json(body),
        )
        .expect(1)
        .mount(&server)
        .await;

    #[allow(deprecated)]
    let error = client(&server)
        .legacy()
        .video()
        .delete_a_video(VIDEO_ID)
        .max_retries(0)
        .await
        .expect_err("429");

    assert!(matches!(error, Error::LegacyApi(_)), "{error:?}");
    assert_eq!(error.status(), Some(429));
    assert!(error.is_rate_limited());
    assert_eq!(error.code(), Some("400569"));
    assert_eq!(error.message(), Some("slow down"));
    assert_eq!(error.request_id(), Some("req_legacy"));
    assert_eq!(
        error.headers().map(|h| h["retry-after"].clone()),
        Some("7".parse().unwrap())
    );
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(7)));
    let shown = error.to_string();
    assert!(
        shown.contains("429") && shown.contains("400569") && shown.contains("slow down"),
        "{shown}"
    );
}
