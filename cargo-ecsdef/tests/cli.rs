//! CLI snapshot tests: each folder of `tests/cli/` is one run of `cargo-ecsdef`.
//!
//! A case folder holds:
//!
//! - `cmd`: the arguments, on one line, split at spaces (the binary runs as `cargo-ecsdef`,
//!   with the case's workspace as its current directory);
//! - `workspace` (optional): the name of a folder of `tests/cli/_workspaces/` to start from;
//! - `in/` (optional): files laid over it (a broken file, a planted file, a committed
//!   `deploy/`);
//! - `status`, `stdout`, `stderr`: the expected exit code and output;
//! - `tree`: every file in the workspace after the run (except `Cargo.lock`, which
//!   `cargo metadata` writes), so a reviewer sees what was written and that nothing else was
//!   written or deleted;
//! - `out/` (optional): the expected contents of those files.
//!
//! Every case runs with a secret in its environment (`AWS_SECRET_ACCESS_KEY`) and fails if its
//! value shows in the output or in any file.
//!
//! Bless with `SNAPSHOTS=overwrite cargo test -p cargo-ecsdef --test cli` and review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use snapbox::cmd::{Command, cargo_bin};
use snapbox::{Assert, Data};

fn cases_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create the case folder");
    for entry in fs::read_dir(from).expect("read a fixture folder") {
        let entry = entry.expect("read a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

fn list_tree(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("read the workspace")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            list_tree(root, &path, out);
        } else {
            let relative = path.strip_prefix(root).expect("inside the root");
            if relative != Path::new("Cargo.lock") {
                out.push(relative.display().to_string());
            }
        }
    }
}

/// A secret of the environment every case runs in, as a CI's would be: its value must never
/// appear in the output or in any file of the workspace.
const SECRET_VARIABLE: &str = "AWS_SECRET_ACCESS_KEY";
const CANARY: &str = "canary-wJalrXUtnFEMI-K7MDENG-secret";

fn assert() -> Assert {
    Assert::new().action_env(snapbox::assert::DEFAULT_ACTION_ENV)
}

fn run_case(case: &Path) {
    let name = case.file_name().expect("a name").to_string_lossy();
    let work = std::env::temp_dir().join(format!("ecsdef-cli-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).expect("create the work folder");
    if let Ok(workspace) = fs::read_to_string(case.join("workspace")) {
        copy_tree(
            &cases_root().join("_workspaces").join(workspace.trim()),
            &work,
        );
    }
    if case.join("in").is_dir() {
        copy_tree(&case.join("in"), &work);
    }
    let cmd = fs::read_to_string(case.join("cmd")).expect("a `cmd` file");
    let status: i32 = fs::read_to_string(case.join("status"))
        .map_or(0, |s| s.trim().parse().expect("`status` is a number"));

    let output = Command::new(cargo_bin!("cargo-ecsdef"))
        .with_assert(assert())
        .args(cmd.split_whitespace())
        .current_dir(&work)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("IMAGE_TAG")
        .env_remove("DB_SECRET")
        .env("FROM_ENVIRONMENT", "env-value")
        .env(SECRET_VARIABLE, CANARY)
        .assert()
        .code(status)
        .stdout_eq(Data::read_from(&case.join("stdout"), None).raw())
        .stderr_eq(Data::read_from(&case.join("stderr"), None).raw())
        .get_output()
        .clone();

    let mut tree = Vec::new();
    list_tree(&work, &work, &mut tree);
    for (what, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        assert!(
            !String::from_utf8_lossy(bytes).contains(CANARY),
            "{name}: the secret's value is in {what}"
        );
    }
    for file in &tree {
        let contents = fs::read(work.join(file)).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&contents).contains(CANARY),
            "{name}: the secret's value is in {file}"
        );
    }
    let tree = tree.join("\n") + "\n";
    assert().eq(tree, Data::read_from(&case.join("tree"), None).raw());
    if case.join("out").is_dir() {
        assert().subset_eq(case.join("out"), &work);
    }
    let _ = fs::remove_dir_all(&work);
}

