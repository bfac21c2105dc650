//! `cargo xtask names`: the property test of name hygiene. It makes documents whose every name
//! — schema, property, enum value, operation, tag, parameter, security scheme — is drawn at
//! random from words the generated code itself uses (keywords, the prelude, std, the runtime's
//! and the generated crates' items, generic parameters, arguments and locals) mixed with case
//! changes, separators, digits and non-ASCII letters; generates the three crates of each, and
//! builds them all with clippy (`-D warnings`, the mock included) in one scratch workspace.
//! A failure names the seed and the document, so it can be replayed.
//!
//! The fixture `codegen/tests/fixtures/naming.yaml` holds the collisions found so far as a
//! golden; this command looks for new ones.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::{Map, Value, json};

#[derive(clap::Args)]
pub struct Args {
    /// The first seed; case N uses seed + N, so a failure is replayed with `--seed S --cases 1`.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many documents to make.
    #[arg(long, default_value_t = 4)]
    cases: u64,
}

/// Words the generated code or Rust gives a meaning to.
const ATOMS: &[&str] = &[
    // Keywords, strict and reserved, and the ones raw identifiers cannot spell.
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "fn",
    "match",
    "async",
    "await",
    "dyn",
    "gen",
    "try",
    "union",
    "r#",
    "_",
    "__",
    "ref",
    "mut",
    "static",
    "const",
    "impl",
    "trait",
    "mod",
    "use",
    "where",
    "loop",
    "in",
    "as",
    // The prelude and std.
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Drop",
    "From",
    "Into",
    "Iterator",
    "Fn",
    "std",
    "core",
    "alloc",
    "Self_",
    // The runtime's and the generated crates' names.
    "Nullable",
    "Email",
    "Validate",
    "Checker",
    "Limits",
    "Problem",
    "ProblemKind",
    "RequestMeta",
    "Unavailable",
    "ServerConfig",
    "Credential",
    "ApiBase",
    "ErrorBody",
    "Client",
    "ClientBuilder",
    "Error",
    "ApiResponse",
    "ApiResult",
    "Scheme",
    "Operation",
    "Call",
    "Incoming",
    "Shared",
    "Response",
    "Request",
    "Query",
    "Path",
    "Headers",
    "Cookies",
    "Body",
    "Base64",
    "Uuid",
    "Value",
    "Mock",
    "Answer",
    "support",
    "models",
    "rt",
    "api",
    "router",
    "router_with",
    "openapi",
    "mock",
    "new",
    "builder",
    "build",
    "call",
    "client",
    "with_header",
    "authenticate",
    "error_body",
    "base_url",
    "credential",
    "timeout",
    "headers",
    "query",
    "path",
    "cookies",
    "body",
    "meta",
    "principal",
    "request",
    "response",
    "result",
    "url",
    "value",
    "serializer",
    "deserializer",
    "visitor",
    "D",
    "S",
    "A",
    "E",
    "T",
    "V",
    "Object",
    "Map",
    "Resource",
    "Api",
    "Params",
    "PARAMS",
    "OPERATION",
];

