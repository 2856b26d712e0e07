//! One file per type under `models/`.

use super::docs::prose;
use super::{Ctx, doc_attrs, type_tokens};
use crate::ir::{Api, Enum, Field, Struct, TypeDef, TypeKind, Union};
use crate::naming::Namer;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

pub(super) fn type_file(_api: &Api, def: &TypeDef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let mut doc_text = def.doc.as_deref().map(prose).unwrap_or_default();
    if !doc_text.is_empty() {
        doc_text.push_str("\n\n");
    }
    match &def.component {
        Some(c) => doc_text.push_str(&format!("Schema `{c}` (`{}`).", def.pointer)),
        None => doc_text.push_str(&format!("Inline schema at `{}`.", def.pointer)),
    }
    let doc = doc_attrs(&doc_text);
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    match &def.kind {
        TypeKind::Struct(s) => struct_tokens(&name, s, &doc, deprecated),
        TypeKind::Enum(e) => enum_tokens(&name, e, &doc, deprecated),
        TypeKind::Union(u) => union_tokens(&name, u, &doc, deprecated),
        TypeKind::Alias(t) => {
            let t = type_tokens(t, Ctx::Models);
            quote! {
                #(#doc)*
                #deprecated
                pub type #name = #t;
            }
        }
    }
}

fn field_tokens(f: &Field) -> TokenStream {
    let name = format_ident!("{}", f.name);
    let mut ty = type_tokens(&f.ty, Ctx::Models);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.optional() {
        ty = quote!(Option<#ty>);
    }
    let mut serde_args = Vec::new();
    if f.name != f.wire {
        let wire = &f.wire;
        serde_args.push(quote!(rename = #wire));
    }
    if !f.required {
        serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    let mut text = f.doc.as_deref().map(prose).unwrap_or_default();
    let mut notes = Vec::new();
    if f.read_only {
        notes.push("Read-only: set by the server, ignored in requests.".to_string());
    }
    if f.write_only {
        notes.push("Write-only: sent in requests, never returned.".to_string());
    }
    if f.required && f.nullable {
        notes.push("Required, but may be `null`.".to_string());
    }
    if let Some(d) = &f.default {
        notes.push(format!("Defaults to `{d}` when absent."));
    }
    for n in notes {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&n);
    }
    let doc = doc_attrs(&text);
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #(#doc)*
        #deprecated
        #serde_attr
        pub #name: #ty,
    }
}

fn struct_tokens(
    name: &proc_macro2::Ident,
    s: &Struct,
    doc: &[TokenStream],
    deprecated: Option<TokenStream>,
) -> TokenStream {
    let fields: Vec<TokenStream> = s.fields.iter().map(field_tokens).collect();
    let mut names = Namer::new();
    for f in &s.fields {
        names.reserve(&f.name);
    }
    let additional = s.additional.as_ref().map(|t| {
        let field = format_ident!("{}", names.unique("additional_properties", true));
        let t = type_tokens(t, Ctx::Models);
        quote! {
            /// Properties not listed in the schema, kept as they came.
            #[serde(flatten)]
            pub #field: std::collections::BTreeMap<String, #t>,
        }
    });
    let all_optional = s.derives_default();
    let default = all_optional.then(|| quote!(Default,));
    let allow_deprecated = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #(#doc)*
        #deprecated
        #allow_deprecated
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn enum_tokens(
    name: &proc_macro2::Ident,
    e: &Enum,
    doc: &[TokenStream],
    deprecated: Option<TokenStream>,
) -> TokenStream {
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let wires: Vec<Literal> = e
        .variants
        .iter()
        .map(|v| Literal::string(&v.wire))
        .collect();
    let variant_docs: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!(" `{}`", v.wire))
        .collect();
    let catch_all = format_ident!("{}", e.catch_all);
    let compat = format!(" [`{name}::{catch_all}`] and encodes back unchanged.");
    quote! {
        #(#doc)*
        ///
        /// Forward-compatible: a value not listed in the spec decodes into
        #[doc = #compat]
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value the spec did not list, kept verbatim.
            #catch_all(String),
        }

        impl #name {
            /// The values listed in the spec.
            pub const KNOWN: &'static [Self] = &[#(Self::#variants),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#catch_all(s) => s.as_str(),
                }
            }

            /// Whether the value is one the spec lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::#catch_all(_))
            }
        }

        impl From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #( #wires => Self::#variants, )*
                    other => Self::#catch_all(other.to_string()),
                }
            }
        }

        impl From<String> for #name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    #( #wires => Self::#variants, )*
                    _ => Self::#catch_all(s),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn union_tokens(
    name: &proc_macro2::Ident,
    u: &Union,
    doc: &[TokenStream],
    deprecated: Option<TokenStream>,
) -> TokenStream {
    let variant_defs: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let vn = format_ident!("{}", v.name);
            let mut t = type_tokens(&v.ty, Ctx::Models);
            if v.boxed {
                t = quote!(Box<#t>);
            }
            let doc = (!v.tags.is_empty()).then(|| {
                let text = format!(
                    " Selected by {}.",
                    v.tags
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                quote!(#[doc = #text])
            });
            quote!(#doc #vn(#t),)
        })
        .collect();
    let catch_all = format_ident!("{}", u.catch_all);
    let tagged = u
        .discriminator
        .as_ref()
        .filter(|_| u.variants.iter().all(|v| !v.tags.is_empty()));
    let Some(property) = tagged else {
        let fallback = format!(" [`{name}::{catch_all}`].");
        return quote! {
            #(#doc)*
            ///
            /// Decoded by trying each variant in order; a value that matches none is kept in
            #[doc = #fallback]
            #deprecated
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#variant_defs)*
                /// A value that matches none of the variants, kept as it came.
                #catch_all(serde_json::Value),
            }
        };
    };
    // Internally tagged: the discriminator property (a field of every variant's schema)
    // selects the variant; an unknown or missing tag keeps the value in the catch-all.
    let text = format!(
        " The `{property}` property selects the variant; a value with another tag is kept in [`{name}::{catch_all}`]."
    );
    let variant_names: Vec<proc_macro2::Ident> = u
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let arms: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let vn = format_ident!("{}", v.name);
            let tags = v.tags.iter().map(|t| Literal::string(t));
            let wrap = if v.boxed { quote!(|v| Self::#vn(Box::new(v))) } else { quote!(Self::#vn) };
            quote!(#(Some(#tags))|* => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),)
        })
        .collect();
    quote! {
        #(#doc)*
        ///
        #[doc = #text]
        #deprecated
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variant_defs)*
            /// A value whose tag is none of the above, kept as it came.
            #catch_all(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variant_names(v) => v.serialize(serializer), )*
                    Self::#catch_all(v) => v.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    _ => Ok(Self::#catch_all(value)),
                }
            }
        }
    }
}
