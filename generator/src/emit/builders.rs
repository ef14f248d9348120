//! One request builder per operation: the group method takes the required
//! arguments, setters take the optional ones, the runtime's `call_options!`
//! adds the per-call options, and `.await` (or `send`) sends it.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc_attrs, render};
use super::examples::call_example;
use super::types::{ident, type_tokens, Scope};
use crate::error::{Error, Result};
use crate::ir::{
    Api, ErrorShape, Operation, PageShape, ParamLocation, RequestBody, Success, TypeKind, TypeRef,
};
use crate::naming::is_keyword;

/// Method names every builder has; a parameter's setter with one of these
/// names gets a `_param` suffix.
const BUILDER_METHODS: &[&str] = &[
    "timeout",
    "deadline",
    "max_retries",
    "retry_policy",
    "header",
    "query",
    "options",
    "send",
    "send_with_response",
    "stream",
    "into_future",
    "into_request",
];

/// One value the builder carries to the request.
struct Input {
    /// The builder's field.
    field: Ident,
    /// The setter (optional inputs) or the group method's argument (required ones).
    setter: Ident,
    /// The field's type.
    stored: TokenStream,
    required: bool,
    /// The argument's type (`impl Into<T>` where a conversion helps).
    arg: TokenStream,
    /// How the argument becomes the field's value.
    convert: Conversion,
    docs: String,
}

#[derive(Clone, Copy)]
enum Conversion {
    /// `value`
    Same,
    /// `value.into()`
    Into,
    /// `Some(value)`
    Some,
    /// `Some(value.into())`
    SomeInto,
}

