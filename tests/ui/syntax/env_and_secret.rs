use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2"
)]
struct App {
    #[ecs(env = "x", secret = "/web/x")]
    value: String,
}

fn main() {}
