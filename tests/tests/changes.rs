//! Spec updates: a "next release" of the real April 2026 spec, built in code,
//! regenerated next to the current one; the change report must name every change
//! in the right group and nothing else, propose the right bump, and the crate for
//! the updated spec must still compile. Plus a pinned report for a small fixture
//! update (tests/fixtures/changes/{before,after}).

use std::path::Path;
use std::process::Command;

use generator::changes::{Bump, Change, ChangeKind, ChangeReport, Severity};
use generator::surface::{Surface, TypeShape};
use heygen_codegen_tests::{full_spec, specs_copy, workspace_root};
use serde_json::{json, Value};

fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    spec.pointer_mut(&format!("/components/schemas/{name}"))
        .unwrap_or_else(|| panic!("the April spec has no schema {name}"))
}

fn property<'a>(spec: &'a mut Value, schema_name: &str, property: &str) -> &'a mut Value {
    let properties = schema(spec, schema_name)
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("{schema_name} has no properties"));
    properties
        .entry(property.to_string())
        .or_insert(Value::Null)
}

/// The April spec with what the "before" snapshot needs: `engine` on
/// CreateVideoFromAvatar as a plain string (the April spec does not have it yet).
fn before(april: &Value) -> Value {
    let mut spec = april.clone();
    assert!(
        spec.pointer("/components/schemas/CreateVideoFromAvatar/properties/engine")
            .is_none(),
        "the April spec already has `engine`; adjust the fixture"
    );
    *property(&mut spec, "CreateVideoFromAvatar", "engine") =
        json!({"type": "string", "description": "Avatar engine: avatar_iv (default) or avatar_v."});
    spec
}

/// The "next release": the changelog's four breaking changes and seven more kinds.
fn after(before: &Value) -> Value {
    let mut spec = before.clone();
    // (a) engine: a string becomes an object `{type: avatar_v}`.
    *property(&mut spec, "CreateVideoFromAvatar", "engine") = json!({
        "type": "object",
        "description": "Avatar engine selection.",
        "properties": {"type": {"type": "string", "enum": ["avatar_iv", "avatar_v"]}},
        "required": ["type"]
    });
    // (b) fps_mode becomes a strict enum.
    *property(&mut spec, "CreateVideoTranslationRequest", "fps_mode") = json!({
        "anyOf": [{"type": "string", "enum": ["vfr", "cfr", "passthrough"]}, {"type": "null"}],
        "default": null,
        "description": "Frame rate mode."
    });
    // (c) the five video agent session routes are gone.
    let paths = spec["paths"].as_object_mut().expect("paths");
    let sessions: Vec<String> = paths
        .keys()
        .filter(|p| p.starts_with("/v3/video-agents/sessions"))
        .cloned()
        .collect();
    assert_eq!(sessions.len(), 5, "{sessions:?}");
    for path in &sessions {
        paths.remove(path);
    }
    // (d) getUserMeV3 -> getCurrentUserV3.
    let me = spec
        .pointer_mut("/paths/~1v3~1users~1me/get/operationId")
        .expect("GET /v3/users/me");
    assert_eq!(me, "getUserMeV3");
    *me = json!("getCurrentUserV3");
    // (e) a new status value in a response enum.
    let status = property(&mut spec, "CreateVideoAgentResponse", "status");
    status["enum"]
        .as_array_mut()
        .expect("status enum")
        .push(json!("thinking"));
    // (f) a new 409 on POST /v3/webhooks/endpoints.
    let responses = spec
        .pointer_mut("/paths/~1v3~1webhooks~1endpoints/post/responses")
        .and_then(Value::as_object_mut)
        .expect("POST /v3/webhooks/endpoints");
    assert!(!responses.contains_key("409"));
    responses.insert(
        "409".into(),
        json!({
            "description": "An endpoint with this URL already exists",
            "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"error": {"$ref": "#/components/schemas/StandardAPIError"}}
            }}}
        }),
    );
    // (g) a new endpoint, with a new response type.
    spec["components"]["schemas"]["DeleteAssetResponse"] = json!({
        "type": "object",
        "properties": {"asset_id": {"type": "string"}, "deleted": {"type": "boolean"}},
        "required": ["asset_id", "deleted"]
    });
    spec["paths"]["/v3/assets/{asset_id}"] = json!({"delete": {
        "operationId": "deleteAssetV3",
        "summary": "Delete an asset",
        "tags": ["Assets"],
        "parameters": [{"name": "asset_id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "Deleted", "content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"data": {"$ref": "#/components/schemas/DeleteAssetResponse"}}
        }}}}}
    }});
    // (h) a new required request field.
    *property(&mut spec, "CreateWebhookEndpointRequest", "name") =
        json!({"type": "string", "description": "A name for the endpoint."});
    schema(&mut spec, "CreateWebhookEndpointRequest")["required"]
        .as_array_mut()
        .expect("required list")
        .push(json!("name"));
    // (i) new optional request fields.
    *property(&mut spec, "CreateVideoFromAvatar", "fit") =
        json!({"type": "string", "description": "How the avatar fits the frame."});
    *property(&mut spec, "CreateVideoAgentRequest", "brand_kit_id") = json!({"anyOf": [{"type": "string"}, {"type": "null"}], "description": "Brand kit to apply."});
    // (j) a response field removed.
    let user = schema(&mut spec, "UserInfoResponse");
    user["properties"]
        .as_object_mut()
        .expect("properties")
        .remove("last_name")
        .expect("last_name");
    user["required"]
        .as_array_mut()
        .expect("required")
        .retain(|r| r != "last_name");
    // (k) a new Idempotency-Key header on an operation that had no parameters.
    let create_agent = spec
        .pointer_mut("/paths/~1v3~1video-agents/post")
        .expect("POST /v3/video-agents");
    assert!(create_agent.get("parameters").is_none());
    create_agent["parameters"] = json!([{
        "name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string"}
    }]);
    spec
}

