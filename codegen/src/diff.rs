//! Breaking-change detection between two versions of an OpenAPI document.
//!
//! Both documents are compared as bundled JSON (references resolved while walking), from the
//! point of view of a client built from the old version and a server built from the new one.
//! Every change found gets a rule id, a severity, the JSON pointer where it is (in the new
//! document; in the old one for removals) and a one-line explanation. Edits to descriptions,
//! summaries and examples are not changes to the contract and are not reported.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diagnostic::pointer_push;

/// How much a change can break, for a client built from the old document talking to a server
/// built from the new one. Ordered from the most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Breaks existing clients or servers: what old clients send is refused, or what they
    /// receive no longer decodes. Fails `diff` and the merge-base gate.
    Error,
    /// Can break some clients, depending on how they use the API (a response value they relied
    /// on may be absent, an omitted request value now means something else).
    Warning,
    /// Breaks nobody.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// Whether a change of this severity reaches `level` (`Error` reaches every level).
    pub fn reaches(self, level: Severity) -> bool {
        self <= level
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub severity: Severity,
    pub rule: &'static str,
    pub pointer: String,
    pub message: String,
}

/// How deprecations are judged. `Policy::default()` asks for no deprecation period and takes
/// today's date from the system clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Minimum days between deprecating something (its `x-sunset` date must be at least this far
    /// ahead) and removing it. 0: removing anything deprecated is fine, a sunset date is optional.
    pub deprecation_days: u32,
    /// Today, as days since 1970-01-01 (`None`: the system clock).
    pub today: Option<i64>,
}

impl Policy {
    fn today(&self) -> i64 {
        self.today.unwrap_or_else(|| {
            let seconds =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            i64::try_from(seconds / 86_400).unwrap_or(0)
        })
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (or the date of an RFC 3339 date-time).
pub fn parse_date(text: &str) -> Option<i64> {
    let date = text.get(..10)?;
    if text.len() > 10 && !text[10..].starts_with(['T', 't']) {
        return None;
    }
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if (y.len(), m.len(), d.len()) != (4, 2, 2) {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > *days_in_month.get(usize::try_from(m - 1).ok()?)? {
        return None;
    }
    // Days from civil (proleptic Gregorian), counting years from March.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// Stability levels of `x-stability-level`, from the least stable.
const STABILITY: [&str; 4] = ["draft", "alpha", "beta", "stable"];

/// Which side of the wire a schema describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Request,
    Response,
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: Vec<Change>,
    /// (old ref, new ref, side) pairs being compared, to stop on recursive schemas.
    visiting: BTreeSet<(String, String, Side)>,
    /// Path parameters of the operation being compared whose name changed with the template:
    /// (new name, old name).
    renames: Vec<(String, String)>,
    policy: Policy,
}

fn deref<'v>(doc: &'v Value, value: &'v Value) -> (&'v Value, Option<String>) {
    let mut current = value;
    let mut name = None;
    for _ in 0..32 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => match doc.pointer(reference.trim_start_matches('#')) {
                Some(target) => {
                    name = Some(reference.to_owned());
                    current = target;
                }
                None => break,
            },
            None => break,
        }
    }
    (current, name)
}

/// A schema as the diff compares it, read for what it means rather than how it is written:
/// through its `$ref`s; 3.1's nullable wrapper (`oneOf` / `anyOf` of one schema and `null`) as
/// the schema made nullable, so wrapping a property so is a change of nullability, not of type;
/// an `allOf` of object parts merged; the normaliser's lowered type list as a type list. The name
/// is the last `$ref` followed, for the recursion guard.
fn resolve<'v>(doc: &'v Value, value: &'v Value) -> (Cow<'v, Value>, Option<String>) {
    let (schema, reference) = deref(doc, value);
    let (schema, reference) = match nullable_wrapped(schema) {
        Some((keyword, part)) => {
            let (inner, inner_reference) = deref(doc, part);
            let mut unwrapped = inner.clone();
            if let (Some(unwrapped), Some(wrapper)) = (unwrapped.as_object_mut(), schema.as_object()) {
                for (key, value) in wrapper.iter().filter(|(key, _)| key.as_str() != keyword) {
                    unwrapped.entry(key.clone()).or_insert_with(|| value.clone());
                }
                unwrapped.insert("nullable".into(), Value::Bool(true));
            }
            (Cow::Owned(unwrapped), inner_reference.or(reference))
        }
        None => (Cow::Borrowed(schema), reference),
    };
    let schema = match merged_all_of(doc, &schema, 0) {
        Some(merged) => Cow::Owned(merged),
        None => schema,
    };
    match type_list(&schema) {
        Some(list) => (Cow::Owned(list), reference),
        None => (schema, reference),
    }
}

