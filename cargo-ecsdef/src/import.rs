//! `cargo ecsdef import`: Rust declarations equivalent to an existing task definition JSON.
//!
//! Best effort by design: every member the `#[ecs(...)]` grammar has a key for becomes that
//! key; whatever else a container or the task holds goes, unchanged, into `extra = r#"..."#`,
//! so the declaration still produces the same JSON. What the lenient loader dropped
//! (output-only members of `describe-task-definition`, `null`s) is listed in
//! [`Imported::notes`].

use std::fmt::Write as _;

use ecsdef_model::{ContainerDefinition, TaskDefinition, from_json_lenient};
use serde_json::{Map, Value};

use crate::export::is_valid_family;

/// The generated source and what the user should know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Rust source: one `#[derive(Container)]` struct per container, then the task.
    pub source: String,
    /// What was dropped or moved to `extra`, one line each.
    pub notes: Vec<String>,
}

/// Reads task definition JSON and writes the declarations.
pub fn import(json: &str) -> Result<Imported, String> {
    let load = from_json_lenient(json).map_err(|e| e.to_string())?;
    let mut notes = load.notes;
    let source = declarations(&load.definition, &mut notes);
    Ok(Imported { source, notes })
}

/// `web-app` or `web_app` to `WebApp`.
fn pascal_case(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'X');
    }
    out
}

/// `web-app` or `WEB_APP` to `web_app`; `None` when that is not a plain identifier.
fn snake_ident(name: &str) -> Option<String> {
    let out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let valid = out.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && out.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && out != "_"
        && syn::parse_str::<syn::Ident>(&out).is_ok();
    valid.then_some(out)
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn raw(json: &Value) -> String {
    let text = json.to_string();
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

fn str_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| lit(s)).collect();
    format!("[{}]", items.join(", "))
}

fn string_map(key: &str, map: &Map<String, Value>) -> String {
    let entries: Vec<String> = map
        .iter()
        .filter_map(|(k, v)| Some(format!("{} = {}", lit(k), lit(v.as_str()?))))
        .collect();
    format!("{key}({})", entries.join(", "))
}

/// Takes `key` out of `object` when it is a string.
fn take_str(object: &mut Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key) {
        Some(Value::String(s)) => {
            let s = s.clone();
            object.remove(key);
            Some(s)
        }
        _ => None,
    }
}

fn take_int(object: &mut Map<String, Value>, key: &str) -> Option<i64> {
    let n = object.get(key)?.as_i64()?;
    object.remove(key);
    Some(n)
}

fn take_bool(object: &mut Map<String, Value>, key: &str) -> Option<bool> {
    let b = object.get(key)?.as_bool()?;
    object.remove(key);
    Some(b)
}

fn take_str_list(object: &mut Map<String, Value>, key: &str) -> Option<Vec<String>> {
    let list: Vec<String> = object
        .get(key)?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect::<Option<_>>()?;
    object.remove(key);
    Some(list)
}

/// Takes every element of an array member that `convert` can express, leaving the others.
fn take_each(
    object: &mut Map<String, Value>,
    key: &str,
    mut convert: impl FnMut(&mut Map<String, Value>) -> Option<String>,
) -> Vec<String> {
    let Some(Value::Array(items)) = object.get(key).cloned() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut rest = Vec::new();
    for item in items {
        let Value::Object(mut map) = item else {
            rest.push(item);
            continue;
        };
        let backup = map.clone();
        match convert(&mut map) {
            Some(text) if map.is_empty() => out.push(text),
            _ => rest.push(Value::Object(backup)),
        }
    }
    if rest.is_empty() {
        object.remove(key);
    } else if !out.is_empty() {
        // The grammar and `extra` cannot both set one list: keep the list whole in `extra`.
        return Vec::new();
    }
    out
}

