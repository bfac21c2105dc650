//! Breaking-change rules, one fixture pair each: a small base document and a mutation of it.

use codegen::diff::{Severity, diff, major_version};
use serde_json::Value;

const BASE: &str = r#"
openapi: 3.0.3
info: {title: Pets, version: 1.2.0, description: The pet store.}
security:
  - key: []
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      parameters:
        - {name: limit, in: query, required: false, schema: {type: integer}}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
              example: [{id: p1, name: Tom, kind: cat}]
        '404': {description: None.}
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /health:
    get:
      operationId: health
      security: []
      responses:
        '200': {description: Up.}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: x-key}
    other: {type: apiKey, in: header, name: x-other}
  schemas:
    Pet:
      type: object
      required: [id, name, kind]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string, description: The name.}
        kind: {type: string, enum: [cat, dog]}
        tag: {type: string}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
        nickname: {type: string, nullable: true}
"#;

fn parse(text: &str) -> Value {
    yaml_serde::from_str(text).expect("fixture parses")
}

fn rules(edited: &str) -> Vec<(&'static str, Severity, String)> {
    diff(&parse(BASE), &parse(edited)).into_iter().map(|c| (c.rule, c.severity, c.pointer)).collect()
}

/// Applies one textual edit to the base document and returns the changes found.
fn changes(from: &str, to: &str) -> Vec<(&'static str, Severity, String)> {
    assert!(BASE.contains(from), "fixture edit {from:?} does not apply");
    rules(&BASE.replacen(from, to, 1))
}

fn expect(from: &str, to: &str, rule: &str, severity: Severity, pointer: &str) {
    let found = changes(from, to);
    assert!(
        found.iter().any(|(r, s, p)| *r == rule && *s == severity && p == pointer),
        "expected {rule} ({severity:?}) at {pointer}, found {found:#?}"
    );
}

use Severity::{Breaking, NonBreaking};

#[test]
fn identical_and_doc_only_edits_are_clean() {
    assert_eq!(rules(BASE), vec![]);
    let docs = BASE
        .replace("description: The name.", "description: What the pet is called.")
        .replace("summary: List pets", "summary: List every pet")
        .replace("example: [{id: p1, name: Tom, kind: cat}]", "example: [{id: p2, name: Felix, kind: dog}]")
        .replace("description: The pet store.", "description: A pet store.");
    assert_eq!(rules(&docs), vec![]);
}

#[test]
fn operations() {
    expect(
        "    post:\n      operationId: createPet",
        "    put:\n      operationId: createPet",
        "operation-removed",
        Breaking,
        "#/paths/~1pets/post",
    );
    expect(
        "    post:\n      operationId: createPet",
        "    put:\n      operationId: createPet",
        "operation-added",
        NonBreaking,
        "#/paths/~1pets/put",
    );
}

#[test]
fn parameters() {
    let base = "- {name: limit, in: query, required: false, schema: {type: integer}}";
    expect(
        base,
        "- {name: limit, in: query, required: true, schema: {type: integer}}",
        "parameter-became-required",
        Breaking,
        "#/paths/~1pets/get/parameters/0",
    );
    expect(
        base,
        "- {name: limit, in: query, required: false, schema: {type: integer}}\n        - {name: sort, in: query, required: true, schema: {type: string}}",
        "parameter-added-required",
        Breaking,
        "#/paths/~1pets/get/parameters/1",
    );
    expect(
        base,
        "- {name: limit, in: query, required: false, schema: {type: integer}}\n        - {name: sort, in: query, schema: {type: string}}",
        "parameter-added",
        NonBreaking,
        "#/paths/~1pets/get/parameters/1",
    );
    expect(
        base,
        "- {name: limit, in: query, required: false, schema: {type: string}}",
        "type-changed",
        Breaking,
        "#/paths/~1pets/get/parameters/0/schema",
    );
}

/// A scalar parameter becoming an array of the same values breaks no request (a single value is
/// a one-element array); narrower items still do, and an array becoming a scalar does.
#[test]
fn a_scalar_parameter_becoming_an_array() {
    // Both sides are edits of the base document's one parameter.
    let param = "- {name: limit, in: query, required: false, schema: {type: integer}}";
    let between = |old: &str, new: &str| -> Vec<(&'static str, Severity, String)> {
        let doc = |line: &str| parse(&BASE.replacen(param, line, 1));
        diff(&doc(old), &doc(new)).into_iter().map(|c| (c.rule, c.severity, c.pointer)).collect()
    };
    let has = |found: &[(&str, Severity, String)], rule: &str, severity: Severity, pointer: &str| {
        assert!(
            found.iter().any(|(r, s, p)| *r == rule && *s == severity && p == pointer),
            "expected {rule} ({severity:?}) at {pointer}, found {found:#?}"
        );
    };
    let at = "#/paths/~1pets/get/parameters/0/schema";
    let widened = "- {name: limit, in: query, required: false, schema: {type: array, items: {type: integer}}}";
    let found = between(param, widened);
    assert!(found.iter().all(|(_, severity, _)| *severity == NonBreaking), "{found:#?}");
    has(&found, "parameter-became-array", NonBreaking, at);
    let strings = "- {name: limit, in: query, required: false, schema: {type: array, items: {type: string}}}";
    has(&between(param, strings), "type-changed", Breaking, &format!("{at}/items"));
    has(
        &between(
            "- {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}",
            "- {name: kind, in: query, schema: {type: array, items: {type: string, enum: [cat]}}}",
        ),
        "request-enum-value-removed",
        Breaking,
        &format!("{at}/items"),
    );
    has(&between(widened, param), "type-changed", Breaking, at);
    has(
        &between(
            "- {name: filter, in: query, style: deepObject, schema: {type: string}}",
            "- {name: filter, in: query, style: deepObject, schema: {type: array, items: {type: string}}}",
        ),
        "type-changed",
        Breaking,
        at,
    );
}

