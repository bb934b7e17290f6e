use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    network_mode = "bridge",
    cpu = 256,
    memory = 512
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
