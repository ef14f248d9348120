//! OpenAPI 3.1 -> the 3.0 shape the `openapiv3` 2.2 crate reads, without losing meaning.
//!
//! `openapiv3` rejects `type` arrays and numeric `exclusiveMinimum`, and silently drops
//! `const`, schema `examples` and the siblings of a `$ref`. Each rewrite below is one small
//! function over a schema `&mut Value`; [`normalise`] walks only the schema positions of a
//! document (so a property *named* `type`, or a media type's `examples` map, is never
//! touched) and applies them bottom-up: the children of a node are normal before the node
//! itself is examined.
//!
//! | 3.1 | becomes |
//! |---|---|
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [A, B]` | `anyOf: [{type: A, ..}, {type: B, ..}]` (type-specific keywords move along) |
//! | `type: "null"` | `nullable: true, enum: [null], x-null: true` |
//! | `anyOf/oneOf: [X, {type: "null"}]` | X's keys + `nullable: true` (a `$ref` X: `allOf: [X]`) |
//! | `anyOf/oneOf: [X, Y, {type: "null"}]` | `anyOf/oneOf: [X, Y], nullable: true` |
//! | `const: v` | `enum: [v], x-const: v` (+ `type` from v) |
//! | `$ref` + siblings | `allOf: [{$ref}]` + siblings |
//! | `examples: [a, ..]` | `x-examples: [a, ..], example: a` |
//! | `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` (same for maximum) |
//! | `true` / `false` schema | `{}` / `{not: {}}` |
//! | `$schema`, `$id` | dropped |
//! | `contentMediaType`, `prefixItems`, ... | `x-content-media-type`, `x-prefix-items`, ... |
//! | `openapi: 3.1.x` | `openapi: 3.0.3, x-original-openapi: 3.1.x` |

mod paths;
mod rewrites;
pub(crate) mod typed;
mod walk;

use std::fmt;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::load::Document;
use rewrites::insert_at;
use walk::Walker;

/// Lint compares example values by the same JSON type names.
pub(crate) use rewrites::json_type;

/// The version written into every normalised document.
pub const TARGET_VERSION: &str = "3.0.3";

/// How many times each rewrite fired.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NormaliseStats {
    /// `type: [..]` arrays rewritten (`rewrites::type_array`).
    pub type_arrays: usize,
    /// Bare `type: "null"` schemas rewritten (`rewrites::null_type`).
    pub null_types: usize,
    /// `anyOf`/`oneOf` unions that had a null member (`rewrites::nullable_union`).
    pub nullable_unions: usize,
    /// `const` keywords (`rewrites::const_to_enum`).
    pub consts: usize,
    /// Schema `examples` arrays (`rewrites::examples_array`).
    pub examples_arrays: usize,
    /// `$ref`s with sibling keywords (`rewrites::ref_siblings`).
    pub ref_siblings: usize,
    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` keywords (`rewrites::exclusive_bounds`).
    pub exclusive_bounds: usize,
    /// `true`/`false` schemas (`rewrites::boolean_schema`).
    pub boolean_schemas: usize,
    /// 3.1-only keywords dropped (`rewrites::drop_keywords`).
    pub dropped_keywords: usize,
    /// 3.1-only keywords kept as `x-` extensions (`rewrites::drop_keywords`).
    pub renamed_keywords: usize,
    /// Whether the top-level `openapi` version was rewritten.
    pub version_rewritten: bool,
}

impl NormaliseStats {
    /// The number of rewrites (not counting the version).
    pub fn total(&self) -> usize {
        self.type_arrays
            + self.null_types
            + self.nullable_unions
            + self.consts
            + self.examples_arrays
            + self.ref_siblings
            + self.exclusive_bounds
            + self.boolean_schemas
            + self.dropped_keywords
            + self.renamed_keywords
    }
}

impl std::ops::AddAssign for NormaliseStats {
    fn add_assign(&mut self, other: Self) {
        self.type_arrays += other.type_arrays;
        self.null_types += other.null_types;
        self.nullable_unions += other.nullable_unions;
        self.consts += other.consts;
        self.examples_arrays += other.examples_arrays;
        self.ref_siblings += other.ref_siblings;
        self.exclusive_bounds += other.exclusive_bounds;
        self.boolean_schemas += other.boolean_schemas;
        self.dropped_keywords += other.dropped_keywords;
        self.renamed_keywords += other.renamed_keywords;
        self.version_rewritten |= other.version_rewritten;
    }
}

impl fmt::Display for NormaliseStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} type arrays, {} null types, {} nullable unions, {} consts, {} examples arrays, \
             {} $ref siblings, {} exclusive bounds, {} boolean schemas, {} keywords dropped, \
             {} keywords renamed",
            self.type_arrays,
            self.null_types,
            self.nullable_unions,
            self.consts,
            self.examples_arrays,
            self.ref_siblings,
            self.exclusive_bounds,
            self.boolean_schemas,
            self.dropped_keywords,
            self.renamed_keywords
        )
    }
}

/// Normalise a document in place (idempotent: a second run changes nothing).
pub fn normalise(doc: &mut Document) -> Result<NormaliseStats> {
    if let Err((pointer, message)) = paths::check(&doc.value) {
        return Err(Error::spec(doc.location(&pointer), message));
    }
    let mut stats = NormaliseStats::default();
    let mut walker = Walker {
        stats: &mut stats,
        pointer: String::new(),
    };
    if let Err((pointer, message)) = walker.document(&mut doc.value) {
        return Err(Error::spec(doc.location(&pointer), message));
    }
    stats.version_rewritten = set_version(&mut doc.value);
    Ok(stats)
}

/// `openapi: 3.0.3`, the original version in `x-original-openapi`; `paths: {}` when absent
/// (3.1 makes it optional, `openapiv3` requires it).
pub fn set_version(root: &mut Value) -> bool {
    let Some(map) = root.as_object_mut() else {
        return false;
    };
    let mut changed = false;
    if !map.contains_key("paths") {
        map.insert("paths".into(), Value::Object(Map::new()));
        changed = true;
    }
    let original = map.get("openapi").cloned();
    if original.as_ref().and_then(Value::as_str) == Some(TARGET_VERSION) {
        return changed;
    }
    let at = map.keys().position(|k| k == "openapi").unwrap_or(0);
    map.insert("openapi".into(), Value::String(TARGET_VERSION.into()));
    if let Some(original) = original {
        if !map.contains_key("x-original-openapi") {
            insert_at(map, at + 1, "x-original-openapi".into(), original);
        }
    }
    true
}
#[cfg(test)]
mod tests;
