//! Pieces of files written as text, exactly as `prettyplease` prints the same tokens.
//!
//! Printing through `syn` and `prettyplease` is most of the cost of emitting a large
//! crate, and the long regular parts of a few files (module lists, registry tables)
//! have a fixed shape. Those parts are written here as text, following the printer's
//! rules for the only constructs they hold; the tests print the same tokens and compare
//! byte for byte, so a file never depends on which path wrote it.

use proc_macro2::Literal;

/// The printer's line width: a group that does not fit is broken.
pub(super) const MARGIN: usize = 89;

/// The `///` lines of `text` at `indent`, as the printer writes the doc attributes of
/// [`docs::doc_attrs`](super::docs::doc_attrs).
pub(super) fn doc_comment(out: &mut String, text: &str, indent: usize) {
    for l in super::docs::doc_lines(text) {
        out.push_str(&" ".repeat(indent));
        out.push_str("///");
        out.push_str(&l);
        out.push('\n');
    }
}

/// A string literal as the printer writes it.
pub(super) fn str_lit(s: &str) -> String {
    Literal::string(s).to_string()
}

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", ...))]` at `indent`, one line
/// when it fits, else the list on a line of its own, else one feature per line.
pub(super) fn cfg(out: &mut String, gate: &[&str], indent: usize) {
    let pad = " ".repeat(indent);
    let features: Vec<String> = gate
        .iter()
        .map(|f| format!("feature = {}", str_lit(f)))
        .collect();
    let inner = match features.as_slice() {
        [one] => one.clone(),
        many => format!("any({})", many.join(", ")),
    };
    if indent + "#[cfg()]".len() + inner.len() <= MARGIN {
        out.push_str(&format!("{pad}#[cfg({inner})]\n"));
    } else if features.len() == 1 || indent + 4 + inner.len() <= MARGIN {
        out.push_str(&format!("{pad}#[cfg(\n{pad}    {inner}\n{pad})]\n"));
    } else {
        out.push_str(&format!("{pad}#[cfg(\n{pad}    any(\n"));
        for (i, f) in features.iter().enumerate() {
            let comma = if i + 1 < features.len() { "," } else { "" };
            out.push_str(&format!("{pad}        {f}{comma}\n"));
        }
        out.push_str(&format!("{pad}    )\n{pad})]\n"));
    }
}

/// One `name: value,` field of a struct expression at `indent` whose value is
/// `open`, `inner`, `close` (as `Some(` `"text"` `)`): on one line when it fits, else
/// `inner` on a line of its own. The last field's comma is not counted, as the printer
/// writes it only because the expression is broken.
pub(super) fn field(
    out: &mut String,
    indent: usize,
    name: &str,
    (open, inner, close): (&str, &str, &str),
    last: bool,
) {
    let pad = " ".repeat(indent);
    let line = format!("{pad}{name}: {open}{inner}{close}");
    if line.len() + usize::from(!last) <= MARGIN || open.is_empty() {
        out.push_str(&line);
        out.push_str(",\n");
    } else {
        out.push_str(&format!(
            "{pad}{name}: {open}\n{pad}    {inner},\n{pad}{close},\n"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(src: &str) -> String {
        prettyplease::unparse(&syn::parse_file(src).expect("parses"))
    }

    /// Feature lists of every shape and length around the margin, at the two indents
    /// the generated files use.
    #[test]
    fn cfg_is_what_the_printer_writes() {
        let mut compared = 0;
        for count in 1..=6 {
            for len in (1..=70).step_by(3) {
                let names: Vec<String> = (0..count)
                    .map(|i| format!("f{}_{i}", "x".repeat(len + i)))
                    .collect();
                let gate: Vec<&str> = names.iter().map(String::as_str).collect();
                let mut text = String::new();
                cfg(&mut text, &gate, 0);
                text.push_str("mod m;\n");
                assert_eq!(printed(&text), text);
                let long = format!("\"{}\"", "x".repeat(90));
                let mut text = "static S: &[&str] = &[\n".to_string();
                cfg(&mut text, &gate, 4);
                text.push_str(&format!("    {long},\n];\n"));
                assert_eq!(printed(&text), text);
                compared += 2;
            }
        }
        assert!(compared > 200);
    }

    /// A field before the last and the last one, with values around the margin.
    #[test]
    fn field_is_what_the_printer_writes() {
        for len in 40..=100 {
            let name = "T".repeat(len - 39);
            let example = format!("r#\"{}\"#", "x".repeat(len - 20));
            let mut text = "static S: &[E] = &[\n    E {\n".to_string();
            field(&mut text, 8, "kind", ("", "\"value\"", ""), false);
            field(
                &mut text,
                8,
                "round_trip",
                ("round_trip::<", &format!("models::{name}"), ">"),
                false,
            );
            field(&mut text, 8, "example", ("Some(", &example, ")"), true);
            text.push_str("    },\n];\n");
            assert_eq!(printed(&text), text, "at {len}");
        }
    }
}
