//! Repository automation: `cargo run -p xtask -- model` regenerates `model/src/generated.rs`
//! from AWS's ECS API model in `aws-models/`.

mod bench;
mod model;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo run -p xtask -- <task>

tasks:
  model     regenerate model/src/generated.rs from aws-models/ecs-register-task-definition.json
  model --check
            exit 1 if the committed file differs from what the generator writes
  bench-derives [RUNS]
            time the derives against serde (cargo check of 300 derives, clean builds),
            RUNS interleaved runs each (default 3); writes under target/ecsdef-bench/";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["model"] => run_model(false),
        ["model", "--check"] => run_model(true),
        ["bench-derives", rest @ ..] => {
            let runs = rest.first().and_then(|r| r.parse().ok()).unwrap_or(3);
            let root = workspace_root();
            let dir = root.join("target/ecsdef-bench/derives");
            println!("| measure | ecsdef | baseline | ratio |\n| --- | --- | --- | --- |");
            match bench::derives(&root, &dir, runs) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
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
