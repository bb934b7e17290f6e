// Nothing close: the help lists the keys.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    ec2,
    colour = "blue"
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
