//! The typed intermediate representation the emitter works from.
//!
//! Types live in an arena ([`TypeSpace`]) with stable ids; operations refer to
//! them through [`TypeRef`]. Everything is ordered deterministically: types by
//! name, operations by group and method name.

pub mod client_data;
pub mod directions;
pub mod lower;
pub mod types;
pub mod webhooks;

/// Naming lives beside the stages (merge names types too); callers outside the
/// crate still reach it as `ir::naming`.
pub use crate::naming;

pub use crate::merge::Method;
pub use types::{EnumValue, Field, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace, Variant};

/// Documentation carried from the spec to the generated code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
    pub examples: Vec<serde_json::Value>,
    pub default: Option<serde_json::Value>,
    pub deprecated: bool,
}

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub base_url: String,
    pub types: TypeSpace,
    pub operations: Vec<Operation>,
    /// Names of the operation groups (from tags), sorted, with their description.
    pub groups: Vec<Group>,
    /// The type of every schema node that was lowered, by `document-id#/pointer`,
    /// so that tools can find the Rust type for any place in the spec.
    pub schema_types: std::collections::BTreeMap<String, TypeRef>,
    /// The API for receiving webhook deliveries (from `client.yaml`).
    pub webhooks: Option<webhooks::WebhookApi>,
    /// The documents the API was read from, so that a later stage can name the
    /// file and line of an `origin` (`document-id#/pointer`).
    pub sources: Vec<Source>,
}

/// One input document: its id, file and text.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub path: std::path::PathBuf,
    pub text: String,
    pub first_line: usize,
}

impl Api {
    /// The file, pointer and line of an origin (`document-id#/pointer`).
    pub fn location(&self, origin: &str) -> crate::error::Location {
        let (id, pointer) = origin.split_once('#').unwrap_or((origin, ""));
        match self.sources.iter().find(|source| source.id == id) {
            Some(source) => {
                let line = crate::text::line_of_nearest(&source.text, source.first_line, pointer);
                crate::error::Location::new(&source.path, pointer).with_line(line)
            }
            None => crate::error::Location::new(id, pointer),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Rust module / accessor name, snake_case.
    pub module: String,
    /// Handle struct name, UpperCamelCase.
    pub type_name: String,
    /// The tag as written in the spec.
    pub tag: String,
    pub legacy: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's operationId (or a synthesised one).
    pub operation_id: String,
    /// Method name in its group, snake_case.
    pub name: String,
    /// Index into `Api::groups`.
    pub group: usize,
    pub method: Method,
    /// Path template as in the spec, e.g. `/v3/videos/{video_id}`.
    pub path: String,
    pub docs: Docs,
    pub legacy: bool,
    /// Document id and pointer the operation came from.
    pub origin: String,
    pub params: Vec<Parameter>,
    pub body: Option<RequestBody>,
    pub success: Success,
    /// Where the success type comes from (the envelope's `data`, the schema,
    /// the media type or the response; the operation's origin when it has no
    /// success response): what a wrong success type is reported at.
    pub success_origin: String,
    pub errors: Vec<ErrorResponse>,
    /// The operation takes an `Idempotency-Key` header.
    pub idempotent: bool,
    pub pagination: Option<Pagination>,
    pub polling: Option<Polling>,
    /// Set for a retired operation: emitted as `#[deprecated]`.
    pub deprecation: Option<Deprecation>,
}

/// `#[deprecated(since, note)]` of a retired operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Deprecation {
    /// The crate version that first deprecates it.
    pub since: String,
    /// Says when HeyGen retired it and what to use instead.
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub wire: String,
    pub rust: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub enum RequestBody {
    Json {
        ty: TypeRef,
        required: bool,
    },
    Multipart {
        fields: Vec<MultipartField>,
    },
    /// A raw body (`application/octet-stream`, text, or an unspecified media type).
    Raw {
        content_type: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct MultipartField {
    pub wire: String,
    pub rust: String,
    pub required: bool,
    /// `None` for a file part (`format: binary`).
    pub ty: Option<TypeRef>,
    pub docs: Docs,
}

/// How a 2xx body is decoded and what the method returns.
#[derive(Debug, Clone)]
pub enum Success {
    /// `{data: T}`: the method returns `T`.
    Envelope(TypeRef),
    /// `{data: [T], has_more, next_token}`: the method returns `Page<T>`.
    Page(TypeRef),
    /// The whole body is `T`.
    Json(TypeRef),
    Text,
    Bytes,
    Empty,
}

/// How an error body declared for a status is shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorShape {
    /// `{error: {code, message, ...}}`
    Standard,
    /// `{code, message}`
    LegacyFlat,
    /// `{data, error: {code, message}}`
    LegacyEnvelope,
    /// Either legacy shape, or something else.
    Legacy,
}

#[derive(Debug, Clone)]
pub struct ErrorResponse {
    pub status: u16,
    pub shape: ErrorShape,
    pub description: String,
    pub headers: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Pagination {
    /// Query parameter carrying the cursor (`token`).
    pub token_param: String,
    /// The type of one item.
    pub item: TypeRef,
    pub shape: PageShape,
}

/// Where a page keeps its items and the next cursor.
#[derive(Debug, Clone, PartialEq)]
pub enum PageShape {
    /// `{data: [T], has_more, next_token}`: the method returns `Page<T>`.
    Top,
    /// `{data: {items: [T], next_token, has_more?}}`: the method returns the
    /// struct of `data`; these are the Rust names of its fields.
    Items {
        items: String,
        next_token: String,
        has_more: Option<String>,
    },
}

/// A long job that can be polled until it reaches a terminal state (from `specs/client.yaml`).
#[derive(Debug, Clone)]
pub struct Polling {
    pub status_field: String,
    pub succeeded: Vec<String>,
    pub failed: Vec<String>,
    pub failure_code_field: Option<String>,
    pub failure_message_field: Option<String>,
}
