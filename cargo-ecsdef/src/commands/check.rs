//! `cargo ecsdef check`: `export` without the writing. Every declaration checked, then the
//! export worked out with the same flags and settings (placeholder values, the concrete
//! values checked again, the policy, the formats, the out dir) and every reason it would fail
//! printed; nothing written.
//!
//! With paths (`cargo ecsdef check task-definition.json infra/`), the task definitions of
//! those files are checked where they are instead ([`crate::lint`]): no workspace is read.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use super::common::{
    ExportOptions, FAILURE, Output, SUCCESS, Selection, USAGE_OR_IO, analyze_for_export, plural,
    prepare_streamed_export, with_analysis_of,
};
use crate::analysis::Report;
use crate::export::Contents;
use crate::lint::{self, LintOptions};
use crate::shell::Shell;

/// The workspace flags, which the paths of files to check conflict with (`PATH` is
/// clap-cargo's id of `--manifest-path`).
const WORKSPACE_FLAGS: &[&str] = &[
    "PATH",
    "package",
    "workspace",
    "all",
    "exclude",
    "features",
    "all_features",
    "no_default_features",
    "out_dir",
    "format",
    "vars",
    "vars_file",
    "no_vars",
];

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
    /// Task-definition files to check where they are instead of a workspace: JSON or YAML
    /// files (`RegisterTaskDefinition` input, `describe-task-definition` output,
    /// CloudFormation templates), or folders searched for `*.json`, `*.yaml`, `*.yml` and
    /// `*.template` files that hold task definitions.
    #[arg(value_name = "PATH", conflicts_with_all = WORKSPACE_FLAGS)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub files: FileContext,
}

/// What a task-definition file cannot hold, for `check PATH...`; each is otherwise inferred
/// from the file where it shows it (`-v` says what was).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Files (with PATH)")]
pub struct FileContext {
    /// The region the tasks run in (else an `awslogs-region`, an ECR image's host or an
    /// ARN's region in the file).
    #[arg(long, value_name = "REGION", requires = "paths")]
    pub region: Option<String>,
    /// The Fargate platform version the tasks run on (`1.4.0`, `LATEST`).
    #[arg(long, value_name = "VERSION", requires = "paths")]
    pub platform_version: Option<String>,
    /// The minimum ECS container agent version of the EC2 instances.
    #[arg(long, value_name = "VERSION", requires = "paths")]
    pub agent_version: Option<String>,
    /// The customer-managed KMS key that encrypts the containers' secrets.
    #[arg(long, value_name = "KEY", requires = "paths")]
    pub kms_key: Option<String>,
}

/// Runs `check`; returns the exit code: 0 only when `export` with the same flags would
/// succeed (unless `--no-vars`).
pub fn exec(shell: &mut Shell, args: &CheckArgs) -> u8 {
    let code = if args.paths.is_empty() {
        check_workspace(shell, args)
    } else {
        check_files(shell, args)
    };
    if shell.sarif() {
        let reports = shell.take_sarif();
        let refs: Vec<&Report> = reports.iter().collect();
        let terms = if args.paths.is_empty() {
            lint::sarif::Terms::Declarations
        } else {
            lint::sarif::Terms::Files
        };
        shell.data(lint::sarif::log(&refs, shell.base(), terms));
    }
    code
}

/// `check PATH...`: the task definitions of files, where they are.
fn check_files(shell: &mut Shell, args: &CheckArgs) -> u8 {
    let options = LintOptions {
        region: args.files.region.clone(),
        platform_version: args.files.platform_version.clone(),
        agent_version: args.files.agent_version.clone(),
        kms_key: args.files.kms_key.clone(),
    };
    let run = lint::lint(&args.paths, &options);
    for file in &run.files {
        let notes = lint::grouped_notes(&file.notes);
        if shell.json() {
            for note in notes {
                let line = serde_json::json!({
                    "reason": "note",
                    "file": shell.display_path(&file.path),
                    "message": note,
                });
                shell.data(format_args!("{line}\n"));
            }
        } else if !notes.is_empty() && shell.verbose() {
            shell.verbose_status("Reading", shell.display_path(&file.path));
            for note in notes {
                shell.note(note);
            }
        }
    }
    let reports: Vec<Report> = run.reports().cloned().collect();
    shell.reports(&reports);
    shell.summary(&reports);
    let mut done = format!(
        "{} checked in {}",
        plural(run.definitions(), "task definition"),
        plural(run.files.len(), "file"),
    );
    if !run.skipped.is_empty() {
        let _ = write!(
            done,
            "; {} without a task definition skipped",
            plural(run.skipped.len(), "file")
        );
    }
    shell.status("Finished", done);
    if !run.errors.is_empty() {
        USAGE_OR_IO
    } else if reports
        .iter()
        .any(|r| r.level == ecsdef_model::rules::Level::Error)
    {
        FAILURE
    } else {
        SUCCESS
    }
}

/// `check` of a workspace.
fn check_workspace(shell: &mut Shell, args: &CheckArgs) -> u8 {
    // Each task is rendered as it is assembled (see `analyze_for_export`); the setup made
    // then is used, or its error printed, once the analysis is shown.
    let setup = std::cell::Cell::new(None);
    let build = |discovery: &_| {
        let (analysis, made) =
            analyze_for_export(discovery, &args.export, !args.no_vars, Contents::InTheWay);
        setup.set(Some(made));
        analysis
    };
    with_analysis_of(shell, &args.selection, build, |shell, analysis| {
        let Some(made) = setup.take() else {
            return USAGE_OR_IO;
        };
        let prepared = match prepare_streamed_export(shell, analysis, made, false) {
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
        shell.reports(&reports);
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

#[cfg(test)]
mod tests {
    use crate::cli::parse_from;
    use crate::commands::Command;

    /// Paths and the workspace flags exclude each other; the file flags need paths.
    #[test]
    fn paths_take_file_flags_not_workspace_flags() {
        let parsed = parse_from([
            "cargo-ecsdef",
            "check",
            "task.json",
            "infra",
            "--region",
            "eu-west-1",
            "--kms-key",
            "alias/x",
            "--message-format",
            "sarif",
        ])
        .expect("parses");
        let Command::Check(args) = parsed.command else {
            panic!("check expected");
        };
        assert_eq!(args.paths.len(), 2);
        assert_eq!(args.files.region.as_deref(), Some("eu-west-1"));
        for refused in [
            &["check", "task.json", "-p", "web"][..],
            &["check", "task.json", "--workspace"],
            &["check", "task.json", "--manifest-path", "x/Cargo.toml"],
            &["check", "task.json", "--var", "A=b"],
            &["check", "task.json", "--no-vars"],
            &["check", "task.json", "--out-dir", "deploy"],
            &["check", "--region", "eu-west-1"],
            &["check", "--platform-version", "1.4.0"],
        ] {
            let command_line = std::iter::once("cargo-ecsdef").chain(refused.iter().copied());
            assert!(parse_from(command_line).is_err(), "{refused:?}");
        }
    }
}