/// Generates from a copy of `specs/` with `spec` in place of the April document.
/// `client.yaml` names operations by operationId, so a rename upstream is followed
/// there too (regen refuses client data naming an operation that is gone).
fn generate(spec: &Value) -> (tempfile::TempDir, generator::Generated) {
    let dir = specs_copy();
    let text = serde_json::to_string_pretty(spec).expect("serialise");
    std::fs::write(dir.path().join(contract::FULL_SPEC), text).expect("write spec");
    let me = spec["paths"]["/v3/users/me"]["get"]["operationId"]
        .as_str()
        .expect("GET /v3/users/me has an operationId");
    let client = dir.path().join("client.yaml");
    let data = std::fs::read_to_string(&client).expect("client.yaml");
    std::fs::write(
        &client,
        data.replace("v3: getUserMeV3", &format!("v3: {me}")),
    )
    .expect("write client.yaml");
    let generated =
        generator::generate(&generator::Options::for_workspace(dir.path())).expect("generate");
    (dir, generated)
}

/// The call path of the operation `http` in `surface`.
fn call(surface: &Surface, http: &str) -> String {
    surface
        .operation(http)
        .unwrap_or_else(|| panic!("no operation {http}"))
        .call
        .clone()
}

/// The name of the type declared at `origin` in `surface`.
fn type_at(surface: &Surface, origin: &str) -> String {
    let origin = format!("external-api#{origin}");
    surface
        .types
        .iter()
        .find(|t| t.origin == origin)
        .unwrap_or_else(|| panic!("no type from {origin}"))
        .name
        .clone()
}

fn find<'a>(report: &'a ChangeReport, kind: ChangeKind, item: &str) -> &'a Change {
    report
        .changes
        .iter()
        .find(|c| c.kind == kind && c.item == item)
        .unwrap_or_else(|| panic!("no {kind:?} change for {item}"))
}

/// `cargo check` of a generated crate outside the workspace, as tests/e2e.rs builds it.
fn cargo_check(files: &std::collections::BTreeMap<String, String>) {
    let out = tempfile::tempdir().expect("tempdir");
    let crate_dir = out.path().join("heygen");
    let lockfile = workspace_root().join("Cargo.lock");
    generator::write::write_standalone(&crate_dir, files, Some(&lockfile), &[])
        .expect("write the crate");
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", workspace_root().join("target/e2e"))
        .output()
        .expect("run cargo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cargo check of the updated crate failed:\n{stderr}"
    );
}

