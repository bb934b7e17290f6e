//! The rule engine: every check of ecsdef, as code over the model and a small [`Context`].
//!
//! One entry point, [`check`], runs every rule. The derives (at compile time), `cargo ecsdef`
//! and the runtime's `validate()` call exactly this code, so a definition gets the same verdict
//! wherever it is checked. Each [`Diagnostic`] names its rule, level, message, help line and
//! AWS documentation link, and where it is: a JSON path into the task definition such as
//! `containerDefinitions[1].repositoryCredentials.credentialsParameter`, a value of the
//! context (a container's `kms_key`), or a Rust field of a container struct.
//!
//! Each rule is a [`Rule`] constant beside its check: the value-syntax rules beside their
//! parsers (`placeholder`, `partition`, `arn`, `image`), the others in this module's files,
//! by area (`credentials`, `env`, `task`; `facts` for those that need the whole task, with
//! `whole` reporting them; the `extra` JSON rules here, in `EXTRA_RULES`). `sizes` holds the
//! task sizes the rules read (AWS's cpu and memory strings, Fargate's table) and no rule. Each
//! area lists its rules, and [`RULES`] puts the lists together for `cargo ecsdef explain` and
//! the `allow` check, in the order of each rule's [`Rule::order`]: no list names every rule,
//! so a rule is added where it is checked, and `explain`'s test builds its listing from
//! [`RULES`].
//!
//! Where a new rule goes (its descriptor takes a free [`Rule::order`] number of its topic):
//!
//! - **A rule on one container** (or on the task's own members): its area file gets the
//!   descriptor (added to the area's `RULES`), the check, and a case in the area's `cases()`
//!   (a mistake that triggers it, a close input that does not; `cases.rs` runs them all and
//!   fails on a rule without one). An error also gets a UI case,
//!   `tests/ui/<rule>/<case>.rs` and its blessed `.stderr`: 3 files.
//! - **A rule that needs the whole task**: `facts.rs` gets the descriptor (in its `RULES`),
//!   its `const fn` predicate over the facts, a `const fn` writing its [`facts::Words`] (called
//!   by `container_problem` for the derive and by `whole.rs` for the engine), its case, and
//!   any fact it needs: a member of
//!   `ContainerFacts` (or `TaskFacts`) that `ContainerSummary::of_parsed` computes and
//!   `rust_expr` writes out for the derive. A fact of a member a task's field may set
//!   (`essential`, `cpu`, `memory`, `memory_reservation`: `FieldOverrides` in `assemble.rs`)
//!   is also a member of `FieldFacts`, read by `FieldFacts::of` and put in place by
//!   `ContainerFacts::with_field`, which `of_parsed`, the derive and a reused verdict all
//!   apply. `whole.rs` reports the rule at run time at the exact member, with the same words;
//!   and a UI case, `.rs` and `.stderr`: 4 files.
//! - **A value-syntax rule**: the parser's file gets the descriptor (in its `RULES`); the
//!   engine area that parses the value reports it (`Diagnostic::from_value_error`) and holds
//!   its case.

#[cfg(test)]
mod cases;
mod credentials;
mod env;
pub mod facts;
#[cfg(feature = "files")]
mod file_help;
mod foreign;
mod sizes;
mod task;
mod whole;

use std::borrow::Cow;
use std::fmt;

pub use crate::context::{ContainerContext, Context, FieldInfo, FieldType, FieldValue};
pub use crate::rule::{Level, Quote, Rule, Scope};
pub use env::{ENV_VALUE_TYPE, PLAINTEXT_SECRET_IN_ENV, may_hold_secret, variable_at};
pub use facts::NO_ESSENTIAL_CONTAINER;
pub use foreign::{Rewritten, rewrite_foreign_placeholders};
pub use sizes::{FARGATE_SIZES, parse_task_cpu, parse_task_memory, valid_fargate_memories};
pub use task::{
    CONTAINER_NAME, FAMILY_MAX_LEN, FAMILY_SUFFIX_MAX_LEN, FILE_NAME_MAX, MAX_CONTAINERS, MAX_TAGS,
    TAGS, TEMPORARY_NAME_EXTRA_LEN, TOO_MANY_CONTAINERS, check_container_count, is_valid_family,
};

use crate::placeholder::ValueError;
use crate::rule::aws_docs;
use crate::{ContainerDefinition, TaskDefinition};

/// Every rule, in the order `cargo ecsdef explain` lists them ([`Rule::order`]): each area's
/// list, put together and sorted at compile time.
pub static RULES: &[&Rule] = &sorted_by_order::<RULE_COUNT>(AREAS);

