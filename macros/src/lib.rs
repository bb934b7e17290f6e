//! The derives of ecsdef: `#[derive(Container)]` and `#[derive(TaskDefinition)]`.
//!
//! Use them through the `ecsdef` crate, which re-exports them next to the traits they
//! implement. This crate is thin: the `ecsdef-syntax` front end parses and checks, the rule
//! engine of `ecsdef-model` judges, and this crate turns the result into an impl or into
//! compile errors on the literals that are wrong.

mod expand;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Declares a container of an ECS task definition. See the `ecsdef` crate's documentation.
#[proc_macro_derive(Container, attributes(ecs))]
pub fn derive_container(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::container(&input).into()
}

/// Declares an ECS task definition whose fields are its containers. See the `ecsdef` crate's
/// documentation.
#[proc_macro_derive(TaskDefinition, attributes(ecs))]
pub fn derive_task_definition(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::task(&input).into()
}
