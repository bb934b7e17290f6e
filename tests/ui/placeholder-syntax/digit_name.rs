// A placeholder name does not start with a digit.
use ecsdef::Container;

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/web:${1TAG}")]
struct App {}

fn main() {}
