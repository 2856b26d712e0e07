//! Lowering: `openapiv3` → [`crate::ir`]. Resolves local `$ref`s, names everything,
//! deduplicates inline schemas, and records degraded constructs as warnings.
//!
//! Order of work (each step in sorted key order, so output never depends on the order of
//! maps in the input): component schemas, component responses, operations by path then
//! method.

mod examples;
mod operation;
mod schema;

use crate::Settings;
use crate::error::{Error, Warning, WarningKind, pointer_join};
use crate::ir::{
    Api, SchemeKind, SecurityScheme, Server, ServerVariable, TypeDef, TypeKind, TypeRef,
};
use crate::load::Spec;
use crate::naming::Namer;
use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub(crate) use schema::SRef;

/// Lowering state. Lives for one call of [`lower`].
pub(crate) struct Lowerer<'s> {
    file: String,
    spec: &'s openapiv3::OpenAPI,
    settings: &'s Settings,
    schemas: &'s IndexMap<String, ReferenceOr<Schema>>,
    /// Component key → Rust type name.
    component_names: HashMap<&'s str, String>,
    /// Component key → whether the component admits `null`.
    component_nullable: HashMap<&'s str, bool>,
    /// Type names in use (models namespace).
    type_names: Namer,
    types: BTreeMap<String, TypeDef>,
    /// Shape (docs stripped) → name of the type that has it.
    /// (scope, shape with docs stripped) → name of the type that has it. The scope is the
    /// component whose tree is being lowered, or [`OPERATIONS_SCOPE`]: inline schemas are
    /// merged only within one component, or across operations. Merging across components
    /// would name a shared type after whichever component sorts first, so adding an
    /// unrelated component could rename it.
    shapes: HashMap<(String, TypeKind), String>,
    /// The current deduplication scope.
    scope: String,
    warnings: Vec<Warning>,
}

/// Deduplication scope of inline schemas in operations (and shared responses).
const OPERATIONS_SCOPE: &str = "#/paths";

static EMPTY_SCHEMAS: std::sync::LazyLock<IndexMap<String, ReferenceOr<Schema>>> =
    std::sync::LazyLock::new(IndexMap::new);

pub(crate) fn lower<'s>(
    spec: &'s Spec,
    settings: &'s Settings,
) -> Result<(Api, Vec<Warning>), Error> {
    let doc = &spec.doc;
    let schemas = doc
        .components
        .as_ref()
        .map(|c| &c.schemas)
        .unwrap_or(&EMPTY_SCHEMAS);
    let mut cx = Lowerer {
        file: spec.file.clone(),
        spec: doc,
        settings,
        schemas,
        component_names: HashMap::new(),
        component_nullable: HashMap::new(),
        type_names: Namer::new(),
        types: BTreeMap::new(),
        shapes: HashMap::new(),
        scope: String::new(),
        warnings: spec.warnings.clone(),
    };
    cx.note_extensions();
    cx.check_settings()?;
    cx.name_components()?;
    cx.lower_components()?;
    cx.break_alias_cycles();
    cx.newtype_recursive_aliases();
    cx.scope = OPERATIONS_SCOPE.to_string();
    let operations = cx.lower_operations()?;
    mark_boxes(&mut cx.types);
    let mut types = std::mem::take(&mut cx.types);
    if !settings.tags.is_empty()
        || !settings.include_operations.is_empty()
        || !settings.exclude_operations.is_empty()
    {
        let mut roots = Vec::new();
        for op in &operations {
            op.visit_named(&mut |n| roots.push(n));
        }
        let keep: BTreeSet<String> = crate::ir::reach(&types, roots)
            .into_iter()
            .map(str::to_string)
            .collect();
        types.retain(|k, _| keep.contains(k));
    }
    let api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers: doc
            .servers
            .iter()
            .map(|s| Server {
                url: s.url.clone(),
                description: s.description.clone(),
                variables: {
                    // Sorted: server variables are a map.
                    let mut vars: Vec<ServerVariable> = s
                        .variables
                        .iter()
                        .flat_map(|m| m.iter())
                        .map(|(k, v)| ServerVariable {
                            name: k.clone(),
                            default: v.default.clone(),
                            values: v.enumeration.clone(),
                            doc: v.description.clone(),
                        })
                        .collect();
                    vars.sort_by(|a, b| a.name.cmp(&b.name));
                    vars
                },
            })
            .collect(),
        security: cx.security_schemes(),
        types,
        operations,
    };
    Ok((api, std::mem::take(&mut cx.warnings)))
}

