//! Which cargo features compile each type of `types.rs`.
//!
//! The generated crate has one feature per operation group (all on by default),
//! and each group module is behind its feature. The types are gated too, so that
//! a build with a single group (`--no-default-features --features videos`) does
//! not compile the types only other groups use:
//!
//! - a type reached (through the parameters, request body or success type of an
//!   operation, then transitively through fields, variants and aliases) from some
//!   groups but not all gets `#[cfg(any(feature = "a", feature = "b"))]`;
//! - a type reached from every group, or from no operation at all (a component
//!   schema nothing refers to, e.g. a webhook payload, or an error body the runtime
//!   decodes), is not gated: it is part of the API whatever the features.
//!
//! Because a type's group set includes the group set of every type that refers to
//! it, a type is compiled whenever anything that names it is.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::ir::{Api, Group, RequestBody, Success, TypeId};

/// The cargo feature of a group: its module name in kebab case, `legacy-` before legacy groups.
pub fn feature(group: &Group) -> String {
    let name = if group.legacy {
        format!("legacy-{}", group.module)
    } else {
        group.module.clone()
    };
    name.replace('_', "-")
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]` for several.
pub fn cfg_any<S: AsRef<str>>(features: &[S]) -> TokenStream {
    let features = features.iter().map(AsRef::as_ref);
    if features.len() == 1 {
        quote!(#[cfg(#( feature = #features )*)])
    } else {
        quote!(#[cfg(any( #( feature = #features ),* ))])
    }
}

/// The groups that reach each type.
pub struct Gates {
    features: Vec<String>,
    /// Indexed by `TypeId`: the groups whose operations reach the type.
    reached_by: Vec<BTreeSet<usize>>,
}

impl Gates {
    pub fn new(api: &Api) -> Self {
        let count = api
            .types
            .iter_by_name()
            .map(|(id, _)| id.0 + 1)
            .max()
            .unwrap_or(0);
        let mut reached_by = vec![BTreeSet::new(); count];
        for (group, _) in api.groups.iter().enumerate() {
            let mut roots = Vec::new();
            for op in api.operations.iter().filter(|op| op.group == group) {
                op.params.iter().for_each(|p| p.ty.named_ids(&mut roots));
                match &op.body {
                    Some(RequestBody::Json { ty, .. }) => ty.named_ids(&mut roots),
                    Some(RequestBody::Multipart { fields }) => fields
                        .iter()
                        .filter_map(|f| f.ty.as_ref())
                        .for_each(|ty| ty.named_ids(&mut roots)),
                    _ => {}
                }
                if let Success::Envelope(ty) | Success::Page(ty) | Success::Json(ty) = &op.success {
                    ty.named_ids(&mut roots);
                }
                if let Some(pagination) = &op.pagination {
                    pagination.item.named_ids(&mut roots);
                }
            }
            for id in api.types.reachable(roots) {
                if let Some(groups) = reached_by.get_mut(id.0) {
                    groups.insert(group);
                }
            }
        }
        Gates {
            features: api.groups.iter().map(feature).collect(),
            reached_by,
        }
    }

    /// The `#[cfg(...)]` of a type; empty when the type is not gated.
    pub fn attr(&self, id: TypeId) -> TokenStream {
        let groups = match self.reached_by.get(id.0) {
            Some(groups) if !groups.is_empty() && groups.len() < self.features.len() => groups,
            _ => return TokenStream::new(),
        };
        let features: Vec<&str> = groups.iter().map(|g| self.features[*g].as_str()).collect();
        cfg_any(&features)
    }

    /// `items` (the items emitted for type `id`: the type and its impls) each with the type's gate.
    pub fn apply(&self, id: TypeId, items: TokenStream) -> TokenStream {
        let attr = self.attr(id);
        if attr.is_empty() {
            return items;
        }
        split_items(items)
            .into_iter()
            .map(|item| {
                let (docs, rest) = leading_docs(item);
                quote!(#docs #attr #rest)
            })
            .collect()
    }
}

/// Splits a run of items at the top level: an item ends with a `{ ... }` body (and a `;`
/// right after it) or with a `;`. Attributes (`#[...]`) stay with the item they precede.
fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
            TokenTree::Punct(punct) => punct.as_char() == ';',
            _ => false,
        };
        current.push(token);
        if ends {
            if let Some(TokenTree::Punct(punct)) = tokens.peek() {
                if punct.as_char() == ';' {
                    current.extend(tokens.next());
                }
            }
            items.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

/// An item's leading `#[doc = ...]` attributes and the rest, so that the gate goes
/// after the docs, where rustfmt would put it.
fn leading_docs(item: TokenStream) -> (TokenStream, TokenStream) {
    let mut tokens: Vec<TokenTree> = item.into_iter().collect();
    let mut end = 0;
    while let [TokenTree::Punct(hash), TokenTree::Group(group), ..] = &tokens[end..] {
        let is_doc = hash.as_char() == '#'
            && group.delimiter() == Delimiter::Bracket
            && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc");
        if !is_doc {
            break;
        }
        end += 2;
    }
    let rest = tokens.split_off(end);
    (tokens.into_iter().collect(), rest.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_items_keeps_attributes_with_their_item() {
        let tokens = quote! {
            #[doc = "x"]
            #[derive(Debug)]
            pub enum E { A, B }
            impl E { fn f(&self) {} }
            pub type T = Vec<E>;
            pub struct S(u8);
            static X: S = S { 0: 1 };
        };
        let items: Vec<String> = split_items(tokens)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(items.len(), 5, "{items:#?}");
        assert!(items[0].starts_with("# [doc = \"x\"] # [derive (Debug)] pub enum E"));
        assert!(items[1].starts_with("impl E"));
        assert_eq!(items[2], "pub type T = Vec < E > ;");
        assert_eq!(items[3], "pub struct S (u8) ;");
        assert!(items[4].starts_with("static X") && items[4].ends_with(";"));
    }

    #[test]
    fn gate_goes_after_the_docs() {
        let (docs, rest) =
            leading_docs(quote! { #[doc = "a"] #[doc = "b"] #[derive(Debug)] pub struct S; });
        assert_eq!(docs.to_string(), "# [doc = \"a\"] # [doc = \"b\"]");
        assert_eq!(rest.to_string(), "# [derive (Debug)] pub struct S ;");
    }
}
