//! Phase 1: read the root document (YAML or JSON) and every file its `$ref`s name, into one JSON
//! value, and keep the texts so that a JSON pointer can be turned into `file:line:col` later.
//!
//! References to other files are bundled: the target is copied into the root document's
//! `components` and the reference rewritten to point there, so later phases only ever see local
//! references. `normalise` is the seam where OpenAPI 3.1 documents will be lowered to 3.0.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, pointer_push, pointer_segments};

/// One file that was read.
#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    /// JSON pointer → position of the value (or of its key), built on first use.
    index: OnceCell<BTreeMap<String, (usize, usize)>>,
}

impl Source {
    fn new(path: PathBuf, text: String) -> Self {
        Source { path, text, index: OnceCell::new() }
    }

    /// The position of the deepest node on the way to `pointer` (1-based line and column); the
    /// start of the file when not even the root is a node (an empty or scalar document).
    pub fn position(&self, pointer: &str) -> (usize, usize) {
        let index = self.index.get_or_init(|| index_positions(&self.text));
        let mut segments = pointer_segments(pointer);
        loop {
            let key = segments.iter().fold(String::from("#"), |acc, s| pointer_push(&acc, s));
            if let Some(position) = index.get(&key) {
                return *position;
            }
            if segments.pop().is_none() {
                return (1, 1);
            }
        }
    }
}

/// The loaded document with everything needed to locate diagnostics.
#[derive(Debug)]
pub struct Document {
    /// The bundled document: only local references remain.
    pub json: Value,
    /// `sources[0]` is the root document; the rest are referenced files.
    pub sources: Vec<Source>,
    /// Bundled components: local pointer → (source index, pointer in that source).
    origins: BTreeMap<String, (usize, String)>,
    /// Warnings of loading (e.g. a 3.1 document read as 3.0).
    pub warnings: Vec<Diagnostic>,
}

impl Document {
    /// Fills in the location of each diagnostic from its pointer.
    pub fn locate(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics.into_iter().map(|d| self.locate_one(d)).collect()
    }

    fn locate_one(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        if diagnostic.location.is_some() {
            return diagnostic;
        }
        let (source, pointer) = match &diagnostic.file {
            Some(file) => match self.sources.iter().find(|s| &s.path == file) {
                Some(source) => (source, diagnostic.pointer.clone()),
                None => return diagnostic,
            },
            None => self.origin_of(&diagnostic.pointer),
        };
        let (line, column) = source.position(&pointer);
        diagnostic.location = Some(Box::new(Location { file: source.path.clone(), line, column }));
        diagnostic
    }

    /// Maps a pointer into the bundled document back to the file it came from.
    fn origin_of(&self, pointer: &str) -> (&Source, String) {
        let (index, original) = origin(&self.origins, pointer);
        match self.sources.get(index) {
            Some(source) => (source, original),
            None => (&self.sources[0], pointer.to_owned()), // ok: sources always holds the root document
        }
    }

    pub fn root(&self) -> &Source {
        &self.sources[0] // ok: sources always holds the root document
    }
}

/// Reads and bundles the document at `path`. Errors are located.
pub fn load(path: &Path) -> Result<Document, Vec<Diagnostic>> {
    let mut loader = Loader {
        sources: Vec::new(),
        parsed: Vec::new(),
        origins: BTreeMap::new(),
        imports: BTreeMap::new(),
        taken: Default::default(),
        diagnostics: Diagnostics::default(),
    };
    let root = match loader.read(path) {
        Ok(index) => index,
        Err(diagnostic) => return Err(vec![diagnostic]),
    };
    let mut json = loader.parsed[root].clone();
    check_version(&json, &mut loader.diagnostics);
    if !loader.diagnostics.has_errors() {
        normalise(&mut json, &mut loader.diagnostics);
    }
    if !loader.diagnostics.has_errors() {
        if let Some(components) = json.get("components").and_then(Value::as_object) {
            for (section, items) in components {
                for name in items.as_object().into_iter().flat_map(|m| m.keys()) {
                    loader.taken.insert((section.clone(), name.clone()));
                }
            }
        }
        let mut imported = BTreeMap::new();
        loader.bundle_refs(&mut json, root, "#", &mut Vec::new(), &mut imported);
        for ((section, name), value) in imported {
            insert_component(&mut json, &section, &name, value);
        }
        loader.hoist_defs(&mut json);
    }
    // 3.1's reusable path items have been inlined where paths referenced them; 3.0 has no such
    // section.
    if let Some(components) = json.get_mut("components").and_then(Value::as_object_mut) {
        components.remove("pathItems");
    }
    // A key of `paths` that is not a path is ignored by the typed parser: say so, it is usually
    // a `$ref` or a method indented one level too little.
    for key in json.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.keys()) {
        if !key.starts_with('/') && !key.starts_with("x-") {
            loader.diagnostics.push(
                Diagnostic::warning(
                    pointer_push("#/paths", key),
                    format!("`{key}` is not a path (paths start with `/`), so it is ignored"),
                )
                .with_hint(format!(
                    "is `{key}` indented one level too little? It belongs under a path such as `/things:`"
                )),
            );
        }
    }
    let Loader { sources, origins, diagnostics, .. } = loader;
    let mut document = Document { json, sources, origins, warnings: Vec::new() };
    if diagnostics.has_errors() {
        return Err(document.locate(diagnostics.into_vec()));
    }
    document.warnings = document.locate(diagnostics.into_vec());
    Ok(document)
}

