//! `cargo ecsdef`: find every ecsdef declaration in a workspace and export deployable files.

fn main() {}
