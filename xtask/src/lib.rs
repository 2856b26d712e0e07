//! The logic behind `cargo xtask`, as a library so tests can call it directly.
//!
//! * [`codegen_sync`] / [`codegen_check`]: regenerate `generated-client/src/generated/`
//!   from `specs/sailpoint-beta.yaml`, or check that it is up to date;
//!   [`codegen_reviewed`] also compares the API surface before and after.
//! * [`review::diff_specs`]: what changed in the API between two specs (`cargo xtask diff`).
//! * [`generate_crate`]: generate a standalone client crate for any spec.
//! * [`bench_generate`]: time loading and generation.
//!
//! Every command does all its generation in memory first and touches the disk only once
//! that succeeded, so a bad input leaves the output directory as it was.

pub mod error;
pub mod review;
pub mod sync;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::Error;
use generator::{Generated, Settings, Spec, Stats};
pub use review::{DiffArgs, Format, SurfaceReview};
pub use sync::{Plan, SyncReport, SyncTarget};

/// The spec `cargo xtask codegen` reads, relative to the project root.
pub const CODEGEN_SPEC: &str = "specs/sailpoint-beta.yaml";
/// The module tree `cargo xtask codegen` writes, relative to the project root.
pub const CODEGEN_DIR: &str = "generated-client/src/generated";
/// The command that regenerates [`CODEGEN_DIR`]; written into the generated headers.
pub const CODEGEN_COMMAND: &str = "cargo xtask codegen";
/// The settings `cargo xtask codegen` reads, relative to the project root.
pub const CODEGEN_SETTINGS: &str = "codegen.toml";

/// Read settings from `path` (named `file_name` in errors).
pub fn read_settings(path: &Path, file_name: &str) -> Result<Settings, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: file_name.to_string(),
        action: "read",
        source,
    })?;
    Ok(Settings::from_toml(file_name, &text)?)
}

/// The workspace root: the parent of the xtask crate's directory.
pub fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Read and parse the spec at `path`. `file_name` is how the file is named in errors
/// (and handed to the generator).
pub fn read_spec(path: &Path, file_name: &str) -> Result<Spec, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: file_name.to_string(),
        action: "read",
        source,
    })?;
    Ok(generator::load(file_name, &text)?)
}

/// How many warnings of each kind [`render_warnings`] shows unless asked for all.
pub const WARNINGS_PER_KIND: usize = 3;

/// The warnings as a report grouped by kind: a heading with the count per kind, then
/// the first [`WARNINGS_PER_KIND`] of each (all of them when `verbose`), each with its
/// JSON pointer. Empty for no warnings.
pub fn render_warnings(warnings: &[generator::Warning], verbose: bool) -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    let mut groups: BTreeMap<generator::WarningKind, Vec<&generator::Warning>> = BTreeMap::new();
    for w in warnings {
        groups.entry(w.kind).or_default().push(w);
    }
    let mut out = String::new();
    let mut hidden = 0;
    for (kind, list) in &groups {
        let _ = writeln!(out, "warning: {} ({}):", kind.title(), list.len());
        let shown = if verbose {
            list.len()
        } else {
            list.len().min(WARNINGS_PER_KIND)
        };
        for w in &list[..shown] {
            let _ = writeln!(out, "  at {}: {}", w.pointer, w.message);
        }
        if shown < list.len() {
            let _ = writeln!(out, "  ... and {} more", list.len() - shown);
            hidden += list.len() - shown;
        }
    }
    if !warnings.is_empty() {
        let _ = write!(
            out,
            "{} warning{} in {} group{}",
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" },
            groups.len(),
            if groups.len() == 1 { "" } else { "s" }
        );
        if hidden > 0 {
            out.push_str(" (--verbose lists all)");
        }
        out.push('\n');
    }
    out
}

/// Counts from [`Stats`] as one line of text.
pub fn format_stats(stats: &Stats) -> String {
    format!(
        "{} operations, {} types ({} structs, {} enums, {} unions, {} aliases)",
        stats.operations, stats.types, stats.structs, stats.enums, stats.unions, stats.aliases
    )
}

// ---------------------------------------------------------------------------------------
// cargo xtask codegen
// ---------------------------------------------------------------------------------------

/// Where `cargo xtask codegen` writes, for the project at `root`: all of [`CODEGEN_DIR`],
/// with stale files deleted anywhere in it.
pub fn codegen_target(root: &Path) -> SyncTarget {
    SyncTarget {
        dir: root.join(CODEGEN_DIR),
        prune_dirs: vec![String::new()],
        label: CODEGEN_DIR.to_string(),
    }
}

