// `awslogs-region` is required everywhere.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    log(driver = "awslogs", group = "/ecs/web")
)]
struct App {}

fn main() {}
