//! `Validate` impls: the checks a type cannot express (`minLength`, `maxLength`, `pattern`,
//! `minimum`, `maximum`, `multipleOf`, `minItems`, `maxItems`), collected with the path of each
//! offending value so a server can name every problem at once. Formats are not here: they are
//! types, checked when parsed.

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

fn opt_usize(value: Option<usize>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

fn opt_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

/// The checks on one value `value: &T` at `path: &str`.
pub fn value_checks(ty: &Type, constraints: &Constraints) -> TokenStream {
    let mut checks = Vec::new();
    let is_text = matches!(ty, Type::String | Type::Email);
    let is_number = matches!(ty, Type::Integer(_) | Type::Float(_));
    if is_text && (constraints.min_length.is_some() || constraints.max_length.is_some()) {
        let (min, max) = (opt_usize(constraints.min_length), opt_usize(constraints.max_length));
        checks.push(quote! { crate::support::check_length(path, value.as_ref(), #min, #max, errors); });
    }
    if is_text && let Some(pattern) = constraints.pattern.as_deref().filter(|p| pattern_supported(p)) {
        checks.push(quote! {
            static PATTERN: ::std::sync::LazyLock<::std::option::Option<::regex_lite::Regex>> =
                ::std::sync::LazyLock::new(|| ::regex_lite::Regex::new(#pattern).ok());
            crate::support::check_pattern(path, value.as_ref(), PATTERN.as_ref(), #pattern, errors);
        });
    }
    if is_number
        && (constraints.minimum.is_some() || constraints.maximum.is_some() || constraints.multiple_of.is_some())
    {
        let (min, max, multiple) =
            (opt_f64(constraints.minimum), opt_f64(constraints.maximum), opt_f64(constraints.multiple_of));
        let (exclusive_min, exclusive_max) = (constraints.exclusive_minimum, constraints.exclusive_maximum);
        checks.push(quote! {
            crate::support::check_range(path, *value as f64, #min, #max, #exclusive_min, #exclusive_max, #multiple, errors);
        });
    }
    if let Type::Array(_) = ty
        && (constraints.min_items.is_some() || constraints.max_items.is_some())
    {
        let (min, max) = (opt_usize(constraints.min_items), opt_usize(constraints.max_items));
        checks.push(quote! { crate::support::check_items(path, value.len(), #min, #max, errors); });
    }
    if reaches_named(ty) {
        checks.push(quote! { crate::support::Validate::validate_into(value, path, errors); });
    }
    quote! { #(#checks)* }
}

/// The statements validating one field of `self`, or nothing when it has nothing to check.
pub fn field_checks(field: &Field) -> TokenStream {
    let checks = value_checks(&field.ty, &field.constraints);
    if checks.is_empty() {
        return TokenStream::new();
    }
    let name = field.name.ident();
    let wire = &field.wire_name;
    let access = match field.presence() {
        Presence::Required => quote!(::std::option::Option::Some(&self.#name)),
        Presence::RequiredNullable | Presence::Optional => quote!(self.#name.as_ref()),
        Presence::OptionalNullable => quote!(self.#name.as_value()),
    };
    let deref = if field.boxed { quote!(let value = &**value;) } else { TokenStream::new() };
    quote! {
        if let ::std::option::Option::Some(value) = #access {
            #deref
            let path = &crate::support::join(path, #wire);
            #checks
        }
    }
}

/// `impl Validate` for a named type.
pub fn validate_impl(def: &TypeDef) -> TokenStream {
    let name = def.name.ident();
    let body = match &def.kind {
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().map(field_checks);
            let extra = match &s.unknown_fields {
                UnknownFields::Collect(ty) if reaches_named(ty) => {
                    let field = additional_field_ident(s);
                    quote! { crate::support::Validate::validate_into(&self.#field, path, errors); }
                }
                _ => TokenStream::new(),
            };
            quote! { #(#fields)* #extra }
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
            quote! { match self { #(#arms)* } }
        }
        TypeKind::Newtype(ty) if reaches_named(ty) => {
            quote! { crate::support::Validate::validate_into(&self.0, path, errors); }
        }
        // Aliases are covered by the impls of what they alias.
        TypeKind::Alias(_) => return TokenStream::new(),
        TypeKind::Union(_) | TypeKind::Newtype(_) | TypeKind::Enum(_) => TokenStream::new(),
    };
    let unused = if body.is_empty() { quote!(let _ = (path, errors);) } else { TokenStream::new() };
    quote! {
        impl crate::support::Validate for #name {
            fn validate_into(&self, path: &str, errors: &mut ::std::vec::Vec<crate::support::Violation>) {
                #unused
                #body
            }
        }
    }
}

/// The name of the catch-all map field of a struct, as the struct emitter chose it.
pub fn additional_field_ident(s: &crate::ir::Struct) -> proc_macro2::Ident {
    let mut namer = crate::naming::Namer::with_reserved(&s.fields.iter().map(|f| f.name.unraw()).collect::<Vec<_>>());
    crate::naming::RustIdent::new(&namer.claim(crate::naming::field_name("additional_properties"))).ident()
}

/// Whether any type uses a pattern that will be checked (then the crate needs `regex-lite`).
pub fn uses_patterns<'a>(constraints: impl IntoIterator<Item = &'a Constraints>) -> bool {
    constraints.into_iter().any(|c| c.pattern.as_deref().is_some_and(pattern_supported))
}

/// The support code every generated crate gets for validation; the pattern check only when the
/// crate has patterns (it needs `regex-lite`).
pub fn support_tokens(with_patterns: bool, with_chrono: bool) -> TokenStream {
    let chrono_leaves = with_chrono.then(|| quote!(leaves!(::chrono::DateTime<::chrono::Utc>, ::chrono::NaiveDate);));
    let pattern = with_patterns.then(|| {
        quote! {
            /// `pattern`; `regex` is `None` only if the pattern stopped compiling, which skips the check.
            pub fn check_pattern(
                path: &str,
                value: &str,
                regex: ::std::option::Option<&::regex_lite::Regex>,
                pattern: &str,
                errors: &mut ::std::vec::Vec<Violation>,
            ) {
                if let ::std::option::Option::Some(regex) = regex && !regex.is_match(value) {
                    errors.push(Violation { path: path.to_owned(), message: format!("must match the pattern {pattern}") });
                }
            }
        }
    });
    quote! {
        #pattern

        /// One value that breaks a constraint of the schema.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Violation {
            /// Where the value is, e.g. `user.password` or `users[2].email`; empty for the root.
            pub path: ::std::string::String,
            /// What is wrong, e.g. `must be at least 8 characters long`.
            pub message: ::std::string::String,
        }

        impl ::std::fmt::Display for Violation {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{} {}", self.path, self.message) }
            }
        }

        /// Checks of the constraints a type cannot express.
        pub trait Validate {
            /// Appends every violation found under `path`.
            fn validate_into(&self, path: &str, errors: &mut ::std::vec::Vec<Violation>);

            /// Every violation, or `Ok` when there is none.
            fn validate(&self) -> ::std::result::Result<(), ::std::vec::Vec<Violation>> {
                let mut errors = ::std::vec::Vec::new();
                self.validate_into("", &mut errors);
                if errors.is_empty() { ::std::result::Result::Ok(()) } else { ::std::result::Result::Err(errors) }
            }
        }

        impl<T: Validate> Validate for ::std::vec::Vec<T> {
            fn validate_into(&self, path: &str, errors: &mut ::std::vec::Vec<Violation>) {
                for (i, item) in self.iter().enumerate() {
                    item.validate_into(&format!("{path}[{i}]"), errors);
                }
            }
        }

        impl<T: Validate> Validate for ::std::collections::BTreeMap<::std::string::String, T> {
            fn validate_into(&self, path: &str, errors: &mut ::std::vec::Vec<Violation>) {
                for (key, item) in self {
                    item.validate_into(&join(path, key), errors);
                }
            }
        }

        impl<T: Validate> Validate for ::std::boxed::Box<T> {
            fn validate_into(&self, path: &str, errors: &mut ::std::vec::Vec<Violation>) {
                (**self).validate_into(path, errors);
            }
        }

        impl<T: Validate> Validate for ::std::option::Option<T> {
            fn validate_into(&self, path: &str, errors: &mut ::std::vec::Vec<Violation>) {
                if let ::std::option::Option::Some(value) = self {
                    value.validate_into(path, errors);
                }
            }
        }

        /// Leaf values have no constraints of their own: theirs are checked where they are used.
        macro_rules! leaves {
            ($($ty:ty),* $(,)?) => {
                $(impl Validate for $ty {
                    fn validate_into(&self, _: &str, _: &mut ::std::vec::Vec<Violation>) {}
                })*
            };
        }

        leaves!(
            ::std::string::String, bool, i32, i64, u8, u16, u32, u64, f32, f64, Email, ::serde_json::Value,
            ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        );
        #chrono_leaves

        /// `parent.child`, or `child` at the root.
        pub fn join(parent: &str, child: &str) -> ::std::string::String {
            if parent.is_empty() { child.to_owned() } else { format!("{parent}.{child}") }
        }

        /// `minLength` / `maxLength`, counted in characters as JSON Schema does.
        pub fn check_length(
            path: &str,
            value: &str,
            min: ::std::option::Option<usize>,
            max: ::std::option::Option<usize>,
            errors: &mut ::std::vec::Vec<Violation>,
        ) {
            let length = value.chars().count();
            if let ::std::option::Option::Some(min) = min && length < min {
                errors.push(Violation { path: path.to_owned(), message: format!("must be at least {min} characters long") });
            }
            if let ::std::option::Option::Some(max) = max && length > max {
                errors.push(Violation { path: path.to_owned(), message: format!("must be at most {max} characters long") });
            }
        }

        /// `minimum` / `maximum` (optionally exclusive) and `multipleOf`.
        #[allow(clippy::too_many_arguments)]
        pub fn check_range(
            path: &str,
            value: f64,
            min: ::std::option::Option<f64>,
            max: ::std::option::Option<f64>,
            exclusive_min: bool,
            exclusive_max: bool,
            multiple_of: ::std::option::Option<f64>,
            errors: &mut ::std::vec::Vec<Violation>,
        ) {
            let mut fail = |message: ::std::string::String| errors.push(Violation { path: path.to_owned(), message });
            if let ::std::option::Option::Some(min) = min {
                if exclusive_min && value <= min {
                    fail(format!("must be greater than {min}"));
                } else if value < min {
                    fail(format!("must not be less than {min}"));
                }
            }
            if let ::std::option::Option::Some(max) = max {
                if exclusive_max && value >= max {
                    fail(format!("must be less than {max}"));
                } else if value > max {
                    fail(format!("must not be greater than {max}"));
                }
            }
            if let ::std::option::Option::Some(step) = multiple_of && step > 0.0 && (value / step).fract() != 0.0 {
                fail(format!("must be a multiple of {step}"));
            }
        }

        /// `minItems` / `maxItems`.
        pub fn check_items(
            path: &str,
            length: usize,
            min: ::std::option::Option<usize>,
            max: ::std::option::Option<usize>,
            errors: &mut ::std::vec::Vec<Violation>,
        ) {
            if let ::std::option::Option::Some(min) = min && length < min {
                errors.push(Violation { path: path.to_owned(), message: format!("must have at least {min} items") });
            }
            if let ::std::option::Option::Some(max) = max && length > max {
                errors.push(Violation { path: path.to_owned(), message: format!("must have at most {max} items") });
            }
        }
    }
}
