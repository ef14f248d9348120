//! OpenAPI 3.1 -> the 3.0 shape the `openapiv3` 2.2 crate reads, without losing meaning.
//!
//! `openapiv3` rejects `type` arrays and numeric `exclusiveMinimum`, and silently drops
//! `const`, schema `examples` and the siblings of a `$ref`. Each rewrite below is one small
//! function over a schema `&mut Value`; [`normalise`] walks only the schema positions of a
//! document (so a property *named* `type`, or a media type's `examples` map, is never
//! touched) and applies them bottom-up: the children of a node are normal before the node
//! itself is examined.
//!
//! | 3.1 | becomes |
//! |---|---|
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [A, B]` | `anyOf: [{type: A, ..}, {type: B, ..}]` (type-specific keywords move along) |
//! | `type: "null"` | `nullable: true, enum: [null], x-null: true` |
//! | `anyOf/oneOf: [X, {type: "null"}]` | X's keys + `nullable: true` (a `$ref` X: `allOf: [X]`) |
//! | `anyOf/oneOf: [X, Y, {type: "null"}]` | `anyOf/oneOf: [X, Y], nullable: true` |
//! | `const: v` | `enum: [v], x-const: v` (+ `type` from v) |
//! | `$ref` + siblings | `allOf: [{$ref}]` + siblings |
//! | `examples: [a, ..]` | `x-examples: [a, ..], example: a` |
//! | `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` (same for maximum) |
//! | `true` / `false` schema | `{}` / `{not: {}}` |
//! | `$schema`, `$id` | dropped |
//! | `contentMediaType`, `prefixItems`, ... | `x-content-media-type`, `x-prefix-items`, ... |
//! | `openapi: 3.1.x` | `openapi: 3.0.3, x-original-openapi: 3.1.x` |

use std::fmt;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::load::Document;
use crate::text::escape_token;

/// The version written into every normalised document.
pub const TARGET_VERSION: &str = "3.0.3";

/// How many times each rewrite fired.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NormaliseStats {
    /// `type: [..]` arrays rewritten ([`type_array`]).
    pub type_arrays: usize,
    /// Bare `type: "null"` schemas rewritten ([`null_type`]).
    pub null_types: usize,
    /// `anyOf`/`oneOf` unions that had a null member ([`nullable_union`]).
    pub nullable_unions: usize,
    /// `const` keywords ([`const_to_enum`]).
    pub consts: usize,
    /// Schema `examples` arrays ([`examples_array`]).
    pub examples_arrays: usize,
    /// `$ref`s with sibling keywords ([`ref_siblings`]).
    pub ref_siblings: usize,
    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` keywords ([`exclusive_bounds`]).
    pub exclusive_bounds: usize,
    /// `true`/`false` schemas ([`boolean_schema`]).
    pub boolean_schemas: usize,
    /// 3.1-only keywords dropped ([`drop_keywords`]).
    pub dropped_keywords: usize,
    /// 3.1-only keywords kept as `x-` extensions ([`drop_keywords`]).
    pub renamed_keywords: usize,
    /// Whether the top-level `openapi` version was rewritten.
    pub version_rewritten: bool,
}

impl NormaliseStats {
    /// The number of rewrites (not counting the version).
    pub fn total(&self) -> usize {
        self.type_arrays
            + self.null_types
            + self.nullable_unions
            + self.consts
            + self.examples_arrays
            + self.ref_siblings
            + self.exclusive_bounds
            + self.boolean_schemas
            + self.dropped_keywords
            + self.renamed_keywords
    }
}

impl std::ops::AddAssign for NormaliseStats {
    fn add_assign(&mut self, other: Self) {
        self.type_arrays += other.type_arrays;
        self.null_types += other.null_types;
        self.nullable_unions += other.nullable_unions;
        self.consts += other.consts;
        self.examples_arrays += other.examples_arrays;
        self.ref_siblings += other.ref_siblings;
        self.exclusive_bounds += other.exclusive_bounds;
        self.boolean_schemas += other.boolean_schemas;
        self.dropped_keywords += other.dropped_keywords;
        self.renamed_keywords += other.renamed_keywords;
        self.version_rewritten |= other.version_rewritten;
    }
}

impl fmt::Display for NormaliseStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} type arrays, {} null types, {} nullable unions, {} consts, {} examples arrays, \
             {} $ref siblings, {} exclusive bounds, {} boolean schemas, {} keywords dropped, \
             {} keywords renamed",
            self.type_arrays,
            self.null_types,
            self.nullable_unions,
            self.consts,
            self.examples_arrays,
            self.ref_siblings,
            self.exclusive_bounds,
            self.boolean_schemas,
            self.dropped_keywords,
            self.renamed_keywords
        )
    }
}

/// Normalise a document in place (idempotent: a second run changes nothing).
pub fn normalise(doc: &mut Document) -> Result<NormaliseStats> {
    let mut stats = NormaliseStats::default();
    let mut walker = Walker {
        stats: &mut stats,
        pointer: String::new(),
    };
    if let Err((pointer, message)) = walker.document(&mut doc.value) {
        return Err(Error::spec(doc.location(&pointer), message));
    }
    stats.version_rewritten = set_version(&mut doc.value);
    Ok(stats)
}

/// `openapi: 3.0.3`, the original version in `x-original-openapi`; `paths: {}` when absent
/// (3.1 makes it optional, `openapiv3` requires it).
pub fn set_version(root: &mut Value) -> bool {
    let Some(map) = root.as_object_mut() else {
        return false;
    };
    let mut changed = false;
    if !map.contains_key("paths") {
        map.insert("paths".into(), Value::Object(Map::new()));
        changed = true;
    }
    let original = map.get("openapi").cloned();
    if original.as_ref().and_then(Value::as_str) == Some(TARGET_VERSION) {
        return changed;
    }
    let at = map.keys().position(|k| k == "openapi").unwrap_or(0);
    map.insert("openapi".into(), Value::String(TARGET_VERSION.into()));
    if let Some(original) = original {
        if !map.contains_key("x-original-openapi") {
            insert_at(map, at + 1, "x-original-openapi".into(), original);
        }
    }
    true
}

// ---------------------------------------------------------------------------------------
// The walk over schema positions

/// A rewrite failure: (pointer, message).
type WalkError = (String, String);

