//! The API service: its image on Docker Hub behind `credentials` given as a secret *name*
//! (resolved in the task's region), logs shipped by the shared FireLens router.

use ecsdef::{Container, TaskDefinition};
use ecsdef_example_sidecars::FluentBit;

/// What the API reads at start-up.
#[derive(Container, serde::Deserialize, Debug)]
#[ecs(
    image = "docker.io/acme/api:2.3.0",
    credentials = "dockerhub-pull",
    port(container = 9000, name = "http", app_protocol = "http"),
    cpu = 384,
    memory = 768,
    log(driver = "awsfirelens", options("Name" = "cloudwatch_logs", "region" = "us-east-1", "log_group_name" = "/ecs/api", "log_stream_prefix" = "api-")),
    health_check(command = ["CMD", "/usr/local/bin/api", "healthcheck"], interval = 10, timeout = 3, start_period = 20),
    env_prefix = "API_",
)]
pub struct Api {
    /// Port of the HTTP listener (`API_PORT`).
    #[ecs(env = 9000)]
    pub port: u16,
    /// Requests per second per client (`API_RATE_LIMIT`).
    #[ecs(env = 50.5)]
    pub rate_limit: f64,
    /// Signing key for sessions (`API_SESSION_KEY`).
    #[ecs(secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/session-key-Gh34Ij")]
    pub session_key: String,
    /// Read by the service only in development; it has its own default.
    #[ecs(skip)]
    #[serde(default)]
    pub dev_mode: bool,
}

/// The API's task: the API and its log router.
#[derive(TaskDefinition, Debug)]
#[ecs(
    family = "api",
    fargate,
    // The spelling of AWS's Fargate task-size table; cfn-lint (E3048) rejects "0.5 vCPU".
    cpu = ".5 vCPU",
    memory = "1 GB",
    region = "us-east-1",
    execution_role = "arn:aws:iam::123456789012:role/api-execution"
)]
pub struct ApiTask {
    /// The API; it starts once the router runs.
    #[ecs(depends_on(container = "log_router", condition = "START"))]
    pub app: Api,
    /// The shared FireLens router.
    pub log_router: FluentBit,
}
