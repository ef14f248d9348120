//! The text of spec files, below every stage: JSON pointers, YAML read as JSON,
//! and the line a pointer sits on.

mod depth;
mod lines;
pub(crate) mod yaml;

pub use depth::{line_and_column, too_deep, MAX_DEPTH};
pub use lines::line_in_text;

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, Location, Result};

/// The line in a file of the node at `pointer`, or of its closest ancestor
/// that can be found, in `text`, which starts at line `first_line` of the file.
pub fn line_of_nearest(text: &str, first_line: usize, pointer: &str) -> Option<usize> {
    let mut pointer = pointer;
    loop {
        if let Some(line) = line_in_text(text, pointer) {
            return Some(line + first_line - 1);
        }
        match pointer.rfind('/') {
            Some(cut) => pointer = &pointer[..cut],
            None => return None,
        }
    }
}

/// The text of an input file. Bytes that are not UTF-8 are an error naming the
/// file, the line, the column and the byte offset of the first bad byte.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let (line, column) = line_and_column(bytes, offset);
        Error::spec(
            Location::new(path, "").with_line(Some(line)),
            format!(
                "the file is not UTF-8: byte 0x{:02x} at byte offset {offset} (line {line}, \
                 column {column}) starts no UTF-8 character",
                bytes[offset]
            ),
        )
    })
}

/// Convert a YAML value into JSON. Scalar keys become strings (`200:` -> `"200"`).
/// On failure: (JSON pointer, message).
pub(crate) fn yaml_to_json(value: serde_yaml::Value) -> Result<Value, (String, String)> {
    let mut pointer = String::new();
    convert(value, &mut pointer)
}

fn convert(value: serde_yaml::Value, pointer: &mut String) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                match serde_json::Number::from_f64(f) {
                    Some(n) => Value::Number(n),
                    None => {
                        return Err((
                            pointer.clone(),
                            format!("the number {n} cannot be represented in JSON"),
                        ))
                    }
                }
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                out.push(convert(item, pointer)?);
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        Y::Mapping(mapping) => {
            let mut out = Map::new();
            for (key, item) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => {
                        return Err((pointer.clone(), "a mapping key is null".to_string()));
                    }
                    Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => {
                        return Err((
                            pointer.clone(),
                            "a mapping key is not a scalar; only string, number and boolean \
                             keys are supported"
                                .to_string(),
                        ));
                    }
                };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(&key));
                if out.contains_key(&key) {
                    return Err((
                        pointer.clone(),
                        format!("duplicate key `{key}` (after converting keys to strings)"),
                    ));
                }
                let item = convert(item, pointer)?;
                pointer.truncate(len);
                out.insert(key, item);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            return Err((
                pointer.clone(),
                format!("YAML tag `{}` is not supported", tagged.tag),
            ))
        }
    })
}

/// Escape one JSON-pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The JSON pointer of unescaped `tokens` (the inverse of [`pointer_tokens`]).
pub fn pointer_from_tokens<T: AsRef<str>>(tokens: &[T]) -> String {
    tokens
        .iter()
        .map(|token| format!("/{}", escape_token(token.as_ref())))
        .collect()
}

/// Split a JSON pointer into unescaped tokens; `None` if it is not a valid pointer.
pub fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/')
        .map(|raw| {
            let mut out = String::with_capacity(raw.len());
            let mut chars = raw.chars();
            while let Some(c) = chars.next() {
                if c == '~' {
                    match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return None,
                    }
                } else {
                    out.push(c);
                }
            }
            Some(out)
        })
        .collect()
}
#[cfg(test)]
mod tests;
