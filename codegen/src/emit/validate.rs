//! `Validate` impls: the checks a type cannot express (`minLength`, `maxLength`, `pattern`,
//! `minimum`, `maximum`, `multipleOf`, `minItems`, `maxItems`). Each constrained field is one call
//! of the runtime's `Checker` with its limits as data; a type with nothing to check gets an
//! empty impl (the trait's default finds nothing). Formats are not here: they are types, checked
//! when parsed.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Constraints, Field, Presence, Type, TypeDef, TypeKind, UnknownFields};

/// Whether a type can contain something with constraints (a named type might).
fn reaches_named(ty: &Type) -> bool {
    match ty {
        Type::Named(_) => true,
        Type::Array(inner) | Type::Map(inner) => reaches_named(inner),
        _ => false,
    }
}

/// Whether `pattern` compiles with the engine the generated code uses. An ECMA-262 construct it
/// lacks (look-around, backreferences) means the check is left out, with a warning upstream.
pub fn pattern_supported(pattern: &str) -> bool {
    regex_lite::Regex::new(pattern).is_ok()
}

/// `&Limits { … }` with the constraints that apply to a value of type `ty`, or `None` when none
/// does.
fn limits(ty: &Type, c: &Constraints) -> Option<TokenStream> {
    let mut fields = Vec::new();
    let usize_field = |name: &str, value: Option<usize>| {
        value.map(|v| {
            let name = quote::format_ident!("{name}");
            quote!(#name: ::std::option::Option::Some(#v))
        })
    };
    let f64_field = |name: &str, value: Option<f64>| {
        value.map(|v| {
            let name = quote::format_ident!("{name}");
            quote!(#name: ::std::option::Option::Some(#v))
        })
    };
    match ty {
        Type::String | Type::Email => {
            fields.extend(usize_field("min_length", c.min_length));
            fields.extend(usize_field("max_length", c.max_length));
            if let Some(pattern) = c.pattern.as_deref().filter(|p| pattern_supported(p)) {
                fields.push(quote! {
                    pattern: ::std::option::Option::Some({
                        static PATTERN: crate::support::Pattern = crate::support::Pattern::new(#pattern);
                        &PATTERN
                    })
                });
            }
        }
        Type::Integer(_) | Type::Float(_) => {
            fields.extend(f64_field("minimum", c.minimum));
            fields.extend(f64_field("maximum", c.maximum));
            if c.minimum.is_some() && c.exclusive_minimum {
                fields.push(quote!(exclusive_minimum: true));
            }
            if c.maximum.is_some() && c.exclusive_maximum {
                fields.push(quote!(exclusive_maximum: true));
            }
            fields.extend(f64_field("multiple_of", c.multiple_of));
        }
        Type::Array(_) => {
            fields.extend(usize_field("min_items", c.min_items));
            fields.extend(usize_field("max_items", c.max_items));
        }
        _ => {}
    }
    (!fields.is_empty()).then(|| quote!(&crate::support::Limits { #(#fields,)* ..crate::support::Limits::NONE }))
}

/// The `Checker` call for one value (`value`: an `Option<&T>` expression) named `wire` (empty
/// for the value itself), or nothing when it has nothing to check.
fn value_check(wire: &str, value: TokenStream, ty: &Type, constraints: &Constraints) -> Option<TokenStream> {
    match (limits(ty, constraints), ty) {
        (Some(limits), Type::String | Type::Email) => Some(quote!(check.text(#wire, #value, #limits);)),
        (Some(limits), Type::Integer(_) | Type::Float(_)) => Some(quote!(check.number(#wire, #value, #limits);)),
        (Some(limits), Type::Array(_)) => Some(quote!(check.items(#wire, #value, #limits);)),
        _ if reaches_named(ty) => Some(quote!(check.nested(#wire, #value);)),
        _ => None,
    }
}

/// The check of one field of `self`, or nothing when it has nothing to check.
pub fn field_check(field: &Field) -> Option<TokenStream> {
    let name = field.name.ident();
    let value = match field.presence() {
        Presence::Required => quote!(::std::option::Option::Some(&self.#name)),
        Presence::RequiredNullable | Presence::Optional => quote!(self.#name.as_ref()),
        Presence::OptionalNullable => quote!(self.#name.as_value()),
    };
    let wire = &field.wire_name;
    if field.boxed {
        // Boxing breaks a cycle of named types, so the box holds a type with its own impl.
        return Some(quote!(check.nested(#wire, #value);));
    }
    value_check(wire, value, &field.ty, &field.constraints)
}

/// `impl Validate for Name` with the given checks (each using `check`).
pub fn impl_with(name: &proc_macro2::Ident, checks: Vec<TokenStream>) -> TokenStream {
    if checks.is_empty() {
        return quote! { impl crate::support::Validate for #name {} };
    }
    quote! {
        impl crate::support::Validate for #name {
            fn validate_into(&self, path: &str, errors: &mut ::std::vec::Vec<crate::support::Violation>) {
                let mut check = crate::support::Checker::new(path, errors);
                #(#checks)*
            }
        }
    }
}

/// `impl Validate` for a named type.
pub fn validate_impl(def: &TypeDef) -> TokenStream {
    let name = def.name.ident();
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut checks: Vec<TokenStream> = s.fields.iter().filter_map(field_check).collect();
            if let UnknownFields::Collect(ty) = &s.unknown_fields
                && reaches_named(ty)
            {
                let field = additional_field_ident(s);
                checks.push(quote!(check.nested("", ::std::option::Option::Some(&self.#field));));
            }
            impl_with(&name, checks)
        }
        TypeKind::Union(u) if u.variants.iter().any(|v| reaches_named(&v.ty)) => {
            let arms = u.variants.iter().map(|v| {
                let variant = v.name.ident();
                if reaches_named(&v.ty) {
                    quote! { Self::#variant(value) => crate::support::Validate::validate_into(value, path, errors), }
                } else {
                    quote! { Self::#variant(_) => {} }
                }
            });
            quote! {
                impl crate::support::Validate for #name {
                    fn validate_into(&self, path: &str, errors: &mut ::std::vec::Vec<crate::support::Violation>) {
                        match self { #(#arms)* }
                    }
                }
            }
        }
        TypeKind::Newtype(ty) => {
            let checks = reaches_named(ty).then(|| quote!(check.nested("", ::std::option::Option::Some(&self.0));));
            impl_with(&name, checks.into_iter().collect())
        }
        // Aliases are covered by the impls of what they alias.
        TypeKind::Alias(_) => TokenStream::new(),
        TypeKind::Union(_) | TypeKind::Enum(_) => impl_with(&name, Vec::new()),
    }
}

/// The name of the catch-all map field of a struct, as the struct emitter chose it.
pub fn additional_field_ident(s: &crate::ir::Struct) -> proc_macro2::Ident {
    let mut namer = crate::naming::Namer::with_reserved(&s.fields.iter().map(|f| f.name.unraw()).collect::<Vec<_>>());
    crate::naming::RustIdent::new(&namer.claim(crate::naming::field_name("additional_properties"))).ident()
}

/// Whether any type uses a pattern that will be checked (then the runtime's `regex` feature is
/// needed).
pub fn uses_patterns<'a>(constraints: impl IntoIterator<Item = &'a Constraints>) -> bool {
    constraints.into_iter().any(|c| c.pattern.as_deref().is_some_and(pattern_supported))
}
