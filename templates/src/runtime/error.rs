//! The crate's error type, and how HeyGen's error bodies are decoded into it.
//!
//! HeyGen answers errors in three shapes, depending on the API generation:
//!
//! | shape | body |
//! | --- | --- |
//! | v3 ([`ErrorShape::Standard`]) | `{"error": {"code": "not_found", "message": "…", "param": null, "doc_url": null}}` |
//! | v1 ([`ErrorShape::LegacyFlat`]) | `{"code": 400569, "message": "…"}` |
//! | v2 ([`ErrorShape::LegacyEnvelope`]) | `{"data": null, "error": {"code": "internal_error", "message": "…"}}` |
//!
//! The first becomes [`Error::Api`], the two legacy ones [`Error::LegacyApi`].
//! Anything else (an HTML page from a gateway, an empty body) still becomes
//! [`Error::Api`] with the raw text, so no information is lost.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::{Map, Value};

/// The result type of every fallible call in this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong when talking to HeyGen.
///
/// Use the helpers ([`Error::status`], [`Error::code`], [`Error::is_not_found`],
/// …) rather than matching when you only need one fact.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-2xx status (v3 error shape, or a body in
    /// no known shape, such as a gateway's HTML page). See [`ErrorShape`].
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The API answered with a non-2xx status in a legacy (v1 or v2) shape.
    #[error(transparent)]
    LegacyApi(Box<LegacyApiError>),
    /// A 2xx response whose body did not match the expected type.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The HTTP exchange itself failed (connection refused or reset, TLS, …).
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The connection failed while the response body was being read: the
    /// status and headers had arrived, the body did not. Retried like a
    /// connection error when repeating the request is safe (GET, or a POST
    /// with an `Idempotency-Key`).
    #[error(
        "{reason} while reading the HTTP {status} response body (after {received}{} bytes)",
        .expected.map(|n| format!(" of {n}")).unwrap_or_default()
    )]
    BodyInterrupted {
        /// The HTTP status of the response.
        status: u16,
        /// The body bytes received before the failure.
        received: u64,
        /// The body's announced length (`Content-Length`), if any.
        expected: Option<u64>,
        /// What happened, e.g. "the connection was reset".
        reason: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The response body is larger than the client's
    /// [`max_response_size`](crate::ClientBuilder::max_response_size); it
    /// was not read past that limit.
    #[error(
        "the HTTP {status} response is larger than the limit of {limit} bytes{} (see ClientBuilder::max_response_size)",
        .content_length.map(|n| format!(" (Content-Length: {n})")).unwrap_or_default()
    )]
    ResponseTooLarge {
        /// The HTTP status of the response.
        status: u16,
        /// The limit in force, in bytes.
        limit: u64,
        /// The length the server announced, if it did.
        content_length: Option<u64>,
    },
    /// The request did not complete within its timeout.
    #[error("request timed out")]
    Timeout,
    /// The client could not be configured (missing API key, bad base URL, …).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The request could not be built (a parameter that cannot be sent as a
    /// string, a header value with forbidden characters, a consumed stream, …).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A file to upload could not be read.
    #[error("cannot read `{}`: {source}", .path.display())]
    File {
        /// The file that could not be read.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// A file being downloaded could not be written (see
    /// [`Download::to_file`](crate::Download::to_file)).
    #[error("cannot write `{}`: {source}", .path.display())]
    WriteFile {
        /// The file that could not be written.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// A download could not go on: the server answered a resumed request
    /// with a range other than the one asked for, or the file changed
    /// between two attempts.
    #[error("download failed: {0}")]
    Download(String),
    /// A 2xx response whose `{"data": …}` envelope had no (or a null) `data`.
    #[error("the response has no `data`")]
    MissingData,
    /// A polled job ended in a failed state.
    #[error("the job failed{}", describe_failure(.code.as_deref(), .message.as_deref()))]
    WaitFailed {
        /// The failure code the job reported, if any.
        code: Option<String>,
        /// The failure message the job reported, if any.
        message: Option<String>,
        /// The last state fetched, as JSON.
        last: Value,
    },
    /// A polled job was still running when the wait's timeout passed.
    #[error(
        "gave up waiting after {elapsed:?}{}",
        .last_status.as_deref().map(|s| format!(" (last status: {s})")).unwrap_or_default()
    )]
    WaitTimeout {
        /// How long the wait lasted.
        elapsed: Duration,
        /// The job's last status text, if it had one.
        last_status: Option<String>,
        /// The last state fetched, as JSON.
        last: Value,
    },
}

