//! The generator never panics on input. It runs over every real-world document in
//! `../shared/specs/real-world/` (when that folder is present) and over malformed variants of a
//! known-good spec: truncated texts, wrong types at random JSON pointers, dangling references and
//! reference cycles. Each run either generates or refuses with located errors.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::{Settings, generate};
use proptest::prelude::*;
use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen lives in the workspace").to_path_buf()
}

/// A fresh file path under the system temp dir, unique within this test run.
fn scratch(extension: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("codegen-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    dir.join(format!("spec-{}.{extension}", NEXT.fetch_add(1, Ordering::Relaxed)))
}

/// Runs the generator; panics (failing the test) only if the generator itself panicked or
/// refused without saying where.
fn run(spec: &Path) -> Result<usize, usize> {
    let settings = Settings::new("spec.yaml");
    let outcome = catch_unwind(AssertUnwindSafe(|| generate(spec, &settings)));
    match outcome {
        Err(_) => panic!("the generator panicked on {}", spec.display()),
        Ok(Ok(generated)) => {
            reads_back(spec, &generated.files);
            Ok(generated.files.len())
        }
        Ok(Err(failure)) => {
            let errors: Vec<_> = failure.diagnostics.iter().filter(|d| d.is_error()).collect();
            assert!(!errors.is_empty(), "{}: refused without an error", spec.display());
            for error in &errors {
                assert!(error.pointer.starts_with('#'), "{error}: no JSON pointer");
                assert!(error.location.is_some(), "{error}: no file:line:col");
            }
            Err(errors.len())
        }
    }
}

/// The generated server's `openapi()` reads `openapi.json` back into utoipa's type: it must
/// read, and say the same.
fn reads_back(spec: &Path, files: &[codegen::GeneratedFile]) {
    for file in files.iter().filter(|f| f.path.ends_with("/openapi.json")) {
        let read: utoipa::openapi::OpenApi = serde_json::from_str(&file.contents)
            .unwrap_or_else(|e| panic!("{}: utoipa does not read {}: {e}", spec.display(), file.path));
        let again: Value = serde_json::to_value(&read).expect("serialises");
        let written: Value = serde_json::from_str(&file.contents).expect("is JSON");
        assert!(again == written, "{}: {} changes when read back", spec.display(), file.path);
    }
}

#[test]
fn real_world_documents_generate_or_refuse_with_located_errors() {
    let dir = workspace().join("../shared/specs/real-world");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} is not present", dir.display());
        return;
    };
    let mut specs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    specs.extend(std::fs::read_dir(dir.join("openapi-3.1")).into_iter().flatten().flatten().map(|e| e.path()));
    specs.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"));
    specs.sort();
    assert!(!specs.is_empty());
    for spec in specs {
        match run(&spec) {
            Ok(files) => println!("generated {files} files: {}", spec.display()),
            Err(errors) => println!("refused with {errors} located errors: {}", spec.display()),
        }
    }
}

fn base_spec() -> (String, Value) {
    let text = std::fs::read_to_string(workspace().join("spec/openapi.yaml")).expect("spec is readable");
    let json: Value = yaml_serde::from_str(&text).expect("spec parses");
    (text, json)
}

