//! The committed crate matches `specs/`, and generation is deterministic.

use heygen_codegen_tests::workspace_root;

#[test]
fn generated_crate_is_up_to_date() {
    let root = workspace_root();
    let generated = generator::generate(&generator::Options::for_workspace(root.join("specs")))
        .expect("specs/ generate");
    let differences =
        generator::write::check(&root.join("generated"), &generated.files).expect("compare");
    let listing: Vec<String> = differences.iter().map(ToString::to_string).collect();
    assert!(
        differences.is_empty(),
        "generated/ is out of date with specs/; run `cargo xtask regen`:\n{}",
        listing.join("\n")
    );
}

#[test]
fn two_runs_give_byte_identical_files() {
    let root = workspace_root();
    let specs = root.join("specs");
    let first = generator::generate(&generator::Options::for_workspace(&specs)).expect("first run");
    let second =
        generator::generate(&generator::Options::for_workspace(&specs)).expect("second run");
    assert_eq!(
        first.files.keys().collect::<Vec<_>>(),
        second.files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &first.files {
        assert!(
            second.files[path] == *text,
            "{path} differs between two runs"
        );
    }
}
