//! `cargo xtask bench --client`: the generated client's runtime against plain
//! reqwest + serde_json, on a local server, as ratios.
//!
//! What is compared: the same two calls made through `heygen::Client` (as
//! `Client::builder()` makes it: timeouts, retry policy, origin check, header
//! building, path-tracking decode, envelope) and through a plain
//! `reqwest::Client` that sends the same `x-api-key` header, reads the body
//! and decodes it with `serde_json::from_slice` into the same generated types.
//! The difference is the runtime's overhead.
//!
//! - small GET: `client.videos().get_video("v_1")`, `GET /v3/videos/v_1` ->
//!   `{"data": VideoDetail}` (about 0.7 kB);
//! - list page: `client.videos().list_videos().limit(100)`,
//!   `GET /v3/videos?limit=100` -> a `Page` of 100 `VideoDetail`s (about 62 kB).
//!
//! The video is built from the first example of every `VideoDetail` property
//! in `specs/external-api.json`, so each item carries every field.
//!
//! The server is in this process: HTTP/1.1 keep-alive on 127.0.0.1 with the
//! responses rendered once, on its own thread (a current-thread tokio
//! runtime) whose allocations the heap counters skip and whose CPU time is
//! subtracted from the process's. The callers share one multi-threaded tokio
//! runtime; concurrency c is c tasks sharing one client, each making its
//! share of the round's requests one after the other.
//!
//! Rounds: per call and concurrency, every variant (client, plain, and with
//! `--ablation` the variants that take the runtime apart) makes the same
//! number of requests (calibrated to about `--client-batch-ms` for plain),
//! in an order rotated every round, so that all see the same machine load.
//! Each figure is a median over rounds of the per-round ratio to plain.
//!
//! Memory per in-flight request: N requests (`--client-in-flight`) are sent
//! at once to a path the server holds until all N have arrived. The live
//! heap at that moment (counted from just before they were sent), the peak
//! of the batch and the bytes allocated, each divided by N; the connections
//! are opened by an uncounted batch before.
//!
//! Timings live here, never in `#[test]`s.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use heygen::types::VideoDetail;
use heygen::{DataEnvelope, Method, Page, Request};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tokio::sync::Barrier;

use crate::bench::{self, BenchArgs, Stats};

const BEGIN: &str =
    "<!-- bench-client:begin (written by `cargo xtask bench --client`; edit outside the markers) -->";
const END: &str = "<!-- bench-client:end -->";

const API_KEY: &str = "bench-key";
const VIDEO_ID: &str = "v_1";
const PAGE_SIZE: usize = 100;
const CONCURRENCY: [usize; 2] = [1, 64];
/// Repeats of each memory measurement (per variant and call; the median is kept).
const MEMORY_REPEATS: usize = 5;
/// The goal: the client within 10% of plain reqwest.
const WITHIN: f64 = 0.10;

// ----- the two calls ------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Video,
    Page,
}

impl Call {
    const ALL: [Call; 2] = [Call::Video, Call::Page];

    fn label(self) -> &'static str {
        match self {
            Call::Video => "small GET (`get_video`)",
            Call::Page => "list page of 100 (`list_videos().limit(100)`)",
        }
    }

    /// Its name for `--client-only`.
    fn id(self) -> &'static str {
        match self {
            Call::Video => "video",
            Call::Page => "page",
        }
    }

    fn short(self) -> &'static str {
        match self {
            Call::Video => "small GET",
            Call::Page => "page of 100",
        }
    }
}

/// A plain user's envelope type: `{"data": T}`.
#[derive(serde::Deserialize)]
struct Envelope<T> {
    data: T,
}

// ----- the ways of making them --------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// The generated client as `Client::builder()` makes it.
    Client,
    /// Plain reqwest + `serde_json::from_slice`.
    Plain,
    /// The generated client with `disable_timeouts()` (no per-attempt timer).
    ClientNoTimeouts,
    /// The runtime's transport (`Client::send_bytes`: URL, headers, retry loop,
    /// timeout), decoded with `serde_json::from_slice` as plain does.
    ClientRawBytes,
    /// Plain reqwest, decoded as the runtime does (serde_path_to_error + `end()`).
    PlainPathDecode,
}