/// The 3.1 normaliser lowers `type: [string, integer]` to a `oneOf` of bare types, which the
/// generator needs; the diff reads it back as the type list it was, so that a type added to the
/// list widens rather than replaces.
fn type_list(schema: &Value) -> Option<Value> {
    let parts = schema.get("oneOf")?.as_array()?;
    let types: Vec<Value> = parts
        .iter()
        .map(|part| match part.as_object() {
            Some(map) if map.len() == 1 => map.get("type").filter(|t| t.is_string()).cloned(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if types.is_empty() || schema.get("type").is_some() {
        return None;
    }
    let mut list = schema.as_object()?.clone();
    list.remove("oneOf");
    list.insert("type".into(), Value::Array(types));
    Some(Value::Object(list))
}

/// An `allOf` of object schemas read as the one object schema it means, properties and
/// `required` merged, so that a property moved from one part to another is no change, a part
/// that goes takes its properties with it, and a part that requires what another still requires
/// changes nothing. `None` where a part says more than properties and annotations (a type other
/// than object, `additionalProperties`, a property two parts define differently): that `allOf`
/// is compared part by part.
fn merged_all_of(doc: &Value, schema: &Value, depth: usize) -> Option<Value> {
    let parts = schema.get("allOf")?.as_array()?;
    let mut merged = schema.as_object()?.clone();
    merged.remove("allOf");
    let mut properties = match merged.remove("properties") {
        Some(Value::Object(properties)) => properties,
        None => Map::new(),
        Some(_) => return None,
    };
    let mut required = match merged.remove("required") {
        Some(Value::Array(required)) => required,
        None => Vec::new(),
        Some(_) => return None,
    };
    for part in parts {
        let (part, _) = deref(doc, part);
        let nested = if depth < 8 { merged_all_of(doc, part, depth + 1) } else { None };
        let part = nested.as_ref().unwrap_or(part).as_object()?;
        for (key, value) in part {
            match key.as_str() {
                "properties" => {
                    for (name, property) in value.as_object()? {
                        match properties.get(name) {
                            None => {
                                properties.insert(name.clone(), property.clone());
                            }
                            Some(existing) if existing == property => {}
                            Some(_) => return None,
                        }
                    }
                }
                "required" => {
                    for name in value.as_array()? {
                        if !required.contains(name) {
                            required.push(name.clone());
                        }
                    }
                }
                "type" if value.as_str() == Some("object") => {
                    merged.insert("type".into(), value.clone());
                }
                "title" | "description" | "example" | "examples" | "externalDocs" => {}
                key if key.starts_with("x-") => {}
                _ => return None,
            }
        }
    }
    if !properties.is_empty() {
        merged.insert("properties".into(), Value::Object(properties));
    }
    if !required.is_empty() {
        merged.insert("required".into(), Value::Array(required));
    }
    Some(Value::Object(merged))
}

/// The one schema a `oneOf` / `anyOf` offers beside `null`, and the keyword.
fn nullable_wrapped(schema: &Value) -> Option<(&'static str, &Value)> {
    // `{type: 'null'}`, or the 3.1 normaliser's `{nullable: true, enum: [null]}`.
    let is_null = |part: &Value| {
        part.get("type").and_then(Value::as_str) == Some("null")
            || part.get("enum").and_then(Value::as_array).is_some_and(|e| e.len() == 1 && e[0].is_null())
    };
    ["oneOf", "anyOf"].into_iter().find_map(|keyword| match schema.get(keyword)?.as_array()?.as_slice() {
        [a, b] if is_null(a) && !is_null(b) => Some((keyword, b)),
        [a, b] if is_null(b) && !is_null(a) => Some((keyword, a)),
        _ => None,
    })
}

/// A path template with its parameter names blanked (`/pets/{}`), and the names in order.
fn template(path: &str) -> (String, Vec<String>) {
    let mut shape = String::new();
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        shape.push_str(&rest[..=open]);
        shape.push('}');
        names.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    shape.push_str(rest);
    (shape, names)
}

/// A parameter's effective `style` and `explode`, with OpenAPI's defaults (`form` and exploded in
/// the query and cookies, `simple` and not exploded in paths and headers).
fn serialisation(param: &Value) -> String {
    let location = param.get("in").and_then(Value::as_str).unwrap_or("query");
    let style = param.get("style").and_then(Value::as_str).unwrap_or(match location {
        "query" | "cookie" => "form",
        _ => "simple",
    });
    let explode = param.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
    format!("style {style}{}", if explode { ", exploded" } else { "" })
}

fn string_set(value: Option<&Value>) -> BTreeSet<String> {
    value.and_then(Value::as_array).into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The values of an `enum`, but `null`: whether null is allowed is compared as nullability
/// (a nullable enum lists it, as OpenAPI 3.0.3 and 3.1 type arrays ask).
fn enum_values(schema: &Value) -> Option<BTreeSet<String>> {
    let values = schema.get("enum").and_then(Value::as_array)?;
    Some(values.iter().filter(|v| !v.is_null()).map(Value::to_string).collect())
}

impl<'a> Differ<'a> {
    /// `x-extensible-enum` (Zalando's guideline): the values known today, to which more may be
    /// added, so clients must accept values they do not know. A value a request could send going
    /// away is an error; new values in responses are expected, and a response narrowing from an
    /// extensible to a closed enum is compatible, the other way an error.
    fn extensible_enum(&mut self, old: &Value, new: &Value, side: Side, pointer: &str) {
        let values = |schema: &Value| string_set(schema.get("x-extensible-enum"));
        let (was, is) =
            (old.get("x-extensible-enum").map(|_| values(old)), new.get("x-extensible-enum").map(|_| values(new)));
        match (was, is) {
            (Some(was), Some(is)) => {
                for removed in was.difference(&is) {
                    match side {
                        Side::Request => self.error(
                            "request-extensible-enum-value-removed",
                            pointer,
                            format!("the value {removed:?} is no longer listed as accepted"),
                        ),
                        Side::Response => self.info(
                            "extensible-enum-value-changed",
                            pointer,
                            format!("the value {removed:?} is no longer listed"),
                        ),
                    }
                }
                for added in is.difference(&was) {
                    self.info(
                        "extensible-enum-value-changed",
                        pointer,
                        format!("the value {added:?} is listed; clients already accept values they do not know"),
                    );
                }
            }
            (Some(_), None) if side == Side::Response && enum_values(new).is_some() => {
                self.info("extensible-enum-closed", pointer, "the extensible enum became a closed `enum`".into())
            }
            (None, Some(_)) if side == Side::Response && enum_values(old).is_some() => self.error(
                "response-enum-became-extensible",
                pointer,
                "the closed `enum` became `x-extensible-enum`: clients generated from the old document refuse \
                 values they do not know"
                    .into(),
            ),
            _ => {}
        }
    }

    fn push(&mut self, severity: Severity, rule: &'static str, pointer: &str, message: String) {
        let change = Change { severity, rule, pointer: pointer.to_owned(), message };
        if !self.changes.contains(&change) {
            self.changes.push(change);
        }
    }

    fn error(&mut self, rule: &'static str, pointer: &str, message: String) {
        self.push(Severity::Error, rule, pointer, message);
    }

    fn warning(&mut self, rule: &'static str, pointer: &str, message: String) {
        self.push(Severity::Warning, rule, pointer, message);
    }

    fn info(&mut self, rule: &'static str, pointer: &str, message: String) {
        self.push(Severity::Info, rule, pointer, message);
    }

    /// The removal of something deprecated (an operation, parameter or property) is fine once
    /// its `x-sunset` date has passed, or at once when it has none and the policy asks for no
    /// deprecation period; before that it is an error. Anything else removed is `otherwise`.
    fn removal(
        &mut self,
        old: &Value,
        pointer: &str,
        what: &str,
        deprecated_rule: &'static str,
        otherwise: impl FnOnce(&mut Self),
    ) {
        if !flag(old, "deprecated") {
            return otherwise(self);
        }
        let today = self.policy.today();
        match old.get("x-sunset").map(|v| (v, v.as_str().and_then(parse_date))) {
            Some((text, None)) => {
                self.error("sunset-date-invalid", pointer, format!("{what}: `x-sunset` {text} is not a date (YYYY-MM-DD)"))
            }
            Some((text, Some(sunset))) if sunset > today => self.error(
                "removed-before-sunset",
                pointer,
                format!("{what} was removed before its sunset date {}", text.as_str().unwrap_or_default()),
            ),
            None if self.policy.deprecation_days > 0 => self.error(
                "removed-before-sunset",
                pointer,
                format!(
                    "{what} was removed, deprecated without an `x-sunset` date: the policy asks for {} days of deprecation",
                    self.policy.deprecation_days
                ),
            ),
            _ => self.info(deprecated_rule, pointer, format!("{what}, deprecated, was removed")),
        }
    }

    /// Something newly deprecated: info, and under a deprecation period its `x-sunset` must be a
    /// date at least that many days ahead.
    fn deprecation(&mut self, old: &Value, new: &Value, pointer: &str, what: &str) {
        if !flag(new, "deprecated") {
            return;
        }
        let sunset = new.get("x-sunset");
        if let Some(text) = sunset
            && text.as_str().and_then(parse_date).is_none()
        {
            self.error("sunset-date-invalid", pointer, format!("{what}: `x-sunset` {text} is not a date (YYYY-MM-DD)"));
            return;
        }
        if flag(old, "deprecated") {
            return self.sunset_kept(old, new, pointer, what);
        }
        self.info("deprecated", pointer, format!("{what} is deprecated"));
        let days = i64::from(self.policy.deprecation_days);
        if days == 0 {
            return;
        }
        let sunset = sunset.and_then(Value::as_str).and_then(parse_date);
        let earliest = self.policy.today() + days;
        if sunset.is_none_or(|sunset| sunset < earliest) {
            self.error(
                "sunset-too-soon",
                pointer,
                format!("{what} is deprecated with `x-sunset` less than {days} days ahead (or none): the policy asks for {days}"),
            );
        }
    }

    /// Still deprecated: the old sunset date was a promise to clients. It may move later, not
    /// go away or come sooner than the policy allows. (A new date that is not a date was
    /// reported by the caller.)
    fn sunset_kept(&mut self, old: &Value, new: &Value, pointer: &str, what: &str) {
        let Some(promised) = old.get("x-sunset") else { return };
        let now = new.get("x-sunset");
        let Some(before) = promised.as_str().and_then(parse_date) else {
            if now != Some(promised) {
                self.warning(
                    "sunset-changed-from-invalid",
                    pointer,
                    format!("{what}: the old `x-sunset` {promised} is not a date, so whether the new one keeps its promise cannot be told"),
                );
            }
            return;
        };
        match now.and_then(Value::as_str).and_then(parse_date) {
            None => self.error(
                "sunset-removed",
                pointer,
                format!("{what} is still deprecated but its `x-sunset` {promised} was removed: clients can no longer tell how long it stays"),
            ),
            Some(after) if after < before => {
                let earliest = self.policy.today() + i64::from(self.policy.deprecation_days);
                let message = format!(
                    "{what}: `x-sunset` moved earlier, from {promised} to {}",
                    now.map(Value::to_string).unwrap_or_default()
                );
                if after < earliest {
                    self.error("sunset-moved-earlier", pointer, format!("{message}, less than the policy's {} days ahead", self.policy.deprecation_days));
                } else {
                    self.warning("sunset-moved-earlier", pointer, message);
                }
            }
            Some(_) => {}
        }
    }

    /// The stability level of an operation (`None`: not given), or an error for a bad one.
    fn stability(&mut self, op: &Value, pointer: &str) -> Option<usize> {
        let level = op.get("x-stability-level")?;
        let found = level.as_str().and_then(|l| STABILITY.iter().position(|s| *s == l));
        if found.is_none() {
            self.error(
                "stability-level-invalid",
                pointer,
                format!("`x-stability-level` {level} is not one of draft, alpha, beta, stable"),
            );
        }
        found
    }

    fn operations(&mut self) {
        let empty = Map::new();
        let old_paths = self.old.get("paths").and_then(Value::as_object).unwrap_or(&empty);
        let new_paths = self.new.get("paths").and_then(Value::as_object).unwrap_or(&empty);
        // Old path → new path: the same text, or the same template with its parameters renamed
        // (`/pets/{id}` → `/pets/{petId}`), which clients call at the same URLs.
        let mut matched: Vec<(&String, &String)> = Vec::new();
        for path in old_paths.keys() {
            let new_path = if new_paths.contains_key(path) {
                Some(path)
            } else {
                new_paths.keys().find(|p| {
                    !old_paths.contains_key(*p)
                        && template(p).0 == template(path).0
                        && !matched.iter().any(|(_, n)| n == p)
                })
            };
            if let Some(new_path) = new_path {
                matched.push((path, new_path));
            }
        }
        for (path, old_item) in old_paths {
            let path_pointer = pointer_push("#/paths", path);
            let new_path = matched.iter().find(|(o, _)| *o == path).map(|(_, n)| *n);
            let new_item = new_path.and_then(|p| new_paths.get(p));
            // Renamed path parameters, new name → old name, by position in the template.
            let renames: Vec<(String, String)> = match new_path {
                Some(new_path) if new_path != path => {
                    let at = pointer_push("#/paths", new_path);
                    self.info(
                        "path-parameter-renamed",
                        &at,
                        format!("{path} is now written {new_path}; clients call the same URLs"),
                    );
                    template(new_path).1.into_iter().zip(template(path).1).collect()
                }
                _ => Vec::new(),
            };
            for method in METHODS {
                let Some(old_op) = old_item.get(method) else { continue };
                let pointer = pointer_push(&path_pointer, method);
                let what = format!("{} {path}", method.to_uppercase());
                let old_stability = self.stability(old_op, &pointer);
                match new_item.and_then(|item| item.get(method)) {
                    // Draft and alpha operations may go without notice.
                    None if old_stability.is_some_and(|s| s < 2) => self.info(
                        "unstable-operation-removed",
                        &pointer,
                        format!("{what} (not yet stable) was removed"),
                    ),
                    None => self.removal(old_op, &pointer, &what, "deprecated-operation-removed", |this| {
                        this.error(
                            "operation-removed",
                            &pointer,
                            format!("{what} was removed without being deprecated first"),
                        )
                    }),
                    Some(new_op) => {
                        let pointer = pointer_push(&pointer_push("#/paths", new_path.unwrap_or(path)), method);
                        self.renames = renames.clone();
                        let start = self.changes.len();
                        self.operation(old_item, old_op, new_item.unwrap_or(&Value::Null), new_op, &pointer);
                        self.deprecation(old_op, new_op, &pointer, &what);
                        self.operation_id(old_op, new_op, &pointer, &what);
                        let new_stability = self.stability(new_op, &pointer);
                        self.stability_kept(old_stability, new_stability, start, &pointer, &what);
                    }
                }
            }
        }
        for (path, new_item) in new_paths {
            let old_item = matched.iter().find(|(_, n)| *n == path).and_then(|(o, _)| old_paths.get(*o));
            for method in METHODS {
                if new_item.get(method).is_some() && old_item.and_then(|i| i.get(method)).is_none() {
                    let pointer = pointer_push(&pointer_push("#/paths", path), method);
                    self.info("operation-added", &pointer, format!("{} {path} was added", method.to_uppercase()));
                }
            }
        }
    }

    /// Stability levels of an operation or property both versions have: a level may not go
    /// down, and a draft or alpha one may change in any way (the changes found since `start`
    /// are reported, but as info).
    fn stability_kept(&mut self, old: Option<usize>, new: Option<usize>, start: usize, pointer: &str, what: &str) {
        if let (Some(old), Some(new)) = (old, new)
            && new < old
        {
            let (from, to) = (STABILITY[old], STABILITY[new]);
            self.error("stability-decreased", pointer, format!("{what} went from {from} to {to}"));
        } else if let Some(level) = old.filter(|level| *level < 2) {
            self.demote(start, &format!("allowed: {what} is {}", STABILITY[level]));
        }
    }

    /// Reports the changes found since `start` as info, saying why they break nobody.
    fn demote(&mut self, start: usize, why: &str) {
        for change in self.changes.iter_mut().skip(start).filter(|c| c.severity != Severity::Info) {
            change.severity = Severity::Info;
            change.message.push_str(&format!(" ({why})"));
        }
    }

    /// The wire does not carry an `operationId`, but generated code is named after it (ours
    /// names methods, parameter structs and response enums so): a new one renames them, and code
    /// written against the old names no longer compiles.
    fn operation_id(&mut self, old_op: &Value, new_op: &Value, pointer: &str, what: &str) {
        let id = |op: &Value| op.get("operationId").and_then(Value::as_str).map(str::to_owned);
        let (old_id, new_id) = (id(old_op), id(new_op));
        if old_id != new_id {
            let name = |id: Option<String>| id.map_or("none".to_owned(), |id| format!("`{id}`"));
            self.warning(
                "operation-id-changed",
                &format!("{pointer}/operationId"),
                format!(
                    "{what}: operationId {} is now {}: generated code renames the operation",
                    name(old_id),
                    name(new_id)
                ),
            );
        }
    }

    /// Parameters of an operation, path-level ones included, by (location, name).
    fn parameters(doc: &Value, item: &Value, op: &Value) -> Vec<((String, String), Value, String)> {
        let mut out: Vec<((String, String), Value, String)> = Vec::new();
        for (source, list) in [("parameters", item.get("parameters")), ("parameters", op.get("parameters"))] {
            for (i, parameter) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                let (parameter, _) = deref(doc, parameter);
                let key = (
                    parameter.get("in").and_then(Value::as_str).unwrap_or("").to_owned(),
                    parameter.get("name").and_then(Value::as_str).unwrap_or("").to_owned(),
                );
                let at = format!("{source}/{i}");
                out.retain(|(k, _, _)| *k != key);
                out.push((key, parameter.clone(), at));
            }
        }
        out
    }

    fn operation(&mut self, old_item: &Value, old_op: &Value, new_item: &Value, new_op: &Value, pointer: &str) {
        // Parameters.
        let old_params = Self::parameters(self.old, old_item, old_op);
        let new_params = Self::parameters(self.new, new_item, new_op);
        // The old name of a parameter (a path parameter renamed with its template).
        let renames = std::mem::take(&mut self.renames);
        let old_name = |location: &str, name: &str| -> String {
            let renamed = renames.iter().find(|(new, _)| location == "path" && new == name);
            renamed.map_or_else(|| name.to_owned(), |(_, old)| old.clone())
        };
        for ((location, name), new_param, at) in &new_params {
            let at = format!("{pointer}/{at}");
            let required = flag(new_param, "required");
            let was = old_name(location, name);
            match old_params.iter().find(|(k, _, _)| k.0 == *location && k.1 == was) {
                None if required => self.error(
                    "parameter-added-required",
                    &at,
                    format!("required {location} parameter `{name}` was added"),
                ),
                None => self.info("parameter-added", &at, format!("optional {location} parameter `{name}` was added")),
                Some((_, old_param, _)) => {
                    if required && !flag(old_param, "required") {
                        self.error(
                            "parameter-became-required",
                            &at,
                            format!("{location} parameter `{name}` became required"),
                        );
                    }
                    self.deprecation(old_param, new_param, &at, &format!("{location} parameter `{name}`"));
                    let (old_style, new_style) = (serialisation(old_param), serialisation(new_param));
                    if old_style != new_style {
                        self.error(
                            "parameter-style-changed",
                            &at,
                            format!(
                                "{location} parameter `{name}` is written as {} instead of {}: servers read old \
                                 requests differently",
                                new_style, old_style
                            ),
                        );
                    }
                    if old_param.get("content") != new_param.get("content")
                        && let (Some(old_content), Some(new_content)) =
                            (old_param.get("content"), new_param.get("content"))
                    {
                        self.content(Some(old_content), Some(new_content), Side::Request, &format!("{at}/content"));
                    }
                    if let (Some(old_schema), Some(new_schema)) = (old_param.get("schema"), new_param.get("schema")) {
                        let at = format!("{at}/schema");
                        let (old_segment, new_segment) =
                            (path_segment(location, old_schema), path_segment(location, new_schema));
                        let (old_schema, new_schema) = (&old_segment, &new_segment);
                        match Self::became_array(self.old, self.new, old_param, old_schema, new_param, new_schema) {
                            Some(items) => {
                                self.info(
                                    "parameter-became-array",
                                    &at,
                                    format!(
                                        "{location} parameter `{name}` became an array: one value is a one-element \
                                         array, so old requests still mean the same (generated code now takes a list)"
                                    ),
                                );
                                self.schema(old_schema, items, Side::Request, &format!("{at}/items"));
                            }
                            None => self.schema(old_schema, new_schema, Side::Request, &at),
                        }
                    }
                }
            }
        }
        for ((location, name), old_param, at) in &old_params {
            if !new_params.iter().any(|(k, _, _)| k.0 == *location && old_name(&k.0, &k.1) == *name) {
                let at = format!("{pointer}/{at}");
                let what = format!("{location} parameter `{name}`");
                self.removal(old_param, &at, &what, "deprecated-parameter-removed", |this| {
                    this.error("parameter-removed", &at, format!("{what} was removed"))
                });
            }
        }
        // Request body.
        let old_body = old_op.get("requestBody").map(|b| deref(self.old, b).0);
        let new_body = new_op.get("requestBody").map(|b| deref(self.new, b).0);
        let body_pointer = format!("{pointer}/requestBody");
        match (old_body, new_body) {
            (None, Some(body)) if flag(body, "required") => {
                self.error("request-body-added-required", &body_pointer, "a required request body was added".into())
            }
            (Some(old), Some(new)) => {
                if flag(new, "required") && !flag(old, "required") {
                    self.error(
                        "request-body-became-required",
                        &body_pointer,
                        "the request body became required".into(),
                    );
                }
                self.content(old.get("content"), new.get("content"), Side::Request, &format!("{body_pointer}/content"));
            }
            (Some(_), None) => self.error("request-body-removed", &body_pointer, "the request body was removed".into()),
            _ => {}
        }
        // Responses.
        let empty = Map::new();
        let old_responses = old_op.get("responses").and_then(Value::as_object).unwrap_or(&empty);
        let new_responses = new_op.get("responses").and_then(Value::as_object).unwrap_or(&empty);
        for (status, old_response) in statuses(old_responses) {
            let at = pointer_push(&format!("{pointer}/responses"), status);
            match new_responses.get(status) {
                // An old client handles every status it knew; one the server stops sending is
                // only a loss when it was the success the client asked for.
                None if status.starts_with(['4', '5']) => self.warning(
                    "response-error-status-removed",
                    &at,
                    format!(
                        "response {status} was removed: clients that handle it must tell that failure some other way"
                    ),
                ),
                None => self.error("response-status-removed", &at, format!("response {status} was removed")),
                Some(new_response) => {
                    let (old_response, _) = deref(self.old, old_response);
                    let (new_response, _) = deref(self.new, new_response);
                    self.headers(old_response, new_response, &at);
                    self.content(
                        old_response.get("content"),
                        new_response.get("content"),
                        Side::Response,
                        &format!("{at}/content"),
                    );
                }
            }
        }
        for (status, _) in statuses(new_responses) {
            if !old_responses.contains_key(status) {
                let at = pointer_push(&format!("{pointer}/responses"), status);
                self.info("response-status-added", &at, format!("response {status} was added"));
            }
        }
        self.callbacks(old_op, new_op, pointer);
        self.security(old_op, new_op, &format!("{pointer}/security"));
    }

    /// Security: what a request must carry. Each requirement is an alternative (schemes, each
    /// with the scopes its token needs); an old client's credentials still pass when some new
    /// alternative asks for no scheme and no scope that an old one did not.
    fn security(&mut self, old_op: &Value, new_op: &Value, at: &str) {
        type Alternative = BTreeMap<String, BTreeSet<String>>;
        let effective = |doc: &Value, op: &Value| -> Vec<Alternative> {
            let requirements = op.get("security").or_else(|| doc.get("security")).and_then(Value::as_array);
            let alternative = |requirement: &Value| -> Alternative {
                let schemes = requirement.as_object().into_iter().flatten();
                schemes.map(|(scheme, scopes)| (scheme.clone(), string_set(Some(scopes)))).collect()
            };
            requirements.into_iter().flatten().map(alternative).collect()
        };
        let (old, new) = (effective(self.old, old_op), effective(self.new, new_op));
        let public =
            |alternatives: &[Alternative]| alternatives.is_empty() || alternatives.iter().any(BTreeMap::is_empty);
        // Whether credentials that satisfy `held` satisfy `asked`.
        let passes = |held: &Alternative, asked: &Alternative| {
            asked.iter().all(|(scheme, scopes)| held.get(scheme).is_some_and(|h| scopes.is_subset(h)))
        };
        if public(&new) {
            if !public(&old) {
                self.info("security-removed", at, "the operation no longer requires credentials".into());
            }
            return;
        }
        if public(&old) {
            return self.error("security-added", at, "the operation now requires credentials".into());
        }
        let refused: Vec<&Alternative> = old.iter().filter(|o| !new.iter().any(|n| passes(o, n))).collect();
        let Some(first) = refused.first() else {
            if old != new {
                self.info("security-changed-compatibly", at, "credentials old clients hold are still accepted".into());
            }
            return;
        };
        // The same schemes, asking for more scopes: tokens issued for the old scopes are refused.
        let same_schemes = |n: &&Alternative| n.keys().eq(first.keys());
        match new.iter().find(same_schemes) {
            Some(n) => {
                let needed: Vec<String> = n
                    .iter()
                    .flat_map(|(scheme, scopes)| {
                        scopes.difference(&first[scheme]).map(move |s| format!("{scheme}:{s}"))
                    })
                    .collect();
                self.error("security-scope-added", at, format!("tokens now need the scopes {}", needed.join(", ")))
            }
            None => self.error("security-changed", at, "an accepted credential was removed or replaced".into()),
        }
    }

    /// Callbacks, which the API sends to its clients: the roles swap, so a callback's request
    /// body is judged as a response (what clients receive must still decode) and its responses
    /// as requests (what clients answer must still be accepted).
    fn callbacks(&mut self, old_op: &Value, new_op: &Value, pointer: &str) {
        let empty = Map::new();
        let old_callbacks = old_op.get("callbacks").and_then(Value::as_object).unwrap_or(&empty);
        let new_callbacks = new_op.get("callbacks").and_then(Value::as_object).unwrap_or(&empty);
        for (name, new_callback) in new_callbacks {
            let at = pointer_push(&format!("{pointer}/callbacks"), name);
            let Some(old_callback) = old_callbacks.get(name) else {
                self.warning("callback-added", &at, format!("callback `{name}` was added: clients must now answer it"));
                continue;
            };
            let (old_callback, _) = deref(self.old, old_callback);
            let (new_callback, _) = deref(self.new, new_callback);
            let expressions = new_callback.as_object().into_iter().flatten();
            for (expression, new_item) in expressions {
                let at = pointer_push(&at, expression);
                match old_callback.get(expression) {
                    Some(old_item) => self.sent_to_clients(old_item, new_item, &at, &format!("callback `{name}`")),
                    None => {
                        self.warning("callback-added", &at, format!("callback `{name}` now also calls {expression}"))
                    }
                }
            }
        }
        for name in old_callbacks.keys().filter(|name| !new_callbacks.contains_key(*name)) {
            let at = pointer_push(&format!("{pointer}/callbacks"), name);
            // Nothing old clients receive fails to decode, but those that wait for it wait in vain.
            self.warning(
                "callback-removed",
                &at,
                format!("callback `{name}` was removed: clients that rely on it no longer hear from the API"),
            );
        }
    }

    /// Webhooks (OpenAPI 3.1; the normaliser keeps them as `x-webhooks`): like callbacks,
    /// requests the API sends to its clients.
    fn webhooks(&mut self) {
        let empty = Map::new();
        let hooks = |doc: &'a Value| doc.get("x-webhooks").or_else(|| doc.get("webhooks")).and_then(Value::as_object);
        let (old_hooks, new_hooks) = (hooks(self.old).unwrap_or(&empty), hooks(self.new).unwrap_or(&empty));
        for (name, new_item) in new_hooks {
            let at = pointer_push("#/webhooks", name);
            match old_hooks.get(name) {
                Some(old_item) => {
                    let (old_item, _) = deref(self.old, old_item);
                    let (new_item, _) = deref(self.new, new_item);
                    self.sent_to_clients(old_item, new_item, &at, &format!("webhook `{name}`"));
                }
                None => self.warning(
                    "callback-added",
                    &at,
                    format!("webhook `{name}` was added: clients must now answer it"),
                ),
            }
        }
        for name in old_hooks.keys().filter(|name| !new_hooks.contains_key(*name)) {
            let at = pointer_push("#/webhooks", name);
            self.warning(
                "callback-removed",
                &at,
                format!("webhook `{name}` was removed: clients that rely on it no longer hear from the API"),
            );
        }
    }

    /// One path item of requests the API sends to its clients (a callback's or a webhook's):
    /// the roles swap, so its request bodies are judged as responses (what clients receive must
    /// still decode) and its responses as requests (what clients answer must still be accepted).
    fn sent_to_clients(&mut self, old_item: &Value, new_item: &Value, at: &str, what: &str) {
        for method in METHODS {
            let (Some(old), Some(new)) = (old_item.get(method), new_item.get(method)) else {
                if new_item.get(method).is_some() {
                    let at = pointer_push(at, method);
                    self.warning("callback-added", &at, format!("{what} now also sends {method}"));
                }
                continue;
            };
            let at = pointer_push(at, method);
            let (old_body, new_body) = (body_content(self.old, old), body_content(self.new, new));
            self.content(old_body, new_body, Side::Response, &format!("{at}/requestBody/content"));
            let new_responses = new.get("responses").and_then(Value::as_object);
            for (status, new_response) in new_responses.into_iter().flatten() {
                let Some(old_response) = old.get("responses").and_then(|r| r.get(status)) else { continue };
                let (old_response, _) = deref(self.old, old_response);
                let (new_response, _) = deref(self.new, new_response);
                let at = format!("{}/content", pointer_push(&format!("{at}/responses"), status));
                self.content(old_response.get("content"), new_response.get("content"), Side::Request, &at);
            }
        }
    }

    /// The new items schema when a scalar parameter became an array of them. In every style but
    /// `deepObject` (objects only) a one-element array is written exactly as the value alone
    /// (`role=admin`, `.admin`, `;role=admin`, `admin`), so what old clients send keeps its
    /// meaning; only the items' own schema can still narrow what is accepted.
    fn became_array<'v>(
        old_doc: &Value,
        new_doc: &'v Value,
        old_param: &Value,
        old_schema: &Value,
        new_param: &Value,
        new_schema: &'v Value,
    ) -> Option<&'v Value> {
        let style = |param: &Value| param.get("style").and_then(Value::as_str).map(str::to_owned);
        if style(old_param).as_deref() == Some("deepObject") || style(new_param).as_deref() == Some("deepObject") {
            return None;
        }
        let kind = |schema: &Value| schema.get("type").and_then(Value::as_str).map(str::to_owned);
        let (old, _) = deref(old_doc, old_schema);
        let old_kind = kind(old)?;
        if old_kind == "array" || old_kind == "object" {
            return None;
        }
        let (new, _) = deref(new_doc, new_schema);
        (kind(new).as_deref() == Some("array")).then(|| new.get("items")).flatten()
    }

    /// Media types are matched by name, then by essence (a change of parameters only), then by
    /// direction: a response media type may become more specific (`application/json` →
    /// `application/problem+json`), a request one more general, and old clients still agree.
    fn content(&mut self, old: Option<&Value>, new: Option<&Value>, side: Side, pointer: &str) {
        let empty = Map::new();
        let old = old.and_then(Value::as_object).unwrap_or(&empty);
        let new = new.and_then(Value::as_object).unwrap_or(&empty);
        let added: Vec<&String> = new.keys().filter(|m| !old.contains_key(*m)).collect();
        let mut replacements = BTreeSet::new();
        for (media_type, old_media) in old {
            let at = pointer_push(pointer, media_type);
            let successor = if new.contains_key(media_type) {
                Some(media_type)
            } else if let Some(same) = added.iter().find(|m| essence(m) == essence(media_type)) {
                self.warning(
                    "media-type-parameters-changed",
                    &at,
                    format!("media type {media_type} is now {same}: clients that check its parameters may disagree"),
                );
                Some(*same)
            } else if let Some(other) = added.iter().find(|m| match side {
                Side::Response => covers(media_type, m),
                Side::Request => covers(m, media_type),
            }) {
                let how = if side == Side::Response { "more specific" } else { "more general" };
                self.info(
                    "media-type-changed-compatibly",
                    &at,
                    format!("media type {media_type} was replaced by the {how} {other}"),
                );
                Some(*other)
            } else {
                self.error("media-type-removed", &at, format!("media type {media_type} was removed"));
                None
            };
            let Some(successor) = successor else { continue };
            replacements.insert(successor);
            let at = format!("{}/schema", pointer_push(pointer, successor));
            // No schema, or `true`, is any body; `false` is none, as if the media type were gone.
            let nothing = Some(&Value::Bool(false));
            match (body_schema(old_media), body_schema(&new[successor])) {
                (was, is) if was == nothing && is == nothing => {}
                (_, is) if is == nothing => self.error(
                    "media-type-removed",
                    &at,
                    format!("the schema of {media_type} became `false`: no such body is accepted or sent"),
                ),
                (was, _) if was == nothing => {
                    self.subschema_presence(side, false, &at, &format!("`false` as the schema of {media_type}"))
                }
                (Some(old_schema), Some(new_schema)) => self.schema(old_schema, new_schema, side, &at),
                (None, None) => {}
                (_, is) => self.subschema_presence(side, is.is_some(), &at, &format!("the schema of {media_type}")),
            }
        }
        for media_type in added.into_iter().filter(|m| !replacements.contains(m)) {
            let at = pointer_push(pointer, media_type);
            match side {
                Side::Response => self.info("media-type-added", &at, format!("media type {media_type} was added")),
                Side::Request => self.info("media-type-added", &at, format!("media type {media_type} is now accepted")),
            }
        }
    }

    fn schema(&mut self, old_value: &Value, new: &Value, side: Side, pointer: &str) {
        let (old, old_ref) = resolve(self.old, old_value);
        let (new, new_ref) = resolve(self.new, new);
        if let Some((keyword, position, count)) = self.wrapped(old_value, &old, &new) {
            let part = new[keyword][position].clone();
            return self.schema_wrapped(old_value, &part, (keyword, position, count), side, pointer);
        }
        if let (Some(old_ref), Some(new_ref)) = (&old_ref, &new_ref) {
            let key = (old_ref.clone(), new_ref.clone(), side);
            if !self.visiting.insert(key.clone()) {
                return;
            }
            self.schema_body(&old, &new, side, pointer);
            self.visiting.remove(&key);
        } else {
            self.schema_body(&old, &new, side, pointer);
        }
    }

    /// Whether `new_resolved` is `old` wrapped in a `oneOf` / `anyOf` with other alternatives:
    /// the keyword, the position of the alternative that is `old`, and how many there are.
    fn wrapped(&self, old: &Value, old_resolved: &Value, new_resolved: &Value) -> Option<(&'static str, usize, usize)> {
        let composed = |schema: &Value| ["oneOf", "anyOf", "allOf"].iter().any(|k| schema.get(*k).is_some());
        if composed(old_resolved) || ["type", "properties"].iter().any(|k| new_resolved.get(*k).is_some()) {
            return None;
        }
        ["oneOf", "anyOf"].into_iter().find_map(|keyword| {
            let parts = new_resolved.get(keyword)?.as_array()?;
            let position = parts.iter().position(|part| part == old || *resolve(self.new, part).0 == *old_resolved)?;
            (parts.len() > 1).then_some((keyword, position, parts.len()))
        })
    }

    /// `old` became `part`, one alternative of several. Old clients sent values of that
    /// alternative, which are still accepted (but by a `oneOf` only where no other alternative
    /// matches them too); they decode only values of it, and the others may now come.
    fn schema_wrapped(
        &mut self,
        old: &Value,
        part: &Value,
        (keyword, position, count): (&'static str, usize, usize),
        side: Side,
        pointer: &str,
    ) {
        let at = format!("{pointer}/{keyword}");
        let message = format!("the schema became one of {count} `{keyword}` alternatives");
        match side {
            Side::Response => self.error(
                "response-composition-widened",
                &at,
                format!("{message}: old clients cannot decode the others"),
            ),
            Side::Request if keyword == "anyOf" => {
                self.info("composition-changed-compatibly", &at, format!("{message}: what was accepted still is"))
            }
            Side::Request => self.warning(
                "request-wrapped-in-one-of",
                &at,
                format!("{message}: values that match another alternative too are now refused"),
            ),
        }
        self.schema(old, part, side, &format!("{at}/{position}"));
    }

    fn schema_body(&mut self, old: &Value, new: &Value, side: Side, pointer: &str) {
        let text = |schema: &Value, key: &str| schema.get(key).and_then(Value::as_str).map(str::to_owned);
        // Types as sets (3.1 type lists), `None` for any type; every integer is a number. A
        // request may widen, a response narrow.
        let (old_types, new_types) = (type_set(old), type_set(new));
        let (widened, narrowed) = (types_within(&old_types, &new_types), types_within(&new_types, &old_types));
        if !(widened && narrowed) {
            let message = format!("the type changed from {} to {}", type_names(&old_types), type_names(&new_types));
            match side {
                Side::Request if widened => self.info(
                    "type-widened-compatibly",
                    pointer,
                    format!("{message}, which old clients still send within"),
                ),
                Side::Response if narrowed => {
                    self.info("type-widened-compatibly", pointer, format!("{message}, which old clients still decode"))
                }
                _ => return self.error("type-changed", pointer, message),
            }
        }
        let (old_format, new_format) = (text(old, "format"), text(new, "format"));
        if old_format != new_format {
            let message = format!(
                "the format changed from {} to {}",
                old_format.as_deref().unwrap_or("none"),
                new_format.as_deref().unwrap_or("none")
            );
            match (format_narrows(old_format.as_deref(), new_format.as_deref()), side) {
                (Some(true), Side::Response) | (Some(false), Side::Request) => {
                    self.info("format-changed-compatibly", pointer, message)
                }
                _ => self.error("format-changed", pointer, message),
            }
        }
        self.constraints(old, new, side, pointer);
        self.default_value(old, new, side, pointer);
        if let (Some(old_values), Some(new_values)) = (enum_values(old), enum_values(new)) {
            for removed in old_values.difference(&new_values) {
                match side {
                    Side::Request => self.error(
                        "request-enum-value-removed",
                        pointer,
                        format!("the value {removed} is no longer accepted"),
                    ),
                    Side::Response => self.info(
                        "response-enum-value-removed",
                        pointer,
                        format!("the value {removed} is no longer sent"),
                    ),
                }
            }
            for added in new_values.difference(&old_values) {
                match side {
                    // Clients generated from the old document reject values they do not know.
                    Side::Response => {
                        self.error("response-enum-value-added", pointer, format!("the value {added} may now be sent"))
                    }
                    Side::Request => {
                        self.info("request-enum-value-added", pointer, format!("the value {added} is now accepted"))
                    }
                }
            }
        } else if enum_values(old).is_none() && enum_values(new).is_some() && side == Side::Request {
            self.error("request-enum-added", pointer, "the value is now restricted to an enum".into());
        } else if enum_values(old).is_some() && enum_values(new).is_none() && new.get("x-extensible-enum").is_none() {
            match side {
                Side::Request => self.info("request-enum-removed", pointer, "any value is now accepted".into()),
                // Clients generated from the old document decode the enum's values only.
                Side::Response => self.error(
                    "response-enum-removed",
                    pointer,
                    "the value is no longer restricted to an enum: any value may be sent".into(),
                ),
            }
        }
        self.extensible_enum(old, new, side, pointer);
        let nullable = |s: &Value| flag(s, "nullable");
        match side {
            Side::Response if nullable(new) && !nullable(old) => {
                self.error("response-became-nullable", pointer, "the value may now be null".into())
            }
            Side::Request if nullable(old) && !nullable(new) => {
                self.error("request-became-non-nullable", pointer, "null is no longer accepted".into())
            }
            _ if nullable(old) != nullable(new) => self.info(
                "nullability-changed-compatibly",
                pointer,
                if nullable(new) { "null is now accepted" } else { "the value is no longer null" }.into(),
            ),
            _ => {}
        }
        for (key, rule) in [("readOnly", "read-only-changed"), ("writeOnly", "write-only-changed")] {
            if flag(old, key) != flag(new, key) {
                self.error(rule, pointer, format!("`{key}` changed from {} to {}", flag(old, key), flag(new, key)));
            }
        }
        // additionalProperties: false on a request refuses what was accepted.
        let closed = |s: &Value| s.get("additionalProperties") == Some(&Value::Bool(false));
        if side == Side::Request && closed(new) && !closed(old) {
            self.error("additional-properties-tightened", pointer, "unknown properties are now refused".into());
        }
        self.properties(old, new, side, pointer);
        for keyword in ["allOf", "oneOf", "anyOf"] {
            self.composition(keyword, old, new, side, pointer);
        }
        self.json_schema_2020(old, new, side, pointer);
        if let (Some(Value::Object(_)), Some(Value::Object(_))) =
            (old.get("additionalProperties"), new.get("additionalProperties"))
        {
            let (o, n) = (&old["additionalProperties"], &new["additionalProperties"]);
            self.schema(o, n, side, &format!("{pointer}/additionalProperties"));
        }
    }

    /// Response headers: what old clients read must still come, in a form they decode. Header
    /// names are compared case-insensitively, as HTTP does.
    fn headers(&mut self, old: &Value, new: &Value, pointer: &str) {
        let headers = |doc: &'a Value, response: &Value| -> Vec<(String, String, Value)> {
            response
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, header)| (name.to_ascii_lowercase(), name.clone(), deref(doc, header).0.clone()))
                .collect()
        };
        let (old_headers, new_headers) = (headers(self.old, old), headers(self.new, new));
        let at = format!("{pointer}/headers");
        for (key, name, old_header) in &old_headers {
            let Some((_, new_name, new_header)) = new_headers.iter().find(|(k, _, _)| k == key) else {
                let at = pointer_push(&at, name);
                if flag(old_header, "required") {
                    self.error("response-header-removed", &at, format!("required header `{name}` is no longer sent"));
                } else {
                    self.warning(
                        "response-optional-header-removed",
                        &at,
                        format!("optional header `{name}` is no longer sent"),
                    );
                }
                continue;
            };
            let at = pointer_push(&at, new_name);
            if flag(old_header, "required") && !flag(new_header, "required") {
                self.error("response-header-became-optional", &at, format!("header `{name}` may now be absent"));
            }
            if let (Some(o), Some(n)) = (old_header.get("schema"), new_header.get("schema")) {
                self.schema(o, n, Side::Response, &format!("{at}/schema"));
            }
        }
        for (key, name, _) in &new_headers {
            if !old_headers.iter().any(|(k, _, _)| k == key) {
                self.info("response-header-added", &pointer_push(&at, name), format!("header `{name}` is now sent"));
            }
        }
    }

    /// `allOf`, `oneOf` and `anyOf`, judged by what each side accepts. Parts are matched by
    /// equality (a `$ref` by its target's name); lists of the same length with unequal parts are
    /// compared part by part. A new alternative (`oneOf` / `anyOf`) widens what is accepted: fine
    /// in a request, breaking in a response, whose old clients cannot decode it. A new `allOf`
    /// part narrows it: breaking in a request; in a response it adds what old clients ignore.
    fn composition(&mut self, keyword: &str, old: &Value, new: &Value, side: Side, pointer: &str) {
        let empty = Vec::new();
        let (old_parts, new_parts) =
            match (old.get(keyword).and_then(Value::as_array), new.get(keyword).and_then(Value::as_array)) {
                (None, None) => return,
                (o, n) => (o.unwrap_or(&empty), n.unwrap_or(&empty)),
            };
        let at = format!("{pointer}/{keyword}");
        let added = new_parts.iter().filter(|p| !old_parts.contains(p)).count();
        let removed = old_parts.iter().filter(|p| !new_parts.contains(p)).count();
        if added > 0 && removed > 0 {
            if old_parts.len() == new_parts.len() && !old_parts.is_empty() {
                for (i, (o, n)) in old_parts.iter().zip(new_parts).enumerate() {
                    self.schema(o, n, side, &format!("{at}/{i}"));
                }
            } else {
                self.error("composition-changed", &at, format!("the `{keyword}` parts were replaced"));
            }
            return;
        }
        let conjunction = keyword == "allOf";
        // An `allOf` part that goes takes its properties with it: our servers then refuse them.
        if side == Side::Request && conjunction && removed > 0 {
            let declared = |doc: &Value, schema: &Value| -> Vec<String> {
                let (schema, _) = deref(doc, schema);
                schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|p| p.keys().cloned())
                    .collect()
            };
            let kept: BTreeSet<String> =
                new_parts.iter().chain([new]).flat_map(|part| declared(self.new, part)).collect();
            let mut gone = false;
            for (i, part) in old_parts.iter().enumerate().filter(|(_, part)| !new_parts.contains(part)) {
                for name in declared(self.old, part).into_iter().filter(|name| !kept.contains(name)) {
                    gone = true;
                    self.error(
                        "request-property-removed",
                        &pointer_push(&format!("{at}/{i}/properties"), &name),
                        format!("`{name}` is no longer accepted: the `allOf` part that declared it was removed"),
                    );
                }
            }
            if gone {
                return;
            }
        }
        // What each direction does to the set of accepted values.
        let (widens, narrows) = if conjunction { (removed > 0, added > 0) } else { (added > 0, removed > 0) };
        let what = if added > 0 {
            format!("{added} `{keyword}` part(s) added")
        } else {
            format!("{removed} `{keyword}` part(s) removed")
        };
        match side {
            Side::Request if narrows => {
                self.error("request-composition-narrowed", &at, format!("{what}: fewer requests are accepted"))
            }
            Side::Response if widens && conjunction => self.warning(
                "response-composition-widened",
                &at,
                format!("{what}: responses may lack what the removed part guaranteed"),
            ),
            Side::Response if widens => self.error(
                "response-composition-widened",
                &at,
                format!("{what}: old clients cannot decode the new alternative"),
            ),
            _ if widens || narrows => self.info("composition-changed-compatibly", &at, what),
            _ => {}
        }
    }

    /// Value constraints, by direction: a request bound set or moved inwards refuses values old
    /// clients send; a response bound removed or moved outwards lets the server send values old
    /// clients never had to handle.
    fn constraints(&mut self, old: &Value, new: &Value, side: Side, pointer: &str) {
        let number = |schema: &Value, key: &str| schema.get(key).and_then(Value::as_f64);
        // (keyword, an upper bound?, its `exclusive…` flag in OpenAPI 3.0)
        const BOUNDS: [(&str, bool, Option<&str>); 10] = [
            ("maxContains", true, None),
            ("minContains", false, None),
            ("maxLength", true, None),
            ("minLength", false, None),
            ("maximum", true, Some("exclusiveMaximum")),
            ("minimum", false, Some("exclusiveMinimum")),
            ("maxItems", true, None),
            ("minItems", false, None),
            ("maxProperties", true, None),
            ("minProperties", false, None),
        ];
        for (keyword, upper, exclusive) in BOUNDS {
            let bound =
                |schema: &Value| number(schema, keyword).map(|n| (n, exclusive.is_some_and(|e| flag(schema, e))));
            let (was, is) = (bound(old), bound(new));
            // Inwards: a smaller upper bound, a larger lower one, or the same one made exclusive.
            let inwards = |from: (f64, bool), to: (f64, bool)| {
                let moved = if upper { to.0 < from.0 } else { to.0 > from.0 };
                moved || (to.0 == from.0 && to.1 && !from.1)
            };
            let (narrowed, widened) = match (was, is) {
                (None, Some(_)) => (true, false),
                (Some(_), None) => (false, true),
                (Some(a), Some(b)) => (inwards(a, b), inwards(b, a)),
                (None, None) => (false, false),
            };
            let describe = |v: Option<(f64, bool)>| match v {
                Some((n, true)) => format!("{n} (exclusive)"),
                Some((n, false)) => n.to_string(),
                None => "none".to_owned(),
            };
            let message = format!("`{keyword}` changed from {} to {}", describe(was), describe(is));
            self.constraint_change(side, narrowed, widened, pointer, message);
        }
        // multipleOf: a new step that divides the old one accepts more values.
        match (number(old, "multipleOf"), number(new, "multipleOf")) {
            (a, b) if a == b => {}
            (a, b) => {
                let divides = |step: f64, of: f64| step > 0.0 && (of / step).fract() == 0.0;
                let (narrowed, widened) = match (a, b) {
                    (None, Some(_)) => (true, false),
                    (Some(_), None) => (false, true),
                    (Some(a), Some(b)) => (!divides(b, a), !divides(a, b)),
                    (None, None) => (false, false),
                };
                let describe = |v: Option<f64>| v.map_or("none".to_owned(), |n| n.to_string());
                let message = format!("`multipleOf` changed from {} to {}", describe(a), describe(b));
                self.constraint_change(side, narrowed, widened, pointer, message);
            }
        }
        // uniqueItems set narrows; unset widens.
        let (was_unique, is_unique) = (flag(old, "uniqueItems"), flag(new, "uniqueItems"));
        if was_unique != is_unique {
            let message = if is_unique { "items must now be unique" } else { "items may now repeat" };
            self.constraint_change(side, is_unique, was_unique, pointer, message.into());
        }
        // Patterns cannot be compared for inclusion: a changed one is a warning either way.
        // A pattern every string matches (`.*`, unanchored at one end at least) is no pattern.
        let pattern = |schema: &Value| {
            schema
                .get("pattern")
                .and_then(Value::as_str)
                .filter(|p| !matches!(*p, "" | ".*" | "^.*" | ".*$"))
                .map(str::to_owned)
        };
        match (pattern(old), pattern(new)) {
            (None, Some(p)) if side == Side::Request => {
                self.error("request-pattern-added", pointer, format!("values must now match {p:?}"))
            }
            (Some(p), None) if side == Side::Response => {
                self.error("response-pattern-removed", pointer, format!("values need no longer match {p:?}"))
            }
            (Some(a), Some(b)) if a != b => self.warning(
                "pattern-changed",
                pointer,
                format!("the pattern changed from {a:?} to {b:?}; values valid before may not match it"),
            ),
            (a, b) if a != b => self.info("pattern-changed-compatibly", pointer, "the pattern changed".into()),
            _ => {}
        }
    }

    /// A sub-schema on one side only: one added constrains what is accepted, one removed frees it.
    fn subschema_presence(&mut self, side: Side, added: bool, at: &str, what: &str) {
        match (side, added) {
            (Side::Request, true) => {
                self.error("request-subschema-added", at, format!("{what} was added: fewer requests are accepted"))
            }
            (Side::Response, false) => self.error(
                "response-subschema-removed",
                at,
                format!("{what} was removed: responses old clients never had to handle may come"),
            ),
            _ => self.info(
                "subschema-changed-compatibly",
                at,
                format!("{what} was {}", if added { "added" } else { "removed" }),
            ),
        }
    }

    /// OpenAPI 3.1 / JSON Schema 2020-12 keywords, which the 3.1 normaliser keeps (with a
    /// warning) for the generator and so reach the diff. Each sub-schema keyword below only
    /// narrows what a value may be when added; `not` and `if` turn meaning around, so a change
    /// inside them cannot be judged by direction and is a warning.
    fn json_schema_2020(&mut self, old: &Value, new: &Value, side: Side, pointer: &str) {
        // `items` too: 3.1 closes a tuple with `items: false`, and no `items` is any item.
        const NARROWING: [&str; 10] = [
            "items",
            "contentSchema",
            "contains",
            "propertyNames",
            "not",
            "if",
            "then",
            "else",
            "unevaluatedItems",
            "unevaluatedProperties",
        ];
        for keyword in NARROWING {
            let at = format!("{pointer}/{keyword}");
            match (old.get(keyword), new.get(keyword)) {
                (o, n) if o.is_some() != n.is_some() => {
                    self.subschema_presence(side, n.is_some(), &at, &format!("`{keyword}`"))
                }
                // Sub-schemas are compared through their `$ref`s, which may look alike and differ.
                (Some(o), Some(n)) if o.is_object() && n.is_object() && !matches!(keyword, "not" | "if") => {
                    self.schema(o, n, side, &at)
                }
                (Some(o), Some(n)) if o != n => match keyword {
                    "not" | "if" => self.warning(
                        "conditional-subschema-changed",
                        &at,
                        format!("`{keyword}` changed: which values are accepted may have changed either way"),
                    ),
                    // `false` accepts nothing, `true` anything: true → false narrows.
                    _ => {
                        let message = format!("`{keyword}` changed from {o} to {n}");
                        let narrows = n == &Value::Bool(false) || o == &Value::Bool(true);
                        match side {
                            Side::Request if narrows => self.error("subschema-changed", &at, message),
                            Side::Response if !narrows => self.error("subschema-changed", &at, message),
                            _ => self.info("subschema-changed-compatibly", &at, message),
                        }
                    }
                },
                _ => {}
            }
        }
        // How a string carries its content (3.1): another encoding or media type, added or
        // removed, is another reading of the same text, whichever side sends it.
        for keyword in ["contentEncoding", "contentMediaType"] {
            let (o, n) = (old.get(keyword), new.get(keyword));
            if o != n {
                let name = |v: Option<&Value>| v.map_or("none".to_owned(), Value::to_string);
                self.error(
                    "content-encoding-changed",
                    &format!("{pointer}/{keyword}"),
                    format!("`{keyword}` changed from {} to {}", name(o), name(n)),
                );
            }
        }
        // Maps of sub-schemas: an entry added constrains more, one removed frees; entries in
        // both are compared.
        for keyword in ["patternProperties", "dependentSchemas"] {
            let empty = Map::new();
            let old_map = old.get(keyword).and_then(Value::as_object).unwrap_or(&empty);
            let new_map = new.get(keyword).and_then(Value::as_object).unwrap_or(&empty);
            let base = format!("{pointer}/{keyword}");
            for (key, o) in old_map {
                let at = pointer_push(&base, key);
                match new_map.get(key) {
                    Some(n) => self.schema(o, n, side, &at),
                    None => self.subschema_presence(side, false, &at, &format!("`{keyword}` entry `{key}`")),
                }
            }
            for key in new_map.keys().filter(|key| !old_map.contains_key(*key)) {
                let at = pointer_push(&base, key);
                self.subschema_presence(side, true, &at, &format!("`{keyword}` entry `{key}`"));
            }
        }
        // prefixItems, position by position. Past the end of a list, a position is held to that
        // side's `items`, or to nothing when there is none: a new position constrains more.
        let prefix = |schema: &Value| schema.get("prefixItems").and_then(Value::as_array).cloned().unwrap_or_default();
        let (old_prefix, new_prefix) = (prefix(old), prefix(new));
        for i in 0..old_prefix.len().max(new_prefix.len()) {
            let at = format!("{pointer}/prefixItems/{i}");
            match (old_prefix.get(i).or(object_items(old)), new_prefix.get(i).or(object_items(new))) {
                (Some(o), Some(n)) if o.is_object() && n.is_object() => self.schema(o, n, side, &at),
                (None, Some(_)) => self.subschema_presence(side, true, &at, &format!("`prefixItems` position {i}")),
                (Some(_), None) => self.subschema_presence(side, false, &at, &format!("`prefixItems` position {i}")),
                // `items: false` and other booleans are compared as `items` above.
                _ => {}
            }
        }
        // dependentRequired: property → properties required with it.
        let dependencies = |schema: &Value| -> Vec<(String, BTreeSet<String>)> {
            schema
                .get("dependentRequired")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, list)| (name.clone(), string_set(Some(list))))
                .collect()
        };
        let (was, is) = (dependencies(old), dependencies(new));
        let of = |list: &[(String, BTreeSet<String>)], name: &str| {
            list.iter().find(|(n, _)| n == name).map(|(_, set)| set.clone()).unwrap_or_default()
        };
        let names: BTreeSet<&String> = was.iter().chain(&is).map(|(n, _)| n).collect();
        for name in names {
            let (before, after) = (of(&was, name), of(&is, name));
            let at = pointer_push(&format!("{pointer}/dependentRequired"), name);
            let added: Vec<&String> = after.difference(&before).collect();
            let removed: Vec<&String> = before.difference(&after).collect();
            if !added.is_empty() && side == Side::Request {
                self.error(
                    "request-dependent-required-added",
                    &at,
                    format!("with `{name}`, {added:?} must now be sent too"),
                );
            } else if !removed.is_empty() && side == Side::Response {
                self.error(
                    "response-dependent-required-removed",
                    &at,
                    format!("with `{name}`, {removed:?} may now be absent"),
                );
            } else if !added.is_empty() || !removed.is_empty() {
                self.info(
                    "dependent-required-changed-compatibly",
                    &at,
                    format!("the properties required with `{name}` changed"),
                );
            }
        }
    }

    /// A value constraint that moved, judged by direction: narrowing what a request may hold or
    /// widening what a response may hold breaks old clients; the other directions are info.
    fn constraint_change(&mut self, side: Side, narrowed: bool, widened: bool, pointer: &str, message: String) {
        match side {
            Side::Request if narrowed => self.error("request-constraint-tightened", pointer, message),
            Side::Response if widened => self.error("response-constraint-loosened", pointer, message),
            _ if narrowed || widened => self.info("constraint-changed-compatibly", pointer, message),
            _ => {}
        }
    }

    /// A changed `default` changes what an omitted request value means.
    fn default_value(&mut self, old: &Value, new: &Value, side: Side, pointer: &str) {
        let (was, is) = (old.get("default"), new.get("default"));
        if was == is {
            return;
        }
        let show = |v: Option<&Value>| v.map_or("none".to_owned(), Value::to_string);
        let message = format!("the default changed from {} to {}", show(was), show(is));
        match side {
            Side::Request => self.warning(
                "request-default-changed",
                pointer,
                format!("{message}: requests that omit the value now mean something else"),
            ),
            Side::Response => self.info("response-default-changed", pointer, message),
        }
    }

    fn properties(&mut self, old: &Value, new: &Value, side: Side, pointer: &str) {
        let empty = Map::new();
        let old_properties = old.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let new_properties = new.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let (old_required, new_required) = (string_set(old.get("required")), string_set(new.get("required")));
        let properties_pointer = format!("{pointer}/properties");
        for (name, old_property) in old_properties {
            let at = pointer_push(&properties_pointer, name);
            match new_properties.get(name) {
                None => {
                    let (property, _) = deref(self.old, old_property);
                    let required = old_required.contains(name);
                    if let Some(level) = self.stability(property, &at).filter(|level| *level < 2) {
                        let level = STABILITY[level];
                        self.info("unstable-property-removed", &at, format!("`{name}` ({level}) was removed"));
                        continue;
                    }
                    if never_travels(property, side) {
                        self.info(
                            "property-removed-where-absent",
                            &at,
                            format!("`{name}` was removed, but it {}", never_travels_why(side)),
                        );
                        continue;
                    }
                    self.removal(property, &at, &format!("property `{name}`"), "deprecated-property-removed", |this| {
                        match side {
                            Side::Response if required => this.error(
                                "response-property-removed",
                                &at,
                                format!("`{name}` is no longer in the response"),
                            ),
                            // Optional before: old clients already handle its absence.
                            Side::Response => this.warning(
                                "response-optional-property-removed",
                                &at,
                                format!("optional `{name}` is no longer in the response"),
                            ),
                            Side::Request => {
                                this.error("request-property-removed", &at, format!("`{name}` is no longer accepted"))
                            }
                        }
                    })
                }
                Some(new_property) => {
                    let (was, is) = (old_required.contains(name), new_required.contains(name));
                    let (property, _) = deref(self.new, new_property);
                    let (previous, _) = deref(self.old, old_property);
                    let start = self.changes.len();
                    self.deprecation(previous, property, &at, &format!("property `{name}`"));
                    match side {
                        _ if never_travels(property, side) && was != is => self.info(
                            "required-changed-where-absent",
                            &at,
                            format!(
                                "`{name}` {} required, but it {}",
                                if is { "became" } else { "is no longer" },
                                never_travels_why(side)
                            ),
                        ),
                        Side::Request if is && !was => {
                            self.error("request-property-became-required", &at, format!("`{name}` became required"))
                        }
                        Side::Response if was && !is => {
                            self.error("response-property-became-optional", &at, format!("`{name}` may now be absent"))
                        }
                        _ => {}
                    }
                    self.schema(old_property, new_property, side, &at);
                    // What happens to a property that travels on neither side breaks nobody.
                    if never_travels(previous, side) && never_travels(property, side) {
                        self.demote(start, &format!("the property {}", never_travels_why(side)));
                    }
                    let (old_level, new_level) = (self.stability(previous, &at), self.stability(property, &at));
                    self.stability_kept(old_level, new_level, start, &at, &format!("property `{name}`"));
                }
            }
        }
        for name in new_properties.keys() {
            if old_properties.contains_key(name) {
                continue;
            }
            let at = pointer_push(&properties_pointer, name);
            let (property, _) = deref(self.new, &new_properties[name]);
            if side == Side::Request && new_required.contains(name) && !never_travels(property, side) {
                self.error("request-property-added-required", &at, format!("required property `{name}` was added"));
            } else {
                self.info("property-added", &at, format!("property `{name}` was added"));
            }
        }
    }
}

