//! What the whole type graph decides about how each type is written: which
//! fields and union variants go into a `Box` (recursion, very large
//! variants), which aliases become newtypes, which types a PATCH body reaches,
//! and each type's feature gate and serde traits. Knows nothing of tokens.

use std::collections::BTreeSet;

use crate::ir::{Api, Method, RequestBody, TypeId, TypeKind, TypeRef, TypeSpace};

/// Facts about the whole type graph that decide how fields are written.
pub struct TypeFacts {
    /// (struct, field index) pairs that must be boxed to break a recursive type.
    pub(super) boxed: BTreeSet<(TypeId, usize)>,
    /// Aliases that expand to themselves (`ListNode = Vec<ListNode>`): a type
    /// alias cannot, so they are written as newtypes.
    pub(super) newtypes: BTreeSet<TypeId>,
    /// Types reachable from a PATCH request body: their optional nullable fields
    /// distinguish "absent" from "null".
    pub(super) patch: BTreeSet<TypeId>,
    /// The `#[cfg(feature = ...)]` of each type (see `gates.rs`).
    pub(super) gates: super::gates::Gates,
    /// The serde traits of each type (see `directions.rs`).
    pub(super) directions: crate::ir::directions::Directions,
    /// (union, variant index) pairs held in a `Box`: a variant much larger
    /// than the others would make every value of the union that large
    /// (clippy's `large_enum_variant`).
    pub boxed_variants: BTreeSet<(TypeId, usize)>,
}

/// Box the largest variant while it is this many bytes (estimated) larger
/// than the next one; clippy's `large_enum_variant` fires at 200, and the
/// estimate ignores padding, hence the margin.
const LARGE_VARIANT_BYTES: usize = 128;

impl TypeFacts {
    pub fn new(api: &Api) -> Self {
        let types = &api.types;
        let mut boxed = BTreeSet::new();
        for (id, def) in types.iter_by_name() {
            if let TypeKind::Struct { fields, .. } = &def.kind {
                for (index, field) in fields.iter().enumerate() {
                    if let TypeRef::Named(target) = field.ty.non_null() {
                        if reaches_inline(types, *target, id, &mut BTreeSet::new()) {
                            boxed.insert((id, index));
                        }
                    }
                }
            }
        }
        let mut patch_roots = Vec::new();
        for op in api
            .operations
            .iter()
            .filter(|op| op.method == Method::Patch)
        {
            if let Some(RequestBody::Json { ty, .. }) = &op.body {
                ty.named_ids(&mut patch_roots);
            }
        }
        let patch = types.reachable(patch_roots);
        let mut boxed_variants = large_variants(types, &boxed);
        boxed_variants.extend(recursive_variants(types));
        TypeFacts {
            boxed,
            newtypes: alias_cycles(types),
            patch,
            gates: super::gates::Gates::new(api),
            directions: crate::ir::directions::Directions::new(api),
            boxed_variants,
        }
    }
}

/// The variants of every union that go into a `Box` (see [`LARGE_VARIANT_BYTES`]).
fn large_variants(
    types: &TypeSpace,
    boxed_fields: &BTreeSet<(TypeId, usize)>,
) -> BTreeSet<(TypeId, usize)> {
    let mut boxed = BTreeSet::new();
    for (id, def) in types.iter_by_name() {
        let (TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. }) = &def.kind
        else {
            continue;
        };
        let mut sizes: Vec<(usize, usize)> = variants
            .iter()
            .enumerate()
            .map(|(index, v)| {
                let size = estimated_size(types, &v.ty, boxed_fields, &mut BTreeSet::new());
                (size, index)
            })
            .collect();
        // The raw-JSON fallback of every union is a variant too.
        sizes.push((JSON_VALUE_BYTES, usize::MAX));
        loop {
            sizes.sort_unstable_by(|a, b| b.cmp(a));
            let [(largest, index), (second, _), ..] = sizes[..] else {
                break;
            };
            if largest < second + LARGE_VARIANT_BYTES || index == usize::MAX {
                break;
            }
            boxed.insert((id, index));
            sizes[0].0 = POINTER_BYTES;
        }
    }
    boxed
}

const POINTER_BYTES: usize = 8;
const HEAP_BYTES: usize = 24;
const JSON_VALUE_BYTES: usize = 72;

