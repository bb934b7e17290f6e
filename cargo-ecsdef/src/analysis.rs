//! From discovery to checked task definitions: the attribute front end runs on the worker
//! thread that parsed each file (its spans turned into file positions there), then each task
//! is assembled from its declaration and its containers' declarations, wherever they were
//! parsed, and checked as a whole with `ecsdef-syntax`'s checks, the ones the derives run.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ecsdef_model::TaskDefinition;
use ecsdef_model::rules::{ContainerVerdict, Context, Level};
use ecsdef_syntax::check::{
    AssembledDiagnostic, Origin, assemble_task, check_container, check_task_attributes,
};
use ecsdef_syntax::{ContainerDecl, SpannedDiagnostic, TaskDecl};

pub use crate::discover::CompactPos;
use crate::discover::{
    self, DeclarationInput, DeclarationKind, DiagnosticKind, DiscoverError, DiscoverOptions,
    Discovery, FastSet, Severity,
};
use crate::parallel::{drop_in_background, parallel_map};

/// A span turned into plain data: where it starts and ends. Lines count from 1, columns from 1
/// in characters; the end is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// First line.
    pub line: usize,
    /// First column.
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column just past the end on the last line.
    pub end_column: usize,
}

impl Pos {
    /// A position of zero width.
    pub fn point(line: usize, column: usize) -> Self {
        Pos {
            line,
            column,
            end_line: line,
            end_column: column,
        }
    }
}

impl From<CompactPos> for Pos {
    fn from(pos: CompactPos) -> Self {
        // `u32` to `usize` loses nothing on the 32- and 64-bit targets Rust's std runs on.
        let wide = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
        Pos {
            line: wide(pos.line),
            column: wide(pos.column),
            end_line: wide(pos.end_line),
            end_column: wide(pos.end_column),
        }
    }
}

/// One finding for the user, with everything it needs to be shown: where, what, how to fix
/// it, and which rule (or which discovery problem) it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Report {
    /// The file, when the finding is in one.
    pub file: Option<PathBuf>,
    /// Where in the file.
    pub pos: Option<Pos>,
    /// Error or warning.
    pub level: Level,
    /// The rule (`image-unpinned`) or discovery problem (`parse-failed`); `None` for the
    /// attribute syntax errors of the front end.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Report {
    /// A finding of no particular place (a command-line value, a task as a whole).
    pub fn error(message: impl Into<String>) -> Self {
        Report {
            file: None,
            pos: None,
            level: Level::Error,
            rule: None,
            message: message.into(),
            help: None,
        }
    }

    /// The same finding, located.
    #[must_use]
    pub fn at(mut self, file: &Path, pos: Pos) -> Self {
        self.file = Some(file.to_owned());
        self.pos = Some(pos);
        self
    }

    /// The same finding, with a rule name.
    #[must_use]
    pub fn rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = Some(rule.into());
        self
    }

    /// The same finding, with a help line.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn spanned(file: &Path, diagnostic: SpannedDiagnostic<CompactPos>) -> Self {
        Report {
            file: Some(file.to_owned()),
            pos: Some(diagnostic.span.into()),
            level: diagnostic.level,
            rule: diagnostic.rule.map(str::to_owned),
            message: diagnostic.message,
            help: diagnostic.help,
        }
    }
}

/// A container declaration the front end understood, with the findings of its own rules
/// (what its derive reports), computed once on the worker thread that parsed it.
#[derive(Debug, Clone)]
pub struct CheckedContainer {
    /// The container's declaration.
    pub decl: ContainerDecl<CompactPos>,
    /// The rule engine's findings on the container alone.
    pub own: Vec<SpannedDiagnostic<CompactPos>>,
    /// The container's own rules, judged once for every task that holds it (see
    /// [`ContainerVerdict`]).
    pub verdict: ContainerVerdict,
}

