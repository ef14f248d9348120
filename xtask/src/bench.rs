//! `cargo xtask bench`: how fast the generator is, how it scales, and what the
//! generated crate costs to compile. Prints the tables and writes them to
//! `BENCHMARKS.md` (between the `bench:begin`/`bench:end` markers; the text
//! around them is kept).
//!
//! `cargo xtask` runs a debug build; `bench` re-runs itself as
//! `cargo run --release -p xtask -- bench ...` so that the generator is measured
//! as it ships. Timings on a shared machine are noisy: every generation figure
//! is also given as a ratio to a baseline measured in the same loop, run by run
//! (a bare serde parse of the same input files), which survives load far better
//! than seconds do. Timings live here, never in `#[test]`s.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Map, Value};

/// HeyGen's full v3 document, a file of the specs folder (`--specs`, default `specs/`).
pub(crate) const FULL_SPEC: &str = contract::FULL_SPEC;
const BEGIN: &str =
    "<!-- bench:begin (written by `cargo xtask bench`; edit outside the markers) -->";
const END: &str = "<!-- bench:end -->";

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Timed runs of the full-spec generation (median and spread of these).
    #[arg(long, default_value_t = 15)]
    runs: usize,
    /// Specs folder holding external-api.json, the docs pages, quirks and client data (default specs/).
    #[arg(long)]
    pub(crate) specs: Option<PathBuf>,
    /// Replication factors of the scaling benchmark.
    #[arg(long, value_delimiter = ',', default_value = "1,4,16")]
    scale: Vec<usize>,
    /// Skip compiling the generated crate (the slow part: a clean build of its dependencies).
    #[arg(long)]
    skip_crate: bool,
    /// The tag feature of the single-tag build.
    #[arg(long, default_value = "videos")]
    tag: String,
    /// Also `cargo check` the generated crate with every feature alone.
    #[arg(long)]
    feature_loop: bool,
    /// Replication factors of the compile-cost scaling (the generated crate
    /// of the April spec k times over, `cargo check`ed).
    #[arg(long, value_delimiter = ',', default_value = "1,2,4")]
    compile_scale: Vec<usize>,
    /// Rounds of the compile-cost measurements (each crate checked once per round).
    #[arg(long, default_value_t = 5)]
    compile_rounds: usize,
    /// Also check this crate (e.g. `generated/` of an older commit, checked
    /// out with `git worktree add`) in the compile-cost rounds.
    #[arg(long)]
    compare_crate: Option<PathBuf>,
    /// Where the tables are written; `-` writes nothing.
    #[arg(long, default_value = "BENCHMARKS.md")]
    pub(crate) out: PathBuf,
    /// Measure in this binary even when it is a debug build.
    #[arg(long)]
    allow_debug: bool,
    /// Internal: generate once from this specs folder and print the process's peak RSS.
    #[arg(long, hide = true)]
    child: Option<PathBuf>,
    /// Instead of the generator: the generated client's runtime against plain
    /// reqwest + serde_json on a local server (see xtask/src/bench_client.rs);
    /// writes its own section of BENCHMARKS.md.
    #[arg(long)]
    pub(crate) client: bool,
    /// --client: interleaved rounds per call and concurrency.
    #[arg(long, default_value_t = 15)]
    pub(crate) client_rounds: usize,
    /// --client: the length of one side of a round (its request count is fixed
    /// from this by a calibration run).
    #[arg(long, default_value_t = 250)]
    pub(crate) client_batch_ms: u64,
    /// --client: requests in flight at once for the memory figures.
    #[arg(long, default_value_t = 64)]
    pub(crate) client_in_flight: usize,
    /// --client: only this call (`video`: the small GET, `page`: the list page),
    /// e.g. under a profiler.
    #[arg(long, value_parser = ["video", "page"])]
    pub(crate) client_only: Option<String>,
    /// --client: also measure variants that take the runtime apart (timeouts
    /// off, raw bytes, path-tracking decode), to see where its time goes.
    #[arg(long)]
    pub(crate) ablation: bool,
}

// ----- heap accounting ----------------------------------------------------------------------

/// The xtask's allocator: the system allocator, counting bytes while [`COUNTING`] is on.
/// Off (one relaxed load per call) everywhere but the memory runs of the benchmark.
pub struct CountingAlloc;

#[global_allocator]
static ALLOCATOR: CountingAlloc = CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on threads whose allocations are never counted (the client benchmark's
    /// local server). Const-initialised and without a destructor: reading it
    /// allocates nothing, so the allocator may.
    static UNCOUNTED: Cell<bool> = const { Cell::new(false) };
}

fn counting() -> bool {
    COUNTING.load(Relaxed) && !UNCOUNTED.try_with(Cell::get).unwrap_or(false)
}

fn grew(bytes: usize) {
    if counting() {
        let now = CURRENT.fetch_add(bytes as isize, Relaxed) + bytes as isize;
        PEAK.fetch_max(now, Relaxed);
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED.fetch_add(bytes, Relaxed);
    }
}

fn shrank(bytes: usize) {
    if counting() {
        CURRENT.fetch_sub(bytes as isize, Relaxed);
    }
}

// SAFETY: every call forwards to `System` unchanged; the counters have no effect on memory.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        new
    }
}

/// Heap use of one measured stretch: the peak growth over the heap at its start,
/// the number of allocations and the bytes they asked for.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Heap {
    pub(crate) peak: usize,
    pub(crate) allocations: usize,
    #[cfg_attr(not(feature = "client-bench"), allow(dead_code))]
    pub(crate) allocated: usize,
}

/// Starts counting from zero (every thread but the [`uncounted`](uncount_this_thread) ones).
pub(crate) fn start_counting() {
    CURRENT.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    ALLOCATIONS.store(0, Relaxed);
    ALLOCATED.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
}

/// Stops counting; what was counted since [`start_counting`].
pub(crate) fn stop_counting() -> Heap {
    COUNTING.store(false, Relaxed);
    Heap {
        peak: PEAK.load(Relaxed).max(0) as usize,
        allocations: ALLOCATIONS.load(Relaxed),
        allocated: ALLOCATED.load(Relaxed),
    }
}

/// Bytes allocated and not yet freed since [`start_counting`], now.
#[cfg_attr(not(feature = "client-bench"), allow(dead_code))]
pub(crate) fn live_bytes() -> isize {
    CURRENT.load(Relaxed)
}

/// The allocations of the calling thread are never counted from now on.
#[cfg_attr(not(feature = "client-bench"), allow(dead_code))]
pub(crate) fn uncount_this_thread() {
    UNCOUNTED.with(|uncounted| uncounted.set(true));
}

fn measure_heap<T>(f: impl FnOnce() -> T) -> (T, Heap) {
    start_counting();
    let out = f();
    (out, stop_counting())
}

/// This process's peak resident set (`VmHWM`), in bytes.
fn peak_rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

// ----- statistics ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Stats {
    pub(crate) median: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) q1: f64,
    pub(crate) q3: f64,
    n: usize,
}

