//! The contract test: the full generated client against Prism, an
//! independent mock server that validates every request against the spec.
//!
//! [`run`] generates the client from a specs folder, writes it with a
//! program that calls every operation (see [`program`]), builds it, installs
//! Prism if needed, starts it (static, and dynamic with several seeds) and
//! runs three passes:
//!
//! | pass | Prism | what must hold |
//! | --- | --- | --- |
//! | `static` | the spec's examples | no violation for any argument set (minimal, full, every union branch); the response decodes |
//! | `errors` | `Prefer: code=N` for each declared error status | the client returns the typed error with that status and the example's code |
//! | `dynamic` | random responses from the schemas, `--seed` | every response decodes |
//!
//! `cargo xtask contract` and the workspace test `tests/tests/contract.rs` both call [`run`].

pub mod cases;
pub mod prism;
pub mod program;
pub mod values;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{json, Value};

/// A case Prism gets wrong, left out by name with the reason (and a curl
/// reproduction in the reason or beside it). Every exclusion is here.
#[derive(Debug, Clone, Copy)]
pub struct Exclusion {
    /// The spec's operationId.
    pub operation: &'static str,
    /// `static`, `errors`, `dynamic` or `*`.
    pub pass: &'static str,
    /// A case name (`full#1`), an error status (`404`) or a seed (`seed 3`);
    /// `None` for all of them.
    pub detail: Option<&'static str>,
    pub reason: &'static str,
}

/// Cases left out because Prism, not the client, is wrong. Keep each one
/// reproducible with curl against `prism mock <spec>`.
pub const EXCLUSIONS: &[Exclusion] = &[];

/// The passes an exclusion can name (`*` for all of them).
const PASSES: &[&str] = &["static", "errors", "dynamic", "*"];

/// Refuses exclusions that cannot be right: one naming no operation of the
/// client (it excludes nothing: remove it), a pass the test does not have,
/// or no reason.
fn check_exclusions(exclusions: &[Exclusion], planned: &[cases::Planned]) -> Result<(), String> {
    for exclusion in exclusions {
        if !planned
            .iter()
            .any(|p| p.operation_id == exclusion.operation)
        {
            return Err(format!(
                "the exclusion of `{}` names no operation of the client: remove it",
                exclusion.operation
            ));
        }
        if !PASSES.contains(&exclusion.pass) {
            return Err(format!(
                "the exclusion of `{}` names the pass `{}`; passes are {}",
                exclusion.operation,
                exclusion.pass,
                PASSES.join(", ")
            ));
        }
        if exclusion.reason.trim().is_empty() {
            return Err(format!(
                "the exclusion of `{}` gives no reason",
                exclusion.operation
            ));
        }
    }
    Ok(())
}

/// Where the test runs and what it checks.
#[derive(Debug, Clone)]
pub struct Options {
    /// The generator's specs folder (documents, manifest, quirks, client data).
    pub specs: PathBuf,
    /// The document Prism serves.
    pub served: PathBuf,
    /// Seeds of the dynamic pass, one Prism instance each.
    pub seeds: Vec<u64>,
    /// Where Prism is installed (`target/prism`).
    pub prism_dir: PathBuf,
    /// `CARGO_TARGET_DIR` for building the generated crate (`target/e2e`,
    /// shared with the end-to-end test so dependencies build once).
    pub target_dir: PathBuf,
    /// Keep the generated crate and logs (their folder is printed).
    pub keep: bool,
}

impl Options {
    /// The defaults for this workspace: `specs` as given, the served document,
    /// seeds 1 to 3, `target/prism` and `target/e2e`.
    pub fn new(specs: impl Into<PathBuf>, served: impl Into<PathBuf>) -> Options {
        let root = workspace_root();
        Options {
            specs: specs.into(),
            served: served.into(),
            seeds: vec![1, 2, 3],
            prism_dir: root.join("target/prism"),
            target_dir: root.join("target/e2e"),
            keep: false,
        }
    }
}

/// Counts of one pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassCount {
    pub pass: String,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// What a run found.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub passes: Vec<PassCount>,
    /// Operations of the client the served document does not have, with the reason.
    pub not_served: Vec<(String, String)>,
    /// Every line of the program's output that reports a failure.
    pub failures: Vec<String>,
}

impl Summary {
    pub fn passed(&self) -> usize {
        self.passes.iter().map(|p| p.passed).sum()
    }

    pub fn failed(&self) -> usize {
        self.passes.iter().map(|p| p.failed).sum()
    }