impl Variant {
    fn label(self) -> &'static str {
        match self {
            Variant::Client => "client",
            Variant::Plain => "plain reqwest + serde_json",
            Variant::ClientNoTimeouts => "client, timeouts off",
            Variant::ClientRawBytes => "client's `send_bytes` + `serde_json::from_slice`",
            Variant::PlainPathDecode => "plain reqwest + runtime's decode (serde_path_to_error)",
        }
    }

    /// A caller of its own (own connection pool) for `base_url`.
    fn caller(self, base_url: &str) -> Result<Caller, String> {
        let client = |timeouts: bool| {
            let builder = heygen::Client::builder()
                .api_key(API_KEY)
                .base_url(base_url);
            let builder = if timeouts {
                builder
            } else {
                builder.disable_timeouts()
            };
            builder.build().map_err(|e| e.to_string())
        };
        let plain = || -> Result<Plain, String> {
            Ok(Plain {
                http: reqwest::Client::builder()
                    .build()
                    .map_err(|e| e.to_string())?,
                base_url: base_url.to_owned(),
            })
        };
        Ok(match self {
            Variant::Client => Caller::Client(client(true)?),
            Variant::ClientNoTimeouts => Caller::Client(client(false)?),
            Variant::ClientRawBytes => Caller::ClientRawBytes(client(true)?),
            Variant::Plain => Caller::Plain(plain()?, Decode::Plain),
            Variant::PlainPathDecode => Caller::Plain(plain()?, Decode::PathTracking),
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum Decode {
    Plain,
    PathTracking,
}

struct Plain {
    http: reqwest::Client,
    base_url: String,
}

enum Caller {
    Client(heygen::Client),
    ClientRawBytes(heygen::Client),
    Plain(Plain, Decode),
}

impl Caller {
    /// Makes the call; returns a number taken from the decoded value (so that
    /// the decoding cannot be optimised away).
    async fn call(&self, call: Call) -> Result<usize, String> {
        match self {
            Caller::Client(client) => match call {
                Call::Video => client
                    .videos()
                    .get_video(VIDEO_ID)
                    .await
                    .map(|video| video.id.len()),
                Call::Page => client
                    .videos()
                    .list_videos()
                    .limit(PAGE_SIZE as i64)
                    .await
                    .map(|page| page.data.len()),
            }
            .map_err(|e| e.to_string()),
            Caller::ClientRawBytes(client) => {
                let request = match call {
                    Call::Video => Request::new(Method::GET, format!("/v3/videos/{VIDEO_ID}")),
                    Call::Page => {
                        Request::new(Method::GET, "/v3/videos").query("limit", &PAGE_SIZE)
                    }
                };
                let body = client
                    .send_bytes(request)
                    .await
                    .map_err(|e| e.to_string())?;
                decode(call, &body, Decode::Plain)
            }
            Caller::Plain(plain, how) => {
                let request = match call {
                    Call::Video => plain
                        .http
                        .get(format!("{}/v3/videos/{VIDEO_ID}", plain.base_url)),
                    Call::Page => plain
                        .http
                        .get(format!("{}/v3/videos", plain.base_url))
                        .query(&[("limit", PAGE_SIZE)]),
                };
                let response = request
                    .header("x-api-key", API_KEY)
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .map_err(|e| e.to_string())?;
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                decode(call, &body, *how)
            }
        }
    }
}

fn decode(call: Call, body: &[u8], how: Decode) -> Result<usize, String> {
    match call {
        Call::Video => parse::<Envelope<VideoDetail>>(body, how).map(|e| e.data.id.len()),
        Call::Page => parse::<Page<VideoDetail>>(body, how).map(|page| page.data.len()),
    }
}

fn parse<T: DeserializeOwned>(body: &[u8], how: Decode) -> Result<T, String> {
    match how {
        Decode::Plain => serde_json::from_slice(body).map_err(|e| e.to_string()),
        Decode::PathTracking => {
            let mut deserializer = serde_json::Deserializer::from_slice(body);
            let value = serde_path_to_error::deserialize(&mut deserializer)
                .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
            deserializer.end().map_err(|e| e.to_string())?;
            Ok(value)
        }
    }
}

// ----- the canned responses -----------------------------------------------------------------

struct Bodies {
    video: Vec<u8>,
    page: Vec<u8>,
}

/// The two response bodies, built from the first example of every property of
/// `VideoDetail` in `spec`; both are checked to decode into the generated types.
fn bodies(spec: &Value) -> Result<Bodies, String> {
    let properties = spec["components"]["schemas"]["VideoDetail"]["properties"]
        .as_object()
        .ok_or("the spec has no components.schemas.VideoDetail.properties")?;
    let mut example = Map::new();
    for (name, property) in properties {
        let value = property
            .get("examples")
            .and_then(|examples| examples.get(0))
            .or_else(|| property.get("example"));
        if let Some(value) = value {
            example.insert(name.clone(), value.clone());
        }
    }
    let video = |id: String, offset: i64| {
        let mut video = example.clone();
        video.insert("id".into(), Value::String(id));
        if let Some(created) = video.get("created_at").and_then(Value::as_i64) {
            video.insert("created_at".into(), json!(created - offset * 60));
        }
        Value::Object(video)
    };
    let items: Vec<Value> = (0..PAGE_SIZE)
        .map(|i| video(format!("v_{i:04}"), i as i64))
        .collect();
    let video = serde_json::to_vec(&json!({ "data": video(VIDEO_ID.into(), 0) }))
        .map_err(|e| e.to_string())?;
    let page = serde_json::to_vec(&json!({
        "data": items,
        "has_more": true,
        "next_token": "eyJvZmZzZXQiOjEwMH0",
    }))
    .map_err(|e| e.to_string())?;
    let decoded: DataEnvelope<VideoDetail> = serde_json::from_slice(&video)
        .map_err(|e| format!("the canned video does not decode into VideoDetail: {e}"))?;
    decoded.into_data().map_err(|e| e.to_string())?;
    let decoded: Page<VideoDetail> = serde_json::from_slice(&page)
        .map_err(|e| format!("the canned page does not decode into Page<VideoDetail>: {e}"))?;
    if decoded.data.len() != PAGE_SIZE {
        return Err("the canned page lost items".into());
    }
    Ok(Bodies { video, page })
}

// ----- the local server ---------------------------------------------------------------------

/// A batch the server holds: every request under `/hold` waits until `n` have arrived.
#[derive(Clone)]
struct Hold {
    barrier: Arc<Barrier>,
    /// The counted live heap when the last of them arrived.
    live: Arc<AtomicIsize>,
}

struct Shared {
    video: Vec<u8>,
    page: Vec<u8>,
    not_found: Vec<u8>,
    unauthorized: Vec<u8>,
    /// Requests answered with 404 or 401 (each also fails its caller).
    bad_requests: AtomicUsize,
    hold: Mutex<Option<Hold>>,
}

fn http_response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

impl Shared {
    fn new(bodies: &Bodies) -> Shared {
        let error = |code: &str| {
            json!({"error": {"code": code, "message": code}})
                .to_string()
                .into_bytes()
        };
        Shared {
            video: http_response("200 OK", &bodies.video),
            page: http_response("200 OK", &bodies.page),
            not_found: http_response("404 Not Found", &error("not_found")),
            unauthorized: http_response("401 Unauthorized", &error("unauthorized")),
            bad_requests: AtomicUsize::new(0),
            hold: Mutex::new(None),
        }
    }

    /// The response to a request head, and whether it is held.
    fn respond(&self, head: &[u8]) -> (&[u8], bool) {
        let target = head.split(|&b| b == b' ').nth(1).unwrap_or_default();
        let (target, held) = match target.strip_prefix(b"/hold") {
            Some(rest) => (rest, true),
            None => (target, false),
        };
        let key = format!("x-api-key: {API_KEY}");
        let authorised = head
            .split(|&b| b == b'\n')
            .any(|line| line.trim_ascii().eq_ignore_ascii_case(key.as_bytes()));
        let response = if !authorised {
            &self.unauthorized
        } else if target == format!("/v3/videos/{VIDEO_ID}").as_bytes() {
            &self.video
        } else if target == format!("/v3/videos?limit={PAGE_SIZE}").as_bytes() {
            &self.page
        } else {
            &self.not_found
        };
        if !std::ptr::eq(response, &self.video) && !std::ptr::eq(response, &self.page) {
            self.bad_requests.fetch_add(1, Relaxed);
        }
        (response, held)
    }
}

struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    /// The CPU clock of the server's thread.
    cpu_clock: libc::clockid_t,
}

impl Server {
    fn start(bodies: &Bodies) -> Result<Server, String> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let shared = Arc::new(Shared::new(bodies));
        let (ready, started) = std::sync::mpsc::channel();
        let state = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                bench::uncount_this_thread();
                let started = tokio::runtime::Builder::new_current_thread()
                    .enable_io()
                    .build()
                    .and_then(|runtime| {
                        let listener = {
                            let _entered = runtime.enter();
                            TcpListener::from_std(listener)?
                        };
                        Ok((runtime, listener))
                    });
                let (runtime, listener) = match started {
                    Ok(started) => started,
                    Err(error) => {
                        let _ = ready.send(Err(error.to_string()));
                        return;
                    }
                };
                let _ = ready.send(thread_cpu_clock());
                runtime.block_on(async move {
                    while let Ok((stream, _)) = listener.accept().await {
                        tokio::spawn(serve(stream, Arc::clone(&state)));
                    }
                });
            })
            .map_err(|e| e.to_string())?;
        let cpu_clock = started.recv().map_err(|e| e.to_string())??;
        Ok(Server {
            addr,
            shared,
            cpu_clock,
        })
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn hold_url(&self) -> String {
        format!("http://{}/hold", self.addr)
    }

    /// Holds the next `n` requests under `/hold` until all have arrived.
    fn arm(&self, n: usize) -> Hold {
        let hold = Hold {
            barrier: Arc::new(Barrier::new(n)),
            live: Arc::new(AtomicIsize::new(0)),
        };
        *self
            .shared
            .hold
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(hold.clone());
        hold
    }

    fn cpu(&self) -> f64 {
        cpu_seconds(self.cpu_clock)
    }
}

