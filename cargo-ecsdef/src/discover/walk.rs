//! The module tree, built on the coordinating thread while workers parse files: which file each
//! `mod` item names (rustc's rules), each file queued once per package, and the final sorted
//! result.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError, mpsc};

use super::cfg::CfgContext;
use super::metadata::{Scope, Workspace, is_ecsdef_package};
use super::modules::{
    self, ChildModule, DeclarationInput, ExternKind, FileSummary, PackageContext, ReadAhead,
};
use super::prescan;
use super::resolve::FieldState;
use super::{
    Declaration, Diagnostic, DiagnosticKind, Discovery, Location, PackageInfo, Severity, Target,
    TaskField,
};

/// A file as parsed for one package (the package decides its cfg).
pub(crate) type FileKey = (usize, PathBuf);

pub(crate) struct Crate {
    pub package: usize,
    pub target: Target,
    pub root: usize,
    /// The extern prelude: dependencies (and, for a binary, its own library) by crate name.
    pub externs: BTreeMap<String, usize>,
}

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

enum FileState<T> {
    Pending(Vec<usize>),
    Done(Arc<FileSummary<T>>),
}

pub(crate) struct Tree<'w, T> {
    pub workspace: &'w Workspace,
    pub crates: Vec<Crate>,
    pub lib_crates: HashMap<usize, usize>,
    pub modules: Vec<Module<T>>,
    pub occurrences: Vec<Occurrence<T>>,
    /// (module, declaration index in its file) -> occurrence.
    pub occurrence_of: HashMap<(usize, usize), usize>,
    files: HashMap<FileKey, FileState<T>>,
    jobs: Vec<FileKey>,
    pub diagnostics: Vec<Diagnostic>,
    /// Some file's derive path may lead outside the workspace (see
    /// [`FileSummary::reaches_outside`]).
    reaches_outside: bool,
}

/// The package information a worker needs, built from the metadata.
fn package_contexts(workspace: &Workspace) -> Vec<PackageContext> {
    workspace
        .packages
        .iter()
        .map(|package| PackageContext {
            cfg: CfgContext::new(package.features.clone(), package.is_proc_macro),
            name_only_externs: package
                .externs
                .values()
                .any(|&dep| workspace.packages[dep].name_only),
            externs: package
                .externs
                .iter()
                .map(|(name, &dep)| {
                    let dep = &workspace.packages[dep];
                    let kind = if is_ecsdef_package(&dep.name) {
                        ExternKind::Ecsdef
                    } else if dep.name_only {
                        ExternKind::NameOnly
                    } else if dep.is_proc_macro {
                        ExternKind::ProcMacro
                    } else {
                        ExternKind::Other
                    };
                    (name.clone(), kind)
                })
                .collect(),
        })
        .collect()
}

/// The files waiting for a worker: any worker takes a shared one; the files the reader (worker
/// 0) read ahead can only be summarised by it, since their syntax trees live on its thread.
#[derive(Default)]
struct Queues {
    shared: VecDeque<FileKey>,
    reader: VecDeque<FileKey>,
    closed: bool,
    /// Workers asleep on `ready`: when none is, a new job needs no wake-up (a system call,
    /// and a context switch for each worker woken for nothing).
    waiting: usize,
    /// Jobs of the reader's queue that another worker took (see [`Jobs::next`]); the reader
    /// drops what it read ahead for them.
    stolen: Vec<FileKey>,
}

/// How many summaries a worker hands over at once while there is work left: each hand-over
/// wakes the coordinating thread, which takes a core from a worker. One at a time cost 2,000
/// context switches on the benchmark's 1,151 files; eight at a time, 400.
const BATCH: usize = 8;

/// What a worker gets from [`Jobs::next`].
enum Next {
    Job(FileKey),
    /// Nothing to do now, and the worker asked not to wait.
    Empty,
    Closed,
}

struct Jobs {
    queues: Mutex<Queues>,
    ready: Condvar,
}

