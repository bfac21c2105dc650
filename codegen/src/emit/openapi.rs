//! The server's description of itself: a function building a `utoipa` OpenAPI document from the
//! IR, i.e. from what the generator understood and generated, not from a copy of the input. The
//! router serves it as JSON (with Swagger UI behind a feature), and a contract test compares it
//! with the canonical spec, so a generator that drops or misreads something is caught.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::body_type;
use crate::ir::{
    FloatWidth, IntegerWidth, Ir, Operation, ParamLocation, Presence, SecurityKind, Status, Type, TypeDef, TypeKind,
    UnknownFields, primary_content,
};
use crate::naming::RustIdent;

/// Builds the module with `pub fn openapi() -> utoipa::openapi::OpenApi`.
pub fn module(ir: &Ir) -> TokenStream {
    let describer = Describer::new(ir);
    let title = &ir.title;
    let version = &ir.version;
    let paths = describer.paths();
    let schemas = describer.component_schemas();
    let schemes = ir.security_schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let value = match &scheme.kind {
            SecurityKind::ApiKey { location, name } => {
                let variant = match location {
                    ParamLocation::Header => quote!(Header),
                    ParamLocation::Cookie => quote!(Cookie),
                    ParamLocation::Query | ParamLocation::Path => quote!(Query),
                };
                quote!(SecurityScheme::ApiKey(ApiKey::#variant(ApiKeyValue::new(#name))))
            }
            SecurityKind::Http { scheme, bearer_format } => {
                let auth = match scheme.as_str() {
                    "basic" => quote!(HttpAuthScheme::Basic),
                    "digest" => quote!(HttpAuthScheme::Digest),
                    _ => quote!(HttpAuthScheme::Bearer),
                };
                let format = bearer_format.as_ref().map(|f| quote!(.bearer_format(#f)));
                quote!(SecurityScheme::Http(HttpBuilder::new().scheme(#auth)#format.build()))
            }
            SecurityKind::OAuth2 | SecurityKind::OpenIdConnect => {
                quote!(SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()))
            }
        };
        quote! { .security_scheme(#name, #value) }
    });
    quote! {
        //! The server's own OpenAPI description, built from what was generated.
        // Which builders are needed depends on the spec.
        #![allow(unused_imports)]

        use ::utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn, PathItemBuilder};
        use ::utoipa::openapi::request_body::RequestBodyBuilder;
        use ::utoipa::openapi::schema::{
            AdditionalProperties, ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Ref, SchemaFormat, SchemaType,
            Type,
        };
        use ::utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
        };
        use ::utoipa::openapi::{
            ComponentsBuilder, ContentBuilder, HttpMethod, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, RefOr,
            Required, ResponseBuilder, ResponsesBuilder, Schema,
        };

        /// The API as this server implements it: paths, operations, statuses and schemas.
        pub fn openapi() -> OpenApi {
            OpenApiBuilder::new()
                .info(InfoBuilder::new().title(#title).version(#version).build())
                .paths(PathsBuilder::new() #(#paths)* .build())
                .components(Some(ComponentsBuilder::new() #(#schemas)* #(#schemes)* .build()))
                .build()
        }

        #[allow(dead_code)]
        fn nullable(schema: RefOr<Schema>) -> RefOr<Schema> {
            RefOr::<Schema>::from(OneOfBuilder::new().item(schema).item(ObjectBuilder::new().schema_type(Type::Null)))
        }
    }
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

    fn component_schemas(&self) -> Vec<TokenStream> {
        let mut out: Vec<(&String, TokenStream)> = Vec::new();
        for def in &self.ir.types {
            if let Some(name) = self.components.get(&def.name) {
                let schema = self.definition(def, &mut BTreeSet::new());
                out.push((name, quote! { .schema(#name, #schema) }));
            }
        }
        out.sort_by(|a, b| a.0.cmp(b.0));
        out.into_iter().map(|(_, tokens)| tokens).collect()
    }

    /// A schema for a type, as an expression of type `RefOr<Schema>`. Component types are
    /// references; other named types are expanded inline (`stack` stops recursion).
    fn schema(&self, ty: &Type, stack: &mut BTreeSet<RustIdent>) -> TokenStream {
        let scalar = |t: TokenStream, format: Option<TokenStream>| {
            let format = format.map(|f| quote!(.format(Some(#f))));
            quote!(RefOr::from(ObjectBuilder::new().schema_type(Type::#t)#format.build()))
        };
        match ty {
            Type::String => scalar(quote!(String), None),
            Type::Email => scalar(quote!(String), Some(quote!(SchemaFormat::Custom("email".to_owned())))),
            Type::DateTime => scalar(quote!(String), Some(quote!(SchemaFormat::KnownFormat(KnownFormat::DateTime)))),
            Type::Date => scalar(quote!(String), Some(quote!(SchemaFormat::KnownFormat(KnownFormat::Date)))),
            Type::Integer(width) => {
                let format = match width {
                    IntegerWidth::I32 => Some(quote!(SchemaFormat::KnownFormat(KnownFormat::Int32))),
                    IntegerWidth::I64 => Some(quote!(SchemaFormat::KnownFormat(KnownFormat::Int64))),
                    _ => None,
                };
                scalar(quote!(Integer), format)
            }
            Type::Float(width) => {
                let format = match width {
                    FloatWidth::F32 => quote!(SchemaFormat::KnownFormat(KnownFormat::Float)),
                    FloatWidth::F64 => quote!(SchemaFormat::KnownFormat(KnownFormat::Double)),
                };
                scalar(quote!(Number), Some(format))
            }
            Type::Boolean => scalar(quote!(Boolean), None),
            // A user type: its wire form is the schema's, a string.
            Type::Custom(_) => scalar(quote!(String), None),
            Type::Any => quote!(RefOr::from(ObjectBuilder::new().schema_type(SchemaType::AnyValue).build())),
            Type::FreeObject => quote! {
                RefOr::from(ObjectBuilder::new().schema_type(Type::Object)
                    .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(true))).build())
            },
            Type::Array(inner) => {
                let inner = self.schema(inner, stack);
                quote!(RefOr::from(ArrayBuilder::new().items(#inner).build()))
            }
            Type::Map(inner) => {
                let inner = self.schema(inner, stack);
                quote! {
                    RefOr::from(ObjectBuilder::new().schema_type(Type::Object)
                        .additional_properties(Some(AdditionalProperties::RefOr(#inner))).build())
                }
            }
            Type::Named(name) => match self.components.get(name) {
                Some(component) => quote!(RefOr::from(Ref::from_schema_name(#component))),
                None => match self.by_name.get(name) {
                    Some(def) if !stack.contains(name) => {
                        stack.insert(name.clone());
                        let schema = self.definition(def, stack);
                        stack.remove(name);
                        schema
                    }
                    _ => quote!(RefOr::from(ObjectBuilder::new().schema_type(SchemaType::AnyValue).build())),
                },
            },
        }
    }

    fn definition(&self, def: &TypeDef, stack: &mut BTreeSet<RustIdent>) -> TokenStream {
        match &def.kind {
            TypeKind::Struct(s) => {
                let properties: Vec<TokenStream> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let wire = &f.wire_name;
                        let schema = self.schema(&f.ty, stack);
                        let schema = if f.nullable { quote!(nullable(#schema)) } else { schema };
                        quote! { .property(#wire, #schema) }
                    })
                    .collect();
                let required = s
                    .fields
                    .iter()
                    .filter(|f| matches!(f.presence(), Presence::Required | Presence::RequiredNullable))
                    .map(|f| {
                        let wire = &f.wire_name;
                        quote! { .required(#wire) }
                    });
                let additional = match &s.unknown_fields {
                    UnknownFields::Ignore => TokenStream::new(),
                    UnknownFields::Deny => {
                        quote!(.additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false))))
                    }
                    UnknownFields::Collect(ty) => {
                        let schema = self.schema(ty, stack);
                        quote!(.additional_properties(Some(AdditionalProperties::RefOr(#schema))))
                    }
                };
                quote! {
                    RefOr::from(ObjectBuilder::new().schema_type(Type::Object) #(#properties)* #(#required)* #additional .build())
                }
            }
            TypeKind::Enum(e) => {
                let values = e.variants.iter().map(|v| &v.wire_name);
                quote!(RefOr::from(ObjectBuilder::new().schema_type(Type::String).enum_values(Some([#(#values),*])).build()))
            }
            TypeKind::Union(u) => {
                let items: Vec<TokenStream> = u.variants.iter().map(|v| self.schema(&v.ty, stack)).collect();
                quote!(RefOr::<Schema>::from(OneOfBuilder::new() #(.item(#items))*))
            }
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => self.schema(ty, stack),
        }
    }

    fn paths(&self) -> Vec<TokenStream> {
        let mut grouped: Vec<(&str, Vec<&Operation>)> = Vec::new();
        for op in &self.ir.operations {
            match grouped.iter_mut().find(|(p, _)| *p == op.path) {
                Some((_, ops)) => ops.push(op),
                None => grouped.push((&op.path, vec![op])),
            }
        }
        grouped
            .into_iter()
            .map(|(path, ops)| {
                let operations = ops.iter().map(|op| {
                    let method = match op.method.as_str() {
                        "GET" => quote!(HttpMethod::Get),
                        "PUT" => quote!(HttpMethod::Put),
                        "POST" => quote!(HttpMethod::Post),
                        "DELETE" => quote!(HttpMethod::Delete),
                        "OPTIONS" => quote!(HttpMethod::Options),
                        "HEAD" => quote!(HttpMethod::Head),
                        "PATCH" => quote!(HttpMethod::Patch),
                        _ => quote!(HttpMethod::Trace),
                    };
                    let operation = self.operation(op);
                    quote! { .operation(#method, #operation) }
                });
                quote! { .path(#path, PathItemBuilder::new() #(#operations)* .build()) }
            })
            .collect()
    }

    fn operation(&self, op: &Operation) -> TokenStream {
        let id = &op.id;
        let tags = &op.tags;
        let summary = op.summary.as_ref().map(|s| quote!(.summary(Some(#s))));
        let parameters = op.params.iter().map(|p| {
            let name = &p.wire_name;
            let location = match p.location {
                ParamLocation::Path => quote!(ParameterIn::Path),
                ParamLocation::Query => quote!(ParameterIn::Query),
                ParamLocation::Header => quote!(ParameterIn::Header),
                ParamLocation::Cookie => quote!(ParameterIn::Cookie),
            };
            let required = if p.required { quote!(Required::True) } else { quote!(Required::False) };
            let schema = self.schema(&p.ty, &mut BTreeSet::new());
            quote! {
                .parameter(ParameterBuilder::new().name(#name).parameter_in(#location).required(#required).schema(Some(#schema)).build())
            }
        });
        let body = op.body.as_ref().and_then(|body| {
            let content = primary_content(&body.content)?;
            let media = &content.media_type;
            let schema = match &content.ty {
                Some(ty) if content.is_json() => self.schema(ty, &mut BTreeSet::new()),
                _ => self.schema(&Type::String, &mut BTreeSet::new()),
            };
            let required = if body.required { quote!(Required::True) } else { quote!(Required::False) };
            Some(quote! {
                .request_body(Some(RequestBodyBuilder::new()
                    .content(#media, ContentBuilder::new().schema(Some(#schema)).build())
                    .required(Some(#required)).build()))
            })
        });
        let responses = op.responses.iter().map(|response| {
            let status = match &response.status {
                Status::Code(code) => code.to_string(),
                Status::Range(digit) => format!("{digit}XX"),
                Status::Default => "default".to_owned(),
            };
            let description = &response.description;
            let content = body_type(response).and_then(|ty| {
                let media = &primary_content(&response.content)?.media_type;
                let schema = self.schema(&ty, &mut BTreeSet::new());
                Some(quote!(.content(#media, ContentBuilder::new().schema(Some(#schema)).build())))
            });
            quote! { .response(#status, ResponseBuilder::new().description(#description) #content .build()) }
        });
        let security = op.security.iter().map(|alternative| match alternative.split_first() {
            None => quote!(SecurityRequirement::default()),
            Some((first, rest)) => {
                quote!(SecurityRequirement::new(#first, ::std::vec::Vec::<::std::string::String>::new()) #(.add(#rest, ::std::vec::Vec::<::std::string::String>::new()))*)
            }
        });
        quote! {
            OperationBuilder::new()
                .operation_id(Some(#id))
                .tags(Some(::std::vec::Vec::<&str>::from([#(#tags),*])))
                #summary
                #(#parameters)*
                #body
                .responses(ResponsesBuilder::new() #(#responses)* .build())
                .securities(Some(::std::vec::Vec::<SecurityRequirement>::from([#(#security),*])))
                .build()
        }
    }
}
