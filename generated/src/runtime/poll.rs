//! Waiting for long-running jobs (video renders, translations) to finish.

use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use super::error::{Error, Result};

/// Where a long-running job stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollState {
    /// Still queued or processing; unknown statuses count as running.
    Running,
    /// Finished successfully.
    Succeeded,
    /// Finished with an error.
    Failed {
        /// The failure code, if the job reported one.
        code: Option<String>,
        /// The failure message, if the job reported one.
        message: Option<String>,
    },
}

/// A job status that can be polled until it settles. The generated status
/// types implement it; implement it yourself to wait on anything else.
pub trait Pollable {
    /// Where the job stands.
    fn poll_state(&self) -> PollState;

    /// The raw status text (`"processing"`, …), for error reports.
    fn status_text(&self) -> Option<String>;
}

/// How [`wait_until_done`] paces itself.
///
/// The first check is immediate; the interval between checks starts at
/// [`initial_interval`](Self::initial_interval) (default 2 s) and grows by
/// half each time up to [`max_interval`](Self::max_interval) (default 30 s).
/// After [`timeout`](Self::timeout) (default 10 minutes) the wait gives up
/// with [`Error::WaitTimeout`]; the job itself goes on.
///
/// ```
/// use std::time::Duration;
/// use heygen::WaitOptions;
///
/// let options = WaitOptions::default()
///     .timeout(Duration::from_secs(30 * 60))
///     .max_interval(Duration::from_secs(60));
/// assert_eq!(options.initial_interval, Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// The pause after the first check.
    pub initial_interval: Duration,
    /// The longest pause between checks.
    pub max_interval: Duration,
    /// How long to wait in all.
    pub timeout: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            timeout: Duration::from_secs(10 * 60),
        }
    }
}

impl WaitOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`initial_interval`](Self::initial_interval).
    pub fn initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval;
        self
    }

    /// Sets [`max_interval`](Self::max_interval).
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// Sets [`timeout`](Self::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Calls `fetch` until the job it returns has succeeded (returning it) or
/// failed ([`Error::WaitFailed`]), or until `options.timeout` has passed
/// ([`Error::WaitTimeout`] with the last state fetched). The last check
/// happens at the deadline. An error from `fetch` ends the wait at once
/// (the client has already retried what it could).
///
/// ```no_run
/// use heygen::{wait_until_done, Client, Pollable, PollState, WaitOptions};
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Job { status: String }
///
/// impl Pollable for Job {
///     fn poll_state(&self) -> PollState {
///         match self.status.as_str() {
///             "completed" => PollState::Succeeded,
///             "failed" => PollState::Failed { code: None, message: None },
///             _ => PollState::Running,
///         }
///     }
///     fn status_text(&self) -> Option<String> {
///         Some(self.status.clone())
///     }
/// }
///
/// # async fn run(client: Client) -> heygen::Result<()> {
/// let job: Job = wait_until_done(|| client.get_json("/v3/jobs/42"), WaitOptions::default()).await?;
/// # Ok(())
/// # }
/// ```
pub async fn wait_until_done<T, F, Fut>(mut fetch: F, options: WaitOptions) -> Result<T>
where
    T: Pollable + Serialize,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let start = Instant::now();
    let mut interval = options.initial_interval;
    loop {
        let job = fetch().await?;
        match job.poll_state() {
            PollState::Succeeded => return Ok(job),
            PollState::Failed { code, message } => {
                return Err(Error::WaitFailed {
                    code,
                    message,
                    last: to_json(&job),
                })
            }
            PollState::Running => {}
        }
        let elapsed = start.elapsed();
        if elapsed >= options.timeout {
            tracing::debug!(?elapsed, status = job.status_text(), "gave up waiting");
            return Err(Error::WaitTimeout {
                elapsed,
                last_status: job.status_text(),
                last: to_json(&job),
            });
        }
        tracing::trace!(status = job.status_text(), ?interval, "job still running");
        tokio::time::sleep(interval.min(options.timeout - elapsed)).await;
        interval = interval.mul_f64(1.5).min(options.max_interval);
    }
}

/// The job as JSON for error reports; `null` if it will not serialize.
fn to_json<T: Serialize>(job: &T) -> serde_json::Value {
    serde_json::to_value(job).unwrap_or(serde_json::Value::Null)
}
