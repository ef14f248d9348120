//! Valid JSON values synthesised from the served document's own schemas.
//!
//! The values come from the spec, not from the generated Rust types, so that
//! the contract test also checks that the generated types accept what the
//! spec allows. Where the spec gives an example (`example`, `examples`) or a
//! default for a scalar, that is used; otherwise the smallest value the
//! schema's bounds allow.

use std::cell::Cell;

use serde_json::{Map, Value};

/// How much of an object to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required properties only, empty arrays unless `minItems` says otherwise.
    Minimal,
    /// Every property (down to [`MAX_DEPTH`]), one element per array.
    Full,
}

/// Below this depth only required properties are filled, so that recursive
/// schemas end.
pub const MAX_DEPTH: usize = 8;

/// Builds values for schemas of one document.
pub struct Synth<'a> {
    root: &'a Value,
    fill: Fill,
    /// Which branch of every `oneOf`/`anyOf` (and which `enum` value) to take,
    /// modulo the number of branches: cases with `pick` 0, 1, … cover every branch.
    pick: usize,
    /// The most branches (or enum values) seen in one place while building.
    widest: Cell<usize>,
    /// `null` wherever the schema allows it (below the top level).
    nulls: bool,
}

impl<'a> Synth<'a> {
    pub fn new(root: &'a Value, fill: Fill, pick: usize) -> Self {
        Synth {
            root,
            fill,
            pick,
            widest: Cell::new(1),
            nulls: false,
        }
    }

    /// Builds `null` for every property whose schema allows it (what a PATCH
    /// sends to clear a field).
    pub fn with_nulls(mut self) -> Self {
        self.nulls = true;
        self
    }