impl CheckedContainer {
    /// Whether the container's own rules found an error: its derive would not compile.
    pub fn has_errors(&self) -> bool {
        self.own.iter().any(|d| d.level == Level::Error)
    }
}

/// What the front end made of one declaration, spans converted on the worker thread. Shared,
/// not copied, when discovery hands the same declaration out more than once (every
/// declaration is handed out once more, sorted, at the end of discovery).
#[derive(Debug, Clone)]
pub enum Parsed {
    /// A `#[derive(Container)]`.
    Container(Arc<Result<CheckedContainer, Vec<SpannedDiagnostic<CompactPos>>>>),
    /// A `#[derive(TaskDefinition)]`.
    Task(Arc<Result<TaskDecl<CompactPos>, Vec<SpannedDiagnostic<CompactPos>>>>),
}

/// The analyzer `discover_with` runs on each declaration: the derives' own front end.
pub fn parse_declaration(input: &DeclarationInput<'_>) -> Parsed {
    match input.kind {
        DeclarationKind::Container => Parsed::Container(Arc::new(
            ecsdef_syntax::parse_container_input(input.input).map(|mut decl| {
                let verdict = ContainerVerdict::of_mut(&mut decl.definition, &decl.context);
                let own = check_container(&decl, Some(&verdict));
                CheckedContainer { decl, own, verdict }
            }),
        )),
        DeclarationKind::TaskDefinition => {
            Parsed::Task(Arc::new(ecsdef_syntax::parse_task_input(input.input)))
        }
    }
}

/// What the analysis keeps of each assembled task unless told otherwise: the definition
/// (placeholders kept) and the context of the rules and the policy.
pub type Assembled = (TaskDefinition, Context);

/// A task definition of a selected package, with what was kept of it once assembled (`A`,
/// see [`from_discovery_with`]).
#[derive(Debug, Clone)]
pub struct Task<A = Assembled> {
    /// The package that declares it.
    pub package: String,
    /// The struct's path: `crate::tasks::WebTask`.
    pub path: String,
    /// Where the struct's name is written.
    pub file: PathBuf,
    /// Where in the file.
    pub pos: Pos,
    /// The family, as declared.
    pub family: String,
    /// What was kept of the assembled task (by default the definition, placeholders kept,
    /// and the context of the rules and the policy); `None` when the task could not be
    /// assembled (a container type that does not resolve, a container declaration with
    /// attribute errors).
    pub assembled: Option<A>,
    /// Whether any error concerns this task or its containers: it is not exported.
    pub has_errors: bool,
}

impl Task {
    /// The definition and context, when the task can be exported.
    pub fn exportable(&self) -> Option<(&TaskDefinition, &Context)> {
        match &self.assembled {
            Some((definition, context)) if !self.has_errors => Some((definition, context)),
            _ => None,
        }
    }
}

impl<A> Task<A> {
    /// Whether the task can be exported: it was assembled and no error concerns it.
    pub fn is_exportable(&self) -> bool {
        self.assembled.is_some() && !self.has_errors
    }

    /// `package::crate::path::Struct (file:line:column)`, for messages naming a declaration.
    pub fn describe(&self, root: &Path) -> String {
        format!(
            "`{}` in `{}` ({}:{}:{})",
            self.path.trim_start_matches("crate::"),
            self.package,
            relative(root, &self.file).display(),
            self.pos.line,
            self.pos.column
        )
    }
}

/// A path relative to `root` when it is inside it.
pub fn relative<'a>(root: &Path, path: &'a Path) -> &'a Path {
    path.strip_prefix(root).unwrap_or(path)
}

