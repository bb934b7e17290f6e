//! `cargo ecsdef verify [FAMILY...]`: each task definition, as export would write it, checked
//! against the live account, read-only ([`crate::aws::checks`]). Also what the three AWS verbs
//! share: their arguments and the task definitions they work on.

use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::Args;
use ecsdef_model::substitute::resolve_and_check;

use super::common::{
    ExportOptions, FAILURE, Output, SUCCESS, Selection, USAGE_OR_IO, plural, prepare_export,
    with_analysis,
};
use crate::analysis::{Analysis, Report};
use crate::aws::checks::{self, Target};
use crate::aws::{self, Account, AskError, AwsOptions};
use crate::export::Contents;
use crate::formats::Format;
use crate::shell::Shell;

/// The exit codes of the AWS verbs, as their `--help` ends.
pub const AWS_EXIT_CODES: &str = "\
Exit codes:
  0  all good: nothing found, no drift
  1  a finding or drift, or diagnostics with errors in the workspace
  2  could not ask the account (no credentials, no network, access denied), or a usage
     error or an I/O failure";

/// What the AWS verbs take.
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// The families to work on (default: every task definition of the selected packages).
    #[arg(value_name = "FAMILY")]
    pub families: Vec<String>,
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub placeholders: Placeholders,
    #[command(flatten)]
    pub aws: AwsOptions,
}

/// The placeholder values of the AWS verbs: those of `export`, whose JSON files the verbs
/// compare with the account. (`--out-dir` and `--format` do not apply: nothing is written.)
#[derive(Debug, Clone, Args)]
pub struct Placeholders {
    /// A placeholder's value; repeatable. Wins over `--vars-file` and the environment.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = super::common::parse_var)]
    pub vars: Vec<(String, String)>,
    /// Placeholder values in dotenv syntax; they win over the environment (default:
    /// `vars-file` in `[workspace.metadata.ecsdef]`).
    #[arg(long, value_name = "FILE")]
    pub vars_file: Option<PathBuf>,
}

/// `cargo ecsdef verify`.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub common: AwsArgs,
    /// Also read the secrets' values to check their shape: the credentials secret is JSON
    /// with string `username` and `password`, and each json key a `valueFrom` selects
    /// exists. Needs `secretsmanager:GetSecretValue`; no value is ever printed or kept.
    #[arg(long)]
    pub get_secrets: bool,
}

/// Says why the account could not be asked; returns exit code 2.
pub fn cannot_ask(shell: &Shell, error: &AskError) -> u8 {
    const BOLD: anstyle::Style = anstyle::Style::new().bold();
    shell.error(&error.message);
    anstream::eprintln!("{BOLD}help{BOLD:#}: {}", error.help);
    USAGE_OR_IO
}

/// The task definitions the AWS verbs work on, as `export` (JSON format) would write them:
/// the selected families, each exportable. Prints why any cannot be worked on; on a usage
/// error, returns its exit code.
pub fn targets(
    shell: &mut Shell,
    analysis: &Analysis,
    args: &AwsArgs,
) -> Result<(Vec<Target>, bool), u8> {
    let options = ExportOptions {
        out_dir: None,
        format: vec![Format::JSON],
        vars: args.placeholders.vars.clone(),
        vars_file: args.placeholders.vars_file.clone(),
    };
    let prepared = prepare_export(shell, analysis, &options, true, false, Contents::All)?;
    shell.reports(&prepared.reports);
    let mut failed = !prepared.reports.is_empty();
    let known: BTreeSet<&str> = analysis.tasks.iter().map(|t| t.family.as_str()).collect();
    for family in &args.families {
        if !known.contains(family.as_str()) {
            let suggestion = ecsdef_model::did_you_mean(family, known.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            shell.error(format!(
                "no task definition of the selected packages has family `{family}`{suggestion}"
            ));
            return Err(USAGE_OR_IO);
        }
    }
    let mut targets = Vec::new();
    for task in &analysis.tasks {
        if !args.families.is_empty() && !args.families.contains(&task.family) {
            continue;
        }
        let Some((definition, context)) = task.exportable() else {
            failed = true;
            continue;
        };
        let json_name = format!("{}.json", task.family);
        let Some((_, file)) = prepared
            .plan
            .files
            .iter()
            .find(|(_, f)| f.name == json_name)
        else {
            // Not rendered: the reasons are reported above.
            failed = true;
            continue;
        };
        let Ok(resolved) =
            resolve_and_check(definition, context, |name| prepared.variables.get(name))
        else {
            failed = true;
            continue;
        };
        let policy_name = format!("{}.execution-role-policy.json", task.family);
        let policy = prepared
            .plan
            .files
            .iter()
            .find(|(_, f)| f.name == policy_name)
            .and_then(|(_, f)| serde_json::from_str(&f.contents).ok());
        targets.push(Target {
            family: task.family.clone(),
            file: task.file.clone(),
            pos: task.pos,
            definition: resolved.definition,
            context: resolved.context,
            json: file.contents.clone(),
            policy,
        });
    }
    Ok((targets, failed))
}

/// Connects to the account, with a status line naming who is asking.
pub async fn connect(shell: &Shell, options: &AwsOptions) -> Result<Account, AskError> {
    let account = Account::connect(options).await?;
    shell.verbose_status(
        "Connected",
        format!("to account {} as `{}`", account.id, account.caller),
    );
    Ok(account)
}

/// Runs `verify`; returns the exit code.
pub fn exec(shell: &mut Shell, args: &VerifyArgs) -> u8 {
    with_analysis(shell, &args.common.selection, |shell, analysis| {
        let (targets, failed) = match targets(shell, analysis, &args.common) {
            Ok(found) => found,
            Err(code) => return code,
        };
        let result = aws::block_on(verify(shell, &targets, args));
        match result.and_then(|r| r) {
            Ok(findings) => {
                shell.status(
                    "Finished",
                    format!(
                        "{} verified against the account, {}",
                        plural(targets.len(), "task definition"),
                        plural(findings, "finding"),
                    ),
                );
                if findings > 0 || failed {
                    FAILURE
                } else {
                    SUCCESS
                }
            }
            Err(error) => cannot_ask(shell, &error),
        }
    })
}

async fn verify(
    shell: &mut Shell,
    targets: &[Target],
    args: &VerifyArgs,
) -> Result<usize, AskError> {
    let account = connect(shell, &args.common.aws).await?;
    let mut findings = 0;
    let mut reports = Vec::new();
    for target in targets {
        shell.status("Verifying", &target.family);
        let outcome = checks::verify(&account, target, args.get_secrets).await?;
        for resolved in &outcome.resolved {
            shell.status("Resolved", resolved);
        }
        for passed in &outcome.passed {
            shell.verbose_status("Checked", passed);
        }
        for finding in &outcome.findings {
            let report = Report::error(format!("{}: {}", target.family, finding.message))
                .rule(finding.rule)
                .help(&finding.help)
                .at(&target.file, target.pos);
            shell.report(&report);
            reports.push(report);
        }
        findings += outcome.findings.len();
    }
    shell.summary(&reports);
    Ok(findings)
}
