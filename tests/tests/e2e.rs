//! End to end: the full HeyGen spec (April 2026) plus the seed documents in,
//! a crate out that passes clippy and rustdoc with warnings denied.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use heygen_codegen_tests::{cargo, full_spec, specs_dir, workspace_root};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// (METHOD, path) of every operation and the names of every component schema in the inputs.
fn inventory(specs: &Path) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let documents = generator::load::load_dir(specs).expect("inputs load");
    let mut operations = BTreeSet::new();
    let mut schemas = BTreeSet::new();
    for document in documents {
        if let Some(paths) = document.value["paths"].as_object() {
            for (path, item) in paths {
                for method in METHODS {
                    if item.get(*method).is_some() {
                        operations.insert((method.to_uppercase(), path.clone()));
                    }
                }
            }
        }
        if let Some(components) = document.value["components"]["schemas"].as_object() {
            schemas.extend(components.keys().cloned());
        }
    }
    (operations, schemas)
}

#[test]
fn full_spec_generates_a_crate_that_builds_cleanly() {
    let specs = specs_dir();
    let (operations, schemas) = inventory(&specs);
    let april = generator::load::load_file(&full_spec(), "april".into()).unwrap();
    let april_ops: usize = april.value["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
        .sum();
    assert_eq!(april_ops, 62, "the April spec has 62 operations");
    assert_eq!(
        april.value["components"]["schemas"]
            .as_object()
            .unwrap()
            .len(),
        108
    );

    let generated =
        generator::generate(&generator::Options::for_workspace(&specs)).expect("generate");
    let api = &generated.api;

    // Every operation of the inputs has its method.
    let lowered: BTreeSet<(String, String)> = api
        .operations
        .iter()
        .map(|op| (op.method.as_str().to_string(), op.path.clone()))
        .collect();
    assert_eq!(
        lowered, operations,
        "operations of the inputs and of the IR"
    );
    for op in &api.operations {
        let group = &api.groups[op.group];
        let file = if group.legacy {
            format!("src/legacy/{}.rs", group.module)
        } else {
            format!("src/{}.rs", group.module)
        };
        let source = &generated.files[&file];
        assert!(
            source.contains(&format!("pub fn {}(", op.name)),
            "{} {} has no method in {file}",
            op.method.as_str(),
            op.path
        );
    }
    // Every component schema has its type.
    let types = &generated.files["src/types.rs"];
    for schema in &schemas {
        let name = generator::ir::naming::type_ident(schema);
        let declared = ["pub struct", "pub enum", "pub type"].iter().any(|kind| {
            types.contains(&format!("{kind} {name} ")) || types.contains(&format!("{kind} {name}<"))
        });
        assert!(declared, "component schema {schema} has no type {name}");
    }
    println!(
        "{} operations, {} component schemas, {} types",
        operations.len(),
        schemas.len(),
        api.types.len()
    );

    let out = tempfile::tempdir().unwrap();
    let crate_dir = out.path().join("heygen");
    // The operation tests (tests/full_client/operations.rs) run against a local HTTP server.
    let dev = [
        r#"wiremock = "0.6""#,
        r#"tokio = { version = "1", features = ["macros", "rt-multi-thread", "test-util"] }"#,
    ];
    let lockfile = workspace_root().join("Cargo.lock");
    generator::write::write_standalone(&crate_dir, &generated.files, Some(&lockfile), &dev)
        .unwrap();
    cargo(
        &crate_dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
    cargo(&crate_dir, &["doc", "--quiet", "--no-deps"]);
    round_trip_every_example(&specs, api, &crate_dir);
}

/// Every example of every input document round-trips through its generated
/// type, and values the spec does not list still decode.
fn round_trip_every_example(specs: &Path, api: &generator::ir::Api, crate_dir: &Path) {
    let mut examples = Vec::new();
    let quirks = generator::quirks::read(specs).unwrap();
    for mut document in generator::load::load_dir(specs).unwrap() {
        if let Some(quirks) = &quirks {
            generator::quirks::apply(quirks, std::slice::from_mut(&mut document)).unwrap();
        }
        generator::normalise::normalise(&mut document).unwrap();
        examples.extend(heygen_codegen_tests::examples::collect(
            &document.id,
            &document.value,
        ));
    }
    let types: std::collections::BTreeMap<String, String> = api
        .schema_types
        .iter()
        .map(|(origin, ty)| {
            let tokens = generator::emit::types::type_tokens(
                &api.types,
                ty,
                generator::emit::types::Scope::Crate,
            );
            (
                origin.clone(),
                tokens.to_string().replace("crate ::", "heygen ::"),
            )
        })
        .collect();
    let (checks, unplanned) = heygen_codegen_tests::examples::plan(&examples, &types);
    assert!(
        unplanned.is_empty(),
        "examples without a type:\n{}",
        unplanned.join("\n")
    );
    println!(
        "examples found in the inputs: {}; checks: {}",
        examples.len(),
        checks.len()
    );
    assert!(
        examples.len() > 300,
        "the April spec alone has about three hundred examples"
    );
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    std::fs::write(
        crate_dir.join("tests/examples.rs"),
        heygen_codegen_tests::examples::test_file(&checks),
    )
    .unwrap();
    for file in ["forward_compat.rs", "operations.rs"] {
        std::fs::copy(
            workspace_root().join("tests/full_client").join(file),
            crate_dir.join("tests").join(file),
        )
        .unwrap();
    }
    let output = Command::new(env!("CARGO"))
        .args([
            "test",
            "--quiet",
            // A round trip encodes what it decoded: every type needs both traits.
            "--features",
            "full-serde",
            "--test",
            "examples",
            "--test",
            "forward_compat",
            "--test",
            "operations",
            "--",
            "--nocapture",
        ])
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", workspace_root().join("target/e2e"))
        .output()
        .expect("cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "round trip failed:\n{stdout}\n{stderr}"
    );
    let expected = format!("examples checked: {}", checks.len());
    assert!(
        stdout.contains(&expected),
        "{expected} not printed:\n{stdout}"
    );
    println!("{expected}");
}
