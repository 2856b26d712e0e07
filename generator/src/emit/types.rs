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

/// The Rust type of a struct field: `Box` when recursive, `Option` when optional.
fn field_type(f: &Field) -> TokenStream {
    let mut ty = type_tokens(&f.ty, Ctx::Models);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.optional() {
        ty = quote!(Option<#ty>);
    }
    ty
}

fn field_tokens(f: &Field) -> TokenStream {
    let name = format_ident!("{}", f.name);
    let ty = field_type(f);
    let mut text = f.doc.as_deref().map(prose).unwrap_or_default();
    let mut notes = Vec::new();
    if f.name != f.wire {
        notes.push(format!("JSON name: `{}`.", f.wire));
    }
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
        (field, type_tokens(t, Ctx::Models))
    });
    let additional_field = additional.as_ref().map(|(field, t)| {
        quote! {
            /// Properties not listed in the schema, kept as they came.
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
    // The impl names the struct: allowed to, when the struct itself is deprecated.
    let deprecated_allow =
        (deprecated.is_some() && allow_deprecated.is_none()).then(|| quote!(#[allow(deprecated)]));
    let allow = quote!(#allow_deprecated #deprecated_allow);
    let deserialize = deserialize_tokens(name, s, additional.as_ref(), &allow);
    let serialize_body = serialize_struct_body(name, s, additional.as_ref().map(|(f, _)| f));
    quote! {
        use crate::runtime::{de, ser};

        #(#doc)*
        #deprecated
        #allow_deprecated
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
            #additional_field
        }

        #allow
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize_body
            }
        }

        #deserialize
    }
}

/// The body of a struct's `Serialize::serialize`: one `ser::StructWriter`
/// call per field. See that module for why structs do not derive `Serialize`.
fn serialize_struct_body(
    name: &proc_macro2::Ident,
    s: &Struct,
    additional: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let n_required = s.fields.iter().filter(|f| !f.optional()).count();
    let required = Literal::usize_unsuffixed(n_required);
    let present: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| f.optional())
        .map(|f| {
            let field = format_ident!("{}", f.name);
            quote!(self.#field.is_some())
        })
        .collect();
    let count = quote!(ser::count_present(&[#(#present),*]));
    let len = match (n_required > 0, present.is_empty()) {
        (_, true) => quote!(#required),
        (false, false) => count,
        (true, false) => quote!(#required + #count),
    };
    let start = match additional {
        Some(field) => quote! {
            ser::StructWriter::with_additional(serializer, #len + self.#field.len())
        },
        None => {
            let type_name = Literal::string(&name.to_string());
            quote!(ser::StructWriter::new(serializer, #type_name, #len))
        }
    };
    let writes = s.fields.iter().map(|f| {
        let field = format_ident!("{}", f.name);
        let wire = Literal::string(&f.wire);
        if f.optional() {
            quote!(out.optional(#wire, &self.#field);)
        } else {
            quote!(out.field(#wire, &self.#field);)
        }
    });
    let rest = additional.map(|field| quote!(out.additional(&self.#field);));
    let binding = if s.fields.is_empty() && additional.is_none() {
        quote!(let out)
    } else {
        quote!(let mut out)
    };
    quote! {
        #binding = #start;
        #(#writes)*
        #rest
        out.end()
    }
}

/// A struct's `Deserialize` impl, through `crate::runtime::de` (see that module for why
/// structs do not derive it): a `StructFields` type with one slot per field. A struct
/// whose fields are all optional is its own `StructFields`; otherwise a `Fields` type
/// inside `deserialize` holds the slots until the required fields are checked.
fn deserialize_tokens(
    name: &proc_macro2::Ident,
    s: &Struct,
    additional: Option<&(proc_macro2::Ident, TokenStream)>,
    allow: &TokenStream,
) -> TokenStream {
    let own_slots = s.derives_default();
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut inits = Vec::new();
    for f in &s.fields {
        let field = format_ident!("{}", f.name);
        let ty = field_type(f);
        let wire = Literal::string(&f.wire);
        if own_slots {
            arms.push(quote!(#wire => de::optional(&mut self.#field, key, map),));
            continue;
        }
        slots.push(quote!(#field: Option<#ty>,));
        arms.push(quote!(#wire => de::slot(&mut self.#field, key, map),));
        inits.push(if f.optional() {
            // Absent and `null` are both `None`.
            quote!(#field: self.#field.flatten(),)
        } else {
            quote!(#field: de::required(self.#field, #wire)?,)
        });
    }
    let fallback = match additional {
        Some((field, t)) => {
            slots.push(quote!(#field: std::collections::BTreeMap<String, #t>,));
            inits.push(quote!(#field: self.#field,));
            quote!(de::additional(&mut self.#field, key, map))
        }
        None => quote!(de::skip(map)),
    };
    let key = if arms.is_empty() && additional.is_none() {
        format_ident!("_key")
    } else {
        format_ident!("key")
    };
    let dispatch = if arms.is_empty() {
        fallback
    } else {
        quote! {
            match key {
                #(#arms)*
                _ => #fallback,
            }
        }
    };
    let type_name = Literal::string(&name.to_string());
    let wires = s.fields.iter().map(|f| Literal::string(&f.wire));
    let consts = quote! {
        const NAME: &'static str = #type_name;
        const FIELDS: &'static [&'static str] = &[#(#wires),*];
        fn field<A: serde::de::MapAccess<'de>>(&mut self, #key: &str, map: &mut A) -> Result<(), A::Error> {
            #dispatch
        }
    };
    if own_slots {
        return quote! {
            #allow
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    de::deserialize_struct::<D, Self>(deserializer)
                }
            }

            #allow
            #[doc(hidden)]
            impl<'de> de::StructFields<'de> for #name {
                type Output = Self;
                #consts
                fn finish<E: serde::de::Error>(self) -> Result<Self, E> {
                    Ok(self)
                }
            }
        };
    }
    quote! {
        #allow
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[derive(Default)]
                struct Fields {
                    #(#slots)*
                }
                impl<'de> de::StructFields<'de> for Fields {
                    type Output = super::#name;
                    #consts
                    fn finish<E: serde::de::Error>(self) -> Result<super::#name, E> {
                        Ok(super::#name {
                            #(#inits)*
                        })
                    }
                }
                de::deserialize_struct::<D, Fields>(deserializer)
            }
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
                match Self::from(s.as_str()) {
                    Self::#catch_all(_) => Self::#catch_all(s),
                    known => known,
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
