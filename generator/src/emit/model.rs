//! `models/{type}.rs`: one type, its docs and one line of attributes per field; the
//! codec lives apart (see [`super::codec`]).

use super::Content;
use super::doc_attrs;
use super::docs::{self, prose};
use super::printed;
use crate::ir::{Enum, Field, Struct, TypeDef, TypeKind, Union};
use crate::rust::{Plan, Scope, Ty};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn file(plan: &Plan, def: &TypeDef) -> Content {
    if let TypeKind::Struct(s) = &def.kind
        && let Some(text) = struct_text(plan, def, s)
    {
        return Content::Text(text);
    }
    Content::Tokens(file_tokens(plan, def))
}

/// The type's doc text: the schema's description and where the schema is.
fn type_doc(def: &TypeDef) -> String {
    let mut doc_text = def.doc.as_deref().map(prose).unwrap_or_default();
    if !doc_text.is_empty() {
        doc_text.push_str("\n\n");
    }
    match &def.component {
        Some(c) => doc_text.push_str(&format!(
            "Schema `{}` (`{}`).",
            docs::code(c),
            docs::code(&def.pointer)
        )),
        None => doc_text.push_str(&format!("Inline schema at `{}`.", docs::code(&def.pointer))),
    }
    doc_text
}

fn file_tokens(plan: &Plan, def: &TypeDef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = doc_attrs(&type_doc(def));
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let module_doc = format!(" The [`{}`] type.", def.name);
    let item = match &def.kind {
        TypeKind::Struct(s) => {
            let derives = plan.derives(def, struct_derives(s));
            struct_tokens(plan, &name, s, &doc, deprecated, &derives)
        }
        TypeKind::Enum(e) => {
            let derives = plan.derives(def, &["Debug", "Clone", "PartialEq", "Eq", "Hash"]);
            enum_tokens(&name, e, &doc, deprecated, &derives)
        }
        TypeKind::Union(u) => {
            let derives = plan.derives(def, &["Debug", "Clone", "PartialEq"]);
            union_tokens(plan, &name, u, &doc, deprecated, &derives)
        }
        TypeKind::Alias(t) => {
            let t = plan.types.value(t).tokens(Scope::Models, None);
            quote! {
                #(#doc)*
                #deprecated
                pub type #name = #t;
            }
        }
        TypeKind::Newtype(t) => {
            let t = plan.types.value(t).tokens(Scope::Models, None);
            let derives = plan.derives(def, &["Debug", "Clone", "PartialEq"]);
            quote! {
                #(#doc)*
                ///
                /// A list or map that contains itself, so a struct rather than a type alias.
                #deprecated
                #[derive(#(#derives),*)]
                pub struct #name(pub #t);
            }
        }
    };
    quote! {
        #![doc = #module_doc]
        #item
    }
}

fn struct_derives(s: &Struct) -> &'static [&'static str] {
    if s.derives_default() {
        &["Debug", "Clone", "PartialEq", "Default"]
    } else {
        &["Debug", "Clone", "PartialEq"]
    }
}

/// The sentence on how to build a struct, after its docs.
fn construct_doc(name: &str, s: &Struct) -> String {
    if s.derives_default() {
        " Build one with `..Default::default()`, then set fields.".to_string()
    } else {
        format!(
            " Build one with [`{name}::new`], which takes the required fields, then set the optional ones."
        )
    }
}

