//! Spec-change review: what changed between two API surfaces, in terms of the generated
//! Rust client, each change marked breaking or additive.
//!
//! [`diff`] compares two [`Surface`]s (derived from the IR, see [`crate::surface`]);
//! [`diff_apis`] builds them from two lowered [`Api`]s first. The [`Report`] renders as
//! text ([`Report::render_text`]), Markdown for a pull-request comment
//! ([`Report::render_markdown`]) or JSON ([`Report::render_json`]). Everything is pure
//! and deterministic: changes are sorted by (scope, name, kind, member).
//!
//! Operations are matched by Rust method name, types by Rust type name, parameters and
//! fields by Rust name, enum values by wire value, union variants by name. An operation
//! that disappears while another appears with the same HTTP method and path is reported
//! as renamed, and the two are compared member by member.
//!
//! # Classification
//!
//! A change is **breaking** when code written against the old generated client may stop
//! compiling or stop working against the new one; otherwise it is **additive**. When a
//! rule is in doubt, the change is breaking. The rules:
//!
//! | change | breaking | additive |
//! | --- | --- | --- |
//! | operation | removed, renamed, HTTP method or path changed | added; deprecated or undeprecated |
//! | `*_stream` method (paged lists) | removed; renamed | added |
//! | parameter | removed; added as a required argument; type or location changed; moved between the argument list and `Params` (either way: the method's signature changes); argument order changed | added as an optional `Params` field; spec `required` changed without moving it (a default covers it); deprecated |
//! | request body | added, removed, type, content type or required changed | — |
//! | form field (multipart / URL-encoded body) | as struct fields of a request type | as struct fields of a request type |
//! | response | status removed; body type of a status changed; method's success type changed | status added (a 2xx that changes the success type is reported once more, as breaking) |
//! | type | removed; kind changed (struct ↔ enum ↔ union ↔ alias) | added; deprecated |
//! | struct field | removed; type changed; added as required in a type callers build (its `new` takes one more argument); becomes required or optional (`Option<T>` ↔ `T`: the Rust type changes); additional properties changed | added as optional; added as required in a type callers only read |
//! | enum | value removed; catch-all variant renamed | value added (generated enums keep unknown values in a catch-all variant) |
//! | union | variant removed, its type or discriminator tags changed; discriminator changed | variant added (unions have a catch-all variant too) |
//! | alias | target changed | — |
//!
//! "Callers build" a type when it is reachable from a parameter or request body, "read"
//! it when reachable from a response body (see [`Usage`]); a type reachable from
//! neither counts as both. The usage is the union of the old and new surfaces'.
//!
//! Two assumptions keep common changes additive. Callers build structs the way the
//! generated docs say: with `new` (every model struct and `{Operation}Form` has one, taking
//! the required fields) or `..Default::default()` (structs whose fields are all optional,
//! and `Params`), then set the optional fields; so a new optional field breaks nothing.
//! (Structs are not `#[non_exhaustive]`, which would forbid `..Default::default()` outside
//! the crate; an exhaustive struct literal or pattern does break on a new field, and the
//! docs say not to write one: see ARCHITECTURE.md.) And they match the generated enums,
//! unions, and success and error enums with a wildcard arm, which `#[non_exhaustive]`
//! makes them write (so a new value, variant or status breaks nothing; an unlisted status
//! was already an `Error::Api` before). A field whose optionality changes changes its
//! Rust type (`Option<T>` ↔ `T`): code that reads the field or builds the struct stops
//! compiling, so that is breaking in every direction. A required field added to a type
//! callers build changes its `new`: breaking, and the message says so when the struct
//! also lost `Default`.
//!
//! # JSON format (`report_format` 1)
//!
//! ```text
//! {
//!   "report_format": 1,
//!   "old": {"title": "...", "version": "...", "spec_sha256": "..."},   // spec_sha256 may be null
//!   "new": {...},
//!   "breaking": 2, "additive": 5,                                      // counts of changes
//!   "changes": [
//!     {"severity": "breaking",          // or "additive"
//!      "scope": "operation",            // or "type"
//!      "name": "get_source",            // Rust method or type name
//!      "context": "GET /sources/{id}",  // operations: method and path; types: kind
//!      "kind": "param-added",           // see ChangeKind, kebab-case
//!      "member": "limit",               // parameter, field, value, variant or status; may be null
//!      "old": null, "new": "i32",       // before / after, as text; may be null
//!      "message": "..."}                // the sentence the text and Markdown show
//!   ]
//! }
//! ```

use crate::ir::Api;
use crate::surface::{
    Shape, Surface, SurfaceBody, SurfaceField, SurfaceOperation, SurfaceParam, SurfaceType, Usage,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Version of the JSON layout of [`Report::render_json`].
pub const REPORT_FORMAT: u32 = 1;

/// Whether a change can break callers of the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Breaking,
    Additive,
}

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// A `Client` method (and its `Params`, `Success`, `Error` and `Form` types).
    Operation,
    /// A model type.
    Type,
}

