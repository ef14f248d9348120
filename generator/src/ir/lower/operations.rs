//! Operations: their groups, method names, docs, pagination and polling.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::Lowerer;
use crate::config::ClientConfig;
use crate::error::{Error, Result};
use crate::ir::types::{Field, TypeKind, TypeRef};
use crate::ir::{
    Docs, Group, Operation, PageShape, Pagination, ParamLocation, Parameter, Polling, Success,
};
use crate::merge::MergedOperation;
use crate::naming::{self, Namespace};
use crate::text::escape_token;

impl<'m> Lowerer<'m> {
    pub(super) fn operations(
        &mut self,
        config: &ClientConfig,
    ) -> Result<(Vec<Operation>, Vec<Group>)> {
        // Groups first: (legacy, tag) -> index, in sorted order.
        let mut group_keys: BTreeSet<(bool, String)> = BTreeSet::new();
        for op in &self.merged.operations {
            group_keys.insert((config.is_legacy(&op.path), group_tag(op)));
        }
        // v3 and legacy groups live in different modules, so each has its own namespace.
        let reserved = || {
            Namespace::with_taken(["legacy", "types", "runtime", "lib", "mod"].map(String::from))
        };
        let (mut modules, mut legacy_modules) = (reserved(), reserved());
        let groups: Vec<Group> = group_keys
            .iter()
            .map(|(legacy, tag)| {
                let namespace = if *legacy {
                    &mut legacy_modules
                } else {
                    &mut modules
                };
                let module = namespace.claim(&naming::module_ident(tag));
                let camel = naming::type_ident(&module);
                Group {
                    type_name: if *legacy {
                        format!("Legacy{camel}")
                    } else {
                        camel
                    },
                    module,
                    tag: tag.clone(),
                    legacy: *legacy,
                    description: self.merged.tags.get(tag).cloned().flatten(),
                }
            })
            .collect();
        let group_index = |legacy: bool, tag: &str| {
            groups
                .iter()
                .position(|g| g.legacy == legacy && g.tag == tag)
        };

        // Method names: drop version suffixes unless that makes two names equal.
        let mut wanted: Vec<(usize, String, String)> = Vec::new();
        for op in &self.merged.operations {
            let legacy = config.is_legacy(&op.path);
            let group = group_index(legacy, &group_tag(op)).unwrap_or(0);
            let id = operation_id(op);
            wanted.push((
                group,
                naming::snake_ident(naming::strip_version_suffix(&id)),
                naming::snake_ident(&id),
            ));
        }
        let mut counts: BTreeMap<(usize, &str), usize> = BTreeMap::new();
        for (group, short, _) in &wanted {
            *counts.entry((*group, short.as_str())).or_default() += 1;
        }
        let preferred: Vec<&String> = wanted
            .iter()
            .map(|(group, short, full)| {
                if counts[&(*group, short.as_str())] > 1 {
                    full
                } else {
                    short
                }
            })
            .collect();
        self.check_method_names(&groups, &wanted, &preferred)?;
        // Methods an earlier regen named keep their name (found by place, else
        // by operationId); the others take what is left.
        let locked = self.locked_methods(&groups, &wanted);
        let mut method_names: BTreeMap<usize, Namespace> = BTreeMap::new();
        for (group, name) in locked
            .iter()
            .zip(&wanted)
            .filter_map(|(l, w)| Some((w.0, l.clone()?)))
        {
            method_names.entry(group).or_default().claim(&name);
        }
        let mut operations = Vec::new();
        for (((op, (group, _, _)), locked), preferred) in self
            .merged
            .operations
            .iter()
            .zip(wanted.iter())
            .zip(locked)
            .zip(preferred)
        {
            let namespace = method_names.entry(*group).or_default();
            let name = match locked {
                Some(name) => name,
                None => {
                    // Equal preferred names failed above, so only a locked name
                    // can be in the way: the newcomer is renamed, as for types.
                    let name = namespace.claim(preferred);
                    if name != *preferred {
                        self.notes.push(format!(
                            "{}: method name `{preferred}` is locked by another operation of \
                             its group (api-surface.json): named `{name}`",
                            self.origin(op.doc, &operation_pointer(op)),
                        ));
                    }
                    name
                }
            };
            let legacy = groups[*group].legacy;
            let lowered = self.operation(op, name, *group, legacy, config)?;
            operations.push(lowered);
        }
        operations.sort_by(|a, b| (a.group, &a.name).cmp(&(b.group, &b.name)));
        Ok((operations, groups))
    }

