//! The type arena: every named type the generated crate declares.

use std::collections::BTreeMap;

use super::Docs;

/// Stable handle of a type in the [`TypeSpace`]. Ids are assigned in the
/// order types are discovered; the emitter orders output by name, not by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    /// Integer with its Rust type name (`i64`, `i32`, `u64`, ...).
    Integer(&'static str),
    /// Floating point with its Rust type name (`f64`, `f32`).
    Number(&'static str),
    Boolean,
    /// Any JSON value.
    Json,
    /// A JSON object with arbitrary keys.
    JsonObject,
    Named(TypeId),
    Array(Box<TypeRef>),
    /// An object whose values all have this type.
    Map(Box<TypeRef>),
    /// A value that may be `null` on the wire.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    pub fn nullable(self) -> TypeRef {
        match self {
            TypeRef::Nullable(_) | TypeRef::Json => self,
            other => TypeRef::Nullable(Box::new(other)),
        }
    }

    /// The type without its nullable wrapper.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            other => other,
        }
    }

    pub fn is_nullable(&self) -> bool {
        matches!(self, TypeRef::Nullable(_))
    }

    /// Named types this reference reaches directly or through containers.
    pub fn named_ids(&self, out: &mut Vec<TypeId>) {
        match self {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.named_ids(out)
            }
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust type name, UpperCamelCase, unique in the crate.
    pub name: String,
    /// Where it came from: `document-id#/json/pointer`.
    pub origin: String,
    pub docs: Docs,
    pub kind: TypeKind,
    /// Only reachable from legacy (v1/v2) operations.
    pub legacy: bool,
    /// Reached from no component and no operation (e.g. the `const` tag of a
    /// union member, once the union carries the tag): not emitted.
    pub unused: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        /// `additionalProperties` next to declared properties: unknown keys are kept here.
        extra: Option<TypeRef>,
    },
    /// A string enum; the emitter adds a variant that keeps unknown values.
    Enum { values: Vec<EnumValue> },
    /// A `oneOf` with a discriminator property.
    Tagged { tag: String, variants: Vec<Variant> },
    /// A union without discriminator, tried in order; `fallback_json` adds a last
    /// variant that keeps anything else as raw JSON.
    Untagged {
        variants: Vec<Variant>,
        fallback_json: bool,
    },
    /// A named alias for another type (component schemas that are arrays, maps or primitives).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub wire: String,
    pub rust: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Wire tag (tagged unions) or a descriptive name (untagged).
    pub wire: String,
    pub rust: String,
    pub ty: TypeRef,
}

/// The arena of named types.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    defs: Vec<TypeDef>,
    by_name: BTreeMap<String, TypeId>,
}

impl TypeSpace {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.defs[id.0]
    }

    pub fn lookup(&self, name: &str) -> Option<TypeId> {
        self.by_name.get(name).copied()
    }

    pub fn contains_name(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Reserves a name with a placeholder so that recursive references can point to it.
    pub fn reserve(&mut self, name: String, origin: String) -> TypeId {
        let id = TypeId(self.defs.len());
        self.by_name.insert(name.clone(), id);
        self.defs.push(TypeDef {
            name,
            origin,
            docs: Docs::default(),
            kind: TypeKind::Alias(TypeRef::Json),
            legacy: false,
            unused: false,
        });
        id
    }

    /// Number of types that are emitted.
    pub fn len(&self) -> usize {
        self.defs.iter().filter(|def| !def.unused).count()
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// All types that are emitted, ordered by name.
    pub fn iter_by_name(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.by_name
            .values()
            .map(|id| (*id, &self.defs[id.0]))
            .filter(|(_, def)| !def.unused)
    }

    /// Marks every type not reachable from `roots` as unused.
    pub fn mark_unused(&mut self, roots: &[TypeRef]) {
        let mut ids = Vec::new();
        roots.iter().for_each(|root| root.named_ids(&mut ids));
        let reached = self.reachable(ids);
        for (index, def) in self.defs.iter_mut().enumerate() {
            def.unused = !reached.contains(&TypeId(index));
        }
    }

    /// Every type reachable from `roots` through fields, extra properties,
    /// variants and aliases (the roots included).
    pub fn reachable(&self, mut stack: Vec<TypeId>) -> std::collections::BTreeSet<TypeId> {
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            match &self.defs[id.0].kind {
                TypeKind::Struct { fields, extra } => {
                    fields.iter().for_each(|f| f.ty.named_ids(&mut stack));
                    if let Some(extra) = extra {
                        extra.named_ids(&mut stack);
                    }
                }
                TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. } => {
                    variants.iter().for_each(|v| v.ty.named_ids(&mut stack))
                }
                TypeKind::Alias(ty) => ty.named_ids(&mut stack),
                TypeKind::Enum { .. } => {}
            }
        }
        seen
    }

    /// Renders a reference for messages and the API surface (`Vec<VideoDetail>`).
    pub fn display(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::String => "String".into(),
            TypeRef::Integer(name) | TypeRef::Number(name) => (*name).into(),
            TypeRef::Boolean => "bool".into(),
            TypeRef::Json => "serde_json::Value".into(),
            TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
            TypeRef::Named(id) => self.get(*id).name.clone(),
            TypeRef::Array(inner) => format!("Vec<{}>", self.display(inner)),
            TypeRef::Map(inner) => format!("BTreeMap<String, {}>", self.display(inner)),
            TypeRef::Nullable(inner) => format!("Option<{}>", self.display(inner)),
        }
    }
}
