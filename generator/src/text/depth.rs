//! How deep a JSON text nests, found without recursion, so that a document
//! nested deeper than any real one is a located error instead of a stack
//! overflow in a later stage.

use super::escape_token;

/// The deepest nesting of objects and arrays that any input may have: real
/// OpenAPI documents stay well below 100; every stage handles this much.
pub const MAX_DEPTH: usize = 2048;

/// Where a JSON text first nests deeper than `limit`: the JSON pointer of the
/// object or array that opens level `limit + 1`, its 1-based line in `text`
/// and its byte offset. `None` when it never does. The scan is iterative and
/// tolerant: on text that is not JSON it reports at most a nesting that is
/// really there, and the parser reports the rest.
pub fn too_deep(text: &str, limit: usize) -> Option<(String, usize, usize)> {
    enum Frame {
        Object {
            key: Option<String>,
            expect_key: bool,
        },
        Array {
            index: usize,
        },
    }
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match byte {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'\n' => line += 1,
                        _ => {}
                    }
                    i += 1;
                }
                let raw = &text[start..i.min(bytes.len())];
                if let Some(Frame::Object { key, expect_key }) = stack.last_mut() {
                    if *expect_key {
                        *key = Some(unescape(raw));
                        *expect_key = false;
                    }
                }
            }
            b'{' | b'[' => {
                if stack.len() >= limit {
                    let mut pointer = String::new();
                    for frame in &stack {
                        pointer.push('/');
                        match frame {
                            Frame::Object { key, .. } => {
                                pointer.push_str(&escape_token(key.as_deref().unwrap_or("")))
                            }
                            Frame::Array { index } => pointer.push_str(&index.to_string()),
                        }
                    }
                    return Some((pointer, line, i));
                }
                stack.push(if byte == b'{' {
                    Frame::Object {
                        key: None,
                        expect_key: true,
                    }
                } else {
                    Frame::Array { index: 0 }
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// A JSON string's content without its escapes (as written when it has bad ones).
fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    serde_json::from_str(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string())
}

/// The 1-based line and column of byte `offset` in `bytes`.
pub fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.len()
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, column)
}
