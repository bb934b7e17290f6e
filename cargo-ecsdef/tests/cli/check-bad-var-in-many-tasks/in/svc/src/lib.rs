//! One invalid `--var` value that two tasks use: one finding, naming both.
use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/api:${IMAGE_TAG}")]
pub struct Api {
    #[ecs(env = "8080")]
    pub port: u16,
}

#[derive(TaskDefinition)]
#[ecs(family = "api", ec2, memory = 512, region = "eu-west-1")]
pub struct ApiTask {
    api: Api,
}

#[derive(TaskDefinition)]
#[ecs(family = "api-canary", ec2, memory = 512, region = "eu-west-1")]
pub struct CanaryTask {
    api: Api,
}
