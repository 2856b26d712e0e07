//! Generating a client from a build script, as `prost-build` does.
//!
//! ```no_run
//! // build.rs, in `fn main`:
//! generator::Builder::new("api.yaml")
//!     .settings("codegen.toml")
//!     .generate()
//!     .unwrap_or_else(|e| panic!("{e}"));
//! ```
//!
//! ```ignore
//! // src/lib.rs: at the crate root, since the client refers to `crate::runtime` and
//! // `crate::generated`.
//! include!(concat!(env!("OUT_DIR"), "/client.rs"));
//! ```
//!
//! [`Builder::generate`] reads the spec and the settings, generates the client (the
//! runtime and the `generated/` tree) into `$OUT_DIR/client/`, writes
//! `$OUT_DIR/client.rs` that mounts both, tells Cargo to rerun only when the spec or
//! the settings change, and prints the generator's warnings (grouped, a few lines) as
//! `cargo:warning`s. Files whose contents did not change are not rewritten, so an
//! unchanged spec never recompiles the client. The crate's `[dependencies]` must
//! include the runtime's (see [`runtime_dependencies`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{Error, Settings, WarningKind};

/// Generates a client from a build script. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    settings: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    emit_cargo: bool,
}

/// What [`Builder::generate`] did.
#[derive(Debug, Clone)]
pub struct BuildOutput {
    /// The file to `include!` at the crate root.
    pub include: PathBuf,
    /// Files written (their contents changed).
    pub written: usize,
    /// The generator's warnings.
    pub warnings: Vec<crate::Warning>,
}

impl Builder {
    /// Generate from the OpenAPI document at `spec` (relative to the crate's manifest
    /// directory, as build scripts run there).
    pub fn new(spec: impl Into<PathBuf>) -> Builder {
        Builder {
            spec: spec.into(),
            settings: None,
            out_dir: None,
            emit_cargo: true,
        }
    }

    /// Read settings from this `codegen.toml`.
    pub fn settings(mut self, path: impl Into<PathBuf>) -> Builder {
        self.settings = Some(path.into());
        self
    }

    /// Write into this directory instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Builder {
        self.out_dir = Some(dir.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` and `cargo:warning` lines (default:
    /// yes; off for use outside build scripts).
    pub fn cargo_instructions(mut self, on: bool) -> Builder {
        self.emit_cargo = on;
        self
    }

    /// Generate. Errors (an unreadable file, a spec or settings the generator refuses)
    /// name the file and what is wrong; nothing is written then.
    pub fn generate(self) -> Result<BuildOutput, Error> {
        let out_dir = match self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
        {
            Some(dir) => dir,
            None => {
                return Err(Error::new(
                    "build script",
                    "#",
                    "OUT_DIR is not set: call Builder::generate from a build script, or set Builder::out_dir",
                ));
            }
        };
        if self.emit_cargo {
            println!("cargo:rerun-if-changed={}", self.spec.display());
            if let Some(s) = &self.settings {
                println!("cargo:rerun-if-changed={}", s.display());
            }
        }
        let spec_name = self.spec.display().to_string();
        let text = read(&self.spec)?;
        let spec = crate::load(&spec_name, &text)?;
        let mut settings = match &self.settings {
            Some(path) => Settings::from_toml(&path.display().to_string(), &read(path)?)?,
            None => Settings::default(),
        };
        settings.regenerate_command = "cargo build (build.rs)".to_string();
        let generated = crate::generate(&spec, &settings)?;
        let root = out_dir.join("client");
        let mut files: BTreeMap<PathBuf, String> = crate::standalone::runtime_files(None)
            .into_iter()
            .map(|(rel, text)| (root.join("runtime").join(rel), text))
            .chain(
                generated
                    .files
                    .iter()
                    .map(|(rel, text)| (root.join("generated").join(rel), text.clone())),
            )
            .collect();
        let include = out_dir.join("client.rs");
        files.insert(include.clone(), include_file(&generated.header, &root));
        let mut written = 0;
        for (path, text) in &files {
            if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
                }
                std::fs::write(path, text).map_err(|e| io_error(path, e))?;
                written += 1;
            }
        }
        if self.emit_cargo && !generated.warnings.is_empty() {
            let mut kinds: BTreeMap<WarningKind, usize> = BTreeMap::new();
            for w in &generated.warnings {
                *kinds.entry(w.kind).or_default() += 1;
            }
            for (kind, n) in kinds {
                let first = generated.warnings.iter().find(|w| w.kind == kind);
                if let Some(w) = first {
                    println!(
                        "cargo:warning={spec_name}: {n} × {}; first at {}: {}",
                        kind.title(),
                        w.pointer,
                        w.message
                    );
                }
            }
        }
        Ok(BuildOutput {
            include,
            written,
            warnings: generated.warnings,
        })
    }
}

/// The `[dependencies]` the generated client needs, as `Cargo.toml` lines.
pub fn runtime_dependencies() -> &'static str {
    crate::standalone::runtime_dependencies()
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            path.display().to_string(),
            "#",
            format!("cannot read the file: {e}"),
        )
    })
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        path.display().to_string(),
        "#",
        format!("cannot write: {e}"),
    )
}

/// `client.rs`: the runtime and the generated tree as modules at the including crate's
/// root, by absolute path.
fn include_file(header: &str, root: &Path) -> String {
    let generated = root.join("generated").join("mod.rs");
    let runtime = root.join("runtime").join("mod.rs");
    format!(
        "{header}\n// The client of the API, for `include!` at a crate's root.\n\n#[path = {:?}]\n#[rustfmt::skip]\npub mod generated;\n#[path = {:?}]\npub mod runtime;\n\n{}",
        generated.display().to_string(),
        runtime.display().to_string(),
        crate::standalone::REEXPORTS
    )
}
