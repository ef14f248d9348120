//! Receive HeyGen's webhook deliveries with axum: check each one's signature,
//! print the typed event, and answer 200 (401 when the signature is missing or
//! wrong, 400 when a signed body is not a delivery).
//!
//! ```sh
//! HEYGEN_WEBHOOK_SECRET=... cargo run -p heygen --example receive_webhook -- \
//!     [--listen 127.0.0.1:3000] [--deliveries N]
//! ```
//!
//! Deliveries arrive as `POST /webhooks/heygen`; register that URL (public,
//! HTTPS, e.g. through a reverse proxy) with `client.webhooks().create_webhook_endpoint(..)`,
//! whose answer holds the signing secret. `--listen 127.0.0.1:0` picks a free
//! port; the address is printed once the server listens. `--deliveries N`
//! stops the server after N requests (for tests).
//!
//! The handler takes the body as raw bytes: the signature covers them exactly,
//! so they must not be parsed (or re-serialized) before the check.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use heygen::webhooks::{Event, WebhookError};
use tokio::sync::Notify;

struct App {
    secret: String,
    /// Stop after this many requests (`None`: serve forever).
    limit: Option<usize>,
    received: AtomicUsize,
    done: Notify,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("HEYGEN_WEBHOOK_SECRET")
        .map_err(|_| "set HEYGEN_WEBHOOK_SECRET to the endpoint's signing secret")?;
    let mut listen: SocketAddr = "127.0.0.1:3000".parse()?;
    let mut limit = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--listen" => listen = value.parse()?,
            "--deliveries" => limit = Some(value.parse()?),
            _ => return Err(format!("unknown argument {arg}").into()),
        }
    }

    let app = Arc::new(App {
        secret,
        limit,
        received: AtomicUsize::new(0),
        done: Notify::new(),
    });
    let router = Router::new()
        .route("/webhooks/heygen", post(receive))
        .with_state(app.clone());
    let listener = tokio::net::TcpListener::bind(listen).await?;
    println!("listening on http://{}/webhooks/heygen", listener.local_addr()?);
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { app.done.notified().await })
        .await?;
    Ok(())
}

async fn receive(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    // `HeaderMap::get` ignores the case of the name, as HTTP requires.
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let status = match heygen::webhooks::verify_and_parse(&body, header, &app.secret) {
        Ok(event) => {
            print_event(&event);
            StatusCode::OK
        }
        Err(error @ WebhookError::Body(_)) => {
            println!("rejected (400): {error}");
            StatusCode::BAD_REQUEST
        }
        Err(error) => {
            println!("rejected (401): {error}");
            StatusCode::UNAUTHORIZED
        }
    };
    let received = app.received.fetch_add(1, Ordering::SeqCst) + 1;
    if app.limit.is_some_and(|limit| received >= limit) {
        app.done.notify_one();
    }
    status
}

fn print_event(event: &Event) {
    let id = event.event_id().unwrap_or("no id");
    match event {
        Event::AvatarVideoSuccess(delivery) => {
            let video = &delivery.data;
            println!(
                "{} {id}: video {} is ready at {}",
                event.event_type(),
                video.video_id,
                video.url.as_deref().unwrap_or("(no url)")
            );
            if let Some(callback_id) = &video.callback_id {
                println!("  callback_id: {callback_id}");
            }
        }
        Event::AvatarVideoFail(delivery) => {
            println!(
                "{} {id}: {}",
                event.event_type(),
                serde_json::Value::Object(delivery.data.clone())
            );
        }
        Event::Unknown { event_type, raw } => {
            println!("{event_type} {id} (unknown to this crate): {raw}");
        }
        // Every other event type: its name and id.
        _ => println!("{} {id}", event.event_type()),
    }
}
