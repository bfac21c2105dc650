//! House rules checked as tests: no panicking calls on input-derived paths in the generator and
//! xtask (a proven-safe line says why with `// ok:`), and every module says what it is for.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source dir is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf();
    let mut files = Vec::new();
    rust_files(&root.join("codegen/src"), &mut files);
    rust_files(&root.join("xtask/src"), &mut files);
    files.sort();
    files
}

#[test]
fn no_panicking_calls_outside_tests() {
    let banned = [".unwrap()", ".expect(", "panic!(", "todo!(", "unimplemented!(", "unreachable!("];
    let mut found = Vec::new();
    for file in sources() {
        let text = std::fs::read_to_string(&file).expect("readable");
        // Unit tests sit at the end of a file, after `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            if banned.iter().any(|b| line.contains(b)) && !line.contains("// ok:") {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "turn these into error values (or justify with `// ok: why`):\n{}", found.join("\n"));
}

#[test]
fn every_module_starts_with_a_doc_comment() {
    let missing: Vec<String> = sources()
        .into_iter()
        .filter(|f| !std::fs::read_to_string(f).is_ok_and(|t| t.starts_with("//!")))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "start these modules with a `//!` line saying what they are for:\n{}",
        missing.join("\n")
    );
}
