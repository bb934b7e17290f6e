// Attribute mistakes and a task-attribute rule in one task: all reported together.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    famliy = "web",
    fargate,
    cpu = 256,
    memory = 4096,
    fargate,
    execution_role = "arn:aws:iam::123456789012:user/web",
)]
struct Web {
    #[ecs(essential = "no")]
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
