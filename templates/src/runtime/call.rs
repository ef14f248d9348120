//! What a generated request builder's `send` and `send_with_response` run.
//!
//! Generic, so that the crate holds one async body for all operations: an
//! `async fn` written out per operation costs the compiler a state machine to
//! type-check and borrow-check for each of them, which made the operation
//! modules a third of the crate's `cargo check` time. An operation passes its
//! prepared request and one of the decoders below.
// Which decoders a crate uses depends on its spec.
#![allow(dead_code)]

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::client::Client;
use super::envelope::DataEnvelope;
use super::error::Result;
use super::request::{decode_json, decode_text, Request};
use super::response::Response;

/// Turns the status and body of a 2xx response into an operation's value.
pub(crate) type Decoder<T> = fn(u16, Bytes) -> Result<T>;

/// Sends `prepared` (once built without error) and decodes its response.
pub(crate) async fn send<T>(prepared: Result<(Client, Request)>, decode: Decoder<T>) -> Result<T> {
    let (client, request) = prepared?;
    let response = client.execute(request).await?;
    decode(response.status.as_u16(), response.body)
}

/// Like [`send`], keeping the status and headers next to the value.
pub(crate) async fn send_with_response<T>(
    prepared: Result<(Client, Request)>,
    decode: Decoder<T>,
) -> Result<Response<T>> {
    let (client, request) = prepared?;
    let response = client.execute(request).await?;
    let value = decode(response.status.as_u16(), response.body)?;
    Ok(Response::new(value, response.status, response.headers))
}

/// The body is `T` as JSON.
pub(crate) fn json<T: DeserializeOwned>(status: u16, body: Bytes) -> Result<T> {
    decode_json(status, &body)
}

/// The body is `{"data": T}`; the value is `T`.
pub(crate) fn data<T: DeserializeOwned>(status: u16, body: Bytes) -> Result<T> {
    decode_json::<DataEnvelope<T>>(status, &body)?.into_data()
}

/// The body as UTF-8 text.
pub(crate) fn text(status: u16, body: Bytes) -> Result<String> {
    decode_text(status, body)
}

/// The body as it came.
pub(crate) fn bytes(_status: u16, body: Bytes) -> Result<Bytes> {
    Ok(body)
}

/// Nothing: the body is ignored.
pub(crate) fn empty(_status: u16, _body: Bytes) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::error::Error;

    // The spec may have no operation answering text or bytes today; the
    // decoders must still give the body back as it came.
    #[test]
    fn text_and_bytes_give_the_body_back() {
        assert_eq!(text(200, Bytes::from_static("caf\u{e9}\n".as_bytes())).unwrap(), "caf\u{e9}\n");
        assert!(matches!(text(200, Bytes::from_static(b"\xff")), Err(Error::Decode(_))));
        let body = Bytes::from_static(b"\x00\x01binary");
        assert_eq!(bytes(200, body.clone()).unwrap(), body);
        empty(204, Bytes::from_static(b"ignored")).unwrap();
    }

    #[test]
    fn json_and_data_decode_the_body_or_its_data() {
        assert_eq!(json::<Vec<u8>>(200, Bytes::from_static(b"[1,2]")).unwrap(), [1, 2]);
        assert_eq!(data::<u8>(200, Bytes::from_static(br#"{"data": 7}"#)).unwrap(), 7);
        assert!(matches!(data::<u8>(200, Bytes::from_static(br#"{"data": null}"#)), Err(Error::MissingData)));
    }
}
