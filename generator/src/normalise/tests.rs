use super::rewrites::*;
use super::*;
use serde_json::json;
use std::path::Path;

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

// --- one test per rewrite ---------------------------------------------------------

#[test]
fn type_array_nullable() {
    let mut s = json!({"type": ["string", "null"], "description": "d"});
    assert_eq!(type_array(&mut s), Ok(true));
    assert_eq!(
        s,
        json!({"type": "string", "nullable": true, "description": "d"})
    );
    assert_eq!(keys(&s), ["type", "nullable", "description"]);
    let mut s = json!({"type": ["null", "object"], "properties": {}});
    assert_eq!(type_array(&mut s), Ok(true));
    assert_eq!(
        s,
        json!({"type": "object", "nullable": true, "properties": {}})
    );
    let mut s = json!({"type": ["integer"]});
    assert_eq!(type_array(&mut s), Ok(true));
    assert_eq!(s, json!({"type": "integer"}));
    let mut s = json!({"type": "string"});
    assert_eq!(type_array(&mut s), Ok(false));
}

#[test]
fn type_array_several_types() {
    let mut s = json!({
        "type": ["string", "integer", "null"], "description": "d", "maxLength": 3,
        "minimum": 1, "format": "int64", "default": null
    });
    assert_eq!(type_array(&mut s), Ok(true));
    assert_eq!(
        s,
        json!({
            "anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1, "format": "int64"}],
            "nullable": true, "description": "d", "default": null
        })
    );
    assert_eq!(keys(&s), ["anyOf", "nullable", "description", "default"]);
    let mut s = json!({"type": ["array", "object"], "items": {"type": "string"}, "properties": {"a": {}}, "required": ["a"]});
    assert_eq!(type_array(&mut s), Ok(true));
    assert_eq!(
        s,
        json!({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object", "properties": {"a": {}}, "required": ["a"]}]})
    );
}

#[test]
fn type_array_splits_enum_values() {
    let mut s = json!({"type": ["string", "integer", "boolean"], "enum": ["a", 1, "b", null]});
    assert_eq!(type_array(&mut s), Ok(true));
    assert_eq!(
        s,
        json!({"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "integer", "enum": [1]}]})
    );
    let mut s = json!({"type": ["number", "string"], "enum": [2]});
    assert_eq!(type_array(&mut s), Ok(true));
    assert_eq!(s, json!({"anyOf": [{"type": "number", "enum": [2]}]}));
}

#[test]
fn type_array_errors() {
    let mut s = json!({"type": []});
    assert!(type_array(&mut s).is_err());
    let mut s = json!({"type": ["string", "file"]});
    assert!(type_array(&mut s).is_err_and(|e| e.contains("\"file\"")));
    let mut s = json!({"type": ["string", 3]});
    assert!(type_array(&mut s).is_err());
    let mut s = json!({"type": ["string", "integer"], "anyOf": [{}]});
    assert!(type_array(&mut s).is_err());
    let mut s = json!({"type": ["null"]});
    assert_eq!(type_array(&mut s), Ok(true));
    assert_eq!(s, json!({"type": "null"}));
}

#[test]
fn null_type_rewrite() {
    let mut s = json!({"type": "null", "description": "always null"});
    assert!(null_type(&mut s));
    assert_eq!(
        s,
        json!({"nullable": true, "enum": [null], "x-null": true, "description": "always null"})
    );
    assert!(is_null_schema(&s));
    assert!(!null_type(&mut s));
    let mut s = json!({"type": "string"});
    assert!(!null_type(&mut s));
}

#[test]
fn null_schemas() {
    for null in [
        json!({"type": "null"}),
        json!({"type": "null", "description": "x"}),
        json!({"nullable": true, "enum": [null], "x-null": true}),
        json!({"enum": [null]}),
        json!({"const": null}),
    ] {
        assert!(is_null_schema(&null), "{null}");
    }
    for other in [
        json!({"nullable": true}),
        json!({}),
        json!({"type": "string"}),
        json!({"type": ["string", "null"]}),
        json!({"type": "null", "properties": {}}),
        json!({"enum": [null, "a"]}),
        json!(null),
    ] {
        assert!(!is_null_schema(&other), "{other}");
    }
}

#[test]
fn nullable_union_inline_member() {
    let mut s = json!({
        "anyOf": [{"type": "string", "description": "inner", "maxLength": 5}, {"type": "null"}],
        "description": "outer", "title": "Title", "default": null
    });
    assert!(nullable_union(&mut s));
    assert_eq!(
        s,
        json!({"type": "string", "maxLength": 5, "nullable": true, "description": "outer", "title": "Title", "default": null})
    );
    assert_eq!(
        keys(&s),
        [
            "type",
            "maxLength",
            "nullable",
            "description",
            "title",
            "default"
        ]
    );
}

#[test]
fn nullable_union_member_description_kept_when_node_has_none() {
    let mut s = json!({"oneOf": [{"type": "null"}, {"type": "integer", "description": "inner"}]});
    assert!(nullable_union(&mut s));
    assert_eq!(
        s,
        json!({"type": "integer", "description": "inner", "nullable": true})
    );
}

#[test]
fn nullable_union_ref_member() {
    let mut s = json!({
        "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}],
        "description": "d", "default": null
    });
    assert!(nullable_union(&mut s));
    assert_eq!(
        s,
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true, "description": "d", "default": null})
    );
    assert_eq!(keys(&s), ["allOf", "nullable", "description", "default"]);
}

#[test]
fn nullable_union_conflict_keeps_member_whole() {
    let mut s = json!({
        "anyOf": [{"type": "object", "properties": {"a": {}}}, {"type": "null"}],
        "type": "string"
    });
    assert!(nullable_union(&mut s));
    assert_eq!(
        s,
        json!({"allOf": [{"type": "object", "properties": {"a": {}}}], "nullable": true, "type": "string"})
    );
}

#[test]
fn nullable_union_many_members() {
    let mut s =
        json!({"anyOf": [{"type": "string"}, {"type": "null"}, {"type": "integer"}], "title": "T"});
    assert!(nullable_union(&mut s));
    assert_eq!(
        s,
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true, "title": "T"})
    );
    // a discriminated oneOf made nullable
    let mut s = json!({"oneOf": [{"$ref": "#/a"}, {"$ref": "#/b"}, {"nullable": true, "enum": [null], "x-null": true}],
                       "discriminator": {"propertyName": "type"}});
    assert!(nullable_union(&mut s));
    assert_eq!(
        s,
        json!({"oneOf": [{"$ref": "#/a"}, {"$ref": "#/b"}], "nullable": true, "discriminator": {"propertyName": "type"}})
    );
}

