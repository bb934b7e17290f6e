use ecsdef::TaskDefinition;

// `aws:` starts only the tags AWS sets itself.
#[derive(TaskDefinition)]
#[ecs(ec2, tags("team" = "web", "aws:owner" = "platform"))]
struct Web {
    web: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
