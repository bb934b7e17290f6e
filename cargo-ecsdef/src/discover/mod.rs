//! Finds every `#[derive(Container)]` and `#[derive(TaskDefinition)]` in a Cargo workspace
//! without compiling it.
//!
//! The pipeline, a module each:
//!
//! 1. `metadata`: `cargo metadata`, then package selection as cargo does it (`-p`,
//!    `--workspace`, `--exclude`, default members) and each package's enabled features and
//!    dependencies. Discovery starts from the members alone (`members`: `--no-deps`, with
//!    features and dependencies computed as cargo's resolver does) when that gives cargo's
//!    answer, and starts over from the whole graph when a declaration leads outside the
//!    workspace.
//! 2. `schedule`: while `cargo metadata` runs, one worker (the reader) reads ahead the files
//!    `prescan` guesses; then every worker summarises the files the module tree asks for, and
//!    the coordinating thread grows the tree from their summaries.
//! 3. `modules`: on a worker thread, a file is read (`source`: a regular file, of at most
//!    64 MiB) and its items found (`items`): by the skim (`skim`, over its `lexer`), which
//!    reads only the items discovery needs, or by `syn::parse_file` when the skim cannot read
//!    the file and it nests no deeper than syn can follow. The items are summarised: the
//!    file's `mod` items, `use` items, type names and declarations, after `#[cfg]` and
//!    `#[cfg_attr]` evaluation (`cfg`). Every span becomes a line and column there, because
//!    syn spans do not cross threads. The caller's analyzer (the attribute front end) runs
//!    there too, on each declaration's [`FileInput`]: read from the skim's tokens for a
//!    struct in the plain form (`skim/declared.rs`), converted from syn's tree otherwise.
//! 4. `tree`: on the coordinating thread, the `mod` items are followed from each target's root
//!    file (`#[path]` first, then `name.rs` / `name/mod.rs` with rustc's rules for non-mod-rs
//!    files and inline modules), each file queued once per package whichever path (through
//!    symlinked folders) reaches it, up to a bound on each package's modules. Files are never
//!    globbed: a crate's `tests/ui` folder may hold deliberately broken files.
//!    Once every file is in, [`discover_early`]'s callback is told the tasks found (the
//!    export starts creating a new out dir's files then, on the core the next steps leave idle).
//! 5. `resolve`: each task field's type path is resolved through the module's `use` items to
//!    the `Container` declaration it names, across workspace members and dependencies; a
//!    dependency's library is walked only when a path leads into it.
//!
//! Results are sorted, so they never depend on thread timing.
//!
//! Three fast paths sit beside a plain way that is their reference, and tests hold each to it:
//! the skim to `syn::parse_file` (`skim`'s tests, on real code too), the members alone to the
//! whole dependency graph (`members`' and `schedule`'s tests), and the analysis made while
//! reading ahead to the one made once the package is known (`modules`' tests).
//!
//! ## Which derives count
//!
//! A derive path counts when it names ecsdef's derive in its module: `use ecsdef::Container`,
//! `use ecsdef::*`, `use ecsdef::Container as C`, `ecsdef::Container` or `::ecsdef::Container`,
//! also when the `ecsdef` dependency is renamed in `Cargo.toml`. When the module's `use` items
//! cannot tell (a crate that re-exports ecsdef, a `crate::` re-export, a glob of another crate,
//! no import at all), a derive whose last segment is exactly `Container` or `TaskDefinition` is
//! included: re-exporting crates are common, and a struct wrongly included is reported by the
//! front end, while one wrongly skipped would silently be missing from the deployment. A derive
//! imported from another proc-macro crate is not ecsdef's and is skipped.

mod cfg;
mod input;
mod items;
mod members;
mod metadata;
mod modules;
mod prescan;
mod resolve;
mod schedule;
mod skim;
mod source;
mod tree;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use self::input::{CompactPos, FileInput, FileToken, FileTree};
pub use self::items::TextOrigin;
pub use self::modules::DeclarationInput;
pub(crate) use self::tree::FastSet;

