//! Error-change rules, one fixture pair each: a small base document and a mutation of it.

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

use Severity::{Error, Info, Warning};

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
        Error,
        "#/paths/~1pets/post",
    );
    expect(
        "    post:\n      operationId: createPet",
        "    put:\n      operationId: createPet",
        "operation-added",
        Info,
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
        Error,
        "#/paths/~1pets/get/parameters/0",
    );
    expect(
        base,
        "- {name: limit, in: query, required: false, schema: {type: integer}}\n        - {name: sort, in: query, required: true, schema: {type: string}}",
        "parameter-added-required",
        Error,
        "#/paths/~1pets/get/parameters/1",
    );
    expect(
        base,
        "- {name: limit, in: query, required: false, schema: {type: integer}}\n        - {name: sort, in: query, schema: {type: string}}",
        "parameter-added",
        Info,
        "#/paths/~1pets/get/parameters/1",
    );
    expect(
        base,
        "- {name: limit, in: query, required: false, schema: {type: string}}",
        "type-changed",
        Error,
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
    assert!(found.iter().all(|(_, severity, _)| *severity == Info), "{found:#?}");
    has(&found, "parameter-became-array", Info, at);
    let strings = "- {name: limit, in: query, required: false, schema: {type: array, items: {type: string}}}";
    has(&between(param, strings), "type-changed", Error, &format!("{at}/items"));
    has(
        &between(
            "- {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}",
            "- {name: kind, in: query, schema: {type: array, items: {type: string, enum: [cat]}}}",
        ),
        "request-enum-value-removed",
        Error,
        &format!("{at}/items"),
    );
    has(&between(widened, param), "type-changed", Error, at);
    has(
        &between(
            "- {name: filter, in: query, style: deepObject, schema: {type: string}}",
            "- {name: filter, in: query, style: deepObject, schema: {type: array, items: {type: string}}}",
        ),
        "type-changed",
        Error,
        at,
    );
}

#[test]
fn request_properties() {
    expect(
        "required: [name]",
        "required: [name, kind]",
        "request-property-became-required",
        Error,
        "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/kind",
    );
    expect(
        "        nickname: {type: string, nullable: true}",
        "        nickname: {type: string, nullable: true}\n        chip: {type: string}\n      required: [name, chip]",
        "request-property-added-required",
        Error,
        "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/chip",
    );
    expect(
        "        nickname: {type: string, nullable: true}",
        "        nickname: {type: string}",
        "request-became-non-nullable",
        Error,
        "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/nickname",
    );
    expect(
        "    NewPet:\n      type: object",
        "    NewPet:\n      type: object\n      additionalProperties: false",
        "additional-properties-tightened",
        Error,
        "#/paths/~1pets/post/requestBody/content/application~1json/schema",
    );
}

#[test]
fn response_properties() {
    let pet = "#/paths/~1pets/post/responses/201/content/application~1json/schema/properties";
    // An optional property dropped: old clients already handle its absence.
    expect("        tag: {type: string}\n", "", "response-optional-property-removed", Warning, &format!("{pet}/tag"));
    expect(
        "        kind: {type: string, enum: [cat, dog]}\n        tag",
        "        tag",
        "response-property-removed",
        Error,
        &format!("{pet}/kind"),
    );
    expect(
        "      required: [id, name, kind]",
        "      required: [id, name]",
        "response-property-became-optional",
        Error,
        &format!("{pet}/kind"),
    );
    expect(
        "        tag: {type: string}",
        "        tag: {type: string, nullable: true}",
        "response-became-nullable",
        Error,
        &format!("{pet}/tag"),
    );
    // A format added narrows what is sent; in a request it narrows what is accepted.
    expect(
        "        tag: {type: string}",
        "        tag: {type: string, format: uuid}",
        "format-changed-compatibly",
        Info,
        &format!("{pet}/tag"),
    );
    expect(
        "        name: {type: string}\n",
        "        name: {type: string, format: uuid}\n",
        "format-changed",
        Error,
        "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/name",
    );
    expect(
        "        tag: {type: string}",
        "        tag: {type: string}\n        age: {type: integer}",
        "property-added",
        Info,
        &format!("{pet}/age"),
    );
    expect(
        "        id: {type: string, readOnly: true}",
        "        id: {type: string}",
        "read-only-changed",
        Error,
        &format!("{pet}/id"),
    );
    expect(
        "        tag: {type: string}",
        "        tag: {type: string, writeOnly: true}",
        "write-only-changed",
        Error,
        &format!("{pet}/tag"),
    );
}

