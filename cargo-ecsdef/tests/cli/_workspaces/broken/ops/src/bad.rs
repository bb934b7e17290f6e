use ecsdef::Container;

#[derive(Container)]
#[ecs(image = "nginx:1.27"]
pub struct Unclosed;
