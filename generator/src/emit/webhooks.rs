//! The API for receiving webhook deliveries, added to the module of the group
//! that `client.yaml`'s `webhooks` names: the signature header, the typed
//! payloads, the `Event` enum (one variant per value of the spec's event-type
//! enum) and `parse` / `verify_and_parse`. The signature check itself and
//! `Delivery<T>` are hand-written (`templates/src/runtime/webhook.rs`), compiled
//! with the group's feature, which also turns on their optional dependencies
//! ([`RUNTIME_DEPENDENCIES`]).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::{ident, type_tokens, Scope};
use crate::ir::webhooks::{Payload, WebhookApi, UNKNOWN_VARIANT};
use crate::ir::Api;

/// The optional dependencies of the signature check (`templates/Cargo.toml`
/// declares them); the group's feature turns them on.
pub const RUNTIME_DEPENDENCIES: &[&str] = &["hex", "hmac", "sha2"];

/// The private module (in `lib.rs`) holding `templates/src/runtime/webhook.rs`.
const RUNTIME_MODULE: &str = "webhook_runtime";

/// The webhook API of the group `group_index`, if it is the one that gets it.
pub fn for_group(api: &Api, group_index: usize) -> Option<&WebhookApi> {
    api.webhooks
        .as_ref()
        .filter(|webhooks| webhooks.group == group_index)
}

/// The `lib.rs` item that compiles the hand-written part, behind `feature`.
pub fn runtime_module(feature: &str) -> TokenStream {
    let module = format_ident!("{RUNTIME_MODULE}");
    quote! {
        /// Receiving webhooks: the signature check and `Delivery`, re-exported by
        /// the module that has the webhook API.
        #[cfg(feature = #feature)]
        #[path = "runtime/webhook.rs"]
        mod #module;
    }
}

/// The section of the group module's page about receiving deliveries.
pub fn module_docs(webhooks: &WebhookApi) -> String {
    format!(
        "\n\n# Receiving webhooks\n\n\
         HeyGen signs every delivery with the `{header}` header, the hex HMAC-SHA256 of the \
         raw body keyed with the endpoint's secret (returned when the endpoint is created or \
         its secret rotated). [`verify_and_parse`] checks it in constant time and decodes the \
         body into an [`Event`], with one variant per event type; [`verify`] and [`parse`] do \
         one step each.",
        header = webhooks.signature_header
    )
}

/// The items added to the group module.
pub fn emit(api: &Api, webhooks: &WebhookApi) -> TokenStream {
    let runtime = format_ident!("{RUNTIME_MODULE}");
    let header = &webhooks.signature_header;
    let header_doc = format!(
        " The request header carrying a delivery's signature: the hex HMAC-SHA256 of \
         the raw body, keyed with the endpoint secret. Header names are case-insensitive \
         (`{}` on the wire is the same header).",
        header.to_ascii_lowercase()
    );
    let payloads = webhooks.payloads.iter().map(|p| {
        let variant = webhooks
            .events
            .iter()
            .find(|event| event.wire == p.event_type)
            .map(|event| event.variant.as_str())
            .unwrap_or_default();
        payload(api, p, variant)
    });
    let event = event_enum(webhooks);
    let conversion = conversion(api, webhooks);
    let verify_doc = doc_attrs(&format!(
        "Checks a delivery's `{header}` header against its raw body, then parses the body \
         into an [`Event`].\n\n\
         `header` looks a request header up by name: it is called once, with \
         [`SIGNATURE_HEADER`]. HTTP header names are case-insensitive, so look it up the way \
         your framework does (`http::HeaderMap::get` ignores case) or compare with \
         `eq_ignore_ascii_case`. `body` must be the bytes as received, before any JSON \
         parsing: the signature covers them exactly. `secret` is the endpoint's signing \
         secret as HeyGen returned it.\n\n\
         # Errors\n\n\
         [`WebhookError::MissingSignature`], [`WebhookError::MalformedSignature`] or \
         [`WebhookError::BadSignature`] when the delivery is not proven to come from HeyGen \
         (answer 401 and ignore it), [`WebhookError::Body`] when a signed body is not a \
         delivery."
    ));
    quote! {
        pub use crate::#runtime::{sign, verify, Delivery, WebhookError};

        #[doc = #header_doc]
        pub const SIGNATURE_HEADER: &str = #header;

        #( #payloads )*

        #event

        #conversion

        /// Parses a delivery body into an [`Event`], without checking its signature
        /// (see [`verify_and_parse`]).
        ///
        /// An event type this version of the crate does not know becomes
        /// [`Event::Unknown`], keeping the JSON.
        ///
        /// # Errors
        ///
        /// [`WebhookError::Body`] when the body is not a JSON object with a string
        /// `event_type`, or when a known event lacks a field its type requires.
        pub fn parse(body: &[u8]) -> Result<Event, WebhookError> {
            let value: serde_json::Value =
                serde_json::from_slice(body).map_err(WebhookError::Body)?;
            Event::from_json(value)
        }

        #verify_doc
        pub fn verify_and_parse<'a>(
            body: &[u8],
            header: impl FnOnce(&str) -> Option<&'a str>,
            secret: &str,
        ) -> Result<Event, WebhookError> {
            verify(body, header(SIGNATURE_HEADER), secret)?;
            parse(body)
        }
    }
}

