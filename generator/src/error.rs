//! Errors of every stage. Anything that came from a spec file carries its location.

use std::fmt;
use std::path::PathBuf;

/// Where in the inputs a problem sits: the file, the JSON pointer inside the
/// OpenAPI document, and the line of the file when it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub pointer: String,
    pub line: Option<usize>,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: pointer.into(),
            line: None,
        }
    }

    pub fn with_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, " at #{pointer}")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is wrong or uses something the generator does not support.
    #[error("{location}: {message}")]
    Spec { location: Location, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A problem that is not tied to one place in one file (e.g. two documents disagree).
    #[error("{0}")]
    Input(String),
}

impl Error {
    pub fn spec(location: Location, message: impl Into<String>) -> Self {
        Error::Spec {
            location,
            message: message.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
