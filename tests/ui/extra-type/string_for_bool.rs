use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    extra = r#"{"privileged": "yes"}"#
)]
struct App {}

fn main() {}
