//! Runs every program of `generated/examples/` against a local mock of the
//! API (wiremock), the way a user runs it: the compiled example binary, with
//! `HEYGEN_API_KEY` and `HEYGEN_BASE_URL` pointing at the mock. Each test
//! checks what the program prints and the requests the mock received.
//!
//! The examples are built once per run, by a nested `cargo build -p heygen
//! --examples` into `target/e2e` (the outer `cargo test` holds `target/`).
//!
//! Adding an example: write `templates/examples/<name>.rs` (and its
//! `[[example]]` entry with the features it needs in `templates/Cargo.toml`),
//! run `cargo xtask regen`, add the name to [`EXAMPLES`] and a test here that
//! mounts the responses it needs, runs `Example::new("<name>")` (with `.arg`,
//! `.env`, `.stdin`) against the server and checks the output and requests.
//! [`every_example_has_a_test`] fails until the name is listed.
//!
//! `receive_webhook` is a server rather than a client: its test starts it on a
//! free port, sends it deliveries and reads what it prints ([`Receiver`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use heygen_codegen_tests::{cargo, workspace_root};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Every example, each run by a test below.
const EXAMPLES: &[&str] = &[
    "create_video_and_wait",
    "handle_errors",
    "list_videos",
    "receive_webhook",
    "translate_video",
    "upload_asset",
];

const KEY: &str = "test-key";

/// How long an example may run before the test kills it.
const DEADLINE: Duration = Duration::from_secs(60);

#[test]
fn every_example_has_a_test() {
    let dir = workspace_root().join("generated/examples");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("generated/examples")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(
        found, EXAMPLES,
        "generated/examples/ and the examples tested here differ"
    );
}

// ------------------------------------------------------------------ harness

/// The folder of the example binaries, built on first use.
fn binaries() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = workspace_root();
        cargo(&root, &["build", "--quiet", "-p", "heygen", "--examples"]);
        root.join("target/e2e/debug/examples")
    })
}

/// One run of an example: its arguments, extra environment and input.
struct Example {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Vec<u8>,
}

/// What a finished example printed.
struct Output {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Example {
    fn new(name: &'static str) -> Self {
        assert!(EXAMPLES.contains(&name), "{name} is not in EXAMPLES");
        Example {
            name,
            args: Vec::new(),
            env: Vec::new(),
            stdin: Vec::new(),
        }
    }

    fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    #[allow(dead_code)] // for examples that read their input (a webhook payload, say)
    fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = input.into();
        self
    }

    /// Runs the example against `server` and expects it to succeed.
    async fn run(self, server: &MockServer) -> Output {
        let name = self.name;
        let output = self.run_to_end(server).await;
        assert!(
            output.status.success(),
            "{name} exited with {}\n--- stdout\n{}--- stderr\n{}",
            output.status,
            output.stdout,
            output.stderr
        );
        output
    }

