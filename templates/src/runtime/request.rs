//! Describing a request, and sending it with retries.

use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use super::client::{same_origin, Client};
use super::error::{decode_error, DecodeError, Error, ErrorMeta, ErrorShape, Result};
use super::options::RequestOptions;
use super::params::param_values;
use super::response::Response;
use super::retry::{is_retryable, parse_retry_after, safe_to_repeat, RetryPolicy};
use super::upload::{FileUpload, Multipart};

const IDEMPOTENCY_KEY: &str = "idempotency-key";
const REQUEST_ID: &str = "x-request-id";

/// One API call: method, path, parameters and body.
///
/// The generated methods build these; build one yourself to reach an
/// endpoint this crate does not cover yet, and send it with
/// [`Client::send_json`] (or [`send_bytes`](Client::send_bytes),
/// [`send_text`](Client::send_text), [`send_empty`](Client::send_empty)).
///
/// Builder methods never fail: a value that cannot be sent (a map as a query
/// parameter, a header value with a newline) is reported as
/// [`Error::InvalidRequest`] when the request is sent.
///
/// ```no_run
/// use heygen::{encode_path_segment, Client, Method, Request};
///
/// # async fn run(client: Client) -> heygen::Result<()> {
/// let id = "v 1/2";
/// let request = Request::new(Method::GET, format!("/v3/videos/{}", encode_path_segment(id)))
///     .query("include", &["captions", "thumbnails"]);
/// let video: serde_json::Value = client.send_json(request).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Body,
    idempotent: bool,
    upload: bool,
    error_shapes: &'static [(u16, ErrorShape)],
    // Per-call options over the client's settings.
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
    // The first builder call that failed; reported on send.
    error: Option<String>,
}

#[derive(Debug)]
enum Body {
    Empty,
    Json(Bytes),
    Multipart(Multipart),
    File(FileUpload),
}

