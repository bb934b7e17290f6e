// A literal password, and an access key id under an innocent name.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2"
)]
struct App {
    #[ecs(env = "hunter2")]
    database_password: String,
    #[ecs(env = "AKIAIOSFODNN7EXAMPLE")]
    aws_key: String,
}

fn main() {}
