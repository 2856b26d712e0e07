//! Emission: the client surface ([`crate::rust::Plan`]) → files.
//!
//! Reads the plan only; never `openapiv3`, and it decides nothing the plan has not.
//! Every file starts with an `@generated` header naming the command that regenerates
//! it. Files made of items are built as tokens with `quote`, parsed by `syn` and printed
//! by `prettyplease`, with a blank line between items; the codec tables (one macro call
//! per type, which `prettyplease` would print as one paragraph) are written one entry
//! per line by [`codec`].
//!
//! The tree:
//!
//! ```text
//! mod.rs                          the API's docs; `models`, `operations`, `errors`, `codec`
//! errors.rs                       the error enums shared by operations, one per status set
//! models/mod.rs, models/{type}.rs one type per file: the type, its docs, its fields
//! codec/mod.rs, codec/{type}.rs   one table per type: its Serialize/Deserialize (and `new`)
//! operations/mod.rs
//! operations/{tag}/mod.rs         the operations of one tag
//! operations/{tag}/{op}.rs        one operation: the `Client` method, its `Params`,
//!                                 form, success and error types
//! testing/mod.rs                  (feature `test-util`) the typed mock server, the registry
//! testing/{tag}/mod.rs, {op}.rs   one operation's mock marker, setters and example call
//! surface.json                    the API surface, for `cargo xtask diff`
//! ```

mod client;
mod codec;
mod docs;
mod errors;
mod model;
mod operation;
mod printed;
mod testing;

use crate::error::{Error, Warning};
use crate::ir::TypeKind;
use crate::rust::Plan;
use crate::{Generated, Settings, Stats};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub(crate) use docs::doc_attrs;

/// One file to produce.
enum Job<'p> {
    Model(&'p crate::ir::TypeDef),
    Codec(&'p crate::ir::TypeDef),
    ModelsMod,
    CodecMod,
    OperationsMod,
    TagMod(&'p str, &'p crate::rust::Module),
    Operation(usize),
    Errors,
    Client,
    Root,
    TestingMod,
    TestingTag(&'p str, &'p crate::rust::Module),
    TestingOperation(usize),
}

/// How a file's text is made.
enum Content {
    Tokens(TokenStream),
    Text(String),
    /// Runs of items, each printed from tokens or written as text, one blank line
    /// between runs (as between items).
    Parts(Vec<Part>),
}

/// A run of items of a [`Content::Parts`] file.
enum Part {
    Tokens(TokenStream),
    Text(String),
}

impl Job<'_> {
    fn path(&self, plan: &Plan) -> String {
        match self {
            Job::Model(def) => format!("models/{}.rs", plan.types.file_stem(&def.name)),
            Job::Codec(def) => format!("codec/{}.rs", plan.types.file_stem(&def.name)),
            Job::ModelsMod => "models/mod.rs".to_string(),
            Job::CodecMod => "codec/mod.rs".to_string(),
            Job::OperationsMod => "operations/mod.rs".to_string(),
            Job::TagMod(module, _) => format!("operations/{module}/mod.rs"),
            Job::Operation(i) => plan.methods[*i].file.clone(),
            Job::Errors => "errors.rs".to_string(),
            Job::Client => "client.rs".to_string(),
            Job::Root => "mod.rs".to_string(),
            Job::TestingMod => "testing/mod.rs".to_string(),
            Job::TestingTag(module, _) => format!("testing/{module}/mod.rs"),
            Job::TestingOperation(i) => testing::file_path(&plan.methods[*i]),
        }
    }

    fn content(&self, plan: &Plan) -> Content {
        match self {
            Job::Model(def) => model::file(plan, def),
            Job::Codec(def) => Content::Text(codec::file(plan, def)),
            Job::ModelsMod => Content::Text(models_mod(plan)),
            Job::CodecMod => Content::Text(codec_mod(plan)),
            Job::OperationsMod => Content::Tokens(operations_mod(plan)),
            Job::TagMod(_, module) => Content::Tokens(operation::tag_module(plan, module)),
            Job::Operation(i) => Content::Tokens(operation::file(&plan.methods[*i])),
            Job::Errors => Content::Tokens(errors::file(plan)),
            Job::Client => Content::Tokens(client::file(plan)),
            Job::Root => Content::Tokens(root_module(plan)),
            Job::TestingMod => {
                let (tokens, text) = testing::root(plan);
                Content::Parts(vec![Part::Tokens(tokens), Part::Text(text)])
            }
            Job::TestingTag(_, module) => Content::Tokens(testing::tag_module(plan, module)),
            Job::TestingOperation(i) => {
                let (tokens, text) = testing::file(plan, *i);
                Content::Parts(vec![Part::Tokens(tokens), Part::Text(text)])
            }
        }
    }
}

