//! The rules that need the whole task, evaluated through the `const fn` predicates of
//! [`facts`](super::facts) that the derives evaluate at compile time. This module only adds
//! what a compile-time assertion cannot: the exact member and a message with numbers.

use super::facts::{
    self, CONTAINER_MEMORY_EXCEEDS_TASK, CROSS_ACCOUNT_NEEDS_KMS_KEY, ContainerSummary,
    DEPENDS_ON_HEALTHY_WITHOUT_CHECK, DEPENDS_ON_UNKNOWN, EXECUTION_ROLE_REQUIRED,
    FARGATE_LOG_DRIVER, HOST_PORT_MISMATCH, NO_ESSENTIAL_CONTAINER, PARTITION_MISMATCH,
    SSM_CROSS_REGION_NEEDS_ARN, TaskFacts, VersionShortfall,
};
use super::task::{AWSLOGS_OPTIONS, CONTAINER_NAME};
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
            &NO_ESSENTIAL_CONTAINER,
            Location::Json("containerDefinitions".into()),
            if summaries.is_empty() {
                "the task has no containers".to_owned()
            } else {
                "no container of the task is essential".to_owned()
            },
            NO_ESSENTIAL_CONTAINER.help,
        ));
    }

    for (i, summary) in summaries.iter().enumerate() {
        let c = summary.facts();
        let name = names[i];
        if !name.is_empty()
            && let Some(first) = facts::duplicate_name(&names, i)
        {
            out.push(Diagnostic::new(
                &CONTAINER_NAME,
                container_path(i, "name"),
                format!("containers {first} and {i} are both named `{name}`"),
                facts::DUPLICATE_NAME_HELP,
            ));
        }
        if let Some(reason) = facts::execution_role_missing(&task, &c) {
            out.push(Diagnostic::new(
                &EXECUTION_ROLE_REQUIRED,
                container_path(i, reason.member()),
                reason.message(name),
                EXECUTION_ROLE_REQUIRED.help,
            ));
        }
        if facts::memory_exceeds_task(&task, &c) {
            out.push(Diagnostic::new(
                &CONTAINER_MEMORY_EXCEEDS_TASK,
                container_path(i, "memory"),
                format!(
                    "container `{name}`'s memory limit ({} MiB) is above the task's {} MiB",
                    c.memory.unwrap_or_default(),
                    task.memory.unwrap_or_default()
                ),
                CONTAINER_MEMORY_EXCEEDS_TASK.help,
            ));
        }
        if facts::fargate_log_driver_unsupported(&task, &c)
            && let Some(driver) = c.log_driver
        {
            out.push(Diagnostic::new(
                &FARGATE_LOG_DRIVER,
                container_path(i, "logConfiguration.logDriver"),
                format!("Fargate does not support the `{driver}` log driver (container `{name}`)"),
                FARGATE_LOG_DRIVER.help,
            ));
        }
        if facts::awslogs_stream_prefix_missing(&task, &c) {
            let has_options = td.container_definitions[i]
                .log_configuration
                .as_ref()
                .is_some_and(|l| l.options.is_some());
            out.push(Diagnostic::new(
                &AWSLOGS_OPTIONS,
                container_path(
                    i,
                    if has_options {
                        "logConfiguration.options"
                    } else {
                        "logConfiguration"
                    },
                ),
                format!("container `{name}`{}", facts::AWSLOGS_WITHOUT_PREFIX),
                AWSLOGS_OPTIONS.help,
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
                        &HOST_PORT_MISMATCH,
                        container_path(i, &format!("portMappings[{p}].hostPort")),
                        format!("host port {host} differs from container port {container} in `{mode}` network mode"),
                        {
                            let (start, middle, end) = facts::HOST_PORT_HELP;
                            format!("{start}{mode}{middle}{container}{end}")
                        },
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
                &PARTITION_MISMATCH,
                ref_location(r),
                format!(
                    "this ARN is in partition `{}` and the execution role in `{role_partition}`",
                    c.refs[r].partition
                ),
                PARTITION_MISMATCH.help,
            ));
        }
        if let Some(r) = facts::cross_account_without_key(&task, &c) {
            let account = c.refs[r].account.unwrap_or_default();
            let role_account = task.role.and_then(|(_, a)| a).unwrap_or_default();
            out.push(Diagnostic::new(
                &CROSS_ACCOUNT_NEEDS_KMS_KEY,
                ref_location(r),
                format!(
                    "{}{account:012}{}{role_account:012}",
                    facts::CROSS_ACCOUNT_WORDS.0,
                    facts::CROSS_ACCOUNT_WORDS.1
                ),
                if c.kms_key == facts::KmsKeyFact::AwsManaged {
                    facts::AWS_MANAGED_KEY_HELP
                } else {
                    CROSS_ACCOUNT_NEEDS_KMS_KEY.help
                },
            ));
        }
        if let Some((need, shortfall)) = facts::version_shortfall(&task, &c) {
            let declared = match shortfall {
                VersionShortfall::Platform => cx.platform_version.as_deref(),
                VersionShortfall::Agent => cx.agent_version.as_deref(),
            };
            let words = facts::VersionShortfallWords::new(&need, shortfall, declared);
            out.push(Diagnostic::new(
                need.rule,
                Location::Context {
                    container: None,
                    key: words.key,
                },
                words.message(name),
                words.help,
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
                &SSM_CROSS_REGION_NEEDS_ARN,
                container_path(i, path),
                format!(
                    "the parameter `{name}` is given by name, which resolves in the task's region {}, but the task also references it in {region}",
                    task_region.unwrap_or_default()
                ),
                format!("{}{region}{}", facts::SSM_ARN_HELP.0, facts::SSM_ARN_HELP.1),
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
                        None => DEPENDS_ON_UNKNOWN.help.to_owned(),
                    };
                    out.push(Diagnostic::new(
                        &DEPENDS_ON_UNKNOWN,
                        container_path(i, &format!("dependsOn[{d}].containerName")),
                        format!("`{}` is not a container of this task", dep.container_name),
                        help,
                    ));
                }
                Some(target)
                    if dep.condition == ContainerCondition::Healthy
                        && !summaries[target].facts().has_health_check =>
                {
                    let (message, help) = facts::healthy_without_check(&dep.container_name);
                    out.push(Diagnostic::new(
                        &DEPENDS_ON_HEALTHY_WITHOUT_CHECK,
                        container_path(i, &format!("dependsOn[{d}].condition")),
                        message,
                        help,
                    ));
                }
                Some(_) => {}
            }
        }
    }
}
