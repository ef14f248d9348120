//! `From<Variant>` conversions into unions: one per variant type, as long as
//! no two variants (nor the union itself) are one Rust type.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::types::{type_tokens, Scope};
use crate::ir::{TypeId, TypeKind, TypeRef, TypeSpace};

/// A type with every alias replaced by what it names, so that two spellings
/// of one Rust type compare equal (an alias of the union itself included).
/// A newtype (an alias that expands to itself) is a type of its own and stays:
/// every alias on a cycle is one, so the expansion ends.
fn without_aliases(types: &TypeSpace, newtypes: &BTreeSet<TypeId>, ty: &TypeRef) -> TypeRef {
    let inner = |t: &TypeRef| Box::new(without_aliases(types, newtypes, t));
    match ty {
        TypeRef::Named(id) if !newtypes.contains(id) => match &types.get(*id).kind {
            TypeKind::Alias(aliased) => without_aliases(types, newtypes, aliased),
            _ => ty.clone(),
        },
        TypeRef::Array(item) => TypeRef::Array(inner(item)),
        TypeRef::Map(value) => TypeRef::Map(inner(value)),
        TypeRef::Nullable(value) => TypeRef::Nullable(inner(value)),
        other => other.clone(),
    }
}

/// `From<Variant> for Union` for every variant whose type no other variant
/// shares (two `From` impls for one type would conflict) and is not the union
/// itself (`std` has that one), aliases seen through.
pub(super) fn from_variants(
    types: &TypeSpace,
    newtypes: &BTreeSet<TypeId>,
    name: &Ident,
    variants: &[crate::ir::Variant],
    boxed: &[bool],
) -> Vec<TokenStream> {
    let same = |ty: &TypeRef| {
        let plain = without_aliases(types, newtypes, ty);
        type_tokens(types, &plain, Scope::Types).to_string()
    };
    let tokens: Vec<(Ident, TokenStream, bool, String)> = variants
        .iter()
        .enumerate()
        .map(|(index, v)| {
            (
                format_ident!("{}", v.rust),
                type_tokens(types, &v.ty, Scope::Types),
                boxed[index],
                same(&v.ty),
            )
        })
        .collect();
    tokens
        .iter()
        .filter(|(_, _, _, plain)| {
            *name != plain.as_str()
                && tokens
                    .iter()
                    .filter(|(_, _, _, other)| other == plain)
                    .count()
                    == 1
        })
        .map(|(variant, ty, boxed, _)| {
            let value = if *boxed {
                quote!(Box::new(value))
            } else {
                quote!(value)
            };
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        #name::#variant(#value)
                    }
                }
            }
        })
        .collect()
}
