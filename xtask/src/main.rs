//! `cargo xtask`: this repository's automation. A thin shell over the `codegen` library: parse
//! flags, call the library, write or compare files, print results.
//!
//! Exit codes: 0 success, 1 the spec has errors (or lint problems), 2 usage or I/O error,
//! 3 generated files are stale, 4 unacknowledged breaking changes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

mod bench_cmd;
mod check_cmd;
mod codegen_cmd;
mod corpus_cmd;
mod diff_cmd;
mod mock_cmd;
mod names_cmd;
mod roundtrip_cmd;

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Repository automation for the OpenAPI toolkit")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the Rust crates under generated/ from the OpenAPI document.
    Codegen(codegen_cmd::Args),
    /// Classify the changes between two OpenAPI documents as breaking or not.
    Diff(diff_cmd::Args),
    /// The one gate: spec validity, drift, lint, breaking changes against the merge-base.
    Check,
    /// Generate and cargo-check the real-world OpenAPI documents; print a table.
    Corpus(corpus_cmd::Args),
    /// Benchmark the generator against cargo progenitor, side by side, as ratios.
    Bench(bench_cmd::Args),
    /// Build and serve a mock server answering from the spec's examples (`--spec FILE`,
    /// `--bind ADDR`, `--token T`); `Prefer: code=404` / `example=NAME` choose the answer.
    Mock(mock_cmd::Args),
    /// Property test of name hygiene: documents of random adversarial names (keywords, std,
    /// the runtime's and the generated code's own names) generate and build clean with clippy.
    Names(names_cmd::Args),
    /// The generated client against the generated server for every operation (`--spec FILE`,
    /// default spec/openapi.yaml; `--corpus [DIR]` for every real-world document, with a table).
    Roundtrip(roundtrip_cmd::Args),
    /// Check a running implementation against the spec (the conformance kit): `--url URL`, with
    /// `--api-token T`, `--bearer T` or `--email E --password P`; `--spec FILE` for another
    /// document. Every argument goes to the `conform` program (`-- --help` lists them).
    #[command(disable_help_flag = true)]
    Conform {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let code = match cli.command {
        Command::Codegen(args) => codegen_cmd::run(&args),
        Command::Diff(args) => diff_cmd::run(&args),
        Command::Check => check_cmd::run(),
        Command::Corpus(args) => corpus_cmd::run(&args),
        Command::Bench(args) => bench_cmd::run(&args),
        Command::Mock(args) => mock_cmd::run(&args),
        Command::Names(args) => names_cmd::run(&args),
        Command::Roundtrip(args) => roundtrip_cmd::run(&args),
        Command::Conform { args } => conform(&args),
    };
    if std::env::var_os("XTASK_TIMINGS").is_some() {
        eprintln!("xtask finished in {:.2?}", started.elapsed());
    }
    code
}

/// Builds and runs the conformance kit (a binary of the contract-tests crate, so that `xtask`
/// itself stays free of an HTTP client). A relative `--spec` is taken from where xtask was run.
fn conform(args: &[String]) -> ExitCode {
    let root = repo_root();
    let status = std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .args(["-p", "contract-tests", "--bin", "conform", "--"])
        .args(args)
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}

/// The repository root: the parent of this crate's directory. `cargo run` sets
/// `CARGO_MANIFEST_DIR` for the process too; preferring it over the compile-time value keeps a
/// binary built by another checkout sharing the target directory from working on that checkout.
fn repo_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf());
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The target directory cargo builds this repository into.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

/// The documents of a corpus folder (and its `openapi-3.1/` subfolder), smallest first:
/// `small` keeps those under 100 KB, `only` those whose path contains one of its words.
fn corpus_documents(dir: &Path, small: bool, only: &[String]) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .chain(std::fs::read_dir(dir.join("openapi-3.1")).into_iter().flatten())
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .filter(|p| !small || std::fs::metadata(p).is_ok_and(|m| m.len() < 100_000))
        .filter(|p| only.is_empty() || only.iter().any(|o| p.to_string_lossy().contains(o.as_str())))
        .collect();
    specs.sort_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0));
    specs
}

/// Writes generated files under `out`, which is scratch output made whole each time (nothing
/// else lives there, so it is removed first).
fn write_scratch(out: &Path, files: &[codegen::GeneratedFile]) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(out);
    for file in files {
        let path = out.join(&file.path);
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &file.contents))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// [`write_scratch`], as a workspace of its own: a manifest naming every generated crate, and
/// the repository's `Cargo.lock`, so the dependencies the crates share with the workspace
/// resolve to the versions CI pins, not to whatever is newest.
fn write_scratch_workspace(root: &Path, out: &Path, files: &[codegen::GeneratedFile]) -> Result<(), String> {
    write_scratch(out, files)?;
    let members: Vec<String> =
        files.iter().filter_map(|f| f.path.strip_suffix("/Cargo.toml").map(|dir| format!("\"{dir}\""))).collect();
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(out.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write the workspace manifest: {e}"))?;
    let _ = std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"));
    Ok(())
}

/// Every `.rs` file below `dir`, skipping `target` directories.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() && !path.ends_with("target") {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}