/// One connection: requests (GETs, no body) answered in order.
async fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    loop {
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read_buf(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        let (response, held) = shared.respond(&buffer[..head_end]);
        buffer.drain(..head_end);
        if held {
            let hold = shared
                .hold
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            if let Some(hold) = hold {
                // The last to arrive leads, before any held response is written.
                if hold.barrier.wait().await.is_leader() {
                    hold.live.store(bench::live_bytes(), Relaxed);
                }
            }
        }
        if stream.write_all(response).await.is_err() {
            return;
        }
    }
}

// ----- CPU clocks ---------------------------------------------------------------------------

fn thread_cpu_clock() -> Result<libc::clockid_t, String> {
    let mut clock: libc::clockid_t = 0;
    // SAFETY: `pthread_self()` is the calling, live thread and `clock` a valid out pointer.
    let rc = unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) };
    if rc == 0 {
        Ok(clock)
    } else {
        Err(format!("pthread_getcpuclockid failed ({rc})"))
    }
}

fn cpu_seconds(clock: libc::clockid_t) -> f64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid out pointer; a bad clock id only makes the call fail.
    let rc = unsafe { libc::clock_gettime(clock, &mut now) };
    if rc != 0 {
        return f64::NAN;
    }
    now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9
}

fn process_cpu() -> f64 {
    cpu_seconds(libc::CLOCK_PROCESS_CPUTIME_ID)
}

