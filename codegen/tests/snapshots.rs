//! Golden files: the generated crate for each fixture spec under `tests/fixtures/` is committed
//! under `tests/snapshots/<fixture>/`, so every change to the emitters shows up as a reviewable
//! diff. Run with `UPDATE_EXPECT=1` to accept changes. `compile_fixtures.rs` compiles the
//! snapshots and exercises them.

use std::path::Path;

use codegen::Settings;

fn check(fixture: &str) {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{fixture}.yaml"));
    let mut settings =
        Settings::new(format!("tests/fixtures/{fixture}.yaml")).with_models_crate(format!("{fixture}-models"));
    settings.models.dir = fixture.to_owned();
    let generated = match codegen::generate(&spec, &settings) {
        Ok(generated) => generated,
        Err(failure) => panic!(
            "{fixture} does not generate:\n{}",
            codegen::render::render(&failure.diagnostics, &failure.sources, false)
        ),
    };
    for warning in &generated.warnings {
        println!("{warning}");
    }
    for file in &generated.files {
        expect_test::expect_file![format!("snapshots/{}", file.path)].assert_eq(&file.contents);
    }
    // Same input, same bytes.
    let again = codegen::generate(&spec, &settings).map(|g| g.files).unwrap_or_default();
    assert_eq!(again, generated.files, "{fixture}: generation is deterministic");
}

#[test]
fn naming() {
    check("naming");
}

#[test]
fn shapes() {
    check("shapes");
}
