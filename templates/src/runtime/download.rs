//! Downloading a file the API links to (a finished video's `video_url`, a
//! caption file, …): as a stream of chunks or into a file, resuming after a
//! dropped connection.

use std::fmt;
use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::{HeaderValue, CONTENT_RANGE, ETAG, IF_RANGE, LAST_MODIFIED, LOCATION, RANGE};
use reqwest::{Method, StatusCode, Url};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

use super::client::{same_origin, Client};
use super::error::{decode_error, Error, Result};
use super::request::{error_meta, read_body, Request};
use super::retry::{is_retryable, RetryPolicy};

/// Redirects a download follows across origins (the client's own policy
/// follows those within one origin).
const MAX_REDIRECTS: usize = 10;

type Progress = Box<dyn FnMut(u64, Option<u64>) + Send>;

/// A download of a file by URL, from [`Client::download`]: configure it, then
/// take it as a [`stream`](Self::stream) of chunks or save it
/// [`to_file`](Self::to_file).
///
/// The body is never held in memory whole: each chunk is handed on (or
/// written) as it arrives, whatever the file's size, and
/// [`max_response_size`](crate::ClientBuilder::max_response_size) does not
/// apply.
///
/// **Credentials.** The API key (or token) and the client's default headers
/// go only to the base URL's origin, as for every request (see [`Client`]): a
/// result URL on another host, such as a video file on a CDN, gets neither,
/// nor does the target of a redirect to another origin.
///
/// **Resuming.** When the connection drops part way, the download asks for
/// the rest with `Range: bytes=N-` (and `If-Range`, when the server gave an
/// `ETag` or `Last-Modified`). A `206 Partial Content` must say, in
/// `Content-Range`, that it starts at byte N of a file of the same size; a
/// `200` means the server sends the whole file again, which then starts over
/// (a file from [`to_file`](Self::to_file) is truncated; a
/// [`stream`](Self::stream) skips what it already yielded). Connection
/// errors, timeouts, 408, 429 and 5xx are retried by the client's
/// [`RetryPolicy`] (or [`retry_policy`](Self::retry_policy)); the count of
/// retries starts again whenever a retry gets further into the file than any
/// attempt before, so a long download on a flaky network goes on as long as
/// it makes progress.
///
/// **Timeouts.** The client's timeout bounds each wait for the server (the
/// response, then each chunk), not the whole download.
#[must_use = "a download does nothing until `.stream()` or `.to_file(..)`"]
pub struct Download {
    client: Client,
    url: String,
    retry: Option<RetryPolicy>,
    progress: Option<Progress>,
}

impl Client {
    /// Downloads the file at `url`: an absolute URL (a finished video's
    /// `video_url`, say), or a path relative to the base URL.
    ///
    /// ```no_run
    /// # async fn run(client: heygen::Client, video_url: &str) -> heygen::Result<()> {
    /// let bytes = client
    ///     .download(video_url)
    ///     .on_progress(|done, total| eprintln!("{done} of {total:?} bytes"))
    ///     .to_file("video.mp4")
    ///     .await?;
    /// println!("saved {bytes} bytes");
    /// # Ok(())
    /// # }
    /// ```
    pub fn download(&self, url: impl Into<String>) -> Download {
        Download {
            client: self.clone(),
            url: url.into(),
            retry: None,
            progress: None,
        }
    }
}

impl Download {
    /// Calls `progress(done, total)` after each chunk: the bytes received so
    /// far, and the file's size when the server announced it. `done` goes
    /// back to 0 if the server restarts the file (see "Resuming" above).
    pub fn on_progress(mut self, progress: impl FnMut(u64, Option<u64>) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Retries (and resumes) by `policy` instead of the client's policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets how many times in a row a failed attempt is retried (0: never).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        let policy = self.retry.take().unwrap_or_else(|| self.client.retry_policy().clone());
        self.retry = Some(policy.max_retries(max_retries));
        self
    }

