//! `cargo ecsdef export`: the files of each task definition, their bytes, and writing them to
//! the out dir safely.
//!
//! - [`render_task`] gives the files of one task (name and canonical bytes): the library
//!   entry point, also for tests comparing the CLI with the derives' `to_json()`.
//! - [`plan`] does it for every task of an [`Analysis`] and works out which files ecsdef wrote
//!   before and must now remove, and which it must leave as they are. [`plan_streamed`] does
//!   the same from tasks rendered as they were assembled ([`Setup::render`]), so that no
//!   assembled definition is kept to the end: what `check` and `export` use.
//! - [`write()`] writes a plan, each file only when its bytes change, so that a crash at any
//!   instant leaves a state the next export completes; [`check`] compares a plan with the
//!   disk and writes nothing. Both live in [`outdir`], whose documentation states what holds
//!   in the out dir at every instant.
//!
//! ecsdef removes only files it wrote itself: it lists them in [`MANIFEST`] in the out dir,
//! each with the package that declared it, and removes a listed file only when that package
//! was selected, was read in full, and no longer declares the family (or no longer produces
//! that file in the formats of this export: a format left out is dropped). A package whose files could not all be read, parsed
//! or found is not exported: its files stay as they are. ecsdef never touches a path that is
//! not a plain file name in the out dir.

pub mod outdir;
pub mod settings;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use ecsdef_model::policy::{
    PolicyError, PolicyOutcome, execution_role_policy, execution_role_policy_outcome,
};
pub use ecsdef_model::rules::is_valid_family;
use ecsdef_model::rules::{Context, Diagnostics};
use ecsdef_model::substitute::{context_has_placeholder, resolve_and_check};
use ecsdef_model::{TaskDefinition, to_canonical_json};

use crate::analysis::{Analysis, Report, Task};
use crate::formats::{self, Format, FormatError};

pub use self::outdir::{
    Drift, MANIFEST, Staged, WriteError, Written, blocked, check, write, write_staged,
};

/// One file to write: its name in the out dir and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// A plain file name, `F.json`.
    pub name: String,
    /// The canonical contents; empty in a plan that keeps only some files' bytes
    /// ([`Contents::InTheWay`]).
    pub contents: String,
}

/// Why a task's files cannot be written.
#[derive(Debug, Clone)]
pub enum TaskExportError {
    /// The family cannot be a file name (the rules reject it too).
    Family(String),
    /// Placeholders that no `--var`, vars file or environment variable gives, in order of
    /// first appearance.
    Missing(Vec<String>),
    /// The substituted values break rules.
    Invalid(Diagnostics),
    /// A secret or parameter name the policy cannot turn into an ARN.
    Policy(PolicyError),
    /// A member a requested format cannot express.
    Format(FormatError),
}

impl fmt::Display for TaskExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Family(family) => write!(f, "family `{family}` cannot be a file name"),
            Self::Missing(names) => {
                let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                write!(
                    f,
                    "no value for placeholder{} {}",
                    if names.len() == 1 { "" } else { "s" },
                    names.join(", ")
                )
            }
            Self::Invalid(diagnostics) => {
                let errors: Vec<String> = diagnostics
                    .errors()
                    .map(|d| format!("{} (at `{}`, rule `{}`)", d.message, d.location, d.rule))
                    .collect();
                write!(f, "after substituting placeholders: {}", errors.join("; "))
            }
            Self::Policy(error) => write!(
                f,
                "cannot write the execution-role policy: {}",
                policy_problems(error)
            ),
            Self::Format(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for TaskExportError {}

/// Why a policy cannot be derived, in one sentence: every problem is a secret or SSM
/// parameter named without its ARN in a task without a `region`, so the sentence is said once
/// and lists the names, by container, in the order they appear.
pub fn policy_problems(error: &PolicyError) -> String {
    let mut by_container: Vec<(String, Vec<String>)> = Vec::new();
    for problem in &error.problems {
        let container = problem
            .container_name
            .as_deref()
            .map_or_else(|| format!("#{}", problem.container), |n| format!("`{n}`"));
        let value = format!("`{}`", problem.value);
        match by_container.iter_mut().find(|(c, _)| *c == container) {
            Some((_, values)) if values.contains(&value) => {}
            Some((_, values)) => values.push(value),
            None => by_container.push((container, vec![value])),
        }
    }
    let named: Vec<String> = by_container
        .iter()
        .map(|(container, values)| format!("container {container} names {}", values.join(", ")))
        .collect();
    format!(
        "the task declares no `region`, which the policy needs to turn a secret or SSM \
         parameter name into an ARN: {}",
        named.join("; ")
    )
}

/// Whether `name` is a plain file name: one path component, not hidden, nothing to escape the
/// out dir with.
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).components().count() == 1
}

