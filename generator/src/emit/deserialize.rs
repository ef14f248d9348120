//! `Deserialize` for generated structs, written out rather than derived.
//!
//! Per struct, `#[derive(Deserialize)]` expands to a field-name enum with its
//! own visitor, a `visit_seq` for formats that write structs as sequences
//! (JSON never does) and a `visit_map`; on the HeyGen crate the derive was
//! most of what `cargo check` spent on the types (the ablation is in
//! BENCHMARKS.md). The impl here is the runtime's `deserialize_struct!` (one
//! `visit_map` over a shared field lookup, `runtime/de.rs`) given one line per
//! field, and reads JSON as the derive does: unknown
//! keys are skipped, a repeated key is an error, a missing required field is
//! "missing field `x`", and a missing optional or nullable field is `None`.
//! A struct with a flattened map of undeclared properties keeps the derive.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

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
    pub kind: FieldKind,
}

/// `impl Deserialize for name` (through the runtime's `deserialize_struct!`),
/// preceded by `gate` (a `#[cfg]`, or nothing).
pub fn struct_impl(name: &Ident, fields: &[DeField], gate: TokenStream) -> TokenStream {
    let lines = fields.iter().enumerate().map(|(index, field)| {
        let index = Literal::usize_unsuffixed(index);
        let rust = &field.rust;
        let wire = &field.wire;
        let kind = match field.kind {
            FieldKind::Required => quote!(required),
            FieldKind::Nullable | FieldKind::Optional => quote!(optional),
            FieldKind::Present => quote!(present),
        };
        quote!(#index #rust = #wire #kind)
    });
    quote! {
        #gate
        crate::runtime::de::deserialize_struct!(#name { #( #lines ),* });
    }
}