/// What to discover: cargo's package selection and feature flags.
///
/// The CLI maps its `clap` arguments to this; the defaults select what `cargo build` would build
/// in the current directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscoverOptions {
    /// `--manifest-path`: the `Cargo.toml` to start from (default: the nearest one above the
    /// current directory).
    pub manifest_path: Option<PathBuf>,
    /// `-p/--package` specifications: a name, or `name@version`.
    pub packages: Vec<String>,
    /// `--workspace`: every workspace member.
    pub workspace: bool,
    /// `--exclude`: members left out of `--workspace`.
    pub exclude: Vec<String>,
    /// `--features`: as cargo takes them (`a,b`, `a b`, `member/feature`).
    pub features: Vec<String>,
    /// `--all-features`.
    pub all_features: bool,
    /// `--no-default-features`.
    pub no_default_features: bool,
}

/// Which derive a struct carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclarationKind {
    /// `#[derive(Container)]`: one container.
    Container,
    /// `#[derive(TaskDefinition)]`: one task definition whose fields are containers.
    TaskDefinition,
}

impl DeclarationKind {
    /// The derive's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Container => "Container",
            Self::TaskDefinition => "TaskDefinition",
        }
    }
}

impl fmt::Display for DeclarationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of compilation target a declaration was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetKind {
    /// The package's library (`lib`, `rlib`, `proc-macro`, ...).
    Lib,
    /// A binary.
    Bin,
}

/// A compilation target of a package: one crate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    /// The target's crate name (`acme_web`, or the binary's name).
    pub name: String,
    /// Library or binary.
    pub kind: TargetKind,
}

/// A place in a source file. Lines and columns count from 1; a column counts characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file, as cargo metadata spells the package's paths (absolute): shared by the
    /// locations of every declaration and field of one module's file.
    pub file: Arc<Path>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The declaration or file concerned cannot be exported as written.
    Error,
    /// Discovery went on with an assumption the user should know about.
    Warning,
}

/// What a [`Diagnostic`] is about; [`DiagnosticKind::name`] is stable, for JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticKind {
    /// A file could not be read (a target's root, or a module's file).
    ReadFailed,
    /// A file is not valid Rust.
    ParseFailed,
    /// `mod x;` whose file does not exist.
    ModuleNotFound,
    /// `mod x;` with both `x.rs` and `x/mod.rs`.
    ModuleAmbiguous,
    /// A module that includes one of its own ancestors' files.
    ModuleCycle,
    /// A package whose module tree grows past what discovery follows (files that include one
    /// another several times); the modules beyond are not read.
    ModuleTreeTooLarge,
    /// A `#[cfg]` or `#[cfg_attr]` that cannot be decided without compiling; the item is kept.
    UndecidableCfg,
    /// A task field's type does not resolve to a `Container` declaration.
    UnresolvedContainer,
    /// A task field's type is not a plain path (generic, reference, tuple, ...).
    UnsupportedFieldType,
    /// An `--exclude` that names no workspace member.
    UnknownExclude,
}

impl DiagnosticKind {
    /// A stable kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::ReadFailed => "read-failed",
            Self::ParseFailed => "parse-failed",
            Self::ModuleNotFound => "module-not-found",
            Self::ModuleAmbiguous => "module-ambiguous",
            Self::ModuleCycle => "module-cycle",
            Self::ModuleTreeTooLarge => "module-tree-too-large",
            Self::UndecidableCfg => "undecidable-cfg",
            Self::UnresolvedContainer => "unresolved-container",
            Self::UnsupportedFieldType => "unsupported-field-type",
            Self::UnknownExclude => "unknown-exclude",
        }
    }
}

/// A problem found while discovering. Discovery never stops at one: every file that can be
/// read is read, every declaration that can be found is found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Where (absent only for problems of the command line, such as an unknown `--exclude`).
    pub location: Option<Location>,
    /// Error or warning.
    pub severity: Severity,
    /// What it is about.
    pub kind: DiagnosticKind,
    /// A sentence naming what is wrong (the path, the struct, the file).
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        write!(f, "{level}: {} ({})", self.message, self.kind.name())
    }
}