impl Conversion {
    fn apply(self, value: TokenStream) -> TokenStream {
        match self {
            Conversion::Same => value,
            Conversion::Into => quote!(#value.into()),
            Conversion::Some => quote!(Some(#value)),
            Conversion::SomeInto => quote!(Some(#value.into())),
        }
    }
}

/// The builder's type name: the operation's method name in UpperCamelCase.
pub fn builder_name(api: &Api, op: &Operation) -> Ident {
    let name = op.name.trim_start_matches("r#").to_upper_camel_case();
    if name == api.groups[op.group].type_name {
        format_ident!("{}Call", name)
    } else {
        format_ident!("{}", name)
    }
}

/// The builder's setter for an optional input named `rust`: its name, with
/// `_param` added where it would shadow a per-call option method.
pub fn setter_name(rust: &str) -> Ident {
    let plain = rust.trim_start_matches("r#");
    if BUILDER_METHODS.contains(&plain) || plain == "client" {
        format_ident!("{}_param", plain)
    } else {
        ident(rust)
    }
}

fn field_name(rust: &str) -> Ident {
    let plain = rust.trim_start_matches("r#");
    if plain == "client" || plain == "options" {
        format_ident!("{}_param", plain)
    } else {
        ident(rust)
    }
}

/// What a parameter of this type is stored as, taken as, and converted with.
fn value_input(api: &Api, ty: &TypeRef, required: bool) -> (TokenStream, TokenStream, Conversion) {
    let inner = type_tokens(&api.types, ty.non_null(), Scope::Crate);
    match (required, ty.is_nullable()) {
        (true, false) => (inner.clone(), quote!(impl Into<#inner>), Conversion::Into),
        (true, true) => (
            quote!(Option<#inner>),
            quote!(Option<#inner>),
            Conversion::Same,
        ),
        (false, _) => (
            quote!(Option<#inner>),
            quote!(impl Into<#inner>),
            Conversion::SomeInto,
        ),
    }
}

/// The inputs of `op` in the order of the method's arguments: path
/// parameters, the body, then query and header parameters.
fn inputs(api: &Api, op: &Operation) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for param in super::operations::path_params(op) {
        let (stored, arg, convert) = match param.ty.non_null() {
            TypeRef::String => (quote!(String), quote!(impl Into<String>), Conversion::Into),
            TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => {
                let ty = type_tokens(&api.types, param.ty.non_null(), Scope::Crate);
                (ty.clone(), ty, Conversion::Same)
            }
            // Named scalars (an enum, a string or number type, a union of
            // scalars): anything that serializes to one value.
            TypeRef::Named(_) => {
                let ty = type_tokens(&api.types, param.ty.non_null(), Scope::Crate);
                (ty.clone(), quote!(impl Into<#ty>), Conversion::Into)
            }
            _ => {
                return Err(Error::spec(
                    api.location(&op.origin),
                    format!(
                        "path parameter `{}` must be a single value (a string, number, \
                         boolean, or a named type or union of those), not a list or an object",
                        param.wire
                    ),
                ))
            }
        };
        inputs.push(Input {
            field: field_name(&param.rust),
            setter: setter_name(&param.rust),
            stored,
            required: true,
            arg,
            convert,
            docs: render(&param.docs),
        });
    }
    match &op.body {
        Some(RequestBody::Json { ty, required }) => {
            let (stored, arg, convert) = value_input(api, ty, *required);
            inputs.push(Input {
                field: format_ident!("body"),
                setter: format_ident!("body"),
                stored,
                required: *required,
                arg,
                convert,
                docs: "The request body.".into(),
            });
        }
        Some(RequestBody::Multipart { fields }) => {
            for field in fields {
                let (stored, arg, convert) = match (&field.ty, field.required) {
                    (None, true) => (
                        quote!(crate::FileUpload),
                        quote!(crate::FileUpload),
                        Conversion::Same,
                    ),
                    (None, false) => (
                        quote!(Option<crate::FileUpload>),
                        quote!(crate::FileUpload),
                        Conversion::Some,
                    ),
                    (Some(ty), required) => value_input(api, ty, required),
                };
                inputs.push(Input {
                    field: field_name(&field.rust),
                    setter: setter_name(&field.rust),
                    stored,
                    required: field.required,
                    arg,
                    convert,
                    docs: format!("Form field `{}`.", field.wire),
                });
            }
        }
        Some(RequestBody::Raw { .. }) => inputs.push(Input {
            field: format_ident!("body"),
            setter: format_ident!("body"),
            stored: quote!(crate::FileUpload),
            required: true,
            arg: quote!(crate::FileUpload),
            convert: Conversion::Same,
            docs: "The file sent as the request body.".into(),
        }),
        None => {}
    }
    for param in super::operations::optional_params(op) {
        let (stored, arg, convert) = value_input(api, &param.ty, param.required);
        let location = match param.location {
            ParamLocation::Header => "Header",
            _ => "Query parameter",
        };
        let mut docs = render(&param.docs);
        let note = format!("{location} `{}`.", param.wire);
        docs = if docs.is_empty() {
            note
        } else {
            format!("{docs}\n\n{note}")
        };
        inputs.push(Input {
            field: field_name(&param.rust),
            setter: setter_name(&param.rust),
            stored,
            required: param.required,
            arg,
            convert,
            docs,
        });
    }
    Ok(inputs)
}

/// The group method that starts the builder, and the builder itself.
pub fn emit(api: &Api, op: &Operation, method_docs: &str) -> Result<(TokenStream, TokenStream)> {
    let inputs = inputs(api, op)?;
    let name = ident(&op.name);
    let builder = builder_name(api, op);
    let required: Vec<&Input> = inputs.iter().filter(|i| i.required).collect();
    let args = required.iter().map(|i| {
        let setter = &i.setter;
        let arg = &i.arg;
        quote!(#setter: #arg)
    });
    let inits = inputs.iter().map(|i| {
        let field = &i.field;
        if i.required {
            let setter = &i.setter;
            let value = i.convert.apply(quote!(#setter));
            if *field == value.to_string() {
                quote!(#field)
            } else {
                quote!(#field: #value)
            }
        } else {
            quote!(#field: None)
        }
    });
    let deprecated = super::operations::deprecated_attr(op);
    let docs = doc_attrs(&format!("{method_docs}\n\n{}", call_example(api, op)));
    let method = quote! {
        #docs
        #deprecated
        pub fn #name(&self, #( #args ),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #( #inits, )*
                options: crate::RequestOptions::default(),
            }
        }
    };

    let fields = inputs.iter().map(|i| {
        let field = &i.field;
        let stored = &i.stored;
        quote!(#field: #stored)
    });
    let setters = inputs.iter().filter(|i| !i.required).map(|i| {
        let setter = &i.setter;
        let field = &i.field;
        let arg = &i.arg;
        let convert = i.convert.apply(quote!(value));
        let docs = doc_attrs(&i.docs);
        quote! {
            #docs
            pub fn #setter(mut self, value: #arg) -> Self {
                self.#field = #convert;
                self
            }
        }
    });
    let has_file = inputs
        .iter()
        .any(|i| i.stored.to_string().contains("FileUpload"));
    let clone = (!has_file).then(|| quote!(Clone,));
    let into_request = into_request(api, op);
    let (value, decoder) = response_handling(api, &op.success);
    let stream = stream_method(api, op);
    let doc = format!(
        " The call [`{}`]({}::{}) builds: set optional parameters and per-call options, then `.await` it.",
        op.name,
        api.groups[op.group].type_name,
        op.name
    );
    let builder_tokens = quote! {
        #[doc = #doc]
        #[derive(Debug, #clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder {
            client: crate::Client,
            #( #fields, )*
            options: crate::RequestOptions,
        }

        impl #builder {
            #( #setters )*

            /// Sends the request and returns the decoded value.
            pub fn send(self) -> impl std::future::Future<Output = crate::Result<#value>> + Send + 'static {
                crate::runtime::call::send(self.into_request(), #decoder)
            }

            /// Sends the request and returns the value with the response's
            /// status, headers and request id.
            pub fn send_with_response(
                self,
            ) -> impl std::future::Future<Output = crate::Result<crate::Response<#value>>> + Send + 'static {
                crate::runtime::call::send_with_response(self.into_request(), #decoder)
            }

            #stream

            #into_request
        }

        crate::runtime::call_options!(#builder);

        impl std::future::IntoFuture for #builder {
            type Output = crate::Result<#value>;
            type IntoFuture = crate::runtime::BoxFuture<#value>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
    Ok((method, builder_tokens))
}

/// `into_request`: the runtime request with every input and option applied.
fn into_request(api: &Api, op: &Operation) -> TokenStream {
    let mut prelude = Vec::new();
    let mut calls = Vec::new();
    let mut after = Vec::new();
    for param in super::operations::path_params(op) {
        let field = field_name(&param.rust);
        let local = format_ident!("{}", path_local(&param.rust));
        let wire = &param.wire;
        prelude.push(match param.ty.non_null() {
            TypeRef::String => {
                quote!(let #local = crate::runtime::encode_path_segment(&self.#field);)
            }
            TypeRef::Named(id) if matches!(api.types.get(*id).kind, TypeKind::Enum { .. }) => {
                quote!(let #local = crate::runtime::encode_path_segment(self.#field.as_str());)
            }
            TypeRef::Named(_) => {
                quote!(let #local = crate::runtime::path_segment(#wire, &self.#field)?;)
            }
            _ => {
                quote!(let #local = crate::runtime::encode_path_segment(&self.#field.to_string());)
            }
        });
    }
    let path = if prelude.is_empty() {
        let path = &op.path;
        quote!(#path.to_string())
    } else {
        let template = path_format_template(op);
        quote!(format!(#template))
    };
    match &op.body {
        Some(RequestBody::Json { required, .. }) => {
            if *required {
                calls.push(quote!(.json(&self.body)));
            } else {
                after.push(quote!(let request = match &self.body { Some(body) => request.json(body), None => request };));
            }
        }
        Some(RequestBody::Multipart { fields }) => {
            prelude.push(quote!(let form = crate::Multipart::new();));
            for field in fields {
                let name = field_name(&field.rust);
                let wire = &field.wire;
                prelude.push(match (&field.ty, field.required) {
                    (None, true) => quote!(let form = form.file(#wire, self.#name);),
                    (None, false) => quote!(let form = match self.#name { Some(file) => form.file(#wire, file), None => form };),
                    (Some(_), true) => quote!(let form = form.field(#wire, &self.#name);),
                    (Some(_), false) => quote!(let form = match &self.#name { Some(value) => form.field(#wire, value), None => form };),
                });
            }
            calls.push(quote!(.multipart(form)));
            calls.push(quote!(.upload()));
        }
        Some(RequestBody::Raw { .. }) => {
            calls.push(quote!(.file_body(self.body)));
            calls.push(quote!(.upload()));
        }
        None => {}
    }
    for param in super::operations::optional_params(op) {
        let field = field_name(&param.rust);
        let wire = &param.wire;
        calls.push(match param.location {
            ParamLocation::Header => quote!(.header(#wire, &self.#field)),
            _ => quote!(.query(#wire, &self.#field)),
        });
    }
    if op.idempotent {
        calls.push(quote!(.idempotent()));
    }
    let shapes = op.errors.iter().map(|e| {
        let status = proc_macro2::Literal::u16_unsuffixed(e.status);
        let shape = shape_tokens(e.shape);
        quote!((#status, #shape))
    });
    calls.push(quote!(.error_shapes(&[#( #shapes ),*])));
    let method = format_ident!("{}", op.method.as_str());
    quote! {
        /// The client and the runtime request this call sends.
        fn into_request(self) -> crate::Result<(crate::Client, crate::Request)> {
            #( #prelude )*
            let request = crate::Request::new(reqwest::Method::#method, #path) #( #calls )*;
            #( #after )*
            Ok((self.client, request.options(self.options)))
        }
    }
}

/// The value an operation returns, and the runtime decoder (in
/// `runtime::call`) that makes it from a 2xx body.
fn response_handling(api: &Api, success: &Success) -> (TokenStream, TokenStream) {
    match success {
        Success::Envelope(ty) => {
            let ty = type_tokens(&api.types, ty, Scope::Crate);
            (ty.clone(), quote!(crate::runtime::call::data::<#ty>))
        }
        Success::Page(item) => {
            let item = type_tokens(&api.types, item, Scope::Crate);
            (
                quote!(crate::Page<#item>),
                quote!(crate::runtime::call::json::<crate::Page<#item>>),
            )
        }
        Success::Json(ty) => {
            let ty = type_tokens(&api.types, ty, Scope::Crate);
            (ty.clone(), quote!(crate::runtime::call::json::<#ty>))
        }
        Success::Text => (quote!(String), quote!(crate::runtime::call::text)),
        Success::Bytes => (quote!(bytes::Bytes), quote!(crate::runtime::call::bytes)),
        Success::Empty => (quote!(()), quote!(crate::runtime::call::empty)),
    }
}

/// `stream`: every item of a paginated list, following the page token. The
/// stream owns its client, so it can be returned and spawned.
fn stream_method(api: &Api, op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let token = op
        .params
        .iter()
        .find(|p| p.wire == pagination.token_param && p.location == ParamLocation::Query)?;
    let token_field = field_name(&token.rust);
    let item = type_tokens(&api.types, &pagination.item, Scope::Crate);
    let fetch = quote! {
        move |token| {
            let mut page = self.clone();
            page.#token_field = token;
            page.send()
        }
    };
    let walk = match (&pagination.shape, &op.success) {
        (
            PageShape::Items {
                items,
                next_token,
                has_more,
            },
            Success::Envelope(data),
        ) => {
            let data = type_tokens(&api.types, data, Scope::Crate);
            let items = field_name(items);
            let next_token = field_name(next_token);
            let has_more = match has_more {
                Some(field) => {
                    let field = field_name(field);
                    quote!(data.#field)
                }
                None => quote!(None::<bool>),
            };
            quote! {
                crate::runtime::paginate_with(#fetch, |data: #data| {
                    crate::Page::new(data.#items, #has_more, data.#next_token).into_parts()
                })
            }
        }
        _ => quote!(crate::runtime::paginate(#fetch)),
    };
    Some(quote! {
        /// Every item of every page, following `next_token`; the stream ends
        /// after the last page, or with the first error.
        pub fn stream(self) -> impl futures_util::Stream<Item = crate::Result<#item>> + Send + 'static {
            #walk
        }
    })
}

fn shape_tokens(shape: ErrorShape) -> TokenStream {
    match shape {
        ErrorShape::Standard => quote!(crate::runtime::ErrorShape::Standard),
        ErrorShape::LegacyFlat => quote!(crate::runtime::ErrorShape::LegacyFlat),
        ErrorShape::LegacyEnvelope => quote!(crate::runtime::ErrorShape::LegacyEnvelope),
        ErrorShape::Legacy => quote!(crate::runtime::ErrorShape::Legacy),
    }
}

/// `/v3/videos/{video-id}` -> `/v3/videos/{video_id}`: the path with each
/// variable renamed to the Rust local that holds its encoded value.
fn path_format_template(op: &Operation) -> String {
    let mut template = op.path.clone();
    for param in super::operations::path_params(op) {
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
    let plain = rust.trim_start_matches("r#");
    if is_keyword(plain) {
        format!("{plain}_")
    } else {
        plain.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A parameter named like a method or field every builder has must not
    // collide with it; no spec of ours has one, so only this test notices.
    #[test]
    fn inputs_named_like_builder_members_get_a_suffix() {
        let setter = |name: &str| setter_name(name).to_string();
        assert_eq!(setter("timeout"), "timeout_param");
        assert_eq!(setter("into_future"), "into_future_param");
        assert_eq!(setter("client"), "client_param");
        assert_eq!(setter("options"), "options_param");
        assert_eq!(setter("limit"), "limit");
        assert_eq!(setter("type"), "r#type");

        let field = |name: &str| field_name(name).to_string();
        assert_eq!(field("client"), "client_param");
        assert_eq!(field("options"), "options_param");
        // Fields do not clash with methods.
        assert_eq!(field("timeout"), "timeout");
        assert_eq!(field("type"), "r#type");
    }
}
