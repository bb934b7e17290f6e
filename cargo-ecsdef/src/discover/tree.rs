//! The module tree of each crate, as rustc builds it: which file each `mod` item names
//! (`#[path]` first, then `name.rs` or `name/mod.rs`, inside `a/` for a non-mod-rs file `a.rs`;
//! inline modules), each file requested once per package, and the declarations reached in each
//! module. Built on the coordinating thread from the summaries the workers send (see
//! `schedule`); [`Tree::finish`] sorts the result.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::metadata::Workspace;
use super::modules::{ChildModule, FileSummary};
use super::{
    Declaration, Diagnostic, DiagnosticKind, Discovery, Location, PackageInfo, Severity, Target,
    TaskField,
};

/// A file as parsed for one package (the package decides its cfg).
pub(crate) type FileKey = (usize, PathBuf);

/// A compilation target being walked: a package's library or one of its binaries.
pub(crate) struct Crate {
    pub package: usize,
    pub target: Target,
    pub root: usize,
    /// The extern prelude: dependencies (and, for a binary, its own library) by crate name.
    pub externs: BTreeMap<String, usize>,
}

/// A module of a crate: where its items come from, and where its `mod name;` children are.
pub(crate) struct Module<T> {
    pub krate: usize,
    pub parent: Option<usize>,
    /// `crate`, `crate::a::b`.
    pub path: String,
    pub file: PathBuf,
    /// rustc's `dir_path`: where `mod x;` looks for `x.rs` (after `relative`).
    dir: PathBuf,
    /// rustc's `relative`: set for a non-mod-rs file `a.rs`, whose children live in `a/`.
    relative: Option<String>,
    /// The summary of the file and the index of this module in it; `None` until parsed (or when
    /// the file could not be found).
    pub content: Option<(Arc<FileSummary<T>>, usize)>,
    /// Child modules by name, with their visibility.
    pub children: BTreeMap<String, (usize, bool)>,
}

/// One declaration as reached in one module.
pub(crate) struct Occurrence<T> {
    pub module: usize,
    pub summary: Arc<FileSummary<T>>,
    pub index: usize,
    pub fields: Vec<FieldState>,
}

/// How far the resolution of a task field's type has come (see `resolve`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldState {
    /// Not tried yet, or waiting for a dependency's library to be walked.
    Unresolved,
    /// The occurrence of the `Container` it names.
    Resolved(usize),
    /// Reported.
    Failed,
}

/// A file requested for a package: the modules waiting for it, then its summary.
enum FileState<T> {
    Pending(Vec<usize>),
    Done(Arc<FileSummary<T>>),
}

/// Every crate discovery walks, their modules, and the declarations reached in them.
pub(crate) struct Tree<'w, T> {
    pub workspace: &'w Workspace,
    pub crates: Vec<Crate>,
    pub lib_crates: HashMap<usize, usize>,
    pub modules: Vec<Module<T>>,
    pub occurrences: Vec<Occurrence<T>>,
    /// (module, declaration index in its file) -> occurrence.
    pub occurrence_of: HashMap<(usize, usize), usize>,
    files: HashMap<FileKey, FileState<T>>,
    /// The files requested and not yet handed to a worker.
    pub jobs: Vec<FileKey>,
    pub diagnostics: Vec<Diagnostic>,
    /// Some file's derive path may lead outside the workspace (see
    /// [`FileSummary::reaches_outside`]).
    pub reaches_outside: bool,
}

impl<'w, T: Clone> Tree<'w, T> {
    pub(crate) fn new(workspace: &'w Workspace) -> Self {
        Self {
            workspace,
            crates: Vec::new(),
            lib_crates: HashMap::new(),
            modules: Vec::new(),
            occurrences: Vec::new(),
            occurrence_of: HashMap::new(),
            files: HashMap::new(),
            jobs: Vec::new(),
            diagnostics: workspace.diagnostics.clone(),
            reaches_outside: false,
        }
    }

