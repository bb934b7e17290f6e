// An ECR image on Fargate is pulled with the execution role.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512
)]
struct Web {
    app: ecsdef_test_containers::EcrImage,
}

fn main() {}
