//! `cargo xtask codegen` as users run it: the committed output is fresh, a hand edit is caught
//! with a diff and exit status 3, a broken spec is refused with a located error and status 1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(repo()).output().expect("xtask runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("readable");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("writable");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copyable");
        }
    }
}

#[test]
fn committed_generated_code_is_fresh() {
    let output = xtask(&["codegen", "--check"]);
    assert!(output.status.success(), "generated/ is stale; run `cargo xtask codegen`:\n{}", stderr(&output));
    assert!(stderr(&output).contains("up to date"));
}

#[test]
fn check_catches_a_hand_edit_and_codegen_repairs_it() {
    let out = temp_dir("edit");
    copy_tree(&repo().join("generated"), &out);
    let types = out.join("models/src/types.rs");
    let original = std::fs::read_to_string(&types).expect("readable");
    std::fs::write(&types, original.replacen("pub struct User {", "pub struct User {\n    pub hand_edit: bool,", 1))
        .expect("writable");
    std::fs::write(out.join("models/src/extra.rs"), "// not generated\n").expect("writable");
    let out_arg = out.to_str().expect("utf-8 path");

    let output = xtask(&["codegen", "--check", "--out", out_arg]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{text}");
    assert!(text.contains("stale:") && text.contains("models/src/types.rs"), "{text}");
    assert!(text.contains("-    pub hand_edit: bool,"), "the diff shows the edit:\n{text}");
    assert!(text.contains("unexpected:") && text.contains("extra.rs"), "{text}");
    assert!(text.contains("run `cargo xtask codegen`"), "{text}");

    let output = xtask(&["codegen", "--out", out_arg]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&types).expect("readable"), original);
    assert!(!out.join("models/src/extra.rs").exists());
    assert!(xtask(&["codegen", "--check", "--out", out_arg]).status.success());
}