impl Request {
    /// A request for `path`, relative to the client's base URL (path
    /// parameters already substituted, each through
    /// [`encode_path_segment`]). An absolute `http(s)://` URL is used as is,
    /// for endpoints served from another host or to fetch a file the API
    /// links to (a finished video's `video_url`, say).
    ///
    /// The client's API key or bearer token, and its
    /// [default headers](crate::ClientBuilder::default_header), go only to
    /// the base URL's origin (scheme, host and port, see [`Client`]): a
    /// request for an absolute URL on another origin is sent without them,
    /// on every attempt. Headers set with [`header`](Self::header) are sent
    /// wherever the request goes.
    ///
    /// ```no_run
    /// use heygen::{Client, Method, Request};
    ///
    /// # async fn run(client: Client, video_url: &str) -> heygen::Result<()> {
    /// // No `x-api-key` goes to the file server.
    /// let mp4 = client.send_bytes(Request::new(Method::GET, video_url)).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            idempotent: false,
            upload: false,
            error_shapes: &[],
            timeout: None,
            deadline: None,
            retry: None,
            error: None,
        }
    }

    /// Applies per-call options: extra headers and query parameters, the
    /// attempt timeout, the overall deadline and the retry policy.
    pub fn options(mut self, options: RequestOptions) -> Self {
        for (name, value) in &options.headers {
            self = self.header(name, value);
        }
        for (name, value) in &options.query {
            self = self.query(name, value);
        }
        self.timeout = options.timeout.or(self.timeout);
        self.deadline = options.deadline.or(self.deadline);
        self.retry = options.retry.or(self.retry);
        self
    }

    /// Adds a query parameter. Strings are sent unquoted, numbers and
    /// booleans as written, enums by their serde name; `None` adds nothing
    /// and a sequence repeats the parameter once per element.
    pub fn query<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match param_values(name, value) {
            Ok(values) => self
                .query
                .extend(values.into_iter().map(|value| (name.to_owned(), value))),
            Err(message) => self.fail(message),
        }
        self
    }

    /// Adds a header, by the same rules as [`query`](Self::query) (a
    /// sequence adds one header line per element).
    pub fn header<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match param_values(name, value) {
            Ok(values) => self
                .headers
                .extend(values.into_iter().map(|value| (name.to_owned(), value))),
            Err(message) => self.fail(message),
        }
        self
    }

    /// Sends `body` as JSON.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Body::Json(bytes.into()),
            Err(e) => self.fail(format!("the JSON body cannot be serialized: {e}")),
        }
        self
    }

    /// Sends a `multipart/form-data` body, rebuilt for each attempt.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Body::Multipart(form);
        self
    }

    /// Sends a file as the raw body, with its MIME type as `Content-Type`.
    pub fn file_body(mut self, file: FileUpload) -> Self {
        self.body = Body::File(file);
        self
    }

    /// Marks the operation as accepting an `Idempotency-Key` header. Unless
    /// one was set with [`header`](Self::header), a random (UUID v4) key is
    /// generated when the request is sent, and the same key is sent on every
    /// retry, so that POST and PATCH requests can be retried safely.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Marks the request as an upload: it gets the client's upload timeout.
    pub fn upload(mut self) -> Self {
        self.upload = true;
        self
    }

    /// Declares how error bodies are shaped, per status, so each is decoded
    /// into the right [`Error`] variant; see [`ErrorShape`].
    pub fn error_shapes(mut self, shapes: &'static [(u16, ErrorShape)]) -> Self {
        self.error_shapes = shapes;
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path (or absolute URL).
    pub fn path(&self) -> &str {
        &self.path
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    fn declared_shape(&self, status: u16) -> Option<ErrorShape> {
        self.error_shapes
            .iter()
            .find(|(declared, _)| *declared == status)
            .map(|(_, shape)| *shape)
    }

    fn is_replayable(&self) -> bool {
        match &self.body {
            Body::Empty | Body::Json(_) => true,
            Body::Multipart(form) => form.is_replayable(),
            Body::File(file) => file.is_replayable(),
        }
    }
}

/// A path parameter of any type that serializes to one scalar (a named
/// string or number type, a union of scalars), as an encoded path segment.
/// Anything else (a list, an object, `null`) is [`Error::InvalidRequest`].
pub fn path_segment<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String> {
    match param_values(name, value) {
        Ok(values) if values.len() == 1 => Ok(encode_path_segment(&values[0])),
        Ok(_) => Err(Error::InvalidRequest(format!(
            "path parameter `{name}` must be a single value"
        ))),
        Err(message) => Err(Error::InvalidRequest(message)),
    }
}

/// Percent-encodes a value for use as one path segment: everything but
/// ASCII letters, digits and `-._~` is escaped (so `/`, `?`, `#` and spaces
/// cannot change the path's meaning).
///
/// ```
/// assert_eq!(heygen::encode_path_segment("a b/c"), "a%20b%2Fc");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A 2xx response, fully read.
pub(crate) struct RawResponse {
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Client {
    /// Sends the request and decodes the JSON response into `T`. A decoding
    /// failure names the path where it happened (see [`DecodeError`]). An
    /// empty body (a 204, say) reads as `null`, which suits `()` and `Option`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        let response = self.execute(request).await?;
        decode_json(response.status.as_u16(), &response.body)
    }

    /// Like [`send_json`](Self::send_json), with the response's status and headers.
    pub async fn send_json_with_response<T: DeserializeOwned>(&self, request: Request) -> Result<Response<T>> {
        let response = self.execute(request).await?;
        let value = decode_json(response.status.as_u16(), &response.body)?;
        Ok(Response::new(value, response.status, response.headers))
    }

    /// Sends the request and returns the raw response body.
    pub async fn send_bytes(&self, request: Request) -> Result<Bytes> {
        Ok(self.execute(request).await?.body)
    }

    /// Like [`send_bytes`](Self::send_bytes), with the response's status and headers.
    pub async fn send_bytes_with_response(&self, request: Request) -> Result<Response<Bytes>> {
        let response = self.execute(request).await?;
        Ok(Response::new(response.body, response.status, response.headers))
    }

    /// Sends the request and returns the response body as text.
    pub async fn send_text(&self, request: Request) -> Result<String> {
        self.send_text_with_response(request).await.map(Response::into_value)
    }

    /// Like [`send_text`](Self::send_text), with the response's status and headers.
    pub async fn send_text_with_response(&self, request: Request) -> Result<Response<String>> {
        let response = self.execute(request).await?;
        let text = decode_text(response.status.as_u16(), response.body)?;
        Ok(Response::new(text, response.status, response.headers))
    }

    /// Sends the request and ignores the response body.
    pub async fn send_empty(&self, request: Request) -> Result<()> {
        self.execute(request).await.map(drop)
    }

    /// Like [`send_empty`](Self::send_empty), with the response's status and headers.
    pub async fn send_empty_with_response(&self, request: Request) -> Result<Response<()>> {
        let response = self.execute(request).await?;
        Ok(Response::new((), response.status, response.headers))
    }

    /// Calls an endpoint by method and path, with an optional JSON body,
    /// and decodes the JSON response. For query parameters or headers, build
    /// a [`Request`] and use [`send_json`](Self::send_json).
    ///
    /// ```no_run
    /// use heygen::{Client, Method};
    /// use serde_json::{json, Value};
    ///
    /// # async fn run(client: Client) -> heygen::Result<()> {
    /// let quota: Value = client.request_json(Method::GET, "/v2/user/remaining_quota", None::<&()>).await?;
    /// let created: Value = client
    ///     .request_json(Method::POST, "/v2/video/generate", Some(&json!({"title": "Hi"})))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn request_json<T, B>(&self, method: Method, path: &str, body: Option<&B>) -> Result<T>
    where
        T: DeserializeOwned,
        B: Serialize + ?Sized,
    {
        let mut request = Request::new(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send_json(request).await
    }

    /// `GET path`, decoding the JSON response.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.send_json(Request::new(Method::GET, path)).await
    }

    /// Sends the request, retrying by the retry policy, until a 2xx
    /// response or a final error.
    pub(crate) async fn execute(&self, mut request: Request) -> Result<RawResponse> {
        if let Some(message) = request.error.take() {
            return Err(Error::InvalidRequest(message));
        }
        let url = self.url_for(&request.path)?;
        // The credentials go only to the API's origin: decided once, from the
        // URL the request will go to, for every attempt.
        let to_api = same_origin(&url, &self.inner.origin);
        let headers = self.headers_for(&request, to_api)?;
        let has_key = headers.contains_key(IDEMPOTENCY_KEY);
        let span = tracing::debug_span!(
            "heygen.request",
            method = %request.method,
            path = %request.path,
            to_api,
        );
        let attempts = async {
            let policy = request.retry.as_ref().unwrap_or_else(|| self.retry_policy());
            let mut attempt = 1;
            loop {
                let error = match self.attempt(&request, &url, &headers, attempt).await {
                    Ok(response) => return Ok(response),
                    Err(error) => error,
                };
                let retry = attempt <= policy.max_retries
                    && is_retryable(&error)
                    && safe_to_repeat(&request.method, has_key, &error)
                    && request.is_replayable();
                if !retry {
                    return Err(error);
                }
                let delay = policy.delay(attempt, error.retry_after());
                tracing::info!(
                    attempt,
                    status = error.status(),
                    delay_ms = delay.as_millis() as u64,
                    "retrying HeyGen request: {error}"
                );
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
        };
        // The deadline bounds every attempt and every wait together.
        match request.deadline {
            Some(deadline) => tokio::time::timeout(deadline, attempts)
                .instrument(span)
                .await
                .unwrap_or(Err(Error::Timeout)),
            None => attempts.instrument(span).await,
        }
    }

    /// One attempt, bounded by the timeout; non-2xx statuses become errors.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        attempt: u32,
    ) -> Result<RawResponse> {
        let exchange = self.exchange(request, url, headers);
        let result = match request.timeout.or_else(|| self.timeout_for(request.upload)) {
            Some(timeout) => tokio::time::timeout(timeout, exchange)
                .await
                .unwrap_or(Err(Error::Timeout)),
            None => exchange.await,
        };
        match &result {
            Ok(response) => tracing::debug!(attempt, status = response.status.as_u16(), "HeyGen response"),
            Err(error) => tracing::debug!(attempt, status = error.status(), "HeyGen request failed: {error}"),
        }
        result
    }

    /// Sends the request and reads the whole response.
    async fn exchange(&self, request: &Request, url: &Url, headers: &HeaderMap) -> Result<RawResponse> {
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url.clone())
            .headers(headers.clone());
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Json(bytes) => builder
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Multipart(form) => builder.multipart(form.to_form().await?),
            Body::File(file) => {
                let content_type = HeaderValue::from_str(file.content_type())
                    .map_err(|_| file.invalid_mime_type())?;
                let (body, _) = file.to_body().await?;
                builder.header(CONTENT_TYPE, content_type).body(body)
            }
        };
        let mut response = builder.send().await.map_err(Error::from_reqwest)?;
        let status = response.status();
        // Moved out, not cloned: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(response, self.inner.max_response_size).await?;
        if status.is_success() {
            return Ok(RawResponse { status, headers, body });
        }
        let declared = request.declared_shape(status.as_u16());
        Err(decode_error(ErrorMeta::new(status.as_u16(), headers), &body, declared))
    }

    /// Headers sent on every attempt; also fixes the Idempotency-Key once, so
    /// that every retry repeats it. The credentials and the client's default
    /// headers only when the request goes `to_api` (the base URL's origin).
    pub(crate) fn headers_for(&self, request: &Request, to_api: bool) -> Result<HeaderMap> {
        let mut headers = HeaderMap::new();
        if to_api {
            let (auth_name, auth_value) = self.inner.auth.header();
            headers.insert(auth_name, auth_value.clone());
        }
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::InvalidRequest(format!("the value of header `{name}` is not a valid header value"))
            })?;
            headers.append(name, value);
        }
        // The client's default headers, unless the request set the same name.
        // Never to another origin: one may be a credential too.
        if to_api {
            for (name, value) in &self.inner.default_headers {
                if !headers.contains_key(name) {
                    headers.insert(name.clone(), value.clone());
                }
            }
        }
        if request.idempotent && !headers.contains_key(IDEMPOTENCY_KEY) {
            let key = HeaderValue::from_str(&new_idempotency_key())
                .map_err(|_| Error::InvalidRequest("bad idempotency key".to_owned()))?;
            headers.insert(IDEMPOTENCY_KEY, key);
        }
        Ok(headers)
    }

    /// The URL a request goes to, parsed here (and handed to reqwest as is)
    /// so that the origin check sees exactly the URL that is sent.
    pub(crate) fn url_for(&self, path: &str) -> Result<Url> {
        let url = if path.starts_with("https://") || path.starts_with("http://") {
            path.to_owned()
        } else if path.starts_with('/') {
            format!("{}{path}", self.inner.base_url)
        } else {
            format!("{}/{path}", self.inner.base_url)
        };
        Url::parse(&url).map_err(|e| Error::InvalidRequest(format!("`{path}` is not a valid URL: {e}")))
    }
}

