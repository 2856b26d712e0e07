//! The one error type of the xtask commands. Each variant renders as a single line that
//! names the file or directory at fault; `main` prefixes it with `error: `.

use std::fmt;
use std::io;
use std::path::Path;

/// Why an xtask command failed.
#[derive(Debug)]
pub enum Error {
    /// The generator rejected the input (syntax, not OpenAPI 3.0, dangling `$ref`, ...).
    /// Renders as `<file>: at <pointer>: <message>`.
    Generator(generator::Error),
    /// A file-system operation failed. Renders as `<path>: cannot <action>: <io error>`.
    Io {
        /// The path as it should be shown to the user.
        path: String,
        /// What was being attempted, as a verb phrase (`read`, `write`, `delete`, ...).
        action: &'static str,
        /// The underlying error.
        source: io::Error,
    },
    /// The generator produced an output path that is not a plain relative path (it is
    /// absolute, empty, or contains `..`); writing it could escape the output directory.
    UnsafeOutputPath(String),
    /// A command-line value that clap could not validate by itself.
    Usage(String),
    /// A program the command runs (such as `cargo check`) failed; the message names it
    /// and where it ran.
    Command(String),
}

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(path: &Path, action: &'static str, source: io::Error) -> Self {
        Error::Io {
            path: path.display().to_string(),
            action,
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Generator(e) => write!(f, "{e}"),
            Error::Io {
                path,
                action,
                source,
            } => write!(f, "{path}: cannot {action}: {source}"),
            Error::UnsafeOutputPath(p) => {
                write!(
                    f,
                    "generator produced the output path {p:?}, which is not a plain relative path"
                )
            }
            Error::Usage(msg) | Error::Command(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Generator(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            Error::UnsafeOutputPath(_) | Error::Usage(_) | Error::Command(_) => None,
        }
    }
}

impl From<generator::Error> for Error {
    fn from(e: generator::Error) -> Self {
        Error::Generator(e)
    }
}
