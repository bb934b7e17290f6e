//! `cargo ecsdef policy FAMILY`: the execution-role policy of one family, as IAM takes it.

use clap::Args;

use ecsdef_model::policy::execution_role_policy;

use super::common::{FAILURE, Output, SUCCESS, Selection, USAGE_OR_IO, with_analysis};
use crate::analysis::{Analysis, Task};
use crate::export;
use crate::shell::Shell;

/// `cargo ecsdef policy`.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// The task definition's family.
    pub family: String,
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub output: Output,
}

/// Runs `policy`; returns the exit code.
pub fn exec(shell: &mut Shell, args: &PolicyArgs) -> u8 {
    with_analysis(shell, &args.selection, |shell, analysis| {
        policy(shell, analysis, &args.family)
    })
}

fn unknown_family(shell: &Shell, analysis: &Analysis, family: &str) -> u8 {
    let suggestion =
        ecsdef_model::did_you_mean(family, analysis.tasks.iter().map(|t| t.family.as_str()))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
    let mut families: Vec<&str> = analysis.tasks.iter().map(|t| t.family.as_str()).collect();
    families.sort_unstable();
    families.dedup();
    let known = if families.is_empty() {
        "they declare no task definition".to_owned()
    } else {
        format!("their families: {}", families.join(", "))
    };
    shell.error(format!(
        "no task definition of the selected packages has family `{family}`{suggestion} ({known})"
    ));
    USAGE_OR_IO
}

fn policy(shell: &Shell, analysis: &Analysis, family: &str) -> u8 {
    let tasks: Vec<&Task> = analysis.family(family).collect();
    let [task] = tasks.as_slice() else {
        return if tasks.is_empty() {
            unknown_family(shell, analysis, family)
        } else {
            // Duplicates are already reported.
            FAILURE
        };
    };
    let Some((definition, context)) = task.exportable() else {
        shell.error(format!(
            "family `{family}` has errors (above); its policy cannot be derived"
        ));
        return FAILURE;
    };
    match execution_role_policy(definition, context) {
        Ok(Some(policy)) if !policy.is_empty() => {
            shell.data(policy.to_json());
            SUCCESS
        }
        Ok(Some(_)) => {
            shell.note(format!(
                "the execution role of `{family}` needs no permission (public images, no secrets, no `awslogs`): no policy"
            ));
            SUCCESS
        }
        Ok(None) => {
            shell.note(format!("`{family}` has no execution role: no policy"));
            SUCCESS
        }
        Err(error) => {
            shell.error(format!(
                "cannot derive the execution-role policy of `{family}`: {}",
                export::policy_problems(&error)
            ));
            FAILURE
        }
    }
}
