//! The round-trip harness (`Settings::roundtrip`, run by `cargo xtask roundtrip`, which builds
//! and runs it in CI): what it sends is what the issue of wire fidelity asks to be proven —
//! absent and present optional values, empty, one- and many-element arrays, unicode and reserved
//! characters, numbers at their bounds — and it checks every operation and documented status.

use std::path::Path;

use codegen::{Settings, generate};

fn harness(fixture: &str) -> String {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let mut settings = Settings::new(fixture);
    settings.roundtrip = true;
    let generated = generate(&spec, &settings).expect("the fixture generates");
    let manifest = generated.files.iter().find(|f| f.path == "roundtrip/Cargo.toml").expect("a harness manifest");
    assert!(manifest.contents.contains("features = [\"roundtrip\"]"), "{}", manifest.contents);
    generated.files.into_iter().find(|f| f.path == "roundtrip/src/main.rs").expect("a harness").contents
}

#[test]
fn the_harness_checks_every_operation_with_varied_values() {
    let main = harness("wire.yaml");
    for id in [
        "pathStyles",
        "queryStyles",
        "explodedObject",
        "headerStyles",
        "getDay",
        "putFile",
        "postForm",
        "postUpload",
        "postEither",
        "getEncoded",
        "getValidated",
        "getChecked",
        "getGuarded",
        "getScoped",
    ] {
        assert!(main.contains(&format!("\"{id}\"")), "{id} is not reported");
    }
    let checks = main.matches("async fn check_").count();
    assert_eq!(checks, 14, "one check per operation");
    // Unicode and reserved characters where the wire can carry them, ASCII in headers.
    assert!(main.contains("Zoë ✓ a/b?c=d&e#f,g;h%20+i [j]"), "rich text in scalars");
    assert!(main.contains("Zoë✓a/b?c&e#f%20+i[j]"), "delimiter-free text in items");
    assert!(main.contains("Zoe a/b?c=d&e#f%20+i"), "ASCII text in headers");
    // Numbers at both ends of their type, and within a schema's maximum (`limit`: 100).
    assert!(main.contains("2147483647") && main.contains("-2147483648"), "int32 bounds");
    assert!(main.contains("9223372036854775807"), "int64 bound");
    assert!(main.contains(r#""limit":100"#), "a maximum");
    // Bytes that are not UTF-8, and an empty body.
    assert!(main.contains("[0,1,127,128,195,40,255,10,13]"), "binary bytes");
    assert!(main.contains(r#""body":[]"#), "an empty binary body");
    // A multipart file with a unicode name and bytes that are not UTF-8.
    assert!(main.contains(r#""name":"Zoë ✓ 0.png","content_type":"image/png","bytes":[137,80,78,71,0,255,13,10]"#));
    // Every documented status of `putFile` (200 and 404) is answered.
    let put_file = main.split("async fn check_put_file").nth(1).expect("check_put_file");
    let answers = put_file.split("static CODES").nth(1).expect("codes");
    assert!(answers.trim_start().starts_with(": &[u16] = &[200") && answers.contains("404"), "{answers}");
}

#[test]
fn a_range_or_default_status_is_sent_with_a_code_nothing_else_claims() {
    let main = harness("shapes.yaml");
    // Each check sends its answers with explicit codes; none is `0`.
    assert!(main.contains("static CODES: &[u16] = &["));
    assert!(!main.contains("CODES: &[u16] = &[0"));
}
