//! Workspace-level tests of ecsdef live in `tests/`; this library is empty.
