//! Running the rule engine on a declaration and putting each finding on the literal that
//! produced it.

use ecsdef_model::TaskDefinition;
use ecsdef_model::assemble::assemble;
use ecsdef_model::rules::{self, Context, Diagnostic, Location};
use proc_macro2::Span;

use crate::ast::{ContainerDecl, SpanKey, SpanMap, TaskDecl};
use crate::ctxt::SpannedDiagnostic;

/// A rule-engine diagnostic at `span`.
pub fn spanned<S>(d: Diagnostic, span: S) -> SpannedDiagnostic<S> {
    SpannedDiagnostic {
        span,
        end: None,
        rule: Some(d.rule.name),
        level: d.level,
        message: d.message,
        help: Some(d.help),
    }
}

/// The span of a container-relative location in a container declaration.
fn container_span<S: Clone>(spans: &SpanMap<S>, relative: &str, d: &Diagnostic) -> Option<S> {
    match &d.location {
        Location::Json(_) => spans.get(SpanKey::Json(relative)),
        Location::Context { key, .. } => spans.get(SpanKey::Context(key)),
        Location::Field { field, .. } => {
            let value = if *d.rule == rules::ENV_VALUE_TYPE {
                spans.get(SpanKey::FieldValue(field))
            } else {
                None
            };
            value.or_else(|| spans.get(SpanKey::Field(field)))
        }
    }
}

/// The part of a JSON path after `containerDefinitions[i].`.
fn relative_path(path: &str) -> &str {
    match path.strip_prefix("containerDefinitions[") {
        Some(rest) => rest.split_once("].").map_or("", |(_, r)| r),
        None => path,
    }
}

/// The rule engine's findings on a container declaration by itself (what the
/// `#[derive(Container)]` reports), spanned.
///
/// `verdict`, when given, is the [`rules::ContainerVerdict`] of `decl.definition` in
/// `decl.context`: a caller that keeps it for the tasks the container is in (see
/// [`assemble_task`]) judges the container once.
pub fn check_container<S: Clone>(
    decl: &ContainerDecl<S>,
    verdict: Option<&rules::ContainerVerdict>,
) -> Vec<SpannedDiagnostic<S>> {
    container_findings(decl, false, verdict)
}

/// The findings of [`check_container`] that land on something the user wrote (a literal or a
/// key), for a declaration whose attributes also have errors: the others (a missing image, a
/// field without a value) are about what the attribute errors left out, and would repeat them.
pub(crate) fn check_container_placed<S: Clone>(
    decl: &ContainerDecl<S>,
) -> Vec<SpannedDiagnostic<S>> {
    container_findings(decl, true, None)
}

fn container_findings<S: Clone>(
    decl: &ContainerDecl<S>,
    placed_only: bool,
    verdict: Option<&rules::ContainerVerdict>,
) -> Vec<SpannedDiagnostic<S>> {
    let fallback = &decl.ident;
    // The verdict, when given, holds the container's findings: only its name is judged again.
    let found = match verdict {
        Some(verdict) => verdict.findings_alone(&decl.definition, &decl.context),
        None => rules::check_container_alone(&decl.definition, &decl.context),
    };
    found
        .into_iter()
        .filter_map(|d| {
            let relative = d
                .json_path()
                .map(relative_path)
                .unwrap_or_default()
                .to_owned();
            let placed = match d.location {
                Location::Field { .. } => None,
                Location::Json(_) if relative.is_empty() => None,
                _ => container_span(&decl.spans, &relative, &d),
            };
            if placed_only {
                return placed.map(|span| spanned(d, span));
            }
            let span =
                container_span(&decl.spans, &relative, &d).unwrap_or_else(|| fallback.clone());
            Some(spanned(d, span))
        })
        .collect()
}

/// The rule engine's findings on a task declaration's own attributes (what the
/// `#[derive(TaskDefinition)]` can see without its containers), spanned.
pub fn check_task_attributes<S: Clone>(decl: &TaskDecl<S>) -> Vec<SpannedDiagnostic<S>> {
    task_findings(decl, false)
}

/// The findings of [`check_task_attributes`] that land on something the user wrote, for a
/// declaration whose attributes also have errors (see [`check_container_placed`]).
pub(crate) fn check_task_attributes_placed<S: Clone>(
    decl: &TaskDecl<S>,
) -> Vec<SpannedDiagnostic<S>> {
    task_findings(decl, true)
}

fn task_findings<S: Clone>(decl: &TaskDecl<S>, placed_only: bool) -> Vec<SpannedDiagnostic<S>> {
    // The declaration's definition has no containers yet: how many it will have is the
    // number of its fields.
    let count = rules::check_container_count(decl.fields.len());
    rules::check(&decl.definition, &decl.context)
        .into_iter()
        .filter(|d| d.location.container().is_none() && *d.rule != rules::NO_ESSENTIAL_CONTAINER)
        .chain(count)
        .filter_map(|d| {
            let placed = match &d.location {
                Location::Json(path) if path.is_empty() => None,
                _ => task_span(decl, &d),
            };
            if placed_only {
                return placed.map(|span| spanned(d, span));
            }
            let span = task_span(decl, &d).unwrap_or_else(|| decl.ident.clone());
            Some(spanned(d, span))
        })
        .collect()
}

