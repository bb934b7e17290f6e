//! Real-world task definitions (`tests/corpus/`, copied from the shared corpus with its
//! SOURCES.md) through the lenient loader and back: what comes out must equal what went in,
//! minus output-only members and nulls. Files that cannot load are listed below with the reason,
//! and the test checks that they still fail for that reason, so the list cannot go stale.

// Tests unwrap freely: a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use ecsdef_model::json::OUTPUT_ONLY_MEMBERS;
use ecsdef_model::{from_json_lenient, to_canonical_json};
use serde_json::Value;

/// Files the lenient loader refuses, with (a part of) the error it must give, and why.
const EXPECTED_FAILURES: &[(&str, &str, &str)] = &[(
    "AmaliTech-Training-Academy__talentradar-config-server-rw__task-definition.json",
    "tags: expected an array, found an object",
    "tags written as a JSON object; AWS takes a list of {key, value}",
)];

fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["corpus/real", "corpus/real-extracted"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The input as AWS would take it: the describe wrapper removed, output-only members and nulls
/// dropped.
fn expected_value(mut value: Value) -> Value {
    if let Some(inner) = value.get_mut("taskDefinition").map(Value::take) {
        let tags = value.get("tags").cloned();
        value = inner;
        if let Some(tags) = tags.filter(|t| t.as_array().is_some_and(|a| !a.is_empty())) {
            value["tags"] = tags;
        }
    }
    if let Value::Object(map) = &mut value {
        for member in OUTPUT_ONLY_MEMBERS {
            map.remove(*member);
        }
    }
    drop_nulls(&mut value);
    value
}

fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

#[test]
fn real_world_definitions_load_leniently_and_round_trip() {
    let files = corpus_files();
    assert_eq!(
        files.len(),
        31,
        "the corpus has 30 files plus one extracted example"
    );
    let mut loaded = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let result = from_json_lenient(&text);
        if let Some((_, error, why)) = EXPECTED_FAILURES.iter().find(|(f, _, _)| *f == name) {
            let err = result
                .err()
                .unwrap_or_else(|| panic!("{name} now loads; remove it from the list ({why})"));
            assert!(
                err.to_string().contains(error),
                "{name}: expected `{error}`, got: {err}"
            );
            continue;
        }
        let load = result.unwrap_or_else(|e| panic!("{name} does not load:\n{e}"));
        let written: Value = serde_json::from_str(&to_canonical_json(&load.definition)).unwrap();
        let original = expected_value(serde_json::from_str(&text).unwrap());
        assert_eq!(written, original, "{name} does not round-trip");
        loaded += 1;
    }
    assert_eq!(loaded, files.len() - EXPECTED_FAILURES.len());
}

#[test]
fn lenient_loader_says_what_it_dropped() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/real/Abdelali12-codes__ecs-opentelemetry__task-definition.json"),
    )
    .unwrap();
    let load = from_json_lenient(&text).unwrap();
    assert_eq!(
        load.notes[0],
        "unwrapped the `taskDefinition` object of describe-task-definition output"
    );
    assert!(
        load.notes
            .iter()
            .any(|n| n == "dropped output-only member `taskDefinitionArn`"),
        "{:?}",
        load.notes
    );
}
