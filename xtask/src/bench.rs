//! Benchmarks of the derives, as ratios against serde measured in the same run (the machines
//! are shared and noisy: absolute times mean little, ratios of interleaved runs mean more).
//!
//! - `check`: `cargo check` of a crate with 300 derives (200 `Container`, 100
//!   `TaskDefinition`), against the same structs deriving `serde::Serialize`, dependencies
//!   already built: what a developer waits for after an edit. Each sample is the mean of five
//!   edits and checks in a row, so that the CPU time's hundredths are 1% of it.
//! - `clean`: a clean `cargo build` of a crate depending on `ecsdef` (with its derives), against
//!   one depending on `serde` + `serde_derive` + `serde_json`. The benchmark's `ecsdef` is a
//!   path dependency, which cargo compiles incrementally, where a user's `ecsdef` comes from a
//!   registry and is not: both sides build with `CARGO_INCREMENTAL=0` (serde's crates build
//!   the same either way), and a second row gives the same build with cargo's default.
//!
//! Each side's median wall time and median CPU time (user + sys, from `/usr/bin/time`) are
//! reported with their ratios. With `--instructions`, each clean build runs once more with
//! every `rustc` under `valgrind --tool=callgrind` (cargo runs xtask as its `RUSTC_WRAPPER`):
//! instruction counts, which the machine's load does not move.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const CONTAINERS: usize = 200;
const TASKS: usize = 100;
/// Edits and checks per `check` sample (see [`cargo_checks`]).
const CHECKS_PER_SAMPLE: u32 = 5;

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn manifest(name: &str, deps: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{deps}\n[workspace]\n"
    )
}

/// The 300 structs, with or without ecsdef's attributes.
fn structs(ecsdef: bool) -> String {
    let mut out = String::new();
    if ecsdef {
        out.push_str("#![allow(dead_code)]\nuse ecsdef::{Container, TaskDefinition};\n\n");
    } else {
        out.push_str("#![allow(dead_code)]\nuse serde::Serialize;\n\n");
    }
    for i in 0..CONTAINERS {
        if ecsdef {
            let _ = writeln!(
                out,
                "#[derive(Container)]\n#[ecs(image = \"ghcr.io/acme/service-{i}:1.{i}.0\", credentials = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:pull-{i}-AbCdEf\", port = 8080, memory = 256, log(driver = \"awslogs\", group = \"/ecs/s{i}\", region = \"us-east-1\", stream_prefix = \"s{i}\"))]"
            );
            let _ = writeln!(
                out,
                "pub struct Service{i} {{\n    #[ecs(env = 8080)]\n    pub port: u16,\n    #[ecs(env = \"info\")]\n    pub rust_log: String,\n    #[ecs(secret = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-{i}-AbCdEf:password::\")]\n    pub database_password: String,\n    #[ecs(secret = \"/s{i}/api-key\")]\n    pub api_key: String,\n    pub flags: Option<String>,\n}}\n"
            );
        } else {
            let _ = writeln!(
                out,
                "#[derive(Serialize)]\npub struct Service{i} {{\n    pub port: u16,\n    pub rust_log: String,\n    pub database_password: String,\n    pub api_key: String,\n    pub flags: Option<String>,\n}}\n"
            );
        }
    }
    for t in 0..TASKS {
        let (a, b) = (2 * t, 2 * t + 1);
        if ecsdef {
            let _ = writeln!(
                out,
                "#[derive(TaskDefinition)]\n#[ecs(family = \"task-{t}\", fargate, cpu = 512, memory = 1024, region = \"us-east-1\", execution_role = \"arn:aws:iam::123456789012:role/task-{t}\")]\npub struct Task{t} {{\n    pub app: Service{a},\n    #[ecs(essential = false)]\n    pub sidecar: Service{b},\n}}\n"
            );
        } else {
            let _ = writeln!(
                out,
                "#[derive(Serialize)]\npub struct Task{t} {{\n    pub app: Service{a},\n    pub sidecar: Service{b},\n}}\n"
            );
        }
    }
    out
}

/// One timed `cargo` run: wall time from here, CPU time (user + sys of cargo and the rustc
/// processes it waited for) from `/usr/bin/time`. On a shared machine the wall time depends
/// on what else runs; the CPU time much less.
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<Sample, String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(args).arg("--quiet");
    timed(&command, dir, target, 1)
}

/// A clean `cargo build` in a target dir that does not exist, incremental or not.
fn clean_build(dir: &Path, target: &Path, incremental: bool) -> Result<Sample, String> {
    let _ = std::fs::remove_dir_all(target);
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args(["build", "--quiet"])
        .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" });
    let sample = timed(&command, dir, target, 1);
    let _ = std::fs::remove_dir_all(target);
    sample
}