/// An array schema's `items`, where it is a schema (not a boolean).
fn object_items(schema: &Value) -> Option<&Value> {
    schema.get("items").filter(|items| items.is_object())
}

/// The types a schema allows (`None`: any): `type`, or a 3.1 type list.
fn type_set(schema: &Value) -> Option<BTreeSet<String>> {
    match schema.get("type")? {
        Value::String(one) => Some(BTreeSet::from([one.clone()])),
        Value::Array(many) => Some(many.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
        _ => None,
    }
}

/// Whether every value of types `inner` is one of types `outer` (an integer is a number).
fn types_within(inner: &Option<BTreeSet<String>>, outer: &Option<BTreeSet<String>>) -> bool {
    match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(inner), Some(outer)) => {
            inner.iter().all(|t| outer.contains(t) || (t == "integer" && outer.contains("number")))
        }
    }
}

fn type_names(types: &Option<BTreeSet<String>>) -> String {
    match types {
        None => "any".into(),
        Some(types) => types.iter().map(String::as_str).collect::<Vec<_>>().join(" or "),
    }
}

/// Whether a format change narrows the values allowed (`Some(true)`), widens them
/// (`Some(false)`), or changes them otherwise (`None`). A format added narrows and one removed
/// widens; of the width formats, `int32` values are `int64` ones and `float` ones `double`.
fn format_narrows(old: Option<&str>, new: Option<&str>) -> Option<bool> {
    match (old, new) {
        (None, Some(_)) | (Some("int64"), Some("int32")) | (Some("double"), Some("float")) => Some(true),
        (Some(_), None) | (Some("int32"), Some("int64")) | (Some("float"), Some("double")) => Some(false),
        _ => None,
    }
}

