//! The server's description of itself, built from the IR — from what the generator understood
//! and generated, not from a copy of the input — with utoipa's own builders at generation time
//! and written as `openapi.json` beside the module, which `openapi()` reads back into
//! `utoipa::openapi::OpenApi`. Data rather than builder code: Stripe's description as builder
//! calls was 114k lines of Rust for the compiler to check. The router serves it (with Swagger
//! UI behind a feature), and a contract test compares it with the canonical spec, so a
//! generator that drops or misreads something is caught. It states `openapi: 3.1.0` whatever the
//! input's version because that is what it is: utoipa writes 3.1's spellings (nullability as a
//! `null` type, bytes as a media type without a schema); a contract test holds both claims.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, ParameterStyle, PathItemBuilder,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Ref, SchemaFormat, SchemaType,
    Type as JsonType,
};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, AuthorizationCode, ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, Implicit, OAuth2,
    OpenIdConnect, Password, Scopes, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, RefOr, Required,
    ResponseBuilder, ResponsesBuilder, Schema,
};

use crate::diagnostic::Diagnostic;
use crate::ir::{
    BodyKind, Content, FloatWidth, IntegerWidth, Ir, OAuthFlow, OAuthFlowKind, Operation, ParamLocation, ParamStyle,
    Presence, SecurityKind, Status, Type, TypeDef, TypeKind, UnknownFields,
};
use crate::naming::RustIdent;

/// The module with `pub fn openapi() -> utoipa::openapi::OpenApi`, which reads `openapi.json`.
pub fn module() -> TokenStream {
    quote! {
        //! The server's own OpenAPI description, written by the generator from what it generated.

        /// The description as utoipa writes it (OpenAPI 3.1), generated beside this module.
        pub const OPENAPI_JSON: &str = include_str!("openapi.json");

        /// The API as this server implements it: paths, operations, statuses and schemas.
        ///
        /// utoipa itself wrote `openapi.json` when the crate was generated, and the generator's
        /// tests read back every fixture's and every real-world document's, so reading it
        /// cannot fail short of a utoipa release that breaks its own format.
        pub fn openapi() -> ::utoipa::openapi::OpenApi {
            ::serde_json::from_str(OPENAPI_JSON).expect("utoipa reads the description it wrote") // ok: see the doc
        }
    }
}

/// `openapi.json`: the description, pretty-printed so a change reads as a diff.
pub fn json(ir: &Ir) -> Result<String, Diagnostic> {
    let mut text = serde_json::to_string_pretty(&describe(ir)).map_err(|e| {
        Diagnostic::error("#", format!("internal error: the server's description does not serialise: {e}"))
            .with_hint("this is a bug in the generator; please report it with the spec")
    })?;
    text.push('\n');
    Ok(text)
}

/// The description as a utoipa value.
pub fn describe(ir: &Ir) -> OpenApi {
    let describer = Describer::new(ir);
    let mut components = ComponentsBuilder::new();
    for (name, schema) in describer.component_schemas() {
        components = components.schema(name, schema);
    }
    for scheme in &ir.security_schemes {
        let value = match &scheme.kind {
            SecurityKind::ApiKey { location, name } => SecurityScheme::ApiKey(match location {
                ParamLocation::Header => ApiKey::Header(ApiKeyValue::new(name)),
                ParamLocation::Cookie => ApiKey::Cookie(ApiKeyValue::new(name)),
                ParamLocation::Query | ParamLocation::Path => ApiKey::Query(ApiKeyValue::new(name)),
            }),
            SecurityKind::Http { scheme, bearer_format } => {
                let auth = match scheme.as_str() {
                    "basic" => HttpAuthScheme::Basic,
                    "digest" => HttpAuthScheme::Digest,
                    _ => HttpAuthScheme::Bearer,
                };
                let mut http = HttpBuilder::new().scheme(auth);
                if let Some(format) = bearer_format {
                    http = http.bearer_format(format);
                }
                SecurityScheme::Http(http.build())
            }
            SecurityKind::OAuth2 { flows } => SecurityScheme::OAuth2(OAuth2::new(flows.iter().map(oauth_flow))),
            SecurityKind::OpenIdConnect { url } => SecurityScheme::OpenIdConnect(OpenIdConnect::new(url)),
        };
        components = components.security_scheme(&scheme.name, value);
    }
    OpenApiBuilder::new()
        .info(InfoBuilder::new().title(&ir.title).version(&ir.version).build())
        .paths(describer.paths())
        .components(Some(components.build()))
        .build()
}