#[test]
fn nullable_union_only_null() {
    let mut s = json!({"anyOf": [{"type": "null"}], "description": "d"});
    assert!(nullable_union(&mut s));
    assert_eq!(
        s,
        json!({"nullable": true, "enum": [null], "x-null": true, "description": "d"})
    );
    let mut s = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
    assert!(!nullable_union(&mut s));
}

#[test]
fn const_rewrite() {
    let mut s = json!({"const": "url", "type": "string", "title": "Type"});
    assert!(const_to_enum(&mut s));
    assert_eq!(
        s,
        json!({"enum": ["url"], "x-const": "url", "type": "string", "title": "Type"})
    );
    assert_eq!(keys(&s), ["enum", "x-const", "type", "title"]);
    let mut s = json!({"const": 3});
    assert!(const_to_enum(&mut s));
    assert_eq!(s, json!({"type": "integer", "enum": [3], "x-const": 3}));
    let mut s = json!({"const": 1.5});
    assert!(const_to_enum(&mut s));
    assert_eq!(s["type"], "number");
    let mut s = json!({"const": true, "enum": [true, false]});
    assert!(const_to_enum(&mut s));
    assert_eq!(
        s,
        json!({"type": "boolean", "enum": [true], "x-const": true})
    );
    let mut s = json!({"const": null});
    assert!(const_to_enum(&mut s));
    assert!(null_type(&mut s));
    assert!(is_null_schema(&s));
    let mut s = json!({"type": "string"});
    assert!(!const_to_enum(&mut s));
}

