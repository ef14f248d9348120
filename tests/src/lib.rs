//! Shared helpers for the workspace's tests.

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding `generator/`, `specs/`, ...).
pub mod examples;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// `../shared/specs/heygen` beside the checkout, when present.
pub fn shared_specs() -> Option<PathBuf> {
    contract::shared_specs()
}

/// Builds a specs folder holding the full April 2026 `external-api.json`, the
/// three seed documents of `specs/`, the project's quirks and client data, and
/// a manifest giving every document its date (the same folder
/// `cargo xtask contract` uses; the logic lives in the contract crate).
pub fn full_specs_dir(shared: &Path) -> tempfile::TempDir {
    contract::full_specs_dir(shared).expect("build the full specs folder")
}

/// Prints why a test that needs `../shared/specs` did nothing.
pub fn skip_without_shared_specs(test: &str) {
    eprintln!("{test}: skipped: ../shared/specs/heygen/external-api.2026-04-08.json is not beside the checkout");
}

/// Runs cargo in a generated crate outside the workspace and fails on an error
/// or a warning. All such builds share `target/e2e`, so dependencies build once
/// (a nested cargo cannot use `target/` itself while the outer `cargo test` holds it).
pub fn cargo(dir: &Path, args: &[&str]) {
    let target = workspace_root().join("target/e2e");
    let output = std::process::Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-Dwarnings")
        .output()
        .expect("run cargo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cargo {} failed:\n{stderr}",
        args.join(" ")
    );
    assert!(
        !stderr.contains("warning:"),
        "cargo {} warned:\n{stderr}",
        args.join(" ")
    );
}
