//! The axum server crate: one trait per tag with one method per operation, a router that
//! authenticates, parses and validates every request before calling the method, and turns the
//! method's response enum into HTTP. Requests that fail are answered with the API's own error
//! body (built by the implementation's `error_body`), never with axum's plain-text rejections.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{GeneratedFile, doc_attrs, format_rust, header};
use crate::diagnostic::Diagnostic;
use crate::ir::{
    Access, BodyKind, BodyValue, Content, Ir, Operation, ParamLocation, Requirement, SecurityKind, SecurityScheme,
    Status, Type, alternate_form, primary_content,
};
use crate::naming::{RustIdent, type_name};

/// Settings of the server crate.
#[derive(Clone, Debug)]
pub struct ServerSettings {
    pub crate_name: String,
    pub dir: String,
    pub license: String,
    /// Where the crate's source lives, for its manifest (`repository`).
    pub repository: Option<String>,
    /// The status preferred for invalid requests where an operation documents both 400 and 422
    /// (or neither): `[server] invalid-request-status`, 400 by default.
    pub invalid_status: u16,
}

/// Emits the server crate; `models` names the models crate it depends on.
pub fn emit(
    ir: &Ir,
    settings: &ServerSettings,
    models: &super::models::ModelsSettings,
    runtime: &super::runtime::Runtime,
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
        /// A mock implementation answering from the spec's examples (feature `mock`).
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        pub mod mock;
        #[rustfmt::skip]
        mod openapi;
        #[rustfmt::skip]
        mod router;

        // In rustfmt's order, so `cargo fmt` leaves the file alone.
        /// Request reading, problems and responses (the runtime crate's server half).
        pub use ::openapi_runtime::server as support;
        pub use api::*;
        pub use openapi::openapi;
        pub use router::{router, router_with};
        pub use support::{Problem, ProblemKind, RequestMeta, ServerConfig, Unavailable};

        /// The models crate the server speaks.
        pub mod models {
            pub use ::#models_ident::*;
        }
    };
    let files = [
        ("lib.rs", format_rust(lib, spec_label)?),
        ("api.rs", format_rust(api_module(ir, settings.invalid_status), spec_label)?),
        ("openapi.rs", format_rust(super::openapi::module(), spec_label)?),
        ("openapi.json", super::openapi::json(ir)?),
        ("router.rs", format_rust(router_module(ir, settings.invalid_status), spec_label)?),
        ("mock.rs", format_rust(super::mock::module(ir, settings.invalid_status), spec_label)?),
        ("bin/mock.rs", format_rust(mock_main(ir, &settings.crate_name), spec_label)?),
    ];
    let version = ir.crate_version.clone();
    let package = super::Package {
        name: &settings.crate_name,
        version: &version,
        description: format!("Axum server stubs of {}, generated from its OpenAPI document.", ir.title),
        license: &settings.license,
        repository: settings.repository.as_deref(),
        keywords: &["openapi", "axum", "server", "api"],
        categories: &["web-programming::http-server"],
    };
    let manifest = format!(
        "{header}\n{package}\n[dependencies]\n{models} = {{ path = \"{models_dir}\", version = \"{version}\" }}\n\
         axum = {{ version = \"0.8\", default-features = false, features = [\"http1\", \"tokio\"] }}\n\
         {runtime}serde_json = \"1\"\n{extra}\
         # utoipa 6.0.0 does not compile without its `macros` feature (lib.rs gates a module on it).\n\
         utoipa = {{ version = \"6\", default-features = false, features = [\"macros\", \"preserve_order\", \"preserve_path_order\"] }}\n\
         utoipa-swagger-ui = {{ version = \"10\", default-features = false, features = [\"axum\", \"vendored\"], optional = true }}\n\n\
         [features]\n\
         # Serves Swagger UI (bundled, nothing is downloaded) at ServerConfig::swagger_ui_path.\n\
         swagger-ui = [\"dep:utoipa-swagger-ui\"]\n\
         # `mock::Mock`, answering from the spec's examples, and the `{name}` binary serving it.\n\
         mock = [\"openapi-runtime/mock\"]\n\n\
         [[bin]]\nname = \"{name}\"\npath = \"src/bin/mock.rs\"\nrequired-features = [\"mock\"]\n",
        name = mock_bin(&settings.crate_name),
        extra = super::dependency_lines(&models.dependencies),
        header = header("#", spec_label),
        package = super::package_section(&package),
        models = models.crate_name,
        models_dir = super::relative_dir(&settings.dir, &models.dir),
        runtime = super::runtime::dependency(runtime, &settings.dir, super::runtime_features(ir, "server")),
    );
    let traits: Vec<String> = super::by_tag(ir).iter().map(|group| format!("`{}Api`", type_name(&group.tag))).collect();
    let readme = format!(
        "<!-- @generated by `cargo xtask codegen` from {spec_label}. Do not edit by hand. -->\n\n# {name}\n\n\
         Axum 0.8 server stubs of **{title} {api_version}**, generated from `{spec_label}`: one trait per tag \
         ({traits}), one method per operation, each returning the operation's response enum from `{models}`, and a \
         router that authenticates, parses and validates every request first and answers failures with the API's own \
         error body.\n\n```rust,ignore\nuse {ident}::{{ApiBase, Credential, Problem, RequestMeta, Unavailable}};\n\n\
         struct MyApi; // + one `impl …Api for MyApi` per tag, with `async fn`s\n\n\
         impl ApiBase for MyApi {{\n    type Principal = String;\n    \
         async fn authenticate(&self, credential: Credential, _: &RequestMeta) -> Result<Option<String>, Unavailable> {{ /* … */ Ok(None) }}\n    \
         fn error_body(&self, problem: &Problem) -> {ident}::ErrorBody {{ my_error_body(problem) }}\n}}\n\n\
         let listener = tokio::net::TcpListener::bind(\"127.0.0.1:9000\").await?;\n\
         axum::serve(listener, {ident}::router(MyApi)).await?;\n```\n\n\
         `GET /openapi.json` serves the server's own description; the `swagger-ui` feature adds Swagger UI at `/docs/`.\n",
        name = settings.crate_name,
        title = ir.title,
        api_version = ir.version,
        traits = traits.join(", "),
        models = models.crate_name,
        ident = settings.crate_name.replace('-', "_"),
    );
    let mut out = vec![
        GeneratedFile { path: format!("{}/Cargo.toml", settings.dir), contents: manifest },
        GeneratedFile { path: format!("{}/README.md", settings.dir), contents: readme },
    ];
    out.extend(
        files
            .into_iter()
            .map(|(name, contents)| GeneratedFile { path: format!("{}/src/{name}", settings.dir), contents }),
    );
    Ok(out)
}

