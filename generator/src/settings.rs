//! What to generate and how: [`Settings`], usually read from a `codegen.toml`
//! ([`Settings::from_toml`]).
//!
//! Every key is optional. The file (all keys shown):
//!
//! ```toml
//! tags = ["Sources"]                 # operations with any of these tags; omitted: all
//! include_operations = ["listSources"]   # only these operation ids (after `tags`)
//! exclude_operations = ["importAccounts"]
//!
//! [crate]                            # standalone crates (`cargo xtask generate`)
//! name = "sailpoint-beta"
//! version = "0.2.0"
//! features = "per-tag"               # a Cargo feature per tag (and `full`); or "none"
//!
//! [rename.types]                     # component schema name → Rust type name
//! "Source-2" = "Source"
//! [rename.operations]                # operation id → method name
//! move = "move_account"
//!
//! [replace.types]                    # component schema → an existing Rust type
//! Timestamp = "my_crate::Timestamp"
//! [replace.formats]                  # string format → a Rust type, with its dependency
//! uuid = { type = "uuid::Uuid", dependency = 'uuid = { version = "1", features = ["serde"] }' }
//!
//! [derives]
//! all = ["Eq"]                       # added to every generated model
//! [derives.types]                    # per type (component name or Rust name)
//! DtoType = ["PartialOrd", "Ord"]
//!
//! [client]                           # the generated client's profile
//! env_prefix = "SAIL"                # Client::from_env reads SAIL_BASE_URL, SAIL_CLIENT_ID, ...
//! env_base_url = "api-root"          # SAIL_BASE_URL is the API root ("base-url": the base URL)
//! token_url = "{root}/oauth/token"   # OAuth2 token endpoint ({root}: the API root)
//! tracking_id = "trackingId"         # error-body member with the server's tracking id
//! [client.pagination]                # list operations get a `*_stream` method
//! style = "offset"                   # "offset" (limit/offset) or "page" (page number/size)
//! limit = "limit"                    # the page size parameter
//! offset = "offset"                  # the offset (or page number) parameter
//! page_size = 250                    # when the parameter has no `maximum`
//! ```
//!
//! Unknown keys and values of the wrong shape are errors naming the file, the line and
//! the key; so are names that are not Rust identifiers. Settings that name something in
//! the document (a schema, an operation, a tag) are checked when generating: one that
//! names nothing, or a rename that clashes, is an error naming the setting's line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::Error;

/// What to generate and how to label it. See the [module docs](self) for the file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Keep only operations carrying one of these tags (and the types they reach);
    /// empty: all operations.
    pub tags: Vec<String>,
    /// Keep only these operation ids (after `tags`); empty: all.
    pub include_operations: Vec<String>,
    /// Leave these operation ids out.
    pub exclude_operations: Vec<String>,
    /// Component schema name → Rust type name.
    pub rename_types: BTreeMap<String, String>,
    /// Operation id → method name.
    pub rename_operations: BTreeMap<String, String>,
    /// Component schema name → the Rust type used instead (not generated).
    pub replace_types: BTreeMap<String, String>,
    /// String `format` → the Rust type used for it.
    pub replace_formats: BTreeMap<String, FormatReplacement>,
    /// Derives added to every generated model.
    pub derives: Vec<String>,
    /// Derives added to one type, by component schema name or Rust type name.
    pub type_derives: BTreeMap<String, Vec<String>>,
    /// The generated client's profile.
    pub client: ClientProfile,
    /// Standalone crates: package name (default: from the spec's file name).
    pub crate_name: Option<String>,
    /// Standalone crates: package version (default `0.1.0`).
    pub crate_version: Option<String>,
    /// A Cargo feature per tag (and `full`, the default, for all): each operation is
    /// compiled when a feature of one of its tags is on, each model when an operation
    /// that reaches it is. `None`: the caller decides (`cargo xtask generate` turns it
    /// on; the checked-in client has none).
    pub tag_features: Option<bool>,
    /// The command a reader runs to regenerate the output; written into each file's
    /// `@generated` header.
    pub regenerate_command: String,
    /// Where the settings came from, for errors that name a setting.
    pub source: Option<SettingsSource>,
    /// Whether `tags`, `include_operations` and `exclude_operations` must name something
    /// in the document (on by default; off where a tag may exist in one of two
    /// documents only, as in `cargo xtask diff`).
    pub check_filters: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tags: Vec::new(),
            include_operations: Vec::new(),
            exclude_operations: Vec::new(),
            rename_types: BTreeMap::new(),
            rename_operations: BTreeMap::new(),
            replace_types: BTreeMap::new(),
            replace_formats: BTreeMap::new(),
            derives: Vec::new(),
            type_derives: BTreeMap::new(),
            client: ClientProfile::default(),
            crate_name: None,
            crate_version: None,
            tag_features: None,
            regenerate_command: "cargo xtask codegen".to_string(),
            source: None,
            check_filters: true,
        }
    }
}

