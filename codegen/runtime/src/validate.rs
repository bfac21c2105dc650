//! Constraints a type cannot express (`minLength`, `pattern`, `minimum`, `minItems`, …), checked
//! after parsing so a server can name every problem at once. Formats are not here: they are
//! types, checked when parsed.
//!
//! Generated `Validate` impls are short: one [`Checker`] call per constrained field, with the
//! field's [`Limits`] as data.

use std::collections::BTreeMap;

use crate::email::Email;
use crate::nullable::Nullable;

/// One value that breaks a constraint of the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where the value is, e.g. `user.password` or `users[2].email`; empty for the root.
    pub path: String,
    /// What is wrong, e.g. `must be at least 8 characters long`.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{} {}", self.path, self.message) }
    }
}

/// Checks of the constraints a type cannot express.
///
/// Generated types implement [`Validate::check`], one [`Checker`] call per constrained field;
/// containers (`Vec`, maps, `Option`, [`Nullable`], `Box`) implement [`Validate::validate_into`]
/// and pass each element its own path.
pub trait Validate {
    /// Appends every violation found under `path`. The default runs [`Validate::check`].
    fn validate_into(&self, path: &str, errors: &mut Vec<Violation>) {
        self.check(&mut Checker::new(path, errors));
    }

    /// Checks this value's own fields. The default finds nothing: types without constraints
    /// implement the trait with an empty `impl`.
    fn check(&self, check: &mut Checker<'_>) {
        let _ = check;
    }

