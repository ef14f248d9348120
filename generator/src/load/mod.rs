//! Files -> [`Document`]s.
//!
//! Three kinds of input are read:
//! - `*.json`: an OpenAPI document in JSON;
//! - `*.yaml` / `*.yml`: an OpenAPI document in YAML (non-string keys such as an
//!   unquoted response code `200:` become strings);
//! - anything else (`*.md`, `*.txt`, ...): a documentation page that embeds exactly one
//!   OpenAPI document in a fenced code block (```` ```json ````, ```` ````yaml ... ```` ...).
//!
//! Every document must be OpenAPI 3.0.x or 3.1.x. Errors carry the file, the JSON pointer
//! and, where known, the line of the file.

mod pages;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::manifest;
use crate::text::{line_in_text, read_text, too_deep, yaml_to_json, MAX_DEPTH};
use pages::extract_from_page;

/// File names in a specs directory that hold data for the generator, never OpenAPI documents.
pub const RESERVED_FILE_NAMES: [&str; 3] = ["manifest.yaml", "quirks.yaml", "client.yaml"];

/// Extensions picked up by [`load_dir`] when there is no manifest.
pub const INPUT_EXTENSIONS: [&str; 5] = ["json", "yaml", "yml", "md", "txt"];

/// One OpenAPI document, as read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Manifest id, else the file name minus its last extension.
    pub id: String,
    /// The file it came from.
    pub path: PathBuf,
    /// The OpenAPI document.
    pub value: Value,
    /// Text of the document (for a docs page: the content of the fenced block).
    pub text: String,
    /// 1-based line of the file where `text` starts.
    pub first_line: usize,
    /// Publication date (`YYYY-MM-DD`) from the manifest.
    pub date: Option<String>,
    /// Where the document was published, from the manifest.
    pub url: Option<String>,
}

impl Document {
    /// A document built in memory (tests, synthesised inputs): no text, so no line numbers.
    pub fn from_value(id: impl Into<String>, path: impl Into<PathBuf>, value: Value) -> Self {
        Document {
            id: id.into(),
            path: path.into(),
            value,
            text: String::new(),
            first_line: 1,
            date: None,
            url: None,
        }
    }

    /// Best effort: the line in the FILE of the node at `pointer` (its key, or its first
    /// line for an array element). `None` if it cannot be found.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        line_in_text(&self.text, pointer).map(|line| line + self.first_line - 1)
    }

    /// Like [`Document::line_of`], but falls back to the closest ancestor that can be found.
    pub fn line_of_nearest(&self, pointer: &str) -> Option<usize> {
        crate::text::line_of_nearest(&self.text, self.first_line, pointer)
    }

    /// A location inside this document, with the line when it can be found.
    pub fn location(&self, pointer: &str) -> Location {
        Location::new(&self.path, pointer).with_line(self.line_of_nearest(pointer))
    }
}

/// Read one file. `id` becomes the document id; date and url are left empty.
pub fn load_file(path: &Path, id: String) -> Result<Document> {
    let text = read_text(path)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let (value, text, first_line) = match extension.as_deref() {
        Some("json") => (parse_json(&text, path, 1)?, text, 1),
        Some("yaml") | Some("yml") => (parse_yaml(&text, path, 1)?, text, 1),
        _ => extract_from_page(&text, path)?,
    };
    let doc = Document {
        id,
        path: path.to_path_buf(),
        value,
        text,
        first_line,
        date: None,
        url: None,
    };
    check_openapi(&doc)?;
    Ok(doc)
}

/// Read every document of a specs directory.
///
/// With a `manifest.yaml`: exactly the documents it lists (a listed file that is missing
/// is an error), with their ids, dates and urls. Without one: every `*.json`, `*.yaml`,
/// `*.yml`, `*.md` and `*.txt` file of `dir` (not recursive, hidden files and the reserved
/// data files excluded), with the file name minus its last extension as id.
/// The result is sorted by id.
pub fn load_dir(dir: &Path) -> Result<Vec<Document>> {
    let mut docs = match manifest::read(dir)? {
        Some(manifest) => {
            let manifest_path = dir.join(manifest::FILE_NAME);
            let mut docs = Vec::with_capacity(manifest.documents.len());
            for (index, entry) in manifest.documents.iter().enumerate() {
                let path = dir.join(&entry.file);
                if !path.is_file() {
                    let pointer = format!("/documents/{index}/file");
                    let line = manifest::line_of(&manifest_path, &pointer);
                    return Err(Error::spec(
                        Location::new(&manifest_path, pointer).with_line(line),
                        format!(
                            "document `{}` lists file `{}`, which does not exist ({})",
                            entry.id,
                            entry.file,
                            path.display()
                        ),
                    ));
                }
                let mut doc = load_file(&path, entry.id.clone())?;
                if let Some(expect) = &entry.expect {
                    let mismatches = expect.mismatches(&doc.value);
                    if !mismatches.is_empty() {
                        let pointer = format!("/documents/{index}/expect");
                        let line = manifest::line_of(&manifest_path, &pointer);
                        return Err(Error::spec(
                            Location::new(&manifest_path, pointer).with_line(line),
                            format!(
                                "{} is not the document `{}` expects: {}",
                                path.display(),
                                entry.id,
                                mismatches.join("; ")
                            ),
                        ));
                    }
                }
                doc.date = entry.date.clone();
                doc.url = entry.url.clone();
                docs.push(doc);
            }
            docs
        }
        None => {
            let mut docs: Vec<Document> = Vec::new();
            for path in input_files(dir)? {
                let id = default_id(&path);
                if let Some(other) = docs.iter().find(|d| d.id == id) {
                    return Err(Error::Input(format!(
                        "{} and {} both get the document id `{id}`; rename one or add a {} \
                         giving them distinct ids",
                        other.path.display(),
                        path.display(),
                        manifest::FILE_NAME
                    )));
                }
                docs.push(load_file(&path, id)?);
            }
            docs
        }
    };
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(docs)
}

