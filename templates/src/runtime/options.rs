//! Per-call options: what one request may change without touching the client
//! (timeouts, an overall deadline, retries, extra headers and query
//! parameters), and the methods every generated request builder gets for them.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::error::Result;
use super::retry::RetryPolicy;

/// The future a request builder turns into with `.await`: boxed, `Send` and
/// `'static`, so it can be spawned.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'static>>;

/// Options for one call. Every generated request builder has a method per
/// field (`.timeout(..)`, `.deadline(..)`, `.max_retries(..)`,
/// `.header(..)`, `.query(..)`), or takes them all with `.options(..)`.
///
/// ```no_run
/// use std::time::Duration;
///
/// # async fn run(client: heygen::Client) -> heygen::Result<()> {
/// let videos = client
///     .videos()
///     .list_videos()
///     .timeout(Duration::from_secs(5)) // each attempt
///     .deadline(Duration::from_secs(20)) // all attempts and their waits together
///     .max_retries(5)
///     .header("x-trace-id", "abc123")
///     .await?;
/// # let _ = videos;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Timeout of each attempt (the client's timeout otherwise).
    pub timeout: Option<Duration>,
    /// Time allowed for the whole call: every attempt and every wait between
    /// retries. When it passes, the call fails with [`Error::Timeout`](crate::Error::Timeout).
    pub deadline: Option<Duration>,
    /// Retry policy of this call (the client's otherwise).
    pub retry: Option<RetryPolicy>,
    /// Extra headers, sent after the operation's own (a header the
    /// operation also sets is sent twice; use the operation's setter instead).
    pub headers: Vec<(String, String)>,
    /// Extra query parameters, sent after the operation's own.
    pub query: Vec<(String, String)>,
}

impl RequestOptions {
    /// No options: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the time allowed for the whole call, retries included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets the retry policy of this call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets how many times this call is retried (0: never), keeping the rest
    /// of the retry policy in force.
    pub fn max_retries(mut self, max_retries: u32, base: &RetryPolicy) -> Self {
        let policy = self.retry.take().unwrap_or_else(|| base.clone());
        self.retry = Some(policy.max_retries(max_retries));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }
}

/// The per-call option methods of a generated request builder (a struct with
/// `client: Client` and `options: RequestOptions` fields).
// Unused in a build with no operation group enabled.
#[allow(unused_macros)]
macro_rules! call_options {
    ($builder:ident) => {
        impl $builder {
            /// Sets the timeout of each attempt of this call.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options = self.options.timeout(timeout);
                self
            }

            /// Sets the time allowed for the whole call: every attempt and
            /// every wait between retries.
            pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
                self.options = self.options.deadline(deadline);
                self
            }

            /// Sets how many times this call is retried (0: never).
            pub fn max_retries(mut self, max_retries: u32) -> Self {
                self.options = self
                    .options
                    .max_retries(max_retries, self.client.retry_policy());
                self
            }

            /// Sets the retry policy of this call.
            pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
                self.options = self.options.retry_policy(policy);
                self
            }

            /// Adds a header to this call.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options = self.options.header(name, value);
                self
            }

            /// Adds a query parameter to this call.
            pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options = self.options.query(name, value);
                self
            }

            /// Replaces this call's options.
            pub fn options(mut self, options: crate::RequestOptions) -> Self {
                self.options = options;
                self
            }
        }
    };
}
pub(crate) use call_options;
