//! The server crate's mock (feature `mock`): `Mock` implements every generated trait by
//! answering from a table per operation — the spec's examples of each documented response,
//! then a value made up from the response's type (`synth`) — and is served by the generated
//! router, so it refuses exactly what the real server refuses. The choosing and decoding is the
//! runtime's (`openapi_runtime::mock`); this module emits only the tables and thin calls.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::server::{has_request, tag_trait};
use crate::diagnostic::Diagnostic;
use crate::ir::{
    Access, BodyKind, Constraints, Ir, Operation, Response, ResponseHeader, Status, Type, primary_content,
};
use crate::naming::RustIdent;
use crate::synth::Synth;

/// One row of an operation's answer table.
pub(crate) struct Row {
    pub status: String,
    pub example: Option<String>,
    pub body: String,
    pub headers: String,
}

/// The status as the runtime matches it: as the spec writes it.
pub(crate) fn status_key(status: &Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => format!("{digit}XX"),
        Status::Default => "default".to_owned(),
    }
}

/// How a body of this response travels, `None` without one.
pub(crate) fn body_kind(response: &Response) -> Option<BodyKind> {
    response.body_type()?;
    primary_content(&response.content).map(|c| c.kind())
}

/// The rows of one response: its examples, then a made-up value; notes for what cannot be made.
fn rows(synth: &Synth<'_>, op: &Operation, response: &Response, notes: &mut Vec<Diagnostic>) -> Vec<Row> {
    let status = status_key(&response.status);
    let pointer = format!("{}/responses/{status}", op.pointer);
    let headers = headers_json(synth, &response.headers, &pointer, notes);
    let row =
        |example: Option<String>, body: String| Row { status: status.clone(), example, body, headers: headers.clone() };
    let Some(kind) = body_kind(response) else { return vec![row(None, String::new())] };
    let content = primary_content(&response.content);
    let mut out: Vec<Row> = content
        .map(|c| &c.examples)
        .into_iter()
        .flatten()
        .map(|example| {
            let body = match (kind, &example.value) {
                (BodyKind::Text | BodyKind::Binary, Value::String(text)) => text.clone(),
                (_, value) => value.to_string(),
            };
            row(example.name.clone(), body)
        })
        .collect();
    let made = match (kind, response.body_type()) {
        (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(ty)) => {
            match synth.value(&ty, &Constraints::default()) {
                Some(made) => {
                    note_unmet(&made.unmet, &pointer, notes);
                    Some(made.value.to_string())
                }
                None => None,
            }
        }
        (BodyKind::Text, _) => Some("string".to_owned()),
        _ => Some(String::new()),
    };
    match made {
        Some(body) => out.push(row(None, body)),
        None if out.is_empty() => notes.push(Diagnostic::note(
            pointer,
            format!("the mock cannot answer {status} of {}: its body type has no finite value", op.id),
        )),
        None => {}
    }
    out
}

fn note_unmet(unmet: &[String], pointer: &str, notes: &mut Vec<Diagnostic>) {
    if let Some(first) = unmet.first() {
        notes.push(
            Diagnostic::note(pointer, format!("the mock's made-up value may not meet {first}"))
                .with_hint("give the response an example; the mock answers examples first"),
        );
    }
}

/// The response headers of every row of a response, as a JSON object: each header's example
/// where it has the header's shape, else a made-up value.
pub(crate) fn headers_json(
    synth: &Synth<'_>,
    headers: &[ResponseHeader],
    pointer: &str,
    notes: &mut Vec<Diagnostic>,
) -> String {
    let mut object = serde_json::Map::new();
    for header in headers {
        let value = match &header.example {
            Some(example) if fits(example, &header.field.ty) => Some(example.clone()),
            _ => synth.value(&header.field.ty, &Constraints::default()).map(|made| {
                note_unmet(&made.unmet, pointer, notes);
                made.value
            }),
        };
        if let Some(value) = value {
            object.insert(header.field.wire_name.clone(), value);
        }
    }
    Value::Object(object).to_string()
}

/// Whether a header example has the JSON shape of its type (a header's example is often
/// written as the wire text, `"1,2"` for an array).
fn fits(value: &Value, ty: &Type) -> bool {
    match ty {
        Type::Integer(_) => value.is_i64() || value.is_u64(),
        Type::Float(_) => value.is_number(),
        Type::Boolean => value.is_boolean(),
        Type::Array(item) => value.as_array().is_some_and(|items| items.iter().all(|i| fits(i, item))),
        Type::String | Type::Email | Type::DateTime | Type::Date | Type::Uuid | Type::Bytes => value.is_string(),
        _ => false,
    }
}