/// Callbacks are sent by the API: their bodies are judged as responses, their answers as requests.
#[test]
fn callbacks_swap_the_sides() {
    let doc = |event: &str, answer: &str, name: &str| {
        parse(&format!(
            "openapi: 3.0.3\ninfo: {{title: Hooks, version: 1.0.0}}\npaths:\n  /subscriptions:\n    post:\n      operationId: subscribe\n      responses:\n        '201': {{description: Subscribed.}}\n      callbacks:\n        {name}:\n          '{{$request.body#/url}}':\n            post:\n              requestBody:\n                content:\n                  application/json:\n                    schema: {{type: object, properties: {{kind: {event}}}}}\n              responses:\n                '200':\n                  description: Received.\n                  content:\n                    application/json:\n                      schema: {answer}\n"
        ))
    };
    let event = "{type: string, enum: [created, deleted]}";
    let answer = "{type: object, properties: {ok: {type: boolean}}}";
    let base = doc(event, answer, "onEvent");
    assert_eq!(diff(&base, &base), Vec::new());
    // Clients receive the event: a new value breaks them.
    let more = diff(&base, &doc("{type: string, enum: [created, deleted, moved]}", answer, "onEvent"));
    assert!(more.iter().any(|c| c.rule == "response-enum-value-added" && c.severity == Error), "{more:#?}");
    // Clients send the answer: the API requiring more of it breaks them.
    let stricter =
        diff(&base, &doc(event, "{type: object, required: [ok], properties: {ok: {type: boolean}}}", "onEvent"));
    assert!(stricter.iter().any(|c| c.severity == Error), "{stricter:#?}");
    let renamed = diff(&base, &doc(event, answer, "onChange"));
    assert!(renamed.iter().any(|c| c.rule == "callback-added" && c.severity == Warning), "{renamed:#?}");
    assert!(renamed.iter().any(|c| c.rule == "callback-removed" && c.severity == Warning), "{renamed:#?}");
}

/// Webhooks (OpenAPI 3.1) are compared like callbacks, also after the loader's normalisation.
#[test]
fn webhooks_are_compared_like_callbacks() {
    let doc = |values: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: Hooks, version: 1.0.0}}\nwebhooks:\n  newPet:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: object, properties: {{kind: {{type: string, enum: [{values}]}}}}}}\n      responses:\n        '200': {{description: Received.}}\n"
        )
    };
    let dir = std::env::temp_dir().join(format!("codegen-diff-webhooks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let load = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("writable");
        codegen::load::load(&path).expect("loads").json
    };
    for (old, new) in [
        (parse(&doc("cat, dog")), parse(&doc("cat, dog, bird"))),
        (load("old.yaml", doc("cat, dog")), load("new.yaml", doc("cat, dog, bird"))),
    ] {
        let found = diff(&old, &new);
        assert!(found.iter().any(|c| c.rule == "response-enum-value-added" && c.severity == Error), "{found:#?}");
        assert_eq!(diff(&old, &old), Vec::new());
    }
}

/// `x-extensible-enum`: values may be added, so only a request losing one breaks.
#[test]
fn extensible_enums() {
    let doc = |response: &str, request: &str| {
        parse(&format!(
            "openapi: 3.0.3\ninfo: {{title: Pets, version: 1.0.0}}\npaths:\n  /pets:\n    post:\n      operationId: addPet\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: object, properties: {{kind: {request}}}}}\n      responses:\n        '200':\n          description: A pet.\n          content:\n            application/json:\n              schema: {{type: object, properties: {{kind: {response}}}}}\n"
        ))
    };
    let ext = |values: &str| format!("{{type: string, x-extensible-enum: [{values}]}}");
    let base = doc(&ext("cat, dog"), &ext("cat, dog"));
    let added = diff(&base, &doc(&ext("cat, dog, bird"), &ext("cat, dog, bird")));
    assert!(!added.is_empty() && added.iter().all(|c| c.severity == Info), "{added:#?}");
    let removed = diff(&base, &doc(&ext("cat"), &ext("cat")));
    assert!(
        removed.iter().any(|c| c.rule == "request-extensible-enum-value-removed" && c.severity == Error),
        "{removed:#?}"
    );
    assert!(removed.iter().any(|c| c.rule == "extensible-enum-value-changed" && c.severity == Info), "{removed:#?}");
    let closed = "{type: string, enum: [cat, dog]}";
    let opened = diff(&doc(closed, closed), &doc(&ext("cat, dog"), closed));
    assert!(opened.iter().any(|c| c.rule == "response-enum-became-extensible" && c.severity == Error), "{opened:#?}");
    let closing = diff(&base, &doc(closed, &ext("cat, dog")));
    assert!(closing.iter().any(|c| c.rule == "extensible-enum-closed" && c.severity == Info), "{closing:#?}");
}

#[test]
fn enums_depend_on_the_side() {
    // In Pet (responses) and NewPet (requests).
    let edited = BASE.replace("kind: {type: string, enum: [cat, dog]}", "kind: {type: string, enum: [cat, dog, bird]}");
    let found = rules(&edited);
    assert!(found.iter().any(|(r, s, _)| *r == "response-enum-value-added" && *s == Error), "{found:#?}");
    assert!(found.iter().any(|(r, s, _)| *r == "request-enum-value-added" && *s == Info), "{found:#?}");
    let edited = BASE.replace("kind: {type: string, enum: [cat, dog]}", "kind: {type: string, enum: [cat]}");
    let found = rules(&edited);
    assert!(found.iter().any(|(r, s, _)| *r == "request-enum-value-removed" && *s == Error), "{found:#?}");
    assert!(found.iter().any(|(r, s, _)| *r == "response-enum-value-removed" && *s == Info), "{found:#?}");
    // The enum dropped altogether: any string is accepted, and any may come.
    let edited = BASE.replace("kind: {type: string, enum: [cat, dog]}", "kind: {type: string}");
    let mut found: Vec<_> = rules(&edited).into_iter().map(|(r, s, _)| (r, s)).collect();
    found.dedup();
    assert_eq!(found, [("response-enum-removed", Error), ("request-enum-removed", Info)]);
    // A property that never travels on a side changes nothing there.
    let secret = BASE.replace(
        "        tag: {type: string}\n",
        "        tag: {type: string}\n        pin: {type: string, writeOnly: true, enum: [a, b]}\n",
    );
    let changed =
        secret.replace("pin: {type: string, writeOnly: true, enum: [a, b]}", "pin: {type: string, writeOnly: true}");
    let found = diff(&parse(&secret), &parse(&changed));
    assert!(
        !found.is_empty() && found.iter().all(|c| c.severity == Info && c.message.contains("writeOnly")),
        "{found:#?}"
    );
}

