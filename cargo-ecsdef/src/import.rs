//! `cargo ecsdef import`: Rust declarations equivalent to an existing task definition JSON.
//!
//! Best effort by design: every member the `#[ecs(...)]` grammar has a key for becomes that
//! key; whatever else a container or the task holds goes, unchanged, into `extra = r#"..."#`,
//! so the declaration still produces the same JSON. Keys come in the order of the table of
//! keys (`ecsdef_syntax::keys`); a key that sets one value is written back by its member in
//! the table alone, a key of another form by its own code here. What the lenient loader dropped
//! (output-only members of `describe-task-definition`, `null`s) is listed in
//! [`Imported::notes`].

use std::fmt::Write as _;

use ecsdef_model::{ContainerDefinition, TaskDefinition, from_json_lenient};
use ecsdef_syntax::keys::{self as table, Form, Key, Kind, Level, Member};
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

/// Takes the member a key the table parses sets, when it holds what the key can write (a
/// nested object only when the member is all it holds), and writes the key.
fn take_scalar(object: &mut Map<String, Value>, key: &Key) -> Option<String> {
    let path = key.member.path()?;
    let (outer, member) = match path.split_once('.') {
        Some((outer, member)) => (outer, member),
        None => (path, path),
    };
    let value = if outer == member {
        object.get(member)?
    } else {
        match object.get(outer)? {
            Value::Object(nested) if nested.len() == 1 => nested.get(member)?,
            _ => return None,
        }
    };
    let name = key.name;
    let text = match &key.kind {
        Kind::Str(_) | Kind::Enum(_) => format!("{name} = {}", lit(value.as_str()?)),
        Kind::Int { .. } => format!("{name} = {}", value.as_i64()?),
        Kind::Bool(_) => format!("{name} = {}", value.as_bool()?),
        Kind::StrList(_) => {
            let list: Vec<String> = value
                .as_array()?
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<_>>()?;
            format!("{name} = {}", str_list(&list))
        }
        Kind::StrMap(_) => string_map(name, value.as_object()?),
        Kind::Own(_) => return None,
    };
    object.remove(outer);
    Some(text)
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

/// The keys of `group`, but those in `skip`, whose members of `object` hold a string, an
/// integer or a boolean: each member taken and written as its key.
fn take_group_members(
    group: &'static str,
    object: &mut Map<String, Value>,
    skip: &[&str],
) -> Vec<String> {
    let mut parts = Vec::new();
    for key in table::of(Level::Group(group)) {
        let Some(member) = key.member.path().filter(|_| !skip.contains(&key.name)) else {
            continue;
        };
        let text = match key.kind {
            Kind::Own(Form::Int { .. }) => take_int(object, member).map(|n| n.to_string()),
            Kind::Own(Form::Bool) => take_bool(object, member).map(|b| b.to_string()),
            Kind::Own(Form::Str | Form::Enum) => take_str(object, member).map(|s| lit(&s)),
            _ => None,
        };
        if let Some(text) = text {
            parts.push(format!("{} = {text}", key.name));
        }
    }
    parts
}

/// `port = N` or `port(...)` for each port mapping.
fn port_mappings(object: &mut Map<String, Value>) -> Vec<String> {
    take_each(object, "portMappings", |m| {
        let port = take_int(m, "containerPort")?;
        let mut parts = vec![format!("container = {port}")];
        parts.extend(take_group_members("port", m, &["container"]));
        Some(if parts.len() == 1 {
            format!("port = {port}")
        } else {
            format!("port({})", parts.join(", "))
        })
    })
}

/// `health_check(...)`, when the grammar can say all of it.
fn health_check(object: &mut Map<String, Value>) -> Option<String> {
    let Some(Value::Object(mut hc)) = object.get("healthCheck").cloned() else {
        return None;
    };
    let command = take_str_list(&mut hc, "command")?;
    let command = match command.as_slice() {
        [shell, line] if shell == "CMD-SHELL" => lit(line),
        _ => str_list(&command),
    };
    let mut parts = vec![format!("command = {command}")];
    parts.extend(take_group_members("health_check", &mut hc, &["command"]));
    if !hc.is_empty() {
        return None;
    }
    object.remove("healthCheck");
    Some(format!("health_check({})", parts.join(", ")))
}

/// `log(...)`, when the grammar can say all of it.
fn log_configuration(object: &mut Map<String, Value>) -> Option<String> {
    let Some(Value::Object(mut log)) = object.get("logConfiguration").cloned() else {
        return None;
    };
    let driver = take_str(&mut log, "logDriver")?;
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
    if !log.is_empty() {
        return None;
    }
    object.remove("logConfiguration");
    Some(format!("log({})", parts.join(", ")))
}

/// `runtime_platform(...)`, when the grammar can say all of it.
fn runtime_platform(object: &mut Map<String, Value>) -> Option<String> {
    let Some(Value::Object(mut platform)) = object.get("runtimePlatform").cloned() else {
        return None;
    };
    let parts = take_group_members("runtime_platform", &mut platform, &[]);
    if !platform.is_empty() {
        return None;
    }
    object.remove("runtimePlatform");
    Some(format!("runtime_platform({})", parts.join(", ")))
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
    // The members a task field's attributes set go on the task's field.
    for key in table::of(Level::TaskField) {
        if let Member::Json(path) = key.member {
            object.remove(path.trim_end_matches("[]"));
        }
    }
    let mut keys: Vec<String> = Vec::new();
    for key in table::of(Level::Container) {
        match key.name {
            "port" => keys.extend(port_mappings(&mut object)),
            "health_check" => keys.extend(health_check(&mut object)),
            "log" => keys.extend(log_configuration(&mut object)),
            "ulimit" => keys.extend(take_each(&mut object, "ulimits", |u| {
                let name = take_str(u, "name")?;
                let soft = take_int(u, "softLimit")?;
                let hard = take_int(u, "hardLimit")?;
                Some(format!(
                    "ulimit(name = {}, soft = {soft}, hard = {hard})",
                    lit(&name)
                ))
            })),
            "mount" => keys.extend(take_each(&mut object, "mountPoints", |m| {
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
            })),
            _ => keys.extend(take_scalar(&mut object, key)),
        }
    }

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
        let mut members = match serde_json::to_value(container) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let mut attrs = Vec::new();
        for key in table::of(Level::TaskField) {
            match key.name {
                // The field's own name names the container unless it cannot.
                "name" => {
                    if field_ident != name {
                        attrs.push(format!("name = {}", lit(&name)));
                    }
                }
                "depends_on" => {
                    for dependency in container.depends_on.iter().flatten() {
                        attrs.push(format!(
                            "depends_on(container = {}, condition = {})",
                            lit(&dependency.container_name),
                            lit(dependency.condition.as_str())
                        ));
                    }
                }
                _ => attrs.extend(take_scalar(&mut members, key)),
            }
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
    let compatibilities = take_str_list(&mut object, "requiresCompatibilities").unwrap_or_default();
    let fargate = compatibilities.iter().any(|c| c == "FARGATE");
    for key in table::of(Level::Task) {
        match key.name {
            "family" => {
                if !is_valid_family(family) || ecsdef_syntax::kebab_case(&task_name) != *family {
                    keys.push(format!("family = {}", lit(family)));
                }
            }
            // The flags in the order of `requiresCompatibilities`.
            "fargate" => {
                for compatibility in &compatibilities {
                    keys.push(compatibility.to_ascii_lowercase());
                }
            }
            "network_mode" => {
                if let Some(mode) = take_str(&mut object, "networkMode")
                    && !(fargate && mode == "awsvpc")
                {
                    keys.push(format!("network_mode = {}", lit(&mode)));
                }
            }
            "cpu" | "memory" => {
                if let Some(value) = take_str(&mut object, key.name) {
                    keys.push(match value.parse::<u32>() {
                        Ok(n) => format!("{} = {n}", key.name),
                        Err(_) => format!("{} = {}", key.name, lit(&value)),
                    });
                }
            }
            // `pid_mode` and `ipc_mode` are written right after the roles, not in the table's
            // order, so that importing a definition gives the same source from one version
            // of ecsdef to the next.
            "task_role" => {
                keys.extend(take_scalar(&mut object, key));
                for name in ["pid_mode", "ipc_mode"] {
                    if let Some(key) = table::find(Level::Task, name) {
                        keys.extend(take_scalar(&mut object, key));
                    }
                }
            }
            "runtime_platform" => keys.extend(runtime_platform(&mut object)),
            "tags" => {
                let tags = take_each(&mut object, "tags", |t| {
                    let key = take_str(t, "key")?;
                    let value = take_str(t, "value")?;
                    Some(format!("{} = {}", lit(&key), lit(&value)))
                });
                if !tags.is_empty() {
                    keys.push(format!("tags({})", tags.join(", ")));
                }
            }
            "volume" => keys.extend(take_each(&mut object, "volumes", |v| {
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
            })),
            _ => keys.extend(take_scalar(&mut object, key)),
        }
    }
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
