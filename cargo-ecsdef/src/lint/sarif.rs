//! Findings as a SARIF 2.1.0 log, the format GitHub code scanning reads (as cfn-lint and
//! clippy-sarif write it): one run of the tool `ecsdef`, whose driver lists every rule of the
//! catalogue (with its summary, its help and its AWS documentation page), and one result per
//! finding, at its file's line and column. Paths are relative to the directory the log is
//! written for, with `/` separators, as code scanning resolves them against the checkout.

use std::borrow::Cow;
use std::path::Path;

use ecsdef_model::rules::{Level, RULES};
use serde_json::{Value, json};

use crate::analysis::Report;

/// The SARIF schema the log declares.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Rules the catalogue does not hold, which `check` reports about a file or a workspace.
const TOOL_RULES: &[(&str, &str)] = &[
    (
        super::SHAPE_RULE,
        "the file does not have the shape of AWS's RegisterTaskDefinition input",
    ),
    (
        super::SYNTAX_RULE,
        "the file cannot be read as JSON or YAML",
    ),
];

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}

/// Whose words the catalogue of rules speaks: a finding's message and help already speak its
/// input's, and the catalogue (which code scanning shows beside each result) must say the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terms {
    /// A workspace's declarations: the derive's attributes (`credentials`, `execution_role`).
    Declarations,
    /// Task-definition files: their members (`repositoryCredentials`, `executionRoleArn`) and
    /// `check`'s flags (`Rule::summary_in_file`, `Rule::help_in_file`).
    Files,
}

/// The log of `reports`, with the catalogue of rules in `terms`; `base` is the directory paths
/// are made relative to.
pub fn log(reports: &[&Report], base: &Path, terms: Terms) -> String {
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            let (summary, help) = match terms {
                Terms::Declarations => (Cow::Borrowed(rule.summary), rule.help),
                Terms::Files => (rule.summary_in_file(), rule.help_in_file()),
            };
            json!({
                "id": rule.name,
                "shortDescription": {"text": summary},
                "help": {"text": help},
                "helpUri": rule.link,
                "defaultConfiguration": {"level": level(rule.level)},
            })
        })
        .collect();
    let mut ids: Vec<String> = RULES.iter().map(|r| r.name.to_owned()).collect();
    for (id, summary) in TOOL_RULES {
        rules.push(json!({
            "id": id,
            "shortDescription": {"text": summary},
            "defaultConfiguration": {"level": "error"},
        }));
        ids.push((*id).to_owned());
    }
    // Discovery's own problems (`parse-failed`, ...), named as the human output names them.
    let mut others: Vec<&str> = reports
        .iter()
        .map(|r| r.rule.as_deref().unwrap_or("ecsdef"))
        .filter(|id| !ids.iter().any(|known| known == id))
        .collect();
    others.sort_unstable();
    others.dedup();
    for id in others {
        rules.push(json!({"id": id, "shortDescription": {"text": id}}));
        ids.push(id.to_owned());
    }
    let results: Vec<Value> = reports
        .iter()
        .map(|report| {
            let id = report.rule.as_deref().unwrap_or("ecsdef");
            let index = ids.iter().position(|known| known == id).unwrap_or(0);
            let mut text = report.message.clone();
            if let Some(help) = &report.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut result = json!({
                "ruleId": id,
                "ruleIndex": index,
                "level": level(report.level),
                "message": {"text": text},
            });
            if let Some(file) = &report.file {
                let uri = file
                    .strip_prefix(base)
                    .unwrap_or(file)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let mut physical = json!({"artifactLocation": {"uri": uri}});
                if let Some(pos) = report.pos {
                    let mut region = json!({
                        "startLine": pos.line,
                        "startColumn": pos.column,
                    });
                    if (pos.end_line, pos.end_column) > (pos.line, pos.column) {
                        region["endLine"] = pos.end_line.into();
                        region["endColumn"] = pos.end_column.into();
                    }
                    physical["region"] = region;
                }
                result["locations"] = json!([{"physicalLocation": physical}]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ecsdef",
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}
