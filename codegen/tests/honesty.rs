//! What the generator cannot carry it says, located: constructs that used to pass silently
//! (an unknown `type`, an array without `items`, an enum default that is not a value, `allOf`
//! parts that disagree, an undeclared security scheme, a filter that matches nothing).

use std::path::PathBuf;

use codegen::{Diagnostic, Settings, generate};

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-honesty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, text).expect("writable");
    path
}

/// A document with one operation and the given component schemas (indented YAML).
fn document(schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      tags: [Things]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing'}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

/// The one diagnostic at `pointer`, with a line, or a panic naming what there was.
fn at<'a>(diagnostics: &'a [Diagnostic], pointer: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.pointer == pointer).collect();
    let [one] = found.as_slice() else { panic!("one diagnostic at {pointer} expected: {diagnostics:#?}") };
    assert!(one.location.is_some(), "{one}: no file:line:col");
    one
}

#[test]
fn an_unknown_type_is_an_error_with_a_suggestion() {
    let path =
        write("type", &document("    Thing:\n      type: object\n      properties:\n        size: {type: integr}\n"));
    let failure = generate(&path, &Settings::new("spec.yaml")).expect_err("refused");
    let error = at(&failure.diagnostics, "#/components/schemas/Thing/properties/size/type");
    assert!(error.is_error() && error.message.contains("`integr` is not a type"), "{error}");
    assert_eq!(error.hint.as_deref(), Some("did you mean `integer`?"));
}

#[test]
fn approximations_are_located_warnings() {
    let schemas = "    Thing:\n      type: object\n      required: [tags, tag]\n      properties:\n        tags: {type: array}\n        codes: {type: array, uniqueItems: true, items: {type: string}}\n        extra: {type: object, minProperties: 1, additionalProperties: {type: string}}\n        mode: {type: string, enum: [fast, slow], default: medium}\n    Both:\n      allOf:\n        - {type: object, properties: {size: {type: integer}}}\n        - {type: object, properties: {size: {type: string}}}\n";
    let path = write("warnings", &document(schemas));
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("generates");
    let items = at(&generated.warnings, "#/components/schemas/Thing/properties/tags");
    assert!(items.message.contains("without `items`"), "{items}");
    let default = at(&generated.warnings, "#/components/schemas/Thing/properties/mode/default");
    assert!(default.message.contains("not one of the enum's values"), "{default}");
    for (pointer, keyword) in [
        ("#/components/schemas/Thing/properties/codes/uniqueItems", "uniqueItems"),
        ("#/components/schemas/Thing/properties/extra/minProperties", "minProperties"),
    ] {
        let unchecked = at(&generated.warnings, pointer);
        assert!(unchecked.message.contains(&format!("`{keyword}` is not checked")), "{unchecked}");
    }
    let missing = at(&generated.warnings, "#/components/schemas/Thing/required/1");
    assert!(missing.message.contains("`tag`, which is not a property"), "{missing}");
    let both = at(&generated.warnings, "#/components/schemas/Both");
    assert!(both.message.contains("two types (integer and string)"), "{both}");
}

#[test]
fn an_undeclared_security_scheme_is_an_error() {
    let text = document("    Thing: {type: object}\n").replace(
        "      operationId: listThings\n",
        "      operationId: listThings\n      security: [{api_tokn: []}]\n",
    ) + "  securitySchemes:\n    api_token: {type: apiKey, in: header, name: x-token}\n";
    let path = write("security", &text);
    let failure = generate(&path, &Settings::new("spec.yaml")).expect_err("refused");
    let error = at(&failure.diagnostics, "#/paths/~1things/get/security/0/api_tokn");
    assert_eq!(error.hint.as_deref(), Some("did you mean \"api_token\"?"));
}

