//! Phase 2: every `$ref` resolves, no reference chain loops, the document has the shape of
//! OpenAPI 3.0 (`openapiv3`), and operations are well-formed. All problems are collected;
//! lowering only runs on a document that passed, so it may rely on these facts.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, pointer_push, pointer_segments};
use crate::load::{is_literal, is_name_map, lookup};

/// Checks the bundled document and returns it typed.
pub fn validate(json: &Value) -> Result<OpenAPI, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    // Reference errors do not stop the checks below: the typed parser reads a `$ref` as text
    // and reference following is bounded, so a dangling or looping reference cannot hide a
    // duplicate operationId or a missing path parameter in the same document.
    check_refs(json, json, &mut Vec::new(), &mut diagnostics);
    let api: OpenAPI = match serde_path_to_error::deserialize(json) {
        Ok(api) => api,
        Err(e) => {
            // openapiv3 stops at the first problem, and inside its untagged enums it loses the
            // path; the shape walk names every mistake it recognises at its own key.
            let precise = crate::shape::mistakes(json);
            if !precise.is_empty() {
                for diagnostic in precise {
                    diagnostics.push(diagnostic);
                }
                return Err(diagnostics);
            }
            let pointer = path_to_pointer(e.path());
            let message = e.into_inner().to_string();
            diagnostics.push(
                Diagnostic::error(pointer, format!("not a valid OpenAPI 3.0 document: {message}"))
                    .with_hint("compare this node with the OpenAPI 3.0 specification"),
            );
            return Err(diagnostics);
        }
    };
    check_operations(&api, &mut diagnostics);
    check_security_requirements(&api, &mut diagnostics);
    if diagnostics.has_errors() { Err(diagnostics) } else { Ok(api) }
}

