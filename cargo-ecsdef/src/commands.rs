//! The verbs: each takes the parsed command line and a shell and returns the exit code.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ecsdef_model::policy::execution_role_policy;
use ecsdef_model::rules::{Level, RULES, rule_info};

use crate::analysis::{self, Analysis, Task};
use crate::cli::{Command, Common, Ecsdef, ExplainArgs, ExportArgs, ImportArgs};
use crate::export::{self, Drift, Variables};
use crate::formats::Format;
use crate::shell::Shell;

/// Success.
pub const SUCCESS: u8 = 0;
/// Diagnostics with errors, or `--check` drift.
pub const FAILURE: u8 = 1;
/// A usage error or an I/O failure.
pub const USAGE_OR_IO: u8 = 2;

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: &Ecsdef) -> u8 {
    let common = cli.command.common();
    let base = std::env::current_dir().unwrap_or_default();
    let mut shell = Shell::new(
        common.color,
        common.quiet,
        common.verbose,
        common.message_format,
        base,
    );
    match &cli.command {
        Command::Explain(args) => explain(&shell, args),
        Command::Import(args) => import(&shell, args),
        Command::Check(common) => with_analysis(&mut shell, common, check),
        Command::List(common) => with_analysis(&mut shell, common, |shell, analysis| {
            list(shell, analysis);
            SUCCESS
        }),
        Command::Policy(args) => with_analysis(&mut shell, &args.common, |shell, analysis| {
            policy(shell, analysis, &args.family)
        }),
        Command::Export(args) => with_analysis(&mut shell, &args.common, |shell, analysis| {
            export(shell, analysis, args)
        }),
    }
}

/// Analyses the workspace, shows every diagnostic, runs `then`, and combines the exit codes:
/// errors in the workspace make 1 even when `then` succeeded.
fn with_analysis(
    shell: &mut Shell,
    common: &Common,
    then: impl FnOnce(&mut Shell, &Analysis) -> u8,
) -> u8 {
    let analysis = match analysis::analyze(&common.discover_options()) {
        Ok(analysis) => analysis,
        Err(error) => {
            shell.error(error);
            return USAGE_OR_IO;
        }
    };
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    shell.status(
        "Scanning",
        format!(
            "{}: {} with {} and {}",
            plural(analysis.packages.len(), "package"),
            plural(analysis.files_parsed, "file"),
            plural(analysis.tasks.len(), "task definition"),
            plural(analysis.containers, "container"),
        ),
    );
    for report in &analysis.reports {
        shell.report(report);
    }
    if analysis.tasks.is_empty() && analysis.containers == 0 && !analysis.has_errors() {
        shell.note(format!(
            "no `#[derive(TaskDefinition)]` or `#[derive(Container)]` in {}; declare a task \
             with `#[derive(ecsdef::TaskDefinition)]`, or select other packages with \
             `-p NAME`, `--workspace` or `--manifest-path`",
            if analysis.packages.is_empty() {
                "the selected packages".to_owned()
            } else {
                analysis
                    .packages
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ));
    }
    let code = then(shell, &analysis);
    let code = if analysis.has_errors() {
        FAILURE.max(code)
    } else {
        code
    };
    analysis::drop_in_background(analysis);
    code
}

fn check(shell: &mut Shell, analysis: &Analysis) -> u8 {
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
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn container_rows(task: &Task) -> Vec<(String, String, Option<String>)> {
    task.assembled
        .as_ref()
        .map(|(definition, _)| {
            definition
                .container_definitions
                .iter()
                .map(|c| {
                    (
                        c.name.clone().unwrap_or_default(),
                        c.image.clone().unwrap_or_default(),
                        c.repository_credentials
                            .as_ref()
                            .map(|r| r.credentials_parameter.clone()),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn list(shell: &Shell, analysis: &Analysis) {
    if shell.json() {
        for task in &analysis.tasks {
            let containers: Vec<serde_json::Value> = container_rows(task)
                .into_iter()
                .map(|(name, image, credentials)| {
                    serde_json::json!({"name": name, "image": image, "credentials": credentials})
                })
                .collect();
            let line = serde_json::json!({
                "reason": "task-definition",
                "package": task.package,
                "family": task.family,
                "struct": task.path,
                "file": shell.display_path(&task.file),
                "line": task.pos.line,
                "column": task.pos.column,
                "exportable": task.exportable().is_some(),
                "containers": containers,
            });
            shell.data(format_args!("{line}\n"));
        }
        return;
    }
    let mut rows = vec![[
        "PACKAGE".to_owned(),
        "FAMILY".to_owned(),
        "CONTAINERS".to_owned(),
        "IMAGES".to_owned(),
        "CREDENTIALS".to_owned(),
    ]];
    for task in &analysis.tasks {
        let containers = container_rows(task);
        let join = |values: Vec<String>| {
            if values.is_empty() {
                "-".to_owned()
            } else {
                values.join(", ")
            }
        };
        let family = if task.exportable().is_some() {
            task.family.clone()
        } else {
            format!("{} (errors)", task.family)
        };
        rows.push([
            task.package.clone(),
            family,
            join(containers.iter().map(|c| c.0.clone()).collect()),
            join(containers.iter().map(|c| c.1.clone()).collect()),
            join(containers.iter().filter_map(|c| c.2.clone()).collect()),
        ]);
    }
    shell.data(table(&rows));
}

/// Rows as columns padded to their widest cell, two spaces apart, without trailing spaces.
fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ", width = widths[i]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn unknown_family(shell: &Shell, analysis: &Analysis, family: &str) -> u8 {
    let suggestion =
        ecsdef_model::did_you_mean(family, analysis.tasks.iter().map(|t| t.family.as_str()))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
    shell.error(format!(
        "no task definition of the selected packages has family `{family}`{suggestion}"
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
                export::TaskExportError::Policy(error)
                    .to_string()
                    .trim_start_matches("cannot write the execution-role policy: ")
            ));
            FAILURE
        }
    }
}

fn explain(shell: &Shell, args: &ExplainArgs) -> u8 {
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
        "{} ({})\n\n{}\n{silence}\nAWS documentation: {}\n",
        rule.name,
        rule.level.as_str(),
        rule.summary,
        rule.link
    ));
    SUCCESS
}

fn import(shell: &Shell, args: &ImportArgs) -> u8 {
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(error) => {
            shell.error(format!("cannot read `{}`: {error}", args.file.display()));
            return USAGE_OR_IO;
        }
    };
    match crate::import::import(&text) {
        Ok(imported) => {
            for note in &imported.notes {
                shell.note(note);
            }
            shell.data(imported.source);
            SUCCESS
        }
        Err(error) => {
            shell.error(format!(
                "`{}` is not a task definition:\n{error}",
                args.file.display()
            ));
            FAILURE
        }
    }
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
    let exportable = analysis
        .tasks
        .iter()
        .filter(|t| t.exportable().is_some())
        .count();
    let shown_dir = shell.display_path(&out_dir);
    if !args.check {
        shell.status(
            "Exporting",
            format!("{} to {shown_dir}", plural(exportable, "task definition")),
        );
    }
    let (plan, reports) = export::plan(analysis, &out_dir, &formats, &variables);
    crate::timings::mark("files rendered");
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

/// The default out dir of a workspace.
pub fn default_out_dir(root: &Path) -> PathBuf {
    root.join("deploy")
}
