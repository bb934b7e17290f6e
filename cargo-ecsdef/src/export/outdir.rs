//! The out dir: the manifest of what ecsdef wrote there, what is on disk where each file goes,
//! writing a [`Plan`] so that a crash at any instant leaves a state the next export completes,
//! and comparing a plan with the disk.
//!
//! What holds at every instant, whenever the export is killed:
//!
//! - **Every file at an output path is whole.** Each file, new or replaced, is written first
//!   and then put in place in one step. A replaced file is written to a temporary file in the
//!   out dir (`.NAME.ecsdef-PID.tmp`, see [`is_leftover`]) and renamed over the old one. A new
//!   one is put in place by a hard link, which, unlike a rename, never replaces a file that
//!   appeared meanwhile: on Linux, of a file written with no name at all (`O_TMPFILE`),
//!   elsewhere of a temporary file whose name is then removed.
//! - **A new out dir appears whole.** An out dir that does not exist is written as a folder
//!   beside it (`.NAME.ecsdef-PID.tmp`), its files created by name (most of them empty while
//!   the analysis ends, see [`Staged`], and written once it has) and the manifest last, then
//!   renamed to the out dir in one step that never replaces what appeared there meanwhile
//!   (on Linux, `renameat2` with `RENAME_NOREPLACE`). A process killed before leaves only
//!   that folder, which the next export removes; where that way is closed, the rules below
//!   hold for every file.
//! - **Every file ecsdef put in place is listed in the manifest.** Before the first new file
//!   appears, the manifest is replaced by one that lists, besides what it listed, every file
//!   about to be written (pending entries); after the writes and removals, by the final list.
//!   A listed file that does not exist is one ecsdef was about to write: the next export
//!   writes it, or drops the entry when its family is gone. The manifest itself is replaced
//!   through a temporary file too.
//! - **ecsdef's leftovers never stand in the way.** Temporary files are recognised by their
//!   name and removed when the next export starts writing; a temporary name that is taken
//!   is skipped for another. `--check` ignores them.
//! - **Nothing foreign is touched or waited on.** ecsdef writes only regular files, so what
//!   is not a regular file at an output path (a symbolic link, even a dangling one, a
//!   directory, a FIFO, a socket) is never its own: it is reported, never opened, replaced
//!   or removed. A regular file the manifest does not list is replaced by nobody either,
//!   unless it already holds exactly the bytes to write (then the manifest adopts it).
//!   Only regular files are opened, after `symlink_metadata` or the out dir's listing said
//!   so, and a file read from the listing is opened without following a symbolic link.
//!
//! One export at a time per out dir: a second one started meanwhile removes the first one's
//! temporary files as leftovers, and the first then fails with the file it could not put in
//! place (exit 2), nothing else lost.
//!
//! Files are not `fsync`ed, as cargo does not sync what it generates either: they are
//! regenerated from source at will, and a sync per file makes exporting a large workspace
//! wait on the disk for seconds. The guarantees above hold when the process dies; after a
//! power loss a file may be empty, which `export --check` reports and an export repairs.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::{Plan, is_plain_file_name};

/// The manifest of the files ecsdef wrote, in the out dir.
pub const MANIFEST: &str = ".ecsdef-manifest";

/// What [`write()`] did, file names sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or changed.
    pub written: Vec<String>,
    /// Files already holding these bytes.
    pub unchanged: Vec<String>,
    /// Files removed.
    pub removed: Vec<String>,
}

