//! The `#[ecs(...)]` attribute front end shared by the ecsdef derives and `cargo ecsdef`.
