// Spanned on the key, with the closest known key.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    imgae = "ghcr.io/acme/web:1.4.2"
)]
struct App {}

fn main() {}
