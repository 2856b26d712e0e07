//! How well a decoded value describes the JSON it came from.
//!
//! A `oneOf`/`anyOf` decoder decodes the JSON into each variant and keeps the
//! one that accounts for it best. Every generated type keeps what it does not
//! know (unknown object members, unlisted enum values, unmatched union
//! values), so several variants may decode the same JSON without losing
//! anything; they differ in how much of it they *know*. [`score`] encodes a
//! decoded value with a serializer that writes nothing and counts instead:
//!
//! * `known`: object members written as fields the type declares (at every
//!   depth);
//! * `unknown`: values the type kept without knowing them (unknown members,
//!   unlisted enum values, unmatched union values), recognised by the marker
//!   newtype they encode through (`runtime::unknown`).
//!
//! A variant with `unknown == 0` is *strict*: it knows every key and every enum
//! value (so a one-value enum used as a tag only matches that value). The
//! decoder takes the first strict variant in spec order, otherwise the one with
//! the most known members, ties going to the earlier variant.

use std::fmt;

use serde::ser::{self, Serialize};

use crate::runtime::unknown::MARKER;

/// The counts of [`score`]; see the module docs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fit {
    /// Object members the type declares, at every depth.
    pub known: u32,
    /// Values kept without being known.
    pub unknown: u32,
}

impl Fit {
    /// Knows everything it holds.
    pub fn is_strict(&self) -> bool {
        self.unknown == 0
    }
}

/// Counts what `value` knows and what it only keeps.
pub fn score<T: Serialize + ?Sized>(value: &T) -> Fit {
    let mut fit = Fit::default();
    // Counting never fails; a serializer error from a hand-written impl only
    // ends the count early.
    let _ = value.serialize(Probe { fit: &mut fit });
    fit
}

/// Never produced by the probe itself; exists because `Serializer` needs one.
#[derive(Debug)]
pub struct FitError(String);

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FitError {}

impl ser::Error for FitError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FitError(msg.to_string())
    }
}

/// Serializes one value into the counts. `Ok` is whether the value itself was
/// a marked (unknown) value.
struct Probe<'a> {
    fit: &'a mut Fit,
}

impl<'a> Probe<'a> {
    fn child(&mut self) -> Probe<'_> {
        Probe { fit: self.fit }
    }
}

type R = Result<bool, FitError>;

impl<'a> ser::Serializer for Probe<'a> {
    type Ok = bool;
    type Error = FitError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, _: bool) -> R {
        Ok(false)
    }
    fn serialize_i8(self, _: i8) -> R {
        Ok(false)
    }
    fn serialize_i16(self, _: i16) -> R {
        Ok(false)
    }
    fn serialize_i32(self, _: i32) -> R {
        Ok(false)
    }
    fn serialize_i64(self, _: i64) -> R {
        Ok(false)
    }
    fn serialize_u8(self, _: u8) -> R {
        Ok(false)
    }
    fn serialize_u16(self, _: u16) -> R {
        Ok(false)
    }
    fn serialize_u32(self, _: u32) -> R {
        Ok(false)
    }
    fn serialize_u64(self, _: u64) -> R {
        Ok(false)
    }
    fn serialize_f32(self, _: f32) -> R {
        Ok(false)
    }
    fn serialize_f64(self, _: f64) -> R {
        Ok(false)
    }
    fn serialize_char(self, _: char) -> R {
        Ok(false)
    }
    fn serialize_str(self, _: &str) -> R {
        Ok(false)
    }
    fn serialize_bytes(self, _: &[u8]) -> R {
        Ok(false)
    }
    fn serialize_none(self) -> R {
        Ok(false)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(false)
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Ok(false)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> R {
        Ok(false)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> R {
        if name == MARKER {
            self.fit.unknown += 1;
            return Ok(true);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> R {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, FitError> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, FitError> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, FitError> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, FitError> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, FitError> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, FitError> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, FitError> {
        Ok(self)
    }
}

impl Probe<'_> {
    /// One member of an object: known unless its value is marked.
    fn member<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FitError> {
        if !value.serialize(self.child())? {
            self.fit.known += 1;
        }
        Ok(())
    }
    /// An element of a sequence: only what it contains counts.
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FitError> {
        value.serialize(self.child()).map(drop)
    }
}

impl ser::SerializeSeq for Probe<'_> {
    type Ok = bool;
    type Error = FitError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FitError> {
        self.element(value)
    }
    fn end(self) -> R {
        Ok(false)
    }
}

impl ser::SerializeTuple for Probe<'_> {
    type Ok = bool;
    type Error = FitError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FitError> {
        self.element(value)
    }
    fn end(self) -> R {
        Ok(false)
    }
}

impl ser::SerializeTupleStruct for Probe<'_> {
    type Ok = bool;
    type Error = FitError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FitError> {
        self.element(value)
    }
    fn end(self) -> R {
        Ok(false)
    }
}

impl ser::SerializeTupleVariant for Probe<'_> {
    type Ok = bool;
    type Error = FitError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FitError> {
        self.element(value)
    }
    fn end(self) -> R {
        Ok(false)
    }
}

impl ser::SerializeMap for Probe<'_> {
    type Ok = bool;
    type Error = FitError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), FitError> {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FitError> {
        self.member(value)
    }
    fn end(self) -> R {
        Ok(false)
    }
}

impl ser::SerializeStruct for Probe<'_> {
    type Ok = bool;
    type Error = FitError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), FitError> {
        self.member(value)
    }
    fn end(self) -> R {
        Ok(false)
    }
}

impl ser::SerializeStructVariant for Probe<'_> {
    type Ok = bool;
    type Error = FitError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), FitError> {
        self.member(value)
    }
    fn end(self) -> R {
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::unknown::{UnknownFields, UnknownValue};

    #[test]
    fn counts_known_members_and_marked_values() {
        assert_eq!(
            score(&serde_json::json!({"a": 1, "b": {"c": [1]}})).known,
            3
        );
        let fit = score(&vec![UnknownValue::new("X"), UnknownValue::new("Y")]);
        assert_eq!(
            fit,
            Fit {
                known: 0,
                unknown: 2
            }
        );
        let mut u = UnknownFields::default();
        u.insert("z", &1).unwrap();
        let mut map = serde_json::Map::new();
        map.insert("a".into(), 1.into());
        // A struct writer puts unknown members through the marker; a plain map has none.
        assert!(score(&map).is_strict());
        assert!(!score(&UnknownValue::new("Q")).is_strict());
    }
}
