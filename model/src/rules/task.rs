//! Task-shape rules: names, sizes, network mode, ports, logging, health checks, dependencies,
//! images. What cfn-lint and the ECS API check, moved to compile time.

use super::sizes::{parse_task_cpu, parse_task_memory, valid_fargate_memories};
use super::{Context, Diagnostic, Location, container_path, is_fargate};
use crate::image::ImageReference;
use crate::placeholder::{contains_placeholder, literal_chars};
use crate::{ContainerCondition, ContainerDefinition, LogDriver, NetworkMode, TaskDefinition};

pub(super) fn check(td: &TaskDefinition, cx: &Context, out: &mut Vec<Diagnostic>) {
    let _ = cx;
    check_name(
        &td.family,
        "family-name",
        "family",
        Location::Json("family".into()),
        out,
    );
    let fargate = is_fargate(td);
    let task_memory = td.memory.as_deref().and_then(parse_task_memory);

    if fargate {
        check_fargate_size(td, out);
        if td.network_mode != Some(NetworkMode::Awsvpc) {
            let found = td.network_mode.map_or_else(
                || "no network mode (ECS defaults to `bridge`)".to_owned(),
                |m| format!("network mode `{m}`"),
            );
            out.push(Diagnostic::new(
                "fargate-network-mode",
                Location::Json(
                    if td.network_mode.is_some() {
                        "networkMode"
                    } else {
                        ""
                    }
                    .into(),
                ),
                format!("a Fargate task needs the `awsvpc` network mode, found {found}"),
                "set `network_mode = \"awsvpc\"` (the default with `fargate`)",
            ));
        }
    }

    let containers = &td.container_definitions;
    if !containers.iter().any(|c| c.essential != Some(false)) {
        out.push(Diagnostic::new(
            "no-essential-container",
            Location::Json("containerDefinitions".into()),
            if containers.is_empty() {
                "the task has no containers".to_owned()
            } else {
                "no container of the task is essential".to_owned()
            },
            "mark the task's main container essential (`essential = true`, the default)",
        ));
    }

    for (i, c) in containers.iter().enumerate() {
        check_container(td, i, c, fargate, task_memory, out);
    }
}

/// Names of families and containers: `[A-Za-z0-9_-]{1,255}`; placeholders are allowed and the
/// parts around them are checked.
fn check_name(
    name: &str,
    rule: &'static str,
    what: &str,
    location: Location,
    out: &mut Vec<Diagnostic>,
) {
    let templated = contains_placeholder(name);
    let bad = literal_chars(name)
        .into_iter()
        .map(|(_, c)| c)
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'));
    let message = if name.is_empty() {
        Some(format!("the {what} is empty"))
    } else if let Some(c) = bad {
        Some(format!("the {what} `{name}` contains `{c}`"))
    } else if !templated && name.chars().count() > 255 {
        Some(format!(
            "the {what} is {} characters long; the limit is 255",
            name.chars().count()
        ))
    } else {
        None
    };
    if let Some(message) = message {
        out.push(Diagnostic::new(
            rule,
            location,
            message,
            format!("a {what} holds 1-255 letters, digits, `-` and `_`"),
        ));
    }
}

fn check_fargate_size(td: &TaskDefinition, out: &mut Vec<Diagnostic>) {
    let cpu_text = td.cpu.as_deref();
    let memory_text = td.memory.as_deref();
    let (Some(cpu_text), Some(memory_text)) = (cpu_text, memory_text) else {
        let missing = if cpu_text.is_none() { "cpu" } else { "memory" };
        out.push(Diagnostic::new(
            "fargate-cpu-memory",
            Location::Json(String::new()),
            format!("a Fargate task needs a task-level `{missing}`"),
            "set `cpu` and `memory` on the task, for example `cpu = 256, memory = 512`",
        ));
        return;
    };
    if contains_placeholder(cpu_text) || contains_placeholder(memory_text) {
        return;
    }
    let sizes: Vec<String> = super::FARGATE_SIZES
        .iter()
        .map(|(c, _)| c.to_string())
        .collect();
    let Some(cpu) = parse_task_cpu(cpu_text).filter(|c| valid_fargate_memories(*c).is_some())
    else {
        out.push(Diagnostic::new(
            "fargate-cpu-memory",
            Location::Json("cpu".into()),
            format!("`{cpu_text}` is not a Fargate cpu size"),
            format!("Fargate cpu sizes (CPU units): {}", sizes.join(", ")),
        ));
        return;
    };
    let valid = valid_fargate_memories(cpu).unwrap_or_default();
    let ok = parse_task_memory(memory_text).is_some_and(|m| valid.contains(&m));
    if !ok {
        out.push(Diagnostic::new(
            "fargate-cpu-memory",
            Location::Json("memory".into()),
            format!("Fargate has no task of cpu {cpu} with memory `{memory_text}`"),
            format!(
                "with cpu {cpu}, memory (MiB) is one of {}",
                format_memories(&valid)
            ),
        ));
    }
}

