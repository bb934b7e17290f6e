//! The Amazon ECS task-definition model of ecsdef, and everything that works on it without
//! knowing where a definition came from.
//!
//! - [`TaskDefinition`] and [`ContainerDefinition`] (with every other shape reachable from
//!   ECS's `RegisterTaskDefinitionRequest`) are generated from AWS's own API model, with AWS's
//!   wire names, member order, enums and documentation.
//! - [`partition`], [`arn`], [`image`] and [`placeholder`] are the typed values the rules
//!   reason about: partitions and regions, ARNs of the kinds a task definition holds, Docker
//!   image references, and `${NAME}` deploy-time placeholders.
//!
//! This crate knows nothing of `syn`: the derives, the CLI and the runtime all call into it.

pub mod arn;
pub mod image;
pub mod partition;
pub mod placeholder;
