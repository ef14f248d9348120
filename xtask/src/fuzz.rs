//! `cargo xtask fuzz`: seeded mutations of the real inputs (`specs/`), each run
//! through the generator in-process. What must hold for every case:
//!
//! - no panic (a panic is caught and reported as a failure);
//! - on failure, `--out` is as it was (a sentinel crate, byte for byte) and no
//!   staging folder is left beside it;
//! - every error is located: it names a file of the case (and a spec error a
//!   JSON pointer, which [`generator::Location`] always carries);
//! - a sample of the successful outputs builds (`cargo check`, warnings are
//!   failures), in `cargo xtask fuzz` only.
//!
//! A case is reproduced from its seed and number alone: `cargo xtask fuzz 1
//! --seed S --first N` (the case's specs are kept with `--keep`).

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde_json::{Map, Value};

/// What to run.
#[derive(Debug, Clone)]
pub struct FuzzOptions {
    /// The inputs to mutate (a specs folder).
    pub specs: PathBuf,
    pub seed: u64,
    /// Case numbers `first .. first + cases`.
    pub first: u64,
    pub cases: u64,
    /// How many distinct successful outputs to build with `cargo check`.
    pub check: usize,
    /// Where checked crates are written and built (`CARGO_TARGET_DIR` is `target/e2e`).
    pub work: PathBuf,
    /// Worker threads.
    pub threads: usize,
    /// Keep each failing case's specs under `work`.
    pub keep: bool,
}

/// What happened.
#[derive(Debug, Default)]
pub struct FuzzReport {
    pub cases: u64,
    pub generated: u64,
    pub rejected: u64,
    pub checked: usize,
    /// Broken invariants, one line each, naming the case.
    pub failures: Vec<String>,
    /// How many cases each mutation made.
    pub mutations: BTreeMap<&'static str, u64>,
}

/// A small, seedable generator (SplitMix64): the same cases on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The files of a case, (file name, bytes), and the mutations made.
pub type Case = (Vec<(String, Vec<u8>)>, Vec<&'static str>);

/// Distinct outputs by hash: (no interesting mutation, case number, files).
type Outputs = BTreeMap<u64, (bool, u64, BTreeMap<String, String>)>;

/// One input file, parsed where it is JSON or YAML.
#[derive(Clone)]
struct Input {
    name: String,
    bytes: Vec<u8>,
    value: Option<Value>,
}

impl Input {
    fn is_yaml(&self) -> bool {
        self.name.ends_with(".yaml") || self.name.ends_with(".yml")
    }
}

fn read_inputs(specs: &Path) -> Result<Vec<Input>, String> {
    let mut inputs = Vec::new();
    let entries = std::fs::read_dir(specs).map_err(|e| format!("{}: {e}", specs.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !path.is_file() || name == "README.md" {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        let value = if name.ends_with(".json") {
            serde_json::from_str(&text).ok()
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            serde_yaml::from_str(&text).ok()
        } else {
            None
        };
        inputs.push(Input {
            name: name.to_string(),
            bytes,
            value,
        });
    }
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(inputs)
}

/// Names no Rust module, file or identifier can take as they are.
const ABSURD: &[&str] = &[
    "mod",
    "Self",
    "self",
    "loop",
    "async",
    "fn",
    "impl",
    "abstract",
    "crate",
    "super",
    "type",
    "r#type",
    "_",
    "",
    " ",
    "123",
    "mod.rs",
    "../escape",
    "a/b",
    "日本語のタグ",
    "🦀 crab",
    "Ünïcødé",
    "{brace",
    "}",
    "\"quoted\"",
    "new",
    "default",
    "Unknown",
    "Box",
    "Option",
    "Vec",
    "String",
    "Result",
    "Error",
    "Client",
    "legacy",
    "types",
    "runtime",
    "lib",
];

fn absurd_name(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => "x".repeat(300),
        1 => format!("Very Long Name {}", "ab".repeat(150 + rng.below(50))),
        _ => rng.pick(ABSURD).to_string(),
    }
}

fn random_scalar(rng: &mut Rng) -> Value {
    match rng.below(7) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => Value::from(rng.next_u64() as i64),
        3 => Value::from(-1.5e300),
        4 => Value::String(absurd_name(rng)),
        5 => Value::Array(Vec::new()),
        _ => Value::Object(Map::new()),
    }
}

/// Every JSON pointer of `value` (objects and arrays included), iteratively.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    stack.push((format!("{pointer}/{}", escape(key)), child));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{index}"), child));
                }
            }
            _ => {}
        }
        out.push(pointer);
    }
    out.sort();
    out
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Pointers of `value` whose last token is `key`.
fn pointers_ending(value: &Value, key: &str) -> Vec<String> {
    let suffix = format!("/{}", escape(key));
    pointers(value)
        .into_iter()
        .filter(|p| p.ends_with(&suffix))
        .collect()
}

