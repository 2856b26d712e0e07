//! Failure classes that are known and not fixed yet ("known-open"), each with a short
//! name used in /work/robustness-report.md and in `reproducers/`, the item of issue 12
//! it belongs to, a detector on the input document and a matcher on the failure.
//!
//! A failure is explained (and the case passes) when some entry's `input` accepts the
//! document and its `failure` accepts the failure's text. Entries with `skip` are not
//! run at all when their input matches (they would hang until the time limit), and the
//! strategies do not build their constructs on purpose while they are open.
//!
//! When a class is fixed, delete its entry: its reproducer under
//! `reproducers/<stage>/<name>.yaml` then becomes a regression test that must pass (and
//! while the entry is here, the reproducer must still fail, so a fixed class whose entry
//! was forgotten fails the run).

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// `load` + `generate`: panics, hangs, errors without a pointer, bad file names.
    Generate,
    /// `cargo clippy -- -D warnings` of the generated crate.
    Compile,
}

pub struct Known {
    pub name: &'static str,
    /// The item of issue 12 (`"12.6"`), or `"new"`.
    pub issue: &'static str,
    pub stage: Stage,
    /// Whether `doc` has the construct.
    pub input: fn(&Value) -> bool,
    /// Whether the failure text (a [`super::check::Failure`]'s display, or the compiler's
    /// output) is this class's.
    pub failure: fn(&str) -> bool,
    /// Not run when the input matches: it would take until the time limit.
    pub skip: bool,
}

pub const KNOWN_OPEN: &[Known] = &[
    // ------------------------------------------------------------ compile stage
];

pub fn entry(name: &str) -> Option<&'static Known> {
    KNOWN_OPEN.iter().find(|k| k.name == name)
}

pub fn is_open(name: &str) -> bool {
    entry(name).is_some()
}

/// An open class whose construct `doc` has and that must not be run.
pub fn skipped(doc: &Value) -> Option<&'static Known> {
    KNOWN_OPEN
        .iter()
        .find(|k| k.stage == Stage::Generate && k.skip && (k.input)(doc))
}

/// The open class that explains `failure` on `doc`, if any.
pub fn explain(stage: Stage, doc: &Value, failure: &str) -> Option<&'static Known> {
    KNOWN_OPEN
        .iter()
        .find(|k| k.stage == stage && (k.input)(doc) && (k.failure)(failure))
}

/// For compiler output: the open classes that explain every error diagnostic, or the
/// diagnostics that none explains.
pub fn explain_diagnostics(doc: &Value, output: &str) -> Result<Vec<&'static str>, Vec<String>> {
    let mut classes = Vec::new();
    let mut unexplained = Vec::new();
    for d in diagnostics(output) {
        match explain(Stage::Compile, doc, &d) {
            Some(k) => {
                if !classes.contains(&k.name) {
                    classes.push(k.name);
                }
            }
            None => unexplained.push(d),
        }
    }
    if unexplained.is_empty() && !classes.is_empty() {
        Ok(classes)
    } else if unexplained.is_empty() {
        Err(vec![format!(
            "failed without an error diagnostic:\n{output}"
        )])
    } else {
        Err(unexplained)
    }
}

/// The error diagnostics (`error...` up to the next blank line at column 0) of a
/// compiler output, without the closing `could not compile`.
pub fn diagnostics(output: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in output.lines() {
        if line.starts_with("error") || line.starts_with("warning") {
            if let Some(c) = current.take() {
                out.push(c);
            }
            if line.starts_with("error") && !line.starts_with("error: could not compile") {
                current = Some(line.to_string());
            }
        } else if let Some(c) = current.as_mut() {
            c.push('\n');
            c.push_str(line);
        }
    }
    out.extend(current);
    out
}

// ---------------------------------------------------------------- detectors
