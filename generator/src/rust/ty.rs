//! Rust types as structured values, rendered for each place they are written.
//!
//! One renderer for every context: a struct field in `models/`, a codec table in
//! `codec/`, an argument or `Params` field in `operations/`, and the type text of
//! `surface.json`. Decisions (is it `Copy`, are two success types the same, does a
//! file name a model) are made on these values, never on printed tokens.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// A Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Ty {
    Unit,
    Bool,
    I32,
    I64,
    F64,
    String,
    /// `str`, behind a reference.
    Str,
    DateTime,
    Date,
    /// `runtime::Bytes`.
    Bytes,
    /// `serde_json::Value`.
    Value,
    /// A generated model, by name.
    Model(String),
    /// A type of the operation's own module (`{Op}Params`, `{Op}Form`, `{Op}Success`,
    /// `{Op}Error`).
    Local(String),
    /// A type of the runtime (`UnknownFields`, `UnknownValue`, `UnmatchedValue`).
    Runtime(&'static str),
    /// A Rust path the settings put in place of a schema or format (`uuid::Uuid`).
    Path(String),
    Vec(Box<Ty>),
    /// `[T]`, behind a reference.
    Slice(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    Option(Box<Ty>),
    Boxed(Box<Ty>),
    /// `&T`, with the lifetime the context gives.
    Ref(Box<Ty>),
}

/// Where a type is written, which decides how models and the runtime are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// In `models/`: sibling models are `super::X`, the runtime `crate::runtime`.
    Models,
    /// In `codec/` and `operations/`: `models::X` and `runtime::X`, with
    /// `use crate::generated::models;` and `use crate::runtime;`.
    Operations,
}

impl Ty {
    pub(crate) fn option(self) -> Ty {
        Ty::Option(Box::new(self))
    }

    pub(crate) fn reference(self) -> Ty {
        Ty::Ref(Box::new(self))
    }

    /// Whether a value of the type is passed by value (cheap to copy).
    pub(crate) fn is_copy(&self) -> bool {
        matches!(
            self,
            Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::DateTime | Ty::Date | Ty::Unit
        )
    }

    /// Whether the type mentions a generated model.
    pub(crate) fn names_model(&self) -> bool {
        match self {
            Ty::Model(_) => true,
            Ty::Vec(t) | Ty::Slice(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) | Ty::Ref(t) => {
                t.names_model()
            }
            _ => false,
        }
    }

