//! `Deserialize` for generated structs, written out rather than derived.
//!
//! Per struct, `#[derive(Deserialize)]` expands to a field-name enum with its
//! own visitor, a `visit_seq` for formats that write structs as sequences
//! (JSON never does) and a `visit_map`; on the HeyGen crate the derive was
//! most of what `cargo check` spent on the types (the ablation is in
//! BENCHMARKS.md). The impl written here is one `visit_map` over the shared
//! field lookup of `runtime/de.rs`, and reads JSON as the derive does: unknown
//! keys are skipped, a repeated key is an error, a missing required field is
//! "missing field `x`", and a missing optional or nullable field is `None`.
//! A struct with a flattened map of undeclared properties keeps the derive.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// How a field is read, and what its absence means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `T`: absent is an error.
    Required,
    /// `Option<T>`, required but nullable: absent or `null` is `None`.
    Nullable,
    /// `Option<T>`, optional: absent or `null` is `None`.
    Optional,
    /// `Option<Nullable<T>>` (PATCH bodies): absent is `None`, a present
    /// `null` is `Some(Nullable::Null)`.
    Present,
}

/// One field as the impl needs it.
pub struct DeField {
    pub wire: String,
    pub rust: Ident,
    /// The field's declared type (`T`, `Option<T>`, `Option<Nullable<T>>`).
    pub ty: TokenStream,
    pub kind: FieldKind,
}

/// `impl Deserialize for name`, preceded by `gate` (a `#[cfg]`, or nothing).
pub fn struct_impl(name: &Ident, fields: &[DeField], gate: TokenStream) -> TokenStream {
    let wires = fields.iter().map(|f| f.wire.as_str());
    let expecting = format!("struct {name}");
    let type_name = name.to_string();
    let slots: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("slot_{i}")).collect();
    let declarations = fields.iter().zip(&slots).map(|(field, slot)| {
        let ty = &field.ty;
        let slot_ty = match field.kind {
            FieldKind::Present => quote!(#ty),
            _ => quote!(Option<#ty>),
        };
        quote!(let mut #slot: #slot_ty = None;)
    });
    let arms = fields.iter().zip(&slots).enumerate().map(|(index, (field, slot))| {
        let wire = &field.wire;
        let index = Literal::usize_unsuffixed(index);
        quote!(#index => crate::runtime::de::field(&mut map, &mut #slot, #wire)?)
    });
    let values = fields.iter().zip(&slots).map(|(field, slot)| {
        let rust = &field.rust;
        let wire = &field.wire;
        let value = match field.kind {
            FieldKind::Required => quote!(crate::runtime::de::required(#slot, #wire)?),
            FieldKind::Nullable | FieldKind::Optional => quote!(#slot.flatten()),
            FieldKind::Present => quote!(#slot),
        };
        quote!(#rust: #value)
    });
    quote! {
        #gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const FIELDS: &[&str] = &[ #( #wires ),* ];
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #( #declarations )*
                        while let Some(index) = map.next_key_seed(crate::runtime::de::FieldIndex(FIELDS))? {
                            match index {
                                #( #arms, )*
                                _ => crate::runtime::de::skip(&mut map)?,
                            }
                        }
                        Ok(#name { #( #values ),* })
                    }
                }
                deserializer.deserialize_struct(#type_name, FIELDS, Visitor)
            }
        }
    }
}
