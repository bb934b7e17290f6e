//! The rules that need the whole task, evaluated through the `const fn` predicates of
//! [`facts`](super::facts) that the derives evaluate at compile time. This module only adds
//! what a compile-time assertion cannot: the exact member and a message with numbers.

use super::facts::{self, ContainerSummary, TaskFacts, VersionShortfall};
use super::task::AWSLOGS_HELP;
use super::{Context, Diagnostic, Location, container_path};
use crate::{ContainerCondition, TaskDefinition};

/// The rules relating a container to the rest of its task; `summaries` has each container's
/// facts, in order.
pub(super) fn check(
    td: &TaskDefinition,
    cx: &Context,
    summaries: &[ContainerSummary],
    out: &mut Vec<Diagnostic>,
) {
    let task = TaskFacts::of(td, cx);
    let names: Vec<&str> = td
        .container_definitions
        .iter()
        .map(|c| c.name.as_deref().unwrap_or(""))
        .collect();
    let buffers: Vec<facts::SsmBuffers<'_>> = summaries.iter().map(facts::SsmBuffers::of).collect();
    let all_facts: Vec<facts::ContainerFacts<'_>> = summaries
        .iter()
        .zip(&buffers)
        .map(|(s, b)| b.complete(s.facts()))
        .collect();
    let task_region = cx
        .region
        .as_deref()
        .and_then(|r| crate::partition::Region::parse_any(r).ok());
    let task_region = task_region
        .as_ref()
        .and_then(crate::partition::Region::name);

    if !summaries.iter().any(|s| s.facts().essential) {
        out.push(Diagnostic::new(
            "no-essential-container",
            Location::Json("containerDefinitions".into()),
            if summaries.is_empty() {
                "the task has no containers".to_owned()
            } else {
                "no container of the task is essential".to_owned()
            },
            "mark the task's main container essential (`essential = true`, the default)",
        ));
    }

    for (i, summary) in summaries.iter().enumerate() {
        let c = summary.facts();
        let name = names[i];
        if !name.is_empty()
            && let Some(first) = facts::duplicate_name(&names, i)
        {
            out.push(Diagnostic::new(
                "container-name",
                container_path(i, "name"),
                format!("containers {first} and {i} are both named `{name}`"),
                "container names are unique in a task: rename one of them",
            ));
        }
        if let Some(reason) = facts::execution_role_missing(&task, &c) {
            out.push(Diagnostic::new(
                "execution-role-required",
                container_path(i, reason.member()),
                format!("container `{name}` {}, and the task has no execution role", reason.describe()),
                "set `execution_role = \"arn:aws:iam::ACCOUNT:role/NAME\"` on the task: ECS uses that role to fetch credentials, secrets and images and to write logs",
            ));
        }
        if facts::memory_exceeds_task(&task, &c) {
            out.push(Diagnostic::new(
                "container-memory-exceeds-task",
                container_path(i, "memory"),
                format!(
                    "container `{name}`'s memory limit ({} MiB) is above the task's {} MiB",
                    c.memory.unwrap_or_default(),
                    task.memory.unwrap_or_default()
                ),
                "lower the container's `memory` or raise the task's",
            ));
        }
        if facts::fargate_log_driver_unsupported(&task, &c)
            && let Some(driver) = c.log_driver
        {
            out.push(Diagnostic::new(
                "fargate-log-driver",
                container_path(i, "logConfiguration.logDriver"),
                format!("Fargate does not support the `{driver}` log driver (container `{name}`)"),
                "on Fargate use `awslogs`, `splunk` or `awsfirelens`",
            ));
        }
        if facts::awslogs_stream_prefix_missing(&task, &c) {
            let has_options = td.container_definitions[i]
                .log_configuration
                .as_ref()
                .is_some_and(|l| l.options.is_some());
            out.push(Diagnostic::new(
                "awslogs-options",
                container_path(i, if has_options { "logConfiguration.options" } else { "logConfiguration" }),
                format!("container `{name}` logs with `awslogs` on Fargate without `awslogs-stream-prefix`"),
                AWSLOGS_HELP,
            ));
        }
        if facts::host_port_mismatch(&task, &c) {
            let mode = task.network_mode.map_or("awsvpc", |m| m.as_str());
            let mappings = td.container_definitions[i]
                .port_mappings
                .iter()
                .flatten()
                .enumerate();
            for (p, mapping) in mappings {
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
        let ref_location = |r: usize| match summary.ref_path(r) {
            Some(path) => container_path(i, path),
            None => Location::Context {
                container: Some(i),
                key: "kms_key",
            },
        };
        if let Some(r) = facts::partition_mismatch(&task, &c)
            && let Some((role_partition, _)) = task.role
        {
            out.push(Diagnostic::new(
                "partition-mismatch",
                ref_location(r),
                format!(
                    "this ARN is in partition `{}` and the execution role in `{role_partition}`",
                    c.refs[r].partition
                ),
                "a role cannot read across partitions: use a resource in the role's partition",
            ));
        }
        if let Some(r) = facts::cross_account_without_key(&task, &c) {
            let account = c.refs[r].account.unwrap_or_default();
            let role_account = task.role.and_then(|(_, a)| a).unwrap_or_default();
            out.push(Diagnostic::new(
                "cross-account-needs-kms-key",
                ref_location(r),
                format!("the secret is in account {account:012} and the execution role in {role_account:012}"),
                if c.kms_key == facts::KmsKeyFact::AwsManaged {
                    "an AWS-managed key cannot be shared across accounts: encrypt the secret with a customer-managed key and declare it as `kms_key`"
                } else {
                    "encrypt the secret with a customer-managed KMS key shared with the role's account, and declare it: `kms_key = \"arn:aws:kms:REGION:ACCOUNT:key/ID\"`"
                },
            ));
        }
        if let Some((need, shortfall)) = facts::version_shortfall(&task, &c) {
            let (key, declared, minimum, what) = match shortfall {
                VersionShortfall::Platform => (
                    "platform_version",
                    cx.platform_version.as_deref(),
                    need.fargate,
                    "Fargate platform version",
                ),
                VersionShortfall::Agent => (
                    "agent_version",
                    cx.agent_version.as_deref(),
                    need.agent,
                    "ECS container agent",
                ),
            };
            let minimum = format!("{}.{}.{}", minimum.0, minimum.1, minimum.2);
            out.push(Diagnostic::new(
                need.rule,
                Location::Context {
                    container: None,
                    key,
                },
                format!(
                    "{} (container `{name}`, `{}`) needs {what} {minimum}; the task declares {}",
                    need.feature,
                    need.member,
                    declared.unwrap_or("?")
                ),
                format!("declare {what} {minimum} or later"),
            ));
        }
        if let Some(k) = facts::ssm_cross_region(task_region, &all_facts, i) {
            let (name, path) = &summary.ssm_names()[k];
            let region = summaries
                .iter()
                .flat_map(ContainerSummary::ssm_arns)
                .find(|(n, r)| n == name && Some(r.as_str()) != task_region)
                .map_or("another region", |(_, r)| r.as_str());
            out.push(Diagnostic::new(
                "ssm-cross-region-needs-arn",
                container_path(i, path),
                format!(
                    "the parameter `{name}` is given by name, which resolves in the task's region {}, but the task also references it in {region}",
                    task_region.unwrap_or_default()
                ),
                format!("give the full ARN (`arn:aws:ssm:{region}:ACCOUNT:parameter/...`) here too"),
            ));
        }
        for (d, dep) in td.container_definitions[i]
            .depends_on
            .iter()
            .flatten()
            .enumerate()
        {
            match facts::find_name(&names, &dep.container_name) {
                None => {
                    let help = match crate::did_you_mean(&dep.container_name, names.iter().copied())
                    {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "name a container of this task".to_owned(),
                    };
                    out.push(Diagnostic::new(
                        "depends-on-unknown",
                        container_path(i, &format!("dependsOn[{d}].containerName")),
                        format!("`{}` is not a container of this task", dep.container_name),
                        help,
                    ));
                }
                Some(target)
                    if dep.condition == ContainerCondition::Healthy
                        && !summaries[target].facts().has_health_check =>
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
}