/// The Rust type for a string `format`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatReplacement {
    /// A Rust path (`uuid::Uuid`) to a type that implements `Serialize`,
    /// `Deserialize`, `Debug`, `Clone` and `PartialEq`.
    pub ty: String,
    /// The `[dependencies]` line that provides it (`uuid = { version = "1", ... }`).
    pub dependency: Option<String>,
}

/// The profile of the generated client: what the runtime needs to know about the API
/// that the document does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientProfile {
    /// `Client::from_env` reads `{prefix}_BASE_URL` and the credentials' variables;
    /// `None`: no `from_env`.
    pub env_prefix: Option<String>,
    /// `{prefix}_BASE_URL` names the API root (the server's path is appended) rather
    /// than the base URL itself.
    pub env_base_url_is_root: bool,
    /// The OAuth2 token endpoint, overriding the security scheme's `tokenUrl`; may
    /// contain `{root}` (the API root: the base URL without the server's path, or the
    /// base URL's origin when it was given as is).
    pub token_url: Option<String>,
    /// The error-body member holding the server's tracking id.
    pub tracking_id: Option<String>,
    /// How list operations page.
    pub pagination: Option<Pagination>,
}

/// How list operations page, for their `*_stream` methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    pub style: PageStyle,
    /// Wire name of the page size parameter.
    pub limit: String,
    /// Wire name of the offset (or page number) parameter.
    pub offset: String,
    /// Items per page when the page size parameter has no `maximum`.
    pub page_size: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `offset` counts items: the next page starts where the last ended.
    Offset,
    /// `offset` counts pages, from 1.
    Page,
}

impl Default for Pagination {
    fn default() -> Self {
        Pagination {
            style: PageStyle::Offset,
            limit: "limit".into(),
            offset: "offset".into(),
            page_size: 250,
        }
    }
}

/// The file settings were read from, and the line of each key.
#[derive(Debug, Clone, Default)]
pub struct SettingsSource {
    pub file: String,
    /// Dotted key (`rename.types."Source-2"`) → line, 1-based.
    pub lines: BTreeMap<String, usize>,
}

/// The dotted key of entry `name` of table `table` (`rename.types."Source-2"`), as in
/// [`SettingsSource::lines`].
pub(crate) fn key(table: &str, name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        format!("{table}.{name}")
    } else {
        format!("{table}.{name:?}")
    }
}

impl Settings {
    /// The error for setting `key` (a dotted key, as in [`SettingsSource::lines`]).
    pub(crate) fn error(&self, key: &str, message: impl Into<String>) -> Error {
        match &self.source {
            Some(src) => {
                let at = match src.lines.get(key) {
                    Some(line) => format!("line {line}, `{key}`"),
                    None => format!("`{key}`"),
                };
                Error::new(&src.file, at, message)
            }
            None => Error::new("settings", format!("`{key}`"), message),
        }
    }

