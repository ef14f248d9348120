//! `specs/manifest.yaml` (optional): which files are inputs, their ids, where and when
//! they were published.
//!
//! ```yaml
//! documents:
//!   - id: readme-v1-video-delete
//!     file: v1-video-delete.readme.md
//!     url: https://docs.heygen.com/reference/delete-a-video
//!     date: 2026-04-01          # publication date, decides which duplicate operation wins
//!     fetched: 2026-11-24       # optional
//!     sha256: ...               # optional
//!     expect:                   # optional: what the document must contain
//!       title: heygen-api
//!       paths: [/v1/video.delete]
//!     unverified: the page moved  # optional: the url is not known to work (fetch-specs skips it)
//! ```

use std::collections::HashMap;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::text::{line_in_text, yaml_to_json};

/// The manifest's file name inside a specs directory.
pub const FILE_NAME: &str = "manifest.yaml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub documents: Vec<ManifestEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    /// Document id, unique.
    pub id: String,
    /// File name, relative to the specs directory, unique.
    pub file: String,
    /// Where the document was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date, `YYYY-MM-DD`: decides which duplicate operation wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// When the file was fetched, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    /// SHA-256 of the file, 64 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// What the document must contain; a file or download without it is refused,
    /// so that a URL which now serves another document cannot pass silently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
    /// Why `url` is not known to serve this document any more (moved or retired
    /// page); `fetch-specs` skips such entries unless asked to try them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
}

const ENTRY_KEYS: [&str; 8] = [
    "id",
    "file",
    "url",
    "date",
    "fetched",
    "sha256",
    "expect",
    "unverified",
];
const EXPECT_KEYS: [&str; 2] = ["title", "paths"];

/// What an input document must contain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `info.title`, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Keys of `paths` that must be present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
}

impl Expect {
    /// What `document` (an OpenAPI document as JSON) lacks of what is expected,
    /// one sentence each; empty when it matches.
    pub fn mismatches(&self, document: &Value) -> Vec<String> {
        let mut mismatches = Vec::new();
        if let Some(title) = &self.title {
            match document.pointer("/info/title").and_then(Value::as_str) {
                Some(found) if found == title => {}
                Some(found) => {
                    mismatches.push(format!("its title is `{found}`, expected `{title}`"))
                }
                None => mismatches.push(format!("it has no info.title, expected `{title}`")),
            }
        }
        let paths = document.get("paths").and_then(Value::as_object);
        for path in &self.paths {
            if !paths.is_some_and(|paths| paths.contains_key(path)) {
                mismatches.push(format!("it has no path `{path}`"));
            }
        }
        mismatches
    }
}

impl Manifest {
    /// The entry with this document id.
    pub fn entry(&self, id: &str) -> Option<&ManifestEntry> {
        self.documents.iter().find(|e| e.id == id)
    }

    /// The manifest as YAML.
    pub fn to_yaml(&self) -> Result<String> {
        serde_yaml::to_string(self)
            .map_err(|e| Error::Input(format!("cannot serialise the manifest: {e}")))
    }

