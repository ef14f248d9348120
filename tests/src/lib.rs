//! Shared helpers for the workspace's tests.

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding `generator/`, `specs/`, ...).
pub mod examples;
pub mod raw_http;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// The project's `specs/`: HeyGen's full v3 document, the docs pages, quirks
/// and client data (the inputs of the committed crate).
pub fn specs_dir() -> PathBuf {
    contract::specs_dir()
}

/// HeyGen's full v3 document in `specs/`.
pub fn full_spec() -> PathBuf {
    specs_dir().join(contract::FULL_SPEC)
}

/// A copy of `specs/` in a temporary folder, for tests that change a document.
pub fn specs_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(specs_dir()).expect("read specs/") {
        let path = entry.expect("specs/ entry").path();
        if let Some(name) = path.file_name().filter(|_| path.is_file()) {
            std::fs::copy(&path, dir.path().join(name)).expect("copy a spec file");
        }
    }
    dir
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
