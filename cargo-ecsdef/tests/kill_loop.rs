//! Exports killed at random instants, each followed by an export that must complete and a
//! `--check` that must pass (issue 14, item 4; the invariants are in `export::outdir`).
//!
//! Ignored by default, as it takes a minute or so; `.ci/run` runs it:
//!
//! ```console
//! cargo test -p cargo-ecsdef --test kill_loop -- --ignored --nocapture
//! ```
//!
//! `ECSDEF_KILLS` sets the number of kills (default 60), `ECSDEF_KILL_SEED` the seed of the
//! random instants (printed by each run, to reproduce one).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Packages of the generated workspace, task definitions and containers in each.
const PACKAGES: usize = 3;
const TASKS: usize = 100;
const CONTAINERS: usize = 10;

/// xorshift64*: enough randomness for kill instants, without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The tasks of package `p`, their families ending in `suffix`: changing it renames every
/// family of the package, so an export removes 100 families' files and writes 100 new ones.
fn tasks_rs(p: usize, suffix: &str) -> String {
    let mut text = String::from("use ecsdef::TaskDefinition;\nuse crate::containers::*;\n");
    for t in 0..TASKS {
        let c = t % CONTAINERS;
        let _ = write!(
            text,
            "\n#[derive(TaskDefinition)]\n#[ecs(family = \"p{p}-t{t}{suffix}\", fargate, cpu = 256, \
             memory = 512, region = \"us-east-1\", \
             execution_role = \"arn:aws:iam::123456789012:role/p{p}-execution\")]\n\
             pub struct Task{t} {{\n    app: App{c},\n}}\n"
        );
    }
    text
}

fn containers_rs(p: usize) -> String {
    let mut text = String::from("use ecsdef::Container;\n");
    for c in 0..CONTAINERS {
        let _ = write!(
            text,
            "\n#[derive(Container)]\n#[ecs(image = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/p{p}/app-{c}:${{TAG}}\", \
             port = 8080, log(driver = \"awslogs\", group = \"/ecs/p{p}\", region = \"us-east-1\", \
             stream_prefix = \"app-{c}\"))]\n\
             pub struct App{c} {{\n    #[ecs(env = 8080)]\n    pub port: u16,\n    \
             #[ecs(secret = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:p{p}/db-AbCdEf\")]\n    \
             pub database_url: String,\n}}\n"
        );
    }
    text
}

fn generate(root: &Path) {
    let _ = fs::remove_dir_all(root);
    let members: Vec<String> = (0..PACKAGES).map(|p| format!("\"p{p}\"")).collect();
    fs::create_dir_all(root).expect("workspace folder");
    fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("workspace manifest");
    for p in 0..PACKAGES {
        let src = root.join(format!("p{p}/src"));
        fs::create_dir_all(&src).expect("package folder");
        fs::write(
            root.join(format!("p{p}/Cargo.toml")),
            format!("[package]\nname = \"p{p}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        )
        .expect("package manifest");
        fs::write(src.join("lib.rs"), "mod containers;\nmod tasks;\n").expect("lib.rs");
        fs::write(src.join("containers.rs"), containers_rs(p)).expect("containers.rs");
        fs::write(src.join("tasks.rs"), tasks_rs(p, "")).expect("tasks.rs");
    }
}

/// One export's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Variant {
    tag: u64,
    cloudformation: bool,
    /// The family suffix of the last package.
    suffix: &'static str,
}

impl Variant {
    fn args(&self, out: &Path, check: bool) -> Vec<String> {
        let mut args = vec![
            "ecsdef".to_owned(),
            "export".to_owned(),
            "--workspace".to_owned(),
            "-q".to_owned(),
            "--out-dir".to_owned(),
            out.display().to_string(),
            "--var".to_owned(),
            format!("TAG={}", self.tag),
        ];
        if self.cloudformation {
            args.extend(["--format", "json", "--format", "cloudformation"].map(str::to_owned));
        }
        if check {
            args.push("--check".to_owned());
        }
        args
    }

    fn apply(&self, root: &Path) {
        let p = PACKAGES - 1;
        let path = root.join(format!("p{p}/src/tasks.rs"));
        let text = tasks_rs(p, self.suffix);
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            fs::write(path, text).expect("tasks.rs");
        }
    }
}

