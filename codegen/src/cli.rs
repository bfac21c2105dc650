//! The command-line front end of the generator (feature `cli`): generate into a directory, or
//! check that a directory holds exactly what the spec generates. `cargo xtask codegen` and the
//! standalone `openapi-codegen` command both run this; it is the only code that writes files.
//!
//! Exit codes: 0 success, 1 the spec (or the settings) has errors, 2 usage or I/O error,
//! 3 generated files are stale (`--check`).

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::{Failure, GeneratedFile, Settings};

/// Exit code when committed files differ from what the spec generates.
const STALE: u8 = 3;

#[derive(clap::Args)]
pub struct Args {
    /// Compare the generated files with the ones on disk instead of writing them; print a diff
    /// and exit with status 3 when they differ.
    #[arg(long)]
    check: bool,
    /// The OpenAPI document to read (YAML or JSON).
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// The directory to write the generated crates into.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Generator settings; default: `codegen.toml` beside the spec, when it exists.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The package name of the generated models crate (overrides the settings file).
    #[arg(long, value_name = "NAME")]
    models_crate: Option<String>,
    /// The package name of the generated server crate.
    #[arg(long, value_name = "NAME")]
    server_crate: Option<String>,
    /// The package name of the generated client crate.
    #[arg(long, value_name = "NAME")]
    client_crate: Option<String>,
    /// Generate only the operations with one of these tags (repeatable; overrides the settings file).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Generate only these operations, by operationId (repeatable; overrides the settings file).
    #[arg(long = "operation", value_name = "ID")]
    operations: Vec<String>,
    /// Treat warnings (constructs approximated as untyped JSON, unchecked patterns, …) as errors.
    #[arg(long)]
    deny_warnings: bool,
}

/// Where a front end looks when `--spec` and `--out` are not given, and what generated headers
/// name the spec relative to.
pub struct Defaults {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub root: PathBuf,
}

