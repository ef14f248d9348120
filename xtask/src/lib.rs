//! The library side of `cargo xtask`: the workflows that do more than call the
//! generator, kept here so that tests can drive them.

pub mod fetch;
pub mod fuzz;
pub mod update;