#[test]
fn roles_of_a_scheme_without_scopes_are_said() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      security: [{key: [admin]}, {oauth: [read]}]\n      responses:\n        '204': {description: ok}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: x-key}\n    oauth: {type: oauth2, flows: {implicit: {authorizationUrl: 'https://a.example/auth', scopes: {read: Read.}}}}\n";
    let path = write("roles", text);
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("generates");
    let warning = at(&generated.warnings, "#/paths/~1things/get/security/0/key");
    assert!(warning.message.contains("not passed to `authenticate`"), "{warning}");
    assert!(!generated.warnings.iter().any(|w| w.pointer.contains("security/1")), "OAuth 2 scopes are passed");
}

#[test]
fn a_filter_that_matches_nothing_is_an_error() {
    let path = write("filter", &document("    Thing: {type: object}\n"));
    let mut settings = Settings::new("spec.yaml");
    settings.tags = vec!["Thngs".to_owned()];
    let failure = generate(&path, &settings).expect_err("refused");
    let error = at(&failure.diagnostics, "#/paths");
    assert!(error.message.contains("tag \"Thngs\""), "{error}");
    assert_eq!(error.hint.as_deref(), Some("did you mean \"Things\"?"));
}

#[test]
fn mutual_tls_in_a_3_1_document_is_left_to_the_tls_layer_and_said() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      security: [{mtls: []}, {key: []}]\n      responses:\n        '204': {description: ok}\ncomponents:\n  securitySchemes:\n    mtls: {type: mutualTLS}\n    key: {type: apiKey, in: header, name: x-key}\n";
    let path = write("mtls", text);
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("a valid 3.1 document generates");
    let warning = at(&generated.warnings, "#/components/securitySchemes/mtls");
    assert!(warning.message.contains("TLS layer"), "{warning}");
}

#[test]
fn json_schema_2020_keywords_the_code_ignores_are_said() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pair:\n      type: array\n      prefixItems: [{type: string}, {type: integer}]\n    Tagged:\n      type: object\n      properties:\n        if: {type: string}\n      dependentRequired: {if: [then]}\n";
    let path = write("2020", text);
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("generates");
    let prefix = at(&generated.warnings, "#/components/schemas/Pair/prefixItems");
    assert!(prefix.message.contains("not carried"), "{prefix}");
    // `then` is not a property of Tagged, so this pair cannot be checked.
    let unknown = at(&generated.warnings, "#/components/schemas/Tagged/dependentRequired/if");
    assert!(unknown.message.contains("\"then\", which is not a property"), "{unknown}");
    assert!(
        !generated.warnings.iter().any(|w| w.pointer.ends_with("/properties/if")),
        "a property named `if` is a name, not a keyword: {:?}",
        generated.warnings
    );
}

/// `dependentRequired` is carried as validation: no warning, and the struct's check says it.
#[test]
fn dependent_required_is_checked() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Card:\n      type: object\n      required: [holder]\n      properties:\n        holder: {type: string}\n        number: {type: string}\n        expiry: {type: [string, 'null']}\n      dependentRequired: {number: [expiry, holder]}\n";
    let path = write("dependent", text);
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("generates");
    assert!(!generated.warnings.iter().any(|w| w.pointer.contains("dependentRequired")), "{:?}", generated.warnings);
    let types = generated.files.iter().find(|f| f.path.ends_with("models/src/types.rs")).expect("the models");
    // `holder` is required, so always present: only `expiry` is named.
    let call = "check.dependent(\"number\", self.number.is_some(), &[(\"expiry\", !self.expiry.is_absent())]";
    let squeezed: String = types.contents.split_whitespace().collect();
    assert!(squeezed.contains(&call.split_whitespace().collect::<String>()), "{}", types.contents);
}

#[test]
fn percent_encoded_pointers_resolve() {
    let text = document(
        "    Thing:\n      type: object\n      properties:\n        inner: {$ref: '#/components/schemas/With%20Space'}\n    With Space:\n      type: object\n      properties:\n        size: {type: integer}\n",
    );
    let path = write("percent", &text);
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("a percent-encoded pointer resolves");
    let types = generated.files.iter().find(|f| f.path.ends_with("types.rs")).expect("types");
    assert!(types.contents.contains("pub inner: ::std::option::Option<WithSpace>"), "{}", types.contents);
}

