//! The calls to make: for every operation of the IR, its arguments (from the
//! served document's schemas and examples) and the errors it declares.
//!
//! The list of operations is the IR's, so an operation the generator adds is
//! called without anyone writing a line here; one the served document lacks
//! is listed as not served, with the reason.

use std::collections::BTreeSet;

use generator::emit::operations::{optional_params, path_params};
use generator::ir::{Api, ErrorShape, Method, Operation, ParamLocation, RequestBody, Success};
use serde_json::{json, Map, Value};

use crate::values::{Fill, Synth};

/// Above this many union branches (or enum values) in one place, the extra
/// ones are not tried.
const MAX_PICKS: usize = 32;

/// One operation and what to do with it.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Index in `Api::operations`.
    pub index: usize,
    /// The spec's operationId.
    pub operation_id: String,
    /// `client.videos().create_video` and `POST /v3/videos`, for people.
    pub label: String,
    pub plan: Result<Served, String>,
}

/// An operation the served document has.
#[derive(Debug, Clone)]
pub struct Served {
    /// Argument sets, named (`minimal`, `full`, `full#1`, …).
    pub cases: Vec<Case>,
    pub errors: Vec<ExpectedError>,
    /// How the 2xx body is read: `envelope` (`{data: T}`), `page`, `json`,
    /// `text`, `bytes` or `empty`.
    pub success: &'static str,
    /// Differences between the served operation and the generated method
    /// (a parameter the method cannot send): each fails the operation.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub name: String,
    /// `{"path": [..], "params": {field: value}, "body": value, "multipart": {field: value}}`.
    pub args: Value,
}

/// An error status the operation declares, as Prism will answer it when asked.
#[derive(Debug, Clone)]
pub struct ExpectedError {
    pub status: u16,
    /// The `code` of the spec's example, when there is one.
    pub code: Option<String>,
    /// The `message` of the spec's example, when there is one.
    pub message: Option<String>,
    /// `"api"` for the v3 shape, `"legacy"` for the v1/v2 ones.
    pub kind: &'static str,
    /// The response declares a `Retry-After` header.
    pub retry_after: bool,
}

/// The label of an operation: how it is called and what it requests.
pub fn label(api: &Api, op: &Operation) -> String {
    let group = &api.groups[op.group];
    let handle = if group.legacy {
        format!("legacy().{}()", group.module)
    } else {
        format!("{}()", group.module)
    };
    format!("{handle}.{} ({} {})", op.name, op.method.as_str(), op.path)
}

/// Plans every operation of `api` against the `served` document.
pub fn plan(api: &Api, served: &Value, served_name: &str) -> Vec<Planned> {
    api.operations
        .iter()
        .enumerate()
        .map(|(index, op)| Planned {
            index,
            operation_id: op.operation_id.clone(),
            label: label(api, op),
            plan: plan_operation(op, served, served_name),
        })
        .collect()
}

