use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    ec2, memory = 1024
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
    #[ecs(essential = false, depends_on(container = "ap"))]
    sidecar: ecsdef_test_containers::Sidecar,
}

fn main() {}