/// An I/O failure, with the path and what was being done.
#[derive(Debug)]
pub struct WriteError {
    /// What was being done: `create the out dir`, `write`, `overwrite`, `remove`, `read`.
    pub action: &'static str,
    /// The path.
    pub path: PathBuf,
    /// Why it failed.
    pub source: io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot {} `{}`: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The manifest's entries, file name to package: the files ecsdef wrote, or was about to
/// write, in `out_dir`. No manifest means none. A manifest that is not a regular file, or
/// cannot be read, is an error: without it ecsdef cannot tell its files from the user's.
pub fn read_manifest(out_dir: &Path) -> Result<BTreeMap<String, String>, WriteError> {
    let path = out_dir.join(MANIFEST);
    let error = |source| WriteError {
        action: "read",
        path: path.clone(),
        source,
    };
    let text = match fs::symlink_metadata(&path) {
        Err(e) if is_absent(&e) => return Ok(BTreeMap::new()),
        Err(e) => return Err(error(e)),
        Ok(meta) if !meta.is_file() => {
            return Err(error(io::Error::other(format!(
                "it is {}, not the manifest ecsdef writes: move it away, then export again",
                kind_of(meta.file_type())
            ))));
        }
        Ok(_) => fs::read_to_string(&path).map_err(error)?,
    };
    Ok(text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .filter(|(_, file)| is_plain_file_name(file))
        .map(|(package, file)| (file.to_owned(), package.to_owned()))
        .collect())
}

/// Whether an error looking at a path in the out dir says that nothing is there: no such
/// file, or no out dir yet (a file where it would be is reported when it is created).
fn is_absent(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// The manifest's text for `entries` (file name to package).
pub fn manifest_text(entries: &BTreeMap<String, String>) -> String {
    let mut text = String::from(
        "# Files written by `cargo ecsdef export`, with the package declaring each.\n\
         # ecsdef removes only files listed here. Generated: do not edit.\n",
    );
    for (file, package) in entries {
        text.push_str(package);
        text.push('\t');
        text.push_str(file);
        text.push('\n');
    }
    text
}

/// What a file system object that is not a regular file is, for messages.
fn kind_of(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Whether `name`, in an out dir, is a temporary file of ecsdef's: `.NAME.ecsdef-PID.tmp` or
/// `.NAME.ecsdef-PID-N.tmp`, for a plain name `NAME`.
pub fn is_leftover(name: &str) -> bool {
    temporary_target(name).is_some_and(|target| target == MANIFEST || is_plain_file_name(target))
}

/// `NAME` when `name` is a temporary name of ecsdef's for it: `.NAME.ecsdef-PID.tmp` or
/// `.NAME.ecsdef-PID-N.tmp`.
fn temporary_target(name: &str) -> Option<&str> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (target, tag) = inner.rsplit_once(".ecsdef-")?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let tag_ok = match tag.split_once('-') {
        Some((pid, n)) => digits(pid) && digits(n),
        None => digits(tag),
    };
    tag_ok.then_some(target)
}

/// The temporary names of `name`, tried in turn: `.NAME.ecsdef-PID.tmp`, then
/// `.NAME.ecsdef-PID-N.tmp`.
fn temporary_names(name: &str) -> impl Iterator<Item = String> {
    let pid = std::process::id();
    (0..16).map(move |attempt| {
        if attempt == 0 {
            format!(".{name}.ecsdef-{pid}.tmp")
        } else {
            format!(".{name}.ecsdef-{pid}-{attempt}.tmp")
        }
    })
}

/// Creates a new temporary file beside `path` for its next contents. `create_new` never
/// opens what is already there (a leftover, or anything planted): such a name is skipped.
fn create_temporary(path: &Path) -> io::Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last = None;
    for temporary in temporary_names(&name) {
        let temporary = path.with_file_name(temporary);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => last = Some(error),
            Err(error) => return Err(error),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// How a file is put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Put {
    /// Nothing is there: never replace what may have appeared since.
    New,
    /// ecsdef's file is there: replace it.
    Replace,
}

/// Writes `contents` and puts them at `path` in one step, so that `path` holds either its old
/// contents or all of the new ones, never part of them.
fn put(path: &Path, contents: &[u8], how: Put) -> Result<(), WriteError> {
    if how == Put::New
        && let Some(result) = put_new_unnamed(path, contents)
    {
        return result.map_err(|source| WriteError {
            action: "write",
            path: path.to_owned(),
            source,
        });
    }
    put_through_temporary(path, contents, how)
}

/// A new file written with no name in `path`'s folder (Linux's `O_TMPFILE`), then linked at
/// `path`: one change to the folder instead of the three of [`put_through_temporary`] (create,
/// link, unlink), which make most of the time an export into a new folder spends writing.
/// Nothing but the whole file is ever visible, and a process killed before the link leaves
/// nothing behind. Like the temporary file's hard link, the link never replaces a file that
/// appeared meanwhile.
///
/// `None` when the folder's file system or the system cannot (no `O_TMPFILE`, no `/proc`):
/// then the temporary file does the job, and reports any failure that is not about support.
#[cfg(target_os = "linux")]
fn put_new_unnamed(path: &Path, contents: &[u8]) -> Option<io::Result<()>> {
    use rustix::fs::{AtFlags, CWD, Mode, OFlags};
    use std::os::fd::AsRawFd as _;

    let folder = folder_of(path);
    let unnamed = rustix::fs::open(
        folder,
        OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o666),
    )
    .ok()?;
    let mut file = File::from(unnamed);
    file.write_all(contents).ok()?;
    // The file's descriptor, as a path `linkat` follows to the file itself. Linking the
    // descriptor directly (`AT_EMPTY_PATH`) needs a privilege on most kernels.
    let descriptor = format!("/proc/self/fd/{}", file.as_raw_fd());
    match rustix::fs::linkat(CWD, descriptor.as_str(), CWD, path, AtFlags::SYMLINK_FOLLOW) {
        Ok(()) => Some(Ok(())),
        Err(exists @ rustix::io::Errno::EXIST) => Some(Err(exists.into())),
        // No `/proc`, or a file system that links no such file: the unnamed file is freed
        // when `file` is dropped.
        Err(_) => None,
    }
}

#[cfg(not(target_os = "linux"))]
fn put_new_unnamed(_: &Path, _: &[u8]) -> Option<io::Result<()>> {
    None
}

/// Writes `contents` to a temporary file beside `path` and puts it in place: a rename for
/// [`Put::Replace`], a hard link then the temporary name's removal for [`Put::New`]. A
/// failure removes the temporary file.
fn put_through_temporary(path: &Path, contents: &[u8], how: Put) -> Result<(), WriteError> {
    let error = |source| WriteError {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let (temporary, mut file) = create_temporary(path).map_err(error)?;
    let result = file.write_all(contents).and_then(|()| {
        drop(file);
        match how {
            Put::Replace => fs::rename(&temporary, path),
            // A hard link fails rather than replace a file created meanwhile; where the file
            // system has none, a rename does the job.
            Put::New => match fs::hard_link(&temporary, path) {
                Ok(()) => fs::remove_file(&temporary).or(Ok(())),
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Err(error),
                Err(_) => fs::rename(&temporary, path),
            },
        }
    });
    if let Err(source) = result {
        // The temporary file is ours; never leave it behind.
        let _ = fs::remove_file(&temporary);
        return Err(error(source));
    }
    Ok(())
}

/// Writes the manifest listing `entries` in `out_dir`, through a temporary file, unless it
/// already says that. A manifest that would list nothing is not created.
fn write_manifest(out_dir: &Path, entries: &BTreeMap<String, String>) -> Result<(), WriteError> {
    let path = out_dir.join(MANIFEST);
    let contents = manifest_text(entries);
    let how = match state_of(&path, contents.as_bytes()) {
        OnDisk::Same => return Ok(()),
        OnDisk::Absent if entries.is_empty() => return Ok(()),
        OnDisk::Absent => Put::New,
        OnDisk::Differs | OnDisk::Unreadable => Put::Replace,
        OnDisk::NotAFile(kind) => {
            return Err(WriteError {
                action: "overwrite",
                path,
                source: io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("it is {kind}, not the manifest ecsdef writes"),
                ),
            });
        }
    };
    put(&path, contents.as_bytes(), how)
}

/// The out dir's parent folder and its name, when its last component is a plain name in
/// UTF-8 (`deploy`, `ci/deploy`; not `.`, `..` or `/`).
#[cfg(target_os = "linux")]
fn parent_and_name(out_dir: &Path) -> Option<(&Path, &str)> {
    let Some(std::path::Component::Normal(name)) = out_dir.components().next_back() else {
        return None;
    };
    Some((folder_of(out_dir), name.to_str()?))
}

/// The folder `path` is in: its parent, or `.` for a bare name.
#[cfg(target_os = "linux")]
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes a plan into an out dir that does not exist yet, so that it appears whole: every
/// file is created by name in a new folder beside it (`.NAME.ecsdef-PID.tmp`, see
/// [`is_leftover`]), the manifest last, and the folder is then renamed to the out dir in one
/// step that never replaces what appeared there meanwhile (Linux's `renameat2` with
/// `RENAME_NOREPLACE`). A process killed before the rename leaves only that folder, which
/// the next export into the out dir removes ([`remove_staged_leftovers`]). Creating a file
/// by name in a folder nobody else sees costs less than writing it with no name and linking
/// it ([`put_new_unnamed`]), which the out dir itself needs (BENCHMARKS.md).
///
/// `None` when this way is closed, with nothing left behind: the out dir exists, or its name
/// is not a plain one, or a file could not be created, or the rename failed (the out dir
/// appeared meanwhile, or the file system cannot rename without replacing). [`write`] then
/// takes the general way, which reports a failure file by file.
///
/// With `staged`, the files created ahead for this out dir ([`Staged`]) are its folder's:
/// each file of the plan created ahead is opened and written, the others created, and those
/// created ahead that the plan does not hold removed before the folder is renamed. The
/// folder ends as it would without them.
#[cfg(target_os = "linux")]
fn write_new_dir(plan: &Plan, out_dir: &Path, staged: Option<Staged>) -> Option<Written> {
    use std::collections::HashSet;

    use rustix::fs::{AtFlags, CWD, Mode, OFlags, RenameFlags};

    if plan.files.is_empty()
        || !plan.previous.is_empty()
        || !plan.remove.is_empty()
        || !plan.files.iter().all(|(_, f)| is_plain_file_name(&f.name))
        || !fs::symlink_metadata(out_dir).is_err_and(|error| is_absent(&error))
    {
        return None;
    }
    let (folder_path, created) = match staged
        .filter(|staged| staged.out_dir == out_dir)
        .and_then(Staged::finish)
    {
        Some(folder) => folder,
        None => (new_folder_beside(out_dir)?, Vec::new()),
    };
    // Each file is created from the folder, opened once, rather than by its whole path,
    // which the kernel would walk again, folder by folder, for each of thousands of files.
    let folder = rustix::fs::open(
        &folder_path,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    );
    let Ok(folder) = folder else {
        let _ = fs::remove_dir_all(&folder_path);
        return None;
    };
    let ahead: HashSet<&str> = created.iter().map(String::as_str).collect();
    let create = |name: &str, contents: &[u8]| {
        // As `File::create_new`: a new file only, read and write for all less the umask;
        // or the empty file created ahead under its name, which nothing else has opened.
        let flags = if ahead.contains(name) {
            OFlags::WRONLY | OFlags::CLOEXEC
        } else {
            OFlags::CREATE | OFlags::EXCL | OFlags::WRONLY | OFlags::CLOEXEC
        };
        let opened = rustix::fs::openat(&folder, name, flags, Mode::from_raw_mode(0o666));
        File::from(opened?).write_all(contents)
    };
    let written = crate::parallel::parallel_map(&plan.files, |(_, file)| {
        create(&file.name, file.contents.as_bytes())
    });
    let planned: HashSet<&str> = if created.is_empty() {
        HashSet::new()
    } else {
        plan.files.iter().map(|(_, f)| f.name.as_str()).collect()
    };
    let done = written.into_iter().all(|result| result.is_ok())
        && created
            .iter()
            .filter(|name| !planned.contains(name.as_str()))
            .all(|name| rustix::fs::unlinkat(&folder, name.as_str(), AtFlags::empty()).is_ok())
        && create(MANIFEST, manifest_text(&plan.manifest).as_bytes()).is_ok()
        && rustix::fs::renameat_with(CWD, &folder_path, CWD, out_dir, RenameFlags::NOREPLACE)
            .is_ok();
    if !done {
        // The folder is this run's own, and nobody else saw it.
        let _ = fs::remove_dir_all(&folder_path);
        return None;
    }
    Some(Written {
        written: plan.files.iter().map(|(_, f)| f.name.clone()).collect(),
        ..Written::default()
    })
}

#[cfg(not(target_os = "linux"))]
fn write_new_dir(_: &Plan, _: &Path, _: Option<Staged>) -> Option<Written> {
    None
}

/// A new folder beside the out dir `out_dir`, for [`write_new_dir`], once the leftovers of
/// killed exports are removed: `.NAME.ecsdef-PID.tmp`, or the next free temporary name.
#[cfg(target_os = "linux")]
fn new_folder_beside(out_dir: &Path) -> Option<PathBuf> {
    let (parent, name) = parent_and_name(out_dir)?;
    fs::create_dir_all(parent).ok()?;
    remove_staged_leftovers(parent, name);
    for candidate in temporary_names(name) {
        let candidate = parent.join(candidate);
        match fs::create_dir(&candidate) {
            Ok(()) => return Some(candidate),
            // A folder of another export's, or a leftover that holds something else.
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => return None,
        }
    }
    None
}

/// The files of a new out dir, created empty ahead of the export on a thread of their own,
/// while the analysis still runs: the folder that [`write_staged`] renames to the out dir, and
/// in it a file of each name given, until the writing stops the thread.
///
/// The kernel creates one file at a time in a folder, and creating 2,000 files is a quarter
/// of an export into a new folder; begun once discovery has every file (see
/// [`crate::discover::discover_early`]), most are created on the core that discovery's last
/// steps leave idle, and the writes then open them (BENCHMARKS.md). The names are a guess
/// (the tasks' families, as parsed, and every suffix of each format): a file of the plan
/// that was not created ahead is created then, and one created ahead that the plan does not
/// hold is removed before the folder becomes the out dir, so the out dir is the same either
/// way. Dropped unused, the folder is removed; a process killed meanwhile leaves it as a
/// killed [`write()`] does, and the next export removes it.
#[derive(Debug)]
pub struct Staged {
    /// The out dir the files are for.
    out_dir: PathBuf,
    /// Set to stop the thread.
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The thread: the folder and the names it created, unless it could not create the folder.
    thread: Option<std::thread::JoinHandle<Option<CreatedAhead>>>,
}

/// A folder of files created ahead, and their names.
type CreatedAhead = (PathBuf, Vec<String>);

impl Staged {
    /// Starts creating the files that `names` lists (made on the thread, off the caller's
    /// path) in a new folder beside `out_dir`; `None` where a new out dir is not written that
    /// way: not on Linux, or `out_dir` exists.
    pub fn start(
        out_dir: PathBuf,
        names: impl FnOnce() -> Vec<String> + Send + 'static,
    ) -> Option<Staged> {
        if !cfg!(target_os = "linux")
            || !fs::symlink_metadata(&out_dir).is_err_and(|error| is_absent(&error))
        {
            return None;
        }
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (target, stopped) = (out_dir.clone(), std::sync::Arc::clone(&stop));
        let thread = std::thread::Builder::new()
            .name("ecsdef-stage".to_owned())
            .spawn(move || create_ahead(&target, &names(), &stopped))
            .ok()?;
        Some(Staged {
            out_dir,
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the thread once the file it is creating exists: the folder, and the names of the
    /// files in it, which are the caller's from then on.
    fn finish(mut self) -> Option<CreatedAhead> {
        let folder = self.stop_and_join();
        if crate::timings::enabled()
            && let Some((_, names)) = &folder
        {
            crate::timings::mark(&format!("{} files created ahead", names.len()));
        }
        folder
    }

    /// Stops the thread, if it still runs, and waits for it: what it made, once.
    fn stop_and_join(&mut self) -> Option<CreatedAhead> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.take()?.join().ok()?
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some((folder, _)) = self.stop_and_join() {
            let _ = fs::remove_dir_all(folder);
        }
    }
}

/// [`Staged`]'s thread: the folder beside `out_dir` and the files of `names` in it, created
/// one by one until `stop` is set; `None` when no name is one a plan could hold, or no folder
/// could be made. (Whether `out_dir` exists [`Staged::start`] looked at; should it appear
/// since, the write leaves this folder and removes it.)
#[cfg(target_os = "linux")]
fn create_ahead(
    out_dir: &Path,
    names: &[String],
    stop: &std::sync::atomic::AtomicBool,
) -> Option<CreatedAhead> {
    use rustix::fs::{FileType, Mode, OFlags};

    if !names.iter().any(|name| is_plain_file_name(name)) {
        return None;
    }
    let folder_path = new_folder_beside(out_dir)?;
    let Ok(folder) = rustix::fs::open(
        &folder_path,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) else {
        let _ = fs::remove_dir(&folder_path);
        return None;
    };
    let mut created = Vec::with_capacity(names.len());
    for name in names.iter().filter(|name| is_plain_file_name(name)) {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        // A new regular file, with the mode `write_new_dir` gives one (a name given twice is
        // created once): made without opening it, which costs a tenth less than an `open`
        // and a `close`.
        let mode = Mode::from_raw_mode(0o666);
        if rustix::fs::mknodat(&folder, name.as_str(), FileType::RegularFile, mode, 0).is_ok() {
            created.push(name.clone());
        }
    }
    Some((folder_path, created))
}

#[cfg(not(target_os = "linux"))]
fn create_ahead(_: &Path, _: &[String], _: &std::sync::atomic::AtomicBool) -> Option<CreatedAhead> {
    None
}

/// Removes what [`write_new_dir`] left in `parent` when its process was killed before the
/// out dir `name` appeared: a folder named as its temporary folder (`.NAME.ecsdef-PID.tmp`)
/// that holds only regular files, as ecsdef's do. Anything else by that name is left as it
/// is. Looked for only while the out dir does not exist, as then it is all a killed export
/// can have left, and the out dir's parent (a workspace's root, say) is not listed on every
/// export.
#[cfg(target_os = "linux")]
fn remove_staged_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let is_ours = entry
            .file_name()
            .to_str()
            .and_then(temporary_target)
            .is_some_and(|target| target == name);
        if !is_ours || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        let only_files = fs::read_dir(&path).is_ok_and(|inner| {
            inner
                .map(|e| e.and_then(|e| e.file_type()))
                .all(|t| t.is_ok_and(|t| t.is_file()))
        });
        if only_files {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// What the out dir holds where a file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnDisk {
    Absent,
    /// A regular file with the bytes to write.
    Same,
    /// A regular file with other bytes.
    Differs,
    /// A regular file that cannot be read: its bytes are unknown.
    Unreadable,
    /// Anything but a regular file (see [`kind_of`]): never ecsdef's, never opened.
    NotAFile(&'static str),
}

/// What is at `path`, compared with `contents`. Only a regular file is opened.
fn state_of(path: &Path, contents: &[u8]) -> OnDisk {
    match fs::symlink_metadata(path) {
        Err(error) if is_absent(&error) => OnDisk::Absent,
        Err(_) => OnDisk::Unreadable,
        Ok(meta) if !meta.is_file() => OnDisk::NotAFile(kind_of(meta.file_type())),
        // A different size needs no read.
        Ok(meta) if meta.len() != contents.len() as u64 => OnDisk::Differs,
        Ok(_) => match fs::read(path) {
            Ok(bytes) if bytes == contents => OnDisk::Same,
            Ok(_) => OnDisk::Differs,
            Err(error) if error.kind() == io::ErrorKind::NotFound => OnDisk::Absent,
            Err(_) => OnDisk::Unreadable,
        },
    }
}

/// The out dir's entries: name, and whether it is a regular file.
pub(crate) type Listing = HashMap<OsString, bool>;

/// The out dir's [`listing`] as a plan saw it.
#[derive(Debug, Clone)]
pub(crate) struct Seen(pub(crate) Option<Listing>);

/// How [`blocked`] looks at the out dir's file `name`, given its listing (`None`: it could
/// not be listed) and the manifest's entries before the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    /// Not there (or not a name ecsdef writes): nothing is in the way.
    Not,
    /// ecsdef wrote it: only what kind of file it is matters, its bytes are never read.
    Kind,
    /// Something ecsdef did not write: in the way unless its bytes are the plan's.
    Bytes,
}

fn look_at(listed: Option<&Listing>, previous: &BTreeMap<String, String>, name: &str) -> Look {
    if !is_plain_file_name(name)
        || !listed.is_none_or(|l| l.contains_key(std::ffi::OsStr::new(name)))
    {
        Look::Not
    } else if previous.contains_key(name) {
        Look::Kind
    } else {
        Look::Bytes
    }
}

/// Whether [`blocked`] compares the bytes of file `name` with what is in the out dir, given
/// its listing (`None`: it could not be listed) and the manifest's entries before the export.
pub(crate) fn compares_bytes(
    listed: Option<&Listing>,
    previous: &BTreeMap<String, String>,
    name: &str,
) -> bool {
    look_at(listed, previous, name) == Look::Bytes
}

/// The out dir's entries by name, with whether each is a regular file; `None` when it cannot
/// be listed (then every name may exist). One listing instead of a failed look-up per new
/// file.
pub(crate) fn listing(out_dir: &Path) -> Option<Listing> {
    match fs::read_dir(out_dir) {
        Ok(entries) => Some(
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let regular = e.file_type().is_ok_and(|t| t.is_file());
                    (e.file_name(), regular)
                })
                .collect(),
        ),
        Err(error) if is_absent(&error) => Some(HashMap::new()),
        Err(_) => None,
    }
}

/// What is on disk for each file of `plan`, reading the files on every core: a re-export reads
/// back every file it would write, one system call after another. A file the listing found
/// to be a regular file is read from the out dir, opened once ([`state_in`]); any other by
/// its path ([`state_of`]).
fn on_disk(plan: &Plan, out_dir: &Path, listed: Option<&HashMap<OsString, bool>>) -> Vec<OnDisk> {
    #[cfg(target_os = "linux")]
    let folder = listed.and_then(|_| {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        rustix::fs::open(out_dir, flags, Mode::empty()).ok()
    });
    crate::parallel::parallel_map(&plan.files, |(_, file)| {
        // A name that is not a plain file name is never read (nor written, see `write`).
        let regular = match listed.map(|l| l.get(std::ffi::OsStr::new(&file.name))) {
            Some(None) => return OnDisk::Absent,
            Some(Some(&regular)) => regular,
            None => false,
        };
        if !is_plain_file_name(&file.name) {
            return OnDisk::Absent;
        }
        #[cfg(target_os = "linux")]
        if regular && let Some(folder) = &folder {
            return state_in(folder, out_dir, &file.name, file.contents.as_bytes());
        }
        #[cfg(not(target_os = "linux"))]
        let _ = regular;
        state_of(&out_dir.join(&file.name), file.contents.as_bytes())
    })
}

/// [`state_of`] for the file `name` of the out dir `folder` (at `out_dir`), which its
/// listing found to be a regular file: opened from the folder, without following a symbolic
/// link or waiting (`O_NOFOLLOW`, `O_NONBLOCK`), its size read from the open file and its
/// bytes in one read. Four system calls and no walk of the out dir's path, against six and
/// two walks: a re-export of a thousand tasks reads back 2,000 files (BENCHMARKS.md). What
/// replaced the file since the listing is never read: a symbolic link is not opened
/// ([`state_of`] then says what it is), anything else but a regular file is closed unread.
///
/// The bytes compared are those of the file as large as it was when opened: a file of the
/// size of `contents` ends where `contents` does, so the read that would see its end (0
/// bytes) is not made.
#[cfg(target_os = "linux")]
fn state_in(folder: &std::os::fd::OwnedFd, out_dir: &Path, name: &str, contents: &[u8]) -> OnDisk {
    use std::io::Read as _;

    use rustix::fs::{Mode, OFlags};

    let flags =
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let file = match rustix::fs::openat(folder, name, flags, Mode::empty()) {
        Ok(file) => File::from(file),
        Err(rustix::io::Errno::NOENT) => return OnDisk::Absent,
        // A symbolic link (`ELOOP`), or a file that cannot be opened: as by its path.
        Err(_) => return state_of(&out_dir.join(name), contents),
    };
    let Ok(meta) = file.metadata() else {
        return OnDisk::Unreadable;
    };
    if !meta.is_file() {
        return OnDisk::NotAFile(kind_of(meta.file_type()));
    }
    if meta.len() != contents.len() as u64 {
        return OnDisk::Differs;
    }
    let mut bytes = vec![0; contents.len()];
    let mut filled = 0;
    while filled < bytes.len() {
        match (&file).read(&mut bytes[filled..]) {
            // Shorter than when it was opened.
            Ok(0) => return OnDisk::Differs,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return OnDisk::Unreadable,
        }
    }
    if bytes == contents {
        OnDisk::Same
    } else {
        OnDisk::Differs
    }
}

/// Why ecsdef does not put a file where `state` is, when the manifest lists the path or not;
/// `None` when it may.
fn in_the_way(state: OnDisk, listed: bool) -> Option<String> {
    match state {
        OnDisk::NotAFile(kind) => Some(format!(
            "{kind} is there, and ecsdef writes only regular files, so it leaves it as it is: \
             move it away or delete it, then export again"
        )),
        OnDisk::Differs | OnDisk::Unreadable if !listed => Some(FOREIGN_FILE.to_owned()),
        OnDisk::Absent | OnDisk::Same | OnDisk::Differs | OnDisk::Unreadable => None,
    }
}

/// Why a file in the way is left alone.
const FOREIGN_FILE: &str = "ecsdef did not write it (the out dir's `.ecsdef-manifest` does not \
     list it), so it does not replace it: move it away or delete it, then export again";

/// Writes a plan into `out_dir` (created if missing), in the order that keeps the invariants
/// of this module: leftovers removed, the pending manifest, the changed files, the removals,
/// the final manifest. A file in the way that is not ecsdef's stops the export before anything
/// is written. When a file cannot be written, the others still are; the first failure in
/// plan order is returned, nothing is removed, and the manifest lists the files written
/// besides what it listed. A manifest that neither exists nor would list a file is not
/// created.
///
/// The files are written on every core, each taking the plan's next few files until none
/// are left. Creating files in one folder serialises on the folder in the kernel, but the
/// rest of each file's work does not (BENCHMARKS.md).
pub fn write(plan: &Plan, out_dir: &Path) -> Result<Written, WriteError> {
    write_staged(plan, out_dir, None)
}

/// [`write()`], with the files `staged` created ahead for a new out dir: used when `out_dir` is
/// the out dir they were created for, removed otherwise. The files written, and every
/// guarantee, are [`write()`]'s.
pub fn write_staged(
    plan: &Plan,
    out_dir: &Path,
    staged: Option<Staged>,
) -> Result<Written, WriteError> {
    if let Some(written) = write_new_dir(plan, out_dir, staged) {
        return Ok(written);
    }
    let listed = listing(out_dir);
    let states = on_disk(plan, out_dir, listed.as_ref());
    // Before anything is written: what is in the way stops the export. A regular file that
    // already holds exactly the bytes to write is not in the way: it is left as it is, and
    // listed in the new manifest.
    for ((_, file), state) in plan.files.iter().zip(&states) {
        if let Some(reason) = in_the_way(*state, plan.previous.contains_key(&file.name)) {
            return Err(WriteError {
                action: "overwrite",
                path: out_dir.join(&file.name),
                source: io::Error::new(io::ErrorKind::AlreadyExists, reason),
            });
        }
    }
    let to_write: Vec<_> = plan
        .files
        .iter()
        .zip(&states)
        .filter(|(_, state)| **state != OnDisk::Same)
        .collect();
    let leftovers: Vec<&OsString> = listed.as_ref().map_or_else(Vec::new, |l| {
        l.iter()
            .filter(|(name, regular)| **regular && name.to_str().is_some_and(is_leftover))
            .map(|(name, _)| name)
            .collect()
    });
    if to_write.is_empty() && plan.remove.is_empty() && leftovers.is_empty() {
        // Nothing to write: only the manifest may change (a file adopted).
        write_manifest(out_dir, &plan.manifest)?;
        return Ok(Written {
            unchanged: plan.files.iter().map(|(_, f)| f.name.clone()).collect(),
            ..Written::default()
        });
    }
    fs::create_dir_all(out_dir).map_err(|source| WriteError {
        action: "create the out dir",
        path: out_dir.to_owned(),
        source,
    })?;
    for name in leftovers {
        // One that cannot be removed is skipped by the temporary names of this run.
        let _ = fs::remove_file(out_dir.join(name));
    }
    // Pending entries: every file about to appear is listed before it does.
    let mut pending = plan.previous.clone();
    let mut adds = false;
    for ((package, file), _) in &to_write {
        adds |= pending.insert(file.name.clone(), package.clone()).is_none();
    }
    if adds {
        write_manifest(out_dir, &pending)?;
    }

    // A file that fails does not stop the others: which files get written must not depend on
    // how many cores there are.
    let outcomes = crate::parallel::parallel_map(&to_write, |&((_, file), state)| {
        debug_assert!(is_plain_file_name(&file.name));
        if !is_plain_file_name(&file.name) {
            return Ok(false);
        }
        let how = if *state == OnDisk::Absent {
            Put::New
        } else {
            Put::Replace
        };
        put(&out_dir.join(&file.name), file.contents.as_bytes(), how).map(|()| true)
    });
    let mut done = Written {
        unchanged: plan
            .files
            .iter()
            .zip(&states)
            .filter(|(_, state)| **state == OnDisk::Same)
            .map(|((_, f), _)| f.name.clone())
            .collect(),
        ..Written::default()
    };
    let mut failure = None;
    let mut written = plan.previous.clone();
    for (((package, file), _), outcome) in to_write.iter().zip(outcomes) {
        match outcome {
            Ok(true) => {
                done.written.push(file.name.clone());
                written.insert(file.name.clone(), package.clone());
            }
            Ok(false) => {}
            Err(error) => {
                failure.get_or_insert(error);
            }
        }
    }
    if let Some(error) = failure {
        // What was written is ecsdef's: the manifest lists it, so that the next export may
        // replace it, or remove it when its family is gone. Nothing is removed now.
        let _ = write_manifest(out_dir, &written);
        return Err(error);
    }
    for name in &plan.remove {
        let path = out_dir.join(name);
        // Only a regular file can be ecsdef's; anything else there is left as it is.
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        match fs::remove_file(&path) {
            Ok(()) => done.removed.push(name.clone()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(WriteError {
                    action: "remove",
                    path,
                    source,
                });
            }
        }
    }
    write_manifest(out_dir, &plan.manifest)?;
    Ok(done)
}

/// The files of `plan` that [`write()`] would refuse to put in place, each with why, sorted:
/// what `check` reports of the out dir. A file the manifest lists is only looked at, never
/// read; another regular file is read only when its size is that of the bytes to write.
///
/// A plan made with [`Contents::InTheWay`](super::Contents::InTheWay) is judged by the
/// listing it was made with: the files it holds bytes for are exactly those read here.
pub fn blocked(plan: &Plan, out_dir: &Path) -> Vec<(String, String)> {
    let listed = match &plan.listed {
        Some(seen) => Cow::Borrowed(&seen.0),
        None => Cow::Owned(listing(out_dir)),
    };
    let listed = listed.as_ref().as_ref();
    let states = crate::parallel::parallel_map(&plan.files, |(_, file)| {
        match look_at(listed, &plan.previous, &file.name) {
            Look::Not => OnDisk::Absent,
            Look::Kind => match fs::symlink_metadata(out_dir.join(&file.name)) {
                Ok(meta) if !meta.is_file() => OnDisk::NotAFile(kind_of(meta.file_type())),
                _ => OnDisk::Absent,
            },
            Look::Bytes => state_of(&out_dir.join(&file.name), file.contents.as_bytes()),
        }
    });
    let mut blocked: Vec<(String, String)> = plan
        .files
        .iter()
        .zip(states)
        .filter_map(|((_, file), state)| {
            in_the_way(state, plan.previous.contains_key(&file.name))
                .map(|reason| (file.name.clone(), reason))
        })
        .collect();
    blocked.sort();
    blocked
}

/// A difference between a plan and the out dir.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drift {
    /// The file does not exist.
    Missing(String),
    /// The file's bytes differ.
    Differs(String),
    /// ecsdef wrote the file for a family that is gone: export would remove it.
    Stale(String),
    /// Something that ecsdef did not write is where it would write (a file with other bytes,
    /// an unreadable one, a symbolic link, a directory, a FIFO, ...): export would stop rather
    /// than replace it.
    Foreign(String),
}