struct Walker<'s> {
    stats: &'s mut NormaliseStats,
    pointer: String,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Walker<'_> {
    fn enter(&mut self, token: &str) -> usize {
        let len = self.pointer.len();
        self.pointer.push('/');
        self.pointer.push_str(&escape_token(token));
        len
    }

    /// Call `f` on `value[key]` (if present) with the pointer extended by `key`.
    fn at<F>(&mut self, value: &mut Value, key: &str, f: F) -> Result<(), WalkError>
    where
        F: FnOnce(&mut Self, &mut Value) -> Result<(), WalkError>,
    {
        let Some(child) = value.get_mut(key) else {
            return Ok(());
        };
        let len = self.enter(key);
        let result = f(self, child);
        self.pointer.truncate(len);
        result
    }

    /// Call `f` on every entry of the map `value[key]`.
    fn each_entry<F>(&mut self, value: &mut Value, key: &str, mut f: F) -> Result<(), WalkError>
    where
        F: FnMut(&mut Self, &mut Value) -> Result<(), WalkError>,
    {
        self.at(value, key, |w, map| {
            let Some(map) = map.as_object_mut() else {
                return Ok(());
            };
            for (name, item) in map.iter_mut() {
                let len = w.enter(name);
                let result = f(w, item);
                w.pointer.truncate(len);
                result?;
            }
            Ok(())
        })
    }

    /// Call `f` on every item of the array `value[key]`.
    fn each_item<F>(&mut self, value: &mut Value, key: &str, mut f: F) -> Result<(), WalkError>
    where
        F: FnMut(&mut Self, &mut Value) -> Result<(), WalkError>,
    {
        self.at(value, key, |w, items| {
            let Some(items) = items.as_array_mut() else {
                return Ok(());
            };
            for (i, item) in items.iter_mut().enumerate() {
                let len = w.enter(&i.to_string());
                let result = f(w, item);
                w.pointer.truncate(len);
                result?;
            }
            Ok(())
        })
    }

    fn document(&mut self, root: &mut Value) -> Result<(), WalkError> {
        self.each_entry(root, "paths", Self::path_item)?;
        self.each_entry(root, "webhooks", Self::path_item)?;
        self.at(root, "components", |w, components| {
            w.each_entry(components, "schemas", Self::schema)?;
            w.each_entry(components, "parameters", Self::parameter)?;
            w.each_entry(components, "headers", Self::parameter)?;
            w.each_entry(components, "responses", Self::response)?;
            w.each_entry(components, "requestBodies", Self::request_body)?;
            w.each_entry(components, "pathItems", Self::path_item)?;
            w.each_entry(components, "callbacks", Self::callback)
        })
    }

    fn path_item(&mut self, item: &mut Value) -> Result<(), WalkError> {
        self.each_item(item, "parameters", Self::parameter)?;
        for method in METHODS {
            self.at(item, method, Self::operation)?;
        }
        Ok(())
    }

    fn callback(&mut self, callback: &mut Value) -> Result<(), WalkError> {
        if is_reference(callback) {
            return Ok(());
        }
        let Some(map) = callback.as_object_mut() else {
            return Ok(());
        };
        for (expression, item) in map.iter_mut() {
            if expression.starts_with("x-") {
                continue;
            }
            let len = self.enter(expression);
            let result = self.path_item(item);
            self.pointer.truncate(len);
            result?;
        }
        Ok(())
    }

    fn operation(&mut self, op: &mut Value) -> Result<(), WalkError> {
        self.each_item(op, "parameters", Self::parameter)?;
        self.at(op, "requestBody", Self::request_body)?;
        self.each_entry(op, "responses", Self::response)?;
        self.each_entry(op, "callbacks", Self::callback)
    }

    /// A parameter or a header: `schema`, or `content/*/schema`.
    fn parameter(&mut self, param: &mut Value) -> Result<(), WalkError> {
        if is_reference(param) {
            return Ok(());
        }
        self.at(param, "schema", Self::schema)?;
        self.each_entry(param, "content", Self::media_type)
    }

    fn request_body(&mut self, body: &mut Value) -> Result<(), WalkError> {
        if is_reference(body) {
            return Ok(());
        }
        self.each_entry(body, "content", Self::media_type)
    }

    fn response(&mut self, response: &mut Value) -> Result<(), WalkError> {
        if is_reference(response) {
            return Ok(());
        }
        self.each_entry(response, "headers", Self::parameter)?;
        self.each_entry(response, "content", Self::media_type)
    }

    fn media_type(&mut self, media: &mut Value) -> Result<(), WalkError> {
        self.at(media, "schema", Self::schema)?;
        self.each_entry(media, "encoding", |w, encoding| {
            w.each_entry(encoding, "headers", Self::parameter)
        })
    }

    /// A schema: its children first, then the rewrites of the node itself.
    fn schema(&mut self, schema: &mut Value) -> Result<(), WalkError> {
        if schema.is_object() {
            for key in [
                "properties",
                "patternProperties",
                "$defs",
                "dependentSchemas",
            ] {
                self.each_entry(schema, key, Self::schema)?;
            }
            if schema.get("items").is_some_and(Value::is_array) {
                self.each_item(schema, "items", Self::schema)?;
            } else {
                self.at(schema, "items", Self::schema)?;
            }
            for key in [
                "additionalProperties",
                "unevaluatedProperties",
                "unevaluatedItems",
            ] {
                if schema.get(key).is_some_and(Value::is_object) {
                    self.at(schema, key, Self::schema)?;
                }
            }
            for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
                self.each_item(schema, key, Self::schema)?;
            }
            for key in ["not", "if", "then", "else", "contains", "propertyNames"] {
                self.at(schema, key, Self::schema)?;
            }
        }
        self.rewrite(schema)
            .map_err(|message| (self.pointer.clone(), message))
    }

    fn rewrite(&mut self, schema: &mut Value) -> Result<(), String> {
        let stats = &mut *self.stats;
        stats.boolean_schemas += usize::from(boolean_schema(schema));
        let (dropped, renamed) = drop_keywords(schema);
        stats.dropped_keywords += dropped;
        stats.renamed_keywords += renamed;
        stats.consts += usize::from(const_to_enum(schema));
        stats.examples_arrays += usize::from(examples_array(schema));
        stats.exclusive_bounds += exclusive_bounds(schema);
        stats.type_arrays += usize::from(type_array(schema)?);
        stats.null_types += usize::from(null_type(schema));
        stats.nullable_unions += usize::from(nullable_union(schema));
        stats.ref_siblings += usize::from(ref_siblings(schema));
        Ok(())
    }
}

/// A Reference Object (`$ref`, maybe with `summary`/`description`) outside schemas.
fn is_reference(value: &Value) -> bool {
    value.get("$ref").is_some_and(Value::is_string)
}

