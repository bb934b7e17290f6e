//! The rules that need the whole task, as `const fn` predicates over facts.
//!
//! A `#[derive(TaskDefinition)]` sees only its own tokens: its containers may be declared in
//! other crates. So each `#[derive(Container)]` computes its [`ContainerFacts`] (with
//! [`ContainerSummary::of`], at compile time) and exposes them as a constant, and the task's
//! impl evaluates these predicates over them in a `const` item: a broken rule is a compile
//! error there. The rule engine evaluates the very same predicates at run time over facts it
//! computes with the very same function, so the derive, `cargo ecsdef` and `validate()` agree.
//!
//! Each rule's descriptor is here, beside its predicate and the `const fn`s that write its
//! message ([`Words`], written into a [`Text`]). The derive calls them in its `const` items
//! ([`container_problem`]) with the container's name, which its constant carries, and the
//! engine (`whole`) calls them at run time: the two say the same words, with the same names
//! and numbers. The version rules differ only in where they point: the derive checks them on
//! the task's `platform_version` or `agent_version` literal ([`VersionShortfallWords`]).

use crate::arn::{Account, KmsKeyRef, RoleArn, SecretRef, SecretValueFrom};
use crate::partition::Partition;
use crate::rule::{Level, Quote, Rule, Scope, aws_docs, const_concat};
use crate::rules::{ContainerContext, Context, is_ec2, is_fargate, sizes};
use crate::{ContainerDefinition, LogDriver, NetworkMode, TaskDefinition};

/// The start of `execution-role-required`'s help lines: what to declare.
pub(super) const SET_EXECUTION_ROLE: &str =
    "set `execution_role = \"arn:aws:iam::ACCOUNT:role/NAME\"` on the task: ";
/// `ssm-cross-region-needs-arn`'s help, around the region of the ARN to give.
pub const SSM_ARN_HELP: (&str, &str) = (
    "give the full ARN (`arn:aws:ssm:",
    ":ACCOUNT:parameter/...`) here too",
);
/// `host-port-mismatch`'s help, around the network mode and the port to set.
pub const HOST_PORT_HELP: (&str, &str, &str) = (
    "in `",
    "` mode the host port equals the container port: set it to ",
    " or leave it out",
);
/// The end of `execution-role-required`'s messages, after what the container does.
const NO_EXECUTION_ROLE: &str = ", and the task has no execution role";

/// A container that needs the task's execution role, in a task without one.
pub const EXECUTION_ROLE_REQUIRED: Rule = Rule {
    name: "execution-role-required",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a task that uses `credentials`, `secrets`, an ECR image on Fargate or `awslogs` on Fargate needs an `execution_role`",
    help: const_concat!(
        SET_EXECUTION_ROLE,
        "ECS uses that role to fetch credentials, secrets and images and to write logs"
    ),
    link: aws_docs::EXECUTION_ROLE,
    aws: Quote {
        text: "The Amazon Resource Name (ARN) of the task execution role that grants the Amazon ECS container agent permission to make Amazon Web Services API calls on your behalf.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
    },
    order: 107,
};

/// A secret, key or parameter in another partition than the execution role.
pub const PARTITION_MISMATCH: Rule = Rule {
    name: "partition-mismatch",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a secret, key or parameter ARN in another partition than the execution role: roles cannot cross partitions",
    help: "a role cannot read across partitions: use a resource in the role's partition",
    link: aws_docs::IAM_IDENTIFIERS,
    aws: Quote {
        text: "The secret you reference can be from a different AWS Region or a different account than the task using it.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html",
    },
    order: 109,
};

/// A secret of another account, without a customer-managed key to decrypt it.
pub const CROSS_ACCOUNT_NEEDS_KMS_KEY: Rule = Rule {
    name: "cross-account-needs-kms-key",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a secret in another account than the execution role must be encrypted with a customer-managed KMS key (the AWS-managed `aws/secretsmanager` key cannot be shared): declare `kms_key`",
    help: "encrypt the secret with a customer-managed KMS key shared with the role's account, and declare it: `kms_key = \"arn:aws:kms:REGION:ACCOUNT:key/ID\"`",
    link: aws_docs::CROSS_ACCOUNT,
    aws: Quote {
        text: "This is because you can't use the AWS managed key (aws/secretsmanager) for cross-account access. Instead, you must encrypt your secret with a KMS key that you create, and then attach a key policy to it.",
        source: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html",
    },
    order: 110,
};

/// Private registry authentication on a platform or agent version without it.
pub const CREDENTIALS_PLATFORM_VERSION: Rule = Rule {
    name: "credentials-platform-version",
    level: Level::Error,
    scope: Scope::Task,
    summary: "private registry authentication needs Fargate platform version 1.2.0 or the ECS agent 1.19.0",
    help: "declare Fargate platform version 1.2.0 or later, or ECS agent 1.19.0 or later",
    link: aws_docs::PRIVATE_AUTH,
    aws: Quote {
        text: "For tasks hosted on Fargate, this feature requires platform version 1.2.0 or later.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html",
    },
    order: 111,
};

/// An SSM parameter named by name while the task also references it in another region.
pub const SSM_CROSS_REGION_NEEDS_ARN: Rule = Rule {
    name: "ssm-cross-region-needs-arn",
    level: Level::Error,
    scope: Scope::Task,
    summary: "an SSM parameter name is resolved in the task's region: a parameter the task also references by ARN in another region must be given by that ARN everywhere",
    help: const_concat!(SSM_ARN_HELP.0, "REGION", SSM_ARN_HELP.1),
    link: aws_docs::SECRETS_SSM,
    aws: Quote {
        text: "If the parameter exists in a different Region, then the full ARN must be specified.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html",
    },
    order: 202,
};

/// Secrets on a platform or agent version without them.
pub const SECRETS_PLATFORM_VERSION: Rule = Rule {
    name: "secrets-platform-version",
    level: Level::Error,
    scope: Scope::Task,
    summary: "secrets need Fargate 1.3.0 or the ECS agent 1.22.0; a json-key or version field needs Fargate 1.4.0 or agent 1.37.0",
    help: "declare a Fargate platform version or ECS agent version that supports what the container reads",
    link: aws_docs::FARGATE_PLATFORM,
    aws: Quote {
        text: "To inject a specific JSON key or version of a secret as an environment variable or in a log configuration, you must use platform version 1.4.0 or later (Linux) or 1.0.0 (Windows).",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
    },
    order: 203,
};

