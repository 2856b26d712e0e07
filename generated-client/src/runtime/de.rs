//! Decoding of generated model structs.
//!
//! A generated struct implements `Deserialize` with [`deserialize_struct`] and a
//! small [`StructFields`] type: one `Option` slot per field, a `match` from wire
//! name to slot, and a `finish` that checks the required fields. All the generic
//! visitor code lives here, once, instead of in every struct. `#[derive(Deserialize)]`
//! emits a field-name visitor, a sequence visitor and a map visitor per struct;
//! on the whole SailPoint beta document (855 structs) that was most of the
//! `cargo check` time of the generated crate.
//!
//! The behaviour is the derive's for these structs:
//! - a field absent or `null` is `None` when the field is an `Option`, and a
//!   `missing field` error otherwise;
//! - a field given twice is a `duplicate field` error;
//! - unknown fields are skipped, or kept in the struct's additional-properties
//!   map when the schema allows them.
//!
//! One difference: only maps decode. The derive also accepted a sequence of the
//! field values in declaration order (`["id", "name"]` for `{"id": .., "name": ..}`),
//! which no OpenAPI schema means.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// The per-struct half of decoding: slots for the fields of one generated struct.
pub trait StructFields<'de>: Default {
    /// The struct being decoded.
    type Output;
    /// The struct's Rust name, for error messages.
    const NAME: &'static str;
    /// The wire names of its fields.
    const FIELDS: &'static [&'static str];
    /// Decodes the value of the entry `key` from `map`: into its slot, into the
    /// additional properties, or skipped.
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
    /// The struct, once every entry has been read.
    fn finish<E: de::Error>(self) -> Result<Self::Output, E>;
}

/// Decodes the struct that `F` describes from a map.
pub fn deserialize_struct<'de, D, F>(deserializer: D) -> Result<F::Output, D::Error>
where
    D: Deserializer<'de>,
    F: StructFields<'de>,
{
    deserializer.deserialize_struct(F::NAME, F::FIELDS, StructVisitor::<F>(PhantomData))
}

/// Reads the value of field `key` into its slot; a second value for the same field
/// is an error.
pub fn slot<'de, T, A>(slot: &mut Option<T>, key: &str, map: &mut A) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    fill(slot, key, map, Some)
}

/// Reads the value of an optional field straight into the struct's own field (for
/// structs whose fields are all optional, which hold their own slots). A second
/// value for a field already set is an error; after a `null`, the later value wins.
pub fn optional<'de, T, A>(field: &mut Option<T>, key: &str, map: &mut A) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    fill(field, key, map, |value: Option<T>| value)
}

/// Decodes a `V` into the unset `target` through `into`.
fn fill<'de, T, V, A>(
    target: &mut Option<T>,
    key: &str,
    map: &mut A,
    into: fn(V) -> Option<T>,
) -> Result<(), A::Error>
where
    V: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if target.is_some() {
        return Err(duplicate(key));
    }
    *target = into(map.next_value()?);
    Ok(())
}

/// serde's `duplicate field` error, for a key that is not `'static`.
fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate field `{key}`"))
}

/// Skips the value of an entry the struct does not know.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Keeps the value of an entry the schema does not list in the struct's
/// additional properties.
pub fn additional<'de, T, A>(
    properties: &mut BTreeMap<String, T>,
    key: &str,
    map: &mut A,
) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    let value = map.next_value()?;
    properties.insert(key.to_owned(), value);
    Ok(())
}

/// The value of a required field, or the `missing field` error.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

struct StructVisitor<F>(PhantomData<F>);

impl<'de, F: StructFields<'de>> Visitor<'de> for StructVisitor<F> {
    type Value = F::Output;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", F::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F::Output, A::Error> {
        let mut fields = F::default();
        while let Some(Key(key)) = map.next_key()? {
            fields.field(&key, &mut map)?;
        }
        fields.finish()
    }
}

