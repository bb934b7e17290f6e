// Another tool's placeholder in an image is one finding, not the image grammar's complaints.
use ecsdef::Container;

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/web:${image_tag}")]
struct App {}

fn main() {}
