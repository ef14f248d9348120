//! `Client::download`: streaming and saving a file by URL, resuming after a
//! dropped connection with `Range`, and never sending the API key to the
//! file's host. The file server is the scripted one of `raw_http`, which can
//! cut a body part way and answers `Range` requests by hand.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use heygen::futures_util::StreamExt;
use heygen::{Client, Error, RetryPolicy};
use heygen_codegen_tests::raw_http::{Cut, RawRequest, RawServer, Reply};

const KEY: &str = "sk-download-test-key";
const SIZE: usize = 8 << 20;

/// 8 MiB that differ from byte to byte, so a misplaced chunk shows.
fn file_body() -> Arc<[u8]> {
    (0..SIZE)
        .map(|i| (i % 251) as u8 ^ (i >> 16) as u8)
        .collect()
}

/// How the file server treats a request.
#[derive(Clone, Copy)]
struct Script {
    /// Cut the first response after this many bytes.
    cut_first: Option<(usize, Cut)>,
    /// Answer `Range` with 206 (else with the whole file, 200).
    ranges: bool,
    /// Answer `Range` with a 206 that starts at this byte instead.
    wrong_start: Option<usize>,
}

fn requested_start(request: &RawRequest) -> Option<usize> {
    let range = request.header("range")?;
    let start = range.strip_prefix("bytes=")?.strip_suffix('-')?;
    Some(start.parse().expect("a start offset"))
}

async fn file_server(body: Arc<[u8]>, script: Script) -> RawServer {
    RawServer::start(move |n, request| {
        let whole = Reply::new(200)
            .header("content-type", "video/mp4")
            .header("etag", "\"v1\"")
            .body(body.clone());
        match requested_start(request) {
            Some(start) if script.ranges => {
                let start = script.wrong_start.unwrap_or(start);
                Reply::new(206)
                    .header(
                        "content-range",
                        format!("bytes {start}-{}/{}", body.len() - 1, body.len()),
                    )
                    .body(body.clone())
                    .slice(start..body.len())
            }
            _ => match script.cut_first {
                Some((bytes, cut)) if n == 0 => whole.cut_after(bytes, cut),
                _ => whole,
            },
        }
    })
    .await
}

/// A client whose API is elsewhere: the file server is another origin.
fn client() -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .default_header("authorization", "Bearer also-secret")
        .disable_timeouts()
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .http_client(
            heygen::reqwest::Client::builder()
                .pool_idle_timeout(None)
                .build()
                .unwrap(),
        )
        .build()
        .expect("client")
}

fn assert_no_credentials(server: &RawServer) {
    for request in server.requests() {
        for name in ["x-api-key", "authorization"] {
            assert_eq!(request.header(name), None, "{name} sent to the file server");
        }
    }
}

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn to_file_resumes_after_a_reset_with_a_range_request() {
    let body = file_body();
    let script = Script {
        cut_first: Some((3 << 20, Cut::Reset)),
        ranges: true,
        wrong_start: None,
    };
    let server = file_server(body.clone(), script).await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("video.mp4");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = seen.clone();
    let temp_sizes = Arc::new(Mutex::new(Vec::new()));
    let temp_seen = temp_sizes.clone();
    let dir_path = dir.path().to_owned();

    let written = client()
        .download(format!("{}/files/video.mp4", server.url()))
        .on_progress(move |done, total| {
            progress.lock().unwrap().push((done, total));
            // The bytes are on disk, in the temporary file, as they come.
            let part = std::fs::read_dir(&dir_path)
                .unwrap()
                .map(|entry| entry.unwrap())
                .find(|entry| entry.file_name().to_string_lossy().ends_with(".part"))
                .expect("a .part file beside the target");
            temp_seen
                .lock()
                .unwrap()
                .push((done, part.metadata().unwrap().len()));
        })
        .to_file(&target)
        .await
        .expect("resumed");

    assert_eq!(written, SIZE as u64);
    assert!(
        std::fs::read(&target).unwrap() == *body,
        "the file is the body"
    );
    assert_eq!(
        leftovers(dir.path()),
        ["video.mp4"],
        "no temporary file left"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("range"), None);
    let resumed_at = requested_start(&requests[1]).expect("a Range request");
    assert!(resumed_at > 0 && resumed_at <= 3 << 20, "{resumed_at}");
    assert_eq!(requests[1].header("if-range"), Some("\"v1\""));
    assert_no_credentials(&server);
    let seen = seen.lock().unwrap();
    assert!(seen.len() > 8, "progress per chunk: {} calls", seen.len());
    assert!(
        seen.windows(2).all(|w| w[0].0 < w[1].0),
        "progress only grows"
    );
    assert_eq!(*seen.last().unwrap(), (SIZE as u64, Some(SIZE as u64)));
    // Written incrementally: the temporary file grew along with the progress
    // (tokio may still hold the last chunk when progress is reported).
    let temp_sizes = temp_sizes.lock().unwrap();
    let halfway = temp_sizes
        .iter()
        .find(|(done, _)| *done >= (SIZE / 2) as u64)
        .expect("past halfway");
    assert!(halfway.1 > 0 && halfway.1 < SIZE as u64, "{halfway:?}");
}

