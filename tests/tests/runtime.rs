//! Tests of the hand-written runtime (templates/src/runtime, copied into the
//! generated `heygen` crate), over real HTTP against wiremock servers.
//!
//! Most tests pause tokio's clock, so backoffs and polling intervals cost no
//! wall time and can be measured exactly. A paused clock jumps to the next
//! pending timer whenever the runtime waits for the network, so those tests
//! use [`paused_client`]: no request or connect timeouts and no idle-pool
//! reaper, leaving the runtime's own sleeps as the only timers. The timeout
//! tests rely on that same jump: the server delays in real time (on
//! wiremock's own thread), and the client's timeout fires at once in virtual
//! time.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use heygen::{
    encode_path_segment, paginate, paginate_with, wait_until_done, Client, DataEnvelope, Error,
    ErrorShape, FileUpload, Method, Multipart, Page, PollState, Pollable, Request, RetryPolicy,
    WaitOptions,
};
use heygen_codegen_tests::raw_http::{Cut, RawServer, Reply};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::time::Instant;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-test-secret-key-0123456789";

async fn server() -> MockServer {
    // Not `MockServer::start()`, whose servers are pooled across tests: a
    // delayed response from one test must not reach another.
    MockServer::builder().start().await
}

/// A reqwest client without the idle-pool reaper, whose periodic timer
/// would make a paused clock jump while a request waits on the network.
fn http_without_timers() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .expect("reqwest client")
}

/// A client fit for a paused clock: no timer of its own runs while it waits
/// for the server, so virtual time only moves when the runtime sleeps.
fn paused_client(server: &MockServer) -> Client {
    paused_builder(server).build().expect("client")
}

fn paused_builder(server: &MockServer) -> heygen::ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .disable_timeouts()
        .http_client(http_without_timers())
}

fn ok_body() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"ok": true}}))
}

/// Mounts `first` for the first `times` matching requests, then `then`.
async fn respond_in_turn(
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
        .expect(times)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(then)
        .mount(server)
        .await;
}

async fn requests_to(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}

fn assert_elapsed(elapsed: Duration, expected: Duration) {
    let margin = Duration::from_millis(5);
    assert!(
        elapsed >= expected && elapsed <= expected + margin,
        "elapsed {elapsed:?}, expected {expected:?}"
    );
}

fn v3_error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": {"code": code, "message": message, "param": null, "doc_url": null}
    }))
}

async fn get_ok(client: &Client, route: &str) -> heygen::Result<Value> {
    client.get_json(route).await
}