#[test]
fn responses_and_security() {
    expect(
        "        '404': {description: None.}\n",
        "",
        "response-error-status-removed",
        Warning,
        "#/paths/~1pets/get/responses/404",
    );
    expect(
        "        '201':\n          description: Created.",
        "        '202':\n          description: Created.",
        "response-status-removed",
        Error,
        "#/paths/~1pets/post/responses/201",
    );
    expect(
        "        '404': {description: None.}",
        "        '404': {description: None.}\n        '500': {description: Oops.}",
        "response-status-added",
        Info,
        "#/paths/~1pets/get/responses/500",
    );
    expect("      security: []\n", "", "security-added", Error, "#/paths/~1health/get/security");
    expect(
        "security:\n  - key: []\npaths",
        "security:\n  - other: []\npaths",
        "security-changed",
        Error,
        "#/paths/~1pets/get/security",
    );
    expect(
        "    get:\n      operationId: listPets",
        "    get:\n      operationId: listPets\n      security: []",
        "security-removed",
        Info,
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
    assert!(found.iter().all(|c| c.severity == Info), "making a body optional breaks nothing: {found:#?}");
}

#[test]
fn major_versions() {
    assert_eq!(major_version(&parse(BASE)), Some(1));
    assert_eq!(major_version(&parse(&BASE.replace("version: 1.2.0", "version: v2.0.0"))), Some(2));
    assert_eq!(major_version(&parse(&BASE.replace("version: 1.2.0", "version: draft"))), None);
}

/// Value constraints by direction: tightening a request and loosening a response break; the
/// other directions are info.
#[test]
fn value_constraints() {
    let new_pet = "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/name";
    let pet = "#/paths/~1pets/get/responses/200/content/application~1json/schema/items/properties/name";
    let request = "        name: {type: string}\n        kind: {type: string, enum: [cat, dog]}\n        nickname";
    let with = |keywords: &str| request.replacen("{type: string}", &format!("{{type: string, {keywords}}}"), 1);
    expect(request, &with("maxLength: 20"), "request-constraint-tightened", Error, new_pet);
    expect(request, &with("minLength: 2"), "request-constraint-tightened", Error, new_pet);
    expect(request, &with("pattern: '^[a-z]+$'"), "request-pattern-added", Error, new_pet);
    expect(request, &with("default: Tom"), "request-default-changed", Warning, new_pet);
    // The response side: Pet's name.
    let response = "        name: {type: string, description: The name.}";
    let bounded = "        name: {type: string, description: The name., maxLength: 20}";
    expect(response, bounded, "constraint-changed-compatibly", Info, pet);
    let pair = |old: &str, new: &str| -> Vec<(&'static str, Severity, String)> {
        diff(&parse(&BASE.replacen(response, old, 1)), &parse(&BASE.replacen(response, new, 1)))
            .into_iter()
            .map(|c| (c.rule, c.severity, c.pointer))
            .collect()
    };
    let has = |found: Vec<(&'static str, Severity, String)>, rule: &str, severity: Severity| {
        assert!(found.iter().any(|(r, s, p)| *r == rule && *s == severity && p == pet), "{rule}: {found:#?}");
    };
    has(pair(bounded, response), "response-constraint-loosened", Error);
    has(pair(bounded, &bounded.replace("20", "40")), "response-constraint-loosened", Error);
    has(pair(bounded, &bounded.replace("20", "10")), "constraint-changed-compatibly", Info);
    let pattern = "        name: {type: string, description: The name., pattern: '^[a-z]+$'}";
    has(pair(pattern, response), "response-pattern-removed", Error);
    has(pair(pattern, &pattern.replace("a-z", "a-f")), "pattern-changed", Warning);
    // Numbers: bounds made exclusive, and steps.
    let limit = "- {name: limit, in: query, required: false, schema: {type: integer}}";
    let at = "#/paths/~1pets/get/parameters/0/schema";
    let bound = |extra: &str| format!("- {{name: limit, in: query, schema: {{type: integer, {extra}}}}}");
    expect(limit, &bound("minimum: 1"), "request-constraint-tightened", Error, at);
    expect(limit, &bound("multipleOf: 5"), "request-constraint-tightened", Error, at);
    let between = |old: &str, new: &str| -> Vec<(&'static str, Severity, String)> {
        diff(&parse(&BASE.replacen(limit, old, 1)), &parse(&BASE.replacen(limit, new, 1)))
            .into_iter()
            .map(|c| (c.rule, c.severity, c.pointer))
            .collect()
    };
    let found = between(&bound("minimum: 1"), &bound("minimum: 1, exclusiveMinimum: true"));
    assert!(found.iter().any(|(r, s, _)| *r == "request-constraint-tightened" && *s == Error), "{found:#?}");
    let found = between(&bound("multipleOf: 10"), &bound("multipleOf: 5"));
    assert!(found.iter().all(|(_, s, _)| *s == Info), "5 divides 10: more values accepted: {found:#?}");
    let found = between(&bound("multipleOf: 5"), &bound("multipleOf: 10"));
    assert!(found.iter().any(|(r, s, _)| *r == "request-constraint-tightened" && *s == Error), "{found:#?}");
    let found = between(&bound("maximum: 10"), &bound("maximum: 20"));
    assert!(found.iter().all(|(_, s, _)| *s == Info), "{found:#?}");
}

/// `integer` → `number` widens a request; the reverse narrows a response. Neither breaks.
#[test]
fn compatible_type_changes() {
    let limit = "- {name: limit, in: query, required: false, schema: {type: integer}}";
    expect(
        limit,
        "- {name: limit, in: query, required: false, schema: {type: number}}",
        "type-widened-compatibly",
        Info,
        "#/paths/~1pets/get/parameters/0/schema",
    );
    let found = changes(limit, "- {name: limit, in: query, required: false, schema: {type: number}}");
    assert!(found.iter().all(|(_, s, _)| *s == Info), "{found:#?}");
}

/// Compositions by what each side accepts.
#[test]
fn compositions_by_direction() {
    let request = "            schema: {$ref: '#/components/schemas/NewPet'}";
    let either = "            schema: {oneOf: [{$ref: '#/components/schemas/NewPet'}]}";
    let wider = "            schema: {oneOf: [{$ref: '#/components/schemas/NewPet'}, {type: string}]}";
    let pair = |from: &str, old: &str, new: &str| -> Vec<(&'static str, Severity, String)> {
        diff(&parse(&BASE.replacen(from, old, 1)), &parse(&BASE.replacen(from, new, 1)))
            .into_iter()
            .map(|c| (c.rule, c.severity, c.pointer))
            .collect()
    };
    let body = "#/paths/~1pets/post/requestBody/content/application~1json/schema/oneOf";
    let found = pair(request, either, wider);
    assert_eq!(found, [("composition-changed-compatibly", Info, body.to_owned())]);
    let found = pair(request, wider, either);
    assert_eq!(found, [("request-composition-narrowed", Error, body.to_owned())]);
    // In a response, a new alternative is what old clients cannot decode.
    let response = "              schema: {$ref: '#/components/schemas/Pet'}";
    let one = "              schema: {anyOf: [{$ref: '#/components/schemas/Pet'}]}";
    let two = "              schema: {anyOf: [{$ref: '#/components/schemas/Pet'}, {type: string}]}";
    let found = pair(response, one, two);
    assert!(found.iter().any(|(r, s, _)| *r == "response-composition-widened" && *s == Error), "{found:#?}");
    // allOf: object parts are compared merged, so a part that requires more narrows a request
    // by that property, and one that goes frees it.
    let all = "            schema: {allOf: [{$ref: '#/components/schemas/NewPet'}]}";
    let more = "            schema: {allOf: [{$ref: '#/components/schemas/NewPet'}, {required: [kind]}]}";
    let kind = "#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/kind";
    assert_eq!(pair(request, all, more), [("request-property-became-required", Error, kind.to_owned())]);
    let found = pair(request, more, all);
    assert!(found.iter().all(|(_, s, _)| *s == Info), "{found:#?}");
    // A property moved between parts, or a requirement another part still makes, is no change.
    let split = "            schema: {allOf: [{$ref: '#/components/schemas/NewPet'}, {required: [name]}]}";
    assert_eq!(pair(request, all, split), []);
    let moved = "            schema: {allOf: [{type: object, required: [name], properties: {name: {type: string}}}, {type: object, properties: {kind: {type: string, enum: [cat, dog]}, nickname: {type: string, nullable: true}}}]}";
    assert_eq!(pair(request, request, moved), []);
    // A part that is not an object schema keeps the part-by-part rules.
    let strings = "            schema: {allOf: [{type: string}]}";
    let shorter = "            schema: {allOf: [{type: string}, {maxLength: 5}]}";
    let found = pair(request, strings, shorter);
    assert!(found.iter().any(|(r, s, _)| *r == "request-composition-narrowed" && *s == Error), "{found:#?}");
}

/// A path parameter renamed with its template is the same URL for clients.
#[test]
fn path_parameters_renamed_in_the_same_template() {
    let doc = |path: &str, name: &str| {
        parse(&format!(
            r#"
openapi: 3.0.3
info: {{title: Pets, version: 1.0.0}}
paths:
  {path}:
    get:
      operationId: getPet
      parameters:
        - {{name: {name}, in: path, required: true, schema: {{type: string}}}}
      responses:
        '200': {{description: A pet.}}
"#
        ))
    };
    let found = diff(&doc("/pets/{id}", "id"), &doc("/pets/{petId}", "petId"));
    assert!(found.iter().all(|c| c.severity == Info), "{found:#?}");
    assert!(found.iter().any(|c| c.rule == "path-parameter-renamed"), "{found:#?}");
    let found = diff(&doc("/pets/{id}", "id"), &doc("/cats/{id}", "id"));
    assert!(found.iter().any(|c| c.rule == "operation-removed" && c.severity == Error), "{found:#?}");
}

/// A path segment is never empty: `minLength: 1` on a path parameter narrows nothing, but 2 does.
#[test]
fn min_length_one_on_a_path_parameter_is_no_change() {
    let doc = |schema: &str| {
        parse(&format!(
            "openapi: 3.0.3\ninfo: {{title: Pets, version: 1.0.0}}\npaths:\n  /pets/{{id}}:\n    get:\n      operationId: getPet\n      parameters:\n        - {{name: id, in: path, required: true, schema: {schema}}}\n      responses:\n        '200': {{description: A pet.}}\n"
        ))
    };
    let plain = doc("{type: string}");
    assert_eq!(diff(&plain, &doc("{type: string, minLength: 1}")), Vec::new());
    let two = diff(&plain, &doc("{type: string, minLength: 2}"));
    assert!(two.iter().any(|c| c.severity == Error), "{two:#?}");
}

/// Parameter serialisation and response headers.
#[test]
fn parameter_styles_and_response_headers() {
    let limit = "- {name: limit, in: query, required: false, schema: {type: integer}}";
    expect(
        limit,
        "- {name: limit, in: query, style: form, explode: false, schema: {type: integer}}",
        "parameter-style-changed",
        Error,
        "#/paths/~1pets/get/parameters/0",
    );
    // Spelling out the defaults changes nothing.
    let found = changes(limit, "- {name: limit, in: query, style: form, explode: true, schema: {type: integer}}");
    assert!(found.is_empty(), "{found:#?}");
    let status = "        '404': {description: None.}";
    let header = |spec: &str| format!("        '404':\n          description: None.\n          headers:\n{spec}");
    let required = header("            X-Rate-Limit: {required: true, schema: {type: integer}}");
    let optional = header("            X-Rate-Limit: {schema: {type: integer}}");
    let at = "#/paths/~1pets/get/responses/404/headers/X-Rate-Limit";
    expect(status, &required, "response-header-added", Info, at);
    let pair = |old: &str, new: &str| -> Vec<(&'static str, Severity, String)> {
        diff(&parse(&BASE.replacen(status, old, 1)), &parse(&BASE.replacen(status, new, 1)))
            .into_iter()
            .map(|c| (c.rule, c.severity, c.pointer))
            .collect()
    };
    assert_eq!(pair(&required, status), [("response-header-removed", Error, at.to_owned())]);
    assert_eq!(pair(&optional, status), [("response-optional-header-removed", Warning, at.to_owned())]);
    assert_eq!(pair(&required, &optional), [("response-header-became-optional", Error, at.to_owned())]);
    let lower = header("            x-rate-limit: {required: true, schema: {type: integer}}");
    assert!(pair(&required, &lower).is_empty(), "header names are case-insensitive");
    let text = header("            X-Rate-Limit: {required: true, schema: {type: string}}");
    assert_eq!(pair(&required, &text), [("type-changed", Error, format!("{at}/schema"))]);
}

/// A readOnly property is never sent: making it required in a request breaks nobody.
#[test]
fn required_where_a_property_never_travels() {
    let from = "      required: [name]\n      properties:\n        name: {type: string}\n";
    let old = "      required: [name]\n      properties:\n        id: {type: string, readOnly: true}\n        name: {type: string}\n";
    let new = "      required: [id, name]\n      properties:\n        id: {type: string, readOnly: true}\n        name: {type: string}\n";
    assert!(BASE.contains(from));
    let found: Vec<_> = diff(&parse(&BASE.replacen(from, old, 1)), &parse(&BASE.replacen(from, new, 1)))
        .into_iter()
        .map(|c| (c.rule, c.severity))
        .collect();
    assert_eq!(found, [("required-changed-where-absent", Info)]);
    // Without readOnly the same edit breaks old clients.
    let plain = |text: &str| text.replace(", readOnly: true", "");
    let found: Vec<_> =
        diff(&parse(&BASE.replacen(from, &plain(old), 1)), &parse(&BASE.replacen(from, &plain(new), 1)))
            .into_iter()
            .map(|c| (c.rule, c.severity))
            .collect();
    assert_eq!(found, [("request-property-became-required", Error)]);
}

/// Our own spec and every fixture, each diffed with itself: nothing to report.
#[test]
fn documents_diffed_with_themselves_are_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("../spec/openapi.yaml")];
    for entry in std::fs::read_dir(root.join("tests/fixtures")).expect("fixtures") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            paths.push(path);
        }
    }
    for path in paths {
        let Ok(document) = codegen::load::load(&path) else { continue };
        let found = diff(&document.json, &document.json);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
}

