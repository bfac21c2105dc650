//! The axum server crate: one trait per tag with one method per operation, a router that
//! authenticates, parses and validates every request before calling the method, and turns the
//! method's response enum into HTTP. Requests that fail are answered with the API's own error
//! body (built by the implementation's `error_body`), never with axum's plain-text rejections.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::type_tokens;
use super::operations::body_type;
use super::{GeneratedFile, doc_attrs, format_rust, header};
use crate::diagnostic::Diagnostic;
use crate::ir::{Ir, Operation, ParamLocation, SecurityKind, SecurityScheme, Status, Type, primary_content};
use crate::naming::{RustIdent, field_name, type_name};

/// Settings of the server crate.
#[derive(Clone, Debug)]
pub struct ServerSettings {
    pub crate_name: String,
    pub dir: String,
    pub license: String,
}

/// Emits the server crate; `models` names the models crate it depends on.
pub fn emit(
    ir: &Ir,
    settings: &ServerSettings,
    models: &super::models::ModelsSettings,
    spec_label: &str,
) -> Result<Vec<GeneratedFile>, Diagnostic> {
    let models_ident = RustIdent::new(&models.crate_name.replace('-', "_")).ident();
    let title = format!(" Axum server stubs of {} {}, generated from its OpenAPI document.", ir.title, ir.version);
    let lib = quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = " Implement [`ApiBase`] and one trait per tag, then serve [`router`]."]

        #[rustfmt::skip]
        mod api;
        #[rustfmt::skip]
        mod openapi;
        #[rustfmt::skip]
        mod router;
        #[rustfmt::skip]
        pub mod support;

        // In rustfmt's order, so `cargo fmt` leaves the file alone.
        pub use api::*;
        pub use openapi::openapi;
        pub use router::{router, router_with};
        pub use support::{Problem, ProblemKind, RequestMeta, ServerConfig};

        /// The models crate the server speaks.
        pub mod models {
            pub use ::#models_ident::*;
        }
    };
    let files = [
        ("lib.rs", format_rust(lib, spec_label)?),
        ("api.rs", format_rust(api_module(ir), spec_label)?),
        ("openapi.rs", format_rust(super::openapi::module(ir), spec_label)?),
        ("router.rs", format_rust(router_module(ir), spec_label)?),
        ("support.rs", format_rust(support_module(), spec_label)?),
    ];
    let manifest = format!(
        "{header}\n[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2024\"\nrust-version = \"1.85\"\n\
         description = \"Axum server stubs of {title}, generated from its OpenAPI document.\"\nlicense = \"{license}\"\n\
         publish = false\n\n[dependencies]\n{models} = {{ path = \"{models_dir}\", version = \"{version}\" }}\n\
         axum = {{ version = \"0.8\", default-features = false, features = [\"http1\", \"tokio\"] }}\n\
         form_urlencoded = \"1\"\nserde = \"1\"\nserde_json = \"1\"\nserde_path_to_error = \"0.1\"\nserde_urlencoded = \"0.7\"\n\
         # utoipa 6.0.0 does not compile without its `macros` feature (lib.rs gates a module on it).\n\
         utoipa = {{ version = \"6\", default-features = false, features = [\"macros\", \"preserve_order\", \"preserve_path_order\"] }}\n\
         utoipa-swagger-ui = {{ version = \"10\", default-features = false, features = [\"axum\", \"vendored\"], optional = true }}\n\n\
         [features]\n\
         # Serves Swagger UI (bundled, nothing is downloaded) at ServerConfig::swagger_ui_path.\n\
         swagger-ui = [\"dep:utoipa-swagger-ui\"]\n",
        header = header("#", spec_label),
        name = settings.crate_name,
        version = super::models::cargo_version(&ir.version),
        title = ir.title.replace('\\', "\\\\").replace('"', "\\\""),
        license = settings.license,
        models = models.crate_name,
        models_dir = relative_dir(&settings.dir, &models.dir),
    );
    let mut out = vec![GeneratedFile { path: format!("{}/Cargo.toml", settings.dir), contents: manifest }];
    out.extend(
        files
            .into_iter()
            .map(|(name, contents)| GeneratedFile { path: format!("{}/src/{name}", settings.dir), contents }),
    );
    Ok(out)
}

/// The path of directory `to` seen from directory `from` (both relative to the output directory).
pub(crate) fn relative_dir(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len().saturating_sub(common)];
    parts.extend(to.iter().skip(common));
    parts.join("/")
}