// ---------------------------------------------------------------------------------------
// The rewrites, one per 3.1 construct

/// `true` -> `{}`, `false` -> `{not: {}}`.
pub fn boolean_schema(schema: &mut Value) -> bool {
    let Value::Bool(b) = *schema else {
        return false;
    };
    *schema = if b {
        Value::Object(Map::new())
    } else {
        let mut not = Map::new();
        not.insert("not".into(), Value::Object(Map::new()));
        Value::Object(not)
    };
    true
}

/// JSON Schema keywords that only identify the schema: dropped.
pub const DROPPED_KEYWORDS: [&str; 4] = ["$schema", "$id", "$anchor", "$dynamicAnchor"];

/// 3.1 keywords `openapiv3` would silently drop, kept as `x-` extensions (so a later stage
/// can still read them): (keyword, extension).
pub const RENAMED_KEYWORDS: [(&str, &str); 19] = [
    ("contentMediaType", "x-content-media-type"),
    ("contentEncoding", "x-content-encoding"),
    ("contentSchema", "x-content-schema"),
    ("prefixItems", "x-prefix-items"),
    ("$defs", "x-defs"),
    ("$comment", "x-comment"),
    ("$dynamicRef", "x-dynamic-ref"),
    ("if", "x-if"),
    ("then", "x-then"),
    ("else", "x-else"),
    ("dependentRequired", "x-dependent-required"),
    ("dependentSchemas", "x-dependent-schemas"),
    ("patternProperties", "x-pattern-properties"),
    ("propertyNames", "x-property-names"),
    ("unevaluatedProperties", "x-unevaluated-properties"),
    ("unevaluatedItems", "x-unevaluated-items"),
    ("contains", "x-contains"),
    ("minContains", "x-min-contains"),
    ("maxContains", "x-max-contains"),
];

/// Drop the identification keywords and rename the other 3.1-only ones to `x-`
/// extensions, in place. Returns (dropped, renamed).
pub fn drop_keywords(schema: &mut Value) -> (usize, usize) {
    let Some(map) = schema.as_object_mut() else {
        return (0, 0);
    };
    let mut dropped = 0;
    for key in DROPPED_KEYWORDS {
        if map.shift_remove(key).is_some() {
            dropped += 1;
        }
    }
    let mut renamed = 0;
    for (key, extension) in RENAMED_KEYWORDS {
        if rename_key(map, key, extension) {
            renamed += 1;
        }
    }
    (dropped, renamed)
}

/// `Map::shift_insert` with the index clamped to the map, so it never panics.
fn insert_at(map: &mut Map<String, Value>, index: usize, key: String, value: Value) {
    let last = if map.contains_key(&key) {
        map.len().saturating_sub(1)
    } else {
        map.len()
    };
    map.shift_insert(index.min(last), key, value);
}

/// Rename `from` to `to` in place (keeping the position); false if `from` is absent or
/// `to` is taken.
fn rename_key(map: &mut Map<String, Value>, from: &str, to: &str) -> bool {
    if !map.contains_key(from) || map.contains_key(to) {
        return false;
    }
    let Some(at) = map.keys().position(|k| k == from) else {
        return false;
    };
    let Some(value) = map.shift_remove(from) else {
        return false;
    };
    insert_at(map, at, to.to_string(), value);
    true
}

/// `const: v` -> `enum: [v]`, `x-const: v`, and `type` inferred from v when missing.
pub fn const_to_enum(schema: &mut Value) -> bool {
    let Some(map) = schema.as_object_mut() else {
        return false;
    };
    let Some(at) = map.keys().position(|k| k == "const") else {
        return false;
    };
    let Some(value) = map.shift_remove("const") else {
        return false;
    };
    map.shift_remove("enum");
    let mut at = at;
    if !map.contains_key("type") {
        insert_at(
            map,
            at,
            "type".into(),
            Value::String(json_type(&value).into()),
        );
        at += 1;
    }
    insert_at(map, at, "enum".into(), Value::Array(vec![value.clone()]));
    insert_at(map, at + 1, "x-const".into(), value);
    true
}

/// The JSON Schema type of a value.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Schema `examples: [a, ..]` -> `x-examples: [a, ..]`, plus `example: a` when the schema
/// has no `example`.
pub fn examples_array(schema: &mut Value) -> bool {
    let Some(map) = schema.as_object_mut() else {
        return false;
    };
    let first = match map.get("examples") {
        Some(Value::Array(items)) => items.first().cloned(),
        _ => return false,
    };
    if map.contains_key("x-examples") {
        return false;
    }
    let Some(at) = map.keys().position(|k| k == "examples") else {
        return false;
    };
    rename_key(map, "examples", "x-examples");
    if let Some(first) = first {
        if !map.contains_key("example") {
            insert_at(map, at, "example".into(), first);
        }
    }
    true
}

/// Numeric `exclusiveMinimum: n` -> `minimum: n, exclusiveMinimum: true` (same for the
/// maximum); when `minimum` is also there, the stricter bound wins. Returns how many
/// bounds were rewritten.
pub fn exclusive_bounds(schema: &mut Value) -> usize {
    let Some(map) = schema.as_object_mut() else {
        return 0;
    };
    let mut count = 0;
    for (exclusive, inclusive, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(bound)) = map.get(exclusive).cloned() else {
            continue;
        };
        count += 1;
        let n = bound.as_f64().unwrap_or(f64::NAN);
        if let Some(other) = map.get(inclusive).and_then(Value::as_f64) {
            let inclusive_is_stricter = if lower { other > n } else { other < n };
            if inclusive_is_stricter {
                map.shift_remove(exclusive);
                continue;
            }
        }
        let at = map.keys().position(|k| k == exclusive).unwrap_or(map.len());
        map.insert(exclusive.into(), Value::Bool(true));
        if map.contains_key(inclusive) {
            map.insert(inclusive.into(), Value::Number(bound));
        } else {
            insert_at(map, at, inclusive.into(), Value::Number(bound));
        }
    }
    count
}

/// The JSON Schema type names.
const TYPES: [&str; 7] = [
    "string", "number", "integer", "boolean", "object", "array", "null",
];

/// Keywords that only apply to some types: they move to the matching `anyOf` member when
/// a `type` array is split.
fn keyword_types(keyword: &str) -> Option<&'static [&'static str]> {
    Some(match keyword {
        "minLength"
        | "maxLength"
        | "pattern"
        | "x-content-media-type"
        | "x-content-encoding"
        | "x-content-schema" => &["string"],
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            &["number", "integer"]
        }
        "items"
        | "minItems"
        | "maxItems"
        | "uniqueItems"
        | "x-prefix-items"
        | "x-contains"
        | "x-min-contains"
        | "x-max-contains"
        | "x-unevaluated-items" => &["array"],
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "x-pattern-properties"
        | "x-property-names"
        | "x-dependent-required"
        | "x-dependent-schemas"
        | "x-unevaluated-properties" => &["object"],
        _ => return None,
    })
}

