//! The canonical spec has the shape the product promises: the 16 Medusa operations with their
//! ids, tags and client method names, the six error statuses, examples everywhere, and security
//! on exactly the operations that are not public.

use std::collections::{BTreeMap, BTreeSet};

use contract_tests::{load_spec, load_spec_json, resolve};
use openapiv3::{MediaType, OpenAPI, Operation, ReferenceOr, SecurityScheme};

/// method, path, operationId, tag, `x-codegen.method`, public.
const OPERATIONS: [(&str, &str, &str, &str, &str, bool); 16] = [
    ("get", "/admin/auth", "GetAuth", "Auth", "getSession", false),
    ("post", "/admin/auth", "PostAuth", "Auth", "createSession", true),
    ("delete", "/admin/auth", "DeleteAuth", "Auth", "deleteSession", false),
    ("post", "/admin/auth/token", "PostToken", "Auth", "getToken", true),
    ("get", "/admin/invites", "GetInvites", "Invites", "list", false),
    ("post", "/admin/invites", "PostInvites", "Invites", "create", false),
    ("post", "/admin/invites/accept", "PostInvitesInviteAccept", "Invites", "accept", true),
    ("delete", "/admin/invites/{invite_id}", "DeleteInvitesInvite", "Invites", "delete", false),
    ("post", "/admin/invites/{invite_id}/resend", "PostInvitesInviteResend", "Invites", "resend", false),
    ("get", "/admin/users", "GetUsers", "Users", "list", false),
    ("post", "/admin/users", "PostUsers", "Users", "create", false),
    ("get", "/admin/users/{id}", "GetUsersUser", "Users", "retrieve", false),
    ("post", "/admin/users/{id}", "PostUsersUser", "Users", "update", false),
    ("delete", "/admin/users/{id}", "DeleteUsersUser", "Users", "delete", false),
    ("post", "/admin/users/password-token", "PostUsersUserPasswordToken", "Users", "sendResetPasswordToken", true),
    ("post", "/admin/users/reset-password", "PostUsersUserPassword", "Users", "resetPassword", true),
];

const ERROR_STATUSES: [u16; 6] = [400, 401, 404, 409, 422, 500];

/// Every operation of the document, keyed by (method, path).
fn operations(spec: &OpenAPI) -> BTreeMap<(String, String), &Operation> {
    let mut out = BTreeMap::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            panic!("path item {path} is a $ref; the canonical spec keeps paths inline");
        };
        for (method, op) in item.iter() {
            out.insert((method.to_owned(), path.clone()), op);
        }
    }
    out
}

fn has_example(media: &MediaType) -> bool {
    media.example.is_some() || !media.examples.is_empty()
}

fn status_code(status: &openapiv3::StatusCode) -> u16 {
    match status {
        openapiv3::StatusCode::Code(code) => *code,
        openapiv3::StatusCode::Range(range) => {
            panic!("status range {range}XX: every status is explicit")
        }
    }
}

#[test]
fn the_sixteen_operations_with_ids_tags_and_client_names() {
    let spec = load_spec();
    let raw = load_spec_json();
    let ops = operations(&spec);
    let expected: BTreeSet<(String, String)> =
        OPERATIONS.iter().map(|(m, p, ..)| (m.to_string(), p.to_string())).collect();
    let actual: BTreeSet<(String, String)> = ops.keys().cloned().collect();
    assert_eq!(actual, expected, "the spec has exactly the 16 Admin operations");

    for (method, path, id, tag, client_method, _) in OPERATIONS {
        let op = ops[&(method.to_owned(), path.to_owned())];
        assert_eq!(op.operation_id.as_deref(), Some(id), "{method} {path}");
        assert_eq!(op.tags, vec![tag.to_owned()], "{method} {path}");
        assert!(op.summary.is_some() && op.description.is_some(), "{id} has a summary and a description");
        let pointer = format!("/paths/{}/{method}/x-codegen/method", path.replace('~', "~0").replace('/', "~1"));
        assert_eq!(raw.pointer(&pointer).and_then(|v| v.as_str()), Some(client_method), "{id} {pointer}");
    }
    assert_eq!(spec.openapi, "3.0.3");
}

#[test]
fn each_error_status_is_used_and_every_operation_documents_500() {
    let spec = load_spec();
    let mut used = BTreeSet::new();
    for ((method, path), op) in operations(&spec) {
        let statuses: BTreeSet<u16> = op.responses.responses.keys().map(status_code).collect();
        assert!(statuses.contains(&500), "{method} {path} documents 500");
        assert!(statuses.iter().any(|s| (200..300).contains(s)), "{method} {path} has a success status");
        assert!(op.responses.default.is_none(), "{method} {path}: statuses are explicit, no default");
        used.extend(statuses);
    }
    for status in ERROR_STATUSES {
        assert!(used.contains(&status), "some operation documents {status}");
    }
}

