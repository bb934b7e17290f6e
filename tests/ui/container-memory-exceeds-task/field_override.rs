// The task field's `memory` override is what counts.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    ec2,
    memory = 512
)]
struct Web {
    #[ecs(memory = 1024)]
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
