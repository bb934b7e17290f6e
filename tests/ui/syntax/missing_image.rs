use ecsdef::Container;

#[derive(Container)]
#[ecs(
    port = 8080
)]
struct App {}

fn main() {}