    /// Runs the example against `server`, whatever its exit status. Only the
    /// variables given here reach it: none of the developer's `HEYGEN_*`.
    async fn run_to_end(self, server: &MockServer) -> Output {
        let binary = binaries().join(format!("{}{}", self.name, std::env::consts::EXE_SUFFIX));
        let mut command = Command::new(&binary);
        command
            .args(&self.args)
            .env_clear()
            .env("HEYGEN_API_KEY", KEY)
            .env("HEYGEN_BASE_URL", server.uri())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let name = self.name;
        let stdin = self.stdin;
        // Blocking waits run off the async runtime (the mock answers on its own thread).
        tokio::task::spawn_blocking(move || {
            let mut child = command
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
            let mut input = child.stdin.take().expect("stdin");
            input.write_all(&stdin).expect("write stdin");
            drop(input);
            let start = Instant::now();
            while child.try_wait().expect("wait").is_none() {
                if start.elapsed() > DEADLINE {
                    let _ = child.kill();
                    let output = child.wait_with_output().expect("output");
                    panic!(
                        "{name} still ran after {DEADLINE:?}\n--- stdout\n{}--- stderr\n{}",
                        String::from_utf8_lossy(&output.stdout),
                        String::from_utf8_lossy(&output.stderr)
                    );
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let output = child.wait_with_output().expect("output");
            Output {
                status: output.status,
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            }
        })
        .await
        .expect("the example's runner thread")
    }
}

impl Output {
    /// Fails unless the output has a line equal to `line` (trailing spaces aside).
    fn assert_line(&self, line: &str) {
        assert!(
            self.stdout.lines().any(|l| l.trim_end() == line),
            "no line {line:?} in the output:\n{}",
            self.stdout
        );
    }
}

async fn server() -> MockServer {
    // Not `MockServer::start()`, whose servers are pooled across tests.
    MockServer::builder().start().await
}

/// The requests `server` received for `verb` on `route`, in order.
async fn received(server: &MockServer, verb: &str, route: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .into_iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == route)
        .collect()
}

fn header_of<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Every request to `server` carried the API key (and only as `x-api-key`).
async fn assert_authenticated(server: &MockServer) {
    let requests = server.received_requests().await.expect("recording is on");
    assert!(!requests.is_empty(), "no request reached the mock");
    for request in &requests {
        assert_eq!(
            header_of(request, "x-api-key"),
            Some(KEY),
            "{} {} without the API key",
            request.method,
            request.url
        );
        assert!(header_of(request, "authorization").is_none());
    }
}

fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

/// A POST carries an Idempotency-Key (the client adds one).
fn assert_idempotency_key(request: &Request) {
    assert!(
        header_of(request, "idempotency-key").is_some_and(|key| key.len() >= 16),
        "{} {} has no Idempotency-Key",
        request.method,
        request.url
    );
}

fn data(value: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "data": value }))
}

/// A v3 error body (the `StandardAPIError` shape of the spec).
fn v3_error(status: u16, code: &str, message: &str, param: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": {"code": code, "message": message, "param": param, "doc_url": null}
    }))
}

/// A `VideoDetail` as the spec's examples show it.
fn video_detail(id: &str, status: &str) -> Value {
    let mut video = json!({
        "id": id,
        "title": "My Generated Video",
        "status": status,
        "created_at": 1711929600,
        "folder_id": "folder_abc123",
    });
    if status == "completed" {
        let done = json!({
            "completed_at": 1711930200,
            "video_url": "https://files.heygen.ai/video/abc123.mp4",
            "thumbnail_url": "https://files.heygen.ai/thumb/abc123.jpg",
            "gif_url": "https://files.heygen.ai/gif/abc123.gif",
            "captioned_video_url": "https://files.heygen.ai/video/abc123_captioned.mp4",
            "subtitle_url": "https://files.heygen.ai/srt/abc123.srt",
            "duration": 30.5,
            "video_page_url": "https://app.heygen.com/video/abc123",
        });
        video
            .as_object_mut()
            .unwrap()
            .extend(done.as_object().unwrap().clone());
    }
    video
}

/// Answers `first` to the first `times` matching requests, then `then`.
async fn in_turn(
    server: &MockServer,
    verb: &str,
    route: &str,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(times)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(then)
        .mount(server)
        .await;
}

// ----------------------------------------------------------------- examples

