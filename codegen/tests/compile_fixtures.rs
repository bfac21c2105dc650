//! The snapshot crates (workspace members, so they are built and linted) behave as the spec
//! says: tri-state fields, strict optionals, formats, closed enums, read/write-only views,
//! recursion, unions, allOf, bundled files.

use naming_models as naming;
use serde_json::{Value, json};
use shapes_models as shapes;
use shapes_models::support;
use support::Nullable;

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: Value) -> Value {
    let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not parse: {e}"));
    serde_json::to_value(&typed).expect("serialises")
}

fn rejects<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    match serde_json::from_value::<T>(value.clone()) {
        Ok(typed) => panic!("{value} was accepted as {typed:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn absent_null_and_value_stay_distinct() {
    let base = json!({"required_plain": "a", "required_nullable": null});
    assert_eq!(round_trip::<shapes::Fields>(base.clone()), base);
    let with_null = json!({"required_plain": "a", "required_nullable": "b", "optional_nullable": null});
    assert_eq!(round_trip::<shapes::Fields>(with_null.clone()), with_null);
    let fields: shapes::Fields = serde_json::from_value(with_null).expect("parses");
    assert_eq!(fields.optional_nullable, Nullable::Null);
    let fields: shapes::Fields = serde_json::from_value(base).expect("parses");
    assert_eq!(fields.optional_nullable, Nullable::Absent);
    let with_value = json!({"required_plain": "a", "required_nullable": null, "optional_nullable": "x"});
    let fields: shapes::Fields = serde_json::from_value(with_value).expect("parses");
    assert_eq!(fields.optional_nullable, Nullable::Value("x".to_owned()));
}

#[test]
fn schema_defaults_apply_to_absent_fields() {
    let absent: shapes::Paging = serde_json::from_value(json!({})).expect("parses");
    assert_eq!(absent.limit, Some(20));
    assert_eq!(absent.order, Some(shapes::PagingOrder::Desc));
    assert_eq!(absent.tags, Some(vec!["new".to_owned()]));
    let given: shapes::Paging =
        serde_json::from_value(json!({"limit": 5, "order": "asc", "tags": []})).expect("parses");
    assert_eq!((given.limit, given.order, given.tags), (Some(5), Some(shapes::PagingOrder::Asc), Some(Vec::new())));
    // A default does not make `null` acceptable where the schema is not nullable.
    rejects::<shapes::Paging>(json!({"limit": null}));
}

#[test]
fn array_items_are_checked_against_their_own_constraints() {
    use support::Validate;
    let fields: shapes::Fields = serde_json::from_value(json!({
        "required_plain": "a", "required_nullable": null, "scores": [1, -1, 2, 3], "labels": ["ok", ""]
    }))
    .expect("parses");
    let messages: Vec<String> = fields.validate().unwrap_err().iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "scores must have at most 3 items",
            "scores[1] must not be less than 0",
            "labels[1] must be at least 1 characters long"
        ]
    );
}

#[test]
fn objects_are_objects_not_arrays_of_fields() {
    let message = rejects::<shapes::Fields>(json!(["a", null]));
    assert!(message.contains("expected a JSON object"), "{message}");
    rejects::<shapes::Tree>(json!({"value": 1, "left": [2]}));
    rejects::<shapes::Shape>(json!(["round", 1.0]));
}

#[test]
fn null_is_rejected_where_the_schema_is_not_nullable() {
    rejects::<shapes::Fields>(json!({"required_plain": "a", "required_nullable": null, "optional_plain": null}));
    rejects::<shapes::Fields>(json!({"required_plain": null, "required_nullable": null}));
    rejects::<shapes::Fields>(json!({"required_nullable": null}));
}

#[test]
fn read_only_and_write_only_fields_split_a_shared_schema() {
    let request = json!({"name": "Tom", "kind": "cat", "secret": "s3"});
    assert_eq!(round_trip::<shapes::PetRequest>(request.clone()), request);
    let message = rejects::<shapes::PetRequest>(json!({"id": "p1", "name": "Tom", "kind": "cat"}));
    assert!(message.contains("unknown field `id`"), "{message}");
    let response = json!({"id": "p1", "name": "Tom", "kind": "dog", "registered_at": "2024-01-02T03:04:05Z"});
    assert_eq!(round_trip::<shapes::Pet>(response.clone()), response);
    let message = rejects::<shapes::Pet>(json!({"id": "p1", "name": "Tom", "kind": "dog", "secret": "s3"}));
    assert!(message.contains("unknown field `secret`"), "{message}");
}

