//! Upload an image as an asset, then use the asset: animate the image into a
//! talking video.
//!
//! ```sh
//! HEYGEN_API_KEY=... cargo run -p heygen --example upload_asset -- IMAGE [VOICE_ID] [SCRIPT]
//! ```
//!
//! Shows `FileUpload::from_path` (the file is streamed from disk, and its
//! MIME type guessed from the extension), `assets().upload_asset`, which
//! answers with an `asset_id`, and that id passed to `videos().create_video`
//! as the `image` of an `image` request body. Assets (PNG, JPEG, MP4, WebM,
//! MP3, WAV, PDF; up to 32 MB) can be used wherever the API takes an
//! `asset_id`. `HEYGEN_BASE_URL` sends the requests elsewhere.

use heygen::types::{AssetId, CreateVideoFromImage};
use heygen::FileUpload;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: upload_asset IMAGE [VOICE_ID] [SCRIPT]")?;
    let voice_id = args
        .next()
        .unwrap_or_else(|| "1bd001e7e50f421d891986aad5158bc8".to_owned());
    let script = args
        .next()
        .unwrap_or_else(|| "This picture can talk now.".to_owned());

    let client = heygen::Client::from_env()?;

    // Fails here, before any request, if the file does not exist.
    let file = FileUpload::from_path(&path)?;
    let title = format!("Talking {}", file.name());
    println!("uploading {path} as {}", file.content_type());
    let asset = client.assets().upload_asset(file).await?;
    println!(
        "uploaded asset {} ({}, {} bytes)",
        asset.asset_id, asset.mime_type, asset.size_bytes
    );
    println!("asset url: {}", asset.url);

    // The asset id goes where an image is expected (`AssetUrlOrIdOrBase64`
    // takes any of its variants through `From`).
    let request = CreateVideoFromImage::new(AssetId::new(asset.asset_id))
        .title(title)
        .script(script)
        .voice_id(voice_id);
    let created = client.videos().create_video(request).await?;
    println!(
        "created video {} from the asset (status: {})",
        created.video_id, created.status
    );
    // To wait for the render, see the create_video_and_wait example.
    Ok(())
}
