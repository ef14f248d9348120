//! YAML read into a `serde_yaml::Value` as `serde_yaml::from_str` reads it,
//! but to any depth up to a bound instead of serde_yaml's fixed 128 levels
//! (a `u8` counter in its deserializer that no API lifts).
//!
//! The events come from libyaml through `unsafe-libyaml`, the very parser
//! serde_yaml runs on and already in the lock file: the same documents are
//! accepted and refused, at the same places (except a duplicate key and an
//! alias inside its own anchor, which are named here where they are
//! written, not at the enclosing node). A pure-Rust parser (yaml-rust2,
//! saphyr) would be safe code, but it follows the YAML 1.2 grammar more
//! strictly than libyaml and so would change which inputs parse. libyaml
//! keeps explicit stacks, so no nesting recurses; the tree is built here with
//! a stack of open collections, and scalars are resolved by serde_yaml's rules
//! (YAML 1.2 core schema: `~`/`null`, `true`/`True`/`TRUE`, `0x`/`0o`/`0b`
//! integers, no leading zeros, `.inf`/`.nan`), which
//! `reads_like_serde_yaml` in the tests compares against serde_yaml itself.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::CStr;
use std::mem::MaybeUninit;

use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Number, Value};
use unsafe_libyaml as unsafe_yaml;

use super::escape_token;

/// What went wrong, and where: the JSON pointer of the node being read, and
/// the 1-based line and column in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub pointer: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The document nests deeper than the bound; the message says why it
    /// matters or how it came about.
    pub too_deep: bool,
    /// For a syntax error: what libyaml was reading (`while parsing a flow sequence`).
    pub context: Option<Context>,
}

/// What libyaml was reading when it failed, and from which line of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Context {
    pub context: String,
    pub line: usize,
}

/// Aliases may expand the document to at most this many nodes per event
/// read, so that nested aliases ("billion laughs") cannot exhaust memory.
const ALIAS_EXPANSION: usize = 100;

/// The one document of `text`, nested at most `max_depth` collections deep.
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Value, YamlError> {
    Builder::new(text, max_depth).run()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    line: usize,
    column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Other,
}

enum Event {
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(Vec<u8>),
    Scalar {
        anchor: Option<Vec<u8>>,
        tag: Option<Vec<u8>>,
        value: Vec<u8>,
        style: Style,
    },
    CollectionStart {
        anchor: Option<Vec<u8>>,
        tag: Option<Vec<u8>>,
        mapping: bool,
    },
    CollectionEnd,
    Other,
}

/// libyaml's parser over `text`; it reads the text in place, hence the lifetime.
struct Events<'a> {
    /// Boxed: libyaml keeps a pointer to the parser inside the parser.
    parser: Box<MaybeUninit<unsafe_yaml::yaml_parser_t>>,
    text: &'a str,
}

impl<'a> Events<'a> {
    fn new(text: &'a str) -> Option<Self> {
        let mut parser = Box::new(MaybeUninit::<unsafe_yaml::yaml_parser_t>::uninit());
        // SAFETY: initialize fills the boxed struct (or fails, leaving nothing
        // to free); the input outlives the parser, which `'a` ensures.
        unsafe {
            if unsafe_yaml::yaml_parser_initialize(parser.as_mut_ptr()).fail {
                return None;
            }
            unsafe_yaml::yaml_parser_set_input_string(
                parser.as_mut_ptr(),
                text.as_ptr(),
                text.len() as _,
            );
        }
        Some(Events { parser, text })
    }