impl Jobs {
    fn lock(&self) -> MutexGuard<'_, Queues> {
        self.queues.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, job: FileKey, for_reader: bool) {
        let mut queues = self.lock();
        if for_reader {
            queues.reader.push_back(job);
        } else {
            queues.shared.push_back(job);
        }
        let waiting = queues.waiting > 0;
        drop(queues);
        if waiting {
            self.ready.notify_all();
        }
    }

    /// The reader's jobs another worker took since the last call.
    fn take_stolen(&self) -> Vec<FileKey> {
        std::mem::take(&mut self.lock().stolen)
    }

    fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// The next job for a worker (the reader takes its own first). When there is none yet, it
    /// waits for one unless told not to: a worker that holds summaries hands them over first,
    /// since the coordinating thread may need them to queue more files.
    fn next(&self, reader: bool, wait: bool) -> Next {
        let mut queues = self.lock();
        loop {
            let job = if reader {
                queues.reader.pop_front()
            } else {
                None
            };
            if let Some(job) = job.or_else(|| queues.shared.pop_front()) {
                return Next::Job(job);
            }
            // Nothing shared left, and the reader has a backlog of files it read ahead: when
            // `cargo metadata` was slow, that can be most of the workspace, to be summarised on
            // one core. Take the last of them and read it again; the reader's copy is dropped.
            // Its tail, because the reader works from the front.
            if !reader
                && queues.reader.len() > 1
                && let Some(job) = queues.reader.pop_back()
            {
                queues.stolen.push(job.clone());
                return Next::Job(job);
            }
            if queues.closed {
                return Next::Closed;
            }
            if !wait {
                return Next::Empty;
            }
            queues.waiting += 1;
            queues = self
                .ready
                .wait(queues)
                .unwrap_or_else(PoisonError::into_inner);
            queues.waiting -= 1;
        }
    }
}

