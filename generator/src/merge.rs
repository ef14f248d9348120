//! Stage: many parsed documents -> one model, with provenance.
//!
//! Rules: the same operation (method + path) in two documents is taken from the
//! one with the later date and reported, or is an error when dates cannot decide;
//! same-named component schemas with the same shape become one, with different
//! shapes they are kept apart under distinct names; security schemes that are the
//! same credential under different names are recognised as one.

use std::collections::BTreeMap;
use std::path::PathBuf;

use openapiv3::{OpenAPI, Operation, Parameter, ReferenceOr, Schema, SecurityScheme};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::text::escape_token;

/// An HTTP method: merge keys operations by it; the IR (which re-exports it) carries it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }
}

/// One normalised document, parsed by `openapiv3`.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    pub id: String,
    pub path: PathBuf,
    pub date: Option<String>,
    pub api: OpenAPI,
    /// The text the document was read from and the file line where it starts
    /// (empty for a document built in memory): later stages name lines with it.
    pub text: String,
    pub first_line: usize,
}

impl SourceDoc {
    /// A place in this document: its file, the pointer and, when found, the line.
    pub fn location(&self, pointer: &str) -> crate::error::Location {
        let line = crate::text::line_of_nearest(&self.text, self.first_line, pointer);
        crate::error::Location::new(&self.path, pointer).with_line(line)
    }
}

#[derive(Debug, Clone)]
pub struct MergedOperation {
    pub doc: usize,
    pub path: String,
    pub method: Method,
    pub operation: Operation,
    /// Parameters declared on the path item, shared by its operations.
    pub path_item_params: Vec<ReferenceOr<Parameter>>,
    /// Other documents that define the same operation (older ones, superseded).
    pub superseded: Vec<usize>,
}

/// Where a merged component schema comes from.
#[derive(Debug, Clone)]
pub struct SchemaSource {
    pub doc: usize,
    pub original_name: String,
}

/// A credential the API accepts, recognised across documents by (type, in, name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Credential {
    pub description: String,
    /// Scheme names in each document, as `doc-id: name`.
    pub names: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Merged {
    /// Sorted by id, so that input order never changes the output.
    pub docs: Vec<SourceDoc>,
    /// Sorted by path, then method.
    pub operations: Vec<MergedOperation>,
    /// Merged component schemas by their (unique) merged name.
    pub schemas: BTreeMap<String, SchemaSource>,
    /// Per document: original component name -> merged name.
    pub schema_names: Vec<BTreeMap<String, String>>,
    pub tags: BTreeMap<String, Option<String>>,
    pub credentials: Vec<Credential>,
    /// What the merge did, for the report.
    pub notes: Vec<String>,
}

impl Merged {
    pub fn schema(&self, merged_name: &str) -> Option<(&SourceDoc, &ReferenceOr<Schema>)> {
        let source = self.schemas.get(merged_name)?;
        let doc = &self.docs[source.doc];
        let schema = doc
            .api
            .components
            .as_ref()?
            .schemas
            .get(&source.original_name)?;
        Some((doc, schema))
    }
}

pub fn merge(mut docs: Vec<SourceDoc>) -> Result<Merged> {
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut notes = Vec::new();
    let operations = merge_operations(&docs, &mut notes)?;
    check_operation_ids(&docs, &operations)?;
    let (schemas, schema_names) = merge_schemas(&docs, &mut notes);
    let tags = merge_tags(&docs);
    let credentials = merge_credentials(&docs, &mut notes);
    Ok(Merged {
        docs,
        operations,
        schemas,
        schema_names,
        tags,
        credentials,
        notes,
    })
}

