//! Breaking-change detection between two versions of an OpenAPI document.
//!
//! Both documents are compared as bundled JSON (references resolved while walking), from the
//! point of view of a client built from the old version and a server built from the new one.
//! Every change found gets a rule id, a severity, the JSON pointer where it is (in the new
//! document; in the old one for removals) and a one-line explanation. Edits to descriptions,
//! summaries and examples are not changes to the contract and are not reported.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::diagnostic::pointer_push;

/// Whether a change can break an existing client or server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Breaking,
    NonBreaking,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub severity: Severity,
    pub rule: &'static str,
    pub pointer: String,
    pub message: String,
}

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

fn string_set(value: Option<&Value>) -> BTreeSet<String> {
    value.and_then(Value::as_array).into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn enum_values(schema: &Value) -> Option<BTreeSet<String>> {
    schema.get("enum").and_then(Value::as_array).map(|values| values.iter().map(Value::to_string).collect())
}

impl<'a> Differ<'a> {
    fn push(&mut self, severity: Severity, rule: &'static str, pointer: &str, message: String) {
        let change = Change { severity, rule, pointer: pointer.to_owned(), message };
        if !self.changes.contains(&change) {
            self.changes.push(change);
        }
    }

    fn breaking(&mut self, rule: &'static str, pointer: &str, message: String) {
        self.push(Severity::Breaking, rule, pointer, message);
    }

    fn fine(&mut self, rule: &'static str, pointer: &str, message: String) {
        self.push(Severity::NonBreaking, rule, pointer, message);
    }

    fn operations(&mut self) {
        let empty = Map::new();
        let old_paths = self.old.get("paths").and_then(Value::as_object).unwrap_or(&empty);
        let new_paths = self.new.get("paths").and_then(Value::as_object).unwrap_or(&empty);
        for (path, old_item) in old_paths {
            let path_pointer = pointer_push("#/paths", path);
            let new_item = new_paths.get(path);
            for method in METHODS {
                let Some(old_op) = old_item.get(method) else { continue };
                let pointer = pointer_push(&path_pointer, method);
                match new_item.and_then(|item| item.get(method)) {
                    None => self.breaking(
                        "operation-removed",
                        &pointer,
                        format!("{} {path} was removed", method.to_uppercase()),
                    ),
                    Some(new_op) => {
                        self.operation(old_item, old_op, new_item.unwrap_or(&Value::Null), new_op, &pointer)
                    }
                }
            }
        }
        for (path, new_item) in new_paths {
            for method in METHODS {
                if new_item.get(method).is_some() && old_paths.get(path).and_then(|i| i.get(method)).is_none() {
                    let pointer = pointer_push(&pointer_push("#/paths", path), method);
                    self.fine("operation-added", &pointer, format!("{} {path} was added", method.to_uppercase()));
                }
            }
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
        for ((location, name), new_param, at) in &new_params {
            let at = format!("{pointer}/{at}");
            let required = flag(new_param, "required");
            match old_params.iter().find(|(k, _, _)| k.0 == *location && k.1 == *name) {
                None if required => self.breaking(
                    "parameter-added-required",
                    &at,
                    format!("required {location} parameter `{name}` was added"),
                ),
                None => self.fine("parameter-added", &at, format!("optional {location} parameter `{name}` was added")),
                Some((_, old_param, _)) => {
                    if required && !flag(old_param, "required") {
                        self.breaking(
                            "parameter-became-required",
                            &at,
                            format!("{location} parameter `{name}` became required"),
                        );
                    }
                    if let (Some(old_schema), Some(new_schema)) = (old_param.get("schema"), new_param.get("schema")) {
                        let at = format!("{at}/schema");
                        match Self::became_array(self.old, self.new, old_param, old_schema, new_param, new_schema) {
                            Some(items) => {
                                self.fine(
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
        for ((location, name), _, at) in &old_params {
            if !new_params.iter().any(|(k, _, _)| k.0 == *location && k.1 == *name) {
                self.breaking(
                    "parameter-removed",
                    &format!("{pointer}/{at}"),
                    format!("{location} parameter `{name}` was removed"),
                );
            }
        }
        // Request body.
        let old_body = old_op.get("requestBody").map(|b| deref(self.old, b).0);
        let new_body = new_op.get("requestBody").map(|b| deref(self.new, b).0);
        let body_pointer = format!("{pointer}/requestBody");
        match (old_body, new_body) {
            (None, Some(body)) if flag(body, "required") => {
                self.breaking("request-body-added-required", &body_pointer, "a required request body was added".into())
            }
            (Some(old), Some(new)) => {
                if flag(new, "required") && !flag(old, "required") {
                    self.breaking(
                        "request-body-became-required",
                        &body_pointer,
                        "the request body became required".into(),
                    );
                }
                self.content(old.get("content"), new.get("content"), Side::Request, &format!("{body_pointer}/content"));
            }
            (Some(_), None) => {
                self.breaking("request-body-removed", &body_pointer, "the request body was removed".into())
            }
            _ => {}
        }
        // Responses.
        let empty = Map::new();
        let old_responses = old_op.get("responses").and_then(Value::as_object).unwrap_or(&empty);
        let new_responses = new_op.get("responses").and_then(Value::as_object).unwrap_or(&empty);
        for (status, old_response) in old_responses {
            let at = pointer_push(&format!("{pointer}/responses"), status);
            match new_responses.get(status) {
                None => self.breaking("response-status-removed", &at, format!("response {status} was removed")),
                Some(new_response) => {
                    let (old_response, _) = deref(self.old, old_response);
                    let (new_response, _) = deref(self.new, new_response);
                    self.content(
                        old_response.get("content"),
                        new_response.get("content"),
                        Side::Response,
                        &format!("{at}/content"),
                    );
                }
            }
        }
        for status in new_responses.keys() {
            if !old_responses.contains_key(status) {
                let at = pointer_push(&format!("{pointer}/responses"), status);
                self.fine("response-status-added", &at, format!("response {status} was added"));
            }
        }
        // Security: what a request must carry.
        let effective = |doc: &Value, op: &Value| -> BTreeSet<BTreeSet<String>> {
            op.get("security")
                .or_else(|| doc.get("security"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|alt| alt.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default())
                .collect()
        };
        let (old_security, new_security) = (effective(self.old, old_op), effective(self.new, new_op));
        let was_public = old_security.is_empty() || old_security.iter().any(BTreeSet::is_empty);
        let is_public = new_security.is_empty() || new_security.iter().any(BTreeSet::is_empty);
        if was_public && !is_public {
            self.breaking(
                "security-added",
                &format!("{pointer}/security"),
                "the operation now requires credentials".into(),
            );
        } else if !is_public
            && new_security.iter().any(|alt| !old_security.contains(alt))
            && !old_security.iter().all(|alt| new_security.contains(alt))
        {
            self.breaking(
                "security-changed",
                &format!("{pointer}/security"),
                "an accepted credential was removed or replaced".into(),
            );
        } else if !was_public && is_public {
            self.fine(
                "security-removed",
                &format!("{pointer}/security"),
                "the operation no longer requires credentials".into(),
            );
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

    fn content(&mut self, old: Option<&Value>, new: Option<&Value>, side: Side, pointer: &str) {
        let empty = Map::new();
        let old = old.and_then(Value::as_object).unwrap_or(&empty);
        let new = new.and_then(Value::as_object).unwrap_or(&empty);
        for (media_type, old_media) in old {
            let at = pointer_push(pointer, media_type);
            match new.get(media_type) {
                None => self.breaking("media-type-removed", &at, format!("media type {media_type} was removed")),
                Some(new_media) => {
                    if let (Some(old_schema), Some(new_schema)) = (old_media.get("schema"), new_media.get("schema")) {
                        self.schema(old_schema, new_schema, side, &format!("{at}/schema"));
                    }
                }
            }
        }
        for media_type in new.keys() {
            if !old.contains_key(media_type) {
                let at = pointer_push(pointer, media_type);
                match side {
                    Side::Response => self.fine("media-type-added", &at, format!("media type {media_type} was added")),
                    Side::Request => {
                        self.fine("media-type-added", &at, format!("media type {media_type} is now accepted"))
                    }
                }
            }
        }
    }

    fn schema(&mut self, old: &Value, new: &Value, side: Side, pointer: &str) {
        let (old, old_ref) = deref(self.old, old);
        let (new, new_ref) = deref(self.new, new);
        if let (Some(old_ref), Some(new_ref)) = (&old_ref, &new_ref) {
            let key = (old_ref.clone(), new_ref.clone(), side);
            if !self.visiting.insert(key.clone()) {
                return;
            }
            self.schema_body(old, new, side, pointer);
            self.visiting.remove(&key);
        } else {
            self.schema_body(old, new, side, pointer);
        }
    }

    fn schema_body(&mut self, old: &Value, new: &Value, side: Side, pointer: &str) {
        let text = |schema: &Value, key: &str| schema.get(key).and_then(Value::as_str).map(str::to_owned);
        if text(old, "type") != text(new, "type") {
            self.breaking(
                "type-changed",
                pointer,
                format!(
                    "the type changed from {} to {}",
                    text(old, "type").unwrap_or("any".into()),
                    text(new, "type").unwrap_or("any".into())
                ),
            );
            return;
        }
        if text(old, "format") != text(new, "format") {
            self.breaking(
                "format-changed",
                pointer,
                format!(
                    "the format changed from {} to {}",
                    text(old, "format").unwrap_or("none".into()),
                    text(new, "format").unwrap_or("none".into())
                ),
            );
        }
        if let (Some(old_values), Some(new_values)) = (enum_values(old), enum_values(new)) {
            for removed in old_values.difference(&new_values) {
                match side {
                    Side::Request => self.breaking(
                        "request-enum-value-removed",
                        pointer,
                        format!("the value {removed} is no longer accepted"),
                    ),
                    Side::Response => self.fine(
                        "response-enum-value-removed",
                        pointer,
                        format!("the value {removed} is no longer sent"),
                    ),
                }
            }
            for added in new_values.difference(&old_values) {
                match side {
                    // Clients generated from the old document reject values they do not know.
                    Side::Response => self.breaking(
                        "response-enum-value-added",
                        pointer,
                        format!("the value {added} may now be sent"),
                    ),
                    Side::Request => {
                        self.fine("request-enum-value-added", pointer, format!("the value {added} is now accepted"))
                    }
                }
            }
        } else if enum_values(old).is_none() && enum_values(new).is_some() && side == Side::Request {
            self.breaking("request-enum-added", pointer, "the value is now restricted to an enum".into());
        }
        let nullable = |s: &Value| flag(s, "nullable");
        match side {
            Side::Response if nullable(new) && !nullable(old) => {
                self.breaking("response-became-nullable", pointer, "the value may now be null".into())
            }
            Side::Request if nullable(old) && !nullable(new) => {
                self.breaking("request-became-non-nullable", pointer, "null is no longer accepted".into())
            }
            _ => {}
        }
        for (key, rule) in [("readOnly", "read-only-changed"), ("writeOnly", "write-only-changed")] {
            if flag(old, key) != flag(new, key) {
                self.breaking(rule, pointer, format!("`{key}` changed from {} to {}", flag(old, key), flag(new, key)));
            }
        }
        // additionalProperties: false on a request refuses what was accepted.
        let closed = |s: &Value| s.get("additionalProperties") == Some(&Value::Bool(false));
        if side == Side::Request && closed(new) && !closed(old) {
            self.breaking("additional-properties-tightened", pointer, "unknown properties are now refused".into());
        }
        self.properties(old, new, side, pointer);
        if let (Some(old_items), Some(new_items)) = (old.get("items"), new.get("items")) {
            self.schema(old_items, new_items, side, &format!("{pointer}/items"));
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            match (old.get(keyword).and_then(Value::as_array), new.get(keyword).and_then(Value::as_array)) {
                (Some(old_parts), Some(new_parts)) if old_parts.len() == new_parts.len() => {
                    for (i, (o, n)) in old_parts.iter().zip(new_parts).enumerate() {
                        self.schema(o, n, side, &format!("{pointer}/{keyword}/{i}"));
                    }
                }
                (None, None) => {}
                _ => self.breaking(
                    "composition-changed",
                    &format!("{pointer}/{keyword}"),
                    format!("the `{keyword}` alternatives changed"),
                ),
            }
        }
        if let (Some(Value::Object(_)), Some(Value::Object(_))) =
            (old.get("additionalProperties"), new.get("additionalProperties"))
        {
            let (o, n) = (&old["additionalProperties"], &new["additionalProperties"]);
            self.schema(o, n, side, &format!("{pointer}/additionalProperties"));
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
                None => match side {
                    Side::Response => self.breaking(
                        "response-property-removed",
                        &at,
                        format!("`{name}` is no longer in the response"),
                    ),
                    Side::Request => {
                        self.breaking("request-property-removed", &at, format!("`{name}` is no longer accepted"))
                    }
                },
                Some(new_property) => {
                    let (was, is) = (old_required.contains(name), new_required.contains(name));
                    match side {
                        Side::Request if is && !was => {
                            self.breaking("request-property-became-required", &at, format!("`{name}` became required"))
                        }
                        Side::Response if was && !is => self.breaking(
                            "response-property-became-optional",
                            &at,
                            format!("`{name}` may now be absent"),
                        ),
                        _ => {}
                    }
                    self.schema(old_property, new_property, side, &at);
                }
            }
        }
        for name in new_properties.keys() {
            if old_properties.contains_key(name) {
                continue;
            }
            let at = pointer_push(&properties_pointer, name);
            if side == Side::Request && new_required.contains(name) {
                self.breaking("request-property-added-required", &at, format!("required property `{name}` was added"));
            } else {
                self.fine("property-added", &at, format!("property `{name}` was added"));
            }
        }
    }
}

/// Every contract change from `old` to `new`, breaking ones first, then by pointer.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut differ = Differ { old, new, changes: Vec::new(), visiting: BTreeSet::new() };
    differ.operations();
    let mut changes = differ.changes;
    changes.sort();
    changes
}

/// The major version of `info.version` (`1.2.3` → 1), when it has one.
pub fn major_version(doc: &Value) -> Option<u64> {
    doc.pointer("/info/version")?.as_str()?.trim_start_matches('v').split('.').next()?.parse().ok()
}
