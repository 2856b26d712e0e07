//! Emission: IR → token streams (`quote`) → formatted source (`prettyplease`).
//!
//! Reads only [`crate::ir`]; never `openapiv3`. Every file starts with an `@generated`
//! header naming the command that regenerates it.

mod docs;
mod operations;
mod types;

use crate::error::{Error, Warning};
use crate::ir::{Api, TypeKind, TypeRef};
use crate::naming::snake_name;
use crate::{Generated, Settings, Stats};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub(crate) use docs::doc_attrs;

/// Where a type is referenced from: the `models` module (siblings are `super::X`) or an
/// operations module (`models::X`, with `use crate::generated::models;`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ctx {
    Models,
    Operations,
}

/// One file to produce.
enum Job<'a> {
    Model(&'a crate::ir::TypeDef),
    ModelsMod,
    Operations(&'a str, Vec<&'a crate::ir::Operation>),
    OperationsMod(Vec<&'a str>),
    Errors,
    Root,
}

impl Job<'_> {
    fn path(&self) -> String {
        match self {
            Job::Model(def) => format!("models/{}.rs", snake_name(&def.name)),
            Job::ModelsMod => "models/mod.rs".to_string(),
            Job::Operations(module, _) => format!("operations/{module}.rs"),
            Job::OperationsMod(_) => "operations/mod.rs".to_string(),
            Job::Errors => "errors.rs".to_string(),
            Job::Root => "mod.rs".to_string(),
        }
    }

    fn tokens(&self, api: &Api, errors: &operations::ErrorEnums) -> TokenStream {
        match self {
            Job::Model(def) => types::type_file(api, def),
            Job::ModelsMod => {
                let mods = api
                    .types
                    .values()
                    .map(|d| format_ident!("{}", snake_name(&d.name)));
                quote! {
                    //! Types of the API's schemas, one module per type, all re-exported here.
                    #( mod #mods; pub use #mods::*; )*
                }
            }
            Job::Operations(_, ops) => operations::module_file(api, ops, errors),
            Job::Errors => operations::errors_file(api, errors),
            Job::OperationsMod(modules) => {
                let mods = modules.iter().map(|m| format_ident!("{}", m));
                quote! {
                    //! Operations, one module per tag. Each adds its methods to
                    //! [`crate::runtime::Client`] and defines the operations' parameter and success
                    //! types and error aliases (of the enums in `errors`), all re-exported here.
                    #( mod #mods; pub use #mods::*; )*
                }
            }
            Job::Root => root_module(api),
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

pub(crate) fn emit(
    api: &Api,
    spec: &crate::Spec,
    warnings: Vec<Warning>,
    settings: &Settings,
) -> Result<Generated, Error> {
    let spec_file = spec.file.as_str();
    let header = header(spec_file, settings);
    // Only the module root records the spec's hash: a spec edit must not rewrite every file.
    let root_header = format!("{header}// Spec sha256: {}\n", spec.sha256);

    let mut by_module: BTreeMap<&str, Vec<&crate::ir::Operation>> = BTreeMap::new();
    for op in &api.operations {
        by_module.entry(op.module.as_str()).or_default().push(op);
    }
    let mut jobs: Vec<Job> = api.types.values().map(Job::Model).collect();
    jobs.push(Job::ModelsMod);
    jobs.push(Job::OperationsMod(by_module.keys().copied().collect()));
    jobs.extend(
        by_module
            .into_iter()
            .map(|(m, ops)| Job::Operations(m, ops)),
    );
    jobs.push(Job::Errors);
    jobs.push(Job::Root);
    let errors = operations::ErrorEnums::new(api);
    let errors = &errors;

    // Files are independent: build and format them on all cores. Each worker takes every
    // n-th job; results go into a sorted map, so the output does not depend on scheduling.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let run = |worker: usize| {
        let mut out = Vec::new();
        let mut times = PhaseTimes::default();
        for job in jobs.iter().skip(worker).step_by(workers) {
            let path = job.path();
            let t0 = Instant::now();
            let tokens = job.tokens(api, errors);
            let t1 = Instant::now();
            let h = if matches!(job, Job::Root) {
                &root_header
            } else {
                &header
            };
            let text = format_file(&path, tokens, h, spec_file);
            times.tokens += t1 - t0;
            times.format += t1.elapsed();
            out.push((path, text));
        }
        (out, times)
    };
    let results: Vec<WorkerOutput> = if workers == 1 {
        vec![run(0)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers).map(|w| scope.spawn(move || run(w))).collect();
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
            TypeKind::Alias(_) => stats.aliases += 1,
        }
    }
    // The API surface, for `cargo xtask codegen`'s change summary and `cargo xtask diff`.
    let mut surface = crate::surface::Surface::from_api(api, Some(&spec.sha256));
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
    })
}

/// Parse the tokens and print them with `prettyplease`, after the header.
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
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}

fn header(spec_file: &str, settings: &Settings) -> String {
    format!(
        "// @generated by the OpenAPI generator (`generator` crate) from `{spec_file}`.\n\
         // Do not edit by hand; regenerate with `{}`.\n",
        settings.regenerate_command
    )
}

fn root_module(api: &Api) -> TokenStream {
    let mut text = format!("{} (version {})", api.title, api.version);
    if let Some(d) = &api.description {
        text.push_str("\n\n");
        text.push_str(&docs::prose(d));
    }
    if !api.servers.is_empty() {
        text.push_str("\n\nServers:\n");
        for s in &api.servers {
            text.push_str(&format!("\n- `{}`", s.url));
            if let Some(d) = &s.description {
                text.push_str(&format!(": {}", docs::prose(d)));
            }
            for (name, default, _) in &s.variables {
                text.push_str(&format!(" (`{name}` defaults to `{default}`)"));
            }
        }
    }
    let doc = docs::inner_doc_attrs(&text);
    quote! {
        #(#doc)*
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::tabs_in_doc_comments)]

        pub mod errors;
        pub mod models;
        pub mod operations;
    }
}

/// The Rust type for a use site.
pub(crate) fn type_tokens(ty: &TypeRef, ctx: Ctx) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        // Inside JSON a binary value is a string.
        TypeRef::Binary => quote!(String),
        TypeRef::Value => quote!(serde_json::Value),
        TypeRef::Named(n) => {
            let id = format_ident!("{}", n);
            match ctx {
                Ctx::Models => quote!(super::#id),
                Ctx::Operations => quote!(models::#id),
            }
        }
        TypeRef::Array(t) => {
            let t = type_tokens(t, ctx);
            quote!(Vec<#t>)
        }
        TypeRef::Map(t) => {
            let t = type_tokens(t, ctx);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        TypeRef::Nullable(t) => {
            let t = type_tokens(t, ctx);
            quote!(Option<#t>)
        }
    }
}

/// Follow aliases to the type a name finally stands for.
pub(crate) fn resolve_alias<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    crate::ir::resolve_alias(&api.types, ty)
}

/// Whether the (alias-resolved) type is a generated string enum.
pub(crate) fn is_enum(api: &Api, ty: &TypeRef) -> bool {
    match resolve_alias(api, ty) {
        TypeRef::Named(n) => matches!(api.types.get(n).map(|d| &d.kind), Some(TypeKind::Enum(_))),
        _ => false,
    }
}
