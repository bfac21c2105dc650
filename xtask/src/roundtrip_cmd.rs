//! `cargo xtask roundtrip`: the generated client against the generated server, for every
//! operation of a document. The crates and a harness (`codegen::emit::roundtrip`) are generated
//! into `target/roundtrip/<name>/` and run there: each operation is called with request values
//! made from its schemas, the server records what it received, and answers each documented
//! status with made-up values; both sides are compared as typed values. The harness prints one
//! line per failing operation and ends with `N/M operations round-trip`.
//!
//! `--corpus` runs it over every document of the real-world corpus and prints a table.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// The OpenAPI document, with the codegen.toml beside it (default: spec/openapi.yaml);
    /// repeat for several.
    #[arg(long, conflicts_with = "corpus")]
    spec: Vec<PathBuf>,
    /// Every document of the real-world corpus (DIR: the folder; 3.1 ones in its `openapi-3.1/`).
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = "../shared/specs/real-world")]
    corpus: Option<PathBuf>,
    /// With --corpus: only documents smaller than 100 KB (what CI runs).
    #[arg(long)]
    small: bool,
    /// With --corpus: only documents whose file name contains one of these.
    #[arg(long, value_name = "NAME")]
    only: Vec<String>,
}

/// How one document fared.
struct Outcome {
    /// `N/M operations round-trip (K calls)`, or why there is no such line.
    summary: String,
    /// The harness's `FAIL` lines.
    failures: Vec<String>,
    passed: bool,
}

pub fn run(args: &Args) -> ExitCode {
    let root = super::repo_root();
    let Some(dir) = &args.corpus else {
        let specs = if args.spec.is_empty() { vec![root.join("spec/openapi.yaml")] } else { args.spec.clone() };
        let mut passed = true;
        for spec in &specs {
            passed &= roundtrip(&root, spec, true).passed;
        }
        return if passed { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    };
    let dir = if dir.is_absolute() { dir.clone() } else { root.join(dir) };
    let specs = super::corpus_documents(&dir, args.small, &args.only);
    if specs.is_empty() {
        eprintln!("skipped: no documents under {} (the corpus lives outside this repository)", dir.display());
        return ExitCode::SUCCESS;
    }
    let mut rows = Vec::new();
    for spec in &specs {
        let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        eprintln!("==> {name}");
        let started = Instant::now();
        let outcome = roundtrip(&root, spec, false);
        rows.push((name, outcome, started.elapsed().as_secs_f64()));
    }
    let known = known(&root);
    let mut failed = false;
    println!("| document | round-trip | time | first failures |");
    println!("|---|---|---:|---|");
    for (name, outcome, seconds) in &rows {
        let first: Vec<String> = outcome.failures.iter().take(2).map(|f| f.replace('|', "\\|")).collect();
        println!("| {name} | {} | {seconds:.0} s | {} |", outcome.summary, first.join("<br>"));
        let listed: Vec<&str> = known.iter().filter(|(d, _)| d == name).map(|(_, op)| op.as_str()).collect();
        let failing: Vec<&str> = outcome
            .failures
            .iter()
            .filter_map(|f| f.strip_prefix("FAIL ")?.split_once(": ").map(|(op, _)| op))
            .collect();
        let unexpected: Vec<&&str> = failing.iter().filter(|op| !listed.contains(op)).collect();
        let mended: Vec<&&str> = listed.iter().filter(|op| !failing.contains(op)).collect();
        if !unexpected.is_empty() || (!outcome.passed && failing.is_empty()) {
            failed = true;
        }
        if !mended.is_empty() && outcome.summary.contains("operations round-trip") {
            eprintln!("note: {name}: now round-trips, remove from xtask/roundtrip-known.txt: {mended:?}");
        }
    }
    if failed {
        eprintln!("error: operations failed that xtask/roundtrip-known.txt does not list");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `xtask/roundtrip-known.txt`: (document, operationId) pairs known not to round-trip.
fn known(root: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(root.join("xtask/roundtrip-known.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_owned(), words.next()?.to_owned()))
        })
        .collect()
}

/// Generates, builds and runs the harness of one document; `echo` prints the harness's output as
/// it comes (else only its failures are kept, for the table).
fn roundtrip(root: &Path, spec: &Path, echo: bool) -> Outcome {
    let fail = |summary: String| Outcome { summary, failures: Vec::new(), passed: false };
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "spec".to_owned());
    let out = root.join("target/roundtrip").join(stem.replace('.', "-"));
    let label = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Crates named after the document: cargo keys a path package's build by its name and its
    // path inside the workspace, so two documents' `api-server`s would share one build.
    let prefix: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let named = |settings: codegen::Settings| {
        settings
            .with_models_crate(format!("rt-{prefix}-models"))
            .with_server_crate(format!("rt-{prefix}-server"))
            .with_client_crate(format!("rt-{prefix}-client"))
    };
    let mut settings = match codegen::cli::settings(spec, label, None).map(named) {
        Ok(settings) => settings,
        Err(failure) => {
            eprint!("{}", codegen::render::render(&failure.diagnostics, &failure.sources, false));
            return fail("refused (codegen.toml)".to_owned());
        }
    };
    // The repository's runtime, so its build is shared with everything else in the target.
    settings.runtime = codegen::Runtime::Path(root.join("codegen/runtime").to_string_lossy().into_owned());
    settings.roundtrip = true;
    eprintln!("generating {} and its round-trip harness into {}", spec.display(), out.display());
    let generated = match codegen::generate(spec, &settings) {
        Ok(generated) => generated,
        Err(failure) => {
            eprint!("{}", codegen::render::render(&failure.diagnostics, &failure.sources, false));
            return fail("refused".to_owned());
        }
    };
    let Some(harness) = generated.files.iter().find(|f| f.path == "roundtrip/Cargo.toml") else {
        println!("0/0 operations round-trip: the document has no operations");
        return Outcome { summary: "no operations".to_owned(), failures: Vec::new(), passed: true };
    };
    let package = harness
        .contents
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .map(|n| n.trim_matches('"').to_owned())
        .unwrap_or_default();
    if let Err(e) = super::write_scratch_workspace(root, &out, &generated.files) {
        eprintln!("error: {e}");
        return fail("I/O error".to_owned());
    }
    eprintln!("building and running {package}");
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["run", "--quiet", "-p", &package])
        // The repository's target directory: the generated crates' dependencies are built.
        .env("CARGO_TARGET_DIR", super::target_dir(root))
        // Scratch crates are built once: incremental data would only fill the disk (Stripe's
        // is tens of gigabytes).
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(&out)
        .stderr(if echo { std::process::Stdio::inherit() } else { std::process::Stdio::piped() })
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            return fail("cannot run cargo".to_owned());
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    if echo {
        print!("{stdout}");
    }
    let failures: Vec<String> = stdout.lines().filter(|l| l.starts_with("FAIL ")).map(str::to_owned).collect();
    let summary = stdout.lines().rev().find(|l| l.contains("operations round-trip")).map(str::to_owned);
    match summary {
        Some(summary) => Outcome { summary, failures, passed: output.status.success() },
        None => {
            if !echo {
                eprint!("{}", String::from_utf8_lossy(&output.stderr));
            }
            fail("the harness did not build or run".to_owned())
        }
    }
}
