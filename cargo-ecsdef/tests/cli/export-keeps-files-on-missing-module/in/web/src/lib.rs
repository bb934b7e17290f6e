//! The tasks live in `tasks.rs`, which is not there (not yet committed, say).

mod app;
mod tasks;
