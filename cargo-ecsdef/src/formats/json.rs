//! `json`: the `RegisterTaskDefinition` input as `aws ecs register-task-definition
//! --cli-input-json` takes it, and the execution role's policy beside it.

use super::{FormatError, OutputFormat, Task};

/// `F.json` and, when the task has an execution role that needs any permission,
/// `F.execution-role-policy.json`: IAM refuses a policy without statements, so an empty one is
/// not written. The bytes are those of the derive's `to_json()` and
/// `execution_role_policy_json()`.
#[derive(Debug)]
pub(super) struct Json;

impl OutputFormat for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn help(&self) -> &'static str {
        "`F.json`, the `RegisterTaskDefinition` input, and `F.execution-role-policy.json`"
    }

    fn suffixes(&self) -> &'static [&'static str] {
        &[".json", ".execution-role-policy.json"]
    }

    fn render(&self, task: &Task<'_>) -> Result<Vec<(&'static str, String)>, FormatError> {
        let mut files = vec![(".json", task.json.to_owned())];
        if let Some(policy) = task.policy {
            files.push((".execution-role-policy.json", policy.to_json()));
        }
        Ok(files)
    }
}