/// A selected package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PackageInfo {
    /// The package's name.
    pub name: String,
    /// Cargo's package id.
    pub id: String,
    /// Its `Cargo.toml`.
    pub manifest_path: PathBuf,
}

/// One field of a task definition: the container it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskField {
    /// The field's name (or its index, for a tuple struct).
    pub name: String,
    /// The field's type as written (`acme_sidecars::FluentBit`), or as printed when it is not a
    /// plain path.
    pub ty: String,
    /// Where the type is written.
    pub location: Location,
    /// The index in [`Discovery::declarations`] of the `Container` the type names; `None` when it
    /// does not resolve (a diagnostic says why).
    pub container: Option<usize>,
}

/// One struct that derives `Container` or `TaskDefinition`, in one module of one crate.
///
/// A file reached twice (two binaries including it with `#[path]`) is parsed once but yields
/// one declaration per place it is reached, as the compiler would see two structs.
///
/// Every declaration is kept until its tasks are checked: what many repeat (the package's
/// name and id, the file's path) is shared, one copy a package and a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration<T = ()> {
    /// The package's name.
    pub package_name: Arc<str>,
    /// Cargo's package id.
    pub package_id: Arc<str>,
    /// True when the package is selected; false for a dependency's declarations, walked because
    /// a selected task names one of its containers.
    pub selected: bool,
    /// The crate (library or binary) the struct belongs to.
    pub target: Target,
    /// The module: `crate`, `crate::web`, ...
    pub module_path: String,
    /// The struct's name.
    pub name: String,
    /// Which derive.
    pub kind: DeclarationKind,
    /// Where the struct's name is written.
    pub location: Location,
    /// A task definition's fields, in order (after `#[cfg]` on fields); empty for a container.
    pub fields: Vec<TaskField>,
    /// What the analyzer returned for this struct's [`syn::DeriveInput`].
    pub analysis: T,
}

/// Everything discovery found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery<T = ()> {
    /// The workspace root directory.
    pub workspace_root: PathBuf,
    /// The selected packages, sorted by name.
    pub packages: Vec<PackageInfo>,
    /// The declarations, sorted by package, file, line and column.
    pub declarations: Vec<Declaration<T>>,
    /// Errors and warnings, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// How many distinct files were read and parsed.
    pub files_parsed: usize,
    /// `[workspace.metadata.ecsdef]` of the workspace's `Cargo.toml`, unread.
    pub settings: Option<Box<serde_json::Value>>,
}

impl<T> Discovery<T> {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The container a task field names, when it resolved.
    pub fn container_of(&self, field: &TaskField) -> Option<&Declaration<T>> {
        field.container.map(|index| &self.declarations[index])
    }
}

/// Why discovery could not start at all (nothing was read). Problems inside the workspace are
/// [`Diagnostic`]s instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoverError {
    /// `cargo metadata` failed; its stderr says why.
    Metadata(String),
    /// No `Cargo.toml` in the current directory or above it.
    ManifestNotFound(PathBuf),
    /// A `-p` specification that matches no package.
    PackageNotFound(String),
    /// A `-p` specification that matches several packages.
    AmbiguousPackage {
        /// The specification given.
        spec: String,
        /// `name@version` of each match.
        candidates: Vec<String>,
    },
    /// `--exclude` without `--workspace`.
    ExcludeWithoutWorkspace,
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // cargo starts its own message with `error: `, which ours already says.
            Self::Metadata(stderr) => {
                let stderr = stderr.trim();
                let stderr = stderr.strip_prefix("error: ").unwrap_or(stderr);
                write!(f, "`cargo metadata` failed: {stderr}")
            }
            Self::ManifestNotFound(dir) => write!(
                f,
                "could not find `Cargo.toml` in `{}` or any parent directory",
                dir.display()
            ),
            Self::PackageNotFound(spec) => write!(
                f,
                "package ID specification `{spec}` did not match any packages"
            ),
            Self::AmbiguousPackage { spec, candidates } => write!(
                f,
                "package ID specification `{spec}` is ambiguous; it matches {}",
                candidates.join(", ")
            ),
            Self::ExcludeWithoutWorkspace => {
                f.write_str("`--exclude` can only be used together with `--workspace`")
            }
        }
    }
}