#[tokio::test(start_paused = true)]
async fn the_stream_resumes_and_holds_one_chunk_at_a_time() {
    let body = file_body();
    let script = Script {
        cut_first: Some((5 << 20, Cut::Close)),
        ranges: true,
        wrong_start: None,
    };
    let server = file_server(body.clone(), script).await;

    let mut stream = std::pin::pin!(client()
        .download(format!("{}/files/video.mp4", server.url()))
        .stream());
    let (mut position, mut largest, mut chunks) = (0usize, 0usize, 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("chunk");
        assert!(
            chunk[..] == body[position..position + chunk.len()],
            "chunk at {position} is out of place"
        );
        position += chunk.len();
        largest = largest.max(chunk.len());
        chunks += 1;
    }

    assert_eq!(position, SIZE);
    assert!(largest <= 1 << 20, "a chunk of {largest} bytes");
    assert!(chunks >= 8, "{chunks} chunks");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requested_start(&requests[1]).is_some_and(|start| start > 0));
    assert_no_credentials(&server);
}

/// A server that ignores `Range` sends the whole file again: the file starts
/// over (and the stream skips what it already yielded).
#[tokio::test(start_paused = true)]
async fn a_200_to_a_range_request_starts_over() {
    let body = file_body();
    let script = Script {
        cut_first: Some((2 << 20, Cut::Reset)),
        ranges: false,
        wrong_start: None,
    };
    let server = file_server(body.clone(), script).await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("video.mp4");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = seen.clone();

    client()
        .download(format!("{}/v.mp4", server.url()))
        .on_progress(move |done, _| progress.lock().unwrap().push(done))
        .to_file(&target)
        .await
        .expect("restarted");

    assert!(std::fs::read(&target).unwrap() == *body);
    assert_eq!(server.requests().len(), 2);
    assert!(requested_start(&server.requests()[1]).is_some());
    let went_back = seen.lock().unwrap().windows(2).any(|w| w[1] < w[0]);
    assert!(went_back, "progress went back to 0");

    let server = file_server(body.clone(), script).await;
    let streamed: Vec<u8> = client()
        .download(format!("{}/v.mp4", server.url()))
        .stream()
        .map(|chunk| chunk.expect("chunk").to_vec())
        .concat()
        .await;
    assert!(streamed == *body, "the stream skipped the repeated prefix");
}

