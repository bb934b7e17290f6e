// Reported at the second occurrence.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    memory = 512,
    image = "ghcr.io/acme/web:1.4.3"
)]
struct App {}

fn main() {}