#[test]
fn formats_are_checked_when_parsed() {
    let message = rejects::<shapes::PetRequest>(json!({"name": "Tom", "kind": "cat", "owner_email": "nope"}));
    assert!(message.contains("not a valid email address"), "{message}");
    rejects::<shapes::PetRequest>(json!({"name": "Tom", "kind": "cat", "born": "2024-13-01"}));
    rejects::<shapes::Created>(json!({"at": "yesterday"}));
    for good in ["a@b.co", "first.last+tag@sub.example.com"] {
        assert!(support::Email::parse(good).is_ok(), "{good}");
    }
    for bad in ["", "a", "a@b", "@b.co", "a@b..co", "a b@c.co", "a@-b.co"] {
        assert!(support::Email::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn enums_are_closed_and_know_their_default() {
    assert_eq!(shapes::Kind::default(), shapes::Kind::Dog);
    assert_eq!(shapes::Kind::Cat.to_string(), "cat");
    rejects::<shapes::Kind>(json!("bird"));
    let values: Vec<&str> = naming::Operator::ALL.iter().map(|o| o.as_str()).collect();
    assert_eq!(values, ["add", "Add", "ADD", "+1", "-1", "", "sub-tract"]);
    assert_eq!(round_trip::<naming::Operator>(json!("-1")), json!("-1"));
}

#[test]
fn awkward_property_names_keep_their_wire_names() {
    let value = json!({"reactions-+1": 1, "reactions--1": 2, "type": "t", "self": "s", "match": true, "2fa": false,
        "userName": "u", "user_name": "v", "@id": "i"});
    assert_eq!(round_trip::<naming::Reactions>(value.clone()), value);
    let labels = json!({"additional_properties": "declared", "a": 1, "b": 2});
    assert_eq!(round_trip::<naming::Labels>(labels.clone()), labels);
}

#[test]
fn recursive_types_are_boxed() {
    let tree = json!({"value": 1, "left": {"value": 2}, "children": [{"value": 3, "children": []}]});
    assert_eq!(round_trip::<shapes::Tree>(tree.clone()), tree);
    let nested = json!([[], [[]]]);
    assert_eq!(round_trip::<shapes::Nested>(nested.clone()), nested);
}

#[test]
fn unions_with_and_without_discriminator() {
    let circle = json!({"shape": "round", "radius": 1.5});
    assert_eq!(round_trip::<shapes::Shape>(circle.clone()), circle);
    assert!(matches!(serde_json::from_value(circle), Ok(shapes::Shape::Circle(_))));
    let message = rejects::<shapes::Shape>(json!({"shape": "hexagon", "side": 1.0}));
    assert!(message.contains("hexagon"), "{message}");
    rejects::<shapes::Shape>(json!({"side": 1.0}));
    // The variant decides the tag: a Circle is written as `round` whatever its field says.
    let wrong = shapes::Shape::Circle(shapes::Circle { shape: "square".into(), radius: 2.0 });
    assert_eq!(serde_json::to_value(&wrong).expect("serialises"), json!({"shape": "round", "radius": 2.0}));

    let created = json!({"event": "Created", "at": "2024-01-02T03:04:05Z"});
    assert_eq!(round_trip::<shapes::Event>(created.clone()), created);
    assert!(matches!(serde_json::from_value(json!({"event": "Deleted", "id": "x"})), Ok(shapes::Event::Deleted(_))));

    assert_eq!(serde_json::from_value::<shapes::IdOrName>(json!(7)).ok(), Some(shapes::IdOrName::Integer(7)));
    assert_eq!(round_trip::<shapes::IdOrName>(json!("seven")), json!("seven"));
}

#[test]
fn variants_that_fix_a_property_are_tagged_by_it() {
    // One type per union: the tag is the enum's, not a one-value enum in each variant.
    let range: shapes::Range = serde_json::from_value(json!({"type": "range_from", "start": 3})).expect("parses");
    assert_eq!(range, shapes::Range::RangeFrom(shapes::RangeRangeFrom { start: 3 }));
    assert_eq!(
        round_trip::<shapes::Range>(json!({"end": 9, "type": "range_to"})),
        json!({"type": "range_to", "end": 9})
    );
    assert_eq!(round_trip::<shapes::Range>(json!({"type": "full"})), json!({"type": "full"}));
    assert!(rejects::<shapes::Range>(json!({"type": "range", "end": 1})).contains("unknown variant"));
    rejects::<shapes::Range>(json!({"type": "range_to"}));
    rejects::<shapes::Range>(json!({"end": 1}));
    // A declared discriminator over such variants works the same; a title names its variant.
    let step: shapes::Step = serde_json::from_value(json!({"kind": "rest", "minutes": 5})).expect("parses");
    assert_eq!(step, shapes::Step::Rest(shapes::StepRest { minutes: Some(5) }));
    assert_eq!(
        round_trip::<shapes::Step>(json!({"kind": "walk", "distance": 1.5})),
        json!({"kind": "walk", "distance": 1.5})
    );
    use support::Validate;
    assert!(shapes::Step::Rest(shapes::StepRest { minutes: Some(0) }).validate().is_err(), "variants are validated");
}

#[test]
fn a_schema_written_out_twice_is_one_type_named_by_what_its_places_share() {
    let place = shapes::Place { city: "Lyon".into(), street: None };
    let plan = shapes::Plan {
        range: shapes::Range::Full,
        phase: shapes::Phase::Done,
        step: shapes::Step::Rest(shapes::StepRest { minutes: None }),
        from_place: Some(place.clone()),
        to_place: Some(place),
    };
    assert_eq!(plan.from_place, plan.to_place);
}

/// Every value of every enum is written and read as its wire text, whichever `rename_all` rule
/// and `rename`s spell it.
#[test]
fn enum_values_travel_as_their_wire_text() {
    fn each<T>(all: &[T])
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug + std::fmt::Display,
    {
        for value in all {
            let wire = json!(value.to_string());
            assert_eq!(serde_json::to_value(value).expect("serialises"), wire);
            assert_eq!(&serde_json::from_value::<T>(wire).expect("parses"), value);
        }
    }
    each(shapes::Kind::ALL);
    each(shapes::PagingOrder::ALL);
    each(shapes::FieldsInlineMode::ALL);
    each(shapes::BoundedLevel::ALL);
    each(shapes::Phase::ALL);
    each(naming::N2faMethod::ALL);
    each(naming::Operator::ALL);
    each(naming::Nullable::ALL);
}

#[test]
fn a_union_of_one_value_enums_is_one_enum() {
    assert_eq!(shapes::Phase::ALL, &[shapes::Phase::Planned, shapes::Phase::Running, shapes::Phase::Done]);
    assert_eq!(round_trip::<shapes::Phase>(json!("running")), json!("running"));
    rejects::<shapes::Phase>(json!("paused"));
}

#[test]
fn all_of_merges_parts_and_other_files_are_bundled() {
    let value = json!({"at": "2024-01-02T03:04:05Z", "note": "n"});
    assert_eq!(round_trip::<shapes::Timestamped>(value.clone()), value);
    rejects::<shapes::Timestamped>(json!({"at": "2024-01-02T03:04:05Z"}));
    let money = json!({"amount": 250, "currency": "EUR"});
    assert_eq!(round_trip::<shapes::Money>(money.clone()), money);
}

/// Schemas named like serde's generic parameters (`D`, `S`, `A`), the generator's old visitor
/// (`Object`) and prelude types (`Option`, `Result`) compile, parse only objects and validate
/// through one another.
#[test]
fn names_of_generic_parameters_and_prelude_types_are_ordinary_types() {
    use naming::support::Validate;
    let value = json!({"s": {"a": {"object": {"option": {"result": {"name": ""}}}}}});
    let parsed: naming::D = serde_json::from_value(value.clone()).expect("a D");
    assert_eq!(serde_json::to_value(&parsed).expect("serialises"), value);
    let violations = parsed.validate().expect_err("an empty name is too short");
    assert_eq!(violations[0].path, "s.a.object.option.result.name");
    assert!(rejects::<naming::D>(json!([{"a": {}}])).contains("expected"), "an array is not a D");
}
