//! The web service's configuration, which is also its deployment: a single-container Fargate
//! task pulling its image from a private registry (GitHub's) with `credentials`, reading a
//! database password from Secrets Manager and an API key from SSM Parameter Store.

use ecsdef::{Container, TaskDefinition};

/// What the web service reads from its environment at start-up. Every field is a variable the
/// task definition sets: change one and the deployment changes with it.
#[derive(Container, serde::Deserialize, Debug)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf",
    port = 8080,
    memory_reservation = 256,
    health_check(
        command = "curl -fsS http://localhost:8080/health || exit 1",
        interval = 15,
        retries = 3
    ),
    log(
        driver = "awslogs",
        group = "/ecs/web",
        region = "us-east-1",
        stream_prefix = "web"
    ),
    stop_timeout = 20
)]
pub struct Web {
    /// The port the server binds.
    #[ecs(env = 8080)]
    pub port: u16,
    /// The log filter.
    #[ecs(env = "info,web=debug")]
    pub rust_log: String,
    /// Database connections per task.
    #[ecs(env = 16)]
    pub db_pool_size: u32,
    /// Whether `/metrics` is served.
    #[ecs(env = true)]
    pub enable_metrics: bool,
    /// The database password: the `password` key of a JSON secret.
    #[ecs(
        secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password::"
    )]
    pub database_password: String,
    /// The payment provider's key, from SSM in the task's region.
    #[ecs(secret = "/web/prod/stripe-key")]
    pub stripe_key: String,
    /// Optional: the task need not set it.
    pub feature_flags: Option<String>,
}

/// The web service's task definition.
#[derive(TaskDefinition, Debug)]
#[ecs(
    family = "web",
    fargate,
    cpu = 256,
    memory = 512,
    region = "us-east-1",
    platform_version = "1.4.0",
    execution_role = "arn:aws:iam::123456789012:role/web-execution",
    task_role = "arn:aws:iam::123456789012:role/web-task",
    runtime_platform(os = "LINUX", arch = "ARM64"),
    tags("service" = "web", "team" = "storefront"),
)]
pub struct WebTask {
    /// The only container.
    pub app: Web,
}
