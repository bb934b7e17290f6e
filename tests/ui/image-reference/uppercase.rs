// Repository names are lowercase.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/Acme/web:1.4.2"
)]
struct App {}

fn main() {}
