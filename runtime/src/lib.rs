#![doc = include_str!("guide.md")]
//!
//! # Definitions built in code
//!
//! The [`model`] is the complete ECS task-definition model; definitions built with it get the
//! same checks ([`validate`]) and the same execution-role policy ([`execution_role_policy`])
//! as declared ones:
//!
//! ```
//! use ecsdef::model::{ContainerDefinition, RepositoryCredentials, TaskDefinition};
//!
//! let definition = TaskDefinition {
//!     family: "web".into(),
//!     execution_role_arn: Some("arn:aws:iam::123456789012:role/web-execution".into()),
//!     container_definitions: vec![ContainerDefinition {
//!         name: Some("app".into()),
//!         image: Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2".into()),
//!         memory: Some(512),
//!         repository_credentials: Some(RepositoryCredentials {
//!             credentials_parameter: "arn:aws:secretsmanager:us-east-1:123456789012:secret:pull-AbCdEf".into(),
//!         }),
//!         ..ContainerDefinition::default()
//!     }],
//!     ..TaskDefinition::default()
//! };
//!
//! let diagnostics = ecsdef::validate(&definition, &ecsdef::Context::default());
//! let error = diagnostics.errors().next().unwrap();
//! assert_eq!(error.rule.name, "credentials-on-ecr-image");
//! assert_eq!(
//!     error.location.to_string(),
//!     "containerDefinitions[0].repositoryCredentials.credentialsParameter"
//! );
//! ```

mod config;
mod traits;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use config::{ConfigError, config_from, config_from_env};
pub use ecsdef_model as model;
pub use traits::{Container, ResolveError, Resolved, TaskDefinition};

#[cfg(feature = "derive")]
pub use ecsdef_macros::{Container, TaskDefinition};
pub use ecsdef_model::policy::{PolicyDocument, PolicyError};
pub use ecsdef_model::rules::{
    ContainerContext, Context, Diagnostic, Diagnostics, Level, Location, RULES, Rule,
};

/// Runs every ecsdef rule over a task definition built in code: the same rules, with the same
/// messages, as the derives run at compile time and `cargo ecsdef check` runs on a workspace.
///
/// `context` holds what the task JSON does not: the task's region, the platform and agent
/// versions, each container's `kms_key`. `Context::default()` checks the JSON alone.
pub fn validate(definition: &model::TaskDefinition, context: &Context) -> Diagnostics {
    model::rules::check(definition, context)
}

/// The least-privilege inline policy the task's execution role needs (secrets, parameters,
/// KMS keys, log groups, ECR repositories), or `None` when the task has no execution role.
///
/// Run [`validate`] first: values the rules reject are left out of the policy.
pub fn execution_role_policy(
    definition: &model::TaskDefinition,
    context: &Context,
) -> Result<Option<PolicyDocument>, PolicyError> {
    model::policy::execution_role_policy(definition, context)
}

/// Substitutes every `${NAME}` placeholder of a definition and its context with `lookup`, then
/// re-checks the concrete values with the same rules, as literal text (a value holding `${` is
/// an error: it is not substituted again). Fails listing every name `lookup` did not
/// know, or with the errors the concrete values have.
pub fn resolve(
    definition: &model::TaskDefinition,
    context: &Context,
    lookup: impl FnMut(&str) -> Option<String>,
) -> Result<Resolved, ResolveError> {
    let resolved = model::substitute::resolve_and_check(definition, context, lookup)
        .map_err(ResolveError::Missing)?;
    if resolved.diagnostics.has_errors() {
        return Err(ResolveError::Invalid(resolved.diagnostics));
    }
    Ok(Resolved {
        definition: resolved.definition,
        context: resolved.context,
        warnings: resolved.diagnostics,
    })
}
