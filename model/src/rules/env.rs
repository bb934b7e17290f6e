//! Environment and secrets rules.

use super::{ContainerContext, Context, Diagnostic};
use crate::TaskDefinition;

pub(super) fn check(td: &TaskDefinition, cx: &Context, out: &mut Vec<Diagnostic>) {
    let _ = (td, cx, out);
}

/// The variable name of the environment or secrets entry at a JSON path of this container.
pub(super) fn variable_at(path: &str, container: &ContainerContext) -> Option<String> {
    let _ = (path, container);
    None
}
