//! Stage (after normalise, before merge): every example and every default of every
//! document, validated against its schema.
//!
//! The examples are: a schema's `example` and `x-examples` items (the normaliser moves
//! 3.1 `examples` arrays there), a media type's, parameter's or header's `example` and
//! `examples.*.value` (a `$ref` to `#/components/examples/..` is followed), and a
//! schema's `default` (reported as [`ValueKind::Default`]). A mismatch is a
//! [`LintFinding`] naming the file, the pointer of the value (and its line where it can be
//! found), the place inside the value and the schema node that rejects it.
//!
//! The validator is a small JSON Schema subset over the normalised (OpenAPI 3.0 shaped)
//! document: `$ref` to any local pointer, `type` (also a list), `nullable`, `enum`,
//! `const`/`x-const`, `required`, `properties`, `additionalProperties` (false or a
//! schema), `items`, `allOf`/`anyOf`/`oneOf`/`not`, `minimum`/`maximum` (with boolean or
//! numeric `exclusiveMinimum`/`exclusiveMaximum`), `minLength`/`maxLength` and
//! `minItems`/`maxItems`. `format`, `pattern` and everything else are ignored.

mod examples;
mod validate;

use std::fmt;
use std::path::PathBuf;

use crate::load::Document;
use examples::collect;

pub use examples::resolve_pointer;
pub use validate::{validate, Mismatch};

/// What kind of value was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValueKind {
    /// `example`, `x-examples` items, `examples.*.value`.
    Example,
    /// A schema's `default`.
    Default,
}

impl ValueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Example => "example",
            ValueKind::Default => "default",
        }
    }
}

/// One example or default that its schema rejects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LintFinding {
    /// The file of the document.
    pub file: PathBuf,
    /// The pointer of the example or default in the (normalised) document.
    pub pointer: String,
    pub kind: ValueKind,
    /// Where inside the value the mismatch is (a JSON pointer into the value; empty for
    /// the value itself).
    pub at: String,
    /// The document id.
    pub document: String,
    /// The line of the value in the file, where it can be found.
    pub line: Option<usize>,
    /// The pointer of the schema node that rejects the value.
    pub schema: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LintFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, " at #{}: {}", self.pointer, self.kind.as_str())?;
        if !self.at.is_empty() {
            write!(f, " {}", self.at)?;
        }
        write!(f, ": {} (schema #{})", self.message, self.schema)
    }
}

/// The result of linting some documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lint {
    /// How many examples were checked.
    pub examples: usize,
    /// How many defaults were checked.
    pub defaults: usize,
    /// The mismatches, sorted by file, pointer and place.
    pub findings: Vec<LintFinding>,
}

impl Lint {
    /// How many examples do not match (an example with several mismatches counts once).
    pub fn examples_failed(&self) -> usize {
        values_failed(&self.findings, ValueKind::Example)
    }

    /// How many defaults do not match.
    pub fn defaults_failed(&self) -> usize {
        values_failed(&self.findings, ValueKind::Default)
    }
}

/// How many values of `kind` the findings are about (each value counted once).
pub fn values_failed(findings: &[LintFinding], kind: ValueKind) -> usize {
    findings
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| (&f.file, &f.pointer))
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// Lint every document; the findings come out sorted (input order never matters).
pub fn lint(documents: &[Document]) -> Lint {
    let mut total = Lint::default();
    for document in documents {
        let one = lint_document(document);
        total.examples += one.examples;
        total.defaults += one.defaults;
        total.findings.extend(one.findings);
    }
    total.findings.sort();
    total
}

/// Lint one (normalised) document.
pub fn lint_document(document: &Document) -> Lint {
    let root = &document.value;
    let mut values = Vec::new();
    collect(root, &mut values);
    let mut lint = Lint::default();
    for value in values {
        match value.kind {
            ValueKind::Example => lint.examples += 1,
            ValueKind::Default => lint.defaults += 1,
        }
        let Some(schema) = resolve_pointer(root, &value.schema) else {
            continue;
        };
        let mismatches = validate(root, schema, &value.schema, value.value);
        if mismatches.is_empty() {
            continue;
        }
        let line = line_of(document, &value.pointer);
        for mismatch in mismatches {
            lint.findings.push(LintFinding {
                file: document.path.clone(),
                pointer: value.pointer.clone(),
                kind: value.kind,
                at: mismatch.at,
                document: document.id.clone(),
                line,
                schema: mismatch.schema,
                message: mismatch.message,
            });
        }
    }
    lint.findings.sort();
    lint
}

/// The line of a value: its own pointer, else the pre-normalisation spelling
/// (`x-examples` was `examples`), else the closest ancestor.
fn line_of(document: &Document, pointer: &str) -> Option<usize> {
    document
        .line_of(pointer)
        .or_else(|| document.line_of(&pointer.replace("/x-examples/", "/examples/")))
        .or_else(|| document.line_of_nearest(pointer))
}
#[cfg(test)]
mod tests;
