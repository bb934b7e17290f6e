//! Task-shape rules: names, sizes, network mode, ports, logging, health checks, dependencies,
//! images. What cfn-lint and the ECS API check, moved to compile time.

use super::sizes::{parse_task_cpu, parse_task_memory, valid_fargate_memories};
use super::{Diagnostic, Location, container_path, is_fargate};
use crate::image::{IMAGE_REFERENCE, ImageReference};
use crate::placeholder::{contains_placeholder, literal_chars};
use crate::rule::{Level, Quote, Rule, Scope, aws_docs};
use crate::{ContainerDefinition, LogDriver, NetworkMode, TaskDefinition};

/// The longest file name a file system takes, in bytes (`NAME_MAX` on Linux and macOS).
pub const FILE_NAME_MAX: usize = 255;

/// The longest suffix an output format of `cargo ecsdef export` adds to a family to name a
/// file: `.execution-role-policy.json`. `cargo-ecsdef`'s tests hold every format to it.
pub const FAMILY_SUFFIX_MAX_LEN: usize = 27;

/// What the export adds around a file's name for the temporary file it writes first:
/// `.NAME.ecsdef-PID-N.tmp` adds 26 bytes with a 10-digit PID and an `N` of two digits.
/// `cargo-ecsdef`'s tests hold the out dir's temporary names to it.
pub const TEMPORARY_NAME_EXTRA_LEN: usize = 26;

/// The longest family: every name the export creates for it (the family, the longest
/// suffix, the temporary file's additions) fits in [`FILE_NAME_MAX`] bytes. ECS itself takes
/// 255 characters.
pub const FAMILY_MAX_LEN: usize = FILE_NAME_MAX - FAMILY_SUFFIX_MAX_LEN - TEMPORARY_NAME_EXTRA_LEN;

/// The longest container name ECS takes.
const CONTAINER_NAME_MAX_LEN: usize = 255;

/// A family name AWS does not accept, or too long to name the exported files.
pub const FAMILY_NAME: Rule = Rule {
    name: "family-name",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a family: 1-202 letters, digits, `-` and `_`, placeholders substituted (ECS takes 255, but the family names the exported files, `F.execution-role-policy.json`, and a file name holds at most 255 bytes)",
    help: "a family holds 1-202 letters, digits, `-` and `_`",
    link: aws_docs::REGISTER_API,
    aws: Quote {
        text: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
    },
    order: 301,
};