fn parent(pointer: &str) -> (&str, String) {
    let cut = pointer.rfind('/').unwrap_or(0);
    let last = pointer[cut..].trim_start_matches('/');
    (&pointer[..cut], last.replace("~1", "/").replace("~0", "~"))
}

/// Mutates one parsed document; returns the mutation's name.
fn mutate_value(value: &mut Value, rng: &mut Rng) -> &'static str {
    let all = pointers(value);
    let schema_names: Vec<String> = value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    match rng.below(12) {
        0 => {
            // A deleted key.
            let objects: Vec<&String> = all
                .iter()
                .filter(|p| {
                    value
                        .pointer(p)
                        .is_some_and(|v| v.is_object() && !v.as_object().is_some_and(Map::is_empty))
                })
                .collect();
            if let Some(pointer) = objects.get(rng.below(objects.len())).map(|p| p.to_string()) {
                if let Some(Value::Object(map)) = value.pointer_mut(&pointer) {
                    let index = rng.below(map.len());
                    if let Some(key) = map.keys().nth(index).cloned() {
                        map.remove(&key);
                    }
                }
            }
            "delete-key"
        }
        1 => {
            // A retyped value.
            let pointer = rng.pick(&all).clone();
            let replacement = random_scalar(rng);
            if let Some(node) = value.pointer_mut(&pointer) {
                *node = replacement;
            }
            "retype"
        }
        2 => {
            // A `$ref` that names nothing, or not a local schema.
            let refs = pointers_ending(value, "$ref");
            let bad = rng
                .pick(&[
                    "#/components/schemas/DoesNotExist",
                    "other.json#/x",
                    "#/components/schemas/",
                    "#",
                    "",
                    "#/paths",
                    "#/components/schemas/a~2b",
                ])
                .to_string();
            if let Some(pointer) = refs.get(rng.below(refs.len())) {
                if let Some(node) = value.pointer_mut(pointer) {
                    *node = Value::String(bad);
                }
            }
            "bad-ref"
        }
        3 => {
            // A cycle through `$ref`: direct, through a property, array items,
            // additionalProperties or a union.
            if schema_names.is_empty() {
                return "cyclic-ref (no schemas)";
            }
            let a = rng.pick(&schema_names).clone();
            let b = rng.pick(&schema_names).clone();
            let to = |name: &str| serde_json::json!({"$ref": format!("#/components/schemas/{}", escape(name))});
            let shape = match rng.below(6) {
                0 => to(&b),
                1 => {
                    serde_json::json!({"type": "object", "properties": {"next": to(&b)}, "required": ["next"]})
                }
                2 => serde_json::json!({"type": "array", "items": to(&b)}),
                3 => serde_json::json!({"type": "object", "additionalProperties": to(&b)}),
                4 => serde_json::json!({"anyOf": [to(&b), {"type": "string"}]}),
                _ => serde_json::json!({"allOf": [to(&b)]}),
            };
            if let Some(schemas) = value
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
            {
                schemas.insert(a.clone(), shape);
                if rng.chance(50) && a != b {
                    schemas.insert(
                        b,
                        serde_json::json!({"oneOf": [to(&a), {"type": "integer"}]}),
                    );
                }
            }
            "cyclic-ref"
        }
        4 => {
            // Two operations with one operationId.
            let ids = pointers_ending(value, "operationId");
            if ids.len() >= 2 {
                let from = rng.pick(&ids).clone();
                let to = rng.pick(&ids).clone();
                if let Some(id) = value.pointer(&from).cloned() {
                    if let Some(node) = value.pointer_mut(&to) {
                        *node = id;
                    }
                }
            }
            "duplicate-operation-id"
        }
        5 => {
            // An absurd tag, operationId, property or schema name.
            let name = absurd_name(rng);
            let targets: Vec<String> = all
                .iter()
                .filter(|p| {
                    p.contains("/tags/")
                        || p.ends_with("/operationId")
                        || p.contains("/properties/")
                })
                .cloned()
                .collect();
            match rng.below(3) {
                0 if !targets.is_empty() => {
                    let pointer = rng.pick(&targets).clone();
                    if let Some(node) = value.pointer_mut(&pointer).filter(|n| n.is_string()) {
                        *node = Value::String(name);
                    } else {
                        let (parent_pointer, key) = parent(&pointer);
                        if let Some(Value::Object(map)) = value.pointer_mut(parent_pointer) {
                            if let Some(child) = map.remove(&key) {
                                map.insert(name, child);
                            }
                        }
                    }
                }
                _ if !schema_names.is_empty() => {
                    // Rename a schema and every reference to it.
                    let old = rng.pick(&schema_names).clone();
                    if let Some(schemas) = value
                        .pointer_mut("/components/schemas")
                        .and_then(Value::as_object_mut)
                    {
                        if let Some(schema) = schemas.remove(&old) {
                            schemas.insert(name.clone(), schema);
                        }
                    }
                    let from = format!("#/components/schemas/{}", escape(&old));
                    let to = format!("#/components/schemas/{}", escape(&name));
                    for pointer in pointers_ending(value, "$ref") {
                        if let Some(node) = value.pointer_mut(&pointer) {
                            if node.as_str() == Some(from.as_str()) {
                                *node = Value::String(to.clone());
                            }
                        }
                    }
                }
                _ => {}
            }
            "absurd-name"
        }
        6 => {
            // Deep nesting around a schema (sometimes past the bound).
            let schemas: Vec<&String> = all
                .iter()
                .filter(|p| {
                    p.ends_with("/schema")
                        || p.starts_with("/components/schemas/") && p.matches('/').count() == 3
                })
                .collect();
            let levels = match rng.below(3) {
                0 => 100 + rng.below(100),
                1 => 500 + rng.below(600),
                _ => 1900 + rng.below(400),
            };
            if let Some(pointer) = schemas.get(rng.below(schemas.len())).map(|p| p.to_string()) {
                let wrap_in_objects = rng.chance(50);
                if let Some(node) = value.pointer_mut(&pointer) {
                    let mut inner = node.take();
                    for _ in 0..levels {
                        let mut map = Map::new();
                        if wrap_in_objects {
                            map.insert("type".into(), "object".into());
                            let mut properties = Map::new();
                            properties.insert("inner".into(), inner);
                            map.insert("properties".into(), properties.into());
                        } else {
                            map.insert("type".into(), "array".into());
                            map.insert("items".into(), inner);
                        }
                        inner = map.into();
                    }
                    *node = inner;
                }
            }
            "deep-nesting"
        }
        7 => {
            // A huge enum, with duplicates and values that are no identifiers.
            let schemas: Vec<&String> = all
                .iter()
                .filter(|p| p.starts_with("/components/schemas/") && p.matches('/').count() == 3)
                .collect();
            if let Some(pointer) = schemas.get(rng.below(schemas.len())).map(|p| p.to_string()) {
                let count = 1000 + rng.below(4000);
                let values: Vec<Value> = (0..count)
                    .map(|i| match i % 7 {
                        0 => Value::String(format!("value-{i}")),
                        1 => Value::String(format!("{i}")),
                        2 => Value::String(format!("Value {i}")),
                        3 => Value::String("dup".into()),
                        4 => Value::String(ABSURD[i % ABSURD.len()].to_string()),
                        5 => Value::String(format!("{i}:{}", i + 1)),
                        _ => Value::String(format!("v_{i}_")),
                    })
                    .collect();
                if let Some(node) = value.pointer_mut(&pointer) {
                    *node = serde_json::json!({"type": "string", "enum": values});
                }
            }
            "huge-enum"
        }
        8 => {
            // A path key without `/`, with a stray brace, or an odd variable.
            if let Some(Value::Object(paths)) = value.pointer_mut("/paths") {
                if let Some(key) = paths.keys().nth(rng.below(paths.len())).cloned() {
                    let new_key = match rng.below(4) {
                        0 => key.trim_start_matches('/').to_string(),
                        1 => format!("{key}/{{id"),
                        2 => format!("{key}}}"),
                        _ => format!("{key}/{{{}}}", absurd_name(rng)),
                    };
                    if let Some(item) = paths.remove(&key) {
                        paths.insert(new_key, item);
                    }
                }
            }
            "path-key"
        }
        9 => {
            // A node copied over another.
            let from = rng.pick(&all).clone();
            let to = rng.pick(&all).clone();
            if !from.starts_with(&to) {
                if let Some(copy) = value.pointer(&from).cloned() {
                    if let Some(node) = value.pointer_mut(&to) {
                        *node = copy;
                    }
                }
            }
            "copy-node"
        }
        10 => {
            // A required property that does not exist, or a type that is not one.
            let types = pointers_ending(value, "type");
            if let Some(pointer) = types.get(rng.below(types.len())) {
                let odd = rng
                    .pick(&["strin", "null", "object", "array", "integer", "file"])
                    .to_string();
                if let Some(node) = value.pointer_mut(pointer) {
                    *node = match rng.below(3) {
                        0 => Value::String(odd),
                        1 => serde_json::json!(["string", "null", "integer"]),
                        _ => serde_json::json!([]),
                    };
                }
            }
            "odd-type"
        }
        _ => {
            // Several small changes at once.
            for _ in 0..3 {
                let pointer = rng.pick(&all).clone();
                let scalar = random_scalar(rng);
                if let Some(node) = value.pointer_mut(&pointer) {
                    if !node.is_object() && !node.is_array() {
                        *node = scalar;
                    }
                }
            }
            "scalars"
        }
    }
}