/// Each area's rules: the value parsers' and the engine's.
const AREAS: &[&[&Rule]] = &[
    crate::placeholder::RULES,
    crate::partition::RULES,
    crate::arn::RULES,
    crate::image::RULES,
    credentials::RULES,
    env::RULES,
    task::RULES,
    facts::RULES,
    EXTRA_RULES,
];

const RULE_COUNT: usize = {
    let mut count = 0;
    let mut i = 0;
    while i < AREAS.len() {
        count += AREAS[i].len();
        i += 1;
    }
    count
};

/// The rules of `areas`, one list, by [`Rule::order`].
const fn sorted_by_order<const N: usize>(areas: &[&[&'static Rule]]) -> [&'static Rule; N] {
    // Any rule fills the array to begin with: every slot is overwritten below.
    let mut out: [&Rule; N] = [&EXTRA_TYPE; N];
    let mut n = 0;
    let mut a = 0;
    while a < areas.len() {
        let mut r = 0;
        while r < areas[a].len() {
            // Insertion: shift the greater ones up by one.
            let rule = areas[a][r];
            let mut at = n;
            while at > 0 && out[at - 1].order > rule.order {
                out[at] = out[at - 1];
                at -= 1;
            }
            out[at] = rule;
            n += 1;
            r += 1;
        }
        a += 1;
    }
    out
}

/// The rule named `name`.
pub fn rule_info(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}

/// Where a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// A JSON path into the task definition, e.g. `containerDefinitions[0].image`; the empty
    /// path is the task definition as a whole.
    Json(String),
    /// A value of the [`Context`], which the task JSON does not hold: `key` is the attribute
    /// name (`region`, `platform_version`, `agent_version`, `kms_key`), with the container's
    /// index for container-level values.
    Context {
        /// The container, for a container-level value.
        container: Option<usize>,
        /// The attribute key.
        key: &'static str,
    },
    /// A field of a container's Rust struct.
    Field {
        /// The container's index in `containerDefinitions`.
        container: usize,
        /// The Rust field name.
        field: String,
    },
}

impl Location {
    /// The container this location is in, if any.
    pub fn container(&self) -> Option<usize> {
        match self {
            Location::Json(path) => path
                .strip_prefix("containerDefinitions[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|i| i.parse().ok()),
            Location::Context { container, .. } => *container,
            Location::Field { container, .. } => Some(*container),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Json(path) if path.is_empty() => f.write_str("the task definition"),
            Location::Json(path) => f.write_str(path),
            Location::Context {
                container: Some(i),
                key,
            } => {
                write!(f, "containerDefinitions[{i}] (`{key}`)")
            }
            Location::Context {
                container: None,
                key,
            } => write!(f, "`{key}`"),
            Location::Field { container, field } => {
                write!(f, "containerDefinitions[{container}] (field `{field}`)")
            }
        }
    }
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: &'static Rule,
    /// Error or warning: the rule's level.
    pub level: Level,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Where.
    pub location: Location,
    /// The byte range of the offending part within the value at `location`, where a parser
    /// could tell (the account segment of an ARN, say); the CLI underlines just that part.
    pub span: Option<std::ops::Range<usize>>,
    /// Whether `#[ecs(allow(rule))]` may silence it: every warning, and the name test of
    /// `plaintext-secret-in-env`.
    pub silenceable: bool,
}

impl Diagnostic {
    /// The same finding about container 0, told of container `i`.
    fn moved_to(mut self, i: usize) -> Self {
        match &mut self.location {
            Location::Json(path) => {
                if let Some(rest) = path.strip_prefix("containerDefinitions[0]") {
                    *path = format!("containerDefinitions[{i}]{rest}");
                }
            }
            Location::Context {
                container: Some(container),
                ..
            }
            | Location::Field { container, .. } => *container = i,
            Location::Context {
                container: None, ..
            } => {}
        }
        self
    }

    /// A diagnostic of `rule`, at its level.
    pub fn new(
        rule: &'static Rule,
        location: Location,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let level = rule.level;
        Diagnostic {
            rule,
            level,
            message: message.into(),
            help: help.into(),
            location,
            span: None,
            silenceable: level == Level::Warning,
        }
    }

    /// A diagnostic from a parser's error about the value at `location`, whose own rule is
    /// `rule_of_value`: the error's rule when the parser named one, `rule_of_value` when it
    /// did not (a malformed ARN as such, say).
    pub fn from_value_error(
        error: ValueError,
        rule_of_value: &'static Rule,
        location: Location,
    ) -> Self {
        let rule = error.rule.unwrap_or(rule_of_value);
        let mut d = Diagnostic::new(rule, location, error.message, error.expected);
        d.span = Some(error.span);
        d
    }

    /// The AWS documentation page of the rule.
    pub fn link(&self) -> &'static str {
        self.rule.link
    }

    /// The JSON path, when the location is one.
    pub fn json_path(&self) -> Option<&str> {
        match &self.location {
            Location::Json(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} at {}\n  = help: {} (rule: {})",
            self.level, self.message, self.location, self.help, self.rule
        )
    }
}

/// Every diagnostic of one check, in a stable order: by location, then rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.level == Level::Error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.level == Level::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.level == Level::Warning)
    }

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The diagnostics of the rule named `rule`.
    pub fn of_rule<'a>(&'a self, rule: &'a str) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.0.iter().filter(move |d| d.rule.name == rule)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Runs every rule over a task definition. The result is sorted by location and rule, with
