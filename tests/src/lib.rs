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
    let dir = workspace_root().join("../shared/specs/heygen");
    dir.join("external-api.2026-04-08.json")
        .exists()
        .then_some(dir)
}

/// Builds a specs folder holding the full April 2026 `external-api.json`, the
/// three seed documents of `specs/`, the project's quirks and client data, and
/// a manifest giving every document its date.
pub fn full_specs_dir(shared: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let specs = workspace_root().join("specs");
    std::fs::copy(
        shared.join("external-api.2026-04-08.json"),
        dir.path().join("external-api.2026-04-08.json"),
    )
    .expect("copy full spec");
    for entry in std::fs::read_dir(&specs).expect("specs/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if name != "manifest.yaml" {
            std::fs::copy(&path, dir.path().join(&name)).expect("copy spec");
        }
    }
    let mut manifest =
        std::fs::read_to_string(specs.join("manifest.yaml")).expect("specs/manifest.yaml");
    manifest.push_str(
        "  - id: external-api\n    file: external-api.2026-04-08.json\n    url: https://api.heygen.com/openapi/external-api.json\n    date: 2026-04-08\n",
    );
    std::fs::write(dir.path().join("manifest.yaml"), manifest).expect("write manifest");
    dir
}

/// Prints why a test that needs `../shared/specs` did nothing.
pub fn skip_without_shared_specs(test: &str) {
    eprintln!("{test}: skipped: ../shared/specs/heygen/external-api.2026-04-08.json is not beside the checkout");
}