#[test]
fn what_the_wire_cannot_carry_yet_is_said_where_it_is_written() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    post:\n      operationId: postThing\n      parameters:\n        - {name: d, in: query, style: deepObject, schema: {type: string}}\n        - {name: grid, in: query, schema: {type: array, items: {type: array, items: {type: integer}}}}\n        - {name: one, in: query, schema: {type: string}, x-codegen: {brackets: true}}\n      requestBody:\n        content:\n          multipart/mixed:\n            schema: {type: object, properties: {file: {type: string, format: binary}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object}\n            application/xml:\n              schema: {type: object}\n";
    let path = write("wire", text);
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("generates");
    let op = "#/paths/~1things/post";
    let deep = at(&generated.warnings, &format!("{op}/parameters/0"));
    assert!(deep.message.contains("deepObject but is not an object"), "{deep}");
    let nested = at(&generated.warnings, &format!("{op}/parameters/1"));
    assert!(nested.message.contains("sent as JSON text"), "{nested}");
    let brackets = at(&generated.warnings, &format!("{op}/parameters/2/x-codegen"));
    assert!(brackets.message.contains("exploded form arrays only"), "{brackets}");
    // `multipart/form-data` is typed; the other multipart kinds are still text.
    let multipart = at(&generated.warnings, &format!("{op}/requestBody/content/multipart~1mixed"));
    assert!(multipart.message.contains("raw text"), "{multipart}");
    let xml = at(&generated.warnings, &format!("{op}/responses/200/content/application~1xml"));
    assert!(xml.message.contains("only application/json is sent and read"), "{xml}");
}

/// Writes `files` (relative path → text) under a fresh directory; returns it.
fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-tree-{}-{name}", std::process::id()));
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("writable");
        std::fs::write(&path, text).expect("writable");
    }
    dir
}

/// Path items given by `$ref` (to another file, within the document, and 3.1's
/// `components/pathItems`), and `$ref`s inside another file that point into that file.
#[test]
fn path_items_by_reference_and_references_within_other_files() {
    let root = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    $ref: 'paths/pets.yaml'\n  /cats:\n    $ref: '#/x-items/cats'\nx-items:\n  cats:\n    get:\n      operationId: listCats\n      responses:\n        '200': {description: ok}\n";
    let pets = "get:\n  operationId: listPets\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../schemas.yaml#/Pet'}\npost:\n  operationId: addPet\n  requestBody:\n    content:\n      application/json:\n        schema: {$ref: '#/components/schemas/Local'}\n  responses:\n    '201': {description: made}\ncomponents:\n  schemas:\n    Local: {type: object, properties: {a: {type: string}}}\n";
    let schemas = "Pet:\n  type: object\n  properties:\n    name: {type: string}\n    owner: {$ref: '#/Owner'}\nOwner:\n  type: object\n  properties:\n    id: {type: integer}\n";
    let dir = tree("items", &[("root.yaml", root), ("paths/pets.yaml", pets), ("schemas.yaml", schemas)]);
    let generated = generate(&dir.join("root.yaml"), &Settings::new("spec.yaml")).expect("generates");
    let client = generated.files.iter().find(|f| f.path.ends_with("resources.rs")).expect("the client");
    for id in ["listPets", "addPet", "listCats"] {
        assert!(client.contents.contains(&format!("id: \"{id}\"")), "{id}");
    }
    let types = generated.files.iter().find(|f| f.path.ends_with("types.rs")).expect("types");
    for name in ["pub struct Pet", "pub struct Owner", "pub struct Local", "pub owner: ::std::option::Option<Owner>"] {
        assert!(types.contents.contains(name), "{name}: {}", types.contents);
    }

    // OpenAPI 3.1's reusable path items.
    let root = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /dogs:\n    $ref: '#/components/pathItems/dogs'\ncomponents:\n  pathItems:\n    dogs:\n      get:\n        operationId: listDogs\n        responses:\n          '200': {description: ok}\n";
    let dir = tree("items31", &[("root.yaml", root)]);
    let generated = generate(&dir.join("root.yaml"), &Settings::new("spec.yaml")).expect("generates");
    assert!(generated.files.iter().any(|f| f.contents.contains("id: \"listDogs\"")));

    // A mistake inside a referenced path item is located in its own file.
    let broken = pets.replace("'#/components/schemas/Local'", "'#/components/schemas/Lokal'");
    let root = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    $ref: 'paths/pets.yaml'\n";
    let dir = tree("broken", &[("root.yaml", root), ("paths/pets.yaml", &broken), ("schemas.yaml", schemas)]);
    let failure = generate(&dir.join("root.yaml"), &Settings::new("spec.yaml")).expect_err("refused");
    let error = failure.diagnostics.iter().find(|d| d.message.contains("Lokal")).expect("the dangling reference");
    let location = error.location.as_ref().expect("located");
    assert!(location.file.ends_with("paths/pets.yaml") && location.line == 14, "{error}");
}