/// The schema most error responses use: the body of the errors the router answers itself.
fn error_body_type(ir: &Ir) -> Type {
    let mut counts: BTreeMap<String, (usize, Type)> = BTreeMap::new();
    for op in &ir.operations {
        for response in &op.responses {
            let is_error = match response.status {
                Status::Code(code) => code >= 400,
                Status::Range(digit) => digit >= 4,
                Status::Default => true,
            };
            if let (true, Some(ty)) = (is_error, body_type(response))
                && let Type::Named(name) = &ty
            {
                counts.entry(name.unraw().to_owned()).or_insert((0, ty.clone())).0 += 1;
            }
        }
    }
    counts.into_values().max_by_key(|(count, _)| *count).map(|(_, ty)| ty).unwrap_or(Type::Any)
}

/// Types of the models crate are named through the `models` re-export.
fn model_type(ty: &Type) -> TokenStream {
    match ty {
        Type::Named(name) => {
            let ident = name.ident();
            quote!(crate::models::#ident)
        }
        Type::Array(inner) => {
            let inner = model_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = model_type(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Type::Email => quote!(crate::models::support::Email),
        other => type_tokens(other),
    }
}

fn credential_variant(scheme: &SecurityScheme) -> proc_macro2::Ident {
    RustIdent::new(&type_name(&scheme.name)).ident()
}

fn tag_trait(tag: &str) -> proc_macro2::Ident {
    RustIdent::new(&format!("{}Api", type_name(tag))).ident()
}

/// How the handler receives the caller: `None` for a public operation.
enum Caller {
    Public,
    Required,
    Optional,
}

fn caller(op: &Operation) -> Caller {
    if op.security.is_empty() {
        Caller::Public
    } else if op.security.iter().any(Vec::is_empty) {
        Caller::Optional
    } else {
        Caller::Required
    }
}

/// The body type the handler receives, and whether it is JSON.
fn request_body(op: &Operation) -> Option<(TokenStream, bool, bool)> {
    let body = op.body.as_ref()?;
    let content = primary_content(&body.content)?;
    let ty = match &content.ty {
        Some(ty) if content.is_json() => model_type(ty),
        None if content.is_json() => quote!(::serde_json::Value),
        _ => quote!(::std::string::String),
    };
    Some((ty, content.is_json(), body.required))
}

fn param_struct(op: &Operation, location: ParamLocation) -> Option<&RustIdent> {
    match location {
        ParamLocation::Path => op.types.path.as_ref(),
        ParamLocation::Query => op.types.query.as_ref(),
        ParamLocation::Header => op.types.headers.as_ref(),
        ParamLocation::Cookie => None,
    }
}

fn has_request(op: &Operation) -> bool {
    op.types.path.is_some() || op.types.query.is_some() || op.types.headers.is_some() || request_body(op).is_some()
}

fn api_module(ir: &Ir) -> TokenStream {
    let error_body = model_type(&error_body_type(ir));
    let credentials = ir.security_schemes.iter().map(|scheme| {
        let variant = credential_variant(scheme);
        let doc = match &scheme.kind {
            SecurityKind::ApiKey { location, name } => {
                format!(" `{}`: the value of the {name} {}.", scheme.name, location_word(*location))
            }
            SecurityKind::Http { scheme: http, .. } if http == "bearer" => {
                format!(" `{}`: the token of an `Authorization: Bearer` header.", scheme.name)
            }
            SecurityKind::Http { scheme: http, .. } => {
                format!(" `{}`: the credentials of an `Authorization: {http}` header.", scheme.name)
            }
            SecurityKind::OAuth2 | SecurityKind::OpenIdConnect => {
                format!(" `{}`: the token of an `Authorization: Bearer` header.", scheme.name)
            }
        };
        quote! { #[doc = #doc] #variant(::std::string::String), }
    });
    let authenticate_default = ir.security_schemes.is_empty().then(|| {
        quote! { { let _ = (credential, meta); async { ::std::option::Option::None } } }
    });
    let authenticate = match authenticate_default {
        Some(body) => quote! {
            fn authenticate(&self, credential: Credential, meta: &crate::support::RequestMeta)
                -> impl ::std::future::Future<Output = ::std::option::Option<Self::Principal>> + Send #body
        },
        None => quote! {
            fn authenticate(&self, credential: Credential, meta: &crate::support::RequestMeta)
                -> impl ::std::future::Future<Output = ::std::option::Option<Self::Principal>> + Send;
        },
    };
    let requests = ir.operations.iter().filter(|op| has_request(op)).map(|op| {
        let ident = op.types.request.ident();
        let doc = format!(" What `{}` receives: its parameters and body, parsed and validated.", op.id);
        let mut fields = Vec::new();
        for (location, field) in
            [(ParamLocation::Path, "path"), (ParamLocation::Query, "query"), (ParamLocation::Header, "headers")]
        {
            if let Some(name) = param_struct(op, location) {
                let ty = name.ident();
                let field = format_ident!("{field}");
                fields.push(quote! { pub #field: crate::models::#ty, });
            }
        }
        if let Some((ty, _, required)) = request_body(op) {
            fields.push(if required { quote!(pub body: #ty,) } else { quote!(pub body: ::std::option::Option<#ty>,) });
        }
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            pub struct #ident { #(#fields)* }
        }
    });
    let arc_impls = super::by_tag(ir).into_iter().map(|(tag, ops)| {
        let ident = tag_trait(&tag);
        let methods = ops.iter().map(|op| {
            let name = op.name.ident();
            let response = op.types.response.ident();
            let (principal_param, principal_arg) = match caller(op) {
                Caller::Public => (TokenStream::new(), TokenStream::new()),
                Caller::Required => (quote!(principal: Self::Principal,), quote!(principal,)),
                Caller::Optional => (quote!(principal: ::std::option::Option<Self::Principal>,), quote!(principal,)),
            };
            let (request_param, request_arg) = if has_request(op) {
                let ty = op.types.request.ident();
                (quote!(request: #ty,), quote!(request,))
            } else {
                (TokenStream::new(), TokenStream::new())
            };
            quote! {
                fn #name(&self, #principal_param meta: &crate::support::RequestMeta, #request_param)
                    -> impl ::std::future::Future<Output = crate::models::#response> + Send {
                    (**self).#name(#principal_arg meta, #request_arg)
                }
            }
        });
        quote! {
            impl<T: #ident> #ident for ::std::sync::Arc<T> {
                #(#methods)*
            }
        }
    });
    let traits = super::by_tag(ir).into_iter().map(|(tag, ops)| {
        let ident = tag_trait(&tag);
        let doc = format!(" The operations tagged `{tag}`.");
        let methods = ops.iter().map(|op| {
            let name = op.name.ident();
            let response = op.types.response.ident();
            let mut doc_text = format!("`{} {}`", op.method, op.path);
            if let Some(summary) = &op.summary {
                doc_text = format!("{summary} (`{} {}`)", op.method, op.path);
            }
            if let Some(description) = &op.description {
                doc_text.push_str("\n\n");
                doc_text.push_str(description);
            }
            let doc = doc_attrs(Some(&doc_text));
            let principal = match caller(op) {
                Caller::Public => TokenStream::new(),
                Caller::Required => quote!(principal: Self::Principal,),
                Caller::Optional => quote!(principal: ::std::option::Option<Self::Principal>,),
            };
            let request = has_request(op).then(|| {
                let ty = op.types.request.ident();
                quote!(request: #ty,)
            });
            quote! {
                #doc
                fn #name(&self, #principal meta: &crate::support::RequestMeta, #request)
                    -> impl ::std::future::Future<Output = crate::models::#response> + Send;
            }
        });
        quote! {
            #[doc = #doc]
            pub trait #ident: ApiBase {
                #(#methods)*
            }
        }
    });
    quote! {
        //! The traits an implementation provides, and the request types they receive.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        /// The body of the errors the router answers by itself.
        pub type ErrorBody = #error_body;

        /// A credential found in a request, by security scheme.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Credential {
            #(#credentials)*
        }

        /// What every implementation provides besides its operations: who is calling, and the
        /// error body for requests the router refuses before any operation runs.
        pub trait ApiBase: Send + Sync + 'static {
            /// Who is calling, as the implementation understands it (a user, a session, …).
            type Principal: Send + 'static;

            /// Checks one credential. `None` refuses it; the router then tries the operation's
            /// other accepted schemes and answers 401 when none is accepted.
            #authenticate

            /// The body of an error the router answers by itself: invalid requests (400),
            /// missing credentials (401), unknown paths (404), undeclared methods (405) and
            /// oversized bodies (413).
            fn error_body(&self, problem: &crate::support::Problem) -> ErrorBody;
        }

        /// Lets an application keep a handle on the implementation it serves.
        impl<T: ApiBase> ApiBase for ::std::sync::Arc<T> {
            type Principal = T::Principal;

            fn authenticate(&self, credential: Credential, meta: &crate::support::RequestMeta)
                -> impl ::std::future::Future<Output = ::std::option::Option<Self::Principal>> + Send {
                (**self).authenticate(credential, meta)
            }

            fn error_body(&self, problem: &crate::support::Problem) -> ErrorBody {
                (**self).error_body(problem)
            }
        }

        #(#requests)*

        #(#traits)*

        #(#arc_impls)*
    }
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Query => "query parameter",
        ParamLocation::Path => "path parameter",
    }
}

/// The expression extracting a scheme's credential from `parts`, as `Option<String>`.
fn extract(scheme: &SecurityScheme) -> TokenStream {
    match &scheme.kind {
        SecurityKind::ApiKey { location: ParamLocation::Header, name } => {
            quote!(crate::support::header_value(&meta.headers, #name))
        }
        SecurityKind::ApiKey { location: ParamLocation::Cookie, name } => {
            quote!(crate::support::cookie_value(&meta.headers, #name))
        }
        SecurityKind::ApiKey { location: _, name } => quote!(crate::support::query_value(parts.uri.query(), #name)),
        SecurityKind::Http { scheme, .. } => {
            let scheme = if scheme == "bearer" { "Bearer".to_owned() } else { scheme.clone() };
            quote!(crate::support::authorization(&meta.headers, #scheme))
        }
        SecurityKind::OAuth2 | SecurityKind::OpenIdConnect => {
            quote!(crate::support::authorization(&meta.headers, "Bearer"))
        }
    }
}

/// Statements that set `principal` (an `Option`) by trying each accepted alternative in order.
fn authentication(ir: &Ir, op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().filter(|alt| !alt.is_empty()).map(|alt| {
        let schemes: Vec<&SecurityScheme> =
            alt.iter().filter_map(|name| ir.security_schemes.iter().find(|s| &s.name == name)).collect();
        if schemes.len() != alt.len() {
            // A requirement naming an undeclared scheme can never be met.
            return TokenStream::new();
        }
        let bindings: Vec<_> = (0..schemes.len()).map(|i| format_ident!("credential_{i}")).collect();
        let extracts = schemes.iter().map(|s| extract(s));
        let variants = schemes.iter().map(|s| credential_variant(s));
        let checks = bindings.iter().zip(variants).enumerate().map(|(i, (binding, variant))| {
            let who = format_ident!("who_{i}");
            quote! {
                let ::std::option::Option::Some(#who) =
                    shared.api.authenticate(crate::api::Credential::#variant(#binding), &meta).await else { break 'alternative };
            }
        });
        quote! {
            'alternative: {
                #(let ::std::option::Option::Some(#bindings) = #extracts else { break 'alternative };)*
                #(#checks)*
                break 'auth ::std::option::Option::Some(who_0);
            }
        }
    });
    quote! {
        let principal = 'auth: {
            #(#alternatives)*
            ::std::option::Option::None
        };
    }
}

fn router_module(ir: &Ir) -> TokenStream {
    let tags: Vec<proc_macro2::Ident> = super::by_tag(ir).iter().map(|(tag, _)| tag_trait(tag)).collect();
    let bounds = quote!(#(crate::api::#tags)+*);
    let bounds = if tags.is_empty() { quote!(crate::api::ApiBase) } else { bounds };
    // Routes in document order, one per path with every method it declares.
    let mut paths: Vec<(&str, Vec<&Operation>)> = Vec::new();
    for op in &ir.operations {
        match paths.iter_mut().find(|(p, _)| *p == op.path) {
            Some((_, ops)) => ops.push(op),
            None => paths.push((&op.path, vec![op])),
        }
    }
    let routes = paths.iter().map(|(path, ops)| {
        let methods = ops.iter().map(|op| {
            let handler = handler_ident(op);
            let method = format_ident!("{}", op.method.to_ascii_lowercase());
            quote!(.#method(#handler::<S>))
        });
        quote! {
            .route(#path, ::axum::routing::MethodRouter::new()#(#methods)*.fallback(method_not_allowed::<S>))
        }
    });
    let handlers = ir.operations.iter().map(|op| handler(ir, op));
    let extract_import = ir.operations.iter().any(|op| op.types.path.is_some()).then(|| {
        quote!(
            use ::axum::extract::FromRequestParts as _;
        )
    });
    let meta_import = (!ir.operations.is_empty()).then(|| {
        quote!(
            use crate::support::RequestMeta;
        )
    });
    quote! {
        //! The router: one handler per operation, in the order authenticate, parse, validate, call,
        //! answer.

        use ::std::sync::Arc;

        #extract_import
        use ::axum::extract::{Request, State};
        use ::axum::response::Response;

        use crate::api::*;
        use crate::support::{Problem, ProblemKind, ServerConfig};
        #meta_import

        struct Shared<S> {
            api: S,
            // Read by the handlers of operations with a body (there may be none).
            #[allow(dead_code)]
            config: ServerConfig,
        }

        /// Every operation mounted at its path, with the default [`ServerConfig`].
        pub fn router<S: #bounds>(api: S) -> ::axum::Router {
            router_with(api, ServerConfig::default())
        }

        /// Every operation mounted at its path. Undeclared methods on a known path answer 405 with
        /// `Allow`; unknown paths answer 404; both in the API's error body.
        pub fn router_with<S: #bounds>(api: S, config: ServerConfig) -> ::axum::Router {
            let mut router = ::axum::Router::new()
                #(#routes)*;
            if let Some(path) = &config.openapi_path {
                // Serialised once: the description does not change while the server runs.
                let body = ::axum::body::Bytes::from(::serde_json::to_vec(&crate::openapi::openapi()).unwrap_or_default());
                router = router.route(path, ::axum::routing::get(move || {
                    let body = body.clone();
                    async move {
                        let mut response = Response::new(::axum::body::Body::from(body));
                        response.headers_mut().insert(
                            ::axum::http::header::CONTENT_TYPE,
                            ::axum::http::HeaderValue::from_static("application/json"),
                        );
                        response
                    }
                }).fallback(method_not_allowed::<S>));
            }
            #[cfg(feature = "swagger-ui")]
            if let (Some(ui), Some(json)) = (&config.swagger_ui_path, &config.openapi_path) {
                let ui = ::utoipa_swagger_ui::SwaggerUi::new(ui.clone())
                    .config(::utoipa_swagger_ui::Config::new([json.clone()]));
                router = router.merge(::axum::Router::from(ui));
            }
            router.fallback(not_found::<S>).with_state(Arc::new(Shared { api, config }))
        }

        fn reject<S: ApiBase>(api: &S, problem: Problem) -> Response {
            crate::support::json_response(problem.status(), &api.error_body(&problem))
        }

        async fn not_found<S: ApiBase>(State(shared): State<Arc<Shared<S>>>, request: Request) -> Response {
            let message = format!("no route for {} {}", request.method(), request.uri().path());
            reject(&shared.api, Problem { kind: ProblemKind::NotFound, message })
        }

        async fn method_not_allowed<S: ApiBase>(State(shared): State<Arc<Shared<S>>>, request: Request) -> Response {
            let message = format!("{} is not allowed on {}", request.method(), request.uri().path());
            reject(&shared.api, Problem { kind: ProblemKind::MethodNotAllowed, message })
        }

        #(#handlers)*
    }
}

fn handler_ident(op: &Operation) -> proc_macro2::Ident {
    format_ident!("handle_{}", field_name(op.name.unraw()))
}

fn handler(ir: &Ir, op: &Operation) -> TokenStream {
    let handler = handler_ident(op);
    let tag = tag_trait(op.tags.first().map(String::as_str).unwrap_or("Default"));
    let method = op.name.ident();
    let auth = match caller(op) {
        Caller::Public => TokenStream::new(),
        Caller::Required => {
            let lookup = authentication(ir, op);
            quote! {
                #lookup
                let ::std::option::Option::Some(principal) = principal else {
                    let message = "missing or invalid credentials".to_owned();
                    return reject(&shared.api, Problem { kind: ProblemKind::Unauthorized, message });
                };
            }
        }
        Caller::Optional => authentication(ir, op),
    };
    let principal_arg = match caller(op) {
        Caller::Public => TokenStream::new(),
        Caller::Required | Caller::Optional => quote!(principal,),
    };
    let mut parse = Vec::new();
    let mut fields = Vec::new();
    if let Some(ty) = &op.types.path {
        let ty = ty.ident();
        parse.push(quote! {
            let path: crate::models::#ty = match ::axum::extract::RawPathParams::from_request_parts(&mut parts, &()).await {
                Ok(params) => {
                    let pairs: ::std::vec::Vec<(&str, &str)> = params.iter().collect();
                    match crate::support::parse_pairs(&pairs, "path") {
                        Ok(path) => path,
                        Err(problem) => return reject(&shared.api, problem),
                    }
                }
                Err(error) => {
                    let message = format!("invalid path: {error}");
                    return reject(&shared.api, Problem { kind: ProblemKind::InvalidRequest, message });
                }
            };
            if let Err(problem) = crate::support::check(&path) {
                return reject(&shared.api, problem);
            }
        });
        fields.push(quote!(path,));
    }
    if let Some(ty) = &op.types.query {
        let ty = ty.ident();
        parse.push(quote! {
            let query: crate::models::#ty = match crate::support::parse_query(parts.uri.query()) {
                Ok(query) => query,
                Err(problem) => return reject(&shared.api, problem),
            };
            if let Err(problem) = crate::support::check(&query) {
                return reject(&shared.api, problem);
            }
        });
        fields.push(quote!(query,));
    }
    if let Some(ty) = &op.types.headers {
        let ty = ty.ident();
        let names: Vec<&str> =
            op.params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| p.wire_name.as_str()).collect();
        parse.push(quote! {
            let headers: crate::models::#ty = match crate::support::parse_headers(&meta.headers, &[#(#names),*]) {
                Ok(headers) => headers,
                Err(problem) => return reject(&shared.api, problem),
            };
            if let Err(problem) = crate::support::check(&headers) {
                return reject(&shared.api, problem);
            }
        });
        fields.push(quote!(headers,));
    }
    if let Some((_, is_json, required)) = request_body(op) {
        let read = if is_json {
            quote!(crate::support::read_json(&meta.headers, body, shared.config.body_limit, #required).await)
        } else {
            quote!(crate::support::read_text(body, shared.config.body_limit, #required).await)
        };
        let unwrap = if required {
            quote! {
                let ::std::option::Option::Some(body) = body else {
                    let message = "a request body is required".to_owned();
                    return reject(&shared.api, Problem { kind: ProblemKind::InvalidRequest, message });
                };
            }
        } else {
            TokenStream::new()
        };
        let check = if is_json {
            quote! {
                if let Err(problem) = crate::support::check(&body) {
                    return reject(&shared.api, problem);
                }
            }
        } else {
            TokenStream::new()
        };
        parse.push(quote! {
            let body = match #read {
                Ok(body) => body,
                Err(problem) => return reject(&shared.api, problem),
            };
            #unwrap
            #check
        });
        fields.push(quote!(body,));
    } else {
        parse.push(quote!(drop(body);));
    }
    let request_arg = has_request(op).then(|| {
        let ty = op.types.request.ident();
        quote!(#ty { #(#fields)* },)
    });
    let respond = respond(op);
    quote! {
        async fn #handler<S: #tag>(State(shared): State<Arc<Shared<S>>>, request: Request) -> Response {
            let (mut parts, body) = request.into_parts();
            let meta = RequestMeta::from_parts(&mut parts);
            #auth
            #(#parse)*
            let response = shared.api.#method(#principal_arg &meta, #request_arg).await;
            #respond
        }
    }
}

/// The match turning the operation's response enum into HTTP.
fn respond(op: &Operation) -> TokenStream {
    let ty = op.types.response.ident();
    let arms = op.responses.iter().map(|response| {
        let variant = RustIdent::new(&response.status.variant_name()).ident();
        let (status_binding, status) = match response.status {
            Status::Code(code) => (None, quote!(crate::support::status(#code))),
            Status::Range(_) | Status::Default => (Some(quote!(status,)), quote!(crate::support::status(status))),
        };
        let body = body_type(response);
        let has_headers = response.headers_type.is_some();
        let mut bindings = Vec::new();
        bindings.extend(status_binding);
        let make = match (&body, primary_content(&response.content)) {
            (Some(_), Some(content)) if content.is_json() => {
                bindings.push(quote!(body,));
                quote!(crate::support::json_response(#status, &body))
            }
            (Some(_), Some(content)) => {
                bindings.push(quote!(body,));
                let media = content.media_type.as_str();
                quote!(crate::support::text_response(#status, #media, body))
            }
            _ => quote!(crate::support::empty_response(#status)),
        };
        let make = if has_headers {
            bindings.push(quote!(headers,));
            quote! {{
                let mut response = #make;
                crate::support::insert_headers(&mut response, &headers);
                response
            }}
        } else {
            make
        };
        if bindings.is_empty() {
            quote! { crate::models::#ty::#variant => #make, }
        } else {
            quote! { crate::models::#ty::#variant(#(#bindings)*) => #make, }
        }
    });
    if op.responses.is_empty() {
        return quote! { match response {} };
    }
    quote! {
        match response {
            #(#arms)*
        }
    }
}

/// The hand-written runtime of the generated server, emitted as tokens so the crate depends on
/// nothing but its declared dependencies.
fn support_module() -> TokenStream {
    quote! {
        //! Runtime pieces of the generated server: reading and checking requests, writing
        //! responses. The same for every spec.

        use ::axum::body::Body;
        use ::axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
        use ::axum::response::Response;
        use ::serde::Serialize;
        use ::serde::de::DeserializeOwned;

        /// Settings of the generated router.
        #[derive(Clone, Debug)]
        pub struct ServerConfig {
            /// The largest request body accepted, in bytes; larger ones are answered 413.
            pub body_limit: usize,
            /// Where the server's OpenAPI description is served as JSON; `None` to not serve it.
            pub openapi_path: ::std::option::Option<::std::string::String>,
            /// Where Swagger UI is served (with the `swagger-ui` feature); `None` to not serve it.
            pub swagger_ui_path: ::std::option::Option<::std::string::String>,
        }

        impl Default for ServerConfig {
            fn default() -> Self {
                ServerConfig {
                    body_limit: 1024 * 1024,
                    openapi_path: ::std::option::Option::Some("/openapi.json".to_owned()),
                    swagger_ui_path: ::std::option::Option::Some("/docs".to_owned()),
                }
            }
        }

        impl ServerConfig {
            /// Sets the largest accepted request body.
            pub fn with_body_limit(mut self, bytes: usize) -> Self {
                self.body_limit = bytes;
                self
            }

            /// Sets (or with `None`, turns off) the path of the OpenAPI description.
            pub fn with_openapi_path(mut self, path: ::std::option::Option<&str>) -> Self {
                self.openapi_path = path.map(str::to_owned);
                self
            }

            /// Sets (or with `None`, turns off) the path of Swagger UI.
            pub fn with_swagger_ui_path(mut self, path: ::std::option::Option<&str>) -> Self {
                self.swagger_ui_path = path.map(str::to_owned);
                self
            }
        }

        /// Why the router answered a request without calling an operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ProblemKind {
            /// Malformed or invalid parameters or body: 400.
            InvalidRequest,
            /// No accepted credential: 401.
            Unauthorized,
            /// No route for the path: 404.
            NotFound,
            /// The path exists, the method does not: 405.
            MethodNotAllowed,
            /// The body is larger than [`ServerConfig::body_limit`]: 413.
            PayloadTooLarge,
        }

        /// A request the router refused, with a message for the caller.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Problem {
            pub kind: ProblemKind,
            /// Names the offending parameter or field, e.g. `password must be at least 8 characters long`.
            pub message: ::std::string::String,
        }

        impl Problem {
            /// The HTTP status the problem is answered with.
            pub fn status(&self) -> StatusCode {
                match self.kind {
                    ProblemKind::InvalidRequest => StatusCode::BAD_REQUEST,
                    ProblemKind::Unauthorized => StatusCode::UNAUTHORIZED,
                    ProblemKind::NotFound => StatusCode::NOT_FOUND,
                    ProblemKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
                    ProblemKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                }
            }

            fn invalid(message: ::std::string::String) -> Self {
                Problem { kind: ProblemKind::InvalidRequest, message }
            }
        }

        /// What an operation learns about the request besides its parameters.
        #[derive(Clone, Debug)]
        pub struct RequestMeta {
            /// The request headers.
            pub headers: HeaderMap,
            /// The client's address, when the server was started with connect info
            /// (`into_make_service_with_connect_info::<SocketAddr>()`).
            pub remote_addr: ::std::option::Option<::std::net::SocketAddr>,
        }

        impl RequestMeta {
            /// Takes what it needs from the request head (the headers move, they are not copied).
            pub fn from_parts(parts: &mut Parts) -> Self {
                RequestMeta {
                    headers: ::std::mem::take(&mut parts.headers),
                    remote_addr: parts
                        .extensions
                        .get::<::axum::extract::ConnectInfo<::std::net::SocketAddr>>()
                        .map(|info| info.0),
                }
            }
        }

        /// A status from a number the spec documents (always in range; 500 otherwise).
        pub fn status(code: u16) -> StatusCode {
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }

        /// A JSON response. Serialising generated types cannot fail; if it ever did, the answer
        /// is an empty 500 rather than a panic.
        pub fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
            match ::serde_json::to_vec(body) {
                Ok(bytes) => {
                    let mut response = Response::new(Body::from(bytes));
                    *response.status_mut() = status;
                    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    response
                }
                Err(_) => empty_response(StatusCode::INTERNAL_SERVER_ERROR),
            }
        }

        /// A text response with the documented media type.
        pub fn text_response(status: StatusCode, media_type: &'static str, body: ::std::string::String) -> Response {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = status;
            let value = if media_type.starts_with("text/") && !media_type.contains("charset") {
                HeaderValue::from_str(&format!("{media_type}; charset=utf-8"))
            } else {
                HeaderValue::from_str(media_type)
            };
            if let Ok(value) = value {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }

        /// A response without a body.
        pub fn empty_response(status: StatusCode) -> Response {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = status;
            response
        }

        /// Writes a generated headers struct into a response; values that are not valid header
        /// text are left out.
        pub fn insert_headers<T: Serialize>(response: &mut Response, headers: &T) {
            let ::std::result::Result::Ok(::serde_json::Value::Object(map)) = ::serde_json::to_value(headers) else { return };
            for (name, value) in map {
                let text = match value {
                    ::serde_json::Value::Null => continue,
                    ::serde_json::Value::String(text) => text,
                    other => other.to_string(),
                };
                if let (Ok(name), Ok(value)) =
                    (header::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text))
                {
                    response.headers_mut().append(name, value);
                }
            }
        }

        /// A header's value, when present and valid text.
        pub fn header_value(headers: &HeaderMap, name: &str) -> ::std::option::Option<::std::string::String> {
            headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
        }

        /// A cookie's value from the `Cookie` headers.
        pub fn cookie_value(headers: &HeaderMap, name: &str) -> ::std::option::Option<::std::string::String> {
            headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.trim_matches('"').to_owned())
        }

        /// A query parameter's value.
        pub fn query_value(query: ::std::option::Option<&str>, name: &str) -> ::std::option::Option<::std::string::String> {
            ::form_urlencoded::parse(query.unwrap_or("").as_bytes()).find(|(key, _)| key == name).map(|(_, v)| v.into_owned())
        }

        /// The credentials of an `Authorization: <scheme> <credentials>` header (scheme matched
        /// case-insensitively).
        pub fn authorization(headers: &HeaderMap, scheme: &str) -> ::std::option::Option<::std::string::String> {
            let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
            let (given, credentials) = value.split_once(' ')?;
            let credentials = credentials.trim();
            (given.eq_ignore_ascii_case(scheme) && !credentials.is_empty()).then(|| credentials.to_owned())
        }

        fn describe(error: &::serde_path_to_error::Error<impl ::std::fmt::Display>, what: &str) -> ::std::string::String {
            let path = error.path().to_string();
            if path.is_empty() || path == "." {
                format!("invalid {what}: {}", error.inner())
            } else {
                format!("{path}: {}", error.inner())
            }
        }

        /// Parses name/value pairs (path parameters, headers) into a generated struct, so every
        /// location is typed and checked the same way as the query string.
        pub fn parse_pairs<T: DeserializeOwned>(pairs: &[(&str, &str)], what: &str) -> ::std::result::Result<T, Problem> {
            let encoded = ::form_urlencoded::Serializer::new(::std::string::String::new()).extend_pairs(pairs).finish();
            let deserializer = ::serde_urlencoded::Deserializer::new(::form_urlencoded::parse(encoded.as_bytes()));
            ::serde_path_to_error::deserialize(deserializer).map_err(|e| Problem::invalid(describe(&e, what)))
        }

        /// Parses the query string into the operation's query struct.
        pub fn parse_query<T: DeserializeOwned>(query: ::std::option::Option<&str>) -> ::std::result::Result<T, Problem> {
            let deserializer = ::serde_urlencoded::Deserializer::new(::form_urlencoded::parse(query.unwrap_or("").as_bytes()));
            ::serde_path_to_error::deserialize(deserializer).map_err(|e| Problem::invalid(describe(&e, "query")))
        }

        /// Parses the declared headers into the operation's headers struct.
        pub fn parse_headers<T: DeserializeOwned>(headers: &HeaderMap, names: &[&str]) -> ::std::result::Result<T, Problem> {
            let values: ::std::vec::Vec<(&str, &str)> = names
                .iter()
                .filter_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()).map(|v| (*name, v)))
                .collect();
            parse_pairs(&values, "headers")
        }

        /// Runs the schema's constraint checks, naming every violation.
        pub fn check<T: crate::models::support::Validate>(value: &T) -> ::std::result::Result<(), Problem> {
            value.validate().map_err(|violations| {
                let messages: ::std::vec::Vec<::std::string::String> = violations.iter().map(ToString::to_string).collect();
                Problem::invalid(messages.join(", "))
            })
        }

        async fn read_bytes(body: Body, limit: usize) -> ::std::result::Result<::axum::body::Bytes, Problem> {
            ::axum::body::to_bytes(body, limit).await.map_err(|_| Problem {
                kind: ProblemKind::PayloadTooLarge,
                message: format!("the request body is larger than {limit} bytes or could not be read"),
            })
        }

        /// Reads a JSON body: checks the content type, the size, the syntax and the shape, and
        /// names the offending field on failure. `None` when the body is empty and optional.
        pub async fn read_json<T: DeserializeOwned>(
            headers: &HeaderMap,
            body: Body,
            limit: usize,
            required: bool,
        ) -> ::std::result::Result<::std::option::Option<T>, Problem> {
            let bytes = read_bytes(body, limit).await?;
            if bytes.is_empty() && !required {
                return Ok(None);
            }
            let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(Problem::invalid(format!(
                    "the request body must be JSON (Content-Type: application/json), not {:?}",
                    content_type
                )));
            }
            if bytes.is_empty() {
                return Err(Problem::invalid("a request body is required".to_owned()));
            }
            let mut deserializer = ::serde_json::Deserializer::from_slice(&bytes);
            let value = ::serde_path_to_error::deserialize(&mut deserializer).map_err(|e| Problem::invalid(describe(&e, "body")))?;
            deserializer.end().map_err(|e| Problem::invalid(format!("invalid body: {e}")))?;
            Ok(Some(value))
        }

        /// Reads a text body.
        pub async fn read_text(
            body: Body,
            limit: usize,
            required: bool,
        ) -> ::std::result::Result<::std::option::Option<::std::string::String>, Problem> {
            let bytes = read_bytes(body, limit).await?;
            if bytes.is_empty() && !required {
                return Ok(None);
            }
            ::std::string::String::from_utf8(bytes.to_vec())
                .map(Some)
                .map_err(|_| Problem::invalid("the request body is not valid UTF-8".to_owned()))
        }
    }
}
