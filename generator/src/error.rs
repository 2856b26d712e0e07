//! Errors (generation stops) and warnings (generation degrades one construct and goes on).

use std::fmt;

/// A problem with the input that stops generation. Names the file, the JSON pointer of
/// the offending node and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: at {pointer}: {message}")]
pub struct Error {
    /// The input file as the user named it.
    pub file: String,
    /// JSON pointer (RFC 6901, with a leading `#`) of the node at fault; `#` for the root.
    pub pointer: String,
    /// What was wrong and what was expected instead.
    pub message: String,
}

impl Error {
    pub fn new(
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            file: file.into(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// A construct that was generated in a degraded form (for example as
/// `serde_json::Value`), or a quirk of the document that was worked around.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer of the construct.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: at {}: {}", self.pointer, self.message)
    }
}

/// Escape one reference token of a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Append one token to a pointer.
pub fn pointer_join(base: &str, token: &str) -> String {
    let mut s = String::with_capacity(base.len() + token.len() + 1);
    s.push_str(base);
    s.push('/');
    s.push_str(&escape_pointer_token(token));
    s
}