/// A host port that differs from its container port where the network mode makes them one.
pub const HOST_PORT_MISMATCH: Rule = Rule {
    name: "host-port-mismatch",
    level: Level::Error,
    scope: Scope::Task,
    summary: "in `awsvpc` or `host` network mode a host port must equal its container port",
    help: const_concat!(
        HOST_PORT_HELP.0,
        "awsvpc` or `host",
        HOST_PORT_HELP.1,
        "the container port",
        HOST_PORT_HELP.2
    ),
    link: aws_docs::PORT_MAPPING,
    aws: Quote {
        text: "If you use containers in a task with the awsvpc or host network mode, the hostPort can either be left blank or set to the same value as the containerPort.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    },
    order: 305,
};

/// A log driver Fargate does not run.
pub const FARGATE_LOG_DRIVER: Rule = Rule {
    name: "fargate-log-driver",
    level: Level::Error,
    scope: Scope::Task,
    summary: "on Fargate the log driver is `awslogs`, `splunk` or `awsfirelens`",
    help: "on Fargate use `awslogs`, `splunk` or `awsfirelens`",
    link: aws_docs::TASK_PARAMS,
    aws: Quote {
        text: "For tasks on Fargate, the supported log drivers are awslogs, splunk, and awsfirelens.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html",
    },
    order: 306,
};

/// A task without an essential container.
pub const NO_ESSENTIAL_CONTAINER: Rule = Rule {
    name: "no-essential-container",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a task needs at least one essential container",
    help: "mark the task's main container essential (`essential = true`, the default)",
    link: aws_docs::TASK_PARAMS,
    aws: Quote {
        text: "All tasks must have at least one essential container.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 308,
};

/// A dependency on a container the task does not have.
pub const DEPENDS_ON_UNKNOWN: Rule = Rule {
    name: "depends-on-unknown",
    level: Level::Error,
    scope: Scope::Task,
    summary: "`depends_on` names a container that is not in the task",
    help: "name a container of this task",
    link: aws_docs::DEPENDS_ON,
    aws: Quote {
        text: "The name of a container.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html",
    },
    order: 310,
};

/// A `HEALTHY` dependency on a container without a health check.
pub const DEPENDS_ON_HEALTHY_WITHOUT_CHECK: Rule = Rule {
    name: "depends-on-healthy-without-check",
    level: Level::Error,
    scope: Scope::Task,
    summary: "`HEALTHY` needs the container depended on to have a health check",
    help: "give the container depended on a health check, or depend on it with `START`",
    link: aws_docs::DEPENDS_ON,
    aws: Quote {
        text: "This requires that the dependent container has health checks configured.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html",
    },
    order: 311,
};

/// A container allowed more memory than its task.
pub const CONTAINER_MEMORY_EXCEEDS_TASK: Rule = Rule {
    name: "container-memory-exceeds-task",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a container's hard memory limit is above the task's memory",
    help: "lower the container's `memory` or raise the task's",
    link: aws_docs::TASK_PARAMS,
    aws: Quote {
        text: "The total amount of memory reserved for all containers within a task must be lower than the task memory value, if one is specified.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 312,
};

/// A container without a memory limit in a task without one, or with a hard limit below its
/// reservation.
pub const CONTAINER_MEMORY: Rule = Rule {
    name: "container-memory",
    level: Level::Error,
    scope: Scope::Task,
    summary: "a container needs `memory` or `memory_reservation` when its task has no `memory`, and its `memory` is at least its `memory_reservation`",
    help: "give the container a `memory` or `memory_reservation` (MiB), or the task a `memory`",
    link: aws_docs::CONTAINER_API,
    aws: Quote {
        text: "If a task-level memory value is not specified, you must specify a non-zero integer for one or both of memory or memoryReservation in a container definition.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 320,
};

/// The rules of this module, for [`super::RULES`]: those that need the whole task.
pub(super) const RULES: &[&Rule] = &[
    &EXECUTION_ROLE_REQUIRED,
    &PARTITION_MISMATCH,
    &CROSS_ACCOUNT_NEEDS_KMS_KEY,
    &CREDENTIALS_PLATFORM_VERSION,
    &SSM_CROSS_REGION_NEEDS_ARN,
    &SECRETS_PLATFORM_VERSION,
    &HOST_PORT_MISMATCH,
    &FARGATE_LOG_DRIVER,
    &NO_ESSENTIAL_CONTAINER,
    &DEPENDS_ON_UNKNOWN,
    &DEPENDS_ON_HEALTHY_WITHOUT_CHECK,
    &CONTAINER_MEMORY_EXCEEDS_TASK,
    &CONTAINER_MEMORY,
];

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

/// The [`ArnFact`] a derive writes as `arn(PARTITION, ACCOUNT, IS_SECRET)`
/// ([`ContainerSummary::rust_expr`]): the partition's index in [`Partition::ALL`], the account
/// or `u64::MAX` for none. A call with three literals costs rustc less in each derive's
/// constant than a struct literal of three paths.
pub const fn arn(partition: usize, account: u64, is_secret: bool) -> ArnFact {
    ArnFact {
        partition: Partition::ALL[partition],
        account: if account == u64::MAX {
            None
        } else {
            Some(account)
        },
        is_secret,
    }
}

/// The arguments of [`arn`] that give `fact`.
fn arn_parts(fact: &ArnFact) -> (usize, u64, bool) {
    let partition = Partition::ALL
        .iter()
        .position(|p| *p == fact.partition)
        .unwrap_or_default();
    (partition, fact.account.unwrap_or(u64::MAX), fact.is_secret)
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
    /// The first port mapping whose host port differs from its container port:
    /// `(container port, host port)`.
    pub mismatched_ports: Option<(i32, i32)>,
    /// Its secret, parameter and key ARNs.
    pub refs: &'a [ArnFact],
    /// Each of `refs` as written, to name it in messages.
    pub ref_texts: &'a [&'a str],
    /// Its `kms_key`.
    pub kms_key: KmsKeyFact,
    /// The SSM parameters its secrets name by name (resolved in the task's region).
    pub ssm_names: &'a [&'a str],
    /// The SSM parameters its secrets reference by ARN with a concrete region: `(name, region)`.
    pub ssm_arns: &'a [(&'a str, &'a str)],
}

impl ContainerFacts<'static> {
    /// Facts that break no rule, whatever the task: what the derive's stub impl exposes when
    /// a container's attributes have errors of their own, so that those errors are all the
    /// user sees.
    pub const NEUTRAL: ContainerFacts<'static> = ContainerFacts {
        name: None,
        essential: true,
        memory: None,
        // A reservation, so that a task without `memory` has no complaint about this one.
        memory_reservation: Some(1),
        has_health_check: true,
        uses_credentials: false,
        uses_secrets: false,
        uses_secret_fields: false,
        ecr_image: false,
        log_driver: None,
        awslogs_stream_prefix: true,
        mismatched_ports: None,
        refs: &[],
        ref_texts: &[],
        kms_key: KmsKeyFact::None,
        ssm_names: &[],
        ssm_arns: &[],
    };
}

