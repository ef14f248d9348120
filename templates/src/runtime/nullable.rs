//! Telling "leave unchanged" apart from "set to null" in request bodies.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that may be explicitly `null`.
///
/// Wrapped in an `Option`, it gives a field three states, as PATCH bodies
/// need: `None` leaves the field out (unchanged), `Some(Nullable::Null)`
/// sends `null` (cleared), `Some(Nullable::Value(v))` sends `v`.
///
/// ```
/// use heygen::Nullable;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize)]
/// struct UpdateVideo {
///     #[serde(
///         default,
///         skip_serializing_if = "Option::is_none",
///         deserialize_with = "Nullable::deserialize_present"
///     )]
///     title: Option<Nullable<String>>,
/// }
///
/// let unchanged = UpdateVideo { title: None };
/// let cleared = UpdateVideo { title: Some(Nullable::Null) };
/// let renamed = UpdateVideo { title: Some("Intro".to_owned().into()) };
/// assert_eq!(serde_json::to_string(&unchanged).unwrap(), "{}");
/// assert_eq!(serde_json::to_string(&cleared).unwrap(), r#"{"title":null}"#);
/// assert_eq!(serde_json::to_string(&renamed).unwrap(), r#"{"title":"Intro"}"#);
///
/// let back: UpdateVideo = serde_json::from_str(r#"{"title":null}"#).unwrap();
/// assert_eq!(back.title, Some(Nullable::Null));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// An explicit `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether this is [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if not null.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(value) => Some(value),
        }
    }

    /// A reference to the value, if not null.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// For `#[serde(deserialize_with = "…")]` on an `Option<Nullable<T>>`
    /// field (together with `#[serde(default)]`): a present `null` becomes
    /// `Some(Nullable::Null)`, where serde alone would give `None`.
    pub fn deserialize_present<'de, D>(deserializer: D) -> Result<Option<Nullable<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Nullable::deserialize(deserializer).map(Some)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes [`Nullable::Null`].
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Patch {
        #[serde(default, deserialize_with = "Nullable::deserialize_present")]
        title: Option<Nullable<String>>,
    }

    #[test]
    fn null_and_value_are_told_apart() {
        assert!(Nullable::<u8>::Null.is_null());
        assert!(!Nullable::Value(1).is_null());
        assert_eq!(Nullable::Value(1).into_option(), Some(1));
        assert_eq!(Nullable::<u8>::Null.into_option(), None);
        assert_eq!(Nullable::Value(2).as_ref(), Nullable::Value(&2));
    }

    #[test]
    fn a_present_null_is_kept_apart_from_an_absent_field() {
        let read = |json: &str| serde_json::from_str::<Patch>(json).unwrap().title;
        assert_eq!(read(r#"{"title": null}"#), Some(Nullable::Null));
        assert_eq!(read(r#"{"title": "t"}"#), Some(Nullable::Value("t".to_owned())));
        assert_eq!(read("{}"), None);
    }
}
