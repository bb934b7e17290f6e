// The secret is in account 210987654321, the role in 123456789012, and no `kms_key`.
use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    fargate,
    cpu = 256,
    memory = 512,
    execution_role = "arn:aws:iam::123456789012:role/web-execution"
)]
struct Web {
    app: ecsdef_test_containers::CrossAccountSecret,
}

fn main() {}
