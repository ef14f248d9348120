//! How close errors point to what is wrong (issue 14: "47 of 65 single-node
//! mutations are reported more than two levels above the changed node").
//!
//! A fixed, seeded set of single-node mutations of the real
//! `specs/external-api.json` (a scalar retyped, an object made a string, a
//! required key deleted, a `$ref` to nothing), each generated from a copy of
//! `specs/`; for every case that fails, how many pointer segments the
//! reported pointer sits above the mutated node (0: the node itself or
//! deeper). The table is printed (`--nocapture`) for the record.
//!
//! Before `normalise::typed::locate` (and the checks in the normalise walk
//! and the success origin of polling errors), these 68 cases gave: 9
//! generate, 59 fail, of which 44 more than two levels above the changed node
//! (0: 0, 1: 11, 2: 4, 3: 18, 4: 7, 5+: 19), most of them at `#/paths` or at
//! the component schema.

use serde_json::Value;

use heygen_codegen_tests::specs_copy;

/// A deterministic xorshift, so the cases never change between runs.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mutation {
    /// A string becomes the number 0.
    StringToNumber,
    /// A number becomes a string.
    NumberToString,
    /// A boolean becomes a string.
    BoolToString,
    /// An object or array becomes a string.
    ToString,
    /// The key is deleted.
    Delete,
    /// A `$ref` points to a schema that does not exist.
    BadRef,
}

/// A kind of node: what to mutate, how, and how many cases to draw.
struct Kind {
    name: &'static str,
    /// The node's path, `*` matching any one segment.
    pattern: &'static str,
    mutation: Mutation,
    cases: usize,
}

const KINDS: &[Kind] = &[
    Kind {
        name: "operation summary",
        pattern: "paths/*/*/summary",
        mutation: Mutation::StringToNumber,
        cases: 4,
    },
    Kind {
        name: "operationId",
        pattern: "paths/*/*/operationId",
        mutation: Mutation::StringToNumber,
        cases: 3,
    },
    Kind {
        name: "operation tag",
        pattern: "paths/*/*/tags/0",
        mutation: Mutation::StringToNumber,
        cases: 2,
    },
    Kind {
        name: "operation responses",
        pattern: "paths/*/*/responses",
        mutation: Mutation::Delete,
        cases: 3,
    },
    Kind {
        name: "response",
        pattern: "paths/*/*/responses/200",
        mutation: Mutation::ToString,
        cases: 2,
    },
    Kind {
        name: "response description",
        pattern: "paths/*/*/responses/*/description",
        mutation: Mutation::StringToNumber,
        cases: 2,
    },
    Kind {
        name: "response content",
        pattern: "paths/*/*/responses/200/content",
        mutation: Mutation::ToString,
        cases: 2,
    },
    Kind {
        name: "response schema",
        pattern: "paths/*/*/responses/200/content/application~1json/schema",
        mutation: Mutation::Delete,
        cases: 2,
    },
    Kind {
        name: "response schema",
        pattern: "paths/*/*/responses/200/content/application~1json/schema",
        mutation: Mutation::ToString,
        cases: 2,
    },
    Kind {
        name: "parameter name",
        pattern: "paths/*/*/parameters/*/name",
        mutation: Mutation::StringToNumber,
        cases: 3,
    },
    Kind {
        name: "parameter in",
        pattern: "paths/*/*/parameters/*/in",
        mutation: Mutation::StringToNumber,
        cases: 3,
    },
    Kind {
        name: "parameter required",
        pattern: "paths/*/*/parameters/*/required",
        mutation: Mutation::BoolToString,
        cases: 2,
    },
    Kind {
        name: "parameter schema",
        pattern: "paths/*/*/parameters/*/schema",
        mutation: Mutation::Delete,
        cases: 2,
    },
    Kind {
        name: "parameter schema type",
        pattern: "paths/*/*/parameters/*/schema/type",
        mutation: Mutation::StringToNumber,
        cases: 3,
    },
    Kind {
        name: "parameter",
        pattern: "paths/*/*/parameters/*",
        mutation: Mutation::ToString,
        cases: 2,
    },
    Kind {
        name: "request body schema",
        pattern: "paths/*/*/requestBody/content/application~1json/schema/$ref",
        mutation: Mutation::BadRef,
        cases: 2,
    },
    Kind {
        name: "request body required",
        pattern: "paths/*/*/requestBody/required",
        mutation: Mutation::BoolToString,
        cases: 1,
    },
    Kind {
        name: "schema type",
        pattern: "components/schemas/*/type",
        mutation: Mutation::StringToNumber,
        cases: 2,
    },
    Kind {
        name: "schema type",
        pattern: "components/schemas/*/type",
        mutation: Mutation::Delete,
        cases: 2,
    },
    Kind {
        name: "schema properties",
        pattern: "components/schemas/*/properties",
        mutation: Mutation::ToString,
        cases: 2,
    },
    Kind {
        name: "schema required",
        pattern: "components/schemas/*/required",
        mutation: Mutation::ToString,
        cases: 2,
    },
    Kind {
        name: "schema required entry",
        pattern: "components/schemas/*/required/*",
        mutation: Mutation::StringToNumber,
        cases: 2,
    },
    Kind {
        name: "property",
        pattern: "components/schemas/*/properties/*",
        mutation: Mutation::ToString,
        cases: 2,
    },
    Kind {
        name: "property type",
        pattern: "components/schemas/*/properties/*/type",
        mutation: Mutation::StringToNumber,
        cases: 3,
    },
    Kind {
        name: "property description",
        pattern: "components/schemas/*/properties/*/description",
        mutation: Mutation::StringToNumber,
        cases: 2,
    },
    Kind {
        name: "property $ref",
        pattern: "components/schemas/*/properties/*/$ref",
        mutation: Mutation::BadRef,
        cases: 2,
    },
    Kind {
        name: "property anyOf type",
        pattern: "components/schemas/*/properties/*/anyOf/0/type",
        mutation: Mutation::StringToNumber,
        cases: 2,
    },
    Kind {
        name: "property items",
        pattern: "components/schemas/*/properties/*/items",
        mutation: Mutation::ToString,
        cases: 1,
    },
    Kind {
        name: "property minimum",
        pattern: "components/schemas/*/properties/*/minimum",
        mutation: Mutation::NumberToString,
        cases: 1,
    },
    Kind {
        name: "property maxLength",
        pattern: "components/schemas/*/properties/*/maxLength",
        mutation: Mutation::NumberToString,
        cases: 1,
    },
    Kind {
        name: "enum value",
        pattern: "components/schemas/*/enum/*",
        mutation: Mutation::StringToNumber,
        cases: 2,
    },
    Kind {
        name: "property enum value",
        pattern: "components/schemas/*/properties/*/enum/*",
        mutation: Mutation::StringToNumber,
        cases: 1,
    },
    Kind {
        name: "additionalProperties",
        pattern: "components/schemas/*/additionalProperties",
        mutation: Mutation::BoolToString,
        cases: 1,
    },
];

