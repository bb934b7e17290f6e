// Registry credentials by an ARN without its six-character suffix: a warning on the literal.
#![deny(warnings)]

use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull",
)]
struct Web;

fn main() {}
