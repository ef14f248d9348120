use super::*;
use serde_json::json;

fn doc(id: &str, value: Value) -> Document {
    Document::from_value(id, format!("specs/{id}.json"), value)
}

fn quirks(text: &str) -> Quirks {
    match parse(text, Path::new("specs/quirks.yaml")) {
        Ok(q) => q,
        Err(e) => panic!("quirks fixture does not parse: {e}"),
    }
}

fn parse_error(text: &str) -> (String, String) {
    match parse(text, Path::new("specs/quirks.yaml")) {
        Err(Error::Spec { location, message }) => (location.pointer, message),
        other => panic!("expected an error, got {other:?}"),
    }
}

fn apply_error(q: &Quirks, docs: &mut [Document]) -> (Location, String) {
    match apply(q, docs) {
        Err(Error::Spec { location, message }) => (location, message),
        other => panic!("expected an error, got {other:?}"),
    }
}

fn fixture() -> Document {
    doc(
        "d",
        json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "query"}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {
                        "code": {"type": "string", "description": "Code."},
                        "list": {"type": "string", "description": "Ids."}
                    }}}}}}}}},
            "components": {"securitySchemes": {}}
        }),
    )
}

const PROPS: &str = "/paths/~1a/get/responses/200/content/application~1json/schema/properties";

#[test]
fn replace_with_expect() {
    let q = quirks(&format!(
        "fixes:\n  - id: r\n    document: d\n    pointer: {PROPS}/code\n    expect: {{type: string}}\n    action: replace\n    value: {{anyOf: [{{type: integer}}, {{type: string}}]}}\n    reason: Code is an integer or a string.\n"
    ));
    let mut docs = [fixture()];
    let outcomes = apply(&q, &mut docs).expect("applies");
    assert_eq!(
        outcomes,
        [FixOutcome::Applied {
            fix: "r".into(),
            documents: vec!["d".into()]
        }]
    );
    let code = &docs[0].value["paths"]["/a"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"]["properties"]["code"];
    assert_eq!(
        code,
        &json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})
    );
}

#[test]
fn merge_keeps_other_keys_and_deletes_nulls() {
    let q = quirks(&format!(
        "fixes:\n  - id: m\n    document: d\n    pointer: {PROPS}/list\n    expect: {{type: string}}\n    action: merge\n    value: {{type: array, items: {{type: string}}}}\n    reason: An array.\n  - id: m2\n    document: d\n    pointer: {PROPS}/code\n    action: merge\n    value: {{type: null, anyOf: [{{type: integer}}]}}\n    reason: Drop type.\n"
    ));
    let mut docs = [fixture()];
    apply(&q, &mut docs).expect("applies");
    let props = &docs[0].value["paths"]["/a"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"]["properties"];
    assert_eq!(
        props["list"],
        json!({"type": "array", "description": "Ids.", "items": {"type": "string"}})
    );
    let keys: Vec<&String> = props["list"].as_object().expect("object").keys().collect();
    assert_eq!(keys, ["type", "description", "items"]);
    assert_eq!(
        props["code"],
        json!({"description": "Code.", "anyOf": [{"type": "integer"}]})
    );
}

#[test]
fn merge_patch_rfc7396() {
    let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}});
    merge_patch(&mut target, &json!({"a": "z", "c": {"f": null}}));
    assert_eq!(target, json!({"a": "z", "c": {"d": "e"}}));
    let mut target = json!(["a"]);
    merge_patch(&mut target, &json!({"a": {"b": "c"}}));
    assert_eq!(target, json!({"a": {"b": "c"}}));
    let mut target = json!({"a": 1});
    merge_patch(&mut target, &json!(["x"]));
    assert_eq!(target, json!(["x"]));
}

#[test]
fn add_object_key_and_array_item() {
    let q = quirks(
        "fixes:\n  - id: schemas\n    document: d\n    pointer: /components/schemas\n    action: add\n    value: {}\n    reason: No schemas yet.\n  - id: err\n    document: d\n    pointer: /components/schemas/Err\n    action: add\n    value: {type: object}\n    reason: An error schema.\n  - id: param\n    document: d\n    pointer: /paths/~1a/get/parameters/-\n    action: add\n    value: {name: Idempotency-Key, in: header}\n    reason: A header.\n  - id: param1\n    document: d\n    pointer: /paths/~1a/get/parameters/2\n    action: add\n    value: {name: y, in: query}\n    reason: At the end, by index.\n",
    );
    let mut docs = [fixture()];
    let outcomes = apply(&q, &mut docs).expect("applies");
    assert!(outcomes.iter().all(FixOutcome::is_applied));
    let v = &docs[0].value;
    assert_eq!(v["components"]["schemas"]["Err"], json!({"type": "object"}));
    let params = v["paths"]["/a"]["get"]["parameters"]
        .as_array()
        .expect("array");
    assert_eq!(params.len(), 3);
    assert_eq!(params[1]["name"], "Idempotency-Key");
    assert_eq!(params[2]["name"], "y");
}

