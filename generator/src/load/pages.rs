//! Documentation pages: the one OpenAPI document embedded in a fenced code block.

use std::path::Path;

use serde_json::Value;

use super::{parse_json, parse_yaml};
use crate::error::{Error, Location, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Json,
    Yaml,
}

/// A fenced code block with a json/yaml info string.
#[derive(Debug)]
pub(super) struct Block {
    /// 1-based line of the opening fence.
    open_line: usize,
    /// 1-based line of the first content line.
    first_line: usize,
    lang: Lang,
    pub(super) content: String,
}

/// Find the fenced code blocks of a markdown page whose info string starts with json,
/// yaml or yml. Blocks of other languages are skipped whole (fences inside them do not
/// count). An unclosed fence runs to the end of the page.
pub(super) fn fenced_blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, fence_char, fence_len, info)) = opening_fence(lines[i]) else {
            i += 1;
            continue;
        };
        let open_line = i + 1;
        let mut content = Vec::new();
        i += 1;
        while i < lines.len() {
            if is_closing_fence(lines[i], fence_char, fence_len) {
                break;
            }
            content.push(strip_indent(lines[i], indent));
            i += 1;
        }
        i += 1; // past the closing fence
        let word = info
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let lang = match word.as_str() {
            "json" => Some(Lang::Json),
            "yaml" | "yml" => Some(Lang::Yaml),
            _ => None,
        };
        if let Some(lang) = lang {
            let mut content = content.join("\n");
            content.push('\n');
            blocks.push(Block {
                open_line,
                first_line: open_line + 1,
                lang,
                content,
            });
        }
    }
    blocks
}

/// `(indent, fence char, fence length, info string)` when `line` opens a fence.
fn opening_fence(line: &str) -> Option<(usize, char, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let fence_char = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let fence_len = rest.len() - rest.trim_start_matches(fence_char).len();
    if fence_len < 3 {
        return None;
    }
    let info = rest[fence_len..].trim();
    if fence_char == '`' && info.contains('`') {
        return None; // an inline code span, not a fence
    }
    Some((indent, fence_char, fence_len, info))
}

fn is_closing_fence(line: &str, fence_char: char, fence_len: usize) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = &line[indent..];
    let run = rest.len() - rest.trim_start_matches(fence_char).len();
    run >= fence_len && rest[run..].trim().is_empty()
}

fn strip_indent(line: &str, indent: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    &line[spaces.min(indent)..]
}

/// Does this text look like it is meant to be an OpenAPI document (used to decide whether
/// a block that does not parse is an error or just a broken example)?
fn looks_like_openapi(content: &str) -> bool {
    content.lines().any(|line| {
        let t = line.trim_start();
        ["openapi", "swagger"].iter().any(|key| {
            [format!("\"{key}\""), format!("'{key}'"), key.to_string()]
                .iter()
                .any(|k| {
                    t.strip_prefix(k.as_str())
                        .is_some_and(|r| r.trim_start().starts_with(':'))
                })
        })
    })
}

fn is_openapi_mapping(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.contains_key("openapi") || m.contains_key("swagger"))
}

/// The one embedded OpenAPI document of a docs page: (value, block text, first line).
pub(super) fn extract_from_page(text: &str, path: &Path) -> Result<(Value, String, usize)> {
    let mut found: Vec<(Block, Value)> = Vec::new();
    for block in fenced_blocks(text) {
        let parsed = match block.lang {
            Lang::Json => parse_json(&block.content, path, block.first_line),
            Lang::Yaml => parse_yaml(&block.content, path, block.first_line),
        };
        match parsed {
            Ok(value) if is_openapi_mapping(&value) => found.push((block, value)),
            Ok(_) => {}
            Err(e) if looks_like_openapi(&block.content) => return Err(e),
            Err(_) => {} // an example snippet that is not valid JSON/YAML: not our business
        }
    }
    match found.len() {
        0 => Err(Error::spec(
            Location::new(path, ""),
            "no embedded OpenAPI document: no ```json / ```yaml fenced block holds a mapping \
             with an `openapi` key",
        )),
        1 => {
            let (block, value) = found.remove(0);
            Ok((value, block.content, block.first_line))
        }
        n => {
            let lines: Vec<String> = found.iter().map(|(b, _)| b.open_line.to_string()).collect();
            Err(Error::spec(
                Location::new(path, "").with_line(Some(found[1].0.open_line)),
                format!(
                    "{n} embedded OpenAPI documents (fenced blocks opening at lines {}); a docs \
                     page must embed exactly one",
                    lines.join(", ")
                ),
            ))
        }
    }
}
