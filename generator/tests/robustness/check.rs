//! Running one case and judging what came out.
//!
//! Each case runs in a child process: this test binary again, running only the
//! `case_runner` test, which reads the document on stdin, loads and generates it under
//! `catch_unwind` on a thread with the stack `cargo xtask` has (8 MiB), judges the
//! result and prints a verdict line. A child that does not answer in time is killed (a
//! hang), and one that dies (a stack overflow aborts the process) is a crash; neither
//! takes the test run down or leaves work running.

use super::doc;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Per-case time limit. A hang detector, not a benchmark: cases take milliseconds.
pub fn time_limit() -> Duration {
    let secs = std::env::var("ROBUSTNESS_CASE_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10.0);
    Duration::from_secs_f64(secs)
}

/// What a case did, when it did not violate a property.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum Pass {
    /// Refused with a proper error (its display).
    Refused(String),
    /// Generated this many files.
    Generated(usize),
}

/// A violated property. Its `Display` is what known-open classes match against.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Failure {
    Panic { message: String, location: String },
    Hang { limit_secs: f64 },
    Crash { status: String, stderr: String },
    BadError { display: String, why: String },
    BadOutput { why: String },
    Nondeterministic { why: String },
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panic { message, location } => write!(f, "panic at {location}: {message}"),
            Failure::Hang { limit_secs } => write!(f, "hang: no result within {limit_secs} s"),
            Failure::Crash { status, stderr } => write!(f, "crash ({status}): {stderr}"),
            Failure::BadError { display, why } => write!(f, "bad error ({why}): {display}"),
            Failure::BadOutput { why } => write!(f, "bad output: {why}"),
            Failure::Nondeterministic { why } => write!(f, "nondeterministic: {why}"),
        }
    }
}

pub type Verdict = Result<Pass, Failure>;

const RESULT_MARKER: &str = "ROBUSTNESS-VERDICT:";
/// Set in the child: the file name to load the document on stdin as.
pub const CHILD_ENV: &str = "ROBUSTNESS_CASE_FILE";
/// Set in the child when the case generates with `--tag`.
const TAG_ENV: &str = "ROBUSTNESS_CASE_TAG";

/// Run one case in a child process, within `limit`. Returns the verdict and the time
/// the child took.
pub fn run(file: &str, text: &str, limit: Duration) -> (Verdict, Duration) {
    run_with(file, text, None, limit)
}

/// [`run`] with `Settings::tag` set.
pub fn run_with(file: &str, text: &str, tag: Option<&str>, limit: Duration) -> (Verdict, Duration) {
    let exe = std::env::current_exe().expect("test binary path");
    let start = Instant::now();
    let mut command = Command::new(exe);
    command
        .args([
            "--exact",
            "case_runner",
            "--nocapture",
            "--test-threads",
            "1",
            "-q",
        ])
        .env(CHILD_ENV, file);
    match tag {
        Some(t) => command.env(TAG_ENV, t),
        None => command.env_remove(TAG_ENV),
    };
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start case child");
    let mut stdin = child.stdin.take().expect("stdin");
    let text = text.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(text.as_bytes());
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let status = loop {
        match child.try_wait().expect("wait for case child") {
            Some(status) => break Some(status),
            None if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    };
    let elapsed = start.elapsed();
    let _ = writer.join();
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        return (
            Err(Failure::Hang {
                limit_secs: limit.as_secs_f64(),
            }),
            elapsed,
        );
    };
    let verdict = out
        .lines()
        .find_map(|l| l.strip_prefix(RESULT_MARKER))
        .and_then(|json| serde_json::from_str::<Verdict>(json).ok());
    match verdict {
        Some(v) => (v, elapsed),
        None => {
            let tail: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
            let tail = tail[tail.len().saturating_sub(3)..].join(" | ");
            (
                Err(Failure::Crash {
                    status: status.to_string(),
                    stderr: tail,
                }),
                elapsed,
            )
        }
    }
}