/// The files of one task definition in `formats` (in the order given, each once), with every
/// `${NAME}` placeholder substituted by `lookup` and the result checked again by the rules,
/// each value as the literal text it now is, the family included. The definition is expected
/// to be one the rules accepted (the analysis only hands over such tasks).
///
/// Each file is named after the family and the suffix its format gives it (`F.cfn.json`).
pub fn render_task(
    definition: &TaskDefinition,
    context: &Context,
    formats: &[Format],
    lookup: impl FnMut(&str) -> Option<String>,
) -> Result<Vec<ExportFile>, TaskExportError> {
    render_files(definition, context, formats, lookup, None)
}

/// [`render_task`], keeping the bytes only of the files `wanted` names (all without it): the
/// others have empty contents. When none of the `json` format's files is wanted, neither
/// the canonical JSON nor the policy's JSON is written (the format cannot fail); every other
/// format is rendered in full, since it may refuse the task. The names, and every reason the
/// task cannot be exported, are those of [`render_task`].
fn render_files(
    definition: &TaskDefinition,
    context: &Context,
    formats: &[Format],
    lookup: impl FnMut(&str) -> Option<String>,
    wanted: Option<&dyn Fn(&str) -> bool>,
) -> Result<Vec<ExportFile>, TaskExportError> {
    let want = |name: &str| wanted.is_none_or(|wanted| wanted(name));
    // Most tasks hold no placeholder: then the definition is exported as the analysis checked
    // it. A `${` in any string member shows in its canonical JSON (JSON escapes neither
    // character, and a `$` is always inside a string), which the JSON format writes anyway;
    // a plan that writes no JSON looks at the strings without writing them. Substituting
    // takes the whole definition through a `serde_json::Value` and back, about an eighth of
    // an export's work.
    let all = wanted.is_none();
    let json = all.then(|| to_canonical_json(definition));
    let holds_placeholder = match &json {
        Some(json) => json.contains("${"),
        None => ecsdef_model::json::any_string(
            definition,
            ecsdef_model::placeholder::holds_dollar_brace,
        ),
    };
    let (definition, context, json) = if holds_placeholder || context_has_placeholder(context) {
        // The rules judge the concrete values again, as the literal text they now are.
        let resolved =
            resolve_and_check(definition, context, lookup).map_err(TaskExportError::Missing)?;
        if resolved.diagnostics.has_errors() {
            return Err(TaskExportError::Invalid(resolved.diagnostics));
        }
        let json = all.then(|| to_canonical_json(&resolved.definition));
        (
            Cow::Owned(resolved.definition),
            Cow::Owned(resolved.context),
            json,
        )
    } else {
        (Cow::Borrowed(definition), Cow::Borrowed(context), json)
    };
    // The family is checked once substituted: it names the files.
    let family = &definition.family;
    if !is_valid_family(family) {
        return Err(TaskExportError::Family(family.clone()));
    }
    // The policy's document, when a file may need its bytes: every file's are kept, or a
    // format other than `json` is rendered in full (it may refuse the task). Otherwise
    // whether there is one to write, which names its file, is learnt for less, and the
    // document is made only if a `json` file turns out to be wanted.
    let document = || {
        execution_role_policy(&definition, &context)
            .map(|policy| policy.filter(|p| !p.is_empty()))
            .map_err(TaskExportError::Policy)
    };
    let rendered_in_full = all || formats.iter().any(|format| *format != Format::JSON);
    let mut policy = if rendered_in_full {
        Some(document()?)
    } else {
        None
    };
    let has_policy = match &policy {
        Some(policy) => policy.is_some(),
        None => {
            execution_role_policy_outcome(&definition, &context).map_err(TaskExportError::Policy)?
                == PolicyOutcome::Grants
        }
    };
    let mut json = json;
    let mut files = Vec::new();
    let mut done = BTreeSet::new();
    for format in formats {
        if !done.insert(*format) {
            continue;
        }
        if *format == Format::JSON && json.is_none() {
            // The `json` format's files, as it names them: the policy's only when there is
            // one.
            let suffixes =
                std::iter::once(".json").chain(has_policy.then_some(".execution-role-policy.json"));
            let names: Vec<String> = suffixes
                .map(|suffix| Format::file_name(family, suffix))
                .collect();
            if !names.iter().any(|name| want(name)) {
                files.extend(names.into_iter().map(|name| ExportFile {
                    name,
                    contents: String::new(),
                }));
                continue;
            }
        }
        let json = json.get_or_insert_with(|| to_canonical_json(&definition));
        let policy = match &mut policy {
            Some(policy) => policy,
            None => policy.insert(document()?),
        };
        let task = formats::Task {
            definition: &definition,
            json,
            policy: policy.as_ref(),
        };
        for (suffix, contents) in format.render(&task).map_err(TaskExportError::Format)? {
            debug_assert!(format.suffixes().contains(&suffix));
            let name = Format::file_name(family, suffix);
            let contents = if want(&name) { contents } else { String::new() };
            files.push(ExportFile { name, contents });
        }
    }
    Ok(files)
}