    /// The next event and where it starts.
    fn next(&mut self) -> Result<(Event, Mark), (String, Option<Context>, Mark)> {
        let mut raw = MaybeUninit::<unsafe_yaml::yaml_event_t>::uninit();
        // SAFETY: the parser was initialised in `new`; on success libyaml
        // fills `raw`, whose data we copy out before deleting it.
        unsafe {
            if unsafe_yaml::yaml_parser_parse(self.parser.as_mut_ptr(), raw.as_mut_ptr()).fail {
                return Err(self.error());
            }
            let raw = raw.assume_init_mut();
            let mark = Mark {
                line: raw.start_mark.line as usize + 1,
                column: raw.start_mark.column as usize + 1,
            };
            let event = match raw.type_ {
                unsafe_yaml::YAML_STREAM_END_EVENT => Event::StreamEnd,
                unsafe_yaml::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
                unsafe_yaml::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
                unsafe_yaml::YAML_ALIAS_EVENT => {
                    Event::Alias(c_bytes(raw.data.alias.anchor).unwrap_or_default())
                }
                unsafe_yaml::YAML_SCALAR_EVENT => {
                    let scalar = raw.data.scalar;
                    let value = if scalar.value.is_null() {
                        Vec::new()
                    } else {
                        std::slice::from_raw_parts(scalar.value, scalar.length as usize).to_vec()
                    };
                    Event::Scalar {
                        anchor: c_bytes(scalar.anchor),
                        tag: c_bytes(scalar.tag),
                        value,
                        style: if scalar.style == unsafe_yaml::YAML_PLAIN_SCALAR_STYLE {
                            Style::Plain
                        } else {
                            Style::Other
                        },
                    }
                }
                unsafe_yaml::YAML_SEQUENCE_START_EVENT => Event::CollectionStart {
                    anchor: c_bytes(raw.data.sequence_start.anchor),
                    tag: c_bytes(raw.data.sequence_start.tag),
                    mapping: false,
                },
                unsafe_yaml::YAML_MAPPING_START_EVENT => Event::CollectionStart {
                    anchor: c_bytes(raw.data.mapping_start.anchor),
                    tag: c_bytes(raw.data.mapping_start.tag),
                    mapping: true,
                },
                unsafe_yaml::YAML_SEQUENCE_END_EVENT | unsafe_yaml::YAML_MAPPING_END_EVENT => {
                    Event::CollectionEnd
                }
                _ => Event::Other,
            };
            unsafe_yaml::yaml_event_delete(raw);
            Ok((event, mark))
        }
    }

    /// libyaml's problem, what it was reading, and where.
    fn error(&self) -> (String, Option<Context>, Mark) {
        // SAFETY: after a failed parse the parser holds its error (static
        // strings, or null).
        let parser = unsafe { &*self.parser.as_ptr() };
        let problem = c_text(parser.problem).unwrap_or_else(|| "libyaml gave no reason".into());
        let mut mark = Mark {
            line: parser.problem_mark.line as usize + 1,
            column: parser.problem_mark.column as usize + 1,
        };
        if parser.problem_mark.line == 0 && parser.problem_mark.column == 0 {
            // Reader errors carry a byte offset only.
            let (line, column) =
                super::line_and_column(self.text.as_bytes(), parser.problem_offset as usize);
            mark = Mark { line, column };
        }
        let context = c_text(parser.context).map(|context| Context {
            context,
            line: parser.context_mark.line as usize + 1,
        });
        (problem, context, mark)
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        // SAFETY: initialised in `new` (a failed initialise never builds `Events`).
        unsafe { unsafe_yaml::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

/// A NUL-terminated libyaml string (anchor, tag), or `None` for null.
///
/// # Safety
/// `ptr` is null or points to a NUL-terminated string.
unsafe fn c_bytes(ptr: *mut u8) -> Option<Vec<u8>> {
    if ptr.is_null() {
        return None;
    }
    Some(unsafe { CStr::from_ptr(ptr.cast()) }.to_bytes().to_vec())
}

fn c_text(ptr: *const std::ffi::c_char) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: libyaml's problem and context are static NUL-terminated strings.
    Some(
        unsafe { CStr::from_ptr(ptr) }
            .to_string_lossy()
            .into_owned(),
    )
}

/// A finished node: its value, how many levels of collections it holds and
/// how many nodes (for the alias budget).
#[derive(Clone)]
struct Node {
    value: Value,
    height: usize,
    size: usize,
}

/// An open collection.
struct Open {
    /// Where it starts: a key's place, should it be a duplicate.
    start: Mark,
    anchor: Option<Vec<u8>>,
    tag: Option<Vec<u8>>,
    kind: OpenKind,
    height: usize,
    size: usize,
}

enum OpenKind {
    Sequence(Vec<Value>),
    Mapping {
        entries: Mapping,
        /// The key read, waiting for its value, and where it starts.
        key: Option<(Value, Mark)>,
    },
}

struct Builder<'a> {
    text: &'a str,
    max_depth: usize,
    stack: Vec<Open>,
    anchors: BTreeMap<Vec<u8>, Node>,
    /// Anchors of collections still open: an alias to one would contain itself.
    open_anchors: BTreeSet<Vec<u8>>,
    events: usize,
    expanded: usize,
    root: Option<Value>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, max_depth: usize) -> Self {
        Builder {
            text,
            max_depth,
            stack: Vec::new(),
            anchors: BTreeMap::new(),
            open_anchors: BTreeSet::new(),
            events: 0,
            expanded: 0,
            root: None,
        }
    }

