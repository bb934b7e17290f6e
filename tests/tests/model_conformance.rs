//! Holds the Rust model against AWS's own model (`aws-models/ecs-register-task-definition.json`),
//! without going through the generated schema table: the AWS file is read here directly and
//! serde is driven on the Rust types. Every member of every reachable structure must exist with
//! the same wire name, the same required-ness and AWS's order; every enum value must be accepted
//! and nothing else.

// Tests unwrap freely: a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use ecsdef_model::{TaskDefinition, to_canonical_json};
use serde::Deserialize;
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value, json};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

struct AwsModel {
    shapes: Map<String, Value>,
    /// Member names of each structure in the file's order.
    order: BTreeMap<String, Vec<String>>,
}

fn aws_model() -> AwsModel {
    let text =
        std::fs::read_to_string(repo_root().join("aws-models/ecs-register-task-definition.json"))
            .unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let ordered: Ordered = serde_json::from_str(&text).unwrap();
    let mut order = BTreeMap::new();
    if let Some(shapes) = ordered.get("shapes") {
        for (name, shape) in shapes.entries() {
            if let Some(members) = shape.get("members") {
                order.insert(
                    name.clone(),
                    members.entries().iter().map(|(k, _)| k.clone()).collect(),
                );
            }
        }
    }
    AwsModel {
        shapes: value["shapes"].as_object().unwrap().clone(),
        order,
    }
}

/// A JSON value that keeps object keys in text order (serde_json's `Map` sorts them).
#[derive(Debug)]
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Scalar,
}

