//! The generated crate compiles, without warnings, with all its features (the
//! default), with none, and with a single tag feature (one v3 group, one legacy
//! group): the group modules and the types only they use are behind the features.
//!
//! Uses the full spec when `../shared/specs/heygen` is present, else `specs/`.
//! (How long these builds take is measured by `cargo xtask bench`, not here.)

use heygen_codegen_tests::{cargo, specs_dir, workspace_root};

/// The feature names of the generated manifest, `default` excluded.
fn features(manifest: &str) -> Vec<String> {
    manifest
        .split("[features]")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| {
            line.split_once(" = ")
                .map(|(name, _)| name.trim().to_string())
        })
        .filter(|name| name != "default")
        .collect()
}

#[test]
fn each_tag_feature_compiles_alone() {
    let specs = specs_dir();
    let generated =
        generator::generate(&generator::Options::for_workspace(&specs)).expect("generate");

    // Gated types exist: a single-tag build compiles less than the whole types module.
    let types = &generated.files["src/types.rs"];
    assert!(
        types.contains("#[cfg(feature = ") || types.contains("#[cfg(any(feature = "),
        "no type of src/types.rs is behind a feature"
    );

    let out = tempfile::tempdir().unwrap();
    let crate_dir = out.path().join("heygen");
    let lockfile = workspace_root().join("Cargo.lock");
    generator::write::write_standalone(&crate_dir, &generated.files, Some(&lockfile), &[]).unwrap();
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();

    let features = features(&manifest);
    let v3 = features
        .iter()
        .find(|f| *f == "videos")
        .or_else(|| features.iter().find(|f| !f.starts_with("legacy")))
        .expect("a v3 group feature");
    let legacy = features
        .iter()
        .find(|f| f.starts_with("legacy-"))
        .expect("a legacy group feature");

    cargo(&crate_dir, &["check", "--quiet"]);
    cargo(&crate_dir, &["check", "--quiet", "--no-default-features"]);
    for feature in [v3, legacy] {
        cargo(
            &crate_dir,
            &[
                "check",
                "--quiet",
                "--no-default-features",
                "--features",
                feature,
            ],
        );
    }
    // Docs of a single-tag build link only to what that build has.
    cargo(
        &crate_dir,
        &[
            "doc",
            "--quiet",
            "--no-deps",
            "--no-default-features",
            "--features",
            v3,
        ],
    );
}
