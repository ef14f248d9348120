//! Translate a video into one or more languages and wait for the results.
//!
//! ```sh
//! HEYGEN_API_KEY=... cargo run -p heygen --example translate_video -- VIDEO_URL [LANGUAGE]...
//! ```
//!
//! LANGUAGE is a name from `GET /v3/video-translations/languages` (default
//! `Spanish (Spain)`); several make one translation each. Shows
//! `video_translate().list_video_translation_languages` to check the names
//! first, `create_video_translation` from a public video URL, and
//! `get_video_translation_until_done` for each translation it started.
//!
//! `HEYGEN_POLL_INTERVAL_MS` sets the first pause between two checks (default
//! 10000). `HEYGEN_BASE_URL` sends the requests elsewhere.

use std::time::Duration;

use heygen::types::{AssetUrl, CreateVideoTranslationRequest};
use heygen::{Error, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let video_url = args
        .next()
        .ok_or("usage: translate_video VIDEO_URL [LANGUAGE]...")?;
    let mut languages: Vec<String> = args.collect();
    if languages.is_empty() {
        languages.push("Spanish (Spain)".to_owned());
    }

    let client = heygen::Client::from_env()?;
    let translate = client.video_translate();

    let supported = translate
        .list_video_translation_languages()
        .await?
        .languages;
    if let Some(unknown) = languages.iter().find(|l| !supported.contains(l)) {
        return Err(format!(
            "`{unknown}` is not a supported language; {} are, e.g. {}",
            supported.len(),
            supported[..supported.len().min(5)].join(", ")
        )
        .into());
    }

    let request =
        CreateVideoTranslationRequest::new(AssetUrl::new(video_url), languages)
            .title("Translated by the Rust client");
    let created = translate.create_video_translation(request).await?;
    println!(
        "started {} translation(s): {}",
        created.video_translation_ids.len(),
        created.video_translation_ids.join(", ")
    );

    let options = WaitOptions::default()
        .initial_interval(poll_interval()?)
        .timeout(Duration::from_secs(60 * 60));
    for id in &created.video_translation_ids {
        match translate
            .get_video_translation_until_done(id, options.clone())
            .await
        {
            Ok(done) => {
                let language = done.output_language.as_deref().unwrap_or("?");
                println!("translation {id} ({language}) is {}", done.status);
                if let Some(url) = &done.video_url {
                    println!("  video: {url}");
                }
            }
            // One failed language does not stop the others.
            Err(Error::WaitFailed { message, .. }) => {
                let message = message.as_deref().unwrap_or("no details");
                println!("translation {id} failed: {message}");
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

/// `HEYGEN_POLL_INTERVAL_MS`, or 10 s.
fn poll_interval() -> Result<Duration, std::num::ParseIntError> {
    match std::env::var("HEYGEN_POLL_INTERVAL_MS") {
        Ok(ms) => Ok(Duration::from_millis(ms.parse()?)),
        Err(_) => Ok(Duration::from_secs(10)),
    }
}
