//! Reading and tokenizing the workspace's files while `cargo metadata` runs.
//!
//! `cargo metadata` takes 0.1-0.2 s on a large workspace, and until it answers, discovery does
//! not know which packages, targets and features there are. Most of what it will ask for is
//! predictable, though: the `.rs` files under the `src` folders of the workspace. So while cargo
//! runs, one worker (the reader) skims those files into items ([`super::skim`]),
//! which needs no package information; when it is later given a file it has already read, it
//! skips straight to the part that does (evaluating `cfg` against the package's features, the
//! attribute front end). A file discovery never asks for was read for nothing, and a file it
//! asks for that was not read ahead is read then: the guess changes how soon results come,
//! never what they are.
//!
//! Only one worker reads ahead: cargo needs a core too, and a second reader slows it down as
//! much as it gains. The syntax trees cannot move between threads (their spans are
//! thread-local), so the files the reader holds go back to it, and every other file to
//! whichever worker is free. When the reader holds more than its share (a slow `cargo
//! metadata` lets it read most of the workspace), an idle worker takes files from the end of
//! its queue and reads them again, and the reader drops its copies.

use std::path::{Path, PathBuf};

use super::DiscoverOptions;

/// At most this many files are read ahead: a guess should not cost more than it can save.
const MAX_FILES: usize = 20_000;
/// Nor more source than this: the reader holds the syntax of what it read until it summarises
/// it, many times the text, and a slow `cargo metadata` would let it fill memory with the
/// whole workspace. With a fast one the reader stops well before.
pub(crate) const MAX_BYTES: usize = 2 << 20;
/// Folders deeper than this below the workspace root are not searched.
const MAX_DEPTH: usize = 12;
/// At most this many folders are listed.
const MAX_DIRS: usize = 10_000;

/// The files worth reading ahead, in path order: every `.rs` file inside a `src` folder of
/// the workspace that `options` start from, outside `target` and hidden folders. Empty when
/// the workspace cannot be found (discovery then reports why, from `cargo metadata`).
///
/// The folders are listed as the files are asked for, on the reader's thread: the reader
/// starts reading at once, and lists only as much of the workspace as it gets to read before
/// cargo answers, typically a fraction of it.
pub(crate) fn candidates(options: &DiscoverOptions) -> Candidates {
    Candidates {
        root: workspace_root_guess(options),
        stack: Vec::new(),
        dirs: 0,
        files: 0,
    }
}

/// The folder of the nearest `Cargo.toml` with a `[workspace]` table at or above the starting
/// manifest (where cargo looks first), or the starting manifest's folder.
fn workspace_root_guess(options: &DiscoverOptions) -> Option<PathBuf> {
    let manifest = std::path::absolute(super::metadata::current_manifest(options).ok()?).ok()?;
    let start = manifest.parent()?.to_owned();
    let root = start
        .ancestors()
        .find(|dir| {
            super::source::read_source(&dir.join("Cargo.toml"))
                .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
        })
        .unwrap_or(&start)
        .to_owned();
    Some(root)
}

/// A depth-first walk with each folder's entries sorted by name, which yields the files in
/// the order of their sorted paths (paths compare component by component).
#[derive(Debug)]
pub(crate) struct Candidates {
    /// The workspace root, until the walk starts.
    root: Option<PathBuf>,
    /// The folders being walked, innermost last.
    stack: Vec<Level>,
    /// Folders listed so far.
    dirs: usize,
    /// Files yielded so far.
    files: usize,
}

#[derive(Debug)]
struct Level {
    dir: PathBuf,
    depth: usize,
    in_src: bool,
    /// What is left to visit, the next last.
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    name: std::ffi::OsString,
    is_dir: bool,
}

impl Candidates {
    /// Lists `dir` and walks it next, unless it is too deep or too many folders were listed.
    fn enter(&mut self, dir: PathBuf, depth: usize, in_src: bool) {
        if depth > MAX_DEPTH || self.dirs >= MAX_DIRS {
            return;
        }
        self.dirs += 1;
        let entries = list(&dir, in_src);
        self.stack.push(Level {
            dir,
            depth,
            in_src,
            entries,
        });
    }
}

impl Iterator for Candidates {
    type Item = PathBuf;

    fn next(&mut self) -> Option<PathBuf> {
        if let Some(root) = self.root.take() {
            self.enter(root, 0, false);
        }
        while self.files < MAX_FILES {
            let level = self.stack.last_mut()?;
            let Some(entry) = level.entries.pop() else {
                self.stack.pop();
                continue;
            };
            let path = level.dir.join(&entry.name);
            if entry.is_dir {
                let (depth, in_src) = (level.depth + 1, level.in_src || entry.name == "src");
                self.enter(path, depth, in_src);
            } else {
                self.files += 1;
                return Some(path);
            }
        }
        None
    }
}

/// The folders and (inside a `src` folder) the `.rs` files of `dir`, sorted by name in
/// reverse, so that the first is popped first.
fn list(dir: &Path, in_src: bool) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut entries: Vec<Entry> = read
        .flatten()
        .filter_map(|entry| {
            let kind = entry.file_type().ok()?;
            let name = entry.file_name();
            let text = name.to_string_lossy();
            if kind.is_dir() {
                let skip = text.starts_with('.') || text == "target" || text == "node_modules";
                (!skip).then_some(Entry { name, is_dir: true })
            } else if in_src && kind.is_file() && text.ends_with(".rs") {
                Some(Entry {
                    name,
                    is_dir: false,
                })
            } else {
                None
            }
        })
        .collect();
    entries.sort_unstable_by(|a, b| b.name.cmp(&a.name));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_workspace_sources_and_nothing_else() {
        let root = std::env::temp_dir().join(format!("ecsdef-prescan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("dir");
            std::fs::write(path, text).expect("write");
        };
        write("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n");
        write("a/Cargo.toml", "[package]\nname = \"a\"\n");
        write("a/src/lib.rs", "");
        write("a/src/deep/mod.rs", "");
        // `deep` (a folder) sorts before `deep.rs`, and `deep/a.rs` before `deep-er.rs`
        // (`-` sorts before `/` in the bytes of a path, but paths compare component-wise).
        write("a/src/deep.rs", "");
        write("a/src/deep/a.rs", "");
        write("a/src/deep-er.rs", "");
        write("a/src/notes.txt", "");
        write("a/tests/t.rs", "");
        write("a/build.rs", "");
        write("target/debug/src/gen.rs", "");
        write("a/src/.hidden/x.rs", "");
        let options = DiscoverOptions {
            manifest_path: Some(root.join("a/Cargo.toml")),
            ..DiscoverOptions::default()
        };
        let paths: Vec<PathBuf> = candidates(&options).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted, "yielded in path order");
        let found: Vec<String> = paths
            .iter()
            .map(|p| {
                p.strip_prefix(&root)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(
            found,
            [
                "a/src/deep/a.rs",
                "a/src/deep/mod.rs",
                "a/src/deep-er.rs",
                "a/src/deep.rs",
                "a/src/lib.rs"
            ]
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