/// docs/breaking-changes.md lists every rule `diff` can report (every hyphenated string literal
/// in diff.rs is a rule id, but the `x-` extension names).
#[test]
fn every_rule_is_documented() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join("src/diff.rs")).expect("diff.rs");
    let docs = std::fs::read_to_string(root.join("../docs/breaking-changes.md")).expect("the rule list");
    let mut rules: Vec<&str> = source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| s.contains('-') && !s.starts_with("x-") && s.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .collect();
    rules.sort_unstable();
    rules.dedup();
    assert!(rules.len() > 50, "{rules:?}");
    let missing: Vec<&&str> = rules.iter().filter(|rule| !docs.contains(&format!("| `{rule}` |"))).collect();
    assert!(missing.is_empty(), "rules missing from docs/breaking-changes.md: {missing:?}");
}

/// Deprecation and sunset: what was deprecated may go once its sunset date has passed; the
/// policy's period applies to new deprecations.
#[test]
fn deprecation_and_sunset_policy() {
    use codegen::diff::{Policy, diff_with, parse_date};
    let today = parse_date("2026-12-03").expect("a date");
    assert_eq!(parse_date("1970-01-02"), Some(1));
    assert_eq!(parse_date("2000-03-01").map(|d| d - parse_date("2000-02-28").unwrap_or(0)), Some(2), "leap year");
    assert_eq!(parse_date("2026-12-03T10:00:00Z"), Some(today));
    for bad in ["2026-13-01", "2026-02-30", "next year", "2026-1-1", "2026-12-03x"] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
    let health = "    get:\n      operationId: health\n";
    let marked = |extra: &str| format!("    get:\n      operationId: health\n{extra}");
    let run = |old: &str, new: &str, days: u32| -> Vec<(&'static str, Severity)> {
        let (old, new) = (parse(&BASE.replacen(health, old, 1)), parse(&BASE.replacen(health, new, 1)));
        let policy = Policy { deprecation_days: days, today: Some(today) };
        diff_with(&old, &new, policy).into_iter().map(|c| (c.rule, c.severity)).collect()
    };
    // The /health path item goes, with its one operation.
    let drop = |old: &str, days: u32| -> Vec<(&'static str, Severity)> {
        let before = BASE.replacen(health, old, 1);
        let start = before.find("  /health:").expect("the path");
        let end = before.find("components:").expect("components");
        let after = format!("{}{}", &before[..start], &before[end..]);
        let policy = Policy { deprecation_days: days, today: Some(today) };
        diff_with(&parse(&before), &parse(&after), policy).into_iter().map(|c| (c.rule, c.severity)).collect()
    };
    assert_eq!(drop(health, 0), [("operation-removed", Error)]);
    assert_eq!(drop(&marked("      deprecated: true\n"), 0), [("deprecated-operation-removed", Info)]);
    assert_eq!(drop(&marked("      deprecated: true\n"), 30), [("removed-before-sunset", Error)]);
    assert_eq!(
        drop(&marked("      deprecated: true\n      x-sunset: '2026-11-01'\n"), 30),
        [("deprecated-operation-removed", Info)]
    );
    assert_eq!(
        drop(&marked("      deprecated: true\n      x-sunset: '2027-01-01'\n"), 0),
        [("removed-before-sunset", Error)]
    );
    assert_eq!(drop(&marked("      deprecated: true\n      x-sunset: soon\n"), 0), [("sunset-date-invalid", Error)]);
    assert_eq!(drop(&marked("      x-stability-level: alpha\n"), 0), [("unstable-operation-removed", Info)]);
    // Deprecating: info, and under a period the sunset must be far enough ahead.
    let deprecate = marked("      deprecated: true\n      x-sunset: '2027-01-01'\n");
    assert_eq!(run(health, &deprecate, 0), [("deprecated", Info)]);
    assert_eq!(run(health, &deprecate, 14), [("deprecated", Info)]);
    let mut found = run(health, &deprecate, 90);
    found.sort();
    assert_eq!(found, [("deprecated", Info), ("sunset-too-soon", Error)]);
    // Stability: a draft operation may change in any way; a level may not go down.
    let alpha = marked(
        "      x-stability-level: alpha\n      parameters: [{name: x, in: query, required: true, schema: {type: string}}]\n",
    );
    let found = run(&marked("      x-stability-level: alpha\n"), &alpha, 0);
    assert!(found.iter().all(|(_, s)| *s == Info) && !found.is_empty(), "{found:#?}");
    assert_eq!(
        run(&marked("      x-stability-level: stable\n"), &marked("      x-stability-level: beta\n"), 0),
        [("stability-decreased", Error)]
    );
    assert_eq!(run(health, &marked("      x-stability-level: gamma\n"), 0), [("stability-level-invalid", Error)]);
}

