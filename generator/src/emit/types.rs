//! IR types -> `src/types.rs` of the generated crate.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::conversions::from_variants;
use super::deserialize::{DeField, FieldKind};
use super::directions;
use super::docs::{doc_attrs, render};
use super::facts::TypeFacts;
use crate::ir::directions::SerdeTraits;
use crate::ir::{Api, Field, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace};
use crate::naming::is_keyword;

/// A field or variable identifier; keywords become raw identifiers (`r#type`).
pub fn ident(name: &str) -> Ident {
    if is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// How a named type is spelled where it is used.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Inside `types.rs`.
    Types,
    /// Anywhere else in the crate.
    Crate,
}

pub fn type_tokens(types: &TypeSpace, ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer(name) | TypeRef::Number(name) => {
            let name = format_ident!("{}", name);
            quote!(#name)
        }
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Named(id) => {
            let name = format_ident!("{}", types.get(*id).name);
            match scope {
                Scope::Types => quote!(#name),
                Scope::Crate => quote!(crate::types::#name),
            }
        }
        TypeRef::Array(inner) => {
            let inner = type_tokens(types, inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(types, inner, scope);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(types, inner, scope);
            quote!(Option<#inner>)
        }
    }
}

/// The whole `types.rs` module body.
pub fn emit_types(api: &Api, facts: &TypeFacts) -> TokenStream {
    let items = api
        .types
        .iter_by_name()
        .map(|(id, def)| facts.gates.apply(id, emit_type(&api.types, facts, id, def)));
    quote! {
        //! Every schema of the API as a Rust type.
        //!
        //! Enums keep values this version does not know in an `Unknown` variant, and
        //! unions keep unknown shapes as raw JSON, so that new server values decode.

        #( #items )*
    }
}

fn emit_type(types: &TypeSpace, facts: &TypeFacts, id: TypeId, def: &TypeDef) -> TokenStream {
    let docs = doc_attrs(&type_docs(def));
    let name = format_ident!("{}", def.name);
    let serde_traits = facts.directions.traits(id);
    let serde_derives = directions::derives(serde_traits, true);
    let full_serde = directions::full_serde_derives(serde_traits, true);
    match &def.kind {
        TypeKind::Struct { fields, extra } => {
            emit_struct(types, facts, id, &name, docs, fields, extra.as_ref())
        }
        TypeKind::Enum { values } => emit_enum(&name, docs, values),
        TypeKind::Tagged { tag, variants } => {
            let boxed = boxed_indices(facts, id, variants.len());
            let from_variants = from_variants(types, &facts.newtypes, &name, variants, &boxed);
            let tagged = Tagged {
                name: &name,
                tag,
                variants,
                boxed: &boxed,
            };
            emit_tagged(types, tagged, docs, from_variants, serde_traits)
        }
        TypeKind::Untagged {
            variants,
            fallback_json,
        } => {
            let boxed = boxed_indices(facts, id, variants.len());
            let from_variants = from_variants(types, &facts.newtypes, &name, variants, &boxed);
            let variants = variants.iter().enumerate().map(|(index, v)| {
                let variant = format_ident!("{}", v.rust);
                let ty = variant_type(types, v, boxed[index]);
                quote!(#variant(#ty))
            });
            let fallback = fallback_json.then(|| {
                quote! {
                    /// Any other value, kept as raw JSON.
                    Other(serde_json::Value)
                }
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, #( #serde_derives ),*)]
                #full_serde
                #[serde(untagged)]
                pub enum #name { #( #variants, )* #fallback }

                #( #from_variants )*
            }
        }
        TypeKind::Alias(ty) if facts.newtypes.contains(&id) => {
            let ty = type_tokens(types, ty, Scope::Types);
            quote! {
                #docs
                #[derive(Debug, Clone, Default, PartialEq, #( #serde_derives ),*)]
                #full_serde
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
        TypeKind::Alias(ty) => {
            let ty = type_tokens(types, ty, Scope::Types);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

fn type_docs(def: &TypeDef) -> String {
    let mut text = render(&def.docs);
    if text.is_empty() {
        let pointer = def
            .origin
            .split_once('#')
            .map(|(_, p)| p)
            .unwrap_or(&def.origin);
        text = format!("{}.", super::docs::describe_pointer(pointer));
    }
    text
}

fn emit_struct(
    types: &TypeSpace,
    facts: &TypeFacts,
    id: TypeId,
    name: &Ident,
    docs: TokenStream,
    fields: &[Field],
    extra: Option<&TypeRef>,
) -> TokenStream {
    let in_patch = facts.patch.contains(&id);
    let all_optional = fields.iter().all(|f| !f.required);
    let serde_traits = facts.directions.traits(id);
    // A flattened map needs the derive's buffering; every other struct gets
    // the written-out `Deserialize` of `deserialize.rs`.
    let derive_deserialize = extra.is_some();
    let shapes: Vec<(TokenStream, FieldKind)> = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            field_type(types, field, facts.boxed.contains(&(id, index)), in_patch)
        })
        .collect();
    let field_tokens = fields.iter().zip(&shapes).map(|(field, (ty, kind))| {
        field_tokens(field, ty, *kind, serde_traits, derive_deserialize)
    });
    let extra = extra.map(|ty| {
        let value = type_tokens(types, ty, Scope::Types);
        let map = if *ty == TypeRef::Json {
            quote!(serde_json::Map<String, serde_json::Value>)
        } else {
            quote!(std::collections::BTreeMap<String, #value>)
        };
        quote! {
            /// Properties not declared by the schema, kept as sent.
            #[serde(flatten)]
            pub extra: #map,
        }
    });
    let deserialize_impl = (!derive_deserialize).then(|| {
        let de_fields: Vec<DeField> = fields
            .iter()
            .zip(&shapes)
            .map(|(field, (_, kind))| DeField {
                wire: field.wire.clone(),
                rust: ident(&field.rust),
                kind: *kind,
            })
            .collect();
        let gate = directions::impl_gate(serde_traits.deserialize);
        super::deserialize::struct_impl(name, &de_fields, gate)
    });
    let default = all_optional.then(|| quote!(Default,));
    let new = constructor(types, facts, id, name, fields, extra.is_some());
    let setters = setters(types, facts, id, fields);
    let serde_derives = directions::derives(serde_traits, derive_deserialize);
    let full_serde = directions::full_serde_derives(serde_traits, derive_deserialize);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default #( #serde_derives ),*)]
        #full_serde
        // A field added in a later release must not break callers: values are
        // built with `new` and the setters, never with a struct literal.
        #[non_exhaustive]
        pub struct #name {
            #( #field_tokens )*
            #extra
        }

        #deserialize_impl

        impl #name {
            #new
            #( #setters )*
        }
    }
}

/// The Rust type of a field, and how it is read.
fn field_type(
    types: &TypeSpace,
    field: &Field,
    boxed: bool,
    in_patch: bool,
) -> (TokenStream, FieldKind) {
    let mut inner = type_tokens(types, field.ty.non_null(), Scope::Types);
    if boxed {
        inner = quote!(Box<#inner>);
    }
    match (field.required, field.ty.is_nullable()) {
        (true, false) => (inner, FieldKind::Required),
        (true, true) => (quote!(Option<#inner>), FieldKind::Nullable),
        // A present `null` must read back as `Some(Nullable::Null)`, not `None`.
        (false, true) if in_patch => (
            quote!(Option<crate::runtime::Nullable<#inner>>),
            FieldKind::Present,
        ),
        (false, _) => (quote!(Option<#inner>), FieldKind::Optional),
    }
}

/// A field with its docs and serde attributes. With `derive_deserialize`
/// the attributes serve both derives; otherwise only `Serialize`'s, and they
/// are behind `full-serde` when that derive is.
fn field_tokens(
    field: &Field,
    ty: &TokenStream,
    kind: FieldKind,
    serde_traits: SerdeTraits,
    derive_deserialize: bool,
) -> TokenStream {
    let name = ident(&field.rust);
    let docs = doc_attrs(&render(&field.docs));
    let wire = &field.wire;
    let renamed = field.rust != field.wire;
    let attrs = if derive_deserialize {
        let rename = renamed.then(|| quote!(#[serde(rename = #wire)]));
        let optional = match kind {
            FieldKind::Required | FieldKind::Nullable => quote!(),
            FieldKind::Optional => {
                quote!(#[serde(default, skip_serializing_if = "Option::is_none")])
            }
            FieldKind::Present => quote!(#[serde(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "crate::runtime::Nullable::deserialize_present"
            )]),
        };
        quote!(#rename #optional)
    } else {
        let rename =
            renamed.then(|| directions::serialize_attr(serde_traits, quote!(rename = #wire)));
        let skip = matches!(kind, FieldKind::Optional | FieldKind::Present).then(|| {
            directions::serialize_attr(
                serde_traits,
                quote!(skip_serializing_if = "Option::is_none"),
            )
        });
        quote!(#rename #skip)
    };
    quote! {
        #docs
        #attrs
        pub #name: #ty,
    }
}

/// `new`: takes the required fields (anything that converts into them),
/// leaves the optional ones unset.
fn constructor(
    types: &TypeSpace,
    facts: &TypeFacts,
    id: TypeId,
    name: &Ident,
    fields: &[Field],
    has_extra: bool,
) -> TokenStream {
    if fields.iter().all(|f| !f.required) {
        return quote! {
            /// A value with every field unset.
            pub fn new() -> Self {
                Self::default()
            }
        };
    }
    let mut params = Vec::new();
    let mut values = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let field_name = ident(&field.rust);
        if !field.required {
            values.push(quote!(#field_name: None));
            continue;
        }
        let inner = type_tokens(types, field.ty.non_null(), Scope::Types);
        let boxed = facts.boxed.contains(&(id, index));
        let (param, value) = match (field.ty.is_nullable(), boxed) {
            (false, false) => (quote!(impl Into<#inner>), quote!(#field_name.into())),
            (false, true) => (
                quote!(impl Into<#inner>),
                quote!(Box::new(#field_name.into())),
            ),
            (true, false) => (quote!(Option<#inner>), quote!(#field_name)),
            (true, true) => (quote!(Option<#inner>), quote!(#field_name.map(Box::new))),
        };
        params.push(quote!(#field_name: #param));
        if field_name == value.to_string() {
            values.push(quote!(#field_name));
        } else {
            values.push(quote!(#field_name: #value));
        }
    }
    let extra = has_extra.then(|| quote!(extra: Default::default(),));
    let lint = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        /// A value with the required fields given and every optional field unset.
        #lint
        pub fn new(#( #params ),*) -> Self {
            #name { #( #values, )* #extra }
        }
    }
}

/// One chainable setter per field, named after it (`with_<field>` where that
/// name is taken by `new`); a PATCH field that can be sent as `null` also gets
/// `clear_<field>`.
fn setters(types: &TypeSpace, facts: &TypeFacts, id: TypeId, fields: &[Field]) -> Vec<TokenStream> {
    let in_patch = facts.patch.contains(&id);
    let mut taken: std::collections::BTreeSet<String> =
        fields.iter().map(|f| f.rust.clone()).collect();
    taken.insert("new".into());
    let mut setters = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let field_name = ident(&field.rust);
        let plain = field.rust.trim_start_matches("r#");
        let setter = if plain == "new" {
            format_ident!("with_new")
        } else {
            field_name.clone()
        };
        let inner = type_tokens(types, field.ty.non_null(), Scope::Types);
        let mut value = quote!(value.into());
        if facts.boxed.contains(&(id, index)) {
            value = quote!(Box::new(#value));
        }
        let patch_nullable = in_patch && !field.required && field.ty.is_nullable();
        let assigned = match (field.required, field.ty.is_nullable()) {
            (true, false) => value,
            _ if patch_nullable => quote!(Some(crate::runtime::Nullable::Value(#value))),
            _ => quote!(Some(#value)),
        };
        let doc = format!(" Sets `{}`.", field.wire);
        setters.push(quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl Into<#inner>) -> Self {
                self.#field_name = #assigned;
                self
            }
        });
        let clear = format!("clear_{plain}");
        if patch_nullable && taken.insert(clear.clone()) {
            let clear = format_ident!("{}", clear);
            let doc = format!(
                " Sends `{}` as `null`, clearing it on the server.",
                field.wire
            );
            setters.push(quote! {
                #[doc = #doc]
                pub fn #clear(mut self) -> Self {
                    self.#field_name = Some(crate::runtime::Nullable::Null);
                    self
                }
            });
        }
    }
    setters
}

fn emit_enum(name: &Ident, docs: TokenStream, values: &[crate::ir::EnumValue]) -> TokenStream {
    let variants = values.iter().map(|v| {
        let variant = format_ident!("{}", v.rust);
        let doc = format!(" `{}`", v.wire);
        quote! { #[doc = #doc] #variant }
    });
    let wires = values.iter().map(|v| {
        let variant = format_ident!("{}", v.rust);
        let wire = &v.wire;
        quote!(#variant => #wire)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        // New server values arrive as new variants in a later release; a `match`
        // outside the crate keeps a wildcard arm so that this is not breaking.
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
            /// A value this version of the crate does not know yet.
            Unknown(String),
        }

        crate::runtime::string_enum!(#name { #( #wires ),* });
    }
}

/// For each variant of union `id`, whether it is held in a `Box`.
fn boxed_indices(facts: &TypeFacts, id: TypeId, count: usize) -> Vec<bool> {
    (0..count)
        .map(|index| facts.boxed_variants.contains(&(id, index)))
        .collect()
}

/// The type a union variant holds: its type, or a `Box` of it.
fn variant_type(types: &TypeSpace, variant: &crate::ir::Variant, boxed: bool) -> TokenStream {
    let ty = type_tokens(types, &variant.ty, Scope::Types);
    if boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

/// A union told apart by a tag property, as `emit_tagged` writes it.
struct Tagged<'a> {
    name: &'a Ident,
    tag: &'a str,
    variants: &'a [crate::ir::Variant],
    boxed: &'a [bool],
}

fn emit_tagged(
    types: &TypeSpace,
    tagged: Tagged<'_>,
    docs: TokenStream,
    from_variants: Vec<TokenStream>,
    serde_traits: SerdeTraits,
) -> TokenStream {
    let Tagged {
        name,
        tag,
        variants,
        boxed,
    } = tagged;
    let serialize_gate = directions::impl_gate(serde_traits.serialize);
    let deserialize_gate = directions::impl_gate(serde_traits.deserialize);
    let declarations = variants.iter().enumerate().map(|(index, v)| {
        let variant = format_ident!("{}", v.rust);
        let ty = variant_type(types, v, boxed[index]);
        let doc = format!(" `{tag}: \"{}\"`", v.wire);
        quote! { #[doc = #doc] #variant(#ty) }
    });
    let serialize_arms = variants.iter().map(|v| {
        let variant = format_ident!("{}", v.rust);
        let wire = &v.wire;
        quote!(#name::#variant(value) => crate::runtime::codec::serialize(serializer, #tag, #wire, value))
    });
    let deserialize_arms = variants.iter().map(|v| {
        let variant = format_ident!("{}", v.rust);
        let wire = &v.wire;
        quote!(Some(#wire) => crate::runtime::codec::from_value(value).map(#name::#variant))
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #declarations, )*
            /// A variant this version of the crate does not know yet, kept as raw JSON.
            Unknown(serde_json::Value),
        }

        #( #from_variants )*

        #serialize_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( #serialize_arms, )*
                    #name::Unknown(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        #deserialize_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match crate::runtime::codec::tag_of(&value, #tag) {
                    #( #deserialize_arms, )*
                    _ => Ok(#name::Unknown(value)),
                }
            }
        }
    }
}