/// Everything the verbs work from; `A` is what was kept of each assembled task (see
/// [`from_discovery_with`]).
#[derive(Debug, Clone)]
pub struct Analysis<A = Assembled> {
    /// The workspace root.
    pub root: PathBuf,
    /// The selected packages' names, sorted.
    pub packages: Vec<String>,
    /// The selected packages' task definitions, sorted by family, then place.
    pub tasks: Vec<Task<A>>,
    /// How many container declarations the selected packages have.
    pub containers: usize,
    /// Every finding: discovery, front end, rules, duplicate families. Sorted, deduplicated.
    pub reports: Vec<Report>,
    /// How many files were parsed.
    pub files_parsed: usize,
    /// The selected packages whose files discovery could not all read, parse or find, sorted
    /// by name: what the analysis knows of them is partial, so the export leaves their files
    /// as they are.
    pub incomplete: Vec<Incomplete>,
    /// `[workspace.metadata.ecsdef]` of the workspace's `Cargo.toml`, unread
    /// (`commands::common::Settings` reads it).
    pub settings: Option<serde_json::Value>,
}

/// A selected package whose files could not all be read, parsed or found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    /// The package's name.
    pub package: String,
    /// Each problem: the file where it is (relative to the workspace root when inside it)
    /// and discovery's name for it (`parse-failed`), sorted.
    pub problems: Vec<(PathBuf, &'static str)>,
}

/// Whether a discovery problem means that some of a package's files were not read: the
/// declarations found are not all the package declares.
fn leaves_files_unread(kind: DiagnosticKind) -> bool {
    match kind {
        DiagnosticKind::ReadFailed
        | DiagnosticKind::ParseFailed
        | DiagnosticKind::ModuleNotFound
        | DiagnosticKind::ModuleAmbiguous
        | DiagnosticKind::ModuleCycle
        | DiagnosticKind::ModuleTreeTooLarge => true,
        // Concern one task (which is then not exported) or the command line.
        DiagnosticKind::UndecidableCfg
        | DiagnosticKind::UnresolvedContainer
        | DiagnosticKind::UnsupportedFieldType
        | DiagnosticKind::UnknownExclude => false,
    }
}

/// The selected packages that discovery could not read in full. A problem belongs to the
/// package whose folder holds its file most closely; a problem in a file outside every
/// selected package's folder (a `#[path]` that leads out, a dependency's file) may concern
/// any of them, so it makes every selected package incomplete.
fn incomplete_packages<T>(discovery: &Discovery<T>) -> Vec<Incomplete> {
    let root = &discovery.workspace_root;
    let mut by_package: BTreeMap<String, Vec<(PathBuf, &'static str)>> = BTreeMap::new();
    for diagnostic in &discovery.diagnostics {
        if diagnostic.severity != Severity::Error || !leaves_files_unread(diagnostic.kind) {
            continue;
        }
        let file = diagnostic.location.as_ref().map(|l| &*l.file);
        let owner = file.and_then(|file| {
            discovery
                .packages
                .iter()
                .filter_map(|p| Some((p, p.manifest_path.parent()?)))
                .filter(|(_, dir)| file.starts_with(dir))
                .max_by_key(|(_, dir)| dir.components().count())
                .map(|(p, _)| p)
        });
        let problem = (
            file.map(|f| relative(root, f).to_owned())
                .unwrap_or_default(),
            diagnostic.kind.name(),
        );
        match owner {
            Some(package) => by_package
                .entry(package.name.clone())
                .or_default()
                .push(problem),
            None => {
                for package in &discovery.packages {
                    by_package
                        .entry(package.name.clone())
                        .or_default()
                        .push(problem.clone());
                }
            }
        }
    }
    by_package
        .into_iter()
        .map(|(package, mut problems)| {
            problems.sort();
            problems.dedup();
            Incomplete { package, problems }
        })
        .collect()
}

impl<A> Analysis<A> {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.reports.iter().any(|r| r.level == Level::Error)
    }

    /// The tasks of a family.
    pub fn family(&self, family: &str) -> impl Iterator<Item = &Task<A>> {
        self.tasks.iter().filter(move |t| t.family == family)
    }
}

/// Why the workspace could not be analysed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisError(pub DiscoverError);

impl fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for AnalysisError {}