pub(crate) fn stats(samples: &[f64]) -> Stats {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| {
        if sorted.is_empty() {
            return 0.0;
        }
        let position = q * (sorted.len() - 1) as f64;
        let (low, high) = (position.floor() as usize, position.ceil() as usize);
        sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
    };
    Stats {
        median: at(0.5),
        min: sorted.first().copied().unwrap_or(0.0),
        max: sorted.last().copied().unwrap_or(0.0),
        q1: at(0.25),
        q3: at(0.75),
        n: sorted.len(),
    }
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

fn ms(seconds: f64) -> String {
    if seconds < 0.01 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.1} ms", seconds * 1e3)
    }
}

pub(crate) fn s(seconds: f64) -> String {
    format!("{seconds:.2} s")
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn kb(bytes: f64) -> String {
    format!("{:.1} kB", bytes / 1e3)
}

// ----- entry point --------------------------------------------------------------------------

pub fn run(args: BenchArgs) -> ExitCode {
    if let Some(specs) = &args.child {
        return child(specs);
    }
    // The client benchmark needs the `client-bench` feature (the generated
    // crate, reqwest and tokio), which a plain `cargo xtask` build leaves out.
    let needs_feature = args.client && !cfg!(feature = "client-bench");
    if needs_feature || (cfg!(debug_assertions) && !args.allow_debug) {
        return rerun_in_release(args.client);
    }
    let result = if args.client {
        client_bench(&args)
    } else {
        bench(&args)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| "cargo".into())
}

#[cfg(feature = "client-bench")]
fn client_bench(args: &BenchArgs) -> Result<(), String> {
    crate::bench_client::run(args)
}

#[cfg(not(feature = "client-bench"))]
fn client_bench(_: &BenchArgs) -> Result<(), String> {
    Err("this xtask was built without the `client-bench` feature".into())
}

/// `cargo run --release -p xtask [--features client-bench] -- bench <the same flags>`.
fn rerun_in_release(client: bool) -> ExitCode {
    let forwarded: Vec<String> = std::env::args().skip(1).collect();
    let features: &[&str] = if client {
        &["--features", "client-bench"]
    } else {
        &[]
    };
    eprintln!(
        "bench: building and running xtask in release (cargo run --release -p xtask {}-- {})",
        features.iter().map(|f| format!("{f} ")).collect::<String>(),
        forwarded.join(" ")
    );
    let status = Command::new(cargo_bin())
        .args(["run", "--release", "--quiet", "--package", "xtask"])
        .args(features)
        .arg("--")
        .args(&forwarded)
        .current_dir(generator::pipeline::workspace_root())
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: cannot run cargo: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The child of a memory run: one generation and write, then the peak RSS on stdout.
fn child(specs: &Path) -> ExitCode {
    if specs != Path::new("-") {
        let Ok(out) = tempfile::tempdir() else {
            return ExitCode::FAILURE;
        };
        if let Err(error) = generate_once(specs, &out.path().join("heygen")) {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    }
    match peak_rss() {
        Some(bytes) => {
            println!("{bytes}");
            ExitCode::SUCCESS
        }
        None => ExitCode::FAILURE,
    }
}

/// Peak RSS of a fresh process generating from `specs` (`-`: a process doing nothing).
fn child_rss(specs: &Path) -> Result<usize, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe)
        .args(["bench", "--child"])
        .arg(specs)
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "memory child failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|_| "memory child printed no number (is /proc mounted?)".to_string())
}

// ----- one generation -----------------------------------------------------------------------

const STAGES: [&str; 10] = [
    "load",
    "quirks",
    "normalise (+ openapiv3 parse)",
    "lint",
    "merge",
    "IR",
    "emit",
    "format",
    "write",
    "unattributed (wall - stages)",
];

struct GenRun {
    stages: [f64; STAGES.len()],
    total: f64,
    operations: usize,
    types: usize,
    files: usize,
}

/// `generator::generate` and `write::write_all`, timed by stage; `total` is wall time of both.
fn generate_once(specs: &Path, out: &Path) -> Result<GenRun, String> {
    let started = Instant::now();
    let generated = generator::generate(&generator::Options::for_workspace(specs))
        .map_err(|e| format!("generate from {}: {e}", specs.display()))?;
    let writing = Instant::now();
    generator::write::write_all(out, &generated.files).map_err(|e| e.to_string())?;
    let write = secs(writing.elapsed());
    let total = secs(started.elapsed());
    let t = &generated.report.timings;
    let mut stages = [
        secs(t.load),
        secs(t.quirks),
        secs(t.normalise),
        secs(t.lint),
        secs(t.merge),
        secs(t.ir),
        secs(t.emit),
        secs(t.format),
        write,
        0.0,
    ];
    stages[STAGES.len() - 1] = (total - stages.iter().sum::<f64>()).max(0.0);
    Ok(GenRun {
        stages,
        total,
        operations: generated.report.operations,
        types: generated.report.types,
        files: generated.files.len(),
    })
}

// ----- the baseline: a bare parse of the same files -----------------------------------------

/// Every input file the generator reads from `specs` (documents and data files).
fn input_files(specs: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(specs)
        .map_err(|e| format!("{}: {e}", specs.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| ["json", "yaml", "yml", "md", "txt"].contains(&e))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Reads and parses every file into a `serde_json::Value`: serde_json for JSON,
/// serde_yaml for YAML, and for docs pages the fenced json/yaml blocks.
fn bare_parse(files: &[PathBuf]) -> Result<f64, String> {
    let started = Instant::now();
    for path in files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let value = match extension {
            "json" => parse_json(&text)?,
            "yaml" | "yml" => parse_yaml(&text)?,
            _ => parse_page(&text)?,
        };
        std::hint::black_box(value);
    }
    Ok(secs(started.elapsed()))
}

fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

fn parse_yaml(text: &str) -> Result<Value, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

/// The blocks of a docs page fenced as json or yaml, parsed until one is an OpenAPI document.
fn parse_page(text: &str) -> Result<Value, String> {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let fence = line.trim_start();
        let ticks = fence.len() - fence.trim_start_matches('`').len();
        if ticks < 3 {
            continue;
        }
        let lang = fence[ticks..].trim().to_ascii_lowercase();
        let mut block = String::new();
        for line in lines.by_ref() {
            let trimmed = line.trim_start();
            if trimmed.starts_with(&"`".repeat(ticks)) && trimmed.trim_matches('`').is_empty() {
                break;
            }
            block.push_str(line);
            block.push('\n');
        }
        let value = match lang.as_str() {
            "json" => parse_json(&block),
            "yaml" | "yml" => parse_yaml(&block),
            _ => continue,
        };
        if let Ok(value) = value {
            if value.get("openapi").is_some() {
                return Ok(value);
            }
        }
    }
    Ok(Value::Null)
}

// ----- inputs -------------------------------------------------------------------------------

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const SCHEMAS: &str = "#/components/schemas/";

/// The spec `k` times over: replica `i` renames every component schema `X` to `XK{i}`
/// (and every `$ref`/mapping to it), prefixes every path with `/k{i}` and suffixes every
/// operationId with `_k{i}`. Tags are kept, so the groups stay the same.
pub(crate) fn replicate(spec: &Value, k: usize) -> Value {
    let empty = Map::new();
    let schemas = spec["components"]["schemas"].as_object().unwrap_or(&empty);
    let paths = spec["paths"].as_object().unwrap_or(&empty);
    let mut new_schemas = Map::new();
    let mut new_paths = Map::new();
    for i in 0..k {
        let suffix = format!("K{i}");
        for (name, schema) in schemas {
            new_schemas.insert(format!("{name}{suffix}"), renamed(schema, &suffix));
        }
        for (path, item) in paths {
            let mut item = renamed(item, &suffix);
            if let Some(item) = item.as_object_mut() {
                for (method, op) in item.iter_mut() {
                    if !METHODS.contains(&method.as_str()) {
                        continue;
                    }
                    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                        op["operationId"] = Value::String(format!("{id}_k{i}"));
                    }
                }
            }
            new_paths.insert(format!("/k{i}{path}"), item);
        }
    }
    let mut out = spec.clone();
    out["components"]["schemas"] = Value::Object(new_schemas);
    out["paths"] = Value::Object(new_paths);
    out
}

