use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/api:1.2.3")]
pub struct Api {
    #[ecs(secret = "api-db-host")]
    pub db_host: String,
    #[ecs(secret = "api-db-port")]
    pub db_port: String,
    #[ecs(secret = "api-db-user")]
    pub db_user: String,
    #[ecs(secret = "api-db-name")]
    pub db_name: String,
    #[ecs(secret = "api-cache-url")]
    pub cache_url: String,
    #[ecs(secret = "api-queue-url")]
    pub queue_url: String,
}

#[derive(TaskDefinition)]
#[ecs(family = "api", fargate, cpu = 256, memory = 512,
      execution_role = "arn:aws:iam::123456789012:role/api-execution")]
pub struct ApiTask {
    api: Api,
}
