//! `generated/api-surface.json`: a canonical, machine-readable summary of the
//! generated crate's public API, built from the IR.
//!
//! Regen writes it next to the crate; the next regen reads it back and compares
//! it with the new surface ([`crate::changes`]) to tell users what changed.
//! Everything in it is sorted and it carries no timestamps, so the same specs
//! always give the same bytes.
//!
//! Rust types are spelled as [`TypeSpace::display`] spells them (`Vec<VideoItem>`,
//! `Option<String>`, `serde_json::Value`); named types are the names declared in
//! `heygen::types`. Every operation and type carries its spec location (`origin`,
//! `document-id#/json/pointer`).

use std::path::Path;

use heck::ToUpperCamelCase;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::ir::directions::SerdeTraits;
use crate::ir::{
    Api, ErrorShape, Operation, ParamLocation, RequestBody, Success, TypeDef, TypeKind, TypeRef,
    TypeSpace,
};
use crate::naming::{LockedMethod, NameLock};

/// The file name inside the generated crate.
pub const FILE_NAME: &str = "api-surface.json";

/// Version of the file's layout; a file with another version is not compared.
pub const FORMAT: u32 = 1;

/// The public API of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// JSON has no comments: this field carries the "generated, do not edit" line.
    #[serde(default)]
    pub generated: String,
    /// Layout version of this file ([`FORMAT`]).
    pub format: u32,
    /// `info.title` of the API.
    pub title: String,
    /// `info.version` of the API.
    pub api_version: String,
    /// Operations, sorted by `call`.
    pub operations: Vec<OperationSurface>,
    /// Types of `heygen::types`, sorted by name.
    pub types: Vec<TypeSurface>,
}

