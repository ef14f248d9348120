//! Fixes to the published documents, kept as data in `specs/quirks.yaml` (optional) and
//! applied after loading, before normalising.
//!
//! ```yaml
//! fixes:
//!   - id: v1-video-delete-deleted-is-array          # unique
//!     document: readme-v1-video-delete               # a document id, or `*` for every document
//!     pointer: /paths/~1v1~1video.delete/delete/responses/200/content/application~1json/schema/properties/data/properties/Deleted
//!     expect: {type: string}     # optional: the node must equal (objects: contain) this
//!     action: merge              # replace | merge (RFC 7396) | add | remove
//!     value: {type: array, items: {type: string}}
//!     reason: The API returns arrays of ids (see the 200 example), not a string.
//! ```
//!
//! A fix for a document that is not an input is skipped (reported as
//! [`FixOutcome::NotApplicable`]). A fix whose document is loaded but whose pointer does not
//! resolve, whose `expect` does not match, or whose `add` target already exists is stale:
//! that is an error, so the fix gets updated or removed when the upstream document changes.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Location, Result};
use crate::load::Document;
use crate::manifest::parse_yaml_value;
use crate::text::{line_in_text, pointer_tokens};

/// The file name inside a specs directory.
pub const FILE_NAME: &str = "quirks.yaml";

/// The `document` value that targets every loaded document having the pointer.
pub const ALL_DOCUMENTS: &str = "*";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quirks {
    pub fixes: Vec<Fix>,
    /// The file the fixes came from (for errors).
    #[serde(skip)]
    pub path: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    pub id: String,
    /// A document id, or `*`.
    pub document: String,
    /// JSON pointer (RFC 6901) into the document.
    pub pointer: String,
    /// The node must currently equal this (for objects: contain these keys with these
    /// values), else the fix is stale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Value>,
    pub action: Action,
    /// The new node (replace, add) or the merge patch (merge); absent for remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Why: one line.
    pub reason: String,
    /// Line of the fix's `pointer` in the quirks file (for errors).
    #[serde(skip)]
    pub line: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Replace the node by `value`.
    Replace,
    /// Apply `value` as a JSON merge patch (RFC 7396) to the node.
    Merge,
    /// Create the node: it must not exist yet, its parent must (`-` appends to an array).
    Add,
    /// Delete the node.
    Remove,
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        match s {
            "replace" => Some(Action::Replace),
            "merge" => Some(Action::Merge),
            "add" => Some(Action::Add),
            "remove" => Some(Action::Remove),
            _ => None,
        }
    }
}

/// What happened to one fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixOutcome {
    /// Applied to these documents (one, or several for `*`).
    Applied { fix: String, documents: Vec<String> },
    /// Its document is not among the inputs (or, for `*`, no input has the pointer).
    NotApplicable { fix: String, document: String },
}

impl FixOutcome {
    pub fn fix_id(&self) -> &str {
        match self {
            FixOutcome::Applied { fix, .. } | FixOutcome::NotApplicable { fix, .. } => fix,
        }
    }

    pub fn is_applied(&self) -> bool {
        matches!(self, FixOutcome::Applied { .. })
    }
}

impl fmt::Display for FixOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixOutcome::Applied { fix, documents } => {
                write!(f, "applied fix `{fix}` to {}", documents.join(", "))
            }
            FixOutcome::NotApplicable { fix, document } if document == ALL_DOCUMENTS => {
                write!(f, "skipped fix `{fix}`: no input document has its pointer")
            }
            FixOutcome::NotApplicable { fix, document } => {
                write!(
                    f,
                    "skipped fix `{fix}`: document `{document}` is not an input"
                )
            }
        }
    }
}

/// Read `dir/quirks.yaml`; `None` when there is none.
pub fn read(dir: &Path) -> Result<Option<Quirks>> {
    let path = dir.join(FILE_NAME);
    if !path.exists() {
        return Ok(None);
    }
    let text = crate::text::read_text(&path)?;
    parse(&text, &path).map(Some)
}

