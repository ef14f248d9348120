//! Stage: files -> disk. Writing goes to a temporary directory that replaces
//! the output only when complete, so a failure leaves the old output as it was.
//! Check mode compares instead of writing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Files in the output directory that regen does not manage and keeps.
pub const KEPT_FILES: &[&str] = &["CHANGELOG.md"];

/// Replaces `out` with exactly `files` (plus any kept files already there).
///
/// One writer at a time: a lock on `.<name>.regen.lock` beside `out` makes a
/// second regen into the same output wait for the first. Holding it, the
/// writer removes what a crashed run left beside `out` (its `.regen-<name>.*`
/// staging and backup folders) before staging its own.
pub fn write_all(out: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    let parent = parent_dir(out);
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = out
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let _lock = lock(&parent.join(format!(".{name}.regen.lock")))?;
    let prefix = format!(".regen-{name}.");
    remove_stale(&parent, &prefix)?;
    let staging = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    for (relative, text) in files {
        let path = staging.path().join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    }
    for kept in KEPT_FILES {
        let existing = out.join(kept);
        if existing.exists() && !files.contains_key(*kept) {
            let target = staging.path().join(kept);
            std::fs::copy(&existing, &target).map_err(|e| Error::io(&existing, e))?;
        }
    }
    let staged = staging.keep();
    let backup = parent.join(format!("{prefix}old"));
    if out.exists() {
        std::fs::rename(out, &backup).map_err(|e| Error::io(out, e))?;
    }
    if let Err(e) = std::fs::rename(&staged, out) {
        // Put the old output back before reporting.
        let _ = std::fs::rename(&backup, out);
        let _ = std::fs::remove_dir_all(&staged);
        return Err(Error::io(out, e));
    }
    if backup.exists() {
        std::fs::remove_dir_all(&backup).map_err(|e| Error::io(&backup, e))?;
    }
    Ok(())
}

/// An exclusive lock on `path` (created if needed), held until the file is
/// dropped; waits while another writer, in this process or another, holds it.
fn lock(path: &Path) -> Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.lock().map_err(|e| Error::io(path, e))?;
    Ok(file)
}

/// Removes the staging and backup folders of earlier runs into the same output
/// (`<prefix>` and then only letters and digits, as `tempfile` names them, or
/// `old`): under the lock, none of them belongs to a running writer.
fn remove_stale(parent: &Path, prefix: &str) -> Result<()> {
    let entries = std::fs::read_dir(parent).map_err(|e| Error::io(parent, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(parent, e))?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let ours = name.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if ours && path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// Writes the crate where it builds on its own, outside this workspace: with
/// `lockfile` copied in (the same dependency versions, so that a shared target
/// dir reuses their builds), `dev_dependencies` (TOML lines) added to its
/// `[dev-dependencies]` (a line replaces the crate's own for the same
/// dependency), and an empty `[workspace]` so that cargo never adopts it into a
/// parent workspace.
pub fn write_standalone(
    out: &Path,
    files: &BTreeMap<String, String>,
    lockfile: Option<&Path>,
    dev_dependencies: &[&str],
) -> Result<()> {
    write_all(out, files)?;
    if let Some(lockfile) = lockfile {
        let target = out.join("Cargo.lock");
        std::fs::copy(lockfile, &target).map_err(|e| Error::io(lockfile, e))?;
    }
    let manifest = out.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| Error::io(&manifest, e))?;
    let text = format!(
        "{}\n[workspace]\n",
        with_dev_dependencies(&text, dev_dependencies)
    );
    std::fs::write(&manifest, text).map_err(|e| Error::io(&manifest, e))
}

/// `manifest` with `lines` in its `[dev-dependencies]` table (added at the end
/// when it has none); an existing line for the same dependency is dropped.
fn with_dev_dependencies(manifest: &str, lines: &[&str]) -> String {
    let key = |line: &str| {
        line.split('=')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let replaced: Vec<String> = lines.iter().map(|line| key(line)).collect();
    let mut out = String::with_capacity(manifest.len() + 64 * lines.len());
    let mut in_dev = false;
    let mut inserted = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_dev = trimmed == "[dev-dependencies]";
        }
        if in_dev && !trimmed.starts_with('[') && replaced.contains(&key(trimmed)) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if trimmed == "[dev-dependencies]" {
            for extra in lines {
                out.push_str(extra);
                out.push('\n');
            }
            inserted = true;
        }
    }
    if !inserted && !lines.is_empty() {
        out.push_str("\n[dev-dependencies]\n");
        for extra in lines {
            out.push_str(extra);
            out.push('\n');
        }
    }
    out
}

