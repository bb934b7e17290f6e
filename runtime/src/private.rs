//! What generated code reaches through `ecsdef::__private`. Not a public API: it changes
//! with the derives, which pin this crate's exact version.

pub use ecsdef_model::assemble::{FieldOverrides, assemble};
pub use ecsdef_model::partition::Partition;
pub use ecsdef_model::rule::{join, joined_len};
pub use ecsdef_model::rules::facts::{
    ArnFact, ExecutionRoleReason, FieldFacts, KmsKeyFact, TaskFacts, Version, VersionShortfall,
    container_problem, duplicate_name, find_name, ssm_cross_region, ssm_cross_region_words, str_eq,
    version_shortfall,
};
pub use ecsdef_model::{ContainerCondition, LogDriver, NetworkMode};

/// The facts a `Container` impl exposes to the task's compile-time checks.
pub type ContainerFacts = ecsdef_model::rules::facts::ContainerFacts<'static>;

/// Reads JSON the derive wrote at compile time from a value of the same type. It cannot fail
/// unless the derive and this crate disagree on the model, which the exact version pin of
/// `ecsdef-macros` rules out.
#[track_caller]
pub fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> T {
    match serde_json::from_str(json) {
        Ok(value) => value,
        Err(e) => panic!(
            "ecsdef: generated JSON does not match the model ({e}); is ecsdef-macros the version ecsdef pins?"
        ),
    }
}

/// The container definition the derive wrote as JSON (see [`from_json`]).
#[track_caller]
pub fn container_definition(json: &str) -> ecsdef_model::ContainerDefinition {
    match ecsdef_model::json::container_definition_from_str(json) {
        Ok(value) => value,
        Err(e) => panic!(
            "ecsdef: generated JSON does not match the model ({e}); is ecsdef-macros the version ecsdef pins?"
        ),
    }
}

/// The task definition the derive wrote as JSON (see [`from_json`]).
#[track_caller]
pub fn task_definition(json: &str) -> ecsdef_model::TaskDefinition {
    match ecsdef_model::json::task_definition_from_str(json) {
        Ok(value) => value,
        Err(e) => panic!(
            "ecsdef: generated JSON does not match the model ({e}); is ecsdef-macros the version ecsdef pins?"
        ),
    }
}
