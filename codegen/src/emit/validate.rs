//! `Validate` impls: the checks a type cannot express (`minLength`, `maxLength`, `pattern`,
//! `minimum`, `maximum`, `multipleOf`, `minItems`, `maxItems`, `dependentRequired`). Each constrained field is one call
//! of the runtime's `Checker` with its limits as data; a type with nothing to check gets an
//! empty impl (the trait's default finds nothing). Formats are not here: they are types, checked
//! when parsed.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Constraints, Field, Presence, Type, TypeDef, TypeKind, UnknownFields, pattern_supported};

/// Whether a type can contain something with constraints (a named type might).
fn reaches_named(ty: &Type) -> bool {
    match ty {
        Type::Named(_) => true,
        Type::Array(inner) | Type::Map(inner) => reaches_named(inner),
        _ => false,
    }
}

/// `&rt::Limits::NONE.min_length(1)…` with the constraints that apply to a value of type `ty`,
/// or `None` when none does.
fn limits(ty: &Type, c: &Constraints) -> Option<TokenStream> {
    use proc_macro2::Literal;
    let mut calls = Vec::new();
    let mut size = |name: &str, value: Option<usize>| {
        if let Some(value) = value {
            let name = quote::format_ident!("{name}");
            let value = Literal::usize_unsuffixed(value);
            calls.push(quote!(.#name(#value)));
        }
    };
    match ty {
        Type::String | Type::Email => {
            size("min_length", c.min_length);
            size("max_length", c.max_length);
        }
        Type::Array(_) => {
            size("min_items", c.min_items);
            size("max_items", c.max_items);
        }
        _ => {}
    }
    // Spec numbers come from JSON, so they are finite; a non-finite one is left out rather than
    // handed to `f64_unsuffixed`, which would panic.
    let number = |value: f64| value.is_finite().then(|| Literal::f64_unsuffixed(value));
    match ty {
        Type::String | Type::Email => {
            if let Some(pattern) = c.pattern.as_deref().filter(|p| pattern_supported(p)) {
                calls.push(quote! {
                    .pattern({
                        static PATTERN: rt::Pattern = rt::Pattern::new(#pattern);
                        &PATTERN
                    })
                });
            }
        }
        Type::Integer(_) | Type::Float(_) => {
            if let Some(min) = c.minimum.and_then(number) {
                calls.push(if c.exclusive_minimum { quote!(.exclusive_minimum(#min)) } else { quote!(.minimum(#min)) });
            }
            if let Some(max) = c.maximum.and_then(number) {
                calls.push(if c.exclusive_maximum { quote!(.exclusive_maximum(#max)) } else { quote!(.maximum(#max)) });
            }
            if let Some(step) = c.multiple_of.and_then(number) {
                calls.push(quote!(.multiple_of(#step)));
            }
        }
        _ => {}
    }
    (!calls.is_empty()).then(|| quote!(&rt::Limits::NONE #(#calls)*))
}

/// The `Checker` call for one value (`value`: a reference to it, whatever its presence) named
/// `wire` (empty for the value itself), or nothing when it has nothing to check.
fn value_check(wire: &str, value: TokenStream, ty: &Type, constraints: &Constraints) -> Option<TokenStream> {
    // Strings and numbers in an array, with constraints of their own: the list's checks, then
    // each item's.
    if let (Type::Array(item), Some(items)) = (ty, &constraints.items)
        && let Some(item_limits) = limits(item, items)
    {
        let each = match **item {
            Type::String | Type::Email => quote!(check.each_text(#wire, #value, #item_limits);),
            _ => quote!(check.each_number(#wire, #value, #item_limits);),
        };
        let list = limits(ty, constraints).map(|limits| quote!(check.items(#wire, #value, #limits);));
        return Some(quote!(#list #each));
    }
    match (limits(ty, constraints), ty) {
        (Some(limits), Type::String | Type::Email) => Some(quote!(check.text(#wire, #value, #limits);)),
        (Some(limits), Type::Integer(_) | Type::Float(_)) => Some(quote!(check.number(#wire, #value, #limits);)),
        (Some(limits), Type::Array(_)) => Some(quote!(check.items(#wire, #value, #limits);)),
        _ if reaches_named(ty) => Some(quote!(check.nested(#wire, #value);)),
        _ => None,
    }
}

/// The check of one field of `self`, or nothing when it has nothing to check. The runtime's
/// `Present` sees through `Option` and `Nullable`, so every presence passes `&self.field`.
pub fn field_check(field: &Field) -> Option<TokenStream> {
    let name = field.name.ident();
    let value = quote!(&self.#name);
    let wire = &field.wire_name;
    if field.boxed {
        // Boxing breaks a cycle of named types, so the box holds a type with its own impl.
        return Some(quote!(check.nested(#wire, #value);));
    }
    value_check(wire, value, &field.ty, &field.constraints)
}

/// `impl Validate for Name` with the given checks (each using `check`); `rt` names the
/// runtime's models module in every file that holds such impls.
pub fn impl_with(name: &proc_macro2::Ident, checks: Vec<TokenStream>) -> TokenStream {
    if checks.is_empty() {
        return quote! { impl rt::Validate for #name {} };
    }
    quote! {
        impl rt::Validate for #name {
            fn check(&self, check: &mut rt::Checker<'_>) {
                #(#checks)*
            }
        }
    }
}

/// How to tell whether the field with this wire name is in the value (a key with `null` is
/// present): `None` when it always is.
fn presence(field: &Field) -> Option<TokenStream> {
    let name = field.name.ident();
    match field.presence() {
        Presence::Required | Presence::RequiredNullable => None,
        Presence::Optional => Some(quote!(self.#name.is_some())),
        Presence::OptionalNullable => Some(quote!(!self.#name.is_absent())),
    }
}

/// `dependentRequired`: one call per property that makes others required, naming those that
/// may be absent (no call when none may be). Lowering kept only pairs that name fields.
fn dependent_check(s: &crate::ir::Struct, trigger: &str, required: &[String]) -> Option<TokenStream> {
    let field = |wire: &str| s.fields.iter().find(|f| f.wire_name == wire);
    let optional: Vec<TokenStream> =
        required.iter().filter_map(|wire| presence(field(wire)?).map(|present| quote!((#wire, #present)))).collect();
    if optional.is_empty() {
        return None;
    }
    let present = presence(field(trigger)?).unwrap_or_else(|| quote!(true));
    Some(quote!(check.dependent(#trigger, #present, &[#(#optional),*]);))
}

/// `impl Validate` for a named type.
pub fn validate_impl(def: &TypeDef) -> TokenStream {
    let name = def.name.ident();
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut checks: Vec<TokenStream> = s.fields.iter().filter_map(field_check).collect();
            checks.extend(
                s.dependent_required.iter().filter_map(|(trigger, required)| dependent_check(s, trigger, required)),
            );
            if let UnknownFields::Collect(ty) = &s.unknown_fields
                && reaches_named(ty)
            {
                let field = additional_field_ident(s);
                checks.push(quote!(check.nested("", &self.#field);));
            }
            impl_with(&name, checks)
        }
        TypeKind::Union(u) if u.variants.iter().any(|v| v.ty.as_ref().is_some_and(reaches_named)) => {
            let arms = u.variants.iter().map(|v| {
                let variant = v.name.ident();
                match &v.ty {
                    Some(ty) if reaches_named(ty) => quote! { Self::#variant(value) => check.nested("", value), },
                    Some(_) => quote! { Self::#variant(_) => {} },
                    None => quote! { Self::#variant => {} },
                }
            });
            impl_with(&name, vec![quote! { match self { #(#arms)* } }])
        }
        TypeKind::Newtype(ty) => {
            let checks = reaches_named(ty).then(|| quote!(check.nested("", &self.0);));
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