/// The child's side: read the document, run it, print the verdict.
pub fn child_main(file: &str) {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .expect("read the case from stdin");
    let tag = std::env::var(TAG_ENV).ok();
    let verdict = run_in_process(file, &text, tag);
    println!(
        "{RESULT_MARKER}{}",
        serde_json::to_string(&verdict).expect("verdict as JSON")
    );
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// Load and generate in this process, on a thread with `cargo xtask`'s main-thread
/// stack, panics caught; then judge. Returns the verdict (no time limit: use [`run`]).
pub fn run_in_process(file: &str, text: &str, tag: Option<String>) -> Verdict {
    std::panic::set_hook(Box::new(|info| {
        let message = payload_text(info.payload());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some((message, location)));
    }));
    let file = file.to_string();
    let text = text.to_string();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let settings = generator::Settings {
                tags: tag.into_iter().collect(),
                ..generator::Settings::default()
            };
            let doc: Value = if text.trim_start().starts_with('{') {
                serde_json::from_str(&text).unwrap_or(Value::Null)
            } else {
                serde_yaml::from_str(&text).unwrap_or(Value::Null)
            };
            let result = std::panic::catch_unwind(|| {
                let spec = generator::load(&file, &text)?;
                let generated = generator::generate(&spec, &settings)?;
                // Invariant 2: the same document with every map reversed gives the
                // same bytes.
                let reordered = if doc.is_null() {
                    None
                } else {
                    let mut spec2 = generator::load(&file, &reversed_json(&doc)).ok();
                    if let Some(s) = spec2.as_mut() {
                        s.sha256 = spec.sha256.clone();
                    }
                    spec2.map(|s| generator::generate(&s, &settings))
                };
                Ok((generated, reordered))
            });
            match result {
                Ok(Ok((generated, reordered))) => {
                    let verdict = judge(&file, &doc, Ok(generated.clone()));
                    match (verdict, reordered) {
                        (Ok(p), Some(other)) => same_output(&generated, other).map(|()| p),
                        (v, _) => v,
                    }
                }
                Ok(Err(e)) => judge(&file, &doc, Err(e)),
                Err(payload) => {
                    let (message, location) = LAST_PANIC
                        .with(|p| p.borrow_mut().take())
                        .unwrap_or_else(|| (payload_text(&*payload), String::new()));
                    Err(Failure::Panic { message, location })
                }
            }
        })
        .expect("spawn case thread")
        .join()
        .unwrap_or_else(|_| {
            Err(Failure::Panic {
                message: "the case thread panicked outside catch_unwind".into(),
                location: String::new(),
            })
        })
}

/// The document as JSON text with every object's keys in reverse order. (`doc` was parsed
/// into sorted maps, so for a reproducer file that is reversed sorted order.)
pub fn reversed_json(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .rev()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), reversed_json(v)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(reversed_json).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// The generation from the reordered document must be byte-equal (and must not fail
/// where the original did not).
fn same_output(
    a: &generator::Generated,
    b: Result<generator::Generated, generator::Error>,
) -> Result<(), Failure> {
    let bad = |why: String| Err(Failure::Nondeterministic { why });
    let b = match b {
        Ok(b) => b,
        Err(e) => return bad(format!("refused once its maps are reversed: {e}")),
    };
    let keys_a: Vec<&String> = a.files.keys().collect();
    let keys_b: Vec<&String> = b.files.keys().collect();
    if keys_a != keys_b {
        let only_a: Vec<_> = keys_a
            .iter()
            .filter(|k| !b.files.contains_key(**k))
            .take(3)
            .collect();
        let only_b: Vec<_> = keys_b
            .iter()
            .filter(|k| !a.files.contains_key(**k))
            .take(3)
            .collect();
        return bad(format!(
            "other files once maps are reversed: {only_a:?} became {only_b:?}"
        ));
    }
    for (path, text) in &a.files {
        if &b.files[path] != text {
            let line = text
                .lines()
                .zip(b.files[path].lines())
                .find(|(x, y)| x != y)
                .map(|(x, y)| format!("`{}` vs `{}`", x.trim(), y.trim()))
                .unwrap_or_else(|| "(lengths differ)".into());
            return bad(format!("{path} differs once maps are reversed: {line}"));
        }
    }
    if a.warnings != b.warnings {
        return bad("warnings differ once maps are reversed".into());
    }
    Ok(())
}