/// `value` with every reference to a component schema pointing at the renamed schema.
fn renamed(value: &Value, suffix: &str) -> Value {
    match value {
        Value::String(text) => match text.strip_prefix(SCHEMAS) {
            Some(rest) => {
                let (name, tail) = rest
                    .split_once('/')
                    .map_or((rest, String::new()), |(n, t)| (n, format!("/{t}")));
                Value::String(format!("{SCHEMAS}{name}{suffix}{tail}"))
            }
            None => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(|v| renamed(v, suffix)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), renamed(v, suffix)))
                .collect(),
        ),
        other => other.clone(),
    }
}

// ----- measurements -------------------------------------------------------------------------

struct Generation {
    /// Per stage, then total, then the baseline, then the per-run ratio total / baseline.
    stages: Vec<Stats>,
    total: Stats,
    baseline: Stats,
    ratio: Stats,
    heap: Heap,
    rss: Option<usize>,
    idle_rss: Option<usize>,
    operations: usize,
    types: usize,
    files: usize,
    input_bytes: u64,
    input_files: usize,
    /// `write_all` over an existing, identical crate (what `cargo xtask regen` does).
    rewrite: Option<Stats>,
}

/// Timed generations of one specs folder, each followed by a bare parse of the same
/// files (interleaved so that both see the same machine load).
struct Sampler {
    specs: PathBuf,
    files: Vec<PathBuf>,
    input_bytes: u64,
    out: tempfile::TempDir,
    run_number: usize,
    stages: Vec<Vec<f64>>,
    totals: Vec<f64>,
    baselines: Vec<f64>,
    ratios: Vec<f64>,
    last: Option<GenRun>,
}

impl Sampler {
    /// A sampler for `specs`, after 2 untimed warm-up runs.
    fn new(specs: &Path) -> Result<Sampler, String> {
        let files = input_files(specs)?;
        let input_bytes = files
            .iter()
            .filter_map(|f| f.metadata().ok())
            .map(|m| m.len())
            .sum();
        let mut sampler = Sampler {
            specs: specs.to_path_buf(),
            files,
            input_bytes,
            out: tempfile::tempdir().map_err(|e| e.to_string())?,
            run_number: 0,
            stages: vec![Vec::new(); STAGES.len()],
            totals: Vec::new(),
            baselines: Vec::new(),
            ratios: Vec::new(),
            last: None,
        };
        for _ in 0..2 {
            let dir = sampler.fresh_dir();
            generate_once(specs, &dir)?;
            bare_parse(&sampler.files)?;
        }
        Ok(sampler)
    }

    /// Every run writes a new crate dir; the previous one is removed outside the timing.
    fn fresh_dir(&mut self) -> PathBuf {
        let previous = self.out.path().join(format!("heygen-{}", self.run_number));
        let _ = std::fs::remove_dir_all(previous);
        self.run_number += 1;
        self.out.path().join(format!("heygen-{}", self.run_number))
    }

    /// One timed generation and one timed bare parse; returns the generation's wall time.
    fn sample(&mut self) -> Result<f64, String> {
        let dir = self.fresh_dir();
        let run = generate_once(&self.specs, &dir)?;
        let baseline = bare_parse(&self.files)?;
        for (samples, value) in self.stages.iter_mut().zip(run.stages) {
            samples.push(value);
        }
        self.totals.push(run.total);
        self.baselines.push(baseline);
        self.ratios.push(run.total / baseline);
        let total = run.total;
        self.last = Some(run);
        Ok(total)
    }

    /// The statistics, plus one run counting the heap and (with `rss`) child processes
    /// measuring the peak RSS.
    fn finish(mut self, rss: bool) -> Result<Generation, String> {
        let dir = self.fresh_dir();
        let (result, heap) = measure_heap(|| generate_once(&self.specs, &dir));
        result?;
        let (rss, idle_rss) = if rss {
            let mut samples = Vec::new();
            for _ in 0..3 {
                samples.push(child_rss(&self.specs)?);
            }
            samples.sort();
            (Some(samples[1]), Some(child_rss(Path::new("-"))?))
        } else {
            (None, None)
        };
        let last = self.last.ok_or("no runs")?;
        Ok(Generation {
            stages: self.stages.iter().map(|s| stats(s)).collect(),
            total: stats(&self.totals),
            baseline: stats(&self.baselines),
            ratio: stats(&self.ratios),
            heap,
            rss,
            idle_rss,
            operations: last.operations,
            types: last.types,
            files: last.files,
            input_bytes: self.input_bytes,
            input_files: self.files.len(),
            rewrite: None,
        })
    }
}

/// `runs` timed generations of `specs` (after 2 warm-up runs), then the memory runs.
fn measure_generation(specs: &Path, runs: usize, rss: bool) -> Result<Generation, String> {
    let mut sampler = Sampler::new(specs)?;
    for _ in 0..runs {
        sampler.sample()?;
    }
    sampler.finish(rss)
}

/// `write::write_all` over an existing crate with the same files, `runs` times.
fn measure_rewrite(specs: &Path, runs: usize) -> Result<Stats, String> {
    let generated = generator::generate(&generator::Options::for_workspace(specs))
        .map_err(|e| e.to_string())?;
    let out = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = out.path().join("heygen");
    generator::write::write_all(&dir, &generated.files).map_err(|e| e.to_string())?;
    let mut samples = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        generator::write::write_all(&dir, &generated.files).map_err(|e| e.to_string())?;
        samples.push(secs(started.elapsed()));
    }
    Ok(stats(&samples))
}

struct Scale {
    k: usize,
    generation: Generation,
    /// Per round: this k's generation time over the first factor's.
    growth: Stats,
}

