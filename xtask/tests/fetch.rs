//! `cargo xtask fetch-specs` against an HTTP server on 127.0.0.1 started by the
//! test: a JSON document and a docs page succeed; a 404, a page without a spec
//! and a server that never answers each fail naming the URL, and leave the
//! specs folder (documents and manifest) byte-identical.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use xtask::fetch::{fetch_specs, sha256_hex, FetchError, FetchOptions};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fetch")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Clone)]
enum Reply {
    Ok(Vec<u8>),
    Status(u16, &'static str),
    /// Accept the connection, read the request, never answer.
    Hang,
}

/// A tiny HTTP/1.1 server on 127.0.0.1: one thread per connection, at most 64
/// connections and 60 seconds, then it stops by itself. Returns the base URL.
fn serve(routes: Vec<(&'static str, Reply)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    listener.set_nonblocking(true).expect("nonblocking");
    let routes: BTreeMap<&'static str, Reply> = routes.into_iter().collect();
    std::thread::spawn(move || {
        let started = Instant::now();
        let mut served = 0;
        while served < 64 && started.elapsed() < Duration::from_secs(60) {
            match listener.accept() {
                Ok((stream, _)) => {
                    served += 1;
                    let routes = routes.clone();
                    std::thread::spawn(move || answer(stream, &routes));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    base
}

fn answer(mut stream: TcpStream, routes: &BTreeMap<&'static str, Reply>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buffer = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    let head = String::from_utf8_lossy(&request);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (status, reason, body) = match routes.get(path.as_str()) {
        Some(Reply::Ok(body)) => (200, "OK", body.clone()),
        Some(Reply::Status(status, reason)) => (*status, *reason, reason.as_bytes().to_vec()),
        Some(Reply::Hang) => {
            // Hold the connection open, bounded, without a byte of answer.
            std::thread::sleep(HANG);
            return;
        }
        None => (404, "Not Found", b"no such route".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

const OLD_JSON: &str =
    "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"old\", \"version\": \"1\"}, \"paths\": {}}\n";
const OLD_PAGE: &str =
    "```yaml\nopenapi: 3.1.0\ninfo: {title: old page, version: '1'}\npaths: {}\n```\n";

/// What a URL that moved on may serve instead: a valid OpenAPI document, but
/// another one (like developers.heygen.com/openapi.yaml, the stale v1/v2 document).
const STALE_V2_DOCUMENT: &str = r#"{"openapi": "3.1.0", "info": {"title": "HeyGen API", "version": "4.0.8"}, "paths": {"/v2/videos": {}}}"#;

/// A specs folder with two documents and a commented manifest whose second
/// entry is fetched from `second_url`.
fn specs_dir(base: &str, second_path: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("widgets.json"), OLD_JSON).expect("write");
    std::fs::write(dir.path().join("delete-widget.docs.md"), OLD_PAGE).expect("write");
    std::fs::write(dir.path().join("quirks.yaml"), "fixes: []\n").expect("write");
    let manifest = format!(
        "# Inputs of the generator.\ndocuments:\n  - id: widgets\n    file: widgets.json\n    url: {base}/spec.json\n    # published with the spec\n    date: 2026-04-08\n\n  # A single operation, from the docs site.\n  - id: delete-widget\n    file: delete-widget.docs.md\n    url: {base}{second_path}\n    date: 2026-05-15\n    fetched: 2026-05-16\n"
    );
    std::fs::write(dir.path().join("manifest.yaml"), manifest).expect("write");
    dir
}

/// Every file under `dir` (hidden ones included) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                out.insert(path.clone(), Vec::new());
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

fn options(dir: &Path, timeout_secs: u64) -> FetchOptions {
    FetchOptions {
        specs: dir.to_path_buf(),
        timeout: Duration::from_secs(timeout_secs),
        today: Some("2026-06-01".into()),
        include_unverified: false,
    }
}

fn routes() -> Vec<(&'static str, Reply)> {
    vec![
        ("/spec.json", Reply::Ok(fixture("spec.json"))),
        ("/delete-widget.md", Reply::Ok(fixture("page.docs.md"))),
        ("/moved.md", Reply::Ok(fixture("no-spec.md"))),
        ("/gone.md", Reply::Status(404, "Not Found")),
        (
            "/stale.json",
            Reply::Ok(STALE_V2_DOCUMENT.as_bytes().to_vec()),
        ),
        ("/slow.md", Reply::Hang),
    ]
}

#[test]
fn fetches_json_and_docs_page_and_records_them() {
    let base = serve(routes());
    let dir = specs_dir(&base, "/delete-widget.md");
    let report = fetch_specs(&options(dir.path(), 10)).expect("fetch succeeds");

    let json = fixture("spec.json");
    let page = fixture("page.docs.md");
    assert_eq!(
        std::fs::read(dir.path().join("widgets.json")).unwrap(),
        json
    );
    assert_eq!(
        std::fs::read(dir.path().join("delete-widget.docs.md")).unwrap(),
        page
    );
    assert_eq!(report.fetched.len(), 2);
    assert!(report.fetched.iter().all(|f| f.changed));
    assert!(!report.manifest_regenerated);
    assert_eq!(report.fetched[0].sha256, sha256_hex(&json));

    // The manifest keeps its comments and layout; fetched and sha256 are set.
    let manifest = std::fs::read_to_string(dir.path().join("manifest.yaml")).unwrap();
    let expected = format!(
        "# Inputs of the generator.\ndocuments:\n  - id: widgets\n    file: widgets.json\n    url: {base}/spec.json\n    # published with the spec\n    date: 2026-04-08\n    fetched: 2026-06-01\n    sha256: {}\n\n  # A single operation, from the docs site.\n  - id: delete-widget\n    file: delete-widget.docs.md\n    url: {base}/delete-widget.md\n    date: 2026-05-15\n    fetched: 2026-06-01\n    sha256: {}\n",
        sha256_hex(&json),
        sha256_hex(&page)
    );
    assert_eq!(manifest, expected);
    let parsed = generator::manifest::read(dir.path())
        .expect("valid")
        .expect("present");
    assert_eq!(
        parsed.documents[1].sha256.as_deref(),
        Some(sha256_hex(&page).as_str())
    );

    // The folder still loads, and nothing was left behind.
    let documents = generator::load::load_dir(dir.path()).expect("specs load");
    assert_eq!(documents.len(), 2);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with(".fetch-")), "{names:?}");

    // A second fetch of the same documents changes nothing but says so.
    let again = fetch_specs(&options(dir.path(), 10)).expect("fetch again");
    assert!(again.fetched.iter().all(|f| !f.changed));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("manifest.yaml")).unwrap(),
        expected
    );
}

/// Runs a fetch that must fail and checks that the folder is byte-identical.
fn assert_fails_and_changes_nothing(second_path: &str, timeout_secs: u64) -> FetchError {
    let base = serve(routes());
    let dir = specs_dir(&base, second_path);
    let before = snapshot(dir.path());
    let error = fetch_specs(&options(dir.path(), timeout_secs)).expect_err("fetch fails");
    let message = error.to_string();
    assert!(
        message.contains(&format!("{base}{second_path}")),
        "names the URL: {message}"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "the specs folder changed: {message}"
    );
    error
}

#[test]
fn http_404_changes_nothing() {
    let error = assert_fails_and_changes_nothing("/gone.md", 10);
    assert!(
        matches!(error, FetchError::Status { status: 404, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("HTTP 404"), "{error}");
}

#[test]
fn page_without_spec_changes_nothing() {
    let error = assert_fails_and_changes_nothing("/moved.md", 10);
    assert!(matches!(error, FetchError::NoSpec { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("no embedded OpenAPI document"),
        "{message}"
    );
    assert!(message.contains("delete-widget.docs.md"), "{message}");
}

/// How long a hanging route holds its connection without answering.
const HANG: Duration = Duration::from_secs(40);

/// On the real clock (the fetch is blocking), with margins for a loaded
/// machine: the first document has the whole timeout (3 s) to come from
/// 127.0.0.1, and giving up is told from the server closing the connection
/// by a wide gap (well under [`HANG`]).
#[test]
fn timeout_changes_nothing() {
    let started = Instant::now();
    let error = assert_fails_and_changes_nothing("/slow.md", 3);
    assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
    assert!(error.to_string().contains("timed out"), "{error}");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(3) && elapsed < HANG / 2,
        "gave up after the timeout, not when the server hung up: {elapsed:?}"
    );
}

#[test]
fn refused_connection_changes_nothing() {
    // A port that was just free: nothing listens there any more.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = serve(routes());
    let dir = specs_dir(&base, "/delete-widget.md");
    let manifest = std::fs::read_to_string(dir.path().join("manifest.yaml")).unwrap();
    let refused = format!("http://127.0.0.1:{port}/spec.json");
    std::fs::write(
        dir.path().join("manifest.yaml"),
        manifest.replace(&format!("{base}/spec.json"), &refused),
    )
    .unwrap();
    let before = snapshot(dir.path());
    let error = fetch_specs(&options(dir.path(), 5)).expect_err("refused");
    assert!(matches!(error, FetchError::Transport { .. }), "{error:?}");
    assert!(error.to_string().contains(&refused), "{error}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn cli_reports_the_failed_url_and_exit_code() {
    let base = serve(routes());
    let dir = specs_dir(&base, "/gone.md");
    let before = snapshot(dir.path());
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["fetch-specs", "--timeout", "5", "--specs"])
        .arg(dir.path())
        .output()
        .expect("run xtask");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{base}/gone.md: HTTP 404")),
        "{stderr}"
    );
    assert!(stderr.contains("was left as it was"), "{stderr}");
    assert_eq!(snapshot(dir.path()), before);

    let dir = specs_dir(&base, "/delete-widget.md");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["fetch-specs", "--specs"])
        .arg(dir.path())
        .output()
        .expect("run xtask");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("updated   widgets.json"), "{stdout}");
    assert!(stdout.contains("fetched 2 documents"), "{stdout}");
    let manifest = std::fs::read_to_string(dir.path().join("manifest.yaml")).unwrap();
    let today = generator::manifest::today_utc();
    assert_eq!(
        manifest.matches(&format!("fetched: {today}")).count(),
        2,
        "{manifest}"
    );
}

#[test]
fn missing_manifest_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = fetch_specs(&options(dir.path(), 1)).expect_err("no manifest");
    assert!(error.to_string().contains("manifest.yaml"), "{error}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

/// A specs folder whose one document expects the title `Widgets` and the path
/// `/v3/widgets`, fetched from `base` + `path`; `extra` is appended to the entry.
fn expecting_specs_dir(base: &str, path: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("widgets.json"), fixture("spec.json")).expect("write");
    let manifest = format!(
        "documents:\n  - id: widgets\n    file: widgets.json\n    url: {base}{path}\n    date: 2026-04-08\n    expect: {{title: Widgets, paths: [/v3/widgets]}}\n{extra}"
    );
    std::fs::write(dir.path().join("manifest.yaml"), manifest).expect("write");
    dir
}

#[test]
fn download_that_is_another_document_is_refused() {
    let base = serve(routes());
    let dir = expecting_specs_dir(&base, "/stale.json", "");
    let before = snapshot(dir.path());
    let error = fetch_specs(&options(dir.path(), 10)).expect_err("the stale document is refused");
    assert!(
        matches!(&error, FetchError::Unexpected { id, mismatches, .. }
            if id == "widgets" && mismatches.len() == 2),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains(&format!("{base}/stale.json")), "{message}");
    assert!(
        message.contains("its title is `HeyGen API`, expected `Widgets`"),
        "{message}"
    );
    assert!(
        message.contains("it has no path `/v3/widgets`"),
        "{message}"
    );
    assert_eq!(snapshot(dir.path()), before, "nothing changed");
}

#[test]
fn download_that_holds_what_is_expected_is_accepted() {
    let base = serve(routes());
    let dir = expecting_specs_dir(&base, "/spec.json", "");
    let report = fetch_specs(&options(dir.path(), 10)).expect("the expected document");
    assert_eq!(report.fetched.len(), 1);
    let manifest = generator::manifest::read(dir.path()).unwrap().unwrap();
    let expect = manifest.documents[0].expect.as_ref().expect("expect kept");
    assert_eq!(expect.paths, ["/v3/widgets"]);
    assert_eq!(
        manifest.documents[0].sha256.as_deref(),
        Some(sha256_hex(&fixture("spec.json")).as_str())
    );
}

#[test]
fn unverified_entries_are_skipped_unless_asked_for() {
    let base = serve(routes());
    // The url 404s: trying it would fail the whole fetch.
    let dir = expecting_specs_dir(&base, "/gone.md", "    unverified: the page moved\n");
    let before = snapshot(dir.path());
    let report = fetch_specs(&options(dir.path(), 10)).expect("nothing to fetch");
    assert!(report.fetched.is_empty());
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].id, "widgets");
    assert_eq!(report.skipped[0].why, "unverified: the page moved");
    let mut after = snapshot(dir.path());
    // Only the manifest may be rewritten (identically: nothing was fetched).
    assert_eq!(
        after.remove(&dir.path().join("manifest.yaml")),
        before.get(&dir.path().join("manifest.yaml")).cloned()
    );

    let mut all = options(dir.path(), 10);
    all.include_unverified = true;
    let error = fetch_specs(&all).expect_err("asked for, the moved page is tried");
    assert!(
        matches!(error, FetchError::Status { status: 404, .. }),
        "{error:?}"
    );
}

#[test]
fn local_file_that_is_another_document_fails_regen_naming_the_manifest() {
    let dir = expecting_specs_dir("http://127.0.0.1:9", "/spec.json", "");
    std::fs::write(dir.path().join("widgets.json"), STALE_V2_DOCUMENT).unwrap();
    let error = generator::load::load_dir(dir.path()).expect_err("refused");
    let message = error.to_string();
    assert!(message.contains("manifest.yaml"), "{message}");
    assert!(message.contains("/documents/0/expect"), "{message}");
    assert!(message.contains("its title is `HeyGen API`"), "{message}");
}
