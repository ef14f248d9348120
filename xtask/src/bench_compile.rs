//! What the generated crate costs to `cargo check`, and where that time goes
//! (part of `cargo xtask bench`).
//!
//! - Scaling: the April spec replicated k times (as the generation scaling
//!   does: schemas, paths and operationIds renamed per replica), each crate
//!   checked after a touch of src/lib.rs. Reported per 100 types, with and
//!   without the fixed cost of the runtime, so that growth can be read as
//!   linear or not.
//! - Ablation: the full crate of `specs/` checked whole and with one part
//!   taken away (the operation modules, the doc comments, everything but the
//!   runtime) or added (`full-serde`, the derives the crate leaves out), so that
//!   each difference is that part's cost. `--compare-crate DIR` adds any other
//!   crate (e.g. `generated/` of an older commit) to the same rounds.
//!
//! Every crate is checked once untimed (dependencies built, one shared target
//! dir), then the variants take turns, round by round, so that all see the
//! same machine load; figures are medians over rounds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;

use crate::bench::{
    cargo_bin, count_lines, finish_standalone, replicate, s, stats, Stats, FULL_SPEC,
};

/// One crate to check, with the cargo arguments that select its variant.
struct Variant {
    label: String,
    dir: PathBuf,
    args: Vec<String>,
    /// Types and operations, where known.
    types: Option<usize>,
    operations: Option<usize>,
    lines: usize,
}

pub(crate) struct Row {
    pub label: String,
    pub types: Option<usize>,
    pub operations: Option<usize>,
    pub lines: usize,
    pub check: Stats,
}

pub(crate) struct CompileCost {
    /// One row per replication factor, in the order given.
    pub scaling: Vec<(usize, Row)>,
    /// The full crate's variants; the first is the whole crate as shipped.
    pub ablation: Vec<Row>,
    pub rounds: usize,
}

pub(crate) fn measure(
    specs: &Path,
    factors: &[usize],
    rounds: usize,
    compare: Option<&Path>,
) -> Result<CompileCost, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let target = tmp.path().join("target");
    let lockfile = generator::pipeline::workspace_root().join("Cargo.lock");

    let text = std::fs::read_to_string(specs.join(FULL_SPEC)).map_err(|e| e.to_string())?;
    let spec: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let mut scaling = Vec::new();
    for &k in factors {
        let specs_k = tmp.path().join(format!("specs-k{k}"));
        std::fs::create_dir_all(&specs_k).map_err(|e| e.to_string())?;
        let json = serde_json::to_string_pretty(&replicate(&spec, k)).map_err(|e| e.to_string())?;
        std::fs::write(specs_k.join("synthetic.json"), json).map_err(|e| e.to_string())?;
        let dir = tmp.path().join(format!("crate-k{k}"));
        let (types, operations) = standalone(&specs_k, &dir, &lockfile)?;
        scaling.push(Variant {
            label: format!("k={k}"),
            lines: count_lines(&dir).0,
            dir,
            args: Vec::new(),
            types: Some(types),
            operations: Some(operations),
        });
    }

    let full = tmp.path().join("crate-full");
    let (types, operations) = standalone(specs, &full, &lockfile)?;
    let without_operations = copy_crate(&full, &tmp.path().join("crate-no-operations"))?;
    remove_operation_modules(&without_operations)?;
    let without_docs = copy_crate(&full, &tmp.path().join("crate-no-docs"))?;
    strip_doc_comments(&without_docs.join("src"))?;
    let known = |label: &str, dir: &Path, args: &[&str]| Variant {
        label: label.to_string(),
        dir: dir.to_path_buf(),
        args: args.iter().map(|a| a.to_string()).collect(),
        types: Some(types),
        operations: Some(operations),
        lines: count_lines(dir).0,
    };
    let mut ablation = vec![
        known("the crate as generated (default features)", &full, &[]),
        known(
            "with `full-serde` (both serde traits on every type)",
            &full,
            &["--features", "full-serde"],
        ),
        known(
            "without the operation modules (types and runtime)",
            &without_operations,
            &[],
        ),
        known(
            "without doc comments (outside the runtime)",
            &without_docs,
            &[],
        ),
        known(
            "runtime only (`--no-default-features`)",
            &full,
            &["--no-default-features"],
        ),
    ];
    if let Some(other) = compare {
        let dir = copy_crate(other, &tmp.path().join("crate-compare"))?;
        finish_standalone(&dir, &lockfile)?;
        ablation.push(Variant {
            label: format!("--compare-crate {}", other.display()),
            lines: count_lines(&dir).0,
            dir,
            args: Vec::new(),
            types: None,
            operations: None,
        });
    }

    let mut variants: Vec<Variant> = scaling.into_iter().chain(ablation).collect();
    let samples = check_in_rounds(&mut variants, &target, rounds)?;
    let mut rows: Vec<Row> = variants
        .into_iter()
        .zip(samples)
        .map(|(v, samples)| Row {
            label: v.label,
            types: v.types,
            operations: v.operations,
            lines: v.lines,
            check: stats(&samples),
        })
        .collect();
    let ablation = rows.split_off(factors.len());
    Ok(CompileCost {
        scaling: factors.iter().copied().zip(rows).collect(),
        ablation,
        rounds,
    })
}

