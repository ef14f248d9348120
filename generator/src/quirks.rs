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
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
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
    let found: String = tokens[..depth]
        .iter()
        .map(|t| format!("/{}", crate::text::escape_token(t)))
        .collect();
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
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(id: &str, value: Value) -> Document {
        Document::from_value(id, format!("specs/{id}.json"), value)
    }

    fn quirks(text: &str) -> Quirks {
        match parse(text, Path::new("specs/quirks.yaml")) {
            Ok(q) => q,
            Err(e) => panic!("quirks fixture does not parse: {e}"),
        }
    }

    fn parse_error(text: &str) -> (String, String) {
        match parse(text, Path::new("specs/quirks.yaml")) {
            Err(Error::Spec { location, message }) => (location.pointer, message),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    fn apply_error(q: &Quirks, docs: &mut [Document]) -> (Location, String) {
        match apply(q, docs) {
            Err(Error::Spec { location, message }) => (location, message),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    fn fixture() -> Document {
        doc(
            "d",
            json!({
                "openapi": "3.1.0",
                "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "query"}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"type": "object", "properties": {
                            "code": {"type": "string", "description": "Code."},
                            "list": {"type": "string", "description": "Ids."}
                        }}}}}}}}},
                "components": {"securitySchemes": {}}
            }),
        )
    }

    const PROPS: &str = "/paths/~1a/get/responses/200/content/application~1json/schema/properties";

    #[test]
    fn replace_with_expect() {
        let q = quirks(&format!(
            "fixes:\n  - id: r\n    document: d\n    pointer: {PROPS}/code\n    expect: {{type: string}}\n    action: replace\n    value: {{anyOf: [{{type: integer}}, {{type: string}}]}}\n    reason: Code is an integer or a string.\n"
        ));
        let mut docs = [fixture()];
        let outcomes = apply(&q, &mut docs).expect("applies");
        assert_eq!(
            outcomes,
            [FixOutcome::Applied {
                fix: "r".into(),
                documents: vec!["d".into()]
            }]
        );
        let code = &docs[0].value["paths"]["/a"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]["properties"]["code"];
        assert_eq!(
            code,
            &json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})
        );
    }

    #[test]
    fn merge_keeps_other_keys_and_deletes_nulls() {
        let q = quirks(&format!(
            "fixes:\n  - id: m\n    document: d\n    pointer: {PROPS}/list\n    expect: {{type: string}}\n    action: merge\n    value: {{type: array, items: {{type: string}}}}\n    reason: An array.\n  - id: m2\n    document: d\n    pointer: {PROPS}/code\n    action: merge\n    value: {{type: null, anyOf: [{{type: integer}}]}}\n    reason: Drop type.\n"
        ));
        let mut docs = [fixture()];
        apply(&q, &mut docs).expect("applies");
        let props = &docs[0].value["paths"]["/a"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]["properties"];
        assert_eq!(
            props["list"],
            json!({"type": "array", "description": "Ids.", "items": {"type": "string"}})
        );
        let keys: Vec<&String> = props["list"].as_object().expect("object").keys().collect();
        assert_eq!(keys, ["type", "description", "items"]);
        assert_eq!(
            props["code"],
            json!({"description": "Code.", "anyOf": [{"type": "integer"}]})
        );
    }

    #[test]
    fn merge_patch_rfc7396() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut target, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(target, json!({"a": "z", "c": {"d": "e"}}));
        let mut target = json!(["a"]);
        merge_patch(&mut target, &json!({"a": {"b": "c"}}));
        assert_eq!(target, json!({"a": {"b": "c"}}));
        let mut target = json!({"a": 1});
        merge_patch(&mut target, &json!(["x"]));
        assert_eq!(target, json!(["x"]));
    }

    #[test]
    fn add_object_key_and_array_item() {
        let q = quirks(
            "fixes:\n  - id: schemas\n    document: d\n    pointer: /components/schemas\n    action: add\n    value: {}\n    reason: No schemas yet.\n  - id: err\n    document: d\n    pointer: /components/schemas/Err\n    action: add\n    value: {type: object}\n    reason: An error schema.\n  - id: param\n    document: d\n    pointer: /paths/~1a/get/parameters/-\n    action: add\n    value: {name: Idempotency-Key, in: header}\n    reason: A header.\n  - id: param1\n    document: d\n    pointer: /paths/~1a/get/parameters/2\n    action: add\n    value: {name: y, in: query}\n    reason: At the end, by index.\n",
        );
        let mut docs = [fixture()];
        let outcomes = apply(&q, &mut docs).expect("applies");
        assert!(outcomes.iter().all(FixOutcome::is_applied));
        let v = &docs[0].value;
        assert_eq!(v["components"]["schemas"]["Err"], json!({"type": "object"}));
        let params = v["paths"]["/a"]["get"]["parameters"]
            .as_array()
            .expect("array");
        assert_eq!(params.len(), 3);
        assert_eq!(params[1]["name"], "Idempotency-Key");
        assert_eq!(params[2]["name"], "y");
    }

    #[test]
    fn add_onto_existing_is_stale() {
        for (pointer, needle) in [
            ("/components/securitySchemes", "already exists"),
            ("/paths/~1a/get/parameters/0", "already exists"),
            ("/paths/~1a/get/parameters/5", "only 1 items"),
            ("/nowhere/x", "parent does not exist"),
        ] {
            let q = quirks(&format!(
                "fixes:\n  - id: a\n    document: d\n    pointer: {pointer}\n    action: add\n    value: {{}}\n    reason: Test.\n"
            ));
            let (location, message) = apply_error(&q, &mut [fixture()]);
            assert!(message.contains(needle), "{pointer}: {message}");
            assert!(message.contains("fix `a` is stale"), "{message}");
            assert!(message.contains(pointer), "{message}");
            assert_eq!(location.file, Path::new("specs/quirks.yaml"));
            assert_eq!(location.pointer, "/fixes/0/pointer");
            assert_eq!(location.line, Some(4));
        }
        let q = quirks(
            "fixes:\n  - id: a\n    document: d\n    pointer: /paths/~1a/get/parameters/-\n    action: add\n    value: {name: x, in: query}\n    reason: Already upstream.\n",
        );
        let (_, message) = apply_error(&q, &mut [fixture()]);
        assert!(message.contains("already holds this value"), "{message}");
    }

    #[test]
    fn stale_pointer() {
        let q = quirks(&format!(
            "fixes:\n  - id: gone\n    document: d\n    pointer: {PROPS}/Deleted\n    action: replace\n    value: {{}}\n    reason: Test.\n"
        ));
        let (location, message) = apply_error(&q, &mut [fixture()]);
        assert_eq!(location.pointer, "/fixes/0/pointer");
        assert!(message.contains("fix `gone` is stale"), "{message}");
        assert!(
            message.contains("no `Deleted` in the object at"),
            "{message}"
        );
        assert!(message.contains("update the fix or remove it"), "{message}");
        assert!(message.contains("specs/d.json"), "{message}");
    }

    #[test]
    fn stale_expect() {
        let q = quirks(&format!(
            "fixes:\n  - id: old\n    document: d\n    pointer: {PROPS}/code\n    expect: {{type: integer}}\n    action: merge\n    value: {{nullable: true}}\n    reason: Test.\n"
        ));
        let (_, message) = apply_error(&q, &mut [fixture()]);
        assert!(message.contains("fix `old` is stale"), "{message}");
        assert!(
            message.contains(r#"expected {"type":"integer"} but found"#),
            "{message}"
        );
        // an expect on a scalar compares exactly
        let q = quirks(&format!(
            "fixes:\n  - id: s\n    document: d\n    pointer: {PROPS}/code/type\n    expect: integer\n    action: replace\n    value: number\n    reason: Test.\n"
        ));
        assert!(apply_error(&q, &mut [fixture()])
            .1
            .contains("expected \"integer\""));
    }

    #[test]
    fn remove() {
        let q = quirks(&format!(
            "fixes:\n  - id: rm\n    document: d\n    pointer: {PROPS}/code\n    expect: {{type: string}}\n    action: remove\n    reason: Test.\n  - id: rm0\n    document: d\n    pointer: /paths/~1a/get/parameters/0\n    action: remove\n    reason: Test.\n"
        ));
        let mut docs = [fixture()];
        apply(&q, &mut docs).expect("applies");
        let v = &docs[0].value;
        let props = &v["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"]["properties"];
        assert_eq!(props.as_object().map(|m| m.len()), Some(1));
        assert_eq!(v["paths"]["/a"]["get"]["parameters"], json!([]));
        let (_, message) = apply_error(&q, &mut docs);
        assert!(message.contains("no `code`"), "{message}");
    }

    #[test]
    fn not_applicable_and_star() {
        let q = quirks(
            "fixes:\n  - id: other\n    document: not-loaded\n    pointer: /x\n    action: remove\n    reason: Test.\n  - id: star\n    document: '*'\n    pointer: /components/securitySchemes/key\n    action: add\n    value: {type: apiKey}\n    reason: Test.\n  - id: star-none\n    document: '*'\n    pointer: /nowhere/at/all\n    action: replace\n    value: 1\n    reason: Test.\n",
        );
        let mut docs = [fixture(), doc("e", json!({"openapi": "3.1.0"}))];
        let outcomes = apply(&q, &mut docs).expect("applies");
        assert_eq!(
            outcomes,
            [
                FixOutcome::NotApplicable {
                    fix: "other".into(),
                    document: "not-loaded".into()
                },
                FixOutcome::Applied {
                    fix: "star".into(),
                    documents: vec!["d".into()]
                },
                FixOutcome::NotApplicable {
                    fix: "star-none".into(),
                    document: "*".into()
                },
            ]
        );
        assert_eq!(
            docs[0].value["components"]["securitySchemes"]["key"]["type"],
            "apiKey"
        );
        assert_eq!(
            outcomes[0].to_string(),
            "skipped fix `other`: document `not-loaded` is not an input"
        );
        assert_eq!(outcomes[1].to_string(), "applied fix `star` to d");
        // `*` with a stale expect on a document that has the pointer is an error
        let q = quirks(
            "fixes:\n  - id: star\n    document: '*'\n    pointer: /openapi\n    expect: 3.0.0\n    action: replace\n    value: 3.0.3\n    reason: Test.\n",
        );
        let (_, message) = apply_error(&q, &mut docs);
        assert!(message.contains("fix `star` is stale"), "{message}");
    }

    #[test]
    fn missing_or_multiline_reason() {
        let (pointer, message) = parse_error(
            "fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: remove\n",
        );
        assert_eq!(pointer, "/fixes/0");
        assert!(message.contains("fix `a` needs a `reason`"), "{message}");
        let (pointer, _) = parse_error(
            "fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: remove\n    reason: '  '\n",
        );
        assert_eq!(pointer, "/fixes/0/reason");
        let (pointer, _) = parse_error(
            "fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: remove\n    reason: |\n      two\n      lines\n",
        );
        assert_eq!(pointer, "/fixes/0/reason");
    }

    #[test]
    fn validation_errors() {
        let base = "fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: replace\n    value: 1\n    reason: R.\n";
        assert!(parse(base, Path::new("q.yaml")).is_ok());
        let cases = [
            (
                base.replace("pointer: /x", "pointer: x"),
                "/fixes/0/pointer",
                "not a JSON pointer",
            ),
            (
                base.replace("pointer: /x", "pointer: /a~2"),
                "/fixes/0/pointer",
                "not a JSON pointer",
            ),
            (
                base.replace("replace", "patch"),
                "/fixes/0/action",
                "unknown action `patch`",
            ),
            (
                base.replace("    value: 1\n", ""),
                "/fixes/0",
                "needs a `value`",
            ),
            (
                base.replace("replace", "remove"),
                "/fixes/0/value",
                "takes no `value`",
            ),
            (
                base.replace("action: replace", "action: add\n    expect: 1"),
                "/fixes/0/expect",
                "nothing to `expect`",
            ),
            (
                base.replace("    document: d\n", ""),
                "/fixes/0",
                "no `document`",
            ),
            (
                base.replace("reason: R.", "reason: R.\n    why: x"),
                "/fixes/0/why",
                "unknown key `why`",
            ),
            (
                format!("{base}{}", &base[7..]),
                "/fixes/1/id",
                "duplicate fix id `a`",
            ),
            ("fixes: {}\n".to_string(), "/fixes", "must be a list"),
            ("fix: []\n".to_string(), "/fix", "unknown key"),
            (
                base.replace("id: a", "id: 3"),
                "/fixes/0/id",
                "must be a string",
            ),
        ];
        for (text, pointer, needle) in cases {
            let (got, message) = parse_error(&text);
            assert_eq!(got, pointer, "{text}\n{message}");
            assert!(message.contains(needle), "{text}\n{message}");
        }
    }

    #[test]
    fn yaml_keys_and_null_values() {
        let q = quirks(
            "fixes:\n  - id: a\n    document: d\n    pointer: /x\n    action: replace\n    value: {200: {type: 'null'}, nothing: null}\n    reason: R.\n",
        );
        assert_eq!(
            q.fixes[0].value,
            Some(json!({"200": {"type": "null"}, "nothing": null}))
        );
        assert_eq!(q.fixes[0].line, Some(4));
        assert!(parse("", Path::new("q.yaml"))
            .expect("empty is fine")
            .fixes
            .is_empty());
    }

    // -------------------------------------------------------------------------------
    // The real specs/quirks.yaml

    fn specs_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
    }

    fn real_quirks() -> Quirks {
        match read(&specs_dir()) {
            Ok(Some(q)) => q,
            Ok(None) => panic!("specs/quirks.yaml is missing"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn real_quirks_round_trip() {
        let q = real_quirks();
        let yaml = serde_yaml::to_string(&q).expect("serialises");
        let again = parse(&yaml, &q.path).expect("re-parses");
        let strip = |q: &Quirks| -> Vec<Fix> {
            q.fixes
                .iter()
                .cloned()
                .map(|f| Fix { line: None, ..f })
                .collect()
        };
        assert_eq!(strip(&again), strip(&q));
    }

    #[test]
    fn real_quirks_on_specs_dir() {
        let q = real_quirks();
        let mut docs = crate::load::load_dir(&specs_dir()).expect("specs/ loads");
        let outcomes = apply(&q, &mut docs).expect("every fix applies");
        for outcome in &outcomes {
            let fix = q
                .fixes
                .iter()
                .find(|f| f.id == outcome.fix_id())
                .expect("known fix");
            assert!(outcome.is_applied(), "{outcome} ({})", fix.reason);
        }
        let vdel = &docs[2].value;
        let schema = &vdel["paths"]["/v1/video.delete"]["delete"]["responses"]["200"]["content"]
            ["application/json"]["schema"];
        assert_eq!(
            schema["properties"]["data"]["properties"]["Deleted"],
            json!({"type": "array", "description": "ID(s) of the deleted video(s). ", "items": {"type": "string"}})
        );
        assert_eq!(
            schema["properties"]["msg"]["type"],
            json!(["string", "null"])
        );
        assert_eq!(
            schema["properties"]["code"]["anyOf"],
            json!([{"type": "integer"}, {"type": "string"}])
        );
        let pdel = &docs[3].value;
        assert_eq!(
            pdel["components"]["schemas"]["LegacyError"],
            vdel["components"]["schemas"]["LegacyError"]
        );
        let members = vdel["components"]["schemas"]["LegacyError"]["anyOf"]
            .as_array()
            .expect("anyOf");
        assert_eq!(members.last(), Some(&json!({})));
        assert_eq!(
            pdel["paths"]["/v2/photo_avatar/{avatar_id}"]["delete"]["responses"]["404"]["content"]
                ["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/LegacyError"})
        );
        // the fixed schemas now accept the documented examples
        let example = &pdel["paths"]["/v2/photo_avatar/{avatar_id}"]["delete"]["responses"]["200"]
            ["content"]["application/json"]["examples"]["Result"]["value"];
        let props = &pdel["paths"]["/v2/photo_avatar/{avatar_id}"]["delete"]["responses"]["200"]
            ["content"]["application/json"]["schema"]["properties"];
        for (key, value) in example.as_object().expect("object") {
            let types = &props[key];
            let ok = match value {
                Value::Null => types["type"] == json!(["string", "null"]),
                Value::Number(_) => types["anyOf"][0]["type"] == "integer",
                _ => false,
            };
            assert!(ok, "{key}: {value} vs {types}");
        }
    }

    #[test]
    fn idempotency_key_on_every_post_the_changelog_names() {
        let q = real_quirks();
        let mut docs = crate::load::load_dir(&specs_dir()).expect("specs/ loads");
        let outcomes = apply(&q, &mut docs).expect("every fix applies");
        assert_eq!(outcomes.len(), q.fixes.len());
        let api = &docs[0].value;
        let mut with_key = 0;
        for (path, item) in api["paths"].as_object().expect("paths") {
            let Some(params) = item["post"]["parameters"].as_array() else {
                continue;
            };
            let keys: Vec<&Value> = params
                .iter()
                .filter(|p| p["name"] == "Idempotency-Key")
                .collect();
            if let [key] = keys.as_slice() {
                assert_eq!(key["in"], "header", "{path}");
                assert_eq!(key["required"], false, "{path}");
                with_key += 1;
            }
        }
        assert_eq!(with_key, 10);
        let consent = &api["paths"]["/v3/avatars/{group_id}/consent"]["post"]["parameters"];
        assert_eq!(consent[0]["name"], "group_id");
        assert_eq!(consent[1]["name"], "Idempotency-Key");
    }
}
