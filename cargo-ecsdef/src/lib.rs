//! `cargo ecsdef` as a library: discovery of declarations in a workspace, their analysis with
//! the derives' own front end, the export of deployable files, and the command line on top.

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod discover;
pub mod export;
pub mod import;
mod parallel;
pub mod shell;
pub mod timings;
