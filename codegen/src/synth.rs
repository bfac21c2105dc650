//! Values made up from IR types, for the mock server where the spec gives no example. They are
//! built from the same IR the models are emitted from, so they decode into the generated types
//! by construction; they are deterministic, honour formats, enums, required fields, defaults and
//! bounds, and stay small (optional fields only near the top).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ir::{Constraints, IntegerWidth, Ir, Struct, Type, TypeDef, TypeKind, Union, pattern_supported};

/// Optional fields are filled in down to this many named types deep; below, only required
/// ones, which keeps a value of a wide, deeply nested schema (GitHub's) a few hundred bytes.
const OPTIONAL_DEPTH: usize = 2;

/// Strings tried, in order, against a `pattern`; the first that matches is used.
const PATTERN_CANDIDATES: &[&str] =
    &["string", "a", "A", "0", "1", "abc", "ABC", "a1", "example", "a-b", "a_b", "a.b", "x@example.com", "2024-01-01"];

/// Makes values of the types of one IR.
pub struct Synth<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
}

/// A made-up value, and what it could not honour (for a warning).
#[derive(Debug, PartialEq)]
pub struct Made {
    pub value: Value,
    /// E.g. `pattern ^[A-Z]{3}$`: constraints the value may break.
    pub unmet: Vec<String>,
}

impl<'a> Synth<'a> {
    pub fn new(ir: &'a Ir) -> Self {
        Synth { types: ir.types.iter().map(|t| (t.name.unraw(), t)).collect() }
    }

    /// A value of `ty` within `constraints`; `None` when the type has no finite value (a cycle
    /// of required fields).
    pub fn value(&self, ty: &Type, constraints: &Constraints) -> Option<Made> {
        let mut unmet = Vec::new();
        let value = self.make(ty, constraints, 0, &mut Vec::new(), &mut unmet)?;
        Some(Made { value, unmet })
    }

    fn make(
        &self,
        ty: &Type,
        c: &Constraints,
        salt: usize,
        stack: &mut Vec<&'a str>,
        unmet: &mut Vec<String>,
    ) -> Option<Value> {
        Some(match ty {
            Type::String => Value::String(text(c, salt, unmet)),
            Type::Email => {
                Value::String(if salt == 0 { "user@example.com".to_owned() } else { format!("user{salt}@example.com") })
            }
            Type::DateTime => Value::String(format!("2024-01-01T00:00:{:02}Z", salt % 60)),
            Type::Date => Value::String(format!("2024-01-{:02}", 1 + salt % 28)),
            Type::Uuid => Value::String(format!("00000000-0000-4000-8000-{salt:012x}")),
            // Base64 of `salt` as one byte: "AA==", "AQ==", …
            Type::Bytes => Value::String(base64_byte(salt)),
            Type::Integer(width) => integer(*width, c, salt),
            Type::Float(_) => float(c, salt),
            Type::Boolean => Value::Bool(salt.is_multiple_of(2)),
            Type::Any | Type::FreeObject | Type::Map(_) => Value::Object(Map::new()),
            // Not known here: `null` decodes into every optional field, and the warning says so.
            Type::Custom(path) => {
                unmet.push(format!("type {path} (made up as null)"));
                Value::Null
            }
            Type::Array(item) => {
                let count = c.min_items.unwrap_or(0);
                let item_constraints = c.items.as_deref().cloned().unwrap_or_default();
                let mut items = Vec::with_capacity(count);
                for i in 0..count {
                    // Distinct items satisfy `uniqueItems` for every scalar and most objects.
                    items.push(self.make(item, &item_constraints, salt + i, stack, unmet)?);
                }
                Value::Array(items)
            }
            Type::Named(name) => {
                let def: &'a TypeDef = self.types.get(name.unraw())?;
                if stack.contains(&def.name.unraw()) {
                    return None;
                }
                stack.push(def.name.unraw());
                let value = self.named(def, c, salt, stack, unmet);
                stack.pop();
                value?
            }
        })
    }

    fn named(
        &self,
        def: &'a TypeDef,
        c: &Constraints,
        salt: usize,
        stack: &mut Vec<&'a str>,
        unmet: &mut Vec<String>,
    ) -> Option<Value> {
        match &def.kind {
            TypeKind::Struct(s) => self.object(s, salt, stack, unmet).map(Value::Object),
            TypeKind::Enum(e) => {
                let index = match e.default {
                    Some(default) if salt == 0 => default,
                    _ => salt % e.variants.len().max(1),
                };
                e.variants.get(index).map(|v| Value::String(v.wire_name.clone()))
            }
            TypeKind::Union(u) => self.union(u, salt, stack, unmet),
            TypeKind::Alias(inner) | TypeKind::Newtype(inner) => self.make(inner, c, salt, stack, unmet),
        }
    }