#[test]
fn every_error_response_uses_the_shared_error_body() {
    let spec = load_spec();
    for ((method, path), op) in operations(&spec) {
        for (status, response) in &op.responses.responses {
            let code = status_code(status);
            if code < 400 {
                continue;
            }
            let response = resolve(&spec, response);
            let media = response
                .content
                .get("application/json")
                .unwrap_or_else(|| panic!("{method} {path} {code}: JSON error body"));
            match &media.schema {
                Some(ReferenceOr::Reference { reference }) => {
                    assert_eq!(reference, "#/components/schemas/Error", "{method} {path} {code}")
                }
                other => panic!("{method} {path} {code}: error schema is {other:?}"),
            }
        }
    }
}

#[test]
fn every_request_body_response_and_path_parameter_has_an_example() {
    let spec = load_spec();
    let mut bodies = 0;
    let mut responses = 0;
    let mut path_params = 0;
    for ((method, path), op) in operations(&spec) {
        if let Some(body) = &op.request_body {
            let body = resolve(&spec, body);
            assert!(body.required, "{method} {path}: a declared body is required");
            for (media_type, media) in &body.content {
                assert!(has_example(media), "{method} {path} request {media_type} has an example");
                bodies += 1;
            }
        }
        for (status, response) in &op.responses.responses {
            let response = resolve(&spec, response);
            for (media_type, media) in &response.content {
                assert!(has_example(media), "{method} {path} {status} {media_type} has an example");
                responses += 1;
            }
            if response.content.is_empty() {
                assert_eq!(status_code(status), 204, "{method} {path}: only 204 has no body");
            }
        }
        for param in &op.parameters {
            let data = resolve(&spec, param).parameter_data_ref();
            if matches!(resolve(&spec, param), openapiv3::Parameter::Path { .. }) {
                assert!(data.example.is_some() || !data.examples.is_empty(), "{method} {path} {}", data.name);
                path_params += 1;
            }
        }
        let templated = path.matches('{').count();
        let declared =
            op.parameters.iter().filter(|p| matches!(resolve(&spec, p), openapiv3::Parameter::Path { .. })).count();
        assert_eq!(templated, declared, "{method} {path}: every path segment is a declared parameter");
    }
    println!("examples present: {bodies} request bodies, {responses} responses, {path_params} path parameters");
    assert_eq!((bodies, path_params), (8, 5), "the eight bodies and five path parameters of the Admin API");
    assert!(responses >= 60, "every operation documents its responses with bodies");
}

#[test]
fn security_is_required_exactly_on_the_non_public_operations() {
    let spec = load_spec();
    let schemes = &spec.components.as_ref().expect("components").security_schemes;
    let scheme = |name: &str| match schemes.get(name) {
        Some(ReferenceOr::Item(it)) => it.clone(),
        other => panic!("security scheme {name}: {other:?}"),
    };
    assert!(matches!(
        scheme("api_token"),
        SecurityScheme::APIKey { location: openapiv3::APIKeyLocation::Header, ref name, .. } if name == "x-medusa-access-token"
    ));
    assert!(matches!(
        scheme("cookie_auth"),
        SecurityScheme::APIKey { location: openapiv3::APIKeyLocation::Cookie, ref name, .. } if name == "connect.sid"
    ));
    assert!(matches!(scheme("jwt_token"), SecurityScheme::HTTP { ref scheme, .. } if scheme == "bearer"));

    let ops = operations(&spec);
    for (method, path, id, _, _, public) in OPERATIONS {
        let op = ops[&(method.to_owned(), path.to_owned())];
        // An operation-level list replaces the document's default.
        let effective = op.security.as_ref().or(spec.security.as_ref()).cloned().unwrap_or_default();
        let names: BTreeSet<&str> = effective.iter().flat_map(|req| req.keys().map(String::as_str)).collect();
        if public {
            assert!(effective.is_empty(), "{id} is public and needs no credential");
            let statuses: BTreeSet<u16> = op.responses.responses.keys().map(status_code).collect();
            if !matches!(id, "PostAuth" | "PostToken") {
                assert!(!statuses.contains(&401), "{id} is public and cannot answer 401");
            }
        } else {
            assert_eq!(names, BTreeSet::from(["api_token", "cookie_auth", "jwt_token"]), "{id}");
            assert_eq!(effective.len(), 3, "{id}: any one of the three schemes suffices");
            assert!(op.responses.responses.contains_key(&openapiv3::StatusCode::Code(401)), "{id} documents 401");
        }
    }
}

#[test]
fn request_bodies_reject_unknown_fields() {
    let raw = load_spec_json();
    let schemas = raw.pointer("/components/schemas").and_then(|s| s.as_object()).expect("schemas");
    let requests: Vec<&String> =
        schemas.keys().filter(|name| name.ends_with("Req") || name.ends_with("Request")).collect();
    assert_eq!(requests.len(), 7);
    for name in requests {
        assert_eq!(
            schemas[name].get("additionalProperties"),
            Some(&serde_json::Value::Bool(false)),
            "{name} rejects unknown fields"
        );
    }
}
