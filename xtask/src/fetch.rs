//! `cargo xtask fetch-specs`: download every document of `specs/manifest.yaml`
//! from its `url`, check that each still holds an OpenAPI document, and replace
//! the files only when every download succeeded.
//!
//! All or nothing: the documents are staged in a temporary folder inside the
//! specs folder; only when all of them downloaded and parsed are they renamed
//! into place, followed by the manifest with each entry's `fetched` date (today,
//! UTC) and `sha256` (of the bytes written). A failure names the URL and why
//! (HTTP status, timeout, no OpenAPI document in the page) and changes nothing.
//!
//! The manifest is edited line by line, so its comments stay; if the edit cannot
//! be made safely (an unusual layout), it is written anew with a header comment.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use generator::manifest::{self, Manifest, ManifestEntry};

/// A download larger than this is refused (the full HeyGen spec is ~450 KB).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The specs folder holding `manifest.yaml`.
    pub specs: PathBuf,
    /// Timeout of each request (connect and read).
    pub timeout: Duration,
    /// The date recorded as `fetched`; today (UTC) when `None`.
    pub today: Option<String>,
    /// Also download entries marked `unverified` (skipped otherwise).
    pub include_unverified: bool,
}

/// What happened to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub id: String,
    pub file: String,
    pub url: String,
    pub bytes: usize,
    pub sha256: String,
    /// The file's content differs from what was there before.
    pub changed: bool,
}

/// A manifest entry that was not downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: String,
    pub why: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchReport {
    pub fetched: Vec<Fetched>,
    /// Entries left as they were, with why: no `url`, or marked `unverified`.
    pub skipped: Vec<Skipped>,
    /// The manifest could not be edited in place and was written anew.
    pub manifest_regenerated: bool,
}

