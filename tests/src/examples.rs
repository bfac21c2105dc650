//! Every example of the spec, with the schema it must satisfy and the side of the wire it is
//! on, and an independent check of each with the `jsonschema` crate after translating OpenAPI
//! 3.0 schemas to JSON Schema 2020-12: `nullable` becomes a `null` type, `readOnly` properties
//! are dropped from request schemas and `writeOnly` ones from response schemas, references
//! point into `$defs`.

use serde_json::{Map, Value, json};

/// Which side of the wire an example is on (decides `readOnly`/`writeOnly`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
    /// A component schema's own example: both views apply, so neither kind of field is dropped.
    Neutral,
}

/// One example found in the spec.
#[derive(Clone, Debug)]
pub struct Example {
    /// JSON pointer of the example value.
    pub pointer: String,
    /// The OpenAPI schema the value must satisfy (may be a `$ref`).
    pub schema: Value,
    pub direction: Direction,
    /// The media type for body examples (`text/plain` values are text, not JSON).
    pub media_type: Option<String>,
    pub value: Value,
}

/// A JSON pointer segment: `~` and `/` escaped.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Follows `$ref`s within the spec (a chain of them too).
pub fn deref<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec.pointer(reference.trim_start_matches('#')).map(|v| deref(spec, v)).unwrap_or(value),
        None => value,
    }
}

fn media_examples(spec: &Value, content: &Value, pointer: &str, direction: Direction, out: &mut Vec<Example>) {
    for (media_type, media) in content.as_object().into_iter().flatten() {
        let at = format!("{pointer}/{}", escape(media_type));
        let schema = media.get("schema").cloned().unwrap_or(json!({}));
        let mut push = |pointer: String, value: Value| {
            out.push(Example {
                pointer,
                schema: schema.clone(),
                direction,
                media_type: Some(media_type.clone()),
                value,
            })
        };
        if let Some(value) = media.get("example") {
            push(format!("{at}/example"), value.clone());
        }
        for (name, example) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
            if let Some(value) = deref(spec, example).get("value") {
                push(format!("{at}/examples/{}", escape(name)), value.clone());
            }
        }
    }
}

fn parameter_example(spec: &Value, parameter: &Value, pointer: &str, out: &mut Vec<Example>) {
    if parameter.get("$ref").is_some() {
        return; // Checked where it is defined, under components/parameters.
    }
    let schema = parameter.get("schema").cloned().unwrap_or(json!({}));
    if let Some(value) = parameter.get("example") {
        out.push(Example {
            pointer: format!("{pointer}/example"),
            schema: schema.clone(),
            direction: Direction::Request,
            media_type: None,
            value: value.clone(),
        });
    }
    for (name, example) in parameter.get("examples").and_then(Value::as_object).into_iter().flatten() {
        if let Some(value) = deref(spec, example).get("value") {
            out.push(Example {
                pointer: format!("{pointer}/examples/{}", escape(name)),
                schema: schema.clone(),
                direction: Direction::Request,
                media_type: None,
                value: value.clone(),
            });
        }
    }
}

fn response_examples(spec: &Value, response: &Value, pointer: &str, out: &mut Vec<Example>) {
    if response.get("$ref").is_some() {
        return; // Checked where it is defined, under components/responses.
    }
    if let Some(content) = response.get("content") {
        media_examples(spec, content, &format!("{pointer}/content"), Direction::Response, out);
    }
}

/// Every example in the spec: schema examples, parameter examples, request and response body
/// examples (component ones where they are defined, once).
pub fn collect(spec: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    for (name, schema) in spec.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
        let at = format!("#/components/schemas/{}", escape(name));
        if let Some(value) = schema.get("example") {
            let reference = json!({"$ref": format!("#/components/schemas/{name}")});
            out.push(Example {
                pointer: format!("{at}/example"),
                schema: reference,
                direction: Direction::Neutral,
                media_type: None,
                value: value.clone(),
            });
        }
        for (property, property_schema) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            if let Some(value) = property_schema.get("example") {
                out.push(Example {
                    pointer: format!("{at}/properties/{}/example", escape(property)),
                    schema: property_schema.clone(),
                    direction: Direction::Neutral,
                    media_type: None,
                    value: value.clone(),
                });
            }
        }
    }
    for (name, parameter) in spec.pointer("/components/parameters").and_then(Value::as_object).into_iter().flatten() {
        parameter_example(spec, parameter, &format!("#/components/parameters/{}", escape(name)), &mut out);
    }
    for (name, response) in spec.pointer("/components/responses").and_then(Value::as_object).into_iter().flatten() {
        response_examples(spec, response, &format!("#/components/responses/{}", escape(name)), &mut out);
    }
    for (path, item) in spec.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let at = format!("#/paths/{}/{method}", escape(path));
            for (i, parameter) in op.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
                parameter_example(spec, parameter, &format!("{at}/parameters/{i}"), &mut out);
            }
            if let Some(content) = op.get("requestBody").map(|b| deref(spec, b)).and_then(|b| b.get("content")) {
                media_examples(spec, content, &format!("{at}/requestBody/content"), Direction::Request, &mut out);
            }
            for (status, response) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
                response_examples(spec, response, &format!("{at}/responses/{status}"), &mut out);
            }
        }
    }
    out
}