/// The router answers the requests it refuses with statuses the operation documents (422 or
/// 400, 401 or 403); operations that document neither are named in one warning per kind.
#[test]
fn refusals_are_answered_with_documented_statuses_or_said() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{key: []}]\npaths:\n  /strict:\n    get:\n      operationId: strict\n      parameters: [{name: n, in: query, schema: {type: integer}}]\n      responses:\n        '200': {description: ok}\n        '403': {description: no}\n        '422': {description: invalid}\n  /both:\n    post:\n      operationId: both\n      requestBody: {content: {application/json: {schema: {type: object}}}}\n      responses:\n        '200': {description: ok}\n        '400': {description: bad}\n        '401': {description: who}\n        '422': {description: invalid}\n  /loose:\n    get:\n      operationId: loose\n      parameters: [{name: n, in: query, schema: {type: integer}}]\n      responses:\n        '200': {description: ok}\n  /bare:\n    get:\n      operationId: bare\n      responses:\n        '200': {description: ok}\n        '401': {description: who}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: x-key}\n";
    let path = write("refusals", text);
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("generates");
    let router = generated.files.iter().find(|f| f.path.ends_with("router.rs")).expect("the router");
    let handler = |name: &str| {
        let start = router.contents.find(&format!("async fn {name}<")).expect("the handler");
        let end = router.contents[start..].find("\n}\n").map_or(router.contents.len(), |e| start + e);
        router.contents[start..end].to_owned()
    };
    assert!(
        handler("strict").contains("answer_as(result.await, &rt::Statuses::DEFAULT.invalid(422).unauthorized(403))")
    );
    assert!(handler("both").contains("rt::Statuses::DEFAULT.too_large(400)"), "400 is preferred: {}", handler("both"));
    assert!(handler("bare").contains("shared.answer(result.await)"));
    let invalid: Vec<&Diagnostic> = generated.warnings.iter().filter(|d| d.message.contains("400 nor 422")).collect();
    assert!(
        invalid.len() == 1
            && invalid[0].message.contains("1 operation(s)")
            && invalid[0].message.contains("GET /loose")
    );
    assert_eq!(invalid[0].pointer, "#/paths/~1loose/get/responses");
    assert!(invalid[0].location.is_some());
    let warnings: Vec<&Diagnostic> = generated.warnings.iter().filter(|d| d.message.contains("401 nor 403")).collect();
    assert!(
        warnings.len() == 1 && warnings[0].message.contains("GET /loose") && !warnings[0].message.contains("/bare")
    );

    // `[server] invalid-request-status = 422` prefers 422 where both are documented.
    let settings = codegen::config::apply(
        &write("refusals-settings", "[server]\ninvalid-request-status = 422\n").with_extension("yaml"),
        Settings::new("spec.yaml"),
    );
    let settings = settings.expect("applied");
    let generated = generate(&path, &settings).expect("generates");
    let router = generated.files.iter().find(|f| f.path.ends_with("router.rs")).expect("the router");
    assert!(router.contents.contains("rt::Statuses::DEFAULT.invalid(422).too_large(422)"), "{}", router.contents);
    let refused =
        codegen::config::apply(&write("refusals-bad", "[server]\ninvalid-request-status = 418\n"), Settings::new("x"));
    assert!(refused.expect_err("refused")[0].message.contains("400 or 422"));
    let misplaced = codegen::config::apply(
        &write("refusals-client", "[client]\ninvalid-request-status = 422\n"),
        Settings::new("x"),
    );
    assert!(misplaced.expect_err("refused")[0].message.contains("a setting of [server]"));
}

