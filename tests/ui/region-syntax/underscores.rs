// A region is written with dashes.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512,
    region = "us_east_1"
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
