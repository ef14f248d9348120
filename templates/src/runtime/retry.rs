//! When and how long to wait before a request is tried again.

use std::time::{Duration, SystemTime};

use reqwest::Method;

use super::error::Error;

/// How the client retries failed requests.
///
/// Retried: connection errors (a response body cut off by the connection
/// included), timeouts, 408, 429, 5xx, and 409 whose error code is
/// `request_in_progress`: HeyGen answers it to a request whose
/// `Idempotency-Key` belongs to an earlier request that is still running
/// (once that one ends, the key replays its response for 24 hours), so the
/// retry waits for it. Any other 409 is final. A `Retry-After` header (seconds or an
/// HTTP date) replaces the exponential backoff, capped at
/// [`max_retry_after`](Self::max_retry_after).
///
/// GET, HEAD, PUT, DELETE and OPTIONS are retried freely. POST and PATCH are
/// retried only when they carry an `Idempotency-Key` header, on 429 (the
/// server refused before doing any work), or when the connection could not
/// even be opened (nothing was sent). Requests whose body is a one-shot
/// stream (see [`FileUpload::from_stream`](crate::runtime::FileUpload::from_stream))
/// are never retried.
///
/// ```
/// use std::time::Duration;
/// use heygen::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(4)
///     .initial_backoff(Duration::from_millis(250));
/// assert_eq!(policy.max_retries, 4);
/// assert_eq!(RetryPolicy::none().max_retries, 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2); 0 disables retrying.
    pub max_retries: u32,
    /// The backoff before the first retry (default 0.5 s); it doubles each
    /// retry, with random jitter of up to half its value taken off.
    pub initial_backoff: Duration,
    /// The longest backoff (default 8 s).
    pub max_backoff: Duration,
    /// The longest wait a `Retry-After` header can impose (default 60 s);
    /// longer requests are shortened to this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// Sets [`max_retries`](Self::max_retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets [`max_backoff`](Self::max_backoff).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets [`max_retry_after`](Self::max_retry_after).
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// How long to wait before retry number `retry` (1 for the first retry):
    /// the server's `Retry-After` if it gave one, else the jittered backoff.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(wait) => wait.min(self.max_retry_after),
            None => jitter(self.backoff(retry)),
        }
    }

    /// `initial_backoff * 2^(retry - 1)`, capped at `max_backoff`.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// "Equal jitter": somewhere in `[base / 2, base]`, so concurrent clients
/// spread out without any of them retrying almost at once.
fn jitter(base: Duration) -> Duration {
    base.mul_f64(0.5 + 0.5 * fastrand::f64())
}

/// Whether the failure is of a kind that may go away when retried, ignoring
/// whether repeating the request is safe (see [`safe_to_repeat`]).
pub(crate) fn is_retryable(error: &Error) -> bool {
    match error {
        Error::Timeout | Error::BodyInterrupted { .. } => true,
        Error::Transport(e) => !(e.is_builder() || e.is_redirect() || e.is_decode()),
        Error::Api(_) | Error::LegacyApi(_) => {
            let status = error.status().unwrap_or_default();
            matches!(status, 408 | 429 | 500..=599)
                || (status == 409 && error.code() == Some("request_in_progress"))
        }
        _ => false,
    }
}

/// Whether sending the request again cannot do the work twice.
pub(crate) fn safe_to_repeat(method: &Method, has_idempotency_key: bool, error: &Error) -> bool {
    let idempotent_method = matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    );
    idempotent_method
        || has_idempotency_key
        // The server refused before doing anything.
        || error.is_rate_limited()
        // The connection never opened, so nothing was sent.
        || matches!(error, Error::Transport(e) if e.is_connect())
}

/// Parses a `Retry-After` value: delay-seconds, or an HTTP date (a date in
/// the past means "now").
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // Not allowed by RFC 9110, but cheap to accept.
    if let Ok(seconds) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(1), Duration::from_millis(500));
        assert_eq!(policy.backoff(2), Duration::from_secs(1));
        assert_eq!(policy.backoff(5), Duration::from_secs(8));
        assert_eq!(policy.backoff(100), Duration::from_secs(8));
    }

    #[test]
    fn jittered_delay_stays_in_range() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            let delay = policy.delay(2, None);
            assert!(delay >= Duration::from_millis(500) && delay <= Duration::from_secs(1));
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(7)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }
}
