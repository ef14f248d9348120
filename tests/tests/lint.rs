//! The lint stage on the real documents: after the fixes of specs/quirks.yaml every
//! example and default matches its schema; without them the readme docs show exactly the
//! mismatches the research documents (heygen-spec-quirks.md, section 4).

use std::collections::BTreeSet;
use std::path::Path;

use heygen_codegen_tests::{full_spec, specs_dir};

fn generate(specs: &Path) -> generator::Generated {
    generator::generate(&generator::Options::for_workspace(specs)).expect("generate")
}

fn print_findings(report: &generator::Report) -> String {
    report
        .lint
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn full_spec_matches_after_the_fixes() {
    let generated = generate(&specs_dir());
    let report = &generated.report;
    println!(
        "full spec + seeds: {} examples, {} defaults checked, {} findings",
        report.examples_checked,
        report.defaults_checked,
        report.lint.len()
    );
    assert!(report.lint.is_empty(), "{}", print_findings(report));
    assert!(report
        .lines()
        .iter()
        .any(|l| l.starts_with("  lint: all ") && l.ends_with("match their schemas")));
    // the April spec alone: the research counts 595 examples and defaults in v3
    let mut april = generator::load::load_file(&full_spec(), "external-api".into()).expect("loads");
    generator::normalise::normalise(&mut april).expect("normalises");
    let lint = generator::lint::lint_document(&april);
    println!(
        "external-api alone: {} examples, {} defaults, {} findings",
        lint.examples,
        lint.defaults,
        lint.findings.len()
    );
    assert!(lint.findings.is_empty());
    assert_eq!(
        lint.examples + lint.defaults,
        595,
        "the research validated 595 examples and defaults of v3"
    );
}

/// specs/ without quirks.yaml, in a temporary folder.
fn seeds_without_quirks() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(specs_dir()).expect("specs/") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        if name != "quirks.yaml" {
            std::fs::copy(&path, dir.path().join(name)).expect("copy");
        }
    }
    dir
}

const VDEL_200: &str =
    "/paths/~1v1~1video.delete/delete/responses/200/content/application~1json/examples/Result/value";
const PDEL_200: &str = "/paths/~1v2~1photo_avatar~1{avatar_id}/delete/responses/200/content/application~1json/examples/Result/value";

#[test]
fn without_quirks_the_readme_docs_show_the_documented_mismatches() {
    let specs = seeds_without_quirks();
    let documents = generator::load::load_dir(specs.path()).expect("loads");
    let mut normalised = documents.clone();
    for document in &mut normalised {
        generator::normalise::normalise(document).expect("normalises");
    }
    let lint = generator::lint::lint(&normalised);
    for finding in &lint.findings {
        println!("{finding}");
    }
    let found: BTreeSet<(&str, &str, &str, &str)> = lint
        .findings
        .iter()
        .map(|f| {
            (
                f.document.as_str(),
                f.pointer.as_str(),
                f.at.as_str(),
                f.message.as_str(),
            )
        })
        .collect();
    let vdel = "readme-v1-video-delete";
    let pdel = "readme-v2-photo-avatar-delete";
    let expected: BTreeSet<(&str, &str, &str, &str)> = [
        (
            vdel,
            VDEL_200,
            "/data/Deleted",
            "expected string, found array [\"vb606c57ee8042f4b499a6ab42183c2a-hi\"]",
        ),
        (
            vdel,
            VDEL_200,
            "/data/Failed",
            "expected string, found array []",
        ),
        (vdel, VDEL_200, "/msg", "expected string, found null"),
        (
            pdel,
            PDEL_200,
            "/code",
            "expected string, found integer 100",
        ),
        (pdel, PDEL_200, "/data", "expected string, found null"),
        (pdel, PDEL_200, "/msg", "expected string, found null"),
        (pdel, PDEL_200, "/message", "expected string, found null"),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, expected);
    assert_eq!(lint.findings.len(), 7);
    assert_eq!((lint.examples_failed(), lint.defaults_failed()), (2, 0));
    // each finding names the file, the line of the example and the schema node
    let deleted = lint
        .findings
        .iter()
        .find(|f| f.at == "/data/Deleted")
        .expect("Deleted");
    assert!(deleted.file.ends_with("v1-video-delete.readme.md"));
    let text = std::fs::read_to_string(&deleted.file).expect("page");
    let line = deleted.line.expect("a line");
    assert!(
        text.lines()
            .nth(line - 1)
            .expect("line")
            .contains("\"value\""),
        "line {line}"
    );
    assert!(deleted
        .schema
        .ends_with("/schema/properties/data/properties/Deleted"));
    let shown = deleted.to_string();
    assert!(
        shown.starts_with(&format!(
            "{}:{line} at #{VDEL_200}: example /data/Deleted: expected string",
            deleted.file.display()
        )),
        "{shown}"
    );

    // the same through the pipeline: the report lists them, regen still works
    let generated = generate(specs.path());
    assert_eq!(generated.report.lint, lint.findings);
    let lines = generated.report.lines();
    assert!(
        lines.contains(&"  lint: 2 of 313 examples do not match their schemas:".to_string()),
        "{lines:#?}"
    );
}

#[test]
fn the_fixes_remove_exactly_these_mismatches() {
    // with quirks.yaml the same documents are clean, so every mismatch above is a
    // documented quirk that quirks.yaml fixes
    let mut documents = generator::load::load_dir(&specs_dir()).expect("loads");
    let quirks = generator::quirks::read(&specs_dir())
        .expect("reads")
        .expect("specs/quirks.yaml");
    generator::quirks::apply(&quirks, &mut documents).expect("applies");
    for document in &mut documents {
        generator::normalise::normalise(document).expect("normalises");
    }
    let lint = generator::lint::lint(&documents);
    assert!(lint.findings.is_empty(), "{:#?}", lint.findings);
}