/// Every factor's synthetic spec, generated round-robin (`runs` rounds: one run of each k
/// per round), so that every k sees the same machine load; the growth of k over the first
/// factor is taken round by round.
fn measure_scaling(specs: &Path, factors: &[usize], runs: usize) -> Result<Vec<Scale>, String> {
    let text = std::fs::read_to_string(specs.join(FULL_SPEC)).map_err(|e| e.to_string())?;
    let spec: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let mut dirs = Vec::new();
    let mut samplers = Vec::new();
    for &k in factors {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let synthetic = replicate(&spec, k);
        let json = serde_json::to_string_pretty(&synthetic).map_err(|e| e.to_string())?;
        std::fs::write(dir.path().join("synthetic.json"), json).map_err(|e| e.to_string())?;
        samplers.push(Sampler::new(dir.path())?);
        dirs.push(dir);
    }
    eprintln!("bench: scaling k={factors:?} ({runs} rounds)");
    let mut growth = vec![Vec::new(); factors.len()];
    for _ in 0..runs {
        let mut first = None;
        for (index, sampler) in samplers.iter_mut().enumerate() {
            let total = sampler.sample()?;
            let first = *first.get_or_insert(total);
            growth[index].push(total / first);
        }
    }
    let mut out = Vec::new();
    for ((&k, sampler), growth) in factors.iter().zip(samplers).zip(growth) {
        out.push(Scale {
            k,
            generation: sampler.finish(true)?,
            growth: stats(&growth),
        });
    }
    drop(dirs);
    Ok(out)
}

struct CrateCost {
    rs_lines: usize,
    runtime_lines: usize,
    lock_packages: usize,
    /// Packages `cargo tree` lists for this platform (normal and build dependencies).
    built_packages: usize,
    /// Names in Cargo.lock that this platform does not build.
    lock_only: Vec<String>,
    features: Vec<String>,
    clean_build: f64,
    slowest_units: Vec<(String, f64)>,
    check_all: Stats,
    build_all: Stats,
    check_tag: Stats,
    build_tag: Stats,
    check_none: Stats,
    tag_types: (usize, usize),
    /// (feature, check time, ok, warnings)
    feature_loop: Vec<(String, f64, bool, usize)>,
}

struct Cargo<'a> {
    dir: &'a Path,
    target: &'a Path,
}

impl Cargo<'_> {
    /// Runs cargo; returns the wall time and stderr. A failure is an error.
    fn run(&self, args: &[&str]) -> Result<(f64, String), String> {
        self.output(args).map(|(time, _, stderr)| (time, stderr))
    }

    /// Runs cargo; returns the wall time and stdout.
    fn run_stdout(&self, args: &[&str]) -> Result<(f64, String), String> {
        self.output(args).map(|(time, stdout, _)| (time, stdout))
    }

    fn output(&self, args: &[&str]) -> Result<(f64, String, String), String> {
        let started = Instant::now();
        let output = Command::new(cargo_bin())
            .args(args)
            .current_dir(self.dir)
            .env("CARGO_TARGET_DIR", self.target)
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(|e| e.to_string())?;
        let elapsed = secs(started.elapsed());
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        if !output.status.success() {
            return Err(format!("cargo {} failed:\n{stderr}", args.join(" ")));
        }
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        Ok((elapsed, stdout, stderr))
    }

    /// Touches src/lib.rs and times `args`, `times` times (the dependencies are built by a first untimed run).
    fn touched(&self, args: &[&str], times: usize) -> Result<Stats, String> {
        self.run(args)?;
        let mut samples = Vec::new();
        for _ in 0..times {
            std::fs::File::options()
                .write(true)
                .open(self.dir.join("src/lib.rs"))
                .and_then(|f| f.set_modified(SystemTime::now()))
                .map_err(|e| e.to_string())?;
            samples.push(self.run(args)?.0);
        }
        Ok(stats(&samples))
    }
}

/// Makes a copied crate build on its own: the workspace's lock file and its
/// own `[workspace]`.
pub(crate) fn finish_standalone(dir: &Path, lockfile: &Path) -> Result<(), String> {
    std::fs::copy(lockfile, dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    if !text.contains("\n[workspace]") {
        std::fs::write(&manifest, text + "\n[workspace]\n").map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Lines of the `.rs` files under `root/src`: all, and those of the runtime.
pub(crate) fn count_lines(root: &Path) -> (usize, usize) {
    let (mut all, mut runtime) = (0, 0);
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let lines = std::fs::read_to_string(&path)
                    .map(|t| t.lines().count())
                    .unwrap_or(0);
                all += lines;
                if path.components().any(|c| c.as_os_str() == "runtime") {
                    runtime += lines;
                }
            }
        }
    }
    (all, runtime)
}

/// Types of `src/types.rs` compiled with only `feature` on, and all types: how much of the
/// types module a single-tag build still compiles.
fn gated_types(types_rs: &str, feature: &str) -> (usize, usize) {
    let (mut kept, mut all) = (0, 0);
    let mut gate: Option<&str> = None;
    for line in types_rs.lines() {
        if line.starts_with("#[cfg(") {
            gate = Some(line);
        } else if ["pub struct ", "pub enum ", "pub type "]
            .iter()
            .any(|p| line.starts_with(p))
        {
            all += 1;
            if gate.is_none_or(|g| g.contains(&format!("feature = \"{feature}\""))) {
                kept += 1;
            }
            gate = None;
        } else if !line.starts_with("#[") && !line.starts_with("///") {
            gate = None;
        }
    }
    (kept, all)
}

