//! Every input compiles or fails cleanly (issue 14): inputs that once gave a
//! crate that did not build now give one that builds without warnings, and
//! inputs that were silently accepted or badly located now fail naming the
//! file, the JSON pointer and the line.

use std::path::{Path, PathBuf};

use heygen_codegen_tests::{cargo, workspace_root};

fn fixture(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures/robust").join(name)
}

fn error_of(specs: &Path) -> String {
    match generator::generate(&generator::Options::for_workspace(specs)) {
        Ok(_) => panic!("{} generated, but it must fail", specs.display()),
        Err(error) => error.to_string(),
    }
}

/// `file:line at #pointer: message`, the file as the user wrote it.
fn located(name: &str, line: usize, pointer: &str, message: &str) -> String {
    let file = fixture(name).join("openapi.json");
    format!("{}:{line} at #{pointer}: {message}", file.display())
}

#[test]
fn a_path_without_a_leading_slash_is_an_error_not_a_dropped_operation() {
    assert_eq!(
        error_of(&fixture("no_leading_slash")),
        located(
            "no_leading_slash",
            21,
            "/paths/v3~1b",
            "the path `v3/b` does not start with `/`: write `/v3/b`"
        )
    );
}

#[test]
fn an_unbalanced_brace_in_a_path_is_an_error() {
    assert_eq!(
        error_of(&fixture("unbalanced_brace")),
        located(
            "unbalanced_brace",
            8,
            "/paths/~1v3~1a~1{id",
            "the path `/v3/a/{id` opens `{` at byte 6 and never closes it"
        )
    );
}

#[test]
fn a_duplicate_operation_id_is_an_error_that_says_how_to_rename_it() {
    let first = located(
        "duplicate_operation_id",
        10,
        "/paths/~1v3~1a/get/operationId",
        "",
    );
    let first = first.trim_end_matches(": ");
    assert_eq!(
        error_of(&fixture("duplicate_operation_id")),
        located(
            "duplicate_operation_id",
            23,
            "/paths/~1v3~1b/get/operationId",
            &format!(
                "operationId `getThing` is also the operationId of GET /v3/a ({first}); \
                 operationIds must be unique. Rename one with a fix in quirks.yaml: \
                 `{{id: rename-getThing, document: openapi, pointer: \
                 /paths/~1v3~1b/get/operationId, action: replace, value: <a new operationId>, \
                 reason: ...}}`"
            )
        )
    );
}

/// `getThing` and `get-thing` are distinct operationIds but one method name:
/// no silent `get_thing_2`.
#[test]
fn two_operation_ids_with_one_method_name_are_an_error_that_says_how_to_rename_one() {
    let first = located(
        "method_name_collision",
        10,
        "/paths/~1v3~1a/get/operationId",
        "",
    );
    let first = first.trim_end_matches(": ");
    assert_eq!(
        error_of(&fixture("method_name_collision")),
        located(
            "method_name_collision",
            23,
            "/paths/~1v3~1b/get/operationId",
            &format!(
                "operationId `get-thing` gives the method name `get_thing`, as operationId \
                 `getThing` of GET /v3/a does ({first}); methods of group `Things` must have \
                 distinct names. Rename one with a fix in quirks.yaml: `{{id: rename-get-thing, \
                 document: openapi, pointer: /paths/~1v3~1b/get/operationId, action: replace, \
                 value: <a new operationId>, reason: ...}}`"
            )
        )
    );
}

/// The fix the error proposes resolves it: the renamed operation gets its own method.
#[test]
fn a_quirk_that_renames_the_operation_id_resolves_a_method_name_collision() {
    let specs = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("method_name_collision").join("openapi.json"),
        specs.path().join("openapi.json"),
    )
    .unwrap();
    std::fs::write(
        specs.path().join("quirks.yaml"),
        "fixes:\n  - {id: rename-get-thing, document: openapi, pointer: \
         /paths/~1v3~1b/get/operationId, action: replace, value: getOtherThing, \
         reason: two operationIds gave get_thing}\n",
    )
    .unwrap();
    let generated = generator::generate(&generator::Options::for_workspace(specs.path()))
        .expect("the quirk resolves the collision");
    let mut methods: Vec<&str> = generated
        .api
        .operations
        .iter()
        .map(|op| op.name.as_str())
        .collect();
    methods.sort();
    assert_eq!(methods, ["get_other_thing", "get_thing"]);
}

