//! Generator settings in a file (`codegen.toml` beside the spec): crate names and directories,
//! which artifacts to emit, package metadata, operation filters and type overrides. Unknown keys
//! and invalid values are errors with their location, like spec errors.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::Settings;
use crate::diagnostic::{Diagnostic, Location};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    models: Option<CrateSection>,
    server: Option<CrateSection>,
    client: Option<CrateSection>,
    package: Option<PackageSection>,
    filter: Option<FilterSection>,
    /// `format` → Rust type path, e.g. `uuid = "::uuid::Uuid"`.
    types: Option<BTreeMap<String, String>>,
    /// Crates the `[types]` overrides name, as in a Cargo manifest: `uuid = { version = "1",
    /// features = ["serde"] }`. Every generated crate depends on them.
    dependencies: Option<BTreeMap<String, toml::Value>>,
    runtime: Option<RuntimeSection>,
    diff: Option<DiffSection>,
}

/// The breaking-change policy of `cargo xtask diff` (docs/breaking-changes.md).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffSection {
    /// Minimum days between deprecating something and removing it.
    #[serde(rename = "deprecation-days")]
    deprecation_days: Option<u32>,
}

/// Crates a generated crate can name without declaring them.
const KNOWN_CRATES: &[&str] = &["std", "core", "alloc", "serde", "serde_json"];

/// The crate a type path starts with (`uuid` of `::uuid::Uuid`), if it is a path.
fn first_crate(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.first().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Where the generated crates find the runtime crate: at most one key.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuntimeSection {
    /// A directory under the output directory to vendor it into (the default, `runtime`).
    vendor: Option<String>,
    /// An existing copy, relative to the output directory.
    path: Option<String>,
    /// A version requirement on a registry.
    version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrateSection {
    #[serde(rename = "crate")]
    name: Option<String>,
    dir: Option<String>,
    enabled: Option<bool>,
    /// `[server]` only: the status for invalid requests where an operation documents both 400
    /// and 422, or neither (400 or 422).
    #[serde(rename = "invalid-request-status")]
    invalid_request_status: Option<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageSection {
    version: Option<String>,
    license: Option<String>,
    repository: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterSection {
    tags: Option<Vec<String>>,
    operations: Option<Vec<String>>,
}

fn at(path: &Path, text: &str, offset: usize, message: String) -> Diagnostic {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    let mut diagnostic = Diagnostic::error("#", message).in_file(path.to_path_buf());
    diagnostic.location = Some(Box::new(Location { file: path.to_path_buf(), line, column }));
    diagnostic
}

fn crate_name_ok(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads `path` and applies it on top of `settings`.
pub fn apply(path: &Path, mut settings: Settings) -> Result<Settings, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error("#", format!("cannot read {}: {e}", path.display())).in_file(path.to_path_buf())]
    })?;
    let file: File = toml::from_str(&text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        vec![at(path, &text, offset, format!("invalid generator settings: {}", e.message()))]
    })?;
    let mut problems = Vec::new();
    let locate = |needle: &str| text.find(needle).unwrap_or(0);
    for (section, value) in [("models", &file.models), ("server", &file.server), ("client", &file.client)] {
        if let Some(name) = value.as_ref().and_then(|v| v.name.as_deref()).filter(|n| !crate_name_ok(n)) {
            problems.push(at(
                path,
                &text,
                locate(name),
                format!("[{section}] crate = {name:?} is not a valid package name"),
            ));
        }
    }
    for (section, value) in [("models", &file.models), ("client", &file.client)] {
        if value.as_ref().is_some_and(|v| v.invalid_request_status.is_some()) {
            problems.push(at(
                path,
                &text,
                locate("invalid-request-status"),
                format!("[{section}] has no `invalid-request-status`: it is a setting of [server]"),
            ));
        }
    }
    if let Some(status) = file.server.as_ref().and_then(|s| s.invalid_request_status)
        && status != 400
        && status != 422
    {
        problems.push(at(
            path,
            &text,
            locate("invalid-request-status"),
            format!("[server] invalid-request-status = {status}: it is 400 or 422"),
        ));
    }
    if file.models.as_ref().and_then(|m| m.enabled) == Some(false) {
        problems.push(at(
            path,
            &text,
            locate("[models]"),
            "the models crate cannot be disabled: the others use it".into(),
        ));
    }
    let declared = file.dependencies.as_ref();
    for (format, ty) in file.types.iter().flatten() {
        match syn::parse_str::<syn::Type>(ty) {
            Err(_) => {
                problems.push(at(path, &text, locate(ty), format!("[types] {format} = {ty:?} is not a Rust type")))
            }
            Ok(parsed) => {
                let Some(krate) = first_crate(&parsed) else { continue };
                let known = KNOWN_CRATES.contains(&krate.as_str())
                    || declared.is_some_and(|d| d.contains_key(&krate) || d.contains_key(&krate.replace('_', "-")));
                if !known {
                    problems.push(
                        at(
                            path,
                            &text,
                            locate(ty),
                            format!("[types] {format} = {ty:?} names crate `{krate}`, which the generated crates do not depend on"),
                        )
                        .with_hint(format!("declare it under [dependencies], e.g. {krate} = {{ version = \"1\", features = [\"serde\"] }}")),
                    );
                }
            }
        }
    }
    if let Some(runtime) = &file.runtime {
        let given = [&runtime.vendor, &runtime.path, &runtime.version].iter().filter(|v| v.is_some()).count();
        if given > 1 {
            problems.push(at(
                path,
                &text,
                locate("[runtime]"),
                "[runtime] takes one of `vendor`, `path` or `version`, not several".into(),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Some(models) = file.models {
        settings.models.crate_name = models.name.unwrap_or(settings.models.crate_name);
        settings.models.dir = models.dir.unwrap_or(settings.models.dir);
    }
    if let Some(section) = file.server {
        if section.enabled == Some(false) {
            settings.server = None;
        } else if let Some(server) = &mut settings.server {
            server.crate_name = section.name.unwrap_or(server.crate_name.clone());
            server.dir = section.dir.unwrap_or(server.dir.clone());
            server.invalid_status = section.invalid_request_status.unwrap_or(server.invalid_status);
        }
    }
    if let Some(section) = file.client {
        if section.enabled == Some(false) {
            settings.client = None;
        } else if let Some(client) = &mut settings.client {
            client.crate_name = section.name.unwrap_or(client.crate_name.clone());
            client.dir = section.dir.unwrap_or(client.dir.clone());
        }
    }
    if let Some(package) = file.package {
        settings.version = package.version.or(settings.version);
        if let Some(license) = package.license {
            settings.set_license(&license);
        }
        if let Some(repository) = package.repository {
            settings.set_repository(&repository);
        }
    }
    if let Some(filter) = file.filter {
        settings.tags = filter.tags.unwrap_or_default();
        settings.operations = filter.operations.unwrap_or_default();
    }
    settings.type_overrides = file.types.unwrap_or_default();
    if let Some(days) = file.diff.and_then(|d| d.deprecation_days) {
        settings.deprecation_days = days;
    }
    settings.models.dependencies =
        file.dependencies.unwrap_or_default().into_iter().map(|(name, spec)| format!("{name} = {spec}")).collect();
    if let Some(runtime) = file.runtime {
        settings.runtime = match (runtime.vendor, runtime.path, runtime.version) {
            (_, Some(path), _) => crate::Runtime::Path(path),
            (_, _, Some(version)) => crate::Runtime::Version(version),
            (Some(dir), _, _) => crate::Runtime::Vendored { dir },
            (None, None, None) => crate::Runtime::default(),
        };
    }
    Ok(settings)
}
