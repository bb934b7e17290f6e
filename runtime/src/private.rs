//! What generated code reaches through `ecsdef::__private`. Not a public API: it changes
//! with the derives, which pin this crate's exact version.

// The compile-time checks of a task: each fails the evaluation of the constant that calls
// it, and `#[track_caller]` puts the error on the call, which the derive spans on the literal
// or field the error is about.

/// Fails with `words`' message, if any.
#[track_caller]
pub const fn fail_on(words: Option<ecsdef_model::rules::facts::Words>) {
    if let Some(words) = words {
        let text = words.compile_error();
        panic!("{}", text.as_str());
    }
}

/// Fails with `message` if `failed`.
#[track_caller]
pub const fn fail_if(failed: bool, message: &str) {
    assert!(!failed, "{}", message);
}

/// `depends_on` a container named `target`: fails with `unknown` when no container of the
/// task has that name, and with `no_check`, if given (the condition is `HEALTHY`), when that
/// container has no health check.
#[track_caller]
pub const fn fail_on_dependency(
    facts: &[ContainerFacts],
    names: &[&str],
    target: &str,
    unknown: &str,
    no_check: Option<&str>,
) {
    match find_name(names, target) {
        None => panic!("{}", unknown),
        Some(t) => {
            if let Some(message) = no_check
                && !facts[t].has_health_check
            {
                panic!("{}", message);
            }
        }
    }
}

/// What a task's constant `__ECSDEF_TASK` holds: the task's facts, each container's facts
/// (with what its field sets on it) and each container's name, in field order.
pub type TaskChecked = (
    TaskFacts,
    &'static [ContainerFacts],
    &'static [&'static str],
);

// The checks a task's derive calls, one call a check: the tuple's fields are read and its
// slices indexed here rather than in each generated constant, whose MIR rustc keeps in the
// incremental cache and loads and stores again on every build.

/// The rules about container `i` in its task.
#[track_caller]
pub const fn check_container(task: &TaskChecked, i: usize) {
    fail_on(container_problem(&task.0, &task.1[i], task.2[i]));
}

/// `no-essential-container`: fails with `message` when no container is essential.
#[track_caller]
pub const fn check_essential(task: &TaskChecked, message: &str) {
    fail_if(!any_essential(task.1), message);
}

/// `container-name`: fails with `message` when container `i` is named like an earlier one.
#[track_caller]
pub const fn check_unique_name(task: &TaskChecked, i: usize, message: &str) {
    fail_if(duplicate_name(task.2, i).is_some(), message);
}

/// A parameter of container `i` named by an ARN of another region than the task's `region`.
#[track_caller]
pub const fn check_ssm_region(task: &TaskChecked, region: &str, i: usize) {
    fail_on(ssm_cross_region_problem(region, task.1, task.2, i));
}

/// `depends_on` the container named `target`: see [`fail_on_dependency`].
#[track_caller]
pub const fn check_dependency(
    task: &TaskChecked,
    target: &str,
    unknown: &str,
    no_check: Option<&str>,
) {
    fail_on_dependency(task.1, task.2, target, unknown, no_check);
}

/// Generated code names `Option`'s variants through this module (`__private::Some`): a path the
/// user's own items cannot shadow, shorter for rustc to resolve than the full one.
pub use core::option::Option::{None, Some};
pub use ecsdef_model::assemble::{FieldOverrides, assemble};
pub use ecsdef_model::partition::Partition;
pub use ecsdef_model::rule::{join, joined_len};
pub use ecsdef_model::rules::facts::{
    ArnFact, ExecutionRoleReason, FieldFacts, KmsKeyFact, TaskFacts, Version, VersionShortfall,
    any_essential, arn, container_problem, duplicate_name, find_name, name_or,
    ssm_cross_region_problem, str_eq, version_shortfall,
};
pub use ecsdef_model::{ContainerCondition, LogDriver, NetworkMode};

/// The facts a `Container` impl exposes to the task's compile-time checks.
pub type ContainerFacts = ecsdef_model::rules::facts::ContainerFacts<'static>;

/// Reads JSON the derive wrote at compile time from a value of the same type. It cannot fail
/// unless the derive and this crate disagree on the model, which the exact version pin of
/// `ecsdef-macros` rules out. The model's own reader (`serde_json`'s errors, word for word)
/// reads it, compiled once in `ecsdef-model`: a service's crate compiles no deserializer.
#[track_caller]
pub fn from_json<T: ecsdef_model::de::FromJson>(json: &str) -> T {
    let read = match ecsdef_model::tree::Value::parse(json) {
        Ok(tree) => T::from_json(&tree).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match read {
        Ok(value) => value,
        Err(e) => panic!(
            "ecsdef: generated JSON does not match the model ({e}); is ecsdef-macros the version ecsdef pins?"
        ),
    }
}

/// The container definition the derive wrote as JSON (see [`from_json`]).
#[track_caller]
pub fn container_definition(json: &str) -> ecsdef_model::ContainerDefinition {
    from_json(json)
}

/// One field of a task struct as the derive writes it: the field's overrides, its container's
/// definition and its container's context, each as JSON (see [`parts`]).
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The field's `FieldOverrides`.
    pub overrides: &'static str,
    /// The definition in `<T as Container>::__ECSDEF` of the field's type.
    pub definition: &'static str,
    /// The context in `<T as Container>::__ECSDEF` of the field's type.
    pub context: &'static str,
}

/// The [`Field`] of a task's field of type `T`, with the field's overrides.
pub const fn field<T: crate::Container>(overrides: &'static str) -> Field {
    Field {
        overrides,
        definition: T::__ECSDEF.0,
        context: T::__ECSDEF.1,
    }
}

/// The task the derive wrote, assembled from its parts (see [`from_json`]).
#[track_caller]
pub fn parts(
    definition: &str,
    context: &str,
    fields: &[Field],
) -> (ecsdef_model::TaskDefinition, ecsdef_model::rules::Context) {
    assemble(
        &task_definition(definition),
        &from_json(context),
        fields
            .iter()
            .map(|f| {
                (
                    from_json(f.overrides),
                    container_definition(f.definition),
                    from_json(f.context),
                )
            })
            .collect(),
    )
}

/// The task definition the derive wrote as JSON (see [`from_json`]).
#[track_caller]
pub fn task_definition(json: &str) -> ecsdef_model::TaskDefinition {
    from_json(json)
}
