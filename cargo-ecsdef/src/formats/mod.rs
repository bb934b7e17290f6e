//! The deployable formats `cargo ecsdef export` writes a task definition in, one file each,
//! behind [`OutputFormat`].
//!
//! A format says what it is called on the command line, which files it writes (as suffixes
//! after the family: `.cfn.json` for `web.cfn.json`) and how it writes them from a checked
//! task. The suffixes are the only place a file name is spelled: the export names the files
//! by them, and tells which format an existing file belongs to by them ([`Format::of_file`]).
//!
//! The same task always gives the same bytes, and every file ends with a newline. A member a
//! format cannot express is an error naming it ([`FormatError`]), never silently dropped.
//!
//! A new format is one file beside this one, implementing [`OutputFormat`] (its tests inside
//! it), and two lines here: its `mod` and its entry in [`FORMATS`].

mod cloudformation;
mod document;
mod json;
mod terraform;

/// CloudFormation's property name for an ECS member of a shape: `lint` reads templates with it.
pub(crate) use cloudformation::property_name as cloudformation_property_name;

use std::fmt;

use ecsdef_model::TaskDefinition;
use ecsdef_model::policy::PolicyDocument;

/// Every format, in the order `--help` lists them.
pub static FORMATS: &[Format] = &[
    Format(&json::Json),
    Format(&cloudformation::CloudFormation),
    Format(&terraform::Terraform),
];

/// One output format.
pub trait OutputFormat: Sync {
    /// Its name on the command line: `--format NAME`.
    fn name(&self) -> &'static str;

    /// What it writes, in one line for `--help` (no final period, as clap prints help).
    fn help(&self) -> &'static str;

    /// What follows the family in the name of each file it may write (`.cfn.json`): no two
    /// formats share one.
    fn suffixes(&self) -> &'static [&'static str];

    /// The files of one task, as `(suffix, contents)`, each suffix one of [`Self::suffixes`].
    fn render(&self, task: &Task<'_>) -> Result<Vec<(&'static str, String)>, FormatError>;
}

/// A task definition ready to be written: placeholders substituted, accepted by the rules.
#[derive(Debug, Clone, Copy)]
pub struct Task<'a> {
    /// The definition.
    pub definition: &'a TaskDefinition,
    /// Its canonical `RegisterTaskDefinition` JSON ([`ecsdef_model::to_canonical_json`]).
    pub json: &'a str,
    /// The execution role's policy, when the task has a role that needs any permission.
    pub policy: Option<&'a PolicyDocument>,
}

/// Why a task definition cannot be written in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// The format's proper name: `CloudFormation`, `Terraform`.
    pub format: &'static str,
    /// The JSON path of the member it cannot express.
    pub path: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cannot express `{}`: export this task as `json` only",
            self.format, self.path
        )
    }
}

impl std::error::Error for FormatError {}

