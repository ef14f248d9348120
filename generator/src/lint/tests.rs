use super::*;
use serde_json::{json, Value};

fn check(schema: Value, instance: Value) -> Vec<String> {
    let root = json!({"components": {"schemas": {
        "Id": {"type": "string", "minLength": 2},
        "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}, "additionalProperties": false},
        "Loop": {"$ref": "#/components/schemas/Loop"},
    }}});
    validate(&root, &schema, "/s", &instance)
        .into_iter()
        .map(|m| format!("{}|{}|{}", m.at, m.schema, m.message))
        .collect()
}

#[test]
fn types_and_nullable() {
    assert!(check(json!({"type": "string"}), json!("a")).is_empty());
    assert_eq!(
        check(json!({"type": "string"}), json!(["a"])),
        [r#"|/s|expected string, found array ["a"]"#]
    );
    assert_eq!(
        check(json!({"type": "string"}), json!(null)),
        ["|/s|expected string, found null"]
    );
    assert!(check(json!({"type": "string", "nullable": true}), json!(null)).is_empty());
    assert!(check(json!({"type": "integer"}), json!(3.0)).is_empty());
    assert!(!check(json!({"type": "integer"}), json!(3.5)).is_empty());
    assert!(check(json!({"type": "number"}), json!(3)).is_empty());
    assert!(check(json!({"type": ["string", "null"]}), json!(null)).is_empty());
    assert!(check(json!({"type": "boolean"}), json!(true)).is_empty());
    assert!(check(json!({}), json!({"any": 1})).is_empty());
    // the normalised `type: "null"`
    let null = json!({"nullable": true, "enum": [null], "x-null": true});
    assert!(check(null.clone(), json!(null)).is_empty());
    assert!(!check(null, json!(1)).is_empty());
}

#[test]
fn enum_and_const() {
    assert!(check(json!({"enum": ["a", "b"]}), json!("b")).is_empty());
    assert_eq!(
        check(json!({"enum": ["a", "b"]}), json!("c")),
        [r#"|/s|"c" is not one of "a", "b""#]
    );
    assert!(check(json!({"enum": [1]}), json!(1.0)).is_empty());
    assert!(check(json!({"enum": ["v"], "x-const": "v"}), json!("v")).is_empty());
    assert_eq!(
        check(json!({"enum": ["v"], "x-const": "v"}), json!("w")),
        [r#"|/s|expected the constant "v", found "w""#]
    );
    assert!(!check(json!({"const": {"a": [1]}}), json!({"a": [2]})).is_empty());
}

#[test]
fn objects() {
    let schema = json!({
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"$ref": "#/components/schemas/Id"}, "n": {"type": "integer"}},
        "additionalProperties": false,
    });
    assert!(check(schema.clone(), json!({"id": "ab", "n": 1})).is_empty());
    assert_eq!(
        check(schema.clone(), json!({"n": "x", "extra": 1})),
        [
            "|/s|the required property `id` is missing",
            "/n|/s/properties/n|expected integer, found string \"x\"",
            "/extra|/s|the property `extra` is not declared (additionalProperties: false)",
        ]
    );
    assert_eq!(
        check(schema, json!({"id": "a"})),
        ["/id|/components/schemas/Id|\"a\" has 1 characters, fewer than minLength 2"]
    );
    let map = json!({"type": "object", "additionalProperties": {"type": "integer"}});
    assert!(check(map.clone(), json!({"a": 1, "b": 2})).is_empty());
    assert_eq!(
        check(map, json!({"a": "1"})),
        ["/a|/s/additionalProperties|expected integer, found string \"1\""]
    );
    // recursion through $ref
    let node = json!({"$ref": "#/components/schemas/Node"});
    assert!(check(node.clone(), json!({"next": {"next": {}}})).is_empty());
    assert_eq!(
        check(node, json!({"next": {"oops": 1}})),
        ["/next/oops|/components/schemas/Node|the property `oops` is not declared (additionalProperties: false)"]
    );
    // a cycle without progress is reported, not followed forever
    let cycle = check(json!({"$ref": "#/components/schemas/Loop"}), json!(1));
    assert!(cycle[0].contains("nests too deeply"), "{cycle:?}");
    let missing = check(json!({"$ref": "#/components/schemas/Nope"}), json!(1));
    assert!(missing[0].contains("does not resolve"), "{missing:?}");
}

#[test]
fn arrays_numbers_strings() {
    let list = json!({"type": "array", "items": {"type": "string", "maxLength": 3}, "maxItems": 2});
    assert!(check(list.clone(), json!(["a", "b"])).is_empty());
    assert_eq!(
        check(list, json!(["a", "long", "c"])),
        [
            "|/s|3 items, more than maxItems 2",
            "/1|/s/items|\"long\" has 4 characters, more than maxLength 3"
        ]
    );
    let bounded = json!({"type": "number", "minimum": 0, "maximum": 1, "exclusiveMaximum": true});
    assert!(check(bounded.clone(), json!(0)).is_empty());
    assert_eq!(
        check(bounded.clone(), json!(1)),
        ["|/s|1 is not less than the exclusive maximum 1"]
    );
    assert_eq!(
        check(bounded, json!(-1)),
        ["|/s|-1 is less than the minimum 0"]
    );
    assert!(!check(json!({"exclusiveMinimum": 5}), json!(5)).is_empty());
    // format is ignored
    assert!(check(json!({"type": "string", "format": "uuid"}), json!("x")).is_empty());
}

#[test]
fn combinators() {
    let any = json!({"anyOf": [{"type": "integer"}, {"type": "string"}]});
    assert!(check(any.clone(), json!(100)).is_empty());
    assert!(check(any.clone(), json!("100")).is_empty());
    let failed = check(any, json!([1]));
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].starts_with("|/s|[1] matches none of the 2 `anyOf` members; the closest (#/s/anyOf/0): expected integer"),
        "{failed:?}"
    );
    let one = json!({"oneOf": [{"type": "number"}, {"type": "integer"}]});
    assert!(check(one.clone(), json!(1.5)).is_empty());
    assert_eq!(
        check(one, json!(1)),
        ["|/s|1 matches 2 `oneOf` members (0, 1); exactly one must match"]
    );
    let all = json!({"allOf": [{"required": ["a"]}, {"properties": {"a": {"type": "string"}}}]});
    assert!(check(all.clone(), json!({"a": "x"})).is_empty());
    assert_eq!(
        check(all, json!({"a": 1})),
        ["/a|/s/allOf/1/properties/a|expected string, found integer 1"]
    );
    assert_eq!(
        check(json!({"not": {}}), json!(1)),
        ["|/s|1 matches the `not` schema"]
    );
    // nullable around a $ref (the normalised `anyOf: [$ref, null]`)
    let wrapped = json!({"allOf": [{"$ref": "#/components/schemas/Id"}], "nullable": true});
    assert!(check(wrapped.clone(), json!(null)).is_empty());
    assert!(!check(wrapped, json!("a")).is_empty());
}

