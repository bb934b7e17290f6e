//! `cargo ecsdef import` on every real-world task definition of `tests/corpus/real`: the Rust
//! it prints compiles and exports back to the same definition (the same members, lists in the
//! same order), with the placeholders given values by this test, or the file is listed below
//! with the AWS rule it truly breaks.
//!
//! Every imported declaration goes into one scratch crate (a module per file), which is built
//! once with cargo, so the derives judge each; `cargo ecsdef`'s analysis reads the same crate
//! and exports each task with its own placeholder values, and the export is compared with the
//! input as AWS reads it.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_ecsdef::analysis::analyze;
use cargo_ecsdef::discover::DiscoverOptions;
use cargo_ecsdef::export::render_task;
use cargo_ecsdef::formats::Format;
use cargo_ecsdef::import::{Imported, import};
use ecsdef_model::json::OUTPUT_ONLY_MEMBERS;
use ecsdef_model::placeholder::Template;
use serde_json::Value;

/// The files that do not round-trip, each with the rule of AWS's it breaks (a part of the
/// error import or the derive gives) and why AWS would refuse it as it stands.
const BREAKS_AN_AWS_RULE: &[(&str, &str, &str)] = &[
    (
        "AmaliTech-Training-Academy__talentradar-config-server-rw__task-definition.json",
        "tags: expected an array, found an object",
        "`tags` is a JSON object; RegisterTaskDefinition takes a list of {key, value} (the AWS CLI answers \"Invalid type for parameter tags\")",
    ),
    (
        "ESGF__stac-transaction-api__task-definition.json",
        "secret-value-from",
        "each `valueFrom` has four fields after the secret ARN (`integration::BOOTSTRAP_SERVERS::`, the json-key empty and the key in the version-stage field); AWS's guide gives the form `arn:aws:secretsmanager:region:aws_account_id:secret:secret-name:json-key:version-stage:version-id`",
    ),
    (
        "Qbizinc__airflow-presto__task-definition.json",
        "health-check-command",
        "the health check command starts with `curl`; AWS's HealthCheck: \"The string array must start with CMD to run the command arguments directly, or CMD-SHELL to run the command with the container's default shell.\"",
    ),
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

fn corpus() -> Vec<(String, String)> {
    let dir = repo().join("tests/corpus/real");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A value for placeholder `name`, valid where it is: at the JSON path `path`, the whole
/// value or a part of it.
fn value_for(name: &str, path: &str, whole: bool) -> String {
    let member = path.rsplit('.').next().unwrap_or(path);
    let value = if name.contains("REGION") {
        "us-east-1"
    } else if name.contains("ACCOUNT") {
        "123456789012"
    } else if whole && member == "image" {
        "public.ecr.aws/acme/app:1.0.0"
    } else if whole && member.ends_with("Arn") {
        "arn:aws:iam::123456789012:role/imported"
    } else if whole && member == "valueFrom" {
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:imported-AbCdEf"
    } else {
        "imported"
    };
    value.to_owned()
}

/// Every `${NAME}` of every string of `value`, each with its path and whether it is the
/// whole string.
fn placeholders(value: &Value, path: &str, out: &mut Vec<(String, String, bool)>) {
    match value {
        Value::String(s) => {
            if let Ok(template) = Template::parse(s) {
                let whole = template.pieces().len() == 1;
                for name in template.placeholders() {
                    out.push((name.to_owned(), path.to_owned(), whole));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                placeholders(item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                placeholders(item, &inner, out);
            }
        }
        _ => {}
    }
}

/// The input as AWS reads it: the describe wrapper and output-only members removed, no
/// nulls, no empty lists or objects (AWS does not tell them from absent members).
fn as_aws_reads_it(mut value: Value) -> Value {
    if let Some(inner) = value.get_mut("taskDefinition").map(Value::take) {
        let tags = value.get("tags").cloned();
        value = inner;
        if let Some(tags) = tags {
            value["tags"] = tags;
        }
    }
    if let Value::Object(map) = &mut value {
        for member in OUTPUT_ONLY_MEMBERS {
            map.remove(*member);
        }
    }
    without_empty(value)
}

fn without_empty(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, without_empty(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_empty).collect()),
        other => other,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// The string at JSON path `path` of `value`.
fn at_path<'a>(value: &'a mut Value, path: &str) -> &'a mut Value {
    let mut here = value;
    for part in path.split('.') {
        let (key, indexes) = part
            .split_once('[')
            .map_or((part, ""), |(k, rest)| (k, rest));
        here = &mut here[key];
        for index in indexes.split('[') {
            if let Some(i) = index.strip_suffix(']') {
                here = &mut here[i.parse::<usize>().unwrap()];
            }
        }
    }
    here
}

/// Substitutes `values` into every string of `value`.
fn substitute(value: &mut Value, values: &BTreeMap<String, String>) {
    match value {
        Value::String(s) => {
            if let Ok(template) = Template::parse(s) {
                *s = template.resolve(|name| values.get(name).cloned()).unwrap();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| substitute(v, values)),
        Value::Object(map) => map.values_mut().for_each(|v| substitute(v, values)),
        _ => {}
    }
}

/// What the export of `imported` must equal: the input as AWS reads it, with each other
/// tool's placeholder given the value its ecsdef placeholder gets.
fn expected(text: &str, imported: &Imported, values: &BTreeMap<String, String>) -> Value {
    let mut value = as_aws_reads_it(serde_json::from_str(text).unwrap());
    for rewritten in &imported.placeholders {
        *at_path(&mut value, &rewritten.path) = Value::String(rewritten.value.clone());
    }
    substitute(&mut value, values);
    value
}

#[test]
fn every_real_file_imports_compiles_and_exports_the_same_definition() {
    let files = corpus();
    assert_eq!(files.len(), 30);
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("import-corpus");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("src")).unwrap();

    let mut modules = Vec::new();
    let mut cases = Vec::new();
    for (i, (name, text)) in files.iter().enumerate() {
        let listed = BREAKS_AN_AWS_RULE.iter().find(|(f, _, _)| f == name);
        let imported = match import(text) {
            Ok(imported) => imported,
            Err(error) => {
                let error = error.to_string();
                let (_, rule, _) =
                    listed.unwrap_or_else(|| panic!("{name} does not import:\n{error}"));
                assert!(
                    error.contains(rule),
                    "{name}: expected `{rule}`, got: {error}"
                );
                continue;
            }
        };
        assert!(imported.source.ends_with("}\n"), "{name}");
        if let Some((_, rule, why)) = listed {
            let found: Vec<&str> = imported.diagnostics.iter().map(|d| d.rule.name).collect();
            assert!(
                found.contains(rule),
                "{name} is listed as breaking `{rule}` ({why}), but import finds {found:?}"
            );
            continue;
        }
        assert!(
            imported.diagnostics.is_empty(),
            "{name}: import finds what would fail the build: {:?}",
            imported.diagnostics
        );
        let module = format!("m{i:02}");
        std::fs::write(scratch.join(format!("src/{module}.rs")), &imported.source).unwrap();
        modules.push(format!("pub mod {module};\n"));
        cases.push((name.clone(), text.clone(), module, imported));
    }
    assert!(
        cases.len() >= 27,
        "{} of {} files round-trip",
        cases.len(),
        files.len()
    );

    let runtime = repo().join("runtime");
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"import-corpus\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\necsdef = {{ path = {:?} }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(repo().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    std::fs::write(
        scratch.join("src/lib.rs"),
        format!(
            "//! Every real-world file of the corpus, imported.\n#![allow(dead_code)]\n{}",
            modules.concat()
        ),
    )
    .unwrap();

    // The derives judge every declaration; the build shares the workspace's target dir, so
    // only the scratch crate itself is compiled.
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo().join("target"), PathBuf::from);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let build = Command::new(cargo)
        .args(["build", "--quiet", "--offline", "--manifest-path"])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "the imported declarations do not compile:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let analysis = analyze(&DiscoverOptions {
        manifest_path: Some(scratch.join("Cargo.toml")),
        ..DiscoverOptions::default()
    })
    .unwrap();
    for (name, text, module, imported) in &cases {
        let file = scratch.join(format!("src/{module}.rs"));
        let task = analysis
            .tasks
            .iter()
            .find(|t| t.file.ends_with(format!("src/{module}.rs")))
            .unwrap_or_else(|| panic!("{name}: no task found in {}", file.display()));
        let (definition, context) = task.exportable().unwrap_or_else(|| {
            panic!(
                "{name}: the CLI cannot export it: {:#?}",
                analysis
                    .reports
                    .iter()
                    .filter(|r| r.file.as_deref() == Some(file.as_path()))
                    .collect::<Vec<_>>()
            )
        });
        let mut found = Vec::new();
        placeholders(
            &ecsdef_model::json::task_definition_to_value(definition),
            "",
            &mut found,
        );
        let mut values = BTreeMap::new();
        for (placeholder, path, whole) in found {
            values
                .entry(placeholder.clone())
                .or_insert_with(|| value_for(&placeholder, &path, whole));
        }
        let files = render_task(definition, context, &[Format::JSON], |n| {
            values.get(n).cloned()
        })
        .unwrap_or_else(|e| panic!("{name}: export fails: {e:?}"));
        // The JSON format writes the definition and, when it needs one, the policy.
        let json = files
            .iter()
            .find(|f| !f.name.contains(".execution-role-policy."))
            .unwrap();
        let exported = without_empty(serde_json::from_str(&json.contents).unwrap());
        assert_eq!(
            exported,
            expected(text, imported, &values),
            "{name}: the export differs from the file"
        );
    }
}