fn payload(api: &Api, payload: &Payload, variant: &str) -> TokenStream {
    let name = format_ident!("{}", payload.name);
    let docs = doc_attrs(&format!(
        "{}\n\nReceived as [`Event::{}`]; keys HeyGen adds later land in `extra`.",
        payload.description, variant
    ));
    let fields = payload.fields.iter().map(|field| {
        let rust = ident(&field.rust);
        let ty = type_tokens(&api.types, &field.ty, Scope::Crate);
        let docs = doc_attrs(field.docs.description.as_deref().unwrap_or_default());
        if field.required {
            quote! { #docs pub #rust: #ty, }
        } else {
            quote! {
                #docs
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub #rust: Option<#ty>,
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
            /// The keys of `event_data` not named above, as received.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    }
}

fn event_enum(webhooks: &WebhookApi) -> TokenStream {
    let runtime = format_ident!("{RUNTIME_MODULE}");
    let unknown = format_ident!("{UNKNOWN_VARIANT}");
    let mut variants = Vec::new();
    let mut names = Vec::new();
    let mut decodes = Vec::new();
    let mut ids = Vec::new();
    for event in &webhooks.events {
        let variant = format_ident!("{}", event.variant);
        let wire = &event.wire;
        let (data, data_doc) = match event.payload {
            Some(index) => {
                let name = &webhooks.payloads[index].name;
                let ty = format_ident!("{name}");
                (quote!(#ty), format!("[`{name}`]"))
            }
            None => (
                quote!(serde_json::Map<String, serde_json::Value>),
                "the JSON object as received".to_string(),
            ),
        };
        let mut text = format!("`{wire}`");
        if let Some(description) = &event.description {
            text.push_str(&format!(": {}", super::docs::prose(description)));
        }
        text.push_str(&format!("\n\nIts `event_data` is {data_doc}."));
        let docs = doc_attrs(&text);
        variants.push(quote! { #docs #variant(Delivery<#data>), });
        names.push(quote! { Event::#variant(_) => #wire, });
        ids.push(quote! { Event::#variant(delivery) => Some(&delivery.event_id), });
        decodes.push(quote! { #wire => Event::#variant(crate::#runtime::decode(value)?), });
    }
    quote! {
        /// A webhook delivery, by event type: one variant for each type the API
        /// lists, each with its [`Delivery`] (event id, creation time, typed data).
        ///
        /// Get one from [`verify_and_parse`] (or [`parse`] for a body already
        /// verified). Match with a `_` arm: event types HeyGen adds become variants
        /// in later versions of the crate, and [`Event::Unknown`] until then.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #( #variants )*
            /// An event type this version of the crate does not know.
            #unknown {
                /// The `event_type` of the delivery.
                event_type: String,
                /// The whole delivery body.
                raw: serde_json::Value,
            },
        }

        impl Event {
            /// The event type as on the wire, e.g. `avatar_video.success`.
            pub fn event_type(&self) -> &str {
                match self {
                    #( #names )*
                    Event::#unknown { event_type, .. } => event_type,
                }
            }

            /// The id of this event (the same on a redelivery: use it to ignore
            /// duplicates); `None` for an unknown event without a string `event_id`.
            pub fn event_id(&self) -> Option<&str> {
                match self {
                    #( #ids )*
                    Event::#unknown { raw, .. } => raw.get("event_id").and_then(serde_json::Value::as_str),
                }
            }

            /// Decodes a delivery already parsed as JSON (see [`parse`]).
            ///
            /// # Errors
            ///
            /// [`WebhookError::Body`] when `value` is not an object with a string
            /// `event_type`, or when a known event lacks a field its type requires.
            pub fn from_json(value: serde_json::Value) -> Result<Event, WebhookError> {
                let event_type = crate::#runtime::event_type(&value)?;
                Ok(match event_type.as_str() {
                    #( #decodes )*
                    _ => Event::#unknown { event_type, raw: value },
                })
            }
        }
    }
}

/// `TryFrom<delivery type>`: an event listed by the API becomes an [`Event`] too.
fn conversion(api: &Api, webhooks: &WebhookApi) -> TokenStream {
    let ty = type_tokens(
        &api.types,
        &crate::ir::TypeRef::Named(webhooks.delivery),
        Scope::Crate,
    );
    let gate = super::gates::Gates::new(api).attr(webhooks.delivery);
    let doc = format!(
        " Types an event listed by the API (a [`{name}`](crate::types::{name})) like a delivery.",
        name = api.types.get(webhooks.delivery).name
    );
    quote! {
        #[doc = #doc]
        #gate
        impl TryFrom<#ty> for Event {
            type Error = WebhookError;

            fn try_from(event: #ty) -> Result<Event, WebhookError> {
                let value = serde_json::to_value(event).map_err(WebhookError::Body)?;
                Event::from_json(value)
            }
        }
    }
}
