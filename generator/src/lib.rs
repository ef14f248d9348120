//! heygen-codegen: OpenAPI documents in, a Rust client crate out.
//!
//! The pipeline, one module per stage:
//! `load` -> `quirks` -> `normalise` -> `merge` -> `ir` -> `emit` -> `format` -> `write`.

pub mod error;
pub mod load;
pub mod manifest;
pub mod quirks;

pub use error::{Error, Location, Result};