#[test]
fn ref_siblings_rewrite() {
    let mut s =
        json!({"description": "d", "$ref": "#/components/schemas/Mode", "default": "speed"});
    assert!(ref_siblings(&mut s));
    assert_eq!(
        s,
        json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/Mode"}], "default": "speed"})
    );
    assert_eq!(keys(&s), ["description", "allOf", "default"]);
    let mut s = json!({"$ref": "#/a"});
    assert!(!ref_siblings(&mut s));
    let mut s = json!({"$ref": "#/a", "allOf": [{"$ref": "#/b"}]});
    assert!(ref_siblings(&mut s));
    assert_eq!(s, json!({"allOf": [{"$ref": "#/a"}, {"$ref": "#/b"}]}));
}

#[test]
fn examples_rewrite() {
    let mut s = json!({"type": "string", "examples": ["a", "b"]});
    assert!(examples_array(&mut s));
    assert_eq!(
        s,
        json!({"type": "string", "example": "a", "x-examples": ["a", "b"]})
    );
    let mut s = json!({"type": "string", "example": "z", "examples": ["a"]});
    assert!(examples_array(&mut s));
    assert_eq!(
        s,
        json!({"type": "string", "example": "z", "x-examples": ["a"]})
    );
    let mut s = json!({"examples": []});
    assert!(examples_array(&mut s));
    assert_eq!(s, json!({"x-examples": []}));
    // not an array: a media type's `examples` map is never passed here, but even so
    let mut s = json!({"examples": {"a": {"value": 1}}});
    assert!(!examples_array(&mut s));
}

#[test]
fn exclusive_bounds_rewrite() {
    let mut s = json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 2.5});
    assert_eq!(exclusive_bounds(&mut s), 2);
    assert_eq!(
        s,
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 2.5, "exclusiveMaximum": true})
    );
    assert_eq!(
        keys(&s),
        [
            "type",
            "minimum",
            "exclusiveMinimum",
            "maximum",
            "exclusiveMaximum"
        ]
    );
    // the inclusive bound is stricter: the exclusive one goes
    let mut s = json!({"minimum": 5, "exclusiveMinimum": 1});
    assert_eq!(exclusive_bounds(&mut s), 1);
    assert_eq!(s, json!({"minimum": 5}));
    // the exclusive bound is stricter: it replaces the inclusive one
    let mut s = json!({"maximum": 5, "exclusiveMaximum": 3});
    assert_eq!(exclusive_bounds(&mut s), 1);
    assert_eq!(s, json!({"maximum": 3, "exclusiveMaximum": true}));
    // 3.0 booleans stay
    let mut s = json!({"minimum": 1, "exclusiveMinimum": true});
    assert_eq!(exclusive_bounds(&mut s), 0);
}

#[test]
fn boolean_schema_rewrite() {
    let mut s = json!(true);
    assert!(boolean_schema(&mut s));
    assert_eq!(s, json!({}));
    let mut s = json!(false);
    assert!(boolean_schema(&mut s));
    assert_eq!(s, json!({"not": {}}));
    assert!(!boolean_schema(&mut s));
}

#[test]
fn keywords_dropped_and_renamed() {
    let mut s = json!({"$schema": "x", "$id": "y", "type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"});
    assert_eq!(drop_keywords(&mut s), (2, 2));
    assert_eq!(
        s,
        json!({"type": "string", "x-content-media-type": "image/png", "x-content-encoding": "base64"})
    );
    let mut s = json!({"type": "array", "prefixItems": [{}], "maxContains": 2});
    assert_eq!(drop_keywords(&mut s), (0, 2));
    assert_eq!(keys(&s), ["type", "x-prefix-items", "x-max-contains"]);
}

