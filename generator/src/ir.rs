//! The intermediate representation: what the emitter (and the spec-diff tooling) reads.
//!
//! It holds Rust-level decisions (names, types, optionality) but no tokens, and it never
//! refers to `openapiv3`. Every collection is ordered deterministically: types live in
//! a `BTreeMap` keyed by their Rust name, operations are sorted by module and name,
//! fields by wire name.

use std::collections::BTreeMap;

/// A whole API, lowered.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// Every generated type, keyed by its Rust name (unique).
    pub types: BTreeMap<String, TypeDef>,
    /// Operations sorted by (`module`, `name`).
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    /// (name, default, description)
    pub variables: Vec<(String, String, Option<String>)>,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeDef {
    /// Rust identifier (UpperCamelCase), unique in the API.
    pub name: String,
    /// JSON pointer of the schema it was made from (the first use, for deduplicated
    /// inline schemas).
    pub pointer: String,
    /// The component schema name, when the type comes from `#/components/schemas`.
    pub component: Option<String>,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// `pub type Name = Target;`
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Struct {
    /// Sorted by wire name.
    pub fields: Vec<Field>,
    /// Properties not listed in `fields` (`additionalProperties`), flattened into a map.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Field {
    /// The JSON property name.
    pub wire: String,
    /// Rust field name (snake_case, keyword-safe, unique in the struct).
    pub name: String,
    /// The value type, without the `Option` that `required`/`nullable` add.
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Box the value: the field's type contains this struct (a recursive schema).
    pub boxed: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// The schema's `default`, as JSON text (documentation: the server's value when the
    /// field is absent).
    pub default: Option<String>,
}

impl Struct {
    /// Whether the generated struct derives `Default`: every field is an `Option`.
    pub fn derives_default(&self) -> bool {
        self.fields.iter().all(Field::optional)
    }
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A string enum. Always forward-compatible: values the spec does not list decode into
/// the catch-all variant and re-encode unchanged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Enum {
    /// In spec order.
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant holding an unlisted value (`Unknown` unless a listed
    /// value already took that name).
    pub catch_all: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumVariant {
    pub wire: String,
    pub name: String,
}

/// `oneOf` / `anyOf`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// Property naming the variant (`discriminator.propertyName`), when the spec gives one.
    pub discriminator: Option<String>,
    /// Name of the catch-all variant holding a value that matches no variant.
    pub catch_all: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    pub boxed: bool,
    /// Discriminator values selecting this variant.
    pub tags: Vec<String>,
}

/// A reference to a type at a use site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F64,
    /// `date-time` (RFC 3339, offset kept).
    DateTime,
    /// `date` (`YYYY-MM-DD`).
    Date,
    /// `format: binary`: raw bytes (request/response bodies, multipart file parts).
    Binary,
    /// Free-form JSON.
    Value,
    Named(String),
    Array(Box<TypeRef>),
    /// `additionalProperties` map with string keys.
    Map(Box<TypeRef>),
    /// A nullable value where `Option` is not implied by field optionality (array items,
    /// map values).
    Nullable(Box<TypeRef>),
}

/// Follow aliases to the type a reference finally stands for (at most 16 steps; alias
/// cycles are broken during lowering).
pub fn resolve_alias<'a>(types: &'a BTreeMap<String, TypeDef>, ty: &'a TypeRef) -> &'a TypeRef {
    let mut cur = ty;
    for _ in 0..16 {
        match cur {
            TypeRef::Named(n) => match types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(t)) => cur = t,
                _ => return cur,
            },
            _ => return cur,
        }
    }
    cur
}

impl TypeRef {
    /// Named types this reference mentions, directly or through containers.
    pub fn visit_named<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            TypeRef::Named(n) => f(n),
            TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Nullable(t) => t.visit_named(f),
            _ => {}
        }
    }
}

/// An HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` as written in the spec.
    pub id: String,
    /// Method name (snake_case, keyword-safe).
    pub name: String,
    /// UpperCamelCase stem for the operation's own types (`{type_name}Error`, `{type_name}Params`).
    pub type_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template as in the spec (`/sources/{id}`).
    pub path: String,
    /// Module (file) the operation is emitted into: its first tag, snake_case.
    pub module: String,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// JSON pointer of the operation object.
    pub pointer: String,
    /// In spec order.
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    /// Sorted by status.
    pub responses: Vec<Response>,
    /// Set when the operation pages through a list with `limit` and `offset`.
    pub paging: Option<Paging>,
}

/// How a list operation pages, for its generated `*_stream` method.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// Name of the stream method (`{name}_stream`, unless that was taken).
    pub stream: String,
    /// Rust names of the `limit` and `offset` parameters (fields of the `Params` struct).
    pub limit: String,
    pub offset: String,
    /// Items per request when the caller sets no `limit`, and the cap when it does: the
    /// `limit` parameter's `maximum`, or 250.
    pub page_size: i64,
    /// Type of the list's items.
    pub item: TypeRef,
}

impl Operation {
    /// Responses with a 2xx status.
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }
    /// Responses that are not 2xx (errors by status, and `default`).
    pub fn errors(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire: String,
    pub name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    /// Required by the spec. A required parameter with a `default` is still optional for
    /// the caller: the default is sent when the caller gives none.
    pub required: bool,
    /// The value sent when the caller gives none (only for required parameters with a
    /// spec default).
    pub default: Option<String>,
    /// The spec's default of an optional parameter: what the server assumes when it is
    /// not sent (documentation only).
    pub server_default: Option<String>,
    /// `maximum` of an integer parameter (the page size cap of `limit`).
    pub maximum: Option<i64>,
    /// Arrays in the query: one `name=value` pair per item (`explode: true`, the OpenAPI
    /// default) or one comma-separated pair.
    pub explode: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
}

impl Param {
    /// Whether the caller must pass this parameter (positional argument) rather than set
    /// it in the operation's `Params` struct.
    pub fn positional(&self) -> bool {
        self.location == ParamLocation::Path || (self.required && self.default.is_none())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub content_type: String,
    pub kind: BodyKind,
    pub required: bool,
    pub doc: Option<String>,
}

/// How a request or response body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON-like (`application/json`, `application/json-patch+json`, `*+json`).
    Json(TypeRef),
    /// `multipart/form-data`, one part per property of the schema.
    Multipart(Vec<FormField>),
    /// `application/x-www-form-urlencoded`.
    Form(Vec<FormField>),
    /// Text (`text/*`).
    Text,
    /// Anything else: raw bytes.
    Binary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub wire: String,
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Code(u16),
    /// `2XX`-style ranges, by first digit.
    Range(u8),
    Default,
}

impl Status {
    pub fn is_success(&self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(c),
            Status::Range(r) => *r == 2,
            Status::Default => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    pub doc: Option<String>,
    /// `None` when the response has no content.
    pub body: Option<ResponseBody>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseBody {
    pub content_type: String,
    pub kind: BodyKind,
}
