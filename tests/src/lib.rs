//! Shared helpers for the contract tests: where the workspace is, and the canonical spec loaded
//! both as a typed `openapiv3` document and as raw JSON.

pub mod conform;
pub mod examples;

use std::path::PathBuf;

use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response};

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives inside the workspace")
        .to_path_buf()
}

/// The path of the canonical document.
pub fn spec_path() -> PathBuf {
    workspace_root().join("spec").join("openapi.yaml")
}

/// The canonical document, parsed by `openapiv3`. Panics with the parser's message: this is test
/// support, and a spec that does not parse must fail the test loudly.
pub fn load_spec() -> OpenAPI {
    let text = std::fs::read_to_string(spec_path()).expect("spec/openapi.yaml is readable");
    yaml_serde::from_str(&text).expect("spec/openapi.yaml parses as OpenAPI 3.0")
}

/// The canonical document as plain JSON (YAML aliases expanded), for vendor extensions and
/// pointer lookups that `openapiv3` does not model.
pub fn load_spec_json() -> serde_json::Value {
    let text = std::fs::read_to_string(spec_path()).expect("spec/openapi.yaml is readable");
    yaml_serde::from_str(&text).expect("spec/openapi.yaml parses as YAML")
}

/// A kind of reusable component that `$ref`s can point at.
pub trait Component: Sized {
    /// The section under `#/components/`.
    const SECTION: &'static str;
    fn lookup<'a>(components: &'a Components, name: &str) -> Option<&'a ReferenceOr<Self>>;
}

impl Component for Response {
    const SECTION: &'static str = "responses";
    fn lookup<'a>(components: &'a Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.responses.get(name)
    }
}

impl Component for Parameter {
    const SECTION: &'static str = "parameters";
    fn lookup<'a>(components: &'a Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.parameters.get(name)
    }
}

impl Component for RequestBody {
    const SECTION: &'static str = "requestBodies";
    fn lookup<'a>(components: &'a Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.request_bodies.get(name)
    }
}

/// Follows local `#/components/...` references (through chains) to the item. Panics on a
/// dangling reference, which is a broken spec and must fail the test.
pub fn resolve<'a, T: Component>(spec: &'a OpenAPI, item: &'a ReferenceOr<T>) -> &'a T {
    match item {
        ReferenceOr::Item(it) => it,
        ReferenceOr::Reference { reference } => {
            let prefix = format!("#/components/{}/", T::SECTION);
            let target = reference
                .strip_prefix(prefix.as_str())
                .and_then(|name| spec.components.as_ref().and_then(|c| T::lookup(c, name)))
                .unwrap_or_else(|| panic!("dangling or foreign reference {reference}"));
            resolve(spec, target)
        }
    }
}
