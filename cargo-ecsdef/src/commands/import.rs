//! `cargo ecsdef import FILE`: Rust declarations equivalent to an existing task definition
//! JSON, from [`crate::import`]. It reads no workspace, so it takes no package selection.
//!
//! What ecsdef finds in the file and no `allow` may silence is reported as rustc reports it,
//! at the line and column of the value in the JSON file; the declarations carry it, and the
//! derive will report it again until it is fixed, and the exit code is 1. A file that is not
//! a task definition gets every reason, each at its line.

use std::path::{Path, PathBuf};

use clap::Args;

use super::common::{FAILURE, Output, SUCCESS, USAGE_OR_IO};
use crate::analysis::{Pos, Report};
use crate::import::{HEADER, locate, locate_span};
use crate::shell::Shell;

/// `cargo ecsdef import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// A task definition JSON: `RegisterTaskDefinition` input or `describe-task-definition`
    /// output.
    pub file: PathBuf,
    /// Write the declarations into this file of a crate (a module: add `mod NAME;` beside
    /// it) instead of printing them. A file that `import` did not write is never replaced,
    /// unless it is empty.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub output: Output,
}

/// Runs `import`; returns the exit code.
pub fn exec(shell: &mut Shell, args: &ImportArgs) -> u8 {
    let text = match crate::discover::read_input_file(&args.file) {
        Ok(text) => text,
        Err(error) => {
            shell.error(format!("cannot read `{}`: {error}", args.file.display()));
            return USAGE_OR_IO;
        }
    };
    // A file that is not JSON: point where the JSON reader stopped, not at the document.
    if let Err(error) = crate::lint::located::parse_json(&text) {
        let report = Report::error(format!("not a task definition: {}", error.message));
        shell.report(&report.at(&args.file, error.pos));
        return FAILURE;
    }
    let imported = match crate::import::import(&text) {
        Ok(imported) => imported,
        Err(errors) => {
            for error in &errors.0 {
                let what = if error.path.is_empty() {
                    error.message.clone()
                } else {
                    format!("`{}`: {}", error.path, error.message)
                };
                let report = Report {
                    help: error.help.clone(),
                    ..Report::error(format!("not a task definition: {what}"))
                };
                shell.report(&located(report, &args.file, &text, &error.path));
            }
            return FAILURE;
        }
    };
    for note in &imported.notes {
        shell.note(note);
    }
    for d in &imported.diagnostics {
        let path = d.json_path().unwrap_or_default();
        let report = Report {
            file: None,
            pos: None,
            level: d.level,
            rule: Some(d.rule.name.to_owned()),
            message: d.message_in_file().into_owned(),
            help: Some(d.help_in_file().into_owned()),
        };
        // A span into a value import rewrote is a span into the rewritten value.
        let rewritten = imported.placeholders.iter().any(|r| r.path == path);
        let report = match d.span.clone().filter(|_| !rewritten) {
            Some(span) => {
                let ((line, column), (end_line, end_column)) = locate_span(&text, path, span);
                let pos = Pos {
                    line,
                    column,
                    end_line,
                    end_column,
                };
                report.at(&args.file, pos)
            }
            None => located(report, &args.file, &text, path),
        };
        shell.report(&report);
    }
    let failed = imported
        .diagnostics
        .iter()
        .any(|d| d.level == ecsdef_model::rules::Level::Error);
    match &args.out {
        None => shell.data(&imported.source),
        Some(out) => {
            if let Err(message) = write_out(out, &imported.source) {
                shell.error(message);
                return USAGE_OR_IO;
            }
            shell.status("Wrote", out.display());
        }
    }
    if failed { FAILURE } else { SUCCESS }
}

/// `report` at the line and column of the JSON path `path` in `text`, the file `file`.
fn located(report: Report, file: &Path, text: &str, path: &str) -> Report {
    let (line, column) = locate(text, path);
    report.at(file, Pos::point(line, column))
}

/// Writes `source` to `out`, unless `out` holds something `import` did not write.
fn write_out(out: &Path, source: &str) -> Result<(), String> {
    if let Ok(meta) = std::fs::metadata(out)
        && !meta.is_file()
    {
        return Err(format!(
            "not writing `{}`: it is not a regular file",
            out.display()
        ));
    }
    match std::fs::read(out) {
        Ok(existing) => {
            let ours = existing.starts_with(HEADER.as_bytes());
            if !existing.is_empty() && !ours {
                return Err(format!(
                    "not writing `{}`: it exists, and `cargo ecsdef import` did not write it (it does not begin with the line `import` writes first); remove it or give another path",
                    out.display()
                ));
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(format!("cannot read `{}`: {error}", out.display())),
    }
    std::fs::write(out, source)
        .map_err(|error| format!("cannot write `{}`: {error}", out.display()))
}