impl<'s> Lowerer<'s> {
    pub(crate) fn warn(&mut self, kind: WarningKind, pointer: String, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, pointer, message));
    }

    fn dangling(&self, reference: &str, ptr: &str) -> Error {
        Error::new(
            &self.file,
            ptr,
            format!(
                "expected `$ref: '{reference}'` to point at an existing component; it does not resolve"
            ),
        )
    }

    /// The component key named by a local reference `#/components/{section}/{key}`.
    pub(crate) fn component_key(
        &self,
        reference: &str,
        section: &str,
        ptr: &str,
    ) -> Result<String, Error> {
        let prefix = format!("#/components/{section}/");
        let Some(rest) = reference.strip_prefix(&prefix) else {
            let what = if reference.starts_with('#') {
                format!("expected a reference to `#/components/{section}/...`, found `{reference}`")
            } else {
                format!(
                    "expected a local reference (`#/components/{section}/...`), found `{reference}`; external files are not supported, bundle the document first"
                )
            };
            return Err(Error::new(&self.file, ptr, what));
        };
        if rest.contains('/') {
            return Err(self.dangling(reference, ptr));
        }
        Ok(unescape_token(rest))
    }

    /// Report extension sections the generator skips, and what is wrong with them.
    fn note_extensions(&mut self) {
        let mut keys: Vec<&String> = self.spec.extensions.keys().collect();
        keys.sort();
        for key in keys {
            let mut refs = Vec::new();
            collect_external_refs(
                &self.spec.extensions[key],
                &pointer_join("#", key),
                &mut refs,
            );
            let ptr = pointer_join("#", key);
            if refs.is_empty() {
                self.warn(
                    WarningKind::Skipped,
                    ptr,
                    format!("extension section `{key}` is not part of the OpenAPI model; skipped"),
                );
            } else {
                self.warn(WarningKind::Skipped,
                    ptr,
                    format!(
                        "extension section `{key}` is skipped; it holds {} `$ref`(s) to other files that are not resolved, first at {}",
                        refs.len(),
                        refs[0]
                    ),
                );
            }
        }
    }
}