/// OpenAPI versions this generator reads.
fn check_version(json: &Value, diagnostics: &mut Diagnostics) {
    match json.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) if v.starts_with("3.1.") => {}
        Some(v) => diagnostics.push(
            Diagnostic::error("#/openapi", format!("unsupported OpenAPI version {v:?}"))
                .with_hint("this generator reads OpenAPI 3.0.x (and 3.1.x through normalisation)"),
        ),
        None if json.get("swagger").is_some() => diagnostics.push(
            Diagnostic::error("#/swagger", "Swagger 2.0 documents are not supported")
                .with_hint("convert the document to OpenAPI 3.0 first"),
        ),
        None if !json.is_object() => diagnostics.error("#", "the document is not an object"),
        None => diagnostics.push(
            Diagnostic::error("#", "missing `openapi` version field").with_hint("add `openapi: 3.0.3` at the top"),
        ),
    }
}

/// The seam for OpenAPI 3.1: lowers a 3.1 document to its 3.0 equivalent before `openapiv3`
/// sees it. Schema keywords: `type` arrays become `type` + `nullable` (or `oneOf`), `type: null`
/// an `enum: [null]`, `const` a one-value `enum`, `examples` arrays an `example`, numeric
/// `exclusiveMinimum`/`exclusiveMaximum` the 3.0 boolean form; JSON Schema bookkeeping keys are
/// dropped. Documents without `paths` get an empty one; webhooks are not generated (a warning).
fn normalise(json: &mut Value, diagnostics: &mut Diagnostics) {
    let Some(version) = json.get("openapi").and_then(Value::as_str).map(str::to_owned) else { return };
    if !version.starts_with("3.1.") {
        return;
    }
    // Lowering these loses nothing, so it is a note, which `--deny-warnings` lets pass.
    diagnostics.push(Diagnostic::note(
        "#/openapi",
        format!("OpenAPI {version} is read as 3.0 (type arrays, const, examples arrays and numeric exclusive bounds are lowered)"),
    ));
    let Some(root) = json.as_object_mut() else { return };
    root.insert("openapi".into(), Value::from("3.0.3"));
    root.entry("paths").or_insert_with(|| Value::Object(Default::default()));
    if let Some(webhooks) = root.remove("webhooks") {
        diagnostics.warning("#/webhooks", "webhooks are not generated");
        // Kept under a name 3.0 allows, for `diff`, which compares them like callbacks.
        root.insert("x-webhooks".into(), webhooks);
    }
    root.remove("jsonSchemaDialect");
    if let Some(license) = root.get_mut("info").and_then(|i| i.get_mut("license")).and_then(Value::as_object_mut) {
        license.remove("identifier");
    }
    let mut mutual_tls = Vec::new();
    if let Some(schemes) =
        root.get_mut("components").and_then(|c| c.get_mut("securitySchemes")).and_then(Value::as_object_mut)
    {
        mutual_tls = schemes
            .iter()
            .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(name, _)| name.clone())
            .collect();
        for name in &mutual_tls {
            schemes.remove(name);
            diagnostics.warning(
                format!("#/components/securitySchemes/{}", name.replace('~', "~0").replace('/', "~1")),
                "mutualTLS is the TLS layer's to check, not the generated code's: the scheme is dropped, and \
                 a requirement that named only it asks for no credential",
            );
        }
    }
    if !mutual_tls.is_empty() {
        strip_schemes(root, &mutual_tls);
    }
    normalise_node(json, &mut Vec::new(), diagnostics);
}

