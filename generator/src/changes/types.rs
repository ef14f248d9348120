//! Changes to types: their existence, shape, fields and variants.

use super::{ChangeKind, Diff, Severity, Sides, TYPES};
use crate::surface::{FieldSurface, Surface, TypeShape, TypeSurface, VariantSurface};

impl Diff {
    pub(super) fn types(&mut self, old: &Surface, new: &Surface) {
        // The same type is the one at the same spec location (whatever its name
        // now, so that what changed inside it is still listed), else the one
        // with the same name.
        let mut pairs: Vec<(&TypeSurface, &TypeSurface)> = Vec::new();
        let mut removed: Vec<&TypeSurface> = Vec::new();
        for def in &old.types {
            match new.types.iter().find(|t| t.origin == def.origin) {
                Some(new_def) => pairs.push((def, new_def)),
                None => removed.push(def),
            }
        }
        let paired = |pairs: &[(&TypeSurface, &TypeSurface)], def: &TypeSurface| {
            pairs.iter().any(|(_, n)| n.origin == def.origin)
        };
        removed.retain(|def| {
            match new
                .types
                .iter()
                .find(|t| t.name == def.name && !paired(&pairs, t))
            {
                Some(new_def) => {
                    pairs.push((def, new_def));
                    false
                }
                None => true,
            }
        });
        for def in &new.types {
            if !paired(&pairs, def) {
                let note = self.sides_of(&def.name).note();
                self.push(
                    Severity::Additive,
                    ChangeKind::TypeAdded,
                    format!("{TYPES}{}", def.name),
                    format!("new {}{note}", def.shape.kind()),
                    &def.origin,
                );
            }
        }
        for def in removed {
            let note = self.sides_of(&def.name).note();
            self.push(
                Severity::Breaking,
                ChangeKind::TypeRemoved,
                format!("{TYPES}{}", def.name),
                format!("{} removed{note}", def.shape.kind()),
                &def.origin,
            )
        }
        for (def, new_def) in pairs {
            if new_def.name != def.name {
                let note = self
                    .sides_of(&def.name)
                    .or(self.sides_of(&new_def.name))
                    .note();
                self.push(
                    Severity::Breaking,
                    ChangeKind::TypeRenamed,
                    format!("{TYPES}{}", def.name),
                    format!(
                        "{} renamed to `{TYPES}{}`{note}",
                        def.shape.kind(),
                        new_def.name
                    ),
                    &new_def.origin,
                );
            }
            self.type_changes(def, new_def)
        }
    }

    /// A type that stops being sent loses `Serialize` (and one that stops
    /// being received loses `Deserialize`) unless the caller turns on
    /// `full-serde`: breaking for code that used it. A trait gained is not
    /// listed: it follows from a change listed already (an operation that
    /// now sends or returns the type, or one removed, which leaves the type
    /// to no operation and so with both traits). Surfaces written before the
    /// traits were recorded compare as unchanged.
    fn serde_traits(&mut self, old: &TypeSurface, new: &TypeSurface, item: &str) {
        let (Some(before), Some(after)) = (old.serde.as_deref(), new.serde.as_deref()) else {
            return;
        };
        let has = |label: &str, name: &str| label == "both" || label == name;
        for (name, trait_name) in [("serialize", "Serialize"), ("deserialize", "Deserialize")] {
            if has(before, name) && !has(after, name) {
                self.push(
                    Severity::Breaking,
                    ChangeKind::SerdeTraitsChanged,
                    item,
                    format!(
                        "no longer implements `{trait_name}` without the `full-serde` feature (the client no longer needs it)"
                    ),
                    &new.origin,
                );
            }
        }
    }