/// The slowest units of a `cargo build --timings` report.
fn slowest_units(target: &Path) -> Vec<(String, f64)> {
    let Ok(html) = std::fs::read_to_string(target.join("cargo-timings/cargo-timing.html")) else {
        return Vec::new();
    };
    let Some(start) = html.find("const UNIT_DATA = ") else {
        return Vec::new();
    };
    let rest = &html[start + "const UNIT_DATA = ".len()..];
    let Some(end) = rest.find(";\n") else {
        return Vec::new();
    };
    let Ok(Value::Array(units)) = serde_json::from_str::<Value>(&rest[..end]) else {
        return Vec::new();
    };
    let mut out: Vec<(String, f64)> = units
        .iter()
        .filter_map(|u| {
            let name = u["name"].as_str()?;
            let target = u["target"].as_str().unwrap_or("");
            Some((format!("{name}{target}"), u["duration"].as_f64()?))
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out.truncate(6);
    out
}

fn measure_crate(specs: &Path, tag: &str, feature_loop: bool) -> Result<CrateCost, String> {
    let root = generator::pipeline::workspace_root();
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = tmp.path().join("heygen");
    let target = tmp.path().join("target");
    generate_once(specs, &dir)?;
    finish_standalone(&dir, &root.join("Cargo.lock"))?;
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let features: Vec<String> = manifest
        .split("[features]")
        .nth(1)
        .unwrap_or("")
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name.trim().to_string()))
        .filter(|name| name != "default")
        .collect();
    if !features.iter().any(|f| f == tag) {
        return Err(format!(
            "no feature `{tag}`; the features are {}",
            features.join(", ")
        ));
    }
    let cargo = Cargo {
        dir: &dir,
        target: &target,
    };
    eprintln!("bench: cargo fetch");
    cargo.run(&["fetch", "--quiet"])?;
    eprintln!("bench: clean build of the generated crate");
    let (clean_build, _) = cargo.run(&["build", "--quiet", "--timings"])?;
    let slowest_units = slowest_units(&target);
    let lock = std::fs::read_to_string(dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let lock_packages = lock.matches("[[package]]").count();
    let (_, tree) =
        cargo.run_stdout(&["tree", "--quiet", "-e", "normal,build", "--prefix", "none"])?;
    let built: std::collections::BTreeSet<&str> = tree
        .lines()
        .map(|l| l.trim_end_matches(" (*)").trim_end_matches(" (proc-macro)"))
        .filter(|l| !l.is_empty())
        .collect();
    let built_packages = built.len();
    // `cargo tree` prints `name vX.Y.Z`; the lock has `name = "..."` then `version = "..."`.
    let lock_entries: Vec<(String, String)> = lock
        .split("[[package]]")
        .skip(1)
        .filter_map(|entry| {
            let field = |key: &str| {
                entry
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map(|v| v.trim_matches('"').to_string())
            };
            Some((field("name = ")?, field("version = ")?))
        })
        .collect();
    let lock_only: Vec<String> = lock_entries
        .into_iter()
        .filter(|(name, version)| {
            let prefix = format!("{name} v{version}");
            !built
                .iter()
                .any(|b| *b == prefix || b.starts_with(&format!("{prefix} ")))
        })
        .map(|(name, _)| name)
        .collect();
    let (rs_lines, runtime_lines) = count_lines(&dir);
    eprintln!("bench: build / check after touching src/lib.rs");
    let build_all = cargo.touched(&["build", "--quiet"], 3)?;
    let check_all = cargo.touched(&["check", "--quiet"], 3)?;
    let single = ["--no-default-features", "--features", tag];
    let check_tag = cargo.touched(&[&["check", "--quiet"][..], &single].concat(), 3)?;
    let build_tag = cargo.touched(&[&["build", "--quiet"][..], &single].concat(), 3)?;
    let check_none = cargo.touched(&["check", "--quiet", "--no-default-features"], 3)?;
    let types_rs = std::fs::read_to_string(dir.join("src/types.rs")).unwrap_or_default();
    let tag_types = gated_types(&types_rs, tag);
    let mut loop_results = Vec::new();
    if feature_loop {
        for feature in &features {
            eprintln!("bench: cargo check --no-default-features --features {feature}");
            let args = [
                "check",
                "--no-default-features",
                "--features",
                feature.as_str(),
            ];
            match cargo.run(&args) {
                Ok((time, stderr)) => loop_results.push((
                    feature.clone(),
                    time,
                    true,
                    stderr.matches("warning:").count(),
                )),
                Err(error) => {
                    eprintln!("{error}");
                    loop_results.push((feature.clone(), 0.0, false, 0))
                }
            }
        }
    }
    Ok(CrateCost {
        rs_lines,
        runtime_lines,
        lock_packages,
        built_packages,
        lock_only,
        features,
        clean_build,
        slowest_units,
        check_all,
        build_all,
        check_tag,
        build_tag,
        check_none,
        tag_types,
        feature_loop: loop_results,
    })
}

// ----- the report ---------------------------------------------------------------------------

struct Goal {
    what: String,
    target: String,
    measured: String,
    /// measured / target (or `None` when not measured).
    factor: Option<f64>,
    met: Option<bool>,
}

fn goal(what: &str, target: String, measured: String, value: Option<f64>, limit: f64) -> Goal {
    Goal {
        what: what.into(),
        target,
        measured,
        factor: value.map(|v| v / limit),
        met: value.map(|v| v <= limit),
    }
}

fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

pub(crate) fn environment() -> Vec<(String, String)> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let root = generator::pipeline::workspace_root();
    let root = root.to_string_lossy();
    let commit = command_output("git", &["-C", &root, "rev-parse", "--short", "HEAD"]);
    let dirty = !command_output(
        "git",
        &["-C", &root, "status", "--porcelain", "--untracked-files=no"],
    )
    .is_empty();
    vec![
        (
            "date".into(),
            command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        ),
        (
            "commit".into(),
            format!(
                "{commit}{}",
                if dirty {
                    " (with uncommitted changes)"
                } else {
                    ""
                }
            ),
        ),
        ("machine".into(), format!("{cores} cores, {cpu}")),
        ("rustc".into(), command_output("rustc", &["--version"])),
        ("load average at start (1/5/15 min)".into(), load_average()),
    ]
}

fn stage_table(out: &mut String, generation: &Generation) {
    let total = generation.total.median;
    let _ = writeln!(out, "| stage | median | min | max | share of total |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for (name, stats) in STAGES.iter().zip(&generation.stages) {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {:.0}% |",
            ms(stats.median),
            ms(stats.min),
            ms(stats.max),
            100.0 * stats.median / total
        );
    }
    let t = &generation.total;
    let _ = writeln!(
        out,
        "| **generation (generate + write), wall** | **{}** | {} | {} | IQR {}–{} |",
        ms(t.median),
        ms(t.min),
        ms(t.max),
        ms(t.q1),
        ms(t.q3)
    );
    let b = &generation.baseline;
    let _ = writeln!(
        out,
        "| baseline: bare serde parse of the same {} files | {} | {} | {} | IQR {}–{} |",
        generation.input_files,
        ms(b.median),
        ms(b.min),
        ms(b.max),
        ms(b.q1),
        ms(b.q3)
    );
    let r = &generation.ratio;
    let _ = writeln!(out, "| **generation / baseline** (per run, same loop) | **{:.1}x** | {:.1}x | {:.1}x | IQR {:.1}x–{:.1}x |", r.median, r.min, r.max, r.q1, r.q3);
    if let Some(w) = &generation.rewrite {
        let _ = writeln!(
            out,
            "| (not in the total) write over an existing identical crate, as `regen` does | {} | {} | {} | IQR {}–{} |",
            ms(w.median),
            ms(w.min),
            ms(w.max),
            ms(w.q1),
            ms(w.q3)
        );
    }
}