impl Content {
    /// The file: `header`, a blank line, then the items.
    fn render(self, path: &str, header: &str, spec_file: &str) -> Result<String, Error> {
        let mut out = format!("{header}\n");
        match self {
            Content::Tokens(tokens) => out.push_str(&print_tokens(path, tokens, spec_file)?),
            Content::Text(text) => out.push_str(&text),
            Content::Parts(parts) => {
                for (i, part) in parts.into_iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    match part {
                        Part::Tokens(tokens) => {
                            out.push_str(&print_tokens(path, tokens, spec_file)?);
                        }
                        Part::Text(text) => out.push_str(&text),
                    }
                }
            }
        }
        Ok(out)
    }
}

/// What one emit worker produced: (path, formatted file) pairs and its timings.
type WorkerOutput = (Vec<(String, Result<String, Error>)>, PhaseTimes);

/// Time spent in each emit phase, summed over worker threads.
#[derive(Debug, Clone, Copy, Default)]
struct PhaseTimes {
    tokens: Duration,
    format: Duration,
}

/// Whether a type gets a codec file (aliases are their target's).
fn has_codec(def: &crate::ir::TypeDef) -> bool {
    !matches!(def.kind, TypeKind::Alias(_))
}

pub(crate) fn emit(
    plan: &Plan,
    spec: &crate::Spec,
    warnings: Vec<Warning>,
    settings: &Settings,
) -> Result<Generated, Error> {
    let api = plan.api;
    let spec_file = spec.file.as_str();
    let header = header(spec_file, settings);
    // Only the module root records the spec's hash: a spec edit must not rewrite every file.
    let root_header = format!("{header}// Spec sha256: {}\n", spec.sha256);

    // Larger files first, so that no worker is left with a large one at the end.
    let mut jobs: Vec<Job> = vec![
        Job::TestingMod,
        Job::Client,
        Job::Errors,
        Job::ModelsMod,
        Job::CodecMod,
        Job::OperationsMod,
        Job::Root,
    ];
    jobs.extend((0..plan.methods.len()).map(Job::Operation));
    jobs.extend((0..plan.methods.len()).map(Job::TestingOperation));
    jobs.extend(api.types.values().map(Job::Model));
    jobs.extend(
        plan.modules
            .iter()
            .map(|(m, module)| Job::TestingTag(m, module)),
    );
    jobs.extend(
        plan.modules
            .iter()
            .map(|(m, module)| Job::TagMod(m, module)),
    );
    jobs.extend(api.types.values().filter(|d| has_codec(d)).map(Job::Codec));

    // Files are independent: build and format them on all cores. Each worker takes the
    // next job not taken (files differ a lot in size); results go into a sorted map, so
    // the output does not depend on scheduling.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let run = || {
        let mut out = Vec::new();
        let mut times = PhaseTimes::default();
        while let Some(job) = jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            let path = job.path(plan);
            let t0 = Instant::now();
            let content = job.content(plan);
            let t1 = Instant::now();
            let h = if matches!(job, Job::Root) {
                &root_header
            } else {
                &header
            };
            let text = content.render(&path, h, spec_file);
            times.tokens += t1 - t0;
            times.format += t1.elapsed();
            out.push((path, text));
        }
        (out, times)
    };
    // The API surface, for `cargo xtask codegen`'s change summary and `cargo xtask diff`,
    // built beside the workers.
    let build_surface = || {
        let mut surface = crate::surface::Surface::from_plan(plan, Some(&spec.sha256));
        surface.generated = format!(
            "by the OpenAPI generator (`generator` crate) from `{spec_file}`; do not edit by hand; regenerate with `{}`",
            settings.regenerate_command
        );
        let json = surface.to_json();
        (surface, json)
    };
    let (results, (surface, surface_json)): (Vec<WorkerOutput>, _) = if workers == 1 {
        (vec![run()], build_surface())
    } else {
        std::thread::scope(|scope| {
            let surface = spawn_worker(scope, "surface builder", build_surface);
            let handles: Vec<_> = (0..workers)
                .map(|_| spawn_worker(scope, "emit worker", run))
                .collect();
            let results = handles.into_iter().map(join_worker).collect();
            (results, join_worker(surface))
        })
    };
    let mut files = BTreeMap::new();
    let mut times = PhaseTimes::default();
    for (out, t) in results {
        times.tokens += t.tokens;
        times.format += t.format;
        for (path, text) in out {
            files.insert(path, text?);
        }
    }

    let mut stats = Stats {
        operations: api.operations.len(),
        types: api.types.len(),
        ..Stats::default()
    };
    for def in api.types.values() {
        match def.kind {
            TypeKind::Struct(_) => stats.structs += 1,
            TypeKind::Enum(_) => stats.enums += 1,
            TypeKind::Union(_) => stats.unions += 1,
            TypeKind::Alias(_) | TypeKind::Newtype(_) => stats.aliases += 1,
        }
    }
    files.insert(crate::surface::SURFACE_FILE.to_string(), surface_json);
    let timings = crate::Timings {
        emit_tokens: times.tokens,
        format: times.format,
        ..Default::default()
    };
    Ok(Generated {
        files,
        warnings,
        stats,
        header,
        timings,
        surface,
        features: plan
            .features
            .as_ref()
            .map(|f| f.all.clone())
            .unwrap_or_default(),
    })
}

