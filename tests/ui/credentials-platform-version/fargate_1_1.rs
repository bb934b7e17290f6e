// Private registry authentication needs Fargate 1.2.0.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512,
    execution_role = "arn:aws:iam::123456789012:role/web-execution",
    platform_version = "1.1.0"
)]
struct Web {
    app: ecsdef_test_containers::PrivateRegistry,
}

fn main() {}
