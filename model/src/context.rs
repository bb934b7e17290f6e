//! What a declaration states beyond the task-definition JSON: the task's region and versions,
//! each container's KMS key and the fields of its Rust struct, and what `allow` lists silence.
//!
//! `RegisterTaskDefinition` takes none of it, but the rules read it and the placeholders in it
//! are substituted with the JSON's. It sits between the model and the rules: the derives, the
//! CLI and the runtime build it, the rules and the policy read it.

/// What the checks know beyond the task-definition JSON: values a declaration states but
/// `RegisterTaskDefinition` does not take.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Context {
    /// The task's region (`region`): same-region rules and names in the policy.
    pub region: Option<String>,
    /// The Fargate platform version the task runs on (`platform_version`), e.g. `1.4.0` or
    /// `LATEST`.
    pub platform_version: Option<String>,
    /// The minimum ECS container agent version of the EC2 instances (`agent_version`).
    pub agent_version: Option<String>,
    /// Rules silenced for the whole task (`#[ecs(allow(...))]` on the task).
    pub allow: Vec<String>,
    /// Per container, by index in `containerDefinitions`. Missing entries mean "nothing
    /// declared beyond the JSON".
    pub containers: Vec<ContainerContext>,
}

/// What a container's declaration states beyond its JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContainerContext {
    /// The customer-managed KMS key that encrypts this container's credentials and secrets
    /// (`kms_key`).
    pub kms_key: Option<String>,
    /// Rules silenced for this container.
    pub allow: Vec<String>,
    /// The fields of the container's Rust struct, for the environment rules. Empty for a
    /// definition built in code or read from JSON.
    pub fields: Vec<FieldInfo>,
}

/// One field of a `#[derive(Container)]` struct.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldInfo {
    /// The Rust field name.
    pub name: String,
    /// The environment variable (or secret) name it maps to.
    pub variable: String,
    /// The field's type, as far as the environment rules care.
    pub ty: FieldType,
    /// Whether the type is `Option<...>`.
    pub optional: bool,
    /// What the field declares.
    pub value: FieldValue,
    /// Rules silenced for this field.
    pub allow: Vec<String>,
}

/// The primitive types an `env` literal is checked against; anything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[allow(missing_docs)]
pub enum FieldType {
    Bool,
    Char,
    String,
    I8,
    I16,
    I32,
    I64,
    I128,
    Isize,
    U8,
    U16,
    U32,
    U64,
    U128,
    Usize,
    F32,
    F64,
    /// Any other type: the literal is not checked.
    Other,
}

/// What a field declares.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FieldValue {
    /// `#[ecs(env = ...)]`, the literal as the environment will hold it.
    Env(String),
    /// `#[ecs(secret = "...")]`.
    Secret(String),
    /// `#[ecs(skip)]`: the service has its own default.
    Skip,
    /// Nothing declared.
    None,
}