/// `dependentRequired` as the normaliser hands it to the typed 3.0 parser, which keeps only
/// `x-` keys; the generated validation checks it.
pub(crate) const DEPENDENT_REQUIRED: &str = "x-dependentRequired";

/// JSON Schema 2020-12 keywords with meaning that OpenAPI 3.0 (and so the generated code) does
/// not have: each one met is said, not dropped silently.
const UNCARRIED: [&str; 12] = [
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "propertyNames",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Removes `names` from every security requirement (the document's and each operation's).
fn strip_schemes(root: &mut serde_json::Map<String, Value>, names: &[String]) {
    let strip = |security: Option<&mut Value>| {
        for requirement in security.and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(requirement) = requirement.as_object_mut() {
                requirement.retain(|name, _| !names.contains(name));
            }
        }
    };
    strip(root.get_mut("security"));
    for item in root.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|paths| paths.values_mut()) {
        for op in item.as_object_mut().into_iter().flat_map(|item| item.values_mut()) {
            strip(op.get_mut("security"));
        }
    }
}

fn normalise_node(value: &mut Value, path: &mut Vec<String>, diagnostics: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            if !is_name_map(path) {
                normalise_schema_keywords(map);
                for keyword in UNCARRIED.iter().filter(|k| map.contains_key(**k)) {
                    let pointer = path
                        .iter()
                        .chain([&keyword.to_string()])
                        .fold(String::from("#"), |acc, s| pointer_push(&acc, s));
                    diagnostics.warning(
                        pointer,
                        format!("`{keyword}` (JSON Schema 2020-12) is not carried: the generated code ignores it"),
                    );
                }
            }
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                if is_literal(path, &key) {
                    continue;
                }
                if let Some(child) = map.get_mut(&key) {
                    path.push(key);
                    normalise_node(child, path, diagnostics);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                normalise_node(item, path, diagnostics);
                path.pop();
            }
        }
        _ => {}
    }
}

fn normalise_schema_keywords(map: &mut serde_json::Map<String, Value>) {
    for key in ["$schema", "$id", "$anchor", "$comment", "$dynamicAnchor", "$recursiveAnchor"] {
        map.remove(key);
    }
    // `contentMediaType` / `contentEncoding` stay: the typed parser drops them (a string is a
    // string to the generator), and the diff compares them.
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let named: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
        if named.len() < types.len() {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match named.as_slice() {
            [] => {
                map.remove("type");
                map.insert("enum".into(), serde_json::json!([null]));
            }
            [one] => {
                map.insert("type".into(), one.clone());
            }
            many => {
                map.remove("type");
                let alternatives = many.iter().map(|t| serde_json::json!({"type": t})).collect();
                map.insert("oneOf".into(), Value::Array(alternatives));
            }
        }
    } else if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
        map.insert("enum".into(), serde_json::json!([null]));
    }
    if let Some(constant) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![constant]));
    }
    // Kept as it is too: the diff compares the 3.1 keyword.
    if let Some(dependent) = map.get("dependentRequired").cloned() {
        map.insert(DEPENDENT_REQUIRED.into(), dependent);
    }
    if let Some(Value::Array(examples)) = map.get("examples").cloned() {
        map.remove("examples");
        if let Some(first) = examples.into_iter().next() {
            map.entry("example").or_insert(first);
        }
    }
    for (bound, limit) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(number @ Value::Number(_)) = map.get(bound).cloned() {
            map.insert(limit.into(), number);
            map.insert(bound.into(), Value::Bool(true));
        }
    }
}

/// JSON pointers in URI fragments may be percent-encoded (RFC 6901, section 6): `#/a%20b`
/// names the key `a b`. Decoded once here, so later phases see plain pointers.
fn decode_fragment(reference: &mut String) {
    if let Some((base, fragment)) = reference.split_once('#')
        && fragment.contains('%')
        && let Ok(decoded) = percent_encoding::percent_decode_str(fragment).decode_utf8()
    {
        *reference = format!("{base}#{decoded}");
    }
}

struct Loader {
    sources: Vec<Source>,
    parsed: Vec<Value>,
    origins: BTreeMap<String, (usize, String)>,
    /// (source index, pointer) → the local reference it was bundled as; also ends recursion
    /// through self-referencing files.
    imports: BTreeMap<(usize, String), String>,
    /// (section, name) of the root document's own components, which bundled ones must not shadow.
    taken: std::collections::BTreeSet<(String, String)>,
    diagnostics: Diagnostics,
}

