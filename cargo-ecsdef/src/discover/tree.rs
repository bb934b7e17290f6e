//! The module tree of each crate, as rustc builds it: which file each `mod` item names
//! (`#[path]` first, then `name.rs` or `name/mod.rs`, inside `a/` for a non-mod-rs file `a.rs`;
//! inline modules), each file requested once per package, and the declarations reached in each
//! module. Built on the coordinating thread from the summaries the workers send (see
//! `schedule`); [`Tree::finish`] sorts the result.
//!
//! A file is known by what it is, not by its path: through a symlinked folder one file has
//! many paths, and it is read once per package and recognised as an enclosing module's file.
//! A file included by several `mod` items is a module at each place, as rustc makes it, so
//! files that each include the next twice make a tree that doubles with every file: a
//! package's tree stops growing at [`MAX_MODULES`] modules, with an error.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::metadata::Workspace;
use super::modules::{ChildModule, FileSummary};
use super::{
    Declaration, DeclarationKind, Diagnostic, DiagnosticKind, Discovery, Location, PackageInfo,
    Severity, Target, TaskField,
};

/// A file as parsed for one package (the package decides its cfg), by the first path it was
/// reached by.
pub(crate) type FileKey = (usize, FilePath);

/// A file's path as a key of discovery's maps: hashed and compared as its bytes. std hashes a
/// `Path` component by component, a thousand instructions for a workspace's path, and the
/// coordinating thread looks each file up several times. Bytes find what components would
/// for the paths discovery keys by: one spelling per file and package, the first it was
/// reached by (see `Tree::paths`). A file the read-ahead spelled otherwise is read again.
#[derive(Debug, Clone)]
pub(crate) struct FilePath(pub PathBuf);

impl PartialEq for FilePath {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_os_str() == other.0.as_os_str()
    }
}

impl Eq for FilePath {}

impl std::hash::Hash for FilePath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.as_os_str().as_encoded_bytes().hash(state);
    }
}

impl std::ops::Deref for FilePath {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

/// The hasher of discovery's maps, which the coordinating thread consults several times for
/// every file and declaration: FxHash's multiply-and-rotate over 8-byte words. std's SipHash
/// resists keys chosen to collide, which a workspace's own paths and indexes are not; hashing
/// a path with it was most of the coordinating thread's map work.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length too, so that trailing zero bytes change the hash.
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub(crate) type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

/// The most modules a package's crates may have together, inline ones included: many times
/// what a real package has, few enough that the tree fits in memory.
pub(crate) const MAX_MODULES: usize = 100_000;

/// The longest module path (`crate::a::b`), in bytes: real ones are a few dozen. With
/// [`MAX_MODULES`], it bounds the memory of a package's module paths, and the depth of its
/// tree.
pub(crate) const MAX_MODULE_PATH: usize = 1024;

/// What a file is, whichever path reaches it: its device and inode, or where those are not
/// at hand, its canonical path. Cloned, never copied, so that both compile alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

/// The identity of the file at `path` (symlinks followed); `None` when nothing is there.
fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(target_os = "linux")]
    {
        file_id_at(rustix::fs::CWD, path)
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        use std::os::unix::fs::MetadataExt;
        let metadata = std::fs::metadata(path).ok()?;
        Some(FileId((metadata.dev(), metadata.ino())))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileId)
    }
}