/// Shape mistakes are each reported at their own key, all at once, with a hint — not once, at
/// the enclosing `#/paths`, as the typed parser alone would.
#[test]
fn shape_mistakes_are_located_at_their_key() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      parameters:\n        - {name: q, in: querry, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  name:\n                    type: string\n                    required: true\n        '20x': {description: odd}\n";
    let failure = generate(&write("shape", text), &Settings::new("spec.yaml")).expect_err("refused");
    let location = at(&failure.diagnostics, "#/paths/~1things/get/parameters/0/in");
    assert_eq!(location.hint.as_deref(), Some("did you mean `query`?"));
    assert_eq!(location.location.as_ref().map(|l| l.line), Some(8));
    let required = at(
        &failure.diagnostics,
        "#/paths/~1things/get/responses/200/content/application~1json/schema/properties/name/required",
    );
    assert!(required.hint.as_deref().unwrap_or_default().contains("required: [name]"), "{required}");
    assert_eq!(required.location.as_ref().map(|l| l.line), Some(19));
    at(&failure.diagnostics, "#/paths/~1things/get/responses/20x");
    assert_eq!(failure.diagnostics.len(), 3, "{:#?}", failure.diagnostics);

    // A `$ref` indented one level too little, under `paths:` itself: the typed parser ignores
    // it, so it is a warning, located.
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      responses:\n        '200': {description: ok}\n  $ref: 'other.yaml'\n";
    let generated = generate(&write("indent", text), &Settings::new("spec.yaml")).expect("generates");
    let misplaced = at(&generated.warnings, "#/paths/$ref");
    assert!(misplaced.message.contains("is ignored"), "{misplaced}");
    assert!(misplaced.hint.as_deref().unwrap_or_default().contains("indented one level too little"), "{misplaced}");
    assert_eq!(misplaced.location.as_ref().map(|l| l.line), Some(8));

    // What the walk does not know keeps the typed parser's own message.
    let text = "openapi: 3.0.3\ninfo: {version: '1'}\npaths: {}\n";
    let failure = generate(&write("info", text), &Settings::new("spec.yaml")).expect_err("refused");
    assert!(
        failure.diagnostics.iter().any(|d| d.message.contains("not a valid OpenAPI 3.0 document")),
        "{:#?}",
        failure.diagnostics
    );
}

/// One phase's errors do not hide the next's: a dangling `$ref`, a duplicate operationId and a
/// path parameter missing from its template, all reported in one run.
#[test]
fn errors_of_different_phases_come_together() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: same\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n  /b:\n    get:\n      operationId: same\n      responses:\n        '200': {description: ok}\n";
    let failure = generate(&write("phases", text), &Settings::new("spec.yaml")).expect_err("refused");
    let messages: Vec<&str> = failure.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("dangling reference")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("operationId \"same\" is also used")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("{id} has no `in: path` parameter")), "{messages:#?}");
    assert!(failure.diagnostics.iter().all(|d| d.location.is_some()), "{:#?}", failure.diagnostics);
}

/// The server's self-description keeps discriminators, with each tag mapped to its variant.
#[test]
fn the_self_description_keeps_discriminators() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shapes.yaml");
    let generated = generate(&fixture, &Settings::new("shapes.yaml")).expect("generates");
    let file = generated.files.iter().find(|f| f.path.ends_with("server/src/openapi.json")).expect("the description");
    let described: serde_json::Value = serde_json::from_str(&file.contents).expect("JSON");
    let discriminator = described.pointer("/components/schemas/Shape/discriminator").expect("kept");
    assert_eq!(discriminator["propertyName"], "shape");
    assert_eq!(discriminator["mapping"]["round"], "#/components/schemas/Circle");
    assert_eq!(discriminator["mapping"]["square"], "#/components/schemas/Square");
}

