//! Uses of schemas: every place a schema appears becomes a `TypeRef`, by `$ref` or inline.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::classify::{classify, docs_of, Class};
use super::unions::UnionLowering;
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::types::TypeRef;

impl<'m> Lowerer<'m> {
    pub(super) fn use_boxed(
        &mut self,
        doc: usize,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(doc, reference, pointer),
            ReferenceOr::Item(schema) => self.use_schema(doc, schema, hint, pointer),
        }
    }

    pub(super) fn use_schema_ref(
        &mut self,
        doc: usize,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(doc, reference, pointer),
            ReferenceOr::Item(schema) => self.use_schema(doc, schema, hint, pointer),
        }
    }

    pub(super) fn reference(
        &mut self,
        doc: usize,
        reference: &str,
        pointer: &str,
    ) -> Result<TypeRef> {
        let ty = self.resolve_reference(doc, reference, pointer)?;
        self.schema_types
            .insert(self.origin(doc, pointer), ty.clone());
        Ok(ty)
    }

    pub(super) fn resolve_reference(
        &self,
        doc: usize,
        reference: &str,
        pointer: &str,
    ) -> Result<TypeRef> {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            return Err(Error::spec(
                self.location(doc, pointer),
                format!("unsupported `$ref` `{reference}`: only local `#/components/schemas/...` references are supported for schemas"),
            ));
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        let merged_name = self.merged.schema_names[doc].get(&name);
        match merged_name.and_then(|merged| self.components.get(merged)) {
            Some(id) => Ok(TypeRef::Named(*id)),
            None => Err(Error::spec(
                self.location(doc, pointer),
                format!("dangling `$ref`: `{reference}` names no schema in this document"),
            )),
        }
    }

    pub(super) fn use_schema(
        &mut self,
        doc: usize,
        schema: &Schema,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef> {
        let ty = self.use_schema_inner(doc, schema, hint, pointer)?;
        self.schema_types
            .insert(self.origin(doc, pointer), ty.clone());
        Ok(ty)
    }

    fn use_schema_inner(
        &mut self,
        doc: usize,
        schema: &Schema,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef> {
        let nullable = schema.schema_data.nullable;
        let ty = match classify(schema) {
            Class::Str {
                values,
                nullable_value,
                ..
            } => {
                let ty = if values.is_empty() {
                    TypeRef::String
                } else {
                    self.inline_enum(&values, schema, hint, doc, pointer)
                };
                if nullable_value {
                    ty.nullable()
                } else {
                    ty
                }
            }
            Class::Integer(rust) => TypeRef::Integer(rust),
            Class::Number(rust) => TypeRef::Number(rust),
            Class::Boolean => TypeRef::Boolean,
            Class::Object {
                properties,
                required,
                additional,
            } => {
                if properties.is_empty() {
                    match additional {
                        Some(AdditionalProperties::Schema(inner)) => {
                            TypeRef::Map(Box::new(self.use_schema_ref(
                                doc,
                                inner,
                                &format!("{hint}Value"),
                                &format!("{pointer}/additionalProperties"),
                            )?))
                        }
                        _ => TypeRef::JsonObject,
                    }
                } else {
                    let origin = self.origin(doc, pointer);
                    let name = self.claim_type(hint, &origin);
                    let id = self.types.reserve(name.clone(), origin);
                    let kind =
                        self.struct_kind(doc, properties, required, additional, &name, pointer)?;
                    let def = self.types.get_mut(id);
                    def.kind = kind;
                    def.docs = docs_of(&schema.schema_data);
                    def.docs.examples.clear();
                    TypeRef::Named(id)
                }
            }
            Class::Array(items) => {
                let item = match items {
                    Some(items) => self.use_boxed(
                        doc,
                        items,
                        &format!("{hint}Item"),
                        &format!("{pointer}/items"),
                    )?,
                    None => TypeRef::Json,
                };
                TypeRef::Array(Box::new(item))
            }
            Class::OneOf(members) | Class::AnyOf(members) => {
                let (lowered, member_null) = self.union_kind(
                    doc,
                    members,
                    schema.schema_data.discriminator.as_ref(),
                    hint,
                    pointer,
                )?;
                let ty = match lowered {
                    UnionLowering::Type(ty) => ty,
                    UnionLowering::Kind(kind) => self.named_union(kind, doc, hint, pointer),
                };
                if member_null {
                    ty.nullable()
                } else {
                    ty
                }
            }
            Class::AllOf(members) => self.all_of(doc, schema, members, hint, pointer)?,
            Class::Null => TypeRef::Json,
            Class::Any => TypeRef::Json,
            Class::Not => {
                return Err(Error::spec(
                    self.location(doc, pointer),
                    "unsupported construct: `not` schemas cannot be typed",
                ))
            }
        };
        Ok(if nullable { ty.nullable() } else { ty })
    }

    pub(super) fn resolve_schema(
        &self,
        doc: usize,
        reference: &str,
        pointer: &str,
    ) -> Result<Schema> {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or(reference);
        let merged_name = self.merged.schema_names[doc].get(name);
        match merged_name.and_then(|m| self.merged.schema(m)) {
            Some((_, ReferenceOr::Item(schema))) => Ok(schema.clone()),
            Some((_, ReferenceOr::Reference { reference: inner })) => {
                self.resolve_schema(doc, inner, pointer)
            }
            None => Err(Error::spec(
                self.location(doc, pointer),
                format!("dangling `$ref`: `{reference}`"),
            )),
        }
    }
}