/// Deprecated parameters and properties follow the same policy.
#[test]
fn deprecated_parameters_and_properties() {
    let limit = "- {name: limit, in: query, required: false, schema: {type: integer}}";
    let deprecated = "- {name: limit, in: query, deprecated: true, schema: {type: integer}}";
    let other = "- {name: page, in: query, schema: {type: integer}}";
    let pair = |old: &str, new: &str| -> Vec<(&'static str, Severity)> {
        diff(&parse(&BASE.replacen(limit, old, 1)), &parse(&BASE.replacen(limit, new, 1)))
            .into_iter()
            .filter(|c| c.rule != "parameter-added")
            .map(|c| (c.rule, c.severity))
            .collect()
    };
    assert_eq!(pair(limit, other), [("parameter-removed", Error)]);
    assert_eq!(pair(deprecated, other), [("deprecated-parameter-removed", Info)]);
    assert_eq!(pair(limit, deprecated), [("deprecated", Info)]);
    let tag = "        tag: {type: string}\n";
    let found = changes(tag, "        tag: {type: string, deprecated: true}\n");
    assert!(found.iter().any(|(r, s, _)| *r == "deprecated" && *s == Info), "{found:#?}");
}

/// OpenAPI 3.1 keywords reach the diff through the loader's 3.1 normalisation and are judged.
#[test]
fn json_schema_2020_keywords_of_openapi_3_1() {
    let document = |schema: &str| {
        format!(
            r#"
openapi: 3.1.0
info: {{title: Tags, version: 1.0.0}}
paths:
  /tags:
    post:
      operationId: putTags
      requestBody:
        content:
          application/json:
            schema: {schema}
      responses:
        '200':
          description: The tags.
          content:
            application/json:
              schema: {schema}
"#
        )
    };
    let dir = std::env::temp_dir().join(format!("diff-3-1-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("writable");
    let load = |name: &str, schema: &str| {
        let path = dir.join(name);
        std::fs::write(&path, document(schema)).expect("writable");
        codegen::load::load(&path).expect("loads").json
    };
    let found = |old: &str, new: &str| -> Vec<(&'static str, Severity, String)> {
        let mut found: Vec<_> = diff(&load("old.yaml", old), &load("new.yaml", new))
            .into_iter()
            .map(|c| (c.rule, c.severity, c.pointer))
            .collect();
        found.sort();
        found
    };
    let request = "#/paths/~1tags/post/requestBody/content/application~1json/schema";
    let response = "#/paths/~1tags/post/responses/200/content/application~1json/schema";
    let list = "{type: array, items: {type: string}}";
    let contains = "{type: array, items: {type: string}, contains: {const: admin}}";
    assert_eq!(
        found(list, contains),
        [
            ("request-subschema-added", Error, format!("{request}/contains")),
            ("subschema-changed-compatibly", Info, format!("{response}/contains")),
        ]
    );
    assert_eq!(
        found(contains, list),
        [
            ("response-subschema-removed", Error, format!("{response}/contains")),
            ("subschema-changed-compatibly", Info, format!("{request}/contains")),
        ]
    );
    let at_least =
        |n: u32| format!("{{type: array, items: {{type: string}}, contains: {{const: admin}}, minContains: {n}}}");
    assert!(found(&at_least(1), &at_least(2)).contains(&("request-constraint-tightened", Error, request.to_owned())));
    let pair = "{type: array, prefixItems: [{type: string}]}";
    let triple = "{type: array, prefixItems: [{type: string}, {type: integer}]}";
    assert!(found(pair, triple).contains(&("request-subschema-added", Error, format!("{request}/prefixItems/1"))));
    // Past the end of the old list, a position was held to the old `items`.
    let held = "{type: array, prefixItems: [{type: string}], items: {type: integer}}";
    let bounded = "{type: array, prefixItems: [{type: string}, {type: integer, minimum: 0}], items: {type: integer}}";
    assert_eq!(
        found(held, bounded),
        [
            ("constraint-changed-compatibly", Info, format!("{response}/prefixItems/1")),
            ("request-constraint-tightened", Error, format!("{request}/prefixItems/1")),
        ]
    );
    // Positions swapped change what each position takes.
    let swapped = "{type: array, prefixItems: [{type: integer}, {type: string}]}";
    let changes = found(triple, swapped);
    assert_eq!(changes.iter().filter(|(rule, _, _)| *rule == "type-changed").count(), 4, "{changes:#?}");
    let typed = "{type: array, prefixItems: [{type: integer}]}";
    assert!(found(pair, typed).contains(&("type-changed", Error, format!("{request}/prefixItems/0"))));
    let object = "{type: object, properties: {a: {type: string}, b: {type: string}}}";
    let dependent = "{type: object, properties: {a: {type: string}, b: {type: string}}, dependentRequired: {a: [b]}}";
    assert_eq!(
        found(object, dependent),
        [
            ("dependent-required-changed-compatibly", Info, format!("{response}/dependentRequired/a")),
            ("request-dependent-required-added", Error, format!("{request}/dependentRequired/a")),
        ]
    );
    let not_a = "{type: string, not: {const: a}}";
    let not_b = "{type: string, not: {const: b}}";
    assert!(found(not_a, not_b).iter().all(|(r, s, _)| *r == "conditional-subschema-changed" && *s == Warning));
    // `items: false` closes a tuple: longer arrays were accepted and no longer are.
    let tuple = "{type: array, prefixItems: [{type: string}]}";
    let closed = "{type: array, prefixItems: [{type: string}], items: false}";
    assert_eq!(
        found(tuple, closed),
        [
            ("request-subschema-added", Error, format!("{request}/items")),
            ("subschema-changed-compatibly", Info, format!("{response}/items")),
        ]
    );
    // How a string carries its content, and the schema of that content.
    let blob = "{type: string, contentEncoding: base64}";
    assert_eq!(
        found("{type: string}", blob),
        [
            ("content-encoding-changed", Error, format!("{request}/contentEncoding")),
            ("content-encoding-changed", Error, format!("{response}/contentEncoding")),
        ]
    );
    let doc = |t: &str| format!("{{type: string, contentMediaType: application/json, contentSchema: {{type: {t}}}}}");
    assert_eq!(
        found(&doc("object"), &doc("array")),
        [
            ("type-changed", Error, format!("{request}/contentSchema")),
            ("type-changed", Error, format!("{response}/contentSchema")),
        ]
    );
    // Type lists are sets of types: one added widens, one removed narrows.
    let either = "{type: [string, integer]}";
    assert_eq!(
        found("{type: string}", either),
        [("type-changed", Error, response.to_owned()), ("type-widened-compatibly", Info, request.to_owned())]
    );
    assert_eq!(
        found(either, "{type: string}"),
        [("type-changed", Error, request.to_owned()), ("type-widened-compatibly", Info, response.to_owned())]
    );
    // A schema wrapped in a oneOf with another alternative.
    let one = "{type: object, properties: {a: {type: string}}}";
    let wrapped =
        "{oneOf: [{type: object, properties: {a: {type: string}}}, {type: object, properties: {b: {type: integer}}}]}";
    assert_eq!(
        found(one, wrapped),
        [
            ("request-wrapped-in-one-of", Warning, format!("{request}/oneOf")),
            ("response-composition-widened", Error, format!("{response}/oneOf")),
        ]
    );
    // 3.1's nullable wrapper is a change of nullability, not of type (oasdiff agrees).
    let bare = "{type: object, properties: {kind: {type: string, enum: [a, b]}}}";
    let wrapped = "{type: object, properties: {kind: {oneOf: [{type: 'null'}, {type: string, enum: [a, b]}]}}}";
    assert_eq!(
        found(bare, wrapped),
        [
            ("nullability-changed-compatibly", Info, format!("{request}/properties/kind")),
            ("response-became-nullable", Error, format!("{response}/properties/kind")),
        ]
    );
    assert_eq!(
        found(wrapped, bare),
        [
            ("nullability-changed-compatibly", Info, format!("{response}/properties/kind")),
            ("request-became-non-nullable", Error, format!("{request}/properties/kind")),
        ]
    );
    let typed = "{type: object, properties: {kind: {type: [string, 'null'], enum: [a, b, null]}}}";
    assert!(found(wrapped, typed).iter().all(|(_, severity, _)| *severity == Info), "{:#?}", found(wrapped, typed));
}

/// Rules oasdiff's rule list has that its published examples do not show: scopes, a media type
/// gaining or losing its schema, maps of sub-schemas.
#[test]
fn scopes_schemaless_media_types_and_schema_maps() {
    let document = |security: &str, body: &str, reply: &str| {
        parse(&format!(
            r#"
openapi: 3.0.3
info: {{title: Scopes, version: 1.0.0}}
paths:
  /pets:
    post:
      operationId: addPet
      security: {security}
      requestBody:
        content:
          application/json: {body}
      responses:
        '200':
          description: Added.
          content:
            application/json: {reply}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows: {{clientCredentials: {{tokenUrl: 'https://auth.example.com/token', scopes: {{read: r, write: w}}}}}}
    key: {{type: apiKey, in: header, name: x-key}}
"#
        ))
    };
    let schema = "{schema: {type: object}}";
    let found = |old: (&str, &str, &str), new: (&str, &str, &str)| -> Vec<(&'static str, Severity)> {
        diff(&document(old.0, old.1, old.2), &document(new.0, new.1, new.2))
            .into_iter()
            .map(|c| (c.rule, c.severity))
            .collect()
    };
    let base = ("[{oauth: [read]}]", schema, schema);
    // Scopes: more asked refuses old tokens; fewer, or an alternative added, does not.
    assert_eq!(found(base, ("[{oauth: [read, write]}]", schema, schema)), [("security-scope-added", Error)]);
    assert_eq!(found(("[{oauth: [read, write]}]", schema, schema), base), [("security-changed-compatibly", Info)]);
    assert_eq!(found(base, ("[{oauth: [read]}, {key: []}]", schema, schema)), [("security-changed-compatibly", Info)]);
    // One of two alternatives removed: clients holding it are refused.
    assert_eq!(found(("[{oauth: [read]}, {key: []}]", schema, schema), base), [("security-changed", Error)]);
    // A media type without a schema takes any body.
    assert_eq!(found((base.0, "{}", schema), base), [("request-subschema-added", Error)]);
    assert_eq!(found(base, (base.0, schema, "{}")), [("response-subschema-removed", Error)]);
    assert_eq!(found(base, (base.0, "{}", schema)), [("subschema-changed-compatibly", Info)]);
    // `schema: true` is no schema; `schema: false` withdraws the media type.
    assert_eq!(found((base.0, "{}", "{}"), (base.0, "{schema: true}", "{schema: true}")), []);
    let mut withdrawn = found((base.0, "{}", "{}"), (base.0, "{schema: false}", "{schema: false}"));
    withdrawn.dedup();
    assert_eq!(withdrawn, [("media-type-removed", Error)]);
    assert_eq!(
        found((base.0, "{schema: false}", "{schema: false}"), (base.0, "{}", "{}")),
        [("response-subschema-removed", Error), ("subschema-changed-compatibly", Info)]
    );
    // patternProperties / dependentSchemas entries.
    let patterned = "{schema: {type: object, patternProperties: {'^x-': {type: string}}}}";
    assert_eq!(found(base, (base.0, patterned, schema)), [("request-subschema-added", Error)]);
    assert_eq!(found((base.0, schema, patterned), base), [("response-subschema-removed", Error)]);
    let dependent = "{schema: {type: object, dependentSchemas: {card: {required: [billing]}}}}";
    assert_eq!(found(base, (base.0, dependent, schema)), [("request-subschema-added", Error)]);
    let narrower = "{schema: {type: object, patternProperties: {'^x-': {type: string, maxLength: 5}}}}";
    assert_eq!(
        found((base.0, patterned, schema), (base.0, narrower, schema)),
        [("request-constraint-tightened", Error)]
    );
}

/// `x-stability-level` on a property: a draft or alpha property may change or go; a level may
/// not go down.
#[test]
fn property_stability_levels() {
    let tag = "        tag: {type: string}\n";
    let pair = |old: &str, new: &str| -> Vec<(&'static str, Severity)> {
        let mut found: Vec<_> = diff(&parse(&BASE.replacen(tag, old, 1)), &parse(&BASE.replacen(tag, new, 1)))
            .into_iter()
            .map(|c| (c.rule, c.severity))
            .collect();
        found.dedup();
        found
    };
    let alpha = "        tag: {type: string, x-stability-level: alpha}\n";
    assert_eq!(pair(alpha, "        tag: {type: integer, x-stability-level: alpha}\n"), [("type-changed", Info)]);
    assert_eq!(pair(alpha, ""), [("unstable-property-removed", Info)]);
    assert_eq!(
        pair(
            "        tag: {type: string, x-stability-level: stable}\n",
            "        tag: {type: string, x-stability-level: beta}\n"
        ),
        [("stability-decreased", Error)]
    );
    assert_eq!(pair(tag, "        tag: {type: integer}\n"), [("type-changed", Error)]);
}
