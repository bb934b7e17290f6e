//! Private registry authentication, secrets, and the ARNs around them: the heart of ecsdef.

use super::{Context, Diagnostic, Location, container_path, is_ec2, is_fargate, version_at_least};
use crate::arn::{Account, KmsKeyRef, RoleArn, SecretRef, SecretValueFrom, SsmParameterRef};
use crate::image::{ImageReference, RegistryKind};
use crate::partition::{Partition, Region};
use crate::placeholder::ValueError;
use crate::{ContainerDefinition, LogDriver, TaskDefinition};

/// A diagnostic from a parser error; parser-level rules the catalogue does not list
/// (`arn-syntax`, `partition-syntax`) are reported under `fallback`, the rule of the value.
fn value_diag(error: ValueError, fallback: &'static str, location: Location) -> Diagnostic {
    let mut error = error;
    if !super::catalogue::is_catalogued(error.rule) {
        error.rule = if error.rule == "region-syntax" && fallback != "secret-value-from" {
            "region-syntax"
        } else {
            fallback
        };
    }
    Diagnostic::from_value_error(error, location)
}

fn region_warning(region: Option<&Region>, location: &Location, out: &mut Vec<Diagnostic>) {
    if let Some(Region::Named { name, partition }) = region
        && !region.is_some_and(Region::is_known)
    {
        out.push(Diagnostic::new(
            "region-unknown",
            location.clone(),
            format!("`{name}` is not a region ecsdef knows in partition `{partition}`"),
            "check the spelling; if AWS opened this region after this ecsdef release, `#[ecs(allow(region-unknown))]`",
        ));
    }
}

/// A secret, key or parameter's partition and account, for the cross-ARN rules.
struct Reference {
    partition: Option<Partition>,
    account: Option<String>,
    location: Location,
    container: usize,
    /// Whether this is a Secrets Manager secret (the cross-account rule is about those).
    is_secret: bool,
}

fn account_id(account: Option<&Account>) -> Option<String> {
    account.and_then(Account::id).map(str::to_owned)
}

pub(super) fn check(td: &TaskDefinition, cx: &Context, out: &mut Vec<Diagnostic>) {
    let fargate = is_fargate(td);
    let role = check_roles(td, out);
    let task_region = check_task_region(cx, out);
    let mut references = Vec::new();
    let mut uses_credentials = None;
    let mut uses_secrets = None;
    let mut uses_versioned_secrets = None;

    for (i, c) in td.container_definitions.iter().enumerate() {
        if let Some(creds) = &c.repository_credentials {
            uses_credentials.get_or_insert(i);
            check_credentials(i, c, &creds.credentials_parameter, &mut references, out);
        }
        let secrets = c.secrets.iter().flatten().map(|s| ("secrets", s));
        let log_secrets = c
            .log_configuration
            .iter()
            .flat_map(|l| l.secret_options.iter().flatten())
            .map(|s| ("logConfiguration.secretOptions", s));
        for (j, (member, secret)) in secrets.clone().enumerate().chain(log_secrets.enumerate()) {
            uses_secrets.get_or_insert(i);
            let location = container_path(i, &format!("{member}[{j}].valueFrom"));
            match SecretValueFrom::parse(&secret.value_from) {
                Ok(value_from) => {
                    if let SecretValueFrom::SecretsManager(sm) = &value_from {
                        if sm.json_key().is_some()
                            || sm.version_stage().is_some()
                            || sm.version_id().is_some()
                        {
                            uses_versioned_secrets.get_or_insert(i);
                        }
                        let arn = sm.secret().arn();
                        region_warning(arn.region(), &location, out);
                        references.push(Reference {
                            partition: Some(arn.partition()),
                            account: account_id(arn.account()),
                            location,
                            container: i,
                            is_secret: true,
                        });
                    } else if let SecretValueFrom::Ssm(ssm) = &value_from {
                        region_warning(ssm.region(), &location, out);
                        if let Some(arn) = ssm.arn() {
                            references.push(Reference {
                                partition: Some(arn.partition()),
                                account: account_id(arn.account()),
                                location,
                                container: i,
                                is_secret: false,
                            });
                        }
                    }
                }
                Err(e) => out.push(value_diag(e, "secret-value-from", location)),
            }
        }
        if let Some(key) = cx.containers.get(i).and_then(|c| c.kms_key.as_deref()) {
            let location = Location::Context {
                container: Some(i),
                key: "kms_key",
            };
            match KmsKeyRef::parse(key) {
                Ok(key) => {
                    region_warning(key.region(), &location, out);
                    references.push(Reference {
                        partition: Some(key.partition()),
                        account: account_id(key.account()),
                        location,
                        container: i,
                        is_secret: false,
                    });
                }
                Err(e) => out.push(value_diag(e, "kms-key-arn-syntax", location)),
            }
        }
    }

    check_ssm_regions(td, task_region.as_ref(), out);
    check_execution_role(
        td,
        fargate,
        td.execution_role_arn.is_some(),
        uses_credentials,
        uses_secrets,
        out,
    );
    if let Some(role) = &role {
        check_cross_references(role, &references, cx, out);
    }
    check_versions(
        td,
        cx,
        fargate,
        uses_credentials,
        uses_secrets,
        uses_versioned_secrets,
        out,
    );
}

