//! Values made up from IR types, for the mock server where the spec gives no example. They are
//! built from the same IR the models are emitted from, so they decode into the generated types
//! by construction; they are deterministic, honour formats, enums, required fields, defaults and
//! bounds, and stay small (optional fields only near the top).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ir::{Constraints, IntegerWidth, Ir, Struct, Type, TypeDef, TypeKind, Union, pattern_supported};

/// How values are made. The mock uses [`Profile::USUAL`]; the round-trip harness sends each
/// operation values of every profile, to reach absent and present fields, nulls, empty and
/// many-element arrays, reserved characters and numbers at their bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Optional fields are filled in down to this many named types deep; below, only required
    /// ones (`None`: no optional field at all).
    pub optional_depth: Option<usize>,
    /// Items in an array without `minItems` (fewer where `maxItems` or the item's values allow).
    pub items: usize,
    /// The text of a string without a pattern, cut or padded to its length bounds.
    pub text: &'static str,
    /// Numbers at their upper bound (their type's largest without one), else at their lower.
    pub high: Option<bool>,
    /// Nullable fields are `null`.
    pub nulls: bool,
}

impl Profile {
    /// Small and plain: optional fields two named types deep, which keeps a value of a wide,
    /// deeply nested schema (GitHub's) a few hundred bytes.
    pub const USUAL: Profile = Profile { optional_depth: Some(2), items: 0, text: "string", high: None, nulls: false };
    /// Only what is required, arrays at their minimum, numbers at their lower bounds.
    pub const SPARSE: Profile = Profile { optional_depth: None, items: 0, text: "", high: Some(false), nulls: false };
    /// Every optional field (to a bounded depth), three-element arrays, text with unicode and the
    /// characters URLs and forms reserve, numbers at their upper bounds.
    pub const RICH: Profile = Profile {
        optional_depth: Some(3),
        items: 3,
        text: "Zoë ✓ a/b?c=d&e#f,g;h%20+i [j]",
        high: Some(true),
        nulls: false,
    };
    /// The usual value with every nullable field `null`.
    pub const NULLS: Profile = Profile { nulls: true, ..Profile::USUAL };

    /// The same, with text that a header or a cookie can carry: HTTP gives them no encoding
    /// for characters beyond visible ASCII, and OpenAPI's `simple` style none for a comma.
    pub fn for_header(self) -> Profile {
        self.with_rich_text("Zoe a/b?c=d&e#f%20+i")
    }

    /// The same, with text free of every style's delimiters (`,` `;` `.` `=` `|` and space):
    /// an item of an array or object parameter that holds one cannot be told from two items
    /// once percent-decoded (see the runtime's `params` module).
    pub fn for_items(self) -> Profile {
        self.with_rich_text("Zoë✓a/b?c&e#f%20+i[j]")
    }

    fn with_rich_text(self, text: &'static str) -> Profile {
        let text = if self.text.is_empty() || self.text == "string" { self.text } else { text };
        Profile { text, ..self }
    }
}

/// Strings tried, in order, against a `pattern`; the first that matches is used.
const PATTERN_CANDIDATES: &[&str] =
    &["string", "a", "A", "0", "1", "abc", "ABC", "a1", "example", "a-b", "a_b", "a.b", "x@example.com", "2024-01-01"];