#[test]
fn a_broken_spec_is_refused_with_its_location() {
    let dir = temp_dir("broken");
    let spec = dir.join("openapi.yaml");
    let text = std::fs::read_to_string(repo().join("spec/openapi.yaml")).expect("readable");
    std::fs::write(&spec, text.replacen("$ref: '#/components/schemas/User'", "$ref: '#/components/schemas/Usr'", 1))
        .expect("writable");
    let output =
        xtask(&["codegen", "--spec", spec.to_str().expect("utf-8"), "--out", dir.join("out").to_str().expect("utf-8")]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("dangling reference: #/components/schemas/Usr does not exist"), "{text}");
    assert!(text.contains(&format!("{}:", spec.display())), "names the file and line:\n{text}");
    assert!(text.contains("did you mean #/components/schemas/User?"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    assert!(!dir.join("out").exists(), "nothing is written for a broken spec");
}

#[test]
fn help_lists_the_options() {
    let output = xtask(&["codegen", "--help"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    for flag in ["--check", "--spec", "--out", "--models-crate", "--config", "--tag", "--operation", "--deny-warnings"]
    {
        assert!(text.contains(flag), "{flag} in:\n{text}");
    }
    assert_eq!(xtask(&["codegen", "--no-such-flag"]).status.code(), Some(2));
}

fn required_first_name(spec: &str) -> String {
    let from = "      additionalProperties: false\n      required: [email, password]\n      properties:\n        email:\n          description: The user's email; stored lower-cased.";
    assert!(spec.contains(from), "the create-user schema is where the test expects it");
    spec.replacen(from, &from.replace("required: [email, password]", "required: [email, password, first_name]"), 1)
}

#[test]
fn diff_classifies_changes_in_three_formats() {
    let dir = temp_dir("diff");
    let spec = std::fs::read_to_string(repo().join("spec/openapi.yaml")).expect("readable");
    let (old, new, docs) = (dir.join("old.yaml"), dir.join("new.yaml"), dir.join("docs.yaml"));
    std::fs::write(&old, &spec).expect("writable");
    std::fs::write(&new, required_first_name(&spec)).expect("writable");
    std::fs::write(&docs, spec.replacen("summary: List Users", "summary: List the admin users", 1)).expect("writable");
    let arg = |p: &Path| p.to_str().expect("utf-8").to_owned();

    let output = xtask(&["diff", &arg(&old), &arg(&new)]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(4), "{text}");
    assert!(text.contains("BREAKING request-property-became-required"), "{text}");
    assert!(
        text.contains("#/paths/~1admin~1users/post/requestBody/content/application~1json/schema/properties/first_name"),
        "{text}"
    );

    let output = xtask(&["diff", &arg(&old), &arg(&new), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(json[0]["rule"], "request-property-became-required");
    assert_eq!(json[0]["breaking"], true);

    let output = xtask(&["diff", &arg(&old), &arg(&new), "--format", "markdown"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("| ❌ breaking | `request-property-became-required` |"));

    let output = xtask(&["diff", &arg(&old), &arg(&docs)]);
    assert!(output.status.success(), "doc-only edits are not breaking");
    assert!(String::from_utf8_lossy(&output.stdout).contains("0 changes, 0 breaking"));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn breaking_changes_against_the_merge_base_fail_unless_bumped_or_acknowledged() {
    let dir = temp_dir("merge-base");
    let spec_text = std::fs::read_to_string(repo().join("spec/openapi.yaml")).expect("readable");
    std::fs::create_dir_all(dir.join("spec")).expect("writable");
    let spec = dir.join("spec/openapi.yaml");
    let spec_arg = spec.to_str().expect("utf-8");
    let gate = || {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["diff", "--against-merge-base", "--spec", spec_arg])
            .current_dir(&dir)
            .output()
            .expect("xtask runs")
    };

    // No repository yet: the gate says so and passes.
    std::fs::write(&spec, &spec_text).expect("writable");
    let output = gate();
    assert!(output.status.success());
    assert!(stderr(&output).contains("skipped"), "{}", stderr(&output));

    git(&dir, &["init", "--quiet"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "--quiet", "-m", "base"]);
    git(&dir, &["checkout", "--quiet", "-b", "feature"]);
    std::fs::write(&spec, required_first_name(&spec_text)).expect("writable");
    git(&dir, &["commit", "--quiet", "-am", "require first_name"]);

    let output = gate();
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).contains("1 breaking change(s) against the merge-base"), "{}", stderr(&output));
    assert!(stderr(&output).contains("ACKNOWLEDGED_BREAKS"));

    let pointer = "#/paths/~1admin~1users/post/requestBody/content/application~1json/schema/properties/first_name";
    std::fs::write(
        dir.join("spec/ACKNOWLEDGED_BREAKS"),
        format!("# first_name is needed for invoices\nrequest-property-became-required {pointer}\n"),
    )
    .expect("writable");
    let output = gate();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("acknowledged"));

    std::fs::remove_file(dir.join("spec/ACKNOWLEDGED_BREAKS")).expect("removable");
    std::fs::write(&spec, required_first_name(&spec_text).replacen("  version: 1.0.0", "  version: 2.0.0", 1))
        .expect("writable");
    let output = gate();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("major version bump 1 → 2"), "{}", stderr(&output));
}

#[test]
fn check_passes_on_the_committed_tree() {
    let output = xtask(&["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    for step in ["spec is valid", "generated code is fresh", "lint", "merge-base"] {
        assert!(stderr(&output).contains(step), "{step}: {}", stderr(&output));
    }
}

#[test]
fn subsets_and_denied_warnings() {
    let dir = temp_dir("subset");
    let out = dir.join("out");
    let spec = repo().join("spec/openapi.yaml");
    let args = ["codegen", "--spec", spec.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")];
    let output = xtask(&[&args[..], &["--tag", "Invites", "--operation", "GetInvites"]].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    let operations = std::fs::read_to_string(out.join("models/src/operations.rs")).expect("generated");
    assert!(
        operations.contains("GetInvitesResponse") && !operations.contains("PostInvitesResponse"),
        "only GetInvites"
    );
    assert!(!operations.contains("GetUsersResponse"));

    // A construct the generator approximates is a warning; --deny-warnings refuses it.
    let approximated = dir.join("approximated.yaml");
    std::fs::write(
        &approximated,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    NotAString:\n      not: {type: string}\n",
    )
    .expect("writable");
    let run = |extra: &[&str]| {
        let mut all =
            vec!["codegen", "--spec", approximated.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")];
        all.extend_from_slice(extra);
        xtask(&all)
    };
    let output = run(&[]);
    assert!(output.status.success() && stderr(&output).contains("`not` is not supported"), "{}", stderr(&output));
    let output = run(&["--deny-warnings"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("--deny-warnings"));
}
