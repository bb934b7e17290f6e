//! `cargo ecsdef` as a library: discovery of declarations in a workspace, their analysis with
//! the derives' own front end, the export of deployable files, and the command line on top.
//!
//! The modules, from the top:
//!
//! - the command line: [`cli`] parses it, [`commands`] runs each verb (one file per verb),
//!   [`shell`] prints status lines, diagnostics and data;
//! - the work the verbs call: [`export`] renders and writes each task's files in the
//!   [`formats`] (one file per format), [`import`] turns a task definition JSON into Rust,
//!   [`analysis`] checks every declaration found; `aws` (feature `aws`) asks the live account
//!   for `verify`, `diff` and `register`;
//! - beneath them: [`discover`] finds the declarations, [`timings`] marks the phases of a run,
//!   and `parallel` shares a phase's items among the cores.

pub mod analysis;
#[cfg(feature = "aws")]
pub mod aws;
pub mod cli;
pub mod commands;
pub mod discover;
pub mod export;
pub mod formats;
pub mod import;
pub mod lint;
mod parallel;
pub mod shell;
pub mod timings;

pub use parallel::leave_to_exit;
