// Five mistakes, five errors, one build.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2",
    credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf",
    health_check(command = "curl -f http://localhost/ || exit 1", interval = 400),
)]
struct App {
    #[ecs(env = "eighty")]
    port: u16,
    #[ecs(env = "hunter2")]
    database_password: String,
    api_url: String,
}

fn main() {}