/// The kind of a change. Serialized in kebab-case (`param-added`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    OperationRenamed,
    MethodChanged,
    PathChanged,
    OperationDeprecated,
    ParamAdded,
    ParamRemoved,
    ParamTypeChanged,
    ParamRequiredChanged,
    ParamLocationChanged,
    ParamDeprecated,
    ArgumentOrderChanged,
    BodyAdded,
    BodyRemoved,
    BodyTypeChanged,
    BodyContentTypeChanged,
    BodyRequiredChanged,
    ResponseAdded,
    ResponseRemoved,
    ResponseTypeChanged,
    ReturnTypeChanged,
    StreamAdded,
    StreamRemoved,
    StreamRenamed,
    TypeAdded,
    TypeRemoved,
    TypeKindChanged,
    TypeDeprecated,
    FieldAdded,
    FieldRemoved,
    FieldTypeChanged,
    FieldOptionalityChanged,
    AdditionalPropertiesChanged,
    EnumValueAdded,
    EnumValueRemoved,
    CatchAllChanged,
    UnionVariantAdded,
    UnionVariantRemoved,
    UnionVariantChanged,
    DiscriminatorChanged,
    AliasTargetChanged,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub severity: Severity,
    pub scope: Scope,
    /// Rust method name (operations) or type name (types).
    pub name: String,
    /// Operations: `METHOD /path` (the new one, or the old one when removed). Types: the
    /// kind (`struct`, `enum`, `union`, `alias`).
    pub context: String,
    pub kind: ChangeKind,
    /// The parameter, field, enum value, union variant or status concerned, if any.
    pub member: Option<String>,
    /// The value before, as text, when it applies.
    pub old: Option<String>,
    /// The value after, as text, when it applies.
    pub new: Option<String>,
    /// What changed, as a sentence fragment with `code` spans (no subject).
    pub message: String,
}

/// Which document a side of the report is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Side {
    pub title: String,
    pub version: String,
    pub spec_sha256: Option<String>,
}

impl Side {
    fn of(s: &Surface) -> Side {
        Side {
            title: s.title.clone(),
            version: s.version.clone(),
            spec_sha256: s.spec_sha256.clone(),
        }
    }
    fn label(&self) -> String {
        let mut out = format!("{} {}", self.title, self.version);
        if let Some(h) = &self.spec_sha256 {
            let _ = write!(out, " (spec sha256 {})", short_hash(h));
        }
        out
    }
}

fn short_hash(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

/// The differences between two surfaces. See the [module docs](self).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub old: Side,
    pub new: Side,
    /// Sorted by (scope, name, kind, member).
    pub changes: Vec<Change>,
}

/// Compare two API surfaces.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let mut changes = Vec::new();
    diff_operations(&mut changes, &old.operations, &new.operations);
    diff_types(&mut changes, &old.types, &new.types);
    changes.sort_by(|a, b| {
        (a.scope, &a.name, a.kind, &a.member, &a.old, &a.new)
            .cmp(&(b.scope, &b.name, b.kind, &b.member, &b.old, &b.new))
    });
    Report {
        old: Side::of(old),
        new: Side::of(new),
        changes,
    }
}

/// Compare two lowered APIs (through their surfaces; no spec hashes).
pub fn diff_apis(old: &Api, new: &Api) -> Report {
    diff(&Surface::from_api(old, None), &Surface::from_api(new, None))
}

// ---------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------

/// Collects the changes of one subject.
struct Sink<'a> {
    out: &'a mut Vec<Change>,
    scope: Scope,
    name: &'a str,
    context: String,
}

impl Sink<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        severity: Severity,
        kind: ChangeKind,
        member: Option<&str>,
        old: Option<String>,
        new: Option<String>,
        message: String,
    ) {
        self.out.push(Change {
            severity,
            scope: self.scope,
            name: self.name.to_string(),
            context: self.context.clone(),
            kind,
            member: member.map(str::to_string),
            old,
            new,
            message,
        });
    }

    /// An additive change of the `deprecated` flag, when it changed.
    fn deprecation(&mut self, kind: ChangeKind, old: bool, new: bool) {
        if old != new {
            let message = if new {
                "now deprecated"
            } else {
                "no longer deprecated"
            };
            self.add(
                Severity::Additive,
                kind,
                None,
                Some(old.to_string()),
                Some(new.to_string()),
                message.to_string(),
            );
        }
    }

    /// A breaking change of one property of the operation or type: `{what} old → new`.
    fn replaced(&mut self, kind: ChangeKind, what: &str, old: &str, new: &str) {
        let message = format!("{what} {} → {}", code(old), code(new));
        self.add(
            Severity::Breaking,
            kind,
            None,
            Some(old.to_string()),
            Some(new.to_string()),
            message,
        );
    }
}