fn oauth_flow(flow: &OAuthFlow) -> Flow {
    let scopes = || Scopes::from_iter(flow.scopes.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (authorization, token) = (flow.authorization_url.as_str(), flow.token_url.as_str());
    match (flow.kind, &flow.refresh_url) {
        (OAuthFlowKind::Implicit, None) => Flow::Implicit(Implicit::new(authorization, scopes())),
        (OAuthFlowKind::Implicit, Some(refresh)) => {
            Flow::Implicit(Implicit::with_refresh_url(authorization, scopes(), refresh))
        }
        (OAuthFlowKind::Password, None) => Flow::Password(Password::new(token, scopes())),
        (OAuthFlowKind::Password, Some(refresh)) => {
            Flow::Password(Password::with_refresh_url(token, scopes(), refresh))
        }
        (OAuthFlowKind::ClientCredentials, None) => Flow::ClientCredentials(ClientCredentials::new(token, scopes())),
        (OAuthFlowKind::ClientCredentials, Some(refresh)) => {
            Flow::ClientCredentials(ClientCredentials::with_refresh_url(token, scopes(), refresh))
        }
        (OAuthFlowKind::AuthorizationCode, None) => {
            Flow::AuthorizationCode(AuthorizationCode::new(authorization, token, scopes()))
        }
        (OAuthFlowKind::AuthorizationCode, Some(refresh)) => {
            Flow::AuthorizationCode(AuthorizationCode::with_refresh_url(authorization, token, scopes(), refresh))
        }
    }
}

fn nullable(schema: RefOr<Schema>) -> RefOr<Schema> {
    RefOr::from(OneOfBuilder::new().item(schema).item(ObjectBuilder::new().schema_type(JsonType::Null)))
}

fn scalar(ty: JsonType, format: Option<SchemaFormat>) -> RefOr<Schema> {
    RefOr::from(ObjectBuilder::new().schema_type(ty).format(format).build())
}

/// Any JSON value. Spelled as the list of every type rather than `{}`: utoipa 6 writes a
/// typeless schema as `{}` but cannot read `{}` back (its `Object` has no default `type`).
fn any_value() -> RefOr<Schema> {
    let every = [
        JsonType::Array,
        JsonType::Boolean,
        JsonType::Integer,
        JsonType::Null,
        JsonType::Number,
        JsonType::Object,
        JsonType::String,
    ];
    RefOr::from(ObjectBuilder::new().schema_type(SchemaType::from_iter(every)).build())
}

struct Describer<'a> {
    ir: &'a Ir,
    by_name: BTreeMap<&'a RustIdent, &'a TypeDef>,
    /// Rust name → component name, for types that are a component's main view.
    components: BTreeMap<&'a RustIdent, String>,
}

impl<'a> Describer<'a> {
    fn new(ir: &'a Ir) -> Self {
        let by_name = ir.types.iter().map(|t| (&t.name, t)).collect();
        let components = ir
            .types
            .iter()
            .filter(|t| !t.request_view)
            .filter_map(|t| {
                let name = t.pointer.strip_prefix("#/components/schemas/")?;
                (!name.contains('/')).then(|| (&t.name, name.replace("~1", "/").replace("~0", "~")))
            })
            .collect();
        Describer { ir, by_name, components }
    }