/// Where placeholder values come from, in order: `--var NAME=VALUE`, then `--vars-file`, then
/// the process environment.
#[derive(Debug, Clone, Default)]
pub struct Variables {
    /// `--var` values (the last of a name wins, as on cargo's command line).
    pub vars: BTreeMap<String, String>,
    /// The vars file's values.
    pub file: BTreeMap<String, String>,
    /// Whether to read the environment after the two.
    pub environment: bool,
    /// Whether a placeholder without a value is no finding: the task is then not rendered
    /// (`check --no-vars`, for code review without deploy-time values).
    pub unset_ok: bool,
    /// The names whose values came from the environment, so far: a command printed for the
    /// user names them rather than repeat their values.
    pub from_environment: std::sync::Arc<std::sync::Mutex<BTreeSet<String>>>,
}

impl Variables {
    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<String> {
        let (value, from_environment) = self.lookup(name);
        if from_environment {
            self.from_environment
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(name.to_owned());
        }
        value
    }

    /// The value of `name`, and whether it came from the environment, which is not noted.
    fn lookup(&self, name: &str) -> (Option<String>, bool) {
        if let Some(value) = self.vars.get(name).or_else(|| self.file.get(name)) {
            return (Some(value.clone()), false);
        }
        let value = self.environment.then(|| std::env::var(name).ok()).flatten();
        let from_environment = value.is_some();
        (value, from_environment)
    }

    /// The names whose values came from the environment, sorted.
    pub fn environment_names(&self) -> Vec<String> {
        self.from_environment
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}

/// Parses a vars file in dotenv syntax: `NAME=value` lines, `#` comments and blank lines,
/// an optional `export ` prefix, values in double quotes (with `\n`, `\"`, `\\` escapes), single
/// quotes (literal) or bare (trimmed, a ` #` starts a comment).
pub fn parse_vars_file(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut vars = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map_or(line, str::trim_start);
        let Some((name, value)) = line.split_once('=') else {
            return Err(format!("line {number}: expected `NAME=value`"));
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        {
            return Err(format!("line {number}: `{name}` is not a variable name"));
        }
        let value = value.trim();
        let value = if let Some(rest) = value.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = rest.chars();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' => match chars.next() {
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some(other) => out.push(other),
                        None => out.push('\\'),
                    },
                    c => out.push(c),
                }
            }
            if !closed {
                return Err(format!("line {number}: unterminated `\"`"));
            }
            out
        } else if let Some(rest) = value.strip_prefix('\'') {
            let Some((literal, _)) = rest.split_once('\'') else {
                return Err(format!("line {number}: unterminated `'`"));
            };
            literal.to_owned()
        } else {
            value
                .split_once(" #")
                .map_or(value, |(v, _)| v)
                .trim_end()
                .to_owned()
        };
        vars.insert(name.to_owned(), value);
    }
    Ok(vars)
}

/// Everything an export would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The files to have in the out dir, sorted by name, with the package that declares each.
    pub files: Vec<(String, ExportFile)>,
    /// Files ecsdef wrote before that must go, sorted.
    pub remove: Vec<String>,
    /// The manifest's entries after the export: file name to package.
    pub manifest: BTreeMap<String, String>,
    /// The manifest's entries before it: ecsdef wrote these files (or was about to), so it
    /// may replace them. Any other file in the way is the user's, and is never overwritten.
    pub previous: BTreeMap<String, String>,
    /// The packages not exported because their files could not all be read, sorted.
    pub kept: Vec<Kept>,
    /// How many tasks give files: rendered, and of a package read in full.
    pub ready: usize,
    /// How many tasks were not rendered because a placeholder has no value, when
    /// [`Variables::unset_ok`] allows it (`check --no-vars`).
    pub unset: usize,
    /// With [`Contents::InTheWay`], the out dir's listing the plan kept bytes by, which
    /// [`blocked`] then judges by.
    pub(crate) listed: Option<outdir::Seen>,
}