/// Parse and validate a quirks file; `path` is used in errors.
pub fn parse(text: &str, path: &Path) -> Result<Quirks> {
    let value = parse_yaml_value(text, path)?;
    let err = |pointer: String, message: String| {
        let line = line_in_text(text, &pointer);
        Error::spec(Location::new(path, pointer).with_line(line), message)
    };
    let root = match &value {
        Value::Object(root) => root,
        Value::Null => {
            return Ok(Quirks {
                fixes: Vec::new(),
                path: path.to_path_buf(),
            })
        }
        _ => {
            return Err(err(
                String::new(),
                "the quirks file must be a mapping with `fixes`".into(),
            ))
        }
    };
    if let Some(key) = root.keys().find(|k| *k != "fixes") {
        return Err(err(
            format!("/{key}"),
            format!("unknown key `{key}`; expected `fixes`"),
        ));
    }
    let entries = match root.get("fixes") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(entries)) => entries,
        Some(_) => return Err(err("/fixes".into(), "`fixes` must be a list".into())),
    };
    let mut fixes = Vec::with_capacity(entries.len());
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = |key: &str| {
            if key.is_empty() {
                format!("/fixes/{i}")
            } else {
                format!("/fixes/{i}/{key}")
            }
        };
        let Some(entry) = entry.as_object() else {
            return Err(err(at(""), "a fix must be a mapping".into()));
        };
        const KEYS: [&str; 7] = [
            "id", "document", "pointer", "expect", "action", "value", "reason",
        ];
        if let Some(key) = entry.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(err(
                at(&crate::text::escape_token(key)),
                format!("unknown key `{key}`; expected one of {}", KEYS.join(", ")),
            ));
        }
        let string = |key: &str| -> Result<String> {
            match entry.get(key) {
                Some(Value::String(s)) => Ok(s.clone()),
                Some(other) => Err(err(
                    at(key),
                    format!("`{key}` must be a string, found `{other}`"),
                )),
                None => Err(err(at(""), format!("the fix has no `{key}`"))),
            }
        };
        let id = string("id")?;
        if id.trim().is_empty() {
            return Err(err(at("id"), "the fix id is empty".into()));
        }
        if let Some(first) = ids.insert(id.clone(), i) {
            return Err(err(
                at("id"),
                format!("duplicate fix id `{id}` (also /fixes/{first}/id)"),
            ));
        }
        let document = string("document")?;
        if document.trim().is_empty() {
            return Err(err(
                at("document"),
                format!("fix `{id}`: `document` is empty"),
            ));
        }
        let pointer = string("pointer")?;
        if pointer_tokens(&pointer).is_none() {
            return Err(err(
                at("pointer"),
                format!(
                    "fix `{id}`: `{pointer}` is not a JSON pointer (it must start with `/`; \
                     write `/` in a key as `~1` and `~` as `~0`)"
                ),
            ));
        }
        let action_text = string("action")?;
        let Some(action) = Action::parse(&action_text) else {
            return Err(err(
                at("action"),
                format!(
                    "fix `{id}`: unknown action `{action_text}`; expected replace, merge, add \
                     or remove"
                ),
            ));
        };
        let reason = match entry.get("reason") {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(_) | None => String::new(),
        };
        if reason.is_empty() || reason.contains('\n') {
            return Err(err(
                at(if entry.contains_key("reason") {
                    "reason"
                } else {
                    ""
                }),
                format!("fix `{id}` needs a `reason`: one non-empty line saying why it is needed"),
            ));
        }
        let value = entry.get("value").cloned();
        let expect = entry.get("expect").cloned();
        match (action, &value) {
            (Action::Remove, Some(_)) => {
                return Err(err(
                    at("value"),
                    format!("fix `{id}`: `remove` takes no `value`"),
                ));
            }
            (Action::Replace | Action::Merge | Action::Add, None) => {
                return Err(err(
                    at(""),
                    format!("fix `{id}`: `{action_text}` needs a `value`"),
                ));
            }
            _ => {}
        }
        if action == Action::Add && expect.is_some() {
            return Err(err(
                at("expect"),
                format!("fix `{id}`: `add` creates a node, so there is nothing to `expect`"),
            ));
        }
        if pointer.is_empty() && matches!(action, Action::Add | Action::Remove) {
            return Err(err(
                at("pointer"),
                format!("fix `{id}`: cannot {action_text} the document root"),
            ));
        }
        fixes.push(Fix {
            id,
            document,
            pointer,
            expect,
            action,
            value,
            reason,
            line: line_in_text(text, &at("pointer")),
        });
    }
    Ok(Quirks {
        fixes,
        path: path.to_path_buf(),
    })
}

