//! Putting a task together from its parts: the task-level definition and context, and for each
//! field of the task struct, the container's own definition and context plus the field's
//! overrides.
//!
//! The derives (at run time, in `TaskDefinition::task_definition()`) and `cargo ecsdef` (on
//! source it never compiles) both call [`assemble`], so the same declaration gives the same
//! bytes either way.

use crate::context::{ContainerContext, Context};
use crate::{ContainerDefinition, ContainerDependency, TaskDefinition};

/// What a field of a `#[derive(TaskDefinition)]` struct says about its container.
///
/// A member added here that changes the container definition must also be cleared by
/// `rules::masked`, or a `rules::ContainerVerdict` no longer holds for containers whose field
/// sets it (correct, only slower); if the whole-task facts read it, `ContainerSummary::
/// with_members_of` must take it from the task's container.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldOverrides {
    /// The Rust field name: the container's name unless the field or the container renames it.
    pub field_name: String,
    /// `name = "..."` on the field.
    pub name: Option<String>,
    /// `essential = ...` on the field.
    pub essential: Option<bool>,
    /// `cpu = ...` on the field.
    pub cpu: Option<i32>,
    /// `memory = ...` on the field.
    pub memory: Option<i32>,
    /// `memory_reservation = ...` on the field.
    pub memory_reservation: Option<i32>,
    /// `depends_on(...)` on the field, in order.
    pub depends_on: Vec<ContainerDependency>,
    /// `allow(...)` on the field: rules silenced for this container.
    pub allow: Vec<String>,
}

impl FieldOverrides {
    /// The container's name: the field's `name`, else the container's own `name`, else the
    /// field name.
    pub fn container_name(&self, container: &ContainerDefinition) -> String {
        self.name
            .clone()
            .or_else(|| container.name.clone())
            .unwrap_or_else(|| self.field_name.clone())
    }
}

/// Builds the task definition and its context. `task` holds the task-level members (its
/// `containerDefinitions` are replaced); `containers` has one entry per field, in field order.
pub fn assemble(
    task: &TaskDefinition,
    task_context: &Context,
    containers: Vec<(FieldOverrides, ContainerDefinition, ContainerContext)>,
) -> (TaskDefinition, Context) {
    let mut definition = task.clone();
    let mut context = task_context.clone();
    // Exactly as many as there are containers: a `Vec` grown by pushing holds room for four
    // definitions of about a kilobyte each, which a workspace's tasks keep until exported.
    definition.container_definitions = Vec::with_capacity(containers.len());
    context.containers = Vec::with_capacity(containers.len());
    for (overrides, mut container, mut container_context) in containers {
        container.name = Some(overrides.container_name(&container));
        if overrides.essential.is_some() {
            container.essential = overrides.essential;
        }
        if overrides.cpu.is_some() {
            container.cpu = overrides.cpu;
        }
        if overrides.memory.is_some() {
            container.memory = overrides.memory;
        }
        if overrides.memory_reservation.is_some() {
            container.memory_reservation = overrides.memory_reservation;
        }
        if !overrides.depends_on.is_empty() {
            container
                .depends_on
                .get_or_insert_with(Vec::new)
                .extend(overrides.depends_on);
        }
        container_context.allow.extend(overrides.allow);
        definition.container_definitions.push(container);
        context.containers.push(container_context);
    }
    (definition, context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ContainerCondition;

    #[test]
    fn field_overrides_win_and_names_default_to_the_field() {
        let task = TaskDefinition {
            family: "web".into(),
            ..TaskDefinition::default()
        };
        let app = ContainerDefinition {
            image: Some("nginx:1.27".into()),
            essential: Some(true),
            ..Default::default()
        };
        let named = ContainerDefinition {
            name: Some("router".into()),
            ..Default::default()
        };
        let (td, cx) = assemble(
            &task,
            &Context::default(),
            vec![
                (
                    FieldOverrides {
                        field_name: "app".into(),
                        ..Default::default()
                    },
                    app,
                    ContainerContext::default(),
                ),
                (
                    FieldOverrides {
                        field_name: "log_router".into(),
                        essential: Some(false),
                        depends_on: vec![ContainerDependency {
                            container_name: "app".into(),
                            condition: ContainerCondition::Start,
                        }],
                        allow: vec!["image-unpinned".into()],
                        ..Default::default()
                    },
                    named,
                    ContainerContext::default(),
                ),
            ],
        );
        assert_eq!(td.container_definitions[0].name.as_deref(), Some("app"));
        assert_eq!(td.container_definitions[1].name.as_deref(), Some("router"));
        assert_eq!(td.container_definitions[1].essential, Some(false));
        assert_eq!(
            td.container_definitions[1]
                .depends_on
                .as_ref()
                .map(Vec::len),
            Some(1)
        );
        assert_eq!(cx.containers[1].allow, ["image-unpinned"]);
    }
}
