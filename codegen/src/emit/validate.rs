//! `Validate` impls: the checks a type cannot express (`minLength`, `maxLength`, `pattern`,
//! `minimum`, `maximum`, `multipleOf`, `minItems`, `maxItems`, `dependentRequired`). Each constrained field is one call
//! of the runtime's `Checker` with its limits as data; a type with nothing to check gets an
//! empty impl (the trait's default finds nothing). Formats are not here: they are types, checked
//! when parsed.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Constraints, Field, Presence, Type, TypeDef, TypeKind, UnknownFields, pattern_supported};
use crate::naming::RustIdent;

/// The named types whose validation checks something: a constraint of their own, or a field,
/// item or variant of a type that does. A value of any other type is not visited: a
/// `check.nested` call into an impl that checks nothing would be dead code.
pub struct Checked(BTreeSet<RustIdent>);

impl Checked {
    /// Found by growing the set until no type joins it (a type joins when its impl, written
    /// against the set so far, has a check), which also settles recursive types.
    pub fn of(types: &[TypeDef]) -> Checked {
        let mut checked = Checked(BTreeSet::new());
        loop {
            let joining: Vec<RustIdent> = types
                .iter()
                .filter(|def| !checked.0.contains(&def.name) && checked.checks(def).is_some_and(|c| !c.is_empty()))
                .map(|def| def.name.clone())
                .collect();
            if joining.is_empty() {
                return checked;
            }
            checked.0.extend(joining);
        }
    }

    /// Whether a value of this type may hold something to check.
    fn reaches(&self, ty: &Type) -> bool {
        match ty {
            Type::Named(name) => self.0.contains(name),
            Type::Array(inner) | Type::Map(inner) => self.reaches(inner),
            _ => false,
        }
    }

    /// The checks of a named type's impl, `None` for an alias (the aliased type's impl serves).
    fn checks(&self, def: &TypeDef) -> Option<Vec<TokenStream>> {
        Some(match &def.kind {
            TypeKind::Struct(s) => {
                let mut checks: Vec<TokenStream> = s.fields.iter().filter_map(|f| self.field_check(f)).collect();
                checks.extend(
                    s.dependent_required.iter().filter_map(|(trigger, required)| dependent_check(s, trigger, required)),
                );
                if let UnknownFields::Collect(ty) = &s.unknown_fields
                    && self.reaches(ty)
                {
                    let field = additional_field_ident(s);
                    checks.push(quote!(check.nested("", &self.#field);));
                }
                checks
            }
            TypeKind::Union(u) if u.variants.iter().any(|v| v.ty.as_ref().is_some_and(|ty| self.reaches(ty))) => {
                let (visited, rest): (Vec<_>, Vec<_>) =
                    u.variants.iter().partition(|v| v.ty.as_ref().is_some_and(|ty| self.reaches(ty)));
                let visited: Vec<proc_macro2::Ident> = visited.iter().map(|v| v.name.ident()).collect();
                match (visited.as_slice(), rest.is_empty()) {
                    ([only], false) => vec![quote! { if let Self::#only(value) = self { check.nested("", value); } }],
                    (_, true) => vec![quote! { match self { #(Self::#visited(value) => check.nested("", value),)* } }],
                    (_, false) => {
                        vec![quote! { match self { #(Self::#visited(value) => check.nested("", value),)* _ => {} } }]
                    }
                }
            }
            TypeKind::Newtype(ty) => self.reaches(ty).then(|| quote!(check.nested("", &self.0);)).into_iter().collect(),
            TypeKind::Alias(_) => return None,
            TypeKind::Union(_) | TypeKind::Enum(_) => Vec::new(),
        })
    }

    /// The check of one field of `self`, or nothing when it has nothing to check. The
    /// runtime's `Present` sees through `Option` and `Nullable`, so every presence passes
    /// `&self.field`; a box holds a named type, which `Box`'s impl hands on to.
    pub fn field_check(&self, field: &Field) -> Option<TokenStream> {
        let name = field.name.ident();
        self.value_check(&field.wire_name, quote!(&self.#name), &field.ty, &field.constraints)
    }

    /// The `Checker` call for one value (`value`: a reference to it, whatever its presence)
    /// named `wire` (empty for the value itself), or nothing when it has nothing to check.
    fn value_check(&self, wire: &str, value: TokenStream, ty: &Type, constraints: &Constraints) -> Option<TokenStream> {
        // Strings and numbers in an array, with constraints of their own: the list's checks,
        // then each item's.
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
            _ if self.reaches(ty) => Some(quote!(check.nested(#wire, #value);)),
            _ => None,
        }
    }

    /// `impl Validate` for a named type (nothing for an alias).
    pub fn validate_impl(&self, def: &TypeDef) -> TokenStream {
        match self.checks(def) {
            Some(checks) => impl_with(&def.name.ident(), checks),
            None => TokenStream::new(),
        }
    }
}

/// `&rt::min_length(1)…` (the runtime's short start for `Limits::NONE.min_length(1)…`) with
/// the constraints that apply to a value of type `ty`, or `None` when none does.
fn limits(ty: &Type, c: &Constraints) -> Option<TokenStream> {
    use proc_macro2::Literal;
    // Each constraint as a builder call: its name and argument.
    let mut calls: Vec<(&str, TokenStream)> = Vec::new();
    let mut size = |name: &'static str, value: Option<usize>| {
        if let Some(value) = value {
            let value = Literal::usize_unsuffixed(value);
            calls.push((name, quote!(#value)));
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
                calls.push((
                    "pattern",
                    quote!({
                        static PATTERN: rt::Pattern = rt::Pattern::new(#pattern);
                        &PATTERN
                    }),
                ));
            }
        }
        Type::Integer(_) | Type::Float(_) => {
            if let Some(min) = c.minimum.and_then(number) {
                calls.push((if c.exclusive_minimum { "exclusive_minimum" } else { "minimum" }, quote!(#min)));
            }
            if let Some(max) = c.maximum.and_then(number) {
                calls.push((if c.exclusive_maximum { "exclusive_maximum" } else { "maximum" }, quote!(#max)));
            }
            if let Some(step) = c.multiple_of.and_then(number) {
                calls.push(("multiple_of", quote!(#step)));
            }
        }
        _ => {}
    }
    // The first call is the runtime's function of the same name, which starts the chain.
    let mut calls = calls.into_iter().map(|(name, arg)| (quote::format_ident!("{name}"), arg));
    let (first, arg) = calls.next()?;
    let rest = calls.map(|(name, arg)| quote!(.#name(#arg)));
    Some(quote!(&rt::#first(#arg) #(#rest)*))
}

/// `impl Validate for Name` with the given checks (each using `check`); `rt` names the
/// runtime's models module in every file that holds such impls.
pub fn impl_with(name: &proc_macro2::Ident, checks: Vec<TokenStream>) -> TokenStream {
    let check = check_fn(checks);
    quote! {
        impl rt::Validate for #name {
            #check
        }
    }
}

/// `fn check`, running these checks; none where there is nothing to check (both `Validate` and
/// `Params` default to checking nothing).
pub fn check_fn(checks: Vec<TokenStream>) -> Option<TokenStream> {
    (!checks.is_empty()).then(|| {
        quote! {
            fn check(&self, check: &mut rt::Checker<'_>) {
                #(#checks)*
            }
        }
    })
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
