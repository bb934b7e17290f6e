//! Reading and tokenizing the workspace's files while `cargo metadata` runs.
//!
//! `cargo metadata` takes 0.1-0.2 s on a large workspace, and until it answers, discovery does
//! not know which packages, targets and features there are. Most of what it will ask for is
//! predictable, though: the `.rs` files under the `src` folders of the workspace. So while cargo
//! runs, one worker (the reader) reads and splits those files into items ([`super::items`]),
//! which needs no package information; when it is later given a file it has already read, it
//! skips straight to the part that does (evaluating `cfg` against the package's features, the
//! attribute front end). A file discovery never asks for was read for nothing, and a file it
//! asks for that was not read ahead is read then, as without this: the guess changes how soon
//! results come, never what they are.
//!
//! Only one worker reads ahead: cargo needs a core too, and a second reader slowed it down as
//! much as it gained. The syntax trees cannot move between threads (their spans are
//! thread-local), so the files the reader holds go back to it, and every other file to
//! whichever worker is free. When the reader holds more than its share (a slow `cargo
//! metadata` lets it read most of the workspace), an idle worker takes files from the end of
//! its queue and reads them again, and the reader drops its copies.

use std::path::{Path, PathBuf};

use super::DiscoverOptions;

/// At most this many files are read ahead: a guess should not cost more than it can save.
const MAX_FILES: usize = 20_000;
/// Nor more source than this: the reader holds the syntax of what it read until it summarises
/// it, many times the text. On d1000 (4 MB of source) with a slow `cargo metadata`, reading
/// ahead without a limit peaked at 77-92 MB, with 1 MB at 54-58 MB (BENCHMARKS.md); with a
/// fast one the reader stops at 1-1.5 MB anyway.
pub(crate) const MAX_BYTES: usize = 2 << 20;
/// Folders deeper than this below the workspace root are not searched.
const MAX_DEPTH: usize = 12;
/// At most this many folders are listed.
const MAX_DIRS: usize = 10_000;

/// The files worth reading ahead, sorted: every `.rs` file inside a `src` folder of the
/// workspace that `options` start from, outside `target` and hidden folders. Empty when the
/// workspace cannot be found (discovery then reports why, from `cargo metadata`).
pub(crate) fn candidates(options: &DiscoverOptions) -> Vec<PathBuf> {
    let Some(root) = workspace_root_guess(options) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    let mut dirs = 0;
    collect(&root, 0, false, &mut dirs, &mut files);
    files.sort();
    files
}

/// The folder of the nearest `Cargo.toml` with a `[workspace]` table at or above the starting
/// manifest (where cargo looks first), or the starting manifest's folder.
fn workspace_root_guess(options: &DiscoverOptions) -> Option<PathBuf> {
    let manifest = std::path::absolute(super::metadata::current_manifest(options).ok()?).ok()?;
    let start = manifest.parent()?.to_owned();
    let root = start
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
        })
        .unwrap_or(&start)
        .to_owned();
    Some(root)
}

fn collect(dir: &Path, depth: usize, in_src: bool, dirs: &mut usize, files: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH || files.len() >= MAX_FILES || *dirs >= MAX_DIRS {
        return;
    }
    *dirs += 1;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if name.starts_with('.') || name == "target" || name == "node_modules" {
                continue;
            }
            collect(
                &entry.path(),
                depth + 1,
                in_src || name == "src",
                dirs,
                files,
            );
        } else if in_src && kind.is_file() && name.ends_with(".rs") {
            if files.len() >= MAX_FILES {
                return;
            }
            files.push(entry.path());
        }
    }
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
        write("a/src/notes.txt", "");
        write("a/tests/t.rs", "");
        write("a/build.rs", "");
        write("target/debug/src/gen.rs", "");
        write("a/src/.hidden/x.rs", "");
        let options = DiscoverOptions {
            manifest_path: Some(root.join("a/Cargo.toml")),
            ..DiscoverOptions::default()
        };
        let found: Vec<String> = candidates(&options)
            .iter()
            .map(|p| {
                p.strip_prefix(&root)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(found, ["a/src/deep/mod.rs", "a/src/lib.rs"]);
        let _ = std::fs::remove_dir_all(&root);
    }
}
