//! What the verbs share: the exit codes, the argument groups, and the analysis of a workspace
//! that every verb reading one starts with.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::analysis::{self, Analysis, Parsed, Report};
use crate::discover::{DiscoverOptions, Discovery, FilesIn};
use crate::export::{self, Plan, Rendered, Setup, Variables, settings};
use crate::formats::{FORMATS, Format};
use crate::shell::{ColorChoice, MessageFormat, Shell};

/// Success.
pub const SUCCESS: u8 = 0;
/// Diagnostics with errors, or `--check` drift.
pub const FAILURE: u8 = 1;
/// A usage error or an I/O failure.
pub const USAGE_OR_IO: u8 = 2;

/// The exit codes, as every `--help` ends.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success (warnings do not fail)
  1  diagnostics with errors, or `export --check` found files missing, differing, stale or
     in the way
  2  usage error, an I/O failure (unreadable manifest, unwritable out dir), or a file in the
     way that ecsdef did not write";

/// Cargo's package and feature selection, taken by the verbs that read a workspace.
#[derive(Debug, Clone, Args)]
pub struct Selection {
    #[command(flatten)]
    pub manifest: clap_cargo::Manifest,
    #[command(flatten)]
    pub workspace: clap_cargo::Workspace,
    #[command(flatten)]
    pub features: clap_cargo::Features,
}

impl Selection {
    /// What to discover.
    pub fn discover_options(&self) -> DiscoverOptions {
        DiscoverOptions {
            manifest_path: self.manifest.manifest_path.clone(),
            packages: self.workspace.package.clone(),
            workspace: self.workspace.workspace || self.workspace.all,
            exclude: self.workspace.exclude.clone(),
            features: self.features.features.clone(),
            all_features: self.features.all_features,
            no_default_features: self.features.no_default_features,
        }
    }
}

