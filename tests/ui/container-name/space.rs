// Container names are `[A-Za-z0-9_-]`.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    name = "web app"
)]
struct App {}

fn main() {}
