//! `cargo ecsdef diff [FAMILY...]`: the latest ACTIVE revision of each family, as ECS
//! describes it, against what `export` would write, both normalised as ECS normalises a
//! registered definition ([`crate::aws::normalize`]); a unified diff on stdout, exit 1 on
//! drift. A family not registered yet is drift. An `environment` value that may be a secret
//! is compared, never shown ([`normalize::hide_secrets`]).

use clap::Args;
use serde_json::Value;

use super::common::{FAILURE, SUCCESS, plural, with_analysis};
use super::verify::{AwsArgs, cannot_ask, connect, targets};
use crate::aws::checks::Target;
use crate::aws::{self, Account, AskError, ecs, normalize};
use crate::shell::Shell;

/// `cargo ecsdef diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub common: AwsArgs,
}

/// How a family compares with its registered revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compared {
    /// The latest ACTIVE revision (`family:N`) is what export would write.
    Same(String),
    /// It differs: the revision and the unified diff.
    Drift(String, String),
    /// No ACTIVE revision: the diff from nothing.
    Unregistered(String),
}

/// Compares one task with its latest registered revision.
pub async fn compare(account: &Account, target: &Target) -> Result<Compared, AskError> {
    let region = account.region_or_default(
        target.context.region.as_deref(),
        &format!("task definition family `{}`", target.family),
    )?;
    let exported: Value = serde_json::from_str(&target.json).unwrap_or(Value::Null);
    let mut new = normalize::normalize(&exported);
    let new_name = format!("export {}", target.family);
    // Compared as they are; shown with the values that may be secrets hidden.
    Ok(
        match ecs::describe(&account.ecs(&region), &target.family).await? {
            None => {
                normalize::hide_secrets(&mut Value::Null, &mut new);
                Compared::Unregistered(normalize::unified_diff(
                    "",
                    &normalize::pretty(&new),
                    "(not registered)",
                    &new_name,
                ))
            }
            Some(described) => {
                let revision = normalize::revision(&described);
                let mut old = normalize::normalize(&normalize::registered_input(&described));
                if normalize::pretty(&old) == normalize::pretty(&new) {
                    Compared::Same(revision)
                } else {
                    normalize::hide_secrets(&mut old, &mut new);
                    let diff = normalize::unified_diff(
                        &normalize::pretty(&old),
                        &normalize::pretty(&new),
                        &format!("registered {revision}"),
                        &new_name,
                    );
                    Compared::Drift(revision, diff)
                }
            }
        },
    )
}

/// Runs `diff`; returns the exit code.
pub fn exec(shell: &mut Shell, args: &DiffArgs) -> u8 {
    with_analysis(shell, &args.common.selection, |shell, analysis| {
        let (targets, failed) = match targets(shell, analysis, &args.common) {
            Ok(found) => found,
            Err(code) => return code,
        };
        match aws::block_on(diff(shell, &targets, &args.common)).and_then(|r| r) {
            Ok(drifted) => {
                shell.status(
                    "Finished",
                    format!(
                        "{} compared with the account, {} drifted",
                        plural(targets.len(), "task definition"),
                        drifted
                    ),
                );
                if drifted > 0 || failed {
                    FAILURE
                } else {
                    SUCCESS
                }
            }
            Err(error) => cannot_ask(shell, &error),
        }
    })
}

async fn diff(shell: &mut Shell, targets: &[Target], args: &AwsArgs) -> Result<usize, AskError> {
    let account = connect(shell, &args.aws).await?;
    let mut drifted = 0;
    for target in targets {
        let compared = compare(&account, target).await?;
        show(shell, &target.family, &compared);
        if !matches!(compared, Compared::Same(_)) {
            drifted += 1;
        }
    }
    Ok(drifted)
}

/// Prints a comparison: a status line, and the diff on stdout (a JSON line with
/// `--message-format json`).
pub fn show(shell: &Shell, family: &str, compared: &Compared) {
    let (state, revision, diff) = match compared {
        Compared::Same(revision) => ("same", Some(revision.as_str()), ""),
        Compared::Drift(revision, diff) => ("drift", Some(revision.as_str()), diff.as_str()),
        Compared::Unregistered(diff) => ("unregistered", None, diff.as_str()),
    };
    if shell.json() {
        let plain = strip_styles(diff);
        let line = serde_json::json!({
            "reason": "task-definition-diff",
            "family": family,
            "state": state,
            "registered": revision,
            "diff": plain,
        });
        shell.data(format_args!("{line}\n"));
        return;
    }
    match compared {
        Compared::Same(revision) => shell.status("Fresh", format!("{family} ({revision})")),
        Compared::Drift(revision, _) => {
            shell.status(
                "Drift",
                format!("{family}: {revision} differs from the export"),
            );
        }
        Compared::Unregistered(_) => {
            shell.status("Drift", format!("{family}: not registered yet"));
        }
    }
    shell.data(diff);
}

/// `text` without its ANSI styles.
fn strip_styles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
