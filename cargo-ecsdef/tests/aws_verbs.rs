//! `verify`, `diff` and `register` against a local AWS emulator (moto), without any real AWS
//! account.
//!
//! moto runs from the venv `tests/moto/setup.sh` makes, whose python `ECSDEF_MOTO_PYTHON`
//! names (default: `target/moto-venv/bin/python`). Without it the tests are skipped with a
//! loud message, except in CI (`CI=true`), where a missing moto fails them.
//!
//! One moto server serves this test binary (`tests/moto/serve.py`: a free port, stopped when
//! this process ends); the tests take turns and each starts from a reset account, seeded by
//! `tests/moto/seed.py` with the fixture workspace's account (`tests/fixtures/aws`) whole or
//! with one thing broken. Secret values hold a canary that must never reach the output.
//!
//! The verbs exist with the feature `aws` only (on by default).
#![cfg(feature = "aws")]

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// The prefix of every secret value `seed.py` writes.
const CANARY: &str = "canary-7Hq2-secret-value";
const ACCOUNT: &str = "123456789012";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The python of moto's venv, or `None` (after saying so) when the tests must be skipped.
fn moto_python() -> Option<PathBuf> {
    let python = std::env::var_os("ECSDEF_MOTO_PYTHON").map_or_else(
        || manifest_dir().join("../target/moto-venv/bin/python"),
        PathBuf::from,
    );
    if python.exists() {
        return Some(python);
    }
    let help = "install it with `export ECSDEF_MOTO_PYTHON=$(cargo-ecsdef/tests/moto/setup.sh)`";
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "moto is missing (`{}`), and CI=true: {help}",
        python.display()
    );
    eprintln!(
        "\n!!!!!!!!!!\nSKIPPED: the AWS verbs' tests need moto, which is missing (`{}`); {help}\n!!!!!!!!!!\n",
        python.display()
    );
    None
}

/// A running moto server.
struct Moto {
    python: PathBuf,
    endpoint: String,
    // Kept open: the server stops when it closes, with this process.
    _stdin: ChildStdin,
    _child: Child,
}

impl Moto {
    fn start(python: &Path, env: &[(&str, &str)]) -> Moto {
        let mut child = Command::new(python)
            .arg(manifest_dir().join("tests/moto/serve.py"))
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start moto");
        let stdout = child.stdout.take().expect("moto's stdout");
        let mut endpoint = String::new();
        BufReader::new(stdout)
            .read_line(&mut endpoint)
            .expect("read moto's endpoint");
        assert!(
            endpoint.starts_with("http://"),
            "moto did not start: {endpoint:?}"
        );
        Moto {
            python: python.to_owned(),
            endpoint: endpoint.trim().to_owned(),
            _stdin: child.stdin.take().expect("moto's stdin"),
            _child: child,
        }
    }

    /// Resets the account and seeds it with `breaks` broken; returns the id of the task's KMS
    /// key and of another.
    fn seed(&self, breaks: &[&str]) -> (String, String) {
        let mut lines = self.seed_lines(breaks).into_iter();
        (
            lines.next().expect("the key id"),
            lines.next().expect("the other key id"),
        )
    }