/// Which files of a [`plan`] hold their bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// Every file's: what `export` writes and compares.
    All,
    /// Only those [`blocked`] compares with the out dir: files that are there but not in the
    /// manifest (all of them when the out dir cannot be listed). The others' contents are
    /// empty. What `check` needs: every reason a task cannot be exported is still found.
    InTheWay,
}

/// A selected package that is not exported because discovery could not read, parse or find
/// all of its files: its files in the out dir are neither written, rewritten nor removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The package.
    pub package: String,
    /// Its files in the out dir (as the manifest lists them), kept as they are, sorted.
    pub files: Vec<String>,
    /// The files its tasks would add, not written, sorted.
    pub withheld: Vec<String>,
    /// Why: each file concerned, with discovery's name for the problem.
    pub problems: Vec<(PathBuf, &'static str)>,
}

impl Kept {
    /// The error that says what was kept and why (`check`: what was not compared), or
    /// nothing when the package has no file to keep or write: then discovery's errors say
    /// all there is.
    pub fn report(&self, check: bool) -> Option<Report> {
        let list = |files: &[String]| {
            let names: Vec<String> = files.iter().map(|f| format!("`{f}`")).collect();
            names.join(", ")
        };
        let what = if check {
            let mut all = self.files.clone();
            all.extend(self.withheld.iter().cloned());
            all.sort();
            if all.is_empty() {
                return None;
            }
            format!("its files are not compared: {}", list(&all))
        } else {
            match (self.files.is_empty(), self.withheld.is_empty()) {
                (true, true) => return None,
                (false, true) => format!(
                    "its files in the out dir are kept as they are, neither rewritten nor removed: {}",
                    list(&self.files)
                ),
                (true, false) => format!("its files are not written: {}", list(&self.withheld)),
                (false, false) => format!(
                    "its files in the out dir are kept as they are, neither rewritten nor removed: \
                     {}; its new files are not written: {}",
                    list(&self.files),
                    list(&self.withheld)
                ),
            }
        };
        let why: Vec<String> = self
            .problems
            .iter()
            .map(|(file, problem)| format!("{problem} in `{}`", file.display()))
            .collect();
        Some(
            Report::error(format!(
                "package `{}` is not exported, as its files could not all be read ({}): {what}",
                self.package,
                why.join(", ")
            ))
            .rule("export")
            .help("fix the errors above, then export again"),
        )
    }
}

/// The report of tasks that cannot be exported for the same reason `error`: once, at the
/// first, naming every family and (for several) where each is declared.
fn tasks_report<A>(root: &Path, tasks: &[&Task<A>], error: &str) -> Report {
    let families: Vec<String> = tasks.iter().map(|t| format!("`{}`", t.family)).collect();
    let places = if tasks.len() > 1 {
        let places: Vec<String> = tasks
            .iter()
            .map(|t| {
                let file = crate::analysis::relative(root, &t.file);
                format!("`{}` ({}:{})", t.family, file.display(), t.pos.line)
            })
            .collect();
        format!("; declared at {}", places.join(", "))
    } else {
        String::new()
    };
    let report = Report::error(format!(
        "cannot export famil{} {}: {error}{places}",
        if families.len() == 1 { "y" } else { "ies" },
        families.join(", ")
    ));
    match tasks.first() {
        Some(first) => report.at(&first.file, first.pos),
        None => report,
    }
    .rule("export")
}

/// The family a file of ecsdef's belongs to: its name up to the first `.` (families have none).
fn family_of(name: &str) -> &str {
    name.split_once('.').map_or(name, |(family, _)| family)
}

/// What rendering a task needs besides the task, and what the plan then compares with: the
/// formats, the placeholder values, and the out dir as it is (its manifest, and with
/// [`Contents::InTheWay`] its listing).
#[derive(Debug)]
pub struct Setup {
    formats: Vec<Format>,
    variables: Variables,
    previous: BTreeMap<String, String>,
    listed: Option<outdir::Seen>,
}

/// One task's files as [`Setup::render`] gives them, ready for a plan: rendered where the task
/// was assembled, so that its definition need not be kept.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The files (with [`Contents::InTheWay`], only those in the way hold their bytes), or why
    /// the task cannot be exported.
    files: Result<Vec<ExportFile>, TaskExportError>,
    /// The placeholders whose values came from the environment, which the plan adds to
    /// [`Variables::environment_names`] when it uses this task.
    environment: Vec<String>,
}

