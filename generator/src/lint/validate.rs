//! The validator: does a value fit a schema (the subset of JSON Schema the module doc lists).

use serde_json::Value;

use super::examples::{child, items, resolve_pointer};
use crate::normalise::json_type;

/// One way a value does not fit a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// A JSON pointer into the value.
    pub at: String,
    /// The pointer of the schema node that rejects it.
    pub schema: String,
    pub message: String,
}

/// `$ref` chains deeper than this are reported instead of followed (a cycle).
const MAX_DEPTH: usize = 64;

/// Validate `instance` against `schema` (found at `schema_pointer` in `root`, which local
/// `$ref`s resolve against). Empty when it fits.
pub fn validate(
    root: &Value,
    schema: &Value,
    schema_pointer: &str,
    instance: &Value,
) -> Vec<Mismatch> {
    let mut validator = Validator {
        root,
        out: Vec::new(),
        depth: 0,
    };
    validator.check(schema, schema_pointer, instance, "");
    validator.out
}

struct Validator<'r> {
    root: &'r Value,
    out: Vec<Mismatch>,
    depth: usize,
}

impl Validator<'_> {
    fn fail(&mut self, at: &str, schema: &str, message: String) {
        self.out.push(Mismatch {
            at: at.to_string(),
            schema: schema.to_string(),
            message,
        });
    }

    /// The mismatches of `instance` against `schema`, without recording them.
    fn trial(
        &mut self,
        schema: &Value,
        pointer: &str,
        instance: &Value,
        at: &str,
    ) -> Vec<Mismatch> {
        let saved = std::mem::take(&mut self.out);
        self.check(schema, pointer, instance, at);
        std::mem::replace(&mut self.out, saved)
    }

    fn check(&mut self, schema: &Value, pointer: &str, instance: &Value, at: &str) {
        let map = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                return self.fail(
                    at,
                    pointer,
                    "no value is allowed here (`false` schema)".into(),
                )
            }
            Value::Object(map) => map,
            _ => return,
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let target = reference
                .strip_prefix('#')
                .and_then(|p| resolve_pointer(self.root, p).map(|t| (p, t)));
            match target {
                Some(_) if self.depth >= MAX_DEPTH => self.fail(
                    at,
                    pointer,
                    format!("`$ref` `{reference}` nests too deeply (a cycle?)"),
                ),
                Some((target_pointer, target)) => {
                    self.depth += 1;
                    self.check(target, target_pointer, instance, at);
                    self.depth -= 1;
                }
                None => self.fail(
                    at,
                    pointer,
                    format!("`$ref` `{reference}` does not resolve in this document"),
                ),
            }
            // OpenAPI 3.0: a `$ref` replaces its siblings (the normaliser moved any that
            // matter into `allOf`).
            return;
        }
        if instance.is_null() && map.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        if let Some(types) = map.get("type") {
            let names: Vec<&str> = match types {
                Value::String(name) => vec![name.as_str()],
                Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !names.is_empty() && !names.iter().any(|name| has_type(instance, name)) {
                return self.fail(
                    at,
                    pointer,
                    format!(
                        "expected {}, found {}",
                        names.join(" or "),
                        describe(instance)
                    ),
                );
            }
        }
        let constant = map.get("x-const").or_else(|| map.get("const"));
        if let Some(constant) = constant {
            if !same(constant, instance) {
                self.fail(
                    at,
                    pointer,
                    format!(
                        "expected the constant {}, found {}",
                        brief(constant),
                        brief(instance)
                    ),
                );
            }
        } else if let Some(Value::Array(options)) = map.get("enum") {
            if !options.iter().any(|option| same(option, instance)) {
                let listed: Vec<String> = options.iter().map(brief).collect();
                self.fail(
                    at,
                    pointer,
                    format!("{} is not one of {}", brief(instance), listed.join(", ")),
                );
            }
        }
        match instance {
            Value::Object(object) => self.object(map, pointer, object, at),
            Value::Array(list) => self.array(map, pointer, list, at),
            Value::String(text) => self.string(map, pointer, text, at),
            Value::Number(number) => self.number(map, pointer, number, at),
            _ => {}
        }
        self.combinators(map, pointer, instance, at);
    }

    fn object(
        &mut self,
        map: &serde_json::Map<String, Value>,
        pointer: &str,
        object: &serde_json::Map<String, Value>,
        at: &str,
    ) {
        for name in map
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                self.fail(
                    at,
                    pointer,
                    format!("the required property `{name}` is missing"),
                );
            }
        }
        let properties = map.get("properties").and_then(Value::as_object);
        for (name, value) in object {
            let value_at = child(at, name);
            match properties.and_then(|p| p.get(name)) {
                Some(property) => {
                    let property_pointer = child(&child(pointer, "properties"), name);
                    self.check(property, &property_pointer, value, &value_at);
                }
                None => match map.get("additionalProperties") {
                    Some(Value::Bool(false)) => self.fail(
                        &value_at,
                        pointer,
                        format!(
                            "the property `{name}` is not declared (additionalProperties: false)"
                        ),
                    ),
                    Some(extra @ Value::Object(_)) => self.check(
                        extra,
                        &child(pointer, "additionalProperties"),
                        value,
                        &value_at,
                    ),
                    _ => {}
                },
            }
        }
    }

    fn array(
        &mut self,
        map: &serde_json::Map<String, Value>,
        pointer: &str,
        list: &[Value],
        at: &str,
    ) {
        if let Some(min) = map.get("minItems").and_then(Value::as_u64) {
            if (list.len() as u64) < min {
                self.fail(
                    at,
                    pointer,
                    format!("{} items, fewer than minItems {min}", list.len()),
                );
            }
        }
        if let Some(max) = map.get("maxItems").and_then(Value::as_u64) {
            if list.len() as u64 > max {
                self.fail(
                    at,
                    pointer,
                    format!("{} items, more than maxItems {max}", list.len()),
                );
            }
        }
        if let Some(items) = map.get("items").filter(|i| i.is_object() || i.is_boolean()) {
            let items_pointer = child(pointer, "items");
            for (index, item) in list.iter().enumerate() {
                self.check(items, &items_pointer, item, &child(at, &index.to_string()));
            }
        }
    }

    fn string(
        &mut self,
        map: &serde_json::Map<String, Value>,
        pointer: &str,
        text: &str,
        at: &str,
    ) {
        let length = text.chars().count() as u64;
        if let Some(min) = map.get("minLength").and_then(Value::as_u64) {
            if length < min {
                self.fail(
                    at,
                    pointer,
                    format!(
                        "{} has {length} characters, fewer than minLength {min}",
                        brief_str(text)
                    ),
                );
            }
        }
        if let Some(max) = map.get("maxLength").and_then(Value::as_u64) {
            if length > max {
                self.fail(
                    at,
                    pointer,
                    format!(
                        "{} has {length} characters, more than maxLength {max}",
                        brief_str(text)
                    ),
                );
            }
        }
    }

    fn number(
        &mut self,
        map: &serde_json::Map<String, Value>,
        pointer: &str,
        number: &serde_json::Number,
        at: &str,
    ) {
        let n = number.as_f64().unwrap_or(f64::NAN);
        // (bound keyword, exclusive keyword, is the lower bound)
        for (keyword, exclusive, lower) in [
            ("minimum", "exclusiveMinimum", true),
            ("maximum", "exclusiveMaximum", false),
        ] {
            let mut bounds: Vec<(f64, bool)> = Vec::new();
            if let Some(bound) = map.get(keyword).and_then(Value::as_f64) {
                let strict = map.get(exclusive) == Some(&Value::Bool(true));
                bounds.push((bound, strict));
            }
            if let Some(bound) = map.get(exclusive).and_then(Value::as_f64) {
                bounds.push((bound, true));
            }
            for (bound, strict) in bounds {
                let ok = match (lower, strict) {
                    (true, false) => n >= bound,
                    (true, true) => n > bound,
                    (false, false) => n <= bound,
                    (false, true) => n < bound,
                };
                if !ok {
                    let relation = match (lower, strict) {
                        (true, false) => "less than the minimum",
                        (true, true) => "not greater than the exclusive minimum",
                        (false, false) => "greater than the maximum",
                        (false, true) => "not less than the exclusive maximum",
                    };
                    self.fail(at, pointer, format!("{number} is {relation} {bound}"));
                }
            }
        }
    }

    fn combinators(
        &mut self,
        map: &serde_json::Map<String, Value>,
        pointer: &str,
        instance: &Value,
        at: &str,
    ) {
        for (index, member) in items(map.get("allOf").unwrap_or(&Value::Null)) {
            self.check(
                member,
                &child(&child(pointer, "allOf"), &index.to_string()),
                instance,
                at,
            );
        }
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = map.get(key) else {
                continue;
            };
            if members.is_empty() {
                continue;
            }
            let results: Vec<(String, Vec<Mismatch>)> = members
                .iter()
                .enumerate()
                .map(|(index, member)| {
                    let member_pointer = child(&child(pointer, key), &index.to_string());
                    let mismatches = self.trial(member, &member_pointer, instance, at);
                    (member_pointer, mismatches)
                })
                .collect();
            let matching: Vec<usize> = (0..results.len())
                .filter(|&i| results[i].1.is_empty())
                .collect();
            if matching.is_empty() {
                // report the member that comes closest
                let closest = results
                    .iter()
                    .min_by_key(|(_, mismatches)| mismatches.len())
                    .map(|(_, mismatches)| mismatches[0].clone());
                let mut message = format!(
                    "{} matches none of the {} `{key}` members",
                    brief(instance),
                    members.len()
                );
                if let Some(closest) = closest {
                    let place = if closest.at == at || closest.at.is_empty() {
                        String::new()
                    } else {
                        format!(" at {}", closest.at)
                    };
                    message.push_str(&format!(
                        "; the closest (#{}){place}: {}",
                        closest.schema, closest.message
                    ));
                }
                self.fail(at, pointer, message);
            } else if key == "oneOf" && matching.len() > 1 {
                let listed: Vec<String> = matching.iter().map(|i| i.to_string()).collect();
                self.fail(
                    at,
                    pointer,
                    format!(
                        "{} matches {} `oneOf` members ({}); exactly one must match",
                        brief(instance),
                        matching.len(),
                        listed.join(", ")
                    ),
                );
            }
        }
        if let Some(not) = map.get("not") {
            let not_pointer = child(pointer, "not");
            if self.trial(not, &not_pointer, instance, at).is_empty() {
                self.fail(
                    at,
                    pointer,
                    format!("{} matches the `not` schema", brief(instance)),
                );
            }
        }
    }
}

/// Does `instance` have the JSON Schema type `name`?
fn has_type(instance: &Value, name: &str) -> bool {
    match (name, instance) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("string", Value::String(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_))
        | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => {
            n.is_i64()
                || n.is_u64()
                || n.as_f64()
                    .is_some_and(|f| f.is_finite() && f.fract() == 0.0)
        }
        _ => false,
    }
}

/// Equal as JSON values (numbers by value: `1` equals `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || (x.as_f64().is_some() && x.as_f64() == y.as_f64())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// `array ["a"]`, `integer 100`, `null`.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        _ => format!("{} {}", json_type(value), brief(value)),
    }
}

/// The value as compact JSON, cut at 60 characters.
fn brief(value: &Value) -> String {
    let text = value.to_string();
    cut(&text)
}

fn brief_str(text: &str) -> String {
    brief(&Value::String(text.to_string()))
}

fn cut(text: &str) -> String {
    const LIMIT: usize = 60;
    if text.chars().count() <= LIMIT {
        return text.to_string();
    }
    let mut out: String = text.chars().take(LIMIT).collect();
    out.push('…');
    out
}