    /// What `seed.py` prints: the two key ids, then what a break adds.
    fn seed_lines(&self, breaks: &[&str]) -> Vec<String> {
        let reset = Command::new(&self.python)
            .args([
                "-c",
                "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/moto-api/reset', method='POST'))",
                &self.endpoint,
            ])
            .status()
            .expect("reset moto");
        assert!(reset.success());
        let output = Command::new(&self.python)
            .arg(manifest_dir().join("tests/moto/seed.py"))
            .arg(&self.endpoint)
            .args(breaks)
            .output()
            .expect("seed moto");
        assert!(
            output.status.success(),
            "seed.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).expect("utf-8");
        text.lines().map(str::to_owned).collect()
    }
}

/// The shared server, and the turn of the test holding the guard.
fn moto() -> Option<(MutexGuard<'static, ()>, &'static Moto)> {
    static MOTO: OnceLock<Option<Moto>> = OnceLock::new();
    static TURN: Mutex<()> = Mutex::new(());
    let moto = MOTO
        .get_or_init(|| moto_python().map(|python| Moto::start(&python, &[])))
        .as_ref()?;
    let guard = TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Some((guard, moto))
}

/// A copy of the fixture workspace in a fresh folder (`cargo metadata` writes its lock file).
fn workspace(name: &str) -> PathBuf {
    let work = std::env::temp_dir().join(format!("ecsdef-aws-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    copy_tree(&manifest_dir().join("tests/fixtures/aws"), &work);
    work
}

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

/// Every file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A run of `cargo-ecsdef`.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The `error[RULE]: MESSAGE` lines of the findings.
    fn findings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error[verify-"))
            .collect()
    }
}

fn run_in(dir: &Path, endpoint: &str, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-ecsdef"))
        .args(args)
        .current_dir(dir)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_DEFAULT_REGION")
        .output()
        .expect("run cargo-ecsdef");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

/// `cargo-ecsdef ARGS web --var VAR` in `dir`: the family `web` only (`jobs` stays
/// unregistered).
fn run_web(dir: &Path, endpoint: &str, var: &str, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(["web", "--var", var]);
    run_in(dir, endpoint, &all)
}

/// Seeds the account with `breaks`, runs `verb` with `args` on a fresh copy of the fixture,
/// the task's key passed as `APP_KEY_ID`; returns the run and the two key ids.
fn verb(name: &str, breaks: &[&str], args: &[&str]) -> Option<(Run, String, String)> {
    let (_turn, moto) = moto()?;
    let (key, other) = moto.seed(breaks);
    let dir = workspace(name);
    let var = format!("APP_KEY_ID={key}");
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--var", &var]);
    let run = run_in(&dir, &moto.endpoint, &all);
    let _ = fs::remove_dir_all(&dir);
    Some((run, key, other))
}

fn key_arn(id: &str) -> String {
    format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{id}")
}

/// Asserts a failing `verify`: exit 1 and exactly the findings `expected`, each the start of
/// one finding's line (a random secret suffix may follow).
fn assert_findings(run: &Run, expected: &[String]) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.findings();
    assert_eq!(findings.len(), expected.len(), "{}", run.stderr);
    for (found, expected) in findings.iter().zip(expected) {
        assert!(
            found.starts_with(expected.as_str()),
            "expected `{expected}`\n   found `{found}`"
        );
    }
    assert!(!run.stderr.contains(CANARY) && !run.stdout.contains(CANARY));
}

#[test]
fn verify_passes_on_a_complete_account() {
    let Some((run, ..)) = verb("pass", &[], &["verify", "--get-secrets"]) else {
        return;
    };
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings().is_empty(), "{}", run.stderr);
    // Names and partial ARNs resolve to one secret, whose complete ARN is shown.
    assert!(
        run.stderr.contains(&format!(
            "Resolved `ghcr-pull` to `arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ghcr-pull-"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Finished 2 task definitions verified against the account, 0 findings"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "Resolved `jobs-pull` to `arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:jobs-pull-"
        )),
        "{}",
        run.stderr
    );
    // The checks that passed show with `-v` only.
    assert!(!run.stderr.contains("Checked"), "{}", run.stderr);
    // Seeded again: a new key.
    let (verbose, key, _) = verb("pass-verbose", &[], &["verify", "-v", "web"]).expect("moto runs");
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(
        verbose.stderr.contains(&format!(
            "Checked KMS key `{}` exists and is enabled",
            key_arn(&key)
        )),
        "{}",
        verbose.stderr
    );
    assert!(
        !verbose.stderr.contains("Verifying jobs"),
        "{}",
        verbose.stderr
    );
}

#[test]
fn verify_finds_a_customer_managed_key_not_declared() {
    let Some((run, key, _)) = verb(
        "secret-kms-undeclared",
        &["secret-kms-undeclared"],
        &["verify"],
    ) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-secret-kms-key]: jobs: secret `arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:jobs-pull-"
        )],
    );
    let line = run.findings()[0];
    assert!(
        line.ends_with(&format!(
            "is encrypted with the customer-managed KMS key `{}`, which container `runner` does not declare: the exported policy grants no `kms:Decrypt` on it",
            key_arn(&key)
        )),
        "{line}"
    );
}

#[test]
fn verify_finds_a_missing_secret() {
    let Some((run, ..)) = verb("secret-missing", &["secret-missing"], &["verify"]) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-secret-missing]: web: container `app`: the secret `arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:web/db` (valueFrom) does not exist in account {ACCOUNT} region us-east-1"
        )],
    );
}

