//! References in a 3.1 document, made into the `#/components/schemas/Name` references
//! the 3.0 model (and lowering) read.
//!
//! 1. [`Index::build`] walks every schema of the document as written: the position of
//!    each schema, each `$id` (resolved against the enclosing `$id`, as JSON Schema
//!    says), `$anchor` and `$dynamicAnchor`, each `$defs` entry, and each `$ref`,
//!    `$dynamicRef` and discriminator mapping with the base URI it is read against.
//! 2. [`plan`] resolves every reference to the JSON pointer of its target in the
//!    document as written, and decides where schemas move: every `$defs` entry, and
//!    every referenced schema that is not a component (`#/components/schemas/A/properties/b`,
//!    or a schema named by `$anchor` or `$id` inside another), becomes a component under
//!    a name no other component has.
//! 3. [`relocate`] moves them (a moved schema that is not a `$defs` entry leaves a
//!    `$ref` to its new place behind) and rewrites the references.

use super::super::normalize::{Ptr, Visit, walk_document};
use super::Groups;
use crate::error::{Error, Warning, WarningKind, escape_pointer_token};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) type Tokens = Vec<String>;

/// Subschema keywords of JSON Schema 2020-12 (and older drafts' `definitions`,
/// `additionalItems`) holding one schema, a map of schemas or a list of schemas.
const SINGLE: &[&str] = &[
    "additionalProperties",
    "items",
    "additionalItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "contentSchema",
];
const MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];
const LISTS: &[&str] = &["prefixItems", "allOf", "oneOf", "anyOf"];

fn is_schema(v: &Value) -> bool {
    v.is_object() || v.is_boolean()
}

/// Which reference of a schema object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum RefKey {
    Ref,
    DynamicRef,
    Mapping(String),
}

struct Site {
    holder: Tokens,
    key: RefKey,
    value: String,
    base: String,
}

#[derive(Default)]
pub(crate) struct Index {
    /// Every schema position (mappings and booleans).
    schemas: BTreeSet<Tokens>,
    /// `$id` (absolute, or relative to the document when nothing encloses it) → schema.
    ids: BTreeMap<String, Tokens>,
    /// (base URI, `$anchor`) → schema.
    anchors: BTreeMap<(String, String), Tokens>,
    /// `$dynamicAnchor` → every schema with it.
    dynamic_anchors: BTreeMap<String, Vec<Tokens>>,
    /// `$defs` (and `definitions`) entries: pointer, key.
    defs: Vec<(Tokens, String)>,
    sites: Vec<Site>,
    warnings: Vec<Warning>,
}

impl Index {
    pub(crate) fn build(doc: &mut Value) -> Index {
        let mut index = Index::default();
        // `walk_document` needs `&mut`; nothing is changed.
        let _ = walk_document(doc, &mut IndexVisit(&mut index));
        index
    }

    pub(crate) fn into_warnings(self) -> Vec<Warning> {
        self.warnings
    }

