use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/web:1.4.2")]
enum App {
    Web,
}

#[derive(TaskDefinition)]
enum Task {
    One,
}

fn main() {}