/// Discovers, parses, assembles and checks every declaration of the selected packages.
pub fn analyze(options: &DiscoverOptions) -> Result<Analysis, AnalysisError> {
    analyze_with(options, from_discovery)
}

/// [`analyze`], the analysis built from the discovery by `build` (which may read the
/// workspace's root and settings first: [`from_discovery_with`]).
pub fn analyze_with<A>(
    options: &DiscoverOptions,
    build: impl FnOnce(&Discovery<Parsed>) -> Analysis<A>,
) -> Result<Analysis<A>, AnalysisError> {
    let discovery = discover::discover_with(options, parse_declaration);
    analysis_of(discovery, build)
}

/// [`analyze_with`], telling `early` what discovery knows once every file is in (see
/// [`discover::discover_early`]).
pub fn analyze_early<A>(
    options: &DiscoverOptions,
    early: impl FnOnce(discover::FilesIn<'_, Parsed>),
    build: impl FnOnce(&Discovery<Parsed>) -> Analysis<A>,
) -> Result<Analysis<A>, AnalysisError> {
    let discovery = discover::discover_early(options, parse_declaration, early);
    analysis_of(discovery, build)
}

fn analysis_of<A>(
    discovery: Result<Discovery<Parsed>, DiscoverError>,
    build: impl FnOnce(&Discovery<Parsed>) -> Analysis<A>,
) -> Result<Analysis<A>, AnalysisError> {
    let discovery = discovery.map_err(AnalysisError)?;
    let analysis = build(&discovery);
    crate::timings::mark("analysis done");
    drop_in_background(discovery);
    Ok(analysis)
}

fn discovery_report(root: &Path, diagnostic: &discover::Diagnostic) -> Report {
    let level = match diagnostic.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let mut report = Report {
        file: None,
        pos: None,
        level,
        rule: Some(diagnostic.kind.name().to_owned()),
        // Discovery names files by their absolute path; inside the workspace, the relative
        // one says the same and does not depend on where the workspace is checked out.
        message: diagnostic
            .message
            .replace(&format!("{}/", root.display()), ""),
        help: None,
    };
    if let Some(location) = &diagnostic.location {
        report = report.at(&location.file, Pos::point(location.line, location.column));
    }
    report
}

/// Builds the analysis from a discovery whose analyzer was [`parse_declaration`], keeping each
/// assembled task's definition and context.
pub fn from_discovery(discovery: &Discovery<Parsed>) -> Analysis {
    from_discovery_with(discovery, |definition, context, _| (definition, context))
}

/// [`from_discovery`], keeping of each assembled task what `keep` makes of its definition and
/// context, on the worker that assembled it, right after assembling: a verb that needs only
/// each task's files renders them there, and the definition is freed before the worker
/// assembles the next task, so its memory is reused rather than held to the end.
///
/// `keep` is told whether the task can be exported as far as is known then: no error of its
/// own, of its containers, or of its family being declared twice. A task told `true` may still
/// end with `has_errors` (a file reached from two crates whose containers resolve differently
/// in each): what is kept of a task with `has_errors` must not be used to export it.
pub fn from_discovery_with<A: Send>(
    discovery: &Discovery<Parsed>,
    keep: impl Fn(TaskDefinition, Context, bool) -> A + Sync,
) -> Analysis<A> {
    let root = &discovery.workspace_root;
    let mut reports: Vec<Report> = discovery
        .diagnostics
        .iter()
        .map(|d| discovery_report(root, d))
        .collect();
    let mut tasks = Vec::new();
    let mut containers = 0;
    // A file reached from two crates (`#[path]` in two binaries) yields the same struct twice;
    // it is one declaration to the user. The sets of this function hash with discovery's
    // hasher: this thread runs them for every declaration while the cores wait for it.
    let mut seen = FastSet::default();
    seen.reserve(discovery.declarations.len());
    let mut task_work = Vec::new();

    // The containers of the selected tasks that will be assembled (every field resolves to a
    // container that parsed), by declaration index: those tasks judge them again.
    let parsed_container = |index: usize| matches!(&discovery.declarations[index].analysis, Parsed::Container(p) if p.is_ok());
    let used_containers: FastSet<usize> = discovery
        .declarations
        .iter()
        .filter(|d| d.selected && matches!(&d.analysis, Parsed::Task(p) if p.is_ok()))
        .filter(|d| {
            d.fields
                .iter()
                .all(|f| f.container.is_some_and(parsed_container))
        })
        .flat_map(|d| d.fields.iter().filter_map(|f| f.container))
        .collect();
    for (index, declaration) in discovery.declarations.iter().enumerate() {
        if !declaration.selected {
            continue;
        }
        // By the file's bytes: discovery's paths are normalized (no `.` or `..`), so one file
        // is one spelling, and hashing a `Path` component by component cost a thousand
        // instructions a declaration, on the thread everything else waits for.
        let place = (
            declaration.location.file.as_os_str(),
            declaration.location.line,
            declaration.location.column,
            declaration.kind,
        );
        if !seen.insert(place) {
            continue;
        }
        let file = &declaration.location.file;
        match &declaration.analysis {
            Parsed::Container(parsed) => {
                containers += 1;
                // A container in a task is judged again with the task, where the task's field
                // `allow(...)` applies: its warnings come from there. Its errors are reported
                // here (and again, deduplicated, there), and a container no task uses speaks
                // for itself.
                let in_a_task = used_containers.contains(&index);
                match &**parsed {
                    Ok(checked) => reports.extend(
                        checked
                            .own
                            .iter()
                            .filter(|d| !in_a_task || d.level == Level::Error)
                            .cloned()
                            .map(|d| Report::spanned(file, d)),
                    ),
                    Err(errors) => {
                        reports.extend(errors.iter().cloned().map(|d| Report::spanned(file, d)));
                    }
                }
            }
            Parsed::Task(parsed) => match &**parsed {
                Ok(task) => task_work.push((declaration, task)),
                Err(errors) => {
                    reports.extend(errors.iter().cloned().map(|d| Report::spanned(file, d)));
                }
            },
        }
    }

    // The families declared more than once: none of their tasks is exported
    // (`duplicate_families`).
    let mut families: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, task) in &task_work {
        *families.entry(task.definition.family.as_str()).or_default() += 1;
    }
    let duplicated = |family: &str| families.get(family).is_some_and(|&n| n > 1);

    // Assembling and checking a task needs only its own declaration and its containers':
    // the tasks are judged on every core, and their results merged in declaration order.
    for (task, task_reports) in parallel_map(&task_work, |(declaration, task)| {
        analyze_task(discovery, declaration, task, &duplicated, &keep)
    }) {
        reports.extend(task_reports);
        tasks.push(task);
    }

    crate::timings::mark("tasks checked");
    // A container's own errors are errors of every task that uses it: its derive would not
    // compile. Its reports are already in the list; mark the tasks.
    mark_tasks_with_container_errors(discovery, &mut tasks);

    tasks.sort_by(|a, b| (&a.family, &a.file, a.pos).cmp(&(&b.family, &b.file, b.pos)));
    duplicate_families(&discovery.workspace_root, &mut tasks, &mut reports);

    reports.sort();
    reports.dedup();
    let mut packages: Vec<String> = discovery.packages.iter().map(|p| p.name.clone()).collect();
    packages.sort();
    Analysis {
        root: discovery.workspace_root.clone(),
        packages,
        tasks,
        containers,
        reports,
        files_parsed: discovery.files_parsed,
        incomplete: incomplete_packages(discovery),
        settings: discovery.settings.as_deref().cloned(),
    }
}

