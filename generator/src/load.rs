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

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Location, Result};
use crate::manifest;

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
        let mut pointer = pointer;
        loop {
            if let Some(line) = self.line_of(pointer) {
                return Some(line);
            }
            match pointer.rfind('/') {
                Some(cut) => pointer = &pointer[..cut],
                None => return None,
            }
        }
    }

    /// A location inside this document, with the line when it can be found.
    pub fn location(&self, pointer: &str) -> Location {
        Location::new(&self.path, pointer).with_line(self.line_of_nearest(pointer))
    }
}

/// Read one file. `id` becomes the document id; date and url are left empty.
pub fn load_file(path: &Path, id: String) -> Result<Document> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
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

/// Parse JSON text; `first_line` is the file line where `text` starts.
fn parse_json(text: &str, path: &Path, first_line: usize) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
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

/// Parse YAML text into a JSON value; `first_line` is the file line where `text` starts.
fn parse_yaml(text: &str, path: &Path, first_line: usize) -> Result<Value> {
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = strip_position(&e.to_string(), line, column);
        let file_line = (line > 0).then(|| first_line + line - 1);
        let position = match file_line {
            Some(l) => format!(" (line {l}, column {column})"),
            None => String::new(),
        };
        Error::spec(
            Location::new(path, "").with_line(file_line),
            format!("invalid YAML: {message}{position}"),
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

/// Convert a YAML value into JSON. Scalar keys become strings (`200:` -> `"200"`).
/// On failure: (JSON pointer, message).
pub(crate) fn yaml_to_json(value: serde_yaml::Value) -> Result<Value, (String, String)> {
    let mut pointer = String::new();
    convert(value, &mut pointer)
}

fn convert(value: serde_yaml::Value, pointer: &mut String) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                match serde_json::Number::from_f64(f) {
                    Some(n) => Value::Number(n),
                    None => {
                        return Err((
                            pointer.clone(),
                            format!("the number {n} cannot be represented in JSON"),
                        ))
                    }
                }
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                out.push(convert(item, pointer)?);
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        Y::Mapping(mapping) => {
            let mut out = Map::new();
            for (key, item) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => {
                        return Err((pointer.clone(), "a mapping key is null".to_string()));
                    }
                    Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => {
                        return Err((
                            pointer.clone(),
                            "a mapping key is not a scalar; only string, number and boolean \
                             keys are supported"
                                .to_string(),
                        ));
                    }
                };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(&key));
                if out.contains_key(&key) {
                    return Err((
                        pointer.clone(),
                        format!("duplicate key `{key}` (after converting keys to strings)"),
                    ));
                }
                let item = convert(item, pointer)?;
                pointer.truncate(len);
                out.insert(key, item);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            return Err((
                pointer.clone(),
                format!("YAML tag `{}` is not supported", tagged.tag),
            ))
        }
    })
}

/// Escape one JSON-pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Split a JSON pointer into unescaped tokens; `None` if it is not a valid pointer.
pub fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/')
        .map(|raw| {
            let mut out = String::with_capacity(raw.len());
            let mut chars = raw.chars();
            while let Some(c) = chars.next() {
                if c == '~' {
                    match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return None,
                    }
                } else {
                    out.push(c);
                }
            }
            Some(out)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Docs pages

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Json,
    Yaml,
}

/// A fenced code block with a json/yaml info string.
#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    open_line: usize,
    /// 1-based line of the first content line.
    first_line: usize,
    lang: Lang,
    content: String,
}