/// Why a fetch failed. Nothing in the specs folder was changed.
#[derive(Debug)]
pub enum FetchError {
    /// The manifest is missing or invalid.
    Manifest(String),
    /// The server answered with a non-2xx status.
    Status {
        url: String,
        status: u16,
        reason: String,
    },
    /// No answer within the timeout.
    Timeout { url: String, seconds: u64 },
    /// Connection, TLS or protocol failure.
    Transport { url: String, message: String },
    /// The body is not (and does not embed) an OpenAPI document.
    NoSpec { url: String, message: String },
    /// The body is an OpenAPI document, but not the one the entry's `expect` describes.
    Unexpected {
        url: String,
        id: String,
        mismatches: Vec<String>,
    },
    /// The download exceeds [`MAX_BYTES`].
    TooLarge { url: String },
    /// Reading or writing files.
    Io { path: PathBuf, message: String },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Manifest(message) => write!(f, "{message}"),
            FetchError::Status {
                url,
                status,
                reason,
            } => {
                write!(f, "{url}: HTTP {status}")?;
                if !reason.is_empty() {
                    write!(f, " {reason}")?;
                }
                Ok(())
            }
            FetchError::Timeout { url, seconds } => {
                write!(
                    f,
                    "{url}: timed out (no complete answer within {seconds} s)"
                )
            }
            FetchError::Transport { url, message } => write!(f, "{url}: {message}"),
            FetchError::NoSpec { url, message } => {
                write!(
                    f,
                    "{url}: the download is not an OpenAPI document: {message}"
                )
            }
            FetchError::Unexpected {
                url,
                id,
                mismatches,
            } => write!(
                f,
                "{url}: the download is not the document `{id}` expects: {}",
                mismatches.join("; ")
            ),
            FetchError::TooLarge { url } => {
                write!(f, "{url}: the download is larger than {MAX_BYTES} bytes")
            }
            FetchError::Io { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for FetchError {}

fn io_error(path: &Path, error: impl fmt::Display) -> FetchError {
    FetchError::Io {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

/// Downloads every document of the manifest; see the module docs.
pub fn fetch_specs(options: &FetchOptions) -> Result<FetchReport, FetchError> {
    let manifest_path = options.specs.join(manifest::FILE_NAME);
    if !manifest_path.is_file() {
        return Err(FetchError::Manifest(format!(
            "{}: no manifest; fetch-specs downloads the documents it lists",
            manifest_path.display()
        )));
    }
    let manifest_text =
        std::fs::read_to_string(&manifest_path).map_err(|e| io_error(&manifest_path, e))?;
    let old_manifest = manifest::parse(&manifest_text, &manifest_path)
        .map_err(|e| FetchError::Manifest(e.to_string()))?;
    let today = options.today.clone().unwrap_or_else(manifest::today_utc);

    let staging = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(&options.specs)
        .map_err(|e| io_error(&options.specs, e))?;
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(options.timeout)
        .timeout(options.timeout)
        .user_agent(concat!("heygen-codegen-xtask/", env!("CARGO_PKG_VERSION")))
        .build();

    let mut report = FetchReport::default();
    let mut new_manifest = old_manifest.clone();
    for entry in new_manifest.documents.iter_mut() {
        let Some(url) = entry.url.clone() else {
            report.skipped.push(Skipped {
                id: entry.id.clone(),
                why: "no url".into(),
            });
            continue;
        };
        if let (Some(why), false) = (&entry.unverified, options.include_unverified) {
            report.skipped.push(Skipped {
                id: entry.id.clone(),
                why: format!("unverified: {why}"),
            });
            continue;
        }
        let body = download(&agent, &url, options.timeout)?;
        let staged = staging.path().join(&entry.file);
        if let Some(dir) = staged.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        std::fs::write(&staged, &body).map_err(|e| io_error(&staged, e))?;
        // The same check regen makes: JSON, YAML, or a page embedding one document.
        let document = match generator::load::load_file(&staged, entry.id.clone()) {
            Ok(document) => document,
            Err(error) => {
                let message = error.to_string().replace(
                    &staged.display().to_string(),
                    &format!("downloaded {}", entry.file),
                );
                return Err(FetchError::NoSpec { url, message });
            }
        };
        if let Some(expect) = &entry.expect {
            let mismatches = expect.mismatches(&document.value);
            if !mismatches.is_empty() {
                return Err(FetchError::Unexpected {
                    url,
                    id: entry.id.clone(),
                    mismatches,
                });
            }
        }
        let sha256 = sha256_hex(&body);
        let existing = std::fs::read(options.specs.join(&entry.file)).ok();
        report.fetched.push(Fetched {
            id: entry.id.clone(),
            file: entry.file.clone(),
            url,
            bytes: body.len(),
            changed: existing.as_deref() != Some(body.as_slice()),
            sha256: sha256.clone(),
        });
        entry.fetched = Some(today.clone());
        entry.sha256 = Some(sha256);
    }

    let (text, regenerated) = manifest_text_for(&manifest_text, &new_manifest, &manifest_path)?;
    report.manifest_regenerated = regenerated;
    let staged_manifest = staging.path().join(manifest::FILE_NAME);
    std::fs::write(&staged_manifest, &text).map_err(|e| io_error(&staged_manifest, e))?;

    // Everything is staged: move it into place.
    for fetched in &report.fetched {
        let from = staging.path().join(&fetched.file);
        let to = options.specs.join(&fetched.file);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        std::fs::rename(&from, &to).map_err(|e| io_error(&to, e))?;
    }
    std::fs::rename(&staged_manifest, &manifest_path).map_err(|e| io_error(&manifest_path, e))?;
    Ok(report)
}

fn download(agent: &ureq::Agent, url: &str, timeout: Duration) -> Result<Vec<u8>, FetchError> {
    let timed_out = || FetchError::Timeout {
        url: url.to_string(),
        seconds: timeout.as_secs().max(1),
    };
    let response = match agent.get(url).call() {
        Ok(response) => response,
        Err(ureq::Error::Status(status, response)) => {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
                reason: response.status_text().to_string(),
            })
        }
        Err(ureq::Error::Transport(transport)) => {
            if is_timeout(&transport) {
                return Err(timed_out());
            }
            return Err(FetchError::Transport {
                url: url.to_string(),
                message: transport.to_string(),
            });
        }
    };
    let mut body = Vec::new();
    response
        .into_reader()
        .take(MAX_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|e| {
            if matches!(
                e.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                timed_out()
            } else {
                FetchError::Transport {
                    url: url.to_string(),
                    message: format!("reading the body: {e}"),
                }
            }
        })?;
    if body.len() as u64 > MAX_BYTES {
        return Err(FetchError::TooLarge {
            url: url.to_string(),
        });
    }
    Ok(body)
}

fn is_timeout(transport: &ureq::Transport) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> =
        std::error::Error::source(transport);
    while let Some(error) = source {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                return true;
            }
        }
        source = error.source();
    }
    transport.to_string().contains("timed out")
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest text for `manifest`: `original` edited in place when that gives
/// exactly `manifest`, else a fresh YAML rendering with a header comment.
fn manifest_text_for(
    original: &str,
    manifest: &Manifest,
    path: &Path,
) -> Result<(String, bool), FetchError> {
    if let Some(edited) = edit_manifest(original, &manifest.documents) {
        if manifest::parse(&edited, path).ok().as_ref() == Some(manifest) {
            return Ok((edited, false));
        }
    }
    let yaml = manifest
        .to_yaml()
        .map_err(|e| FetchError::Manifest(e.to_string()))?;
    let text = format!(
        "# The input documents of the generator (see generator/src/manifest.rs).\n\
         # Rewritten by `cargo xtask fetch-specs`, which records `fetched` and `sha256`.\n{yaml}"
    );
    match manifest::parse(&text, path) {
        Ok(parsed) if parsed == *manifest => Ok((text, true)),
        Ok(_) => Err(FetchError::Manifest(format!(
            "{}: internal error: the rewritten manifest does not read back the same",
            path.display()
        ))),
        Err(e) => Err(FetchError::Manifest(e.to_string())),
    }
}

