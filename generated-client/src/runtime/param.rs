//! Parameters on the wire, as OpenAPI's `style` and `explode` say.
//!
//! A parameter value of any type is first flattened with a serde serializer
//! into what a URL or header can hold: nothing (`None`), one scalar, a list of
//! scalars or an object of scalar members. Scalars are written bare: strings
//! without quotes, enums and `oneOf` values as the string or number they
//! encode to, numbers and booleans as JSON writes them, dates as RFC 3339.
//! The flat value is then laid out per style:
//!
//! | style | `explode` | scalar | list `[a, b]` | object `{k: v, l: w}` |
//! | --- | --- | --- | --- | --- |
//! | `simple` (path, header) | false | `a` | `a,b` | `k,v,l,w` |
//! | `simple` | true | `a` | `a,b` | `k=v,l=w` |
//! | `label` | false / true | `.a` | `.a,b` / `.a.b` | `.k,v,l,w` / `.k=v.l=w` |
//! | `matrix` | false / true | `;id=a` | `;id=a,b` / `;id=a;id=b` | `;id=k,v,l,w` / `;k=v;l=w` |
//! | `form` (query) | false | `id=a` | `id=a,b` | `id=k,v,l,w` |
//! | `form` | true | `id=a` | `id=a&id=b` | `k=v&l=w` |
//! | `spaceDelimited` | false | `id=a` | `id=a%20b` | `id=k%20v%20l%20w` |
//! | `pipeDelimited` | false | `id=a` | `id=a\|b` | `id=k\|v\|l\|w` |
//! | `deepObject` | true | `id=a` | `id=a&id=b` | `id[k]=v&id[l]=w` |
//!
//! Names and values are percent-encoded (everything but `A-Z a-z 0-9 - . _ ~`,
//! or only what a URL cannot hold for `allowReserved`); the delimiters the
//! style adds are not. Header values are not encoded. Lists of lists or objects
//! with object members have no standard form and are refused with a
//! [`SerializeError`].

use std::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::ser::{self, Serialize};

use crate::runtime::error::SerializeError;

/// How a parameter is laid out (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Style {
    /// `simple`: path and header default.
    Simple,
    /// `label`: `.value` path segments.
    Label,
    /// `matrix`: `;name=value` path segments.
    Matrix,
    /// `form`: query default.
    Form,
    /// `spaceDelimited` query arrays.
    SpaceDelimited,
    /// `pipeDelimited` query arrays.
    PipeDelimited,
    /// `deepObject` query objects.
    DeepObject,
}

/// Everything except the RFC 3986 unreserved characters.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What must be encoded even with `allowReserved`: controls, space and the
/// characters a URL cannot hold or that end the query.
const RESERVED_ALLOWED: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A parameter value flattened for a URL or header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flat {
    /// `None`: the parameter is not sent.
    Absent,
    Scalar(String),
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

/// Flattens `value`; `what` names the parameter in errors.
pub(crate) fn flatten<T: Serialize + ?Sized>(value: &T) -> Result<Flat, FlatError> {
    value.serialize(Flattener)
}

/// Why a value has no parameter form.
#[derive(Debug)]
pub(crate) struct FlatError(String);

impl fmt::Display for FlatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FlatError {}

impl ser::Error for FlatError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FlatError(msg.to_string())
    }
}

fn nested() -> FlatError {
    FlatError("a list or object inside a list or object has no parameter form".to_owned())
}

/// Percent-encodes a name or value for a URL.
fn enc(text: &str, allow_reserved: bool) -> String {
    let set = if allow_reserved {
        RESERVED_ALLOWED
    } else {
        COMPONENT
    };
    utf8_percent_encode(text, set).to_string()
}

