//! Phase 3: lower a validated `openapiv3` document to the IR.
//!
//! Component schemas keep their names; inline schemas that need a named Rust type (objects,
//! enums, unions) are named after where they appear (`ParentField`, `OperationBody`, …). Where a
//! component is used both in requests and in responses and its `readOnly`/`writeOnly` fields
//! differ between the two, it is lowered twice: `Name` (response view, no `writeOnly` fields) and
//! `NameRequest` (request view, no `readOnly` fields). Constructs that cannot be represented
//! faithfully become `serde_json::Value` with a warning; nothing here panics on input.
//!
//! One `Lowerer`, its methods split by concern: `directions` (which views a component needs),
//! `schemas` (shapes), `cycles` (boxing and newtypes), `operations`, `security`. Following
//! `$ref`s is `crate::resolve`, shared with `validate`.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    RequestBody, Schema, SchemaKind, StatusCode, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, pointer_push};
use crate::ir::{
    Access, Body, BodyKind, Constraints, Content, Discriminator, Enum, EnumVariant, Example, Field, FloatWidth,
    FormProperty, IntegerWidth, Ir, MultipartPart, OAuthFlow, OAuthFlowKind, Operation, OperationTypes, Param,
    ParamLocation, ParamShape, ParamStyle, PartKind, Requirement, Response, ResponseHeader, SecurityKind,
    SecurityScheme, Status, Struct, Type, TypeDef, TypeKind, Union, UnionVariant, UnknownFields, alternate_form,
    form_media, multipart_media, primary_content,
};
use crate::load::DEPENDENT_REQUIRED;
use crate::naming::{Namer, RustIdent, field_name, type_name};
use crate::resolve::{MAX_DEPTH, component_schema_name, resolve_at};

mod cycles;
mod directions;
mod operations;
mod schemas;
mod security;

use schemas::*;

/// Which side of the wire a schema is seen from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum View {
    Request,
    Response,
    /// Not reachable from any operation: all fields kept.
    Neutral,
}

/// Where a schema is being lowered.
#[derive(Clone)]
struct Site {
    pointer: String,
    /// Base name for a named type created here.
    hint: String,
    view: View,
    depth: usize,
    /// A component's reserved name: a named type created here takes it instead of the hint.
    fixed: Option<RustIdent>,
    /// A property an object made here leaves out: a tagged union's tag, which the enum carries.
    without: Option<String>,
}

impl Site {
    fn child(&self, segment: &str, hint: String) -> Site {
        Site {
            pointer: pointer_push(&self.pointer, segment),
            hint,
            view: self.view,
            depth: self.depth + 1,
            fixed: None,
            without: None,
        }
    }
}

/// A lowered schema: its type plus the facts a field or parameter needs.
struct Lowered {
    ty: Type,
    nullable: bool,
    constraints: Constraints,
    doc: Option<String>,
    default: Option<Value>,
    read_only: bool,
    write_only: bool,
}

impl Lowered {
    fn of(ty: Type) -> Self {
        Lowered {
            ty,
            nullable: false,
            constraints: Constraints::default(),
            doc: None,
            default: None,
            read_only: false,
            write_only: false,
        }
    }
}

/// The names a component schema is generated under.
struct ComponentNames {
    main: RustIdent,
    request: Option<RustIdent>,
    nullable: bool,
}

struct Lowerer<'a> {
    api: &'a OpenAPI,
    diagnostics: Diagnostics,
    type_names: Namer,
    components: BTreeMap<String, ComponentNames>,
    /// Per component schema: reachable from (requests, responses).
    directions: BTreeMap<String, (bool, bool)>,
    types: Vec<TypeDef>,
    /// Inline schemas already lowered, by pointer and view, so a shared component response or
    /// request body becomes one type.
    cache: BTreeMap<(String, View), Type>,
    /// Inline schemas already lowered, by their text and view: the same schema written out
    /// again elsewhere (Stripe repeats its address and enum schemas in hundreds of bodies)
    /// becomes the same type.
    by_content: BTreeMap<(String, View), Type>,
    /// The names each inline schema would have had, by its text and view, where it was met,
    /// and its title.
    hints: BTreeMap<(String, View), (Option<String>, Vec<String>)>,
    /// Names for inline schemas written out more than once, from a first pass: what the names
    /// of all their places share.
    shared: BTreeMap<(String, View), String>,
    options: &'a Options,
}

/// Choices that change what is lowered.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only operations with one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Only these operations by operationId (all when empty).
    pub operations: Vec<String>,
    /// `format` → Rust type path for strings with that format.
    pub type_overrides: BTreeMap<String, String>,
    pub crate_version: Option<String>,
}

