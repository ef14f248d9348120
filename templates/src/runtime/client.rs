//! The client: configuration, authentication and per-call overrides.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{redirect, Url};

use super::error::{Error, Result};
use super::retry::RetryPolicy;

/// The API's address unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.heygen.com";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_UPLOAD_TIMEOUT: Duration = Duration::from_secs(300);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_USER_AGENT: &str = concat!("heygen-rust/", env!("CARGO_PKG_VERSION"));
const MAX_REDIRECTS: usize = 10;
/// 64 MiB: far above any JSON the API returns, low enough that a runaway
/// body cannot exhaust memory.
const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;

/// A HeyGen API client.
///
/// Cheap to clone: clones share one connection pool and configuration.
///
/// # Credentials go only to the API
///
/// The API key (or bearer token) and the
/// [default headers](ClientBuilder::default_header) are attached only to
/// requests for the base URL's origin: the same scheme, host (compared
/// case-insensitively) and port (an omitted port is the scheme's default, so
/// `https://api.heygen.com` and `https://api.heygen.com:443` are one
/// origin). A [`Request`](crate::Request) for an absolute URL elsewhere (a
/// finished video's `video_url`, say) is sent without them, and so are its
/// retries. A redirect from the API to another origin is not followed (see
/// [`ClientBuilder::http_client`] for a reqwest client of your own).
///
/// ```no_run
/// use std::time::Duration;
/// use heygen::Client;
///
/// # fn main() -> heygen::Result<()> {
/// // From HEYGEN_API_KEY (and optionally HEYGEN_BASE_URL):
/// let client = Client::from_env()?;
///
/// // Or configured by hand:
/// let client = Client::builder()
///     .api_key("your-key")
///     .timeout(Duration::from_secs(30))
///     .max_retries(4)
///     .build()?;
///
/// // A clone whose requests may take longer:
/// let patient = client.with_timeout(Duration::from_secs(600));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    /// Set by [`Client::with_timeout`]; wins over both configured timeouts.
    pub(crate) timeout_override: Option<Duration>,
    /// Set by [`Client::with_retry_policy`].
    pub(crate) retry_override: Option<Arc<RetryPolicy>>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Without a trailing slash.
    pub(crate) base_url: String,
    /// `base_url` parsed: only requests for its origin get the credentials
    /// and the default headers.
    pub(crate) origin: Url,
    pub(crate) auth: Auth,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Option<Duration>,
    pub(crate) upload_timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    /// The largest response body read into memory, in bytes.
    pub(crate) max_response_size: u64,
    /// Sent on every request for the API's origin that does not set the
    /// same header itself.
    pub(crate) default_headers: HeaderMap,
}

/// How requests authenticate; the header value is marked sensitive so that
/// reqwest and hyper never print it.
pub(crate) enum Auth {
    ApiKey(HeaderValue),
    Bearer(HeaderValue),
}

impl Auth {
    pub(crate) fn header(&self) -> (&'static str, &HeaderValue) {
        match self {
            Auth::ApiKey(value) => ("x-api-key", value),
            Auth::Bearer(value) => ("authorization", value),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Auth::ApiKey(_) => "api key (redacted)",
            Auth::Bearer(_) => "bearer token (redacted)",
        }
    }
}

impl Client {
    /// A client with default settings that authenticates with `api_key`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the key is empty or not a valid header value.
    pub fn new(api_key: impl Into<String>) -> Result<Client> {
        Client::builder().api_key(api_key).build()
    }

    /// A client configured from the environment: `HEYGEN_API_KEY` (required)
    /// and `HEYGEN_BASE_URL` (optional, default [`DEFAULT_BASE_URL`]).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if `HEYGEN_API_KEY` is unset or empty, or either
    /// variable is invalid.
    pub fn from_env() -> Result<Client> {
        let api_key = std::env::var("HEYGEN_API_KEY")
            .ok()
            .filter(|key| !key.trim().is_empty())
            .ok_or_else(|| Error::Config("HEYGEN_API_KEY is not set".to_owned()))?;
        let mut builder = Client::builder().api_key(api_key);
        if let Some(base_url) = std::env::var("HEYGEN_BASE_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
        {
            builder = builder.base_url(base_url);
        }
        builder.build()
    }

    /// A builder to configure a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A clone of this client whose requests (uploads included) time out
    /// after `timeout`.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client {
            timeout_override: Some(timeout),
            ..self.clone()
        }
    }

    /// A clone of this client that retries by `policy`.
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        Client {
            retry_override: Some(Arc::new(policy)),
            ..self.clone()
        }
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.retry_override.as_deref().unwrap_or(&self.inner.retry)
    }

    /// The timeout for a request: the override, else the upload or read one.
    pub(crate) fn timeout_for(&self, upload: bool) -> Option<Duration> {
        match self.timeout_override {
            Some(timeout) => Some(timeout),
            None if upload => self.inner.upload_timeout,
            None => self.inner.timeout,
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth.kind())
            .field("timeout", &self.timeout_for(false))
            .field("upload_timeout", &self.timeout_for(true))
            .field("retry_policy", self.retry_policy())
            .field("max_response_size", &self.inner.max_response_size)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]; start with [`Client::builder`].