/// The types a `format` belongs to.
fn format_types(format: &str) -> &'static [&'static str] {
    match format {
        "int32" | "int64" => &["integer"],
        "float" | "double" => &["number"],
        _ => &["string"],
    }
}

/// The member type an enum value belongs to, given the member types.
fn enum_value_type(value: &Value, types: &[String]) -> Option<String> {
    let own = json_type(value);
    if types.iter().any(|t| t == own) {
        return Some(own.to_string());
    }
    (own == "integer" && types.iter().any(|t| t == "number")).then(|| "number".to_string())
}

/// `type: [T, "null"]` -> `type: T, nullable: true`; `type: [T]` -> `type: T`;
/// `type: [A, B, ..]` -> `anyOf: [{type: A, ..}, {type: B, ..}]` (+ `nullable: true` when
/// `"null"` is listed) with the type-specific keywords (and enum values) moved to their
/// member; `type: ["null"]` -> `type: "null"` (see [`null_type`]).
pub fn type_array(schema: &mut Value) -> Result<bool, String> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(false);
    };
    let Some(Value::Array(list)) = map.get("type") else {
        return Ok(false);
    };
    let mut types: Vec<String> = Vec::new();
    for item in list {
        let Some(name) = item.as_str().filter(|n| TYPES.contains(n)) else {
            return Err(format!(
                "`type` lists {item}, which is not a JSON Schema type ({})",
                TYPES.join(", ")
            ));
        };
        if !types.iter().any(|t| t == name) {
            types.push(name.to_string());
        }
    }
    let nullable = types.iter().any(|t| t == "null");
    types.retain(|t| t != "null");
    let at = map.keys().position(|k| k == "type").unwrap_or(0);
    match types.len() {
        0 if nullable => {
            map.insert("type".into(), Value::String("null".into()));
        }
        0 => return Err("`type` is an empty list".into()),
        1 => {
            map.insert("type".into(), Value::String(types.remove(0)));
            if nullable {
                insert_at(map, at + 1, "nullable".into(), Value::Bool(true));
            }
        }
        _ => {
            if map.contains_key("anyOf") {
                return Err(
                    "`type` lists several types next to `anyOf`; this combination \
                            is not supported"
                        .into(),
                );
            }
            map.shift_remove("type");
            let members = split_by_type(map, &types, nullable);
            insert_at(map, at, "anyOf".into(), Value::Array(members));
            if nullable {
                insert_at(map, at + 1, "nullable".into(), Value::Bool(true));
            }
        }
    }
    Ok(true)
}