/// Compares a plan with the out dir, writing nothing. Empty when an export would change
/// nothing. ecsdef's temporary leftovers are not output paths: they are ignored.
pub fn check(plan: &Plan, out_dir: &Path) -> Vec<Drift> {
    let listed = listing(out_dir);
    let mut drift = Vec::new();
    for ((_, file), state) in plan
        .files
        .iter()
        .zip(on_disk(plan, out_dir, listed.as_ref()))
    {
        let name = file.name.clone();
        if in_the_way(state, plan.previous.contains_key(&file.name)).is_some() {
            drift.push(Drift::Foreign(name));
            continue;
        }
        match state {
            OnDisk::Same => {}
            OnDisk::Differs => drift.push(Drift::Differs(name)),
            OnDisk::Absent | OnDisk::Unreadable | OnDisk::NotAFile(_) => {
                drift.push(Drift::Missing(name));
            }
        }
    }
    for name in &plan.remove {
        if fs::symlink_metadata(out_dir.join(name)).is_ok_and(|m| m.is_file()) {
            drift.push(Drift::Stale(name.clone()));
        }
    }
    drift.sort_by(|a, b| drift_name(a).cmp(drift_name(b)));
    drift
}

fn drift_name(drift: &Drift) -> &str {
    match drift {
        Drift::Missing(n) | Drift::Differs(n) | Drift::Stale(n) | Drift::Foreign(n) => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ExportFile;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ecsdef-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    }

    fn file(name: &str, contents: &str) -> ExportFile {
        ExportFile {
            name: name.to_owned(),
            contents: contents.to_owned(),
        }
    }

    /// A plan writing `files` of package `pkg`, the manifest listing `previous` before.
    fn plan_of(files: &[ExportFile], previous: &[&str]) -> Plan {
        let previous: BTreeMap<String, String> = previous
            .iter()
            .map(|f| ((*f).to_owned(), "pkg".to_owned()))
            .collect();
        let mut manifest = previous.clone();
        manifest.extend(files.iter().map(|f| (f.name.clone(), "pkg".to_owned())));
        Plan {
            files: files
                .iter()
                .map(|f| ("pkg".to_owned(), f.clone()))
                .collect(),
            remove: Vec::new(),
            manifest,
            previous,
            kept: Vec::new(),
            ready: 0,
            unset: 0,
            listed: None,
        }
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Each file gets its bytes, an unchanged file is not rewritten, and a failing file is
    /// reported, leaves no temporary file behind and stops nothing else: the other files are
    /// written, whatever the number of cores, and the manifest gains them but nothing else.
    #[test]
    fn a_failing_file_is_reported_and_the_others_are_written() {
        let dir = scratch("writes");
        let files: Vec<ExportFile> = (0..50)
            .map(|i| file(&format!("f{i:02}.json"), &format!("{{\"n\": {i}}}\n")))
            .collect();
        let done = write(&plan_of(&files, &[]), &dir).expect("written");
        assert_eq!(done.written.len(), 50);
        for file in &files {
            assert_eq!(
                fs::read_to_string(dir.join(&file.name)).expect("written"),
                file.contents
            );
        }
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            read_manifest(&dir).expect("manifest").len(),
            50,
            "every file listed"
        );

        let mut changed = files.clone();
        changed[7].contents = "{}\n".to_owned();
        changed[40].contents = "{}\n".to_owned();
        changed.push(file("g.json", "{}\n"));
        // A name longer than a file system allows: a new file that cannot be put in place.
        let too_long = format!("{}.json", "h".repeat(300));
        changed.push(file(&too_long, "{}\n"));
        // A directory where file 30 goes: its rename fails.
        fs::remove_file(dir.join(&changed[30].name)).expect("remove");
        fs::create_dir(dir.join(&changed[30].name)).expect("a directory in the way");
        // The manifest listed only some: f30.json is ecsdef's, yet not a regular file now.
        let error = write(&plan_of(&changed, &names), &dir).expect_err("f30 is a directory");
        assert_eq!(error.path, dir.join("f30.json"));
        assert!(
            error.source.to_string().contains("a directory is there"),
            "{error}"
        );
        assert_eq!(
            fs::read_to_string(dir.join("f07.json")).expect("f07"),
            "{\"n\": 7}\n",
            "nothing is written when something is in the way"
        );

        // A file that cannot be written stops nothing else: every temporary name of
        // `f30.json` is taken by a directory (not a leftover of ecsdef's, so left alone), and
        // the new file's name is too long.
        fs::remove_dir(dir.join("f30.json")).expect("clear");
        fs::write(dir.join("f30.json"), "{\"n\": 30}\n").expect("restore");
        changed[30].contents = "{}\n".to_owned();
        let pid = std::process::id();
        fs::create_dir(dir.join(format!(".f30.json.ecsdef-{pid}.tmp"))).expect("taken");
        for n in 1..16 {
            fs::create_dir(dir.join(format!(".f30.json.ecsdef-{pid}-{n}.tmp"))).expect("taken");
        }
        let error = write(&plan_of(&changed, &names), &dir).expect_err("f30 cannot be written");
        assert_eq!(
            error.path,
            dir.join("f30.json"),
            "the first failure in name order"
        );
        assert_eq!(
            fs::read_to_string(dir.join("f30.json")).expect("f30"),
            "{\"n\": 30}\n",
            "left as it was"
        );
        for name in ["f07.json", "f40.json", "g.json"] {
            assert_eq!(
                fs::read_to_string(dir.join(name)).expect("written"),
                "{}\n",
                "{name} is written too"
            );
        }
        assert!(!names_in(&dir).contains(&too_long));
        let manifest = read_manifest(&dir).expect("manifest");
        assert!(manifest.contains_key("g.json") && manifest.contains_key("f30.json"));
        assert!(!manifest.contains_key(&too_long), "not written, not listed");
        let leftovers: Vec<_> = names_in(&dir)
            .into_iter()
            .filter(|n| is_leftover(n) && fs::metadata(dir.join(n)).is_ok_and(|m| m.is_file()))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        let _ = fs::remove_dir_all(&dir);
    }

    /// A file ecsdef did not write stops the export before anything is written, unless it
    /// already holds exactly the bytes to write.
    #[test]
    fn files_ecsdef_did_not_write_are_never_overwritten() {
        let dir = scratch("foreign");
        let plan = plan_of(
            &[file("a.json", "{}\n"), file("b.json", "{\"b\": 1}\n")],
            &[],
        );
        fs::write(dir.join("b.json"), "mine\n").expect("plant");
        let error = write(&plan, &dir).expect_err("b.json is in the way");
        assert_eq!(error.path, dir.join("b.json"));
        assert_eq!(error.action, "overwrite");
        assert_eq!(fs::read_to_string(dir.join("b.json")).expect("b"), "mine\n");
        assert!(!dir.join("a.json").exists(), "nothing is written");
        assert!(!dir.join(MANIFEST).exists(), "nor the manifest");
        assert_eq!(
            check(&plan, &dir),
            [
                Drift::Missing("a.json".into()),
                Drift::Foreign("b.json".into())
            ]
        );

        // The same bytes: adopted, not rewritten.
        fs::write(dir.join("b.json"), "{\"b\": 1}\n").expect("plant");
        let done = write(&plan, &dir).expect("written");
        assert_eq!(done.written, ["a.json"]);
        assert_eq!(done.unchanged, ["b.json"]);
        assert_eq!(read_manifest(&dir).expect("manifest").len(), 2);
        let _ = fs::remove_dir_all(&dir);
    }

    /// What is not a regular file at an output path is never opened, replaced or removed,
    /// listed in the manifest or not: a dangling symbolic link, a link to a file with the
    /// very bytes to write, a directory, a socket, a FIFO (opening which would wait for a
    /// writer forever). `--check` calls each foreign.
    #[cfg(unix)]
    #[test]
    fn what_is_not_a_regular_file_is_never_touched() {
        let dir = scratch("not-files");
        let contents = "{}\n";
        fs::write(dir.join("target.txt"), contents).expect("a link target");
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling.json")).expect("link");
        std::os::unix::fs::symlink(dir.join("target.txt"), dir.join("link.json")).expect("link");
        fs::create_dir(dir.join("dir.json")).expect("dir");
        let _socket =
            std::os::unix::net::UnixListener::bind(dir.join("socket.json")).expect("socket");
        let fifo = std::process::Command::new("mkfifo")
            .arg(dir.join("fifo.json"))
            .status()
            .is_ok_and(|s| s.success());
        let mut names = vec!["dangling.json", "link.json", "dir.json", "socket.json"];
        if fifo {
            names.push("fifo.json");
        }
        for listed in [false, true] {
            for name in &names {
                let files = [file(name, contents)];
                let previous: &[&str] = if listed { &[name] } else { &[] };
                let plan = plan_of(&files, previous);
                let error = write(&plan, &dir).expect_err("in the way");
                assert_eq!(error.path, dir.join(name), "{error}");
                assert_eq!(check(&plan, &dir), [Drift::Foreign((*name).to_owned())]);
                // Nor removed when its family is gone.
                let mut plan = plan_of(&[], previous);
                plan.remove = vec![(*name).to_owned()];
                plan.manifest.clear();
                write(&plan, &dir).expect("nothing to remove");
                assert!(check(&plan, &dir).is_empty());
            }
        }
        assert_eq!(
            fs::read_link(dir.join("dangling.json")).expect("still a link"),
            dir.join("nowhere")
        );
        assert!(!dir.join("nowhere").exists(), "nothing written through it");
        assert_eq!(
            fs::read_link(dir.join("link.json")).expect("still a link"),
            dir.join("target.txt")
        );
        assert!(dir.join("dir.json").is_dir());
        let mut expected = vec![
            "dangling.json",
            "dir.json",
            "link.json",
            "socket.json",
            "target.txt",
        ];
        if fifo {
            expected.push("fifo.json");
            expected.sort_unstable();
        }
        assert_eq!(names_in(&dir), expected, "nothing written, nothing removed");
        let _ = fs::remove_dir_all(&dir);
    }

    /// Reading a file from the out dir's folder, as a re-export does for what the listing
    /// found to be a regular file, says what reading it by its path says, whatever replaced
    /// it since the listing: a symbolic link is not followed, a FIFO not waited on.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_read_from_the_folder_is_judged_as_by_its_path() {
        use rustix::fs::{Mode, OFlags};

        let dir = scratch("state-in");
        let contents = b"{\"family\": \"web\"}\n";
        fs::write(dir.join("same.json"), contents).expect("write");
        fs::write(dir.join("other.json"), b"{\"family\": \"job\"}\n").expect("write");
        fs::write(dir.join("longer.json"), b"{\"family\": \"web\"}\n\n").expect("write");
        fs::write(dir.join("empty.json"), b"").expect("write");
        fs::write(dir.join("target.txt"), contents).expect("a link target");
        std::os::unix::fs::symlink(dir.join("target.txt"), dir.join("link.json")).expect("link");
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling.json")).expect("link");
        fs::create_dir(dir.join("dir.json")).expect("dir");
        let fifo = std::process::Command::new("mkfifo")
            .arg(dir.join("fifo.json"))
            .status()
            .is_ok_and(|s| s.success());
        let folder = rustix::fs::open(
            &dir,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .expect("the folder");
        let mut cases = vec![
            ("same.json", OnDisk::Same),
            ("other.json", OnDisk::Differs),
            ("longer.json", OnDisk::Differs),
            ("empty.json", OnDisk::Differs),
            ("absent.json", OnDisk::Absent),
            ("link.json", OnDisk::NotAFile("a symbolic link")),
            ("dangling.json", OnDisk::NotAFile("a symbolic link")),
            ("dir.json", OnDisk::NotAFile("a directory")),
        ];
        if fifo {
            cases.push(("fifo.json", OnDisk::NotAFile("a FIFO")));
        }
        for (name, expected) in cases {
            let path = dir.join(name);
            assert_eq!(state_of(&path, contents), expected, "{name} by its path");
            assert_eq!(
                state_in(&folder, &dir, name, contents),
                expected,
                "{name} from the folder"
            );
        }
        // An empty file is the same as empty contents, either way.
        let path = dir.join("empty.json");
        assert_eq!(state_of(&path, b""), OnDisk::Same);
        assert_eq!(state_in(&folder, &dir, "empty.json", b""), OnDisk::Same);
        assert_eq!(fs::read(dir.join("target.txt")).expect("read"), contents);
        let _ = fs::remove_dir_all(&dir);
    }

    /// A manifest that is not a regular file is refused, never read: without it ecsdef cannot
    /// tell its files from the user's.
    #[cfg(unix)]
    #[test]
    fn a_manifest_that_is_not_a_file_is_refused() {
        let dir = scratch("manifest-link");
        fs::write(dir.join("elsewhere"), "pkg\tweb.json\n").expect("plant");
        std::os::unix::fs::symlink(dir.join("elsewhere"), dir.join(MANIFEST)).expect("link");
        let error = read_manifest(&dir).expect_err("a link");
        assert!(
            error.to_string().contains("it is a symbolic link"),
            "{error}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// ecsdef's own temporary files, left by a run that was killed, are removed by the next
    /// export and never fail it, even one named with this very process's id.
    #[test]
    fn leftovers_are_removed_and_never_in_the_way() {
        let dir = scratch("leftovers");
        let pid = std::process::id();
        let leftovers = [
            format!(".web.json.ecsdef-{pid}.tmp"),
            format!(".web.json.ecsdef-{pid}-1.tmp"),
            ".web.json.ecsdef-1.tmp".to_owned(),
            format!(".{MANIFEST}.ecsdef-77.tmp"),
        ];
        for name in &leftovers {
            fs::write(dir.join(name), "{\"half").expect("plant");
        }
        // Not ecsdef's: left alone.
        fs::write(dir.join(".web.json.ecsdef-x.tmp"), "").expect("plant");
        fs::write(dir.join("notes.tmp"), "").expect("plant");
        let plan = plan_of(&[file("web.json", "{}\n")], &[]);
        assert_eq!(check(&plan, &dir), [Drift::Missing("web.json".into())]);
        write(&plan, &dir).expect("written");
        assert_eq!(
            names_in(&dir),
            [MANIFEST, ".web.json.ecsdef-x.tmp", "notes.tmp", "web.json"]
        );
        assert!(check(&plan, &dir).is_empty());

        // A temporary name that is taken by something that cannot be removed is skipped.
        fs::create_dir(dir.join(format!(".web.json.ecsdef-{pid}.tmp"))).expect("plant");
        let plan = plan_of(&[file("web.json", "{\"v\": 2}\n")], &["web.json"]);
        write(&plan, &dir).expect("written");
        assert_eq!(
            fs::read_to_string(dir.join("web.json")).expect("web"),
            "{\"v\": 2}\n"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// New files are listed in the manifest before they appear: whatever instant the export
    /// stops at, every file it put in place is listed.
    #[test]
    fn new_files_are_listed_before_they_appear() {
        let dir = scratch("pending");
        let files = [file("a.json", "{}\n")];
        write(&plan_of(&files, &[]), &dir).expect("written");
        // Emulate an export that stopped right after its pending manifest: a new file is
        // listed, not there.
        let mut pending = read_manifest(&dir).expect("manifest");
        pending.insert("b.json".to_owned(), "pkg".to_owned());
        write_manifest(&dir, &pending).expect("pending");
        let plan = plan_of(
            &[file("a.json", "{}\n"), file("b.json", "{}\n")],
            &["a.json", "b.json"],
        );
        assert_eq!(check(&plan, &dir), [Drift::Missing("b.json".into())]);
        let done = write(&plan, &dir).expect("completed");
        assert_eq!(done.written, ["b.json"]);
        // The family of a pending file is gone: its entry goes, nothing fails.
        let mut plan = plan_of(&[file("a.json", "{}\n")], &["a.json", "b.json", "c.json"]);
        plan.remove = vec!["b.json".to_owned(), "c.json".to_owned()];
        plan.manifest.remove("b.json");
        plan.manifest.remove("c.json");
        let done = write(&plan, &dir).expect("completed");
        assert_eq!(done.removed, ["b.json"]);
        assert_eq!(names_in(&dir), [MANIFEST, "a.json"]);
        assert_eq!(read_manifest(&dir).expect("manifest").len(), 1);
        let _ = fs::remove_dir_all(&dir);
    }

    /// What stops an export: anything but a regular file, and a regular file the manifest
    /// does not list unless it holds the very bytes, even one that cannot be read (its
    /// bytes are unknown). The table, as a planted unreadable file is readable to root.
    #[test]
    fn what_is_in_the_way() {
        for listed in [false, true] {
            assert!(in_the_way(OnDisk::Absent, listed).is_none());
            assert!(in_the_way(OnDisk::Same, listed).is_none());
            assert!(in_the_way(OnDisk::NotAFile("a FIFO"), listed).is_some());
        }
        assert!(in_the_way(OnDisk::Differs, false).is_some());
        assert!(in_the_way(OnDisk::Unreadable, false).is_some());
        assert!(in_the_way(OnDisk::Differs, true).is_none());
        assert!(in_the_way(OnDisk::Unreadable, true).is_none());
    }

    #[test]
    fn leftovers_are_recognised_by_name() {
        for name in [
            ".web.json.ecsdef-12.tmp",
            ".web.cfn.json.ecsdef-12-3.tmp",
            ".web.execution-role-policy.json.ecsdef-1.tmp",
            "..ecsdef-manifest.ecsdef-9.tmp",
        ] {
            assert!(is_leftover(name), "{name}");
        }
        for name in [
            "web.json",
            ".web.json.ecsdef-.tmp",
            ".web.json.ecsdef-12.tmpx",
            ".web.json.ecsdef-1a.tmp",
            ".web.json.tmp",
            "..ecsdef-12.tmp",
            ".a/b.ecsdef-1.tmp",
        ] {
            assert!(!is_leftover(name), "{name}");
        }
    }

    /// A new file, put in place without a name first or through a temporary file (the way
    /// where the system has no unnamed files), ends the same: the same bytes and permissions,
    /// and nothing else in the folder. Neither replaces a file that is already there.
    #[test]
    #[cfg(unix)]
    fn a_new_file_ends_the_same_either_way() {
        use std::os::unix::fs::PermissionsExt as _;

        let dir = scratch("put-new");
        let contents = b"{\"family\": \"web\"}\n";
        let unnamed = dir.join("unnamed.json");
        let named = dir.join("named.json");
        match put_new_unnamed(&unnamed, contents) {
            Some(result) => result.expect("written"),
            // Not Linux, or a file system without unnamed files (overlayfs before Linux 6.6):
            // `put` takes the temporary file's way there.
            None => put(&unnamed, contents, Put::New).expect("written"),
        }
        put_through_temporary(&named, contents, Put::New).expect("written");
        assert_eq!(names_in(&dir), ["named.json", "unnamed.json"]);
        for path in [&unnamed, &named] {
            assert_eq!(fs::read(path).expect("read"), contents);
        }
        let mode = |path: &Path| fs::metadata(path).expect("metadata").permissions().mode();
        assert_eq!(mode(&unnamed), mode(&named));

        // Something appeared at the path meanwhile: it stays as it is.
        for path in [&unnamed, &named] {
            fs::write(path, "theirs").expect("written");
            let failed = put(path, contents, Put::New).expect_err("never replaced");
            assert_eq!(failed.source.kind(), io::ErrorKind::AlreadyExists);
            assert_eq!(failed.action, "write");
            assert_eq!(fs::read_to_string(path).expect("read"), "theirs");
            let failed = put_through_temporary(path, contents, Put::New).expect_err("kept");
            assert_eq!(failed.source.kind(), io::ErrorKind::AlreadyExists);
            assert_eq!(fs::read_to_string(path).expect("read"), "theirs");
        }
        assert_eq!(names_in(&dir), ["named.json", "unnamed.json"]);
        let _ = fs::remove_dir_all(&dir);
    }

    /// An out dir that does not exist is written in a folder beside it and appears whole, with
    /// the same files and manifest as the general way writes into an empty out dir, and
    /// nothing else left beside it.
    #[test]
    fn a_new_out_dir_appears_whole_as_the_general_way_writes_it() {
        let dir = scratch("new-out-dir");
        let files = [
            file("web.json", "{\"family\": \"web\"}\n"),
            file("web.policy.json", "{}\n"),
            file("worker.json", "{\"family\": \"worker\"}\n"),
        ];
        let plan = plan_of(&files, &[]);
        let general = dir.join("general");
        fs::create_dir(&general).expect("an empty out dir");
        let done = write(&plan, &general).expect("written");
        let new = dir.join("nested").join("deploy");
        let staged = write(&plan, &new).expect("written");
        assert_eq!(staged, done);
        assert_eq!(done.written, ["web.json", "web.policy.json", "worker.json"]);
        assert_eq!(names_in(&new).len(), 4, "the files and the manifest");
        assert_eq!(names_in(&new), names_in(&general));
        for name in names_in(&new) {
            assert_eq!(
                fs::read(new.join(&name)).ok(),
                fs::read(general.join(&name)).ok()
            );
        }
        assert_eq!(names_in(&dir.join("nested")), ["deploy"]);
        #[cfg(target_os = "linux")]
        {
            // The way a new out dir is taken: never over an out dir that exists, even empty,
            // and a file it cannot create leaves nothing behind.
            let empty = dir.join("empty");
            fs::create_dir(&empty).expect("an empty out dir");
            assert_eq!(write_new_dir(&plan, &empty, None), None);
            let twice = plan_of(&[file("a.json", "{}\n"), file("a.json", "[]\n")], &[]);
            assert_eq!(write_new_dir(&twice, &dir.join("twice"), None), None);
            assert_eq!(
                names_in(&dir),
                ["empty", "general", "nested"],
                "nothing left beside the out dir"
            );
            assert_eq!(
                write_new_dir(&plan, &dir.join("other"), None).map(|w| w.written.len()),
                Some(3)
            );
        }
        let _ = fs::remove_dir_all(&dir);
    }

    /// Waits until `staged`'s thread has created every file it will.
    #[cfg(target_os = "linux")]
    fn created_all(staged: &Staged) {
        let thread = staged.thread.as_ref().expect("a thread");
        while !thread.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    /// A new out dir written through files created ahead is the out dir written without them,
    /// whichever of its files were created ahead: those the plan holds get their bytes, the
    /// others are created, those it does not hold are gone, and nothing is left beside it. So
    /// is one written before all were created, and one for which nothing could be.
    #[cfg(target_os = "linux")]
    #[test]
    fn files_created_ahead_end_as_the_out_dir_without_them() {
        let dir = scratch("created-ahead");
        let files = [
            file("web.json", "{\"family\": \"web\"}\n"),
            file("web.execution-role-policy.json", "{}\n"),
            file("worker.json", "{\"family\": \"worker\"}\n"),
        ];
        let plan = plan_of(&files, &[]);
        let reference = dir.join("reference");
        write(&plan, &reference).expect("written");
        let guesses = [
            // Created ahead and written; then one the plan does not hold, one given twice,
            // and a name no plan can hold. `worker.json` is not guessed.
            "web.json",
            "web.execution-role-policy.json",
            "canary.json",
            "web.json",
            "../outside.json",
        ]
        .map(str::to_owned)
        .to_vec();
        let names = || {
            let guesses = guesses.clone();
            move || guesses
        };
        let same = |out: &Path, written: Written| {
            assert_eq!(
                written.written,
                ["web.json", "web.execution-role-policy.json", "worker.json"]
            );
            assert_eq!(names_in(out), names_in(&reference));
            for name in names_in(out) {
                assert_eq!(
                    fs::read(out.join(&name)).ok(),
                    fs::read(reference.join(&name)).ok()
                );
                let mode = |dir: &Path| {
                    use std::os::unix::fs::PermissionsExt as _;
                    fs::metadata(dir.join(&name))
                        .map(|m| m.permissions().mode())
                        .ok()
                };
                assert_eq!(mode(out), mode(&reference), "{name}");
            }
        };

        let ahead = dir.join("nested").join("deploy");
        let staged = Staged::start(ahead.clone(), names()).expect("started");
        created_all(&staged);
        // Taken the new out dir's way, not the general one's after a failure.
        let written = write_new_dir(&plan, &ahead, Some(staged)).expect("written the new way");
        same(&ahead, written);
        assert_eq!(
            names_in(&dir.join("nested")),
            ["deploy"],
            "nothing beside it"
        );
        assert!(!dir.join("outside.json").exists());

        // Stopped at once: however many were created by then, the same out dir.
        let early = dir.join("early");
        let staged = Staged::start(early.clone(), names()).expect("started");
        let written = write_new_dir(&plan, &early, Some(staged)).expect("written the new way");
        same(&early, written);

        // Created for another out dir: not used, and removed.
        let other = dir.join("other");
        let staged = Staged::start(dir.join("elsewhere"), names()).expect("started");
        created_all(&staged);
        same(
            &other,
            write_staged(&plan, &other, Some(staged)).expect("written"),
        );

        // For an out dir that exists: nothing is created, and the general way writes it.
        let existing = dir.join("existing");
        fs::create_dir(&existing).expect("an empty out dir");
        assert!(Staged::start(existing.clone(), names()).is_none());
        same(&existing, write(&plan, &existing).expect("written"));

        assert_eq!(
            names_in(&dir),
            ["early", "existing", "nested", "other", "reference"],
            "no folder of files created ahead is left"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// Files created ahead and not used (the export failed, or wrote nothing) are removed
    /// with their folder; no folder is made without a name a plan could hold.
    #[cfg(target_os = "linux")]
    #[test]
    fn files_created_ahead_and_not_used_are_removed() {
        let dir = scratch("created-unused");
        let staged = Staged::start(dir.join("deploy"), || vec!["web.json".to_owned()]);
        let staged = staged.expect("started");
        created_all(&staged);
        assert_eq!(names_in(&dir).len(), 1, "its folder: {:?}", names_in(&dir));
        assert!(names_in(&dir)[0].starts_with(".deploy.ecsdef-"));
        drop(staged);
        assert!(names_in(&dir).is_empty(), "{:?}", names_in(&dir));
        // No folder for names no plan can hold.
        for names in [vec!["../web.json".to_owned()], Vec::new()] {
            let staged = Staged::start(dir.join("deploy"), move || names).expect("started");
            created_all(&staged);
            assert!(names_in(&dir).is_empty(), "{:?}", names_in(&dir));
        }
        let _ = fs::remove_dir_all(&dir);
    }

    /// What a killed export into a new out dir left beside it (its folder, holding regular
    /// files) is removed by the next export; anything else by such a name stays.
    #[cfg(target_os = "linux")]
    #[test]
    fn folders_a_killed_export_left_beside_the_out_dir_are_removed() {
        let dir = scratch("staged-leftovers");
        let leftover = dir.join(".deploy.ecsdef-12.tmp");
        fs::create_dir(&leftover).expect("a folder");
        fs::write(leftover.join("web.json"), "{\"fam").expect("half a file");
        let theirs = dir.join(".deploy.ecsdef-13-1.tmp");
        fs::create_dir_all(theirs.join("inside")).expect("a folder holding a folder");
        let other = dir.join(".other.ecsdef-14.tmp");
        fs::create_dir(&other).expect("another out dir's folder");
        fs::write(dir.join(".deploy.ecsdef-15.tmp"), "").expect("a file by such a name");
        let plan = plan_of(&[file("web.json", "{}\n")], &[]);
        write(&plan, &dir.join("deploy")).expect("written");
        assert_eq!(
            names_in(&dir),
            [
                ".deploy.ecsdef-13-1.tmp",
                ".deploy.ecsdef-15.tmp",
                ".other.ecsdef-14.tmp",
                "deploy"
            ]
        );
        assert_eq!(names_in(&dir.join("deploy")), [MANIFEST, "web.json"]);
        let _ = fs::remove_dir_all(&dir);
    }
}
