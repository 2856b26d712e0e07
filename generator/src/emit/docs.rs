//! Spec prose → rustdoc attributes.
//!
//! Descriptions are CommonMark written for a web page, not for rustdoc. Rewrites keep
//! them readable and keep `cargo doc` and doctests quiet:
//! - `[text]` not followed by `(` would be an intra-doc link: the brackets are escaped;
//! - bare URLs are wrapped in `<...>`;
//! - `<` that does not start an autolink is escaped, so it is not read as an HTML tag;
//! - fenced code blocks without a language become `text` blocks and indented lines
//!   are unindented, so no description is compiled as a doctest.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes (outer), one per line of `text`, which is rustdoc
/// markdown already (spec prose goes through [`prose`] first).
pub(crate) fn doc_attrs(text: &str) -> Vec<TokenStream> {
    doc_lines(text).map(|l| quote!(#[doc = #l])).collect()
}

/// `#![doc = "..."]` attributes (inner), like [`doc_attrs`].
pub(crate) fn inner_doc_attrs(text: &str) -> Vec<TokenStream> {
    doc_lines(text).map(|l| quote!(#![doc = #l])).collect()
}

/// The lines of doc comments for `text`, each as it follows `///` (a space first,
/// unless the line is empty).
pub(crate) fn doc_lines(text: &str) -> impl Iterator<Item = String> {
    let text = clean(text);
    let lines: Vec<String> = text
        .trim_end()
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    lines.into_iter()
}

/// Text a doc comment can hold: line breaks as `\n` (a lone `\r` is not allowed in a
/// doc comment), text-direction code points (which rustc refuses in comments, as
/// they can make code read differently than it compiles) and other control characters
/// written as escapes.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}' => {
                out.push_str(&format!("\\u{{{:04X}}}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:04X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Text for inside a code span: backticks would end it.
pub(crate) fn code(text: &str) -> String {
    clean(text).replace('`', "'").replace('\n', " ")
}

/// All whitespace runs as one space.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Spec prose made safe for rustdoc (see the module docs).
pub(crate) fn prose(text: &str) -> String {
    lines(&clean(text))
        .iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The lines of the paragraph being read (indent, text): escaped together, since a
    // link or a code span may go on over a line break.
    let mut para: Vec<(usize, &str)> = Vec::new();
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            flush(&mut para, &mut out);
            if in_fence {
                in_fence = false;
                out.push(" ```".to_string());
            } else {
                in_fence = true;
                let lang = trimmed.trim_start_matches('`').trim();
                let lang = if lang.is_empty() || lang == "rust" {
                    "text"
                } else {
                    lang
                };
                out.push(format!(" ```{lang}"));
            }
            continue;
        }
        if in_fence {
            out.push(format!(" {line}"));
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut para, &mut out);
            out.push(String::new());
            continue;
        }
        para.push((line.len() - trimmed.len(), trimmed));
    }
    flush(&mut para, &mut out);
    if in_fence {
        out.push(" ```".to_string());
    }
    // Collapse runs of blank lines.
    out.dedup_by(|a, b| a.is_empty() && b.is_empty());
    out
}

/// Escape the lines of one paragraph and add them to `out`.
fn flush(para: &mut Vec<(usize, &str)>, out: &mut Vec<String>) {
    if para.is_empty() {
        return;
    }
    let text: Vec<&str> = para.iter().map(|(_, l)| *l).collect();
    let escaped = sanitize(&text.join("\n"));
    for ((indent, trimmed), l) in para.drain(..).zip(escaped.split('\n')) {
        // Keep list items' nesting readable without making an indented code block.
        if indent > 0 && (trimmed.starts_with("- ") || trimmed.starts_with("* ")) {
            out.push(format!(" {}{l}", "  ".repeat((indent / 2).min(1))));
        } else {
            out.push(format!(" {l}"));
        }
    }
}

/// Escape what rustdoc would misread in a paragraph of prose (lines joined by `\n`).
fn sanitize(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        // A code span needs its closing backtick; a lone one is text.
        if c == '`' && (in_code || chars[i + 1..].contains(&'`')) {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                // A markdown link `[text](url)` stays; anything else is escaped.
                if find_close(&chars, i).is_some_and(|close| chars.get(close + 1) == Some(&'(')) {
                    out.push('[');
                    i += 1;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => {
                if chars.get(i + 1) == Some(&'(') {
                    out.push(']');
                } else {
                    out.push_str("\\]");
                }
            }
            '<' => {
                let rest: String = chars[i + 1..].iter().collect();
                if rest.starts_with("http://") || rest.starts_with("https://") {
                    out.push('<');
                } else {
                    out.push_str("&lt;");
                }
            }
            'h' if starts_url(&chars[i..]) && !prev_is_link_start(&chars, i) => {
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ']'))
                    .map(|p| i + p)
                    .unwrap_or(chars.len());
                let mut url: String = chars[i..end].iter().collect();
                let mut tail = String::new();
                while url.ends_with(['.', ',', ';', ':']) {
                    tail.insert(0, url.pop().unwrap_or_default());
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&tail);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn find_close(chars: &[char], open: usize) -> Option<usize> {
    chars[open + 1..]
        .iter()
        .position(|c| *c == ']')
        .map(|p| open + 1 + p)
}

fn starts_url(chars: &[char]) -> bool {
    let s: String = chars.iter().take(8).collect();
    s.starts_with("http://") || s.starts_with("https://")
}

/// A URL right after `(` or `<` is already a link target.
fn prev_is_link_start(chars: &[char], i: usize) -> bool {
    i > 0 && matches!(chars[i - 1], '(' | '<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_brackets_urls_and_tags() {
        assert_eq!(
            sanitize("see [docs](https://x.y/z) and [ref]"),
            "see [docs](https://x.y/z) and \\[ref\\]"
        );
        assert_eq!(
            sanitize("at https://example.com/a."),
            "at <https://example.com/a>."
        );
        assert_eq!(sanitize("a <b> tag"), "a &lt;b> tag");
        assert_eq!(sanitize("code `[x] <y>` stays"), "code `[x] <y>` stays");
        // A lone backtick opens no code span.
        assert_eq!(sanitize("it`s [x]"), "it`s \\[x\\]");
    }

    #[test]
    fn links_and_code_spans_go_on_over_line_breaks() {
        assert_eq!(
            prose("see [Create or\nupdate a secret](https://x.y/z).\n\n[not\n\nlinked](u)"),
            "see [Create or\nupdate a secret](https://x.y/z).\n\n\\[not\n\nlinked](u)"
        );
        assert_eq!(prose("a `code\n[x]` span"), "a `code\n[x]` span");
    }

    #[test]
    fn control_and_direction_characters_are_escaped() {
        assert_eq!(clean("a\rb\r\nc"), "a\nb\nc");
        assert_eq!(clean("x\u{202E}y\u{7}"), "x\\u{202E}y\\u{0007}");
        assert_eq!(code("a`b\nc"), "a'b c");
        let attrs = doc_attrs("one\rtwo");
        assert_eq!(attrs.len(), 2);
    }

    #[test]
    fn fences_become_text() {
        let l = lines("Example:\n```\n{\"a\": 1}\n```\n    indented");
        assert_eq!(
            l,
            vec![" Example:", " ```text", " {\"a\": 1}", " ```", " indented"]
        );
    }
}
