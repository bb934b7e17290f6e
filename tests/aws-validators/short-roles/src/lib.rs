//! A task with short role names, a secret by name and awslogs: see `Cargo.toml`.

use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(
    image = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/web:1.4.2",
    log(driver = "awslogs", group = "/ecs/web", region = "eu-west-2", stream_prefix = "web"),
)]
pub struct App {
    #[ecs(secret = "/web/db/host")]
    pub db_host: String,
}

#[derive(TaskDefinition)]
#[ecs(
    family = "web",
    fargate,
    cpu = 256,
    memory = 512,
    region = "eu-west-2",
    execution_role = "ecsTaskExecutionRole",
    task_role = "ecsTaskRole",
)]
pub struct Web {
    pub app: App,
}
