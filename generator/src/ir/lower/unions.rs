//! `oneOf`/`anyOf` unions: tagged or untagged, their variant names and their type names.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Discriminator, ReferenceOr, Schema};
use serde_json::Value;

use super::classify::{classify, Class};
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::types::{TypeId, TypeKind, TypeRef, Variant};
use crate::naming::{self, Namespace};

impl<'m> Lowerer<'m> {
    pub(super) fn union_kind(
        &mut self,
        doc: usize,
        members: &[ReferenceOr<Schema>],
        discriminator: Option<&Discriminator>,
        hint: &str,
        pointer: &str,
    ) -> Result<(UnionLowering, bool)> {
        let mut has_null = false;
        let mut lowered: Vec<(usize, TypeRef)> = Vec::new();
        for (index, member) in members.iter().enumerate() {
            if let ReferenceOr::Item(schema) = member {
                if matches!(classify(schema), Class::Null) {
                    has_null = true;
                    continue;
                }
            }
            // A member's own title names it best (pydantic titles repeat across
            // schemas, so the namespace still decides); else its position.
            let title = match member {
                ReferenceOr::Item(schema) => {
                    schema.schema_data.title.as_deref().map(naming::type_ident)
                }
                ReferenceOr::Reference { .. } => None,
            };
            let member_hint = title.unwrap_or_else(|| format!("{hint}{}", index + 1));
            let ty = self.use_schema_ref(
                doc,
                member,
                &member_hint,
                &format!("{pointer}/anyOf/{index}"),
            )?;
            lowered.push((index, ty));
        }
        if let (Some(discriminator), [_, _, ..]) = (discriminator, lowered.as_slice()) {
            let kind = self.tagged(doc, discriminator, &lowered, members, hint, pointer)?;
            return Ok((UnionLowering::Kind(kind), has_null));
        }
        let fallback_json = lowered.iter().any(|(_, ty)| *ty == TypeRef::Json);
        let mut distinct: Vec<TypeRef> = Vec::new();
        for (_, ty) in &lowered {
            if *ty != TypeRef::Json && !distinct.contains(ty) {
                distinct.push(ty.clone());
            }
        }
        if distinct.is_empty() {
            return Ok((UnionLowering::Type(TypeRef::Json), has_null));
        }
        if distinct.len() == 1 && !fallback_json {
            return Ok((UnionLowering::Type(distinct.remove(0)), has_null));
        }
        match self.order_untagged(distinct) {
            Some(ordered) => {
                let mut variant_names = Namespace::new();
                let variants = ordered
                    .into_iter()
                    .map(|ty| {
                        let rust = variant_names.claim(&self.variant_name(&ty));
                        Variant {
                            wire: rust.clone(),
                            rust,
                            ty,
                        }
                    })
                    .collect();
                Ok((
                    UnionLowering::Kind(TypeKind::Untagged {
                        variants,
                        fallback_json,
                    }),
                    has_null,
                ))
            }
            None => {
                self.notes.push(format!(
                    "{}: union members cannot be told apart by shape; typed as serde_json::Value",
                    self.origin(doc, pointer)
                ));
                Ok((UnionLowering::Type(TypeRef::Json), has_null))
            }
        }
    }

