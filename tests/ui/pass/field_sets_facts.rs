// What a task's field sets on its container (`essential`, `cpu`, `memory`,
// `memory_reservation`) is what the task's compile-time checks see, as `validate()` sees it:
// on its own, the container is not essential and has more memory than the task.
use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/batch:1.0.0",
    essential = false,
    cpu = 512,
    memory = 1024,
    memory_reservation = 512
)]
struct Batch {}

#[derive(TaskDefinition)]
#[ecs(ec2, cpu = 256, memory = 512)]
struct Jobs {
    #[ecs(essential = true, cpu = 128, memory = 256, memory_reservation = 128)]
    batch: Batch,
}

fn main() {
    let diagnostics = ecsdef::validate(&Jobs::task_definition(), &Jobs::context());
    assert!(diagnostics.is_empty(), "{diagnostics}");
    let batch = &Jobs::task_definition().container_definitions[0];
    assert_eq!(
        (batch.essential, batch.cpu, batch.memory, batch.memory_reservation),
        (Some(true), Some(128), Some(256), Some(128))
    );
}
