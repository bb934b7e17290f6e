//! `diff`'s two sides made comparable: the definition ECS describes and the one `export`
//! writes, each normalised as ECS normalises a definition it registers, then shown as a
//! unified diff of their pretty JSON.
//!
//! What ECS changes that is not a change:
//!
//! - it adds the describe-only members (`taskDefinitionArn`, `revision`, `status`, ...);
//! - it fills in defaults: empty lists and maps (`environment`, `mountPoints`, `volumesFrom`,
//!   `portMappings`, `volumes`, `placementConstraints`), a container's `cpu` of 0, `essential`
//!   true and `versionConsistency` `enabled`, a port mapping's `protocol` `tcp` and, in
//!   `awsvpc` mode, its `hostPort` equal to its `containerPort`, the task's
//!   `enableFaultInjection` false;
//! - it writes the task's `cpu` and `memory` as units and MiB: `"1 vCPU"` is `"1024"`,
//!   `"0.5 GB"` is `"512"`;
//! - it does not keep the order of `requiresCompatibilities`, `tags`, `environment`,
//!   `secrets`, `environmentFiles`, `ulimits`, `systemControls`, `volumes` and
//!   `placementConstraints`: they are compared sorted.
//!
//! Object keys are sorted on both sides by `serde_json`, so member order is never a change.

use std::collections::HashMap;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use ecsdef_model::json::OUTPUT_ONLY_MEMBERS;
use ecsdef_model::rules::{may_hold_secret, parse_task_cpu, parse_task_memory};
use serde_json::{Map, Value};

/// Lists whose order ECS does not keep, at any depth.
const UNORDERED: &[&str] = &[
    "requiresCompatibilities",
    "tags",
    "environment",
    "secrets",
    "environmentFiles",
    "ulimits",
    "systemControls",
    "volumes",
    "placementConstraints",
];

/// The `RegisterTaskDefinition` input of what ECS describes: `taskDefinition` without its
/// describe-only members, with the response's `tags`.
pub fn registered_input(described: &Value) -> Value {
    let mut definition = described
        .get("taskDefinition")
        .cloned()
        .unwrap_or(Value::Null);
    if let Value::Object(members) = &mut definition {
        for member in OUTPUT_ONLY_MEMBERS {
            members.remove(*member);
        }
        if let Some(tags) = described.get("tags").filter(|t| !is_empty(t)) {
            members.insert("tags".to_owned(), tags.clone());
        }
    }
    definition
}

/// The revision (`family:N`) ECS describes.
pub fn revision(described: &Value) -> String {
    let definition = described.get("taskDefinition");
    let family = definition
        .and_then(|d| d.get("family"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let revision = definition
        .and_then(|d| d.get("revision"))
        .and_then(Value::as_i64)
        .unwrap_or_default();
    format!("{family}:{revision}")
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(list) => list.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// A task definition (a `RegisterTaskDefinition` input) as ECS keeps it.
pub fn normalize(definition: &Value) -> Value {
    let mut value = definition.clone();
    let awsvpc = value.get("networkMode").and_then(Value::as_str) == Some("awsvpc");
    if let Value::Object(task) = &mut value {
        for (member, parse) in [
            ("cpu", parse_task_cpu as fn(&str) -> Option<u32>),
            ("memory", parse_task_memory),
        ] {
            if let Some(Value::String(text)) = task.get(member)
                && let Some(number) = parse(text)
            {
                task.insert(member.to_owned(), Value::String(number.to_string()));
            }
        }
        if task.get("enableFaultInjection") == Some(&Value::Bool(false)) {
            task.remove("enableFaultInjection");
        }
        if let Some(Value::Array(containers)) = task.get_mut("containerDefinitions") {
            for container in containers.iter_mut().filter_map(Value::as_object_mut) {
                normalize_container(container, awsvpc);
            }
        }
    }
    clean(&mut value);
    value
}

fn normalize_container(container: &mut Map<String, Value>, awsvpc: bool) {
    if container.get("cpu").and_then(Value::as_i64) == Some(0) {
        container.remove("cpu");
    }
    if container.get("essential") == Some(&Value::Bool(true)) {
        container.remove("essential");
    }
    if container.get("versionConsistency").and_then(Value::as_str) == Some("enabled") {
        container.remove("versionConsistency");
    }
    if let Some(Value::Array(mappings)) = container.get_mut("portMappings") {
        for mapping in mappings.iter_mut().filter_map(Value::as_object_mut) {
            if mapping.get("protocol").and_then(Value::as_str) == Some("tcp") {
                mapping.remove("protocol");
            }
            if awsvpc
                && mapping.get("hostPort").is_some()
                && mapping.get("hostPort") == mapping.get("containerPort")
            {
                mapping.remove("hostPort");
            }
        }
    }
}

/// Drops what is empty (ECS's filled-in defaults) and sorts the unordered lists, at every
/// depth.
fn clean(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                clean(member);
                if UNORDERED.contains(&key.as_str())
                    && let Value::Array(list) = member
                {
                    list.sort_by_cached_key(Value::to_string);
                }
            }
            map.retain(|_, member| !is_empty(member));
        }
        Value::Array(list) => list.iter_mut().for_each(clean),
        _ => {}
    }
}

