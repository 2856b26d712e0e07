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
use std::collections::HashMap;

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
#[derive(Default, Clone)]
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
    pub(crate) fn name_components(&mut self) -> Result<(), Error> {
        let settings = self.settings;
        // Names the settings give are claimed first; one that another takes, or that
        // clashes with another component's name, is an error of the setting.
        for (key, name) in &settings.rename_types {
            let clash = self.type_names.is_taken(name)
                || self.schemas.keys().any(|k| {
                    k != key
                        && !settings.rename_types.contains_key(k)
                        && !settings.replace_types.contains_key(k)
                        && crate::naming::snake_case(&type_name(k))
                            == crate::naming::snake_case(name)
                });
            if clash {
                return Err(settings.error(
                    &crate::settings::key("rename.types", key),
                    format!("`{name}` is also the name of another type"),
                ));
            }
            self.type_names.unique(name, false);
        }
        let mut keys: Vec<&'s String> = self.schemas.keys().collect();
        keys.sort();
        for key in keys {
            if settings.replace_types.contains_key(key.as_str()) {
                continue;
            }
            if let Some(name) = settings.rename_types.get(key.as_str()) {
                self.component_names.insert(key.as_str(), name.clone());
                continue;
            }
            let base = type_name(key);
            let name = self.type_names.unique(&base, false);
            // Converting `Source-2` to `Source2` is not news; two names meeting is.
            if name != base {
                self.warn(WarningKind::Renamed,
                    pointer_join("#/components/schemas", key),
                    format!("schema name `{key}` clashes with another after conversion to `{base}`; named `{name}`"),
                );
            }
            self.component_names.insert(key.as_str(), name);
        }
        // Whether each component admits `null`, decided before any is lowered: a `$ref`
        // to a nullable component must be an `Option` wherever it is used, whatever the
        // order in which components are lowered. Memoised, so recursive unions are
        // followed once per component, not once per path through them.
        let keys: Vec<&'s String> = self.schemas.keys().collect();
        let mut memo: HashMap<&'s str, Option<bool>> = HashMap::new();
        for key in keys {
            let nullable = self.component_admits_null(key, &mut memo);
            self.component_nullable.insert(key.as_str(), nullable);
        }
        Ok(())
    }

    /// The type a reference to component `key` stands for: its generated type, or the
    /// Rust type the settings put in its place.
    fn component_ref(&self, key: &str) -> TypeRef {
        match self.settings.replace_types.get(key) {
            Some(path) => TypeRef::Extern(path.clone()),
            None => TypeRef::Named(self.component_names[key].clone()),
        }
    }

    /// The Rust type of a string with this `format`: a replacement from the settings,
    /// or the built-in one.
    fn string_of_format(&self, format: Option<&str>) -> TypeRef {
        if let Some(r) = format.and_then(|f| self.settings.replace_formats.get(f)) {
            return TypeRef::Extern(r.ty.clone());
        }
        match format {
            Some("date-time") => TypeRef::DateTime,
            Some("date") => TypeRef::Date,
            Some("binary") => TypeRef::Binary,
            _ => TypeRef::String,
        }
    }

    /// [`admits_null`](Self::admits_null) of a component, memoised in `memo` (`None`
    /// while it is being decided: a cycle adds nothing).
    fn component_admits_null(
        &self,
        key: &'s str,
        memo: &mut HashMap<&'s str, Option<bool>>,
    ) -> bool {
        match memo.get(key) {
            Some(Some(known)) => return *known,
            Some(None) => return false,
            None => {}
        }
        let Some(schema) = self.schemas.get(key) else {
            return false;
        };
        memo.insert(key, None);
        let result = self.admits_null(SRef::of(schema), memo);
        memo.insert(key, Some(result));
        result
    }

    /// Whether a schema admits `null`: `nullable: true`, `null` among its enum values, or
    /// a single-part `allOf` / any `oneOf`/`anyOf` alternative that does, through `$ref`s.
    fn admits_null(&self, s: SRef<'s>, memo: &mut HashMap<&'s str, Option<bool>>) -> bool {
        let schema = match s {
            SRef::Item(schema) => schema,
            SRef::Ref(r) => {
                return match self
                    .component_key(r, "schemas", "#")
                    .ok()
                    .and_then(|k| self.schemas.get_key_value(k.as_str()))
                {
                    Some((key, _)) => self.component_admits_null(key.as_str(), memo),
                    None => false,
                };
            }
        };
        if schema.schema_data.nullable {
            return true;
        }
        let mut any = |list: &'s [ReferenceOr<Schema>]| {
            list.iter().any(|x| self.admits_null(SRef::of(x), memo))
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
            if self.settings.replace_types.contains_key(key.as_str()) {
                continue;
            }
            let ptr = pointer_join("#/components/schemas", key);
            let name = self.component_names[key.as_str()].clone();
            let (shape, nullable, data) = match schema {
                ReferenceOr::Reference { reference } => {
                    let (target, _) = self.schema_target(reference, &ptr)?;
                    (Shape::Ref(self.component_ref(target)), false, None)
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
                example: data
                    .and_then(|d| d.example.as_ref())
                    .map(serde_json::Value::to_string),
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
                    ty: self.component_ref(key),
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
                example: data.example.as_ref().map(serde_json::Value::to_string),
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
                    Shape::Ref(self.string_of_format(format_name(&st.format)))
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
                self.union(one_of, data, ptr, "oneOf", hint, &mut nullable, None)?
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(any_of, data, ptr, "anyOf", hint, &mut nullable, None)?
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
        let alternatives = if !any.one_of.is_empty() {
            Some((&any.one_of, "oneOf"))
        } else if !any.any_of.is_empty() {
            Some((&any.any_of, "anyOf"))
        } else {
            None
        };
        if let Some((alts, keyword)) = alternatives {
            // Properties and `allOf` parts beside the alternatives hold for each of them:
            // `{P, oneOf: [A, B]}` is `oneOf: [P and A, P and B]`.
            let base = if any.properties.is_empty() && any.all_of.is_empty() {
                None
            } else {
                let mut view = any_object_view(any, ptr);
                let mut visiting = self.visiting_self(ptr);
                for (i, part) in any.all_of.iter().enumerate() {
                    let p = pointer_join(&pointer_join(ptr, "allOf"), &i.to_string());
                    self.collect_object(SRef::of(part), &p, &mut view, &mut visiting)?;
                }
                Some(view)
            };
            return self.union(alts, data, ptr, keyword, hint, nullable, base);
        }
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, Some(any), ptr, hint, nullable);
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
                let others: Vec<String> = any
                    .enumeration
                    .iter()
                    .filter(|v| !v.is_string() && !v.is_null())
                    .map(|v| v.to_string())
                    .collect();
                if !others.is_empty() {
                    self.warn(
                        WarningKind::Contradiction,
                        pointer_join(ptr, "enum"),
                        format!(
                            "enum values {} are not strings, but the schema's type is `string`: no string can be them; left out",
                            others.join(", ")
                        ),
                    );
                }
                if !strings.is_empty() {
                    return Ok(Shape::Def(TypeKind::Enum(
                        self.enum_def(strings.into_iter(), ptr),
                    )));
                }
                self.string_of_format(any.format.as_deref())
            }
            Some("integer") if any.format.as_deref() == Some("int32") => TypeRef::I32,
            Some("integer") => TypeRef::I64,
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            // `enum` without `type`: a string enum when every value is a string.
            None if !any.enumeration.is_empty()
                && any.enumeration.iter().all(|v| v.is_string() || v.is_null())
                && any.enumeration.iter().any(|v| v.is_string()) =>
            {
                let strings = any.enumeration.iter().filter_map(|v| v.as_str());
                return Ok(Shape::Def(TypeKind::Enum(self.enum_def(strings, ptr))));
            }
            None if any.enumeration.iter().any(|v| !v.is_null()) => {
                self.warn(
                    WarningKind::Degraded,
                    pointer_join(ptr, "enum"),
                    "enum of values of several JSON types (or not strings) without a `type`; generated as serde_json::Value",
                );
                TypeRef::Value
            }
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
        Ok(self.bounded(TypeRef::Array(Box::new(wrap_nullable(item))), ptr))
    }

    /// `ty`, or `serde_json::Value` (with a warning) when it nests more than
    /// [`MAX_CONTAINER_DEPTH`] lists and maps, which the compiler's trait solver and the
    /// formatter's parser cannot go through.
    fn bounded(&mut self, ty: TypeRef, ptr: &str) -> TypeRef {
        if container_depth(&ty) <= MAX_CONTAINER_DEPTH {
            return ty;
        }
        self.warn(
            WarningKind::Degraded,
            ptr.to_string(),
            format!("more than {MAX_CONTAINER_DEPTH} nested arrays and maps; this level is generated as serde_json::Value"),
        );
        TypeRef::Value
    }

    fn object(&mut self, view: ObjectView<'s>, hint: &str) -> Result<Shape, Error> {
        let additional_at = view.additional.as_ref().map(|(_, p)| p.clone());
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
                Some(t) => {
                    let at = additional_at.unwrap_or_default();
                    self.bounded(TypeRef::Map(Box::new(t)), &at)
                }
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
            let read_only = data.is_some_and(|d| d.read_only);
            let write_only = data.is_some_and(|d| d.write_only);
            fields.push(Field {
                name: names.unique(&snake_name(&wire), true),
                // A required read-only property is required in responses only, a
                // write-only one in requests only (OpenAPI 3.0, `readOnly`): the one type
                // serves both, so neither is required of it.
                required: view.required.contains(&wire) && !read_only && !write_only,
                wire,
                ty: lowered.ty,
                nullable: lowered.nullable,
                boxed: false,
                doc: data.and_then(doc_of),
                deprecated: data.is_some_and(|d| d.deprecated),
                read_only,
                write_only,
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
        let mut visiting = self.visiting_self(ptr);
        // A part that is a `oneOf`/`anyOf`: the other parts hold for each of its
        // alternatives (`allOf: [P, {oneOf: [A, B]}]` is `oneOf: [P and A, P and B]`).
        let mut union_part = None;
        for (i, part) in parts.iter().enumerate() {
            let part_ptr = pointer_join(&pointer_join(ptr, "allOf"), &i.to_string());
            if union_part.is_none()
                && let Some(found) = self.union_of(SRef::of(part), &part_ptr)?
            {
                union_part = Some((i, found));
                continue;
            }
            self.collect_object(SRef::of(part), &part_ptr, &mut view, &mut visiting)?;
        }
        if let Some((i, (alts, data, at, keyword))) = union_part {
            if view.properties.is_empty() && view.additional.is_none() {
                // Nothing to distribute: the union itself.
                let part_ptr = pointer_join(&pointer_join(ptr, "allOf"), &i.to_string());
                let l = self.lower_use(SRef::of(&parts[i]), &part_ptr, hint)?;
                *nullable |= l.nullable;
                return Ok(Shape::Ref(l.ty));
            }
            return self.union(alts, data, &at, keyword, hint, nullable, Some(view));
        }
        self.object(view, hint)
    }

    /// The components whose own schema is at `ptr`, for cycle detection in `allOf`.
    fn visiting_self(&self, ptr: &str) -> Vec<String> {
        ptr.strip_prefix("#/components/schemas/")
            .filter(|k| !k.contains('/'))
            .map(|_| self.scope.clone())
            .into_iter()
            .collect()
    }

    /// The alternatives of a schema that is a `oneOf`/`anyOf` (through `$ref`s), with
    /// its data (for the discriminator), its pointer and the keyword.
    #[allow(clippy::type_complexity)]
    fn union_of(
        &self,
        s: SRef<'s>,
        ptr: &str,
    ) -> Result<
        Option<(
            &'s [ReferenceOr<Schema>],
            &'s SchemaData,
            String,
            &'static str,
        )>,
        Error,
    > {
        let (schema, at) = self.resolve(s, ptr)?;
        let data = &schema.schema_data;
        Ok(match &schema.schema_kind {
            SchemaKind::OneOf { one_of } => Some((one_of.as_slice(), data, at, "oneOf")),
            SchemaKind::AnyOf { any_of } => Some((any_of.as_slice(), data, at, "anyOf")),
            SchemaKind::Any(a)
                if !a.one_of.is_empty() && a.properties.is_empty() && a.all_of.is_empty() =>
            {
                Some((a.one_of.as_slice(), data, at, "oneOf"))
            }
            SchemaKind::Any(a)
                if !a.any_of.is_empty() && a.properties.is_empty() && a.all_of.is_empty() =>
            {
                Some((a.any_of.as_slice(), data, at, "anyOf"))
            }
            _ => None,
        })
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
    /// `base`: properties that hold for every alternative (beside the `oneOf`, or the
    /// other parts of an `allOf`), merged into each object alternative.
    #[allow(clippy::too_many_arguments)]
    fn union(
        &mut self,
        alts: &'s [ReferenceOr<Schema>],
        data: &'s SchemaData,
        ptr: &str,
        keyword: &str,
        hint: &str,
        nullable: &mut bool,
        base: Option<ObjectView<'s>>,
    ) -> Result<Shape, Error> {
        let base_ptr = pointer_join(ptr, keyword);
        let mut variants: Vec<UnionVariant> = Vec::new();
        // Per variant: its pointer and, for a `$ref`, the component key.
        let mut origins: Vec<(String, Option<&'s str>)> = Vec::new();
        let mut names = Namer::new();
        for (i, alt) in alts.iter().enumerate() {
            let alt_ptr = pointer_join(&base_ptr, &i.to_string());
            let key = match alt {
                ReferenceOr::Reference { reference } => {
                    Some(self.schema_target(reference, &alt_ptr)?.0)
                }
                ReferenceOr::Item(_) => None,
            };
            let mut l = match &base {
                Some(base) if self.is_object_like(SRef::of(alt), &alt_ptr)? => {
                    let mut view = base.clone();
                    let mut visiting = self.visiting_self(ptr);
                    self.collect_object(SRef::of(alt), &alt_ptr, &mut view, &mut visiting)?;
                    let variant_hint = match key {
                        Some(k) => format!("{hint}{}", self.component_names[k]),
                        None => format!("{hint}Variant{i}"),
                    };
                    let ty = match self.object(view, &variant_hint)? {
                        Shape::Def(kind) => {
                            TypeRef::Named(self.intern(kind, &alt_ptr, &variant_hint, data))
                        }
                        Shape::Ref(ty) => ty,
                    };
                    Lowered {
                        ty,
                        nullable: false,
                    }
                }
                _ => self.lower_use(SRef::of(alt), &alt_ptr, &format!("{hint}Variant{i}"))?,
            };
            *nullable |= l.nullable;
            // A free-form object alternative must only match objects.
            if l.ty == TypeRef::Value && self.is_object_schema(SRef::of(alt), &alt_ptr)? {
                l.ty = TypeRef::Map(Box::new(TypeRef::Value));
            }
            if variants.iter().any(|v| v.ty == l.ty) {
                continue;
            }
            variants.push(UnionVariant {
                name: names.unique(&union_variant_name(&l.ty), false),
                ty: l.ty,
                boxed: false,
                tags: Vec::new(),
            });
            origins.push((alt_ptr, key));
        }
        if variants.len() == 1 {
            return Ok(Shape::Ref(variants.remove(0).ty));
        }
        let discriminator = match &data.discriminator {
            Some(d) => self.discriminator_tags(d, ptr, &mut variants, &origins)?,
            None => None,
        };
        if discriminator.is_none() {
            self.warn_unreachable(&variants, &origins);
        }
        let catch_all = names.unique("Other", false);
        Ok(Shape::Def(TypeKind::Union(Union {
            variants,
            discriminator,
            catch_all,
        })))
    }

    /// Give each variant its discriminator values: those `mapping` sends to it, else its
    /// component name (unless the mapping sends that name elsewhere). The discriminator
    /// is used only when every variant has a value; otherwise the union is decoded by
    /// best fit, with a warning.
    fn discriminator_tags(
        &mut self,
        d: &'s openapiv3::Discriminator,
        ptr: &str,
        variants: &mut [UnionVariant],
        origins: &[(String, Option<&'s str>)],
    ) -> Result<Option<String>, Error> {
        let d_ptr = pointer_join(ptr, "discriminator");
        let property = &d.property_name;
        let mut mapping: Vec<(&String, &String)> = d.mapping.iter().collect();
        mapping.sort();
        let mut claimed: Vec<&str> = Vec::new();
        for (tag, target) in mapping {
            // `#/components/schemas/X`, or the bare name `X`.
            let key = if target.starts_with('#') {
                self.component_key(target, "schemas", &d_ptr).ok()
            } else {
                Some(target.clone())
            };
            let at = origins
                .iter()
                .position(|(_, k)| k.is_some() && k.map(str::to_string) == key);
            match at {
                Some(i) => {
                    variants[i].tags.push(tag.clone());
                    claimed.push(tag);
                }
                None => self.warn(
                    WarningKind::Contradiction,
                    pointer_join(&pointer_join(&d_ptr, "mapping"), tag),
                    format!("discriminator mapping sends `{tag}` to `{target}`, which is not one of the variants; ignored"),
                ),
            }
        }
        for (v, (_, key)) in variants.iter_mut().zip(origins) {
            if v.tags.is_empty()
                && let Some(key) = key
                && !claimed.contains(key)
            {
                v.tags.push(key.to_string());
            }
        }
        if let Some(v) = variants.iter().find(|v| v.tags.is_empty()) {
            self.warn(
                WarningKind::Contradiction,
                d_ptr,
                format!("discriminator `{property}` names no value for variant `{}` (an inline schema, or its name is mapped to another variant); the union is decoded by best fit instead", v.name),
            );
            for v in variants.iter_mut() {
                v.tags.clear();
            }
            return Ok(None);
        }
        // A tag can only be read from an object.
        if !variants.iter().all(|v| self.variant_is_object(v)) {
            self.warn(
                WarningKind::Contradiction,
                d_ptr,
                format!("discriminator `{property}`: not every variant is an object, so not every value can carry it; the union is decoded by best fit instead"),
            );
            for v in variants.iter_mut() {
                v.tags.clear();
            }
            return Ok(None);
        }
        for (v, (alt_ptr, _)) in variants.iter().zip(origins) {
            let declares = match &v.ty {
                TypeRef::Named(n) => match self.types.get(n).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| f.wire == *property),
                    // Not lowered yet (a component later in the order): look at the schema.
                    None => true,
                    _ => false,
                },
                _ => false,
            };
            if !declares {
                self.warn(
                    WarningKind::Contradiction,
                    alt_ptr.clone(),
                    format!("discriminator property `{property}` is not a property of variant `{}`; the variant is still selected by it, and the member is kept as an unknown field", v.name),
                );
            }
        }
        Ok(Some(property.clone()))
    }

    /// Whether a union variant's type is an object: a struct, a map, or a component not
    /// lowered yet whose schema describes objects.
    fn variant_is_object(&self, v: &UnionVariant) -> bool {
        match crate::ir::resolve_alias(&self.types, &v.ty) {
            TypeRef::Map(_) => true,
            TypeRef::Named(n) => match self.types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Struct(_)) => true,
                Some(_) => false,
                None => self
                    .component_names
                    .iter()
                    .find(|(_, name)| *name == n)
                    .and_then(|(key, _)| self.schemas.get(*key))
                    .is_some_and(|s| self.is_object_like(SRef::of(s), "#").unwrap_or(false)),
            },
            _ => false,
        }
    }

    /// Warn about untagged variants that best-fit decoding can never choose: an earlier
    /// variant decodes every value they accept, knowing all of it.
    fn warn_unreachable(
        &mut self,
        variants: &[UnionVariant],
        origins: &[(String, Option<&'s str>)],
    ) {
        for (j, later) in variants.iter().enumerate() {
            if let Some(earlier) = variants[..j].iter().find(|e| self.covers(&e.ty, &later.ty)) {
                let message = format!(
                    "variant `{}` can never be chosen: every value it accepts decodes as the earlier variant `{}`; list it first to make it reachable",
                    later.name, earlier.name
                );
                self.warn(
                    WarningKind::UnreachableVariant,
                    origins[j].0.clone(),
                    message,
                );
            }
        }
    }

    /// Whether every JSON value that decodes as `later` decodes as `earlier` too, with
    /// nothing unknown (so best fit always stops at `earlier`).
    fn covers(&self, earlier: &TypeRef, later: &TypeRef) -> bool {
        let earlier = crate::ir::resolve_alias(&self.types, earlier);
        let later = crate::ir::resolve_alias(&self.types, later);
        let enum_values = |t: &TypeRef| match t {
            TypeRef::Named(n) => match self.types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Enum(e)) => Some(
                    e.variants
                        .iter()
                        .map(|v| v.wire.as_str())
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            },
            _ => None,
        };
        let string_like = |t: &TypeRef| {
            matches!(
                t,
                TypeRef::String | TypeRef::DateTime | TypeRef::Date | TypeRef::Binary
            ) || enum_values(t).is_some()
        };
        let object_like = |t: &TypeRef| match t {
            TypeRef::Map(_) => true,
            TypeRef::Named(n) => matches!(
                self.types.get(n).map(|d| &d.kind),
                Some(TypeKind::Struct(_))
            ),
            _ => false,
        };
        match (earlier, later) {
            (TypeRef::Value, _) => true,
            (TypeRef::String | TypeRef::Binary, l) => string_like(l),
            (TypeRef::F64, TypeRef::I32 | TypeRef::I64) | (TypeRef::I64, TypeRef::I32) => true,
            (TypeRef::Map(v), l) if **v == TypeRef::Value => object_like(l),
            (TypeRef::Array(v), TypeRef::Array(_)) if **v == TypeRef::Value => true,
            (e, l) => match (enum_values(e), enum_values(l)) {
                (Some(ev), Some(lv)) => lv.iter().all(|v| ev.contains(v)),
                _ => false,
            },
        }
    }

    /// Whether a schema describes objects: `type: object`, properties, or an `allOf`.
    fn is_object_like(&self, s: SRef<'s>, ptr: &str) -> Result<bool, Error> {
        let (schema, _) = self.resolve(s, ptr)?;
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
            SchemaKind::Any(a) => {
                a.typ.as_deref() == Some("object")
                    || !a.properties.is_empty()
                    || (!a.all_of.is_empty() && a.one_of.is_empty() && a.any_of.is_empty())
            }
            _ => false,
        })
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

/// The most lists and maps nested directly in one another (`Vec<Vec<...>>`); beyond it, a
/// level is `serde_json::Value`.
const MAX_CONTAINER_DEPTH: usize = 16;

/// How many lists, maps and `Option`s are nested directly in `ty`.
fn container_depth(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Nullable(t) => 1 + container_depth(t),
        _ => 0,
    }
}

/// The name of a string `format`.
fn format_name(f: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password"),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
        VariantOrUnknownOrEmpty::Empty => None,
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
        TypeRef::Extern(p) => type_name(p.rsplit("::").next().unwrap_or(p)),
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
