// 0.25 vCPU takes at most 2 GB: the help lists what 256 allows.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 4096
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