    /// The file as a stream of chunks, in order, each as the network
    /// delivered it. After an error the stream ends.
    ///
    /// ```no_run
    /// use heygen::futures_util::TryStreamExt;
    ///
    /// # async fn run(client: heygen::Client, video_url: &str) -> heygen::Result<()> {
    /// let mut chunks = std::pin::pin!(client.download(video_url).stream());
    /// let mut size = 0;
    /// while let Some(chunk) = chunks.try_next().await? {
    ///     size += chunk.len(); // or hand the chunk on, to a socket or a hasher
    /// }
    /// println!("{size} bytes");
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<Bytes>> + Send + 'static {
        let state = StreamState {
            fetcher: Fetcher::new(&self.client, self.url, self.retry),
            progress: self.progress,
            delivered: 0,
            skip: 0,
            delivered_total: None,
        };
        futures_util::stream::unfold(Some(state), |state| async move {
            let mut state = state?;
            match state.next().await? {
                Ok(chunk) => Some((Ok(chunk), Some(state))),
                Err(error) => Some((Err(error), None)),
            }
        })
    }

    /// Saves the file at `path` and returns its size. The bytes go to a
    /// temporary file beside `path` (`.NAME.RANDOM.part`), renamed to `path`
    /// once complete: `path` never holds part of a file, and an existing file
    /// there is replaced only by a complete download. On failure the
    /// temporary file is removed.
    ///
    /// ```no_run
    /// # async fn run(client: heygen::Client, video_url: &str) -> heygen::Result<()> {
    /// client.download(video_url).to_file("out/video.mp4").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn to_file(self, path: impl AsRef<Path>) -> Result<u64> {
        let path = path.as_ref();
        let temp = temp_path(path);
        let write_error = |source| Error::WriteFile {
            path: temp.clone(),
            source,
        };
        let mut file = tokio::fs::File::create(&temp).await.map_err(write_error)?;
        let mut fetcher = Fetcher::new(&self.client, self.url, self.retry);
        let mut progress = self.progress;
        let result = async {
            let mut written = 0u64;
            while let Some(event) = fetcher.next().await {
                match event? {
                    Event::Restart => {
                        file.set_len(0).await.map_err(write_error)?;
                        file.seek(SeekFrom::Start(0)).await.map_err(write_error)?;
                        written = 0;
                    }
                    Event::Data(chunk) => {
                        file.write_all(&chunk).await.map_err(write_error)?;
                        written += chunk.len() as u64;
                        if let Some(progress) = progress.as_mut() {
                            progress(written, fetcher.total);
                        }
                    }
                }
            }
            file.flush().await.map_err(write_error)?;
            file.sync_all().await.map_err(write_error)?;
            Ok(written)
        }
        .await;
        drop(file);
        match result {
            Ok(written) => {
                tokio::fs::rename(&temp, path)
                    .await
                    .map_err(|source| Error::WriteFile {
                        path: path.to_owned(),
                        source,
                    })?;
                Ok(written)
            }
            Err(error) => {
                let _ = tokio::fs::remove_file(&temp).await;
                Err(error)
            }
        }
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("url", &self.url)
            .field("retry_policy", &self.retry)
            .field("on_progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

/// `dir/.NAME.RANDOM.part`, beside the target so that the rename stays on
/// one file system.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "download".to_owned());
    let random = uuid::Uuid::new_v4().simple().to_string();
    path.with_file_name(format!(".{name}.{}.part", &random[..12]))
}

/// What [`Fetcher::next`] yields.
enum Event {
    /// The next bytes of the file.
    Data(Bytes),
    /// The server sent the whole file again: what came before is void.
    Restart,
}

/// The stream's state: the fetcher, and what was already yielded, so that a
/// restart from byte 0 skips it.
struct StreamState {
    fetcher: Fetcher,
    progress: Option<Progress>,
    delivered: u64,
    skip: u64,
    delivered_total: Option<u64>,
}

impl StreamState {
    async fn next(&mut self) -> Option<Result<Bytes>> {
        loop {
            match self.fetcher.next().await? {
                Err(error) => return Some(Err(error)),
                Ok(Event::Restart) => {
                    // The bytes already yielded cannot be taken back: the new
                    // copy must be the same size for its rest to fit them.
                    if self.delivered_total != self.fetcher.total || self.fetcher.total.is_none() {
                        return Some(Err(Error::Download(
                            "the server restarted the file, which may have changed, after part of it was streamed"
                                .to_owned(),
                        )));
                    }
                    self.skip = self.delivered;
                }
                Ok(Event::Data(mut chunk)) => {
                    if self.delivered == 0 {
                        self.delivered_total = self.fetcher.total;
                    }
                    if self.skip > 0 {
                        let skipped = self.skip.min(chunk.len() as u64);
                        self.skip -= skipped;
                        chunk = chunk.slice(skipped as usize..);
                        if chunk.is_empty() {
                            continue;
                        }
                    }
                    self.delivered += chunk.len() as u64;
                    if let Some(progress) = self.progress.as_mut() {
                        progress(self.delivered, self.fetcher.total);
                    }
                    return Some(Ok(chunk));
                }
            }
        }
    }
}

