//! The contract test as a plain `cargo test`: the full generated client
//! against the Prism mock server (what `cargo xtask contract` runs; see the
//! `heygen-contract` crate). It needs `../shared/specs` and Prism, installed
//! in `target/prism` or installable with npm; without them it says why it
//! skipped.

use heygen_codegen_tests::{full_specs_dir, shared_specs, skip_without_shared_specs};

#[test]
fn full_client_against_prism() {
    let Some(shared) = shared_specs() else {
        return skip_without_shared_specs("full_client_against_prism");
    };
    let specs = full_specs_dir(&shared);
    let options = contract::Options::new(specs.path(), shared.join(contract::FULL_SPEC));
    if let Err(why) = contract::prism::availability(&options.prism_dir) {
        eprintln!("full_client_against_prism: skipped: {why}");
        return;
    }
    let summary = contract::run(&options).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        summary.failures.is_empty() && summary.failed() == 0,
        "{} checks failed:\n{}",
        summary.failed(),
        summary.failures.join("\n")
    );
    // Every pass ran every served operation.
    let passes: Vec<&str> = summary.passes.iter().map(|p| p.pass.as_str()).collect();
    assert_eq!(passes, ["static", "errors", "dynamic"]);
    let served = summary.passes[0].passed + summary.passes[0].skipped;
    assert_eq!(served, 62, "the April spec has 62 operations");
    for pass in &summary.passes {
        assert_eq!(pass.passed + pass.skipped, served, "{pass:?}");
    }
    // The readme documents' operations are not in the file Prism serves.
    for (label, reason) in &summary.not_served {
        assert!(reason.starts_with("not served: "), "{label}: {reason}");
        assert!(label.starts_with("legacy()."), "{label}: {reason}");
    }
}
