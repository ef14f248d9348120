//! `specs/client.yaml`: what the generated client does beyond what the spec says
//! (which paths are legacy, which operations can be polled). Optional.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Location, Result};

pub const FILE_NAME: &str = "client.yaml";

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    #[serde(default)]
    pub legacy: Legacy,
    /// Long-running jobs: operations whose result can be polled until a terminal status.
    #[serde(default)]
    pub polling: Vec<PollingEntry>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Legacy {
    /// Operations whose path starts with one of these go into the `legacy` namespace.
    #[serde(default)]
    pub path_prefixes: Vec<String>,
    /// A line added to the docs of every legacy operation.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PollingEntry {
    /// operationId of the GET that returns the job.
    pub operation: String,
    pub status_field: String,
    pub succeeded: Vec<String>,
    pub failed: Vec<String>,
    pub failure_code_field: Option<String>,
    pub failure_message_field: Option<String>,
    /// Why this operation is pollable (kept for readers of the data file).
    pub reason: String,
}

impl ClientConfig {
    pub fn read(dir: &Path) -> Result<ClientConfig> {
        let path = dir.join(FILE_NAME);
        if !path.exists() {
            return Ok(ClientConfig::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        serde_yaml::from_str(&text).map_err(|e| {
            let line = e.location().map(|l| l.line());
            Error::spec(Location::new(&path, "").with_line(line), e.to_string())
        })
    }

    pub fn is_legacy(&self, path: &str) -> bool {
        self.legacy
            .path_prefixes
            .iter()
            .any(|prefix| path.starts_with(prefix.as_str()))
    }

    pub fn polling_for(&self, operation_id: &str) -> Option<&PollingEntry> {
        self.polling
            .iter()
            .find(|entry| entry.operation == operation_id)
    }
}
