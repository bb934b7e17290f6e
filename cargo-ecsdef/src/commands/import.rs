//! `cargo ecsdef import FILE`: Rust declarations equivalent to an existing task definition
//! JSON, from [`crate::import`]. It reads no workspace, so it takes no package selection.

use std::path::PathBuf;

use clap::Args;

use super::common::{FAILURE, Output, SUCCESS, USAGE_OR_IO};
use crate::shell::Shell;

/// `cargo ecsdef import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// A task definition JSON: `RegisterTaskDefinition` input or `describe-task-definition`
    /// output.
    pub file: PathBuf,
    #[command(flatten)]
    pub output: Output,
}

/// Runs `import`; returns the exit code.
pub fn exec(shell: &Shell, args: &ImportArgs) -> u8 {
    let text = match crate::discover::read_input_file(&args.file) {
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
