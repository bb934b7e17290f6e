//! What a rule is: its descriptor ([`Rule`], with its [`Level`] and [`Scope`]), and the
//! compile-time joining of message pieces the whole-task rules use.
//!
//! This is the bottom of the crate, below the value parsers: a parser of ARNs or images names
//! its rule without knowing the engine that runs the rules. Each rule is one
//! `pub const NAME: Rule = Rule { .. }` beside the code that checks it (a value-syntax rule
//! beside its parser, an engine rule beside its check in `rules/`), as cargo gives each lint a
//! file holding its `Lint` constant and its check. Everything else refers to the constant,
//! never to the name as a string: [`crate::rules::Diagnostic`] holds a `&'static Rule`, so a
//! rule that does not exist cannot be reported, and a parser's
//! [`crate::placeholder::ValueError`] names its rule the same way. [`crate::rules::RULES`]
//! lists them all, put together from each area's list.

use std::fmt;
use std::hash::{Hash, Hasher};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Deployment would fail (or, for the one heuristic error, a secret would leak): a compile
    /// error in the derives, exit code 1 in the CLI.
    Error,
    /// Likely a mistake, but AWS would accept it. Silenced with `#[ecs(allow(rule-name))]`.
    Warning,
}

impl Level {
    /// `error` or `warning`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule needs to see to judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// One container by itself (or a value wherever it is written): a container declaration
    /// is judged by it on its own, once, whatever tasks hold it.
    Container,
    /// The task: its own members, or a container together with the rest of its task (its
    /// other containers, roles, launch type, sizes, versions). Judged where the whole task is
    /// at hand: by `cargo ecsdef` and `validate()`, and by the task derive through the
    /// `const` facts each container exposes.
    Task,
}

/// One rule: everything about it but the code that checks it.
///
/// Two descriptors are the same rule when their names are: names are unique (a test holds
/// [`crate::rules::RULES`] to it).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The kebab-case name, e.g. `credentials-on-ecr-image`: what `#[ecs(allow(...))]`, the
    /// JSON output and `cargo ecsdef explain` key on.
    pub name: &'static str,
    /// Error or warning; every diagnostic of the rule has it.
    pub level: Level,
    /// What the rule needs to see to judge.
    pub scope: Scope,
    /// One line: what the rule checks (`cargo ecsdef explain`).
    pub summary: &'static str,
    /// How to fix what it finds, in general. Diagnostics whose fix does not depend on the
    /// finding use it as their help line; the others say something more precise.
    pub help: &'static str,
    /// The AWS documentation page the rule comes from.
    pub link: &'static str,
    /// The sentence of AWS's documentation the rule enforces, quoted exactly, and where it is
    /// (`cargo ecsdef explain` shows both). Where ecsdef asks for more than the sentence
    /// says, the rule's own documentation says why.
    pub aws: Quote,
    /// Where `cargo ecsdef explain` lists it: by topic (1xx private registry authentication
    /// and the ARNs, keys, placeholders and regions around it, 2xx secrets and environment,
    /// 3xx task shape), then by number. Unique; a new rule takes a free number of its topic.
    pub order: u16,
}

/// A sentence of AWS's documentation, quoted exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quote {
    /// The sentence (or two), as AWS writes it, without markup.
    pub text: &'static str,
    /// The page it is on: an ECS API reference page (whose text is the documentation of
    /// AWS's API model, `aws-models/ecs-register-task-definition.json`) or a guide page.
    pub source: &'static str,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Rule {}

impl Hash for Rule {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// The AWS documentation pages the rules come from, shared by several rules each.
pub(crate) mod aws_docs {
    pub const PRIVATE_AUTH: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html";
    pub const SECRETS_IAM: &str = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources";
    pub const EXECUTION_ROLE: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html";
    pub const IAM_IDENTIFIERS: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html";
    pub const TASK_PARAMS: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html";
    pub const SECRETS_ENV: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html";
    pub const SECRETS_SM: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html";
    pub const SECRETS_SSM: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html";
    pub const FARGATE_SIZE: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size";
    pub const FARGATE_PLATFORM: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html";
    pub const AWSLOGS: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html";
    pub const KMS_KEY_ID: &str =
        "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id";
    pub const CROSS_ACCOUNT: &str = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html";
    pub const REGIONS: &str = "https://docs.aws.amazon.com/general/latest/gr/rande.html";
    pub const IMAGE: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image";
    pub const HEALTH_CHECK: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html";
    pub const DEPENDS_ON: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html";
    pub const NETWORK_MODE: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#network_mode";
    pub const PORT_MAPPING: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html";
    pub const TAG_API: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html";
    pub const SERVICE_QUOTAS: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html";
    pub const REGISTER_API: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html";
    pub const CONTAINER_API: &str =
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html";
}

/// The length of `parts` joined (see [`const_concat!`]).
#[doc(hidden)]
pub const fn joined_len(parts: &[&str]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < parts.len() {
        len += parts[i].len();
        i += 1;
    }
    len
}

/// `parts` joined, as bytes (see [`const_concat!`]); `N` is [`joined_len`] of them.
#[doc(hidden)]
pub const fn join<const N: usize>(parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    let mut i = 0;
    while i < parts.len() {
        let bytes = parts[i].as_bytes();
        let mut j = 0;
        while j < bytes.len() {
            out[at] = bytes[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// String constants joined into one `&'static str` at compile time: `concat!` for constants
/// (which takes only literals). A whole-task rule's compile-time message is built with it from
/// the constants its run-time message and its descriptor use, so the two cannot drift.
macro_rules! const_concat {
    ($($part:expr),+ $(,)?) => {{
        const PARTS: &[&str] = &[$($part),+];
        const BYTES: [u8; $crate::rule::joined_len(PARTS)] = $crate::rule::join(PARTS);
        match ::core::str::from_utf8(&BYTES) {
            Ok(text) => text,
            // Joining whole strings at their boundaries keeps UTF-8 valid.
            Err(_) => panic!("joined strings are UTF-8"),
        }
    }};
}
pub(crate) use const_concat;

#[cfg(test)]
mod tests {
    const NAME: &str = "world";

    const JOINED: &str = const_concat!("hello, ", NAME, "!");

    #[test]
    fn constants_join_at_compile_time() {
        assert_eq!(JOINED, "hello, world!");
    }
}
