// A `const` is not a literal: the CLI reads source without compiling it.
use ecsdef::Container;

const IMAGE: &str = "ghcr.io/acme/web:1.4.2";

#[derive(Container)]
#[ecs(
    image = IMAGE
)]
struct App {}

fn main() {}
