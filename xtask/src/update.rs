//! The API-change side of `cargo xtask regen`: compare the new API surface with
//! the one already in the output folder, print what changed, and with `--bump`
//! raise the crate version in `specs/client.yaml` and prepend the report to
//! `CHANGELOG.md`.

use std::path::{Path, PathBuf};

use generator::changes::{prepend_changelog, ChangeReport};
use generator::surface::{Surface, FILE_NAME};
use generator::{Generated, Options};

/// What the previous regen left to compare with.
#[derive(Debug)]
pub enum Previous {
    /// No `api-surface.json` in the output folder (a first regen).
    Missing(PathBuf),
    /// There is one, but it cannot be read (another format, or edited by hand).
    Unreadable(String),
    /// The changes from the previous surface to the new one.
    Compared(ChangeReport),
}

impl Previous {
    pub fn report(&self) -> Option<&ChangeReport> {
        match self {
            Previous::Compared(report) => Some(report),
            _ => None,
        }
    }

    /// The text printed after regen's summary.
    pub fn render(&self, version: &str) -> String {
        match self {
            Previous::Missing(path) => format!(
                "No previous API surface at {}: nothing to compare (it is written now).\n",
                path.display()
            ),
            Previous::Unreadable(message) => {
                format!("warning: cannot compare with the previous API surface (nor keep its names): {message}\n")
            }
            Previous::Compared(report) => report.render(Some(version)),
        }
    }
}

/// Reads `<out>/api-surface.json`, the surface the previous regen wrote (`None`
/// on a first regen). Regen passes it to the generator, which keeps its names.
pub fn read_previous(out: &Path) -> Result<Option<Surface>, String> {
    Surface::read(out).map_err(|error| error.to_string())
}

/// Compares the previous surface read from `out` with the surface of `generated`.
pub fn compare(
    out: &Path,
    previous: &Result<Option<Surface>, String>,
    generated: &Generated,
) -> Previous {
    let new = Surface::from_api(&generated.api);
    match previous {
        Ok(Some(old)) => Previous::Compared(ChangeReport::compare(old, &new)),
        Ok(None) => Previous::Missing(out.join(FILE_NAME)),
        Err(error) => Previous::Unreadable(error.clone()),
    }
}

/// The generated crate's current version (`crate_version` of `client.yaml`).
pub fn crate_version(specs: &Path) -> Result<String, String> {
    generator::config::ClientConfig::read(specs)
        .map(|config| config.crate_version)
        .map_err(|e| e.to_string())
}

/// The result of `--bump`.
pub struct Bumped {
    pub from: String,
    pub to: String,
    /// The crate regenerated with the new version, `CHANGELOG.md` included.
    pub generated: Generated,
}

/// Applies the bump `report` proposes: rewrites `crate_version` in
/// `<specs>/client.yaml`, regenerates, and adds the dated report on top of
/// `<out>/CHANGELOG.md` (in the returned files). `None` when nothing changed.
/// On failure `client.yaml` is left as it was.
pub fn bump(
    options: &Options,
    out: &Path,
    report: &ChangeReport,
    today: &str,
) -> Result<Option<Bumped>, String> {
    let Some(bump) = report.bump() else {
        return Ok(None);
    };
    let from = crate_version(&options.specs)?;
    let to = bump
        .apply(&from)
        .map_err(|e| format!("cannot bump crate_version: {e}"))?;
    let path = options.specs.join(generator::config::FILE_NAME);
    let original = if path.exists() {
        Some(std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?)
    } else {
        None
    };
    let text = generator::config::set_crate_version(original.as_deref().unwrap_or(""), &to);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    let restore = || match &original {
        Some(text) => {
            let _ = std::fs::write(&path, text);
        }
        None => {
            let _ = std::fs::remove_file(&path);
        }
    };
    let mut generated = match generator::generate(options) {
        Ok(generated) => generated,
        Err(error) => {
            restore();
            return Err(format!("regenerating with version {to}: {error}"));
        }
    };
    let changelog_path = out.join("CHANGELOG.md");
    let existing = match std::fs::read_to_string(&changelog_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            restore();
            return Err(format!("{}: {e}", changelog_path.display()));
        }
    };
    let section = report.changelog_section(&to, today);
    generated.files.insert(
        "CHANGELOG.md".to_string(),
        prepend_changelog(existing.as_deref(), &section),
    );
    Ok(Some(Bumped {
        from,
        to,
        generated,
    }))
}