/// The text that replaces `{name}` in a path template: encoded, with the
/// style's prefix. `None` for an absent value.
pub(crate) fn path_text(name: &str, flat: &Flat, style: Style, explode: bool) -> Option<String> {
    let e = |s: &str| enc(s, false);
    let join =
        |items: &mut dyn Iterator<Item = String>, sep: &str| items.collect::<Vec<_>>().join(sep);
    let pairs = |o: &[(String, String)], kv: &str, sep: &str| {
        join(
            &mut o.iter().map(|(k, v)| format!("{}{kv}{}", e(k), e(v))),
            sep,
        )
    };
    Some(match (style, flat) {
        (_, Flat::Absent) => return None,
        (Style::Label, Flat::Scalar(v)) => format!(".{}", e(v)),
        (Style::Label, Flat::List(l)) => {
            let sep = if explode { "." } else { "," };
            format!(".{}", join(&mut l.iter().map(|v| e(v)), sep))
        }
        (Style::Label, Flat::Object(o)) if explode => format!(".{}", pairs(o, "=", ".")),
        (Style::Label, Flat::Object(o)) => format!(".{}", pairs(o, ",", ",")),
        (Style::Matrix, Flat::Scalar(v)) if v.is_empty() => format!(";{}", e(name)),
        (Style::Matrix, Flat::Scalar(v)) => format!(";{}={}", e(name), e(v)),
        (Style::Matrix, Flat::List(l)) if explode => {
            join(&mut l.iter().map(|v| format!(";{}={}", e(name), e(v))), "")
        }
        (Style::Matrix, Flat::List(l)) => {
            format!(";{}={}", e(name), join(&mut l.iter().map(|v| e(v)), ","))
        }
        (Style::Matrix, Flat::Object(o)) if explode => format!(";{}", pairs(o, "=", ";")),
        (Style::Matrix, Flat::Object(o)) => format!(";{}={}", e(name), pairs(o, ",", ",")),
        // `simple`, and any query style used in a path.
        (_, Flat::Scalar(v)) => e(v),
        (_, Flat::List(l)) => join(&mut l.iter().map(|v| e(v)), ","),
        (_, Flat::Object(o)) if explode => pairs(o, "=", ","),
        (_, Flat::Object(o)) => pairs(o, ",", ","),
    })
}

/// The encoded `name=value` pairs of a query parameter.
pub(crate) fn query_pairs(
    name: &str,
    flat: &Flat,
    style: Style,
    explode: bool,
    allow_reserved: bool,
) -> Vec<String> {
    let e = |s: &str| enc(s, allow_reserved);
    let n = e(name);
    let one = |value: String| vec![format!("{n}={value}")];
    let joined = |items: Vec<String>, sep: &str| one(items.join(sep));
    match (style, flat) {
        (_, Flat::Absent) => Vec::new(),
        (_, Flat::Scalar(v)) => one(e(v)),
        (Style::DeepObject, Flat::Object(o)) => o
            .iter()
            .map(|(k, v)| format!("{n}%5B{}%5D={}", e(k), e(v)))
            .collect(),
        (_, Flat::Object(o)) if explode && style == Style::Form => o
            .iter()
            .map(|(k, v)| format!("{}={}", e(k), e(v)))
            .collect(),
        (_, Flat::List(l)) if explode => l.iter().map(|v| format!("{n}={}", e(v))).collect(),
        (_, Flat::List(l)) => joined(l.iter().map(|v| e(v)).collect(), separator(style)),
        (_, Flat::Object(o)) => joined(
            o.iter().flat_map(|(k, v)| [e(k), e(v)]).collect(),
            separator(style),
        ),
    }
}

/// The delimiter between the items of a non-exploded list.
fn separator(style: Style) -> &'static str {
    match style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    }
}

/// The value of a header parameter (`simple` style, not encoded).
pub(crate) fn header_text(flat: &Flat, explode: bool) -> Option<String> {
    Some(match flat {
        Flat::Absent => return None,
        Flat::Scalar(v) => v.clone(),
        Flat::List(l) => l.join(","),
        Flat::Object(o) => {
            let mut out = String::new();
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{k}{}{v}", if explode { "=" } else { "," });
            }
            out
        }
    })
}

/// A parameter-flattening serializer. See the module docs.
struct Flattener;

/// Serializes one scalar (inside a list or object).
struct ScalarOnly;