fn container_struct(
    container: &ContainerDefinition,
    struct_name: &str,
    notes: &mut Vec<String>,
) -> String {
    let mut object = match serde_json::to_value(container) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    object.remove("name");
    // Field-level attributes of the task: essential, cpu, memory, dependsOn.
    for key in [
        "essential",
        "cpu",
        "memory",
        "memoryReservation",
        "dependsOn",
    ] {
        object.remove(key);
    }
    let mut keys: Vec<String> = Vec::new();
    if let Some(image) = take_str(&mut object, "image") {
        keys.push(format!("image = {}", lit(&image)));
    }
    if let Some(Value::Object(credentials)) = object.get("repositoryCredentials")
        && credentials.len() == 1
        && let Some(parameter) = credentials
            .get("credentialsParameter")
            .and_then(Value::as_str)
    {
        keys.push(format!("credentials = {}", lit(parameter)));
        object.remove("repositoryCredentials");
    }
    for mapping in take_each(&mut object, "portMappings", |m| {
        let port = take_int(m, "containerPort")?;
        let mut parts = vec![format!("container = {port}")];
        if let Some(host) = take_int(m, "hostPort") {
            parts.push(format!("host = {host}"));
        }
        for (key, member) in [
            ("protocol", "protocol"),
            ("name", "name"),
            ("app_protocol", "appProtocol"),
        ] {
            if let Some(value) = take_str(m, member) {
                parts.push(format!("{key} = {}", lit(&value)));
            }
        }
        Some(if parts.len() == 1 {
            format!("port = {port}")
        } else {
            format!("port({})", parts.join(", "))
        })
    }) {
        keys.push(mapping);
    }
    if let Some(Value::Object(mut hc)) = object.get("healthCheck").cloned()
        && let Some(command) = take_str_list(&mut hc, "command")
    {
        let command = match command.as_slice() {
            [shell, line] if shell == "CMD-SHELL" => lit(line),
            _ => str_list(&command),
        };
        let mut parts = vec![format!("command = {command}")];
        for (key, member) in [
            ("interval", "interval"),
            ("timeout", "timeout"),
            ("retries", "retries"),
            ("start_period", "startPeriod"),
        ] {
            if let Some(n) = take_int(&mut hc, member) {
                parts.push(format!("{key} = {n}"));
            }
        }
        if hc.is_empty() {
            keys.push(format!("health_check({})", parts.join(", ")));
            object.remove("healthCheck");
        }
    }
    if let Some(Value::Object(mut log)) = object.get("logConfiguration").cloned()
        && let Some(driver) = take_str(&mut log, "logDriver")
    {
        let mut parts = vec![format!("driver = {}", lit(&driver))];
        if let Some(Value::Object(mut options)) = log.remove("options") {
            if driver == "awslogs" {
                for (key, option) in [
                    ("group", "awslogs-group"),
                    ("region", "awslogs-region"),
                    ("stream_prefix", "awslogs-stream-prefix"),
                ] {
                    if let Some(value) = take_str(&mut options, option) {
                        parts.push(format!("{key} = {}", lit(&value)));
                    }
                }
                if let Some(Value::String(create)) = options.get("awslogs-create-group")
                    && (create == "true" || create == "false")
                {
                    parts.push(format!("create_group = {create}"));
                    options.remove("awslogs-create-group");
                }
            }
            if let Some(mode) = take_str(&mut options, "mode") {
                parts.push(format!("mode = {}", lit(&mode)));
            }
            if !options.is_empty() {
                parts.push(string_map("options", &options));
            }
        }
        if log.is_empty() {
            keys.push(format!("log({})", parts.join(", ")));
            object.remove("logConfiguration");
        }
    }
    for (key, member) in [("command", "command"), ("entry_point", "entryPoint")] {
        if let Some(list) = take_str_list(&mut object, member) {
            keys.push(format!("{key} = {}", str_list(&list)));
        }
    }
    for (key, member) in [("working_directory", "workingDirectory"), ("user", "user")] {
        if let Some(value) = take_str(&mut object, member) {
            keys.push(format!("{key} = {}", lit(&value)));
        }
    }
    for (key, member) in [
        ("stop_timeout", "stopTimeout"),
        ("start_timeout", "startTimeout"),
    ] {
        if let Some(n) = take_int(&mut object, member) {
            keys.push(format!("{key} = {n}"));
        }
    }
    if let Some(b) = take_bool(&mut object, "readonlyRootFilesystem") {
        keys.push(format!("read_only_root_filesystem = {b}"));
    }
    if let Some(Value::Object(linux)) = object.get("linuxParameters")
        && linux.len() == 1
        && let Some(init) = linux.get("initProcessEnabled").and_then(Value::as_bool)
    {
        keys.push(format!("init_process_enabled = {init}"));
        object.remove("linuxParameters");
    }
    if let Some(Value::Object(labels)) = object.get("dockerLabels").cloned() {
        keys.push(string_map("labels", &labels));
        object.remove("dockerLabels");
    }
    keys.extend(take_each(&mut object, "ulimits", |u| {
        let name = take_str(u, "name")?;
        let soft = take_int(u, "softLimit")?;
        let hard = take_int(u, "hardLimit")?;
        Some(format!(
            "ulimit(name = {}, soft = {soft}, hard = {hard})",
            lit(&name)
        ))
    }));
    keys.extend(take_each(&mut object, "mountPoints", |m| {
        let source = take_str(m, "sourceVolume")?;
        let path = take_str(m, "containerPath")?;
        let read_only = take_bool(m, "readOnly")
            .map(|b| format!(", read_only = {b}"))
            .unwrap_or_default();
        Some(format!(
            "mount(source = {}, path = {}{read_only})",
            lit(&source),
            lit(&path)
        ))
    }));

    // Environment variables and secrets are the struct's fields.
    let mut fields = Vec::new();
    let mut used = Vec::new();
    let field = |name: &str, attr: String, ty: &str, used: &mut Vec<String>| {
        let ident = snake_ident(name)
            .filter(|i| !used.contains(i))
            .unwrap_or_else(|| format!("field_{}", used.len()));
        let rename = if crate_screaming(&ident) == name {
            String::new()
        } else {
            format!(", rename = {}", lit(name))
        };
        used.push(ident.clone());
        format!("    #[ecs({attr}{rename})]\n    pub {ident}: {ty},\n")
    };
    let env_items = take_each(&mut object, "environment", |kv| {
        let name = take_str(kv, "name")?;
        let value = take_str(kv, "value")?;
        Some(field(
            &name,
            format!("env = {}", lit(&value)),
            "String",
            &mut used,
        ))
    });
    fields.extend(env_items);
    let secret_items = take_each(&mut object, "secrets", |s| {
        let name = take_str(s, "name")?;
        let from = take_str(s, "valueFrom")?;
        Some(field(
            &name,
            format!("secret = {}", lit(&from)),
            "String",
            &mut used,
        ))
    });
    fields.extend(secret_items);

    if !object.is_empty() {
        let members: Vec<&str> = object.keys().map(String::as_str).collect();
        notes.push(format!(
            "`{struct_name}`: {} kept as `extra` JSON (no attribute key for {})",
            members
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if members.len() == 1 { "it" } else { "them" }
        ));
        keys.push(format!("extra = {}", raw(&Value::Object(object))));
    }

    let mut out = String::from("#[derive(Container)]\n");
    let _ = writeln!(out, "#[ecs(\n    {},\n)]", keys.join(",\n    "));
    if fields.is_empty() {
        let _ = writeln!(out, "pub struct {struct_name};");
    } else {
        let _ = write!(out, "pub struct {struct_name} {{\n{}}}\n", fields.join(""));
    }
    out
}

