//! `bench-lint`: `cargo ecsdef check DIR` on a folder of task-definition files, timed against
//! two floors measured in the same run, interleaved: `cat` of the files (reading them, and a
//! process start), and a plain `serde_json` parse of every file (`bench-lint-floor`, this
//! binary run as its own process, as the check is).
//!
//! The folder holds N files (default 1,000): the JSON files of the corpus of real task
//! definitions (`tests/corpus/real/`) and of the lint fixtures (`RegisterTaskDefinition` input,
//! describe output, CloudFormation templates), copied in turn under numbered names, so the
//! same N always gives the same bytes.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The files the folder is made of, in a stable order.
fn sources(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for dir in [
        root.join("tests/corpus/real"),
        root.join("cargo-ecsdef/tests/fixtures/lint/register"),
        root.join("cargo-ecsdef/tests/fixtures/lint/describe"),
        root.join("cargo-ecsdef/tests/fixtures/lint/cloudformation"),
    ] {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        out.extend(files);
    }
    if out.is_empty() {
        return Err("no task-definition files to copy".to_owned());
    }
    Ok(out)
}

/// Writes the folder of `n` files; returns it and its size in bytes.
fn generate(root: &Path, n: usize) -> Result<(PathBuf, u64), String> {
    let dir = root.join(format!("target/ecsdef-bench/lint/f{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let sources = sources(root)?;
    let mut bytes = 0;
    for i in 0..n {
        let source = &sources[i % sources.len()];
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = dir.join(format!("{i:05}-{name}"));
        bytes +=
            std::fs::copy(source, &target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok((dir, bytes))
}

/// The hidden floor: reads and parses every `.json` file of `dir` with `serde_json`.
pub fn floor(dir: &str) -> std::process::ExitCode {
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("error: cannot read {dir}");
        return std::process::ExitCode::from(2);
    };
    let mut parsed = 0usize;
    for entry in entries.filter_map(Result::ok) {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
            parsed += 1;
        }
    }
    println!("{parsed}");
    std::process::ExitCode::SUCCESS
}

fn time(command: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("{command:?}: {e}"))?;
    let elapsed = start.elapsed();
    // `check` exits 1 on findings; anything else is a failure of the run.
    if status.code().is_none_or(|c| c > 1) {
        return Err(format!("{command:?} failed: {status}"));
    }
    Ok(elapsed)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Runs the benchmark: `n` files, `runs` interleaved runs of each measure.
pub fn run(root: &Path, ecsdef: &Path, xtask: &Path, n: usize, runs: usize) -> Result<(), String> {
    let (dir, bytes) = generate(root, n)?;
    // The check must read every file as a task definition: count what it reports.
    let output = Command::new(ecsdef)
        .args(["check", "--message-format", "json"])
        .arg(&dir)
        .output()
        .map_err(|e| format!("{}: {e}", ecsdef.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!("in {n} files");
    if !stderr.contains(&expected) {
        return Err(format!("the check did not read {n} files: {stderr}"));
    }
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    let (mut check, mut cat, mut parse) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        check.push(time(Command::new(ecsdef).args(["check", "-q"]).arg(&dir))?);
        cat.push(time(Command::new("cat").args(&files))?);
        parse.push(time(Command::new(xtask).arg("bench-lint-floor").arg(&dir))?);
    }
    let (check, cat, parse) = (median(check), median(cat), median(parse));
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    println!(
        "{n} files, {} MB, median of {runs} interleaved runs\n",
        bytes / 1000 / 1000
    );
    println!("| measure | time | vs cat | vs serde_json |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| `cargo ecsdef check DIR` | {} | {:.2} | {:.2} |",
        ms(check),
        ratio(check, cat),
        ratio(check, parse)
    );
    println!(
        "| `cat` of the files | {} | 1.00 | {:.2} |",
        ms(cat),
        ratio(cat, parse)
    );
    println!(
        "| `serde_json` parse of the files | {} | {:.2} | 1.00 |",
        ms(parse),
        ratio(parse, cat)
    );
    Ok(())
}