// ---------------------------------------------------------------- retries

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_waited_exactly() {
    let server = server().await;
    let limited =
        v3_error(429, "rate_limit_exceeded", "slow down").insert_header("Retry-After", "3");
    respond_in_turn(&server, "GET", "/v3/videos", limited, 1, ok_body()).await;
    let client = paused_client(&server);

    let start = Instant::now();
    let body = get_ok(&client, "/v3/videos")
        .await
        .expect("second attempt succeeds");

    assert_eq!(body["data"]["ok"], true);
    assert_elapsed(start.elapsed(), Duration::from_secs(3));
    assert_eq!(requests_to(&server).await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn service_unavailable_twice_then_success() {
    let server = server().await;
    respond_in_turn(
        &server,
        "GET",
        "/v3/videos",
        ResponseTemplate::new(503),
        2,
        ok_body(),
    )
    .await;
    let client = paused_client(&server);

    let start = Instant::now();
    get_ok(&client, "/v3/videos")
        .await
        .expect("third attempt succeeds");

    // Backoffs of 0.5 s then 1 s, each with up to half taken off as jitter.
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(750) && elapsed <= Duration::from_millis(1500),
        "{elapsed:?}"
    );
    assert_eq!(requests_to(&server).await.len(), 3);
}

#[tokio::test(start_paused = true)]
async fn retries_stop_after_max_retries() {
    let server = server().await;
    Mock::given(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let error = get_ok(&client, "/v3/videos").await.expect_err("always 503");

    assert_eq!(error.status(), Some(503));
    assert!(error.is_retryable());
}

#[tokio::test(start_paused = true)]
async fn bad_request_is_not_retried() {
    let server = server().await;
    Mock::given(path("/v3/videos"))
        .respond_with(v3_error(400, "invalid_parameter", "title is too long"))
        .expect(1)
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let error = get_ok(&client, "/v3/videos").await.expect_err("400");

    assert_eq!(error.status(), Some(400));
    assert_eq!(error.code(), Some("invalid_parameter"));
    assert!(!error.is_retryable());
}

#[tokio::test(start_paused = true)]
async fn max_retries_zero_disables_retries() {
    let server = server().await;
    Mock::given(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = paused_builder(&server)
        .max_retries(0)
        .build()
        .expect("client");

    let error = get_ok(&client, "/v3/videos").await.expect_err("503");

    assert_eq!(error.status(), Some(503));
}

/// `with_retry_policy` governs the requests of the clone, both ways: it can
/// switch retries off on a client that retries, and on for one that does not.
#[tokio::test(start_paused = true)]
async fn a_per_call_retry_policy_governs_the_request_loop() {
    let server = server().await;
    Mock::given(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let retrying = paused_client(&server);
    assert_eq!(retrying.retry_policy().max_retries, 2);

    let none = retrying.with_retry_policy(RetryPolicy::none());
    let error = get_ok(&none, "/v3/videos").await.expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(requests_to(&server).await.len(), 1, "no retry");

    // The clone did not change the client it came from.
    get_ok(&retrying, "/v3/videos").await.expect_err("503");
    assert_eq!(requests_to(&server).await.len(), 1 + 3);

    let never = paused_builder(&server)
        .max_retries(0)
        .build()
        .expect("client");
    let policy = RetryPolicy::default()
        .max_retries(4)
        .initial_backoff(Duration::from_secs(1))
        .max_backoff(Duration::from_secs(1));
    let start = Instant::now();
    get_ok(&never.with_retry_policy(policy), "/v3/videos")
        .await
        .expect_err("503");
    assert_eq!(requests_to(&server).await.len(), 4 + 5, "four retries");
    // Four backoffs of 1 s, each with up to half taken off as jitter: the
    // policy's backoffs, not the client's.
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed <= Duration::from_secs(4),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_the_cap_is_capped() {
    let server = server().await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "120");
    respond_in_turn(&server, "GET", "/v3/videos", limited, 1, ok_body()).await;
    let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
    let client = paused_builder(&server)
        .retry_policy(policy)
        .build()
        .expect("client");

    let start = Instant::now();
    get_ok(&client, "/v3/videos")
        .await
        .expect("retried after the cap");

    assert_elapsed(start.elapsed(), Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn retry_after_http_date_is_honoured() {
    let server = server().await;
    // The client reads the date against the real clock (`SystemTime`), which
    // the paused tokio clock does not stop: the date lies five minutes ahead,
    // so that however long this machine takes to answer, the wait stays far
    // from both the default backoff (under 1 s) and the default cap (60 s).
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(300));
    let limited = ResponseTemplate::new(503).insert_header("Retry-After", date.as_str());
    respond_in_turn(&server, "GET", "/v3/videos", limited, 1, ok_body()).await;
    let client = paused_builder(&server)
        .retry_policy(RetryPolicy::default().max_retry_after(Duration::from_secs(600)))
        .build()
        .expect("client");

    let start = Instant::now();
    get_ok(&client, "/v3/videos")
        .await
        .expect("retried at the date");

    // HTTP dates have whole seconds, and the real clock moved on meanwhile
    // (up to a minute is allowed).
    let elapsed = start.elapsed();
    assert!(
        elapsed > Duration::from_secs(240) && elapsed <= Duration::from_secs(300),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn idempotent_post_is_retried_with_the_same_key() {
    let server = server().await;
    respond_in_turn(
        &server,
        "POST",
        "/v3/videos",
        ResponseTemplate::new(500),
        1,
        ok_body(),
    )
    .await;
    let client = paused_client(&server);

    let request = Request::new(Method::POST, "/v3/videos")
        .json(&json!({"title": "Intro"}))
        .idempotent();
    let _: Value = client.send_json(request).await.expect("retried");

    let keys = idempotency_keys(&requests_to(&server).await);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1], "every attempt repeats the key");
    assert_is_uuid_v4(&keys[0]);
}

/// The one `Idempotency-Key` of each request, in order; fails if a request
/// carries none or several (`HeaderMap::get` would show only the first).
fn idempotency_keys(requests: &[wiremock::Request]) -> Vec<String> {
    requests
        .iter()
        .enumerate()
        .map(|(attempt, request)| {
            let values: Vec<String> = request
                .headers
                .get_all("idempotency-key")
                .iter()
                .map(|v| v.to_str().expect("ASCII header").to_owned())
                .collect();
            assert_eq!(
                values.len(),
                1,
                "attempt {} must carry exactly one Idempotency-Key: {values:?}",
                attempt + 1
            );
            values.into_iter().next().expect("one key")
        })
        .collect()
}

/// Over several retries (three attempts), every attempt still carries one key, the same.
#[tokio::test(start_paused = true)]
async fn every_retry_carries_exactly_one_key_the_same() {
    let server = server().await;
    respond_in_turn(
        &server,
        "POST",
        "/v3/videos",
        ResponseTemplate::new(503),
        2,
        ok_body(),
    )
    .await;
    let client = paused_client(&server);

    let request = Request::new(Method::POST, "/v3/videos")
        .json(&json!({"title": "Intro"}))
        .idempotent();
    client
        .send_empty(request)
        .await
        .expect("third attempt succeeds");

    let keys = idempotency_keys(&requests_to(&server).await);
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(|key| *key == keys[0]), "{keys:?}");
}

#[tokio::test(start_paused = true)]
async fn a_key_set_by_the_caller_is_kept_and_allows_retries() {
    let server = server().await;
    respond_in_turn(
        &server,
        "POST",
        "/v3/videos",
        ResponseTemplate::new(502),
        1,
        ok_body(),
    )
    .await;
    let client = paused_client(&server);

    let request = Request::new(Method::POST, "/v3/videos")
        .header("Idempotency-Key", "my-key-1")
        .idempotent();
    client.send_empty(request).await.expect("retried");

    let keys = idempotency_keys(&requests_to(&server).await);
    assert_eq!(keys, ["my-key-1", "my-key-1"]);
}

#[tokio::test(start_paused = true)]
async fn post_without_idempotency_key_is_not_retried_after_500() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let error = client
        .request_json::<Value, _>(Method::POST, "/v3/videos", Some(&json!({"title": "x"})))
        .await
        .expect_err("500");

    assert_eq!(error.status(), Some(500));
    assert!(header_value(&requests_to(&server).await[0], "idempotency-key").is_none());
}

#[tokio::test(start_paused = true)]
async fn post_without_idempotency_key_is_retried_on_429() {
    let server = server().await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "1");
    respond_in_turn(&server, "POST", "/v3/videos", limited, 1, ok_body()).await;
    let client = paused_client(&server);

    let start = Instant::now();
    let _: Value = client
        .request_json(Method::POST, "/v3/videos", Some(&json!({})))
        .await
        .expect("429 means nothing was done");

    assert_elapsed(start.elapsed(), Duration::from_secs(1));
}

/// A redirect loop fails the same way on every attempt: reported, not retried.
#[tokio::test(start_paused = true)]
async fn a_redirect_loop_is_not_retried() {
    let server = server().await;
    Mock::given(path("/v3/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/v3/loop"))
        .mount(&server)
        .await;
    // The client's own redirect policy, not reqwest's.
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .disable_timeouts()
        .build()
        .expect("client");

    let error = get_ok(&client, "/v3/loop").await.expect_err("a loop");

    assert!(
        matches!(&error, Error::Transport(e) if e.is_redirect()),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    // The first request and the ten redirects followed, once.
    assert_eq!(requests_to(&server).await.len(), 11);
}

#[tokio::test(start_paused = true)]
async fn request_in_progress_conflict_is_retried() {
    let server = server().await;
    let busy = v3_error(
        409,
        "request_in_progress",
        "A request with this key is running",
    );
    respond_in_turn(&server, "POST", "/v3/videos", busy, 1, ok_body()).await;
    let client = paused_client(&server);

    let request = Request::new(Method::POST, "/v3/videos").idempotent();
    let _: Value = client.send_json(request).await.expect("retried after 409");

    assert_eq!(requests_to(&server).await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn other_conflicts_are_not_retried() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(v3_error(409, "idempotency_key_reused", "different body"))
        .expect(1)
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let request = Request::new(Method::POST, "/v3/videos").idempotent();
    let error = client.send_empty(request).await.expect_err("409");

    assert_eq!(error.code(), Some("idempotency_key_reused"));
}

/// The 409 carries `Retry-After`: the retry waits exactly that long.
#[tokio::test(start_paused = true)]
async fn request_in_progress_honours_retry_after() {
    let server = server().await;
    let busy =
        v3_error(409, "request_in_progress", "still running").insert_header("Retry-After", "2");
    respond_in_turn(&server, "POST", "/v3/videos", busy, 1, ok_body()).await;
    let client = paused_client(&server);

    let start = Instant::now();
    let request = Request::new(Method::POST, "/v3/videos").idempotent();
    let _: Value = client.send_json(request).await.expect("retried after 409");

    assert_elapsed(start.elapsed(), Duration::from_secs(2));
    let keys = idempotency_keys(&requests_to(&server).await);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1], "the retry asks about the same key");
}

/// Without `Retry-After` the retry waits the policy's backoff, and a request
/// that stays in progress fails after `max_retries` retries with the 409.
#[tokio::test(start_paused = true)]
async fn request_in_progress_backs_off_and_gives_up_by_the_policy() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(v3_error(409, "request_in_progress", "still running"))
        .expect(4)
        .mount(&server)
        .await;
    let client = paused_builder(&server)
        .retry_policy(
            RetryPolicy::default()
                .max_retries(3)
                .initial_backoff(Duration::from_secs(1)),
        )
        .build()
        .expect("client");

    let start = Instant::now();
    let request = Request::new(Method::POST, "/v3/videos").idempotent();
    let error = client.send_empty(request).await.expect_err("never done");

    assert_eq!(error.status(), Some(409));
    assert_eq!(error.code(), Some("request_in_progress"));
    // Backoffs of 1, 2 and 4 s, each less up to half of jitter.
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(3500) && elapsed <= Duration::from_secs(7),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn refused_connections_are_retried_even_for_post() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .disable_timeouts()
        .http_client(http_without_timers())
        .build()
        .expect("client");

    let start = Instant::now();
    let error = client
        .request_json::<Value, _>(Method::POST, "/v3/videos", Some(&json!({})))
        .await
        .expect_err("nothing listens");

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
    // Two backoffs were slept (0.5 s and 1 s, less jitter): it was retried.
    assert!(
        start.elapsed() >= Duration::from_millis(750),
        "{:?}",
        start.elapsed()
    );
}

fn header_value(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header").to_owned())
}

fn assert_is_uuid_v4(key: &str) {
    let groups: Vec<&str> = key.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    assert_eq!(lengths, [8, 4, 4, 4, 12], "{key}");
    assert!(
        key.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
        "{key}"
    );
    assert!(groups[2].starts_with('4'), "version 4: {key}");
    assert!(
        groups[3].starts_with(['8', '9', 'a', 'b']),
        "variant: {key}"
    );
}

// ----------------------------------------------------------------- faults

/// A 200 that announces `body.len()` bytes, sends `sent` of them and resets
/// the connection.
fn reset_reply(body: &str, sent: usize) -> Reply {
    Reply::new(200)
        .header("content-type", "application/json")
        .body(Arc::from(body.as_bytes()))
        .cut_after(sent, Cut::Reset)
}

fn full_reply(body: &str) -> Reply {
    Reply::new(200)
        .header("content-type", "application/json")
        .body(Arc::from(body.as_bytes()))
}

fn raw_client(server: &RawServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .disable_timeouts()
        .http_client(http_without_timers())
        .build()
        .expect("client")
}

const PAGE: &str =
    r#"{"data": {"ok": true, "padding": "0123456789012345678901234567890123456789"}}"#;

#[tokio::test(start_paused = true)]
async fn a_body_cut_by_a_reset_is_retried_for_get() {
    let server = RawServer::start(|n, _| {
        if n == 0 {
            reset_reply(PAGE, 20)
        } else {
            full_reply(PAGE)
        }
    })
    .await;
    let client = raw_client(&server);

    let body = get_ok(&client, "/v3/videos").await.expect("retried");

    assert_eq!(body["data"]["ok"], true);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_body_cut_by_a_reset_is_retried_for_a_post_with_a_key_only() {
    let server = RawServer::start(|n, _| {
        if n == 0 {
            reset_reply(PAGE, 20)
        } else {
            full_reply(PAGE)
        }
    })
    .await;
    let client = raw_client(&server);

    let keyed = Request::new(Method::POST, "/v3/videos")
        .json(&json!({}))
        .idempotent();
    let _: Value = client.send_json(keyed).await.expect("retried with its key");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let keys: Vec<_> = requests
        .iter()
        .map(|r| r.header("idempotency-key"))
        .collect();
    assert!(keys[0].is_some() && keys[0] == keys[1], "{keys:?}");

    // Without a key the server may have done the work: no retry.
    let server = RawServer::start(|n, _| {
        if n == 0 {
            reset_reply(PAGE, 20)
        } else {
            full_reply(PAGE)
        }
    })
    .await;
    let client = raw_client(&server);
    let error = client
        .send_empty(Request::new(Method::POST, "/v3/videos").json(&json!({})))
        .await
        .expect_err("not retried");
    assert!(matches!(error, Error::BodyInterrupted { .. }), "{error:?}");
    assert_eq!(error.status(), Some(200), "the status came before the cut");
    assert!(!error.is_timeout() && !error.is_not_found());
    assert_eq!(server.requests().len(), 1);
}

/// A clean close before the announced length is no reset: the error says
/// the connection closed early.
#[tokio::test(start_paused = true)]
async fn a_body_closed_early_every_time_says_so() {
    let server = RawServer::start(|_, _| full_reply(PAGE).cut_after(20, Cut::Close)).await;
    let client = raw_client(&server);

    let error = get_ok(&client, "/v3/videos").await.expect_err("always cut");

    assert_eq!(server.requests().len(), 3, "retried like a reset");
    let message = error.to_string();
    assert!(message.contains("the connection closed early"), "{message}");
    assert!(
        matches!(error, Error::BodyInterrupted { received: 20, expected: Some(n), .. } if n == PAGE.len() as u64),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_body_reset_every_time_fails_saying_the_connection_was_reset() {
    let server = RawServer::start(|_, _| reset_reply(PAGE, 20)).await;
    let client = raw_client(&server);

    let error = get_ok(&client, "/v3/videos").await.expect_err("always cut");

    assert_eq!(
        server.requests().len(),
        3,
        "two retries, by the default policy"
    );
    let message = error.to_string();
    assert!(message.contains("connection was reset"), "{message}");
    assert!(!message.contains("decoding"), "{message}");
    match error {
        Error::BodyInterrupted {
            status,
            received,
            expected,
            ..
        } => {
            assert_eq!(status, 200);
            assert_eq!(expected, Some(PAGE.len() as u64));
            assert!(received <= 20, "{received}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn error_debug_output_shows_a_bounded_prefix_of_a_huge_body() {
    let server = server().await;
    let page = format!("<html>{}</html>", "x".repeat(20 << 20));
    Mock::given(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(502).set_body_string(page.clone()))
        .mount(&server)
        .await;
    let legacy =
        json!({"code": 400123, "message": "bad", "trace": "y".repeat(1 << 20)}).to_string();
    Mock::given(path("/v1/old"))
        .respond_with(ResponseTemplate::new(400).set_body_string(legacy.clone()))
        .mount(&server)
        .await;
    let client = paused_builder(&server)
        .max_retries(0)
        .build()
        .expect("client");

    let error = get_ok(&client, "/v3/videos").await.expect_err("502");
    let Error::Api(api) = &error else {
        panic!("unexpected {error:?}")
    };
    assert_eq!(api.body.len(), page.len(), "the field keeps the whole body");
    let debug = format!("{error:?}");
    assert!(
        debug.len() < 2 * heygen::DEBUG_BODY_LEN,
        "{} bytes",
        debug.len()
    );
    assert!(debug.contains("<html>xxx"), "{debug}");
    assert!(debug.contains(&format!("{} bytes", page.len())), "{debug}");

    let error = get_ok(&client, "/v1/old").await.expect_err("400");
    assert!(matches!(error, Error::LegacyApi(_)), "{error:?}");
    let debug = format!("{error:?}");
    assert!(
        debug.len() < 2 * heygen::DEBUG_BODY_LEN,
        "{} bytes",
        debug.len()
    );
    assert!(
        debug.contains(&format!("{} bytes", legacy.len())),
        "{debug}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_response_over_the_size_limit_fails_clearly() {
    let server = server().await;
    Mock::given(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(200).set_body_string("z".repeat(2 << 20)))
        .mount(&server)
        .await;
    Mock::given(path("/v3/small"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"n": 1})))
        .mount(&server)
        .await;
    let client = paused_builder(&server)
        .max_response_size(1 << 20)
        .build()
        .expect("client");

    let error = get_ok(&client, "/v3/videos").await.expect_err("too large");
    match &error {
        Error::ResponseTooLarge {
            status,
            limit,
            content_length,
        } => {
            assert_eq!((*status, *limit), (200, 1 << 20));
            assert_eq!(*content_length, Some(2 << 20));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(error.to_string().contains("max_response_size"), "{error}");
    assert_eq!(error.status(), Some(200));
    assert!(!error.is_retryable());
    assert_eq!(requests_to(&server).await.len(), 1, "not retried");
    // A body within the limit is read as before.
    assert_eq!(get_ok(&client, "/v3/small").await.expect("small")["n"], 1);
}

/// A body larger than hyper's read buffer arrives in many chunks, which are
/// joined in order, none lost (the first is kept apart until a second comes).
#[tokio::test(start_paused = true)]
async fn a_body_of_many_chunks_is_read_whole_and_in_order() {
    let server = server().await;
    let body: Vec<u8> = (0..3u32 << 20).map(|i| (i % 251) as u8).collect();
    Mock::given(path("/v3/file"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let received = client
        .send_bytes(Request::new(Method::GET, "/v3/file"))
        .await
        .expect("read");

    assert_eq!(received.len(), body.len());
    assert!(received[..] == body[..], "the bytes differ");
}

/// However many chunks a body comes in, odd or even, all of them are kept
/// (the first is held apart until a second comes: a slip there would keep
/// only the last of an odd number).
#[tokio::test(start_paused = true)]
async fn a_body_of_any_number_of_chunks_is_read_whole() {
    let server = RawServer::start(|_, request| {
        let count: usize = request
            .target
            .trim_start_matches("/chunks/")
            .parse()
            .unwrap_or(1);
        full_reply(PAGE).in_chunks(count)
    })
    .await;
    let client = raw_client(&server);
    for count in 1..=6 {
        let path = format!("/chunks/{count}");
        let received = client
            .send_bytes(Request::new(Method::GET, path))
            .await
            .unwrap_or_else(|e| panic!("{count} chunks: {e}"));
        assert_eq!(&received[..], PAGE.as_bytes(), "{count} chunks");
    }
}

/// The limit is inclusive, whether the length is announced or found by
/// reading; a body announced as too large is refused before any of it is
/// read, so a connection that would fail later makes no difference.
#[tokio::test(start_paused = true)]
async fn the_size_limit_admits_a_body_of_exactly_the_limit() {
    let limit = PAGE.len();
    let server = RawServer::start(move |_, request| match request.target.as_str() {
        "/announced" => full_reply(PAGE),
        "/unannounced" => full_reply(PAGE).content_length(None),
        "/one-more" => full_reply(&format!("{PAGE} ")).content_length(None),
        _ => full_reply(PAGE)
            .content_length(Some(10 * limit as u64))
            .cut_after(limit / 2, Cut::Reset),
    })
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .disable_timeouts()
        .http_client(http_without_timers())
        .max_response_size(limit as u64)
        .build()
        .expect("client");

    for route in ["/announced", "/unannounced"] {
        let body = get_ok(&client, route)
            .await
            .unwrap_or_else(|e| panic!("{route}: {e:?}"));
        assert_eq!(body["data"]["ok"], true);
    }
    let error = get_ok(&client, "/one-more")
        .await
        .expect_err("one byte over");
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                content_length: None,
                ..
            }
        ),
        "{error:?}"
    );
    let error = get_ok(&client, "/announced-huge")
        .await
        .expect_err("announced too large");
    assert!(
        matches!(error, Error::ResponseTooLarge { content_length: Some(n), .. } if n == 10 * limit as u64),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 4, "nothing retried");
}

/// Without a `Content-Length` the body is read as it arrives and reading
/// stops past the limit: the server, which would send 256 MiB, gets to send
/// only what the socket buffers hold beyond the limit.
#[tokio::test(start_paused = true)]
async fn an_endless_body_is_not_read_past_the_limit() {
    let chunk: Arc<[u8]> = Arc::from(vec![b'a'; 64 * 1024]);
    let server =
        RawServer::start(move |_, _| Reply::new(200).body(chunk.clone()).endless_chunked()).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .disable_timeouts()
        .http_client(http_without_timers())
        .max_response_size(1 << 20)
        .build()
        .expect("client");

    let error = get_ok(&client, "/v3/videos").await.expect_err("too large");

    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                content_length: None,
                limit: 0x10_0000,
                ..
            }
        ),
        "{error:?}"
    );
    // An upper bound whenever it is read: the server stops at the first
    // write after the client dropped the connection.
    let sent = server.body_bytes_sent();
    assert!(sent < 64 << 20, "the server sent {sent} bytes");
}

// --------------------------------------------------------------- timeouts

/// A response the client will have given up on long before it comes.
fn too_slow() -> ResponseTemplate {
    ok_body().set_delay(Duration::from_secs(30))
}

#[tokio::test(start_paused = true)]
async fn a_slow_response_is_a_timeout() {
    let server = server().await;
    Mock::given(path("/v3/videos"))
        .respond_with(too_slow())
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_secs(2))
        .max_retries(0)
        .http_client(http_without_timers())
        .build()
        .expect("client");

    let start = Instant::now();
    let error = get_ok(&client, "/v3/videos").await.expect_err("too slow");

    assert!(matches!(error, Error::Timeout), "{error:?}");
    assert!(error.is_timeout() && error.is_retryable());
    assert_elapsed(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn with_timeout_overrides_the_client_timeout() {
    let server = server().await;
    Mock::given(path("/v3/videos"))
        .respond_with(too_slow())
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_secs(3600))
        .max_retries(0)
        .http_client(http_without_timers())
        .build()
        .expect("client");

    let start = Instant::now();
    let error = get_ok(&client.with_timeout(Duration::from_secs(2)), "/v3/videos")
        .await
        .expect_err("too slow");

    assert!(error.is_timeout());
    assert_elapsed(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn uploads_get_the_upload_timeout() {
    let server = server().await;
    Mock::given(path("/v3/assets"))
        .respond_with(too_slow())
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_secs(1))
        .upload_timeout(Duration::from_secs(5))
        .max_retries(0)
        .http_client(http_without_timers())
        .build()
        .expect("client");

    let start = Instant::now();
    let request = Request::new(Method::POST, "/v3/assets")
        .file_body(FileUpload::from_bytes(vec![1u8; 64], "a.png"))
        .upload();
    let error = client.send_empty(request).await.expect_err("too slow");

    assert!(error.is_timeout());
    assert_elapsed(start.elapsed(), Duration::from_secs(5));
}

/// The first attempt times out, the retry succeeds, on a paused clock that
/// does not jump by itself: while the call runs, the test keeps the runtime
/// busy (see [`spin_until`]), so tokio never auto-advances, and moves the
/// clock past the timeout itself once the server holds the first attempt.
/// The second attempt then has all the time it needs, however loaded the
/// machine is.
#[tokio::test(start_paused = true)]
async fn a_timed_out_request_is_retried() {
    let server = server().await;
    // Counted by the server's thread: the test must not wait on anything
    // that could leave the runtime idle (as `received_requests` may).
    let attempts = Arc::new(AtomicUsize::new(0));
    let seen = attempts.clone();
    Mock::given(path("/v3/videos"))
        .respond_with(
            move |_: &wiremock::Request| match seen.fetch_add(1, SeqCst) {
                0 => too_slow(),
                _ => ok_body(),
            },
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::ZERO))
        .http_client(http_without_timers())
        .build()
        .expect("client");

    let start = Instant::now();
    let call = tokio::spawn(async move { get_ok(&client, "/v3/videos").await });
    spin_until(|| attempts.load(SeqCst) == 1).await;
    tokio::task::yield_now().await;
    assert!(
        !call.is_finished(),
        "the first attempt waits for its answer"
    );
    tokio::time::advance(Duration::from_secs(2)).await;
    spin_until(|| call.is_finished()).await;

    let body = call.await.expect("joined").expect("the retry succeeds");
    assert_eq!(body["data"]["ok"], true);
    assert_eq!(attempts.load(SeqCst), 2);
    // The only time that passed is the first attempt's timeout.
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

/// Yields until `done` holds. A runtime with a task always ready never
/// auto-advances a paused clock, so meanwhile time moves only by
/// `tokio::time::advance`. Gives up after a minute of real time.
/// `done` is synchronous on purpose: awaiting anything that can be pending
/// would leave the runtime idle, and the paused clock would jump.
async fn spin_until(mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "still waiting after a minute"
        );
        tokio::task::yield_now().await;
    }
}

// ----------------------------------------------------------------- errors

#[tokio::test(start_paused = true)]
async fn v3_errors_decode_to_api_errors() {
    let server = server().await;
    Mock::given(path("/v3/videos/nope"))
        .respond_with(
            v3_error(404, "not_found", "Video not found.").insert_header("X-Request-Id", "req-123"),
        )
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let error = get_ok(&client, "/v3/videos/nope").await.expect_err("404");

    assert!(error.is_not_found());
    assert_eq!(error.request_id(), Some("req-123"));
    assert_eq!(error.message(), Some("Video not found."));
    let Error::Api(api) = &error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("not_found"));
    assert!(api.body.contains("Video not found."));
    let shown = error.to_string();
    assert!(
        shown.contains("404") && shown.contains("not_found") && shown.contains("req-123"),
        "{shown}"
    );
}

#[tokio::test(start_paused = true)]
async fn v1_errors_decode_to_legacy_errors() {
    let server = server().await;
    Mock::given(path("/v1/video.delete"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(
                    json!({"code": 400569, "message": "ResourceType.VIDEO_TRANSLATE not found"}),
                )
                .insert_header("x-request-id", "req-v1"),
        )
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let request = Request::new(Method::DELETE, "/v1/video.delete").query("video_id", "v1");
    let error = client.send_empty(request).await.expect_err("404");

    let Error::LegacyApi(legacy) = &error else {
        panic!("expected LegacyApi, got {error:?}")
    };
    assert_eq!(legacy.status, 404);
    assert_eq!(legacy.code, "400569");
    assert_eq!(
        legacy.message.as_deref(),
        Some("ResourceType.VIDEO_TRANSLATE not found")
    );
    assert_eq!(error.request_id(), Some("req-v1"));
}

#[tokio::test(start_paused = true)]
async fn v2_errors_decode_to_legacy_errors() {
    let server = server().await;
    Mock::given(path("/v2/photo_avatar/x"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"data": null, "error": {"code": "internal_error", "message": "photo avatar not found"}}))
                .insert_header("X-Request-Id", "req-v2"),
        )
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let error = client
        .send_empty(Request::new(Method::DELETE, "/v2/photo_avatar/x"))
        .await
        .expect_err("404");

    let Error::LegacyApi(legacy) = &error else {
        panic!("expected LegacyApi, got {error:?}")
    };
    assert_eq!(legacy.code, "internal_error");
    assert_eq!(legacy.message.as_deref(), Some("photo avatar not found"));
    assert_eq!(legacy.request_id.as_deref(), Some("req-v2"));
    assert!(error.is_not_found());
}

#[tokio::test(start_paused = true)]
async fn declared_error_shapes_take_precedence() {
    static SHAPES: &[(u16, ErrorShape)] = &[(400, ErrorShape::Legacy)];
    let server = server().await;
    // A v2 envelope that left out `data`: undeclared, it reads as v3.
    Mock::given(path("/v2/thing"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"code": "bad", "message": "no"}})),
        )
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let declared = client
        .send_empty(Request::new(Method::GET, "/v2/thing").error_shapes(SHAPES))
        .await
        .expect_err("400");
    let undeclared = client
        .send_empty(Request::new(Method::GET, "/v2/thing"))
        .await
        .expect_err("400");

    assert!(matches!(declared, Error::LegacyApi(_)), "{declared:?}");
    assert!(matches!(undeclared, Error::Api(_)), "{undeclared:?}");
    assert_eq!(declared.code(), Some("bad"));
    assert_eq!(undeclared.code(), Some("bad"));
}

