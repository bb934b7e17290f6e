// A task region of the right form that ecsdef does not know: the task derive warns on it.
#![deny(warnings)]

use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512,
    region = "us-east-9"
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
