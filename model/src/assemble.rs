//! Putting a task together from its parts: the task-level definition and context, and for each
//! field of the task struct, the container's own definition and context plus the field's
//! overrides.
//!
//! The derives (at run time, in `TaskDefinition::task_definition()`) and `cargo ecsdef` (on
//! source it never compiles) both call [`assemble`], so the same declaration gives the same
//! bytes either way.

use crate::context::{ContainerContext, Context};
use crate::rules::facts::FieldFacts;
use crate::{ContainerDefinition, ContainerDependency, TaskDefinition};

/// What a field of a `#[derive(TaskDefinition)]` struct says about its container.
///
/// A member added here that changes the container definition is set by [`Self::apply_to`]
/// and must also be cleared by `rules::masked`, or a `rules::ContainerVerdict` no longer holds
/// for containers whose field sets it (correct, only slower); if the whole-task facts read it,
/// it is one of `rules::facts::FieldFacts`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

// Written out rather than derived, as `context`'s are (see there): the derive passes a field's
// overrides to its impl as an object of these fields, `null` for `None`.
impl serde::Serialize for FieldOverrides {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut state = serializer.serialize_struct("FieldOverrides", 8)?;
        state.serialize_field("field_name", &self.field_name)?;
        state.serialize_field("name", &self.name)?;
        state.serialize_field("essential", &self.essential)?;
        state.serialize_field("cpu", &self.cpu)?;
        state.serialize_field("memory", &self.memory)?;
        state.serialize_field("memory_reservation", &self.memory_reservation)?;
        state.serialize_field("depends_on", &self.depends_on)?;
        state.serialize_field("allow", &self.allow)?;
        state.end()
    }
}

// The derive writes a field's overrides with this, compact and without the `None` members
// (the reader takes an absent member as `None`): the model's plain writer, not serde_json's.
impl crate::json::WriteJson for FieldOverrides {
    fn write_json(&self, w: &mut crate::json::JsonWriter) {
        w.begin_object();
        w.key("field_name");
        w.string(&self.field_name);
        if let Some(name) = &self.name {
            w.key("name");
            w.string(name);
        }
        if let Some(essential) = self.essential {
            w.key("essential");
            w.boolean(essential);
        }
        for (key, value) in [
            ("cpu", self.cpu),
            ("memory", self.memory),
            ("memory_reservation", self.memory_reservation),
        ] {
            if let Some(value) = value {
                w.key(key);
                w.integer(i64::from(value));
            }
        }
        w.key("depends_on");
        self.depends_on.write_json(w);
        w.key("allow");
        self.allow.write_json(w);
        w.end_object();
    }
}

impl crate::de::FromJson for FieldOverrides {
    fn from_json(value: &crate::tree::Value) -> Result<Self, crate::de::Error> {
        use crate::de::{optional, required};
        let map = value
            .as_object()
            .ok_or_else(|| crate::de::invalid(value, "struct FieldOverrides"))?;
        Ok(Self {
            field_name: required(map, "field_name")?,
            name: optional(map, "name")?,
            essential: optional(map, "essential")?,
            cpu: optional(map, "cpu")?,
            memory: optional(map, "memory")?,
            memory_reservation: optional(map, "memory_reservation")?,
            depends_on: required(map, "depends_on")?,
            allow: required(map, "allow")?,
        })
    }
}

impl<'de> serde::Deserialize<'de> for FieldOverrides {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::de::deserialize(deserializer)
    }
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

    /// Sets on `container` what the field says about it: its name, and each member the field
    /// sets, with the field's `depends_on` after the container's own.
    pub fn apply_to(&self, container: &mut ContainerDefinition) {
        container.name = Some(self.container_name(container));
        if self.essential.is_some() {
            container.essential = self.essential;
        }
        if self.cpu.is_some() {
            container.cpu = self.cpu;
        }
        if self.memory.is_some() {
            container.memory = self.memory;
        }
        if self.memory_reservation.is_some() {
            container.memory_reservation = self.memory_reservation;
        }
        if !self.depends_on.is_empty() {
            container
                .depends_on
                .get_or_insert_with(Vec::new)
                .extend(self.depends_on.iter().cloned());
        }
    }

    /// The whole-task facts the field sets on its container, whatever the container: what the
    /// `TaskDefinition` derive applies to the facts its container's impl exposes
    /// ([`ContainerFacts::with_field`](crate::rules::facts::ContainerFacts::with_field)).
    pub fn facts(&self) -> FieldFacts {
        let mut set = ContainerDefinition::default();
        self.apply_to(&mut set);
        FieldFacts::of(&set)
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
        overrides.apply_to(&mut container);
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

#[cfg(test)]
mod field_facts {
    use super::*;
    use crate::ContainerCondition;
    use crate::rules::ContainerVerdict;
    use crate::rules::facts::{ContainerFacts, ContainerSummary};

    /// The facts without the container's name, which the derive takes apart.
    fn nameless(facts: ContainerFacts<'_>) -> ContainerFacts<'_> {
        ContainerFacts {
            name: None,
            ..facts
        }
    }

    /// A container in its task has one set of facts, however they are computed: the derive's
    /// (the facts its container's impl exposes, with what the field sets on them), the
    /// engine's of the assembled container, and the engine's from a verdict on the container
    /// judged without the members a field may set. Every member a field may set is tried,
    /// set by the field, by the container, by both or by neither.
    #[test]
    fn the_derive_and_the_engine_see_a_container_in_its_task_alike() {
        // Every member of a field: one the field gains is tried below before this compiles.
        let FieldOverrides {
            field_name: _,
            name: _,
            essential: _,
            cpu: _,
            memory: _,
            memory_reservation: _,
            depends_on: _,
            allow: _,
        } = FieldOverrides::default();
        let plain = ContainerDefinition {
            image: Some("ghcr.io/acme/app:1.4.2".into()),
            ..ContainerDefinition::default()
        };
        let sized = ContainerDefinition {
            name: Some("own".into()),
            essential: Some(false),
            cpu: Some(512),
            memory: Some(1024),
            memory_reservation: Some(256),
            health_check: None,
            ..plain.clone()
        };
        let dependency = ContainerDependency {
            container_name: "db".into(),
            condition: ContainerCondition::Start,
        };
        let context = ContainerContext::default();
        let mut tried = 0;
        for own in [&plain, &sized] {
            let exposed = ContainerSummary::of(own, &context);
            let verdict = ContainerVerdict::of(own, &context);
            for bits in 0..96_u32 {
                let field = FieldOverrides {
                    field_name: "app".into(),
                    name: (bits & 1 != 0).then(|| "field".into()),
                    essential: [None, Some(true), Some(false)][(bits / 2 % 3) as usize],
                    cpu: (bits / 6 % 2 != 0).then_some(2048),
                    memory: (bits / 12 % 2 != 0).then_some(4096),
                    memory_reservation: (bits / 24 % 2 != 0).then_some(64),
                    depends_on: if bits / 48 % 2 != 0 {
                        vec![dependency.clone()]
                    } else {
                        Vec::new()
                    },
                    allow: Vec::new(),
                };
                let mut assembled = own.clone();
                field.apply_to(&mut assembled);
                let engine = ContainerSummary::of(&assembled, &context);
                let reused = verdict.summary_of(&assembled);
                let derive = exposed.facts().with_field(field.facts());
                assert_eq!(
                    nameless(derive),
                    nameless(engine.facts()),
                    "{field:?} on {own:?}"
                );
                assert_eq!(reused.facts(), engine.facts(), "{field:?} on {own:?}");
                tried += 1;
            }
        }
        assert_eq!(tried, 192);
    }
}