impl Error {
    /// The HTTP status of the response behind this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::LegacyApi(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::BodyInterrupted { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the API answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the API answered 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// Whether the request timed out (a [`Error::Timeout`], or a transport
    /// error that reqwest classifies as a timeout).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout => true,
            Error::Transport(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// Whether retrying the same request might succeed: connection errors
    /// (a body cut off by the connection included), timeouts, 408, 429, 5xx, and 409 `request_in_progress`.
    ///
    /// This ignores the HTTP method; the client's automatic retries also
    /// check that repeating the request is safe (see [`RetryPolicy`](crate::runtime::RetryPolicy)).
    pub fn is_retryable(&self) -> bool {
        crate::runtime::retry::is_retryable(self)
    }

    /// The machine-readable error code (`"not_found"`, `"400569"`, …), if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.code.as_deref(),
            Error::LegacyApi(e) => Some(&e.code),
            Error::WaitFailed { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The human-readable message the API or the polled job gave, if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.message.as_deref(),
            Error::LegacyApi(e) => e.message.as_deref(),
            Error::WaitFailed { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// The `X-Request-Id` of the failed response, worth quoting to support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::LegacyApi(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The headers of the error response, if the API answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::LegacyApi(e) => Some(&e.headers),
            _ => None,
        }
    }

    /// The delay the server asked for in a `Retry-After` header, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            Error::LegacyApi(e) => e.retry_after,
            _ => None,
        }
    }

    /// A failure while reading a response body: a timeout stays one, anything
    /// else becomes [`Error::BodyInterrupted`], saying why in plain words.
    pub(crate) fn from_body(error: reqwest::Error, status: u16, received: u64, expected: Option<u64>) -> Self {
        if error.is_timeout() {
            return Error::Timeout;
        }
        Error::BodyInterrupted {
            status,
            received,
            expected,
            reason: interruption_reason(&error, received, expected),
            source: error,
        }
    }

    /// Maps a reqwest error, turning its timeouts into [`Error::Timeout`] so
    /// callers see one kind of timeout whichever layer noticed it.
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Error::Timeout
        } else {
            Error::Transport(error)
        }
    }
}

/// Why a body read failed, from the I/O error at the bottom of the chain.
fn interruption_reason(error: &reqwest::Error, received: u64, expected: Option<u64>) -> String {
    use std::io::ErrorKind;
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return match io.kind() {
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
                    "the connection was reset".to_owned()
                }
                ErrorKind::UnexpectedEof => "the connection closed early".to_owned(),
                _ => format!("the connection failed ({io})"),
            };
        }
        source = cause.source();
    }
    if expected.is_some_and(|expected| received < expected) {
        "the connection closed early".to_owned()
    } else {
        format!("the connection failed ({error})")
    }
}

fn describe_failure(code: Option<&str>, message: Option<&str>) -> String {
    match (code, message) {
        (Some(c), Some(m)) => format!(" ({c}): {m}"),
        (Some(c), None) => format!(" ({c})"),
        (None, Some(m)) => format!(": {m}"),
        (None, None) => String::new(),
    }
}

/// A non-2xx response in the v3 shape `{"error": {"code", "message", "param", "doc_url"}}`,
/// or in no recognised shape at all (then only `status` and `body` are set).
///
/// Its `Debug` output shows at most [`DEBUG_BODY_LEN`] bytes of the body,
/// and the body's length.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// Machine-readable error code, e.g. `"not_found"`.
    pub code: Option<String>,
    /// Human-readable message.
    pub message: Option<String>,
    /// The request field that caused the error, if the API said.
    pub param: Option<String>,
    /// A link to documentation about this error.
    pub doc_url: Option<String>,
    /// The response's `X-Request-Id` header.
    pub request_id: Option<String>,
    /// The delay asked for by a `Retry-After` header.
    pub retry_after: Option<Duration>,
    /// The raw response body (lossily decoded as UTF-8).
    pub body: String,
    /// All the response's headers (a mock server's diagnostics, rate-limit
    /// counters, …).
    pub headers: HeaderMap,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HeyGen API error (HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, ", {code}")?;
        }
        f.write_str(")")?;
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            // Without a message, a glimpse of the body (an HTML error page, say)
            // is the only clue there is.
            None if !self.body.trim().is_empty() => {
                write!(f, ": {}", snippet(self.body.trim(), 200))?
            }
            None => {}
        }
        write_request_id(f, self.request_id.as_deref())
    }
}