/// Find the fenced code blocks of a markdown page whose info string starts with json,
/// yaml or yml. Blocks of other languages are skipped whole (fences inside them do not
/// count). An unclosed fence runs to the end of the page.
fn fenced_blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, fence_char, fence_len, info)) = opening_fence(lines[i]) else {
            i += 1;
            continue;
        };
        let open_line = i + 1;
        let mut content = Vec::new();
        i += 1;
        while i < lines.len() {
            if is_closing_fence(lines[i], fence_char, fence_len) {
                break;
            }
            content.push(strip_indent(lines[i], indent));
            i += 1;
        }
        i += 1; // past the closing fence
        let word = info
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let lang = match word.as_str() {
            "json" => Some(Lang::Json),
            "yaml" | "yml" => Some(Lang::Yaml),
            _ => None,
        };
        if let Some(lang) = lang {
            let mut content = content.join("\n");
            content.push('\n');
            blocks.push(Block {
                open_line,
                first_line: open_line + 1,
                lang,
                content,
            });
        }
    }
    blocks
}

/// `(indent, fence char, fence length, info string)` when `line` opens a fence.
fn opening_fence(line: &str) -> Option<(usize, char, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let fence_char = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let fence_len = rest.len() - rest.trim_start_matches(fence_char).len();
    if fence_len < 3 {
        return None;
    }
    let info = rest[fence_len..].trim();
    if fence_char == '`' && info.contains('`') {
        return None; // an inline code span, not a fence
    }
    Some((indent, fence_char, fence_len, info))
}

fn is_closing_fence(line: &str, fence_char: char, fence_len: usize) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = &line[indent..];
    let run = rest.len() - rest.trim_start_matches(fence_char).len();
    run >= fence_len && rest[run..].trim().is_empty()
}

fn strip_indent(line: &str, indent: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    &line[spaces.min(indent)..]
}

/// Does this text look like it is meant to be an OpenAPI document (used to decide whether
/// a block that does not parse is an error or just a broken example)?
fn looks_like_openapi(content: &str) -> bool {
    content.lines().any(|line| {
        let t = line.trim_start();
        ["openapi", "swagger"].iter().any(|key| {
            [format!("\"{key}\""), format!("'{key}'"), key.to_string()]
                .iter()
                .any(|k| {
                    t.strip_prefix(k.as_str())
                        .is_some_and(|r| r.trim_start().starts_with(':'))
                })
        })
    })
}

fn is_openapi_mapping(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.contains_key("openapi") || m.contains_key("swagger"))
}

/// The one embedded OpenAPI document of a docs page: (value, block text, first line).
fn extract_from_page(text: &str, path: &Path) -> Result<(Value, String, usize)> {
    let mut found: Vec<(Block, Value)> = Vec::new();
    for block in fenced_blocks(text) {
        let parsed = match block.lang {
            Lang::Json => parse_json(&block.content, path, block.first_line),
            Lang::Yaml => parse_yaml(&block.content, path, block.first_line),
        };
        match parsed {
            Ok(value) if is_openapi_mapping(&value) => found.push((block, value)),
            Ok(_) => {}
            Err(e) if looks_like_openapi(&block.content) => return Err(e),
            Err(_) => {} // an example snippet that is not valid JSON/YAML: not our business
        }
    }
    match found.len() {
        0 => Err(Error::spec(
            Location::new(path, ""),
            "no embedded OpenAPI document: no ```json / ```yaml fenced block holds a mapping \
             with an `openapi` key",
        )),
        1 => {
            let (block, value) = found.remove(0);
            Ok((value, block.content, block.first_line))
        }
        n => {
            let lines: Vec<String> = found.iter().map(|(b, _)| b.open_line.to_string()).collect();
            Err(Error::spec(
                Location::new(path, "").with_line(Some(found[1].0.open_line)),
                format!(
                    "{n} embedded OpenAPI documents (fenced blocks opening at lines {}); a docs \
                     page must embed exactly one",
                    lines.join(", ")
                ),
            ))
        }
    }
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

// ---------------------------------------------------------------------------------------
// Lines of pointers

/// Best effort: the 1-based line in `text` (JSON or YAML) of the node at `pointer`.
pub fn line_in_text(text: &str, pointer: &str) -> Option<usize> {
    let tokens = pointer_tokens(pointer)?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match json_line(text, &tokens) {
            JsonSearch::Found(line) => return Some(line),
            JsonSearch::Absent => return None,
            JsonSearch::Invalid => {} // not JSON after all: try YAML
        }
    }
    yaml_line(text, &tokens)
}

