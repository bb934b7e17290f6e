//! Private registry authentication, secrets, and the ARNs around them: the heart of ecsdef.

use super::{ContainerContext, Context, Diagnostic, Location, ValueFroms, container_path};
use crate::arn::{KmsKeyKind, KmsKeyRef, RoleArn, SecretRef, SecretValueFrom};
use crate::partition::Region;
use crate::placeholder::ValueError;
use crate::{ContainerDefinition, TaskDefinition};

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
            "region-unknown",
            location(),
            format!("`{name}` is not a region ecsdef knows in partition `{partition}`"),
            "check the spelling; if AWS opened this region after this ecsdef release, `#[ecs(allow(region-unknown))]`",
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
            Err(e) => out.push(value_diag(e.clone(), "secret-value-from", location())),
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
                        "kms-key-alias",
                        location,
                        format!("`kms_key` names the alias `{}`, not a key", key.id()),
                        "IAM matches `kms:Decrypt` against key ARNs only, so a grant on an alias ARN does not let the execution role decrypt: give the key ARN (`arn:aws:kms:REGION:ACCOUNT:key/UUID`) the alias points to",
                    ));
                }
            }
            Err(e) => out.push(value_diag(e, "kms-key-arn-syntax", location)),
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
            out.push(value_diag(
                e,
                "role-arn-syntax",
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
        Err(e) => out.push(value_diag(e, "region-syntax", location)),
    }
}

fn check_credentials(i: usize, c: &ContainerDefinition, value: &str, out: &mut Vec<Diagnostic>) {
    let location = container_path(i, "repositoryCredentials.credentialsParameter");
    match SecretRef::parse(value) {
        Ok(SecretRef::Arn(arn)) => {
            region_warning(arn.region(), || location.clone(), out);
            if !arn.is_complete() {
                out.push(Diagnostic::new(
                    "secret-arn-partial",
                    location.clone(),
                    format!("the secret ARN has no `-XXXXXX` suffix after `{}`", arn.name()),
                    "copy the complete ARN from Secrets Manager (it ends in `-` and six characters); IAM resources built from a partial ARN do not match, so the policy grants `NAME-??????`",
                ));
            }
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
        && crate::image::ecr_private_image(image).is_some()
    {
        out.push(Diagnostic::new(
            "credentials-on-ecr-image",
            location,
            "repositoryCredentials does not apply to Amazon ECR images",
            "ECS pulls ECR images with the execution role; remove `credentials`",
        ));
    }
}
