//! `cargo ecsdef explain [RULE]`: a rule's documentation, or the table of every rule. It reads
//! no workspace, so it takes no package selection.

use clap::Args;

use ecsdef_model::rules::{Level, RULES, rule_info};

use super::common::{Output, SUCCESS, USAGE_OR_IO, table};
use crate::shell::Shell;

/// `cargo ecsdef explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// The rule's name, as diagnostics show it (`image-unpinned`).
    pub rule: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

/// Runs `explain`; returns the exit code.
pub fn exec(shell: &Shell, args: &ExplainArgs) -> u8 {
    let Some(name) = &args.rule else {
        let mut rows = vec![["RULE".to_owned(), "LEVEL".to_owned(), "CHECKS".to_owned()]];
        for rule in RULES {
            rows.push([
                rule.name.to_owned(),
                rule.level.as_str().to_owned(),
                rule.summary.to_owned(),
            ]);
        }
        shell.data(table(&rows));
        return SUCCESS;
    };
    let Some(rule) = rule_info(name) else {
        let suggestion = ecsdef_model::did_you_mean(name, RULES.iter().map(|r| r.name))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        shell.error(format!(
            "no rule named `{name}`{suggestion} (`cargo ecsdef explain` lists them all)"
        ));
        return USAGE_OR_IO;
    };
    let silence = if rule.level == Level::Warning {
        format!(
            "\nSilence it where it is intended with `#[ecs(allow({}))]` on the container, the task, or the field.\n",
            rule.name
        )
    } else {
        String::new()
    };
    shell.data(format_args!(
        "{} ({})\n\n{}\n{silence}\nAWS documentation: {}\n\n  \"{}\"\n  ({})\n",
        rule.name,
        rule.level.as_str(),
        rule.summary,
        rule.link,
        rule.aws.text,
        rule.aws.source,
    ));
    SUCCESS
}
