//! Parameters on the wire: every `style` × `explode` combination OpenAPI 3 defines, for path,
//! query, header and cookie parameters, in both directions.
//!
//! A generated parameter struct (`<Op>Query`, `<Op>Path`, …) implements [`Params`]: it
//! describes its fields in [`Params::PARAMS`] (a wire name, a [`Style`], `explode` and a
//! [`Shape`] each) and hands them over by wire name. The client turns each field into JSON
//! ([`Params::write`]) and [`encode_query`] (and friends) writes it in its style; the server
//! splits the wire text by the same description into [`Text`] values and deserialises each
//! field from its own ([`Params::read`]), so a string becomes a number or a boolean only where
//! the field's type asks for one, and a single value is a one-element array. Form bodies are
//! models types with serde derives; [`Form`] describes their properties the same way.
//!
//! Values that contain their style's delimiter (a `,` in an item of a `form` array with
//! `explode: false`) cannot be told apart from two values once percent-decoded; OpenAPI leaves
//! this open and the decoders split after decoding, as most servers do, so that clients which
//! percent-encode delimiters (Python's `requests` does) are understood.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::Serialize;
use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde_json::Value;

use crate::validate::{Checker, Violation};

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// In the path template, `{name}`.
    Path,
    /// In the query string.
    Query,
    /// In a request (or response) header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// OpenAPI's serialisation styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `name=a&name=b` (exploded) or `name=a,b`: the query and cookie default.
    Form,
    /// `name=a%20b` (exploded: as `Form`).
    SpaceDelimited,
    /// `name=a|b` (exploded: as `Form`).
    PipeDelimited,
    /// `name[key]=value`, for objects in the query.
    DeepObject,
    /// `a,b` or `key,value` (`key=value` exploded): the path and header default.
    Simple,
    /// `.a,b` or `.a.b` (exploded), in the path.
    Label,
    /// `;name=a,b` or `;name=a;name=b` (exploded), in the path.
    Matrix,
}

/// What kind of value a parameter holds, which decides how its style splits the wire text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A string, number, boolean or enum value.
    Scalar,
    /// An array of scalars.
    Array,
    /// An object with these properties (their values scalars).
    Object(&'static [&'static str]),
    /// An object with any properties (`additionalProperties`), its values scalars.
    Map,
    /// A parameter described by `content: application/json`: the JSON text of the value.
    Json,
    /// Not a field: a query parameter that carries a credential of a security scheme, accepted
    /// in the query string but not decoded.
    Credential,
}

/// How one parameter is written on the wire; built in `const` context by generated code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// The wire name (also the field's serde name).
    pub name: &'static str,
    /// Where it travels.
    pub location: Location,
    /// Its serialisation style.
    pub style: Style,
    /// Whether arrays and objects are written as separate values.
    pub explode: bool,
    /// `allowReserved`: RFC 3986 reserved characters are sent as they are (query only).
    pub allow_reserved: bool,
    /// What kind of value it holds.
    pub shape: Shape,
    /// The schema's `default`, as JSON text, applied by the decoder when the parameter is absent.
    pub default: Option<&'static str>,
    /// `x-codegen: {brackets: true}`: an exploded `form` array is also read from `name[]=v` and
    /// `name[0]=v` (what PHP, Rails and `qs`-based clients send); it is always written `name=v`.
    pub brackets: bool,
}

impl Param {
    const fn new(name: &'static str, location: Location, style: Style, explode: bool) -> Self {
        Param {
            name,
            location,
            style,
            explode,
            allow_reserved: false,
            shape: Shape::Scalar,
            default: None,
            brackets: false,
        }
    }

    /// A path parameter, by default `simple`, not exploded.
    pub const fn path(name: &'static str) -> Self {
        Param::new(name, Location::Path, Style::Simple, false)
    }

    /// A query parameter, by default `form`, exploded.
    pub const fn query(name: &'static str) -> Self {
        Param::new(name, Location::Query, Style::Form, true)
    }

    /// A header, `simple`, not exploded.
    pub const fn header(name: &'static str) -> Self {
        Param::new(name, Location::Header, Style::Simple, false)
    }

    /// A cookie, by default `form`, exploded.
    pub const fn cookie(name: &'static str) -> Self {
        Param::new(name, Location::Cookie, Style::Form, true)
    }

    /// Sets the style; `explode` follows OpenAPI's default for it (`true` for `form` only).
    pub const fn style(mut self, style: Style) -> Self {
        self.style = style;
        self.explode = matches!(style, Style::Form);
        self
    }

    /// Sets `explode`.
    pub const fn explode(mut self, explode: bool) -> Self {
        self.explode = explode;
        self
    }

    /// Sets `allowReserved`.
    pub const fn reserved(mut self) -> Self {
        self.allow_reserved = true;
        self
    }

    /// Sets the shape.
    pub const fn shape(mut self, shape: Shape) -> Self {
        self.shape = shape;
        self
    }

    /// Also reads `name[]=v` and `name[N]=v` (an exploded `form` array).
    pub const fn brackets(mut self) -> Self {
        self.brackets = true;
        self
    }

    /// The value used when the parameter is absent, as JSON text.
    pub const fn default(mut self, json: &'static str) -> Self {
        self.default = Some(json);
        self
    }
}

/// A generated parameter struct: how each of its fields travels, and how the struct is built
/// from and taken apart into its fields by wire name.
///
/// The two methods are what `#[derive(Serialize, Deserialize)]` would give, in a few lines per
/// struct instead of a derive's hundreds: these structs exist in every operation of an API, and
/// the compiler expands, checks and borrow-checks each derive again on every build.
pub trait Params: Sized {
    /// One entry per field, in declaration order (plus [`Shape::Credential`] entries).
    const PARAMS: &'static [Param];

    /// The struct, each field taken from `fields` by its wire name.
    fn read(fields: &mut Fields) -> Result<Self, ParamError>;

    /// Hands each field's value to `values` by its wire name.
    fn write(&self, values: &mut Values);

    /// Checks the fields' constraints (`maxLength`, `minimum`, …), as [`Validate::check`] does
    /// for a models type; the default finds nothing, so a struct without constraints needs no
    /// code for it. (Not a `Validate` impl: most parameter structs would need an empty one.)
    ///
    /// [`Validate::check`]: crate::models::Validate::check
    fn check(&self, check: &mut Checker<'_>) {
        let _ = check;
    }

