//! The models crate: one serde type per named IR type. What the types rely on (tri-state
//! `Nullable`, `Email`, `Validate`, objects-only deserialisation) is the runtime crate's
//! `models` module, re-exported as `support`.
//!
//! Shape of the output (documented for users in `docs/generated-code.md`):
//! - `required` + not nullable → `T`; `required` + nullable → `Option<T>` (always serialised);
//!   optional → `Option<T>` (skipped when `None`; an explicit `null` is rejected);
//!   optional + nullable → `support::Nullable<T>` (absent, `null` and a value stay distinct).
//! - formats are types, checked when parsed: `date-time` → `chrono::DateTime<Utc>`,
//!   `date` → `chrono::NaiveDate`, `email` → `support::Email`, `uuid` → `uuid::Uuid`.
//! - string enums are closed Rust enums: an unknown value is an error, not silently accepted.

use proc_macro2::TokenStream;
use quote::quote;

use super::{GeneratedFile, doc_attrs, format_rust, header};
use crate::diagnostic::Diagnostic;
use crate::ir::{
    Enum, Field, FloatWidth, IntegerWidth, Ir, Presence, Struct, Type, TypeDef, TypeKind, Union, UnknownFields,
};
use crate::naming::RustIdent;

/// Above this many types, `types.rs` becomes `types/` with parts of this many types each.
const TYPES_PER_PART: usize = 400;

/// Settings of the models crate.
#[derive(Clone, Debug)]
pub struct ModelsSettings {
    /// The package name, e.g. `admin-api-models`.
    pub crate_name: String,
    /// The crate's directory under the output directory.
    pub dir: String,
    pub license: String,
    /// Where the crate's source lives, for its manifest (`repository`).
    pub repository: Option<String>,
    /// `[dependencies]` lines for the crates `[types]` overrides name (`uuid = { version = "1" }`).
    /// Every generated crate gets them: server and client code names the types too.
    pub dependencies: Vec<String>,
}

