//! Component schemas and the named structs they (and `allOf`s) define.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::classify::{classify, docs_of, Class};
use super::enums::{enum_values, sorted};
use super::unions::UnionLowering;
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::types::{Field, TypeId, TypeKind, TypeRef};
use crate::ir::Docs;
use crate::naming::{self, Namespace};
use crate::text::escape_token;

impl<'m> Lowerer<'m> {
    pub(super) fn components(&mut self) -> Result<()> {
        for merged_name in self.merged.schemas.keys() {
            let source = &self.merged.schemas[merged_name];
            let pointer = format!(
                "/components/schemas/{}",
                escape_token(&source.original_name)
            );
            let origin = self.origin(source.doc, &pointer);
            let rust = self.claim_type(&naming::type_ident(merged_name), &origin);
            let id = self.types.reserve(rust, origin);
            self.components.insert(merged_name.clone(), id);
        }
        // Enums first, so that inline copies of a component enum reuse it.
        let mut order: Vec<(bool, &String)> = Vec::new();
        for name in self.merged.schemas.keys() {
            let is_enum = matches!(self.merged.schema(name), Some((_, ReferenceOr::Item(s))) if matches!(classify(s), Class::Str { ref values, .. } if !values.is_empty()));
            order.push((!is_enum, name));
        }
        order.sort();
        for (_, merged_name) in order {
            let id = self.components[merged_name];
            let source = &self.merged.schemas[merged_name];
            let doc = source.doc;
            let pointer = format!(
                "/components/schemas/{}",
                escape_token(&source.original_name)
            );
            let Some((_, schema)) = self.merged.schema(merged_name) else {
                continue;
            };
            let name = self.types.get(id).name.clone();
            let (kind, docs) = match schema {
                ReferenceOr::Reference { reference } => (
                    TypeKind::Alias(self.reference(doc, reference, &pointer)?),
                    Docs::default(),
                ),
                ReferenceOr::Item(schema) => {
                    let kind = self.definition(doc, schema, id, &name, &pointer)?;
                    (kind, docs_of(&schema.schema_data))
                }
            };
            let def = self.types.get_mut(id);
            def.kind = kind;
            def.docs = docs;
            self.schema_types
                .insert(self.origin(doc, &pointer), TypeRef::Named(id));
        }
        Ok(())
    }

    /// The kind of a named type defined by `schema`.
    fn definition(
        &mut self,
        doc: usize,
        schema: &Schema,
        id: TypeId,
        name: &str,
        pointer: &str,
    ) -> Result<TypeKind> {
        let nullable = schema.schema_data.nullable;
        let kind = match classify(schema) {
            Class::Str { values, .. } if !values.is_empty() => {
                self.enums_by_values.entry(sorted(&values)).or_insert(id);
                TypeKind::Enum {
                    values: enum_values(&values, name, &mut self.notes),
                }
            }
            Class::Object {
                properties,
                required,
                additional,
            } if !properties.is_empty() => {
                self.struct_kind(doc, properties, required, additional, name, pointer)?
            }
            Class::OneOf(members) | Class::AnyOf(members) => {
                match self.union_kind(
                    doc,
                    members,
                    schema.schema_data.discriminator.as_ref(),
                    name,
                    pointer,
                )? {
                    (UnionLowering::Kind(kind), _) => {
                        if let TypeKind::Tagged { .. } = &kind {
                            self.unions_by_signature.insert(self.signature(&kind), id);
                        }
                        kind
                    }
                    (UnionLowering::Type(ty), member_null) => {
                        TypeKind::Alias(if member_null || nullable {
                            ty.nullable()
                        } else {
                            ty
                        })
                    }
                }
            }
            _ => {
                let ty = self.use_schema(doc, schema, &format!("{name}Value"), pointer)?;
                return Ok(TypeKind::Alias(ty));
            }
        };
        Ok(kind)
    }

    pub(super) fn struct_kind(
        &mut self,
        doc: usize,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        name: &str,
        pointer: &str,
    ) -> Result<TypeKind> {
        let mut field_names = Namespace::new();
        let mut fields = Vec::new();
        for (wire, schema) in properties {
            let field_pointer = format!("{pointer}/properties/{}", escape_token(wire));
            let hint = format!("{name}{}", naming::type_ident(wire));
            let ty = self.use_boxed(doc, schema, &hint, &field_pointer)?;
            let docs = match schema {
                ReferenceOr::Item(schema) => docs_of(&schema.schema_data),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            let wanted = naming::snake_ident(wire);
            let rust = field_names.claim(&wanted);
            if rust != wanted {
                self.notes.push(format!(
                    "field `{wire}` of `{name}`: `{wanted}` was taken, named `{rust}`"
                ));
            }
            fields.push(Field {
                wire: wire.clone(),
                rust,
                ty,
                required: required.contains(wire),
                docs,
            });
        }
        let extra = match additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(schema)) => Some(self.use_schema_ref(
                doc,
                schema,
                &format!("{name}Extra"),
                &format!("{pointer}/additionalProperties"),
            )?),
            _ => None,
        };
        Ok(TypeKind::Struct { fields, extra })
    }

    pub(super) fn all_of(
        &mut self,
        doc: usize,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef> {
        if let [only] = members {
            return self.use_schema_ref(doc, only, hint, &format!("{pointer}/allOf/0"));
        }
        // Several members: merge their properties into one struct.
        let mut properties: IndexMap<String, ReferenceOr<Box<Schema>>> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let resolved = match member {
                ReferenceOr::Item(schema) => schema.clone(),
                ReferenceOr::Reference { reference } => {
                    self.resolve_schema(doc, reference, pointer)?
                }
            };
            match classify(&resolved) {
                Class::Object {
                    properties: props,
                    required: req,
                    ..
                } => {
                    properties.extend(props.clone());
                    required.extend(req.iter().cloned());
                }
                _ => {
                    return Err(Error::spec(
                        self.location(doc, &format!("{pointer}/allOf/{index}")),
                        "unsupported construct: `allOf` member that is not an object",
                    ))
                }
            }
        }
        let origin = self.origin(doc, pointer);
        let name = self.claim_type(hint, &origin);
        let id = self.types.reserve(name.clone(), origin);
        let kind = self.struct_kind(doc, &properties, &required, None, &name, pointer)?;
        let def = self.types.get_mut(id);
        def.kind = kind;
        def.docs = docs_of(&schema.schema_data);
        Ok(TypeRef::Named(id))
    }
}