    /// The type's tokens in `scope`; references get `lifetime` (`'a`) when given.
    pub(crate) fn tokens(&self, scope: Scope, lifetime: Option<&str>) -> TokenStream {
        let inner = |t: &Ty| t.tokens(scope, lifetime);
        match self {
            Ty::Unit => quote!(()),
            Ty::Bool => quote!(bool),
            Ty::I32 => quote!(i32),
            Ty::I64 => quote!(i64),
            Ty::F64 => quote!(f64),
            Ty::String => quote!(String),
            Ty::Str => quote!(str),
            Ty::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
            Ty::Date => quote!(chrono::NaiveDate),
            Ty::Value => quote!(serde_json::Value),
            Ty::Bytes | Ty::Runtime(_) => {
                let name = match self {
                    Ty::Runtime(n) => format_ident!("{}", n),
                    _ => format_ident!("Bytes"),
                };
                match scope {
                    Scope::Models => quote!(crate::runtime::#name),
                    Scope::Operations => quote!(runtime::#name),
                }
            }
            Ty::Model(n) => {
                let id = format_ident!("{}", n);
                match scope {
                    Scope::Models => quote!(super::#id),
                    Scope::Operations => quote!(models::#id),
                }
            }
            Ty::Local(n) => {
                let id = format_ident!("{}", n);
                quote!(#id)
            }
            // Checked to be a path when the settings were read.
            Ty::Path(p) => syn::parse_str::<syn::Path>(p)
                .map_or_else(|_| quote!(serde_json::Value), |p| quote!(#p)),
            Ty::Vec(t) => {
                let t = inner(t);
                quote!(Vec<#t>)
            }
            Ty::Slice(t) => {
                let t = inner(t);
                quote!([#t])
            }
            Ty::Map(t) => {
                let t = inner(t);
                quote!(std::collections::BTreeMap<String, #t>)
            }
            Ty::Option(t) => {
                let t = inner(t);
                quote!(Option<#t>)
            }
            Ty::Boxed(t) => {
                let t = inner(t);
                quote!(Box<#t>)
            }
            Ty::Ref(t) => {
                let t = inner(t);
                match lifetime {
                    Some(l) => {
                        let l = syn::Lifetime::new(l, proc_macro2::Span::call_site());
                        quote!(&#l #t)
                    }
                    None => quote!(&#t),
                }
            }
        }
    }

    /// The type as Rust source text in `scope`, formatted as rustfmt would
    /// (`Vec<models::X>`), for the codec tables.
    pub(crate) fn text(&self, scope: Scope) -> String {
        match self {
            Ty::Unit => "()".into(),
            Ty::Bool => "bool".into(),
            Ty::I32 => "i32".into(),
            Ty::I64 => "i64".into(),
            Ty::F64 => "f64".into(),
            Ty::String => "String".into(),
            Ty::Str => "str".into(),
            Ty::DateTime => "chrono::DateTime<chrono::FixedOffset>".into(),
            Ty::Date => "chrono::NaiveDate".into(),
            Ty::Value => "serde_json::Value".into(),
            Ty::Bytes => runtime_text(scope, "Bytes"),
            Ty::Runtime(n) => runtime_text(scope, n),
            Ty::Model(n) => match scope {
                Scope::Models => format!("super::{n}"),
                Scope::Operations => format!("models::{n}"),
            },
            Ty::Local(n) | Ty::Path(n) => n.clone(),
            Ty::Vec(t) => format!("Vec<{}>", t.text(scope)),
            Ty::Slice(t) => format!("[{}]", t.text(scope)),
            Ty::Map(t) => format!("std::collections::BTreeMap<String, {}>", t.text(scope)),
            Ty::Option(t) => format!("Option<{}>", t.text(scope)),
            Ty::Boxed(t) => format!("Box<{}>", t.text(scope)),
            Ty::Ref(t) => format!("&{}", t.text(scope)),
        }
    }

    /// The type as `surface.json` writes it: models by bare name, `Option<T>`,
    /// `DateTime<FixedOffset>`, `BTreeMap<String, T>`.
    pub(crate) fn surface(&self) -> String {
        match self {
            Ty::Unit => "()".into(),
            Ty::DateTime => "DateTime<FixedOffset>".into(),
            Ty::Date => "NaiveDate".into(),
            Ty::Bytes => "Bytes".into(),
            Ty::Model(n) | Ty::Local(n) | Ty::Path(n) => n.clone(),
            Ty::Runtime(n) => (*n).to_string(),
            Ty::Vec(t) => format!("Vec<{}>", t.surface()),
            Ty::Slice(t) => format!("[{}]", t.surface()),
            Ty::Map(t) => format!("BTreeMap<String, {}>", t.surface()),
            Ty::Option(t) => format!("Option<{}>", t.surface()),
            Ty::Boxed(t) => format!("Box<{}>", t.surface()),
            Ty::Ref(t) => format!("&{}", t.surface()),
            other => other.text(Scope::Operations),
        }
    }
}

fn runtime_text(scope: Scope, name: &str) -> String {
    match scope {
        Scope::Models => format!("crate::runtime::{name}"),
        Scope::Operations => format!("runtime::{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_per_scope() {
        let t = Ty::Map(Box::new(Ty::Vec(Box::new(Ty::Model("Foo".into()))))).option();
        assert_eq!(
            t.text(Scope::Models),
            "Option<std::collections::BTreeMap<String, Vec<super::Foo>>>"
        );
        assert_eq!(t.surface(), "Option<BTreeMap<String, Vec<Foo>>>");
        let r = Ty::Slice(Box::new(Ty::Model("Foo".into()))).reference();
        assert_eq!(
            r.tokens(Scope::Operations, Some("'a")).to_string(),
            "& 'a [models :: Foo]"
        );
        assert!(r.names_model());
        assert!(!Ty::Runtime("UnknownFields").names_model());
    }
}
