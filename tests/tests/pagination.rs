//! Pagination detection (tests/fixtures/pagination): items and cursor inside
//! `data`, with or without `has_more`, get `stream()`; a cursor parameter
//! without a recognisable next token is named in the regen report.
//! tests/fixture_crates.rs walks pages of a local server with the crate
//! (tests/fixture_client/pagination.rs).

use generator::ir::PageShape;
use heygen_codegen_tests::workspace_root;

fn generate() -> generator::Generated {
    let specs = workspace_root().join("tests/fixtures/pagination");
    generator::generate(&generator::Options::for_workspace(specs)).expect("generate")
}

#[test]
fn detects_items_in_data_and_reports_what_it_cannot() {
    let generated = generate();
    let op = |id: &str| {
        generated
            .api
            .operations
            .iter()
            .find(|op| op.operation_id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let list = op("listBatches")
        .pagination
        .as_ref()
        .expect("listBatches pages");
    assert_eq!(list.token_param, "token");
    assert_eq!(
        list.shape,
        PageShape::Items {
            items: "items".into(),
            next_token: "next_token".into(),
            has_more: Some("has_more".into()),
        }
    );
    assert_eq!(generated.api.types.display(&list.item), "Batch");
    let get = op("getBatch").pagination.as_ref().expect("getBatch pages");
    assert_eq!(get.token_param, "next_token");
    assert!(
        matches!(&get.shape, PageShape::Items { has_more: None, .. }),
        "{:?}",
        get.shape
    );
    assert!(op("listLogs").pagination.is_none());
    let notes = &generated.report.notes;
    assert!(
        notes.iter().any(|n| n.starts_with("openapi#/paths/~1v3~1logs/get: takes a `token` query parameter, but the response has no next-page token")),
        "{notes:?}"
    );
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.contains("next-page token"))
            .count(),
        1,
        "{notes:?}"
    );
}