///
/// Defaults: base URL [`DEFAULT_BASE_URL`], 60 s timeout, 300 s for
/// uploads, 30 s to connect, [`RetryPolicy::default`], responses of at most
/// 64 MiB.
#[derive(Clone)]
pub struct ClientBuilder {
    auth: Option<Credential>,
    base_url: String,
    timeout: Option<Duration>,
    upload_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_size: u64,
    user_agent: String,
    http_client: Option<reqwest::Client>,
    default_headers: Vec<(String, String)>,
}

/// A secret as given to the builder; never printed.
#[derive(Clone)]
enum Credential {
    ApiKey(String),
    Bearer(String),
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            auth: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Some(DEFAULT_TIMEOUT),
            upload_timeout: Some(DEFAULT_UPLOAD_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            retry: RetryPolicy::default(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            http_client: None,
            default_headers: Vec::new(),
        }
    }
}

impl ClientBuilder {
    /// Authenticates with an API key, sent as `x-api-key`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.auth = Some(Credential::ApiKey(api_key.into()));
        self
    }

    /// Authenticates with an OAuth bearer token, sent as
    /// `Authorization: Bearer …`, instead of an API key.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Some(Credential::Bearer(token.into()));
        self
    }

    /// Sends requests to another base URL (a proxy, a mock server). Paths
    /// are appended to it, so a base with a path prefix works.
    ///
    /// The credentials and default headers go to this URL's origin (scheme,
    /// host and port) only; any path under that origin gets them.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// How long a request may take, from sending it to reading the whole
    /// response; each retry gets the full time again. Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The timeout for requests that upload files. Default 300 s.
    pub fn upload_timeout(mut self, timeout: Duration) -> Self {
        self.upload_timeout = Some(timeout);
        self
    }

    /// How long opening a connection may take. Default 30 s. Ignored with
    /// [`http_client`](Self::http_client), whose own setting applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Turns off all three timeouts: requests wait as long as the server
    /// takes. Useful when an outer deadline governs, and in tests that pause
    /// tokio's clock (where a pending timeout fires as soon as the runtime
    /// waits for the network).
    pub fn disable_timeouts(mut self) -> Self {
        self.timeout = None;
        self.upload_timeout = None;
        self.connect_timeout = None;
        self
    }

    /// Sets the whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets how many times a failed request is retried (0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// The largest response body, in bytes, that a call reads into memory
    /// (default 64 MiB). The body is read as it arrives and reading stops
    /// once it passes the limit (or at once, when `Content-Length` announces
    /// more): the call fails with [`Error::ResponseTooLarge`]. Error bodies
    /// count too. [`Client::download`] streams and has no such limit.
    ///
    /// ```
    /// let client = heygen::Client::builder()
    ///     .api_key("your-key")
    ///     .max_response_size(8 * 1024 * 1024)
    ///     .build()?;
    /// # Ok::<(), heygen::Error>(())
    /// ```
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Sets the `User-Agent` header (default `heygen-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends a header on every request to the API (a proxy's routing
    /// header, a mock server's `Prefer: code=404`, …). Setting the same name
    /// again replaces the value. A header the operation sets itself (an
    /// `Idempotency-Key` given in its parameters, say) wins, and the
    /// authentication and `User-Agent` headers cannot be changed this way.
    ///
    /// Like the credentials, default headers are sent only to the base URL's
    /// origin, never with a [`Request`](crate::Request) for an absolute URL
    /// on another host: any of them may be a secret (an `x-api-key` or
    /// `Authorization` set here included).
    ///
    /// ```
    /// let client = heygen::Client::builder()
    ///     .api_key("your-key")
    ///     .default_header("Prefer", "code=404")
    ///     .build()?;
    /// # Ok::<(), heygen::Error>(())
    /// ```
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.default_headers
            .retain(|(existing, _)| !existing.eq_ignore_ascii_case(&name));
        self.default_headers.push((name, value.into()));
        self
    }

    /// Uses this reqwest client (its proxy, TLS, pool and redirect settings)
    /// instead of building one. Its redirect policy then applies: reqwest's
    /// default one follows a redirect from the API to another host and
    /// forwards the `x-api-key` header (and the default headers) with it;
    /// the client's own policy stops at a redirect to another origin.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if no API key or token was given, a value cannot be
    /// sent in a header, or the base URL is not an absolute http(s) URL.
    pub fn build(self) -> Result<Client> {
        let auth = auth_header(self.auth.as_ref())?;
        let default_headers = header_map(&self.default_headers)?;
        let (base_url, origin) = check_base_url(&self.base_url)?;
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Config("the user agent is not a valid header value".to_owned()))?;
        let http = match self.http_client {
            Some(client) => client,
            None => build_http_client(self.connect_timeout)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                origin,
                auth,
                user_agent,
                timeout: self.timeout,
                upload_timeout: self.upload_timeout,
                retry: self.retry,
                max_response_size: self.max_response_size,
                default_headers,
            }),
            timeout_override: None,
            retry_override: None,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.auth {
            Some(Credential::ApiKey(_)) => "api key (redacted)",
            Some(Credential::Bearer(_)) => "bearer token (redacted)",
            None => "none",
        };
        f.debug_struct("ClientBuilder")
            .field("auth", &auth)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("upload_timeout", &self.upload_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http_client.is_some())
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

