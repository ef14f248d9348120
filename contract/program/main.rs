//! The contract program: written by heygen-contract next to a freshly
//! generated `heygen` crate (as `examples/contract/`), built against it, and
//! run against Prism mock servers of the spec.
//!
//! `calls.rs` beside this file is generated from the IR: one function per
//! operation that builds the arguments from JSON and calls the method through
//! the public client. This file runs the passes:
//!
//! - `static`: every argument set of every operation against Prism serving
//!   the spec's examples; Prism must see no violation (`sl-violations`), the
//!   response must decode into the generated type, and the decoded value,
//!   serialized again, must hold every non-null value of the raw response
//!   (fetched a second time with a hand-built request): nothing is dropped.
//! - `errors`: every declared error status, asked for with `Prefer: code=N`;
//!   the client must return the typed error with that status, and the code
//!   and message of the spec's example.
//! - `dynamic`: every operation against Prism instances that invent
//!   responses from the schemas, one seed each; every response must decode,
//!   and nothing of it is dropped. One more instance adds made-up properties
//!   to the objects: those may be dropped, but the response must decode.
//!
//! Usage: `contract <plan.json>`; prints one line per operation and pass, and
//! `<pass>: N passed, M failed, K skipped` after each pass.

mod calls;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use serde_json::Value;

/// What a call gave: the decoded value serialized again (`null` for bytes
/// and empty bodies), or `Err` when the arguments could not be built from
/// the JSON (the generated types reject a value the spec allows).
pub type Outcome = Result<heygen::Result<Value>, String>;

/// A decoded response as JSON again.
pub fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value)
        .unwrap_or_else(|e| Value::String(format!("<the decoded value does not serialize: {e}>")))
}

/// A path parameter's text: strings as they are, anything else as JSON.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Reads an argument from its JSON value; the generated type must take it
/// whole (serialized again, nothing of it is dropped or changed), or the
/// client could not send what the spec allows.
pub fn arg<T>(value: &Value, name: &str) -> Result<T, String>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let parsed: T = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        format!(
            "argument `{name}` does not fit the generated type: at `{}`: {} (value {})",
            e.path(),
            e.inner(),
            snippet(&value.to_string(), 300)
        )
    })?;
    let mut lost = Vec::new();
    compare(value, &to_json(&parsed), "", true, &mut lost);
    if lost.is_empty() {
        Ok(parsed)
    } else {
        Err(format!(
            "argument `{name}` does not survive the generated type: {}",
            lost.join("; ")
        ))
    }
}

/// The smallest PNG there is (1x1, transparent), as an upload.
pub fn file() -> heygen::FileUpload {
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    heygen::FileUpload::from_bytes(PNG, "contract.png").mime_type("image/png")
}

/// A file part when the case has one.
pub fn optional_file(value: &Value) -> Option<heygen::FileUpload> {
    (!value.is_null()).then(file)
}