/// Assembles one task from its declaration and its containers' and checks the whole: the task,
/// with what `keep` made of it, and the findings, spanned in the files they concern.
fn analyze_task<A>(
    discovery: &Discovery<Parsed>,
    declaration: &crate::discover::Declaration<Parsed>,
    task: &TaskDecl<CompactPos>,
    duplicated: &dyn Fn(&str) -> bool,
    keep: &dyn Fn(TaskDefinition, Context, bool) -> A,
) -> (Task<A>, Vec<Report>) {
    let file = &declaration.location.file;
    let mut reports = Vec::new();
    let mut has_errors = false;
    // Each field's container: its declaration, its verdict and its file, when it resolved and parsed.
    let mut resolved = Vec::new();
    for field in &declaration.fields {
        let container = discovery.container_of(field);
        match container.map(|c| (&c.analysis, &c.location.file)) {
            Some((Parsed::Container(parsed), file)) if parsed.is_ok() => {
                if let Ok(checked) = &**parsed {
                    resolved.push((checked, file));
                }
            }
            _ => has_errors = true,
        }
    }
    // The fields that resolved, and the containers they name, or nothing to
    // assemble: a task with a field missing cannot be judged as a whole.
    let assembled = if resolved.len() == declaration.fields.len()
        && task.fields.len() == declaration.fields.len()
    {
        let decls: Vec<&ContainerDecl<CompactPos>> =
            resolved.iter().map(|(c, _)| &c.decl).collect();
        let verdicts: Vec<Option<&ContainerVerdict>> =
            resolved.iter().map(|(c, _)| Some(&c.verdict)).collect();
        let assembled = assemble_task(task, &decls, &verdicts);
        for AssembledDiagnostic {
            origin,
            in_task,
            diagnostic,
        } in assembled.diagnostics
        {
            let in_file = match origin {
                Origin::Container(i) if !in_task => resolved[i].1,
                _ => file,
            };
            has_errors |= diagnostic.level == Level::Error;
            reports.push(Report::spanned(in_file, diagnostic));
        }
        // A container with errors of its own marks every task that uses it
        // (`mark_tasks_with_container_errors`), a family declared twice each of its tasks.
        let exportable = !has_errors
            && !resolved.iter().any(|(c, _)| c.has_errors())
            && !duplicated(&task.definition.family);
        Some(keep(assembled.definition, assembled.context, exportable))
    } else {
        let own = check_task_attributes(task);
        has_errors |= own.iter().any(|d| d.level == Level::Error);
        reports.extend(own.into_iter().map(|d| Report::spanned(file, d)));
        None
    };

    let task = Task {
        package: declaration.package_name.to_string(),
        path: [&*declaration.module_path, "::", &declaration.name].concat(),
        file: file.to_path_buf(),
        pos: Pos::point(declaration.location.line, declaration.location.column),
        family: task.definition.family.clone(),
        assembled,
        has_errors,
    };
    (task, reports)
}

