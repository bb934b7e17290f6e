use ecsdef::TaskDefinition;

// On EC2, a task without `memory` needs a limit on each container.
#[derive(TaskDefinition)]
#[ecs(ec2)]
struct Worker {
    worker: ecsdef_test_containers::NoHealthCheck,
}

// A field may set the limits; the hard one is never below the reservation.
#[derive(TaskDefinition)]
#[ecs(ec2, memory = 1024)]
struct Batch {
    #[ecs(memory = 128, memory_reservation = 256)]
    batch: ecsdef_test_containers::NoHealthCheck,
}

fn main() {}
