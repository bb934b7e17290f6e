//! The command line: a clap parser that pretends to be `cargo`, so that `cargo ecsdef VERB`
//! (which runs `cargo-ecsdef ecsdef VERB`) and `cargo-ecsdef VERB` parse alike.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::discover::DiscoverOptions;
use crate::formats::Format;
use crate::shell::{ColorChoice, MessageFormat};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (warnings do not fail)
  1  diagnostics with errors, or `export --check` found files missing, differing, stale or
     in the way
  2  usage error, an I/O failure (unreadable manifest, unwritable out dir), or a file in the
     way that ecsdef did not write";

/// `cargo`, as far as ecsdef is concerned.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = clap_cargo::style::CLAP_STYLING)]
pub enum Cargo {
    /// Find every ecsdef declaration in a workspace, check it, and export deployable files.
    Ecsdef(Ecsdef),
}

/// `cargo ecsdef`.
#[derive(Debug, Args)]
#[command(version, after_help = EXIT_CODES)]
#[command(
    about = "Find every ecsdef task definition in a Cargo workspace without compiling it; check it and export deployable files"
)]
pub struct Ecsdef {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write each task definition's deployable files to the out dir.
    #[command(after_help = EXIT_CODES)]
    Export(ExportArgs),
    /// Check every declaration and print diagnostics; write nothing.
    #[command(after_help = EXIT_CODES)]
    Check(Common),
    /// One line per task definition: package, family, containers, images, credentials.
    #[command(after_help = EXIT_CODES)]
    List(Common),
    /// Print the execution-role policy of a family.
    #[command(after_help = EXIT_CODES)]
    Policy(PolicyArgs),
    /// Print a rule's documentation; every rule without an argument.
    #[command(after_help = EXIT_CODES)]
    Explain(ExplainArgs),
    /// Print Rust declarations equivalent to an existing task definition JSON.
    #[command(after_help = EXIT_CODES)]
    Import(ImportArgs),
}

impl Command {
    /// The options every verb takes.
    pub fn common(&self) -> &Common {
        match self {
            Command::Export(a) => &a.common,
            Command::Check(c) | Command::List(c) => c,
            Command::Policy(a) => &a.common,
            Command::Explain(a) => &a.common,
            Command::Import(a) => &a.common,
        }
    }
}

/// Cargo's selection flags and the output options, taken by every verb.
#[derive(Debug, Clone, Args)]
pub struct Common {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub manifest: clap_cargo::Manifest,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub workspace: clap_cargo::Workspace,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub features: clap_cargo::Features,
    /// Coloring: auto, always, never.
    #[arg(long, value_enum, value_name = "WHEN", env = "CARGO_TERM_COLOR", default_value_t = ColorChoice::Auto, hide_env = true, hide_default_value = true)]
    pub color: ColorChoice,
    /// No status lines and no warnings; errors and data only.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More status lines (each file written, each family checked).
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// How diagnostics are printed: `human` (like rustc, on stderr) or `json` (one object per
    /// line on stdout).
    #[arg(long, value_enum, value_name = "FMT", default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

impl Common {
    /// What to discover.
    pub fn discover_options(&self) -> DiscoverOptions {
        DiscoverOptions {
            manifest_path: self.manifest.manifest_path.clone(),
            packages: self.workspace.package.clone(),
            workspace: self.workspace.workspace || self.workspace.all,
            exclude: self.workspace.exclude.clone(),
            features: self.features.features.clone(),
            all_features: self.features.all_features,
            no_default_features: self.features.no_default_features,
        }
    }
}

/// `cargo ecsdef export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
    /// Where to write (default: `deploy/` at the workspace root). ecsdef lists the files it
    /// writes in `DIR/.ecsdef-manifest`, and never overwrites or removes any other file.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Which files to write; repeatable (default: json).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// A placeholder's value; repeatable. Wins over `--vars-file` and the environment.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Placeholder values in dotenv syntax; they win over the environment.
    #[arg(long, value_name = "FILE")]
    pub vars_file: Option<PathBuf>,
    /// Write nothing; exit 1 listing every file that is missing, differs, is stale, or is in
    /// the way without having been written by ecsdef (`foreign`).
    #[arg(long)]
    pub check: bool,
}

fn parse_var(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected `NAME=VALUE`, found `{value}`")),
    }
}

/// `cargo ecsdef policy`.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// The task definition's family.
    pub family: String,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
}

/// `cargo ecsdef explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// The rule's name, as diagnostics show it (`image-unpinned`).
    pub rule: Option<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
}

/// `cargo ecsdef import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// A task definition JSON: `RegisterTaskDefinition` input or `describe-task-definition`
    /// output.
    pub file: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub common: Common,
}

/// Parses the command line, as `cargo ecsdef ...` or `cargo-ecsdef ...`.
pub fn parse_from<I, T>(args: I) -> Result<Ecsdef, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // Cargo runs `cargo-ecsdef ecsdef VERB`; run by hand it is `cargo-ecsdef VERB`.
    if args.get(1).is_none_or(|arg| arg != "ecsdef") {
        args.insert(1.min(args.len()), "ecsdef".into());
    }
    let Cargo::Ecsdef(ecsdef) = Cargo::try_parse_from(args)?;
    Ok(ecsdef)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_is_well_formed() {
        Cargo::command().debug_assert();
    }

    #[test]
    fn both_invocations_parse_alike() {
        let via_cargo =
            parse_from(["cargo-ecsdef", "ecsdef", "export", "--var", "A=b=c"]).expect("parses");
        let direct = parse_from(["cargo-ecsdef", "export", "--var", "A=b=c"]).expect("parses");
        for parsed in [via_cargo, direct] {
            let Command::Export(args) = parsed.command else {
                panic!("export expected");
            };
            assert_eq!(args.vars, [("A".to_owned(), "b=c".to_owned())]);
        }
        assert!(parse_from(["cargo-ecsdef", "export", "--var", "novalue"]).is_err());
    }

    #[test]
    fn selection_flags_map_to_discovery() {
        let parsed = parse_from([
            "cargo-ecsdef",
            "check",
            "--manifest-path",
            "x/Cargo.toml",
            "--workspace",
            "--exclude",
            "a",
            "--features",
            "f",
            "--no-default-features",
        ])
        .expect("parses");
        let options = parsed.command.common().discover_options();
        assert_eq!(options.manifest_path, Some(PathBuf::from("x/Cargo.toml")));
        assert!(options.workspace && options.no_default_features);
        assert_eq!(options.exclude, ["a"]);
        assert_eq!(options.features, ["f"]);
    }
}
