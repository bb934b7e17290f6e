// IAM ARNs have an empty region.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512,
    execution_role = "arn:aws:iam:us-east-1:123456789012:role/web-execution"
)]
struct Web {
    app: ecsdef_test_containers::PrivateRegistry,
}

fn main() {}
