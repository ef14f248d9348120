//! The contract test as a plain `cargo test`: the full generated client
//! against the Prism mock server (what `cargo xtask contract` runs; see the
//! `heygen-contract` crate). It needs Prism, installed in `target/prism` or
//! installable with npm (node and npm on the PATH). Without them it fails under
//! `CI` and otherwise says loudly that it did not run.

use std::io::Write;

use heygen_codegen_tests::{full_spec, specs_dir};

#[test]
fn full_client_against_prism() {
    let options = contract::Options::new(specs_dir(), full_spec());
    if let Err(why) = contract::prism::availability(&options.prism_dir) {
        assert!(
            std::env::var_os("CI").is_none(),
            "the contract test cannot run under CI: {why}"
        );
        // Straight to the process's stderr: the harness captures `eprintln!`
        // and shows it only for a failure, and this must be seen on success.
        let _ = writeln!(
            std::io::stderr(),
            "full_client_against_prism: NOT RUN (the test passes without checking anything): {why}"
        );
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
