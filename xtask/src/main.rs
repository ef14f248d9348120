//! `cargo xtask <command>`: the project's workflows. Thin: parses flags, calls the generator.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

mod bench;
#[cfg(feature = "client-bench")]
mod bench_client;
mod bench_compile;
mod contract;
mod mutants;

#[derive(Parser)]
#[command(name = "xtask", about = "heygen-codegen workflows")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client crate from the OpenAPI documents.
    Regen(RegenArgs),
    /// Download the documents listed in specs/manifest.yaml from their url
    /// (all or nothing), recording `fetched` and `sha256` in the manifest.
    FetchSpecs(FetchArgs),
    /// Measure generation speed, scaling and the generated crate's build cost; write BENCHMARKS.md.
    /// With --client: the generated client's runtime against plain reqwest on a local server.
    Bench(bench::BenchArgs),
    /// Call every operation of the full generated client against the Prism
    /// mock server (static, error and dynamic passes).
    Contract(contract::ContractArgs),
    /// Mutation testing (cargo-mutants) of one scope: the runtime, emit or
    /// write; every mutant must make a test fail. Not part of CI.
    Mutants(mutants::MutantsArgs),
    /// Run the generator on N seeded mutations of specs/: no panic, --out kept
    /// on failure, every error located, a sample of the outputs builds.
    Fuzz(FuzzArgs),
}

#[derive(clap::Args)]
struct FuzzArgs {
    /// How many cases.
    cases: u64,
    /// The seed: the same seed gives the same cases.
    #[arg(long, default_value_t = 14)]
    seed: u64,
    /// The number of the first case (to rerun one case: `fuzz 1 --first N`).
    #[arg(long, default_value_t = 0)]
    first: u64,
    /// How many distinct successful outputs to build with `cargo check`.
    #[arg(long, default_value_t = 10)]
    check: usize,
    /// Folder of the inputs to mutate.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Worker threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Keep the specs of each failing case in target/fuzz.
    #[arg(long)]
    keep: bool,
}

#[derive(clap::Args)]
struct FetchArgs {
    /// Folder holding manifest.yaml and the documents it lists.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Timeout of each request, in seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Also try the entries marked `unverified` (moved or retired pages).
    #[arg(long)]
    include_unverified: bool,
}

/// Which API changes make `regen --fail-on` exit with code 2.
#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    /// Breaking changes.
    Breaking,
    /// Additive or breaking changes.
    Additive,
}

#[derive(clap::Args)]
struct RegenArgs {
    /// Folder of OpenAPI documents (JSON, YAML or docs pages), with optional
    /// manifest.yaml, quirks.yaml and client.yaml.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Where the crate is written.
    #[arg(long, default_value = "generated")]
    out: PathBuf,
    /// Generate in memory and compare with --out; exit 1 listing every difference.
    #[arg(long)]
    check: bool,
    /// Apply the proposed version bump: raise `crate_version` in <specs>/client.yaml
    /// and prepend the dated change report to <out>/CHANGELOG.md.
    #[arg(long, conflicts_with = "check")]
    bump: bool,
    /// Exit with code 2 when the API changes include this kind (after writing,
    /// or after checking with --check).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Fail (exit 1, nothing written) when an example or default does not match its schema.
    #[arg(long)]
    strict: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Regen(args) => regen(args),
        Command::FetchSpecs(args) => fetch_specs(args),
        Command::Bench(args) => bench::run(args),
        Command::Contract(args) => contract::run(args),
        Command::Mutants(args) => mutants::run(args),
        Command::Fuzz(args) => fuzz(args),
    }
}