/// Every security requirement names a declared scheme: an undeclared one could only be
/// dropped, and a client would then call the operation without the credential it needs.
fn check_security_requirements(api: &OpenAPI, diagnostics: &mut Diagnostics) {
    let declared: Vec<&String> = api.components.iter().flat_map(|c| c.security_schemes.keys()).collect();
    let mut check = |requirements: &[openapiv3::SecurityRequirement], at: &str| {
        for (i, requirement) in requirements.iter().enumerate() {
            for name in requirement.keys().filter(|name| !declared.contains(name)) {
                let pointer = pointer_push(&pointer_push(at, &i.to_string()), name);
                let mut error = Diagnostic::error(
                    pointer,
                    format!("security scheme {name:?} is not declared in `components.securitySchemes`"),
                );
                if let Some(close) = declared.iter().find(|d| crate::naming::edit_distance(d, name) <= 2) {
                    error = error.with_hint(format!("did you mean {close:?}?"));
                }
                diagnostics.push(error);
            }
        }
    };
    if let Some(requirements) = &api.security {
        check(requirements, "#/security");
    }
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, op) in item.iter() {
            if let Some(requirements) = &op.security {
                let at = pointer_push(&pointer_push(&pointer_push("#/paths", path), method), "security");
                check(requirements, &at);
            }
        }
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = pointer_push(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// Every `$ref` is local and resolves, and chains of references end in a real node.
fn check_refs(root: &Value, value: &Value, path: &mut Vec<String>, diagnostics: &mut Diagnostics) {
    let pointer = || path.iter().fold(String::from("#"), |acc, s| pointer_push(&acc, s));
    match value {
        Value::Object(map) => {
            if !is_name_map(path)
                && let Some(reference) = map.get("$ref")
            {
                let at = pointer_push(&pointer(), "$ref");
                match reference.as_str() {
                    Some(reference) => check_ref_chain(root, reference, &at, diagnostics),
                    None => diagnostics.error(at, "`$ref` must be a string"),
                }
                return;
            }
            for (key, child) in map {
                if is_literal(path, key) {
                    continue;
                }
                path.push(key.clone());
                check_refs(root, child, path, diagnostics);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(i.to_string());
                check_refs(root, child, path, diagnostics);
                path.pop();
            }
        }
        _ => {}
    }
}

fn check_ref_chain(root: &Value, reference: &str, at: &str, diagnostics: &mut Diagnostics) {
    let mut seen = BTreeSet::new();
    let mut current = reference.to_owned();
    loop {
        if !current.starts_with("#/") && current != "#" {
            diagnostics.push(
                Diagnostic::error(at, format!("reference {current:?} is not a local JSON pointer"))
                    .with_hint("references look like `#/components/schemas/Name` or `file.yaml#/path`"),
            );
            return;
        }
        if !seen.insert(current.clone()) {
            diagnostics.push(Diagnostic::error(
                at,
                format!(
                    "reference cycle: {} never reaches a definition",
                    seen.into_iter().collect::<Vec<_>>().join(" → ")
                ),
            ));
            return;
        }
        let Some(target) = lookup(root, &pointer_segments(&current)) else {
            let hint = closest_component(root, &current);
            let mut d = Diagnostic::error(at, format!("dangling reference: {current} does not exist"));
            if let Some(hint) = hint {
                d = d.with_hint(format!("did you mean {hint}?"));
            }
            diagnostics.push(d);
            return;
        };
        match target.get("$ref").and_then(Value::as_str) {
            Some(next) => current = next.to_owned(),
            None => return,
        }
    }
}

/// The component in the same section with the closest name, if it is close enough to be a
/// likely typo (case, punctuation, a few edits).
fn closest_component(root: &Value, reference: &str) -> Option<String> {
    let segments = pointer_segments(reference);
    let (name, parent) = segments.split_last()?;
    let section = lookup(root, parent)?.as_object()?;
    let squash = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    let wanted = squash(name);
    let limit = (wanted.len() / 3).max(2);
    let best = section
        .keys()
        .map(|k| (crate::naming::edit_distance(&squash(k), &wanted), k))
        .filter(|(distance, _)| *distance <= limit)
        .min()?;
    let parent = parent.iter().fold(String::from("#"), |acc, s| pointer_push(&acc, s));
    Some(pointer_push(&parent, best.1))
}

/// Operation ids are unique; path template parameters and declared path parameters agree.
fn check_operations(api: &OpenAPI, diagnostics: &mut Diagnostics) {
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let path_pointer = pointer_push("#/paths", path);
        let ReferenceOr::Item(item) = item else {
            diagnostics.push(
                Diagnostic::error(&path_pointer, "path items given by `$ref` are not supported")
                    .with_hint("write the path item inline"),
            );
            continue;
        };
        let templated: BTreeSet<&str> =
            path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect();
        for (method, op) in item.iter() {
            let op_pointer = pointer_push(&path_pointer, method);
            if let Some(id) = &op.operation_id {
                if let Some(first) = ids.get(id.as_str()) {
                    diagnostics.push(
                        Diagnostic::error(
                            pointer_push(&op_pointer, "operationId"),
                            format!("operationId {id:?} is also used by {first}"),
                        )
                        .with_hint("operation ids must be unique"),
                    );
                } else {
                    ids.insert(id, op_pointer.clone());
                }
            }
            let mut declared = BTreeSet::new();
            for (i, param) in item.parameters.iter().chain(&op.parameters).enumerate() {
                if let Some((openapiv3::Parameter::Path { parameter_data, .. }, _)) =
                    crate::resolve::resolve_at(api, param)
                {
                    declared.insert(parameter_data.name.as_str());
                    if !templated.contains(parameter_data.name.as_str()) {
                        diagnostics.push(Diagnostic::error(
                            pointer_push(&pointer_push(&op_pointer, "parameters"), &i.to_string()),
                            format!("path parameter {:?} does not appear in the path {path}", parameter_data.name),
                        ));
                    }
                }
            }
            for name in &templated {
                if !declared.contains(name) {
                    diagnostics.push(
                        Diagnostic::error(
                            &op_pointer,
                            format!("the path segment {{{name}}} has no `in: path` parameter"),
                        )
                        .with_hint(format!("declare a parameter `name: {name}`, `in: path`, `required: true`")),
                    );
                }
            }
        }
    }
}
