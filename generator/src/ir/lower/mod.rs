//! Stage: the merged model -> the IR. Every schema use becomes a [`TypeRef`];
//! every object, enum and union becomes a named type in the arena, with inline
//! ones named after where they sit and deduplicated by shape.
//!
//! This file owns the lowering state and the order of the passes; each
//! concern (objects, enums, unions, operations...) has its own submodule.

mod bodies;
mod classify;
mod enums;
mod finish;
mod objects;
mod operations;
mod params;
mod responses;
mod schemas;
mod unions;

pub use params::path_variables;

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

use crate::config::ClientConfig;
use crate::error::{Error, Location, Result};
use crate::ir::types::{TypeId, TypeKind, TypeRef, TypeSpace};
use crate::ir::Api;
use crate::merge::Merged;
use crate::naming::{NameLock, Namespace};

/// Lowers the merged model; returns the API and notes for the report. Types
/// and methods at a place `lock` names keep that name.
pub fn lower(
    merged: &Merged,
    config: &ClientConfig,
    lock: &NameLock,
) -> Result<(Api, Vec<String>)> {
    let mut lowerer = Lowerer::new(merged, lock);
    lowerer.components()?;
    let (mut operations, groups) = lowerer.operations(config)?;
    super::client_data::apply(&mut operations, &groups, config)?;
    super::client_data::check_polling(&operations, config)?;
    lowerer.strip_tags();
    lowerer.check_alias_cycles()?;
    lowerer.mark_unused(&operations);
    lowerer.alias_superseded_places();
    let first_doc = merged.docs.iter().max_by(|a, b| {
        a.api
            .paths
            .paths
            .len()
            .cmp(&b.api.paths.paths.len())
            .then(b.id.cmp(&a.id))
    });
    let (title, version, base_url) = first_doc
        .map(|doc| {
            let server = doc
                .api
                .servers
                .first()
                .map(|s| s.url.clone())
                .unwrap_or_default();
            (
                doc.api.info.title.clone(),
                doc.api.info.version.clone(),
                server,
            )
        })
        .unwrap_or_default();
    let mut notes = lowerer.notes;
    for (wanted, given) in lowerer.names.collisions {
        notes.push(format!("type name `{wanted}` was taken: named `{given}`"));
    }
    let api = Api {
        title,
        version,
        base_url,
        types: lowerer.types,
        operations,
        groups,
        schema_types: lowerer.schema_types,
        webhooks: None,
        sources: merged
            .docs
            .iter()
            .map(|doc| crate::ir::Source {
                id: doc.id.clone(),
                path: doc.path.clone(),
                text: doc.text.clone(),
                first_line: doc.first_line,
            })
            .collect(),
    };
    let webhooks = super::webhooks::resolve(&api, config)?;
    let api = Api { webhooks, ..api };
    Ok((api, notes))
}

struct Lowerer<'m> {
    merged: &'m Merged,
    types: TypeSpace,
    /// Type names; every locked name is taken from the start.
    names: Namespace,
    lock: &'m NameLock,
    /// Locked type names already given to their place.
    locked_given: BTreeSet<String>,
    components: BTreeMap<String, TypeId>,
    enums_by_values: BTreeMap<Vec<String>, TypeId>,
    unions_by_signature: BTreeMap<String, TypeId>,
    tag_strips: BTreeSet<(TypeId, String)>,
    schema_types: BTreeMap<String, TypeRef>,
    notes: Vec<String>,
}

impl<'m> Lowerer<'m> {
    fn new(merged: &'m Merged, lock: &'m NameLock) -> Self {
        Lowerer {
            merged,
            types: TypeSpace::default(),
            names: Namespace::with_taken(lock.types.values().cloned()),
            lock,
            locked_given: BTreeSet::new(),
            components: BTreeMap::new(),
            enums_by_values: BTreeMap::new(),
            unions_by_signature: BTreeMap::new(),
            tag_strips: BTreeSet::new(),
            schema_types: BTreeMap::new(),
            notes: Vec::new(),
        }
    }

    /// The name of a new type at `origin`: its locked name, or else `wanted`
    /// (with a suffix when taken, locked names included).
    fn claim_type(&mut self, wanted: &str, origin: &str) -> String {
        match self.lock.types.get(origin) {
            Some(locked) if self.locked_given.insert(locked.clone()) => locked.clone(),
            _ => self.names.claim(wanted),
        }
    }

    /// A type reused at `origin` (an inline enum or union equal to one lowered
    /// before): when `origin` is locked and the type's first place is not, the
    /// inline type takes the locked name and place, so that the order in which places
    /// are met does not decide its name.
    fn adopt_locked_name(&mut self, id: TypeId, origin: &str) {
        let Some(locked) = self.lock.types.get(origin) else {
            return;
        };
        let component = self.components.values().any(|c| *c == id);
        if component
            || self.lock.types.contains_key(&self.types.get(id).origin)
            || !self.locked_given.insert(locked.clone())
        {
            return;
        }
        let def = self.types.get_mut(id);
        def.name = locked.clone();
        def.origin = origin.to_string();
        match &mut def.kind {
            TypeKind::Enum { values } => {
                let wires: Vec<String> = values.iter().map(|v| v.wire.clone()).collect();
                *values = enums::enum_values(&wires, locked, &mut self.notes);
            }
            TypeKind::Tagged { variants, .. } => {
                for variant in variants {
                    variant.rust = crate::naming::variant_ident(&variant.wire, locked);
                }
            }
            _ => {}
        }
    }

    fn location(&self, doc: usize, pointer: &str) -> Location {
        self.merged.docs[doc].location(pointer)
    }

    fn origin(&self, doc: usize, pointer: &str) -> String {
        format!("{}#{pointer}", self.merged.docs[doc].id)
    }

    /// Follows a local `$ref` to `#/components/<kind>/<name>` in the same document.
    fn resolve_component<T: Clone>(
        &self,
        doc: usize,
        item: &ReferenceOr<T>,
        kind: &str,
        table: impl Fn(&openapiv3::Components) -> &IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Result<T> {
        let reference = match item {
            ReferenceOr::Item(item) => return Ok(item.clone()),
            ReferenceOr::Reference { reference } => reference,
        };
        let prefix = format!("#/components/{kind}/");
        let found = reference.strip_prefix(prefix.as_str()).and_then(|name| {
            let components = self.merged.docs[doc].api.components.as_ref()?;
            table(components).get(name)
        });
        match found {
            Some(ReferenceOr::Item(item)) => Ok(item.clone()),
            _ => Err(Error::spec(
                self.location(doc, pointer),
                format!("dangling `$ref`: `{reference}`"),
            )),
        }
    }
}
