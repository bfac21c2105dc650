//! `cargo xtask diff`: classify the changes between two versions of an OpenAPI document as
//! breaking or not, from files, from `git:REV:path`, or against the merge-base of the current
//! branch with the default branch.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use codegen::diff::{Change, Policy, Severity, diff_with, major_version};
use serde_json::Value;

/// Exit code when breaking changes are found (and not allowed).
pub const BREAKING: u8 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
    /// Release notes: markdown grouped by operation, breaking changes first.
    Changelog,
    /// GitHub Actions workflow commands (`::error` / `::warning` / `::notice`), one per change.
    Github,
}

/// The least severe level that fails the command (`--fail-on`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    Error,
    Warning,
    Info,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Info,
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// The old document: a path, or `git:REV:path` (read with `git show`).
    old: Option<String>,
    /// The new document: a path, or `git:REV:path`.
    new: Option<String>,
    /// Compare --spec with its version at the merge-base of HEAD and the default branch.
    #[arg(long, conflicts_with_all = ["old", "new"])]
    against_merge_base: bool,
    /// The document compared with --against-merge-base.
    #[arg(long, value_name = "PATH", default_value = "spec/openapi.yaml")]
    spec: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Fail (exit 4) on changes of this level or a more severe one: `error` (breaking),
    /// `warning` (may break some clients) or `info` (any change).
    #[arg(long, value_enum, default_value = "error", value_name = "LEVEL")]
    fail_on: Level,
    /// Minimum days between deprecating something and removing it; default: `[diff]
    /// deprecation-days` in the `codegen.toml` beside the new document (or --spec), else 0.
    #[arg(long, value_name = "DAYS")]
    deprecation_days: Option<u32>,
}

/// The policy: `--deprecation-days`, else `[diff]` in the settings file beside `document`.
pub fn policy(document: Option<&Path>, days: Option<u32>) -> Result<Policy, String> {
    let days = match (days, document) {
        (Some(days), _) => days,
        (None, Some(document)) => {
            let label = document.display().to_string();
            codegen::cli::settings(document, label, None)
                .map_err(|failure| {
                    format!(
                        "the settings beside {} are invalid:\n{}",
                        document.display(),
                        codegen::render::render(&failure.diagnostics, &failure.sources, false)
                    )
                })?
                .deprecation_days
        }
        (None, None) => 0,
    };
    Ok(Policy { deprecation_days: days, today: None })
}

/// A document read from a file or from git, as bundled JSON.
fn load(source: &str, cwd: &Path) -> Result<Value, String> {
    let (path, _guard) = match source.strip_prefix("git:") {
        Some(spec) => {
            let (rev, path) = spec.split_once(':').ok_or_else(|| format!("{source:?}: expected git:REV:path"))?;
            let text = git(cwd, &["show", &format!("{rev}:{path}")])?;
            let extension = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("yaml");
            let file = std::env::temp_dir().join(format!(
                "xtask-diff-{}-{}.{extension}",
                std::process::id(),
                rev.replace('/', "_")
            ));
            std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            (file.clone(), Some(TempFile(file)))
        }
        None => (cwd.join(source), None),
    };
    match codegen::load::load(&path) {
        Ok(document) => Ok(document.json),
        Err(diagnostics) => {
            let sources: Vec<(PathBuf, String)> =
                std::fs::read_to_string(&path).map(|t| vec![(path.clone(), t)]).unwrap_or_default();
            Err(format!("{source} cannot be read:\n{}", codegen::render::render(&diagnostics, &sources, false)))
        }
    }
}

struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn git(cwd: &Path, args: &[&str]) -> Result<String, String> {
    let output =
        Command::new("git").args(args).current_dir(cwd).output().map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()))
    }
}

