// Two fields set the same variable.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2"
)]
struct App {
    #[ecs(env = 8080)]
    port: u16,
    #[ecs(env = 9090, rename = "PORT")]
    admin_port: u16,
}

fn main() {}
