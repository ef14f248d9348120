//! What every string enum of `types` implements, written once: the generated
//! code declares the enum (its variants and their docs) and lists each
//! variant's wire value in `string_enum!`.
//!
//! Hand-written rather than `#[derive(Serialize, Deserialize)]` with an
//! untagged `Unknown(String)` variant: the derive buffers every value and tries
//! each variant in turn, which costs compile time for each enum and a buffered
//! copy of each value at run time; here a value is read as a string once.
// Unused in a build whose types have no enum.
#![allow(dead_code)]

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// Deserializes a string enum through its `FromStr`, which never fails (a value
/// the enum does not know becomes its `Unknown` variant).
pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromStr<Err = std::convert::Infallible>,
{
    deserializer.deserialize_str(StrVisitor(PhantomData))
}

struct StrVisitor<T>(PhantomData<T>);

impl<T: FromStr<Err = std::convert::Infallible>> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        match value.parse() {
            Ok(parsed) => Ok(parsed),
            Err(never) => match never {},
        }
    }
}

/// `as_str`, `Display`, `FromStr`, `Serialize` and `Deserialize` for a
/// generated string enum with an `Unknown(String)` variant, from its variants'
/// wire values.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            /// Never fails: a value this version does not know is `Unknown`.
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(match value {
                    $($wire => $name::$variant,)*
                    other => $name::Unknown(other.to_string()),
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::enums::deserialize(deserializer)
            }
        }
    };
}
pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    enum Status {
        Done,
        InProgress,
        Unknown(String),
    }

    string_enum!(Status { Done => "done", InProgress => "in_progress" });

    #[test]
    fn known_and_unknown_values_decode_from_text_and_from_values() {
        let decoded: Vec<Status> = serde_json::from_str(r#"["done", "in_progress", "paused"]"#).unwrap();
        assert_eq!(
            decoded,
            [Status::Done, Status::InProgress, Status::Unknown("paused".into())]
        );
        // Through a `Value`, as tagged unions and webhook events decode their payloads.
        let value = serde_json::json!("in_progress");
        assert_eq!(serde_json::from_value::<Status>(value).unwrap(), Status::InProgress);
        let owned: Status = serde_json::from_reader(&b"\"new\""[..]).unwrap();
        assert_eq!(owned, Status::Unknown("new".into()));
    }

    #[test]
    fn values_encode_as_their_wire_text() {
        let statuses = [Status::InProgress, Status::Unknown("paused".into())];
        assert_eq!(serde_json::to_string(&statuses).unwrap(), r#"["in_progress","paused"]"#);
        assert_eq!(Status::Done.to_string(), "done");
        assert_eq!("done".parse::<Status>(), Ok(Status::Done));
    }

    #[test]
    fn a_value_that_is_not_text_is_an_error_that_says_so() {
        let error = serde_json::from_str::<Status>("7").unwrap_err().to_string();
        assert!(error.contains("expected a string"), "{error}");
    }
}
