// A required field that nothing sets: the service would not start.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2"
)]
struct App {
    #[ecs(env = 8080)]
    port: u16,
    database_url: String,
}

fn main() {}