#[test]
fn request_properties() {
    expect(
        "required: [name]",
        "required: [name, kind]",
        "request-property-became-required",
        Breaking,
        "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/kind",
    );
    expect(
        "        nickname: {type: string, nullable: true}",
        "        nickname: {type: string, nullable: true}\n        chip: {type: string}\n      required: [name, chip]",
        "request-property-added-required",
        Breaking,
        "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/chip",
    );
    expect(
        "        nickname: {type: string, nullable: true}",
        "        nickname: {type: string}",
        "request-became-non-nullable",
        Breaking,
        "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/nickname",
    );
    expect(
        "    NewPet:\n      type: object",
        "    NewPet:\n      type: object\n      additionalProperties: false",
        "additional-properties-tightened",
        Breaking,
        "#/paths/~1pets/post/requestBody/content/application~1json/schema",
    );
}

#[test]
fn response_properties() {
    let pet = "#/paths/~1pets/post/responses/201/content/application~1json/schema/properties";
    expect("        tag: {type: string}\n", "", "response-property-removed", Breaking, &format!("{pet}/tag"));
    expect(
        "      required: [id, name, kind]",
        "      required: [id, name]",
        "response-property-became-optional",
        Breaking,
        &format!("{pet}/kind"),
    );
    expect(
        "        tag: {type: string}",
        "        tag: {type: string, nullable: true}",
        "response-became-nullable",
        Breaking,
        &format!("{pet}/tag"),
    );
    expect(
        "        tag: {type: string}",
        "        tag: {type: string, format: uuid}",
        "format-changed",
        Breaking,
        &format!("{pet}/tag"),
    );
    expect(
        "        tag: {type: string}",
        "        tag: {type: string}\n        age: {type: integer}",
        "property-added",
        NonBreaking,
        &format!("{pet}/age"),
    );
    expect(
        "        id: {type: string, readOnly: true}",
        "        id: {type: string}",
        "read-only-changed",
        Breaking,
        &format!("{pet}/id"),
    );
    expect(
        "        tag: {type: string}",
        "        tag: {type: string, writeOnly: true}",
        "write-only-changed",
        Breaking,
        &format!("{pet}/tag"),
    );
}

#[test]
fn enums_depend_on_the_side() {
    // In Pet (responses) and NewPet (requests).
    let edited = BASE.replace("kind: {type: string, enum: [cat, dog]}", "kind: {type: string, enum: [cat, dog, bird]}");
    let found = rules(&edited);
    assert!(found.iter().any(|(r, s, _)| *r == "response-enum-value-added" && *s == Breaking), "{found:#?}");
    assert!(found.iter().any(|(r, s, _)| *r == "request-enum-value-added" && *s == NonBreaking), "{found:#?}");
    let edited = BASE.replace("kind: {type: string, enum: [cat, dog]}", "kind: {type: string, enum: [cat]}");
    let found = rules(&edited);
    assert!(found.iter().any(|(r, s, _)| *r == "request-enum-value-removed" && *s == Breaking), "{found:#?}");
    assert!(found.iter().any(|(r, s, _)| *r == "response-enum-value-removed" && *s == NonBreaking), "{found:#?}");
}

#[test]
fn responses_and_security() {
    expect(
        "        '404': {description: None.}\n",
        "",
        "response-status-removed",
        Breaking,
        "#/paths/~1pets/get/responses/404",
    );
    expect(
        "        '404': {description: None.}",
        "        '404': {description: None.}\n        '500': {description: Oops.}",
        "response-status-added",
        NonBreaking,
        "#/paths/~1pets/get/responses/500",
    );
    expect("      security: []\n", "", "security-added", Breaking, "#/paths/~1health/get/security");
    expect(
        "security:\n  - key: []\npaths",
        "security:\n  - other: []\npaths",
        "security-changed",
        Breaking,
        "#/paths/~1pets/get/security",
    );
    expect(
        "    get:\n      operationId: listPets",
        "    get:\n      operationId: listPets\n      security: []",
        "security-removed",
        NonBreaking,
        "#/paths/~1pets/get/security",
    );
}

#[test]
fn request_bodies() {
    let optional =
        BASE.replace("      requestBody:\n        required: true", "      requestBody:\n        required: false");
    let found = diff(&parse(&optional), &parse(BASE));
    assert!(
        found
            .iter()
            .any(|c| c.rule == "request-body-became-required" && c.pointer == "#/paths/~1pets/post/requestBody"),
        "{found:#?}"
    );
    let found = diff(&parse(BASE), &parse(&optional));
    assert!(found.iter().all(|c| c.severity == NonBreaking), "making a body optional breaks nothing: {found:#?}");
}

#[test]
fn major_versions() {
    assert_eq!(major_version(&parse(BASE)), Some(1));
    assert_eq!(major_version(&parse(&BASE.replace("version: 1.2.0", "version: v2.0.0"))), Some(2));
    assert_eq!(major_version(&parse(&BASE.replace("version: 1.2.0", "version: draft"))), None);
}
