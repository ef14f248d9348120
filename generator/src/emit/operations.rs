//! IR operations -> one module per group, with a handle struct whose methods
//! are the operations, reached from the client (`client.videos().list_videos(..)`).

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, prose, render};
use super::types::{ident, type_tokens, Scope};
use crate::error::{Error, Result};
use crate::ir::{
    Api, ErrorShape, Operation, ParamLocation, Parameter, RequestBody, Success, TypeKind, TypeRef,
};
use crate::naming::is_keyword;

/// The module for one group: its handle, params structs and methods.
pub fn emit_group(api: &Api, group_index: usize) -> Result<TokenStream> {
    let group = &api.groups[group_index];
    let handle = format_ident!("{}", group.type_name);
    let accessor = ident(&group.module);
    let ops: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| op.group == group_index)
        .collect();
    let mut methods = Vec::new();
    let mut params_structs = Vec::new();
    let mut pollable = Vec::new();
    let mut pollable_types = BTreeSet::new();
    for op in &ops {
        let params_struct = params_struct_name(op);
        if let Some(tokens) = emit_params_struct(api, op, &params_struct) {
            params_structs.push(tokens);
        }
        methods.push(emit_method(api, op, &params_struct)?);
        if let Some(tokens) = emit_stream_method(api, op, &params_struct) {
            methods.push(tokens);
        }
        if let Some((type_name, impl_tokens, method)) = emit_polling(api, op, &params_struct)? {
            if pollable_types.insert(type_name) {
                pollable.push(impl_tokens);
            }
            methods.push(method);
        }
    }
    let group_doc = doc_attrs(&group_docs(group));
    let module_doc = format!(" Operations tagged `{}`.", group.tag);
    let accessor_doc = format!(" Operations tagged `{}`.", group.tag);
    let accessor_impl = if group.legacy {
        quote! {
            impl<'a> crate::legacy::Legacy<'a> {
                #[doc = #accessor_doc]
                pub fn #accessor(&self) -> #handle<'a> {
                    #handle { client: self.client }
                }
            }
        }
    } else {
        quote! {
            impl crate::Client {
                #[doc = #accessor_doc]
                pub fn #accessor(&self) -> #handle<'_> {
                    #handle { client: self }
                }
            }
        }
    };
    Ok(quote! {
        #![doc = #module_doc]

        #accessor_impl

        #group_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #handle<'a> {
            #( #methods )*
        }

        #( #params_structs )*

        #( #pollable )*
    })
}

fn group_docs(group: &crate::ir::Group) -> String {
    let mut text = format!("Operations tagged `{}`.", group.tag);
    if let Some(description) = &group.description {
        text = format!("{}\n\n{text}", prose(description));
    }
    if group.legacy {
        text.push_str("\n\nThese are legacy (v1/v2) endpoints.");
    }
    text
}

/// The name of the struct holding an operation's query and header parameters.
pub fn params_struct_name(op: &Operation) -> String {
    format!("{}Params", op.name.to_upper_camel_case())
}

/// The query and header parameters, in the order of the params struct's fields.
pub fn optional_params(op: &Operation) -> Vec<&Parameter> {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .collect()
}

/// The path parameters, in the order the method takes them (their order in the path).
pub fn path_params(op: &Operation) -> Vec<&Parameter> {
    let order = crate::ir::lower::path_variables(&op.path);
    let mut params: Vec<&Parameter> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    params.sort_by_key(|p| order.iter().position(|v| *v == p.wire));
    params
}