impl Lowerer<'_> {
    /// The document's security schemes, by name; those the client cannot use are
    /// warned about.
    fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.spec.components else {
            return Vec::new();
        };
        let mut entries: Vec<_> = components.security_schemes.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = Vec::new();
        for (name, scheme) in entries {
            let ptr = pointer_join("#/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                self.warn(
                    WarningKind::Unsupported,
                    ptr,
                    "a security scheme `$ref` is not followed; the scheme is not used",
                );
                continue;
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            let (kind, doc) = match scheme {
                S::APIKey {
                    location,
                    name: key,
                    description,
                    ..
                } => match location {
                    APIKeyLocation::Header | APIKeyLocation::Query => (
                        SchemeKind::ApiKey {
                            name: key.clone(),
                            in_query: matches!(location, APIKeyLocation::Query),
                        },
                        description,
                    ),
                    APIKeyLocation::Cookie => {
                        self.warn(
                            WarningKind::Unsupported,
                            ptr,
                            "an API key in a cookie is not supported; the scheme is not used",
                        );
                        continue;
                    }
                },
                S::HTTP {
                    scheme: http,
                    description,
                    ..
                } => match http.to_ascii_lowercase().as_str() {
                    "bearer" => (SchemeKind::Bearer, description),
                    "basic" => (SchemeKind::Basic, description),
                    other => {
                        self.warn(WarningKind::Unsupported, ptr, format!("HTTP authentication scheme `{other}` is not supported; the scheme is not used"));
                        continue;
                    }
                },
                S::OAuth2 {
                    flows, description, ..
                } => match &flows.client_credentials {
                    Some(cc) => (
                        SchemeKind::ClientCredentials {
                            token_url: cc.token_url.clone(),
                        },
                        description,
                    ),
                    None => (SchemeKind::Bearer, description),
                },
                S::OpenIDConnect { description, .. } => (SchemeKind::Bearer, description),
            };
            out.push(SecurityScheme {
                name: name.clone(),
                kind,
                doc: doc.clone(),
            });
        }
        out
    }

    /// Settings that name something in the document must name something there.
    fn check_settings<'a>(&'a self) -> Result<(), Error> {
        let settings = self.settings;
        for (table, names) in [
            (
                "rename.types",
                settings.rename_types.keys().collect::<Vec<_>>(),
            ),
            ("replace.types", settings.replace_types.keys().collect()),
        ] {
            for name in names {
                if !self.schemas.contains_key(name.as_str()) {
                    return Err(settings.error(
                        &crate::settings::key(table, name),
                        format!("the document has no component schema `{name}`"),
                    ));
                }
            }
        }
        let ops: Vec<&openapiv3::Operation> = self
            .spec
            .paths
            .paths
            .values()
            .filter_map(|item| match item {
                ReferenceOr::Item(i) => Some(i),
                ReferenceOr::Reference { .. } => None,
            })
            .flat_map(|i| i.iter().map(|(_, op)| op))
            .collect();
        let has_id = |id: &str| ops.iter().any(|o| o.operation_id.as_deref() == Some(id));
        let filters: &[String] = if settings.check_filters {
            &settings.tags
        } else {
            &[]
        };
        for tag in filters {
            if !ops.iter().any(|o| o.tags.iter().any(|t| t == tag)) {
                return Err(settings.error(
                    &crate::settings::key("tags", tag),
                    format!("no operation has the tag `{tag}`"),
                ));
            }
        }
        let filtered = |list: &'a Vec<String>| -> Vec<&'a String> {
            if settings.check_filters {
                list.iter().collect()
            } else {
                Vec::new()
            }
        };
        for (table, ids) in [
            ("include_operations", filtered(&settings.include_operations)),
            ("exclude_operations", filtered(&settings.exclude_operations)),
            (
                "rename.operations",
                settings.rename_operations.keys().collect(),
            ),
        ] {
            for id in ids {
                if !has_id(id) {
                    return Err(settings.error(
                        &crate::settings::key(table, id),
                        format!("the document has no operation with the id `{id}`"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether the settings keep this operation.
    pub(crate) fn keeps(&self, op: &openapiv3::Operation) -> bool {
        let s = self.settings;
        let id = op.operation_id.as_deref().unwrap_or_default();
        (s.tags.is_empty() || op.tags.iter().any(|t| s.tags.contains(t)))
            && (s.include_operations.is_empty() || s.include_operations.iter().any(|i| i == id))
            && !s.exclude_operations.iter().any(|i| i == id)
    }

    /// Aliases that contain themselves through a list, a map or other aliases
    /// (`L: {items: {$ref: L}}`): a type alias cannot name itself, so each becomes a
    /// newtype, `pub struct L(pub Vec<L>)`.
    fn newtype_recursive_aliases(&mut self) {
        let alias_targets: HashMap<&str, &TypeRef> = self
            .types
            .values()
            .filter_map(|d| match &d.kind {
                TypeKind::Alias(t) => Some((d.name.as_str(), t)),
                _ => None,
            })
            .collect();
        let mut recursive = Vec::new();
        for (&name, target) in &alias_targets {
            let mut seen = BTreeSet::new();
            let mut stack = vec![*target];
            let mut found = false;
            while let Some(t) = stack.pop() {
                t.visit_named(&mut |n| {
                    if n == name {
                        found = true;
                    } else if seen.insert(n)
                        && let Some(next) = alias_targets.get(n)
                    {
                        stack.push(next);
                    }
                });
                if found {
                    break;
                }
            }
            if found {
                recursive.push(name.to_string());
            }
        }
        for name in recursive {
            if let Some(def) = self.types.get_mut(&name)
                && let TypeKind::Alias(t) = &def.kind
            {
                def.kind = TypeKind::Newtype(t.clone());
            }
        }
    }

    /// Aliases that lead back to themselves (`A: {$ref: B}`, `B: {$ref: A}`, or
    /// `C: {allOf: [{$ref: C}]}`) describe no value; they become `serde_json::Value`.
    fn break_alias_cycles(&mut self) {
        let mut cyclic = Vec::new();
        for (name, def) in &self.types {
            let TypeKind::Alias(first) = &def.kind else {
                continue;
            };
            let mut seen = BTreeSet::from([name.as_str()]);
            let mut cur = first;
            while let TypeRef::Named(n) = cur {
                if !seen.insert(n.as_str()) {
                    if n == name {
                        cyclic.push((name.clone(), def.pointer.clone()));
                    }
                    break;
                }
                match self.types.get(n).map(|d| &d.kind) {
                    Some(TypeKind::Alias(next)) => cur = next,
                    _ => break,
                }
            }
        }
        for (name, pointer) in cyclic {
            self.warn(WarningKind::Contradiction, pointer, format!("schema `{name}` only refers to itself through `$ref`s; generated as serde_json::Value"));
            if let Some(def) = self.types.get_mut(&name) {
                def.kind = TypeKind::Alias(TypeRef::Value);
            }
        }
    }
}

/// Pointers of `$ref`s that do not start with `#` inside a JSON value.
fn collect_external_refs(v: &serde_json::Value, ptr: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                let p = pointer_join(ptr, k);
                if k == "$ref" && v.as_str().is_some_and(|s| !s.starts_with('#')) {
                    out.push(p);
                } else {
                    collect_external_refs(v, &p, out);
                }
            }
        }
        serde_json::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                collect_external_refs(v, &pointer_join(ptr, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

/// Decode one JSON pointer token taken from a URI fragment (`%xx`, `~1`, `~0`).
fn unescape_token(token: &str) -> String {
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some(b) = (bytes[i] == b'%')
            .then(|| token.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out)
        .replace("~1", "/")
        .replace("~0", "~")
}

/// Mark struct fields and union variants that must be boxed because their type contains
/// the enclosing type by value (recursive schemas).
fn mark_boxes(types: &mut BTreeMap<String, TypeDef>) {
    // Direct (by-value) edges: through fields, union variants, aliases and `Option`, not
    // through `Vec` or maps, which already allocate.
    fn direct(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(n) => Some(n),
            TypeRef::Nullable(t) => direct(t),
            _ => None,
        }
    }
    let edges: HashMap<&str, Vec<&str>> = types
        .values()
        .map(|d| {
            let out: Vec<&str> = match &d.kind {
                TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
                TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
                TypeKind::Alias(t) | TypeKind::Newtype(t) => direct(t).into_iter().collect(),
                TypeKind::Enum(_) => Vec::new(),
            };
            (d.name.as_str(), out)
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(edges.get(n).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut to_box: Vec<(String, usize)> = Vec::new();
    for d in types.values() {
        match &d.kind {
            TypeKind::Struct(s) => {
                for (i, f) in s.fields.iter().enumerate() {
                    if direct(&f.ty).is_some_and(|t| reaches(t, &d.name)) {
                        to_box.push((d.name.clone(), i));
                    }
                }
            }
            TypeKind::Union(u) => {
                for (i, v) in u.variants.iter().enumerate() {
                    if direct(&v.ty).is_some_and(|t| reaches(t, &d.name)) {
                        to_box.push((d.name.clone(), i));
                    }
                }
            }
            _ => {}
        }
    }
    for (name, i) in to_box {
        match &mut types.get_mut(&name).expect("type exists").kind {
            TypeKind::Struct(s) => s.fields[i].boxed = true,
            TypeKind::Union(u) => u.variants[i].boxed = true,
            _ => {}
        }
    }
}
