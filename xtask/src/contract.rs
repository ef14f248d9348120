//! `cargo xtask contract`: the generated client against the Prism mock server
//! (see the `heygen-contract` crate).

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ContractArgs {
    /// Specs folder to generate the client from. Default: the full spec in
    /// ../shared/specs/heygen/ plus the seed documents, quirks and client
    /// data of specs/.
    #[arg(long)]
    specs: Option<PathBuf>,
    /// The document Prism serves. Default: ../shared/specs/heygen/external-api.2026-04-08.json.
    #[arg(long)]
    serve: Option<PathBuf>,
    /// Seeds of the dynamic pass: one Prism instance each (comma-separated).
    #[arg(long, value_delimiter = ',', default_values_t = [1u64, 2, 3])]
    seeds: Vec<u64>,
    /// Keep the generated crate, the plan and Prism's logs (the folder is printed).
    #[arg(long)]
    keep: bool,
}

pub fn run(args: ContractArgs) -> ExitCode {
    let shared = contract::shared_specs();
    let served = match (args.serve, &shared) {
        (Some(served), _) => served,
        (None, Some(shared)) => shared.join(contract::FULL_SPEC),
        (None, None) => {
            eprintln!(
                "error: no --serve given and ../shared/specs/heygen/{} is not beside the checkout",
                contract::FULL_SPEC
            );
            return ExitCode::FAILURE;
        }
    };
    // Kept alive until the run ends: the default specs folder is a temp dir.
    let (specs, _temp) = match (args.specs, &shared) {
        (Some(specs), _) => (specs, None),
        (None, Some(shared)) => match contract::full_specs_dir(shared) {
            Ok(dir) => (dir.path().to_path_buf(), Some(dir)),
            Err(error) => {
                eprintln!("error: cannot build the full specs folder: {error}");
                return ExitCode::FAILURE;
            }
        },
        (None, None) => {
            eprintln!(
                "error: no --specs given and ../shared/specs/heygen/{} is not beside the checkout",
                contract::FULL_SPEC
            );
            return ExitCode::FAILURE;
        }
    };
    let mut options = contract::Options::new(specs, served);
    options.seeds = args.seeds;
    options.keep = args.keep;
    match contract::run(&options) {
        Ok(summary) if summary.failed() == 0 => ExitCode::SUCCESS,
        Ok(summary) => {
            eprintln!("contract: {} checks failed:", summary.failed());
            for failure in &summary.failures {
                eprintln!("  {failure}");
            }
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
