//! The list of rules: name, level, summary and AWS documentation link of each, for
//! `cargo ecsdef explain` and for every diagnostic's link.

use super::Level;

/// What `cargo ecsdef explain RULE` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// The kebab-case name.
    pub name: &'static str,
    /// Error or warning.
    pub level: Level,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// The AWS documentation page the rule comes from.
    pub link: &'static str,
}

const PRIVATE_AUTH: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html";
const SECRETS_IAM: &str = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources";
const EXECUTION_ROLE: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html";
const IAM_IDENTIFIERS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html";
const TASK_PARAMS: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html";
const SECRETS_ENV: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html";
const SECRETS_SM: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html";
const SECRETS_SSM: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html";
const FARGATE_SIZE: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size";
const FARGATE_PLATFORM: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html";
const AWSLOGS: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html";
const KMS_KEY_ID: &str =
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id";
const CROSS_ACCOUNT: &str = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html";
const REGIONS: &str = "https://docs.aws.amazon.com/general/latest/gr/rande.html";
const IMAGE: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image";
const HEALTH_CHECK: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html";
const DEPENDS_ON: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html";
const NETWORK_MODE: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#network_mode";
const PORT_MAPPING: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html";
const REGISTER_API: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html";
const CONTAINER_API: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html";

const fn rule(
    name: &'static str,
    level: Level,
    summary: &'static str,
    link: &'static str,
) -> RuleInfo {
    RuleInfo {
        name,
        level,
        summary,
        link,
    }
}

use Level::{Error, Warning};