fn task_span<S: Clone>(decl: &TaskDecl<S>, d: &Diagnostic) -> Option<S> {
    match &d.location {
        Location::Json(path) => decl.spans.get(SpanKey::Json(path)),
        Location::Context { key, .. } => decl.spans.get(SpanKey::Context(key)),
        Location::Field { .. } => None,
    }
}

/// Which declaration a finding of an assembled task belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The task struct.
    Task,
    /// The container of the task's field at this index (its span may be in the task's field
    /// attributes or in the container's own declaration: see [`AssembledDiagnostic::in_task`]).
    Container(usize),
}

/// A finding on an assembled task.
#[derive(Debug, Clone)]
pub struct AssembledDiagnostic<S = Span> {
    /// Which container, if any.
    pub origin: Origin,
    /// Whether the span is in the task declaration (task attributes, or a task field's
    /// attributes) rather than in the container's own declaration.
    pub in_task: bool,
    /// The finding.
    pub diagnostic: SpannedDiagnostic<S>,
}

/// An assembled task: its definition, its context, and every finding of the rule engine
/// spanned on the declaration that produced it. `containers[i]` is the declaration of the
/// type of `task.fields[i]`.
#[derive(Debug, Clone)]
pub struct Assembled<S = Span> {
    /// The `RegisterTaskDefinition` input.
    pub definition: TaskDefinition,
    /// The context the rules and the policy use.
    pub context: Context,
    /// Every finding, errors and warnings.
    pub diagnostics: Vec<AssembledDiagnostic<S>>,
}

/// Assembles a task from its declaration and its containers' declarations and checks the
/// whole: what `cargo ecsdef` reports. `containers[i]` is the declaration of the type of
/// `task.fields[i]`.
///
/// Each container's own findings come from `verdicts[i]` (the [`rules::ContainerVerdict`] of
/// `containers[i]`) wherever it is given and holds: see [`rules::check_reusing`]. The result
/// is the same with or without them.
pub fn assemble_task<S: Clone>(
    task: &TaskDecl<S>,
    containers: &[&ContainerDecl<S>],
    verdicts: &[Option<&rules::ContainerVerdict>],
) -> Assembled<S> {
    let parts = task
        .fields
        .iter()
        .zip(containers)
        .map(|(field, decl)| {
            (
                field.overrides.clone(),
                decl.definition.clone(),
                decl.context.clone(),
            )
        })
        .collect();
    let (definition, context) = assemble(&task.definition, &task.context, parts);
    // Each verdict goes with the container it judged.
    let judged: Vec<Option<rules::Judged<'_>>> = verdicts
        .iter()
        .zip(containers)
        .map(|(verdict, decl)| {
            verdict.map(|verdict| rules::Judged {
                definition: &decl.definition,
                context: &decl.context,
                verdict,
            })
        })
        .collect();
    let diagnostics = rules::check_reusing(&definition, &context, &judged)
        .into_iter()
        .map(|d| match d.location.container() {
            None => {
                let span = task_span(task, &d).unwrap_or_else(|| task.ident.clone());
                AssembledDiagnostic {
                    origin: Origin::Task,
                    in_task: true,
                    diagnostic: spanned(d, span),
                }
            }
            Some(i) => {
                let relative = d
                    .json_path()
                    .map(relative_path)
                    .unwrap_or_default()
                    .to_owned();
                let field = task.fields.get(i);
                // A task field's own attributes (name, essential, depends_on) come first, and
                // task-scope rules without a more precise place point at the field.
                let in_field = field.and_then(|f| match &d.location {
                    Location::Json(_) => f
                        .spans
                        .get(SpanKey::Json(&relative))
                        .filter(|_| !relative.is_empty() && field_owned(&relative)),
                    _ => None,
                });
                if let Some(span) = in_field {
                    return AssembledDiagnostic {
                        origin: Origin::Container(i),
                        in_task: true,
                        diagnostic: spanned(d, span),
                    };
                }
                // A name nobody wrote is the field's name.
                let unnamed = relative == "name"
                    && containers
                        .get(i)
                        .is_some_and(|c| c.definition.name.is_none());
                if unnamed && let Some(span) = field.and_then(|f| f.spans.get(SpanKey::FieldName)) {
                    return AssembledDiagnostic {
                        origin: Origin::Container(i),
                        in_task: true,
                        diagnostic: spanned(d, span),
                    };
                }
                let in_container = containers
                    .get(i)
                    .and_then(|c| container_span(&c.spans, &relative, &d));
                if let Some(span) = in_container {
                    AssembledDiagnostic {
                        origin: Origin::Container(i),
                        in_task: false,
                        diagnostic: spanned(d, span),
                    }
                } else {
                    let span = field
                        .and_then(|f| f.spans.get(SpanKey::Json("")))
                        .unwrap_or_else(|| task.ident.clone());
                    AssembledDiagnostic {
                        origin: Origin::Container(i),
                        in_task: true,
                        diagnostic: spanned(d, span),
                    }
                }
            }
        })
        .collect();
    Assembled {
        definition,
        context,
        diagnostics,
    }
}

/// Members a task field's attributes set.
fn field_owned(relative: &str) -> bool {
    [
        "name",
        "essential",
        "cpu",
        "memory",
        "memoryReservation",
        "dependsOn",
    ]
    .iter()
    .any(|m| {
        relative == *m
            || relative.starts_with(&format!("{m}."))
            || relative.starts_with(&format!("{m}["))
    })
}
