//! `cargo xtask codegen [--check]`: the generator's command-line front end (`codegen::cli`) with
//! this repository's defaults: `spec/openapi.yaml` into `generated/`.

use std::process::ExitCode;

pub use codegen::cli::Args;

pub fn run(args: &Args) -> ExitCode {
    let root = super::repo_root();
    let defaults = codegen::cli::Defaults { spec: root.join("spec/openapi.yaml"), out: root.join("generated"), root };
    codegen::cli::run(args, &defaults)
}