/// what the context's `allow` lists silence removed.
pub fn check(definition: &TaskDefinition, context: &Context) -> Diagnostics {
    check_reusing(definition, context, &[])
}

/// [`check`], taking each container's own findings and facts from `verdicts[i]` when it
/// judged that container as it stands in this task (but for what a task field may set on it:
/// see [`ContainerVerdict`]), instead of judging the container again: a container declaration
/// used by many tasks is judged once. A verdict that does not hold (the task changed the
/// container's memory, say) is ignored. The result is [`check`]'s, always.
pub fn check_reusing(
    definition: &TaskDefinition,
    context: &Context,
    verdicts: &[Option<Judged<'_>>],
) -> Diagnostics {
    run(definition, context, verdicts, true)
}

/// [`check`] without the rules that relate a container to the rest of its task (its other
/// containers, the task's roles, sizes, launch type, network mode and platform version: the
/// `const fn` predicates of the derives' compile-time task checks). What a container
/// declaration is judged by on its own, in a task of that container alone: there those rules
/// find nothing the declaration could act on, and they cost a third of the check.
pub fn check_local(definition: &TaskDefinition, context: &Context) -> Diagnostics {
    check_local_reusing(definition, context, &[])
}

/// [`check_local`], reusing verdicts as [`check_reusing`] does.
pub fn check_local_reusing(
    definition: &TaskDefinition,
    context: &Context,
    verdicts: &[Option<Judged<'_>>],
) -> Diagnostics {
    run(definition, context, verdicts, false)
}

/// The task's own rules, each container's, and (`whole`) the rules relating them.
fn run(
    definition: &TaskDefinition,
    context: &Context,
    verdicts: &[Option<Judged<'_>>],
    whole: bool,
) -> Diagnostics {
    let no_context = ContainerContext::default();
    // Whether each verdict holds, asked once: the masked task is the definition itself when
    // the verdicts found nothing to mask.
    let holds: Vec<bool> = definition
        .container_definitions
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cx = context.containers.get(i).unwrap_or(&no_context);
            verdicts
                .get(i)
                .copied()
                .flatten()
                .is_some_and(|judged| judged.holds_for(c, cx))
        })
        .collect();
    let (definition, foreign) = foreign::mask_task_knowing(definition, |i| {
        holds[i]
            && verdicts
                .get(i)
                .copied()
                .flatten()
                .is_some_and(|judged| judged.verdict.masks_nothing)
    });
    let holds = match definition {
        Cow::Borrowed(_) => Some(holds),
        Cow::Owned(_) => None,
    };
    let definition = &*definition;
    let mut out = Vec::new();
    task::check_task(definition, &mut out);
    credentials::check_task(definition, context, &mut out);
    let summaries = containers(
        definition,
        context,
        verdicts,
        holds.as_deref(),
        whole,
        &mut out,
    );
    if whole {
        whole::check(definition, context, &summaries, &mut out);
    }
    foreign.apply(&mut out);
    finish(out, &context.allow, &context.containers, &|path| {
        env::variable_at(definition, path)
    })
}

/// The name a container without one is judged by alone: in a task, the task's field names it.
const NAME_ALONE: &str = "container";

/// What a container declaration is judged by on its own (what `#[derive(Container)]`
/// reports): [`check_local`] of a task that holds `definition` alone (named `container` when
/// it has no name, as a task's field names it) in a context that holds `context` alone, the
/// findings of [`Scope::Container`] rules at that container. The rules that need the rest of
/// a task report nothing there the declaration could act on.
pub fn check_container_alone(
    definition: &ContainerDefinition,
    context: &ContainerContext,
) -> Diagnostics {
    let mut container = definition.clone();
    container.name.get_or_insert_with(|| NAME_ALONE.to_owned());
    let task = TaskDefinition {
        family: "probe".to_owned(),
        container_definitions: vec![container],
        ..TaskDefinition::default()
    };
    let context = Context {
        containers: vec![context.clone()],
        ..Context::default()
    };
    let mut found = check_local(&task, &context);
    found.0.retain(is_about_the_container_alone);
    found
}

/// Whether a finding of [`check_container_alone`]'s task is one it reports.
fn is_about_the_container_alone(d: &Diagnostic) -> bool {
    d.location.container() == Some(0) && d.rule.scope == Scope::Container
}

/// Each container's own findings, from its verdict when one holds, and (`with_facts`) its
/// facts. `holds[i]`, when given, is whether `verdicts[i]` holds for container `i`.
fn containers(
    definition: &TaskDefinition,
    context: &Context,
    verdicts: &[Option<Judged<'_>>],
    holds: Option<&[bool]>,
    with_facts: bool,
    out: &mut Vec<Diagnostic>,
) -> Vec<facts::ContainerSummary> {
    let no_context = ContainerContext::default();
    let mut summaries = Vec::with_capacity(definition.container_definitions.len());
    for (i, c) in definition.container_definitions.iter().enumerate() {
        let cx = context.containers.get(i).unwrap_or(&no_context);
        task::check_container_name(i, c, out);
        let holding = |judged: &Judged<'_>| match holds {
            Some(holds) => holds[i],
            None => judged.holds_for(c, cx),
        };
        match verdicts.get(i).copied().flatten() {
            Some(judged) if holding(&judged) => {
                out.extend(
                    judged
                        .verdict
                        .findings
                        .iter()
                        .map(|d| d.clone().moved_to(i)),
                );
                if with_facts {
                    summaries.push(judged.verdict.summary_of(c));
                }
            }
            _ => {
                let value_froms = parse_value_froms(c);
                container_rules(i, c, cx, &value_froms, out);
                if with_facts {
                    summaries.push(facts::ContainerSummary::of_parsed(c, cx, &value_froms));
                }
            }
        }
    }
    summaries
}

/// The rules that judge container `i` by itself, but for its name.
fn container_rules(
    i: usize,
    c: &ContainerDefinition,
    cx: &ContainerContext,
    value_froms: &ValueFroms,
    out: &mut Vec<Diagnostic>,
) {
    task::check_container(i, c, out);
    credentials::check_container(i, c, cx, value_froms, out);
    env::check_container(i, c, cx, out);
}

/// A container's `valueFrom` references (see [`crate::value_froms`]), each parsed once: the
/// credentials rules and the container's facts both read them.
pub(crate) type ValueFroms = Vec<(
    &'static str,
    usize,
    Result<crate::arn::SecretValueFrom, ValueError>,
)>;

/// Parses every `valueFrom` of `c`, with its list and index.
pub(crate) fn parse_value_froms(c: &ContainerDefinition) -> ValueFroms {
    crate::value_froms(c)
        .map(|(member, j, secret)| {
            (
                member,
                j,
                crate::arn::SecretValueFrom::parse(&secret.value_from),
            )
        })
        .collect()
}

/// A container judged by itself: the findings of the rules that look at one container alone
/// (its image, credentials, secrets, KMS key, environment, logs and health check: every one
/// but `container-name`), before any `allow` list, and its facts for the whole-task rules.
/// [`check_reusing`] takes them instead of judging the container again in each task that holds
/// it: a container declaration is judged once, however many tasks use it.
///
/// A verdict holds for the container whatever a task's field sets on it (`name`, `essential`,
/// `cpu`, `memory`, `memory_reservation`, `depends_on`): the rules it holds do not read those
/// members, and the facts that do are taken from the task's container.
///
/// A verdict keeps no copy of what it judged: it is handed to [`check_reusing`] with the
/// container and context it was made of ([`Judged`]), which its caller keeps anyway: a copy
/// in each verdict would be a large share of what `cargo ecsdef` keeps of a workspace.
#[derive(Debug, Clone)]
pub struct ContainerVerdict {
    /// As found at index 0.
    findings: Vec<Diagnostic>,
    /// Its facts, from the same parse of its values as the findings. Of the context they read
    /// only `kms_key`, which [`Judged::holds_for`] requires to be the task's.
    summary: facts::ContainerSummary,
    /// Whether masking the container found nothing: no value holds a placeholder of another
    /// tool or is one `${NAME}` as a whole.
    masks_nothing: bool,
}

impl ContainerVerdict {
    /// Judges `definition` in `context` (its `allow` list is applied later, by the check that
    /// uses the verdict).
    pub fn of(definition: &ContainerDefinition, context: &ContainerContext) -> Self {
        let (definition, foreign) = foreign::mask_container(definition);
        Self::of_masked(&masked(definition.into_owned()), context, foreign)
    }

    /// [`ContainerVerdict::of`] without copying the container: the members a task's field may
    /// set are taken out of `definition` while it is judged, and put back. `definition` is
    /// as it was when this returns. (A copy costs about as much as a tenth of the judgement,
    /// for each of a workspace's containers.)
    pub fn of_mut(definition: &mut ContainerDefinition, context: &ContainerContext) -> Self {
        let (masked_copy, foreign) = match foreign::mask_container(definition) {
            // A placeholder of another tool was masked: judged on that copy.
            (Cow::Owned(copy), foreign) => (Some(masked(copy)), foreign),
            (Cow::Borrowed(_), foreign) => (None, foreign),
        };
        if let Some(copy) = masked_copy {
            return Self::of_masked(&copy, context, foreign);
        }
        let members = TaskMembers::take(definition);
        let verdict = Self::of_masked(definition, context, foreign);
        members.put_back(definition);
        verdict
    }

    /// The verdict of a container whose task members are masked, and what masking its
    /// placeholders found.
    fn of_masked(
        masked: &ContainerDefinition,
        context: &ContainerContext,
        foreign: foreign::Masked,
    ) -> Self {
        let masks_nothing = foreign.is_empty();
        let mut findings = Vec::new();
        let value_froms = parse_value_froms(masked);
        container_rules(0, masked, context, &value_froms, &mut findings);
        foreign.apply(&mut findings);
        let summary = facts::ContainerSummary::of_parsed(masked, context, &value_froms);
        ContainerVerdict {
            findings,
            summary,
            masks_nothing,
        }
    }

    /// [`check_container_alone`] of the `definition` and `context` this verdict was made of,
    /// from the verdict's findings: only the container's name is judged again.
    pub fn findings_alone(
        &self,
        definition: &ContainerDefinition,
        context: &ContainerContext,
    ) -> Diagnostics {
        if definition.name.is_none()
            && self
                .findings
                .iter()
                .any(|d| *d.rule == crate::placeholder::FOREIGN_PLACEHOLDER)
        {
            // An empty image's placeholder is named after its container, which the verdict
            // judged without a name.
            return check_container_alone(definition, context);
        }
        let mut out = Vec::with_capacity(self.findings.len());
        // The name as the task of the container alone masks it: what the rules find at a
        // name that holds a placeholder is dropped.
        if let Some(name) = &definition.name
            && !foreign::masks_container_name(name)
        {
            task::check_container_name(0, definition, &mut out);
        }
        out.extend(
            self.findings
                .iter()
                .filter(|d| is_about_the_container_alone(d))
                .cloned(),
        );
        // An `allow` of an environment entry's field finds the entry by its name as masked.
        let variable_at = |path: &str| {
            let (masked, _) = foreign::mask_container(definition);
            let task = TaskDefinition {
                container_definitions: vec![masked.into_owned()],
                ..TaskDefinition::default()
            };
            env::variable_at(&task, path)
        };
        finish(out, &[], std::slice::from_ref(context), &variable_at)
    }

    /// The facts of `definition`, for which this verdict holds.
    pub(crate) fn summary_of(&self, definition: &ContainerDefinition) -> facts::ContainerSummary {
        self.summary.clone().with_members_of(definition)
    }
}

/// A [`ContainerVerdict`] with the container and the context it judged: what
/// [`check_reusing`] takes in place of judging a container again.
#[derive(Debug, Clone, Copy)]
pub struct Judged<'a> {
    /// The container the verdict was made of ([`ContainerVerdict::of`]).
    pub definition: &'a ContainerDefinition,
    /// The context it was made in.
    pub context: &'a ContainerContext,
    /// The verdict.
    pub verdict: &'a ContainerVerdict,
}