/// The mock binary's name: `api-server` → `api-mock`, else the crate name plus `-mock`.
fn mock_bin(crate_name: &str) -> String {
    format!("{}-mock", crate_name.strip_suffix("-server").unwrap_or(crate_name))
}

/// The mock's binary: the runtime's `main` over the generated mock.
fn mock_main(ir: &Ir, crate_name: &str) -> TokenStream {
    let krate = RustIdent::new(&crate_name.replace('-', "_")).ident();
    let title = format!("{} {}", ir.title, ir.version);
    let doc = format!(
        " Serves a mock of {title}: `cargo run -p {crate_name} --features mock --bin {bin} -- --help`.",
        bin = mock_bin(crate_name),
    );
    quote! {
        #![doc = #doc]

        #[rustfmt::skip]
        fn main() -> ::std::process::ExitCode {
            ::openapi_runtime::mock::main(#title, |token| match token {
                ::std::option::Option::Some(token) => #krate::mock::Mock::with_token(token).router(),
                ::std::option::Option::None => #krate::mock::Mock::new().router(),
            })
        }
    }
}

/// Types of the models crate are named through the `models` re-export.
fn model_type(ty: &Type) -> TokenStream {
    super::models::type_tokens_in(ty, Some(&quote!(crate::models)))
}

/// How a form body is written, its type's description named through the `models` re-export.
fn form_description(content: &Content) -> TokenStream {
    super::operations::form_description(content, &quote!(crate::models))
}

fn credential_variant(scheme: &SecurityScheme) -> proc_macro2::Ident {
    scheme.variant.ident()
}

pub(crate) fn tag_trait(tag: &str) -> proc_macro2::Ident {
    RustIdent::new(&format!("{}Api", type_name(tag))).ident()
}

/// The body type the handler receives, and whether it is JSON.
pub(crate) fn request_body(op: &Operation) -> Option<(TokenStream, BodyKind, bool, &Content)> {
    let body = op.body.as_ref()?;
    let content = primary_content(&body.content)?;
    let ty = match content.value() {
        BodyValue::Typed(ty) => model_type(&ty),
        BodyValue::Text => quote!(::std::string::String),
        BodyValue::Bytes => quote!(::std::vec::Vec<u8>),
    };
    Some((ty, content.kind(), body.required, content))
}

fn param_struct(op: &Operation, location: ParamLocation) -> Option<&RustIdent> {
    match location {
        ParamLocation::Path => op.types.path.as_ref(),
        ParamLocation::Query => op.types.query.as_ref(),
        ParamLocation::Header => op.types.headers.as_ref(),
        ParamLocation::Cookie => op.types.cookies.as_ref(),
    }
}

pub(crate) fn has_request(op: &Operation) -> bool {
    op.types.path.is_some()
        || op.types.query.is_some()
        || op.types.headers.is_some()
        || op.types.cookies.is_some()
        || request_body(op).is_some()
}

