// A 4096 MiB container in a 512 MiB task.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512
)]
struct Web {
    batch: ecsdef_test_containers::LargeMemory,
}

fn main() {}