enum JsonSearch {
    Found(usize),
    Absent,
    Invalid,
}

fn json_line(text: &str, target: &[String]) -> JsonSearch {
    let mut scan = JsonScan {
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        path: Vec::new(),
        target,
    };
    scan.ws();
    if target.is_empty() {
        return JsonSearch::Found(scan.line);
    }
    match scan.value(0) {
        Ok(()) => JsonSearch::Absent,
        Err(Stop::Found(line)) => JsonSearch::Found(line),
        Err(Stop::Invalid) => JsonSearch::Invalid,
    }
}

enum Stop {
    Found(usize),
    Invalid,
}

/// A minimal JSON scanner that tracks the current pointer and line.
struct JsonScan<'a> {
    bytes: &'a [u8],
    i: usize,
    line: usize,
    path: Vec<String>,
    target: &'a [String],
}

impl JsonScan<'_> {
    const MAX_DEPTH: usize = 512;

    fn peek(&self) -> Result<u8, Stop> {
        self.bytes.get(self.i).copied().ok_or(Stop::Invalid)
    }

    fn bump(&mut self) -> Result<u8, Stop> {
        let b = self.peek()?;
        self.i += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Ok(b)
    }

    fn ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                break;
            }
            self.i += 1;
            if b == b'\n' {
                self.line += 1;
            }
        }
    }

    fn expect(&mut self, want: u8) -> Result<(), Stop> {
        self.ws();
        if self.bump()? == want {
            Ok(())
        } else {
            Err(Stop::Invalid)
        }
    }

    fn is_target(&self) -> bool {
        self.path.len() == self.target.len() && self.path.iter().eq(self.target.iter())
    }

    fn value(&mut self, depth: usize) -> Result<(), Stop> {
        if depth > Self::MAX_DEPTH {
            return Err(Stop::Invalid);
        }
        self.ws();
        match self.peek()? {
            b'{' => {
                self.bump()?;
                self.ws();
                if self.peek()? == b'}' {
                    self.bump()?;
                    return Ok(());
                }
                loop {
                    self.ws();
                    let line = self.line;
                    let key = self.string()?;
                    self.path.push(key);
                    if self.is_target() {
                        return Err(Stop::Found(line));
                    }
                    self.expect(b':')?;
                    self.value(depth + 1)?;
                    self.path.pop();
                    self.ws();
                    match self.bump()? {
                        b',' => continue,
                        b'}' => return Ok(()),
                        _ => return Err(Stop::Invalid),
                    }
                }
            }
            b'[' => {
                self.bump()?;
                self.ws();
                if self.peek()? == b']' {
                    self.bump()?;
                    return Ok(());
                }
                let mut index = 0usize;
                loop {
                    self.ws();
                    self.path.push(index.to_string());
                    if self.is_target() {
                        return Err(Stop::Found(self.line));
                    }
                    self.value(depth + 1)?;
                    self.path.pop();
                    index += 1;
                    self.ws();
                    match self.bump()? {
                        b',' => continue,
                        b']' => return Ok(()),
                        _ => return Err(Stop::Invalid),
                    }
                }
            }
            b'"' => self.string().map(|_| ()),
            _ => {
                let start = self.i;
                while let Some(&b) = self.bytes.get(self.i) {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.i += 1;
                }
                if self.i == start {
                    Err(Stop::Invalid)
                } else {
                    Ok(())
                }
            }
        }
    }

    /// A JSON string, unescaped.
    fn string(&mut self) -> Result<String, Stop> {
        if self.bump()? != b'"' {
            return Err(Stop::Invalid);
        }
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.bump()? {
                b'"' => break,
                b'\\' => match self.bump()? {
                    b'"' => out.push(b'"'),
                    b'\\' => out.push(b'\\'),
                    b'/' => out.push(b'/'),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'u' => {
                        let mut code = self.hex4()?;
                        if (0xD800..0xDC00).contains(&code) {
                            // a surrogate pair
                            if self.bump()? != b'\\' || self.bump()? != b'u' {
                                return Err(Stop::Invalid);
                            }
                            let low = self.hex4()?;
                            code = 0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00));
                        }
                        let c = char::from_u32(code).ok_or(Stop::Invalid)?;
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    _ => return Err(Stop::Invalid),
                },
                b => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| Stop::Invalid)
    }

    fn hex4(&mut self) -> Result<u32, Stop> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = (self.bump()? as char).to_digit(16).ok_or(Stop::Invalid)?;
            code = code * 16 + digit;
        }
        Ok(code)
    }
}