fn format_memories(valid: &[u32]) -> String {
    if valid.len() <= 6 {
        return valid
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
    }
    let step = valid[1] - valid[0];
    format!(
        "{} to {} in steps of {step}",
        valid[0],
        valid[valid.len() - 1]
    )
}

fn check_container(
    td: &TaskDefinition,
    i: usize,
    c: &ContainerDefinition,
    fargate: bool,
    task_memory: Option<u32>,
    out: &mut Vec<Diagnostic>,
) {
    match &c.name {
        Some(name) => {
            check_name(
                name,
                "container-name",
                "container name",
                container_path(i, "name"),
                out,
            );
            let first = td
                .container_definitions
                .iter()
                .position(|o| o.name.as_ref() == Some(name));
            if first.is_some_and(|f| f < i) {
                out.push(Diagnostic::new(
                    "container-name",
                    container_path(i, "name"),
                    format!("two containers are named `{name}`"),
                    "container names are unique in a task: rename one of them",
                ));
            }
        }
        None => out.push(Diagnostic::new(
            "container-name",
            container_path(i, ""),
            "the container has no name",
            "every container of a task needs a name",
        )),
    }

    match &c.image {
        Some(image) => match ImageReference::parse(image) {
            Ok(reference) => {
                if reference.is_unpinned() {
                    out.push(Diagnostic::new(
                        "image-unpinned",
                        container_path(i, "image"),
                        format!("the image `{image}` is not pinned to a tag or digest"),
                        "pin a version tag or a digest, for example `:1.4.2` or `:${IMAGE_TAG}`",
                    ));
                }
            }
            Err(e) => {
                let mut d = Diagnostic::new(
                    "image-reference",
                    container_path(i, "image"),
                    e.message(),
                    e.help(),
                );
                d.span = Some(e.span());
                out.push(d);
            }
        },
        None => out.push(Diagnostic::new(
            "image-reference",
            container_path(i, ""),
            "the container has no image",
            "set `image`, for example `image = \"ghcr.io/acme/web:1.4.2\"`",
        )),
    }

    if let (Some(memory), Some(task_memory)) = (c.memory, task_memory)
        && i64::from(memory) > i64::from(task_memory)
    {
        out.push(Diagnostic::new(
            "container-memory-exceeds-task",
            container_path(i, "memory"),
            format!(
                "the container's memory limit {memory} MiB is above the task's {task_memory} MiB"
            ),
            "lower the container's `memory` or raise the task's",
        ));
    }

    check_ports(td, i, c, out);
    check_logging(i, c, fargate, out);
    check_health(i, c, out);
    check_depends_on(td, i, c, out);
}

fn check_ports(td: &TaskDefinition, i: usize, c: &ContainerDefinition, out: &mut Vec<Diagnostic>) {
    let mode = td.network_mode.or(if is_fargate(td) {
        Some(NetworkMode::Awsvpc)
    } else {
        None
    });
    let Some(mode @ (NetworkMode::Awsvpc | NetworkMode::Host)) = mode else {
        return;
    };
    for (p, mapping) in c.port_mappings.iter().flatten().enumerate() {
        if let (Some(container), Some(host)) = (mapping.container_port, mapping.host_port)
            && container != host
        {
            out.push(Diagnostic::new(
                "host-port-mismatch",
                container_path(i, &format!("portMappings[{p}].hostPort")),
                format!("host port {host} differs from container port {container} in `{mode}` network mode"),
                format!("in `{mode}` mode the host port equals the container port: set it to {container} or leave it out"),
            ));
        }
    }
}