#[tokio::test(start_paused = true)]
async fn an_html_gateway_page_is_an_api_error_with_the_raw_text() {
    let server = server().await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(path("/v3/videos"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let client = paused_builder(&server)
        .max_retries(0)
        .build()
        .expect("client");

    let error = get_ok(&client, "/v3/videos").await.expect_err("502");

    let Error::Api(api) = &error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status, 502);
    assert_eq!(api.code, None);
    assert_eq!(api.body, page);
    assert!(error.to_string().contains("502 Bad Gateway"));
}

#[tokio::test(start_paused = true)]
async fn malformed_json_names_the_failing_path() {
    #[derive(Debug, Deserialize)]
    struct Item {
        #[allow(dead_code)]
        id: String,
    }
    #[derive(Debug, Deserialize)]
    struct Listing {
        #[allow(dead_code)]
        items: Vec<Item>,
    }
    let server = server().await;
    Mock::given(path("/v3/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"items": [{"id": "a"}, {"id": 42}]}
        })))
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let error = client
        .get_json::<DataEnvelope<Listing>>("/v3/items")
        .await
        .expect_err("id 42 is no string");

    let Error::Decode(decode) = &error else {
        panic!("expected Decode, got {error:?}")
    };
    assert_eq!(decode.status, 200);
    assert_eq!(error.status(), Some(200));
    assert!(!error.is_not_found() && !error.is_timeout());
    assert_eq!(decode.path, "data.items[1].id");
    assert!(
        decode.message.contains("invalid type"),
        "{}",
        decode.message
    );
    assert!(decode.snippet.starts_with(r#"{"data""#));
}

#[tokio::test(start_paused = true)]
async fn a_missing_data_envelope_is_reported() {
    let server = server().await;
    Mock::given(path("/v3/user/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": null})))
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let envelope: DataEnvelope<Value> = client.get_json("/v3/user/me").await.expect("decodes");

    assert!(matches!(envelope.into_data(), Err(Error::MissingData)));
}

