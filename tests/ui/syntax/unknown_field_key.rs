use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2"
)]
struct App {
    #[ecs(evn = "info")]
    rust_log: String,
}

fn main() {}
