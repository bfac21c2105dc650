//! `cargo xtask corpus`: the generator over real OpenAPI documents nobody here wrote. For each
//! document: generate models, server and client into a scratch workspace, `cargo check` it, and
//! print a table (operations, schemas, generation time, lines, check result, time and peak
//! memory of the check's process tree; the generator's own peak memory below it). Refusals print their located diagnostics. A document that regresses from its expected
//! status in `xtask/corpus-expected.txt` fails the run; a panic always does.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use serde_json::Value;

#[derive(clap::Args)]
pub struct Args {
    /// The folder of documents (3.1 ones in its `openapi-3.1/` subfolder are included).
    #[arg(long, value_name = "DIR", default_value = "../shared/specs/real-world")]
    dir: PathBuf,
    /// Only documents smaller than 100 KB (what CI runs).
    #[arg(long)]
    small: bool,
    /// Only documents whose file name contains one of these.
    #[arg(long, value_name = "NAME")]
    only: Vec<String>,
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

struct Row {
    name: String,
    operations: usize,
    schemas: usize,
    generate_ms: u128,
    lines: usize,
    status: &'static str,
    check_s: Option<f64>,
    check_mib: Option<u64>,
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> Option<u64> {
    status_kib("self", "VmHWM:").map(|kib| kib / 1024)
}

/// One `kB` field of `/proc/PID/status`.
fn status_kib(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok()
}

/// Resident memory of `root` and all its descendants right now, in KiB (Linux procfs; 0
/// elsewhere). Summed, because cargo runs several rustc processes at once and their sum is what
/// the machine must hold.
fn tree_rss_kib(root: u32) -> u64 {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        // `pid (comm) state ppid ...`; comm may hold spaces and parentheses, so split after the last `)`.
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parents.push((pid, ppid));
        }
    }
    let mut tree = vec![root];
    let mut grew = true;
    while grew {
        grew = false;
        for (pid, ppid) in &parents {
            if tree.contains(ppid) && !tree.contains(pid) {
                tree.push(*pid);
                grew = true;
            }
        }
    }
    tree.iter().filter_map(|pid| status_kib(&pid.to_string(), "VmRSS:")).sum()
}

/// Run `command` to completion, sampling the memory of its process tree every 50 ms: whether it
/// succeeded and the peak in MiB (`None` where procfs is absent).
fn run_sampled(command: &mut Command) -> (bool, Option<u64>) {
    let Ok(mut child) = command.spawn() else { return (false, None) };
    let mut peak = 0;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (status.success(), (peak > 0).then_some(peak / 1024)),
            Ok(None) => {
                peak = peak.max(tree_rss_kib(child.id()));
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(_) => return (false, None),
        }
    }
}

fn counts(spec: &Path) -> (usize, usize) {
    let Ok(document) = codegen::load::load(spec) else { return (0, 0) };
    let json = document.json;
    let operations = json
        .get("paths")
        .and_then(Value::as_object)
        .map(|paths| paths.values().map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count()).sum())
        .unwrap_or(0);
    let schemas = json.pointer("/components/schemas").and_then(Value::as_object).map(|s| s.len()).unwrap_or(0);
    (operations, schemas)
}

fn expected(root: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(root.join("xtask/corpus-expected.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(char::is_whitespace).map(|(n, s)| (n.to_owned(), s.trim().to_owned())))
        .collect()
}

pub fn run(args: &Args) -> ExitCode {
    let root = super::repo_root();
    let dir = if args.dir.is_absolute() { args.dir.clone() } else { root.join(&args.dir) };
    let specs = super::corpus_documents(&dir, args.small, &args.only);
    if specs.is_empty() {
        eprintln!("skipped: no documents under {} (the corpus lives outside this repository)", dir.display());
        return ExitCode::SUCCESS;
    }
    let scratch = root.join("target/corpus");
    let mut rows = Vec::new();
    let mut failed = false;
    for spec in &specs {
        let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        eprintln!("==> {name}");
        let (operations, schemas) = counts(spec);
        let out = scratch.join(name.replace('.', "-"));
        let _ = std::fs::remove_dir_all(&out);
        let mut settings = codegen::Settings::new(name.clone());
        // The repository's runtime crate, built once for every document in the shared target.
        settings.runtime = codegen::Runtime::Path(root.join("codegen/runtime").to_string_lossy().into_owned());
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| codegen::generate(spec, &settings)));
        let generate_ms = started.elapsed().as_millis();
        let mut row = Row {
            name: name.clone(),
            operations,
            schemas,
            generate_ms,
            lines: 0,
            status: "refused",
            check_s: None,
            check_mib: None,
        };
        match outcome {
            Err(_) => {
                eprintln!("error: the generator panicked on {name}");
                row.status = "PANIC";
                failed = true;
            }
            Ok(Err(failure)) => {
                eprint!("{}", codegen::render::render(&failure.diagnostics, &failure.sources, false));
            }
            Ok(Ok(generated)) => {
                // Rust the compiler checks; data (the server's openapi.json), manifests and
                // READMEs are not counted.
                row.lines = generated
                    .files
                    .iter()
                    .filter(|f| f.path.ends_with(".rs"))
                    .map(|f| f.contents.lines().count())
                    .sum();
                if let Err(e) = super::write_scratch_workspace(&root, &out, &generated.files) {
                    eprintln!("error: {e}");
                    row.status = "I/O error";
                    failed = true;
                    rows.push(row);
                    continue;
                }
                let started = Instant::now();
                let mut check = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
                check
                    .args(["check", "--quiet", "--workspace"])
                    // The repository's target directory: the generated crates' dependencies are
                    // mostly the workspace's, already built.
                    .env("CARGO_TARGET_DIR", super::target_dir(&root))
                    // Scratch crates are built once: incremental data would only fill the disk (Stripe's
                    // is tens of gigabytes).
                    .env("CARGO_INCREMENTAL", "0")
                    .current_dir(&out);
                // Cargo reports warnings only for workspace members, here the generated crates;
                // generated code that warns fails users who build with `-D warnings`.
                let log = out.join("check.log");
                if let Ok(file) = std::fs::File::create(&log) {
                    check.stderr(file);
                }
                let (ok, peak) = run_sampled(&mut check);
                row.check_s = Some(started.elapsed().as_secs_f64());
                row.check_mib = peak;
                let output = std::fs::read_to_string(&log).unwrap_or_default();
                eprint!("{output}");
                let warned = output.lines().any(|l| l.starts_with("warning"));
                row.status = match (ok, warned) {
                    (false, _) => "check-failed",
                    (true, true) => "warnings",
                    (true, false) => "ok",
                };
            }
        }
        if let Some((_, want)) = expected(&root).into_iter().find(|(n, _)| *n == name)
            && want == "ok"
            && row.status != "ok"
        {
            eprintln!("error: {name} regressed: expected ok, got {}", row.status);
            failed = true;
        }
        rows.push(row);
    }
    println!("| spec | operations | schemas | generate | Rust lines | check | check time | check peak memory |");
    println!("|---|---:|---:|---:|---:|---|---:|---:|");
    for row in &rows {
        let check = row.check_s.map(|s| format!("{s:.1} s")).unwrap_or_else(|| "–".into());
        let memory = row.check_mib.map(|m| format!("{m} MiB")).unwrap_or_else(|| "–".into());
        println!(
            "| {} | {} | {} | {} ms | {} | {} | {check} | {memory} |",
            row.name, row.operations, row.schemas, row.generate_ms, row.lines, row.status
        );
    }
    if let Some(peak) = peak_rss_mib() {
        println!("generator peak memory (whole run): {peak} MiB");
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
