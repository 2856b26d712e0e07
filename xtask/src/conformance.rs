//! `cargo xtask conformance --spec FILE`: the client generated from a document, against
//! Prism serving that document.
//!
//! For each document: generate the client crate (with its `test-util` registry) into
//! `target/conformance/<document>/client/`, write a small runner crate beside it
//! (`runner/`, its `main.rs` is [`RUNNER`]), build it, start `prism mock` on the
//! document, and run it: every operation the registry can call with arguments built
//! from the spec's examples, once with Prism's static examples and once per seed with
//! `Prefer: dynamic=true, seed=N` (bodies Prism generates from the schemas). Each call
//! is decoded, re-encoded and compared with the body Prism sent. The report
//! (`target/conformance/<document>/report.json`, and a summary on stdout) gives per
//! operation: ok, decode error (with the serde path), request rejected (with Prism's
//! violations), data lost or changed (which members), and what Prism itself could not
//! answer from the document.
//!
//! Failures that are the document's fault go into the reviewed list
//! [`DEFECTS`] (document file name → operation, result, reason). The command fails when
//! a call fails in a way the list does not name, and when an entry of the list no
//! longer happens (so the list stays true).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::e2e;

/// The runner's source (`runner/src/main.rs` of each run).
const RUNNER: &str = include_str!("conformance/runner.rs");
/// The reviewed list of document defects, relative to the repository root.
pub const DEFECTS: &str = "specs/conformance-defects.yaml";
/// Where each document's crates and report go, relative to the repository root.
const OUT_DIR: &str = "target/conformance";
/// The package name of the generated client (the runner calls it `client`).
const CLIENT_PACKAGE: &str = "conformance-client";

/// Results that fail the run unless the reviewed list names them.
const FAILURES: [&str; 6] = ["decode", "lost", "changed", "rejected", "example", "failed"];

/// Arguments of `cargo xtask conformance`.
#[derive(Debug, Clone, clap::Args)]
pub struct ConformanceArgs {
    /// An OpenAPI document (repeatable).
    #[arg(long = "spec", value_name = "FILE", required = true)]
    pub specs: Vec<PathBuf>,
    /// Settings (a `codegen.toml`) to generate with.
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// `Prefer: dynamic=true, seed=N` runs over every operation, after the static one.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub seeds: u32,
    /// Longest wait, in seconds, for Prism to answer after it was started.
    #[arg(long, value_name = "SECS", default_value_t = 180)]
    pub ready_timeout: u64,
    /// Longest run, in seconds, of the calls against one document.
    #[arg(long, value_name = "SECS", default_value_t = 1800)]
    pub run_timeout: u64,
    /// List every call that was not `ok`, not only the failures.
    #[arg(long)]
    pub verbose: bool,
}

/// One call, as the runner reports it.
#[derive(Debug, Clone)]
struct Call {
    operation: String,
    mode: String,
    result: String,
    status: Option<u16>,
    detail: Value,
}

/// A reviewed defect of a document.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Defect {
    operation: String,
    result: String,
    reason: String,
}

