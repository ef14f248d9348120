//! The whole pipeline in one place: load -> quirks -> normalise -> merge -> IR -> emit -> format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::ClientConfig;
use crate::error::{Error, Location, Result};
use crate::ir::Api;
use crate::load::Document;
use crate::merge::{Merged, SourceDoc};
use crate::quirks::FixOutcome;

/// Where regen reads from.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of OpenAPI documents (and the optional manifest, quirks and client data).
    pub specs: PathBuf,
    /// The hand-written files shipped inside the generated crate.
    pub templates: PathBuf,
}

impl Options {
    /// Options for this repository's layout: `specs/` and `templates/` beside `generator/`.
    pub fn for_workspace(specs: impl Into<PathBuf>) -> Self {
        Options {
            specs: specs.into(),
            templates: workspace_root().join("templates"),
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
    pub timings: Timings,
}

/// The generated crate in memory.
pub struct Generated {
    /// File contents by path relative to the crate root.
    pub files: BTreeMap<String, String>,
    pub api: Api,
    pub report: Report,
}

pub fn generate(options: &Options) -> Result<Generated> {
    let mut timings = Timings::default();
    let started = Instant::now();
    let mut documents = crate::load::load_dir(&options.specs)?;
    timings.load = started.elapsed();

    let started = Instant::now();
    let fixes = match crate::quirks::read(&options.specs)? {
        Some(quirks) => crate::quirks::apply(&quirks, &mut documents)?,
        None => Vec::new(),
    };
    timings.quirks = started.elapsed();

    let started = Instant::now();
    let mut sources = Vec::new();
    for mut document in documents {
        crate::normalise::normalise(&mut document)?;
        sources.push(parse(document)?);
    }
    timings.normalise = started.elapsed();

    let started = Instant::now();
    let merged: Merged = crate::merge::merge(sources)?;
    timings.merge = started.elapsed();

    let started = Instant::now();
    let config = ClientConfig::read(&options.specs)?;
    let (api, ir_notes) = crate::ir::lower::lower(&merged, &config)?;
    timings.ir = started.elapsed();

    let started = Instant::now();
    let emitted = crate::emit::emit(&api)?;
    timings.emit = started.elapsed();

    let started = Instant::now();
    let mut files = crate::format::crate_files(&emitted, &options.templates)?;
    crate::format::set_package_version(&mut files, &config.crate_version);
    let surface = crate::surface::Surface::from_api(&api);
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
        timings,
    };
    Ok(Generated { files, api, report })
}

/// Parses a normalised document with `openapiv3`; a failure names the file and pointer.
fn parse(document: Document) -> Result<SourceDoc> {
    let deserializer = document.value.clone();
    let api: openapiv3::OpenAPI = serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let line = document.line_of(&pointer);
        Error::spec(
            Location::new(&document.path, pointer).with_line(line),
            format!(
                "not a valid OpenAPI document after normalisation: {}",
                e.inner()
            ),
        )
    })?;
    Ok(SourceDoc {
        id: document.id,
        path: document.path,
        date: document.date,
        api,
    })
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push_str(&format!("/{}", crate::merge::pointer_escape(key)))
            }
            Segment::Enum { variant } => pointer.push_str(&format!("/{variant}")),
            Segment::Unknown => {}
        }
    }
    pointer
}
