//! Stage: the merged model -> the IR. Every schema use becomes a [`TypeRef`];
//! every object, enum and union becomes a named type in the arena, with inline
//! ones named after where they sit and deduplicated by shape.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Discriminator, IntegerFormat, MediaType, NumberFormat, Parameter,
    ParameterSchemaOrContent, ReferenceOr, Response, Schema, SchemaData, SchemaKind, StatusCode,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::naming::{self, Namespace};
use super::types::{EnumValue, Field, TypeId, TypeKind, TypeRef, TypeSpace, Variant};
use super::{
    Api, Docs, ErrorResponse, ErrorShape, Group, MultipartField, Operation, Pagination,
    ParamLocation, Parameter as IrParameter, Polling, RequestBody, Success,
};
use crate::config::ClientConfig;
use crate::error::{Error, Location, Result};
use crate::merge::{pointer_escape, Merged, MergedOperation};

/// Lowers the merged model; returns the API and notes for the report.
pub fn lower(merged: &Merged, config: &ClientConfig) -> Result<(Api, Vec<String>)> {
    let mut lowerer = Lowerer::new(merged);
    lowerer.components()?;
    let (mut operations, groups) = lowerer.operations(config)?;
    super::deprecation::apply(&mut operations, &groups, config)?;
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
    };
    Ok((api, notes))
}

