//! Finding the examples and defaults of a document, each with the schema it must match.

use serde_json::Value;

use super::ValueKind;
use crate::text::{escape_token, pointer_tokens};

/// One value to check.
pub(super) struct Found<'a> {
    pub(super) kind: ValueKind,
    /// The pointer of the value.
    pub(super) pointer: String,
    pub(super) value: &'a Value,
    /// The pointer of its schema.
    pub(super) schema: String,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(super) fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

fn entries(value: &Value) -> impl Iterator<Item = (&String, &Value)> {
    value.as_object().into_iter().flatten()
}

pub(super) fn items(value: &Value) -> impl Iterator<Item = (usize, &Value)> {
    value.as_array().into_iter().flatten().enumerate()
}

fn is_reference(value: &Value) -> bool {
    value.get("$ref").is_some_and(Value::is_string)
}

/// Every example and default of a document, in document order. `$ref`s to parameters,
/// responses, ... are not followed (their targets are walked once, under `components`).
pub(super) fn collect<'a>(root: &'a Value, out: &mut Vec<Found<'a>>) {
    let mut walker = Collector { root, out };
    for (path, item) in entries(&root["paths"]) {
        walker.path_item(item, &child("/paths", path));
    }
    for (name, item) in entries(&root["webhooks"]) {
        walker.path_item(item, &child("/webhooks", name));
    }
    let components = &root["components"];
    for (name, schema) in entries(&components["schemas"]) {
        walker.schema(schema, &child("/components/schemas", name));
    }
    for kind in ["parameters", "headers"] {
        for (name, parameter) in entries(&components[kind]) {
            walker.holder(parameter, &child(&format!("/components/{kind}"), name));
        }
    }
    for (name, response) in entries(&components["responses"]) {
        walker.response(response, &child("/components/responses", name));
    }
    for (name, body) in entries(&components["requestBodies"]) {
        walker.content(body, &child("/components/requestBodies", name));
    }
    for (name, item) in entries(&components["pathItems"]) {
        walker.path_item(item, &child("/components/pathItems", name));
    }
}

struct Collector<'a, 'o> {
    root: &'a Value,
    out: &'o mut Vec<Found<'a>>,
}

impl<'a> Collector<'a, '_> {
    fn push(&mut self, kind: ValueKind, pointer: String, value: &'a Value, schema: &str) {
        self.out.push(Found {
            kind,
            pointer,
            value,
            schema: schema.to_string(),
        });
    }

    fn path_item(&mut self, item: &'a Value, pointer: &str) {
        if is_reference(item) {
            return;
        }
        self.parameters(item, pointer);
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let pointer = child(pointer, method);
            self.parameters(operation, &pointer);
            if let Some(body) = operation.get("requestBody") {
                self.content(body, &child(&pointer, "requestBody"));
            }
            for (status, response) in entries(&operation["responses"]) {
                self.response(response, &child(&child(&pointer, "responses"), status));
            }
            for (name, callback) in entries(&operation["callbacks"]) {
                let pointer = child(&child(&pointer, "callbacks"), name);
                if is_reference(callback) {
                    continue;
                }
                for (expression, item) in entries(callback) {
                    if !expression.starts_with("x-") {
                        self.path_item(item, &child(&pointer, expression));
                    }
                }
            }
        }
    }

    fn parameters(&mut self, node: &'a Value, pointer: &str) {
        for (index, parameter) in items(&node["parameters"]) {
            self.holder(
                parameter,
                &child(&child(pointer, "parameters"), &index.to_string()),
            );
        }
    }

    fn response(&mut self, response: &'a Value, pointer: &str) {
        if is_reference(response) {
            return;
        }
        for (name, header) in entries(&response["headers"]) {
            self.holder(header, &child(&child(pointer, "headers"), name));
        }
        self.content(response, pointer);
    }

    /// The media types of a request body or response.
    fn content(&mut self, node: &'a Value, pointer: &str) {
        if is_reference(node) {
            return;
        }
        for (media_type, media) in entries(&node["content"]) {
            let media_pointer = child(&child(pointer, "content"), media_type);
            self.holder(media, &media_pointer);
            for (name, encoding) in entries(&media["encoding"]) {
                let pointer = child(&child(&media_pointer, "encoding"), name);
                for (header, value) in entries(&encoding["headers"]) {
                    self.holder(value, &child(&child(&pointer, "headers"), header));
                }
            }
        }
    }

    /// A parameter, header or media type: its `example`/`examples` against its schema
    /// (for a parameter with `content`, against the content's schema), then the schema's
    /// own examples.
    fn holder(&mut self, node: &'a Value, pointer: &str) {
        if is_reference(node) {
            return;
        }
        let schema_pointer = if node.get("schema").is_some() {
            Some(child(pointer, "schema"))
        } else {
            entries(&node["content"])
                .next()
                .map(|(media_type, _)| {
                    child(&child(&child(pointer, "content"), media_type), "schema")
                })
                .filter(|p| resolve_pointer(self.root, p).is_some())
        };
        if let Some(schema_pointer) = &schema_pointer {
            if let Some(example) = node.get("example") {
                self.push(
                    ValueKind::Example,
                    child(pointer, "example"),
                    example,
                    schema_pointer,
                );
            }
            for (name, example) in entries(&node["examples"]) {
                let example = match example.get("$ref").and_then(Value::as_str) {
                    Some(reference) => match reference
                        .strip_prefix('#')
                        .and_then(|p| resolve_pointer(self.root, p))
                    {
                        Some(target) => target,
                        None => continue,
                    },
                    None => example,
                };
                if let Some(value) = example.get("value") {
                    self.push(
                        ValueKind::Example,
                        child(&child(&child(pointer, "examples"), name), "value"),
                        value,
                        schema_pointer,
                    );
                }
            }
        }
        if let Some(schema) = node.get("schema") {
            self.schema(schema, &child(pointer, "schema"));
        }
        // a parameter's `content` media types hold examples of their own
        if node.get("in").is_some() {
            self.content(node, pointer);
        }
    }

    /// A schema node and its subschemas: `example`, `x-examples` items (an item equal to
    /// `example` is checked once) and `default`.
    fn schema(&mut self, node: &'a Value, pointer: &str) {
        let Some(map) = node.as_object() else {
            return;
        };
        let example = map.get("example");
        if let Some(example) = example {
            self.push(
                ValueKind::Example,
                child(pointer, "example"),
                example,
                pointer,
            );
        }
        if let Some(Value::Array(list)) = map.get("x-examples") {
            for (index, item) in list.iter().enumerate() {
                if Some(item) != example {
                    self.push(
                        ValueKind::Example,
                        child(&child(pointer, "x-examples"), &index.to_string()),
                        item,
                        pointer,
                    );
                }
            }
        }
        if let Some(default) = map.get("default") {
            self.push(
                ValueKind::Default,
                child(pointer, "default"),
                default,
                pointer,
            );
        }
        for (name, property) in entries(&node["properties"]) {
            self.schema(property, &child(&child(pointer, "properties"), name));
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(sub) = map.get(key).filter(|s| s.is_object()) {
                self.schema(sub, &child(pointer, key));
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for (index, sub) in items(&node[key]) {
                self.schema(sub, &child(&child(pointer, key), &index.to_string()));
            }
        }
    }
}

/// The node at a JSON pointer.
pub fn resolve_pointer<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    let mut node = root;
    for token in pointer_tokens(pointer)? {
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(list) => list.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}