/// Decodes a 2xx body. The fast path is plain `serde_json`; only a body that
/// fails is decoded a second time, through `serde_path_to_error`, to name
/// where it went wrong (tracking the path slows every decode down by half).
pub(crate) fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T> {
    let json = if body.iter().all(u8::is_ascii_whitespace) {
        &b"null"[..]
    } else {
        body
    };
    // `from_slice` also rejects trailing garbage after the JSON value.
    match serde_json::from_slice(json) {
        Ok(value) => Ok(value),
        Err(error) => Err(locate_decode_error::<T>(status, body, json, error)),
    }
}

/// A 2xx body as UTF-8 text.
pub(crate) fn decode_text(status: u16, body: Bytes) -> Result<String> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        Error::Decode(Box::new(DecodeError::new(
            status,
            ".".to_owned(),
            format!("the body is not UTF-8: {e}"),
            &body,
        )))
    })
}

/// The [`DecodeError`] of a body that failed to decode into `T`, with the
/// path of the failure.
#[cold]
fn locate_decode_error<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
    json: &[u8],
    first: serde_json::Error,
) -> Error {
    let decode_error =
        |path: String, message: String| Error::Decode(Box::new(DecodeError::new(status, path, message, body)));
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => decode_error(e.path().to_string(), e.into_inner().to_string()),
        // The value itself decodes: what failed is what follows it.
        Ok(_) => match deserializer.end() {
            Err(e) => decode_error(".".to_owned(), e.to_string()),
            Ok(()) => decode_error(".".to_owned(), first.to_string()),
        },
    }
}