// ----- one batch ----------------------------------------------------------------------------

/// One side of a round: `requests` calls by `concurrency` tasks sharing `caller`.
#[derive(Debug, Clone, Copy)]
struct Sample {
    rps: f64,
    p50: f64,
    p99: f64,
    /// Client-side CPU per request: the process's CPU time minus the server thread's.
    cpu: f64,
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn run_batch(
    runtime: &Runtime,
    server: &Server,
    caller: &Arc<Caller>,
    call: Call,
    concurrency: usize,
    requests: usize,
) -> Result<Sample, String> {
    let per_task = requests / concurrency;
    let (cpu_before, server_before) = (process_cpu(), server.cpu());
    let started = Instant::now();
    let mut latencies = runtime.block_on(async {
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let caller = Arc::clone(caller);
                tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(per_task);
                    for _ in 0..per_task {
                        let sent = Instant::now();
                        std::hint::black_box(caller.call(call).await?);
                        latencies.push(sent.elapsed().as_secs_f64());
                    }
                    Ok::<_, String>(latencies)
                })
            })
            .collect();
        let mut all = Vec::with_capacity(requests);
        for task in tasks {
            all.extend(task.await.map_err(|e| e.to_string())??);
        }
        Ok::<_, String>(all)
    })?;
    let wall = started.elapsed().as_secs_f64();
    let cpu = (process_cpu() - cpu_before) - (server.cpu() - server_before);
    latencies.sort_by(f64::total_cmp);
    let n = latencies.len() as f64;
    Ok(Sample {
        rps: n / wall,
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
        cpu: cpu / n,
    })
}