/// What a schema is, whichever way `openapiv3` parsed it.
enum Class<'s> {
    Str {
        values: Vec<String>,
        nullable_value: bool,
        binary: bool,
    },
    Integer(&'static str),
    Number(&'static str),
    Boolean,
    Object {
        properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    OneOf(&'s [ReferenceOr<Schema>]),
    AnyOf(&'s [ReferenceOr<Schema>]),
    AllOf(&'s [ReferenceOr<Schema>]),
    Null,
    Any,
    Not,
}

fn classify(schema: &Schema) -> Class<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Class::Str {
            values: s.enumeration.iter().flatten().cloned().collect(),
            nullable_value: s.enumeration.iter().any(Option::is_none),
            binary: matches!(
                s.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
            ),
        },
        SchemaKind::Type(Type::Integer(i)) => Class::Integer(match &i.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => "i32",
            VariantOrUnknownOrEmpty::Unknown(f) if f == "uint32" => "u32",
            VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => "u64",
            _ => "i64",
        }),
        SchemaKind::Type(Type::Number(n)) => Class::Number(match &n.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => "f32",
            _ => "f64",
        }),
        SchemaKind::Type(Type::Boolean(_)) => Class::Boolean,
        SchemaKind::Type(Type::Object(o)) => Class::Object {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        },
        SchemaKind::Type(Type::Array(a)) => Class::Array(a.items.as_ref()),
        SchemaKind::OneOf { one_of } => Class::OneOf(one_of),
        SchemaKind::AnyOf { any_of } => Class::AnyOf(any_of),
        SchemaKind::AllOf { all_of } => Class::AllOf(all_of),
        SchemaKind::Not { .. } => Class::Not,
        SchemaKind::Any(any) => {
            if schema.schema_data.extensions.contains_key("x-null")
                || (any.enumeration.len() == 1 && any.enumeration[0].is_null())
            {
                return Class::Null;
            }
            if !any.one_of.is_empty() {
                return Class::OneOf(&any.one_of);
            }
            if !any.any_of.is_empty() {
                return Class::AnyOf(&any.any_of);
            }
            if !any.all_of.is_empty() {
                return Class::AllOf(&any.all_of);
            }
            match any.typ.as_deref() {
                Some("object") | None
                    if !any.properties.is_empty() || any.additional_properties.is_some() =>
                {
                    Class::Object {
                        properties: &any.properties,
                        required: &any.required,
                        additional: any.additional_properties.as_ref(),
                    }
                }
                Some("object") => Class::Object {
                    properties: &any.properties,
                    required: &any.required,
                    additional: None,
                },
                Some("array") => Class::Array(any.items.as_ref()),
                Some("string") => Class::Str {
                    values: any
                        .enumeration
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    nullable_value: any.enumeration.iter().any(Value::is_null),
                    binary: any.format.as_deref() == Some("binary"),
                },
                Some("integer") => Class::Integer("i64"),
                Some("number") => Class::Number("f64"),
                Some("boolean") => Class::Boolean,
                _ if any.items.is_some() => Class::Array(any.items.as_ref()),
                _ => Class::Any,
            }
        }
    }
}

pub fn docs_of(data: &SchemaData) -> Docs {
    let mut examples = match data.extensions.get("x-examples") {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    if examples.is_empty() {
        examples.extend(data.example.clone());
    }
    Docs {
        summary: None,
        description: data
            .description
            .clone()
            .or_else(|| data.title.clone().filter(|_| false)),
        examples,
        default: data.default.clone(),
        deprecated: data.deprecated,
    }
}

struct Lowerer<'m> {
    merged: &'m Merged,
    types: TypeSpace,
    names: Namespace,
    components: BTreeMap<String, TypeId>,
    enums_by_values: BTreeMap<Vec<String>, TypeId>,
    unions_by_signature: BTreeMap<String, TypeId>,
    tag_strips: BTreeSet<(TypeId, String)>,
    schema_types: BTreeMap<String, TypeRef>,
    notes: Vec<String>,
}

impl<'m> Lowerer<'m> {
    fn new(merged: &'m Merged) -> Self {
        Lowerer {
            merged,
            types: TypeSpace::default(),
            names: Namespace::new(),
            components: BTreeMap::new(),
            enums_by_values: BTreeMap::new(),
            unions_by_signature: BTreeMap::new(),
            tag_strips: BTreeSet::new(),
            schema_types: BTreeMap::new(),
            notes: Vec::new(),
        }
    }

    fn location(&self, doc: usize, pointer: &str) -> Location {
        Location::new(&self.merged.docs[doc].path, pointer)
    }

    fn origin(&self, doc: usize, pointer: &str) -> String {
        format!("{}#{pointer}", self.merged.docs[doc].id)
    }

    // ----- component schemas -------------------------------------------------------------

    fn components(&mut self) -> Result<()> {
        for merged_name in self.merged.schemas.keys() {
            let rust = self.names.claim(&naming::type_ident(merged_name));
            let source = &self.merged.schemas[merged_name];
            let pointer = format!(
                "/components/schemas/{}",
                pointer_escape(&source.original_name)
            );
            let id = self.types.reserve(rust, self.origin(source.doc, &pointer));
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
                pointer_escape(&source.original_name)
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

    fn struct_kind(
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
            let field_pointer = format!("{pointer}/properties/{}", pointer_escape(wire));
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

    // ----- uses of schemas ---------------------------------------------------------------

    fn use_boxed(
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

    fn use_schema_ref(
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

    fn reference(&mut self, doc: usize, reference: &str, pointer: &str) -> Result<TypeRef> {
        let ty = self.resolve_reference(doc, reference, pointer)?;
        self.schema_types
            .insert(self.origin(doc, pointer), ty.clone());
        Ok(ty)
    }

    fn resolve_reference(&self, doc: usize, reference: &str, pointer: &str) -> Result<TypeRef> {
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

    fn use_schema(
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
                    let name = self.names.claim(hint);
                    let id = self.types.reserve(name.clone(), self.origin(doc, pointer));
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

    fn all_of(
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
        let name = self.names.claim(hint);
        let id = self.types.reserve(name.clone(), self.origin(doc, pointer));
        let kind = self.struct_kind(doc, &properties, &required, None, &name, pointer)?;
        let def = self.types.get_mut(id);
        def.kind = kind;
        def.docs = docs_of(&schema.schema_data);
        Ok(TypeRef::Named(id))
    }

    fn resolve_schema(&self, doc: usize, reference: &str, pointer: &str) -> Result<Schema> {
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

    fn inline_enum(
        &mut self,
        values: &[String],
        schema: &Schema,
        hint: &str,
        doc: usize,
        pointer: &str,
    ) -> TypeRef {
        let key = sorted(values);
        if let Some(id) = self.enums_by_values.get(&key) {
            return TypeRef::Named(*id);
        }
        let name = self.names.claim(hint);
        let id = self.types.reserve(name.clone(), self.origin(doc, pointer));
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

    // ----- unions ------------------------------------------------------------------------

    fn union_kind(
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
        if let Some(discriminator) = discriminator {
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
    fn signature(&self, kind: &TypeKind) -> String {
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
    fn named_union(&mut self, kind: TypeKind, doc: usize, hint: &str, pointer: &str) -> TypeRef {
        let signature = self.signature(&kind);
        if !signature.is_empty() {
            if let Some(id) = self.unions_by_signature.get(&signature) {
                return TypeRef::Named(*id);
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
        let name = self.names.claim(&wanted);
        let id = self.types.reserve(name.clone(), self.origin(doc, pointer));
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

    /// Types reached from no component schema and no operation are not emitted,
    /// and places whose type is not emitted are forgotten.
    fn mark_unused(&mut self, operations: &[Operation]) {
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
    fn alias_superseded_places(&mut self) {
        let mut prefixes: Vec<(String, String)> = Vec::new();
        for op in &self.merged.operations {
            let pointer = format!(
                "/paths/{}/{}",
                pointer_escape(&op.path),
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
                        pointer_escape(&source.original_name)
                    );
                    let loser = format!("/components/schemas/{}", pointer_escape(original));
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
    fn strip_tags(&mut self) {
        for (id, tag) in std::mem::take(&mut self.tag_strips) {
            if let TypeKind::Struct { fields, .. } = &mut self.types.get_mut(id).kind {
                fields.retain(|field| field.wire != tag);
            }
        }
    }

    fn check_alias_cycles(&self) -> Result<()> {
        for (start, def) in self.types.iter_by_name() {
            let mut seen = BTreeSet::from([start]);
            let mut current = &def.kind;
            while let TypeKind::Alias(ty) = current {
                let TypeRef::Named(next) = ty.non_null() else {
                    break;
                };
                if !seen.insert(*next) {
                    let (doc, pointer) = def.origin.split_once('#').unwrap_or((&def.origin, ""));
                    let file = self
                        .merged
                        .docs
                        .iter()
                        .find(|d| d.id == doc)
                        .map(|d| d.path.clone())
                        .unwrap_or_default();
                    return Err(Error::spec(
                        Location::new(file, pointer),
                        "`$ref` cycle: the schema refers to itself only through references",
                    ));
                }
                current = &self.types.get(*next).kind;
            }
        }
        Ok(())
    }

    // ----- operations --------------------------------------------------------------------

    fn operations(&mut self, config: &ClientConfig) -> Result<(Vec<Operation>, Vec<Group>)> {
        // Groups first: (legacy, tag) -> index, in sorted order.
        let mut group_keys: BTreeSet<(bool, String)> = BTreeSet::new();
        for op in &self.merged.operations {
            group_keys.insert((config.is_legacy(&op.path), group_tag(op)));
        }
        // v3 and legacy groups live in different modules, so each has its own namespace.
        let reserved =
            || Namespace::with_taken(["legacy", "types", "runtime", "lib"].map(String::from));
        let (mut modules, mut legacy_modules) = (reserved(), reserved());
        let groups: Vec<Group> = group_keys
            .iter()
            .map(|(legacy, tag)| {
                let namespace = if *legacy {
                    &mut legacy_modules
                } else {
                    &mut modules
                };
                let module = namespace.claim(&naming::snake_ident(tag));
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
        let mut method_names: BTreeMap<usize, Namespace> = BTreeMap::new();
        let mut operations = Vec::new();
        for (op, (group, short, full)) in self.merged.operations.iter().zip(wanted.iter()) {
            let preferred = if counts[&(*group, short.as_str())] > 1 {
                full
            } else {
                short
            };
            let namespace = method_names.entry(*group).or_default();
            let name = namespace.claim(preferred);
            let legacy = groups[*group].legacy;
            let lowered = self.operation(op, name, *group, legacy, config)?;
            operations.push(lowered);
        }
        operations.sort_by(|a, b| (a.group, &a.name).cmp(&(b.group, &b.name)));
        Ok((operations, groups))
    }

    fn operation(
        &mut self,
        op: &MergedOperation,
        name: String,
        group: usize,
        legacy: bool,
        config: &ClientConfig,
    ) -> Result<Operation> {
        let doc = op.doc;
        let method_key = op.method.as_str().to_ascii_lowercase();
        let pointer = format!("/paths/{}/{method_key}", pointer_escape(&op.path));
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
        let (success, errors) = self.responses(op, &hint_base, &pointer)?;
        let idempotent = params.iter().any(|p| {
            p.location == ParamLocation::Header && p.wire.eq_ignore_ascii_case("idempotency-key")
        });
        let pagination = match &success {
            Success::Page(item)
                if params
                    .iter()
                    .any(|p| p.location == ParamLocation::Query && p.wire == "token") =>
            {
                Some(Pagination {
                    token_param: "token".into(),
                    item: item.clone(),
                })
            }
            _ => None,
        };
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
            errors,
            idempotent,
            pagination,
            polling,
            deprecation: None,
        })
    }

    fn parameters(
        &mut self,
        op: &MergedOperation,
        hint_base: &str,
        pointer: &str,
    ) -> Result<Vec<IrParameter>> {
        let doc = op.doc;
        let mut declared: Vec<(String, Parameter)> = Vec::new();
        let path_item_pointer = pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        let sources = op
            .path_item_params
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{path_item_pointer}/parameters/{i}"), p))
            .chain(
                op.operation
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p)),
            );
        for (param_pointer, param) in sources {
            let param = self.resolve_parameter(doc, param, &param_pointer)?;
            let key = (param.parameter_data_ref().name.clone(), location_of(&param));
            declared.retain(|(_, existing)| {
                (
                    existing.parameter_data_ref().name.clone(),
                    location_of(existing),
                ) != key
            });
            declared.push((param_pointer, param));
        }
        let mut names = Namespace::new();
        let mut params = Vec::new();
        for (param_pointer, param) in &declared {
            let data = param.parameter_data_ref();
            let location = match param {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    return Err(Error::spec(
                        self.location(doc, param_pointer),
                        "unsupported construct: cookie parameters",
                    ))
                }
            };
            let hint = format!("{hint_base}{}", naming::type_ident(&data.name));
            let (ty, mut docs) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let docs = match schema {
                        ReferenceOr::Item(s) => docs_of(&s.schema_data),
                        ReferenceOr::Reference { .. } => Docs::default(),
                    };
                    (
                        self.use_schema_ref(
                            doc,
                            schema,
                            &hint,
                            &format!("{param_pointer}/schema"),
                        )?,
                        docs,
                    )
                }
                ParameterSchemaOrContent::Content(_) => (TypeRef::Json, Docs::default()),
            };
            docs.description = data.description.clone().or(docs.description);
            if let Some(example) = &data.example {
                docs.examples = vec![example.clone()];
            }
            let required = data.required || location == ParamLocation::Path;
            params.push(IrParameter {
                rust: names.claim(&naming::snake_ident(&data.name)),
                wire: data.name.clone(),
                location,
                ty,
                required,
                docs,
            });
        }
        // Template variables the document forgot to declare.
        for variable in path_variables(&op.path) {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire == variable)
            {
                self.notes.push(format!(
                    "{}: path parameter `{variable}` is not declared; added as a required string",
                    self.origin(doc, pointer)
                ));
                params.push(IrParameter {
                    rust: names.claim(&naming::snake_ident(&variable)),
                    wire: variable,
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    docs: Docs::default(),
                });
            }
        }
        for param in &params {
            if param.location == ParamLocation::Path
                && !path_variables(&op.path).contains(&param.wire)
            {
                return Err(Error::spec(
                    self.location(doc, pointer),
                    format!(
                        "path parameter `{}` does not appear in the path `{}`",
                        param.wire, op.path
                    ),
                ));
            }
        }
        Ok(params)
    }

    fn resolve_parameter(
        &self,
        doc: usize,
        param: &ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<Parameter> {
        self.resolve_component(doc, param, "parameters", |c| &c.parameters, pointer)
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

    fn request_body(
        &mut self,
        doc: usize,
        body: &ReferenceOr<openapiv3::RequestBody>,
        hint_base: &str,
        pointer: &str,
    ) -> Result<RequestBody> {
        let body =
            self.resolve_component(doc, body, "requestBodies", |c| &c.request_bodies, pointer)?;
        let hint = format!("{hint_base}Request");
        if let Some(media) = body.content.get("application/json") {
            let media_pointer = format!("{pointer}/content/application~1json/schema");
            let ty = match &media.schema {
                Some(schema) => self.use_schema_ref(doc, schema, &hint, &media_pointer)?,
                None => TypeRef::Json,
            };
            return Ok(RequestBody::Json {
                ty,
                required: body.required,
            });
        }
        if let Some(media) = body.content.get("multipart/form-data") {
            let media_pointer = format!("{pointer}/content/multipart~1form-data/schema");
            return self.multipart(doc, media, &hint, &media_pointer);
        }
        Ok(RequestBody::Raw {
            content_type: body.content.keys().next().cloned(),
        })
    }

    fn multipart(
        &mut self,
        doc: usize,
        media: &MediaType,
        hint: &str,
        pointer: &str,
    ) -> Result<RequestBody> {
        let schema = match &media.schema {
            Some(ReferenceOr::Item(schema)) => schema.clone(),
            Some(ReferenceOr::Reference { reference }) => {
                self.resolve_schema(doc, reference, pointer)?
            }
            None => return Ok(RequestBody::Multipart { fields: Vec::new() }),
        };
        let Class::Object {
            properties,
            required,
            ..
        } = classify(&schema)
        else {
            return Err(Error::spec(
                self.location(doc, pointer),
                "unsupported construct: a multipart body that is not an object",
            ));
        };
        let mut names = Namespace::with_taken(["client".to_string()]);
        let mut fields = Vec::new();
        for (wire, property) in properties {
            let field_pointer = format!("{pointer}/properties/{}", pointer_escape(wire));
            let (is_file, docs) = match property {
                ReferenceOr::Item(s) => (
                    matches!(classify(s), Class::Str { binary: true, .. }),
                    docs_of(&s.schema_data),
                ),
                ReferenceOr::Reference { .. } => (false, Docs::default()),
            };
            let ty = if is_file {
                None
            } else {
                Some(self.use_boxed(
                    doc,
                    property,
                    &format!("{hint}{}", naming::type_ident(wire)),
                    &field_pointer,
                )?)
            };
            fields.push(MultipartField {
                rust: names.claim(&naming::snake_ident(wire)),
                wire: wire.clone(),
                required: required.contains(wire),
                ty,
                docs,
            });
        }
        Ok(RequestBody::Multipart { fields })
    }

    fn responses(
        &mut self,
        op: &MergedOperation,
        hint_base: &str,
        pointer: &str,
    ) -> Result<(Success, Vec<ErrorResponse>)> {
        let doc = op.doc;
        let mut success = None;
        let mut errors = Vec::new();
        for (status, response) in &op.operation.responses.responses {
            let StatusCode::Code(code) = status else {
                continue;
            };
            let response_pointer = format!("{pointer}/responses/{code}");
            let response = self.resolve_response(doc, response, &response_pointer)?;
            if (200..300).contains(code) {
                if success.is_none() {
                    success = Some(self.success(doc, &response, hint_base, &response_pointer)?);
                }
            } else if *code >= 400 {
                self.error_body_types(
                    doc,
                    &response,
                    &format!("{hint_base}Error{code}"),
                    &response_pointer,
                )?;
                let shape = self.error_shape(doc, &response);
                let mut headers: Vec<String> = response.headers.keys().cloned().collect();
                headers.sort();
                errors.push(ErrorResponse {
                    status: *code,
                    shape,
                    description: response.description.clone(),
                    headers,
                });
            }
        }
        errors.sort_by_key(|e| e.status);
        Ok((success.unwrap_or(Success::Empty), errors))
    }

    fn resolve_response(
        &self,
        doc: usize,
        response: &ReferenceOr<Response>,
        pointer: &str,
    ) -> Result<Response> {
        self.resolve_component(doc, response, "responses", |c| &c.responses, pointer)
    }

    fn success(
        &mut self,
        doc: usize,
        response: &Response,
        hint_base: &str,
        pointer: &str,
    ) -> Result<Success> {
        let Some((media_type, media)) = response.content.iter().next() else {
            return Ok(Success::Empty);
        };
        let is_json = media_type.contains("json");
        if !is_json {
            return Ok(if media_type.starts_with("text/") {
                Success::Text
            } else {
                Success::Bytes
            });
        }
        let schema_pointer = format!("{pointer}/content/{}/schema", pointer_escape(media_type));
        let Some(schema) = &media.schema else {
            return Ok(Success::Json(TypeRef::Json));
        };
        if let ReferenceOr::Item(schema) = schema {
            if let Class::Object { properties, .. } = classify(schema) {
                let keys: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
                if let Some(data) = properties.get("data") {
                    let data_pointer = format!("{schema_pointer}/properties/data");
                    let data_hint = format!("{hint_base}Data");
                    if keys == BTreeSet::from(["data"]) {
                        return Ok(Success::Envelope(self.use_boxed(
                            doc,
                            data,
                            &data_hint,
                            &data_pointer,
                        )?));
                    }
                    if keys == BTreeSet::from(["data", "has_more", "next_token"]) {
                        if let TypeRef::Array(item) =
                            self.use_boxed(doc, data, &data_hint, &data_pointer)?
                        {
                            for cursor in ["has_more", "next_token"] {
                                let cursor_pointer =
                                    format!("{schema_pointer}/properties/{cursor}");
                                self.use_boxed(
                                    doc,
                                    &properties[cursor],
                                    &data_hint,
                                    &cursor_pointer,
                                )?;
                            }
                            return Ok(Success::Page(*item));
                        }
                    }
                }
            }
        }
        let ty = self.use_schema_ref(
            doc,
            schema,
            &format!("{hint_base}Response"),
            &schema_pointer,
        )?;
        Ok(Success::Json(ty))
    }

    /// Lowers what an error body contains (the envelope's members, or the referenced
    /// schema), so that every place in the spec has a known Rust type.
    fn error_body_types(
        &mut self,
        doc: usize,
        response: &Response,
        hint: &str,
        pointer: &str,
    ) -> Result<()> {
        for (media_type, media) in &response.content {
            let schema_pointer = format!("{pointer}/content/{}/schema", pointer_escape(media_type));
            match &media.schema {
                Some(ReferenceOr::Item(schema)) => {
                    if let Class::Object { properties, .. } = classify(schema) {
                        for (name, property) in properties {
                            let property_pointer =
                                format!("{schema_pointer}/properties/{}", pointer_escape(name));
                            self.use_boxed(
                                doc,
                                property,
                                &format!("{hint}{}", naming::type_ident(name)),
                                &property_pointer,
                            )?;
                        }
                    }
                }
                Some(schema) => {
                    self.use_schema_ref(doc, schema, hint, &schema_pointer)?;
                }
                None => {}
            }
        }
        Ok(())
    }

    fn error_shape(&self, doc: usize, response: &Response) -> ErrorShape {
        let schema = response
            .content
            .values()
            .next()
            .and_then(|m| m.schema.clone());
        let schema = match schema {
            Some(ReferenceOr::Item(schema)) => schema,
            Some(ReferenceOr::Reference { reference }) => {
                match self.resolve_schema(doc, &reference, "") {
                    Ok(schema) => schema,
                    Err(_) => return ErrorShape::Legacy,
                }
            }
            None => return ErrorShape::Legacy,
        };
        match classify(&schema) {
            Class::Object { properties, .. } => {
                if properties.contains_key("error") {
                    if properties.contains_key("data") {
                        ErrorShape::LegacyEnvelope
                    } else {
                        ErrorShape::Standard
                    }
                } else if properties.contains_key("code") && properties.contains_key("message") {
                    ErrorShape::LegacyFlat
                } else {
                    ErrorShape::Legacy
                }
            }
            _ => ErrorShape::Legacy,
        }
    }
}

enum UnionLowering {
    /// The union is really one type (or not typeable).
    Type(TypeRef),
    Kind(TypeKind),
}

fn sorted(values: &[String]) -> Vec<String> {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    values
}

fn enum_values(values: &[String], enum_name: &str, notes: &mut Vec<String>) -> Vec<EnumValue> {
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

fn location_of(param: &Parameter) -> u8 {
    match param {
        Parameter::Path { .. } => 0,
        Parameter::Query { .. } => 1,
        Parameter::Header { .. } => 2,
        Parameter::Cookie { .. } => 3,
    }
}

pub fn path_variables(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + end].to_string());
        rest = &rest[start + end + 1..];
    }
    out
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

    #[test]
    fn path_variables_in_order() {
        assert_eq!(path_variables("/v3/a/{x}/b/{y_z}"), vec!["x", "y_z"]);
        assert!(path_variables("/v1/video.delete").is_empty());
    }
}
