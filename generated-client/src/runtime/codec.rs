//! The tables that give generated models their `Serialize` and `Deserialize`
//! impls.
//!
//! Each generated model has a codec file (`generated/codec/`) holding one
//! macro call: a table with one line per field, enum value or variant, in
//! which each wire name appears once. The macros expand to plain impls against
//! [`ser`](crate::runtime::ser), [`de`](crate::runtime::de) and
//! [`fit`](crate::runtime::fit); the model files themselves hold only the types
//! and their documentation. This keeps the diff of a spec change small (a new
//! optional field is one line in the model and one in its codec) and the
//! generated crate fast to type-check (no serde derive per type).
//!
//! * `object!`: a struct. Lines are grouped `required`, `nullable`
//!   (required, may be `null`), `optional`, then `additional` (a typed
//!   `additionalProperties` map) and `unknown` (the [`UnknownFields`] member);
//!   for a struct with required fields it also writes `new`, which takes them
//!   (one without derives `Default` instead).
//! * `string_enum!`: a string enum with its catch-all variant
//!   ([`UnknownValue`]); also `as_str`, `is_known`, `KNOWN`, `From<&str>`,
//!   `FromStr` and `Display`.
//! * `untagged!` and `tagged!`: `oneOf`/`anyOf` (best fit, or by
//!   discriminator) with a catch-all ([`UnmatchedValue`]).
//! * `transparent!`: a newtype (a recursive alias).
//!
//! [`UnknownFields`]: crate::runtime::UnknownFields
//! [`UnknownValue`]: crate::runtime::UnknownValue
//! [`UnmatchedValue`]: crate::runtime::UnmatchedValue