/// One of [`FORMATS`], as `--format` takes it: formats are equal and ordered by name.
#[derive(Clone, Copy)]
pub struct Format(&'static dyn OutputFormat);

impl Format {
    /// The `RegisterTaskDefinition` input and the execution role's policy: what `export`
    /// writes without `--format`.
    pub const JSON: Format = Format(&json::Json);

    /// The name of a task's file of `suffix`: the family, then the suffix. [`Format::of_file`]
    /// reads the suffix back, and the export the family (the name up to its first `.`).
    pub fn file_name(family: &str, suffix: &str) -> String {
        [family, suffix].concat()
    }

    /// The format a file of ecsdef's belongs to: the one whose suffix is the whole name after
    /// the family (the name up to its first `.`, as families have none), as
    /// [`Format::file_name`] writes it.
    pub fn of_file(name: &str) -> Option<Format> {
        let suffix = &name[name.find('.')?..];
        FORMATS
            .iter()
            .find(|format| format.suffixes().contains(&suffix))
            .copied()
    }
}

impl std::ops::Deref for Format {
    type Target = dyn OutputFormat;

    fn deref(&self) -> &Self::Target {
        self.0
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Format {}

impl PartialOrd for Format {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Format {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl std::hash::Hash for Format {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name().hash(state);
    }
}

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        FORMATS
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.help()))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ecsdef_model::rules::Context;

    /// A task using most of what the converting formats rename: nested shapes, lists of
    /// structures, maps, volumes, tags and an execution role.
    pub(crate) fn sample() -> TaskDefinition {
        ecsdef_model::from_json_strict(
            r#"{
              "family": "web",
              "executionRoleArn": "arn:aws:iam::123456789012:role/svc/web-execution",
              "networkMode": "awsvpc",
              "containerDefinitions": [{
                "name": "app",
                "image": "public.ecr.aws/nginx/nginx:1.27",
                "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
                "secrets": [{"name": "DB", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}],
                "dockerLabels": {"com.example.team": "web"},
                "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}],
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"}}
              }],
              "volumes": [
                {"name": "data", "host": {"sourcePath": "/srv/data"}},
                {"name": "shared", "efsVolumeConfiguration": {"fileSystemId": "fs-12345678", "authorizationConfig": {"iam": "ENABLED"}}}
              ],
              "requiresCompatibilities": ["FARGATE"],
              "cpu": "256",
              "memory": "512",
              "tags": [{"key": "team", "value": "web"}],
              "ephemeralStorage": {"sizeInGiB": 30}
            }"#,
        )
        .expect("valid test task")
    }

    /// The files `format` writes for `definition`, with its policy when `with_policy`.
    pub(crate) fn render_all(
        format: &dyn OutputFormat,
        definition: &TaskDefinition,
        with_policy: bool,
    ) -> Result<Vec<(&'static str, String)>, FormatError> {
        let policy = ecsdef_model::policy::execution_role_policy(definition, &Context::default())
            .expect("policy")
            .filter(|_| with_policy);
        let json = ecsdef_model::to_canonical_json(definition);
        format.render(&Task {
            definition,
            json: &json,
            policy: policy.as_ref(),
        })
    }

    /// `format`'s only file for `definition`, with its policy when `with_policy`.
    pub(crate) fn render_one(
        format: &dyn OutputFormat,
        definition: &TaskDefinition,
        with_policy: bool,
    ) -> Result<String, FormatError> {
        let mut files = render_all(format, definition, with_policy)?;
        assert_eq!(files.len(), 1, "one file");
        Ok(files.remove(0).1)
    }

    pub(crate) fn parse(text: &str) -> serde_json::Value {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn a_file_belongs_to_the_format_whose_suffix_follows_its_family() {
        let named = |name: &str| FORMATS.iter().find(|f| f.name() == name).copied();
        for (file, format) in [
            ("web.json", Some(Format::JSON)),
            ("web.execution-role-policy.json", Some(Format::JSON)),
            ("web.cfn.json", named("cloudformation")),
            ("web.tf.json", named("terraform")),
            // Ending in `.json` is not enough: the whole suffix must be a format's.
            ("web.other.json", None),
            ("web.cfn.json.orig", None),
            ("web.JSON", None),
            ("web", None),
        ] {
            assert_eq!(Format::of_file(file), format, "{file}");
        }
        assert!(named("cloudformation").is_some() && named("terraform").is_some());
    }

    #[test]
    fn names_and_suffixes_are_unique() {
        let mut names: Vec<&str> = FORMATS.iter().map(|f| f.name()).collect();
        let mut suffixes: Vec<&str> = FORMATS.iter().flat_map(|f| f.suffixes()).copied().collect();
        let (n, s) = (names.len(), suffixes.len());
        names.sort_unstable();
        names.dedup();
        suffixes.sort_unstable();
        suffixes.dedup();
        assert_eq!((names.len(), suffixes.len()), (n, s));
        for suffix in suffixes {
            assert!(suffix.starts_with('.'), "{suffix}");
        }
    }

    #[test]
    fn every_format_writes_only_its_own_suffixes() {
        let definition = sample();
        for format in FORMATS {
            let files = render_all(&**format, &definition, true).expect("expressible");
            assert!(!files.is_empty(), "{format:?}");
            for (suffix, contents) in files {
                assert!(format.suffixes().contains(&suffix), "{format:?}: {suffix}");
                assert!(contents.ends_with('\n'), "{format:?}: {suffix}");
            }
        }
    }

    #[test]
    fn a_member_a_format_cannot_express_is_an_error() {
        let mut definition = sample();
        definition.trusted_execution_configuration =
            serde_json::from_value(serde_json::json!({"isolationMode": "ISOLATED_SANDBOX"})).ok();
        assert!(definition.trusted_execution_configuration.is_some());
        let cfn = render_one(&cloudformation::CloudFormation, &definition, false)
            .expect_err("unsupported");
        assert_eq!(cfn.path, "trustedExecutionConfiguration");
        let tf = render_one(&terraform::Terraform, &definition, false).expect_err("unsupported");
        assert_eq!(
            tf.to_string(),
            "Terraform cannot express `trustedExecutionConfiguration`: export this task as `json` only"
        );
    }
}
