//! Help lines in a task-definition file's terms.
//!
//! A diagnostic's `help` speaks the derive's attributes (`execution_role = ...`, `log(...)`,
//! `secret = ...`, `#[ecs(allow(...))]`), which is right for a declaration in Rust. A finding
//! about a JSON, YAML or CloudFormation file (`cargo ecsdef check PATH`, the diagnostics of
//! `cargo ecsdef import`) says the fix in the file's members (RegisterTaskDefinition's names)
//! and `check`'s flags instead: [`Diagnostic::help_in_file`]. It is derived from the finding
//! here, beside the rules, so each rule keeps one source for its words.

use std::borrow::Cow;

use super::credentials::{
    CREDENTIALS_ON_ECR_IMAGE, KMS_KEY_ALIAS, KMS_KEY_ALIAS_NAMES, REGION_UNKNOWN,
};
use super::env::{DUPLICATE_ENV_NAME, PLAINTEXT_SECRET_IN_ENV};
use super::facts::{
    AWS_MANAGED_KEY_HELP, CREDENTIALS_PLATFORM_VERSION, CREDENTIALS_REASON,
    CROSS_ACCOUNT_NEEDS_KMS_KEY, DEPENDS_ON_UNKNOWN, EXECUTION_ROLE_REQUIRED,
    NO_ESSENTIAL_CONTAINER, SECRETS_PLATFORM_VERSION, SET_EXECUTION_ROLE,
};
use super::task::{AWSLOGS_OPTIONS, FARGATE_CPU_MEMORY, FARGATE_NETWORK_MODE};
use super::{Diagnostic, Location, Rule};
use crate::arn::{CREDENTIALS_FORM, CREDENTIALS_NOT_SECRETSMANAGER};
use crate::image::IMAGE_REFERENCE;

impl Diagnostic {
    /// How to fix it in a task-definition file: [`Diagnostic::help`] where that names no
    /// attribute of the derive, else the same fix in the file's members and `check`'s flags.
    pub fn help_in_file(&self) -> Cow<'_, str> {
        match in_file(self) {
            Some(help) => Cow::Owned(help),
            None => Cow::Borrowed(&self.help),
        }
    }

    /// What it found, in a task-definition file's terms: [`Diagnostic::message`], with the
    /// file's member where the message names an attribute of the derive: a container pulls
    /// its image with `repositoryCredentials`. The KMS key, which a file cannot hold, is
    /// `check`'s `--kms-key`, which the located message names before it.
    pub fn message_in_file(&self) -> Cow<'_, str> {
        let message = self.message.as_str();
        if self.rule == &EXECUTION_ROLE_REQUIRED && message.contains(CREDENTIALS_REASON) {
            return Cow::Owned(message.replacen(
                CREDENTIALS_REASON,
                "pulls its image with `repositoryCredentials`",
                1,
            ));
        }
        if self.rule == &KMS_KEY_ALIAS
            && let Some(rest) = message.strip_prefix(KMS_KEY_ALIAS_NAMES)
        {
            return Cow::Owned(format!("the key given is the alias{rest}"));
        }
        Cow::Borrowed(message)
    }
}

impl Rule {
    /// [`Rule::summary`] in a file's terms, for a catalogue of the rules that a file's
    /// findings refer to (SARIF's `rules`): what a declaration calls `credentials`,
    /// `execution_role`, `kms_key`, `depends_on` or `secret`, a file calls by its member (or,
    /// for the KMS key, `check`'s `--kms-key`). The rest is the summary's own words: the names
    /// are replaced in it, so the two cannot say different things.
    pub fn summary_in_file(&self) -> Cow<'static, str> {
        let renames: &[(&str, &str)] =
            if self == &CREDENTIALS_FORM || self == &CREDENTIALS_NOT_SECRETSMANAGER {
                &[(
                    "`credentials`",
                    "`repositoryCredentials.credentialsParameter`",
                )]
            } else if self == &CREDENTIALS_ON_ECR_IMAGE {
                &[("`credentials`", "`repositoryCredentials`")]
            } else if self == &EXECUTION_ROLE_REQUIRED {
                &[
                    ("`credentials`", "`repositoryCredentials`"),
                    ("`execution_role`", "`executionRoleArn`"),
                ]
            } else if self == &CROSS_ACCOUNT_NEEDS_KMS_KEY {
                &[("declare `kms_key`", "give it to `check` with `--kms-key`")]
            } else if self == &KMS_KEY_ALIAS {
                &[("`kms_key`", "the key given with `--kms-key`")]
            } else if self == &DEPENDS_ON_UNKNOWN {
                &[("`depends_on`", "`dependsOn`")]
            } else if self == &PLAINTEXT_SECRET_IN_ENV {
                &[("use `secret`", "move it to `secrets`")]
            } else {
                &[]
            };
        let mut summary = Cow::Borrowed(self.summary);
        for (declared, in_file) in renames {
            summary = Cow::Owned(summary.replacen(declared, in_file, 1));
        }
        summary
    }

    /// [`Rule::help`] in a file's terms, for a catalogue of the rules that a file's findings
    /// refer to (SARIF's `rules`): the same fix, without the derive's attributes.
    pub fn help_in_file(&self) -> &'static str {
        let rule = self;
        if rule == &EXECUTION_ROLE_REQUIRED {
            "set the task's `executionRoleArn` to the role's name or ARN: ECS uses that role to fetch credentials, secrets and images and to write logs"
        } else if rule == &AWSLOGS_OPTIONS {
            AWSLOGS_IN_FILE
        } else if rule == &PLAINTEXT_SECRET_IN_ENV {
            "store it in Secrets Manager or SSM Parameter Store and move the variable from `environment` to `secrets`"
        } else if rule == &CREDENTIALS_ON_ECR_IMAGE {
            ECR_IN_FILE
        } else if rule == &DUPLICATE_ENV_NAME {
            DUPLICATE_IN_FILE
        } else if rule == &NO_ESSENTIAL_CONTAINER {
            ESSENTIAL_IN_FILE
        } else if rule == &FARGATE_NETWORK_MODE {
            NETWORK_MODE_IN_FILE
        } else if rule == &FARGATE_CPU_MEMORY {
            CPU_MEMORY_IN_FILE
        } else if rule == &REGION_UNKNOWN {
            REGION_IN_FILE
        } else if rule == &CROSS_ACCOUNT_NEEDS_KMS_KEY {
            KMS_IN_FILE
        } else if rule == &CREDENTIALS_PLATFORM_VERSION {
            "run the task on Fargate platform version 1.2.0 or later, or ECS agent 1.19.0 or later, and give it to `check` with `--platform-version` or `--agent-version`"
        } else if rule == &SECRETS_PLATFORM_VERSION {
            "run the task on a Fargate platform version or ECS agent version that supports what the container reads, and give it to `check` with `--platform-version` or `--agent-version`"
        } else {
            self.help
        }
    }
}

