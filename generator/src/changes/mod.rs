//! What changed for users of the generated crate between two API surfaces
//! ([`crate::surface`]), and the version bump that follows.
//!
//! Every change is one line naming the Rust item (`client.videos().create_video()`,
//! `heygen::types::CreateVideoFromAvatar::engine`) and the spec location, in one
//! of three groups:
//!
//! - **breaking**: code that compiled against the previous crate may not compile,
//!   or requests it sends may now be rejected: an operation removed or renamed, a
//!   required parameter or request field added, a Rust type changed (a string field
//!   becoming an enum is one: senders must pick a listed value), an enum value,
//!   union variant, field or type removed, a method signature changed.
//! - **additive**: new things that old code does not have to use: operations,
//!   types, optional fields and parameters, enum values and union variants. A new
//!   value in a response enum is additive because every generated enum keeps
//!   unknown values in its `Unknown` variant (and unions in `Unknown`/`Other`).
//! - **other**: nothing to change in code, worth knowing: documented error
//!   statuses and their headers, operationIds that do not change a method name,
//!   deprecations, a field that is now always present in responses, an
//!   operation that moved to another path (matched by operationId, or by
//!   summary, HTTP method, body and return type).
//!
//! Types are matched by spec location first, then by name: a type whose name
//! changed is reported as renamed (breaking), and what changed inside it is
//! listed under its new name.
//!
//! Whether a type is sent or received decides some of these: a type is
//! *request-side* when it is reachable from an operation's parameters or body,
//! *response-side* when reachable from a success response (either surface
//! counts). A type on both sides gets the stricter classification.
//!
//! The proposed bump follows semver for the generated crate: breaking ->
//! major, additive -> minor, other -> patch, nothing -> no bump; below 1.0 by
//! Cargo's convention (breaking raises the minor number, anything else the
//! patch number). Generated structs are `#[non_exhaustive]` and built with
//! constructors and setters, so a new optional field or parameter is additive;
//! a new required request field or parameter changes a constructor or method
//! signature, so it is breaking.

mod operations;
mod types;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::surface::{mentioned_names, BodySurface, Surface, TypeShape, TypeSurface};

/// How a change affects users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Breaking,
    Additive,
    Other,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Additive => "additive",
            Severity::Other => "other",
        }
    }
}

/// What kind of change a line reports (for tools and tests; people read the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    /// Same METHOD + path, another method (or group) name.
    OperationRenamed,
    /// Same method name, another operationId.
    OperationIdChanged,
    /// Another METHOD + path, the same operationId (or summary, body and return type).
    OperationMoved,
    OperationDeprecated,
    ParameterAdded,
    ParameterRemoved,
    ParameterChanged,
    /// The method gained or lost its `params: &XParams` argument.
    ParamsArgumentChanged,
    BodyChanged,
    ReturnChanged,
    ErrorStatusAdded,
    ErrorStatusRemoved,
    ErrorStatusChanged,
    StreamMethodAdded,
    StreamMethodRemoved,
    PollingMethodAdded,
    PollingMethodRemoved,
    TypeAdded,
    TypeRemoved,
    /// Same spec location, another Rust name.
    TypeRenamed,
    TypeKindChanged,
    TypeDeprecated,
    FieldAdded,
    FieldRemoved,
    FieldChanged,
    ExtraFieldsChanged,
    EnumValueAdded,
    EnumValueRemoved,
    EnumValueRenamed,
    VariantAdded,
    VariantRemoved,
    VariantChanged,
    UnionTagChanged,
    UnionFallbackChanged,
    AliasChanged,
    /// The type gained or lost `Serialize` or `Deserialize` (without `full-serde`).
    SerdeTraitsChanged,
}

/// One reported change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub severity: Severity,
    /// The Rust item: `client.users().get_current_user()`, `heygen::types::Video::title`.
    pub item: String,
    pub message: String,
    /// Spec location, `document-id#/pointer` (of the new surface when there is one).
    pub origin: String,
    pub kind: ChangeKind,
}

/// A proposed version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    Major,
    Minor,
    Patch,
}

