//! The examples' declarations, through the derives: each task's JSON and execution-role policy
//! equal the files committed under `deploy/` (which `cargo ecsdef export` writes from the same
//! source without compiling it), and the rule engine finds no error in them.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use ecsdef::TaskDefinition;

fn committed(file: &str) -> Option<String> {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../deploy")
            .join(file),
    )
    .ok()
}

fn check<T: TaskDefinition>() {
    let family = T::task_definition().family;
    let diagnostics = T::validate();
    assert!(!diagnostics.has_errors(), "{family}:\n{diagnostics}");
    assert_eq!(
        diagnostics.warnings().count(),
        0,
        "{family}:\n{diagnostics}"
    );

    let json = T::to_json();
    let expected = committed(&format!("{family}.json"));
    assert!(
        expected.as_deref() == Some(json.as_str()),
        "deploy/{family}.json differs from the declaration: run `cargo run -p cargo-ecsdef -- export` and review the diff\n{json}"
    );
    let policy = T::execution_role_policy_json();
    let expected = committed(&format!("{family}.execution-role-policy.json"));
    assert!(
        expected == policy,
        "deploy/{family}.execution-role-policy.json differs from the declaration\n{}",
        policy.unwrap_or_default()
    );
}

#[test]
fn web() {
    check::<ecsdef_example_web::WebTask>();
}

#[test]
fn api() {
    check::<ecsdef_example_api::ApiTask>();
}

#[test]
fn worker() {
    check::<ecsdef_example_worker::WorkerTask>();
}

#[test]
fn batch_report() {
    check::<ecsdef_example_batch::ReportTask>();
}

#[test]
fn the_web_service_reads_what_its_task_sets() {
    use ecsdef_example_web::{Web, WebTask};
    // The environment ECS gives the container: the task definition's variables, and the
    // secrets' values (stand-ins here).
    let definition = WebTask::task_definition();
    let container = &definition.container_definitions[0];
    let mut env: Vec<(String, String)> = container
        .environment
        .iter()
        .flatten()
        .map(|kv| (kv.name.clone().unwrap(), kv.value.clone().unwrap()))
        .collect();
    env.extend(
        container
            .secrets
            .iter()
            .flatten()
            .map(|s| (s.name.clone(), format!("<value of {}>", s.value_from))),
    );
    let web: Web =
        ecsdef::config_from(|name| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()))
            .unwrap();
    assert_eq!(web.port, 8080);
    assert_eq!(web.db_pool_size, 16);
    assert!(web.enable_metrics);
    assert_eq!(web.rust_log, "info,web=debug");
    assert!(
        web.database_password
            .starts_with("<value of arn:aws:secretsmanager:")
    );
    assert_eq!(web.feature_flags, None);
}