/// Two operations with one operationId would get one method name (the second
/// silently suffixed): an error naming the second, and how to fix it in data.
fn check_operation_ids(docs: &[SourceDoc], operations: &[MergedOperation]) -> Result<()> {
    let mut seen: BTreeMap<&str, &MergedOperation> = BTreeMap::new();
    for op in operations {
        let Some(id) = op.operation.operation_id.as_deref() else {
            continue;
        };
        let Some(first) = seen.insert(id, op) else {
            continue;
        };
        let pointer = |op: &MergedOperation| {
            format!(
                "/paths/{}/{}",
                escape_token(&op.path),
                op.method.as_str().to_ascii_lowercase()
            )
        };
        let doc = &docs[op.doc];
        let first_location = docs[first.doc].location(&format!("{}/operationId", pointer(first)));
        let id_pointer = format!("{}/operationId", pointer(op));
        return Err(Error::spec(
            doc.location(&id_pointer),
            format!(
                "operationId `{id}` is also the operationId of {} {} ({first_location}); \
                 operationIds must be unique. Rename one with a fix in quirks.yaml: \
                 `{{id: rename-{id}, document: {}, pointer: {id_pointer}, action: replace, \
                 value: <a new operationId>, reason: ...}}`",
                first.method.as_str(),
                first.path,
                doc.id,
            ),
        ));
    }
    Ok(())
}

fn methods(item: &openapiv3::PathItem) -> Vec<(Method, &Operation)> {
    [
        (Method::Get, &item.get),
        (Method::Put, &item.put),
        (Method::Post, &item.post),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Head, &item.head),
        (Method::Patch, &item.patch),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    .collect()
}

fn merge_operations(docs: &[SourceDoc], notes: &mut Vec<String>) -> Result<Vec<MergedOperation>> {
    let mut by_key: BTreeMap<(String, Method), MergedOperation> = BTreeMap::new();
    for (index, doc) in docs.iter().enumerate() {
        for (path, item) in &doc.api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                return Err(Error::spec(
                    crate::Location::new(&doc.path, format!("/paths/{}", escape_token(path))),
                    "a `$ref` path item is not supported",
                ));
            };
            for (method, operation) in methods(item) {
                let candidate = MergedOperation {
                    doc: index,
                    path: path.clone(),
                    method,
                    operation: operation.clone(),
                    path_item_params: item.parameters.clone(),
                    superseded: Vec::new(),
                };
                let key = (path.clone(), method);
                match by_key.remove(&key) {
                    None => {
                        by_key.insert(key, candidate);
                    }
                    Some(existing) => {
                        let mut superseded = existing.superseded.clone();
                        superseded.extend([existing.doc, index]);
                        let mut winner =
                            pick_newer(docs, existing, candidate, method, path, notes)?;
                        superseded.retain(|doc| *doc != winner.doc);
                        superseded.sort();
                        superseded.dedup();
                        winner.superseded = superseded;
                        by_key.insert(key, winner);
                    }
                }
            }
        }
    }
    Ok(by_key.into_values().collect())
}

fn pick_newer(
    docs: &[SourceDoc],
    existing: MergedOperation,
    candidate: MergedOperation,
    method: Method,
    path: &str,
    notes: &mut Vec<String>,
) -> Result<MergedOperation> {
    let (a, b) = (&docs[existing.doc], &docs[candidate.doc]);
    match (&a.date, &b.date) {
        (Some(date_a), Some(date_b)) if date_a != date_b => {
            let (winner, loser) = if date_b > date_a {
                (candidate, existing)
            } else {
                (existing, candidate)
            };
            notes.push(format!(
                "{} {path}: defined in `{}` ({}) and `{}` ({}); using the later `{}`",
                method.as_str(),
                docs[loser.doc].id,
                docs[loser.doc].date.as_deref().unwrap_or("?"),
                docs[winner.doc].id,
                docs[winner.doc].date.as_deref().unwrap_or("?"),
                docs[winner.doc].id,
            ));
            Ok(winner)
        }
        _ => Err(Error::spec(
            b.location(&format!(
                "/paths/{}/{}",
                escape_token(path),
                method.as_str().to_ascii_lowercase()
            )),
            format!(
                "{} {path} is defined in both {} and {}, and no manifest date decides which is \
                 newer; give both documents a different `date` in specs/manifest.yaml",
                method.as_str(),
                a.path.display(),
                b.path.display()
            ),
        )),
    }
}

