//! heygen-codegen: OpenAPI documents in, a Rust client crate out.
//!
//! The pipeline, one module per stage:
//! `load` -> `quirks` -> `normalise` -> `merge` -> `ir` -> `emit` -> `format` -> `write`.

pub mod error;
pub mod load;
pub mod manifest;
pub mod normalise;
pub mod quirks;

pub use error::{Error, Location, Result};
pub mod changes;
pub mod config;
pub mod emit;
pub mod format;
pub mod ir;
pub mod lint;
pub mod merge;
pub mod naming;
pub mod pipeline;
pub mod report;
pub mod surface;
pub mod text;
pub mod write;

pub use pipeline::{generate, Generated, Options, Report};
