// A secret's json key needs Fargate 1.4.0.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512,
    execution_role = "arn:aws:iam::123456789012:role/web-execution",
    platform_version = "1.3.0"
)]
struct Web {
    app: ecsdef_test_containers::JsonKeySecret,
}

fn main() {}
