//! References: following `$ref`s to the components they name. Below both `validate` and
//! `lower`, which use it; it relies only on the document having parsed.

use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody};

/// Deeper nesting (or longer reference chains) than this is refused rather than risking the
/// stack.
pub(crate) const MAX_DEPTH: usize = 64;

/// The component schema a reference names, if it names one (not a pointer into it).
pub(crate) fn component_schema_name(reference: &str) -> Option<String> {
    component_name(reference, "#/components/schemas/")
}

/// The name a reference gives under `prefix`, its pointer escapes undone (`~1` is `/`, `~0` is
/// `~`); `None` for a pointer into the component.
fn component_name(reference: &str, prefix: &str) -> Option<String> {
    let token = reference.strip_prefix(prefix).filter(|token| !token.contains('/'))?;
    Some(token.replace("~1", "/").replace("~0", "~"))
}

/// A kind of component a `$ref` can name, and where it lives in `components`.
pub(crate) trait Component: Sized {
    const PREFIX: &'static str;
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>>;
}

impl Component for Parameter {
    const PREFIX: &'static str = "#/components/parameters/";
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.parameters.get(name)
    }
}

impl Component for RequestBody {
    const PREFIX: &'static str = "#/components/requestBodies/";
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.request_bodies.get(name)
    }
}

impl Component for openapiv3::Response {
    const PREFIX: &'static str = "#/components/responses/";
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.responses.get(name)
    }
}

impl Component for openapiv3::Header {
    const PREFIX: &'static str = "#/components/headers/";
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.headers.get(name)
    }
}

impl Component for openapiv3::Example {
    const PREFIX: &'static str = "#/components/examples/";
    fn lookup<'a>(components: &'a openapiv3::Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
        components.examples.get(name)
    }
}

/// Follows a chain of component references to the item; also returns the last reference
/// followed (where the item is defined). `None` for a dangling or overlong chain.
pub(crate) fn resolve_at<'a, T: Component>(
    api: &'a OpenAPI,
    item: &'a ReferenceOr<T>,
) -> Option<(&'a T, Option<String>)> {
    let mut current = item;
    let mut at = None;
    for _ in 0..MAX_DEPTH {
        match current {
            ReferenceOr::Item(it) => return Some((it, at)),
            ReferenceOr::Reference { reference } => {
                at = Some(reference.clone());
                current = T::lookup(api.components.as_ref()?, &component_name(reference, T::PREFIX)?)?;
            }
        }
    }
    None
}
