//! The merge rules, one small fixture folder each (tests/fixtures/merge/<case>/), and
//! the rule above them all: the order of the documents never changes the output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use generator::load::Document;
use heygen_codegen_tests::{specs_dir, workspace_root};

fn fixture(case: &str) -> PathBuf {
    workspace_root().join("tests/fixtures/merge").join(case)
}

fn generate(specs: &Path) -> generator::Result<generator::Generated> {
    generator::generate(&generator::Options::for_workspace(specs))
}

fn generated(case: &str) -> generator::Generated {
    generate(&fixture(case)).unwrap_or_else(|e| panic!("{case}: {e}"))
}

fn error(case: &str) -> String {
    match generate(&fixture(case)) {
        Ok(_) => panic!("{case}: expected an error"),
        Err(e) => e.to_string(),
    }
}

/// The `pub struct`/`pub enum`/`pub type` names declared in a generated file.
fn declared(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|line| {
            let rest = ["pub struct ", "pub enum ", "pub type "]
                .iter()
                .find_map(|kind| line.strip_prefix(kind))?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            Some(name)
        })
        .collect()
}

/// The source of the request builder of the operation whose method is `name`
/// (its setters and `send`, which names the returned type), up to the next impl.
fn method<'a>(generated: &'a generator::Generated, name: &str) -> &'a str {
    let api = &generated.api;
    let op = api
        .operations
        .iter()
        .find(|op| op.name == name)
        .unwrap_or_else(|| panic!("no method {name}"));
    let needle = format!(
        "impl {} {{",
        generator::emit::builders::builder_name(api, op)
    );
    for text in generated.files.values() {
        if let Some(start) = text.find(&needle) {
            let rest = &text[start..];
            let end = rest[needle.len()..]
                .find("\nimpl ")
                .map_or(rest.len(), |e| e + needle.len());
            return &rest[..end];
        }
    }
    panic!("no builder for {name}")
}

#[test]
fn same_operation_with_dates_takes_the_later_document() {
    let generated = generated("dated_operation");
    let notes = &generated.report.notes;
    let note = notes
        .iter()
        .find(|n| n.starts_with("GET /v3/widgets/{widget_id}"))
        .unwrap_or_else(|| panic!("no note about the operation: {notes:#?}"));
    assert_eq!(
        note,
        "GET /v3/widgets/{widget_id}: defined in `widgets-april` (2026-04-08) and \
         `widgets-may` (2026-05-15); using the later `widgets-may`"
    );
    assert_eq!(generated.api.operations.len(), 1);
    let get = method(&generated, "get_widget");
    assert!(get.contains("crate::types::MayWidget"), "{get}");
    let widgets = &generated.files["src/widgets.rs"];
    assert!(
        widgets.contains("/// Get a widget (May wording)"),
        "{widgets}"
    );
    assert!(!widgets.contains("April wording"), "{widgets}");
    // the report shows the note
    assert!(generated
        .report
        .lines()
        .iter()
        .any(|l| l == &format!("  note: {note}")));
}

#[test]
fn same_operation_without_dates_is_an_error_naming_both_files() {
    let message = error("undated_operation");
    assert!(
        message.contains("GET /v3/widgets/{widget_id} is defined in both"),
        "{message}"
    );
    let folder = fixture("undated_operation");
    for file in ["widgets-april.yaml", "widgets-may.yaml"] {
        assert!(
            message.contains(&folder.join(file).display().to_string()),
            "{file}: {message}"
        );
    }
    assert!(message.contains("manifest.yaml"), "{message}");
}

#[test]
fn same_named_schema_with_the_same_shape_becomes_one_type() {
    let generated = generated("same_schema");
    let types = declared(&generated.files["src/types.rs"]);
    assert_eq!(
        types
            .iter()
            .filter(|t| t.starts_with("Widget"))
            .collect::<Vec<_>>(),
        ["Widget"],
        "{types:?}"
    );
    assert!(
        !generated
            .report
            .notes
            .iter()
            .any(|n| n.contains("schema `Widget`")),
        "{:#?}",
        generated.report.notes
    );
    // both operations use the one type
    assert!(method(&generated, "list_widgets").contains("Vec<crate::types::Widget>"));
    assert!(method(&generated, "list_gadgets").contains("crate::types::Widget>"));
}

#[test]
fn same_named_schema_with_different_shapes_is_kept_apart_and_reported() {
    let generated = generated("different_schema");
    let source = &generated.files["src/types.rs"];
    let types = declared(source);
    assert!(types.contains(&"Widget".to_string()), "{types:?}");
    assert!(types.contains(&"WidgetShopB".to_string()), "{types:?}");
    assert!(
        generated.report.notes.contains(
            &"schema `Widget` in `shop-b` differs from the one in `shop-a`: kept apart as `WidgetShopB`"
                .to_string()
        ),
        "{:#?}",
        generated.report.notes
    );
    // each document's operations use its own Widget
    assert!(method(&generated, "list_widgets").contains("Vec<crate::types::Widget>"));
    assert!(method(&generated, "list_gadgets").contains("crate::types::WidgetShopB>"));
    // the shapes are the documents' own
    let shop_b = &source[source.find("pub struct WidgetShopB ").expect("declared")..];
    let shop_b = &shop_b[..shop_b.find("\n}\n").expect("end")];
    assert!(shop_b.contains("pub label: String"), "{shop_b}");
    assert!(shop_b.contains("pub size: Option<String>"), "{shop_b}");
}

