//! The rules that need the whole task, as `const fn` predicates over facts.
//!
//! A `#[derive(TaskDefinition)]` sees only its own tokens: its containers may be declared in
//! other crates. So each `#[derive(Container)]` computes its [`ContainerFacts`] (with
//! [`ContainerSummary::of`], at compile time) and exposes them as a constant, and the task's
//! impl evaluates these predicates over them in a `const` item: a broken rule is a compile
//! error there. The rule engine evaluates the very same predicates at run time over facts it
//! computes with the very same function, so the derive, `cargo ecsdef` and `validate()` agree.

use crate::arn::{Account, KmsKeyRef, RoleArn, SecretRef, SecretValueFrom};
use crate::partition::Partition;
use crate::rules::{ContainerContext, Context, is_ec2, is_fargate, sizes};
use crate::{ContainerDefinition, LogDriver, NetworkMode, TaskDefinition};

/// A secret, parameter or key ARN of a container: its partition, and its account when the ARN
/// has a concrete one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArnFact {
    /// The partition.
    pub partition: Partition,
    /// The 12-digit account, `None` when templated.
    pub account: Option<u64>,
    /// Whether it is a Secrets Manager secret (the cross-account rule is about those).
    pub is_secret: bool,
}

/// What a container's `kms_key` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KmsKeyFact {
    /// No `kms_key`.
    None,
    /// A customer-managed key (or an alias of one).
    CustomerManaged,
    /// An AWS-managed alias (`alias/aws/...`), which cannot be shared across accounts.
    AwsManaged,
}

/// What the task-scope rules need to know about one container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContainerFacts<'a> {
    /// The container's own `name`, if it declares one.
    pub name: Option<&'a str>,
    /// Whether it is essential (`essential` absent means essential).
    pub essential: bool,
    /// The hard memory limit (MiB).
    pub memory: Option<i32>,
    /// The soft memory limit (MiB).
    pub memory_reservation: Option<i32>,
    /// Whether it has a health check.
    pub has_health_check: bool,
    /// Whether it uses `repositoryCredentials`.
    pub uses_credentials: bool,
    /// Whether it uses `secrets` or log `secretOptions`.
    pub uses_secrets: bool,
    /// Whether a Secrets Manager secret uses a json-key or version field.
    pub uses_secret_fields: bool,
    /// Whether its image is in Amazon ECR (private).
    pub ecr_image: bool,
    /// Its log driver.
    pub log_driver: Option<LogDriver>,
    /// Whether its `awslogs` configuration has `awslogs-stream-prefix`.
    pub awslogs_stream_prefix: bool,
    /// Whether a port mapping's host port differs from its container port.
    pub host_port_mismatch: bool,
    /// Its secret, parameter and key ARNs.
    pub refs: &'a [ArnFact],
    /// Its `kms_key`.
    pub kms_key: KmsKeyFact,
    /// The SSM parameters its secrets name by name (resolved in the task's region).
    pub ssm_names: &'a [&'a str],
    /// The SSM parameters its secrets reference by ARN with a concrete region: `(name, region)`.
    pub ssm_arns: &'a [(&'a str, &'a str)],
}

/// [`ContainerFacts`] with owned storage, computed from a container's definition and context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerSummary {
    name: Option<String>,
    refs: Vec<ArnFact>,
    /// Where each of `refs` is: a JSON path relative to the container, or `None` for the
    /// context's `kms_key`.
    ref_paths: Vec<Option<String>>,
    /// SSM parameters named by name, with the container-relative path of the secret.
    ssm_names: Vec<(String, String)>,
    /// SSM parameters referenced by ARN with a concrete region: `(name, region)`.
    ssm_arns: Vec<(String, String)>,
    facts: ContainerFacts<'static>,
}

fn account_number(account: Option<&Account>) -> Option<u64> {
    account.and_then(Account::id).and_then(|id| id.parse().ok())
}

impl ContainerSummary {
    /// These facts, with those of the members a task's field may set (name, essential,
    /// memory, memory reservation) taken from `definition`.
    pub(crate) fn with_members_of(mut self, definition: &ContainerDefinition) -> Self {
        self.name.clone_from(&definition.name);
        self.facts.essential = definition.essential != Some(false);
        self.facts.memory = definition.memory;
        self.facts.memory_reservation = definition.memory_reservation;
        self
    }

