//! The whole pipeline in one place: load -> quirks -> normalise -> lint -> merge -> IR -> emit
//! -> format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::ClientConfig;
use crate::error::{Error, Location, Result};
use crate::ir::Api;
use crate::lint::LintFinding;
use crate::load::Document;
use crate::merge::{Merged, SourceDoc};
use crate::quirks::FixOutcome;
use crate::surface::Surface;

/// Where regen reads from.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of OpenAPI documents (and the optional manifest, quirks and client data).
    pub specs: PathBuf,
    /// The hand-written files shipped inside the generated crate.
    pub templates: PathBuf,
    /// The API surface the previous regen wrote: types and methods at the
    /// places it records keep their names ([`crate::naming::NameLock`]).
    pub previous: Option<Surface>,
}

impl Options {
    /// Options for this repository's layout: `specs/` and `templates/` beside `generator/`.
    pub fn for_workspace(specs: impl Into<PathBuf>) -> Self {
        Options {
            specs: specs.into(),
            templates: workspace_root().join("templates"),
            previous: None,
        }
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Time spent per stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub quirks: Duration,
    pub normalise: Duration,
    pub lint: Duration,
    pub merge: Duration,
    pub ir: Duration,
    pub emit: Duration,
    pub format: Duration,
}

/// What regen did, for people.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub documents: Vec<String>,
    pub fixes: Vec<FixOutcome>,
    pub notes: Vec<String>,
    pub operations: usize,
    pub types: usize,
    /// Examples and defaults that do not match their schema (after the fixes), sorted.
    pub lint: Vec<LintFinding>,
    /// How many examples and defaults were checked.
    pub examples_checked: usize,
    pub defaults_checked: usize,
    pub timings: Timings,
}

/// The generated crate in memory.
pub struct Generated {
    /// File contents by path relative to the crate root.
    pub files: BTreeMap<String, String>,
    pub api: Api,
    pub report: Report,
}

/// The stack the pipeline runs on. Its stages walk documents recursively, and
/// [`crate::text::MAX_DEPTH`] levels of nesting need far more than a test
/// thread's 2 MiB in a debug build; the memory is only reserved, and touched
/// only as deep as an input really nests.
pub const STACK_SIZE: usize = 1 << 30;

/// Runs `work` on a thread with a [`STACK_SIZE`] stack; a panic in it goes on
/// in the caller. Where no such thread can be made, `work` runs here.
pub fn with_large_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let slot = std::sync::Mutex::new(Some(work));
    let take = || slot.lock().ok().and_then(|mut work| work.take());
    let ran = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("heygen-codegen".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || take().map(|work| work()));
        match spawned.map(|handle| handle.join()) {
            Ok(Ok(result)) => result,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => None,
        }
    });
    match ran {
        Some(result) => result,
        None => {
            let work = take().expect("no thread took the work, so it is still in its slot");
            work()
        }
    }
}

pub fn generate(options: &Options) -> Result<Generated> {
    with_large_stack(|| {
        let started = Instant::now();
        let documents = crate::load::load_dir(&options.specs)?;
        let load = started.elapsed();
        let mut generated = generate_after_load(documents, options)?;
        generated.report.timings.load = load;
        Ok(generated)
    })
}

/// The pipeline after loading: quirks -> normalise -> lint -> merge -> IR -> emit ->
/// format. The order of `documents` never changes the output (they are sorted by id; two
/// documents with the same id are an error).
pub fn generate_from_documents(documents: Vec<Document>, options: &Options) -> Result<Generated> {
    with_large_stack(|| generate_after_load(documents, options))
}

fn generate_after_load(mut documents: Vec<Document>, options: &Options) -> Result<Generated> {
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(pair) = documents.windows(2).find(|pair| pair[0].id == pair[1].id) {
        return Err(Error::Input(format!(
            "{} and {} both have the document id `{}`",
            pair[0].path.display(),
            pair[1].path.display(),
            pair[0].id
        )));
    }
    let mut timings = Timings::default();
    let started = Instant::now();
    let fixes = match crate::quirks::read(&options.specs)? {
        Some(quirks) => crate::quirks::apply(&quirks, &mut documents)?,
        None => Vec::new(),
    };
    timings.quirks = started.elapsed();

    let started = Instant::now();
    for document in &mut documents {
        crate::normalise::normalise(document)?;
    }
    timings.normalise = started.elapsed();

    let started = Instant::now();
    let lint = crate::lint::lint(&documents);
    timings.lint = started.elapsed();

    let started = Instant::now();
    let mut sources = Vec::new();
    for document in documents {
        sources.push(parse(document)?);
    }
    timings.normalise += started.elapsed();

    let started = Instant::now();
    let merged: Merged = crate::merge::merge(sources)?;
    timings.merge = started.elapsed();

    let started = Instant::now();
    let config = ClientConfig::read(&options.specs)?;
    let lock = options
        .previous
        .as_ref()
        .map(Surface::name_lock)
        .unwrap_or_default();
    let (api, ir_notes) = crate::ir::lower::lower(&merged, &config, &lock)?;
    timings.ir = started.elapsed();

    let started = Instant::now();
    let emitted = crate::emit::emit(&api)?;
    timings.emit = started.elapsed();

    let started = Instant::now();
    let mut files = crate::format::crate_files(&emitted, &options.templates)?;
    crate::format::set_package_version(&mut files, &config.crate_version);
    let surface = Surface::from_api(&api);
    files.insert(crate::surface::FILE_NAME.to_string(), surface.to_json()?);
    timings.format = started.elapsed();

    let mut notes = merged.notes.clone();
    notes.extend(ir_notes);
    let report = Report {
        documents: merged
            .docs
            .iter()
            .map(|d| format!("{} ({})", d.id, d.path.display()))
            .collect(),
        fixes,
        notes,
        operations: api.operations.len(),
        types: api.types.len(),
        lint: lint.findings,
        examples_checked: lint.examples,
        defaults_checked: lint.defaults,
        timings,
    };
    Ok(Generated { files, api, report })
}

/// Parses a normalised document with `openapiv3`; a failure names the file
/// and the deepest pointer found wrong (`normalise::typed::locate`).
fn parse(document: Document) -> Result<SourceDoc> {
    // Deserialising from `&Value` spares a copy of the document; the path-tracking
    // deserialiser (slower) only runs again to locate an error.
    let parsed = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&document.value);
    let api: openapiv3::OpenAPI = parsed
        .or_else(|_| serde_path_to_error::deserialize(&document.value))
        .map_err(|e| {
            let path = crate::normalise::typed::path_segments(e.path());
            let (path, message) =
                crate::normalise::typed::locate(&document.value, path, e.inner().to_string());
            let pointer = crate::text::pointer_from_tokens(&path);
            let line = document.line_of_nearest(&pointer);
            Error::spec(
                Location::new(&document.path, pointer).with_line(line),
                format!("not a valid OpenAPI document after normalisation: {message}"),
            )
        })?;
    Ok(SourceDoc {
        id: document.id,
        path: document.path,
        date: document.date,
        api,
        text: document.text,
        first_line: document.first_line,
    })
}