    fn run(mut self) -> Result<Value, YamlError> {
        let Some(mut events) = Events::new(self.text) else {
            return Err(self.error(
                Mark { line: 1, column: 1 },
                "libyaml could not start".into(),
            ));
        };
        let mut documents = 0;
        loop {
            let (event, mark) = match events.next() {
                Ok(next) => next,
                Err((message, context, mark)) => {
                    let mut error = self.error(mark, message);
                    error.context = context;
                    return Err(error);
                }
            };
            self.events += 1;
            match event {
                Event::StreamEnd => break,
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        return Err(self.error(
                            mark,
                            "a second YAML document (`---`): an input holds one".into(),
                        ));
                    }
                }
                Event::DocumentEnd | Event::Other => {}
                Event::Alias(name) => {
                    let node = self.alias(&name, mark)?;
                    self.finish(node, None, mark)?;
                }
                Event::Scalar {
                    anchor,
                    tag,
                    value,
                    style,
                } => {
                    let value = scalar(&value, tag.as_deref(), style)
                        .map_err(|message| self.error(mark, message))?;
                    let node = Node {
                        value,
                        height: 0,
                        size: 1,
                    };
                    self.finish(node, anchor, mark)?;
                }
                Event::CollectionStart {
                    anchor,
                    tag,
                    mapping,
                } => {
                    if self.stack.len() >= self.max_depth {
                        let message = "no OpenAPI document needs this much".to_string();
                        let mut error = self.error(mark, message);
                        error.too_deep = true;
                        return Err(error);
                    }
                    if let Some(anchor) = &anchor {
                        self.open_anchors.insert(anchor.clone());
                    }
                    let kind = if mapping {
                        OpenKind::Mapping {
                            entries: Mapping::new(),
                            key: None,
                        }
                    } else {
                        OpenKind::Sequence(Vec::new())
                    };
                    self.stack.push(Open {
                        start: mark,
                        anchor,
                        tag,
                        kind,
                        height: 0,
                        size: 1,
                    });
                }
                Event::CollectionEnd => {
                    let Some(open) = self.stack.pop() else {
                        continue;
                    };
                    if let Some(anchor) = &open.anchor {
                        self.open_anchors.remove(anchor);
                    }
                    let collection = match open.kind {
                        OpenKind::Sequence(items) => Value::Sequence(items),
                        OpenKind::Mapping { entries, .. } => Value::Mapping(entries),
                    };
                    let node = Node {
                        value: match local_tag(open.tag.as_deref()) {
                            Some(tag) => tagged(tag, collection),
                            None => collection,
                        },
                        height: open.height + 1,
                        size: open.size,
                    };
                    self.finish(node, open.anchor, open.start)?;
                }
            }
        }
        // A text without a document (empty, or only comments) is null, as in serde_yaml.
        Ok(self.root.take().unwrap_or(Value::Null))
    }

    /// A copy of the anchored node, within the depth bound and the alias budget.
    fn alias(&mut self, name: &[u8], mark: Mark) -> Result<Node, YamlError> {
        let shown = String::from_utf8_lossy(name).into_owned();
        if self.open_anchors.contains(name) {
            return Err(self.error(
                mark,
                format!("the alias `*{shown}` is inside the node it names: a YAML cycle"),
            ));
        }
        let Some(node) = self.anchors.get(name) else {
            return Err(self.error(mark, format!("unknown anchor `{shown}`")));
        };
        if self.stack.len() + node.height > self.max_depth {
            let message = format!("the alias `*{shown}` adds {} levels here", node.height);
            let mut error = self.error(mark, message);
            error.too_deep = true;
            return Err(error);
        }
        let size = node.size;
        self.spend(size, mark)?;
        Ok(self.anchors[name].clone())
    }

    /// Records an anchor and puts a finished node, which starts at `start`,
    /// into its parent (or makes it the root).
    fn finish(
        &mut self,
        node: Node,
        anchor: Option<Vec<u8>>,
        start: Mark,
    ) -> Result<(), YamlError> {
        if let Some(anchor) = anchor {
            // The anchor keeps a copy: nested anchors over a large node would
            // otherwise cost memory that no alias budget counts.
            self.spend(node.size, start)?;
            self.anchors.insert(anchor, node.clone());
        }
        let Some(open) = self.stack.last_mut() else {
            self.root = Some(node.value);
            return Ok(());
        };
        open.height = open.height.max(node.height);
        open.size = open.size.saturating_add(node.size);
        match &mut open.kind {
            OpenKind::Sequence(items) => items.push(node.value),
            OpenKind::Mapping { entries, key } => match key.take() {
                None => *key = Some((node.value, start)),
                Some((key, key_start)) if entries.contains_key(&key) => {
                    let message = duplicate_key(&key);
                    let mut error = self.error(key_start, message);
                    error.pointer.push('/');
                    error.pointer.push_str(&escape_token(&key_token(&key)));
                    return Err(error);
                }
                Some((key, _)) => {
                    entries.insert(key, node.value);
                }
            },
        }
        Ok(())
    }

    /// Counts `nodes` copied by an alias or kept by an anchor against the budget.
    fn spend(&mut self, nodes: usize, mark: Mark) -> Result<(), YamlError> {
        self.expanded = self.expanded.saturating_add(nodes);
        if self.expanded > self.events.saturating_mul(ALIAS_EXPANSION) {
            return Err(self.error(
                mark,
                format!(
                    "anchors and aliases copy more than {ALIAS_EXPANSION} nodes per node written"
                ),
            ));
        }
        Ok(())
    }

    /// An error at `mark`, at the pointer of the node being read.
    fn error(&self, mark: Mark, message: String) -> YamlError {
        let mut pointer = String::new();
        for open in &self.stack {
            match &open.kind {
                OpenKind::Sequence(items) => {
                    pointer.push('/');
                    pointer.push_str(&items.len().to_string());
                }
                // While a key is read, the node being read is the mapping.
                OpenKind::Mapping { key: None, .. } => {}
                OpenKind::Mapping {
                    key: Some((key, _)),
                    ..
                } => {
                    pointer.push('/');
                    pointer.push_str(&escape_token(&key_token(key)));
                }
            }
        }
        YamlError {
            pointer,
            line: mark.line,
            column: mark.column,
            message,
            too_deep: false,
            context: None,
        }
    }
}

