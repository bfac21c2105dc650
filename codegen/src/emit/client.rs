//! The reqwest client crate: `Client::builder(base_url)`, one resource per tag with one method per
//! operation (named by the spec's `x-codegen.method` extension when present), each returning the
//! same per-operation response enum the server uses. Security is applied per operation from the
//! spec; retries, timeouts and the cookie session are handled in the generated `support` module.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::type_tokens;
use super::operations::body_type;
use super::{GeneratedFile, doc_attrs, format_rust, header};
use crate::diagnostic::Diagnostic;
use crate::ir::{Ir, Operation, ParamLocation, SecurityKind, SecurityScheme, Status, Type, primary_content};
use crate::naming::{Namer, RustIdent, field_name, type_name};

/// Settings of the client crate.
#[derive(Clone, Debug)]
pub struct ClientSettings {
    pub crate_name: String,
    pub dir: String,
    pub license: String,
}

/// Emits the client crate; `models` names the models crate it depends on.
pub fn emit(
    ir: &Ir,
    settings: &ClientSettings,
    models: &super::models::ModelsSettings,
    spec_label: &str,
) -> Result<Vec<GeneratedFile>, Diagnostic> {
    let crate_ident = RustIdent::new(&settings.crate_name.replace('-', "_")).ident();
    let models_ident = RustIdent::new(&models.crate_name.replace('-', "_")).ident();
    let example = example_doc(ir, &crate_ident)?;
    let title = format!(" A reqwest client for {} {}, generated from its OpenAPI document.", ir.title, ir.version);
    let lib = quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = " Calls are grouped by tag, like the resources of a hand-written SDK, and return the same"]
        #![doc = " per-operation response enums as the generated server, so both sides agree on every"]
        #![doc = " status and body."]
        #![doc = ""]
        #example

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod resources;
        #[rustfmt::skip]
        pub mod support;

        // In rustfmt's order, so `cargo fmt` leaves the file alone.
        pub use client::*;
        pub use resources::*;
        pub use support::{ApiResponse, Error};

        /// The models crate the client speaks.
        pub mod models {
            pub use ::#models_ident::*;
        }
    };
    let files = [
        ("lib.rs", format_rust(lib, spec_label)?),
        ("client.rs", format_rust(client_module(ir), spec_label)?),
        ("resources.rs", format_rust(resources_module(ir), spec_label)?),
        ("support.rs", format_rust(support_module(), spec_label)?),
    ];
    let manifest = format!(
        "{header}\n[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2024\"\nrust-version = \"1.85\"\n\
         description = \"A reqwest client for {title}, generated from its OpenAPI document.\"\nlicense = \"{license}\"\n\
         publish = false\n\n[dependencies]\n{models} = {{ path = \"{models_dir}\", version = \"{version}\" }}\n\
         reqwest = {{ version = \"0.13\", default-features = false }}\nserde = \"1\"\nserde_json = \"1\"\n\
         serde_urlencoded = \"0.7\"\ntokio = {{ version = \"1\", features = [\"time\"] }}\n\n\
         [features]\ndefault = [\"rustls\"]\n# HTTPS through rustls (no OpenSSL). Without it the client speaks plain HTTP only.\n\
         rustls = [\"reqwest/rustls\"]\n",
        header = header("#", spec_label),
        name = settings.crate_name,
        version = super::models::cargo_version(&ir.version),
        title = ir.title.replace('\\', "\\\\").replace('"', "\\\""),
        license = settings.license,
        models = models.crate_name,
        models_dir = super::server::relative_dir(&settings.dir, &models.dir),
    );
    let mut out = vec![GeneratedFile { path: format!("{}/Cargo.toml", settings.dir), contents: manifest }];
    out.extend(
        files
            .into_iter()
            .map(|(name, contents)| GeneratedFile { path: format!("{}/src/{name}", settings.dir), contents }),
    );
    Ok(out)
}

/// The resource a tag becomes: accessor `users()`, struct `UsersResource`.
fn resource_names(tag: &str) -> (proc_macro2::Ident, proc_macro2::Ident) {
    (RustIdent::new(&field_name(tag)).ident(), RustIdent::new(&format!("{}Resource", type_name(tag))).ident())
}

/// Operations grouped by their first tag, in document order, each with its method name within
/// the resource (`x-codegen.method`, else the operation's name), unique per resource.
fn resources(ir: &Ir) -> Vec<(String, Vec<(RustIdent, &Operation)>)> {
    super::by_tag(ir)
        .into_iter()
        .map(|(tag, ops)| {
            let mut namer = Namer::with_reserved(&["new", "client", "with_header"]);
            let named = ops
                .into_iter()
                .map(|op| {
                    let base =
                        op.client_method.as_deref().map(field_name).unwrap_or_else(|| op.name.unraw().to_owned());
                    (RustIdent::new(&namer.claim(base)), op)
                })
                .collect();
            (tag, named)
        })
        .collect()
}