    /// The locked method name of each operation (in `merged.operations` order):
    /// by place first, then by operationId; each locked name is given once.
    fn locked_methods(
        &self,
        groups: &[Group],
        wanted: &[(usize, String, String)],
    ) -> Vec<Option<String>> {
        let mut given: BTreeSet<(usize, String)> = BTreeSet::new();
        let mut locked: Vec<Option<String>> = vec![None; wanted.len()];
        for by_id in [false, true] {
            for (index, op) in self.merged.operations.iter().enumerate() {
                let group = &groups[wanted[index].0];
                if locked[index].is_some() {
                    continue;
                }
                let found = if by_id {
                    self.lock
                        .method_by_id(&operation_id(op), &group.module, group.legacy)
                } else {
                    let origin = self.origin(op.doc, &operation_pointer(op));
                    self.lock.method_at(&origin, &group.module, group.legacy)
                };
                if let Some(name) = found {
                    if given.insert((wanted[index].0, name.to_string())) {
                        locked[index] = Some(name.to_string());
                    }
                }
            }
        }
        locked
    }

    /// How `stream()` follows the pages of a response, if it is paginated: a
    /// `token` (or `next_token`) query parameter, and a next token either beside
    /// `data` or in it next to `items`. A cursor parameter without a next token
    /// the detector recognises is noted for the report.
    fn pagination(
        &mut self,
        params: &[Parameter],
        success: &Success,
        origin: &str,
    ) -> Option<Pagination> {
        let token_param = params
            .iter()
            .find(|p| {
                p.location == ParamLocation::Query && CURSOR_PARAMS.contains(&p.wire.as_str())
            })?
            .wire
            .clone();
        let found = match success {
            Success::Page(item) => Some((item.clone(), PageShape::Top)),
            Success::Envelope(TypeRef::Named(id)) => match &self.types.get(*id).kind {
                TypeKind::Struct { fields, .. } => items_page(fields),
                _ => None,
            },
            _ => None,
        };
        let Some((item, shape)) = found else {
            self.notes.push(format!(
                "{origin}: takes a `{token_param}` query parameter, but the response has no \
                 next-page token the generator recognises (`next_token` beside `data`, or \
                 `data.items` with `data.next_token`): no `stream()`, the call returns one page"
            ));
            return None;
        };
        Some(Pagination {
            token_param,
            item,
            shape,
        })
    }

    pub(super) fn operation(
        &mut self,
        op: &MergedOperation,
        name: String,
        group: usize,
        legacy: bool,
        config: &ClientConfig,
    ) -> Result<Operation> {
        let doc = op.doc;
        let pointer = operation_pointer(op);
        let operation_id = operation_id(op);
        let hint_base = format!(
            "{}{}",
            if legacy { "Legacy" } else { "" },
            name.to_upper_camel_case()
        );
        let params = self.parameters(op, &hint_base, &pointer)?;
        let body = match &op.operation.request_body {
            None => None,
            Some(body) => {
                Some(self.request_body(doc, body, &hint_base, &format!("{pointer}/requestBody"))?)
            }
        };
        let (success, errors, success_pointer) = self.responses(op, &hint_base, &pointer)?;
        let idempotent = params.iter().any(|p| {
            p.location == ParamLocation::Header && p.wire.eq_ignore_ascii_case("idempotency-key")
        });
        let pagination = self.pagination(&params, &success, &self.origin(doc, &pointer));
        let polling = config.polling_for(&operation_id).map(|entry| Polling {
            status_field: entry.status_field.clone(),
            succeeded: entry.succeeded.clone(),
            failed: entry.failed.clone(),
            failure_code_field: entry.failure_code_field.clone(),
            failure_message_field: entry.failure_message_field.clone(),
        });
        let mut docs = Docs {
            summary: op.operation.summary.clone(),
            description: op
                .operation
                .description
                .clone()
                .filter(|d| !d.trim().is_empty()),
            deprecated: op.operation.deprecated || legacy,
            ..Docs::default()
        };
        if legacy {
            if let Some(note) = &config.legacy.note {
                docs.description = Some(match docs.description {
                    Some(description) => format!("{description}\n\n{note}"),
                    None => note.clone(),
                });
            }
        }
        Ok(Operation {
            operation_id,
            name,
            group,
            method: op.method,
            path: op.path.clone(),
            docs,
            legacy,
            origin: self.origin(doc, &pointer),
            params,
            body,
            success,
            success_origin: self.origin(doc, &success_pointer),
            errors,
            idempotent,
            pagination,
            polling,
            deprecation: None,
        })
    }
}

