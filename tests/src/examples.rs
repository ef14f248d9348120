//! Every example in a spec, with the place whose Rust type it must decode into,
//! and a generated test that round-trips each through its generated type.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

/// One example value found in a document.
#[derive(Debug, Clone)]
pub struct Example {
    /// `document-id#/pointer/to/the/example`.
    pub label: String,
    /// `document-id#/pointer` of the schema node the example belongs to.
    pub schema: String,
    pub value: Value,
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Examples of a normalised document: schema `example`/`x-examples` (the
/// normaliser moves 3.1 `examples` arrays there), media-type, parameter and
/// header `example`/`examples`.
pub fn collect(doc_id: &str, document: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    let mut walker = Walker {
        doc_id,
        out: &mut out,
    };
    if let Some(schemas) = document["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            walker.schema(schema, &format!("/components/schemas/{}", escape(name)));
        }
    }
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            let item_pointer = format!("/paths/{}", escape(path));
            walker.parameters(item, &item_pointer);
            for (method, operation) in item.as_object().into_iter().flatten() {
                if method == "parameters" || !operation.is_object() {
                    continue;
                }
                let op_pointer = format!("{item_pointer}/{method}");
                walker.parameters(operation, &op_pointer);
                walker.content(
                    &operation["requestBody"],
                    &format!("{op_pointer}/requestBody"),
                );
                for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                    let response_pointer = format!("{op_pointer}/responses/{}", escape(status));
                    walker.content(response, &response_pointer);
                    for (name, header) in response["headers"].as_object().into_iter().flatten() {
                        let header_pointer = format!("{response_pointer}/headers/{}", escape(name));
                        walker.holder(header, &header_pointer);
                    }
                }
            }
        }
    }
    out
}

struct Walker<'a> {
    doc_id: &'a str,
    out: &'a mut Vec<Example>,
}

impl Walker<'_> {
    fn push(&mut self, label: String, schema: &str, value: &Value) {
        self.out.push(Example {
            label: format!("{}#{label}", self.doc_id),
            schema: format!("{}#{schema}", self.doc_id),
            value: value.clone(),
        });
    }

    fn schema(&mut self, node: &Value, pointer: &str) {
        let Some(object) = node.as_object() else {
            return;
        };
        match object.get("x-examples") {
            Some(Value::Array(examples)) => {
                for (index, example) in examples.iter().enumerate() {
                    self.push(format!("{pointer}/x-examples/{index}"), pointer, example);
                }
            }
            _ => {
                if let Some(example) = object.get("example") {
                    self.push(format!("{pointer}/example"), pointer, example);
                }
            }
        }
        for (name, property) in object
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            self.schema(property, &format!("{pointer}/properties/{}", escape(name)));
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = object.get(key) {
                self.schema(child, &format!("{pointer}/{key}"));
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for (index, child) in object
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                self.schema(child, &format!("{pointer}/{key}/{index}"));
            }
        }
    }

    /// A parameter, header or media type: its own examples and its schema's.
    fn holder(&mut self, node: &Value, pointer: &str) {
        let schema_pointer = format!("{pointer}/schema");
        if let Some(example) = node.get("example") {
            self.push(format!("{pointer}/example"), &schema_pointer, example);
        }
        for (name, example) in node
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(value) = example.get("value") {
                self.push(
                    format!("{pointer}/examples/{}/value", escape(name)),
                    &schema_pointer,
                    value,
                );
            }
        }
        if let Some(schema) = node.get("schema") {
            self.schema(schema, &schema_pointer);
        }
    }

    fn parameters(&mut self, node: &Value, pointer: &str) {
        for (index, parameter) in node["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            self.holder(parameter, &format!("{pointer}/parameters/{index}"));
        }
    }

    fn content(&mut self, node: &Value, pointer: &str) {
        for (media_type, media) in node["content"].as_object().into_iter().flatten() {
            self.holder(media, &format!("{pointer}/content/{}", escape(media_type)));
        }
    }
}

/// Where an example is checked: the Rust type and the JSON it must round-trip.
pub struct Check {
    pub label: String,
    pub rust_type: String,
    pub json: Value,
}

/// Pairs examples with Rust types. An object example whose schema node has no
/// type of its own (an inline envelope such as `{data: T}`) is checked member by
/// member. Examples that find no type are returned as failures.
pub fn plan(examples: &[Example], types: &BTreeMap<String, String>) -> (Vec<Check>, Vec<String>) {
    let mut checks = Vec::new();
    let mut failures = Vec::new();
    for example in examples {
        if let Some(rust_type) = types.get(&example.schema) {
            checks.push(Check {
                label: example.label.clone(),
                rust_type: rust_type.clone(),
                json: example.value.clone(),
            });
            continue;
        }
        match &example.value {
            Value::Object(members) => {
                for (key, value) in members {
                    let member_schema = format!("{}/properties/{}", example.schema, escape(key));
                    let label = format!("{}/{}", example.label, escape(key));
                    match types.get(&member_schema) {
                        Some(rust_type) => checks.push(Check {
                            label,
                            rust_type: rust_type.clone(),
                            json: value.clone(),
                        }),
                        None => failures.push(format!(
                            "{label}: `{key}` is not a property the schema declares"
                        )),
                    }
                }
            }
            _ => failures.push(format!(
                "{}: no Rust type for {}",
                example.label, example.schema
            )),
        }
    }
    (checks, failures)
}

/// A test file for the generated crate that round-trips every check.
pub fn test_file(checks: &[Check]) -> String {
    let mut body = String::new();
    for check in checks {
        let json = serde_json::to_string(&check.json).expect("JSON");
        let _ = writeln!(
            body,
            "    check::<{}>({:?}, r###\"{json}\"###, &mut failures);",
            check.rust_type, check.label
        );
    }
    format!(
        r#"//! Written by the end-to-end harness: every example of the spec, decoded into
//! its generated type and encoded again.
#![allow(clippy::all)]

use serde_json::Value;

/// Equal modulo `null` members (absent optional fields) and integer/float spelling.
fn same(a: &Value, b: &Value) -> bool {{
    match (a, b) {{
        (Value::Object(x), Value::Object(y)) => {{
            let x: Vec<_> = x.iter().filter(|(_, v)| !v.is_null()).collect();
            let y: Vec<_> = y.iter().filter(|(_, v)| !v.is_null()).collect();
            x.len() == y.len() && x.iter().all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && same(v, v2)))
        }}
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }}
}}

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(label: &str, json: &str, failures: &mut Vec<String>) {{
    let original: Value = serde_json::from_str(json).expect("example JSON");
    let decoded: T = match serde_json::from_str(json) {{
        Ok(value) => value,
        Err(error) => return failures.push(format!("{{label}}: does not decode: {{error}}")),
    }};
    let encoded = serde_json::to_value(&decoded).expect("encode");
    if !same(&original, &encoded) {{
        failures.push(format!("{{label}}: round trip differs:\n  sent {{original}}\n  got  {{encoded}}"));
    }}
}}

#[test]
fn every_example_round_trips() {{
    let mut failures = Vec::new();
{body}
    println!("examples checked: {count}");
    assert!(failures.is_empty(), "{{}} of {count} examples failed:\n{{}}", failures.len(), failures.join("\n"));
}}
"#,
        count = checks.len()
    )
}