    fn type_changes(&mut self, old: &TypeSurface, new: &TypeSurface) {
        let item = format!("{TYPES}{}", new.name);
        let sides = self.sides_of(&old.name).or(self.sides_of(&new.name));
        let note = sides.note();
        let origin = new.origin.as_str();
        if old.deprecated != new.deprecated {
            let message = if new.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(
                Severity::Other,
                ChangeKind::TypeDeprecated,
                &item,
                message,
                origin,
            );
        }
        self.serde_traits(old, new, &item);
        match (&old.shape, &new.shape) {
            (
                TypeShape::Struct {
                    fields: a,
                    extra: ea,
                },
                TypeShape::Struct {
                    fields: b,
                    extra: eb,
                },
            ) => {
                self.fields(new, sides, a, b);
                match (ea, eb) {
                    (None, Some(ty)) => self.push(
                        Severity::Additive,
                        ChangeKind::ExtraFieldsChanged,
                        &item,
                        format!("keeps undeclared properties in `extra` (values `{ty}`){note}"),
                        origin,
                    ),
                    (Some(_), None) => self.push(
                        Severity::Breaking,
                        ChangeKind::ExtraFieldsChanged,
                        &item,
                        format!("`extra` (undeclared properties) removed{note}"),
                        origin,
                    ),
                    (Some(x), Some(y)) if x != y => self.push(
                        Severity::Breaking,
                        ChangeKind::ExtraFieldsChanged,
                        &item,
                        format!("values of `extra` changed type from `{x}` to `{y}`{note}"),
                        origin,
                    ),
                    _ => {}
                }
            }
            (TypeShape::Enum { values: a }, TypeShape::Enum { values: b }) => {
                for value in b {
                    if let Some(previous) = a.iter().find(|v| v.wire == value.wire) {
                        if previous.rust != value.rust {
                            self.push(
                                Severity::Breaking,
                                ChangeKind::EnumValueRenamed,
                                format!("{item}::{}", previous.rust),
                                format!(
                                    "variant for `{}` renamed to `{}`{note}",
                                    value.wire, value.rust
                                ),
                                origin,
                            );
                        }
                        continue;
                    }
                    let message = if sides.response {
                        format!(
                            "new value `{}`{note}; earlier versions of the crate decode it as `Unknown(\"{}\")`",
                            value.wire, value.wire
                        )
                    } else {
                        format!("new value `{}`{note}", value.wire)
                    };
                    self.push(
                        Severity::Additive,
                        ChangeKind::EnumValueAdded,
                        format!("{item}::{}", value.rust),
                        message,
                        origin,
                    );
                }
                for value in a {
                    if !b.iter().any(|v| v.wire == value.wire) {
                        let message = if sides.request {
                            format!(
                                "value `{}` removed{note}: requests sending it are rejected",
                                value.wire
                            )
                        } else {
                            format!("value `{}` removed{note}", value.wire)
                        };
                        self.push(
                            Severity::Breaking,
                            ChangeKind::EnumValueRemoved,
                            format!("{item}::{}", value.rust),
                            message,
                            origin,
                        );
                    }
                }
            }
            (
                TypeShape::TaggedUnion {
                    tag: ta,
                    variants: a,
                },
                TypeShape::TaggedUnion {
                    tag: tb,
                    variants: b,
                },
            ) => {
                if ta != tb {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::UnionTagChanged,
                        &item,
                        format!("discriminator `{ta}` is now `{tb}`{note}"),
                        origin,
                    );
                }
                self.variants(&item, note, origin, a, b, |v| v.wire.clone());
            }
            (
                TypeShape::UntaggedUnion {
                    variants: a,
                    fallback_json: fa,
                },
                TypeShape::UntaggedUnion {
                    variants: b,
                    fallback_json: fb,
                },
            ) => {
                self.variants(&item, note, origin, a, b, |v| v.rust.clone());
                if fa != fb {
                    let (severity, message) = if *fb {
                        (Severity::Additive, format!("new variant `Other(serde_json::Value)` keeps any other shape{note}"))
                    } else {
                        (
                            Severity::Breaking,
                            format!("variant `Other(serde_json::Value)` removed{note}"),
                        )
                    };
                    self.push(
                        severity,
                        ChangeKind::UnionFallbackChanged,
                        &item,
                        message,
                        origin,
                    );
                }
            }
            (TypeShape::Alias { target: a }, TypeShape::Alias { target: b }) => {
                if a != b {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::AliasChanged,
                        &item,
                        format!("now an alias of `{b}` instead of `{a}`{note}"),
                        origin,
                    );
                }
            }
            (a, b) => self.push(
                Severity::Breaking,
                ChangeKind::TypeKindChanged,
                &item,
                format!("now a {} instead of a {}{note}", b.kind(), a.kind()),
                origin,
            ),
        }
    }

    fn variants(
        &mut self,
        item: &str,
        note: &str,
        origin: &str,
        old: &[VariantSurface],
        new: &[VariantSurface],
        key: impl Fn(&VariantSurface) -> String,
    ) {
        for variant in new {
            if !old.iter().any(|v| key(v) == key(variant)) {
                self.push(
                    Severity::Additive,
                    ChangeKind::VariantAdded,
                    format!("{item}::{}", variant.rust),
                    format!("new variant `{}` (`{}`){note}", variant.wire, variant.ty),
                    origin,
                );
            }
        }
        for variant in old {
            match new.iter().find(|v| key(v) == key(variant)) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::VariantRemoved,
                    format!("{item}::{}", variant.rust),
                    format!("variant `{}` removed{note}", variant.wire),
                    origin,
                ),
                Some(n) if n.ty != variant.ty || n.rust != variant.rust => self.push(
                    Severity::Breaking,
                    ChangeKind::VariantChanged,
                    format!("{item}::{}", variant.rust),
                    format!(
                        "variant `{}` is now `{}({})`{note}",
                        variant.wire, n.rust, n.ty
                    ),
                    origin,
                ),
                Some(_) => {}
            }
        }
    }

    fn fields(
        &mut self,
        def: &TypeSurface,
        sides: Sides,
        old: &[FieldSurface],
        new: &[FieldSurface],
    ) {
        let note = sides.note();
        let item = |f: &FieldSurface| format!("{TYPES}{}::{}", def.name, f.rust);
        let origin = |f: &FieldSurface| {
            format!(
                "{}/properties/{}",
                def.origin,
                crate::text::escape_token(&f.wire)
            )
        };
        for field in new {
            if old.iter().any(|f| f.wire == field.wire) {
                continue;
            }
            let (severity, message) = if field.required && sides.request {
                (
                    Severity::Breaking,
                    format!(
                        "new required field `{}: {}`{note}",
                        field.rust,
                        field.rust_type()
                    ),
                )
            } else if field.required {
                (
                    Severity::Additive,
                    format!("new field `{}: {}`{note}", field.rust, field.rust_type()),
                )
            } else {
                (
                    Severity::Additive,
                    format!(
                        "new optional field `{}: {}`{note}",
                        field.rust,
                        field.rust_type()
                    ),
                )
            };
            self.push(
                severity,
                ChangeKind::FieldAdded,
                item(field),
                message,
                &origin(field),
            );
        }
        for field in old {
            let Some(n) = new.iter().find(|f| f.wire == field.wire) else {
                self.push(
                    Severity::Breaking,
                    ChangeKind::FieldRemoved,
                    item(field),
                    format!("field `{}` removed{note}", field.wire),
                    &origin(field),
                );
                continue;
            };
            if n.rust != field.rust {
                self.push(
                    Severity::Breaking,
                    ChangeKind::FieldChanged,
                    item(field),
                    format!("field `{}` renamed to `{}`{note}", field.wire, n.rust),
                    &origin(n),
                );
            }
            if field.rust_type() != n.rust_type() {
                let mut message = format!(
                    "type changed from `{}` to `{}`{note}",
                    field.rust_type(),
                    n.rust_type()
                );
                if sides.request {
                    message.push_str(&self.narrowed(&field.ty, &n.ty));
                }
                if field.required != n.required {
                    message.push_str(if n.required {
                        "; now required"
                    } else {
                        "; now optional"
                    });
                }
                self.push(
                    Severity::Breaking,
                    ChangeKind::FieldChanged,
                    item(n),
                    message,
                    &origin(n),
                );
            } else if field.required != n.required {
                let (severity, message) = match (n.required, sides.request) {
                    (true, true) => (Severity::Breaking, format!("now required{note}")),
                    (true, false) => (Severity::Other, format!("now always present{note}")),
                    (false, _) => (Severity::Other, format!("now optional{note}")),
                };
                self.push(
                    severity,
                    ChangeKind::FieldChanged,
                    item(n),
                    message,
                    &origin(n),
                );
            } else if field.nullable != n.nullable {
                let message = if n.nullable {
                    format!("may now be null{note}")
                } else {
                    format!("may no longer be null{note}")
                };
                self.push(
                    Severity::Other,
                    ChangeKind::FieldChanged,
                    item(n),
                    message,
                    &origin(n),
                );
            }
        }
    }
}
