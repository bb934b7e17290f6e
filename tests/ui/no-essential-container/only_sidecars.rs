use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    ec2, memory = 1024
)]
struct Web {
    router: ecsdef_test_containers::Sidecar,
    #[ecs(essential = false)]
    worker: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