/// What an error needs from a response besides its body.
pub(crate) fn error_meta(response: &reqwest::Response) -> ErrorMeta {
    ErrorMeta::new(response.status().as_u16(), response.headers().clone())
}

impl ErrorMeta {
    pub(crate) fn new(status: u16, headers: HeaderMap) -> ErrorMeta {
        ErrorMeta {
            status,
            request_id: header_text(&headers, REQUEST_ID),
            retry_after: header_text(&headers, RETRY_AFTER.as_str())
                .and_then(|value| parse_retry_after(&value, SystemTime::now())),
            headers,
        }
    }
}

/// Reads a whole body as it arrives, stopping once it passes `limit` bytes.
pub(crate) async fn read_body(mut response: reqwest::Response, limit: u64) -> Result<Bytes> {
    let status = response.status().as_u16();
    let expected = response.content_length();
    let too_large = || Error::ResponseTooLarge {
        status,
        limit,
        content_length: expected,
    };
    if expected.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    // One chunk, the usual case for a small body, is kept without a copy.
    let mut first: Option<Bytes> = None;
    let mut body = BytesMut::new();
    loop {
        let received = first.as_ref().map_or(0, Bytes::len) + body.len();
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(error) => return Err(Error::from_body(error, status, received as u64, expected)),
        };
        if (received + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        match first.take() {
            None if body.is_empty() => first = Some(chunk),
            taken => {
                if let Some(taken) = taken {
                    body.reserve(expected.map_or(0, |n| n as usize).max(taken.len() + chunk.len()));
                    body.extend_from_slice(&taken);
                }
                body.extend_from_slice(&chunk);
            }
        }
    }
    Ok(match first {
        Some(only) => only,
        None => body.freeze(),
    })
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// A random UUID (version 4) from the operating system's random source, so
/// that no two keys repeat, whichever process or machine draws them: HeyGen
/// replays the first response to a key for 24 hours, and a repeated key would
/// hand one caller another's result.
fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(encode_path_segment("abc-._~XYZ09"), "abc-._~XYZ09");
        assert_eq!(encode_path_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
    }

    #[test]
    fn a_path_parameter_is_one_encoded_scalar() {
        assert_eq!(path_segment("id", "v 1/2").unwrap(), "v%201%2F2");
        assert_eq!(path_segment("page", &7).unwrap(), "7");
        for unfit in [serde_json::json!(["a", "b"]), serde_json::json!([]), serde_json::Value::Null] {
            match path_segment("id", &unfit) {
                Err(Error::InvalidRequest(message)) => assert!(message.contains("`id`"), "{message}"),
                other => panic!("{unfit}: unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn idempotency_keys_are_uuid_v4() {
        let key = new_idempotency_key();
        assert_eq!(key.len(), 36);
        let parts: Vec<&str> = key.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(key, new_idempotency_key());
    }

    #[test]
    fn decode_errors_name_the_path() {
        #[derive(Debug, serde::Deserialize)]
        struct Item {
            #[allow(dead_code)]
            id: String,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Data {
            #[allow(dead_code)]
            items: Vec<Item>,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Body {
            #[allow(dead_code)]
            data: Data,
        }
        let body = br#"{"data":{"items":[{"id":"a"},{"id":5}]}}"#;
        match decode_json::<Body>(200, body) {
            Err(Error::Decode(e)) => assert_eq!(e.path, "data.items[1].id"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(decode_json::<Body>(200, b"{} x"), Err(Error::Decode(_))));
    }

    #[test]
    fn a_request_tells_its_method_and_path() {
        let request = Request::new(Method::PATCH, "/v3/videos/v%201").query("a", "b");
        assert_eq!(request.method(), Method::PATCH);
        assert_eq!(request.path(), "/v3/videos/v%201");
    }

    #[test]
    fn empty_bodies_read_as_null() {
        decode_json::<()>(204, b"").unwrap();
        assert_eq!(decode_json::<Option<u8>>(200, b" ").unwrap(), None);
        assert!(matches!(decode_json::<u8>(200, b""), Err(Error::Decode(_))));
    }
}