impl Ordered {
    fn get(&self, key: &str) -> Option<&Ordered> {
        match self {
            Ordered::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn entries(&self) -> &[(String, Ordered)] {
        match self {
            Ordered::Object(entries) => entries,
            _ => &[],
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    entries.push((k, v));
                }
                Ok(Ordered::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// How to build a sample document: which structure/member to leave out, which enum value to use.
#[derive(Default, Clone)]
struct Sample<'a> {
    omit: Option<(&'a str, &'a str)>,
    enum_value: Option<(&'a str, &'a str)>,
}

impl AwsModel {
    fn shape(&self, name: &str) -> &Value {
        &self.shapes[name]
    }

    fn required(&self, name: &str) -> BTreeSet<String> {
        self.shape(name)
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A document of shape `name` with every member set.
    fn sample(&self, name: &str, how: &Sample<'_>) -> Value {
        let shape = self.shape(name);
        match shape["type"].as_str().unwrap() {
            "structure" => {
                let mut object = Map::new();
                for member in &self.order[name] {
                    if how.omit == Some((name, member.as_str())) {
                        continue;
                    }
                    let target = shape["members"][member]["shape"].as_str().unwrap();
                    object.insert(member.clone(), self.sample(target, how));
                }
                Value::Object(object)
            }
            "list" => json!([self.sample(shape["member"]["shape"].as_str().unwrap(), how)]),
            "map" => json!({ "key": self.sample(shape["value"]["shape"].as_str().unwrap(), how) }),
            "string" => match shape.get("enum").and_then(Value::as_array) {
                Some(values) => match how.enum_value {
                    Some((enum_name, value)) if enum_name == name => json!(value),
                    _ => values[0].clone(),
                },
                None => json!("text"),
            },
            "integer" => json!(shape.get("min").and_then(Value::as_i64).unwrap_or(1)),
            "boolean" => json!(true),
            other => panic!("unexpected shape type {other}"),
        }
    }

    fn reachable(&self) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec!["RegisterTaskDefinitionRequest".to_owned()];
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let shape = self.shape(&name);
            if let Some(members) = shape.get("members").and_then(Value::as_object) {
                stack.extend(
                    members
                        .values()
                        .map(|m| m["shape"].as_str().unwrap().to_owned()),
                );
            }
            for key in ["member", "key", "value"] {
                if let Some(t) = shape.get(key) {
                    stack.push(t["shape"].as_str().unwrap().to_owned());
                }
            }
        }
        seen
    }
}

fn root_sample(model: &AwsModel, how: &Sample<'_>) -> Value {
    model.sample("RegisterTaskDefinitionRequest", how)
}

#[test]
fn every_member_of_every_shape_round_trips_with_its_wire_name() {
    let model = aws_model();
    let full = root_sample(&model, &Sample::default());
    let typed: TaskDefinition = serde_json::from_value(full.clone())
        .unwrap_or_else(|e| panic!("the Rust model rejects a complete document: {e}"));
    let back: Value = serde_json::to_value(&typed).unwrap();
    assert_eq!(back, full, "serializing loses or renames members");

    let structures: Vec<&String> = model
        .reachable()
        .iter()
        .filter(|n| model.shape(n)["type"] == "structure")
        .map(|n| model.shapes.get_key_value(n.as_str()).unwrap().0)
        .collect();
    let members: usize = structures
        .iter()
        .map(|s| model.order[s.as_str()].len())
        .sum();
    assert_eq!(structures.len(), 39);
    assert_eq!(members, 165);
}

#[test]
fn required_members_are_required_and_others_optional() {
    let model = aws_model();
    let mut checked = 0;
    for name in model.reachable() {
        if model.shape(&name)["type"] != "structure" {
            continue;
        }
        let required = model.required(&name);
        for member in &model.order[&name] {
            let doc = root_sample(
                &model,
                &Sample {
                    omit: Some((&name, member)),
                    ..Sample::default()
                },
            );
            let result = serde_json::from_value::<TaskDefinition>(doc.clone());
            if required.contains(member) {
                assert!(
                    result.is_err(),
                    "{name}.{member} is required by AWS but optional in Rust"
                );
            } else {
                let typed = result.unwrap_or_else(|e| {
                    panic!("{name}.{member} is optional for AWS but required in Rust: {e}")
                });
                assert_eq!(
                    serde_json::to_value(&typed).unwrap(),
                    doc,
                    "{name}.{member}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 165);
}

#[test]
fn every_enum_value_is_accepted_and_nothing_else() {
    let model = aws_model();
    let mut enums = 0;
    for name in model.reachable() {
        let Some(values) = model.shape(&name).get("enum").and_then(Value::as_array) else {
            continue;
        };
        enums += 1;
        for value in values {
            let value = value.as_str().unwrap();
            let doc = root_sample(
                &model,
                &Sample {
                    enum_value: Some((&name, value)),
                    ..Sample::default()
                },
            );
            let typed: TaskDefinition = serde_json::from_value(doc.clone())
                .unwrap_or_else(|e| panic!("{name} rejects `{value}`: {e}"));
            assert_eq!(serde_json::to_value(&typed).unwrap(), doc);
        }
        let bad = root_sample(
            &model,
            &Sample {
                enum_value: Some((&name, "not-a-value")),
                ..Sample::default()
            },
        );
        let err = serde_json::from_value::<TaskDefinition>(bad)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown variant `not-a-value`, expected"),
            "{name}: {err}"
        );
    }
    assert_eq!(enums, 22);
}

/// The canonical writer emits every structure's members in AWS's order.
#[test]
fn canonical_json_keeps_aws_member_order() {
    let model = aws_model();
    let typed: TaskDefinition =
        serde_json::from_value(root_sample(&model, &Sample::default())).unwrap();
    let text = to_canonical_json(&typed);
    let ordered: Ordered = serde_json::from_str(&text).unwrap();
    let mut structures_checked = BTreeSet::new();
    check_order(
        &model,
        "RegisterTaskDefinitionRequest",
        &ordered,
        &mut structures_checked,
    );
    assert_eq!(structures_checked.len(), 39);
}

fn check_order(model: &AwsModel, shape_name: &str, value: &Ordered, seen: &mut BTreeSet<String>) {
    let shape = model.shape(shape_name);
    match shape["type"].as_str().unwrap() {
        "structure" => {
            let keys: Vec<&str> = value.entries().iter().map(|(k, _)| k.as_str()).collect();
            let expected: Vec<&str> = model.order[shape_name].iter().map(String::as_str).collect();
            assert_eq!(keys, expected, "member order of {shape_name}");
            seen.insert(shape_name.to_owned());
            for (key, child) in value.entries() {
                let target = shape["members"][key]["shape"].as_str().unwrap();
                check_order(model, target, child, seen);
            }
        }
        "list" => {
            if let Ordered::Array(items) = value {
                for item in items {
                    check_order(
                        model,
                        shape["member"]["shape"].as_str().unwrap(),
                        item,
                        seen,
                    );
                }
            }
        }
        _ => {}
    }
}

/// The vendored AWS model is the one in the shared folder, where that folder is present (it is
/// beside every CI clone; a standalone clone has only the vendored copy).
#[test]
fn vendored_aws_models_match_the_shared_copy() {
    let shared = repo_root().join("../shared/aws-models");
    if !shared.is_dir() {
        eprintln!("note: {} not present; nothing to compare", shared.display());
        return;
    }
    for file in [
        "ecs-register-task-definition.json",
        "cloudformation-aws-ecs-taskdefinition.schema.json",
    ] {
        let vendored = std::fs::read(repo_root().join("aws-models").join(file)).unwrap();
        let original = std::fs::read(shared.join(file)).unwrap();
        assert!(
            vendored == original,
            "aws-models/{file} differs from the shared copy: refresh it"
        );
    }
}