/// The folder the last `mod name;` was looked for in, open on Linux.
#[derive(Default)]
struct LastFolder(#[cfg(target_os = "linux")] Option<(PathBuf, std::os::fd::OwnedFd)>);

impl LastFolder {
    /// [`file_id`] of `flat` (`base/NAME.rs`) and of `nested` (`base/NAME/mod.rs`). On Linux
    /// both are looked up from `base`, opened once and kept open for the next `mod` item
    /// there: a lookup by the whole path walks every folder above it again, a fifth of the
    /// coordinating thread's time on a workspace of a thousand modules, and that thread hands
    /// the workers their files.
    fn module_files(
        &mut self,
        base: &Path,
        name: &str,
        flat: &Path,
        nested: &Path,
    ) -> (Option<FileId>, Option<FileId>) {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            if self.0.as_ref().is_none_or(|(open, _)| open != base) {
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                self.0 = rustix::fs::open(base, flags, Mode::empty())
                    .ok()
                    .map(|folder| (base.to_owned(), folder));
            }
            if let Some((_, folder)) = &self.0 {
                return (
                    file_id_at(folder, [name, ".rs"].concat()),
                    file_id_at(folder, [name, "/mod.rs"].concat()),
                );
            }
        }
        // Elsewhere, or when the folder cannot be opened: by the whole paths.
        #[cfg(not(target_os = "linux"))]
        let _ = (base, name);
        (file_id(flat), file_id(nested))
    }
}

/// [`file_id`] of `path` from `folder` (when `path` is relative). On Linux every identity
/// comes from here, so that all are read the same way.
#[cfg(target_os = "linux")]
fn file_id_at(folder: impl std::os::fd::AsFd, path: impl rustix::path::Arg) -> Option<FileId> {
    let stat = rustix::fs::statat(folder, path, rustix::fs::AtFlags::empty()).ok()?;
    Some(FileId((stat.st_dev, stat.st_ino)))
}

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
    /// What `file` is (see [`FileId`]); `None` when nothing is at its path.
    id: Option<FileId>,
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
    pub lib_crates: FastMap<usize, usize>,
    pub modules: Vec<Module<T>>,
    pub occurrences: Vec<Occurrence<T>>,
    /// (module, declaration index in its file) -> occurrence.
    pub occurrence_of: FastMap<(usize, usize), usize>,
    files: FastMap<FileKey, FileState<T>>,
    /// The first path each file was reached by, per package: the key of its [`FileState`].
    paths: FastMap<(usize, FileId), PathBuf>,
    /// How many modules each package has.
    module_counts: FastMap<usize, usize>,
    /// The packages whose module tree stopped growing (see [`MAX_MODULES`]).
    too_large: FastSet<usize>,
    /// The files requested and not yet handed to a worker.
    pub jobs: Vec<FileKey>,
    pub diagnostics: Vec<Diagnostic>,
    /// Some file's derive path may lead outside the workspace (see
    /// [`FileSummary::reaches_outside`]).
    pub reaches_outside: bool,
    /// The folder the last `mod name;` was looked for in.
    folder: LastFolder,
}

