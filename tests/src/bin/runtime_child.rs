//! The child process of two runtime tests (`tests/tests/runtime.rs`), for
//! what must run alone in a process:
//!
//! - `from-env-ok`, `from-env-missing`: `Client::from_env` (the environment is
//!   process-wide, so changing it under other tests' feet is not an option);
//! - `secrets`: log capture (tracing decides once per call site, process-wide,
//!   whether anyone listens, and other tests' threads racing through the same
//!   call sites can settle that before a test's subscriber is in place).
//!
//! Not a test of its own: run with a mode as its only argument, it prints
//! `ok: <mode>` when every check passed and panics otherwise; without one it
//! fails.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use heygen::{Client, Error, Method, Request};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The key the `secrets` mode must never find in logs or debug output.
const KEY: &str = "sk-test-secret-key-0123456789";

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        // Backoffs cost no time, as in the parent's paused tests.
        .start_paused(mode == "secrets")
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        match mode.as_str() {
            "from-env-ok" => from_env_ok().await,
            "from-env-missing" => from_env_missing(),
            "secrets" => secrets().await,
            other => panic!(
                "runtime_child: unknown mode `{other}`; this helper is run by tests/tests/runtime.rs \
                 with one of from-env-ok, from-env-missing, secrets"
            ),
        }
    });
    println!("ok: {mode}");
}

/// `HEYGEN_API_KEY` and `HEYGEN_BASE_URL` (the parent's mock server) are set.
async fn from_env_ok() {
    let client = Client::from_env().expect("configured from the environment");
    let body: Value = client
        .get_json("/v3/user/me")
        .await
        .expect("reaches the mock");
    assert_eq!(body["data"]["ok"], true);
}

/// `HEYGEN_API_KEY` is unset or blank.
fn from_env_missing() {
    let error = Client::from_env().expect_err("no key");
    assert!(
        matches!(&error, Error::Config(m) if m.contains("HEYGEN_API_KEY")),
        "{error:?}"
    );
}

#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A retried call and a failed one are logged, the key never is, and no
/// `Debug` output shows it.
async fn secrets() {
    let logs = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"ok": true}})))
        .mount(&server)
        .await;
    // No timer of its own while it waits for the server (the clock is paused).
    let builder = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .disable_timeouts()
        .http_client(
            reqwest::Client::builder()
                .pool_idle_timeout(None)
                .build()
                .expect("reqwest client"),
        );
    let client = builder.clone().build().expect("client");

    let request = Request::new(Method::POST, "/v3/videos")
        .json(&json!({"title": "x"}))
        .idempotent();
    let _: Value = client.send_json(request).await.expect("retried");
    let _ = client.get_json::<Value>("/nowhere").await.expect_err("404");

    let logs = String::from_utf8(logs.0.lock().expect("lock").clone()).expect("UTF-8 logs");
    assert!(
        logs.contains("retrying") && logs.contains("/v3/videos"),
        "{logs}"
    );
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(!logs.contains(KEY), "the key leaked into the logs:\n{logs}");
    for shown in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{:?}", client.with_timeout(Duration::from_secs(1))),
    ] {
        assert!(!shown.contains(KEY), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
    let bearer = Client::builder().bearer_token(KEY).build().expect("client");
    assert!(!format!("{bearer:?}").contains(KEY));
}