    /// The facts of a container. Values that do not parse are left out (their own rules
    /// report them).
    pub fn of(definition: &ContainerDefinition, context: &ContainerContext) -> ContainerSummary {
        Self::of_parsed(
            definition,
            context,
            &crate::rules::parse_value_froms(definition),
        )
    }

    /// [`ContainerSummary::of`], given the container's `valueFrom` references parsed.
    pub(crate) fn of_parsed(
        definition: &ContainerDefinition,
        context: &ContainerContext,
        value_froms: &crate::rules::ValueFroms,
    ) -> ContainerSummary {
        let mut refs = Vec::new();
        let mut ref_paths = Vec::new();
        let mut uses_secret_fields = false;
        if let Some(creds) = &definition.repository_credentials
            && let Ok(SecretRef::Arn(arn)) = SecretRef::parse(&creds.credentials_parameter)
        {
            refs.push(ArnFact {
                partition: arn.partition(),
                account: account_number(arn.account()),
                is_secret: true,
            });
            ref_paths.push(Some(
                "repositoryCredentials.credentialsParameter".to_owned(),
            ));
        }
        let mut ssm_names = Vec::new();
        let mut ssm_arns = Vec::new();
        for (list, j, parsed) in value_froms {
            let path = format!("{list}[{j}].valueFrom");
            match parsed {
                Ok(SecretValueFrom::SecretsManager(sm)) => {
                    uses_secret_fields |= sm.json_key().is_some()
                        || sm.version_stage().is_some()
                        || sm.version_id().is_some();
                    let arn = sm.secret().arn();
                    refs.push(ArnFact {
                        partition: arn.partition(),
                        account: account_number(arn.account()),
                        is_secret: true,
                    });
                    ref_paths.push(Some(path));
                }
                Ok(SecretValueFrom::Ssm(ssm)) => {
                    match ssm
                        .arn()
                        .map(|arn| arn.region().and_then(crate::partition::Region::name))
                    {
                        None => ssm_names.push((ssm.name(), path.clone())),
                        Some(Some(region)) => ssm_arns.push((ssm.name(), region.to_owned())),
                        Some(None) => {}
                    }
                    if let Some(arn) = ssm.arn() {
                        refs.push(ArnFact {
                            partition: arn.partition(),
                            account: account_number(arn.account()),
                            is_secret: false,
                        });
                        ref_paths.push(Some(path));
                    }
                }
                Err(_) => {}
            }
        }
        let key = context
            .kms_key
            .as_deref()
            .and_then(|k| KmsKeyRef::parse(k).ok());
        if let Some(key) = &key {
            refs.push(ArnFact {
                partition: key.partition(),
                account: account_number(key.account()),
                is_secret: false,
            });
            ref_paths.push(None);
        }
        let kms_key = match (&context.kms_key, &key) {
            (None, _) => KmsKeyFact::None,
            (Some(_), Some(k)) if k.is_aws_managed_alias() => KmsKeyFact::AwsManaged,
            (Some(_), _) => KmsKeyFact::CustomerManaged,
        };
        let log = definition.log_configuration.as_ref();
        let facts =
            ContainerFacts {
                name: None,
                essential: definition.essential != Some(false),
                memory: definition.memory,
                memory_reservation: definition.memory_reservation,
                has_health_check: definition.health_check.is_some(),
                uses_credentials: definition.repository_credentials.is_some(),
                uses_secrets: definition.secrets.as_ref().is_some_and(|s| !s.is_empty())
                    || log
                        .and_then(|l| l.secret_options.as_ref())
                        .is_some_and(|s| !s.is_empty()),
                uses_secret_fields,
                ecr_image: definition
                    .image
                    .as_deref()
                    .and_then(crate::image::ecr_private_image)
                    .is_some(),
                log_driver: log.map(|l| l.log_driver),
                awslogs_stream_prefix: log
                    .and_then(|l| l.options.as_ref())
                    .is_some_and(|o| o.contains_key("awslogs-stream-prefix")),
                host_port_mismatch: definition.port_mappings.iter().flatten().any(
                    |p| matches!((p.container_port, p.host_port), (Some(c), Some(h)) if c != h),
                ),
                refs: &[],
                kms_key,
                ssm_names: &[],
                ssm_arns: &[],
            };
        ContainerSummary {
            name: definition.name.clone(),
            refs,
            ref_paths,
            ssm_names,
            ssm_arns,
            facts,
        }
    }