/// Deterministic and small: splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A name: one to three atoms (or a few random characters), joined by a separator, in a
    /// random case, sometimes led by a digit.
    fn name(&mut self) -> String {
        let parts: Vec<String> = (0..1 + self.below(3))
            .map(|_| match self.below(8) {
                0 => self
                    .pick(&["é", "日本", "ß", "Ω", "+1", "-1", "$", "@id", "1st", "0", "ID", "HTTPServer"])
                    .to_owned(),
                _ => self.pick(ATOMS).to_owned(),
            })
            .collect();
        let separator = self.pick(&["", "_", "-", " ", ".", "/", "__"]);
        let mut name = parts.join(separator);
        match self.below(5) {
            0 => name = name.to_uppercase(),
            1 => name = name.to_lowercase(),
            _ => {}
        }
        if self.below(10) == 0 {
            name.insert(0, '2');
        }
        name
    }

    /// `count` distinct names (the spec's own keys must differ).
    fn names(&mut self, count: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        while out.len() < count {
            let name = self.name();
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

/// A document whose names are all adversarial: schemas referring to one another, operations
/// with parameters in every location, bodies, tags and security schemes.
fn document(rng: &mut Rng) -> Value {
    let schema_names = rng.names(6);
    let reference = |name: &str| json!({"$ref": codegen::diagnostic::pointer_push("#/components/schemas", name)});
    let mut schemas = Map::new();
    for (i, name) in schema_names.iter().enumerate() {
        let schema = if i == 0 {
            // Every operation's error body.
            json!({"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}})
        } else if rng.below(4) == 0 {
            json!({"type": "string", "enum": rng.names(4)})
        } else {
            let properties = rng.names(5);
            let mut map = Map::new();
            for property in &properties {
                let value = match rng.below(9) {
                    0 => json!({"type": "integer", "format": "int32", "minimum": 0}),
                    1 => json!({"type": "string", "nullable": true, "maxLength": 20}),
                    2 => json!({"type": "array", "items": {"type": "string", "enum": rng.names(2)}}),
                    3 => reference(&schema_names[rng.below(schema_names.len())]),
                    4 => json!({"type": "object", "properties": {rng.name(): {"type": "boolean"}}}),
                    // Inline objects tagged by a property each fixes (one holds nothing else).
                    5 => {
                        let tag = rng.name();
                        let variants: Vec<Value> = rng
                            .names(3)
                            .into_iter()
                            .enumerate()
                            .map(|(k, value)| {
                                let mut properties = Map::new();
                                properties.insert(tag.clone(), json!({"type": "string", "enum": [value]}));
                                if k > 0 {
                                    properties.insert(rng.name(), json!({"type": "integer"}));
                                }
                                json!({"type": "object", "required": [tag], "properties": properties})
                            })
                            .collect();
                        json!({"oneOf": variants})
                    }
                    // One-value string enums, one per value.
                    6 => {
                        json!({"oneOf": rng.names(3).into_iter().map(|v| json!({"type": "string", "enum": [v]})).collect::<Vec<_>>()})
                    }
                    // The same inline object in many places: one type, named by what they share.
                    7 => json!({"type": "object", "properties": {"shared": {"type": "integer"}}}),
                    _ => json!({"type": "string"}),
                };
                map.insert(property.clone(), value);
            }
            json!({"type": "object", "required": [properties[0]], "properties": map})
        };
        schemas.insert(name.clone(), schema);
    }
    let scheme_names = rng.names(3);
    let mut schemes = Map::new();
    for (i, name) in scheme_names.iter().enumerate() {
        let scheme = match i {
            0 => json!({"type": "apiKey", "in": rng.pick(&["header", "query", "cookie"]), "name": format!("x-{i}")}),
            1 => json!({"type": "http", "scheme": "bearer"}),
            _ => json!({"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": "https://auth.example.com/token", "scopes": {"read": "Read."}}}}),
        };
        schemes.insert(name.clone(), scheme);
    }
    let tags = rng.names(3);
    let operation_ids = rng.names(5);
    let error = reference(&schema_names[0]);
    let errors =
        |description: &str| json!({"description": description, "content": {"application/json": {"schema": error}}});
    // Response headers several operations document alike (one shared struct, named by them).
    let header_names = rng.names(2);
    let shared_headers: Map<String, Value> =
        header_names.iter().map(|name| (name.clone(), json!({"schema": {"type": "string"}}))).collect();
    let mut paths = Map::new();
    for (i, id) in operation_ids.iter().enumerate() {
        let parameter_names = rng.names(5);
        let mut template = format!("/op{i}");
        let mut parameters = Vec::new();
        for (j, name) in parameter_names.iter().enumerate() {
            let location = ["path", "query", "query", "header", "cookie"][j];
            if location == "path" {
                template.push_str(&format!("/{{{name}}}"));
            }
            let schema = match rng.below(3) {
                0 => json!({"type": "array", "items": {"type": "integer"}}),
                1 => json!({"type": "integer"}),
                _ => json!({"type": "string"}),
            };
            let schema = if location == "path" { json!({"type": "string"}) } else { schema };
            parameters.push(json!({"name": name, "in": location, "required": location == "path", "schema": schema}));
        }
        let body_schema = reference(&schema_names[1 + rng.below(schema_names.len() - 1)]);
        // Some operations refuse invalid requests in a schema of their own (an `ApiBase` method
        // named after it, beside `error_body`).
        let invalid = if rng.below(3) == 0 {
            let own = reference(&schema_names[1 + rng.below(schema_names.len() - 1)]);
            json!({"description": "bad", "content": {"application/json": {"schema": own}}})
        } else {
            errors("bad")
        };
        let mut operation = json!({
            "operationId": id,
            "tags": [tags[rng.below(tags.len())]],
            "parameters": parameters,
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": body_schema}}},
                "400": invalid,
                "401": errors("who"),
            },
            "security": [{scheme_names[rng.below(scheme_names.len())].clone(): []}],
        });
        if rng.below(2) == 0 {
            operation["responses"]["200"]["headers"] = Value::Object(shared_headers.clone());
        }
        if rng.below(2) == 0 {
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": body_schema}}});
        }
        let method = if operation.get("requestBody").is_some() { "post" } else { "get" };
        paths.insert(template, json!({ method: operation }));
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": rng.name(), "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": schemes},
    })
}

