use ecsdef::Container;

#[derive(Container)]
#[ecs]
#[ecs = "ghcr.io/acme/web:1.4.2"]
struct App {}

fn main() {}
