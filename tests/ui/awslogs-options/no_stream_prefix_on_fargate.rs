// `awslogs-stream-prefix` is required on Fargate: the container (of another crate) has none.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512,
    execution_role = "arn:aws:iam::123456789012:role/web-execution"
)]
struct Web {
    app: ecsdef_test_containers::AwslogsWithoutPrefix,
}

fn main() {}
