//! `cargo xtask bench-check`: how long `cargo check` of a generated crate takes, with its
//! dependencies already built.
//!
//! Generates the crate under `--dir`, builds it once (dependencies included, not timed
//! as the figure), then times `--iterations` full checks of the crate alone: each run
//! touches `src/lib.rs` and sets `CARGO_INCREMENTAL=0`, so rustc redoes all of the
//! crate's work, as when the crate is first built as a dependency or after a regeneration.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

use xtask::{Error, GenerateArgs};

/// Arguments of `cargo xtask bench-check`.
#[derive(Debug, clap::Args)]
pub struct BenchCheckArgs {
    /// The OpenAPI 3.0 or 3.1 document (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,
    /// Keep only operations with this tag (and the types they use).
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// How many timed checks to run.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    iterations: u32,
    /// Where to write the crate (`DIR/crate`) and its target directory (`DIR/target`).
    #[arg(long, value_name = "DIR", default_value = "target/bench-check")]
    dir: PathBuf,
    /// Cargo features of the crate to turn on (a tag's feature, `test-util`), as
    /// `cargo check --features`.
    #[arg(long, value_name = "FEATURES")]
    features: Option<String>,
    /// Without the crate's default features (`full`: every tag).
    #[arg(long)]
    no_default_features: bool,
    /// Time `cargo build` (code generation too) instead of `cargo check`.
    #[arg(long)]
    build: bool,
}

pub fn run(args: &BenchCheckArgs) -> Result<ExitCode, Error> {
    let crate_dir = args.dir.join("crate");
    let target_dir = args.dir.join("target");
    let (generated, _) = xtask::generate_crate(&GenerateArgs {
        spec: args.spec.clone(),
        out: crate_dir.clone(),
        tag: args.tag.clone(),
        crate_name: Some("bench_check_client".to_string()),
        settings: None,
        verbose: false,
    })?;
    let lines: usize = generated
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(_, text)| text.lines().count())
        .sum();
    println!(
        "crate: {} ({}; {lines} lines of generated Rust)",
        crate_dir.display(),
        xtask::format_stats(&generated.stats)
    );

    let cargo_args = CargoArgs {
        command: if args.build { "build" } else { "check" },
        features: args.features.clone(),
        no_default_features: args.no_default_features,
    };
    let first = check(&crate_dir, &target_dir, false, &cargo_args)?;
    println!(
        "first check, dependencies included: {:.1} s",
        first.as_secs_f64()
    );
    let mut runs = Vec::new();
    for _ in 0..args.iterations {
        touch(&crate_dir.join("src/lib.rs"))?;
        runs.push(check(&crate_dir, &target_dir, true, &cargo_args)?);
    }
    runs.sort();
    let secs: Vec<String> = runs
        .iter()
        .map(|d| format!("{:.1}", d.as_secs_f64()))
        .collect();
    println!(
        "cargo {} of the crate alone (non-incremental{}): min {:.1} s, median {:.1} s (runs: {} s)",
        cargo_args.command,
        cargo_args.describe(),
        runs[0].as_secs_f64(),
        runs[runs.len() / 2].as_secs_f64(),
        secs.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// The cargo command timed, and the crate's features.
struct CargoArgs {
    command: &'static str,
    features: Option<String>,
    no_default_features: bool,
}

impl CargoArgs {
    fn describe(&self) -> String {
        let mut out = String::new();
        if self.no_default_features {
            out.push_str(", --no-default-features");
        }
        if let Some(f) = &self.features {
            out.push_str(&format!(", --features {f}"));
        }
        out
    }
}

/// Wall time of one `cargo check` (or `build`) of the crate.
fn check(
    crate_dir: &Path,
    target_dir: &Path,
    non_incremental: bool,
    cargo_args: &CargoArgs,
) -> Result<Duration, Error> {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args([cargo_args.command, "--quiet"]);
    if cargo_args.no_default_features {
        cmd.arg("--no-default-features");
    }
    if let Some(f) = &cargo_args.features {
        cmd.args(["--features", f]);
    }
    cmd.current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", absolute(target_dir)?)
        .stdout(Stdio::null());
    if non_incremental {
        cmd.env("CARGO_INCREMENTAL", "0");
    }
    let start = Instant::now();
    let status = cmd
        .status()
        .map_err(|source| Error::io(crate_dir, "run cargo check in", source))?;
    let elapsed = start.elapsed();
    if !status.success() {
        return Err(Error::Command(format!(
            "cargo {} failed in {} ({status})",
            cargo_args.command,
            crate_dir.display()
        )));
    }
    Ok(elapsed)
}

fn absolute(path: &Path) -> Result<PathBuf, Error> {
    std::path::absolute(path).map_err(|source| Error::io(path, "resolve", source))
}

/// Sets the file's modification time to now, so cargo checks the crate again.
fn touch(path: &Path) -> Result<(), Error> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|source| Error::io(path, "touch", source))
}
