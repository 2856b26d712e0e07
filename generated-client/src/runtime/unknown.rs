//! What the client received but the spec did not describe, kept so that it is
//! sent back unchanged.
//!
//! * [`UnknownFields`]: the members of a JSON object that its generated struct
//!   does not know (a field the server added after the spec was written), in
//!   the order they came, each as its exact JSON text. Every generated struct
//!   has one; encoding writes them back after the known fields. It also
//!   remembers which optional fields came as an explicit `null`, so that
//!   `{"a": null}` does not come back as `{}`.
//! * [`UnknownValue`]: a string enum value the spec did not list.
//! * [`UnmatchedValue`]: a `oneOf`/`anyOf` value that matches none of the
//!   variants, or whose discriminator names no variant.
//!
//! Neither `UnknownValue` nor `UnmatchedValue` can be built by callers: only
//! decoding (and `From<&str>` on a generated enum, which maps every listed
//! value to its variant) creates them. So the catch-all variant of a
//! generated enum never holds a value the enum lists.
//!
//! All three encode through a marker newtype that JSON serializers ignore and
//! [`fit`](crate::runtime::fit) counts, which is how a `oneOf` decoder tells a
//! variant that describes a value fully from one that only tolerates it.

use std::fmt;

use serde::ser::{Serialize, Serializer};
use serde_json::value::RawValue;

/// The newtype-struct name that marks a value the spec did not describe. JSON
/// serializers write the inner value as is; [`fit`](crate::runtime::fit)
/// counts it.
pub(crate) const MARKER: &str = "$generated_client::unknown";

/// Members of a JSON object that its generated struct does not know, in the
/// order they came, each kept as its exact JSON text; and the optional fields
/// that came as an explicit `null`.
///
/// Compared and shown (`Debug`) with the struct, so two values that would
/// encode differently are never equal. Build an empty one with
/// [`Default::default`].
#[derive(Clone, Default)]
pub struct UnknownFields {
    members: Vec<(Box<str>, Box<RawValue>)>,
    nulls: Vec<&'static str>,
    /// Required nullable fields the object came without (decoded as `None`, and left
    /// out again when still `None`).
    absent: Vec<&'static str>,
}

impl UnknownFields {
    /// No unknown members, no explicit `null`s and no absent required fields.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.nulls.is_empty() && self.absent.is_empty()
    }

    /// The number of unknown members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// The unknown members in the order they came: name and exact JSON text.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.members.iter().map(|(k, v)| (&**k, &**v))
    }

    /// The JSON text of the first unknown member named `name`.
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.members
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| &**v)
    }

    /// Adds a member (sent after the known fields). The name must not be one
    /// of the struct's own fields, or the encoded object has it twice.
    pub fn insert<T: Serialize + ?Sized>(
        &mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        let raw = serde_json::value::to_raw_value(value)?;
        self.members.push((name.into().into_boxed_str(), raw));
        Ok(())
    }

    /// Removes every member named `name`; returns whether there was one.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.members.len();
        self.members.retain(|(k, _)| &**k != name);
        before != self.members.len()
    }

    /// Keeps a member that came with the object.
    pub(crate) fn push(&mut self, name: Box<str>, value: Box<RawValue>) {
        self.members.push((name, value));
    }

    /// Records that optional field `wire` came as an explicit `null`.
    pub(crate) fn note_null(&mut self, wire: &'static str) {
        if !self.nulls.contains(&wire) {
            self.nulls.push(wire);
        }
    }

    /// Whether optional field `wire` came as an explicit `null`.
    pub(crate) fn was_null(&self, wire: &str) -> bool {
        self.nulls.contains(&wire)
    }

    /// Records that required nullable field `wire` was not in the object.
    pub(crate) fn note_absent(&mut self, wire: &'static str) {
        if !self.absent.contains(&wire) {
            self.absent.push(wire);
        }
    }

    /// Whether required nullable field `wire` was not in the object.
    pub(crate) fn was_absent(&self, wire: &str) -> bool {
        self.absent.contains(&wire)
    }

    /// The members, for encoding.
    pub(crate) fn members(&self) -> &[(Box<str>, Box<RawValue>)] {
        &self.members
    }
}

impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        self.nulls == other.nulls
            && self.absent == other.absent
            && self.members.len() == other.members.len()
            && self
                .members
                .iter()
                .zip(&other.members)
                .all(|((ka, va), (kb, vb))| ka == kb && va.get() == vb.get())
    }
}