/// Fetches the file chunk by chunk, reconnecting (with `Range`) as needed.
struct Fetcher {
    client: Client,
    url: std::result::Result<Url, String>,
    policy: RetryPolicy,
    timeout: Option<Duration>,
    response: Option<reqwest::Response>,
    /// Bytes of the file received so far: where the next byte sits.
    offset: u64,
    /// The file's size, once a response said.
    total: Option<u64>,
    /// The first response's `ETag` (strong only) or `Last-Modified`, sent
    /// as `If-Range` when resuming.
    validator: Option<HeaderValue>,
    /// The furthest byte of the file ever reached, over restarts.
    furthest: u64,
    /// Failed attempts since the last one that reached past `furthest`.
    failures: u32,
    done: bool,
}

impl Fetcher {
    fn new(client: &Client, url: String, retry: Option<RetryPolicy>) -> Fetcher {
        Fetcher {
            url: client.url_for(&url).map_err(|e| e.to_string()),
            policy: retry.unwrap_or_else(|| client.retry_policy().clone()),
            timeout: client.timeout_for(false),
            client: client.clone(),
            response: None,
            offset: 0,
            total: None,
            validator: None,
            furthest: 0,
            failures: 0,
            done: false,
        }
    }

    /// The next event; `None` once the file is complete or after an error.
    async fn next(&mut self) -> Option<Result<Event>> {
        loop {
            if self.done {
                return None;
            }
            let Some(response) = self.response.as_mut() else {
                match self.open().await {
                    Ok((response, restarted)) => {
                        self.response = Some(response);
                        if restarted {
                            return Some(Ok(Event::Restart));
                        }
                    }
                    Err(error) => {
                        if let Err(error) = self.retry_or_fail(error).await {
                            return Some(Err(error));
                        }
                    }
                }
                continue;
            };
            let status = response.status().as_u16();
            let expected = response.content_length();
            let read = response.chunk();
            // `Err(None)`: the wait for the chunk timed out.
            let read: std::result::Result<Option<Bytes>, Option<reqwest::Error>> = match self.timeout {
                Some(timeout) => match tokio::time::timeout(timeout, read).await {
                    Ok(read) => read.map_err(Some),
                    Err(_) => Err(None),
                },
                None => read.await.map_err(Some),
            };
            match read {
                Ok(Some(chunk)) => {
                    self.offset += chunk.len() as u64;
                    // Only new ground counts as progress: a server that
                    // restarts the file and drops it at the same place
                    // every time must not be retried forever.
                    if self.offset > self.furthest {
                        self.furthest = self.offset;
                        self.failures = 0;
                    }
                    return Some(Ok(Event::Data(chunk)));
                }
                Ok(None) => {
                    self.response = None;
                    self.done = true;
                    return match self.total {
                        Some(total) if self.offset != total => Some(Err(Error::Download(format!(
                            "the server ended the file after {} of {total} bytes",
                            self.offset
                        )))),
                        _ => None,
                    };
                }
                Err(error) => {
                    self.response = None;
                    let error = match error {
                        Some(error) => Error::from_body(error, status, self.offset, expected),
                        None => Error::Timeout,
                    };
                    if let Err(error) = self.retry_or_fail(error).await {
                        return Some(Err(error));
                    }
                }
            }
        }
    }

    /// Waits before the next attempt, or gives up with `error`.
    async fn retry_or_fail(&mut self, error: Error) -> Result<()> {
        if self.failures >= self.policy.max_retries || !is_retryable(&error) {
            self.done = true;
            return Err(error);
        }
        self.failures += 1;
        let delay = self.policy.delay(self.failures, error.retry_after());
        tracing::info!(
            attempt = self.failures,
            offset = self.offset,
            delay_ms = delay.as_millis() as u64,
            "resuming download: {error}"
        );
        tokio::time::sleep(delay).await;
        Ok(())
    }