/// Every pointer of `value`, as unescaped segments, in document order.
fn all_paths(value: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), value)];
    while let Some((path, node)) = stack.pop() {
        let children: Vec<(String, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        };
        for (key, child) in children.into_iter().rev() {
            let mut child_path: Vec<String> = path.clone();
            child_path.push(key);
            stack.push((child_path, child));
        }
        out.push(path);
    }
    out
}

fn pointer(path: &[String]) -> String {
    generator::text::pointer_from_tokens(path)
}

fn matches(pattern: &str, path: &[String]) -> bool {
    let parts: Vec<&str> = pattern.split('/').collect();
    parts.len() == path.len()
        && parts
            .iter()
            .zip(path)
            .all(|(part, segment)| *part == "*" || part.replace("~1", "/") == *segment)
}

/// Whether `mutation` applies to the node (a retype needs the right type).
fn applies(mutation: Mutation, node: &Value) -> bool {
    match mutation {
        Mutation::StringToNumber | Mutation::BadRef => node.is_string(),
        Mutation::NumberToString => node.is_number(),
        Mutation::BoolToString => node.is_boolean(),
        Mutation::ToString => node.is_object() || node.is_array(),
        Mutation::Delete => true,
    }
}

fn mutate(document: &mut Value, path: &[String], mutation: Mutation) {
    let (last, parent) = path.split_last().expect("not the root");
    let parent = document.pointer_mut(&pointer(parent)).expect("parent");
    if mutation == Mutation::Delete {
        match parent {
            Value::Object(map) => {
                map.shift_remove(last);
            }
            Value::Array(items) => {
                items.remove(last.parse::<usize>().expect("index"));
            }
            _ => unreachable!("a parent is a container"),
        }
        return;
    }
    let node = match parent {
        Value::Object(map) => map.get_mut(last).expect("node"),
        Value::Array(items) => &mut items[last.parse::<usize>().expect("index")],
        _ => unreachable!("a parent is a container"),
    };
    *node = match mutation {
        Mutation::StringToNumber => Value::from(0),
        Mutation::NumberToString => Value::from(format!("{node}")),
        Mutation::BoolToString => Value::from(format!("{node}")),
        Mutation::ToString => Value::from("x"),
        Mutation::BadRef => Value::from("#/components/schemas/NoSuchSchema"),
        Mutation::Delete => unreachable!(),
    };
}

/// Pointers that `quirks.yaml` fixes in this document: a mutation there
/// would only make the fix stale, which is another test's business.
fn quirk_paths() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(heygen_codegen_tests::specs_dir().join("quirks.yaml"))
        .expect("quirks.yaml");
    let quirks: serde_yaml::Value = serde_yaml::from_str(&text).expect("quirks.yaml parses");
    quirks["fixes"]
        .as_sequence()
        .expect("fixes")
        .iter()
        .filter(|fix| matches!(fix["document"].as_str(), Some("external-api" | "*")))
        .filter_map(|fix| fix["pointer"].as_str())
        .map(|pointer| {
            generator::text::pointer_tokens(pointer).expect("quirks.yaml names valid pointers")
        })
        .collect()
}