use ChangeKind as K;
use Severity::{Additive, Breaking};

fn code(s: &str) -> String {
    format!("`{s}`")
}

fn op_context(op: &SurfaceOperation) -> String {
    format!("{} {}", op.method, op.path)
}

fn diff_operations(
    out: &mut Vec<Change>,
    old: &BTreeMap<String, SurfaceOperation>,
    new: &BTreeMap<String, SurfaceOperation>,
) {
    let removed: Vec<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    let added: Vec<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
    // Renames: exactly one removed and one added operation share method and path.
    let by_route = |names: &[&String], ops: &BTreeMap<String, SurfaceOperation>| {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for n in names {
            m.entry(op_context(&ops[*n]))
                .or_default()
                .push((*n).clone());
        }
        m
    };
    let removed_routes = by_route(&removed, old);
    let added_routes = by_route(&added, new);
    let mut renamed: BTreeMap<String, String> = BTreeMap::new(); // new name → old name
    for (route, olds) in &removed_routes {
        if let (Some(news), [old_name]) = (added_routes.get(route), olds.as_slice())
            && let [new_name] = news.as_slice()
        {
            renamed.insert(new_name.clone(), old_name.clone());
        }
    }
    let renamed_from: BTreeSet<&String> = renamed.values().collect();

    for name in removed {
        if renamed_from.contains(name) {
            continue;
        }
        let op = &old[name];
        let mut sink = Sink {
            out,
            scope: Scope::Operation,
            name,
            context: op_context(op),
        };
        sink.add(
            Breaking,
            K::OperationRemoved,
            None,
            Some(op_context(op)),
            None,
            "operation removed".to_string(),
        );
    }
    for name in added {
        let op = &new[name];
        let mut sink = Sink {
            out,
            scope: Scope::Operation,
            name,
            context: op_context(op),
        };
        match renamed.get(name) {
            None => sink.add(
                Additive,
                K::OperationAdded,
                None,
                None,
                Some(op_context(op)),
                "new operation".to_string(),
            ),
            Some(old_name) => {
                let before = &old[old_name];
                sink.add(
                    Breaking,
                    K::OperationRenamed,
                    None,
                    Some(old_name.clone()),
                    Some(name.clone()),
                    format!(
                        "renamed from {} (operation id {} → {})",
                        code(old_name),
                        code(&before.operation_id),
                        code(&op.operation_id)
                    ),
                );
                diff_operation(&mut sink, before, op);
            }
        }
    }
    for (name, o) in old {
        if let Some(n) = new.get(name) {
            let mut sink = Sink {
                out,
                scope: Scope::Operation,
                name,
                context: op_context(n),
            };
            diff_operation(&mut sink, o, n);
        }
    }
}

fn param_label(p: &SurfaceParam) -> String {
    if p.name == p.wire {
        format!("{} parameter {}", p.location, code(&p.name))
    } else {
        format!(
            "{} parameter {} ({})",
            p.location,
            code(&p.name),
            code(&p.wire)
        )
    }
}

fn param_place(p: &SurfaceParam) -> String {
    if p.positional() {
        format!("argument {}", code(&format!("{}: {}", p.name, p.ty)))
    } else {
        code(&format!("params.{}: Option<{}>", p.name, p.ty))
    }
}

fn diff_operation(sink: &mut Sink<'_>, o: &SurfaceOperation, n: &SurfaceOperation) {
    if o.method != n.method {
        sink.replaced(K::MethodChanged, "HTTP method", &o.method, &n.method);
    }
    if o.path != n.path {
        sink.replaced(K::PathChanged, "path", &o.path, &n.path);
    }
    sink.deprecation(K::OperationDeprecated, o.deprecated, n.deprecated);
    diff_params(sink, &o.params, &n.params);
    diff_body(sink, o.body.as_ref(), n.body.as_ref());
    diff_responses(sink, o, n);
    diff_stream(sink, o.stream.as_deref(), n.stream.as_deref());
}

/// The `*_stream` method of a paged list operation.
fn diff_stream(sink: &mut Sink<'_>, old: Option<&str>, new: Option<&str>) {
    match (old, new) {
        (None, Some(n)) => sink.add(
            Additive,
            K::StreamAdded,
            Some(n),
            None,
            Some(n.to_string()),
            format!("stream method {} added (pages through the list)", code(n)),
        ),
        (Some(o), None) => sink.add(
            Breaking,
            K::StreamRemoved,
            Some(o),
            Some(o.to_string()),
            None,
            format!(
                "stream method {} removed (the operation no longer pages)",
                code(o)
            ),
        ),
        (Some(o), Some(n)) if o != n => sink.add(
            Breaking,
            K::StreamRenamed,
            Some(n),
            Some(o.to_string()),
            Some(n.to_string()),
            format!("stream method {} renamed to {}", code(o), code(n)),
        ),
        _ => {}
    }
}

