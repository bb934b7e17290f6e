use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(
    ec2,
    extra = r#"{"placementConstraint": []}"#
)]
struct Web {
    app: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
