use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    allow(image-unpined)
)]
struct App {}

fn main() {}