fn emit_params_struct(api: &Api, op: &Operation, name: &str) -> Option<TokenStream> {
    let params = optional_params(op);
    if params.is_empty() {
        return None;
    }
    let name = format_ident!("{}", name);
    let all_optional = params.iter().all(|p| !p.required);
    let default = all_optional.then(|| quote!(Default,));
    let fields = params.iter().map(|p| {
        let field = ident(&p.rust);
        let inner = type_tokens(&api.types, p.ty.non_null(), Scope::Crate);
        let ty = if p.required && !p.ty.is_nullable() {
            inner
        } else {
            quote!(Option<#inner>)
        };
        let mut text = render(&p.docs);
        let location = match p.location {
            ParamLocation::Header => "Header",
            _ => "Query parameter",
        };
        let wire_note = format!(
            "{location} `{}`{}.",
            p.wire,
            if p.required { ", required" } else { "" }
        );
        text = if text.is_empty() {
            wire_note
        } else {
            format!("{text}\n\n{wire_note}")
        };
        let docs = doc_attrs(&text);
        quote! { #docs pub #field: #ty, }
    });
    let doc = format!(
        " Query and header parameters of [`{}`]({}::{}).",
        op.name,
        handle_name(api, op),
        op.name
    );
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #( #fields )*
        }
    })
}

fn handle_name(api: &Api, op: &Operation) -> String {
    api.groups[op.group].type_name.clone()
}