impl Eq for UnknownFields {}

impl std::hash::Hash for UnknownFields {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for (k, v) in &self.members {
            k.hash(state);
            v.get().hash(state);
        }
        self.nulls.hash(state);
        self.absent.hash(state);
    }
}

impl PartialOrd for UnknownFields {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By members (name, then JSON text), then explicit `null`s: so that models can derive
/// `Ord` when the settings ask for it.
impl Ord for UnknownFields {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        fn members(u: &UnknownFields) -> Vec<(&str, &str)> {
            u.members.iter().map(|(k, v)| (&**k, v.get())).collect()
        }
        members(self)
            .cmp(&members(other))
            .then_with(|| self.nulls.cmp(&other.nulls))
            .then_with(|| self.absent.cmp(&other.absent))
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (k, v) in &self.members {
            map.entry(&k, &format_args!("{}", v.get()));
        }
        for k in &self.nulls {
            map.entry(k, &format_args!("null"));
        }
        for k in &self.absent {
            map.entry(k, &format_args!("<absent>"));
        }
        map.finish()
    }
}

/// A value of a string enum that the spec does not list, kept verbatim.
///
/// Only decoding and the generated enum's `From<&str>` create one, and only
/// for values the enum does not list.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// For the generated enums' `From<&str>`, after every listed value was
    /// ruled out.
    #[allow(dead_code)] // an API may have no string enum
    pub(crate) fn new(value: impl Into<String>) -> UnknownValue {
        UnknownValue(value.into().into_boxed_str())
    }

    /// The value as it came.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for UnknownValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(MARKER, &*self.0)
    }
}

/// A `oneOf`/`anyOf` value that matches none of the variants (or whose
/// discriminator names none), kept as its exact JSON text.
///
/// Only decoding creates one.
#[derive(Clone)]
pub struct UnmatchedValue(Box<RawValue>);

impl UnmatchedValue {
    pub(crate) fn new(raw: Box<RawValue>) -> UnmatchedValue {
        UnmatchedValue(raw)
    }

    /// The exact JSON text of the value.
    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// The value as a [`serde_json::Value`].
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).unwrap_or(serde_json::Value::Null)
    }
}

impl PartialEq for UnmatchedValue {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

impl Eq for UnmatchedValue {}

impl std::hash::Hash for UnmatchedValue {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.get().hash(state);
    }
}

impl PartialOrd for UnmatchedValue {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By JSON text.
impl Ord for UnmatchedValue {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.get().cmp(other.0.get())
    }
}

impl fmt::Debug for UnmatchedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.get())
    }
}

impl Serialize for UnmatchedValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(MARKER, &self.0)
    }
}

/// A member of [`UnknownFields`] for encoding: marked as unknown.
pub(crate) struct Marked<'a>(pub(crate) &'a RawValue);

impl Serialize for Marked<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(MARKER, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_order_and_exact_text() {
        let mut u = UnknownFields::default();
        u.push("b".into(), RawValue::from_string("1.50".into()).unwrap());
        u.push(
            "a".into(),
            RawValue::from_string(r#"{"x": [1e3]}"#.into()).unwrap(),
        );
        let names: Vec<&str> = u.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(u.get("a").unwrap().get(), r#"{"x": [1e3]}"#);
        assert_eq!(format!("{u:?}"), r#"{"b": 1.50, "a": {"x": [1e3]}}"#);
        let mut v = UnknownFields::default();
        v.push("b".into(), RawValue::from_string("1.5".into()).unwrap());
        v.push(
            "a".into(),
            RawValue::from_string(r#"{"x": [1e3]}"#.into()).unwrap(),
        );
        assert_ne!(u, v, "different text is a different value");
        assert!(u.remove("b") && !u.remove("b"));
        u.insert("c", &[1, 2]).unwrap();
        assert_eq!(u.get("c").unwrap().get(), "[1,2]");
    }

    #[test]
    fn markers_are_invisible_to_json() {
        let v = UnknownValue::new("NEW");
        assert_eq!(serde_json::to_string(&v).unwrap(), r#""NEW""#);
        let raw = RawValue::from_string(r#"{"a" : 1}"#.into()).unwrap();
        let u = UnmatchedValue::new(raw);
        assert_eq!(serde_json::to_string(&u).unwrap(), r#"{"a" : 1}"#);
        assert_eq!(u.to_value(), serde_json::json!({"a": 1}));
    }
}
