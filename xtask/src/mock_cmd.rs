//! `cargo xtask mock`: builds and serves the generated mock server (`Mock`, feature `mock` of a
//! generated server crate). For the canonical spec that is the committed `admin-api-server`; for
//! another document the crates are generated into `target/mock/<name>/` first.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(clap::Args)]
pub struct Args {
    /// The OpenAPI document to mock (default: spec/openapi.yaml, the committed crates).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:4010")]
    bind: String,
    /// Accept only this credential (default: any credential present in a request; the mock also
    /// reads MOCK_TOKEN).
    #[arg(long)]
    token: Option<String>,
}

pub fn run(args: &Args) -> ExitCode {
    let root = super::repo_root();
    let canonical = root.join("spec/openapi.yaml");
    let spec = args.spec.clone().unwrap_or_else(|| canonical.clone());
    let same =
        |a: &Path, b: &Path| std::fs::canonicalize(a).ok().is_some_and(|a| Some(a) == std::fs::canonicalize(b).ok());
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo.arg("run").env("CARGO_TARGET_DIR", super::target_dir(&root));
    if same(&spec, &canonical) {
        cargo.arg("--manifest-path").arg(root.join("Cargo.toml"));
        cargo.args(["-p", "admin-api-server", "--features", "mock", "--bin", "admin-api-mock"]);
    } else {
        let Some(manifest) = generate(&root, &spec) else { return ExitCode::from(1) };
        cargo.arg("--manifest-path").arg(manifest);
        cargo.args(["-p", "api-server", "--features", "mock", "--bin", "api-mock"]);
    }
    cargo.args(["--", "--bind", &args.bind]);
    if let Some(token) = &args.token {
        cargo.args(["--token", token]);
    }
    match cargo.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}

/// Generates the models and server crates for `spec` into a scratch workspace, returning its
/// manifest; the diagnostics are printed either way.
fn generate(root: &Path, spec: &Path) -> Option<PathBuf> {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "spec".to_owned());
    let out = root.join("target/mock").join(&stem);
    let mut settings = codegen::Settings::new(spec.display().to_string());
    settings.client = None;
    // The repository's runtime, so its build is shared with everything else in the target.
    settings.runtime = codegen::Runtime::Path(root.join("codegen/runtime").to_string_lossy().into_owned());
    eprintln!("generating the mock of {} into {}", spec.display(), out.display());
    let generated = match codegen::generate(spec, &settings) {
        Ok(generated) => generated,
        Err(failure) => {
            eprint!("{}", codegen::render::render(&failure.diagnostics, &failure.sources, false));
            return None;
        }
    };
    let sources: Vec<(PathBuf, String)> =
        std::fs::read_to_string(spec).map(|t| vec![(spec.to_path_buf(), t)]).unwrap_or_default();
    eprint!("{}", codegen::render::render(&generated.warnings, &sources, false));
    if let Err(e) = super::write_scratch(&out, &generated.files) {
        eprintln!("error: {e}");
        return None;
    }
    let manifest = out.join("Cargo.toml");
    if let Err(e) = std::fs::write(&manifest, "[workspace]\nresolver = \"3\"\nmembers = [\"models\", \"server\"]\n") {
        eprintln!("error: cannot write {}: {e}", manifest.display());
        return None;
    }
    Some(manifest)
}
