// Warnings that `#[ecs(allow(...))]` silences, on the container and on a field, under
// `deny(warnings)`: they do not reach the build.
#![deny(warnings)]
#![allow(dead_code)]

use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "nginx",
    credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull",
    allow(image-unpinned, secret-arn-partial),
)]
struct Web {
    #[ecs(env = "arn:aws:kms:us-east-1:123456789012:alias/db")]
    key: String,
}

fn main() {}