/// The default document id: the file name minus its last extension.
pub fn default_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The input files of a directory without manifest, sorted by file name.
fn input_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.starts_with('.') || RESERVED_FILE_NAMES.contains(&name) || !path.is_file() {
            continue;
        }
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if INPUT_EXTENSIONS.contains(&extension.as_str()) {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

// ---------------------------------------------------------------------------------------
// Parsing

/// Parse JSON text; `first_line` is the file line where `text` starts. Any
/// depth up to [`MAX_DEPTH`] parses (serde_json alone stops at 128), on a stack
/// that grows as needed; deeper is an error at the first too deep value.
fn parse_json(text: &str, path: &Path, first_line: usize) -> Result<Value> {
    if let Some((pointer, line, _)) = too_deep(text, MAX_DEPTH) {
        let line = first_line + line - 1;
        return Err(Error::spec(
            Location::new(path, pointer).with_line(Some(line)),
            format!(
                "nested deeper than {MAX_DEPTH} levels (line {line}): no OpenAPI document \
                 needs this much"
            ),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    deserializer.disable_recursion_limit();
    let parsed = <Value as serde::Deserialize>::deserialize(serde_stacker::Deserializer::new(
        &mut deserializer,
    ))
    .and_then(|value| deserializer.end().map(|()| value));
    parsed.map_err(|e| {
        let line = first_line + e.line().saturating_sub(1);
        let message = strip_position(&e.to_string(), e.line(), e.column());
        Error::spec(
            Location::new(path, "").with_line(Some(line)),
            format!(
                "invalid JSON: {message} (line {line}, column {})",
                e.column()
            ),
        )
    })
}

/// Parse YAML text into a JSON value; `first_line` is the file line where
/// `text` starts. Any depth up to [`MAX_DEPTH`] parses (serde_yaml alone stops
/// at 128); deeper is an error at the first too deep value.
fn parse_yaml(text: &str, path: &Path, first_line: usize) -> Result<Value> {
    let mut yaml = crate::text::yaml::parse(text, MAX_DEPTH).map_err(|e| {
        let line = first_line + e.line - 1;
        let message = if e.too_deep {
            format!(
                "nested deeper than {MAX_DEPTH} levels (line {line}): {}",
                e.message
            )
        } else {
            let context = match &e.context {
                None => String::new(),
                Some(c) if c.line == e.line => format!(", {}", c.context),
                Some(c) => format!(", {} from line {}", c.context, first_line + c.line - 1),
            };
            format!(
                "invalid YAML: {}{context} (line {line}, column {})",
                e.message, e.column
            )
        };
        Error::spec(
            Location::new(path, e.pointer).with_line(Some(line)),
            message,
        )
    })?;
    yaml.apply_merge().map_err(|e| {
        Error::spec(
            Location::new(path, ""),
            format!("invalid YAML merge key (`<<`): {e}"),
        )
    })?;
    yaml_to_json(yaml).map_err(|(pointer, message)| {
        let line = line_in_text(text, &pointer)
            .or_else(|| parent_pointer(&pointer).and_then(|p| line_in_text(text, p)))
            .map(|l| l + first_line - 1);
        Error::spec(Location::new(path, pointer).with_line(line), message)
    })
}

fn parent_pointer(pointer: &str) -> Option<&str> {
    pointer.rfind('/').map(|cut| &pointer[..cut])
}

/// Remove the " at line L column C" (or ", line: L, column: C") that parsers append,
/// because those numbers are relative to the parsed text, not the file.
fn strip_position(message: &str, line: usize, column: usize) -> String {
    for suffix in [
        format!(" at line {line} column {column}"),
        format!(", line: {line}, column: {column}"),
    ] {
        if let Some(i) = message.find(&suffix) {
            let mut out = message[..i].to_string();
            out.push_str(&message[i + suffix.len()..]);
            return out;
        }
    }
    message.to_string()
}

/// The document must be a mapping with `openapi: 3.0.x` or `3.1.x`.
fn check_openapi(doc: &Document) -> Result<()> {
    let Some(root) = doc.value.as_object() else {
        return Err(Error::spec(
            Location::new(&doc.path, "").with_line(Some(doc.first_line)),
            "the document is not a mapping",
        ));
    };
    let Some(version) = root.get("openapi") else {
        let message = match root.get("swagger") {
            Some(v) => format!(
                "Swagger {} documents are not supported; convert to OpenAPI 3.0 or 3.1",
                display_scalar(v)
            ),
            None => "not an OpenAPI document: no `openapi` key".to_string(),
        };
        let pointer = if root.contains_key("swagger") {
            "/swagger"
        } else {
            ""
        };
        return Err(Error::spec(doc.location(pointer), message));
    };
    let ok = version.as_str().is_some_and(is_supported_version);
    if !ok {
        return Err(Error::spec(
            doc.location("/openapi"),
            format!(
                "unsupported OpenAPI version {}: only 3.0.x and 3.1.x are supported",
                display_scalar(version)
            ),
        ));
    }
    Ok(())
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// `3.0.N` or `3.1.N`, optionally followed by a pre-release suffix (`3.1.0-rc1`).
pub fn is_supported_version(version: &str) -> bool {
    let rest = match version
        .strip_prefix("3.0.")
        .or_else(|| version.strip_prefix("3.1."))
    {
        Some(rest) => rest,
        None => return false,
    };
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && (digits == rest.len() || rest[digits..].starts_with('-'))
}

#[cfg(test)]
mod tests;
