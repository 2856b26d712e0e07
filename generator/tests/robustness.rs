//! Robustness: a property test over built and mutated OpenAPI documents (issue 12,
//! "Tests the project keeps").
//!
//! # What it does
//!
//! Each case is a document (`serde_json::Value`, given to [`generator::load`] as JSON
//! or YAML text) made from a base (a minimal document, a small pet store, a types-only
//! document, and every fixture in `tests/fixtures/`), zero to three added constructs
//! (`robustness/strategies.rs`: names with keywords, unicode, emoji, clashing case and
//! 260+ characters; `$ref` cycles through structs, arrays, maps, `allOf`, `oneOf` and
//! `anyOf`; empty and mixed enums; odd status codes and media types; 1–60 levels of
//! inline nesting; missing and dangling refs; discriminators; properties beside
//! unions; path variables without or with twice their parameter; parameters of every
//! type, style and explode; form bodies; deprecated schemas; hostile prose; duplicate
//! operation ids; keyword operation ids with paging), then zero to six random edits
//! (delete a key, set a value, replace a node by another node, rename, duplicate,
//! insert a `$ref` into a component section, change a type, make nullable, wrap in
//! `oneOf`, add an enum). One case in five generates with `Settings::tag` set to one of
//! the document's tags.
//!
//! Each case runs `load` + `generate` in a child process (`robustness/check.rs`): no
//! panic, no crash, an answer within the time limit (10 s, a hang detector), and
//! either an `Err` whose display starts with the file name and has `at #<pointer>`
//! naming a node of the document (and is no "internal error"), or `Ok` with every file
//! non-empty, every `.rs` file starting with the `@generated` header, every file name at
//! most 255 bytes and unique ignoring case, every warning with a pointer, and the same
//! bytes and warnings when every map of the document is reversed (invariant 2).
//!
//! # Known-open failures
//!
//! `robustness/known.rs` lists the failure classes found and not fixed yet
//! (`KNOWN_OPEN`), each with a detector on the input, a matcher on the failure, and the
//! item of issue 12 it belongs to. A failure one of them explains passes (and is
//! counted in the summary); cases of classes that hang are not run, and the strategies
//! do not build those constructs on purpose while they are listed. Compile-stage
//! classes explain compiler diagnostics one by one: a crate passes only when every
//! error is explained by a listed class whose construct the document has. **When you
//! fix a class, delete its entry**: its reproducers
//! `robustness/reproducers/<stage>/<name>[--variant].yaml` then must pass, and while the
//! entry is listed they must still fail that way (the `reproducers` and
//! `compile_reproducers` tests), so the list cannot go stale. Each entry and each
//! reproducer's first lines say what happens and which item of issue 12 it is.
//!
//! # Running
//!
//! - `cargo test -p generator --test robustness`: 256 cases with a fixed seed (about
//!   10 s in debug). `PROPTEST_CASES=5000` for a longer run, `PROPTEST_RNG_SEED=N` for
//!   another seed (each run prints its summary with `-- --nocapture`),
//!   `ROBUSTNESS_CASE_TIMEOUT_SECS` to change the time limit.
//! - `ROBUSTNESS_COMPILE_SAMPLES=20 cargo test -p generator --test robustness --
//!   --ignored compile`: the "output that compiles" half: 20 sampled documents that
//!   generate are written as standalone crates under the target directory's `tmp/`, and
//!   `cargo clippy --quiet -- -D warnings` runs on each with `CARGO_TARGET_DIR` shared
//!   (the workspace's `target/`, or `$CARGO_TARGET_DIR`), so dependencies build once; it
//!   fails listing each document whose crate fails for a reason no known-open class
//!   explains, with the compiler's first errors. It also checks the compile-stage
//!   reproducers.
//!
//! A failing case prints the failure and the (shrunk) document as YAML. Proptest's
//! failure persistence is off: nothing is written into the source tree.

#[path = "robustness/check.rs"]
mod check;
#[path = "robustness/compile.rs"]
mod compile;
#[path = "robustness/doc.rs"]
mod doc;
#[path = "robustness/known.rs"]
mod known;
#[path = "robustness/strategies.rs"]
mod strategies;

use known::Stage;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// The seed of the default run, so `cargo test` is reproducible; `PROPTEST_RNG_SEED`
/// overrides it.
const DEFAULT_SEED: u64 = 0x0A91_2024;

/// Not a test of its own: the child process of [`check::run`]. Does nothing unless
/// started by it.
#[test]
fn case_runner() {
    if let Ok(file) = std::env::var(check::CHILD_ENV) {
        check::child_main(&file);
    }
}

fn config() -> Config {
    let mut config = Config {
        failure_persistence: None,
        // Shrinking a hang costs the time limit per step: bound it.
        max_shrink_time: 120_000,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(DEFAULT_SEED);
    }
    config
}

#[derive(Default)]
struct Summary {
    runs: usize,
    generated: usize,
    refused: usize,
    skipped: BTreeMap<&'static str, usize>,
    known: BTreeMap<&'static str, usize>,
    slowest: Duration,
    slowest_label: String,
    /// Cases slower than [`SLOW`], with their documents.
    slow: Vec<String>,
}

/// A case slower than this is listed in the summary (with `--nocapture`).
const SLOW: Duration = Duration::from_secs(2);

