//! The rewrites, one per 3.1 construct: each turns one schema node into its 3.0 form.

use serde_json::{Map, Value};

use crate::error::Result;

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
pub(super) fn insert_at(map: &mut Map<String, Value>, index: usize, key: String, value: Value) {
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