/// The self-description keeps the scopes a security requirement asks for.
#[test]
fn the_self_description_keeps_security_scopes() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      security: [{oauth: [things.read, things.list]}, {key: []}]\n      responses:\n        '200': {description: ok}\n        '401': {description: who}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: x-key}\n    oauth:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://example.com/token\n          scopes: {things.read: read, things.list: list}\n";
    let generated = generate(&write("scopes", text), &Settings::new("spec.yaml")).expect("generates");
    let file = generated.files.iter().find(|f| f.path.ends_with("server/src/openapi.json")).expect("the description");
    let described: serde_json::Value = serde_json::from_str(&file.contents).expect("JSON");
    let security = described.pointer("/paths/~1things/get/security").expect("security");
    assert_eq!(security, &serde_json::json!([{"oauth": ["things.read", "things.list"]}, {"key": []}]));
}

/// An enum inside a component that is split into request and response views is one type, used
/// by both (it reads the same from either side of the wire).
#[test]
fn request_and_response_views_share_their_enums() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /hooks:\n    post:\n      operationId: createHook\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Webhook'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Webhook'}\ncomponents:\n  schemas:\n    Webhook:\n      type: object\n      properties:\n        id: {type: string, readOnly: true}\n        events:\n          type: array\n          items: {type: string, enum: [push, pull]}\n";
    let generated = generate(&write("views", text), &Settings::new("spec.yaml")).expect("generates");
    let types = generated.files.iter().find(|f| f.path.ends_with("types.rs")).expect("types");
    assert_eq!(types.contents.matches("pub enum ").count(), 1, "{}", types.contents);
    assert!(types.contents.contains("pub struct WebhookRequest"), "the struct is still split");
    assert_eq!(types.contents.matches("::std::vec::Vec<WebhookEventsItem>").count(), 2);
}

/// `format: byte` is bytes (base64 on the wire); constraints on its text are said to be
/// unchecked rather than dropped silently.
#[test]
fn byte_strings_are_bytes_and_their_text_constraints_are_said() {
    let generated = generate(
        &write("byte", &document("    Thing:\n      type: object\n      properties:\n        blob: {type: string, format: byte, maxLength: 64}\n")),
        &Settings::new("spec.yaml"),
    )
    .expect("generates");
    let types = generated.files.iter().find(|f| f.path.ends_with("types.rs")).expect("types");
    assert!(types.contents.contains("pub blob: ::std::option::Option<::openapi_runtime::models::Base64>"));
    let manifest = generated.files.iter().find(|f| f.path == "models/Cargo.toml").expect("the manifest");
    assert!(manifest.contents.contains("\"base64\""), "{}", manifest.contents);
    let warning = at(&generated.warnings, "#/components/schemas/Thing/properties/blob");
    assert!(warning.message.contains("`format: byte`"), "{warning}");
}

/// JSON Schema `$defs` (OpenAPI 3.1) are read: each definition is a component schema, the
/// references into it are typed, and what is said about it points at its place in the file.
#[test]
fn defs_are_read_as_components() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        tag: {$ref: '#/components/schemas/Pet/$defs/Tag'}\n        owner: {$ref: '#/components/schemas/Pet/$defs/Owner'}\n      $defs:\n        Tag:\n          type: object\n          properties:\n            label: {type: string}\n        Owner:\n          type: object\n          properties:\n            names: {type: array, items: {type: string}, uniqueItems: true}\n    Tag: {type: string}\n";
    let path = write("defs", text);
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("generates");
    assert!(!generated.warnings.iter().any(|w| w.message.contains("$defs")), "{:?}", generated.warnings);
    let types = generated.files.iter().find(|f| f.path.ends_with("models/src/types.rs")).expect("the models");
    // `Tag` is taken by a component, so the definition is named with its owner.
    for wanted in
        ["pub tag: ::std::option::Option<PetTag>", "pub owner: ::std::option::Option<Owner>", "pub struct PetTag"]
    {
        assert!(types.contents.contains(wanted), "{wanted} in:\n{}", types.contents);
    }
    // A warning inside a definition is located where the definition is written (line 19).
    let unique = generated.warnings.iter().find(|w| w.message.contains("uniqueItems")).expect("uniqueItems said");
    let location = unique.location.as_ref().expect("located");
    assert_eq!(location.line, 19, "{unique}");
}

