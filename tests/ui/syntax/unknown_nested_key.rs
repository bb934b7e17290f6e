use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    health_check(command = "true", intervall = 10)
)]
struct App {}

fn main() {}
