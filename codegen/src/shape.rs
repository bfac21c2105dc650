//! Precise locations for shape errors. `openapiv3` refuses a malformed document with one error,
//! and where its types are untagged enums (`ReferenceOr<…>`) serde loses the path: `in: querry`
//! deep in an operation is reported at `#/paths`. When `openapiv3` refuses a document, this walk
//! looks for the usual mistakes itself and reports every one at the offending key, with a hint.
//! It only runs after `openapiv3` has refused, so it can never refuse a document that
//! `openapiv3` accepts.

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, pointer_push};
use crate::naming::edit_distance;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const LOCATIONS: [&str; 4] = ["query", "header", "path", "cookie"];

/// Every mistake of shape found, each at its key.
pub fn mistakes(json: &Value) -> Vec<Diagnostic> {
    let mut walk = Walk { out: Vec::new() };
    walk.document(json);
    walk.out
}

struct Walk {
    out: Vec<Diagnostic>,
}

fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl Walk {
    fn error(&mut self, pointer: String, message: String, hint: Option<String>) {
        let mut diagnostic = Diagnostic::error(pointer, message);
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.out.push(diagnostic);
    }

    /// `value` at `pointer` must be an object; its map when it is.
    fn object<'v>(&mut self, value: &'v Value, pointer: &str, what: &str) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.error(pointer.to_owned(), format!("{what} must be an object, not {}", kind(other)), None);
                None
            }
        }
    }

    fn list<'v>(&mut self, value: &'v Value, pointer: &str, what: &str) -> Option<&'v Vec<Value>> {
        match value {
            Value::Array(items) => Some(items),
            other => {
                self.error(pointer.to_owned(), format!("{what} must be a list, not {}", kind(other)), None);
                None
            }
        }
    }

    fn document(&mut self, json: &Value) {
        let Some(root) = json.as_object() else { return };
        if let Some(paths) = root.get("paths").and_then(|p| self.object(p, "#/paths", "`paths`")) {
            // Keys that are not paths are the loader's warning (the typed parser ignores them).
            for (path, item) in paths.iter().filter(|(path, _)| path.starts_with('/')) {
                self.path_item(item, &pointer_push("#/paths", path));
            }
        }
        let components = root.get("components").and_then(Value::as_object);
        for (name, schema) in components.and_then(|c| c.get("schemas")).and_then(Value::as_object).into_iter().flatten()
        {
            self.schema(schema, &pointer_push("#/components/schemas", name));
        }
        for (name, parameter) in
            components.and_then(|c| c.get("parameters")).and_then(Value::as_object).into_iter().flatten()
        {
            self.parameter(parameter, &pointer_push("#/components/parameters", name));
        }
        for (name, response) in
            components.and_then(|c| c.get("responses")).and_then(Value::as_object).into_iter().flatten()
        {
            self.response(response, &pointer_push("#/components/responses", name));
        }
    }

    fn path_item(&mut self, item: &Value, at: &str) {
        let Some(item) = self.object(item, at, "a path item") else { return };
        if item.contains_key("$ref") {
            return;
        }
        // Other keys `openapiv3` ignores, so they are not reported here either.
        for (key, value) in item {
            let here = pointer_push(at, key);
            match key.as_str() {
                "parameters" => self.parameters(value, &here),
                method if METHODS.contains(&method) => self.operation(value, &here),
                _ => {}
            }
        }
    }

    fn parameters(&mut self, value: &Value, at: &str) {
        for (i, parameter) in self.list(value, at, "`parameters`").into_iter().flatten().enumerate() {
            self.parameter(parameter, &pointer_push(at, &i.to_string()));
        }
    }

    fn parameter(&mut self, value: &Value, at: &str) {
        let Some(parameter) = self.object(value, at, "a parameter") else { return };
        if parameter.contains_key("$ref") {
            return;
        }
        match parameter.get("in") {
            None => self.error(at.to_owned(), "a parameter needs `in` (query, header, path or cookie)".into(), None),
            Some(Value::String(location)) if LOCATIONS.contains(&location.as_str()) => {}
            Some(other) => {
                let text = other.as_str().unwrap_or_default();
                let hint = closest(text, &LOCATIONS).map(|l| format!("did you mean `{l}`?"));
                self.error(
                    pointer_push(at, "in"),
                    format!("`in: {}` is not a parameter location: query, header, path or cookie", other),
                    hint.or_else(|| Some("use query, header, path or cookie".into())),
                );
            }
        }
        if !parameter.get("name").is_some_and(Value::is_string) {
            self.error(at.to_owned(), "a parameter needs a `name` (a string)".into(), None);
        }
        if let Some(schema) = parameter.get("schema") {
            self.schema(schema, &pointer_push(at, "schema"));
        }
        if let Some(content) = parameter.get("content") {
            self.content(content, &pointer_push(at, "content"));
        }
    }

    fn operation(&mut self, value: &Value, at: &str) {
        let Some(op) = self.object(value, at, "an operation") else { return };
        if let Some(parameters) = op.get("parameters") {
            self.parameters(parameters, &pointer_push(at, "parameters"));
        }
        if let Some(body) = op.get("requestBody") {
            let here = pointer_push(at, "requestBody");
            if let Some(body) = self.object(body, &here, "`requestBody`")
                && !body.contains_key("$ref")
                && let Some(content) = body.get("content")
            {
                self.content(content, &pointer_push(&here, "content"));
            }
        }
        if let Some(responses) = op.get("responses") {
            let here = pointer_push(at, "responses");
            for (status, response) in self.object(responses, &here, "`responses`").into_iter().flatten() {
                // As `openapiv3` reads them: 100 to 999, or a digit and `XX`.
                let rest = status.get(1..).unwrap_or_default();
                let valid = status == "default"
                    || status.starts_with("x-")
                    || (status.len() == 3
                        && status.starts_with(['1', '2', '3', '4', '5', '6', '7', '8', '9'])
                        && (rest.chars().all(|c| c.is_ascii_digit()) || rest.eq_ignore_ascii_case("xx")));
                let at = pointer_push(&here, status);
                if !valid {
                    self.error(
                        at,
                        format!(
                            "{status:?} is not a status: use a code such as `200`, a range such as `2XX`, or `default`"
                        ),
                        None,
                    );
                    continue;
                }
                if !status.starts_with("x-") {
                    self.response(response, &at);
                }
            }
        }
    }

    fn response(&mut self, value: &Value, at: &str) {
        let Some(response) = self.object(value, at, "a response") else { return };
        if response.contains_key("$ref") {
            return;
        }
        if !response.get("description").is_some_and(Value::is_string) {
            self.error(at.to_owned(), "a response needs a `description` (a string)".into(), None);
        }
        if let Some(content) = response.get("content") {
            self.content(content, &pointer_push(at, "content"));
        }
    }

    fn content(&mut self, value: &Value, at: &str) {
        for (media, entry) in self.object(value, at, "`content`").into_iter().flatten() {
            let here = pointer_push(at, media);
            if let Some(entry) = self.object(entry, &here, "a media type")
                && let Some(schema) = entry.get("schema")
            {
                self.schema(schema, &pointer_push(&here, "schema"));
            }
        }
    }

    fn schema(&mut self, value: &Value, at: &str) {
        let Some(schema) = self.object(value, at, "a schema") else { return };
        if schema.contains_key("$ref") {
            return;
        }
        match schema.get("required") {
            None | Some(Value::Array(_)) => {}
            Some(other) => self.error(
                pointer_push(at, "required"),
                format!("`required` on a schema is the list of its required properties, not {}", kind(other)),
                Some(
                    "to make a property required, name it in the object schema's list: `required: [name]`, \
                     beside `properties`"
                        .into(),
                ),
            ),
        }
        if let Some(Value::Array(required)) = schema.get("required") {
            for (i, name) in required.iter().enumerate() {
                if !name.is_string() {
                    let here = pointer_push(&pointer_push(at, "required"), &i.to_string());
                    self.error(here, format!("a required property is named by a string, not {}", kind(name)), None);
                }
            }
        }
        if let Some(properties) = schema.get("properties") {
            let here = pointer_push(at, "properties");
            for (name, property) in self.object(properties, &here, "`properties`").into_iter().flatten() {
                self.schema(property, &pointer_push(&here, name));
            }
        }
        if let Some(items) = schema.get("items") {
            self.schema(items, &pointer_push(at, "items"));
        }
        if let Some(additional @ Value::Object(_)) = schema.get("additionalProperties") {
            self.schema(additional, &pointer_push(at, "additionalProperties"));
        }
        if let Some(not) = schema.get("not") {
            self.schema(not, &pointer_push(at, "not"));
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(parts) = schema.get(keyword) {
                let here = pointer_push(at, keyword);
                for (i, part) in self.list(parts, &here, &format!("`{keyword}`")).into_iter().flatten().enumerate() {
                    self.schema(part, &pointer_push(&here, &i.to_string()));
                }
            }
        }
        if let Some(values) = schema.get("enum") {
            self.list(values, &pointer_push(at, "enum"), "`enum`");
        }
        if let Some(ty) = schema.get("type")
            && !ty.is_string()
        {
            self.error(pointer_push(at, "type"), format!("`type` must be a string, not {}", kind(ty)), None);
        }
    }
}