/// Loads the metadata and discovers the selected packages' declarations.
///
/// Discovery starts from the workspace members alone when that gives cargo's answer (see
/// `members`). When a declaration then leads outside the workspace (a field's type that does
/// not resolve, a derive path through a dependency known by name only), it starts over from the
/// whole dependency graph: what a second pass costs, only such workspaces pay.
pub(crate) fn run<T, F>(
    options: &super::DiscoverOptions,
    analyze: &F,
) -> Result<Discovery<T>, super::DiscoverError>
where
    T: Send + Sync + Clone + 'static,
    F: Fn(&DeclarationInput<'_>) -> T + Sync,
{
    let (discovery, complete) = pass(options, analyze, Scope::Members)?;
    if complete {
        return Ok(discovery);
    }
    crate::timings::mark("a declaration leads outside the workspace: starting over");
    crate::parallel::drop_in_background(discovery);
    Ok(pass(options, analyze, Scope::Everything)?.0)
}

/// One discovery from the metadata of `scope`; `false` when the members-only view could not
/// decide everything. While `cargo metadata` runs, one worker reads ahead the files `prescan`
/// guesses (the other cores are left to cargo); the files it read go back to it, every other
/// file to whichever worker is free.
fn pass<T, F>(
    options: &super::DiscoverOptions,
    analyze: &F,
    metadata_scope: Scope,
) -> Result<(Discovery<T>, bool), super::DiscoverError>
where
    T: Send + Sync + Clone + 'static,
    F: Fn(&DeclarationInput<'_>) -> T + Sync,
{
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let contexts: OnceLock<Vec<PackageContext>> = OnceLock::new();
    let metadata_ready = AtomicBool::new(false);
    let jobs = Jobs {
        queues: Mutex::new(Queues::default()),
        ready: Condvar::new(),
    };
    std::thread::scope(|scope| {
        let metadata = scope.spawn(|| super::metadata::load(options, metadata_scope));
        // Listed by the reader as it reads (see `prescan`).
        let mut candidates = (workers > 1).then(|| prescan::candidates(options));
        let (result_sender, result_receiver) = mpsc::channel::<Vec<(FileKey, FileSummary<T>)>>();
        let (read_sender, read_receiver) = mpsc::channel::<HashSet<PathBuf>>();
        for index in 0..workers {
            let result_sender = result_sender.clone();
            let read_ahead = if index == 0 { candidates.take() } else { None };
            let read_sender = read_sender.clone();
            let (jobs, contexts, metadata_ready) = (&jobs, &contexts, &metadata_ready);
            scope.spawn(move || {
                let mut ready = HashMap::new();
                if let Some(read_ahead) = read_ahead {
                    let mut bytes = 0;
                    for path in read_ahead {
                        if metadata_ready.load(Ordering::Relaxed) || bytes >= prescan::MAX_BYTES {
                            break;
                        }
                        let (read, size) = modules::read_ahead(&path, analyze);
                        bytes += size;
                        if let Some(read) = read {
                            ready.insert(path, read);
                        }
                    }
                    if crate::timings::enabled() {
                        crate::timings::mark(&format!(
                            "reader stopped: {} files, {bytes} bytes",
                            ready.len()
                        ));
                    }
                    // Says which files it holds (and that it stopped reading ahead).
                    let _ = read_sender.send(ready.keys().cloned().collect());
                }
                drop(read_sender);
                work(jobs, index == 0, ready, contexts, &result_sender, analyze);
            });
        }
        drop((result_sender, read_sender));

        // A worker that panicked takes the scope down with its panic; so does this thread.
        let loaded = metadata
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        metadata_ready.store(true, Ordering::Relaxed);
        let workspace = match loaded {
            Ok(workspace) => workspace,
            Err(error) => {
                jobs.close();
                return Err(error);
            }
        };
        contexts.get_or_init(|| package_contexts(&workspace));
        // The reader has stopped; from here on its files go to it.
        let read = read_receiver.recv().unwrap_or_default();
        if crate::timings::enabled() {
            crate::timings::mark(&format!("{} files read ahead", read.len()));
        }

        let mut tree = Tree::new(&workspace);
        for &package in &workspace.selected {
            tree.load_package(package);
        }
        let mut outstanding = 0_usize;
        loop {
            for job in tree.jobs.drain(..) {
                let for_reader = read.contains(&job.1);
                jobs.push(job, for_reader);
                outstanding += 1;
            }
            if outstanding == 0 {
                // Every reachable file is in: resolve, and walk the dependencies that the
                // paths lead into, until no path leads anywhere new.
                let needed = tree.resolve_round();
                if needed.is_empty() {
                    break;
                }
                for package in needed {
                    tree.load_lib(package);
                }
                continue;
            }
            let Ok(batch) = result_receiver.recv() else {
                break;
            };
            outstanding -= batch.len();
            for (key, summary) in batch {
                tree.file_arrived(key, summary);
            }
        }
        jobs.close();
        crate::timings::mark("files summarised");
        let complete = !workspace.members_only
            || !(tree.reaches_outside
                || tree
                    .diagnostics
                    .iter()
                    .any(|d| d.kind == DiagnosticKind::UnresolvedContainer));
        let discovery = tree.finish();
        crate::timings::mark("declarations sorted");
        Ok((discovery, complete))
    })
}

/// One worker: summarises the files it is given, from the items it read ahead when it has
/// them, until the queues close.
fn work<T, F>(
    jobs: &Jobs,
    reader: bool,
    mut ready: HashMap<PathBuf, ReadAhead<T>>,
    contexts: &OnceLock<Vec<PackageContext>>,
    results: &mpsc::Sender<Vec<(FileKey, FileSummary<T>)>>,
    analyze: &F,
) where
    F: Fn(&DeclarationInput<'_>) -> T,
{
    let mut batch = Vec::new();
    loop {
        let job = match jobs.next(reader, batch.is_empty()) {
            Next::Job(job) => job,
            Next::Empty => {
                if results.send(std::mem::take(&mut batch)).is_err() {
                    break;
                }
                continue;
            }
            Next::Closed => break,
        };
        // Jobs are queued only once the contexts are set.
        let Some(context) = contexts.get().and_then(|c| c.get(job.0)) else {
            break;
        };
        if reader && !ready.is_empty() {
            for (_, path) in jobs.take_stolen() {
                ready.remove(&path);
            }
        }
        let read = ready.remove(&job.1);
        let summary = modules::summarize(context, &job.1, read, analyze);
        if ready.is_empty() {
            // Every span of this thread's files is gone with their syntax trees: free the
            // thread's source map, which otherwise keeps every file's text.
            proc_macro2::extra::invalidate_current_thread_spans();
        }
        batch.push((job, summary));
        if batch.len() >= BATCH && results.send(std::mem::take(&mut batch)).is_err() {
            break;
        }
    }
}

impl<'w, T: Clone> Tree<'w, T> {
    fn new(workspace: &'w Workspace) -> Self {
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

    fn load_package(&mut self, package: usize) {
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

    fn file_arrived(&mut self, key: FileKey, summary: FileSummary<T>) {
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

    fn finish(self) -> Discovery<T>
    where
        T: Send + Sync + 'static,
    {
        // Declarations are ordered by package and file first. Each module's (package, file)
        // is ranked once: comparing paths component by component for every pair of
        // declarations was most of this sort, on the thread everything waits for.
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

        // A file reached twice reports its problems once; sorted, they no longer depend on
        // which worker finished first.
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
