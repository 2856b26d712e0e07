//! Text → [`serde_json::Value`], for JSON and YAML alike.
//!
//! Both formats are read through one [`DeserializeSeed`] that builds the JSON tree and
//! notices duplicate keys (serde_json's own `Value` keeps the last value without a word,
//! and so did `openapiv3`'s maps). The seed carries the path to the node as a linked list
//! on the stack, so a pointer is only built when a duplicate is found.

use crate::error::{Error, Warning, WarningKind, escape_pointer_token};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// Parse `text` as JSON (`is_json`) or YAML into a JSON tree. Duplicate keys keep the
/// last value, as before, and each gives a warning.
pub(crate) fn parse(
    file: &str,
    text: &str,
    is_json: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Value, Error> {
    let dups = RefCell::new(Vec::new());
    let seed = Seed {
        path: Path::Root,
        dups: &dups,
    };
    let value = if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        seed.deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v))
            .map_err(|e| Error::new(file, "#", format!("invalid JSON: {e}")))?
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        seed.deserialize(de)
            .map_err(|e| Error::new(file, "#", format!("invalid YAML: {e}")))?
    };
    for (pointer, key) in dups.into_inner() {
        warnings.push(Warning::new(
            WarningKind::Contradiction,
            pointer,
            format!("key `{key}` appears more than once in this mapping; the last one is used"),
        ));
    }
    Ok(value)
}

/// Where a node is: the chain of keys and indices from the root.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn pointer(&self) -> String {
        fn push(p: &Path<'_>, out: &mut String) {
            match p {
                Path::Root => out.push('#'),
                Path::Key(parent, key) => {
                    push(parent, out);
                    out.push('/');
                    out.push_str(&escape_pointer_token(key));
                }
                Path::Index(parent, i) => {
                    push(parent, out);
                    out.push('/');
                    out.push_str(&i.to_string());
                }
            }
        }
        let mut out = String::new();
        push(self, &mut out);
        out
    }
}

struct Seed<'a> {
    path: Path<'a>,
    /// (pointer of the mapping, key) of every duplicate key.
    dups: &'a RefCell<Vec<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // As serde_json's own `Value`: NaN and infinities (YAML `.nan`, `.inf`) are null.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let child = Seed {
                path: Path::Index(&self.path, out.len()),
                dups: self.dups,
            };
            match seq.next_element_seed(child)? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        // YAML keys may be numbers or booleans (`200:`); they are read as their text.
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(Seed {
                path: Path::Key(&self.path, &key),
                dups: self.dups,
            })?;
            match out.entry(key) {
                serde_json::map::Entry::Vacant(e) => {
                    e.insert(value);
                }
                serde_json::map::Entry::Occupied(mut e) => {
                    self.dups
                        .borrow_mut()
                        .push((self.path.pointer(), e.key().clone()));
                    e.insert(value);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// A mapping key as a string, whatever scalar it is written as.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<String, D::Error> {
        de.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key (a string or a number)")
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> (Value, Vec<Warning>) {
        let mut w = Vec::new();
        let v = parse("s.yaml", text, false, &mut w).unwrap();
        (v, w)
    }

    #[test]
    fn yaml_scalars_and_keys() {
        let (v, w) = yaml("a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf: x\n200: ok\ng: [1, {h: .inf}]\n");
        assert!(w.is_empty());
        assert_eq!(
            v,
            serde_json::json!({"a": 1, "b": -2, "c": 1.5, "d": true, "e": null, "f": "x",
                "200": "ok", "g": [1, {"h": null}]})
        );
    }

    #[test]
    fn duplicate_keys_warn_with_pointer() {
        let (v, w) = yaml("a:\n  - {x: 1, x: 2}\n'200': a\n200: b\n");
        assert_eq!(v, serde_json::json!({"a": [{"x": 2}], "200": "b"}));
        let got: Vec<(&str, bool)> = w
            .iter()
            .map(|w| (w.pointer.as_str(), w.message.contains("more than once")))
            .collect();
        assert_eq!(got, [("#/a/0", true), ("#", true)]);

        let mut w = Vec::new();
        let v = parse("s.json", r#"{"a/b": {"k": 1, "k": 2}}"#, true, &mut w).unwrap();
        assert_eq!(v, serde_json::json!({"a/b": {"k": 2}}));
        assert_eq!(w[0].pointer, "#/a~1b");
    }

    #[test]
    fn syntax_errors() {
        let mut w = Vec::new();
        let e = parse("s.json", r#"{"a": 1"#, true, &mut w).unwrap_err();
        assert!(e.message.starts_with("invalid JSON"), "{e}");
        let e = parse("s.json", r#"{"a": 1} x"#, true, &mut w).unwrap_err();
        assert!(e.message.starts_with("invalid JSON"), "{e}");
        let e = parse("s.yaml", "a: [1\n", false, &mut w).unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{e}");
    }
}