    /// The SSM parameters named by name, each with the container-relative JSON path of its
    /// secret.
    pub fn ssm_names(&self) -> &[(String, String)] {
        &self.ssm_names
    }

    /// The SSM parameters referenced by ARN with a concrete region: `(name, region)`.
    pub fn ssm_arns(&self) -> &[(String, String)] {
        &self.ssm_arns
    }

    /// Where the `i`-th ARN fact is: a container-relative JSON path, or `None` for `kms_key`.
    pub fn ref_path(&self, i: usize) -> Option<&str> {
        self.ref_paths.get(i).and_then(Option::as_deref)
    }

    /// The facts, borrowing this summary's storage.
    pub fn facts(&self) -> ContainerFacts<'_> {
        ContainerFacts {
            name: self.name.as_deref(),
            refs: &self.refs,
            ..self.facts
        }
    }
}

/// A dotted version number, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// Parses `1.4.0` (or `1.4`); `None` for anything else (`LATEST`, a placeholder).
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim_start_matches('v').split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        if parts.next().is_some() {
            return None;
        }
        Some(Version(major, minor, patch))
    }

    /// `self < other`, usable in `const` items.
    pub const fn is_below(self, other: Version) -> bool {
        self.0 < other.0
            || (self.0 == other.0 && (self.1 < other.1 || (self.1 == other.1 && self.2 < other.2)))
    }
}

/// What the task-scope rules need to know about the task itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskFacts {
    /// `requiresCompatibilities` holds `FARGATE`.
    pub fargate: bool,
    /// The task may run on EC2 or external instances.
    pub ec2: bool,
    /// It has an `executionRoleArn`.
    pub has_execution_role: bool,
    /// The execution role's partition and account, when it parses.
    pub role: Option<(Partition, Option<u64>)>,
    /// The network mode (Fargate's default is `awsvpc`).
    pub network_mode: Option<NetworkMode>,
    /// The task memory in MiB, when it is a number.
    pub memory: Option<u32>,
    /// The declared Fargate platform version.
    pub platform_version: Option<Version>,
    /// The declared ECS agent version.
    pub agent_version: Option<Version>,
}

impl TaskFacts {
    /// The facts of a task.
    pub fn of(definition: &TaskDefinition, context: &Context) -> TaskFacts {
        let role = definition
            .execution_role_arn
            .as_deref()
            .and_then(|r| RoleArn::parse(r).ok());
        let fargate = is_fargate(definition);
        TaskFacts {
            fargate,
            ec2: is_ec2(definition),
            has_execution_role: definition.execution_role_arn.is_some(),
            role: role.map(|r| (r.partition(), account_number(r.account()))),
            network_mode: definition.network_mode.or(if fargate {
                Some(NetworkMode::Awsvpc)
            } else {
                None
            }),
            memory: definition
                .memory
                .as_deref()
                .and_then(sizes::parse_task_memory),
            platform_version: context.platform_version.as_deref().and_then(Version::parse),
            agent_version: context.agent_version.as_deref().and_then(Version::parse),
        }
    }
}

/// Why a container needs the task's execution role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutionRoleReason {
    /// It pulls its image with `repositoryCredentials`.
    Credentials,
    /// It reads `secrets`.
    Secrets,
    /// It pulls an ECR image on Fargate.
    EcrImage,
    /// It logs with `awslogs` on Fargate.
    Awslogs,
}

impl ExecutionRoleReason {
    /// How the diagnostics say it.
    pub const fn describe(self) -> &'static str {
        match self {
            ExecutionRoleReason::Credentials => "pulls its image with `credentials`",
            ExecutionRoleReason::Secrets => "reads `secrets`",
            ExecutionRoleReason::EcrImage => "pulls an Amazon ECR image on Fargate",
            ExecutionRoleReason::Awslogs => "logs with `awslogs` on Fargate",
        }
    }

    /// The container member that needs the role.
    pub const fn member(self) -> &'static str {
        match self {
            ExecutionRoleReason::Credentials => "repositoryCredentials",
            ExecutionRoleReason::Secrets => "secrets",
            ExecutionRoleReason::EcrImage => "image",
            ExecutionRoleReason::Awslogs => "logConfiguration",
        }
    }
}