impl Loader {
    /// Reads and parses one file (once), returning its index.
    fn read(&mut self, path: &Path) -> Result<usize, Diagnostic> {
        if let Some(index) = self.sources.iter().position(|s| s.path == path) {
            return Ok(index);
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::error("#", format!("cannot read {}: {e}", path.display())))?;
        let value = parse(path, &text)?;
        self.sources.push(Source::new(path.to_path_buf(), text));
        self.parsed.push(value);
        Ok(self.sources.len() - 1)
    }

    /// Rewrites every `$ref` under `value` (which lives in source `file` at `pointer`) that names
    /// another file into a local reference, importing the target into `imported`.
    fn bundle_refs(
        &mut self,
        value: &mut Value,
        file: usize,
        pointer: &str,
        context: &mut Vec<String>,
        imported: &mut BTreeMap<(String, String), Value>,
    ) {
        // A path item given by `$ref` (to another file, or within one) is replaced by its target:
        // OpenAPI 3.0 has no place for path items among components.
        if let [paths, _] = context.as_slice()
            && paths == "paths"
            && let Some(Value::String(reference)) = value.get("$ref")
        {
            let mut reference = reference.clone();
            decode_fragment(&mut reference);
            let ref_pointer = pointer_push(pointer, "$ref");
            match self.path_item(&reference, file, &ref_pointer) {
                Ok((target, fragment, item)) => {
                    *value = item;
                    // Later diagnostics under this path point at the target.
                    self.origins.insert(pointer.to_owned(), (target, fragment.clone()));
                    return self.bundle_refs(value, target, &fragment, context, imported);
                }
                Err(d) => return self.diagnostics.push(d),
            }
        }
        match value {
            Value::Object(map) => {
                // In the root document `#…` points into itself and stays; in another file it
                // points into that file, so it is imported like any external reference.
                if !is_name_map(context)
                    && let Some(Value::String(reference)) = map.get_mut("$ref")
                    && {
                        decode_fragment(reference);
                        !reference.starts_with('#') || file != 0
                    }
                {
                    let ref_pointer = pointer_push(pointer, "$ref");
                    match self.import(reference, file, &ref_pointer, context, imported) {
                        Ok(local) => *reference = local,
                        Err(d) => self.diagnostics.push(d),
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    if is_literal(context, key) {
                        continue;
                    }
                    context.push(key.clone());
                    self.bundle_refs(child, file, &pointer_push(pointer, key), context, imported);
                    context.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    context.push(i.to_string());
                    self.bundle_refs(child, file, &pointer_push(pointer, &i.to_string()), context, imported);
                    context.pop();
                }
            }
            _ => {}
        }
    }

    /// The target of a path item's `$ref`: (its file, its pointer there, a copy), following a
    /// chain of such references a few steps.
    /// Where a `$ref` written in `file` points: the file it names (relative to `file`; `file`
    /// itself for `#…`), read on first use, and its fragment as a pointer. Remote references are
    /// refused.
    fn locate_ref(&mut self, reference: &str, file: usize, ref_pointer: &str) -> Result<(usize, String), Diagnostic> {
        let here = self.sources[file].path.clone(); // ok: `file` is an index handed out by `read`
        if reference.contains("://") {
            return Err(Diagnostic::error(ref_pointer, format!("remote reference {reference:?} is not supported"))
                .with_hint("download the file and reference it by a relative path")
                .in_file(here));
        }
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if file_part.is_empty() {
            file
        } else {
            let path = here.parent().unwrap_or(Path::new(".")).join(file_part);
            self.read(&path).map_err(|d| Diagnostic { pointer: ref_pointer.to_owned(), ..d }.in_file(here.clone()))?
        };
        let fragment = if fragment.is_empty() { "#".to_owned() } else { format!("#{fragment}") };
        Ok((target, fragment))
    }

    /// A copy of what `fragment` points at in `target`, or a located error for `reference`
    /// (written in `file`).
    fn value_at(
        &self,
        target: usize,
        fragment: &str,
        reference: &str,
        file: usize,
        ref_pointer: &str,
    ) -> Result<Value, Diagnostic> {
        lookup(&self.parsed[target], &pointer_segments(fragment)) // ok: `target` comes from `read`
            .cloned()
            .ok_or_else(|| {
                let target_path = self.sources[target].path.display(); // ok: as above
                Diagnostic::error(
                    ref_pointer,
                    format!("{reference:?} does not resolve: {fragment} is not in {target_path}"),
                )
                .in_file(self.sources[file].path.clone()) // ok: `file` is an index handed out by `read`
            })
    }

    /// The target of a path item's `$ref`: (its file, its pointer there, a copy), following a
    /// chain of such references a few steps.
    fn path_item(
        &mut self,
        reference: &str,
        file: usize,
        ref_pointer: &str,
    ) -> Result<(usize, String, Value), Diagnostic> {
        let (mut file, mut reference) = (file, reference.to_owned());
        for _ in 0..8 {
            let (target, fragment) = self.locate_ref(&reference, file, ref_pointer)?;
            let item = self.value_at(target, &fragment, &reference, file, ref_pointer)?;
            match item.get("$ref").and_then(Value::as_str) {
                Some(next) => (file, reference) = (target, next.to_owned()),
                None => return Ok((target, fragment, item)),
            }
        }
        Err(Diagnostic::error(ref_pointer, format!("the path item {reference:?} is a chain of more than 8 references"))
            .in_file(self.sources[file].path.clone())) // ok: `file` is an index handed out by `read`
    }

    fn import(
        &mut self,
        reference: &str,
        file: usize,
        ref_pointer: &str,
        context: &mut [String],
        imported: &mut BTreeMap<(String, String), Value>,
    ) -> Result<String, Diagnostic> {
        let (target, fragment_pointer) = self.locate_ref(reference, file, ref_pointer)?;
        if let Some(local) = self.imports.get(&(target, fragment_pointer.clone())) {
            return Ok(local.clone());
        }
        let mut value = self.value_at(target, &fragment_pointer, reference, file, ref_pointer)?;
        let segments = pointer_segments(&fragment_pointer);
        let file_part = reference.split_once('#').map_or(reference, |(f, _)| f);
        let section = section_for(&segments, context);
        let stem = Path::new(file_part).file_stem().and_then(|s| s.to_str()).unwrap_or("Imported");
        let base = segments.last().cloned().unwrap_or_else(|| stem.to_owned());
        // Two different targets with the same name: the later one gets a numbered name.
        let mut name = base.clone();
        let mut n = 1;
        while imported.contains_key(&(section.clone(), name.clone()))
            || self.taken.contains(&(section.clone(), name.clone()))
        {
            n += 1;
            name = format!("{base}{n}");
        }
        let local = format!("#/components/{section}/{}", name.replace('~', "~0").replace('/', "~1"));
        self.origins.insert(local.clone(), (target, fragment_pointer.clone()));
        self.imports.insert((target, fragment_pointer.clone()), local.clone());
        imported.insert((section.clone(), name.clone()), Value::Null);
        self.bundle_refs(
            &mut value,
            target,
            &fragment_pointer,
            &mut vec!["components".into(), section.clone(), name.clone()],
            imported,
        );
        imported.insert((section, name), value);
        Ok(local)
    }
}

/// Which `components` section a bundled reference belongs in: from the target's own pointer
/// when it names one, else from where the reference appears.
fn section_for(target: &[String], context: &[String]) -> String {
    if let [first, section, ..] = target
        && first == "components"
    {
        return section.clone();
    }
    let parent = context.iter().rev().nth(1).map(String::as_str);
    let last = context.last().map(String::as_str);
    match (parent, last) {
        (Some("responses"), _) => "responses",
        (Some("parameters"), _) => "parameters",
        (_, Some("requestBody")) => "requestBodies",
        (Some("headers"), _) => "headers",
        (Some("examples"), _) => "examples",
        (Some("securitySchemes"), _) => "securitySchemes",
        (Some("callbacks"), _) => "callbacks",
        _ => "schemas",
    }
    .to_owned()
}

impl Loader {
    /// JSON Schema's `$defs` (OpenAPI 3.1) become component schemas, which 3.0 and the rest of
    /// the generator know: each definition is named by its key (or, when a component has that
    /// name, prefixed with its owner's), references to `…/$defs/Name` are rewritten, and the
    /// moved schema keeps its place in the source for diagnostics.
    fn hoist_defs(&mut self, json: &mut Value) {
        let mut hoisted: Vec<Def> = Vec::new();
        collect_defs(json, &mut Vec::new(), &mut hoisted);
        if hoisted.is_empty() {
            return;
        }
        let mut moves: Vec<(String, String)> = Vec::new();
        for Def { pointer: old, owner, name, schema } in hoisted {
            let mut candidate = name.clone();
            let mut n = 1;
            while self.taken.contains(&("schemas".to_owned(), candidate.clone())) {
                n += 1;
                candidate = if n == 2 { format!("{owner}{name}") } else { format!("{owner}{name}{n}") };
            }
            self.taken.insert(("schemas".to_owned(), candidate.clone()));
            let new = pointer_push("#/components/schemas", &candidate);
            let from = origin(&self.origins, &old);
            self.origins.insert(new.clone(), from);
            insert_component(json, "schemas", &candidate, schema);
            moves.push((old, new));
        }
        rewrite_refs(json, &moves);
    }
}

/// The file (index into the sources) and the pointer in it that a pointer of the bundled
/// document came from, by the nearest recorded prefix; the root document otherwise.
fn origin(origins: &BTreeMap<String, (usize, String)>, pointer: &str) -> (usize, String) {
    for (prefix, (index, original)) in origins.range(..=pointer.to_owned()).rev() {
        if let Some(rest) = pointer.strip_prefix(prefix.as_str())
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return (*index, format!("{original}{rest}"));
        }
    }
    (0, pointer.to_owned())
}