/// The Rust return type and the expression that sends the request.
fn response_handling(api: &Api, success: &Success) -> (TokenStream, TokenStream) {
    match success {
        Success::Envelope(ty) => {
            let ty = type_tokens(&api.types, ty, Scope::Crate);
            (
                ty.clone(),
                quote!(self.client.send_json::<crate::runtime::DataEnvelope<#ty>>(request).await?.into_data()),
            )
        }
        Success::Page(item) => {
            let item = type_tokens(&api.types, item, Scope::Crate);
            (
                quote!(crate::Page<#item>),
                quote!(self.client.send_json::<crate::Page<#item>>(request).await),
            )
        }
        Success::Json(ty) => {
            let ty = type_tokens(&api.types, ty, Scope::Crate);
            (
                ty.clone(),
                quote!(self.client.send_json::<#ty>(request).await),
            )
        }
        Success::Text => (quote!(String), quote!(self.client.send_text(request).await)),
        Success::Bytes => (
            quote!(bytes::Bytes),
            quote!(self.client.send_bytes(request).await),
        ),
        Success::Empty => (quote!(()), quote!(self.client.send_empty(request).await)),
    }
}

fn shape_tokens(shape: ErrorShape) -> TokenStream {
    match shape {
        ErrorShape::Standard => quote!(crate::runtime::ErrorShape::Standard),
        ErrorShape::LegacyFlat => quote!(crate::runtime::ErrorShape::LegacyFlat),
        ErrorShape::LegacyEnvelope => quote!(crate::runtime::ErrorShape::LegacyEnvelope),
        ErrorShape::Legacy => quote!(crate::runtime::ErrorShape::Legacy),
    }
}

fn method_docs(op: &Operation) -> String {
    let mut text = render(&op.docs);
    let line = format!("`{} {}`", op.method.as_str(), op.path);
    text = if text.is_empty() {
        line
    } else {
        format!("{text}\n\n{line}")
    };
    let described: Vec<String> = path_params(op)
        .into_iter()
        .filter_map(|p| {
            p.docs
                .description
                .as_ref()
                .map(|d| format!("- `{}`: {}", p.rust, prose(d).replace('\n', " ")))
        })
        .collect();
    if !described.is_empty() {
        text.push_str(&format!("\n\nPath parameters:\n{}", described.join("\n")));
    }
    if !op.errors.is_empty() {
        let statuses: Vec<String> = op.errors.iter().map(|e| e.status.to_string()).collect();
        text.push_str(&format!(
            "\n\nDeclared error statuses: {}.",
            statuses.join(", ")
        ));
    }
    let takes_token = op
        .params
        .iter()
        .any(|p| p.location == ParamLocation::Query && p.wire == "token");
    if takes_token && op.pagination.is_none() {
        text.push_str(
            "\n\nTakes a page `token`, but the response has no top-level `next_token`, so no \
             stream method follows the pages: this returns one page.",
        );
    }
    if op.idempotent {
        text.push_str("\n\nSends an `Idempotency-Key` (a new UUID unless set in the parameters), reused across retries.");
    }
    text
}

/// Arguments of the method and the builder calls that add them to the request.
struct Arguments {
    signature: Vec<TokenStream>,
    names: Vec<TokenStream>,
    path: TokenStream,
    builder: Vec<TokenStream>,
    /// Statements before the request is built (multipart forms).
    prelude: Vec<TokenStream>,
    /// Statements after (optional bodies).
    after: Vec<TokenStream>,
}

fn arguments(api: &Api, op: &Operation, params_struct: &str) -> Result<Arguments> {
    let mut signature = Vec::new();
    let mut names = Vec::new();
    // Each path parameter is encoded into a local of the same name, which the
    // `format!` string then names inline (`/v3/videos/{video_id}`).
    let mut encoded = Vec::new();
    for param in path_params(op) {
        let name = ident(&param.rust);
        names.push(quote!(#name));
        let value = match param.ty.non_null() {
            TypeRef::String => {
                signature.push(quote!(#name: &str));
                quote!(#name)
            }
            TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => {
                let ty = type_tokens(&api.types, param.ty.non_null(), Scope::Crate);
                signature.push(quote!(#name: #ty));
                quote!(&#name.to_string())
            }
            TypeRef::Named(id) if matches!(api.types.get(*id).kind, TypeKind::Enum { .. }) => {
                let ty = type_tokens(&api.types, param.ty.non_null(), Scope::Crate);
                signature.push(quote!(#name: &#ty));
                quote!(#name.as_str())
            }
            _ => {
                return Err(Error::Input(format!(
                    "{}: path parameter `{}` must be a string, number, boolean or string enum",
                    op.origin, param.wire
                )))
            }
        };
        let local = format_ident!("{}", path_local(&param.rust));
        encoded.push(quote!(let #local = crate::runtime::encode_path_segment(#value);));
    }
    let path = if encoded.is_empty() {
        let path = &op.path;
        quote!(#path.to_string())
    } else {
        let template = path_format_template(op);
        quote!(format!(#template))
    };
    let mut builder = Vec::new();
    let mut prelude = encoded;
    let mut after = Vec::new();
    match &op.body {
        Some(RequestBody::Json { ty, required }) => {
            let ty = type_tokens(&api.types, ty, Scope::Crate);
            names.push(quote!(body));
            if *required {
                signature.push(quote!(body: &#ty));
                builder.push(quote!(.json(body)));
            } else {
                signature.push(quote!(body: Option<&#ty>));
                after.push(quote!(let request = match body { Some(body) => request.json(body), None => request };));
            }
        }
        Some(RequestBody::Multipart { fields }) => {
            let mut parts = Vec::new();
            for field in fields {
                let name = ident(&field.rust);
                let wire = &field.wire;
                names.push(quote!(#name));
                match (&field.ty, field.required) {
                    (None, true) => {
                        signature.push(quote!(#name: crate::FileUpload));
                        parts.push(quote!(let form = form.file(#wire, #name);));
                    }
                    (None, false) => {
                        signature.push(quote!(#name: Option<crate::FileUpload>));
                        parts.push(quote!(let form = match #name { Some(file) => form.file(#wire, file), None => form };));
                    }
                    (Some(ty), true) => {
                        let ty = type_tokens(&api.types, ty.non_null(), Scope::Crate);
                        signature.push(quote!(#name: &#ty));
                        parts.push(quote!(let form = form.field(#wire, #name);));
                    }
                    (Some(ty), false) => {
                        let ty = type_tokens(&api.types, ty.non_null(), Scope::Crate);
                        signature.push(quote!(#name: Option<&#ty>));
                        parts.push(quote!(let form = match #name { Some(value) => form.field(#wire, value), None => form };));
                    }
                }
            }
            prelude.push(quote!(let form = crate::Multipart::new();));
            prelude.extend(parts);
            builder.push(quote!(.multipart(form)));
            builder.push(quote!(.upload()));
        }
        Some(RequestBody::Raw { .. }) => {
            names.push(quote!(body));
            signature.push(quote!(body: crate::FileUpload));
            builder.push(quote!(.file_body(body)));
            builder.push(quote!(.upload()));
        }
        None => {}
    }
    let others = optional_params(op);
    if !others.is_empty() {
        let params_ty = format_ident!("{}", params_struct);
        names.push(quote!(params));
        signature.push(quote!(params: &#params_ty));
        for param in others {
            let field = ident(&param.rust);
            let wire = &param.wire;
            builder.push(match param.location {
                ParamLocation::Header => quote!(.header(#wire, &params.#field)),
                _ => quote!(.query(#wire, &params.#field)),
            });
        }
    }
    if op.idempotent {
        builder.push(quote!(.idempotent()));
    }
    let shapes = op.errors.iter().map(|e| {
        let status = proc_macro2::Literal::u16_unsuffixed(e.status);
        let shape = shape_tokens(e.shape);
        quote!((#status, #shape))
    });
    builder.push(quote!(.error_shapes(&[#( #shapes ),*])));
    Ok(Arguments {
        signature,
        names,
        path,
        builder,
        prelude,
        after,
    })
}

/// `/v3/videos/{video-id}` -> `/v3/videos/{video_id}`: the path with each
/// variable renamed to the Rust local that holds its encoded value.
fn path_format_template(op: &Operation) -> String {
    let mut template = op.path.clone();
    for param in path_params(op) {
        template = template.replace(
            &format!("{{{}}}", param.wire),
            &format!("{{{}}}", path_local(&param.rust)),
        );
    }
    template
}

/// The local holding a path parameter's encoded value; `format!` cannot name a
/// raw identifier, so a keyword gets a trailing underscore.
fn path_local(rust: &str) -> String {
    if is_keyword(rust) {
        format!("{rust}_")
    } else {
        rust.to_string()
    }
}

fn method_tokens(op: &Operation) -> TokenStream {
    let method = format_ident!("{}", op.method.as_str());
    quote!(reqwest::Method::#method)
}

fn emit_method(api: &Api, op: &Operation, params_struct: &str) -> Result<TokenStream> {
    let name = ident(&op.name);
    let docs = doc_attrs(&method_docs(op));
    let Arguments {
        signature,
        path,
        builder,
        prelude,
        after,
        ..
    } = arguments(api, op, params_struct)?;
    let (ret, send) = response_handling(api, &op.success);
    let method = method_tokens(op);
    let deprecated = deprecated_attr(op);
    Ok(quote! {
        #docs
        #deprecated
        pub async fn #name(&self, #( #signature ),*) -> crate::Result<#ret> {
            #( #prelude )*
            let request = crate::runtime::Request::new(#method, #path) #( #builder )*;
            #( #after )*
            #send
        }
    })
}

fn emit_stream_method(api: &Api, op: &Operation, params_struct: &str) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let token = op
        .params
        .iter()
        .find(|p| p.wire == pagination.token_param && p.location == ParamLocation::Query)?;
    let token_field = ident(&token.rust);
    let name = ident(&op.name);
    let stream_name = format_ident!("{}_stream", op.name);
    let item = type_tokens(&api.types, &pagination.item, Scope::Crate);
    let params_ty = format_ident!("{}", params_struct);
    let args = path_params(op);
    let (path_signature, path_names): (Vec<TokenStream>, Vec<TokenStream>) = args
        .iter()
        .map(|p| {
            let n = ident(&p.rust);
            (quote!(#n: &'a str), quote!(#n))
        })
        .unzip();
    let doc = doc_attrs(&format!(
        "Every item of [`{}`](Self::{}), following `next_token` page after page.\n\nThe stream ends after the last page; an error ends it too.",
        op.name, op.name
    ));
    let deprecated = deprecated_attr(op);
    // The stream carries the operation's deprecation; calling it from inside must not warn.
    let allow = op
        .deprecation
        .as_ref()
        .map(|_| quote!(#[allow(deprecated)]));
    Some(quote! {
        #doc
        #deprecated
        #allow
        pub fn #stream_name(&self, #( #path_signature, )* params: &#params_ty) -> impl futures_util::Stream<Item = crate::Result<#item>> + 'a {
            let handle = *self;
            let params = params.clone();
            crate::runtime::paginate(move |token| {
                let mut params = params.clone();
                params.#token_field = token;
                async move { handle.#name(#( #path_names, )* &params).await }
            })
        }
    })
}

/// `#[deprecated(since, note)]` for a retired operation, nothing otherwise.
fn deprecated_attr(op: &Operation) -> Option<TokenStream> {
    let deprecation = op.deprecation.as_ref()?;
    let since = &deprecation.since;
    let note = &deprecation.note;
    Some(quote!(#[deprecated(since = #since, note = #note)]))
}

fn emit_polling(
    api: &Api,
    op: &Operation,
    params_struct: &str,
) -> Result<Option<(String, TokenStream, TokenStream)>> {
    let Some(polling) = &op.polling else {
        return Ok(None);
    };
    let (Success::Envelope(TypeRef::Named(id)) | Success::Json(TypeRef::Named(id))) = &op.success
    else {
        return Err(Error::Input(format!(
            "{}: polling is configured but the response is not an object type",
            op.origin
        )));
    };
    let def = api.types.get(*id);
    let TypeKind::Struct { fields, .. } = &def.kind else {
        return Err(Error::Input(format!(
            "{}: polling is configured but `{}` is not a struct",
            op.origin, def.name
        )));
    };
    let field = |wire: &str| -> Result<TokenStream> {
        let found = fields.iter().find(|f| f.wire == wire).ok_or_else(|| {
            Error::Input(format!(
                "{}: polling field `{wire}` is not a property of `{}`",
                op.origin, def.name
            ))
        })?;
        let name = ident(&found.rust);
        Ok(quote!(crate::runtime::codec::text_of(&self.#name)))
    };
    let status = field(&polling.status_field)?;
    let code = polling
        .failure_code_field
        .as_deref()
        .map(field)
        .transpose()?
        .unwrap_or(quote!(None));
    let message = polling
        .failure_message_field
        .as_deref()
        .map(field)
        .transpose()?
        .unwrap_or(quote!(None));
    let succeeded = &polling.succeeded;
    let failed = &polling.failed;
    let type_name = format_ident!("{}", def.name);
    let impl_tokens = quote! {
        impl crate::runtime::Pollable for crate::types::#type_name {
            fn poll_state(&self) -> crate::runtime::PollState {
                let status = #status;
                match status.as_deref() {
                    #( Some(#succeeded) )|* => crate::runtime::PollState::Succeeded,
                    #( Some(#failed) )|* => crate::runtime::PollState::Failed { code: #code, message: #message },
                    _ => crate::runtime::PollState::Running,
                }
            }

            fn status_text(&self) -> Option<String> {
                #status
            }
        }
    };
    let Arguments {
        signature, names, ..
    } = arguments(api, op, params_struct)?;
    let name = ident(&op.name);
    let wait_name = format_ident!("{}_until_done", op.name);
    let doc = format!(
        " Calls [`{}`](Self::{}) until the job is done: `{}` on success, an error on `{}`; polls with backoff until `options.timeout`.",
        op.name,
        op.name,
        succeeded.join("`, `"),
        failed.join("`, `"),
    );
    let method = quote! {
        #[doc = #doc]
        pub async fn #wait_name(&self, #( #signature, )* options: crate::WaitOptions) -> crate::Result<crate::types::#type_name> {
            crate::runtime::wait_until_done(|| self.#name(#( #names ),*), options).await
        }
    };
    Ok(Some((def.name.clone(), impl_tokens, method)))
}
