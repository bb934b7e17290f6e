//! `cargo ecsdef check`: every declaration checked, its diagnostics printed, nothing written.

use clap::Args;

use super::common::{FAILURE, Output, SUCCESS, Selection, plural, with_analysis};
use crate::shell::Shell;

/// `cargo ecsdef check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub output: Output,
}

/// Runs `check`; returns the exit code.
pub fn exec(shell: &mut Shell, args: &CheckArgs) -> u8 {
    with_analysis(shell, &args.selection, |shell, analysis| {
        shell.summary(&analysis.reports);
        let exportable = analysis
            .tasks
            .iter()
            .filter(|t| t.exportable().is_some())
            .count();
        shell.status(
            "Finished",
            format!(
                "{} checked, {exportable} ready to export",
                plural(analysis.tasks.len(), "task definition"),
            ),
        );
        if analysis.has_errors() {
            FAILURE
        } else {
            SUCCESS
        }
    })
}