/// A thread of `scope` running `work`. Deeply nested token trees recurse in `syn` and
/// `prettyplease`: 16 MiB of stack, as the main thread of `cargo xtask` has 8.
fn spawn_worker<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    name: &str,
    work: impl FnOnce() -> T + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, T> {
    std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn_scoped(scope, work)
        .unwrap_or_else(|e| panic!("spawn the {name}: {e}"))
}

/// The result of a worker thread; its panic goes on in the caller.
fn join_worker<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// Parse the tokens and print them with `prettyplease`, with blank lines between items
/// (see [`space_out_items`]).
fn print_tokens(path: &str, tokens: TokenStream, spec_file: &str) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::new(
            spec_file,
            "#",
            format!("internal error: generated code for `{path}` does not parse: {e}"),
        )
    })?;
    Ok(space_out_items(&prettyplease::unparse(&file)))
}

/// A blank line after each item that ends with a line of its own (`}`, `};`) and after
/// each type alias, before
/// the next item at most two levels deep, and between the `use` lines and what follows
/// (as progenitor's `space_out_items`). Lines inside strings are never touched: the
/// printer writes multi-line literals only in doc attributes, which do not end in `}`.
fn space_out_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev_ends_item = false;
    let mut prev_is_use = false;
    let mut prev_is_inner_doc = false;
    // Inside a multi-line `#![...]`.
    let mut in_inner_attr = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let starts_item = !trimmed.is_empty()
            && indent <= 8
            && !trimmed.starts_with('}')
            && !trimmed.starts_with(')')
            && !trimmed.starts_with(']');
        let is_use =
            indent == 0 && (trimmed.starts_with("use ") || trimmed.starts_with("pub use "));
        // The end of one of the file's inner docs and attributes.
        let inner_attr_starts = indent == 0 && trimmed.starts_with("#![");
        let is_inner_doc = indent == 0
            && (trimmed.starts_with("//!")
                || (inner_attr_starts && trimmed.ends_with(']'))
                || (in_inner_attr && trimmed == ")]"));
        let inside_inner_attr = in_inner_attr;
        if inner_attr_starts && !trimmed.ends_with(']') {
            in_inner_attr = true;
        } else if in_inner_attr && indent == 0 && trimmed == ")]" {
            in_inner_attr = false;
        }
        if starts_item
            && !inside_inner_attr
            && (prev_ends_item
                || (prev_is_use && !is_use)
                || (prev_is_inner_doc && !is_inner_doc && indent == 0))
        {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        let ends_alias = indent == 0
            && (trimmed == ">;" || (trimmed.starts_with("pub type ") && trimmed.ends_with(';')));
        prev_ends_item = ends_alias
            || (matches!(trimmed, "}" | "};" | "});") || trimmed.ends_with(" {}")) && indent <= 8;
        prev_is_use = is_use;
        prev_is_inner_doc = is_inner_doc;
    }
    out
}

fn header(spec_file: &str, settings: &Settings) -> String {
    format!(
        "// @generated by the OpenAPI generator (`generator` crate) from `{spec_file}`.\n\
         // Do not edit by hand; regenerate with `{}`.\n",
        settings.regenerate_command
    )
}

