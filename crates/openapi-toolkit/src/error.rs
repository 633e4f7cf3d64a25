//! The toolkit's errors: what failed and where, as values a caller can match on instead of parse.

use std::fmt;
use std::path::PathBuf;

/// A place in a document: its name, and the line and column where the reader knows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub position: Option<(usize, usize)>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The text is not YAML (or, for a `.json` file, not JSON).
    Syntax {
        place: Place,
        format: &'static str,
        message: String,
    },
    /// The document declares no OpenAPI version the toolkit reads (3.0.x, 3.1.x, 3.2.x); `pointer` is the field
    /// that says it (`/openapi`, or `/swagger` for a Swagger 2.0 document).
    Version {
        place: Place,
        pointer: &'static str,
        found: Option<String>,
    },
    /// A value that the published form cannot hold, at a JSON pointer.
    Shape {
        file: String,
        pointer: String,
        message: String,
    },
    /// The base of a diff is neither a file nor a git revision that holds the head's file.
    Base { base: String, message: String },
    /// A command ran and its check failed: lint errors, a breaking change, a short version bump.
    Check(String),
    /// A command was given what it cannot work with, such as no document to read.
    Usage(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { action, path, source } => write!(f, "{action} {}: {source}", path.display()),
            Self::Syntax { place, format, message } => write!(f, "{place}: invalid {format}: {message}"),
            Self::Version {
                place,
                pointer,
                found: Some(version),
            } if version.starts_with("swagger ") => write!(
                f,
                "{place}: unsupported version {version:?}: this is Swagger 2.0, and the toolkit reads only OpenAPI 3.0.x, 3.1.x and 3.2.x; convert it to OpenAPI 3 first (at {pointer})"
            ),
            Self::Version {
                place,
                pointer,
                found: Some(version),
            } => write!(
                f,
                "{place}: unsupported OpenAPI version {version:?}: the toolkit reads only 3.0.x, 3.1.x and 3.2.x (at {pointer})"
            ),
            Self::Version {
                place,
                pointer,
                found: None,
            } => write!(
                f,
                "{place}: not an OpenAPI document: the top-level `openapi` field is missing, such as `openapi: 3.1.0` (at {pointer})"
            ),
            Self::Shape { file, pointer, message } => write!(f, "{file}: {message} (at {pointer})"),
            Self::Base { base, message } => write!(f, "{base}: {message}"),
            Self::Check(message) | Self::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Writing into a `String` cannot fail; this lets the renderers use `?` on `writeln!` all the same.
impl From<fmt::Error> for Error {
    fn from(_: fmt::Error) -> Self {
        Self::Shape {
            file: "the output".to_string(),
            pointer: "/".to_string(),
            message: "formatting failed".to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
