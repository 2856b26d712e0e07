//! Decoding of generated models.
//!
//! A generated struct implements `Deserialize` (through the
//! `object!` table of its codec) with
//! [`deserialize_struct`] and a small [`StructFields`] type: one `Option` slot
//! per field, a `match` from wire name to slot, and a `finish` that checks the
//! required fields. All the generic visitor code lives here, once, instead of
//! in every struct: on a document of 855 structs, serde's
//! derive made most of the generated crate's `cargo check` time.
//!
//! - a required field absent is a `missing field` error, `null` an
//!   `invalid type` error; an optional field absent or `null` is `None` (and an
//!   explicit `null` is remembered, so it is written back);
//! - a field given twice is a `duplicate field` error;
//! - members the struct does not know are kept, as their exact JSON text, in
//!   its [`UnknownFields`], or in its typed additional-properties map when the
//!   schema has one;
//! - only JSON objects decode into structs (serde's derive also accepted an
//!   array of the field values, which no OpenAPI schema means).
//!
//! [`string_enum`], [`union`] and [`tagged`] decode the generated enums and
//! `oneOf`/`anyOf` types; see [`fit`] for how a union
//! picks its variant.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{
    self, Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde_json::value::RawValue;

use crate::runtime::fit::{self, Fit};
use crate::runtime::unknown::{UnknownFields, UnmatchedValue};

/// The per-struct half of decoding: slots for the fields of one generated struct.
pub trait StructFields<'de>: Default {
    /// The struct being decoded.
    type Output;
    /// The struct's Rust name, for error messages.
    const NAME: &'static str;
    /// Decodes the value of the entry `key` from `map`: into its slot, into the
    /// unknown or additional members.
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
    deserializer.deserialize_map(StructVisitor::<F>(PhantomData))
}

/// Reads a required field into its slot; a second value is an error.
pub fn required<'de, T, A>(slot: &mut Option<T>, key: &str, map: &mut A) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        return Err(duplicate(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads a required field that may be `null`.
pub fn nullable<'de, T, A>(
    slot: &mut Option<Option<T>>,
    key: &str,
    map: &mut A,
) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        return Err(duplicate(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required nullable field once the object is read: `None` also
/// when the member was missing, which is remembered in `unknown` so that the
/// member is left out again when written back.
pub fn nullable_value<T>(
    slot: Option<Option<T>>,
    unknown: &mut UnknownFields,
    key: &'static str,
) -> Option<T> {
    match slot {
        Some(value) => value,
        None => {
            unknown.note_absent(key);
            None
        }
    }
}

/// Reads an optional field; an explicit `null` is remembered in `unknown` so
/// that it is written back.
pub fn optional<'de, T, A>(
    slot: &mut Option<T>,
    unknown: &mut UnknownFields,
    key: &'static str,
    map: &mut A,
) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() || unknown.was_null(key) {
        return Err(duplicate(key));
    }
    match map.next_value::<Option<T>>()? {
        Some(value) => *slot = Some(value),
        None => unknown.note_null(key),
    }
    Ok(())
}

/// serde's `duplicate field` error, for a key that is not `'static`.
fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate field `{key}`"))
}

/// Keeps a member the struct does not know, as its exact JSON text.
pub fn unknown<'de, A: MapAccess<'de>>(
    unknown: &mut UnknownFields,
    key: &str,
    map: &mut A,
) -> Result<(), A::Error> {
    let value: Box<RawValue> = map.next_value()?;
    unknown.push(key.into(), value);
    Ok(())
}

/// Keeps a member the schema does not list in the struct's typed
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
pub fn take<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// Skips a value.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Decodes a string enum from a string, without allocating for listed values.
pub fn string_enum<'de, D, T>(deserializer: D, name: &'static str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    struct EnumVisitor<T>(&'static str, PhantomData<T>);
    impl<'de, T: for<'a> From<&'a str> + From<String>> Visitor<'de> for EnumVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a string ({})", self.0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(EnumVisitor(name, PhantomData))
}

/// One variant of a `oneOf`/`anyOf`: the JSON decoded as `V`, wrapped, and how
/// well it fits. `None` when it does not decode.
pub fn variant<V, T>(raw: &str, wrap: fn(V) -> T) -> Option<(T, Fit)>
where
    V: DeserializeOwned + Serialize,
{
    let value: V = serde_json::from_str(raw).ok()?;
    let fit = fit::score(&value);
    Some((wrap(value), fit))
}

/// Tries one variant of a union on the value's JSON text: [`variant`] for a type.
pub type TryVariant<T> = fn(&str) -> Option<(T, Fit)>;

/// Decodes the value's JSON text as the variant a discriminator value selects.
pub type DecodeVariant<T> = fn(&str) -> Result<T, serde_json::Error>;

/// An untagged `oneOf`/`anyOf`: the first variant that decodes strictly (knows
/// every member and enum value), else the one that knows most, ties going to
/// the earlier variant, else `other` holding the JSON as it came. See
/// [`fit`].
///
/// Buffers the value as its JSON text, so it decodes from `serde_json` (text or
/// [`serde_json::Value`]) only.
pub fn union<'de, D, T>(
    deserializer: D,
    variants: &[TryVariant<T>],
    other: fn(UnmatchedValue) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let raw: Box<RawValue> = Deserialize::deserialize(deserializer)?;
    let mut best: Option<(T, Fit)> = None;
    for try_variant in variants {
        let Some((value, fit)) = try_variant(raw.get()) else {
            continue;
        };
        if fit.is_strict() {
            return Ok(value);
        }
        if best.as_ref().is_none_or(|(_, b)| fit.known > b.known) {
            best = Some((value, fit));
        }
    }
    Ok(match best {
        Some((value, _)) => value,
        None => other(UnmatchedValue::new(raw)),
    })
}

/// A `oneOf`/`anyOf` with a discriminator: `select` maps the value of member
/// `property` to the variant's decoder; a missing or unknown tag keeps the JSON
/// in `other`. A known tag whose value does not decode is an error.
pub fn tagged<'de, D, T>(
    deserializer: D,
    property: &'static str,
    select: fn(&str) -> Option<DecodeVariant<T>>,
    other: fn(UnmatchedValue) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let raw: Box<RawValue> = Deserialize::deserialize(deserializer)?;
    let decode = tag_of(raw.get(), property).as_deref().and_then(select);
    match decode {
        Some(decode) => decode(raw.get()).map_err(de::Error::custom),
        None => Ok(other(UnmatchedValue::new(raw))),
    }
}

/// The string value of top-level member `property` of a JSON object.
fn tag_of(raw: &str, property: &'static str) -> Option<String> {
    struct TagVisitor(&'static str);
    impl<'de> Visitor<'de> for TagVisitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
            let mut tag = None;
            while let Some(Key(key)) = map.next_key()? {
                if key == self.0 && tag.is_none() {
                    tag = map.next_value::<Option<String>>().ok().flatten();
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(tag)
        }
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    de.deserialize_map(TagVisitor(property)).ok().flatten()
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
