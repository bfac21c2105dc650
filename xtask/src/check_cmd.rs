//! `cargo xtask check`: the one gate. In order: the spec is valid and generates, the committed
//! generated code is fresh, the spec passes the lint rules (ours, and Redocly CLI's when it is
//! installed), and it has no unacknowledged breaking change against the merge-base.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::Value;

use crate::diff_cmd::{self, Gate};
use codegen::cli::{self as codegen_cmd, Outcome};

fn step(name: &str) {
    eprintln!("==> {name}");
}

/// Our own lint rules, on the bundled document: every operation has an operationId, every
/// response body an example, and every error response the shared error body.
pub fn lint(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let deref = |v: &Value| -> Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => doc.pointer(r.trim_start_matches('#')).cloned().unwrap_or(Value::Null),
            None => v.clone(),
        }
    };
    let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
    // The shared error body: the schema most error responses reference.
    let mut error_refs: Vec<String> = Vec::new();
    let mut error_bodies: Vec<(String, Option<String>)> = Vec::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !op.is_object() || method == "parameters" {
                continue;
            }
            let at = format!("#/paths/{}/{method}", escape(path));
            if op.get("operationId").and_then(Value::as_str).is_none() {
                problems.push(format!("operation-operationId: {at} has no operationId"));
            }
            for (status, response) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
                let response = deref(response);
                let response_at = format!("{at}/responses/{status}");
                for (media, content) in response.get("content").and_then(Value::as_object).into_iter().flatten() {
                    if content.get("example").is_none() && content.get("examples").is_none() {
                        problems
                            .push(format!("response-example: {response_at}/content/{} has no example", escape(media)));
                    }
                    if status.starts_with('4') || status.starts_with('5') {
                        let reference = content.pointer("/schema/$ref").and_then(Value::as_str).map(str::to_owned);
                        error_refs.extend(reference.clone());
                        error_bodies.push((format!("{response_at}/content/{}/schema", escape(media)), reference));
                    }
                }
            }
        }
    }
    let mut counts: Vec<(usize, &String)> = Vec::new();
    for reference in &error_refs {
        match counts.iter_mut().find(|(_, r)| *r == reference) {
            Some(entry) => entry.0 += 1,
            None => counts.push((1, reference)),
        }
    }
    if let Some((_, shared)) = counts.iter().max() {
        for (at, reference) in &error_bodies {
            if reference.as_deref() != Some(shared.as_str()) {
                problems.push(format!("shared-error-body: {at} is not {shared}"));
            }
        }
    }
    problems
}

fn redocly(root: &Path) -> Option<PathBuf> {
    let cache = root.join(".ci/cache");
    let mut found: Vec<PathBuf> = std::fs::read_dir(cache)
        .ok()?
        .flatten()
        .map(|e| e.path().join("node_modules/.bin/redocly"))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop()
}

pub fn run() -> ExitCode {
    let root = super::repo_root();
    let spec = root.join("spec/openapi.yaml");
    let label = spec.strip_prefix(&root).unwrap_or(&spec).display().to_string();

    step("spec is valid and generates");
    let settings = match codegen_cmd::settings(&spec, label, None) {
        Ok(settings) => settings,
        Err(failure) => return codegen_cmd::report_failure(&failure),
    };
    let generated = match codegen::generate(&spec, &settings) {
        Ok(generated) => generated,
        Err(failure) => return codegen_cmd::report_failure(&failure),
    };

    step("generated code is fresh");
    match codegen_cmd::check(&root.join("generated"), &codegen_cmd::with_manifest(generated.files)) {
        Ok(Outcome::Fresh) => {}
        Ok(_) => {
            eprintln!("error: generated files are stale; run `cargo xtask codegen` and commit the result");
            return ExitCode::from(3);
        }
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    }

    step("lint");
    let doc = match codegen::load::load(&spec) {
        Ok(document) => document.json,
        Err(_) => return ExitCode::FAILURE,
    };
    let problems = lint(&doc);
    for problem in &problems {
        eprintln!("  {problem}");
    }
    if !problems.is_empty() {
        eprintln!("error: {} lint problem(s)", problems.len());
        return ExitCode::FAILURE;
    }
    match redocly(&root) {
        Some(redocly) => {
            let status = Command::new(redocly)
                .args(["lint", "--config", "redocly.yaml", "spec/openapi.yaml"])
                .env("REDOCLY_TELEMETRY", "off")
                .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
                .current_dir(&root)
                .status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("error: Redocly CLI lint failed");
                return ExitCode::FAILURE;
            }
        }
        None => eprintln!("  Redocly CLI is not installed here (bash .ci/run installs it); our own rules passed"),
    }

    step("no unacknowledged breaking change against the merge-base");
    let policy = match diff_cmd::policy(Some(&spec), None) {
        Ok(policy) => policy,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match diff_cmd::against_merge_base(&spec, diff_cmd::Format::Text, codegen::diff::Severity::Error, policy) {
        Ok(Gate::Skipped(why)) => eprintln!("  skipped: {why}"),
        Ok(Gate::Passed { changes, note }) => {
            eprintln!("  {changes} change(s), none breaking{}", note.map(|n| format!(" ({n})")).unwrap_or_default())
        }
        Ok(Gate::Failed(failed)) => {
            diff_cmd::explain(&failed, &spec);
            return ExitCode::from(diff_cmd::BREAKING);
        }
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    }
    eprintln!("==> all checks passed");
    ExitCode::SUCCESS
}
