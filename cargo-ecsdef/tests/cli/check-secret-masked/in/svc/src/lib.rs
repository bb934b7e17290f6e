//! Values named or shaped like secrets: each finding's snippet shows them masked, their
//! quotes and placeholders as written.

use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/api")]
pub struct Api {
    #[ecs(env = "hunter2-not-real")]
    pub db_password: String,
    #[ecs(env = r#"raw-"quoted"-not-real"#)]
    pub api_token: String,
    #[ecs(env = "AKIAIOSFODNN7EXAMPLE")]
    pub upload: String,
    #[ecs(env = "user-${DB_USER}-pass")]
    pub db_secret: String,
    #[ecs(env = "${AWS_SECRET_ACCESS_KEY}")]
    pub upload_key: String,
}

#[derive(TaskDefinition)]
#[ecs(family = "api", ec2, memory = 512)]
pub struct ApiTask {
    api: Api,
}