fn diff_params(sink: &mut Sink<'_>, old: &[SurfaceParam], new: &[SurfaceParam]) {
    let old_by: BTreeMap<&str, &SurfaceParam> = old.iter().map(|p| (p.name.as_str(), p)).collect();
    let new_by: BTreeMap<&str, &SurfaceParam> = new.iter().map(|p| (p.name.as_str(), p)).collect();
    for (name, p) in &old_by {
        if !new_by.contains_key(name) {
            sink.add(
                Breaking,
                K::ParamRemoved,
                Some(name),
                Some(p.ty.clone()),
                None,
                format!("{} removed (was {})", param_label(p), param_place(p)),
            );
        }
    }
    for (name, p) in &new_by {
        let Some(o) = old_by.get(name) else {
            let (severity, how) = if p.positional() {
                (Breaking, "added as a required ")
            } else {
                (Additive, "added, optional: ")
            };
            let mut msg = format!("{} {how}{}", param_label(p), param_place(p));
            if let Some(d) = &p.default {
                let _ = write!(msg, " (sends {} when unset)", code(d));
            }
            sink.add(
                severity,
                K::ParamAdded,
                Some(name),
                None,
                Some(p.ty.clone()),
                msg,
            );
            continue;
        };
        if o.ty != p.ty {
            sink.add(
                Breaking,
                K::ParamTypeChanged,
                Some(name),
                Some(o.ty.clone()),
                Some(p.ty.clone()),
                format!("{}: type {} → {}", param_label(p), code(&o.ty), code(&p.ty)),
            );
        }
        if o.location != p.location {
            sink.add(
                Breaking,
                K::ParamLocationChanged,
                Some(name),
                Some(o.location.clone()),
                Some(p.location.clone()),
                format!(
                    "{}: moved from the {} to the {}",
                    param_label(p),
                    o.location,
                    p.location
                ),
            );
        }
        let req = |q: &SurfaceParam| {
            if q.positional() {
                "required argument".to_string()
            } else if q.required {
                "required with a default".to_string()
            } else {
                "optional".to_string()
            }
        };
        if o.positional() != p.positional() {
            let msg = if p.positional() {
                format!(
                    "{}: now a required argument {} (was optional, in {})",
                    param_label(p),
                    code(&format!("{}: {}", p.name, p.ty)),
                    code("params")
                )
            } else {
                format!(
                    "{}: now optional, {} (was a required argument)",
                    param_label(p),
                    code(&format!("params.{}", p.name))
                )
            };
            sink.add(
                Breaking,
                K::ParamRequiredChanged,
                Some(name),
                Some(req(o)),
                Some(req(p)),
                msg,
            );
        } else if o.required != p.required {
            let msg = match &p.default {
                Some(d) if p.required => format!(
                    "{}: now required by the spec; the client sends {} when {} is unset",
                    param_label(p),
                    code(d),
                    code(&format!("params.{}", p.name))
                ),
                _ => format!(
                    "{}: no longer required by the spec; sent only when {} is set",
                    param_label(p),
                    code(&format!("params.{}", p.name))
                ),
            };
            sink.add(
                Additive,
                K::ParamRequiredChanged,
                Some(name),
                Some(req(o)),
                Some(req(p)),
                msg,
            );
        }
        if o.deprecated != p.deprecated {
            let msg = if p.deprecated {
                "now deprecated"
            } else {
                "no longer deprecated"
            };
            sink.add(
                Additive,
                K::ParamDeprecated,
                Some(name),
                Some(o.deprecated.to_string()),
                Some(p.deprecated.to_string()),
                format!("{}: {msg}", param_label(p)),
            );
        }
    }
    // The order of the arguments both versions have.
    let both: BTreeSet<&str> = old
        .iter()
        .filter(|p| p.positional())
        .map(|p| p.name.as_str())
        .filter(|n| new_by.get(n).is_some_and(|p| p.positional()))
        .collect();
    let order = |ps: &[SurfaceParam]| -> Vec<String> {
        ps.iter()
            .filter(|p| both.contains(p.name.as_str()))
            .map(|p| p.name.clone())
            .collect()
    };
    let (before, after) = (order(old), order(new));
    if before != after {
        let (b, a) = (before.join(", "), after.join(", "));
        sink.add(
            Breaking,
            K::ArgumentOrderChanged,
            None,
            Some(b.clone()),
            Some(a.clone()),
            format!("argument order ({}) → ({})", code(&b), code(&a)),
        );
    }
}

fn body_arg(b: &SurfaceBody) -> String {
    if b.required {
        format!("body: {}", b.ty)
    } else {
        format!("body: Option<{}>", b.ty)
    }
}

