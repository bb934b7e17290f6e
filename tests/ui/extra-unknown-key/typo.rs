// `extra` is checked against the model, with a suggestion.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2",
    extra = r#"{"privilegd": true}"#
)]
struct App {}

fn main() {}