fn overlaps(a: &[String], b: &[String]) -> bool {
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

struct Case {
    kind: &'static str,
    mutation: Mutation,
    path: Vec<String>,
}

fn cases(document: &Value) -> Vec<Case> {
    let paths = all_paths(document);
    let quirks = quirk_paths();
    let mut rng = Rng(0x14_14_14_14);
    let mut out = Vec::new();
    for kind in KINDS {
        let mut candidates: Vec<&Vec<String>> = paths
            .iter()
            .filter(|path| matches(kind.pattern, path))
            .filter(|path| !quirks.iter().any(|quirk| overlaps(quirk, path)))
            .filter(|path| applies(kind.mutation, document.pointer(&pointer(path)).unwrap()))
            .collect();
        assert!(
            candidates.len() >= kind.cases,
            "{}: {} candidates for {}",
            kind.name,
            candidates.len(),
            kind.cases
        );
        for _ in 0..kind.cases {
            let path = candidates.remove(rng.below(candidates.len()));
            out.push(Case {
                kind: kind.name,
                mutation: kind.mutation,
                path: path.clone(),
            });
        }
    }
    out
}

/// What a case did: generated, or the error's file name, pointer and how many
/// levels above the mutated node it points (segments of the node below the
/// deepest segment they share).
enum Outcome {
    Generated,
    Located {
        file: String,
        pointer: String,
        above: usize,
        message: String,
    },
    Unlocated(String),
}

fn run(case: &Case, original: &Value) -> Outcome {
    let mut document = original.clone();
    mutate(&mut document, &case.path, case.mutation);
    let specs = specs_copy();
    std::fs::write(
        specs.path().join("external-api.json"),
        serde_json::to_string_pretty(&document).unwrap(),
    )
    .unwrap();
    match generator::generate(&generator::Options::for_workspace(specs.path())) {
        Ok(_) => Outcome::Generated,
        Err(generator::Error::Spec { location, message }) => {
            let file = location
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let reported = generator::text::pointer_tokens(&location.pointer)
                .expect("the error names a valid pointer");
            let shared = case
                .path
                .iter()
                .zip(&reported)
                .take_while(|(a, b)| a == b)
                .count();
            let above = if file == "external-api.json" {
                case.path.len() - shared
            } else {
                usize::MAX
            };
            Outcome::Located {
                file,
                pointer: location.pointer,
                above,
                message,
            }
        }
        Err(other) => Outcome::Unlocated(other.to_string()),
    }
}

#[test]
fn errors_point_within_two_levels_of_the_changed_node() {
    let text = std::fs::read_to_string(heygen_codegen_tests::full_spec()).unwrap();
    let original: Value = serde_json::from_str(&text).unwrap();
    let cases = cases(&original);
    assert!(cases.len() >= 60, "{} cases", cases.len());

    let mut histogram = [0usize; 6];
    let (mut generated, mut other_file, mut unlocated) = (0, 0, 0);
    let mut far = Vec::new();
    println!("| # | node | mutation | mutated | reported | levels above |");
    println!("|---|---|---|---|---|---|");
    for (number, case) in cases.iter().enumerate() {
        let outcome = run(case, &original);
        let mutated = pointer(&case.path);
        let (reported, above) = match &outcome {
            Outcome::Generated => {
                generated += 1;
                ("(generates)".to_string(), "-".to_string())
            }
            Outcome::Located { file, pointer, .. } if file != "external-api.json" => {
                other_file += 1;
                (format!("{file}#{pointer}"), "other file".to_string())
            }
            Outcome::Located {
                pointer,
                above,
                message,
                ..
            } => {
                histogram[(*above).min(5)] += 1;
                if *above > 2 {
                    far.push(format!(
                        "{mutated} ({:?}) -> {pointer}: {message}",
                        case.mutation
                    ));
                }
                (format!("#{pointer}"), above.to_string())
            }
            Outcome::Unlocated(message) => {
                unlocated += 1;
                (message.clone(), "no pointer".to_string())
            }
        };
        println!(
            "| {number} | {} | {:?} | `{mutated}` | `{reported}` | {above} |",
            case.kind, case.mutation
        );
    }
    let errors: usize = histogram.iter().sum();
    println!();
    println!(
        "{} cases: {generated} generate, {other_file} fail in another file, {unlocated} fail \
         without a pointer, {errors} fail in external-api.json",
        cases.len()
    );
    println!("| levels above | 0 | 1 | 2 | 3 | 4 | 5+ |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| cases | {} | {} | {} | {} | {} | {} |",
        histogram[0], histogram[1], histogram[2], histogram[3], histogram[4], histogram[5]
    );
    assert_eq!(unlocated, 0, "every error names a file and a pointer");
    // Most mutations must fail, or the bound below says little.
    assert!(errors >= 55, "only {errors} cases fail");
    // Measured: no case is reported more than two levels above what changed.
    assert!(
        far.is_empty(),
        "{} cases reported more than two levels above the changed node:\n{}",
        far.len(),
        far.join("\n")
    );
}