/// A struct's model file written as text, as `prettyplease` prints its tokens: the
/// shape is fixed (docs, derives, one line per field), and most of a crate's models are
/// structs. `None` where a line would be long enough for the printer to wrap it.
fn struct_text(plan: &Plan, def: &TypeDef, s: &Struct) -> Option<String> {
    const WIDTH: usize = 80;
    let mut out = format!("//! The [`{}`] type.\n\n", def.name);
    printed::doc_comment(&mut out, &type_doc(def), 0);
    out.push_str("///\n///");
    out.push_str(&construct_doc(&def.name, s));
    out.push('\n');
    if def.deprecated {
        out.push_str("#[deprecated]\n");
    }
    let derives: Vec<String> = plan
        .derives(def, struct_derives(s))
        .iter()
        .map(|p| quote!(#p).to_string().replace(" :: ", "::"))
        .collect();
    let derive = format!("#[derive({})]", derives.join(", "));
    if derive.len() > WIDTH || derives.iter().any(|d| d.contains(' ')) {
        return None;
    }
    out.push_str(&derive);
    out.push('\n');
    out.push_str(&format!("pub struct {} {{\n", def.name));
    let member = |out: &mut String, doc_text: &str, deprecated: bool, name: &str, ty: &str| {
        let line = format!("    pub {name}: {ty},");
        printed::doc_comment(out, doc_text, 4);
        if deprecated {
            out.push_str("    #[deprecated]\n");
        }
        out.push_str(&line);
        out.push('\n');
        line.len() <= WIDTH
    };
    let mut fits = true;
    for f in &s.fields {
        let ty = plan.types.field(f).text(Scope::Models);
        fits &= member(&mut out, &field_doc(f), f.deprecated, &f.name, &ty);
    }
    let (unknown, additional) = plan.types.extra_members(s);
    if let Some((field, t)) = additional.zip(s.additional.as_ref()) {
        let ty = Ty::Map(Box::new(plan.types.value(t))).text(Scope::Models);
        fits &= member(
            &mut out,
            "Members the schema allows beyond its properties (`additionalProperties`).",
            false,
            &field,
            &ty,
        );
    }
    let ty = Ty::Runtime("UnknownFields").text(Scope::Models);
    fits &= member(
        &mut out,
        "Members the spec does not list, kept as they came and sent back unchanged.",
        false,
        &unknown,
        &ty,
    );
    out.push_str("}\n");
    fits.then_some(out)
}

/// A field's doc text: its description, then notes on its JSON name, direction,
/// nullability and default.
fn field_doc(f: &Field) -> String {
    let mut text = f.doc.as_deref().map(prose).unwrap_or_default();
    let mut notes = Vec::new();
    if f.name != f.wire {
        notes.push(format!("JSON name: `{}`.", docs::code(&f.wire)));
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
        notes.push(format!("Defaults to `{}` when absent.", docs::code(d)));
    }
    // The notes go on the description's last line: a new field is two lines of the
    // diff, not four.
    for n in notes {
        if !text.is_empty() {
            if !text.ends_with(['.', '!', '?', ':']) {
                text.push('.');
            }
            text.push(' ');
        }
        text.push_str(&n);
    }
    text
}

fn field_tokens(plan: &Plan, f: &Field) -> TokenStream {
    let name = format_ident!("{}", f.name);
    let ty = plan.types.field(f).tokens(Scope::Models, None);
    let doc = doc_attrs(&field_doc(f));
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #(#doc)*
        #deprecated
        pub #name: #ty,
    }
}

fn struct_tokens(
    plan: &Plan,
    name: &proc_macro2::Ident,
    s: &Struct,
    doc: &[TokenStream],
    deprecated: Option<TokenStream>,
    derives: &[syn::Path],
) -> TokenStream {
    let fields: Vec<TokenStream> = s.fields.iter().map(|f| field_tokens(plan, f)).collect();
    let (unknown, additional) = plan.types.extra_members(s);
    let additional = additional.zip(s.additional.as_ref()).map(|(field, t)| {
        let field = format_ident!("{}", field);
        let t = Ty::Map(Box::new(plan.types.value(t))).tokens(Scope::Models, None);
        quote! {
            /// Members the schema allows beyond its properties (`additionalProperties`).
            pub #field: #t,
        }
    });
    let unknown = format_ident!("{}", unknown);
    let unknown_ty = Ty::Runtime("UnknownFields").tokens(Scope::Models, None);
    let construct = construct_doc(&name.to_string(), s);
    quote! {
        #(#doc)*
        ///
        #[doc = #construct]
        #deprecated
        #[derive(#(#derives),*)]
        pub struct #name {
            #(#fields)*
            #additional
            /// Members the spec does not list, kept as they came and sent back unchanged.
            pub #unknown: #unknown_ty,
        }
    }
}

fn enum_tokens(
    name: &proc_macro2::Ident,
    e: &Enum,
    doc: &[TokenStream],
    deprecated: Option<TokenStream>,
    derives: &[syn::Path],
) -> TokenStream {
    let variants = e.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let text = format!(" `{}`", docs::code(&v.wire));
        quote!(#[doc = #text] #ident,)
    });
    let catch_all = format_ident!("{}", e.catch_all);
    let unknown_ty = Ty::Runtime("UnknownValue").tokens(Scope::Models, None);
    let compat = format!(
        " Forward-compatible: a value the spec does not list decodes into [`{name}::{catch_all}`] and encodes back unchanged."
    );
    quote! {
        #(#doc)*
        ///
        #[doc = #compat]
        #deprecated
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value the spec does not list, kept as it came.
            #catch_all(#unknown_ty),
        }
    }
}

fn union_tokens(
    plan: &Plan,
    name: &proc_macro2::Ident,
    u: &Union,
    doc: &[TokenStream],
    deprecated: Option<TokenStream>,
    derives: &[syn::Path],
) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let mut ty = plan.types.value(&v.ty);
        if v.boxed {
            ty = Ty::Boxed(Box::new(ty));
        }
        let ty = ty.tokens(Scope::Models, None);
        let doc = (!v.tags.is_empty()).then(|| {
            let text = format!(
                " Selected by {}.",
                v.tags
                    .iter()
                    .map(|t| format!("`{}`", docs::code(t)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            quote!(#[doc = #text])
        });
        quote!(#doc #ident(#ty),)
    });
    let catch_all = format_ident!("{}", u.catch_all);
    let unmatched_ty = Ty::Runtime("UnmatchedValue").tokens(Scope::Models, None);
    let how = match &u.discriminator {
        Some(property) => format!(
            " The `{}` member selects the variant; a value with another tag (or none) is kept in [`{name}::{catch_all}`].",
            docs::code(property)
        ),
        None => format!(
            " Decoded as the variant that describes the value best: the first whose fields and enum values account for all of it, otherwise the one that knows most of it (earlier variants win ties); a value no variant decodes is kept in [`{name}::{catch_all}`]."
        ),
    };
    quote! {
        #(#doc)*
        ///
        #[doc = #how]
        #deprecated
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value that matches none of the variants, kept as it came.
            #catch_all(#unmatched_ty),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text path must write exactly what the printer writes for the same struct,
    /// so a model file never depends on which path made it.
    #[test]
    fn struct_text_is_what_the_printer_writes_from_the_tokens() {
        let mut compared = 0;
        super::super::for_each_fixture_plan(&crate::Settings::default(), |path, plan| {
            for def in plan.api.types.values() {
                let TypeKind::Struct(s) = &def.kind else {
                    continue;
                };
                let Some(text) = struct_text(plan, def, s) else {
                    continue;
                };
                let printed = super::super::print_tokens("m.rs", file_tokens(plan, def), "f")
                    .expect("prints");
                assert_eq!(text, printed, "{path}: {}", def.name);
                compared += 1;
            }
        });
        assert!(compared > 100, "only {compared} structs compared");
    }
}
