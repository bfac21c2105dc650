//! The round-trip harness (`cargo xtask roundtrip`, `Settings::roundtrip`): a program that serves
//! the generated router over a recording implementation and calls every operation with the
//! generated client, so that what works is proven on the wire, not only by compiling.
//!
//! Per operation it carries data, not logic: request cases (JSON of each parameter location and
//! the body, one per `synth` profile) and answers (a made-up body and headers per documented
//! status and profile). The sending, recording and comparing is the runtime's
//! (`openapi_runtime::roundtrip`). The harness is scratch output, never committed.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::mock::{Row, answer, arms, body_kind, error_templates, headers_json, status_key, unused_principal};
use super::server::{has_request, request_body, tag_trait};
use super::{GeneratedFile, format_rust, header};
use crate::diagnostic::Diagnostic;
use crate::ir::{BodyKind, Constraints, Ir, Operation, ParamLocation, ParamShape, Status, Type, TypeKind};
use crate::naming::RustIdent;
use crate::synth::{Profile, Synth};

/// The profiles each operation's requests and answers are made in, in the order they are sent.
const PROFILES: [Profile; 4] = [Profile::USUAL, Profile::SPARSE, Profile::RICH, Profile::NULLS];

/// Emits the harness crate into `roundtrip/`, next to the crates it calls.
pub fn emit(ir: &Ir, settings: &crate::Settings) -> Result<Vec<GeneratedFile>, Diagnostic> {
    let (Some(server), Some(client)) = (&settings.server, &settings.client) else { return Ok(Vec::new()) };
    let dir = "roundtrip";
    let server_ident = RustIdent::new(&server.crate_name.replace('-', "_")).ident();
    let client_ident = RustIdent::new(&client.crate_name.replace('-', "_")).ident();
    let synths: Vec<Synth<'_>> = PROFILES.iter().map(|p| Synth::new(ir).with_profile(*p)).collect();
    let mut ignored = Vec::new();
    let templates = error_templates(ir, &synths[0], &ir.error_body());
    let (refusal_consts, refusal_methods) =
        super::mock::refusal_bodies(ir, &synths[0], server.invalid_status, &quote!(models));

    let authenticate = (!ir.security_schemes.is_empty()).then(|| {
        quote! {
            async fn authenticate(&self, _credential: Credential, _meta: &support::RequestMeta)
                -> Result<Option<()>, support::Unavailable> {
                Ok(Some(()))
            }
        }
    });
    let impls = super::by_tag(ir).into_iter().map(|super::TagGroup { tag, ops, .. }| {
        let ident = tag_trait(&tag);
        let methods = ops.iter().map(|op| recording_method(op));
        quote! { impl #ident for Recorder { #(#methods)* } }
    });
    let mut checks = Vec::new();
    let mut calls = Vec::new();
    for (group, ops) in super::client::resources(ir) {
        let (accessor, _) = super::client::resource_names(&group);
        for (method, op) in ops {
            let check = RustIdent::new(&format!("check_{}", op.name.unraw())).ident();
            let id = &op.id;
            // Boxed: the future of `run` stays small however many operations it awaits.
            calls.push(quote!(report.operation(#id, Box::pin(#check(&client, &recorder.0)).await);));
            let callee = Callee { client: &client_ident, accessor: &accessor, method: &method };
            checks.push(check_fn(ir, &synths, op, &check, &callee, &mut ignored));
        }
    }
    let setters = ir.security_schemes.iter().map(|scheme| {
        let setter = scheme.setter.ident();
        quote!(.#setter("round-trip"))
    });
    let title =
        format!(" The round-trip harness of {} {}: every operation, client to server and back.", ir.title, ir.version);
    let main = quote! {
        #![doc = #title]
        #![allow(clippy::all, unused_imports, unused_variables)]

        use std::process::ExitCode;
        use std::sync::Arc;

        use ::openapi_runtime::{mock, roundtrip};
        use ::#server_ident::*;

        /// Records what each operation receives and answers what the harness prepared.
        #[derive(Debug)]
        struct Recorder(roundtrip::Exchange);

        /// Error bodies of the refusals the router answers itself, by status (`0`: any).
        const ERROR_BODIES: &[(u16, &str)] = &[#(#templates),*];

        #(#refusal_consts)*

        impl ApiBase for Recorder {
            type Principal = ();

            #authenticate

            fn error_body(&self, problem: &Problem) -> ErrorBody {
                mock::error_body(problem, ERROR_BODIES)
            }

            #(#refusal_methods)*
        }

        #(#impls)*

        fn main() -> ExitCode {
            roundtrip::main(run)
        }

        async fn run() -> ExitCode {
            let recorder = Arc::new(Recorder(roundtrip::Exchange::new()));
            let base = match roundtrip::serve(router(recorder.clone())).await {
                Ok(base) => base,
                Err(e) => {
                    eprintln!("error: cannot serve on loopback: {e}");
                    return ExitCode::from(2);
                }
            };
            let client = match ::#client_ident::Client::builder(base) #(#setters)* .build() {
                Ok(client) => client,
                Err(e) => {
                    eprintln!("error: cannot build the client: {e}");
                    return ExitCode::from(2);
                }
            };
            let mut report = roundtrip::Report::new();
            #(#calls)*
            report.finish()
        }

        #(#checks)*
    };
    let main = format_rust(main, &settings.spec_label)?;
    let server_dir = super::relative_dir(dir, &server.dir);
    let client_dir = super::relative_dir(dir, &client.dir);
    let runtime = super::runtime::dependency(&settings.runtime, dir, &["roundtrip"]);
    let manifest = format!(
        "{}[package]\nname = {}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{} = {{ path = {} }}\n{} = {{ path = {} }}\n{runtime}serde_json = \"1\"\n{}",
        header("#", &settings.spec_label),
        super::toml_string(&format!("{}-roundtrip", server.crate_name.trim_end_matches("-server"))),
        server.crate_name,
        super::toml_string(&server_dir),
        client.crate_name,
        super::toml_string(&client_dir),
        super::dependency_lines(&settings.models.dependencies),
    );
    Ok(vec![
        GeneratedFile { path: format!("{dir}/Cargo.toml"), contents: manifest },
        GeneratedFile { path: format!("{dir}/src/main.rs"), contents: main },
    ])
}

/// The recorder's method for one operation: hand what it received to the exchange.
fn recording_method(op: &Operation) -> TokenStream {
    let name = op.name.ident();
    let response = op.types.response.ident();
    let principal = unused_principal(op);
    let (request, received) = if has_request(op) {
        let ty = op.types.request.ident();
        (quote!(request: #ty,), quote!(request))
    } else {
        (TokenStream::new(), quote!(()))
    };
    quote! {
        async fn #name(&self, #principal _meta: &support::RequestMeta, #request) -> models::#response {
            self.0.exchange(#received)
        }
    }
}

/// One request case per profile, as JSON text (duplicates dropped); `Err` names a part no
/// value can be made of.
fn request_cases(ir: &Ir, synths: &[Synth<'_>], op: &Operation) -> Result<Vec<String>, String> {
    let mut cases: Vec<String> = Vec::new();
    for synth in synths {
        let profile = synth.profile();
        let mut case = Map::new();
        for (location, key) in [
            (ParamLocation::Path, "path"),
            (ParamLocation::Query, "query"),
            (ParamLocation::Header, "headers"),
            (ParamLocation::Cookie, "cookies"),
        ] {
            let params: Vec<_> = op.params.iter().filter(|p| p.location == location).collect();
            if params.is_empty() {
                continue;
            }
            let mut object = Map::new();
            for param in params {
                let value = match &param.field.default {
                    // Sent as the default (which an absent value would become on the server),
                    // except by the profile that tries values at their bounds.
                    Some(default) if profile != Profile::RICH => Some(default.clone()),
                    None if !param.field.required && profile.optional_depth.is_none() => None,
                    _ => {
                        let mut constraints = param.field.constraints.clone();
                        if location == ParamLocation::Path {
                            // A path segment is never empty.
                            constraints.min_length = Some(constraints.min_length.unwrap_or(0).max(1));
                        }
                        // An empty array has no form in any parameter style (an exploded form
                        // writes nothing, the others an empty string, which is one empty item):
                        // a required one has an item, an optional empty one is left out below.
                        if param.field.required {
                            constraints.min_items = Some(constraints.min_items.unwrap_or(0).max(1));
                        }
                        let mut parameter_profile = profile;
                        if matches!(location, ParamLocation::Header | ParamLocation::Cookie) {
                            parameter_profile = parameter_profile.for_header();
                        }
                        if !matches!(param.shape, ParamShape::Scalar | ParamShape::Json) {
                            parameter_profile = parameter_profile.for_items();
                        }
                        if location == ParamLocation::Path {
                            // An object's properties, so that it is not empty.
                            parameter_profile.optional_depth = parameter_profile.optional_depth.or(Some(1));
                            let mut items = constraints.items.as_deref().cloned().unwrap_or_default();
                            items.min_length = Some(items.min_length.unwrap_or(0).max(1));
                            constraints.items = Some(Box::new(items));
                        }
                        let synth = &synth.with_profile(parameter_profile);
                        match synth.value(&param.field.ty, &constraints) {
                            Some(made) if has_no_form(&made.value) => None,
                            Some(made) => Some(made.value),
                            None if param.field.required => {
                                return Err(format!(
                                    "no value of {} parameter {} can be made",
                                    key, param.field.wire_name
                                ));
                            }
                            None => None,
                        }
                    }
                };
                if let Some(value) = value {
                    object.insert(param.field.wire_name.clone(), value);
                }
            }
            case.insert(key.to_owned(), Value::Object(object));
        }
        if let Some((_, kind, required, content)) = request_body(op)
            && (required || profile.optional_depth.is_some())
        {
            let rich = profile.items > 0;
            let value = match (kind, &content.ty) {
                (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(ty)) => {
                    match synth.value(ty, &Constraints::default()) {
                        Some(made) => made.value,
                        None => return Err("no value of the request body can be made".to_owned()),
                    }
                }
                (BodyKind::Json, None) if rich => serde_json::json!({"a": [1, "Zoë", null], "b": {"c": true}}),
                (BodyKind::Json, None) => serde_json::json!({}),
                (BodyKind::Text | BodyKind::Form | BodyKind::Multipart, _) => Value::String(profile.text.to_owned()),
                // Not UTF-8: bytes must travel as bytes.
                (BodyKind::Binary, _) if rich => serde_json::json!([0, 1, 127, 128, 195, 40, 255, 10, 13]),
                (BodyKind::Binary, _) if profile.text.is_empty() => serde_json::json!([]),
                (BodyKind::Binary, _) => serde_json::json!([98, 121, 116, 101, 115]),
            };
            let mut value = value;
            if matches!(kind, BodyKind::Form | BodyKind::Multipart)
                && let Value::Object(fields) = &mut value
                && let Some(Type::Named(name)) = &content.ty
                && let Some(TypeKind::Struct(body)) = ir.types.iter().find(|t| t.name == *name).map(|t| &t.kind)
            {
                // As for parameters: an empty array or object has no form in a form body, and
                // no parts. Optional ones are left out; required arrays get one item.
                for field in &body.fields {
                    let Some(v) = fields.get_mut(&field.wire_name) else { continue };
                    // Nor has `null`: the field arrives absent, or as its default.
                    if v.is_null() {
                        match &field.default {
                            Some(default) => *v = default.clone(),
                            None if !field.required => {
                                fields.remove(&field.wire_name);
                            }
                            None => {}
                        }
                        continue;
                    }
                    if !has_no_form(v) {
                        continue;
                    }
                    // A required one is made non-empty: an item, or its optional properties.
                    let item = match &field.ty {
                        Type::Array(item) if field.required => {
                            synth.value(item, &field.constraints.items.as_deref().cloned().unwrap_or_default())
                        }
                        ty if field.required => synth
                            .with_profile(Profile::USUAL)
                            .value(ty, &field.constraints)
                            .filter(|made| !has_no_form(&made.value)),
                        _ => None,
                    };
                    match item {
                        Some(made) if v.is_array() => *v = Value::Array(vec![made.value]),
                        Some(made) => *v = made.value,
                        None if !field.required => {
                            fields.remove(&field.wire_name);
                        }
                        None => {}
                    }
                }
            }
            case.insert("body".to_owned(), value);
        }
        let text = Value::Object(case).to_string();
        if !cases.contains(&text) {
            cases.push(text);
        }
    }
    Ok(cases)
}

/// Whether a value is written as nothing in a parameter, a form or a multipart body (an empty
/// array or object), so that the server cannot tell it from an absent one.
fn has_no_form(value: &Value) -> bool {
    value.as_array().is_some_and(Vec::is_empty) || value.as_object().is_some_and(Map::is_empty)
}

/// The answers of one operation: per documented status, a made-up body in each profile (and the
/// response's headers), with the code each is sent with.
fn answers(synths: &[Synth<'_>], op: &Operation, notes: &mut Vec<Diagnostic>) -> Vec<(Row, u16)> {
    let mut out: Vec<(Row, u16)> = Vec::new();
    for response in &op.responses {
        let code = send_code(op, &response.status);
        let status = status_key(&response.status);
        let pointer = format!("{}/responses/{status}", op.pointer);
        for synth in synths {
            let profile = synth.profile();
            let headers = headers_json(&synth.with_profile(profile.for_header()), &response.headers, &pointer, notes);
            let body = match (body_kind(response), response.body_type()) {
                (None, _) => String::new(),
                (Some(BodyKind::Json | BodyKind::Form | BodyKind::Multipart), Some(ty)) => {
                    match synth.value(&ty, &Constraints::default()) {
                        Some(made) => made.value.to_string(),
                        None => continue,
                    }
                }
                // Text, and bytes (the runtime's mock answers carry bytes as text).
                (Some(_), _) => profile.text.to_owned(),
            };
            let row = Row { status: status.clone(), example: None, body, headers };
            if !out.iter().any(|(r, _)| r.body == row.body && r.headers == row.headers && r.status == row.status) {
                out.push((row, code));
            }
        }
    }
    out
}

/// The code an answer is sent with: its own, or for a range or `default` one that no other
/// documented response claims, so that the client picks this variant.
fn send_code(op: &Operation, status: &Status) -> u16 {
    let claimed = |code: u16| {
        op.responses.iter().any(|r| match r.status {
            Status::Code(c) => c == code,
            Status::Range(digit) => matches!(status, Status::Default) && digit == code / 100,
            Status::Default => false,
        })
    };
    let candidates: Vec<u16> = match status {
        Status::Code(code) => return *code,
        Status::Range(digit) => (*digit * 100..*digit * 100 + 100).collect(),
        Status::Default => (500..600).chain(400..500).chain(200..300).collect(),
    };
    candidates.into_iter().find(|c| !claimed(*c)).unwrap_or(599)
}

/// Where a check function calls its operation: the client crate, the tag's accessor, the
/// method's name.
struct Callee<'a> {
    client: &'a proc_macro2::Ident,
    accessor: &'a proc_macro2::Ident,
    method: &'a RustIdent,
}

/// `check_<op>`: every planned call of one operation, stopping at its first failure.
fn check_fn(
    ir: &Ir,
    synths: &[Synth<'_>],
    op: &Operation,
    check: &proc_macro2::Ident,
    callee: &Callee<'_>,
    notes: &mut Vec<Diagnostic>,
) -> TokenStream {
    let client = callee.client;
    let requests = match request_cases(ir, synths, op) {
        Ok(cases) => cases,
        Err(why) => {
            return quote! { async fn #check<C>(_: &C, _: &roundtrip::Exchange) -> Result<usize, String> { Err(#why.to_owned()) } };
        }
    };
    let rows = answers(synths, op, notes);
    if rows.is_empty() {
        let why = "it documents no response the harness can make";
        return quote! { async fn #check<C>(_: &C, _: &roundtrip::Exchange) -> Result<usize, String> { Err(#why.to_owned()) } };
    }
    let requests = requests.iter().map(|r| super::mock::raw(r));
    let codes = rows.iter().map(|(_, code)| proc_macro2::Literal::u16_unsuffixed(*code));
    let answers = rows.iter().map(|(row, _)| answer(row));
    let arms = arms(op);
    let response = op.types.response.ident();

    // The parts, read from the case; the request the server should receive; the call's arguments.
    let mut parts = Vec::new();
    let mut fields = Vec::new();
    for (key, field) in [
        ("path", op.types.path.as_ref()),
        ("query", op.types.query.as_ref()),
        ("headers", op.types.headers.as_ref()),
        ("cookies", op.types.cookies.as_ref()),
    ] {
        if let Some(ty) = field {
            let ty = ty.ident();
            let ident = format_ident!("{key}");
            parts.push(quote!(let #ident: models::#ty = case.params(#key)?;));
            fields.push(quote!(#ident: #ident.clone()));
        }
    }
    let mut args = Vec::new();
    for param in op.path_params_in_order() {
        let field = param.field.name.ident();
        args.push(match param.field.ty {
            Type::String | Type::Email => quote!(&path.#field),
            _ => quote!(path.#field.clone()),
        });
    }
    for (key, present) in [
        ("query", op.types.query.is_some()),
        ("headers", op.types.headers.is_some()),
        ("cookies", op.types.cookies.is_some()),
    ] {
        if present {
            let ident = format_ident!("{key}");
            args.push(quote!(&#ident));
        }
    }
    if let Some((ty, kind, required, content)) = request_body(op) {
        if required {
            parts.push(quote!(let body: #ty = case.part("body")?;));
            args.push(quote!(&body));
        } else {
            parts.push(quote!(let body: Option<#ty> = case.part("body")?;));
            args.push(match kind {
                BodyKind::Binary | BodyKind::Text => quote!(body.as_deref()),
                BodyKind::Form if content.ty.is_none() => {
                    quote!(body.as_deref())
                }
                _ => quote!(body.as_ref()),
            });
        }
        fields.push(quote!(body: body.clone()));
    }
    let sent = if has_request(op) {
        let ty = op.types.request.ident();
        quote!(#ty { #(#fields),* })
    } else {
        quote!(())
    };
    let (accessor, method) = (callee.accessor, callee.method.ident());
    quote! {
        async fn #check(client: &::#client::Client, exchange: &roundtrip::Exchange) -> Result<usize, String> {
            static REQUESTS: &[&str] = &[#(#requests),*];
            static ANSWERS: &[mock::Answer] = &[#(#answers),*];
            static CODES: &[u16] = &[#(#codes),*];
            let build = |pick: &mock::Pick<'_>| -> Result<models::#response, mock::Miss> {
                Ok(match pick.status() {
                    #(#arms)*
                    _ => return Err(pick.undocumented()),
                })
            };
            let plan = roundtrip::plan(REQUESTS.len(), ANSWERS.len());
            for &(r, a) in &plan {
                let case = roundtrip::Case::parse(REQUESTS[r])?;
                #(#parts)*
                let sent = #sent;
                let answered = roundtrip::respond(&ANSWERS[a], CODES[a], &build)?;
                exchange.prepare(answered.clone());
                let got = client.#accessor().#method(#(#args),*).await;
                roundtrip::check(exchange, &sent, &answered, got)
                    .map_err(|e| format!("request {r}, answer {a} ({}): {e}", ANSWERS[a].status))?;
            }
            Ok(plan.len())
        }
    }
}
