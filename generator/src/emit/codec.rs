//! `codec/{type}.rs`: the table from which a model gets its `Serialize` and
//! `Deserialize` impls (and structs their `new`), one entry per line, each wire name
//! once. See the runtime's `codec` module for the macros.
//!
//! `prettyplease` prints the body of a macro call as one wrapped paragraph, so these
//! files are written line by line here: the table's shape is fixed, and every type in
//! it is printed by the plan's type renderer ([`crate::rust::Ty::text`]).

use std::fmt::Write as _;

use crate::ir::{TypeDef, TypeKind};
use crate::rust::{Plan, Scope, Ty};
use proc_macro2::Literal;

/// A Rust string literal for `text`.
fn lit(text: &str) -> String {
    Literal::string(text).to_string()
}

pub(super) fn file(plan: &Plan, def: &TypeDef) -> String {
    let path = format!("models::{}", def.name);
    let name = lit(&def.name);
    let mut out = format!(
        "//! Encoding and decoding of `{}`.\n\nuse crate::generated::models;\n\n",
        def.name
    );
    let mut table = String::new();
    let macro_name = match &def.kind {
        TypeKind::Struct(s) => {
            let _ = writeln!(table, "    {path} as {name};");
            let (unknown, additional) = plan.types.extra_members(s);
            let groups = [
                (
                    "required",
                    s.fields
                        .iter()
                        .filter(|f| !f.optional())
                        .collect::<Vec<_>>(),
                ),
                (
                    "nullable",
                    s.fields
                        .iter()
                        .filter(|f| f.required && f.nullable)
                        .collect(),
                ),
                (
                    "optional",
                    s.fields.iter().filter(|f| !f.required).collect(),
                ),
            ];
            for (kind, fields) in groups {
                for f in fields {
                    let ty = plan.types.field_value(f).text(Scope::Operations);
                    let _ = writeln!(table, "    {kind} {}: {ty} = {};", f.name, lit(&f.wire));
                }
            }
            if let (Some(field), Some(t)) = (additional, &s.additional) {
                let ty = plan.types.value(t).text(Scope::Operations);
                let _ = writeln!(table, "    additional {field}: {ty};");
            }
            let _ = writeln!(table, "    unknown {unknown};");
            "object"
        }
        TypeKind::Enum(e) => {
            let _ = writeln!(table, "    {path} as {name}, unknown {};", e.catch_all);
            for v in &e.variants {
                let _ = writeln!(table, "    {} = {};", v.name, lit(&v.wire));
            }
            "string_enum"
        }
        TypeKind::Union(u) => {
            let variant_ty = |v: &crate::ir::UnionVariant| {
                let ty = plan.types.value(&v.ty);
                let ty = if v.boxed { Ty::Boxed(Box::new(ty)) } else { ty };
                ty.text(Scope::Operations)
            };
            match &u.discriminator {
                Some(property) => {
                    let _ = writeln!(
                        table,
                        "    {path} as {name}, tag {}, other {};",
                        lit(property),
                        u.catch_all
                    );
                    for v in &u.variants {
                        let tags: Vec<String> = v.tags.iter().map(|t| lit(t)).collect();
                        let _ = writeln!(
                            table,
                            "    {}({}) = {};",
                            v.name,
                            variant_ty(v),
                            tags.join(" | ")
                        );
                    }
                    "tagged"
                }
                None => {
                    let _ = writeln!(table, "    {path} as {name}, other {};", u.catch_all);
                    for v in &u.variants {
                        let _ = writeln!(table, "    {}({});", v.name, variant_ty(v));
                    }
                    "untagged"
                }
            }
        }
        TypeKind::Newtype(_) => {
            let _ = writeln!(table, "    {path} as {name};");
            "transparent"
        }
        TypeKind::Alias(_) => unreachable!("aliases have no codec"),
    };
    let _ = write!(out, "crate::runtime::codec::{macro_name}! {{\n{table}}}\n");
    out
}
