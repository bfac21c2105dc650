//! `cargo xtask bench`: our generator against `cargo progenitor` (pinned, installed if missing)
//! on the same documents, side by side in one run: generation time, lines emitted, and the
//! `cargo check` time of the generated client crates with their dependencies already built.
//! Printed as ratios ours / theirs. A benchmark, not a test: nothing here fails the build.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const PROGENITOR_VERSION: &str = "0.15.1";

#[derive(clap::Args)]
pub struct Args {
    /// The folder of real-world documents (nexus and GitHub are taken from it).
    #[arg(long, value_name = "DIR", default_value = "../shared/specs/real-world")]
    dir: PathBuf,
}

fn timed(command: &mut Command) -> (bool, Duration) {
    let started = Instant::now();
    let ok = command.status().is_ok_and(|s| s.success());
    (ok, started.elapsed())
}

fn rust_lines(dir: &Path) -> usize {
    super::rust_files(dir).iter().filter_map(|p| std::fs::read_to_string(p).ok()).map(|t| t.lines().count()).sum()
}

/// `cargo check` of a workspace directory with warm dependencies: check once, then three times
/// touch the sources under `touched` and time a check; the median is reported (single runs on
/// a 2-core machine vary by ±20 %). Only the generated crates are touched: our vendored runtime,
/// like progenitor's `progenitor-client`, is a dependency built once.
fn check_time(dir: &Path, touched: &[PathBuf], target: &Path) -> Option<Duration> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let check =
        || Command::new(&cargo).args(["check", "--quiet"]).env("CARGO_TARGET_DIR", target).current_dir(dir).status();
    if !check().is_ok_and(|s| s.success()) {
        return None;
    }
    let mut times = Vec::new();
    for _ in 0..3 {
        for path in touched.iter().flat_map(|dir| super::rust_files(dir)) {
            if let Ok(text) = std::fs::read_to_string(&path) {
                let _ = std::fs::write(&path, text);
            }
        }
        let started = Instant::now();
        if !check().is_ok_and(|s| s.success()) {
            return None;
        }
        times.push(started.elapsed());
    }
    times.sort();
    times.get(1).copied()
}

/// The settings beside `spec` (if any) without their `[runtime]` section, so the bench output
/// vendors the runtime as a standalone user's would: this repository's settings point at the
/// runtime by a path relative to `generated/`, which does not hold from the scratch directory.
fn standalone_config(spec: &Path, scratch: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(spec.parent()?.join("codegen.toml")).ok()?;
    let mut in_runtime = false;
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') {
                in_runtime = trimmed.starts_with("[runtime]");
            }
            !in_runtime
        })
        .collect();
    let path = scratch.join("standalone-codegen.toml");
    std::fs::write(&path, kept.join("\n")).ok()?;
    Some(path)
}

fn progenitor() -> Option<PathBuf> {
    let installed = Command::new("cargo").args(["progenitor", "--help"]).output().is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!("installing cargo-progenitor {PROGENITOR_VERSION} (several minutes)…");
        let ok = Command::new("cargo")
            .args(["install", "cargo-progenitor", "--version", PROGENITOR_VERSION, "--locked"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return None;
        }
    }
    Some(PathBuf::from("cargo"))
}

fn ratio(ours: f64, theirs: Option<f64>) -> String {
    match theirs {
        Some(theirs) if theirs > 0.0 => format!("{:.2}", ours / theirs),
        _ => "–".into(),
    }
}

