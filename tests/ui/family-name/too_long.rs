// A family ECS takes (255 characters at most) but too long to name its files:
// `F.execution-role-policy.json` would pass the 255-byte file-name limit.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    family = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    fargate,
    cpu = 256,
    memory = 512
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