    /// Whether `schema` accepts `null`: `type: null` or a list holding it,
    /// a `null` branch of `anyOf`/`oneOf`, or `null` in its `enum`.
    pub fn allows_null(&self, schema: &Value) -> bool {
        let schema = self.resolve(schema);
        let Some(object) = schema.as_object() else {
            return false;
        };
        let typed = match object.get("type") {
            Some(Value::String(name)) => name == "null",
            Some(Value::Array(names)) => names.iter().any(|n| n == "null"),
            _ => false,
        };
        let branch = ["anyOf", "oneOf"].iter().any(|key| {
            object
                .get(*key)
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(|b| self.allows_null(b)))
        });
        let listed = object
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(Value::is_null));
        typed || branch || listed
    }

    /// How much of each object this fills.
    pub fn fill(&self) -> Fill {
        self.fill
    }

    /// The most branches met at one `oneOf`/`anyOf` so far: picks below it give different values.
    pub fn widest(&self) -> usize {
        self.widest.get()
    }

    /// Resolves a local `$ref` (`#/components/schemas/X`); other values are returned as they are.
    pub fn resolve<'v>(&'v self, schema: &'v Value) -> &'v Value {
        let mut schema = schema;
        for _ in 0..32 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => match reference
                    .strip_prefix('#')
                    .and_then(|pointer| self.root.pointer(pointer))
                {
                    Some(target) => schema = target,
                    None => return schema,
                },
                None => return schema,
            }
        }
        schema
    }

    fn choose<T>(&self, options: &'_ [T]) -> usize {
        self.widest.set(self.widest.get().max(options.len()));
        self.pick % options.len().max(1)
    }

    /// A value valid against `schema`.
    pub fn value(&self, schema: &Value) -> Value {
        self.value_at(schema, 0)
    }

    fn value_at(&self, schema: &Value, depth: usize) -> Value {
        let Some(object) = schema.as_object() else {
            // `true` or a malformed schema: anything goes.
            return Value::String("contract".into());
        };
        // A `$ref` with siblings: the siblings' example wins, else the target.
        if object.contains_key("$ref") {
            if let Some(example) = scalar_example(object) {
                return example;
            }
            return self.value_at(self.resolve(schema), depth);
        }
        if let Some(value) = object.get("const") {
            return value.clone();
        }
        if let Some(Value::Array(values)) = object.get("enum") {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if !values.is_empty() {
                return values[self.choose(&values)].clone();
            }
            return Value::Null;
        }
        if let Some(example) = scalar_example(object) {
            return example;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = object.get(key) {
                return self.union(object, branches, depth);
            }
        }
        if let Some(Value::Array(parts)) = object.get("allOf") {
            let mut merged = Map::new();
            for part in parts {
                match self.value_at(part, depth) {
                    Value::Object(fields) => merged.extend(fields),
                    other if parts.len() == 1 => return other,
                    _ => {}
                }
            }
            return Value::Object(merged);
        }
        match schema_type(object) {
            Some("object") => self.object(object, depth),
            Some("array") => self.array(object, depth),
            Some("string") => string(object),
            Some("integer") => integer(object),
            Some("number") => number(object),
            Some("boolean") => Value::Bool(true),
            Some("null") => Value::Null,
            _ if object.contains_key("properties") => self.object(object, depth),
            _ => Value::String("contract".into()),
        }
    }

    fn union(&self, object: &Map<String, Value>, branches: &[Value], depth: usize) -> Value {
        let non_null: Vec<&Value> = branches
            .iter()
            .filter(|b| schema_type_of(self.resolve(b)) != Some("null"))
            .collect();
        if non_null.is_empty() {
            return Value::Null;
        }
        let branch = non_null[self.choose(&non_null)];
        let mut value = self.value_at(branch, depth);
        // A discriminator the branch does not spell out itself comes from the mapping.
        if let (Some(discriminator), Value::Object(fields)) =
            (object.get("discriminator"), &mut value)
        {
            if let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) {
                if !fields.contains_key(property) {
                    let reference = branch.get("$ref").and_then(Value::as_str);
                    let tag = discriminator
                        .get("mapping")
                        .and_then(Value::as_object)
                        .and_then(|mapping| {
                            mapping
                                .iter()
                                .find(|(_, target)| target.as_str() == reference)
                                .map(|(tag, _)| tag.clone())
                        })
                        .or_else(|| {
                            reference
                                .and_then(|r| r.rsplit('/').next())
                                .map(str::to_owned)
                        });
                    if let Some(tag) = tag {
                        fields.insert(property.to_owned(), Value::String(tag));
                    }
                }
            }
        }
        value
    }

    fn object(&self, object: &Map<String, Value>, depth: usize) -> Value {
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let full = self.fill == Fill::Full && depth < MAX_DEPTH;
        let mut fields = Map::new();
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (name, property) in properties {
                let property_schema = self.resolve(property);
                if property_schema.get("readOnly") == Some(&Value::Bool(true)) {
                    continue;
                }
                if required.contains(&name.as_str()) || full {
                    let value = if self.nulls && self.allows_null(property) {
                        Value::Null
                    } else {
                        self.value_at(property, depth + 1)
                    };
                    fields.insert(name.clone(), value);
                }
            }
        } else if full {
            // A map: one entry.
            match object.get("additionalProperties") {
                Some(Value::Bool(false)) | None => {}
                Some(Value::Bool(true)) => {
                    fields.insert("key".into(), Value::String("value".into()));
                }
                Some(values) => {
                    fields.insert("key".into(), self.value_at(values, depth + 1));
                }
            }
        }
        Value::Object(fields)
    }

    fn array(&self, object: &Map<String, Value>, depth: usize) -> Value {
        let min = object.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = object
            .get("maxItems")
            .and_then(Value::as_u64)
            .map(|max| max as usize)
            .unwrap_or(usize::MAX);
        let wanted = if self.fill == Fill::Full && depth < MAX_DEPTH {
            min.max(1)
        } else {
            min
        };
        let items = object.get("items").cloned().unwrap_or(Value::Bool(true));
        (0..wanted.min(max))
            .map(|_| self.value_at(&items, depth + 1))
            .collect()
    }
}

/// The schema's own example or default, for anything but objects and arrays
/// (those are built field by field so that `Fill` means something).
fn scalar_example(object: &Map<String, Value>) -> Option<Value> {
    let example = object
        .get("example")
        .cloned()
        .or_else(|| {
            object
                .get("examples")
                .and_then(Value::as_array)
                .and_then(|examples| examples.first().cloned())
        })
        .or_else(|| object.get("default").cloned())?;
    match example {
        Value::Object(_) | Value::Array(_) | Value::Null => None,
        scalar => Some(scalar),
    }
}

/// `type`, or the first non-null one of a type list.
fn schema_type(object: &Map<String, Value>) -> Option<&str> {
    match object.get("type")? {
        Value::String(name) => Some(name),
        Value::Array(names) => names
            .iter()
            .filter_map(Value::as_str)
            .find(|name| *name != "null")
            .or(Some("null")),
        _ => None,
    }
}

fn schema_type_of(schema: &Value) -> Option<&str> {
    schema.as_object().and_then(schema_type)
}