/// Apply every fix, in file order, to the loaded documents.
pub fn apply(quirks: &Quirks, docs: &mut [Document]) -> Result<Vec<FixOutcome>> {
    let mut outcomes = Vec::with_capacity(quirks.fixes.len());
    for (index, fix) in quirks.fixes.iter().enumerate() {
        let stale = |doc: &Document, why: String| {
            let pointer = format!("/fixes/{index}/pointer");
            let line = fix.line;
            let doc_line = doc.line_of_nearest(&fix.pointer);
            let place = match doc_line {
                Some(l) => format!("{}:{l}", doc.path.display()),
                None => doc.path.display().to_string(),
            };
            Error::spec(
                Location::new(&quirks.path, pointer).with_line(line),
                format!(
                    "fix `{}` is stale: {why} (document `{}`, {place}, pointer `{}`); the \
                     document changed, so update the fix or remove it",
                    fix.id, doc.id, fix.pointer
                ),
            )
        };
        let tokens = pointer_tokens(&fix.pointer).ok_or_else(|| {
            Error::spec(
                Location::new(&quirks.path, format!("/fixes/{index}/pointer")).with_line(fix.line),
                format!("fix `{}`: `{}` is not a JSON pointer", fix.id, fix.pointer),
            )
        })?;
        let targets: Vec<usize> = if fix.document == ALL_DOCUMENTS {
            (0..docs.len())
                .filter(|&i| has_target(&docs[i].value, &tokens, fix.action))
                .collect()
        } else {
            docs.iter()
                .position(|d| d.id == fix.document)
                .into_iter()
                .collect()
        };
        if targets.is_empty() {
            outcomes.push(FixOutcome::NotApplicable {
                fix: fix.id.clone(),
                document: fix.document.clone(),
            });
            continue;
        }
        let mut applied = Vec::with_capacity(targets.len());
        for i in targets {
            let doc = &mut docs[i];
            if let Err(why) = apply_fix(fix, &tokens, &mut doc.value) {
                return Err(stale(doc, why));
            }
            applied.push(doc.id.clone());
        }
        outcomes.push(FixOutcome::Applied {
            fix: fix.id.clone(),
            documents: applied,
        });
    }
    Ok(outcomes)
}

/// For `*`: does this document have the fix's target (for `add`: its parent)?
fn has_target(value: &Value, tokens: &[String], action: Action) -> bool {
    match action {
        Action::Add => tokens.split_last().is_some_and(|(_, parent)| {
            resolve(value, parent).is_ok_and(|p| p.is_object() || p.is_array())
        }),
        _ => resolve(value, tokens).is_ok(),
    }
}

/// Apply one fix to one document value. `Err`: why the fix is stale.
fn apply_fix(fix: &Fix, tokens: &[String], root: &mut Value) -> Result<(), String> {
    let value = fix.value.clone().unwrap_or(Value::Null);
    match fix.action {
        Action::Replace | Action::Merge => {
            let node = resolve_mut(root, tokens)?;
            check_expect(fix.expect.as_ref(), node)?;
            if fix.action == Action::Replace {
                *node = value;
            } else {
                merge_patch(node, &value);
            }
            Ok(())
        }
        Action::Remove => {
            let (last, parent_tokens) = tokens.split_last().ok_or("the root cannot be removed")?;
            let node = resolve(root, tokens).map_err(|e| e.to_string())?;
            check_expect(fix.expect.as_ref(), node)?;
            match resolve_mut(root, parent_tokens)? {
                Value::Object(map) => {
                    map.shift_remove(last.as_str());
                }
                Value::Array(items) => {
                    let index = array_index(last, items.len()).ok_or("bad array index")?;
                    items.remove(index);
                }
                _ => return Err("the parent is not an object or array".into()),
            }
            Ok(())
        }
        Action::Add => {
            let (last, parent_tokens) = tokens.split_last().ok_or("the root always exists")?;
            let parent = resolve_mut(root, parent_tokens)
                .map_err(|e| format!("cannot add: the parent does not exist: {e}"))?;
            match parent {
                Value::Object(map) => {
                    if map.contains_key(last.as_str()) {
                        return Err(format!(
                            "cannot add `{last}`: it already exists (now {})",
                            brief(&map[last.as_str()])
                        ));
                    }
                    map.insert(last.clone(), value);
                    Ok(())
                }
                Value::Array(items) => {
                    if last == "-" {
                        if items.contains(&value) {
                            return Err("cannot append: the array already holds this value".into());
                        }
                        items.push(value);
                        return Ok(());
                    }
                    let index: usize = last
                        .parse()
                        .map_err(|_| format!("`{last}` is not an array index or `-`"))?;
                    if index < items.len() {
                        return Err(format!("cannot add item {index}: it already exists"));
                    }
                    if index > items.len() {
                        return Err(format!(
                            "cannot add item {index}: the array has only {} items",
                            items.len()
                        ));
                    }
                    items.push(value);
                    Ok(())
                }
                other => Err(format!("cannot add under a {}", kind(other))),
            }
        }
    }
}

