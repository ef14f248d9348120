//! The `webhooks` data of `client.yaml`, checked against the lowered API: the
//! group that gets the receiving API, the event-type enum (one `Event` variant
//! per value), the delivery schema, and the documented payloads. A name the
//! documents do not have fails regen with the file, line and pointer of the entry.

use std::collections::BTreeSet;

use super::types::{TypeDef, TypeId, TypeKind, TypeRef};
use super::{Api, Docs, Field};
use crate::config::{ClientConfig, WebhookPayload};
use crate::error::{Error, Result};
use crate::naming::{is_keyword, snake_ident, type_ident};

/// The receiving API of the crate (from `client.yaml`'s `webhooks`).
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookApi {
    /// Index into `Api::groups`: the module that gets the API.
    pub group: usize,
    /// The header carrying the signature, e.g. `X-HeyGen-Signature`.
    pub signature_header: String,
    /// The event-type enum of the spec.
    pub event_types: TypeId,
    /// The schema of a delivered event.
    pub delivery: TypeId,
    /// One per value of the enum, in its order.
    pub events: Vec<WebhookEvent>,
    /// The typed payloads, in the order of `client.yaml`.
    pub payloads: Vec<Payload>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// The event type on the wire, e.g. `avatar_video.success`.
    pub wire: String,
    /// The `Event` variant (the enum's variant name).
    pub variant: String,
    pub description: Option<String>,
    /// Index into [`WebhookApi::payloads`]; `None`: the JSON object as received.
    pub payload: Option<usize>,
}

/// A payload struct: its fields are the documented keys of `event_data`.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    pub name: String,
    pub event_type: String,
    pub description: String,
    pub fields: Vec<Field>,
}

/// Names the emitter declares in the group module beside the payload structs.
pub const RESERVED_NAMES: &[&str] = &["Event", "Delivery", "WebhookError"];

/// The event variant that keeps an event type the crate does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Resolves and checks `config.webhooks` against `api`; `None` without one.
pub fn resolve(api: &Api, config: &ClientConfig) -> Result<Option<WebhookApi>> {
    let Some(webhooks) = &config.webhooks else {
        return Ok(None);
    };
    let fail = |pointer: &str, message: String| Error::spec(config.location(pointer), message);

    let group = api
        .groups
        .iter()
        .position(|group| group.module == webhooks.group && !group.legacy)
        .ok_or_else(|| {
            let known: Vec<&str> = api
                .groups
                .iter()
                .filter(|group| !group.legacy)
                .map(|group| group.module.as_str())
                .collect();
            fail(
                "/webhooks/group",
                format!(
                    "no v3 operation group has the module `{}` (groups: {}): update the entry",
                    webhooks.group,
                    known.join(", ")
                ),
            )
        })?;
    let header = &webhooks.signature_header;
    if header.is_empty()
        || !header
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(fail(
            "/webhooks/signature_header",
            format!("`{header}` is not an HTTP header name"),
        ));
    }

    let event_types = component(api, &webhooks.event_types).ok_or_else(|| {
        fail(
            "/webhooks/event_types",
            format!(
                "no component schema `{}`: update or remove the entry",
                webhooks.event_types
            ),
        )
    })?;
    let TypeKind::Enum { values } = &api.types.get(event_types).kind else {
        return Err(fail(
            "/webhooks/event_types",
            format!("`{}` is not a string enum", webhooks.event_types),
        ));
    };

    let delivery = component(api, &webhooks.delivery).ok_or_else(|| {
        fail(
            "/webhooks/delivery",
            format!(
                "no component schema `{}`: update or remove the entry",
                webhooks.delivery
            ),
        )
    })?;
    check_delivery(api.types.get(delivery), event_types)
        .map_err(|message| fail("/webhooks/delivery", message))?;

    let mut payloads = Vec::new();
    let mut names = BTreeSet::new();
    for (index, entry) in webhooks.payloads.iter().enumerate() {
        let pointer = |key: &str| format!("/webhooks/payloads/{index}/{key}");
        if !values.iter().any(|value| value.wire == entry.event_type) {
            return Err(fail(
                &pointer("event_type"),
                format!(
                    "`{}` is not a value of `{}`: update or remove the entry",
                    entry.event_type, webhooks.event_types
                ),
            ));
        }
        if payloads
            .iter()
            .any(|payload: &Payload| payload.event_type == entry.event_type)
        {
            return Err(fail(
                &pointer("event_type"),
                format!("`{}` has a payload already", entry.event_type),
            ));
        }
        if type_ident(&entry.name) != entry.name
            || RESERVED_NAMES.contains(&entry.name.as_str())
            || entry.name == api.groups[group].type_name
            || !names.insert(entry.name.clone())
        {
            return Err(fail(
                &pointer("name"),
                format!(
                    "`{}` cannot name a payload: it must be UpperCamelCase and unique in the module",
                    entry.name
                ),
            ));
        }
        payloads.push(payload(entry, index, config)?);
    }

    let events = values
        .iter()
        .map(|value| WebhookEvent {
            wire: value.wire.clone(),
            variant: value.rust.clone(),
            description: value.description.clone(),
            payload: payloads
                .iter()
                .position(|payload| payload.event_type == value.wire),
        })
        .collect::<Vec<_>>();
    if events.iter().any(|event| event.variant == UNKNOWN_VARIANT) {
        return Err(fail(
            "/webhooks/event_types",
            format!(
                "`{}` has a value named `{UNKNOWN_VARIANT}`, the variant that keeps unknown events",
                webhooks.event_types
            ),
        ));
    }
    Ok(Some(WebhookApi {
        group,
        signature_header: header.clone(),
        event_types,
        delivery,
        events,
        payloads,
    }))
}

