//! Tagged unions on the wire, from a fixture (no `../shared` needed): the
//! crate generated from tests/fixtures/union is written where it builds on its
//! own, and tests/fixture_client/union.rs runs inside it, against a local
//! server, checking that each discriminator goes out once.

use std::process::Command;

use heygen_codegen_tests::workspace_root;

#[test]
fn the_union_fixture_writes_each_tag_once_on_the_wire() {
    let specs = workspace_root().join("tests/fixtures/union");
    let generated =
        generator::generate(&generator::Options::for_workspace(specs)).expect("generate");
    let out = tempfile::tempdir().unwrap();
    let crate_dir = out.path().join("heygen");
    // The crate's own dev-dependencies have tokio; the checks need a server.
    let lockfile = workspace_root().join("Cargo.lock");
    generator::write::write_standalone(
        &crate_dir,
        &generated.files,
        Some(&lockfile),
        &[r#"wiremock = "0.6""#],
    )
    .unwrap();
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    std::fs::copy(
        workspace_root().join("tests/fixture_client/union.rs"),
        crate_dir.join("tests/union.rs"),
    )
    .unwrap();

    // Shares target/e2e with the other standalone builds (tests/src/lib.rs).
    let output = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--test", "union"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", workspace_root().join("target/e2e"))
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the fixture crate's tests failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("2 passed"),
        "both checks ran in the fixture crate:\n{stdout}"
    );
    assert!(!stderr.contains("warning:"), "{stderr}");
}
