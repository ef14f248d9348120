//! Serde helpers that generated types call: discriminated unions whose variant
//! structs do not carry the tag themselves, and reading a field as text.
// Which of these a crate uses depends on its spec (a spec without tagged unions
// or pollable jobs uses none), so an unused one is not a mistake.
#![allow(dead_code)]

use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// Writes `payload` as an object with `tag: value` first.
pub(crate) fn serialize<S: Serializer, T: Serialize>(
    serializer: S,
    tag: &str,
    value: &str,
    payload: &T,
) -> Result<S::Ok, S::Error> {
    let fields = match serde_json::to_value(payload).map_err(S::Error::custom)? {
        Value::Object(fields) => fields,
        other => {
            return Err(S::Error::custom(format!(
                "a tagged union variant must be an object, found {other}"
            )))
        }
    };
    let mut object = serde_json::Map::with_capacity(fields.len() + 1);
    object.insert(tag.to_string(), Value::String(value.to_string()));
    object.extend(fields.into_iter().filter(|(key, _)| key != tag));
    object.serialize(serializer)
}

/// The discriminator value of a union, if the JSON is an object carrying one.
pub(crate) fn tag_of<'v>(value: &'v Value, tag: &str) -> Option<&'v str> {
    value.get(tag).and_then(Value::as_str)
}

/// Decodes a variant's payload, mapping the error into the caller's deserializer.
pub(crate) fn from_value<T: serde::de::DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// A field's wire value as text: strings as they are, `null` as `None`, anything else as JSON.
pub(crate) fn text_of<T: Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value).ok()? {
        Value::Null => None,
        Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_tag_is_read_only_from_an_object_carrying_a_string() {
        assert_eq!(tag_of(&json!({"type": "url", "url": "u"}), "type"), Some("url"));
        assert_eq!(tag_of(&json!({"kind": "url"}), "type"), None);
        assert_eq!(tag_of(&json!({"type": 1}), "type"), None);
        assert_eq!(tag_of(&json!(["type"]), "type"), None);
    }

    #[derive(Serialize)]
    struct Payload {
        r#type: &'static str,
        url: &'static str,
    }

    #[test]
    fn a_variant_is_written_with_its_tag_first_and_once() {
        let mut out = Vec::new();
        let payload = Payload { r#type: "stale", url: "u" };
        serialize(&mut serde_json::Serializer::new(&mut out), "type", "url", &payload).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"type":"url","url":"u"}"#);

        let error = serialize(&mut serde_json::Serializer::new(Vec::new()), "type", "url", &7).unwrap_err();
        assert!(error.to_string().contains("must be an object, found 7"), "{error}");
    }

    #[test]
    fn a_field_reads_as_text_or_none() {
        assert_eq!(text_of(&"failed"), Some("failed".to_string()));
        assert_eq!(text_of(&Option::<String>::None), None);
        assert_eq!(text_of(&42), Some("42".to_string()));
    }
}