/// Lowers the document. Warnings (approximations) come back with the IR.
///
/// An inline schema written out again elsewhere is one type. Its name should not be that of
/// the first place it was met (Stripe's metadata was `PostAccountsBodyMetadata` in 56 bodies),
/// so a first pass finds the repeated schemas and their places, and the second names each by
/// what the names of its places share (`BodyMetadata`).
pub fn lower(api: &OpenAPI, options: &Options) -> (Ir, Diagnostics) {
    let (first, ..) = Lowerer::run(api, options, BTreeMap::new());
    let (lowerer, operations, security_schemes) = Lowerer::run(api, options, first.shared_names());
    let Lowerer { mut types, diagnostics, .. } = lowerer;
    types.sort_by(|a, b| a.name.cmp(&b.name));
    let ir = Ir {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        crate_version: options.crate_version.clone().unwrap_or_else(|| cargo_version(&api.info.version)),
        description: api.info.description.clone(),
        types,
        operations,
        security_schemes,
    };
    (ir, diagnostics)
}

fn json_media(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*" || essence == "application/*"
}

impl<'a> Lowerer<'a> {
    /// One pass over the document.
    fn run(
        api: &'a OpenAPI,
        options: &'a Options,
        shared: BTreeMap<(String, View), String>,
    ) -> (Lowerer<'a>, Vec<Operation>, Vec<SecurityScheme>) {
        let mut lowerer = Lowerer {
            api,
            diagnostics: Diagnostics::default(),
            type_names: Namer::default(),
            components: BTreeMap::new(),
            directions: BTreeMap::new(),
            types: Vec::new(),
            cache: BTreeMap::new(),
            by_content: BTreeMap::new(),
            hints: BTreeMap::new(),
            shared,
            options,
        };
        lowerer.check_filters();
        lowerer.reserve_component_names();
        lowerer.lower_components();
        let mut operations = lowerer.lower_operations();
        let security_schemes = lowerer.lower_security_schemes();
        lowerer.check_roles();
        lowerer.finish_discriminators();
        lowerer.break_cycles();
        lowerer.finish_params(&mut operations);
        lowerer.share_header_types(&mut operations);
        (lowerer, operations, security_schemes)
    }

    /// A name for each inline schema met in more than one place: the words the names of all
    /// its places end with (`PostAccountsBodyMetadata`, `PostCustomersBodyMetadata` →
    /// `BodyMetadata`), unless that is a fragment too short to mean anything (`At`, of
    /// `CreatedAt` and `CanceledAt`); else its title (`capability_param` → `CapabilityParam`).
    /// None where that is a component's name, or where two schemas would take the same name:
    /// those keep their first place's.
    fn shared_names(&self) -> BTreeMap<(String, View), String> {
        let mut named: BTreeMap<String, Vec<&(String, View)>> = BTreeMap::new();
        for (key, (title, hints)) in &self.hints {
            let mut distinct: Vec<&String> = hints.iter().collect();
            distinct.sort();
            distinct.dedup();
            if distinct.len() < 2 {
                continue;
            }
            let (suffix, words) = common_word_suffix(&distinct);
            let name = if words >= 2 || suffix.len() >= 5 {
                suffix
            } else {
                title.as_deref().map(type_name).unwrap_or_default()
            };
            if !name.is_empty() && !self.components.values().any(|names| names.main.unraw() == name) {
                named.entry(name).or_default().push(key);
            }
        }
        named
            .into_iter()
            .filter(|(_, keys)| keys.len() == 1)
            .flat_map(|(name, keys)| keys.into_iter().map(move |key| (key.clone(), name.clone())))
            .collect()
    }

    fn schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.api.components.iter().flat_map(|c| c.schemas.iter())
    }

    fn component(&self, name: &str) -> Option<&'a ReferenceOr<Schema>> {
        self.api.components.as_ref()?.schemas.get(name)
    }

    /// Follows a schema reference chain to a schema (validation ruled out dangling and cyclic
    /// chains, but this stays total anyway).
    fn resolve_schema(&self, reference: &str) -> Option<&'a Schema> {
        let mut current = reference.to_owned();
        for _ in 0..MAX_DEPTH {
            match self.component(&component_schema_name(&current)?)? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => current = reference.clone(),
            }
        }
        None
    }

    fn reserve_component_names(&mut self) {
        let mut names: Vec<&String> = self.schemas().map(|(name, _)| name).collect();
        names.sort();
        self.directions = self.compute_directions();
        let split = self.needs_split(&self.directions);
        for name in names {
            let main = RustIdent::new(&self.type_names.claim(type_name(name)));
            let nullable = match self.component(name) {
                Some(ReferenceOr::Item(schema)) => schema.schema_data.nullable,
                _ => false,
            };
            self.components.insert(name.clone(), ComponentNames { main, request: None, nullable });
        }
        for name in split {
            let request = RustIdent::new(&self.type_names.claim(format!("{}Request", type_name(&name))));
            if let Some(names) = self.components.get_mut(&name) {
                names.request = Some(request);
            }
        }
    }
}

/// The longest run of words (`UpperCamelCase` parts) every name ends with, and how many
/// words it has.
fn common_word_suffix(names: &[&String]) -> (String, usize) {
    let words = |name: &str| -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for c in name.chars() {
            match words.last_mut() {
                Some(word) if !c.is_ascii_uppercase() => word.push(c),
                _ => words.push(c.to_string()),
            }
        }
        words
    };
    let all: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
    let Some(first) = all.first() else { return (String::new(), 0) };
    let mut shared = 0;
    while shared < first.len()
        && all.iter().all(|w| w.len() > shared && w[w.len() - 1 - shared] == first[first.len() - 1 - shared])
    {
        shared += 1;
    }
    (first[first.len() - shared..].concat(), shared)
}

/// `info.version` as a semver version Cargo accepts (`1.0` → `1.0.0`; anything else → `0.0.0`).
fn cargo_version(version: &str) -> String {
    let core: Vec<&str> = version.split(['-', '+']).next().unwrap_or("").split('.').collect();
    if core.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) && (1..=3).contains(&core.len()) {
        let mut parts: Vec<String> = core
            .iter()
            .map(|p| p.trim_start_matches('0').to_owned())
            .map(|p| if p.is_empty() { "0".into() } else { p })
            .collect();
        parts.resize(3, "0".to_owned());
        parts.join(".")
    } else {
        "0.0.0".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{Options, common_word_suffix, lower};

    /// Responses that document the same headers alike share one struct, named by the headers
    /// (or, past three, by what the per-response names end with); a header documented
    /// differently keeps its response's own struct.
    #[test]
    fn responses_with_the_same_headers_share_a_struct() {
        let link = serde_json::json!({"$ref": "#/components/headers/link"});
        let limit = |name: &str| (name.to_owned(), serde_json::json!({"schema": {"type": "integer"}}));
        let limits: serde_json::Map<String, serde_json::Value> =
            ["X-Limit", "X-Remaining", "X-Reset", "X-Used"].into_iter().map(limit).collect();
        let responses = |own: &str| {
            serde_json::json!({
                "200": {"description": "ok", "headers": {"Link": link}},
                "201": {"description": "made", "headers": {"Link": {"description": own, "schema": {"type": "string"}}}},
                "429": {"description": "slow down", "headers": limits},
            })
        };
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"operationId": "listA", "responses": responses("one")}},
                "/b": {"get": {"operationId": "listB", "responses": responses("two")}},
            },
            "components": {"headers": {"link": {"description": "Pages", "schema": {"type": "string"}}}},
        });
        let api = serde_json::from_value(document).expect("a valid document"); // ok: a unit test's literal document
        let (ir, _) = lower(&api, &Options::default());
        let names: Vec<Vec<String>> = ir
            .operations
            .iter()
            .map(|op| op.responses.iter().filter_map(|r| Some(r.headers_type.as_ref()?.unraw().to_owned())).collect())
            .collect();
        assert_eq!(
            names,
            [
                ["LinkHeaders", "ListACreatedHeaders", "TooManyRequestsHeaders"],
                ["LinkHeaders", "ListBCreatedHeaders", "TooManyRequestsHeaders"],
            ]
        );
    }

    #[test]
    fn names_share_their_last_words() {
        let suffix = |names: &[&str]| {
            let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
            common_word_suffix(&names.iter().collect::<Vec<_>>())
        };
        assert_eq!(suffix(&["PostAccountsBodyMetadata", "PostCustomersBodyMetadata"]), ("BodyMetadata".into(), 2));
        assert_eq!(suffix(&["PlanFromPlace", "PlanToPlace", "Place"]), ("Place".into(), 1));
        assert_eq!(suffix(&["CreatedAt", "CanceledAt"]), ("At".into(), 1));
        assert_eq!(suffix(&["PlanOrigin", "PlanDestination"]), (String::new(), 0));
        assert_eq!(suffix(&["Item2", "OtherItem2"]), ("Item2".into(), 1));
    }
}