    /// Every violation, or `Ok` when there is none.
    fn validate(&self) -> Result<(), Vec<Violation>> {
        let mut errors = Vec::new();
        self.validate_into("", &mut errors);
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A field as the [`Checker`] sees it: its value, or `None` when it is absent or `null` (then
/// nothing is checked). Lets generated code pass `&self.field` whatever the field's presence.
pub trait Present {
    /// What is checked: `str` for strings, the number itself, the `Vec` for arrays.
    type Value: ?Sized;

    /// The value, if there is one.
    fn present(&self) -> Option<&Self::Value>;
}

impl Present for String {
    type Value = str;
    fn present(&self) -> Option<&str> {
        Some(self)
    }
}

impl Present for str {
    type Value = str;
    fn present(&self) -> Option<&str> {
        Some(self)
    }
}

impl Present for Email {
    type Value = str;
    fn present(&self) -> Option<&str> {
        Some(self.as_ref())
    }
}

impl<T> Present for Vec<T> {
    type Value = Vec<T>;
    fn present(&self) -> Option<&Vec<T>> {
        Some(self)
    }
}

impl<T: Present + ?Sized> Present for Box<T> {
    type Value = T::Value;
    fn present(&self) -> Option<&T::Value> {
        (**self).present()
    }
}

impl<T: Present> Present for Option<T> {
    type Value = T::Value;
    fn present(&self) -> Option<&T::Value> {
        self.as_ref().and_then(Present::present)
    }
}

impl<T: Present> Present for Nullable<T> {
    type Value = T::Value;
    fn present(&self) -> Option<&T::Value> {
        self.as_value().and_then(Present::present)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, path: &str, errors: &mut Vec<Violation>) {
        for (i, item) in self.iter().enumerate() {
            item.validate_into(&format!("{path}[{i}]"), errors);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_into(&self, path: &str, errors: &mut Vec<Violation>) {
        for (key, item) in self {
            item.validate_into(&join(path, key), errors);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, path: &str, errors: &mut Vec<Violation>) {
        (**self).validate_into(path, errors);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, path: &str, errors: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate_into(path, errors);
        }
    }
}

impl<T: Validate> Validate for Nullable<T> {
    fn validate_into(&self, path: &str, errors: &mut Vec<Violation>) {
        if let Some(value) = self.as_value() {
            value.validate_into(path, errors);
        }
    }
}

/// Leaf values have no constraints of their own: theirs are checked where they are used.
macro_rules! leaves {
    ($($ty:ty),* $(,)?) => {
        $(impl Validate for $ty {})*
    };
}

leaves!(String, bool, i32, i64, u8, u16, u32, u64, f32, f64, Email, serde_json::Value);
leaves!(serde_json::Map<String, serde_json::Value>);
#[cfg(feature = "chrono")]
leaves!(chrono::DateTime<chrono::Utc>, chrono::NaiveDate);
#[cfg(feature = "uuid")]
leaves!(uuid::Uuid);
#[cfg(feature = "base64")]
leaves!(crate::bytes::Base64);

/// `parent.child`, `child` at the root, and `parent` itself for an unnamed child.
fn join(parent: &str, child: &str) -> String {
    match (parent.is_empty(), child.is_empty()) {
        (true, _) => child.to_owned(),
        (false, true) => parent.to_owned(),
        (false, false) => format!("{parent}.{child}"),
    }
}

/// A `pattern`, compiled on first use. `Pattern::new` is `const`, so generated code keeps each
/// pattern in a `static`.
#[cfg(feature = "regex")]
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: std::sync::OnceLock<Option<regex_lite::Regex>>,
}

#[cfg(feature = "regex")]
impl Pattern {
    /// A pattern with the schema's source text.
    pub const fn new(source: &'static str) -> Self {
        Pattern { source, compiled: std::sync::OnceLock::new() }
    }

    /// Whether `value` matches; `None` when the pattern does not compile with this engine
    /// (the generator warns about such patterns and leaves them out, so this is a safety net).
    pub fn matches(&self, value: &str) -> Option<bool> {
        self.compiled.get_or_init(|| regex_lite::Regex::new(self.source).ok()).as_ref().map(|r| r.is_match(value))
    }

    /// The schema's source text.
    pub fn source(&self) -> &'static str {
        self.source
    }
}

/// The value constraints of one schema, as data. Built from [`Limits::NONE`] with the `const`
/// builder methods: `Limits::NONE.min_length(1).max_length(128)`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits {
    /// `minLength`, in characters.
    pub min_length: Option<usize>,
    /// `maxLength`, in characters.
    pub max_length: Option<usize>,
    /// `pattern`.
    #[cfg(feature = "regex")]
    pub pattern: Option<&'static Pattern>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (OpenAPI 3.0's boolean form).
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum` (OpenAPI 3.0's boolean form).
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
}

impl Limits {
    /// No constraint at all.
    pub const NONE: Limits = Limits {
        min_length: None,
        max_length: None,
        #[cfg(feature = "regex")]
        pattern: None,
        minimum: None,
        maximum: None,
        exclusive_minimum: false,
        exclusive_maximum: false,
        multiple_of: None,
        min_items: None,
        max_items: None,
    };

    /// With `minLength`.
    pub const fn min_length(self, value: usize) -> Self {
        Limits { min_length: Some(value), ..self }
    }

    /// With `maxLength`.
    pub const fn max_length(self, value: usize) -> Self {
        Limits { max_length: Some(value), ..self }
    }

    /// With `pattern`.
    #[cfg(feature = "regex")]
    pub const fn pattern(self, value: &'static Pattern) -> Self {
        Limits { pattern: Some(value), ..self }
    }

    /// With an inclusive `minimum`.
    pub const fn minimum(self, value: f64) -> Self {
        Limits { minimum: Some(value), ..self }
    }

    /// With an exclusive `minimum` (OpenAPI 3.0's `exclusiveMinimum: true`).
    pub const fn exclusive_minimum(self, value: f64) -> Self {
        Limits { minimum: Some(value), exclusive_minimum: true, ..self }
    }

    /// With an inclusive `maximum`.
    pub const fn maximum(self, value: f64) -> Self {
        Limits { maximum: Some(value), ..self }
    }

    /// With an exclusive `maximum` (OpenAPI 3.0's `exclusiveMaximum: true`).
    pub const fn exclusive_maximum(self, value: f64) -> Self {
        Limits { maximum: Some(value), exclusive_maximum: true, ..self }
    }

    /// With `multipleOf`.
    pub const fn multiple_of(self, value: f64) -> Self {
        Limits { multiple_of: Some(value), ..self }
    }

    /// With `minItems`.
    pub const fn min_items(self, value: usize) -> Self {
        Limits { min_items: Some(value), ..self }
    }

    /// With `maxItems`.
    pub const fn max_items(self, value: usize) -> Self {
        Limits { max_items: Some(value), ..self }
    }
}

/// Limits with one constraint, which generated code starts its chains with:
/// `rt::min_length(1).max_length(200)` is `Limits::NONE.min_length(1).max_length(200)`. The
/// short start keeps a check call on one line; written out, most of Stripe's did not fit.
pub mod start {
    use super::Limits;
    #[cfg(feature = "regex")]
    use super::Pattern;

    macro_rules! starts {
        ($($(#[$attr:meta])* $name:ident($ty:ty);)*) => {$(
            $(#[$attr])*
            #[doc = concat!("`Limits::NONE.", stringify!($name), "(value)`.")]
            pub const fn $name(value: $ty) -> Limits {
                Limits::NONE.$name(value)
            }
        )*};
    }

    starts! {
        min_length(usize);
        max_length(usize);
        #[cfg(feature = "regex")]
        pattern(&'static Pattern);
        minimum(f64);
        exclusive_minimum(f64);
        maximum(f64);
        exclusive_maximum(f64);
        multiple_of(f64);
        min_items(usize);
        max_items(usize);
    }
}

/// Numbers compared with `minimum`, `maximum` and `multipleOf`.
pub trait Number: Copy {
    /// The value as a float (exact for every integer up to 2^53).
    fn as_f64(self) -> f64;
}

macro_rules! numbers {
    ($($ty:ty),*) => {
        $(impl Number for $ty {
            fn as_f64(self) -> f64 {
                self as f64
            }
        })*
    };
}

numbers!(i32, i64, u8, u16, u32, u64, f32, f64);

macro_rules! present_numbers {
    ($($ty:ty),*) => {
        $(impl Present for $ty {
            type Value = $ty;
            fn present(&self) -> Option<&$ty> {
                Some(self)
            }
        })*
    };
}

present_numbers!(i32, i64, u8, u16, u32, u64, f32, f64);

/// Collects the violations of one value's fields under its path. Every method takes the field's
/// wire name (empty for the value itself) and a reference to the field, whatever its presence
/// (`Option`, [`Nullable`]): an absent or `null` value has nothing to check.
#[derive(Debug)]
pub struct Checker<'a> {
    path: &'a str,
    errors: &'a mut Vec<Violation>,
}

impl<'a> Checker<'a> {
    /// Checks fields of the value at `path`, appending to `errors`.
    pub fn new(path: &'a str, errors: &'a mut Vec<Violation>) -> Self {
        Checker { path, errors }
    }

    fn fail(&mut self, name: &str, message: String) {
        self.errors.push(Violation { path: join(self.path, name), message });
    }

    /// `dependentRequired`: when the field `name` is present, each of `required` (a field's
    /// wire name and whether it is present) must be too.
    pub fn dependent(&mut self, name: &str, present: bool, required: &[(&str, bool)]) {
        if !present {
            return;
        }
        for (other, _) in required.iter().filter(|(_, there)| !there) {
            self.fail(other, format!("is required when `{name}` is present"));
        }
    }

    /// A string: length (in characters, as JSON Schema counts) and pattern.
    pub fn text<F: Present<Value = str> + ?Sized>(&mut self, name: &str, field: &F, limits: &Limits) {
        let Some(value) = field.present() else { return };
        let length = value.chars().count();
        if let Some(min) = limits.min_length
            && length < min
        {
            self.fail(name, format!("must be at least {min} characters long"));
        }
        if let Some(max) = limits.max_length
            && length > max
        {
            self.fail(name, format!("must be at most {max} characters long"));
        }
        #[cfg(feature = "regex")]
        if let Some(pattern) = limits.pattern
            && pattern.matches(value) == Some(false)
        {
            self.fail(name, format!("must match the pattern {}", pattern.source()));
        }
    }

    /// A number: bounds (optionally exclusive) and `multipleOf`.
    pub fn number<F: Present + ?Sized>(&mut self, name: &str, field: &F, limits: &Limits)
    where
        F::Value: Number,
    {
        let Some(value) = field.present().map(|v| v.as_f64()) else { return };
        if let Some(min) = limits.minimum {
            if limits.exclusive_minimum && value <= min {
                self.fail(name, format!("must be greater than {min}"));
            } else if value < min {
                self.fail(name, format!("must not be less than {min}"));
            }
        }
        if let Some(max) = limits.maximum {
            if limits.exclusive_maximum && value >= max {
                self.fail(name, format!("must be less than {max}"));
            } else if value > max {
                self.fail(name, format!("must not be greater than {max}"));
            }
        }
        if let Some(step) = limits.multiple_of
            && step > 0.0
            && (value / step).fract() != 0.0
        {
            self.fail(name, format!("must be a multiple of {step}"));
        }
    }

    /// An array: the number of items, then each item's own checks.
    pub fn items<T: Validate, F: Present<Value = Vec<T>> + ?Sized>(&mut self, name: &str, field: &F, limits: &Limits) {
        let Some(value) = field.present() else { return };
        if let Some(min) = limits.min_items
            && value.len() < min
        {
            self.fail(name, format!("must have at least {min} items"));
        }
        if let Some(max) = limits.max_items
            && value.len() > max
        {
            self.fail(name, format!("must have at most {max} items"));
        }
        self.nested(name, value);
    }

    /// Each string of an array against the `items` schema's `limits`; a violation names the
    /// item (`tags[2]`).
    pub fn each_text<T: Present<Value = str>, F: Present<Value = Vec<T>> + ?Sized>(
        &mut self,
        name: &str,
        field: &F,
        limits: &Limits,
    ) {
        let Some(items) = field.present() else { return };
        let list = join(self.path, name);
        for (i, item) in items.iter().enumerate() {
            Checker::new(&format!("{list}[{i}]"), self.errors).text("", item, limits);
        }
    }

    /// Each number of an array against the `items` schema's `limits`.
    pub fn each_number<T: Present, F: Present<Value = Vec<T>> + ?Sized>(
        &mut self,
        name: &str,
        field: &F,
        limits: &Limits,
    ) where
        T::Value: Number,
    {
        let Some(items) = field.present() else { return };
        let list = join(self.path, name);
        for (i, item) in items.iter().enumerate() {
            Checker::new(&format!("{list}[{i}]"), self.errors).number("", item, limits);
        }
    }

    /// A value with checks of its own (a generated type, or a container of them; an absent
    /// `Option` has none).
    pub fn nested<T: Validate + ?Sized>(&mut self, name: &str, value: &T) {
        value.validate_into(&join(self.path, name), self.errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Account {
        name: String,
        nickname: Option<String>,
        motto: Nullable<String>,
        age: i64,
        tags: Vec<String>,
        friends: Vec<Account>,
    }

    impl Validate for Account {
        fn check(&self, check: &mut Checker<'_>) {
            check.text("name", &self.name, &Limits::NONE.min_length(2).max_length(4));
            check.text("nickname", &self.nickname, &Limits::NONE.min_length(3));
            check.text("motto", &self.motto, &Limits::NONE.max_length(5));
            check.number("age", &self.age, &Limits::NONE.exclusive_minimum(0.0));
            check.items("tags", &self.tags, &Limits::NONE.max_items(1));
            check.each_text("tags", &self.tags, &Limits::NONE.max_length(3));
            check.nested("friends", &self.friends);
        }
    }

    fn account(name: &str, age: i64) -> Account {
        Account { name: name.into(), nickname: None, motto: Nullable::Null, age, tags: Vec::new(), friends: Vec::new() }
    }

    #[test]
    fn a_valid_value_has_no_violation() {
        assert_eq!(account("Ann", 3).validate(), Ok(()));
    }

    #[test]
    fn every_violation_is_named_with_its_path() {
        let mut value = account("Å", 0);
        value.nickname = Some("x".into());
        value.motto = Nullable::Value("carpe diem".into());
        value.tags = vec!["a".into(), "bcde".into()];
        value.friends = vec![account("Bob", 1), account("Alexandra", 2)];
        let messages: Vec<String> = value.validate().unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "name must be at least 2 characters long",
                "nickname must be at least 3 characters long",
                "motto must be at most 5 characters long",
                "age must be greater than 0",
                "tags must have at most 1 items",
                "tags[1] must be at most 3 characters long",
                "friends[1].name must be at most 4 characters long",
            ]
        );
    }

    #[test]
    fn a_present_field_requires_its_dependents() {
        let mut errors = Vec::new();
        let mut check = Checker::new("card", &mut errors);
        check.dependent("number", true, &[("expiry", false), ("holder", true), ("cvc", false)]);
        check.dependent("iban", false, &[("bic", false)]);
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            ["card.expiry is required when `number` is present", "card.cvc is required when `number` is present"]
        );
    }

    #[test]
    fn each_item_of_a_list_is_checked_and_named() {
        let mut errors = Vec::new();
        let scores: Option<Vec<i64>> = Some(vec![3, -1, 7, -2]);
        Checker::new("game", &mut errors).each_number("scores", &scores, &Limits::NONE.minimum(0.0));
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages, ["game.scores[1] must not be less than 0", "game.scores[3] must not be less than 0"]);
        let absent: Option<Vec<String>> = None;
        Checker::new("", &mut errors).each_text("names", &absent, &Limits::NONE.min_length(1));
        assert_eq!(errors.len(), 2, "an absent list has no items to check");
    }

    #[test]
    fn number_bounds_and_steps() {
        let mut errors = Vec::new();
        let limits = Limits::NONE.minimum(1.0).maximum(10.0).multiple_of(2.5);
        let mut check = Checker::new("", &mut errors);
        for value in [0.0, 5.0, 11.0, 3.0] {
            check.number("n", &value, &limits);
        }
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "must not be less than 1",
                "must not be greater than 10",
                "must be a multiple of 2.5",
                "must be a multiple of 2.5"
            ]
        );
    }

    #[test]
    fn unnamed_children_keep_the_parent_path() {
        assert_eq!(join("a", ""), "a");
        assert_eq!(join("", "b"), "b");
        assert_eq!(join("a", "b"), "a.b");
    }

    #[cfg(feature = "regex")]
    #[test]
    fn patterns_are_checked_and_bad_ones_skipped() {
        static DIGITS: Pattern = Pattern::new("^[0-9]+$");
        static BROKEN: Pattern = Pattern::new("(?<=a)b");
        let mut errors = Vec::new();
        let mut check = Checker::new("", &mut errors);
        check.text("code", "12a", &Limits::NONE.pattern(&DIGITS));
        check.text("code", "12", &Limits::NONE.pattern(&DIGITS));
        check.text("other", "b", &Limits::NONE.pattern(&BROKEN));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].to_string(), "code must match the pattern ^[0-9]+$");
    }
}