/// Sets `fetched` and `sha256` of every entry in a block-style manifest, keeping
/// every other line. `None` when the layout is not the simple one this expects.
pub fn edit_manifest(text: &str, entries: &[ManifestEntry]) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim_end() == "documents:")?;
    // Entry starts: `- ` items of the documents list.
    let mut item_indent = None;
    let mut starts = Vec::new();
    let mut end = lines.len();
    for (index, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 && !trimmed.starts_with("- ") {
            end = index;
            break;
        }
        if trimmed.starts_with("- ") {
            match item_indent {
                None => item_indent = Some(indent),
                Some(i) if i == indent => {}
                Some(_) => return None,
            }
            starts.push(index);
        }
    }
    if starts.len() != entries.len() {
        return None;
    }
    let item_indent = item_indent?;
    let key_indent = item_indent + 2;
    let mut out: Vec<String> = lines[..start + 1].iter().map(|l| l.to_string()).collect();
    for (n, (&first, entry)) in starts.iter().zip(entries).enumerate() {
        if n == 0 {
            out.extend(lines[start + 1..first].iter().map(|l| l.to_string()));
        }
        let last = starts.get(n + 1).copied().unwrap_or(end);
        let block = &lines[first..last];
        // The entry's own lines end at its last key line; blank lines and
        // comments after it belong to the gap before the next entry.
        let own = block
            .iter()
            .rposition(|l| {
                let t = l.trim_start();
                !t.is_empty() && !t.starts_with('#')
            })
            .map(|i| i + 1)
            .unwrap_or(block.len());
        let mut entry_lines: Vec<String> = Vec::new();
        let mut seen_fetched = false;
        let mut seen_sha = false;
        for (i, line) in block[..own].iter().enumerate() {
            let body = if i == 0 {
                &line[item_indent + 2..]
            } else {
                let trimmed = line.trim_start();
                let indent = line.len() - trimmed.len();
                if !trimmed.is_empty() && !trimmed.starts_with('#') && indent != key_indent {
                    return None;
                }
                trimmed
            };
            let prefix = if i == 0 {
                format!("{}- ", " ".repeat(item_indent))
            } else {
                " ".repeat(key_indent)
            };
            if body.starts_with("fetched:") {
                seen_fetched = true;
                entry_lines.push(format!("{prefix}fetched: {}", entry.fetched.as_deref()?));
            } else if body.starts_with("sha256:") {
                seen_sha = true;
                entry_lines.push(format!("{prefix}sha256: {}", entry.sha256.as_deref()?));
            } else {
                entry_lines.push(line.to_string());
            }
        }
        let pad = " ".repeat(key_indent);
        if !seen_fetched {
            if let Some(fetched) = &entry.fetched {
                entry_lines.push(format!("{pad}fetched: {fetched}"));
            }
        }
        if !seen_sha {
            if let Some(sha) = &entry.sha256 {
                entry_lines.push(format!("{pad}sha256: {sha}"));
            }
        }
        out.extend(entry_lines);
        out.extend(block[own..].iter().map(|l| l.to_string()));
    }
    out.extend(lines[end..].iter().map(|l| l.to_string()));
    let mut text_out = out.join("\n");
    if text.ends_with('\n') {
        text_out.push('\n');
    }
    Some(text_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn entry(id: &str, file: &str, fetched: Option<&str>, sha: Option<&str>) -> ManifestEntry {
        ManifestEntry {
            id: id.into(),
            file: file.into(),
            url: Some(format!("https://example.com/{file}")),
            date: None,
            fetched: fetched.map(String::from),
            sha256: sha.map(String::from),
            ..ManifestEntry::default()
        }
    }

    #[test]
    fn edits_in_place_keeping_comments() {
        let text = "# top\ndocuments:\n  - id: a\n    file: a.json\n    url: https://example.com/a.json\n    # about b\n    fetched: 2020-01-01  # old\n\n  # between\n  - id: b\n    file: b.md\n    url: https://example.com/b.md\n";
        let entries = [
            entry("a", "a.json", Some("2026-05-01"), Some(SHA)),
            entry("b", "b.md", Some("2026-05-01"), Some(SHA)),
        ];
        let edited = edit_manifest(text, &entries).expect("simple layout");
        assert_eq!(
            edited,
            format!("# top\ndocuments:\n  - id: a\n    file: a.json\n    url: https://example.com/a.json\n    # about b\n    fetched: 2026-05-01\n    sha256: {SHA}\n\n  # between\n  - id: b\n    file: b.md\n    url: https://example.com/b.md\n    fetched: 2026-05-01\n    sha256: {SHA}\n")
        );
    }

    #[test]
    fn refuses_unusual_layouts() {
        let entries = [entry("a", "a.json", Some("2026-05-01"), Some(SHA))];
        assert_eq!(
            edit_manifest("documents: [{id: a, file: a.json}]\n", &entries),
            None
        );
        assert_eq!(
            edit_manifest("documents:\n  - id: a\n      file: a.json\n", &entries),
            None
        );
        assert_eq!(
            edit_manifest(
                "documents:\n  - id: a\n    file: a.json\n  - id: b\n    file: b\n",
                &entries
            ),
            None
        );
    }

    #[test]
    fn regenerates_when_in_place_edit_is_impossible() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("manifest.yaml");
        let manifest = Manifest {
            documents: vec![entry("a", "a.json", Some("2026-05-01"), Some(SHA))],
        };
        let (text, regenerated) =
            manifest_text_for("documents: [{id: a, file: a.json}]\n", &manifest, &path)
                .expect("ok");
        assert!(regenerated);
        assert!(text.starts_with("# The input documents"), "{text}");
        assert_eq!(manifest::parse(&text, &path).expect("parses"), manifest);
    }

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

#[cfg(test)]
mod real_manifest {
    /// `specs/manifest.yaml` is edited in place: every comment line stays.
    #[test]
    fn edited_in_place() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/manifest.yaml");
        let text = std::fs::read_to_string(&path).expect("specs/manifest.yaml");
        let mut manifest = generator::manifest::parse(&text, &path).expect("valid");
        for entry in manifest.documents.iter_mut() {
            entry.fetched = Some("2026-06-01".into());
            entry.sha256 = Some("ab".repeat(32));
        }
        let (edited, regenerated) = super::manifest_text_for(&text, &manifest, &path).expect("ok");
        assert!(!regenerated, "{edited}");
        for line in text.lines().filter(|l| l.trim_start().starts_with('#')) {
            assert!(edited.contains(line), "lost {line:?}");
        }
        assert_eq!(
            edited.matches("fetched: 2026-06-01").count(),
            manifest.documents.len()
        );
    }
}
