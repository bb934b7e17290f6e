//! `cargo ecsdef register [FAMILY...]`: a new revision of each family whose registered
//! definition has drifted from the export (as `diff` sees it), with its tags; its ARN on
//! stdout. `--policy` also puts the exported execution-role policy on the execution role as
//! the inline policy [`POLICY_NAME`], when it differs.

use clap::Args;
use ecsdef_model::arn::RoleArn;
use serde_json::Value;

use super::common::{FAILURE, SUCCESS, plural, with_analysis};
use super::diff::{Compared, compare, show};
use super::verify::{AwsArgs, cannot_ask, connect, targets};
use crate::aws::checks::Target;
use crate::aws::{self, Account, AskError, classify, ecs, iam};
use crate::shell::Shell;

/// The name of the inline policy `register --policy` puts on the execution role.
pub const POLICY_NAME: &str = "ecsdef-execution";

/// `cargo ecsdef register`.
#[derive(Debug, Clone, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    pub common: AwsArgs,
    /// Print what would be registered and put; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also put the exported execution-role policy on the execution role, as the inline
    /// policy `ecsdef-execution`, when it differs.
    #[arg(long)]
    pub policy: bool,
}

/// Runs `register`; returns the exit code.
pub fn exec(shell: &mut Shell, args: &RegisterArgs) -> u8 {
    with_analysis(shell, &args.common.selection, |shell, analysis| {
        let (targets, failed) = match targets(shell, analysis, &args.common) {
            Ok(found) => found,
            Err(code) => return code,
        };
        match aws::block_on(register(shell, &targets, args)).and_then(|r| r) {
            Ok((changed, refused)) => {
                shell.status(
                    "Finished",
                    format!(
                        "{} compared, {} {}",
                        plural(targets.len(), "task definition"),
                        changed,
                        if args.dry_run {
                            "would be registered"
                        } else {
                            "registered"
                        }
                    ),
                );
                if refused || failed { FAILURE } else { SUCCESS }
            }
            Err(error) => cannot_ask(shell, &error),
        }
    })
}

async fn register(
    shell: &mut Shell,
    targets: &[Target],
    args: &RegisterArgs,
) -> Result<(usize, bool), AskError> {
    let account = connect(shell, &args.common.aws).await?;
    let mut changed = 0;
    let mut refused = false;
    for target in targets {
        if args.policy {
            put_policy(shell, &account, target, args.dry_run).await?;
        }
        let compared = compare(&account, target).await?;
        if let Compared::Same(revision) = &compared {
            shell.status(
                "Fresh",
                format!("{} ({revision}), nothing to register", target.family),
            );
            continue;
        }
        changed += 1;
        if args.dry_run {
            if shell.verbose() {
                show(shell, &target.family, &compared);
            }
            shell.status(
                "Dry run",
                format!("would register a new revision of {}", target.family),
            );
            continue;
        }
        let region = account.region_or_default(
            target.context.region.as_deref(),
            &format!("task definition family `{}`", target.family),
        )?;
        match ecs::register(&account.ecs(&region), &target.family, &target.json).await? {
            Ok(arn) => {
                shell.status("Registered", &arn);
                if shell.json() {
                    let line = serde_json::json!({
                        "reason": "registered",
                        "family": target.family,
                        "arn": arn,
                    });
                    shell.data(format_args!("{line}\n"));
                } else {
                    shell.data(format_args!("{arn}\n"));
                }
            }
            Err(ecs::Refused(why)) => {
                shell.error(format!(
                    "ECS refused the task definition `{}`: {why}",
                    target.family
                ));
                refused = true;
            }
        }
    }
    Ok((changed, refused))
}

/// Puts the exported policy on the execution role as the inline policy [`POLICY_NAME`] when
/// the role's copy differs.
async fn put_policy(
    shell: &Shell,
    account: &Account,
    target: &Target,
    dry_run: bool,
) -> Result<(), AskError> {
    let (Some(policy), Some(role)) = (&target.policy, &target.definition.execution_role_arn) else {
        return Ok(());
    };
    let Ok(role) = RoleArn::parse(role) else {
        return Ok(());
    };
    let name = role.name().to_owned();
    let client = account.iam();
    let current: Option<Value> = match client
        .get_role_policy()
        .role_name(&name)
        .policy_name(POLICY_NAME)
        .send()
        .await
    {
        Ok(output) => iam::parse_document(output.policy_document()),
        Err(error) => {
            let error = classify("iam:GetRolePolicy", error)?;
            if error.is_no_such_entity_exception() {
                None
            } else {
                return Err(AskError {
                    message: format!("`iam:GetRolePolicy` on `{name}` failed: {error}"),
                    help: "check that the execution role exists (`cargo ecsdef verify`)".to_owned(),
                });
            }
        }
    };
    if current.as_ref() == Some(policy) {
        shell.status("Fresh", format!("policy `{POLICY_NAME}` of role `{name}`"));
        return Ok(());
    }
    if dry_run {
        shell.status(
            "Dry run",
            format!("would put policy `{POLICY_NAME}` on role `{name}`"),
        );
        return Ok(());
    }
    let document = serde_json::to_string(policy).unwrap_or_default();
    match client
        .put_role_policy()
        .role_name(&name)
        .policy_name(POLICY_NAME)
        .policy_document(document)
        .send()
        .await
    {
        Ok(_) => {
            shell.status("Put", format!("policy `{POLICY_NAME}` on role `{name}`"));
            Ok(())
        }
        Err(error) => {
            let error = classify("iam:PutRolePolicy", error)?;
            Err(AskError {
                message: format!("`iam:PutRolePolicy` on `{name}` failed: {error}"),
                help: "check that the execution role exists (`cargo ecsdef verify`)".to_owned(),
            })
        }
    }
}
