use super::*;

fn parse_err(text: &str) -> (String, Option<usize>, String) {
    match parse(text, Path::new("specs/manifest.yaml")) {
        Err(Error::Spec { location, message }) => (location.pointer, location.line, message),
        other => panic!("expected a spec error, got {other:?}"),
    }
}

const GOOD: &str = "# comment\ndocuments:\n  - id: a\n    file: a.json\n    url: https://example.com/a\n    date: 2026-04-01   # unquoted\n    fetched: '2026-11-24'\n    sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n  - id: b.v2\n    file: sub/b.md\n";

#[test]
fn parses_and_round_trips() {
    let manifest = parse(GOOD, Path::new("m.yaml")).expect("valid");
    assert_eq!(manifest.documents.len(), 2);
    let a = &manifest.documents[0];
    assert_eq!(a.date.as_deref(), Some("2026-04-01"));
    assert_eq!(a.fetched.as_deref(), Some("2026-11-24"));
    assert_eq!(
        manifest.entry("b.v2").map(|e| e.file.as_str()),
        Some("sub/b.md")
    );
    assert_eq!(manifest.documents[1].url, None);
    let yaml = manifest.to_yaml().expect("serialises");
    assert!(!yaml.contains("null"), "{yaml}");
    let again = parse(&yaml, Path::new("m.yaml")).expect("re-parses");
    assert_eq!(again, manifest);
    let via_serde: Manifest = serde_yaml::from_str(&yaml).expect("serde_yaml");
    assert_eq!(via_serde, manifest);
}

#[test]
fn read_is_none_without_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(read(dir.path()).expect("ok"), None);
    std::fs::write(dir.path().join(FILE_NAME), GOOD).expect("write");
    assert!(read(dir.path()).expect("ok").is_some());
}

#[test]
fn bad_date_names_pointer_and_line() {
    let text = "documents:\n  - id: a\n    file: a.json\n  - id: b\n    file: b.json\n  - id: c\n    file: c.json\n    date: 2026-13-01\n";
    let (pointer, line, message) = parse_err(text);
    assert_eq!(pointer, "/documents/2/date");
    assert_eq!(line, Some(8));
    assert!(message.contains("YYYY-MM-DD"), "{message}");
    let (pointer, _, _) = parse_err(&text.replace("2026-13-01", "2026-02-30"));
    assert_eq!(pointer, "/documents/2/date");
    let (pointer, _, _) = parse_err(&text.replace("2026-13-01", "26-1-1"));
    assert_eq!(pointer, "/documents/2/date");
    let (pointer, _, _) = parse_err(&text.replace("date: 2026-13-01", "fetched: yesterday"));
    assert_eq!(pointer, "/documents/2/fetched");
}

#[test]
fn duplicates() {
    let (pointer, line, message) =
        parse_err("documents:\n  - id: a\n    file: a.json\n  - id: a\n    file: b.json\n");
    assert_eq!(pointer, "/documents/1/id");
    assert_eq!(line, Some(4));
    assert!(message.contains("duplicate document id `a`"), "{message}");
    let (pointer, _, message) =
        parse_err("documents:\n  - id: a\n    file: a.json\n  - id: b\n    file: a.json\n");
    assert_eq!(pointer, "/documents/1/file");
    assert!(message.contains("listed twice"), "{message}");
}