/// Notes about what the mock cannot answer as documented, for the generator's report.
pub fn notes(ir: &Ir) -> Vec<Diagnostic> {
    let synth = Synth::new(ir);
    let mut notes = Vec::new();
    for op in &ir.operations {
        for response in &op.responses {
            rows(&synth, op, response, &mut notes);
        }
        if op.responses.is_empty() {
            notes.push(Diagnostic::note(
                op.pointer.clone(),
                format!("the mock cannot answer {}: it documents no response", op.id),
            ));
        }
    }
    notes
}

/// The `mock.rs` module of the server crate.
pub fn module(ir: &Ir, invalid_first: u16) -> TokenStream {
    let synth = Synth::new(ir);
    let mut ignored = Vec::new();
    let templates = error_templates(ir, &synth, &ir.error_body());
    let (refusal_consts, refusal_methods) = refusal_bodies(ir, &synth, invalid_first, &quote!(crate::models));
    let authenticate = authenticate(ir);
    let token_attrs = if ir.security_schemes.is_empty() {
        quote! {
            /// Unread: the API declares no security scheme, so no credential is ever checked.
            #[allow(dead_code)]
        }
    } else {
        quote! {
            /// The only credential accepted, when set.
        }
    };
    let impls = super::by_tag(ir).into_iter().map(|super::TagGroup { tag, ops, .. }| {
        let ident = tag_trait(&tag);
        let methods = ops.iter().map(|op| method(&synth, op, &mut ignored)).collect::<Vec<_>>();
        quote! {
            impl crate::api::#ident for Mock {
                #(#methods)*
            }
        }
    });
    quote! {
        //! A mock of the API: every operation answers from the spec's examples, or from a value
        //! made up from the response's schema where it has none. `Prefer: code=404` picks a
        //! documented status and `Prefer: example=NAME` a named example (echoed in
        //! `Preference-Applied`); otherwise the lowest documented 2xx is answered. Requests are
        //! parsed, validated and authenticated by the generated router, as for a real server.

        use ::openapi_runtime::mock;

        use crate::api::*;
        use crate::support::{Problem, RequestMeta};

        /// The mock implementation, for [`crate::router`] or [`Mock::router`].
        #[derive(Clone, Debug, Default)]
        pub struct Mock {
            #token_attrs
            token: ::std::option::Option<::std::string::String>,
        }

        impl Mock {
            /// A mock that accepts any credential present in a request.
            pub fn new() -> Self {
                Mock { token: ::std::option::Option::None }
            }

            /// A mock that accepts only this credential (for checking that clients send it).
            pub fn with_token(token: impl ::std::convert::Into<::std::string::String>) -> Self {
                Mock { token: ::std::option::Option::Some(token.into()) }
            }

            /// The generated router serving this mock, with `Preference-Applied` answered.
            pub fn router(self) -> ::axum::Router {
                mock::layer(crate::router(self))
            }
        }

        /// Error bodies of the refusals the router answers itself, by status (`0`: any).
        const ERROR_BODIES: &[(u16, &str)] = &[#(#templates),*];

        #(#refusal_consts)*

        impl ApiBase for Mock {
            type Principal = ();

            #authenticate

            fn error_body(&self, problem: &Problem) -> ErrorBody {
                mock::error_body(problem, ERROR_BODIES)
            }

            #(#refusal_methods)*
        }

        #(#impls)*
    }
}

