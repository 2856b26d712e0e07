//! `errors.rs`: the shared error enums, one per set of error statuses that some
//! operation documents, each generic over the body type of every status.
//!
//! An operation's `{Op}Error` is an alias of the enum of its statuses with its body types
//! filled in (`emit::operation`). Sharing is what keeps `cargo check` of a large API
//! fast: rustc checks a few dozen generic enums and their `ErrorBody` impls instead of
//! one enum, one derived `Debug` and `Clone` and one impl per operation, and every
//! operation with the same statuses and body types names the same type.

use super::docs::doc_attrs;
use super::operation::status_pattern;
use crate::ir::Status;
use crate::rust::Plan;
use crate::rust::method::{error_shape_part, status_label, status_variant, status_words};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `errors.rs`.
pub(super) fn file(plan: &Plan) -> TokenStream {
    let enums = plan
        .error_shapes
        .iter()
        .map(|(name, statuses)| shape(name, statuses));
    // A crate without operations has no enum to name the runtime.
    let import = (!plan.error_shapes.is_empty()).then(|| {
        quote!(
            use crate::runtime;
        )
    });
    quote! {
        //! The operations' error enums, one per set of documented error statuses, generic
        //! over each status's body type: a variant per status, decoded by its body type
        //! ([`ErrorPayload`](crate::runtime::ErrorPayload): JSON, or
        //! [`TextBody`](crate::runtime::TextBody), [`BinaryBody`](crate::runtime::BinaryBody),
        //! [`NoBody`](crate::runtime::NoBody)).
        //!
        //! Name an operation's errors by its alias, `{Op}Error` next to its method: the
        //! alias says what each status means for that operation and gives the body types,
        //! and it keeps its name when the spec adds a status, which moves it to another
        //! enum of this module. The enums are `#[non_exhaustive]`, so a `match` on one
        //! keeps compiling when that happens.

        #import

        #(#enums)*
    }
}

/// One shared enum and its `ErrorBody` impl.
fn shape(name: &str, statuses: &[Status]) -> TokenStream {
    let name = format_ident!("{}", name);
    let params: Vec<proc_macro2::Ident> = statuses
        .iter()
        .map(|s| format_ident!("B{}", error_shape_part(*s)))
        .collect();
    let variants: Vec<proc_macro2::Ident> = statuses
        .iter()
        .map(|s| format_ident!("{}", status_variant(*s)))
        .collect();
    let defs = statuses
        .iter()
        .zip(&variants)
        .zip(&params)
        .map(|((s, v), b)| {
            let doc = doc_attrs(&format!("{}.", error_status_label(*s)));
            quote!(#(#doc)* #v(#b),)
        });
    let listed = statuses
        .iter()
        .map(|s| format!("`{}`", status_label(*s)))
        .collect::<Vec<_>>();
    let doc = if statuses.is_empty() {
        "The errors of an operation that documents no error status: every error status \
         gives [`runtime::Error::Api`] without a typed body."
            .to_string()
    } else {
        let (noun, their) = if statuses.len() == 1 {
            ("status", "a variant for it, holding its body")
        } else {
            ("statuses", "one variant per status, holding its body")
        };
        let mut doc = format!(
            "The errors of an operation that documents the error {noun} {}: {their} (of \
             the type parameter named after the status).",
            words_list(&listed)
        );
        if !statuses.contains(&Status::Default) {
            doc.push_str(" Another status gives [`runtime::Error::Api`] without a typed body.");
        }
        doc
    };
    let doc = doc_attrs(&doc);
    let generics = (!params.is_empty()).then(|| quote!(<#(#params),*>));
    let bounds = (!params.is_empty()).then(|| quote!(where #(#params: runtime::ErrorPayload),*));
    let from_response = match statuses {
        [] => None,
        [Status::Default] => {
            let v = &variants[0];
            Some(quote! {
                fn from_response(resp: runtime::RawResponse) -> runtime::Error<Self> {
                    resp.error_body(Self::#v)
                }
            })
        }
        _ => {
            let arms = statuses.iter().zip(&variants).map(|(s, v)| {
                let pat = status_pattern(*s);
                quote!(#pat => resp.error_body(Self::#v),)
            });
            let unexpected =
                (!statuses.contains(&Status::Default)).then(|| quote!(_ => resp.unexpected(),));
            Some(quote! {
                fn from_response(resp: runtime::RawResponse) -> runtime::Error<Self> {
                    match resp.status() {
                        #(#arms)*
                        #unexpected
                    }
                }
            })
        }
    };
    // No `PartialEq`: errors are matched, not compared (`runtime::Error` is not
    // `PartialEq` either).
    quote! {
        #(#doc)*
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name #generics {
            #(#defs)*
        }

        impl #generics runtime::ErrorBody for #name #generics #bounds {
            #from_response
        }
    }
}

/// An error status in words: `404 (Not Found)`, `Any other 4XX`.
fn error_status_label(status: Status) -> String {
    match status {
        Status::Code(c) => format!("{c} ({})", status_words(&status_variant(status))),
        Status::Range(r) => format!("Any other {r}XX"),
        Status::Default => "Any status not listed above (`default`)".to_string(),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn words_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
