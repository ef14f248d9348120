//! Spec prose -> rustdoc that builds without warnings: HTML anchors become
//! Markdown links, bare URLs become autolinks, stray HTML and brackets are
//! escaped, and nothing turns into an accidental (compiled) code block.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc = "..."]` attributes, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// The same, as inner attributes (`#![doc = ..]`): a module's own docs.
pub fn doc_inner_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// Each line with the space rustdoc expects after `///`.
fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// The rustdoc text for a type, field or parameter.
pub fn render(docs: &Docs) -> String {
    let mut parts = Vec::new();
    if let Some(summary) = &docs.summary {
        parts.push(prose(summary));
    }
    if let Some(description) = &docs.description {
        let text = prose(description);
        if !text.is_empty() && Some(&text) != parts.first() {
            parts.push(text);
        }
    }
    if docs.deprecated {
        parts.push("**Deprecated.**".into());
    }
    if let Some(default) = &docs.default {
        if !default.is_null() {
            parts.push(format!("Default: `{}`", inline_json(default)));
        }
    }
    for example in &docs.examples {
        parts.push(example_block(example));
    }
    parts.join("\n\n")
}

pub fn example_block(example: &serde_json::Value) -> String {
    let text = serde_json::to_string_pretty(example).unwrap_or_default();
    format!("Example:\n```json\n{text}\n```")
}

fn inline_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('`', "'")
}

/// Converts spec prose (Markdown with some HTML) to safe rustdoc Markdown.
pub fn prose(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The content indent of the list item being written, while its text goes on.
    let mut list_item: Option<usize> = None;
    let mut previous_blank = false;
    for line in text.trim().lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push("```".to_string());
            } else {
                let lang = trimmed.trim_start_matches('`').trim();
                out.push(format!(
                    "```{}",
                    if lang.is_empty() || lang == "rust" {
                        "text"
                    } else {
                        lang
                    }
                ));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        // Leading spaces would make an indented (Rust, compiled) code block; a
        // list item's continuation lines keep the item's indent instead, so that
        // Markdown (and clippy's `doc_lazy_continuation`) read them as part of it.
        let indented = line.len() > line.trim_start().len();
        if trimmed.is_empty() {
            out.push(String::new());
        } else if let Some(width) = list_marker_width(trimmed) {
            list_item = Some(width);
            out.push(inline(trimmed));
        } else {
            match list_item {
                Some(width) if !previous_blank || indented => {
                    out.push(format!("{}{}", " ".repeat(width), inline(trimmed)));
                }
                _ => {
                    list_item = None;
                    out.push(inline(trimmed));
                }
            }
        }
        previous_blank = trimmed.is_empty();
    }
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