/// Prints the changes in the chosen format.
pub fn print(changes: &[Change], format: Format) {
    match format {
        Format::Text => {
            for change in changes {
                let severity = match change.severity {
                    Severity::Error => "BREAKING",
                    Severity::Warning => "warning ",
                    Severity::Info => "ok      ",
                };
                println!("{severity} {:<36} {}  {}", change.rule, change.pointer, change.message);
            }
            let count = |level| changes.iter().filter(|c| c.severity == level).count();
            println!(
                "{} changes, {} breaking, {} warnings",
                changes.len(),
                count(Severity::Error),
                count(Severity::Warning)
            );
        }
        Format::Json => {
            let items: Vec<Value> = changes
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "rule": c.rule,
                        "level": c.severity.name(),
                        "breaking": c.severity == Severity::Error,
                        "pointer": c.pointer,
                        "message": c.message,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&items).unwrap_or_default());
        }
        Format::Github => {
            for c in changes {
                let command = match c.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "notice",
                };
                // Workflow commands end at a newline and treat `%` specially: escape both.
                let escape = |text: &str| text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
                println!("::{command} title={}::{} at {}", c.rule, escape(&c.message), escape(&c.pointer));
            }
        }
        Format::Changelog => print_changelog(changes),
        Format::Markdown => {
            println!("| | rule | where | change |\n|---|---|---|---|");
            for c in changes {
                let mark = match c.severity {
                    Severity::Error => "❌ breaking",
                    Severity::Warning => "⚠️ warning",
                    Severity::Info => "✅",
                };
                println!("| {mark} | `{}` | `{}` | {} |", c.rule, c.pointer, c.message.replace('|', "\\|"));
            }
        }
    }
}

/// `GET /pets/{id}` for a pointer into an operation, or `Other changes`.
fn operation_of(pointer: &str) -> String {
    let unescape = |segment: &str| segment.replace("~1", "/").replace("~0", "~");
    let mut segments = pointer.trim_start_matches("#/").split('/');
    match (segments.next(), segments.next(), segments.next()) {
        (Some("paths"), Some(path), Some(method)) => format!("{} {}", method.to_uppercase(), unescape(path)),
        (Some("paths"), Some(path), None) => unescape(path),
        _ => "Other changes".to_owned(),
    }
}

/// Release notes: a section per operation (in document order of first change), each change a
/// bullet with its level; breaking sections first.
fn print_changelog(changes: &[Change]) {
    if changes.is_empty() {
        println!("No changes to the API contract.");
        return;
    }
    let mut sections: Vec<(String, Vec<&Change>)> = Vec::new();
    for change in changes {
        let operation = operation_of(&change.pointer);
        match sections.iter_mut().find(|(name, _)| *name == operation) {
            Some((_, list)) => list.push(change),
            None => sections.push((operation, vec![change])),
        }
    }
    sections.sort_by_key(|(name, list)| (list.iter().map(|c| c.severity).min(), name.clone()));
    let count = |level| changes.iter().filter(|c| c.severity == level).count();
    println!(
        "## API changes\n\n{} change(s): {} breaking, {} warning(s).",
        changes.len(),
        count(Severity::Error),
        count(Severity::Warning)
    );
    for (operation, list) in sections {
        println!("\n### {operation}\n");
        for c in list {
            let label = match c.severity {
                Severity::Error => "**Breaking:** ",
                Severity::Warning => "**Warning:** ",
                Severity::Info => "",
            };
            println!("- {label}{} (`{}`)", c.message, c.rule);
        }
    }
}

/// Lines `rule pointer` of the acknowledged-breaks file; a line starting with `#` is a comment
/// (pointers start with `#` too, so there are no end-of-line comments).
fn acknowledged(spec: &Path) -> Vec<(String, String)> {
    let file = spec.parent().unwrap_or(Path::new(".")).join("ACKNOWLEDGED_BREAKS");
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once(char::is_whitespace).map(|(r, p)| (r.to_owned(), p.trim().to_owned())))
        .collect()
}

/// The outcome of comparing a spec with its merge-base version.
pub enum Gate {
    Skipped(String),
    Passed { changes: usize, note: Option<String> },
    Failed(Vec<Change>),
}