pub fn run(args: &Args) -> std::process::ExitCode {
    let root = super::repo_root();
    let dir = if args.dir.is_absolute() { args.dir.clone() } else { root.join(&args.dir) };
    let scratch = root.join("target/bench");
    let target = scratch.join("target");
    let _ = std::fs::create_dir_all(&scratch);
    eprintln!("building the generator (release)…");
    let built = Command::new("cargo")
        .args(["build", "--release", "--quiet", "-p", "codegen", "--features", "cli", "--bin", "openapi-codegen"])
        .current_dir(&root)
        .status()
        .is_ok_and(|s| s.success());
    let ours = super::target_dir(&root).join("release/openapi-codegen");
    if !built {
        eprintln!("error: the generator does not build");
        return std::process::ExitCode::FAILURE;
    }
    let Some(cargo) = progenitor() else {
        eprintln!("error: cargo-progenitor {PROGENITOR_VERSION} is not available");
        return std::process::ExitCode::FAILURE;
    };
    let specs: Vec<(&str, PathBuf)> = [
        ("admin (this repository)", root.join("spec/openapi.yaml")),
        ("oxide-nexus", dir.join("oxide-nexus.json")),
        ("github", dir.join("github-api.github.com.json")),
    ]
    .into_iter()
    .filter(|(_, p)| p.exists())
    .collect();

    println!(
        "| spec | generate ours | generate progenitor | ratio | lines ours (client+models) | lines progenitor | check ours | check progenitor | ratio |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, spec) in specs {
        let slug: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        let ours_out = scratch.join(format!("{slug}-ours"));
        let theirs_out = scratch.join(format!("{slug}-progenitor"));
        let _ = std::fs::remove_dir_all(&ours_out);
        let _ = std::fs::remove_dir_all(&theirs_out);
        let mut ours_command = Command::new(&ours);
        ours_command.args(["--spec"]).arg(&spec).arg("--out").arg(&ours_out).stderr(std::process::Stdio::null());
        if let Some(config) = standalone_config(&spec, &scratch) {
            ours_command.arg("--config").arg(config);
        }
        let (ours_ok, ours_time) = timed(&mut ours_command);
        let mut theirs_command = Command::new(&cargo);
        theirs_command
            .args(["progenitor", "-i"])
            .arg(&spec)
            .arg("-o")
            .arg(&theirs_out)
            .args(["-n", "bench-client", "-v", "0.1.0", "--license-name", "MIT"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let (theirs_ok, theirs_time) = timed(&mut theirs_command);
        // Like for like: our client crate (and the models it needs) against progenitor's client.
        let ours_check = if ours_ok {
            let _ = std::fs::write(
                ours_out.join("Cargo.toml"),
                "[workspace]\nresolver = \"3\"\nmembers = [\"models\", \"client\"]\n",
            );
            check_time(&ours_out, &[ours_out.join("models"), ours_out.join("client")], &target)
        } else {
            None
        };
        let theirs_check = if theirs_ok {
            let manifest = theirs_out.join("Cargo.toml");
            if let Ok(text) = std::fs::read_to_string(&manifest)
                && !text.contains("[workspace]")
            {
                let _ = std::fs::write(&manifest, format!("{text}\n[workspace]\n"));
            }
            check_time(&theirs_out, std::slice::from_ref(&theirs_out), &target)
        } else {
            None
        };
        let ours_lines = rust_lines(&ours_out.join("client")) + rust_lines(&ours_out.join("models"));
        let theirs_lines = if theirs_ok { rust_lines(&theirs_out) } else { 0 };
        let secs =
            |d: Option<Duration>| d.map(|d| format!("{:.2} s", d.as_secs_f64())).unwrap_or_else(|| "failed".into());
        println!(
            "| {name} | {} | {} | {} | {ours_lines} | {} | {} | {} | {} |",
            if ours_ok { format!("{:.0} ms", ours_time.as_secs_f64() * 1000.0) } else { "failed".into() },
            if theirs_ok { format!("{:.0} ms", theirs_time.as_secs_f64() * 1000.0) } else { "failed".into() },
            ratio(ours_time.as_secs_f64(), theirs_ok.then_some(theirs_time.as_secs_f64())),
            if theirs_ok { theirs_lines.to_string() } else { "–".into() },
            secs(ours_check),
            secs(theirs_check),
            ratio(ours_check.map(|d| d.as_secs_f64()).unwrap_or(0.0), theirs_check.map(|d| d.as_secs_f64())),
        );
    }
    // The drift check this repository runs on every test.
    let mut check = Command::new(&ours);
    check.args(["--check", "--spec"]).arg(root.join("spec/openapi.yaml")).arg("--out").arg(root.join("generated"));
    check.current_dir(&root).stderr(std::process::Stdio::null());
    let (fresh, took) = timed(&mut check);
    println!(
        "openapi-codegen --check on spec/openapi.yaml: {:.0} ms ({})",
        took.as_secs_f64() * 1000.0,
        if fresh { "fresh" } else { "stale" }
    );
    std::process::ExitCode::SUCCESS
}