/// The facts of the members a task's field may set on its container (`essential = ...`,
/// `memory = ...` on the field): each `Some` where the definition it was taken from sets the
/// member. Every view of a container in its task applies them with
/// [`ContainerFacts::with_field`]: the `TaskDefinition` derive to the facts the container's
/// impl exposes (taken from what the field sets), the engine to the facts of a
/// [`ContainerVerdict`](super::ContainerVerdict), judged without those members (taken from the
/// task's container), and [`ContainerSummary::of`] to the facts of the rest of a definition.
/// A test in `assemble.rs` holds the three together for every member a field may set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldFacts {
    /// Whether it is essential.
    pub essential: Option<bool>,
    /// The hard memory limit (MiB).
    pub memory: Option<i32>,
    /// The soft memory limit (MiB).
    pub memory_reservation: Option<i32>,
}

impl FieldFacts {
    /// The members of `definition` a task's field may set.
    pub fn of(definition: &ContainerDefinition) -> FieldFacts {
        FieldFacts {
            essential: definition.essential,
            memory: definition.memory,
            memory_reservation: definition.memory_reservation,
        }
    }

    /// These facts as the Rust source of a `FieldFacts` constant, with the type reached
    /// through `private` (see [`ContainerSummary::rust_expr`]).
    pub fn rust_expr(&self, private: &str) -> String {
        let FieldFacts {
            essential,
            memory,
            memory_reservation,
        } = *self;
        let essential = rust_option(private, essential, |e| e.to_string());
        let memory = rust_option(private, memory, |m| m.to_string());
        let memory_reservation = rust_option(private, memory_reservation, |m| m.to_string());
        format!(
            "{private}::FieldFacts {{ essential: {essential}, memory: {memory}, \
             memory_reservation: {memory_reservation} }}"
        )
    }
}

impl ContainerFacts<'_> {
    /// These facts, with those `field` sets in their place. Applied to the facts of a
    /// container whose definition sets none of those members, it gives the facts of that
    /// definition with them set.
    #[must_use]
    pub const fn with_field(self, field: FieldFacts) -> Self {
        let FieldFacts {
            essential,
            memory,
            memory_reservation,
        } = field;
        ContainerFacts {
            essential: match essential {
                Some(e) => e,
                None => self.essential,
            },
            memory: match memory {
                Some(m) => Some(m),
                None => self.memory,
            },
            memory_reservation: match memory_reservation {
                Some(m) => Some(m),
                None => self.memory_reservation,
            },
            ..self
        }
    }
}