/// Fresh generator output for the project at `root`, in memory.
pub fn codegen_output(root: &Path) -> Result<Generated, Error> {
    let spec = read_spec(&root.join(CODEGEN_SPEC), CODEGEN_SPEC)?;
    let settings_path = root.join(CODEGEN_SETTINGS);
    let mut settings = if settings_path.exists() {
        read_settings(&settings_path, CODEGEN_SETTINGS)?
    } else {
        Settings::default()
    };
    settings.regenerate_command = CODEGEN_COMMAND.to_string();
    Ok(generator::generate(&spec, &settings)?)
}

/// `cargo xtask codegen --check`: compare the checked-in tree with fresh output. Changes
/// nothing; `None` when the tree is up to date, and otherwise what `cargo xtask codegen`
/// would change, as a unified diff ([`Plan::diff`]).
pub fn codegen_check(root: &Path) -> Result<Option<String>, Error> {
    let generated = codegen_output(root)?;
    let plan = sync::plan(&codegen_target(root), &generated.files)?;
    Ok((!plan.is_clean()).then(|| plan.diff()))
}

/// `cargo xtask codegen`: regenerate and sync the tree. Returns the generator output (for
/// its stats and warnings) and what was written and deleted.
pub fn codegen_sync(root: &Path) -> Result<(Generated, SyncReport), Error> {
    let generated = codegen_output(root)?;
    let report = sync::sync(&codegen_target(root), &generated.files)?;
    Ok((generated, report))
}

/// `cargo xtask codegen` with the API change summary: read the checked-in
/// `surface.json` first, regenerate and sync, then compare it with the new surface.
pub fn codegen_reviewed(root: &Path) -> Result<(Generated, SyncReport, SurfaceReview), Error> {
    let previous = review::previous_surface(&root.join(CODEGEN_DIR));
    let (generated, report) = codegen_sync(root)?;
    let review = review::review(previous, &generated.surface);
    Ok((generated, report, review))
}

// ---------------------------------------------------------------------------------------
// cargo xtask generate
// ---------------------------------------------------------------------------------------

/// Arguments of `cargo xtask generate`.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// The OpenAPI 3.0 or 3.1 document (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// The crate directory to create or update.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Keep only operations with this tag (and the types they use); overrides the
    /// settings' `tags`.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// The package name (default: the settings' `crate.name`, else from the spec's file
    /// name, e.g. `petstore_client`).
    #[arg(long, value_name = "NAME")]
    pub crate_name: Option<String>,
    /// Settings (a `codegen.toml`; see README).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// List every warning, not only the first few of each kind.
    #[arg(long)]
    pub verbose: bool,
}

/// The settings of a `generate`-like command: from `--settings FILE`, with `--tag` over
/// the file's `tags`.
pub fn command_settings(
    file: Option<&Path>,
    tag: Option<&str>,
    regenerate: String,
) -> Result<Settings, Error> {
    let mut settings = match file {
        Some(path) => read_settings(path, &path.display().to_string())?,
        None => Settings::default(),
    };
    if let Some(tag) = tag {
        settings.tags = vec![tag.to_string()];
    }
    settings.regenerate_command = regenerate;
    Ok(settings)
}

/// Where `cargo xtask generate` writes: the crate directory `out`, with stale files
/// deleted only under `src/generated/` and `src/runtime/`.
pub fn standalone_target(out: &Path) -> SyncTarget {
    SyncTarget {
        dir: out.to_path_buf(),
        prune_dirs: vec!["src/generated".to_string(), "src/runtime".to_string()],
        label: out.display().to_string(),
    }
}

/// The default crate name for a spec file: its stem, lowercased, with every run of
/// characters other than ASCII letters and digits turned into one `_`, and `_client`
/// appended (unless it already ends in `client`). A name that would start with a digit
/// is prefixed with `api_`. `specs/sailpoint-beta.yaml` → `sailpoint_beta_client`.
pub fn default_crate_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mut name = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('_') {
            name.push('_');
        }
    }
    let name = name.trim_end_matches('_');
    let mut name = match name {
        "" => "api_client".to_string(),
        n if n.ends_with("client") => n.to_string(),
        n => format!("{n}_client"),
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "api_");
    }
    name
}

/// Check that `name` is usable as a package and library name: ASCII letters, digits,
/// `_` and `-`, starting with a letter or `_`.
pub fn validate_crate_name(name: &str) -> Result<(), Error> {
    let ok_start = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok_start && ok_chars {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "invalid crate name {name:?}: use ASCII letters, digits, `_` and `-`, starting with a letter or `_`"
        )))
    }
}