/// A scheme as a variant of the generated `Scheme` enum and a builder/setter name.
fn scheme_idents(scheme: &SecurityScheme) -> (proc_macro2::Ident, proc_macro2::Ident) {
    (RustIdent::new(&type_name(&scheme.name)).ident(), RustIdent::new(&field_name(&scheme.name)).ident())
}

fn client_module(ir: &Ir) -> TokenStream {
    let accessors = resources(ir).into_iter().map(|(tag, _)| {
        let (accessor, resource) = resource_names(&tag);
        let doc = format!(" The operations tagged `{tag}`.");
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> crate::resources::#resource<'_> {
                crate::resources::#resource::new(self)
            }
        }
    });
    let variants = ir.security_schemes.iter().map(|scheme| {
        let (variant, _) = scheme_idents(scheme);
        let doc = format!(" `{}`", scheme.name);
        quote! { #[doc = #doc] #variant, }
    });
    let builder_setters = ir.security_schemes.iter().map(|scheme| {
        let (variant, setter) = scheme_idents(scheme);
        let doc =
            format!(" Sends `{}` {} with the operations that accept it.", scheme.name, scheme_description(scheme));
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl Into<::std::string::String>) -> Self {
                self.credentials.insert(Scheme::#variant, value.into());
                self
            }
        }
    });
    let runtime_setters = ir.security_schemes.iter().map(|scheme| {
        let (variant, setter) = scheme_idents(scheme);
        let set = format_ident!("set_{}", setter.to_string().trim_start_matches("r#"));
        let doc = format!(" Sets or, with `None`, forgets the `{}` credential.", scheme.name);
        quote! {
            #[doc = #doc]
            pub fn #set(&self, value: ::std::option::Option<::std::string::String>) {
                self.inner.set_credential(Scheme::#variant, value);
            }
        }
    });
    let kinds = ir.security_schemes.iter().map(|scheme| {
        let (variant, _) = scheme_idents(scheme);
        let kind = match &scheme.kind {
            SecurityKind::ApiKey { location: ParamLocation::Header, name } => quote!(SchemeKind::Header(#name)),
            SecurityKind::ApiKey { location: ParamLocation::Cookie, name } => quote!(SchemeKind::Cookie(#name)),
            SecurityKind::ApiKey { name, .. } => quote!(SchemeKind::Query(#name)),
            SecurityKind::Http { scheme, .. } if scheme == "bearer" => quote!(SchemeKind::Authorization("Bearer")),
            SecurityKind::Http { scheme, .. } if scheme == "basic" => quote!(SchemeKind::Authorization("Basic")),
            SecurityKind::Http { .. } | SecurityKind::OAuth2 | SecurityKind::OpenIdConnect => {
                quote!(SchemeKind::Authorization("Bearer"))
            }
        };
        let name = &scheme.name;
        quote! { Scheme::#variant => (#name, #kind), }
    });
    let all_schemes = ir.security_schemes.iter().map(|scheme| {
        let (variant, _) = scheme_idents(scheme);
        quote!(Scheme::#variant)
    });
    let kind_body =
        if ir.security_schemes.is_empty() { quote!(match *self {}) } else { quote!(match self { #(#kinds)* }) };
    quote! {
        //! The client, its builder and its credentials.

        use ::std::collections::BTreeMap;
        use ::std::sync::{Arc, RwLock};
        use ::std::time::Duration;

        use crate::support::{Error, RetryPolicy, SchemeKind};

        /// A security scheme of the API.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Scheme {
            #(#variants)*
        }

        /// Every scheme, for matching cookies the server sets.
        pub(crate) const ALL_SCHEMES: &[Scheme] = &[#(#all_schemes),*];

        impl Scheme {
            /// The scheme's name in the spec and how its credential travels.
            pub(crate) fn describe(&self) -> (&'static str, SchemeKind) {
                #kind_body
            }
        }

        /// A client of the API. Cheap to clone; clones share credentials and the session.
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(crate) inner: Arc<Inner>,
        }

        #[derive(Debug)]
        pub(crate) struct Inner {
            pub(crate) base_url: ::std::string::String,
            pub(crate) http: ::reqwest::Client,
            pub(crate) credentials: RwLock<BTreeMap<Scheme, ::std::string::String>>,
            pub(crate) default_headers: ::reqwest::header::HeaderMap,
            pub(crate) timeout: ::std::option::Option<Duration>,
            pub(crate) retry: RetryPolicy,
            pub(crate) keep_session: bool,
        }

        impl Inner {
            pub(crate) fn set_credential(&self, scheme: Scheme, value: ::std::option::Option<::std::string::String>) {
                let mut credentials = self.credentials.write().unwrap_or_else(|poisoned| poisoned.into_inner());
                match value {
                    Some(value) => credentials.insert(scheme, value),
                    None => credentials.remove(&scheme),
                };
            }

            pub(crate) fn credential(&self, scheme: Scheme) -> ::std::option::Option<::std::string::String> {
                self.credentials.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&scheme).cloned()
            }
        }

        impl Client {
            /// Starts configuring a client for the API at `base_url` (e.g. `http://localhost:9000`).
            pub fn builder(base_url: impl Into<::std::string::String>) -> ClientBuilder {
                ClientBuilder {
                    base_url: base_url.into(),
                    http: None,
                    credentials: BTreeMap::new(),
                    default_headers: ::reqwest::header::HeaderMap::new(),
                    timeout: None,
                    retry: RetryPolicy::default(),
                    keep_session: true,
                    invalid: None,
                }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.inner.base_url
            }

            #(#runtime_setters)*

            /// The current credential of a scheme (including a session cookie the server set).
            pub fn credential(&self, scheme: Scheme) -> ::std::option::Option<::std::string::String> {
                self.inner.credential(scheme)
            }

            #(#accessors)*
        }

        /// Configures a [`Client`].
        #[derive(Debug)]
        pub struct ClientBuilder {
            base_url: ::std::string::String,
            http: ::std::option::Option<::reqwest::Client>,
            credentials: BTreeMap<Scheme, ::std::string::String>,
            default_headers: ::reqwest::header::HeaderMap,
            timeout: ::std::option::Option<Duration>,
            retry: RetryPolicy,
            keep_session: bool,
            invalid: ::std::option::Option<::std::string::String>,
        }

        impl ClientBuilder {
            #(#builder_setters)*

            /// Adds a header sent with every request. Invalid names or values are refused by
            /// [`ClientBuilder::build`].
            pub fn default_header(mut self, name: &str, value: &str) -> Self {
                match (
                    ::reqwest::header::HeaderName::from_bytes(name.as_bytes()),
                    ::reqwest::header::HeaderValue::from_str(value),
                ) {
                    (Ok(name), Ok(value)) => {
                        self.default_headers.append(name, value);
                    }
                    _ => self.invalid = Some(::std::format!("invalid default header {name:?}: {value:?}")),
                }
                self
            }

            /// Gives up on a request after this long (each attempt).
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// How many times a request is retried (default 0, as in the Medusa JS client).
            /// Idempotent requests are retried after connection errors, timeouts, 429 and 5xx;
            /// others only when the connection could not be made, so nothing was sent.
            pub fn max_retries(mut self, retries: u32) -> Self {
                self.retry.max_retries = retries;
                self
            }

            /// The first retry delay; each retry doubles it (with full jitter), up to 30 s.
            pub fn retry_base_delay(mut self, delay: Duration) -> Self {
                self.retry.base_delay = delay;
                self
            }

            /// Whether a session cookie set by the server is kept and sent back (default true).
            pub fn keep_session(mut self, keep: bool) -> Self {
                self.keep_session = keep;
                self
            }

            /// Uses this reqwest client (its connection pool, proxy and TLS settings).
            pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
                self.http = Some(http);
                self
            }

            /// Builds the client; fails when the base URL is not an absolute http(s) URL or a
            /// default header was invalid.
            pub fn build(self) -> ::std::result::Result<Client, Error> {
                if let Some(problem) = self.invalid {
                    return Err(Error::InvalidConfig(problem));
                }
                let base_url = self.base_url.trim_end_matches('/').to_owned();
                if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
                    return Err(Error::InvalidConfig(::std::format!("the base URL must start with http:// or https://, not {base_url:?}")));
                }
                let http = match self.http {
                    Some(http) => http,
                    None => ::reqwest::Client::builder()
                        .build()
                        .map_err(|e| Error::InvalidConfig(::std::format!("cannot create the HTTP client: {e}")))?,
                };
                Ok(Client {
                    inner: Arc::new(Inner {
                        base_url,
                        http,
                        credentials: RwLock::new(self.credentials),
                        default_headers: self.default_headers,
                        timeout: self.timeout,
                        retry: self.retry,
                        keep_session: self.keep_session,
                    }),
                })
            }
        }
    }
}

fn scheme_description(scheme: &SecurityScheme) -> String {
    match &scheme.kind {
        SecurityKind::ApiKey { location: ParamLocation::Header, name } => format!("as header `{name}`"),
        SecurityKind::ApiKey { location: ParamLocation::Cookie, name } => format!("as cookie `{name}`"),
        SecurityKind::ApiKey { name, .. } => format!("as query parameter `{name}`"),
        SecurityKind::Http { scheme, .. } if scheme == "basic" => {
            "as `Authorization: Basic …` (give the encoded credentials)".to_owned()
        }
        _ => "as `Authorization: Bearer …`".to_owned(),
    }
}

/// The Rust type of a path parameter argument.
fn path_arg_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(&str),
        other => model_type(other),
    }
}

fn model_type(ty: &Type) -> TokenStream {
    match ty {
        Type::Named(name) => {
            let ident = name.ident();
            quote!(crate::models::#ident)
        }
        Type::Email => quote!(&crate::models::support::Email),
        Type::Array(inner) => {
            let inner = model_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        other => type_tokens(other),
    }
}

fn request_body(op: &Operation) -> Option<(TokenStream, bool, &str, bool)> {
    let body = op.body.as_ref()?;
    let content = primary_content(&body.content)?;
    let ty = match &content.ty {
        Some(ty) if content.is_json() => model_type(ty),
        None if content.is_json() => quote!(::serde_json::Value),
        _ => quote!(str),
    };
    Some((ty, content.is_json(), content.media_type.as_str(), body.required))
}

fn resources_module(ir: &Ir) -> TokenStream {
    let resources = resources(ir).into_iter().map(|(tag, ops)| {
        let (_, resource) = resource_names(&tag);
        let doc = format!(" The operations tagged `{tag}`: `client.{}()`.", field_name(&tag));
        let methods = ops.iter().map(|(name, op)| method(ir, name, op));
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #resource<'a> {
                client: &'a crate::Client,
                headers: ::reqwest::header::HeaderMap,
            }

            impl<'a> #resource<'a> {
                pub(crate) fn new(client: &'a crate::Client) -> Self {
                    #resource { client, headers: ::reqwest::header::HeaderMap::new() }
                }

                /// Adds a header to the calls made through this value (invalid ones are ignored).
                pub fn with_header(mut self, name: &str, value: &str) -> Self {
                    if let (Ok(name), Ok(value)) = (
                        ::reqwest::header::HeaderName::from_bytes(name.as_bytes()),
                        ::reqwest::header::HeaderValue::from_str(value),
                    ) {
                        self.headers.append(name, value);
                    }
                    self
                }

                #(#methods)*
            }
        }
    });
    quote! {
        //! One resource per tag, one method per operation.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        #(#resources)*
    }
}

fn method(ir: &Ir, name: &RustIdent, op: &Operation) -> TokenStream {
    let method_ident = name.ident();
    let id = &op.id;
    let response = op.types.response.ident();
    let mut doc_text = match &op.summary {
        Some(summary) => format!("{summary}: `{} {}`.", op.method, op.path),
        None => format!("`{} {}`.", op.method, op.path),
    };
    if let Some(description) = &op.description {
        doc_text.push_str("\n\n");
        doc_text.push_str(description);
    }
    if op.security.is_empty() {
        doc_text.push_str("\n\nPublic: no credential is sent.");
    }
    let doc = doc_attrs(Some(&doc_text));

    // Arguments: path parameters in path order, then query, headers, body.
    let mut args = Vec::new();
    let mut url = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let literal = &rest[..start]; // ok: `find` returns a char boundary
        let after = &rest[start + 1..]; // ok: `{` is one byte
        let Some(end) = after.find('}') else { break };
        let param_name = &after[..end]; // ok: `find` returns a char boundary
        url.push(quote! { url.push_str(#literal); });
        if let Some(param) = op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == param_name) {
            let ident = param.name.ident();
            let ty = path_arg_type(&param.ty);
            args.push(quote!(#ident: #ty));
            let text = if param.ty == Type::String { quote!(#ident) } else { quote!(&#ident.to_string()) };
            url.push(quote! { url.push_str(&crate::support::encode_path_segment(#text)); });
        }
        rest = &after[end + 1..]; // ok: `}` is one byte
    }
    url.push(quote! { url.push_str(#rest); });
    let mut extra = Vec::new();
    if let Some(query) = &op.types.query {
        let ty = query.ident();
        args.push(quote!(query: &crate::models::#ty));
        extra.push(quote! { let query_string = crate::support::encode_query(query)?; });
    } else {
        extra.push(quote! { let query_string = ::std::string::String::new(); });
    }
    let mut per_attempt = Vec::new();
    if let Some(headers) = &op.types.headers {
        let ty = headers.ident();
        args.push(quote!(headers: &crate::models::#ty));
        extra.push(quote! { let parameter_headers = crate::support::encode_headers(headers)?; });
        per_attempt.push(quote! { request = request.headers(parameter_headers.clone()); });
    }
    if let Some((ty, is_json, media, required)) = request_body(op) {
        if required {
            args.push(quote!(body: &#ty));
        } else {
            args.push(quote!(body: ::std::option::Option<&#ty>));
        }
        let encode = if is_json {
            quote!(crate::support::encode_json(body)?)
        } else {
            quote!(::std::vec::Vec::from(body.as_bytes()))
        };
        let encode = if required {
            quote!(Some(#encode))
        } else {
            quote!(match body { Some(body) => Some(#encode), None => None })
        };
        extra.push(quote! { let encoded_body: ::std::option::Option<::std::vec::Vec<u8>> = #encode; });
        per_attempt.push(quote! {
            if let Some(bytes) = &encoded_body {
                request = request.header(::reqwest::header::CONTENT_TYPE, #media).body(bytes.clone());
            }
        });
    }

    let alternatives = op.security.iter().map(|alternative| {
        let schemes =
            alternative.iter().filter_map(|name| ir.security_schemes.iter().find(|s| &s.name == name)).map(|s| {
                let (variant, _) = scheme_idents(s);
                quote!(crate::Scheme::#variant)
            });
        quote!(&[#(#schemes),*])
    });
    let method = format_ident!("{}", op.method.to_ascii_uppercase());
    let idempotent = matches!(op.method.as_str(), "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE");
    let decode = decode(op);
    quote! {
        #doc
        pub async fn #method_ident(&self, #(#args),*) -> ::std::result::Result<crate::ApiResponse<crate::models::#response>, crate::Error> {
            let mut url = ::std::string::String::from(self.client.base_url());
            #(#url)*
            #(#extra)*
            if !query_string.is_empty() {
                url.push('?');
                url.push_str(&query_string);
            }
            let credentials = crate::support::credentials_for(self.client, #id, &[#(#alternatives),*])?;
            let url = crate::support::url_with_credentials(url, &credentials);
            let response = crate::support::send(self.client, #id, #idempotent, || {
                let mut request = self.client.inner.http.request(::reqwest::Method::#method, &url);
                request = request.headers(self.client.inner.default_headers.clone()).headers(self.headers.clone());
                request = crate::support::apply_credentials(request, &credentials);
                #(#per_attempt)*
                request
            })
            .await?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let bytes = response.bytes().await.map_err(|e| crate::Error::Transport { operation: #id, source: e })?;
            let value = #decode;
            Ok(crate::ApiResponse { status, headers, body: bytes.to_vec(), value })
        }
    }
}

/// The match decoding a response into the operation's enum.
fn decode(op: &Operation) -> TokenStream {
    let id = &op.id;
    let ty = op.types.response.ident();
    let mut exact = Vec::new();
    let mut ranges = Vec::new();
    let mut default = None;
    for response in &op.responses {
        let variant = RustIdent::new(&response.status.variant_name()).ident();
        let body = match (body_type(response), primary_content(&response.content)) {
            (Some(_), Some(content)) if content.is_json() => {
                Some(quote!(crate::support::decode_json(#id, status, &bytes)?))
            }
            (Some(_), Some(_)) => Some(quote!(::std::string::String::from_utf8_lossy(&bytes).into_owned())),
            _ => None,
        };
        let headers = response.headers_type.as_ref().map(|h| {
            let h = h.ident();
            let names = response.headers.iter().map(|x| x.wire_name.as_str());
            quote!(crate::support::decode_headers::<crate::models::#h>(#id, status, &headers, &[#(#names),*])?)
        });
        match &response.status {
            Status::Code(code) => {
                let fields: Vec<TokenStream> = body.into_iter().chain(headers).collect();
                let value = if fields.is_empty() {
                    quote!(crate::models::#ty::#variant)
                } else {
                    quote!(crate::models::#ty::#variant(#(#fields),*))
                };
                exact.push(quote! { #code => #value, });
            }
            Status::Range(digit) => {
                let fields: Vec<TokenStream> = std::iter::once(quote!(status)).chain(body).chain(headers).collect();
                let low = digit * 100;
                let high = low + 99;
                ranges.push(quote! { #low..=#high => crate::models::#ty::#variant(#(#fields),*), });
            }
            Status::Default => {
                let fields: Vec<TokenStream> = std::iter::once(quote!(status)).chain(body).chain(headers).collect();
                default = Some(quote! { _ => crate::models::#ty::#variant(#(#fields),*), });
            }
        }
    }
    let fallback = default.unwrap_or_else(|| {
        quote! {
            _ => return Err(crate::Error::UndocumentedStatus {
                operation: #id,
                status,
                headers: ::std::boxed::Box::new(headers),
                body: ::std::string::String::from_utf8_lossy(&bytes).into_owned(),
            }),
        }
    });
    quote! {
        match status {
            #(#exact)*
            #(#ranges)*
            #fallback
        }
    }
}

/// The crate-level example: the first operation that needs no arguments, called with the first
/// credential the spec accepts. Built as tokens and formatted, then embedded as doc text.
fn example_doc(ir: &Ir, crate_ident: &proc_macro2::Ident) -> Result<TokenStream, Diagnostic> {
    let groups = resources(ir);
    let call = groups.iter().find_map(|(tag, ops)| {
        ops.iter().find(|(_, op)| op.params.is_empty() && op.body.is_none()).map(|(name, op)| (tag, name, *op))
    });
    let Some((tag, name, op)) = call else { return Ok(TokenStream::new()) };
    let (accessor, _) = resource_names(tag);
    let method = name.ident();
    let response = op.types.response.ident();
    let credential = op
        .security
        .first()
        .and_then(|alt| alt.first())
        .and_then(|s| ir.security_schemes.iter().find(|scheme| &scheme.name == s))
        .map(|scheme| {
            let (_, setter) = scheme_idents(scheme);
            quote!(.#setter("my-credential"))
        });
    let success = op.responses.iter().find(|r| matches!(r.status, Status::Code(200..=299))).map(|r| {
        let variant = RustIdent::new(&r.status.variant_name()).ident();
        let pattern =
            if body_type(r).is_some() || r.headers_type.is_some() { quote!(#variant(..)) } else { quote!(#variant) };
        quote! {
            match response.value {
                #crate_ident::models::#response::#pattern => println!("done"),
                other => println!("the server answered {}", other.status()),
            }
        }
    });
    let example = quote! {
        async fn example() -> Result<(), #crate_ident::Error> {
            let client = #crate_ident::Client::builder("http://localhost:9000") #credential .max_retries(3).build()?;
            let response = client.#accessor().#method().await?;
            #success
            Ok(())
        }
    };
    let text = super::format_rust(example, "")?;
    // Drop the generated-file header the formatter adds; keep the function.
    let body: Vec<&str> = text.lines().skip_while(|l| l.starts_with("//") || l.is_empty()).collect();
    let mut lines = vec![" # Example".to_owned(), String::new(), " ```no_run".to_owned()];
    lines.extend(body.iter().map(|l| format!(" {l}")));
    lines.push(" ```".to_owned());
    let docs = lines.iter().map(|l| quote!(#![doc = #l]));
    Ok(quote! { #(#docs)* })
}

/// The hand-written runtime of the generated client, emitted as tokens.
fn support_module() -> TokenStream {
    quote! {
        //! Runtime pieces of the generated client: sending with retries, credentials, the
        //! session cookie, encoding and decoding. The same for every spec.
        // Which helpers a client uses depends on its spec (headers, query, cookies, …).
        #![allow(dead_code)]

        use ::std::time::Duration;

        use crate::{Client, Scheme};

        /// A decoded response: the operation's enum plus what was on the wire.
        #[derive(Clone, Debug)]
        pub struct ApiResponse<T> {
            /// The HTTP status.
            pub status: u16,
            /// The response headers, for logging and tracing.
            pub headers: ::reqwest::header::HeaderMap,
            /// The raw body, as received (the decoded form is `value`).
            pub body: ::std::vec::Vec<u8>,
            /// The documented response.
            pub value: T,
        }

        impl<T> ApiResponse<T> {
            /// The documented response, without the wire details.
            pub fn into_value(self) -> T {
                self.value
            }
        }

        /// Why a call did not produce a documented response.
        #[derive(Debug)]
        pub enum Error {
            /// The operation needs a credential the client does not have.
            MissingCredentials { operation: &'static str, accepted: ::std::vec::Vec<&'static str> },
            /// The request could not be encoded.
            Encode { operation: &'static str, message: ::std::string::String },
            /// The request could not be sent or the response not read.
            Transport { operation: &'static str, source: ::reqwest::Error },
            /// The server answered a status the spec does not document for the operation.
            UndocumentedStatus {
                operation: &'static str,
                status: u16,
                headers: ::std::boxed::Box<::reqwest::header::HeaderMap>,
                body: ::std::string::String,
            },
            /// The body does not match the documented schema.
            Decode { operation: &'static str, status: u16, body: ::std::string::String, message: ::std::string::String },
            /// The client was configured wrongly.
            InvalidConfig(::std::string::String),
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Error::MissingCredentials { operation, accepted } => {
                        write!(f, "{operation} needs one of these credentials, and none is configured: {}", accepted.join(", "))
                    }
                    Error::Encode { operation, message } => write!(f, "{operation}: cannot encode the request: {message}"),
                    Error::Transport { operation, source } => write!(f, "{operation}: {source}"),
                    Error::UndocumentedStatus { operation, status, body, .. } => {
                        write!(f, "{operation}: undocumented status {status}: {body}")
                    }
                    Error::Decode { operation, status, message, .. } => {
                        write!(f, "{operation}: the {status} response does not match the spec: {message}")
                    }
                    Error::InvalidConfig(message) => f.write_str(message),
                }
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Error::Transport { source, .. } => Some(source),
                    _ => None,
                }
            }
        }

        /// How a scheme's credential travels.
        #[derive(Clone, Copy, Debug)]
        pub(crate) enum SchemeKind {
            Header(&'static str),
            Cookie(&'static str),
            Query(&'static str),
            Authorization(&'static str),
        }

        /// Retry settings.
        #[derive(Clone, Copy, Debug)]
        pub(crate) struct RetryPolicy {
            pub(crate) max_retries: u32,
            pub(crate) base_delay: Duration,
        }

        impl Default for RetryPolicy {
            fn default() -> Self {
                RetryPolicy { max_retries: 0, base_delay: Duration::from_millis(100) }
            }
        }

        /// The credentials to send: those of the first accepted alternative the client has all
        /// of. A public operation (no alternatives) sends none.
        pub(crate) fn credentials_for(
            client: &Client,
            operation: &'static str,
            alternatives: &[&[Scheme]],
        ) -> ::std::result::Result<::std::vec::Vec<(Scheme, ::std::string::String)>, Error> {
            if alternatives.is_empty() || alternatives.iter().any(|alternative| alternative.is_empty()) {
                return Ok(::std::vec::Vec::new());
            }
            for alternative in alternatives {
                let found: ::std::vec::Vec<(Scheme, ::std::string::String)> =
                    alternative.iter().filter_map(|s| client.inner.credential(*s).map(|v| (*s, v))).collect();
                if found.len() == alternative.len() {
                    return Ok(found);
                }
            }
            let mut accepted: ::std::vec::Vec<&'static str> = alternatives.iter().flat_map(|a| a.iter().map(|s| s.describe().0)).collect();
            accepted.dedup();
            Err(Error::MissingCredentials { operation, accepted })
        }

        /// The URL with the credentials that travel in the query string.
        pub(crate) fn url_with_credentials(mut url: ::std::string::String, credentials: &[(Scheme, ::std::string::String)]) -> ::std::string::String {
            for (scheme, value) in credentials {
                if let SchemeKind::Query(name) = scheme.describe().1 {
                    url.push(if url.contains('?') { '&' } else { '?' });
                    url.push_str(&encode_path_segment(name));
                    url.push('=');
                    url.push_str(&encode_path_segment(value));
                }
            }
            url
        }

        pub(crate) fn apply_credentials(
            mut request: ::reqwest::RequestBuilder,
            credentials: &[(Scheme, ::std::string::String)],
        ) -> ::reqwest::RequestBuilder {
            let mut cookies = ::std::vec::Vec::new();
            for (scheme, value) in credentials {
                match scheme.describe().1 {
                    SchemeKind::Header(name) => request = request.header(name, value.as_str()),
                    SchemeKind::Cookie(name) => cookies.push(::std::format!("{name}={value}")),
                    // Added to the URL by `url_with_credentials`.
                    SchemeKind::Query(_) => {}
                    SchemeKind::Authorization(kind) => {
                        request = request.header(::reqwest::header::AUTHORIZATION, ::std::format!("{kind} {value}"));
                    }
                }
            }
            if !cookies.is_empty() {
                request = request.header(::reqwest::header::COOKIE, cookies.join("; "));
            }
            request
        }

        /// Keeps (or forgets) the session cookie of every cookie scheme the server sets.
        fn remember_cookies(client: &Client, headers: &::reqwest::header::HeaderMap) {
            for value in headers.get_all(::reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
                let mut attributes = value.split(';').map(str::trim);
                let Some((name, cookie)) = attributes.next().and_then(|pair| pair.split_once('=')) else { continue };
                let expired = attributes.any(|a| a.eq_ignore_ascii_case("max-age=0"));
                for scheme in crate::client::ALL_SCHEMES {
                    if let (_, SchemeKind::Cookie(cookie_name)) = scheme.describe()
                        && cookie_name == name
                    {
                        let value = (!expired && !cookie.is_empty()).then(|| cookie.trim_matches('"').to_owned());
                        client.inner.set_credential(*scheme, value);
                    }
                }
            }
        }

        fn is_retryable_status(status: u16) -> bool {
            status == 429 || (500..600).contains(&status)
        }

        /// The delay before retry `attempt` (0-based): exponential with full jitter, or the
        /// server's `Retry-After` when it gives one in seconds.
        fn backoff(policy: &RetryPolicy, attempt: u32, retry_after: ::std::option::Option<u64>) -> Duration {
            if let Some(seconds) = retry_after {
                return Duration::from_secs(seconds.min(60));
            }
            let ceiling = policy.base_delay.saturating_mul(1u32 << attempt.min(16)).min(Duration::from_secs(30));
            // Full jitter from the clock's sub-second noise; good enough to spread clients out.
            let noise = ::std::time::SystemTime::now()
                .duration_since(::std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let fraction = f64::from(noise % 1000) / 1000.0;
            ceiling.mul_f64(0.5 + fraction / 2.0)
        }

        /// Sends a request built by `build` (once per attempt), retrying as the policy allows.
        pub(crate) async fn send(
            client: &Client,
            operation: &'static str,
            idempotent: bool,
            build: impl Fn() -> ::reqwest::RequestBuilder,
        ) -> ::std::result::Result<::reqwest::Response, Error> {
            let policy = client.inner.retry;
            let mut attempt = 0;
            loop {
                let mut request = build();
                if let Some(timeout) = client.inner.timeout {
                    request = request.timeout(timeout);
                }
                let result = request.send().await;
                let (retry, retry_after) = match &result {
                    Err(e) => (e.is_connect() || (idempotent && e.is_timeout()), None),
                    Ok(response) => {
                        let retry_after = response
                            .headers()
                            .get(::reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.trim().parse::<u64>().ok());
                        (idempotent && is_retryable_status(response.status().as_u16()), retry_after)
                    }
                };
                if retry && attempt < policy.max_retries {
                    tokio::time::sleep(backoff(&policy, attempt, retry_after)).await;
                    attempt += 1;
                    continue;
                }
                let response = result.map_err(|source| Error::Transport { operation, source })?;
                if client.inner.keep_session {
                    remember_cookies(client, response.headers());
                }
                return Ok(response);
            }
        }

        /// Percent-encodes a path parameter so it stays one segment.
        pub(crate) fn encode_path_segment(value: &str) -> ::std::string::String {
            let mut out = ::std::string::String::with_capacity(value.len());
            for byte in value.bytes() {
                if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                    out.push(char::from(byte));
                } else {
                    out.push_str(&::std::format!("%{byte:02X}"));
                }
            }
            out
        }

        pub(crate) fn encode_query<T: ::serde::Serialize>(query: &T) -> ::std::result::Result<::std::string::String, Error> {
            ::serde_urlencoded::to_string(query).map_err(|e| Error::Encode { operation: "query", message: e.to_string() })
        }

        pub(crate) fn encode_headers<T: ::serde::Serialize>(headers: &T) -> ::std::result::Result<::reqwest::header::HeaderMap, Error> {
            let mut out = ::reqwest::header::HeaderMap::new();
            let value = ::serde_json::to_value(headers).map_err(|e| Error::Encode { operation: "headers", message: e.to_string() })?;
            for (name, value) in value.as_object().into_iter().flatten() {
                let text = match value {
                    ::serde_json::Value::Null => continue,
                    ::serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                if let (Ok(name), Ok(value)) = (
                    ::reqwest::header::HeaderName::from_bytes(name.as_bytes()),
                    ::reqwest::header::HeaderValue::from_str(&text),
                ) {
                    out.insert(name, value);
                }
            }
            Ok(out)
        }

        pub(crate) fn encode_json<T: ::serde::Serialize + ?Sized>(body: &T) -> ::std::result::Result<::std::vec::Vec<u8>, Error> {
            ::serde_json::to_vec(body).map_err(|e| Error::Encode { operation: "body", message: e.to_string() })
        }

        pub(crate) fn decode_json<T: ::serde::de::DeserializeOwned>(
            operation: &'static str,
            status: u16,
            bytes: &[u8],
        ) -> ::std::result::Result<T, Error> {
            ::serde_json::from_slice(bytes).map_err(|e| Error::Decode {
                operation,
                status,
                body: ::std::string::String::from_utf8_lossy(bytes).into_owned(),
                message: e.to_string(),
            })
        }

        pub(crate) fn decode_headers<T: ::serde::de::DeserializeOwned>(
            operation: &'static str,
            status: u16,
            headers: &::reqwest::header::HeaderMap,
            names: &[&str],
        ) -> ::std::result::Result<T, Error> {
            let pairs: ::std::vec::Vec<(&str, &str)> = names
                .iter()
                .filter_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()).map(|v| (*name, v)))
                .collect();
            let encoded = ::serde_urlencoded::to_string(&pairs).unwrap_or_default();
            ::serde_urlencoded::from_str(&encoded).map_err(|e| Error::Decode {
                operation,
                status,
                body: ::std::string::String::new(),
                message: ::std::format!("response headers: {e}"),
            })
        }
    }
}
