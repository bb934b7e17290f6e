//! The verbs of `cargo ecsdef`, one file each, as cargo lays out its commands: each holds its
//! arguments and an `exec` that runs it on a [`Shell`](crate::shell::Shell) and returns the
//! exit code, calling the library modules where the work is ([`crate::export`],
//! [`crate::import`], [`crate::analysis`]). [`common`] holds what several verbs share.
//!
//! A new verb is a file here, its `mod` line, and its variant of [`Command`] with an arm in
//! each of `Command`'s two matches.

pub mod check;
pub mod common;
#[cfg(feature = "aws")]
pub mod diff;
pub mod explain;
pub mod export;
pub mod import;
pub mod list;
pub mod policy;
#[cfg(feature = "aws")]
pub mod register;
#[cfg(feature = "aws")]
pub mod verify;

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
    /// Check what each task definition needs in the live AWS account; read-only.
    #[cfg(feature = "aws")]
    #[command(after_help = verify::AWS_EXIT_CODES)]
    Verify(verify::VerifyArgs),
    /// Show how each registered task definition differs from what `export` would write.
    #[cfg(feature = "aws")]
    #[command(after_help = verify::AWS_EXIT_CODES)]
    Diff(diff::DiffArgs),
    /// Register a new revision of each task definition that has drifted.
    #[cfg(feature = "aws")]
    #[command(after_help = verify::AWS_EXIT_CODES)]
    Register(register::RegisterArgs),
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
            #[cfg(feature = "aws")]
            Command::Verify(args) => &args.common.output,
            #[cfg(feature = "aws")]
            Command::Diff(args) => &args.common.output,
            #[cfg(feature = "aws")]
            Command::Register(args) => &args.common.output,
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
            #[cfg(feature = "aws")]
            Command::Verify(args) => verify::exec(&mut shell, args),
            #[cfg(feature = "aws")]
            Command::Diff(args) => diff::exec(&mut shell, args),
            #[cfg(feature = "aws")]
            Command::Register(args) => register::exec(&mut shell, args),
        }
    }
}