    fn component_schemas(&self) -> Vec<(String, RefOr<Schema>)> {
        let mut out: Vec<(String, RefOr<Schema>)> = self
            .ir
            .types
            .iter()
            .filter_map(|def| {
                let name = self.components.get(&def.name)?;
                Some((name.clone(), self.definition(def, &mut BTreeSet::new())))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// A schema for a type. Component types are references; other named types are expanded
    /// inline (`stack` stops recursion).
    fn schema(&self, ty: &Type, stack: &mut BTreeSet<RustIdent>) -> RefOr<Schema> {
        let known = |format| Some(SchemaFormat::KnownFormat(format));
        match ty {
            Type::String => scalar(JsonType::String, None),
            Type::Email => scalar(JsonType::String, Some(SchemaFormat::Custom("email".to_owned()))),
            Type::DateTime => scalar(JsonType::String, known(KnownFormat::DateTime)),
            Type::Date => scalar(JsonType::String, known(KnownFormat::Date)),
            Type::Uuid => scalar(JsonType::String, Some(SchemaFormat::Custom("uuid".to_owned()))),
            Type::Bytes => scalar(JsonType::String, known(KnownFormat::Byte)),
            Type::File => scalar(JsonType::String, known(KnownFormat::Binary)),
            Type::Integer(width) => {
                let format = match width {
                    IntegerWidth::I32 => known(KnownFormat::Int32),
                    IntegerWidth::I64 => known(KnownFormat::Int64),
                    _ => None,
                };
                scalar(JsonType::Integer, format)
            }
            Type::Float(FloatWidth::F32) => scalar(JsonType::Number, known(KnownFormat::Float)),
            Type::Float(FloatWidth::F64) => scalar(JsonType::Number, known(KnownFormat::Double)),
            Type::Boolean => scalar(JsonType::Boolean, None),
            // A user type: its wire form is the schema's, a string.
            Type::Custom(_) => scalar(JsonType::String, None),
            Type::Any => any_value(),
            Type::FreeObject => RefOr::from(
                ObjectBuilder::new()
                    .schema_type(JsonType::Object)
                    .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(true)))
                    .build(),
            ),
            Type::Array(inner) => RefOr::from(ArrayBuilder::new().items(self.schema(inner, stack)).build()),
            Type::Map(inner) => RefOr::from(
                ObjectBuilder::new()
                    .schema_type(JsonType::Object)
                    .additional_properties(Some(AdditionalProperties::RefOr(self.schema(inner, stack))))
                    .build(),
            ),
            Type::Named(name) => match self.components.get(name) {
                Some(component) => RefOr::from(Ref::from_schema_name(component.as_str())),
                None => match self.by_name.get(name) {
                    Some(def) if !stack.contains(name) => {
                        stack.insert(name.clone());
                        let schema = self.definition(def, stack);
                        stack.remove(name);
                        schema
                    }
                    _ => any_value(),
                },
            },
        }
    }

    fn definition(&self, def: &TypeDef, stack: &mut BTreeSet<RustIdent>) -> RefOr<Schema> {
        match &def.kind {
            TypeKind::Struct(s) => {
                let mut object = ObjectBuilder::new().schema_type(JsonType::Object);
                for field in &s.fields {
                    let schema = self.schema(&field.ty, stack);
                    object = object.property(&field.wire_name, if field.nullable { nullable(schema) } else { schema });
                }
                for field in &s.fields {
                    if matches!(field.presence(), Presence::Required | Presence::RequiredNullable) {
                        object = object.required(&field.wire_name);
                    }
                }
                object = match &s.unknown_fields {
                    UnknownFields::Ignore => object,
                    UnknownFields::Deny => {
                        object.additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
                    }
                    UnknownFields::Collect(ty) => {
                        object.additional_properties(Some(AdditionalProperties::RefOr(self.schema(ty, stack))))
                    }
                };
                RefOr::from(object.build())
            }
            TypeKind::Enum(e) => RefOr::from(
                ObjectBuilder::new()
                    .schema_type(JsonType::String)
                    .enum_values(Some(e.variants.iter().map(|v| v.wire_name.as_str())))
                    .build(),
            ),
            TypeKind::Union(u) => {
                let mut one_of = OneOfBuilder::new();
                let mut mapping = Vec::new();
                for variant in &u.variants {
                    let schema = match &variant.ty {
                        Some(ty) => self.schema(ty, stack),
                        None => RefOr::from(ObjectBuilder::new().schema_type(JsonType::Object).build()),
                    };
                    // An inline variant of a tagged union leaves its tag to the enum; the
                    // document describes the payload, tag included.
                    let schema = match (schema, &u.discriminator, variant.tags.first()) {
                        (RefOr::T(Schema::Object(mut object)), Some(d), Some(tag)) if !d.in_variants => {
                            let tag =
                                ObjectBuilder::new().schema_type(JsonType::String).enum_values(Some([tag.as_str()]));
                            object.properties.insert(d.property.clone(), RefOr::from(tag.build()));
                            object.required.push(d.property.clone());
                            RefOr::from(object)
                        }
                        (schema, ..) => schema,
                    };
                    if let RefOr::Ref(reference) = &schema {
                        mapping.extend(variant.tags.iter().map(|tag| (tag.clone(), reference.ref_location.clone())));
                    }
                    one_of = one_of.item(schema);
                }
                // The discriminator, with every tag mapped to its variant's schema.
                if let Some(discriminator) = &u.discriminator {
                    let discriminator =
                        utoipa::openapi::schema::Discriminator::with_mapping(discriminator.property.clone(), mapping);
                    one_of = one_of.discriminator(Some(discriminator));
                }
                RefOr::from(one_of)
            }
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => self.schema(ty, stack),
        }
    }

    fn paths(&self) -> utoipa::openapi::Paths {
        let mut grouped: Vec<(&str, Vec<&Operation>)> = Vec::new();
        for op in &self.ir.operations {
            match grouped.iter_mut().find(|(p, _)| *p == op.path) {
                Some((_, ops)) => ops.push(op),
                None => grouped.push((&op.path, vec![op])),
            }
        }
        let mut paths = PathsBuilder::new();
        for (path, ops) in grouped {
            let mut item = PathItemBuilder::new();
            for op in ops {
                let method = match op.method.as_str() {
                    "GET" => HttpMethod::Get,
                    "PUT" => HttpMethod::Put,
                    "POST" => HttpMethod::Post,
                    "DELETE" => HttpMethod::Delete,
                    "OPTIONS" => HttpMethod::Options,
                    "HEAD" => HttpMethod::Head,
                    "PATCH" => HttpMethod::Patch,
                    _ => HttpMethod::Trace,
                };
                item = item.operation(method, self.operation(op));
            }
            paths = paths.path(path, item.build());
        }
        paths.build()
    }

    /// Every media type is described as the server carries it: JSON and form bodies by their
    /// schema, text as a string, bytes without a schema (OpenAPI 3.1's spelling of any octets).
    fn content(&self, content: &Content) -> utoipa::openapi::Content {
        let schema = match (content.kind(), &content.ty) {
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(ty)) => {
                Some(self.schema(ty, &mut BTreeSet::new()))
            }
            (BodyKind::Text, _) => Some(self.schema(&Type::String, &mut BTreeSet::new())),
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, None) | (BodyKind::Binary, _) => None,
        };
        ContentBuilder::new().schema(schema).build()
    }

    fn operation(&self, op: &Operation) -> utoipa::openapi::path::Operation {
        let required = |yes: bool| if yes { Required::True } else { Required::False };
        let mut operation = OperationBuilder::new()
            .operation_id(Some(op.id.as_str()))
            .tags(Some(op.tags.clone()))
            .summary(op.summary.as_deref());
        for param in &op.params {
            let location = match param.location {
                ParamLocation::Path => ParameterIn::Path,
                ParamLocation::Query => ParameterIn::Query,
                ParamLocation::Header => ParameterIn::Header,
                ParamLocation::Cookie => ParameterIn::Cookie,
            };
            // Only what differs from the location's defaults, so the description reads like
            // the spec; a `content`-encoded parameter keeps its schema (utoipa has no `content`
            // for parameters) and is marked by the JSON shape in the generated code only.
            let style = (param.style != ParamStyle::default_for(param.location)).then_some(match param.style {
                ParamStyle::Form => ParameterStyle::Form,
                ParamStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                ParamStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                ParamStyle::DeepObject => ParameterStyle::DeepObject,
                ParamStyle::Simple => ParameterStyle::Simple,
                ParamStyle::Label => ParameterStyle::Label,
                ParamStyle::Matrix => ParameterStyle::Matrix,
            });
            let explode = (param.explode != (param.style == ParamStyle::Form)).then_some(param.explode);
            operation = operation.parameter(
                ParameterBuilder::new()
                    .name(&param.field.wire_name)
                    .parameter_in(location)
                    .required(required(param.field.required))
                    .style(style)
                    .explode(explode)
                    .allow_reserved(param.allow_reserved.then_some(true))
                    .schema(Some(self.schema(&param.field.ty, &mut BTreeSet::new())))
                    .build(),
            );
        }
        if let Some(body) = &op.body {
            let mut request = RequestBodyBuilder::new().required(Some(required(body.required)));
            for content in &body.content {
                request = request.content(&content.media_type, self.content(content));
            }
            operation = operation.request_body(Some(request.build()));
        }
        let mut responses = ResponsesBuilder::new();
        for response in &op.responses {
            let status = match &response.status {
                Status::Code(code) => code.to_string(),
                Status::Range(digit) => format!("{digit}XX"),
                Status::Default => "default".to_owned(),
            };
            let mut built = ResponseBuilder::new().description(&response.description);
            for content in &response.content {
                built = built.content(&content.media_type, self.content(content));
            }
            responses = responses.response(status, built.build());
        }
        // Each alternative with the scopes its schemes ask for.
        let security: Vec<SecurityRequirement> = op
            .security
            .iter()
            .map(|alternative| match alternative.split_first() {
                None => SecurityRequirement::default(),
                Some((first, rest)) => rest
                    .iter()
                    .fold(SecurityRequirement::new(&first.scheme, first.scopes.clone()), |requirement, next| {
                        requirement.add(&next.scheme, next.scopes.clone())
                    }),
            })
            .collect();
        operation.responses(responses.build()).securities(Some(security)).build()
    }
}
