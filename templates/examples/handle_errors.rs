//! React to the errors an application meets most: a missing resource (404),
//! rate limiting (429 with `Retry-After`) and a request the API rejects as
//! invalid (400 `invalid_parameter`, or 422).
//!
//! ```sh
//! HEYGEN_API_KEY=... cargo run -p heygen --example handle_errors -- [VIDEO_ID] [AVATAR_ID]
//! ```
//!
//! Every call returns `heygen::Result<T>`. The `Error` helpers (`status`,
//! `is_not_found`, `is_rate_limited`, `retry_after`, `code`, `message`,
//! `request_id`) answer most questions; `Error::Api` holds the whole v3
//! error, including `param`, the request field at fault. Printed with `{}`,
//! an error is one line: status, code, message and the request id to quote
//! to HeyGen's support. `HEYGEN_BASE_URL` sends the requests elsewhere.

use std::time::Duration;

use heygen::types::CreateVideoFromAvatar;
use heygen::{Error, RetryPolicy};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let video_id = args.next().unwrap_or_else(|| "v_no_such_video".to_owned());
    let avatar_id = args
        .next()
        .unwrap_or_else(|| "Angela-inTshirt-20220820".to_owned());

    let client = heygen::Client::from_env()?;

    // 1. Not found: a 404 is an error like any other; `is_not_found` spots it.
    match client.videos().get_video(&video_id).await {
        Ok(video) => println!("video {} exists (status: {})", video.id, video.status),
        Err(error) if error.is_not_found() => println!(
            "not found: there is no video {video_id} ({})",
            error.message().unwrap_or("no message")
        ),
        Err(error) => return Err(error.into()),
    }

    // 2. Rate limited: the client retries a 429 by itself, waiting as long as
    // its Retry-After header asks (at most `max_retry_after`). This call
    // retries once and waits at most 5 s, so a lasting 429 soon comes back as
    // an error, whose `retry_after` says how long the server wants us to wait.
    let impatient = RetryPolicy::default()
        .max_retries(1)
        .max_retry_after(Duration::from_secs(5));
    let list = client.videos().list_videos().limit(10).retry_policy(impatient);
    let page = match list.clone().await {
        Ok(page) => page,
        Err(error) if error.is_rate_limited() => {
            let wait = error.retry_after().unwrap_or(Duration::from_secs(1));
            println!(
                "rate limited ({}): retrying in {} s",
                error.code().unwrap_or("no code"),
                wait.as_secs_f64()
            );
            tokio::time::sleep(wait).await;
            list.await?
        }
        Err(error) => return Err(error.into()),
    };
    println!("listed {} videos after the rate limit", page.data.len());

    // 3. Invalid request: a script without a voice. The API names the field
    // at fault in `param`. Such an error is not retried: fix the request.
    let request = CreateVideoFromAvatar::new(avatar_id).script("Who is speaking?");
    match client.videos().create_video(request).await {
        Ok(created) => println!("created video {}", created.video_id),
        Err(Error::Api(error)) if matches!(error.status, 400 | 422) => println!(
            "invalid request (HTTP {}, {}): {} [field: {}]",
            error.status,
            error.code.as_deref().unwrap_or("no code"),
            error.message.as_deref().unwrap_or("no message"),
            error.param.as_deref().unwrap_or("none given")
        ),
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