/// Checks every variant once untimed, then `rounds` times each in turn; the
/// samples of each variant.
fn check_in_rounds(
    variants: &mut [Variant],
    target: &Path,
    rounds: usize,
) -> Result<Vec<Vec<f64>>, String> {
    for variant in variants.iter() {
        eprintln!(
            "bench: cargo check {} (untimed, builds dependencies)",
            variant.label
        );
        check(variant, target)?;
    }
    let mut samples = vec![Vec::new(); variants.len()];
    for round in 0..rounds {
        eprintln!("bench: compile round {}/{rounds}", round + 1);
        for (index, variant) in variants.iter().enumerate() {
            std::fs::File::options()
                .write(true)
                .open(variant.dir.join("src/lib.rs"))
                .and_then(|f| f.set_modified(SystemTime::now()))
                .map_err(|e| e.to_string())?;
            samples[index].push(check(variant, target)?);
        }
    }
    Ok(samples)
}

/// `cargo check --quiet <args>` in the variant's crate; its wall time.
fn check(variant: &Variant, target: &Path) -> Result<f64, String> {
    let started = std::time::Instant::now();
    let output = std::process::Command::new(cargo_bin())
        .args(["check", "--quiet"])
        .args(&variant.args)
        .current_dir(&variant.dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!(
            "cargo check {} failed in {}:\n{}",
            variant.args.join(" "),
            variant.dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(elapsed)
}

/// Generates the crate of `specs` into `dir`, built on its own; its type and
/// operation counts.
fn standalone(specs: &Path, dir: &Path, lockfile: &Path) -> Result<(usize, usize), String> {
    let generated = generator::generate(&generator::Options::for_workspace(specs))
        .map_err(|e| e.to_string())?;
    generator::write::write_standalone(dir, &generated.files, Some(lockfile), &[])
        .map_err(|e| e.to_string())?;
    Ok((generated.api.types.len(), generated.api.operations.len()))
}

/// Copies a crate's manifest, lock file, `src/` and `examples/` (no target dir).
fn copy_crate(from: &Path, to: &Path) -> Result<PathBuf, String> {
    let mut stack: Vec<PathBuf> = ["src", "examples"]
        .into_iter()
        .map(PathBuf::from)
        .filter(|dir| from.join(dir).is_dir())
        .collect();
    for file in ["Cargo.toml", "Cargo.lock", "README.md"] {
        if from.join(file).is_file() {
            std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
            std::fs::copy(from.join(file), to.join(file)).map_err(|e| e.to_string())?;
        }
    }
    while let Some(relative) = stack.pop() {
        std::fs::create_dir_all(to.join(&relative)).map_err(|e| e.to_string())?;
        for entry in std::fs::read_dir(from.join(&relative)).map_err(|e| e.to_string())? {
            let entry = entry.map_err(|e| e.to_string())?;
            let child = relative.join(entry.file_name());
            if entry.path().is_dir() {
                stack.push(child);
            } else {
                std::fs::copy(entry.path(), to.join(&child)).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(to.to_path_buf())
}

/// Drops every `pub mod <group>;` but `types` (with its attributes) from
/// src/lib.rs: what is left is the runtime and `types`.
fn remove_operation_modules(dir: &Path) -> Result<(), String> {
    let path = dir.join("src/lib.rs");
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let mut kept: Vec<&str> = Vec::new();
    // The attribute lines since the last item, and the bracket depth inside them.
    let mut attributes: Vec<&str> = Vec::new();
    let mut depth = 0i32;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if depth > 0 || trimmed.starts_with("#[") {
            depth += line.matches('[').count() as i32 - line.matches(']').count() as i32;
            attributes.push(line);
            continue;
        }
        let is_group = trimmed.starts_with("pub mod ") && trimmed != "pub mod types;";
        if !is_group {
            kept.append(&mut attributes);
            kept.push(line);
        }
        attributes.clear();
    }
    kept.append(&mut attributes);
    std::fs::write(&path, kept.join("\n") + "\n").map_err(|e| e.to_string())
}

/// Removes `///` and `//!` lines from every file outside `src/runtime`, and
/// the README the crate root includes as its docs.
fn strip_doc_comments(src: &Path) -> Result<(), String> {
    for entry in std::fs::read_dir(src).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "runtime") {
                strip_doc_comments(&path)?;
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let kept: Vec<&str> = text
            .lines()
            .filter(|line| {
                let trimmed = line.trim_start();
                !(trimmed.starts_with("///")
                    || trimmed.starts_with("//!")
                    || trimmed.starts_with("#![doc = include_str!"))
            })
            .collect();
        std::fs::write(&path, kept.join("\n") + "\n").map_err(|e| e.to_string())?;
    }
    Ok(())
}

impl CompileCost {
    /// The runtime-only check: the fixed cost every crate pays.
    pub(crate) fn runtime_only(&self) -> Option<f64> {
        self.ablation
            .iter()
            .find(|row| row.label.starts_with("runtime only"))
            .map(|row| row.check.median)
    }

    /// Per 100 types at each factor: the whole check, and the check minus the
    /// runtime's fixed cost.
    pub(crate) fn per_100_types(&self, row: &Row) -> Option<(f64, f64)> {
        let types = row.types? as f64;
        let runtime = self.runtime_only().unwrap_or(0.0);
        Some((
            100.0 * row.check.median / types,
            100.0 * (row.check.median - runtime).max(0.0) / types,
        ))
    }

    /// The first and last factors' per-100-types cost without the runtime:
    /// (k, cost) each.
    pub(crate) fn growth(&self) -> Option<((usize, f64), (usize, f64))> {
        let (first_k, first) = self.scaling.first()?;
        let (last_k, last) = self.scaling.last()?;
        Some((
            (*first_k, self.per_100_types(first)?.1),
            (*last_k, self.per_100_types(last)?.1),
        ))
    }

    /// The row of the factor whose type count is closest to `types`.
    pub(crate) fn closest_to(&self, types: usize) -> Option<&(usize, Row)> {
        self.scaling
            .iter()
            .min_by_key(|(_, row)| row.types.map_or(usize::MAX, |t| t.abs_diff(types)))
    }
}

pub(crate) fn render(out: &mut String, cost: &CompileCost) {
    let _ = writeln!(out, "\n## What the generated crate costs to check\n");
    let _ = writeln!(
        out,
        "`cargo check` after `touch src/lib.rs`, dependencies built, `CARGO_INCREMENTAL=0`, one shared target dir; median of {} rounds in which every crate below takes its turn (see xtask/src/bench_compile.rs).\n",
        cost.rounds
    );
    let _ = writeln!(out, "### Scaling with the API\n");
    let _ = writeln!(
        out,
        "The April spec replicated k times (no quirks or client data). \"Minus runtime\" subtracts the runtime-only check of the ablation below, the fixed cost of every crate.\n"
    );
    let _ = writeln!(
        out,
        "| k | operations | types | .rs lines | `cargo check` (min–max) | per 100 types | per 100 types, minus runtime |\n|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (k, row) in &cost.scaling {
        let (per, per_minus) = cost.per_100_types(row).unwrap_or((f64::NAN, f64::NAN));
        let _ = writeln!(
            out,
            "| {k} | {} | {} | {} | {} ({}–{}) | {} | {} |",
            row.operations.unwrap_or(0),
            row.types.unwrap_or(0),
            row.lines,
            s(row.check.median),
            s(row.check.min),
            s(row.check.max),
            s(per),
            s(per_minus)
        );
    }
    let _ = writeln!(
        out,
        "\n### Where the check time goes (ablation of the full crate)\n"
    );
    let whole = cost
        .ablation
        .first()
        .map_or(f64::NAN, |row| row.check.median);
    let _ = writeln!(
        out,
        "| crate | .rs lines | `cargo check` (min–max) | minus the crate as generated |\n|---|---:|---:|---:|"
    );
    for row in &cost.ablation {
        let _ = writeln!(
            out,
            "| {} | {} | {} ({}–{}) | {:+.2} s |",
            row.label,
            row.lines,
            s(row.check.median),
            s(row.check.min),
            s(row.check.max),
            row.check.median - whole
        );
    }
    let find = |prefix: &str| {
        cost.ablation
            .iter()
            .find(|row| row.label.starts_with(prefix))
            .map(|row| row.check.median)
    };
    if let (Some(no_ops), Some(no_docs), Some(runtime)) = (
        find("without the operation modules"),
        find("without doc comments"),
        find("runtime only"),
    ) {
        let _ = writeln!(
            out,
            "\nSo, of {}: the runtime {}, the types {}, the operation modules {}, the doc comments {} (differences of medians).",
            s(whole),
            s(runtime),
            s(no_ops - runtime),
            s(whole - no_ops),
            s(whole - no_docs)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taking_the_operation_modules_away_keeps_types_and_the_runtime() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        let lib = "#![forbid(unsafe_code)]\nmod runtime;\npub use runtime::*;\n#[cfg(feature = \"webhooks\")]\n#[path = \"runtime/webhook.rs\"]\nmod webhook_runtime;\npub mod types;\n#[cfg(\n    any(\n        feature = \"a\",\n        feature = \"b\"\n    )\n)]\npub mod legacy;\n#[cfg(feature = \"videos\")]\npub mod videos;\n";
        std::fs::write(dir.path().join("src/lib.rs"), lib).unwrap();
        remove_operation_modules(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("src/lib.rs")).unwrap(),
            "#![forbid(unsafe_code)]\nmod runtime;\npub use runtime::*;\n#[cfg(feature = \"webhooks\")]\n#[path = \"runtime/webhook.rs\"]\nmod webhook_runtime;\npub mod types;\n"
        );
    }

    #[test]
    fn doc_comments_go_outside_the_runtime_only() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("runtime")).unwrap();
        std::fs::write(
            src.join("lib.rs"),
            "#![doc = include_str!(\"../README.md\")]\n//! Crate.\n/// A.\npub struct A;\n",
        )
        .unwrap();
        std::fs::write(src.join("runtime/mod.rs"), "/// Kept.\npub struct B;\n").unwrap();
        strip_doc_comments(&src).unwrap();
        assert_eq!(
            std::fs::read_to_string(src.join("lib.rs")).unwrap(),
            "pub struct A;\n"
        );
        assert_eq!(
            std::fs::read_to_string(src.join("runtime/mod.rs")).unwrap(),
            "/// Kept.\npub struct B;\n"
        );
    }
}
