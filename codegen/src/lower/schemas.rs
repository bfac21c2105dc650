//! Schema shapes: components and inline schemas to IR types — objects and their fields, enums,
//! unions (with their discriminators) and `allOf` merges, constraints and documentation.

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn lower_components(&mut self) {
        let names: Vec<(String, &'a ReferenceOr<Schema>)> = self.schemas().map(|(n, s)| (n.clone(), s)).collect();
        for (name, schema) in names {
            let Some(names) = self.components.get(&name) else {
                continue;
            };
            let (main, request) = (names.main.clone(), names.request.clone());
            let pointer = pointer_push("#/components/schemas", &name);
            let view = match (self.directions.get(&name), &request) {
                (_, Some(_)) => View::Response,
                (Some((true, false)), None) => View::Request,
                (Some((false, true)), None) => View::Response,
                _ => View::Neutral,
            };
            self.lower_component(schema, &pointer, main, view);
            if let Some(request) = request {
                self.lower_component(schema, &pointer, request.clone(), View::Request);
                if let Some(def) = self.types.iter_mut().find(|t| t.name == request) {
                    def.request_view = true;
                }
            }
        }
    }

    pub(super) fn lower_component(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        name: RustIdent,
        view: View,
    ) {
        let site = Site {
            pointer: pointer.to_owned(),
            hint: name.unraw().to_owned(),
            view,
            depth: 0,
            fixed: Some(name.clone()),
            without: None,
        };
        let lowered = self.lower_schema_ref(schema, &site);
        // A struct, enum or union took the fixed name itself; anything else is an alias.
        if !self.types.iter().any(|t| t.name == name) {
            let doc = match schema {
                ReferenceOr::Item(s) => doc_of(s),
                ReferenceOr::Reference { .. } => None,
            };
            self.types.push(TypeDef {
                request_view: false,
                name,
                pointer: pointer.to_owned(),
                doc,
                kind: TypeKind::Alias(lowered.ty),
            });
        }
    }

    pub(super) fn lower_schema_ref(&mut self, schema: &'a ReferenceOr<Schema>, site: &Site) -> Lowered {
        match schema {
            ReferenceOr::Item(schema) => self.lower_schema(schema, site),
            ReferenceOr::Reference { reference } => self.lower_reference(reference, site),
        }
    }

    pub(super) fn lower_boxed_ref(&mut self, schema: &'a ReferenceOr<Box<Schema>>, site: &Site) -> Lowered {
        match schema {
            ReferenceOr::Item(schema) => self.lower_schema(schema, site),
            ReferenceOr::Reference { reference } => self.lower_reference(reference, site),
        }
    }

    pub(super) fn lower_reference(&mut self, reference: &str, site: &Site) -> Lowered {
        let Some(names) = component_schema_name(reference).and_then(|n| self.components.get(&n)) else {
            self.diagnostics.warning(
                pointer_push(&site.pointer, "$ref"),
                format!("reference {reference} does not name a component schema; using an untyped JSON value"),
            );
            return Lowered::of(Type::Any);
        };
        let name = match (site.view, &names.request) {
            (View::Request, Some(request)) => request.clone(),
            _ => names.main.clone(),
        };
        let (read_only, write_only) = match self.resolve_schema(reference) {
            Some(s) => (s.schema_data.read_only, s.schema_data.write_only),
            None => (false, false),
        };
        Lowered { nullable: names.nullable, read_only, write_only, ..Lowered::of(Type::Named(name)) }
    }

    /// Claims a name for a named type created at `site`.
    pub(super) fn name_for(&mut self, site: &Site) -> RustIdent {
        match &site.fixed {
            Some(name) => name.clone(),
            None => RustIdent::new(&self.type_names.claim(type_name(&site.hint))),
        }
    }

    pub(super) fn lower_schema(&mut self, schema: &'a Schema, site: &Site) -> Lowered {
        if site.depth > MAX_DEPTH {
            self.diagnostics.warning(&site.pointer, "schema nested too deeply; using an untyped JSON value");
            return Lowered::of(Type::Any);
        }
        // An enum reads the same from either side of the wire: one type serves both views
        // (a split component's inline enum would otherwise become two identical enums).
        let view = match shape(schema) {
            Shape::String { enumeration, .. } if enumeration.iter().any(Option::is_some) => View::Response,
            Shape::OneOf(variants) | Shape::AnyOf(variants) if one_value_enums(&enumerated(variants)).is_some() => {
                View::Response
            }
            _ => site.view,
        };
        // A fixed name or a left-out property makes this site's type unlike a plain lowering.
        let cached = site.fixed.is_none() && site.without.is_none();
        if cached && let Some(ty) = self.cache.get(&(site.pointer.clone(), view)).cloned() {
            return self.decorate(schema, Lowered::of(ty));
        }
        // Only a schema that makes a named type has a text worth keeping: serialising every
        // schema would write each nested one out again for every level above it.
        let names_a_type = match shape(schema) {
            Shape::String { enumeration, .. } => enumeration.iter().any(Option::is_some),
            Shape::Object(_) | Shape::OneOf(_) | Shape::AnyOf(_) | Shape::AllOf(_) => true,
            _ => false,
        };
        let content =
            (cached && names_a_type).then(|| serde_json::to_string(schema).ok()).flatten().map(|text| (text, view));
        if let Some(key) = &content
            && let Some(ty) = self.by_content.get(key).cloned()
        {
            self.hints.entry(key.clone()).or_default().1.push(site.hint.clone());
            return self.decorate(schema, Lowered::of(ty));
        }
        let hint = site.hint.clone();
        let renamed;
        let site = match content.as_ref().and_then(|key| self.shared.get(key)) {
            Some(name) => {
                renamed = Site { hint: name.clone(), ..site.clone() };
                &renamed
            }
            None => site,
        };
        for keyword in unchecked_keywords(schema) {
            self.diagnostics.warning(
                pointer_push(&site.pointer, keyword),
                format!("`{keyword}` is not checked: the generated validation does not enforce it"),
            );
        }
        let lowered = match shape(schema) {
            Shape::String { format, enumeration } => {
                let strings: Vec<&String> = enumeration.iter().flatten().collect();
                if let Some(custom) = format.and_then(|f| self.options.type_overrides.get(f)) {
                    Lowered::of(Type::Custom(custom.clone()))
                } else if strings.is_empty() {
                    Lowered::of(match format {
                        Some("date-time") => Type::DateTime,
                        Some("date") => Type::Date,
                        Some("email") => Type::Email,
                        Some("uuid") => Type::Uuid,
                        Some("byte") => Type::Bytes,
                        Some("binary") => Type::File,
                        _ => Type::String,
                    })
                } else {
                    let nullable = enumeration.iter().any(Option::is_none);
                    let values = strings.into_iter().map(|s| (s.clone(), None)).collect();
                    let ty = self.lower_enum(schema, values, site);
                    Lowered { nullable, ..Lowered::of(ty) }
                }
            }
            Shape::Integer { format } => Lowered::of(Type::Integer(match format {
                Some("int32") => IntegerWidth::I32,
                Some("uint8") => IntegerWidth::U8,
                Some("uint16") => IntegerWidth::U16,
                Some("uint32") => IntegerWidth::U32,
                Some("uint64") => IntegerWidth::U64,
                _ => IntegerWidth::I64,
            })),
            Shape::Number { format } => {
                Lowered::of(Type::Float(if format == Some("float") { FloatWidth::F32 } else { FloatWidth::F64 }))
            }
            Shape::Boolean => Lowered::of(Type::Boolean),
            Shape::Object(object) => self.lower_object(schema, object, site),
            Shape::Array { items } => {
                let mut item_constraints = None;
                let ty = match items {
                    Some(items) => {
                        let item = self.lower_boxed_ref(items, &site.child("items", format!("{}Item", site.hint)));
                        if matches!(item.ty, Type::String | Type::Email | Type::Integer(_) | Type::Float(_))
                            && !item.constraints.is_empty()
                        {
                            item_constraints = Some(Box::new(item.constraints.clone()));
                        }
                        if item.nullable { Type::Array(Box::new(Type::Any)) } else { Type::Array(Box::new(item.ty)) }
                    }
                    None => {
                        self.diagnostics.push(
                            Diagnostic::warning(
                                &site.pointer,
                                "an array without `items`; its items are untyped JSON values",
                            )
                            .with_hint("OpenAPI 3.0 requires `items` on an array; add `items: {}` to say any value"),
                        );
                        Type::Array(Box::new(Type::Any))
                    }
                };
                let mut lowered = Lowered::of(ty);
                lowered.constraints.items = item_constraints;
                lowered
            }
            Shape::OneOf(variants) => self.lower_union(schema, variants, "oneOf", site),
            Shape::AnyOf(variants) => self.lower_union(schema, variants, "anyOf", site),
            Shape::AllOf(parts) => self.lower_all_of(schema, parts, site),
            Shape::Any => Lowered::of(Type::Any),
            Shape::UnknownType(name) => {
                const TYPES: [&str; 6] = ["array", "boolean", "integer", "number", "object", "string"];
                let mut error = Diagnostic::error(
                    pointer_push(&site.pointer, "type"),
                    format!("`{name}` is not a type; OpenAPI's are {}", TYPES.join(", ")),
                );
                if let Some(close) = TYPES.iter().find(|t| crate::naming::edit_distance(t, name) <= 2) {
                    error = error.with_hint(format!("did you mean `{close}`?"));
                }
                self.diagnostics.push(error);
                Lowered::of(Type::Any)
            }
            Shape::Unsupported(what) => {
                self.diagnostics
                    .warning(&site.pointer, format!("{what} is not supported; using an untyped JSON value"));
                Lowered::of(Type::Any)
            }
        };
        if cached && matches!(lowered.ty, Type::Named(_)) {
            self.cache.insert((site.pointer.clone(), view), lowered.ty.clone());
            if let Some(key) = content {
                let entry = self.hints.entry(key.clone()).or_default();
                entry.0 = schema.schema_data.title.clone();
                entry.1.push(hint);
                self.by_content.insert(key, lowered.ty.clone());
            }
        }
        let lowered = self.decorate(schema, lowered);
        let c = &lowered.constraints;
        if lowered.ty == Type::File && (c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some()) {
            self.diagnostics.warning(
                &site.pointer,
                "length and pattern constraints of a `format: binary` string are not checked: the value is a file",
            );
        }
        if lowered.ty == Type::Bytes && (c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some()) {
            self.diagnostics.warning(
                &site.pointer,
                "length and pattern constraints of a `format: byte` string are not checked: the value is bytes, \
                 decoded from its base64 text",
            );
        }
        if let Some(pattern) = &lowered.constraints.pattern
            && !crate::ir::pattern_supported(pattern)
        {
            self.diagnostics.warning(
                pointer_push(&site.pointer, "pattern"),
                format!("the pattern {pattern:?} uses syntax the generated validation cannot run; it is not checked"),
            );
        }
        lowered
    }

    /// Adds what every schema carries: nullability, constraints, docs, default, direction.
    pub(super) fn decorate(&self, schema: &Schema, mut lowered: Lowered) -> Lowered {
        let data = &schema.schema_data;
        lowered.nullable |= data.nullable;
        // The items' constraints come from the items schema, found while lowering the array.
        let items = lowered.constraints.items.take();
        lowered.constraints = constraints_of(schema);
        lowered.constraints.items = items;
        lowered.doc = doc_of(schema);
        lowered.default = data.default.clone();
        lowered.read_only = data.read_only;
        lowered.write_only = data.write_only;
        lowered
    }

    /// An enum of string values, each with its own description where it has one.
    pub(super) fn lower_enum(&mut self, schema: &Schema, values: Vec<(String, Option<String>)>, site: &Site) -> Type {
        let name = self.name_for(site);
        let mut namer = Namer::default();
        let variants: Vec<EnumVariant> = values
            .into_iter()
            .map(|(wire, doc)| {
                let base = if wire.is_empty() { "Empty".to_owned() } else { type_name(&wire) };
                EnumVariant { name: RustIdent::new(&namer.claim(base)), wire_name: wire, doc }
            })
            .collect();
        let declared = schema.schema_data.default.as_ref().filter(|d| !d.is_null());
        let default = declared.and_then(Value::as_str).and_then(|d| variants.iter().position(|v| v.wire_name == d));
        if let Some(declared) = declared
            && default.is_none()
        {
            self.diagnostics.warning(
                pointer_push(&site.pointer, "default"),
                format!("the default {declared} is not one of the enum's values; the type gets no default"),
            );
        }
        self.types.push(TypeDef {
            request_view: false,
            name: name.clone(),
            pointer: site.pointer.clone(),
            doc: doc_of(schema),
            kind: TypeKind::Enum(Enum { variants, default }),
        });
        Type::Named(name)
    }

    /// Records a struct type made at `site` and refers to it.
    fn push_struct(&mut self, name: RustIdent, schema: &Schema, site: &Site, shape: Struct) -> Lowered {
        self.types.push(TypeDef {
            request_view: false,
            name: name.clone(),
            pointer: site.pointer.clone(),
            doc: doc_of(schema),
            kind: TypeKind::Struct(shape),
        });
        Lowered::of(Type::Named(name))
    }

    pub(super) fn lower_object(&mut self, schema: &'a Schema, mut object: ObjectShape<'a>, site: &Site) -> Lowered {
        if let Some(without) = &site.without {
            object.properties.retain(|(name, _)| *name != without);
        }
        let additional = self.lower_additional(object.additional, site);
        if object.properties.is_empty() {
            if schema.schema_data.extensions.contains_key(DEPENDENT_REQUIRED) {
                self.diagnostics.warning(
                    pointer_push(&site.pointer, "dependentRequired"),
                    "`dependentRequired` on an object without declared properties is not checked",
                );
            }
            // A map, not a struct; a named component still becomes an alias for it.
            return Lowered::of(match additional {
                UnknownFields::Collect(ty) => Type::Map(Box::new(ty)),
                UnknownFields::Ignore | UnknownFields::Deny => Type::FreeObject,
            });
        }
        for (i, wanted) in object.required.iter().enumerate() {
            if site.without.as_ref() != Some(wanted) && !object.properties.iter().any(|(name, _)| *name == wanted) {
                let at = pointer_push(&pointer_push(&site.pointer, "required"), &i.to_string());
                self.diagnostics.warning(at, unenforced(wanted));
            }
        }
        let name = self.name_for(site);
        let fields = self.lower_fields(&object.properties, object.required, name.unraw(), site);
        let dependent_required = self.dependent_required(schema, &fields, site);
        self.push_struct(name, schema, site, Struct { fields, unknown_fields: additional, dependent_required })
    }

    /// `dependentRequired`, which the 3.1 normaliser carries as the `x-dependentRequired`
    /// extension: the pairs whose properties are all fields; the others are said.
    fn dependent_required(&mut self, schema: &Schema, fields: &[Field], site: &Site) -> Vec<(String, Vec<String>)> {
        let Some(map) = schema.schema_data.extensions.get(DEPENDENT_REQUIRED).and_then(Value::as_object) else {
            return Vec::new();
        };
        let at = pointer_push(&site.pointer, "dependentRequired");
        let known = |name: &str| fields.iter().any(|f| f.wire_name == name);
        let mut out = Vec::new();
        for (trigger, required) in map {
            let required: Vec<String> =
                required.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect();
            match std::iter::once(trigger).chain(&required).find(|name| !known(name)) {
                Some(unknown) => self.diagnostics.warning(
                    pointer_push(&at, trigger),
                    format!("`dependentRequired` names {unknown:?}, which is not a property here; it is not checked"),
                ),
                None => out.push((trigger.clone(), required)),
            }
        }
        out
    }

    pub(super) fn lower_additional(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        site: &Site,
    ) -> UnknownFields {
        match additional {
            None | Some(AdditionalProperties::Any(true)) => UnknownFields::Ignore,
            Some(AdditionalProperties::Any(false)) => UnknownFields::Deny,
            Some(AdditionalProperties::Schema(schema)) => {
                let value =
                    self.lower_schema_ref(schema, &site.child("additionalProperties", format!("{}Value", site.hint)));
                if value.nullable || value.ty == Type::Any {
                    UnknownFields::Collect(Type::Any)
                } else {
                    UnknownFields::Collect(value.ty)
                }
            }
        }
    }

    pub(super) fn lower_fields(
        &mut self,
        properties: &[(&'a String, &'a ReferenceOr<Box<Schema>>)],
        required: &[String],
        parent: &str,
        site: &Site,
    ) -> Vec<Field> {
        let mut namer = Namer::default();
        let mut fields = Vec::new();
        let properties_site = site.child("properties", String::new());
        for (wire, schema) in properties {
            let child = properties_site.child(wire, format!("{parent}{}", type_name(wire)));
            let lowered = self.lower_boxed_ref(schema, &child);
            let dropped = match site.view {
                View::Request => lowered.read_only,
                View::Response => lowered.write_only,
                View::Neutral => false,
            };
            if dropped {
                continue;
            }
            let name = namer.claim(field_name(wire));
            fields.push(Field {
                wire_name: (*wire).clone(),
                name: RustIdent::new(&name),
                ty: lowered.ty,
                required: required.iter().any(|r| r == *wire),
                nullable: lowered.nullable,
                boxed: false,
                doc: lowered.doc,
                default: lowered.default,
                constraints: lowered.constraints,
            });
        }
        fields
    }

    pub(super) fn lower_union(
        &mut self,
        schema: &'a Schema,
        variants: &'a [ReferenceOr<Schema>],
        keyword: &str,
        site: &Site,
    ) -> Lowered {
        let real = enumerated(variants);
        let nullable = real.len() < variants.len();
        if let [(i, only)] = real.as_slice() {
            // The one real variant is the type itself, so it may take a component's name.
            let child = site.child(keyword, site.hint.clone()).child(&i.to_string(), site.hint.clone());
            let lowered = self.lower_schema_ref(only, &Site { fixed: site.fixed.clone(), ..child });
            return Lowered { nullable: nullable || lowered.nullable, ..Lowered::of(lowered.ty) };
        }
        if real.is_empty() {
            return Lowered { nullable, ..Lowered::of(Type::Any) };
        }
        if let Some(values) = one_value_enums(&real) {
            // `enum: [a, null]` in an alternative admits null, as a null alternative does.
            let null_value = real.iter().any(|(_, v)| {
                matches!(v, ReferenceOr::Item(s) if matches!(shape(s), Shape::String { enumeration, .. } if enumeration.contains(&None)))
            });
            let ty = self.lower_enum(schema, values, site);
            return Lowered { nullable: nullable || null_value, ..Lowered::of(ty) };
        }
        let name = self.name_for(site);
        let keyword_site = site.child(keyword, String::new());
        let mut namer = Namer::default();
        let mut out = Vec::new();
        let mut discriminator = schema.schema_data.discriminator.as_ref();
        let all_ref_variants = real.iter().all(|(_, v)| matches!(v, ReferenceOr::Reference { .. }));
        // Inline objects that fix a property each are tagged by it, declared or not.
        let own = match discriminator {
            None => own_tag(&real, None),
            Some(d) if !all_ref_variants => own_tag(&real, Some(&d.property_name)),
            Some(_) => None,
        };
        if own.is_some() {
            discriminator = None;
        }
        let mut all_refs = true;
        for (n, (i, variant)) in real.iter().enumerate() {
            let tag_name = own.as_ref().and_then(|(_, tags)| tags.get(n)).filter(|tag| !tag.is_empty());
            let base = match variant {
                ReferenceOr::Reference { reference } => component_schema_name(reference).map(|n| type_name(&n)),
                ReferenceOr::Item(s) => s.schema_data.title.as_deref().map(type_name),
            }
            .or_else(|| tag_name.map(|tag| type_name(tag)))
            .unwrap_or_else(|| variant_kind_name(variant));
            let variant_name = namer.claim(base);
            let mut variant_site = keyword_site.child(&i.to_string(), format!("{}{variant_name}", name.unraw()));
            if let Some((property, tags)) = &own {
                let unit = only_the_tag(variant, property);
                if !unit {
                    variant_site.without = Some(property.clone());
                }
                out.push(UnionVariant {
                    name: RustIdent::new(&variant_name),
                    ty: (!unit).then(|| self.lower_schema_ref(variant, &variant_site).ty),
                    doc: match variant {
                        ReferenceOr::Item(schema) if unit => doc_of(schema),
                        _ => None,
                    },
                    boxed: false,
                    tags: tags.get(n).cloned().into_iter().collect(),
                });
                continue;
            }
            let lowered = self.lower_schema_ref(variant, &variant_site);
            let tags = match (variant, discriminator) {
                (ReferenceOr::Reference { reference }, Some(d)) => {
                    let mapped: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, target)| *target == reference)
                        .map(|(value, _)| value.clone())
                        .collect();
                    if mapped.is_empty() {
                        // OpenAPI's default tag is the schema's name; where the variant fixes
                        // the property itself (`type: {enum: [input_text]}`, as OpenAI's do),
                        // that is what payloads carry, so it comes first and is written.
                        let mut tags = self.declared_tags(reference, &d.property_name);
                        tags.extend(component_schema_name(reference).filter(|n| !tags.contains(n)));
                        tags
                    } else {
                        mapped
                    }
                }
                _ => {
                    all_refs = false;
                    Vec::new()
                }
            };
            out.push(UnionVariant {
                name: RustIdent::new(&variant_name),
                ty: Some(lowered.ty),
                doc: None,
                boxed: false,
                tags,
            });
        }
        let discriminator = match discriminator {
            None => own.map(|(property, _)| Discriminator { property, in_variants: false }),
            Some(d) if all_refs => Some(Discriminator { property: d.property_name.clone(), in_variants: false }),
            Some(_) => {
                self.diagnostics.warning(
                    pointer_push(&site.pointer, "discriminator"),
                    "a discriminator needs every variant to be a `$ref`, or an object fixing the property to a \
                     value of its own; the union is matched by shape instead",
                );
                None
            }
        };
        self.types.push(TypeDef {
            request_view: false,
            name: name.clone(),
            pointer: site.pointer.clone(),
            doc: doc_of(schema),
            kind: TypeKind::Union(Union { variants: out, discriminator }),
        });
        Lowered { nullable, ..Lowered::of(Type::Named(name)) }
    }

    /// `allOf` of objects becomes one struct with the properties of all parts; a single part is
    /// that part (a common way to attach a description to a reference).
    pub(super) fn lower_all_of(
        &mut self,
        schema: &'a Schema,
        parts: &'a [ReferenceOr<Schema>],
        site: &Site,
    ) -> Lowered {
        if let [only] = parts {
            let child = site.child("allOf", site.hint.clone()).child("0", site.hint.clone());
            let lowered = self.lower_schema_ref(only, &Site { fixed: site.fixed.clone(), ..child });
            return Lowered { nullable: lowered.nullable, ..Lowered::of(lowered.ty) };
        }
        let mut properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional = None;
        let mut pending: Vec<&'a ReferenceOr<Schema>> = parts.iter().rev().collect();
        let mut steps = 0;
        while let Some(part) = pending.pop() {
            steps += 1;
            let resolved = match part {
                ReferenceOr::Item(s) => Some(s),
                ReferenceOr::Reference { reference } => self.resolve_schema(reference),
            };
            let Some(part_schema) = resolved.filter(|_| steps < 256) else {
                self.diagnostics
                    .warning(&site.pointer, "an `allOf` part cannot be resolved; using an untyped JSON value");
                return Lowered::of(Type::Any);
            };
            match shape(part_schema) {
                Shape::Object(object) => {
                    for (name, prop) in object.properties {
                        if let Some(existing) = properties.iter_mut().find(|(n, _)| *n == name) {
                            let kind = |p: &ReferenceOr<Box<Schema>>| match p {
                                ReferenceOr::Item(schema) => Some(variant_kind_name_of(schema)),
                                ReferenceOr::Reference { .. } => None,
                            };
                            if let (Some(before), Some(after)) = (kind(existing.1), kind(prop))
                                && before != after
                                && before != "Variant"
                                && after != "Variant"
                            {
                                self.diagnostics.warning(
                                    &site.pointer,
                                    format!(
                                        "`allOf` parts give property `{name}` two types ({} and {}); the last part's is used",
                                        before.to_lowercase(),
                                        after.to_lowercase()
                                    ),
                                );
                            }
                            existing.1 = prop;
                        } else {
                            properties.push((name, prop));
                        }
                    }
                    required.extend(object.required.iter().cloned());
                    if object.additional.is_some() {
                        additional = object.additional;
                    }
                }
                Shape::AllOf(inner) => pending.extend(inner.iter().rev()),
                Shape::Any => {}
                _ => {
                    self.diagnostics.warning(
                        &site.pointer,
                        "`allOf` mixes objects with other kinds of schema; using an untyped JSON value",
                    );
                    return Lowered::of(Type::Any);
                }
            }
        }
        // `additionalProperties: false` on one part would reject the other parts' properties.
        if matches!(additional, Some(AdditionalProperties::Any(false))) {
            additional = None;
        }
        // Parts may require what another part declares: only the merged whole is checked.
        for wanted in required.iter().filter(|wanted| !properties.iter().any(|(name, _)| name == wanted)) {
            self.diagnostics.warning(&site.pointer, unenforced(wanted));
        }
        let object = ObjectShape { properties, required: &[], additional };
        let name = self.name_for(site);
        let additional = self.lower_additional(object.additional, site);
        let fields = self.lower_fields(&object.properties, &required, name.unraw(), site);
        let dependent_required = self.dependent_required(schema, &fields, site);
        self.push_struct(name, schema, site, Struct { fields, unknown_fields: additional, dependent_required })
    }

    /// Decides, once every type exists, whether each discriminated union's variants carry the
    /// tag property themselves.
    pub(super) fn finish_discriminators(&mut self) {
        let structs: BTreeMap<RustIdent, BTreeSet<String>> = self
            .types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Struct(s) => Some((t.name.clone(), s.fields.iter().map(|f| f.wire_name.clone()).collect())),
                _ => None,
            })
            .collect();
        for def in &mut self.types {
            let TypeKind::Union(union) = &mut def.kind else {
                continue;
            };
            let Some(discriminator) = &mut union.discriminator else {
                continue;
            };
            let mut all_structs = true;
            let mut all_have_tag = true;
            for variant in &union.variants {
                match &variant.ty {
                    Some(Type::Named(name)) => match structs.get(name) {
                        Some(fields) => all_have_tag &= fields.contains(&discriminator.property),
                        None => all_structs = false,
                    },
                    // A unit variant: its tag is all it has.
                    None => all_have_tag = false,
                    Some(_) => all_structs = false,
                }
            }
            if !all_structs {
                self.diagnostics.warning(
                    pointer_push(&def.pointer, "discriminator"),
                    "a discriminator needs every variant to be an object; the union is matched by shape instead",
                );
                union.discriminator = None;
            } else {
                discriminator.in_variants = all_have_tag;
            }
        }
    }
}

