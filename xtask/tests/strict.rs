//! `cargo xtask regen` prints what it did, and `--strict` turns example mismatches into
//! a failure that writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the workspace")
        .to_path_buf()
}

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

/// specs/ copied into `dir/specs`, optionally without quirks.yaml; an `out` folder with a
/// marker file.
fn setup(with_quirks: bool) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let specs = dir.path().join("specs");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&specs).expect("mkdir");
    std::fs::create_dir_all(&out).expect("mkdir");
    for entry in std::fs::read_dir(workspace_root().join("specs")).expect("specs/") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        if with_quirks || name != "quirks.yaml" {
            std::fs::copy(&path, specs.join(name)).expect("copy");
        }
    }
    std::fs::write(out.join("marker.txt"), "untouched").expect("marker");
    (dir, specs, out)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn strict_fails_on_mismatches_and_writes_nothing() {
    let (_dir, specs, out) = setup(false);
    let output = regen(&specs, &out, &["--strict"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("lint: 2 of 313 examples do not match their schemas:"),
        "{stdout}"
    );
    // every finding: file, line, pointer, place in the example, what is wrong
    assert!(
        stdout.contains("v1-video-delete.readme.md:73 at #/paths/~1v1~1video.delete/delete/responses/200/content/application~1json/examples/Result/value: example /data/Deleted: expected string, found array"),
        "{stdout}"
    );
    assert_eq!(stdout.matches(" at #/paths/").count(), 7, "{stdout}");
    assert!(
        stderr.contains("2 examples and 0 defaults do not match their schemas (--strict)"),
        "{stderr}"
    );
    assert_eq!(entries(&out), ["marker.txt"]);

    // --check --strict fails the same way
    let output = regen(&specs, &out, &["--check", "--strict"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(entries(&out), ["marker.txt"]);

    // without --strict the findings are printed and the crate is written
    let output = regen(&specs, &out, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("example /msg: expected string, found null"),
        "{stdout}"
    );
    assert!(entries(&out).contains(&"Cargo.toml".to_string()));
}

#[test]
fn report_is_short_and_deterministic() {
    let (_dir, specs, out) = setup(true);
    let first = regen(&specs, &out, &["--strict"]);
    let stdout = String::from_utf8_lossy(&first.stdout).into_owned();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("read 4 documents: 64 operations,"),
        "{stdout}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("  document "))
            .count(),
        4
    );
    // applied fixes one per line, every fix applies to an input
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("  applied fix `"))
            .count(),
        26,
        "{stdout}"
    );
    assert!(!stdout.contains("skipped"), "{stdout}");
    assert!(
        lines.contains(&"  note: security schemes `ApiKeyAuth`, `sec0` are one credential (api key in header `x-api-key`)"),
        "{stdout}"
    );
    assert!(
        lines.contains(&"  lint: all 313 examples and 293 defaults match their schemas"),
        "{stdout}"
    );
    // the same inputs give the same report
    let second = regen(&specs, &out, &["--strict"]);
    // the report: its first line and the indented lines after it
    let report_lines = |text: &str| -> Vec<String> {
        text.lines()
            .enumerate()
            .take_while(|(i, l)| *i == 0 || l.starts_with("  "))
            .map(|(_, l)| l.to_string())
            .collect()
    };
    assert_eq!(
        report_lines(&stdout),
        report_lines(&String::from_utf8_lossy(&second.stdout))
    );
}