/// Where the cost of a missed goal goes, from what the run measured.
fn explain(topic: &str, full: &Generation, scaling: &[Scale], krate: Option<&CrateCost>) -> String {
    match topic {
        "full-spec" => {
            let mut stages: Vec<(&str, f64)> = STAGES
                .iter()
                .copied()
                .zip(full.stages.iter().map(|s| s.median))
                .collect();
            stages.sort_by(|a, b| b.1.total_cmp(&a.1));
            let top: Vec<String> = stages
                .iter()
                .take(3)
                .map(|(name, t)| {
                    format!("{name} {} ({:.0}%)", ms(*t), 100.0 * t / full.total.median)
                })
                .collect();
            format!(
                "Where full-spec generation time goes (medians): {}.",
                top.join(", ")
            )
        }
        topic if topic.starts_with("k=") => {
            let (Some(first), Some(last)) = (scaling.first(), scaling.last()) else {
                return String::new();
            };
            let mut growth: Vec<(&str, f64)> = STAGES
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let (a, b) = (
                        first.generation.stages[i].median,
                        last.generation.stages[i].median,
                    );
                    (*name, b / a.max(1e-9))
                })
                .filter(|(_, g)| g.is_finite())
                .collect();
            growth.sort_by(|a, b| b.1.total_cmp(&a.1));
            let top: Vec<String> = growth
                .iter()
                .take(3)
                .map(|(n, g)| format!("{n} {g:.1}x"))
                .collect();
            format!(
                "Stages growing fastest from k={} to k={}: {}; a bare parse of the same input grows {:.1}x.",
                first.k,
                last.k,
                top.join(", "),
                last.generation.baseline.median / first.generation.baseline.median
            )
        }
        "packages" => match krate {
            Some(c) => {
                let windows = c
                    .lock_only
                    .iter()
                    .filter(|n| n.starts_with("windows"))
                    .count();
                let wasm = c
                    .lock_only
                    .iter()
                    .filter(|n| {
                        n.starts_with("wasm")
                            || ["js-sys", "web-sys", "bumpalo"].contains(&n.as_str())
                    })
                    .count();
                let other: Vec<&str> = c
                    .lock_only
                    .iter()
                    .filter(|n| {
                        !n.starts_with("windows")
                            && !n.starts_with("wasm")
                            && !["js-sys", "web-sys", "bumpalo"].contains(&n.as_str())
                    })
                    .map(String::as_str)
                    .collect();
                format!(
                    "Of the {} entries of Cargo.lock, {} are built on this platform; the other {} are \
                     {windows} Windows-only and {wasm} wasm32-only packages and {} more that this \
                     platform never builds ({}).",
                    c.lock_packages,
                    c.built_packages,
                    c.lock_only.len(),
                    other.len(),
                    other.join(", ")
                )
            }
            None => String::new(),
        },
        "clean" => match krate {
            Some(c) => {
                let units: Vec<String> = c
                    .slowest_units
                    .iter()
                    .map(|(name, t)| format!("{name} {t:.1} s"))
                    .collect();
                format!("Slowest units of the clean build: {}.", units.join(", "))
            }
            None => String::new(),
        },
        _ => String::new(),
    }
}