/// Distinct method names, but the lock keeps `get_thing` for the older
/// operation (`getThingV3`, once alone): the newcomer is renamed, and the
/// report says so.
#[test]
fn a_method_name_kept_by_the_lock_renames_the_newcomer_with_a_note() {
    let text = std::fs::read_to_string(fixture("method_name_collision").join("openapi.json"))
        .unwrap()
        .replace("\"get-thing\"", "\"getThingV3\"");
    let mut alone: serde_json::Value = serde_json::from_str(&text).unwrap();
    alone["paths"].as_object_mut().unwrap().remove("/v3/a");
    let specs = tempfile::tempdir().unwrap();
    let file = specs.path().join("openapi.json");
    std::fs::write(&file, alone.to_string()).unwrap();
    let generate = |previous| {
        let mut options = generator::Options::for_workspace(specs.path());
        options.previous = previous;
        generator::generate(&options).expect("generate")
    };
    let before = generate(None);
    assert_eq!(before.api.operations[0].name, "get_thing");
    std::fs::write(&file, text).unwrap();
    let after = generate(Some(generator::surface::Surface::from_api(&before.api)));
    let methods: Vec<(&str, &str)> = after
        .api
        .operations
        .iter()
        .map(|op| (op.operation_id.as_str(), op.name.as_str()))
        .collect();
    assert_eq!(
        methods,
        [("getThingV3", "get_thing"), ("getThing", "get_thing_2")]
    );
    assert!(
        after.report.notes.contains(
            &"openapi#/paths/~1v3~1a/get: method name `get_thing` is locked by another \
              operation of its group (api-surface.json): named `get_thing_2`"
                .to_string()
        ),
        "{:?}",
        after.report.notes
    );
}

#[test]
fn non_utf8_input_names_the_line_and_byte_offset() {
    assert_eq!(
        error_of(&fixture("not_utf8")),
        located(
            "not_utf8",
            14,
            "/",
            "the file is not UTF-8: byte 0xe9 at byte offset 235 (line 14, column 31) starts \
             no UTF-8 character"
        )
    );
}

/// An error found while emitting names the file and line, not `document-id#...`.
#[test]
fn an_emit_error_names_the_file_not_the_document_id() {
    assert_eq!(
        error_of(&fixture("list_path_parameter")),
        located(
            "list_path_parameter",
            9,
            "/paths/~1v3~1a~1{filter}/get",
            "path parameter `filter` must be a single value (a string, number, boolean, or a \
             named type or union of those), not a list or an object"
        )
    );
}

/// A document whose one schema is `levels` arrays (`items`) deep.
fn deep_specs(levels: usize) -> tempfile::TempDir {
    let mut schema = serde_json::json!({"type": "string"});
    for _ in 0..levels {
        // Not `json!`, which would copy `schema` (recursively) at every level.
        let mut array = serde_json::Map::new();
        array.insert("type".into(), "array".into());
        array.insert("items".into(), schema);
        schema = array.into();
    }
    let mut document = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "Deep", "version": "1"},
        "paths": {"/v3/deep": {"post": {
            "operationId": "deep",
            "tags": ["Deep"],
            "requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Deep"}
            }}},
            "responses": {"200": {"description": "ok"}}
        }}},
        "components": {"schemas": {}}
    });
    document["components"]["schemas"]["Deep"] = schema;
    let dir = tempfile::tempdir().unwrap();
    // serde_json writes (and drops) values this deep recursively: on a big stack.
    let text = generator::pipeline::with_large_stack(move || document.to_string());
    std::fs::write(dir.path().join("openapi.json"), text).unwrap();
    dir
}

/// serde_json alone stops at 128 levels; a document may nest up to 2048
/// (the 4 levels above the schema included), and one level more is an error
/// at the first value too deep, never a stack overflow, on a test thread.
#[test]
fn nesting_loads_up_to_the_bound_and_deeper_is_a_located_error() {
    let levels = generator::text::MAX_DEPTH - 4;
    let specs = deep_specs(levels);
    let generated = generator::generate(&generator::Options::for_workspace(specs.path()))
        .expect("2048 levels generate");
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub type Deep = Vec<"));
    assert_eq!(
        types.matches("Vec<").count(),
        levels,
        "the whole depth is in the type"
    );
    drop(generator::pipeline::with_large_stack(move || generated));

    let specs = deep_specs(levels + 1);
    let error = error_of(specs.path());
    let pointer = format!("/components/schemas/Deep{}", "/items".repeat(levels + 1));
    let file = specs.path().join("openapi.json");
    assert_eq!(
        error,
        format!(
            "{}:1 at #{pointer}: nested deeper than 2048 levels (line 1): no OpenAPI document \
             needs this much",
            file.display()
        )
    );
}

