//! The `no_run` example in every operation's docs: the call with a made-up
//! value for each required argument, built from the IR so that it compiles
//! (rustdoc checks it) whatever the argument types are.

use crate::ir::{Api, Operation, ParamLocation, RequestBody, TypeKind, TypeRef};

/// Nesting depth after which a value falls back to `Default::default()`.
const MAX_DEPTH: usize = 6;

/// The example as a Markdown section.
pub fn call_example(api: &Api, op: &Operation) -> String {
    let group = &api.groups[op.group];
    let handle = if group.legacy {
        format!("client.legacy().{}()", group.module)
    } else {
        format!("client.{}()", group.module)
    };
    let mut args = Vec::new();
    for param in super::operations::path_params(op) {
        args.push(value(api, &param.ty, 0, &param.rust));
    }
    match &op.body {
        Some(RequestBody::Json { ty, required: true }) => args.push(value(api, ty, 0, "body")),
        Some(RequestBody::Multipart { fields }) => {
            for field in fields.iter().filter(|f| f.required) {
                args.push(match &field.ty {
                    None => "heygen::FileUpload::from_path(\"file.mp4\")?".to_string(),
                    Some(ty) => value(api, ty, 0, &field.rust),
                });
            }
        }
        Some(RequestBody::Raw { .. }) => {
            args.push("heygen::FileUpload::from_path(\"file.mp4\")?".to_string())
        }
        _ => {}
    }
    for param in super::operations::optional_params(op)
        .into_iter()
        .filter(|p| p.required)
    {
        args.push(value(api, &param.ty, 0, &param.rust));
    }
    let mut call = format!("{handle}\n    .{}({})", op.name, args.join(", "));
    // Show one optional query parameter being set, where there is one.
    if let Some(param) = super::operations::optional_params(op)
        .into_iter()
        .find(|p| !p.required && p.location == ParamLocation::Query)
    {
        let setter = super::builders::setter_name(&param.rust);
        call.push_str(&format!(
            "\n    .{setter}({})",
            value(api, param.ty.non_null(), 0, &param.rust)
        ));
    }
    let allow = if op.deprecation.is_some() {
        "# #[allow(deprecated)]\n"
    } else {
        ""
    };
    format!(
        "```no_run\n{allow}# async fn example(client: heygen::Client) -> heygen::Result<()> {{\nlet response = {call}\n    .await?;\n# let _ = response;\n# Ok(())\n# }}\n```"
    )
}

/// A Rust expression of type `ty` (or one that converts into it with `Into`).
fn value(api: &Api, ty: &TypeRef, depth: usize, hint: &str) -> String {
    if depth > MAX_DEPTH {
        return "Default::default()".into();
    }
    match ty {
        TypeRef::Nullable(_) => "None".into(),
        TypeRef::String => format!("{:?}", example_text(hint)),
        TypeRef::Integer(_) => "1".into(),
        TypeRef::Number(_) => "1.0".into(),
        TypeRef::Boolean => "true".into(),
        // Typed, because the argument is `impl Into<T>`: `Default::default()` alone
        // would leave the type to infer.
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Json | TypeRef::JsonObject => {
            let ty = super::types::type_tokens(&api.types, ty, super::types::Scope::Crate)
                .to_string()
                .replace("crate ::", "heygen ::");
            format!("<{ty}>::default()")
        }
        TypeRef::Named(id) => {
            let def = api.types.get(*id);
            let path = format!("heygen::types::{}", def.name);
            match &def.kind {
                TypeKind::Struct { fields, .. } => {
                    let args: Vec<String> = fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| value(api, &f.ty, depth + 1, &f.rust))
                        .collect();
                    format!("{path}::new({})", args.join(", "))
                }
                TypeKind::Enum { values } => match values.first() {
                    Some(first) => format!("{path}::{}", first.rust),
                    None => format!("{path}::Unknown(String::new())"),
                },
                TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. } => {
                    // `From` exists for a variant whose type no other variant has,
                    // and it boxes the large variants the union holds in a `Box`.
                    // (Not the union itself: that `From` is std's identity.)
                    let unique = variants.iter().find(|v| {
                        v.ty != TypeRef::Named(*id)
                            && variants.iter().filter(|o| o.ty == v.ty).count() == 1
                    });
                    match (unique, variants.first()) {
                        (Some(variant), _) => {
                            format!("{path}::from({})", value(api, &variant.ty, depth + 1, hint))
                        }
                        (None, Some(first)) => format!(
                            "{path}::{}({})",
                            first.rust,
                            value(api, &first.ty, depth + 1, hint)
                        ),
                        (None, None) => "Default::default()".into(),
                    }
                }
                TypeKind::Alias(_) if super::facts::is_newtype(&api.types, *id) => {
                    format!("{path}::default()")
                }
                TypeKind::Alias(inner) => value(api, inner, depth, hint),
            }
        }
    }
}

/// A plausible string for a field or parameter named `hint`.
fn example_text(hint: &str) -> String {
    let hint = hint.trim_start_matches("r#");
    if hint.ends_with("_id") || hint == "id" {
        format!("{hint}_123")
    } else if hint.contains("url") {
        "https://example.com/file.mp4".into()
    } else {
        hint.replace('_', " ")
    }
}
