//! What the verbs share: the exit codes, the argument groups, and the analysis of a workspace
//! that every verb reading one starts with.

use std::fmt::Write as _;

use clap::Args;

use crate::analysis::{self, Analysis};
use crate::discover::DiscoverOptions;
use crate::shell::{ColorChoice, MessageFormat, Shell};

/// Success.
pub const SUCCESS: u8 = 0;
/// Diagnostics with errors, or `--check` drift.
pub const FAILURE: u8 = 1;
/// A usage error or an I/O failure.
pub const USAGE_OR_IO: u8 = 2;

/// The exit codes, as every `--help` ends.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success (warnings do not fail)
  1  diagnostics with errors, or `export --check` found files missing, differing, stale or
     in the way
  2  usage error, an I/O failure (unreadable manifest, unwritable out dir), or a file in the
     way that ecsdef did not write";

/// Cargo's package and feature selection, taken by the verbs that read a workspace.
#[derive(Debug, Clone, Args)]
pub struct Selection {
    #[command(flatten)]
    pub manifest: clap_cargo::Manifest,
    #[command(flatten)]
    pub workspace: clap_cargo::Workspace,
    #[command(flatten)]
    pub features: clap_cargo::Features,
}

impl Selection {
    /// What to discover.
    pub fn discover_options(&self) -> DiscoverOptions {
        DiscoverOptions {
            manifest_path: self.manifest.manifest_path.clone(),
            packages: self.workspace.package.clone(),
            workspace: self.workspace.workspace || self.workspace.all,
            exclude: self.workspace.exclude.clone(),
            features: self.features.features.clone(),
            all_features: self.features.all_features,
            no_default_features: self.features.no_default_features,
        }
    }
}

/// The output options, taken by every verb.
#[derive(Debug, Clone, Args)]
pub struct Output {
    /// Coloring: auto, always, never.
    #[arg(long, value_enum, value_name = "WHEN", env = "CARGO_TERM_COLOR", default_value_t = ColorChoice::Auto, hide_env = true, hide_default_value = true)]
    pub color: ColorChoice,
    /// No status lines and no warnings; errors and data only.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More status lines (each file written, each family checked).
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// How diagnostics are printed: `human` (like rustc, on stderr) or `json` (one object per
    /// line on stdout).
    #[arg(long, value_enum, value_name = "FMT", default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

impl Output {
    /// The shell these options ask for, showing paths relative to the current directory.
    pub fn shell(&self) -> Shell {
        let base = std::env::current_dir().unwrap_or_default();
        Shell::new(
            self.color,
            self.quiet,
            self.verbose,
            self.message_format,
            base,
        )
    }
}

/// Analyses the selected packages, shows every diagnostic, runs `then`, and combines the exit
/// codes: errors in the workspace make 1 even when `then` succeeded.
pub fn with_analysis(
    shell: &mut Shell,
    selection: &Selection,
    then: impl FnOnce(&mut Shell, &Analysis) -> u8,
) -> u8 {
    let analysis = match analysis::analyze(&selection.discover_options()) {
        Ok(analysis) => analysis,
        Err(error) => {
            shell.error(error);
            return USAGE_OR_IO;
        }
    };
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
    crate::parallel::drop_in_background(analysis);
    code
}

/// `n` and `what`, in the plural unless `n` is 1: `3 files`.
pub fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Rows as columns padded to their widest cell, two spaces apart, without trailing spaces.
pub fn table<const N: usize>(rows: &[[String; N]]) -> String {
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