/// A mapping key as a JSON-pointer token (as `yaml_to_json` names keys).
fn key_token(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Tagged(tagged) => key_token(&tagged.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => String::new(),
    }
}

fn duplicate_key(key: &Value) -> String {
    match key {
        Value::Null => "duplicate entry with null key".into(),
        Value::Bool(b) => format!("duplicate entry with key `{b}`"),
        Value::Number(n) => format!("duplicate entry with key {n}"),
        Value::String(s) => format!("duplicate entry with key {s:?}"),
        _ => "duplicate entry in YAML map".into(),
    }
}

/// The name of a local tag (`!name`; serde_yaml keeps a lone `!` as it is),
/// which serde_yaml keeps as a tagged value; other tags resolve or are ignored.
fn local_tag(tag: Option<&[u8]>) -> Option<String> {
    let rest = tag?.strip_prefix(b"!")?;
    let name = if rest.is_empty() { b"!" as &[u8] } else { rest };
    std::str::from_utf8(name).ok().map(str::to_string)
}

fn tagged(tag: String, value: Value) -> Value {
    Value::Tagged(Box::new(TaggedValue {
        tag: Tag::new(tag),
        value,
    }))
}

const CORE: &str = "tag:yaml.org,2002:";

/// A scalar's value: its tag decides (a local one wraps the untagged
/// reading), else a plain scalar is resolved and a quoted or block one is a string.
fn scalar(bytes: &[u8], tag: Option<&[u8]>, style: Style) -> Result<Value, String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err("a scalar is not UTF-8".into());
    };
    if let Some(name) = local_tag(tag) {
        let inner = match style {
            Style::Plain => plain(text)?,
            Style::Other => Value::String(text.to_string()),
        };
        return Ok(tagged(name, inner));
    }
    let core = tag
        .and_then(|t| std::str::from_utf8(t).ok())
        .and_then(|t| t.strip_prefix(CORE));
    let invalid = |expected: &str| format!("invalid value: string {text:?}, expected {expected}");
    match (core, style) {
        (Some("bool"), _) => boolean(text)
            .map(Value::Bool)
            .ok_or_else(|| invalid("a boolean")),
        (Some("int"), _) => integer(text)?.ok_or_else(|| invalid("an integer")),
        (Some("float"), _) => float(text)
            .map(Value::from)
            .ok_or_else(|| invalid("a float")),
        (Some("null"), _) => is_null(text)
            .then_some(Value::Null)
            .ok_or_else(|| invalid("null")),
        (None, Style::Plain) if tag.is_none() => plain(text),
        _ => Ok(Value::String(text.to_string())),
    }
}