#[test]
fn next_release_of_the_real_spec() {
    let text = std::fs::read_to_string(full_spec()).expect("read the April spec");
    let april: Value = serde_json::from_str(&text).expect("April spec is JSON");
    let before_spec = before(&april);
    let after_spec = after(&before_spec);
    let (_before_dir, old) = generate(&before_spec);
    let (_after_dir, new) = generate(&after_spec);
    let old_surface = Surface::from_api(&old.api);
    let new_surface = Surface::from_api(&new.api);
    let report = ChangeReport::compare(&old_surface, &new_surface);
    let rendered = report.render(Some("0.1.0"));
    println!("{rendered}");

    use ChangeKind::*;
    use Severity::*;
    let t = |name: &str| format!("heygen::types::{name}");
    let sessions = [
        "POST /v3/video-agents/sessions",
        "GET /v3/video-agents/sessions/{session_id}",
        "POST /v3/video-agents/sessions/{session_id}/messages",
        "GET /v3/video-agents/sessions/{session_id}/resources",
        "POST /v3/video-agents/sessions/{session_id}/stop",
    ];
    let agent_params = new_surface
        .operation("POST /v3/video-agents")
        .and_then(|op| op.params_struct.clone())
        .expect("POST /v3/video-agents has a params struct");
    let agent_group = &new_surface
        .operation("POST /v3/video-agents")
        .expect("op")
        .group;
    let mut expected: Vec<(Severity, ChangeKind, String)> = vec![
        // (a) engine: string -> object.
        (Breaking, FieldChanged, t("CreateVideoFromAvatar::engine")),
        (
            Additive,
            TypeAdded,
            t(&type_at(
                &new_surface,
                "/components/schemas/CreateVideoFromAvatar/properties/engine",
            )),
        ),
        (
            Additive,
            TypeAdded,
            t(&type_at(
                &new_surface,
                "/components/schemas/CreateVideoFromAvatar/properties/engine/properties/type",
            )),
        ),
        // (b) fps_mode: string -> enum.
        (
            Breaking,
            FieldChanged,
            t("CreateVideoTranslationRequest::fps_mode"),
        ),
        (
            Additive,
            TypeAdded,
            t(&type_at(
                &new_surface,
                "/components/schemas/CreateVideoTranslationRequest/properties/fps_mode",
            )),
        ),
        // (d) operationId renamed.
        (
            Breaking,
            OperationRenamed,
            call(&old_surface, "GET /v3/users/me"),
        ),
        // (e) response enum value added.
        (
            Additive,
            EnumValueAdded,
            format!(
                "{}::Thinking",
                t(&type_at(
                    &new_surface,
                    "/components/schemas/CreateVideoAgentResponse/properties/status"
                ))
            ),
        ),
        // (f) a new 409.
        (
            Other,
            ErrorStatusAdded,
            call(&new_surface, "POST /v3/webhooks/endpoints"),
        ),
        // (g) a new endpoint and its response type.
        (
            Additive,
            OperationAdded,
            call(&new_surface, "DELETE /v3/assets/{asset_id}"),
        ),
        (Additive, TypeAdded, t("DeleteAssetResponse")),
        // (h) a new required request field.
        (
            Breaking,
            FieldAdded,
            t("CreateWebhookEndpointRequest::name"),
        ),
        // (i) new optional request fields.
        (Additive, FieldAdded, t("CreateVideoFromAvatar::fit")),
        (
            Additive,
            FieldAdded,
            t("CreateVideoAgentRequest::brand_kit_id"),
        ),
        // (j) a response field removed.
        (Breaking, FieldRemoved, t("UserInfoResponse::last_name")),
        // (k) a new Idempotency-Key header where the method took no params struct yet.
        (
            Additive,
            ParameterAdded,
            format!("heygen::{agent_group}::{agent_params}::idempotency_key"),
        ),
        (
            Breaking,
            ParamsArgumentChanged,
            call(&new_surface, "POST /v3/video-agents"),
        ),
    ];
    // (c) the five session routes.
    for http in sessions {
        expected.push((Breaking, OperationRemoved, call(&old_surface, http)));
    }
    expected.sort();
    let mut actual: Vec<(Severity, ChangeKind, String)> = report
        .changes
        .iter()
        .map(|c| (c.severity, c.kind, c.item.clone()))
        .collect();
    actual.sort();
    assert_eq!(
        actual, expected,
        "reported changes (left) and expected ones (right):\n{rendered}"
    );

    // The lines say what changed, in terms of the Rust API, with spec locations.
    let renamed = find(
        &report,
        OperationRenamed,
        &call(&old_surface, "GET /v3/users/me"),
    );
    assert!(
        renamed
            .message
            .contains(&call(&new_surface, "GET /v3/users/me")),
        "{}",
        renamed.message
    );
    assert!(
        renamed.message.contains("getUserMeV3 -> getCurrentUserV3"),
        "{}",
        renamed.message
    );
    assert_eq!(renamed.origin, "external-api#/paths/~1v3~1users~1me/get");
    let fps = find(
        &report,
        FieldChanged,
        &t("CreateVideoTranslationRequest::fps_mode"),
    );
    assert!(fps.message.contains("`Option<String>`"), "{}", fps.message);
    assert!(
        fps.message
            .contains("only `vfr`, `cfr`, `passthrough` are accepted"),
        "{}",
        fps.message
    );
    assert_eq!(
        fps.origin,
        "external-api#/components/schemas/CreateVideoTranslationRequest/properties/fps_mode"
    );
    let engine = find(&report, FieldChanged, &t("CreateVideoFromAvatar::engine"));
    assert!(engine.message.contains("(request)"), "{}", engine.message);
    let thinking = report
        .changes
        .iter()
        .find(|c| c.kind == EnumValueAdded)
        .expect("thinking");
    assert!(
        thinking.message.contains("Unknown(\"thinking\")"),
        "{}",
        thinking.message
    );
    let conflict = find(
        &report,
        ErrorStatusAdded,
        &call(&new_surface, "POST /v3/webhooks/endpoints"),
    );
    assert!(conflict.message.contains("409"), "{}", conflict.message);
    let key = report
        .changes
        .iter()
        .find(|c| c.kind == ParameterAdded)
        .expect("header");
    assert!(
        key.message.contains("request header `Idempotency-Key`"),
        "{}",
        key.message
    );

    // Breaking changes: a major bump, which below 1.0 raises the minor number (Cargo's convention).
    assert_eq!(report.bump(), Some(Bump::Major));
    assert!(
        rendered.contains("Proposed version bump: major (0.1.0 -> 0.2.0)"),
        "{rendered}"
    );
    assert!(report.has_at_least(Breaking));

    // The surfaces survive their file format.
    for surface in [&old_surface, &new_surface] {
        let text = surface.to_json().expect("json");
        assert_eq!(
            &Surface::from_json(&text, Path::new("api-surface.json")).expect("reads back"),
            surface
        );
    }
    assert_eq!(
        new.files["api-surface.json"],
        new_surface.to_json().expect("json")
    );

    // The crate for the updated spec still compiles.
    cargo_check(&new.files);
}

