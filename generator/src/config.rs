//! `specs/client.yaml`: what the generated client does beyond what the spec says
//! (which paths are legacy, which operations can be polled, how webhook
//! deliveries are signed and typed). Optional.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result};

pub const FILE_NAME: &str = "client.yaml";

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    #[serde(default)]
    pub legacy: Legacy,
    /// Long-running jobs: operations whose result can be polled until a terminal status.
    #[serde(default)]
    pub polling: Vec<PollingEntry>,
    /// Version of the generated crate, written into its Cargo.toml;
    /// `cargo xtask regen --bump` raises it as the API changes call for.
    #[serde(default = "default_crate_version")]
    pub crate_version: String,
    /// Receiving webhooks: how deliveries are signed and what their payloads are.
    #[serde(default)]
    pub webhooks: Option<Webhooks>,
    /// The file and text this was read from, to locate errors found later
    /// (an entry naming an operation that does not exist).
    #[serde(skip)]
    pub source: Option<ConfigSource>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigSource {
    pub path: PathBuf,
    pub text: String,
}

/// The generated crate's version when `client.yaml` does not give one.
pub const DEFAULT_CRATE_VERSION: &str = "0.1.0";

fn default_crate_version() -> String {
    DEFAULT_CRATE_VERSION.to_string()
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            legacy: Legacy::default(),
            polling: Vec::new(),
            crate_version: default_crate_version(),
            webhooks: None,
            source: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Legacy {
    /// Operations whose path starts with one of these go into the `legacy` namespace.
    #[serde(default)]
    pub path_prefixes: Vec<String>,
    /// A line added to the docs of every legacy operation.
    pub note: Option<String>,
    /// HeyGen retired the legacy API: its operations become `#[deprecated]`.
    pub retired: Option<Retirement>,
}

/// When and why the legacy operations were retired, and what replaces them.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Retirement {
    /// The date they stopped working, `YYYY-MM-DD` (stated in the deprecation note).
    pub since: String,
    /// The crate version that first marks them deprecated: the `since` of
    /// `#[deprecated]`, which must be a version (clippy's `deprecated_semver`).
    pub deprecated_in: String,
    /// Where the date comes from.
    pub reason: String,
    /// operationIds of legacy operations HeyGen still supports: not deprecated.
    #[serde(default)]
    pub still_supported: Vec<String>,
    /// The v3 operation that does what a retired one did, where there is one.
    #[serde(default)]
    pub replacements: Vec<Replacement>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    /// operationId of the retired operation.
    pub legacy: String,
    /// operationId of the v3 operation to use instead.
    pub v3: String,
    /// Why it is the replacement.
    pub reason: String,
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

/// The API for receiving webhook deliveries (signature check, typed events),
/// added to the module of one operation group.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Webhooks {
    /// Module name of the (v3) operation group that gets the API, e.g. `webhooks`.
    pub group: String,
    /// The request header carrying the hex HMAC-SHA256 of the body.
    pub signature_header: String,
    /// Component schema (a string enum) listing the event types: one `Event` variant each.
    pub event_types: String,
    /// Component schema of a delivered event (`event_id`, `event_type`,
    /// `event_data`, `created_at`): the shape of a delivery body.
    pub delivery: String,
    /// Where the signing scheme is documented.
    pub reason: String,
    /// Typed `event_data` for the event types whose payload HeyGen documents;
    /// the others carry the JSON object as received.
    #[serde(default)]
    pub payloads: Vec<WebhookPayload>,
}

/// The documented payload of one event type, emitted as a struct.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WebhookPayload {
    /// A value of the `event_types` enum.
    pub event_type: String,
    /// Rust name of the payload struct, UpperCamelCase.
    pub name: String,
    /// Its doc comment.
    pub description: String,
    pub fields: Vec<WebhookPayloadField>,
    /// Where HeyGen documents the payload.
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WebhookPayloadField {
    /// The JSON key (also the Rust field name: snake_case).
    pub name: String,
    /// `string` (the default), `integer`, `number` or `boolean`.
    #[serde(default = "default_field_type", rename = "type")]
    pub ty: String,
    /// Present in every delivery; otherwise an `Option`.
    #[serde(default)]
    pub required: bool,
    pub description: Option<String>,
}

fn default_field_type() -> String {
    "string".to_string()
}

