//! Schemas → the type space.
//!
//! Component schemas keep their (converted) names. Inline schemas that need a named
//! Rust type (objects, enums, unions) get a name from their context (`{Parent}{Field}`,
//! `{Operation}Request`, ...) and are interned by shape: two inline schemas with the same
//! structure (ignoring descriptions) become one type, whichever context saw it first.

use super::Lowerer;
use crate::error::{Error, WarningKind, pointer_join};
use crate::ir::{
    Enum, EnumVariant, Field, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::naming::{Namer, snake_name, type_name, variant_name};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat,
    Type, VariantOrUnknownOrEmpty,
};

/// A schema position: a `$ref` string or an inline schema.
#[derive(Clone, Copy)]
pub(crate) enum SRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> SRef<'a> {
    pub(crate) fn of(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
    pub(crate) fn of_box(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
}

/// A type at a use site and whether the schema admits `null`.
#[derive(Debug, Clone)]
pub(crate) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
}

/// What a schema lowers to before it is given a place: either a type usable as-is, or
/// the definition of a type that needs a name.
enum Shape {
    Ref(TypeRef),
    Def(TypeKind),
}

/// The object view of a schema: what `type: object`, an untyped schema with
/// `properties`, and a merged `allOf` have in common.
#[derive(Default)]
struct ObjectView<'a> {
    /// (wire name, schema, pointer)
    properties: IndexMap<String, (SRef<'a>, String)>,
    required: Vec<String>,
    additional: Option<(&'a AdditionalProperties, String)>,
}

impl<'s> Lowerer<'s> {
    /// Find the component a `$ref` points at. Only local `#/components/schemas/...`
    /// references are supported; anything else is an error naming the pointer.
    pub(crate) fn schema_target(
        &self,
        reference: &str,
        ptr: &str,
    ) -> Result<(&'s str, &'s ReferenceOr<Schema>), Error> {
        let key = self.component_key(reference, "schemas", ptr)?;
        self.schemas
            .get_key_value(key.as_str())
            .map(|(k, v)| (k.as_str(), v))
            .ok_or_else(|| self.dangling(reference, ptr))
    }

    /// The inline schema behind `s`, following `$ref` chains.
    pub(crate) fn resolve(&self, s: SRef<'s>, ptr: &str) -> Result<(&'s Schema, String), Error> {
        let mut cur = s;
        let mut at = ptr.to_string();
        for _ in 0..32 {
            match cur {
                SRef::Item(schema) => return Ok((schema, at)),
                SRef::Ref(r) => {
                    let (key, target) = self.schema_target(r, &at)?;
                    at = pointer_join("#/components/schemas", key);
                    cur = SRef::of(target);
                }
            }
        }
        Err(Error::new(
            &self.file,
            ptr,
            "expected a schema, found a cycle of `$ref`s that never reaches one",
        ))
    }

    /// Give every component schema its Rust name up front, so references can be lowered
    /// before (or without) their targets. Names are assigned in sorted key order; names
    /// that clash after case conversion get a numeric suffix and a warning.
    pub(crate) fn name_components(&mut self) {
        let mut keys: Vec<&'s String> = self.schemas.keys().collect();
        keys.sort();
        for key in keys {
            let base = type_name(key);
            let name = self.type_names.unique(&base, false);
            if !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                self.warn(
                    WarningKind::Renamed,
                    pointer_join("#/components/schemas", key),
                    format!(
                        "schema name `{key}` is not a Rust identifier; the type is named `{name}`"
                    ),
                );
            } else if name != base {
                self.warn(WarningKind::Renamed,
                    pointer_join("#/components/schemas", key),
                    format!("schema name `{key}` clashes with another after conversion to `{base}`; named `{name}`"),
                );
            }
            self.component_names.insert(key.as_str(), name);
        }
        // Whether each component admits `null`, decided before any is lowered: a `$ref`
        // to a nullable component must be an `Option` wherever it is used, whatever the
        // order in which components are lowered.
        let keys: Vec<&'s String> = self.schemas.keys().collect();
        for key in keys {
            let nullable = self.admits_null(SRef::of(&self.schemas[key.as_str()]), 0);
            self.component_nullable.insert(key.as_str(), nullable);
        }
    }

    /// Whether a schema admits `null`: `nullable: true`, `null` among its enum values, or
    /// a single-part `allOf` / any `oneOf`/`anyOf` alternative that does, through `$ref`s.
    fn admits_null(&self, s: SRef<'s>, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        let schema = match s {
            SRef::Item(schema) => schema,
            SRef::Ref(r) => match self
                .component_key(r, "schemas", "#")
                .ok()
                .and_then(|k| self.schemas.get(k.as_str()))
            {
                Some(target) => return self.admits_null(SRef::of(target), depth + 1),
                None => return false,
            },
        };
        if schema.schema_data.nullable {
            return true;
        }
        let any = |list: &'s [ReferenceOr<Schema>]| {
            list.iter()
                .any(|x| self.admits_null(SRef::of(x), depth + 1))
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(st)) => st.enumeration.iter().any(Option::is_none),
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => any(all_of),
            SchemaKind::OneOf { one_of } => any(one_of),
            SchemaKind::AnyOf { any_of } => any(any_of),
            SchemaKind::Any(a) => {
                a.enumeration.iter().any(serde_json::Value::is_null)
                    || (a.all_of.len() == 1 && a.properties.is_empty() && any(&a.all_of))
                    || any(&a.one_of)
                    || any(&a.any_of)
            }
            _ => false,
        }
    }

    /// Lower every component schema, in sorted key order.
    pub(crate) fn lower_components(&mut self) -> Result<(), Error> {
        let mut entries: Vec<(&'s String, &'s ReferenceOr<Schema>)> = self.schemas.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (key, schema) in entries {
            let ptr = pointer_join("#/components/schemas", key);
            let name = self.component_names[key.as_str()].clone();
            let (shape, nullable, data) = match schema {
                ReferenceOr::Reference { reference } => {
                    let (target, _) = self.schema_target(reference, &ptr)?;
                    let ty = TypeRef::Named(self.component_names[target].clone());
                    (Shape::Ref(ty), false, None)
                }
                ReferenceOr::Item(s) => {
                    self.scope = key.to_string();
                    let (shape, nullable) = self.shape(s, &ptr, &name)?;
                    (shape, nullable, Some(&s.schema_data))
                }
            };
            debug_assert!(!nullable || self.component_nullable[key.as_str()], "{key}");
            let kind = match shape {
                Shape::Def(kind) => {
                    self.shapes
                        .entry((key.to_string(), strip_docs(&kind)))
                        .or_insert_with(|| name.clone());
                    kind
                }
                Shape::Ref(ty) => TypeKind::Alias(ty),
            };
            let def = TypeDef {
                name: name.clone(),
                pointer: ptr,
                component: Some(key.to_string()),
                doc: data.and_then(doc_of),
                deprecated: data.is_some_and(|d| d.deprecated),
                kind,
            };
            self.types.insert(name, def);
        }
        Ok(())
    }

    /// Lower a schema at a use site. `hint` names the type if one must be created.
    pub(crate) fn lower_use(
        &mut self,
        s: SRef<'s>,
        ptr: &str,
        hint: &str,
    ) -> Result<Lowered, Error> {
        match s {
            SRef::Ref(r) => {
                let (key, _) = self.schema_target(r, ptr)?;
                Ok(Lowered {
                    ty: TypeRef::Named(self.component_names[key].clone()),
                    nullable: self.component_nullable.get(key).copied().unwrap_or(false),
                })
            }
            SRef::Item(schema) => {
                let (shape, nullable) = self.shape(schema, ptr, hint)?;
                let ty = match shape {
                    Shape::Ref(ty) => ty,
                    Shape::Def(kind) => {
                        TypeRef::Named(self.intern(kind, ptr, hint, &schema.schema_data))
                    }
                };
                Ok(Lowered { ty, nullable })
            }
        }
    }

    /// Name an inline type definition, reusing an existing type of the same shape.
    fn intern(&mut self, kind: TypeKind, ptr: &str, hint: &str, data: &SchemaData) -> String {
        let key = (self.scope.clone(), strip_docs(&kind));
        if let Some(existing) = self.shapes.get(&key) {
            return existing.clone();
        }
        let name = self.type_names.unique(&type_name(hint), false);
        self.shapes.insert(key, name.clone());
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                pointer: ptr.to_string(),
                component: None,
                doc: doc_of(data),
                deprecated: data.deprecated,
                kind,
            },
        );
        name
    }

    /// What an inline schema is, and whether it admits null.
    fn shape(&mut self, schema: &'s Schema, ptr: &str, hint: &str) -> Result<(Shape, bool), Error> {
        let data = &schema.schema_data;
        let mut nullable = data.nullable;
        let shape = match &schema.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<&String> = st.enumeration.iter().flatten().collect();
                if st.enumeration.iter().any(Option::is_none) {
                    nullable = true;
                }
                if values.is_empty() {
                    Shape::Ref(string_format(&st.format))
                } else {
                    Shape::Def(TypeKind::Enum(
                        self.enum_def(values.into_iter().map(String::as_str), ptr),
                    ))
                }
            }
            SchemaKind::Type(Type::Integer(it)) => Shape::Ref(match it.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(_)) => Shape::Ref(TypeRef::F64),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Bool),
            SchemaKind::Type(Type::Array(at)) => {
                Shape::Ref(self.array(at.items.as_ref().map(SRef::of_box), ptr, hint)?)
            }
            SchemaKind::Type(Type::Object(ot)) => {
                let view = object_view(
                    &ot.properties,
                    &ot.required,
                    ot.additional_properties.as_ref(),
                    ptr,
                );
                self.object(view, hint)?
            }
            SchemaKind::AllOf { all_of } => self.all_of(all_of, None, ptr, hint, &mut nullable)?,
            SchemaKind::OneOf { one_of } => {
                self.union(one_of, data, ptr, "oneOf", hint, &mut nullable)?
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(any_of, data, ptr, "anyOf", hint, &mut nullable)?
            }
            SchemaKind::Not { .. } => {
                self.warn(WarningKind::Degraded, ptr.to_string(), "`not` schemas cannot be expressed in Rust types; generated as serde_json::Value");
                Shape::Ref(TypeRef::Value)
            }
            SchemaKind::Any(any) => self.any_schema(any, data, ptr, hint, &mut nullable)?,
        };
        Ok((shape, nullable))
    }

    /// Schemas `openapiv3` could not classify (no `type`, or mixed keywords).
    fn any_schema(
        &mut self,
        any: &'s openapiv3::AnySchema,
        data: &'s SchemaData,
        ptr: &str,
        hint: &str,
        nullable: &mut bool,
    ) -> Result<Shape, Error> {
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, Some(any), ptr, hint, nullable);
        }
        if !any.one_of.is_empty() {
            return self.union(&any.one_of, data, ptr, "oneOf", hint, nullable);
        }
        if !any.any_of.is_empty() {
            return self.union(&any.any_of, data, ptr, "anyOf", hint, nullable);
        }
        let typ = any.typ.as_deref();
        if typ == Some("object")
            || !any.properties.is_empty()
            || any.additional_properties.is_some()
        {
            return self.object(any_object_view(any, ptr), hint);
        }
        if typ == Some("array") || any.items.is_some() {
            return Ok(Shape::Ref(self.array(
                any.items.as_ref().map(SRef::of_box),
                ptr,
                hint,
            )?));
        }
        if any.enumeration.iter().any(|v| v.is_null()) {
            *nullable = true;
        }
        Ok(Shape::Ref(match typ {
            Some("string") => {
                let strings: Vec<&str> =
                    any.enumeration.iter().filter_map(|v| v.as_str()).collect();
                if !strings.is_empty() {
                    return Ok(Shape::Def(TypeKind::Enum(
                        self.enum_def(strings.into_iter(), ptr),
                    )));
                }
                match any.format.as_deref() {
                    Some("date-time") => TypeRef::DateTime,
                    Some("date") => TypeRef::Date,
                    Some("binary") => TypeRef::Binary,
                    _ => TypeRef::String,
                }
            }
            Some("integer") if any.format.as_deref() == Some("int32") => TypeRef::I32,
            Some("integer") => TypeRef::I64,
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            None => TypeRef::Value,
            Some(other) => {
                self.warn(
                    WarningKind::Degraded,
                    ptr.to_string(),
                    format!("unknown schema type `{other}`; generated as serde_json::Value"),
                );
                TypeRef::Value
            }
        }))
    }

    fn array(&mut self, items: Option<SRef<'s>>, ptr: &str, hint: &str) -> Result<TypeRef, Error> {
        let Some(items) = items else {
            self.warn(
                WarningKind::Degraded,
                ptr.to_string(),
                "array without `items`; items generated as serde_json::Value",
            );
            return Ok(TypeRef::Array(Box::new(TypeRef::Value)));
        };
        let item = self.lower_use(items, &pointer_join(ptr, "items"), &format!("{hint}Item"))?;
        Ok(TypeRef::Array(Box::new(wrap_nullable(item))))
    }

    fn object(&mut self, view: ObjectView<'s>, hint: &str) -> Result<Shape, Error> {
        let additional = match view.additional {
            None | Some((AdditionalProperties::Any(false), _)) => None,
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Value),
            Some((AdditionalProperties::Schema(s), ap_ptr)) => {
                let v = self.lower_use(SRef::of(s), &ap_ptr, &format!("{hint}Value"))?;
                Some(wrap_nullable(v))
            }
        };
        if view.properties.is_empty() {
            // A map, or a free-form object.
            return Ok(Shape::Ref(match additional {
                Some(TypeRef::Value) | None => TypeRef::Value,
                Some(t) => TypeRef::Map(Box::new(t)),
            }));
        }
        let mut props: Vec<(String, (SRef<'s>, String))> = view.properties.into_iter().collect();
        props.sort_by(|a, b| a.0.cmp(&b.0));
        let mut names = Namer::new();
        let mut fields = Vec::with_capacity(props.len());
        for (wire, (s, p_ptr)) in props {
            let lowered = self.lower_use(s, &p_ptr, &format!("{hint}{}", type_name(&wire)))?;
            let data = match s {
                SRef::Item(schema) => Some(&schema.schema_data),
                SRef::Ref(_) => None,
            };
            fields.push(Field {
                name: names.unique(&snake_name(&wire), true),
                required: view.required.contains(&wire),
                wire,
                ty: lowered.ty,
                nullable: lowered.nullable,
                boxed: false,
                doc: data.and_then(doc_of),
                deprecated: data.is_some_and(|d| d.deprecated),
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                default: data.and_then(|d| d.default.as_ref()).map(|v| v.to_string()),
            });
        }
        Ok(Shape::Def(TypeKind::Struct(Struct { fields, additional })))
    }

    /// `allOf`: the parts' properties merged into one struct. A single `$ref` part with
    /// nothing else is that type.
    fn all_of(
        &mut self,
        parts: &'s [ReferenceOr<Schema>],
        extra: Option<&'s openapiv3::AnySchema>,
        ptr: &str,
        hint: &str,
        nullable: &mut bool,
    ) -> Result<Shape, Error> {
        let own_props = extra.is_some_and(|a| !a.properties.is_empty());
        if parts.len() == 1 && !own_props {
            let l = self.lower_use(
                SRef::of(&parts[0]),
                &pointer_join(&pointer_join(ptr, "allOf"), "0"),
                hint,
            )?;
            *nullable |= l.nullable;
            return Ok(Shape::Ref(l.ty));
        }
        let mut view = ObjectView::default();
        if let Some(any) = extra {
            let own = any_object_view(any, ptr);
            view.properties.extend(own.properties);
            view.required.extend(own.required);
            view.additional = own.additional;
        }
        // The component being lowered, when this `allOf` is its own: a part referring to it
        // is a cycle.
        let mut visiting: Vec<String> = ptr
            .strip_prefix("#/components/schemas/")
            .filter(|k| !k.contains('/'))
            .map(|_| self.scope.clone())
            .into_iter()
            .collect();
        for (i, part) in parts.iter().enumerate() {
            let part_ptr = pointer_join(&pointer_join(ptr, "allOf"), &i.to_string());
            self.collect_object(SRef::of(part), &part_ptr, &mut view, &mut visiting)?;
        }
        self.object(view, hint)
    }

    /// Add the properties of an object-like schema (following `$ref` and nested
    /// `allOf`) to `view`. Parts that are not objects are skipped with a warning.
    /// `visiting`: the components whose `allOf` parts are being collected, so a part that
    /// refers back to one of them (a cycle) is skipped with a warning instead of expanding
    /// without end.
    fn collect_object(
        &mut self,
        s: SRef<'s>,
        ptr: &str,
        view: &mut ObjectView<'s>,
        visiting: &mut Vec<String>,
    ) -> Result<(), Error> {
        if let SRef::Ref(r) = s {
            let (key, target) = self.schema_target(r, ptr)?;
            if visiting.iter().any(|v| v == key) {
                self.warn(
                    WarningKind::Contradiction,
                    ptr.to_string(),
                    format!("`allOf` refers back to `{key}` (a cycle); that part is skipped"),
                );
                return Ok(());
            }
            visiting.push(key.to_string());
            let result = self.collect_object(
                SRef::of(target),
                &pointer_join("#/components/schemas", key),
                view,
                visiting,
            );
            visiting.pop();
            return result;
        }
        let (schema, at) = self.resolve(s, ptr)?;
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(ot)) => {
                for (k, v) in &ot.properties {
                    view.properties.insert(k.clone(), (SRef::of_box(v), pointer_join(&pointer_join(&at, "properties"), k)));
                }
                view.required.extend(ot.required.iter().cloned());
                if let Some(ap) = &ot.additional_properties {
                    view.additional = Some((ap, pointer_join(&at, "additionalProperties")));
                }
            }
            SchemaKind::AllOf { all_of } => {
                for (i, part) in all_of.iter().enumerate() {
                    let p = pointer_join(&pointer_join(&at, "allOf"), &i.to_string());
                    self.collect_object(SRef::of(part), &p, view, visiting)?;
                }
            }
            SchemaKind::Any(any) => {
                let own = any_object_view(any, &at);
                view.properties.extend(own.properties);
                view.required.extend(own.required);
                if own.additional.is_some() {
                    view.additional = own.additional;
                }
                for (i, part) in any.all_of.iter().enumerate() {
                    let p = pointer_join(&pointer_join(&at, "allOf"), &i.to_string());
                    self.collect_object(SRef::of(part), &p, view, visiting)?;
                }
            }
            _ => self.warn(WarningKind::Degraded, at, "`allOf` part is not an object; its constraints are not part of the generated struct"),
        }
        Ok(())
    }

    /// `oneOf` / `anyOf` → an enum with one variant per alternative and a catch-all.
    fn union(
        &mut self,
        alts: &'s [ReferenceOr<Schema>],
        data: &'s SchemaData,
        ptr: &str,
        keyword: &str,
        hint: &str,
        nullable: &mut bool,
    ) -> Result<Shape, Error> {
        let base = pointer_join(ptr, keyword);
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut names = Namer::new();
        for (i, alt) in alts.iter().enumerate() {
            let alt_ptr = pointer_join(&base, &i.to_string());
            let mut l = self.lower_use(SRef::of(alt), &alt_ptr, &format!("{hint}Variant{i}"))?;
            *nullable |= l.nullable;
            // A free-form object alternative must only match objects, or (tried in order)
            // it would swallow every value meant for the alternatives after it.
            if l.ty == TypeRef::Value && self.is_object_schema(SRef::of(alt), &alt_ptr)? {
                l.ty = TypeRef::Map(Box::new(TypeRef::Value));
            }
            if variants.iter().any(|v| v.ty == l.ty) {
                continue;
            }
            let mut tags = Vec::new();
            if let (Some(d), SRef::Ref(r)) = (&data.discriminator, SRef::of(alt)) {
                let mut mapped: Vec<String> = d
                    .mapping
                    .iter()
                    .filter(|(_, v)| *v == r)
                    .map(|(k, _)| k.clone())
                    .collect();
                mapped.sort();
                tags = if mapped.is_empty() {
                    self.component_key(r, "schemas", &alt_ptr)
                        .into_iter()
                        .collect()
                } else {
                    mapped
                };
            }
            variants.push(UnionVariant {
                name: names.unique(&union_variant_name(&l.ty), false),
                ty: l.ty,
                boxed: false,
                tags,
            });
        }
        if variants.len() == 1 {
            return Ok(Shape::Ref(variants.remove(0).ty));
        }
        let catch_all = names.unique("Other", false);
        Ok(Shape::Def(TypeKind::Union(Union {
            variants,
            discriminator: data.discriminator.as_ref().map(|d| d.property_name.clone()),
            catch_all,
        })))
    }

    /// Whether a schema is declared as an object (`type: object`).
    fn is_object_schema(&self, s: SRef<'s>, ptr: &str) -> Result<bool, Error> {
        let (schema, _) = self.resolve(s, ptr)?;
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) => true,
            SchemaKind::Any(a) => a.typ.as_deref() == Some("object"),
            _ => false,
        })
    }

    fn enum_def<'v>(&mut self, values: impl Iterator<Item = &'v str>, ptr: &str) -> Enum {
        let mut names = Namer::new();
        let mut variants: Vec<EnumVariant> = Vec::new();
        for wire in values {
            if variants.iter().any(|v| v.wire == wire) {
                self.warn(
                    WarningKind::Contradiction,
                    pointer_join(ptr, "enum"),
                    format!("enum value `{wire}` is listed twice"),
                );
                continue;
            }
            variants.push(EnumVariant {
                name: names.unique(&variant_name(wire), false),
                wire: wire.to_string(),
            });
        }
        let catch_all = if names.is_taken("Unknown") {
            names.unique("UnknownValue", false)
        } else {
            names.unique("Unknown", false)
        };
        Enum {
            variants,
            catch_all,
        }
    }
}

