//! `conform`: checks a running implementation against an OpenAPI document (see
//! `contract_tests::conform`). Run through `cargo xtask conform --url URL`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use contract_tests::conform::{Kit, Options};

/// Checks any running implementation of an OpenAPI document against it: every request example
/// and the documented error scenarios, each answer's status, content type, body schema and
/// required headers. Prints one line per check and `N passed, M failed`; exits 1 on a failure or
/// a check skipped for want of credentials.
#[derive(Parser)]
#[command(name = "conform")]
struct Args {
    /// The implementation's base URL (`http://127.0.0.1:9000`).
    #[arg(long)]
    url: String,
    /// The OpenAPI document (YAML or JSON; external references are bundled, 3.1 is read too).
    #[arg(long, default_value = "spec/openapi.yaml")]
    spec: PathBuf,
    /// A value for the document's apiKey security schemes.
    #[arg(long, env = "CONFORM_API_TOKEN")]
    api_token: Option<String>,
    /// A token for its HTTP bearer schemes.
    #[arg(long, env = "CONFORM_BEARER")]
    bearer: Option<String>,
    /// Log in through the document's login operations (public POSTs whose body example has
    /// `email` and `password`) for bearer tokens and session cookies.
    #[arg(long, requires = "password")]
    email: Option<String>,
    #[arg(long, env = "CONFORM_PASSWORD", requires = "email")]
    password: Option<String>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    if !args.url.starts_with("http://") {
        eprintln!("error: --url must be an http:// URL (this build speaks plain HTTP, for loopback and test networks)");
        return ExitCode::from(2);
    }
    let spec = match codegen::load::load(&args.spec) {
        Ok(document) => document.json,
        Err(diagnostics) => {
            let sources = std::fs::read_to_string(&args.spec).map(|t| vec![(args.spec.clone(), t)]).unwrap_or_default();
            eprintln!("error: {} cannot be read:", args.spec.display());
            eprintln!("{}", codegen::render::render(&diagnostics, &sources, false));
            return ExitCode::from(2);
        }
    };
    let options = Options {
        base: args.url.clone(),
        api_token: args.api_token,
        bearer: args.bearer,
        login: args.email.zip(args.password),
    };
    let mut kit = match Kit::new(&spec, &options) {
        Ok(kit) => kit,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    println!("conform: {} against {}", args.spec.display(), args.url);
    let checks = kit.run(|check| println!("{check}")).await;
    let skipped = checks.iter().filter(|c| c.skipped).count();
    let failed = checks.iter().filter(|c| !c.passed() && !c.skipped).count();
    let passed = checks.len() - failed - skipped;
    if skipped > 0 {
        println!(
            "{passed} passed, {failed} failed, {skipped} skipped (give credentials: --api-token, --bearer or --email/--password)"
        );
    } else {
        println!("{passed} passed, {failed} failed");
    }
    if failed == 0 && skipped == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