/// What an `environment` value that may be a secret reads as when it is the same on both
/// sides (see [`hide_secrets`]).
pub const HIDDEN: &str = "<hidden>";
/// The same, when it differs: on the registered side.
pub const HIDDEN_REGISTERED: &str = "<hidden: the registered value>";
/// The same, when it differs: on the exported side.
pub const HIDDEN_EXPORTED: &str = "<hidden: the exported value>";

/// Replaces, on both sides, each `environment` value that may be a secret (the value tests of
/// `plaintext-secret-in-env`, on either side) by [`HIDDEN`] when the other side holds the same
/// value for that container and variable, else by [`HIDDEN_REGISTERED`] and
/// [`HIDDEN_EXPORTED`]: the diff still shows that it changed, never what it holds. A
/// definition registered with a password in plain text, before its move to `secrets`, is
/// what `diff` shows in a CI log. `Value::Null` stands for a side that is not registered.
pub fn hide_secrets(registered: &mut Value, exported: &mut Value) {
    let (old, new) = (environment(registered), environment(exported));
    hide_side(registered, &new, HIDDEN_REGISTERED);
    hide_side(exported, &old, HIDDEN_EXPORTED);
}

/// A definition's `environment` values, by container name and variable name.
type Environment = HashMap<(String, String), String>;

fn environment(definition: &mut Value) -> Environment {
    let mut values = Environment::new();
    each_entry(definition, |container, entry| {
        if let Some((name, value)) = name_and_value(entry) {
            values.insert((container.to_owned(), name.to_owned()), value.to_owned());
        }
    });
    values
}

/// Hides the values of one side, `other` being the other side's [`environment`].
fn hide_side(definition: &mut Value, other: &Environment, differs: &str) {
    each_entry(definition, |container, entry| {
        let Some((name, value)) = name_and_value(entry) else {
            return;
        };
        let theirs = other.get(&(container.to_owned(), name.to_owned()));
        if !may_hold_secret(name, value) && !theirs.is_some_and(|v| may_hold_secret(name, v)) {
            return;
        }
        let text = if theirs.is_some_and(|v| v == value) {
            HIDDEN
        } else {
            differs
        };
        entry["value"] = Value::String(text.to_owned());
    });
}

/// Calls `f` with each container's name and each entry of its `environment`.
fn each_entry(definition: &mut Value, mut f: impl FnMut(&str, &mut Value)) {
    let containers = definition
        .get_mut("containerDefinitions")
        .and_then(Value::as_array_mut);
    for container in containers.into_iter().flatten() {
        let name = container
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let entries = container
            .get_mut("environment")
            .and_then(Value::as_array_mut);
        for entry in entries.into_iter().flatten() {
            f(&name, entry);
        }
    }
}

/// An `environment` entry's variable name and value, when both are strings.
fn name_and_value(entry: &Value) -> Option<(&str, &str)> {
    Some((entry.get("name")?.as_str()?, entry.get("value")?.as_str()?))
}

/// Pretty JSON with sorted keys and a final newline: the text both sides are compared as.
pub fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

const REMOVED: Style = AnsiColor::Red.on_default();
const ADDED: Style = AnsiColor::Green.on_default();
const HUNK: Style = AnsiColor::Cyan.on_default();
const HEADER: Style = Style::new().bold();