fn render(
    args: &BenchArgs,
    env: &[(String, String)],
    full: &Generation,
    scaling: &[Scale],
    krate: Option<&CrateCost>,
    compile: Option<&crate::bench_compile::CompileCost>,
) -> (String, Vec<Goal>) {
    let mut out = String::new();
    let _ = writeln!(out, "## Environment\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    for (key, value) in env {
        let _ = writeln!(out, "| {key} | {value} |");
    }
    let _ = writeln!(out, "| load average at end | {} |", load_average());
    let _ = writeln!(
        out,
        "| command | `cargo xtask bench{}` (release build of xtask and generator) |",
        if args.runs == 15 {
            String::new()
        } else {
            format!(" --runs {}", args.runs)
        }
    );

    let _ = writeln!(out, "\n## Generation of the full client\n");
    let _ = writeln!(
        out,
        "Input: the April 2026 `{FULL_SPEC}` plus the seed documents and data files of `specs/` \
         (the folder `contract::full_specs_dir` builds, as the end-to-end tests do): {} files, {}. Output: {} operations, \
         {} types, {} files written to a temp dir. {} timed runs after 2 warm-up runs; each run is \
         followed by the baseline, and the ratio is taken run by run.\n",
        full.input_files,
        kb(full.input_bytes as f64),
        full.operations,
        full.types,
        full.files,
        full.total.n
    );
    stage_table(&mut out, full);
    let _ = writeln!(
        out,
        "\nMemory: peak heap growth {} during one generation + write ({} allocations, counted by the \
         xtask's allocator in a separate run); peak RSS of a process doing one generation + write: {} \
         (a process doing nothing: {}).",
        mb(full.heap.peak),
        full.heap.allocations,
        full.rss.map(mb).unwrap_or_else(|| "n/a".into()),
        full.idle_rss.map(mb).unwrap_or_else(|| "n/a".into()),
    );

    let _ = writeln!(out, "\n## Scaling\n");
    let _ = writeln!(
        out,
        "The April spec alone, replicated k times: replica i renames every component schema `X` to \
         `XK{{i}}` and rewrites every `$ref` and discriminator mapping to it, prefixes every path \
         with `/k{{i}}` and suffixes every operationId with `_k{{i}}` (tags kept, so the groups stay \
         the same). No quirks or client data. Generation = generate + write, as above. The factors \
         run round-robin ({} rounds of one run each, after 2 warm-up runs each), so that all see \
         the same machine load, and growth is taken round by round.\n",
        scaling.first().map_or(0, |s| s.generation.total.n)
    );
    let _ = writeln!(out, "| k | operations | types | input | generation median (min–max) | per operation | bare parse | gen / parse | peak heap | heap / operation | peak RSS |");
    let _ = writeln!(
        out,
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for scale in scaling {
        let g = &scale.generation;
        let ops = g.operations.max(1) as f64;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} ({}–{}) | {} | {} | {:.1}x | {} | {} | {} |",
            scale.k,
            g.operations,
            g.types,
            kb(g.input_bytes as f64),
            ms(g.total.median),
            ms(g.total.min),
            ms(g.total.max),
            ms(g.total.median / ops),
            ms(g.baseline.median),
            g.ratio.median,
            mb(g.heap.peak),
            kb(g.heap.peak as f64 / ops),
            g.rss.map(mb).unwrap_or_default(),
        );
    }
    if scaling.len() > 1 {
        let _ = writeln!(
            out,
            "\nStage medians by k, and the growth from the first k to the last:\n"
        );
        let header: Vec<String> = scaling.iter().map(|sc| format!("k={}", sc.k)).collect();
        let _ = writeln!(out, "| stage | {} | growth |", header.join(" | "));
        let _ = writeln!(out, "|---|{}---:|", "---:|".repeat(scaling.len()));
        let (first, last) = (
            &scaling[0].generation,
            &scaling[scaling.len() - 1].generation,
        );
        for (index, name) in STAGES.iter().enumerate() {
            let cells: Vec<String> = scaling
                .iter()
                .map(|sc| ms(sc.generation.stages[index].median))
                .collect();
            let growth = last.stages[index].median / first.stages[index].median.max(1e-9);
            let _ = writeln!(out, "| {name} | {} | {growth:.1}x |", cells.join(" | "));
        }
    }
    let first = scaling.first().filter(|s| s.k == 1);
    let last = scaling.iter().filter(|s| s.k > 1).max_by_key(|s| s.k);
    let scale_ratio = match (first, last) {
        (Some(one), Some(big)) => {
            let (g1, gk) = (&one.generation, &big.generation);
            let growth = &big.growth;
            let heap = gk.heap.peak as f64 / g1.heap.peak.max(1) as f64;
            let ops = gk.operations as f64 / g1.operations.max(1) as f64;
            let parse = gk.baseline.median / g1.baseline.median;
            let _ = writeln!(
                out,
                "\nk={k} / k=1, for {ops:.0}x the operations (ideal {k}x): time **{:.1}x** (median of \
                 the per-round ratios; IQR {:.1}x–{:.1}x, min {:.1}x; the ratio of the medians is {:.1}x), \
                 peak heap {heap:.1}x. A bare parse of the same inputs grows {parse:.1}x, so the \
                 generation/parse ratio goes from {:.1}x at k=1 to {:.1}x at k={k}.",
                growth.median,
                growth.q1,
                growth.q3,
                growth.min,
                gk.total.median / g1.total.median,
                g1.ratio.median,
                gk.ratio.median,
                k = big.k,
            );
            Some((big.k, growth.median))
        }
        _ => None,
    };

    if let Some(c) = krate {
        let _ = writeln!(out, "\n## The generated crate\n");
        let _ = writeln!(
            out,
            "The full crate generated above, in a temp dir with the workspace's Cargo.lock and its own \
             `[workspace]`, `CARGO_INCREMENTAL=0`, its own target dir. The clean build is one \
             `cargo build` in a fresh target dir (after `cargo fetch`); the others are the median of 3 \
             runs after `touch src/lib.rs`, dependencies prebuilt. Features: {} ({} groups).\n",
            c.features.join(", "),
            c.features.len()
        );
        let _ = writeln!(out, "| measurement | median | min–max |");
        let _ = writeln!(out, "|---|---:|---:|");
        let _ = writeln!(
            out,
            "| .rs lines (of which runtime, hand-written) | {} ({}) | |",
            c.rs_lines, c.runtime_lines
        );
        let _ = writeln!(
            out,
            "| packages in Cargo.lock (the crate included; all platforms) | {} | |",
            c.lock_packages
        );
        let _ = writeln!(
            out,
            "| packages built on this platform (`cargo tree -e normal,build`, the crate included) | {} | |",
            c.built_packages
        );
        let _ = writeln!(
            out,
            "| clean build (`cargo build`, fresh target dir, once) | {} | |",
            s(c.clean_build)
        );
        let row = |out: &mut String, what: &str, st: &Stats| {
            let _ = writeln!(
                out,
                "| {what} | {} | {}–{} |",
                s(st.median),
                s(st.min),
                s(st.max)
            );
        };
        row(
            &mut out,
            "`cargo check`, all features (default)",
            &c.check_all,
        );
        row(
            &mut out,
            "`cargo build`, all features (default)",
            &c.build_all,
        );
        row(
            &mut out,
            &format!(
                "`cargo check --no-default-features --features {}`",
                args.tag
            ),
            &c.check_tag,
        );
        row(
            &mut out,
            &format!(
                "`cargo build --no-default-features --features {}`",
                args.tag
            ),
            &c.build_tag,
        );
        row(
            &mut out,
            "`cargo check --no-default-features` (runtime only)",
            &c.check_none,
        );
        let (kept, all) = c.tag_types;
        let _ = writeln!(
            out,
            "\nWith only `{}`, {kept} of the {all} types of src/types.rs are compiled.",
            args.tag
        );
        if !c.slowest_units.is_empty() {
            let units: Vec<String> = c
                .slowest_units
                .iter()
                .map(|(name, t)| format!("{name} {t:.1} s"))
                .collect();
            let _ = writeln!(
                out,
                "\nSlowest units of the clean build (`cargo build --timings`): {}.",
                units.join(", ")
            );
        }
        if !c.feature_loop.is_empty() {
            let _ = writeln!(out, "\n`cargo check --no-default-features --features <f>` for every feature (first run after the others, so mostly the crate itself):\n");
            let _ = writeln!(
                out,
                "| feature | compiles | warnings | time |\n|---|---|---:|---:|"
            );
            for (feature, time, ok, warnings) in &c.feature_loop {
                let _ = writeln!(
                    out,
                    "| {feature} | {} | {warnings} | {} |",
                    if *ok { "yes" } else { "**no**" },
                    s(*time)
                );
            }
        }
    }

    let mut goals = vec![
        goal(
            "full-spec generation, median",
            "<= 0.1 s".into(),
            ms(full.total.median),
            Some(full.total.median),
            0.1,
        ),
        goal(
            "full-spec generation / bare parse",
            "<= 20x".into(),
            format!("{:.1}x", full.ratio.median),
            Some(full.ratio.median),
            20.0,
        ),
        match scale_ratio {
            Some((k, ratio)) => goal(
                &format!("k={k} time / k=1 time"),
                "<= 18x".into(),
                format!("{ratio:.1}x"),
                Some(ratio),
                18.0,
            ),
            None => goal(
                "k=16 time / k=1 time",
                "<= 18x".into(),
                "not measured".into(),
                None,
                18.0,
            ),
        },
    ];
    match krate {
        Some(c) => {
            goals.push(goal(
                "generated crate `cargo check` (touch, deps built)",
                "<= 3 s".into(),
                s(c.check_all.median),
                Some(c.check_all.median),
                3.0,
            ));
            goals.push(goal(
                "clean build",
                "<= 30 s".into(),
                s(c.clean_build),
                Some(c.clean_build),
                30.0,
            ));
            let share = c.check_tag.median / c.check_all.median;
            goals.push(goal(
                &format!("single-tag `cargo check` ({}) / all tags", args.tag),
                "<= 0.75 (clearly cheaper: at least 25% less)".into(),
                format!(
                    "{:.2} ({} vs {})",
                    share,
                    s(c.check_tag.median),
                    s(c.check_all.median)
                ),
                Some(share),
                0.75,
            ));
        }
        None => {
            for what in [
                "generated crate `cargo check`",
                "clean build",
                "single-tag build / all tags",
            ] {
                goals.push(goal(
                    what,
                    String::new(),
                    "not measured (--skip-crate)".into(),
                    None,
                    1.0,
                ));
            }
        }
    }
    if let Some(compile) = compile {
        crate::bench_compile::render(&mut out, compile);
        if let Some((k, row)) = compile.closest_to(240) {
            goals.push(goal(
                &format!(
                    "`cargo check` of the crate at about 240 types (k={k}: {} types)",
                    row.types.unwrap_or(0)
                ),
                "<= 3 s".into(),
                s(row.check.median),
                Some(row.check.median),
                3.0,
            ));
        }
        if let Some(((first_k, first), (last_k, last))) = compile.growth() {
            goals.push(goal(
                &format!("check per 100 types (minus runtime), k={last_k} / k={first_k}"),
                "<= 1.10 (at most linear)".into(),
                format!("{:.2} ({} vs {})", last / first, s(last), s(first)),
                Some(last / first),
                1.10,
            ));
        }
    }
    let _ = writeln!(out, "\n## Goals\n");
    let _ = writeln!(
        out,
        "| goal | target | measured | measured / target | met |\n|---|---|---:|---:|---|"
    );
    for g in &goals {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            g.what,
            g.target,
            g.measured,
            g.factor.map(|f| format!("{f:.2}")).unwrap_or_default(),
            match g.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "-",
            }
        );
    }
    let missed: Vec<&Goal> = goals.iter().filter(|g| g.met == Some(false)).collect();
    if !missed.is_empty() {
        let _ = writeln!(out, "\nMissed:\n");
        for g in &missed {
            let _ = writeln!(
                out,
                "- {}: {} against {} ({:.0}% over).",
                g.what,
                g.measured,
                g.target,
                (g.factor.unwrap_or(1.0) - 1.0) * 100.0
            );
        }
        let mut explained = std::collections::BTreeSet::new();
        for g in &missed {
            let topic = g.what.split_whitespace().next().unwrap_or_default();
            if !explained.insert(topic) {
                continue;
            }
            let _ = writeln!(out, "\n{}", explain(topic, full, scaling, krate));
        }
    }

    let _ = writeln!(
        out,
        "\n## Peers (reference figures, same kind of machine, not measured here)\n"
    );
    let _ = writeln!(
        out,
        "| tool | generation | lines | `cargo check` | packages |\n|---|---:|---:|---:|---:|"
    );
    let _ = writeln!(out, "| progenitor | 0.40 s | 8,487 | 5.8 s | |");
    let _ = writeln!(out, "| openapi-generator | 3.16 s | 11,315 | 5.3 s | 230 |");
    if let Some(c) = krate {
        let _ = writeln!(
            out,
            "| heygen-codegen (this run) | {} | {} | {} | {} |",
            s(full.total.median),
            c.rs_lines,
            s(c.check_all.median),
            c.lock_packages
        );
    }
    (out, goals)
}