/// Corrupts the bytes of a file: a flipped, inserted or deleted byte, invalid
/// UTF-8, a stray bracket, a cut.
fn corrupt_bytes(bytes: &mut Vec<u8>, rng: &mut Rng) -> &'static str {
    if bytes.is_empty() {
        bytes.push(0xff);
        return "bytes-empty";
    }
    let at = rng.below(bytes.len());
    match rng.below(6) {
        0 => {
            bytes[at] ^= 1 << rng.below(8);
            "bytes-flip"
        }
        1 => {
            bytes.insert(at, *rng.pick(&[0xff, 0xc3, 0xe2, 0x80, 0x00]));
            "bytes-invalid-utf8"
        }
        2 => {
            bytes.insert(at, *rng.pick(b"{}[]\":\n\t"));
            "bytes-stray"
        }
        3 => {
            bytes.truncate(at);
            "bytes-cut"
        }
        4 => {
            let end = (at + 1 + rng.below(200)).min(bytes.len());
            bytes.drain(at..end);
            "bytes-delete"
        }
        _ => {
            // A line duplicated (YAML and pages: duplicate keys, shifted blocks).
            let start = bytes[..at]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            let end = bytes[at..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(bytes.len(), |p| at + p + 1);
            let line = bytes[start..end].to_vec();
            bytes.splice(end..end, line);
            "bytes-duplicate-line"
        }
    }
}