    /// Orders untagged variants so that serde tries the most specific first, or
    /// returns `None` when two members would accept the same input.
    fn order_untagged(&self, members: Vec<TypeRef>) -> Option<Vec<TypeRef>> {
        let mut ranked: Vec<(usize, usize, TypeRef)> = Vec::new();
        let mut required_sets: Vec<BTreeSet<String>> = Vec::new();
        for ty in members {
            let (rank, specificity) = match ty.non_null() {
                TypeRef::Boolean => (0, 0),
                TypeRef::Integer(_) => (1, 0),
                TypeRef::Number(_) => (2, 0),
                TypeRef::Named(id) => match &self.types.get(*id).kind {
                    TypeKind::Enum { .. } => (3, 0),
                    TypeKind::Struct { fields, .. } => {
                        let required: BTreeSet<String> = fields
                            .iter()
                            .filter(|f| f.required)
                            .map(|f| f.wire.clone())
                            .collect();
                        if required_sets.contains(&required) {
                            return None;
                        }
                        let count = required.len();
                        required_sets.push(required);
                        (6, usize::MAX - count)
                    }
                    _ => (7, 0),
                },
                TypeRef::String => (4, 0),
                TypeRef::Array(_) => (5, 0),
                TypeRef::Map(_) | TypeRef::JsonObject => (8, 0),
                _ => (9, 0),
            };
            ranked.push((rank, specificity, ty));
        }
        ranked.sort_by_key(|(rank, specificity, _)| (*rank, *specificity));
        Some(ranked.into_iter().map(|(_, _, ty)| ty).collect())
    }

    fn variant_name(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::String => "String".into(),
            TypeRef::Integer(_) => "Integer".into(),
            TypeRef::Number(_) => "Number".into(),
            TypeRef::Boolean => "Boolean".into(),
            TypeRef::Named(id) => self.types.get(*id).name.clone(),
            TypeRef::Array(inner) => format!("{}List", self.variant_name(inner)),
            TypeRef::Map(_) | TypeRef::JsonObject => "Object".into(),
            TypeRef::Nullable(inner) => self.variant_name(inner),
            TypeRef::Json => "Other".into(),
        }
    }

    fn tagged(
        &mut self,
        doc: usize,
        discriminator: &Discriminator,
        lowered: &[(usize, TypeRef)],
        members: &[ReferenceOr<Schema>],
        hint: &str,
        pointer: &str,
    ) -> Result<TypeKind> {
        let tag = discriminator.property_name.clone();
        let mut by_id: BTreeMap<TypeId, String> = BTreeMap::new();
        for (index, ty) in lowered {
            let TypeRef::Named(id) = ty else {
                return Err(Error::spec(
                    self.location(doc, &format!("{pointer}/oneOf/{index}")),
                    "unsupported construct: a discriminated union member must be an object schema",
                ));
            };
            let wire = match discriminator.mapping.iter().find(|(_, target)| {
                self.resolve_reference(doc, target, pointer).ok() == Some(TypeRef::Named(*id))
            }) {
                Some((wire, _)) => wire.clone(),
                None => self.const_tag(doc, &members[*index], &tag).ok_or_else(|| {
                    Error::spec(
                        self.location(doc, &format!("{pointer}/oneOf/{index}")),
                        format!("discriminated union member has no mapping entry and no `const` value for `{tag}`"),
                    )
                })?,
            };
            by_id.insert(*id, wire);
        }
        let mut variant_names = Namespace::new();
        let mut variants: Vec<Variant> = Vec::new();
        for (_, ty) in lowered {
            let TypeRef::Named(id) = ty else { continue };
            let wire = by_id[id].clone();
            let rust = variant_names.claim(&naming::variant_ident(&wire, hint));
            self.tag_strips.insert((*id, tag.clone()));
            variants.push(Variant {
                wire,
                rust,
                ty: ty.clone(),
            });
        }
        Ok(TypeKind::Tagged { tag, variants })
    }

    fn const_tag(&self, doc: usize, member: &ReferenceOr<Schema>, tag: &str) -> Option<String> {
        let schema = match member {
            ReferenceOr::Item(schema) => schema.clone(),
            ReferenceOr::Reference { reference } => self.resolve_schema(doc, reference, "").ok()?,
        };
        let Class::Object { properties, .. } = classify(&schema) else {
            return None;
        };
        let ReferenceOr::Item(property) = properties.get(tag)? else {
            return None;
        };
        if let Some(Value::String(value)) = property.schema_data.extensions.get("x-const") {
            return Some(value.clone());
        }
        match classify(property) {
            Class::Str { values, .. } if values.len() == 1 => Some(values[0].clone()),
            _ => None,
        }
    }

    /// Two unions with the same signature are the same type.
    pub(super) fn signature(&self, kind: &TypeKind) -> String {
        match kind {
            TypeKind::Tagged { tag, variants } => {
                let mut parts: Vec<String> = variants
                    .iter()
                    .map(|v| format!("{}={:?}", v.wire, v.ty))
                    .collect();
                parts.sort();
                format!("{tag}:{}", parts.join(","))
            }
            TypeKind::Untagged {
                variants,
                fallback_json,
            } => {
                let parts: Vec<String> = variants.iter().map(|v| format!("{:?}", v.ty)).collect();
                format!(
                    "untagged{}:{}",
                    if *fallback_json { "+json" } else { "" },
                    parts.join(",")
                )
            }
            _ => String::new(),
        }
    }

    /// Names an inline union, reusing an equal one seen before.
    pub(super) fn named_union(
        &mut self,
        kind: TypeKind,
        doc: usize,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let origin = self.origin(doc, pointer);
        let signature = self.signature(&kind);
        if !signature.is_empty() {
            if let Some(id) = self.unions_by_signature.get(&signature).copied() {
                self.adopt_locked_name(id, &origin);
                return TypeRef::Named(id);
            }
        }
        let wanted = match &kind {
            TypeKind::Tagged { variants, .. }
            | TypeKind::Untagged {
                variants,
                fallback_json: false,
            } => {
                let names: Vec<String> =
                    variants.iter().map(|v| self.variant_name(&v.ty)).collect();
                union_name(&names).unwrap_or_else(|| hint.to_string())
            }
            _ => hint.to_string(),
        };
        let name = self.claim_type(&wanted, &origin);
        let id = self.types.reserve(name.clone(), origin);
        let kind = match kind {
            TypeKind::Tagged { tag, variants } => TypeKind::Tagged {
                tag,
                variants: variants
                    .into_iter()
                    .map(|v| Variant {
                        rust: naming::variant_ident(&v.wire, &name),
                        ..v
                    })
                    .collect(),
            },
            other => other,
        };
        self.types.get_mut(id).kind = kind;
        if !signature.is_empty() {
            self.unions_by_signature.insert(signature, id);
        }
        TypeRef::Named(id)
    }
}

