//! List every video of the account, page after page, as one stream.
//!
//! ```sh
//! HEYGEN_API_KEY=... cargo run -p heygen --example list_videos -- [PAGE_SIZE]
//! ```
//!
//! Shows `videos().list_videos().stream()`: it fetches `GET /v3/videos` one
//! page at a time (PAGE_SIZE items each, default 50), following `next_token`
//! until the last page, and yields the videos one by one. Every paginated
//! `list_*` call has `.stream()`; the stream owns its client, so it can be
//! returned from a function or spawned. `HEYGEN_BASE_URL` sends the requests
//! elsewhere.

// The stream is a `futures` stream: `StreamExt` gives it `.next()`.
use heygen::futures_util::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let page_size: i64 = match std::env::args().nth(1) {
        Some(size) => size.parse()?,
        None => 50,
    };

    let client = heygen::Client::from_env()?;

    let mut videos = std::pin::pin!(client.videos().list_videos().limit(page_size).stream());
    let mut count = 0;
    while let Some(video) = videos.next().await {
        // An error (after the client's own retries) ends the stream.
        let video = video?;
        count += 1;
        println!(
            "{}  {:<10}  {}",
            video.id,
            video.status.as_str(),
            video.title.as_deref().unwrap_or("(untitled)")
        );
    }
    println!("{count} videos in all");
    Ok(())
}