/// One case: the mutated inputs (file name -> bytes) and what was done.
fn make_case(inputs: &[Input], seed: u64, number: u64) -> Case {
    let mut rng = Rng::new(seed ^ number.wrapping_mul(0xd134_2543_de82_ef95));
    let mut files: Vec<(String, Vec<u8>)> = inputs
        .iter()
        .map(|i| (i.name.clone(), i.bytes.clone()))
        .collect();
    let mut done = Vec::new();
    let mutations = 1 + rng.below(3);
    for _ in 0..mutations {
        let index = if rng.chance(60) {
            // Mostly the big document, where most of the surface is.
            inputs
                .iter()
                .position(|i| i.name == "external-api.json")
                .unwrap_or(0)
        } else {
            rng.below(inputs.len())
        };
        let input = &inputs[index];
        let parsed = match &input.value {
            Some(value) if rng.chance(85) => {
                // The current text's value (an earlier mutation may have changed it).
                let text = String::from_utf8_lossy(&files[index].1).into_owned();
                let current: Option<Value> = if input.is_yaml() {
                    serde_yaml::from_str(&text).ok()
                } else {
                    serde_json::from_str(&text).ok()
                };
                Some(current.unwrap_or_else(|| value.clone()))
            }
            _ => None,
        };
        match parsed {
            Some(mut value) => {
                done.push(mutate_value(&mut value, &mut rng));
                let text = if input.is_yaml() {
                    serde_yaml::to_string(&value).unwrap_or_default()
                } else {
                    // Deep values serialise recursively: on the generator's big stack.
                    generator::pipeline::with_large_stack(move || {
                        serde_json::to_string_pretty(&value).unwrap_or_default()
                    })
                };
                files[index].1 = text.into_bytes();
            }
            None => done.push(corrupt_bytes(&mut files[index].1, &mut rng)),
        }
    }
    (files, done)
}