/// `execution-role-required`: why this container needs an execution role the task lacks.
pub const fn execution_role_missing(
    task: &TaskFacts,
    c: &ContainerFacts<'_>,
) -> Option<ExecutionRoleReason> {
    if task.has_execution_role {
        None
    } else if c.uses_credentials {
        Some(ExecutionRoleReason::Credentials)
    } else if c.uses_secrets {
        Some(ExecutionRoleReason::Secrets)
    } else if task.fargate && c.ecr_image {
        Some(ExecutionRoleReason::EcrImage)
    } else if task.fargate && matches!(c.log_driver, Some(LogDriver::Awslogs)) {
        Some(ExecutionRoleReason::Awslogs)
    } else {
        None
    }
}

/// `container-memory-exceeds-task`: the container's hard limit is above the task's memory.
pub const fn memory_exceeds_task(task: &TaskFacts, c: &ContainerFacts<'_>) -> bool {
    match (c.memory, task.memory) {
        (Some(memory), Some(task_memory)) => memory > 0 && memory.cast_unsigned() > task_memory,
        _ => false,
    }
}

/// `fargate-log-driver`: a log driver Fargate does not run.
pub const fn fargate_log_driver_unsupported(task: &TaskFacts, c: &ContainerFacts<'_>) -> bool {
    task.fargate
        && matches!(
            c.log_driver,
            Some(
                LogDriver::JsonFile
                    | LogDriver::Syslog
                    | LogDriver::Journald
                    | LogDriver::Gelf
                    | LogDriver::Fluentd
            )
        )
}

/// `awslogs-options` (its Fargate part): `awslogs` on Fargate without a stream prefix.
pub const fn awslogs_stream_prefix_missing(task: &TaskFacts, c: &ContainerFacts<'_>) -> bool {
    task.fargate && matches!(c.log_driver, Some(LogDriver::Awslogs)) && !c.awslogs_stream_prefix
}

/// `host-port-mismatch`: a host port differs from its container port where the network mode
/// makes them the same port.
pub const fn host_port_mismatch(task: &TaskFacts, c: &ContainerFacts<'_>) -> bool {
    c.host_port_mismatch
        && matches!(
            task.network_mode,
            Some(NetworkMode::Awsvpc | NetworkMode::Host)
        )
}