impl Lowerer<'_> {
    /// Two operations of one group whose operationIds give one method name
    /// (`getVideo` and `get_video`) would get `name` and `name_2`, which one
    /// depending on path order: an error naming the second operationId and the
    /// fix in data that renames it.
    fn check_method_names(
        &self,
        groups: &[Group],
        wanted: &[(usize, String, String)],
        preferred: &[&String],
    ) -> Result<()> {
        let mut seen: BTreeMap<(usize, &str), usize> = BTreeMap::new();
        for (index, (group, _, _)) in wanted.iter().enumerate() {
            let name = preferred[index].as_str();
            let Some(first) = seen.insert((*group, name), index) else {
                continue;
            };
            let (first, second) = (
                &self.merged.operations[first],
                &self.merged.operations[index],
            );
            let doc = &self.merged.docs[second.doc];
            let id_pointer = format!("{}/operationId", operation_pointer(second));
            let first_location = match &first.operation.operation_id {
                Some(_) => self.location(
                    first.doc,
                    &format!("{}/operationId", operation_pointer(first)),
                ),
                None => self.location(first.doc, &operation_pointer(first)),
            };
            let describe = |op: &MergedOperation| match &op.operation.operation_id {
                Some(id) => format!("operationId `{id}`"),
                None => "the operation without operationId".to_string(),
            };
            let (location, fix) = match &second.operation.operation_id {
                Some(id) => (
                    self.location(second.doc, &id_pointer),
                    format!(
                        "Rename one with a fix in quirks.yaml: `{{id: rename-{id}, document: {}, \
                         pointer: {id_pointer}, action: replace, value: <a new operationId>, \
                         reason: ...}}`",
                        doc.id
                    ),
                ),
                None => (
                    self.location(second.doc, &operation_pointer(second)),
                    format!(
                        "Name it with a fix in quirks.yaml: `{{id: name-{name}, document: {}, \
                         pointer: {id_pointer}, action: add, value: <an operationId>, \
                         reason: ...}}`",
                        doc.id
                    ),
                ),
            };
            return Err(Error::spec(
                location,
                format!(
                    "{} gives the method name `{name}`, as {} of {} {} does ({first_location}); \
                     methods of group `{}` must have distinct names. {fix}",
                    describe(second),
                    describe(first),
                    first.method.as_str(),
                    first.path,
                    groups[*group].tag,
                ),
            ));
        }
        Ok(())
    }
}

fn operation_pointer(op: &MergedOperation) -> String {
    format!(
        "/paths/{}/{}",
        escape_token(&op.path),
        op.method.as_str().to_ascii_lowercase()
    )
}

/// Query parameters that carry a page cursor.
const CURSOR_PARAMS: &[&str] = &["token", "next_token"];

/// `{items: [T], next_token, has_more?}`: the item type and the shape.
fn items_page(fields: &[Field]) -> Option<(TypeRef, PageShape)> {
    let field = |wire: &str| fields.iter().find(|f| f.wire == wire);
    let TypeRef::Array(item) = field("items")?.ty.non_null() else {
        return None;
    };
    let next_token = field("next_token").filter(|f| *f.ty.non_null() == TypeRef::String)?;
    let has_more = field("has_more").filter(|f| *f.ty.non_null() == TypeRef::Boolean);
    Some((
        (**item).clone(),
        PageShape::Items {
            items: field("items")?.rust.clone(),
            next_token: next_token.rust.clone(),
            has_more: has_more.map(|f| f.rust.clone()),
        },
    ))
}

fn group_tag(op: &MergedOperation) -> String {
    if let Some(tag) = op.operation.tags.first() {
        return tag.clone();
    }
    // Untagged: the first path segment after the version, up to a dot (`/v1/video.delete` -> `video`).
    op.path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .find(|s| !(s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit())))
        .map(|s| s.split('.').next().unwrap_or(s).to_string())
        .unwrap_or_else(|| "default".into())
}

fn operation_id(op: &MergedOperation) -> String {
    match &op.operation.operation_id {
        Some(id) if !id.trim().is_empty() => id.clone(),
        _ => format!("{} {}", op.method.as_str().to_lowercase(), op.path).to_snake_case(),
    }
}
