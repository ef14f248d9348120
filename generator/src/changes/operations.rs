//! Changes to operations: their existence, parameters, bodies and errors.

use std::collections::BTreeMap;

use super::{list, ChangeKind, Diff, Severity};
use crate::surface::{BodySurface, MultipartFieldSurface, OperationSurface, ParamSurface, Surface};

impl Diff {
    pub(super) fn operations(&mut self, old: &Surface, new: &Surface) {
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
        let gone: Vec<&OperationSurface> = old_ops
            .iter()
            .filter(|(http, _)| !new_ops.contains_key(*http))
            .map(|(_, op)| *op)
            .collect();
        let arrived: Vec<&OperationSurface> = new_ops
            .iter()
            .filter(|(http, _)| !old_ops.contains_key(*http))
            .map(|(_, op)| *op)
            .collect();
        let moved = moved(&gone, &arrived);
        for op in &arrived {
            if !moved.iter().any(|(_, to)| to.http == op.http) {
                self.push(
                    Severity::Additive,
                    ChangeKind::OperationAdded,
                    &op.call,
                    format!("new operation `{}` ({})", op.http, op.operation_id),
                    &op.origin,
                );
            }
        }
        for (http, op) in &old_ops {
            if let Some(new_op) = new_ops.get(http) {
                self.operation(op, new_op);
            } else if let Some((_, to)) = moved.iter().find(|(from, _)| from.http == op.http) {
                self.push(
                    Severity::Other,
                    ChangeKind::OperationMoved,
                    &to.call,
                    format!("moved from `{}` to `{}`", op.http, to.http),
                    &to.origin,
                );
                self.operation(op, to);
            } else {
                self.push(
                    Severity::Breaking,
                    ChangeKind::OperationRemoved,
                    &op.call,
                    format!("operation removed (`{http}`, {})", op.operation_id),
                    &op.origin,
                );
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
                format!(
                    "the `{}` call gains `stream()`, which follows every page",
                    new.method
                ),
                origin,
            ),
            (Some(_), None) => self.push(
                Severity::Breaking,
                ChangeKind::StreamMethodRemoved,
                call,
                format!(
                    "`stream()` of the `{}` call removed: the response is no longer paginated",
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
}
/// Operations that left a path paired with the one that arrived at another
/// path in their place: the same operationId, or else the same summary, HTTP
/// method, body and return type. A pair must be the only candidate both ways.
fn moved<'a>(
    gone: &[&'a OperationSurface],
    arrived: &[&'a OperationSurface],
) -> Vec<(&'a OperationSurface, &'a OperationSurface)> {
    let mut pairs: Vec<(&OperationSurface, &OperationSurface)> = Vec::new();
    let rules: [fn(&OperationSurface, &OperationSurface) -> bool; 2] = [same_id, same_shape];
    for rule in rules {
        let free_gone: Vec<&OperationSurface> = gone
            .iter()
            .copied()
            .filter(|op| !pairs.iter().any(|(from, _)| from.http == op.http))
            .collect();
        let free_arrived: Vec<&OperationSurface> = arrived
            .iter()
            .copied()
            .filter(|op| !pairs.iter().any(|(_, to)| to.http == op.http))
            .collect();
        for from in &free_gone {
            let candidates: Vec<&OperationSurface> = free_arrived
                .iter()
                .copied()
                .filter(|to| rule(from, to))
                .collect();
            if let [to] = candidates.as_slice() {
                if free_gone.iter().filter(|other| rule(other, to)).count() == 1 {
                    pairs.push((from, to));
                }
            }
        }
    }
    pairs
}

fn same_id(a: &OperationSurface, b: &OperationSurface) -> bool {
    a.operation_id == b.operation_id
}

fn same_shape(a: &OperationSurface, b: &OperationSurface) -> bool {
    let verb = |op: &OperationSurface| op.http.split(' ').next().map(str::to_string);
    a.summary.is_some()
        && a.summary == b.summary
        && verb(a) == verb(b)
        && a.body == b.body
        && a.returns == b.returns
}

fn param_noun(p: &ParamSurface) -> &'static str {
    match p.location.as_str() {
        "path" => "path parameter",
        "header" => "request header",
        _ => "query parameter",
    }
}