/// The type of the component schema `name` (in any document).
fn component(api: &Api, name: &str) -> Option<TypeId> {
    let suffix = format!("#/components/schemas/{}", crate::text::escape_token(name));
    api.schema_types
        .iter()
        .filter(|(origin, _)| origin.ends_with(&suffix))
        .find_map(|(_, ty)| match ty {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        })
}

/// The delivery schema has what `Delivery<T>` and `Event` read, each required.
fn check_delivery(def: &TypeDef, event_types: TypeId) -> std::result::Result<(), String> {
    let TypeKind::Struct { fields, .. } = &def.kind else {
        return Err(format!("`{}` is not an object schema", def.name));
    };
    // What each field must be: `event_type` a string or the event-type enum.
    let fits = |name: &str, ty: &TypeRef| match name {
        "event_type" => match ty {
            TypeRef::Named(id) => *id == event_types,
            other => *other == TypeRef::String,
        },
        "event_data" => matches!(ty, TypeRef::JsonObject | TypeRef::Json | TypeRef::Map(_)),
        _ => *ty == TypeRef::String,
    };
    for name in ["event_id", "event_type", "event_data", "created_at"] {
        let Some(field) = fields.iter().find(|field| field.wire == name) else {
            return Err(format!(
                "`{}` has no `{name}`: a delivery needs event_id, event_type, event_data and created_at",
                def.name
            ));
        };
        if !field.required || !fits(name, &field.ty) {
            return Err(format!(
                "`{}.{name}` is not a required {}",
                def.name,
                match name {
                    "event_type" => "string or event-type enum",
                    "event_data" => "object",
                    _ => "string",
                }
            ));
        }
    }
    Ok(())
}

fn payload(entry: &WebhookPayload, index: usize, config: &ClientConfig) -> Result<Payload> {
    let mut fields = Vec::new();
    let mut seen = BTreeSet::new();
    for (at, field) in entry.fields.iter().enumerate() {
        let pointer = format!("/webhooks/payloads/{index}/fields/{at}");
        if snake_ident(&field.name) != field.name || is_keyword(&field.name) {
            return Err(Error::spec(
                config.location(&format!("{pointer}/name")),
                format!(
                    "`{}` is not a snake_case field name (the key and the Rust field are the same)",
                    field.name
                ),
            ));
        }
        if !seen.insert(field.name.clone()) {
            return Err(Error::spec(
                config.location(&format!("{pointer}/name")),
                format!("`{}` is listed twice", field.name),
            ));
        }
        let ty = match field.ty.as_str() {
            "string" => TypeRef::String,
            "integer" => TypeRef::Integer("i64"),
            "number" => TypeRef::Number("f64"),
            "boolean" => TypeRef::Boolean,
            other => {
                return Err(Error::spec(
                    config.location(&format!("{pointer}/type")),
                    format!("unknown field type `{other}`: string, integer, number or boolean"),
                ))
            }
        };
        fields.push(Field {
            wire: field.name.clone(),
            rust: field.name.clone(),
            ty,
            required: field.required,
            docs: Docs {
                description: field.description.clone(),
                ..Docs::default()
            },
        });
    }
    Ok(Payload {
        name: entry.name.clone(),
        event_type: entry.event_type.clone(),
        description: entry.description.clone(),
        fields,
    })
}