fn check_expect(expect: Option<&Value>, node: &Value) -> Result<(), String> {
    let Some(expect) = expect else {
        return Ok(());
    };
    let ok = match (expect, node) {
        (Value::Object(want), Value::Object(have)) => {
            want.iter().all(|(k, v)| have.get(k) == Some(v))
        }
        _ => expect == node,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "expected {} but found {}",
            brief(expect),
            brief(node)
        ))
    }
}

/// JSON merge patch (RFC 7396). Keys keep their order; new keys go last.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(map) = target {
        for (key, value) in patch {
            if value.is_null() {
                map.shift_remove(key.as_str());
            } else {
                merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// Why a pointer does not resolve.
#[derive(Debug)]
struct Unresolved {
    /// The part that resolved.
    found: String,
    token: String,
    kind: &'static str,
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.found.is_empty() {
            "the root"
        } else {
            &self.found
        };
        write!(
            f,
            "the pointer does not resolve: no `{}` in the {} at `{at}`",
            self.token, self.kind
        )
    }
}

impl From<Unresolved> for String {
    fn from(u: Unresolved) -> String {
        u.to_string()
    }
}

fn resolve<'v>(root: &'v Value, tokens: &[String]) -> Result<&'v Value, Unresolved> {
    let mut node = root;
    for (depth, token) in tokens.iter().enumerate() {
        let next = match node {
            Value::Object(map) => map.get(token.as_str()),
            Value::Array(items) => array_index(token, items.len()).and_then(|i| items.get(i)),
            _ => None,
        };
        node = next.ok_or_else(|| unresolved(tokens, depth, node))?;
    }
    Ok(node)
}

fn resolve_mut<'v>(root: &'v mut Value, tokens: &[String]) -> Result<&'v mut Value, Unresolved> {
    resolve(root, tokens)?;
    let mut node = root;
    for token in tokens {
        node = match node {
            Value::Object(map) => map.get_mut(token.as_str()),
            Value::Array(items) => {
                let len = items.len();
                array_index(token, len).and_then(move |i| items.get_mut(i))
            }
            _ => None,
        }
        .ok_or_else(|| Unresolved {
            found: String::new(),
            token: token.clone(),
            kind: "node",
        })?;
    }
    Ok(node)
}

fn unresolved(tokens: &[String], depth: usize, node: &Value) -> Unresolved {
    let found = crate::text::pointer_from_tokens(&tokens[..depth]);
    Unresolved {
        found,
        token: tokens[depth].clone(),
        kind: kind(node),
    }
}

fn array_index(token: &str, len: usize) -> Option<usize> {
    let canonical = token == "0" || (!token.starts_with('0') && !token.starts_with('+'));
    token
        .parse::<usize>()
        .ok()
        .filter(|i| canonical && *i < len)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value shortened for messages.
fn brief(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 160 {
        let cut: String = text.chars().take(157).collect();
        format!("{cut}...")
    } else {
        text
    }
}

#[cfg(test)]
mod tests;
