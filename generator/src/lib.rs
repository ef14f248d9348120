//! heygen-codegen: OpenAPI documents in, a Rust client crate out.
//!
//! The pipeline, one module per stage, each importing only earlier ones:
//! `load` -> `quirks` -> `normalise` -> `lint` -> `merge` -> `ir` -> `emit` -> `format` -> `write`
//! (`pipeline` runs them). Below every stage: `error`, `text` and `naming`. Apart:
//! `config`, `manifest`, `surface`, `changes` and `report`.

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
