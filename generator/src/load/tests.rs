use super::pages::fenced_blocks;
use super::*;
use serde_json::json;
use std::fs;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("write fixture");
    path
}

fn err_text(r: Result<Document>) -> String {
    match r {
        Ok(d) => panic!("expected an error, got document {}", d.id),
        Err(e) => e.to_string(),
    }
}

const MINI_JSON: &str = "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\n        \"responses\": {\n          \"200\": {\"description\": \"ok\"}\n        }\n      }\n    }\n  }\n}\n";

const MINI_YAML: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      parameters:\n        - name: x\n          in: query\n        - name: y\n          in: query\n      responses:\n        200:\n          description: ok\n        '404':\n          description: gone\n";

#[test]
fn json_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "api.json", MINI_JSON);
    let doc = load_file(&path, "api".into()).expect("load");
    assert_eq!(doc.value["openapi"], "3.1.0");
    assert_eq!(doc.first_line, 1);
    assert_eq!(doc.line_of(""), Some(1));
    assert_eq!(doc.line_of("/info"), Some(3));
    assert_eq!(doc.line_of("/paths/~1a/get/responses/200"), Some(8));
    assert_eq!(doc.line_of("/paths/~1a/post"), None);
    assert_eq!(doc.line_of_nearest("/paths/~1a/post"), Some(5));
}

#[test]
fn json_syntax_error_has_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "bad.json",
        "{\n  \"openapi\": \"3.1.0\",\n  \"info\" {}\n}\n",
    );
    match load_file(&path, "bad".into()) {
        Err(Error::Spec { location, message }) => {
            assert_eq!(location.line, Some(3));
            assert_eq!(location.pointer, "");
            assert!(message.contains("line 3, column"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn yaml_file_with_integer_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "api.yaml", MINI_YAML);
    let doc = load_file(&path, "api".into()).expect("load");
    let responses = &doc.value["paths"]["/a"]["get"]["responses"];
    assert_eq!(responses["200"]["description"], "ok");
    assert_eq!(responses["404"]["description"], "gone");
    let keys: Vec<&String> = responses.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["200", "404"]);
    assert_eq!(doc.value["info"]["version"], "1");
    assert_eq!(doc.line_of("/paths/~1a/get/responses/200"), Some(14));
    assert_eq!(
        doc.line_of("/paths/~1a/get/responses/404/description"),
        Some(17)
    );
    assert_eq!(doc.line_of("/paths/~1a/get/parameters/1"), Some(11));
    assert_eq!(doc.line_of("/paths/~1a/get/parameters/1/in"), Some(12));
    assert_eq!(doc.line_of("/paths/~1a/get/parameters/0/name"), Some(9));
    assert_eq!(doc.line_of("/paths/~1a/get/parameters/2"), None);
    assert_eq!(doc.line_of("/info/version"), Some(4));
}

#[test]
fn yaml_syntax_error_has_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "bad.yml",
        "openapi: 3.1.0\ninfo:\n  title: [unclosed\n",
    );
    match load_file(&path, "bad".into()) {
        Err(Error::Spec { location, message }) => {
            assert!(location.line.is_some(), "{message}");
            assert!(message.starts_with("invalid YAML"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn yaml_duplicate_keys_after_stringifying() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "dup.yaml",
        "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        200: {}\n        '200': {}\n",
    );
    let message = err_text(load_file(&path, "dup".into()));
    assert!(message.contains("duplicate key `200`"), "{message}");
    assert!(
        message.contains("/paths/~1a/get/responses/200"),
        "{message}"
    );
}

#[test]
fn yaml_non_scalar_key_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "k.yaml",
        "openapi: 3.1.0\ninfo:\n  ? [a, b]\n  : c\n",
    );
    let message = err_text(load_file(&path, "k".into()));
    assert!(message.contains("not a scalar"), "{message}");
    assert!(message.contains("#/info"), "{message}");
}

#[test]
fn docs_page_yaml_four_backticks() {
    let page = "# Title\n\nSome text.\n\n```bash\ncurl x\n```\n\n````yaml /openapi/x.json delete /v3/x\nopenapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n  description: |\n    ```\n    not a fence end (3 < 4)\n    ```\npaths: {}\n````\n\ntrailer\n";
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "page.docs.md", page);
    let doc = load_file(&path, "page".into()).expect("load");
    assert_eq!(doc.first_line, 10);
    assert_eq!(doc.value["info"]["title"], "t");
    assert_eq!(doc.line_of("/info/version"), Some(13));
    assert_eq!(doc.line_of("/paths"), Some(18));
    assert!(doc.value["info"]["description"]
        .as_str()
        .is_some_and(|d| d.contains("```")));
    assert_eq!(default_id(&path), "page.docs");
}