/// [`ContainerFacts`] with owned storage, computed from a container's definition and context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerSummary {
    name: Option<String>,
    refs: Vec<ArnFact>,
    /// Each of `refs` as written.
    ref_texts: Vec<String>,
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
    /// These facts, of a container judged without the members a task's field may set
    /// (`rules::masked`), with those members taken from `definition`: its name and its
    /// [`FieldFacts`].
    pub(crate) fn with_members_of(mut self, definition: &ContainerDefinition) -> Self {
        self.name.clone_from(&definition.name);
        self.facts = self.facts.with_field(FieldFacts::of(definition));
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
        let mut ref_texts = Vec::new();
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
            ref_texts.push(creds.credentials_parameter.clone());
            ref_paths.push(Some(
                "repositoryCredentials.credentialsParameter".to_owned(),
            ));
        }
        let mut ssm_names = Vec::new();
        let mut ssm_arns = Vec::new();
        // `value_froms` holds the container's `valueFrom`s parsed, in `crate::value_froms`'s
        // order.
        for ((list, j, parsed), (_, _, secret)) in
            value_froms.iter().zip(crate::value_froms(definition))
        {
            let path = crate::rules::element_path(list, *j, "valueFrom");
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
                    ref_texts.push(secret.value_from.clone());
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
                        ref_texts.push(secret.value_from.clone());
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
            ref_texts.push(context.kms_key.clone().unwrap_or_default());
            ref_paths.push(None);
        }
        let kms_key = match (&context.kms_key, &key) {
            (None, _) => KmsKeyFact::None,
            (Some(_), Some(k)) if k.is_aws_managed_alias() => KmsKeyFact::AwsManaged,
            (Some(_), _) => KmsKeyFact::CustomerManaged,
        };
        let log = definition.log_configuration.as_ref();
        let facts = ContainerFacts {
            name: None,
            // What a definition that sets none of its `FieldFacts` has; they are set below.
            essential: true,
            memory: None,
            memory_reservation: None,
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
            mismatched_ports: definition.port_mappings.iter().flatten().find_map(|p| {
                match (p.container_port, p.host_port) {
                    (Some(c), Some(h)) if c != h => Some((c, h)),
                    _ => None,
                }
            }),
            refs: &[],
            ref_texts: &[],
            kms_key,
            ssm_names: &[],
            ssm_arns: &[],
        }
        .with_field(FieldFacts::of(definition));
        ContainerSummary {
            name: definition.name.clone(),
            refs,
            ref_texts,
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

/// The Rust source of `value`: `Some(...)` with `f`'s source of the value inside, or `None`,
/// both reached through `private` (which re-exports them: a path the user's code cannot
/// shadow, two segments rather than four for rustc to resolve).
fn rust_option<T>(private: &str, value: Option<T>, f: impl FnOnce(T) -> String) -> String {
    value.map_or_else(
        || format!("{private}::None"),
        |v| format!("{private}::Some({})", f(v)),
    )
}

impl ContainerSummary {
    /// These facts as the Rust source of a `ContainerFacts<'static>` constant, with the types
    /// reached through `private` (the runtime's `__private` module): what a
    /// `#[derive(Container)]` exposes for the task derive's `const` checks. It sits beside the
    /// facts so that a fact the whole-task rules gain is written out here, not in the macro.
    pub fn rust_expr(&self, private: &str) -> String {
        let ContainerFacts {
            name,
            essential,
            memory,
            memory_reservation,
            has_health_check,
            uses_credentials,
            uses_secrets,
            uses_secret_fields,
            ecr_image,
            log_driver,
            awslogs_stream_prefix,
            mismatched_ports,
            refs,
            ref_texts: _,
            kms_key,
            ssm_names: _,
            ssm_arns: _,
        } = self.facts();
        // Only the members that differ from `NEUTRAL`, which gives the rest: most members of
        // most containers are as there, and each member written is source for rustc to
        // parse, resolve, type-check and hash in every build of the user's crate.
        let neutral = ContainerFacts::NEUTRAL;
        let mut members: Vec<String> = Vec::new();
        let mut member = |differs: bool, member: &str, value: &dyn Fn() -> String| {
            if differs {
                members.push(format!("{member}: {}", value()));
            }
        };
        member(name != neutral.name, "name", &|| {
            rust_option(private, name, |n| format!("{n:?}"))
        });
        member(essential != neutral.essential, "essential", &|| {
            essential.to_string()
        });
        member(memory != neutral.memory, "memory", &|| {
            rust_option(private, memory, |m| m.to_string())
        });
        member(
            memory_reservation != neutral.memory_reservation,
            "memory_reservation",
            &|| rust_option(private, memory_reservation, |m| m.to_string()),
        );
        member(
            has_health_check != neutral.has_health_check,
            "has_health_check",
            &|| has_health_check.to_string(),
        );
        member(
            uses_credentials != neutral.uses_credentials,
            "uses_credentials",
            &|| uses_credentials.to_string(),
        );
        member(
            uses_secrets != neutral.uses_secrets,
            "uses_secrets",
            &|| uses_secrets.to_string(),
        );
        member(
            uses_secret_fields != neutral.uses_secret_fields,
            "uses_secret_fields",
            &|| uses_secret_fields.to_string(),
        );
        member(ecr_image != neutral.ecr_image, "ecr_image", &|| {
            ecr_image.to_string()
        });
        member(log_driver != neutral.log_driver, "log_driver", &|| {
            rust_option(private, log_driver, |d| {
                format!("{private}::LogDriver::{d:?}")
            })
        });
        member(
            awslogs_stream_prefix != neutral.awslogs_stream_prefix,
            "awslogs_stream_prefix",
            &|| awslogs_stream_prefix.to_string(),
        );
        member(
            mismatched_ports != neutral.mismatched_ports,
            "mismatched_ports",
            &|| rust_option(private, mismatched_ports, |(c, h)| format!("({c}, {h})")),
        );
        member(refs != neutral.refs, "refs", &|| {
            let refs: Vec<String> = refs
                .iter()
                .map(|r| {
                    let (partition, account, is_secret) = arn_parts(r);
                    format!("{private}::arn({partition}, {account}, {is_secret})")
                })
                .collect();
            format!("&[{}]", refs.join(", "))
        });
        member(!self.ref_texts.is_empty(), "ref_texts", &|| {
            let texts: Vec<String> = self.ref_texts.iter().map(|t| format!("{t:?}")).collect();
            format!("&[{}]", texts.join(", "))
        });
        member(kms_key != neutral.kms_key, "kms_key", &|| {
            format!("{private}::KmsKeyFact::{kms_key:?}")
        });
        member(!self.ssm_names.is_empty(), "ssm_names", &|| {
            let names: Vec<String> = self
                .ssm_names
                .iter()
                .map(|(n, _)| format!("{n:?}"))
                .collect();
            format!("&[{}]", names.join(", "))
        });
        member(!self.ssm_arns.is_empty(), "ssm_arns", &|| {
            let arns: Vec<String> = self
                .ssm_arns
                .iter()
                .map(|(n, r)| format!("({n:?}, {r:?})"))
                .collect();
            format!("&[{}]", arns.join(", "))
        });
        let mut out = format!("{private}::ContainerFacts {{ ");
        for m in members {
            out.push_str(&m);
            out.push_str(", ");
        }
        out.push_str("..");
        out.push_str(private);
        out.push_str("::ContainerFacts::NEUTRAL }");
        out
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

impl TaskFacts {
    /// These facts as the Rust source of a `TaskFacts` constant, with the types reached
    /// through `private` (see [`ContainerSummary::rust_expr`]).
    pub fn rust_expr(&self, private: &str) -> String {
        let TaskFacts {
            fargate,
            ec2,
            has_execution_role,
            role,
            network_mode,
            memory,
            platform_version,
            agent_version,
        } = *self;
        let role = rust_option(private, role, |(partition, account)| {
            format!(
                "({private}::Partition::{partition:?}, {})",
                rust_option(private, account, |a| a.to_string())
            )
        });
        let network_mode = rust_option(private, network_mode, |m| {
            format!("{private}::NetworkMode::{m:?}")
        });
        let memory = rust_option(private, memory, |m| m.to_string());
        let version = |v: Option<Version>| {
            rust_option(private, v, |Version(a, b, c)| {
                format!("{private}::Version({a}, {b}, {c})")
            })
        };
        format!(
            "{private}::TaskFacts {{ fargate: {fargate}, ec2: {ec2}, \
             has_execution_role: {has_execution_role}, role: {role}, \
             network_mode: {network_mode}, memory: {memory}, platform_version: {}, \
             agent_version: {} }}",
            version(platform_version),
            version(agent_version),
        )
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

/// How `execution-role-required` says that a container pulls its image with credentials (a
/// task-definition file says it with its member: `Diagnostic::message_in_file`).
pub(crate) const CREDENTIALS_REASON: &str = "pulls its image with `credentials`";

impl ExecutionRoleReason {
    /// How the diagnostics say it.
    pub const fn describe(self) -> &'static str {
        match self {
            ExecutionRoleReason::Credentials => CREDENTIALS_REASON,
            ExecutionRoleReason::Secrets => "reads `secrets`",
            ExecutionRoleReason::EcrImage => "pulls an Amazon ECR image on Fargate",
            ExecutionRoleReason::Awslogs => "logs with `awslogs` on Fargate",
        }
    }

    /// What the role does for it, as the compile-time help line says it.
    pub const fn why(self) -> &'static str {
        match self {
            ExecutionRoleReason::Credentials => "ECS fetches the credentials with that role",
            ExecutionRoleReason::Secrets => "ECS fetches the secrets with that role",
            ExecutionRoleReason::EcrImage => "Fargate pulls ECR images with that role",
            ExecutionRoleReason::Awslogs => "Fargate writes the logs with that role",
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

/// `container-memory`: a container with no memory limit, hard or soft, in a task without
/// `memory` (on Fargate, the task's size is `fargate-cpu-memory`'s to ask for).
pub const fn memory_unset(task: &TaskFacts, c: &ContainerFacts<'_>) -> bool {
    const fn positive(limit: Option<i32>) -> bool {
        matches!(limit, Some(mib) if mib > 0)
    }
    !task.fargate && task.memory.is_none() && !positive(c.memory) && !positive(c.memory_reservation)
}

/// `container-memory`: a hard memory limit below the reservation, `(memory, reservation)`.
pub const fn memory_below_reservation(c: &ContainerFacts<'_>) -> Option<(i32, i32)> {
    match (c.memory, c.memory_reservation) {
        (Some(memory), Some(reservation)) if memory > 0 && memory < reservation => {
            Some((memory, reservation))
        }
        _ => None,
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

/// `host-port-mismatch`: the first port mapping whose host port differs from its container
/// port, `(container port, host port)`, where the network mode makes them the same port.
pub const fn host_port_mismatch(task: &TaskFacts, c: &ContainerFacts<'_>) -> Option<(i32, i32)> {
    if matches!(
        task.network_mode,
        Some(NetworkMode::Awsvpc | NetworkMode::Host)
    ) {
        c.mismatched_ports
    } else {
        None
    }
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

/// `cross-account-needs-kms-key`'s help when the secret's key is AWS-managed.
pub const AWS_MANAGED_KEY_HELP: &str = "an AWS-managed key cannot be shared across accounts: encrypt the secret with a customer-managed key and declare it as `kms_key`";

/// An account as its 12 digits, zero-padded, in `const` items.
pub const fn account_digits(account: u64) -> [u8; 12] {
    let mut out = [b'0'; 12];
    let mut rest = account;
    let mut i = 12;
    while i > 0 {
        i -= 1;
        out[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    out
}

/// A feature and the first Fargate platform and ECS agent versions that support it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionNeed {
    /// The rule.
    pub rule: &'static Rule,
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
    rule: &CREDENTIALS_PLATFORM_VERSION,
    fargate: Version(1, 2, 0),
    agent: Version(1, 19, 0),
    member: "repositoryCredentials",
    feature: "private registry authentication",
};

/// Secrets in environment variables.
pub const SECRETS_VERSIONS: VersionNeed = VersionNeed {
    rule: &SECRETS_PLATFORM_VERSION,
    fargate: Version(1, 3, 0),
    agent: Version(1, 22, 0),
    member: "secrets",
    feature: "secrets",
};

/// A secret's json-key or version fields.
pub const SECRET_FIELDS_VERSIONS: VersionNeed = VersionNeed {
    rule: &SECRETS_PLATFORM_VERSION,
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

impl VersionShortfall {
    /// The task attribute that declares the version.
    pub const fn key(self) -> &'static str {
        match self {
            VersionShortfall::Platform => "platform_version",
            VersionShortfall::Agent => "agent_version",
        }
    }
}

/// `credentials-platform-version` / `secrets-platform-version`: the first feature the container
/// uses that the declared platform or agent version does not support.
pub const fn version_shortfall(
    task: &TaskFacts,
    c: &ContainerFacts<'_>,
) -> Option<(VersionNeed, VersionShortfall)> {
    let needs = [
        (VERSION_NEEDS[0], c.uses_credentials),
        (VERSION_NEEDS[1], c.uses_secrets),
        (VERSION_NEEDS[2], c.uses_secret_fields),
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

/// The words of a version shortfall's finding, around the container's name: the engine
/// writes the name between `before_name` and `after_name`, the derive puts the container's
/// name constant there at compile time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionShortfallWords {
    /// The task attribute that declares the version, where the finding is.
    pub key: &'static str,
    /// The message up to the container's name.
    pub before_name: String,
    /// The message after the container's name.
    pub after_name: String,
    /// The help line.
    pub help: String,
}

impl VersionShortfallWords {
    /// What `need` and `shortfall` say, for a task that declares `declared`.
    pub fn new(need: &VersionNeed, shortfall: VersionShortfall, declared: Option<&str>) -> Self {
        let (minimum, what) = match shortfall {
            VersionShortfall::Platform => (need.fargate, "Fargate platform version"),
            VersionShortfall::Agent => (need.agent, "ECS container agent"),
        };
        let minimum = format!("{}.{}.{}", minimum.0, minimum.1, minimum.2);
        VersionShortfallWords {
            key: shortfall.key(),
            before_name: format!("{} (container `", need.feature),
            after_name: format!(
                "`, `{}`) needs {what} {minimum}; the task declares {}",
                need.member,
                declared.unwrap_or("?")
            ),
            help: format!("declare {what} {minimum} or later"),
        }
    }

    /// The message, for the container `name`.
    pub fn message(&self, name: &str) -> String {
        format!("{}{name}{}", self.before_name, self.after_name)
    }
}

/// Every feature a declared version may fall short of, in the order [`version_shortfall`]
/// tries them.
pub const VERSION_NEEDS: [VersionNeed; 3] = [
    CREDENTIALS_VERSIONS,
    SECRETS_VERSIONS,
    SECRET_FIELDS_VERSIONS,
];

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

/// The name of a task's container: the one it declares, else its field's.
pub const fn name_or<'a>(declared: Option<&'a str>, field: &'a str) -> &'a str {
    match declared {
        Some(name) => name,
        None => field,
    }
}

/// `no-essential-container`: whether any of the containers is essential.
pub const fn any_essential(containers: &[ContainerFacts<'_>]) -> bool {
    let mut i = 0;
    while i < containers.len() {
        if containers[i].essential {
            return true;
        }
        i += 1;
    }
    false
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

/// The longest [`Text`]: room for a container name (255 bytes), an ARN (2,048) and the words
/// around them.
pub const TEXT_CAPACITY: usize = 4096;

/// A message written by `const fn`s. The task derive evaluates the whole-task rules in `const`
/// items, where `format!` cannot run, and the engine calls the very same functions at run
/// time: both say the same words, with the same names and numbers.
#[derive(Clone, Copy)]
pub struct Text {
    bytes: [u8; TEXT_CAPACITY],
    len: usize,
}

impl Text {
    /// No text.
    pub const EMPTY: Text = Text {
        bytes: [0; TEXT_CAPACITY],
        len: 0,
    };

    /// This text followed by `s`. What does not fit is left out, a character cut in two
    /// included, so the text stays UTF-8.
    #[must_use]
    pub const fn str(mut self, s: &str) -> Text {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < TEXT_CAPACITY {
            self.bytes[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        if i < bytes.len() && bytes[i] & 0xC0 == 0x80 {
            while self.len > 0 && self.bytes[self.len - 1] & 0xC0 == 0x80 {
                self.len -= 1;
            }
            // The first byte of the character that was cut.
            self.len = self.len.saturating_sub(1);
        }
        self
    }

    /// This text followed by `n` in decimal.
    #[must_use]
    pub const fn number(self, n: i64) -> Text {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = n.unsigned_abs();
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let text = if n < 0 { self.str("-") } else { self };
        match core::str::from_utf8(digits.split_at(at).1) {
            Ok(digits) => text.str(digits),
            Err(_) => text,
        }
    }

    /// This text followed by an account's 12 digits.
    #[must_use]
    pub const fn account(self, account: u64) -> Text {
        match core::str::from_utf8(&account_digits(account)) {
            Ok(digits) => self.str(digits),
            Err(_) => self,
        }
    }

    /// The text.
    pub const fn as_str(&self) -> &str {
        match core::str::from_utf8(self.bytes.split_at(self.len).0) {
            Ok(text) => text,
            // `str` keeps the bytes UTF-8.
            Err(_) => "",
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// What a whole-task finding says: its rule, message and help line.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    /// The rule.
    pub rule: &'static Rule,
    /// The message.
    pub message: Text,
    /// The help line.
    pub help: Text,
}

impl Words {
    const fn new(rule: &'static Rule, message: &Text, help: &str) -> Words {
        Words {
            rule,
            message: *message,
            help: Text::EMPTY.str(help),
        }
    }

    /// The text of the compile error the task derive shows, in the form of the front end's
    /// errors: `message\n= help: help\n  (rule: name)`.
    #[must_use]
    pub const fn compile_error(&self) -> Text {
        Text::EMPTY
            .str(self.message.as_str())
            .str("\n= help: ")
            .str(self.help.as_str())
            .str("\n  (rule: ")
            .str(self.rule.name)
            .str(")")
    }
}

/// `execution-role-required` for container `name`.
pub const fn execution_role_words(reason: ExecutionRoleReason, name: &str) -> Words {
    let mut words = Words::new(
        &EXECUTION_ROLE_REQUIRED,
        &Text::EMPTY
            .str("container `")
            .str(name)
            .str("` ")
            .str(reason.describe())
            .str(NO_EXECUTION_ROLE),
        SET_EXECUTION_ROLE,
    );
    words.help = words.help.str(reason.why());
    words
}

/// `container-memory-exceeds-task` for container `name`, with both limits in MiB.
pub const fn memory_words(name: &str, container: i64, task: i64) -> Words {
    Words::new(
        &CONTAINER_MEMORY_EXCEEDS_TASK,
        &Text::EMPTY
            .str("container `")
            .str(name)
            .str("`'s memory limit (")
            .number(container)
            .str(" MiB) is above the task's ")
            .number(task)
            .str(" MiB"),
        CONTAINER_MEMORY_EXCEEDS_TASK.help,
    )
}

/// `container-memory` for container `name`, which has no memory limit in a task without one.
pub const fn memory_unset_words(name: &str) -> Words {
    Words::new(
        &CONTAINER_MEMORY,
        &Text::EMPTY
            .str("container `")
            .str(name)
            .str("` has no `memory` or `memory_reservation`, and its task no `memory`: ECS needs one of them"),
        CONTAINER_MEMORY.help,
    )
}

/// `container-memory` for container `name`, whose hard limit is below its reservation (MiB).
pub const fn reservation_words(name: &str, memory: i64, reservation: i64) -> Words {
    Words::new(
        &CONTAINER_MEMORY,
        &Text::EMPTY
            .str("container `")
            .str(name)
            .str("`'s memory limit (")
            .number(memory)
            .str(" MiB) is below its reservation (")
            .number(reservation)
            .str(" MiB)"),
        "raise `memory` to at least `memory_reservation`, or lower the reservation",
    )
}

/// `fargate-log-driver` for container `name`.
pub const fn log_driver_words(name: &str, driver: LogDriver) -> Words {
    Words::new(
        &FARGATE_LOG_DRIVER,
        &Text::EMPTY
            .str("Fargate does not support the `")
            .str(driver.as_str())
            .str("` log driver (container `")
            .str(name)
            .str("`)"),
        FARGATE_LOG_DRIVER.help,
    )
}

/// The Fargate part of `awslogs-options` for container `name`.
pub const fn awslogs_prefix_words(name: &str) -> Words {
    Words::new(
        &super::task::AWSLOGS_OPTIONS,
        &Text::EMPTY
            .str("container `")
            .str(name)
            .str("` logs with `awslogs` on Fargate without `awslogs-stream-prefix`"),
        super::task::AWSLOGS_OPTIONS.help,
    )
}

/// `host-port-mismatch` for a port mapping of container `name`.
pub const fn host_port_words(name: &str, mode: NetworkMode, container: i32, host: i32) -> Words {
    let mut words = Words::new(
        &HOST_PORT_MISMATCH,
        &Text::EMPTY
            .str("host port ")
            .number(host as i64)
            .str(" of container `")
            .str(name)
            .str("` differs from its container port ")
            .number(container as i64)
            .str(" in `")
            .str(mode.as_str())
            .str("` network mode"),
        HOST_PORT_HELP.0,
    );
    words.help = words
        .help
        .str(mode.as_str())
        .str(HOST_PORT_HELP.1)
        .number(container as i64)
        .str(HOST_PORT_HELP.2);
    words
}

/// `partition-mismatch` for the ARN `arn` of container `name`.
pub const fn partition_words(
    name: &str,
    arn: &str,
    partition: Partition,
    role_partition: Partition,
) -> Words {
    Words::new(
        &PARTITION_MISMATCH,
        &Text::EMPTY
            .str("`")
            .str(arn)
            .str("` (container `")
            .str(name)
            .str("`) is in partition `")
            .str(partition.as_str())
            .str("` and the execution role in `")
            .str(role_partition.as_str())
            .str("`"),
        PARTITION_MISMATCH.help,
    )
}

/// `cross-account-needs-kms-key` for the secret `secret` of container `name`.
pub const fn cross_account_words(
    name: &str,
    secret: &str,
    account: u64,
    role_account: u64,
    key: KmsKeyFact,
) -> Words {
    Words::new(
        &CROSS_ACCOUNT_NEEDS_KMS_KEY,
        &Text::EMPTY
            .str("the secret `")
            .str(secret)
            .str("` (container `")
            .str(name)
            .str("`) is in account ")
            .account(account)
            .str(" and the execution role in ")
            .account(role_account),
        match key {
            KmsKeyFact::AwsManaged => AWS_MANAGED_KEY_HELP,
            KmsKeyFact::None | KmsKeyFact::CustomerManaged => CROSS_ACCOUNT_NEEDS_KMS_KEY.help,
        },
    )
}

/// The `i`-th of a container's ARNs as written, or `""` where the facts do not carry them.
const fn ref_text<'a>(c: &ContainerFacts<'a>, i: usize) -> &'a str {
    if i < c.ref_texts.len() {
        c.ref_texts[i]
    } else {
        ""
    }
}

/// The first whole-task rule container `name` breaks whose subject is the container itself
/// (not a version the task declares, which the derive checks on its literal), with what the
/// engine says of it: what the task derive shows, spanned on the container's field.
pub const fn container_problem(
    task: &TaskFacts,
    c: &ContainerFacts<'_>,
    name: &str,
) -> Option<Words> {
    if let Some(reason) = execution_role_missing(task, c) {
        return Some(execution_role_words(reason, name));
    }
    if memory_exceeds_task(task, c)
        && let (Some(container), Some(task_memory)) = (c.memory, task.memory)
    {
        return Some(memory_words(name, container as i64, task_memory as i64));
    }
    if fargate_log_driver_unsupported(task, c)
        && let Some(driver) = c.log_driver
    {
        return Some(log_driver_words(name, driver));
    }
    if awslogs_stream_prefix_missing(task, c) {
        return Some(awslogs_prefix_words(name));
    }
    if let Some((container, host)) = host_port_mismatch(task, c)
        && let Some(mode) = task.network_mode
    {
        return Some(host_port_words(name, mode, container, host));
    }
    if let Some(r) = partition_mismatch(task, c)
        && let Some((role_partition, _)) = task.role
    {
        return Some(partition_words(
            name,
            ref_text(c, r),
            c.refs[r].partition,
            role_partition,
        ));
    }
    if let Some(r) = cross_account_without_key(task, c)
        && let (Some(account), Some((_, Some(role_account)))) = (c.refs[r].account, task.role)
    {
        return Some(cross_account_words(
            name,
            ref_text(c, r),
            account,
            role_account,
            c.kms_key,
        ));
    }
    if memory_unset(task, c) {
        return Some(memory_unset_words(name));
    }
    if let Some((memory, reservation)) = memory_below_reservation(c) {
        return Some(reservation_words(name, memory as i64, reservation as i64));
    }
    None
}

/// `container-name`'s help where two containers of a task share a name.
pub const DUPLICATE_NAME_HELP: &str = "container names are unique in a task: rename one of them";

/// `depends-on-healthy-without-check`'s message and help about a dependency on `target`.
pub fn healthy_without_check(target: &str) -> (String, String) {
    (
        format!("`HEALTHY` on `{target}`, which has no health check"),
        format!("give `{target}` a health check, or depend on it with `START`"),
    )
}

/// Borrowed views of a summary's lists of strings, to fill a [`ContainerFacts`]'s
/// `ref_texts`, `ssm_names` and `ssm_arns`.
#[derive(Debug)]
pub struct FactBuffers<'a> {
    ref_texts: Vec<&'a str>,
    names: Vec<&'a str>,
    arns: Vec<(&'a str, &'a str)>,
}

impl<'a> FactBuffers<'a> {
    /// The views of `summary`'s lists.
    pub fn of(summary: &'a ContainerSummary) -> Self {
        FactBuffers {
            ref_texts: summary.ref_texts.iter().map(String::as_str).collect(),
            names: summary.ssm_names.iter().map(|(n, _)| n.as_str()).collect(),
            arns: summary
                .ssm_arns
                .iter()
                .map(|(n, r)| (n.as_str(), r.as_str()))
                .collect(),
        }
    }

    /// `facts` with the lists filled in.
    pub fn complete<'b>(&'b self, facts: ContainerFacts<'b>) -> ContainerFacts<'b> {
        ContainerFacts {
            ref_texts: &self.ref_texts,
            ssm_names: &self.names,
            ssm_arns: &self.arns,
            ..facts
        }
    }
}

/// `ssm-cross-region-needs-arn`: the index (in `containers[i].ssm_names`) of the first
/// parameter container `i` names by name (which ECS resolves in the task's region) while some
/// container of the task references the same parameter by ARN in another region, with that
/// region.
pub const fn ssm_cross_region<'a>(
    task_region: Option<&str>,
    containers: &[ContainerFacts<'a>],
    i: usize,
) -> Option<(usize, &'a str)> {
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
                    return Some((k, arns[a].1));
                }
                a += 1;
            }
            j += 1;
        }
        k += 1;
    }
    None
}

/// [`ssm_cross_region`] of container `i`, named `names[i]`, in a task of region
/// `task_region`, with its words.
pub const fn ssm_cross_region_problem(
    task_region: &str,
    containers: &[ContainerFacts<'_>],
    names: &[&str],
    i: usize,
) -> Option<Words> {
    match ssm_cross_region(Some(task_region), containers, i) {
        Some((k, region)) => Some(ssm_cross_region_words(
            names[i],
            containers[i].ssm_names[k],
            task_region,
            region,
        )),
        None => None,
    }
}

/// `ssm-cross-region-needs-arn` for the parameter `parameter`, which container `name` gives
/// by name in a task of `task_region` that also references it in `region`.
pub const fn ssm_cross_region_words(
    name: &str,
    parameter: &str,
    task_region: &str,
    region: &str,
) -> Words {
    let mut words = Words::new(
        &SSM_CROSS_REGION_NEEDS_ARN,
        &Text::EMPTY
            .str("container `")
            .str(name)
            .str("` gives the parameter `")
            .str(parameter)
            .str("` by name, which resolves in the task's region ")
            .str(task_region)
            .str(", but the task also references it in ")
            .str(region),
        SSM_ARN_HELP.0,
    );
    words.help = words.help.str(region).str(SSM_ARN_HELP.1);
    words
}

/// This area's cases for the test of every rule (`cases.rs`).
#[cfg(test)]
pub(super) fn cases() -> Vec<super::cases::Case> {
    use super::cases::{CREDS, Case, app, creds, secret0};
    use serde_json::json;
    vec![
        Case {
            rule: &EXECUTION_ROLE_REQUIRED,
            at: "containerDefinitions[0].repositoryCredentials",
            bad: |v, _| {
                v.as_object_mut().unwrap().remove("executionRoleArn");
            },
            good: |v, _| v["executionRoleArn"] = json!("arn:aws:iam::123456789012:role/other"),
        },
        Case {
            rule: &PARTITION_MISMATCH,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:ghcr-pull-AbCdEf",
                );
            },
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ghcr-pull-AbCdEf",
                );
            },
        },
        Case {
            rule: &CROSS_ACCOUNT_NEEDS_KMS_KEY,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:210987654321:secret:ghcr-pull-AbCdEf",
                );
            },
            good: |v, cx| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:210987654321:secret:ghcr-pull-AbCdEf",
                );
                cx.containers[0].kms_key = Some(
                    "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                        .into(),
                );
            },
        },
        Case {
            rule: &CREDENTIALS_PLATFORM_VERSION,
            at: "`platform_version`",
            bad: |_, cx| cx.platform_version = Some("1.1.0".into()),
            good: |v, cx| {
                cx.platform_version = Some("1.2.0".into());
                v["containerDefinitions"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("secrets");
            },
        },
        Case {
            rule: &SSM_CROSS_REGION_NEEDS_ARN,
            at: "containerDefinitions[0].secrets[1].valueFrom",
            bad: |v, _| {
                secret0(
                    v,
                    "arn:aws:ssm:eu-west-1:123456789012:parameter/web/prod/stripe-key",
                );
            },
            good: |v, _| {
                secret0(
                    v,
                    "arn:aws:ssm:us-east-1:123456789012:parameter/web/prod/stripe-key",
                );
            },
        },
        Case {
            rule: &SECRETS_PLATFORM_VERSION,
            at: "`platform_version`",
            bad: |_, cx| cx.platform_version = Some("1.3.0".into()),
            good: |v, cx| {
                cx.platform_version = Some("1.3.0".into());
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf",
                );
            },
        },
        Case {
            rule: &HOST_PORT_MISMATCH,
            at: "containerDefinitions[0].portMappings[0].hostPort",
            bad: |v, _| app(v)["portMappings"][0]["hostPort"] = json!(80),
            good: |v, _| {
                app(v)["portMappings"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("hostPort");
            },
        },
        Case {
            rule: &FARGATE_LOG_DRIVER,
            at: "containerDefinitions[0].logConfiguration.logDriver",
            bad: |v, _| app(v)["logConfiguration"] = json!({"logDriver": "json-file"}),
            good: |v, _| app(v)["logConfiguration"] = json!({"logDriver": "awsfirelens"}),
        },
        Case {
            rule: &NO_ESSENTIAL_CONTAINER,
            at: "containerDefinitions",
            bad: |v, _| app(v)["essential"] = json!(false),
            good: |v, _| app(v)["essential"] = json!(true),
        },
        Case {
            rule: &DEPENDS_ON_UNKNOWN,
            at: "containerDefinitions[1].dependsOn[0].containerName",
            bad: |v, _| v["containerDefinitions"][1]["dependsOn"][0]["containerName"] = json!("ap"),
            good: |v, _| {
                v["containerDefinitions"][1]["dependsOn"][0]["containerName"] = json!("app");
            },
        },
        Case {
            rule: &DEPENDS_ON_HEALTHY_WITHOUT_CHECK,
            at: "containerDefinitions[1].dependsOn[0].condition",
            bad: |v, _| {
                app(v).as_object_mut().unwrap().remove("healthCheck");
            },
            good: |v, _| {
                app(v).as_object_mut().unwrap().remove("healthCheck");
                v["containerDefinitions"][1]["dependsOn"][0]["condition"] = json!("START");
            },
        },
        Case {
            rule: &CONTAINER_MEMORY_EXCEEDS_TASK,
            at: "containerDefinitions[0].memory",
            bad: |v, _| app(v)["memory"] = json!(513),
            good: |v, _| app(v)["memory"] = json!(512),
        },
        // On EC2 without the task's memory, the log router has no limit of its own.
        Case {
            rule: &CONTAINER_MEMORY,
            at: "containerDefinitions[1]",
            bad: |v, _| {
                v["requiresCompatibilities"] = json!(["EC2"]);
                v.as_object_mut().unwrap().remove("memory");
            },
            good: |v, _| {
                v["requiresCompatibilities"] = json!(["EC2"]);
                v.as_object_mut().unwrap().remove("memory");
                v["containerDefinitions"][1]["memoryReservation"] = json!(64);
            },
        },
        Case {
            rule: &CONTAINER_MEMORY,
            at: "containerDefinitions[0].memory",
            bad: |v, _| app(v)["memoryReservation"] = json!(257),
            good: |v, _| app(v)["memoryReservation"] = json!(256),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::{ArnFact, Partition, TEXT_CAPACITY, Text, arn, arn_parts};

    /// What `rust_expr` writes of an ARN's fact reads back as that fact, for every partition,
    /// with and without an account.
    #[test]
    fn arn_facts_read_back_from_their_parts() {
        for partition in Partition::ALL {
            for account in [None, Some(0), Some(123_456_789_012), Some(999_999_999_999)] {
                for is_secret in [false, true] {
                    let fact = ArnFact {
                        partition,
                        account,
                        is_secret,
                    };
                    let (p, a, s) = arn_parts(&fact);
                    assert_eq!(arn(p, a, s), fact);
                }
            }
        }
    }

    #[test]
    fn text_writes_numbers_and_accounts() {
        let text = Text::EMPTY
            .number(0)
            .str(" ")
            .number(-42)
            .str(" ")
            .number(i64::MIN)
            .str(" ")
            .account(12_345);
        assert_eq!(text.as_str(), "0 -42 -9223372036854775808 000000012345");
    }

    #[test]
    fn text_cut_at_capacity_stays_utf8() {
        let filler = "a".repeat(TEXT_CAPACITY - 1);
        // `é` is two bytes: only its first fits, so it is left out whole.
        let text = Text::EMPTY.str(&filler).str("é and more");
        assert_eq!(text.as_str(), filler);
        let text = Text::EMPTY.str(&filler).str("ab");
        assert_eq!(text.as_str().len(), TEXT_CAPACITY);
        assert!(text.as_str().ends_with("aa"));
    }
}