/// An untagged plain scalar: null, boolean, integer, float, else a string.
fn plain(text: &str) -> Result<Value, String> {
    if text.is_empty() || is_null(text) {
        return Ok(Value::Null);
    }
    if let Some(b) = boolean(text) {
        return Ok(Value::Bool(b));
    }
    if let Some(int) = integer(text)? {
        return Ok(int);
    }
    if !leading_zero_digits(text) {
        if let Some(f) = float(text) {
            return Ok(Value::from(f));
        }
    }
    Ok(Value::String(text.to_string()))
}

fn is_null(text: &str) -> bool {
    matches!(text, "~" | "null" | "Null" | "NULL")
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Whether `text` is a run of decimal digits that starts with a zero (after
/// at most one sign): YAML 1.2 reads `007` and `-01` as strings.
fn leading_zero_digits(text: &str) -> bool {
    let bytes = text.as_bytes();
    let unsigned = match bytes {
        [b'+' | b'-', rest @ ..] => rest,
        _ => bytes,
    };
    matches!(unsigned, [b'0', rest @ ..] if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit))
}

/// An integer (one optional sign, then decimal or `0x`/`0o`/`0b` digits), or
/// `None` when `text` is not one. Like serde_yaml, one that needs 128 bits is
/// an error, and one beyond 128 bits is not an integer (it may still be a float).
fn integer(text: &str) -> Result<Option<Value>, String> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(hex) = unsigned.strip_prefix("0x") {
        (16, hex)
    } else if let Some(octal) = unsigned.strip_prefix("0o") {
        (8, octal)
    } else if let Some(binary) = unsigned.strip_prefix("0b") {
        (2, binary)
    } else {
        (10, unsigned)
    };
    if digits.starts_with(['+', '-']) || (radix == 10 && leading_zero_digits(text)) {
        return Ok(None);
    }
    let Ok(magnitude) = u128::from_str_radix(digits, radix) else {
        return Ok(None);
    };
    if !negative {
        return match u64::try_from(magnitude) {
            Ok(n) => Ok(Some(Value::Number(Number::from(n)))),
            Err(_) => Err(format!("the integer {magnitude} does not fit in 64 bits")),
        };
    }
    if magnitude <= 1 << 63 {
        let n = (magnitude as i128).wrapping_neg() as i64;
        return Ok(Some(Value::Number(Number::from(n))));
    }
    if magnitude <= 1 << 127 {
        return Err(format!("the integer -{magnitude} does not fit in 64 bits"));
    }
    Ok(None)
}

/// A float of the YAML 1.2 core schema: the named infinities (with an
/// optional sign) and NaN (without one), else a finite number in Rust's own
/// float syntax, which has YAML's one optional sign.
fn float(text: &str) -> Option<f64> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Some(f64::NAN),
        _ => text.parse::<f64>().ok().filter(|number| number.is_finite()),
    }
}

#[cfg(test)]
mod tests;
