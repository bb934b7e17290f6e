//! `cargo ecsdef check PATH...` on task-definition files where they are: snapshot cases, the
//! SARIF log's structure, and the verdicts on the corpus of real files.
//!
//! Each folder of `tests/lint/` is one run of `cargo-ecsdef` in `tests/fixtures/lint/` (which
//! it must not change), holding `cmd` (the arguments, split at spaces), `status`, `stdout` and
//! `stderr`. Bless with `SNAPSHOTS=overwrite cargo test -p cargo-ecsdef --test lint` and review
//! the diff.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use snapbox::cmd::{Command, cargo_bin};
use snapbox::{Assert, Data};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn fixtures() -> PathBuf {
    root().join("fixtures/lint")
}

/// A secret of the environment every case runs in, as a CI's would be: its value must never
/// appear in the output.
const SECRET_VARIABLE: &str = "AWS_SECRET_ACCESS_KEY";
const CANARY: &str = "canary-wJalrXUtnFEMI-K7MDENG-secret";

fn assert() -> Assert {
    Assert::new().action_env(snapbox::assert::DEFAULT_ACTION_ENV)
}

fn ecsdef(args: &[&str], dir: &Path) -> std::process::Output {
    std::process::Command::new(cargo_bin!("cargo-ecsdef"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo-ecsdef runs")
}

#[test]
fn cases() {
    let mut cases: Vec<PathBuf> = fs::read_dir(root().join("lint"))
        .expect("tests/lint exists")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let mut failed = Vec::new();
    for case in &cases {
        let run = std::panic::catch_unwind(|| {
            let cmd = fs::read_to_string(case.join("cmd")).expect("a `cmd` file");
            let status: i32 = fs::read_to_string(case.join("status"))
                .map_or(0, |s| s.trim().parse().expect("`status` is a number"));
            let output = Command::new(cargo_bin!("cargo-ecsdef"))
                .with_assert(assert())
                .args(cmd.split_whitespace())
                .current_dir(fixtures())
                .env("CARGO_TERM_COLOR", "never")
                .env(SECRET_VARIABLE, CANARY)
                .assert()
                .code(status)
                .stdout_eq(Data::read_from(&case.join("stdout"), None).raw())
                .stderr_eq(Data::read_from(&case.join("stderr"), None).raw())
                .get_output()
                .clone();
            for bytes in [&output.stdout, &output.stderr] {
                assert!(!String::from_utf8_lossy(bytes).contains(CANARY));
            }
        });
        if run.is_err() {
            failed.push(
                case.file_name()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    assert!(failed.is_empty(), "failing cases: {failed:?}");
    assert!(cases.len() >= 6, "only {} cases", cases.len());
}

/// No output shows a value that a finding flags as a possible secret, in any format, with
/// colour or without: the snippets mask it, those of the other findings on its line too (a
/// minified JSON file), and every line of a YAML block scalar.
#[test]
fn values_flagged_as_secrets_never_reach_the_output() {
    let secrets = ["hunter2-not-real", "AKIAIOSFODNN7EXAMPLE", "-not-real"];
    for args in [
        &["check", "secrets"][..],
        &["check", "secrets", "--color", "always"],
        &["check", "secrets", "--message-format", "json"],
        &["check", "secrets", "--message-format", "sarif"],
        &["check", "."],
    ] {
        let output = ecsdef(args, &fixtures());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("plaintext-secret-in-env")
                || String::from_utf8_lossy(&output.stdout).contains("plaintext-secret-in-env"),
            "{args:?}: the findings are reported"
        );
        assert_none_shown(args, &output, &secrets);
    }
}

/// Asserts that neither the standard output nor the error output of the run with `args`
/// holds any of `secrets`.
fn assert_none_shown(args: &[&str], output: &std::process::Output, secrets: &[&str]) {
    for bytes in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(bytes);
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{args:?}: `{secret}` is shown:\n{text}"
            );
        }
    }
}

/// A value that may be a secret is masked wherever the file holds it, not only where the rule
/// judges it (the environment of a container definition): an `environment` written in the
/// wrong place or misspelled, whose shape error points at it, a log driver's `apikey`, and a
/// file that does not parse at all (a minified JSON file is one line, all of it the snippet
/// of its syntax error). The findings are still reported, at the same places.
#[test]
fn secrets_written_where_no_rule_looks_never_reach_the_output() {
    let secrets = [
        "hunter2-misplaced",
        "hunter2-misspelled",
        "dd-key-not-real",
        "hunter2-broken",
        "hunter2-yaml",
        "987654321",
    ];
    let dir = std::env::temp_dir().join(format!("ecsdef-lint-{}-misplaced", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a temporary folder");
    let files = [
        (
            "misplaced.json",
            r#"{"family": "web", "environment": [{"name": "DB_PASSWORD", "value": "hunter2-misplaced"}],
  "containerDefinitions": [{"name": "app", "image": "nginx:1.27", "memory": 512,
    "enviroment": [{"name": "DB_PASSWORD", "value": "hunter2-misspelled"}],
    "environment": [{"name": "API_TOKEN", "value": 987654321}],
    "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "datadog", "apikey": "dd-key-not-real"}}}]}
"#,
        ),
        (
            "broken.json",
            r#"{"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx:1.27", "environment": [{"name": "DB_PASSWORD", "value": "hunter2-broken"}] "memory": 512}]}"#,
        ),
        (
            "broken.yaml",
            "family: web\ncontainerDefinitions:\n  - name: app\n    environment:\n      - name: DB_PASSWORD\n        value: hunter2-yaml: x\n    image: nginx\n",
        ),
    ];
    for (name, text) in files {
        fs::write(dir.join(name), text).expect("a fixture");
    }
    let mut runs: Vec<Vec<&str>> = files.iter().map(|(name, _)| vec!["check", *name]).collect();
    runs.push(vec!["check", ".", "--color", "always"]);
    runs.push(vec!["check", ".", "--message-format", "json"]);
    runs.push(vec!["import", "misplaced.json"]);
    for args in runs {
        let output = ecsdef(&args, &dir);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if args.contains(&"json") {
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(stdout.contains(r#""level":"error""#), "{args:?}: {stdout}");
        } else {
            assert!(
                stderr.contains("error") && stderr.contains("****"),
                "{args:?}: the finding and its masked snippet are shown:\n{stderr}"
            );
        }
        assert_ne!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert_none_shown(&args, &output, &secrets);
    }
    let _ = fs::remove_dir_all(&dir);
}

/// The SARIF log holds what code scanning needs: every result's rule among the driver's
/// rules (at its index), a relative path, and a region at the finding's line and column,
/// the same findings as the JSON lines.
#[test]
fn sarif_results_are_the_findings() {
    let sarif = ecsdef(&["check", ".", "--message-format", "sarif"], &fixtures());
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("a JSON log");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let json = ecsdef(&["check", ".", "--message-format", "json"], &fixtures());
    let diagnostics: Vec<serde_json::Value> = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .filter(|line: &serde_json::Value| line["reason"] == "diagnostic")
        .collect();
    assert_eq!(results.len(), diagnostics.len());
    assert!(results.len() >= 10, "{} results", results.len());
    for (result, diagnostic) in results.iter().zip(&diagnostics) {
        let index = result["ruleIndex"].as_u64().expect("an index");
        let index = usize::try_from(index).expect("small");
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["ruleId"], diagnostic["rule"]);
        assert_eq!(result["level"], diagnostic["level"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], diagnostic["file"]);
        assert_eq!(location["region"]["startLine"], diagnostic["line"]);
        assert_eq!(location["region"]["startColumn"], diagnostic["column"]);
    }
    assert_eq!(sarif.status.code(), Some(1));
}

/// `--message-format sarif` is `check`'s only.
#[test]
fn other_verbs_refuse_sarif() {
    let output = ecsdef(&["list", "--message-format", "sarif"], &fixtures());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("only for `check`"));
}

/// The repository's root.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository")
}

/// The committed table of what `check` reports on each file of `tests/corpus/real/`
/// (`docs/corpus.md`) is what it reports now. Each finding is a row; the last column, whether
/// AWS agrees (with the documentation sentence), is written by hand and kept by key (file,
/// rule, path) when the table is regenerated with
/// `SNAPSHOTS=overwrite cargo test -p cargo-ecsdef --test lint corpus_table`
/// (or `cargo run -p xtask -- corpus-table`); a new finding's cell says `to review`.
#[test]
fn corpus_table() {
    let repo = repo();
    let table_path = repo.join("docs/corpus.md");
    let output = ecsdef(
        &["check", "--message-format", "json", "tests/corpus/real"],
        &repo,
    );
    let mut findings: BTreeMap<String, Vec<[String; 4]>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let line: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        if line["reason"] != "diagnostic" {
            continue;
        }
        let file = line["file"].as_str().unwrap_or_default();
        let name = Path::new(file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let message = line["message"].as_str().unwrap_or_default();
        let (path, message) = message.split_once(": ").unwrap_or(("", message));
        findings.entry(name).or_default().push([
            line["level"].as_str().unwrap_or_default().to_owned(),
            line["rule"].as_str().unwrap_or_default().to_owned(),
            path.to_owned(),
            message.to_owned(),
        ]);
    }
    let committed = fs::read_to_string(&table_path).unwrap_or_default();
    // The hand-written column of the committed table, by (file, rule, path).
    let mut verdicts: BTreeMap<(String, String, String), String> = BTreeMap::new();
    for row in committed.lines().filter(|l| l.starts_with("| `")) {
        // Cells are separated by `|`; a `|` inside a cell is written `\|`. A row without a
        // finding has empty cells (`| | |`).
        let mut cells: Vec<String> = vec![String::new()];
        let mut chars = row.trim().chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'|') => {
                    cells.last_mut().expect("a cell").push_str("\\|");
                    chars.next();
                }
                '|' => cells.push(String::new()),
                _ => cells.last_mut().expect("a cell").push(c),
            }
        }
        let cells: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
        // The row's text before its first `|` and after its last are empty.
        if let ["", file, _, rule, path, _, agrees, ""] = cells.as_slice() {
            verdicts.insert(
                (
                    file.trim_matches('`').to_owned(),
                    rule.trim_matches('`').to_owned(),
                    path.trim_matches('`').to_owned(),
                ),
                (*agrees).to_owned(),
            );
        }
    }
    let mut files: Vec<String> = fs::read_dir(repo.join("tests/corpus/real"))
        .expect("the corpus")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        })
        .collect();
    files.sort();
    let cell = |text: &str| text.replace('|', "\\|");
    let mut table = String::from(
        "# What `cargo ecsdef check` reports on the corpus of real task definitions\n\n\
         Every file of `tests/corpus/real/` (30 public task definitions, sources in its \
         `SOURCES.md`), checked as `cargo ecsdef check tests/corpus/real` checks it: one row per \
         finding, and one row for a file without any. The last column says whether AWS agrees, \
         with the sentence of AWS's documentation that decides it; it is written by hand and kept \
         when the rest is regenerated (`cargo run -p xtask -- corpus-table`). \
         `cargo-ecsdef/tests/lint.rs` (`corpus_table`) fails when the table and `check` \
         disagree, and while a row's verdict says `to review`. A verdict is `yes` with AWS's \
         sentence and where it is, or `no` with why; a warning is advice on a file AWS accepts.\n\n\
         | file | level | rule | where | message | AWS agrees |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for file in &files {
        let rows = findings.get(file).cloned().unwrap_or_default();
        if rows.is_empty() {
            let key = (file.clone(), String::new(), String::new());
            let agrees = verdicts.get(&key).map_or("to review", String::as_str);
            let _ = writeln!(table, "| `{file}` | | | | nothing | {agrees} |");
        }
        for [level, rule, path, message] in rows {
            let key = (file.clone(), rule.clone(), path.clone());
            let agrees = verdicts.get(&key).map_or("to review", String::as_str);
            let _ = writeln!(
                table,
                "| `{file}` | {level} | `{rule}` | `{}` | {} | {agrees} |",
                cell(&path),
                cell(&message)
            );
        }
    }
    if std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite") {
        fs::create_dir_all(table_path.parent().expect("a folder")).expect("docs/");
        fs::write(&table_path, &table).expect("write docs/corpus.md");
    }
    // Every finding is judged: a cell that says `to review` is work left undone.
    let unjudged: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| `") && l.ends_with("| to review |"))
        .collect();
    assert!(
        unjudged.is_empty(),
        "docs/corpus.md has rows whose last column says `to review`: write whether AWS agrees \
         (`yes: \"<AWS's sentence>\" (<source>)` or `no: <why>`):\n{}",
        unjudged.join("\n")
    );
    assert!(
        committed == table,
        "docs/corpus.md is not what `check` reports on tests/corpus/real: regenerate it with \
         `cargo run -p xtask -- corpus-table` and review the diff"
    );
}
