//! OpenAPI 3.0 and 3.1 → Rust client generator.
//!
//! The pipeline is `load` (3.1 converted to the 3.0 model) → `lower` (into the [`ir`],
//! with the [`Settings`]) → the client-surface plan (one method per operation, one type
//! renderer) → `emit` (tokens with `quote`, formatted by `prettyplease`) and the
//! [`Surface`] (`surface.json`), both projections of the plan. The core, [`generate`], is a pure function: a parsed
//! spec and [`Settings`] in, a sorted map of file paths to contents out. It performs no
//! I/O and keeps no global state; reading and writing files is the caller's job (see the
//! `xtask` crate).

pub mod builder;
pub mod diff;
mod emit;
pub mod error;
pub mod ir;
pub mod load;
mod lower;
mod naming;
mod rust;
pub mod settings;
mod standalone;
pub mod surface;

use std::collections::BTreeMap;

pub use builder::{BuildOutput, Builder, runtime_dependencies};
pub use error::{Error, Warning, WarningKind};
pub use load::{Spec, load};
pub use settings::Settings;
pub use standalone::{GENERATED_DIR, extra_dependencies, standalone_crate, take_standalone_crate};
pub use surface::Surface;

/// The result of [`generate`].
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// Paths relative to the `generated/` module root (`mod.rs`, `models/dto_type.rs`, ...)
    /// mapped to their full contents. Sorted, so iteration order is stable.
    pub files: BTreeMap<String, String>,
    /// Constructs the generator handled in a degraded way, each naming its JSON pointer.
    pub warnings: Vec<Warning>,
    /// Counts of what was generated.
    pub stats: Stats,
    /// The `@generated` comment each file starts with.
    pub header: String,
    /// Where the time went. Not part of the output: for benchmarks only.
    pub timings: Timings,
    /// The API surface of the generated code; also in `files` as
    /// [`surface::SURFACE_FILE`].
    pub surface: Surface,
    /// With a Cargo feature per tag (`Settings::tag_features`): the tag features, sorted
    /// (the crate also has `full`, the default, for all of them).
    pub features: Vec<String>,
}

/// Time spent in each phase of [`generate`]. `emit_tokens` and `format` are summed over
/// the worker threads that build files in parallel, so they can exceed wall time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// `openapiv3` → IR.
    pub lower: std::time::Duration,
    /// IR → token streams (`quote`).
    pub emit_tokens: std::time::Duration,
    /// Token streams → text (`syn` parse + `prettyplease`).
    pub format: std::time::Duration,
    /// Wall time of the emit phase (tokens and formatting, in parallel).
    pub emit_wall: std::time::Duration,
}

/// Counts of generated items, for reports and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub operations: usize,
    pub types: usize,
    pub structs: usize,
    pub enums: usize,
    pub unions: usize,
    pub aliases: usize,
}

/// Lower `spec` into the IR and emit the Rust module tree for it.
pub fn generate(spec: &Spec, settings: &Settings) -> Result<Generated, Error> {
    let t0 = std::time::Instant::now();
    // Pointers name the document as written, also inside schemas a 3.1 conversion moved.
    let (api, mut warnings) = lower::lower(spec, settings).map_err(|mut e| {
        e.pointer = spec.original_pointer(&e.pointer);
        e
    })?;
    for w in &mut warnings {
        w.pointer = spec.original_pointer(&w.pointer);
    }
    let t1 = std::time::Instant::now();
    let plan = rust::Plan::new(&api, settings);
    let mut generated = emit::emit(&plan, spec, warnings, settings)?;
    generated.timings.lower = t1 - t0;
    generated.timings.emit_wall = t1.elapsed();
    Ok(generated)
}

/// Only the lowering step: the IR of `spec`. Useful to tools that compare specs.
pub fn lower_to_ir(spec: &Spec, settings: &Settings) -> Result<(ir::Api, Vec<Warning>), Error> {
    lower::lower(spec, settings)
}
