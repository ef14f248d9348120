//! `Deserialize` for generated structs: `deserialize_struct!` and the helpers
//! it expands to (the generator's `emit/deserialize.rs` says why the derive
//! is not used): finding a key among a struct's field names, and filling,
//! skipping and checking fields.
// Unused in a crate whose structs all keep the derive.
#![allow(dead_code)]

use std::fmt;
use std::marker::PhantomData;

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

/// Like [`field`] for an `Option<Nullable<T>>` field (PATCH bodies): a
/// present `null` is `Some(Nullable::Null)`, where `Option` alone would read
/// it as absent.
pub(crate) fn present<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Option<super::Nullable<T>>>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(Some(map.next_value()?));
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

/// A generated struct read from a map, field by field (implemented by
/// [`deserialize_struct!`]).
pub(crate) trait MapStruct: Sized {
    /// The struct's name, for "expected struct X" errors.
    const NAME: &'static str;
    /// The wire names of its fields, in declaration order.
    const FIELDS: &'static [&'static str];

    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of every generated struct: one visitor for all.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: MapStruct>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: MapStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// `Deserialize` for a generated struct, from one line per field:
/// `index field = "wire" kind` (the slot types are inferred from the
/// struct's fields), where kind is `required` (absent is an
/// error), `optional` (an `Option` field: absent or `null` is `None`) or
/// `present` (an `Option<Nullable<T>>` field: absent is `None`, `null` is
/// `Some(Nullable::Null)`). Reads JSON as `#[derive(Deserialize)]` does:
/// unknown keys are skipped, a repeated key is an error.
#[allow(unused_macros)]
macro_rules! deserialize_struct {
    ($name:ident { $($index:literal $field:ident = $wire:literal $kind:ident),* $(,)? }) => {
        impl crate::runtime::de::MapStruct for $name {
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),*];

            fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $(let mut $field = None;)*
                while let Some(index) = map.next_key_seed(crate::runtime::de::FieldIndex(Self::FIELDS))? {
                    match index {
                        $($index => crate::runtime::de::read_field!($kind, map, $field, $wire),)*
                        _ => crate::runtime::de::skip(&mut map)?,
                    }
                }
                Ok($name {
                    $($field: crate::runtime::de::finish_field!($kind, $field, $wire),)*
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::de::deserialize(deserializer)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use deserialize_struct;

/// The read of one field in [`deserialize_struct!`], by its kind.
#[allow(unused_macros)]
macro_rules! read_field {
    (present, $map:ident, $slot:ident, $wire:literal) => {
        crate::runtime::de::present(&mut $map, &mut $slot, $wire)?
    };
    ($kind:ident, $map:ident, $slot:ident, $wire:literal) => {
        crate::runtime::de::field(&mut $map, &mut $slot, $wire)?
    };
}
#[allow(unused_imports)]
pub(crate) use read_field;

/// The value of one field in [`deserialize_struct!`], by its kind.
#[allow(unused_macros)]
macro_rules! finish_field {
    (required, $slot:ident, $wire:literal) => {
        crate::runtime::de::required($slot, $wire)?
    };
    ($kind:ident, $slot:ident, $wire:literal) => {
        $slot.flatten()
    };
}
#[allow(unused_imports)]
pub(crate) use finish_field;

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

    // A struct as the generator writes one, with each kind of field. Under
    // default features no generated type reads a PATCH field back, so this
    // is where `present` is exercised.
    #[derive(Debug, PartialEq)]
    struct Patch {
        id: u32,
        label: Option<String>,
        title: Option<crate::runtime::Nullable<String>>,
    }
    deserialize_struct!(Patch { 0 id = "id" required, 1 label = "label" optional, 2 title = "title" present });

    fn patch(json: &str) -> Result<Patch, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn a_present_field_tells_null_from_absent() {
        use crate::runtime::Nullable;
        assert_eq!(patch(r#"{"id": 1, "title": null}"#).unwrap().title, Some(Nullable::Null));
        assert_eq!(
            patch(r#"{"id": 1, "title": "t"}"#).unwrap().title,
            Some(Nullable::Value("t".into()))
        );
        assert_eq!(patch(r#"{"id": 1}"#).unwrap().title, None);
        assert_eq!(patch(r#"{"id": 1, "label": null}"#).unwrap().label, None);
    }

    #[test]
    fn written_out_structs_report_errors_as_the_derive_does() {
        let error = patch(r#"{"label": "x"}"#).unwrap_err();
        assert!(error.starts_with("missing field `id`"), "{error}");
        let error = patch(r#"{"id": 1, "title": null, "title": "t"}"#).unwrap_err();
        assert!(error.starts_with("duplicate field `title`"), "{error}");
        let error = patch("[1]").unwrap_err();
        assert!(error.starts_with("invalid type: sequence, expected struct Patch"), "{error}");
        let skipped = patch(r#"{"other": {"deep": [1, 2]}, "id": 7}"#).unwrap();
        assert_eq!((skipped.id, skipped.label, skipped.title), (7, None, None));
    }
}