    /// Check the values: ids and files unique and well formed, dates `YYYY-MM-DD`,
    /// urls http(s), sha256 64 hex digits. `text` (the manifest's text) gives line numbers.
    pub fn validate(&self, path: &Path, text: Option<&str>) -> Result<()> {
        let at = |pointer: String| {
            let line = text.and_then(|t| line_in_text(t, &pointer));
            Location::new(path, pointer).with_line(line)
        };
        if self.documents.is_empty() {
            return Err(Error::spec(
                at("/documents".into()),
                "the manifest lists no documents",
            ));
        }
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut files: HashMap<&str, usize> = HashMap::new();
        for (i, entry) in self.documents.iter().enumerate() {
            let p = |key: &str| format!("/documents/{i}/{key}");
            if entry.id.is_empty()
                || !entry
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            {
                return Err(Error::spec(
                    at(p("id")),
                    format!(
                        "invalid document id `{}`: use ASCII letters, digits, `-`, `_` and `.`",
                        entry.id
                    ),
                ));
            }
            if let Some(first) = ids.insert(&entry.id, i) {
                return Err(Error::spec(
                    at(p("id")),
                    format!(
                        "duplicate document id `{}` (also /documents/{first}/id)",
                        entry.id
                    ),
                ));
            }
            let file = Path::new(&entry.file);
            let plain = !entry.file.is_empty()
                && file.components().all(|c| matches!(c, Component::Normal(_)));
            if !plain {
                return Err(Error::spec(
                    at(p("file")),
                    format!(
                        "invalid file `{}`: give a path relative to the specs directory, \
                         without `..`",
                        entry.file
                    ),
                ));
            }
            if let Some(first) = files.insert(&entry.file, i) {
                return Err(Error::spec(
                    at(p("file")),
                    format!(
                        "file `{}` is listed twice (also /documents/{first}/file)",
                        entry.file
                    ),
                ));
            }
            if let Some(url) = &entry.url {
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(Error::spec(
                        at(p("url")),
                        format!("invalid url `{url}`: expected http:// or https://"),
                    ));
                }
            }
            for (key, value) in [("date", &entry.date), ("fetched", &entry.fetched)] {
                if let Some(date) = value {
                    if !is_iso_date(date) {
                        return Err(Error::spec(
                            at(p(key)),
                            format!("invalid {key} `{date}`: expected a date YYYY-MM-DD"),
                        ));
                    }
                }
            }
            if let Some(sha) = &entry.sha256 {
                if sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Err(Error::spec(
                        at(p("sha256")),
                        format!("invalid sha256 `{sha}`: expected 64 hexadecimal digits"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Read `dir/manifest.yaml`; `None` when there is none.
pub fn read(dir: &Path) -> Result<Option<Manifest>> {
    let path = dir.join(FILE_NAME);
    if !path.exists() {
        return Ok(None);
    }
    let text = crate::text::read_text(&path)?;
    parse(&text, &path).map(Some)
}

/// Parse and validate a manifest; `path` is used in errors.
pub fn parse(text: &str, path: &Path) -> Result<Manifest> {
    let value = parse_yaml_value(text, path)?;
    check_shape(&value, path, text)?;
    let manifest: Manifest = serde_json::from_value(value)
        .map_err(|e| Error::spec(Location::new(path, ""), format!("invalid manifest: {e}")))?;
    manifest.validate(path, Some(text))?;
    Ok(manifest)
}

/// The line of `pointer` in the manifest file at `path` (best effort, for errors).
pub(crate) fn line_of(path: &Path, pointer: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    line_in_text(&text, pointer)
}

/// YAML text of a data file (manifest, quirks) as a JSON value, errors located.
pub(crate) fn parse_yaml_value(text: &str, path: &Path) -> Result<Value> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        Error::spec(
            Location::new(path, "").with_line(line),
            format!("invalid YAML: {e}"),
        )
    })?;
    yaml_to_json(yaml).map_err(|(pointer, message)| {
        let line = line_in_text(text, &pointer);
        Error::spec(Location::new(path, pointer).with_line(line), message)
    })
}

/// Structure: `documents` is a list of mappings with known keys, all values strings.
fn check_shape(value: &Value, path: &Path, text: &str) -> Result<()> {
    let err = |pointer: String, message: String| {
        let line = line_in_text(text, &pointer);
        Err(Error::spec(
            Location::new(path, pointer).with_line(line),
            message,
        ))
    };
    let Some(root) = value.as_object() else {
        return err(
            String::new(),
            "the manifest must be a mapping with `documents`".into(),
        );
    };
    for key in root.keys() {
        if key != "documents" {
            return err(
                format!("/{key}"),
                format!("unknown key `{key}`; expected `documents`"),
            );
        }
    }
    let Some(documents) = root.get("documents") else {
        return err(String::new(), "the manifest has no `documents` list".into());
    };
    let Some(documents) = documents.as_array() else {
        return err("/documents".into(), "`documents` must be a list".into());
    };
    for (i, entry) in documents.iter().enumerate() {
        let Some(entry) = entry.as_object() else {
            return err(
                format!("/documents/{i}"),
                "a document entry must be a mapping".into(),
            );
        };
        for (key, value) in entry {
            if !ENTRY_KEYS.contains(&key.as_str()) {
                return err(
                    format!("/documents/{i}/{}", crate::text::escape_token(key)),
                    format!(
                        "unknown key `{key}`; expected one of {}",
                        ENTRY_KEYS.join(", ")
                    ),
                );
            }
            if key == "expect" {
                check_expect_shape(value, &format!("/documents/{i}/expect"), &err)?;
            } else if !value.is_string() {
                return err(
                    format!("/documents/{i}/{key}"),
                    format!("`{key}` must be a string, found `{value}`"),
                );
            }
        }
        for key in ["id", "file"] {
            if !entry.contains_key(key) {
                return err(
                    format!("/documents/{i}"),
                    format!("the entry has no `{key}`"),
                );
            }
        }
    }
    Ok(())
}

/// `expect` is a mapping of `title` (a string) and `paths` (a list of strings).
fn check_expect_shape(
    value: &Value,
    pointer: &str,
    err: &dyn Fn(String, String) -> Result<()>,
) -> Result<()> {
    let Some(expect) = value.as_object() else {
        return err(
            pointer.to_string(),
            "`expect` must be a mapping with `title` and/or `paths`".into(),
        );
    };
    for (key, value) in expect {
        let at = format!("{pointer}/{}", crate::text::escape_token(key));
        match key.as_str() {
            "title" if value.is_string() => {}
            "paths" => {
                let Some(paths) = value.as_array() else {
                    return err(at, "`paths` must be a list of paths".into());
                };
                for (index, path) in paths.iter().enumerate() {
                    if !path.as_str().is_some_and(|p| p.starts_with('/')) {
                        return err(
                            format!("{at}/{index}"),
                            format!("`{path}` is not a path: give it as in the document, starting with `/`"),
                        );
                    }
                }
            }
            "title" => return err(at, format!("`title` must be a string, found `{value}`")),
            _ => {
                return err(
                    at,
                    format!(
                        "unknown key `{key}`; expected one of {}",
                        EXPECT_KEYS.join(", ")
                    ),
                )
            }
        }
    }
    Ok(())
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today_utc() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    date_from_unix_days((seconds / 86_400) as i64)
}

/// The civil date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
pub fn date_from_unix_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `YYYY-MM-DD`, a real calendar date.
pub fn is_iso_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &date[range];
        part.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests;