/// The variable name a field maps to without `rename`.
fn crate_screaming(ident: &str) -> String {
    ecsdef_syntax::screaming_snake(ident)
}

fn declarations(definition: &TaskDefinition, notes: &mut Vec<String>) -> String {
    let family = &definition.family;
    let task_name = pascal_case(family);
    let mut out = String::from(
        "// Generated by `cargo ecsdef import`: review it, then move the structs into your crate.\n\
         use ecsdef::{Container, TaskDefinition};\n\n",
    );
    let mut container_names: Vec<String> = Vec::new();
    let mut task_fields = Vec::new();
    for (i, container) in definition.container_definitions.iter().enumerate() {
        let name = container
            .name
            .clone()
            .unwrap_or_else(|| format!("container{i}"));
        let mut struct_name = pascal_case(&name);
        while struct_name == task_name || container_names.contains(&struct_name) {
            struct_name.push_str("Container");
        }
        container_names.push(struct_name.clone());
        out.push_str(&container_struct(container, &struct_name, notes));
        out.push('\n');

        let field_ident = snake_ident(&name).unwrap_or_else(|| format!("container{i}"));
        let mut attrs = Vec::new();
        if field_ident != name {
            attrs.push(format!("name = {}", lit(&name)));
        }
        if let Some(essential) = container.essential {
            attrs.push(format!("essential = {essential}"));
        }
        for (key, value) in [
            ("cpu", container.cpu),
            ("memory", container.memory),
            ("memory_reservation", container.memory_reservation),
        ] {
            if let Some(value) = value {
                attrs.push(format!("{key} = {value}"));
            }
        }
        for dependency in container.depends_on.iter().flatten() {
            attrs.push(format!(
                "depends_on(container = {}, condition = {})",
                lit(&dependency.container_name),
                lit(dependency.condition.as_str())
            ));
        }
        let attr = if attrs.is_empty() {
            String::new()
        } else {
            format!("    #[ecs({})]\n", attrs.join(", "))
        };
        task_fields.push(format!("{attr}    pub {field_ident}: {struct_name},\n"));
    }

    let mut object = match serde_json::to_value(definition) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    object.remove("containerDefinitions");
    object.remove("family");
    let mut keys = Vec::new();
    if !is_valid_family(family) || ecsdef_syntax::kebab_case(&task_name) != *family {
        keys.push(format!("family = {}", lit(family)));
    }
    let compatibilities = take_str_list(&mut object, "requiresCompatibilities").unwrap_or_default();
    let fargate = compatibilities.iter().any(|c| c == "FARGATE");
    for compatibility in &compatibilities {
        keys.push(compatibility.to_ascii_lowercase());
    }
    if let Some(mode) = take_str(&mut object, "networkMode")
        && !(fargate && mode == "awsvpc")
    {
        keys.push(format!("network_mode = {}", lit(&mode)));
    }
    for key in ["cpu", "memory"] {
        if let Some(value) = take_str(&mut object, key) {
            keys.push(match value.parse::<u32>() {
                Ok(n) => format!("{key} = {n}"),
                Err(_) => format!("{key} = {}", lit(&value)),
            });
        }
    }
    for (key, member) in [
        ("execution_role", "executionRoleArn"),
        ("task_role", "taskRoleArn"),
        ("pid_mode", "pidMode"),
        ("ipc_mode", "ipcMode"),
    ] {
        if let Some(value) = take_str(&mut object, member) {
            keys.push(format!("{key} = {}", lit(&value)));
        }
    }
    if let Some(Value::Object(mut platform)) = object.get("runtimePlatform").cloned() {
        let mut parts = Vec::new();
        if let Some(os) = take_str(&mut platform, "operatingSystemFamily") {
            parts.push(format!("os = {}", lit(&os)));
        }
        if let Some(arch) = take_str(&mut platform, "cpuArchitecture") {
            parts.push(format!("arch = {}", lit(&arch)));
        }
        if platform.is_empty() {
            keys.push(format!("runtime_platform({})", parts.join(", ")));
            object.remove("runtimePlatform");
        }
    }
    if let Some(Value::Object(storage)) = object.get("ephemeralStorage")
        && storage.len() == 1
        && let Some(size) = storage.get("sizeInGiB").and_then(Value::as_i64)
    {
        keys.push(format!("ephemeral_storage = {size}"));
        object.remove("ephemeralStorage");
    }
    let tags = take_each(&mut object, "tags", |t| {
        let key = take_str(t, "key")?;
        let value = take_str(t, "value")?;
        Some(format!("{} = {}", lit(&key), lit(&value)))
    });
    if !tags.is_empty() {
        keys.push(format!("tags({})", tags.join(", ")));
    }
    keys.extend(take_each(&mut object, "volumes", |v| {
        let name = take_str(v, "name")?;
        let mut parts = vec![format!("name = {}", lit(&name))];
        if let Some(Value::Object(host)) = v.get("host").cloned()
            && host.len() == 1
            && let Some(path) = host.get("sourcePath").and_then(Value::as_str)
        {
            parts.push(format!("host_path = {}", lit(path)));
            v.remove("host");
        }
        if let Some(b) = take_bool(v, "configuredAtLaunch") {
            parts.push(format!("configured_at_launch = {b}"));
        }
        Some(format!("volume({})", parts.join(", ")))
    }));
    if !object.is_empty() {
        let members: Vec<String> = object.keys().map(|m| format!("`{m}`")).collect();
        notes.push(format!(
            "`{task_name}`: {} kept as `extra` JSON (no attribute key for {})",
            members.join(", "),
            if members.len() == 1 { "it" } else { "them" }
        ));
        keys.push(format!("extra = {}", raw(&Value::Object(object))));
    }
    out.push_str("#[derive(TaskDefinition)]\n");
    if !keys.is_empty() {
        let _ = writeln!(out, "#[ecs(\n    {},\n)]", keys.join(",\n    "));
    }
    let _ = write!(
        out,
        "pub struct {task_name} {{\n{}}}\n",
        task_fields.join("")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(pascal_case("web-app"), "WebApp");
        assert_eq!(pascal_case("1st"), "X1st");
        assert_eq!(snake_ident("DATABASE_URL").as_deref(), Some("database_url"));
        assert_eq!(
            snake_ident("feature.flags").as_deref(),
            Some("feature_flags")
        );
        assert_eq!(snake_ident("1a"), None);
        assert_eq!(snake_ident("type"), None);
        assert_eq!(
            raw(&serde_json::json!({"a": "\"#"})),
            "r##\"{\"a\":\"\\\"#\"}\"##"
        );
    }
}