#[test]
fn version() {
    let mut v = json!({"openapi": "3.1.0", "info": {}});
    assert!(set_version(&mut v));
    assert_eq!(keys(&v), ["openapi", "x-original-openapi", "info", "paths"]);
    assert_eq!(v["openapi"], "3.0.3");
    assert_eq!(v["x-original-openapi"], "3.1.0");
    assert!(!set_version(&mut v));
    assert_eq!(v["x-original-openapi"], "3.1.0");
}

// --- the walk ---------------------------------------------------------------------

fn doc(value: Value) -> Document {
    Document::from_value("t", "specs/t.json", value)
}

#[test]
fn walks_only_schema_positions() {
    let mut d = doc(json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": ["string", "null"]}}],
            "post": {
                "parameters": [{"name": "q", "in": "query", "schema": {"const": "x"}},
                               {"$ref": "#/components/parameters/P"}],
                "requestBody": {"content": {"application/json": {
                    "schema": {"type": "object", "properties": {
                        "type": {"type": "string", "examples": ["t"]},
                        "const": {"$ref": "#/components/schemas/S", "description": "a property named const"},
                        "examples": {"type": ["integer", "null"]}
                    }},
                    "examples": {"one": {"value": {"type": ["not", "a", "schema"]}}}
                }}},
                "responses": {"200": {
                    "description": "ok",
                    "headers": {"X-Rate": {"schema": {"type": ["integer", "null"]}}},
                    "content": {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/S"}, {"type": "null"}]}}}
                }}
            }
        }},
        "components": {
            "schemas": {"S": {"type": "object", "properties": {"n": {"exclusiveMinimum": 0, "type": "number"}},
                              "additionalProperties": {"type": ["string", "null"]}}},
            "parameters": {"P": {"name": "p", "in": "query", "content": {"text/plain": {"schema": {"type": ["boolean", "null"]}}}}},
            "headers": {"H": {"schema": {"examples": [1]}}},
            "responses": {"R": {"description": "r", "content": {"application/json": {"schema": {"items": {"const": 1}, "type": "array"}}}}},
            "requestBodies": {"B": {"content": {"application/json": {"schema": {"not": {"type": ["string", "null"]}}}}}}
        }
    }));
    let stats = normalise(&mut d).expect("normalises");
    let v = &d.value;
    assert_eq!(v["openapi"], "3.0.3");
    let path = &v["paths"]["/a/{id}"];
    assert_eq!(
        path["parameters"][0]["schema"],
        json!({"type": "string", "nullable": true})
    );
    let post = &path["post"];
    assert_eq!(
        post["parameters"][0]["schema"],
        json!({"type": "string", "enum": ["x"], "x-const": "x"})
    );
    let media = &post["requestBody"]["content"]["application/json"];
    let props = &media["schema"]["properties"];
    assert_eq!(keys(props), ["type", "const", "examples"]);
    assert_eq!(
        props["type"],
        json!({"type": "string", "example": "t", "x-examples": ["t"]})
    );
    assert_eq!(
        props["const"],
        json!({"allOf": [{"$ref": "#/components/schemas/S"}], "description": "a property named const"})
    );
    assert_eq!(
        props["examples"],
        json!({"type": "integer", "nullable": true})
    );
    // a media type's `examples` map is not a schema
    assert_eq!(
        media["examples"]["one"]["value"]["type"],
        json!(["not", "a", "schema"])
    );
    let ok = &post["responses"]["200"];
    assert_eq!(
        ok["headers"]["X-Rate"]["schema"],
        json!({"type": "integer", "nullable": true})
    );
    assert_eq!(
        ok["content"]["application/json"]["schema"],
        json!({"allOf": [{"$ref": "#/components/schemas/S"}], "nullable": true})
    );
    let c = &v["components"];
    assert_eq!(
        c["schemas"]["S"]["properties"]["n"],
        json!({"minimum": 0, "exclusiveMinimum": true, "type": "number"})
    );
    assert_eq!(
        c["schemas"]["S"]["additionalProperties"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        c["parameters"]["P"]["content"]["text/plain"]["schema"],
        json!({"type": "boolean", "nullable": true})
    );
    assert_eq!(
        c["headers"]["H"]["schema"],
        json!({"example": 1, "x-examples": [1]})
    );
    assert_eq!(
        c["responses"]["R"]["content"]["application/json"]["schema"]["items"],
        json!({"type": "integer", "enum": [1], "x-const": 1})
    );
    assert_eq!(
        c["requestBodies"]["B"]["content"]["application/json"]["schema"]["not"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(stats.type_arrays, 6);
    assert_eq!(stats.consts, 2);
    assert_eq!(stats.examples_arrays, 2);
    assert_eq!(stats.ref_siblings, 1);
    assert_eq!(stats.nullable_unions, 1);
    assert_eq!(stats.null_types, 1);
    assert_eq!(stats.exclusive_bounds, 1);
    assert!(stats.version_rewritten);
    // idempotent
    let again = normalise(&mut d).expect("normalises");
    assert_eq!(again, NormaliseStats::default());
    // openapiv3 reads it
    let api: openapiv3::OpenAPI = serde_json::from_value(d.value.clone()).expect("openapiv3");
    assert_eq!(api.operations().count(), 1);
}

#[test]
fn bottom_up_nested_nulls() {
    // the members are normalised before the union: the `{type: 'null'}` member has
    // already become `{nullable, enum: [null], x-null}` when the union is examined
    let mut d = doc(json!({
        "openapi": "3.1.0", "paths": {},
        "components": {"schemas": {"A": {"anyOf": [
            {"type": "array", "items": {"anyOf": [{"const": "a"}, {"type": "null"}]}},
            {"type": "null"}
        ], "default": null}}}
    }));
    let stats = normalise(&mut d).expect("normalises");
    assert_eq!(
        d.value["components"]["schemas"]["A"],
        json!({"type": "array", "items": {"type": "string", "enum": ["a"], "x-const": "a", "nullable": true},
               "nullable": true, "default": null})
    );
    assert_eq!(stats.nullable_unions, 2);
    assert_eq!(stats.null_types, 2);
}

#[test]
fn errors_carry_the_pointer() {
    let mut d = doc(json!({
        "openapi": "3.1.0", "paths": {},
        "components": {"schemas": {"A": {"properties": {"b": {"type": ["strin"]}}}}}
    }));
    match normalise(&mut d) {
        Err(Error::Spec { location, message }) => {
            assert_eq!(location.pointer, "/components/schemas/A/properties/b");
            assert!(message.contains("\"strin\""), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// A nullable union's member is merged into its node: a wrong keyword in it
/// is reported where it is written, not at the node; and `in: 0`, which
/// serde would read as the first variant (query), is refused.
#[test]
fn errors_point_where_the_wrong_keyword_is_written() {
    let error = |value: Value| match normalise(&mut doc(value)) {
        Err(Error::Spec { location, message }) => (location.pointer, message),
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(
        error(json!({
            "openapi": "3.1.0", "paths": {},
            "components": {"schemas": {"A": {"properties": {"b": {"anyOf": [
                {"type": "string", "maxLength": "9"}, {"type": "null"}
            ]}}}}}
        })),
        (
            "/components/schemas/A/properties/b/anyOf/0/maxLength".into(),
            "not a valid schema: invalid type: string \"9\", expected usize".into()
        )
    );
    assert_eq!(
        error(json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": 0}], "responses": {}}}}
        })),
        (
            "/paths/~1a/get/parameters/0/in".into(),
            "`in` must be a string: `query`, `header`, `path` or `cookie`".into()
        )
    );
}

#[test]
fn boolean_schemas_in_the_walk() {
    let mut d = doc(json!({
        "openapi": "3.1.0", "paths": {},
        "components": {"schemas": {"A": {"type": "object", "properties": {"any": true, "none": false},
                                         "additionalProperties": false}}}
    }));
    let stats = normalise(&mut d).expect("normalises");
    assert_eq!(stats.boolean_schemas, 2);
    let a = &d.value["components"]["schemas"]["A"];
    assert_eq!(a["properties"], json!({"any": {}, "none": {"not": {}}}));
    assert_eq!(a["additionalProperties"], json!(false));
}

// --- the real documents -----------------------------------------------------------

#[test]
fn real_external_api() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/external-api.json");
    let mut d = crate::load::load_file(&path, "external-api".into()).expect("loads");
    // as published, openapiv3 rejects it
    assert!(serde_json::from_value::<openapiv3::OpenAPI>(d.value.clone()).is_err());
    let stats = normalise(&mut d).expect("normalises");
    assert_eq!(stats.type_arrays, 21, "{stats}");
    assert_eq!(stats.nullable_unions, 236, "{stats}");
    assert_eq!(stats.consts, 8, "{stats}");
    assert_eq!(stats.examples_arrays, 110, "{stats}");
    assert_eq!(stats.ref_siblings, 15, "{stats}");
    assert_eq!(stats.exclusive_bounds, 0, "{stats}");
    assert!(stats.version_rewritten);
    assert_eq!(d.value["x-original-openapi"], "3.1.0");
    let api: openapiv3::OpenAPI =
        serde_json::from_value(d.value.clone()).expect("openapiv3 reads the normalised spec");
    assert_eq!(api.operations().count(), 62);
    let schemas = &api.components.as_ref().expect("components").schemas;
    assert_eq!(schemas.len(), 108);
    // a const tag survives as an extension the IR can read
    let openapiv3::ReferenceOr::Item(asset_url) = &schemas["AssetUrl"] else {
        panic!("AssetUrl is inline");
    };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &asset_url.schema_kind
    else {
        panic!("AssetUrl is an object");
    };
    let Some(openapiv3::ReferenceOr::Item(tag)) = object.properties.get("type") else {
        panic!("AssetUrl.type");
    };
    assert_eq!(
        tag.schema_data.extensions.get("x-const"),
        Some(&json!("url"))
    );
    // a nullable string (was anyOf [string, null])
    let openapiv3::ReferenceOr::Item(detail) = &schemas["VideoDetail"] else {
        panic!("VideoDetail is inline");
    };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(detail)) = &detail.schema_kind else {
        panic!("VideoDetail is an object");
    };
    let Some(openapiv3::ReferenceOr::Item(title)) = detail.properties.get("title") else {
        panic!("VideoDetail.title");
    };
    assert!(title.schema_data.nullable);
    assert!(matches!(
        title.schema_kind,
        openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
    ));
    // idempotent
    assert_eq!(normalise(&mut d).expect("again"), NormaliseStats::default());
}

#[test]
fn real_specs_dir_with_quirks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut docs = crate::load::load_dir(&dir).expect("loads");
    if let Some(quirks) = crate::quirks::read(&dir).expect("quirks parse") {
        crate::quirks::apply(&quirks, &mut docs).expect("quirks apply");
    }
    let mut total = NormaliseStats::default();
    for d in &mut docs {
        total += normalise(d).expect("normalises");
        let api: openapiv3::OpenAPI = match serde_json::from_value(d.value.clone()) {
            Ok(api) => api,
            Err(e) => panic!("{}: {e}", d.id),
        };
        let operations = if d.id == "external-api" { 62 } else { 1 };
        assert_eq!(api.operations().count(), operations, "{}", d.id);
    }
    // the full document's 21 type arrays, the May fragment's two
    // `type: [string, 'null']`, the quirks' five nullable strings
    assert_eq!(total.type_arrays, 21 + 2 + 5, "{total}");
    let legacy =
        &docs[2].value["components"]["schemas"]["LegacyError"]["anyOf"][1]["properties"]["data"];
    assert_eq!(
        legacy,
        &json!({"nullable": true, "enum": [null], "x-null": true})
    );
}
