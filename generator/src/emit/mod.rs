//! Stage: IR -> token streams, one per generated file. Hand-written runtime files
//! from `templates/` are added verbatim by the format stage.

pub mod builders;
mod conversions;
pub mod deserialize;
pub mod directions;
pub mod docs;
pub mod examples;
pub mod facts;
pub mod gates;
pub mod operations;
pub mod types;
pub mod webhooks;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::Result;
use crate::ir::Api;

/// Rust files of the generated crate, by path relative to the crate root.
pub struct EmittedCrate {
    pub rust: BTreeMap<String, TokenStream>,
    /// `[features]` lines for the crate manifest: one feature per group.
    pub features: Vec<(String, Vec<String>)>,
    /// What the crate's README says about it.
    pub summary: CrateSummary,
}

/// The spec-specific facts of the crate's README.
pub struct CrateSummary {
    pub operations: usize,
    pub types: usize,
    /// Every operation group: its feature, module path and number of operations.
    pub groups: Vec<GroupSummary>,
}

pub struct GroupSummary {
    pub feature: String,
    /// e.g. `heygen::videos`, `heygen::legacy::videos`.
    pub module: String,
    pub operations: usize,
}

pub fn emit(api: &Api) -> Result<EmittedCrate> {
    let facts = facts::TypeFacts::new(api);
    let mut rust = BTreeMap::new();
    rust.insert("src/types.rs".to_string(), types::emit_types(api, &facts));
    let mut modules = Vec::new();
    let mut legacy_modules = Vec::new();
    let mut features = Vec::new();
    let mut legacy_features = Vec::new();
    for (index, group) in api.groups.iter().enumerate() {
        let tokens = operations::emit_group(api, index)?;
        let module = format_ident!("{}", group.module);
        let feature = gates::feature(group);
        let gate = quote!(#[cfg(feature = #feature)]);
        if group.legacy {
            rust.insert(format!("src/legacy/{}.rs", group.module), tokens);
            legacy_modules.push(quote!(#gate pub mod #module;));
            legacy_features.push(feature.clone());
        } else {
            rust.insert(format!("src/{}.rs", group.module), tokens);
            modules.push(quote!(#gate pub mod #module;));
        }
        let implied = match webhooks::for_group(api, index) {
            Some(_) => webhooks::RUNTIME_DEPENDENCIES
                .iter()
                .map(|dependency| format!("dep:{dependency}"))
                .collect(),
            None => Vec::new(),
        };
        features.push((feature, implied));
    }
    if !legacy_modules.is_empty() {
        rust.insert(
            "src/legacy/mod.rs".to_string(),
            legacy_module(&legacy_modules),
        );
        features.push(("legacy".to_string(), legacy_features.clone()));
    }
    let webhook_runtime = api
        .webhooks
        .as_ref()
        .map(|webhooks| webhooks::runtime_module(&gates::feature(&api.groups[webhooks.group])));
    rust.insert(
        "src/lib.rs".to_string(),
        lib_rs(&modules, &legacy_features, webhook_runtime),
    );
    features.sort();
    let summary = summary(api);
    Ok(EmittedCrate {
        rust,
        features,
        summary,
    })
}

fn summary(api: &Api) -> CrateSummary {
    let groups = api
        .groups
        .iter()
        .enumerate()
        .map(|(index, group)| GroupSummary {
            feature: gates::feature(group),
            module: if group.legacy {
                format!("heygen::legacy::{}", group.module)
            } else {
                format!("heygen::{}", group.module)
            },
            operations: api.operations.iter().filter(|op| op.group == index).count(),
        })
        .collect();
    CrateSummary {
        operations: api.operations.len(),
        types: api.types.len(),
        groups,
    }
}

fn legacy_module(modules: &[TokenStream]) -> TokenStream {
    quote! {
        //! The legacy (v1/v2) endpoints, reached with [`Client::legacy`](crate::Client::legacy).
        //!
        //! Prefer the v3 operations where one exists; these are kept for what v3 does not cover yet.

        #( #modules )*

        /// Entry point to the legacy (v1/v2) endpoints.
        #[derive(Debug, Clone)]
        pub struct Legacy {
            pub(crate) client: crate::Client,
        }

        impl crate::Client {
            /// The legacy (v1/v2) endpoints. Prefer the v3 operations where one exists.
            pub fn legacy(&self) -> Legacy {
                Legacy { client: self.clone() }
            }
        }
    }
}

/// `legacy_features`: the features of the legacy groups; `legacy` is compiled with any of them.
/// The crate root. Its README is the front page: a guide whose examples compile as doctests.
/// `webhook_runtime`: the hand-written part of the webhook API, when there is one.
fn lib_rs(
    modules: &[TokenStream],
    legacy_features: &[String],
    webhook_runtime: Option<TokenStream>,
) -> TokenStream {
    let legacy = (!legacy_features.is_empty()).then(|| {
        let gate = gates::cfg_any(legacy_features);
        quote!(
            #gate
            pub mod legacy;
        )
    });
    quote! {
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]

        mod runtime;
        pub use runtime::*;
        #webhook_runtime

        pub mod types;
        #legacy
        #( #modules )*
    }
}
