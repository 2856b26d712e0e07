//! `cargo xtask bench-runtime`: the generated client's runtime against plain `reqwest` +
//! `serde_json`, both in one process and one run.
//!
//! Builds and runs `generated-client/examples/bench_runtime.rs` in release mode (it needs
//! the generated crate, so it lives there rather than here): per-body decode time,
//! requests per second sequentially and with 32 in flight against a local server, and
//! with `--memory` the peak memory for one ~50 MB list response. Each figure comes with
//! its baseline from the same run; the tables are printed as markdown for the README.

use std::process::{Command, ExitCode};

use xtask::Error;

/// Arguments of `cargo xtask bench-runtime`.
#[derive(Debug, clap::Args)]
pub struct BenchRuntimeArgs {
    /// Rounds of the throughput benchmark (baseline and client interleaved).
    #[arg(long, value_name = "N", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..))]
    rounds: u32,
    /// Seconds per measurement in a round.
    #[arg(long, value_name = "S", default_value_t = 0.5)]
    seconds: f64,
    /// Requests in flight for the concurrent measurements.
    #[arg(long, value_name = "N", default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..))]
    concurrency: u32,
    /// Measure peak memory for one large list response instead of throughput.
    #[arg(long)]
    memory: bool,
    /// Size of that response in MB (10^6 bytes).
    #[arg(long, value_name = "MB", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    memory_mb: u32,
}

pub fn run(args: &BenchRuntimeArgs) -> Result<ExitCode, Error> {
    if !(args.seconds.is_finite() && args.seconds > 0.0) {
        return Err(Error::Usage(format!(
            "--seconds must be a positive number, got {}",
            args.seconds
        )));
    }
    let root = xtask::project_root();
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "generated-client",
        "--example",
        "bench_runtime",
        "--",
    ])
    .current_dir(&root);
    if args.memory {
        cmd.args(["--memory", "--memory-mb", &args.memory_mb.to_string()]);
    } else {
        cmd.args([
            "--rounds",
            &args.rounds.to_string(),
            "--seconds",
            &args.seconds.to_string(),
            "--concurrency",
            &args.concurrency.to_string(),
        ]);
    }
    let status = cmd
        .status()
        .map_err(|source| Error::io(&root, "run cargo (bench_runtime example) in", source))?;
    if !status.success() {
        return Err(Error::Command(format!(
            "the bench_runtime example failed ({status})"
        )));
    }
    Ok(ExitCode::SUCCESS)
}