#[test]
fn shape_errors() {
    let (pointer, _, message) =
        parse_err("documents:\n  - id: a\n    file: a.json\n    colour: red\n");
    assert_eq!(pointer, "/documents/0/colour");
    assert!(message.contains("unknown key"), "{message}");
    let (pointer, _, _) = parse_err("documents:\n  - file: a.json\n");
    assert_eq!(pointer, "/documents/0");
    let (pointer, _, message) =
        parse_err("documents:\n  - id: a\n    file: a.json\n    date: 2026\n");
    assert_eq!(pointer, "/documents/0/date");
    assert!(message.contains("must be a string"), "{message}");
    let (pointer, _, _) = parse_err("docs: []\n");
    assert_eq!(pointer, "/docs");
    let (pointer, _, _) = parse_err("# only a comment\n");
    assert_eq!(pointer, "");
    let (pointer, _, message) = parse_err("documents: []\n");
    assert_eq!(pointer, "/documents");
    assert!(message.contains("no documents"), "{message}");
    let (pointer, _, _) = parse_err("documents:\n  - id: a\n    file: ../a.json\n");
    assert_eq!(pointer, "/documents/0/file");
    let (pointer, _, _) = parse_err("documents:\n  - id: a b\n    file: a.json\n");
    assert_eq!(pointer, "/documents/0/id");
    let (pointer, _, _) = parse_err("documents:\n  - id: a\n    file: a.json\n    url: ftp://x\n");
    assert_eq!(pointer, "/documents/0/url");
    let (pointer, _, _) = parse_err("documents:\n  - id: a\n    file: a.json\n    sha256: abc\n");
    assert_eq!(pointer, "/documents/0/sha256");
}

#[test]
fn civil_dates() {
    assert_eq!(date_from_unix_days(0), "1970-01-01");
    assert_eq!(date_from_unix_days(11_016), "2000-02-29");
    assert_eq!(date_from_unix_days(20_551), "2026-04-08");
    assert_eq!(date_from_unix_days(-1), "1969-12-31");
    assert!(is_iso_date(&today_utc()));
}

#[test]
fn iso_dates() {
    for ok in ["2026-04-01", "2024-02-29", "2000-02-29", "1999-12-31"] {
        assert!(is_iso_date(ok), "{ok}");
    }
    for bad in [
        "2026-02-29",
        "1900-02-29",
        "2026-00-10",
        "2026-04-31",
        "2026-4-01",
        "2026/04/01",
        "+026-04-01",
        "",
    ] {
        assert!(!is_iso_date(bad), "{bad}");
    }
}

#[test]
fn expect_is_checked_for_shape_and_against_documents() {
    let entry = "documents:\n  - id: a\n    file: a.json\n    expect: ";
    let (pointer, line, message) = parse_err(&format!("{entry}{{titel: x}}\n"));
    assert_eq!(pointer, "/documents/0/expect/titel");
    assert_eq!(line, Some(4));
    assert!(message.contains("unknown key `titel`"), "{message}");
    let (pointer, _, message) = parse_err(&format!("{entry}{{paths: [v3/videos]}}\n"));
    assert_eq!(pointer, "/documents/0/expect/paths/0");
    assert!(message.contains("starting with `/`"), "{message}");

    let manifest = parse(
        &format!("{entry}{{title: T, paths: [/a, /b]}}\n"),
        Path::new("m.yaml"),
    )
    .expect("valid");
    let expect = manifest.documents[0].expect.clone().expect("expect");
    let matching = serde_json::json!({"info": {"title": "T"}, "paths": {"/a": {}, "/b": {}}});
    assert!(expect.mismatches(&matching).is_empty());
    let other = serde_json::json!({"info": {"title": "U"}, "paths": {"/a": {}}});
    assert_eq!(
        expect.mismatches(&other),
        ["its title is `U`, expected `T`", "it has no path `/b`"]
    );
}

#[test]
fn real_manifest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let manifest = read(&dir).expect("valid").expect("present");
    let ids: Vec<&str> = manifest.documents.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "external-api",
            "external-api-2026-05-delete-video-translation",
            "readme-v1-video-delete",
            "readme-v2-photo-avatar-delete"
        ]
    );
    assert!(manifest
        .documents
        .iter()
        .all(|e| e.date.is_some() && e.url.is_some() && e.expect.is_some()));
    // Only the full document is known to be where the manifest says.
    let verified: Vec<&str> = manifest
        .documents
        .iter()
        .filter(|e| e.unverified.is_none())
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(verified, ["external-api"]);
    for entry in &manifest.documents {
        assert!(dir.join(&entry.file).is_file(), "{}", entry.file);
    }
}