/// `Serialize`, `Deserialize` and (with required fields) `new` for a generated struct. See the
/// [module docs](self).
#[allow(unused_macros)] // an API may have no type of this kind
macro_rules! object {
    (
        $ty:path as $name:literal;
        $( required $rf:ident: $rty:ty = $rw:literal; )*
        $( nullable $nf:ident: $nty:ty = $nw:literal; )*
        $( optional $of:ident: $oty:ty = $ow:literal; )*
        $( additional $af:ident: $aty:ty; )?
        unknown $uf:ident;
    ) => {
        $crate::runtime::codec::object!(
            @new $ty, $name; [$( $rf: $rty ),*] [$( $nf ),*] [$( $of ),*] [$( $af )?] $uf
        );

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut out = $crate::runtime::ser::ObjectWriter::new(serializer);
                $( out.required($rw, &self.$rf); )*
                $( out.nullable($nw, &self.$nf, &self.$uf); )*
                $( out.optional($ow, &self.$of, &self.$uf); )*
                $( out.additional(&self.$af); )?
                out.unknown(&self.$uf);
                out.end()
            }
        }

        $crate::runtime::codec::object!(
            @de $ty, $name;
            [$( $rf: $rty = $rw ),*]
            [$( $nf: $nty = $nw ),*]
            [$( $of: $oty = $ow ),*]
            [$( $af: $aty )?]
            $uf
        );
    };
    // Every field optional: decoded in place into a default value.
    (
        @de $ty:path, $name:literal; [] []
        [$( $of:ident: $oty:ty = $ow:literal ),*] [$( $af:ident: $aty:ty )?] $uf:ident
    ) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[derive(Default)]
                struct Slots($ty);
                impl<'de> $crate::runtime::de::StructFields<'de> for Slots {
                    type Output = $ty;
                    const NAME: &'static str = $name;
                    fn field<A: serde::de::MapAccess<'de>>(
                        &mut self,
                        key: &str,
                        map: &mut A,
                    ) -> Result<(), A::Error> {
                        use $crate::runtime::de;
                        let this = &mut self.0;
                        match key {
                            $( $ow => de::optional(&mut this.$of, &mut this.$uf, $ow, map), )*
                            _ => $crate::runtime::codec::object!(@rest this, key, map, $uf $(, $af)?),
                        }
                    }
                    fn finish<E: serde::de::Error>(self) -> Result<$ty, E> {
                        Ok(self.0)
                    }
                }
                $crate::runtime::de::deserialize_struct::<D, Slots>(deserializer)
            }
        }
    };
    // Required fields: each in a slot until the object is read.
    (
        @de $ty:path, $name:literal;
        [$( $rf:ident: $rty:ty = $rw:literal ),*]
        [$( $nf:ident: $nty:ty = $nw:literal ),*]
        [$( $of:ident: $oty:ty = $ow:literal ),*]
        [$( $af:ident: $aty:ty )?]
        $uf:ident
    ) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Slots {
                    $( $rf: Option<$rty>, )*
                    $( $nf: Option<Option<$nty>>, )*
                    $( $of: Option<$oty>, )*
                    $( $af: std::collections::BTreeMap<String, $aty>, )?
                    $uf: $crate::runtime::UnknownFields,
                }
                // Written out rather than derived: `None` asks rustc to prove nothing,
                // where a derive proves `Option<T>: Default` for every field.
                impl Default for Slots {
                    fn default() -> Self {
                        Slots {
                            $( $rf: None, )*
                            $( $nf: None, )*
                            $( $of: None, )*
                            $( $af: Default::default(), )?
                            $uf: Default::default(),
                        }
                    }
                }
                impl<'de> $crate::runtime::de::StructFields<'de> for Slots {
                    type Output = $ty;
                    const NAME: &'static str = $name;
                    fn field<A: serde::de::MapAccess<'de>>(
                        &mut self,
                        key: &str,
                        map: &mut A,
                    ) -> Result<(), A::Error> {
                        use $crate::runtime::de;
                        match key {
                            $( $rw => de::required(&mut self.$rf, key, map), )*
                            $( $nw => de::nullable(&mut self.$nf, key, map), )*
                            $( $ow => de::optional(&mut self.$of, &mut self.$uf, $ow, map), )*
                            _ => $crate::runtime::codec::object!(@rest self, key, map, $uf $(, $af)?),
                        }
                    }
                    // `mut` for the required nullable fields, which a struct may lack.
                    #[allow(unused_mut)]
                    fn finish<E: serde::de::Error>(mut self) -> Result<$ty, E> {
                        type Out = $ty;
                        $( let $nf = $crate::runtime::de::nullable_value(self.$nf.take(), &mut self.$uf, $nw); )*
                        Ok(Out {
                            $( $rf: $crate::runtime::de::take(self.$rf, $rw)?, )*
                            $( $nf, )*
                            $( $of: self.$of, )*
                            $( $af: self.$af, )?
                            $uf: self.$uf,
                        })
                    }
                }
                $crate::runtime::de::deserialize_struct::<D, Slots>(deserializer)
            }
        }
    };
    // No required field: the struct derives `Default`, which is its constructor.
    (@new $ty:path, $name:literal; [] [$( $nf:ident ),*] [$( $of:ident ),*] [$( $af:ident )?] $uf:ident) => {};
    (
        @new $ty:path, $name:literal;
        [$( $rf:ident: $rty:ty ),+] [$( $nf:ident ),*] [$( $of:ident ),*] [$( $af:ident )?] $uf:ident
    ) => {
        impl $ty {
            #[doc = concat!("A `", $name, "` with the given required fields; every optional field is `None`.")]
            #[allow(clippy::too_many_arguments)]
            pub fn new($( $rf: $rty ),+) -> Self {
                Self {
                    $( $rf, )+
                    $( $nf: None, )*
                    $( $of: None, )*
                    $( $af: Default::default(), )?
                    $uf: Default::default(),
                }
            }
        }
    };
    (@rest $self:ident, $key:ident, $map:ident, $uf:ident) => {
        $crate::runtime::de::unknown(&mut $self.$uf, $key, $map)
    };
    (@rest $self:ident, $key:ident, $map:ident, $uf:ident, $af:ident) => {
        $crate::runtime::de::additional(&mut $self.$af, $key, $map)
    };
}
#[allow(unused_imports)]
pub(crate) use object;