fn export(root: &Path, args: &[String]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-ecsdef"))
        .args(args)
        .current_dir(root)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("run cargo-ecsdef")
}

fn must_succeed(root: &Path, args: &[String], what: &str) {
    let output = export(root, args);
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The out dir's entries: name to bytes.
fn snapshot(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut entries: Vec<(String, Vec<u8>)> = fs::read_dir(out)
        .map(|entries| {
            entries
                .map(|e| {
                    let e = e.expect("an entry");
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, fs::read(e.path()).expect("a file ecsdef wrote"))
                })
                .collect()
        })
        .unwrap_or_default();
    entries.sort();
    entries
}

/// What must hold in the out dir whenever the export is killed: every output file is whole
/// JSON and listed in the manifest, which is whole too.
fn assert_consistent(out: &Path, entries: &[(String, Vec<u8>)], context: &str) {
    let manifest = entries
        .iter()
        .find(|(name, _)| name == ".ecsdef-manifest")
        .map(|(_, bytes)| String::from_utf8(bytes.clone()).expect("a UTF-8 manifest"));
    let listed: BTreeSet<&str> = manifest.as_deref().map_or_else(BTreeSet::new, |m| {
        assert!(m.ends_with('\n'), "{context}: a partial manifest:\n{m}");
        m.lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                l.split_once('\t')
                    .unwrap_or_else(|| panic!("{context}: a partial manifest line `{l}`"))
                    .1
            })
            .collect()
    });
    for (name, bytes) in entries {
        if name.starts_with('.') {
            continue;
        }
        assert!(
            serde_json::from_slice::<serde_json::Value>(bytes).is_ok(),
            "{context}: `{}` is not whole JSON ({} bytes)",
            out.join(name).display(),
            bytes.len()
        );
        assert!(
            listed.contains(name.as_str()),
            "{context}: `{name}` is in the out dir but not in the manifest"
        );
    }
}

/// Starts an export of `variant` into `out` and kills it (SIGKILL: nothing of it runs after)
/// at a random instant of a run lasting up to 1.2 times `full`; returns that instant.
fn kill_an_export(
    root: &Path,
    variant: &Variant,
    out: &Path,
    full: Duration,
    rng: &mut Rng,
) -> Duration {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "an export takes far less than 2^64 ns"
    )]
    let delay = Duration::from_nanos(rng.below(full.as_nanos() as u64 * 6 / 5 + 1));
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-ecsdef"))
        .args(variant.args(out, false))
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start an export");
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
    delay
}

/// An export into an out dir that does not exist, killed at a random instant: the out dir is then
/// either absent or whole (every file the manifest lists is there), the next export completes
/// it, and nothing is left beside it. Returns whether the out dir was there after the kill,
/// and whether the killed export had left its folder beside it.
fn kill_export_into_a_new_folder(
    root: &Path,
    variant: &Variant,
    kill: usize,
    full: Duration,
    rng: &mut Rng,
) -> (bool, bool) {
    let out = root.join(format!("new-{kill}"));
    let delay = kill_an_export(root, variant, &out, full, rng);

    let context = format!("kill {kill} after {delay:?} of an export into a new folder");
    let appeared = out.exists();
    let after = snapshot(&out);
    assert_consistent(&out, &after, &context);
    if appeared {
        let manifest = fs::read_to_string(out.join(".ecsdef-manifest"))
            .unwrap_or_else(|_| panic!("{context}: an out dir without its manifest"));
        for line in manifest.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split_once('\t').map_or(line, |(_, name)| name);
            assert!(out.join(name).is_file(), "{context}: `{name}` missing");
        }
    }
    let beside = || -> Vec<String> {
        fs::read_dir(root)
            .expect("the workspace")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.starts_with(&format!(".new-{kill}.")))
            .collect()
    };
    let left = !beside().is_empty();
    must_succeed(
        root,
        &variant.args(&out, false),
        &format!("{context}: the export"),
    );
    must_succeed(
        root,
        &variant.args(&out, true),
        &format!("{context}: the check"),
    );
    let still = beside();
    assert!(still.is_empty(), "{context}: left beside it: {still:?}");
    let _ = fs::remove_dir_all(&out);
    (appeared, left)
}

