//! Values the mock makes up (`codegen::synth`) decode into the generated types and pass their
//! validation: every named type of the golden fixtures, by construction of the same IR.

use std::path::Path;

use serde_json::Value;
use shapes_models::support::Validate;

/// The fixture's IR, as the generator lowers it.
fn ir(fixture: &str) -> codegen::ir::Ir {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let document = codegen::load::load(&path).expect("fixture loads");
    let api = codegen::validate::validate(&document.json).expect("fixture is valid");
    let options = codegen::lower::Options {
        tags: Vec::new(),
        operations: Vec::new(),
        type_overrides: Default::default(),
        crate_version: None,
    };
    codegen::lower::lower(&api, &options).0
}

type Check = fn(Value) -> Result<(), String>;

fn check<T: serde::de::DeserializeOwned + Validate>(value: Value) -> Result<(), String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| format!("{value} does not decode: {e}"))?;
    typed.validate().map_err(|e| format!("{value} is invalid: {e:?}"))
}

/// `(Rust name, check)` for each listed type of a models crate.
macro_rules! checks {
    ($krate:ident: $($name:ident),* $(,)?) => {
        &[$((stringify!($name), check::<$krate::$name> as Check)),*]
    };
}

/// Every type of the fixture gets a value (unless none exists), and it passes its check; the
/// list of checks names every type, so a new type in a fixture cannot be skipped.
fn every_type(fixture: &str, checks: &[(&str, Check)]) {
    let ir = ir(fixture);
    let synth = codegen::synth::Synth::new(&ir);
    let mut failures = Vec::new();
    for def in &ir.types {
        let name = def.name.unraw();
        let Some((_, check)) = checks.iter().find(|(n, _)| n.trim_start_matches("r#") == name) else {
            failures.push(format!("{name}: not in the list of checks"));
            continue;
        };
        let ty = codegen::ir::Type::Named(def.name.clone());
        match synth.value(&ty, &Default::default()) {
            Some(made) => {
                if let Err(e) = check(made.value) {
                    failures.push(format!("{name}: {e}"));
                }
            }
            None => failures.push(format!("{name}: no value made")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn made_up_values_of_every_shape_decode_and_validate() {
    use shapes_models as shapes;
    every_type(
        "shapes.yaml",
        checks!(shapes: Bounded, BoundedLevel, Circle, Created, Deleted, Event, Fields, FieldsInline, FieldsInlineMode, IdOrName, Kind,
            MaybeKind, Money, Nested, Paging, PagingOrder, Pet, PetRequest, Phase, Place, Plan, PutNoteBody, Range, RangeRangeFrom,
            RangeRangeTo, Shape, Square, Step, StepRest, StepWalk, Timestamped, Tree, UpdatePetBody),
    );
}

#[test]
fn made_up_values_of_colliding_names_decode_and_validate() {
    use naming_models as naming;
    every_type(
        "naming.yaml",
        checks!(naming: A, Box, Client, Credential, D, Error, Labels, N2faMethod, NewResponse, Nullable, Object, Operator, Option,
            PathTo, Reactions, Reactions2, Result, S, Self_),
    );
}

/// Values meet patterns the usual words do not (GitHub's base64 secrets, card positions and SSH
/// keys were made up as `"string"`, which the generated server refuses): they are spelled from
/// the pattern's syntax.
#[test]
fn patterns_are_met_from_their_syntax() {
    let ir = ir("wire.yaml");
    let synth = codegen::synth::Synth::new(&ir);
    for pattern in [
        "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$",
        r"^(?:top|bottom|after:\d+)$",
        "^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) ",
        r"^[A-Z]{3}-\d{4}$",
    ] {
        let constraints = codegen::ir::Constraints { pattern: Some(pattern.to_owned()), ..Default::default() };
        let made = synth.value(&codegen::ir::Type::String, &constraints).expect("a value");
        let text = made.value.as_str().expect("a string").to_owned();
        assert!(regex_lite::Regex::new(pattern).expect("compiles").is_match(&text), "{pattern}: {text:?}");
        assert!(made.unmet.is_empty(), "{pattern}: {:?}", made.unmet);
    }
}