/// The width of a list marker that starts `line` (`- `, `* `, `+ `, `1. `,
/// `2) `), which is how far the item's continuation lines are indented.
fn list_marker_width(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &line[digits..];
    (digits > 0 && digits <= 3 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// Escapes one line of prose outside code spans.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..ticks];
            if let Some(end) = rest[ticks..].find(fence) {
                let span = &rest[..ticks + end + ticks];
                out.push_str(span);
                rest = &rest[span.len()..];
            } else {
                out.push_str(&"\\`".repeat(ticks));
                rest = &rest[ticks..];
            }
            continue;
        }
        if let Some((link, used)) = html_anchor(rest).or_else(|| markdown_link(rest)) {
            out.push_str(&link);
            rest = &rest[used..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ')', ';', ':', '\'']);
            out.push_str(&format!("<{url}>"));
            rest = &rest[url.len()..];
            continue;
        }
        if let Some(used) = line_break(rest) {
            out.push_str("<br>");
            rest = &rest[used..];
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '\\' => out.push_str("\\\\"),
            '#' if out.trim().is_empty() => out.push_str("\\#"),
            other => out.push(other),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn line_break(text: &str) -> Option<usize> {
    ["<br>", "<br/>", "<br />"]
        .iter()
        .find(|tag| text.starts_with(**tag))
        .map(|tag| tag.len())
}

/// `<a href="url" ...>text</a>` -> `[text](url)`.
fn html_anchor(text: &str) -> Option<(String, usize)> {
    if !text.starts_with("<a ") {
        return None;
    }
    let open_end = text.find('>')?;
    let open = &text[..open_end];
    let href_start = open.find("href=\"")? + 6;
    let href_len = open[href_start..].find('"')?;
    let href = &open[href_start..href_start + href_len];
    let close = text[open_end..].find("</a>")? + open_end;
    let label = inline(text[open_end + 1..close].trim());
    let label = if label.is_empty() {
        href.to_string()
    } else {
        label
    };
    Some((format!("[{label}]({href})"), close + 4))
}

/// An existing Markdown link `[text](url)` is kept as written.
fn markdown_link(text: &str) -> Option<(String, usize)> {
    if !text.starts_with('[') {
        return None;
    }
    let close = text.find("](")?;
    let end = text[close..].find(')')? + close;
    let label = &text[1..close];
    let url = &text[close + 2..end];
    if label.contains('[')
        || url.contains(' ')
        || !(url.starts_with("http") || url.starts_with('/') || url.starts_with('#'))
    {
        return None;
    }
    if url.starts_with('/') {
        // A link relative to the vendor's docs site has no target in rustdoc: keep the words.
        return Some((inline(label), end + 1));
    }
    Some((format!("[{}]({url})", inline(label)), end + 1))
}

/// Says in words where a schema sits, for types the spec does not describe:
/// `/paths/~1v3~1avatars/post/responses/200/content/application~1json/schema/properties/data`
/// -> "`data` of the 200 response of `POST /v3/avatars`".
pub fn describe_pointer(pointer: &str) -> String {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let (mut phrase, rest) = match tokens.as_slice() {
        [components, schemas, name, rest @ ..]
            if components == "components" && schemas == "schemas" =>
        {
            (format!("the `{name}` schema"), rest)
        }
        [paths, path, method, rest @ ..] if paths == "paths" => {
            let operation = format!("`{} {path}`", method.to_uppercase());
            match rest {
                [responses, status, _content, _media, _schema, rest @ ..]
                    if responses == "responses" =>
                {
                    (format!("the {status} response of {operation}"), rest)
                }
                [body, _content, _media, _schema, rest @ ..] if body == "requestBody" => {
                    (format!("the request body of {operation}"), rest)
                }
                [parameters, _index, _schema, rest @ ..] if parameters == "parameters" => {
                    (format!("a parameter of {operation}"), rest)
                }
                _ => (operation, &[][..]),
            }
        }
        _ => return format!("Defined at `{pointer}`"),
    };
    let mut rest = rest;
    while let Some((first, tail)) = rest.split_first() {
        let (step, used) = match (first.as_str(), tail.first()) {
            ("properties", Some(name)) => (format!("`{name}` of"), 2),
            ("items", _) => ("an item of".to_string(), 1),
            ("additionalProperties", _) => ("a value of".to_string(), 1),
            ("allOf" | "anyOf" | "oneOf", Some(index)) => (format!("variant {index} of"), 2),
            _ => (String::new(), 1),
        };
        if !step.is_empty() {
            phrase = format!("{step} {phrase}");
        }
        rest = &rest[used.min(rest.len())..];
    }
    let mut chars = phrase.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => phrase,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pointers_in_words() {
        assert_eq!(
            describe_pointer("/paths/~1v3~1avatars/post/responses/200/content/application~1json/schema/properties/data"),
            "`data` of the 200 response of `POST /v3/avatars`"
        );
        assert_eq!(
            describe_pointer("/components/schemas/Catalog/properties/entries/items"),
            "An item of `entries` of the `Catalog` schema"
        );
        assert_eq!(
            describe_pointer("/components/schemas/V1APIOwner"),
            "The `V1APIOwner` schema"
        );
        assert_eq!(
            describe_pointer("/paths/~1v3~1groups/get/parameters/2/schema"),
            "A parameter of `GET /v3/groups`"
        );
    }

    use super::*;

    #[test]
    fn list_items_keep_their_continuation_lines() {
        // A wrapped item (lazy or indented in the source) stays one item.
        let text = "Modes:\n- fast: quick\nbut rough\n-  precise: slow\n    and exact\n1. first\n   line two\n\nAfter the list.";
        assert_eq!(
            prose(text),
            "Modes:\n- fast: quick\n  but rough\n-  precise: slow\n  and exact\n1. first\n   line two\n\nAfter the list."
        );
        // After a blank line, an indented paragraph continues the item, an
        // unindented one ends the list; never four spaces (a code block).
        assert_eq!(
            prose("- item\n\n    more of it\n\nplain"),
            "- item\n\n  more of it\n\nplain"
        );
        assert_eq!(list_marker_width("12. x"), Some(4));
        assert_eq!(list_marker_width("2026 was"), None);
        assert_eq!(list_marker_width("-dash"), None);
    }

    #[test]
    fn anchors_become_links() {
        let text = r#"From the <a href="https://docs.heygen.com/x" target="_blank">Create Video</a> endpoint."#;
        assert_eq!(
            prose(text),
            "From the [Create Video](https://docs.heygen.com/x) endpoint."
        );
    }

    #[test]
    fn bare_urls_html_and_brackets_are_escaped() {
        assert_eq!(
            prose("See https://docs.heygen.com."),
            "See <https://docs.heygen.com>."
        );
        assert_eq!(prose("a <b> [c]"), "a &lt;b&gt; \\[c\\]");
        assert_eq!(prose("keep `a <b> [c]` code"), "keep `a <b> [c]` code");
        assert_eq!(
            prose("[docs](https://x.y/z) ok"),
            "[docs](https://x.y/z) ok"
        );
    }

    #[test]
    fn no_accidental_code_blocks() {
        assert_eq!(prose("a\n    indented"), "a\nindented");
        assert_eq!(prose("```\nx\n```"), "```text\nx\n```");
        assert_eq!(prose("```json\n{}\n```"), "```json\n{}\n```");
    }

    #[test]
    fn render_includes_default_and_examples() {
        let docs = Docs {
            description: Some("Speed.".into()),
            default: Some(serde_json::json!("speed")),
            examples: vec![serde_json::json!(1)],
            ..Docs::default()
        };
        assert_eq!(
            render(&docs),
            "Speed.\n\nDefault: `\"speed\"`\n\nExample:\n```json\n1\n```"
        );
    }
}