#[test]
fn add_onto_existing_is_stale() {
    for (pointer, needle) in [
        ("/components/securitySchemes", "already exists"),
        ("/paths/~1a/get/parameters/0", "already exists"),
        ("/paths/~1a/get/parameters/5", "only 1 items"),
        ("/nowhere/x", "parent does not exist"),
    ] {
        let q = quirks(&format!(
            "fixes:\n  - id: a\n    document: d\n    pointer: {pointer}\n    action: add\n    value: {{}}\n    reason: Test.\n"
        ));
        let (location, message) = apply_error(&q, &mut [fixture()]);
        assert!(message.contains(needle), "{pointer}: {message}");
        assert!(message.contains("fix `a` is stale"), "{message}");
        assert!(message.contains(pointer), "{message}");
        assert_eq!(location.file, Path::new("specs/quirks.yaml"));
        assert_eq!(location.pointer, "/fixes/0/pointer");
        assert_eq!(location.line, Some(4));
    }
    let q = quirks(
        "fixes:\n  - id: a\n    document: d\n    pointer: /paths/~1a/get/parameters/-\n    action: add\n    value: {name: x, in: query}\n    reason: Already upstream.\n",
    );
    let (_, message) = apply_error(&q, &mut [fixture()]);
    assert!(message.contains("already holds this value"), "{message}");
}

#[test]
fn stale_pointer() {
    let q = quirks(&format!(
        "fixes:\n  - id: gone\n    document: d\n    pointer: {PROPS}/Deleted\n    action: replace\n    value: {{}}\n    reason: Test.\n"
    ));
    let (location, message) = apply_error(&q, &mut [fixture()]);
    assert_eq!(location.pointer, "/fixes/0/pointer");
    assert!(message.contains("fix `gone` is stale"), "{message}");
    assert!(
        message.contains("no `Deleted` in the object at"),
        "{message}"
    );
    assert!(message.contains("update the fix or remove it"), "{message}");
    assert!(message.contains("specs/d.json"), "{message}");
}