/// The parts of an object schema the lowering needs.
pub(super) struct ObjectShape<'a> {
    pub(super) properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)>,
    pub(super) required: &'a [String],
    pub(super) additional: Option<&'a AdditionalProperties>,
}

/// The warning for a `required` name no property has.
fn unenforced(wanted: &str) -> String {
    format!("`required` names `{wanted}`, which is not a property of this object; it is not enforced")
}

/// One view over `openapiv3`'s typed schemas and its catch-all `AnySchema`.
pub(super) enum Shape<'a> {
    String {
        format: Option<&'a str>,
        enumeration: Vec<Option<String>>,
    },
    Integer {
        format: Option<&'a str>,
    },
    Number {
        format: Option<&'a str>,
    },
    Boolean,
    Object(ObjectShape<'a>),
    Array {
        items: Option<&'a ReferenceOr<Box<Schema>>>,
    },
    OneOf(&'a [ReferenceOr<Schema>]),
    AnyOf(&'a [ReferenceOr<Schema>]),
    AllOf(&'a [ReferenceOr<Schema>]),
    Any,
    /// A `type` OpenAPI does not have (`integr`): refused, not guessed.
    UnknownType(&'a str),
    Unsupported(&'static str),
}

pub(super) fn format_str<T>(format: &VariantOrUnknownOrEmpty<T>, known: impl Fn(&T) -> &'static str) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.as_str()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub(super) fn shape(schema: &Schema) -> Shape<'_> {
    use openapiv3::{IntegerFormat, NumberFormat, StringFormat, Type as T};
    match &schema.schema_kind {
        SchemaKind::Type(T::String(s)) => Shape::String {
            format: format_str(&s.format, |f| match f {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            }),
            enumeration: s.enumeration.clone(),
        },
        SchemaKind::Type(T::Integer(i)) => Shape::Integer {
            format: format_str(&i.format, |f| match f {
                IntegerFormat::Int32 => "int32",
                IntegerFormat::Int64 => "int64",
            }),
        },
        SchemaKind::Type(T::Number(n)) => Shape::Number {
            format: format_str(&n.format, |f| match f {
                NumberFormat::Float => "float",
                NumberFormat::Double => "double",
            }),
        },
        SchemaKind::Type(T::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(T::Object(o)) => Shape::Object(ObjectShape {
            properties: o.properties.iter().collect(),
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        }),
        SchemaKind::Type(T::Array(a)) => Shape::Array { items: a.items.as_ref() },
        SchemaKind::OneOf { one_of } => Shape::OneOf(one_of),
        SchemaKind::AnyOf { any_of } => Shape::AnyOf(any_of),
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of),
        SchemaKind::Not { .. } => Shape::Unsupported("`not`"),
        SchemaKind::Any(any) => {
            if !any.one_of.is_empty() {
                return Shape::OneOf(&any.one_of);
            }
            if !any.any_of.is_empty() {
                return Shape::AnyOf(&any.any_of);
            }
            if !any.all_of.is_empty() {
                return Shape::AllOf(&any.all_of);
            }
            let format = any.format.as_deref();
            match any.typ.as_deref() {
                Some("string") => Shape::String {
                    format,
                    enumeration: any.enumeration.iter().map(|v| v.as_str().map(str::to_owned)).collect(),
                },
                Some("integer") => Shape::Integer { format },
                Some("number") => Shape::Number { format },
                Some("boolean") => Shape::Boolean,
                Some("array") => Shape::Array { items: any.items.as_ref() },
                Some("object") | None
                    if !any.properties.is_empty() || any.additional_properties.is_some() || any.typ.is_some() =>
                {
                    Shape::Object(ObjectShape {
                        properties: any.properties.iter().collect(),
                        required: &any.required,
                        additional: any.additional_properties.as_ref(),
                    })
                }
                None if any.items.is_some() => Shape::Array { items: any.items.as_ref() },
                None if !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) => {
                    Shape::String {
                        format,
                        enumeration: any.enumeration.iter().map(|v| v.as_str().map(str::to_owned)).collect(),
                    }
                }
                None if any.not.is_some() => Shape::Unsupported("`not`"),
                Some(other) if other != "null" => Shape::UnknownType(other),
                _ => Shape::Any,
            }
        }
    }
}

/// A union's alternatives that are not `null`, with their positions.
fn enumerated(variants: &[ReferenceOr<Schema>]) -> Vec<(usize, &ReferenceOr<Schema>)> {
    let is_null = |v: &ReferenceOr<Schema>| matches!(v, ReferenceOr::Item(s) if is_null_schema(s));
    variants.iter().enumerate().filter(|(_, v)| !is_null(v)).collect()
}

/// The values of a union whose every alternative is a string enum (dropshot writes one
/// alternative per value, to document each): one enum of them all, each with its
/// alternative's description.
fn one_value_enums(variants: &[(usize, &ReferenceOr<Schema>)]) -> Option<Vec<(String, Option<String>)>> {
    let mut values: Vec<(String, Option<String>)> = Vec::new();
    for (_, variant) in variants {
        let ReferenceOr::Item(schema) = variant else { return None };
        let Shape::String { enumeration, .. } = shape(schema) else { return None };
        let strings: Vec<String> = enumeration.into_iter().flatten().collect();
        if strings.is_empty() {
            return None;
        }
        for value in strings {
            if !values.iter().any(|(v, _)| *v == value) {
                values.push((value, doc_of(schema)));
            }
        }
    }
    Some(values)
}

/// The tag of a union whose alternatives are inline objects that each require one property
/// and fix it to a string of their own (`type: {enum: [range_to]}`, as serde's internally
/// tagged enums are described by dropshot and others): the property and each alternative's
/// value. `wanted` is a declared discriminator's property; otherwise the first that qualifies.
fn own_tag(variants: &[(usize, &ReferenceOr<Schema>)], wanted: Option<&str>) -> Option<(String, Vec<String>)> {
    let objects: Vec<ObjectShape<'_>> = variants
        .iter()
        .map(|(_, variant)| match variant {
            ReferenceOr::Item(schema) => match shape(schema) {
                Shape::Object(object) => Some(object),
                _ => None,
            },
            ReferenceOr::Reference { .. } => None,
        })
        .collect::<Option<_>>()?;
    let fixed = |object: &ObjectShape<'_>, property: &str| -> Option<String> {
        if !object.required.iter().any(|r| r == property) {
            return None;
        }
        let (_, ReferenceOr::Item(schema)) = object.properties.iter().find(|(name, _)| *name == property)? else {
            return None;
        };
        match shape(schema) {
            Shape::String { enumeration, .. } => match enumeration.as_slice() {
                [Some(value)] => Some(value.clone()),
                _ => None,
            },
            _ => None,
        }
    };
    let candidates: Vec<&str> = match wanted {
        Some(property) => vec![property],
        None => objects.first()?.properties.iter().map(|(name, _)| name.as_str()).collect(),
    };
    candidates.into_iter().find_map(|property| {
        let tags: Vec<String> = objects.iter().map(|object| fixed(object, property)).collect::<Option<_>>()?;
        let distinct: BTreeSet<&String> = tags.iter().collect();
        (distinct.len() == tags.len()).then(|| (property.to_owned(), tags))
    })
}

/// Whether a tagged union's alternative has nothing but its tag (it becomes a unit variant).
fn only_the_tag(variant: &ReferenceOr<Schema>, property: &str) -> bool {
    let ReferenceOr::Item(schema) = variant else { return false };
    match shape(schema) {
        Shape::Object(object) => {
            object.properties.iter().all(|(name, _)| *name == property)
                && matches!(object.additional, None | Some(AdditionalProperties::Any(_)))
        }
        _ => false,
    }
}

/// A schema that only admits `null` (3.0 has no `type: null`; `enum: [null]` is the idiom).
pub(super) fn is_null_schema(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none() && any.enumeration.len() == 1 && any.enumeration.iter().all(Value::is_null)
        }
        SchemaKind::Type(openapiv3::Type::String(s)) => {
            !s.enumeration.is_empty() && s.enumeration.iter().all(Option::is_none)
        }
        _ => false,
    }
}

pub(super) fn variant_kind_name(variant: &ReferenceOr<Schema>) -> String {
    let ReferenceOr::Item(schema) = variant else {
        return "Variant".to_owned();
    };
    variant_kind_name_of(schema)
}

/// The kind of a schema as a name (`String`, `Object`, …; `Variant` for anything else).
pub(super) fn variant_kind_name_of(schema: &Schema) -> String {
    match shape(schema) {
        Shape::String { .. } => "String",
        Shape::Integer { .. } => "Integer",
        Shape::Number { .. } => "Number",
        Shape::Boolean => "Boolean",
        Shape::Object(_) => "Object",
        Shape::Array { .. } => "Array",
        _ => "Variant",
    }
    .to_owned()
}

pub(super) fn doc_of(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(title), Some(description)) if !description.starts_with(title.as_str()) => {
            Some(format!("{title}\n\n{description}"))
        }
        (_, Some(description)) => Some(description.clone()),
        (Some(title), None) => Some(title.clone()),
        (None, None) => None,
    }
}