impl Setup {
    /// Reads the out dir's manifest (and with [`Contents::InTheWay`] lists the out dir).
    pub fn new(
        out_dir: &Path,
        formats: Vec<Format>,
        variables: Variables,
        contents: Contents,
    ) -> Result<Self, WriteError> {
        let previous = outdir::read_manifest(out_dir)?;
        let listed = match contents {
            Contents::All => None,
            Contents::InTheWay => Some(outdir::Seen(outdir::listing(out_dir))),
        };
        Ok(Setup {
            formats,
            variables,
            previous,
            listed,
        })
    }

    /// The files of one task, as [`plan`] renders them.
    pub fn render(&self, definition: &TaskDefinition, context: &Context) -> Rendered {
        // Keeping every file's bytes (`Contents::All`), `render_files` is given no predicate:
        // it then writes each canonical JSON once and looks for placeholders in it.
        let compared = |name: &str| {
            self.listed
                .as_ref()
                .is_some_and(|seen| outdir::compares_bytes(seen.0.as_ref(), &self.previous, name))
        };
        let wanted: Option<&dyn Fn(&str) -> bool> = self.listed.is_some().then_some(&compared);
        let mut environment = Vec::new();
        let files = render_files(
            definition,
            context,
            &self.formats,
            |name| {
                let (value, from_environment) = self.variables.lookup(name);
                if from_environment {
                    environment.push(name.to_owned());
                }
                value
            },
            wanted,
        );
        Rendered { files, environment }
    }
}

/// Renders every exportable task and works out what to remove. Returns the plan and a report
/// for each task that could not be rendered (each names the task; missing placeholders are
/// listed all at once per task), or why the out dir's manifest cannot be read.
///
/// The tasks of a package that discovery could not read in full are rendered (their
/// problems are worth knowing) but not written: the plan keeps every file the manifest lists
/// for that package as it is, even one another package now produces.
pub fn plan(
    analysis: &Analysis,
    out_dir: &Path,
    formats: &[Format],
    variables: &Variables,
    contents: Contents,
) -> Result<(Plan, Vec<Report>), WriteError> {
    let setup = Setup::new(out_dir, formats.to_vec(), variables.clone(), contents)?;
    Ok(plan_with(analysis, setup))
}

/// [`plan`] with its setup made.
pub fn plan_with(analysis: &Analysis, setup: Setup) -> (Plan, Vec<Report>) {
    // Each task renders alone: on every core, results in task order.
    let rendered = crate::parallel::parallel_map(&analysis.tasks, |task| {
        task.exportable()
            .map(|(definition, context)| setup.render(definition, context))
    });
    plan_rendered(analysis, setup, rendered)
}

/// [`plan`] of an analysis whose tasks were rendered as they were assembled: each task keeps
/// what [`Setup::render`] gave when the analysis said it can be exported
/// ([`crate::analysis::from_discovery_with`]), `None` otherwise. The rendered files are moved
/// into the plan. Gives the plan and reports [`plan`] gives for the same tasks.
pub fn plan_streamed(
    analysis: &mut Analysis<Option<Rendered>>,
    setup: Setup,
) -> (Plan, Vec<Report>) {
    let rendered: Vec<Option<Rendered>> = analysis
        .tasks
        .iter_mut()
        .map(|task| {
            let rendered = task.assembled.as_mut().and_then(Option::take);
            debug_assert!(
                rendered.is_some() || !task.is_exportable(),
                "a task the analysis judged unexportable was not marked"
            );
            rendered.filter(|_| !task.has_errors)
        })
        .collect();
    plan_rendered(analysis, setup, rendered)
}

/// Tasks that cannot be exported for the same reason: the error, its help, the tasks.
type Failed<'a, A> = (String, Option<&'static str>, Vec<&'a Task<A>>);