impl ClientConfig {
    pub fn read(dir: &Path) -> Result<ClientConfig> {
        let path = dir.join(FILE_NAME);
        if !path.exists() {
            return Ok(ClientConfig::default());
        }
        let text = crate::text::read_text(&path)?;
        let config: ClientConfig = serde_yaml::from_str(&text).map_err(|e| {
            let line = e.location().map(|l| l.line());
            Error::spec(Location::new(&path, "").with_line(line), e.to_string())
        })?;
        if !is_plain_version(&config.crate_version) {
            let line = crate::text::line_in_text(&text, "/crate_version");
            return Err(Error::spec(
                Location::new(&path, "/crate_version").with_line(line),
                format!(
                    "invalid crate_version `{}`: expected MAJOR.MINOR.PATCH, e.g. 0.1.0",
                    config.crate_version
                ),
            ));
        }
        if let Some(retired) = &config.legacy.retired {
            if !crate::manifest::is_iso_date(&retired.since) {
                let line = crate::text::line_in_text(&text, "/legacy/retired/since");
                return Err(Error::spec(
                    Location::new(&path, "/legacy/retired/since").with_line(line),
                    format!("invalid date `{}`: expected YYYY-MM-DD", retired.since),
                ));
            }
            if !is_plain_version(&retired.deprecated_in) {
                let line = crate::text::line_in_text(&text, "/legacy/retired/deprecated_in");
                return Err(Error::spec(
                    Location::new(&path, "/legacy/retired/deprecated_in").with_line(line),
                    format!(
                        "invalid version `{}`: expected MAJOR.MINOR.PATCH, e.g. 0.1.0",
                        retired.deprecated_in
                    ),
                ));
            }
        }
        Ok(ClientConfig {
            source: Some(ConfigSource { path, text }),
            ..config
        })
    }

    /// Where `pointer` (into `client.yaml`) is, for errors about its entries.
    pub fn location(&self, pointer: &str) -> Location {
        match &self.source {
            Some(source) => Location::new(&source.path, pointer)
                .with_line(crate::text::line_in_text(&source.text, pointer)),
            None => Location::new(FILE_NAME, pointer),
        }
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

/// `MAJOR.MINOR.PATCH`, three decimal numbers.
pub fn is_plain_version(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) && p.parse::<u64>().is_ok()
        })
}

/// `text` (a `client.yaml`) with its `crate_version` set to `version`: the existing
/// top-level line is replaced in place, keeping comments; without one, the key is
/// appended.
pub fn set_crate_version(text: &str, version: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut found = false;
    for line in text.split_inclusive('\n') {
        if !found && line.starts_with("crate_version:") {
            found = true;
            // Keep what follows the old value (spacing and a comment).
            let value = line["crate_version:".len()..].trim_start();
            let rest = value
                .find(char::is_whitespace)
                .map(|at| value[at..].trim_end())
                .unwrap_or_default();
            out.push_str(&format!("crate_version: {version}{rest}\n"));
        } else {
            out.push_str(line);
        }
    }
    if !found {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!(
            "\n# Version of the generated crate; `cargo xtask regen --bump` raises it.\ncrate_version: {version}\n"
        ));
    }
    out
}

#[cfg(test)]
mod version_tests {
    use super::*;

    #[test]
    fn crate_version_defaults_and_validates() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            ClientConfig::read(dir.path())
                .expect("absent")
                .crate_version,
            "0.1.0"
        );
        std::fs::write(dir.path().join(FILE_NAME), "polling: []\n").expect("write");
        assert_eq!(
            ClientConfig::read(dir.path())
                .expect("default")
                .crate_version,
            "0.1.0"
        );
        std::fs::write(
            dir.path().join(FILE_NAME),
            "polling: []\ncrate_version: 1.2.x\n",
        )
        .expect("write");
        let message = ClientConfig::read(dir.path()).expect_err("bad").to_string();
        assert!(
            message.contains("client.yaml:2 at #/crate_version"),
            "{message}"
        );
    }

    #[test]
    fn set_crate_version_keeps_the_rest() {
        let text = "# comment\nlegacy: {}\ncrate_version: 0.1.0  # why\npolling: []\n";
        assert_eq!(
            set_crate_version(text, "1.0.0"),
            "# comment\nlegacy: {}\ncrate_version: 1.0.0  # why\npolling: []\n"
        );
        let appended = set_crate_version("legacy: {}", "0.2.0");
        assert!(appended.starts_with("legacy: {}\n"), "{appended}");
        assert!(appended.ends_with("crate_version: 0.2.0\n"), "{appended}");
        assert!(is_plain_version("10.0.3"));
        assert!(!is_plain_version("1.0"));
        assert!(!is_plain_version("1.0.0-rc1"));
    }
}
