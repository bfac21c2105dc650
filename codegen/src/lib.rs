//! OpenAPI 3.0 → Rust code generator.
//!
//! The pipeline, one module per phase, each finishing before the next starts:
//! [`load`] (read and bundle files, keep source positions) → [`validate`] (references, document
//! shape, operations) → [`lower`] (to the typed [`ir`]) → [`emit`] (token streams, formatted).
//! Every problem is a [`Diagnostic`] with a JSON pointer and, where the source allows, a
//! `file:line:col`; nothing in the pipeline panics on input.
//!
//! This crate reads its input and returns files in memory; writing them is the caller's job.

#[cfg(feature = "cli")]
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod render;
pub(crate) mod resolve;
mod shape;
pub mod synth;
pub mod validate;

use std::path::Path;

pub use diagnostic::{Diagnostic, Location, Severity};
pub use emit::GeneratedFile;
pub use emit::client::ClientSettings;
pub use emit::models::ModelsSettings;
pub use emit::runtime::Runtime;
pub use emit::server::ServerSettings;

/// What to generate and how to name it.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How generated files name their source in the header, e.g. `spec/openapi.yaml`. Kept
    /// relative so generated files do not depend on where the repository is checked out.
    pub spec_label: String,
    pub models: ModelsSettings,
    /// `None`: no server crate.
    pub server: Option<ServerSettings>,
    /// `None`: no client crate.
    pub client: Option<ClientSettings>,
    /// The crates' version; `info.version` (as semver) when `None`.
    pub version: Option<String>,
    /// Only operations with one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Only these operations, by operationId (all when empty).
    pub operations: Vec<String>,
    /// `format` → Rust type path, replacing the generated type of strings with that format.
    pub type_overrides: std::collections::BTreeMap<String, String>,
    /// Where the generated crates find the runtime crate (vendored next to them by default).
    pub runtime: emit::runtime::Runtime,
    /// `[diff] deprecation-days`: the breaking-change policy's minimum deprecation period.
    pub deprecation_days: u32,
    /// Also write the round-trip harness (`roundtrip/`, for `cargo xtask roundtrip`), when both
    /// a server and a client are generated. Scratch output: never committed.
    pub roundtrip: bool,
}

impl Settings {
    /// Defaults for a spec: crates named `api-*` in directories named after the artifact.
    pub fn new(spec_label: impl Into<String>) -> Self {
        Settings {
            spec_label: spec_label.into(),
            models: ModelsSettings {
                crate_name: "api-models".to_owned(),
                dir: "models".to_owned(),
                license: "MIT OR Apache-2.0".to_owned(),
                repository: None,
                dependencies: Vec::new(),
            },
            server: Some(ServerSettings {
                crate_name: "api-server".to_owned(),
                dir: "server".to_owned(),
                license: "MIT OR Apache-2.0".to_owned(),
                repository: None,
                invalid_status: 400,
            }),
            client: Some(ClientSettings {
                crate_name: "api-client".to_owned(),
                dir: "client".to_owned(),
                license: "MIT OR Apache-2.0".to_owned(),
                repository: None,
            }),
            version: None,
            tags: Vec::new(),
            operations: Vec::new(),
            type_overrides: Default::default(),
            runtime: emit::runtime::Runtime::default(),
            deprecation_days: 0,
            roundtrip: false,
        }
    }

    /// The license of every generated crate.
    pub fn set_license(&mut self, license: &str) {
        self.models.license = license.to_owned();
        if let Some(server) = &mut self.server {
            server.license = license.to_owned();
        }
        if let Some(client) = &mut self.client {
            client.license = license.to_owned();
        }
    }

    /// The repository URL of every generated crate.
    pub fn set_repository(&mut self, repository: &str) {
        self.models.repository = Some(repository.to_owned());
        if let Some(server) = &mut self.server {
            server.repository = Some(repository.to_owned());
        }
        if let Some(client) = &mut self.client {
            client.repository = Some(repository.to_owned());
        }
    }

    pub fn with_client_crate(mut self, name: impl Into<String>) -> Self {
        if let Some(client) = &mut self.client {
            client.crate_name = name.into();
        }
        self
    }

    pub fn with_server_crate(mut self, name: impl Into<String>) -> Self {
        if let Some(server) = &mut self.server {
            server.crate_name = name.into();
        }
        self
    }

    /// Generates only the models crate.
    pub fn without_server(mut self) -> Self {
        self.server = None;
        self
    }

    pub fn with_models_crate(mut self, name: impl Into<String>) -> Self {
        self.models.crate_name = name.into();
        self
    }
}

/// The result of a successful run: files, plus warnings about approximations.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub warnings: Vec<Diagnostic>,
}

/// The result of a failed run: the located diagnostics and the sources to render them with.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Vec<(std::path::PathBuf, String)>,
}

/// Runs the whole pipeline on the document at `spec`.
pub fn generate(spec: &Path, settings: &Settings) -> Result<Generated, Failure> {
    let document = load::load(spec).map_err(|diagnostics| {
        let files: Vec<_> = diagnostics.iter().filter_map(|d| d.location.as_ref().map(|l| l.file.clone())).collect();
        Failure { sources: read_sources(&files), diagnostics }
    })?;
    let sources = || document.sources.iter().map(|s| (s.path.clone(), s.text.clone())).collect();
    let api = validate::validate(&document.json)
        .map_err(|d| Failure { diagnostics: document.locate(d.into_vec()), sources: sources() })?;
    let options = lower::Options {
        tags: settings.tags.clone(),
        operations: settings.operations.clone(),
        type_overrides: settings.type_overrides.clone(),
        crate_version: settings.version.clone(),
    };
    let (ir, lowering) = lower::lower(&api, &options);
    let mut diagnostics = document.warnings.clone();
    diagnostics.extend(lowering.into_vec());
    if let Some(server) = &settings.server {
        diagnostics.extend(emit::server::refusal_warnings(&ir, server.invalid_status));
        diagnostics.extend(emit::mock::notes(&ir));
    }
    let emitted =
        emit::models::emit(&ir, &settings.models, &settings.runtime, &settings.spec_label).and_then(|mut files| {
            files.extend(emit::runtime::files(&settings.runtime));
            // Without operations there is nothing to serve or call: only the models are written.
            if ir.operations.is_empty() {
                return Ok(files);
            }
            if let Some(server) = &settings.server {
                files.extend(emit::server::emit(
                    &ir,
                    server,
                    &settings.models,
                    &settings.runtime,
                    &settings.spec_label,
                )?);
            }
            if let Some(client) = &settings.client {
                files.extend(emit::client::emit(
                    &ir,
                    client,
                    &settings.models,
                    &settings.runtime,
                    &settings.spec_label,
                )?);
            }
            if settings.roundtrip {
                files.extend(emit::roundtrip::emit(&ir, settings)?);
            }
            Ok(files)
        });
    match emitted {
        Ok(files) if !diagnostics.iter().any(Diagnostic::is_error) => {
            Ok(Generated { files, warnings: document.locate(diagnostics) })
        }
        Ok(_) => Err(Failure { diagnostics: document.locate(diagnostics), sources: sources() }),
        Err(error) => {
            diagnostics.push(error);
            Err(Failure { diagnostics: document.locate(diagnostics), sources: sources() })
        }
    }
}

fn read_sources(paths: &[std::path::PathBuf]) -> Vec<(std::path::PathBuf, String)> {
    let mut paths = paths.to_vec();
    paths.sort();
    paths.dedup();
    paths.into_iter().filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t))).collect()
}
