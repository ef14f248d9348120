//! Receiving webhooks: the signature check and the envelope of a delivery.
//!
//! Compiled with the feature of the operation group that has the webhook API
//! (`specs/client.yaml`, `webhooks.group`), which re-exports these items next to
//! the generated `Event`, `parse` and `verify_and_parse`.

use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

/// Length of an HMAC-SHA256 in bytes (twice as many hex digits).
const SIGNATURE_LEN: usize = 32;

/// Why a webhook delivery was rejected.
///
/// The first three mean the delivery is not proven to come from HeyGen: answer
/// it with 401 and do not act on it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no signature header.
    #[error("the webhook delivery has no signature header: it was not sent by HeyGen, or a proxy dropped the header")]
    MissingSignature,
    /// The signature header is not 64 hex digits (a hex HMAC-SHA256).
    #[error("the webhook signature header is not a hex HMAC-SHA256 (64 hex digits)")]
    MalformedSignature,
    /// The signature does not match the body and secret.
    #[error("the webhook signature does not match the body: a wrong endpoint secret (rotated?), or a body that is not the bytes as received")]
    BadSignature,
    /// The body is signed but is not a delivery.
    #[error("the webhook body is not a valid delivery: {0}")]
    Body(#[source] serde_json::Error),
}

/// One delivered event: its id, creation time and payload (`event_data` on the
/// wire), typed as the event's type documents it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Delivery<T> {
    /// Identifies the event; a redelivery of the same event has the same id.
    pub event_id: String,
    /// When the event was created (ISO 8601).
    pub created_at: String,
    /// The payload.
    #[serde(rename = "event_data")]
    pub data: T,
}

/// Checks that `signature` (the value of the signature header, `None` when the
/// request has none) is the HMAC-SHA256 of `body` keyed with `secret`.
///
/// `body` must be the raw bytes as received: re-serialized JSON does not match.
/// `secret` is the endpoint's signing secret as HeyGen returned it, used as is
/// (its UTF-8 bytes are the key). The comparison takes the same time wherever the
/// signatures differ. Hex digits may be upper or lower case; surrounding
/// whitespace is ignored.
///
/// # Errors
///
/// [`WebhookError::MissingSignature`] for `None`,
/// [`WebhookError::MalformedSignature`] when it is not 64 hex digits,
/// [`WebhookError::BadSignature`] when it does not match.
pub fn verify(body: &[u8], signature: Option<&str>, secret: &str) -> Result<(), WebhookError> {
    let signature = signature.ok_or(WebhookError::MissingSignature)?.trim();
    let expected = hex::decode(signature).map_err(|_| WebhookError::MalformedSignature)?;
    if expected.len() != SIGNATURE_LEN {
        return Err(WebhookError::MalformedSignature);
    }
    mac(body, secret)
        .verify_slice(&expected)
        .map_err(|_| WebhookError::BadSignature)
}

/// The signature HeyGen sends for `body` with `secret`: lower-case hex of its
/// HMAC-SHA256. For tests of your own webhook handler.
pub fn sign(body: &[u8], secret: &str) -> String {
    hex::encode(mac(body, secret).finalize().into_bytes())
}

fn mac(body: &[u8], secret: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length (longer ones are hashed first), so this never fails.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(body);
    mac
}

/// The `event_type` of a delivery.
pub(crate) fn event_type(value: &serde_json::Value) -> Result<String, WebhookError> {
    match value.get("event_type") {
        Some(serde_json::Value::String(event_type)) => Ok(event_type.clone()),
        _ => Err(body_error(
            "expected a JSON object with a string `event_type`".to_string(),
        )),
    }
}

/// The delivery with its data decoded as `T`; an error names the failing field.
pub(crate) fn decode<T: DeserializeOwned>(
    value: serde_json::Value,
) -> Result<Delivery<T>, WebhookError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            WebhookError::Body(inner)
        } else {
            body_error(format!("{path}: {inner}"))
        }
    })
}

fn body_error(message: String) -> WebhookError {
    WebhookError::Body(<serde_json::Error as serde::de::Error>::custom(message))
}