/// A media type's schema, where it constrains the body: none, or `true`, is any body.
fn body_schema(media: &Value) -> Option<&Value> {
    media.get("schema").filter(|schema| **schema != Value::Bool(true))
}

/// A media type without its parameters, lower-cased: `application/json; charset=utf-8` →
/// `application/json`.
fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Whether every body of media type `specific` is also one of `general`: a range
/// (`*/*`, `application/*`) covers its types, and `application/json` covers the structured
/// syntax suffix `application/problem+json`.
fn covers(general: &str, specific: &str) -> bool {
    let (general, specific) = (essence(general), essence(specific));
    let (Some((g_type, g_sub)), Some((s_type, s_sub))) = (general.split_once('/'), specific.split_once('/')) else {
        return false;
    };
    general != specific
        && (g_type == "*"
            || (g_type == s_type
                && (g_sub == "*" || s_sub.rsplit_once('+').is_some_and(|(_, suffix)| suffix == g_sub))))
}

/// The statuses of a responses object: its `x-` keys are extensions.
fn statuses(responses: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    responses.iter().filter(|(status, _)| !status.starts_with("x-"))
}

/// Whether a property never travels on this side: a readOnly one is never sent, a writeOnly one
/// never received. What happens to it there breaks nobody.
fn never_travels(property: &Value, side: Side) -> bool {
    match side {
        Side::Request => flag(property, "readOnly"),
        Side::Response => flag(property, "writeOnly"),
    }
}

