//! `check` is `export` without the writing (issue 14, item 1): over generated declarations
//! and flag sets, whenever `check` exits 0, `export` with the same flags exits 0 and writes
//! files without `${`; whenever `check` exits 1, `export` exits non-zero too.
//!
//! The variants: a placeholder given by `--var`, by the environment, by the settings' vars
//! file, or not at all; an SSM parameter named without its ARN, with and without the task's
//! `region`; no `--format`, two formats, or formats from `[workspace.metadata.ecsdef]`; a
//! foreign file at an output path or none. Every combination runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Where the placeholder's value comes from.
#[derive(Debug, Clone, Copy)]
enum Value {
    Var,
    Environment,
    SettingsVarsFile,
    Unset,
}

/// Which formats are asked for.
#[derive(Debug, Clone, Copy)]
enum Formats {
    Default,
    Flags,
    Settings,
}

#[derive(Debug, Clone, Copy)]
struct Variant {
    value: Value,
    region: bool,
    formats: Formats,
    foreign: bool,
}

const VARIABLE: &str = "AGREE_IMAGE_TAG";

/// Writes the workspace of `variant` at `root`, and returns the flags both runs take.
fn workspace(root: &Path, variant: Variant) -> Vec<String> {
    let _ = fs::remove_dir_all(root);
    fs::create_dir_all(root.join("svc/src")).expect("a scratch workspace");
    let mut settings = String::new();
    if matches!(variant.formats, Formats::Settings) {
        settings.push_str("formats = [\"json\", \"terraform\"]\n");
    }
    if matches!(variant.value, Value::SettingsVarsFile) {
        settings.push_str("vars-file = \"deploy.env\"\n");
        fs::write(root.join("deploy.env"), format!("{VARIABLE}=2.0.1\n")).expect("vars file");
    }
    let settings = if settings.is_empty() {
        settings
    } else {
        format!("\n[workspace.metadata.ecsdef]\n{settings}")
    };
    fs::write(
        root.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\"svc\"]\n{settings}"),
    )
    .expect("Cargo.toml");
    fs::write(
        root.join("svc/Cargo.toml"),
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .expect("svc/Cargo.toml");
    let region = if variant.region {
        "region = \"eu-west-1\", "
    } else {
        ""
    };
    fs::write(
        root.join("svc/src/lib.rs"),
        format!(
            r#"use ecsdef::{{Container, TaskDefinition}};

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/api:${{{VARIABLE}}}")]
pub struct Api {{
    #[ecs(secret = "api-db-host")]
    pub db_host: String,
    #[ecs(secret = "api-db-port")]
    pub db_port: String,
}}

#[derive(TaskDefinition)]
#[ecs(family = "api", fargate, cpu = 256, memory = 512, {region}
      execution_role = "arn:aws:iam::123456789012:role/api-execution")]
pub struct ApiTask {{
    api: Api,
}}
"#
        ),
    )
    .expect("lib.rs");
    if variant.foreign {
        fs::create_dir_all(root.join("deploy")).expect("deploy/");
        fs::write(root.join("deploy/api.json"), "{}\n").expect("a foreign file");
    }
    let mut flags = Vec::new();
    if matches!(variant.value, Value::Var) {
        flags.push(format!("--var={VARIABLE}=1.4.2"));
    }
    if matches!(variant.formats, Formats::Flags) {
        flags.extend([
            "--format=json".to_owned(),
            "--format=cloudformation".to_owned(),
        ]);
    }
    flags
}

fn run(root: &Path, verb: &str, flags: &[String], variant: Variant) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-ecsdef"));
    command
        .arg("ecsdef")
        .arg(verb)
        .args(flags)
        .current_dir(root)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove(VARIABLE);
    if matches!(variant.value, Value::Environment) {
        command.env(VARIABLE, "1.5.0");
    }
    command.output().expect("run cargo-ecsdef")
}

/// Every file under `dir`, recursively.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn check_exits_0_only_when_export_succeeds() {
    let mut variants = Vec::new();
    for value in [
        Value::Var,
        Value::Environment,
        Value::SettingsVarsFile,
        Value::Unset,
    ] {
        for region in [true, false] {
            for formats in [Formats::Default, Formats::Flags, Formats::Settings] {
                for foreign in [false, true] {
                    variants.push(Variant {
                        value,
                        region,
                        formats,
                        foreign,
                    });
                }
            }
        }
    }
    let mut passed = 0;
    for (index, variant) in variants.iter().copied().enumerate() {
        let root = std::env::temp_dir().join(format!(
            "ecsdef-check-agrees-{}-{index}",
            std::process::id()
        ));
        let flags = workspace(&root, variant);
        let check = run(&root, "check", &flags, variant);
        let export = run(&root, "export", &flags, variant);
        let said = |output: &Output| {
            format!(
                "exit {:?}\n{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            )
        };
        let context = format!(
            "{variant:?}, flags {flags:?}\ncheck: {}\nexport: {}",
            said(&check),
            said(&export)
        );
        match check.status.code() {
            Some(0) => {
                passed += 1;
                assert_eq!(export.status.code(), Some(0), "{context}");
                let mut written = Vec::new();
                files(&root.join("deploy"), &mut written);
                assert!(!written.is_empty(), "{context}");
                for file in written {
                    let text = fs::read_to_string(&file).expect("a written file");
                    assert!(
                        !text.contains("${"),
                        "{} holds `${{`: {context}",
                        file.display()
                    );
                }
            }
            Some(1) => assert_ne!(export.status.code(), Some(0), "{context}"),
            _ => panic!("check neither passed nor failed: {context}"),
        }
        let _ = fs::remove_dir_all(&root);
    }
    // Both verdicts occur: the variants are not all of one kind.
    assert!(passed > 0 && passed < variants.len(), "{passed} passed");
}