// ----- throughput and latency ---------------------------------------------------------------

/// One call at one concurrency: every variant's samples, round by round.
struct Scenario {
    call: Call,
    concurrency: usize,
    requests: usize,
    /// `samples[v][round]`, in the order of `variants`.
    samples: Vec<Vec<Sample>>,
}

impl Scenario {
    fn plain(&self, variants: &[Variant]) -> usize {
        variants
            .iter()
            .position(|v| *v == Variant::Plain)
            .unwrap_or(0)
    }

    /// The median (and quartiles) of `metric(variant) / metric(plain)`, round by round.
    fn ratio(&self, variants: &[Variant], v: usize, metric: fn(&Sample) -> f64) -> Stats {
        let plain = &self.samples[self.plain(variants)];
        let ratios: Vec<f64> = self.samples[v]
            .iter()
            .zip(plain)
            .map(|(a, b)| metric(a) / metric(b))
            .collect();
        bench::stats(&ratios)
    }

    fn median(&self, v: usize, metric: fn(&Sample) -> f64) -> f64 {
        let values: Vec<f64> = self.samples[v].iter().map(metric).collect();
        bench::stats(&values).median
    }
}

fn measure_scenario(
    runtime: &Runtime,
    server: &Server,
    callers: &[Arc<Caller>],
    variants: &[Variant],
    (call, concurrency): (Call, usize),
    rounds: usize,
    batch_seconds: f64,
) -> Result<Scenario, String> {
    // Warm-up (connections, caches), which also times plain for the calibration.
    let warm_up = (200 / concurrency).max(4) * concurrency;
    let mut plain_rps = 0.0;
    for (variant, caller) in variants.iter().zip(callers) {
        let sample = run_batch(runtime, server, caller, call, concurrency, warm_up)?;
        if *variant == Variant::Plain {
            plain_rps = sample.rps;
        }
    }
    let per_task = ((batch_seconds * plain_rps) / concurrency as f64).round() as usize;
    let requests = per_task.clamp(4, 100_000) * concurrency;
    eprintln!(
        "bench: {} at concurrency {concurrency}: {rounds} rounds of {requests} requests per variant",
        call.short()
    );
    let mut samples = vec![Vec::with_capacity(rounds); variants.len()];
    for round in 0..rounds {
        for i in 0..variants.len() {
            let v = (i + round) % variants.len();
            let sample = run_batch(runtime, server, &callers[v], call, concurrency, requests)?;
            samples[v].push(sample);
        }
    }
    Ok(Scenario {
        call,
        concurrency,
        requests,
        samples,
    })
}

// ----- memory per in-flight request ---------------------------------------------------------

#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    /// Live heap with all N requests sent and none answered, per request.
    live: f64,
    /// Peak heap of the batch (send, receive, decode, drop), per request.
    peak: f64,
    allocated: f64,
    allocations: f64,
}

/// `n` calls at once through `caller` (for the hold URL), held by the server
/// until all arrived; counted after an uncounted batch that opens the connections.
fn held_batch(
    runtime: &Runtime,
    server: &Server,
    caller: &Arc<Caller>,
    call: Call,
    n: usize,
    counted: bool,
) -> Result<Memory, String> {
    let hold = server.arm(n);
    if counted {
        bench::start_counting();
    }
    let result = runtime.block_on(async {
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let caller = Arc::clone(caller);
                tokio::spawn(async move { caller.call(call).await.map(drop) })
            })
            .collect();
        for task in tasks {
            task.await.map_err(|e| e.to_string())??;
        }
        Ok::<_, String>(())
    });
    let heap = bench::stop_counting();
    result?;
    let per = |bytes: f64| bytes / n as f64;
    Ok(Memory {
        live: per(hold.live.load(Relaxed) as f64),
        peak: per(heap.peak as f64),
        allocated: per(heap.allocated as f64),
        allocations: per(heap.allocations as f64),
    })
}

