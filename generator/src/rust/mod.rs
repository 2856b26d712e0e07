//! The client surface: the Rust view of the IR that emit and `surface.json` both read.
//!
//! [`Plan::new`] decides, once, everything the generated code exposes: the Rust type
//! of every field, argument and body ([`ty::Ty`], through [`TypeSpace`]), the file each
//! type and operation goes to, and per operation one [`Method`]: its arguments in
//! order, its `Params` struct, body, success type, error enum and stream method.
//! [`crate::emit`] renders a plan to files and [`crate::surface`] projects it to
//! `surface.json`; neither re-derives any of it, and nothing is decided by reading
//! printed tokens.

pub(crate) mod method;
pub(crate) mod ty;

use std::collections::BTreeMap;

use crate::ir::{Api, Field, Struct, TypeDef, TypeRef};
use crate::naming::{Namer, snake_name};

pub(crate) use method::{
    Arg, ArgKind, BodyArg, Decode, ErrorVariant, FormStruct, Method, Stream, Success,
    SuccessVariant,
};
pub(crate) use ty::{Scope, Ty};

/// Longest file stem (before `.rs`) written: names longer than this are cut and given
/// a hash of the whole name, so file systems never refuse them and names stay stable.
const MAX_FILE_STEM: usize = 64;

/// The client surface of an [`Api`]. See the module docs.
pub(crate) struct Plan<'a> {
    pub api: &'a Api,
    pub settings: &'a crate::Settings,
    pub types: TypeSpace<'a>,
    /// One per operation, in the IR's order (module, then name).
    pub methods: Vec<Method<'a>>,
    /// Tag module (directory under `operations/`) → the tag it holds and its methods'
    /// indices.
    pub modules: BTreeMap<String, Module>,
    /// With a Cargo feature per tag: the features, and which gate each item.
    pub features: Option<Features>,
    /// The shared error enums of `errors.rs` (by name) and the statuses of each, in
    /// [`method::status_order`]: one per set of error statuses some operation documents.
    pub error_shapes: BTreeMap<String, Vec<crate::ir::Status>>,
}

/// The Cargo features of a crate with a feature per tag: one per tag module (its name),
/// and `full` for all.
pub(crate) struct Features {
    /// Every tag feature, sorted.
    pub all: Vec<String>,
    /// Per method (by index): the features of its tags.
    pub methods: Vec<Vec<String>>,
    /// Per model (by type name): the features of the operations that reach it; empty for
    /// a type no operation reaches (compiled with `full` only).
    pub types: BTreeMap<String, Vec<String>>,
}

impl Features {
    /// The `#[cfg(...)]` for an item compiled when one of `features` is on; `None` when
    /// that is always (every feature).
    pub(crate) fn cfg(&self, features: &[String]) -> Option<proc_macro2::TokenStream> {
        Some(match self.gate(features)?.as_slice() {
            [one] => quote::quote!(#[cfg(feature = #one)]),
            many => quote::quote!(#[cfg(any(#(feature = #many),*))]),
        })
    }

    /// The features the `#[cfg]` of [`Self::cfg`] names (`full` alone for none), for
    /// the files written as text; `None` when there is no `#[cfg]`.
    pub(crate) fn gate<'s>(&self, features: &'s [String]) -> Option<Vec<&'s str>> {
        if features.len() == self.all.len() {
            return None;
        }
        Some(match features {
            [] => vec!["full"],
            many => many.iter().map(String::as_str).collect(),
        })
    }
}

/// One module of `operations/`: the operations of one tag.
pub(crate) struct Module {
    /// The tag as the spec writes it (`(untagged)` for none).
    pub tag: String,
    pub methods: Vec<usize>,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(api: &'a Api, settings: &'a crate::Settings) -> Plan<'a> {
        let types = TypeSpace::new(api);
        let mut modules: BTreeMap<String, Module> = BTreeMap::new();
        let mut methods = Vec::with_capacity(api.operations.len());
        // File stems of operations, unique within their module.
        let mut files: BTreeMap<String, Namer> = BTreeMap::new();
        for (i, op) in api.operations.iter().enumerate() {
            let module = module_stem(&op.module);
            let namer = files.entry(module.clone()).or_default();
            namer.reserve("mod");
            let file = namer.unique(&bounded_stem(&op.name), true);
            methods.push(Method::new(
                &types,
                op,
                format!("operations/{module}/{file}.rs"),
            ));
            modules
                .entry(module)
                .or_insert_with(|| Module {
                    tag: op
                        .tags
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "(untagged)".into()),
                    methods: Vec::new(),
                })
                .methods
                .push(i);
        }
        let features = (settings.tag_features == Some(true)).then(|| features(api, &modules));
        let error_shapes = methods
            .iter()
            .map(|m| {
                (
                    m.error_shape(),
                    m.error.1.iter().map(|v| v.status).collect(),
                )
            })
            .collect();
        Plan {
            api,
            settings,
            types,
            methods,
            modules,
            features,
            error_shapes,
        }
    }
}