fn diff_body(sink: &mut Sink<'_>, old: Option<&SurfaceBody>, new: Option<&SurfaceBody>) {
    match (old, new) {
        (None, None) => {}
        (None, Some(n)) => sink.add(
            Breaking,
            K::BodyAdded,
            None,
            None,
            Some(n.ty.clone()),
            format!(
                "request body added: argument {} ({})",
                code(&body_arg(n)),
                code(&n.content_type)
            ),
        ),
        (Some(o), None) => sink.add(
            Breaking,
            K::BodyRemoved,
            None,
            Some(o.ty.clone()),
            None,
            format!(
                "request body removed (was {}, {})",
                code(&body_arg(o)),
                code(&o.content_type)
            ),
        ),
        (Some(o), Some(n)) => {
            if o.ty != n.ty {
                sink.replaced(K::BodyTypeChanged, "request body type", &o.ty, &n.ty);
            }
            if o.content_type != n.content_type {
                sink.replaced(
                    K::BodyContentTypeChanged,
                    "request body content type",
                    &o.content_type,
                    &n.content_type,
                );
            }
            if o.required != n.required {
                sink.add(
                    Breaking,
                    K::BodyRequiredChanged,
                    None,
                    Some(body_arg(o)),
                    Some(body_arg(n)),
                    format!(
                        "request body now {}: argument {}",
                        if n.required { "required" } else { "optional" },
                        code(&body_arg(n))
                    ),
                );
            }
            let members = Members {
                what: "form field",
                usage: Usage::Request,
                default: (false, false),
            };
            diff_fields(sink, &o.fields, &n.fields, &members);
        }
    }
}

fn diff_responses(sink: &mut Sink<'_>, o: &SurfaceOperation, n: &SurfaceOperation) {
    let body = |t: &str| {
        if t == "()" {
            "no body".to_string()
        } else {
            code(t)
        }
    };
    let mut explained = false;
    for (status, ty) in &o.responses {
        match n.responses.get(status) {
            None => sink.add(
                Breaking,
                K::ResponseRemoved,
                Some(status),
                Some(ty.clone()),
                None,
                format!("response {} removed (was {})", code(status), body(ty)),
            ),
            Some(nt) if nt != ty => {
                if *ty == o.returns && *nt == n.returns {
                    explained = true;
                }
                sink.add(
                    Breaking,
                    K::ResponseTypeChanged,
                    Some(status),
                    Some(ty.clone()),
                    Some(nt.clone()),
                    format!("response {}: {} → {}", code(status), body(ty), body(nt)),
                );
            }
            Some(_) => {}
        }
    }
    for (status, ty) in &n.responses {
        if !o.responses.contains_key(status) {
            sink.add(
                Additive,
                K::ResponseAdded,
                Some(status),
                None,
                Some(ty.clone()),
                format!("response {} added ({})", code(status), body(ty)),
            );
        }
    }
    if o.returns != n.returns && !explained {
        sink.replaced(K::ReturnTypeChanged, "success type", &o.returns, &n.returns);
    }
}

fn usage_words(u: Usage) -> &'static str {
    match u {
        Usage::Request => "the type is sent in requests",
        Usage::Response => "the type is only read from responses",
        Usage::Both => "the type is sent in requests and read from responses",
        Usage::None => "no operation uses the type",
    }
}

/// The struct whose fields [`diff_fields`] compares.
struct Members<'a> {
    /// What its members are called: `field` (model structs) or `form field`
    /// (`{Operation}Form`).
    what: &'a str,
    /// Where the struct is used (old and new together); decides optionality changes.
    usage: Usage,
    /// Whether the struct derives `Default`, (old, new).
    default: (bool, bool),
}

impl Members<'_> {
    fn is_form(&self) -> bool {
        self.what == "form field"
    }

    /// A note in parentheses after a change's message: the usage (`with_usage`, model
    /// structs only), and the loss of `Default` when the change made a field required
    /// (`made_required`) and the struct lost `Default`.
    fn note(&self, with_usage: bool, made_required: bool) -> String {
        let mut parts = Vec::new();
        if with_usage && !self.is_form() {
            parts.push(usage_words(self.usage).to_string());
        }
        if made_required && self.default == (true, false) {
            parts.push("the struct no longer derives `Default`".to_string());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join("; "))
        }
    }
}

