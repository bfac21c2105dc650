//! The runtime crate (`codegen/runtime`, package `openapi-runtime`) as the emitters see it: how a
//! generated crate depends on it, and its source for vendoring.
//!
//! Standalone output vendors the runtime rather than depending on a published version: the
//! generated code and its runtime then always come from the same generator, and nothing has to
//! be fetched from a registry. The vendored files are the runtime's own source, byte for byte
//! (`include_str!`; a snapshot test compares them with the files on disk).

use crate::emit::GeneratedFile;

/// The runtime's package name and version, as in `codegen/runtime/Cargo.toml`.
pub const PACKAGE: &str = "openapi-runtime";
pub const VERSION: &str = "0.1.0";

/// Where generated crates find the runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// A copy written with the generated crates, in this directory under the output directory.
    Vendored { dir: String },
    /// An existing copy at this path: relative to the output directory, or absolute. Two APIs
    /// generated into one workspace share its types by pointing at the same copy.
    Path(String),
    /// A version requirement on a registry.
    Version(String),
}

impl Default for Runtime {
    fn default() -> Self {
        Runtime::Vendored { dir: "runtime".to_owned() }
    }
}

/// The runtime's files, relative to its directory.
const SOURCES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../../runtime/Cargo.toml")),
    ("README.md", include_str!("../../runtime/README.md")),
    ("src/lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("src/bytes.rs", include_str!("../../runtime/src/bytes.rs")),
    ("src/client.rs", include_str!("../../runtime/src/client.rs")),
    ("src/email.rs", include_str!("../../runtime/src/email.rs")),
    ("src/mock.rs", include_str!("../../runtime/src/mock.rs")),
    ("src/multipart.rs", include_str!("../../runtime/src/multipart.rs")),
    ("src/nullable.rs", include_str!("../../runtime/src/nullable.rs")),
    ("src/object.rs", include_str!("../../runtime/src/object.rs")),
    ("src/params.rs", include_str!("../../runtime/src/params.rs")),
    ("src/response.rs", include_str!("../../runtime/src/response.rs")),
    ("src/roundtrip.rs", include_str!("../../runtime/src/roundtrip.rs")),
    ("src/security.rs", include_str!("../../runtime/src/security.rs")),
    ("src/server.rs", include_str!("../../runtime/src/server.rs")),
    ("src/validate.rs", include_str!("../../runtime/src/validate.rs")),
];

/// The files of a vendored runtime, or none.
pub fn files(runtime: &Runtime) -> Vec<GeneratedFile> {
    match runtime {
        Runtime::Vendored { dir } => SOURCES
            .iter()
            .map(|(path, contents)| GeneratedFile { path: format!("{dir}/{path}"), contents: (*contents).to_owned() })
            .collect(),
        Runtime::Path(_) | Runtime::Version(_) => Vec::new(),
    }
}

/// The `[dependencies]` line of a generated crate in directory `crate_dir` (relative to the
/// output directory) needing these runtime features.
pub fn dependency(runtime: &Runtime, crate_dir: &str, features: &[&str]) -> String {
    let features = features.iter().map(|f| super::toml_string(f)).collect::<Vec<_>>().join(", ");
    let source = match runtime {
        Runtime::Vendored { dir } => {
            format!("path = {}, version = \"{VERSION}\"", super::toml_string(&super::relative_dir(crate_dir, dir)))
        }
        Runtime::Path(path) if std::path::Path::new(path).is_absolute() => {
            format!("path = {}, version = \"{VERSION}\"", super::toml_string(path))
        }
        Runtime::Path(path) => {
            format!("path = {}, version = \"{VERSION}\"", super::toml_string(&super::relative_dir(crate_dir, path)))
        }
        Runtime::Version(version) => format!("version = {}", super::toml_string(version)),
    };
    format!("{PACKAGE} = {{ {source}, features = [{features}] }}\n")
}
