//! Private registry authentication, secrets, and the ARNs around them: the heart of ecsdef.

use super::{ContainerContext, Context, Diagnostic, Location, ValueFroms, container_path};
use crate::arn::{
    CREDENTIALS_FORM, KMS_KEY_ARN_SYNTAX, KmsKeyKind, KmsKeyRef, ROLE_ARN_SYNTAX, RoleArn,
    SECRET_VALUE_FROM, SecretRef, SecretValueFrom,
};
use crate::partition::{REGION_SYNTAX, Region};
use crate::rule::{Level, Quote, Rule, Scope, aws_docs};
use crate::{ContainerDefinition, TaskDefinition};

/// A secret ARN without the `-XXXXXX` suffix Secrets Manager appends.
pub const SECRET_ARN_PARTIAL: Rule = Rule {
    name: "secret-arn-partial",
    level: Level::Warning,
    scope: Scope::Container,
    summary: "a secret ARN without the `-XXXXXX` suffix Secrets Manager appends: IAM resources built from it do not match, so the policy uses `NAME-??????`",
    help: "copy the complete ARN from Secrets Manager (it ends in `-` and six characters); IAM resources built from a partial ARN do not match, so the policy grants `NAME-??????`",
    link: aws_docs::SECRETS_IAM,
    aws: Quote {
        text: "Secrets Manager includes six random characters at the end of the secret name to help ensure that the secret ARN is unique.",
        source: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html",
    },
    order: 104,
};

/// A secret *name* that ends like an ARN's random suffix.
pub const SECRET_NAME_SUFFIX: Rule = Rule {
    name: "secret-name-suffix",
    level: Level::Warning,
    scope: Scope::Container,
    summary: "a secret name that ends in `-` and six characters looks like an ARN's random suffix: ECS would look for a secret of that exact name",
    help: "give the name without the suffix, or the complete ARN",
    link: aws_docs::SECRETS_IAM,
    aws: Quote {
        text: "Secrets Manager includes six random characters at the end of the secret name to help ensure that the secret ARN is unique.",
        source: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html",
    },
    order: 105,
};

/// Repository credentials on an image ECS pulls with the execution role.
pub const CREDENTIALS_ON_ECR_IMAGE: Rule = Rule {
    name: "credentials-on-ecr-image",
    level: Level::Error,
    scope: Scope::Container,
    summary: "`credentials` on an Amazon ECR image: ECS pulls ECR images with the execution role and does not use repository credentials",
    help: "ECS pulls ECR images with the execution role; remove `credentials`",
    link: aws_docs::PRIVATE_AUTH,
    aws: Quote {
        text: "If your task definition references an image that's stored in Amazon ECR, this topic doesn't apply.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html",
    },
    order: 106,
};

/// A `kms_key` that names an alias, which IAM grants do not match.
pub const KMS_KEY_ALIAS: Rule = Rule {
    name: "kms-key-alias",
    level: Level::Warning,
    scope: Scope::Container,
    summary: "`kms_key` is an alias: IAM matches `kms:Decrypt` against the key's ARN, not its alias, so the execution-role policy's grant would not apply; give the key ARN (`key/UUID`)",
    help: "IAM matches `kms:Decrypt` against key ARNs only, so a grant on an alias ARN does not let the execution role decrypt: give the key ARN (`arn:aws:kms:REGION:ACCOUNT:key/UUID`) the alias points to",
    link: aws_docs::KMS_KEY_ID,
    aws: Quote {
        text: "An alias is not a property of a CMK.",
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
    },
    order: 113,
};

/// How `kms-key-alias` begins: the declaration's attribute, which a task-definition file gives
/// to `check` as a flag (`Diagnostic::message_in_file`).
pub(crate) const KMS_KEY_ALIAS_NAMES: &str = "`kms_key` names the alias";

/// A region of the right form that ecsdef does not know.
pub const REGION_UNKNOWN: Rule = Rule {
    name: "region-unknown",
    level: Level::Warning,
    scope: Scope::Container,
    summary: "a region of its partition's form that ecsdef does not know: new regions are fine, typos are not",
    help: "check the spelling; if AWS opened this region after this ecsdef release, `#[ecs(allow(region-unknown))]`",
    link: aws_docs::REGIONS,
    aws: Quote {
        text: "Specify the Amazon Web Services Region that the awslogs log driver is to send your Docker logs to.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html",
    },
    order: 116,
};

/// The rules of this module, for [`super::RULES`].
pub(super) const RULES: &[&Rule] = &[
    &SECRET_ARN_PARTIAL,
    &SECRET_NAME_SUFFIX,
    &CREDENTIALS_ON_ECR_IMAGE,
    &KMS_KEY_ALIAS,
    &REGION_UNKNOWN,
];