/// A 1xx, 204 or 304 answer has no content in HTTP: documented content there (oxide-nexus's
/// WebSocket upgrades document a `101` body) is said and left out, so the response variant
/// carries no body that no client could ever receive.
#[test]
fn content_of_a_response_http_gives_none_is_said_and_left_out() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /stream:\n    get:\n      operationId: stream\n      responses:\n        '101':\n          description: upgrade\n          content:\n            '*/*':\n              schema: {}\n        '204':\n          description: nothing\n          content:\n            application/json:\n              schema: {type: object}\n";
    let generated = generate(&write("bodiless", text), &Settings::new("spec.yaml")).expect("generates");
    for status in ["101", "204"] {
        let warning = at(&generated.warnings, &format!("#/paths/~1stream/get/responses/{status}/content"));
        assert!(warning.message.contains("has no content in HTTP"), "{warning}");
    }
    let operations = generated.files.iter().find(|f| f.path.ends_with("operations.rs")).expect("operations");
    assert!(operations.contents.contains("    SwitchingProtocols,\n"), "{}", operations.contents);
    assert!(operations.contents.contains("    NoContent,\n"), "{}", operations.contents);
}

/// A query in a path template (OpenAI's `/responses/{id}?beta=true`) cannot be routed: the
/// generated router panicked when built. The path's operations are left out, said.
#[test]
fn a_path_with_a_query_is_said_and_left_out() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things/{id}?beta=true:\n    get:\n      operationId: getBeta\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: ok}\n  /things/{id}:\n    get:\n      operationId: getThing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: ok}\n";
    let generated = generate(&write("query-path", text), &Settings::new("spec.yaml")).expect("generates");
    let warning = at(&generated.warnings, "#/paths/~1things~1{id}?beta=true");
    assert!(warning.message.contains("holds a query"), "{warning}");
    let router = generated.files.iter().find(|f| f.path.ends_with("router.rs")).expect("a router");
    assert!(!router.contents.contains("beta"), "the operation is left out");
    assert!(router.contents.contains("get_thing"), "the other is kept");
}

/// A documented `Content-Length` response header (GitHub's markdown/render) made the generated
/// server write a length its body contradicted, which hyper refuses with a panic: framing
/// headers are HTTP's, said and left out.
#[test]
fn framing_response_headers_are_said_and_left_out() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /render:\n    post:\n      operationId: render\n      responses:\n        '200':\n          description: ok\n          headers:\n            Content-Length: {schema: {type: string}}\n            X-Version: {schema: {type: string}}\n          content:\n            text/html:\n              schema: {type: string}\n";
    let generated = generate(&write("framing", text), &Settings::new("spec.yaml")).expect("generates");
    let warning = at(&generated.warnings, "#/paths/~1render/post/responses/200/headers/Content-Length");
    assert!(warning.message.contains("frames the body"), "{warning}");
    let operations = generated.files.iter().find(|f| f.path.ends_with("operations.rs")).expect("operations");
    assert!(operations.contents.contains("pub x_version"), "{}", operations.contents);
    assert!(!operations.contents.contains("content_length"), "{}", operations.contents);
}