/// The plan from each task's rendered files (`None` for a task not exported).
fn plan_rendered<A>(
    analysis: &Analysis<A>,
    setup: Setup,
    rendered: Vec<Option<Rendered>>,
) -> (Plan, Vec<Report>) {
    let Setup {
        variables,
        previous,
        listed,
        ..
    } = setup;
    let incomplete: BTreeSet<&str> = analysis
        .incomplete
        .iter()
        .map(|i| i.package.as_str())
        .collect();
    let kept_file = |name: &str| {
        previous
            .get(name)
            .is_some_and(|package| incomplete.contains(package.as_str()))
    };
    let mut reports = Vec::new();
    let mut files: Vec<(String, ExportFile)> = Vec::new();
    // The files incomplete packages' tasks would write: package, file name.
    let mut withheld: Vec<(&str, String)> = Vec::new();
    // Families exported in full this time: their files of other formats, or that these formats no
    // longer produce, are stale.
    let mut exported = Vec::new();
    // Tasks missing the same placeholders, reported once: names, then the tasks.
    let mut missing: Vec<(Vec<String>, Vec<&Task<A>>)> = Vec::new();
    // Tasks failing with the same words (a bad `--var` value several tasks use), reported
    // once: the error, its help, then the tasks.
    let mut failed: Vec<Failed<'_, A>> = Vec::new();
    let mut ready = 0;
    let mut unset = 0;
    let mut environment = BTreeSet::new();
    let rendered = rendered.into_iter().map(|rendered| {
        rendered.map(|rendered| {
            environment.extend(rendered.environment);
            rendered.files
        })
    });
    for (task, rendered) in analysis.tasks.iter().zip(rendered) {
        let Some(rendered) = rendered else {
            continue;
        };
        match rendered {
            Ok(rendered) if incomplete.contains(task.package.as_str()) => {
                withheld.extend(
                    rendered
                        .into_iter()
                        .filter(|f| !previous.contains_key(&f.name))
                        .map(|f| (task.package.as_str(), f.name)),
                );
            }
            Ok(rendered) => {
                ready += 1;
                exported.push(task.family.as_str());
                files.extend(
                    rendered
                        .into_iter()
                        .filter(|f| !kept_file(&f.name))
                        .map(|f| (task.package.clone(), f)),
                );
            }
            Err(TaskExportError::Missing(_)) if variables.unset_ok => unset += 1,
            Err(TaskExportError::Missing(names)) => {
                match missing.iter_mut().find(|(n, _)| *n == names) {
                    Some((_, tasks)) => tasks.push(task),
                    None => missing.push((names, vec![task])),
                }
            }
            Err(error) => {
                let help = match &error {
                    TaskExportError::Format(_) => Some("choose the formats with `--format`"),
                    TaskExportError::Policy(_) => Some(
                        "declare the task's `region = \"...\"` (ECS looks a name up in the region \
                         the task runs in), or give each its full ARN",
                    ),
                    _ => None,
                };
                let error = error.to_string();
                match failed.iter_mut().find(|(e, _, _)| *e == error) {
                    Some((_, _, tasks)) => tasks.push(task),
                    None => failed.push((error, help, vec![task])),
                }
            }
        }
    }
    for (error, help, tasks) in failed {
        let mut report = tasks_report(&analysis.root, &tasks, &error);
        if let Some(help) = help {
            report = report.help(help);
        }
        reports.push(report);
    }
    for (names, tasks) in missing {
        let report = tasks_report(
            &analysis.root,
            &tasks,
            &TaskExportError::Missing(names.clone()).to_string(),
        );
        let example: Vec<String> = names.iter().map(|n| format!("--var {n}=...")).collect();
        reports.push(report.help(format!(
            "give {} with `{}`, in a `--vars-file` (or `vars-file` in \
             `[workspace.metadata.ecsdef]`), or as environment variable{} {}; \
             `cargo ecsdef check --no-vars` checks without them",
            if names.len() == 1 { "it" } else { "each" },
            example.join(" "),
            if names.len() == 1 { "" } else { "s" },
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
        )));
    }
    files.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    // Built whole from a list rather than an insertion at a time: thousands of names.
    let exported: BTreeSet<&str> = exported.into_iter().collect();

    let families: BTreeSet<&str> = analysis.tasks.iter().map(|t| t.family.as_str()).collect();
    let produced: BTreeSet<&str> = files.iter().map(|(_, f)| f.name.as_str()).collect();
    let mut entries = previous.clone();
    let mut remove = Vec::new();
    entries.retain(|file, package| {
        if produced.contains(file.as_str())
            || !analysis.packages.contains(package)
            || incomplete.contains(package.as_str())
        {
            return true;
        }
        let family = family_of(file);
        let gone = !families.contains(family);
        // `formats` are all the formats the family has now: a file of another one is stale
        // too (without `--format`, the command asks for every format the manifest lists).
        let stale = exported.contains(family) && Format::of_file(file).is_some();
        if gone || stale {
            remove.push(file.clone());
            false
        } else {
            true
        }
    });
    // The files are sorted by name: a map built from them is built whole, and merged.
    let mut produced_entries: BTreeMap<String, String> = files
        .iter()
        .map(|(package, file)| (file.name.clone(), package.clone()))
        .collect();
    entries.append(&mut produced_entries);
    remove.sort();
    let kept = analysis
        .incomplete
        .iter()
        .map(|i| Kept {
            package: i.package.clone(),
            files: previous
                .iter()
                .filter(|(_, package)| **package == i.package)
                .map(|(file, _)| file.clone())
                .collect(),
            withheld: {
                let mut names: Vec<String> = withheld
                    .iter()
                    .filter(|(package, _)| *package == i.package)
                    .map(|(_, name)| name.clone())
                    .collect();
                names.sort();
                names
            },
            problems: i.problems.clone(),
        })
        .collect();
    variables
        .from_environment
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .extend(environment);
    (
        Plan {
            files,
            remove,
            manifest: entries,
            previous,
            kept,
            ready,
            unset,
            listed,
        },
        reports,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without placeholders, the files are the canonical JSON and policy the runtime's
    /// `to_json()` and `execution_role_policy_json()` produce from the same definition.
    #[test]
    fn rendered_bytes_are_the_canonical_ones() {
        let definition = ecsdef_model::from_json_strict(
            r#"{"family": "web", "executionRoleArn": "arn:aws:iam::123456789012:role/x",
                "containerDefinitions": [{"name": "app", "essential": true,
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0"}]}"#,
        )
        .expect("valid");
        let context = Context::default();
        let files = render_task(&definition, &context, &[Format::JSON, Format::JSON], |_| {
            None
        })
        .expect("renders");
        let policy = execution_role_policy(&definition, &context)
            .expect("policy")
            .expect("a role");
        assert_eq!(
            files,
            [
                ExportFile {
                    name: "web.json".to_owned(),
                    contents: to_canonical_json(&definition),
                },
                ExportFile {
                    name: "web.execution-role-policy.json".to_owned(),
                    contents: policy.to_json(),
                },
            ]
        );
        let mut unsafe_family = definition.clone();
        unsafe_family.family = "../web".to_owned();
        assert!(matches!(
            render_task(&unsafe_family, &context, &[Format::JSON], |_| None),
            Err(TaskExportError::Family(_))
        ));
    }

    /// Placeholders are substituted wherever they are: in the definition, and in the context
    /// alone (a KMS key that only the policy shows); a missing one is reported.
    #[test]
    fn placeholders_in_the_definition_or_the_context_are_substituted() {
        let definition = ecsdef_model::from_json_strict(
            r#"{"family": "web", "executionRoleArn": "arn:aws:iam::123456789012:role/x",
                "memory": "512",
                "containerDefinitions": [{"name": "app", "essential": true,
                "image": "ghcr.io/acme/web:${TAG}",
                "repositoryCredentials": {"credentialsParameter":
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:pull-AbCdEf"}}]}"#,
        )
        .expect("valid");
        let mut context = Context {
            region: Some("us-east-1".to_owned()),
            ..Context::default()
        };
        context
            .containers
            .push(ecsdef_model::rules::ContainerContext {
                kms_key: Some("arn:aws:kms:us-east-1:123456789012:key/${KEY}".to_owned()),
                ..ecsdef_model::rules::ContainerContext::default()
            });
        let lookup = |name: &str| match name {
            "TAG" => Some("1.4.2".to_owned()),
            "KEY" => Some("0f1e2d3c-aaaa-bbbb-cccc-000000000000".to_owned()),
            _ => None,
        };
        let files = render_task(&definition, &context, &[Format::JSON], lookup).expect("renders");
        assert!(files[0].contents.contains("ghcr.io/acme/web:1.4.2"));
        assert!(
            files[1]
                .contents
                .contains("key/0f1e2d3c-aaaa-bbbb-cccc-000000000000")
        );
        assert!(!files.iter().any(|f| f.contents.contains("${")));

        // Only the context holds one.
        let mut fixed = definition.clone();
        fixed.container_definitions[0].image = Some("ghcr.io/acme/web:1.4.2".to_owned());
        let files = render_task(&fixed, &context, &[Format::JSON], lookup).expect("renders");
        assert!(
            files[1]
                .contents
                .contains("key/0f1e2d3c-aaaa-bbbb-cccc-000000000000")
        );
        let missing = render_task(&fixed, &context, &[Format::JSON], |_| None);
        assert!(
            matches!(&missing, Err(TaskExportError::Missing(names)) if names == &["KEY"]),
            "{missing:?}"
        );
    }

    /// Rendering without the `json` format's bytes finds the same placeholders (in a value,
    /// a map's key, the family; not a `$` ending one string before a `{` starting the next),
    /// names the same files and fails for the same reasons; the bytes of a wanted file are
    /// the full render's.
    #[test]
    fn rendering_without_bytes_finds_what_the_full_render_finds() {
        let task = |family: &str, labels: &str, environment: &str| {
            ecsdef_model::from_json_strict(&format!(
                r#"{{"family": "{family}", "executionRoleArn": "arn:aws:iam::123456789012:role/x",
                    "containerDefinitions": [{{"name": "app", "essential": true,
                    "image": "ghcr.io/acme/web:1.4.2", "dockerLabels": {{{labels}}},
                    "environment": [{environment}],
                    "repositoryCredentials": {{"credentialsParameter":
                        "arn:aws:secretsmanager:us-east-1:123456789012:secret:pull-AbCdEf"}}}}]}}"#
            ))
            .expect("valid")
        };
        let context = Context {
            region: Some("us-east-1".to_owned()),
            ..Context::default()
        };
        let split = r#"{"name": "A", "value": "a$"}, {"name": "B", "value": "{b}"}"#;
        let cases = [
            task("web", "", ""),
            task("web", r#""${KEY}": "x""#, ""),
            task("web", r#""k": "${VALUE}""#, ""),
            task("${FAMILY}", "", ""),
            task("web", "", r#"{"name": "A", "value": "${VALUE}"}"#),
            task("web", "", split),
        ];
        let lookups: [fn(&str) -> Option<String>; 2] =
            [|_| None, |name| Some(format!("{}-1", name.to_lowercase()))];
        let outline = |files: &Result<Vec<ExportFile>, TaskExportError>| match files {
            Ok(files) => Ok(files.iter().map(|f| f.name.clone()).collect::<Vec<_>>()),
            Err(error) => Err(error.to_string()),
        };
        let mut missing = 0;
        for definition in &cases {
            for lookup in lookups {
                let full = render_task(definition, &context, &[Format::JSON], lookup);
                let none = render_files(
                    definition,
                    &context,
                    &[Format::JSON],
                    lookup,
                    Some(&|_| false),
                );
                assert_eq!(outline(&full), outline(&none), "{definition:?}");
                missing += usize::from(matches!(full, Err(TaskExportError::Missing(_))));
                if let (Ok(full), Ok(none)) = (&full, &none) {
                    assert!(none.iter().all(|f| f.contents.is_empty()));
                    let wanted = |name: &str| name.ends_with("policy.json");
                    let some =
                        render_files(definition, &context, &[Format::JSON], lookup, Some(&wanted))
                            .expect("renders");
                    for (full, some) in full.iter().zip(&some) {
                        let expected = if wanted(&full.name) {
                            full.contents.as_str()
                        } else {
                            ""
                        };
                        assert_eq!(some.contents, expected);
                    }
                }
            }
        }
        // The placeholders of a value, the family and the environment ask for their values;
        // a map's key is not substituted, and the split `${` is no placeholder.
        assert_eq!(missing, 3);
    }

    #[test]
    fn vars_files_read_like_dotenv() {
        let vars = parse_vars_file(
            "# comment\n\nexport TAG=1.4.2\nQUOTED=\"a \\\"b\\\" #c\"\nSINGLE='x\\n y'\nBARE = v  # note\n",
        )
        .expect("valid");
        assert_eq!(vars["TAG"], "1.4.2");
        assert_eq!(vars["QUOTED"], "a \"b\" #c");
        assert_eq!(vars["SINGLE"], "x\\n y");
        assert_eq!(vars["BARE"], "v");
        assert_eq!(
            parse_vars_file("A=1\nnot a line\n").expect_err("invalid"),
            "line 2: expected `NAME=value`"
        );
        assert_eq!(
            parse_vars_file("A=\"open\n").expect_err("invalid"),
            "line 1: unterminated `\"`"
        );
    }

    #[test]
    fn only_plain_names_are_files() {
        assert!(is_plain_file_name("web.json"));
        for bad in [
            "",
            "../x.json",
            "a/b.json",
            ".ecsdef-manifest",
            "..",
            "/etc/passwd",
        ] {
            assert!(!is_plain_file_name(bad), "{bad}");
        }
        assert!(is_valid_family("web-1_a"));
        assert!(!is_valid_family("../web"));
        assert!(!is_valid_family("a.b"));
    }

    #[test]
    fn files_belong_to_their_family() {
        assert_eq!(family_of("web.execution-role-policy.json"), "web");
    }
}
