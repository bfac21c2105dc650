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
    // Notes are said but not counted: `--deny-warnings` concerns what is approximated or dropped.
    let warnings = generated.warnings.iter().filter(|d| d.severity == crate::diagnostic::Severity::Warning).count();
    if !generated.warnings.is_empty() {
        let sources = read_sources(&generated.warnings);
        eprint!("{}", crate::render::render(&generated.warnings, &sources, std::io::stderr().is_terminal()));
        if args.deny_warnings && warnings > 0 {
            eprintln!("error: {warnings} warning(s) and --deny-warnings; nothing was written");
            return ExitCode::FAILURE;
        }
    }
    let files = with_manifest(generated.files);
    let outcome = if args.check { check(&out, &files) } else { write(&out, &files) };
    match outcome {
        Ok(Outcome::Fresh) => {
            eprintln!(
                "{} generated files are up to date ({warnings} warnings, generated in {elapsed:.2?})",
                files.len(),
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::Written(changed)) => {
            eprintln!(
                "generated {} files into {}, {changed} changed ({warnings} warnings, generated in {elapsed:.2?})",
                files.len(),
                out.display(),
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

/// The list of the files the generator wrote into an output directory, itself written there: a
/// later run deletes only files on it and overwrites only files on it (or carrying the
/// generated header), so a hand-written file in the output directory is never touched.
pub const MANIFEST: &str = ".openapi-codegen-files";

const MARKER: &str = "@generated by `cargo xtask codegen`";

/// What goes into the output directory: the generated files and their list.
pub fn with_manifest(mut files: Vec<GeneratedFile>) -> Vec<GeneratedFile> {
    let manifest = manifest(&files);
    files.push(manifest);
    files
}

fn manifest(files: &[GeneratedFile]) -> GeneratedFile {
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    let mut contents = format!("# {MARKER}: the files it wrote here. Do not edit by hand.\n");
    for path in paths {
        contents.push_str(path);
        contents.push('\n');
    }
    GeneratedFile { path: MANIFEST.to_owned(), contents }
}

/// The files the previous run listed (only plain relative paths: a hand-edited line with `..`
/// or an absolute path is ignored rather than followed outside the directory).
fn listed(out: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap_or_default();
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter(|line| !line.starts_with('/') && !line.split('/').any(|part| part == ".." || part.is_empty()))
        .map(str::to_owned)
        .collect()
}

/// Whether the file at `relative` is the generator's own: on the previous list, or (output
/// written before the list existed) starting with the generated header.
fn is_ours(out: &Path, relative: &str, listed: &BTreeSet<String>) -> bool {
    relative == MANIFEST
        || listed.contains(relative)
        || std::fs::read_to_string(out.join(relative))
            .is_ok_and(|text| text.lines().next().is_some_and(|l| l.contains(MARKER)))
}

/// Files the generator wrote before and does not write now: under the directories it writes
/// (when they carry its header) and on the previous list (wherever they are).
fn leftovers(out: &Path, files: &[GeneratedFile], listed: &BTreeSet<String>) -> Result<Vec<(String, bool)>, String> {
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut found = owned_files(out, files)?;
    found.extend(listed.iter().filter(|path| out.join(path).is_file()).cloned());
    Ok(found
        .into_iter()
        .filter(|path| !expected.contains(path.as_str()))
        .map(|path| {
            let ours = is_ours(out, &path, listed);
            (path, ours)
        })
        .collect())
}

/// Files on disk under the directories the generator writes (the first component of each
/// generated path), relative to `out`.
fn owned_files(out: &Path, files: &[GeneratedFile]) -> Result<BTreeSet<String>, String> {
    let dirs: BTreeSet<&str> = files.iter().filter_map(|f| f.path.split_once('/').map(|(dir, _)| dir)).collect();
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
    let listed = listed(out);
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
            if !is_ours(out, &file.path, &listed) {
                eprintln!("conflict: {} was not written by the generator and would not be overwritten", path.display());
                continue;
            }
            eprintln!("stale: {}", path.display());
            let diff = similar::TextDiff::from_lines(&on_disk, &file.contents);
            eprint!(
                "{}",
                diff.unified_diff().context_radius(3).header(&format!("a/{}", file.path), &format!("b/{}", file.path))
            );
        }
    }
    for (extra, ours) in leftovers(out, files, &listed)? {
        if ours {
            eprintln!("unexpected: {} (generated before, not any more; would be deleted)", out.join(&extra).display());
            stale = true;
        } else {
            eprintln!("note: {} is not generated and is left alone", out.join(&extra).display());
        }
    }
    Ok(if stale { Outcome::Stale } else { Outcome::Fresh })
}

fn write(out: &Path, files: &[GeneratedFile]) -> Result<Outcome, String> {
    let listed = listed(out);
    // Nothing is written when any file in the way is someone else's.
    let conflicts: Vec<String> = files
        .iter()
        .filter(|file| {
            let path = out.join(&file.path);
            path.exists()
                && !std::fs::read_to_string(&path).is_ok_and(|text| text == file.contents)
                && !is_ours(out, &file.path, &listed)
        })
        .map(|file| out.join(&file.path).display().to_string())
        .collect();
    if !conflicts.is_empty() {
        return Err(format!(
            "refusing to overwrite files the generator did not write: {}; move them away or choose another --out \
             (nothing was written)",
            conflicts.join(", ")
        ));
    }
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
    for (extra, ours) in leftovers(out, files, &listed)? {
        let path = out.join(&extra);
        if ours {
            std::fs::remove_file(&path).map_err(|e| format!("cannot delete {}: {e}", path.display()))?;
            eprintln!("deleted: {} (generated before, not any more)", path.display());
            changed += 1;
        } else {
            eprintln!("kept: {} (not written by the generator)", path.display());
        }
    }
    Ok(if changed == 0 { Outcome::Fresh } else { Outcome::Written(changed) })
}
