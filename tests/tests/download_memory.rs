//! A download's memory stays bounded whatever the file's size: measured with
//! a counting global allocator (this test binary's own), over a 32 MiB file
//! saved to disk and streamed, each cut once and resumed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;

use heygen::futures_util::StreamExt;
use heygen::Client;
use heygen_codegen_tests::raw_http::{Cut, RawServer, Reply};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), SeqCst) + layout.size();
        PEAK.fetch_max(now, SeqCst);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), SeqCst);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SIZE: usize = 32 << 20;
/// The most the download may hold above what was allocated before it.
const BUDGET: usize = 4 << 20;

/// The growth of the peak over the current allocation while `work` runs.
fn peak_growth(
    runtime: &tokio::runtime::Runtime,
    work: impl std::future::Future<Output = ()>,
) -> usize {
    let base = CURRENT.load(SeqCst);
    PEAK.store(base, SeqCst);
    runtime.block_on(work);
    PEAK.load(SeqCst) - base
}

#[test]
fn a_32_mib_download_never_holds_more_than_a_few_chunks() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let body: Arc<[u8]> = (0..SIZE).map(|i| (i % 253) as u8).collect();
    let served = body.clone();
    // Each download's first response is cut a third of the way.
    let server = runtime.block_on(RawServer::start(move |n, request| {
        match request
            .header("range")
            .and_then(|r| r.strip_prefix("bytes="))
        {
            Some(start) => {
                let start: usize = start.trim_end_matches('-').parse().unwrap();
                Reply::new(206)
                    .header(
                        "content-range",
                        format!("bytes {start}-{}/{SIZE}", SIZE - 1),
                    )
                    .body(served.clone())
                    .slice(start..SIZE)
            }
            None if n % 2 == 0 => Reply::new(200)
                .body(served.clone())
                .cut_after(SIZE / 3, Cut::Close),
            None => unreachable!("every download is cut once"),
        }
    }));
    let client = Client::builder()
        .api_key("sk-memory")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("big.mp4");
    let url = format!("{}/big.mp4", server.url());

    let growth = peak_growth(&runtime, async {
        let written = client
            .download(url.as_str())
            .to_file(&target)
            .await
            .unwrap();
        assert_eq!(written, SIZE as u64);
    });
    assert!(growth < BUDGET, "to_file: the peak grew by {growth} bytes");
    assert!(std::fs::read(&target).unwrap() == *body);

    let growth = peak_growth(&runtime, async {
        let mut stream = std::pin::pin!(client.download(url.as_str()).stream());
        let mut total = 0;
        while let Some(chunk) = stream.next().await {
            total += chunk.unwrap().len();
        }
        assert_eq!(total, SIZE);
    });
    assert!(growth < BUDGET, "stream: the peak grew by {growth} bytes");
    assert_eq!(
        server.requests().len(),
        4,
        "two downloads, each resumed once"
    );
}