fn authenticate(ir: &Ir) -> TokenStream {
    if ir.security_schemes.is_empty() {
        return TokenStream::new();
    }
    let variants = ir.security_schemes.iter().map(|scheme| {
        let variant = scheme.variant.ident();
        if scheme.kind.has_scopes() {
            // Any scopes: the mock accepts what a present credential asks for.
            quote!(Credential::#variant { token: value, .. })
        } else {
            quote!(Credential::#variant(value))
        }
    });
    quote! {
        async fn authenticate(&self, credential: Credential, _meta: &RequestMeta)
            -> ::std::result::Result<::std::option::Option<()>, crate::support::Unavailable> {
            let (#(#variants)|*) = credential;
            ::std::result::Result::Ok(mock::accepts(self.token.as_deref(), &value).then_some(()))
        }
    }
}

/// For each type some operation answers refusals in besides the API's error body: its table
/// of templates (`BODIES_OF_VALIDATION_ERROR`) and the `ApiBase` method that fills one in, as
/// `error_body` does with `ERROR_BODIES`. `models` names the models crate.
pub(crate) fn refusal_bodies(
    ir: &Ir,
    synth: &Synth<'_>,
    invalid_first: u16,
    models: &TokenStream,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    use heck::ToShoutySnakeCase;
    let mut consts = Vec::new();
    let mut methods = Vec::new();
    for super::server::RefusalType { ty: name, method, .. } in super::server::refusal_types(ir, invalid_first) {
        let table = quote::format_ident!("BODIES_OF_{}", name.unraw().to_shouty_snake_case());
        let doc = format!(" Bodies of the refusals answered in `{}`, by status (`0`: any).", name.unraw());
        let templates = error_templates(ir, synth, &Type::Named(name.clone()));
        consts.push(quote! {
            #[doc = #doc]
            const #table: &[(u16, &str)] = &[#(#templates),*];
        });
        let ty = name.ident();
        methods.push(quote! {
            fn #method(&self, problem: &Problem) -> #models::#ty {
                mock::error_body(problem, #table)
            }
        });
    }
    (consts, methods)
}

/// Templates of an error body type: for each error status, the first example of a response
/// with that body type (or a made-up one), then one for any status.
pub(crate) fn error_templates(ir: &Ir, synth: &Synth<'_>, ty: &Type) -> Vec<TokenStream> {
    let mut out: Vec<(u16, String)> = Vec::new();
    for op in &ir.operations {
        for response in &op.responses {
            let Status::Code(code) = response.status else { continue };
            if code < 400 || response.body_type().as_ref() != Some(ty) || out.iter().any(|(c, _)| *c == code) {
                continue;
            }
            let example = primary_content(&response.content).and_then(|c| c.examples.first());
            if let Some(example) = example {
                out.push((code, example.value.to_string()));
            }
        }
    }
    let any = match ty {
        Type::Any => Some(serde_json::json!({"message": ""}).to_string()),
        ty => synth.value(ty, &Constraints::default()).map(|made| made.value.to_string()),
    };
    out.extend(any.map(|template| (0, template)));
    out.into_iter()
        .map(|(code, template)| {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            let template = raw(&template);
            quote!((#code, #template))
        })
        .collect()
}

/// A raw string literal (`r#"…"#`, with as many `#` as the text needs): JSON reads as JSON.
pub(crate) fn raw(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal = format!("r{hashes}\"{text}\"{hashes}");
    // A raw string of any text lexes; a failure would be a bug here, and an escaped literal is
    // as valid, only less readable.
    literal.parse().unwrap_or_else(|_| quote!(#text))
}

/// `mock::Answer::new(status, body)`, with its example name and headers.
pub(crate) fn answer(row: &Row) -> TokenStream {
    let (status, body) = (&row.status, raw(&row.body));
    let mut answer = quote!(mock::Answer::new(#status, #body));
    if let Some(example) = &row.example {
        answer = quote!(#answer.example(#example));
    }
    if row.headers != "{}" {
        let headers = raw(&row.headers);
        answer = quote!(#answer.headers(#headers));
    }
    answer
}

/// The arms of the match that builds an operation's response value from a `mock::Pick`, one
/// per documented status (the mock's and the round-trip harness's).
pub(crate) fn arms(op: &Operation) -> Vec<TokenStream> {
    let response = op.types.response.ident();
    op.responses
        .iter()
        .map(|r| {
            let variant = RustIdent::new(&r.status.variant_name()).ident();
            let mut payload = Vec::new();
            if !matches!(r.status, Status::Code(_)) {
                payload.push(quote!(pick.code()));
            }
            payload.extend(body_kind(r).map(|kind| match kind {
                BodyKind::Json | BodyKind::Form => quote!(pick.json()?),
                BodyKind::Text | BodyKind::Multipart => quote!(pick.text()?),
                BodyKind::Binary => quote!(pick.bytes()?),
            }));
            if r.headers_type.is_some() {
                payload.push(quote!(pick.headers()?));
            }
            let key = status_key(&r.status);
            if payload.is_empty() {
                quote!(#key => crate::models::#response::#variant,)
            } else {
                quote!(#key => crate::models::#response::#variant(#(#payload),*),)
            }
        })
        .collect()
}

/// The principal parameter of an implementation's method that does not read it (the mock's, the
/// round-trip recorder's): none for a public operation.
pub(crate) fn unused_principal(op: &Operation) -> TokenStream {
    match op.access {
        Access::Public => TokenStream::new(),
        Access::Required => quote!(_principal: Self::Principal,),
        Access::Optional => quote!(_principal: ::std::option::Option<Self::Principal>,),
    }
}

fn method(synth: &Synth<'_>, op: &Operation, notes: &mut Vec<Diagnostic>) -> TokenStream {
    let name = op.name.ident();
    let response = op.types.response.ident();
    let principal = unused_principal(op);
    let request = has_request(op).then(|| {
        let ty = op.types.request.ident();
        quote!(_request: #ty,)
    });
    let mut answers = Vec::new();
    for r in &op.responses {
        for row in rows(synth, op, r, notes) {
            answers.push(answer(&row));
        }
    }
    let arms = arms(op);
    quote! {
        async fn #name(&self, #principal meta: &RequestMeta, #request) -> crate::models::#response {
            static ANSWERS: &[mock::Answer] = &[#(#answers),*];
            mock::answer(meta, ANSWERS, |pick| {
                let value = match pick.status() {
                    #(#arms)*
                    _ => return ::std::result::Result::Err(pick.undocumented()),
                };
                ::std::result::Result::Ok(value)
            })
        }
    }
}