/// `partition-mismatch`: the index of the first ARN in another partition than the role.
pub const fn partition_mismatch(task: &TaskFacts, c: &ContainerFacts<'_>) -> Option<usize> {
    let Some((role_partition, _)) = task.role else {
        return None;
    };
    let mut i = 0;
    while i < c.refs.len() {
        if c.refs[i].partition as u8 != role_partition as u8 {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `cross-account-needs-kms-key`: the index of the first secret in another account than the
/// role, when the container declares no customer-managed key.
pub const fn cross_account_without_key(task: &TaskFacts, c: &ContainerFacts<'_>) -> Option<usize> {
    let Some((_, Some(role_account))) = task.role else {
        return None;
    };
    if matches!(c.kms_key, KmsKeyFact::CustomerManaged) {
        return None;
    }
    let mut i = 0;
    while i < c.refs.len() {
        let r = c.refs[i];
        if let Some(account) = r.account
            && r.is_secret
            && account != role_account
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A feature and the first Fargate platform and ECS agent versions that support it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionNeed {
    /// The rule.
    pub rule: &'static str,
    /// The first Fargate platform version.
    pub fargate: Version,
    /// The first ECS container agent version.
    pub agent: Version,
    /// The container member that uses the feature.
    pub member: &'static str,
    /// The feature, for messages.
    pub feature: &'static str,
}

/// Private registry authentication.
pub const CREDENTIALS_VERSIONS: VersionNeed = VersionNeed {
    rule: "credentials-platform-version",
    fargate: Version(1, 2, 0),
    agent: Version(1, 19, 0),
    member: "repositoryCredentials",
    feature: "private registry authentication",
};

/// Secrets in environment variables.
pub const SECRETS_VERSIONS: VersionNeed = VersionNeed {
    rule: "secrets-platform-version",
    fargate: Version(1, 3, 0),
    agent: Version(1, 22, 0),
    member: "secrets",
    feature: "secrets",
};

/// A secret's json-key or version fields.
pub const SECRET_FIELDS_VERSIONS: VersionNeed = VersionNeed {
    rule: "secrets-platform-version",
    fargate: Version(1, 4, 0),
    agent: Version(1, 37, 0),
    member: "secrets",
    feature: "a secret's json-key or version",
};

/// Which declared version falls short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionShortfall {
    /// The Fargate platform version.
    Platform,
    /// The ECS agent version.
    Agent,
}

/// `credentials-platform-version` / `secrets-platform-version`: the first feature the container
/// uses that the declared platform or agent version does not support.
pub const fn version_shortfall(
    task: &TaskFacts,
    c: &ContainerFacts<'_>,
) -> Option<(VersionNeed, VersionShortfall)> {
    let needs = [
        (CREDENTIALS_VERSIONS, c.uses_credentials),
        (SECRETS_VERSIONS, c.uses_secrets),
        (SECRET_FIELDS_VERSIONS, c.uses_secret_fields),
    ];
    let mut i = 0;
    while i < needs.len() {
        let (need, used) = needs[i];
        if used {
            if let Some(v) = task.platform_version
                && task.fargate
                && v.is_below(need.fargate)
            {
                return Some((need, VersionShortfall::Platform));
            }
            if let Some(v) = task.agent_version
                && task.ec2
                && v.is_below(need.agent)
            {
                return Some((need, VersionShortfall::Agent));
            }
        }
        i += 1;
    }
    None
}

/// Byte equality of two strings, usable in `const` items.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The index of the container named `name` among `names`.
pub const fn find_name(names: &[&str], name: &str) -> Option<usize> {
    let mut i = 0;
    while i < names.len() {
        if str_eq(names[i], name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `container-name` (uniqueness): the index of the first earlier container with the same name
/// as container `i`.
pub const fn duplicate_name(names: &[&str], i: usize) -> Option<usize> {
    let mut j = 0;
    while j < i {
        if str_eq(names[j], names[i]) {
            return Some(j);
        }
        j += 1;
    }
    None
}

/// The first whole-task rule a container breaks, as the text of the compile error the
/// `TaskDefinition` derive shows (spanned on the container's field): the message, the help
/// line and the rule, in the form of the front end's errors.
pub const fn container_in_task_error(
    task: &TaskFacts,
    c: &ContainerFacts<'_>,
) -> Option<&'static str> {
    if let Some(reason) = execution_role_missing(task, c) {
        return Some(match reason {
            ExecutionRoleReason::Credentials => {
                "this container pulls its image with `credentials`, and the task has no execution role\n= help: set `execution_role = \"arn:aws:iam::ACCOUNT:role/NAME\"` on the task: ECS fetches the credentials with that role\n  (rule: execution-role-required)"
            }
            ExecutionRoleReason::Secrets => {
                "this container reads `secrets`, and the task has no execution role\n= help: set `execution_role = \"arn:aws:iam::ACCOUNT:role/NAME\"` on the task: ECS fetches the secrets with that role\n  (rule: execution-role-required)"
            }
            ExecutionRoleReason::EcrImage => {
                "this container pulls an Amazon ECR image on Fargate, and the task has no execution role\n= help: set `execution_role = \"arn:aws:iam::ACCOUNT:role/NAME\"` on the task: Fargate pulls ECR images with that role\n  (rule: execution-role-required)"
            }
            ExecutionRoleReason::Awslogs => {
                "this container logs with `awslogs` on Fargate, and the task has no execution role\n= help: set `execution_role = \"arn:aws:iam::ACCOUNT:role/NAME\"` on the task: Fargate writes the logs with that role\n  (rule: execution-role-required)"
            }
        });
    }
    if memory_exceeds_task(task, c) {
        return Some(
            "this container's memory limit is above the task's memory\n= help: lower the container's `memory` or raise the task's\n  (rule: container-memory-exceeds-task)",
        );
    }
    if fargate_log_driver_unsupported(task, c) {
        return Some(
            "Fargate does not support this container's log driver\n= help: on Fargate use `awslogs`, `splunk` or `awsfirelens`\n  (rule: fargate-log-driver)",
        );
    }
    if awslogs_stream_prefix_missing(task, c) {
        return Some(
            "this container logs with `awslogs` on Fargate without `awslogs-stream-prefix`\n= help: add `stream_prefix = \"...\"` to its `log(...)`\n  (rule: awslogs-options)",
        );
    }
    if host_port_mismatch(task, c) {
        return Some(
            "a host port of this container differs from its container port, and the task's network mode makes them one port\n= help: in `awsvpc` or `host` mode the host port equals the container port: set it to the container port or leave it out\n  (rule: host-port-mismatch)",
        );
    }
    if partition_mismatch(task, c).is_some() {
        return Some(
            "a secret, parameter or key ARN of this container is in another partition than the execution role\n= help: a role cannot read across partitions: use a resource in the role's partition\n  (rule: partition-mismatch)",
        );
    }
    if cross_account_without_key(task, c).is_some() {
        return Some(
            "a secret of this container is in another account than the execution role, and no customer-managed `kms_key` is declared\n= help: encrypt the secret with a customer-managed KMS key shared with the role's account, and declare it: `kms_key = \"arn:aws:kms:REGION:ACCOUNT:key/ID\"`\n  (rule: cross-account-needs-kms-key)",
        );
    }
    if let Some((need, _)) = version_shortfall(task, c) {
        return Some(if str_eq(need.rule, CREDENTIALS_VERSIONS.rule) {
            "this container uses private registry authentication, which the task's declared platform or agent version does not support\n= help: declare Fargate platform version 1.2.0 or later, or ECS agent 1.19.0 or later\n  (rule: credentials-platform-version)"
        } else if str_eq(need.feature, SECRET_FIELDS_VERSIONS.feature) {
            "this container reads a secret's json-key or version, which the task's declared platform or agent version does not support\n= help: declare Fargate platform version 1.4.0 or later, or ECS agent 1.37.0 or later\n  (rule: secrets-platform-version)"
        } else {
            "this container reads `secrets`, which the task's declared platform or agent version does not support\n= help: declare Fargate platform version 1.3.0 or later, or ECS agent 1.22.0 or later\n  (rule: secrets-platform-version)"
        });
    }
    None
}

/// Borrowed views of a summary's SSM lists, to fill a [`ContainerFacts`]'s `ssm_names` and
/// `ssm_arns`.
#[derive(Debug)]
pub struct SsmBuffers<'a> {
    names: Vec<&'a str>,
    arns: Vec<(&'a str, &'a str)>,
}

impl<'a> SsmBuffers<'a> {
    /// The views of `summary`'s lists.
    pub fn of(summary: &'a ContainerSummary) -> Self {
        SsmBuffers {
            names: summary.ssm_names.iter().map(|(n, _)| n.as_str()).collect(),
            arns: summary
                .ssm_arns
                .iter()
                .map(|(n, r)| (n.as_str(), r.as_str()))
                .collect(),
        }
    }

    /// `facts` with the SSM lists filled in.
    pub fn complete<'b>(&'b self, facts: ContainerFacts<'b>) -> ContainerFacts<'b> {
        ContainerFacts {
            ssm_names: &self.names,
            ssm_arns: &self.arns,
            ..facts
        }
    }
}

/// `ssm-cross-region-needs-arn`: the index (in `containers[i].ssm_names`) of the first
/// parameter container `i` names by name (which ECS resolves in the task's region) while some
/// container of the task references the same parameter by ARN in another region.
pub const fn ssm_cross_region(
    task_region: Option<&str>,
    containers: &[ContainerFacts<'_>],
    i: usize,
) -> Option<usize> {
    let Some(task_region) = task_region else {
        return None;
    };
    let names = containers[i].ssm_names;
    let mut k = 0;
    while k < names.len() {
        let mut j = 0;
        while j < containers.len() {
            let arns = containers[j].ssm_arns;
            let mut a = 0;
            while a < arns.len() {
                if str_eq(arns[a].0, names[k]) && !str_eq(arns[a].1, task_region) {
                    return Some(k);
                }
                a += 1;
            }
            j += 1;
        }
        k += 1;
    }
    None
}

/// The message of `ssm-cross-region-needs-arn` in the derive.
pub const SSM_CROSS_REGION_ERROR: &str = "this container names an SSM parameter by name, which ECS resolves in the task's region, but the task also references it by ARN in another region\n= help: give the parameter's full ARN (`arn:aws:ssm:REGION:ACCOUNT:parameter/...`) here too\n  (rule: ssm-cross-region-needs-arn)";
