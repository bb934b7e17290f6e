//! Task-shape rules: names, sizes, network mode, ports, logging, health checks, dependencies,
//! images. What cfn-lint and the ECS API check, moved to compile time.

use std::collections::HashMap;

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

/// The most tags ECS takes on a task definition.
pub const MAX_TAGS: usize = 50;
/// The longest tag key, in characters.
const TAG_KEY_MAX_LEN: usize = 128;
/// The longest tag value, in characters.
const TAG_VALUE_MAX_LEN: usize = 256;

/// Tags ECS does not take: too many, a key twice, too long, a character outside AWS's
/// pattern, or the `aws:` prefix AWS reserves.
pub const TAGS: Rule = Rule {
    name: "tags",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a task's tags: at most 50, keys unique and of 1-128 characters, values of at most 256, both of letters, digits, spaces and `_ . : / = + - @` (placeholders substituted) and neither starting with `aws:`",
    help: "keep at most 50 tags with unique keys of 1-128 characters and values of at most 256, of letters, digits, spaces and `_ . : / = + - @`, none starting with `aws:`",
    link: aws_docs::TAG_API,
    aws: Quote {
        text: "Maximum number of tags per resource - 50",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html",
    },
    order: 319,
};

/// The rules of this module, for [`super::RULES`].
pub(super) const RULES: &[&Rule] = &[
    &FAMILY_NAME,
    &CONTAINER_NAME,
    &TOO_MANY_CONTAINERS,
    &TAGS,
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
        || Location::Json("family".into()),
        out,
    );
    out.extend(check_container_count(td.container_definitions.len()));
    check_tags(td, out);
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

/// `tags`: how many, each key and value, and the keys' uniqueness.
fn check_tags(td: &TaskDefinition, out: &mut Vec<Diagnostic>) {
    let Some(tags) = &td.tags else { return };
    let mut push = |path: String, message: String| {
        out.push(Diagnostic::new(
            &TAGS,
            Location::Json(path),
            message,
            TAGS.help,
        ));
    };
    if tags.len() > MAX_TAGS {
        push(
            "tags".into(),
            format!(
                "the task has {} tags; ECS takes at most {MAX_TAGS}",
                tags.len()
            ),
        );
    }
    // Where each key is first, to find one written twice.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, tag) in tags.iter().enumerate() {
        let key = tag.key.as_deref().unwrap_or("");
        let problem = if key.is_empty() {
            Some("a tag has an empty key".to_owned())
        } else {
            tag_text_problem(key, "key", TAG_KEY_MAX_LEN)
        };
        if let Some(problem) = problem {
            push(format!("tags[{i}].key"), problem);
        } else if let Some(&first) = seen.get(key) {
            push(
                format!("tags[{i}].key"),
                format!("tags {first} and {i} both have the key `{key}`"),
            );
        } else {
            seen.insert(key, i);
        }
        if let Some(problem) = tag
            .value
            .as_deref()
            .and_then(|value| tag_text_problem(value, "value", TAG_VALUE_MAX_LEN))
        {
            push(format!("tags[{i}].value"), problem);
        }
    }
}

/// What is wrong with a tag's key or value (`what`), if anything: AWS's pattern is
/// `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, read here with Rust's `char::is_alphabetic` (which takes a
/// few combining marks `\p{L}` does not) and `is_numeric`, and spaces the separators that are
/// not control characters. A placeholder stands for what it will be given.
fn tag_text_problem(text: &str, what: &str, max: usize) -> Option<String> {
    let allowed = |c: char| {
        c.is_alphabetic()
            || c.is_numeric()
            || (c.is_whitespace() && !c.is_control())
            || "_.:/=+-@".contains(c)
    };
    let literal: Vec<char> = literal_chars(text).into_iter().map(|(_, c)| c).collect();
    if let Some(c) = literal.iter().find(|&&c| !allowed(c)) {
        Some(format!("the tag {what} `{text}` contains `{c}`"))
    } else if literal.len() > max {
        Some(format!(
            "the tag {what} is {} characters long; the limit is {max}",
            literal.len()
        ))
    } else if text.len() >= 4 && text.as_bytes()[..4].eq_ignore_ascii_case(b"aws:") {
        Some(format!(
            "the tag {what} `{text}` starts with `{}`, which AWS reserves for its own tags",
            &text[..4]
        ))
    } else {
        None
    }
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
        || Location::Json(String::new()),
        &mut out,
    );
    // The rule lets a placeholder stand; a family that names files has none left.
    out.is_empty() && !family.contains('$')
}

/// Names of families and containers: `[A-Za-z0-9_-]{1,max}`; placeholders are allowed and the
/// parts around them are checked, their length too. `location` is made only for a finding:
/// most names have none.
fn check_name(
    name: &str,
    rule: &'static Rule,
    what: &str,
    max: usize,
    location: impl FnOnce() -> Location,
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
            location(),
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
            || container_path(i, "name"),
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
    /// `n` tags, each valid.
    fn tags(n: usize) -> serde_json::Value {
        (0..n)
            .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
            .collect()
    }
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
        Case {
            rule: &TAGS,
            at: "tags[1].key",
            bad: |v, _| {
                v["tags"] =
                    json!([{"key": "team", "value": "web"}, {"key": "aws:team", "value": "web"}]);
            },
            good: |v, _| {
                v["tags"] = json!([{"key": "team", "value": "web"}, {"key": "team:aws", "value": "${STAGE}"}]);
            },
        },
        Case {
            rule: &TAGS,
            at: "tags[0].value",
            bad: |v, _| v["tags"] = json!([{"key": "team", "value": "web & api"}]),
            good: |v, _| v["tags"] = json!([{"key": "team", "value": "web + api"}]),
        },
        Case {
            rule: &TAGS,
            at: "tags",
            bad: |v, _| v["tags"] = tags(51),
            good: |v, _| v["tags"] = tags(50),
        },
        Case {
            rule: &TAGS,
            at: "tags[0].key",
            bad: |v, _| v["tags"] = json!([{"key": "", "value": "web"}]),
            good: |v, _| v["tags"] = json!([{"key": "team", "value": ""}]),
        },
        Case {
            rule: &TAGS,
            at: "tags[2].key",
            bad: |v, _| v["tags"] = json!([{"key": "a"}, {"key": "b"}, {"key": "a"}]),
            good: |v, _| v["tags"] = json!([{"key": "a"}, {"key": "b"}, {"key": "A"}]),
        },
        Case {
            rule: &TAGS,
            at: "tags[0].key",
            bad: |v, _| v["tags"] = json!([{"key": "k".repeat(129)}]),
            good: |v, _| v["tags"] = json!([{"key": format!("{}${{STAGE}}", "k".repeat(128))}]),
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
