// Registry credentials come from Secrets Manager only.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    credentials = "arn:aws:ssm:us-east-1:123456789012:parameter/ghcr-pull"
)]
struct App {}

fn main() {}