/// `ghcr-pull-SUFFIX`, where SUFFIX is the random suffix of `ghcr-pull`'s ARN, names both
/// `ghcr-pull` and a secret of that whole name: verify says so rather than pick one.
#[test]
fn verify_finds_a_name_that_names_two_secrets() {
    let Some((_turn, moto)) = moto() else {
        return;
    };
    let lines = moto.seed_lines(&["secret-ambiguous"]);
    let (key, ambiguous) = (&lines[0], &lines[2]);
    let dir = workspace("secret-ambiguous");
    let lib = dir.join("web/src/lib.rs");
    let source = fs::read_to_string(&lib).expect("read the fixture");
    let source = source.replace(
        "credentials = \"ghcr-pull\"",
        &format!("credentials = \"{ambiguous}\""),
    );
    fs::write(&lib, source).expect("write the fixture");
    let var = format!("APP_KEY_ID={key}");
    let run = run_in(&dir, &moto.endpoint, &["verify", "web", "--var", &var]);
    let _ = fs::remove_dir_all(&dir);
    assert_findings(
        &run,
        &[format!(
            "error[verify-secret-ambiguous]: web: container `agent`: `{ambiguous}` names 2 secrets (`arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ghcr-pull"
        )],
    );
}

#[test]
fn verify_finds_a_missing_parameter() {
    let Some((run, ..)) = verb("parameter-missing", &["parameter-missing"], &["verify"]) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-secret-missing]: web: container `app`: the SSM parameter `/web/api-token` (valueFrom) does not exist in account {ACCOUNT} region us-east-1"
        )],
    );
}

#[test]
fn verify_finds_a_secret_encrypted_with_another_key() {
    let Some((run, key, other)) = verb("secret-kms-key", &["secret-kms-key"], &["verify"]) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-secret-kms-key]: web: secret `arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ghcr-pull-"
        )],
    );
    let line = run.findings()[0];
    assert!(
        line.ends_with(&format!(
            "is encrypted with KMS key `{}`, but container `agent` declares `kms_key = \"{}\"`: the exported policy grants `kms:Decrypt` on the wrong key",
            key_arn(&other),
            key_arn(&key)
        )),
        "{line}"
    );
}

#[test]
fn verify_finds_a_disabled_key() {
    let Some((run, key, _)) = verb("kms-key-disabled", &["kms-key-disabled"], &["verify"]) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-kms-key-disabled]: web: the declared `kms_key` `{}` is `Disabled`: ECS cannot decrypt the secrets it encrypts",
            key_arn(&key)
        )],
    );
}

#[test]
fn verify_finds_a_missing_key() {
    let Some((_turn, moto)) = moto() else { return };
    moto.seed(&[]);
    let dir = workspace("kms-key-missing");
    let missing = "0000aaaa-00aa-00aa-00aa-000000aaaaaa";
    let var = format!("APP_KEY_ID={missing}");
    let run = run_in(&dir, &moto.endpoint, &["verify", "--var", &var]);
    let _ = fs::remove_dir_all(&dir);
    // The secrets are encrypted with a key the task does not declare, which it cannot have.
    let wrong = format!(
        "but container `app` declares `kms_key = \"{}\"`",
        key_arn(missing)
    );
    let findings = run.findings();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        findings.contains(&format!(
            "error[verify-kms-key-missing]: web: the declared `kms_key` `{}` does not exist in region us-east-1",
            key_arn(missing)
        ).as_str()),
        "{}",
        run.stderr
    );
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with("error[verify-secret-kms-key]") && f.contains(&wrong)),
        "{}",
        run.stderr
    );
}

#[test]
fn verify_finds_a_missing_role() {
    let Some((run, ..)) = verb("role-missing", &["role-missing"], &["verify"]) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-role-missing]: web: the task role `arn:aws:iam::{ACCOUNT}:role/web-task` does not exist"
        )],
    );
}