/// Emits `Cargo.toml` and `src/lib.rs` of the models crate.
pub fn emit(
    ir: &Ir,
    settings: &ModelsSettings,
    runtime: &super::runtime::Runtime,
    spec_label: &str,
) -> Result<Vec<GeneratedFile>, Diagnostic> {
    let checked = super::validate::Checked::of(&ir.types);
    let types: Vec<TokenStream> = ir
        .types
        .iter()
        .map(|def| {
            let ty = emit_type(def);
            let validate = checked.validate_impl(def);
            quote! { #ty #validate }
        })
        .collect();
    let with_patterns = super::validate::uses_patterns(
        ir.types
            .iter()
            .flat_map(|t| match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| &f.constraints).collect::<Vec<_>>(),
                _ => Vec::new(),
            })
            .chain(ir.operations.iter().flat_map(|op| op.params.iter().map(|p| &p.field.constraints))),
    );
    let title = format!(" Models of {} {}, generated from its OpenAPI document.", ir.title, ir.version);
    // The modules are skipped by rustfmt: their layout is prettyplease's, and `cargo fmt --check`
    // must not fight the generator.
    let has_operations = !ir.operations.is_empty();
    let operations_mod = has_operations.then(|| quote! { #[rustfmt::skip] mod operations; });
    let operations_use = has_operations.then(|| quote! { pub use operations::*; });
    let lib = quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = " Every type maps one schema; its documentation names the JSON pointer it comes from."]
        #[rustfmt::skip]
        mod types;
        #operations_mod

        // In rustfmt's order, so `cargo fmt` leaves the file alone.
        /// What the types rely on: `Nullable`, `Email`, `Validate` (the runtime crate's models).
        pub use ::openapi_runtime::models as support;
        #operations_use
        pub use types::*;
    };
    let uses_chrono = uses(ir, &|ty| matches!(ty, Type::DateTime | Type::Date));
    let uses_uuid = uses(ir, &|ty| matches!(ty, Type::Uuid));
    let uses_bytes = uses(ir, &|ty| matches!(ty, Type::Bytes));
    let operations = super::operations::emit(ir, &checked);
    // Large APIs get `types/` split into parts of TYPES_PER_PART (in name order, so a new schema
    // moves few types between parts), which keeps files reviewable; small ones keep one file.
    let allows = quote! {
        //!
        //! Documentation is the spec's own text, Markdown written for people, so the rustdoc and
        //! clippy lints about its form are allowed. Structs derive serde with `remote = "Self"`
        //! and are wrapped by `openapi_runtime::json_object!`: a derived struct would also accept
        //! a JSON array, which an object schema does not allow. Optional fields that may not be
        //! `null` read through `rt::optional`, which refuses it (serde alone would read `None`).
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::large_enum_variant)]
    };
    let mut type_files = Vec::new();
    let rt_alias = |items: &[TokenStream]| {
        items.iter().any(super::uses_rt_alias).then(|| {
            quote!(
                use crate::support as rt;
            )
        })
    };
    if types.len() <= TYPES_PER_PART {
        let rt = rt_alias(&types);
        let file = quote! {
            //! The types, one per schema.
            #allows

            #rt

            #(#types)*
        };
        type_files.push(("types.rs".to_owned(), format_rust(file, spec_label)?));
    } else {
        let parts: Vec<&[TokenStream]> = types.chunks(TYPES_PER_PART).collect();
        let names: Vec<proc_macro2::Ident> = (0..parts.len()).map(|i| quote::format_ident!("part_{i}")).collect();
        let module = quote! {
            //! The types, one per schema, in parts of a few hundred.

            #(#[rustfmt::skip] mod #names;)*

            #(pub use #names::*;)*
        };
        type_files.push(("types/mod.rs".to_owned(), format_rust(module, spec_label)?));
        for (i, part) in parts.iter().enumerate() {
            let rt = rt_alias(part);
            let file = quote! {
                //! Part of the types, one per schema.
                #allows
                #![allow(unused_imports)]

                use super::*;
                #rt

                #(#part)*
            };
            type_files.push((format!("types/part_{i}.rs"), format_rust(file, spec_label)?));
        }
    }
    let lib = format_rust(lib, spec_label)?;
    let operations = format_rust(operations, spec_label)?;
    let chrono = if uses_chrono {
        "chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n"
    } else {
        ""
    };
    let extra = super::dependency_lines(&settings.dependencies);
    let uuid = if uses_uuid { "uuid = { version = \"1.26\", features = [\"serde\"] }\n" } else { "" };
    let mut features = Vec::new();
    if uses_chrono {
        features.push("chrono");
    }
    if uses_uuid {
        features.push("uuid");
    }
    if uses_bytes {
        features.push("base64");
    }
    if with_patterns {
        features.push("regex");
    }
    let runtime_dependency = super::runtime::dependency(runtime, &settings.dir, &features);
    let version = ir.crate_version.clone();
    let package = super::Package {
        name: &settings.crate_name,
        version: &version,
        description: format!("Models of {}, generated from its OpenAPI document.", ir.title),
        license: &settings.license,
        repository: settings.repository.as_deref(),
        keywords: &["openapi", "models", "serde", "api"],
        categories: &["api-bindings", "encoding"],
    };
    let manifest = format!(
        "{}\n{}\n[dependencies]\n{chrono}{runtime_dependency}serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n{uuid}{extra}",
        header("#", spec_label),
        super::package_section(&package),
    );
    let first_type = ir.types.first().map(|t| t.name.unraw().to_owned()).unwrap_or_else(|| "support".into());
    let readme = format!(
        "<!-- @generated by `cargo xtask codegen` from {spec_label}. Do not edit by hand. -->\n\n# {name}\n\n\
         Models of **{title} {api_version}**: one serde type per schema ({types} types), and per operation its \
         parameter structs and a response enum with one variant per documented status ({operations} operations). \
         Generated from `{spec_label}`; the generated server and client crates share these types.\n\n\
         ```toml\n[dependencies]\n{name} = {{ version = \"{version}\" }}\n```\n\n\
         ```rust,ignore\nuse {ident}::{first_type};\nlet value: {first_type} = serde_json::from_str(json)?;\n```\n\n\
         Optional fields that may also be `null` are `support::Nullable<T>` (absent, `null` and a value stay \
         distinct); `format: email` is `support::Email`; constraints are checked by `support::Validate`.\n",
        name = settings.crate_name,
        title = ir.title,
        api_version = ir.version,
        types = ir.types.len(),
        operations = ir.operations.len(),
        ident = settings.crate_name.replace('-', "_"),
    );
    Ok([
        GeneratedFile { path: format!("{}/Cargo.toml", settings.dir), contents: manifest },
        GeneratedFile { path: format!("{}/README.md", settings.dir), contents: readme },
        GeneratedFile { path: format!("{}/src/lib.rs", settings.dir), contents: lib },
    ]
    .into_iter()
    .chain(
        type_files
            .into_iter()
            .map(|(name, contents)| GeneratedFile { path: format!("{}/src/{name}", settings.dir), contents }),
    )
    .chain(
        has_operations
            .then(|| GeneratedFile { path: format!("{}/src/operations.rs", settings.dir), contents: operations }),
    )
    .collect())
}