/// Compare struct (or form) fields.
fn diff_fields(sink: &mut Sink<'_>, old: &[SurfaceField], new: &[SurfaceField], m: &Members<'_>) {
    let what = m.what;
    let usage = m.usage;
    let old_by: BTreeMap<&str, &SurfaceField> = old.iter().map(|f| (f.name.as_str(), f)).collect();
    let new_by: BTreeMap<&str, &SurfaceField> = new.iter().map(|f| (f.name.as_str(), f)).collect();
    for (name, f) in &old_by {
        if !new_by.contains_key(name) {
            sink.add(
                Breaking,
                K::FieldRemoved,
                Some(name),
                Some(f.rust_type()),
                None,
                format!(
                    "{what} {} removed (was {})",
                    code(name),
                    code(&f.rust_type())
                ),
            );
        }
    }
    for (name, f) in &new_by {
        let Some(o) = old_by.get(name) else {
            // Built with `new` or `..Default::default()`: a new optional field breaks
            // nothing (see the module docs).
            let (severity, msg) = if f.optional {
                (
                    Additive,
                    format!("{what} {} added: {}", code(name), code(&f.rust_type())),
                )
            } else {
                (
                    if usage.in_requests() {
                        Breaking
                    } else {
                        Additive
                    },
                    format!(
                        "{what} {} added, required: {}{}",
                        code(name),
                        code(&f.rust_type()),
                        m.note(true, true)
                    ),
                )
            };
            sink.add(
                severity,
                K::FieldAdded,
                Some(name),
                None,
                Some(f.rust_type()),
                msg,
            );
            continue;
        };
        if o.ty != f.ty {
            sink.add(
                Breaking,
                K::FieldTypeChanged,
                Some(name),
                Some(o.rust_type()),
                Some(f.rust_type()),
                format!(
                    "{what} {}: {} → {}{}",
                    code(name),
                    code(&o.rust_type()),
                    code(&f.rust_type()),
                    m.note(false, o.optional && !f.optional)
                ),
            );
        } else if o.optional != f.optional {
            // In Rust the field's type changes (`T` ↔ `Option<T>`): code that reads it or
            // builds the struct no longer compiles, whichever side of the wire it is on.
            let (severity, now) = (Breaking, if f.optional { "optional" } else { "required" });
            sink.add(
                severity,
                K::FieldOptionalityChanged,
                Some(name),
                Some(o.rust_type()),
                Some(f.rust_type()),
                format!(
                    "{what} {} now {now}: {} → {}{}",
                    code(name),
                    code(&o.rust_type()),
                    code(&f.rust_type()),
                    m.note(true, !f.optional)
                ),
            );
        }
    }
}

/// One group of changes: on the head's line when there is one, else as a list.
fn write_group(out: &mut String, head: &str, changes: &[&Change], bullet: &str) {
    if let [only] = changes {
        let _ = writeln!(out, "{head}: {}", only.message);
    } else {
        let _ = writeln!(out, "{head}:");
        for c in changes {
            let _ = writeln!(out, "{bullet}{}", c.message);
        }
    }
}

fn type_summary(t: &SurfaceType) -> String {
    let n = |k: usize, one: &str, many: &str| {
        if k == 1 {
            format!("1 {one}")
        } else {
            format!("{k} {many}")
        }
    };
    match &t.shape {
        Shape::Struct { fields, .. } => {
            format!("new struct, {}", n(fields.len(), "field", "fields"))
        }
        Shape::Enum { values, .. } => format!("new enum, {}", n(values.len(), "value", "values")),
        Shape::Union { variants, .. } => {
            format!("new union, {}", n(variants.len(), "variant", "variants"))
        }
        Shape::Alias { target } => format!("new alias of {}", code(target)),
    }
}

fn diff_types(
    out: &mut Vec<Change>,
    old: &BTreeMap<String, SurfaceType>,
    new: &BTreeMap<String, SurfaceType>,
) {
    for (name, t) in old {
        if !new.contains_key(name) {
            let mut sink = Sink {
                out,
                scope: Scope::Type,
                name,
                context: t.shape.kind().to_string(),
            };
            sink.add(
                Breaking,
                K::TypeRemoved,
                None,
                Some(t.shape.kind().to_string()),
                None,
                format!("{} removed", t.shape.kind()),
            );
        }
    }
    for (name, n) in new {
        let mut sink = Sink {
            out,
            scope: Scope::Type,
            name,
            context: n.shape.kind().to_string(),
        };
        let Some(o) = old.get(name) else {
            sink.add(
                Additive,
                K::TypeAdded,
                None,
                None,
                Some(n.shape.kind().to_string()),
                type_summary(n),
            );
            continue;
        };
        diff_type(&mut sink, o, n);
    }
}

