//! Repository automation: `cargo run -p xtask -- model` regenerates `model/src/generated.rs`
//! from AWS's ECS API model in `aws-models/`.

mod bench;
mod bench_export;
mod bench_lint;
mod floor;
mod model;
mod write_floor;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo run -p xtask -- <task>

tasks:
  model     regenerate model/src/generated.rs from aws-models/ecs-register-task-definition.json
  model --check
            exit 1 if the committed file differs from what the generator writes
  bench-derives [RUNS] [--instructions]
            time the derives against serde (cargo check of 300 derives, clean builds),
            RUNS interleaved runs each (default 3); writes under target/ecsdef-bench/;
            with --instructions, also count the instructions of every rustc of each clean
            build (valgrind --tool=callgrind, about half an hour more)
  bench-export [--definitions N] [--runs R] [--instructions]
            generate synthetic workspaces of N/10 and N task definitions (default 1000), a
            dense one of N (every file declares) and one of a single task definition under
            target/ecsdef-bench/export/ and time the release `cargo-ecsdef` export and check
            against the read-plus-syn::parse_file floor, R interleaved runs (default 5);
            with --instructions, also count each one's instructions on the two large
            workspaces (valgrind --tool=callgrind, a minute more)
  bench-export --generate-only [--definitions N]
            only write the synthetic workspaces
  corpus-table
            regenerate docs/corpus.md, what `cargo ecsdef check` reports on each file of
            tests/corpus/real/ (keeping the hand-written \"AWS agrees\" column)
  bench-lint [--files N] [--runs R]
            time the release `cargo ecsdef check DIR` on a folder of N task-definition files
            (default 1000) under target/ecsdef-bench/lint/ against `cat` and a serde_json
            parse of the same files, R interleaved runs (default 5)";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `bench-derives --instructions` runs cargo with this program as its `RUSTC_WRAPPER`:
    // then the first argument is the rustc to run.
    let is_rustc = |arg: &String| {
        Path::new(arg)
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("rustc"))
    };
    if let Some(counts) = std::env::var_os(bench::INSTRUCTIONS_FILE)
        && args.first().is_some_and(is_rustc)
    {
        return bench::rustc_under_callgrind(&args, &counts);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["model"] => run_model(false),
        ["model", "--check"] => run_model(true),
        ["bench-derives", rest @ ..] => {
            let instructions = rest.contains(&"--instructions");
            let runs = rest.iter().find_map(|r| r.parse().ok()).unwrap_or(3);
            let root = workspace_root();
            let dir = root.join("target/ecsdef-bench/derives");
            println!(
                "| measure | ecsdef wall | baseline wall | ratio | ecsdef CPU | baseline CPU | CPU ratio |\n| --- | --- | --- | --- | --- | --- | --- |"
            );
            match bench::derives(&root, &dir, runs, instructions) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        ["bench-export", rest @ ..] => run_bench_export(rest),
        ["bench-lint", rest @ ..] => run_bench_lint(rest),
        ["corpus-table"] => run_corpus_table(),
        // Hidden: the serde_json floor of `bench-lint`, run as its own process like the check.
        ["bench-lint-floor", dir] => bench_lint::floor(dir),
        // Hidden: the floor of `bench-export`, run as its own process like the export.
        ["bench-export-floor", list, rest @ ..] => floor::run(list, rest.first().copied()),
        // Hidden: the floor of the export's writes, likewise.
        ["bench-export-writes", reference, out, rest @ ..] => {
            write_floor::run(reference, out, rest.first().copied())
        }
        ["-h" | "--help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `corpus-table`: the table is the snapshot of a test of `cargo-ecsdef`, which writes it when
/// told to overwrite its snapshots, so the test and the table cannot be made differently.
fn run_corpus_table() -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args([
            "test",
            "--quiet",
            "-p",
            "cargo-ecsdef",
            "--test",
            "lint",
            "--",
            "corpus_table",
        ])
        .env("SNAPSHOTS", "overwrite")
        .current_dir(workspace_root())
        .status();
    if status.is_ok_and(|s| s.success()) {
        eprintln!("docs/corpus.md is up to date");
        ExitCode::SUCCESS
    } else {
        eprintln!("error: `cargo test -p cargo-ecsdef --test lint -- corpus_table` failed");
        ExitCode::from(2)
    }
}

fn run_bench_lint(args: &[&str]) -> ExitCode {
    let (mut files, mut runs) = (1000, 5);
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<usize>().ok());
        match (arg, value) {
            ("--files", Some(n)) if n >= 1 => files = n,
            ("--runs", Some(n)) if n >= 1 => runs = n,
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = std::process::Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "cargo-ecsdef",
            "--bin",
            "cargo-ecsdef",
        ])
        .current_dir(&root)
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("error: `cargo build --release -p cargo-ecsdef` failed");
        return ExitCode::from(2);
    }
    let Ok(xtask) = std::env::current_exe() else {
        eprintln!("error: cannot find the xtask binary");
        return ExitCode::from(2);
    };
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let ecsdef = target_dir
        .join("release")
        .join(format!("cargo-ecsdef{}", std::env::consts::EXE_SUFFIX));
    match bench_lint::run(&root, &ecsdef, &xtask, files, runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_bench_export(args: &[&str]) -> ExitCode {
    let mut definitions = 1000;
    let mut runs = 5;
    let mut generate_only = false;
    let mut instructions = false;
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        let value = match arg {
            "--generate-only" => {
                generate_only = true;
                continue;
            }
            "--instructions" => {
                instructions = true;
                continue;
            }
            "--definitions" | "--runs" => args.next().and_then(|v| v.parse::<usize>().ok()),
            _ => None,
        };
        match (arg, value) {
            ("--definitions", Some(n)) if n >= 10 => definitions = n,
            ("--runs", Some(n)) if n >= 1 => runs = n,
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let root = workspace_root();
    let dir = root.join("target/ecsdef-bench/export");
    if generate_only {
        for workspace in bench_export::workspaces(definitions) {
            let out = dir.join(workspace.dir_name());
            let (crates, definitions, containers) = workspace.counts();
            match workspace.generate(&out) {
                Ok(g) => eprintln!(
                    "wrote {}: {crates} crates, {definitions} task definitions, {containers} containers, {} files parsed",
                    out.display(),
                    g.files.len()
                ),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        return ExitCode::SUCCESS;
    }
    // The release CLI and the floor with mimalloc, built (or found up to date) in the same
    // target directory as this xtask.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Two builds: one of both packages would unify their features and rebuild this very binary.
    for (package, bin) in [
        ("cargo-ecsdef", "cargo-ecsdef"),
        ("xtask", "bench-floor-mimalloc"),
    ] {
        let built = std::process::Command::new(&cargo)
            .args(["build", "--release", "--quiet", "-p", package, "--bin", bin])
            .current_dir(&root)
            .status();
        if !built.is_ok_and(|s| s.success()) {
            eprintln!("error: `cargo build --release -p {package} --bin {bin}` failed");
            return ExitCode::from(2);
        }
    }
    let Ok(xtask) = std::env::current_exe() else {
        eprintln!("error: cannot find the xtask binary");
        return ExitCode::from(2);
    };
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let release = target_dir.join("release");
    let setup = bench_export::Setup {
        ecsdef: release.join(format!("cargo-ecsdef{}", std::env::consts::EXE_SUFFIX)),
        floor_mimalloc: release.join(format!(
            "bench-floor-mimalloc{}",
            std::env::consts::EXE_SUFFIX
        )),
        xtask,
        dir,
        definitions,
        runs,
        instructions,
    };
    match bench_export::run(&setup) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_model(check: bool) -> ExitCode {
    let root = workspace_root();
    let input_path = root.join(model::INPUT);
    let output_path = root.join(model::OUTPUT);
    let input = match std::fs::read_to_string(&input_path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", input_path.display());
            return ExitCode::from(2);
        }
    };
    let generated = match model::generate(&input) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let current = std::fs::read_to_string(&output_path).unwrap_or_default();
    if current == generated {
        eprintln!("{} is up to date", model::OUTPUT);
        return ExitCode::SUCCESS;
    }
    if check {
        eprintln!(
            "error: {} differs from the generator's output; run `cargo run -p xtask -- model`",
            model::OUTPUT
        );
        return ExitCode::from(1);
    }
    if let Err(e) = std::fs::write(&output_path, generated) {
        eprintln!("error: cannot write {}: {e}", output_path.display());
        return ExitCode::from(2);
    }
    eprintln!("wrote {}", model::OUTPUT);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed model is exactly what the generator writes from the committed AWS model.
    #[test]
    fn committed_model_is_up_to_date() {
        let root = workspace_root();
        let input = std::fs::read_to_string(root.join(model::INPUT)).unwrap();
        let generated = model::generate(&input).unwrap();
        let committed = std::fs::read_to_string(root.join(model::OUTPUT)).unwrap();
        assert!(
            committed == generated,
            "{} is stale: run `cargo run -p xtask -- model` and commit the result",
            model::OUTPUT
        );
    }
}