/// A non-2xx response in a legacy shape: v1 `{"code": 400569, "message": "…"}`
/// or v2 `{"data": null, "error": {"code": "…", "message": "…"}}`.
///
/// Its `Debug` output shows at most [`DEBUG_BODY_LEN`] bytes of the body,
/// and the body's length.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct LegacyApiError {
    /// The HTTP status code.
    pub status: u16,
    /// The error code; v1 numeric codes are given in decimal, e.g. `"400569"`.
    pub code: String,
    /// Human-readable message (`message`, or the older `msg`).
    pub message: Option<String>,
    /// The response's `X-Request-Id` header.
    pub request_id: Option<String>,
    /// The delay asked for by a `Retry-After` header.
    pub retry_after: Option<Duration>,
    /// The raw response body.
    pub body: String,
    /// All the response's headers.
    pub headers: HeaderMap,
}

impl fmt::Display for LegacyApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HeyGen API error (HTTP {}, {})", self.status, self.code)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        write_request_id(f, self.request_id.as_deref())
    }
}

/// The most bytes of an error body that the `Debug` output of [`ApiError`]
/// and [`LegacyApiError`] shows (the whole body stays in their `body` field).
pub const DEBUG_BODY_LEN: usize = 4096;

/// Shows the start of a body and its length, never the whole of a large one.
struct BodyPreview<'a>(&'a str);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = snippet(self.0, DEBUG_BODY_LEN);
        if shown.len() == self.0.len() {
            fmt::Debug::fmt(self.0, f)
        } else {
            write!(f, "{shown:?}… ({} bytes in all)", self.0.len())
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("param", &self.param)
            .field("doc_url", &self.doc_url)
            .field("request_id", &self.request_id)
            .field("retry_after", &self.retry_after)
            .field("body", &BodyPreview(&self.body))
            .field("headers", &self.headers)
            .finish()
    }
}

impl fmt::Debug for LegacyApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("retry_after", &self.retry_after)
            .field("body", &BodyPreview(&self.body))
            .field("headers", &self.headers)
            .finish()
    }
}

fn write_request_id(f: &mut fmt::Formatter<'_>, request_id: Option<&str>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " [request id: {id}]"),
        None => Ok(()),
    }
}

/// A 2xx response body that did not match the expected type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot decode the HTTP {status} response at `{path}`: {message}")]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status code.
    pub status: u16,
    /// Where in the body decoding failed, e.g. `data.items[2].status`
    /// (`.` for the whole body).
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The start of the body (at most [`DecodeError::SNIPPET_LEN`] bytes).
    pub snippet: String,
}

impl DecodeError {
    /// The most bytes of the body kept in [`DecodeError::snippet`].
    pub const SNIPPET_LEN: usize = 512;