#[tokio::test(start_paused = true)]
async fn a_206_from_the_wrong_offset_fails_and_leaves_no_file() {
    let script = Script {
        cut_first: Some((1 << 20, Cut::Reset)),
        ranges: true,
        wrong_start: Some(0),
    };
    let server = file_server(file_body(), script).await;
    let dir = tempfile::tempdir().unwrap();

    let error = client()
        .download(format!("{}/v.mp4", server.url()))
        .to_file(dir.path().join("video.mp4"))
        .await
        .expect_err("wrong range");

    assert!(matches!(error, Error::Download(_)), "{error:?}");
    assert!(error.to_string().contains("from 0"), "{error}");
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[tokio::test(start_paused = true)]
async fn a_missing_file_is_an_api_error_and_not_retried() {
    let server =
        RawServer::start(|_, _| Reply::new(404).body(Arc::from(&b"<html>no such file</html>"[..])))
            .await;
    let dir = tempfile::tempdir().unwrap();

    let error = client()
        .download(format!("{}/gone.mp4", server.url()))
        .to_file(dir.path().join("gone.mp4"))
        .await
        .expect_err("404");

    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(server.requests().len(), 1);
    assert!(leftovers(dir.path()).is_empty());
}

/// A download that keeps being cut gives up after the policy's retries in a
/// row, saying why.
#[tokio::test(start_paused = true)]
async fn a_download_cut_every_time_gives_up_by_the_policy() {
    let body = file_body();
    let server =
        RawServer::start(move |_, _| Reply::new(200).body(body.clone()).cut_after(0, Cut::Reset))
            .await;

    let error = client()
        .download(format!("{}/v.mp4", server.url()))
        .max_retries(3)
        .stream()
        .collect::<Vec<_>>()
        .await
        .pop()
        .expect("one item")
        .expect_err("cut");

    assert!(
        error.to_string().contains("connection was reset"),
        "{error}"
    );
    assert_eq!(server.requests().len(), 4);
}

/// A server that ignores `Range` and drops the file at the same place every
/// time makes no progress: the download gives up by the policy instead of
/// starting over forever.
#[tokio::test(start_paused = true)]
async fn restarts_that_never_get_further_give_up() {
    let body = file_body();
    let server = RawServer::start(move |_, _| {
        Reply::new(200)
            .body(body.clone())
            .cut_after(1 << 20, Cut::Close)
    })
    .await;
    let dir = tempfile::tempdir().unwrap();

    // Backoffs of at least 0.5 and 1 s: 30 virtual seconds are plenty for
    // three attempts, and end a loop after a few dozen.
    let download = client()
        .download(format!("{}/v.mp4", server.url()))
        .retry_policy(
            RetryPolicy::default()
                .max_retries(2)
                .initial_backoff(Duration::from_secs(1)),
        )
        .to_file(dir.path().join("v.mp4"));
    let error = tokio::time::timeout(Duration::from_secs(30), download)
        .await
        .expect("gave up instead of starting over forever")
        .expect_err("never complete");

    assert!(matches!(error, Error::BodyInterrupted { .. }), "{error:?}");
    assert_eq!(server.requests().len(), 3);
    assert!(leftovers(dir.path()).is_empty());
}

/// Each cut that comes after new ground starts the count of retries afresh:
/// a file cut every 2 MiB needs four connections, more than the two retries
/// allowed in a row, and still arrives whole.
#[tokio::test(start_paused = true)]
async fn cuts_after_progress_do_not_use_up_the_retries() {
    let body = file_body();
    let served = body.clone();
    let server = RawServer::start(move |_, request| {
        let start = requested_start(request).unwrap_or(0);
        let reply = if start == 0 {
            Reply::new(200).body(served.clone())
        } else {
            Reply::new(206)
                .header(
                    "content-range",
                    format!("bytes {start}-{}/{}", served.len() - 1, served.len()),
                )
                .body(served.clone())
                .slice(start..served.len())
        };
        // A clean close: every byte sent arrives (a reset may drop some).
        reply.cut_after(2 << 20, Cut::Close)
    })
    .await;

    let streamed: Vec<u8> = client()
        .download(format!("{}/v.mp4", server.url()))
        .max_retries(2)
        .stream()
        .map(|chunk| chunk.expect("chunk").to_vec())
        .concat()
        .await;

    assert!(streamed == *body, "the bytes differ");
    assert_eq!(server.requests().len(), 4);
}

/// A stream cannot take back what it yielded: when the server starts over
/// with a file of another size, the stream fails instead of splicing two
/// different files.
#[tokio::test(start_paused = true)]
async fn a_stream_restarted_with_another_file_fails() {
    let body = file_body();
    let server = RawServer::start(move |n, _| {
        if n == 0 {
            Reply::new(200)
                .body(body.clone())
                .cut_after(2 << 20, Cut::Close)
        } else {
            Reply::new(200).body(body.clone()).slice(0..body.len() - 1)
        }
    })
    .await;

    let last = client()
        .download(format!("{}/v.mp4", server.url()))
        .stream()
        .collect::<Vec<_>>()
        .await
        .pop()
        .expect("an item");

    let error = last.expect_err("another file");
    assert!(error.to_string().contains("restarted the file"), "{error}");
}

/// A download's `Debug` names the file, never the client's credentials.
#[test]
fn a_download_shows_its_url_and_no_secret() {
    let shown = format!("{:?}", client().download("https://files.example.com/v.mp4"));
    assert!(shown.contains("https://files.example.com/v.mp4"), "{shown}");
    assert!(
        !shown.contains(KEY) && !shown.contains("also-secret"),
        "{shown}"
    );
}