/// Run one case and judge it; a failure no known-open class explains fails the case.
fn check_case(case: &strategies::Case, summary: &Mutex<Summary>) -> Result<(), TestCaseError> {
    let mut s = summary.lock().unwrap();
    s.runs += 1;
    if let Some(k) = known::skipped(&case.doc) {
        *s.skipped.entry(k.name).or_default() += 1;
        return Ok(());
    }
    drop(s);
    let (verdict, elapsed) = check::run_with(
        case.file(),
        &case.text(),
        case.tag.as_deref(),
        check::time_limit(),
    );
    let mut s = summary.lock().unwrap();
    if elapsed > SLOW {
        s.slow.push(format!(
            "{elapsed:?}: {}\n{}",
            case.label.chars().take(300).collect::<String>(),
            case.yaml_text()
        ));
    }
    if elapsed > s.slowest {
        s.slowest = elapsed;
        s.slowest_label = case.label.chars().take(200).collect();
    }
    match verdict {
        Ok(check::Pass::Generated(_)) => s.generated += 1,
        Ok(check::Pass::Refused(_)) => s.refused += 1,
        Err(failure) => {
            let text = failure.to_string();
            match known::explain(Stage::Generate, &case.doc, &text) {
                Some(k) => *s.known.entry(k.name).or_default() += 1,
                None => {
                    return Err(TestCaseError::fail(format!(
                        "{text}\n(after {elapsed:?}; no known-open class explains it)\n--- {} ({}) ---\n{}",
                        case.file(),
                        case.label.chars().take(500).collect::<String>(),
                        case.yaml_text()
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The documents of the default run: half only built (mostly valid), half also
/// mutated (mostly refused, exercising the loader's errors).
fn cases() -> BoxedStrategy<strategies::Case> {
    prop_oneof![strategies::case(3, 0), strategies::case(2, 6)].boxed()
}

#[test]
fn generate_is_robust() {
    let summary = Mutex::new(Summary::default());
    let mut runner = TestRunner::new(config());
    let result = runner.run(&cases(), |case| check_case(&case, &summary));
    let s = summary.into_inner().unwrap();
    eprintln!(
        "robustness: {} runs (shrinking included): {} generated, {} refused with a proper error; \
         known-open hits {:?}; not run (would hang) {:?}; slowest {:?} ({})",
        s.runs, s.generated, s.refused, s.known, s.skipped, s.slowest, s.slowest_label
    );
    for slow in &s.slow {
        eprintln!("slow case: {slow}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Every reproducer under `robustness/reproducers/generate/`: while its class is
/// known-open it must still fail that way (or, for classes that hang, its detector
/// must match it); once the class is deleted from `KNOWN_OPEN` it must pass.
#[test]
fn reproducers() {
    let mut problems = Vec::new();
    let files = reproducer_files("generate");
    for k in known::KNOWN_OPEN
        .iter()
        .filter(|k| k.stage == Stage::Generate)
    {
        if !files.iter().any(|(n, _, _)| class_of(n) == k.name) {
            problems.push(format!("{}: no reproducer file", k.name));
        }
    }
    for (name, file, doc) in &files {
        let text = std::fs::read_to_string(file).unwrap();
        match known::entry(class_of(name)) {
            Some(k) if k.skip => {
                if !(k.input)(doc) {
                    problems.push(format!(
                        "{name}: the detector does not match its reproducer"
                    ));
                }
            }
            Some(k) => {
                let (verdict, _) = check::run("reproducer.yaml", &text, check::time_limit());
                match verdict {
                    Err(f) if (k.input)(doc) && (k.failure)(&f.to_string()) => {}
                    other => problems.push(format!(
                        "{name}: known-open, but the reproducer no longer fails that way ({other:?}); \
                         if the class is fixed, delete its entry from KNOWN_OPEN"
                    )),
                }
            }
            None => {
                let (verdict, _) = check::run("reproducer.yaml", &text, check::time_limit());
                // A fixed class's reproducer may still show another class that is open.
                if let Err(f) = verdict
                    && known::explain(Stage::Generate, doc, &f.to_string()).is_none()
                {
                    problems.push(format!("{name}: fixed class fails again: {f}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The class a reproducer file is for: its stem up to `--` (`name--variant.yaml`).
pub fn class_of(stem: &str) -> &str {
    stem.split("--").next().unwrap_or(stem)
}

/// `(stem, path, document)` of every reproducer of a stage, sorted.
fn reproducer_files(stage: &str) -> Vec<(String, std::path::PathBuf, serde_json::Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/robustness/reproducers")
        .join(stage);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    out.sort();
    out.into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let doc =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (name, p, doc)
        })
        .collect()
}

/// For a sample, output that compiles: see the module docs.
#[test]
#[ignore = "builds crates with cargo clippy; run with --ignored compile"]
fn compile_samples() {
    let n: usize = std::env::var("ROBUSTNESS_COMPILE_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    compile::samples(n, &compile_cases());
}

/// The compile-stage reproducers: while listed they must still fail clippy; once
/// fixed (deleted from `KNOWN_OPEN`) they must pass.
#[test]
#[ignore = "builds crates with cargo clippy; run with --ignored compile"]
fn compile_reproducers() {
    compile::reproducers(&reproducer_files("compile"));
}

/// Documents for the compile sample: built, rarely edited, so most generate.
fn compile_cases() -> BoxedStrategy<strategies::Case> {
    prop_oneof![3 => strategies::case(3, 0), 1 => strategies::case(2, 1)].boxed()
}