impl Bump {
    pub fn label(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
        }
    }

    /// `1.2.3` bumped; pre-release and build suffixes are dropped. Below 1.0
    /// Cargo's convention applies: the minor number is the breaking one
    /// (`0.1.3` -> `0.2.0` for a breaking change, `0.1.4` for anything else).
    /// Errors name the version.
    pub fn apply(self, version: &str) -> Result<String, String> {
        let core = version.split(['-', '+']).next().unwrap_or_default();
        let parts: Vec<&str> = core.split('.').collect();
        let numbers: Option<Vec<u64>> = parts
            .iter()
            .map(|p| {
                (!p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
                    .then(|| p.parse().ok())
                    .flatten()
            })
            .collect();
        let (major, minor, patch) = match numbers.as_deref() {
            Some([major, minor, patch]) => (*major, *minor, *patch),
            _ => {
                return Err(format!(
                    "`{version}` is not a semantic version MAJOR.MINOR.PATCH"
                ))
            }
        };
        Ok(match (self, major) {
            (Bump::Major, 0) => format!("0.{}.0", minor + 1),
            (Bump::Minor | Bump::Patch, 0) => format!("0.{minor}.{}", patch + 1),
            (Bump::Major, _) => format!("{}.0.0", major + 1),
            (Bump::Minor, _) => format!("{major}.{}.0", minor + 1),
            (Bump::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        })
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The changes between two surfaces, sorted: breaking, additive, other; then by item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeReport {
    pub changes: Vec<Change>,
}

impl ChangeReport {
    /// Compares the surface of the previous regen with the new one.
    pub fn compare(old: &Surface, new: &Surface) -> ChangeReport {
        let enums = new
            .types
            .iter()
            .filter_map(|t| match &t.shape {
                TypeShape::Enum { values } => Some((
                    t.name.clone(),
                    values.iter().map(|v| v.wire.clone()).collect(),
                )),
                _ => None,
            })
            .collect();
        let mut diff = Diff {
            changes: Vec::new(),
            sides: merge_sides(&sides(old), &sides(new)),
            enums,
        };
        diff.operations(old, new);
        diff.types(old, new);
        let mut changes = diff.changes;
        changes.sort();
        changes.dedup();
        ChangeReport { changes }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// Whether any change is at least as severe as `severity` (breaking is the most severe).
    pub fn has_at_least(&self, severity: Severity) -> bool {
        self.changes.iter().any(|c| c.severity <= severity)
    }

    /// The semver bump these changes call for.
    pub fn bump(&self) -> Option<Bump> {
        self.changes
            .iter()
            .map(|c| match c.severity {
                Severity::Breaking => Bump::Major,
                Severity::Additive => Bump::Minor,
                Severity::Other => Bump::Patch,
            })
            .min()
    }

    /// The report for people. `version` is the crate's current version, when known.
    pub fn render(&self, version: Option<&str>) -> String {
        if self.is_empty() {
            return "No API changes.\n".to_string();
        }
        let mut out = format!(
            "API changes: {} breaking, {} additive, {} other.\n",
            self.count(Severity::Breaking),
            self.count(Severity::Additive),
            self.count(Severity::Other)
        );
        if let Some(bump) = self.bump() {
            let next = version.and_then(|v| bump.apply(v).ok().map(|next| (v, next)));
            match next {
                Some((current, next)) => out.push_str(&format!(
                    "Proposed version bump: {bump} ({current} -> {next}).\n"
                )),
                None => out.push_str(&format!("Proposed version bump: {bump}.\n")),
            }
        }
        out.push_str(&self.render_groups());
        out
    }

    /// The grouped lines without the summary (the body of a changelog entry).
    pub fn render_groups(&self) -> String {
        let mut out = String::new();
        for (severity, title) in [
            (Severity::Breaking, "Breaking changes"),
            (Severity::Additive, "Additive changes"),
            (Severity::Other, "Other changes"),
        ] {
            let lines: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .collect();
            if lines.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{title} ({}):\n", lines.len()));
            for change in lines {
                out.push_str(&format!("  - {}: {}\n", change.item, change.message));
                if !change.origin.is_empty() {
                    out.push_str(&format!("    at {}\n", change.origin));
                }
            }
        }
        out
    }

    /// A `CHANGELOG.md` section for `version`, released on `date`.
    pub fn changelog_section(&self, version: &str, date: &str) -> String {
        let mut out = format!("## {version} ({date})\n");
        if self.is_empty() {
            out.push_str("\nNo API changes.\n");
            return out;
        }
        for (severity, title) in [
            (Severity::Breaking, "Breaking"),
            (Severity::Additive, "Added"),
            (Severity::Other, "Other"),
        ] {
            let lines: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .collect();
            if lines.is_empty() {
                continue;
            }
            out.push_str(&format!("\n### {title}\n\n"));
            for change in lines {
                out.push_str(&format!(
                    "- `{}`: {} (`{}`)\n",
                    change.item, change.message, change.origin
                ));
            }
        }
        out
    }
}

/// The first line of a changelog written by `--bump`.
pub const CHANGELOG_TITLE: &str = "# Changelog";

/// `existing` (a `CHANGELOG.md`, or none) with `section` as its newest entry.
pub fn prepend_changelog(existing: Option<&str>, section: &str) -> String {
    let intro = format!(
        "{CHANGELOG_TITLE}\n\nChanges to the API of the generated `heygen` crate, newest first \
         (written by `cargo xtask regen --bump`).\n"
    );
    match existing {
        Some(text) if text.starts_with(CHANGELOG_TITLE) => {
            // Insert before the first existing section, after the title and intro.
            match text.find("\n## ") {
                Some(at) => format!("{}\n{section}{}", &text[..at + 1], &text[at..]),
                None => format!("{}\n\n{section}", text.trim_end()),
            }
        }
        Some(text) if !text.trim().is_empty() => format!("{intro}\n{section}\n{text}"),
        _ => format!("{intro}\n{section}"),
    }
}

/// Which side of the wire a type is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sides {
    request: bool,
    response: bool,
}

impl Sides {
    fn or(self, other: Sides) -> Sides {
        Sides {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }

    fn note(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => " (request and response)",
            (true, false) => " (request)",
            (false, true) => " (response)",
            (false, false) => "",
        }
    }
}

/// Request and response reachability of every type of a surface.
fn sides(surface: &Surface) -> BTreeMap<String, Sides> {
    let types: BTreeMap<&str, &TypeSurface> =
        surface.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut request_roots: Vec<&str> = Vec::new();
    let mut response_roots: Vec<&str> = Vec::new();
    for op in &surface.operations {
        for param in &op.params {
            request_roots.push(&param.ty);
        }
        match &op.body {
            Some(BodySurface::Json { ty, .. }) => request_roots.push(ty),
            Some(BodySurface::Multipart { fields }) => {
                request_roots.extend(fields.iter().filter_map(|f| f.ty.as_deref()))
            }
            _ => {}
        }
        response_roots.push(&op.returns);
    }
    let request = reachable(&types, &request_roots);
    let response = reachable(&types, &response_roots);
    let mut out = BTreeMap::new();
    for name in types.keys() {
        out.insert(
            name.to_string(),
            Sides {
                request: request.contains(*name),
                response: response.contains(*name),
            },
        );
    }
    out
}

fn reachable<'a>(
    types: &BTreeMap<&'a str, &'a TypeSurface>,
    roots: &[&'a str],
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&'a str> = roots.iter().flat_map(|ty| mentioned_names(ty)).collect();
    while let Some(name) = stack.pop() {
        let Some((key, def)) = types.get_key_value(name) else {
            continue;
        };
        if !seen.insert(*key) {
            continue;
        }
        match &def.shape {
            TypeShape::Struct { fields, extra } => {
                for field in fields {
                    stack.extend(mentioned_names(&field.ty));
                }
                if let Some(extra) = extra {
                    stack.extend(mentioned_names(extra));
                }
            }
            TypeShape::Enum { .. } => {}
            TypeShape::TaggedUnion { variants, .. } | TypeShape::UntaggedUnion { variants, .. } => {
                for variant in variants {
                    stack.extend(mentioned_names(&variant.ty));
                }
            }
            TypeShape::Alias { target } => stack.extend(mentioned_names(target)),
        }
    }
    seen
}

fn merge_sides(
    old: &BTreeMap<String, Sides>,
    new: &BTreeMap<String, Sides>,
) -> BTreeMap<String, Sides> {
    let mut out = old.clone();
    for (name, sides) in new {
        let entry = out.entry(name.clone()).or_default();
        entry.request |= sides.request;
        entry.response |= sides.response;
    }
    out
}

struct Diff {
    changes: Vec<Change>,
    sides: BTreeMap<String, Sides>,
    /// Wire values of the enums of the new surface.
    enums: BTreeMap<String, Vec<String>>,
}

const TYPES: &str = "heygen::types::";

fn list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Diff {
    fn push(
        &mut self,
        severity: Severity,
        kind: ChangeKind,
        item: impl Into<String>,
        message: impl Into<String>,
        origin: &str,
    ) {
        self.changes.push(Change {
            severity,
            item: item.into(),
            message: message.into(),
            origin: origin.to_string(),
            kind,
        });
    }

    fn sides_of(&self, name: &str) -> Sides {
        self.sides.get(name).copied().unwrap_or_default()
    }

    /// For a free string that became an enum in what requests send: which values remain.
    fn narrowed(&self, old_ty: &str, new_ty: &str) -> String {
        match self.enums.get(new_ty) {
            Some(values) if old_ty == "String" => {
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                format!(
                    "; a free string became an enum: only {} are accepted",
                    list(&values)
                )
            }
            _ => String::new(),
        }
    }
}
#[cfg(test)]
mod tests;