#[test]
fn verify_finds_a_role_ecs_cannot_assume() {
    let Some((run, ..)) = verb("role-trust", &["role-trust"], &["verify"]) else {
        return;
    };
    // The jobs task shares the execution role.
    assert_findings(
        &run,
        &[
            format!(
                "error[verify-role-trust]: jobs: the trust policy of the execution role `arn:aws:iam::{ACCOUNT}:role/web-execution` does not let `ecs-tasks.amazonaws.com` assume it (`sts:AssumeRole`): ECS cannot use the role"
            ),
            format!(
                "error[verify-role-trust]: web: the trust policy of the execution role `arn:aws:iam::{ACCOUNT}:role/web-execution` does not let `ecs-tasks.amazonaws.com` assume it (`sts:AssumeRole`): ECS cannot use the role"
            ),
            format!(
                "error[verify-role-trust]: web: the trust policy of the task role `arn:aws:iam::{ACCOUNT}:role/web-task` does not let `ecs-tasks.amazonaws.com` assume it (`sts:AssumeRole`): ECS cannot use the role"
            ),
        ],
    );
}

#[test]
fn verify_finds_a_grant_the_execution_role_lacks() {
    let Some((run, key, _)) = verb("role-policy", &["role-policy"], &["verify"]) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-role-policy]: web: the policies of the execution role `web-execution` do not allow `kms:Decrypt` on `{}`",
            key_arn(&key)
        )],
    );
}

#[test]
fn verify_finds_a_missing_repository() {
    let Some((run, ..)) = verb("repository-missing", &["repository-missing"], &["verify"]) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-image-missing]: web: the ECR repository `web` of image `{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/web:1.0` does not exist in account {ACCOUNT} region us-east-1"
        )],
    );
}

#[test]
fn verify_finds_an_image_never_pushed() {
    let Some((run, ..)) = verb("image-missing", &["image-missing"], &["verify"]) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-image-missing]: web: image `{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/web:1.0` was never pushed: repository `web` has no such tag"
        )],
    );
}

#[test]
fn verify_finds_a_missing_log_group() {
    let Some((run, ..)) = verb("log-group-missing", &["log-group-missing"], &["verify"]) else {
        return;
    };
    assert_findings(&run, &["error[verify-log-group-missing]: web: the `awslogs` log group `/ecs/web` does not exist in region us-east-1, and the task does not let ECS create it".to_owned()]);
}

#[test]
fn verify_get_secrets_finds_credentials_without_a_password() {
    let Some((run, ..)) = verb(
        "credentials-json",
        &["credentials-json"],
        &["verify", "--get-secrets"],
    ) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-credentials-json]: web: the credentials secret `arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ghcr-pull-"
        )],
    );
    assert!(run.findings()[0].ends_with(
        "of container `agent` has no string `password`: ECS needs `{\"username\": \"...\", \"password\": \"...\"}`"
    ));
}

#[test]
fn verify_get_secrets_finds_a_missing_json_key() {
    let Some((run, ..)) = verb(
        "secret-json-key",
        &["secret-json-key"],
        &["verify", "--get-secrets"],
    ) else {
        return;
    };
    assert_findings(
        &run,
        &[format!(
            "error[verify-secret-json-key]: web: container `app`: `arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:web/db:password::` selects the json key `password`, which secret `arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:web/db-"
        )],
    );
}

