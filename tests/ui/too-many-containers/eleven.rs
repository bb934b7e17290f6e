use ecsdef::TaskDefinition;

// ECS registers at most 10 containers in a task definition.
#[derive(TaskDefinition)]
#[ecs(ec2)]
struct Crowded {
    web: ecsdef_test_containers::NoHealthCheck,
    a: ecsdef_test_containers::NoHealthCheck,
    b: ecsdef_test_containers::NoHealthCheck,
    c: ecsdef_test_containers::NoHealthCheck,
    d: ecsdef_test_containers::NoHealthCheck,
    e: ecsdef_test_containers::NoHealthCheck,
    f: ecsdef_test_containers::NoHealthCheck,
    g: ecsdef_test_containers::NoHealthCheck,
    h: ecsdef_test_containers::NoHealthCheck,
    i: ecsdef_test_containers::NoHealthCheck,
    j: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
