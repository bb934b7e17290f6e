//! `cargo ecsdef export`: each task definition's deployable files written to the out dir, or
//! with `--check` compared with it. The work is [`crate::export`]'s; this prints it.

use std::path::PathBuf;

use clap::Args;

use super::common::{FAILURE, Output, SUCCESS, Selection, USAGE_OR_IO, plural, with_analysis};
use crate::analysis::Analysis;
use crate::export::{self, Drift, Variables};
use crate::formats::Format;
use crate::shell::Shell;

/// `cargo ecsdef export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub output: Output,
    /// Where to write (default: `deploy/` at the workspace root). ecsdef lists the files it
    /// writes in `DIR/.ecsdef-manifest`, and never overwrites or removes any other file.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Which files to write; repeatable (default: json).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// A placeholder's value; repeatable. Wins over `--vars-file` and the environment.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Placeholder values in dotenv syntax; they win over the environment.
    #[arg(long, value_name = "FILE")]
    pub vars_file: Option<PathBuf>,
    /// Write nothing; exit 1 listing every file that is missing, differs, is stale, or is in
    /// the way without having been written by ecsdef (`foreign`).
    #[arg(long)]
    pub check: bool,
}

fn parse_var(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected `NAME=VALUE`, found `{value}`")),
    }
}

/// Runs `export`; returns the exit code.
pub fn exec(shell: &mut Shell, args: &ExportArgs) -> u8 {
    with_analysis(shell, &args.selection, |shell, analysis| {
        export(shell, analysis, args)
    })
}

fn export(shell: &mut Shell, analysis: &Analysis, args: &ExportArgs) -> u8 {
    let out_dir: PathBuf = args
        .out_dir
        .clone()
        .unwrap_or_else(|| analysis.root.join("deploy"));
    let mut variables = Variables {
        vars: args.vars.iter().cloned().collect(),
        environment: true,
        ..Variables::default()
    };
    if let Some(file) = &args.vars_file {
        let parsed = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| export::parse_vars_file(&text));
        match parsed {
            Ok(vars) => variables.file = vars,
            Err(error) => {
                shell.error(format!(
                    "cannot read vars file `{}`: {error}",
                    file.display()
                ));
                return USAGE_OR_IO;
            }
        }
    }
    let formats = if args.format.is_empty() {
        vec![Format::JSON]
    } else {
        args.format.clone()
    };
    // A package that could not be read in full is not exported (see `export::plan`).
    let exportable = analysis
        .tasks
        .iter()
        .filter(|t| t.exportable().is_some())
        .filter(|t| !analysis.incomplete.iter().any(|i| i.package == t.package))
        .count();
    let shown_dir = shell.display_path(&out_dir);
    if !args.check {
        shell.status(
            "Exporting",
            format!("{} to {shown_dir}", plural(exportable, "task definition")),
        );
    }
    let (plan, mut reports) = match export::plan(analysis, &out_dir, &formats, &variables) {
        Ok(planned) => planned,
        Err(error) => {
            shell.error(format!(
                "cannot {} `{}`: {}",
                error.action,
                shell.display_path(&error.path),
                error.source
            ));
            return USAGE_OR_IO;
        }
    };
    crate::timings::mark("files rendered");
    reports.extend(plan.kept.iter().filter_map(|kept| kept.report(args.check)));
    for report in &reports {
        shell.report(report);
    }
    let mut all_reports = analysis.reports.clone();
    all_reports.extend(reports.iter().cloned());
    let failed = !reports.is_empty();

    if args.check {
        let drift = export::check(&plan, &out_dir);
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
                 written by ecsdef: move them away or delete them, then run `cargo ecsdef export`",
                plural(drift.len(), "file"),
            ));
        } else {
            shell.error(format!(
                "{} in {shown_dir} out of date: run `cargo ecsdef export`",
                plural(drift.len(), "file"),
            ));
        }
        return if drift.is_empty() && !failed {
            SUCCESS
        } else {
            FAILURE
        };
    }

    let result = export::write(&plan, &out_dir);
    crate::timings::mark("files written");
    match result {
        Ok(written) => {
            for name in &written.written {
                shell.verbose_status("Writing", shell.display_path(&out_dir.join(name)));
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
        Err(error) => {
            // The path as the user sees it, like every other path in the output.
            shell.error(format!(
                "cannot {} `{}`: {}",
                error.action,
                shell.display_path(&error.path),
                error.source
            ));
            USAGE_OR_IO
        }
    }
}