/// `region-unknown` at the location `location` gives (built only for a finding: most values
/// have none, and a location is a formatted path).
fn region_warning(
    region: Option<&Region>,
    location: impl FnOnce() -> Location,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(Region::Named { name, partition }) = region
        && !region.is_some_and(Region::is_known)
    {
        out.push(Diagnostic::new(
            &REGION_UNKNOWN,
            location(),
            format!("`{name}` is not a region ecsdef knows in partition `{partition}`"),
            REGION_UNKNOWN.help,
        ));
    }
}

/// The task's roles and region.
pub(super) fn check_task(td: &TaskDefinition, cx: &Context, out: &mut Vec<Diagnostic>) {
    check_roles(td, out);
    check_task_region(cx, out);
}

/// One container's credentials, secrets and KMS key.
pub(super) fn check_container(
    i: usize,
    c: &ContainerDefinition,
    cx: &ContainerContext,
    value_froms: &ValueFroms,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(creds) = &c.repository_credentials {
        check_credentials(i, c, &creds.credentials_parameter, out);
    }
    for (member, j, parsed) in value_froms {
        let location = || container_path(i, &format!("{member}[{j}].valueFrom"));
        match parsed {
            Ok(SecretValueFrom::SecretsManager(sm)) => {
                region_warning(sm.secret().arn().region(), location, out);
            }
            Ok(SecretValueFrom::Ssm(ssm)) => region_warning(ssm.region(), location, out),
            Err(e) => out.push(Diagnostic::from_value_error(
                e.clone(),
                &SECRET_VALUE_FROM,
                location(),
            )),
        }
    }
    if let Some(key) = cx.kms_key.as_deref() {
        let location = Location::Context {
            container: Some(i),
            key: "kms_key",
        };
        match KmsKeyRef::parse(key) {
            Ok(key) => {
                region_warning(key.region(), || location.clone(), out);
                if key.kind() == KmsKeyKind::Alias {
                    out.push(Diagnostic::new(
                        &KMS_KEY_ALIAS,
                        location,
                        format!("{KMS_KEY_ALIAS_NAMES} `{}`, not a key", key.id()),
                        KMS_KEY_ALIAS.help,
                    ));
                }
            }
            Err(e) => out.push(Diagnostic::from_value_error(
                e,
                &KMS_KEY_ARN_SYNTAX,
                location,
            )),
        }
    }
}

/// `role-arn-syntax` on both roles. A role's short name is accepted for both: AWS documents
/// `taskRoleArn` as "the short name or full Amazon Resource Name (ARN) of the IAM role", and
/// `executionRoleArn`, documented as an ARN, is taken as a short name too: ECS fills in the
/// ARN of the role of that name in the registering account (the maintainers of AWS's
/// `amazon-ecs-render-task-definition` action say so in its issue 19, and task definitions
/// deployed to production give it so). The CloudFormation export writes the full ARN, which
/// `AWS::ECS::TaskDefinition` requires of `ExecutionRoleArn`.
fn check_roles(td: &TaskDefinition, out: &mut Vec<Diagnostic>) {
    for (role, member) in [
        (&td.task_role_arn, "taskRoleArn"),
        (&td.execution_role_arn, "executionRoleArn"),
    ] {
        if let Some(role) = role
            && !crate::arn::is_role_short_name(role)
            && let Err(e) = RoleArn::parse(role)
        {
            out.push(Diagnostic::from_value_error(
                e,
                &ROLE_ARN_SYNTAX,
                Location::Json(member.into()),
            ));
        }
    }
}

/// `region-syntax` and `region-unknown` on the task's declared region.
fn check_task_region(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(region) = cx.region.as_deref() else {
        return;
    };
    let location = Location::Context {
        container: None,
        key: "region",
    };
    match Region::parse_any(region) {
        Ok(r) => region_warning(Some(&r), || location.clone(), out),
        Err(e) => out.push(Diagnostic::from_value_error(e, &REGION_SYNTAX, location)),
    }
}

fn check_credentials(i: usize, c: &ContainerDefinition, value: &str, out: &mut Vec<Diagnostic>) {
    let location = container_path(i, "repositoryCredentials.credentialsParameter");
    match SecretRef::parse(value) {
        Ok(SecretRef::Arn(arn)) => {
            region_warning(arn.region(), || location.clone(), out);
            if !arn.is_complete() {
                out.push(Diagnostic::new(
                    &SECRET_ARN_PARTIAL,
                    location.clone(),
                    format!(
                        "the secret ARN has no `-XXXXXX` suffix after `{}`",
                        arn.name()
                    ),
                    SECRET_ARN_PARTIAL.help,
                ));
            }
        }
        Ok(SecretRef::Name(name)) => {
            if name.looks_like_arn_suffix() {
                out.push(Diagnostic::new(
                    &SECRET_NAME_SUFFIX,
                    location.clone(),
                    format!("the secret name `{name}` ends like the random suffix of a secret ARN"),
                    SECRET_NAME_SUFFIX.help,
                ));
            }
        }
        Err(e) => out.push(Diagnostic::from_value_error(
            e,
            &CREDENTIALS_FORM,
            location.clone(),
        )),
    }
    if let Some(image) = &c.image
        && crate::image::ecr_private_image(image).is_some()
    {
        out.push(Diagnostic::new(
            &CREDENTIALS_ON_ECR_IMAGE,
            location,
            "repositoryCredentials does not apply to Amazon ECR images",
            CREDENTIALS_ON_ECR_IMAGE.help,
        ));
    }
}

