use ecsdef::TaskDefinition;

#[derive(TaskDefinition)]
#[ecs(ec2)]
struct Task {}

fn main() {}