/// Whether `pred` holds for a type or anything it contains.
/// Whether any type of the models crate (schemas, parameters, response headers) contains a type
/// `pred` picks: the crate then needs that type's dependency.
fn uses(ir: &Ir, pred: &dyn Fn(&Type) -> bool) -> bool {
    ir.types.iter().any(|t| mentions(t, pred))
        || ir.operations.iter().any(|op| {
            op.params.iter().any(|p| deep(&p.field.ty, pred))
                || op.responses.iter().flat_map(|r| &r.headers).any(|h| deep(&h.field.ty, pred))
        })
}

fn deep(ty: &Type, pred: &dyn Fn(&Type) -> bool) -> bool {
    pred(ty) || matches!(ty, Type::Array(inner) | Type::Map(inner) if deep(inner, pred))
}

fn mentions(def: &TypeDef, pred: &dyn Fn(&Type) -> bool) -> bool {
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().any(|f| deep(&f.ty, pred))
                || matches!(&s.unknown_fields, UnknownFields::Collect(ty) if deep(ty, pred))
        }
        TypeKind::Union(u) => u.variants.iter().any(|v| v.ty.as_ref().is_some_and(|ty| deep(ty, pred))),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => deep(ty, pred),
        TypeKind::Enum(_) => false,
    }
}

pub(crate) fn type_tokens(ty: &Type) -> TokenStream {
    type_tokens_in(ty, None)
}

