//! The example of DESIGN.md §2, compiled and checked.

#![allow(clippy::unwrap_used, dead_code, missing_debug_implementations)]
use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:${IMAGE_TAG}",
    credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf",
    port = 8080,
    memory_reservation = 256,
    health_check(
        command = "curl -fsS http://localhost:8080/health || exit 1",
        interval = 15
    ),
    log(
        driver = "awslogs",
        group = "/ecs/web",
        region = "us-east-1",
        stream_prefix = "web"
    )
)]
pub struct Web {
    #[ecs(env = 8080)]
    pub port: u16,
    #[ecs(env = "info")]
    pub rust_log: String,
    #[ecs(
        secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password::"
    )]
    pub database_password: String,
    #[ecs(secret = "/web/prod/stripe-key")]
    pub stripe_key: String,
    pub feature_flags: Option<String>,
}

#[derive(TaskDefinition)]
#[ecs(
    family = "web",
    fargate,
    cpu = 256,
    memory = 512,
    region = "us-east-1",
    execution_role = "arn:aws:iam::123456789012:role/web-execution",
    task_role = "arn:aws:iam::123456789012:role/web-task"
)]
pub struct WebTask {
    app: Web,
}

/// The example of DESIGN.md §2 declares what the design says it does.
#[test]
fn the_design_example_declares_what_the_design_says() {
    let definition = WebTask::task_definition();
    assert_eq!(definition.family, "web");
    assert_eq!(
        definition.network_mode,
        Some(ecsdef::model::NetworkMode::Awsvpc)
    );
    assert_eq!(
        (definition.cpu.as_deref(), definition.memory.as_deref()),
        (Some("256"), Some("512"))
    );
    let app = &definition.container_definitions[0];
    assert_eq!(app.name.as_deref(), Some("app"));
    assert_eq!(app.image.as_deref(), Some("ghcr.io/acme/web:${IMAGE_TAG}"));
    let environment: Vec<(&str, &str)> = app
        .environment
        .iter()
        .flatten()
        .map(|e| (e.name.as_deref().unwrap(), e.value.as_deref().unwrap()))
        .collect();
    assert_eq!(environment, [("PORT", "8080"), ("RUST_LOG", "info")]);
    let secrets: Vec<&str> = app
        .secrets
        .iter()
        .flatten()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(secrets, ["DATABASE_PASSWORD", "STRIPE_KEY"]);

    let diagnostics = WebTask::validate();
    assert!(!diagnostics.has_errors(), "{diagnostics}");

    // Secrets by ARN without their json-key field, the SSM name as an ARN in the task's
    // region, the credentials secret, the log group.
    let policy = WebTask::execution_role_policy_json().unwrap();
    for resource in [
        "\"arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf\"",
        "\"arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf\"",
        "\"arn:aws:ssm:us-east-1:123456789012:parameter/web/prod/stripe-key\"",
        "\"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:*\"",
    ] {
        assert!(
            policy.contains(resource),
            "{resource} missing from\n{policy}"
        );
    }
}
