//! Declare a service's Amazon ECS task definition in Rust, checked by the compiler.

pub use ecsdef_model as model;
