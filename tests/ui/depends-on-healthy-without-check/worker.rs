// `worker` (of another crate) has no health check.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    ec2, memory = 1024
)]
struct Web {
    worker: ecsdef_test_containers::NoHealthCheck,
    #[ecs(depends_on(container = "worker", condition = "HEALTHY"))]
    web: ecsdef_test_containers::Healthy,
}

fn main() {}
