// A secret name with `/` must be given as a full ARN.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    credentials = "team/ghcr-pull"
)]
struct App {}

fn main() {}