    fn schema(&mut self, v: &Value, t: &mut Tokens, base: &str) {
        if !is_schema(v) {
            return;
        }
        self.schemas.insert(t.clone());
        let Value::Object(obj) = v else {
            return;
        };
        let mut base = base.to_string();
        if let Some(Value::String(id)) = obj.get("$id") {
            let id = resolve_uri(&base, id.split('#').next().unwrap_or(""));
            if let Some(first) = self.ids.get(&id) {
                self.warnings.push(Warning::new(
                    WarningKind::Contradiction,
                    pointer(t),
                    format!(
                        "`$id: {id}` is also the `$id` of {}; references to it name that one",
                        pointer(first)
                    ),
                ));
            } else {
                self.ids.insert(id.clone(), t.clone());
            }
            base = id;
        }
        if let Some(Value::String(a)) = obj.get("$anchor") {
            self.anchors
                .entry((base.clone(), a.clone()))
                .or_insert_with(|| t.clone());
        }
        if let Some(Value::String(a)) = obj.get("$dynamicAnchor") {
            self.dynamic_anchors
                .entry(a.clone())
                .or_default()
                .push(t.clone());
            self.anchors
                .entry((base.clone(), a.clone()))
                .or_insert_with(|| t.clone());
        }
        for (key, k) in [("$ref", RefKey::Ref), ("$dynamicRef", RefKey::DynamicRef)] {
            if let Some(Value::String(r)) = obj.get(key) {
                self.sites.push(Site {
                    holder: t.clone(),
                    key: k,
                    value: r.clone(),
                    base: base.clone(),
                });
            }
        }
        if let Some(Value::Object(mapping)) =
            obj.get("discriminator").and_then(|d| d.get("mapping"))
        {
            for (tag, target) in mapping {
                if let Value::String(r) = target
                    && r.contains('#')
                {
                    self.sites.push(Site {
                        holder: t.clone(),
                        key: RefKey::Mapping(tag.clone()),
                        value: r.clone(),
                        base: base.clone(),
                    });
                }
            }
        }
        for (k, child) in obj {
            t.push(k.clone());
            if SINGLE.contains(&k.as_str()) {
                if let Value::Array(items) = child {
                    // Draft 2019 tuple form of `items`.
                    for (i, s) in items.iter().enumerate() {
                        t.push(i.to_string());
                        self.schema(s, t, &base);
                        t.pop();
                    }
                } else {
                    self.schema(child, t, &base);
                }
            } else if MAPS.contains(&k.as_str()) {
                if let Value::Object(m) = child {
                    for (name, s) in m {
                        t.push(name.clone());
                        if (k == "$defs" || k == "definitions") && is_schema(s) {
                            self.defs.push((t.clone(), name.clone()));
                        }
                        self.schema(s, t, &base);
                        t.pop();
                    }
                }
            } else if LISTS.contains(&k.as_str())
                && let Value::Array(items) = child
            {
                for (i, s) in items.iter().enumerate() {
                    t.push(i.to_string());
                    self.schema(s, t, &base);
                    t.pop();
                }
            }
            t.pop();
        }
    }
}

struct IndexVisit<'a>(&'a mut Index);

impl Visit for IndexVisit<'_> {
    fn schema(&mut self, v: &mut Value, ptr: &Ptr<'_>) -> Result<(), Error> {
        let mut t = ptr.tokens();
        self.0.schema(v, &mut t, "");
        Ok(())
    }
}

/// `#/a/b~1c` for tokens `[a, b/c]`.
pub(crate) fn pointer(t: &[String]) -> String {
    let mut s = String::from("#");
    for token in t {
        s.push('/');
        s.push_str(&escape_pointer_token(token));
    }
    s
}