    pub(crate) fn new(status: u16, path: String, message: String, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        DecodeError {
            status,
            path,
            message,
            snippet: snippet(&text, Self::SNIPPET_LEN).to_owned(),
        }
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
pub(crate) fn snippet(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// How the spec says a given error status is encoded.
///
/// | shape | body |
/// | --- | --- |
/// | v3 [`Standard`](Self::Standard), decoded as [`Error::Api`] | `{"error": {"code": "not_found", "message": "…", "param": null, "doc_url": null}}` |
/// | v1 [`LegacyFlat`](Self::LegacyFlat), decoded as [`Error::LegacyApi`] | `{"code": 400569, "message": "…"}` |
/// | v2 [`LegacyEnvelope`](Self::LegacyEnvelope), decoded as [`Error::LegacyApi`] | `{"data": null, "error": {"code": "internal_error", "message": "…"}}` |
///
/// A response is decoded by the shape declared for its status, falling back
/// to the others (and finally to the raw text) when the body does not fit.
/// Statuses the spec does not declare try [`Standard`](Self::Standard), then
/// the legacy shapes, then raw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorShape {
    /// v3: `{"error": {"code", "message", "param", "doc_url"}}`.
    Standard,
    /// v1: `{"code": 400569, "message": "…"}`.
    LegacyFlat,
    /// v2: `{"data": null, "error": {"code", "message"}}`.
    LegacyEnvelope,
    /// Either legacy shape.
    Legacy,
}

/// Facts about an error response that do not come from its body.
pub(crate) struct ErrorMeta {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
}

/// What the body said, before it is combined with [`ErrorMeta`].
enum Parsed {
    Standard {
        code: Option<String>,
        message: Option<String>,
        param: Option<String>,
        doc_url: Option<String>,
    },
    Legacy {
        code: String,
        message: Option<String>,
    },
}

/// One way of reading an error body; `Strict` variants demand the features
/// that tell the shapes apart, the others are for a shape the spec declared.
#[derive(Clone, Copy)]
enum Reader {
    StandardStrict,
    StandardLenient,
    EnvelopeStrict,
    EnvelopeLenient,
    Flat,
}

/// The order in which readers are tried when nothing is declared.
const UNDECLARED: [Reader; 4] = [
    Reader::StandardStrict,
    Reader::EnvelopeStrict,
    Reader::Flat,
    Reader::StandardLenient,
];

/// Turns an error response into an [`Error`]; never fails, whatever the body.
pub(crate) fn decode_error(meta: ErrorMeta, body: &[u8], declared: Option<ErrorShape>) -> Error {
    let raw = String::from_utf8_lossy(body).into_owned();
    let parsed = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|value| match value {
            Value::Object(map) => parse(&map, declared),
            _ => None,
        });
    match parsed {
        Some(Parsed::Legacy { code, message }) => Error::LegacyApi(Box::new(LegacyApiError {
            status: meta.status,
            code,
            message,
            request_id: meta.request_id,
            retry_after: meta.retry_after,
            body: raw,
            headers: meta.headers,
        })),
        Some(Parsed::Standard {
            code,
            message,
            param,
            doc_url,
        }) => Error::Api(Box::new(ApiError {
            status: meta.status,
            code,
            message,
            param,
            doc_url,
            request_id: meta.request_id,
            retry_after: meta.retry_after,
            body: raw,
            headers: meta.headers,
        })),
        None => Error::Api(Box::new(ApiError {
            status: meta.status,
            code: None,
            message: None,
            param: None,
            doc_url: None,
            request_id: meta.request_id,
            retry_after: meta.retry_after,
            body: raw,
            headers: meta.headers,
        })),
    }
}

fn parse(body: &Map<String, Value>, declared: Option<ErrorShape>) -> Option<Parsed> {
    let first: &[Reader] = match declared {
        None => &[],
        Some(ErrorShape::Standard) => &[Reader::StandardLenient],
        Some(ErrorShape::LegacyFlat) => &[Reader::Flat],
        Some(ErrorShape::LegacyEnvelope) => &[Reader::EnvelopeLenient],
        Some(ErrorShape::Legacy) => &[Reader::EnvelopeLenient, Reader::Flat],
    };
    first
        .iter()
        .chain(UNDECLARED.iter())
        .find_map(|reader| read(*reader, body))
}

fn read(reader: Reader, body: &Map<String, Value>) -> Option<Parsed> {
    // The v2 envelope differs from v3 only by its `data` key, so the strict
    // readers use that key to tell them apart.
    let has_data = body.contains_key("data");
    match reader {
        Reader::StandardStrict if has_data => None,
        Reader::StandardStrict | Reader::StandardLenient => read_standard(body),
        Reader::EnvelopeStrict if !has_data => None,
        Reader::EnvelopeStrict | Reader::EnvelopeLenient => read_envelope(body),
        Reader::Flat => read_flat(body),
    }
}

fn read_standard(body: &Map<String, Value>) -> Option<Parsed> {
    match body.get("error")? {
        Value::Object(error) => {
            let code = string_field(error, "code");
            let message = string_field(error, "message");
            if code.is_none() && message.is_none() {
                return None;
            }
            Some(Parsed::Standard {
                code,
                message,
                param: string_field(error, "param"),
                doc_url: string_field(error, "doc_url"),
            })
        }
        // `{"error": "…"}`: a bare message.
        Value::String(message) => Some(Parsed::Standard {
            code: None,
            message: Some(message.clone()),
            param: None,
            doc_url: None,
        }),
        _ => None,
    }
}

fn read_envelope(body: &Map<String, Value>) -> Option<Parsed> {
    let error = body.get("error")?.as_object()?;
    Some(Parsed::Legacy {
        code: code_field(error)?,
        message: message_field(error),
    })
}

fn read_flat(body: &Map<String, Value>) -> Option<Parsed> {
    Some(Parsed::Legacy {
        code: code_field(body)?,
        message: message_field(body).or_else(|| string_field(body, "error")),
    })
}

fn string_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)?.as_str().map(str::to_owned)
}