fn parent_dir(out: &Path) -> PathBuf {
    match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// How the output differs from what regen would write.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difference {
    Stale(String),
    Missing(String),
    Extra(String),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Stale(path) => write!(f, "stale:   {path}"),
            Difference::Missing(path) => write!(f, "missing: {path}"),
            Difference::Extra(path) => write!(f, "extra:   {path}"),
        }
    }
}

/// Compares `files` with the contents of `out`; an empty list means up to date.
pub fn check(out: &Path, files: &BTreeMap<String, String>) -> Result<Vec<Difference>> {
    let mut differences = Vec::new();
    for (relative, text) in files {
        let path = out.join(relative);
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == *text => {}
            Ok(_) => differences.push(Difference::Stale(relative.clone())),
            Err(_) => differences.push(Difference::Missing(relative.clone())),
        }
    }
    if out.exists() {
        for relative in existing_files(out)? {
            if !files.contains_key(&relative) && !KEPT_FILES.contains(&relative.as_str()) {
                differences.push(Difference::Extra(relative));
            }
        }
    }
    differences.sort();
    Ok(differences)
}

fn existing_files(root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let path = entry.map_err(|e| Error::io(&dir, e))?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_dependencies_join_the_table_and_replace_the_same_dependency() {
        let manifest = "[package]\nname = \"x\"\n\n[dev-dependencies]\ntokio = { version = \"1\" }\nserde = \"1\"\n\n[features]\ndefault = []\n";
        let text = with_dev_dependencies(manifest, &["tokio = \"2\"", "wiremock = \"0.6\""]);
        assert_eq!(
            text,
            "[package]\nname = \"x\"\n\n[dev-dependencies]\ntokio = \"2\"\nwiremock = \"0.6\"\nserde = \"1\"\n\n[features]\ndefault = []\n"
        );
        let without = with_dev_dependencies("[package]\nname = \"x\"\n", &["tokio = \"2\""]);
        assert_eq!(
            without,
            "[package]\nname = \"x\"\n\n[dev-dependencies]\ntokio = \"2\"\n"
        );
        assert_eq!(with_dev_dependencies("[package]\n", &[]), "[package]\n");
    }

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn write_replaces_and_check_agrees() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("src")).unwrap();
        std::fs::write(out.join("src/old.rs"), "old").unwrap();
        std::fs::write(out.join("CHANGELOG.md"), "kept").unwrap();
        let wanted = files(&[("src/lib.rs", "lib"), ("Cargo.toml", "toml")]);
        assert_eq!(
            check(&out, &wanted).unwrap(),
            vec![
                Difference::Missing("Cargo.toml".into()),
                Difference::Missing("src/lib.rs".into()),
                Difference::Extra("src/old.rs".into())
            ]
        );
        write_all(&out, &wanted).unwrap();
        assert!(check(&out, &wanted).unwrap().is_empty());
        assert_eq!(
            std::fs::read_to_string(out.join("CHANGELOG.md")).unwrap(),
            "kept"
        );
        assert!(!out.join("src/old.rs").exists());
        let changed = files(&[("src/lib.rs", "new"), ("Cargo.toml", "toml")]);
        assert_eq!(
            check(&out, &changed).unwrap(),
            vec![Difference::Stale("src/lib.rs".into())]
        );
    }

    #[test]
    fn differences_read_as_one_line_each() {
        let lines: Vec<String> = [
            Difference::Stale("src/lib.rs".into()),
            Difference::Missing("Cargo.toml".into()),
            Difference::Extra("src/old.rs".into()),
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            lines,
            [
                "stale:   src/lib.rs",
                "missing: Cargo.toml",
                "extra:   src/old.rs"
            ]
        );
    }

    /// A `target/` folder in the output (the crate built where it lies) is
    /// neither compared nor reported.
    #[test]
    fn check_ignores_a_build_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let wanted = files(&[("src/lib.rs", "lib")]);
        write_all(&out, &wanted).unwrap();
        std::fs::create_dir_all(out.join("target/debug")).unwrap();
        std::fs::write(out.join("target/debug/lib.rlib"), "built").unwrap();
        assert!(check(&out, &wanted).unwrap().is_empty());
    }

    /// The staging folder goes beside the output: in its parent, or in the
    /// current folder for a bare relative name like `generated`.
    #[test]
    fn staging_goes_beside_the_output() {
        assert_eq!(parent_dir(Path::new("generated")), Path::new("."));
        assert_eq!(parent_dir(Path::new("out/heygen")), Path::new("out"));
        assert_eq!(parent_dir(Path::new("/tmp/x/heygen")), Path::new("/tmp/x"));
    }

    /// A crate that builds outside the workspace: the lock file copied in,
    /// the dev-dependencies and an empty `[workspace]` added.
    #[test]
    fn write_standalone_adds_lockfile_and_manifest_text() {
        let dir = tempfile::tempdir().unwrap();
        let lockfile = dir.path().join("Cargo.lock");
        std::fs::write(&lockfile, "# the lock").unwrap();
        let out = dir.path().join("heygen");
        let wanted = files(&[
            ("Cargo.toml", "[package]\nname = \"heygen\"\n"),
            ("src/lib.rs", "lib"),
        ]);

        write_standalone(&out, &wanted, Some(&lockfile), &["x = \"1\""]).unwrap();

        assert_eq!(
            std::fs::read_to_string(out.join("Cargo.lock")).unwrap(),
            "# the lock"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("Cargo.toml")).unwrap(),
            "[package]\nname = \"heygen\"\n\n[dev-dependencies]\nx = \"1\"\n\n[workspace]\n"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "lib"
        );

        write_standalone(&out, &wanted, None, &[]).unwrap();
        assert!(!out.join("Cargo.lock").exists(), "rewritten from scratch");
        assert!(write_standalone(&out, &wanted, Some(&dir.path().join("none")), &[]).is_err());
    }

    /// Every file under `dir`, with its text.
    fn contents(dir: &Path) -> BTreeMap<String, String> {
        existing_files(dir)
            .unwrap()
            .into_iter()
            .map(|relative| {
                let text = std::fs::read_to_string(dir.join(&relative)).unwrap();
                (relative, text)
            })
            .collect()
    }

    /// What a crash mid-write leaves: the write fails after some files were
    /// written (`a.rs` is a file, so `a.rs/b.rs` cannot be), and the old
    /// output must be there, byte for byte, with nothing half-written beside it.
    #[test]
    fn a_write_that_fails_halfway_leaves_the_old_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let old = files(&[
            ("Cargo.toml", "old toml"),
            ("src/lib.rs", "old lib"),
            ("CHANGELOG.md", "kept"),
        ]);
        write_all(&out, &old).unwrap();

        let broken = files(&[
            ("Cargo.toml", "new toml"),
            ("a.rs", "new a"),
            ("a.rs/b.rs", "cannot be written"),
            ("src/lib.rs", "new lib"),
        ]);
        let error = write_all(&out, &broken).expect_err("a.rs/b.rs cannot be written");
        assert!(error.to_string().contains("a.rs"), "{error}");

        assert_eq!(contents(&out), old);
        assert_eq!(
            beside(dir.path()),
            [".out.regen.lock", "out"],
            "no staging or backup folder is left"
        );
    }

    /// The names in `dir`, sorted.
    fn beside(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Writers racing into one output take turns: every write succeeds, the
    /// output is one writer's whole, and no staging folder is left. What a
    /// crashed run left (its staging and backup folders) is removed, and the
    /// folders of another output beside it are not.
    #[test]
    fn concurrent_writers_take_turns_and_clean_up_after_crashed_runs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        for stale in [
            ".regen-out.a1B2c3",
            ".regen-out.old",
            ".regen-out.x.keep1",
            ".regen-other.abc",
        ] {
            std::fs::create_dir_all(dir.path().join(stale).join("src")).unwrap();
        }
        let writers: Vec<_> = (0..4)
            .map(|writer| {
                let out = out.clone();
                std::thread::spawn(move || {
                    for round in 0..15 {
                        let text = format!("writer {writer} round {round}");
                        let wanted = files(&[("src/lib.rs", &text), ("Cargo.toml", &text)]);
                        write_all(&out, &wanted).map_err(|e| e.to_string())?;
                    }
                    Ok::<(), String>(())
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap().unwrap();
        }
        let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("Cargo.toml")).unwrap(),
            lib
        );
        assert_eq!(
            beside(dir.path()),
            [
                ".out.regen.lock",
                ".regen-other.abc",
                ".regen-out.x.keep1",
                "out"
            ]
        );
    }

    /// A reader that looks at the output while it is rewritten, again and
    /// again, sees either a whole old output or a whole new one: never a
    /// missing file, a file of another generation or a half-written file.
    #[test]
    fn a_concurrent_reader_never_sees_a_half_written_output() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};

        const GENERATIONS: usize = 40;
        /// Each generation's files; the marker comes first in write order.
        fn generation(number: usize) -> BTreeMap<String, String> {
            let mut files = BTreeMap::new();
            files.insert("0-generation".to_string(), number.to_string());
            for file in 0..48 {
                let text = format!("// generation {number}, file {file}\n").repeat(40);
                files.insert(format!("src/file{file:02}.rs"), text);
            }
            files
        }
        /// One look at the output: `None` when it was replaced while being
        /// read (the generation before and after differ, or a file vanished),
        /// else whether every file is that of the generation read before.
        fn observe(out: &Path) -> Option<std::result::Result<(), String>> {
            let before = std::fs::read_to_string(out.join("0-generation")).ok()?;
            let mut seen = BTreeMap::new();
            for relative in existing_files(out).ok()? {
                let text = std::fs::read_to_string(out.join(&relative)).ok()?;
                seen.insert(relative, text);
            }
            let after = std::fs::read_to_string(out.join("0-generation")).ok()?;
            if before != after {
                return None;
            }
            let Ok(number) = before.parse::<usize>() else {
                return Some(Err(format!("a half-written marker: {before:?}")));
            };
            Some(if seen == generation(number) {
                Ok(())
            } else {
                let expected = generation(number);
                let wrong: Vec<&String> = expected
                    .keys()
                    .chain(seen.keys())
                    .filter(|path| seen.get(*path) != expected.get(*path))
                    .collect();
                Err(format!(
                    "generation {number}: {} files missing or wrong, e.g. {:?}",
                    wrong.len(),
                    wrong.first()
                ))
            })
        }

        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(&out, &generation(0)).unwrap();
        let done = AtomicBool::new(false);
        let looks = AtomicUsize::new(0);
        let (whole, torn) = std::thread::scope(|scope| {
            let reader = scope.spawn(|| {
                let (mut whole, mut torn) = (0, Vec::new());
                while !done.load(SeqCst) {
                    match observe(&out) {
                        Some(Ok(())) => whole += 1,
                        Some(Err(problem)) => torn.push(problem),
                        None => {}
                    }
                    looks.fetch_add(1, SeqCst);
                }
                (whole, torn)
            });
            let written = (1..=GENERATIONS).try_for_each(|number| {
                // Let the reader look at least once per generation.
                let seen = looks.load(SeqCst);
                while looks.load(SeqCst) == seen && !reader.is_finished() {
                    std::thread::yield_now();
                }
                write_all(&out, &generation(number))
            });
            // Stop the reader before failing, or the scope would wait for it forever.
            done.store(true, SeqCst);
            let looks = reader.join().unwrap();
            written.unwrap();
            looks
        });
        assert!(
            torn.is_empty(),
            "{} torn looks, first: {}",
            torn.len(),
            torn[0]
        );
        assert_eq!(observe(&out), Some(Ok(())), "the last output is whole");
        eprintln!("{whole} whole looks during {GENERATIONS} rewrites");
        assert_eq!(
            std::fs::read_to_string(out.join("0-generation")).unwrap(),
            GENERATIONS.to_string()
        );
    }
}