/// Per call, per variant: the median over [`MEMORY_REPEATS`] interleaved batches.
fn measure_memory(
    runtime: &Runtime,
    server: &Server,
    variants: &[Variant],
    calls: &[Call],
    n: usize,
) -> Result<Vec<(Call, Vec<Memory>)>, String> {
    let callers = variants
        .iter()
        .map(|v| v.caller(&server.hold_url()).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for &call in calls {
        let mut samples = vec![Vec::new(); variants.len()];
        for caller in &callers {
            held_batch(runtime, server, caller, call, n, false)?;
        }
        for _ in 0..MEMORY_REPEATS {
            for (v, caller) in callers.iter().enumerate() {
                samples[v].push(held_batch(runtime, server, caller, call, n, true)?);
            }
        }
        let medians = samples
            .iter()
            .map(|s: &Vec<Memory>| {
                let median = |f: fn(&Memory) -> f64| {
                    bench::stats(&s.iter().map(f).collect::<Vec<_>>()).median
                };
                Memory {
                    live: median(|m| m.live),
                    peak: median(|m| m.peak),
                    allocated: median(|m| m.allocated),
                    allocations: median(|m| m.allocations),
                }
            })
            .collect();
        out.push((call, medians));
    }
    Ok(out)
}

// ----- report -------------------------------------------------------------------------------

fn rps(sample: &Sample) -> f64 {
    sample.rps
}
fn p50(sample: &Sample) -> f64 {
    sample.p50
}
fn p99(sample: &Sample) -> f64 {
    sample.p99
}
fn cpu(sample: &Sample) -> f64 {
    sample.cpu
}

fn us(seconds: f64) -> String {
    if seconds < 1e-3 {
        format!("{:.0} µs", seconds * 1e6)
    } else {
        format!("{:.2} ms", seconds * 1e3)
    }
}

fn ratio(stats: &Stats) -> String {
    format!("{:.2} ({:.2}–{:.2})", stats.median, stats.q1, stats.q3)
}

fn bytes(value: f64) -> String {
    if value >= 1e4 {
        format!("{:.1} kB", value / 1e3)
    } else {
        format!("{value:.0} B")
    }
}

struct Report<'a> {
    args: &'a BenchArgs,
    env: Vec<(String, String)>,
    variants: &'a [Variant],
    scenarios: &'a [Scenario],
    memory: &'a [(Call, Vec<Memory>)],
    bodies: (usize, usize),
    workers: usize,
}