/// `role-arn-syntax` on both roles; returns the parsed execution role.
fn check_roles(td: &TaskDefinition, out: &mut Vec<Diagnostic>) -> Option<RoleArn> {
    if let Some(task_role) = &td.task_role_arn
        && let Err(e) = RoleArn::parse(task_role)
    {
        out.push(value_diag(
            e,
            "role-arn-syntax",
            Location::Json("taskRoleArn".into()),
        ));
    }
    let execution_role = td.execution_role_arn.as_deref()?;
    match RoleArn::parse(execution_role) {
        Ok(role) => Some(role),
        Err(e) => {
            out.push(value_diag(
                e,
                "role-arn-syntax",
                Location::Json("executionRoleArn".into()),
            ));
            None
        }
    }
}

fn check_task_region(cx: &Context, out: &mut Vec<Diagnostic>) -> Option<Region> {
    let region = cx.region.as_deref()?;
    let location = Location::Context {
        container: None,
        key: "region",
    };
    match Region::parse_any(region) {
        Ok(r) => {
            region_warning(Some(&r), &location, out);
            Some(r)
        }
        Err(e) => {
            out.push(value_diag(e, "region-syntax", location));
            None
        }
    }
}

fn check_credentials(
    i: usize,
    c: &ContainerDefinition,
    value: &str,
    references: &mut Vec<Reference>,
    out: &mut Vec<Diagnostic>,
) {
    let location = container_path(i, "repositoryCredentials.credentialsParameter");
    match SecretRef::parse(value) {
        Ok(SecretRef::Arn(arn)) => {
            region_warning(arn.region(), &location, out);
            if !arn.is_complete() {
                out.push(Diagnostic::new(
                    "secret-arn-partial",
                    location.clone(),
                    format!("the secret ARN has no `-XXXXXX` suffix after `{}`", arn.name()),
                    "copy the complete ARN from Secrets Manager (it ends in `-` and six characters); IAM resources built from a partial ARN do not match, so the policy grants `NAME-??????`",
                ));
            }
            references.push(Reference {
                partition: Some(arn.partition()),
                account: account_id(arn.account()),
                location: location.clone(),
                container: i,
                is_secret: true,
            });
        }
        Ok(SecretRef::Name(name)) => {
            if name.looks_like_arn_suffix() {
                out.push(Diagnostic::new(
                    "secret-name-suffix",
                    location.clone(),
                    format!("the secret name `{name}` ends like the random suffix of a secret ARN"),
                    "give the name without the suffix, or the complete ARN",
                ));
            }
        }
        Err(e) => out.push(value_diag(e, "credentials-form", location.clone())),
    }
    if let Some(image) = &c.image
        && let Ok(reference) = ImageReference::parse(image)
        && let RegistryKind::EcrPrivate(_) = reference.registry_kind()
    {
        out.push(Diagnostic::new(
            "credentials-on-ecr-image",
            location,
            "repositoryCredentials does not apply to Amazon ECR images",
            "ECS pulls ECR images with the execution role; remove `credentials`",
        ));
    }
}

