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
    /// What kind of problem this is; warnings are reported grouped by kind.
    pub kind: WarningKind,
    /// JSON pointer of the construct.
    pub pointer: String,
    pub message: String,
}

impl Warning {
    pub fn new(kind: WarningKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Warning {
            kind,
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// The kinds of [`Warning`]. Each is something that changes behaviour or loses
/// information; renaming a schema to a Rust identifier is not a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// A schema or keyword that Rust types cannot express, generated as a looser type
    /// (usually `serde_json::Value`).
    Degraded,
    /// Two names clashed after conversion to Rust (or a name is a keyword); one of them
    /// was given another name.
    Renamed,
    /// Part of the document is skipped (extension sections, webhooks, cookie
    /// parameters, unused parameters).
    Skipped,
    /// The document contradicts itself or OpenAPI (a default of the wrong type, a
    /// discriminator no variant has, a reference cycle); the generator picked a reading.
    Contradiction,
    /// A `oneOf`/`anyOf` variant that can never be chosen when decoding.
    UnreachableVariant,
    /// A path template variable and the path parameters do not match.
    PathParameter,
    /// Something the document has that the generator does not support; not generated.
    Unsupported,
    /// Schemas declared in another JSON Schema dialect (`jsonSchemaDialect`, `$schema`)
    /// are read as OpenAPI 3.1 schemas.
    Dialect,
}

impl WarningKind {
    /// A short heading for a group of warnings of this kind.
    pub fn title(self) -> &'static str {
        match self {
            WarningKind::Degraded => "generated as a looser type",
            WarningKind::Renamed => "renamed to avoid a clash",
            WarningKind::Skipped => "skipped",
            WarningKind::Contradiction => "contradictory document, one reading chosen",
            WarningKind::UnreachableVariant => "union variants that can never be chosen",
            WarningKind::PathParameter => "path parameters that do not match the template",
            WarningKind::Unsupported => "not supported, not generated",
            WarningKind::Dialect => "schemas of another JSON Schema dialect, read as OpenAPI 3.1's",
        }
    }
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