    /// Sends the request (from `offset`), following redirects; true with a
    /// response that starts the file over.
    async fn open(&mut self) -> Result<(reqwest::Response, bool)> {
        let mut url = self.url.clone().map_err(Error::InvalidRequest)?;
        for _ in 0..=MAX_REDIRECTS {
            // Decided anew for every URL a redirect leads to.
            let to_api = same_origin(&url, &self.client.inner.origin);
            let mut headers = self
                .client
                .headers_for(&Request::new(Method::GET, url.as_str()), to_api)?;
            if self.offset > 0 {
                let range = HeaderValue::from_str(&format!("bytes={}-", self.offset))
                    .expect("digits are a valid header value");
                headers.insert(RANGE, range);
                if let Some(validator) = &self.validator {
                    headers.insert(IF_RANGE, validator.clone());
                }
            }
            let send = self.client.inner.http.get(url.clone()).headers(headers).send();
            let response = match self.timeout {
                Some(timeout) => tokio::time::timeout(timeout, send)
                    .await
                    .map_err(|_| Error::Timeout)?,
                None => send.await,
            }
            .map_err(Error::from_reqwest)?;
            if response.status().is_redirection() {
                if let Some(location) = response.headers().get(LOCATION).and_then(|v| v.to_str().ok()) {
                    url = url.join(location).map_err(|e| {
                        Error::Download(format!("the redirect to `{location}` is not a valid URL: {e}"))
                    })?;
                    continue;
                }
            }
            return self.accept(response).await;
        }
        Err(Error::Download(format!("more than {MAX_REDIRECTS} redirects")))
    }

    /// Checks a response against what was asked.
    async fn accept(&mut self, response: reqwest::Response) -> Result<(reqwest::Response, bool)> {
        let status = response.status();
        if status == StatusCode::PARTIAL_CONTENT {
            let range = response
                .headers()
                .get(CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_content_range);
            let Some((start, total)) = range else {
                return Err(Error::Download(
                    "a 206 response without a valid Content-Range".to_owned(),
                ));
            };
            if self.offset == 0 || start != self.offset {
                return Err(Error::Download(format!(
                    "asked for the bytes from {}, the server sent them from {start}",
                    self.offset
                )));
            }
            if let (Some(known), Some(total)) = (self.total, total) {
                if known != total {
                    return Err(Error::Download(format!(
                        "the file changed size between attempts ({known} then {total} bytes)"
                    )));
                }
            }
            self.total = self.total.or(total);
            return Ok((response, false));
        }
        if status.is_success() {
            let restarted = self.offset > 0;
            self.offset = 0;
            self.total = response.content_length();
            let headers = response.headers();
            self.validator = headers
                .get(ETAG)
                .filter(|etag| !etag.as_bytes().starts_with(b"W/"))
                .or_else(|| headers.get(LAST_MODIFIED))
                .cloned();
            return Ok((response, restarted));
        }
        let meta = error_meta(&response);
        let body = read_body(response, self.client.inner.max_response_size).await?;
        Err(decode_error(meta, &body, None))
    }
}

/// `bytes START-END/TOTAL` (TOTAL may be `*`) as (START, TOTAL).
fn parse_content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let (start, end) = (start.trim().parse::<u64>().ok()?, end.trim().parse::<u64>().ok()?);
    if end < start {
        return None;
    }
    let total = match total.trim() {
        "*" => None,
        total => Some(total.parse::<u64>().ok().filter(|total| end < *total)?),
    };
    Some((start, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges() {
        assert_eq!(parse_content_range("bytes 100-199/200"), Some((100, Some(200))));
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(parse_content_range("bytes 100-199/150"), None);
        assert_eq!(parse_content_range("bytes 9-5/20"), None);
        assert_eq!(parse_content_range("bytes */200"), None);
        assert_eq!(parse_content_range("items 1-2/3"), None);
        // The edges: a range of one byte, the last byte of the file, and an
        // end at the total (one past the last byte).
        assert_eq!(parse_content_range("bytes 7-7/8"), Some((7, Some(8))));
        assert_eq!(parse_content_range("bytes 0-7/8"), Some((0, Some(8))));
        assert_eq!(parse_content_range("bytes 0-8/8"), None);
    }

    #[test]
    fn temporary_files_sit_beside_the_target() {
        let temp = temp_path(Path::new("out/video.mp4"));
        assert_eq!(temp.parent(), Some(Path::new("out")));
        let name = temp.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".video.mp4.") && name.ends_with(".part"), "{name}");
        assert_ne!(temp, temp_path(Path::new("out/video.mp4")));
    }
}