fn api_module(ir: &Ir, invalid_first: u16) -> TokenStream {
    let api_error = ir.error_body();
    let error_body = model_type(&api_error);
    // One method per other type some operation documents for a refusal, named after it.
    let mut refusal_decls = Vec::new();
    let mut refusal_forwards = Vec::new();
    let mut error_body_doc = String::from(
        "The body of an error the router answers by itself: invalid requests (400),\n\
         missing credentials (401), unknown paths (404), undeclared methods (405),\n\
         oversized bodies (413) and credentials that cannot be checked (503)",
    );
    let refusal_types = refusal_types(ir, invalid_first);
    // Named after schemas, so `into_` and its like may start one (clippy's self convention).
    let refusal_names: Vec<String> = refusal_types.iter().map(|r| r.method.to_string()).collect();
    error_body_doc.push_str(if refusal_types.is_empty() {
        "."
    } else {
        "; except where\nan operation documents another schema for the status (the methods below)."
    });
    let error_body_doc = doc_attrs(Some(&error_body_doc));
    // Where each type answers a refusal: `422 of `POST /repos``.
    let refusals: Vec<(String, RustIdent)> = ir
        .operations
        .iter()
        .flat_map(|op| {
            refusal_bodies(op, invalid_first, &api_error)
                .into_iter()
                .map(move |(status, ty)| (format!("{status} of `{} {}`", op.method, op.path), ty))
        })
        .collect();
    for RefusalType { ty, method, .. } in refusal_types {
        let mut places: Vec<&str> =
            refusals.iter().filter(|(_, t)| *t == ty).map(|(place, _)| place.as_str()).collect();
        let more = places.len().saturating_sub(3);
        places.truncate(3);
        let mut list = places.join(", ");
        if more > 0 {
            list.push_str(&format!(" and {more} more"));
        }
        let doc = format!(
            "The body of an error the router answers by itself where the operation documents\n`{}` for \
             its status instead of [`ErrorBody`]: {list}.",
            ty.unraw()
        );
        let doc = doc_attrs(Some(&doc));
        let ty = model_type(&Type::Named(ty));
        refusal_decls.push(quote! {
            #doc
            fn #method(&self, problem: &crate::support::Problem) -> #ty;
        });
        refusal_forwards.push(quote! {
            fn #method(&self, problem: &crate::support::Problem) -> #ty {
                (**self).#method(problem)
            }
        });
    }
    let self_convention = super::self_convention_allow(
        ir.operations.iter().map(|op| op.name.unraw()).chain(refusal_names.iter().map(String::as_str)),
    );
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
            SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. } => {
                let doc = format!(
                    " `{}`: the token of an `Authorization: Bearer` header, and the scopes the operation's \
                     requirement asks of it (check that the token grants each).",
                    scheme.name
                );
                return quote! {
                    #[doc = #doc]
                    #variant { token: ::std::string::String, scopes: &'static [&'static str] },
                };
            }
        };
        quote! { #[doc = #doc] #variant(::std::string::String), }
    });
    let authenticate_default = ir.security_schemes.is_empty().then(|| {
        quote! { { let _ = (credential, meta); async { ::std::result::Result::Ok(::std::option::Option::None) } } }
    });
    let authenticate = match authenticate_default {
        Some(body) => quote! {
            fn authenticate(&self, credential: Credential, meta: &crate::support::RequestMeta)
                -> impl ::std::future::Future<Output = ::std::result::Result<::std::option::Option<Self::Principal>, crate::support::Unavailable>> + Send #body
        },
        None => quote! {
            fn authenticate(&self, credential: Credential, meta: &crate::support::RequestMeta)
                -> impl ::std::future::Future<Output = ::std::result::Result<::std::option::Option<Self::Principal>, crate::support::Unavailable>> + Send;
        },
    };
    let requests = ir.operations.iter().filter(|op| has_request(op)).map(|op| {
        let ident = op.types.request.ident();
        let doc = format!(" What `{}` receives: its parameters and body, parsed and validated.", op.id);
        let mut fields = Vec::new();
        for (location, field) in [
            (ParamLocation::Path, "path"),
            (ParamLocation::Query, "query"),
            (ParamLocation::Header, "headers"),
            (ParamLocation::Cookie, "cookies"),
        ] {
            if let Some(name) = param_struct(op, location) {
                let ty = name.ident();
                let field = format_ident!("{field}");
                fields.push(quote! { pub #field: crate::models::#ty, });
            }
        }
        if let Some((ty, _, required, _)) = request_body(op) {
            fields.push(if required { quote!(pub body: #ty,) } else { quote!(pub body: ::std::option::Option<#ty>,) });
        }
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            pub struct #ident { #(#fields)* }
        }
    });
    let arc_impls = super::by_tag(ir).into_iter().map(|super::TagGroup { tag, ops, .. }| {
        let ident = tag_trait(&tag);
        let methods = ops.iter().map(|op| {
            let name = op.name.ident();
            let response = op.types.response.ident();
            let (principal_param, principal_arg) = match op.access {
                Access::Public => (TokenStream::new(), TokenStream::new()),
                Access::Required => (quote!(principal: Self::Principal,), quote!(principal,)),
                Access::Optional => (quote!(principal: ::std::option::Option<Self::Principal>,), quote!(principal,)),
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
                    #ident::#name(&**self, #principal_arg meta, #request_arg)
                }
            }
        });
        quote! {
            impl<T: #ident> #ident for ::std::sync::Arc<T> {
                #(#methods)*
            }
        }
    });
    let traits = super::by_tag(ir).into_iter().map(|super::TagGroup { tag, ops, .. }| {
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
            let principal = match op.access {
                Access::Public => TokenStream::new(),
                Access::Required => quote!(principal: Self::Principal,),
                Access::Optional => quote!(principal: ::std::option::Option<Self::Principal>,),
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
        #self_convention

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

            /// Checks one credential. `Ok(None)` refuses it; the router then tries the
            /// operation's other accepted schemes and answers 401 when none is accepted.
            /// `Err(Unavailable)` (the credential store is down) answers 503 instead, so that
            /// clients keep credentials that are still valid.
            #authenticate

            #error_body_doc
            fn error_body(&self, problem: &crate::support::Problem) -> ErrorBody;

            #(#refusal_decls)*
        }

        /// Lets an application keep a handle on the implementation it serves.
        impl<T: ApiBase> ApiBase for ::std::sync::Arc<T> {
            type Principal = T::Principal;

            fn authenticate(&self, credential: Credential, meta: &crate::support::RequestMeta)
                -> impl ::std::future::Future<Output = ::std::result::Result<::std::option::Option<Self::Principal>, crate::support::Unavailable>> + Send {
                (**self).authenticate(credential, meta)
            }

            fn error_body(&self, problem: &crate::support::Problem) -> ErrorBody {
                (**self).error_body(problem)
            }

            #(#refusal_forwards)*
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

/// The runtime's description of a scheme: its name and where its credential travels (the
/// server's and the client's are the same data; both modules name the runtime half `rt`).
pub(crate) fn scheme_entry(scheme: &SecurityScheme) -> TokenStream {
    let carrier = match &scheme.kind {
        SecurityKind::ApiKey { location: ParamLocation::Header, name } => quote!(rt::Carrier::Header(#name)),
        SecurityKind::ApiKey { location: ParamLocation::Cookie, name } => quote!(rt::Carrier::Cookie(#name)),
        SecurityKind::ApiKey { location: _, name } => quote!(rt::Carrier::Query(#name)),
        SecurityKind::Http { scheme, .. } => {
            // Matched case-insensitively by the server; sent in the usual spelling by the client.
            let scheme = match scheme.to_ascii_lowercase().as_str() {
                "bearer" => "Bearer".to_owned(),
                "basic" => "Basic".to_owned(),
                _ => scheme.clone(),
            };
            quote!(rt::Carrier::Authorization(#scheme))
        }
        SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. } => {
            quote!(rt::Carrier::Authorization("Bearer"))
        }
    };
    let name = &scheme.name;
    quote!(rt::Scheme { name: #name, carrier: #carrier })
}

/// The operation's accepted alternatives as data: lists of scheme names, all required. An
/// alternative naming an undeclared scheme stays in, and can never be met.
fn alternatives(op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().filter(|alt| !alt.is_empty()).map(|alt| {
        let requirements = alt.iter().map(|Requirement { scheme, scopes }| quote!((#scheme, &[#(#scopes),*])));
        quote!(&[#(#requirements),*])
    });
    quote!(&[#(#alternatives),*])
}

/// `impl Authenticate for Shared<S>`: the API's schemes, and scheme names mapped to the
/// implementation's `Credential` variants.
fn authenticate_impl(ir: &Ir) -> TokenStream {
    if !ir.operations.iter().any(|op| op.security.iter().any(|alt| !alt.is_empty())) {
        return TokenStream::new();
    }
    let schemes = ir.security_schemes.iter().map(scheme_entry);
    let arms = ir.security_schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let variant = credential_variant(scheme);
        if scheme.kind.has_scopes() {
            quote!(#name => Credential::#variant { token: credential, scopes },)
        } else {
            quote!(#name => Credential::#variant(credential),)
        }
    });
    // Only OAuth 2 / OpenID Connect credentials carry the scopes asked of them.
    let scopes = if ir.security_schemes.iter().any(|scheme| scheme.kind.has_scopes()) {
        format_ident!("scopes")
    } else {
        format_ident!("_scopes")
    };
    quote! {
        impl<S: ApiBase> rt::Authenticate for Shared<S> {
            type Principal = S::Principal;

            const SCHEMES: &'static [rt::Scheme] = &[#(#schemes),*];

            async fn check(&self, scheme: &'static str, credential: ::std::string::String, #scopes: &'static [&'static str], meta: &RequestMeta)
                -> ::std::result::Result<::std::option::Option<S::Principal>, rt::Unavailable> {
                let credential = match scheme {
                    #(#arms)*
                    _ => return ::std::result::Result::Ok(::std::option::Option::None),
                };
                self.api.authenticate(credential, meta).await
            }
        }
    }
}

fn router_module(ir: &Ir, invalid_first: u16) -> TokenStream {
    let tags: Vec<proc_macro2::Ident> = super::by_tag(ir).iter().map(|group| tag_trait(&group.tag)).collect();
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
            // `self::`: a handler may share its name with one of `router_with`'s locals (`api`, `config`).
            quote!(.#method(self::#handler::<S>))
        });
        quote! {
            .route(#path, MethodRouter::new()#(#methods)*.fallback(method_not_allowed::<S>))
        }
    });
    let api_error = ir.error_body();
    let refusal_types = refusal_types(ir, invalid_first);
    let handlers = ir.operations.iter().map(|op| handler(op, invalid_first, &api_error, &refusal_types));
    // Where some operations answer refusals in their own types, `answer_as` takes them as a
    // table of (status, builder); the API's error body answers every other status.
    let answer_as = if refusal_types.is_empty() {
        quote! {
            /// The same, for an operation that documents other statuses for refused requests.
            fn answer_as(&self, result: ::std::result::Result<Response, Problem>, statuses: &rt::Statuses) -> Response {
                result.unwrap_or_else(|problem| {
                    let problem = problem.answered_in(statuses);
                    rt::json_as(problem.status, statuses.media_for(problem.status), &self.api.error_body(&problem))
                })
            }
        }
    } else {
        let builders = refusal_types.iter().map(|RefusalType { ty, method, builder }| {
            let doc = format!(" A refusal in `{}`, for the operations that document it.", ty.unraw());
            quote! {
                #[doc = #doc]
                fn #builder(&self, problem: &Problem, media: &'static str) -> Response {
                    rt::json_as(problem.status, media, &self.api.#method(problem))
                }
            }
        });
        quote! {
            /// The same, for an operation that documents other statuses for refused requests,
            /// or other bodies for some of them (`bodies`, by status).
            fn answer_as(
                &self,
                result: ::std::result::Result<Response, Problem>,
                statuses: &rt::Statuses,
                bodies: &[(u16, RefusalBody<S>)],
            ) -> Response {
                result.unwrap_or_else(|problem| {
                    let problem = problem.answered_in(statuses);
                    let media = statuses.media_for(problem.status);
                    match bodies.iter().find(|(status, _)| *status == problem.status) {
                        ::std::option::Option::Some((_, body)) => body(self, &problem, media),
                        ::std::option::Option::None => rt::json_as(problem.status, media, &self.api.error_body(&problem)),
                    }
                })
            }

            #(#builders)*
        }
    };
    let (answer_default, refusal_alias) = if refusal_types.is_empty() {
        (quote!(self.answer_as(result, &rt::Statuses::DEFAULT)), None)
    } else {
        (
            quote!(self.answer_as(result, &rt::Statuses::DEFAULT, &[])),
            Some(quote! {
                /// Builds a refusal's body in a type an operation documents instead of the API's.
                type RefusalBody<S> = fn(&Shared<S>, &Problem, &'static str) -> Response;
            }),
        )
    };
    let authenticate = authenticate_impl(ir);
    let meta_import = (!authenticate.is_empty()).then(|| {
        quote!(
            use crate::support::RequestMeta;
        )
    });
    quote! {
        //! The router: one handler per operation, each authenticating, parsing and validating the
        //! request through the runtime, calling the implementation and answering its response.

        use ::std::sync::Arc;

        use ::axum::extract::{Request, State};
        use ::axum::response::Response;
        use ::axum::routing::MethodRouter;
        use ::openapi_runtime::server as rt;

        use crate::api::*;
        #meta_import
        use crate::support::{Incoming, Problem, ServerConfig};

        /// What every handler shares: the implementation and the settings.
        struct Shared<S> {
            api: S,
            config: ServerConfig,
        }

        #refusal_alias

        impl<S: ApiBase> Shared<S> {
            /// The operation's response, or the API's error body for a refused request.
            fn answer(&self, result: ::std::result::Result<Response, Problem>) -> Response {
                #answer_default
            }

            #answer_as
        }

        #authenticate

        /// Every operation mounted at its path, with the default [`ServerConfig`].
        pub fn router<S: #bounds>(api: S) -> ::axum::Router {
            router_with(api, ServerConfig::default())
        }

        /// Every operation mounted at its path. Undeclared methods on a known path answer 405;
        /// unknown paths answer 404; both in the API's error body.
        pub fn router_with<S: #bounds>(api: S, config: ServerConfig) -> ::axum::Router {
            let mut router = ::axum::Router::new()
                #(#routes)*;
            if let Some(path) = &config.openapi_path {
                // Serialised once: the description does not change while the server runs.
                let body = ::axum::body::Bytes::from(::serde_json::to_vec(&crate::openapi::openapi()).unwrap_or_default());
                let serve = move || {
                    let body = body.clone();
                    async move { rt::openapi_json(body) }
                };
                router = router.route(path, ::axum::routing::get(serve).fallback(method_not_allowed::<S>));
            }
            #[cfg(feature = "swagger-ui")]
            if let (Some(ui), Some(json)) = (&config.swagger_ui_path, &config.openapi_path) {
                let ui = ::utoipa_swagger_ui::SwaggerUi::new(ui.clone())
                    .config(::utoipa_swagger_ui::Config::new([json.clone()]));
                router = router.merge(::axum::Router::from(ui));
            }
            router.fallback(not_found::<S>).with_state(Arc::new(Shared { api, config }))
        }

        async fn not_found<S: ApiBase>(State(shared): State<Arc<Shared<S>>>, request: Request) -> Response {
            shared.answer(Err(Problem::not_found(&request)))
        }

        async fn method_not_allowed<S: ApiBase>(State(shared): State<Arc<Shared<S>>>, request: Request) -> Response {
            shared.answer(Err(Problem::method_not_allowed(&request)))
        }

        #(#handlers)*
    }
}

fn handler_ident(op: &Operation) -> proc_macro2::Ident {
    op.name.ident()
}

/// `refusal_types`: the API's other refusal bodies; where there are any, `answer_as` takes a
/// table of them.
fn handler(op: &Operation, invalid_first: u16, api_error: &Type, refusal_types: &[RefusalType]) -> TokenStream {
    let handler = handler_ident(op);
    let ((invalid, unauthorized, too_large), _, _) = refusal_statuses(op, invalid_first);
    // Only what differs from the default is written: `Statuses::DEFAULT.too_large(400)`.
    let mut changes: Vec<TokenStream> =
        [("invalid", invalid, 400), ("unauthorized", unauthorized, 401), ("too_large", too_large, 413)]
            .into_iter()
            .filter(|(_, status, default)| status != default)
            .map(|(name, status, _)| {
                let name = format_ident!("{name}");
                let status = proc_macro2::Literal::u16_unsuffixed(status);
                quote!(.#name(#status))
            })
            .collect();
    // Refusals go out in the JSON media type the operation documents for their status.
    let mut media: Vec<(u16, String)> = Vec::new();
    for status in [invalid, unauthorized, too_large] {
        let documented = op.responses.iter().find(|r| r.status == Status::Code(status));
        if let Some(content) = documented.and_then(|r| primary_content(&r.content))
            && content.is_json()
            && content.media_type != "application/json"
            && !media.iter().any(|(s, _)| *s == status)
        {
            media.push((status, content.media_type.clone()));
        }
    }
    if !media.is_empty() {
        let entries = media.iter().map(|(status, media)| {
            let status = proc_macro2::Literal::u16_unsuffixed(*status);
            quote!((#status, #media))
        });
        changes.push(quote!(.media(&[#(#entries),*])));
    }
    let bodies = refusal_bodies(op, invalid_first, api_error);
    let answer = if changes.is_empty() && bodies.is_empty() {
        quote!(shared.answer(result.await))
    } else if !refusal_types.is_empty() {
        let entries = bodies.iter().filter_map(|(status, ty)| {
            let status = proc_macro2::Literal::u16_unsuffixed(*status);
            let builder = &refusal_types.iter().find(|r| r.ty == *ty)?.builder;
            Some(quote!((#status, Shared::#builder)))
        });
        quote!(shared.answer_as(result.await, &rt::Statuses::DEFAULT #(#changes)*, &[#(#entries),*]))
    } else {
        quote!(shared.answer_as(result.await, &rt::Statuses::DEFAULT #(#changes)*))
    };
    let tag = tag_trait(op.tags.first().map(String::as_str).unwrap_or("Default"));
    let method = op.name.ident();
    let doc = format!(" `{} {}` (`{}`).", op.method, op.path, op.id);
    let mut steps = Vec::new();
    let alternatives = alternatives(op);
    match op.access {
        Access::Public => {}
        Access::Required => steps.push(quote! {
            let principal = rt::authenticate(&*shared, &request, #alternatives).await?.ok_or_else(Problem::unauthorized)?;
        }),
        Access::Optional => steps.push(quote! {
            let principal = rt::authenticate(&*shared, &request, #alternatives).await?;
        }),
    }
    let principal_arg = match op.access {
        Access::Public => TokenStream::new(),
        Access::Required | Access::Optional => quote!(principal,),
    };
    let mut fields = Vec::new();
    if op.types.path.is_some() {
        steps.push(quote!(let path = request.path().await?;));
        fields.push(quote!(path));
    }
    if op.types.query.is_some() {
        steps.push(quote!(let query = request.query()?;));
        fields.push(quote!(query));
    }
    if op.types.headers.is_some() {
        steps.push(quote!(let headers = request.headers()?;));
        fields.push(quote!(headers));
    }
    if op.types.cookies.is_some() {
        steps.push(quote!(let cookies = request.cookies()?;));
        fields.push(quote!(cookies));
    }
    if let Some((_, kind, required, content)) = request_body(op) {
        let described = || form_description(content);
        let alternate = op.body.as_ref().and_then(|body| alternate_form(&body.content));
        let read = match (kind, required, alternate) {
            (_, true, Some(form)) => {
                let described = form_description(form);
                quote!(json_or_form(#described))
            }
            (_, false, Some(form)) => {
                let described = form_description(form);
                quote!(optional_json_or_form(#described))
            }
            _ => match (kind, required) {
                (BodyKind::Form, true) => {
                    let described = described();
                    quote!(form(#described))
                }
                (BodyKind::Form, false) => {
                    let described = described();
                    quote!(optional_form(#described))
                }
                (BodyKind::Multipart, true) => {
                    let described = super::operations::multipart_description(content);
                    quote!(multipart(#described))
                }
                (BodyKind::Multipart, false) => {
                    let described = super::operations::multipart_description(content);
                    quote!(optional_multipart(#described))
                }
                (BodyKind::Json, true) => quote!(json()),
                (BodyKind::Json, false) => quote!(optional_json()),
                (BodyKind::Text, true) => quote!(text()),
                (BodyKind::Text, false) => quote!(optional_text()),
                (BodyKind::Binary, true) => quote!(binary()),
                (BodyKind::Binary, false) => quote!(optional_binary()),
            },
        };
        steps.push(quote!(let body = request.#read.await?;));
        fields.push(quote!(body));
    }
    let request_arg = has_request(op).then(|| {
        let ty = op.types.request.ident();
        quote!(#ty { #(#fields),* },)
    });
    // With no documented response the enum is empty and the match is `!`, which already
    // coerces to the block's result type; wrapping it in `Ok` would be unreachable code.
    // Named first, so the `Ok` that fixes the block's error type stays one short line.
    let respond = if op.responses.is_empty() {
        respond(op)
    } else {
        let respond = respond(op);
        quote! {
            let answer = #respond;
            ::std::result::Result::Ok::<_, Problem>(answer)
        }
    };
    // The path and body readers take the request mutably (the body is consumed once).
    let binding = if op.types.path.is_some() || request_body(op).is_some() {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    quote! {
        #[doc = #doc]
        async fn #handler<S: #tag>(State(shared): State<Arc<Shared<S>>>, request: Request) -> Response {
            #binding = Incoming::new(request, &shared.config);
            let result = async {
                #(#steps)*
                let response = #tag::#method(&shared.api, #principal_arg request.meta(), #request_arg).await;
                #respond
            };
            #answer
        }
    }
}

/// The refusals of this operation the router answers in another body than the API's error
/// body: per status it may refuse with (invalid, unauthorized, too large, credentials that
/// cannot be checked), the named type the operation documents for it, where that differs (a
/// 422 documented as `ValidationError` beside an API of `BasicError`s).
pub(crate) fn refusal_bodies(op: &Operation, invalid_first: u16, api_error: &Type) -> Vec<(u16, RustIdent)> {
    let ((invalid, unauthorized, too_large), _, _) = refusal_statuses(op, invalid_first);
    // Only refusals that can happen to this operation: a body or parameters to be invalid or
    // too large, credentials to be refused or unverifiable.
    let guarded = op.access != Access::Public;
    let candidates =
        [(invalid, can_be_invalid(op)), (unauthorized, guarded), (too_large, op.body.is_some()), (503, guarded)];
    let mut out: Vec<(u16, RustIdent)> = Vec::new();
    for (status, applies) in candidates {
        if !applies || out.iter().any(|(s, _)| *s == status) {
            continue;
        }
        if let Some(Type::Named(name)) = op.documented_body(status)
            && Type::Named(name.clone()) != *api_error
        {
            out.push((status, name));
        }
    }
    out
}

/// Whether the router can refuse a request of this operation as invalid: without parameters
/// or a body nothing of the request is read, so nothing is invalid.
fn can_be_invalid(op: &Operation) -> bool {
    !op.params.is_empty() || op.body.is_some()
}

/// A type some refusal is answered in besides the API's error body.
pub(crate) struct RefusalType {
    pub ty: RustIdent,
    /// The `ApiBase` method that builds it (`validation_error_body`), apart from the trait's
    /// own methods and the others'.
    pub method: proc_macro2::Ident,
    /// The router's answer in it (`answer_with_validation_error_body`), which `answer_as` takes.
    pub builder: proc_macro2::Ident,
}

/// Every type some refusal is answered in besides the API's error body, once each, in order.
pub(crate) fn refusal_types(ir: &Ir, invalid_first: u16) -> Vec<RefusalType> {
    use heck::ToSnakeCase;
    let api_error = ir.error_body();
    let mut types: Vec<RustIdent> =
        ir.operations.iter().flat_map(|op| refusal_bodies(op, invalid_first, &api_error)).map(|(_, ty)| ty).collect();
    types.sort();
    types.dedup();
    let mut names = crate::naming::Namer::with_reserved(&["authenticate", "error_body"]);
    types
        .into_iter()
        .map(|ty| {
            let method = names.claim(format!("{}_body", ty.unraw().to_snake_case()));
            RefusalType { builder: format_ident!("answer_with_{method}"), method: format_ident!("{method}"), ty }
        })
        .collect()
}

/// What an operation documents for the requests the router refuses itself: (invalid,
/// unauthorized, too large), and whether the first two are documented at all.
pub fn refusal_statuses(op: &Operation, invalid_first: u16) -> ((u16, u16, u16), bool, bool) {
    let exact = |code: u16| op.responses.iter().any(|r| r.status == Status::Code(code));
    let covered = |code: u16| {
        op.responses
            .iter()
            .any(|r| matches!(r.status, Status::Range(d) if d == code / 100) || r.status == Status::Default)
    };
    let other = if invalid_first == 422 { 400 } else { 422 };
    let invalid = [invalid_first, other].into_iter().find(|c| exact(*c));
    let unauthorized = [401, 403].into_iter().find(|c| exact(*c));
    let invalid_status = invalid.unwrap_or(invalid_first);
    // Only an operation with a body can meet the body limit.
    let too_large = if exact(413) || op.body.is_none() { 413 } else { invalid_status };
    let statuses = (invalid_status, unauthorized.unwrap_or(401), too_large);
    (statuses, invalid.is_some() || covered(invalid_first), unauthorized.is_some() || covered(401))
}

/// One warning per kind of refusal that operations do not document (listing them): the router
/// answers those statuses anyway, and clients generated from the document meet them as
/// undocumented.
pub fn refusal_warnings(ir: &Ir, invalid_first: u16) -> Vec<crate::Diagnostic> {
    let mut invalid = Vec::new();
    let mut unauthorized = Vec::new();
    for op in &ir.operations {
        let (_, invalid_documented, unauthorized_documented) = refusal_statuses(op, invalid_first);
        if !invalid_documented && can_be_invalid(op) {
            invalid.push(op);
        }
        if !unauthorized_documented && op.access == Access::Required {
            unauthorized.push(op);
        }
    }
    let list = |ops: &[&Operation]| {
        let mut names: Vec<String> = ops.iter().take(5).map(|op| format!("{} {}", op.method, op.path)).collect();
        if ops.len() > 5 {
            names.push(format!("and {} more", ops.len() - 5));
        }
        names.join(", ")
    };
    let mut out = Vec::new();
    if let Some(first) = invalid.first() {
        out.push(
            crate::Diagnostic::warning(
                format!("{}/responses", first.pointer),
                format!(
                    "{} operation(s) document neither 400 nor 422, which the generated router answers to requests \
                     it refuses as invalid (a missing or malformed parameter or body, an unknown query parameter): {}",
                    invalid.len(),
                    list(&invalid)
                ),
            )
            .with_hint(format!("document {invalid_first} (with the API's error body) on these operations")),
        );
    }
    if let Some(first) = unauthorized.first() {
        out.push(
            crate::Diagnostic::warning(
                format!("{}/responses", first.pointer),
                format!(
                    "{} operation(s) that require credentials document neither 401 nor 403, which the generated \
                     router answers without them: {}",
                    unauthorized.len(),
                    list(&unauthorized)
                ),
            )
            .with_hint("document 401 (with the API's error body) on these operations"),
        );
    }
    out
}

/// The match turning the operation's response enum into HTTP: one runtime constructor per
/// documented status.
fn respond(op: &Operation) -> TokenStream {
    let ty = op.types.response.ident();
    let arms = op.responses.iter().map(|response| {
        let variant = RustIdent::new(&response.status.variant_name()).ident();
        let (status_binding, status) = match response.status {
            Status::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                (None, quote!(#code))
            }
            Status::Range(_) | Status::Default => (Some(quote!(status)), quote!(status)),
        };
        let body = response.body_type();
        let mut bindings = Vec::new();
        bindings.extend(status_binding);
        let make = match (&body, primary_content(&response.content)) {
            (Some(_), Some(content)) => {
                bindings.push(quote!(body));
                let media = content.media_type.as_str();
                match content.kind() {
                    // `*/*` and `application/*` documented: JSON is what is sent.
                    BodyKind::Json if media == "application/json" || !media.contains('+') => {
                        quote!(rt::json(#status, &body))
                    }
                    BodyKind::Json => quote!(rt::json_as(#status, #media, &body)),
                    BodyKind::Text | BodyKind::Multipart => quote!(rt::text(#status, #media, body)),
                    BodyKind::Binary => quote!(rt::binary(#status, #media, body)),
                    BodyKind::Form => {
                        let described = form_description(content);
                        quote!(rt::form(#status, &body, #described))
                    }
                }
            }
            _ => quote!(rt::empty(#status)),
        };
        let make = if response.headers_type.is_some() {
            bindings.push(quote!(headers));
            quote!(rt::with_headers(#make, &headers))
        } else {
            make
        };
        if bindings.is_empty() {
            quote! { crate::models::#ty::#variant => #make, }
        } else {
            quote! { crate::models::#ty::#variant(#(#bindings),*) => #make, }
        }
    });
    quote! {
        match response {
            #(#arms)*
        }
    }
}
