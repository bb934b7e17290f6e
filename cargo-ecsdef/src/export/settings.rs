//! The export settings a workspace keeps in `[workspace.metadata.ecsdef]` of its root
//! `Cargo.toml`, where cargo users look for a tool's settings:
//!
//! ```toml
//! [workspace.metadata.ecsdef]
//! out-dir = "deploy"                          # relative to the workspace root
//! formats = ["json", "cloudformation"]
//! vars-file = "deploy.env"                    # relative to the workspace root
//! ```
//!
//! A flag overrides its key. An unknown key, or a value of the wrong kind, is an error: a
//! misspelt setting silently ignored would export to the wrong place.
//!
//! There is no `[package.metadata.ecsdef]`: one out dir and one manifest serve the whole
//! workspace, and a format or vars file chosen per package would make one `export` run
//! write a family's files by rules that depend on which package declares it, which the
//! manifest, and the command printed to fix drift, could not say in one line.

use std::path::{Path, PathBuf};

use ecsdef_model::did_you_mean;
use serde_json::Value;

use crate::formats::{FORMATS, Format};

/// `out-dir`: where to write, relative to the workspace root.
pub const OUT_DIR: &str = "out-dir";
/// `formats`: which files to write.
pub const FORMATS_KEY: &str = "formats";
/// `vars-file`: placeholder values in dotenv syntax, relative to the workspace root.
pub const VARS_FILE: &str = "vars-file";

/// Every key, in the order the documentation lists them.
pub const KEYS: &[&str] = &[OUT_DIR, FORMATS_KEY, VARS_FILE];

/// The settings read from `[workspace.metadata.ecsdef]`; each `None` when not set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// `out-dir`, joined to the workspace root.
    pub out_dir: Option<PathBuf>,
    /// `formats`, in the order given, each once.
    pub formats: Option<Vec<Format>>,
    /// `vars-file`, joined to the workspace root.
    pub vars_file: Option<PathBuf>,
}

/// Reads `[workspace.metadata.ecsdef]` (as `cargo metadata` gives it) of the workspace at
/// `root`. Every problem is in the error, `; ` between them.
pub fn read(value: Option<&Value>, root: &Path) -> Result<Settings, String> {
    let Some(value) = value else {
        return Ok(Settings::default());
    };
    let Value::Object(table) = value else {
        return Err("`[workspace.metadata.ecsdef]` must be a table".to_owned());
    };
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    let path_of = |key: &str, value: &Value, problems: &mut Vec<String>| match value {
        Value::String(s) if !s.is_empty() => Some(root.join(s)),
        _ => {
            problems.push(format!(
                "expected `{key}` to be a path: `{key} = \"...\"`, relative to the workspace root"
            ));
            None
        }
    };
    for (key, value) in table {
        match key.as_str() {
            OUT_DIR => settings.out_dir = path_of(key, value, &mut problems),
            VARS_FILE => settings.vars_file = path_of(key, value, &mut problems),
            FORMATS_KEY => settings.formats = formats(value, &mut problems),
            _ => {
                let hint = match did_you_mean(key, KEYS.iter().copied()) {
                    Some(known) => format!("did you mean `{known}`?"),
                    None => format!(
                        "expected one of {}",
                        KEYS.iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                problems.push(format!(
                    "unknown key `{key}` in `[workspace.metadata.ecsdef]`: {hint}"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(settings)
    } else {
        Err(problems.join("; "))
    }
}

fn formats(value: &Value, problems: &mut Vec<String>) -> Option<Vec<Format>> {
    let expected = || {
        format!(
            "expected `{FORMATS_KEY}` to be a list of formats: `{FORMATS_KEY} = [\"json\", ...]`, each one of {}",
            FORMATS
                .iter()
                .map(|f| format!("`{}`", f.name()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let Value::Array(items) = value else {
        problems.push(expected());
        return None;
    };
    let mut formats = Vec::new();
    for item in items {
        let Value::String(name) = item else {
            problems.push(expected());
            return None;
        };
        match FORMATS.iter().find(|f| f.name() == name) {
            Some(format) if !formats.contains(format) => formats.push(*format),
            Some(_) => {}
            None => problems.push(match did_you_mean(name, FORMATS.iter().map(|f| f.name())) {
                Some(known) => {
                    format!("unknown format `{name}` in `{FORMATS_KEY}`: did you mean `{known}`?")
                }
                None => expected(),
            }),
        }
    }
    if formats.is_empty() && items.is_empty() {
        problems.push(expected());
    }
    Some(formats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(json: &str) -> Result<Settings, String> {
        let value: Value = serde_json::from_str(json).expect("JSON");
        read(Some(&value), Path::new("/ws"))
    }

    #[test]
    fn keys_are_read_relative_to_the_root() {
        let settings = read_str(
            r#"{"out-dir": "infra/ecs", "formats": ["json", "terraform", "json"],
                "vars-file": "ci.env"}"#,
        )
        .expect("valid");
        assert_eq!(settings.out_dir, Some(PathBuf::from("/ws/infra/ecs")));
        assert_eq!(settings.vars_file, Some(PathBuf::from("/ws/ci.env")));
        let names: Vec<&str> = settings
            .formats
            .expect("formats")
            .iter()
            .map(|f| f.name())
            .collect();
        assert_eq!(names, ["json", "terraform"]);
        assert_eq!(read(None, Path::new("/ws")), Ok(Settings::default()));
    }

    #[test]
    fn mistakes_are_errors_with_a_suggestion() {
        assert_eq!(
            read_str(r#"{"outdir": "x"}"#).expect_err("unknown"),
            "unknown key `outdir` in `[workspace.metadata.ecsdef]`: did you mean `out-dir`?"
        );
        assert_eq!(
            read_str(r#"{"format": ["json"]}"#).expect_err("unknown"),
            "unknown key `format` in `[workspace.metadata.ecsdef]`: did you mean `formats`?"
        );
        assert!(
            read_str(r#"{"zzz": 1}"#)
                .expect_err("unknown")
                .contains("expected one of `out-dir`, `formats`, `vars-file`")
        );
        assert_eq!(
            read_str(r#"{"formats": ["cloudformaton"]}"#).expect_err("unknown"),
            "unknown format `cloudformaton` in `formats`: did you mean `cloudformation`?"
        );
        assert!(read_str(r#"{"formats": "json"}"#).is_err());
        assert!(read_str(r#"{"formats": []}"#).is_err());
        assert!(read_str(r#"{"out-dir": 3}"#).is_err());
        assert!(read_str("[1]").is_err());
    }
}