/// The constraints of a schema that `Validate` does not check (it checks lengths, patterns,
/// bounds, steps and item counts).
fn unchecked_keywords(schema: &Schema) -> Vec<&'static str> {
    use openapiv3::Type as T;
    let (min_properties, max_properties, unique_items) = match &schema.schema_kind {
        SchemaKind::Type(T::Object(o)) => (o.min_properties, o.max_properties, false),
        SchemaKind::Type(T::Array(a)) => (None, None, a.unique_items),
        SchemaKind::Any(any) => (any.min_properties, any.max_properties, any.unique_items.unwrap_or(false)),
        _ => (None, None, false),
    };
    let mut out = Vec::new();
    if min_properties.is_some_and(|n| n > 0) {
        out.push("minProperties");
    }
    if max_properties.is_some() {
        out.push("maxProperties");
    }
    if unique_items {
        out.push("uniqueItems");
    }
    out
}

pub(super) fn constraints_of(schema: &Schema) -> Constraints {
    use openapiv3::Type as T;
    let mut c = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(T::String(s)) => {
            c.min_length = s.min_length;
            c.max_length = s.max_length;
            c.pattern = s.pattern.clone();
        }
        SchemaKind::Type(T::Integer(i)) => {
            c.minimum = i.minimum.map(|v| v as f64);
            c.maximum = i.maximum.map(|v| v as f64);
            c.exclusive_minimum = i.exclusive_minimum;
            c.exclusive_maximum = i.exclusive_maximum;
            c.multiple_of = i.multiple_of.map(|v| v as f64);
        }
        SchemaKind::Type(T::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
            c.exclusive_minimum = n.exclusive_minimum;
            c.exclusive_maximum = n.exclusive_maximum;
            c.multiple_of = n.multiple_of;
        }
        SchemaKind::Type(T::Array(a)) => {
            c.min_items = a.min_items;
            c.max_items = a.max_items;
            c.unique_items = a.unique_items;
        }
        SchemaKind::Any(any) => {
            c.min_length = any.min_length;
            c.max_length = any.max_length;
            c.pattern = any.pattern.clone();
            c.minimum = any.minimum;
            c.maximum = any.maximum;
            c.exclusive_minimum = any.exclusive_minimum.unwrap_or(false);
            c.exclusive_maximum = any.exclusive_maximum.unwrap_or(false);
            c.multiple_of = any.multiple_of;
            c.min_items = any.min_items;
            c.max_items = any.max_items;
            c.unique_items = any.unique_items.unwrap_or(false);
        }
        _ => {}
    }
    c
}

