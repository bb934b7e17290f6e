// A container of another crate reads secrets; the task has no execution role.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512
)]
struct Web {
    app: ecsdef_test_containers::WithSecrets,
}

fn main() {}
