// `env` literals must parse as the field's type, in `Option` too.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2"
)]
struct App {
    #[ecs(env = "eighty")]
    port: u16,
    #[ecs(env = 70000)]
    admin_port: Option<u16>,
}

fn main() {}