#[test]
fn cli() {
    let mut cases: Vec<PathBuf> = fs::read_dir(cases_root())
        .expect("tests/cli exists")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.is_dir()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('_'))
        })
        .collect();
    cases.sort();
    let mut failed = Vec::new();
    for case in &cases {
        let result = std::panic::catch_unwind(|| run_case(case));
        if result.is_err() {
            failed.push(
                case.file_name()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    assert!(failed.is_empty(), "failing cases: {failed:?}");
    assert!(cases.len() >= 20, "only {} cases", cases.len());
}

/// `cargo ecsdef explain` lists every rule of `RULES`, in order, with its level and summary,
/// in columns as wide as their widest cell and two spaces apart. The expected listing is built
/// from the rules here, so a new rule changes no test file (`explain-rule` holds one rule's
/// page to a snapshot).
#[test]
fn explain_lists_every_rule() {
    use ecsdef_model::rules::RULES;

    let header = ["RULE", "LEVEL", "CHECKS"];
    let name_width = RULES
        .iter()
        .map(|r| r.name.chars().count())
        .chain([header[0].len()])
        .max()
        .unwrap_or_default();
    let level_width = RULES
        .iter()
        .map(|r| r.level.as_str().len())
        .chain([header[1].len()])
        .max()
        .unwrap_or_default();
    let line = |name: &str, level: &str, summary: &str| {
        format!("{name:<name_width$}  {level:<level_width$}  {summary}\n")
    };
    let mut expected = line(header[0], header[1], header[2]);
    for rule in RULES {
        expected.push_str(&line(rule.name, rule.level.as_str(), rule.summary));
    }
    assert!(RULES.len() > 30, "only {} rules", RULES.len());

    Command::new(cargo_bin!("cargo-ecsdef"))
        .with_assert(assert())
        .args(["explain"])
        .env("CARGO_TERM_COLOR", "never")
        .assert()
        .code(0)
        .stdout_eq(Data::from(expected).raw())
        .stderr_eq(Data::from("").raw());
}

/// The SARIF log's catalogue of rules speaks its input's terms, as each finding does: the
/// derive's attributes for a workspace, the file's members and `check`'s flags for files. Code
/// scanning shows a rule's summary and help beside every result.
#[test]
fn sarif_catalogue_speaks_the_inputs_terms() {
    use ecsdef_model::rules::RULES;

    let catalogue = |args: &[&str], dir: &Path| -> Vec<serde_json::Value> {
        let output = std::process::Command::new(cargo_bin!("cargo-ecsdef"))
            .args(args)
            .current_dir(dir)
            .env("CARGO_TERM_COLOR", "never")
            .output()
            .expect("cargo-ecsdef runs");
        let log: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("a SARIF log on stdout");
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("the rules")
            .clone()
    };
    let work = std::env::temp_dir().join(format!("ecsdef-cli-{}-sarif", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    copy_tree(&cases_root().join("_workspaces/shop"), &work);
    let workspace = catalogue(
        &["check", "--workspace", "--message-format", "sarif"],
        &work,
    );
    let _ = fs::remove_dir_all(&work);
    let files = catalogue(
        &["check", ".", "--message-format", "sarif"],
        &cases_root().join("../fixtures/lint"),
    );

    let text = |rules: &[serde_json::Value], id: &str, field: &str| -> String {
        let rule = rules
            .iter()
            .find(|r| r["id"] == id)
            .expect("the rule is listed");
        rule[field]["text"].as_str().expect("a text").to_owned()
    };
    for rule in RULES {
        assert_eq!(
            text(&workspace, rule.name, "shortDescription"),
            rule.summary
        );
        assert_eq!(text(&workspace, rule.name, "help"), rule.help);
        assert_eq!(
            text(&files, rule.name, "shortDescription"),
            rule.summary_in_file()
        );
        assert_eq!(text(&files, rule.name, "help"), rule.help_in_file());
    }
    // The two differ where a declaration and a file name a thing differently.
    let role = "execution-role-required";
    assert!(text(&workspace, role, "shortDescription").contains("`execution_role`"));
    assert!(text(&workspace, role, "help").contains("execution_role = "));
    assert!(text(&files, role, "shortDescription").contains("`executionRoleArn`"));
    assert!(text(&files, role, "help").contains("`executionRoleArn`"));
}