#[test]
fn stale_expect() {
    let q = quirks(&format!(
        "fixes:\n  - id: old\n    document: d\n    pointer: {PROPS}/code\n    expect: {{type: integer}}\n    action: merge\n    value: {{nullable: true}}\n    reason: Test.\n"
    ));
    let (_, message) = apply_error(&q, &mut [fixture()]);
    assert!(message.contains("fix `old` is stale"), "{message}");
    assert!(
        message.contains(r#"expected {"type":"integer"} but found"#),
        "{message}"
    );
    // an expect on a scalar compares exactly
    let q = quirks(&format!(
        "fixes:\n  - id: s\n    document: d\n    pointer: {PROPS}/code/type\n    expect: integer\n    action: replace\n    value: number\n    reason: Test.\n"
    ));
    assert!(apply_error(&q, &mut [fixture()])
        .1
        .contains("expected \"integer\""));
}

#[test]
fn remove() {
    let q = quirks(&format!(
        "fixes:\n  - id: rm\n    document: d\n    pointer: {PROPS}/code\n    expect: {{type: string}}\n    action: remove\n    reason: Test.\n  - id: rm0\n    document: d\n    pointer: /paths/~1a/get/parameters/0\n    action: remove\n    reason: Test.\n"
    ));
    let mut docs = [fixture()];
    apply(&q, &mut docs).expect("applies");
    let v = &docs[0].value;
    let props = &v["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"]["properties"];
    assert_eq!(props.as_object().map(|m| m.len()), Some(1));
    assert_eq!(v["paths"]["/a"]["get"]["parameters"], json!([]));
    let (_, message) = apply_error(&q, &mut docs);
    assert!(message.contains("no `code`"), "{message}");
}

#[test]
fn not_applicable_and_star() {
    let q = quirks(
        "fixes:\n  - id: other\n    document: not-loaded\n    pointer: /x\n    action: remove\n    reason: Test.\n  - id: star\n    document: '*'\n    pointer: /components/securitySchemes/key\n    action: add\n    value: {type: apiKey}\n    reason: Test.\n  - id: star-none\n    document: '*'\n    pointer: /nowhere/at/all\n    action: replace\n    value: 1\n    reason: Test.\n",
    );
    let mut docs = [fixture(), doc("e", json!({"openapi": "3.1.0"}))];
    let outcomes = apply(&q, &mut docs).expect("applies");
    assert_eq!(
        outcomes,
        [
            FixOutcome::NotApplicable {
                fix: "other".into(),
                document: "not-loaded".into()
            },
            FixOutcome::Applied {
                fix: "star".into(),
                documents: vec!["d".into()]
            },
            FixOutcome::NotApplicable {
                fix: "star-none".into(),
                document: "*".into()
            },
        ]
    );
    assert_eq!(
        docs[0].value["components"]["securitySchemes"]["key"]["type"],
        "apiKey"
    );
    assert_eq!(
        outcomes[0].to_string(),
        "skipped fix `other`: document `not-loaded` is not an input"
    );
    assert_eq!(outcomes[1].to_string(), "applied fix `star` to d");
    // `*` with a stale expect on a document that has the pointer is an error
    let q = quirks(
        "fixes:\n  - id: star\n    document: '*'\n    pointer: /openapi\n    expect: 3.0.0\n    action: replace\n    value: 3.0.3\n    reason: Test.\n",
    );
    let (_, message) = apply_error(&q, &mut docs);
    assert!(message.contains("fix `star` is stale"), "{message}");
}

#[test]
fn missing_or_multiline_reason() {
    let (pointer, message) =
        parse_error("fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: remove\n");
    assert_eq!(pointer, "/fixes/0");
    assert!(message.contains("fix `a` needs a `reason`"), "{message}");
    let (pointer, _) = parse_error(
        "fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: remove\n    reason: '  '\n",
    );
    assert_eq!(pointer, "/fixes/0/reason");
    let (pointer, _) = parse_error(
        "fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: remove\n    reason: |\n      two\n      lines\n",
    );
    assert_eq!(pointer, "/fixes/0/reason");
}

#[test]
fn validation_errors() {
    let base = "fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: replace\n    value: 1\n    reason: R.\n";
    assert!(parse(base, Path::new("q.yaml")).is_ok());
    let cases = [
        (
            base.replace("pointer: /x", "pointer: x"),
            "/fixes/0/pointer",
            "not a JSON pointer",
        ),
        (
            base.replace("pointer: /x", "pointer: /a~2"),
            "/fixes/0/pointer",
            "not a JSON pointer",
        ),
        (
            base.replace("replace", "patch"),
            "/fixes/0/action",
            "unknown action `patch`",
        ),
        (
            base.replace("    value: 1\n", ""),
            "/fixes/0",
            "needs a `value`",
        ),
        (
            base.replace("replace", "remove"),
            "/fixes/0/value",
            "takes no `value`",
        ),
        (
            base.replace("action: replace", "action: add\n    expect: 1"),
            "/fixes/0/expect",
            "nothing to `expect`",
        ),
        (
            base.replace("    document: d\n", ""),
            "/fixes/0",
            "no `document`",
        ),
        (
            base.replace("reason: R.", "reason: R.\n    why: x"),
            "/fixes/0/why",
            "unknown key `why`",
        ),
        (
            format!("{base}{}", &base[7..]),
            "/fixes/1/id",
            "duplicate fix id `a`",
        ),
        ("fixes: {}\n".to_string(), "/fixes", "must be a list"),
        ("fix: []\n".to_string(), "/fix", "unknown key"),
        (
            base.replace("id: a", "id: 3"),
            "/fixes/0/id",
            "must be a string",
        ),
    ];
    for (text, pointer, needle) in cases {
        let (got, message) = parse_error(&text);
        assert_eq!(got, pointer, "{text}\n{message}");
        assert!(message.contains(needle), "{text}\n{message}");
    }
}

#[test]
fn yaml_keys_and_null_values() {
    let q = quirks(
        "fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: replace\n    value: {200: {type: 'null'}, nothing: null}\n    reason: R.\n",
    );
    assert_eq!(
        q.fixes[0].value,
        Some(json!({"200": {"type": "null"}, "nothing": null}))
    );
    assert_eq!(q.fixes[0].line, Some(4));
    assert!(parse("", Path::new("q.yaml"))
        .expect("empty is fine")
        .fixes
        .is_empty());
}

// -------------------------------------------------------------------------------
// The real specs/quirks.yaml

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn real_quirks() -> Quirks {
    match read(&specs_dir()) {
        Ok(Some(q)) => q,
        Ok(None) => panic!("specs/quirks.yaml is missing"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn real_quirks_round_trip() {
    let q = real_quirks();
    let yaml = serde_yaml::to_string(&q).expect("serialises");
    let again = parse(&yaml, &q.path).expect("re-parses");
    let strip = |q: &Quirks| -> Vec<Fix> {
        q.fixes
            .iter()
            .cloned()
            .map(|f| Fix { line: None, ..f })
            .collect()
    };
    assert_eq!(strip(&again), strip(&q));
}

#[test]
fn real_quirks_on_specs_dir() {
    let q = real_quirks();
    let mut docs = crate::load::load_dir(&specs_dir()).expect("specs/ loads");
    let outcomes = apply(&q, &mut docs).expect("every fix applies");
    for outcome in &outcomes {
        let fix = q
            .fixes
            .iter()
            .find(|f| f.id == outcome.fix_id())
            .expect("known fix");
        assert!(outcome.is_applied(), "{outcome} ({})", fix.reason);
    }
    let vdel = &docs[2].value;
    let schema = &vdel["paths"]["/v1/video.delete"]["delete"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(
        schema["properties"]["data"]["properties"]["Deleted"],
        json!({"type": "array", "description": "ID(s) of the deleted video(s). ", "items": {"type": "string"}})
    );
    assert_eq!(
        schema["properties"]["msg"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(
        schema["properties"]["code"]["anyOf"],
        json!([{"type": "integer"}, {"type": "string"}])
    );
    let pdel = &docs[3].value;
    assert_eq!(
        pdel["components"]["schemas"]["LegacyError"],
        vdel["components"]["schemas"]["LegacyError"]
    );
    let members = vdel["components"]["schemas"]["LegacyError"]["anyOf"]
        .as_array()
        .expect("anyOf");
    assert_eq!(members.last(), Some(&json!({})));
    assert_eq!(
        pdel["paths"]["/v2/photo_avatar/{avatar_id}"]["delete"]["responses"]["404"]["content"]
            ["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/LegacyError"})
    );
    // the fixed schemas now accept the documented examples
    let example = &pdel["paths"]["/v2/photo_avatar/{avatar_id}"]["delete"]["responses"]["200"]
        ["content"]["application/json"]["examples"]["Result"]["value"];
    let props = &pdel["paths"]["/v2/photo_avatar/{avatar_id}"]["delete"]["responses"]["200"]
        ["content"]["application/json"]["schema"]["properties"];
    for (key, value) in example.as_object().expect("object") {
        let types = &props[key];
        let ok = match value {
            Value::Null => types["type"] == json!(["string", "null"]),
            Value::Number(_) => types["anyOf"][0]["type"] == "integer",
            _ => false,
        };
        assert!(ok, "{key}: {value} vs {types}");
    }
}

#[test]
fn idempotency_key_on_every_post_the_changelog_names() {
    let q = real_quirks();
    let mut docs = crate::load::load_dir(&specs_dir()).expect("specs/ loads");
    let outcomes = apply(&q, &mut docs).expect("every fix applies");
    assert_eq!(outcomes.len(), q.fixes.len());
    let api = &docs[0].value;
    let mut with_key = 0;
    for (path, item) in api["paths"].as_object().expect("paths") {
        let Some(params) = item["post"]["parameters"].as_array() else {
            continue;
        };
        let keys: Vec<&Value> = params
            .iter()
            .filter(|p| p["name"] == "Idempotency-Key")
            .collect();
        if let [key] = keys.as_slice() {
            assert_eq!(key["in"], "header", "{path}");
            assert_eq!(key["required"], false, "{path}");
            with_key += 1;
        }
    }
    assert_eq!(with_key, 10);
    let consent = &api["paths"]["/v3/avatars/{group_id}/consent"]["post"]["parameters"];
    assert_eq!(consent[0]["name"], "group_id");
    assert_eq!(consent[1]["name"], "Idempotency-Key");
}
