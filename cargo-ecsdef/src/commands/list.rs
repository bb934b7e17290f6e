//! `cargo ecsdef list`: one line per task definition, as a table or as JSON lines.

use clap::Args;

use super::common::{Output, SUCCESS, Selection, table, with_analysis};
use crate::analysis::{Analysis, Task};
use crate::shell::Shell;

/// `cargo ecsdef list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub output: Output,
}

/// Runs `list`; returns the exit code.
pub fn exec(shell: &mut Shell, args: &ListArgs) -> u8 {
    with_analysis(shell, &args.selection, |shell, analysis| {
        list(shell, analysis);
        SUCCESS
    })
}

/// `(name, image, credentials parameter)` of each container of a task that assembled.
fn container_rows(task: &Task) -> Vec<(String, String, Option<String>)> {
    task.assembled
        .as_ref()
        .map(|(definition, _)| {
            definition
                .container_definitions
                .iter()
                .map(|c| {
                    (
                        c.name.clone().unwrap_or_default(),
                        c.image.clone().unwrap_or_default(),
                        c.repository_credentials
                            .as_ref()
                            .map(|r| r.credentials_parameter.clone()),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn list(shell: &Shell, analysis: &Analysis) {
    if shell.json() {
        for task in &analysis.tasks {
            let containers: Vec<serde_json::Value> = container_rows(task)
                .into_iter()
                .map(|(name, image, credentials)| {
                    serde_json::json!({"name": name, "image": image, "credentials": credentials})
                })
                .collect();
            let line = serde_json::json!({
                "reason": "task-definition",
                "package": task.package,
                "family": task.family,
                "struct": task.path,
                "file": shell.display_path(&task.file),
                "line": task.pos.line,
                "column": task.pos.column,
                "exportable": task.exportable().is_some(),
                "containers": containers,
            });
            shell.data(format_args!("{line}\n"));
        }
        return;
    }
    let mut rows = vec![[
        "PACKAGE".to_owned(),
        "FAMILY".to_owned(),
        "CONTAINERS".to_owned(),
        "IMAGES".to_owned(),
        "CREDENTIALS".to_owned(),
    ]];
    for task in &analysis.tasks {
        let containers = container_rows(task);
        let join = |values: Vec<String>| {
            if values.is_empty() {
                "-".to_owned()
            } else {
                values.join(", ")
            }
        };
        let family = if task.exportable().is_some() {
            task.family.clone()
        } else {
            format!("{} (errors)", task.family)
        };
        rows.push([
            task.package.clone(),
            family,
            join(containers.iter().map(|c| c.0.clone()).collect()),
            join(containers.iter().map(|c| c.1.clone()).collect()),
            join(containers.iter().filter_map(|c| c.2.clone()).collect()),
        ]);
    }
    shell.data(table(&rows));
}
