//! Fixture crates over the wire (no `../shared` needed): the crate generated
//! from a fixture under tests/fixtures is written where it builds on its own,
//! and a test file from tests/fixture_client runs inside it against a local
//! server. `union`: each discriminator goes out once. `path_params`: path
//! parameters of every scalar shape reach the server as one segment.
//! `pagination`: `stream()` follows pages whose items and cursor sit in `data`.
//! `serde_traits`: the written-out `Deserialize` of structs.

use std::process::Command;

use heygen_codegen_tests::workspace_root;

#[test]
fn the_union_fixture_writes_each_tag_once_on_the_wire() {
    // Reads the requests it sends back into their types: both serde traits.
    run_fixture_client("union", 2, Clippy::No, &["full-serde"]);
}

#[test]
fn path_parameters_of_every_scalar_shape_are_one_segment() {
    run_fixture_client("path_params", 4, Clippy::No, &[]);
}

#[test]
fn a_large_union_variant_is_boxed_and_clippy_stays_quiet() {
    run_fixture_client("large_variant", 1, Clippy::Too, &[]);
}

#[test]
fn written_out_struct_deserialize_reads_json_as_the_derive_does() {
    run_fixture_client("serde_traits", 4, Clippy::Too, &["full-serde"]);
}

#[test]
fn stream_walks_pages_nested_in_data() {
    run_fixture_client("pagination", 2, Clippy::Too, &[]);
}

/// Whether the fixture crate must also pass clippy with warnings denied.
#[derive(PartialEq)]
enum Clippy {
    Too,
    No,
}

/// Generates tests/fixtures/<fixture>, builds it on its own and runs
/// tests/fixture_client/<fixture>.rs in it, with `features` on; `tests` of
/// them must pass.
fn run_fixture_client(fixture: &str, tests: usize, clippy: Clippy, features: &[&str]) {
    // Every fixture crate is a package `heygen` 0.1.0 built in the shared
    // target/e2e: two at once would overwrite each other's library.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let specs = workspace_root().join("tests/fixtures").join(fixture);
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
        workspace_root().join(format!("tests/fixture_client/{fixture}.rs")),
        crate_dir.join(format!("tests/{fixture}.rs")),
    )
    .unwrap();

    // Shares target/e2e with the other standalone builds (tests/src/lib.rs).
    let output = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--test", fixture])
        .args(features.iter().flat_map(|feature| ["--features", feature]))
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
        stdout.contains(&format!("{tests} passed")),
        "every check ran in the fixture crate:\n{stdout}"
    );
    assert!(!stderr.contains("warning:"), "{stderr}");
    if clippy == Clippy::Too {
        let feature_args = features.iter().flat_map(|feature| ["--features", feature]);
        let args: Vec<&str> = ["clippy", "--quiet", "--all-targets"]
            .into_iter()
            .chain(feature_args)
            .chain(["--", "-D", "warnings"])
            .collect();
        heygen_codegen_tests::cargo(&crate_dir, &args);
        // And the default build, without the features the tests needed.
        heygen_codegen_tests::cargo(&crate_dir, &["clippy", "--quiet", "--", "-D", "warnings"]);
    }
}
