//! What the `Deserialize` impls of generated structs share (the generator's
//! `emit/deserialize.rs` says why they are written out): finding a key among a
//! struct's field names, and filling, skipping and checking fields.
// Unused in a crate whose structs all keep the derive.
#![allow(dead_code)]

use std::fmt;

use serde::de::{DeserializeSeed, Error, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Reads a key and gives its index in the field names; an unknown key gives
/// `usize::MAX`.
pub(crate) struct FieldIndex(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.0.iter().position(|name| *name == key).unwrap_or(usize::MAX))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self.0.iter().position(|name| name.as_bytes() == key).unwrap_or(usize::MAX))
    }
}

/// Reads the value of field `name` into its slot; a second value for the
/// same field is an error, as with the derive.
pub(crate) fn field<'de, A, T>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads and drops the value of a key the struct does not declare.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// The value of a required field, or "missing field `name`".
pub(crate) fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{BytesDeserializer, Error as ValueError, U32Deserializer};

    const NAMES: &[&str] = &["id", "status"];

    // JSON gives keys as strings; a binary format may give them as bytes.
    #[test]
    fn keys_given_as_bytes_are_found_like_strings() {
        let index = |key: &[u8]| FieldIndex(NAMES).deserialize(BytesDeserializer::<ValueError>::new(key));
        assert_eq!(index(b"status").unwrap(), 1);
        assert_eq!(index(b"id").unwrap(), 0);
        assert_eq!(index(b"other").unwrap(), usize::MAX);
    }

    #[test]
    fn a_key_that_is_not_a_name_says_a_field_name_was_expected() {
        let error = FieldIndex(NAMES)
            .deserialize(U32Deserializer::<ValueError>::new(7))
            .unwrap_err()
            .to_string();
        assert!(error.contains("expected a field name"), "{error}");
    }
}
