//! Create an avatar video from a script, then wait until it is rendered.
//!
//! ```sh
//! HEYGEN_API_KEY=... cargo run -p heygen --example create_video_and_wait -- [AVATAR_ID] [VOICE_ID] [SCRIPT]
//! ```
//!
//! Shows `videos().create_video` with the `avatar` kind of request body, then
//! `get_video_until_done`, which polls `GET /v3/videos/{video_id}` until the
//! video is `completed` (or fails, or the wait times out). Avatar ids are
//! listed by `client.avatars().list_avatar_looks().stream()`, voice ids by
//! `client.voices().list_voices().stream()`.
//!
//! `HEYGEN_POLL_INTERVAL_MS` sets the first pause between two checks (default
//! 5000; it grows by half each time, up to 30 s). `HEYGEN_BASE_URL` sends the
//! requests elsewhere (a proxy, a mock server).

use std::time::Duration;

use heygen::types::CreateVideoFromAvatar;
use heygen::{Error, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let avatar_id = args
        .next()
        .unwrap_or_else(|| "Angela-inTshirt-20220820".to_owned());
    let voice_id = args
        .next()
        .unwrap_or_else(|| "1bd001e7e50f421d891986aad5158bc8".to_owned());
    let script = args
        .next()
        .unwrap_or_else(|| "Hello from the HeyGen Rust client!".to_owned());

    let client = heygen::Client::from_env()?;

    let request = CreateVideoFromAvatar::new(avatar_id)
        .title("Created by the Rust client")
        .script(script)
        .voice_id(voice_id);
    // The call sends a fresh Idempotency-Key (or the one given with
    // `.idempotency_key(..)`), so the client can safely retry the POST after a
    // timeout without creating two videos.
    let created = client.videos().create_video(request).await?;
    println!(
        "created video {} (status: {})",
        created.video_id, created.status
    );

    let options = WaitOptions::default()
        .initial_interval(poll_interval()?)
        .timeout(Duration::from_secs(30 * 60));
    let video = match client
        .videos()
        .get_video_until_done(&created.video_id, options)
        .await
    {
        Ok(video) => video,
        Err(Error::WaitFailed { code, message, .. }) => {
            let code = code.as_deref().unwrap_or("unknown");
            let message = message.as_deref().unwrap_or("no details");
            return Err(format!("video {} failed ({code}): {message}", created.video_id).into());
        }
        Err(error) => return Err(error.into()),
    };

    println!("video {} is {}", video.id, video.status);
    if let Some(duration) = video.duration {
        println!("duration: {duration:.1} s");
    }
    if let Some(url) = &video.video_url {
        println!("download: {url}");
    }
    if let Some(url) = &video.video_page_url {
        println!("open in HeyGen: {url}");
    }
    Ok(())
}

/// `HEYGEN_POLL_INTERVAL_MS`, or 5 s.
fn poll_interval() -> Result<Duration, std::num::ParseIntError> {
    match std::env::var("HEYGEN_POLL_INTERVAL_MS") {
        Ok(ms) => Ok(Duration::from_millis(ms.parse()?)),
        Err(_) => Ok(Duration::from_secs(5)),
    }
}