fn check_execution_role(
    td: &TaskDefinition,
    fargate: bool,
    has_role: bool,
    uses_credentials: Option<usize>,
    uses_secrets: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    if has_role {
        return;
    }
    let ecr_on_fargate = || {
        td.container_definitions.iter().position(|c| {
            c.image
                .as_deref()
                .and_then(|i| ImageReference::parse(i).ok())
                .is_some_and(|r| matches!(r.registry_kind(), RegistryKind::EcrPrivate(_)))
        })
    };
    let awslogs_on_fargate = || {
        td.container_definitions.iter().position(|c| {
            c.log_configuration
                .as_ref()
                .is_some_and(|l| l.log_driver == LogDriver::Awslogs)
        })
    };
    let reason = if let Some(i) = uses_credentials {
        Some((
            i,
            "repositoryCredentials",
            "pulls its image with `credentials`",
        ))
    } else if let Some(i) = uses_secrets {
        Some((i, "secrets", "reads `secrets`"))
    } else if fargate {
        ecr_on_fargate()
            .map(|i| (i, "image", "pulls an Amazon ECR image on Fargate"))
            .or_else(|| {
                awslogs_on_fargate()
                    .map(|i| (i, "logConfiguration", "logs with `awslogs` on Fargate"))
            })
    } else {
        None
    };
    if let Some((i, member, why)) = reason {
        let name = td.container_definitions[i].name.as_deref().unwrap_or("?");
        out.push(Diagnostic::new(
            "execution-role-required",
            container_path(i, member),
            format!("container `{name}` {why}, and the task has no execution role"),
            "set `execution_role = \"arn:aws:iam::ACCOUNT:role/NAME\"` on the task: ECS uses that role to fetch credentials, secrets, images and to write logs",
        ));
    }
}

fn check_cross_references(
    role: &RoleArn,
    references: &[Reference],
    cx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    let role_partition = role.partition();
    let role_account = account_id(role.account());
    for r in references {
        if let Some(p) = r.partition
            && p != role_partition
        {
            out.push(Diagnostic::new(
                "partition-mismatch",
                r.location.clone(),
                format!(
                    "this ARN is in partition `{p}` and the execution role in `{role_partition}`"
                ),
                "a role cannot read across partitions: use a resource in the role's partition",
            ));
            continue;
        }
        let (Some(account), Some(role_account)) = (&r.account, &role_account) else {
            continue;
        };
        if !r.is_secret || account == role_account {
            continue;
        }
        let key = cx
            .containers
            .get(r.container)
            .and_then(|c| c.kms_key.as_deref());
        let managed = key
            .and_then(|k| KmsKeyRef::parse(k).ok())
            .is_some_and(|k| k.is_aws_managed_alias());
        if key.is_none() || managed {
            out.push(Diagnostic::new(
                "cross-account-needs-kms-key",
                r.location.clone(),
                format!("the secret is in account {account} and the execution role in {role_account}"),
                if managed {
                    "an AWS-managed key cannot be shared across accounts: encrypt the secret with a customer-managed key and declare it as `kms_key`"
                } else {
                    "encrypt the secret with a customer-managed KMS key shared with the role's account, and declare it: `kms_key = \"arn:aws:kms:REGION:ACCOUNT:key/ID\"`"
                },
            ));
        }
    }
}