#[test]
fn docs_page_json_fence_skips_other_blocks() {
    let page = "intro\n```json\n{\"example\": true}\n```\n```json\n{ not json at all\n```\n~~~markdown\n```json\n{\"openapi\": \"3.0.0\", \"nested\": \"ignored\"}\n```\n~~~\n```JSON\n{\n  \"openapi\": \"3.0.1\",\n  \"info\": {\"title\": \"x\", \"version\": \"1\"},\n  \"paths\": {}\n}\n```";
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "page.md", page);
    let doc = load_file(&path, "page".into()).expect("load");
    assert_eq!(doc.value["openapi"], "3.0.1");
    assert_eq!(doc.first_line, 14);
    assert_eq!(doc.line_of("/paths"), Some(17));
}

#[test]
fn docs_page_without_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "page.md", "text\n```json\n{\"a\": 1}\n```\n");
    let message = err_text(load_file(&path, "page".into()));
    assert!(
        message.contains("no embedded OpenAPI document"),
        "{message}"
    );
    assert!(message.contains("page.md"), "{message}");
}

#[test]
fn docs_page_with_two_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = "```yaml\nopenapi: 3.1.0\n```\ntext\n```yml\nopenapi: 3.0.0\n```\n";
    let path = write(dir.path(), "two.txt", page);
    let message = err_text(load_file(&path, "two".into()));
    assert!(message.contains("lines 1, 5"), "{message}");
    assert!(message.contains("two.txt"), "{message}");
}

#[test]
fn docs_page_parse_error_reports_file_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = "a\nb\n```json\n{\n  \"openapi\": \"3.1.0\",\n  \"info\": oops\n}\n```\n";
    let path = write(dir.path(), "p.md", page);
    match load_file(&path, "p".into()) {
        Err(Error::Spec { location, message }) => {
            assert_eq!(location.line, Some(6), "{message}");
            assert!(message.contains("line 6"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn unclosed_fence_runs_to_end() {
    let blocks = fenced_blocks("```yaml\nopenapi: 3.1.0\n");
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].content, "openapi: 3.1.0\n\n");
}

#[test]
fn indented_fence_strips_indent() {
    let blocks =
        fenced_blocks("- item\n  ```yaml\n  openapi: 3.1.0\n  info:\n    title: t\n  ```\n");
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].content, "openapi: 3.1.0\ninfo:\n  title: t\n");
}

#[test]
fn versions() {
    for ok in ["3.0.0", "3.0.3", "3.1.0", "3.1.1", "3.1.0-rc1"] {
        assert!(is_supported_version(ok), "{ok}");
    }
    for bad in ["2.0", "3.2.0", "3.1", "3.1.x", "4.0.0", "", "3.0."] {
        assert!(!is_supported_version(bad), "{bad}");
    }
}

#[test]
fn rejects_wrong_versions_and_non_openapi() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "s.json", "{\"swagger\": \"2.0\"}");
    assert!(err_text(load_file(&p, "s".into())).contains("Swagger `2.0`"));
    let p = write(dir.path(), "v.yaml", "openapi: 3.2.0\n");
    let message = err_text(load_file(&p, "v".into()));
    assert!(
        message.contains("unsupported OpenAPI version `3.2.0`"),
        "{message}"
    );
    assert!(message.contains("v.yaml:1 at #/openapi"), "{message}");
    let p = write(dir.path(), "n.yaml", "openapi: 3.1\n");
    assert!(err_text(load_file(&p, "n".into())).contains("`3.1`"));
    let p = write(dir.path(), "x.json", "{\"info\": {}}");
    assert!(err_text(load_file(&p, "x".into())).contains("no `openapi` key"));
    let p = write(dir.path(), "arr.json", "[1]");
    assert!(err_text(load_file(&p, "arr".into())).contains("not a mapping"));
}

#[test]
fn load_dir_without_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "b.json", MINI_JSON);
    write(dir.path(), "a.yaml", MINI_YAML);
    write(
        dir.path(),
        "c.page.md",
        "```yaml\nopenapi: 3.1.0\npaths: {}\n```\n",
    );
    write(dir.path(), "quirks.yaml", "fixes: []\n");
    write(dir.path(), "client.yaml", "x: 1\n");
    write(dir.path(), "notes.rst", "ignored\n");
    write(dir.path(), ".hidden.json", "broken");
    fs::create_dir(dir.path().join("sub.json")).expect("mkdir");
    let docs = load_dir(dir.path()).expect("load");
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c.page"]);
    assert!(docs.iter().all(|d| d.date.is_none() && d.url.is_none()));
}