impl Judged<'_> {
    /// Whether the verdict is that of `definition` in `context`, but for the members a task's
    /// field may set.
    fn holds_for(&self, definition: &ContainerDefinition, context: &ContainerContext) -> bool {
        self.context.kms_key == context.kms_key
            && self.context.fields == context.fields
            && same_but_task_members(self.definition, definition)
    }
}

/// `definition` without the members a task's field may set: what the rules of a
/// [`ContainerVerdict`] read.
fn masked(mut definition: ContainerDefinition) -> ContainerDefinition {
    drop(TaskMembers::take(&mut definition));
    definition
}

/// The members of a container a task's field may set, taken out of it.
struct TaskMembers {
    name: Option<String>,
    essential: Option<bool>,
    cpu: Option<i32>,
    memory: Option<i32>,
    memory_reservation: Option<i32>,
    depends_on: Option<Vec<crate::ContainerDependency>>,
}

impl TaskMembers {
    /// Takes them out of `definition`, leaving `None`.
    fn take(definition: &mut ContainerDefinition) -> Self {
        TaskMembers {
            name: definition.name.take(),
            essential: definition.essential.take(),
            cpu: definition.cpu.take(),
            memory: definition.memory.take(),
            memory_reservation: definition.memory_reservation.take(),
            depends_on: definition.depends_on.take(),
        }
    }

