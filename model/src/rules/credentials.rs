//! Private registry authentication and the ARNs around it.

use super::{Context, Diagnostic};
use crate::TaskDefinition;

pub(super) fn check(td: &TaskDefinition, cx: &Context, out: &mut Vec<Diagnostic>) {
    let _ = (td, cx, out);
}
