// Only warnings and the name test of plaintext-secret-in-env can be allowed.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    allow(credentials-form)
)]
struct App {}

fn main() {}