fn check_logging(i: usize, c: &ContainerDefinition, fargate: bool, out: &mut Vec<Diagnostic>) {
    let Some(log) = &c.log_configuration else {
        return;
    };
    if fargate
        && !matches!(
            log.log_driver,
            LogDriver::Awslogs | LogDriver::Splunk | LogDriver::Awsfirelens
        )
    {
        out.push(Diagnostic::new(
            "fargate-log-driver",
            container_path(i, "logConfiguration.logDriver"),
            format!(
                "Fargate does not support the `{}` log driver",
                log.log_driver
            ),
            "on Fargate use `awslogs`, `splunk` or `awsfirelens`",
        ));
    }
    if log.log_driver == LogDriver::Awslogs {
        let options = log.options.as_ref();
        let has = |key: &str| options.is_some_and(|o| o.contains_key(key));
        let mut missing: Vec<&str> = ["awslogs-group", "awslogs-region"]
            .into_iter()
            .filter(|k| !has(k))
            .collect();
        if fargate && !has("awslogs-stream-prefix") {
            missing.push("awslogs-stream-prefix");
        }
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Diagnostic::new(
                "awslogs-options",
                container_path(i, if options.is_some() { "logConfiguration.options" } else { "logConfiguration" }),
                format!("the `awslogs` log driver is missing {list}"),
                "set the log group, its region and (on Fargate) a stream prefix, for example `log(driver = \"awslogs\", group = \"/ecs/web\", region = \"us-east-1\", stream_prefix = \"web\")`",
            ));
        }
    }
}

fn check_health(i: usize, c: &ContainerDefinition, out: &mut Vec<Diagnostic>) {
    let Some(hc) = &c.health_check else {
        return;
    };
    if !matches!(
        hc.command.first().map(String::as_str),
        Some("CMD" | "CMD-SHELL")
    ) {
        out.push(Diagnostic::new(
            "health-check-range",
            container_path(i, "healthCheck.command"),
            match hc.command.first() {
                Some(first) => format!("the health check command starts with `{first}`"),
                None => "the health check command is empty".to_owned(),
            },
            "start the command with `CMD` (exec form) or `CMD-SHELL` (run by the container's shell)",
        ));
    }
    let ranges: [(&str, Option<i32>, i32, i32, &str); 4] = [
        ("interval", hc.interval, 5, 300, "seconds"),
        ("timeout", hc.timeout, 2, 60, "seconds"),
        ("retries", hc.retries, 1, 10, "retries"),
        ("startPeriod", hc.start_period, 0, 300, "seconds"),
    ];
    for (member, value, min, max, unit) in ranges {
        if let Some(v) = value
            && !(min..=max).contains(&v)
        {
            out.push(Diagnostic::new(
                "health-check-range",
                container_path(i, &format!("healthCheck.{member}")),
                format!("health check {member} {v} is out of range"),
                format!("{member} is {min} to {max} {unit}"),
            ));
        }
    }
}

fn check_depends_on(
    td: &TaskDefinition,
    i: usize,
    c: &ContainerDefinition,
    out: &mut Vec<Diagnostic>,
) {
    for (d, dep) in c.depends_on.iter().flatten().enumerate() {
        let target = td
            .container_definitions
            .iter()
            .find(|o| o.name.as_deref() == Some(dep.container_name.as_str()));
        let location = container_path(i, &format!("dependsOn[{d}].containerName"));
        match target {
            None => {
                let names = td
                    .container_definitions
                    .iter()
                    .filter_map(|o| o.name.as_deref());
                let help = match crate::did_you_mean(&dep.container_name, names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "name a container of this task".to_owned(),
                };
                out.push(Diagnostic::new(
                    "depends-on-unknown",
                    location,
                    format!("`{}` is not a container of this task", dep.container_name),
                    help,
                ));
            }
            Some(target)
                if dep.condition == ContainerCondition::Healthy
                    && target.health_check.is_none() =>
            {
                out.push(Diagnostic::new(
                    "depends-on-healthy-without-check",
                    container_path(i, &format!("dependsOn[{d}].condition")),
                    format!(
                        "`HEALTHY` on `{}`, which has no health check",
                        dep.container_name
                    ),
                    format!(
                        "give `{}` a health check, or depend on it with `START`",
                        dep.container_name
                    ),
                ));
            }
            Some(_) => {}
        }
    }
}