/// One `anyOf` member per type, taking the type-specific keywords (and enum values) out
/// of `map`. A member left without any enum value (when there is an enum) is dropped.
fn split_by_type(map: &mut Map<String, Value>, types: &[String], nullable: bool) -> Vec<Value> {
    let mut members: Vec<Map<String, Value>> = types
        .iter()
        .map(|t| {
            let mut m = Map::new();
            m.insert("type".into(), Value::String(t.clone()));
            m
        })
        .collect();
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        let targets: Vec<&str> = match key.as_str() {
            "format" => match map.get("format").and_then(Value::as_str) {
                Some(format) => format_types(format).to_vec(),
                None => continue,
            },
            other => match keyword_types(other) {
                Some(targets) => targets.to_vec(),
                None => continue,
            },
        };
        let owners: Vec<usize> = (0..types.len())
            .filter(|&i| targets.contains(&types[i].as_str()))
            .collect();
        if owners.is_empty() {
            continue; // stays on the node, harmlessly
        }
        if let Some(value) = map.shift_remove(&key) {
            for i in owners {
                members[i].insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(Value::Array(values)) = map.get("enum").cloned() {
        map.shift_remove("enum");
        let mut per_member: Vec<Vec<Value>> = vec![Vec::new(); types.len()];
        for value in values {
            if value.is_null() {
                continue; // `nullable` carries it
            }
            if let Some(t) = enum_value_type(&value, types) {
                if let Some(i) = types.iter().position(|x| *x == t) {
                    per_member[i].push(value);
                }
            }
        }
        let mut kept = Vec::new();
        for (mut member, values) in members.into_iter().zip(per_member) {
            if !values.is_empty() {
                member.insert("enum".into(), Value::Array(values));
                kept.push(member);
            }
        }
        members = kept;
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }
    members.into_iter().map(Value::Object).collect()
}

/// `type: "null"` -> `nullable: true, enum: [null], x-null: true` (a schema that only
/// admits null; `openapiv3` has no null type).
pub fn null_type(schema: &mut Value) -> bool {
    let Some(map) = schema.as_object_mut() else {
        return false;
    };
    if map.get("type").and_then(Value::as_str) != Some("null") {
        return false;
    }
    let at = map.keys().position(|k| k == "type").unwrap_or(0);
    map.shift_remove("type");
    map.shift_remove("nullable");
    map.shift_remove("enum");
    map.shift_remove("x-null");
    insert_at(map, at, "nullable".into(), Value::Bool(true));
    insert_at(map, at + 1, "enum".into(), Value::Array(vec![Value::Null]));
    insert_at(map, at + 2, "x-null".into(), Value::Bool(true));
    true
}

/// Keys a null member of a union may have besides its null marker.
const NULL_SCHEMA_KEYS: [&str; 14] = [
    "type",
    "nullable",
    "enum",
    "const",
    "x-null",
    "x-const",
    "description",
    "title",
    "default",
    "example",
    "examples",
    "x-examples",
    "deprecated",
    "readOnly",
];

/// Is this a schema that only admits null (`{type: "null"}`, its normalised form
/// `{x-null: true, ..}`, `{enum: [null]}`, `{const: null}`)?
pub fn is_null_schema(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    if !map.keys().all(|k| NULL_SCHEMA_KEYS.contains(&k.as_str())) {
        return false;
    }
    let only_null = |v: Option<&Value>| matches!(v, Some(Value::Array(items)) if items.len() == 1 && items[0].is_null());
    let type_ok = match map.get("type") {
        None => true,
        Some(Value::String(t)) => t == "null",
        Some(_) => false,
    };
    type_ok
        && (map.get("type").is_some()
            || map.get("x-null") == Some(&Value::Bool(true))
            || only_null(map.get("enum"))
            || map.get("const") == Some(&Value::Null))
}

/// Keys of a union node that win over the same keys of its one non-null member when the
/// member is merged into the node.
const NODE_WINS: [&str; 6] = [
    "description",
    "title",
    "default",
    "example",
    "examples",
    "x-examples",
];

/// `anyOf`/`oneOf` with null members: with exactly one other member X, X's content made
/// nullable (a `$ref` X: `{allOf: [X], nullable: true, <siblings>}`; else X's keys merged
/// into the node, whose description/title/default/example/examples win; on any other
/// conflicting key X is kept whole under `allOf`); with several other members, the null
/// members removed and `nullable: true` set.
pub fn nullable_union(schema: &mut Value) -> bool {
    let Some(map) = schema.as_object_mut() else {
        return false;
    };
    let mut changed = false;
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = map.get(key) else {
            continue;
        };
        if !members.iter().any(is_null_schema) {
            continue;
        }
        let mut others: Vec<Value> = members
            .iter()
            .filter(|m| !is_null_schema(m))
            .cloned()
            .collect();
        changed = true;
        let at = map.keys().position(|k| k == key).unwrap_or(0);
        match others.len() {
            0 => {
                map.shift_remove(key);
                let mut null = Value::Object(Map::new());
                if let Some(obj) = null.as_object_mut() {
                    obj.insert("type".into(), Value::String("null".into()));
                }
                null_type(&mut null);
                if let Value::Object(null) = null {
                    for (i, (k, v)) in null.into_iter().enumerate() {
                        insert_at(map, at + i, k, v);
                    }
                }
            }
            1 => {
                map.shift_remove(key);
                let member = others.remove(0);
                merge_member(map, at, member);
            }
            _ => {
                map.insert(key.into(), Value::Array(others));
                map.shift_remove("nullable");
                insert_at(map, at + 1, "nullable".into(), Value::Bool(true));
            }
        }
    }
    changed
}

/// Put the one non-null member of a union into the node at position `at`, nullable.
fn merge_member(map: &mut Map<String, Value>, at: usize, member: Value) {
    let mergeable = match &member {
        Value::Object(m) if !(m.len() == 1 && m.contains_key("$ref")) => m
            .iter()
            .all(|(k, v)| NODE_WINS.contains(&k.as_str()) || map.get(k).is_none_or(|own| own == v)),
        _ => false,
    };
    let mut at = at;
    if mergeable {
        if let Value::Object(member) = member {
            for (k, v) in member {
                if k == "nullable" || map.contains_key(&k) {
                    continue;
                }
                insert_at(map, at, k, v);
                at += 1;
            }
        }
    } else {
        insert_at(map, at, "allOf".into(), Value::Array(vec![member]));
        at += 1;
    }
    map.shift_remove("nullable");
    insert_at(map, at, "nullable".into(), Value::Bool(true));
}

/// `$ref` with sibling keywords -> `{allOf: [{$ref}], <siblings>}` (3.0 ignores the
/// siblings of a `$ref`).
pub fn ref_siblings(schema: &mut Value) -> bool {
    let Some(map) = schema.as_object_mut() else {
        return false;
    };
    if map.len() < 2 || !map.get("$ref").is_some_and(Value::is_string) {
        return false;
    }
    let at = map.keys().position(|k| k == "$ref").unwrap_or(0);
    let Some(reference) = map.shift_remove("$ref") else {
        return false;
    };
    let mut ref_only = Map::new();
    ref_only.insert("$ref".into(), reference);
    match map.get_mut("allOf") {
        Some(Value::Array(all)) => all.insert(0, Value::Object(ref_only)),
        _ => {
            insert_at(
                map,
                at,
                "allOf".into(),
                Value::Array(vec![Value::Object(ref_only)]),
            );
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    // --- one test per rewrite ---------------------------------------------------------

    #[test]
    fn type_array_nullable() {
        let mut s = json!({"type": ["string", "null"], "description": "d"});
        assert_eq!(type_array(&mut s), Ok(true));
        assert_eq!(
            s,
            json!({"type": "string", "nullable": true, "description": "d"})
        );
        assert_eq!(keys(&s), ["type", "nullable", "description"]);
        let mut s = json!({"type": ["null", "object"], "properties": {}});
        assert_eq!(type_array(&mut s), Ok(true));
        assert_eq!(
            s,
            json!({"type": "object", "nullable": true, "properties": {}})
        );
        let mut s = json!({"type": ["integer"]});
        assert_eq!(type_array(&mut s), Ok(true));
        assert_eq!(s, json!({"type": "integer"}));
        let mut s = json!({"type": "string"});
        assert_eq!(type_array(&mut s), Ok(false));
    }

    #[test]
    fn type_array_several_types() {
        let mut s = json!({
            "type": ["string", "integer", "null"], "description": "d", "maxLength": 3,
            "minimum": 1, "format": "int64", "default": null
        });
        assert_eq!(type_array(&mut s), Ok(true));
        assert_eq!(
            s,
            json!({
                "anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1, "format": "int64"}],
                "nullable": true, "description": "d", "default": null
            })
        );
        assert_eq!(keys(&s), ["anyOf", "nullable", "description", "default"]);
        let mut s = json!({"type": ["array", "object"], "items": {"type": "string"}, "properties": {"a": {}}, "required": ["a"]});
        assert_eq!(type_array(&mut s), Ok(true));
        assert_eq!(
            s,
            json!({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object", "properties": {"a": {}}, "required": ["a"]}]})
        );
    }

    #[test]
    fn type_array_splits_enum_values() {
        let mut s = json!({"type": ["string", "integer", "boolean"], "enum": ["a", 1, "b", null]});
        assert_eq!(type_array(&mut s), Ok(true));
        assert_eq!(
            s,
            json!({"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "integer", "enum": [1]}]})
        );
        let mut s = json!({"type": ["number", "string"], "enum": [2]});
        assert_eq!(type_array(&mut s), Ok(true));
        assert_eq!(s, json!({"anyOf": [{"type": "number", "enum": [2]}]}));
    }

    #[test]
    fn type_array_errors() {
        let mut s = json!({"type": []});
        assert!(type_array(&mut s).is_err());
        let mut s = json!({"type": ["string", "file"]});
        assert!(type_array(&mut s).is_err_and(|e| e.contains("\"file\"")));
        let mut s = json!({"type": ["string", 3]});
        assert!(type_array(&mut s).is_err());
        let mut s = json!({"type": ["string", "integer"], "anyOf": [{}]});
        assert!(type_array(&mut s).is_err());
        let mut s = json!({"type": ["null"]});
        assert_eq!(type_array(&mut s), Ok(true));
        assert_eq!(s, json!({"type": "null"}));
    }

    #[test]
    fn null_type_rewrite() {
        let mut s = json!({"type": "null", "description": "always null"});
        assert!(null_type(&mut s));
        assert_eq!(
            s,
            json!({"nullable": true, "enum": [null], "x-null": true, "description": "always null"})
        );
        assert!(is_null_schema(&s));
        assert!(!null_type(&mut s));
        let mut s = json!({"type": "string"});
        assert!(!null_type(&mut s));
    }

    #[test]
    fn null_schemas() {
        for null in [
            json!({"type": "null"}),
            json!({"type": "null", "description": "x"}),
            json!({"nullable": true, "enum": [null], "x-null": true}),
            json!({"enum": [null]}),
            json!({"const": null}),
        ] {
            assert!(is_null_schema(&null), "{null}");
        }
        for other in [
            json!({"nullable": true}),
            json!({}),
            json!({"type": "string"}),
            json!({"type": ["string", "null"]}),
            json!({"type": "null", "properties": {}}),
            json!({"enum": [null, "a"]}),
            json!(null),
        ] {
            assert!(!is_null_schema(&other), "{other}");
        }
    }

    #[test]
    fn nullable_union_inline_member() {
        let mut s = json!({
            "anyOf": [{"type": "string", "description": "inner", "maxLength": 5}, {"type": "null"}],
            "description": "outer", "title": "Title", "default": null
        });
        assert!(nullable_union(&mut s));
        assert_eq!(
            s,
            json!({"type": "string", "maxLength": 5, "nullable": true, "description": "outer", "title": "Title", "default": null})
        );
        assert_eq!(
            keys(&s),
            [
                "type",
                "maxLength",
                "nullable",
                "description",
                "title",
                "default"
            ]
        );
    }

    #[test]
    fn nullable_union_member_description_kept_when_node_has_none() {
        let mut s =
            json!({"oneOf": [{"type": "null"}, {"type": "integer", "description": "inner"}]});
        assert!(nullable_union(&mut s));
        assert_eq!(
            s,
            json!({"type": "integer", "description": "inner", "nullable": true})
        );
    }

    #[test]
    fn nullable_union_ref_member() {
        let mut s = json!({
            "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}],
            "description": "d", "default": null
        });
        assert!(nullable_union(&mut s));
        assert_eq!(
            s,
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true, "description": "d", "default": null})
        );
        assert_eq!(keys(&s), ["allOf", "nullable", "description", "default"]);
    }

    #[test]
    fn nullable_union_conflict_keeps_member_whole() {
        let mut s = json!({
            "anyOf": [{"type": "object", "properties": {"a": {}}}, {"type": "null"}],
            "type": "string"
        });
        assert!(nullable_union(&mut s));
        assert_eq!(
            s,
            json!({"allOf": [{"type": "object", "properties": {"a": {}}}], "nullable": true, "type": "string"})
        );
    }

    #[test]
    fn nullable_union_many_members() {
        let mut s = json!({"anyOf": [{"type": "string"}, {"type": "null"}, {"type": "integer"}], "title": "T"});
        assert!(nullable_union(&mut s));
        assert_eq!(
            s,
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true, "title": "T"})
        );
        // a discriminated oneOf made nullable
        let mut s = json!({"oneOf": [{"$ref": "#/a"}, {"$ref": "#/b"}, {"nullable": true, "enum": [null], "x-null": true}],
                           "discriminator": {"propertyName": "type"}});
        assert!(nullable_union(&mut s));
        assert_eq!(
            s,
            json!({"oneOf": [{"$ref": "#/a"}, {"$ref": "#/b"}], "nullable": true, "discriminator": {"propertyName": "type"}})
        );
    }

    #[test]
    fn nullable_union_only_null() {
        let mut s = json!({"anyOf": [{"type": "null"}], "description": "d"});
        assert!(nullable_union(&mut s));
        assert_eq!(
            s,
            json!({"nullable": true, "enum": [null], "x-null": true, "description": "d"})
        );
        let mut s = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
        assert!(!nullable_union(&mut s));
    }

    #[test]
    fn const_rewrite() {
        let mut s = json!({"const": "url", "type": "string", "title": "Type"});
        assert!(const_to_enum(&mut s));
        assert_eq!(
            s,
            json!({"enum": ["url"], "x-const": "url", "type": "string", "title": "Type"})
        );
        assert_eq!(keys(&s), ["enum", "x-const", "type", "title"]);
        let mut s = json!({"const": 3});
        assert!(const_to_enum(&mut s));
        assert_eq!(s, json!({"type": "integer", "enum": [3], "x-const": 3}));
        let mut s = json!({"const": 1.5});
        assert!(const_to_enum(&mut s));
        assert_eq!(s["type"], "number");
        let mut s = json!({"const": true, "enum": [true, false]});
        assert!(const_to_enum(&mut s));
        assert_eq!(
            s,
            json!({"type": "boolean", "enum": [true], "x-const": true})
        );
        let mut s = json!({"const": null});
        assert!(const_to_enum(&mut s));
        assert!(null_type(&mut s));
        assert!(is_null_schema(&s));
        let mut s = json!({"type": "string"});
        assert!(!const_to_enum(&mut s));
    }

    #[test]
    fn ref_siblings_rewrite() {
        let mut s =
            json!({"description": "d", "$ref": "#/components/schemas/Mode", "default": "speed"});
        assert!(ref_siblings(&mut s));
        assert_eq!(
            s,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/Mode"}], "default": "speed"})
        );
        assert_eq!(keys(&s), ["description", "allOf", "default"]);
        let mut s = json!({"$ref": "#/a"});
        assert!(!ref_siblings(&mut s));
        let mut s = json!({"$ref": "#/a", "allOf": [{"$ref": "#/b"}]});
        assert!(ref_siblings(&mut s));
        assert_eq!(s, json!({"allOf": [{"$ref": "#/a"}, {"$ref": "#/b"}]}));
    }

    #[test]
    fn examples_rewrite() {
        let mut s = json!({"type": "string", "examples": ["a", "b"]});
        assert!(examples_array(&mut s));
        assert_eq!(
            s,
            json!({"type": "string", "example": "a", "x-examples": ["a", "b"]})
        );
        let mut s = json!({"type": "string", "example": "z", "examples": ["a"]});
        assert!(examples_array(&mut s));
        assert_eq!(
            s,
            json!({"type": "string", "example": "z", "x-examples": ["a"]})
        );
        let mut s = json!({"examples": []});
        assert!(examples_array(&mut s));
        assert_eq!(s, json!({"x-examples": []}));
        // not an array: a media type's `examples` map is never passed here, but even so
        let mut s = json!({"examples": {"a": {"value": 1}}});
        assert!(!examples_array(&mut s));
    }

    #[test]
    fn exclusive_bounds_rewrite() {
        let mut s = json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 2.5});
        assert_eq!(exclusive_bounds(&mut s), 2);
        assert_eq!(
            s,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 2.5, "exclusiveMaximum": true})
        );
        assert_eq!(
            keys(&s),
            [
                "type",
                "minimum",
                "exclusiveMinimum",
                "maximum",
                "exclusiveMaximum"
            ]
        );
        // the inclusive bound is stricter: the exclusive one goes
        let mut s = json!({"minimum": 5, "exclusiveMinimum": 1});
        assert_eq!(exclusive_bounds(&mut s), 1);
        assert_eq!(s, json!({"minimum": 5}));
        // the exclusive bound is stricter: it replaces the inclusive one
        let mut s = json!({"maximum": 5, "exclusiveMaximum": 3});
        assert_eq!(exclusive_bounds(&mut s), 1);
        assert_eq!(s, json!({"maximum": 3, "exclusiveMaximum": true}));
        // 3.0 booleans stay
        let mut s = json!({"minimum": 1, "exclusiveMinimum": true});
        assert_eq!(exclusive_bounds(&mut s), 0);
    }

    #[test]
    fn boolean_schema_rewrite() {
        let mut s = json!(true);
        assert!(boolean_schema(&mut s));
        assert_eq!(s, json!({}));
        let mut s = json!(false);
        assert!(boolean_schema(&mut s));
        assert_eq!(s, json!({"not": {}}));
        assert!(!boolean_schema(&mut s));
    }

    #[test]
    fn keywords_dropped_and_renamed() {
        let mut s = json!({"$schema": "x", "$id": "y", "type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"});
        assert_eq!(drop_keywords(&mut s), (2, 2));
        assert_eq!(
            s,
            json!({"type": "string", "x-content-media-type": "image/png", "x-content-encoding": "base64"})
        );
        let mut s = json!({"type": "array", "prefixItems": [{}], "maxContains": 2});
        assert_eq!(drop_keywords(&mut s), (0, 2));
        assert_eq!(keys(&s), ["type", "x-prefix-items", "x-max-contains"]);
    }

    #[test]
    fn version() {
        let mut v = json!({"openapi": "3.1.0", "info": {}});
        assert!(set_version(&mut v));
        assert_eq!(keys(&v), ["openapi", "x-original-openapi", "info", "paths"]);
        assert_eq!(v["openapi"], "3.0.3");
        assert_eq!(v["x-original-openapi"], "3.1.0");
        assert!(!set_version(&mut v));
        assert_eq!(v["x-original-openapi"], "3.1.0");
    }

    // --- the walk ---------------------------------------------------------------------

    fn doc(value: Value) -> Document {
        Document::from_value("t", "specs/t.json", value)
    }

    #[test]
    fn walks_only_schema_positions() {
        let mut d = doc(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": ["string", "null"]}}],
                "post": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"const": "x"}},
                                   {"$ref": "#/components/parameters/P"}],
                    "requestBody": {"content": {"application/json": {
                        "schema": {"type": "object", "properties": {
                            "type": {"type": "string", "examples": ["t"]},
                            "const": {"$ref": "#/components/schemas/S", "description": "a property named const"},
                            "examples": {"type": ["integer", "null"]}
                        }},
                        "examples": {"one": {"value": {"type": ["not", "a", "schema"]}}}
                    }}},
                    "responses": {"200": {
                        "description": "ok",
                        "headers": {"X-Rate": {"schema": {"type": ["integer", "null"]}}},
                        "content": {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/S"}, {"type": "null"}]}}}
                    }}
                }
            }},
            "components": {
                "schemas": {"S": {"type": "object", "properties": {"n": {"exclusiveMinimum": 0, "type": "number"}},
                                  "additionalProperties": {"type": ["string", "null"]}}},
                "parameters": {"P": {"name": "p", "in": "query", "content": {"text/plain": {"schema": {"type": ["boolean", "null"]}}}}},
                "headers": {"H": {"schema": {"examples": [1]}}},
                "responses": {"R": {"description": "r", "content": {"application/json": {"schema": {"items": {"const": 1}, "type": "array"}}}}},
                "requestBodies": {"B": {"content": {"application/json": {"schema": {"not": {"type": ["string", "null"]}}}}}}
            }
        }));
        let stats = normalise(&mut d).expect("normalises");
        let v = &d.value;
        assert_eq!(v["openapi"], "3.0.3");
        let path = &v["paths"]["/a/{id}"];
        assert_eq!(
            path["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        let post = &path["post"];
        assert_eq!(
            post["parameters"][0]["schema"],
            json!({"type": "string", "enum": ["x"], "x-const": "x"})
        );
        let media = &post["requestBody"]["content"]["application/json"];
        let props = &media["schema"]["properties"];
        assert_eq!(keys(props), ["type", "const", "examples"]);
        assert_eq!(
            props["type"],
            json!({"type": "string", "example": "t", "x-examples": ["t"]})
        );
        assert_eq!(
            props["const"],
            json!({"allOf": [{"$ref": "#/components/schemas/S"}], "description": "a property named const"})
        );
        assert_eq!(
            props["examples"],
            json!({"type": "integer", "nullable": true})
        );
        // a media type's `examples` map is not a schema
        assert_eq!(
            media["examples"]["one"]["value"]["type"],
            json!(["not", "a", "schema"])
        );
        let ok = &post["responses"]["200"];
        assert_eq!(
            ok["headers"]["X-Rate"]["schema"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            ok["content"]["application/json"]["schema"],
            json!({"allOf": [{"$ref": "#/components/schemas/S"}], "nullable": true})
        );
        let c = &v["components"];
        assert_eq!(
            c["schemas"]["S"]["properties"]["n"],
            json!({"minimum": 0, "exclusiveMinimum": true, "type": "number"})
        );
        assert_eq!(
            c["schemas"]["S"]["additionalProperties"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            c["parameters"]["P"]["content"]["text/plain"]["schema"],
            json!({"type": "boolean", "nullable": true})
        );
        assert_eq!(
            c["headers"]["H"]["schema"],
            json!({"example": 1, "x-examples": [1]})
        );
        assert_eq!(
            c["responses"]["R"]["content"]["application/json"]["schema"]["items"],
            json!({"type": "integer", "enum": [1], "x-const": 1})
        );
        assert_eq!(
            c["requestBodies"]["B"]["content"]["application/json"]["schema"]["not"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(stats.type_arrays, 6);
        assert_eq!(stats.consts, 2);
        assert_eq!(stats.examples_arrays, 2);
        assert_eq!(stats.ref_siblings, 1);
        assert_eq!(stats.nullable_unions, 1);
        assert_eq!(stats.null_types, 1);
        assert_eq!(stats.exclusive_bounds, 1);
        assert!(stats.version_rewritten);
        // idempotent
        let again = normalise(&mut d).expect("normalises");
        assert_eq!(again, NormaliseStats::default());
        // openapiv3 reads it
        let api: openapiv3::OpenAPI = serde_json::from_value(d.value.clone()).expect("openapiv3");
        assert_eq!(api.operations().count(), 1);
    }

    #[test]
    fn bottom_up_nested_nulls() {
        // the members are normalised before the union: the `{type: 'null'}` member has
        // already become `{nullable, enum: [null], x-null}` when the union is examined
        let mut d = doc(json!({
            "openapi": "3.1.0", "paths": {},
            "components": {"schemas": {"A": {"anyOf": [
                {"type": "array", "items": {"anyOf": [{"const": "a"}, {"type": "null"}]}},
                {"type": "null"}
            ], "default": null}}}
        }));
        let stats = normalise(&mut d).expect("normalises");
        assert_eq!(
            d.value["components"]["schemas"]["A"],
            json!({"type": "array", "items": {"type": "string", "enum": ["a"], "x-const": "a", "nullable": true},
                   "nullable": true, "default": null})
        );
        assert_eq!(stats.nullable_unions, 2);
        assert_eq!(stats.null_types, 2);
    }

    #[test]
    fn errors_carry_the_pointer() {
        let mut d = doc(json!({
            "openapi": "3.1.0", "paths": {},
            "components": {"schemas": {"A": {"properties": {"b": {"type": ["strin"]}}}}}
        }));
        match normalise(&mut d) {
            Err(Error::Spec { location, message }) => {
                assert_eq!(location.pointer, "/components/schemas/A/properties/b");
                assert!(message.contains("\"strin\""), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn boolean_schemas_in_the_walk() {
        let mut d = doc(json!({
            "openapi": "3.1.0", "paths": {},
            "components": {"schemas": {"A": {"type": "object", "properties": {"any": true, "none": false},
                                             "additionalProperties": false}}}
        }));
        let stats = normalise(&mut d).expect("normalises");
        assert_eq!(stats.boolean_schemas, 2);
        let a = &d.value["components"]["schemas"]["A"];
        assert_eq!(a["properties"], json!({"any": {}, "none": {"not": {}}}));
        assert_eq!(a["additionalProperties"], json!(false));
    }

    // --- the real documents -----------------------------------------------------------

    #[test]
    fn real_external_api() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/external-api.json");
        let mut d = crate::load::load_file(&path, "external-api".into()).expect("loads");
        // as published, openapiv3 rejects it
        assert!(serde_json::from_value::<openapiv3::OpenAPI>(d.value.clone()).is_err());
        let stats = normalise(&mut d).expect("normalises");
        assert_eq!(stats.type_arrays, 21, "{stats}");
        assert_eq!(stats.nullable_unions, 236, "{stats}");
        assert_eq!(stats.consts, 8, "{stats}");
        assert_eq!(stats.examples_arrays, 110, "{stats}");
        assert_eq!(stats.ref_siblings, 15, "{stats}");
        assert_eq!(stats.exclusive_bounds, 0, "{stats}");
        assert!(stats.version_rewritten);
        assert_eq!(d.value["x-original-openapi"], "3.1.0");
        let api: openapiv3::OpenAPI =
            serde_json::from_value(d.value.clone()).expect("openapiv3 reads the normalised spec");
        assert_eq!(api.operations().count(), 62);
        let schemas = &api.components.as_ref().expect("components").schemas;
        assert_eq!(schemas.len(), 108);
        // a const tag survives as an extension the IR can read
        let openapiv3::ReferenceOr::Item(asset_url) = &schemas["AssetUrl"] else {
            panic!("AssetUrl is inline");
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &asset_url.schema_kind
        else {
            panic!("AssetUrl is an object");
        };
        let Some(openapiv3::ReferenceOr::Item(tag)) = object.properties.get("type") else {
            panic!("AssetUrl.type");
        };
        assert_eq!(
            tag.schema_data.extensions.get("x-const"),
            Some(&json!("url"))
        );
        // a nullable string (was anyOf [string, null])
        let openapiv3::ReferenceOr::Item(detail) = &schemas["VideoDetail"] else {
            panic!("VideoDetail is inline");
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(detail)) = &detail.schema_kind
        else {
            panic!("VideoDetail is an object");
        };
        let Some(openapiv3::ReferenceOr::Item(title)) = detail.properties.get("title") else {
            panic!("VideoDetail.title");
        };
        assert!(title.schema_data.nullable);
        assert!(matches!(
            title.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
        ));
        // idempotent
        assert_eq!(normalise(&mut d).expect("again"), NormaliseStats::default());
    }

    #[test]
    fn real_specs_dir_with_quirks() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let mut docs = crate::load::load_dir(&dir).expect("loads");
        if let Some(quirks) = crate::quirks::read(&dir).expect("quirks parse") {
            crate::quirks::apply(&quirks, &mut docs).expect("quirks apply");
        }
        let mut total = NormaliseStats::default();
        for d in &mut docs {
            total += normalise(d).expect("normalises");
            let api: openapiv3::OpenAPI = match serde_json::from_value(d.value.clone()) {
                Ok(api) => api,
                Err(e) => panic!("{}: {e}", d.id),
            };
            let operations = if d.id == "external-api" { 62 } else { 1 };
            assert_eq!(api.operations().count(), operations, "{}", d.id);
        }
        // the full document's 21 type arrays, the May fragment's two
        // `type: [string, 'null']`, the quirks' five nullable strings
        assert_eq!(total.type_arrays, 21 + 2 + 5, "{total}");
        let legacy = &docs[2].value["components"]["schemas"]["LegacyError"]["anyOf"][1]
            ["properties"]["data"];
        assert_eq!(
            legacy,
            &json!({"nullable": true, "enum": [null], "x-null": true})
        );
    }
}
