// One container names `/shared/api-key` (resolved in the task's region, us-east-1), another
// references the same parameter by ARN in eu-west-1: the name resolves to the wrong region.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512,
    region = "us-east-1",
    execution_role = "arn:aws:iam::123456789012:role/web-execution"
)]
struct Web {
    app: ecsdef_test_containers::SsmByName,
    worker: ecsdef_test_containers::SsmInEuWest1,
}

fn main() {}
