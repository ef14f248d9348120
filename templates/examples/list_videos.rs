//! List every video of the account, page after page, as one stream.
//!
//! ```sh
//! HEYGEN_API_KEY=... cargo run -p heygen --example list_videos -- [PAGE_SIZE]
//! ```
//!
//! Shows `videos().list_videos_stream`: it fetches `GET /v3/videos` one page
//! at a time (PAGE_SIZE items each, default 50), following `next_token` until
//! the last page, and yields the videos one by one. Every `list_*` operation
//! has such a `list_*_stream` twin. `HEYGEN_BASE_URL` sends the requests
//! elsewhere.

// The stream is a `futures` stream: `StreamExt` gives it `.next()`.
use heygen::futures_util::StreamExt;
use heygen::videos::ListVideosParams;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let page_size: i64 = match std::env::args().nth(1) {
        Some(size) => size.parse()?,
        None => 50,
    };

    let client = heygen::Client::from_env()?;

    let params = ListVideosParams {
        limit: Some(page_size),
        ..ListVideosParams::default()
    };
    let mut videos = client.videos().list_videos_stream(&params);
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