/// One operation: a method on a group handle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// How it is called: `client.videos().create_video()`.
    pub call: String,
    /// The group's module (and accessor) name.
    pub group: String,
    /// The method name.
    pub method: String,
    /// The spec's operationId.
    pub operation_id: String,
    /// `METHOD /path`.
    pub http: String,
    /// The spec's summary (to recognise an operation that moved to another path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// In `heygen::legacy` (v1/v2 endpoints).
    pub legacy: bool,
    pub deprecated: bool,
    /// The operation sends an `Idempotency-Key` header.
    pub idempotent: bool,
    /// The struct of query and header parameters (`heygen::<group>::<Name>Params`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params_struct: Option<String>,
    pub params: Vec<ParamSurface>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodySurface>,
    /// The Rust type the method returns (inside `heygen::Result`).
    pub returns: String,
    /// How the 2xx body is decoded: `envelope`, `page`, `json`, `text`, `bytes` or `empty`.
    pub decoding: String,
    /// Declared error responses, by status.
    pub errors: Vec<ErrorSurface>,
    /// Cursor query parameter when the operation also has a `<method>_stream` method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<String>,
    /// The operation has a `<method>_until_done` polling method (from `specs/client.yaml`).
    pub polling: bool,
    /// Spec location.
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamSurface {
    pub wire: String,
    pub rust: String,
    /// `path`, `query` or `header`.
    pub location: String,
    /// The Rust type without the `Option` of a nullable parameter.
    pub ty: String,
    pub required: bool,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BodySurface {
    Json { ty: String, required: bool },
    Multipart { fields: Vec<MultipartFieldSurface> },
    Raw { content_type: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartFieldSurface {
    pub wire: String,
    pub rust: String,
    /// `None` for a file part.
    pub ty: Option<String>,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorSurface {
    pub status: u16,
    /// `standard`, `legacy_flat`, `legacy_envelope` or `legacy`.
    pub shape: String,
    /// Response headers declared for this status, sorted.
    pub headers: Vec<String>,
}

/// One type of `heygen::types`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSurface {
    pub name: String,
    #[serde(flatten)]
    pub shape: TypeShape,
    pub legacy: bool,
    pub deprecated: bool,
    /// Spec location.
    pub origin: String,
    /// The serde traits the type has without `full-serde`: `serialize`,
    /// `deserialize` or `both` (absent in surfaces written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serde: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeShape {
    Struct {
        fields: Vec<FieldSurface>,
        /// Value type of undeclared properties kept in `extra`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extra: Option<String>,
    },
    /// A string enum; the crate adds `Unknown(String)` for values it does not know.
    Enum { values: Vec<EnumValueSurface> },
    /// A union with a discriminator property; the crate adds `Unknown(serde_json::Value)`.
    TaggedUnion {
        tag: String,
        variants: Vec<VariantSurface>,
    },
    /// A union tried in order; `fallback_json` adds `Other(serde_json::Value)`.
    UntaggedUnion {
        variants: Vec<VariantSurface>,
        fallback_json: bool,
    },
    /// `pub type Name = target;`
    Alias { target: String },
}

impl TypeShape {
    /// `struct`, `enum`, ... as in the file.
    pub fn kind(&self) -> &'static str {
        match self {
            TypeShape::Struct { .. } => "struct",
            TypeShape::Enum { .. } => "enum",
            TypeShape::TaggedUnion { .. } => "tagged union",
            TypeShape::UntaggedUnion { .. } => "untagged union",
            TypeShape::Alias { .. } => "type alias",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSurface {
    pub wire: String,
    pub rust: String,
    /// The Rust type without the `Option` added for optional or nullable fields.
    pub ty: String,
    pub required: bool,
    pub nullable: bool,
}

impl FieldSurface {
    /// The declared Rust type: `T` when required and not nullable, else `Option<T>`.
    pub fn rust_type(&self) -> String {
        option_unless(self.required && !self.nullable, &self.ty)
    }
}

impl ParamSurface {
    /// The Rust type users pass: the argument type of a path parameter, the
    /// params-struct field type otherwise.
    pub fn rust_type(&self) -> String {
        if self.location == "path" {
            self.ty.clone()
        } else {
            option_unless(self.required && !self.nullable, &self.ty)
        }
    }
}

fn option_unless(plain: bool, ty: &str) -> String {
    if plain {
        ty.to_string()
    } else {
        format!("Option<{ty}>")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumValueSurface {
    pub wire: String,
    pub rust: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantSurface {
    /// Wire tag (tagged unions) or a descriptive name (untagged).
    pub wire: String,
    pub rust: String,
    pub ty: String,
}

impl Surface {
    /// The surface of the crate generated from `api`.
    pub fn from_api(api: &Api) -> Surface {
        let mut operations: Vec<OperationSurface> =
            api.operations.iter().map(|op| operation(api, op)).collect();
        operations.sort_by(|a, b| (&a.call, &a.http).cmp(&(&b.call, &b.http)));
        let directions = crate::ir::directions::Directions::new(api);
        let types = api
            .types
            .iter_by_name()
            .map(|(id, def)| type_surface(&api.types, def, directions.traits(id)))
            .collect();
        Surface {
            generated: crate::format::PREAMBLE.to_string(),
            format: FORMAT,
            title: api.title.clone(),
            api_version: api.version.clone(),
            operations,
            types,
        }
    }

    /// Pretty-printed JSON with a final newline.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map(|text| text + "\n")
            .map_err(|e| Error::Input(format!("cannot serialise the API surface: {e}")))
    }

    /// Parses a surface file; `path` is used in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<Surface> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::spec(
                Location::new(path, "").with_line(Some(e.line())),
                format!("invalid JSON: {e}"),
            )
        })?;
        match value.get("format").and_then(serde_json::Value::as_u64) {
            Some(format) if format == u64::from(FORMAT) => {}
            Some(format) => {
                return Err(Error::spec(
                    Location::new(path, "/format"),
                    format!("API surface format {format}; this generator reads format {FORMAT}"),
                ))
            }
            None => {
                return Err(Error::spec(
                    Location::new(path, "/format"),
                    "not an API surface file: no numeric `format`",
                ))
            }
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let pointer = e
                .path()
                .iter()
                .map(|segment| format!("/{segment}"))
                .collect::<String>();
            Error::spec(
                Location::new(path, pointer),
                format!("invalid API surface: {}", e.inner()),
            )
        })
    }

    /// Reads `<out>/api-surface.json`; `None` when there is none.
    pub fn read(out: &Path) -> Result<Option<Surface>> {
        let path = out.join(FILE_NAME);
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        Surface::from_json(&text, &path).map(Some)
    }

    /// The names this surface gives, by place: what the next regen keeps.
    pub fn name_lock(&self) -> NameLock {
        NameLock {
            types: self
                .types
                .iter()
                .map(|t| (t.origin.clone(), t.name.clone()))
                .collect(),
            methods: self
                .operations
                .iter()
                .map(|op| LockedMethod {
                    origin: op.origin.clone(),
                    operation_id: op.operation_id.clone(),
                    group: op.group.clone(),
                    legacy: op.legacy,
                    method: op.method.clone(),
                })
                .collect(),
        }
    }

    pub fn operation(&self, http: &str) -> Option<&OperationSurface> {
        self.operations.iter().find(|op| op.http == http)
    }

    pub fn type_named(&self, name: &str) -> Option<&TypeSurface> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// `client.videos().create_video()`, `client.legacy().videos().delete_video()`.
pub fn call_path(group: &str, method: &str, legacy: bool) -> String {
    let legacy = if legacy { "legacy()." } else { "" };
    format!("client.{legacy}{group}().{method}()")
}

fn operation(api: &Api, op: &Operation) -> OperationSurface {
    let types = &api.types;
    let group = &api.groups[op.group];
    let has_struct = op.params.iter().any(|p| p.location != ParamLocation::Path);
    let mut params: Vec<ParamSurface> = op
        .params
        .iter()
        .map(|p| ParamSurface {
            wire: p.wire.clone(),
            rust: p.rust.clone(),
            location: match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            }
            .to_string(),
            ty: types.display(p.ty.non_null()),
            required: p.required,
            nullable: p.ty.is_nullable(),
        })
        .collect();
    params.sort_by(|a, b| (&a.location, &a.wire).cmp(&(&b.location, &b.wire)));
    let body = op.body.as_ref().map(|body| match body {
        RequestBody::Json { ty, required } => BodySurface::Json {
            ty: types.display(ty),
            required: *required,
        },
        RequestBody::Multipart { fields } => BodySurface::Multipart {
            fields: fields
                .iter()
                .map(|f| MultipartFieldSurface {
                    wire: f.wire.clone(),
                    rust: f.rust.clone(),
                    ty: f.ty.as_ref().map(|ty| types.display(ty.non_null())),
                    required: f.required,
                })
                .collect(),
        },
        RequestBody::Raw { content_type } => BodySurface::Raw {
            content_type: content_type.clone(),
        },
    });
    let (returns, decoding) = match &op.success {
        Success::Envelope(ty) => (types.display(ty), "envelope"),
        Success::Page(item) => (format!("Page<{}>", types.display(item)), "page"),
        Success::Json(ty) => (types.display(ty), "json"),
        Success::Text => ("String".to_string(), "text"),
        Success::Bytes => ("bytes::Bytes".to_string(), "bytes"),
        Success::Empty => ("()".to_string(), "empty"),
    };
    let mut errors: Vec<ErrorSurface> = op
        .errors
        .iter()
        .map(|e| {
            let mut headers = e.headers.clone();
            headers.sort();
            ErrorSurface {
                status: e.status,
                shape: match e.shape {
                    ErrorShape::Standard => "standard",
                    ErrorShape::LegacyFlat => "legacy_flat",
                    ErrorShape::LegacyEnvelope => "legacy_envelope",
                    ErrorShape::Legacy => "legacy",
                }
                .to_string(),
                headers,
            }
        })
        .collect();
    errors.sort_by_key(|e| e.status);
    OperationSurface {
        call: call_path(&group.module, &op.name, group.legacy),
        group: group.module.clone(),
        method: op.name.clone(),
        operation_id: op.operation_id.clone(),
        http: format!("{} {}", op.method.as_str(), op.path),
        summary: op.docs.summary.clone(),
        legacy: group.legacy,
        deprecated: op.docs.deprecated,
        idempotent: op.idempotent,
        params_struct: has_struct.then(|| format!("{}Params", op.name.to_upper_camel_case())),
        params,
        body,
        returns,
        decoding: decoding.to_string(),
        errors,
        pagination: op.pagination.as_ref().map(|p| p.token_param.clone()),
        polling: op.polling.is_some(),
        origin: op.origin.clone(),
    }
}

fn type_surface(types: &TypeSpace, def: &TypeDef, serde: SerdeTraits) -> TypeSurface {
    let variants = |variants: &[crate::ir::Variant]| -> Vec<VariantSurface> {
        variants
            .iter()
            .map(|v| VariantSurface {
                wire: v.wire.clone(),
                rust: v.rust.clone(),
                ty: types.display(&v.ty),
            })
            .collect()
    };
    let shape = match &def.kind {
        TypeKind::Struct { fields, extra } => TypeShape::Struct {
            fields: fields
                .iter()
                .map(|f| FieldSurface {
                    wire: f.wire.clone(),
                    rust: f.rust.clone(),
                    ty: types.display(f.ty.non_null()),
                    required: f.required,
                    nullable: f.ty.is_nullable(),
                })
                .collect(),
            extra: extra.as_ref().map(|ty| match ty {
                TypeRef::Json => "serde_json::Value".to_string(),
                other => types.display(other),
            }),
        },
        TypeKind::Enum { values } => TypeShape::Enum {
            values: values
                .iter()
                .map(|v| EnumValueSurface {
                    wire: v.wire.clone(),
                    rust: v.rust.clone(),
                })
                .collect(),
        },
        TypeKind::Tagged { tag, variants: vs } => TypeShape::TaggedUnion {
            tag: tag.clone(),
            variants: variants(vs),
        },
        TypeKind::Untagged {
            variants: vs,
            fallback_json,
        } => TypeShape::UntaggedUnion {
            variants: variants(vs),
            fallback_json: *fallback_json,
        },
        TypeKind::Alias(ty) => TypeShape::Alias {
            target: types.display(ty),
        },
    };
    TypeSurface {
        name: def.name.clone(),
        shape,
        legacy: def.legacy,
        deprecated: def.docs.deprecated,
        origin: def.origin.clone(),
        serde: Some(serde.label().to_string()),
    }
}

/// Names of `types` that a Rust type as spelled in the surface mentions
/// (`Vec<Option<VideoItem>>` -> `VideoItem`); paths such as `serde_json::Value` are skipped.
pub fn mentioned_names(ty: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = ty;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let token = &rest[..end];
        if !token.is_empty() && !token.contains("::") {
            out.push(token);
        }
        rest = &rest[end..];
        let skip = rest
            .find(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
            .unwrap_or(rest.len());
        rest = &rest[skip..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentioned_names_skip_paths_and_containers() {
        assert_eq!(
            mentioned_names("Vec<Option<VideoItem>>"),
            ["Vec", "Option", "VideoItem"]
        );
        assert_eq!(
            mentioned_names("BTreeMap<String, serde_json::Value>"),
            ["BTreeMap", "String"]
        );
        assert_eq!(mentioned_names("Page<A>"), ["Page", "A"]);
        assert!(mentioned_names("").is_empty());
    }

    #[test]
    fn call_paths() {
        assert_eq!(
            call_path("videos", "get_video", false),
            "client.videos().get_video()"
        );
        assert_eq!(
            call_path("videos", "delete_video", true),
            "client.legacy().videos().delete_video()"
        );
    }

    #[test]
    fn rejects_other_formats_with_location() {
        let path = Path::new("generated/api-surface.json");
        let error = Surface::from_json("{\"format\": 99}", path).expect_err("format 99");
        assert!(error.to_string().contains("format 99"), "{error}");
        let error = Surface::from_json("{\"format\": 1, \"title\": 3}", path).expect_err("bad");
        assert!(error.to_string().contains("/title"), "{error}");
        let error = Surface::from_json("{", path).expect_err("bad json");
        assert!(error.to_string().contains("api-surface.json"), "{error}");
    }
}
