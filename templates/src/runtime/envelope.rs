//! The `{"data": …}` wrappers HeyGen puts around response payloads.

use serde::{Deserialize, Deserializer, Serialize};

use super::error::{Error, Result};

/// A response of the form `{"data": T, …}`; other keys are ignored.
///
/// ```
/// use heygen::DataEnvelope;
///
/// let body: DataEnvelope<u32> = serde_json::from_str(r#"{"data": 7, "message": "ok"}"#).unwrap();
/// assert_eq!(body.into_data().unwrap(), 7);
///
/// let empty: DataEnvelope<u32> = serde_json::from_str(r#"{"data": null}"#).unwrap();
/// assert!(matches!(empty.into_data(), Err(heygen::Error::MissingData)));
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct DataEnvelope<T> {
    /// The payload; `None` if the key was missing or null.
    #[serde(default = "none")]
    pub data: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> DataEnvelope<T> {
    /// The payload.
    ///
    /// # Errors
    ///
    /// [`Error::MissingData`] if the response had no (or a null) `data`.
    pub fn into_data(self) -> Result<T> {
        self.data.ok_or(Error::MissingData)
    }
}

/// One page of a cursor-paginated list: `{"data": [...], "has_more": true,
/// "next_token": "…"}`. A missing or null `data` is an empty page.
///
/// Use [`paginate`](crate::runtime::paginate) to walk all pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// The items on this page.
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    pub data: Vec<T>,
    /// Whether more pages follow, if the API said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// The cursor for the next page; `None` or empty on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl<T> Page<T> {
    /// A page from fields found elsewhere, as in `{"data": {"items": [...],
    /// "next_token": "…"}}`; each may be optional in the type that holds it.
    pub fn new(
        items: impl Into<Option<Vec<T>>>,
        has_more: impl Into<Option<bool>>,
        next_token: impl Into<Option<String>>,
    ) -> Self {
        Page {
            data: items.into().unwrap_or_default(),
            has_more: has_more.into(),
            next_token: next_token.into(),
        }
    }

    /// The items and the cursor for the next page ([`next_cursor`](Self::next_cursor)).
    pub fn into_parts(self) -> (Vec<T>, Option<String>) {
        let next = self.next_cursor().map(str::to_owned);
        (self.data, next)
    }

    /// The cursor for the next page, or `None` if this is the last page
    /// (`has_more` is false, or the token is missing or empty).
    pub fn next_cursor(&self) -> Option<&str> {
        if self.has_more == Some(false) {
            return None;
        }
        self.next_token.as_deref().filter(|token| !token.is_empty())
    }
}

fn null_as_empty<'de, D, T>(deserializer: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_from_parts() {
        let page = Page::new(vec![1u8], None, Some("t".to_string()));
        assert_eq!(page.into_parts(), (vec![1], Some("t".to_string())));
        let page = Page::new(None::<Vec<u8>>, Some(false), Some("t".to_string()));
        assert_eq!(page.into_parts(), (vec![], None));
        let page = Page::new(vec![2u8], true, None);
        assert_eq!(page.into_parts(), (vec![2], None));
    }

    #[test]
    fn page_defaults() {
        let page: Page<u8> = serde_json::from_str("{}").unwrap();
        assert!(page.data.is_empty() && page.next_cursor().is_none());
        let page: Page<u8> = serde_json::from_str(r#"{"data": null, "next_token": ""}"#).unwrap();
        assert!(page.data.is_empty() && page.next_cursor().is_none());
        let page: Page<u8> =
            serde_json::from_str(r#"{"data": [1], "has_more": false, "next_token": "t"}"#).unwrap();
        assert_eq!(page.next_cursor(), None);
        let page: Page<u8> = serde_json::from_str(r#"{"data": [1], "next_token": "t"}"#).unwrap();
        assert_eq!(page.next_cursor(), Some("t"));
    }
}
