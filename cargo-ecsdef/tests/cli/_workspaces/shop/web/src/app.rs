use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4.2",
    port = 8080,
    health_check(command = "curl -fsS http://localhost:8080/health || exit 1", interval = 15),
    log(driver = "awslogs", group = "/ecs/web", region = "us-east-1", stream_prefix = "web")
)]
pub struct Web {
    #[ecs(env = 8080)]
    pub port: u16,
    #[ecs(env = "info")]
    pub rust_log: String,
    #[ecs(secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf")]
    pub database_url: String,
}

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/worker:latest", credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf")]
pub struct Worker;
