// Placeholder names are SCREAMING_SNAKE_CASE.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    credentials = "arn:aws:secretsmanager:us-east-1:${account_id}:secret:ghcr-pull-AbCdEf"
)]
struct App {}

fn main() {}
