use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/web:1.4.2")]
struct App(String);

#[derive(TaskDefinition)]
#[ecs(ec2)]
struct Task(App);

fn main() {}
