//! The committed crate is ready to publish: its manifest has the metadata
//! crates.io shows, its `rust-version` is not below any dependency's, and its
//! README (the docs front page) covers the guide's topics. CI also runs
//! `cargo package -p heygen`, which builds the packaged crate on its own.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

use heygen_codegen_tests::workspace_root;
use serde_json::Value;

/// `cargo metadata` of the workspace, as JSON.
fn metadata() -> Value {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(workspace_root())
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("metadata is JSON")
}

fn heygen_package(metadata: &Value) -> &Value {
    metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "heygen")
        .expect("the heygen package")
}

/// `1.88` or `1.88.0` as a comparable (major, minor, patch).
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[test]
fn manifest_has_the_metadata_crates_io_shows() {
    let metadata = metadata();
    let package = heygen_package(&metadata);
    for key in [
        "description",
        "license",
        "repository",
        "documentation",
        "readme",
        "rust_version",
    ] {
        assert!(
            package[key].as_str().is_some_and(|v| !v.is_empty()),
            "generated/Cargo.toml has no `{key}`"
        );
    }
    let keywords = package["keywords"].as_array().expect("keywords").len();
    assert!(
        (1..=5).contains(&keywords),
        "crates.io takes 1 to 5 keywords"
    );
    assert!(!package["categories"]
        .as_array()
        .expect("categories")
        .is_empty());
    // `include` keeps the package to what users build (cargo metadata does not show it).
    let manifest = std::fs::read_to_string(workspace_root().join("generated/Cargo.toml")).unwrap();
    let include = manifest
        .lines()
        .find(|line| line.starts_with("include = "))
        .expect("an include list");
    for pattern in ["\"src/**/*.rs\"", "\"README.md\"", "\"examples/**/*.rs\""] {
        assert!(include.contains(pattern), "{include}");
    }
}

/// The newest `rust-version` among the packages `heygen` depends on (normal
/// dependencies, transitively) in the workspace's lock file.
fn newest_dependency_rust_version(metadata: &Value) -> (String, (u64, u64, u64)) {
    let packages: HashMap<&str, &Value> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().expect("id"), p))
        .collect();
    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .expect("resolve")
        .iter()
        .map(|n| (n["id"].as_str().expect("id"), n))
        .collect();
    let root = heygen_package(metadata)["id"].as_str().expect("id");
    let mut seen = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            let normal = dep["dep_kinds"]
                .as_array()
                .expect("dep_kinds")
                .iter()
                .any(|kind| kind["kind"].is_null());
            if normal {
                stack.push(dep["pkg"].as_str().expect("pkg"));
            }
        }
    }
    assert!(seen.len() > 20, "walked only {} packages", seen.len());
    seen.iter()
        .filter(|id| **id != root)
        .filter_map(|id| {
            let package = packages[id];
            let rust = package["rust_version"].as_str()?;
            Some((
                format!(
                    "{} {}",
                    package["name"].as_str()?,
                    package["version"].as_str()?
                ),
                version(rust),
            ))
        })
        .max_by_key(|(_, v)| *v)
        .expect("some dependency declares a rust-version")
}

#[test]
fn rust_version_is_not_below_any_dependency() {
    let metadata = metadata();
    let declared = version(
        heygen_package(&metadata)["rust_version"]
            .as_str()
            .expect("rust-version"),
    );
    let (package, needed) = newest_dependency_rust_version(&metadata);
    assert!(
        declared >= needed,
        "rust-version {declared:?} is below {package}'s {needed:?}: raise it in templates/Cargo.toml"
    );
    // And no higher than needed, so that it stays the lowest Rust that builds the crate.
    assert_eq!(
        (declared.0, declared.1),
        (needed.0, needed.1),
        "rust-version {declared:?} is above the newest dependency's ({package}, {needed:?}): lower it"
    );
}

#[test]
fn readme_is_a_guide_and_the_front_page() {
    let readme = std::fs::read_to_string(workspace_root().join("generated/README.md"))
        .expect("generated/README.md");
    for section in [
        "## Install",
        "## Quick start",
        "## Setup",
        "## Errors",
        "## Retries and idempotency",
        "## Pagination",
        "## Polling",
        "## Uploads",
        "## Webhooks",
        "## Downloads",
        "## Cargo features",
        "## Legacy v1/v2 operations",
        "## How this crate is generated",
        "## Minimum supported Rust version",
    ] {
        assert!(readme.contains(section), "the README has no `{section}`");
    }
    assert!(!readme.contains("{{"), "a placeholder was left unfilled");
    // Every example is a compiled doctest (the README is the crate's front page).
    assert!(readme.matches("```rust,no_run").count() >= 8);
    assert!(!readme.contains("```rust,ignore"));
    let lib = std::fs::read_to_string(workspace_root().join("generated/src/lib.rs")).unwrap();
    assert!(lib.contains("#![doc = include_str!(\"../README.md\")]"));
    // The feature table lists every feature of the manifest but the `legacy` umbrella.
    let manifest_text =
        std::fs::read_to_string(workspace_root().join("generated/Cargo.toml")).unwrap();
    let features = manifest_text
        .split("[features]")
        .nth(1)
        .expect("[features]")
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim()))
        .filter(|name| !["default", "legacy"].contains(name));
    for feature in features {
        assert!(
            readme.contains(&format!("| `{feature}` |")),
            "the README's feature table has no `{feature}`"
        );
    }
}
