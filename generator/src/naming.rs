//! Rust names for spec names: case conversion with `heck`, made keyword-safe and valid
//! identifiers. Uniqueness within a scope is the caller's job ([`Namer`]).

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust keywords (strict and reserved, all editions) that cannot be used as plain
/// identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Self",
];

/// Type names that would shadow the prelude or std types used by generated code.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Fn",
    "Iterator",
    "Into",
    "From",
];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Keep only characters valid in an identifier, turning others into word breaks.
fn clean(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` type or variant name. Never empty; never starts with a digit; never
/// a keyword or a prelude type name.
pub fn type_name(raw: &str) -> String {
    let mut s = camel(raw);
    if RESERVED_TYPES.contains(&s.as_str()) || is_keyword(&s) {
        s.push_str("Model");
    }
    s
}

/// `UpperCamelCase` enum variant name. Variants live in their enum's namespace, so only
/// `Self` needs avoiding.
pub fn variant_name(raw: &str) -> String {
    let mut s = camel(raw);
    if s == "Self" {
        s.push_str("Value");
    }
    s
}

fn camel(raw: &str) -> String {
    let mut s = clean(raw).to_upper_camel_case();
    if s.is_empty() {
        s = "Empty".to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    s
}

/// `heck`'s snake case of `s`, without running `heck` on text that already is snake
/// case (lowercase words of letters and digits, joined by single underscores), which it
/// returns unchanged. Names are compared in this form many times over, mostly on
/// names that are already snake case.
pub fn snake_case(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !s.starts_with('_')
        && !s.ends_with('_')
        && !s.contains("__");
    if plain {
        s.to_string()
    } else {
        s.to_snake_case()
    }
}

/// `snake_case` field, parameter or method name, keyword-safe (`type` → `type_`).
pub fn snake_name(raw: &str) -> String {
    let mut s = snake_case(&clean(raw));
    if s.is_empty() {
        s = "value".to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, "n_");
    }
    if is_keyword(&s) || s == "_" {
        s.push('_');
    }
    s
}

/// Hands out names unique within one scope, in the order asked, by appending `2`, `3`,
/// ... (or `_2`, `_3`, ... for snake case). Uniqueness is checked on the snake-case form
/// so that names mapping to the same file name (`ABC` / `Abc`) also stay apart.
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Mark `name` as used without claiming it (for names the scope reserves).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(snake_case(name));
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(&snake_case(name))
    }

    /// `base`, or `base` with the smallest numeric suffix that is still free.
    pub fn unique(&mut self, base: &str, snake: bool) -> String {
        let mut candidate = base.to_string();
        let mut key = snake_case(&candidate);
        let mut n = 2;
        while self.taken.contains(&key) {
            candidate = if snake && !base.ends_with('_') {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            key = snake_case(&candidate);
            n += 1;
        }
        self.taken.insert(key);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut gives what `heck` gives, on text near snake case and on any text.
        #[test]
        fn snake_case_is_heck(near in "[a-z0-9_]{0,12}", any in "\\PC{0,12}") {
            prop_assert_eq!(snake_case(&near), near.to_snake_case());
            prop_assert_eq!(snake_case(&any), any.to_snake_case());
        }
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("ErrorMessageDtoList-2"), "ErrorMessageDtoList2");
        assert_eq!(
            type_name("ACCOUNT_CORRELATION_CONFIG"),
            "AccountCorrelationConfig"
        );
        assert_eq!(type_name("sp:scopes:all"), "SpScopesAll");
        assert_eq!(type_name("2fa"), "V2fa");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("String"), "StringModel");
        assert_eq!(type_name("type"), "Type");
        assert_eq!(type_name("self"), "SelfModel");
        assert_eq!(variant_name("DEFAULT"), "Default");
        assert_eq!(variant_name("self"), "SelfValue");
        assert_eq!(variant_name("in-progress"), "InProgress");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("ref"), "ref_");
        assert_eq!(snake_name("move"), "move_");
        assert_eq!(snake_name("displayName"), "display_name");
        assert_eq!(
            snake_name("X-SailPoint-Experimental"),
            "x_sail_point_experimental"
        );
        assert_eq!(snake_name("$ref"), "ref_");
        assert_eq!(snake_name("3d"), "n_3d");
        assert_eq!(snake_name("@@"), "value");
        assert_eq!(snake_name("self"), "self_");
    }

    #[test]
    fn namer_suffixes_on_snake_clash() {
        let mut n = Namer::new();
        assert_eq!(n.unique("Abc", false), "Abc");
        assert_eq!(n.unique("ABC", false), "ABC2");
        assert_eq!(n.unique("foo", true), "foo");
        assert_eq!(n.unique("foo", true), "foo_2");
        assert_eq!(n.unique("ref_", true), "ref_");
        assert_eq!(n.unique("ref_", true), "ref_2");
    }
}
