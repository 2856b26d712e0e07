//! Encoding of generated model structs.
//!
//! A generated struct's `Serialize` impl (written by the
//! `object!` table of its codec) makes one
//! [`ObjectWriter`] call per field, then writes the members the struct did not
//! know ([`UnknownFields`]) after the known ones, unchanged and in the order
//! they came. Absent optional fields are left out, unless they came as an
//! explicit `null`, which is written back as `null`; a required field that may
//! be `null` is written as `null` when it is `None`. See
//! [`de`](crate::runtime::de) for the decoding side.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::runtime::unknown::{Marked, UnknownFields};

/// Writes the members of one generated struct as a JSON object.
///
/// The first error is kept and returned by [`end`](Self::end); calls after it
/// do nothing, so generated code needs no `?` per field.
pub struct ObjectWriter<S: Serializer> {
    out: Result<S::SerializeMap, S::Error>,
}

impl<S: Serializer> ObjectWriter<S> {
    /// Starts an object.
    pub fn new(serializer: S) -> Self {
        ObjectWriter {
            out: serializer.serialize_map(None),
        }
    }

    fn write(&mut self, write: impl FnOnce(&mut S::SerializeMap) -> Result<(), S::Error>) {
        if let Ok(out) = &mut self.out
            && let Err(e) = write(out)
        {
            self.out = Err(e);
        }
    }

    /// A required field.
    pub fn required<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.write(|m| m.serialize_entry(key, value));
    }

    /// A required field that may be `null`: written as `null` when `None`.
    pub fn nullable<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
        unknown: &UnknownFields,
    ) {
        if value.is_none() && unknown.was_absent(key) {
            // It came without the member: it goes back without it.
            return;
        }
        self.write(|m| m.serialize_entry(key, value));
    }

    /// An optional field: left out when `None`, unless it came as an explicit
    /// `null` (recorded in `unknown`).
    pub fn optional<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
        unknown: &UnknownFields,
    ) {
        match value {
            Some(v) => self.write(|m| m.serialize_entry(key, v)),
            None if unknown.was_null(key) => self.write(|m| m.serialize_entry(key, &())),
            None => {}
        }
    }

    /// The typed `additionalProperties` of a struct.
    pub fn additional<T: Serialize>(&mut self, properties: &BTreeMap<String, T>) {
        self.write(|m| {
            properties
                .iter()
                .try_for_each(|(k, v)| m.serialize_entry(k, v))
        });
    }

    /// The members the struct does not know, after the known ones.
    pub fn unknown(&mut self, unknown: &UnknownFields) {
        self.write(|m| {
            unknown
                .members()
                .iter()
                .try_for_each(|(k, v)| m.serialize_entry(&**k, &Marked(v)))
        });
    }

    /// Finishes the object, or returns the first error.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.out?.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::value::RawValue;

    struct Item {
        id: String,
        display_name: Option<String>,
        owner: Option<String>,
        additional: BTreeMap<String, i32>,
        unknown: UnknownFields,
    }

    impl Serialize for Item {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut out = ObjectWriter::new(serializer);
            out.required("id", &self.id);
            out.nullable("owner", &self.owner, &self.unknown);
            out.optional("displayName", &self.display_name, &self.unknown);
            out.additional(&self.additional);
            out.unknown(&self.unknown);
            out.end()
        }
    }

    fn item() -> Item {
        Item {
            id: "1".into(),
            display_name: None,
            owner: None,
            additional: BTreeMap::new(),
            unknown: UnknownFields::default(),
        }
    }

    #[test]
    fn absent_optional_fields_are_left_out_and_nullable_ones_are_null() {
        assert_eq!(
            serde_json::to_string(&item()).unwrap(),
            r#"{"id":"1","owner":null}"#
        );
    }

    #[test]
    fn explicit_nulls_and_unknown_members_come_back() {
        let mut i = item();
        i.unknown.note_null("displayName");
        i.unknown.push(
            "later".into(),
            RawValue::from_string("[1.0, 2e3]".into()).unwrap(),
        );
        i.additional.insert("b".into(), 2);
        assert_eq!(
            serde_json::to_string(&i).unwrap(),
            r#"{"id":"1","owner":null,"displayName":null,"b":2,"later":[1.0, 2e3]}"#
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
                let mut out = ObjectWriter::new(serializer);
                out.required("a", &1);
                out.required("b", &Fails);
                out.required("c", &3);
                out.end()
            }
        }
        let mut buf = Vec::new();
        let e = serde_json::to_writer(&mut buf, &Outer).unwrap_err();
        assert_eq!(e.to_string(), "field failed");
        assert_eq!(String::from_utf8(buf).unwrap(), r#"{"a":1,"b":"#);
    }
}
