//! The keys of `paths`: each a path template that starts with `/` and whose
//! `{...}` variables are balanced. `openapiv3` silently drops a key without the
//! `/` (so its operations would vanish), and a stray brace would become a
//! broken format string in the generated code: both are errors here, where
//! the document still has its lines.

use serde_json::Value;

use crate::text::escape_token;

/// The first path key that is not a valid template: (pointer, message).
pub(super) fn check(root: &Value) -> Result<(), (String, String)> {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return Ok(());
    };
    for path in paths.keys() {
        if path.starts_with("x-") {
            continue; // an extension, not a path
        }
        let pointer = format!("/paths/{}", escape_token(path));
        if !path.starts_with('/') {
            return Err((
                pointer,
                format!("the path `{path}` does not start with `/`: write `/{path}`"),
            ));
        }
        if let Some(problem) = template_problem(path) {
            return Err((pointer, format!("the path `{path}` {problem}")));
        }
    }
    Ok(())
}

/// What is wrong with the `{...}` variables of a path template, if anything.
fn template_problem(path: &str) -> Option<String> {
    let mut open: Option<usize> = None;
    for (index, c) in path.char_indices() {
        match (c, open) {
            ('{', Some(_)) => return Some(format!("opens `{{` inside a variable at byte {index}")),
            ('{', None) => open = Some(index),
            ('}', None) => return Some(format!("closes `}}` without a `{{` at byte {index}")),
            ('}', Some(start)) => {
                let name = &path[start + 1..index];
                if name.trim().is_empty() {
                    return Some(format!("has an empty variable `{{}}` at byte {start}"));
                }
                open = None;
            }
            _ => {}
        }
    }
    open.map(|start| format!("opens `{{` at byte {start} and never closes it"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_must_start_with_a_slash_and_balance_their_braces() {
        assert_eq!(
            check(&json!({"paths": {"/v3/a/{id}": {}, "x-note": 1}})),
            Ok(())
        );
        let error = |path: &str| check(&json!({ "paths": { path: {} } })).unwrap_err();
        assert_eq!(
            error("v3/videos"),
            (
                "/paths/v3~1videos".to_string(),
                "the path `v3/videos` does not start with `/`: write `/v3/videos`".to_string()
            )
        );
        assert_eq!(
            error("/v3/a/{id").1,
            "the path `/v3/a/{id` opens `{` at byte 6 and never closes it"
        );
        assert_eq!(
            error("/v3/a/id}").1,
            "the path `/v3/a/id}` closes `}` without a `{` at byte 8"
        );
        assert_eq!(
            error("/v3/{a{b}}").1,
            "the path `/v3/{a{b}}` opens `{` inside a variable at byte 6"
        );
        assert_eq!(
            error("/v3/{}").1,
            "the path `/v3/{}` has an empty variable `{}` at byte 4"
        );
    }
}