/// Translates an OpenAPI 3.0 schema to JSON Schema 2020-12 for one direction.
pub fn translate(spec: &Value, schema: &Value, direction: Direction) -> Value {
    let Value::Object(map) = schema else { return schema.clone() };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/components/schemas/");
        return json!({"$ref": format!("#/$defs/{name}")});
    }
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "nullable" | "example" | "discriminator" | "xml" | "externalDocs" | "deprecated" => {}
            "properties" => {
                let mut properties = Map::new();
                for (name, property) in value.as_object().into_iter().flatten() {
                    let resolved = deref(spec, property);
                    let flag = |k: &str| resolved.get(k).and_then(Value::as_bool).unwrap_or(false);
                    let dropped = match direction {
                        Direction::Request => flag("readOnly"),
                        Direction::Response => flag("writeOnly"),
                        Direction::Neutral => false,
                    };
                    if dropped {
                        continue;
                    }
                    properties.insert(name.clone(), translate(spec, property, direction));
                }
                out.insert(key.clone(), Value::Object(properties));
            }
            "items" | "not" | "additionalProperties" if value.is_object() => {
                out.insert(key.clone(), translate(spec, value, direction));
            }
            "allOf" | "oneOf" | "anyOf" => {
                let parts = value.as_array().into_iter().flatten().map(|p| translate(spec, p, direction)).collect();
                out.insert(key.clone(), Value::Array(parts));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    // Required properties that were dropped for this direction are not required any more.
    if let (Some(Value::Array(required)), Some(Value::Object(properties))) =
        (out.get("required"), out.get("properties"))
    {
        let all: Vec<String> =
            map.get("properties").and_then(Value::as_object).map(|p| p.keys().cloned().collect()).unwrap_or_default();
        let kept: Vec<Value> = required
            .iter()
            .filter(|r| r.as_str().is_some_and(|r| properties.contains_key(r) || !all.iter().any(|a| a == r)))
            .cloned()
            .collect();
        out.insert("required".into(), Value::Array(kept));
    }
    if map.get("nullable").and_then(Value::as_bool).unwrap_or(false) {
        match out.get("type").cloned() {
            Some(Value::String(ty)) => {
                out.insert("type".into(), json!([ty, "null"]));
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            _ => return json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
        }
    }
    Value::Object(out)
}

/// Checks every example; returns how many were checked and one line per failure.
pub fn check(spec: &Value) -> (usize, Vec<String>) {
    let examples = collect(spec);
    let mut failures = Vec::new();
    for example in &examples {
        let text_body = example.media_type.as_deref().is_some_and(|m| m.starts_with("text/"));
        let validator = match validator(spec, &example.schema, example.direction) {
            Ok(validator) => validator,
            Err(e) => {
                failures.push(format!("{}: the schema does not compile: {e}", example.pointer));
                continue;
            }
        };
        // A text example is its own string.
        let value = if text_body && !example.value.is_string() {
            Value::String(example.value.to_string())
        } else {
            example.value.clone()
        };
        for error in validator.iter_errors(&value) {
            failures.push(format!("{}: {} (at {})", example.pointer, error, error.instance_path()));
        }
    }
    (examples.len(), failures)
}

/// A JSON Schema validator for an OpenAPI 3.0 schema on one side of the wire (component schemas
/// as `$defs`, formats checked).
pub fn validator(spec: &Value, schema: &Value, direction: Direction) -> Result<jsonschema::Validator, String> {
    let mut defs = Map::new();
    for (name, component) in spec.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
        defs.insert(name.clone(), translate(spec, component, direction));
    }
    let mut schema = translate(spec, schema, direction);
    if let Value::Object(map) = &mut schema {
        map.insert("$defs".into(), Value::Object(defs));
        map.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    }
    jsonschema::draft202012::options().should_validate_formats(true).build(&schema).map_err(|e| e.to_string())
}