pub(super) enum UnionLowering {
    /// The union is really one type (or not typeable).
    Type(TypeRef),
    Kind(TypeKind),
}

/// `AssetUrl`, `AssetId`, `AssetBase64` -> `AssetUrlOrIdOrBase64`.
fn union_name(members: &[String]) -> Option<String> {
    let words: Vec<Vec<String>> = members.iter().map(|m| camel_words(m)).collect();
    let first = words.first()?;
    let mut prefix = 0;
    while prefix < first.len()
        && words
            .iter()
            .all(|w| w.len() > prefix + 1 && w[prefix] == first[prefix])
    {
        prefix += 1;
    }
    if prefix == 0 && members.len() > 3 {
        return None;
    }
    let suffixes: Vec<String> = words.iter().map(|w| w[prefix..].concat()).collect();
    Some(format!(
        "{}{}",
        first[..prefix].concat(),
        suffixes.join("Or")
    ))
}

fn camel_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() || words.is_empty() {
            words.push(String::new());
        }
        if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_names_from_members() {
        let names = |v: &[&str]| union_name(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            names(&["AssetUrl", "AssetId", "AssetBase64"]).as_deref(),
            Some("AssetUrlOrIdOrBase64")
        );
        assert_eq!(
            names(&["AssetUrl", "AssetId"]).as_deref(),
            Some("AssetUrlOrId")
        );
        assert_eq!(names(&["Cat", "Dog"]).as_deref(), Some("CatOrDog"));
    }
}
