// A command list starts with `CMD` or `CMD-SHELL`.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    health_check(command = ["curl", "-f", "http://localhost/"])
)]
struct App {}

fn main() {}