/// The output options, taken by every verb.
#[derive(Debug, Clone, Args)]
pub struct Output {
    /// Coloring: auto, always, never.
    #[arg(long, value_enum, value_name = "WHEN", env = "CARGO_TERM_COLOR", default_value_t = ColorChoice::Auto, hide_env = true, hide_default_value = true)]
    pub color: ColorChoice,
    /// No status lines and no warnings; errors and data only.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More status lines (each file written, each family checked).
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// How diagnostics are printed: `human` (like rustc, on stderr) or `json` (one object per
    /// line on stdout).
    #[arg(long, value_enum, value_name = "FMT", default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

impl Output {
    /// The shell these options ask for, showing paths relative to the current directory.
    pub fn shell(&self) -> Shell {
        let base = std::env::current_dir().unwrap_or_default();
        Shell::new(
            self.color,
            self.quiet,
            self.verbose,
            self.message_format,
            base,
        )
    }
}

/// Analyses the selected packages, shows every diagnostic, runs `then`, and combines the exit
/// codes: errors in the workspace make 1 even when `then` succeeded.
pub fn with_analysis(
    shell: &mut Shell,
    selection: &Selection,
    then: impl FnOnce(&mut Shell, &Analysis) -> u8,
) -> u8 {
    with_analysis_of(
        shell,
        selection,
        analysis::from_discovery,
        |shell, analysis| then(shell, analysis),
    )
}

/// [`with_analysis`], the analysis built from the discovery by `build`
/// ([`analysis::from_discovery_with`]).
pub fn with_analysis_of<A: Send + 'static>(
    shell: &mut Shell,
    selection: &Selection,
    build: impl FnOnce(&Discovery<Parsed>) -> Analysis<A>,
    then: impl FnOnce(&mut Shell, &mut Analysis<A>) -> u8,
) -> u8 {
    analyzed_then(
        shell,
        selection,
        None::<fn(FilesIn<'_, Parsed>)>,
        build,
        then,
    )
}

/// [`with_analysis_of`], telling `early` what discovery knows once every file is in (see
/// [`crate::discover::discover_early`]).
pub fn with_analysis_early_of<A: Send + 'static>(
    shell: &mut Shell,
    selection: &Selection,
    early: impl FnOnce(FilesIn<'_, Parsed>),
    build: impl FnOnce(&Discovery<Parsed>) -> Analysis<A>,
    then: impl FnOnce(&mut Shell, &mut Analysis<A>) -> u8,
) -> u8 {
    analyzed_then(shell, selection, Some(early), build, then)
}

/// What [`with_analysis_of`] and [`with_analysis_early_of`] do: the analysis, told `early`
/// when given, then `then` on it, or its error printed.
fn analyzed_then<A: Send + 'static>(
    shell: &mut Shell,
    selection: &Selection,
    early: Option<impl FnOnce(FilesIn<'_, Parsed>)>,
    build: impl FnOnce(&Discovery<Parsed>) -> Analysis<A>,
    then: impl FnOnce(&mut Shell, &mut Analysis<A>) -> u8,
) -> u8 {
    let options = selection.discover_options();
    let analyzed = match early {
        Some(early) => analysis::analyze_early(&options, early, build),
        None => analysis::analyze_with(&options, build),
    };
    let mut analysis = match analyzed {
        Ok(analysis) => analysis,
        Err(error) => {
            shell.error(error);
            return USAGE_OR_IO;
        }
    };
    shell.status(
        "Scanning",
        format!(
            "{}: {} with {} and {}",
            plural(analysis.packages.len(), "package"),
            plural(analysis.files_parsed, "file"),
            plural(analysis.tasks.len(), "task definition"),
            plural(analysis.containers, "container"),
        ),
    );
    shell.reports(&analysis.reports);
    if analysis.tasks.is_empty() && analysis.containers == 0 && !analysis.has_errors() {
        shell.note(format!(
            "no `#[derive(TaskDefinition)]` or `#[derive(Container)]` in {}; declare a task \
             with `#[derive(ecsdef::TaskDefinition)]`, or select other packages with \
             `-p NAME`, `--workspace` or `--manifest-path`",
            if analysis.packages.is_empty() {
                "the selected packages".to_owned()
            } else {
                analysis
                    .packages
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ));
    }
    let code = then(shell, &mut analysis);
    let code = if analysis.has_errors() {
        FAILURE.max(code)
    } else {
        code
    };
    crate::parallel::drop_in_background(analysis);
    code
}

/// `n` and `what`, in the plural unless `n` is 1: `3 files`.
pub fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Rows as columns padded to their widest cell, two spaces apart, without trailing spaces.
pub fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ", width = widths[i]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The export settings, taken by `export` and `check` alike so that `check` judges what
/// `export` with the same flags would do. Each flag overrides its key in
/// `[workspace.metadata.ecsdef]` (`out-dir`, `formats`, `vars-file`).
#[derive(Debug, Clone, Args)]
pub struct ExportOptions {
    /// Where to write (default: `out-dir` in `[workspace.metadata.ecsdef]`, else `deploy/` at
    /// the workspace root). ecsdef lists the files it writes in `DIR/.ecsdef-manifest`, and
    /// never overwrites or removes any other file.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Which files to write; repeatable (default: `formats` in `[workspace.metadata.ecsdef]`
    /// and every format the out dir's manifest lists files of, else json).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// A placeholder's value; repeatable. Wins over `--vars-file` and the environment.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Placeholder values in dotenv syntax; they win over the environment (default:
    /// `vars-file` in `[workspace.metadata.ecsdef]`).
    #[arg(long, value_name = "FILE")]
    pub vars_file: Option<PathBuf>,
}

pub(crate) fn parse_var(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected `NAME=VALUE`, found `{value}`")),
    }
}

/// An export worked out: where, in which formats, with which values, and the plan.
#[derive(Debug)]
pub struct Prepared {
    /// The out dir.
    pub out_dir: PathBuf,
    /// The formats.
    pub formats: Vec<Format>,
    /// Whether the formats came from the out dir's manifest (rather than a flag, the
    /// settings or the default): a command that reproduces this export names them.
    pub formats_from_manifest: bool,
    /// The placeholder values' sources.
    pub variables: Variables,
    /// The plan.
    pub plan: Plan,
    /// Why some tasks cannot be exported; and the packages not exported.
    pub reports: Vec<Report>,
}

/// An export's settings worked out before the tasks are rendered: the out dir, the formats
/// and where they came from, the placeholder values, the out dir's manifest.
#[derive(Debug)]
pub struct ExportSetup {
    out_dir: PathBuf,
    formats: Vec<Format>,
    formats_from_manifest: bool,
    variables: Variables,
    setup: Setup,
}

/// Why an export's settings could not be worked out; the verb prints it and exits 2.
#[derive(Debug)]
pub enum SetupError {
    /// `[workspace.metadata.ecsdef]` is invalid: the workspace root and the error.
    Settings(PathBuf, String),
    /// The out dir's manifest cannot be read.
    OutDir(export::WriteError),
    /// The vars file cannot be read: the file and the error.
    VarsFile(PathBuf, String),
}

/// Prints `error`; returns the exit code.
fn setup_error(shell: &mut Shell, error: &SetupError) -> u8 {
    match error {
        SetupError::Settings(root, error) => {
            shell.error(format!(
                "invalid settings in `{}`: {error}",
                shell.display_path(&root.join("Cargo.toml"))
            ));
            USAGE_OR_IO
        }
        SetupError::OutDir(error) => write_error(shell, error),
        SetupError::VarsFile(file, error) => {
            shell.error(format!(
                "cannot read vars file `{}`: {error}",
                shell.display_path(file)
            ));
            USAGE_OR_IO
        }
    }
}

/// Starts creating a new out dir's files ahead of the export (see [`export::Staged`]), once
/// discovery has every file: the out dir and the formats as [`export_setup`] works them out
/// for an out dir that does not exist yet, and a file of each suffix of each format for the
/// family of each task as parsed (a family with a placeholder names its files only once
/// substituted). A guess: what it gets wrong costs time, never a file (see `Staged`). `None`
/// when the settings cannot be read (the export then says why) or no family names a file.
pub fn stage_new_out_dir(
    files_in: &FilesIn<'_, Parsed>,
    options: &ExportOptions,
) -> Option<export::Staged> {
    let root = files_in.workspace_root;
    let settings = settings::read(files_in.settings, root).ok()?;
    let out_dir = out_dir_of(options, &settings, root);
    // An out dir that does not exist has no manifest to add formats.
    let mut formats = configured_formats(options, &settings);
    if formats.is_empty() {
        formats.push(Format::JSON);
    }
    let families: Vec<String> = files_in
        .tasks
        .iter()
        .filter_map(|task| match task {
            Parsed::Task(parsed) => parsed.as_ref().as_ref().ok(),
            Parsed::Container(_) => None,
        })
        .map(|task| task.definition.family.clone())
        .collect();
    // Named on the thread that creates them: this one is on the path to the result.
    let names = move || {
        let mut names = Vec::with_capacity(families.len() * 2);
        for family in families.iter().filter(|f| export::is_valid_family(f)) {
            for format in &formats {
                let suffixes = format.suffixes().iter();
                names.extend(suffixes.map(|suffix| Format::file_name(family, suffix)));
            }
        }
        names
    };
    export::Staged::start(out_dir, names)
}

/// The out dir: `--out-dir`, else `out-dir` in the settings, else `deploy/` at the root.
fn out_dir_of(options: &ExportOptions, settings: &settings::Settings, root: &Path) -> PathBuf {
    options
        .out_dir
        .clone()
        .or_else(|| settings.out_dir.clone())
        .unwrap_or_else(|| root.join("deploy"))
}

/// The formats asked for: `--format`, else `formats` in the settings (empty when neither
/// says; the out dir's manifest may add some).
fn configured_formats(options: &ExportOptions, settings: &settings::Settings) -> Vec<Format> {
    if options.format.is_empty() {
        settings.formats.clone().unwrap_or_default()
    } else {
        options.format.clone()
    }
}

/// Works out the export `options` ask for, as `export` and `check` both do, before anything
/// is rendered or printed: the settings (the workspace's `[workspace.metadata.ecsdef]`,
/// unread) read and overridden by the flags, the vars file read, the out dir's manifest
/// read. Without `use_vars` (`check --no-vars`), no value is read and placeholders may stay
/// unset; `contents` says which files' bytes the plan keeps (`check` needs only those in the
/// way).
pub fn export_setup(
    root: &Path,
    settings: Option<&serde_json::Value>,
    options: &ExportOptions,
    use_vars: bool,
    contents: export::Contents,
) -> Result<ExportSetup, SetupError> {
    let settings = settings::read(settings, root)
        .map_err(|error| SetupError::Settings(root.to_owned(), error))?;
    let out_dir = out_dir_of(options, &settings, root);
    let mut formats_from_manifest = false;
    let formats = if options.format.is_empty() {
        let previous = export::outdir::read_manifest(&out_dir).map_err(SetupError::OutDir)?;
        let configured = configured_formats(options, &settings);
        let listed: Vec<Format> = FORMATS
            .iter()
            .copied()
            .filter(|format| previous.keys().any(|f| Format::of_file(f) == Some(*format)))
            .collect();
        formats_from_manifest = listed.iter().any(|f| !configured.contains(f));
        let mut formats = configured.clone();
        formats.extend(listed.into_iter().filter(|f| !configured.contains(f)));
        if formats.is_empty() {
            formats.push(Format::JSON);
        }
        formats_from_manifest &= formats != [Format::JSON];
        formats
    } else {
        options.format.clone()
    };
    let mut variables = Variables {
        vars: options.vars.iter().cloned().collect(),
        environment: use_vars,
        unset_ok: !use_vars,
        ..Variables::default()
    };
    let vars_file = options.vars_file.clone().or(settings.vars_file);
    if let Some(file) = vars_file.as_ref().filter(|_| use_vars) {
        let parsed =
            crate::discover::read_input_file(file).and_then(|text| export::parse_vars_file(&text));
        match parsed {
            Ok(vars) => variables.file = vars,
            Err(error) => return Err(SetupError::VarsFile(file.clone(), error)),
        }
    }
    let setup = Setup::new(&out_dir, formats.clone(), variables.clone(), contents)
        .map_err(SetupError::OutDir)?;
    Ok(ExportSetup {
        out_dir,
        formats,
        formats_from_manifest,
        variables,
        setup,
    })
}

/// Works out the export `options` ask for, as `export` and `check` both do: the settings
/// read and overridden by the flags, the vars file read, every task rendered, the out dir's
/// manifest read. On failure, prints the error and returns the exit code. Without
/// `use_vars` (`check --no-vars`), no value is read and placeholders may stay unset;
/// `compare` words the reports for `export --check`, which compares instead of writing;
/// `contents` says which files' bytes the plan keeps (`check` needs only those in the way).
pub fn prepare_export(
    shell: &mut Shell,
    analysis: &Analysis,
    options: &ExportOptions,
    use_vars: bool,
    compare: bool,
    contents: export::Contents,
) -> Result<Prepared, u8> {
    let setup = export_setup(
        &analysis.root,
        analysis.settings.as_ref(),
        options,
        use_vars,
        contents,
    )
    .map_err(|error| setup_error(shell, &error))?;
    Ok(prepared(
        setup,
        |setup| export::plan_with(analysis, setup),
        compare,
    ))
}

/// The analysis `export` and `check` work from: [`export_setup`] done as soon as discovery
/// has read the workspace's settings, and each exportable task rendered on the worker that
/// assembled it (its definition freed there), or nothing rendered when the setup failed.
pub fn analyze_for_export(
    discovery: &Discovery<Parsed>,
    options: &ExportOptions,
    use_vars: bool,
    contents: export::Contents,
) -> (Analysis<Option<Rendered>>, Result<ExportSetup, SetupError>) {
    let setup = export_setup(
        &discovery.workspace_root,
        discovery.settings.as_deref(),
        options,
        use_vars,
        contents,
    );
    let analysis =
        analysis::from_discovery_with(discovery, |definition, context, exportable| match &setup {
            Ok(setup) if exportable => Some(setup.setup.render(&definition, &context)),
            _ => None,
        });
    (analysis, setup)
}

/// [`prepare_export`] of an analysis made by [`analyze_for_export`] with its setup: prints
/// the setup's error, or plans from the rendered tasks, which move into the plan.
pub fn prepare_streamed_export(
    shell: &mut Shell,
    analysis: &mut Analysis<Option<Rendered>>,
    setup: Result<ExportSetup, SetupError>,
    compare: bool,
) -> Result<Prepared, u8> {
    let setup = setup.map_err(|error| setup_error(shell, &error))?;
    Ok(prepared(
        setup,
        |setup| export::plan_streamed(analysis, setup),
        compare,
    ))
}

/// The export `setup` prepares, with the plan `plan` makes from its [`export::Setup`] and the
/// reports of the packages it keeps as they are.
fn prepared(
    setup: ExportSetup,
    plan: impl FnOnce(export::Setup) -> (Plan, Vec<Report>),
    compare: bool,
) -> Prepared {
    let ExportSetup {
        out_dir,
        formats,
        formats_from_manifest,
        variables,
        setup,
    } = setup;
    let (plan, mut reports) = plan(setup);
    crate::timings::mark("files rendered");
    reports.extend(plan.kept.iter().filter_map(|kept| kept.report(compare)));
    Prepared {
        out_dir,
        formats,
        formats_from_manifest,
        variables,
        plan,
        reports,
    }
}

/// The command that makes the out dir what this run expects, in backquotes: `cargo ecsdef
/// export` with the selection, `--out-dir`, `--format` and `--var`/`--vars-file` flags it
/// needs, then the variables it read from the environment, by name. A value that came from
/// the environment, or whose name could be a secret's, is never repeated: the variable is
/// named instead (`--var NAME="$NAME"`).
pub fn fix_command(
    shell: &Shell,
    selection: &Selection,
    options: &ExportOptions,
    prepared: &Prepared,
) -> String {
    let mut words = vec!["cargo".to_owned(), "ecsdef".to_owned(), "export".to_owned()];
    let mut flag = |name: &str, value: Option<String>| {
        words.push(name.to_owned());
        if let Some(value) = value {
            words.push(quote(&value));
        }
    };
    if let Some(path) = &selection.manifest.manifest_path {
        flag("--manifest-path", Some(shell.display_path(path)));
    }
    if selection.workspace.workspace || selection.workspace.all {
        flag("--workspace", None);
    }
    for package in &selection.workspace.package {
        flag("-p", Some(package.clone()));
    }
    for package in &selection.workspace.exclude {
        flag("--exclude", Some(package.clone()));
    }
    for feature in &selection.features.features {
        flag("--features", Some(feature.clone()));
    }
    if selection.features.all_features {
        flag("--all-features", None);
    }
    if selection.features.no_default_features {
        flag("--no-default-features", None);
    }
    if options.out_dir.is_some() {
        flag("--out-dir", Some(shell.display_path(&prepared.out_dir)));
    }
    if !options.format.is_empty() || prepared.formats_from_manifest {
        for format in &prepared.formats {
            flag("--format", Some(format.name().to_owned()));
        }
    }
    if let Some(file) = &options.vars_file {
        flag("--vars-file", Some(shell.display_path(file)));
    }
    // The last value of a name wins, as on the command line: each name once, in order.
    for (index, (name, value)) in options.vars.iter().enumerate() {
        if options.vars[index + 1..].iter().any(|(n, _)| n == name) {
            continue;
        }
        let shown = if may_be_secret(name) {
            format!("{name}=\"${name}\"")
        } else {
            quote(&format!("{name}={value}"))
        };
        words.push("--var".to_owned());
        words.push(shown);
    }
    let mut command = format!("`{}`", words.join(" "));
    let from_environment: Vec<String> = prepared
        .variables
        .environment_names()
        .into_iter()
        .filter(|name| !options.vars.iter().any(|(n, _)| n == name))
        .map(|name| format!("`{name}`"))
        .collect();
    if !from_environment.is_empty() {
        let _ = write!(
            command,
            " with {} set in the environment",
            from_environment.join(", ")
        );
    }
    command
}

/// Whether a variable's name could be a secret's: broad on purpose, as a value shown in a
/// command lands in CI logs.
fn may_be_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "PASS",
        "PWD",
        "SECRET",
        "TOKEN",
        "KEY",
        "CREDENTIAL",
        "AUTH",
        "PRIVATE",
        "CERT",
        "SESSION",
        "COOKIE",
        "SIGNATURE",
        "SALT",
        "DSN",
        "CONNECTION",
    ]
    .iter()
    .any(|word| upper.contains(word))
}

/// `word` as a POSIX shell reads it back: bare when it is safe, else in single quotes.
fn quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:@,+=".contains(&b));
    if safe {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Reports a failure to read or write in the out dir, with the path as the user sees it like
/// every other path in the output; returns the exit code.
pub fn write_error(shell: &mut Shell, error: &export::WriteError) -> u8 {
    shell.error(format!(
        "cannot {} `{}`: {}",
        error.action,
        shell.display_path(&error.path),
        error.source
    ));
    USAGE_OR_IO
}