fn any_object_view<'a>(any: &'a openapiv3::AnySchema, ptr: &str) -> ObjectView<'a> {
    object_view(
        &any.properties,
        &any.required,
        any.additional_properties.as_ref(),
        ptr,
    )
}

/// The object view of a schema at `ptr` with these keywords.
fn object_view<'a>(
    properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &[String],
    additional: Option<&'a AdditionalProperties>,
    ptr: &str,
) -> ObjectView<'a> {
    let props_ptr = pointer_join(ptr, "properties");
    ObjectView {
        properties: properties
            .iter()
            .map(|(k, v)| (k.clone(), (SRef::of_box(v), pointer_join(&props_ptr, k))))
            .collect(),
        required: required.to_vec(),
        additional: additional.map(|a| (a, pointer_join(ptr, "additionalProperties"))),
    }
}

fn string_format(f: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match f {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
        _ => TypeRef::String,
    }
}

/// `Nullable(T)` for a nullable value in a container.
pub(crate) fn wrap_nullable(l: Lowered) -> TypeRef {
    if l.nullable && !matches!(l.ty, TypeRef::Value) {
        TypeRef::Nullable(Box::new(l.ty))
    } else {
        l.ty
    }
}

/// A variant name for a union alternative.
fn union_variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F64 => "Number".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Binary => "Binary".into(),
        TypeRef::Value => "Value".into(),
        TypeRef::Array(t) => format!("{}List", union_variant_name(t)),
        TypeRef::Map(t) if **t == TypeRef::Value => "Object".into(),
        TypeRef::Map(t) => format!("{}Map", union_variant_name(t)),
        TypeRef::Nullable(t) => union_variant_name(t),
    }
}

/// Description, or title when there is no description.
pub(crate) fn doc_of(d: &SchemaData) -> Option<String> {
    d.description
        .clone()
        .or_else(|| d.title.clone())
        .filter(|s| !s.trim().is_empty())
}

/// The shape of a type definition, for deduplication: docs removed.
fn strip_docs(kind: &TypeKind) -> TypeKind {
    let mut k = kind.clone();
    if let TypeKind::Struct(s) = &mut k {
        for f in &mut s.fields {
            f.doc = None;
        }
    }
    k
}