/// The files of case `number` of `seed`: (file name, bytes), and the mutations made.
pub fn case_files(specs: &Path, seed: u64, number: u64) -> Result<Case, String> {
    Ok(make_case(&read_inputs(specs)?, seed, number))
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

/// What one case found: `Ok(Some(files))` generated, `Ok(None)` rejected
/// cleanly, `Err` a broken invariant.
type CaseResult = Result<Option<BTreeMap<String, String>>, String>;

fn run_case(files: &[(String, Vec<u8>)], root: &Path) -> CaseResult {
    let specs = root.join("specs");
    let out = root.join("out");
    std::fs::create_dir_all(&specs).map_err(|e| e.to_string())?;
    for (name, bytes) in files {
        std::fs::write(specs.join(name), bytes).map_err(|e| e.to_string())?;
    }
    std::fs::create_dir_all(out.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(out.join("src/lib.rs"), "// the previous output\n")
        .map_err(|e| e.to_string())?;
    let before = snapshot(root);
    let options = generator::Options::for_workspace(&specs);
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let generated = generator::generate(&options)?;
        generator::write::write_all(&out, &generated.files)?;
        Ok::<_, generator::Error>(generated.files)
    }));
    match outcome {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panicked: {message}"))
        }
        Ok(Ok(files)) => Ok(Some(files)),
        Ok(Err(error)) => {
            let after = snapshot(root);
            if after != before {
                let changed: Vec<String> = before
                    .keys()
                    .chain(after.keys())
                    .filter(|p| before.get(*p) != after.get(*p))
                    .map(|p| p.display().to_string())
                    .collect();
                return Err(format!("failed, but files changed: {changed:?}: {error}"));
            }
            let leftovers: Vec<String> = std::fs::read_dir(root)
                .map_err(|e| e.to_string())?
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".regen-"))
                .collect();
            if !leftovers.is_empty() {
                return Err(format!("staging left beside --out: {leftovers:?}"));
            }
            located(&error, &specs)?;
            Ok(None)
        }
    }
}

/// An error must name a file of the case that exists.
fn located(error: &generator::Error, specs: &Path) -> Result<(), String> {
    let names_file = |path: &Path| path.starts_with(specs) && path.is_file();
    let ok = match error {
        generator::Error::Spec { location, .. } => names_file(&location.file),
        generator::Error::Io { path, .. } => path.starts_with(specs),
        generator::Error::Input(message) => message.contains(&specs.display().to_string()),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("error not located in a file of the case: {error}"))
    }
}