#[test]
#[ignore = "takes a while: run by .ci/run (see the module's documentation)"]
fn exports_killed_at_random_instants_are_completed_by_the_next() {
    let kills: usize = std::env::var("ECSDEF_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let seed = std::env::var("ECSDEF_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| u64::from(d.subsec_nanos()) ^ d.as_secs())
                | 1
        });
    println!("kill loop: {kills} kills, ECSDEF_KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let root: PathBuf =
        std::env::temp_dir().join(format!("ecsdef-kill-loop-{}", std::process::id()));
    generate(&root);
    let out = root.join("deploy");

    // A first export, timed: kills land anywhere in a run of about that length.
    let mut variant = Variant {
        tag: 0,
        cloudformation: false,
        suffix: "",
    };
    let timer = Instant::now();
    must_succeed(&root, &variant.args(&out, false), "the first export");
    let mut full = timer.elapsed();
    must_succeed(&root, &variant.args(&out, true), "the first check");
    println!(
        "one export of {} task definitions: {full:?}",
        PACKAGES * TASKS
    );

    let mut changed_by_kill = 0;
    let (mut new_dirs_whole, mut new_dirs_left) = (0, 0);
    for kill in 0..kills {
        if kill % 4 == 3 {
            let (appeared, left) =
                kill_export_into_a_new_folder(&root, &variant, kill, full, &mut rng);
            new_dirs_whole += usize::from(appeared);
            new_dirs_left += usize::from(left);
            continue;
        }
        let before = snapshot(&out);
        variant = Variant {
            tag: rng.below(1_000_000),
            cloudformation: rng.below(2) == 0,
            suffix: ["", "-b"][usize::from(rng.below(2) == 0)],
        };
        variant.apply(&root);
        let delay = kill_an_export(&root, &variant, &out, full, &mut rng);

        let context = format!("kill {kill} after {delay:?} ({variant:?})");
        let after = snapshot(&out);
        assert_consistent(&out, &after, &context);
        let timer = Instant::now();
        must_succeed(
            &root,
            &variant.args(&out, false),
            &format!("{context}: the export"),
        );
        // Kills spread over the longest export seen, the ones that rename families included.
        full = full.max(timer.elapsed());
        must_succeed(
            &root,
            &variant.args(&out, true),
            &format!("{context}: the check"),
        );
        let completed = snapshot(&out);
        assert_consistent(&out, &completed, &context);
        let leftovers: Vec<&String> = completed
            .iter()
            .map(|(name, _)| name)
            .filter(|name| name.starts_with('.') && name.as_str() != ".ecsdef-manifest")
            .collect();
        assert!(leftovers.is_empty(), "{context}: leftovers {leftovers:?}");
        if after != before && after != completed {
            changed_by_kill += 1;
        }
    }
    println!(
        "{kills} kills, {changed_by_kill} of them in the middle of writing; of the exports into \
         a new folder, {new_dirs_whole} killed after it appeared, {new_dirs_left} while writing \
         beside it; in {:?}",
        started.elapsed()
    );
    // The instants are random; most runs land a good share of kills while files are written.
    assert!(
        kills < 20 || changed_by_kill > 0,
        "no kill landed while the files were written"
    );
    let _ = fs::remove_dir_all(&root);
}
