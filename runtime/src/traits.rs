//! The traits the derives implement.

use crate::model;
use crate::{ContainerContext, Context, Diagnostics, PolicyError};

/// A container of a task definition, declared by `#[derive(Container)]` on the struct of the
/// environment the service reads at start-up.
pub trait Container {
    /// The container definition this type declares. Its `name` is set only if the
    /// declaration names it; a task names it after its field otherwise.
    fn container_definition() -> model::ContainerDefinition {
        crate::__private::container_definition(Self::__ECSDEF.0)
    }

    /// What the rules and the execution-role policy need beyond the JSON: the `kms_key`, the
    /// fields and the `allow` lists.
    fn container_context() -> ContainerContext {
        crate::__private::from_json(Self::__ECSDEF.1)
    }

    /// The container definition, as the canonical JSON the derive wrote, the container's
    /// context, as JSON, and the facts about the container that the task's compile-time
    /// checks read. The derives write constants rather than functions, and as few as they
    /// can: each is a body the user's crate compiles and keeps in its incremental cache per
    /// derive, where the parsing is compiled once, here.
    #[doc(hidden)]
    const __ECSDEF: (&'static str, &'static str, crate::__private::ContainerFacts);
}

/// A task definition, declared by `#[derive(TaskDefinition)]` on a struct whose fields are its
/// containers.
pub trait TaskDefinition {
    /// The `RegisterTaskDefinition` input, placeholders (`${NAME}`) kept as written.
    fn task_definition() -> model::TaskDefinition {
        Self::__ecsdef_parts().0
    }

    /// What the rules and the policy need beyond the JSON: the region, the platform and agent
    /// versions, each container's `kms_key` and fields.
    fn context() -> Context {
        Self::__ecsdef_parts().1
    }

    /// The canonical JSON: what `aws ecs register-task-definition --cli-input-json` takes and
    /// `cargo ecsdef export` writes, byte for byte.
    fn to_json() -> String {
        model::to_canonical_json(&Self::task_definition())
    }

    /// The least-privilege inline policy of the execution role, as canonical JSON; `None`
    /// when the task has no execution role or the role needs nothing, or when a secret name
    /// cannot be turned into an ARN (no `region`: [`TaskDefinition::execution_role_policy`]
    /// says why).
    fn execution_role_policy_json() -> Option<String> {
        Self::execution_role_policy()
            .ok()
            .flatten()
            .filter(|p| !p.is_empty())
            .map(|p| p.to_json())
    }

    /// The execution-role policy, or why it cannot be written.
    fn execution_role_policy() -> Result<Option<crate::PolicyDocument>, PolicyError> {
        let (definition, context) = Self::__ecsdef_parts();
        crate::execution_role_policy(&definition, &context)
    }

    /// Every rule, over the whole task: what `cargo ecsdef check` reports for it, warnings
    /// included.
    fn validate() -> Diagnostics {
        let (definition, context) = Self::__ecsdef_parts();
        crate::validate(&definition, &context)
    }

    /// The definition with every placeholder substituted by `lookup`, re-checked with the
    /// same rules. Fails listing every name `lookup` did not know, or every error the concrete
    /// values have.
    fn resolve(lookup: impl FnMut(&str) -> Option<String>) -> Result<Resolved, ResolveError> {
        let (definition, context) = Self::__ecsdef_parts();
        crate::resolve(&definition, &context, lookup)
    }

    /// The definition with placeholders from the process environment (see
    /// [`TaskDefinition::resolve`]).
    fn resolve_from_env() -> Result<Resolved, ResolveError> {
        Self::resolve(|name| std::env::var(name).ok())
    }

    /// The task assembled from its parts.
    #[doc(hidden)]
    fn __ecsdef_parts() -> (model::TaskDefinition, Context) {
        let (definition, context, fields) = Self::__ECSDEF;
        crate::__private::parts(definition, context, fields)
    }

    /// The task-level definition, as the canonical JSON the derive wrote, the task's
    /// context, as JSON, and each field's container, in order (see
    /// [`Container::__ECSDEF`]).
    #[doc(hidden)]
    const __ECSDEF: (
        &'static str,
        &'static str,
        &'static [crate::__private::Field],
    );
}

/// A task definition whose placeholders are substituted, with the warnings the concrete values
/// still have.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The definition.
    pub definition: model::TaskDefinition,
    /// Its context.
    pub context: Context,
    /// Warnings (errors make [`ResolveError::Invalid`]).
    pub warnings: Diagnostics,
}

/// Why placeholders could not be resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum ResolveError {
    /// Names nothing provided a value for, in order of first use.
    Missing(Vec<String>),
    /// The concrete values break rules.
    Invalid(Diagnostics),
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::Missing(names) => {
                write!(
                    f,
                    "no value for placeholder{} ",
                    if names.len() == 1 { "" } else { "s" }
                )?;
                for (i, n) in names.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "`${{{n}}}`")?;
                }
                Ok(())
            }
            ResolveError::Invalid(diagnostics) => {
                write!(f, "the resolved definition breaks rules:\n{diagnostics}")
            }
        }
    }
}

impl std::error::Error for ResolveError {}
