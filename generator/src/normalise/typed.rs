//! Where a normalised document that `openapiv3` refuses is wrong.
//!
//! `openapiv3` reads path items, responses, parameters and schemas through
//! `#[serde(flatten)]`, untagged and internally tagged enums, which buffer
//! their input and so lose the position of an error: a `summary: 0` deep in
//! an operation is reported at `/paths`. Starting from where the error was
//! reported, [`locate`] walks down: a node whose `openapiv3` type is known by
//! its place is read alone as that type (its error path goes further, or one
//! of its typed children fails alone), and when neither says more, the child
//! is found whose replacement by a value of another shape makes the node read.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// The `openapiv3` type of a node, known from its place in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Document,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Header,
    Schema,
    /// `additionalProperties`: a boolean or a schema.
    AdditionalProperties,
    Components,
    SecurityScheme,
    Example,
}

/// A typed node, or a map or list of them (`properties`, `parameters`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Node(Kind),
    Many(Kind),
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The place of `segment` below `place`; `None` below a scalar or a key
/// whose type is not tracked.
fn step(place: Place, segment: &str) -> Option<Place> {
    use Kind::*;
    use Place::{Many, Node};
    let kind = match place {
        Many(kind) => return Some(Node(kind)),
        Node(kind) => kind,
    };
    Some(match (kind, segment) {
        (Document, "paths") => Node(Paths),
        (Document, "components") => Node(Components),
        (Paths, _) => Node(PathItem),
        (PathItem, method) if METHODS.contains(&method) => Node(Operation),
        (PathItem | Operation, "parameters") => Many(Parameter),
        (Operation, "requestBody") => Node(RequestBody),
        (Operation, "responses") => Node(Responses),
        (Responses, _) => Node(Response),
        (Response, "headers") => Many(Header),
        (Response | RequestBody | Parameter | Header, "content") => Many(MediaType),
        (MediaType | Parameter | Header, "schema") => Node(Schema),
        (MediaType | Parameter | Header, "examples") => Many(Example),
        (Schema, "properties") => Many(Schema),
        (Schema, "items" | "not") => Node(Schema),
        (Schema, "additionalProperties") => Node(AdditionalProperties),
        (AdditionalProperties, segment) => return step(Node(Schema), segment),
        (Schema, "allOf" | "anyOf" | "oneOf") => Many(Schema),
        (Components, "schemas") => Many(Schema),
        (Components, "parameters") => Many(Parameter),
        (Components, "responses") => Many(Response),
        (Components, "requestBodies") => Many(RequestBody),
        (Components, "headers") => Many(Header),
        (Components, "securitySchemes") => Many(SecurityScheme),
        (Components, "examples") => Many(Example),
        _ => return None,
    })
}

fn place_of(base: Kind, path: &[String]) -> Option<Place> {
    path.iter()
        .try_fold(Place::Node(base), |place, segment| step(place, segment))
}

/// An error: the path below the node read, and what is wrong.
type Failure = (Vec<String>, String);

fn read<T: DeserializeOwned>(value: &Value) -> Result<(), Failure> {
    serde_path_to_error::deserialize::<_, T>(value)
        .map(drop)
        .map_err(|error| (path_segments(error.path()), error.into_inner().to_string()))
}

