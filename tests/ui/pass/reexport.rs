// `crate = "..."`: derives that reach ecsdef through another crate's re-export, on both
// levels, with a container of that other crate declared the same way, named through a type
// alias.
#![allow(dead_code)]

use ecsdef_test_containers::reexported_ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(
    crate = "ecsdef_test_containers::reexported_ecsdef",
    image = "ghcr.io/acme/web:1.0.0"
)]
struct Local {}

type Remote = ecsdef_test_containers::ThroughReexport;

#[derive(TaskDefinition)]
#[ecs(
    crate = "ecsdef_test_containers::reexported_ecsdef",
    ec2,
    memory = 1024
)]
pub struct Reexported {
    local: Local,
    remote: Remote,
}

fn main() {
    let task = Reexported::task_definition();
    let names: Vec<_> = task
        .container_definitions
        .iter()
        .map(|c| c.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["local", "remote"]);
    assert_eq!(
        task.container_definitions[1].image.as_deref(),
        Some("ghcr.io/acme/reexported:1.0.0")
    );
    assert_eq!(Reexported::execution_role_policy_json(), None);
}