/// The Cargo feature of a tag module: its name, unless Cargo gives that name a meaning
/// (`default`) or the crate does (`full`).
pub(crate) fn feature_name(module: &str) -> String {
    match module {
        "default" | "full" => format!("{module}-tag"),
        m => m.to_string(),
    }
}

/// A feature per tag module; each operation gated by the features of all its tags.
fn features(api: &Api, modules: &BTreeMap<String, Module>) -> Features {
    let module_of_tag: BTreeMap<&str, String> = modules
        .iter()
        .map(|(m, module)| (module.tag.as_str(), feature_name(m)))
        .collect();
    let all: Vec<String> = modules.keys().map(|m| feature_name(m)).collect();
    let mut types: BTreeMap<String, std::collections::BTreeSet<String>> = api
        .types
        .keys()
        .map(|n| (n.clone(), Default::default()))
        .collect();
    let methods = api
        .operations
        .iter()
        .map(|op| {
            let mut fs: Vec<String> = op
                .tags
                .iter()
                .filter_map(|t| module_of_tag.get(t.as_str()).cloned())
                .collect();
            let own = feature_name(&module_stem(&op.module));
            if !fs.contains(&own) {
                fs.push(own);
            }
            fs.sort();
            fs.dedup();
            let mut roots = Vec::new();
            op.visit_named(&mut |n| roots.push(n));
            for t in crate::ir::reach(&api.types, roots) {
                if let Some(set) = types.get_mut(t) {
                    set.extend(fs.iter().cloned());
                }
            }
            fs
        })
        .collect();
    Features {
        all,
        methods,
        types: types
            .into_iter()
            .map(|(k, v)| (k, v.into_iter().collect()))
            .collect(),
    }
}

impl Plan<'_> {
    /// The features of a model's `#[cfg]` (see [`Features::gate`]), with a feature per tag.
    pub(crate) fn type_gate(&self, name: &str) -> Option<Vec<&str>> {
        let f = self.features.as_ref()?;
        f.gate(f.types.get(name).map_or(&[][..], Vec::as_slice))
    }

    /// The `#[cfg]` of a method's module, with a feature per tag.
    pub(crate) fn method_cfg(&self, i: usize) -> Option<proc_macro2::TokenStream> {
        let f = self.features.as_ref()?;
        f.cfg(&f.methods[i])
    }

    /// The `#[cfg]` of a tag module: any feature of its methods.
    pub(crate) fn module_cfg(&self, module: &Module) -> Option<proc_macro2::TokenStream> {
        let f = self.features.as_ref()?;
        let mut all: Vec<String> = module
            .methods
            .iter()
            .flat_map(|&i| f.methods[i].iter().cloned())
            .collect();
        all.sort();
        all.dedup();
        f.cfg(&all)
    }

    /// The derives of a generated model: `base`, then the settings' extra derives.
    pub(crate) fn derives(&self, def: &TypeDef, base: &[&str]) -> Vec<syn::Path> {
        let mut names: Vec<&str> = base.to_vec();
        for extra in self
            .settings
            .derives_of(&def.name, def.component.as_deref())
        {
            if !names.contains(&extra) {
                names.push(extra);
            }
        }
        names
            .into_iter()
            .filter_map(|n| syn::parse_str::<syn::Path>(n).ok())
            .collect()
    }
}

/// The Rust type of every IR type reference, and the names of generated types' files
/// and members.
pub(crate) struct TypeSpace<'a> {
    pub api: &'a Api,
    /// Type name → file stem (snake case, bounded, unique).
    files: BTreeMap<&'a str, String>,
}

