//! Generator settings from a file: applied, validated, located on error.

use std::path::{Path, PathBuf};

use codegen::{Settings, config, generate};

fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("writable");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writable");
    path
}

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shapes.yaml")
}

fn contents<'a>(files: &'a [codegen::GeneratedFile], path: &str) -> &'a str {
    files.iter().find(|f| f.path == path).map(|f| f.contents.as_str()).unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn settings_are_applied() {
    let settings = config::apply(
        &file(
            "applied.toml",
            r#"
[models]
crate = "pets-models"
[server]
enabled = false
[client]
crate = "pets-client"
dir = "sdk"
[package]
version = "3.1.4"
license = "MIT"
repository = "https://example.com/pets"
[filter]
operations = ["createPet"]
[types]
date = "::std::string::String"
"#,
        ),
        Settings::new("shapes.yaml"),
    )
    .expect("valid settings");
    let files = generate(&spec(), &settings).expect("generates").files;
    assert!(files.iter().all(|f| !f.path.starts_with("server/")), "no server crate");
    let manifest = contents(&files, "models/Cargo.toml");
    assert!(manifest.contains("name = \"pets-models\"") && manifest.contains("version = \"3.1.4\""), "{manifest}");
    assert!(manifest.contains("license = \"MIT\"") && manifest.contains("repository = \"https://example.com/pets\""));
    let client = contents(&files, "sdk/Cargo.toml");
    assert!(
        client.contains("name = \"pets-client\"") && client.contains("pets-models = { path = \"../models\""),
        "{client}"
    );
    let operations = contents(&files, "models/src/operations.rs");
    assert!(operations.contains("CreatePetResponse") && !operations.contains("UpdatePetResponse"), "filtered");
    let types = contents(&files, "models/src/types.rs");
    assert!(!types.contains("NaiveDate"), "date overridden");
}

fn refused(text: &str) -> codegen::Diagnostic {
    let path = file("refused.toml", text);
    let errors = config::apply(&path, Settings::new("x")).expect_err("refused");
    errors.into_iter().next().expect("an error")
}

#[test]
fn mistakes_are_located() {
    let error = refused("[models]\ncrate = \"a\"\n[sever]\ncrate = \"b\"\n");
    assert!(error.message.contains("sever"), "{}", error.message);
    assert_eq!(error.location.as_ref().map(|l| l.line), Some(3));
    let error = refused("[types]\nuuid = \"not a type!\"\n");
    assert!(error.message.contains("is not a Rust type"), "{}", error.message);
    assert_eq!(error.location.as_ref().map(|l| l.line), Some(2));
    let error = refused("[types]\ndate = \"time::Date\"\n");
    assert!(error.message.contains("names crate `time`"), "{}", error.message);
    assert!(error.hint.as_deref().unwrap_or("").contains("[dependencies]"), "{error:?}");
    assert_eq!(error.location.as_ref().map(|l| l.line), Some(2));
    let error = refused("[models]\nenabled = false\n");
    assert!(error.message.contains("cannot be disabled"));
    let error = refused("[client]\ncrate = \"bad name\"\n");
    assert!(error.message.contains("not a valid package name"));
    let error = refused("[package]\nversion = 3\n");
    assert!(error.message.contains("invalid generator settings"), "{}", error.message);
    let error = refused("[diff]\ndeprecation-days = -1\n");
    assert!(error.message.contains("invalid generator settings"), "{}", error.message);
    assert_eq!(error.location.as_ref().map(|l| l.line), Some(2));
    let error = refused("[diff]\ndeprecation_days = 30\n");
    assert!(error.message.contains("deprecation_days"), "{}", error.message);
}

#[test]
fn the_deprecation_policy_is_a_setting() {
    let settings = config::apply(&file("policy.toml", "[diff]\ndeprecation-days = 90\n"), Settings::new("x"));
    assert_eq!(settings.expect("applied").deprecation_days, 90);
    assert_eq!(Settings::new("x").deprecation_days, 0, "no period by default");
}

/// A `[types]` override's crate reaches every generated manifest (without it the crates did not
/// compile: the server and client name the type too).
#[test]
fn the_crates_type_overrides_name_are_dependencies_of_every_crate() {
    let settings = config::apply(
        &file(
            "deps.toml",
            "[types]\ndate-time = \"time::OffsetDateTime\"\n[dependencies]\ntime = { version = \"0.3\", features = [\"serde\"] }\n",
        ),
        Settings::new("shapes.yaml"),
    )
    .expect("valid settings");
    let files = generate(&spec(), &settings).expect("generates").files;
    for manifest in ["models/Cargo.toml", "server/Cargo.toml", "client/Cargo.toml"] {
        let text = contents(&files, manifest);
        let dependencies = text.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
        assert!(dependencies.contains("time = { features = [\"serde\"], version = \"0.3\" }"), "{manifest}:\n{text}");
    }
}