/// Replaces the text between the markers of `path` (or writes a new file).
fn write_report(path: &Path, body: &str) -> Result<(), String> {
    write_section(path, (BEGIN, END), body)
}

/// Replaces the text between the markers `begin` and `end` of `path`; a file
/// without them gets them at its end (a missing file is created).
pub(crate) fn write_section(
    path: &Path,
    (begin_marker, end_marker): (&str, &str),
    body: &str,
) -> Result<(), String> {
    let block = format!("{begin_marker}\n\n{body}\n{end_marker}");
    let text = match std::fs::read_to_string(path) {
        Ok(existing) => match (existing.find(begin_marker), existing.find(end_marker)) {
            (Some(begin), Some(end)) if begin < end => format!(
                "{}{block}{}",
                &existing[..begin],
                &existing[end + end_marker.len()..]
            ),
            _ => format!("{existing}\n{block}\n"),
        },
        Err(_) => format!("# Benchmarks\n\nMeasured by `cargo xtask bench`; see xtask/src/bench.rs for what each figure is.\n\n{block}\n"),
    };
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn bench(args: &BenchArgs) -> Result<(), String> {
    if args.runs < 1 {
        return Err("--runs must be at least 1".into());
    }
    let root = generator::pipeline::workspace_root();
    let specs = args.specs.clone().unwrap_or_else(|| root.join("specs"));
    if !specs.join(FULL_SPEC).is_file() {
        return Err(format!(
            "{} not found; pass --specs <folder holding it>",
            specs.join(FULL_SPEC).display()
        ));
    }
    let env = environment();
    eprintln!("bench: full-spec generation ({} runs)", args.runs);
    let mut full = measure_generation(&specs, args.runs, true)?;
    full.rewrite = Some(measure_rewrite(&specs, args.runs)?);
    let scaling = measure_scaling(&specs, &args.scale, args.runs)?;
    let (krate, compile) = if args.skip_crate {
        (None, None)
    } else {
        let krate = measure_crate(&specs, &args.tag, args.feature_loop)?;
        let compile = crate::bench_compile::measure(
            &specs,
            &args.compile_scale,
            args.compile_rounds,
            args.compare_crate.as_deref(),
        )?;
        (Some(krate), Some(compile))
    };
    let (body, goals) = render(
        args,
        &env,
        &full,
        &scaling,
        krate.as_ref(),
        compile.as_ref(),
    );
    println!("{body}");
    if args.out != Path::new("-") {
        let path = if args.out.is_relative() {
            root.join(&args.out)
        } else {
            args.out.clone()
        };
        write_report(&path, &body)?;
        eprintln!("bench: wrote {}", path.display());
    }
    let met = goals.iter().filter(|g| g.met == Some(true)).count();
    let missed = goals.iter().filter(|g| g.met == Some(false)).count();
    eprintln!("bench: {met} goals met, {missed} missed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicate_renames_schemas_refs_paths_and_operation_ids() {
        let spec = serde_json::json!({
            "paths": {"/v3/a": {"get": {"operationId": "getA", "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B/properties/c"}}},
                "B": {"oneOf": [{"$ref": "#/components/schemas/A"}], "discriminator": {"propertyName": "t", "mapping": {"a": "#/components/schemas/A"}}}
            }}
        });
        let out = replicate(&spec, 2);
        let schemas = out["components"]["schemas"].as_object().unwrap();
        let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
        assert_eq!(names, ["AK0", "BK0", "AK1", "BK1"]);
        assert_eq!(
            schemas["AK1"]["properties"]["b"]["$ref"],
            "#/components/schemas/BK1/properties/c"
        );
        assert_eq!(
            schemas["BK0"]["discriminator"]["mapping"]["a"],
            "#/components/schemas/AK0"
        );
        let paths = out["paths"].as_object().unwrap();
        assert_eq!(
            paths.keys().map(String::as_str).collect::<Vec<_>>(),
            ["/k0/v3/a", "/k1/v3/a"]
        );
        assert_eq!(paths["/k1/v3/a"]["get"]["operationId"], "getA_k1");
        assert_eq!(
            paths["/k1/v3/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/AK1"
        );
    }

    #[test]
    fn stats_median_and_quartiles() {
        let st = stats(&[5.0, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!(
            (st.median, st.min, st.max, st.q1, st.q3),
            (3.0, 1.0, 5.0, 2.0, 4.0)
        );
    }

    #[test]
    fn docs_page_blocks_parse() {
        let page = "# Title\n\n```bash\ncurl x\n```\n\n```json\n{\"openapi\": \"3.1.0\"}\n```\n";
        assert_eq!(parse_page(page).unwrap()["openapi"], "3.1.0");
    }

    #[test]
    fn report_keeps_text_outside_the_markers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("BENCHMARKS.md");
        write_report(&path, "first").unwrap();
        let text = std::fs::read_to_string(&path).unwrap() + "\n## Notes\n\nhand-written\n";
        std::fs::write(&path, text).unwrap();
        write_report(&path, "second").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("second") && !text.contains("first") && text.contains("hand-written")
        );
    }
}
