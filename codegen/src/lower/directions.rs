//! Request and response views: which component schemas each side of the wire reaches, and
//! which of them need a `Name` / `NameRequest` pair because their `readOnly` / `writeOnly`
//! fields differ.

use super::*;

impl<'a> Lowerer<'a> {
    /// For each component schema: is it reachable from requests, from responses?
    pub(super) fn compute_directions(&self) -> BTreeMap<String, (bool, bool)> {
        let mut request_roots = Vec::new();
        let mut response_roots = Vec::new();
        for (_, _, op) in self.api.operations() {
            for param in &op.parameters {
                if let Some(p) = self.resolve_parameter(param) {
                    collect_refs_in_parameter(p, &mut request_roots);
                }
            }
            if let Some(body) = op.request_body.as_ref().and_then(|b| self.resolve_request_body(b)) {
                for media in body.content.values() {
                    collect_refs(media.schema.as_ref(), &mut request_roots);
                }
            }
            for response in op.responses.responses.values().chain(op.responses.default.as_ref()) {
                if let Some(response) = self.resolve_response(response) {
                    for media in response.content.values() {
                        collect_refs(media.schema.as_ref(), &mut response_roots);
                    }
                }
            }
        }
        let mut out: BTreeMap<String, (bool, bool)> = BTreeMap::new();
        for (roots, is_request) in [(request_roots, true), (response_roots, false)] {
            for name in self.closure(roots) {
                let entry = out.entry(name).or_default();
                if is_request { entry.0 = true } else { entry.1 = true }
            }
        }
        out
    }

    /// All components reachable from `roots` through references.
    pub(super) fn closure(&self, mut pending: Vec<String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(schema) = self.component(&name) {
                collect_refs(Some(schema), &mut pending);
            }
        }
        seen
    }

    /// Components used on both sides whose request and response views differ.
    pub(super) fn needs_split(&self, directions: &BTreeMap<String, (bool, bool)>) -> BTreeSet<String> {
        let both: BTreeSet<&String> =
            directions.iter().filter(|(_, (req, resp))| *req && *resp).map(|(n, _)| n).collect();
        let mut split: BTreeSet<String> = both
            .iter()
            .filter(|name| matches!(self.component(name), Some(ReferenceOr::Item(s)) if has_directional_fields(s)))
            .map(|name| (*name).clone())
            .collect();
        // A component that contains a split one must split too, to point at the right view.
        loop {
            let before = split.len();
            for name in &both {
                if split.contains(*name) {
                    continue;
                }
                let mut refs = Vec::new();
                collect_refs(self.component(name), &mut refs);
                if refs.iter().any(|r| split.contains(r)) {
                    split.insert((*name).clone());
                }
            }
            if split.len() == before {
                return split;
            }
        }
    }
}

/// Whether a schema has `readOnly` or `writeOnly` properties of its own.
pub(super) fn has_directional_fields(schema: &Schema) -> bool {
    let direct = |p: &ReferenceOr<Box<Schema>>| matches!(p, ReferenceOr::Item(s) if s.schema_data.read_only || s.schema_data.write_only);
    match shape(schema) {
        Shape::Object(object) => object.properties.iter().any(|(_, p)| direct(p)),
        Shape::AllOf(parts) | Shape::OneOf(parts) | Shape::AnyOf(parts) => {
            parts.iter().any(|p| matches!(p, ReferenceOr::Item(s) if has_directional_fields(s)))
        }
        Shape::Array { items: Some(ReferenceOr::Item(items)) } => has_directional_fields(items),
        _ => false,
    }
}

/// Component schema names referenced anywhere inside a schema.
pub(super) fn collect_refs(schema: Option<&ReferenceOr<Schema>>, out: &mut Vec<String>) {
    let Some(schema) = schema else { return };
    match schema {
        ReferenceOr::Reference { reference } => {
            if let Some(name) = component_schema_name(reference) {
                out.push(name);
            }
        }
        ReferenceOr::Item(schema) => collect_refs_in(schema, out),
    }
}

pub(super) fn collect_refs_boxed(schema: &ReferenceOr<Box<Schema>>, out: &mut Vec<String>) {
    match schema {
        ReferenceOr::Reference { reference } => {
            if let Some(name) = component_schema_name(reference) {
                out.push(name);
            }
        }
        ReferenceOr::Item(schema) => collect_refs_in(schema, out),
    }
}

pub(super) fn collect_refs_in(schema: &Schema, out: &mut Vec<String>) {
    match shape(schema) {
        Shape::Object(object) => {
            for (_, p) in object.properties {
                collect_refs_boxed(p, out);
            }
            if let Some(AdditionalProperties::Schema(s)) = object.additional {
                collect_refs(Some(s), out);
            }
        }
        Shape::Array { items: Some(items) } => collect_refs_boxed(items, out),
        Shape::OneOf(parts) | Shape::AnyOf(parts) | Shape::AllOf(parts) => {
            for p in parts {
                collect_refs(Some(p), out);
            }
        }
        _ => {}
    }
}

pub(super) fn collect_refs_in_parameter(param: &Parameter, out: &mut Vec<String>) {
    match &param.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(schema) => collect_refs(Some(schema), out),
        ParameterSchemaOrContent::Content(content) => {
            for media in content.values() {
                collect_refs(media.schema.as_ref(), out);
            }
        }
    }
}
