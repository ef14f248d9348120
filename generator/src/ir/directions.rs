//! Which way each type crosses the wire: sent (parameters, request bodies,
//! and polled jobs, whose last state goes into `Error::WaitFailed` as JSON),
//! received (success bodies, page items, webhook payloads), or both. A type
//! reached by no operation counts as both, and so does everything it holds.
//!
//! The emitter derives only the serde traits a type needs from this
//! (`emit/directions.rs`), and the API surface records it, so that a type
//! losing a trait shows in the change report.

use std::collections::BTreeSet;

use super::{Api, RequestBody, Success, TypeId};

/// What the client does with a type's values.
pub struct Directions {
    sent: BTreeSet<TypeId>,
    received: BTreeSet<TypeId>,
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

    /// Whether type `id` is sent, and whether it is received.
    pub fn traits(&self, id: TypeId) -> SerdeTraits {
        SerdeTraits {
            serialize: self.sent.contains(&id),
            deserialize: self.received.contains(&id),
        }
    }
}

/// What the client does with a type: it needs `Serialize` to send it and
/// `Deserialize` to receive it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerdeTraits {
    pub serialize: bool,
    pub deserialize: bool,
}

impl SerdeTraits {
    /// `serialize`, `deserialize` or `both`, as the API surface records it.
    pub fn label(self) -> &'static str {
        match (self.serialize, self.deserialize) {
            (true, false) => "serialize",
            (false, true) => "deserialize",
            _ => "both",
        }
    }
}