fn mark_tasks_with_container_errors<A>(discovery: &Discovery<Parsed>, tasks: &mut [Task<A>]) {
    let mut with_errors = std::collections::HashSet::new();
    for (index, declaration) in discovery.declarations.iter().enumerate() {
        let failed = match &declaration.analysis {
            Parsed::Container(parsed) => match &**parsed {
                Ok(checked) => checked.has_errors(),
                Err(_) => true,
            },
            Parsed::Task(_) => false,
        };
        if failed {
            with_errors.insert(index);
        }
    }
    if with_errors.is_empty() {
        return;
    }
    for declaration in &discovery.declarations {
        if declaration.kind != DeclarationKind::TaskDefinition || !declaration.selected {
            continue;
        }
        let uses_failed = declaration
            .fields
            .iter()
            .any(|f| f.container.is_some_and(|i| with_errors.contains(&i)));
        if uses_failed {
            let line = declaration.location.line;
            let column = declaration.location.column;
            for task in tasks.iter_mut() {
                if *task.file == *declaration.location.file
                    && task.pos.line == line
                    && task.pos.column == column
                {
                    task.has_errors = true;
                }
            }
        }
    }
}

/// A family declared twice in the selected packages is an error at each later declaration,
/// naming the first; none of them is exported (which one is meant cannot be known).
fn duplicate_families<A>(root: &Path, tasks: &mut [Task<A>], reports: &mut Vec<Report>) {
    let mut by_family: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, task) in tasks.iter().enumerate() {
        by_family.entry(task.family.clone()).or_default().push(i);
    }
    for (family, indices) in by_family {
        let [first, rest @ ..] = indices.as_slice() else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let first_place = tasks[*first].describe(root);
        for &other in rest {
            let task = &tasks[other];
            reports.push(
                Report::error(format!(
                    "family `{family}` is declared twice: by {} and by {first_place}",
                    task.describe(root)
                ))
                .at(&task.file, task.pos)
                .rule("duplicate-family")
                .help("a family names one task definition: rename one of them with `family = \"...\"`"),
            );
        }
        for &index in &indices {
            tasks[index].has_errors = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{Diagnostic, Location, PackageInfo};

    /// A compact position gives back the lines and columns it was made of, and keeps one past
    /// `u32::MAX` as `u32::MAX`, never wrapped.
    #[test]
    fn compact_positions_keep_lines_and_columns_up_to_u32_max() {
        let pos = Pos::from(CompactPos::new(3, 14, 5, 2));
        assert_eq!(
            (pos.line, pos.column, pos.end_line, pos.end_column),
            (3, 14, 5, 2)
        );
        let max = usize::try_from(u32::MAX).expect("a 32- or 64-bit target");
        let past = max.saturating_add(1);
        let pos = Pos::from(CompactPos::new(max, past, usize::MAX, 0));
        assert_eq!(
            (pos.line, pos.column, pos.end_line, pos.end_column),
            (max, max, max, 0)
        );
    }

    /// A problem that leaves files unread belongs to the package whose folder holds its file
    /// most closely (the root package's folder holds every member's); one outside every
    /// selected package's folder makes all of them incomplete; warnings and task-level
    /// problems make none.
    #[test]
    fn unread_files_make_their_package_incomplete() {
        let package = |name: &str, dir: &str| PackageInfo {
            name: name.to_owned(),
            id: name.to_owned(),
            manifest_path: PathBuf::from(dir).join("Cargo.toml"),
        };
        let problem = |file: &str, kind, severity| Diagnostic {
            location: Some(Location {
                file: Path::new(file).into(),
                line: 1,
                column: 1,
            }),
            severity,
            kind,
            message: String::new(),
        };
        let discovery = |diagnostics| Discovery::<()> {
            workspace_root: PathBuf::from("/ws"),
            packages: vec![package("root", "/ws"), package("web", "/ws/web")],
            declarations: Vec::new(),
            diagnostics,
            files_parsed: 0,
            settings: None,
        };
        let found = incomplete_packages(&discovery(vec![
            problem(
                "/ws/web/src/lib.rs",
                DiagnosticKind::ParseFailed,
                Severity::Error,
            ),
            problem(
                "/ws/web/src/a.rs",
                DiagnosticKind::UndecidableCfg,
                Severity::Warning,
            ),
            problem(
                "/ws/src/lib.rs",
                DiagnosticKind::UnresolvedContainer,
                Severity::Error,
            ),
        ]));
        assert_eq!(
            found,
            [Incomplete {
                package: "web".to_owned(),
                problems: vec![(PathBuf::from("web/src/lib.rs"), "parse-failed")],
            }]
        );
        let found = incomplete_packages(&discovery(vec![problem(
            "/elsewhere/shared.rs",
            DiagnosticKind::ReadFailed,
            Severity::Error,
        )]));
        let names: Vec<&str> = found.iter().map(|i| i.package.as_str()).collect();
        assert_eq!(names, ["root", "web"]);
        assert!(incomplete_packages(&discovery(Vec::new())).is_empty());
    }
}
