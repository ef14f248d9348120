//! `cargo xtask <command>`: the project's workflows. Thin: parses flags, calls the generator.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Regen(args) => regen(args),
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
    let options = generator::Options::for_workspace(&specs);
    let generated = match generator::generate(&options) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("regen failed; {} was left as it was", out.display());
            return ExitCode::FAILURE;
        }
    };
    print_report(&generated.report);
    if args.check {
        return match generator::write::check(&out, &generated.files) {
            Ok(differences) if differences.is_empty() => {
                println!("{} is up to date ({} files, {:.0?})", out.display(), generated.files.len(), started.elapsed());
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
    if let Err(error) = generator::write::write_all(&out, &generated.files) {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!("wrote {} files to {} in {:.0?}", generated.files.len(), out.display(), started.elapsed());
    ExitCode::SUCCESS
}

fn print_report(report: &generator::Report) {
    println!(
        "read {} documents: {} operations, {} types",
        report.documents.len(),
        report.operations,
        report.types
    );
    for document in &report.documents {
        println!("  document {document}");
    }
    for fix in &report.fixes {
        println!("  fix {fix}");
    }
    for note in &report.notes {
        println!("  note: {note}");
    }
}
