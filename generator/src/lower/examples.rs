//! The spec's examples of parameters, bodies and schemas: what the test registry's
//! example calls send and what mocks' `respond_example` answers. Examples are taken as
//! the spec writes them; whether they fit their types is checked when they are used
//! (decoded through the generated types), not here.

use super::Lowerer;
use super::schema::SRef;
use indexmap::IndexMap;
use openapiv3::{
    Example, MediaType, ParameterData, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::{Map, Value};

impl<'s> Lowerer<'s> {
    /// A schema's example: its `example` (following `$ref`s), or, as Prism builds
    /// static answers, one put together from the examples of its parts: an object from
    /// its properties' (when every required property has one), an array from its
    /// items', `allOf` merged, the first `oneOf`/`anyOf` alternative that has one. A
    /// `default` or the first enum value counts as an example; no value is invented.
    pub(crate) fn schema_example(&self, s: SRef<'s>) -> Option<Value> {
        self.compose_example(s, &mut Vec::new())
    }

    fn compose_example(&self, s: SRef<'s>, visiting: &mut Vec<&'s str>) -> Option<Value> {
        const MAX_DEPTH: usize = 12;
        let schema = match s {
            SRef::Item(schema) => schema,
            SRef::Ref(r) => {
                let (key, target) = self.schema_target(r, "#").ok()?;
                if visiting.contains(&key) || visiting.len() >= MAX_DEPTH {
                    return None;
                }
                visiting.push(key);
                let found = self.compose_example(SRef::of(target), visiting);
                visiting.pop();
                return found;
            }
        };
        let data = &schema.schema_data;
        if let Some(v) = data.example.as_ref().or(data.default.as_ref()) {
            return Some(v.clone());
        }
        if visiting.len() >= MAX_DEPTH {
            return None;
        }
        // Inline schemas count towards the depth too.
        visiting.push("");
        let found = self.compose_parts(schema, visiting);
        visiting.pop();
        found
    }

    fn compose_parts(&self, schema: &'s Schema, visiting: &mut Vec<&'s str>) -> Option<Value> {
        let object = |cx: &Self,
                      props: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
                      required: &[String],
                      visiting: &mut Vec<&'s str>| {
            let mut out = Map::new();
            for (name, p) in props {
                if let Some(v) = cx.compose_example(SRef::of_box(p), visiting) {
                    out.insert(name.clone(), v);
                }
            }
            let complete = required.iter().all(|r| out.contains_key(r));
            (complete && !out.is_empty()).then_some(Value::Object(out))
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => object(self, &o.properties, &o.required, visiting),
            SchemaKind::Type(Type::Array(a)) => {
                let item = self.compose_example(SRef::of_box(a.items.as_ref()?), visiting)?;
                Some(Value::Array(vec![item]))
            }
            SchemaKind::Type(Type::String(st)) => st
                .enumeration
                .iter()
                .flatten()
                .next()
                .map(|v| Value::String(v.clone())),
            SchemaKind::AllOf { all_of } => {
                let mut merged = Map::new();
                for part in all_of {
                    match self.compose_example(SRef::of(part), visiting)? {
                        Value::Object(m) => merged.extend(m),
                        _ => return None,
                    }
                }
                (!merged.is_empty()).then_some(Value::Object(merged))
            }
            SchemaKind::OneOf { one_of: alts } | SchemaKind::AnyOf { any_of: alts } => alts
                .iter()
                .find_map(|alt| self.compose_example(SRef::of(alt), visiting)),
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                object(self, &any.properties, &any.required, visiting)
            }
            _ => None,
        }
    }

    /// A media type's example: its `example`, its first `examples` entry with a value,
    /// or its schema's.
    pub(crate) fn media_example(&self, m: &'s MediaType) -> Option<Value> {
        m.example
            .clone()
            .or_else(|| m.examples.values().find_map(|e| self.example_value(e)))
            .or_else(|| {
                m.schema
                    .as_ref()
                    .and_then(|s| self.schema_example(SRef::of(s)))
            })
    }

    /// A parameter's example: its `example`, its first `examples` entry with a value,
    /// or its schema's (or its content's); failing those, a value of its type
    /// ([`value_of_type`](Self::value_of_type)).
    pub(crate) fn parameter_example(&self, data: &'s ParameterData) -> Option<Value> {
        data.example
            .clone()
            .or_else(|| data.examples.values().find_map(|e| self.example_value(e)))
            .or_else(|| match &data.format {
                ParameterSchemaOrContent::Schema(s) => self
                    .schema_example(SRef::of(s))
                    .or_else(|| self.value_of_type(SRef::of(s), &data.name)),
                ParameterSchemaOrContent::Content(c) => {
                    c.values().find_map(|m| self.media_example(m))
                }
            })
    }

    /// A form field's example: its schema's, or a value of its type.
    pub(crate) fn field_example(&self, s: SRef<'s>, name: &str) -> Option<Value> {
        self.schema_example(s)
            .or_else(|| self.value_of_type(s, name))
    }

    /// A value of a schema the spec gives no example of, for an example call: the first
    /// enum value, a value of the string's `format` (a nil UUID, an `example.com`
    /// address, ...), the string's name when it has no format or pattern, a number's
    /// minimum (else 1), `true`, a list of one such value, an object of its required
    /// properties. `None` where no value can be made up safely (a `pattern` none of a
    /// few plain strings matches, a required property without a value).
    pub(crate) fn value_of_type(&self, s: SRef<'s>, name: &str) -> Option<Value> {
        self.value_at_depth(s, name, 0)
    }

    fn value_at_depth(&self, s: SRef<'s>, name: &str, depth: usize) -> Option<Value> {
        const MAX_DEPTH: usize = 8;
        if depth > MAX_DEPTH {
            return None;
        }
        let (schema, _) = self.resolve(s, "#").ok()?;
        let part = |s: SRef<'s>, name: &str| {
            self.schema_example(s)
                .or_else(|| self.value_at_depth(s, name, depth + 1))
        };
        let object = |props: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
                      required: &[String]| {
            let mut out = Map::new();
            for r in required {
                out.insert(r.clone(), part(SRef::of_box(props.get(r)?), r)?);
            }
            Some(Value::Object(out))
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => object(&o.properties, &o.required),
            SchemaKind::Any(a) if !a.properties.is_empty() => object(&a.properties, &a.required),
            SchemaKind::AllOf { all_of } => {
                let mut merged = Map::new();
                for p in all_of {
                    match part(SRef::of(p), name)? {
                        Value::Object(m) => merged.extend(m),
                        _ => return None,
                    }
                }
                Some(Value::Object(merged))
            }
            SchemaKind::Type(Type::String(st)) => {
                if let Some(v) = st.enumeration.iter().flatten().next() {
                    return Some(Value::String(v.clone()));
                }
                let text = match &st.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "2024-01-01",
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "2024-01-01T00:00:00Z",
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => "ZXhhbXBsZQ==",
                    VariantOrUnknownOrEmpty::Item(_) => "example",
                    VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
                        "uuid" => "00000000-0000-0000-0000-000000000000",
                        "email" => "user@example.com",
                        "uri" | "url" | "iri" => "https://example.com/",
                        "hostname" => "example.com",
                        "ipv4" => "192.0.2.1",
                        "ipv6" => "2001:db8::1",
                        _ => return matching(name, st.pattern.as_deref(), st.min_length),
                    },
                    VariantOrUnknownOrEmpty::Empty => {
                        return matching(name, st.pattern.as_deref(), st.min_length);
                    }
                };
                let mut text = text.to_string();
                let min = st.min_length.unwrap_or(0);
                while text.chars().count() < min {
                    text.push('x');
                }
                Some(Value::String(text))
            }
            SchemaKind::Type(Type::Integer(it)) => {
                let v = match it.minimum {
                    Some(min) if it.exclusive_minimum => min.saturating_add(1),
                    Some(min) => min,
                    None => 1,
                };
                let v = it.maximum.map_or(v, |max| v.min(max));
                Some(Value::from(v))
            }
            SchemaKind::Type(Type::Number(nt)) => {
                let v = nt.minimum.unwrap_or(1.0);
                let v = nt.maximum.map_or(v, |max| v.min(max));
                serde_json::Number::from_f64(v).map(Value::Number)
            }
            SchemaKind::Type(Type::Boolean(_)) => Some(Value::Bool(true)),
            SchemaKind::OneOf { one_of: alts } | SchemaKind::AnyOf { any_of: alts } => {
                // A string alternative first: its made-up value (the name) is rarely also
                // a number, so it fits one alternative only, as `oneOf` demands (`1`
                // would be both an integer and, in a URL, a string).
                let is_string = |alt: &&'s ReferenceOr<Schema>| {
                    self.resolve(SRef::of(alt), "#").is_ok_and(|(s, _)| {
                        matches!(s.schema_kind, SchemaKind::Type(Type::String(_)))
                    })
                };
                alts.iter()
                    .filter(is_string)
                    .chain(alts.iter().filter(|a| !is_string(a)))
                    .find_map(|alt| part(SRef::of(alt), name))
            }
            SchemaKind::Type(Type::Array(a)) => {
                let item = part(SRef::of_box(a.items.as_ref()?), name)?;
                Some(Value::Array(vec![item]))
            }
            _ => None,
        }
    }

    fn example_value(&self, e: &'s ReferenceOr<Example>) -> Option<Value> {
        match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { reference } => {
                let key = self.component_key(reference, "examples", "#").ok()?;
                match self.spec.components.as_ref()?.examples.get(&key)? {
                    ReferenceOr::Item(e) => e.value.clone(),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }
}

/// A string for a schema without a `format`: the name, or when the schema has a
/// `pattern`, the first of a few plain candidates that matches it (`None` when none
/// does, or the pattern is not a regular expression Rust reads); padded to
/// `min_length`.
fn matching(name: &str, pattern: Option<&str>, min_length: Option<usize>) -> Option<Value> {
    let pad = |mut text: String| {
        while text.chars().count() < min_length.unwrap_or(0) {
            text.push('x');
        }
        text
    };
    let Some(pattern) = pattern else {
        return Some(Value::String(pad(name.to_string())));
    };
    let re = regex_lite::Regex::new(pattern).ok()?;
    [name, "example", "1", "1.0.0", "a", "A1"]
        .into_iter()
        .map(|c| pad(c.to_string()))
        .find(|c| re.is_match(c))
        .map(Value::String)
}