#[test]
fn security_schemes_with_other_names_are_one_credential() {
    let generated = generated("security");
    assert!(
        generated.report.notes.contains(
            &"security schemes `ApiKeyAuth`, `sec0` are one credential (api key in header `x-api-key`)"
                .to_string()
        ),
        "{:#?}",
        generated.report.notes
    );
    // straight from the merge stage: two credentials, the API key named twice
    let mut sources = Vec::new();
    for mut document in generator::load::load_dir(&fixture("security")).expect("loads") {
        generator::normalise::normalise(&mut document).expect("normalises");
        sources.push(generator::merge::SourceDoc {
            id: document.id.clone(),
            path: document.path.clone(),
            date: document.date.clone(),
            api: serde_json::from_value(document.value).expect("parses"),
            text: document.text,
            first_line: document.first_line,
        });
    }
    let merged = generator::merge::merge(sources).expect("merges");
    let credentials: Vec<(&str, &[String])> = merged
        .credentials
        .iter()
        .map(|c| (c.description.as_str(), c.names.as_slice()))
        .collect();
    assert_eq!(
        credentials,
        [
            (
                "api key in header `x-api-key`",
                &[
                    "legacy-page: sec0".to_string(),
                    "v3: ApiKeyAuth".to_string()
                ][..]
            ),
            ("http bearer", &["v3: BearerAuth".to_string()][..]),
        ]
    );
}

#[test]
fn stale_quirk_pointer_fails_regen_naming_the_fix() {
    let message = error("stale_quirk");
    let quirks = fixture("stale_quirk").join("quirks.yaml");
    assert!(
        message.contains(&format!("{}:4 at #/fixes/0/pointer", quirks.display())),
        "{message}"
    );
    assert!(
        message.contains("fix `widgets-count-is-integer` is stale"),
        "{message}"
    );
    assert!(
        message.contains(
            "/paths/~1v3~1widgets~1{widget_id}/get/responses/200/content/application~1json/schema/properties/count"
        ),
        "{message}"
    );
    assert!(message.contains("update the fix or remove it"), "{message}");
}

// ---------------------------------------------------------------------------------------
// Document order

/// A small deterministic generator (64-bit LCG), so the permutations are the same on
/// every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

fn files_of(documents: Vec<Document>, specs: &Path) -> (BTreeMap<String, String>, Vec<String>) {
    let generated = generator::pipeline::generate_from_documents(
        documents,
        &generator::Options::for_workspace(specs),
    )
    .expect("generates");
    (generated.files, generated.report.lines())
}

/// `permutations` shuffles of `documents` give byte-identical files and the same report.
fn assert_order_free(documents: &[Document], specs: &Path, permutations: usize, seed: u64) {
    let (expected, report) = files_of(documents.to_vec(), specs);
    let mut rng = Lcg(seed);
    let mut seen = Vec::new();
    for _ in 0..permutations {
        let mut shuffled = documents.to_vec();
        rng.shuffle(&mut shuffled);
        let order: Vec<String> = shuffled.iter().map(|d| d.id.clone()).collect();
        seen.push(order.clone());
        let (files, lines) = files_of(shuffled, specs);
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "order {order:?}"
        );
        for (path, text) in &files {
            assert!(
                expected[path] == *text,
                "{path} differs for the order {order:?}"
            );
        }
        assert_eq!(lines, report, "report for the order {order:?}");
    }
    seen.sort();
    seen.dedup();
    assert!(seen.len() > 1, "the shuffles tried only one order");
}

#[test]
fn document_order_never_changes_the_committed_crate() {
    let specs = specs_dir();
    let documents = generator::load::load_dir(&specs).expect("loads");
    assert_eq!(documents.len(), 4);
    assert_order_free(&documents, &specs, 5, 2026);
}

#[test]
fn document_order_never_changes_a_merge_of_every_rule() {
    // six documents: a dated operation in two, a schema name with two shapes, a security
    // scheme under two names
    let mut documents = Vec::new();
    for case in ["dated_operation", "different_schema", "security"] {
        documents.extend(generator::load::load_dir(&fixture(case)).expect("loads"));
    }
    assert_eq!(documents.len(), 6);
    // data files (quirks, client) come from a folder that has none
    let specs = fixture("different_schema");
    let (files, report) = files_of(documents.clone(), &specs);
    let types = declared(&files["src/types.rs"]);
    for name in ["MayWidget", "Widget", "WidgetShopB"] {
        assert!(types.contains(&name.to_string()), "{name}: {types:?}");
    }
    assert!(report
        .iter()
        .any(|l| l.contains("using the later `widgets-may`")));
    assert!(report
        .iter()
        .any(|l| l.contains("kept apart as `WidgetShopB`")));
    assert!(report.iter().any(|l| l.contains("are one credential")));
    assert_order_free(&documents, &specs, 8, 7);
}

#[test]
fn two_documents_with_one_id_are_an_error() {
    let specs = fixture("same_schema");
    let mut documents = generator::load::load_dir(&specs).expect("loads");
    documents[1].id = documents[0].id.clone();
    let message = match generator::pipeline::generate_from_documents(
        documents,
        &generator::Options::for_workspace(&specs),
    ) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    };
    assert!(
        message.contains("both have the document id `shop-a`"),
        "{message}"
    );
    assert!(message.contains("shop-b.yaml"), "{message}");
}