fn render(report: &Report) -> String {
    let Report {
        args,
        variants,
        scenarios,
        memory,
        ..
    } = report;
    let client = 0;
    let plain = 1;
    let mut out = String::new();
    let _ = writeln!(out, "## Client runtime against plain reqwest\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    for (key, value) in &report.env {
        let _ = writeln!(out, "| {key} | {value} |");
    }
    let _ = writeln!(out, "| load average at end | {} |", bench::load_average());
    let _ = writeln!(
        out,
        "| command | `cargo xtask bench --client{}` (release build, feature `client-bench`) |",
        if args.ablation { " --ablation" } else { "" }
    );
    let _ = writeln!(
        out,
        "| setup | server in-process on 127.0.0.1 (HTTP/1.1 keep-alive, canned bodies of {} B and {} B), callers on a {}-worker tokio runtime; {} rounds per row, each variant about {} ms per round, order rotated every round |",
        report.bodies.0, report.bodies.1, report.workers, args.client_rounds, args.client_batch_ms
    );

    let _ = writeln!(out, "\n### Requests per second and latency\n");
    let _ = writeln!(
        out,
        "Ratio = client / plain, the median over rounds of the per-round ratio (IQR in \
         brackets); for req/s higher is better, for the rest lower. CPU is the process's \
         CPU time minus the server thread's, per request.\n"
    );
    let _ = writeln!(
        out,
        "| call | concurrency | requests per round | client req/s | plain req/s | **req/s ratio** | client p50 | plain p50 | **p50 ratio** | client p99 | plain p99 | **p99 ratio** | client CPU/req | plain CPU/req | **CPU ratio** |"
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for s in scenarios.iter() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.0} | {:.0} | **{}** | {} | {} | **{}** | {} | {} | **{}** | {} | {} | **{}** |",
            s.call.label(),
            s.concurrency,
            s.requests,
            s.median(client, rps),
            s.median(plain, rps),
            ratio(&s.ratio(variants, client, rps)),
            us(s.median(client, p50)),
            us(s.median(plain, p50)),
            ratio(&s.ratio(variants, client, p50)),
            us(s.median(client, p99)),
            us(s.median(plain, p99)),
            ratio(&s.ratio(variants, client, p99)),
            us(s.median(client, cpu)),
            us(s.median(plain, cpu)),
            ratio(&s.ratio(variants, client, cpu)),
        );
    }

    let _ = writeln!(
        out,
        "\n### Memory per in-flight request ({} at once)\n",
        args.client_in_flight
    );
    let _ = writeln!(
        out,
        "The server holds the {n} requests until all have arrived. Live: heap allocated \
         since just before they were sent and not freed when the last arrived, / {n}. \
         Peak: the batch's peak (responses read and decoded included), / {n}. Median of \
         {MEMORY_REPEATS} batches each; connections opened beforehand.\n",
        n = args.client_in_flight
    );
    let _ = writeln!(
        out,
        "| call | measure | client | plain | ratio |\n|---|---|---:|---:|---:|"
    );
    for (call, per_variant) in memory.iter() {
        let (c, p) = (&per_variant[client], &per_variant[plain]);
        let rows: [(&str, f64, f64, bool); 4] = [
            ("live bytes in flight", c.live, p.live, true),
            ("peak bytes", c.peak, p.peak, true),
            ("bytes allocated", c.allocated, p.allocated, true),
            ("allocations", c.allocations, p.allocations, false),
        ];
        for (what, a, b, is_bytes) in rows {
            let show = |v: f64| {
                if is_bytes {
                    bytes(v)
                } else {
                    format!("{v:.0}")
                }
            };
            let _ = writeln!(
                out,
                "| {} | {what} | {} | {} | {:.2} |",
                call.short(),
                show(a),
                show(b),
                a / b
            );
        }
    }

    if variants.len() > 2 {
        let _ = writeln!(out, "\n### Where the time goes (ablation)\n");
        let _ = writeln!(
            out,
            "Each variant against plain, in the same rounds (median of per-round ratios; \
             req/s higher is better, CPU/request lower). Allocations per request from the \
             memory batches.\n"
        );
        let mut header = String::from("| variant |");
        let mut rule = String::from("|---|");
        for s in scenarios.iter() {
            let _ = write!(
                header,
                " {} c={} req/s | CPU/req |",
                s.call.short(),
                s.concurrency
            );
            rule.push_str("---:|---:|");
        }
        for (call, _) in memory.iter() {
            let _ = write!(header, " {} allocs |", call.short());
            rule.push_str("---:|");
        }
        let _ = writeln!(out, "{header}\n{rule}");
        for (v, variant) in variants.iter().enumerate() {
            let mut row = format!("| {} |", variant.label());
            for s in scenarios.iter() {
                let _ = write!(
                    row,
                    " {:.2} | {:.2} |",
                    s.ratio(variants, v, rps).median,
                    s.ratio(variants, v, cpu).median
                );
            }
            for (_, per_variant) in memory.iter() {
                let _ = write!(row, " {:.0} |", per_variant[v].allocations);
            }
            let _ = writeln!(out, "{row}");
        }
    }

    let _ = writeln!(
        out,
        "\n### Goal: within {:.0}% of plain reqwest\n",
        WITHIN * 100.0
    );
    let _ = writeln!(
        out,
        "| call | concurrency | req/s ratio (>= {:.2}) | p50 ratio (<= {:.2}) | p99 ratio (<= {:.2}) | met |\n|---|---:|---:|---:|---:|---|",
        1.0 - WITHIN,
        1.0 + WITHIN,
        1.0 + WITHIN
    );
    for s in scenarios.iter() {
        let (r, l50, l99) = (
            s.ratio(variants, client, rps).median,
            s.ratio(variants, client, p50).median,
            s.ratio(variants, client, p99).median,
        );
        let met = r >= 1.0 - WITHIN && l50 <= 1.0 + WITHIN && l99 <= 1.0 + WITHIN;
        let _ = writeln!(
            out,
            "| {} | {} | {r:.2} | {l50:.2} | {l99:.2} | {} |",
            s.call.short(),
            s.concurrency,
            if met { "yes" } else { "**no**" }
        );
    }
    out
}

// ----- entry point --------------------------------------------------------------------------