/// Generates the fixture folder `tests/fixtures/changes/<name>`.
fn fixture_surface(name: &str) -> Surface {
    let specs = workspace_root().join("tests/fixtures/changes").join(name);
    let generated = generator::generate(&generator::Options::for_workspace(&specs))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    Surface::from_api(&generated.api)
}

#[test]
fn fixture_update_report() {
    let before = fixture_surface("before");
    let after = fixture_surface("after");
    let report = ChangeReport::compare(&before, &after);
    insta::assert_snapshot!("fixture_update_report", report.render(Some("0.4.2")));
    insta::assert_snapshot!(
        "fixture_update_changelog",
        report.changelog_section("1.0.0", "2026-06-01")
    );
    assert_eq!(report.bump(), Some(Bump::Major));
    // Deterministic: the same inputs give the same text.
    assert_eq!(
        report.render(None),
        ChangeReport::compare(&fixture_surface("before"), &fixture_surface("after")).render(None)
    );
}

#[test]
fn fixture_update_in_reverse() {
    // Going back undoes every change: additions become removals (breaking).
    let before = fixture_surface("before");
    let after = fixture_surface("after");
    let forward = ChangeReport::compare(&before, &after);
    let backward = ChangeReport::compare(&after, &before);
    let kinds = |report: &ChangeReport, kind: ChangeKind| {
        report.changes.iter().filter(|c| c.kind == kind).count()
    };
    assert_eq!(
        kinds(&forward, ChangeKind::OperationAdded),
        kinds(&backward, ChangeKind::OperationRemoved)
    );
    assert_eq!(
        kinds(&forward, ChangeKind::TypeAdded),
        kinds(&backward, ChangeKind::TypeRemoved)
    );
    assert_eq!(
        kinds(&forward, ChangeKind::ErrorStatusAdded),
        kinds(&backward, ChangeKind::ErrorStatusRemoved)
    );
    assert_eq!(backward.bump(), Some(Bump::Major));
}

