//! What is at an output path that ecsdef did not write (a symbolic link, dangling or not, a
//! FIFO, a socket, a directory) is refused and left as it is, and never waited on; `export
//! --check` calls it foreign (issue 14, item 5). Cases the CLI snapshot folders cannot hold,
//! as they copy regular files only.
#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a folder");
    for entry in fs::read_dir(from).expect("read a fixture folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// A copy of the CLI tests' `shop` workspace, whose export writes `deploy/web.json` and
/// `deploy/web.execution-role-policy.json`.
fn shop(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("ecsdef-out-dir-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/_workspaces/shop"),
        &root,
    );
    fs::create_dir_all(root.join("deploy")).expect("deploy/");
    root
}

/// Runs `cargo ecsdef ARGS` in `root`, failing the test if it has not ended after a minute
/// (an export waiting on a FIFO never would).
fn run(root: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-ecsdef"))
        .arg("ecsdef")
        .args(args)
        .current_dir(root)
        .env("CARGO_TERM_COLOR", "never")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cargo-ecsdef");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`cargo ecsdef {}` still runs after a minute",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Plants `what` at `deploy/web.json`, then: `export` exits 2 naming it and writes nothing,
/// `export --check` exits 1 calling it foreign, and it is still there, untouched.
fn refused(name: &str, what: &str, plant: impl Fn(&Path), still_there: impl Fn(&Path) -> bool) {
    let root = shop(name);
    let web = root.join("deploy/web.json");
    plant(&web);

    let output = run(&root, &["export", "--workspace"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: cannot overwrite `deploy/web.json`: {what} is there"
        )),
        "{stderr}"
    );
    assert!(still_there(&web), "{what} is left as it is");
    let mut left: Vec<String> = fs::read_dir(root.join("deploy"))
        .expect("deploy/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["web.json"], "nothing written beside it");

    let output = run(&root, &["export", "--workspace", "--check"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("foreign  deploy/web.json"),
        "{}",
        text(&output.stdout)
    );
    assert!(still_there(&web), "{what} is left as it is by --check");
    let _ = fs::remove_dir_all(&root);
}

/// Seen: a dangling symbolic link at an output path was replaced by the file.
#[test]
fn a_dangling_symlink_at_an_output_path_is_left_as_it_is() {
    refused(
        "dangling",
        "a symbolic link",
        |web| std::os::unix::fs::symlink("../nowhere/web.json", web).expect("link"),
        |web| {
            fs::read_link(web).is_ok_and(|t| t == Path::new("../nowhere/web.json"))
                && !web.parent().expect("deploy").join("../nowhere").exists()
        },
    );
}

/// A link to a file holding exactly the bytes to write is not adopted either: ecsdef never
/// writes through a link.
#[test]
fn a_symlink_to_a_file_is_left_as_it_is() {
    refused(
        "link",
        "a symbolic link",
        |web| {
            let target = web.parent().expect("deploy").join("../elsewhere.json");
            fs::write(&target, "{}\n").expect("target");
            std::os::unix::fs::symlink("../elsewhere.json", web).expect("link");
        },
        |web| {
            fs::read_link(web).is_ok()
                && fs::read_to_string(web.parent().expect("deploy").join("../elsewhere.json"))
                    .is_ok_and(|t| t == "{}\n")
        },
    );
}

/// Seen: a FIFO at an output path hung the export, which opened it to compare its bytes.
#[test]
fn a_fifo_at_an_output_path_is_refused_without_waiting() {
    refused(
        "fifo",
        "a FIFO",
        |web| {
            let made = Command::new("mkfifo")
                .arg(web)
                .status()
                .expect("mkfifo runs");
            assert!(made.success(), "mkfifo");
        },
        |web| {
            use std::os::unix::fs::FileTypeExt as _;
            fs::symlink_metadata(web).is_ok_and(|m| m.file_type().is_fifo())
        },
    );
}

#[test]
fn a_socket_at_an_output_path_is_refused() {
    let keep = std::sync::Mutex::new(Vec::new());
    refused(
        "socket",
        "a socket",
        |web| {
            let listener = std::os::unix::net::UnixListener::bind(web).expect("socket");
            keep.lock().expect("lock").push(listener);
        },
        |web| {
            use std::os::unix::fs::FileTypeExt as _;
            fs::symlink_metadata(web).is_ok_and(|m| m.file_type().is_socket())
        },
    );
}

#[test]
fn a_directory_at_an_output_path_is_refused() {
    refused(
        "directory",
        "a directory",
        |web| fs::create_dir(web).expect("directory"),
        Path::is_dir,
    );
}

/// `check` compares the bytes of the files the manifest does not list with what export
/// would write (it keeps only those): the same bytes are not in the way, other bytes are,
/// whichever file of the task they are in.
#[test]
fn check_compares_the_bytes_of_files_the_manifest_does_not_list() {
    let root = shop("check-unlisted");
    let output = run(&root, &["export", "--workspace", "-q"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    fs::remove_file(root.join("deploy/.ecsdef-manifest")).expect("the manifest");

    let output = run(&root, &["check", "--workspace"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("in the way"), "{stderr}");
    assert!(stderr.contains("1 ready to export"), "{stderr}");

    for (file, other) in [
        ("web.json", "deploy/web.execution-role-policy.json"),
        ("web.execution-role-policy.json", "deploy/web.json"),
    ] {
        let path = root.join("deploy").join(file);
        let bytes = fs::read(&path).expect("an exported file");
        let mut changed = bytes.clone();
        changed.insert(0, b' ');
        fs::write(&path, &changed).expect("change a file");
        let output = run(&root, &["check", "--workspace"]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("`deploy/{file}` in the way")),
            "{stderr}"
        );
        assert!(!stderr.contains(&format!("`{other}`")), "{stderr}");
        assert!(stderr.contains("0 ready to export"), "{stderr}");
        fs::write(&path, &bytes).expect("restore a file");
    }
    let _ = fs::remove_dir_all(&root);
}
