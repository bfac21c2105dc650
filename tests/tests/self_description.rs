//! The generated server's own OpenAPI description (built by generated code from what the
//! generator understood) agrees with the canonical spec: the same paths, methods, operation ids,
//! tags, parameters, bodies, statuses, media types, security, schema names, properties and
//! required fields. utoipa writes OpenAPI 3.1, so versions and nullability spelling may differ.

use std::collections::{BTreeMap, BTreeSet};

use contract_tests::load_spec_json;
use serde_json::Value;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn described() -> Value {
    serde_json::to_value(admin_api_server::openapi()).expect("the description serialises")
}

/// Follows a `$ref` within the same document.
fn deref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => doc.pointer(reference.trim_start_matches('#')).map(|v| deref(doc, v)).unwrap_or(value),
        None => value,
    }
}

/// One line per fact about the operations, so a difference reads as a list of facts.
fn operation_facts(doc: &Value) -> BTreeSet<String> {
    let mut facts = BTreeSet::new();
    let default_security = doc.get("security").cloned().unwrap_or(Value::Array(Vec::new()));
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let at = format!("{} {path}", method.to_uppercase());
            facts.insert(format!("{at} operationId={}", op["operationId"]));
            facts.insert(format!("{at} tags={}", op["tags"]));
            for param in op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
                let param = deref(doc, param);
                let required = param.get("required").and_then(Value::as_bool).unwrap_or(false);
                facts.insert(format!("{at} parameter {} in {} required={required}", param["name"], param["in"]));
            }
            if let Some(body) = op.get("requestBody").map(|b| deref(doc, b)) {
                let required = body.get("required").and_then(Value::as_bool).unwrap_or(false);
                for media in body["content"].as_object().expect("content").keys() {
                    facts.insert(format!("{at} body {media} required={required}"));
                }
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                let response = deref(doc, response);
                facts.insert(format!("{at} status {status}"));
                for media in response.get("content").and_then(Value::as_object).into_iter().flatten().map(|(k, _)| k) {
                    facts.insert(format!("{at} status {status} {media}"));
                }
            }
            let security = op.get("security").unwrap_or(&default_security);
            // Each alternative: its schemes with the scopes each asks for.
            let alternatives: BTreeSet<Vec<(&String, String)>> = security
                .as_array()
                .into_iter()
                .flatten()
                .map(|alt| {
                    alt.as_object().map(|m| m.iter().map(|(k, v)| (k, v.to_string())).collect()).unwrap_or_default()
                })
                .collect();
            facts.insert(format!("{at} security={alternatives:?}"));
        }
    }
    facts
}

/// Properties, required fields and enum values of each component schema.
fn schema_facts(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
        let mut facts = BTreeSet::new();
        for property in schema.get("properties").and_then(Value::as_object).into_iter().flatten().map(|(k, _)| k) {
            facts.insert(format!("property {property}"));
        }
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            facts.insert(format!("required {required}"));
        }
        for value in schema.get("enum").and_then(Value::as_array).into_iter().flatten() {
            facts.insert(format!("enum {value}"));
        }
        out.insert(name.clone(), facts);
    }
    out
}

fn security_scheme_facts(doc: &Value) -> BTreeSet<String> {
    doc["components"]["securitySchemes"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, s)| {
            format!(
                "{name} type={} in={} name={} scheme={} flows={} openIdConnectUrl={}",
                s["type"], s["in"], s["name"], s["scheme"], s["flows"], s["openIdConnectUrl"]
            )
        })
        .collect()
}

/// The `wire` fixture (every parameter style, form and binary bodies, problem+json, OAuth 2
/// with scopes) and its golden server's description.
fn wire() -> (Value, Value) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../codegen/tests/fixtures/wire.yaml");
    let text = std::fs::read_to_string(path).expect("the wire fixture");
    let spec: Value = yaml_serde::from_str(&text).expect("the wire fixture parses");
    (spec, serde_json::to_value(wire_server::openapi()).expect("the description serialises"))
}

/// Keys anywhere in the document, with the pointer of their first use.
fn keys(value: &Value, at: &str, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                out.entry(key.clone()).or_insert_with(|| at.to_owned());
                keys(child, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, item)| keys(item, &format!("{at}/{i}"), out)),
        _ => {}
    }
}

fn assert_same<T: Ord + std::fmt::Debug + Clone>(what: &str, spec: &BTreeSet<T>, server: &BTreeSet<T>) {
    let missing: Vec<&T> = spec.difference(server).collect();
    let extra: Vec<&T> = server.difference(spec).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}:\n  in the spec only: {missing:#?}\n  in the server only: {extra:#?}"
    );
}

#[test]
fn operations_agree() {
    let (spec, server) = (load_spec_json(), described());
    let facts = operation_facts(&spec);
    assert_same("operations", &facts, &operation_facts(&server));
    println!("compared {} facts about the operations", facts.len());
}

#[test]
fn schemas_agree() {
    let (spec, server) = (load_spec_json(), described());
    let (spec, server) = (schema_facts(&spec), schema_facts(&server));
    assert_same("schema names", &spec.keys().cloned().collect(), &server.keys().cloned().collect());
    for (name, facts) in &spec {
        assert_same(&format!("schema {name}"), facts, &server[name]);
    }
}

#[test]
fn security_schemes_agree() {
    let (spec, server) = (load_spec_json(), described());
    assert_same("security schemes", &security_scheme_facts(&spec), &security_scheme_facts(&server));
}

#[test]
fn the_description_names_the_api() {
    let server = described();
    let spec = load_spec_json();
    assert_eq!(server["info"]["title"], spec["info"]["title"]);
    assert_eq!(server["info"]["version"], spec["info"]["version"]);
}

#[test]
fn the_wire_fixture_is_described_faithfully() {
    let (spec, server) = wire();
    // Media types of every body and response (form, binary, problem+json), parameters, statuses
    // and the scopes of each security requirement.
    assert_same("wire operations", &operation_facts(&spec), &operation_facts(&server));
    // OAuth 2 flows with their scopes, not a bare bearer scheme.
    assert_same("wire security schemes", &security_scheme_facts(&spec), &security_scheme_facts(&server));
}

/// The description says it is OpenAPI 3.1, and it is: none of 3.0's spellings that 3.1 dropped
/// (`nullable`, boolean exclusive bounds) appear; nullability is a `null` type.
#[test]
fn the_stated_version_is_the_version_written() {
    for (what, described) in [("admin", described()), ("wire", wire().1)] {
        assert_eq!(described["openapi"], "3.1.0", "{what}");
        let mut found = BTreeMap::new();
        keys(&described, "#", &mut found);
        assert!(!found.contains_key("nullable"), "{what}: 3.0's `nullable` at {:?}", found.get("nullable"));
        for bound in ["exclusiveMinimum", "exclusiveMaximum"] {
            let mut bools = Vec::new();
            find_bool(&described, bound, &mut bools);
            assert!(bools.is_empty(), "{what}: a boolean {bound} (3.0's spelling)");
        }
    }
}

fn find_bool(value: &Value, key: &str, out: &mut Vec<bool>) {
    match value {
        Value::Object(map) => {
            out.extend(map.get(key).and_then(Value::as_bool));
            map.values().for_each(|child| find_bool(child, key, out));
        }
        Value::Array(items) => items.iter().for_each(|item| find_bool(item, key, out)),
        _ => {}
    }
}
