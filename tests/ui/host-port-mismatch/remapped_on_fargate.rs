// Host port 80 for container port 8080, in `awsvpc` mode.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512
)]
struct Web {
    app: ecsdef_test_containers::RemappedPort,
}

fn main() {}