    /// Creates the package's library and binary crates and requests their roots.
    pub(crate) fn load_package(&mut self, package: usize) {
        self.load_lib(package);
        let info = &self.workspace.packages[package];
        for bin in &info.bins {
            let mut externs = info.externs.clone();
            if let Some(lib) = &info.lib {
                externs.insert(lib.name.clone(), package);
            }
            self.add_crate(package, bin.name.clone(), bin.kind, &bin.root, externs);
        }
    }

    /// Creates the package's library crate and queues its root, once.
    pub(crate) fn load_lib(&mut self, package: usize) {
        if self.lib_crates.contains_key(&package) {
            return;
        }
        let info = &self.workspace.packages[package];
        let Some(lib) = &info.lib else { return };
        let krate = self.add_crate(
            package,
            lib.name.clone(),
            lib.kind,
            &lib.root,
            info.externs.clone(),
        );
        self.lib_crates.insert(package, krate);
    }

    fn add_crate(
        &mut self,
        package: usize,
        name: String,
        kind: super::TargetKind,
        root: &Path,
        externs: BTreeMap<String, usize>,
    ) -> usize {
        let krate = self.crates.len();
        let module = self.modules.len();
        self.modules.push(Module {
            krate,
            parent: None,
            path: "crate".to_owned(),
            file: root.to_owned(),
            dir: root.parent().map(Path::to_owned).unwrap_or_default(),
            relative: None,
            content: None,
            children: BTreeMap::new(),
        });
        self.crates.push(Crate {
            package,
            target: Target { name, kind },
            root: module,
            externs,
        });
        self.request(module, package, root.to_owned());
        krate
    }

    fn request(&mut self, module: usize, package: usize, file: PathBuf) {
        let key = (package, file);
        match self.files.get_mut(&key) {
            Some(FileState::Done(summary)) => {
                let summary = Arc::clone(summary);
                self.instantiate(module, &summary, 0);
            }
            Some(FileState::Pending(waiting)) => waiting.push(module),
            None => {
                self.files
                    .insert(key.clone(), FileState::Pending(vec![module]));
                self.jobs.push(key);
            }
        }
    }

    /// Takes a file's summary: the modules waiting for it get their content.
    pub(crate) fn file_arrived(&mut self, key: FileKey, summary: FileSummary<T>) {
        let summary = Arc::new(summary);
        self.reaches_outside |= summary.reaches_outside;
        self.diagnostics.extend(summary.diagnostics.iter().cloned());
        let previous = self
            .files
            .insert(key, FileState::Done(Arc::clone(&summary)));
        if let Some(FileState::Pending(waiting)) = previous {
            for module in waiting {
                self.instantiate(module, &summary, 0);
            }
        }
    }

    /// Gives `module` its content (`summary.modules[index]`), registers its declarations and
    /// creates its children: inline ones at once, file ones once their file is parsed.
    fn instantiate(&mut self, module: usize, summary: &Arc<FileSummary<T>>, index: usize) {
        self.modules[module].content = Some((Arc::clone(summary), index));
        for (position, declaration) in summary.declarations.iter().enumerate() {
            if declaration.module == index {
                let occurrence = self.occurrences.len();
                self.occurrences.push(Occurrence {
                    module,
                    summary: Arc::clone(summary),
                    index: position,
                    fields: vec![FieldState::Unresolved; declaration.fields.len()],
                });
                self.occurrence_of.insert((module, position), occurrence);
            }
        }
        for child in &summary.modules[index].children {
            match child.inline {
                Some(inline) => {
                    let parent = &self.modules[module];
                    // For an inline module, `#[path]` names its directory.
                    let dir = if let Some(path) = &child.path_attr {
                        normalize(&parent.dir.join(path))
                    } else {
                        let mut dir = parent.dir.clone();
                        if let Some(relative) = &parent.relative {
                            dir.push(relative);
                        }
                        dir.push(&child.name);
                        dir
                    };
                    let file = parent.file.clone();
                    let id = self.add_module(module, child, file, dir, None);
                    self.instantiate(id, summary, inline);
                }
                None => self.file_child(module, child),
            }
        }
    }