fn plan_operation(op: &Operation, root: &Value, served_name: &str) -> Result<Served, String> {
    let method = op.method.as_str().to_ascii_lowercase();
    let item = root["paths"].get(&op.path).ok_or_else(|| {
        format!(
            "not served: {served_name} has no path {} (the operation comes from {})",
            op.path, op.origin
        )
    })?;
    let spec = item.get(&method).ok_or_else(|| {
        format!(
            "not served: {served_name} has no {} {} (the operation comes from {})",
            op.method.as_str(),
            op.path,
            op.origin
        )
    })?;
    let resolver = Synth::new(root, Fill::Minimal, 0);
    let parameters: Vec<&Value> = item["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(spec["parameters"].as_array().into_iter().flatten())
        .map(|p| resolver.resolve(p))
        .collect();

    let mut problems = Vec::new();
    for parameter in &parameters {
        let (Some(name), Some(location)) = (parameter["name"].as_str(), parameter["in"].as_str())
        else {
            continue;
        };
        let location = match location {
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "header" => ParamLocation::Header,
            _ => continue,
        };
        if !op
            .params
            .iter()
            .any(|p| p.wire.eq_ignore_ascii_case(name) && p.location == location)
        {
            problems.push(format!(
                "the spec's {location:?} parameter `{name}` has no argument in the generated method"
            ));
        }
    }

    let mut cases: Vec<Case> = Vec::new();
    let mut pick = 0;
    let mut widest = 1;
    while pick < widest.min(MAX_PICKS) {
        for fill in [Fill::Minimal, Fill::Full] {
            let synth = Synth::new(root, fill, pick);
            let args = arguments(op, spec, &parameters, &synth);
            widest = widest.max(synth.widest());
            let name = match (fill, pick) {
                (Fill::Minimal, 0) => "minimal".to_owned(),
                (Fill::Full, 0) => "full".to_owned(),
                (Fill::Minimal, _) => format!("minimal#{pick}"),
                (Fill::Full, _) => format!("full#{pick}"),
            };
            if !cases.iter().any(|case| case.args == args) {
                cases.push(Case { name, args });
            }
        }
        pick += 1;
    }
    // A PATCH clears a field with an explicit null: that must reach the wire.
    if op.method == Method::Patch {
        let synth = Synth::new(root, Fill::Full, 0).with_nulls();
        let args = arguments(op, spec, &parameters, &synth);
        if !cases.iter().any(|case| case.args == args) {
            cases.push(Case {
                name: "nulls".into(),
                args,
            });
        }
    }

    let errors = op
        .errors
        .iter()
        .map(|error| expected_error(error.status, error.shape, spec, &resolver))
        .collect();
    let success = match op.success {
        Success::Envelope(_) => "envelope",
        Success::Page(_) => "page",
        Success::Json(_) => "json",
        Success::Text => "text",
        Success::Bytes => "bytes",
        Success::Empty => "empty",
    };
    Ok(Served {
        cases,
        errors,
        success,
        problems,
    })
}

/// The arguments of one call, keyed the way the contract program reads them.
fn arguments(op: &Operation, spec: &Value, parameters: &[&Value], synth: &Synth) -> Value {
    let full = synth.fill() == Fill::Full;
    let find = |wire: &str, location: ParamLocation| {
        let location = match location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        parameters.iter().find(|p| {
            p["in"] == location
                && p["name"]
                    .as_str()
                    .is_some_and(|name| name.eq_ignore_ascii_case(wire))
        })
    };
    let path: Vec<Value> = path_params(op)
        .iter()
        .map(|p| match find(&p.wire, p.location) {
            Some(parameter) => parameter_value(parameter, synth),
            None => Value::String(format!("{}_1", p.wire)),
        })
        .collect();
    let mut params = Map::new();
    for p in optional_params(op) {
        // Parameters only the generator knows (a quirk's Idempotency-Key) stay unset.
        if let Some(parameter) = find(&p.wire, p.location) {
            if full || parameter["required"] == Value::Bool(true) {
                params.insert(p.rust.clone(), parameter_value(parameter, synth));
            }
        }
    }
    let body_spec = synth.resolve(&spec["requestBody"]);
    let body_required = body_spec["required"] == Value::Bool(true);
    let mut args = json!({ "path": path, "params": params });
    match &op.body {
        Some(RequestBody::Json { .. }) => {
            let schema = &body_spec["content"]["application/json"]["schema"];
            let body = if full || body_required {
                synth.value(schema)
            } else {
                Value::Null
            };
            args["body"] = body;
        }
        Some(RequestBody::Multipart { fields }) => {
            let schema = synth.resolve(&body_spec["content"]["multipart/form-data"]["schema"]);
            let required: BTreeSet<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut parts = Map::new();
            for field in fields {
                if !(full || field.required || required.contains(field.wire.as_str())) {
                    continue;
                }
                let value = match field.ty {
                    // A file part: the program sends a small PNG.
                    None => Value::Bool(true),
                    Some(_) => synth.value(&schema["properties"][&field.wire]),
                };
                parts.insert(field.rust.clone(), value);
            }
            args["multipart"] = Value::Object(parts);
        }
        Some(RequestBody::Raw { .. }) => args["raw"] = Value::Bool(true),
        None => {}
    }
    args
}

/// A parameter's own example, else a value for its schema.
fn parameter_value(parameter: &Value, synth: &Synth) -> Value {
    if let Some(example) = parameter.get("example") {
        return example.clone();
    }
    if let Some(example) = parameter["examples"]
        .as_object()
        .and_then(|examples| examples.values().next())
        .and_then(|example| example.get("value"))
    {
        return example.clone();
    }
    let value = synth.value(&parameter["schema"]);
    // A path segment must not be empty.
    match value {
        Value::String(text) if text.is_empty() => Value::String("x".into()),
        other => other,
    }
}

fn expected_error(status: u16, shape: ErrorShape, spec: &Value, resolver: &Synth) -> ExpectedError {
    let response = resolver.resolve(&spec["responses"][status.to_string()]);
    let media = &response["content"]["application/json"];
    let example = media.get("example").cloned().or_else(|| {
        media["examples"]
            .as_object()
            .and_then(|examples| examples.values().next())
            .and_then(|example| example.get("value").cloned())
    });
    // `{error: {code, message}}` (v3, v2) or `{code, message}` (v1).
    let body = example.as_ref().map(|example| {
        if example["error"].is_object() {
            &example["error"]
        } else {
            example
        }
    });
    let code = body.and_then(|body| match &body["code"] {
        Value::String(code) => Some(code.clone()),
        Value::Number(code) => Some(code.to_string()),
        _ => None,
    });
    let message = body.and_then(|body| body["message"].as_str().map(str::to_owned));
    let retry_after = response["headers"].as_object().is_some_and(|headers| {
        headers
            .keys()
            .any(|h| h.eq_ignore_ascii_case("retry-after"))
    });
    ExpectedError {
        status,
        code,
        message,
        kind: match shape {
            ErrorShape::Standard => "api",
            _ => "legacy",
        },
        retry_after,
    }
}

impl Planned {
    /// The JSON the contract program reads for this operation.
    pub fn to_json(&self, exclusions: &[&crate::Exclusion]) -> Value {
        let excluded: Vec<Value> = exclusions
            .iter()
            .map(|e| json!({"pass": e.pass, "detail": e.detail, "reason": e.reason}))
            .collect();
        match &self.plan {
            Ok(served) => json!({
                "index": self.index,
                "id": self.operation_id,
                "label": self.label,
                "cases": served.cases.iter().map(|c| json!({"name": c.name, "args": c.args})).collect::<Vec<_>>(),
                "errors": served.errors.iter().map(|e| json!({
                    "status": e.status,
                    "code": e.code,
                    "message": e.message,
                    "kind": e.kind,
                    "retry_after": e.retry_after,
                })).collect::<Vec<_>>(),
                "success": served.success,
                "problems": served.problems,
                "excluded": excluded,
            }),
            Err(reason) => json!({
                "index": self.index,
                "id": self.operation_id,
                "label": self.label,
                "not_served": reason,
            }),
        }
    }
}
