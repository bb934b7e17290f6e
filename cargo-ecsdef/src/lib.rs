//! `cargo ecsdef` as a library: discovery of declarations in a workspace, for the CLI and its tests.

pub mod discover;
