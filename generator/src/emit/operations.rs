//! IR operations -> one module per group, with a handle struct whose methods
//! are the operations, reached from the client (`client.videos().list_videos(..)`).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_inner_attrs, prose, render};
use super::types::{ident, type_tokens, Scope};
use crate::error::{Error, Result};
use crate::ir::{
    Api, Operation, ParamLocation, Parameter, RequestBody, Success, TypeKind, TypeRef,
};

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
    let mut builders = Vec::new();
    let mut pollable = Vec::new();
    let mut pollable_types = BTreeSet::new();
    for op in &ops {
        let (method, builder) = super::builders::emit(api, op, &method_docs(op))?;
        methods.push(method);
        builders.push(builder);
        if let Some(polled) = emit_polling(api, op)? {
            if pollable_types.insert(polled.type_name) {
                pollable.push(polled.pollable);
            }
            methods.push(polled.method);
            builders.push(polled.until_done);
        }
    }
    let group_doc = doc_attrs(&group_docs(group));
    let webhooks = super::webhooks::for_group(api, group_index);
    let mut page = module_docs(group, &ops);
    if let Some(webhooks) = webhooks {
        page.push_str(&super::webhooks::module_docs(webhooks));
    }
    let module_doc = doc_inner_attrs(&page);
    let webhook_items = webhooks.map(|webhooks| super::webhooks::emit(api, webhooks));
    let accessor_doc = format!(" Operations tagged `{}`.", group.tag);
    let accessor_impl = if group.legacy {
        quote! {
            impl crate::legacy::Legacy {
                #[doc = #accessor_doc]
                pub fn #accessor(&self) -> #handle {
                    #handle { client: self.client.clone() }
                }
            }
        }
    } else {
        quote! {
            impl crate::Client {
                #[doc = #accessor_doc]
                pub fn #accessor(&self) -> #handle {
                    #handle { client: self.clone() }
                }
            }
        }
    };
    Ok(quote! {
        #module_doc

        #accessor_impl

        #group_doc
        #[derive(Debug, Clone)]
        pub struct #handle {
            client: crate::Client,
        }

        impl #handle {
            #( #methods )*
        }

        #( #builders )*

        #( #pollable )*

        #webhook_items
    })
}

/// The module's page: what the group is, how to reach it, and every call
/// with its summary.
fn module_docs(group: &crate::ir::Group, ops: &[&Operation]) -> String {
    let accessor = if group.legacy {
        format!("client.legacy().{}()", group.module)
    } else {
        format!("client.{}()", group.module)
    };
    let mut text = match &group.description {
        Some(description) => prose(description),
        None => format!("Operations tagged `{}`.", group.tag),
    };
    text.push_str(&format!(
        "\n\nReached with `{accessor}`, a [`{}`]. Each method starts a call: pass \
         the required inputs, set optional ones and per-call options on the builder, \
         then `.await` it.\n",
        group.type_name
    ));
    for op in ops {
        let summary = op
            .docs
            .summary
            .as_deref()
            .map(|s| format!(": {}", prose(s).replace('\n', " ")))
            .unwrap_or_default();
        let retired = if op.deprecation.is_some() {
            " (retired)"
        } else {
            ""
        };
        text.push_str(&format!(
            "\n- [`{name}`]({handle}::{name}) — `{} {}`{summary}{retired}",
            op.method.as_str(),
            op.path,
            name = op.name,
            handle = group.type_name,
        ));
    }
    if group.legacy {
        text.push_str("\n\nThese are legacy (v1/v2) endpoints.");
    }
    text
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

/// The query and header parameters, in the order of the spec.
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
        text.push_str("\n\nSends an `Idempotency-Key` (a new UUID unless set with `idempotency_key`), reused across retries.");
    }
    text
}

/// `#[deprecated(since, note)]` for a retired operation, nothing otherwise.
pub fn deprecated_attr(op: &Operation) -> Option<TokenStream> {
    let deprecation = op.deprecation.as_ref()?;
    let since = &deprecation.since;
    let note = &deprecation.note;
    Some(quote!(#[deprecated(since = #since, note = #note)]))
}

/// What a pollable operation adds: `Pollable` for its response type (once per
/// type), the group's `*_until_done` method and the builder's `until_done`.
struct Polled {
    type_name: String,
    pollable: TokenStream,
    method: TokenStream,
    until_done: TokenStream,
}

fn emit_polling(api: &Api, op: &Operation) -> Result<Option<Polled>> {
    let Some(polling) = &op.polling else {
        return Ok(None);
    };
    let (Success::Envelope(TypeRef::Named(id)) | Success::Json(TypeRef::Named(id))) = &op.success
    else {
        return Err(Error::spec(
            api.location(&op.success_origin),
            "polling is configured but the response is not an object type",
        ));
    };
    let def = api.types.get(*id);
    let TypeKind::Struct { fields, .. } = &def.kind else {
        return Err(Error::spec(
            api.location(&op.success_origin),
            format!("polling is configured but `{}` is not a struct", def.name),
        ));
    };
    let field = |wire: &str| -> Result<TokenStream> {
        let found = fields.iter().find(|f| f.wire == wire).ok_or_else(|| {
            Error::spec(
                api.location(&op.success_origin),
                format!("polling field `{wire}` is not a property of `{}`", def.name),
            )
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
    let path: Vec<&Parameter> = path_params(op);
    if op
        .params
        .iter()
        .any(|p| p.required && p.location != ParamLocation::Path)
        || matches!(
            &op.body,
            Some(RequestBody::Json { required: true, .. })
                | Some(RequestBody::Multipart { .. })
                | Some(RequestBody::Raw { .. })
        )
    {
        return Err(Error::spec(
            api.location(&op.origin),
            "polling needs an operation whose only required inputs are path parameters",
        ));
    }
    let builder = super::builders::builder_name(api, op);
    let (signature, names): (Vec<TokenStream>, Vec<TokenStream>) = path
        .iter()
        .map(|p| {
            let name = ident(&p.rust);
            let ty = match p.ty.non_null() {
                TypeRef::String => quote!(impl Into<String>),
                other => type_tokens(&api.types, other, Scope::Crate),
            };
            (quote!(#name: #ty), quote!(#name))
        })
        .unzip();
    let name = ident(&op.name);
    let wait_name = format_ident!("{}_until_done", op.name);
    let doc = format!(
        " Calls [`{}`](Self::{}) until the job is done: `{}` on success, an error on `{}`; polls with backoff until `options.timeout`. To set per-call options on each poll, use [`{builder}::until_done`].",
        op.name,
        op.name,
        succeeded.join("`, `"),
        failed.join("`, `"),
    );
    let method = quote! {
        #[doc = #doc]
        pub async fn #wait_name(&self, #( #signature, )* options: crate::WaitOptions) -> crate::Result<crate::types::#type_name> {
            self.#name(#( #names ),*).until_done(options).await
        }
    };
    let until_done = quote! {
        impl #builder {
            /// Sends this request until the job is done (see [`WaitOptions`](crate::WaitOptions)).
            pub async fn until_done(self, options: crate::WaitOptions) -> crate::Result<crate::types::#type_name> {
                crate::runtime::wait_until_done(|| self.clone().send(), options).await
            }
        }
    };
    Ok(Some(Polled {
        type_name: def.name.clone(),
        pollable: impl_tokens,
        method,
        until_done,
    }))
}
