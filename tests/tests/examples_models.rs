//! Every example in the spec whose schema is a component deserialises into the generated model
//! and serialises back to the same JSON: absent stays absent, `null` stays `null`.

use std::collections::BTreeSet;

use admin_api_models as models;
use contract_tests::load_spec_json;
use serde_json::Value;

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &Value) -> Result<(), String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| format!("does not deserialise: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialise: {e}"))?;
    if &back == value { Ok(()) } else { Err(format!("round trip changed it:\n  before {value}\n  after  {back}")) }
}

/// One arm per component schema; `every_component_has_a_dispatch_arm` keeps the list complete.
macro_rules! components {
    ($($name:ident),* $(,)?) => {
        const COMPONENTS: &[&str] = &[$(stringify!($name)),*];

        fn check(schema: &str, value: &Value) -> Result<(), String> {
            match schema {
                $(stringify!($name) => round_trip::<models::$name>(value),)*
                other => Err(format!("no generated type is listed for component {other}")),
            }
        }
    };
}

components!(
    UserRole,
    User,
    Invite,
    AdminPostAuthReq,
    AdminPostInvitesReq,
    AdminPostInvitesInviteAcceptReq,
    AdminCreateUserRequest,
    AdminUpdateUserRequest,
    AdminResetPasswordTokenRequest,
    AdminResetPasswordRequest,
    AdminAuthRes,
    AdminBearerAuthRes,
    AdminUserRes,
    AdminUsersListRes,
    AdminListInvitesRes,
    AdminDeleteUserRes,
    AdminInviteDeleteRes,
    Error,
    MultipleErrors,
);

fn component_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix("#/components/schemas/")
}

/// (pointer of the example, component schema, example value) for every example whose schema is
/// a component: schema-level examples and media-type examples of bodies and responses.
fn collect(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (name, schema) in spec.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
        if let Some(example) = schema.get("example") {
            out.push((format!("#/components/schemas/{name}/example"), name.clone(), example.clone()));
        }
    }
    let mut media = Vec::new();
    walk_media(spec, String::from("#"), &mut media);
    for (pointer, node) in media {
        let Some(schema) = node.get("schema").and_then(component_name) else { continue };
        if let Some(example) = node.get("example") {
            out.push((format!("{pointer}/example"), schema.to_owned(), example.clone()));
        }
        for (key, example) in node.get("examples").and_then(Value::as_object).into_iter().flatten() {
            let example = match example.get("$ref").and_then(Value::as_str) {
                Some(reference) => spec.pointer(reference.trim_start_matches('#')).unwrap_or(&Value::Null),
                None => example,
            };
            if let Some(value) = example.get("value") {
                out.push((format!("{pointer}/examples/{key}"), schema.to_owned(), value.clone()));
            }
        }
    }
    out
}

/// Media type objects: the values of every `content` map.
fn walk_media(value: &Value, pointer: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                if key == "content"
                    && let Some(types) = child.as_object()
                {
                    for (media_type, node) in types {
                        out.push((format!("{child_pointer}/{}", media_type.replace('/', "~1")), node.clone()));
                    }
                } else {
                    walk_media(child, child_pointer, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_media(child, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_component_has_a_dispatch_arm() {
    let spec = load_spec_json();
    let in_spec: BTreeSet<&str> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .expect("schemas")
        .keys()
        .map(String::as_str)
        .collect();
    let listed: BTreeSet<&str> = COMPONENTS.iter().copied().collect();
    assert_eq!(in_spec, listed, "list every component schema in `components!`");
}

#[test]
fn examples_round_trip_through_the_generated_models() {
    let spec = load_spec_json();
    let examples = collect(&spec);
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|(pointer, schema, value)| check(schema, value).err().map(|e| format!("{pointer} ({schema}): {e}")))
        .collect();
    println!("round-tripped {} examples through the generated models", examples.len());
    assert!(failures.is_empty(), "{} example(s) fail:\n{}", failures.len(), failures.join("\n"));
    assert!(examples.len() >= 30, "found only {} examples", examples.len());
}

#[test]
fn a_broken_example_is_caught() {
    let mut user = serde_json::json!({"user": {"id": "usr_01G1G5V26F5TB3GPAPNJ8X1S3V", "email": "levi@medusa-test.com",
        "first_name": "Levi", "last_name": null, "role": "admin", "metadata": null,
        "created_at": "2023-10-31T12:00:00Z", "updated_at": "2023-10-31T12:00:00Z", "deleted_at": null}});
    assert_eq!(check("AdminUserRes", &user), Ok(()));
    user["user"]["role"] = Value::from("owner");
    assert!(check("AdminUserRes", &user).is_err(), "an unknown role is refused");
    user["user"]["role"] = Value::from("admin");
    user["user"]["email"] = Value::from("not-an-email");
    assert!(check("AdminUserRes", &user).is_err(), "an invalid email is refused");
    let request = serde_json::json!({"email": "a@b.co", "password": "supersecret", "nickname": "x"});
    assert!(check("AdminCreateUserRequest", &request).unwrap_err().contains("unknown field"));
}