fn payload_text(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

/// The longest file or directory name the output may use (the common file system
/// limit is 255 bytes).
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// The properties every result must have.
pub fn judge(
    file: &str,
    doc: &Value,
    outcome: Result<generator::Generated, generator::Error>,
) -> Verdict {
    match outcome {
        Err(e) => judge_error(file, doc, &e).map(|()| Pass::Refused(e.to_string())),
        Ok(g) => judge_output(&g).map(|()| Pass::Generated(g.files.len())),
    }
}

fn judge_error(file: &str, doc: &Value, e: &generator::Error) -> Result<(), Failure> {
    let display = e.to_string();
    let bad = |why: &str| {
        Err(Failure::BadError {
            display: display.clone(),
            why: why.to_string(),
        })
    };
    if !display.starts_with(&format!("{file}: ")) {
        return bad("does not start with the file name");
    }
    if !display.contains("at #") || !e.pointer.starts_with('#') {
        return bad("no JSON pointer");
    }
    if e.message.contains("internal error") {
        return bad("internal error: the generator, not the document, is at fault");
    }
    if e.message.trim().is_empty() {
        return bad("empty message");
    }
    // The pointer names a node of the document, or a missing key of an existing
    // object (a required field that is absent).
    if !doc.is_null() && doc::resolve_pointer(doc, &e.pointer).is_none() {
        let parent = e.pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or("#");
        if doc::resolve_pointer(doc, parent).is_none() {
            return bad("the pointer names no node of the document");
        }
    }
    Ok(())
}

fn judge_output(g: &generator::Generated) -> Result<(), Failure> {
    let bad = |why: String| Err(Failure::BadOutput { why });
    if g.files.is_empty() {
        return bad("no files".into());
    }
    for (path, text) in &g.files {
        if text.trim().is_empty() {
            return bad(format!("{path} is empty"));
        }
        for part in path.split('/') {
            if part.is_empty() || part.len() > MAX_FILE_NAME_BYTES {
                return bad(format!(
                    "file name of {} bytes (limit {MAX_FILE_NAME_BYTES}): {}...",
                    part.len(),
                    path.chars().take(60).collect::<String>()
                ));
            }
            if part
                .chars()
                .any(|c| c.is_control() || c == '\\' || c == ':')
            {
                return bad(format!("file name not portable: {path:?}"));
            }
        }
        if path.ends_with(".rs") {
            if !text.starts_with(&g.header) || !text.starts_with("// @generated") {
                return bad(format!("{path} does not start with the @generated header"));
            }
        } else if path.ends_with(".json") {
            match serde_json::from_str::<Value>(text) {
                Ok(v) if v.get("@generated").and_then(Value::as_str).is_some() => {}
                _ => return bad(format!("{path} is not JSON with an `@generated` note")),
            }
        } else {
            return bad(format!("unexpected file {path}"));
        }
    }
    // Case-insensitive file systems (macOS, Windows) hold one of two names that differ
    // only in case.
    let mut folded = std::collections::BTreeMap::new();
    for path in g.files.keys() {
        if let Some(other) = folded.insert(path.to_lowercase(), path) {
            return bad(format!("{other} and {path} differ only in case"));
        }
    }
    for w in &g.warnings {
        if !w.pointer.starts_with('#') {
            return bad(format!("warning without a pointer: {w}"));
        }
    }
    Ok(())
}