fn fuzz(args: FuzzArgs) -> ExitCode {
    let started = Instant::now();
    let options = xtask::fuzz::FuzzOptions {
        specs: resolve(&args.specs, "specs"),
        seed: args.seed,
        first: args.first,
        cases: args.cases,
        check: args.check,
        work: generator::pipeline::workspace_root().join("target/fuzz"),
        threads: args.threads,
        keep: args.keep,
    };
    let report = match xtask::fuzz::run(&options) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    for failure in &report.failures {
        eprintln!("FAIL {failure}");
    }
    let mutations: Vec<String> = report
        .mutations
        .iter()
        .map(|(name, count)| format!("{name} {count}"))
        .collect();
    println!("mutations: {}", mutations.join(", "));
    println!(
        "{} cases (seed {}): {} generated, {} rejected with a located error, {} outputs built; {:.0?}",
        report.cases,
        args.seed,
        report.generated,
        report.rejected,
        report.checked,
        started.elapsed()
    );
    println!(
        "{} passed, {} failed",
        report.cases as usize + report.checked - report.failures.len(),
        report.failures.len()
    );
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn fetch_specs(args: FetchArgs) -> ExitCode {
    let specs = resolve(&args.specs, "specs");
    let options = xtask::fetch::FetchOptions {
        specs: specs.clone(),
        timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        today: None,
        include_unverified: args.include_unverified,
    };
    match xtask::fetch::fetch_specs(&options) {
        Ok(report) => {
            for fetched in &report.fetched {
                let state = if fetched.changed {
                    "updated"
                } else {
                    "unchanged"
                };
                println!(
                    "{state:9} {} <- {} ({} bytes, sha256 {})",
                    fetched.file, fetched.url, fetched.bytes, fetched.sha256
                );
            }
            for skipped in &report.skipped {
                println!("skipped   {}: {}", skipped.id, skipped.why);
            }
            if report.manifest_regenerated {
                println!(
                    "note: manifest.yaml was rewritten (its layout could not be edited in place)"
                );
            }
            let changed = report.fetched.iter().filter(|f| f.changed).count();
            println!(
                "fetched {} documents into {} ({changed} changed); run `cargo xtask regen` to see what changed for users",
                report.fetched.len(),
                specs.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("fetch-specs failed; {} was left as it was", specs.display());
            ExitCode::FAILURE
        }
    }
}

/// Relative defaults are relative to the workspace root, so `cargo xtask` works from any folder.
fn resolve(path: &Path, default: &str) -> PathBuf {
    if path == Path::new(default) {
        generator::pipeline::workspace_root().join(default)
    } else {
        path.to_path_buf()
    }
}

fn regen(args: RegenArgs) -> ExitCode {
    let started = Instant::now();
    let specs = resolve(&args.specs, "specs");
    let out = resolve(&args.out, "generated");
    let previous = xtask::update::read_previous(&out);
    let mut options = generator::Options::for_workspace(&specs);
    options.previous = previous.clone().ok().flatten();
    let generated = match generator::generate(&options) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("regen failed; {} was left as it was", out.display());
            return ExitCode::FAILURE;
        }
    };
    print_report(&generated.report);
    if args.strict && !generated.report.lint.is_empty() {
        let (examples, defaults) = generated.report.lint_counts();
        eprintln!(
            "error: {examples} examples and {defaults} defaults do not match their schemas (--strict)"
        );
        eprintln!("regen failed; {} was left as it was", out.display());
        return ExitCode::FAILURE;
    }
    let version = match xtask::update::crate_version(&specs) {
        Ok(version) => version,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let changes = xtask::update::compare(&out, &previous, &generated);
    print!("{}", changes.render(&version));
    let fail = match (args.fail_on, changes.report()) {
        (Some(FailOn::Breaking), Some(report)) => {
            report.has_at_least(generator::changes::Severity::Breaking)
        }
        (Some(FailOn::Additive), Some(report)) => {
            report.has_at_least(generator::changes::Severity::Additive)
        }
        _ => false,
    };
    let fail_code = || {
        eprintln!(
            "the API changes include {} changes (--fail-on)",
            if matches!(args.fail_on, Some(FailOn::Breaking)) {
                "breaking"
            } else {
                "additive or breaking"
            }
        );
        ExitCode::from(2)
    };
    if args.check {
        return match generator::write::check(&out, &generated.files) {
            Ok(differences) if differences.is_empty() => {
                println!(
                    "{} is up to date ({} files, {:.0?})",
                    out.display(),
                    generated.files.len(),
                    started.elapsed()
                );
                if fail {
                    return fail_code();
                }
                ExitCode::SUCCESS
            }
            Ok(differences) => {
                eprintln!("{} is out of date; run `cargo xtask regen`:", out.display());
                for difference in differences {
                    eprintln!("  {difference}");
                }
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let mut generated = generated;
    if args.bump {
        let report = changes.report().cloned().unwrap_or_default();
        let today = generator::manifest::today_utc();
        match xtask::update::bump(&options, &out, &report, &today) {
            Ok(Some(bumped)) => {
                println!(
                    "bumped crate_version {} -> {} in {}; CHANGELOG.md has the report",
                    bumped.from,
                    bumped.to,
                    specs.join(generator::config::FILE_NAME).display()
                );
                generated = bumped.generated;
            }
            Ok(None) => println!("no API changes: crate_version stays {version}"),
            Err(error) => {
                eprintln!("error: {error}");
                eprintln!("regen failed; {} was left as it was", out.display());
                return ExitCode::FAILURE;
            }
        }
    }
    if let Err(error) = generator::write::write_all(&out, &generated.files) {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} files to {} in {:.0?}",
        generated.files.len(),
        out.display(),
        started.elapsed()
    );
    if fail {
        return fail_code();
    }
    ExitCode::SUCCESS
}

fn print_report(report: &generator::Report) {
    for line in report.lines() {
        println!("{line}");
    }
}
