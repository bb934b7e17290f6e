use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    family = "web app",
    fargate,
    cpu = 256,
    memory = 512
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