/// Every pointer (as segments) into a JSON value.
fn pointers(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(k.clone());
                pointers(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(i.to_string());
                pointers(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, s| match v {
        Value::Object(map) => map.get_mut(s),
        Value::Array(items) => s.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// The replacement values a mutation can put at a node.
fn replacement(kind: u8) -> Value {
    match kind % 8 {
        0 => Value::Null,
        1 => Value::from(42),
        2 => Value::from("text"),
        3 => Value::from(true),
        4 => serde_json::json!([]),
        5 => serde_json::json!({}),
        6 => serde_json::json!({"$ref": "#/components/schemas/DoesNotExist"}),
        _ => serde_json::json!({"$ref": "#/components/schemas/LoopA"}),
    }
}

fn write_json(value: &Value) -> PathBuf {
    let path = scratch("json");
    std::fs::write(&path, serde_json::to_string_pretty(value).expect("serialises")).expect("writable");
    path
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn wrong_values_at_random_pointers(index in any::<prop::sample::Index>(), kind in 0u8..8, in_schemas: bool) {
        let (_, mut json) = base_spec();
        // Two schemas that only point at each other: a reference cycle to point into.
        if kind == 7
            && let Some(schemas) = json.pointer_mut("/components/schemas").and_then(Value::as_object_mut)
        {
            schemas.insert("LoopA".into(), serde_json::json!({"$ref": "#/components/schemas/LoopB"}));
            schemas.insert("LoopB".into(), serde_json::json!({"$ref": "#/components/schemas/LoopA"}));
        }
        let mut all = Vec::new();
        pointers(&json, &mut Vec::new(), &mut all);
        // Half the cases hit schemas, so mutations also reach lowering and emission.
        if in_schemas {
            all.retain(|p| p.starts_with(&["components".to_owned(), "schemas".to_owned()]) && p.len() > 2);
        }
        let target = index.get(&all).clone();
        if let Some(node) = node_mut(&mut json, &target) {
            *node = replacement(kind);
        }
        let _ = run(&write_json(&json));
    }

    #[test]
    fn truncated_texts(cut in 0.0f64..1.0) {
        let (text, _) = base_spec();
        let mut at = ((text.len() as f64) * cut) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let path = scratch("yaml");
        std::fs::write(&path, &text[..at]).expect("writable");
        let _ = run(&path);
    }

    #[test]
    fn removed_keys(index in any::<prop::sample::Index>()) {
        let (_, mut json) = base_spec();
        let mut all = Vec::new();
        pointers(&json, &mut Vec::new(), &mut all);
        let target = index.get(&all).clone();
        if let Some((last, parent)) = target.split_last()
            && let Some(Value::Object(map)) = node_mut(&mut json, parent)
        {
            map.remove(last);
        }
        let _ = run(&write_json(&json));
    }
}

#[test]
fn a_dangling_reference_is_named_with_its_location() {
    let (text, _) = base_spec();
    let broken = text.replacen(
        "$ref: '#/components/schemas/AdminPostAuthReq'",
        "$ref: '#/components/schemas/AdminPostAuthRequest'",
        1,
    );
    let path = scratch("yaml");
    std::fs::write(&path, &broken).expect("writable");
    let failure = generate(&path, &Settings::new("spec.yaml")).expect_err("a dangling reference is refused");
    let [error] = failure.diagnostics.as_slice() else { panic!("one error expected: {:?}", failure.diagnostics) };
    assert_eq!(error.pointer, "#/paths/~1admin~1auth/post/requestBody/content/application~1json/schema/$ref");
    let line = broken.lines().position(|l| l.contains("AdminPostAuthRequest")).expect("edited line") + 1;
    assert_eq!(error.location.as_ref().map(|l| l.line), Some(line));
    assert_eq!(error.hint.as_deref(), Some("did you mean #/components/schemas/AdminPostAuthReq?"));
    let rendered = codegen::render::render(&failure.diagnostics, &failure.sources, false);
    assert!(rendered.contains(&format!("{}:{line}:", path.display())), "{rendered}");
}

#[test]
fn swagger_2_is_refused_clearly_and_openapi_3_1_is_normalised() {
    let path = scratch("yaml");
    std::fs::write(&path, "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").expect("writable");
    let failure = generate(&path, &Settings::new("spec.yaml")).expect_err("refused");
    assert!(failure.diagnostics[0].message.contains("Swagger 2.0"), "{:?}", failure.diagnostics);

    let document = [
        "openapi: 3.1.0",
        "info: {title: t, version: '1', license: {name: MIT, identifier: MIT}}",
        "webhooks: {}",
        "components:",
        "  schemas:",
        "    Thing:",
        "      type: object",
        "      required: [kind, size]",
        "      properties:",
        "        kind: {const: thing}",
        "        size: {type: [integer, 'null'], exclusiveMinimum: 0, examples: [3]}",
        "        huge: {type: integer, minimum: -9223372036854776000}",
    ]
    .join("\n");
    std::fs::write(&path, document).expect("writable");
    let generated = generate(&path, &Settings::new("spec.yaml")).expect("a 3.1 document generates");
    assert!(generated.warnings.iter().any(|w| w.message.contains("read as 3.0")), "{:?}", generated.warnings);
    assert!(generated.warnings.iter().any(|w| w.message.contains("webhooks")), "{:?}", generated.warnings);
    let types = generated.files.iter().find(|f| f.path.ends_with("types.rs")).expect("types");
    assert!(types.contents.contains("pub size: ::std::option::Option<i64>"), "type array with null → nullable");
    assert!(types.contents.contains("pub enum ThingKind"), "const → a one-value enum");
}

#[test]
fn empty_and_scalar_documents_are_located_at_the_start() {
    for text in ["", "openapi", "- a\n- b\n", "{"] {
        let path = scratch("yaml");
        std::fs::write(&path, text).expect("writable");
        let failure = generate(&path, &Settings::new("spec.yaml")).expect_err("refused");
        let location = failure.diagnostics[0].location.as_ref().map(|l| (l.line, l.column));
        assert!(location.is_some(), "{text:?}: {:?}", failure.diagnostics);
    }
}

/// Hostile documents are refused quickly with a located error, never expanded or followed
/// without bound: a YAML alias bomb (a billion strings once expanded), nesting far beyond the
/// parsers' limits, in JSON and in a YAML schema.
#[test]
fn hostile_documents_are_refused_with_located_errors() {
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let mut bomb = format!("{head}x-bomb:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (previous, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let refs = vec![format!("*{previous}"); 9].join(", ");
        bomb.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    let depth = 100_000;
    let deep_json = format!(
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"paths\":{{}},\"x-deep\":{}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let mut deep_yaml = format!("{head}components:\n  schemas:\n    A:\n");
    let mut indent = "      ".to_owned();
    for _ in 0..3000 {
        deep_yaml.push_str(&format!("{indent}type: object\n{indent}properties:\n{indent}  p:\n"));
        indent.push_str("    ");
    }
    deep_yaml.push_str(&format!("{indent}type: string\n"));
    for (text, extension, expected) in [
        (bomb, "yaml", "repetition limit"),
        (deep_json, "json", "recursion limit"),
        (deep_yaml, "yaml", "recursion limit"),
    ] {
        let path = scratch(extension);
        std::fs::write(&path, &text).expect("writable");
        let started = std::time::Instant::now();
        assert_eq!(run(&path), Err(1), "{expected}");
        let failure = generate(&path, &Settings::new("spec.yaml")).expect_err("refused");
        assert!(failure.diagnostics[0].message.contains(expected), "{}", failure.diagnostics[0]);
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{expected}: took {:?}", started.elapsed());
    }
}
