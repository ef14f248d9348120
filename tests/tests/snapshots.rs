//! The emitted Rust for small fixture specs, one construct each (tests/fixtures/*).
//! Each snapshot was read by eye before it was accepted.

use heygen_codegen_tests::workspace_root;

/// Generates the fixture and returns the spec-specific files (not the runtime templates).
fn emitted(fixture: &str) -> String {
    let specs = workspace_root().join("tests/fixtures").join(fixture);
    let generated = generator::generate(&generator::Options::for_workspace(specs))
        .unwrap_or_else(|e| panic!("fixture {fixture}: {e}"));
    generated
        .files
        .iter()
        .filter(|(path, _)| {
            path.starts_with("src/")
                && path.ends_with(".rs")
                && !path.starts_with("src/runtime/")
                && *path != "src/lib.rs"
        })
        .map(|(path, text)| format!("==> {path}\n{text}"))
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! snapshot {
    ($name:ident) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), emitted(stringify!($name)));
        }
    };
}

snapshot!(object);
snapshot!(enums);
snapshot!(nullable);
snapshot!(union);
snapshot!(array_map);
snapshot!(parameters);
snapshot!(request_body);
snapshot!(responses);
snapshot!(docs_page);
snapshot!(recursion);
snapshot!(pagination);
snapshot!(path_params);
snapshot!(large_variant);