fn doc(value: Value) -> Document {
    Document::from_value("d", "specs/d.json", value)
}

#[test]
fn finds_every_kind_of_example() {
    let document = doc(json!({
        "openapi": "3.0.3",
        "paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "schema": {"type": "integer"}, "example": "x"}],
            "post": {
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"}, "examples": {"one": {"value": 1}, "ref": {"$ref": "#/components/examples/Two"}}},
                    {"$ref": "#/components/parameters/P"},
                ],
                "requestBody": {"content": {"application/json": {
                    "schema": {"type": "object", "properties": {"n": {"type": "integer", "default": "zero", "example": 1}}},
                    "example": {"n": "one"},
                }}},
                "responses": {"200": {
                    "headers": {"X-Rate": {"schema": {"type": "integer"}, "example": 1.5}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}, "examples": {"ok": {"value": {"s": "fine"}}}}},
                }},
            },
        }},
        "components": {
            "schemas": {"S": {"type": "object", "properties": {"s": {"type": "string", "x-examples": ["a", 2], "example": "a"}}}},
            "parameters": {"P": {"name": "p", "in": "header", "schema": {"type": "boolean"}, "example": "yes"}},
            "examples": {"Two": {"value": true}},
        },
    }));
    let lint = lint_document(&document);
    assert_eq!((lint.examples, lint.defaults), (10, 1));
    let found: Vec<(ValueKind, &str, &str)> = lint
        .findings
        .iter()
        .map(|f| (f.kind, f.pointer.as_str(), f.at.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (ValueKind::Example, "/components/parameters/P/example", ""),
            (ValueKind::Example, "/components/schemas/S/properties/s/x-examples/1", ""),
            (ValueKind::Example, "/paths/~1a~1{id}/parameters/0/example", ""),
            (ValueKind::Example, "/paths/~1a~1{id}/post/parameters/0/examples/one/value", ""),
            (ValueKind::Example, "/paths/~1a~1{id}/post/parameters/0/examples/ref/value", ""),
            (ValueKind::Example, "/paths/~1a~1{id}/post/requestBody/content/application~1json/example", "/n"),
            (ValueKind::Default, "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/n/default", ""),
            (ValueKind::Example, "/paths/~1a~1{id}/post/responses/200/headers/X-Rate/example", ""),
        ]
    );
    assert_eq!(lint.examples_failed(), 7);
    assert_eq!(lint.defaults_failed(), 1);
    let text = lint.findings[5].to_string();
    assert_eq!(
        text,
        "specs/d.json at #/paths/~1a~1{id}/post/requestBody/content/application~1json/example: \
         example /n: expected integer, found string \"one\" \
         (schema #/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/n)"
    );
}

#[test]
fn findings_are_sorted_and_order_free() {
    let a = doc(
        json!({"paths": {}, "components": {"schemas": {"A": {"type": "string", "example": 1}}}}),
    );
    let mut b = a.clone();
    b.id = "b".into();
    b.path = "specs/b.json".into();
    let one = lint(&[a.clone(), b.clone()]);
    let two = lint(&[b, a]);
    assert_eq!(one, two);
    assert_eq!(one.findings.len(), 2);
    assert_eq!(one.findings[0].file, PathBuf::from("specs/b.json"));
}
