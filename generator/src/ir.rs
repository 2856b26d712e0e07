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
    /// The document's security schemes, by name.
    pub security: Vec<SecurityScheme>,
    /// Every generated type, keyed by its Rust name (unique).
    pub types: BTreeMap<String, TypeDef>,
    /// Operations sorted by (`module`, `name`).
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    /// Sorted by name.
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    /// The values the document allows; empty: any.
    pub values: Vec<String>,
    pub doc: Option<String>,
}

/// A security scheme of the document, as the client can use it.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its name in `components/securitySchemes`.
    pub name: String,
    pub kind: SchemeKind,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// OAuth2 with the client credentials flow.
    ClientCredentials { token_url: String },
    /// A bearer token: HTTP `bearer`, OAuth2 with other flows, OpenID Connect.
    Bearer,
    /// HTTP `basic`.
    Basic,
    /// An API key in a header or the query.
    ApiKey { name: String, in_query: bool },
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
    /// The schema's `example`, as JSON text (for the test registry).
    pub example: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// `pub type Name = Target;`
    Alias(TypeRef),
    /// `pub struct Name(pub Target);`: an alias that contains itself through a list or
    /// map (`L: {items: {$ref: L}}`), which a type alias cannot express.
    Newtype(TypeRef),
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
/// the catch-all variant and re-encode unchanged. A one-value enum is also how a `const`
/// or a tag property is written; decoding a union only matches it with that value.
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

/// `oneOf` / `anyOf`. Decoded by best fit (the first variant that knows every member
/// and enum value of the JSON, else the one that knows most, ties in spec order), or by
/// the discriminator when every variant has tags.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// Property naming the variant (`discriminator.propertyName`), when the spec gives a
    /// usable one: every variant has at least one tag.
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
    /// A Rust type the settings put in place of a schema or a string format
    /// (`uuid::Uuid`); not generated.
    Extern(String),
    Array(Box<TypeRef>),
    /// `additionalProperties` map with string keys.
    Map(Box<TypeRef>),
    /// A nullable value where `Option` is not implied by field optionality (array items,
    /// map values).
    Nullable(Box<TypeRef>),
}

/// The named types reachable from `roots` through fields, variants and alias targets:
/// the one reachability walk (tag pruning, request and response usage, feature gates).
pub fn reach<'a>(
    types: &'a BTreeMap<String, TypeDef>,
    roots: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeSet<&'a str> {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack: Vec<&'a str> = roots.into_iter().collect();
    while let Some(n) = stack.pop() {
        let Some((name, def)) = types.get_key_value(n) else {
            continue;
        };
        if !seen.insert(name.as_str()) {
            continue;
        }
        def.visit_named(&mut |m| stack.push(m));
    }
    seen
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

impl TypeDef {
    /// Every named type this definition mentions.
    pub fn visit_named<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match &self.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|x| x.ty.visit_named(f));
                if let Some(a) = &s.additional {
                    a.visit_named(f);
                }
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| v.ty.visit_named(f)),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => t.visit_named(f),
            TypeKind::Enum(_) => {}
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
    /// `limit` parameter's `maximum`, or the pagination setting's page size (250).
    pub page_size: i64,
    /// `offset` counts pages (from 1) rather than items.
    pub by_page: bool,
    /// Type of the list's items.
    pub item: TypeRef,
}

impl Operation {
    /// Responses that are successes: 2xx, and documented 3xx (redirects and
    /// `304 Not Modified`).
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }
    /// Responses that are not successes (errors by status, and `default`).
    pub fn errors(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }
    /// Whether a documented success is a redirect (3xx other than 304), which the HTTP
    /// client may follow.
    pub fn redirects(&self) -> bool {
        self.successes().any(|r| r.status.is_redirect())
    }
    /// Every named type the operation mentions.
    pub fn visit_named<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        for p in &self.params {
            p.ty.visit_named(f);
        }
        if let Some(b) = &self.body {
            b.kind.visit_named(f);
        }
        for r in &self.responses {
            if let Some(b) = &r.body {
                b.kind.visit_named(f);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter is laid out on the wire (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamStyle {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire; for path parameters, the template variable it fills.
    pub wire: String,
    pub name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    /// Required by the spec. A required parameter with a `default` is still optional for
    /// the caller: the default is sent when the caller gives none.
    pub required: bool,
    /// The value sent when the caller gives none (only for required parameters with a
    /// spec default), as JSON.
    pub default: Option<serde_json::Value>,
    /// The spec's default of an optional parameter: what the server assumes when it is
    /// not sent (documentation only), as JSON.
    pub server_default: Option<serde_json::Value>,
    /// `maximum` of an integer parameter (the page size cap of `limit`).
    pub maximum: Option<i64>,
    pub style: ParamStyle,
    /// Lists and objects: one pair (or segment) per item, as OpenAPI's `explode` says
    /// (default: true for `form`, false otherwise).
    pub explode: bool,
    /// `allowReserved` (query): reserved characters are sent unencoded.
    pub allow_reserved: bool,
    /// The parameter is described by `content: {application/json: ...}`: its value is
    /// sent as JSON text.
    pub json: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// The spec's example of the value (the parameter's `example`, its first
    /// `examples` entry, or its schema's), or a value of its type; for the test
    /// registry's example calls.
    pub example: Option<serde_json::Value>,
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
    /// The spec's example of the body (the media type's `example`, its first `examples`
    /// entry, or its schema's), for the test registry's example calls.
    pub example: Option<serde_json::Value>,
}

/// How a request or response body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON-like (`application/json`, `application/json-patch+json`, `*+json`).
    Json(TypeRef),
    /// `multipart/form-data`, one part per property of the schema.
    Multipart(Vec<FormField>),
    /// `application/x-www-form-urlencoded`, one pair per property of the schema.
    Form(Vec<FormField>),
    /// A form (`multipart` when `multipart`, else URL-encoded) whose schema lists no
    /// properties: any object, one part or pair per member.
    FreeForm { multipart: bool },
    /// Text (`text/*`).
    Text,
    /// Anything else: raw bytes.
    Binary,
}

impl BodyKind {
    /// Every named type the body mentions.
    pub fn visit_named<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            BodyKind::Json(t) => t.visit_named(f),
            BodyKind::Multipart(fields) | BodyKind::Form(fields) => {
                fields.iter().for_each(|x| x.ty.visit_named(f))
            }
            BodyKind::FreeForm { .. } | BodyKind::Text | BodyKind::Binary => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub wire: String,
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// The spec's example of the field, or a value of its type (for the test
    /// registry's example calls).
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Code(u16),
    /// `2XX`-style ranges, by first digit.
    Range(u8),
    Default,
}

impl Status {
    /// 2xx, and 3xx: a documented redirect or `304 Not Modified` is an answer the
    /// operation expects, not an error.
    pub fn is_success(&self) -> bool {
        match self {
            Status::Code(c) => (200..400).contains(c),
            Status::Range(r) => *r == 2 || *r == 3,
            Status::Default => false,
        }
    }
    /// A redirect the HTTP client may follow (3xx other than `304 Not Modified`).
    pub fn is_redirect(&self) -> bool {
        match self {
            Status::Code(c) => (300..400).contains(c) && *c != 304,
            Status::Range(r) => *r == 3,
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
    /// The spec's example of the body, as JSON text (for mocks' `respond_example`).
    pub example: Option<String>,
}