/// Makes values of the types of one IR.
pub struct Synth<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    profile: Profile,
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
        Synth { types: ir.types.iter().map(|t| (t.name.unraw(), t)).collect(), profile: Profile::USUAL }
    }

    /// The same types, made in another profile.
    pub fn with_profile(&self, profile: Profile) -> Self {
        Synth { types: self.types.clone(), profile }
    }

    pub fn profile(&self) -> Profile {
        self.profile
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
            Type::String => Value::String(text(c, salt, self.profile.text, unmet)),
            Type::Email => {
                Value::String(if salt == 0 { "user@example.com".to_owned() } else { format!("user{salt}@example.com") })
            }
            Type::DateTime => Value::String(format!("2024-01-01T00:00:{:02}Z", salt % 60)),
            Type::Date => Value::String(format!("2024-01-{:02}", 1 + salt % 28)),
            Type::Uuid => Value::String(format!("00000000-0000-4000-8000-{salt:012x}")),
            // Base64 of `salt` as one byte: "AA==", "AQ==", …
            Type::Bytes => Value::String(base64_byte(salt)),
            // The runtime's `File`: empty and without a name where nothing optional is made (its
            // media type is kept: a client sends the encoding's where a file names none), bytes
            // that are not UTF-8 and a unicode name where the text is rich.
            Type::File => match (self.profile.optional_depth, self.profile.items) {
                (None, _) => json!({"content_type": "application/octet-stream", "bytes": []}),
                (_, 0) => {
                    json!({"name": format!("file{salt}.bin"), "content_type": "application/octet-stream", "bytes": [98, 121, 116, 101, 115]})
                }
                _ => {
                    json!({"name": format!("Zoë ✓ {salt}.png"), "content_type": "image/png", "bytes": [137, 80, 78, 71, 0, 255, 13, 10]})
                }
            },
            Type::Integer(width) => integer(*width, c, salt, self.profile.high),
            Type::Float(_) => float(c, salt, self.profile.high),
            Type::Boolean => Value::Bool(salt.is_multiple_of(2)),
            Type::Any | Type::FreeObject | Type::Map(_) => Value::Object(Map::new()),
            // Not known here: `null` decodes into every optional field, and the warning says so.
            Type::Custom(path) => {
                unmet.push(format!("type {path} (made up as null)"));
                Value::Null
            }
            Type::Array(item) => {
                let mut count = c.min_items.unwrap_or(0).max(self.profile.items);
                if let Some(max) = c.max_items {
                    count = count.min(max);
                }
                // Distinct items (for `uniqueItems`) run out with a small enum or a boolean.
                let distinct = match &**item {
                    Type::Boolean => Some(2),
                    Type::Named(name) => match self.types.get(name.unraw()).map(|def| &def.kind) {
                        Some(TypeKind::Enum(e)) => Some(e.variants.len()),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(distinct) = distinct {
                    count = count.min(distinct.max(c.min_items.unwrap_or(0)));
                }
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
            let optional = self.profile.optional_depth.is_some_and(|depth| stack.len() <= depth);
            let made = match &field.default {
                _ if field.nullable && self.profile.nulls && (field.required || optional) => Some(Value::Null),
                Some(default) => Some(default.clone()),
                None if field.required || optional => self.make(&field.ty, &field.constraints, salt, stack, unmet),
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
            let mut value = match &variant.ty {
                Some(ty) => self.make(ty, &Constraints::default(), salt, stack, unmet)?,
                None => Value::Object(Map::new()),
            };
            if let Some(d) = &u.discriminator {
                let tag = variant.tags.first().cloned().unwrap_or_else(|| variant.name.unraw().to_owned());
                value.as_object_mut()?.insert(d.property.clone(), Value::String(tag));
            }
            Some(value)
        })
    }
}

/// A string within the length bounds, matching the pattern when one of a few usual shapes does.
fn text(c: &Constraints, salt: usize, plain: &str, unmet: &mut Vec<String>) -> String {
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
    let Some(pattern) = &c.pattern else { return fit(plain) };
    if pattern_supported(pattern)
        && let Ok(regex) = regex_lite::Regex::new(pattern)
    {
        let within = |s: &str| {
            let n = s.chars().count();
            c.min_length.is_none_or(|min| n >= min) && c.max_length.is_none_or(|max| n <= max)
        };
        for candidate in PATTERN_CANDIDATES {
            let s = fit(candidate);
            if regex.is_match(&s) {
                return s;
            }
        }
        if let Some(sample) = pattern_sample(pattern).filter(|s| regex.is_match(s) && within(s)) {
            return sample;
        }
    }
    unmet.push(format!("pattern {pattern}"));
    fit("string")
}

/// The shortest string the pattern's syntax spells (first alternatives, fewest repetitions,
/// letters and digits from classes), or `None` where it cannot be read. The caller checks it
/// against the pattern, which look-around assertions can still refuse.
fn pattern_sample(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut out = String::new();
    spell(&hir, &mut out).then_some(out)
}

fn spell(hir: &regex_syntax::hir::Hir, out: &mut String) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
            Ok(text) => {
                out.push_str(text);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(Class::Unicode(class)) => {
            let chars = class.ranges().iter().flat_map(|r| (r.start()..=r.end()).take(128));
            let pick =
                chars.clone().find(char::is_ascii_alphanumeric).or_else(|| chars.clone().find(char::is_ascii_graphic));
            match pick.or_else(|| class.ranges().first().map(|r| r.start())) {
                Some(c) => {
                    out.push(c);
                    true
                }
                None => false,
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            let bytes = class.ranges().iter().flat_map(|r| r.start()..=r.end());
            match bytes.clone().find(u8::is_ascii_alphanumeric).or_else(|| bytes.clone().find(u8::is_ascii_graphic)) {
                Some(b) => {
                    out.push(char::from(b));
                    true
                }
                None => false,
            }
        }
        HirKind::Repetition(repetition) => (0..repetition.min).all(|_| spell(&repetition.sub, out)),
        HirKind::Capture(capture) => spell(&capture.sub, out),
        HirKind::Concat(parts) => parts.iter().all(|part| spell(part, out)),
        HirKind::Alternation(alternatives) => alternatives.iter().any(|alternative| {
            let mut attempt = out.clone();
            let spelled = spell(alternative, &mut attempt);
            if spelled {
                *out = attempt;
            }
            spelled
        }),
    }
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

fn integer(width: IntegerWidth, c: &Constraints, salt: usize, high: Option<bool>) -> Value {
    let unsigned = matches!(width, IntegerWidth::U8 | IntegerWidth::U16 | IntegerWidth::U32 | IntegerWidth::U64);
    let Some(high) = high else {
        let v = bounded(c, (salt % 100) as f64, 1.0).round();
        let v = if unsigned { v.max(0.0) } else { v };
        return json!(v as i64);
    };
    // At a bound: the type's own range narrowed by the schema's, in integers so that 64-bit
    // limits stay exact.
    let (mut low, mut top): (i128, i128) = match width {
        IntegerWidth::I32 => (i32::MIN.into(), i32::MAX.into()),
        IntegerWidth::I64 => (i64::MIN.into(), i64::MAX.into()),
        IntegerWidth::U8 => (0, u8::MAX.into()),
        IntegerWidth::U16 => (0, u16::MAX.into()),
        IntegerWidth::U32 => (0, u32::MAX.into()),
        IntegerWidth::U64 => (0, u64::MAX.into()),
    };
    if let Some(m) = c.minimum.filter(|m| m.is_finite() && m.abs() < 1e18) {
        let m = if c.exclusive_minimum { m.floor() as i128 + 1 } else { m.ceil() as i128 };
        low = low.max(m);
    }
    if let Some(m) = c.maximum.filter(|m| m.is_finite() && m.abs() < 1e18) {
        let m = if c.exclusive_maximum { m.ceil() as i128 - 1 } else { m.floor() as i128 };
        top = top.min(m);
    }
    let step = c.multiple_of.filter(|m| *m >= 1.0 && m.fract() == 0.0 && *m < 1e18).map(|m| m as i128);
    // `salt` steps inwards from the bound, so the items of an array stay distinct.
    let salt = i128::try_from(salt % 100).unwrap_or(0);
    let v = match (high, step) {
        (true, Some(m)) => (top.div_euclid(m) - salt) * m,
        (false, Some(m)) => (-((-low).div_euclid(m)) + salt) * m,
        (true, None) => top - salt,
        (false, None) => low + salt,
    };
    let v = v.clamp(low, top);
    match (i64::try_from(v), u64::try_from(v)) {
        (Ok(v), _) => json!(v),
        (_, Ok(v)) => json!(v),
        _ => json!(0),
    }
}

fn float(c: &Constraints, salt: usize, high: Option<bool>) -> Value {
    let step = c.multiple_of.filter(|m| *m > 0.0).unwrap_or(0.5);
    // Halves are exact in `f32` as in `f64`, so both widths carry these unchanged; `salt` steps
    // inwards from the bound, so the items of an array stay distinct.
    let inwards = (salt % 100) as f64 * 0.5;
    let v = match high {
        Some(true) => c.maximum.filter(|_| !c.exclusive_maximum).unwrap_or(1_048_576.5) - inwards,
        Some(false) => c.minimum.filter(|_| !c.exclusive_minimum).unwrap_or(-0.5) + inwards,
        None => bounded(c, (salt % 100) as f64, step),
    };
    let v = if high.is_some() && c.multiple_of.is_some() { bounded(c, (salt % 100) as f64, step) } else { v };
    serde_json::Number::from_f64(v).map(Value::Number).unwrap_or(json!(0))
}
