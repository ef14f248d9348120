//! The line of a JSON pointer in JSON or YAML text, by scanning the text itself.

use super::pointer_tokens;
use crate::error::Result;

/// Best effort: the 1-based line in `text` (JSON or YAML) of the node at `pointer`.
pub fn line_in_text(text: &str, pointer: &str) -> Option<usize> {
    let tokens = pointer_tokens(pointer)?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match json_line(text, &tokens) {
            JsonSearch::Found(line) => return Some(line),
            JsonSearch::Absent => return None,
            JsonSearch::Invalid => {} // not JSON after all: try YAML
        }
    }
    yaml_line(text, &tokens)
}

enum JsonSearch {
    Found(usize),
    Absent,
    Invalid,
}

fn json_line(text: &str, target: &[String]) -> JsonSearch {
    let mut scan = JsonScan {
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        path: Vec::new(),
        target,
    };
    scan.ws();
    if target.is_empty() {
        return JsonSearch::Found(scan.line);
    }
    match scan.value(0) {
        Ok(()) => JsonSearch::Absent,
        Err(Stop::Found(line)) => JsonSearch::Found(line),
        Err(Stop::Invalid) => JsonSearch::Invalid,
    }
}

enum Stop {
    Found(usize),
    Invalid,
}

/// A minimal JSON scanner that tracks the current pointer and line.
struct JsonScan<'a> {
    bytes: &'a [u8],
    i: usize,
    line: usize,
    path: Vec<String>,
    target: &'a [String],
}

impl JsonScan<'_> {
    const MAX_DEPTH: usize = super::MAX_DEPTH + 1;

    fn peek(&self) -> Result<u8, Stop> {
        self.bytes.get(self.i).copied().ok_or(Stop::Invalid)
    }

    fn bump(&mut self) -> Result<u8, Stop> {
        let b = self.peek()?;
        self.i += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Ok(b)
    }

    fn ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                break;
            }
            self.i += 1;
            if b == b'\n' {
                self.line += 1;
            }
        }
    }

    fn expect(&mut self, want: u8) -> Result<(), Stop> {
        self.ws();
        if self.bump()? == want {
            Ok(())
        } else {
            Err(Stop::Invalid)
        }
    }

    fn is_target(&self) -> bool {
        self.path.len() == self.target.len() && self.path.iter().eq(self.target.iter())
    }

    fn value(&mut self, depth: usize) -> Result<(), Stop> {
        if depth > Self::MAX_DEPTH {
            return Err(Stop::Invalid);
        }
        self.ws();
        match self.peek()? {
            b'{' => {
                self.bump()?;
                self.ws();
                if self.peek()? == b'}' {
                    self.bump()?;
                    return Ok(());
                }
                loop {
                    self.ws();
                    let line = self.line;
                    let key = self.string()?;
                    self.path.push(key);
                    if self.is_target() {
                        return Err(Stop::Found(line));
                    }
                    self.expect(b':')?;
                    self.value(depth + 1)?;
                    self.path.pop();
                    self.ws();
                    match self.bump()? {
                        b',' => continue,
                        b'}' => return Ok(()),
                        _ => return Err(Stop::Invalid),
                    }
                }
            }
            b'[' => {
                self.bump()?;
                self.ws();
                if self.peek()? == b']' {
                    self.bump()?;
                    return Ok(());
                }
                let mut index = 0usize;
                loop {
                    self.ws();
                    self.path.push(index.to_string());
                    if self.is_target() {
                        return Err(Stop::Found(self.line));
                    }
                    self.value(depth + 1)?;
                    self.path.pop();
                    index += 1;
                    self.ws();
                    match self.bump()? {
                        b',' => continue,
                        b']' => return Ok(()),
                        _ => return Err(Stop::Invalid),
                    }
                }
            }
            b'"' => self.string().map(|_| ()),
            _ => {
                let start = self.i;
                while let Some(&b) = self.bytes.get(self.i) {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.i += 1;
                }
                if self.i == start {
                    Err(Stop::Invalid)
                } else {
                    Ok(())
                }
            }
        }
    }

    /// A JSON string, unescaped.
    fn string(&mut self) -> Result<String, Stop> {
        if self.bump()? != b'"' {
            return Err(Stop::Invalid);
        }
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.bump()? {
                b'"' => break,
                b'\\' => match self.bump()? {
                    b'"' => out.push(b'"'),
                    b'\\' => out.push(b'\\'),
                    b'/' => out.push(b'/'),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'u' => {
                        let mut code = self.hex4()?;
                        if (0xD800..0xDC00).contains(&code) {
                            // a surrogate pair
                            if self.bump()? != b'\\' || self.bump()? != b'u' {
                                return Err(Stop::Invalid);
                            }
                            let low = self.hex4()?;
                            code = 0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00));
                        }
                        let c = char::from_u32(code).ok_or(Stop::Invalid)?;
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    _ => return Err(Stop::Invalid),
                },
                b => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| Stop::Invalid)
    }

    fn hex4(&mut self) -> Result<u32, Stop> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = (self.bump()? as char).to_digit(16).ok_or(Stop::Invalid)?;
            code = code * 16 + digit;
        }
        Ok(code)
    }
}

