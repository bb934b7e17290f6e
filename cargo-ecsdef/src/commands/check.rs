//! `cargo ecsdef check`: `export` without the writing. Every declaration checked, then the
//! export worked out with the same flags and settings (placeholder values, the concrete
//! values checked again, the policy, the formats, the out dir) and every reason it would fail
//! printed; nothing written.

use std::fmt::Write as _;

use clap::Args;

use super::common::{
    ExportOptions, FAILURE, Output, SUCCESS, Selection, plural, prepare_export, with_analysis,
};
use crate::analysis::Report;
use crate::shell::Shell;

/// `cargo ecsdef check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub export: ExportOptions,
    /// Check without deploy-time values, as in code review: no placeholder value is read
    /// (neither `--var`, a vars file nor the environment), and a task with placeholders is
    /// checked as declared instead of as exported. `export` may still fail on its values.
    #[arg(long, conflicts_with_all = ["vars", "vars_file"])]
    pub no_vars: bool,
}

/// Runs `check`; returns the exit code: 0 only when `export` with the same flags would
/// succeed (unless `--no-vars`).
pub fn exec(shell: &mut Shell, args: &CheckArgs) -> u8 {
    with_analysis(shell, &args.selection, |shell, analysis| {
        let prepared = match prepare_export(shell, analysis, &args.export, !args.no_vars, false) {
            Ok(prepared) => prepared,
            Err(code) => return code,
        };
        let mut reports = prepared.reports.clone();
        let blocked = crate::export::blocked(&prepared.plan, &prepared.out_dir);
        let reasons: std::collections::BTreeSet<&str> =
            blocked.iter().map(|(_, reason)| reason.as_str()).collect();
        for reason in reasons {
            let files: Vec<String> = blocked
                .iter()
                .filter(|(_, r)| r == reason)
                .map(|(name, _)| format!("`{}`", shell.display_path(&prepared.out_dir.join(name))))
                .collect();
            reports.push(
                Report::error(format!(
                    "export would stop before writing anything: {} in the way: {reason}",
                    files.join(", ")
                ))
                .rule("export"),
            );
        }
        for report in &reports {
            shell.report(report);
        }
        let mut all_reports = analysis.reports.clone();
        all_reports.extend(reports.iter().cloned());
        shell.summary(&all_reports);
        let mut done = format!(
            "{} checked, {} ready to export",
            plural(analysis.tasks.len(), "task definition"),
            // A file in the way stops the whole export.
            if blocked.is_empty() {
                prepared.plan.ready
            } else {
                0
            },
        );
        if prepared.plan.unset > 0 {
            let _ = write!(
                done,
                ", {} with placeholders left unset",
                prepared.plan.unset
            );
        }
        shell.status("Finished", done);
        if reports.is_empty() { SUCCESS } else { FAILURE }
    })
}
