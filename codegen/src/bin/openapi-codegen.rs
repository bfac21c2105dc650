//! `openapi-codegen`: the generator on any OpenAPI 3.0 document, outside this repository.
//! `openapi-codegen --spec api/openapi.yaml --out generated [--check] [--config codegen.toml]`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "openapi-codegen",
    version,
    about = "Generate Rust models, an axum server and a reqwest client from an OpenAPI 3.0 document"
)]
struct Cli {
    #[command(flatten)]
    args: codegen::cli::Args,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let defaults = codegen::cli::Defaults { spec: root.join("openapi.yaml"), out: root.join("generated"), root };
    codegen::cli::run(&cli.args, &defaults)
}
