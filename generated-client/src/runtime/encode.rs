//! Percent-encoding of path segments and query strings, and bounded body
//! snippets for error messages.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::runtime::error::SerializeError;

/// Everything except the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment.
///
/// Every byte except the unreserved characters `A-Z a-z 0-9 - . _ ~` is
/// encoded, so `/`, `?`, `#`, `%` and space cannot change the structure of
/// the URL:
///
/// ```text
/// encode_path("a/b?c#d e%") == "a%2Fb%3Fc%23d%20e%25"
/// ```
///
/// A segment that is exactly `.` or `..` is still a dot-segment to URL parsers
/// (WHATWG URL rules apply to the encoded forms too): generated code uses
/// [`path_param`], which refuses them.
pub fn encode_path(segment: &str) -> String {
    utf8_percent_encode(segment, COMPONENT).to_string()
}

/// The text of path parameter `name` of operation `op`, percent-encoded for the URL.
///
/// An empty value, `.` and `..` are refused: URL parsers treat the last two as
/// dot-segments even when encoded, and an empty one collapses the path, so each would
/// send the request to a different endpoint (`DELETE /sources/{id}/schemas/..` is
/// `DELETE /sources/{id}/`).
pub fn path_param(
    op: &'static str,
    name: &'static str,
    value: &str,
) -> Result<String, SerializeError> {
    match value {
        "" | "." | ".." => Err(SerializeError::new(
            op,
            format!("path parameter `{name}` is {value:?}, which would address another endpoint"),
        )),
        _ => Ok(encode_path(value)),
    }
}

/// A non-scalar parameter or form value of operation `op`, as JSON text.
pub fn json_text<T: serde::Serialize + ?Sized>(
    op: &'static str,
    name: &'static str,
    value: &T,
) -> Result<String, SerializeError> {
    serde_json::to_string(value).map_err(|e| {
        SerializeError::with_source(op, format!("`{name}` could not be encoded as JSON"), e)
    })
}

/// Appends `name=value` (both percent-encoded, space as `%20`) to a query
/// string under construction.
pub(crate) fn push_query_pair(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.extend(utf8_percent_encode(name, COMPONENT));
    query.push('=');
    query.extend(utf8_percent_encode(value, COMPONENT));
}

/// At most `max_bytes` of `body` as text: cut at a character boundary,
/// invalid UTF-8 replaced by U+FFFD, `…` appended when cut.
pub(crate) fn snippet(body: &[u8], max_bytes: usize) -> String {
    if body.len() <= max_bytes {
        return String::from_utf8_lossy(body).into_owned();
    }
    let mut end = max_bytes;
    // Do not split a multi-byte UTF-8 sequence: back up over continuation bytes.
    while end > 0 && end > max_bytes.saturating_sub(3) && (body[end] & 0b1100_0000) == 0b1000_0000 {
        end -= 1;
    }
    let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
    text.push('…');
    text
}

/// Like [`snippet`] but limited to `max_chars` characters and on one line
/// (control characters become spaces), for `Display` output.
pub(crate) fn one_line(body: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut chars = text.trim().chars();
    for c in chars.by_ref().take(max_chars) {
        out.push(if c.is_control() { ' ' } else { c });
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments() {
        assert_eq!(encode_path("a/b?c#d e%"), "a%2Fb%3Fc%23d%20e%25");
        assert_eq!(encode_path("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_path("é+&="), "%C3%A9%2B%26%3D");
    }

    #[test]
    fn query_pairs() {
        let mut q = String::new();
        push_query_pair(&mut q, "filters", "name eq \"a&b\"");
        push_query_pair(&mut q, "count", "true");
        assert_eq!(q, "filters=name%20eq%20%22a%26b%22&count=true");
    }

    #[test]
    fn snippets_are_bounded_and_cut_on_char_boundaries() {
        assert_eq!(snippet(b"short", 512), "short");
        let long = "é".repeat(300); // 600 bytes
        let s = snippet(long.as_bytes(), 511);
        assert!(s.ends_with('…'));
        assert!(!s.contains('\u{FFFD}'));
        assert!(s.len() <= 511 + '…'.len_utf8());
        assert_eq!(one_line(b"  a\nb  ", 10), "a b");
        assert_eq!(one_line(b"abcdef", 3), "abc…");
    }
}
