// interval 5-300, retries 1-10: both reported.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    health_check(command = "curl -f http://localhost/ || exit 1", interval = 4, retries = 11)
)]
struct App {}

fn main() {}