pub fn run(args: &Args, defaults: &Defaults) -> ExitCode {
    let root = &defaults.root;
    let spec = args.spec.clone().unwrap_or_else(|| defaults.spec.clone());
    let out = args.out.clone().unwrap_or_else(|| defaults.out.clone());
    // The label in generated headers stays relative, so output does not depend on the checkout.
    let label = spec.strip_prefix(root).unwrap_or(&spec).display().to_string();
    let settings = match settings(&spec, label, args.config.as_deref()) {
        Ok(settings) => with_crate_names(settings, args),
        Err(failure) => return report_failure(&failure),
    };

    let started = Instant::now();
    let generated = match crate::generate(&spec, &settings) {
        Ok(generated) => generated,
        Err(failure) => return report_failure(&failure),
    };
    let elapsed = started.elapsed();
    if !generated.warnings.is_empty() {
        let sources = read_sources(&generated.warnings);
        eprint!("{}", crate::render::render(&generated.warnings, &sources, std::io::stderr().is_terminal()));
        if args.deny_warnings {
            eprintln!("error: {} warning(s) and --deny-warnings; nothing was written", generated.warnings.len());
            return ExitCode::FAILURE;
        }
    }
    let outcome = if args.check { check(&out, &generated.files) } else { write(&out, &generated.files) };
    match outcome {
        Ok(Outcome::Fresh) => {
            eprintln!(
                "{} generated files are up to date ({} warnings, generated in {elapsed:.2?})",
                generated.files.len(),
                generated.warnings.len()
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::Written(changed)) => {
            eprintln!(
                "generated {} files into {}, {changed} changed ({} warnings, generated in {elapsed:.2?})",
                generated.files.len(),
                out.display(),
                generated.warnings.len()
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::Stale) => {
            eprintln!("error: generated files are stale; run `cargo xtask codegen` and commit the result");
            ExitCode::from(STALE)
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The generator settings for a spec: defaults, then `config` (or `codegen.toml` beside the
/// spec, when it exists).
pub fn settings(spec: &Path, label: String, config: Option<&Path>) -> Result<Settings, Failure> {
    let default = spec.parent().map(|dir| dir.join("codegen.toml")).filter(|file| file.exists());
    let Some(file) = config.map(Path::to_path_buf).or(default) else { return Ok(Settings::new(label)) };
    crate::config::apply(&file, Settings::new(label)).map_err(|diagnostics| Failure {
        sources: std::fs::read_to_string(&file).map(|t| vec![(file.clone(), t)]).unwrap_or_default(),
        diagnostics,
    })
}

pub fn with_crate_names(mut settings: Settings, args: &Args) -> Settings {
    if let Some(name) = &args.models_crate {
        settings = settings.with_models_crate(name);
    }
    if let Some(name) = &args.server_crate {
        settings = settings.with_server_crate(name);
    }
    if let Some(name) = &args.client_crate {
        settings = settings.with_client_crate(name);
    }
    if !args.tags.is_empty() {
        settings.tags = args.tags.clone();
    }
    if !args.operations.is_empty() {
        settings.operations = args.operations.clone();
    }
    settings
}

pub fn report_failure(failure: &Failure) -> ExitCode {
    let color = std::io::stderr().is_terminal();
    eprint!("{}", crate::render::render(&failure.diagnostics, &failure.sources, color));
    let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!("error: the spec has {errors} error(s); nothing was generated");
    ExitCode::FAILURE
}

fn read_sources(diagnostics: &[crate::Diagnostic]) -> Vec<(PathBuf, String)> {
    let files: BTreeSet<PathBuf> =
        diagnostics.iter().filter_map(|d| d.location.as_ref().map(|l| l.file.clone())).collect();
    files.into_iter().filter_map(|f| std::fs::read_to_string(&f).ok().map(|t| (f, t))).collect()
}

pub enum Outcome {
    Fresh,
    Written(usize),
    Stale,
}

/// Files on disk under the directories the generator owns (the first component of each
/// generated path), relative to `out`.
fn owned_files(out: &Path, files: &[GeneratedFile]) -> Result<BTreeSet<String>, String> {
    let dirs: BTreeSet<&str> = files.iter().filter_map(|f| f.path.split('/').next()).collect();
    let mut found = BTreeSet::new();
    for dir in dirs {
        let mut pending = vec![out.join(dir)];
        while let Some(current) = pending.pop() {
            let entries = match std::fs::read_dir(&current) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(format!("cannot list {}: {e}", current.display())),
            };
            for entry in entries {
                let path = entry.map_err(|e| format!("cannot list {}: {e}", current.display()))?.path();
                if path.is_dir() {
                    pending.push(path);
                } else if let Ok(relative) = path.strip_prefix(out) {
                    found.insert(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    Ok(found)
}

pub fn check(out: &Path, files: &[GeneratedFile]) -> Result<Outcome, String> {
    let mut stale = false;
    for file in files {
        let path = out.join(&file.path);
        let on_disk = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("missing: {} (would be created)", path.display());
                stale = true;
                continue;
            }
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        if on_disk != file.contents {
            stale = true;
            eprintln!("stale: {}", path.display());
            let diff = similar::TextDiff::from_lines(&on_disk, &file.contents);
            eprint!(
                "{}",
                diff.unified_diff().context_radius(3).header(&format!("a/{}", file.path), &format!("b/{}", file.path))
            );
        }
    }
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for extra in owned_files(out, files)? {
        if !expected.contains(extra.as_str()) {
            eprintln!("unexpected: {} (not generated from the spec; would be deleted)", out.join(&extra).display());
            stale = true;
        }
    }
    Ok(if stale { Outcome::Stale } else { Outcome::Fresh })
}

fn write(out: &Path, files: &[GeneratedFile]) -> Result<Outcome, String> {
    let mut changed = 0;
    for file in files {
        let path = out.join(&file.path);
        // Unchanged files are left alone so their timestamps do not trigger rebuilds.
        if std::fs::read_to_string(&path).is_ok_and(|text| text == file.contents) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &file.contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("updated: {}", path.display());
        changed += 1;
    }
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for extra in owned_files(out, files)? {
        if !expected.contains(extra.as_str()) {
            let path = out.join(&extra);
            std::fs::remove_file(&path).map_err(|e| format!("cannot delete {}: {e}", path.display()))?;
            eprintln!("deleted: {}", path.display());
            changed += 1;
        }
    }
    Ok(if changed == 0 { Outcome::Fresh } else { Outcome::Written(changed) })
}