/// The impls of a generated string enum. See the [module docs](self).
#[allow(unused_macros)] // an API may have no type of this kind
macro_rules! string_enum {
    (
        $ty:path as $name:literal, unknown $u:ident;
        $( $v:ident = $w:literal; )*
    ) => {
        impl $ty {
            /// The values the spec lists, in its order.
            pub const KNOWN: &'static [Self] = &[$( Self::$v ),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$v => $w, )*
                    Self::$u(value) => value.as_str(),
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::$u(_))
            }
        }

        impl From<&str> for $ty {
            fn from(value: &str) -> Self {
                match value {
                    $( $w => Self::$v, )*
                    other => Self::$u($crate::runtime::UnknownValue::new(other)),
                }
            }
        }

        impl From<String> for $ty {
            fn from(value: String) -> Self {
                // The values are matched once, in `From<&str>`; an unknown one keeps
                // the caller's `String`.
                match Self::from(value.as_str()) {
                    Self::$u(_) => Self::$u($crate::runtime::UnknownValue::new(value)),
                    known => known,
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::$u(value) => serde::Serialize::serialize(value, serializer),
                    known => serializer.serialize_str(known.as_str()),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::de::string_enum(deserializer, $name)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// The impls of a `oneOf`/`anyOf` decoded by best fit. See the
/// [module docs](self) and [`de::union`](crate::runtime::de::union).
#[allow(unused_macros)] // an API may have no type of this kind
macro_rules! untagged {
    (
        $ty:path as $name:literal, other $o:ident;
        $( $v:ident($vt:ty); )*
    ) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$v(value) => serde::Serialize::serialize(value, serializer), )*
                    Self::$o(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::de::union(
                    deserializer,
                    &[$( |raw| $crate::runtime::de::variant::<$vt, Self>(raw, Self::$v) ),*],
                    Self::$o,
                )
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use untagged;

/// The impls of a `oneOf`/`anyOf` with a discriminator. See the
/// [module docs](self) and [`de::tagged`](crate::runtime::de::tagged).
#[allow(unused_macros)] // an API may have no type of this kind
macro_rules! tagged {
    (
        $ty:path as $name:literal, tag $property:literal, other $o:ident;
        $( $v:ident($vt:ty) = $( $tag:literal )|+; )*
    ) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$v(value) => serde::Serialize::serialize(value, serializer), )*
                    Self::$o(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::de::tagged(
                    deserializer,
                    $property,
                    |tag| -> Option<$crate::runtime::de::DecodeVariant<Self>> {
                        match tag {
                            $( $( $tag )|+ => Some(|raw| serde_json::from_str::<$vt>(raw).map(Self::$v)), )*
                            _ => None,
                        }
                    },
                    Self::$o,
                )
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use tagged;

/// The impls of a generated newtype (a recursive alias). See the
/// [module docs](self).
#[allow(unused_macros)] // an API may have no type of this kind
macro_rules! transparent {
    ($ty:path as $name:literal;) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                serde::Deserialize::deserialize(deserializer).map(Self)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use transparent;

#[cfg(test)]
#[allow(dead_code)]
mod tests {
    use crate::runtime::{UnknownFields, UnknownValue, UnmatchedValue};
    use serde_json::json;
    use std::collections::BTreeMap;

    /// What the generator writes for
    /// `{required: [id, owner], properties: {id, owner (nullable), displayName, tags}}`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Item {
        pub display_name: Option<String>,
        pub id: String,
        pub owner: Option<String>,
        pub tags: Option<Vec<String>>,
        pub unknown_fields: UnknownFields,
    }

    object! {
        Item as "Item";
        required id: String = "id";
        nullable owner: String = "owner";
        optional display_name: String = "displayName";
        optional tags: Vec<String> = "tags";
        unknown unknown_fields;
    }

    /// With typed `additionalProperties`.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Counts {
        pub total: Option<i64>,
        pub additional_properties: BTreeMap<String, i64>,
        pub unknown_fields: UnknownFields,
    }

    object! {
        Counts as "Counts";
        optional total: i64 = "total";
        additional additional_properties: i64;
        unknown unknown_fields;
    }

    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Kind {
        Err,
        Unknown2,
        Unknown(UnknownValue),
    }

    string_enum! {
        Kind as "Kind", unknown Unknown;
        Err = "ERR";
        Unknown2 = "Unknown";
    }

    /// `{state: {enum: [attached]}}`
    #[derive(Debug, Clone, PartialEq)]
    pub struct Attached {
        pub state: State,
        pub unknown_fields: UnknownFields,
    }
    object! { Attached as "Attached"; required state: State = "state"; unknown unknown_fields; }

    #[derive(Debug, Clone, PartialEq)]
    pub struct Detached {
        pub state: String,
        pub instance: Option<String>,
        pub unknown_fields: UnknownFields,
    }
    object! {
        Detached as "Detached";
        required state: String = "state";
        optional instance: String = "instance";
        unknown unknown_fields;
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum State {
        Attached,
        Unknown(UnknownValue),
    }
    string_enum! { State as "State", unknown Unknown; Attached = "attached"; }

    #[derive(Debug, Clone, PartialEq)]
    pub enum Attachment {
        Attached(Attached),
        Detached(Detached),
        String(String),
        Other(UnmatchedValue),
    }
    untagged! {
        Attachment as "Attachment", other Other;
        Attached(Attached);
        Detached(Detached);
        String(String);
    }

    #[derive(Debug, Clone, PartialEq)]
    pub enum Pet {
        Cat(Attached),
        Dog(Box<Detached>),
        Other(UnmatchedValue),
    }
    tagged! {
        Pet as "Pet", tag "kind", other Other;
        Cat(Attached) = "cat";
        Dog(Box<Detached>) = "dog" | "Dog";
    }

    #[derive(Debug, Clone, PartialEq)]
    pub struct List(pub Vec<List>);
    transparent! { List as "List"; }

    fn item(json: &str) -> Result<Item, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> String {
        let value: T = serde_json::from_str(json).unwrap();
        serde_json::to_string(&value).unwrap()
    }

    /// The same JSON, members in any order.
    fn same(a: &str, b: &str) -> bool {
        serde_json::from_str::<serde_json::Value>(a).unwrap()
            == serde_json::from_str::<serde_json::Value>(b).unwrap()
    }

    #[test]
    fn fields_decode_and_unknown_members_come_back_unchanged() {
        let json = r#"{"id":"1","owner":null,"displayName":"A","x":{"n":1.50},"y":[1e3]}"#;
        let v = item(json).unwrap();
        assert_eq!(v.id, "1");
        assert_eq!(v.display_name.as_deref(), Some("A"));
        assert_eq!(v.unknown_fields.len(), 2);
        assert_eq!(round_trip::<Item>(json), json);
    }

    #[test]
    fn explicit_null_on_an_optional_field_comes_back() {
        let json = r#"{"id":"1","owner":"o","displayName":null}"#;
        let v = item(json).unwrap();
        assert_eq!(v.display_name, None);
        assert_eq!(round_trip::<Item>(json), json);
        let absent = item(r#"{"id":"1","owner":"o"}"#).unwrap();
        assert_ne!(v, absent, "null and absent encode differently");
    }

    #[test]
    fn a_missing_required_nullable_field_stays_missing() {
        // A server may leave a required nullable member out: it decodes as `None` and
        // is left out again, unless the caller sets it.
        let json = r#"{"id":"1"}"#;
        let mut v = item(json).unwrap();
        assert_eq!(v.owner, None);
        assert_eq!(round_trip::<Item>(json), json);
        assert_ne!(v, item(r#"{"id":"1","owner":null}"#).unwrap());
        v.owner = Some("o".into());
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"id":"1","owner":"o"}"#
        );
    }

    #[test]
    fn new_takes_the_required_fields() {
        let v = Item::new("7".into());
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"id":"7","owner":null}"#
        );
    }

    #[test]
    fn missing_duplicate_and_wrong_types_are_errors_naming_them() {
        let e = item(r#"{"displayName":"A"}"#).unwrap_err();
        assert!(e.starts_with("missing field `id`"), "{e}");
        let e = item(r#"{"id":"1","id":"2"}"#).unwrap_err();
        assert!(e.starts_with("duplicate field `id`"), "{e}");
        let e = item(r#"{"id":"1","displayName":null,"displayName":"x"}"#).unwrap_err();
        assert!(e.starts_with("duplicate field `displayName`"), "{e}");
        let e = item(r#""text""#).unwrap_err();
        assert!(e.contains("expected struct Item"), "{e}");
        let e = item(r#"["1", null]"#).unwrap_err();
        assert!(e.contains("expected struct Item"), "{e}");
        let e = item(r#"{"id":7}"#).unwrap_err();
        assert!(
            e.contains("invalid type: integer `7`, expected a string"),
            "{e}"
        );
    }

    #[test]
    fn decodes_from_values_and_escaped_keys() {
        let v: Item = serde_json::from_value(json!({"id": "2", "other": [1, 2]})).unwrap();
        assert_eq!(v.unknown_fields.get("other").unwrap().get(), "[1,2]");
        let v = item(r#"{"\u0069d":"1"}"#).unwrap();
        assert_eq!(v.id, "1");
    }

    #[test]
    fn additional_properties_are_typed() {
        let json = r#"{"total":3,"a":1,"b":2}"#;
        let c: Counts = serde_json::from_str(json).unwrap();
        assert_eq!(c.additional_properties.len(), 2);
        assert_eq!(round_trip::<Counts>(json), json);
        assert!(serde_json::from_str::<Counts>(r#"{"a":"x"}"#).is_err());
    }

    #[test]
    fn enums_map_listed_values_to_variants_whatever_their_names() {
        assert_eq!(Kind::from("ERR"), Kind::Err);
        assert_eq!(Kind::from("Unknown"), Kind::Unknown2);
        assert_eq!("ERR".parse::<Kind>().unwrap(), Kind::Err);
        let new = Kind::from("NEW".to_string());
        assert!(!new.is_known());
        assert_eq!(new.as_str(), "NEW");
        assert_eq!(
            round_trip::<Vec<Kind>>(r#"["ERR","NEW"]"#),
            r#"["ERR","NEW"]"#
        );
        assert_eq!(Kind::KNOWN, &[Kind::Err, Kind::Unknown2]);
    }

    #[test]
    fn unions_pick_the_variant_that_knows_most() {
        // The subset variant does not swallow the fuller one.
        let json = r#"{"state":"attached","instance":"i-1"}"#;
        assert!(matches!(
            serde_json::from_str::<Attachment>(json).unwrap(),
            Attachment::Detached(_)
        ));
        assert_eq!(round_trip::<Attachment>(json), json);
        // A one-value enum is a tag: only its own value matches strictly.
        let json = r#"{"state":"detached"}"#;
        assert!(matches!(
            serde_json::from_str::<Attachment>(json).unwrap(),
            Attachment::Detached(_)
        ));
        let json = r#"{"state":"attached"}"#;
        assert!(matches!(
            serde_json::from_str::<Attachment>(json).unwrap(),
            Attachment::Attached(_)
        ));
        // Nothing strict: the one that knows most, and nothing is narrowed.
        let json = r#"{"state":"new","instance":"i","extra":1}"#;
        assert!(matches!(
            serde_json::from_str::<Attachment>(json).unwrap(),
            Attachment::Detached(_)
        ));
        assert_eq!(round_trip::<Attachment>(json), json);
        assert_eq!(round_trip::<Attachment>(r#""s""#), r#""s""#);
        let json = r#"[1, 2.50]"#;
        let v: Attachment = serde_json::from_str(json).unwrap();
        assert!(matches!(&v, Attachment::Other(o) if o.json() == json));
        assert_eq!(serde_json::to_string(&v).unwrap(), json);
    }

    #[test]
    fn tagged_unions_follow_the_tag() {
        // The variant does not declare the tag: it is kept as an unknown member,
        // written after the known ones.
        let json = r#"{"kind":"Dog","state":"x"}"#;
        assert!(matches!(
            serde_json::from_str::<Pet>(json).unwrap(),
            Pet::Dog(_)
        ));
        assert!(same(&round_trip::<Pet>(json), json));
        let json = r#"{"kind":"bird","wings":2}"#;
        assert!(matches!(
            serde_json::from_str::<Pet>(json).unwrap(),
            Pet::Other(_)
        ));
        assert_eq!(round_trip::<Pet>(json), json);
        assert!(serde_json::from_str::<Pet>(r#"{"kind":"cat"}"#).is_err());
    }

    #[test]
    fn newtypes_are_transparent() {
        assert_eq!(round_trip::<List>("[[],[[]]]"), "[[],[[]]]");
    }
}