/// `cargo xtask conformance`.
pub fn run(args: &ConformanceArgs) -> ExitCode {
    let root = xtask::project_root();
    let started = Instant::now();
    let outcome = (|| -> Result<bool, String> {
        let defects = read_defects(&root)?;
        e2e::ensure_node()?;
        let prism = e2e::ensure_prism(&root)?;
        let mut all_ok = true;
        for (i, spec) in args.specs.iter().enumerate() {
            let display = spec.display().to_string();
            println!("\n=== conformance: {display} against Prism {prism} ===");
            match run_spec(&root, spec, args, &defects) {
                Ok(ok) => all_ok &= ok,
                Err(e) => {
                    println!("error: {display}: {e}");
                    all_ok = false;
                }
            }
            // Each document's client is its own package build (its path differs), so
            // the builds would pile up: a whole document's is hundreds of megabytes.
            // The last one stays, so running one document again is not a rebuild.
            if i + 1 < args.specs.len() {
                remove_builds(&root)?;
            }
        }
        Ok(all_ok)
    })();
    match outcome {
        Ok(true) => {
            println!(
                "\nconformance passed in {:.0} s",
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Ok(false) => {
            println!(
                "\nconformance FAILED in {:.0} s",
                started.elapsed().as_secs_f64()
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn read_defects(root: &Path) -> Result<BTreeMap<String, Vec<Defect>>, String> {
    let path = root.join(DEFECTS);
    let text = fs::read_to_string(&path).map_err(|e| format!("{DEFECTS}: {e}"))?;
    let defects: BTreeMap<String, Vec<Defect>> =
        serde_yaml::from_str(&text).map_err(|e| format!("{DEFECTS}: {e}"))?;
    for (document, list) in &defects {
        for d in list {
            if !FAILURES.contains(&d.result.as_str()) {
                return Err(format!(
                    "{DEFECTS}: {document}: {}: result `{}` is not one of {}",
                    d.operation,
                    d.result,
                    FAILURES.join(", ")
                ));
            }
            if d.reason.trim().is_empty() {
                return Err(format!(
                    "{DEFECTS}: {document}: {}: a reason is required",
                    d.operation
                ));
            }
        }
    }
    Ok(defects)
}

/// One document: generate, build, serve, call, report. `Ok(false)` when calls failed.
fn run_spec(
    root: &Path,
    spec: &Path,
    args: &ConformanceArgs,
    defects: &BTreeMap<String, Vec<Defect>>,
) -> Result<bool, String> {
    if !spec.is_file() {
        return Err("no such file".into());
    }
    let spec = std::path::absolute(spec).map_err(|e| e.to_string())?;
    let name = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let dir = root.join(OUT_DIR).join(&stem);

    let t = Instant::now();
    let generate = xtask::GenerateArgs {
        spec: spec.clone(),
        out: dir.join("client"),
        tag: None,
        crate_name: Some(CLIENT_PACKAGE.to_string()),
        settings: args.settings.clone(),
        verbose: false,
    };
    let (generated, _) = xtask::generate_crate(&generate).map_err(|e| e.to_string())?;
    println!(
        "generated {} operations, {} types ({} warnings) in {:.1} s",
        generated.stats.operations,
        generated.stats.types,
        generated.warnings.len(),
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let runner = build_runner(root, &dir)?;
    println!("built the runner in {:.0} s", t.elapsed().as_secs_f64());

    let tmp = e2e::temp_dir(&name)?;
    let served = tmp.path().join(&name);
    e2e::write_served_copy(&spec, &served)?;
    let log = dir.join("prism.log");
    fs::write(&log, "").map_err(|e| format!("{}: {e}", log.display()))?;
    let mut prism = e2e::start_prism(
        root,
        &served,
        &log,
        e2e::Serve {
            errors: false,
            ready_path: None,
            ready_timeout: Duration::from_secs(args.ready_timeout),
        },
    )?;

    let t = Instant::now();
    let mut child = Command::new(&runner)
        .arg(prism.base_url())
        .arg(args.seeds.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", runner.display()))?;
    let stdout = child.stdout.take().ok_or("no runner output")?;
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout));
    let status = e2e::wait_with_timeout(&mut child, Duration::from_secs(args.run_timeout))?;
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let output = reader
        .join()
        .map_err(|_| "reading the runner's output failed")?
        .map_err(|e| e.to_string())?;
    if prism.report_exit() {
        return Err(format!(
            "Prism stopped during the run; log: {}",
            log.display()
        ));
    }
    drop(prism);
    match status {
        None => {
            return Err(format!(
                "the calls did not finish within {} s",
                args.run_timeout
            ));
        }
        Some(s) if !s.success() => return Err(format!("the runner failed ({s})")),
        Some(_) => {}
    }
    let calls = parse_calls(&output)?;
    println!(
        "{} calls in {:.0} s",
        calls.iter().filter(|c| c.result != "not-callable").count(),
        t.elapsed().as_secs_f64()
    );
    let report = dir.join("report.json");
    write_report(&report, &name, &calls)?;
    let reviewed = defects.get(&name).map(Vec::as_slice).unwrap_or_default();
    Ok(summarize(
        root,
        &name,
        &calls,
        reviewed,
        &report,
        args.verbose,
    ))
}

/// Write the runner crate (only files whose contents changed, so an unchanged runner
/// is not rebuilt) and build it; its executable.
fn build_runner(root: &Path, dir: &Path) -> Result<PathBuf, String> {
    let runner = dir.join("runner");
    let manifest = format!(
        "# Written by `cargo xtask conformance`.\n[package]\nname = \"conformance-runner\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nclient = {{ package = \"{CLIENT_PACKAGE}\", path = \"../client\", features = [\"test-util\"] }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\nserde_json = \"1\"\nfutures-util = \"0.3\"\nchrono = {{ version = \"0.4\", default-features = false }}\nreqwest = {{ version = \"0.13\", default-features = false }}\n\n[workspace]\n"
    );
    write_if_changed(&runner.join("Cargo.toml"), &manifest)?;
    write_if_changed(&runner.join("src/main.rs"), RUNNER)?;
    let target = root.join(OUT_DIR).join("target");
    let status = Command::new(e2e::cargo())
        .args(["build", "--quiet", "--manifest-path"])
        .arg(runner.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        // Built once per run and never debugged: no debug info and no incremental
        // cache, which for a whole document's client are gigabytes.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_INCREMENTAL", "0")
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building the runner failed ({status})"));
    }
    Ok(target.join("debug").join("conformance-runner"))
}

/// Remove the built client and runner from the shared target directory (every
/// document's: `cargo clean -p` matches by package name).
fn remove_builds(root: &Path) -> Result<(), String> {
    let target = root.join(OUT_DIR).join("target");
    let manifests = fs::read_dir(root.join(OUT_DIR))
        .map_err(|e| format!("{OUT_DIR}: {e}"))?
        .filter_map(|entry| Some(entry.ok()?.path().join("runner/Cargo.toml")))
        .filter(|manifest| manifest.is_file());
    // Any runner's manifest names both packages; one clean removes every build of them.
    let Some(manifest) = manifests.min() else {
        return Ok(());
    };
    let status = Command::new(e2e::cargo())
        .args(["clean", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target)
        .args(["-p", CLIENT_PACKAGE, "-p", "conformance-runner"])
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("removing the previous builds failed ({status})"))
    }
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_calls(output: &str) -> Result<Vec<Call>, String> {
    output
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line)
                .map_err(|e| format!("the runner wrote {line:?}: {e}"))?;
            let text = |key: &str| v[key].as_str().unwrap_or_default().to_string();
            Ok(Call {
                operation: text("operation"),
                mode: text("mode"),
                result: text("result"),
                status: v["status"].as_u64().and_then(|s| u16::try_from(s).ok()),
                detail: v["detail"].clone(),
            })
        })
        .collect()
}

fn write_report(path: &Path, document: &str, calls: &[Call]) -> Result<(), String> {
    let mut by_operation: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for c in calls {
        by_operation
            .entry(&c.operation)
            .or_default()
            .push(serde_json::json!({
                "mode": c.mode, "result": c.result, "status": c.status, "detail": c.detail,
            }));
    }
    let report = serde_json::json!({"document": document, "operations": by_operation});
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))
}

/// Print the summary; whether the run passes.
fn summarize(
    root: &Path,
    document: &str,
    calls: &[Call],
    reviewed: &[Defect],
    report: &Path,
    verbose: bool,
) -> bool {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut operations: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in calls {
        *counts.entry(c.result.as_str()).or_default() += 1;
        operations
            .entry(c.result.as_str())
            .or_default()
            .insert(c.operation.as_str());
    }
    let made = calls.iter().filter(|c| c.result != "not-callable").count();
    println!("{made} calls:");
    for (result, n) in &counts {
        let ops = operations[result].len();
        println!("  {result:<13} {n:>6} calls, {ops} operations");
    }

    let is_reviewed = |c: &Call| {
        reviewed
            .iter()
            .any(|d| d.operation == c.operation && d.result == c.result)
    };
    let failures: Vec<&Call> = calls
        .iter()
        .filter(|c| FAILURES.contains(&c.result.as_str()) && !is_reviewed(c))
        .collect();
    let stale: Vec<&Defect> = reviewed
        .iter()
        .filter(|d| {
            !calls
                .iter()
                .any(|c| c.operation == d.operation && c.result == d.result)
        })
        .collect();
    let excused = calls
        .iter()
        .filter(|c| FAILURES.contains(&c.result.as_str()) && is_reviewed(c))
        .count();
    if excused > 0 {
        println!("{excused} failing calls are reviewed document defects ({DEFECTS})");
    }
    let mut shown: Vec<&Call> = failures.clone();
    if verbose {
        shown.extend(calls.iter().filter(|c| {
            !matches!(c.result.as_str(), "ok") && !FAILURES.contains(&c.result.as_str())
        }));
    }
    // One line per operation and result: the first mode that showed it.
    let mut seen = BTreeSet::new();
    for c in shown {
        if !seen.insert((c.operation.as_str(), c.result.as_str())) {
            continue;
        }
        let detail = match &c.detail {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let detail: String = detail.chars().take(400).collect();
        let status = c.status.map(|s| format!(" {s}")).unwrap_or_default();
        println!(
            "  {} {}{status} ({}): {detail}",
            c.result, c.operation, c.mode
        );
    }
    for d in &stale {
        println!(
            "  stale {DEFECTS} entry: {document}: {} no longer gives `{}`; remove it",
            d.operation, d.result
        );
    }
    println!(
        "report: {}",
        report.strip_prefix(root).unwrap_or(report).display()
    );
    failures.is_empty() && stale.is_empty()
}
