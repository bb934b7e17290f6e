//! Who does what, and when: `cargo metadata` on a thread of its own, the reader reading the
//! workspace's files ahead meanwhile (see `prescan`), workers summarising files (see `modules`),
//! and the coordinating thread growing the module tree (see `tree`) and queueing each file it
//! names. Results never depend on which thread finishes first: the tree sorts them.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError, mpsc};

use super::cfg::CfgContext;
use super::members;
use super::metadata::{self, Workspace, is_ecsdef_package};
use super::modules::{self, DeclarationInput, ExternKind, FileSummary, PackageContext, ReadAhead};
use super::prescan;
use super::tree::{FastMap, FastSet, FileKey, FilePath, Tree};
use super::{DiagnosticKind, DiscoverError, DiscoverOptions, Discovery, FilesIn};

/// How much of the graph to ask cargo for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The members alone when they give cargo's answer (see `members`), else everything.
    Members,
    /// The whole dependency graph.
    Everything,
}

/// Loads the metadata and discovers the selected packages' declarations.
///
/// Discovery starts from the workspace members alone when that gives cargo's answer (see
/// `members`). When a declaration then leads outside the workspace (a field's type that does
/// not resolve, a derive path through a dependency known by name only), it starts over from the
/// whole dependency graph: what a second pass costs, only such workspaces pay.
pub(crate) fn run<T, F, E>(
    options: &DiscoverOptions,
    analyze: &F,
    early: &mut Option<E>,
) -> Result<Discovery<T>, DiscoverError>
where
    T: Send + Sync + Clone + 'static,
    F: Fn(&DeclarationInput<'_>) -> T + Sync,
    E: FnOnce(FilesIn<'_, T>),
{
    let (discovery, complete) = pass(options, analyze, early, Scope::Members)?;
    if complete {
        return Ok(discovery);
    }
    crate::timings::mark("a declaration leads outside the workspace: starting over");
    crate::parallel::drop_in_background(discovery);
    Ok(pass(options, analyze, early, Scope::Everything)?.0)
}

/// One discovery from the metadata of `scope`; `false` when the members-only view could not
/// decide everything. While `cargo metadata` runs, one worker reads ahead the files `prescan`
/// guesses (the other cores are left to cargo); the files it read go back to it, every other
/// file to whichever worker is free.
fn pass<T, F, E>(
    options: &DiscoverOptions,
    analyze: &F,
    early: &mut Option<E>,
    metadata_scope: Scope,
) -> Result<(Discovery<T>, bool), DiscoverError>
where
    T: Send + Sync + Clone + 'static,
    F: Fn(&DeclarationInput<'_>) -> T + Sync,
    E: FnOnce(FilesIn<'_, T>),
{
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let contexts: OnceLock<Vec<PackageContext>> = OnceLock::new();
    let metadata_ready = AtomicBool::new(false);
    let jobs = Jobs {
        queues: Mutex::new(Queues::default()),
        ready: Condvar::new(),
    };
    std::thread::scope(|scope| {
        let metadata = scope.spawn(|| load_workspace(options, metadata_scope));
        // Listed by the reader as it reads (see `prescan`).
        let mut candidates = (workers > 1).then(|| prescan::candidates(options));
        let (result_sender, result_receiver) = mpsc::channel::<Vec<(FileKey, FileSummary<T>)>>();
        let (read_sender, read_receiver) = mpsc::channel::<FastSet<FilePath>>();
        for index in 0..workers {
            let result_sender = result_sender.clone();
            let read_ahead = if index == 0 { candidates.take() } else { None };
            let read_sender = read_sender.clone();
            let (jobs, contexts, metadata_ready) = (&jobs, &contexts, &metadata_ready);
            let worker = std::thread::Builder::new().stack_size(WORKER_STACK);
            let spawned = worker.spawn_scoped(scope, move || {
                let mut ready = FastMap::default();
                if let Some(read_ahead) = read_ahead {
                    let mut bytes = 0;
                    for path in read_ahead {
                        if metadata_ready.load(Ordering::Relaxed) || bytes >= prescan::MAX_BYTES {
                            break;
                        }
                        let (read, size) = modules::read_ahead(&path, analyze);
                        bytes += size;
                        if let Some(read) = read {
                            ready.insert(FilePath(path), read);
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
            // Without a worker, a file sent to it is never summarised: stop as a failed
            // `scope.spawn` would.
            spawned.expect("the system starts a discovery worker thread");
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
                crate::timings::mark("files in");
                if let Some(early) = early.take() {
                    early(FilesIn {
                        workspace_root: &workspace.root,
                        settings: workspace.settings.as_ref(),
                        tasks: tree.selected_tasks(),
                    });
                }
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

/// The workspace and the selected packages: from the members alone when `scope` allows it and
/// they give cargo's answer, else from the whole dependency graph.
fn load_workspace(options: &DiscoverOptions, scope: Scope) -> Result<Workspace, DiscoverError> {
    if scope == Scope::Members
        && let Some(workspace) = members::load(options)
    {
        return Ok(workspace);
    }
    metadata::load(options)
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

/// One worker: summarises the files it is given, from the items it read ahead when it has
/// them, until the queues close.
fn work<T, F>(
    jobs: &Jobs,
    reader: bool,
    mut ready: FastMap<FilePath, ReadAhead<T>>,
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

/// The stack of a worker thread. `syn::parse_file` recurses once or more per level of
/// nesting, and a file reaches it only when nested at most [`super::skim::MAX_NESTING`]
/// levels (see `modules::summarize`; chains without brackets, such as `Vec<Vec<...` or
/// `&&&x`, count as levels too). Measured at that depth, the deepest recursion per level (a
/// function in a function's body) takes 8 KiB of stack in a release build and 45 KiB in a
/// debug build: 2 and 11.2 MiB. Only the pages used are ever committed.
const WORKER_STACK: usize = 64 << 20;

/// How many summaries a worker hands over at once while there is work left: each hand-over
/// wakes the coordinating thread, which takes a core from a worker, so they go in batches.
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::discover::DeclarationKind;

    use super::*;

    /// Discovery from the members alone finds what discovery from the whole dependency graph
    /// finds: the same packages, declarations (with what their derives receive after `cfg`,
    /// which the features decide), fields, diagnostics and files. Also where it asks for the
    /// whole graph itself (acme's unresolved fields): its answer up to then is not wrong.
    #[test]
    fn the_members_alone_find_what_the_whole_graph_finds() {
        let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let fixture = |name: &str| DiscoverOptions {
            manifest_path: Some(
                crate_dir
                    .join("tests/fixtures/discover")
                    .join(name)
                    .join("Cargo.toml"),
            ),
            ..DiscoverOptions::default()
        };
        // Each with whether the members alone decide it.
        let cases = [
            (
                DiscoverOptions {
                    workspace: true,
                    ..fixture("acme")
                },
                false,
            ),
            (
                DiscoverOptions {
                    workspace: true,
                    all_features: true,
                    ..fixture("acme")
                },
                false,
            ),
            (
                DiscoverOptions {
                    packages: vec!["acme-web".to_owned()],
                    ..fixture("acme")
                },
                false,
            ),
            (fixture("layouts"), true),
            (fixture("empty"), true),
            // This repository: members that depend on registry crates, and the examples.
            (
                DiscoverOptions {
                    manifest_path: Some(crate_dir.join("../Cargo.toml")),
                    workspace: true,
                    ..DiscoverOptions::default()
                },
                true,
            ),
        ];
        let analyze = |input: &DeclarationInput<'_>| format!("{:?}", input.input);
        for (options, decided) in cases {
            // Told once, before the fields are resolved, of every selected task.
            let mut told = Vec::new();
            let mut early = Some(|files_in: FilesIn<'_, String>| {
                told.extend(files_in.tasks.into_iter().cloned());
            });
            let (members, complete) =
                pass(&options, &analyze, &mut early, Scope::Members).expect("discovery runs");
            assert!(early.is_none(), "{options:?}");
            assert_eq!(complete, decided, "{options:?}");
            let mut tasks: Vec<String> = members
                .declarations
                .iter()
                .filter(|d| d.selected && d.kind == DeclarationKind::TaskDefinition)
                .map(|d| d.analysis.clone())
                .collect();
            told.sort();
            tasks.sort();
            assert_eq!(told, tasks, "{options:?}");
            let (everything, _) = pass(
                &options,
                &analyze,
                &mut None::<fn(FilesIn<'_, String>)>,
                Scope::Everything,
            )
            .expect("discovery runs");
            assert_eq!(members, everything, "{options:?}");
        }
    }
}
