//! String enums: inline ones deduplicated by their values, and their variant names.

use std::collections::BTreeSet;

use openapiv3::Schema;

use super::classify::docs_of;
use super::Lowerer;
use crate::ir::types::{EnumValue, TypeKind, TypeRef};
use crate::naming::{self, Namespace};

impl<'m> Lowerer<'m> {
    pub(super) fn inline_enum(
        &mut self,
        values: &[String],
        schema: &Schema,
        hint: &str,
        doc: usize,
        pointer: &str,
    ) -> TypeRef {
        let key = sorted(values);
        let origin = self.origin(doc, pointer);
        if let Some(id) = self.enums_by_values.get(&key).copied() {
            self.adopt_locked_name(id, &origin);
            return TypeRef::Named(id);
        }
        let name = self.claim_type(hint, &origin);
        let id = self.types.reserve(name.clone(), origin);
        let def = self.types.get_mut(id);
        def.kind = TypeKind::Enum {
            values: enum_values(values, &name, &mut self.notes),
        };
        def.docs = docs_of(&schema.schema_data);
        def.docs.examples.clear();
        def.docs.default = None;
        self.enums_by_values.insert(key, id);
        TypeRef::Named(id)
    }
}

pub(super) fn sorted(values: &[String]) -> Vec<String> {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    values
}

pub(super) fn enum_values(
    values: &[String],
    enum_name: &str,
    notes: &mut Vec<String>,
) -> Vec<EnumValue> {
    let mut names = Namespace::new();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for value in values {
        if !seen.insert(value.clone()) {
            continue;
        }
        let wanted = naming::variant_ident(value, enum_name);
        let rust = names.claim(&wanted);
        if rust != wanted {
            notes.push(format!("enum `{enum_name}`: value `{value}` would be `{wanted}`, which is taken; named `{rust}`"));
        }
        out.push(EnumValue {
            wire: value.clone(),
            rust,
            description: None,
        });
    }
    out
}