/// Every rule, grouped as DESIGN.md §4 groups them.
pub static RULES: &[RuleInfo] = &[
    // Private registry authentication.
    rule(
        "credentials-form",
        Error,
        "`credentials` must be a Secrets Manager secret ARN or a secret name ECS accepts (letters, digits, `-`, `_`, at most 255); a name with `/ + = . @` must be given as a full ARN",
        PRIVATE_AUTH,
    ),
    rule(
        "credentials-not-secretsmanager",
        Error,
        "`credentials` is an ARN of another service (an SSM parameter, a KMS key, ...): ECS reads registry credentials only from Secrets Manager",
        PRIVATE_AUTH,
    ),
    rule(
        "secret-arn-syntax",
        Error,
        "a Secrets Manager ARN: known partition, region of that partition, 12-digit account, `secret:NAME` with NAME of 1-512 characters from `A-Za-z0-9/_+=.@-`",
        SECRETS_IAM,
    ),
    rule(
        "secret-arn-partial",
        Warning,
        "a secret ARN without the `-XXXXXX` suffix Secrets Manager appends: IAM resources built from it do not match, so the policy uses `NAME-??????`",
        SECRETS_IAM,
    ),
    rule(
        "secret-name-suffix",
        Warning,
        "a secret name that ends in `-` and six characters looks like an ARN's random suffix: ECS would look for a secret of that exact name",
        SECRETS_IAM,
    ),
    rule(
        "credentials-on-ecr-image",
        Error,
        "`credentials` on an Amazon ECR image: ECS pulls ECR images with the execution role and does not use repository credentials",
        PRIVATE_AUTH,
    ),
    rule(
        "execution-role-required",
        Error,
        "a task that uses `credentials`, `secrets`, an ECR image on Fargate or `awslogs` on Fargate needs an `execution_role`",
        EXECUTION_ROLE,
    ),
    rule(
        "role-arn-syntax",
        Error,
        "a role ARN: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`, NAME of 1-64 characters from `\\w+=,.@-`, empty region",
        IAM_IDENTIFIERS,
    ),
    rule(
        "partition-mismatch",
        Error,
        "a secret, key or parameter ARN in another partition than the execution role: roles cannot cross partitions",
        IAM_IDENTIFIERS,
    ),
    rule(
        "cross-account-needs-kms-key",
        Error,
        "a secret in another account than the execution role must be encrypted with a customer-managed KMS key (the AWS-managed `aws/secretsmanager` key cannot be shared): declare `kms_key`",
        CROSS_ACCOUNT,
    ),
    rule(
        "credentials-platform-version",
        Error,
        "private registry authentication needs Fargate platform version 1.2.0 or the ECS agent 1.19.0",
        PRIVATE_AUTH,
    ),
    rule(
        "kms-key-arn-syntax",
        Error,
        "a KMS key ARN: `arn:PARTITION:kms:REGION:ACCOUNT:key/UUID`, `key/mrk-...` or `alias/NAME`",
        KMS_KEY_ID,
    ),
    rule(
        "kms-key-alias",
        Warning,
        "`kms_key` is an alias: IAM matches `kms:Decrypt` against the key's ARN, not its alias, so the execution-role policy's grant would not apply; give the key ARN (`key/UUID`)",
        KMS_KEY_ID,
    ),
    rule(
        "placeholder-syntax",
        Error,
        "a `${NAME}` placeholder: NAME of `A-Z`, `0-9` and `_`, not starting with a digit, closed by `}`; `$${` is a literal `${`; none in an ARN's partition, service or resource type",
        TASK_PARAMS,
    ),
    rule(
        "region-syntax",
        Error,
        "a region name of its partition's form (`us-east-1`, `cn-north-1`, `us-gov-west-1`, ...)",
        REGIONS,
    ),
    rule(
        "region-unknown",
        Warning,
        "a region of its partition's form that ecsdef does not know: new regions are fine, typos are not",
        REGIONS,
    ),
    // Secrets and environment.
    rule(
        "secret-value-from",
        Error,
        "a secret's `valueFrom`: a Secrets Manager ARN (its first seven `:` fields, then optional json-key:version-stage:version-id keeping their colons) or an SSM parameter ARN or name (`a-zA-Z0-9_.-/`, not beginning with `aws` or `ssm`)",
        SECRETS_SM,
    ),
    rule(
        "ssm-cross-region-needs-arn",
        Error,
        "an SSM parameter name is resolved in the task's region: a parameter the task also references by ARN in another region must be given by that ARN everywhere",
        SECRETS_SSM,
    ),
    rule(
        "secrets-platform-version",
        Error,
        "secrets need Fargate 1.3.0 or the ECS agent 1.22.0; a json-key or version field needs Fargate 1.4.0 or agent 1.37.0",
        FARGATE_PLATFORM,
    ),
    rule(
        "missing-env-value",
        Error,
        "a field that is not an `Option` needs `env`, `secret` or `skip`: the service would start without a variable it requires",
        SECRETS_ENV,
    ),
    rule(
        "env-value-type",
        Error,
        "an `env` literal must parse as the field's primitive type",
        SECRETS_ENV,
    ),
    rule(
        "plaintext-secret-in-env",
        Error,
        "an environment value that is an AWS access key id or a private key, or a literal in a variable named like a secret (`*PASSWORD`, `*SECRET`, `*TOKEN`, `*API_KEY`, ...): use `secret`",
        SECRETS_ENV,
    ),
    rule(
        "duplicate-env-name",
        Error,
        "two environment variables or secrets of one container have the same name",
        SECRETS_ENV,
    ),
    // Task shape.
    rule(
        "family-name",
        Error,
        "a family: 1-255 letters, digits, `-` and `_`",
        REGISTER_API,
    ),
    rule(
        "container-name",
        Error,
        "a container name: 1-255 letters, digits, `-` and `_`, unique in the task",
        CONTAINER_API,
    ),
    rule(
        "fargate-cpu-memory",
        Error,
        "a Fargate task's cpu and memory must be one of the sizes Fargate offers",
        FARGATE_SIZE,
    ),
    rule(
        "fargate-network-mode",
        Error,
        "a Fargate task needs the `awsvpc` network mode",
        NETWORK_MODE,
    ),
    rule(
        "host-port-mismatch",
        Error,
        "in `awsvpc` or `host` network mode a host port must equal its container port",
        PORT_MAPPING,
    ),
    rule(
        "fargate-log-driver",
        Error,
        "on Fargate the log driver is `awslogs`, `splunk` or `awsfirelens`",
        TASK_PARAMS,
    ),
    rule(
        "awslogs-options",
        Error,
        "`awslogs` needs `awslogs-group` and `awslogs-region`, and on Fargate `awslogs-stream-prefix`",
        AWSLOGS,
    ),
    rule(
        "no-essential-container",
        Error,
        "a task needs at least one essential container",
        TASK_PARAMS,
    ),
    rule(
        "health-check-range",
        Error,
        "a health check command starts with `CMD` or `CMD-SHELL`; interval 5-300 s, timeout 2-60 s, retries 1-10, start period 0-300 s",
        HEALTH_CHECK,
    ),
    rule(
        "depends-on-unknown",
        Error,
        "`depends_on` names a container that is not in the task",
        DEPENDS_ON,
    ),
    rule(
        "depends-on-healthy-without-check",
        Error,
        "`HEALTHY` needs the container depended on to have a health check",
        DEPENDS_ON,
    ),
    rule(
        "container-memory-exceeds-task",
        Error,
        "a container's hard memory limit is above the task's memory",
        TASK_PARAMS,
    ),
    rule(
        "image-reference",
        Error,
        "an image reference: the Docker reference grammar, at most 255 characters before any digest, `sha256:` digests of 64 hex digits",
        IMAGE,
    ),
    rule(
        "image-unpinned",
        Warning,
        "an image with no tag or `:latest` deploys whatever was pushed last",
        IMAGE,
    ),
    rule(
        "extra-unknown-key",
        Error,
        "`extra` JSON with a member the model does not have",
        CONTAINER_API,
    ),
    rule(
        "extra-type",
        Error,
        "`extra` JSON with a member of the wrong type",
        CONTAINER_API,
    ),
];

/// The rule with this name.
pub fn rule_info(name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.name == name)
}

/// Parser-level rule names (`arn-syntax`, `placeholder-syntax`, ...) that the catalogue folds
/// into the rule of the value being checked.
pub(crate) fn is_catalogued(name: &str) -> bool {
    rule_info(name).is_some()
}
