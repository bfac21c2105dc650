//! Phase 3: lower a validated `openapiv3` document to the IR.
//!
//! Component schemas keep their names; inline schemas that need a named Rust type (objects,
//! enums, unions) are named after where they appear (`ParentField`, `OperationBody`, …). Where a
//! component is used both in requests and in responses and its `readOnly`/`writeOnly` fields
//! differ between the two, it is lowered twice: `Name` (response view, no `writeOnly` fields) and
//! `NameRequest` (request view, no `readOnly` fields). Constructs that cannot be represented
//! faithfully become `serde_json::Value` with a warning; nothing here panics on input.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, SchemaKind,
    StatusCode, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::diagnostic::{Diagnostics, pointer_push};
use crate::ir::{
    Body, Constraints, Content, Discriminator, Enum, EnumVariant, Field, FloatWidth, IntegerWidth, Ir, Operation,
    OperationTypes, Param, ParamLocation, Response, ResponseHeader, SecurityKind, SecurityScheme, Status, Struct, Type,
    TypeDef, TypeKind, Union, UnionVariant, UnknownFields,
};
use crate::naming::{Namer, RustIdent, field_name, type_name};

/// Deeper nesting than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

/// Which side of the wire a schema is seen from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum View {
    Request,
    Response,
    /// Not reachable from any operation: all fields kept.
    Neutral,
}

/// Where a schema is being lowered.
#[derive(Clone)]
struct Site {
    pointer: String,
    /// Base name for a named type created here.
    hint: String,
    view: View,
    depth: usize,
    /// A component's reserved name: a named type created here takes it instead of the hint.
    fixed: Option<RustIdent>,
}

impl Site {
    fn child(&self, segment: &str, hint: String) -> Site {
        Site {
            pointer: pointer_push(&self.pointer, segment),
            hint,
            view: self.view,
            depth: self.depth + 1,
            fixed: None,
        }
    }
}

/// A lowered schema: its type plus the facts a field or parameter needs.
struct Lowered {
    ty: Type,
    nullable: bool,
    constraints: Constraints,
    doc: Option<String>,
    default: Option<Value>,
    read_only: bool,
    write_only: bool,
}

impl Lowered {
    fn of(ty: Type) -> Self {
        Lowered {
            ty,
            nullable: false,
            constraints: Constraints::default(),
            doc: None,
            default: None,
            read_only: false,
            write_only: false,
        }
    }
}

/// The names a component schema is generated under.
struct ComponentNames {
    main: RustIdent,
    request: Option<RustIdent>,
    nullable: bool,
}

struct Lowerer<'a> {
    api: &'a OpenAPI,
    diagnostics: Diagnostics,
    type_names: Namer,
    components: BTreeMap<String, ComponentNames>,
    /// Per component schema: reachable from (requests, responses).
    directions: BTreeMap<String, (bool, bool)>,
    types: Vec<TypeDef>,
    /// Inline schemas already lowered, by pointer and view, so a shared component response or
    /// request body becomes one type.
    cache: BTreeMap<(String, View), Type>,
    options: &'a Options,
}

/// Choices that change what is lowered.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only operations with one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Only these operations by operationId (all when empty).
    pub operations: Vec<String>,
    /// `format` → Rust type path for strings with that format.
    pub type_overrides: BTreeMap<String, String>,
    pub crate_version: Option<String>,
}

/// Lowers the document. Warnings (approximations) come back with the IR.
pub fn lower(api: &OpenAPI, options: &Options) -> (Ir, Diagnostics) {
    let mut lowerer = Lowerer {
        api,
        diagnostics: Diagnostics::default(),
        type_names: Namer::default(),
        components: BTreeMap::new(),
        directions: BTreeMap::new(),
        types: Vec::new(),
        cache: BTreeMap::new(),
        options,
    };
    lowerer.reserve_component_names();
    lowerer.lower_components();
    let operations = lowerer.lower_operations();
    let security_schemes = lowerer.lower_security_schemes();
    lowerer.finish_discriminators();
    lowerer.break_cycles();
    let Lowerer { mut types, diagnostics, .. } = lowerer;
    types.sort_by(|a, b| a.name.cmp(&b.name));
    let ir = Ir {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        crate_version: options
            .crate_version
            .clone()
            .unwrap_or_else(|| crate::emit::models::cargo_version(&api.info.version)),
        description: api.info.description.clone(),
        types,
        operations,
        security_schemes,
    };
    (ir, diagnostics)
}

fn component_schema_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/").filter(|name| !name.contains('/'))
}