    /// Puts them back where [`TaskMembers::take`] took them from.
    fn put_back(self, definition: &mut ContainerDefinition) {
        definition.name = self.name;
        definition.essential = self.essential;
        definition.cpu = self.cpu;
        definition.memory = self.memory;
        definition.memory_reservation = self.memory_reservation;
        definition.depends_on = self.depends_on;
    }
}

/// Whether `definition` equals `judged` but for the members a task's field may set:
/// `masked(definition.clone()) == masked(judged.clone())`, without the clones (a verdict is
/// checked against every task that holds its container).
fn same_but_task_members(judged: &ContainerDefinition, definition: &ContainerDefinition) -> bool {
    // Every member is named: a member the model gains must be sorted into one list or the
    // other here before this compiles.
    let ContainerDefinition {
        name: _,
        essential: _,
        cpu: _,
        memory: _,
        memory_reservation: _,
        depends_on: _,
        image,
        repository_credentials,
        links,
        port_mappings,
        restart_policy,
        entry_point,
        command,
        environment,
        environment_files,
        mount_points,
        volumes_from,
        linux_parameters,
        secrets,
        start_timeout,
        stop_timeout,
        version_consistency,
        hostname,
        user,
        working_directory,
        disable_networking,
        privileged,
        readonly_root_filesystem,
        dns_servers,
        dns_search_domains,
        extra_hosts,
        docker_security_options,
        interactive,
        pseudo_terminal,
        docker_labels,
        ulimits,
        log_configuration,
        health_check,
        system_controls,
        resource_requirements,
        firelens_configuration,
        credential_specs,
    } = definition;
    *image == judged.image
        && *repository_credentials == judged.repository_credentials
        && *links == judged.links
        && *port_mappings == judged.port_mappings
        && *restart_policy == judged.restart_policy
        && *entry_point == judged.entry_point
        && *command == judged.command
        && *environment == judged.environment
        && *environment_files == judged.environment_files
        && *mount_points == judged.mount_points
        && *volumes_from == judged.volumes_from
        && *linux_parameters == judged.linux_parameters
        && *secrets == judged.secrets
        && *start_timeout == judged.start_timeout
        && *stop_timeout == judged.stop_timeout
        && *version_consistency == judged.version_consistency
        && *hostname == judged.hostname
        && *user == judged.user
        && *working_directory == judged.working_directory
        && *disable_networking == judged.disable_networking
        && *privileged == judged.privileged
        && *readonly_root_filesystem == judged.readonly_root_filesystem
        && *dns_servers == judged.dns_servers
        && *dns_search_domains == judged.dns_search_domains
        && *extra_hosts == judged.extra_hosts
        && *docker_security_options == judged.docker_security_options
        && *interactive == judged.interactive
        && *pseudo_terminal == judged.pseudo_terminal
        && *docker_labels == judged.docker_labels
        && *ulimits == judged.ulimits
        && *log_configuration == judged.log_configuration
        && *health_check == judged.health_check
        && *system_controls == judged.system_controls
        && *resource_requirements == judged.resource_requirements
        && *firelens_configuration == judged.firelens_configuration
        && *credential_specs == judged.credential_specs
}