    fn add_module(
        &mut self,
        parent: usize,
        child: &ChildModule,
        file: PathBuf,
        dir: PathBuf,
        relative: Option<String>,
    ) -> usize {
        let id = self.modules.len();
        let krate = self.modules[parent].krate;
        let path = format!("{}::{}", self.modules[parent].path, child.name);
        self.modules.push(Module {
            krate,
            parent: Some(parent),
            path,
            file,
            dir,
            relative,
            content: None,
            children: BTreeMap::new(),
        });
        self.modules[parent]
            .children
            .insert(child.name.clone(), (id, child.public));
        id
    }

    /// `mod name;`: `#[path]` first (relative to the directory of the file, or of the inline
    /// module it is in), then `name.rs` and `name/mod.rs` (inside `a/` for a non-mod-rs `a.rs`).
    fn file_child(&mut self, module: usize, child: &ChildModule) {
        let parent = &self.modules[module];
        let at = Location {
            file: parent.file.clone(),
            line: child.line,
            column: child.column,
        };
        // Whether the file is known to exist: the one a `#[path]` names is looked at last.
        let (file, dir, relative, found) = if let Some(path) = &child.path_attr {
            let file = normalize(&parent.dir.join(path));
            // rustc treats every `#[path]` file as a mod-rs file: its children are its siblings.
            let dir = file.parent().map(Path::to_owned).unwrap_or_default();
            (file, dir, None, false)
        } else {
            let mut base = parent.dir.clone();
            if let Some(relative) = &parent.relative {
                base.push(relative);
            }
            let flat = base.join(format!("{}.rs", child.name));
            let nested = base.join(&child.name).join("mod.rs");
            match (flat.is_file(), nested.is_file()) {
                (true, false) => (flat, base, Some(child.name.clone()), true),
                (false, true) => {
                    let dir = base.join(&child.name);
                    (nested, dir, None, true)
                }
                (true, true) => {
                    self.error(
                        at,
                        DiagnosticKind::ModuleAmbiguous,
                        format!(
                            "file for module `{}` found at both `{}` and `{}`; delete or rename one of them",
                            child.name,
                            flat.display(),
                            nested.display()
                        ),
                    );
                    return;
                }
                (false, false) => {
                    self.error(
                        at,
                        DiagnosticKind::ModuleNotFound,
                        format!(
                            "file not found for module `{}`: neither `{}` nor `{}` exists",
                            child.name,
                            flat.display(),
                            nested.display()
                        ),
                    );
                    return;
                }
            }
        };
        let mut ancestor = Some(module);
        while let Some(id) = ancestor {
            if self.modules[id].file == file {
                self.error(
                    at,
                    DiagnosticKind::ModuleCycle,
                    format!(
                        "circular modules: `mod {}` includes `{}`, which is already an enclosing module's file",
                        child.name,
                        file.display()
                    ),
                );
                return;
            }
            ancestor = self.modules[id].parent;
        }
        if !found && !file.is_file() {
            self.error(
                at,
                DiagnosticKind::ModuleNotFound,
                format!(
                    "file not found for module `{}`: `{}` (from its `#[path]`) does not exist",
                    child.name,
                    file.display()
                ),
            );
            return;
        }
        let package = self.crates[self.modules[module].krate].package;
        let id = self.add_module(module, child, file.clone(), dir, relative);
        self.request(id, package, file);
    }

    pub(crate) fn error(&mut self, location: Location, kind: DiagnosticKind, message: String) {
        self.diagnostics.push(Diagnostic {
            location: Some(location),
            severity: Severity::Error,
            kind,
            message,
        });
    }

