//! A decoded value together with the HTTP response it came from.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::error::Result;

const REQUEST_ID: &str = "x-request-id";

/// What `send_with_response` returns: the decoded value, and the status,
/// headers and request id of the response that carried it.
///
/// ```no_run
/// # async fn run(client: heygen::Client) -> heygen::Result<()> {
/// let response = client.videos().list_videos().send_with_response().await?;
/// println!(
///     "{} videos, HTTP {}, request {}",
///     response.value().data.len(),
///     response.status(),
///     response.request_id().unwrap_or("-"),
/// );
/// let page = response.into_value();
/// # let _ = page;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, status: StatusCode, headers: HeaderMap) -> Self {
        Response {
            value,
            status,
            headers,
        }
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, without the response.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every header of the response (rate-limit counters and the like).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `X-Request-Id` header, which HeyGen support asks for.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get(REQUEST_ID)?.to_str().ok()
    }

    /// The same response with its value converted by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
        }
    }

    /// The same response with its value converted by `f`, which may fail.
    pub fn try_map<U>(self, f: impl FnOnce(T) -> Result<U>) -> Result<Response<U>> {
        Ok(Response {
            value: f(self.value)?,
            status: self.status,
            headers: self.headers,
        })
    }
}