/// `ssm-cross-region-needs-arn`: a parameter the task references by ARN in a region other
/// than the task's is in that region; referring to the same parameter by name elsewhere in
/// the task resolves it in the task's region instead.
fn check_ssm_regions(td: &TaskDefinition, task_region: Option<&Region>, out: &mut Vec<Diagnostic>) {
    let Some(task_region) = task_region.and_then(Region::name) else {
        return;
    };
    let mut elsewhere: Vec<(String, String)> = Vec::new();
    let mut by_name: Vec<(String, Location)> = Vec::new();
    for (i, c) in td.container_definitions.iter().enumerate() {
        for (j, s) in c.secrets.iter().flatten().enumerate() {
            if let Ok(SecretValueFrom::Ssm(ssm)) = SecretValueFrom::parse(&s.value_from) {
                match &ssm {
                    SsmParameterRef::Arn(arn) => {
                        if let Some(region) = arn.region().and_then(Region::name)
                            && region != task_region
                        {
                            elsewhere.push((ssm.name(), region.to_owned()));
                        }
                    }
                    SsmParameterRef::Name(_) => {
                        by_name.push((
                            ssm.name(),
                            container_path(i, &format!("secrets[{j}].valueFrom")),
                        ));
                    }
                }
            }
        }
    }
    for (name, location) in by_name {
        if let Some((_, region)) = elsewhere.iter().find(|(n, _)| *n == name) {
            out.push(Diagnostic::new(
                "ssm-cross-region-needs-arn",
                location,
                format!("the parameter `{name}` is given by name, which resolves in the task's region {task_region}, but the task also references it in {region}"),
                format!("give the full ARN (`arn:aws:ssm:{region}:ACCOUNT:parameter/...`) here too"),
            ));
        }
    }
}

/// A feature and the first Fargate platform and ECS agent versions that support it.
#[derive(Clone, Copy)]
struct VersionNeed {
    rule: &'static str,
    fargate_min: &'static str,
    agent_min: &'static str,
    member: &'static str,
    feature: &'static str,
}

const CREDENTIALS_VERSIONS: VersionNeed = VersionNeed {
    rule: "credentials-platform-version",
    fargate_min: "1.2.0",
    agent_min: "1.19.0",
    member: "repositoryCredentials",
    feature: "private registry authentication",
};

const SECRETS_VERSIONS: VersionNeed = VersionNeed {
    rule: "secrets-platform-version",
    fargate_min: "1.3.0",
    agent_min: "1.22.0",
    member: "secrets",
    feature: "secrets",
};

const SECRET_FIELDS_VERSIONS: VersionNeed = VersionNeed {
    rule: "secrets-platform-version",
    fargate_min: "1.4.0",
    agent_min: "1.37.0",
    member: "secrets",
    feature: "a secret's json-key or version",
};

fn check_versions(
    td: &TaskDefinition,
    cx: &Context,
    fargate: bool,
    uses_credentials: Option<usize>,
    uses_secrets: Option<usize>,
    uses_versioned_secrets: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let needs = [
        (&CREDENTIALS_VERSIONS, uses_credentials),
        (&SECRETS_VERSIONS, uses_secrets),
        (&SECRET_FIELDS_VERSIONS, uses_versioned_secrets),
    ];
    for (need, used_by) in needs {
        let VersionNeed {
            rule,
            fargate_min,
            agent_min,
            member,
            feature,
        } = *need;
        let Some(i) = used_by else { continue };
        let name = td.container_definitions[i].name.as_deref().unwrap_or("?");
        if fargate
            && let Some(version) = cx.platform_version.as_deref()
            && version_at_least(version, fargate_min) == Some(false)
        {
            out.push(Diagnostic::new(
                rule,
                Location::Context { container: None, key: "platform_version" },
                format!("{feature} (container `{name}`, `{member}`) needs Fargate platform version {fargate_min}; the task declares {version}"),
                format!("use platform version {fargate_min} or later (or `LATEST`)"),
            ));
        }
        if is_ec2(td)
            && let Some(version) = cx.agent_version.as_deref()
            && version_at_least(version, agent_min) == Some(false)
        {
            out.push(Diagnostic::new(
                rule,
                Location::Context { container: None, key: "agent_version" },
                format!("{feature} (container `{name}`, `{member}`) needs ECS container agent {agent_min}; the task declares {version}"),
                format!("run container agent {agent_min} or later on the instances and declare it"),
            ));
        }
    }
}
