// The container of another crate is named `app`, and so is the sidecar.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    ec2, memory = 1024
)]
struct Web {
    app: ecsdef_test_containers::NamedApp,
    #[ecs(name = "app")]
    sidecar: ecsdef_test_containers::Sidecar,
}

fn main() {}
