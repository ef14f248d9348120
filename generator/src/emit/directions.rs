//! The serde attributes of a type of `types.rs`, from which way it crosses
//! the wire (`ir/directions.rs`).
//!
//! Deriving `Deserialize` was most of what compiling the generated types
//! cost, and `Serialize` a good part of the rest (the ablation in
//! BENCHMARKS.md), so each type gets only what the client needs of it. The
//! crate's `full-serde` feature adds the missing trait to every type, for
//! callers that store a response as JSON or read a request back.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::directions::SerdeTraits;

/// The cargo feature that gives every type both traits.
pub const FULL_SERDE_FEATURE: &str = "full-serde";

/// The serde derives that are always on, for a `#[derive(...)]` list;
/// `Deserialize` only if `derive_deserialize` (a struct without a
/// flattened map gets a written-out impl instead, see `deserialize.rs`).
pub fn derives(traits: SerdeTraits, derive_deserialize: bool) -> Vec<TokenStream> {
    let serialize = traits.serialize.then(|| quote!(serde::Serialize));
    let deserialize =
        (traits.deserialize && derive_deserialize).then(|| quote!(serde::Deserialize));
    serialize.into_iter().chain(deserialize).collect()
}

/// `#[cfg_attr(feature = "full-serde", derive(...))]` for the derives the
/// type lacks without the feature; empty when it lacks none.
pub fn full_serde_derives(traits: SerdeTraits, derive_deserialize: bool) -> TokenStream {
    let serialize = (!traits.serialize).then(|| quote!(serde::Serialize));
    let deserialize =
        (!traits.deserialize && derive_deserialize).then(|| quote!(serde::Deserialize));
    let missing: Vec<TokenStream> = serialize.into_iter().chain(deserialize).collect();
    if missing.is_empty() {
        return TokenStream::new();
    }
    quote!(#[cfg_attr(feature = #FULL_SERDE_FEATURE, derive( #( #missing ),* ))])
}

/// The `#[cfg(...)]` for a hand-written `Serialize` (or `Deserialize`)
/// impl: none when the type has the trait anyway.
pub fn impl_gate(has_trait: bool) -> TokenStream {
    if has_trait {
        TokenStream::new()
    } else {
        quote!(#[cfg(feature = #FULL_SERDE_FEATURE)])
    }
}

/// A `#[serde(...)]` field or container attribute with the arguments
/// `args`, for a type whose only serde derive is `Serialize`: behind
/// `full-serde` when that derive is (without a derive, `serde` is not an
/// attribute).
pub fn serialize_attr(traits: SerdeTraits, args: TokenStream) -> TokenStream {
    if traits.serialize {
        quote!(#[serde(#args)])
    } else {
        quote!(#[cfg_attr(feature = #FULL_SERDE_FEATURE, serde(#args))])
    }
}
