//! What a schema is, whichever way `openapiv3` parsed it, and the docs it carries.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::ir::Docs;

/// What a schema is, whichever way `openapiv3` parsed it.
pub(super) enum Class<'s> {
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

pub(super) fn classify(schema: &Schema) -> Class<'_> {
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