pub fn run(args: &Args) -> ExitCode {
    let root = super::repo_root();
    let scratch = root.join("target/names");
    // Scratch output, made whole each time: nothing else lives in this directory.
    let _ = std::fs::remove_dir_all(&scratch);
    let mut members = Vec::new();
    let mut features = Vec::new();
    for case in 0..args.cases {
        let seed = args.seed + case;
        let spec = document(&mut Rng(seed));
        let dir = scratch.join(format!("case-{seed}"));
        let spec_path = dir.join("openapi.json");
        if let Err(e) = write(&spec_path, &serde_json::to_string_pretty(&spec).unwrap_or_default()) {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
        let mut settings = codegen::Settings::new(format!("case-{seed}/openapi.json"))
            .with_models_crate(format!("names-{seed}-models"));
        settings.runtime = codegen::Runtime::Path(root.join("codegen/runtime").to_string_lossy().into_owned());
        if let Some(server) = &mut settings.server {
            server.crate_name = format!("names-{seed}-server");
            features.push(format!("{}/mock", server.crate_name));
        }
        if let Some(client) = &mut settings.client {
            client.crate_name = format!("names-{seed}-client");
        }
        let generated = match codegen::generate(&spec_path, &settings) {
            Ok(generated) => generated,
            Err(failure) => {
                eprint!("{}", codegen::render::render(&failure.diagnostics, &failure.sources, false));
                eprintln!("error: seed {seed}: the document {} was refused", spec_path.display());
                return ExitCode::FAILURE;
            }
        };
        for file in &generated.files {
            if let Err(e) = write(&dir.join(&file.path), &file.contents) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
            if file.path.ends_with("/Cargo.toml") {
                members.push(format!("\"case-{seed}/{}\"", file.path.trim_end_matches("/Cargo.toml")));
            }
        }
        eprintln!("seed {seed}: generated {} files ({} warnings)", generated.files.len(), generated.warnings.len());
    }
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    if let Err(e) = write(&scratch.join("Cargo.toml"), &manifest) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    // Shared dependencies resolve to the versions the repository pins.
    let _ = std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"));
    eprintln!("building {} crates with clippy (-D warnings)", members.len());
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["clippy", "--quiet", "--workspace", "--all-targets", "--features"])
        .arg(features.join(","))
        .args(["--", "-D", "warnings"])
        // The repository's target directory: the generated crates' dependencies are built.
        .env("CARGO_TARGET_DIR", super::target_dir(&root))
        // Scratch crates are built once: incremental data would only fill the disk (Stripe's
        // is tens of gigabytes).
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(&scratch)
        .status();
    match status {
        Ok(status) if status.success() => {
            println!("{} documents of adversarial names: every crate builds clean", args.cases);
            ExitCode::SUCCESS
        }
        Ok(_) => {
            eprintln!(
                "error: generated code does not build; the documents are under {} (replay one with --seed S --cases 1)",
                scratch.display()
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    let parent: PathBuf = path.parent().map(Path::to_path_buf).unwrap_or_default();
    std::fs::create_dir_all(&parent)
        .and_then(|()| std::fs::write(path, text))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