/// This area's cases for the test of every rule (`cases.rs`).
#[cfg(test)]
pub(super) fn cases() -> Vec<super::cases::Case> {
    use super::cases::{CREDS, Case, app, creds, secret0};
    use serde_json::json;
    vec![
        Case {
            rule: &crate::arn::CREDENTIALS_FORM,
            at: CREDS,
            bad: |v, _| creds(v, "team/ghcr-pull"),
            good: |v, _| creds(v, "team_ghcr-pull"),
        },
        Case {
            rule: &crate::arn::CREDENTIALS_NOT_SECRETSMANAGER,
            at: CREDS,
            bad: |v, _| creds(v, "arn:aws:ssm:us-east-1:123456789012:parameter/ghcr-pull"),
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf",
                );
            },
        },
        Case {
            rule: &crate::arn::SECRET_ARN_SYNTAX,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:12345678901:secret:ghcr-pull-AbCdEf",
                );
            },
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:ghcr-pull-AbCdEf",
                );
            },
        },
        Case {
            rule: &SECRET_ARN_PARTIAL,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull",
                );
            },
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-Ab12Cd",
                );
            },
        },
        Case {
            rule: &SECRET_NAME_SUFFIX,
            at: CREDS,
            bad: |v, _| creds(v, "ghcr-pull-AbCdEf"),
            good: |v, _| creds(v, "ghcr-pull-AbCdE"),
        },
        Case {
            rule: &CREDENTIALS_ON_ECR_IMAGE,
            at: CREDS,
            bad: |v, _| {
                app(v)["image"] = json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2");
            },
            good: |v, _| app(v)["image"] = json!("123456789012.dkr.example.com/web:1.4.2"),
        },
        Case {
            rule: &crate::arn::ROLE_ARN_SYNTAX,
            at: "executionRoleArn",
            bad: |v, _| {
                v["executionRoleArn"] =
                    json!("arn:aws:iam:us-east-1:123456789012:role/web-execution");
            },
            good: |v, _| {
                v["executionRoleArn"] =
                    json!("arn:aws:iam::123456789012:role/service/web-execution");
            },
        },
        Case {
            rule: &crate::arn::KMS_KEY_ARN_SYNTAX,
            at: "containerDefinitions[0] (`kms_key`)",
            bad: |_, cx| {
                cx.containers[0].kms_key =
                    Some("arn:aws:kms:us-east-1:123456789012:key/not-a-uuid".into());
            },
            good: |_, cx| {
                cx.containers[0].kms_key = Some(
                    "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"
                        .into(),
                );
            },
        },
        Case {
            rule: &KMS_KEY_ALIAS,
            at: "containerDefinitions[0] (`kms_key`)",
            bad: |_, cx| {
                cx.containers[0].kms_key =
                    Some("arn:aws:kms:us-east-1:123456789012:alias/web-secrets".into());
            },
            good: |_, cx| {
                cx.containers[0].kms_key = Some(
                    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                        .into(),
                );
            },
        },
        Case {
            rule: &crate::placeholder::PLACEHOLDER_SYNTAX,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:${1ACCOUNT_ID}:secret:ghcr-pull-AbCdEf",
                );
            },
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:ghcr-pull-AbCdEf",
                );
            },
        },
        Case {
            rule: &crate::partition::REGION_SYNTAX,
            at: "`region`",
            bad: |_, cx| cx.region = Some("us_east_1".into()),
            good: |_, cx| cx.region = Some("us-east-2".into()),
        },
        Case {
            rule: &REGION_UNKNOWN,
            at: "`region`",
            bad: |_, cx| cx.region = Some("us-middle-7".into()),
            good: |_, cx| cx.region = Some("ap-southeast-2".into()),
        },
        Case {
            rule: &crate::arn::SECRET_VALUE_FROM,
            at: "containerDefinitions[0].secrets[0].valueFrom",
            bad: |v, _| {
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password:",
                );
            },
            good: |v, _| {
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password:AWSCURRENT:",
                );
            },
        },
    ]
}