// ------------------------------------------------------ request plumbing

#[tokio::test(start_paused = true)]
async fn query_headers_and_path_segments_are_encoded() {
    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Order {
        NewestFirst,
    }
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ok_body())
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let request = Request::new(
        Method::GET,
        format!("/v3/videos/{}", encode_path_segment("a b/c")),
    )
    .query("order", &Order::NewestFirst)
    .query("cursor", &None::<String>)
    .query("tag", &["x y", "z"])
    .query("limit", &10)
    .header("X-Trace", &Some(7));
    client.send_empty(request).await.expect("sent");

    let sent = &requests_to(&server).await[0];
    assert_eq!(sent.url.path(), "/v3/videos/a%20b%2Fc");
    assert_eq!(
        sent.url.query(),
        Some("order=newest_first&tag=x+y&tag=z&limit=10")
    );
    assert_eq!(header_value(sent, "x-trace").as_deref(), Some("7"));
    assert_eq!(header_value(sent, "x-api-key").as_deref(), Some(KEY));
    let agent = header_value(sent, "user-agent").expect("user agent");
    assert!(agent.starts_with("heygen-rust/"), "{agent}");
}

#[tokio::test(start_paused = true)]
async fn unsendable_parameters_fail_before_sending() {
    let server = server().await;
    let client = paused_client(&server);

    let request = Request::new(Method::GET, "/v3/videos").query("filter", &json!({"a": 1}));
    let error = client
        .send_empty(request)
        .await
        .expect_err("a map has no query form");

    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(requests_to(&server).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn bearer_tokens_replace_the_api_key() {
    let server = server().await;
    Mock::given(header("authorization", "Bearer oauth-token"))
        .respond_with(ok_body())
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .bearer_token("oauth-token")
        .base_url(server.uri())
        .disable_timeouts()
        .http_client(http_without_timers())
        .build()
        .expect("client");

    get_ok(&client, "/v3/user/me").await.expect("authorized");

    assert!(header_value(&requests_to(&server).await[0], "x-api-key").is_none());
}

#[test]
fn building_needs_a_credential_and_a_sane_base_url() {
    assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
    assert!(matches!(Client::new("  "), Err(Error::Config(_))));
    for bad_url in [
        "not a url",
        "ftp://api.example.com",
        "mailto:api@example.com",
    ] {
        let built = Client::builder().api_key(KEY).base_url(bad_url).build();
        assert!(matches!(built, Err(Error::Config(_))), "{bad_url}");
    }
    let bad_key = Client::new("line\nbreak").expect_err("newline in key");
    assert!(!bad_key.to_string().contains("line"), "{bad_key}");
    let client = Client::new(KEY).expect("client");
    assert_eq!(client.base_url(), "https://api.heygen.com");
}

/// The environment is process-wide, so `Client::from_env` is exercised in
/// child processes (the `runtime_child` helper, `tests/src/bin`) rather than
/// by changing this process's variables under other tests' feet.
#[tokio::test]
async fn from_env_reads_key_and_base_url() {
    let server = server().await;
    Mock::given(header("x-api-key", "env-key"))
        .respond_with(ok_body())
        .expect(1)
        .mount(&server)
        .await;

    let ok = run_child(
        "from-env-ok",
        &[
            ("HEYGEN_API_KEY", "env-key"),
            ("HEYGEN_BASE_URL", &server.uri()),
        ],
    );
    let missing = run_child("from-env-missing", &[("HEYGEN_BASE_URL", &server.uri())]);
    let blank = run_child("from-env-missing", &[("HEYGEN_API_KEY", " ")]);

    for (mode, output) in [
        ("from-env-ok", ok),
        ("from-env-missing", missing),
        ("from-env-missing", blank),
    ] {
        assert_child_passed(mode, &output);
    }
}

/// Runs the `runtime_child` helper in `mode`, with `vars` as its only HeyGen variables.
fn run_child(mode: &str, vars: &[(&str, &str)]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_runtime_child"))
        .arg(mode)
        .env_remove("HEYGEN_API_KEY")
        .env_remove("HEYGEN_BASE_URL")
        .envs(vars.iter().copied())
        .output()
        .expect("run the child process")
}

/// The child ran `mode` to its end: every check of it passed.
fn assert_child_passed(mode: &str, output: &std::process::Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains(&format!("ok: {mode}")),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// ------------------------------------------------------------- pagination

#[tokio::test(start_paused = true)]
async fn paginate_streams_three_pages_in_order() {
    let server = server().await;
    let page = |items: Value, next: Value| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": items, "has_more": !next.is_null(), "next_token": next}))
    };
    Mock::given(path("/v3/avatars"))
        .and(query_param_is_missing("token"))
        .respond_with(page(json!([1, 2]), json!("t2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v3/avatars"))
        .and(query_param("token", "t2"))
        .respond_with(page(json!([3]), json!("t3")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v3/avatars"))
        .and(query_param("token", "t3"))
        .respond_with(page(json!([4, 5]), Value::Null))
        .expect(1)
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let items: Vec<u32> = paginate(|token: Option<String>| {
        let client = client.clone();
        async move {
            let request = Request::new(Method::GET, "/v3/avatars").query("token", &token);
            client.send_json::<Page<u32>>(request).await
        }
    })
    .map(|item| item.expect("no error"))
    .collect()
    .await;

    assert_eq!(items, [1, 2, 3, 4, 5]);
}

#[tokio::test(start_paused = true)]
async fn paginate_yields_an_error_once_and_stops() {
    let server = server().await;
    Mock::given(query_param_is_missing("token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [1], "next_token": "t2"})),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("token", "t2"))
        .respond_with(v3_error(403, "forbidden", "no"))
        .expect(1)
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let results: Vec<heygen::Result<u32>> = paginate(|token: Option<String>| {
        let client = client.clone();
        async move {
            let request = Request::new(Method::GET, "/v3/avatars").query("token", &token);
            client.send_json::<Page<u32>>(request).await
        }
    })
    .collect()
    .await;

    assert_eq!(results.len(), 2);
    assert_eq!(*results[0].as_ref().expect("first item"), 1);
    assert_eq!(
        results[1].as_ref().expect_err("then the error").status(),
        Some(403)
    );
}

#[tokio::test]
async fn paginate_with_follows_a_nested_cursor() {
    struct Listing {
        videos: Vec<&'static str>,
        pagination: Cursor,
    }
    struct Cursor {
        next: Option<String>,
    }
    let pages = [
        Listing {
            videos: vec!["a", "b"],
            pagination: Cursor {
                next: Some("2".into()),
            },
        },
        Listing {
            videos: vec![],
            pagination: Cursor {
                next: Some("3".into()),
            },
        },
        Listing {
            videos: vec!["c"],
            pagination: Cursor {
                next: Some(String::new()),
            },
        },
    ];
    let pages = Arc::new(Mutex::new(pages.into_iter()));
    let seen = Arc::new(Mutex::new(Vec::new()));

    let items: Vec<&str> = paginate_with(
        |token: Option<String>| {
            seen.lock().expect("lock").push(token);
            let page = pages.lock().expect("lock").next().expect("no extra fetch");
            async move { Ok::<_, Error>(page) }
        },
        |page: Listing| (page.videos, page.pagination.next),
    )
    .map(|item| item.expect("no error"))
    .collect()
    .await;

    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(
        *seen.lock().expect("lock"),
        [None, Some("2".to_owned()), Some("3".to_owned())]
    );
}

#[tokio::test]
async fn a_page_that_hands_back_its_own_cursor_ends_the_stream() {
    // A server that answers a cursor with the same cursor would otherwise be
    // asked for the same page forever.
    let pages = [
        (vec![1, 2], Some("t2".to_owned())),
        (vec![3], Some("t2".to_owned())),
    ];
    let pages = Arc::new(Mutex::new(pages.into_iter()));
    let seen = Arc::new(Mutex::new(Vec::new()));

    let items: Vec<u32> = paginate_with(
        |token: Option<String>| {
            seen.lock().expect("lock").push(token);
            let page = pages.lock().expect("lock").next().expect("no extra fetch");
            async move { Ok::<_, Error>(page) }
        },
        |page| page,
    )
    .map(|item| item.expect("no error"))
    .collect()
    .await;

    assert_eq!(items, [1, 2, 3]);
    assert_eq!(*seen.lock().expect("lock"), [None, Some("t2".to_owned())]);
}

// ---------------------------------------------------------------- polling

#[derive(Debug, Serialize, Deserialize)]
struct Job {
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<JobError>,
}

#[derive(Debug, Serialize, Deserialize)]
struct JobError {
    code: String,
    message: String,
}

impl Pollable for Job {
    fn poll_state(&self) -> PollState {
        match self.status.as_str() {
            "completed" => PollState::Succeeded,
            "failed" => PollState::Failed {
                code: self.error.as_ref().map(|e| e.code.clone()),
                message: self.error.as_ref().map(|e| e.message.clone()),
            },
            _ => PollState::Running,
        }
    }

    fn status_text(&self) -> Option<String> {
        Some(self.status.clone())
    }
}

fn job(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": {"status": status}}))
}

async fn wait_for_job(client: &Client, options: WaitOptions) -> heygen::Result<Job> {
    wait_until_done(
        move || async move {
            client
                .get_json::<DataEnvelope<Job>>("/v3/jobs/1")
                .await?
                .into_data()
        },
        options,
    )
    .await
}

#[tokio::test(start_paused = true)]
async fn waiting_ends_when_the_job_completes() {
    let server = server().await;
    respond_in_turn(
        &server,
        "GET",
        "/v3/jobs/1",
        job("processing"),
        2,
        job("completed"),
    )
    .await;
    let client = paused_client(&server);

    let start = Instant::now();
    let done = wait_for_job(&client, WaitOptions::default())
        .await
        .expect("completed");

    assert_eq!(done.status, "completed");
    // Checks at 0 s, 2 s, then 2 s × 1.5 later.
    assert_elapsed(start.elapsed(), Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn waiting_paces_itself_by_the_intervals_given() {
    let start = Instant::now();
    let checks = Arc::new(Mutex::new(Vec::new()));
    let options = WaitOptions::new()
        .initial_interval(Duration::from_secs(1))
        .max_interval(Duration::from_secs(2))
        .timeout(Duration::from_secs(6));

    let error = wait_until_done(
        || {
            checks.lock().expect("lock").push(start.elapsed());
            async {
                Ok(Job {
                    status: "processing".to_owned(),
                    error: None,
                })
            }
        },
        options,
    )
    .await
    .expect_err("never done");

    assert!(matches!(error, Error::WaitTimeout { .. }), "{error:?}");
    // 1 s, growing by half to the 2 s cap, and the last check at the deadline.
    let expected: Vec<Duration> = [0, 1000, 2500, 4500, 6000]
        .into_iter()
        .map(Duration::from_millis)
        .collect();
    assert_eq!(*checks.lock().expect("lock"), expected);
}

#[tokio::test(start_paused = true)]
async fn waiting_reports_a_failed_job() {
    let server = server().await;
    let failed = ResponseTemplate::new(200).set_body_json(json!({
        "data": {"status": "failed", "error": {"code": "AVATAR_NOT_FOUND", "message": "The avatar was deleted"}}
    }));
    respond_in_turn(&server, "GET", "/v3/jobs/1", job("pending"), 1, failed).await;
    let client = paused_client(&server);

    let error = wait_for_job(&client, WaitOptions::default())
        .await
        .expect_err("failed");

    let Error::WaitFailed {
        code,
        message,
        last,
    } = &error
    else {
        panic!("expected WaitFailed, got {error:?}")
    };
    assert_eq!(code.as_deref(), Some("AVATAR_NOT_FOUND"));
    assert_eq!(message.as_deref(), Some("The avatar was deleted"));
    assert_eq!(last["status"], "failed");
    assert_eq!(error.code(), Some("AVATAR_NOT_FOUND"));
}

#[tokio::test(start_paused = true)]
async fn waiting_gives_up_at_the_timeout_with_the_last_state() {
    let server = server().await;
    Mock::given(path("/v3/jobs/1"))
        .respond_with(job("some_new_status"))
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let start = Instant::now();
    let options = WaitOptions::default().timeout(Duration::from_secs(10));
    let error = wait_for_job(&client, options)
        .await
        .expect_err("never done");

    let Error::WaitTimeout {
        elapsed,
        last_status,
        last,
    } = &error
    else {
        panic!("expected WaitTimeout, got {error:?}")
    };
    assert_eq!(*elapsed, Duration::from_secs(10));
    assert_eq!(last_status.as_deref(), Some("some_new_status"));
    assert_eq!(last["status"], "some_new_status");
    assert_elapsed(start.elapsed(), Duration::from_secs(10));
    // Checks at 0, 2, 5, 9.5 and, last, at the deadline.
    assert_eq!(requests_to(&server).await.len(), 5);
}

// ---------------------------------------------------------------- uploads

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Whether a multipart body carries `file_name` as field `file`, with
/// `content_type` and exactly `bytes`, and the text field `title`.
fn multipart_matches(
    request: &wiremock::Request,
    file_name: &str,
    content_type: &str,
    bytes: &[u8],
) -> bool {
    let is_form = header_value(request, "content-type")
        .is_some_and(|value| value.starts_with("multipart/form-data; boundary="));
    let text = String::from_utf8_lossy(&request.body).to_ascii_lowercase();
    let mut part = format!("content-disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\ncontent-type: {content_type}\r\n\r\n").into_bytes();
    part.extend_from_slice(bytes);
    part.extend_from_slice(b"\r\n--");
    is_form
        && text.contains("content-disposition: form-data; name=\"title\"\r\n\r\nmy clip\r\n")
        && contains(
            &request.body.to_ascii_lowercase(),
            &part.to_ascii_lowercase(),
        )
        && contains(&request.body, bytes)
}

const CLIP: &[u8] = b"\x00\x00\x00\x18ftypmp42 binary \xff\xfe payload";

#[tokio::test(start_paused = true)]
async fn multipart_uploads_carry_name_type_and_bytes() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(|request: &wiremock::Request| {
            multipart_matches(request, "clip.mp4", "video/mp4", CLIP)
        })
        .respond_with(ok_body())
        .expect(1)
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let form = Multipart::new()
        .text("title", "my clip")
        .file("file", FileUpload::from_bytes(CLIP, "clip.mp4"));
    let request = Request::new(Method::POST, "/v3/assets")
        .multipart(form)
        .upload();
    client
        .send_empty(request)
        .await
        .expect("the server accepts the form");
}

#[tokio::test(start_paused = true)]
async fn a_file_on_disk_is_sent_again_on_retry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("talk.webm");
    std::fs::write(&file, CLIP).expect("write");
    let server = server().await;
    respond_in_turn(
        &server,
        "POST",
        "/v3/assets",
        ResponseTemplate::new(503),
        1,
        ok_body(),
    )
    .await;
    let client = paused_client(&server);

    let form = Multipart::new()
        .text("title", "my clip")
        .file("file", FileUpload::from_path(&file).expect("file exists"));
    let request = Request::new(Method::POST, "/v3/assets")
        .multipart(form)
        .idempotent()
        .upload();
    client.send_empty(request).await.expect("retried");

    let sent = requests_to(&server).await;
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert!(
            multipart_matches(request, "talk.webm", "video/webm", CLIP),
            "full form each time"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_streamed_upload_is_not_retried() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let chunks =
        futures_util::stream::iter([Ok::<_, std::io::Error>(&CLIP[..10]), Ok(&CLIP[10..])]);
    let upload = FileUpload::from_stream(chunks, "clip.mp4", Some(CLIP.len() as u64));
    assert!(!upload.is_replayable());
    let request = Request::new(Method::POST, "/v3/assets")
        .multipart(Multipart::new().file("file", upload))
        .idempotent();
    let error = client
        .send_empty(request)
        .await
        .expect_err("503, not retried");

    assert_eq!(error.status(), Some(503));
    assert!(contains(&requests_to(&server).await[0].body, CLIP));
}

#[tokio::test(start_paused = true)]
async fn a_raw_file_body_is_sent_with_its_type() {
    let server = server().await;
    Mock::given(header("content-type", "image/png"))
        .and(|request: &wiremock::Request| request.body == b"\x89PNG....")
        .respond_with(ok_body())
        .expect(1)
        .mount(&server)
        .await;
    let client = paused_client(&server);

    let request = Request::new(Method::POST, "/v1/asset")
        .file_body(FileUpload::from_bytes(&b"\x89PNG...."[..], "logo.PNG"))
        .upload();
    client.send_empty(request).await.expect("accepted");
}

#[test]
fn missing_files_are_reported_up_front() {
    let error = FileUpload::from_path("/definitely/not/here.mp4").expect_err("missing");
    assert!(matches!(error, Error::File { .. }), "{error:?}");
}

// ----------------------------------------------------------------- secrets

/// Tracing decides once per call site, process-wide, whether anyone listens;
/// other tests' threads racing through the same call sites can settle that
/// before this test's subscriber is in place. So the capture runs alone, in
/// a child process (the `secrets` mode of the `runtime_child` helper).
#[test]
fn secrets_stay_out_of_debug_output_and_logs() {
    assert_child_passed("secrets", &run_child("secrets", &[]));
}

/// The helper is no test of its own: without a mode it fails.
#[test]
fn the_child_helper_refuses_to_run_without_a_mode() {
    let output = run_child("", &[]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("unknown mode"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The builder records each setting (whether reqwest then honours a connect
/// timeout needs an address that never answers, which a test machine
/// without a network cannot offer).
#[test]
fn the_builder_records_its_timeouts() {
    let shown = format!(
        "{:?}",
        Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .upload_timeout(Duration::from_secs(7))
    );
    assert!(shown.contains("connect_timeout: Some(3s)"), "{shown}");
    assert!(shown.contains("upload_timeout: Some(7s)"), "{shown}");
    let defaults = format!("{:?}", Client::builder());
    assert!(
        defaults.contains("connect_timeout: Some(30s)"),
        "{defaults}"
    );
}

// ------------------------------------------------------------ auto traits

fn assert_send<T: Send>(_: &T) {}

/// Calls must be spawnable on a multi-threaded runtime.
#[test]
fn futures_and_streams_are_send() {
    let client = Client::new(KEY).expect("client");
    let form = Multipart::new().file(
        "file",
        FileUpload::from_stream(
            futures_util::stream::empty::<std::io::Result<Vec<u8>>>(),
            "a.mp4",
            None,
        ),
    );
    assert_send(
        &client.send_json::<Value>(Request::new(Method::POST, "/v3/assets").multipart(form)),
    );
    assert_send(&paginate(|_token| {
        let client = client.clone();
        async move { client.get_json::<Page<Value>>("/v3/avatars").await }
    }));
    assert_send(&wait_until_done(
        || {
            let client = client.clone();
            async move { client.get_json::<Job>("/v3/jobs/1").await }
        },
        WaitOptions::default(),
    ));
}