    fn object(
        &self,
        s: &Struct,
        salt: usize,
        stack: &mut Vec<&'a str>,
        unmet: &mut Vec<String>,
    ) -> Option<Map<String, Value>> {
        let mut out = Map::new();
        for field in &s.fields {
            // A field's own default is valid by the spec's word; `null` where it is allowed and
            // nothing else can be made.
            let made = match &field.default {
                Some(default) => Some(default.clone()),
                None if field.required || stack.len() <= OPTIONAL_DEPTH => {
                    self.make(&field.ty, &field.constraints, salt, stack, unmet)
                }
                None => None,
            };
            match made {
                Some(value) => {
                    out.insert(field.wire_name.clone(), value);
                }
                None if field.required && field.nullable => {
                    out.insert(field.wire_name.clone(), Value::Null);
                }
                None if field.required => return None,
                None => {}
            }
        }
        Some(out)
    }

    fn union(&self, u: &Union, salt: usize, stack: &mut Vec<&'a str>, unmet: &mut Vec<String>) -> Option<Value> {
        // The first variant that has a value: for an untagged union that is also the first one
        // serde tries that can match it.
        u.variants.iter().find_map(|variant| {
            let mut value = self.make(&variant.ty, &Constraints::default(), salt, stack, unmet)?;
            if let Some(d) = &u.discriminator {
                let tag = variant.tags.first().cloned().unwrap_or_else(|| variant.name.unraw().to_owned());
                value.as_object_mut()?.insert(d.property.clone(), Value::String(tag));
            }
            Some(value)
        })
    }
}

/// A string within the length bounds, matching the pattern when one of a few usual shapes does.
fn text(c: &Constraints, salt: usize, unmet: &mut Vec<String>) -> String {
    let fit = |base: &str| {
        let mut s: String = if salt == 0 { base.to_owned() } else { format!("{base}{salt}") };
        let min = c.min_length.unwrap_or(0);
        while s.chars().count() < min {
            s.push('x');
        }
        if let Some(max) = c.max_length {
            s = s.chars().take(max).collect();
        }
        s
    };
    let Some(pattern) = &c.pattern else { return fit("string") };
    if pattern_supported(pattern)
        && let Ok(regex) = regex_lite::Regex::new(pattern)
    {
        for candidate in PATTERN_CANDIDATES {
            let s = fit(candidate);
            if regex.is_match(&s) {
                return s;
            }
        }
    }
    unmet.push(format!("pattern {pattern}"));
    fit("string")
}

fn base64_byte(salt: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let byte = salt % 256;
    let first = ALPHABET.get(byte >> 2).copied().unwrap_or(b'A');
    let second = ALPHABET.get((byte & 3) << 4).copied().unwrap_or(b'A');
    format!("{}{}==", first as char, second as char)
}

/// The smallest allowed value at or above `0 + salt` (or the largest allowed below a negative
/// maximum), a multiple of `multipleOf` where one is asked.
fn bounded(c: &Constraints, salt: f64, step: f64) -> f64 {
    let low = c.minimum.map(|m| if c.exclusive_minimum { m + step } else { m });
    let high = c.maximum.map(|m| if c.exclusive_maximum { m - step } else { m });
    let mut v = match (low, high) {
        (Some(low), _) => low + salt,
        (None, Some(high)) if high < salt => high,
        _ => salt,
    };
    let multiple = c.multiple_of.filter(|m| *m > 0.0);
    if let Some(m) = multiple {
        v = (v / m).ceil() * m;
    }
    if let Some(high) = high
        && v > high
    {
        v = match multiple {
            Some(m) => (high / m).floor() * m,
            None => high,
        };
    }
    v
}

fn integer(width: IntegerWidth, c: &Constraints, salt: usize) -> Value {
    let unsigned = matches!(width, IntegerWidth::U8 | IntegerWidth::U16 | IntegerWidth::U32 | IntegerWidth::U64);
    let v = bounded(c, (salt % 100) as f64, 1.0).round();
    let v = if unsigned { v.max(0.0) } else { v };
    json!(v as i64)
}

fn float(c: &Constraints, salt: usize) -> Value {
    let step = c.multiple_of.filter(|m| *m > 0.0).unwrap_or(0.5);
    let v = bounded(c, (salt % 100) as f64, step);
    serde_json::Number::from_f64(v).map(Value::Number).unwrap_or(json!(0))
}
