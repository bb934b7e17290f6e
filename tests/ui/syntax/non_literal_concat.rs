use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = concat!("ghcr.io/acme/web:", "1.4.2")
)]
struct App {}

fn main() {}