/// Compares `spec` (in the git work tree containing it) with its version at the merge-base of
/// HEAD and the default branch. Breaking changes pass when the major version was bumped or
/// each one is listed in `ACKNOWLEDGED_BREAKS` next to the spec.
pub fn against_merge_base(spec: &Path, format: Format, fail_on: Severity, policy: Policy) -> Result<Gate, String> {
    let dir = spec.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let top = match git(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(top) => PathBuf::from(top.trim()),
        Err(_) => return Ok(Gate::Skipped("not inside a git repository".into())),
    };
    let default = git(&top, &["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])
        .map(|s| s.trim().to_owned())
        .or_else(|_| git(&top, &["rev-parse", "--verify", "--quiet", "main"]).map(|_| "main".to_owned()))
        .or_else(|_| git(&top, &["rev-parse", "--verify", "--quiet", "master"]).map(|_| "master".to_owned()));
    let Ok(default) = default else {
        return Ok(Gate::Skipped("no default branch (main, master or origin/HEAD) to compare with".into()));
    };
    let base = match git(&top, &["merge-base", "HEAD", &default]) {
        Ok(base) => base.trim().to_owned(),
        Err(_) => return Ok(Gate::Skipped(format!("no merge-base of HEAD and {default} (shallow or fresh clone)"))),
    };
    let absolute = std::fs::canonicalize(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let relative = absolute
        .strip_prefix(std::fs::canonicalize(&top).unwrap_or(top.clone()))
        .unwrap_or(&absolute)
        .to_string_lossy()
        .replace('\\', "/");
    let old = match load(&format!("git:{base}:{relative}"), &top) {
        Ok(old) => old,
        Err(_) => {
            return Ok(Gate::Skipped(format!(
                "{relative} does not exist at the merge-base {}",
                &base[..base.len().min(12)]
            )));
        }
    };
    let new = load(&absolute.to_string_lossy(), &top)?;
    let changes = diff_with(&old, &new, policy);
    if format != Format::Text || !changes.is_empty() {
        print(&changes, format);
    }
    let breaking: Vec<Change> = changes.iter().filter(|c| c.severity.reaches(fail_on)).cloned().collect();
    if breaking.is_empty() {
        return Ok(Gate::Passed { changes: changes.len(), note: None });
    }
    if let (Some(old_major), Some(new_major)) = (major_version(&old), major_version(&new))
        && new_major > old_major
    {
        let note = format!(
            "{} breaking change(s) allowed by the major version bump {old_major} → {new_major}",
            breaking.len()
        );
        return Ok(Gate::Passed { changes: changes.len(), note: Some(note) });
    }
    let acknowledged = acknowledged(&absolute);
    let open: Vec<Change> = breaking
        .into_iter()
        .filter(|c| !acknowledged.iter().any(|(rule, pointer)| rule == c.rule && *pointer == c.pointer))
        .collect();
    if open.is_empty() {
        return Ok(Gate::Passed { changes: changes.len(), note: Some("every breaking change is acknowledged".into()) });
    }
    Ok(Gate::Failed(open))
}

/// Explains a failed gate.
pub fn explain(failed: &[Change], spec: &Path) {
    eprintln!("error: {} breaking change(s) against the merge-base:", failed.len());
    for change in failed {
        eprintln!("  {} at {}: {}", change.rule, change.pointer, change.message);
    }
    let file = spec.parent().unwrap_or(Path::new(".")).join("ACKNOWLEDGED_BREAKS");
    eprintln!(
        "help: bump the major version in info.version, or, if the break is intended, add a line `RULE POINTER` per change to {}",
        file.display()
    );
}

pub fn run(args: &Args) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if args.against_merge_base {
        let policy = match policy(Some(&args.spec), args.deprecation_days) {
            Ok(policy) => policy,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        };
        return match against_merge_base(&args.spec, args.format, args.fail_on.severity(), policy) {
            Ok(Gate::Skipped(why)) => {
                eprintln!("skipped: {why}");
                ExitCode::SUCCESS
            }
            Ok(Gate::Passed { changes, note }) => {
                eprintln!(
                    "no unacknowledged breaking change ({changes} change(s)){}",
                    note.map(|n| format!("; {n}")).unwrap_or_default()
                );
                ExitCode::SUCCESS
            }
            Ok(Gate::Failed(failed)) => {
                explain(&failed, &args.spec);
                ExitCode::from(BREAKING)
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        };
    }
    let (Some(old), Some(new)) = (&args.old, &args.new) else {
        eprintln!("error: give OLD and NEW, or --against-merge-base");
        return ExitCode::from(2);
    };
    let (old, new) = match (load(old, &cwd), load(new, &cwd)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let beside = args.new.as_deref().filter(|n| !n.starts_with("git:")).map(|n| cwd.join(n));
    let policy = match policy(beside.as_deref(), args.deprecation_days) {
        Ok(policy) => policy,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let changes = diff_with(&old, &new, policy);
    print(&changes, args.format);
    let level = args.fail_on.severity();
    if changes.iter().any(|c| c.severity.reaches(level)) { ExitCode::from(BREAKING) } else { ExitCode::SUCCESS }
}
