// CodePipeline's `<IMAGE1_NAME>` is not a value: the derive suggests `${IMAGE1_NAME}`.
use ecsdef::Container;

#[derive(Container)]
#[ecs(image = "<IMAGE1_NAME>")]
struct App {}

fn main() {}