fn never_travels_why(side: Side) -> &'static str {
    match side {
        Side::Request => "is readOnly and never sent",
        Side::Response => "is writeOnly and never received",
    }
}

/// Every contract change from `old` to `new`, breaking ones first, then by pointer.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    diff_with(old, new, Policy::default())
}

/// [`diff`] under a deprecation policy.
pub fn diff_with(old: &Value, new: &Value, policy: Policy) -> Vec<Change> {
    let mut differ = Differ { old, new, changes: Vec::new(), visiting: BTreeSet::new(), renames: Vec::new(), policy };
    differ.operations();
    differ.webhooks();
    let mut changes = differ.changes;
    changes.sort();
    changes
}

/// The major version of `info.version` (`1.2.3` → 1), when it has one.
pub fn major_version(doc: &Value) -> Option<u64> {
    doc.pointer("/info/version")?.as_str()?.trim_start_matches('v').split('.').next()?.parse().ok()
}

/// A path parameter's schema as the URL constrains it: a path segment is never empty, so a
/// string's `minLength` below 1 is 1 (adding `minLength: 1` narrows nothing).
fn path_segment(location: &str, schema: &Value) -> Value {
    let mut schema = schema.clone();
    if location == "path"
        && schema.get("type").and_then(Value::as_str) == Some("string")
        && let Some(map) = schema.as_object_mut()
        && map.get("minLength").and_then(Value::as_f64).is_none_or(|min| min < 1.0)
    {
        map.insert("minLength".into(), Value::from(1));
    }
    schema
}

/// The `content` of an operation's request body, through a `$ref`.
fn body_content<'v>(doc: &'v Value, op: &'v Value) -> Option<&'v Value> {
    op.get("requestBody").map(|b| deref(doc, b).0).and_then(|b| b.get("content"))
}