pub fn run(args: &BenchArgs) -> Result<(), String> {
    if args.client_rounds < 1 || args.client_in_flight < 1 {
        return Err("--client-rounds and --client-in-flight must be at least 1".into());
    }
    let root = generator::pipeline::workspace_root();
    let specs = args.specs.clone().unwrap_or_else(|| root.join("specs"));
    let spec_path = specs.join(contract::FULL_SPEC);
    let text =
        std::fs::read_to_string(&spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let spec: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let bodies = bodies(&spec)?;
    let env = bench::environment();
    let server = Server::start(&bodies)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let workers = runtime.metrics().num_workers();

    let mut variants = vec![Variant::Client, Variant::Plain];
    if args.ablation {
        variants.extend([
            Variant::ClientNoTimeouts,
            Variant::ClientRawBytes,
            Variant::PlainPathDecode,
        ]);
    }
    let callers = variants
        .iter()
        .map(|v| v.caller(&server.base_url()).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    let batch_seconds = args.client_batch_ms as f64 / 1e3;
    let mut scenarios = Vec::new();
    let calls: Vec<Call> = Call::ALL
        .into_iter()
        .filter(|call| {
            args.client_only
                .as_deref()
                .is_none_or(|only| only == call.id())
        })
        .collect();
    for &call in &calls {
        for concurrency in CONCURRENCY {
            scenarios.push(measure_scenario(
                &runtime,
                &server,
                &callers,
                &variants,
                (call, concurrency),
                args.client_rounds,
                batch_seconds,
            )?);
        }
    }
    eprintln!(
        "bench: memory, {} requests in flight",
        args.client_in_flight
    );
    let memory = measure_memory(&runtime, &server, &variants, &calls, args.client_in_flight)?;
    let bad = server.shared.bad_requests.load(Relaxed);
    if bad > 0 {
        return Err(format!("the server answered {bad} requests with 401/404"));
    }

    let body = render(&Report {
        args,
        env,
        variants: &variants,
        scenarios: &scenarios,
        memory: &memory,
        bodies: (bodies.video.len(), bodies.page.len()),
        workers,
    });
    println!("{body}");
    if args.out != Path::new("-") {
        let path = if args.out.is_relative() {
            root.join(&args.out)
        } else {
            args.out.clone()
        };
        bench::write_section(&path, (BEGIN, END), &body)?;
        eprintln!("bench: wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({"components": {"schemas": {"VideoDetail": {"properties": {
            "id": {"type": "string", "examples": ["v_x"]},
            "status": {"examples": ["completed"]},
            "created_at": {"example": 1711929600},
            "title": {"type": "string"}
        }}}}})
    }

    #[test]
    fn bodies_come_from_the_spec_examples_and_decode() {
        let bodies = bodies(&spec()).unwrap();
        let video: Value = serde_json::from_slice(&bodies.video).unwrap();
        assert_eq!(
            video,
            json!({"data": {"id": "v_1", "status": "completed", "created_at": 1711929600}})
        );
        let page: Page<VideoDetail> = serde_json::from_slice(&bodies.page).unwrap();
        assert_eq!(page.data.len(), PAGE_SIZE);
        assert_eq!(page.data[1].id, "v_0001");
        assert_eq!(page.data[1].created_at, Some(1711929600 - 60));
    }

    #[test]
    fn server_routes_by_target_and_key() {
        let shared = Shared::new(&bodies(&spec()).unwrap());
        let head = |target: &str, key: &str| {
            format!("GET {target} HTTP/1.1\r\nhost: x\r\nX-Api-Key: {key}\r\n\r\n").into_bytes()
        };
        let (response, held) = shared.respond(&head("/v3/videos/v_1", API_KEY));
        assert!(std::ptr::eq(response, shared.video.as_slice()) && !held);
        let (response, held) = shared.respond(&head("/hold/v3/videos?limit=100", API_KEY));
        assert!(std::ptr::eq(response, shared.page.as_slice()) && held);
        assert_eq!(shared.bad_requests.load(Relaxed), 0);
        let (response, _) = shared.respond(&head("/v3/videos/v_1", "other"));
        assert!(response.starts_with(b"HTTP/1.1 401"));
        let (response, _) = shared.respond(&head("/v3/videos?limit=10", API_KEY));
        assert!(response.starts_with(b"HTTP/1.1 404"));
        assert_eq!(shared.bad_requests.load(Relaxed), 2);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let sorted: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&sorted, 0.5), 50.0);
        assert_eq!(percentile(&sorted, 0.99), 99.0);
        assert_eq!(percentile(&[3.0], 0.99), 3.0);
    }
}
