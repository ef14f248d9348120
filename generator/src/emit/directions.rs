//! Which way each type of `types.rs` crosses the wire, and so which serde
//! traits it derives.
//!
//! Deriving `Deserialize` is most of what compiling the generated types costs
//! (and `Serialize` a good part of the rest), so each type gets only what the
//! client needs of it: `Serialize` for what it sends (parameters, request
//! bodies, and jobs it polls, whose last state goes into `Error::WaitFailed` as
//! JSON), `Deserialize` for what it receives (success bodies, page items,
//! webhook payloads). A type reached both ways, or by no operation at all (a
//! schema users may still decode or build by hand), gets both. The crate's
//! `full-serde` feature adds the missing trait to every type, for callers that
//! store a response as JSON or read a request back.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, RequestBody, Success, TypeId};

/// The cargo feature that gives every type both traits.
pub const FULL_SERDE_FEATURE: &str = "full-serde";

/// What the client does with a type's values.
pub struct Directions {
    sent: BTreeSet<TypeId>,
    received: BTreeSet<TypeId>,
}

/// The serde traits a type implements: always, and with `full-serde` only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerdeTraits {
    pub serialize: bool,
    pub deserialize: bool,
}

impl Directions {
    pub fn new(api: &Api) -> Self {
        let mut sent = Vec::new();
        let mut received = Vec::new();
        for op in &api.operations {
            op.params.iter().for_each(|p| p.ty.named_ids(&mut sent));
            match &op.body {
                Some(RequestBody::Json { ty, .. }) => ty.named_ids(&mut sent),
                Some(RequestBody::Multipart { fields }) => fields
                    .iter()
                    .filter_map(|f| f.ty.as_ref())
                    .for_each(|ty| ty.named_ids(&mut sent)),
                _ => {}
            }
            if let Success::Envelope(ty) | Success::Page(ty) | Success::Json(ty) = &op.success {
                ty.named_ids(&mut received);
                if op.polling.is_some() {
                    ty.named_ids(&mut sent);
                }
            }
            if let Some(pagination) = &op.pagination {
                pagination.item.named_ids(&mut received);
            }
        }
        if let Some(webhooks) = &api.webhooks {
            // The event structs of the webhooks module derive both traits.
            let mut payload = vec![webhooks.event_types, webhooks.delivery];
            for field in webhooks.payloads.iter().flat_map(|p| &p.fields) {
                field.ty.named_ids(&mut payload);
            }
            sent.extend(payload.iter().copied());
            received.extend(payload);
        }
        let mut sent = api.types.reachable(sent);
        let mut received = api.types.reachable(received);
        // A type no operation reaches gets both traits, and so must every type
        // it holds.
        let orphans = api
            .types
            .iter_by_name()
            .map(|(id, _)| id)
            .filter(|id| !sent.contains(id) && !received.contains(id))
            .collect();
        let orphaned = api.types.reachable(orphans);
        sent.extend(orphaned.iter().copied());
        received.extend(orphaned);
        Directions { sent, received }
    }

    /// The traits type `id` implements without `full-serde`.
    pub fn traits(&self, id: TypeId) -> SerdeTraits {
        SerdeTraits {
            serialize: self.sent.contains(&id),
            deserialize: self.received.contains(&id),
        }
    }
}

impl SerdeTraits {
    /// The serde derives that are always on, for a `#[derive(...)]` list;
    /// `Deserialize` only if `derive_deserialize` (a struct without a
    /// flattened map gets a written-out impl instead, see `deserialize.rs`).
    pub fn derives(self, derive_deserialize: bool) -> Vec<TokenStream> {
        let serialize = self.serialize.then(|| quote!(serde::Serialize));
        let deserialize = (self.deserialize && derive_deserialize).then(|| quote!(serde::Deserialize));
        serialize.into_iter().chain(deserialize).collect()
    }

    /// `#[cfg_attr(feature = "full-serde", derive(...))]` for the derives the
    /// type lacks without the feature; empty when it lacks none.
    pub fn full_serde_derives(self, derive_deserialize: bool) -> TokenStream {
        let serialize = (!self.serialize).then(|| quote!(serde::Serialize));
        let deserialize = (!self.deserialize && derive_deserialize).then(|| quote!(serde::Deserialize));
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
    pub fn serialize_attr(self, args: TokenStream) -> TokenStream {
        if self.serialize {
            quote!(#[serde(#args)])
        } else {
            quote!(#[cfg_attr(feature = #FULL_SERDE_FEATURE, serde(#args))])
        }
    }
}