/// The node at `t` in `doc`.
pub(crate) fn get<'v>(doc: &'v Value, t: &[String]) -> Option<&'v Value> {
    let mut cur = doc;
    for token in t {
        cur = match cur {
            Value::Object(m) => m.get(token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The tokens of a URI fragment that is a JSON pointer (`/a/b~1c`, percent-encoded).
pub(crate) fn fragment_tokens(fragment: &str) -> Tokens {
    let decoded = percent_decode(fragment);
    if decoded.is_empty() {
        return Vec::new();
    }
    decoded
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolve `reference` (no fragment) against `base` (RFC 3986, section 5.2, for the
/// forms schemas use). An empty base is the document itself, whose URI is unknown:
/// relative references then stay relative.
pub(crate) fn resolve_uri(base: &str, reference: &str) -> String {
    fn has_scheme(s: &str) -> bool {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.find(':').is_some_and(|i| {
                s[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            })
    }
    if reference.is_empty() {
        return base.to_string();
    }
    if has_scheme(reference) || base.is_empty() {
        return remove_dots(reference);
    }
    let scheme_end = base.find(':').map_or(0, |i| i + 1);
    if let Some(rest) = reference.strip_prefix("//") {
        return format!("{}//{rest}", &base[..scheme_end]);
    }
    let authority_end = if base[scheme_end..].starts_with("//") {
        base[scheme_end + 2..]
            .find('/')
            .map_or(base.len(), |i| scheme_end + 2 + i)
    } else {
        scheme_end
    };
    if reference.starts_with('/') {
        return format!("{}{}", &base[..authority_end], remove_dots(reference));
    }
    let path_end = base
        .rfind('/')
        .filter(|&i| i >= authority_end)
        .map_or(authority_end, |i| i + 1);
    let dir = &base[..path_end];
    let joined = if path_end == authority_end && authority_end > scheme_end {
        format!("{dir}/{reference}")
    } else {
        format!("{dir}{reference}")
    };
    remove_dots(&joined)
}

/// Remove `.` and `..` path segments.
fn remove_dots(uri: &str) -> String {
    if !uri.contains("./") && !uri.ends_with("/.") && !uri.ends_with("/..") {
        return uri.to_string();
    }
    let (head, path) = match uri.find("://") {
        Some(i) => {
            let after = i + 3;
            let p = uri[after..].find('/').map_or(uri.len(), |j| after + j);
            (&uri[..p], &uri[p..])
        }
        None => ("", uri),
    };
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 || (out.len() == 1 && !out[0].is_empty()) {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("{head}{}", out.join("/"))
}

/// Where a schema moves.
#[derive(Debug, Clone)]
pub(crate) struct Move {
    /// The component it becomes.
    pub name: String,
    /// A `$defs` entry (removed from its place) rather than a referenced schema (which
    /// leaves a `$ref` behind).
    pub def: bool,
    /// The component already exists with the same contents: the entry is dropped.
    pub merged: bool,
}

/// What [`relocate`] does.
pub(crate) struct Plan {
    pub moves: BTreeMap<Tokens, Move>,
    /// (holder, which reference) → the new reference.
    pub rewrites: BTreeMap<(Tokens, RefKey), String>,
}

/// `#/components/schemas/{name}`.
pub(crate) fn component_ref(name: &str) -> String {
    format!("#/components/schemas/{}", escape_pointer_token(name))
}

fn is_component_root(t: &[String]) -> bool {
    t.len() == 3 && t[0] == "components" && t[1] == "schemas"
}

/// A component name for the schema at `t` that is not a `$defs` entry.
fn suggest_name(doc: &Value, t: &[String]) -> String {
    if let Some(Value::Object(obj)) = get(doc, t) {
        if let Some(Value::String(a)) = obj.get("$anchor") {
            return a.clone();
        }
        if let Some(Value::String(id)) = obj.get("$id") {
            let path = id.split(['#', '?']).next().unwrap_or("");
            let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            let stem = last.split('.').next().unwrap_or("");
            if !stem.is_empty() {
                return stem.to_string();
            }
        }
    }
    let keyword = |s: &str| {
        SINGLE.contains(&s) || MAPS.contains(&s) || LISTS.contains(&s) || s.parse::<usize>().is_ok()
    };
    let mut parts: Vec<&str> = Vec::new();
    if t.len() > 3 && t[0] == "components" && t[1] == "schemas" {
        parts.push(&t[2]);
        parts.extend(t[3..].iter().map(String::as_str).filter(|s| !keyword(s)));
    } else if let Some(last) = t.iter().rev().map(String::as_str).find(|s| {
        !keyword(s)
            && !matches!(
                *s,
                "schema" | "content" | "responses" | "requestBody" | "parameters"
            )
            && !s.contains('/')
    }) {
        parts.push(last);
    }
    if parts.is_empty() {
        "Schema".to_string()
    } else {
        parts.join("_")
    }
}

/// A name as lowering compares them: names that differ only in case or punctuation
/// become the same Rust type name.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Component names handed out to moved schemas.
struct Names<'d> {
    existing: BTreeMap<&'d str, &'d Value>,
    /// Hoisted `$defs` entries by their key: (component name, value), to merge identical
    /// ones.
    hoisted: BTreeMap<String, Vec<(String, &'d Value)>>,
    taken: BTreeSet<String>,
}

impl<'d> Names<'d> {
    /// A free name for `wanted`, or `wanted` itself with `true` when `value` (a `$defs`
    /// entry) equals the component or the hoisted entry of that name.
    fn name(
        &mut self,
        wanted: &str,
        value: Option<&'d Value>,
        t: &[String],
        what: &str,
        warnings: &mut Vec<Warning>,
    ) -> (String, bool) {
        if let Some(v) = value {
            if self.existing.get(wanted).is_some_and(|e| *e == v) {
                return (wanted.to_string(), true);
            }
            let same = self.hoisted.get(wanted).into_iter().flatten();
            if let Some((name, _)) = same.into_iter().find(|(_, e)| *e == v) {
                return (name.clone(), true);
            }
        }
        let mut name = wanted.to_string();
        let mut n = 2;
        while self.taken.contains(&fold(&name)) {
            name = format!("{wanted}_{n}");
            n += 1;
        }
        if name != wanted {
            warnings.push(Warning::new(
                WarningKind::Renamed,
                pointer(t),
                format!("{what} becomes the component `{name}`: `{wanted}` is taken"),
            ));
        }
        self.taken.insert(fold(&name));
        if let Some(v) = value {
            self.hoisted
                .entry(wanted.to_string())
                .or_default()
                .push((name.clone(), v));
        }
        (name, false)
    }
}

/// Resolve every reference and decide the moves.
pub(crate) fn plan(
    file: &str,
    doc: &Value,
    index: &Index,
    groups: &mut Groups,
    warnings: &mut Vec<Warning>,
) -> Result<Plan, Error> {
    let existing: BTreeMap<&str, &Value> = doc
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default();
    let mut names = Names {
        taken: existing.keys().copied().map(fold).collect(),
        existing,
        hoisted: BTreeMap::new(),
    };
    let mut moves: BTreeMap<Tokens, Move> = BTreeMap::new();
    for (t, key) in &index.defs {
        let (name, merged) = names.name(key, get(doc, t), t, "`$defs` entry", warnings);
        moves.insert(
            t.clone(),
            Move {
                name,
                def: true,
                merged,
            },
        );
    }
    // Resolve every reference to a pointer in the document as written.
    let mut targets: Vec<(&Site, Tokens)> = Vec::new();
    for site in &index.sites {
        let value = if site.key == RefKey::DynamicRef {
            // A `$dynamicRef` resolves statically when one schema has the anchor.
            let anchor = site.value.rsplit('#').next().unwrap_or("");
            match index.dynamic_anchors.get(anchor).map(Vec::as_slice) {
                Some([only]) => {
                    targets.push((site, only.clone()));
                    continue;
                }
                _ => continue,
            }
        } else {
            &site.value
        };
        if let Some(t) = resolve(file, doc, index, site, value, groups)? {
            targets.push((site, t));
        }
    }
    // Referenced schemas that are not components become components.
    let mut promote: BTreeSet<Tokens> = BTreeSet::new();
    for (_, t) in &targets {
        if is_component_root(t) || moves.contains_key(t) || !index.schemas.contains(t) {
            continue;
        }
        promote.insert(t.clone());
    }
    for t in promote {
        let wanted = suggest_name(doc, &t);
        let (name, _) = names.name(&wanted, None, &t, "a referenced schema", warnings);
        moves.insert(
            t,
            Move {
                name,
                def: false,
                merged: false,
            },
        );
    }
    let mut rewrites = BTreeMap::new();
    for (site, t) in &targets {
        let new = if let Some(m) = moves.get(t) {
            component_ref(&m.name)
        } else if is_component_root(t) {
            component_ref(&t[2])
        } else {
            // Inside a moved schema, or not a schema: the pointer into its new place.
            let moved = (0..t.len())
                .rev()
                .find_map(|n| moves.get(&t[..n]).map(|m| (n, m)));
            match moved {
                Some((n, m)) => {
                    let mut s = component_ref(&m.name);
                    for token in &t[n..] {
                        s.push('/');
                        s.push_str(&escape_pointer_token(token));
                    }
                    s
                }
                None => pointer(t),
            }
        };
        if site.key == RefKey::DynamicRef || new != site.value {
            rewrites.insert((site.holder.clone(), site.key.clone()), new);
        }
    }
    Ok(Plan { moves, rewrites })
}

/// The target of one reference, as a pointer into the document as written; `None` for
/// references outside the document (left as they are, for lowering to report).
fn resolve(
    file: &str,
    doc: &Value,
    index: &Index,
    site: &Site,
    value: &str,
    groups: &mut Groups,
) -> Result<Option<Tokens>, Error> {
    let (uri, fragment) = match value.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (value, None),
    };
    let base = resolve_uri(&site.base, uri);
    let root: Tokens = if base.is_empty() {
        Vec::new()
    } else if let Some(t) = index.ids.get(&base) {
        t.clone()
    } else if uri.is_empty() {
        // A fragment inside a resource whose `$id` is relative to an unknown document:
        // read against that resource.
        index.ids.get(&site.base).cloned().unwrap_or_default()
    } else {
        return Ok(None);
    };
    let fragment = fragment.unwrap_or("");
    if fragment.is_empty() {
        return Ok(Some(root));
    }
    if !fragment.starts_with('/') {
        let anchor = percent_decode(fragment);
        if let Some(t) = index.anchors.get(&(base.clone(), anchor.clone())) {
            return Ok(Some(t.clone()));
        }
        return Err(Error::new(
            file,
            pointer(&site.holder),
            format!(
                "expected `{value}` to name a `$anchor` (or `$dynamicAnchor`) of {}; none has the name `{anchor}`",
                if base.is_empty() {
                    "the document".to_string()
                } else {
                    format!("the schema `{base}`")
                }
            ),
        ));
    }
    let tokens = fragment_tokens(fragment);
    let mut full = root.clone();
    full.extend(tokens.iter().cloned());
    if get(doc, &full).is_some() {
        return Ok(Some(full));
    }
    if !root.is_empty() && get(doc, &tokens).is_some() {
        // `#/components/...` inside a schema with an `$id`: JSON Schema reads it against
        // that schema, where it does not exist; the document is what is meant.
        return Ok(Some(tokens));
    }
    if matches!(
        tokens.first().map(String::as_str),
        Some("$defs" | "definitions")
    ) {
        // `#/$defs/X` where the document has no root `$defs` (a JSON Schema pasted into
        // a component): the `$defs` of the nearest enclosing schema that has it.
        for n in (0..=site.holder.len()).rev() {
            let mut candidate = site.holder[..n].to_vec();
            candidate.extend(tokens.iter().cloned());
            if index.schemas.contains(&site.holder[..n]) && get(doc, &candidate).is_some() {
                groups.add(super::Group::DefsFromEnclosing, pointer(&site.holder));
                return Ok(Some(candidate));
            }
        }
    }
    // Dangling: left for lowering, which reports references that do not resolve.
    Ok(None)
}

/// Move schemas and rewrite references as `plan` says. Returns the new components
/// (name → the pointer they were at, for warnings).
pub(crate) fn relocate(doc: &mut Value, plan: &Plan) -> BTreeMap<String, String> {
    let mut r = Relocator {
        plan,
        out: Vec::new(),
    };
    let _ = walk_document(doc, &mut r);
    let mut origins = BTreeMap::new();
    if r.out.is_empty() {
        return origins;
    }
    let Value::Object(top) = doc else {
        return origins;
    };
    let components = top
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let schemas = components.as_object_mut().map(|c| {
        c.entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()))
    });
    let Some(schemas) = schemas else {
        return origins;
    };
    if !schemas.is_object() {
        *schemas = Value::Object(Map::new());
    }
    if let Value::Object(schemas) = schemas {
        for (name, value, t) in r.out {
            origins.insert(component_ref(&name), pointer(&t));
            schemas.insert(name, value);
        }
    }
    origins
}

struct Relocator<'p> {
    plan: &'p Plan,
    out: Vec<(String, Value, Tokens)>,
}

impl Visit for Relocator<'_> {
    fn schema(&mut self, v: &mut Value, ptr: &Ptr<'_>) -> Result<(), Error> {
        let mut t = ptr.tokens();
        if let Some(m) = self.plan.moves.get(&t) {
            let mut taken = std::mem::replace(v, ref_to(&m.name));
            let name = m.name.clone();
            self.walk(&mut taken, &mut t);
            self.out.push((name, taken, t));
        } else {
            self.walk(v, &mut t);
        }
        Ok(())
    }
}

fn ref_to(name: &str) -> Value {
    let mut m = Map::new();
    m.insert("$ref".into(), Value::String(component_ref(name)));
    Value::Object(m)
}

impl Relocator<'_> {
    fn walk(&mut self, v: &mut Value, t: &mut Tokens) {
        let Value::Object(obj) = v else {
            return;
        };
        if obj.contains_key("$ref")
            || obj.contains_key("$dynamicRef")
            || obj.contains_key("discriminator")
        {
            let rewrites = &self.plan.rewrites;
            if let Some(new) = rewrites.get(&(t.clone(), RefKey::Ref)) {
                obj.insert("$ref".into(), Value::String(new.clone()));
            }
            if let Some(new) = rewrites.get(&(t.clone(), RefKey::DynamicRef)) {
                obj.remove("$dynamicRef");
                obj.insert("$ref".into(), Value::String(new.clone()));
            }
            if let Some(Value::Object(mapping)) = obj
                .get_mut("discriminator")
                .and_then(|d| d.get_mut("mapping"))
            {
                for (tag, target) in mapping.iter_mut() {
                    if let Some(new) = rewrites.get(&(t.clone(), RefKey::Mapping(tag.clone()))) {
                        *target = Value::String(new.clone());
                    }
                }
            }
        }
        let keys: Vec<String> = obj.keys().cloned().collect();
        for k in keys {
            t.push(k.clone());
            let is_map = MAPS.contains(&k.as_str());
            let is_list = LISTS.contains(&k.as_str())
                || (SINGLE.contains(&k.as_str()) && obj.get(&k).is_some_and(Value::is_array));
            if SINGLE.contains(&k.as_str()) && !is_list {
                if let Some(child) = obj.get_mut(&k) {
                    self.child(child, t);
                }
            } else if is_list {
                if let Some(Value::Array(items)) = obj.get_mut(&k) {
                    for (i, s) in items.iter_mut().enumerate() {
                        t.push(i.to_string());
                        self.child(s, t);
                        t.pop();
                    }
                }
            } else if is_map && let Some(Value::Object(m)) = obj.get_mut(&k) {
                let names: Vec<String> = m.keys().cloned().collect();
                for name in names {
                    t.push(name.clone());
                    let is_def = self.plan.moves.get(t.as_slice()).is_some_and(|mv| mv.def);
                    if is_def {
                        if let Some(mut taken) = m.remove(&name) {
                            let mv = &self.plan.moves[t.as_slice()];
                            let (n, merged) = (mv.name.clone(), mv.merged);
                            self.walk(&mut taken, t);
                            if !merged {
                                self.out.push((n, taken, t.clone()));
                            }
                        }
                    } else if let Some(s) = m.get_mut(&name) {
                        self.child(s, t);
                    }
                    t.pop();
                }
                if m.is_empty() && (k == "$defs" || k == "definitions") {
                    obj.remove(&k);
                }
            }
            t.pop();
        }
    }

    /// A subschema: moved if the plan says so (leaving a `$ref`), then walked.
    fn child(&mut self, v: &mut Value, t: &mut Tokens) {
        if let Some(m) = self.plan.moves.get(t.as_slice()) {
            let name = m.name.clone();
            let mut taken = std::mem::replace(v, ref_to(&name));
            self.walk(&mut taken, t);
            self.out.push((name, taken, t.clone()));
        } else {
            self.walk(v, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_resolution() {
        let r = resolve_uri;
        assert_eq!(r("", "pet.json"), "pet.json");
        assert_eq!(
            r("https://x.io/a/b.json", "c.json"),
            "https://x.io/a/c.json"
        );
        assert_eq!(r("https://x.io/a/b.json", "/c"), "https://x.io/c");
        assert_eq!(r("https://x.io/a/b.json", "../c"), "https://x.io/c");
        assert_eq!(
            r("https://x.io/a/b.json", "https://y.io/z"),
            "https://y.io/z"
        );
        assert_eq!(r("https://x.io", "c"), "https://x.io/c");
        assert_eq!(r("https://x.io/a/", ""), "https://x.io/a/");
        assert_eq!(r("urn:example:a", "urn:example:b"), "urn:example:b");
    }

    #[test]
    fn fragments() {
        assert_eq!(fragment_tokens("/a~1b/%7Bid%7D/c~0"), ["a/b", "{id}", "c~"]);
        assert!(fragment_tokens("").is_empty());
    }
}
