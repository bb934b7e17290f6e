//! The `#[ecs(...)]` attribute front end shared by the ecsdef derives and `cargo ecsdef`.
//!
//! [`parse_container`] and [`parse_task`] turn a `syn::DeriveInput` into the model it declares
//! plus a span for every value, collecting every mistake (unknown keys with "did you mean",
//! duplicates, non-literal values, wrong literal kinds, missing required keys) rather than
//! stopping at the first; every key is described once, in [`keys::KEYS`].
//! [`check::check_container`] and [`check::check_task_attributes`] run
//! the rule engine of `ecsdef-model` on what a derive sees; [`check::assemble_task`] assembles a
//! whole task from its declarations and checks it, as `cargo ecsdef` does.
//!
//! Nothing here needs a running proc macro. The front end reads an [`Input`], which the
//! derive takes from syn's tree and `cargo ecsdef` from its own lexer's tokens (or syn's,
//! converted), whose spans are file positions: [`parse_container_input`] and [`parse_task_input`] are generic over
//! the [`Token`] they read.

pub mod ast;
mod attr;
pub mod check;
mod ctxt;
pub mod input;
pub mod keys;
pub mod meta;

pub use ast::{ContainerDecl, SpanKey, SpanMap, TaskDecl, TaskField};
pub use attr::{kebab_case, screaming_snake};
pub use ctxt::{Ctxt, SpannedDiagnostic};
pub use input::{Input, Token};

/// A container declaration, or every mistake in it.
///
/// When the attributes have errors, the rule engine's findings on what they did say are
/// reported with them (those that land on a literal or key the user wrote), so one build shows
/// the attribute mistakes and the deployment mistakes together.
pub fn parse_container(input: &syn::DeriveInput) -> Result<ContainerDecl, Vec<SpannedDiagnostic>> {
    parse_container_input(&Input::from_syn(input))
}

/// [`parse_container`] of an [`Input`] read by any lexer.
pub fn parse_container_input<T: Token>(
    input: &Input<T>,
) -> Result<ContainerDecl<T::Span>, Vec<SpannedDiagnostic<T::Span>>> {
    let cx = Ctxt::new();
    let decl = attr::container(input, &cx);
    let mut errors = cx.finish();
    if errors.is_empty() {
        Ok(decl)
    } else {
        errors.extend(check::check_container_placed(&decl));
        Err(errors)
    }
}

/// A task declaration, or every mistake in it.
///
/// As for containers, the rule engine's findings on the task's own attributes come with the
/// attribute errors.
pub fn parse_task(input: &syn::DeriveInput) -> Result<TaskDecl, Vec<SpannedDiagnostic>> {
    parse_task_input(&Input::from_syn(input))
}

/// [`parse_task`] of an [`Input`] read by any lexer.
pub fn parse_task_input<T: Token>(
    input: &Input<T>,
) -> Result<TaskDecl<T::Span>, Vec<SpannedDiagnostic<T::Span>>> {
    let cx = Ctxt::new();
    let decl = attr::task(input, &cx);
    let mut errors = cx.finish();
    if errors.is_empty() {
        Ok(decl)
    } else {
        errors.extend(check::check_task_attributes_placed(&decl));
        Err(errors)
    }
}
