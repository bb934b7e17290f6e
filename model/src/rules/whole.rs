//! The rules that need the whole task, evaluated through the `const fn` predicates of
//! [`facts`](super::facts) that the derives evaluate at compile time, with the words they
//! write. This module adds what the derive's caret cannot show: the exact member each finding
//! is about, and every port mapping or dependency at fault, not only the first.

use super::facts::{
    self, ContainerSummary, DEPENDS_ON_HEALTHY_WITHOUT_CHECK, DEPENDS_ON_UNKNOWN,
    NO_ESSENTIAL_CONTAINER, TaskFacts, VersionShortfall,
};
use super::task::CONTAINER_NAME;
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
    let buffers: Vec<facts::FactBuffers<'_>> =
        summaries.iter().map(facts::FactBuffers::of).collect();
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
        let c = all_facts[i];
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
            out.push(words(
                &facts::execution_role_words(reason, name),
                container_path(i, reason.member()),
            ));
        }
        if facts::memory_exceeds_task(&task, &c)
            && let (Some(memory), Some(task_memory)) = (c.memory, task.memory)
        {
            out.push(words(
                &facts::memory_words(name, memory.into(), task_memory.into()),
                container_path(i, "memory"),
            ));
        }
        if facts::memory_unset(&task, &c) {
            out.push(words(
                &facts::memory_unset_words(name),
                container_path(i, ""),
            ));
        }
        if let Some((memory, reservation)) = facts::memory_below_reservation(&c) {
            out.push(words(
                &facts::reservation_words(name, memory.into(), reservation.into()),
                container_path(i, "memory"),
            ));
        }
        if facts::fargate_log_driver_unsupported(&task, &c)
            && let Some(driver) = c.log_driver
        {
            out.push(words(
                &facts::log_driver_words(name, driver),
                container_path(i, "logConfiguration.logDriver"),
            ));
        }
        if facts::awslogs_stream_prefix_missing(&task, &c) {
            let has_options = td.container_definitions[i]
                .log_configuration
                .as_ref()
                .is_some_and(|l| l.options.is_some());
            out.push(words(
                &facts::awslogs_prefix_words(name),
                container_path(
                    i,
                    if has_options {
                        "logConfiguration.options"
                    } else {
                        "logConfiguration"
                    },
                ),
            ));
        }
        if facts::host_port_mismatch(&task, &c).is_some()
            && let Some(mode) = task.network_mode
        {
            let mappings = td.container_definitions[i]
                .port_mappings
                .iter()
                .flatten()
                .enumerate();
            for (p, mapping) in mappings {
                if let (Some(container), Some(host)) = (mapping.container_port, mapping.host_port)
                    && container != host
                {
                    out.push(words(
                        &facts::host_port_words(name, mode, container, host),
                        container_path(i, &format!("portMappings[{p}].hostPort")),
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
            out.push(words(
                &facts::partition_words(name, c.ref_texts[r], c.refs[r].partition, role_partition),
                ref_location(r),
            ));
        }
        if let Some(r) = facts::cross_account_without_key(&task, &c)
            && let (Some(account), Some((_, Some(role_account)))) = (c.refs[r].account, task.role)
        {
            out.push(words(
                &facts::cross_account_words(name, c.ref_texts[r], account, role_account, c.kms_key),
                ref_location(r),
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
        if let Some((k, region)) = facts::ssm_cross_region(task_region, &all_facts, i)
            && let Some(task_region) = task_region
        {
            let (parameter, path) = &summary.ssm_names()[k];
            out.push(words(
                &facts::ssm_cross_region_words(name, parameter, task_region, region),
                container_path(i, path),
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

/// The diagnostic of a whole-task finding, at `location`.
fn words(words: &facts::Words, location: Location) -> Diagnostic {
    Diagnostic::new(
        words.rule,
        location,
        words.message.as_str().to_owned(),
        words.help.as_str().to_owned(),
    )
}
