//! The hand-written runtime shared by every generated operation: the
//! [`Client`], requests and retries, errors, pagination, polling, uploads
//! and downloads.
//!
//! Generated code reaches these items as `crate::runtime::…`; all of them
//! are re-exported at the crate root.

pub(crate) mod call;
pub(crate) mod codec;
pub(crate) mod de;
mod client;
mod download;
pub(crate) mod enums;
mod envelope;
mod error;
mod nullable;
mod options;
mod paginate;
mod params;
mod poll;
mod request;
mod response;
pub(crate) mod retry;
mod upload;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};
pub use download::Download;
pub use envelope::{DataEnvelope, Page};
pub use error::{ApiError, DecodeError, Error, ErrorShape, LegacyApiError, Result, DEBUG_BODY_LEN};
pub use nullable::Nullable;
pub use options::{BoxFuture, RequestOptions};
// Unused in a build with no operation group enabled.
#[allow(unused_imports)]
pub(crate) use options::call_options;
#[allow(unused_imports)]
pub(crate) use enums::string_enum;
pub use paginate::{paginate, paginate_with};
pub use poll::{wait_until_done, PollState, Pollable, WaitOptions};
pub use request::{encode_path_segment, path_segment, Request};
pub use response::Response;
pub use retry::RetryPolicy;
pub use upload::{FileUpload, Multipart};

/// The HTTP method type taken by [`Request::new`] (re-exported from reqwest).
pub use reqwest::Method;

/// The reqwest version this crate is built on, for a client of your own
/// ([`ClientBuilder::http_client`]) or its types (`reqwest::Proxy`,
/// `reqwest::Certificate`, …) without a second, mismatched reqwest
/// dependency.
///
/// ```no_run
/// use heygen::reqwest;
///
/// # fn run() -> heygen::Result<()> {
/// let http = reqwest::Client::builder()
///     .proxy(reqwest::Proxy::https("http://proxy.internal:3128").expect("proxy URL"))
///     .build()
///     .expect("reqwest client");
/// let client = heygen::Client::builder().api_key("your-key").http_client(http).build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub use reqwest;

/// The stream traits a user needs for the `*_stream` methods (`TryStreamExt`
/// and friends), re-exported so that no extra dependency is needed.
pub use futures_util;
