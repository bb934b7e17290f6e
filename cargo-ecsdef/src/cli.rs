//! The command line: a clap parser that pretends to be `cargo`, so that `cargo ecsdef VERB`
//! (which runs `cargo-ecsdef ecsdef VERB`) and `cargo-ecsdef VERB` parse alike. The verbs and
//! their arguments are in [`crate::commands`].

use std::ffi::OsString;

use clap::{Args, Parser};

use crate::commands::{Command, EXIT_CODES};

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
    use std::path::PathBuf;

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
            assert_eq!(args.export.vars, [("A".to_owned(), "b=c".to_owned())]);
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
        let Command::Check(args) = parsed.command else {
            panic!("check expected");
        };
        let options = args.selection.discover_options();
        assert_eq!(options.manifest_path, Some(PathBuf::from("x/Cargo.toml")));
        assert!(options.workspace && options.no_default_features);
        assert_eq!(options.exclude, ["a"]);
        assert_eq!(options.features, ["f"]);
    }

    /// `explain` and `import` read no workspace: they refuse the selection flags rather than
    /// ignore them.
    #[test]
    fn verbs_without_a_workspace_take_no_selection() {
        for args in [
            &["explain", "--workspace"][..],
            &["explain", "image-unpinned", "-p", "web"],
            &["import", "task.json", "--manifest-path", "x/Cargo.toml"],
            &["import", "task.json", "--features", "f"],
        ] {
            let argv = std::iter::once("cargo-ecsdef").chain(args.iter().copied());
            assert!(parse_from(argv).is_err(), "{args:?}");
        }
        assert!(parse_from(["cargo-ecsdef", "explain", "-q", "--color", "never"]).is_ok());
    }
}
