//! Passes over the whole arena once everything is lowered: unused types, aliases, tags, cycles.

use std::collections::BTreeSet;

use super::Lowerer;
use crate::error::{Error, Location, Result};
use crate::ir::types::{TypeKind, TypeRef};
use crate::ir::{Operation, RequestBody, Success};
use crate::text::escape_token;

impl<'m> Lowerer<'m> {
    /// Types reached from no component schema and no operation are not emitted,
    /// and places whose type is not emitted are forgotten.
    pub(super) fn mark_unused(&mut self, operations: &[Operation]) {
        let mut roots: Vec<TypeRef> = self
            .components
            .values()
            .map(|id| TypeRef::Named(*id))
            .collect();
        for op in operations {
            roots.extend(op.params.iter().map(|p| p.ty.clone()));
            match &op.body {
                Some(RequestBody::Json { ty, .. }) => roots.push(ty.clone()),
                Some(RequestBody::Multipart { fields }) => {
                    roots.extend(fields.iter().filter_map(|f| f.ty.clone()))
                }
                _ => {}
            }
            match &op.success {
                Success::Envelope(ty) | Success::Page(ty) | Success::Json(ty) => {
                    roots.push(ty.clone())
                }
                _ => {}
            }
        }
        // Error bodies are decoded by the runtime, but their member types are API types too.
        roots.extend(
            self.schema_types
                .iter()
                .filter(|(origin, _)| origin.contains("/responses/"))
                .map(|(_, ty)| ty.clone()),
        );
        self.types.mark_unused(&roots);
        let types = &self.types;
        self.schema_types.retain(|_, ty| {
            let mut ids = Vec::new();
            ty.named_ids(&mut ids);
            ids.iter().all(|id| !types.get(*id).unused)
        });
    }

    /// Places in documents whose definitions lost the merge (a superseded
    /// operation, a schema merged with an identical one) get the type of the
    /// place that won, so that every place of every input has its type.
    pub(super) fn alias_superseded_places(&mut self) {
        let mut prefixes: Vec<(String, String)> = Vec::new();
        for op in &self.merged.operations {
            let pointer = format!(
                "/paths/{}/{}",
                escape_token(&op.path),
                op.method.as_str().to_ascii_lowercase()
            );
            for loser in &op.superseded {
                prefixes.push((self.origin(op.doc, &pointer), self.origin(*loser, &pointer)));
            }
        }
        for (doc, names) in self.merged.schema_names.iter().enumerate() {
            for (original, merged_name) in names {
                let source = &self.merged.schemas[merged_name];
                if source.doc != doc || source.original_name != *original {
                    let winner = format!(
                        "/components/schemas/{}",
                        escape_token(&source.original_name)
                    );
                    let loser = format!("/components/schemas/{}", escape_token(original));
                    prefixes.push((self.origin(source.doc, &winner), self.origin(doc, &loser)));
                }
            }
        }
        let mut aliases = Vec::new();
        for (winner, loser) in &prefixes {
            for (origin, ty) in self.schema_types.range(winner.clone()..) {
                let Some(rest) = origin.strip_prefix(winner.as_str()) else {
                    break;
                };
                if rest.is_empty() || rest.starts_with('/') {
                    aliases.push((format!("{loser}{rest}"), ty.clone()));
                }
            }
        }
        for (origin, ty) in aliases {
            self.schema_types.entry(origin).or_insert(ty);
        }
    }

    /// Removes the discriminator property from the structs used as tagged variants:
    /// the enum writes and reads the tag itself.
    pub(super) fn strip_tags(&mut self) {
        for (id, tag) in std::mem::take(&mut self.tag_strips) {
            if let TypeKind::Struct { fields, .. } = &mut self.types.get_mut(id).kind {
                fields.retain(|field| field.wire != tag);
            }
        }
    }

    pub(super) fn check_alias_cycles(&self) -> Result<()> {
        for (start, def) in self.types.iter_by_name() {
            let mut seen = BTreeSet::from([start]);
            let mut current = &def.kind;
            while let TypeKind::Alias(ty) = current {
                let TypeRef::Named(next) = ty.non_null() else {
                    break;
                };
                if !seen.insert(*next) {
                    let (doc, pointer) = def.origin.split_once('#').unwrap_or((&def.origin, ""));
                    let location = match self.merged.docs.iter().find(|d| d.id == doc) {
                        Some(doc) => doc.location(pointer),
                        None => Location::new(doc, pointer),
                    };
                    return Err(Error::spec(
                        location,
                        "`$ref` cycle: the schema refers to itself only through references",
                    ));
                }
                current = &self.types.get(*next).kind;
            }
        }
        Ok(())
    }
}
