//! `cargo xtask`: the project's commands. The logic lives in the `xtask` library.

use std::process::ExitCode;

mod bench_check;
mod bench_runtime;
mod conformance;
mod e2e;

/// The generator allocates many small strings and token trees; mimalloc makes a whole-API
/// run about a third faster than the system allocator (see README, Figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use generator::Generated;
use xtask::{BenchArgs, DiffArgs, Error, GenerateArgs, SyncReport};

/// Project commands for the OpenAPI client generator.
#[derive(Debug, Parser)]
#[command(name = "xtask", bin_name = "cargo xtask", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate generated-client/src/generated/ from specs/sailpoint-beta.yaml.
    Codegen {
        /// Change nothing; fail with a diff if the checked-in code is out of date.
        #[arg(long)]
        check: bool,
        /// List every warning, not only the first few of each kind.
        #[arg(long)]
        verbose: bool,
    },
    /// Generate a standalone client crate from any OpenAPI 3.0 or 3.1 document.
    Generate(GenerateArgs),
    /// Time loading and generation (writes nothing).
    BenchGenerate(BenchArgs),
    /// Time `cargo check` of a generated crate, its dependencies already built.
    BenchCheck(bench_check::BenchCheckArgs),
    /// Measure the client runtime against plain reqwest + serde_json: decode time,
    /// requests per second (sequential and concurrent), peak memory (`--memory`).
    BenchRuntime(bench_runtime::BenchRuntimeArgs),
    /// What changed in the API between two OpenAPI documents, in terms of the generated
    /// client, each change marked breaking or additive.
    Diff(DiffArgs),
    /// Run the generated client's e2e tests against Prism (the OpenAPI mock server).
    E2e(e2e::E2eArgs),
    /// Generate a client from a document and call every operation against Prism serving
    /// it: decode, re-encode, compare; report per operation.
    Conformance(conformance::ConformanceArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen { check: true, .. } => codegen_check(),
        Command::Codegen {
            check: false,
            verbose,
        } => codegen(verbose),
        Command::Generate(args) => generate(&args),
        Command::BenchGenerate(args) => bench(&args),
        Command::BenchCheck(args) => bench_check::run(&args),
        Command::BenchRuntime(args) => bench_runtime::run(&args),
        Command::Diff(args) => diff(&args),
        Command::E2e(args) => Ok(e2e::run(&args)),
        Command::Conformance(args) => Ok(conformance::run(&args)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(verbose: bool) -> Result<ExitCode, Error> {
    let (generated, report, review) = xtask::codegen_reviewed(&xtask::project_root())?;
    print_outcome(xtask::CODEGEN_DIR, &generated, &report, verbose);
    print!("\n{}", review.render_text());
    Ok(ExitCode::SUCCESS)
}

fn codegen_check() -> Result<ExitCode, Error> {
    let Some(diff) = xtask::codegen_check(&xtask::project_root())? else {
        println!("{} is up to date", xtask::CODEGEN_DIR);
        return Ok(ExitCode::SUCCESS);
    };
    print!("{diff}");
    println!("run {}", xtask::CODEGEN_COMMAND);
    Ok(ExitCode::FAILURE)
}

fn generate(args: &GenerateArgs) -> Result<ExitCode, Error> {
    let (generated, report) = xtask::generate_crate(args)?;
    print_outcome(
        &args.out.display().to_string(),
        &generated,
        &report,
        args.verbose,
    );
    Ok(ExitCode::SUCCESS)
}

fn diff(args: &DiffArgs) -> Result<ExitCode, Error> {
    let report = xtask::review::diff_specs(args)?;
    print!("{}", xtask::review::render(&report, args.format));
    if args.fail_on_breaking && report.has_breaking() {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn bench(args: &BenchArgs) -> Result<ExitCode, Error> {
    println!("{}", xtask::bench_generate(args)?);
    Ok(ExitCode::SUCCESS)
}

/// The summary on stdout, the warnings grouped by kind on stderr.
fn print_outcome(dir: &str, generated: &Generated, report: &SyncReport, verbose: bool) {
    eprint!("{}", xtask::render_warnings(&generated.warnings, verbose));
    println!("{dir}: {}", report.summary());
    println!(
        "generated {}, {} warnings",
        xtask::format_stats(&generated.stats),
        generated.warnings.len()
    );
}
