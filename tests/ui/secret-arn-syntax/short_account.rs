// An account id of 11 digits.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    credentials = "arn:aws:secretsmanager:us-east-1:12345678901:secret:ghcr-pull-AbCdEf"
)]
struct App {}

fn main() {}