/// A container name AWS does not accept (its uniqueness in the task is checked with the whole task).
pub const CONTAINER_NAME: Rule = Rule {
    name: "container-name",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a container name: 1-255 letters, digits, `-` and `_`, unique in the task",
    help: "a container name holds 1-255 letters, digits, `-` and `_`, and is unique in its task",
    link: aws_docs::CONTAINER_API,
    aws: Quote {
        text: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 302,
};

/// A Fargate task of a size Fargate does not offer.
pub const FARGATE_CPU_MEMORY: Rule = Rule {
    name: "fargate-cpu-memory",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a Fargate task's cpu and memory must be one of the sizes Fargate offers",
    help: "set `cpu` and `memory` on the task to a size Fargate offers, for example `cpu = 256, memory = 512`",
    link: aws_docs::FARGATE_SIZE,
    aws: Quote {
        text: "This field is required for Fargate. For information about the valid values, see Task size in the Amazon Elastic Container Service Developer Guide.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
    },
    order: 303,
};

/// A Fargate task in another network mode than `awsvpc`.
pub const FARGATE_NETWORK_MODE: Rule = Rule {
    name: "fargate-network-mode",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a Fargate task needs the `awsvpc` network mode",
    help: "set `network_mode = \"awsvpc\"` (the default with `fargate`)",
    link: aws_docs::NETWORK_MODE,
    aws: Quote {
        text: "For Amazon ECS tasks on Fargate, the awsvpc network mode is required.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
    },
    order: 304,
};

/// `awslogs` without the options it needs (the Fargate stream prefix is checked with the whole task).
pub const AWSLOGS_OPTIONS: Rule = Rule {
    name: "awslogs-options",
    level: Level::Error,
    scope: Scope::Container,
    summary: "`awslogs` needs `awslogs-group` and `awslogs-region`, and on Fargate `awslogs-stream-prefix`",
    help: "set the log group, its region and (on Fargate) a stream prefix, for example `log(driver = \"awslogs\", group = \"/ecs/web\", region = \"us-east-1\", stream_prefix = \"web\")`",
    link: aws_docs::AWSLOGS,
    aws: Quote {
        text: "Make sure to specify a log group that the awslogs log driver sends its log streams to.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html",
    },
    order: 307,
};

/// A health check interval, timeout, retry count or start period out of ECS's range.
pub const HEALTH_CHECK_RANGE: Rule = Rule {
    name: "health-check-range",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a health check's interval is 5-300 s, timeout 2-60 s, retries 1-10, start period 0-300 s",
    help: "keep the interval, timeout, retries and start period in their ranges",
    link: aws_docs::HEALTH_CHECK,
    aws: Quote {
        text: "The time period in seconds between each health check execution. You may specify between 5 and 300 seconds.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html",
    },
    order: 309,
};

/// A health check command that does not start with `CMD` or `CMD-SHELL`.
pub const HEALTH_CHECK_COMMAND: Rule = Rule {
    name: "health-check-command",
    level: Level::Error,
    scope: Scope::Container,
    summary: "a health check command starts with `CMD` (the arguments run directly) or `CMD-SHELL` (one command line run by the container's shell)",
    help: "start the command with `CMD` (exec form) or `CMD-SHELL` (run by the container's shell)",
    link: aws_docs::HEALTH_CHECK,
    aws: Quote {
        text: "The string array must start with CMD to run the command arguments directly, or CMD-SHELL to run the command with the container's default shell.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html",
    },
    order: 317,
};

/// An image that deploys whatever was pushed last.
pub const IMAGE_UNPINNED: Rule = Rule {
    name: "image-unpinned",
    level: Level::Warning,
    scope: Scope::Container,
    summary: "an image with no tag or `:latest` deploys whatever was pushed last",
    help: "pin a version tag or a digest, for example `:1.4.2` or `:${IMAGE_TAG}`",
    link: aws_docs::IMAGE,
    aws: Quote {
        text: "When a new task starts, the Amazon ECS container agent pulls the latest version of the specified image and tag for the container to use.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 314,
};

/// The most containers ECS registers in one task definition (a quota AWS does not raise).
pub const MAX_CONTAINERS: usize = 10;

/// A task of more containers than ECS registers.
pub const TOO_MANY_CONTAINERS: Rule = Rule {
    name: "too-many-containers",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a task definition holds at most 10 containers",
    help: "keep at most 10 containers in the task: give those that need not run beside the others a task of their own",
    link: aws_docs::SERVICE_QUOTAS,
    aws: Quote {
        text: "The maximum number of containers definitions within a task definition.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html",
    },
    order: 318,
};

/// The rules of this module, for [`super::RULES`].
pub(super) const RULES: &[&Rule] = &[
    &FAMILY_NAME,
    &CONTAINER_NAME,
    &TOO_MANY_CONTAINERS,
    &FARGATE_CPU_MEMORY,
    &FARGATE_NETWORK_MODE,
    &AWSLOGS_OPTIONS,
    &HEALTH_CHECK_RANGE,
    &HEALTH_CHECK_COMMAND,
    &IMAGE_UNPINNED,
];

/// The task's own members: its family, how many containers it has, and Fargate's size and
/// network mode.
pub(super) fn check_task(td: &TaskDefinition, out: &mut Vec<Diagnostic>) {
    check_name(
        &td.family,
        &FAMILY_NAME,
        "family",
        FAMILY_MAX_LEN,
        Location::Json("family".into()),
        out,
    );
    out.extend(check_container_count(td.container_definitions.len()));
    if is_fargate(td) {
        check_fargate_size(td, out);
        if td.network_mode != Some(NetworkMode::Awsvpc) {
            let found = td.network_mode.map_or_else(
                || "no network mode (ECS defaults to `bridge`)".to_owned(),
                |m| format!("network mode `{m}`"),
            );
            out.push(Diagnostic::new(
                &FARGATE_NETWORK_MODE,
                Location::Json(
                    if td.network_mode.is_some() {
                        "networkMode"
                    } else {
                        ""
                    }
                    .into(),
                ),
                format!("a Fargate task needs the `awsvpc` network mode, found {found}"),
                FARGATE_NETWORK_MODE.help,
            ));
        }
    }
}

/// `too-many-containers`, for a task of `count` containers: what the rule engine reports on a
/// whole task, and what `#[derive(TaskDefinition)]` reports from the number of its fields,
/// before it sees a container.
pub fn check_container_count(count: usize) -> Option<Diagnostic> {
    (count > MAX_CONTAINERS).then(|| {
        Diagnostic::new(
            &TOO_MANY_CONTAINERS,
            Location::Json("containerDefinitions".into()),
            format!("the task has {count} containers; ECS registers at most {MAX_CONTAINERS} in a task definition"),
            TOO_MANY_CONTAINERS.help,
        )
    })
}

/// Whether `family`, with its placeholders substituted, passes `family-name`: what the export
/// asks before it names files after a family, by the rule's own check.
pub fn is_valid_family(family: &str) -> bool {
    let mut out = Vec::new();
    check_name(
        family,
        &FAMILY_NAME,
        "family",
        FAMILY_MAX_LEN,
        Location::Json(String::new()),
        &mut out,
    );
    // The rule lets a placeholder stand; a family that names files has none left.
    out.is_empty() && !family.contains('$')
}

/// Names of families and containers: `[A-Za-z0-9_-]{1,max}`; placeholders are allowed and the
/// parts around them are checked, their length too.
fn check_name(
    name: &str,
    rule: &'static Rule,
    what: &str,
    max: usize,
    location: Location,
    out: &mut Vec<Diagnostic>,
) {
    let templated = contains_placeholder(name);
    let allowed = |c: &char| c.is_ascii_alphanumeric() || *c == '-' || *c == '_';
    let literal: Vec<char> = if name.contains('$') {
        literal_chars(name).into_iter().map(|(_, c)| c).collect()
    } else {
        name.chars().collect()
    };
    let bad = literal.iter().find(|c| !allowed(c));
    let message = if name.is_empty() {
        Some(format!("the {what} is empty"))
    } else if let Some(c) = bad {
        Some(format!("the {what} `{name}` contains `{c}`"))
    } else if literal.len() > max {
        let around = if templated {
            " outside its placeholders"
        } else {
            ""
        };
        let why = if *rule == FAMILY_NAME {
            format!(
                ", so that its files' names (up to `F.execution-role-policy.json`, and the temporary file written first) fit in {FILE_NAME_MAX} bytes"
            )
        } else {
            String::new()
        };
        Some(format!(
            "the {what} is {} characters long{around}; the limit is {max}{why}",
            literal.len()
        ))
    } else {
        None
    };
    if let Some(message) = message {
        out.push(Diagnostic::new(
            rule,
            location,
            message,
            format!("a {what} holds 1-{max} letters, digits, `-` and `_`"),
        ));
    }
}

fn check_fargate_size(td: &TaskDefinition, out: &mut Vec<Diagnostic>) {
    let cpu_text = td.cpu.as_deref();
    let memory_text = td.memory.as_deref();
    let (Some(cpu_text), Some(memory_text)) = (cpu_text, memory_text) else {
        let missing = if cpu_text.is_none() { "cpu" } else { "memory" };
        out.push(Diagnostic::new(
            &FARGATE_CPU_MEMORY,
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
            &FARGATE_CPU_MEMORY,
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
            &FARGATE_CPU_MEMORY,
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
            &CONTAINER_NAME,
            "container name",
            CONTAINER_NAME_MAX_LEN,
            container_path(i, "name"),
            out,
        ),
        None => out.push(Diagnostic::new(
            &CONTAINER_NAME,
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
                        &IMAGE_UNPINNED,
                        container_path(i, "image"),
                        format!("the image `{image}` is not pinned to a tag or digest"),
                        IMAGE_UNPINNED.help,
                    ));
                }
            }
            Err(e) => out.push(Diagnostic::from_value_error(
                e.into(),
                &IMAGE_REFERENCE,
                container_path(i, "image"),
            )),
        },
        None => out.push(Diagnostic::new(
            &IMAGE_REFERENCE,
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
            &AWSLOGS_OPTIONS,
            container_path(
                i,
                if options.is_some() {
                    "logConfiguration.options"
                } else {
                    "logConfiguration"
                },
            ),
            format!("the `awslogs` log driver is missing {}", missing.join(", ")),
            AWSLOGS_OPTIONS.help,
        ));
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
            &HEALTH_CHECK_COMMAND,
            container_path(i, "healthCheck.command"),
            match hc.command.first() {
                Some(first) => format!("the health check command starts with `{first}`"),
                None => "the health check command is empty".to_owned(),
            },
            HEALTH_CHECK_COMMAND.help,
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
                &HEALTH_CHECK_RANGE,
                container_path(i, &format!("healthCheck.{member}")),
                format!("health check {member} {v} is out of range"),
                format!("{member} is {min} to {max} {unit}"),
            ));
        }
    }
}