/// Quote `arg` for a POSIX shell, leaving it bare when that is safe.
pub fn shell_quote(arg: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./=:,+@%".contains(c);
    if !arg.is_empty() && arg.chars().all(safe) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// The command line that re-runs `cargo xtask generate` with these arguments, as given.
pub fn regenerate_command(args: &GenerateArgs) -> String {
    let mut cmd = format!(
        "cargo xtask generate --spec {} --out {}",
        shell_quote(&args.spec.to_string_lossy()),
        shell_quote(&args.out.to_string_lossy())
    );
    let settings = args
        .settings
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    for (flag, value) in [
        ("--tag", &args.tag),
        ("--crate-name", &args.crate_name),
        ("--settings", &settings),
    ] {
        if let Some(value) = value {
            cmd.push_str(&format!(" {flag} {}", shell_quote(value)));
        }
    }
    cmd
}

/// `cargo xtask generate`: generate a standalone crate in memory, then sync it into
/// `args.out` (created if missing). On any input error nothing is written.
pub fn generate_crate(args: &GenerateArgs) -> Result<(Generated, SyncReport), Error> {
    let mut settings = command_settings(
        args.settings.as_deref(),
        args.tag.as_deref(),
        regenerate_command(args),
    )?;
    // Standalone crates get a feature per tag unless the settings say otherwise.
    settings.tag_features.get_or_insert(true);
    let crate_name = match (&args.crate_name, &settings.crate_name) {
        (Some(name), _) | (None, Some(name)) => name.clone(),
        (None, None) => default_crate_name(&args.spec),
    };
    validate_crate_name(&crate_name)?;
    let spec = read_spec(&args.spec, &args.spec.display().to_string())?;
    let mut generated = generator::generate(&spec, &settings)?;
    drop(spec);
    // The files are moved into the crate and back, not copied (GitHub's API: 61 MB).
    let files = generator::take_standalone_crate(&mut generated, &crate_name, &settings);
    let report = sync::sync(&standalone_target(&args.out), &files)?;
    generated.files = files
        .into_iter()
        .filter_map(|(path, text)| {
            let rel = path.strip_prefix(generator::GENERATED_DIR)?.to_string();
            Some((rel, text))
        })
        .collect();
    Ok((generated, report))
}

// ---------------------------------------------------------------------------------------
// cargo xtask bench-generate
// ---------------------------------------------------------------------------------------

/// Arguments of `cargo xtask bench-generate`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// The OpenAPI 3.0 or 3.1 document (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// Keep only operations with this tag (and the types they use).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Settings (a `codegen.toml`).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// How many times to load and generate.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub iterations: u32,
}

/// Timings from [`bench_generate`].
#[derive(Debug, Clone)]
pub struct BenchReport {
    /// Wall time of each `generator::load` call (the file is read once, untimed).
    pub load: Vec<Duration>,
    /// Wall time of parsing the text straight into `openapiv3::OpenAPI` with serde
    /// (`generator::load::load_plain`), in the same iterations: what `load` is compared to.
    pub plain: Vec<Duration>,
    /// Wall time of each `generator::generate` call.
    pub generate: Vec<Duration>,
    /// Per-phase times of each `generate` call (lower; emit tokens and format are summed
    /// over the emit worker threads).
    pub phases: Vec<generator::Timings>,
    /// Number of generated files.
    pub files: usize,
    /// Total size of the generated files in bytes.
    pub bytes: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// The generator's counts.
    pub stats: Stats,
}

impl std::fmt::Display for BenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (load_min, load_median) = min_median(&self.load);
        let (gen_min, gen_median) = min_median(&self.generate);
        writeln!(f, "iterations: {}", self.load.len())?;
        let (plain_min, plain_median) = min_median(&self.plain);
        writeln!(
            f,
            "load:     min {load_min:>10.3?}  median {load_median:>10.3?}  (plain serde → openapiv3: min {plain_min:.3?}, median {plain_median:.3?})"
        )?;
        writeln!(
            f,
            "generate: min {gen_min:>10.3?}  median {gen_median:>10.3?}"
        )?;
        let phase = |get: fn(&generator::Timings) -> Duration| {
            min_median(&self.phases.iter().map(get).collect::<Vec<_>>()).1
        };
        writeln!(
            f,
            "phases (median): lower {:.3?}, emit wall {:.3?} (tokens {:.3?} + format {:.3?}, summed over threads)",
            phase(|t| t.lower),
            phase(|t| t.emit_wall),
            phase(|t| t.emit_tokens),
            phase(|t| t.format),
        )?;
        writeln!(
            f,
            "output:   {} files, {} bytes, {} warnings",
            self.files, self.bytes, self.warnings
        )?;
        write!(f, "stats:    {}", format_stats(&self.stats))
    }
}

/// The minimum and the median (upper median for even counts) of `samples`; zero for none.
pub fn min_median(samples: &[Duration]) -> (Duration, Duration) {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let min = sorted.first().copied().unwrap_or_default();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
    (min, median)
}

