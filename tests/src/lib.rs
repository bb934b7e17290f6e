//! Workspace-level tests of ecsdef live in `tests/`. This library only makes the README's
//! examples doctests, so the README cannot show code that does not compile or run.

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