/// Recursion through `anyOf`, a tagged union, array `items`,
/// `additionalProperties`, two aliases and a union with an alias of itself;
/// tags that are keywords, 300 characters long or not ASCII; schemas named
/// `Self` and `String`: one crate that passes clippy with warnings denied.
#[test]
fn recursive_schemas_and_absurd_names_give_a_crate_that_builds_cleanly() {
    let generated = generator::generate(&generator::Options::for_workspace(fixture("compiles")))
        .expect("generate");
    let modules: Vec<&str> = generated
        .api
        .groups
        .iter()
        .map(|g| g.module.as_str())
        .collect();
    assert_eq!(
        modules,
        [
            "self_",
            "very_long_tag_xxxxxxxxxxxxxxxxxxxxxxxxx_0a437238",
            "abstract_",
            "async_",
            "fn_",
            "impl_",
            "loop_",
            "mod_",
            "n_c_d",
        ]
    );
    assert!(!generated.files.contains_key("src/mod.rs"));
    let types = &generated.files["src/types.rs"];
    for expected in [
        "pub struct ListNode(pub Vec<ListNode>);",
        "pub struct MapNode(pub std::collections::BTreeMap<String, MapNode>);",
        "UnionNode(Box<UnionNode>),",
        "pub struct SelfValue {",
        "pub struct StringValue {",
        "pub type AliasOfUnion = AliasUnion;",
    ] {
        assert!(types.contains(expected), "types.rs lacks `{expected}`");
    }
    // `AliasOfUnion` is `AliasUnion`: `std` already has `From<T> for T`.
    assert!(!types.contains("impl From<AliasOfUnion> for AliasUnion"));

    let out = tempfile::tempdir().unwrap();
    let crate_dir = out.path().join("heygen");
    generator::write::write_standalone(
        &crate_dir,
        &generated.files,
        Some(&workspace_root().join("Cargo.lock")),
        &[],
    )
    .unwrap();
    // --quiet: the template's examples name features this fixture has not.
    cargo(
        &crate_dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
}

/// A YAML document whose one schema is `levels` arrays deep: in block style
/// (indented) or in flow style (`{type: array, items: {...}}` on one line).
fn deep_yaml(levels: usize, block: bool) -> String {
    let mut text = String::from(
        "openapi: 3.1.0\n\
         info: {title: Deep, version: '1'}\n\
         paths:\n  /v3/deep:\n    post:\n      operationId: deep\n      tags: [Deep]\n\
         \x20     requestBody:\n        content:\n          application/json:\n\
         \x20           schema: {$ref: '#/components/schemas/Deep'}\n\
         \x20     responses:\n        '200': {description: ok}\n\
         components:\n  schemas:\n    Deep:",
    );
    if block {
        for level in 0..levels {
            let indent = " ".repeat(6 + 2 * level);
            text.push_str(&format!("\n{indent}type: array\n{indent}items:"));
        }
        text.push_str(&format!("\n{}type: string\n", " ".repeat(6 + 2 * levels)));
    } else {
        text.push(' ');
        text.push_str(&"{type: array, items: ".repeat(levels));
        text.push_str("{type: string}");
        text.push_str(&"}".repeat(levels));
        text.push('\n');
    }
    text
}

/// The YAML as a docs page: prose, then the spec in a fenced block from line 5.
fn page(yaml: &str) -> String {
    format!("# Deep\n\nProse.\n\n```yaml\n{yaml}```\n")
}

/// serde_yaml alone stops at 128 levels: 600 (more than any real document)
/// load from a YAML file, in block style, and from a docs page, in flow style.
#[test]
fn yaml_nested_600_levels_generates_from_a_file_and_a_docs_page() {
    for (name, text) in [
        ("openapi.yaml", deep_yaml(600, true)),
        ("deep.md", page(&deep_yaml(600, false))),
    ] {
        let specs = tempfile::tempdir().unwrap();
        std::fs::write(specs.path().join(name), text).unwrap();
        let generated = generator::generate(&generator::Options::for_workspace(specs.path()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let types = &generated.files["src/types.rs"];
        assert!(types.contains("pub type Deep = Vec<"), "{name}");
        assert_eq!(
            types.matches("Vec<").count(),
            600,
            "{name}: the whole depth"
        );
        drop(generator::pipeline::with_large_stack(move || generated));
    }
}

/// 100,000 levels are an error at the first node too deep, with the file's
/// line (the page's, not the block's), never a stack overflow.
#[test]
fn yaml_nested_100000_levels_is_a_located_error_not_a_crash() {
    let pointer = format!(
        "/components/schemas/Deep{}",
        "/items".repeat(generator::text::MAX_DEPTH - 3)
    );
    let message = |line: usize| {
        format!("nested deeper than 2048 levels (line {line}): no OpenAPI document needs this much")
    };
    let yaml = deep_yaml(100_000, false);
    for (name, text, line) in [
        ("openapi.yaml", yaml.clone(), 16),
        ("deep.md", page(&yaml), 21),
    ] {
        let specs = tempfile::tempdir().unwrap();
        let file = specs.path().join(name);
        std::fs::write(&file, text).unwrap();
        assert_eq!(
            error_of(specs.path()),
            format!("{}:{line} at #{pointer}: {}", file.display(), message(line)),
            "{name}"
        );
    }
}