#[tokio::test]
async fn create_video_and_wait() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .respond_with(data(
            json!({"video_id": "v_abc123def456", "status": "waiting"}),
        ))
        .mount(&server)
        .await;
    in_turn(
        &server,
        "GET",
        "/v3/videos/v_abc123def456",
        data(video_detail("v_abc123def456", "processing")),
        1,
        data(video_detail("v_abc123def456", "completed")),
    )
    .await;

    let output = Example::new("create_video_and_wait")
        .arg("avatar_test_1")
        .arg("voice_test_1")
        .arg("Hello from the mock")
        .env("HEYGEN_POLL_INTERVAL_MS", "10")
        .run(&server)
        .await;

    output.assert_line("created video v_abc123def456 (status: waiting)");
    output.assert_line("video v_abc123def456 is completed");
    output.assert_line("duration: 30.5 s");
    output.assert_line("download: https://files.heygen.ai/video/abc123.mp4");
    output.assert_line("open in HeyGen: https://app.heygen.com/video/abc123");

    assert_authenticated(&server).await;
    let created = received(&server, "POST", "/v3/videos").await;
    assert_eq!(created.len(), 1);
    assert_idempotency_key(&created[0]);
    assert_eq!(
        json_body(&created[0]),
        json!({
            "type": "avatar",
            "avatar_id": "avatar_test_1",
            "voice_id": "voice_test_1",
            "script": "Hello from the mock",
            "title": "Created by the Rust client",
        })
    );
    // One check while processing, one that finds it completed.
    assert_eq!(
        received(&server, "GET", "/v3/videos/v_abc123def456")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn create_video_and_wait_reports_a_failed_render() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .respond_with(data(
            json!({"video_id": "v_abc123def456", "status": "waiting"}),
        ))
        .mount(&server)
        .await;
    let mut failed = video_detail("v_abc123def456", "failed");
    failed["failure_code"] = json!("rendering_failed");
    failed["failure_message"] = json!("Avatar rendering timed out");
    Mock::given(method("GET"))
        .and(path("/v3/videos/v_abc123def456"))
        .respond_with(data(failed))
        .mount(&server)
        .await;

    let output = Example::new("create_video_and_wait")
        .env("HEYGEN_POLL_INTERVAL_MS", "10")
        .run_to_end(&server)
        .await;

    assert!(
        !output.status.success(),
        "a failed render must fail the program"
    );
    assert!(
        output
            .stderr
            .contains("video v_abc123def456 failed (rendering_failed): Avatar rendering timed out"),
        "stderr: {}",
        output.stderr
    );
    // Without arguments it uses its default avatar and voice.
    let body = json_body(&received(&server, "POST", "/v3/videos").await[0]);
    assert_eq!(body["avatar_id"], "Angela-inTshirt-20220820");
    assert_eq!(body["voice_id"], "1bd001e7e50f421d891986aad5158bc8");
}