/// A rough size in bytes of a value of `ty` (no padding): enough to tell a
/// variant of a few hundred bytes from one of a few dozen.
fn estimated_size(
    types: &TypeSpace,
    ty: &TypeRef,
    boxed_fields: &BTreeSet<(TypeId, usize)>,
    visiting: &mut BTreeSet<TypeId>,
) -> usize {
    match ty {
        TypeRef::String | TypeRef::Array(_) | TypeRef::Map(_) => HEAP_BYTES,
        TypeRef::Json | TypeRef::JsonObject => JSON_VALUE_BYTES,
        TypeRef::Integer(_) | TypeRef::Number(_) => 8,
        TypeRef::Boolean => 1,
        TypeRef::Nullable(inner) => {
            estimated_size(types, inner, boxed_fields, visiting) + POINTER_BYTES
        }
        TypeRef::Named(id) => {
            if !visiting.insert(*id) {
                return POINTER_BYTES;
            }
            let size = match &types.get(*id).kind {
                TypeKind::Struct { fields, extra } => {
                    let fields: usize = fields
                        .iter()
                        .enumerate()
                        .map(|(index, f)| {
                            if boxed_fields.contains(&(*id, index)) {
                                POINTER_BYTES
                            } else {
                                estimated_size(types, &f.ty, boxed_fields, visiting)
                            }
                        })
                        .sum();
                    fields + extra.as_ref().map_or(0, |_| HEAP_BYTES)
                }
                TypeKind::Enum { .. } => HEAP_BYTES,
                TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. } => {
                    variants
                        .iter()
                        .map(|v| estimated_size(types, &v.ty, boxed_fields, visiting))
                        .max()
                        .unwrap_or(0)
                        .max(JSON_VALUE_BYTES)
                        + POINTER_BYTES
                }
                TypeKind::Alias(inner) => estimated_size(types, inner, boxed_fields, visiting),
            };
            visiting.remove(id);
            size
        }
    }
}

/// The variants of every union that hold the union itself without a `Vec`/map
/// indirection: they go into a `Box` (`Node(Box<Node>)`), or the type would be
/// infinitely large.
fn recursive_variants(types: &TypeSpace) -> BTreeSet<(TypeId, usize)> {
    let mut boxed = BTreeSet::new();
    for (id, def) in types.iter_by_name() {
        let (TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. }) = &def.kind
        else {
            continue;
        };
        for (index, variant) in variants.iter().enumerate() {
            if let TypeRef::Named(target) = variant.ty.non_null() {
                if reaches_inline(types, *target, id, &mut BTreeSet::new()) {
                    boxed.insert((id, index));
                }
            }
        }
    }
    boxed
}

/// Whether `id` is written as a newtype: an alias that expands to itself.
pub fn is_newtype(types: &TypeSpace, id: TypeId) -> bool {
    alias_cycles(types).contains(&id)
}

/// Every alias that reaches itself through aliases alone (inside `Vec`,
/// maps and `Option`); iterative, so no input can overflow the stack.
fn alias_cycles(types: &TypeSpace) -> BTreeSet<TypeId> {
    let alias_targets = |id: TypeId| -> Vec<TypeId> {
        let mut ids = Vec::new();
        if let TypeKind::Alias(ty) = &types.get(id).kind {
            ty.named_ids(&mut ids);
            ids.retain(|id| matches!(types.get(*id).kind, TypeKind::Alias(_)));
        }
        ids
    };
    let mut cycles = BTreeSet::new();
    for (start, def) in types.iter_by_name() {
        if !matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        let mut seen = BTreeSet::new();
        let mut stack = alias_targets(start);
        while let Some(id) = stack.pop() {
            if id == start {
                cycles.insert(start);
                break;
            }
            if seen.insert(id) {
                stack.extend(alias_targets(id));
            }
        }
    }
    cycles
}

/// Whether `from` contains `target` without a `Vec`/map indirection.
fn reaches_inline(
    types: &TypeSpace,
    from: TypeId,
    target: TypeId,
    seen: &mut BTreeSet<TypeId>,
) -> bool {
    if from == target {
        return true;
    }
    if !seen.insert(from) {
        return false;
    }
    let direct = |ty: &TypeRef| match ty.non_null() {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    };
    let next: Vec<TypeId> = match &types.get(from).kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. } => {
            variants.iter().filter_map(|v| direct(&v.ty)).collect()
        }
        TypeKind::Alias(ty) => direct(ty).into_iter().collect(),
        TypeKind::Enum { .. } => Vec::new(),
    };
    next.into_iter()
        .any(|id| reaches_inline(types, id, target, seen))
}