/// The end of a check: what `allow` silences removed, sorted, deduplicated.
/// `allow` is the task's list, `containers` the containers' contexts, and `variable_at` the
/// variable name of the environment entry at a JSON path (see [`env::variable_at`]).
fn finish(
    mut out: Vec<Diagnostic>,
    allow: &[String],
    containers: &[ContainerContext],
    variable_at: &dyn Fn(&str) -> Option<String>,
) -> Diagnostics {
    out.retain(|d| !is_allowed(d, allow, containers, variable_at));
    out.sort_by(|a, b| {
        (location_key(&a.location), a.rule.name, &a.message).cmp(&(
            location_key(&b.location),
            b.rule.name,
            &b.message,
        ))
    });
    out.dedup();
    Diagnostics(out)
}

fn location_key(location: &Location) -> (Option<usize>, String) {
    (location.container(), location.to_string())
}

fn is_allowed(
    d: &Diagnostic,
    allow: &[String],
    containers: &[ContainerContext],
    variable_at: &dyn Fn(&str) -> Option<String>,
) -> bool {
    if !d.silenceable {
        return false;
    }
    let allows = |list: &[String]| list.iter().any(|r| r == d.rule.name);
    if allows(allow) {
        return true;
    }
    let Some(container) = d.location.container().and_then(|i| containers.get(i)) else {
        return false;
    };
    if allows(&container.allow) {
        return true;
    }
    // A field-level allow covers the field itself and the environment entry it produced.
    let field = match &d.location {
        Location::Field { field, .. } => container.fields.iter().find(|f| &f.name == field),
        Location::Json(path) => {
            variable_at(path).and_then(|var| container.fields.iter().find(|f| f.variable == var))
        }
        Location::Context { .. } => None,
    };
    field.is_some_and(|f| allows(&f.allow))
}

