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
    #[ecs(env = "${AWS_SECRET_ACCESS_KEY}")]
    pub upload_key: String,
}

#[derive(TaskDefinition)]
#[ecs(
    family = "api",
    ec2,
    memory = 512,
    region = "eu-west-1",
    execution_role = "arn:aws:iam::123456789012:role/api-execution"
)]
pub struct ApiTask {
    api: Api,
}