/// Runs the cases (on `threads` threads), then builds a sample of the outputs.
pub fn run(options: &FuzzOptions) -> Result<FuzzReport, String> {
    let inputs = read_inputs(&options.specs)?;
    if inputs.is_empty() {
        return Err(format!("no inputs in {}", options.specs.display()));
    }
    let next = AtomicUsize::new(0);
    let report = Mutex::new(FuzzReport::default());
    let outputs: Mutex<Outputs> = Mutex::new(BTreeMap::new());
    std::fs::create_dir_all(&options.work)
        .map_err(|e| format!("{}: {e}", options.work.display()))?;
    let previous_hook = std::panic::take_hook();
    // Panics are reported as failures with their message; no backtrace noise.
    std::panic::set_hook(Box::new(|_| {}));
    std::thread::scope(|scope| {
        for _ in 0..options.threads.max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::SeqCst) as u64;
                if index >= options.cases {
                    break;
                }
                let number = options.first + index;
                let (files, done) = make_case(&inputs, options.seed, number);
                let root = match tempfile::tempdir_in(&options.work) {
                    Ok(root) => root,
                    Err(e) => {
                        report
                            .lock()
                            .unwrap()
                            .failures
                            .push(format!("case {number}: {e}"));
                        continue;
                    }
                };
                let result = run_case(&files, root.path());
                let mut report = report.lock().unwrap();
                report.cases += 1;
                for mutation in &done {
                    *report.mutations.entry(mutation).or_default() += 1;
                }
                match result {
                    Ok(Some(generated)) => {
                        report.generated += 1;
                        let key =
                            generator::naming::stable_hash(format!("{generated:?}").as_bytes());
                        // Outputs of the mutations that once broke the build go first.
                        let plain = !done.iter().any(|m| {
                            ["cyclic-ref", "absurd-name", "huge-enum", "deep-nesting"].contains(m)
                        });
                        outputs
                            .lock()
                            .unwrap()
                            .entry(key)
                            .or_insert((plain, number, generated));
                    }
                    Ok(None) => report.rejected += 1,
                    Err(problem) => {
                        let kept = if options.keep {
                            let keep = options.work.join(format!("case-{}-{number}", options.seed));
                            let _ = std::fs::remove_dir_all(&keep);
                            let _ = std::fs::rename(root.path().join("specs"), &keep);
                            format!(" (specs kept in {})", keep.display())
                        } else {
                            String::new()
                        };
                        report.failures.push(format!(
                            "case {number} (seed {}, {}){kept}: {problem}",
                            options.seed,
                            done.join(", ")
                        ));
                    }
                }
            });
        }
    });
    std::panic::set_hook(previous_hook);
    let mut report = report.into_inner().unwrap();
    report.failures.sort();
    // Build the first distinct outputs, by case number, the interesting ones first.
    let mut outputs: Vec<(bool, u64, BTreeMap<String, String>)> =
        outputs.into_inner().unwrap().into_values().collect();
    outputs.sort_by_key(|(plain, number, _)| (*plain, *number));
    for (_, number, files) in outputs.into_iter().take(options.check) {
        match check_builds(&files, &options.work, number) {
            Ok(()) => report.checked += 1,
            Err(problem) => report.failures.push(format!(
                "case {number} (seed {}): generated crate does not build cleanly: {problem}",
                options.seed
            )),
        }
    }
    Ok(report)
}

/// `cargo check` of a generated crate, outside the workspace, with the
/// workspace's lock file and target/e2e shared with the tests' builds.
fn check_builds(files: &BTreeMap<String, String>, work: &Path, number: u64) -> Result<(), String> {
    let root = generator::pipeline::workspace_root();
    let dir = work.join(format!("check-{number}"));
    generator::write::write_standalone(&dir, files, Some(&root.join("Cargo.lock")), &[])
        .map_err(|e| e.to_string())?;
    let output =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            // The library only: the template's examples are written against the
            // real API, which a mutation may change (--quiet: and their features).
            .args(["check", "--quiet", "--lib"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", root.join("target/e2e"))
            .output()
            .map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() || stderr.contains("warning:") {
        let first: String = stderr.lines().take(20).collect::<Vec<_>>().join("\n");
        return Err(format!("in {}:\n{first}", dir.display()));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
