//! The per-operation types of the models crate, shared by server and client so the two can never
//! disagree: parameter structs (`<Op>Path`, `<Op>Query`, `<Op>Headers`, `<Op>Cookies`), each with
//! its wire description (`rt::Params`: style, explode and shape per field, which the runtime's
//! `params` module encodes and decodes), and the response enum (`<Op>Response`, one variant per
//! documented status, each with its body type).

use std::collections::BTreeMap;

use super::validate::Checked;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use super::models::type_tokens;
use crate::ir::{
    Content, Field, Ir, Operation, Param, ParamLocation, ParamShape, ParamStyle, PartKind, SecurityKind, Status, Type,
};
use crate::naming::RustIdent;

/// All operation types of the API.
pub fn emit(ir: &Ir, checked: &Checked) -> TokenStream {
    // Query parameters that carry an API key are accepted by every query struct, though not
    // decoded: clients commonly attach a key to every request, and the query refuses unknowns.
    let credentials: Vec<TokenStream> = ir
        .security_schemes
        .iter()
        .filter_map(|scheme| match &scheme.kind {
            SecurityKind::ApiKey { location: ParamLocation::Query, name } => {
                Some(quote!(rt::Param::query(#name).shape(rt::Shape::Credential)))
            }
            _ => None,
        })
        .collect();
    // A headers struct several responses share is written once, where it is first met.
    let mut header_types: BTreeMap<&RustIdent, (usize, bool)> = BTreeMap::new();
    for name in ir.operations.iter().flat_map(|op| op.responses.iter().filter_map(|r| r.headers_type.as_ref())) {
        header_types.entry(name).or_insert((0, false)).0 += 1;
    }
    let mut items: Vec<TokenStream> =
        ir.operations.iter().map(|op| emit_operation(op, &credentials, checked, &mut header_types)).collect();
    items.extend(form_impls(ir));
    let rt = items.iter().any(super::uses_rt_alias).then(|| {
        quote!(
            use crate::support as rt;
        )
    });
    quote! {
        //! Per-operation types: parameters and responses.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::large_enum_variant)]

        #[allow(unused_imports)]
        use crate::types::*;
        #rt

        #(#items)*
    }
}

/// `header_types`: per headers struct, how many responses use it and whether it is written yet.
fn emit_operation<'a>(
    op: &'a Operation,
    credentials: &[TokenStream],
    checked: &Checked,
    header_types: &mut BTreeMap<&'a RustIdent, (usize, bool)>,
) -> TokenStream {
    let title = format!(" `{}` — `{} {}`.", op.id, op.method, op.path);
    let mut items = Vec::new();
    for (location, name) in [
        (ParamLocation::Path, &op.types.path),
        (ParamLocation::Query, &op.types.query),
        (ParamLocation::Header, &op.types.headers),
        (ParamLocation::Cookie, &op.types.cookies),
    ] {
        let Some(name) = name else { continue };
        let params: Vec<&Param> = op.params.iter().filter(|p| p.location == location).collect();
        let fields: Vec<&Field> = params.iter().map(|p| &p.field).collect();
        let what = match location {
            ParamLocation::Path => "Path parameters of",
            ParamLocation::Query => "Query parameters of",
            ParamLocation::Header => "Header parameters of",
            ParamLocation::Cookie => "Cookie parameters of",
        };
        let doc = format!(" {what}{title}");
        let mut described: Vec<TokenStream> = params.iter().map(|p| param_entry(p)).collect();
        if location == ParamLocation::Query {
            described.extend(credentials.iter().cloned());
        }
        items.push(params_struct(name, &fields, &doc, &described, checked));
    }
    items.push(response_enum(op, &title));
    for response in &op.responses {
        if let Some(name) = &response.headers_type {
            let Some((uses, written)) = header_types.get_mut(name) else { continue };
            if std::mem::replace(written, true) {
                continue;
            }
            let fields: Vec<&Field> = response.headers.iter().map(|h| &h.field).collect();
            let described: Vec<TokenStream> = response
                .headers
                .iter()
                .map(|h| {
                    let wire = &h.field.wire_name;
                    let calls = builder_calls(ParamStyle::Simple, ParamStyle::Simple, h.explode, false, &h.shape);
                    quote!(rt::Param::header(#wire) #calls)
                })
                .collect();
            let status = status_label(&response.status);
            let doc = if *uses > 1 {
                format!(" Headers that {uses} responses document alike, the first the {status} response of{title}")
            } else {
                format!(" Headers of the {status} response of{title}")
            };
            items.push(params_struct(name, &fields, &doc, &described, checked));
        }
    }
    quote! { #(#items)* }
}

/// `rt::Param::<location>("name")` and the builder calls for what differs from its defaults.
pub(crate) fn param_entry(param: &Param) -> TokenStream {
    let wire = &param.field.wire_name;
    let mut tokens = match param.location {
        ParamLocation::Path => quote!(rt::Param::path(#wire)),
        ParamLocation::Query => quote!(rt::Param::query(#wire)),
        ParamLocation::Header => quote!(rt::Param::header(#wire)),
        ParamLocation::Cookie => quote!(rt::Param::cookie(#wire)),
    };
    tokens.extend(builder_calls(
        ParamStyle::default_for(param.location),
        param.style,
        param.explode,
        param.allow_reserved,
        &param.shape,
    ));
    if param.brackets {
        tokens.extend(quote!(.brackets()));
    }
    if let Some(default) = &param.field.default {
        let json = default.to_string();
        tokens.extend(quote!(.default(#json)));
    }
    tokens
}

/// How each property of a form body is written, for the runtime: its type's description
/// where the type has one (`models` names the models crate), else written out here.
pub(crate) fn form_description(content: &Content, models: &TokenStream) -> TokenStream {
    match &content.ty {
        Some(Type::Named(name)) if content.form_of_type => {
            let name = name.ident();
            quote!(<#models::#name as rt::Form>::FIELDS)
        }
        _ => form_entries(content),
    }
}

/// `impl rt::Form` for each type that is written one way wherever it is a form body.
fn form_impls(ir: &Ir) -> Vec<TokenStream> {
    let mut described: BTreeMap<&RustIdent, TokenStream> = BTreeMap::new();
    let bodies = ir.operations.iter().flat_map(|op| op.body.iter().flat_map(|b| &b.content));
    let responses = ir.operations.iter().flat_map(|op| op.responses.iter().flat_map(|r| &r.content));
    for content in bodies.chain(responses).filter(|c| c.form_of_type) {
        if let Some(Type::Named(name)) = &content.ty {
            described.entry(name).or_insert_with(|| form_entries(content));
        }
    }
    described
        .into_iter()
        .map(|(name, entries)| {
            let doc = format!(" How `{}` is written as a form body: each field in its style.", name.unraw());
            let name = name.ident();
            quote! {
                #[doc = #doc]
                impl rt::Form for #name {
                    const FIELDS: &'static [rt::Param] = #entries;
                }
            }
        })
        .collect()
}

/// `&[rt::Param::query("name")…, …]`: how each property of a form body is written.
fn form_entries(content: &Content) -> TokenStream {
    let entries = content.form.iter().map(|property| {
        let wire = &property.wire_name;
        let calls =
            builder_calls(ParamStyle::Form, property.style, property.explode, property.allow_reserved, &property.shape);
        quote!(rt::Param::query(#wire) #calls)
    });
    quote!(&[#(#entries),*])
}

/// A multipart body's `&[rt::MultipartPart]`: per property, what its parts hold.
pub(crate) fn multipart_description(content: &Content) -> TokenStream {
    let entries = content.parts.iter().map(|part| {
        let wire = &part.wire_name;
        let mut entry = match part.kind {
            PartKind::Text => quote!(rt::MultipartPart::text(#wire)),
            PartKind::Json => quote!(rt::MultipartPart::json(#wire)),
            PartKind::File => quote!(rt::MultipartPart::file(#wire)),
        };
        if part.array {
            entry = quote!(#entry.array());
        }
        if let Some(content_type) = &part.content_type {
            entry = quote!(#entry.content_type(#content_type));
        }
        entry
    });
    quote!(&[#(#entries),*])
}

/// The `rt::Param` builder calls for what differs from a constructor's defaults.
fn builder_calls(
    default_style: ParamStyle,
    style: ParamStyle,
    explode: bool,
    allow_reserved: bool,
    shape: &ParamShape,
) -> TokenStream {
    let mut tokens = TokenStream::new();
    if style != default_style {
        let style = format_ident!("{}", format!("{style:?}"));
        tokens.extend(quote!(.style(rt::Style::#style)));
    }
    // `.style()` and the constructors set OpenAPI's default explode: true for form only.
    if explode != (style == ParamStyle::Form) {
        tokens.extend(quote!(.explode(#explode)));
    }
    if allow_reserved {
        tokens.extend(quote!(.reserved()));
    }
    tokens.extend(shape_tokens(shape));
    tokens
}

fn shape_tokens(shape: &ParamShape) -> Option<TokenStream> {
    Some(match shape {
        ParamShape::Scalar => return None,
        ParamShape::Array => quote!(.shape(rt::Shape::Array)),
        ParamShape::Object(props) => quote!(.shape(rt::Shape::Object(&[#(#props),*]))),
        ParamShape::Map => quote!(.shape(rt::Shape::Map)),
        ParamShape::Json => quote!(.shape(rt::Shape::Json)),
    })
}

fn params_struct(
    name: &RustIdent,
    fields: &[&Field],
    doc: &str,
    described: &[TokenStream],
    checked: &Checked,
) -> TokenStream {
    let ident = name.ident();
    let field_tokens =
        fields.iter().map(|f| super::models::field_tokens_in(f, super::models::FieldSource::Params, None));
    let default = fields.iter().all(|f| !f.required).then(|| quote!(Default,));
    let check = super::validate::check_fn(fields.iter().filter_map(|f| checked.field_check(f)).collect());
    let names: Vec<_> = fields.iter().map(|f| f.name.ident()).collect();
    let wires: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
    let values = if fields.is_empty() { quote!(_) } else { quote!(values) };
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, #default PartialEq)]
        pub struct #ident {
            #(#field_tokens)*
        }

        impl rt::Params for #ident {
            const PARAMS: &'static [rt::Param] = &[#(#described),*];

            fn read(fields: &mut rt::Fields) -> ::std::result::Result<Self, rt::ParamError> {
                ::std::result::Result::Ok(Self {
                    #(#names: fields.take(#wires)?,)*
                })
            }

            fn write(&self, #values: &mut rt::Values) {
                #(values.put(#wires, &self.#names);)*
            }

            #check
        }
    }
}

fn status_label(status: &Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => format!("{digit}XX"),
        Status::Default => "default".to_owned(),
    }
}

fn response_enum(op: &Operation, title: &str) -> TokenStream {
    let ident = op.types.response.ident();
    let mut variants = Vec::new();
    let mut status_arms = Vec::new();
    for response in &op.responses {
        let variant = RustIdent::new(&response.status.variant_name()).ident();
        let doc = doc_attrs(Some(&format!("{}: {}", status_label(&response.status), response.description)));
        let body = response.body_type().map(|ty| type_tokens(&ty));
        let headers = response.headers_type.as_ref().map(RustIdent::ident);
        let code = match response.status {
            Status::Code(code) => Some(proc_macro2::Literal::u16_unsuffixed(code)),
            Status::Range(_) | Status::Default => None,
        };
        let mut payload: Vec<TokenStream> = Vec::new();
        if code.is_none() {
            payload.push(quote!(u16));
        }
        payload.extend(body);
        payload.extend(headers.map(|h| quote!(#h)));
        variants.push(if payload.is_empty() {
            quote! { #doc #variant, }
        } else {
            quote! { #doc #variant(#(#payload),*), }
        });
        status_arms.push(match (code, payload.is_empty()) {
            (Some(code), true) => quote! { Self::#variant => #code, },
            (Some(code), false) => quote! { Self::#variant(..) => #code, },
            (None, _) => quote! { Self::#variant(status, ..) => *status, },
        });
    }
    let doc = format!(" Responses of{title} Each variant is one documented status.");
    if variants.is_empty() {
        return quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            pub enum #ident {}
        };
    }
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #ident {
            #(#variants)*
        }

        impl rt::OperationResponse for #ident {
            fn status(&self) -> u16 {
                match self {
                    #(#status_arms)*
                }
            }
        }
    }
}
