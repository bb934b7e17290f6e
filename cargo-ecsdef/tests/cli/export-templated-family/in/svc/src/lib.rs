use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/api:${IMAGE_TAG}")]
pub struct Api {
    #[ecs(secret = "${DB_SECRET}")]
    pub database_url: String,
    #[ecs(env = "${FROM_ENVIRONMENT}")]
    pub mode: String,
    #[ecs(env = "${LOG_LEVEL}")]
    pub log_level: String,
}

#[derive(TaskDefinition)]
#[ecs(
    family = "${FAM}",
    ec2,
    memory = 512,
    region = "eu-west-1",
    execution_role = "arn:aws:iam::123456789012:role/api-execution"
)]
pub struct ApiTask {
    api: Api,
}
