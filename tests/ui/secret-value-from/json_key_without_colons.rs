// json-key, version-stage and version-id keep their colons.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2"
)]
struct App {
    #[ecs(secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password:")]
    database_password: String,
}

fn main() {}