/// Without `--get-secrets`, no value is read: the broken shapes go unnoticed.
#[test]
fn verify_reads_no_secret_value_without_get_secrets() {
    let Some((run, ..)) = verb(
        "no-get-secrets",
        &["credentials-json", "secret-json-key"],
        &["verify"],
    ) else {
        return;
    };
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn diff_register_diff_and_register_again() {
    let Some((_turn, moto)) = moto() else { return };
    let (key, _) = moto.seed(&[]);
    let dir = workspace("register");
    let var = format!("APP_KEY_ID={key}");
    let run = |args: &[&str]| run_web(&dir, &moto.endpoint, &var, args);

    // Not registered yet: drift, the whole definition added.
    let diff = run(&["diff"]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(
        diff.stderr.contains("Drift web: not registered yet"),
        "{}",
        diff.stderr
    );
    assert!(
        diff.stdout
            .starts_with("--- (not registered)\n+++ export web\n"),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stdout.contains("+  \"family\": \"web\",\n"),
        "{}",
        diff.stdout
    );

    // A dry run changes nothing.
    let dry = run(&["register", "--dry-run", "--policy"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stderr
            .contains("Dry run would register a new revision of web"),
        "{}",
        dry.stderr
    );
    assert!(
        dry.stderr
            .contains("Dry run would put policy `ecsdef-execution` on role `web-execution`"),
        "{}",
        dry.stderr
    );
    assert_eq!(dry.stdout, "");
    assert_eq!(run(&["diff"]).code, 1);

    let first = run(&["register", "--policy"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(
        first.stdout,
        format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/web:1\n")
    );
    assert!(
        first
            .stderr
            .contains("Put policy `ecsdef-execution` on role `web-execution`"),
        "{}",
        first.stderr
    );

    // What ECS filled in is no drift.
    let after = run(&["diff"]);
    assert_eq!(after.code, 0, "{}\n{}", after.stderr, after.stdout);
    assert!(
        after.stderr.contains("Fresh web (web:1)"),
        "{}",
        after.stderr
    );
    assert_eq!(after.stdout, "");

    // One JSON line per family with `--message-format json`.
    let json = run(&["diff", "--message-format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_eq!(
        json.stdout,
        "{\"diff\":\"\",\"family\":\"web\",\"reason\":\"task-definition-diff\",\"registered\":\"web:1\",\"state\":\"same\"}\n"
    );

    // Twice registers once.
    let second = run(&["register", "--policy"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(second.stdout, "");
    assert!(
        second
            .stderr
            .contains("Fresh web (web:1), nothing to register"),
        "{}",
        second.stderr
    );
    assert!(
        second
            .stderr
            .contains("Fresh policy `ecsdef-execution` of role `web-execution`"),
        "{}",
        second.stderr
    );

    // A change in the code is drift again, shown line by line, and a new revision.
    let lib = dir.join("web/src/lib.rs");
    let source = fs::read_to_string(&lib).expect("read the fixture");
    fs::write(&lib, source.replace("memory = 512,", "memory = 1024,")).expect("write");
    let changed = run(&["diff"]);
    assert_eq!(changed.code, 1, "{}", changed.stderr);
    assert!(
        changed
            .stdout
            .contains("--- registered web:1\n+++ export web\n"),
        "{}",
        changed.stdout
    );
    assert!(
        changed
            .stdout
            .contains("\n-  \"memory\": \"512\",\n+  \"memory\": \"1024\",\n"),
        "{}",
        changed.stdout
    );
    let styled = run(&["diff", "--color", "always"]);
    assert!(
        styled
            .stdout
            .contains("\u{1b}[31m-  \"memory\": \"512\",\u{1b}[0m"),
        "{:?}",
        styled.stdout
    );
    let third = run(&["register"]);
    assert_eq!(
        third.stdout,
        format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/web:2\n"),
        "{}",
        third.stderr
    );
    assert_eq!(run(&["diff"]).code, 0);
    let _ = fs::remove_dir_all(&dir);
}

/// A revision registered with a secret in plain text (before the move to `secrets` that the
/// code made) is drift, and `diff` shows the change without the value, in every format.
#[test]
fn diff_never_shows_a_value_that_may_be_a_secret() {
    let Some((_turn, moto)) = moto() else { return };
    let (key, _) = moto.seed(&[]);
    let dir = workspace("diff-secret");
    let var = format!("APP_KEY_ID={key}");
    let run = |args: &[&str]| run_web(&dir, &moto.endpoint, &var, args);
    assert_eq!(run(&["register"]).code, 0);
    // What someone registered by hand: the latest revision, with a password in plain text.
    let script = r#"
import sys, boto3
ecs = boto3.client("ecs", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
d = ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]
d["containerDefinitions"][0].setdefault("environment", []).append(
    {"name": "DB_PASSWORD", "value": sys.argv[2]})
keep = ["family", "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions",
        "volumes", "requiresCompatibilities", "cpu", "memory", "runtimePlatform"]
ecs.register_task_definition(**{k: d[k] for k in keep if k in d})
"#;
    let registered = Command::new(&moto.python)
        .args(["-c", script, &moto.endpoint, CANARY])
        .output()
        .expect("run python");
    assert!(
        registered.status.success(),
        "{}",
        String::from_utf8_lossy(&registered.stderr)
    );
    for extra in [
        &[][..],
        &["--message-format", "json"],
        &["--color", "always"],
    ] {
        let mut args = vec!["diff"];
        args.extend(extra);
        let diff = run(&args);
        assert_eq!(diff.code, 1, "{}", diff.stderr);
        assert!(
            diff.stdout.contains("<hidden: the registered value>"),
            "{}",
            diff.stdout
        );
        assert!(
            !diff.stdout.contains(CANARY) && !diff.stderr.contains(CANARY),
            "{}\n{}",
            diff.stdout,
            diff.stderr
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn diff_of_one_family_and_an_unknown_one() {
    let Some((run, ..)) = verb("unknown", &[], &["diff", "webb"]) else {
        return;
    };
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: no task definition of the selected packages has family `webb`; did you mean `web`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_secret_value_reaches_the_output_or_a_file() {
    let Some((_turn, moto)) = moto() else { return };
    for breaks in [&[][..], &["credentials-json", "secret-json-key"]] {
        let (key, _) = moto.seed(breaks);
        let var = format!("APP_KEY_ID={key}");
        for extra in [
            &["-vv"][..],
            &["--message-format", "json"],
            &["-v", "--message-format", "json"],
        ] {
            let dir = workspace("canary");
            let before = {
                let mut all = Vec::new();
                files(&dir, &mut all);
                all.len()
            };
            let mut args = vec!["verify", "--get-secrets", "--var", &var];
            args.extend(extra);
            let run = run_in(&dir, &moto.endpoint, &args);
            assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
            assert!(!run.stdout.contains(CANARY), "{}", run.stdout);
            assert!(!run.stderr.contains(CANARY), "{}", run.stderr);
            let mut after = Vec::new();
            files(&dir, &mut after);
            // Only the lock file `cargo metadata` writes is new.
            assert!(after.len() <= before + 1, "{after:?}");
            for file in after {
                let bytes = fs::read(&file).expect("read a file");
                assert!(
                    !String::from_utf8_lossy(&bytes).contains(CANARY),
                    "{}",
                    file.display()
                );
            }
            if extra.contains(&"json") && !breaks.is_empty() {
                assert!(
                    run.stdout.contains("\"rule\":\"verify-credentials-json\""),
                    "{}",
                    run.stdout
                );
            }
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

#[test]
fn no_credentials_is_said_plainly() {
    let Some((_turn, moto)) = moto() else { return };
    let dir = workspace("no-credentials");
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-ecsdef"))
        .args([
            "verify",
            "--var",
            "APP_KEY_ID=0000aaaa-00aa-00aa-00aa-000000aaaaaa",
        ])
        .current_dir(&dir)
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
        .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .output()
        .expect("run");
    let _ = fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: no AWS credentials: "), "{stderr}");
    assert!(
        stderr.contains("help: set `AWS_PROFILE` or pass `--profile`"),
        "{stderr}"
    );
}

#[test]
fn no_network_is_said_plainly() {
    let Some((_turn, moto)) = moto() else { return };
    let (key, _) = moto.seed(&[]);
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = workspace("no-network");
    let var = format!("APP_KEY_ID={key}");
    let run = run_in(
        &dir,
        &format!("http://127.0.0.1:{port}"),
        &["diff", "--var", &var],
    );
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: cannot reach AWS for `sts:GetCallerIdentity`: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: check the network, or `AWS_ENDPOINT_URL` if it is set"),
        "{}",
        run.stderr
    );
}

/// moto enforces IAM when told to (`INITIAL_NO_AUTH_ACTION_COUNT`): a user allowed only
/// `sts:GetCallerIdentity` is denied the first check.
#[test]
fn access_denied_is_said_plainly() {
    let Some(python) = moto_python() else { return };
    // Its own server: the shared one does not enforce IAM. The first three calls (the user,
    // its key, its policy) are let through.
    let moto = Moto::start(&python, &[("INITIAL_NO_AUTH_ACTION_COUNT", "3")]);
    let script = r#"
import json, sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
iam.create_user(UserName="ci")
key = iam.create_access_key(UserName="ci")["AccessKey"]
iam.put_user_policy(UserName="ci", PolicyName="who", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}]}))
print(key["AccessKeyId"]); print(key["SecretAccessKey"])
"#;
    let output = Command::new(&python)
        .args(["-c", script, &moto.endpoint])
        .output()
        .expect("seed the user");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let mut lines = text.lines();
    let (id, secret) = (lines.next().expect("id"), lines.next().expect("secret"));
    let dir = workspace("access-denied");
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-ecsdef"))
        .args([
            "verify",
            "--var",
            "APP_KEY_ID=0000aaaa-00aa-00aa-00aa-000000aaaaaa",
        ])
        .current_dir(&dir)
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_ACCESS_KEY_ID", id)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("run");
    let _ = fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: access denied to `secretsmanager:DescribeSecret`: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: grant the credentials in use `secretsmanager:DescribeSecret`"),
        "{stderr}"
    );
}
