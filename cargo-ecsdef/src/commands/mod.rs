//! The verbs of `cargo ecsdef`, one file each, as cargo lays out its commands: each holds its
//! arguments and an `exec` that runs it on a [`Shell`](crate::shell::Shell) and returns the
//! exit code, calling the library modules where the work is ([`crate::export`],
//! [`crate::import`], [`crate::analysis`]). [`common`] holds what several verbs share.
//!
//! A new verb is a file here, its `mod` line, and its variant of [`Command`] with an arm in
//! each of `Command`'s two matches.

pub mod check;
pub mod common;
pub mod explain;
pub mod export;
pub mod import;
pub mod list;
pub mod policy;

use clap::Subcommand;

pub use common::{EXIT_CODES, FAILURE, SUCCESS, USAGE_OR_IO};

use common::Output;

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write each task definition's deployable files to the out dir.
    #[command(after_help = EXIT_CODES)]
    Export(export::ExportArgs),
    /// Check every declaration and print diagnostics; write nothing.
    #[command(after_help = EXIT_CODES)]
    Check(check::CheckArgs),
    /// One line per task definition: package, family, containers, images, credentials.
    #[command(after_help = EXIT_CODES)]
    List(list::ListArgs),
    /// Print the execution-role policy of a family.
    #[command(after_help = EXIT_CODES)]
    Policy(policy::PolicyArgs),
    /// Print a rule's documentation; every rule without an argument.
    #[command(after_help = EXIT_CODES)]
    Explain(explain::ExplainArgs),
    /// Print Rust declarations equivalent to an existing task definition JSON.
    #[command(after_help = EXIT_CODES)]
    Import(import::ImportArgs),
}

impl Command {
    /// The output options, which every verb takes.
    pub fn output(&self) -> &Output {
        match self {
            Command::Export(args) => &args.output,
            Command::Check(args) => &args.output,
            Command::List(args) => &args.output,
            Command::Policy(args) => &args.output,
            Command::Explain(args) => &args.output,
            Command::Import(args) => &args.output,
        }
    }

    /// Runs the verb; returns the exit code.
    pub fn exec(&self) -> u8 {
        let mut shell = self.output().shell();
        if shell.sarif() && !matches!(self, Command::Check(_)) {
            shell.error("`--message-format sarif` is only for `check`: use `human` or `json`");
            return USAGE_OR_IO;
        }
        match self {
            Command::Export(args) => export::exec(&mut shell, args),
            Command::Check(args) => check::exec(&mut shell, args),
            Command::List(args) => list::exec(&mut shell, args),
            Command::Policy(args) => policy::exec(&mut shell, args),
            Command::Explain(args) => explain::exec(&shell, args),
            Command::Import(args) => import::exec(&mut shell, args),
        }
    }
}