    pub fn skipped(&self) -> usize {
        self.passes.iter().map(|p| p.skipped).sum::<usize>() + self.not_served.len()
    }
}

/// The workspace root (the folder holding `contract/`, `generator/`, ...).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("contract/ sits in the workspace")
        .to_path_buf()
}

/// HeyGen's full v3 document, as a file of `specs/`: the one Prism serves.
pub const FULL_SPEC: &str = "external-api.json";

/// The project's `specs/` folder: the inputs of the committed crate (the full
/// v3 document, the docs pages, quirks and client data).
pub fn specs_dir() -> PathBuf {
    workspace_root().join("specs")
}

/// Runs the contract test; prints one line per operation and pass, and the counts.
///
/// `Err` when it could not run at all (the spec does not generate, the
/// crate does not build, Prism does not start); failed checks are counted
/// in the [`Summary`].
pub fn run(options: &Options) -> Result<Summary, String> {
    let started = Instant::now();
    let generated = generator::generate(&generator::Options::for_workspace(&options.specs))
        .map_err(|e| format!("generate the client from {}: {e}", options.specs.display()))?;
    let api = &generated.api;
    let served = generator::load::load_file(&options.served, "served".into())
        .map_err(|e| format!("read the served document: {e}"))?;
    let served_name = options
        .served
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let planned = cases::plan(api, &served.value, &served_name);
    check_exclusions(EXCLUSIONS, &planned)?;
    let operations: Vec<Value> = planned
        .iter()
        .map(|p| {
            let exclusions: Vec<&Exclusion> = EXCLUSIONS
                .iter()
                .filter(|e| e.operation == p.operation_id)
                .collect();
            p.to_json(&exclusions)
        })
        .collect();
    let calls: usize = planned
        .iter()
        .filter_map(|p| p.plan.as_ref().ok())
        .map(|s| s.cases.len())
        .sum();
    println!(
        "contract: {} operations ({} served, {calls} argument sets) from {}",
        planned.len(),
        planned.iter().filter(|p| p.plan.is_ok()).count(),
        options.served.display()
    );

    // The crate and its program.
    let work = tempfile::Builder::new()
        .prefix("heygen-contract-")
        .tempdir()
        .map_err(|e| format!("temp dir: {e}"))?;
    let crate_dir = work.path().join("heygen");
    write_crate(&crate_dir, &generated.files, api, &planned)?;
    let program = build(&crate_dir, &options.target_dir)?;
    println!(
        "contract: built the client and its program in {:.0?}",
        started.elapsed()
    );

    // Prism: one static instance, one dynamic instance per seed, all stopped on drop.
    prism::install(&options.prism_dir)?;
    let spec = options
        .served
        .canonicalize()
        .map_err(|e| format!("{}: {e}", options.served.display()))?;
    let mut modes = vec![prism::Mode::Static];
    for seed in &options.seeds {
        modes.push(prism::Mode::Dynamic {
            seed: *seed,
            extra_properties: false,
        });
    }
    if let Some(seed) = options.seeds.first() {
        // Made-up properties check that the types ignore what they do not know.
        modes.push(prism::Mode::Dynamic {
            seed: *seed,
            extra_properties: true,
        });
    }
    // All start at once (loading the spec takes seconds), all are killed on drop.
    let mut servers = Vec::new();
    for mode in modes {
        servers.push(prism::Prism::spawn(
            &options.prism_dir,
            &spec,
            mode,
            work.path(),
        )?);
    }
    for server in &mut servers {
        server.wait_until_listening()?;
    }
    println!(
        "contract: Prism {} listening ({}) after {:.0?}",
        prism::VERSION,
        servers
            .iter()
            .map(|s| format!("{} {}", s.mode, s.url))
            .collect::<Vec<_>>()
            .join(", "),
        started.elapsed()
    );
    let mut passes = vec!["static", "errors"];
    if !options.seeds.is_empty() {
        passes.push("dynamic");
    }
    let plan = json!({
        "static_url": servers[0].url,
        "dynamic": servers.iter().filter_map(|s| match s.mode {
            prism::Mode::Dynamic { seed, extra_properties } => Some(json!({
                "seed": seed,
                "extra_properties": extra_properties,
                "label": s.mode.to_string(),
                "url": s.url,
            })),
            prism::Mode::Static => None,
        }).collect::<Vec<_>>(),
        "passes": passes,
        "operations": operations,
    });
    let plan_path = work.path().join("plan.json");
    std::fs::write(
        &plan_path,
        serde_json::to_string_pretty(&plan).expect("JSON"),
    )
    .map_err(|e| format!("write {}: {e}", plan_path.display()))?;

    let mut summary = Summary::default();
    for p in &planned {
        if let Err(reason) = &p.plan {
            println!("skip {:<8} {}: {reason}", "all", p.label);
            summary.not_served.push((p.label.clone(), reason.clone()));
        }
    }
    let output = Command::new(&program)
        .arg(&plan_path)
        .output()
        .map_err(|e| format!("run {}: {e}", program.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    for line in stdout.lines() {
        if line.starts_with("FAIL") {
            summary.failures.push(line.to_owned());
        }
        if let Some(count) = parse_count(line) {
            summary.passes.push(count);
        }
    }
    if summary.passes.len() != passes.len() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "the contract program stopped early ({}):\n{stderr}\n\nPrism's log ({}):\n{}",
            output.status,
            servers[0].log.display(),
            servers[0].log_tail()
        ));
    }
    drop(servers);
    println!(
        "contract: {} not served (listed above); Prism stopped; {:.0?}",
        summary.not_served.len(),
        started.elapsed()
    );
    if options.keep {
        let kept = work.keep();
        println!(
            "contract: kept the crate, plan and Prism logs in {}",
            kept.display()
        );
    }
    println!(
        "contract: {} passed, {} failed, {} skipped",
        summary.passed(),
        summary.failed(),
        summary.skipped()
    );
    Ok(summary)
}

