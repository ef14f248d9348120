use serde_json::{json, Value};

use super::*;

#[test]
fn yaml_flow_mapping_line() {
    let text = "a:\n  b: {type: string, c: 1}\n  d:\n    - {x: 1}\n";
    assert_eq!(line_in_text(text, "/a/b"), Some(2));
    assert_eq!(line_in_text(text, "/a/b/type"), Some(2));
    assert_eq!(line_in_text(text, "/a/d/0"), Some(4));
    assert_eq!(line_in_text(text, "/a/d/0/x"), Some(4));
    assert_eq!(line_in_text(text, "/a/e"), None);
}

#[test]
fn yaml_sequences_at_key_indent_and_block_scalars() {
    let text = "required:\n- a\n- b\ndescription: >-\n  text: not a key\nother: 1\n";
    assert_eq!(line_in_text(text, "/required/1"), Some(3));
    assert_eq!(line_in_text(text, "/other"), Some(6));
    assert_eq!(line_in_text(text, "/description/text"), None);
}
#[test]
fn pointer_helpers() {
    assert_eq!(pointer_tokens(""), Some(vec![]));
    assert_eq!(
        pointer_tokens("/paths/~1v1~1x/a~0b"),
        Some(vec![
            "paths".to_string(),
            "/v1/x".to_string(),
            "a~b".to_string()
        ])
    );
    assert_eq!(pointer_tokens("paths"), None);
    assert_eq!(pointer_tokens("/a~2"), None);
    assert_eq!(escape_token("a/b~c"), "a~1b~0c");
    let tokens = ["paths", "/v3/videos", "a~b", "0"];
    assert_eq!(pointer_from_tokens(&tokens), "/paths/~1v3~1videos/a~0b/0");
    assert_eq!(
        pointer_tokens(&pointer_from_tokens(&tokens)).unwrap(),
        tokens
    );
    assert_eq!(pointer_from_tokens::<&str>(&[]), "");
}

#[test]
fn json_scanner_handles_escapes_and_arrays() {
    let text =
        "{\"a\\\"b\": [\n  1,\n  {\"c/d\": \"\\u00e9\"},\n  [true, null]\n], \"\\u00e9\": 2}";
    assert_eq!(line_in_text(text, "/a\"b/1/c~1d"), Some(3));
    assert_eq!(line_in_text(text, "/a\"b/2/1"), Some(4));
    assert_eq!(line_in_text(text, "/é"), Some(5));
    assert_eq!(line_in_text(text, "/a\"b/9"), None);
    let value: Value = serde_json::from_str(text).expect("valid");
    assert_eq!(value["é"], json!(2));
}

#[test]
fn depth_is_found_without_recursion_with_pointer_line_and_offset() {
    let text = "{\"a\": [1, {\"b\\\"c\": {\n\"d\": [[]]}}]}";
    assert_eq!(too_deep(text, 6), None);
    assert_eq!(
        too_deep(text, 5),
        Some(("/a/1/b\"c/d/0".to_string(), 2, text.rfind("[]").unwrap()))
    );
    // A bracket inside a string does not count.
    assert_eq!(too_deep("[\"[[[[\"]", 1), None);
    // A million levels: no recursion, so no overflow.
    let deep = "[".repeat(1_000_000);
    assert_eq!(
        too_deep(&deep, MAX_DEPTH).map(|(p, line, offset)| (p.len() > MAX_DEPTH, line, offset)),
        Some((true, 1, MAX_DEPTH))
    );
}

#[test]
fn non_utf8_names_line_column_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, b"{\n  \"a\": \"x\xff\"\n}").unwrap();
    let error = read_text(&path).unwrap_err().to_string();
    assert!(
        error.starts_with(&format!("{}:2 at #/: ", path.display())),
        "{error}"
    );
    assert!(
        error.contains("byte 0xff at byte offset 11 (line 2, column 10)"),
        "{error}"
    );
    assert_eq!(line_and_column(b"ab\ncd", 4), (2, 2));
}