/// A body documented under a media range (GitHub's release assets: `*/*`) was sent with
/// `Content-Type: */*`, which no server reads: the client sends its kind's usual type.
#[test]
fn a_media_range_is_sent_as_a_concrete_type() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /assets:\n    post:\n      operationId: upload\n      requestBody:\n        required: true\n        content:\n          '*/*':\n            schema: {type: string}\n      responses:\n        '204': {description: ok}\n  /images:\n    post:\n      operationId: image\n      requestBody:\n        required: true\n        content:\n          'image/*': {}\n      responses:\n        '204': {description: ok}\n";
    let generated = generate(&write("ranges", text), &Settings::new("spec.yaml")).expect("generates");
    let resources = generated.files.iter().find(|f| f.path.ends_with("resources.rs")).expect("resources");
    assert!(resources.contents.contains(r#".json("application/json", body)"#), "{}", resources.contents);
    assert!(resources.contents.contains(r#".binary("application/octet-stream", body)"#), "{}", resources.contents);
    assert!(!resources.contents.contains(r#""*/*""#) && !resources.contents.contains(r#""image/*""#));
}

/// A `deepObject` parameter whose schema is a union of an object and a scalar (Stripe's
/// `created`) keeps its style: it was written as a plain form parameter, without a word.
#[test]
fn a_union_parameter_with_an_object_keeps_its_style() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /charges:\n    get:\n      operationId: listCharges\n      parameters:\n        - name: created\n          in: query\n          style: deepObject\n          explode: true\n          schema:\n            anyOf:\n              - {type: object, properties: {gt: {type: integer}}}\n              - {type: integer}\n      responses:\n        '204': {description: ok}\n";
    let generated = generate(&write("union-param", text), &Settings::new("spec.yaml")).expect("generates");
    assert!(generated.warnings.iter().all(|w| !w.message.contains("deepObject")), "{:#?}", generated.warnings);
    let operations = generated.files.iter().find(|f| f.path.ends_with("operations.rs")).expect("operations");
    let entry = operations.contents.split(r#"rt::Param::query("created")"#).nth(1).expect("described");
    let entry = entry.split(']').next().unwrap_or("");
    assert!(entry.contains(".style(rt::Style::DeepObject)") && entry.contains(".shape(rt::Shape::Map)"), "{entry}");
}

/// A discriminator without a mapping, over variants that fix the property themselves
/// (OpenAI's `type: {enum: [input_text]}`): the tag was the schema's name, OpenAPI's default,
/// so the model refused every real payload (`"type": "input_text"`) and wrote ones the variant's
/// own field refuses. The declared value is read and written; the name is still read.
#[test]
fn a_variant_that_fixes_its_tag_is_tagged_by_it() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /parts:\n    get:\n      operationId: getPart\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Part'}\ncomponents:\n  schemas:\n    Part:\n      oneOf:\n        - $ref: '#/components/schemas/InputText'\n        - $ref: '#/components/schemas/InputImage'\n        - $ref: '#/components/schemas/Message'\n      discriminator: {propertyName: type}\n    Message:\n      allOf:\n        - $ref: '#/components/schemas/InputMessage'\n        - {type: object, properties: {id: {type: string}}}\n    InputMessage:\n      type: object\n      properties:\n        type: {type: string, enum: [message]}\n    InputText:\n      type: object\n      required: [type, text]\n      properties:\n        type: {type: string, enum: [input_text]}\n        text: {type: string}\n    InputImage:\n      type: object\n      required: [type]\n      properties:\n        type: {type: string}\n        url: {type: string}\n";
    let generated = generate(&write("declared-tags", text), &Settings::new("spec.yaml")).expect("generates");
    let types = generated.files.iter().find(|f| f.path.ends_with("types.rs")).expect("types");
    let compact: String = types.contents.split_whitespace().collect();
    assert!(compact.contains(r#"Some("input_text")|::std::option::Option::Some("InputText")=>"#), "{}", types.contents);
    assert!(compact.contains(r#"Some("InputImage")=>"#), "a variant that fixes nothing keeps its name");
    // Through `allOf` too.
    assert!(compact.contains(r#"Some("message")|::std::option::Option::Some("Message")=>"#), "{}", types.contents);
    assert!(compact.contains(r#"rt::serialize_tagged(serializer,value,"type","input_text")"#), "{}", types.contents);
}