/// A `code` given as a string or (v1) as an integer.
fn code_field(map: &Map<String, Value>) -> Option<String> {
    match map.get("code")? {
        Value::String(code) => Some(code.clone()),
        Value::Number(code) => Some(code.to_string()),
        _ => None,
    }
}

/// `message`, or the deprecated `msg` older endpoints still fill in.
fn message_field(map: &Map<String, Value>) -> Option<String> {
    string_field(map, "message").or_else(|| string_field(map, "msg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(message: Option<&str>, body: &str) -> ApiError {
        ApiError {
            status: 502,
            code: None,
            message: message.map(str::to_owned),
            param: None,
            doc_url: None,
            request_id: None,
            retry_after: None,
            body: body.to_owned(),
            headers: HeaderMap::new(),
        }
    }

    #[test]
    fn an_api_error_without_a_message_shows_the_body_if_there_is_one() {
        assert_eq!(api_error(None, " \n").to_string(), "HeyGen API error (HTTP 502)");
        assert_eq!(
            api_error(None, "<html>Bad gateway</html>\n").to_string(),
            "HeyGen API error (HTTP 502): <html>Bad gateway</html>"
        );
        assert_eq!(
            api_error(Some("upstream down"), "<html/>").to_string(),
            "HeyGen API error (HTTP 502): upstream down"
        );
    }

    fn undeclared(body: &str) -> Error {
        decode_error(ErrorMeta::new(400, HeaderMap::new()), body.as_bytes(), None)
    }

    #[test]
    fn error_bodies_of_every_shape_are_read() {
        let error = undeclared(r#"{"error": "bare message"}"#);
        assert!(matches!(error, Error::Api(_)), "{error:?}");
        assert_eq!((error.code(), error.message()), (None, Some("bare message")));

        let error = undeclared(r#"{"error": {"code": "only_code"}}"#);
        assert_eq!((error.code(), error.message()), (Some("only_code"), None));

        let error = undeclared(r#"{"error": {"message": "only message"}}"#);
        assert_eq!((error.code(), error.message()), (None, Some("only message")));

        let error = undeclared(r#"{"data": null, "error": {"code": "v2_code", "message": "m"}}"#);
        assert!(matches!(error, Error::LegacyApi(_)), "{error:?}");
        assert_eq!(error.code(), Some("v2_code"));

        let error = undeclared(r#"{"error": {"param": "x"}}"#);
        assert_eq!((error.code(), error.message()), (None, None));
    }

    #[test]
    fn a_snippet_never_splits_a_character_nor_passes_its_limit() {
        assert_eq!(snippet("héllo", 2), "h");
        assert_eq!(snippet("héllo", 3), "hé");
        assert_eq!(snippet("hello", 10), "hello");
        assert_eq!(snippet("€€", 4), "€");
    }

    #[test]
    fn a_failed_job_says_what_it_reported() {
        let failed = |code: Option<&str>, message: Option<&str>| Error::WaitFailed {
            code: code.map(str::to_owned),
            message: message.map(str::to_owned),
            last: Value::Null,
        };
        let error = failed(Some("render_error"), Some("bad frame"));
        assert_eq!(error.to_string(), "the job failed (render_error): bad frame");
        assert_eq!((error.code(), error.message()), (Some("render_error"), Some("bad frame")));
        assert_eq!(failed(Some("render_error"), None).to_string(), "the job failed (render_error)");
        assert_eq!(failed(None, Some("bad frame")).to_string(), "the job failed: bad frame");
        assert_eq!(failed(None, None).to_string(), "the job failed");
    }
}