#[test]
fn load_dir_duplicate_default_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.json", MINI_JSON);
    write(dir.path(), "a.yaml", MINI_YAML);
    let message = match load_dir(dir.path()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    };
    assert!(message.contains("document id `a`"), "{message}");
}

#[test]
fn load_dir_with_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "b.json", MINI_JSON);
    write(dir.path(), "a.yaml", MINI_YAML);
    write(dir.path(), "unlisted.json", "not even json");
    write(
        dir.path(),
        "manifest.yaml",
        "documents:\n  - id: zeta\n    file: a.yaml\n    date: 2026-01-02\n  - id: alpha\n    file: b.json\n    url: https://example.com/b\n",
    );
    let docs = load_dir(dir.path()).expect("load");
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["alpha", "zeta"]);
    assert_eq!(docs[0].url.as_deref(), Some("https://example.com/b"));
    assert_eq!(docs[1].date.as_deref(), Some("2026-01-02"));
}

#[test]
fn load_dir_manifest_missing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.yaml", MINI_YAML);
    write(
        dir.path(),
        "manifest.yaml",
        "documents:\n  - id: a\n    file: a.yaml\n  - id: gone\n    file: gone.json\n",
    );
    match load_dir(dir.path()) {
        Err(Error::Spec { location, message }) => {
            assert_eq!(location.pointer, "/documents/1/file");
            assert_eq!(location.line, Some(5));
            assert!(message.contains("gone.json"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

#[test]
fn real_specs_load() {
    let docs = load_dir(&specs_dir()).expect("specs/ loads");
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "external-api",
            "external-api-2026-05-delete-video-translation",
            "readme-v1-video-delete",
            "readme-v2-photo-avatar-delete"
        ]
    );
    let may = &docs[1];
    assert_eq!(may.first_line, 14);
    assert_eq!(may.date.as_deref(), Some("2026-05-15"));
    assert_eq!(
        may.line_of("/paths/~1v3~1video-translations~1{video_translation_id}/delete"),
        Some(57)
    );
    assert_eq!(
        may.line_of("/components/schemas/StandardAPIError/properties/param/type/1"),
        Some(173)
    );
    let vdel = &docs[2];
    assert_eq!(vdel.first_line, 15);
    assert_eq!(
        vdel.line_of("/paths/~1v1~1video.delete/delete/parameters/1/name"),
        Some(58)
    );
    assert_eq!(
        vdel.value["paths"]["/v1/video.delete"]["delete"]["operationId"],
        json!("delete-a-video")
    );
}

#[test]
fn real_external_api_lines() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/external-api.json");
    let doc = load_file(&path, "external-api".into()).expect("loads");
    let pointer = "/components/schemas/VideoDetail/properties/title";
    let line = doc.line_of(pointer).expect("found");
    let text_line = doc.text.lines().nth(line - 1).expect("line exists");
    assert!(text_line.contains("\"title\""), "{text_line}");
}

/// The event reader of `crate::text::yaml` gives what serde_yaml gives.
#[track_caller]
fn reads_like_serde_yaml(text: &str) {
    let expected = serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| e.to_string());
    let got = crate::text::yaml::parse(text, 128).map_err(|e| e.message);
    match (expected, got) {
        (Ok(expected), Ok(got)) => assert_eq!(got, expected, "{text:?}"),
        (Err(_), Err(_)) => {}
        (expected, got) => panic!("{text:?}: serde_yaml {expected:?}, here {got:?}"),
    }
}

/// Every YAML input of the repository (files and the blocks of docs pages)
/// reads as serde_yaml reads it.
#[test]
fn reads_the_repositorys_yaml_like_serde_yaml() {
    let mut stack = vec![
        crate::pipeline::workspace_root().join("specs"),
        crate::pipeline::workspace_root().join("tests/fixtures"),
    ];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.to_string_lossy().to_string();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if name.ends_with(".yaml") || name.ends_with(".yml") {
                reads_like_serde_yaml(&text);
                checked += 1;
            } else if name.ends_with(".md") {
                for block in fenced_blocks(&text) {
                    reads_like_serde_yaml(&block.content);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 30, "{checked} YAML texts");
}

/// A syntax error in a docs page's block names file lines, for the problem
/// and for what libyaml was reading.
#[test]
fn yaml_syntax_error_in_a_page_names_file_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "page.md",
        "# Page\n\n```yaml\nopenapi: 3.1.0\ninfo:\n  title: [a, b\n```\n",
    );
    assert_eq!(
        err_text(load_file(&path, "page".into())),
        format!(
            "{}:7 at #/info/title/2: invalid YAML: did not find expected ',' or ']', while \
             parsing a flow sequence from line 6 (line 7, column 1)",
            path.display()
        )
    );
}