#[test]
fn same_surface_no_changes() {
    let surface = fixture_surface("after");
    let report = ChangeReport::compare(&surface, &surface);
    assert!(report.is_empty());
    assert_eq!(report.bump(), None);
    assert_eq!(report.render(Some("1.0.0")), "No API changes.\n");
}

#[test]
fn only_additions_propose_a_minor_bump_and_other_a_patch() {
    let before = fixture_surface("before");
    let mut added = before.clone();
    let mut op = added.operations[0].clone();
    op.http = "GET /v3/extra".into();
    op.call = "client.widgets().extra()".into();
    added.operations.push(op);
    let report = ChangeReport::compare(&before, &added);
    assert_eq!(report.bump(), Some(Bump::Minor), "{}", report.render(None));
    // Below 1.0 (Cargo's convention) only a breaking change raises the minor number.
    assert!(report
        .render(Some("0.4.2"))
        .contains("minor (0.4.2 -> 0.4.3)"));
    assert!(report
        .render(Some("1.4.2"))
        .contains("minor (1.4.2 -> 1.5.0)"));
    assert!(!report.has_at_least(Severity::Breaking));
    assert!(report.has_at_least(Severity::Additive));

    let mut other = before.clone();
    other.operations[0]
        .errors
        .push(generator::surface::ErrorSurface {
            status: 503,
            shape: "standard".into(),
            headers: Vec::new(),
        });
    let report = ChangeReport::compare(&before, &other);
    assert_eq!(report.bump(), Some(Bump::Patch), "{}", report.render(None));
    assert!(!report.has_at_least(Severity::Additive));
}

/// Generates `tests/fixtures/changes/names/<name>`, keeping the names of `previous`.
fn names_surface(name: &str, previous: Option<&Surface>) -> (Surface, Vec<String>) {
    let specs = workspace_root()
        .join("tests/fixtures/changes/names")
        .join(name);
    let mut options = generator::Options::for_workspace(&specs);
    options.previous = previous.cloned();
    let generated = generator::generate(&options).unwrap_or_else(|e| panic!("{name}: {e}"));
    (Surface::from_api(&generated.api), generated.report.notes)
}

fn type_at_origin<'a>(surface: &'a Surface, pointer: &str) -> &'a generator::surface::TypeSurface {
    let origin = format!("openapi#{pointer}");
    surface
        .types
        .iter()
        .find(|t| t.origin == origin)
        .unwrap_or_else(|| panic!("no type from {origin}"))
}