/// This area's cases for the test of every rule (`cases.rs`).
#[cfg(test)]
pub(super) fn cases() -> Vec<super::cases::Case> {
    use super::cases::{Case, add_sidecars, app};
    use serde_json::json;
    vec![
        Case {
            rule: &FAMILY_NAME,
            at: "family",
            bad: |v, _| v["family"] = json!("web.prod"),
            good: |v, _| v["family"] = json!("web-prod_${STAGE}"),
        },
        // A family ECS takes but too long to name its files: the limit holds around
        // placeholders too.
        Case {
            rule: &FAMILY_NAME,
            at: "family",
            bad: |v, _| v["family"] = json!("f".repeat(230)),
            good: |v, _| v["family"] = json!("f".repeat(super::task::FAMILY_MAX_LEN)),
        },
        Case {
            rule: &FAMILY_NAME,
            at: "family",
            bad: |v, _| v["family"] = json!(format!("{}${{STAGE}}", "f".repeat(203))),
            good: |v, _| v["family"] = json!(format!("{}${{STAGE}}", "f".repeat(202))),
        },
        // The base has two containers; eleven is one too many.
        Case {
            rule: &TOO_MANY_CONTAINERS,
            at: "containerDefinitions",
            bad: |v, _| add_sidecars(v, 9),
            good: |v, _| add_sidecars(v, 8),
        },
        Case {
            rule: &CONTAINER_NAME,
            at: "containerDefinitions[1].name",
            bad: |v, _| v["containerDefinitions"][1]["name"] = json!("app"),
            good: |v, _| v["containerDefinitions"][1]["name"] = json!("app2"),
        },
        Case {
            rule: &FARGATE_CPU_MEMORY,
            at: "memory",
            bad: |v, _| v["memory"] = json!("4096"),
            good: |v, _| v["memory"] = json!("2 GB"),
        },
        Case {
            rule: &FARGATE_NETWORK_MODE,
            at: "networkMode",
            bad: |v, _| v["networkMode"] = json!("bridge"),
            good: |v, _| v["requiresCompatibilities"] = json!(["EC2"]),
        },
        Case {
            rule: &AWSLOGS_OPTIONS,
            at: "containerDefinitions[0].logConfiguration.options",
            bad: |v, _| {
                app(v)["logConfiguration"]["options"]
                    .as_object_mut()
                    .unwrap()
                    .remove("awslogs-stream-prefix");
            },
            good: |v, _| {
                v["requiresCompatibilities"] = json!(["EC2"]);
                app(v)["logConfiguration"]["options"]
                    .as_object_mut()
                    .unwrap()
                    .remove("awslogs-stream-prefix");
            },
        },
        Case {
            rule: &HEALTH_CHECK_RANGE,
            at: "containerDefinitions[0].healthCheck.interval",
            bad: |v, _| app(v)["healthCheck"]["interval"] = json!(4),
            good: |v, _| app(v)["healthCheck"]["interval"] = json!(5),
        },
        Case {
            rule: &HEALTH_CHECK_COMMAND,
            at: "containerDefinitions[0].healthCheck.command",
            bad: |v, _| {
                app(v)["healthCheck"]["command"] = json!(["curl", "-f", "http://localhost:8080/"]);
            },
            good: |v, _| {
                app(v)["healthCheck"]["command"] =
                    json!(["CMD", "curl", "-f", "http://localhost:8080/"]);
            },
        },
        Case {
            rule: &crate::image::IMAGE_REFERENCE,
            at: "containerDefinitions[0].image",
            bad: |v, _| app(v)["image"] = json!("ghcr.io/Acme/web:1.4.2"),
            good: |v, _| {
                app(v)["image"] = json!(
                    "ghcr.io/acme/web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                );
            },
        },
        Case {
            rule: &IMAGE_UNPINNED,
            at: "containerDefinitions[0].image",
            bad: |v, _| app(v)["image"] = json!("ghcr.io/acme/web:latest"),
            good: |v, _| app(v)["image"] = json!("ghcr.io/acme/web:${IMAGE_TAG}"),
        },
    ]
}