fn string(object: &Map<String, Value>) -> Value {
    let formatted = match object.get("format").and_then(Value::as_str) {
        Some("date-time") => Some("2026-04-08T12:00:00Z"),
        Some("date") => Some("2026-04-08"),
        Some("time") => Some("12:00:00Z"),
        Some("uri" | "url" | "uri-reference" | "iri") => Some("https://example.com/contract"),
        Some("email") => Some("contract@example.com"),
        Some("uuid") => Some("00000000-0000-4000-8000-000000000000"),
        Some("ipv4") => Some("192.0.2.1"),
        Some("hostname") => Some("example.com"),
        _ => None,
    };
    if let Some(text) = formatted {
        return Value::String(text.into());
    }
    let min = object.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = object
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|max| max as usize)
        .unwrap_or(usize::MAX);
    let mut text: String = "contract".chars().take(max).collect();
    while text.len() < min {
        text.push('x');
    }
    Value::String(text)
}

/// The lower and upper bounds, exclusive ones moved inwards by `step`.
fn bounds(object: &Map<String, Value>, step: f64) -> (Option<f64>, Option<f64>) {
    let number = |key: &str| object.get(key).and_then(Value::as_f64);
    let low = match (number("minimum"), number("exclusiveMinimum")) {
        (_, Some(exclusive)) => Some(exclusive + step),
        (minimum, None) => minimum,
    };
    let high = match (number("maximum"), number("exclusiveMaximum")) {
        (_, Some(exclusive)) => Some(exclusive - step),
        (maximum, None) => maximum,
    };
    (low, high)
}

fn integer(object: &Map<String, Value>) -> Value {
    let (low, high) = bounds(object, 1.0);
    let value = match (low, high) {
        (Some(low), _) => low.ceil(),
        (None, Some(high)) => high.floor().min(1.0),
        (None, None) => 1.0,
    };
    Value::from(value as i64)
}

fn number(object: &Map<String, Value>) -> Value {
    let (low, high) = bounds(object, 0.5);
    let value = match (low, high) {
        (Some(low), _) => low,
        (None, Some(high)) => high.min(1.5),
        (None, None) => 1.5,
    };
    serde_json::Number::from_f64(value)
        .map(Value::Number)
        .unwrap_or(Value::from(1))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn minimal_and_full_objects() {
        let root = json!({"components": {"schemas": {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Thing": {
                "type": "object",
                "required": ["id", "kind"],
                "properties": {
                    "id": {"type": "string", "minLength": 10, "maxLength": 12},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "count": {"type": "integer", "minimum": 3},
                    "ratio": {"type": "number", "exclusiveMaximum": 1},
                    "tags": {"type": "array", "items": {"type": "string", "examples": ["t"]}},
                    "when": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
                    "read": {"type": "string", "readOnly": true}
                }
            }
        }}});
        let thing = json!({"$ref": "#/components/schemas/Thing"});
        let minimal = Synth::new(&root, Fill::Minimal, 0).value(&thing);
        assert_eq!(minimal, json!({"id": "contractxx", "kind": "a"}));
        let synth = Synth::new(&root, Fill::Full, 1);
        let full = synth.value(&thing);
        assert_eq!(
            full,
            json!({
                "id": "contractxx",
                "kind": "b",
                "count": 3,
                "ratio": 0.5,
                "tags": ["t"],
                "when": "2026-04-08T12:00:00Z"
            })
        );
        assert_eq!(synth.widest(), 2);
    }

    #[test]
    fn unions_take_the_picked_branch_and_fill_the_discriminator() {
        let root = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["a"], "properties": {"a": {"type": "boolean"}}},
            "B": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "b"}}}
        }}});
        let union = json!({
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "kind", "mapping": {"first": "#/components/schemas/A", "b": "#/components/schemas/B"}}
        });
        assert_eq!(
            Synth::new(&root, Fill::Minimal, 0).value(&union),
            json!({"a": true, "kind": "first"})
        );
        assert_eq!(
            Synth::new(&root, Fill::Minimal, 1).value(&union),
            json!({"kind": "b"})
        );
        assert_eq!(
            Synth::new(&root, Fill::Minimal, 2).value(&union),
            json!({"a": true, "kind": "first"})
        );
    }

    #[test]
    fn recursion_stops() {
        let root = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
            }}
        }}});
        let node =
            Synth::new(&root, Fill::Full, 0).value(&json!({"$ref": "#/components/schemas/Node"}));
        let mut depth = 0;
        let mut current = &node;
        while let Some(child) = current.get("children").and_then(|c| c.get(0)) {
            current = child;
            depth += 1;
        }
        assert!(depth > 2 && depth <= MAX_DEPTH, "{depth}");
    }
}
