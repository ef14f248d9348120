//! Stage (after normalise, before merge): every example and every default of every
//! document, validated against its schema.
//!
//! The examples are: a schema's `example` and `x-examples` items (the normaliser moves
//! 3.1 `examples` arrays there), a media type's, parameter's or header's `example` and
//! `examples.*.value` (a `$ref` to `#/components/examples/..` is followed), and a
//! schema's `default` (reported as [`ValueKind::Default`]). A mismatch is a
//! [`LintFinding`] naming the file, the pointer of the value (and its line where it can be
//! found), the place inside the value and the schema node that rejects it.
//!
//! The validator is a small JSON Schema subset over the normalised (OpenAPI 3.0 shaped)
//! document: `$ref` to any local pointer, `type` (also a list), `nullable`, `enum`,
//! `const`/`x-const`, `required`, `properties`, `additionalProperties` (false or a
//! schema), `items`, `allOf`/`anyOf`/`oneOf`/`not`, `minimum`/`maximum` (with boolean or
//! numeric `exclusiveMinimum`/`exclusiveMaximum`), `minLength`/`maxLength` and
//! `minItems`/`maxItems`. `format`, `pattern` and everything else are ignored.

use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

use crate::load::Document;
use crate::normalise::json_type;
use crate::text::{escape_token, pointer_tokens};

/// What kind of value was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValueKind {
    /// `example`, `x-examples` items, `examples.*.value`.
    Example,
    /// A schema's `default`.
    Default,
}

impl ValueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Example => "example",
            ValueKind::Default => "default",
        }
    }
}

/// One example or default that its schema rejects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LintFinding {
    /// The file of the document.
    pub file: PathBuf,
    /// The pointer of the example or default in the (normalised) document.
    pub pointer: String,
    pub kind: ValueKind,
    /// Where inside the value the mismatch is (a JSON pointer into the value; empty for
    /// the value itself).
    pub at: String,
    /// The document id.
    pub document: String,
    /// The line of the value in the file, where it can be found.
    pub line: Option<usize>,
    /// The pointer of the schema node that rejects the value.
    pub schema: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LintFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, " at #{}: {}", self.pointer, self.kind.as_str())?;
        if !self.at.is_empty() {
            write!(f, " {}", self.at)?;
        }
        write!(f, ": {} (schema #{})", self.message, self.schema)
    }
}

/// The result of linting some documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lint {
    /// How many examples were checked.
    pub examples: usize,
    /// How many defaults were checked.
    pub defaults: usize,
    /// The mismatches, sorted by file, pointer and place.
    pub findings: Vec<LintFinding>,
}

impl Lint {
    /// How many examples do not match (an example with several mismatches counts once).
    pub fn examples_failed(&self) -> usize {
        values_failed(&self.findings, ValueKind::Example)
    }

    /// How many defaults do not match.
    pub fn defaults_failed(&self) -> usize {
        values_failed(&self.findings, ValueKind::Default)
    }
}

/// How many values of `kind` the findings are about (each value counted once).
pub fn values_failed(findings: &[LintFinding], kind: ValueKind) -> usize {
    findings
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| (&f.file, &f.pointer))
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// Lint every document; the findings come out sorted (input order never matters).
pub fn lint(documents: &[Document]) -> Lint {
    let mut total = Lint::default();
    for document in documents {
        let one = lint_document(document);
        total.examples += one.examples;
        total.defaults += one.defaults;
        total.findings.extend(one.findings);
    }
    total.findings.sort();
    total
}

/// Lint one (normalised) document.
pub fn lint_document(document: &Document) -> Lint {
    let root = &document.value;
    let mut values = Vec::new();
    collect(root, &mut values);
    let mut lint = Lint::default();
    for value in values {
        match value.kind {
            ValueKind::Example => lint.examples += 1,
            ValueKind::Default => lint.defaults += 1,
        }
        let Some(schema) = resolve_pointer(root, &value.schema) else {
            continue;
        };
        let mismatches = validate(root, schema, &value.schema, value.value);
        if mismatches.is_empty() {
            continue;
        }
        let line = line_of(document, &value.pointer);
        for mismatch in mismatches {
            lint.findings.push(LintFinding {
                file: document.path.clone(),
                pointer: value.pointer.clone(),
                kind: value.kind,
                at: mismatch.at,
                document: document.id.clone(),
                line,
                schema: mismatch.schema,
                message: mismatch.message,
            });
        }
    }
    lint.findings.sort();
    lint
}