/// `times` edits of `src/lib.rs`, each followed by `cargo check`, in one timed shell: the
/// sample is their mean. `/usr/bin/time` gives CPU time in hundredths of a second, 5% of a
/// 0.2 s check; over five checks the step is 1%.
fn cargo_checks(dir: &Path, target: &Path, times: u32) -> Result<Sample, String> {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(r#"for _ in $(seq "$1"); do touch src/lib.rs && "$0" check --quiet || exit 1; done"#)
        .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .arg(times.to_string());
    timed(&command, dir, target, times)
}

/// Runs `command` in `dir` under `/usr/bin/time`; the sample is divided by `times`, the
/// number of builds the command runs.
fn timed(command: &Command, dir: &Path, target: &Path, times: u32) -> Result<Sample, String> {
    let report = std::env::temp_dir().join(format!("ecsdef-bench-derives-{}", std::process::id()));
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%U %S")
        .arg("-o")
        .arg(&report)
        .arg(command.get_program())
        .args(command.get_args())
        .current_dir(dir)
        .envs(
            command
                .get_envs()
                .filter_map(|(key, value)| Some((key, value?))),
        )
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time: {e}"))?;
    let wall = start.elapsed();
    let shown = || {
        let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy()).collect();
        format!(
            "{} {}",
            command.get_program().to_string_lossy(),
            args.join(" ")
        )
    };
    if !out.status.success() {
        return Err(format!(
            "`{}` failed in {}:\n{}",
            shown(),
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text =
        std::fs::read_to_string(&report).map_err(|e| format!("{}: {e}", report.display()))?;
    let _ = std::fs::remove_file(&report);
    let fields: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [user, sys] = fields[..] else {
        return Err(format!("unexpected /usr/bin/time output: {text:?}"));
    };
    Ok(Sample {
        wall: wall / times,
        cpu: Duration::from_secs_f64(user + sys) / times,
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

/// One row of the table: the medians of the wall and CPU times of each side, and their ratios.
fn row(measure: &str, ecsdef: &[Sample], baseline: &[Sample], baseline_name: &str) {
    let wall = |v: &[Sample]| median(v.iter().map(|s| s.wall).collect());
    let cpu = |v: &[Sample]| median(v.iter().map(|s| s.cpu).collect());
    let (ew, bw, ec, bc) = (wall(ecsdef), wall(baseline), cpu(ecsdef), cpu(baseline));
    println!(
        "| {measure} | {} | {} ({baseline_name}) | {:.2} | {} | {} | {:.2} |",
        secs(ew),
        secs(bw),
        ew.as_secs_f64() / bw.as_secs_f64(),
        secs(ec),
        secs(bc),
        ec.as_secs_f64() / bc.as_secs_f64()
    );
}

/// The environment variable that makes xtask a `RUSTC_WRAPPER` ([`rustc_under_callgrind`]):
/// the file each rustc's instruction count is added to, one line each.
pub const INSTRUCTIONS_FILE: &str = "ECSDEF_BENCH_INSTRUCTIONS_FILE";

/// As cargo's `RUSTC_WRAPPER` (`args`: the rustc to run and its arguments): runs it under
/// `valgrind --tool=callgrind`, its messages in a log file so that cargo reads rustc's output
/// alone, and appends the instructions it counted to `counts`. Exits as rustc did.
pub fn rustc_under_callgrind(args: &[String], counts: &OsStr) -> ExitCode {
    let Some((rustc, rest)) = args.split_first() else {
        eprintln!("error: {INSTRUCTIONS_FILE} is set, and no rustc to run was given");
        return ExitCode::from(2);
    };
    let log = std::env::temp_dir().join(format!("ecsdef-bench-rustc-{}.log", std::process::id()));
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--callgrind-out-file=/dev/null")
        .arg(format!("--log-file={}", log.display()))
        .arg(rustc)
        .args(rest)
        .status();
    let collected = std::fs::read_to_string(&log).ok().and_then(|text| {
        text.lines().find_map(|line| {
            line.split_once("Collected : ")
                .map(|(_, n)| n.trim().to_owned())
        })
    });
    let _ = std::fs::remove_file(&log);
    let recorded = collected.is_some_and(|n| {
        // One short append a rustc: lines from rustcs running side by side do not mix.
        std::fs::OpenOptions::new()
            .append(true)
            .open(counts)
            .and_then(|mut file| file.write_all(format!("{n}\n").as_bytes()))
            .is_ok()
    });
    match status {
        Ok(status) if status.success() && recorded => ExitCode::SUCCESS,
        Ok(status) if status.success() => {
            eprintln!("error: valgrind counted no instructions for {rustc}");
            ExitCode::from(2)
        }
        Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => {
            eprintln!("error: cannot run valgrind: {e}");
            ExitCode::from(2)
        }
    }
}

/// The instructions of every rustc of a clean build of `dir` in a target dir that does not
/// exist (not incremental; the real rustc, not rustup's proxy, so that its work is counted).
fn clean_build_instructions(dir: &Path, target: &Path) -> Result<u64, String> {
    let _ = std::fs::remove_dir_all(target);
    std::fs::create_dir_all(target).map_err(|e| format!("{}: {e}", target.display()))?;
    let counts = target.join("instructions");
    std::fs::write(&counts, "").map_err(|e| format!("{}: {e}", counts.display()))?;
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    let rustc = Path::new(String::from_utf8_lossy(&sysroot.stdout).trim()).join("bin/rustc");
    let xtask = std::env::current_exe().map_err(|e| format!("cannot find xtask: {e}"))?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTC", &rustc)
        .env("RUSTC_WRAPPER", &xtask)
        .env(INSTRUCTIONS_FILE, &counts)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the build of {} under callgrind failed",
            dir.display()
        ));
    }
    let text =
        std::fs::read_to_string(&counts).map_err(|e| format!("{}: {e}", counts.display()))?;
    let _ = std::fs::remove_dir_all(target);
    text.lines()
        .map(|n| {
            n.replace(',', "")
                .parse::<u64>()
                .map_err(|e| format!("{n:?}: {e}"))
        })
        .sum()
}

/// Runs the derive benchmarks in `dir`, `runs` interleaved repetitions each; prints a table.
/// With `instructions`, also the instructions of each clean build (see
/// [`clean_build_instructions`]).
pub fn derives(root: &Path, dir: &Path, runs: usize, instructions: bool) -> Result<(), String> {
    let ecsdef_path = root.join("runtime");
    let ecsdef_dep = format!(
        "ecsdef = {{ path = {:?} }}\n",
        ecsdef_path.display().to_string()
    );
    let serde_dep = "serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n";

    // `check`: 300 derives, dependencies built once beforehand.
    let check_ecsdef = dir.join("check-ecsdef");
    let check_serde = dir.join("check-serde");
    write(
        &check_ecsdef.join("Cargo.toml"),
        &manifest("check-ecsdef", &ecsdef_dep),
    )?;
    write(&check_ecsdef.join("src/lib.rs"), &structs(true))?;
    write(
        &check_serde.join("Cargo.toml"),
        &manifest("check-serde", serde_dep),
    )?;
    write(&check_serde.join("src/lib.rs"), &structs(false))?;
    let target: PathBuf = dir.join("target");
    for crate_dir in [&check_ecsdef, &check_serde] {
        cargo(
            crate_dir,
            &target.join(crate_dir.file_name().unwrap_or_default()),
            &["check"],
        )?;
    }
    let (mut e, mut s) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        for (crate_dir, times) in [(&check_ecsdef, &mut e), (&check_serde, &mut s)] {
            times.push(cargo_checks(
                crate_dir,
                &target.join(crate_dir.file_name().unwrap_or_default()),
                CHECKS_PER_SAMPLE,
            )?);
        }
    }
    row(
        "cargo check, 300 derives (200 Container + 100 TaskDefinition)",
        &e,
        &s,
        "serde::Serialize",
    );

    // `clean`: a clean debug build of the dependency stack.
    let clean_ecsdef = dir.join("clean-ecsdef");
    let clean_serde = dir.join("clean-serde");
    write(
        &clean_ecsdef.join("Cargo.toml"),
        &manifest("clean-ecsdef", &ecsdef_dep),
    )?;
    write(
        &clean_ecsdef.join("src/lib.rs"),
        "pub use ecsdef::{Container, TaskDefinition};\n",
    )?;
    write(
        &clean_serde.join("Cargo.toml"),
        &manifest("clean-serde", &format!("{serde_dep}serde_derive = \"1\"\n")),
    )?;
    write(
        &clean_serde.join("src/lib.rs"),
        "pub use serde::{Deserialize, Serialize};\npub use serde_json::Value;\n",
    )?;
    // Interleaved: each run builds both stacks as a registry dependency is built, then both
    // with cargo's default for a path dependency (incremental).
    let [mut e, mut s, mut ei, mut si] = [(); 4].map(|()| Vec::new());
    for run in 0..runs {
        for (incremental, e, s) in [(false, &mut e, &mut s), (true, &mut ei, &mut si)] {
            for (crate_dir, times) in [(&clean_ecsdef, &mut *e), (&clean_serde, &mut *s)] {
                let t = target.join(format!(
                    "clean-{run}-{}",
                    crate_dir.file_name().unwrap_or_default().to_string_lossy()
                ));
                times.push(clean_build(crate_dir, &t, incremental)?);
            }
        }
    }
    row(
        "clean build of the dependency stack",
        &e,
        &s,
        "serde + serde_derive + serde_json",
    );
    row(
        "the same, `ecsdef` compiled incrementally (a path dependency)",
        &ei,
        &si,
        "serde + serde_derive + serde_json",
    );
    if instructions {
        let e = clean_build_instructions(&clean_ecsdef, &target.join("instructions-ecsdef"))?;
        let s = clean_build_instructions(&clean_serde, &target.join("instructions-serde"))?;
        #[expect(clippy::cast_precision_loss, reason = "instruction counts, as a ratio")]
        let ratio = e as f64 / s as f64;
        #[expect(
            clippy::cast_precision_loss,
            reason = "instruction counts, in billions"
        )]
        let billions = |n: u64| n as f64 / 1e9;
        println!(
            "\nclean build of the dependency stack, instructions of every rustc: {:.3} G against {:.3} G (serde + serde_derive + serde_json), {ratio:.3}x",
            billions(e),
            billions(s)
        );
    }
    Ok(())
}
