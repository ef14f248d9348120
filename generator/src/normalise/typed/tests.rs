use serde_json::json;

use super::*;

/// A small valid document; each test breaks one node of it.
fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/{id}": {"get": {
            "summary": "Get",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "q", "in": "query", "schema": {"type": "integer", "minimum": 1}}
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}
            }}}}
        }}},
        "components": {"schemas": {"A": {"type": "object", "properties": {
            "id": {"type": "string"},
            "tags": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}
        }, "required": ["id"]}}}
    })
}

/// Where `locate` ends after the whole document failed to read.
fn located(document: &Value) -> (String, String) {
    let error = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(document)
        .expect_err("the document must not read");
    let start = path_segments(error.path());
    let (path, message) = locate(document, start, error.into_inner().to_string());
    (crate::text::pointer_from_tokens(&path), message)
}

fn broken(pointer: &str, value: Option<Value>) -> Value {
    let mut document = document();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = document.pointer_mut(parent).unwrap();
    match (parent, value) {
        (Value::Object(map), Some(value)) => {
            map.insert(key.to_string(), value);
        }
        (Value::Object(map), None) => {
            map.shift_remove(key);
        }
        (Value::Array(items), Some(value)) => items[key.parse::<usize>().unwrap()] = value,
        _ => unreachable!(),
    }
    document
}

const STRING_EXPECTED: &str = "invalid type: integer `0`, expected a string";

#[test]
fn the_document_as_written_reads() {
    serde_json::from_value::<openapiv3::OpenAPI>(document()).unwrap();
}

#[test]
fn a_scalar_of_an_operation_or_parameter_is_found() {
    assert_eq!(
        located(&broken("/paths/~1a~1{id}/get/summary", Some(json!(0)))),
        (
            "/paths/~1a~1{id}/get/summary".into(),
            STRING_EXPECTED.into()
        )
    );
    assert_eq!(
        located(&broken(
            "/paths/~1a~1{id}/get/parameters/1/name",
            Some(json!(0))
        ))
        .0,
        "/paths/~1a~1{id}/get/parameters/1/name"
    );
    assert_eq!(
        located(&broken(
            "/paths/~1a~1{id}/get/parameters/1/schema/minimum",
            Some(json!("1"))
        ))
        .0,
        "/paths/~1a~1{id}/get/parameters/1/schema/minimum"
    );
    assert_eq!(
        located(&broken(
            "/paths/~1a~1{id}/get/responses/200/description",
            Some(json!(0))
        )),
        (
            "/paths/~1a~1{id}/get/responses/200/description".into(),
            STRING_EXPECTED.into()
        )
    );
}

#[test]
fn a_scalar_deep_in_a_schema_is_found() {
    assert_eq!(
        located(&broken(
            "/components/schemas/A/properties/id/type",
            Some(json!(0))
        )),
        (
            "/components/schemas/A/properties/id/type".into(),
            STRING_EXPECTED.into()
        )
    );
    assert_eq!(
        located(&broken(
            "/components/schemas/A/properties/tags/items/anyOf/1/type",
            Some(json!(0))
        ))
        .0,
        "/components/schemas/A/properties/tags/items/anyOf/1/type"
    );
    assert_eq!(
        located(&broken("/components/schemas/A/required/0", Some(json!(0)))).0,
        "/components/schemas/A/required/0"
    );
}

#[test]
fn a_missing_key_is_reported_at_its_parent() {
    let (pointer, message) = located(&broken("/paths/~1a~1{id}/get/responses", None));
    assert_eq!(pointer, "/paths/~1a~1{id}/get");
    assert_eq!(message, "missing field `responses`");
    assert_eq!(
        located(&broken("/paths/~1a~1{id}/get/parameters/0/schema", None)).0,
        "/paths/~1a~1{id}/get/parameters/0"
    );
}

#[test]
fn an_object_made_a_string_is_found() {
    assert_eq!(
        located(&broken(
            "/paths/~1a~1{id}/get/responses/200",
            Some(json!("x"))
        ))
        .0,
        "/paths/~1a~1{id}/get/responses/200"
    );
    assert_eq!(
        located(&broken(
            "/components/schemas/A/properties/tags/items",
            Some(json!("x"))
        ))
        .0,
        "/components/schemas/A/properties/tags/items"
    );
}