impl<'w, T: Clone> Tree<'w, T> {
    pub(crate) fn new(workspace: &'w Workspace) -> Self {
        Self {
            workspace,
            crates: Vec::new(),
            lib_crates: FastMap::default(),
            modules: Vec::new(),
            occurrences: Vec::new(),
            occurrence_of: FastMap::default(),
            files: FastMap::default(),
            paths: FastMap::default(),
            module_counts: FastMap::default(),
            too_large: FastSet::default(),
            jobs: Vec::new(),
            diagnostics: workspace.diagnostics.clone(),
            reaches_outside: false,
            folder: LastFolder::default(),
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
        let id = file_id(root);
        *self.module_counts.entry(package).or_default() += 1;
        self.modules.push(Module {
            krate,
            parent: None,
            path: "crate".to_owned(),
            file: root.to_owned(),
            id: id.clone(),
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
        if let Some(summary) = self.request(module, package, root.to_owned(), id) {
            self.instantiate(module, summary, 0);
        }
        krate
    }

    /// Asks for `file`'s summary for `module`: it comes back when the file was summarised
    /// already; otherwise `module` gets it when it arrives.
    fn request(
        &mut self,
        module: usize,
        package: usize,
        file: PathBuf,
        id: Option<FileId>,
    ) -> Option<Arc<FileSummary<T>>> {
        let file = match id {
            Some(id) => self.paths.entry((package, id)).or_insert(file).clone(),
            None => file,
        };
        let key = (package, FilePath(file));
        match self.files.get_mut(&key) {
            Some(FileState::Done(summary)) => return Some(Arc::clone(summary)),
            Some(FileState::Pending(waiting)) => waiting.push(module),
            None => {
                self.files
                    .insert(key.clone(), FileState::Pending(vec![module]));
                self.jobs.push(key);
            }
        }
        None
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
                self.instantiate(module, Arc::clone(&summary), 0);
            }
        }
    }

    /// Gives `module` its content (`summary.modules[index]`), registers its declarations and
    /// creates its children: inline ones at once, file ones once their file is parsed. Depth
    /// first, in the order they are written, on a stack of its own: a module tree can be
    /// deeper than a thread's stack.
    fn instantiate(&mut self, module: usize, summary: Arc<FileSummary<T>>, index: usize) {
        self.enter(module, &summary, index);
        // Each module being instantiated, with the position of its next child.
        let mut stack = vec![(module, summary, index, 0)];
        while let Some((module, summary, index, next)) = stack.last_mut() {
            let (module, index) = (*module, *index);
            let summary = Arc::clone(summary);
            let Some(child) = summary.modules[index].children.get(*next) else {
                stack.pop();
                continue;
            };
            *next += 1;
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
                    let (file, id) = (parent.file.clone(), parent.id.clone());
                    if let Some(child) = self.add_module(module, child, file, id, dir, None) {
                        self.enter(child, &summary, inline);
                        stack.push((child, summary, inline, 0));
                    }
                }
                None => {
                    if let Some((child, summary)) = self.file_child(module, child) {
                        self.enter(child, &summary, 0);
                        stack.push((child, summary, 0, 0));
                    }
                }
            }
        }
    }

    /// Gives `module` its content and registers its declarations.
    fn enter(&mut self, module: usize, summary: &Arc<FileSummary<T>>, index: usize) {
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
    }

    /// Adds `child` under `parent`; `None` when the package's module tree is too large (see
    /// [`MAX_MODULES`]), which is reported once, at the `mod` item that passes the limit.
    fn add_module(
        &mut self,
        parent: usize,
        child: &ChildModule,
        file: PathBuf,
        id: Option<FileId>,
        dir: PathBuf,
        relative: Option<String>,
    ) -> Option<usize> {
        let krate = self.modules[parent].krate;
        let package = self.crates[krate].package;
        if self.too_large.contains(&package) {
            return None;
        }
        let path = [&*self.modules[parent].path, "::", &child.name].concat();
        let count = self.module_counts.entry(package).or_default();
        if *count >= MAX_MODULES || path.len() > MAX_MODULE_PATH {
            let why = if *count >= MAX_MODULES {
                format!("has more than {MAX_MODULES} modules")
            } else {
                format!("nests modules deeper than a path of {MAX_MODULE_PATH} bytes")
            };
            self.too_large.insert(package);
            self.module_tree_too_large(parent, child, &why);
            return None;
        }
        *count += 1;
        let module = self.modules.len();
        self.modules.push(Module {
            krate,
            parent: Some(parent),
            path,
            file,
            id,
            dir,
            relative,
            content: None,
            children: BTreeMap::new(),
        });
        self.modules[parent]
            .children
            .insert(child.name.clone(), (module, child.public));
        Some(module)
    }

    /// Reports that the package of `parent` stops growing its module tree at `mod child`,
    /// naming the files that lead there: their `mod` items are what multiplies it.
    fn module_tree_too_large(&mut self, parent: usize, child: &ChildModule, why: &str) {
        let mut files: Vec<String> = Vec::new();
        let mut segments: Vec<&str> = vec![&child.name];
        let mut module = Some(parent);
        while let Some(id) = module {
            let this = &self.modules[id];
            let file = format!("`{}`", this.file.display());
            if files.last() != Some(&file) {
                files.push(file);
            }
            segments.push(this.path.rsplit("::").next().unwrap_or_default());
            module = this.parent;
        }
        files.reverse();
        segments.reverse();
        let package = &self.workspace.packages[self.crates[self.modules[parent].krate].package];
        let message = format!(
            "the module tree of package `{}` {why}, and stops growing at `{}`, reached through {}; \
             a file that several `mod` items include (with `#[path]`, or through symlinked \
             folders) is a module at each of them, and files that include one another this way \
             multiply: include each file from one `mod` item and reach it elsewhere with `use`",
            package.name,
            elide(&segments, "::"),
            elide(&files, " -> "),
        );
        let at = Location {
            file: self.modules[parent].file.as_path().into(),
            line: child.line,
            column: child.column,
        };
        self.error(at, DiagnosticKind::ModuleTreeTooLarge, message);
    }

    /// `mod name;`: `#[path]` first (relative to the directory of the file, or of the inline
    /// module it is in), then `name.rs` and `name/mod.rs` (inside `a/` for a non-mod-rs `a.rs`).
    /// The child and its file's summary, when the file was summarised already.
    fn file_child(
        &mut self,
        module: usize,
        child: &ChildModule,
    ) -> Option<(usize, Arc<FileSummary<T>>)> {
        let parent = &self.modules[module];
        let at = Location {
            file: parent.file.as_path().into(),
            line: child.line,
            column: child.column,
        };
        // What is at the file's path: anything, as rustc looks (a file that cannot be read is
        // reported when it is read). The one a `#[path]` names is looked at before it is
        // checked to exist, after the cycle check.
        let (file, id, dir, relative) = if let Some(path) = &child.path_attr {
            let file = normalize(&parent.dir.join(path));
            // rustc treats every `#[path]` file as a mod-rs file: its children are its siblings.
            let dir = file.parent().map(Path::to_owned).unwrap_or_default();
            let id = file_id(&file);
            (file, id, dir, None)
        } else {
            let mut base = parent.dir.clone();
            if let Some(relative) = &parent.relative {
                base.push(relative);
            }
            let flat = base.join(format!("{}.rs", child.name));
            let nested = base.join(&child.name).join("mod.rs");
            match self.folder.module_files(&base, &child.name, &flat, &nested) {
                (Some(id), None) => (flat, Some(id), base, Some(child.name.clone())),
                (None, Some(id)) => {
                    let dir = base.join(&child.name);
                    (nested, Some(id), dir, None)
                }
                (Some(_), Some(_)) => {
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
                    return None;
                }
                (None, None) => {
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
                    return None;
                }
            }
        };
        let mut ancestor = Some(module);
        while let Some(enclosing) = ancestor {
            let enclosing = &self.modules[enclosing];
            if enclosing.file == file || (id.is_some() && enclosing.id == id) {
                self.error(
                    at,
                    DiagnosticKind::ModuleCycle,
                    format!(
                        "circular modules: `mod {}` includes `{}`, which is already an enclosing module's file",
                        child.name,
                        file.display()
                    ),
                );
                return None;
            }
            ancestor = enclosing.parent;
        }
        if id.is_none() {
            self.error(
                at,
                DiagnosticKind::ModuleNotFound,
                format!(
                    "file not found for module `{}`: `{}` (from its `#[path]`) does not exist",
                    child.name,
                    file.display()
                ),
            );
            return None;
        }
        let package = self.crates[self.modules[module].krate].package;
        let child = self.add_module(module, child, file.clone(), id.clone(), dir, relative)?;
        let summary = self.request(child, package, file, id)?;
        Some((child, summary))
    }

    pub(crate) fn error(&mut self, location: Location, kind: DiagnosticKind, message: String) {
        self.diagnostics.push(Diagnostic {
            location: Some(location),
            severity: Severity::Error,
            kind,
            message,
        });
    }

    /// The analyses of the selected packages' task declarations found so far (see
    /// [`super::FilesIn`]).
    pub(crate) fn selected_tasks(&self) -> Vec<&T> {
        self.occurrences
            .iter()
            .filter(|occurrence| {
                let krate = &self.crates[self.modules[occurrence.module].krate];
                self.workspace.packages[krate.package].selected
            })
            .map(|occurrence| &occurrence.summary.declarations[occurrence.index])
            .filter(|declaration| declaration.kind == DeclarationKind::TaskDefinition)
            .map(|declaration| &declaration.analysis)
            .collect()
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
        match sort_keys(self.modules.iter().map(|m| m.file.as_path())) {
            // Keyed by each path's bytes with `/` the lowest, which order as `Path` does (see
            // `sort_keys`) and compare many bytes at a time; the packages, few, ranked once.
            Some(keys) => {
                let mut packages: Vec<usize> = (0..self.workspace.packages.len()).collect();
                packages.sort_by_key(|&p| {
                    let package = &self.workspace.packages[p];
                    (package.name.as_str(), package.id.as_str())
                });
                let mut package_rank = vec![0; packages.len()];
                for (rank, &package) in packages.iter().enumerate() {
                    package_rank[package] = rank;
                }
                let rank = |m: usize| package_rank[self.crates[self.modules[m].krate].package];
                by_file.sort_by(|&a, &b| (rank(a), &keys[a]).cmp(&(rank(b), &keys[b])));
            }
            None => by_file.sort_by(|&a, &b| {
                let (a, b) = (&self.modules[a], &self.modules[b]);
                (package_of(a), a.file.as_path()).cmp(&(package_of(b), b.file.as_path()))
            }),
        }
        let mut file_rank = vec![0; self.modules.len()];
        for pair in by_file.windows(2) {
            let (previous, this) = (&self.modules[pair[0]], &self.modules[pair[1]]);
            // By bytes, as `FilePath` compares: one spelling per file (see `Tree::paths`).
            let same = package_of(previous) == package_of(this)
                && previous.file.as_os_str() == this.file.as_os_str();
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

        // One name and id a package, one path a module's file, shared by its declarations and
        // their fields (see `Declaration`).
        let names: Vec<(Arc<str>, Arc<str>)> = self
            .workspace
            .packages
            .iter()
            .map(|package| (package.name.as_str().into(), package.id.as_str().into()))
            .collect();
        let mut files: Vec<Option<Arc<Path>>> = vec![None; self.modules.len()];
        let declarations = order
            .iter()
            .map(|&i| {
                let occurrence = &self.occurrences[i];
                let module = &self.modules[occurrence.module];
                let krate = &self.crates[module.krate];
                let package = &self.workspace.packages[krate.package];
                let (package_name, package_id) = &names[krate.package];
                let file = files[occurrence.module]
                    .get_or_insert_with(|| module.file.as_path().into())
                    .clone();
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
                            file: file.clone(),
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
                    package_name: package_name.clone(),
                    package_id: package_id.clone(),
                    selected: package.selected,
                    target: krate.target.clone(),
                    module_path: module.path.clone(),
                    name: found.name.clone(),
                    kind: found.kind,
                    location: Location {
                        file,
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
            .collect::<FastSet<&FilePath>>()
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
            settings: self.workspace.settings.clone().map(Box::new),
        };
        // The module tree and every file's summary: thousands of small allocations, freed
        // off the path to the result.
        crate::parallel::drop_in_background((self.modules, self.occurrences, self.files));
        discovery
    }
}

/// A key for each path that orders as the paths do (`Path::cmp`, component by component):
/// its bytes with each `/` made the lowest byte. `None` when a path is not written plainly
/// (on Unix, without an empty, `.` or `..` component and without a `/` at the end), where
/// components and bytes may disagree; discovery's paths are plain (see `normalize`).
fn sort_keys<'p>(paths: impl Iterator<Item = &'p Path>) -> Option<Vec<Vec<u8>>> {
    if !cfg!(unix) {
        return None;
    }
    paths
        .map(|path| {
            let bytes = path.as_os_str().as_encoded_bytes();
            // An empty first part is the root of an absolute path; any other is `//` or a
            // `/` at the end.
            let plain = bytes
                .split(|&b| b == b'/')
                .enumerate()
                .all(|(i, part)| !matches!(part, b"." | b"..") && (i == 0 || !part.is_empty()));
            // A path holds no zero byte on Unix.
            plain.then(|| {
                bytes
                    .iter()
                    .map(|&b| if b == b'/' { 0 } else { b })
                    .collect()
            })
        })
        .collect()
}

/// `parts` joined by `separator`, with the middle left out when there are many.
fn elide<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    const EACH_END: usize = 4;
    let parts: Vec<&str> = parts.iter().map(AsRef::as_ref).collect();
    if parts.len() <= 2 * EACH_END + 1 {
        return parts.join(separator);
    }
    format!(
        "{}{separator}({} more){separator}{}",
        parts[..EACH_END].join(separator),
        parts.len() - 2 * EACH_END,
        parts[parts.len() - EACH_END..].join(separator)
    )
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

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher as _, Hash as _};

    use super::*;

    /// Equal keys hash alike; keys that differ only in a trailing zero byte, a word's order or
    /// a path's last component do not.
    #[test]
    fn the_fast_hasher_tells_keys_apart() {
        let hash = |key: &dyn Fn(&mut FastHasher)| {
            let mut hasher = BuildHasherDefault::<FastHasher>::default().build_hasher();
            key(&mut hasher);
            hasher.finish()
        };
        let path = |p: &'static str| move |h: &mut FastHasher| (3_usize, Path::new(p)).hash(h);
        assert_eq!(
            hash(&path("/ws/a/src/lib.rs")),
            hash(&path("/ws/a/src/lib.rs"))
        );
        assert_ne!(
            hash(&path("/ws/a/src/lib.rs")),
            hash(&path("/ws/a/src/lib.rt"))
        );
        assert_ne!(
            hash(&path("/ws/a/src/lib.rs")),
            hash(&path("/ws/b/src/lib.rs"))
        );
        assert_ne!(hash(&|h| h.write(b"ab")), hash(&|h| h.write(b"ab\0")));
        assert_ne!(
            hash(&|h| (1_usize, 2_usize).hash(h)),
            hash(&|h| (2_usize, 1_usize).hash(h))
        );
        let mut map = FastMap::default();
        for i in 0..1000_usize {
            map.insert((i, PathBuf::from(format!("/ws/{i}.rs"))), i);
        }
        assert!((0..1000_usize).all(|i| map[&(i, PathBuf::from(format!("/ws/{i}.rs")))] == i));
    }

    /// A file's path key is its bytes: equal keys hash alike, another spelling of the same
    /// path is another key, and a map finds each of a thousand keys by its spelling.
    #[test]
    fn file_paths_are_keys_by_their_bytes() {
        let key = |p: &str| FilePath(PathBuf::from(p));
        let hash = |k: &FilePath| BuildHasherDefault::<FastHasher>::default().hash_one(k);
        assert_eq!(key("/ws/a/src/lib.rs"), key("/ws/a/src/lib.rs"));
        assert_eq!(
            hash(&key("/ws/a/src/lib.rs")),
            hash(&key("/ws/a/src/lib.rs"))
        );
        assert_ne!(key("/ws/a/src/lib.rs"), key("/ws/a//src/lib.rs"));
        assert_ne!(
            hash(&key("/ws/a/src/lib.rs")),
            hash(&key("/ws/a/src/lib.rt"))
        );
        let map: FastMap<FileKey, usize> = (0..1000_usize)
            .map(|i| ((i % 7, key(&format!("/ws/{i}/x.rs"))), i))
            .collect();
        assert!((0..1000_usize).all(|i| map[&(i % 7, key(&format!("/ws/{i}/x.rs")))] == i));
        assert!(!map.contains_key(&(1, key("/ws/0/x.rs"))));
    }

    /// The sort keys of plain paths order every pair as `Path::cmp` does: components that
    /// are prefixes of others, bytes below and above `/` (`-`, `.`, `0`, `a`), absolute and
    /// relative paths, a path and its own folder. A path with an empty, `.` or `..`
    /// component, or a `/` at the end, has none.
    #[test]
    #[cfg(unix)]
    fn sort_keys_order_plain_paths_as_paths_do() {
        let parts = ["a", "a-b", "a.b", "a0", "ab", ".a", "b", " ", "é"];
        let mut paths = vec![String::new()];
        for first in parts {
            for prefix in ["", "/"] {
                paths.push(format!("{prefix}{first}"));
                for second in parts {
                    paths.push(format!("{prefix}{first}/{second}"));
                    paths.push(format!("{prefix}{first}/{second}/{first}"));
                }
            }
        }
        let keys = sort_keys(paths.iter().map(Path::new)).expect("plain paths");
        for (a, key_a) in paths.iter().zip(&keys) {
            for (b, key_b) in paths.iter().zip(&keys) {
                assert_eq!(
                    key_a.cmp(key_b),
                    Path::new(a).cmp(Path::new(b)),
                    "{a:?} {b:?}"
                );
            }
        }
        for not_plain in [
            "/ws//a.rs",
            "/ws/./a.rs",
            "/ws/../a.rs",
            "./a.rs",
            "../a.rs",
            "/ws/",
            "/",
        ] {
            let paths = [Path::new("/ws/a.rs"), Path::new(not_plain)];
            assert_eq!(sort_keys(paths.into_iter()), None, "{not_plain}");
        }
    }

    /// A module's two candidate files, looked up from their folder, are what a lookup by the
    /// whole path finds, and on Unix what `std::fs::metadata` says: a file, a `mod.rs`, both,
    /// neither, a symlink followed, a dangling one, a folder that does not exist; folders in
    /// turn and again, as the tree asks.
    #[test]
    fn module_files_from_the_folder_are_those_by_path() {
        let root = std::env::temp_dir().join(format!("ecsdef-module-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (a, b) = (root.join("a"), root.join("b"));
        for dir in [a.join("nested"), a.join("both"), b.join("deep")] {
            std::fs::create_dir_all(dir).unwrap();
        }
        for file in ["flat.rs", "nested/mod.rs", "both.rs", "both/mod.rs"] {
            std::fs::write(a.join(file), "").unwrap();
        }
        std::fs::write(b.join("deep/mod.rs"), "").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(a.join("flat.rs"), a.join("linked.rs")).unwrap();
            std::os::unix::fs::symlink(a.join("gone.rs"), a.join("dangling.rs")).unwrap();
        }
        let names = [
            "flat", "nested", "both", "none", "linked", "dangling", "deep",
        ];
        let mut folder = LastFolder::default();
        let mut found = 0;
        for base in [&a, &b, &root.join("missing"), &a, &a] {
            for name in names {
                let flat = base.join(format!("{name}.rs"));
                let nested = base.join(name).join("mod.rs");
                let ids = folder.module_files(base, name, &flat, &nested);
                assert_eq!(
                    ids,
                    (file_id(&flat), file_id(&nested)),
                    "{name} in {base:?}"
                );
                #[cfg(unix)]
                for (id, path) in [(&ids.0, &flat), (&ids.1, &nested)] {
                    use std::os::unix::fs::MetadataExt as _;
                    let by_std = std::fs::metadata(path)
                        .ok()
                        .map(|m| FileId((m.dev(), m.ino())));
                    assert_eq!(*id, by_std, "{path:?}");
                    found += usize::from(id.is_some());
                }
            }
        }
        // a: flat, nested, both twice, linked; b: deep; three times a, once b.
        #[cfg(unix)]
        assert_eq!(found, 3 * 5 + 1);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
