//! The derives of ecsdef. Use them through the `ecsdef` crate, which re-exports them.