    /// Read `codegen.toml`-style settings; `file` names the file in errors.
    pub fn from_toml(file: &str, text: &str) -> Result<Settings, Error> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let raw: RawSettings = toml::from_str(text).map_err(|e| {
            let at = match e.span() {
                Some(span) => format!("line {}", line_of(span.start)),
                None => "the top level".to_string(),
            };
            Error::new(file, at, e.message().trim().to_string())
        })?;
        let mut source = SettingsSource {
            file: file.to_string(),
            lines: BTreeMap::new(),
        };
        let mut note = |key: String, span: std::ops::Range<usize>| {
            source.lines.insert(key, line_of(span.start));
        };
        let fail = |key: &str, span: std::ops::Range<usize>, msg: String| {
            Error::new(file, format!("line {}, `{key}`", line_of(span.start)), msg)
        };
        let mut settings = Settings::default();
        for (field, list, into) in [
            ("tags", raw.tags, &mut settings.tags),
            (
                "include_operations",
                raw.include_operations,
                &mut settings.include_operations,
            ),
            (
                "exclude_operations",
                raw.exclude_operations,
                &mut settings.exclude_operations,
            ),
        ] {
            for item in list.unwrap_or_default() {
                note(key(field, item.get_ref()), item.span());
                into.push(item.into_inner());
            }
        }
        if let Some(c) = raw.crate_ {
            settings.crate_name = c.name.map(|n| {
                note("crate.name".into(), n.span());
                n.into_inner()
            });
            if let Some(n) = &settings.crate_name
                && !valid_crate_name(n)
            {
                return Err(Error::new(
                    file,
                    "`crate.name`",
                    format!(
                        "`{n}` is not a package name: use ASCII letters, digits, `_` and `-`, starting with a letter"
                    ),
                ));
            }
            settings.crate_version = c.version;
            if let Some(f) = c.features {
                settings.tag_features = match f.get_ref().as_str() {
                    "per-tag" => Some(true),
                    "none" => Some(false),
                    other => {
                        return Err(fail(
                            "crate.features",
                            f.span(),
                            format!("expected \"per-tag\" or \"none\", found {other:?}"),
                        ));
                    }
                };
            }
        }
        if let Some(r) = raw.rename {
            for (k, v) in r.types.unwrap_or_default() {
                let at = key("rename.types", k.get_ref());
                if !is_type_ident(v.get_ref()) {
                    return Err(fail(
                        &at,
                        k.span(),
                        format!(
                            "`{}` is not a Rust type name (UpperCamelCase letters, digits and `_`, not a keyword)",
                            v.get_ref()
                        ),
                    ));
                }
                note(at, k.span());
                settings.rename_types.insert(k.into_inner(), v.into_inner());
            }
            for (k, v) in r.operations.unwrap_or_default() {
                let at = key("rename.operations", k.get_ref());
                if !is_method_ident(v.get_ref()) {
                    return Err(fail(
                        &at,
                        k.span(),
                        format!(
                            "`{}` is not a Rust method name (snake_case letters, digits and `_`, not a keyword)",
                            v.get_ref()
                        ),
                    ));
                }
                note(at, k.span());
                settings
                    .rename_operations
                    .insert(k.into_inner(), v.into_inner());
            }
        }
        if let Some(r) = raw.replace {
            for (k, v) in r.types.unwrap_or_default() {
                let at = key("replace.types", k.get_ref());
                if !is_path(v.get_ref()) {
                    return Err(fail(
                        &at,
                        k.span(),
                        format!("`{}` is not a Rust type path", v.get_ref()),
                    ));
                }
                note(at, k.span());
                settings
                    .replace_types
                    .insert(k.into_inner(), v.into_inner());
            }
            for (k, v) in r.formats.unwrap_or_default() {
                let at = key("replace.formats", k.get_ref());
                if !is_path(&v.ty) {
                    return Err(fail(
                        &at,
                        k.span(),
                        format!("`{}` is not a Rust type path", v.ty),
                    ));
                }
                if let Some(dep) = &v.dependency
                    && toml::from_str::<toml::Table>(dep).map_or(true, |t| t.len() != 1)
                {
                    return Err(fail(
                        &at,
                        k.span(),
                        format!(
                            "`dependency` must be one `[dependencies]` line, such as `uuid = \"1\"`; found `{dep}`"
                        ),
                    ));
                }
                note(at, k.span());
                settings.replace_formats.insert(
                    k.into_inner(),
                    FormatReplacement {
                        ty: v.ty,
                        dependency: v.dependency,
                    },
                );
            }
        }
        if let Some(d) = raw.derives {
            for derive in d.all.unwrap_or_default() {
                if !is_path(derive.get_ref()) {
                    return Err(fail(
                        "derives.all",
                        derive.span(),
                        format!("`{}` is not a derive path", derive.get_ref()),
                    ));
                }
                settings.derives.push(derive.into_inner());
            }
            for (k, v) in d.types.unwrap_or_default() {
                let at = key("derives.types", k.get_ref());
                if let Some(bad) = v.iter().find(|d| !is_path(d)) {
                    return Err(fail(&at, k.span(), format!("`{bad}` is not a derive path")));
                }
                note(at, k.span());
                settings.type_derives.insert(k.into_inner(), v);
            }
        }
        if let Some(c) = raw.client {
            if let Some(p) = c.env_prefix {
                let ok = !p.get_ref().is_empty()
                    && p.get_ref()
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                    && !p.get_ref().starts_with(|c: char| c.is_ascii_digit());
                if !ok {
                    return Err(fail(
                        "client.env_prefix",
                        p.span(),
                        format!(
                            "`{}` is not an environment variable prefix (upper-case letters, digits and `_`)",
                            p.get_ref()
                        ),
                    ));
                }
                settings.client.env_prefix = Some(p.into_inner());
            }
            if let Some(b) = c.env_base_url {
                settings.client.env_base_url_is_root = match b.get_ref().as_str() {
                    "api-root" => true,
                    "base-url" => false,
                    other => {
                        return Err(fail(
                            "client.env_base_url",
                            b.span(),
                            format!("expected \"api-root\" or \"base-url\", found {other:?}"),
                        ));
                    }
                };
            }
            if let Some(t) = c.token_url {
                let rest = t.get_ref().replace("{root}", "");
                if rest.contains(['{', '}']) {
                    return Err(fail(
                        "client.token_url",
                        t.span(),
                        format!("`{}`: the only placeholder is `{{root}}`", t.get_ref()),
                    ));
                }
                settings.client.token_url = Some(t.into_inner());
            }
            settings.client.tracking_id = c.tracking_id;
            if let Some(p) = c.pagination {
                let defaults = Pagination::default();
                let style = match p.style.as_deref() {
                    None | Some("offset") => PageStyle::Offset,
                    Some("page") => PageStyle::Page,
                    Some(other) => {
                        return Err(Error::new(
                            file,
                            "`client.pagination.style`",
                            format!("expected \"offset\" or \"page\", found {other:?}"),
                        ));
                    }
                };
                if p.page_size.is_some_and(|n| n < 1) {
                    return Err(Error::new(
                        file,
                        "`client.pagination.page_size`",
                        "expected a page size of at least 1",
                    ));
                }
                settings.client.pagination = Some(Pagination {
                    style,
                    limit: p.limit.unwrap_or(defaults.limit),
                    offset: p.offset.unwrap_or(defaults.offset),
                    page_size: p.page_size.unwrap_or(defaults.page_size),
                });
            }
        }
        settings.source = Some(source);
        Ok(settings)
    }

    /// The extra derives of a generated type.
    pub(crate) fn derives_of(&self, rust_name: &str, component: Option<&str>) -> Vec<&str> {
        let mut out: Vec<&str> = self.derives.iter().map(String::as_str).collect();
        for key in [Some(rust_name), component].into_iter().flatten() {
            if let Some(list) = self.type_derives.get(key) {
                for d in list {
                    if !out.contains(&d.as_str()) {
                        out.push(d);
                    }
                }
            }
        }
        out
    }
}