fn auth_header(credential: Option<&Credential>) -> Result<Auth> {
    let missing = || {
        Error::Config(
            "no API key: call ClientBuilder::api_key (or bearer_token), or set HEYGEN_API_KEY"
                .to_owned(),
        )
    };
    let (secret, auth): (String, fn(HeaderValue) -> Auth) = match credential.ok_or_else(missing)? {
        Credential::ApiKey(key) => (key.trim().to_owned(), Auth::ApiKey),
        Credential::Bearer(token) => (format!("Bearer {}", token.trim()), Auth::Bearer),
    };
    if secret.is_empty() || secret == "Bearer " {
        return Err(missing());
    }
    // The message must not quote the secret.
    let mut value = HeaderValue::from_str(&secret).map_err(|_| {
        Error::Config("the API key or token contains characters not allowed in a header".to_owned())
    })?;
    value.set_sensitive(true);
    Ok(auth(value))
}

fn header_map(headers: &[(String, String)]) -> Result<HeaderMap> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
        // The message must not quote the value: it may be a secret.
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::Config(format!(
                "the value of header `{name}` is not a valid header value"
            ))
        })?;
        map.insert(name, value);
    }
    Ok(map)
}

fn check_base_url(base_url: &str) -> Result<(String, Url)> {
    let parsed = reqwest::Url::parse(base_url.trim())
        .map_err(|e| Error::Config(format!("invalid base URL `{base_url}`: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(Error::Config(format!(
            "invalid base URL `{base_url}`: expected an http(s) URL"
        )));
    }
    Ok((base_url.trim().trim_end_matches('/').to_owned(), parsed))
}

/// Whether two URLs have the same origin: scheme, host and port, an omitted
/// port being the scheme's default. [`Url`] has already lower-cased the
/// scheme and a domain and normalised an IP address, but the comparison
/// ignores ASCII case anyway. A URL without a host has no origin to share.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    let (Some(host_a), Some(host_b)) = (a.host_str(), b.host_str()) else {
        return false;
    };
    a.scheme().eq_ignore_ascii_case(b.scheme())
        && host_a.eq_ignore_ascii_case(host_b)
        && a.port_or_known_default() == b.port_or_known_default()
}

fn build_http_client(connect_timeout: Option<Duration>) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder().redirect(same_origin_redirects());
    if let Some(timeout) = connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    builder
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// Follows redirects only within the origin of the first URL (see
/// [`same_origin`]): reqwest strips `Authorization` on a cross-origin
/// redirect, but not `x-api-key` nor the default headers, which would leak
/// to the other host. A cross-origin redirect is returned as is (and
/// surfaces as an [`Error::Api`] with its 3xx status).
fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| same_origin(first, attempt.url()));
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        let (a, b) = (Url::parse(a).unwrap(), Url::parse(b).unwrap());
        // Symmetric, whichever is the base.
        assert_eq!(same_origin(&a, &b), same_origin(&b, &a), "{a} vs {b}");
        same_origin(&a, &b)
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        // Paths, queries, fragments and user info do not matter.
        assert!(same("https://api.heygen.com", "https://api.heygen.com/v3/videos?x=1#f"));
        assert!(same("https://api.heygen.com/prefix", "https://u:p@api.heygen.com/other"));
        // Default ports.
        assert!(same("https://api.heygen.com", "https://api.heygen.com:443/v1"));
        assert!(same("http://api.heygen.com:80", "http://api.heygen.com/v1"));
        // Case.
        assert!(same("https://api.heygen.com", "HTTPS://API.HeyGen.COM/v1"));
        // Another scheme, port or host.
        assert!(!same("https://api.heygen.com", "http://api.heygen.com"));
        assert!(!same("https://api.heygen.com", "http://api.heygen.com:443"));
        assert!(!same("https://api.heygen.com", "https://api.heygen.com:8443"));
        assert!(!same("http://127.0.0.1:8080", "http://127.0.0.1:8081"));
        assert!(!same("https://api.heygen.com", "https://files.heygen.ai/video.mp4"));
        assert!(!same("https://api.heygen.com", "https://api.heygen.com.evil.example"));
        assert!(!same("https://api.heygen.com", "https://heygen.com"));
        assert!(!same("http://localhost:8080", "http://127.0.0.1:8080"));
        // IP addresses, IPv6 literals included, compare normalised.
        assert!(same("http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]:8080/x"));
        assert!(same("http://[::1]", "http://[::1]:80"));
        assert!(!same("http://[::1]:8080", "http://[::2]:8080"));
        assert!(!same("http://[::1]:8080", "http://127.0.0.1:8080"));
        assert!(same("http://127.0.0.1", "http://2130706433/"));
        // No host, no shared origin.
        assert!(!same("file:///tmp/a", "file:///tmp/a"));
    }
}
