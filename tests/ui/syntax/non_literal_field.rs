use ecsdef::Container;

const PORT: u16 = 8080;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2"
)]
struct App {
    #[ecs(env = PORT)]
    port: u16,
}

fn main() {}