/// `extra` JSON with a member the model does not have.
pub const EXTRA_UNKNOWN_KEY: Rule = Rule {
    name: "extra-unknown-key",
    level: Level::Error,
    scope: Scope::Container,
    summary: "`extra` JSON with a member the model does not have",
    help: "spell the member as AWS's API reference does (camelCase), or remove it",
    link: aws_docs::CONTAINER_API,
    aws: Quote {
        text: "Container definitions are used in task definitions to describe the different containers that are launched as part of a task.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 315,
};

/// `extra` JSON with a member of the wrong type.
pub const EXTRA_TYPE: Rule = Rule {
    name: "extra-type",
    level: Level::Error,
    scope: Scope::Container,
    summary: "`extra` JSON with a member of the wrong type",
    help: "give the member the type AWS's API reference gives it",
    link: aws_docs::CONTAINER_API,
    aws: Quote {
        text: "Container definitions are used in task definitions to describe the different containers that are launched as part of a task.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
    order: 316,
};

const EXTRA_RULES: &[&Rule] = &[&EXTRA_UNKNOWN_KEY, &EXTRA_TYPE];

/// Checks an `extra` JSON object against the model shape it is merged into
/// (`ContainerDefinition` or `RegisterTaskDefinitionRequest`): unknown keys
/// (`extra-unknown-key`, with a "did you mean") and wrong types (`extra-type`). `location`
/// is where the `extra` literal is; each diagnostic's message names the JSON path inside it.
pub fn check_extra(
    extra: &crate::tree::Value,
    shape: &str,
    location: &Location,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    crate::json::check_value(extra, shape, "", false, &mut errors);
    errors
        .into_iter()
        // `extra` is merged into a definition the attributes already hold: its own top level
        // need not repeat the shape's required members (`family`, `containerDefinitions`).
        // Required members of objects inside it still count.
        .filter(|e| !(e.path.is_empty() && e.message.starts_with("missing required member")))
        .map(|e| {
            let rule = if e.message.starts_with("unknown member") {
                &EXTRA_UNKNOWN_KEY
            } else {
                &EXTRA_TYPE
            };
            let message = if e.path.is_empty() {
                format!("`extra`: {}", e.message)
            } else {
                format!("`extra` at `{}`: {}", e.path, e.message)
            };
            let help = e.help.unwrap_or_else(|| {
                format!("see the `{shape}` shape in AWS's ECS API reference for the member's type")
            });
            Diagnostic::new(rule, location.clone(), message, help)
        })
        .collect()
}

/// `containerDefinitions[i]` + `rest`.
pub(crate) fn container_path(i: usize, rest: &str) -> Location {
    Location::Json(element_path("containerDefinitions", i, rest))
}

/// [`push_element_path`] into a new string.
pub(crate) fn element_path(list: &str, index: usize, member: &str) -> String {
    let mut path = String::with_capacity(list.len() + member.len() + 8);
    push_element_path(&mut path, list, index, member);
    path
}

/// Appends `list[index].member` to `out`, or `list[index]` for an empty `member`: the JSON path
/// of an element of a list, or of one of its members, as a [`Location::Json`] names it. A
/// front end that records where each value was written keys it by the same text, so that a
/// finding finds its place.
///
/// Written piece by piece rather than by `format!`, whose machinery costs several times more:
/// the checks of a large workspace write thousands.
pub fn push_element_path(out: &mut String, list: &str, index: usize, member: &str) {
    out.push_str(list);
    out.push('[');
    out.push_str(&index.to_string());
    out.push(']');
    if !member.is_empty() {
        out.push('.');
        out.push_str(member);
    }
}

/// Whether the task can run on Fargate (`requiresCompatibilities` holds `FARGATE`).
pub(crate) fn is_fargate(definition: &TaskDefinition) -> bool {
    definition
        .requires_compatibilities
        .as_ref()
        .is_some_and(|c| c.contains(&crate::Compatibility::Fargate))
}

/// Whether the task can run on EC2 (or external) instances, where the agent version matters.
pub(crate) fn is_ec2(definition: &TaskDefinition) -> bool {
    definition
        .requires_compatibilities
        .as_ref()
        .is_none_or(|c| {
            c.contains(&crate::Compatibility::Ec2) || c.contains(&crate::Compatibility::External)
        })
}

#[cfg(test)]
mod tests {
    use super::{AREAS, RULES, element_path, masked, push_element_path, same_but_task_members};

    /// An element's path is `list[index]`, and a member's `list[index].member`, whatever the
    /// index's digits; appended after what the string holds.
    #[test]
    fn element_paths_are_written_as_json_paths() {
        assert_eq!(
            element_path("secrets", 0, "valueFrom"),
            "secrets[0].valueFrom"
        );
        assert_eq!(element_path("portMappings", 10, ""), "portMappings[10]");
        assert_eq!(
            element_path("containerDefinitions", usize::MAX, "name"),
            format!("containerDefinitions[{}].name", usize::MAX)
        );
        let mut out = "a.".to_owned();
        push_element_path(&mut out, "b", 7, "c");
        assert_eq!(out, "a.b[7].c");
    }

    /// Every area's rules are listed once, by a unique name and a unique place.
    #[test]
    fn rules_are_listed_once_by_unique_names_and_places() {
        let count: usize = AREAS.iter().map(|area| area.len()).sum();
        assert_eq!(RULES.len(), count);
        for (i, rule) in RULES.iter().enumerate() {
            for other in &RULES[i + 1..] {
                assert_ne!(rule.name, other.name);
                assert!(rule.order < other.order, "{rule} and {other}");
            }
            assert!(!rule.summary.is_empty() && !rule.help.is_empty(), "{rule}");
            assert!(
                rule.link.starts_with("https://docs.aws.amazon.com/"),
                "{rule}"
            );
        }
    }
    use crate::{ContainerCondition, ContainerDefinition, ContainerDependency};

    /// `same_but_task_members` says what comparing masked clones says: a change to a member a
    /// task's field may set keeps the verdict, a change to any other member does not.
    #[test]
    fn a_verdict_holds_across_task_members_only() {
        let base = ContainerDefinition {
            name: Some("app".to_owned()),
            image: Some("ghcr.io/acme/app:1.4.2".to_owned()),
            cpu: Some(256),
            command: Some(vec!["serve".to_owned()]),
            user: Some("1000".to_owned()),
            docker_labels: Some([("team".to_owned(), "web".to_owned())].into()),
            ..ContainerDefinition::default()
        };
        let verdict = masked(base.clone());
        let changed = |what: &str| {
            let mut c = base.clone();
            match what {
                "name" => c.name = Some("other".to_owned()),
                "essential" => c.essential = Some(false),
                "cpu" => c.cpu = Some(512),
                "memory" => c.memory = Some(512),
                "memory_reservation" => c.memory_reservation = Some(128),
                "depends_on" => {
                    c.depends_on = Some(vec![ContainerDependency {
                        container_name: "db".to_owned(),
                        condition: ContainerCondition::Healthy,
                    }]);
                }
                "image" => c.image = Some("ghcr.io/acme/app:1.4.3".to_owned()),
                "command" => c.command = None,
                "user" => c.user = Some("0".to_owned()),
                "docker_labels" => c.docker_labels = None,
                "privileged" => c.privileged = Some(true),
                "start_timeout" => c.start_timeout = Some(30),
                "links" => c.links = Some(vec!["db".to_owned()]),
                _ => unreachable!("{what}"),
            }
            c
        };
        let task_members = [
            "name",
            "essential",
            "cpu",
            "memory",
            "memory_reservation",
            "depends_on",
        ];
        let others = [
            "image",
            "command",
            "user",
            "docker_labels",
            "privileged",
            "start_timeout",
            "links",
        ];
        assert!(same_but_task_members(&verdict, &base));
        assert!(same_but_task_members(&base, &base));
        for what in task_members.iter().chain(&others) {
            let definition = changed(what);
            let by_clone = masked(definition.clone()) == verdict;
            assert_eq!(
                same_but_task_members(&verdict, &definition),
                by_clone,
                "{what}"
            );
            // A verdict is checked against the definition it judged, not a masked copy.
            assert_eq!(
                same_but_task_members(&base, &definition),
                by_clone,
                "{what}"
            );
            assert_eq!(by_clone, task_members.contains(what), "{what}");
        }
    }
}
