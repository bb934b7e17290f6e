// Token-level mistakes: a missing `=`, a missing value, a missing key.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    memory 512,
    port = ,
    = 1
)]
struct App {}

fn main() {}