    /// The declarations and diagnostics, sorted by package, file, line and column.
    pub(crate) fn finish(self) -> Discovery<T>
    where
        T: Send + Sync + 'static,
    {
        // Declarations are ordered by package and file first. Each module's (package, file)
        // is ranked once: comparing paths component by component for every pair of
        // declarations would be most of this sort, on the thread everything waits for.
        let package_of = |module: &Module<T>| {
            let package = &self.workspace.packages[self.crates[module.krate].package];
            (package.name.as_str(), package.id.as_str())
        };
        let mut by_file: Vec<usize> = (0..self.modules.len()).collect();
        by_file.sort_by(|&a, &b| {
            let (a, b) = (&self.modules[a], &self.modules[b]);
            (package_of(a), a.file.as_path()).cmp(&(package_of(b), b.file.as_path()))
        });
        let mut file_rank = vec![0; self.modules.len()];
        for pair in by_file.windows(2) {
            let (previous, this) = (&self.modules[pair[0]], &self.modules[pair[1]]);
            let same = package_of(previous) == package_of(this) && previous.file == this.file;
            file_rank[pair[1]] = file_rank[pair[0]] + usize::from(!same);
        }
        let key = |occurrence: &Occurrence<T>| {
            let module = &self.modules[occurrence.module];
            let krate = &self.crates[module.krate];
            let declaration = &occurrence.summary.declarations[occurrence.index];
            (
                file_rank[occurrence.module],
                declaration.line,
                declaration.column,
                declaration.kind,
                &krate.target,
                module.path.as_str(),
            )
        };
        let mut order: Vec<usize> = (0..self.occurrences.len()).collect();
        order.sort_by_cached_key(|&i| key(&self.occurrences[i]));
        let mut position = vec![0; order.len()];
        for (sorted, &original) in order.iter().enumerate() {
            position[original] = sorted;
        }

        let declarations = order
            .iter()
            .map(|&i| {
                let occurrence = &self.occurrences[i];
                let module = &self.modules[occurrence.module];
                let krate = &self.crates[module.krate];
                let package = &self.workspace.packages[krate.package];
                let found = &occurrence.summary.declarations[occurrence.index];
                let fields = found
                    .fields
                    .iter()
                    .zip(&occurrence.fields)
                    .map(|(field, state)| TaskField {
                        name: field.name.clone(),
                        ty: match &field.ty {
                            Ok(path) => path.to_string(),
                            Err((printed, _)) => printed.clone(),
                        },
                        location: Location {
                            file: module.file.clone(),
                            line: field.line,
                            column: field.column,
                        },
                        container: match state {
                            FieldState::Resolved(target) => Some(position[*target]),
                            _ => None,
                        },
                    })
                    .collect();
                Declaration {
                    package_name: package.name.clone(),
                    package_id: package.id.clone(),
                    selected: package.selected,
                    target: krate.target.clone(),
                    module_path: module.path.clone(),
                    name: found.name.clone(),
                    kind: found.kind,
                    location: Location {
                        file: module.file.clone(),
                        line: found.line,
                        column: found.column,
                    },
                    fields,
                    analysis: found.analysis.clone(),
                }
            })
            .collect();

        // A file reached twice reports its problems once; sorted, they do not depend on which
        // worker finished first.
        let diagnostics: BTreeSet<Diagnostic> = self.diagnostics.into_iter().collect();
        let files_parsed = self
            .files
            .keys()
            .map(|(_, path)| path)
            .collect::<HashSet<_>>()
            .len();
        let discovery = Discovery {
            workspace_root: self.workspace.root.clone(),
            packages: self
                .workspace
                .selected
                .iter()
                .map(|&i| {
                    let package = &self.workspace.packages[i];
                    PackageInfo {
                        name: package.name.clone(),
                        id: package.id.clone(),
                        manifest_path: package.manifest_path.clone(),
                    }
                })
                .collect(),
            declarations,
            diagnostics: diagnostics.into_iter().collect(),
            files_parsed,
        };
        // The module tree and every file's summary: thousands of small allocations, freed
        // off the path to the result.
        crate::parallel::drop_in_background((self.modules, self.occurrences, self.files));
        discovery
    }
}

/// `a/b/../c` as `a/c`, without touching the file system: `#[path = "../shared.rs"]` from two
/// binaries names one file, and diagnostics should show it as a person would write it.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}
