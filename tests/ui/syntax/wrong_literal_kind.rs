// Each says which form it expected.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    memory = "512",
    essential = "yes",
    command = 1
)]
struct App {}

fn main() {}