impl std::error::Error for DiscoverError {}

/// The text of a source file as discovery reads it: a regular file (or a symlink to one) of
/// at most 64 MiB, in UTF-8; `None` for anything else. What shows a diagnostic's source reads
/// it through this, so that a file discovery refused (a FIFO, `/dev/zero`) cannot hang it.
pub fn read_source_file(path: &Path) -> Option<String> {
    source::read_source(path).ok()
}

/// The text of a file the user names (a vars file, a task definition to import), read as
/// discovery reads a source file; the error is the sentence after "cannot read `FILE`: ".
pub fn read_input_file(path: &Path) -> Result<String, String> {
    source::read_input(path).map_err(|e| e.to_string())
}

/// Discovers every declaration of the selected packages, without analysing them.
pub fn discover(options: &DiscoverOptions) -> Result<Discovery, DiscoverError> {
    discover_with(options, |_: &DeclarationInput<'_>| ())
}

/// Discovers every declaration of the selected packages and runs `analyze` on each one's
/// [`FileInput`] (what the `#[ecs(...)]` front end reads of the struct, every span a position
/// in the file), on the worker thread that read its file.
///
/// `analyze` is where the front end runs. Its result is stored in
/// [`Declaration::analysis`]; it is cloned when a file is reached from two places, and what
/// discovery no longer needs is freed on a background thread (hence `Sync + 'static`).
///
/// `analyze` must depend on its [`DeclarationInput`] alone. While `cargo metadata` runs, the
/// workspace's files are read ahead, and a struct whose input no feature can change (no `cfg`
/// or `cfg_attr` on it or its fields) is analysed then, before discovery knows its package or
/// whether the module that holds it is part of a crate at all. So it may be called for a
/// struct that turns out not to be a declaration, or twice for one, but each declaration gets
/// the result it would get if analysed last.
pub fn discover_with<T, F>(
    options: &DiscoverOptions,
    analyze: F,
) -> Result<Discovery<T>, DiscoverError>
where
    T: Send + Sync + Clone + 'static,
    F: Fn(&DeclarationInput<'_>) -> T + Sync,
{
    schedule::run(options, &analyze, &mut None::<fn(FilesIn<'_, T>)>)
}

/// [`discover_with`], telling `early` what is known once every file of the selected packages
/// is in, before the tasks' fields are resolved and the declarations sorted: work that needs
/// only that can start meanwhile, on a core that the rest of discovery leaves idle (the
/// export creates its new out dir's files then). Called at most once, on the calling thread.
pub fn discover_early<T, F, E>(
    options: &DiscoverOptions,
    analyze: F,
    early: E,
) -> Result<Discovery<T>, DiscoverError>
where
    T: Send + Sync + Clone + 'static,
    F: Fn(&DeclarationInput<'_>) -> T + Sync,
    E: FnOnce(FilesIn<'_, T>),
{
    schedule::run(options, &analyze, &mut Some(early))
}

/// What [`discover_early`] tells its callback once every file of the selected packages is in.
#[derive(Debug)]
pub struct FilesIn<'a, T> {
    /// The workspace root.
    pub workspace_root: &'a Path,
    /// `[workspace.metadata.ecsdef]`, unread.
    pub settings: Option<&'a serde_json::Value>,
    /// The analyses of the selected packages' `#[derive(TaskDefinition)]` structs found so
    /// far, in no particular order: a guess of the tasks, as the tasks' fields are not
    /// resolved yet (a file reached twice gives its tasks twice).
    pub tasks: Vec<&'a T>,
}
