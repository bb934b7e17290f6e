//! `cargo ecsdef export`: each task definition's deployable files written to the out dir, or
//! with `--check` compared with it. The work is [`crate::export`]'s; this prints it.

use clap::Args;

use super::common::{
    ExportOptions, FAILURE, Output, Prepared, SUCCESS, Selection, USAGE_OR_IO, analyze_for_export,
    fix_command, plural, prepare_streamed_export, stage_new_out_dir, with_analysis_early_of,
    write_error,
};
use crate::analysis::{Analysis, Parsed};
use crate::discover::FilesIn;
use crate::export::{self, Contents, Drift, Rendered, Staged};
use crate::shell::Shell;

/// `cargo ecsdef export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub export: ExportOptions,
    /// Write nothing; exit 1 listing every file that is missing, differs, is stale, or is in
    /// the way without having been written by ecsdef (`foreign`).
    #[arg(long)]
    pub check: bool,
}

/// Runs `export`; returns the exit code.
pub fn exec(shell: &mut Shell, args: &ExportArgs) -> u8 {
    // Each task is rendered as it is assembled (see `analyze_for_export`); the setup made
    // then is used, or its error printed, once the analysis is shown.
    let setup = std::cell::Cell::new(None);
    let build = |discovery: &_| {
        let (analysis, made) = analyze_for_export(discovery, &args.export, true, Contents::All);
        setup.set(Some(made));
        analysis
    };
    // A new out dir's files are created while the analysis ends (see `Staged`); unused, they
    // are removed when `staged` is dropped.
    let staged = std::cell::Cell::new(None);
    let early = |files_in: FilesIn<'_, Parsed>| {
        if !args.check {
            staged.set(stage_new_out_dir(&files_in, &args.export));
        }
    };
    with_analysis_early_of(shell, &args.selection, early, build, |shell, analysis| {
        let Some(made) = setup.take() else {
            return USAGE_OR_IO;
        };
        match prepare_streamed_export(shell, analysis, made, args.check) {
            Ok(prepared) => export(shell, analysis, &prepared, args, staged.take()),
            Err(code) => code,
        }
    })
}

fn export(
    shell: &mut Shell,
    analysis: &Analysis<Option<Rendered>>,
    prepared: &Prepared,
    args: &ExportArgs,
    staged: Option<Staged>,
) -> u8 {
    let Prepared {
        out_dir,
        plan,
        reports,
        ..
    } = prepared;
    // A package that could not be read in full is not exported (see `export::plan`).
    let exportable = analysis
        .tasks
        .iter()
        .filter(|t| t.is_exportable())
        .filter(|t| !analysis.incomplete.iter().any(|i| i.package == t.package))
        .count();
    let shown_dir = shell.display_path(out_dir);
    if !args.check {
        shell.status(
            "Exporting",
            format!("{} to {shown_dir}", plural(exportable, "task definition")),
        );
    }
    shell.reports(reports);
    let mut all_reports = analysis.reports.clone();
    all_reports.extend(reports.iter().cloned());
    let failed = !reports.is_empty();

    if args.check {
        let drift = export::check(plan, out_dir);
        for item in &drift {
            let (what, name) = match item {
                Drift::Missing(name) => ("missing", name),
                Drift::Differs(name) => ("differs", name),
                Drift::Stale(name) => ("stale", name),
                Drift::Foreign(name) => ("foreign", name),
            };
            let path = shell.display_path(&out_dir.join(name));
            if shell.json() {
                let line = serde_json::json!({"reason": "drift", "drift": what, "file": path});
                shell.data(format_args!("{line}\n"));
            } else {
                shell.data(format_args!("{what:<8} {path}\n"));
            }
        }
        shell.summary(&all_reports);
        if drift.is_empty() {
            shell.status(
                "Finished",
                format!(
                    "{} up to date in {shown_dir}",
                    plural(plan.files.len(), "file")
                ),
            );
        } else if drift.iter().any(|d| matches!(d, Drift::Foreign(_))) {
            shell.error(format!(
                "{} in {shown_dir} out of date; `foreign` files are in the way and were not \
                 written by ecsdef: move them away or delete them, then run {}",
                plural(drift.len(), "file"),
                fix_command(shell, &args.selection, &args.export, prepared),
            ));
        } else {
            shell.error(format!(
                "{} in {shown_dir} out of date: run {}",
                plural(drift.len(), "file"),
                fix_command(shell, &args.selection, &args.export, prepared),
            ));
        }
        return if drift.is_empty() && !failed {
            SUCCESS
        } else {
            FAILURE
        };
    }

    let result = export::write_staged(plan, out_dir, staged);
    crate::timings::mark("files written");
    match result {
        Ok(written) => {
            // Each path is only made for `-v`: an export writes thousands.
            if shell.verbose() {
                for name in &written.written {
                    shell.verbose_status("Writing", shell.display_path(&out_dir.join(name)));
                }
            }
            for name in &written.removed {
                shell.status("Removing", shell.display_path(&out_dir.join(name)));
            }
            shell.summary(&all_reports);
            shell.status(
                "Finished",
                format!(
                    "{} in {shown_dir} ({} written, {} unchanged, {} removed)",
                    plural(plan.files.len(), "file"),
                    written.written.len(),
                    written.unchanged.len(),
                    written.removed.len()
                ),
            );
            if failed { FAILURE } else { SUCCESS }
        }
        Err(error) => write_error(shell, &error),
    }
}
