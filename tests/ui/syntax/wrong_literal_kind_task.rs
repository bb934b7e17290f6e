use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    family = 1,
    ec2 = true,
    cpu = true
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