/// A Cargo package name.
pub(crate) fn valid_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn is_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::naming::is_keyword(s)
        && s != "_"
}

fn is_type_ident(s: &str) -> bool {
    is_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase())
}

fn is_method_ident(s: &str) -> bool {
    is_ident(s) && !s.chars().any(|c| c.is_ascii_uppercase())
}

fn is_path(s: &str) -> bool {
    syn::parse_str::<syn::Path>(s).is_ok()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    tags: Option<Vec<Spanned<String>>>,
    include_operations: Option<Vec<Spanned<String>>>,
    exclude_operations: Option<Vec<Spanned<String>>>,
    #[serde(rename = "crate")]
    crate_: Option<RawCrate>,
    rename: Option<RawRename>,
    replace: Option<RawReplace>,
    derives: Option<RawDerives>,
    client: Option<RawClient>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrate {
    name: Option<Spanned<String>>,
    version: Option<String>,
    features: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRename {
    types: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    operations: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReplace {
    types: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    formats: Option<BTreeMap<Spanned<String>, RawFormat>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormat {
    #[serde(rename = "type")]
    ty: String,
    dependency: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDerives {
    all: Option<Vec<Spanned<String>>>,
    types: Option<BTreeMap<Spanned<String>, Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClient {
    env_prefix: Option<Spanned<String>>,
    env_base_url: Option<Spanned<String>>,
    token_url: Option<Spanned<String>>,
    tracking_id: Option<String>,
    pagination: Option<RawPagination>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPagination {
    style: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    page_size: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Settings::from_toml("codegen.toml", text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_every_key() {
        let s = Settings::from_toml(
            "codegen.toml",
            r#"
tags = ["Sources", "Accounts"]
exclude_operations = ["importAccounts"]
[crate]
name = "my-client"
version = "1.2.3"
features = "per-tag"
[rename.types]
"Source-2" = "Source"
[rename.operations]
move = "move_account"
[replace.types]
Timestamp = "my_crate::Timestamp"
[replace.formats]
uuid = { type = "uuid::Uuid", dependency = 'uuid = { version = "1", features = ["serde"] }' }
[derives]
all = ["Eq"]
[derives.types]
DtoType = ["PartialOrd", "Ord"]
[client]
env_prefix = "SAIL"
env_base_url = "api-root"
token_url = "{root}/oauth/token"
tracking_id = "trackingId"
[client.pagination]
style = "page"
limit = "per_page"
offset = "page"
"#,
        )
        .unwrap();
        assert_eq!(s.tags, ["Sources", "Accounts"]);
        assert_eq!(s.rename_types["Source-2"], "Source");
        assert_eq!(s.replace_formats["uuid"].ty, "uuid::Uuid");
        assert_eq!(s.derives_of("DtoType", None), ["Eq", "PartialOrd", "Ord"]);
        assert!(s.tag_features == Some(true) && s.client.env_base_url_is_root);
        let p = s.client.pagination.as_ref().unwrap();
        assert_eq!(
            (p.style, p.limit.as_str(), p.page_size),
            (PageStyle::Page, "per_page", 250)
        );
        assert_eq!(s.source.as_ref().unwrap().lines["rename.types.Source-2"], 9);
        assert_eq!(
            s.error("rename.types.Source-2", "no such schema")
                .to_string(),
            "codegen.toml: at line 9, `rename.types.Source-2`: no such schema"
        );
    }

    #[test]
    fn errors_name_the_line_and_key() {
        let e = err("tags = [\"a\"]\n[rename]\ntypos = {}\n");
        assert!(
            e.starts_with("codegen.toml: at line 3: unknown field `typos`"),
            "{e}"
        );
        let e = err("[rename.types]\nFoo = \"not valid\"\n");
        assert_eq!(
            e,
            "codegen.toml: at line 2, `rename.types.Foo`: `not valid` is not a Rust type name (UpperCamelCase letters, digits and `_`, not a keyword)"
        );
        let e = err("[rename.operations]\nmove = \"Move\"\n");
        assert!(e.contains("line 2, `rename.operations.move`"), "{e}");
        let e = err("[rename.operations]\nmove = \"move\"\n");
        assert!(e.contains("not a Rust method name"), "{e}");
        let e = err("[client]\nenv_prefix = \"sail\"\n");
        assert!(e.contains("line 2, `client.env_prefix`"), "{e}");
        let e = err("[client]\ntoken_url = \"{host}/token\"\n");
        assert!(e.contains("only placeholder"), "{e}");
        let e = err("tags = 3\n");
        assert!(
            e.starts_with("codegen.toml: at line 1: invalid type"),
            "{e}"
        );
        let e =
            err("[replace.formats]\nuuid = { type = \"uuid::Uuid\", dependency = \"not toml\" }\n");
        assert!(e.contains("one `[dependencies]` line"), "{e}");
    }
}