impl<'a> TypeSpace<'a> {
    fn new(api: &'a Api) -> TypeSpace<'a> {
        let mut namer = Namer::new();
        namer.reserve("mod");
        // A module named like its parent (`models::models`, `codec::codec`).
        namer.reserve("models");
        namer.reserve("codec");
        let files = api
            .types
            .keys()
            .map(|n| (n.as_str(), namer.unique(&bounded_stem(n), true)))
            .collect();
        TypeSpace { api, files }
    }

    /// The file stem of a generated type (`models/{stem}.rs`, `codec/{stem}.rs`).
    pub(crate) fn file_stem(&self, name: &str) -> &str {
        &self.files[name]
    }

    /// Follow aliases to the type a reference stands for.
    pub(crate) fn resolve(&self, ty: &'a TypeRef) -> &'a TypeRef {
        crate::ir::resolve_alias(&self.api.types, ty)
    }

    /// The Rust type of a value in JSON (a field, a body, a list item).
    pub(crate) fn value(&self, ty: &TypeRef) -> Ty {
        match ty {
            // Inside JSON a binary value is a string.
            TypeRef::String | TypeRef::Binary => Ty::String,
            TypeRef::Bool => Ty::Bool,
            TypeRef::I32 => Ty::I32,
            TypeRef::I64 => Ty::I64,
            TypeRef::F64 => Ty::F64,
            TypeRef::DateTime => Ty::DateTime,
            TypeRef::Date => Ty::Date,
            TypeRef::Value => Ty::Value,
            TypeRef::Named(n) => Ty::Model(n.clone()),
            TypeRef::Extern(p) => Ty::Path(p.clone()),
            TypeRef::Array(t) => Ty::Vec(Box::new(self.value(t))),
            TypeRef::Map(t) => Ty::Map(Box::new(self.value(t))),
            TypeRef::Nullable(t) => self.value(t).option(),
        }
    }

    /// The Rust type of a struct field: boxed when recursive, `Option` when optional.
    pub(crate) fn field(&self, f: &Field) -> Ty {
        let ty = self.field_value(f);
        if f.optional() { ty.option() } else { ty }
    }

    /// A struct field's type without the `Option` optionality adds.
    pub(crate) fn field_value(&self, f: &Field) -> Ty {
        let ty = self.value(&f.ty);
        if f.boxed { Ty::Boxed(Box::new(ty)) } else { ty }
    }

    /// The type of a positional argument: borrowed unless small and `Copy`.
    pub(crate) fn argument(&self, ty: &TypeRef) -> Ty {
        match self.resolve(ty) {
            TypeRef::String | TypeRef::Binary => Ty::Str.reference(),
            TypeRef::Array(item) => Ty::Slice(Box::new(self.value(item))).reference(),
            _ => {
                let value = self.value(ty);
                if self.value(self.resolve(ty)).is_copy() {
                    value
                } else {
                    value.reference()
                }
            }
        }
    }

    /// The Rust names of a struct's two extra members: the unknown fields, and the typed
    /// additional properties when the schema has them. Unique against the fields.
    pub(crate) fn extra_members(&self, s: &Struct) -> (String, Option<String>) {
        let mut names = Namer::new();
        for f in &s.fields {
            names.reserve(&f.name);
        }
        let additional = s
            .additional
            .as_ref()
            .map(|_| names.unique("additional_properties", true));
        (names.unique("unknown_fields", true), additional)
    }
}

/// The directory of a tag's operations: its bounded stem, never `operations` (a module
/// named like its parent).
pub(crate) fn module_stem(module: &str) -> String {
    let stem = bounded_stem(module);
    if stem == "operations" {
        "operations_2".to_string()
    } else {
        stem
    }
}

/// `snake_name(name)`, cut to [`MAX_FILE_STEM`] with a stable hash of the whole name.
pub(crate) fn bounded_stem(name: &str) -> String {
    let stem = snake_name(name);
    if stem.len() <= MAX_FILE_STEM {
        return stem;
    }
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(stem.as_bytes());
    let mut cut = MAX_FILE_STEM - 9;
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}_{:02x}{:02x}{:02x}{:02x}",
        stem[..cut].trim_end_matches('_'),
        digest[0],
        digest[1],
        digest[2],
        digest[3]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_with_a_stable_hash() {
        assert_eq!(bounded_stem("SourceSyncJob"), "source_sync_job");
        let long = "a".repeat(300);
        let stem = bounded_stem(&long);
        assert!(stem.len() <= MAX_FILE_STEM, "{stem}");
        assert_eq!(stem, bounded_stem(&long));
        assert_ne!(stem, bounded_stem(&"a".repeat(301)));
        let unicode = "é".repeat(100);
        assert!(bounded_stem(&unicode).len() <= MAX_FILE_STEM);
    }
}
