//! Encoding of generated model structs.
//!
//! A generated struct implements `Serialize` with a [`StructWriter`]: one call
//! per field, in declaration order. `#[derive(Serialize)]` wrote the same calls
//! with more code around each; on the whole SailPoint beta document it was the
//! largest part of the generated crate's type-checking time. See
//! [`de`](crate::runtime::de) for the decoding side.
//!
//! The output is the derive's: absent optional fields are left out, and a struct
//! with additional properties is written as a map with those entries after the
//! known fields.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};

/// Writes the fields of one generated struct.
///
/// The first error is kept and returned by [`end`](Self::end); calls after it do
/// nothing. Generated code therefore needs no `?` per field, which is most of what
/// type-checking a field's line costs.
pub struct StructWriter<S: Serializer> {
    out: Result<Out<S>, S::Error>,
}

enum Out<S: Serializer> {
    Struct(S::SerializeStruct),
    Map(S::SerializeMap),
}

/// How many of the optional fields are present: for the length that
/// [`StructWriter::new`] passes on.
pub fn count_present(present: &[bool]) -> usize {
    present.iter().filter(|p| **p).count()
}

impl<S: Serializer> StructWriter<S> {
    /// Starts struct `name` with `len` fields to be written.
    pub fn new(serializer: S, name: &'static str, len: usize) -> Self {
        StructWriter {
            out: serializer.serialize_struct(name, len).map(Out::Struct),
        }
    }

    /// Starts a struct that has additional properties: a map of `len` entries.
    pub fn with_additional(serializer: S, len: usize) -> Self {
        StructWriter {
            out: serializer.serialize_map(Some(len)).map(Out::Map),
        }
    }

    fn write(&mut self, write: impl FnOnce(&mut Out<S>) -> Result<(), S::Error>) {
        if let Ok(out) = &mut self.out
            && let Err(e) = write(out)
        {
            self.out = Err(e);
        }
    }

    /// Writes a field.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.write(|out| match out {
            Out::Struct(s) => s.serialize_field(key, value),
            Out::Map(m) => m.serialize_entry(key, value),
        });
    }

    /// Writes an optional field when it is present.
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        self.write(|out| match (value, out) {
            (Some(v), Out::Struct(s)) => s.serialize_field(key, v),
            (Some(v), Out::Map(m)) => m.serialize_entry(key, v),
            (None, Out::Struct(s)) => s.skip_field(key),
            (None, Out::Map(_)) => Ok(()),
        });
    }

    /// Writes the additional properties.
    pub fn additional<T: Serialize>(&mut self, properties: &BTreeMap<String, T>) {
        self.write(|out| match out {
            Out::Map(m) => properties
                .iter()
                .try_for_each(|(k, v)| m.serialize_entry(k, v)),
            // Generated code starts structs with additional properties with
            // `with_additional`; refuse rather than drop the entries.
            Out::Struct(_) if properties.is_empty() => Ok(()),
            Out::Struct(_) => Err(serde::ser::Error::custom(
                "additional properties need StructWriter::with_additional",
            )),
        });
    }

    /// Finishes the struct, or returns the first error.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        match self.out? {
            Out::Struct(s) => s.end(),
            Out::Map(m) => m.end(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item {
        id: String,
        display_name: Option<String>,
        additional: BTreeMap<String, i32>,
    }

    impl Serialize for Item {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let len = 1 + count_present(&[self.display_name.is_some()]) + self.additional.len();
            let mut out = StructWriter::with_additional(serializer, len);
            out.field("id", &self.id);
            out.optional("displayName", &self.display_name);
            out.additional(&self.additional);
            out.end()
        }
    }

    struct Closed {
        id: String,
        tags: Option<Vec<String>>,
    }

    impl Serialize for Closed {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let len = 1 + count_present(&[self.tags.is_some()]);
            let mut out = StructWriter::new(serializer, "Closed", len);
            out.field("id", &self.id);
            out.optional("tags", &self.tags);
            out.end()
        }
    }

    #[test]
    fn absent_fields_are_left_out() {
        let c = Closed {
            id: "1".into(),
            tags: None,
        };
        assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"id":"1"}"#);
        let c = Closed {
            id: "1".into(),
            tags: Some(vec![]),
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"id":"1","tags":[]}"#
        );
    }

    #[test]
    fn additional_properties_follow_the_fields() {
        let i = Item {
            id: "1".into(),
            display_name: Some("A".into()),
            additional: BTreeMap::from([("b".to_string(), 2), ("a".to_string(), 1)]),
        };
        assert_eq!(
            serde_json::to_string(&i).unwrap(),
            r#"{"id":"1","displayName":"A","a":1,"b":2}"#
        );
    }

    #[test]
    fn the_first_error_is_returned_and_later_fields_are_not_written() {
        struct Fails;
        impl Serialize for Fails {
            fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("field failed"))
            }
        }
        struct Outer;
        impl Serialize for Outer {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut out = StructWriter::new(serializer, "Outer", 3);
                out.field("a", &1);
                out.field("b", &Fails);
                out.field("c", &3);
                out.end()
            }
        }
        let mut buf = Vec::new();
        let e = serde_json::to_writer(&mut buf, &Outer).unwrap_err();
        assert_eq!(e.to_string(), "field failed");
        assert_eq!(String::from_utf8(buf).unwrap(), r#"{"a":1,"b":"#);
    }

    #[test]
    fn additional_properties_on_a_plain_struct_are_an_error_not_lost() {
        struct Wrong;
        impl Serialize for Wrong {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut out = StructWriter::new(serializer, "Wrong", 1);
                out.additional(&BTreeMap::from([("a".to_string(), 1)]));
                out.end()
            }
        }
        assert!(serde_json::to_string(&Wrong).is_err());
    }
}
