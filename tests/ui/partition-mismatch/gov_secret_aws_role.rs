// A secret in aws-us-gov, an execution role in aws.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512,
    execution_role = "arn:aws:iam::123456789012:role/web-execution"
)]
struct Web {
    app: ecsdef_test_containers::GovCloudSecret,
}

fn main() {}
