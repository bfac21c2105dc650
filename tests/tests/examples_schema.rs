//! Every example in the spec validates against its schema with an independent JSON Schema
//! validator, on the side of the wire it belongs to; and a broken example is caught.

use contract_tests::examples::{self, Direction};
use contract_tests::load_spec_json;
use serde_json::{Value, json};

#[test]
fn every_example_satisfies_its_schema() {
    let spec = load_spec_json();
    let (count, failures) = examples::check(&spec);
    println!("validated {count} examples against their schemas");
    assert!(failures.is_empty(), "{} example(s) do not satisfy their schema:\n{}", failures.len(), failures.join("\n"));
    let all = examples::collect(&spec);
    for direction in [Direction::Request, Direction::Response, Direction::Neutral] {
        assert!(all.iter().any(|e| e.direction == direction), "examples on the {direction:?} side");
    }
    assert!(count >= 45, "found only {count} examples");
}

fn expect_failure(spec: &Value, needle: &str) -> Vec<String> {
    let (_, failures) = examples::check(spec);
    assert!(failures.iter().any(|f| f.contains(needle)), "expected a failure mentioning {needle:?}, got {failures:#?}");
    failures
}

#[test]
fn a_broken_example_is_reported_with_its_pointer() {
    let mut spec = load_spec_json();
    let pointer = "/paths/~1admin~1users/post/requestBody/content/application~1json/example";
    spec.pointer_mut(pointer).and_then(Value::as_object_mut).expect("the create-user example")["role"] = json!("owner");
    let failures = expect_failure(&spec, "#/paths/~1admin~1users/post/requestBody/content/application~1json/example");
    assert!(failures.iter().any(|f| f.contains("owner")), "{failures:#?}");

    let mut spec = load_spec_json();
    let example = spec.pointer_mut(pointer).and_then(Value::as_object_mut).expect("the create-user example");
    example.remove("password");
    expect_failure(&spec, "password");
}

#[test]
fn unknown_fields_formats_and_null_are_checked() {
    let mut spec = load_spec_json();
    let pointer = "/paths/~1admin~1users/post/requestBody/content/application~1json/example";
    spec.pointer_mut(pointer).and_then(Value::as_object_mut).expect("example").insert("nickname".into(), json!("x"));
    expect_failure(&spec, "nickname");

    let mut spec = load_spec_json();
    let user = "/paths/~1admin~1auth/get/responses/200/content/application~1json/example/user";
    spec.pointer_mut(user)
        .and_then(Value::as_object_mut)
        .expect("example")
        .insert("email".into(), json!("not-an-email"));
    expect_failure(&spec, "not-an-email");

    let mut spec = load_spec_json();
    spec.pointer_mut(user).and_then(Value::as_object_mut).expect("example").insert("first_name".into(), Value::Null);
    let (_, failures) = examples::check(&spec);
    assert!(failures.is_empty(), "nullable fields accept null: {failures:#?}");
}

#[test]
fn read_only_fields_leave_request_schemas_and_write_only_fields_response_schemas() {
    let spec = load_spec_json();
    let user = spec.pointer("/components/schemas/User").expect("User");
    let request = examples::translate(&spec, user, Direction::Request);
    assert!(
        request["properties"].get("id").is_none()
            && !request["required"].as_array().expect("required").contains(&json!("id"))
    );
    let response = examples::translate(&spec, user, Direction::Response);
    assert!(
        response["properties"].get("id").is_some()
            && response["required"].as_array().expect("required").contains(&json!("id"))
    );
    let login = spec.pointer("/components/schemas/AdminPostAuthReq").expect("login");
    let as_response = examples::translate(&spec, login, Direction::Response);
    assert!(as_response["properties"].get("password").is_none(), "writeOnly");
    assert_eq!(examples::translate(&spec, login, Direction::Request)["properties"]["password"]["type"], "string");
    assert_eq!(response["properties"]["first_name"]["type"], json!(["string", "null"]), "nullable");
}
