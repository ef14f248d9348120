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
//!   deprecations, a field that is now always present in responses.
//!
//! Whether a type is sent or received decides some of these: a type is
//! *request-side* when it is reachable from an operation's parameters or body,
//! *response-side* when reachable from a success response (either surface
//! counts). A type on both sides gets the stricter classification.
//!
//! The proposed bump follows semver for the generated crate, also below 1.0:
//! breaking -> major, additive -> minor, other -> patch, nothing -> no bump.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::surface::{
    mentioned_names, BodySurface, FieldSurface, MultipartFieldSurface, OperationSurface,
    ParamSurface, Surface, TypeShape, TypeSurface, VariantSurface,
};

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

    /// `1.2.3` bumped; pre-release and build suffixes are dropped. Errors name the version.
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
        Ok(match self {
            Bump::Major => format!("{}.0.0", major + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
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

fn pointer_escape(token: &str) -> String {
    crate::text::escape_token(token)
}

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

    // ----- operations ----------------------------------------------------------------------

    fn operations(&mut self, old: &Surface, new: &Surface) {
        let old_ops: BTreeMap<&str, &OperationSurface> = old
            .operations
            .iter()
            .map(|op| (op.http.as_str(), op))
            .collect();
        let new_ops: BTreeMap<&str, &OperationSurface> = new
            .operations
            .iter()
            .map(|op| (op.http.as_str(), op))
            .collect();
        for (http, op) in &new_ops {
            if !old_ops.contains_key(http) {
                self.push(
                    Severity::Additive,
                    ChangeKind::OperationAdded,
                    &op.call,
                    format!("new operation `{http}` ({})", op.operation_id),
                    &op.origin,
                );
            }
        }
        for (http, op) in &old_ops {
            match new_ops.get(http) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::OperationRemoved,
                    &op.call,
                    format!("operation removed (`{http}`, {})", op.operation_id),
                    &op.origin,
                ),
                Some(new_op) => self.operation(op, new_op),
            }
        }
    }

    fn operation(&mut self, old: &OperationSurface, new: &OperationSurface) {
        let origin = new.origin.as_str();
        let call = new.call.as_str();
        if old.call != new.call {
            let id = if old.operation_id != new.operation_id {
                format!("; operationId {} -> {}", old.operation_id, new.operation_id)
            } else {
                String::new()
            };
            self.push(
                Severity::Breaking,
                ChangeKind::OperationRenamed,
                &old.call,
                format!("renamed to `{}` (`{}`{id})", new.call, new.http),
                origin,
            );
        } else if old.operation_id != new.operation_id {
            self.push(
                Severity::Other,
                ChangeKind::OperationIdChanged,
                call,
                format!(
                    "operationId {} -> {}; the method name is unchanged",
                    old.operation_id, new.operation_id
                ),
                origin,
            );
        }
        if old.deprecated != new.deprecated {
            let message = if new.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(
                Severity::Other,
                ChangeKind::OperationDeprecated,
                call,
                message,
                origin,
            );
        }
        self.params(old, new);
        self.body(old, new);
        if old.returns != new.returns {
            self.push(
                Severity::Breaking,
                ChangeKind::ReturnChanged,
                call,
                format!("returns `{}` instead of `{}`", new.returns, old.returns),
                origin,
            );
        } else if old.decoding != new.decoding {
            self.push(
                Severity::Other,
                ChangeKind::ReturnChanged,
                call,
                format!(
                    "response body decoded as {} instead of {}",
                    new.decoding, old.decoding
                ),
                origin,
            );
        }
        self.errors(old, new);
        match (&old.pagination, &new.pagination) {
            (None, Some(_)) => self.push(
                Severity::Additive,
                ChangeKind::StreamMethodAdded,
                call,
                format!("new `{}_stream` method that follows every page", new.method),
                origin,
            ),
            (Some(_), None) => self.push(
                Severity::Breaking,
                ChangeKind::StreamMethodRemoved,
                call,
                format!(
                    "`{}_stream` removed: the response is no longer paginated",
                    old.method
                ),
                origin,
            ),
            _ => {}
        }
        match (old.polling, new.polling) {
            (false, true) => self.push(
                Severity::Additive,
                ChangeKind::PollingMethodAdded,
                call,
                format!(
                    "new `{}_until_done` method that polls until a terminal status",
                    new.method
                ),
                origin,
            ),
            (true, false) => self.push(
                Severity::Breaking,
                ChangeKind::PollingMethodRemoved,
                call,
                format!("`{}_until_done` removed", old.method),
                origin,
            ),
            _ => {}
        }
    }

    fn params(&mut self, old: &OperationSurface, new: &OperationSurface) {
        let origin = new.origin.as_str();
        let key = |p: &ParamSurface| (p.location.clone(), p.wire.to_ascii_lowercase());
        let old_params: BTreeMap<_, &ParamSurface> =
            old.params.iter().map(|p| (key(p), p)).collect();
        let new_params: BTreeMap<_, &ParamSurface> =
            new.params.iter().map(|p| (key(p), p)).collect();
        let item = |op: &OperationSurface, p: &ParamSurface| -> String {
            match (&op.params_struct, p.location.as_str()) {
                (Some(name), "query" | "header") => {
                    let legacy = if op.legacy { "legacy::" } else { "" };
                    format!("heygen::{legacy}{}::{name}::{}", op.group, p.rust)
                }
                _ => op.call.clone(),
            }
        };
        match (&old.params_struct, &new.params_struct) {
            (None, Some(name)) => self.push(
                Severity::Breaking,
                ChangeKind::ParamsArgumentChanged,
                &new.call,
                format!("now takes a `params: &{name}` argument"),
                origin,
            ),
            (Some(name), None) => self.push(
                Severity::Breaking,
                ChangeKind::ParamsArgumentChanged,
                &new.call,
                format!("no longer takes a `params: &{name}` argument"),
                origin,
            ),
            _ => {}
        }
        for (k, p) in &new_params {
            if old_params.contains_key(k) {
                continue;
            }
            let what = param_noun(p);
            let idempotency = if p.wire.eq_ignore_ascii_case("idempotency-key") {
                "; the client now sends one (a new UUID unless set) and reuses it across retries"
            } else {
                ""
            };
            if p.location == "path" || p.required {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParameterAdded,
                    item(new, p),
                    format!(
                        "new required {what} `{}` (`{}`){idempotency}",
                        p.wire,
                        p.rust_type()
                    ),
                    origin,
                );
            } else {
                self.push(
                    Severity::Additive,
                    ChangeKind::ParameterAdded,
                    item(new, p),
                    format!(
                        "new optional {what} `{}` (`{}`){idempotency}",
                        p.wire,
                        p.rust_type()
                    ),
                    origin,
                );
            }
        }
        for (k, p) in &old_params {
            let Some(n) = new_params.get(k) else {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParameterRemoved,
                    item(old, p),
                    format!("{} `{}` removed", param_noun(p), p.wire),
                    origin,
                );
                continue;
            };
            let what = param_noun(n);
            if p.rust != n.rust {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParameterChanged,
                    item(old, p),
                    format!("{what} `{}` renamed to `{}`", n.wire, n.rust),
                    origin,
                );
            }
            if p.rust_type() != n.rust_type() {
                let message = format!(
                    "{what} `{}` changed type from `{}` to `{}`{}{}",
                    n.wire,
                    p.rust_type(),
                    n.rust_type(),
                    if !p.required && n.required {
                        "; it is now required"
                    } else {
                        ""
                    },
                    self.narrowed(&p.ty, &n.ty)
                );
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParameterChanged,
                    item(new, n),
                    message,
                    origin,
                );
            } else if p.required != n.required {
                let (severity, message) = if n.required {
                    (
                        Severity::Breaking,
                        format!("{what} `{}` is now required", n.wire),
                    )
                } else {
                    (
                        Severity::Other,
                        format!("{what} `{}` is now optional", n.wire),
                    )
                };
                self.push(
                    severity,
                    ChangeKind::ParameterChanged,
                    item(new, n),
                    message,
                    origin,
                );
            } else if p.nullable != n.nullable {
                let message = format!(
                    "{what} `{}` {}",
                    n.wire,
                    if n.nullable {
                        "may now be null"
                    } else {
                        "may no longer be null"
                    }
                );
                self.push(
                    Severity::Other,
                    ChangeKind::ParameterChanged,
                    item(new, n),
                    message,
                    origin,
                );
            }
        }
    }

    fn body(&mut self, old: &OperationSurface, new: &OperationSurface) {
        let origin = new.origin.as_str();
        let call = new.call.as_str();
        let describe = |body: &BodySurface| -> String {
            match body {
                BodySurface::Json { ty, required: true } => format!("a JSON body `&{ty}`"),
                BodySurface::Json {
                    ty,
                    required: false,
                } => format!("an optional JSON body `Option<&{ty}>`"),
                BodySurface::Multipart { .. } => "a multipart form".to_string(),
                BodySurface::Raw { .. } => "a raw body (`FileUpload`)".to_string(),
            }
        };
        match (&old.body, &new.body) {
            (None, None) => {}
            (None, Some(body)) => self.push(
                Severity::Breaking,
                ChangeKind::BodyChanged,
                call,
                format!("now takes {}", describe(body)),
                origin,
            ),
            (Some(body), None) => self.push(
                Severity::Breaking,
                ChangeKind::BodyChanged,
                call,
                format!("no longer takes {}", describe(body)),
                origin,
            ),
            (
                Some(BodySurface::Multipart { fields: a }),
                Some(BodySurface::Multipart { fields: b }),
            ) => self.multipart(call, origin, a, b),
            (
                Some(BodySurface::Raw { content_type: a }),
                Some(BodySurface::Raw { content_type: b }),
            ) if a != b => {
                let show = |c: &Option<String>| c.clone().unwrap_or_else(|| "unspecified".into());
                self.push(
                    Severity::Other,
                    ChangeKind::BodyChanged,
                    call,
                    format!("request body media type {} -> {}", show(a), show(b)),
                    origin,
                );
            }
            (Some(a), Some(b)) if a != b => self.push(
                Severity::Breaking,
                ChangeKind::BodyChanged,
                call,
                format!("takes {} instead of {}", describe(b), describe(a)),
                origin,
            ),
            _ => {}
        }
    }

    fn multipart(
        &mut self,
        call: &str,
        origin: &str,
        old: &[MultipartFieldSurface],
        new: &[MultipartFieldSurface],
    ) {
        let rust = |f: &MultipartFieldSurface| -> String {
            let inner =
                f.ty.as_ref()
                    .map(|t| format!("&{t}"))
                    .unwrap_or_else(|| "FileUpload".into());
            if f.required {
                inner
            } else {
                format!("Option<{inner}>")
            }
        };
        for field in new {
            if !old.iter().any(|f| f.wire == field.wire) {
                let required = if field.required {
                    "required"
                } else {
                    "optional"
                };
                self.push(
                    Severity::Breaking,
                    ChangeKind::BodyChanged,
                    call,
                    format!(
                        "new {required} multipart field `{}`: a new argument `{}: {}`",
                        field.wire,
                        field.rust,
                        rust(field)
                    ),
                    origin,
                );
            }
        }
        for field in old {
            match new.iter().find(|f| f.wire == field.wire) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::BodyChanged,
                    call,
                    format!(
                        "multipart field `{}` removed (argument `{}`)",
                        field.wire, field.rust
                    ),
                    origin,
                ),
                Some(n) if rust(n) != rust(field) || n.rust != field.rust => self.push(
                    Severity::Breaking,
                    ChangeKind::BodyChanged,
                    call,
                    format!(
                        "multipart field `{}`: argument `{}: {}` is now `{}: {}`",
                        field.wire,
                        field.rust,
                        rust(field),
                        n.rust,
                        rust(n)
                    ),
                    origin,
                ),
                Some(_) => {}
            }
        }
    }

    fn errors(&mut self, old: &OperationSurface, new: &OperationSurface) {
        let origin = new.origin.as_str();
        let call = new.call.as_str();
        for error in &new.errors {
            match old.errors.iter().find(|e| e.status == error.status) {
                None => self.push(
                    Severity::Other,
                    ChangeKind::ErrorStatusAdded,
                    call,
                    format!("documents a new error status {}", error.status),
                    origin,
                ),
                Some(previous) => {
                    if previous.shape != error.shape {
                        self.push(
                            Severity::Other,
                            ChangeKind::ErrorStatusChanged,
                            call,
                            format!(
                                "error status {}: body shape {} -> {}",
                                error.status, previous.shape, error.shape
                            ),
                            origin,
                        );
                    }
                    let added: Vec<&str> = error
                        .headers
                        .iter()
                        .filter(|h| !previous.headers.contains(h))
                        .map(String::as_str)
                        .collect();
                    let removed: Vec<&str> = previous
                        .headers
                        .iter()
                        .filter(|h| !error.headers.contains(h))
                        .map(String::as_str)
                        .collect();
                    if !added.is_empty() {
                        self.push(
                            Severity::Other,
                            ChangeKind::ErrorStatusChanged,
                            call,
                            format!(
                                "error status {} documents new response headers {}",
                                error.status,
                                list(&added)
                            ),
                            origin,
                        );
                    }
                    if !removed.is_empty() {
                        self.push(
                            Severity::Other,
                            ChangeKind::ErrorStatusChanged,
                            call,
                            format!(
                                "error status {} no longer documents response headers {}",
                                error.status,
                                list(&removed)
                            ),
                            origin,
                        );
                    }
                }
            }
        }
        for error in &old.errors {
            if !new.errors.iter().any(|e| e.status == error.status) {
                self.push(
                    Severity::Other,
                    ChangeKind::ErrorStatusRemoved,
                    call,
                    format!("no longer documents error status {}", error.status),
                    origin,
                );
            }
        }
    }

    // ----- types ---------------------------------------------------------------------------

    fn types(&mut self, old: &Surface, new: &Surface) {
        let old_types: BTreeMap<&str, &TypeSurface> =
            old.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let new_types: BTreeMap<&str, &TypeSurface> =
            new.types.iter().map(|t| (t.name.as_str(), t)).collect();
        for (name, def) in &new_types {
            if !old_types.contains_key(name) {
                let note = self.sides_of(name).note();
                self.push(
                    Severity::Additive,
                    ChangeKind::TypeAdded,
                    format!("{TYPES}{name}"),
                    format!("new {}{note}", def.shape.kind()),
                    &def.origin,
                );
            }
        }
        for (name, def) in &old_types {
            match new_types.get(name) {
                None => {
                    let note = self.sides_of(name).note();
                    self.push(
                        Severity::Breaking,
                        ChangeKind::TypeRemoved,
                        format!("{TYPES}{name}"),
                        format!("{} removed{note}", def.shape.kind()),
                        &def.origin,
                    )
                }
                Some(new_def) => self.type_changes(def, new_def),
            }
        }
    }

    fn type_changes(&mut self, old: &TypeSurface, new: &TypeSurface) {
        let item = format!("{TYPES}{}", new.name);
        let sides = self.sides_of(&new.name);
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
        let origin =
            |f: &FieldSurface| format!("{}/properties/{}", def.origin, pointer_escape(&f.wire));
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

fn param_noun(p: &ParamSurface) -> &'static str {
    match p.location.as_str() {
        "path" => "path parameter",
        "header" => "request header",
        _ => "query parameter",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps() {
        assert_eq!(Bump::Major.apply("0.1.0"), Ok("1.0.0".into()));
        assert_eq!(Bump::Minor.apply("0.1.3"), Ok("0.2.0".into()));
        assert_eq!(Bump::Patch.apply("1.2.3"), Ok("1.2.4".into()));
        assert_eq!(Bump::Patch.apply("1.2.3-rc.1"), Ok("1.2.4".into()));
        assert!(Bump::Patch.apply("1.2").is_err());
        assert!(Bump::Patch.apply("a.b.c").is_err());
        assert!(Bump::Patch.apply("").is_err());
    }

    #[test]
    fn changelog_prepends_after_title() {
        let first = prepend_changelog(None, "## 0.2.0 (2026-05-01)\n\nx\n");
        assert!(first.starts_with("# Changelog\n"), "{first}");
        assert!(first.ends_with("## 0.2.0 (2026-05-01)\n\nx\n"), "{first}");
        let second = prepend_changelog(Some(&first), "## 1.0.0 (2026-06-01)\n\ny\n");
        let new_at = second.find("## 1.0.0").expect("new section");
        let old_at = second.find("## 0.2.0").expect("old section");
        assert!(new_at < old_at, "{second}");
        assert_eq!(second.matches("# Changelog").count(), 1, "{second}");
        let foreign = prepend_changelog(Some("hand-written notes\n"), "## 1.0.0 (d)\n");
        assert!(foreign.contains("hand-written notes"), "{foreign}");
        assert!(
            foreign.find("## 1.0.0") < foreign.find("hand-written"),
            "{foreign}"
        );
    }

    #[test]
    fn empty_report() {
        let report = ChangeReport::default();
        assert_eq!(report.render(Some("0.1.0")), "No API changes.\n");
        assert_eq!(report.bump(), None);
        assert!(!report.has_at_least(Severity::Other));
    }
}
