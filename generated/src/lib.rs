//! Rust client for the HeyGen API, generated from HeyGen's OpenAPI specs.

mod runtime;
pub use runtime::*;