#[test]
fn names_stay_across_an_update() {
    let (before, _) = names_surface("before", None);
    let (after, notes) = names_surface("after", Some(&before));

    // Every type still at its place keeps its name; so does every method.
    for def in &before.types {
        let now = type_at_origin(&after, def.origin.trim_start_matches("openapi#"));
        assert_eq!(now.name, def.name, "the type at {}", def.origin);
    }
    let calls: Vec<(&str, &str)> = after
        .operations
        .iter()
        .map(|op| (op.operation_id.as_str(), op.call.as_str()))
        .collect();
    for (id, call) in [
        ("listPaymentsV1", "client.payments().list_payments()"),
        // Moved to another path, found by its operationId.
        ("getPayment", "client.payments().get_payment()"),
        // Renamed operationId, same place.
        (
            "listWebhookEventTypes",
            "client.webhooks().list_webhook_events()",
        ),
        // The newcomer takes the version-suffixed name.
        ("listPaymentsV2", "client.payments().list_payments_v2()"),
    ] {
        assert!(calls.contains(&(id, call)), "{id} -> {call} in {calls:?}");
    }

    // New component schemas that collide with the names of inline types are the ones renamed.
    let card = type_at_origin(&after, "/components/schemas/Card");
    let bank = type_at_origin(&after, "/components/schemas/BankAccount");
    assert_eq!(
        (card.name.as_str(), bank.name.as_str()),
        ("Card2", "BankAccount2")
    );
    assert!(
        notes.contains(&"type name `Card` was taken: named `Card2`".to_string()),
        "{notes:?}"
    );
    // An inline enum now met first at a new place keeps the name of its old place.
    let status = type_at_origin(&after, "/components/schemas/Payment/properties/status");
    assert_eq!(status.name, "PaymentStatus");
    let invoice = after.type_named("Invoice").expect("Invoice");
    let TypeShape::Struct { fields, .. } = &invoice.shape else {
        panic!("Invoice is a struct")
    };
    assert!(
        fields
            .iter()
            .any(|f| f.wire == "status" && f.ty == "PaymentStatus"),
        "{fields:?}"
    );

    // A single-variant union is its variant: no wrapper, no `EmailReceipt2`, and the
    // struct keeps its discriminator field so that it still sends it.
    let receipt = after.type_named("EmailReceipt").expect("EmailReceipt");
    let TypeShape::Struct { fields, .. } = &receipt.shape else {
        panic!("EmailReceipt is a struct: {:?}", receipt.shape)
    };
    assert!(
        fields.iter().any(|f| f.wire == "type" && f.required),
        "{fields:?}"
    );
    assert!(after.type_named("EmailReceipt2").is_none());
    let payment = after.type_named("Payment").expect("Payment");
    let TypeShape::Struct { fields, .. } = &payment.shape else {
        panic!("Payment is a struct")
    };
    assert!(
        fields
            .iter()
            .any(|f| f.wire == "receipt" && f.ty == "EmailReceipt"),
        "{fields:?}"
    );

    // Without the lock, the same update renames what users already had.
    let (unlocked, _) = names_surface("after", None);
    let card = type_at_origin(
        &unlocked,
        "/components/schemas/Payment/properties/method/anyOf/0",
    );
    assert_eq!(card.name, "Card2");
    let report = ChangeReport::compare(&before, &after);
    assert!(
        !report
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::TypeRenamed),
        "{}",
        report.render(None)
    );
    insta::assert_snapshot!("names_update_report", report.render(Some("0.4.2")));
}

#[test]
fn report_follows_renamed_types_and_moved_operations() {
    // Without a lock (a first regen with this generator, or a hand-deleted
    // api-surface.json) names do change: the report still lists what changed
    // inside a renamed type, under its new name, and moved operations as moves.
    let (before, _) = names_surface("before", None);
    let (after, _) = names_surface("after", None);
    let report = ChangeReport::compare(&before, &after);
    let rendered = report.render(Some("0.4.2"));
    let renamed = find(
        &report,
        ChangeKind::TypeRenamed,
        "heygen::types::ListWebhookEventsDataItem",
    );
    assert!(
        renamed
            .message
            .contains("renamed to `heygen::types::ListWebhookEventTypesDataItem`"),
        "{rendered}"
    );
    let value = find(
        &report,
        ChangeKind::EnumValueAdded,
        "heygen::types::ListWebhookEventTypesDataItem::RefundCreated",
    );
    assert_eq!(value.severity, Severity::Additive, "{rendered}");
    let moved = find(
        &report,
        ChangeKind::OperationMoved,
        "client.payments().get_payment()",
    );
    assert!(
        moved.message.contains(
            "moved from `GET /v3/payments/{payment_id}` to `GET /v3/payment-records/{payment_id}`"
        ),
        "{rendered}"
    );
    // Moved with another operationId: matched by summary, body and return type.
    find(
        &report,
        ChangeKind::OperationMoved,
        "client.payments().remove_payment()",
    );
    for kind in [ChangeKind::OperationAdded, ChangeKind::OperationRemoved] {
        assert!(
            !report
                .changes
                .iter()
                .any(|c| c.kind == kind && c.item.contains("payment()")),
            "{rendered}"
        );
    }
    insta::assert_snapshot!("names_update_report_unlocked", rendered);
}