fn json_media(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*" || essence == "application/*"
}

impl<'a> Lowerer<'a> {
    fn schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.api.components.iter().flat_map(|c| c.schemas.iter())
    }

    fn component(&self, name: &str) -> Option<&'a ReferenceOr<Schema>> {
        self.api.components.as_ref()?.schemas.get(name)
    }

    /// Follows a schema reference chain to a schema (validation ruled out dangling and cyclic
    /// chains, but this stays total anyway).
    fn resolve_schema(&self, reference: &str) -> Option<&'a Schema> {
        let mut current = reference.to_owned();
        for _ in 0..MAX_DEPTH {
            match self.component(component_schema_name(&current)?)? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => current = reference.clone(),
            }
        }
        None
    }

    fn reserve_component_names(&mut self) {
        let mut names: Vec<&String> = self.schemas().map(|(name, _)| name).collect();
        names.sort();
        self.directions = self.compute_directions();
        let split = self.needs_split(&self.directions);
        for name in names {
            let main = RustIdent::new(&self.type_names.claim(type_name(name)));
            let nullable = match self.component(name) {
                Some(ReferenceOr::Item(schema)) => schema.schema_data.nullable,
                _ => false,
            };
            self.components.insert(name.clone(), ComponentNames { main, request: None, nullable });
        }
        for name in split {
            let request = RustIdent::new(&self.type_names.claim(format!("{}Request", type_name(&name))));
            if let Some(names) = self.components.get_mut(&name) {
                names.request = Some(request);
            }
        }
    }

    /// For each component schema: is it reachable from requests, from responses?
    fn compute_directions(&self) -> BTreeMap<String, (bool, bool)> {
        let mut request_roots = Vec::new();
        let mut response_roots = Vec::new();
        for (_, _, op) in self.api.operations() {
            for param in &op.parameters {
                if let Some(p) = self.resolve_parameter(param) {
                    collect_refs_in_parameter(p, &mut request_roots);
                }
            }
            if let Some(body) = op.request_body.as_ref().and_then(|b| self.resolve_request_body(b)) {
                for media in body.content.values() {
                    collect_refs(media.schema.as_ref(), &mut request_roots);
                }
            }
            for response in op.responses.responses.values().chain(op.responses.default.as_ref()) {
                if let Some(response) = self.resolve_response(response) {
                    for media in response.content.values() {
                        collect_refs(media.schema.as_ref(), &mut response_roots);
                    }
                }
            }
        }
        let mut out: BTreeMap<String, (bool, bool)> = BTreeMap::new();
        for (roots, is_request) in [(request_roots, true), (response_roots, false)] {
            for name in self.closure(roots) {
                let entry = out.entry(name).or_default();
                if is_request { entry.0 = true } else { entry.1 = true }
            }
        }
        out
    }

    /// All components reachable from `roots` through references.
    fn closure(&self, mut pending: Vec<String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(schema) = self.component(&name) {
                collect_refs(Some(schema), &mut pending);
            }
        }
        seen
    }

    /// Components used on both sides whose request and response views differ.
    fn needs_split(&self, directions: &BTreeMap<String, (bool, bool)>) -> BTreeSet<String> {
        let both: BTreeSet<&String> =
            directions.iter().filter(|(_, (req, resp))| *req && *resp).map(|(n, _)| n).collect();
        let mut split: BTreeSet<String> = both
            .iter()
            .filter(|name| matches!(self.component(name), Some(ReferenceOr::Item(s)) if has_directional_fields(s)))
            .map(|name| (*name).clone())
            .collect();
        // A component that contains a split one must split too, to point at the right view.
        loop {
            let before = split.len();
            for name in &both {
                if split.contains(*name) {
                    continue;
                }
                let mut refs = Vec::new();
                collect_refs(self.component(name), &mut refs);
                if refs.iter().any(|r| split.contains(r)) {
                    split.insert((*name).clone());
                }
            }
            if split.len() == before {
                return split;
            }
        }
    }

    fn lower_components(&mut self) {
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

    fn lower_component(&mut self, schema: &'a ReferenceOr<Schema>, pointer: &str, name: RustIdent, view: View) {
        let site = Site {
            pointer: pointer.to_owned(),
            hint: name.unraw().to_owned(),
            view,
            depth: 0,
            fixed: Some(name.clone()),
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

    fn lower_schema_ref(&mut self, schema: &'a ReferenceOr<Schema>, site: &Site) -> Lowered {
        match schema {
            ReferenceOr::Item(schema) => self.lower_schema(schema, site),
            ReferenceOr::Reference { reference } => self.lower_reference(reference, site),
        }
    }

    fn lower_boxed_ref(&mut self, schema: &'a ReferenceOr<Box<Schema>>, site: &Site) -> Lowered {
        match schema {
            ReferenceOr::Item(schema) => self.lower_schema(schema, site),
            ReferenceOr::Reference { reference } => self.lower_reference(reference, site),
        }
    }

    fn lower_reference(&mut self, reference: &str, site: &Site) -> Lowered {
        let Some(names) = component_schema_name(reference).and_then(|n| self.components.get(n)) else {
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
    fn name_for(&mut self, site: &Site) -> RustIdent {
        match &site.fixed {
            Some(name) => name.clone(),
            None => RustIdent::new(&self.type_names.claim(type_name(&site.hint))),
        }
    }

    fn lower_schema(&mut self, schema: &'a Schema, site: &Site) -> Lowered {
        if site.depth > MAX_DEPTH {
            self.diagnostics.warning(&site.pointer, "schema nested too deeply; using an untyped JSON value");
            return Lowered::of(Type::Any);
        }
        if site.fixed.is_none()
            && let Some(ty) = self.cache.get(&(site.pointer.clone(), site.view)).cloned()
        {
            return self.decorate(schema, Lowered::of(ty));
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
                        _ => Type::String,
                    })
                } else {
                    let nullable = enumeration.iter().any(Option::is_none);
                    let ty = self.lower_enum(schema, &strings, site);
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
                let ty = match items {
                    Some(items) => {
                        let item = self.lower_boxed_ref(items, &site.child("items", format!("{}Item", site.hint)));
                        if item.nullable { Type::Array(Box::new(Type::Any)) } else { Type::Array(Box::new(item.ty)) }
                    }
                    None => Type::Array(Box::new(Type::Any)),
                };
                Lowered::of(ty)
            }
            Shape::OneOf(variants) => self.lower_union(schema, variants, "oneOf", site),
            Shape::AnyOf(variants) => self.lower_union(schema, variants, "anyOf", site),
            Shape::AllOf(parts) => self.lower_all_of(schema, parts, site),
            Shape::Any => Lowered::of(Type::Any),
            Shape::Unsupported(what) => {
                self.diagnostics
                    .warning(&site.pointer, format!("{what} is not supported; using an untyped JSON value"));
                Lowered::of(Type::Any)
            }
        };
        if site.fixed.is_none() && matches!(lowered.ty, Type::Named(_)) {
            self.cache.insert((site.pointer.clone(), site.view), lowered.ty.clone());
        }
        let lowered = self.decorate(schema, lowered);
        if let Some(pattern) = &lowered.constraints.pattern
            && !crate::emit::validate::pattern_supported(pattern)
        {
            self.diagnostics.warning(
                pointer_push(&site.pointer, "pattern"),
                format!("the pattern {pattern:?} uses syntax the generated validation cannot run; it is not checked"),
            );
        }
        lowered
    }

    /// Adds what every schema carries: nullability, constraints, docs, default, direction.
    fn decorate(&self, schema: &Schema, mut lowered: Lowered) -> Lowered {
        let data = &schema.schema_data;
        lowered.nullable |= data.nullable;
        lowered.constraints = constraints_of(schema);
        lowered.doc = doc_of(schema);
        lowered.default = data.default.clone();
        lowered.read_only = data.read_only;
        lowered.write_only = data.write_only;
        lowered
    }

    fn lower_enum(&mut self, schema: &Schema, values: &[&String], site: &Site) -> Type {
        let name = self.name_for(site);
        let mut namer = Namer::default();
        let variants: Vec<EnumVariant> = values
            .iter()
            .map(|wire| {
                let base = if wire.is_empty() { "Empty".to_owned() } else { type_name(wire) };
                EnumVariant { wire_name: (*wire).clone(), name: RustIdent::new(&namer.claim(base)) }
            })
            .collect();
        let default = schema
            .schema_data
            .default
            .as_ref()
            .and_then(Value::as_str)
            .and_then(|d| variants.iter().position(|v| v.wire_name == d));
        self.types.push(TypeDef {
            request_view: false,
            name: name.clone(),
            pointer: site.pointer.clone(),
            doc: doc_of(schema),
            kind: TypeKind::Enum(Enum { variants, default }),
        });
        Type::Named(name)
    }

    fn lower_object(&mut self, schema: &'a Schema, object: ObjectShape<'a>, site: &Site) -> Lowered {
        let additional = self.lower_additional(object.additional, site);
        if object.properties.is_empty() {
            // A map, not a struct; a named component still becomes an alias for it.
            return Lowered::of(match additional {
                UnknownFields::Collect(ty) => Type::Map(Box::new(ty)),
                UnknownFields::Ignore | UnknownFields::Deny => Type::FreeObject,
            });
        }
        let name = self.name_for(site);
        let fields = self.lower_fields(&object.properties, object.required, name.unraw(), site);
        self.types.push(TypeDef {
            request_view: false,
            name: name.clone(),
            pointer: site.pointer.clone(),
            doc: doc_of(schema),
            kind: TypeKind::Struct(Struct { fields, unknown_fields: additional }),
        });
        Lowered::of(Type::Named(name))
    }

    fn lower_additional(&mut self, additional: Option<&'a AdditionalProperties>, site: &Site) -> UnknownFields {
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

    fn lower_fields(
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

    fn lower_union(
        &mut self,
        schema: &'a Schema,
        variants: &'a [ReferenceOr<Schema>],
        keyword: &str,
        site: &Site,
    ) -> Lowered {
        let is_null = |v: &ReferenceOr<Schema>| matches!(v, ReferenceOr::Item(s) if is_null_schema(s));
        let nullable = variants.iter().any(is_null);
        let real: Vec<(usize, &'a ReferenceOr<Schema>)> =
            variants.iter().enumerate().filter(|(_, v)| !is_null(v)).collect();
        if let [(i, only)] = real.as_slice() {
            // The one real variant is the type itself, so it may take a component's name.
            let child = site.child(keyword, site.hint.clone()).child(&i.to_string(), site.hint.clone());
            let lowered = self.lower_schema_ref(only, &Site { fixed: site.fixed.clone(), ..child });
            return Lowered { nullable: nullable || lowered.nullable, ..Lowered::of(lowered.ty) };
        }
        if real.is_empty() {
            return Lowered { nullable, ..Lowered::of(Type::Any) };
        }
        let name = self.name_for(site);
        let keyword_site = site.child(keyword, String::new());
        let mut namer = Namer::default();
        let mut out = Vec::new();
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut all_refs = true;
        for (i, variant) in &real {
            let base = match variant {
                ReferenceOr::Reference { reference } => component_schema_name(reference).map(type_name),
                ReferenceOr::Item(s) => s.schema_data.title.as_deref().map(type_name),
            }
            .unwrap_or_else(|| variant_kind_name(variant));
            let variant_name = namer.claim(base);
            let lowered = self.lower_schema_ref(
                variant,
                &keyword_site.child(&i.to_string(), format!("{}{variant_name}", name.unraw())),
            );
            let tags = match (variant, discriminator) {
                (ReferenceOr::Reference { reference }, Some(d)) => {
                    let mapped: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, target)| *target == reference)
                        .map(|(value, _)| value.clone())
                        .collect();
                    if mapped.is_empty() {
                        component_schema_name(reference).map(|n| vec![n.to_owned()]).unwrap_or_default()
                    } else {
                        mapped
                    }
                }
                _ => {
                    all_refs = false;
                    Vec::new()
                }
            };
            out.push(UnionVariant { name: RustIdent::new(&variant_name), ty: lowered.ty, boxed: false, tags });
        }
        let discriminator = match discriminator {
            Some(d) if all_refs => Some(Discriminator { property: d.property_name.clone(), in_variants: false }),
            Some(_) => {
                self.diagnostics.warning(
                    pointer_push(&site.pointer, "discriminator"),
                    "a discriminator needs every variant to be a `$ref`; the union is matched by shape instead",
                );
                None
            }
            None => None,
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
    fn lower_all_of(&mut self, schema: &'a Schema, parts: &'a [ReferenceOr<Schema>], site: &Site) -> Lowered {
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
        let object = ObjectShape { properties, required: &[], additional };
        let name = self.name_for(site);
        let additional = self.lower_additional(object.additional, site);
        let fields = self.lower_fields(&object.properties, &required, name.unraw(), site);
        self.types.push(TypeDef {
            request_view: false,
            name: name.clone(),
            pointer: site.pointer.clone(),
            doc: doc_of(schema),
            kind: TypeKind::Struct(Struct { fields, unknown_fields: additional }),
        });
        Lowered::of(Type::Named(name))
    }

    /// Decides, once every type exists, whether each discriminated union's variants carry the
    /// tag property themselves.
    fn finish_discriminators(&mut self) {
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
                    Type::Named(name) => match structs.get(name) {
                        Some(fields) => all_have_tag &= fields.contains(&discriminator.property),
                        None => all_structs = false,
                    },
                    _ => all_structs = false,
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

    /// Boxes struct fields and union variants that would make a type contain itself, and turns
    /// recursive aliases into newtypes (a recursive `type` alias does not compile).
    fn break_cycles(&mut self) {
        let index: BTreeMap<RustIdent, usize> =
            self.types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
        // Direct edges: containment without indirection. All edges: any mention.
        let mut direct: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); self.types.len()];
        let mut all: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); self.types.len()];
        for (i, def) in self.types.iter().enumerate() {
            let mut mention = |ty: &Type, is_direct: bool| {
                let mut names = Vec::new();
                named_in(ty, &mut names);
                for name in names {
                    if let Some(&j) = index.get(&name) {
                        all[i].insert(j);
                        if is_direct && matches!(ty, Type::Named(_)) {
                            direct[i].insert(j);
                        }
                    }
                }
            };
            match &def.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        mention(&f.ty, true);
                    }
                    if let UnknownFields::Collect(ty) = &s.unknown_fields {
                        mention(ty, false);
                    }
                }
                TypeKind::Union(u) => {
                    for v in &u.variants {
                        mention(&v.ty, true);
                    }
                }
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => mention(ty, true),
                TypeKind::Enum(_) => {}
            }
        }
        let reaches = |graph: &Vec<BTreeSet<usize>>, from: usize, to: usize| {
            let mut stack = vec![from];
            let mut seen = BTreeSet::new();
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if seen.insert(n) {
                    stack.extend(graph.get(n).into_iter().flatten().copied());
                }
            }
            false
        };
        let mut alias_cycles = BTreeSet::new();
        let mut boxes: Vec<(usize, usize)> = Vec::new();
        for (i, def) in self.types.iter().enumerate() {
            match &def.kind {
                TypeKind::Struct(s) => {
                    for (k, f) in s.fields.iter().enumerate() {
                        if let Type::Named(name) = &f.ty
                            && let Some(&j) = index.get(name)
                            && reaches(&direct, j, i)
                        {
                            boxes.push((i, k));
                        }
                    }
                }
                TypeKind::Union(u) => {
                    for (k, v) in u.variants.iter().enumerate() {
                        if let Type::Named(name) = &v.ty
                            && let Some(&j) = index.get(name)
                            && reaches(&direct, j, i)
                        {
                            boxes.push((i, k));
                        }
                    }
                }
                TypeKind::Alias(_) if all[i].iter().any(|&j| reaches(&all, j, i)) => {
                    alias_cycles.insert(i);
                }
                _ => {}
            }
        }
        for (i, k) in boxes {
            match self.types.get_mut(i).map(|t| &mut t.kind) {
                Some(TypeKind::Struct(s)) => {
                    if let Some(f) = s.fields.get_mut(k) {
                        f.boxed = true;
                    }
                }
                Some(TypeKind::Union(u)) => {
                    if let Some(v) = u.variants.get_mut(k) {
                        v.boxed = true;
                    }
                }
                _ => {}
            }
        }
        for i in alias_cycles {
            if let Some(def) = self.types.get_mut(i)
                && let TypeKind::Alias(ty) = &def.kind
            {
                def.kind = TypeKind::Newtype(ty.clone());
            }
        }
    }

    fn resolve_parameter(&self, param: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
        resolve_at(self.api, param).map(|(p, _)| p)
    }

    fn resolve_request_body(&self, body: &'a ReferenceOr<RequestBody>) -> Option<&'a RequestBody> {
        resolve_at(self.api, body).map(|(b, _)| b)
    }

    fn resolve_response(&self, response: &'a ReferenceOr<openapiv3::Response>) -> Option<&'a openapiv3::Response> {
        resolve_at(self.api, response).map(|(r, _)| r)
    }

    fn lower_operations(&mut self) -> Vec<Operation> {
        let mut names = Namer::default();
        let mut out = Vec::new();
        for (path, item) in &self.api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let path_pointer = pointer_push("#/paths", path);
            for (method, op) in item.iter() {
                let pointer = pointer_push(&path_pointer, method);
                let id = op.operation_id.clone().unwrap_or_else(|| format!("{method} {path}"));
                let by_tag = self.options.tags.is_empty() || op.tags.iter().any(|t| self.options.tags.contains(t));
                let by_id = self.options.operations.is_empty() || self.options.operations.contains(&id);
                if !(by_tag && by_id) {
                    continue;
                }
                let name = RustIdent::new(&names.claim(field_name(&id)));
                let hint = type_name(&id);
                let site =
                    Site { pointer: pointer.clone(), hint: hint.clone(), view: View::Request, depth: 0, fixed: None };
                let params = self.lower_params(item.parameters.iter().chain(&op.parameters), &site);
                let body = op.request_body.as_ref().and_then(|b| self.lower_body(b, &site));
                let responses = self.lower_responses(op, &Site { view: View::Response, ..site.clone() });
                let mut claim = |suffix: &str| RustIdent::new(&self.type_names.claim(format!("{hint}{suffix}")));
                let has = |location| params.iter().any(|p: &Param| p.location == location);
                let types = OperationTypes {
                    response: claim("Response"),
                    path: has(ParamLocation::Path).then(|| claim("Path")),
                    query: has(ParamLocation::Query).then(|| claim("Query")),
                    headers: has(ParamLocation::Header).then(|| claim("Headers")),
                    request: claim("Request"),
                };
                let responses = responses
                    .into_iter()
                    .map(|r| Response {
                        headers_type: (!r.headers.is_empty()).then(|| {
                            RustIdent::new(&self.type_names.claim(format!("{hint}{}Headers", r.status.variant_name())))
                        }),
                        ..r
                    })
                    .collect();
                let client_method = op
                    .extensions
                    .get("x-codegen")
                    .and_then(|x| x.get("method"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let security = op
                    .security
                    .as_ref()
                    .or(self.api.security.as_ref())
                    .map(|reqs| reqs.iter().map(|req| req.keys().cloned().collect()).collect())
                    .unwrap_or_default();
                out.push(Operation {
                    id,
                    name,
                    types,
                    pointer,
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    tags: op.tags.clone(),
                    client_method,
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    params,
                    body,
                    responses,
                    security,
                });
            }
        }
        out
    }

    fn lower_params(&mut self, params: impl Iterator<Item = &'a ReferenceOr<Parameter>>, site: &Site) -> Vec<Param> {
        // Operation-level parameters override path-level ones with the same name and location.
        let mut by_key: Vec<((String, ParamLocation), Param)> = Vec::new();
        let mut namer = Namer::default();
        for (i, param) in params.enumerate() {
            let Some(param) = self.resolve_parameter(param) else {
                continue;
            };
            let (data, location) = match param {
                Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
                Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
                Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
                Parameter::Cookie { parameter_data, .. } => (parameter_data, ParamLocation::Cookie),
            };
            let child = site
                .child("parameters", String::new())
                .child(&i.to_string(), format!("{}{}", site.hint, type_name(&data.name)));
            let lowered = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => self.lower_schema_ref(schema, &child),
                ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                    Some((media, m)) if json_media(media) => match &m.schema {
                        Some(schema) => self.lower_schema_ref(schema, &child),
                        None => Lowered::of(Type::Any),
                    },
                    _ => Lowered::of(Type::String),
                },
            };
            let key = (data.name.clone(), location);
            let lowered_param = Param {
                wire_name: data.name.clone(),
                name: RustIdent::new(&namer.claim(field_name(&data.name))),
                location,
                required: data.required || location == ParamLocation::Path,
                ty: lowered.ty,
                doc: data.description.clone().or(lowered.doc),
                default: lowered.default,
                constraints: lowered.constraints,
            };
            match by_key.iter_mut().find(|(k, _)| *k == key) {
                Some(existing) => existing.1 = lowered_param,
                None => by_key.push((key, lowered_param)),
            }
        }
        by_key.into_iter().map(|(_, p)| p).collect()
    }

    fn lower_body(&mut self, body: &'a ReferenceOr<RequestBody>, site: &Site) -> Option<Body> {
        let (body, defined_at) = resolve_at(self.api, body)?;
        let (pointer, hint) = match &defined_at {
            Some(reference) => {
                (reference.clone(), format!("{}Body", type_name(reference.rsplit('/').next().unwrap_or("Request"))))
            }
            None => (pointer_push(&site.pointer, "requestBody"), format!("{}Body", site.hint)),
        };
        let body_site = Site { pointer, hint, ..site.clone() };
        let content = self.lower_content(&body.content, &body_site);
        Some(Body { required: body.required, content })
    }

    fn lower_content(&mut self, content: &'a openapiv3::Content, site: &Site) -> Vec<Content> {
        let content_site = site.child("content", String::new());
        let several = content.iter().filter(|(m, s)| json_media(m) && s.schema.is_some()).count() > 1;
        content
            .iter()
            .map(|(media_type, media)| {
                let hint = if several { format!("{}{}", site.hint, type_name(media_type)) } else { site.hint.clone() };
                let media_site = content_site.child(media_type, hint.clone()).child("schema", hint);
                let ty = match &media.schema {
                    None => None,
                    Some(schema) if json_media(media_type) => Some(self.lower_schema_ref(schema, &media_site).ty),
                    // Text and binary bodies are carried as text whatever their schema says.
                    Some(_) => Some(Type::String),
                };
                Content { media_type: media_type.clone(), ty }
            })
            .collect()
    }

    fn lower_responses(&mut self, op: &'a openapiv3::Operation, site: &Site) -> Vec<Response> {
        let mut out = Vec::new();
        let statuses = op
            .responses
            .responses
            .iter()
            .map(|(s, r)| (Some(s), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        for (status, response) in statuses {
            let status = match status {
                Some(StatusCode::Code(code)) => Status::Code(*code),
                Some(StatusCode::Range(range)) => Status::Range(*range),
                None => Status::Default,
            };
            let label = match &status {
                Status::Code(code) => code.to_string(),
                Status::Range(range) => format!("{range}XX"),
                Status::Default => "default".to_owned(),
            };
            let Some((response, defined_at)) = resolve_at(self.api, response) else {
                continue;
            };
            let (pointer, hint) = match &defined_at {
                Some(reference) => (
                    reference.clone(),
                    format!("{}Body", type_name(reference.rsplit('/').next().unwrap_or("Response"))),
                ),
                None => (
                    pointer_push(&pointer_push(&site.pointer, "responses"), &label),
                    format!("{}Response{label}", site.hint),
                ),
            };
            let response_site = Site { pointer, hint, ..site.clone() };
            let content = self.lower_content(&response.content, &response_site);
            let headers = self.lower_response_headers(response, &response_site);
            out.push(Response {
                status,
                description: response.description.clone(),
                content,
                headers,
                headers_type: None,
            });
        }
        out
    }

    fn lower_response_headers(&mut self, response: &'a openapiv3::Response, site: &Site) -> Vec<ResponseHeader> {
        let mut namer = Namer::default();
        let headers_site = site.child("headers", String::new());
        let mut out = Vec::new();
        for (wire, header) in &response.headers {
            // OpenAPI: a `Content-Type` response header is ignored.
            if wire.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let resolved = resolve_at(self.api, header).map(|(h, _)| h);
            let Some(header) = resolved else { continue };
            let child = headers_site.child(wire, format!("{}{}", site.hint, type_name(wire)));
            let lowered = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => self.lower_schema_ref(schema, &child),
                ParameterSchemaOrContent::Content(_) => Lowered::of(Type::String),
            };
            out.push(ResponseHeader {
                wire_name: wire.clone(),
                name: RustIdent::new(&namer.claim(field_name(wire))),
                required: header.required,
                ty: lowered.ty,
                doc: header.description.clone().or(lowered.doc),
            });
        }
        out
    }

    fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.api.components else {
            return Vec::new();
        };
        components
            .security_schemes
            .iter()
            .filter_map(|(name, scheme)| {
                let ReferenceOr::Item(scheme) = scheme else {
                    return None;
                };
                let (kind, description) = match scheme {
                    openapiv3::SecurityScheme::APIKey { location, name, description, .. } => (
                        SecurityKind::ApiKey {
                            location: match location {
                                openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                                openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                                openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                            },
                            name: name.clone(),
                        },
                        description,
                    ),
                    openapiv3::SecurityScheme::HTTP { scheme, bearer_format, description, .. } => (
                        SecurityKind::Http {
                            scheme: scheme.to_ascii_lowercase(),
                            bearer_format: bearer_format.clone(),
                        },
                        description,
                    ),
                    openapiv3::SecurityScheme::OAuth2 { description, .. } => (SecurityKind::OAuth2, description),
                    openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                        (SecurityKind::OpenIdConnect, description)
                    }
                };
                Some(SecurityScheme { name: name.clone(), kind, description: description.clone() })
            })
            .collect()
    }
}

/// A kind of component a `$ref` can name, and where it lives in `components`.
pub(crate) trait Component: Sized {
    const PREFIX: &'static str;
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>>;
}

impl Component for Parameter {
    const PREFIX: &'static str = "#/components/parameters/";
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.parameters.get(name)
    }
}

impl Component for RequestBody {
    const PREFIX: &'static str = "#/components/requestBodies/";
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.request_bodies.get(name)
    }
}

impl Component for openapiv3::Response {
    const PREFIX: &'static str = "#/components/responses/";
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.responses.get(name)
    }
}

impl Component for openapiv3::Header {
    const PREFIX: &'static str = "#/components/headers/";
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.headers.get(name)
    }
}

/// Follows a chain of component references to the item; also returns the last reference
/// followed (where the item is defined). `None` for a dangling or overlong chain.
pub(crate) fn resolve_at<'a, T: Component>(
    api: &'a OpenAPI,
    item: &'a ReferenceOr<T>,
) -> Option<(&'a T, Option<String>)> {
    let mut current = item;
    let mut at = None;
    for _ in 0..MAX_DEPTH {
        match current {
            ReferenceOr::Item(it) => return Some((it, at)),
            ReferenceOr::Reference { reference } => {
                at = Some(reference.clone());
                current = T::lookup(api.components.as_ref()?, reference.strip_prefix(T::PREFIX)?)?;
            }
        }
    }
    None
}

/// The parts of an object schema the lowering needs.
struct ObjectShape<'a> {
    properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
}

/// One view over `openapiv3`'s typed schemas and its catch-all `AnySchema`.
enum Shape<'a> {
    String { format: Option<&'a str>, enumeration: Vec<Option<String>> },
    Integer { format: Option<&'a str> },
    Number { format: Option<&'a str> },
    Boolean,
    Object(ObjectShape<'a>),
    Array { items: Option<&'a ReferenceOr<Box<Schema>>> },
    OneOf(&'a [ReferenceOr<Schema>]),
    AnyOf(&'a [ReferenceOr<Schema>]),
    AllOf(&'a [ReferenceOr<Schema>]),
    Any,
    Unsupported(&'static str),
}

fn format_str<T>(format: &VariantOrUnknownOrEmpty<T>, known: impl Fn(&T) -> &'static str) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.as_str()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn shape(schema: &Schema) -> Shape<'_> {
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
                _ => Shape::Any,
            }
        }
    }
}

/// A schema that only admits `null` (3.0 has no `type: null`; `enum: [null]` is the idiom).
fn is_null_schema(schema: &Schema) -> bool {
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

fn variant_kind_name(variant: &ReferenceOr<Schema>) -> String {
    let ReferenceOr::Item(schema) = variant else {
        return "Variant".to_owned();
    };
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

fn doc_of(schema: &Schema) -> Option<String> {
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

fn constraints_of(schema: &Schema) -> Constraints {
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

/// Whether a schema has `readOnly` or `writeOnly` properties of its own.
fn has_directional_fields(schema: &Schema) -> bool {
    let direct = |p: &ReferenceOr<Box<Schema>>| matches!(p, ReferenceOr::Item(s) if s.schema_data.read_only || s.schema_data.write_only);
    match shape(schema) {
        Shape::Object(object) => object.properties.iter().any(|(_, p)| direct(p)),
        Shape::AllOf(parts) | Shape::OneOf(parts) | Shape::AnyOf(parts) => {
            parts.iter().any(|p| matches!(p, ReferenceOr::Item(s) if has_directional_fields(s)))
        }
        Shape::Array { items: Some(ReferenceOr::Item(items)) } => has_directional_fields(items),
        _ => false,
    }
}

/// Component schema names referenced anywhere inside a schema.
fn collect_refs(schema: Option<&ReferenceOr<Schema>>, out: &mut Vec<String>) {
    let Some(schema) = schema else { return };
    match schema {
        ReferenceOr::Reference { reference } => {
            if let Some(name) = component_schema_name(reference) {
                out.push(name.to_owned());
            }
        }
        ReferenceOr::Item(schema) => collect_refs_in(schema, out),
    }
}

fn collect_refs_boxed(schema: &ReferenceOr<Box<Schema>>, out: &mut Vec<String>) {
    match schema {
        ReferenceOr::Reference { reference } => {
            if let Some(name) = component_schema_name(reference) {
                out.push(name.to_owned());
            }
        }
        ReferenceOr::Item(schema) => collect_refs_in(schema, out),
    }
}

fn collect_refs_in(schema: &Schema, out: &mut Vec<String>) {
    match shape(schema) {
        Shape::Object(object) => {
            for (_, p) in object.properties {
                collect_refs_boxed(p, out);
            }
            if let Some(AdditionalProperties::Schema(s)) = object.additional {
                collect_refs(Some(s), out);
            }
        }
        Shape::Array { items: Some(items) } => collect_refs_boxed(items, out),
        Shape::OneOf(parts) | Shape::AnyOf(parts) | Shape::AllOf(parts) => {
            for p in parts {
                collect_refs(Some(p), out);
            }
        }
        _ => {}
    }
}

fn collect_refs_in_parameter(param: &Parameter, out: &mut Vec<String>) {
    match &param.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(schema) => collect_refs(Some(schema), out),
        ParameterSchemaOrContent::Content(content) => {
            for media in content.values() {
                collect_refs(media.schema.as_ref(), out);
            }
        }
    }
}

/// Every named type mentioned in a type.
fn named_in(ty: &Type, out: &mut Vec<RustIdent>) {
    match ty {
        Type::Named(name) => out.push(name.clone()),
        Type::Array(inner) | Type::Map(inner) => named_in(inner, out),
        _ => {}
    }
}
