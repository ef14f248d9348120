//! `cargo xtask regen` reporting API changes: the report after the summary (also
//! with --check), `--bump` (crate_version in client.yaml, CHANGELOG.md) and
//! `--fail-on` (exit code 2), on the fixture update in tests/fixtures/changes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/changes")
        .join(name)
        .join("openapi.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn regen(specs: &Path, out: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("regen")
        .arg("--specs")
        .arg(specs)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run xtask");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

struct Setup {
    _dir: tempfile::TempDir,
    specs: PathBuf,
    out: PathBuf,
}

fn setup(spec: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::write(specs.join("openapi.yaml"), spec).unwrap();
    Setup {
        _dir: dir,
        specs,
        out,
    }
}

/// `spec` with one more GET operation at `path`.
fn with_extra_operation(spec: &str, path: &str, id: &str) -> String {
    let operation = format!(
        "paths:\n  {path}:\n    get:\n      operationId: {id}\n      tags: [Widgets]\n      responses:\n        \"200\": {{description: ok}}\n"
    );
    spec.replacen("paths:\n", &operation, 1)
}

fn crate_version(out: &Path) -> String {
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .map(|v| v.trim_end_matches('"').to_string())
        .expect("a version line")
}

#[test]
fn report_bump_changelog_and_fail_on() {
    let s = setup(&fixture("before"));

    // First regen: nothing to compare with yet.
    let (code, stdout, stderr) = regen(&s.specs, &s.out, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("No previous API surface"), "{stdout}");
    assert!(s.out.join("api-surface.json").is_file());
    assert_eq!(crate_version(&s.out), "0.1.0");
    let (code, stdout, _) = regen(&s.specs, &s.out, &[]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("No API changes."), "{stdout}");

    // The update: --check prints the report and fails because out/ is stale.
    std::fs::write(s.specs.join("openapi.yaml"), fixture("after")).unwrap();
    let (code, stdout, stderr) = regen(&s.specs, &s.out, &["--check"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("API changes: 8 breaking, 9 additive, 3 other."),
        "{stdout}"
    );
    assert!(
        stdout.contains("Proposed version bump: major (0.1.0 -> 0.2.0)."),
        "{stdout}"
    );
    assert!(stderr.contains("out of date"), "{stderr}");

    // --bump --fail-on breaking: writes everything, then exits 2.
    let (code, stdout, stderr) = regen(&s.specs, &s.out, &["--bump", "--fail-on", "breaking"]);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains("bumped crate_version 0.1.0 -> 0.2.0"),
        "{stdout}"
    );
    assert!(stderr.contains("breaking"), "{stderr}");
    let client = std::fs::read_to_string(s.specs.join("client.yaml")).unwrap();
    assert!(client.contains("crate_version: 0.2.0\n"), "{client}");
    assert_eq!(crate_version(&s.out), "0.2.0");
    let changelog = std::fs::read_to_string(s.out.join("CHANGELOG.md")).unwrap();
    let today = generator::manifest::today_utc();
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    assert!(
        changelog.contains(&format!("## 0.2.0 ({today})")),
        "{changelog}"
    );
    assert!(
        changelog.contains("- `client.widgets().delete_widget()`: operation removed"),
        "{changelog}"
    );

    // Up to date now, and --check says there is nothing new.
    let (code, stdout, stderr) = regen(&s.specs, &s.out, &["--check", "--fail-on", "additive"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("No API changes."), "{stdout}");
    let (code, stdout, _) = regen(&s.specs, &s.out, &["--bump"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("crate_version stays 0.2.0"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(s.out.join("CHANGELOG.md")).unwrap(),
        changelog,
        "kept as it was"
    );

    // An additive update: --fail-on breaking passes, --fail-on additive fails.
    let spec = with_extra_operation(&fixture("after"), "/v3/extra", "getExtra");
    std::fs::write(s.specs.join("openapi.yaml"), &spec).unwrap();
    let (code, stdout, stderr) = regen(&s.specs, &s.out, &["--bump", "--fail-on", "breaking"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("API changes: 0 breaking, 1 additive, 0 other."),
        "{stdout}"
    );
    assert!(
        stdout.contains("bumped crate_version 0.2.0 -> 0.2.1"),
        "{stdout}"
    );
    assert_eq!(crate_version(&s.out), "0.2.1");
    let changelog = std::fs::read_to_string(s.out.join("CHANGELOG.md")).unwrap();
    let newer = changelog.find("## 0.2.1").expect("new section");
    let older = changelog.find("## 0.2.0").expect("old section");
    assert!(newer < older, "{changelog}");
    assert_eq!(changelog.matches("# Changelog").count(), 1, "{changelog}");

    let spec = with_extra_operation(&spec, "/v3/more", "getMore");
    std::fs::write(s.specs.join("openapi.yaml"), &spec).unwrap();
    let (code, stdout, stderr) = regen(&s.specs, &s.out, &["--fail-on", "additive"]);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("additive"), "{stderr}");
    assert_eq!(crate_version(&s.out), "0.2.1", "no --bump, no new version");
}

#[test]
fn bump_conflicts_with_check() {
    let s = setup(&fixture("before"));
    let (code, _, stderr) = regen(&s.specs, &s.out, &["--check", "--bump"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    assert!(!s.out.exists());
}

#[test]
fn unreadable_previous_surface_is_a_warning() {
    let s = setup(&fixture("before"));
    std::fs::create_dir_all(&s.out).unwrap();
    std::fs::write(s.out.join("api-surface.json"), "{\"format\": 0}").unwrap();
    let (code, stdout, stderr) = regen(&s.specs, &s.out, &["--fail-on", "breaking"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("warning: cannot compare with the previous API surface"),
        "{stdout}"
    );
    assert!(stdout.contains("api-surface.json"), "{stdout}");
}

#[test]
fn regen_keeps_the_names_of_the_previous_surface() {
    let s = setup(&fixture("names/before"));
    let (code, stdout, stderr) = regen(&s.specs, &s.out, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    std::fs::write(s.specs.join("openapi.yaml"), fixture("names/after")).unwrap();
    let (code, stdout, stderr) = regen(&s.specs, &s.out, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    // The inline `Card` users had stays `Card`; the new component is the one renamed.
    assert!(
        stdout.contains("type name `Card` was taken: named `Card2`"),
        "{stdout}"
    );
    assert!(!stdout.contains("renamed to `heygen::types::"), "{stdout}");
    let types = std::fs::read_to_string(s.out.join("src/types.rs")).unwrap();
    assert!(types.contains("pub struct Card {"), "{types}");
    assert!(types.contains("pub struct Card2 {"), "{types}");
}