/// One significant line of a YAML text.
#[derive(Clone, Copy)]
struct YLine<'a> {
    /// 1-based line number.
    no: usize,
    indent: usize,
    /// The line without its indentation.
    content: &'a str,
}

/// Best effort, indentation based: the line of the node at `target` in block-style YAML.
fn yaml_line(text: &str, target: &[String]) -> Option<usize> {
    let lines: Vec<YLine> = text
        .split('\n')
        .enumerate()
        .filter_map(|(i, raw)| {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let content = raw.trim_start_matches(' ');
            let indent = raw.len() - content.len();
            let significant = !content.trim().is_empty()
                && !content.starts_with('#')
                && !(indent == 0 && (content.starts_with("---") || content.starts_with("...")));
            significant.then_some(YLine {
                no: i + 1,
                indent,
                content,
            })
        })
        .collect();
    let first = lines.first()?;
    if target.is_empty() {
        return Some(first.no);
    }
    // The current node: `inline` is a first child sitting on the node's own line (after
    // `- `), `flow` a flow collection (`{type: string}`) on the node's own line, `rest` the
    // following lines that belong to the node.
    let mut inline: Option<YLine> = None;
    let mut flow: Option<YLine> = None;
    let mut rest: &[YLine] = &lines;
    let mut node_line = first.no;
    for token in target {
        let in_flow = |flow: Option<YLine>| {
            flow.filter(|l| l.content.contains(token.as_str()))
                .map(|l| l.no)
        };
        // the child level: the inline child's indent, else the first following line's
        let child_indent = match (inline, rest.first().copied()) {
            (Some(l), _) | (None, Some(l)) => l.indent,
            (None, None) => return in_flow(flow),
        };
        let children: Vec<(usize, YLine)> = inline
            .iter()
            .map(|l| (usize::MAX, *l))
            .chain(
                rest.iter()
                    .enumerate()
                    .filter(|(_, l)| l.indent == child_indent)
                    .map(|(i, l)| (i, *l)),
            )
            .collect();
        let is_seq = children.first().is_some_and(|(_, l)| is_dash(l.content));
        let found = if is_seq {
            let index: usize = token.parse().ok()?;
            children
                .iter()
                .filter(|(_, l)| is_dash(l.content))
                .nth(index)
                .copied()
        } else {
            children
                .iter()
                .find(|(_, l)| key_of(l.content).as_deref() == Some(token))
                .copied()
        };
        let Some((pos, line)) = found else {
            return in_flow(flow);
        };
        node_line = line.no;
        // the lines after the found one that belong to it
        let after: &[YLine] = if pos == usize::MAX {
            rest
        } else {
            &rest[pos + 1..]
        };
        let end = after
            .iter()
            .position(|l| {
                l.indent < line.indent
                    || (l.indent == line.indent && (is_seq || !is_dash(l.content)))
            })
            .unwrap_or(after.len());
        rest = &after[..end];
        let value = if is_seq {
            line.content[1..].trim_start_matches(' ')
        } else {
            line.content
                .split_once(':')
                .map(|(_, v)| v.trim())
                .unwrap_or("")
        };
        let value_line = YLine {
            no: line.no,
            indent: line.indent + (line.content.len() - value.len()),
            content: value,
        };
        if value.starts_with('|') || value.starts_with('>') {
            rest = &[]; // a block scalar: its lines are text, not children
        }
        let is_flow = value.starts_with('{') || value.starts_with('[');
        flow = is_flow.then_some(value_line);
        inline = (is_seq && !is_flow && !value.is_empty() && !value.starts_with('#'))
            .then_some(value_line);
    }
    Some(node_line)
}

fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// The key of a `key: value` line (plain, 'single' or "double" quoted).
fn key_of(content: &str) -> Option<String> {
    let (key, rest) = if let Some(body) = content.strip_prefix('"') {
        let end = body.find('"')?;
        (body[..end].replace("\\\"", "\""), &body[end + 1..])
    } else if let Some(body) = content.strip_prefix('\'') {
        let end = body.find('\'')?;
        (body[..end].to_string(), &body[end + 1..])
    } else {
        let colon = content
            .find(": ")
            .or_else(|| content.strip_suffix(':').map(|s| s.len()))?;
        (content[..colon].trim_end().to_string(), &content[colon..])
    };
    let rest = rest.trim_start();
    (rest == ":" || rest.starts_with(": ") || rest.starts_with(":\t")).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::fs;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, text).expect("write fixture");
        path
    }

    fn err_text(r: Result<Document>) -> String {
        match r {
            Ok(d) => panic!("expected an error, got document {}", d.id),
            Err(e) => e.to_string(),
        }
    }

    const MINI_JSON: &str = "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\n        \"responses\": {\n          \"200\": {\"description\": \"ok\"}\n        }\n      }\n    }\n  }\n}\n";

    const MINI_YAML: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      parameters:\n        - name: x\n          in: query\n        - name: y\n          in: query\n      responses:\n        200:\n          description: ok\n        '404':\n          description: gone\n";

    #[test]
    fn json_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "api.json", MINI_JSON);
        let doc = load_file(&path, "api".into()).expect("load");
        assert_eq!(doc.value["openapi"], "3.1.0");
        assert_eq!(doc.first_line, 1);
        assert_eq!(doc.line_of(""), Some(1));
        assert_eq!(doc.line_of("/info"), Some(3));
        assert_eq!(doc.line_of("/paths/~1a/get/responses/200"), Some(8));
        assert_eq!(doc.line_of("/paths/~1a/post"), None);
        assert_eq!(doc.line_of_nearest("/paths/~1a/post"), Some(5));
    }

    #[test]
    fn json_syntax_error_has_line_and_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "bad.json",
            "{\n  \"openapi\": \"3.1.0\",\n  \"info\" {}\n}\n",
        );
        match load_file(&path, "bad".into()) {
            Err(Error::Spec { location, message }) => {
                assert_eq!(location.line, Some(3));
                assert_eq!(location.pointer, "");
                assert!(message.contains("line 3, column"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn yaml_file_with_integer_keys() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "api.yaml", MINI_YAML);
        let doc = load_file(&path, "api".into()).expect("load");
        let responses = &doc.value["paths"]["/a"]["get"]["responses"];
        assert_eq!(responses["200"]["description"], "ok");
        assert_eq!(responses["404"]["description"], "gone");
        let keys: Vec<&String> = responses.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["200", "404"]);
        assert_eq!(doc.value["info"]["version"], "1");
        assert_eq!(doc.line_of("/paths/~1a/get/responses/200"), Some(14));
        assert_eq!(
            doc.line_of("/paths/~1a/get/responses/404/description"),
            Some(17)
        );
        assert_eq!(doc.line_of("/paths/~1a/get/parameters/1"), Some(11));
        assert_eq!(doc.line_of("/paths/~1a/get/parameters/1/in"), Some(12));
        assert_eq!(doc.line_of("/paths/~1a/get/parameters/0/name"), Some(9));
        assert_eq!(doc.line_of("/paths/~1a/get/parameters/2"), None);
        assert_eq!(doc.line_of("/info/version"), Some(4));
    }

    #[test]
    fn yaml_syntax_error_has_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "bad.yml",
            "openapi: 3.1.0\ninfo:\n  title: [unclosed\n",
        );
        match load_file(&path, "bad".into()) {
            Err(Error::Spec { location, message }) => {
                assert!(location.line.is_some(), "{message}");
                assert!(message.starts_with("invalid YAML"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn yaml_duplicate_keys_after_stringifying() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "dup.yaml",
            "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        200: {}\n        '200': {}\n",
        );
        let message = err_text(load_file(&path, "dup".into()));
        assert!(message.contains("duplicate key `200`"), "{message}");
        assert!(
            message.contains("/paths/~1a/get/responses/200"),
            "{message}"
        );
    }

    #[test]
    fn yaml_non_scalar_key_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "k.yaml",
            "openapi: 3.1.0\ninfo:\n  ? [a, b]\n  : c\n",
        );
        let message = err_text(load_file(&path, "k".into()));
        assert!(message.contains("not a scalar"), "{message}");
        assert!(message.contains("#/info"), "{message}");
    }

    #[test]
    fn yaml_flow_mapping_line() {
        let text = "a:\n  b: {type: string, c: 1}\n  d:\n    - {x: 1}\n";
        assert_eq!(line_in_text(text, "/a/b"), Some(2));
        assert_eq!(line_in_text(text, "/a/b/type"), Some(2));
        assert_eq!(line_in_text(text, "/a/d/0"), Some(4));
        assert_eq!(line_in_text(text, "/a/d/0/x"), Some(4));
        assert_eq!(line_in_text(text, "/a/e"), None);
    }

    #[test]
    fn yaml_sequences_at_key_indent_and_block_scalars() {
        let text = "required:\n- a\n- b\ndescription: >-\n  text: not a key\nother: 1\n";
        assert_eq!(line_in_text(text, "/required/1"), Some(3));
        assert_eq!(line_in_text(text, "/other"), Some(6));
        assert_eq!(line_in_text(text, "/description/text"), None);
    }

    #[test]
    fn docs_page_yaml_four_backticks() {
        let page = "# Title\n\nSome text.\n\n```bash\ncurl x\n```\n\n````yaml /openapi/x.json delete /v3/x\nopenapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n  description: |\n    ```\n    not a fence end (3 < 4)\n    ```\npaths: {}\n````\n\ntrailer\n";
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "page.docs.md", page);
        let doc = load_file(&path, "page".into()).expect("load");
        assert_eq!(doc.first_line, 10);
        assert_eq!(doc.value["info"]["title"], "t");
        assert_eq!(doc.line_of("/info/version"), Some(13));
        assert_eq!(doc.line_of("/paths"), Some(18));
        assert!(doc.value["info"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("```")));
        assert_eq!(default_id(&path), "page.docs");
    }

    #[test]
    fn docs_page_json_fence_skips_other_blocks() {
        let page = "intro\n```json\n{\"example\": true}\n```\n```json\n{ not json at all\n```\n~~~markdown\n```json\n{\"openapi\": \"3.0.0\", \"nested\": \"ignored\"}\n```\n~~~\n```JSON\n{\n  \"openapi\": \"3.0.1\",\n  \"info\": {\"title\": \"x\", \"version\": \"1\"},\n  \"paths\": {}\n}\n```";
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "page.md", page);
        let doc = load_file(&path, "page".into()).expect("load");
        assert_eq!(doc.value["openapi"], "3.0.1");
        assert_eq!(doc.first_line, 14);
        assert_eq!(doc.line_of("/paths"), Some(17));
    }

    #[test]
    fn docs_page_without_document() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "page.md", "text\n```json\n{\"a\": 1}\n```\n");
        let message = err_text(load_file(&path, "page".into()));
        assert!(
            message.contains("no embedded OpenAPI document"),
            "{message}"
        );
        assert!(message.contains("page.md"), "{message}");
    }

    #[test]
    fn docs_page_with_two_documents() {
        let dir = tempfile::tempdir().expect("tempdir");
        let page = "```yaml\nopenapi: 3.1.0\n```\ntext\n```yml\nopenapi: 3.0.0\n```\n";
        let path = write(dir.path(), "two.txt", page);
        let message = err_text(load_file(&path, "two".into()));
        assert!(message.contains("lines 1, 5"), "{message}");
        assert!(message.contains("two.txt"), "{message}");
    }

    #[test]
    fn docs_page_parse_error_reports_file_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let page = "a\nb\n```json\n{\n  \"openapi\": \"3.1.0\",\n  \"info\": oops\n}\n```\n";
        let path = write(dir.path(), "p.md", page);
        match load_file(&path, "p".into()) {
            Err(Error::Spec { location, message }) => {
                assert_eq!(location.line, Some(6), "{message}");
                assert!(message.contains("line 6"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unclosed_fence_runs_to_end() {
        let blocks = fenced_blocks("```yaml\nopenapi: 3.1.0\n");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].content, "openapi: 3.1.0\n\n");
    }

    #[test]
    fn indented_fence_strips_indent() {
        let blocks =
            fenced_blocks("- item\n  ```yaml\n  openapi: 3.1.0\n  info:\n    title: t\n  ```\n");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].content, "openapi: 3.1.0\ninfo:\n  title: t\n");
    }

    #[test]
    fn versions() {
        for ok in ["3.0.0", "3.0.3", "3.1.0", "3.1.1", "3.1.0-rc1"] {
            assert!(is_supported_version(ok), "{ok}");
        }
        for bad in ["2.0", "3.2.0", "3.1", "3.1.x", "4.0.0", "", "3.0."] {
            assert!(!is_supported_version(bad), "{bad}");
        }
    }

    #[test]
    fn rejects_wrong_versions_and_non_openapi() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(dir.path(), "s.json", "{\"swagger\": \"2.0\"}");
        assert!(err_text(load_file(&p, "s".into())).contains("Swagger `2.0`"));
        let p = write(dir.path(), "v.yaml", "openapi: 3.2.0\n");
        let message = err_text(load_file(&p, "v".into()));
        assert!(
            message.contains("unsupported OpenAPI version `3.2.0`"),
            "{message}"
        );
        assert!(message.contains("v.yaml:1 at #/openapi"), "{message}");
        let p = write(dir.path(), "n.yaml", "openapi: 3.1\n");
        assert!(err_text(load_file(&p, "n".into())).contains("`3.1`"));
        let p = write(dir.path(), "x.json", "{\"info\": {}}");
        assert!(err_text(load_file(&p, "x".into())).contains("no `openapi` key"));
        let p = write(dir.path(), "arr.json", "[1]");
        assert!(err_text(load_file(&p, "arr".into())).contains("not a mapping"));
    }

    #[test]
    fn load_dir_without_manifest() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "b.json", MINI_JSON);
        write(dir.path(), "a.yaml", MINI_YAML);
        write(
            dir.path(),
            "c.page.md",
            "```yaml\nopenapi: 3.1.0\npaths: {}\n```\n",
        );
        write(dir.path(), "quirks.yaml", "fixes: []\n");
        write(dir.path(), "client.yaml", "x: 1\n");
        write(dir.path(), "notes.rst", "ignored\n");
        write(dir.path(), ".hidden.json", "broken");
        fs::create_dir(dir.path().join("sub.json")).expect("mkdir");
        let docs = load_dir(dir.path()).expect("load");
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c.page"]);
        assert!(docs.iter().all(|d| d.date.is_none() && d.url.is_none()));
    }

    #[test]
    fn load_dir_duplicate_default_ids() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "a.json", MINI_JSON);
        write(dir.path(), "a.yaml", MINI_YAML);
        let message = match load_dir(dir.path()) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("expected an error"),
        };
        assert!(message.contains("document id `a`"), "{message}");
    }

    #[test]
    fn load_dir_with_manifest() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "b.json", MINI_JSON);
        write(dir.path(), "a.yaml", MINI_YAML);
        write(dir.path(), "unlisted.json", "not even json");
        write(
            dir.path(),
            "manifest.yaml",
            "documents:\n  - id: zeta\n    file: a.yaml\n    date: 2026-01-02\n  - id: alpha\n    file: b.json\n    url: https://example.com/b\n",
        );
        let docs = load_dir(dir.path()).expect("load");
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["alpha", "zeta"]);
        assert_eq!(docs[0].url.as_deref(), Some("https://example.com/b"));
        assert_eq!(docs[1].date.as_deref(), Some("2026-01-02"));
    }

    #[test]
    fn load_dir_manifest_missing_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "a.yaml", MINI_YAML);
        write(
            dir.path(),
            "manifest.yaml",
            "documents:\n  - id: a\n    file: a.yaml\n  - id: gone\n    file: gone.json\n",
        );
        match load_dir(dir.path()) {
            Err(Error::Spec { location, message }) => {
                assert_eq!(location.pointer, "/documents/1/file");
                assert_eq!(location.line, Some(5));
                assert!(message.contains("gone.json"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn pointer_helpers() {
        assert_eq!(pointer_tokens(""), Some(vec![]));
        assert_eq!(
            pointer_tokens("/paths/~1v1~1x/a~0b"),
            Some(vec![
                "paths".to_string(),
                "/v1/x".to_string(),
                "a~b".to_string()
            ])
        );
        assert_eq!(pointer_tokens("paths"), None);
        assert_eq!(pointer_tokens("/a~2"), None);
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn json_scanner_handles_escapes_and_arrays() {
        let text =
            "{\"a\\\"b\": [\n  1,\n  {\"c/d\": \"\\u00e9\"},\n  [true, null]\n], \"\\u00e9\": 2}";
        assert_eq!(line_in_text(text, "/a\"b/1/c~1d"), Some(3));
        assert_eq!(line_in_text(text, "/a\"b/2/1"), Some(4));
        assert_eq!(line_in_text(text, "/é"), Some(5));
        assert_eq!(line_in_text(text, "/a\"b/9"), None);
        let value: Value = serde_json::from_str(text).expect("valid");
        assert_eq!(value["é"], json!(2));
    }

    fn specs_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
    }

    #[test]
    fn real_specs_load() {
        let docs = load_dir(&specs_dir()).expect("specs/ loads");
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "external-api",
                "external-api-2026-05-delete-video-translation",
                "readme-v1-video-delete",
                "readme-v2-photo-avatar-delete"
            ]
        );
        let may = &docs[1];
        assert_eq!(may.first_line, 14);
        assert_eq!(may.date.as_deref(), Some("2026-05-15"));
        assert_eq!(
            may.line_of("/paths/~1v3~1video-translations~1{video_translation_id}/delete"),
            Some(57)
        );
        assert_eq!(
            may.line_of("/components/schemas/StandardAPIError/properties/param/type/1"),
            Some(173)
        );
        let vdel = &docs[2];
        assert_eq!(vdel.first_line, 15);
        assert_eq!(
            vdel.line_of("/paths/~1v1~1video.delete/delete/parameters/1/name"),
            Some(58)
        );
        assert_eq!(
            vdel.value["paths"]["/v1/video.delete"]["delete"]["operationId"],
            json!("delete-a-video")
        );
    }

    #[test]
    fn real_external_api_lines() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/external-api.json");
        let doc = load_file(&path, "external-api".into()).expect("loads");
        let pointer = "/components/schemas/VideoDetail/properties/title";
        let line = doc.line_of(pointer).expect("found");
        let text_line = doc.text.lines().nth(line - 1).expect("line exists");
        assert!(text_line.contains("\"title\""), "{text_line}");
    }
}