/// A map key: borrowed from the input when the format allows it.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Key<'de>, E> {
        std::str::from_utf8(v)
            .map(|s| Key(Cow::Borrowed(s)))
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key<'de>, E> {
        std::str::from_utf8(v)
            .map(|s| Key(Cow::Owned(s.to_owned())))
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the generator writes for
    /// `{required: [id], properties: {id, displayName (nullable), tags}}` with
    /// additional properties allowed.
    #[derive(Debug, PartialEq)]
    struct Item {
        id: String,
        display_name: Option<String>,
        tags: Option<Vec<String>>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            #[derive(Default)]
            struct Fields {
                id: Option<String>,
                display_name: Option<Option<String>>,
                tags: Option<Option<Vec<String>>>,
                additional_properties: BTreeMap<String, serde_json::Value>,
            }
            impl<'de> StructFields<'de> for Fields {
                type Output = Item;
                const NAME: &'static str = "Item";
                const FIELDS: &'static [&'static str] = &["id", "displayName", "tags"];
                fn field<A: MapAccess<'de>>(
                    &mut self,
                    key: &str,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    match key {
                        "id" => slot(&mut self.id, key, map),
                        "displayName" => slot(&mut self.display_name, key, map),
                        "tags" => slot(&mut self.tags, key, map),
                        _ => additional(&mut self.additional_properties, key, map),
                    }
                }
                fn finish<E: de::Error>(self) -> Result<Item, E> {
                    Ok(Item {
                        id: required(self.id, "id")?,
                        display_name: self.display_name.flatten(),
                        tags: self.tags.flatten(),
                        additional_properties: self.additional_properties,
                    })
                }
            }
            deserialize_struct::<D, Fields>(deserializer)
        }
    }

    /// Same without additional properties.
    #[derive(Debug, PartialEq)]
    struct Closed {
        id: String,
    }

    impl<'de> Deserialize<'de> for Closed {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            #[derive(Default)]
            struct Fields {
                id: Option<String>,
            }
            impl<'de> StructFields<'de> for Fields {
                type Output = Closed;
                const NAME: &'static str = "Closed";
                const FIELDS: &'static [&'static str] = &["id"];
                fn field<A: MapAccess<'de>>(
                    &mut self,
                    key: &str,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    match key {
                        "id" => slot(&mut self.id, key, map),
                        _ => skip(map),
                    }
                }
                fn finish<E: de::Error>(self) -> Result<Closed, E> {
                    Ok(Closed {
                        id: required(self.id, "id")?,
                    })
                }
            }
            deserialize_struct::<D, Fields>(deserializer)
        }
    }

    /// A struct whose fields are all optional: its own slots.
    #[derive(Debug, Default, PartialEq)]
    struct Open {
        id: Option<String>,
        count: Option<i64>,
    }

    impl<'de> Deserialize<'de> for Open {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_struct::<D, Self>(deserializer)
        }
    }

    impl<'de> StructFields<'de> for Open {
        type Output = Self;
        const NAME: &'static str = "Open";
        const FIELDS: &'static [&'static str] = &["id", "count"];
        fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
            match key {
                "id" => optional(&mut self.id, key, map),
                "count" => optional(&mut self.count, key, map),
                _ => skip(map),
            }
        }
        fn finish<E: de::Error>(self) -> Result<Self, E> {
            Ok(self)
        }
    }

    #[test]
    fn all_optional_structs_hold_their_own_slots() {
        let v: Open = serde_json::from_str(r#"{"count":2,"x":[1],"id":null}"#).unwrap();
        assert_eq!(
            v,
            Open {
                id: None,
                count: Some(2)
            }
        );
        let v: Open = serde_json::from_str("{}").unwrap();
        assert_eq!(v, Open::default());
        let e = serde_json::from_str::<Open>(r#"{"count":1,"count":2}"#).unwrap_err();
        assert!(e.to_string().starts_with("duplicate field `count`"), "{e}");
        let e = serde_json::from_str::<Open>(r#"{"count":"1"}"#).unwrap_err();
        assert!(e.to_string().contains("expected i64"), "{e}");
        assert!(serde_json::from_str::<Open>("[]").is_err());
    }

    fn item(json: &str) -> Result<Item, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn decodes_fields_and_keeps_unknown_entries() {
        let v = item(r#"{"id":"1","displayName":"A","tags":["x"],"extra":{"n":1}}"#).unwrap();
        assert_eq!(v.id, "1");
        assert_eq!(v.display_name.as_deref(), Some("A"));
        assert_eq!(v.tags, Some(vec!["x".to_string()]));
        assert_eq!(
            v.additional_properties.get("extra"),
            Some(&serde_json::json!({"n": 1}))
        );
    }

    #[test]
    fn absent_and_null_optional_fields_are_none() {
        let v = item(r#"{"id":"1","displayName":null}"#).unwrap();
        assert_eq!(v.display_name, None);
        assert_eq!(v.tags, None);
        assert!(v.additional_properties.is_empty());
    }

    #[test]
    fn missing_required_field_is_an_error_naming_it() {
        let e = item(r#"{"displayName":"A"}"#).unwrap_err();
        assert!(e.starts_with("missing field `id`"), "{e}");
    }

    #[test]
    fn duplicate_field_is_an_error_naming_it() {
        let e = item(r#"{"id":"1","id":"2"}"#).unwrap_err();
        assert!(e.starts_with("duplicate field `id`"), "{e}");
    }

    #[test]
    fn wrong_type_names_the_struct() {
        let e = item(r#""text""#).unwrap_err();
        assert!(e.contains("expected struct Item"), "{e}");
        let e = item(r#"{"id":7}"#).unwrap_err();
        assert!(
            e.contains("invalid type: integer `7`, expected a string"),
            "{e}"
        );
    }

    #[test]
    fn sequences_are_refused() {
        let e = item(r#"["1", null, null]"#).unwrap_err();
        assert!(e.contains("expected struct Item"), "{e}");
    }

    #[test]
    fn escaped_keys_and_other_formats_decode() {
        // An escape in the key makes serde_json hand over an owned string.
        let v = item(r#"{"\u0069d":"1"}"#).unwrap();
        assert_eq!(v.id, "1");
        // From a `Value` (keys as owned strings), and unknown entries skipped.
        let c: Closed =
            serde_json::from_value(serde_json::json!({"id": "2", "other": [1, 2]})).unwrap();
        assert_eq!(c, Closed { id: "2".into() });
        let c: Closed = serde_json::from_slice(br#"{"other":{"a":[]},"id":"3"}"#).unwrap();
        assert_eq!(c.id, "3");
    }
}