/// The unified diff from `old` to `new` (three lines of context), with ANSI styles that the
/// output stream keeps only when it is a coloured terminal; empty when they are equal.
pub fn unified_diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    let mut out = String::new();
    for line in text.lines() {
        let style = if line.starts_with("---") || line.starts_with("+++") {
            HEADER
        } else if line.starts_with("@@") {
            HUNK
        } else if line.starts_with('-') {
            REMOVED
        } else if line.starts_with('+') {
            ADDED
        } else {
            Style::new()
        };
        let _ = writeln!(out, "{style}{line}{style:#}");
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_that_may_be_secrets_are_hidden_but_their_changes_shown() {
        let task = |app: Value, sidecar: Value| {
            json!({"containerDefinitions": [
                {"name": "app", "environment": app},
                {"name": "sidecar", "environment": sidecar},
            ]})
        };
        let mut registered = task(
            json!([
                {"name": "DB_PASSWORD", "value": "hunter2-not-real"},
                {"name": "API_TOKEN", "value": "same-not-real"},
                {"name": "UPLOAD", "value": "AKIAIOSFODNN7EXAMPLE"},
                {"name": "STAGE", "value": "prod"},
            ]),
            json!([{"name": "DB_PASSWORD", "value": "sidecar-not-real"}]),
        );
        let mut exported = task(
            json!([
                {"name": "API_TOKEN", "value": "same-not-real"},
                {"name": "UPLOAD", "value": "none"},
                {"name": "STAGE", "value": "staging"},
            ]),
            json!([{"name": "DB_PASSWORD", "value": "sidecar-changed-not-real"}]),
        );
        hide_secrets(&mut registered, &mut exported);
        assert_eq!(
            registered,
            task(
                json!([
                    // Only on this side: differs.
                    {"name": "DB_PASSWORD", "value": HIDDEN_REGISTERED},
                    {"name": "API_TOKEN", "value": HIDDEN},
                    // An access key by its form; the other side's value is hidden with it.
                    {"name": "UPLOAD", "value": HIDDEN_REGISTERED},
                    {"name": "STAGE", "value": "prod"},
                ]),
                json!([{"name": "DB_PASSWORD", "value": HIDDEN_REGISTERED}]),
            )
        );
        assert_eq!(
            exported,
            task(
                json!([
                    {"name": "API_TOKEN", "value": HIDDEN},
                    {"name": "UPLOAD", "value": HIDDEN_EXPORTED},
                    {"name": "STAGE", "value": "staging"},
                ]),
                json!([{"name": "DB_PASSWORD", "value": HIDDEN_EXPORTED}]),
            )
        );
        let shown = unified_diff(&pretty(&registered), &pretty(&exported), "old", "new");
        assert!(shown.contains(HIDDEN_EXPORTED), "{shown}");
        assert!(
            !shown.contains("not-real") && !shown.contains("AKIA"),
            "{shown}"
        );

        // Of two entries of one name, each is judged by its own value.
        let mut twice = task(
            json!([
                {"name": "UPLOAD", "value": "AKIAIOSFODNN7EXAMPLE"},
                {"name": "UPLOAD", "value": "plain"},
            ]),
            json!([]),
        );
        hide_secrets(&mut twice, &mut Value::Null);
        assert_eq!(
            twice,
            task(
                json!([
                    {"name": "UPLOAD", "value": HIDDEN_REGISTERED},
                    {"name": "UPLOAD", "value": "plain"},
                ]),
                json!([])
            )
        );

        // Not registered: the export's side alone.
        let mut alone = task(json!([{"name": "DB_PASSWORD", "value": "x"}]), json!([]));
        hide_secrets(&mut Value::Null, &mut alone);
        assert_eq!(
            alone,
            task(
                json!([{"name": "DB_PASSWORD", "value": HIDDEN_EXPORTED}]),
                json!([])
            )
        );
    }

    #[test]
    fn what_ecs_fills_in_is_no_change() {
        let exported = json!({
            "family": "web",
            "cpu": "1 vCPU",
            "memory": "0.5 GB",
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE", "EC2"],
            "containerDefinitions": [{
                "name": "app", "image": "nginx",
                "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
                "portMappings": [{"containerPort": 80}]
            }],
            "tags": [{"key": "team", "value": "x"}]
        });
        let described = json!({
            "taskDefinition": {
                "taskDefinitionArn": "arn:aws:ecs:r:1:task-definition/web:3",
                "revision": 3, "status": "ACTIVE", "compatibilities": ["EC2", "FARGATE"],
                "family": "web", "cpu": "1024", "memory": "512", "networkMode": "awsvpc",
                "requiresCompatibilities": ["EC2", "FARGATE"], "volumes": [], "placementConstraints": [],
                "enableFaultInjection": false,
                "containerDefinitions": [{
                    "name": "app", "image": "nginx", "cpu": 0, "essential": true,
                    "versionConsistency": "enabled",
                    "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                    "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
                    "mountPoints": [], "volumesFrom": []
                }]
            },
            "tags": [{"key": "team", "value": "x"}]
        });
        assert_eq!(revision(&described), "web:3");
        let old = pretty(&normalize(&registered_input(&described)));
        let new = pretty(&normalize(&exported));
        assert_eq!(old, new);
        assert_eq!(unified_diff(&old, &new, "a", "b"), "");
    }

    #[test]
    fn a_change_shows_as_a_diff() {
        let old = pretty(&normalize(&json!({"family": "web", "memory": "512"})));
        let new = pretty(&normalize(&json!({"family": "web", "memory": "1 GB"})));
        let diff = unified_diff(&old, &new, "registered web:1", "export web");
        assert!(diff.contains("-  \"memory\": \"512\""), "{diff}");
        assert!(diff.contains("+  \"memory\": \"1024\""), "{diff}");
        assert!(diff.contains("--- registered web:1"), "{diff}");
    }

    #[test]
    fn a_container_cpu_other_than_zero_stays() {
        let value = normalize(
            &json!({"containerDefinitions": [{"name": "a", "cpu": 256, "essential": false}]}),
        );
        assert_eq!(
            value,
            json!({"containerDefinitions": [{"name": "a", "cpu": 256, "essential": false}]})
        );
    }
}