/// The line of a value: its own pointer, else the pre-normalisation spelling
/// (`x-examples` was `examples`), else the closest ancestor.
fn line_of(document: &Document, pointer: &str) -> Option<usize> {
    document
        .line_of(pointer)
        .or_else(|| document.line_of(&pointer.replace("/x-examples/", "/examples/")))
        .or_else(|| document.line_of_nearest(pointer))
}

// ---------------------------------------------------------------------------------------
// Finding the examples

/// One value to check.
struct Found<'a> {
    kind: ValueKind,
    /// The pointer of the value.
    pointer: String,
    value: &'a Value,
    /// The pointer of its schema.
    schema: String,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

fn entries(value: &Value) -> impl Iterator<Item = (&String, &Value)> {
    value.as_object().into_iter().flatten()
}

fn items(value: &Value) -> impl Iterator<Item = (usize, &Value)> {
    value.as_array().into_iter().flatten().enumerate()
}

fn is_reference(value: &Value) -> bool {
    value.get("$ref").is_some_and(Value::is_string)
}

/// Every example and default of a document, in document order. `$ref`s to parameters,
/// responses, ... are not followed (their targets are walked once, under `components`).
fn collect<'a>(root: &'a Value, out: &mut Vec<Found<'a>>) {
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

// ---------------------------------------------------------------------------------------
// The validator

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(schema: Value, instance: Value) -> Vec<String> {
        let root = json!({"components": {"schemas": {
            "Id": {"type": "string", "minLength": 2},
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}, "additionalProperties": false},
            "Loop": {"$ref": "#/components/schemas/Loop"},
        }}});
        validate(&root, &schema, "/s", &instance)
            .into_iter()
            .map(|m| format!("{}|{}|{}", m.at, m.schema, m.message))
            .collect()
    }

    #[test]
    fn types_and_nullable() {
        assert!(check(json!({"type": "string"}), json!("a")).is_empty());
        assert_eq!(
            check(json!({"type": "string"}), json!(["a"])),
            [r#"|/s|expected string, found array ["a"]"#]
        );
        assert_eq!(
            check(json!({"type": "string"}), json!(null)),
            ["|/s|expected string, found null"]
        );
        assert!(check(json!({"type": "string", "nullable": true}), json!(null)).is_empty());
        assert!(check(json!({"type": "integer"}), json!(3.0)).is_empty());
        assert!(!check(json!({"type": "integer"}), json!(3.5)).is_empty());
        assert!(check(json!({"type": "number"}), json!(3)).is_empty());
        assert!(check(json!({"type": ["string", "null"]}), json!(null)).is_empty());
        assert!(check(json!({"type": "boolean"}), json!(true)).is_empty());
        assert!(check(json!({}), json!({"any": 1})).is_empty());
        // the normalised `type: "null"`
        let null = json!({"nullable": true, "enum": [null], "x-null": true});
        assert!(check(null.clone(), json!(null)).is_empty());
        assert!(!check(null, json!(1)).is_empty());
    }

    #[test]
    fn enum_and_const() {
        assert!(check(json!({"enum": ["a", "b"]}), json!("b")).is_empty());
        assert_eq!(
            check(json!({"enum": ["a", "b"]}), json!("c")),
            [r#"|/s|"c" is not one of "a", "b""#]
        );
        assert!(check(json!({"enum": [1]}), json!(1.0)).is_empty());
        assert!(check(json!({"enum": ["v"], "x-const": "v"}), json!("v")).is_empty());
        assert_eq!(
            check(json!({"enum": ["v"], "x-const": "v"}), json!("w")),
            [r#"|/s|expected the constant "v", found "w""#]
        );
        assert!(!check(json!({"const": {"a": [1]}}), json!({"a": [2]})).is_empty());
    }

    #[test]
    fn objects() {
        let schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"$ref": "#/components/schemas/Id"}, "n": {"type": "integer"}},
            "additionalProperties": false,
        });
        assert!(check(schema.clone(), json!({"id": "ab", "n": 1})).is_empty());
        assert_eq!(
            check(schema.clone(), json!({"n": "x", "extra": 1})),
            [
                "|/s|the required property `id` is missing",
                "/n|/s/properties/n|expected integer, found string \"x\"",
                "/extra|/s|the property `extra` is not declared (additionalProperties: false)",
            ]
        );
        assert_eq!(
            check(schema, json!({"id": "a"})),
            ["/id|/components/schemas/Id|\"a\" has 1 characters, fewer than minLength 2"]
        );
        let map = json!({"type": "object", "additionalProperties": {"type": "integer"}});
        assert!(check(map.clone(), json!({"a": 1, "b": 2})).is_empty());
        assert_eq!(
            check(map, json!({"a": "1"})),
            ["/a|/s/additionalProperties|expected integer, found string \"1\""]
        );
        // recursion through $ref
        let node = json!({"$ref": "#/components/schemas/Node"});
        assert!(check(node.clone(), json!({"next": {"next": {}}})).is_empty());
        assert_eq!(
            check(node, json!({"next": {"oops": 1}})),
            ["/next/oops|/components/schemas/Node|the property `oops` is not declared (additionalProperties: false)"]
        );
        // a cycle without progress is reported, not followed forever
        let cycle = check(json!({"$ref": "#/components/schemas/Loop"}), json!(1));
        assert!(cycle[0].contains("nests too deeply"), "{cycle:?}");
        let missing = check(json!({"$ref": "#/components/schemas/Nope"}), json!(1));
        assert!(missing[0].contains("does not resolve"), "{missing:?}");
    }

    #[test]
    fn arrays_numbers_strings() {
        let list =
            json!({"type": "array", "items": {"type": "string", "maxLength": 3}, "maxItems": 2});
        assert!(check(list.clone(), json!(["a", "b"])).is_empty());
        assert_eq!(
            check(list, json!(["a", "long", "c"])),
            [
                "|/s|3 items, more than maxItems 2",
                "/1|/s/items|\"long\" has 4 characters, more than maxLength 3"
            ]
        );
        let bounded =
            json!({"type": "number", "minimum": 0, "maximum": 1, "exclusiveMaximum": true});
        assert!(check(bounded.clone(), json!(0)).is_empty());
        assert_eq!(
            check(bounded.clone(), json!(1)),
            ["|/s|1 is not less than the exclusive maximum 1"]
        );
        assert_eq!(
            check(bounded, json!(-1)),
            ["|/s|-1 is less than the minimum 0"]
        );
        assert!(!check(json!({"exclusiveMinimum": 5}), json!(5)).is_empty());
        // format is ignored
        assert!(check(json!({"type": "string", "format": "uuid"}), json!("x")).is_empty());
    }

    #[test]
    fn combinators() {
        let any = json!({"anyOf": [{"type": "integer"}, {"type": "string"}]});
        assert!(check(any.clone(), json!(100)).is_empty());
        assert!(check(any.clone(), json!("100")).is_empty());
        let failed = check(any, json!([1]));
        assert_eq!(failed.len(), 1);
        assert!(
            failed[0].starts_with("|/s|[1] matches none of the 2 `anyOf` members; the closest (#/s/anyOf/0): expected integer"),
            "{failed:?}"
        );
        let one = json!({"oneOf": [{"type": "number"}, {"type": "integer"}]});
        assert!(check(one.clone(), json!(1.5)).is_empty());
        assert_eq!(
            check(one, json!(1)),
            ["|/s|1 matches 2 `oneOf` members (0, 1); exactly one must match"]
        );
        let all =
            json!({"allOf": [{"required": ["a"]}, {"properties": {"a": {"type": "string"}}}]});
        assert!(check(all.clone(), json!({"a": "x"})).is_empty());
        assert_eq!(
            check(all, json!({"a": 1})),
            ["/a|/s/allOf/1/properties/a|expected string, found integer 1"]
        );
        assert_eq!(
            check(json!({"not": {}}), json!(1)),
            ["|/s|1 matches the `not` schema"]
        );
        // nullable around a $ref (the normalised `anyOf: [$ref, null]`)
        let wrapped = json!({"allOf": [{"$ref": "#/components/schemas/Id"}], "nullable": true});
        assert!(check(wrapped.clone(), json!(null)).is_empty());
        assert!(!check(wrapped, json!("a")).is_empty());
    }

    fn doc(value: Value) -> Document {
        Document::from_value("d", "specs/d.json", value)
    }

    #[test]
    fn finds_every_kind_of_example() {
        let document = doc(json!({
            "openapi": "3.0.3",
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "integer"}, "example": "x"}],
                "post": {
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string"}, "examples": {"one": {"value": 1}, "ref": {"$ref": "#/components/examples/Two"}}},
                        {"$ref": "#/components/parameters/P"},
                    ],
                    "requestBody": {"content": {"application/json": {
                        "schema": {"type": "object", "properties": {"n": {"type": "integer", "default": "zero", "example": 1}}},
                        "example": {"n": "one"},
                    }}},
                    "responses": {"200": {
                        "headers": {"X-Rate": {"schema": {"type": "integer"}, "example": 1.5}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}, "examples": {"ok": {"value": {"s": "fine"}}}}},
                    }},
                },
            }},
            "components": {
                "schemas": {"S": {"type": "object", "properties": {"s": {"type": "string", "x-examples": ["a", 2], "example": "a"}}}},
                "parameters": {"P": {"name": "p", "in": "header", "schema": {"type": "boolean"}, "example": "yes"}},
                "examples": {"Two": {"value": true}},
            },
        }));
        let lint = lint_document(&document);
        assert_eq!((lint.examples, lint.defaults), (10, 1));
        let found: Vec<(ValueKind, &str, &str)> = lint
            .findings
            .iter()
            .map(|f| (f.kind, f.pointer.as_str(), f.at.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (ValueKind::Example, "/components/parameters/P/example", ""),
                (ValueKind::Example, "/components/schemas/S/properties/s/x-examples/1", ""),
                (ValueKind::Example, "/paths/~1a~1{id}/parameters/0/example", ""),
                (ValueKind::Example, "/paths/~1a~1{id}/post/parameters/0/examples/one/value", ""),
                (ValueKind::Example, "/paths/~1a~1{id}/post/parameters/0/examples/ref/value", ""),
                (ValueKind::Example, "/paths/~1a~1{id}/post/requestBody/content/application~1json/example", "/n"),
                (ValueKind::Default, "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/n/default", ""),
                (ValueKind::Example, "/paths/~1a~1{id}/post/responses/200/headers/X-Rate/example", ""),
            ]
        );
        assert_eq!(lint.examples_failed(), 7);
        assert_eq!(lint.defaults_failed(), 1);
        let text = lint.findings[5].to_string();
        assert_eq!(
            text,
            "specs/d.json at #/paths/~1a~1{id}/post/requestBody/content/application~1json/example: \
             example /n: expected integer, found string \"one\" \
             (schema #/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/n)"
        );
    }

    #[test]
    fn findings_are_sorted_and_order_free() {
        let a = doc(
            json!({"paths": {}, "components": {"schemas": {"A": {"type": "string", "example": 1}}}}),
        );
        let mut b = a.clone();
        b.id = "b".into();
        b.path = "specs/b.json".into();
        let one = lint(&[a.clone(), b.clone()]);
        let two = lint(&[b, a]);
        assert_eq!(one, two);
        assert_eq!(one.findings.len(), 2);
        assert_eq!(one.findings[0].file, PathBuf::from("specs/b.json"));
    }
}
