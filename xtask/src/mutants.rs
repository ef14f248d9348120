//! `cargo xtask mutants`: mutation testing with cargo-mutants, one scope at a
//! time: each mutant (a changed operator, a function body replaced by a
//! default value...) must make some test fail. Not part of CI (a scope takes
//! from minutes to hours on a small machine); run it after changing the code
//! of a scope or its tests, and kill or justify what it reports as missed.
//!
//! The runtime is mutated where the tests use it: in `generated/src/runtime/`,
//! the copies regen writes of `templates/src/runtime/` (each behind a
//! three-line header, so line N there is line N - 3 of the template).

use std::process::{Command, ExitCode};

use generator::pipeline::workspace_root;

/// What to mutate, and which tests judge it.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Scope {
    /// The client runtime (`generated/src/runtime`, from `templates/src/runtime`),
    /// against its unit tests and the tests that run the committed crate
    /// against a mock server (tests/tests/runtime*.rs, client_api.rs, ...).
    Runtime,
    /// The generator's emit stage (`generator/src/emit`), against the
    /// generator's unit tests, the snapshots and the committed crate.
    Emit,
    /// The generator's write stage (`generator/src/write.rs`), against the
    /// generator's unit tests and the regen check.
    Write,
}

impl Scope {
    /// The package mutated and the files of it, as cargo-mutants globs.
    fn files(self) -> (&'static str, &'static str) {
        match self {
            Scope::Runtime => ("heygen", "generated/src/runtime/*.rs"),
            Scope::Emit => ("heygen-codegen", "generator/src/emit/*.rs"),
            Scope::Write => ("heygen-codegen", "generator/src/write.rs"),
        }
    }

    /// `cargo test` arguments: the packages and targets whose tests run for
    /// each mutant. Never the end-to-end, features, changes or contract tests
    /// (minutes each); for the runtime not the regen check either, which
    /// fails on any change of generated/ whatever the runtime does.
    fn tests(self) -> &'static [&'static str] {
        match self {
            // The runtime's unit tests and every test target that drives the
            // committed crate against a mock server: together about 10 s of
            // tests per mutant, where the two runtime targets alone take 1 s
            // but miss what only the client, download, webhook, legacy and
            // pagination tests exercise.
            Scope::Runtime => &[
                "--package=heygen",
                "--package=heygen-codegen-tests",
                "--lib",
                "--test=runtime",
                "--test=runtime_headers",
                "--test=client_api",
                "--test=credentials",
                "--test=download",
                "--test=download_memory",
                "--test=legacy",
                "--test=pagination",
                "--test=user_tasks",
                "--test=webhooks",
            ],
            Scope::Emit => &[
                "--package=heygen-codegen",
                "--package=heygen-codegen-tests",
                "--lib",
                "--test=snapshots",
                "--test=regen",
                "--test=legacy",
                "--test=merge",
            ],
            Scope::Write => &[
                "--package=heygen-codegen",
                "--package=heygen-codegen-tests",
                "--lib",
                "--test=regen",
            ],
        }
    }
}

#[derive(clap::Args)]
pub struct MutantsArgs {
    /// What to mutate.
    #[arg(value_enum)]
    scope: Scope,
    /// Only the scope's files matching this glob (e.g. `generated/src/runtime/retry.rs`).
    #[arg(long)]
    file: Option<String>,
    /// Mutants built and tested at once (each needs its own copy of the
    /// tree; ignored with --in-place).
    #[arg(long, default_value_t = 1)]
    jobs: u32,
    /// Seconds one test run may take before the mutant counts as timed out
    /// (a mutant that loops forever).
    #[arg(long, default_value_t = 180)]
    timeout: u64,
    /// Mutate the working tree instead of a copy: reuses target/, so the
    /// first build is incremental, but the tree must not be edited meanwhile,
    /// and an interrupted run can leave a mutation behind (see `git diff`).
    #[arg(long)]
    in_place: bool,
    /// Only list the mutants.
    #[arg(long)]
    list: bool,
    /// More arguments for cargo-mutants, after `--` (e.g. `-- --re 'delay'`).
    #[arg(last = true)]
    extra: Vec<String>,
}

pub fn run(args: MutantsArgs) -> ExitCode {
    let installed = Command::new("cargo")
        .args(["mutants", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        eprintln!("error: cargo-mutants is not installed; install it with:");
        eprintln!("    cargo install cargo-mutants --locked");
        return ExitCode::FAILURE;
    }
    let root = workspace_root();
    let (package, files) = args.scope.files();
    let mut command = Command::new("cargo");
    command
        .current_dir(&root)
        .arg("mutants")
        .args(["--package", package])
        .args(["--file", args.file.as_deref().unwrap_or(files)])
        .args(["--timeout", &args.timeout.to_string()])
        // A build from a fresh copy compiles every dependency.
        .args(["--build-timeout", "3600"])
        .args(["--output", "target/mutants"])
        // The tests below are the judges, not the mutated package's alone.
        .args(["--test-workspace", "false"]);
    if args.in_place {
        // One tree, so one job.
        command.arg("--in-place");
    } else {
        command.args(["--jobs", &args.jobs.to_string()]);
        // The copies build into one target dir kept between runs, so only
        // the first run compiles the dependencies.
        command.env("CARGO_TARGET_DIR", root.join("target/mutants-build"));
    }
    if args.list {
        command.arg("--list");
    }
    command.args(&args.extra);
    if !args.list {
        command.arg("--").args(args.scope.tests());
    }
    println!(
        "cargo xtask mutants: {:?} ({}); results in target/mutants/mutants.out",
        args.scope,
        args.file.as_deref().unwrap_or(files)
    );
    if matches!(args.scope, Scope::Runtime) {
        println!(
            "note: generated/src/runtime/X.rs line N is templates/src/runtime/X.rs line N - 3"
        );
    }
    match command.status() {
        // 2: some mutants were missed; 3: some timed out (cargo-mutants' codes).
        Ok(status) => ExitCode::from(status.code().unwrap_or(1).clamp(0, 255) as u8),
        Err(error) => {
            eprintln!("error: cargo mutants: {error}");
            ExitCode::FAILURE
        }
    }
}