    /// Every violation of the fields' constraints, or `Ok` when there is none.
    fn validate(&self) -> Result<(), Vec<Violation>> {
        let mut errors = Vec::new();
        self.check(&mut Checker::new("", &mut errors));
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The struct from a JSON object of its fields by wire name (a mock's response headers, a
    /// test's parameters); properties it does not name are ignored.
    fn from_json(value: Value) -> Result<Self, ParamError> {
        Self::read(&mut Fields::from_json(value)?)
    }

    /// The fields as a JSON object by wire name, absent ones left out (for logs and tests).
    fn to_json(&self) -> Result<serde_json::Map<String, Value>, String> {
        values_of(self)
    }
}

/// A models type that is written one way wherever it is an `application/x-www-form-urlencoded`
/// body: how each of its properties travels. Unlike [`Params`], such a type is read and written
/// by its serde derives, as it is wherever it travels as JSON.
pub trait Form {
    /// One entry per described property.
    const FIELDS: &'static [Param];
}

/// The fields of a parameter struct as the wire carried them, for [`Params::read`].
#[derive(Debug, Default)]
pub struct Fields {
    values: Vec<(String, Text)>,
    /// The wire name of the first field that could not be read, so that a decoder that can
    /// read the wire another way knows which parameter to retry.
    failed: Option<String>,
}

impl Fields {
    /// The field `name` as type `T`. Absent, it is `None` where `T` is an `Option`, and an error
    /// otherwise (as with serde's derives).
    pub fn take<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, ParamError> {
        let result = match self.values.iter().position(|(key, _)| key == name) {
            Some(at) => {
                let (_, text) = self.values.remove(at);
                serde_path_to_error::deserialize(text).map_err(|error| {
                    let path = error.path().to_string();
                    let inner = error.into_inner();
                    match path.as_str() {
                        "." => ParamError(format!("{name}: {inner}")),
                        indexed if indexed.starts_with('[') => ParamError(format!("{name}{indexed}: {inner}")),
                        nested => ParamError(format!("{name}.{nested}: {inner}")),
                    }
                })
            }
            None => T::deserialize(Missing(name)),
        };
        if result.is_err() && self.failed.is_none() {
            self.failed = Some(name.to_owned());
        }
        result
    }

    /// Fields given as a JSON object by wire name (a mock's response headers, a round trip's
    /// made-up parameters); `null` is no object.
    pub fn from_json(value: Value) -> Result<Fields, ParamError> {
        match value {
            Value::Object(map) => Ok(Fields::new(map.into_iter().map(|(k, v)| (k, Text::Json(v))).collect())),
            Value::Null => Ok(Fields::default()),
            other => Err(ParamError(format!("expected parameters as a JSON object, found {other}"))),
        }
    }

    fn new(values: Vec<(String, Text)>) -> Fields {
        Fields { values, failed: None }
    }
}

/// A field that is not there: `None` if asked for an `Option`, else an error that names it.
struct Missing(&'static str);

impl<'de> de::Deserializer<'de> for Missing {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, ParamError> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The fields of a parameter struct on their way to the wire, for [`Params::write`].
#[derive(Debug, Default)]
pub struct Values {
    map: serde_json::Map<String, Value>,
    error: Option<String>,
}

impl Values {
    /// Sets the field `name`; a value that is `null` (an absent optional) is left out.
    pub fn put<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(Value::Null) => {}
            Ok(value) => {
                self.map.insert(name.to_owned(), value);
            }
            Err(error) => {
                self.error.get_or_insert_with(|| format!("{name}: {error}"));
            }
        }
    }
}

/// A parameter value the wire did not carry in the form its description asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError(pub String);

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParamError {}

impl de::Error for ParamError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ParamError(message.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding: wire text → `Text` values → the generated struct.

/// One parameter's value as the wire carried it, before it is typed: deserialising it into a
/// number, a boolean, an array or an object parses or splits it then.
#[derive(Clone, Debug, PartialEq)]
pub enum Text {
    /// One value.
    One(String),
    /// Several values: an array's items (or a repeated scalar, which is refused).
    Many(Vec<String>),
    /// An object's properties.
    Pairs(Vec<(String, String)>),
    /// A `content: application/json` parameter, already parsed.
    Json(Value),
}

impl Text {
    /// The single value, or why there is not one.
    fn one(self) -> Result<Result<String, Value>, ParamError> {
        match self {
            Text::One(text) => Ok(Ok(text)),
            Text::Many(mut items) if items.len() == 1 => Ok(Ok(items.remove(0))),
            Text::Many(items) => Err(ParamError(format!("expected one value, found {}", items.len()))),
            Text::Pairs(_) => Err(ParamError("expected one value, found an object".to_owned())),
            Text::Json(value) => Ok(Err(value)),
        }
    }

    fn from_json(value: Value) -> Text {
        match value {
            Value::Array(items) => Text::Many(items.into_iter().map(leaf_text).collect()),
            Value::Object(map) => Text::Pairs(map.into_iter().map(|(k, v)| (k, leaf_text(v))).collect()),
            other => Text::One(leaf_text(other)),
        }
    }
}

impl<'de> IntoDeserializer<'de, ParamError> for Text {
    type Deserializer = Text;

    fn into_deserializer(self) -> Text {
        self
    }
}

/// A nested object or array, which no style spells, travels as its JSON text (the encoders
/// write it so, with a warning from the generator): the value, where `text` is one.
fn nested_json(text: &str) -> Option<Value> {
    if !text.trim_start().starts_with(['{', '[']) {
        return None;
    }
    serde_json::from_str(text).ok().filter(|value| matches!(value, Value::Object(_) | Value::Array(_)))
}

/// Whether text is a number as JSON writes one (Rust also parses `inf`, `NaN` and `+1`).
fn looks_numeric(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

fn expected(text: &str, what: &str) -> ParamError {
    ParamError(format!("expected {what}, found {text:?}"))
}

macro_rules! parsed {
    ($($method:ident => $ty:ty, $visit:ident, $what:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
            match self.one()? {
                Ok(text) => match text.trim().parse::<$ty>() {
                    Ok(value) => visitor.$visit(value),
                    Err(_) => Err(expected(&text, $what)),
                },
                Err(json) => json.$method(visitor).map_err(de::Error::custom),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Text {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self {
            // Asked for anything (an untagged union, a free value), the text is read as the
            // most specific scalar it spells: `oneOf: [integer, string]` sent as `0` is the
            // integer, as the client that wrote it meant.
            Text::One(text) if let Some(value) = nested_json(&text) => {
                value.deserialize_any(visitor).map_err(de::Error::custom)
            }
            Text::One(text) => {
                if let Ok(integer) = text.parse::<i64>() {
                    visitor.visit_i64(integer)
                } else if let Ok(integer) = text.parse::<u64>() {
                    visitor.visit_u64(integer)
                } else if let Some(number) = text.parse::<f64>().ok().filter(|n| n.is_finite() && looks_numeric(&text))
                {
                    visitor.visit_f64(number)
                } else {
                    match text.as_str() {
                        "true" => visitor.visit_bool(true),
                        "false" => visitor.visit_bool(false),
                        _ => visitor.visit_string(text),
                    }
                }
            }
            Text::Many(items) => SeqDeserializer::new(items.into_iter().map(Text::One)).deserialize_any(visitor),
            Text::Pairs(pairs) => {
                MapDeserializer::new(pairs.into_iter().map(|(k, v)| (k, Text::One(v)))).deserialize_any(visitor)
            }
            Text::Json(value) => value.deserialize_any(visitor).map_err(de::Error::custom),
        }
    }

    parsed! {
        deserialize_i8 => i64, visit_i64, "an integer";
        deserialize_i16 => i64, visit_i64, "an integer";
        deserialize_i32 => i64, visit_i64, "an integer";
        deserialize_i64 => i64, visit_i64, "an integer";
        deserialize_i128 => i128, visit_i128, "an integer";
        deserialize_u8 => u64, visit_u64, "a non-negative integer";
        deserialize_u16 => u64, visit_u64, "a non-negative integer";
        deserialize_u32 => u64, visit_u64, "a non-negative integer";
        deserialize_u64 => u64, visit_u64, "a non-negative integer";
        deserialize_u128 => u128, visit_u128, "a non-negative integer";
        deserialize_f32 => f64, visit_f64, "a number";
        deserialize_f64 => f64, visit_f64, "a number";
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self.one()? {
            Ok(text) => match text.as_str() {
                "true" => visitor.visit_bool(true),
                "false" => visitor.visit_bool(false),
                _ => Err(expected(&text, "true or false")),
            },
            Err(json) => json.deserialize_bool(visitor).map_err(de::Error::custom),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self.one()? {
            Ok(text) => visitor.visit_string(text),
            Err(json) => json.deserialize_string(visitor).map_err(de::Error::custom),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self {
            Text::Json(Value::Null) => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self {
            Text::One(text) if let Some(value @ Value::Array(_)) = nested_json(&text) => {
                value.deserialize_seq(visitor).map_err(de::Error::custom)
            }
            // A single value is a valid one-element array.
            Text::One(text) => SeqDeserializer::new(std::iter::once(Text::One(text))).deserialize_any(visitor),
            Text::Many(items) => SeqDeserializer::new(items.into_iter().map(Text::One)).deserialize_any(visitor),
            Text::Pairs(_) => Err(ParamError("expected an array, found an object".to_owned())),
            Text::Json(value) => value.deserialize_seq(visitor).map_err(de::Error::custom),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self {
            Text::Pairs(pairs) => {
                MapDeserializer::new(pairs.into_iter().map(|(k, v)| (k, Text::One(v)))).deserialize_any(visitor)
            }
            Text::Json(value) => value.deserialize_map(visitor).map_err(de::Error::custom),
            Text::One(text) if let Some(value @ Value::Object(_)) = nested_json(&text) => {
                value.deserialize_map(visitor).map_err(de::Error::custom)
            }
            Text::One(text) => Err(expected(&text, "an object")),
            Text::Many(_) => Err(ParamError("expected an object, found several values".to_owned())),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        match self.one()? {
            Ok(text) => visitor.visit_enum(IntoDeserializer::<ParamError>::into_deserializer(text)),
            Err(json) => json.deserialize_enum(name, variants, visitor).map_err(de::Error::custom),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }
}

/// Deserialises a parameter struct from its decoded fields, naming the field that failed.
pub(crate) fn from_fields<T: DeserializeOwned>(fields: Vec<(String, Text)>) -> Result<T, ParamError> {
    from_fields_at(fields).map_err(|(_, error)| error)
}

/// As [`from_fields`], also giving the name of the field that failed.
fn from_fields_at<T: DeserializeOwned>(fields: Vec<(String, Text)>) -> Result<T, (Option<String>, ParamError)> {
    let deserializer = MapDeserializer::new(fields.into_iter());
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = error.path().iter().next().and_then(|segment| match segment {
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            _ => None,
        });
        let path = error.path().to_string();
        let inner = error.into_inner();
        let error = if path.is_empty() || path == "." { inner } else { ParamError(format!("{path}: {inner}")) };
        (field, error)
    })
}

/// Builds a parameter struct from its decoded fields, naming the field that failed. With
/// `refuse_unknown`, a field the struct does not take is an error, as an unknown body field is.
fn read_fields<T: Params>(
    values: Vec<(String, Text)>,
    refuse_unknown: bool,
) -> Result<T, (Option<String>, ParamError)> {
    let mut fields = Fields::new(values);
    let value = T::read(&mut fields).map_err(|error| (fields.failed.take(), error))?;
    match fields.values.first() {
        Some((key, _)) if refuse_unknown => {
            let known: Vec<String> =
                T::PARAMS.iter().filter(|p| p.shape != Shape::Credential).map(|p| format!("`{}`", p.name)).collect();
            let expected = match known.as_slice() {
                [] => "there are no parameters".to_owned(),
                [one] => format!("expected {one}"),
                many => format!("expected one of {}", many.join(", ")),
            };
            Err((None, ParamError(format!("{key}: unknown field `{key}`, {expected}"))))
        }
        _ => Ok(value),
    }
}

/// Splits a delimited list; the empty text is the empty list.
fn split(text: &str, delimiter: char) -> Vec<String> {
    if text.is_empty() { Vec::new() } else { text.split(delimiter).map(str::to_owned).collect() }
}

/// `key,value,key,value` as pairs.
fn pairs_of_list(items: Vec<String>, name: &str) -> Result<Vec<(String, String)>, ParamError> {
    if !items.len().is_multiple_of(2) {
        return Err(ParamError(format!("{name}: expected key,value pairs, found {} items", items.len())));
    }
    let mut pairs = Vec::with_capacity(items.len() / 2);
    let mut items = items.into_iter();
    while let (Some(key), Some(value)) = (items.next(), items.next()) {
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// `key=value` items as pairs (an item without `=` has an empty value).
fn pairs_of_assignments(items: Vec<String>) -> Vec<(String, String)> {
    items
        .into_iter()
        .map(|item| match item.split_once('=') {
            Some((key, value)) => (key.to_owned(), value.to_owned()),
            None => (item, String::new()),
        })
        .collect()
}

/// The default of an absent parameter.
fn default_text(param: &Param) -> Result<Option<Text>, ParamError> {
    let Some(json) = param.default else { return Ok(None) };
    let value: Value =
        serde_json::from_str(json).map_err(|e| ParamError(format!("{}: invalid default: {e}", param.name)))?;
    Ok(Some(match param.shape {
        Shape::Json => Text::Json(value),
        _ => Text::from_json(value),
    }))
}

fn json_text(name: &str, text: &str) -> Result<Text, ParamError> {
    serde_json::from_str(text).map(Text::Json).map_err(|e| ParamError(format!("{name}: not valid JSON: {e}")))
}

/// Decodes `name=value` pairs (the query string, or cookies) by the form-family styles. With
/// `refuse_unknown`, pairs no parameter claims are handed on, so a struct that denies unknown
/// fields names them.
///
/// An exploded `form` array is written `name=a&name=b`, yet many clients write `name=a,b`.
/// Read strictly, that is one item `a,b`; only where the strict reading of that very array
/// fails (an enum or a number cannot be `a,b`) is it read again split at commas, so an item
/// that really holds a comma keeps it. The first error is the one reported.
fn decode_form<T>(
    pairs: Vec<(String, String)>,
    described: &[Param],
    refuse_unknown: bool,
    build: impl Fn(Vec<(String, Text)>) -> Result<T, (Option<String>, ParamError)>,
) -> Result<T, ParamError> {
    let splittable = |name: &str| {
        described.iter().any(|p| {
            p.name == name
                && p.shape == Shape::Array
                && p.style == Style::Form
                && p.explode
                && pairs.iter().any(|(key, value)| key == name && value.contains(','))
        })
    };
    let mut split: Vec<String> = Vec::new();
    let mut first_error = None;
    loop {
        let attempt = form_fields(pairs.clone(), described, refuse_unknown, &split)
            .map_err(|error| (None, error))
            .and_then(&build);
        match attempt {
            Ok(value) => return Ok(value),
            Err((field, error)) => {
                let first = first_error.get_or_insert(error);
                match field {
                    Some(field) if !split.contains(&field) && splittable(&field) => split.push(field),
                    _ => return Err(first.clone()),
                }
            }
        }
    }
}

/// The fields of a form-family struct, each claimed from `pairs` by its description.
fn form_fields(
    pairs: Vec<(String, String)>,
    described: &[Param],
    refuse_unknown: bool,
    split_commas: &[String],
) -> Result<Vec<(String, Text)>, ParamError> {
    let mut claimed = vec![false; pairs.len()];
    let mut fields = Vec::with_capacity(described.len());
    // Free-form objects take whatever the others leave, so they come last.
    let ordered =
        described.iter().filter(|p| p.shape != Shape::Map).chain(described.iter().filter(|p| p.shape == Shape::Map));
    for param in ordered {
        let name = param.name;
        let mut take = |matches: &dyn Fn(&str) -> bool| -> Vec<(String, String)> {
            let mut taken = Vec::new();
            for (i, (key, value)) in pairs.iter().enumerate() {
                if !claimed[i] && matches(key) {
                    claimed[i] = true;
                    taken.push((key.clone(), value.clone()));
                }
            }
            taken
        };
        let values = |taken: Vec<(String, String)>| taken.into_iter().map(|(_, v)| v).collect::<Vec<_>>();
        let text = match (param.shape, param.style) {
            (Shape::Credential, _) => {
                take(&|key| key == name);
                continue;
            }
            (Shape::Json, _) => match values(take(&|key| key == name)).first() {
                Some(text) => Some(json_text(name, text)?),
                None => None,
            },
            (Shape::Object(_) | Shape::Map, Style::DeepObject) => {
                let prefix = format!("{name}[");
                let taken = take(&|key| key.starts_with(&prefix) && key.ends_with(']'));
                let pairs: Vec<(String, String)> = taken
                    .into_iter()
                    .filter_map(|(key, value)| {
                        let inner = key.get(prefix.len()..key.len() - 1)?; // ok: `get` checks bounds
                        Some((inner.to_owned(), value))
                    })
                    .collect();
                if pairs.is_empty() {
                    // A union of an object and a scalar, holding the scalar: `name=value`.
                    let mut plain = values(take(&|key| key == name));
                    (!plain.is_empty()).then(|| Text::One(plain.remove(0)))
                } else {
                    Some(Text::Pairs(pairs))
                }
            }
            (Shape::Object(props), _) if param.explode => {
                let taken = take(&|key| props.contains(&key));
                (!taken.is_empty()).then_some(Text::Pairs(taken))
            }
            (Shape::Map, _) if param.explode => {
                let taken = take(&|_| true);
                (!taken.is_empty()).then_some(Text::Pairs(taken))
            }
            (shape, style) => {
                let bracketed = |key: &str| {
                    key.strip_prefix(name)
                        .and_then(|rest| rest.strip_prefix('['))
                        .and_then(|rest| rest.strip_suffix(']'))
                        .is_some_and(|index| index.bytes().all(|b| b.is_ascii_digit()))
                };
                let brackets = param.brackets && shape == Shape::Array && param.explode;
                let found = values(take(&|key| key == name || (brackets && bracketed(key))));
                if found.is_empty() {
                    None
                } else if param.explode || shape == Shape::Scalar {
                    let mut found = found;
                    Some(match shape {
                        Shape::Array if split_commas.iter().any(|n| n == name) => {
                            Text::Many(found.iter().flat_map(|text| split(text, ',')).collect())
                        }
                        Shape::Array => Text::Many(found),
                        _ if found.len() == 1 => Text::One(found.remove(0)),
                        _ => Text::Many(found),
                    })
                } else {
                    let delimiter = match style {
                        Style::SpaceDelimited => ' ',
                        Style::PipeDelimited => '|',
                        _ => ',',
                    };
                    let items: Vec<String> = found.iter().flat_map(|text| split(text, delimiter)).collect();
                    Some(match shape {
                        Shape::Array => Text::Many(items),
                        _ => Text::Pairs(pairs_of_list(items, name)?),
                    })
                }
            }
        };
        if let Some(text) = text.map_or_else(|| default_text(param), |t| Ok(Some(t)))? {
            fields.push((name.to_owned(), text));
        }
    }
    if refuse_unknown {
        // Grouped by name, so a repeated one is a list (an undeclared array of a form body).
        let mut rest: Vec<(String, Vec<String>)> = Vec::new();
        for (i, (key, value)) in pairs.into_iter().enumerate() {
            if claimed[i] {
                continue;
            }
            match rest.iter_mut().find(|(k, _)| *k == key) {
                Some((_, values)) => values.push(value),
                None => rest.push((key, vec![value])),
            }
        }
        for (key, mut values) in rest {
            let text = if values.len() == 1 { Text::One(values.remove(0)) } else { Text::Many(values) };
            fields.push((key, text));
        }
    }
    Ok(fields)
}

/// Percent-decodes one `application/x-www-form-urlencoded` component (`+` is a space).
fn form_decode(text: &str) -> Result<String, ParamError> {
    let spaced: Cow<'_, str> =
        if text.contains('+') { Cow::Owned(text.replace('+', " ")) } else { Cow::Borrowed(text) };
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|_| ParamError(format!("{text:?} is not valid UTF-8 once percent-decoded")))
}

/// The `name=value` pairs of a query string, percent-decoded.
pub fn query_pairs(query: &str) -> Result<Vec<(String, String)>, ParamError> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((form_decode(key)?, form_decode(value)?))
        })
        .collect()
}

/// Decodes a query string (without `?`) into the operation's query struct. Parameters the
/// struct does not describe are refused, as unknown body fields are.
pub fn decode_query<T: Params>(query: &str) -> Result<T, ParamError> {
    decode_form(query_pairs(query)?, T::PARAMS, true, |fields| read_fields(fields, true))
}

/// Decodes the values of `Cookie` headers into the operation's cookie struct; other cookies
/// are left alone: the header carries whatever else the browser holds (a session, say).
pub fn decode_cookies<'a, T: Params>(headers: impl IntoIterator<Item = &'a str>) -> Result<T, ParamError> {
    let mut pairs = Vec::new();
    for header in headers {
        for pair in header.split(';') {
            let Some((key, value)) = pair.trim().split_once('=') else { continue };
            let value = value.trim().trim_matches('"');
            let value = percent_decode_str(value).decode_utf8_lossy().into_owned();
            pairs.push((key.trim().to_owned(), value));
        }
    }
    decode_form(pairs, T::PARAMS, false, |fields| read_fields(fields, false))
}

/// Decodes `simple`-family values (path segments, already percent-decoded, and headers) looked
/// up by wire name.
fn decode_simple<'a, T: Params>(lookup: impl Fn(&str) -> Option<&'a str>) -> Result<T, ParamError> {
    let mut fields = Vec::with_capacity(T::PARAMS.len());
    for param in T::PARAMS {
        let name = param.name;
        let text = match lookup(name) {
            None => default_text(param)?,
            Some(raw) => Some(simple_text(param, raw)?),
        };
        if let Some(text) = text {
            fields.push((name.to_owned(), text));
        }
    }
    read_fields(fields, false).map_err(|(_, error)| error)
}

fn simple_text(param: &Param, raw: &str) -> Result<Text, ParamError> {
    let name = param.name;
    if param.shape == Shape::Json {
        return json_text(name, raw);
    }
    // What follows the style's prefix, and the delimiter between exploded items.
    let (body, exploded_delimiter) = match param.style {
        Style::Label => {
            let body = raw.strip_prefix('.').ok_or_else(|| expected(raw, "a label value starting with `.`"))?;
            (body.to_owned(), '.')
        }
        Style::Matrix => {
            let body = raw.strip_prefix(';').ok_or_else(|| expected(raw, "a matrix value starting with `;`"))?;
            (body.to_owned(), ';')
        }
        _ => (raw.to_owned(), ','),
    };
    let matrix = param.style == Style::Matrix;
    // `;name=value`: the value after `name=`.
    let unname = |item: &str| -> Result<String, ParamError> {
        match item.split_once('=') {
            Some((key, value)) if key == name => Ok(value.to_owned()),
            _ => Err(expected(item, &format!("`{name}=…`"))),
        }
    };
    Ok(match param.shape {
        Shape::Scalar => Text::One(if matrix { unname(&body)? } else { body }),
        Shape::Array if param.explode => {
            let items = split(&body, exploded_delimiter);
            Text::Many(if matrix { items.iter().map(|item| unname(item)).collect::<Result<_, _>>()? } else { items })
        }
        Shape::Array => Text::Many(split(&if matrix { unname(&body)? } else { body }, ',')),
        Shape::Object(_) | Shape::Map if param.explode => {
            Text::Pairs(pairs_of_assignments(split(&body, exploded_delimiter)))
        }
        Shape::Object(_) | Shape::Map => {
            Text::Pairs(pairs_of_list(split(&if matrix { unname(&body)? } else { body }, ','), name)?)
        }
        Shape::Json | Shape::Credential => Text::One(body),
    })
}

/// Decodes path parameters (name, percent-decoded segment text) into the operation's path
/// struct.
pub fn decode_path<T: Params>(segments: &[(&str, &str)]) -> Result<T, ParamError> {
    decode_simple(|name| segments.iter().find(|(key, _)| *key == name).map(|(_, value)| *value))
}

/// Decodes headers, looked up by name (case-insensitively, by the caller), into a headers
/// struct.
pub fn decode_headers<'a, T: Params>(lookup: impl Fn(&str) -> Option<&'a str>) -> Result<T, ParamError> {
    decode_simple(lookup)
}

// ---------------------------------------------------------------------------------------------
// Encoding: the generated struct → JSON → wire text.

/// Everything but RFC 3986's unreserved characters is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `allowReserved`: reserved characters stay, except those that would end the value in a
/// query string (`&`, `=`, `#`), `+` (a space in form decoding) and `%` itself.
const RESERVED_ALLOWED: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'&')
    .add(b'=')
    .add(b'#')
    .add(b'+')
    .add(b'%');

fn encode(text: &str, allow_reserved: bool) -> String {
    utf8_percent_encode(text, if allow_reserved { RESERVED_ALLOWED } else { COMPONENT }).to_string()
}

/// A scalar's wire text: strings as they are, numbers and booleans in their JSON spelling, and
/// anything nested as JSON.
pub(crate) fn leaf_text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A parameter's value taken apart for its style.
enum Parts {
    One(String),
    Many(Vec<String>),
    Pairs(Vec<(String, String)>),
}

/// Object properties come in the order the schema declares them, whatever order the JSON map
/// keeps; undeclared ones follow.
fn parts(value: Value, shape: Shape) -> Parts {
    match value {
        Value::Array(items) => Parts::Many(items.into_iter().map(leaf_text).collect()),
        Value::Object(map) => {
            let mut pairs: Vec<(String, String)> = map.into_iter().map(|(k, v)| (k, leaf_text(v))).collect();
            if let Shape::Object(props) = shape {
                pairs.sort_by_key(|(k, _)| props.iter().position(|p| p == k).unwrap_or(props.len()));
            }
            Parts::Pairs(pairs)
        }
        other => Parts::One(leaf_text(other)),
    }
}

/// A form body's properties as JSON, by wire name; `null` (an absent optional) is left out.
fn fields_of<T: Serialize>(value: &T) -> Result<serde_json::Map<String, Value>, String> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(map.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        Ok(_) => Err("a form body must serialise as an object".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

/// A parameter struct's fields as JSON, by wire name; absent ones are left out.
fn values_of<T: Params>(value: &T) -> Result<serde_json::Map<String, Value>, String> {
    let mut values = Values::default();
    value.write(&mut values);
    match values.error {
        Some(error) => Err(error),
        None => Ok(values.map),
    }
}

/// The query string (without `?`) of the operation's query struct; empty when every field is
/// absent.
pub fn encode_query<T: Params>(value: &T) -> Result<String, String> {
    encode_form_pairs(values_of(value)?, T::PARAMS)
}

/// An `application/x-www-form-urlencoded` body: each property described (by the media type's
/// `encoding`, else `form` and exploded) is written as a query parameter would be; properties
/// the description does not name (`additionalProperties`) follow as plain `name=value` pairs,
/// arrays repeated and objects as JSON text.
pub fn encode_form<T: Serialize>(value: &T, described: &[Param]) -> Result<String, String> {
    let mut fields = fields_of(value)?;
    let mut out = encode_form_pairs_from(&mut fields, described)?;
    for (name, value) in fields {
        let key = encode(&name, false);
        match value {
            Value::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => {
                out.extend(items.into_iter().map(|item| format!("{key}={}", encode(&leaf_text(item), false))));
            }
            Value::Array(_) | Value::Object(_) => out.push(format!("{key}={}", encode(&value.to_string(), false))),
            scalar => out.push(format!("{key}={}", encode(&leaf_text(scalar), false))),
        }
    }
    Ok(out.join("&"))
}

/// Decodes an `application/x-www-form-urlencoded` body by the description of its properties;
/// pairs it does not describe are handed to the struct (which refuses them if it denies
/// unknown fields).
pub fn decode_form_body<T: DeserializeOwned>(body: &str, described: &[Param]) -> Result<T, ParamError> {
    decode_form(query_pairs(body)?, described, true, from_fields_at)
}

fn encode_form_pairs(mut fields: serde_json::Map<String, Value>, described: &[Param]) -> Result<String, String> {
    Ok(encode_form_pairs_from(&mut fields, described)?.join("&"))
}

/// The pairs of the described fields, each removed from `fields`.
fn encode_form_pairs_from(
    fields: &mut serde_json::Map<String, Value>,
    described: &[Param],
) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for param in described {
        let Some(value) = fields.remove(param.name) else { continue };
        let reserved = param.allow_reserved;
        let key = encode(param.name, false);
        if param.shape == Shape::Json {
            out.push(format!("{key}={}", encode(&value.to_string(), reserved)));
            continue;
        }
        let delimiter = match param.style {
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "|",
            _ => ",",
        };
        match (parts(value, param.shape), param.style) {
            (Parts::One(text), _) => out.push(format!("{key}={}", encode(&text, reserved))),
            (Parts::Pairs(pairs), Style::DeepObject) => {
                for (k, v) in pairs {
                    out.push(format!("{key}[{}]={}", encode(&k, false), encode(&v, reserved)));
                }
            }
            (Parts::Many(items), _) if param.explode => {
                out.extend(items.iter().map(|item| format!("{key}={}", encode(item, reserved))));
            }
            (Parts::Pairs(pairs), _) if param.explode => {
                out.extend(pairs.iter().map(|(k, v)| format!("{}={}", encode(k, false), encode(v, reserved))));
            }
            (Parts::Many(items), _) => {
                let items: Vec<String> = items.iter().map(|item| encode(item, reserved)).collect();
                out.push(format!("{key}={}", items.join(delimiter)));
            }
            (Parts::Pairs(pairs), _) => {
                let items: Vec<String> =
                    pairs.iter().flat_map(|(k, v)| [encode(k, false), encode(v, reserved)]).collect();
                out.push(format!("{key}={}", items.join(delimiter)));
            }
        }
    }
    Ok(out)
}

/// One `name=value` pair of a query string, both percent-encoded (a query credential, say).
pub fn encode_query_pair(name: &str, value: &str) -> String {
    format!("{}={}", encode(name, false), encode(value, false))
}

/// The text that replaces `{name}` in the path, in `param`'s style, percent-encoded.
pub fn encode_path<T: Serialize + ?Sized>(param: Param, value: &T) -> Result<String, String> {
    let value = serde_json::to_value(value).map_err(|e| e.to_string())?;
    if param.shape == Shape::Json {
        return Ok(encode(&value.to_string(), false));
    }
    let name = encode(param.name, false);
    let list = |items: Vec<String>, delimiter: &str| {
        items.iter().map(|item| encode(item, false)).collect::<Vec<_>>().join(delimiter)
    };
    let flat = |pairs: Vec<(String, String)>| pairs.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>();
    let assigned = |pairs: Vec<(String, String)>, delimiter: &str| {
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k, false), encode(v, false)))
            .collect::<Vec<_>>()
            .join(delimiter)
    };
    Ok(match (param.style, parts(value, param.shape)) {
        (Style::Label, Parts::One(text)) => format!(".{}", encode(&text, false)),
        (Style::Label, Parts::Many(items)) => format!(".{}", list(items, if param.explode { "." } else { "," })),
        (Style::Label, Parts::Pairs(pairs)) if param.explode => format!(".{}", assigned(pairs, ".")),
        (Style::Label, Parts::Pairs(pairs)) => format!(".{}", list(flat(pairs), ",")),
        (Style::Matrix, Parts::One(text)) => format!(";{name}={}", encode(&text, false)),
        (Style::Matrix, Parts::Many(items)) if param.explode => {
            items.iter().map(|item| format!(";{name}={}", encode(item, false))).collect()
        }
        (Style::Matrix, Parts::Many(items)) => format!(";{name}={}", list(items, ",")),
        (Style::Matrix, Parts::Pairs(pairs)) if param.explode => format!(";{}", assigned(pairs, ";")),
        (Style::Matrix, Parts::Pairs(pairs)) => format!(";{name}={}", list(flat(pairs), ",")),
        (_, Parts::One(text)) => encode(&text, false),
        (_, Parts::Many(items)) => list(items, ","),
        (_, Parts::Pairs(pairs)) if param.explode => assigned(pairs, ","),
        (_, Parts::Pairs(pairs)) => list(flat(pairs), ","),
    })
}

/// The `simple`-style text of each present header of a headers struct (not percent-encoded:
/// header values are sent as they are, and refused by the caller if they are not valid).
pub fn encode_headers<T: Params>(value: &T) -> Result<Vec<(&'static str, String)>, String> {
    let mut fields = values_of(value)?;
    let mut out = Vec::new();
    for param in T::PARAMS {
        let Some(value) = fields.remove(param.name) else { continue };
        let text = match (param.shape, parts(value.clone(), param.shape)) {
            (Shape::Json, _) => value.to_string(),
            (_, Parts::One(text)) => text,
            (_, Parts::Many(items)) => items.join(","),
            (_, Parts::Pairs(pairs)) if param.explode => {
                pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
            }
            (_, Parts::Pairs(pairs)) => pairs.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>().join(","),
        };
        out.push((param.name, text));
    }
    Ok(out)
}

/// Cookie values may not hold spaces, `"`, `,`, `;` or `\`: those (and `%`) are
/// percent-encoded.
const COOKIE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');

/// The `name=value` cookie pairs of a cookie struct, in `form` style.
pub fn encode_cookies<T: Params>(value: &T) -> Result<Vec<String>, String> {
    let mut fields = values_of(value)?;
    let mut out = Vec::new();
    let cookie = |text: &str| utf8_percent_encode(text, COOKIE).to_string();
    for param in T::PARAMS {
        let Some(value) = fields.remove(param.name) else { continue };
        let name = param.name;
        if param.shape == Shape::Json {
            out.push(format!("{name}={}", cookie(&value.to_string())));
            continue;
        }
        // The `,` between items is the style's own, so items are encoded one by one.
        let joined = |items: Vec<String>| items.iter().map(|item| cookie(item)).collect::<Vec<_>>().join(",");
        match parts(value, param.shape) {
            Parts::One(text) => out.push(format!("{name}={}", cookie(&text))),
            Parts::Many(items) if param.explode => {
                out.extend(items.iter().map(|item| format!("{name}={}", cookie(item))));
            }
            Parts::Many(items) => out.push(format!("{name}={}", joined(items))),
            Parts::Pairs(pairs) if param.explode => {
                out.extend(pairs.iter().map(|(k, v)| format!("{k}={}", cookie(v))));
            }
            Parts::Pairs(pairs) => {
                out.push(format!("{name}={}", joined(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect())))
            }
        }
    }
    Ok(out)
}

/// For unit tests here and in other modules: what the generator writes for a parameter
/// struct, its description and each field read and written by its wire name.
#[cfg(test)]
macro_rules! test_params {
    ($ty:ident { $($field:ident: $wire:literal),* } = $described:expr) => {
        impl $crate::params::Params for $ty {
            const PARAMS: &'static [$crate::params::Param] = $described;

            fn read(fields: &mut $crate::params::Fields) -> Result<Self, $crate::params::ParamError> {
                Ok($ty { $($field: fields.take($wire)?),* })
            }

            fn write(&self, values: &mut $crate::params::Values) {
                $(values.put($wire, &self.$field);)*
            }
        }
    };
}
#[cfg(test)]
pub(crate) use test_params;

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    /// Stripe's `created` is `anyOf: [range object, integer]` in `deepObject` style: its
    /// style was dropped (a union was not an object), so `created[gt]=1` was written as `gt=1`
    /// and refused as unknown. Both variants now travel, each as it is written.
    #[test]
    fn a_union_of_an_object_and_a_scalar_keeps_its_deep_object_style() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        enum Created {
            Range { gt: i64 },
            At(i64),
        }
        #[derive(Debug, PartialEq)]
        struct Query {
            created: Option<Created>,
        }
        test_params!(
            Query { created: "created" } =
                &[Param::query("created").style(Style::DeepObject).explode(true).shape(Shape::Map)]
        );
        for (value, text) in [(Created::Range { gt: 1 }, "created[gt]=1"), (Created::At(5), "created=5")] {
            let query = Query { created: Some(value) };
            assert_eq!(encode_query(&query).expect("encodes"), text);
            assert_eq!(decode_query::<Query>(text).expect("decodes"), query);
        }
    }

    /// Stripe's form bodies nest objects inside `deepObject` properties (`shipping[address]`):
    /// the client writes the inner object as its JSON text, and the server read it back as a
    /// string, refusing "expected an object".
    #[test]
    fn nested_values_are_read_back_from_their_json_text() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Address {
            city: String,
        }
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Shipping {
            name: String,
            address: Address,
            lines: Vec<i64>,
        }
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Body {
            shipping: Shipping,
        }
        let pairs = vec![
            ("name".to_owned(), "Ann".to_owned()),
            ("address".to_owned(), r#"{"city":"Paris"}"#.to_owned()),
            ("lines".to_owned(), "[1,2]".to_owned()),
        ];
        let body: Body = from_fields(vec![("shipping".to_owned(), Text::Pairs(pairs))]).expect("decodes");
        assert_eq!(body.shipping.address.city, "Paris");
        assert_eq!(body.shipping.lines, vec![1, 2]);
    }

    /// GitHub's `workflow_id` (`oneOf: [integer, string]`) sent as `0` was read back as the
    /// string `"0"`: text asked for anything is the most specific scalar it spells.
    #[test]
    fn text_asked_for_anything_is_its_most_specific_scalar() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(untagged)]
        enum IdOrName {
            Id(i64),
            Name(String),
        }
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Path {
            id: IdOrName,
            name: IdOrName,
            any: Value,
            text: String,
        }
        let one = |name: &str, text: &str| (name.to_owned(), Text::One(text.to_owned()));
        let fields = vec![one("id", "42"), one("name", "main"), one("any", "true"), one("text", "7")];
        let path: Path = from_fields(fields).expect("decodes");
        // Stripe's `individual[dob]` (`anyOf: [{day, month, year}, enum [""]]`) arrives as JSON text.
        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(untagged)]
        enum Dob {
            Date { day: i64 },
            Empty(String),
        }
        let dob: std::collections::BTreeMap<String, Dob> =
            from_fields(vec![one("a", r#"{"day":1}"#), one("b", "")]).expect("decodes");
        assert_eq!(dob["a"], Dob::Date { day: 1 });
        assert_eq!(dob["b"], Dob::Empty(String::new()));
        assert_eq!(path.id, IdOrName::Id(42));
        assert_eq!(path.name, IdOrName::Name("main".to_owned()));
        assert_eq!(path.any, Value::Bool(true));
        // A field that asks for a string still gets the text as written.
        assert_eq!(path.text, "7");
        assert!(!looks_numeric("inf") && !looks_numeric("+1") && looks_numeric("-1.5e3"));
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Filter {
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<String>,
        #[serde(rename = "firstName", skip_serializing_if = "Option::is_none")]
        first_name: Option<String>,
    }

    #[derive(Debug, Default, PartialEq)]
    struct Query {
        status: Option<Vec<String>>,
        ids: Option<Vec<i64>>,
        tags: Option<Vec<String>>,
        limit: Option<u32>,
        filter: Option<Filter>,
        point: Option<Filter>,
        q: Option<Value>,
        next: Option<String>,
    }

    test_params!(
        Query {
            status: "status",
            ids: "ids",
            tags: "tags",
            limit: "limit",
            filter: "filter",
            point: "point",
            q: "q",
            next: "next"
        } = &[
            Param::query("status").shape(Shape::Array),
            Param::query("ids").shape(Shape::Array).explode(false),
            Param::query("tags").style(Style::PipeDelimited).shape(Shape::Array),
            Param::query("limit").default("20"),
            Param::query("filter").style(Style::DeepObject).explode(true).shape(Shape::Object(&["role", "firstName"])),
            Param::query("point").shape(Shape::Object(&["role", "firstName"])).explode(false),
            Param::query("q").shape(Shape::Json),
            Param::query("next").reserved(),
            Param::query("api_key").shape(Shape::Credential),
        ]
    );

    fn full() -> Query {
        Query {
            status: Some(vec!["active".into(), "on hold".into()]),
            ids: Some(vec![3, 4, 5]),
            tags: Some(vec!["a&b".into(), "ü".into()]),
            limit: Some(7),
            filter: Some(Filter { role: Some("admin".into()), first_name: Some("Alex".into()) }),
            point: Some(Filter { role: Some("x".into()), first_name: None }),
            q: Some(serde_json::json!({"a": [1, "b"]})),
            next: Some("/a/b?c".into()),
        }
    }

    #[test]
    fn every_query_style_round_trips() {
        let query = full();
        let text = encode_query(&query).unwrap();
        assert_eq!(
            text,
            "status=active&status=on%20hold&ids=3,4,5&tags=a%26b|%C3%BC&limit=7&filter[role]=admin&\
             filter[firstName]=Alex&point=role,x&q=%7B%22a%22%3A%5B1%2C%22b%22%5D%7D&next=/a/b?c"
        );
        assert_eq!(decode_query::<Query>(&text).unwrap(), query);
    }

    #[test]
    fn a_single_value_is_a_one_element_array_and_defaults_apply() {
        let query: Query = decode_query("status=active&ids=3").unwrap();
        assert_eq!(query.status, Some(vec!["active".to_owned()]));
        assert_eq!(query.ids, Some(vec![3]));
        assert_eq!(query.limit, Some(20));
        let query: Query = decode_query("ids=3%2C4").unwrap();
        assert_eq!(query.ids, Some(vec![3, 4]), "a percent-encoded delimiter is a delimiter");
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Status {
        Active,
        OnHold,
    }

    #[derive(Debug, PartialEq)]
    struct Listing {
        status: Option<Vec<Status>>,
        names: Option<Vec<String>>,
    }

    test_params!(
        Listing { status: "status", names: "names" } =
            &[Param::query("status").shape(Shape::Array), Param::query("names").shape(Shape::Array)]
    );

    #[test]
    fn an_exploded_array_written_with_commas_is_split_only_where_it_must_be() {
        let listing: Listing = decode_query("status=active,on_hold&names=Doe,%20J.").unwrap();
        assert_eq!(listing.status, Some(vec![Status::Active, Status::OnHold]));
        assert_eq!(listing.names, Some(vec!["Doe, J.".to_owned()]), "only the array that fails is split");
        let listing: Listing = decode_query("names=Doe,%20J.").unwrap();
        assert_eq!(listing.names, Some(vec!["Doe, J.".to_owned()]), "read strictly when that works");
        let error = decode_query::<Listing>("status=active,nope").unwrap_err();
        assert!(error.0.starts_with("status[0]: unknown variant `active,nope`"), "the strict error: {}", error.0);
    }

    #[test]
    fn form_bodies_write_described_properties_in_style_and_the_rest_plainly() {
        let described = [Param::query("ids").explode(false).shape(Shape::Array), Param::query("name")];
        let body = serde_json::json!({"name": "a b", "ids": [1, 2], "extra": ["x", "y"], "deep": {"k": 1}});
        let text = encode_form(&body, &described).unwrap();
        let (described_part, rest) = text.split_at("ids=1,2&name=a%20b&".len());
        assert_eq!(described_part, "ids=1,2&name=a%20b&", "described properties first, in their order");
        let mut rest: Vec<&str> = rest.split('&').collect();
        rest.sort_unstable();
        assert_eq!(rest, ["deep=%7B%22k%22%3A1%7D", "extra=x", "extra=y"]);
        #[derive(Debug, Deserialize, PartialEq)]
        struct Body {
            ids: Vec<u8>,
            name: String,
            extra: Vec<String>,
        }
        let back: Body = decode_form_body("ids=1,2&name=a+b&extra=x&extra=y", &described).unwrap();
        assert_eq!(back, Body { ids: vec![1, 2], name: "a b".into(), extra: vec!["x".into(), "y".into()] });
    }

    #[derive(Debug, PartialEq)]
    struct Roles {
        role: Option<Vec<String>>,
        plain: Option<Vec<String>>,
    }

    test_params!(
        Roles { role: "role", plain: "plain" } =
            &[Param::query("role").shape(Shape::Array).brackets(), Param::query("plain").shape(Shape::Array)]
    );

    #[test]
    fn bracket_forms_are_read_where_the_parameter_asks_for_them() {
        let roles: Roles = decode_query("role[]=admin&role%5B1%5D=member&role=developer").unwrap();
        assert_eq!(roles.role, Some(vec!["admin".to_owned(), "member".to_owned(), "developer".to_owned()]));
        let error = decode_query::<Roles>("plain[]=x").unwrap_err();
        assert!(error.0.contains("unknown field `plain[]`"), "only where asked: {}", error.0);
        let error = decode_query::<Roles>("role[x]=admin").unwrap_err();
        assert!(error.0.contains("role[x]"), "an index is digits: {}", error.0);
    }

    #[test]
    fn wrong_values_name_the_parameter() {
        let error = decode_query::<Query>("ids=3,x").unwrap_err();
        assert_eq!(error.0, "ids[1]: expected an integer, found \"x\"");
        let error = decode_query::<Query>("limit=1&limit=2").unwrap_err();
        assert_eq!(error.0, "limit: expected one value, found 2");
        let error = decode_query::<Query>("limt=1").unwrap_err();
        assert!(error.0.starts_with("limt: unknown field `limt`"), "{}", error.0);
        let error = decode_query::<Query>("point=role").unwrap_err();
        assert!(error.0.contains("key,value pairs"), "{}", error.0);
        assert!(decode_query::<Query>("q=%7Bnope").unwrap_err().0.starts_with("q: not valid JSON"));
        assert!(decode_query::<Query>("api_key=secret").is_ok(), "credentials are not parameters");
    }

    #[derive(Debug, PartialEq)]
    struct Free {
        page: Option<u8>,
        rest: Option<std::collections::BTreeMap<String, String>>,
    }

    test_params!(Free { page: "page", rest: "rest" } = &[Param::query("rest").shape(Shape::Map), Param::query("page")]);

    #[test]
    fn a_free_form_exploded_object_takes_what_the_others_leave() {
        let free: Free = decode_query("a=1&page=2&b=x").unwrap();
        assert_eq!(free.page, Some(2));
        assert_eq!(
            free.rest.unwrap().into_iter().collect::<Vec<_>>(),
            [("a".into(), "1".into()), ("b".into(), "x".into())]
        );
    }

    #[test]
    fn path_styles_round_trip() {
        let object = serde_json::json!({"role": "admin", "firstName": "Alex"});
        let props = Shape::Object(&["role", "firstName"]);
        let cases: [(Param, Value, &str); 10] = [
            (Param::path("id"), serde_json::json!("a/b c"), "a%2Fb%20c"),
            (Param::path("id").shape(Shape::Array), serde_json::json!([3, 4, 5]), "3,4,5"),
            (Param::path("id").shape(props).explode(true), object.clone(), "role=admin,firstName=Alex"),
            (Param::path("id").shape(props), object.clone(), "role,admin,firstName,Alex"),
            (Param::path("id").style(Style::Label), serde_json::json!(5), ".5"),
            (
                Param::path("id").style(Style::Label).explode(true).shape(Shape::Array),
                serde_json::json!([3, 4]),
                ".3.4",
            ),
            (Param::path("id").style(Style::Matrix), serde_json::json!(5), ";id=5"),
            (Param::path("id").style(Style::Matrix).shape(Shape::Array), serde_json::json!([3, 4]), ";id=3,4"),
            (
                Param::path("id").style(Style::Matrix).explode(true).shape(Shape::Array),
                serde_json::json!([3, 4]),
                ";id=3;id=4",
            ),
            (Param::path("id").style(Style::Matrix).explode(true).shape(props), object, ";role=admin;firstName=Alex"),
        ];
        for (param, value, wire) in cases {
            assert_eq!(encode_path(param, &value).unwrap(), wire, "{param:?}");
            let decoded = percent_decode_str(wire).decode_utf8().unwrap();
            let text = simple_text(&param, &decoded).unwrap();
            let back: Value = match param.shape {
                Shape::Scalar if value.is_number() => Value::from(i64::deserialize(text).unwrap()),
                Shape::Scalar => Value::from(String::deserialize(text).unwrap()),
                Shape::Array => Value::from(Vec::<i64>::deserialize(text).unwrap()),
                _ => serde_json::to_value(serde_json::Map::<String, Value>::deserialize(text).unwrap()).unwrap(),
            };
            assert_eq!(back, value, "{param:?}");
        }
        assert!(simple_text(&Param::path("id").style(Style::Label), "5").is_err());
    }

    #[derive(Debug, PartialEq)]
    struct Cookies {
        theme: Option<String>,
        seen: Option<Vec<u8>>,
    }

    test_params!(
        Cookies { theme: "theme", seen: "seen" } =
            &[Param::cookie("theme"), Param::cookie("seen").shape(Shape::Array).explode(false)]
    );

    #[test]
    fn cookies_round_trip_beside_other_cookies() {
        let cookies = Cookies { theme: Some("dark; bold".into()), seen: Some(vec![1, 2]) };
        let pairs = encode_cookies(&cookies).unwrap();
        assert_eq!(pairs, ["theme=dark%3B%20bold", "seen=1,2"]);
        let header = format!("sid=abc; {}", pairs.join("; "));
        assert_eq!(decode_cookies::<Cookies>([header.as_str()]).unwrap(), cookies);
    }

    #[derive(Debug, PartialEq)]
    struct Headers {
        ids: Vec<u16>,
        flag: Option<bool>,
    }

    test_params!(
        Headers { ids: "X-Ids", flag: "X-Flag" } =
            &[Param::header("X-Ids").shape(Shape::Array), Param::header("X-Flag")]
    );

    #[test]
    fn headers_round_trip() {
        let headers = Headers { ids: vec![1, 2], flag: Some(true) };
        let encoded = encode_headers(&headers).unwrap();
        assert_eq!(encoded, [("X-Ids", "1,2".to_owned()), ("X-Flag", "true".to_owned())]);
        let decoded: Headers =
            decode_headers(|name| encoded.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())).unwrap();
        assert_eq!(decoded, headers);
        let error = decode_headers::<Headers>(|_| Some("x")).unwrap_err();
        assert_eq!(error.0, "X-Ids[0]: expected a non-negative integer, found \"x\"");
    }

    /// Parameter structs derive no serde; `read` and `write` must keep what the derives did:
    /// a missing `Option` is `None`, a missing required field is named, an absent optional is
    /// not written, and an unknown query parameter is refused with the known ones listed.
    #[test]
    fn structs_read_and_write_by_wire_name_as_their_derives_did() {
        let error = decode_headers::<Headers>(|name| (name == "X-Flag").then_some("true")).unwrap_err();
        assert_eq!(error.0, "missing field `X-Ids`");
        let decoded: Headers = decode_headers(|name| (name == "X-Ids").then_some("7")).unwrap();
        assert_eq!(decoded, Headers { ids: vec![7], flag: None });

        let headers = Headers { ids: vec![1], flag: None };
        let json = headers.to_json().unwrap();
        assert_eq!(Value::Object(json.clone()), serde_json::json!({"X-Ids": [1]}), "absent optionals are left out");
        assert_eq!(Headers::from_json(Value::Object(json)).unwrap(), headers);
        assert_eq!(Headers::from_json(serde_json::json!({"X-Ids": [1], "X-Flag": null})).unwrap(), headers);
        assert!(Headers::from_json(serde_json::json!([1])).is_err(), "parameters are an object");

        let error = decode_query::<Roles>("role=a&other=1").unwrap_err();
        assert_eq!(error.0, "other: unknown field `other`, expected one of `role`, `plain`");
        let error = decode_query::<Query>("nope=1").unwrap_err();
        assert!(!error.0.contains("api_key"), "credentials are not offered as parameters: {}", error.0);
    }
}
