// A malformed placeholder in an image is the same `placeholder-syntax` error as anywhere else.
use ecsdef::Container;

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/web:${image_tag}")]
struct App {}

fn main() {}
