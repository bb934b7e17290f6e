// A lower-case `${name}` is envsubst's or Terraform's, not ecsdef's: the derive says what to write.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    credentials = "arn:aws:secretsmanager:us-east-1:${account_id}:secret:ghcr-pull-AbCdEf"
)]
struct App {}

fn main() {}