impl ScalarOnly {
    fn text<T: Serialize + ?Sized>(value: &T) -> Result<Option<String>, FlatError> {
        value.serialize(ScalarOnly)
    }
}

macro_rules! scalar_methods {
    ($ret:ty, $wrap:expr) => {
        fn serialize_bool(self, v: bool) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_i8(self, v: i8) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_i16(self, v: i16) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_i32(self, v: i32) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_i64(self, v: i64) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_i128(self, v: i128) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_u8(self, v: u8) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_u16(self, v: u16) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_u32(self, v: u32) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_u64(self, v: u64) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_u128(self, v: u128) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_f32(self, v: f32) -> $ret {
            Ok($wrap(number_text(f64::from(v))))
        }
        fn serialize_f64(self, v: f64) -> $ret {
            Ok($wrap(number_text(v)))
        }
        fn serialize_char(self, v: char) -> $ret {
            Ok($wrap(v.to_string()))
        }
        fn serialize_str(self, v: &str) -> $ret {
            Ok($wrap(v.to_owned()))
        }
        fn serialize_bytes(self, v: &[u8]) -> $ret {
            Ok($wrap(String::from_utf8_lossy(v).into_owned()))
        }
        fn serialize_unit_struct(self, _: &'static str) -> $ret {
            Ok($wrap(String::new()))
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> $ret {
            Ok($wrap(variant.to_owned()))
        }
    };
}

/// A number as JSON writes it (`1.5`, `2`, never `NaN`).
fn number_text(v: f64) -> String {
    serde_json::Number::from_f64(v)
        .map(|n| n.to_string())
        .unwrap_or_else(|| v.to_string())
}

impl ser::Serializer for ScalarOnly {
    type Ok = Option<String>;
    type Error = FlatError;
    type SerializeSeq = ser::Impossible<Option<String>, FlatError>;
    type SerializeTuple = ser::Impossible<Option<String>, FlatError>;
    type SerializeTupleStruct = ser::Impossible<Option<String>, FlatError>;
    type SerializeTupleVariant = ser::Impossible<Option<String>, FlatError>;
    type SerializeMap = ser::Impossible<Option<String>, FlatError>;
    type SerializeStruct = ser::Impossible<Option<String>, FlatError>;
    type SerializeStructVariant = ser::Impossible<Option<String>, FlatError>;

    scalar_methods!(Result<Option<String>, FlatError>, Some);

    /// `null`: no value.
    fn serialize_unit(self) -> Result<Option<String>, FlatError> {
        Ok(None)
    }
    fn serialize_none(self) -> Result<Option<String>, FlatError> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Option<String>, FlatError> {
        v.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Option<String>, FlatError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<Option<String>, FlatError> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, FlatError> {
        Err(nested())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, FlatError> {
        Err(nested())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, FlatError> {
        Err(nested())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FlatError> {
        Err(nested())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, FlatError> {
        Err(nested())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, FlatError> {
        Err(nested())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FlatError> {
        Err(nested())
    }
}

/// Collects list items or object members.
struct Collect {
    list: Vec<String>,
    object: Vec<(String, String)>,
    key: Option<String>,
}

impl Collect {
    fn new() -> Collect {
        Collect {
            list: Vec::new(),
            object: Vec::new(),
            key: None,
        }
    }
    fn item<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), FlatError> {
        // `null` items have no text; they are left out.
        if let Some(text) = ScalarOnly::text(v)? {
            self.list.push(text);
        }
        Ok(())
    }
    fn member<T: Serialize + ?Sized>(&mut self, key: String, v: &T) -> Result<(), FlatError> {
        // Absent (`None`) members are left out.
        if let Some(text) = ScalarOnly::text(v)? {
            self.object.push((key, text));
        }
        Ok(())
    }
}

impl ser::Serializer for Flattener {
    type Ok = Flat;
    type Error = FlatError;
    type SerializeSeq = CollectList;
    type SerializeTuple = CollectList;
    type SerializeTupleStruct = CollectList;
    type SerializeTupleVariant = CollectList;
    type SerializeMap = CollectObject;
    type SerializeStruct = CollectObject;
    type SerializeStructVariant = CollectObject;

    scalar_methods!(Result<Flat, FlatError>, Flat::Scalar);

    /// `null`: not sent.
    fn serialize_unit(self) -> Result<Flat, FlatError> {
        Ok(Flat::Absent)
    }
    fn serialize_none(self) -> Result<Flat, FlatError> {
        Ok(Flat::Absent)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Flat, FlatError> {
        v.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Flat, FlatError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<Flat, FlatError> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<CollectList, FlatError> {
        Ok(CollectList(Collect::new()))
    }
    fn serialize_tuple(self, _: usize) -> Result<CollectList, FlatError> {
        Ok(CollectList(Collect::new()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<CollectList, FlatError> {
        Ok(CollectList(Collect::new()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<CollectList, FlatError> {
        Ok(CollectList(Collect::new()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<CollectObject, FlatError> {
        Ok(CollectObject(Collect::new()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<CollectObject, FlatError> {
        Ok(CollectObject(Collect::new()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<CollectObject, FlatError> {
        Ok(CollectObject(Collect::new()))
    }
}

struct CollectList(Collect);
struct CollectObject(Collect);

macro_rules! list_impl {
    ($trait:ident, $method:ident) => {
        impl ser::$trait for CollectList {
            type Ok = Flat;
            type Error = FlatError;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), FlatError> {
                self.0.item(v)
            }
            fn end(self) -> Result<Flat, FlatError> {
                Ok(Flat::List(self.0.list))
            }
        }
    };
}
list_impl!(SerializeSeq, serialize_element);
list_impl!(SerializeTuple, serialize_element);
list_impl!(SerializeTupleStruct, serialize_field);
list_impl!(SerializeTupleVariant, serialize_field);

impl ser::SerializeMap for CollectObject {
    type Ok = Flat;
    type Error = FlatError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FlatError> {
        self.0.key = Some(ScalarOnly::text(key)?.unwrap_or_default());
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), FlatError> {
        let key = self.0.key.take().unwrap_or_default();
        self.0.member(key, v)
    }
    fn end(self) -> Result<Flat, FlatError> {
        Ok(Flat::Object(self.0.object))
    }
}

macro_rules! object_impl {
    ($trait:ident) => {
        impl ser::$trait for CollectObject {
            type Ok = Flat;
            type Error = FlatError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), FlatError> {
                self.0.member(key.to_owned(), v)
            }
            fn end(self) -> Result<Flat, FlatError> {
                Ok(Flat::Object(self.0.object))
            }
        }
    };
}
object_impl!(SerializeStruct);
object_impl!(SerializeStructVariant);

/// A parameter described by `content: {application/json: ...}`: sent as its JSON
/// text (nothing for `None`).
pub struct Json<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Json<'_, T> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(self.0).map_err(ser::Error::custom)?;
        if text == "null" {
            serializer.serialize_none()
        } else {
            serializer.serialize_str(&text)
        }
    }
}

/// `value` flattened, or the error for parameter `name` of operation `op`.
pub(crate) fn flatten_param<T: Serialize + ?Sized>(
    op: &'static str,
    name: &str,
    value: &T,
) -> Result<Flat, SerializeError> {
    flatten(value).map_err(|e| {
        SerializeError::with_source(op, format!("parameter `{name}` has no text form"), e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flat(v: serde_json::Value) -> Flat {
        flatten(&v).unwrap()
    }

    #[test]
    fn values_flatten_to_bare_text() {
        assert_eq!(flat(json!("my-name")), Flat::Scalar("my-name".into()));
        assert_eq!(flat(json!(3)), Flat::Scalar("3".into()));
        assert_eq!(flat(json!(1.5)), Flat::Scalar("1.5".into()));
        assert_eq!(flat(json!(true)), Flat::Scalar("true".into()));
        assert_eq!(flatten(&None::<i32>).unwrap(), Flat::Absent);
        assert_eq!(
            flat(json!(["a", 1, null])),
            Flat::List(vec!["a".into(), "1".into()])
        );
        assert_eq!(
            flat(json!({"k": "v", "n": 2})),
            Flat::Object(vec![("k".into(), "v".into()), ("n".into(), "2".into())])
        );
        assert!(flatten(&json!([[1]])).is_err());
        assert!(flatten(&json!({"a": {"b": 1}})).is_err());
    }

    #[test]
    fn path_styles() {
        let s = Flat::Scalar("a b".into());
        let l = Flat::List(vec!["3".into(), "4".into()]);
        let o = Flat::Object(vec![
            ("role".into(), "admin".into()),
            ("n".into(), "x/y".into()),
        ]);
        let p = |f: &Flat, st, ex| path_text("id", f, st, ex).unwrap();
        assert_eq!(p(&s, Style::Simple, false), "a%20b");
        assert_eq!(p(&l, Style::Simple, false), "3,4");
        assert_eq!(p(&o, Style::Simple, false), "role,admin,n,x%2Fy");
        assert_eq!(p(&o, Style::Simple, true), "role=admin,n=x%2Fy");
        assert_eq!(p(&s, Style::Label, false), ".a%20b");
        assert_eq!(p(&l, Style::Label, false), ".3,4");
        assert_eq!(p(&l, Style::Label, true), ".3.4");
        assert_eq!(p(&o, Style::Label, true), ".role=admin.n=x%2Fy");
        assert_eq!(p(&s, Style::Matrix, false), ";id=a%20b");
        assert_eq!(p(&l, Style::Matrix, false), ";id=3,4");
        assert_eq!(p(&l, Style::Matrix, true), ";id=3;id=4");
        assert_eq!(p(&o, Style::Matrix, true), ";role=admin;n=x%2Fy");
        assert_eq!(p(&o, Style::Matrix, false), ";id=role,admin,n,x%2Fy");
        assert_eq!(path_text("id", &Flat::Absent, Style::Simple, false), None);
    }

    #[test]
    fn query_styles() {
        let s = Flat::Scalar("p&q".into());
        let l = Flat::List(vec!["3".into(), "4".into()]);
        let o = Flat::Object(vec![
            ("role".into(), "admin".into()),
            ("first".into(), "Al".into()),
        ]);
        let q = |f: &Flat, st, ex| query_pairs("id", f, st, ex, false).join("&");
        assert_eq!(q(&s, Style::Form, true), "id=p%26q");
        assert_eq!(q(&l, Style::Form, true), "id=3&id=4");
        assert_eq!(q(&l, Style::Form, false), "id=3,4");
        assert_eq!(q(&o, Style::Form, true), "role=admin&first=Al");
        assert_eq!(q(&o, Style::Form, false), "id=role,admin,first,Al");
        assert_eq!(q(&l, Style::SpaceDelimited, false), "id=3%204");
        assert_eq!(q(&l, Style::PipeDelimited, false), "id=3|4");
        assert_eq!(
            q(&o, Style::DeepObject, true),
            "id%5Brole%5D=admin&id%5Bfirst%5D=Al"
        );
        assert_eq!(q(&Flat::Absent, Style::Form, true), "");
        assert_eq!(
            query_pairs("u", &Flat::Scalar("a/b?c".into()), Style::Form, true, true),
            ["u=a/b?c"]
        );
    }

    #[test]
    fn json_content_is_sent_as_text() {
        assert_eq!(
            flatten(&Json(&json!({"a": [1]}))).unwrap(),
            Flat::Scalar(r#"{"a":[1]}"#.into())
        );
        assert_eq!(flatten(&Json(&None::<i32>)).unwrap(), Flat::Absent);
    }

    #[test]
    fn headers() {
        assert_eq!(
            header_text(&Flat::Scalar("a b".into()), false).unwrap(),
            "a b"
        );
        assert_eq!(
            header_text(&Flat::Object(vec![("a".into(), "1".into())]), true).unwrap(),
            "a=1"
        );
        assert_eq!(
            header_text(&Flat::List(vec!["x".into(), "y".into()]), false).unwrap(),
            "x,y"
        );
    }
}