/// A definition taken out of a `$defs`.
struct Def {
    /// Where it was.
    pointer: String,
    /// The nearest named thing it was defined in (its component), for a name when its own is taken.
    owner: String,
    name: String,
    schema: Value,
}

/// Takes every `$defs` out of the schemas below `value`, inner ones too.
fn collect_defs(value: &mut Value, path: &mut Vec<String>, out: &mut Vec<Def>) {
    match value {
        Value::Object(map) => {
            if !is_name_map(path)
                && let Some(Value::Object(defs)) = map.remove("$defs")
            {
                let owner = path.iter().rev().find(|s| s.parse::<usize>().is_err()).cloned().unwrap_or_default();
                for (name, mut def) in defs {
                    path.extend(["$defs".to_owned(), name.clone()]);
                    collect_defs(&mut def, path, out);
                    let pointer = path.iter().fold(String::from("#"), |acc, s| pointer_push(&acc, s));
                    out.push(Def { pointer, owner: owner.clone(), name, schema: def });
                    path.truncate(path.len() - 2);
                }
            }
            for (key, child) in map.iter_mut() {
                if is_literal(path, key) {
                    continue;
                }
                path.push(key.clone());
                collect_defs(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                collect_defs(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Points every `$ref` at a moved schema (or into one) at its new place.
fn rewrite_refs(value: &mut Value, moves: &[(String, String)]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                for (old, new) in moves {
                    if let Some(rest) = reference.strip_prefix(old.as_str())
                        && (rest.is_empty() || rest.starts_with('/'))
                    {
                        *reference = format!("{new}{rest}");
                        break;
                    }
                }
            }
            map.values_mut().for_each(|child| rewrite_refs(child, moves));
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_refs(item, moves)),
        _ => {}
    }
}

fn insert_component(json: &mut Value, section: &str, name: &str, value: Value) {
    let Some(root) = json.as_object_mut() else {
        return;
    };
    let components = root.entry("components").or_insert_with(|| Value::Object(Default::default()));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    let section = components.entry(section).or_insert_with(|| Value::Object(Default::default()));
    if let Some(section) = section.as_object_mut() {
        section.entry(name).or_insert(value);
    }
}

/// Keys whose children are user-chosen names, never OpenAPI keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "paths",
    "content",
    "encoding",
    "variables",
    "mapping",
    "webhooks",
    "pathItems",
    "$defs",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
];

/// Whether the object at `path` maps user-chosen names (so even a `$ref` key there is a name).
/// The last key is a keyword only where its parent is not itself such a map: a property named
/// `properties` is a name.
pub fn is_name_map(path: &[String]) -> bool {
    match path.split_last() {
        Some((last, parent)) => NAME_MAPS.contains(&last.as_str()) && !is_name_map(parent),
        None => false,
    }
}

/// Whether the value under `key` is literal data (an example, a default, an enum, an extension)
/// rather than part of the document's structure; `path` holds the keys leading to the object
/// that contains `key`. A `$ref` inside literal data is just data.
pub fn is_literal(path: &[String], key: &str) -> bool {
    if is_name_map(path) {
        return false;
    }
    let grand = path.len().checked_sub(2).and_then(|i| path.get(i)).map(String::as_str);
    matches!(key, "example" | "default" | "enum" | "const")
        || key.starts_with("x-")
        || (key == "value" && grand == Some("examples"))
}

/// Follows unescaped pointer segments into a value.
pub fn lookup<'a>(value: &'a Value, segments: &[String]) -> Option<&'a Value> {
    segments.iter().try_fold(value, |v, s| match v {
        Value::Object(map) => map.get(s),
        Value::Array(items) => s.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// Parses YAML or JSON into a JSON value. JSON is chosen by extension or a leading `{`.
fn parse(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    let is_json =
        path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) || text.trim_start().starts_with('{');
    let (message, line, column) = if is_json {
        match serde_json::from_str(text) {
            Ok(value) => return Ok(value),
            Err(e) => (e.to_string(), e.line(), e.column()),
        }
    } else {
        match yaml_serde::from_str::<Lenient>(text) {
            Ok(Lenient(value)) => return Ok(value),
            Err(e) => {
                let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
                (e.to_string(), line, column)
            }
        }
    };
    let mut diagnostic =
        Diagnostic::error("#", format!("not valid {}: {message}", if is_json { "JSON" } else { "YAML" }))
            .in_file(path.to_path_buf());
    diagnostic.location =
        Some(Box::new(Location { file: path.to_path_buf(), line: line.max(1), column: column.max(1) }));
    Err(diagnostic)
}

/// A JSON value read from YAML: like `serde_json::Value`'s own `Deserialize`, but integers
/// beyond 64 bits become floats (YAML allows them; `serde_json` refuses them) and non-string
/// keys become their text.
struct Lenient(Value);

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

fn float(value: f64) -> Value {
    serde_json::Number::from_f64(value).map(Value::Number).unwrap_or(Value::Null)
}

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(LenientVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Lenient(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((Lenient(key), Lenient(value))) = map.next_entry()? {
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Builds the pointer → position index of a YAML (or JSON) text from parser events. A mapping
/// value is located at its key, which is where a reader looks for it.
fn index_positions(text: &str) -> BTreeMap<String, (usize, usize)> {
    use saphyr_parser::{Event, Parser};

    enum Frame {
        Mapping { pointer: String, key: Option<String> },
        Sequence { pointer: String, next: usize },
    }

    let mut index = BTreeMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut key_position = (1, 1);
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        let position = (span.start.line(), span.start.col() + 1);
        // Where does a node starting here sit, and is it a mapping key?
        let mut node_pointer = None;
        match stack.last_mut() {
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                Some(k) => node_pointer = Some((pointer_push(pointer, &k), key_position)),
                None => {
                    if let Event::Scalar(value, ..) = &event {
                        *key = Some(value.to_string());
                        key_position = position;
                        continue;
                    }
                }
            },
            Some(Frame::Sequence { pointer, next }) => {
                if !matches!(event, Event::SequenceEnd) {
                    node_pointer = Some((pointer_push(pointer, &next.to_string()), position));
                    *next += 1;
                }
            }
            None => node_pointer = Some(("#".to_owned(), position)),
        }
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let (pointer, at) = node_pointer.unwrap_or_else(|| ("#".to_owned(), position));
                index.entry(pointer.clone()).or_insert(at);
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Mapping { pointer, key: None }
                } else {
                    Frame::Sequence { pointer, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Scalar(..) | Event::Alias(..) => {
                if let Some((pointer, at)) = node_pointer {
                    index.entry(pointer).or_insert(at);
                }
            }
            _ => {}
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_yaml_and_json_nodes() {
        let yaml = "a:\n  b:\n    - x\n    - {c: 1}\n  'd/e': 2\n";
        let index = index_positions(yaml);
        assert_eq!(index.get("#/a"), Some(&(1, 1)));
        assert_eq!(index.get("#/a/b/1"), Some(&(4, 7)));
        assert_eq!(index.get("#/a/b/1/c"), Some(&(4, 8)));
        assert_eq!(index.get("#/a/d~1e"), Some(&(5, 3)));
        let json = "{\n  \"paths\": {\n    \"/x\": {\"get\": 1}\n  }\n}";
        let index = index_positions(json);
        assert_eq!(index.get("#/paths/~1x/get"), Some(&(3, 12)));
    }
}
