//! `cargo xtask regen` as a user runs it: bad input fails with the file and the
//! JSON pointer, exit code 1, and the output folder exactly as it was.

use std::path::Path;
use std::process::{Command, Output};

fn regen(specs: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("regen")
        .arg("--specs")
        .arg(specs)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run xtask")
}

/// A specs folder with one file, and an output folder holding a marker file.
fn setup(
    file_name: &str,
    text: &str,
) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(specs.join(file_name), text).unwrap();
    std::fs::write(out.join("marker.txt"), "untouched").unwrap();
    (dir, specs, out)
}

fn assert_fails_cleanly(file_name: &str, text: &str, expected: &[&str]) {
    let (_dir, specs, out) = setup(file_name, text);
    let output = regen(&specs, &out, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "exit code; stderr:\n{stderr}"
    );
    assert!(stderr.contains(file_name), "names the file:\n{stderr}");
    for needle in expected {
        assert!(stderr.contains(needle), "mentions {needle:?}:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "no panic:\n{stderr}");
    let entries: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries,
        vec![std::ffi::OsString::from("marker.txt")],
        "output untouched"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("marker.txt")).unwrap(),
        "untouched"
    );
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

fn with_schema(schemas: &str) -> String {
    format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/A'}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

#[test]
fn invalid_json() {
    assert_fails_cleanly(
        "bad.json",
        "{\"openapi\": \"3.1.0\",\n \"info\": }",
        &["line 2"],
    );
}

#[test]
fn invalid_yaml() {
    assert_fails_cleanly(
        "bad.yaml",
        "openapi: 3.1.0\ninfo: [unclosed\n",
        &["bad.yaml"],
    );
}

#[test]
fn dangling_ref() {
    let spec = with_schema("    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n");
    assert_fails_cleanly(
        "spec.yaml",
        &spec,
        &["#/components/schemas/A/properties/b", "dangling"],
    );
}

#[test]
fn ref_cycle() {
    let spec = with_schema(
        "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
    );
    assert_fails_cleanly("spec.yaml", &spec, &["#/components/schemas/", "cycle"]);
}

#[test]
fn docs_page_without_spec() {
    assert_fails_cleanly(
        "page.md",
        "# A page\n\n```json\n{\"not\": \"a spec\"}\n```\n",
        &["no embedded OpenAPI"],
    );
}

#[test]
fn unsupported_construct() {
    let spec = with_schema(
        "    A:\n      type: object\n      properties:\n        b: {not: {type: string}}\n",
    );
    assert_fails_cleanly(
        "spec.yaml",
        &spec,
        &["#/components/schemas/A/properties/b", "unsupported"],
    );
}

#[test]
fn check_mode_lists_stale_missing_and_extra_files() {
    let spec =
        with_schema("    A:\n      type: object\n      properties:\n        b: {type: string}\n");
    let (_dir, specs, out) = setup("spec.yaml", &spec);
    std::fs::remove_dir_all(&out).unwrap();
    assert!(regen(&specs, &out, &[]).status.success());
    let check = regen(&specs, &out, &["--check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    std::fs::write(out.join("src/types.rs"), "// edited\n").unwrap();
    std::fs::remove_file(out.join("src/lib.rs")).unwrap();
    std::fs::write(out.join("src/extra.rs"), "").unwrap();
    let check = regen(&specs, &out, &["--check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr.contains("run `cargo xtask regen`"), "{stderr}");
    assert!(stderr.contains("stale:   src/types.rs"), "{stderr}");
    assert!(stderr.contains("missing: src/lib.rs"), "{stderr}");
    assert!(stderr.contains("extra:   src/extra.rs"), "{stderr}");
    // --check never writes.
    assert_eq!(
        std::fs::read_to_string(out.join("src/types.rs")).unwrap(),
        "// edited\n"
    );
}

/// Regens racing into one `--out`, as separate processes, take turns: every
/// one succeeds, the output is whole, and nothing but the lock file is left
/// beside it.
#[test]
fn concurrent_regens_into_one_output_all_succeed_and_leave_no_staging() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/union");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A crashed run's staging folder, to be cleaned up.
    std::fs::create_dir_all(dir.path().join(".regen-out.Crash1/src")).unwrap();
    let runs: Vec<std::process::Child> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_xtask"))
                .arg("regen")
                .arg("--specs")
                .arg(&fixture)
                .arg("--out")
                .arg(&out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("run xtask")
        })
        .collect();
    for run in runs {
        let output = run.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "a regen failed:\n{stderr}");
    }
    assert!(out.join("src/lib.rs").is_file());
    let mut beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, [".out.regen.lock", "out"]);
}