fn snippet(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn client(base_url: &str, prefer: Option<String>) -> heygen::Client {
    let mut builder = heygen::Client::builder()
        .api_key("contract-test-key")
        .base_url(base_url)
        .timeout(Duration::from_secs(30))
        // One request per call: a retried 429 would hide what Prism answered.
        .max_retries(0);
    if let Some(prefer) = prefer {
        builder = builder.default_header("Prefer", prefer);
    }
    builder.build().expect("the contract client builds")
}

/// Why a call failed, for people: Prism's violations first.
fn describe(error: &heygen::Error) -> String {
    let violations = error
        .headers()
        .and_then(|headers| headers.get("sl-violations"))
        .and_then(|value| value.to_str().ok())
        .map(|text| match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(list)) => list
                .iter()
                .map(|v| {
                    let location: Vec<&str> = v["location"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    format!(
                        "{}: {}",
                        location.join("."),
                        v["message"].as_str().unwrap_or("?")
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ => text.to_owned(),
        });
    match (violations, error) {
        (Some(violations), _) => format!(
            "Prism violation (HTTP {}): {violations}",
            error.status().unwrap_or(0)
        ),
        (None, heygen::Error::Decode(decode)) => format!(
            "decode error at `{}`: {} (body: {})",
            decode.path,
            decode.message,
            snippet(&decode.snippet, 300)
        ),
        (None, other) => other.to_string(),
    }
}

/// Calls operation `index` and checks it: no error, and the decoded value
/// keeps everything the raw response says (but properties the spec does not
/// declare, with `extra_properties`).
async fn check_call(
    client: &heygen::Client,
    op: &Value,
    case: &Value,
    extra_properties: bool,
) -> Option<String> {
    let index = op["index"].as_u64().expect("index") as usize;
    let decoded = match calls::call(index, client, case).await {
        Ok(Ok(decoded)) => decoded,
        Ok(Err(error)) => return Some(describe(&error)),
        Err(argument) => return Some(argument),
    };
    let success = op["success"].as_str().unwrap_or("json");
    if matches!(success, "bytes" | "empty") {
        return None;
    }
    let request = calls::raw(index, case)?;
    let raw: Value = match client.send_json(request).await {
        Ok(raw) => raw,
        Err(error) => {
            return Some(format!(
                "the hand-built request failed: {}",
                describe(&error)
            ))
        }
    };
    let (raw, root) = match success {
        "envelope" => (&raw["data"], "data"),
        _ => (&raw, ""),
    };
    let mut lost = Vec::new();
    compare(raw, &decoded, root, false, &mut lost);
    if extra_properties {
        lost.retain(|difference| !difference.ends_with(" is dropped"));
    }
    if lost.is_empty() {
        None
    } else {
        Some(format!(
            "the decoded value differs from the response: {}",
            lost.join("; ")
        ))
    }
}

/// Every non-null value of `raw` that `decoded` lacks or changed, by path;
/// with `added` (for requests), also every key `decoded` has and `raw` has
/// not (a `null` sent for a field the caller left out) and every explicit
/// `null` of `raw` that `decoded` lacks (a PATCH that cannot clear a field).
fn compare(raw: &Value, decoded: &Value, path: &str, added: bool, out: &mut Vec<String>) {
    let here = if path.is_empty() { "." } else { path };
    match (raw, decoded) {
        (Value::Null, _) => {}
        (Value::Object(fields), Value::Object(decoded_fields)) => {
            if added {
                for (key, value) in decoded_fields {
                    if !fields.contains_key(key) {
                        out.push(format!(
                            "`{path}.{key}` = {} is added",
                            snippet(&value.to_string(), 80)
                        ));
                    }
                }
            }
            for (key, value) in fields {
                let path = format!("{path}.{key}");
                match decoded_fields.get(key) {
                    None | Some(Value::Null) if !value.is_null() => out.push(format!(
                        "`{path}` = {} is dropped",
                        snippet(&value.to_string(), 80)
                    )),
                    Some(decoded) => compare(value, decoded, &path, added, out),
                    None if added => out.push(format!("`{path}` = null is dropped")),
                    None => {}
                }
            }
        }
        (Value::Array(items), Value::Array(decoded_items))
            if items.len() == decoded_items.len() =>
        {
            for (i, (item, decoded)) in items.iter().zip(decoded_items).enumerate() {
                compare(item, decoded, &format!("{path}[{i}]"), added, out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!(
            "`{here}` = {} decodes as {}",
            snippet(&a.to_string(), 80),
            snippet(&b.to_string(), 80)
        )),
    }
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
}

/// The exclusion for this pass and detail (a case name, a status, a seed), if any.
fn excluded<'a>(op: &'a Value, pass: &str, detail: &str) -> Option<&'a str> {
    op["excluded"].as_array()?.iter().find_map(|e| {
        let pass_matches = e["pass"] == pass || e["pass"] == "*";
        let detail_matches = e["detail"].is_null() || e["detail"] == detail;
        (pass_matches && detail_matches).then(|| e["reason"].as_str().unwrap_or("excluded"))
    })
}

/// Records one operation's calls in a pass and prints its line.
fn report(
    tally: &mut Tally,
    pass: &str,
    op: &Value,
    calls: usize,
    failures: &[String],
    exclusions: &[String],
) {
    let label = op["label"].as_str().unwrap_or("?");
    let mut line = if !failures.is_empty() {
        tally.failed += 1;
        format!("FAIL {pass:<8} {label}: {}", failures.join(" | "))
    } else if calls == 0 {
        tally.skipped += 1;
        format!("skip {pass:<8} {label}")
    } else {
        tally.passed += 1;
        format!("ok   {pass:<8} {label} ({calls} calls)")
    };
    if !exclusions.is_empty() {
        line.push_str(&format!(" [excluded: {}]", exclusions.join("; ")));
    }
    println!("{line}");
}

/// Checks that the test can fail: an operation's body emptied of its
/// required fields must come back with Prism's violations.
async fn canary(client: &heygen::Client, ops: &[Value]) -> Result<String, String> {
    let Some((op, mut case)) = ops.iter().find_map(|op| {
        let case = op["cases"].get(0)?;
        let body = case["args"]["body"].as_object()?;
        (!body.is_empty()).then(|| (op, case["args"].clone()))
    }) else {
        return Ok("no operation has a required body field; canary skipped".into());
    };
    case["body"] = Value::Object(Default::default());
    let index = op["index"].as_u64().expect("index") as usize;
    let label = op["label"].as_str().unwrap_or("?");
    let request = calls::raw(index, &case).expect("a raw request");
    match client.send_json::<Value>(request).await {
        Err(error)
            if error
                .headers()
                .is_some_and(|h| h.contains_key("sl-violations")) =>
        {
            Ok(format!("{label} with an empty body: {}", describe(&error)))
        }
        other => Err(format!(
            "{label} with an empty body was not rejected with violations ({other:?}): \
             Prism does not validate, so this test would see nothing"
        )),
    }
}

async fn static_pass(plan: &Value, ops: &[Value]) -> Tally {
    let client = client(plan["static_url"].as_str().expect("static_url"), None);
    let mut tally = Tally::default();
    match canary(&client, ops).await {
        Ok(note) => println!("canary   Prism rejects an invalid request: {note}"),
        Err(failure) => {
            println!("FAIL canary: {failure}");
            tally.failed += 1;
        }
    }
    for op in ops {
        let (mut calls, mut failures, mut exclusions) = (0, Vec::new(), Vec::new());
        for problem in op["problems"].as_array().into_iter().flatten() {
            failures.push(problem.as_str().unwrap_or("?").to_owned());
        }
        for case in op["cases"].as_array().into_iter().flatten() {
            let name = case["name"].as_str().unwrap_or("?");
            let failure = check_call(&client, op, &case["args"], false).await;
            calls += 1;
            match (failure, excluded(op, "static", name)) {
                (Some(failure), None) => failures.push(format!("case {name}: {failure}")),
                (Some(_), Some(reason)) => exclusions.push(format!("case {name}: {reason}")),
                (None, Some(reason)) => exclusions.push(format!(
                    "case {name} passes now, the exclusion ({reason}) can go"
                )),
                (None, None) => {}
            }
        }
        report(&mut tally, "static", op, calls, &failures, &exclusions);
    }
    tally
}

async fn errors_pass(plan: &Value, ops: &[Value]) -> Tally {
    let base_url = plan["static_url"].as_str().expect("static_url");
    let mut clients: BTreeMap<u64, heygen::Client> = BTreeMap::new();
    let mut tally = Tally::default();
    for op in ops {
        let index = op["index"].as_u64().expect("index") as usize;
        let (mut calls, mut failures, mut exclusions) = (0, Vec::new(), Vec::new());
        let Some(case) = op["cases"].get(0) else {
            report(&mut tally, "errors", op, 0, &failures, &exclusions);
            continue;
        };
        for expected in op["errors"].as_array().into_iter().flatten() {
            let status = expected["status"].as_u64().expect("status");
            let client = clients
                .entry(status)
                .or_insert_with(|| client(base_url, Some(format!("code={status}"))));
            let failure = match calls::call(index, client, &case["args"]).await {
                Err(argument) => Some(argument),
                Ok(Ok(_)) => Some(format!("HTTP {status} asked for, the call succeeded")),
                Ok(Err(error)) => check_error(&error, expected),
            };
            calls += 1;
            let detail = status.to_string();
            match (failure, excluded(op, "errors", &detail)) {
                (Some(failure), None) => failures.push(format!("{status}: {failure}")),
                (Some(_), Some(reason)) => exclusions.push(format!("{status}: {reason}")),
                (None, Some(reason)) => exclusions.push(format!(
                    "{status} passes now, the exclusion ({reason}) can go"
                )),
                (None, None) => {}
            }
        }
        report(&mut tally, "errors", op, calls, &failures, &exclusions);
    }
    tally
}

/// `None` when the error is the one the spec declares.
fn check_error(error: &heygen::Error, expected: &Value) -> Option<String> {
    let status = expected["status"].as_u64().map(|s| s as u16);
    // Prism answers an invalid request with its 400 example too: the
    // violations header tells the two apart.
    if error
        .headers()
        .is_some_and(|headers| headers.contains_key("sl-violations"))
    {
        return Some(describe(error));
    }
    if error.status() != status {
        return Some(format!("expected HTTP {status:?}, got {}", describe(error)));
    }
    let kind_ok = match expected["kind"].as_str() {
        Some("legacy") => matches!(error, heygen::Error::LegacyApi(_)),
        _ => matches!(error, heygen::Error::Api(_)),
    };
    if !kind_ok {
        return Some(format!(
            "expected a {} error, got {error:?}",
            expected["kind"].as_str().unwrap_or("?")
        ));
    }
    if let Some(code) = expected["code"].as_str() {
        if error.code() != Some(code) {
            return Some(format!(
                "expected code `{code}`, got {:?} ({})",
                error.code(),
                describe(error)
            ));
        }
    }
    if let Some(message) = expected["message"].as_str() {
        if error.message() != Some(message) {
            return Some(format!(
                "expected message {message:?}, got {:?}",
                error.message()
            ));
        }
    }
    if expected["retry_after"] == true && error.retry_after().is_none() {
        return Some("the spec declares Retry-After, the error has no retry_after()".into());
    }
    None
}

async fn dynamic_pass(plan: &Value, ops: &[Value]) -> Tally {
    let servers: Vec<(&Value, heygen::Client)> = plan["dynamic"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|server| (server, client(server["url"].as_str().expect("url"), None)))
        .collect();
    let mut tally = Tally::default();
    for op in ops {
        let cases = op["cases"].as_array().cloned().unwrap_or_default();
        let (mut calls, mut failures, mut exclusions) = (0, Vec::new(), Vec::new());
        for (round, (server, client)) in servers.iter().enumerate() {
            let label = server["label"].as_str().unwrap_or("?");
            let extra_properties = server["extra_properties"] == true;
            let Some(case) = cases.get(round % cases.len().max(1)) else {
                break;
            };
            let name = case["name"].as_str().unwrap_or("?");
            let failure = check_call(client, op, &case["args"], extra_properties).await;
            calls += 1;
            let detail = label.strip_prefix("dynamic ").unwrap_or(label);
            match (failure, excluded(op, "dynamic", detail)) {
                (Some(failure), None) => failures.push(format!("{detail}, case {name}: {failure}")),
                (Some(_), Some(reason)) => exclusions.push(format!("{detail}: {reason}")),
                (None, _) => {}
            }
        }
        report(&mut tally, "dynamic", op, calls, &failures, &exclusions);
    }
    tally
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .expect("usage: contract <plan.json>");
    let text = std::fs::read_to_string(&path).expect("the plan is readable");
    let plan: Value = serde_json::from_str(&text).expect("the plan is JSON");
    let ops: Vec<Value> = plan["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .filter(|op| op["not_served"].is_null())
        .cloned()
        .collect();
    let passes: Vec<&str> = plan["passes"]
        .as_array()
        .expect("passes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut failed = false;
    for pass in passes {
        println!("--- {pass}");
        let tally = match pass {
            "static" => static_pass(&plan, &ops).await,
            "errors" => errors_pass(&plan, &ops).await,
            "dynamic" => dynamic_pass(&plan, &ops).await,
            other => panic!("unknown pass {other}"),
        };
        failed |= tally.failed > 0;
        println!(
            "{pass}: {} passed, {} failed, {} skipped",
            tally.passed, tally.failed, tally.skipped
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
