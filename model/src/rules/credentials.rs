//! Private registry authentication, secrets, and the ARNs around them: the heart of ecsdef.

use super::{ContainerContext, Context, Diagnostic, Location, ValueFroms, container_path};
use crate::arn::{
    CREDENTIALS_FORM, KMS_KEY_ARN_SYNTAX, KmsKeyKind, KmsKeyRef, ROLE_ARN_SYNTAX, RoleArn,
    SECRET_VALUE_FROM, SecretRef, SecretValueFrom,
};
use crate::partition::{REGION_SYNTAX, Region};
use crate::rule::{Level, Rule, Scope, aws_docs};
use crate::{ContainerDefinition, TaskDefinition};

/// A secret ARN without the `-XXXXXX` suffix Secrets Manager appends.
pub const SECRET_ARN_PARTIAL: Rule = Rule {
    name: "secret-arn-partial",
    level: Level::Warning,
    scope: Scope::Container,
    summary: "a secret ARN without the `-XXXXXX` suffix Secrets Manager appends: IAM resources built from it do not match, so the policy uses `NAME-??????`",
    help: "copy the complete ARN from Secrets Manager (it ends in `-` and six characters); IAM resources built from a partial ARN do not match, so the policy grants `NAME-??????`",
    link: aws_docs::SECRETS_IAM,
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
    order: 113,
};

/// A region of the right form that ecsdef does not know.
pub const REGION_UNKNOWN: Rule = Rule {
    name: "region-unknown",
    level: Level::Warning,
    scope: Scope::Container,
    summary: "a region of its partition's form that ecsdef does not know: new regions are fine, typos are not",
    help: "check the spelling; if AWS opened this region after this ecsdef release, `#[ecs(allow(region-unknown))]`",
    link: aws_docs::REGIONS,
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
                        format!("`kms_key` names the alias `{}`, not a key", key.id()),
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

/// `role-arn-syntax` on both roles.
fn check_roles(td: &TaskDefinition, out: &mut Vec<Diagnostic>) {
    for (role, member) in [
        (&td.task_role_arn, "taskRoleArn"),
        (&td.execution_role_arn, "executionRoleArn"),
    ] {
        if let Some(role) = role
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