const AWSLOGS_IN_FILE: &str = "set the log group, its region and (on Fargate) a stream prefix in the container's `logConfiguration.options`, for example `\"awslogs-group\": \"/ecs/web\", \"awslogs-region\": \"us-east-1\", \"awslogs-stream-prefix\": \"web\"`";
const ECR_IN_FILE: &str =
    "ECS pulls ECR images with the execution role; remove `repositoryCredentials`";
const DUPLICATE_IN_FILE: &str =
    "each variable is set once: remove one of the entries, or change its `name`";
const ESSENTIAL_IN_FILE: &str = "mark the task's main container essential (`\"essential\": true`, or leave `essential` out: it defaults to true)";
const NETWORK_MODE_IN_FILE: &str = "set the task's `\"networkMode\": \"awsvpc\"`";
const CPU_MEMORY_IN_FILE: &str =
    "set the task's `cpu` and `memory`, for example `\"cpu\": \"256\", \"memory\": \"512\"`";
const REGION_IN_FILE: &str = "check the spelling; a region AWS opened after this ecsdef release is only a warning, which `check` passes";
const KMS_IN_FILE: &str = "encrypt the secret with a customer-managed KMS key shared with the role's account, and give it to `check`: `--kms-key arn:aws:kms:REGION:ACCOUNT:key/ID`";

/// The help of `d` in a file's terms, where it differs from the declaration's.
fn in_file(d: &Diagnostic) -> Option<String> {
    let rule = d.rule;
    let help = d.help.as_str();
    if rule == &EXECUTION_ROLE_REQUIRED {
        let why = help.strip_prefix(SET_EXECUTION_ROLE).unwrap_or(help);
        return Some(format!(
            "set the task's `executionRoleArn` to the role's name or ARN (`arn:aws:iam::ACCOUNT:role/NAME`): {why}"
        ));
    }
    if rule == &AWSLOGS_OPTIONS {
        return Some(AWSLOGS_IN_FILE.to_owned());
    }
    if rule == &PLAINTEXT_SECRET_IN_ENV {
        let move_it = "move the variable from `environment` to `secrets`, as `{\"name\": \"NAME\", \"valueFrom\": \"ARN\"}`";
        return Some(if d.silenceable {
            format!(
                "store the value in Secrets Manager or SSM Parameter Store and {move_it}; if the value is truly not secret, `cargo ecsdef import` declares the task in Rust, where the finding can be allowed"
            )
        } else {
            format!(
                "task definitions are readable by anyone who can describe them: store it in Secrets Manager and {move_it}"
            )
        });
    }
    if rule == &CREDENTIALS_ON_ECR_IMAGE {
        return Some(ECR_IN_FILE.to_owned());
    }
    if rule == &DUPLICATE_ENV_NAME {
        return Some(DUPLICATE_IN_FILE.to_owned());
    }
    if rule == &NO_ESSENTIAL_CONTAINER {
        return Some(ESSENTIAL_IN_FILE.to_owned());
    }
    if rule == &FARGATE_NETWORK_MODE {
        return Some(NETWORK_MODE_IN_FILE.to_owned());
    }
    if rule == &FARGATE_CPU_MEMORY && help.starts_with("set `cpu` and `memory`") {
        return Some(CPU_MEMORY_IN_FILE.to_owned());
    }
    if rule == &IMAGE_REFERENCE && help.starts_with("set `image`") {
        return Some("set `image`, for example `\"image\": \"ghcr.io/acme/web:1.4.2\"`".to_owned());
    }
    if rule == &REGION_UNKNOWN {
        return Some(REGION_IN_FILE.to_owned());
    }
    if rule == &CROSS_ACCOUNT_NEEDS_KMS_KEY {
        return Some(if help == AWS_MANAGED_KEY_HELP {
            "an AWS-managed key cannot be shared across accounts: encrypt the secret with a customer-managed key and give it to `check` with `--kms-key`".to_owned()
        } else {
            KMS_IN_FILE.to_owned()
        });
    }
    // A version or key of the context (`platform_version`, `agent_version`): a file cannot
    // hold it, `check` takes it as a flag.
    if let Location::Context { key, .. } = &d.location
        && let Some(rest) = help.strip_prefix("declare ")
    {
        return Some(format!(
            "run the task on {rest}, and give it to `check` with `--{}`",
            key.replace('_', "-")
        ));
    }
    None
}