/// `static: 3 passed, 1 failed, 0 skipped`.
fn parse_count(line: &str) -> Option<PassCount> {
    let (pass, rest) = line.split_once(": ")?;
    if !matches!(pass, "static" | "errors" | "dynamic") {
        return None;
    }
    let numbers: Vec<usize> = rest
        .split(", ")
        .map(|part| part.split_once(' ').and_then(|(n, _)| n.parse().ok()))
        .collect::<Option<_>>()?;
    match numbers[..] {
        [passed, failed, skipped] => Some(PassCount {
            pass: pass.to_owned(),
            passed,
            failed,
            skipped,
        }),
        _ => None,
    }
}

/// Writes the generated crate, the program as `examples/contract/`, the
/// workspace's lock file and the tokio features the program needs.
fn write_crate(
    dir: &Path,
    files: &std::collections::BTreeMap<String, String>,
    api: &generator::ir::Api,
    planned: &[cases::Planned],
) -> Result<(), String> {
    // The program's own needs.
    let dev = [r#"tokio = { version = "1", features = ["macros", "rt"] }"#];
    let lockfile = workspace_root().join("Cargo.lock");
    generator::write::write_standalone(dir, files, Some(&lockfile), &dev)
        .map_err(|e| format!("write the crate: {e}"))?;
    let io = |what: &str, e: std::io::Error| format!("{what}: {e}");
    let examples = dir.join("examples/contract");
    std::fs::create_dir_all(&examples).map_err(|e| io("create examples/", e))?;
    std::fs::write(examples.join("main.rs"), program::MAIN).map_err(|e| io("write main.rs", e))?;
    std::fs::write(examples.join("calls.rs"), program::calls(api, planned))
        .map_err(|e| io("write calls.rs", e))?;
    Ok(())
}

/// Builds the program; returns the executable.
fn build(crate_dir: &Path, target_dir: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--example",
            "contract",
            "--all-features",
        ])
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .map_err(|e| format!("run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the generated client and its contract program do not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(target_dir.join("debug/examples/contract"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.1.0
info: {title: Fixture, version: "1"}
paths:
  /v3/looks/{look_id}:
    parameters:
      - {name: look_id, in: path, required: true, schema: {type: string}}
    patch:
      operationId: updateLook
      tags: [Avatars]
      parameters:
        - {name: dry_run, in: query, schema: {type: boolean}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {anyOf: [{type: string}, {type: 'null'}]}
                kind: {type: string, enum: [a, b, c]}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {data: {type: object, properties: {id: {type: string}}}}}
        "404":
          description: missing
          content:
            application/json:
              schema: {type: object, properties: {error: {type: object}}}
              example: {error: {code: not_found, message: Look not found.}}
"##;

    fn fixture() -> (generator::Generated, Value) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("spec.yaml"), SPEC).unwrap();
        let generated =
            generator::generate(&generator::Options::for_workspace(dir.path())).unwrap();
        let served = generator::load::load_file(&dir.path().join("spec.yaml"), "spec".into())
            .unwrap()
            .value;
        (generated, served)
    }

    #[test]
    fn every_operation_is_planned_with_its_cases_and_errors() {
        let (generated, served) = fixture();
        let planned = cases::plan(&generated.api, &served, "spec.yaml");
        assert_eq!(planned.len(), generated.api.operations.len());
        let served = planned[0].plan.as_ref().unwrap();
        let names: Vec<&str> = served.cases.iter().map(|c| c.name.as_str()).collect();
        // Minimal and full, a full case per enum value, and the nulls of a PATCH.
        assert_eq!(names, ["minimal", "full", "full#1", "full#2", "nulls"]);
        assert_eq!(
            served.cases[0].args,
            json!({"path": ["contract"], "params": {}, "body": {}})
        );
        assert_eq!(
            served.cases[1].args,
            json!({"path": ["contract"], "params": {"dry_run": true}, "body": {"name": "contract", "kind": "a"}})
        );
        assert_eq!(served.cases[4].args["body"]["name"], Value::Null);
        assert_eq!(served.success, "envelope");
        assert_eq!(served.errors.len(), 1);
        assert_eq!(served.errors[0].status, 404);
        assert_eq!(served.errors[0].code.as_deref(), Some("not_found"));
        assert_eq!(served.errors[0].message.as_deref(), Some("Look not found."));
        assert!(served.problems.is_empty(), "{:?}", served.problems);
    }

    #[test]
    fn operations_the_served_document_lacks_are_not_served() {
        let (generated, _) = fixture();
        let planned = cases::plan(&generated.api, &json!({"paths": {}}), "other.json");
        let reason = planned[0].plan.as_ref().unwrap_err();
        assert!(
            reason.starts_with("not served: other.json has no path /v3/looks/{look_id}"),
            "{reason}"
        );
    }

    #[test]
    fn the_program_calls_every_served_operation_through_the_client() {
        let (generated, served) = fixture();
        let planned = cases::plan(&generated.api, &served, "spec.yaml");
        let calls = program::calls(&generated.api, &planned);
        assert!(calls.contains("0 => op_0(client, case).await,"), "{calls}");
        // Arguments are read as the generated types, named as a user names them.
        assert!(
            calls.contains(
                "let body: heygen::types::UpdateLookRequest = arg(&case[\"body\"], \"body\")?;"
            ),
            "{calls}"
        );
        assert!(
            calls.contains("let call = client.avatars().update_look(look_id, body);"),
            "{calls}"
        );
        // An optional parameter goes through its setter when the case has it.
        assert!(
            calls.contains(
                "let call = match dry_run { Some(value) => call.dry_run(value), None => call };"
            ),
            "{calls}"
        );
        assert!(
            calls.contains("heygen::Request::new(heygen::Method::PATCH, format!(\"/v3/looks/{}\""),
            "{calls}"
        );
        assert!(
            calls.contains(".query(\"dry_run\", &case[\"params\"][\"dry_run\"])"),
            "{calls}"
        );
    }

    #[test]
    fn pass_counts_are_read_from_the_program() {
        assert_eq!(
            parse_count("static: 3 passed, 1 failed, 2 skipped"),
            Some(PassCount {
                pass: "static".into(),
                passed: 3,
                failed: 1,
                skipped: 2
            })
        );
        assert_eq!(parse_count("ok   static   x (1 calls)"), None);
        assert_eq!(parse_count("contract: 3 passed, 1 failed, 2 skipped"), None);
    }

    /// The check `run` makes of `EXCLUSIONS` before anything starts (so a
    /// stale or mistyped exclusion fails the run): an exclusion must name an
    /// operation of the client, a pass of the test, and a reason.
    #[test]
    fn exclusions_are_checked_before_the_run() {
        let (generated, served) = fixture();
        let planned = cases::plan(&generated.api, &served, "spec.yaml");
        let good = Exclusion {
            operation: "updateLook",
            pass: "dynamic",
            detail: Some("seed 3"),
            reason: "Prism answers a string for an integer",
        };
        assert_eq!(check_exclusions(&[good], &planned), Ok(()));

        let unknown = Exclusion {
            operation: "deleteLook",
            ..good
        };
        let error = check_exclusions(&[good, unknown], &planned).unwrap_err();
        assert!(
            error.contains("`deleteLook` names no operation of the client"),
            "{error}"
        );
        let pass = Exclusion {
            pass: "statik",
            ..good
        };
        let error = check_exclusions(&[pass], &planned).unwrap_err();
        assert!(error.contains("names the pass `statik`"), "{error}");
        let reason = Exclusion {
            reason: " ",
            ..good
        };
        let error = check_exclusions(&[reason], &planned).unwrap_err();
        assert!(error.contains("gives no reason"), "{error}");
    }
}
