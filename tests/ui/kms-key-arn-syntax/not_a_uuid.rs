// A key id is a UUID or `mrk-...`.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    kms_key = "arn:aws:kms:us-east-1:123456789012:key/not-a-uuid"
)]
struct App {}

fn main() {}