#[tokio::test]
async fn upload_asset() {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake image bytes";
    let dir = tempfile::tempdir().expect("tempdir");
    let image = dir.path().join("portrait.png");
    std::fs::write(&image, PNG).expect("write the image");
    let image = image.to_str().expect("a UTF-8 path");

    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v3/assets"))
        .respond_with(data(json!({
            "asset_id": "asset_abc123",
            "url": "https://files.heygen.ai/asset/abc123.png",
            "mime_type": "image/png",
            "size_bytes": PNG.len(),
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .respond_with(data(json!({"video_id": "v_img456", "status": "waiting"})))
        .mount(&server)
        .await;

    let output = Example::new("upload_asset")
        .arg(image)
        .arg("voice_test_1")
        .arg("Look, I can talk")
        .run(&server)
        .await;

    output.assert_line(&format!("uploading {image} as image/png"));
    output.assert_line(&format!(
        "uploaded asset asset_abc123 (image/png, {} bytes)",
        PNG.len()
    ));
    output.assert_line("asset url: https://files.heygen.ai/asset/abc123.png");
    output.assert_line("created video v_img456 from the asset (status: waiting)");

    assert_authenticated(&server).await;
    let all = server.received_requests().await.unwrap();
    let order: Vec<&str> = all.iter().map(|r| r.url.path()).collect();
    assert_eq!(order, ["/v3/assets", "/v3/videos"], "upload, then use");

    let upload = &all[0];
    assert_idempotency_key(upload);
    assert!(header_of(upload, "content-type")
        .is_some_and(|v| v.starts_with("multipart/form-data; boundary=")));
    let mut part = b"content-disposition: form-data; name=\"file\"; filename=\"portrait.png\"\r\ncontent-type: image/png\r\n\r\n".to_vec();
    part.extend_from_slice(PNG);
    part.extend_from_slice(b"\r\n--");
    assert!(
        contains(
            &upload.body.to_ascii_lowercase(),
            &part.to_ascii_lowercase()
        ) && contains(&upload.body, PNG),
        "the upload is not the file as part `file`:\n{}",
        String::from_utf8_lossy(&upload.body)
    );

    let create = &all[1];
    assert_idempotency_key(create);
    assert_eq!(
        json_body(create),
        json!({
            "type": "image",
            "image": {"type": "asset_id", "asset_id": "asset_abc123"},
            "voice_id": "voice_test_1",
            "script": "Look, I can talk",
            "title": "Talking portrait.png",
        })
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn list_videos() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v3/videos"))
        .and(query_param_is_missing("token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [video_detail("v_one", "completed"), video_detail("v_two", "processing")],
            "has_more": true,
            "next_token": "tok_page_2",
        })))
        .mount(&server)
        .await;
    let mut untitled = video_detail("v_three", "failed");
    untitled.as_object_mut().unwrap().remove("title");
    Mock::given(method("GET"))
        .and(path("/v3/videos"))
        .and(query_param("token", "tok_page_2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [untitled],
            "has_more": false,
            "next_token": null,
        })))
        .mount(&server)
        .await;

    let output = Example::new("list_videos").arg("2").run(&server).await;

    output.assert_line("v_one  completed   My Generated Video");
    output.assert_line("v_two  processing  My Generated Video");
    output.assert_line("v_three  failed      (untitled)");
    output.assert_line("3 videos in all");
    assert_eq!(output.stdout.lines().count(), 4, "{}", output.stdout);

    assert_authenticated(&server).await;
    let pages = received(&server, "GET", "/v3/videos").await;
    assert_eq!(pages.len(), 2, "two pages");
    for page in &pages {
        assert!(
            page.url
                .query_pairs()
                .any(|(k, v)| k == "limit" && v == "2"),
            "{} does not ask for pages of 2",
            page.url
        );
    }
}

#[tokio::test]
async fn translate_video() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v3/video-translations/languages"))
        .respond_with(data(json!({
            "languages": ["English", "French (France)", "German", "Spanish (Spain)"]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/video-translations"))
        .respond_with(data(json!({"video_translation_ids": ["vt_es", "vt_fr"]})))
        .mount(&server)
        .await;
    let translation = |id: &str, language: &str, status: &str| {
        let mut detail = json!({
            "id": id,
            "title": "Translated by the Rust client",
            "status": status,
            "output_language": language,
            "input_language": "English",
            "duration": 30.5,
            "translate_audio_only": false,
            "created_at": 1711929600,
        });
        match status {
            "completed" => {
                detail["video_url"] = json!(format!("https://files.heygen.ai/translate/{id}.mp4"));
                detail["audio_url"] = json!(format!("https://files.heygen.ai/translate/{id}.mp3"));
            }
            "failed" => detail["failure_message"] = json!("No speech detected in the video"),
            _ => {}
        }
        detail
    };
    in_turn(
        &server,
        "GET",
        "/v3/video-translations/vt_es",
        data(translation("vt_es", "Spanish (Spain)", "running")),
        1,
        data(translation("vt_es", "Spanish (Spain)", "completed")),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/v3/video-translations/vt_fr"))
        .respond_with(data(translation("vt_fr", "French (France)", "failed")))
        .mount(&server)
        .await;

    let output = Example::new("translate_video")
        .arg("https://example.com/talk.mp4")
        .arg("Spanish (Spain)")
        .arg("French (France)")
        .env("HEYGEN_POLL_INTERVAL_MS", "10")
        .run(&server)
        .await;

    output.assert_line("started 2 translation(s): vt_es, vt_fr");
    output.assert_line("translation vt_es (Spanish (Spain)) is completed");
    output.assert_line("  video: https://files.heygen.ai/translate/vt_es.mp4");
    output.assert_line("translation vt_fr failed: No speech detected in the video");

    assert_authenticated(&server).await;
    let created = received(&server, "POST", "/v3/video-translations").await;
    assert_eq!(created.len(), 1);
    assert_idempotency_key(&created[0]);
    assert_eq!(
        json_body(&created[0]),
        json!({
            "video": {"type": "url", "url": "https://example.com/talk.mp4"},
            "output_languages": ["Spanish (Spain)", "French (France)"],
            "title": "Translated by the Rust client",
        })
    );
    assert_eq!(
        received(&server, "GET", "/v3/video-translations/vt_es")
            .await
            .len(),
        2
    );
    assert_eq!(
        received(&server, "GET", "/v3/video-translations/vt_fr")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn translate_video_refuses_an_unsupported_language() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v3/video-translations/languages"))
        .respond_with(data(json!({"languages": ["English", "Spanish (Spain)"]})))
        .mount(&server)
        .await;

    let output = Example::new("translate_video")
        .arg("https://example.com/talk.mp4")
        .arg("Klingon")
        .run_to_end(&server)
        .await;

    assert!(!output.status.success());
    assert!(
        output.stderr.contains(
            "`Klingon` is not a supported language; 2 are, e.g. English, Spanish (Spain)"
        ),
        "stderr: {}",
        output.stderr
    );
    assert!(
        received(&server, "POST", "/v3/video-translations")
            .await
            .is_empty(),
        "nothing may be started"
    );
}

/// The errors example, with the validation error answered with `status`:
/// the spec documents 400 `invalid_parameter`; 422 is the other usual status.
async fn handle_errors(validation_status: u16) {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v3/videos/v_missing"))
        .respond_with(v3_error(404, "not_found", "Video not found.", None))
        .mount(&server)
        .await;
    // Limited twice: once for the client's own retry, once for the example's.
    in_turn(
        &server,
        "GET",
        "/v3/videos",
        v3_error(
            429,
            "rate_limit_exceeded",
            "Too many requests. Retry after the duration specified in the Retry-After header.",
            None,
        )
        .insert_header("Retry-After", "1"),
        2,
        ResponseTemplate::new(200).set_body_json(json!({
            "data": [video_detail("v_abc123def456", "completed")],
            "has_more": false,
            "next_token": null,
        })),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .and(header("content-type", "application/json"))
        .respond_with(v3_error(
            validation_status,
            "invalid_parameter",
            "'voice_id' is required when 'script' is provided.",
            Some("voice_id"),
        ))
        .mount(&server)
        .await;

    let start = Instant::now();
    let output = Example::new("handle_errors")
        .arg("v_missing")
        .arg("avatar_test_1")
        .run(&server)
        .await;
    let elapsed = start.elapsed();

    output.assert_line("not found: there is no video v_missing (Video not found.)");
    output.assert_line("rate limited (rate_limit_exceeded): retrying in 1 s");
    output.assert_line("listed 1 videos after the rate limit");
    output.assert_line(&format!(
        "invalid request (HTTP {validation_status}, invalid_parameter): \
         'voice_id' is required when 'script' is provided. [field: voice_id]"
    ));

    assert_authenticated(&server).await;
    // A 404 and a validation error are final: sent once each.
    assert_eq!(
        received(&server, "GET", "/v3/videos/v_missing").await.len(),
        1
    );
    let created = received(&server, "POST", "/v3/videos").await;
    assert_eq!(created.len(), 1);
    let body = json_body(&created[0]);
    assert_eq!(body["avatar_id"], "avatar_test_1");
    assert!(body.get("script").is_some() && body.get("voice_id").is_none());
    // The 429s: the client's retry after Retry-After, then the example's.
    let listed = received(&server, "GET", "/v3/videos").await;
    assert_eq!(
        listed.len(),
        3,
        "first try, the client's retry, the example's"
    );
    assert!(
        elapsed >= Duration::from_secs(2),
        "Retry-After: 1 was waited twice, yet the run took {elapsed:?}"
    );
}

#[tokio::test]
async fn handle_errors_with_a_400_validation_error() {
    handle_errors(400).await;
}

#[tokio::test]
async fn handle_errors_with_a_422_validation_error() {
    handle_errors(422).await;
}

// ------------------------------------------------------------ receive_webhook

/// The `receive_webhook` example, listening: killed when dropped (a failed test
/// leaves no server behind).
struct Receiver {
    child: std::process::Child,
    /// Where it receives deliveries, from its first line.
    url: String,
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl Receiver {
    /// Starts the example with `secret`, to stop after `deliveries` requests.
    async fn start(secret: &str, deliveries: usize) -> Receiver {
        let binary = binaries().join(format!("receive_webhook{}", std::env::consts::EXE_SUFFIX));
        let mut command = Command::new(&binary);
        command
            .args(["--listen", "127.0.0.1:0", "--deliveries"])
            .arg(deliveries.to_string())
            .env_clear()
            .env("HEYGEN_WEBHOOK_SECRET", secret)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        tokio::task::spawn_blocking(move || {
            use std::io::BufRead;
            let mut child = command
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
            let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
            let mut line = String::new();
            stdout.read_line(&mut line).expect("read the first line");
            let Some(url) = line.trim_end().strip_prefix("listening on ") else {
                let _ = child.kill();
                let output = child.wait_with_output().expect("output");
                panic!(
                    "receive_webhook did not listen: {line:?}\n--- stderr\n{}",
                    String::from_utf8_lossy(&output.stderr)
                );
            };
            Receiver {
                url: url.to_owned(),
                child,
                stdout,
            }
        })
        .await
        .expect("the example's runner thread")
    }

    /// Waits for it to exit by itself and returns the rest of what it printed.
    async fn finish(mut self) -> String {
        tokio::task::spawn_blocking(move || {
            use std::io::Read;
            let start = Instant::now();
            let status = loop {
                if let Some(status) = self.child.try_wait().expect("wait") {
                    break status;
                }
                assert!(
                    start.elapsed() < DEADLINE,
                    "receive_webhook still ran after {DEADLINE:?}"
                );
                std::thread::sleep(Duration::from_millis(20));
            };
            let mut rest = String::new();
            self.stdout.read_to_string(&mut rest).expect("stdout");
            assert!(
                status.success(),
                "receive_webhook exited with {status}\n{rest}"
            );
            rest
        })
        .await
        .expect("the example's runner thread")
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[tokio::test]
async fn receive_webhook() {
    let secret = "whsec_example_secret";
    let receiver = Receiver::start(secret, 4).await;
    let url = receiver.url.clone();
    assert!(url.ends_with("/webhooks/heygen"), "{url}");

    let delivery = serde_json::to_vec(&json!({
        "event_id": "evt_42",
        "event_type": "avatar_video.success",
        "event_data": {
            "video_id": "v_42",
            "url": "https://files.example/v_42.mp4",
            "gif_download_url": null,
            "callback_id": "order-7"
        },
        "created_at": "2024-04-01T12:00:00Z"
    }))
    .unwrap();
    let http = reqwest::Client::new();
    let post = |body: Vec<u8>, signature: Option<String>| {
        let mut request = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(signature) = signature {
            request = request.header("X-HeyGen-Signature", signature);
        }
        async move {
            request
                .send()
                .await
                .expect("the example answers")
                .status()
                .as_u16()
        }
    };

    // Signed with the endpoint's secret: accepted.
    let signature = heygen::webhooks::sign(&delivery, secret);
    assert_eq!(post(delivery.clone(), Some(signature)).await, 200);
    // Signed with another secret, or not at all: refused.
    let forged = heygen::webhooks::sign(&delivery, "whsec_someone_else");
    assert_eq!(post(delivery.clone(), Some(forged)).await, 401);
    assert_eq!(post(delivery.clone(), None).await, 401);
    // Signed, but not a delivery.
    let junk = b"{\"hello\": 1}".to_vec();
    let signature = heygen::webhooks::sign(&junk, secret);
    assert_eq!(post(junk, Some(signature)).await, 400);

    let printed = receiver.finish().await;
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 5, "{printed}");
    assert_eq!(
        lines[0],
        "avatar_video.success evt_42: video v_42 is ready at https://files.example/v_42.mp4"
    );
    assert_eq!(lines[1], "  callback_id: order-7");
    assert!(
        lines[2].starts_with("rejected (401): the webhook signature does not match the body"),
        "{printed}"
    );
    assert!(
        lines[3].starts_with("rejected (401): the webhook delivery has no signature header"),
        "{printed}"
    );
    assert!(
        lines[4].starts_with("rejected (400): the webhook body is not a valid delivery"),
        "{printed}"
    );
}
