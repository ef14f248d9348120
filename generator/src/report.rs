//! The report regen prints: what was read, which fixes were applied, what the merge did
//! and which examples do not match their schemas. Short when nothing is wrong, and the
//! same for the same inputs (no timings, no input order).

use crate::lint::{values_failed as failed, LintFinding, ValueKind};
use crate::quirks::{FixOutcome, ALL_DOCUMENTS};
use crate::Report;

impl Report {
    /// The report as lines of text (without trailing newlines).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "read {} documents: {} operations, {} types",
            self.documents.len(),
            self.operations,
            self.types
        )];
        lines.extend(self.documents.iter().map(|d| format!("  document {d}")));
        lines.extend(fix_lines(&self.fixes));
        lines.extend(self.notes.iter().map(|n| format!("  note: {n}")));
        lines.extend(lint_lines(
            &self.lint,
            self.examples_checked,
            self.defaults_checked,
        ));
        lines
    }

    /// The examples and defaults that did not match, counted once each.
    pub fn lint_counts(&self) -> (usize, usize) {
        (
            failed(&self.lint, ValueKind::Example),
            failed(&self.lint, ValueKind::Default),
        )
    }
}

/// Applied fixes one per line; the fixes for documents that are not inputs in one line.
pub fn fix_lines(fixes: &[FixOutcome]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut skipped = 0;
    let mut documents: Vec<&str> = Vec::new();
    for fix in fixes {
        match fix {
            FixOutcome::Applied { .. } => lines.push(format!("  {fix}")),
            FixOutcome::NotApplicable { document, .. } => {
                skipped += 1;
                if !documents.contains(&document.as_str()) {
                    documents.push(document);
                }
            }
        }
    }
    if skipped > 0 {
        let listed: Vec<String> = documents
            .iter()
            .map(|d| {
                if *d == ALL_DOCUMENTS {
                    "`*` (no input has the pointer)".to_string()
                } else {
                    format!("`{d}`")
                }
            })
            .collect();
        lines.push(format!(
            "  skipped {skipped} {} for documents that are not inputs: {}",
            plural(skipped, "fix", "fixes"),
            listed.join(", ")
        ));
    }
    lines
}

/// One summary line when every value matches; else a header and one line per mismatch,
/// examples and defaults apart.
pub fn lint_lines(findings: &[LintFinding], examples: usize, defaults: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let bad_examples = failed(findings, ValueKind::Example);
    let bad_defaults = failed(findings, ValueKind::Default);
    if bad_examples == 0 && bad_defaults == 0 {
        lines.push(format!(
            "  lint: all {examples} {} and {defaults} {} match their schemas",
            plural(examples, "example", "examples"),
            plural(defaults, "default", "defaults"),
        ));
        return lines;
    }
    for (kind, bad, total, one, many) in [
        (
            ValueKind::Example,
            bad_examples,
            examples,
            "example",
            "examples",
        ),
        (
            ValueKind::Default,
            bad_defaults,
            defaults,
            "default",
            "defaults",
        ),
    ] {
        if bad == 0 {
            lines.push(format!(
                "  lint: all {total} {} match their schemas",
                plural(total, one, many)
            ));
            continue;
        }
        lines.push(format!(
            "  lint: {bad} of {total} {} do not match their schemas:",
            plural(total, one, many)
        ));
        lines.extend(
            findings
                .iter()
                .filter(|f| f.kind == kind)
                .map(|f| format!("    {f}")),
        );
    }
    lines
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(fix: &str, document: &str) -> FixOutcome {
        FixOutcome::Applied {
            fix: fix.into(),
            documents: vec![document.into()],
        }
    }

    fn skipped(fix: &str, document: &str) -> FixOutcome {
        FixOutcome::NotApplicable {
            fix: fix.into(),
            document: document.into(),
        }
    }

    fn finding(kind: ValueKind, pointer: &str, at: &str) -> LintFinding {
        LintFinding {
            file: "specs/d.json".into(),
            pointer: pointer.into(),
            kind,
            at: at.into(),
            document: "d".into(),
            line: Some(3),
            schema: "/s".into(),
            message: "expected string, found null".into(),
        }
    }

    #[test]
    fn skipped_fixes_collapse_into_one_line() {
        let fixes = [
            applied("a", "d"),
            skipped("x1", "external-api"),
            skipped("star", "*"),
            applied("b", "d"),
            skipped("x2", "external-api"),
        ];
        assert_eq!(
            fix_lines(&fixes),
            [
                "  applied fix `a` to d",
                "  applied fix `b` to d",
                "  skipped 3 fixes for documents that are not inputs: `external-api`, `*` (no input has the pointer)",
            ]
        );
        assert_eq!(
            fix_lines(&[skipped("x", "e")]),
            ["  skipped 1 fix for documents that are not inputs: `e`"]
        );
        assert!(fix_lines(&[]).is_empty());
    }

    #[test]
    fn lint_is_one_line_when_clean() {
        assert_eq!(
            lint_lines(&[], 12, 1),
            ["  lint: all 12 examples and 1 default match their schemas"]
        );
    }

    #[test]
    fn lint_lists_examples_and_defaults_apart() {
        let findings = [
            finding(ValueKind::Example, "/e", "/a"),
            finding(ValueKind::Example, "/e", "/b"),
            finding(ValueKind::Default, "/x/default", ""),
        ];
        assert_eq!(
            lint_lines(&findings, 5, 2),
            [
                "  lint: 1 of 5 examples do not match their schemas:",
                "    specs/d.json:3 at #/e: example /a: expected string, found null (schema #/s)",
                "    specs/d.json:3 at #/e: example /b: expected string, found null (schema #/s)",
                "  lint: 1 of 2 defaults do not match their schemas:",
                "    specs/d.json:3 at #/x/default: default: expected string, found null (schema #/s)",
            ]
        );
        let report = Report {
            lint: findings[..2].to_vec(),
            examples_checked: 5,
            defaults_checked: 2,
            ..Report::default()
        };
        assert_eq!(report.lint_counts(), (1, 0));
        assert_eq!(
            report.lines(),
            [
                "read 0 documents: 0 operations, 0 types",
                "  lint: 1 of 5 examples do not match their schemas:",
                "    specs/d.json:3 at #/e: example /a: expected string, found null (schema #/s)",
                "    specs/d.json:3 at #/e: example /b: expected string, found null (schema #/s)",
                "  lint: all 2 defaults match their schemas",
            ]
        );
    }
}
