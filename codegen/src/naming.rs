//! Rust names from spec names: case conversion with `heck`, symbols that carry meaning (`+1`,
//! `-1`) spelled out, keywords and leading digits handled, and collisions resolved in a fixed
//! order so that output never depends on hash order.
//!
//! Every name leaving this module is a non-empty ASCII identifier (`[A-Za-z_][A-Za-z0-9_]*`,
//! never `_` alone), which is what makes building `proc_macro2::Ident`s from it infallible.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Words in the strict and reserved keyword lists of Rust 2024.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Methods of std's traits: those clippy's `should_implement_trait` knows, those the generated
/// types derive, and the blanket ones every type has (`into`, `borrow`, …). An inherent method
/// of that name would shadow the trait's (`value.clone()`), lose to it (`value.into(…)` finds
/// `Into::into` first) or be flagged, so generated inherent methods never take one. Not
/// `default`: `Default::default` takes no `self`, and untagged operations are `client.default()`.
#[rustfmt::skip]
pub const STD_METHODS: &[&str] = &[
    "add", "as_mut", "as_ref", "bitand", "bitor", "bitxor", "borrow", "borrow_mut", "clone", "clone_from", "clone_into",
    "cmp", "deref", "deref_mut", "div", "drop", "eq", "fmt", "from", "from_iter", "from_str", "hash",
    "index", "index_mut", "into", "into_iter", "mul", "ne", "neg", "next", "not", "partial_cmp", "rem", "shl", "shr",
    "sub", "to_owned", "to_string", "try_from", "try_into", "type_id",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Spells out the symbols whose meaning would otherwise be lost (`+1` vs `-1`) and turns every
/// other non-alphanumeric character into a word boundary.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let chars: Vec<char> = raw.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        let prev_is_boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric(); // ok: i > 0 here
        match c {
            '+' => out.push_str(" plus "),
            // `-1` is minus one; a leading `-` (`-created_at`, a descending sort) is a sign too.
            '-' if (next_is_digit && prev_is_boundary) || i == 0 => out.push_str(" minus "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

fn finish(mut name: String, fallback: &str) -> String {
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() || name.chars().all(|c| c == '_') {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, if fallback.starts_with(char::is_uppercase) { 'N' } else { 'n' });
        if fallback.starts_with(char::is_lowercase) {
            name.insert(1, '_');
        }
    }
    name
}

/// `UpperCamelCase` name for a type or enum variant.
pub fn type_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "Value")
}

/// `snake_case` name for a field, method or module.
pub fn field_name(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "value")
}

/// A validated identifier: either plain or raw (`r#type`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RustIdent {
    name: String,
    raw: bool,
}

impl RustIdent {
    /// Wraps a name produced by this module, making keywords usable.
    pub fn new(name: &str) -> Self {
        let checked = finish(name.to_owned(), "value");
        if NOT_RAW.contains(&checked.as_str()) {
            RustIdent { name: format!("{checked}_"), raw: false }
        } else {
            RustIdent { raw: KEYWORDS.contains(&checked.as_str()), name: checked }
        }
    }

    /// The name without any `r#`: what serde sees as the field name.
    pub fn unraw(&self) -> &str {
        &self.name
    }

    pub fn ident(&self) -> Ident {
        // ok: `finish` guarantees an ASCII identifier that is not `_`, and NOT_RAW words never
        // reach `new_raw`, so neither constructor can panic.
        if self.raw { Ident::new_raw(&self.name, Span::call_site()) } else { Ident::new(&self.name, Span::call_site()) }
    }
}

/// Hands out unique names within one scope (a module, a struct's fields, an enum's variants).
/// The first claimant keeps a name; later ones get `2`, `3`, … appended.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namer { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    pub fn claim(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        (2..).map(|n| format!("{base}{sep}{n}")).find(|candidate| self.taken.insert(candidate.clone())).unwrap_or(base) // ok: the range is unbounded, so a free name is always found
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// Levenshtein distance, for suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0]; // ok: the row has b.len() + 1 >= 1 entries
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1]; // ok: j + 1 <= b.len()
            row[j + 1] = substitution.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()] // ok: the row has b.len() + 1 entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(field_name("reactions-+1"), "reactions_plus_1");
        assert_eq!(field_name("reactions--1"), "reactions_minus_1");
        assert_eq!(type_name("+1"), "Plus1");
        assert_eq!(type_name("-1"), "Minus1");
        assert_eq!(type_name("a-b"), "AB");
        assert_eq!(type_name("-created_at"), "MinusCreatedAt");
        assert_eq!(field_name("createdAt"), "created_at");
        assert_eq!(field_name("@type"), "type");
        assert_eq!(field_name("123abc"), "n_123abc");
        assert_eq!(type_name("2fa"), "N2fa");
        assert_eq!(field_name("$$$"), "value");
        assert_eq!(type_name(""), "Value");
        assert_eq!(type_name("日本"), "Value");
        assert_eq!(type_name("user-role"), "UserRole");
    }

    #[test]
    fn keywords() {
        assert_eq!(RustIdent::new("type").ident().to_string(), "r#type");
        assert_eq!(RustIdent::new("self").ident().to_string(), "self_");
        assert_eq!(RustIdent::new("Self").ident().to_string(), "Self_");
        assert_eq!(RustIdent::new("type").unraw(), "type");
        assert_eq!(RustIdent::new("name").ident().to_string(), "name");
    }

    #[test]
    fn collisions_are_resolved_in_claim_order() {
        let mut namer = Namer::default();
        assert_eq!(namer.claim(type_name("add")), "Add");
        assert_eq!(namer.claim(type_name("Add")), "Add2");
        assert_eq!(namer.claim(type_name("ADD")), "Add3");
        assert_eq!(namer.claim("V1".into()), "V1");
        assert_eq!(namer.claim("V1".into()), "V1_2");
    }
}
