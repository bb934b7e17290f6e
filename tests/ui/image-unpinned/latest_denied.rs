// An image without a tag: a warning in `cargo build`, which `deny(warnings)` makes an error.
#![deny(warnings)]

use ecsdef::Container;

#[derive(Container)]
#[ecs(image = "nginx")]
struct Web;

fn main() {}
