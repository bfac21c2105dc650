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
    settings.models.dir = format!("{fixture}/models");
    // The goldens are workspace members: they use the runtime crate itself, not a copy.
    settings.runtime = codegen::Runtime::Path("../../runtime".to_owned());
    if let Some(server) = &mut settings.server {
        server.crate_name = format!("{fixture}-server");
        server.dir = format!("{fixture}/server");
    }
    if let Some(client) = &mut settings.client {
        client.crate_name = format!("{fixture}-client");
        client.dir = format!("{fixture}/client");
    }
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
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for file in &generated.files {
        // expect-test writes files but does not create directories for new ones.
        if std::env::var_os("UPDATE_EXPECT").is_some()
            && let Some(dir) = snapshots.join(&file.path).parent()
        {
            std::fs::create_dir_all(dir).expect("snapshot directory is writable");
        }
        expect_test::expect_file![format!("snapshots/{}", file.path)].assert_eq(&file.contents);
    }
    // A file the generator no longer writes is stale: deleted when updating, an error otherwise.
    let expected: Vec<std::path::PathBuf> = generated.files.iter().map(|f| snapshots.join(&f.path)).collect();
    let mut pending = vec![snapshots.join(fixture)];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if !expected.contains(&path) {
                if std::env::var_os("UPDATE_EXPECT").is_some() {
                    std::fs::remove_file(&path).expect("stale snapshot is removable");
                } else {
                    panic!("{} is not generated any more; run with UPDATE_EXPECT=1", path.display());
                }
            }
        }
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        remove_empty_dirs(&snapshots.join(fixture));
    }
    // The server's `openapi()` reads its `openapi.json` back with utoipa, unchanged.
    for file in generated.files.iter().filter(|f| f.path.ends_with("/openapi.json")) {
        let read: utoipa::openapi::OpenApi = serde_json::from_str(&file.contents).expect("utoipa reads it");
        let written: serde_json::Value = serde_json::from_str(&file.contents).expect("is JSON");
        assert_eq!(serde_json::to_value(&read).expect("serialises"), written, "{}", file.path);
    }
    // Same input, same bytes.
    let again = codegen::generate(&spec, &settings).map(|g| g.files).unwrap_or_default();
    assert_eq!(again, generated.files, "{fixture}: generation is deterministic");
}

/// Standalone output vendors the runtime: its files are the runtime's own source, byte for byte.
#[test]
fn the_vendored_runtime_is_the_runtime_source() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shapes.yaml");
    let generated =
        codegen::generate(&spec, &Settings::new("shapes.yaml")).map_err(|f| f.diagnostics).expect("shapes generates");
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
    let vendored: Vec<_> = generated.files.iter().filter(|f| f.path.starts_with("runtime/")).collect();
    let mut on_disk = vec!["Cargo.toml".to_owned(), "README.md".to_owned()];
    for entry in std::fs::read_dir(runtime.join("src")).expect("runtime sources are readable").flatten() {
        on_disk.push(format!("src/{}", entry.file_name().to_string_lossy()));
    }
    on_disk.sort();
    let mut names: Vec<String> = vendored.iter().map(|f| f.path["runtime/".len()..].to_owned()).collect();
    names.sort();
    assert_eq!(names, on_disk, "every runtime file is vendored, and nothing else");
    for file in vendored {
        let original = std::fs::read_to_string(runtime.join(&file.path["runtime/".len()..])).expect("readable");
        assert!(original == file.contents, "{} differs from the runtime's source", file.path);
    }
    let manifest = std::fs::read_to_string(runtime.join("Cargo.toml")).expect("readable");
    assert!(manifest.contains(&format!("version = \"{}\"", codegen::emit::runtime::VERSION)));
}

#[test]
fn naming() {
    check("naming");
}

#[test]
fn shapes() {
    check("shapes");
}

#[test]
fn wire() {
    check("wire");
}

/// Removes directories left empty by deleted snapshots (a workspace glob would trip on them).
fn remove_empty_dirs(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            remove_empty_dirs(&entry.path());
            let _ = std::fs::remove_dir(entry.path());
        }
    }
}