/// The Rust type of a value, the one function every emitter names types with: inside the
/// models crate (`models: None`), or in a crate that reaches the models crate by the path
/// `models`, which then names its types there, and the format crates' types through its
/// `support` re-export, so that crate needs no `uuid` or `chrono` of its own.
pub(crate) fn type_tokens_in(ty: &Type, models: Option<&TokenStream>) -> TokenStream {
    match (ty, models) {
        (Type::Named(name), Some(models)) => {
            let ident = name.ident();
            return quote!(#models::#ident);
        }
        (Type::Email, Some(models)) => return quote!(#models::support::Email),
        (Type::Uuid, Some(models)) => return quote!(#models::support::Uuid),
        (Type::DateTime, Some(models)) => return quote!(#models::support::DateTime<#models::support::Utc>),
        (Type::Date, Some(models)) => return quote!(#models::support::NaiveDate),
        _ => {}
    }
    match ty {
        Type::String => quote!(::std::string::String),
        // Absolute, so the one path holds in the models, server and client crates alike.
        Type::Email => quote!(::openapi_runtime::models::Email),
        Type::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        Type::Date => quote!(::chrono::NaiveDate),
        Type::Uuid => quote!(::uuid::Uuid),
        Type::Bytes => quote!(::openapi_runtime::models::Base64),
        Type::File => quote!(::openapi_runtime::models::File),
        Type::Integer(width) => match width {
            IntegerWidth::I32 => quote!(i32),
            IntegerWidth::I64 => quote!(i64),
            IntegerWidth::U8 => quote!(u8),
            IntegerWidth::U16 => quote!(u16),
            IntegerWidth::U32 => quote!(u32),
            IntegerWidth::U64 => quote!(u64),
        },
        Type::Float(FloatWidth::F32) => quote!(f32),
        Type::Float(FloatWidth::F64) => quote!(f64),
        Type::Boolean => quote!(bool),
        Type::Any => quote!(::serde_json::Value),
        Type::FreeObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        Type::Array(inner) => {
            let inner = type_tokens_in(inner, models);
            quote!(::std::vec::Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = type_tokens_in(inner, models);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Type::Named(name) => {
            let ident = name.ident();
            quote!(#ident)
        }
        // Checked to parse when the settings were read; an untyped value otherwise.
        Type::Custom(path) => {
            syn::parse_str::<syn::Type>(path).map(|ty| quote!(#ty)).unwrap_or_else(|_| quote!(::serde_json::Value))
        }
    }
}

fn provenance(def: &TypeDef) -> String {
    format!(" Generated from `{}`.", def.pointer)
}

fn emit_type(def: &TypeDef) -> TokenStream {
    let doc = doc_attrs(def.doc.as_deref());
    let origin = provenance(def);
    let doc = if def.doc.is_some() {
        quote! { #doc #[doc = ""] #[doc = #origin] }
    } else {
        quote! { #[doc = #origin] }
    };
    let name = def.name.ident();
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(&def.name, s, doc),
        TypeKind::Enum(e) => emit_enum(&def.name, e, doc),
        TypeKind::Union(u) => emit_union(&def.name, u, doc),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = type_tokens(ty);
            quote! {
                #doc
                #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

/// A JSON field of the struct `owner`; a schema `default` is read through the struct's
/// [`default_fns`].
pub(crate) fn field_tokens(field: &Field, owner: &proc_macro2::Ident) -> TokenStream {
    field_tokens_in(field, FieldSource::Json, Some(owner))
}

/// The name of the function that gives a field its schema `default`.
fn default_fn(field: &Field) -> proc_macro2::Ident {
    quote::format_ident!("default_{}", field.name.unraw())
}

/// Whether a JSON field takes its schema `default` when absent (only optional fields can be).
fn takes_default(field: &Field) -> bool {
    field.default.is_some() && matches!(field.presence(), Presence::Optional | Presence::OptionalNullable)
}

/// `impl Owner { fn default_<field>() … }`: one line per defaulted field, decoding the
/// `default` from its JSON text through the runtime.
fn default_fns(owner: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let fns: Vec<TokenStream> = fields
        .iter()
        .filter(|f| takes_default(f))
        .map(|field| {
            let name = default_fn(field);
            let mut ty = type_tokens(&field.ty);
            if field.boxed {
                ty = quote!(::std::boxed::Box<#ty>);
            }
            let json = field.default.as_ref().map(ToString::to_string).unwrap_or_default();
            match field.presence() {
                Presence::OptionalNullable => quote! {
                    fn #name() -> rt::Nullable<#ty> { rt::json_default_nullable(#json) }
                },
                _ => quote! {
                    fn #name() -> ::std::option::Option<#ty> { rt::json_default(#json) }
                },
            }
        })
        .collect();
    if fns.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// The schema's `default`s, which serde applies to absent fields.
        impl #owner { #(#fns)* }
    }
}

/// Where a field's value is read from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldSource {
    /// A JSON object: an explicit `null` exists and is refused for a non-nullable field.
    Json,
    /// Parameters and headers, read and written by name by their `rt::Params` impl: no serde
    /// attributes.
    Params,
}

pub(crate) fn field_tokens_in(field: &Field, source: FieldSource, owner: Option<&proc_macro2::Ident>) -> TokenStream {
    let doc = {
        let mut text = field.doc.clone().unwrap_or_default();
        if let Some(default) = &field.default {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&format!("Default: `{default}`."));
        }
        doc_attrs(Some(&text))
    };
    let name = field.name.ident();
    let mut ty = type_tokens(&field.ty);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    let wire = &field.wire_name;
    // The wire name, then how absence reads and writes: each its own attribute, so that
    // prettyplease keeps every one on a line.
    let rename = (field.name.unraw() != wire && source == FieldSource::Json).then(|| quote!(#[serde(rename = #wire)]));
    let default = match owner.filter(|_| takes_default(field)) {
        Some(owner) => {
            let path = format!("{owner}::{}", default_fn(field));
            quote!(default = #path)
        }
        None => quote!(default),
    };
    let (ty, absence) = match field.presence() {
        Presence::Required => (ty, None),
        Presence::RequiredNullable => (quote!(::std::option::Option<#ty>), None),
        Presence::Optional if source == FieldSource::Params => (quote!(::std::option::Option<#ty>), None),
        Presence::Optional => (
            quote!(::std::option::Option<#ty>),
            Some(quote!(#[serde(#default, with = "rt::optional", skip_serializing_if = "rt::absent")])),
        ),
        Presence::OptionalNullable => (
            quote!(rt::Nullable<#ty>),
            Some(quote!(#[serde(#default, skip_serializing_if = "rt::Nullable::is_absent")])),
        ),
    };
    quote! { #doc #rename #absence pub #name: #ty, }
}

fn emit_struct(name: &RustIdent, s: &Struct, doc: TokenStream) -> TokenStream {
    let ident = name.ident();
    let fields = s.fields.iter().map(|field| field_tokens(field, &ident));
    let defaults = default_fns(&ident, &s.fields);
    let deny = (s.unknown_fields == UnknownFields::Deny).then(|| quote!(#[serde(deny_unknown_fields)]));
    let extra = match &s.unknown_fields {
        UnknownFields::Collect(ty) => {
            let field = super::validate::additional_field_ident(s);
            let ty = type_tokens(ty);
            quote! {
                /// Properties the schema does not name.
                #[serde(flatten)]
                pub #field: ::std::collections::BTreeMap<::std::string::String, #ty>,
            }
        }
        UnknownFields::Ignore | UnknownFields::Deny => TokenStream::new(),
    };
    // A struct whose fields may all be absent has an obvious empty value.
    let default = s.fields.iter().all(|f| !f.required).then(|| quote!(Default,));
    // The derives become inherent functions (`remote = "Self"`) that `json_object!` wraps, so
    // the struct deserialises only from a JSON object (the module documentation says why).
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(remote = "Self")]
        #deny
        pub struct #ident {
            #(#fields)*
            #extra
        }

        ::openapi_runtime::json_object!(#ident);

        #defaults
    }
}

/// serde's `rename_all` rules, as serde applies them to a variant name; on a tie the first
/// is chosen.
const RENAME_RULES: [(&str, Spelling); 6] = [
    ("snake_case", snake_case),
    ("lowercase", |v| v.to_ascii_lowercase()),
    ("kebab-case", |v| snake_case(v).replace('_', "-")),
    ("SCREAMING_SNAKE_CASE", |v| snake_case(v).to_ascii_uppercase()),
    ("UPPERCASE", |v| v.to_ascii_uppercase()),
    ("camelCase", |v| v.chars().take(1).map(|c| c.to_ascii_lowercase()).chain(v.chars().skip(1)).collect()),
];

/// How a `rename_all` rule spells a variant's name.
type Spelling = fn(&str) -> String;

fn snake_case(variant: &str) -> String {
    let mut out = String::new();
    for (i, c) in variant.char_indices() {
        if i > 0 && c.is_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The `rename_all` rule that spells the most values from their variant names (none when
/// the names are the values, or no rule spells more than one); the others get a `rename`.
/// Only for ASCII names: serde's `camelCase` slices the first byte of every variant's name.
fn rename_rule(e: &Enum) -> Option<(&'static str, Spelling)> {
    if !e.variants.iter().all(|v| v.name.unraw().is_ascii()) {
        return None;
    }
    let spelled = |rule: &Spelling| e.variants.iter().filter(|v| rule(v.name.unraw()) == v.wire_name).count();
    let plain = e.variants.iter().filter(|v| v.name.unraw() == v.wire_name).count();
    RENAME_RULES
        .iter()
        .map(|(name, rule)| (spelled(rule), *name, *rule))
        .filter(|(count, ..)| *count > plain.max(1))
        // `max_by_key` keeps the last of equals: reversed, that is the first rule.
        .rev()
        .max_by_key(|(count, ..)| *count)
        .map(|(_, name, rule)| (name, rule))
}

fn emit_enum(name: &RustIdent, e: &Enum, doc: TokenStream) -> TokenStream {
    let ident = name.ident();
    let rule = rename_rule(e);
    let rename_all = rule.map(|(name, _)| quote!(#[serde(rename_all = #name)]));
    let variants = e.variants.iter().enumerate().map(|(i, v)| {
        let name = v.name.ident();
        let wire = &v.wire_name;
        let default = (e.default == Some(i)).then(|| quote!(#[default]));
        let doc = doc_attrs(v.doc.as_deref());
        let spelled = match rule {
            Some((_, rule)) => rule(v.name.unraw()) == *wire,
            None => v.name.unraw() == wire,
        };
        let rename = (!spelled).then(|| quote!(#[serde(rename = #wire)]));
        quote! { #doc #default #rename #name, }
    });
    let arms = e.variants.iter().map(|v| {
        let name = v.name.ident();
        let wire = &v.wire_name;
        quote! { Self::#name => #wire, }
    });
    let all = e.variants.iter().map(|v| {
        let name = v.name.ident();
        quote!(Self::#name)
    });
    let default = e.default.is_some().then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, #default PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(::serde::Serialize, ::serde::Deserialize)]
        #rename_all
        pub enum #ident {
            #(#variants)*
        }

        impl #ident {
            /// Every value, in the order of the schema.
            pub const ALL: &'static [Self] = &[#(#all),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn emit_union(name: &RustIdent, u: &Union, doc: TokenStream) -> TokenStream {
    let ident = name.ident();
    // `Name(Payload)`, or `Name` for a variant that is its tag alone.
    let variant = |v: &crate::ir::UnionVariant| {
        let name = v.name.ident();
        match &v.ty {
            Some(ty) => {
                let ty = type_tokens(ty);
                if v.boxed { quote!(#name(::std::boxed::Box<#ty>)) } else { quote!(#name(#ty)) }
            }
            None => quote!(#name),
        }
    };
    match &u.discriminator {
        // The tag lives only in the enum: serde's internal tagging adds and removes it.
        Some(d) if !d.in_variants => {
            let property = &d.property;
            let variants = u.variants.iter().map(|v| {
                let doc = doc_attrs(v.doc.as_deref());
                let variant = variant(v);
                let (first, rest) = v
                    .tags
                    .split_first()
                    .map(|(f, r)| (f.clone(), r.to_vec()))
                    .unwrap_or_else(|| (v.name.unraw().to_owned(), Vec::new()));
                quote! { #doc #[serde(rename = #first #(, alias = #rest)*)] #variant, }
            });
            quote! {
                #doc
                #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(tag = #property)]
                pub enum #ident {
                    #(#variants)*
                }
            }
        }
        // The variants carry the tag themselves: serialise them as they are, and pick the
        // variant to deserialise by reading the tag first.
        Some(d) => {
            let property = &d.property;
            let variants = u.variants.iter().map(|v| {
                let doc = doc_attrs(v.doc.as_deref());
                let variant = variant(v);
                quote! { #doc #variant, }
            });
            let all_tags: Vec<&String> = u.variants.iter().flat_map(|v| v.tags.iter()).collect();
            let arms = u.variants.iter().filter(|v| !v.tags.is_empty()).map(|v| {
                let name = v.name.ident();
                let tags = &v.tags;
                let read = match (&v.ty, v.boxed) {
                    (None, _) => quote!(::std::result::Result::Ok(Self::#name)),
                    (Some(_), true) => quote! {
                        ::serde_json::from_value(value).map(|v| Self::#name(::std::boxed::Box::new(v))).map_err(D::Error::custom)
                    },
                    (Some(_), false) => quote!(::serde_json::from_value(value).map(Self::#name).map_err(D::Error::custom)),
                };
                quote! {
                    #(::std::option::Option::Some(#tags))|* => #read,
                }
            });
            // Written with the variant's own tag, whatever its struct's field holds.
            let serialize_arms = u.variants.iter().map(|v| {
                let name = v.name.ident();
                match (&v.ty, v.tags.first()) {
                    (Some(_), Some(tag)) => {
                        quote! { Self::#name(value) => rt::serialize_tagged(serializer, value, #property, #tag), }
                    }
                    (Some(_), None) => quote! { Self::#name(value) => ::serde::Serialize::serialize(value, serializer), },
                    (None, tag) => {
                        let tag = tag.cloned().unwrap_or_else(|| v.name.unraw().to_owned());
                        quote! { Self::#name => rt::serialize_tagged(serializer, &::serde_json::Map::new(), #property, #tag), }
                    }
                }
            });
            quote! {
                #doc
                #[derive(Clone, Debug, PartialEq)]
                pub enum #ident {
                    #(#variants)*
                }

                impl ::serde::Serialize for #ident {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        match self {
                            #(#serialize_arms)*
                        }
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #ident {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        use ::serde::de::Error as _;
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                        match tag.as_deref() {
                            #(#arms)*
                            ::std::option::Option::Some(other) => ::std::result::Result::Err(D::Error::unknown_variant(other, &[#(#all_tags),*])),
                            ::std::option::Option::None => ::std::result::Result::Err(D::Error::missing_field(#property)),
                        }
                    }
                }
            }
        }
        None => {
            let variants = u.variants.iter().map(|v| {
                let doc = doc_attrs(v.doc.as_deref());
                let variant = variant(v);
                quote! { #doc #variant, }
            });
            quote! {
                #doc
                #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                pub enum #ident {
                    #(#variants)*
                }
            }
        }
    }
}