fn root_module(plan: &Plan) -> TokenStream {
    let api = plan.api;
    let mut text = format!("{} (version {})", api.title, api.version);
    if let Some(d) = &api.description {
        text.push_str("\n\n");
        text.push_str(&docs::prose(d));
    }
    if !api.servers.is_empty() {
        text.push_str("\n\nServers:\n");
        for s in &api.servers {
            text.push_str(&format!("\n- `{}`", docs::code(&s.url)));
            if let Some(d) = &s.description {
                text.push_str(&format!(": {}", docs::prose(&docs::one_line(d))));
            }
            for v in &s.variables {
                text.push_str(&format!(
                    " (`{}` defaults to `{}`)",
                    docs::code(&v.name),
                    docs::code(&v.default)
                ));
            }
        }
    }
    text.push_str(
        "\n\n[`Client`] is the client (built with [`ClientBuilder`]); its methods are the \
         operations, documented in [`operations`] with the types they take and return; \
         their error types are aliases of the enums in [`errors`]. \
         [`models`] holds the schemas' types; the codecs (`codec`, not public) give them \
         their `Serialize` and `Deserialize` impls.",
    );
    let doc = docs::inner_doc_attrs(&text);
    quote! {
        #(#doc)*
        // Generated code refers to deprecated items of the spec by necessity (callers
        // still get the deprecation warnings); status matches list exact codes before
        // ranges (`200`, then `2XX`) on purpose.
        #![allow(
            deprecated,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::tabs_in_doc_comments,
            clippy::large_enum_variant,
            clippy::type_complexity,
            clippy::match_overlapping_arm
        )]

        mod client;
        mod codec;
        pub mod errors;
        pub mod models;
        pub mod operations;
        #[cfg(feature = "test-util")]
        pub mod testing;

        pub use client::{Client, ClientBuilder};
    }
}

/// `models/mod.rs`, written as the printer prints it (see [`printed`]).
fn models_mod(plan: &Plan) -> String {
    let mut out = String::from(
        "//! Types of the API's schemas, one module per type, all re-exported here.\n",
    );
    if plan.features.is_some() {
        out.push_str(
            "//!\n\
             //! Each type is compiled when a Cargo feature of an operation that uses it is on\n\
             //! (`full`, the default, turns on every tag's).\n",
        );
    }
    for d in plan.api.types.values() {
        let m = plan.types.file_stem(&d.name);
        let gate = plan.type_gate(&d.name);
        for item in [format!("mod {m};\n"), format!("pub use {m}::*;\n")] {
            if let Some(gate) = &gate {
                printed::cfg(&mut out, gate, 0);
            }
            out.push_str(&item);
        }
    }
    space_out_items(&out)
}

/// `codec/mod.rs`, written as the printer prints it (see [`printed`]).
fn codec_mod(plan: &Plan) -> String {
    let mut out = String::from(
        "//! How each model is encoded and decoded: one table per type, in which every wire\n\
         //! name appears once (see `crate::runtime::codec`).\n",
    );
    for d in plan.api.types.values().filter(|d| has_codec(d)) {
        if let Some(gate) = plan.type_gate(&d.name) {
            printed::cfg(&mut out, &gate, 0);
        }
        out.push_str(&format!("mod {};\n", plan.types.file_stem(&d.name)));
    }
    space_out_items(&out)
}

fn operations_mod(plan: &Plan) -> TokenStream {
    let mods = plan.modules.iter().map(|(m, module)| {
        let id = format_ident!("{}", m);
        let cfg = plan.module_cfg(module);
        quote!(#cfg mod #id; #cfg pub use #id::*;)
    });
    quote! {
        //! Operations, one module per tag. Each operation adds its method to
        //! [`Client`](crate::generated::Client) and defines its parameter, form, success and
        //! error types, all re-exported here.
        #(#mods)*
    }
}

/// Calls `f` with the plan of every snapshot fixture and of the project's spec, for
/// tests that compare renderings over many shapes.
#[cfg(test)]
fn for_each_fixture_plan(settings: &Settings, mut f: impl FnMut(&str, &Plan)) {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(format!("{root}/tests/fixtures"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.push(format!("{root}/../specs/sailpoint-beta.yaml").into());
    let mut planned = 0;
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).expect("fixture");
        let Ok(spec) = crate::load(&name, &text) else {
            continue;
        };
        let Ok((api, _)) = crate::lower::lower(&spec, settings) else {
            continue;
        };
        f(&name, &Plan::new(&api, settings));
        planned += 1;
    }
    assert!(planned > 10, "only {planned} fixtures planned");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Printing `text` again changes nothing: it is what the printer writes for its
    /// tokens (and `space_out_items` for the printer's text).
    fn assert_printed(text: &str, what: &str) {
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(
            space_out_items(&prettyplease::unparse(&file)),
            text,
            "{what}"
        );
    }

    #[test]
    fn module_lists_and_schema_table_are_what_the_printer_writes() {
        // Without features, and with a feature per tag (`#[cfg]` lines of every length).
        for tag_features in [None, Some(true)] {
            let settings = Settings {
                tag_features,
                ..Settings::default()
            };
            for_each_fixture_plan(&settings, |path, plan| {
                let what = |file: &str| format!("{path} ({tag_features:?}): {file}");
                assert_printed(&models_mod(plan), &what("models/mod.rs"));
                assert_printed(&codec_mod(plan), &what("codec/mod.rs"));
                assert_printed(&testing::root(plan).1, &what("SCHEMAS"));
            });
        }
    }
}
