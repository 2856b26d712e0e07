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
//! mod.rs                          the API's docs; `models`, `operations`, `codec`
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
mod model;
mod operation;
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
    /// Items printed from tokens, then items written as text.
    TokensThen(TokenStream, String),
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
            Job::ModelsMod => Content::Tokens(models_mod(plan)),
            Job::CodecMod => Content::Tokens(codec_mod(plan)),
            Job::OperationsMod => Content::Tokens(operations_mod(plan)),
            Job::TagMod(_, module) => Content::Tokens(operation::tag_module(plan, module)),
            Job::Operation(i) => Content::Tokens(operation::file(plan, &plan.methods[*i])),
            Job::Client => Content::Tokens(client::file(plan)),
            Job::Root => Content::Tokens(root_module(plan)),
            Job::TestingMod => Content::Tokens(testing::root(plan)),
            Job::TestingTag(_, module) => Content::Tokens(testing::tag_module(plan, module)),
            Job::TestingOperation(i) => {
                let (tokens, text) = testing::file(plan, *i);
                Content::TokensThen(tokens, text)
            }
        }
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

    let mut jobs: Vec<Job> = api.types.values().map(Job::Model).collect();
    jobs.extend(api.types.values().filter(|d| has_codec(d)).map(Job::Codec));
    jobs.push(Job::ModelsMod);
    jobs.push(Job::CodecMod);
    jobs.push(Job::OperationsMod);
    jobs.extend(
        plan.modules
            .iter()
            .map(|(m, module)| Job::TagMod(m, module)),
    );
    jobs.extend((0..plan.methods.len()).map(Job::Operation));
    jobs.push(Job::Client);
    jobs.push(Job::Root);
    jobs.push(Job::TestingMod);
    jobs.extend(
        plan.modules
            .iter()
            .map(|(m, module)| Job::TestingTag(m, module)),
    );
    jobs.extend((0..plan.methods.len()).map(Job::TestingOperation));

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
            let text = match content {
                Content::Tokens(tokens) => format_file(&path, tokens, h, spec_file),
                Content::Text(text) => Ok(format!("{h}\n{text}")),
                Content::TokensThen(tokens, text) => {
                    format_file(&path, tokens, h, spec_file).map(|f| format!("{f}\n{text}"))
                }
            };
            times.tokens += t1 - t0;
            times.format += t1.elapsed();
            out.push((path, text));
        }
        (out, times)
    };
    let results: Vec<WorkerOutput> = if workers == 1 {
        vec![run()]
    } else {
        std::thread::scope(|scope| {
            // Deeply nested token trees recurse in `syn` and `prettyplease`: 16 MiB of
            // stack, as the main thread of `cargo xtask` has 8.
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    std::thread::Builder::new()
                        .stack_size(16 << 20)
                        .spawn_scoped(scope, run)
                        .expect("spawn an emit worker")
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
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
    // The API surface, for `cargo xtask codegen`'s change summary and `cargo xtask diff`.
    let mut surface = crate::surface::Surface::from_plan(plan, Some(&spec.sha256));
    surface.generated = format!(
        "by the OpenAPI generator (`generator` crate) from `{spec_file}`; do not edit by hand; regenerate with `{}`",
        settings.regenerate_command
    );
    files.insert(crate::surface::SURFACE_FILE.to_string(), surface.to_json());
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

/// Parse the tokens and print them with `prettyplease`, after the header, with a blank
/// line between items.
fn format_file(
    path: &str,
    tokens: TokenStream,
    header: &str,
    spec_file: &str,
) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::new(
            spec_file,
            "#",
            format!("internal error: generated code for `{path}` does not parse: {e}"),
        )
    })?;
    Ok(format!(
        "{header}\n{}",
        space_out_items(&prettyplease::unparse(&file))
    ))
}

/// A blank line after each item that ends with a line of its own (`}`, `};`), before
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
        prev_ends_item =
            (matches!(trimmed, "}" | "};" | "});") || trimmed.ends_with(" {}")) && indent <= 8;
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
         operations, documented in [`operations`] with the types they take and return. \
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
        pub mod models;
        pub mod operations;
        #[cfg(feature = "test-util")]
        pub mod testing;

        pub use client::{Client, ClientBuilder};
    }
}

fn models_mod(plan: &Plan) -> TokenStream {
    let mods = plan.api.types.values().map(|d| {
        let m = format_ident!("{}", plan.types.file_stem(&d.name));
        let cfg = plan.type_cfg(&d.name);
        quote!(#cfg mod #m; #cfg pub use #m::*;)
    });
    let gated = plan.features.is_some().then(|| {
        quote! {
            //!
            //! Each type is compiled when a Cargo feature of an operation that uses it is on
            //! (`full`, the default, turns on every tag's).
        }
    });
    quote! {
        //! Types of the API's schemas, one module per type, all re-exported here.
        #gated
        #(#mods)*
    }
}

fn codec_mod(plan: &Plan) -> TokenStream {
    let mods = plan.api.types.values().filter(|d| has_codec(d)).map(|d| {
        let m = format_ident!("{}", plan.types.file_stem(&d.name));
        let cfg = plan.type_cfg(&d.name);
        quote!(#cfg mod #m;)
    });
    quote! {
        //! How each model is encoded and decoded: one table per type, in which every wire
        //! name appears once (see `crate::runtime::codec`).
        #(#mods)*
    }
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