/// The keys and indexes of a `serde_path_to_error` path (enum variants are
/// not in the document).
pub fn path_segments(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

/// Reads `value` as `kind`. A `$ref` stands where `openapiv3` takes a
/// reference, and is read as one.
fn check(kind: Kind, value: &Value) -> Result<(), Failure> {
    use openapiv3 as o;
    let is_reference = value.get("$ref").is_some_and(Value::is_string);
    match kind {
        Kind::Document => read::<o::OpenAPI>(value),
        Kind::Paths => read::<o::Paths>(value),
        Kind::Operation => read::<o::Operation>(value),
        Kind::Responses => read::<o::Responses>(value),
        Kind::MediaType => read::<o::MediaType>(value),
        Kind::Components => read::<o::Components>(value),
        _ if is_reference => Ok(()),
        Kind::PathItem => read::<o::PathItem>(value),
        Kind::Parameter => read::<o::Parameter>(value),
        Kind::RequestBody => read::<o::RequestBody>(value),
        Kind::Response => read::<o::Response>(value),
        Kind::Header => read::<o::Header>(value),
        Kind::Schema => read::<o::Schema>(value),
        Kind::AdditionalProperties => read::<o::AdditionalProperties>(value),
        Kind::SecurityScheme => read::<o::SecurityScheme>(value),
        Kind::Example => read::<o::Example>(value),
    }
}

fn children(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => map.keys().cloned().collect(),
        Value::Array(items) => (0..items.len()).map(|i| i.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn child<'v>(value: &'v Value, segment: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    }
}

fn child_mut<'v>(value: &'v mut Value, segment: &str) -> Option<&'v mut Value> {
    match value {
        Value::Object(map) => map.get_mut(segment),
        Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The first typed child (or element of a typed map or list child) of the
/// node at `path` that fails read alone: its path below the node, and why.
fn failing_typed_child(base: Kind, path: &[String], node: &Value) -> Option<Failure> {
    for key in children(node) {
        let mut below = path.to_vec();
        below.push(key.clone());
        let value = child(node, &key)?;
        match place_of(base, &below) {
            Some(Place::Node(kind)) => {
                if let Err((_, message)) = check(kind, value) {
                    return Some((vec![key], message));
                }
            }
            Some(Place::Many(kind)) => {
                for element in children(value) {
                    if let Err((_, message)) = check(kind, child(value, &element)?) {
                        return Some((vec![key, element], message));
                    }
                }
            }
            None => {}
        }
    }
    None
}

/// Values of every shape, so that one of them fits where the wrong one stood.
fn stand_ins() -> [Value; 7] {
    [
        json!("x"),
        json!(0),
        json!(true),
        Value::Null,
        json!({}),
        json!([]),
        json!({"$ref": "#/components/schemas/X"}),
    ]
}

/// Whether replacing the node at `below` (in `node`) by some stand-in makes
/// `node` read as `kind`.
fn fixed_by_stand_in(kind: Kind, node: &Value, below: &[String]) -> bool {
    stand_ins().into_iter().any(|stand_in| {
        let mut copy = node.clone();
        let target = below
            .iter()
            .try_fold(&mut copy, |value, segment| child_mut(value, segment));
        match target {
            Some(target) => {
                *target = stand_in;
                check(kind, &copy).is_ok()
            }
            None => false,
        }
    })
}

/// The child of `node` (or an element of a list child) whose replacement by
/// a stand-in makes `node` read as `kind`.
fn culprit(kind: Kind, node: &Value) -> Option<Vec<String>> {
    for key in children(node) {
        if !fixed_by_stand_in(kind, node, std::slice::from_ref(&key)) {
            continue;
        }
        let value = child(node, &key)?;
        if value.is_array() {
            let found = children(value)
                .into_iter()
                .find(|i| fixed_by_stand_in(kind, node, &[key.clone(), i.clone()]));
            if let Some(index) = found {
                return Some(vec![key, index]);
            }
        }
        return Some(vec![key]);
    }
    None
}

/// Whether the error path `below` (of reading `node`, of kind `kind`, at
/// `path`) names a node that is wrong: an untagged enum reports the error of
/// its last variant tried, which may be a node that is fine.
fn names_a_wrong_node(
    base: Kind,
    path: &[String],
    kind: Kind,
    node: &Value,
    below: &[String],
) -> bool {
    let Some(target) = resolve(node, below) else {
        return false;
    };
    let mut full = path.to_vec();
    full.extend_from_slice(below);
    match place_of(base, &full) {
        Some(Place::Node(typed)) => check(typed, target).is_err(),
        _ => fixed_by_stand_in(kind, node, below),
    }
}

/// From `path`, where reading `document` failed with `message`, down to the
/// deepest node known to be wrong: its path and the message of the last
/// failed read.
pub fn locate(document: &Value, path: Vec<String>, message: String) -> (Vec<String>, String) {
    locate_from(Kind::Document, document, path, message)
}

/// Where a schema that `openapiv3` refuses is wrong (`None` when it reads):
/// the path below it, and why.
pub fn schema_error(schema: &Value) -> Option<Failure> {
    let (path, message) = check(Kind::Schema, schema).err()?;
    Some(locate_from(Kind::Schema, schema, path, message))
}

fn locate_from(base: Kind, root: &Value, path: Vec<String>, message: String) -> Failure {
    let (mut path, mut message) = (path, message);
    // A path that does not resolve (a missing field's) is cut back to one that does.
    while !path.is_empty() && resolve(root, &path).is_none() {
        path.pop();
    }
    while let Some(node) = resolve(root, &path) {
        let found = match place_of(base, &path) {
            Some(Place::Node(kind)) => match check(kind, node) {
                Ok(()) => None,
                Err((below, why))
                    if !below.is_empty() && names_a_wrong_node(base, &path, kind, node, &below) =>
                {
                    Some((below, why))
                }
                Err((_, why)) => {
                    message = why;
                    failing_typed_child(base, &path, node)
                        .or_else(|| culprit(kind, node).map(|below| (below, message.clone())))
                }
            },
            Some(Place::Many(kind)) => children(node).into_iter().find_map(|element| {
                let value = child(node, &element)?;
                check(kind, value)
                    .err()
                    .map(|(_, why)| (vec![element], why))
            }),
            None => None,
        };
        let Some((below, why)) = found else {
            break;
        };
        path.extend(below);
        message = why;
    }
    (path, message)
}

fn resolve<'v>(value: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |value, segment| child(value, segment))
}

#[cfg(test)]
mod tests;