/// The part of a schema that matters for the generated code (docs and examples stripped).
fn shape(schema: &ReferenceOr<Schema>) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for key in [
                    "description",
                    "title",
                    "example",
                    "x-examples",
                    "externalDocs",
                ] {
                    map.remove(key);
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(schema).unwrap_or(Value::Null);
    strip(&mut value);
    value
}

type SchemaTables = (
    BTreeMap<String, SchemaSource>,
    Vec<BTreeMap<String, String>>,
);

fn merge_schemas(docs: &[SourceDoc], notes: &mut Vec<String>) -> SchemaTables {
    // Group the definitions of each name; newest document first, then by id.
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, doc) in docs.iter().enumerate() {
        if let Some(components) = &doc.api.components {
            for name in components.schemas.keys() {
                by_name.entry(name).or_default().push(index);
            }
        }
    }
    let mut merged = BTreeMap::new();
    let mut names = vec![BTreeMap::new(); docs.len()];
    for (name, mut owners) in by_name {
        owners.sort_by(|a, b| docs[*b].date.cmp(&docs[*a].date).then(a.cmp(b)));
        let get = |doc: usize| {
            &docs[doc]
                .api
                .components
                .as_ref()
                .expect("listed above")
                .schemas[name]
        };
        let mut kept: Vec<(usize, Value, String)> = Vec::new();
        for owner in owners {
            let this_shape = shape(get(owner));
            if let Some((_, _, merged_name)) = kept.iter().find(|(_, s, _)| *s == this_shape) {
                names[owner].insert(name.to_string(), merged_name.clone());
                continue;
            }
            let merged_name = if kept.is_empty() {
                name.to_string()
            } else {
                let renamed = format!("{name}{}", crate::naming::type_ident(&docs[owner].id));
                notes.push(format!(
                    "schema `{name}` in `{}` differs from the one in `{}`: kept apart as `{renamed}`",
                    docs[owner].id, docs[kept[0].0].id
                ));
                renamed
            };
            names[owner].insert(name.to_string(), merged_name.clone());
            merged.insert(
                merged_name.clone(),
                SchemaSource {
                    doc: owner,
                    original_name: name.to_string(),
                },
            );
            kept.push((owner, this_shape, merged_name));
        }
    }
    (merged, names)
}

fn merge_tags(docs: &[SourceDoc]) -> BTreeMap<String, Option<String>> {
    let mut tags: BTreeMap<String, Option<String>> = BTreeMap::new();
    for doc in docs {
        for tag in &doc.api.tags {
            let entry = tags.entry(tag.name.clone()).or_default();
            if entry.is_none() {
                *entry = tag.description.clone();
            }
        }
    }
    tags
}

fn merge_credentials(docs: &[SourceDoc], notes: &mut Vec<String>) -> Vec<Credential> {
    let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for doc in docs {
        let Some(components) = &doc.api.components else {
            continue;
        };
        for (name, scheme) in &components.security_schemes {
            let ReferenceOr::Item(scheme) = scheme else {
                continue;
            };
            let key = match scheme {
                SecurityScheme::APIKey {
                    location,
                    name: header,
                    ..
                } => format!("api key in {location:?} `{}`", header.to_ascii_lowercase())
                    .to_lowercase(),
                SecurityScheme::HTTP { scheme, .. } => {
                    format!("http {}", scheme.to_ascii_lowercase())
                }
                SecurityScheme::OAuth2 { .. } => "oauth2".into(),
                SecurityScheme::OpenIDConnect { .. } => "openid connect".into(),
            };
            by_key
                .entry(key)
                .or_default()
                .push(format!("{}: {name}", doc.id));
        }
    }
    by_key
        .into_iter()
        .map(|(description, names)| {
            let distinct: std::collections::BTreeSet<_> =
                names.iter().filter_map(|n| n.split(": ").nth(1)).collect();
            if distinct.len() > 1 {
                notes.push(format!(
                    "security schemes {} are one credential ({description})",
                    distinct
                        .into_iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            Credential { description, names }
        })
        .collect()
}
