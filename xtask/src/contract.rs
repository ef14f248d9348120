//! `cargo xtask contract`: the generated client against the Prism mock server
//! (see the `heygen-contract` crate).

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ContractArgs {
    /// Specs folder to generate the client from. Default: specs/.
    #[arg(long)]
    specs: Option<PathBuf>,
    /// The document Prism serves. Default: specs/external-api.json.
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
    let specs = args.specs.unwrap_or_else(contract::specs_dir);
    let served = args
        .serve
        .unwrap_or_else(|| contract::specs_dir().join(contract::FULL_SPEC));
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
