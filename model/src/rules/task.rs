//! Task-shape rules: names, sizes, network mode, ports, logging, health checks, dependencies,
//! images. What cfn-lint and the ECS API check, moved to compile time.

use super::sizes::{parse_task_cpu, parse_task_memory, valid_fargate_memories};
use super::{Diagnostic, Location, container_path, is_fargate};
use crate::image::ImageReference;
use crate::placeholder::{contains_placeholder, literal_chars};
use crate::{ContainerDefinition, LogDriver, NetworkMode, TaskDefinition};

/// The task's own members: its family, and Fargate's size and network mode.
pub(super) fn check_task(td: &TaskDefinition, out: &mut Vec<Diagnostic>) {
    check_name(
        &td.family,
        "family-name",
        "family",
        Location::Json("family".into()),
        out,
    );
    if is_fargate(td) {
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
    let allowed = |c: &char| c.is_ascii_alphanumeric() || *c == '-' || *c == '_';
    let bad = if name.contains('$') {
        literal_chars(name)
            .into_iter()
            .map(|(_, c)| c)
            .find(|c| !allowed(c))
    } else {
        name.chars().find(|c| !allowed(c))
    };
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

/// `container-name`: the one rule on a container that reads its name, which a task field may
/// give it.
pub(super) fn check_container_name(i: usize, c: &ContainerDefinition, out: &mut Vec<Diagnostic>) {
    match &c.name {
        Some(name) => check_name(
            name,
            "container-name",
            "container name",
            container_path(i, "name"),
            out,
        ),
        None => out.push(Diagnostic::new(
            "container-name",
            container_path(i, ""),
            "the container has no name",
            "every container of a task needs a name",
        )),
    }
}

/// The rules a container can be judged by alone, but for its name.
pub(super) fn check_container(i: usize, c: &ContainerDefinition, out: &mut Vec<Diagnostic>) {
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
    check_awslogs(i, c, out);
    check_health(i, c, out);
}

/// `awslogs-options`, the part that holds on any launch type (Fargate's stream prefix is a
/// task-scope check).
fn check_awslogs(i: usize, c: &ContainerDefinition, out: &mut Vec<Diagnostic>) {
    let Some(log) = &c.log_configuration else {
        return;
    };
    if log.log_driver != LogDriver::Awslogs {
        return;
    }
    let options = log.options.as_ref();
    let missing: Vec<String> = ["awslogs-group", "awslogs-region"]
        .into_iter()
        .filter(|k| !options.is_some_and(|o| o.contains_key(*k)))
        .map(|k| format!("`{k}`"))
        .collect();
    if !missing.is_empty() {
        out.push(Diagnostic::new(
            "awslogs-options",
            container_path(
                i,
                if options.is_some() {
                    "logConfiguration.options"
                } else {
                    "logConfiguration"
                },
            ),
            format!("the `awslogs` log driver is missing {}", missing.join(", ")),
            AWSLOGS_HELP,
        ));
    }
}

pub(super) const AWSLOGS_HELP: &str = "set the log group, its region and (on Fargate) a stream prefix, for example `log(driver = \"awslogs\", group = \"/ecs/web\", region = \"us-east-1\", stream_prefix = \"web\")`";

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