/// `cargo xtask bench-generate`: time `load` and `generate` separately over
/// `args.iterations` runs. Writes nothing.
pub fn bench_generate(args: &BenchArgs) -> Result<BenchReport, Error> {
    let file_name = args.spec.display().to_string();
    let text = std::fs::read_to_string(&args.spec).map_err(|source| Error::Io {
        path: file_name.clone(),
        action: "read",
        source,
    })?;
    let settings = command_settings(
        args.settings.as_deref(),
        args.tag.as_deref(),
        "cargo xtask bench-generate".to_string(),
    )?;
    let mut load = Vec::new();
    let mut plain = Vec::new();
    let mut generate = Vec::new();
    let mut phases = Vec::new();
    let mut last = Generated::default();
    for _ in 0..args.iterations.max(1) {
        let start = Instant::now();
        let doc = generator::load::load_plain(&text);
        plain.push(start.elapsed());
        drop(doc);
        let start = Instant::now();
        let spec = generator::load(&file_name, &text)?;
        load.push(start.elapsed());
        let start = Instant::now();
        last = generator::generate(&spec, &settings)?;
        generate.push(start.elapsed());
        phases.push(last.timings);
    }
    Ok(BenchReport {
        load,
        plain,
        generate,
        phases,
        files: last.files.len(),
        bytes: last.files.values().map(String::len).sum(),
        warnings: last.warnings.len(),
        stats: last.stats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_from_spec_files() {
        let name = |p: &str| default_crate_name(Path::new(p));
        assert_eq!(name("specs/sailpoint-beta.yaml"), "sailpoint_beta_client");
        assert_eq!(name("Pet Store.json"), "pet_store_client");
        assert_eq!(name("my-client.yaml"), "my_client");
        assert_eq!(name("3dprint.yaml"), "api_3dprint_client");
        assert_eq!(name("--.yaml"), "api_client");
        assert_eq!(name("a..b__c.v1.yml"), "a_b_c_v1_client");
        for p in [
            "specs/sailpoint-beta.yaml",
            "3dprint.yaml",
            "--.yaml",
            "Ünïcode.yaml",
        ] {
            validate_crate_name(&name(p)).unwrap();
        }
    }

    #[test]
    fn crate_name_validation() {
        for ok in ["a", "_x", "foo-bar_2"] {
            validate_crate_name(ok).unwrap();
        }
        for bad in ["", "1a", "a b", "a/b", "-a"] {
            assert!(validate_crate_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn regenerate_command_round_trips_arguments() {
        let mut args = GenerateArgs {
            spec: "specs/x.yaml".into(),
            out: "../out dir".into(),
            tag: None,
            crate_name: None,
            settings: None,
            verbose: false,
        };
        assert_eq!(
            regenerate_command(&args),
            "cargo xtask generate --spec specs/x.yaml --out '../out dir'"
        );
        args.tag = Some("Sources".into());
        args.crate_name = Some("it's".into());
        assert_eq!(
            regenerate_command(&args),
            r"cargo xtask generate --spec specs/x.yaml --out '../out dir' --tag Sources --crate-name 'it'\''s'"
        );
    }

    #[test]
    fn warnings_are_grouped_by_kind() {
        use generator::{Warning, WarningKind};
        let mut warnings: Vec<Warning> = (0..5)
            .map(|i| Warning::new(WarningKind::Degraded, format!("#/a/{i}"), "m"))
            .collect();
        warnings.push(Warning::new(WarningKind::Renamed, "#/b", "r"));
        let short = render_warnings(&warnings, false);
        assert!(
            short.starts_with("warning: generated as a looser type (5):\n  at #/a/0: m\n"),
            "{short}"
        );
        assert!(short.contains("  ... and 2 more\n"), "{short}");
        assert!(!short.contains("#/a/3"), "{short}");
        assert!(
            short.contains("warning: renamed to avoid a clash (1):\n  at #/b: r\n"),
            "{short}"
        );
        assert!(
            short.ends_with("6 warnings in 2 groups (--verbose lists all)\n"),
            "{short}"
        );
        let all = render_warnings(&warnings, true);
        assert!(all.contains("#/a/4") && !all.contains("more"), "{all}");
        assert_eq!(render_warnings(&[], false), "");
    }

    #[test]
    fn min_median_of_samples() {
        let ms = Duration::from_millis;
        assert_eq!(min_median(&[ms(5), ms(1), ms(3)]), (ms(1), ms(3)));
        assert_eq!(min_median(&[ms(4), ms(2)]), (ms(2), ms(4)));
        assert_eq!(min_median(&[]), (Duration::ZERO, Duration::ZERO));
    }
}