/// One significant line of a YAML text.
#[derive(Clone, Copy)]
struct YLine<'a> {
    /// 1-based line number.
    no: usize,
    indent: usize,
    /// The line without its indentation.
    content: &'a str,
}

/// Best effort, indentation based: the line of the node at `target` in block-style YAML.
fn yaml_line(text: &str, target: &[String]) -> Option<usize> {
    let lines: Vec<YLine> = text
        .split('\n')
        .enumerate()
        .filter_map(|(i, raw)| {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let content = raw.trim_start_matches(' ');
            let indent = raw.len() - content.len();
            let significant = !content.trim().is_empty()
                && !content.starts_with('#')
                && !(indent == 0 && (content.starts_with("---") || content.starts_with("...")));
            significant.then_some(YLine {
                no: i + 1,
                indent,
                content,
            })
        })
        .collect();
    let first = lines.first()?;
    if target.is_empty() {
        return Some(first.no);
    }
    // The current node: `inline` is a first child sitting on the node's own line (after
    // `- `), `flow` a flow collection (`{type: string}`) on the node's own line, `rest` the
    // following lines that belong to the node.
    let mut inline: Option<YLine> = None;
    let mut flow: Option<YLine> = None;
    let mut rest: &[YLine] = &lines;
    let mut node_line = first.no;
    for token in target {
        let in_flow = |flow: Option<YLine>| {
            flow.filter(|l| l.content.contains(token.as_str()))
                .map(|l| l.no)
        };
        // the child level: the inline child's indent, else the first following line's
        let child_indent = match (inline, rest.first().copied()) {
            (Some(l), _) | (None, Some(l)) => l.indent,
            (None, None) => return in_flow(flow),
        };
        let children: Vec<(usize, YLine)> = inline
            .iter()
            .map(|l| (usize::MAX, *l))
            .chain(
                rest.iter()
                    .enumerate()
                    .filter(|(_, l)| l.indent == child_indent)
                    .map(|(i, l)| (i, *l)),
            )
            .collect();
        let is_seq = children.first().is_some_and(|(_, l)| is_dash(l.content));
        let found = if is_seq {
            let index: usize = token.parse().ok()?;
            children
                .iter()
                .filter(|(_, l)| is_dash(l.content))
                .nth(index)
                .copied()
        } else {
            children
                .iter()
                .find(|(_, l)| key_of(l.content).as_deref() == Some(token))
                .copied()
        };
        let Some((pos, line)) = found else {
            return in_flow(flow);
        };
        node_line = line.no;
        // the lines after the found one that belong to it
        let after: &[YLine] = if pos == usize::MAX {
            rest
        } else {
            &rest[pos + 1..]
        };
        let end = after
            .iter()
            .position(|l| {
                l.indent < line.indent
                    || (l.indent == line.indent && (is_seq || !is_dash(l.content)))
            })
            .unwrap_or(after.len());
        rest = &after[..end];
        let value = if is_seq {
            line.content[1..].trim_start_matches(' ')
        } else {
            line.content
                .split_once(':')
                .map(|(_, v)| v.trim())
                .unwrap_or("")
        };
        let value_line = YLine {
            no: line.no,
            indent: line.indent + (line.content.len() - value.len()),
            content: value,
        };
        if value.starts_with('|') || value.starts_with('>') {
            rest = &[]; // a block scalar: its lines are text, not children
        }
        let is_flow = value.starts_with('{') || value.starts_with('[');
        flow = is_flow.then_some(value_line);
        inline = (is_seq && !is_flow && !value.is_empty() && !value.starts_with('#'))
            .then_some(value_line);
    }
    Some(node_line)
}

fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// The key of a `key: value` line (plain, 'single' or "double" quoted).
fn key_of(content: &str) -> Option<String> {
    let (key, rest) = if let Some(body) = content.strip_prefix('"') {
        let end = body.find('"')?;
        (body[..end].replace("\\\"", "\""), &body[end + 1..])
    } else if let Some(body) = content.strip_prefix('\'') {
        let end = body.find('\'')?;
        (body[..end].to_string(), &body[end + 1..])
    } else {
        let colon = content
            .find(": ")
            .or_else(|| content.strip_suffix(':').map(|s| s.len()))?;
        (content[..colon].trim_end().to_string(), &content[colon..])
    };
    let rest = rest.trim_start();
    (rest == ":" || rest.starts_with(": ") || rest.starts_with(":\t")).then_some(key)
}