impl<'a> Lowerer<'a> {
    /// The values a union variant's own schema allows for the discriminator property, when it
    /// lists them (`enum`, or 3.1's `const` normalised to a one-value `enum`).
    fn declared_tags(&self, reference: &str, property: &str) -> Vec<String> {
        match self.resolve_schema(reference) {
            Some(schema) => self.declared_in(schema, property, 0),
            None => Vec::new(),
        }
    }

    /// As [`Self::declared_tags`], in a schema: its own properties, else its `allOf` parts
    /// (OpenAI's `InputMessageResource` is `allOf: [InputMessage, {id}]`).
    fn declared_in(&self, schema: &Schema, property: &str, depth: usize) -> Vec<String> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let object = match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(object)) => object,
            SchemaKind::AllOf { all_of } => {
                return all_of
                    .iter()
                    .filter_map(|part| match part {
                        ReferenceOr::Item(schema) => Some(schema),
                        ReferenceOr::Reference { reference } => self.resolve_schema(reference),
                    })
                    .map(|part| self.declared_in(part, property, depth + 1))
                    .find(|tags| !tags.is_empty())
                    .unwrap_or_default();
            }
            _ => return Vec::new(),
        };
        let declared = match object.properties.get(property) {
            Some(ReferenceOr::Item(schema)) => Some(&**schema),
            Some(ReferenceOr::Reference { reference }) => self.resolve_schema(reference),
            None => None,
        };
        match declared.map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(openapiv3::Type::String(string))) => {
                string.enumeration.iter().flatten().cloned().collect()
            }
            _ => Vec::new(),
        }
    }
}
