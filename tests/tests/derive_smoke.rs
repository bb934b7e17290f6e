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

#[test]
fn smoke() {
    println!("{}", WebTask::to_json());
    println!("{}", WebTask::execution_role_policy_json().unwrap());
    println!("{}", WebTask::validate());
}