fn diff_type(sink: &mut Sink<'_>, o: &SurfaceType, n: &SurfaceType) {
    sink.deprecation(K::TypeDeprecated, o.deprecated, n.deprecated);
    let usage = o.usage.union(n.usage);
    match (&o.shape, &n.shape) {
        (
            Shape::Struct {
                default: od,
                fields: of,
                additional: oa,
            },
            Shape::Struct {
                default: nd,
                fields: nf,
                additional: na,
            },
        ) => {
            let members = Members {
                what: "field",
                usage,
                default: (*od, *nd),
            };
            diff_fields(sink, of, nf, &members);
            if oa != na {
                let show = |a: &Option<String>| match a {
                    Some(t) => code(&format!("BTreeMap<String, {t}>")),
                    None => "none".to_string(),
                };
                sink.add(
                    Breaking,
                    K::AdditionalPropertiesChanged,
                    None,
                    oa.clone(),
                    na.clone(),
                    format!("additional properties {} → {}", show(oa), show(na)),
                );
            }
        }
        (
            Shape::Enum {
                values: ov,
                catch_all: oc,
            },
            Shape::Enum {
                values: nv,
                catch_all: nc,
            },
        ) => {
            let ov: BTreeSet<&String> = ov.iter().collect();
            let nv: BTreeSet<&String> = nv.iter().collect();
            for v in ov.difference(&nv) {
                sink.add(
                    Breaking,
                    K::EnumValueRemoved,
                    Some(v),
                    Some((*v).clone()),
                    None,
                    format!("value {} removed", code(v)),
                );
            }
            for v in nv.difference(&ov) {
                sink.add(
                    Additive,
                    K::EnumValueAdded,
                    Some(v),
                    None,
                    Some((*v).clone()),
                    format!("value {} added", code(v)),
                );
            }
            if oc != nc {
                sink.add(
                    Breaking,
                    K::CatchAllChanged,
                    None,
                    Some(oc.clone()),
                    Some(nc.clone()),
                    format!("catch-all variant {} → {}", code(oc), code(nc)),
                );
            }
        }
        (
            Shape::Union {
                discriminator: od,
                variants: ov,
                catch_all: oc,
            },
            Shape::Union {
                discriminator: nd,
                variants: nv,
                catch_all: nc,
            },
        ) => {
            if od != nd {
                let show = |d: &Option<String>| d.as_deref().map(code).unwrap_or("none".into());
                sink.add(
                    Breaking,
                    K::DiscriminatorChanged,
                    None,
                    od.clone(),
                    nd.clone(),
                    format!("discriminator {} → {}", show(od), show(nd)),
                );
            }
            let ob: BTreeMap<&str, _> = ov.iter().map(|v| (v.name.as_str(), v)).collect();
            let nb: BTreeMap<&str, _> = nv.iter().map(|v| (v.name.as_str(), v)).collect();
            let shown = |v: &crate::surface::SurfaceVariant| code(&format!("{}({})", v.name, v.ty));
            for (name, v) in &ob {
                if !nb.contains_key(name) {
                    sink.add(
                        Breaking,
                        K::UnionVariantRemoved,
                        Some(name),
                        Some(v.ty.clone()),
                        None,
                        format!("variant {} removed", shown(v)),
                    );
                }
            }
            for (name, v) in &nb {
                match ob.get(name) {
                    None => sink.add(
                        Additive,
                        K::UnionVariantAdded,
                        Some(name),
                        None,
                        Some(v.ty.clone()),
                        format!("variant {} added", shown(v)),
                    ),
                    Some(o) if o.ty != v.ty => sink.add(
                        Breaking,
                        K::UnionVariantChanged,
                        Some(name),
                        Some(o.ty.clone()),
                        Some(v.ty.clone()),
                        format!("variant {} → {}", shown(o), shown(v)),
                    ),
                    Some(o) if o.tags != v.tags => {
                        let (a, b) = (o.tags.join(", "), v.tags.join(", "));
                        sink.add(
                            Breaking,
                            K::UnionVariantChanged,
                            Some(name),
                            Some(a.clone()),
                            Some(b.clone()),
                            format!(
                                "variant {}: discriminator values [{}] → [{}]",
                                code(name),
                                code(&a),
                                code(&b)
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            if oc != nc {
                sink.add(
                    Breaking,
                    K::CatchAllChanged,
                    None,
                    Some(oc.clone()),
                    Some(nc.clone()),
                    format!("catch-all variant {} → {}", code(oc), code(nc)),
                );
            }
        }
        (Shape::Alias { target: ot }, Shape::Alias { target: nt }) => {
            if ot != nt {
                sink.add(
                    Breaking,
                    K::AliasTargetChanged,
                    None,
                    Some(ot.clone()),
                    Some(nt.clone()),
                    format!("alias of {} → alias of {}", code(ot), code(nt)),
                );
            }
        }
        (os, ns) => sink.add(
            Breaking,
            K::TypeKindChanged,
            None,
            Some(os.kind().to_string()),
            Some(ns.kind().to_string()),
            format!("kind {} → {}", os.kind(), ns.kind()),
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------

/// The changes of one subject (operation or type), in report order.
struct Group<'a> {
    scope: Scope,
    name: &'a str,
    context: &'a str,
    changes: Vec<&'a Change>,
}

impl Report {
    /// No change at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Number of breaking changes.
    pub fn breaking(&self) -> usize {
        self.count(Severity::Breaking)
    }

    /// Number of additive changes.
    pub fn additive(&self) -> usize {
        self.count(Severity::Additive)
    }

    /// Whether anything breaking changed.
    pub fn has_breaking(&self) -> bool {
        self.breaking() > 0
    }

    fn count(&self, s: Severity) -> usize {
        self.changes.iter().filter(|c| c.severity == s).count()
    }

    /// The changes of `severity` grouped by subject, operations first.
    fn groups(&self, severity: Severity) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for c in self.changes.iter().filter(|c| c.severity == severity) {
            match groups.last_mut() {
                Some(g) if g.scope == c.scope && g.name == c.name => g.changes.push(c),
                _ => groups.push(Group {
                    scope: c.scope,
                    name: &c.name,
                    context: &c.context,
                    changes: vec![c],
                }),
            }
        }
        groups
    }

    /// One line of counts: `2 breaking, 5 additive (3 operations, 2 types)`.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no changes".to_string();
        }
        let subjects = |scope: Scope| {
            self.changes
                .iter()
                .filter(|c| c.scope == scope)
                .map(|c| &c.name)
                .collect::<BTreeSet<_>>()
                .len()
        };
        let mut parts = Vec::new();
        for (scope, one, many) in [
            (Scope::Operation, "operation", "operations"),
            (Scope::Type, "type", "types"),
        ] {
            match subjects(scope) {
                0 => {}
                1 => parts.push(format!("1 {one}")),
                n => parts.push(format!("{n} {many}")),
            }
        }
        format!(
            "{} breaking, {} additive ({})",
            self.breaking(),
            self.additive(),
            parts.join(", ")
        )
    }

    /// Plain text for a terminal.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            let _ = writeln!(out, "API surface unchanged");
            let _ = writeln!(out, "  old: {}", self.old.label());
            let _ = writeln!(out, "  new: {}", self.new.label());
            return out;
        }
        let _ = writeln!(out, "API changes: {}", self.summary());
        let _ = writeln!(out, "  old: {}", self.old.label());
        let _ = writeln!(out, "  new: {}", self.new.label());
        for (severity, title) in [(Breaking, "Breaking"), (Additive, "Additive")] {
            let groups = self.groups(severity);
            if groups.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title} ({}):", self.count(severity));
            for g in groups {
                let scope = match g.scope {
                    Scope::Operation => "operation",
                    Scope::Type => "type",
                };
                let head = format!("  {scope} {} ({})", g.name, g.context);
                write_group(&mut out, &head, &g.changes, "    - ");
            }
        }
        out
    }

    /// Markdown for a pull-request comment: a title with counts, then "Breaking" and
    /// "Additive" sections, each grouped into operations and types.
    pub fn render_markdown(&self) -> String {
        let mut out = String::new();
        let side = |s: &Side| {
            let mut t = format!("{} `{}`", md_escape(&s.title), s.version);
            if let Some(h) = &s.spec_sha256 {
                let _ = write!(t, " (spec `{}`)", short_hash(h));
            }
            t
        };
        if self.is_empty() {
            let _ = writeln!(out, "## API changes: none\n");
            let _ = writeln!(
                out,
                "The generated client's API surface is unchanged.\n\n{} → {}",
                side(&self.old),
                side(&self.new)
            );
            return out;
        }
        let _ = writeln!(out, "## API changes: {}\n", self.summary());
        let _ = writeln!(out, "{} → {}", side(&self.old), side(&self.new));
        for (severity, title) in [(Breaking, "Breaking"), (Additive, "Additive")] {
            let groups = self.groups(severity);
            if groups.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title} ({})", self.count(severity));
            for (scope, heading) in [(Scope::Operation, "Operations"), (Scope::Type, "Types")] {
                let mine: Vec<&Group<'_>> = groups.iter().filter(|g| g.scope == scope).collect();
                if mine.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "\n#### {heading}\n");
                for g in mine {
                    let head = match g.scope {
                        Scope::Operation => format!("- `{}` ({})", g.name, code(g.context)),
                        Scope::Type => format!("- `{}` ({})", g.name, g.context),
                    };
                    write_group(&mut out, &head, &g.changes, "  - ");
                }
            }
        }
        out
    }

    /// JSON in the documented, stable layout (see the [module docs](self)), pretty-printed
    /// with a trailing newline.
    pub fn render_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            report_format: u32,
            old: &'a Side,
            new: &'a Side,
            breaking: usize,
            additive: usize,
            changes: &'a [Change],
        }
        let json = Json {
            report_format: REPORT_FORMAT,
            old: &self.old,
            new: &self.new,
            breaking: self.breaking(),
            additive: self.additive(),
            changes: &self.changes,
        };
        let mut text = serde_json::to_string_pretty(&json).expect("a report always serializes");
        text.push('\n');
        text
    }
}

/// Escape Markdown syntax in free text (titles).
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>#|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
