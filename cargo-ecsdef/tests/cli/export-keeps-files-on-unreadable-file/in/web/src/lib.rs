use ecsdef::TaskDefinition;
use shop_sidecars::logging::FluentBit as LogRouter;
use shop_sidecars::mesh::*;

mod app;
mod notes;

#[derive(TaskDefinition)]
#[ecs(
    family = "web",
    fargate,
    cpu = 512,
    memory = 2048,
    region = "us-east-1",
    execution_role = "arn:aws:iam::123456789012:role/web-execution",
    task_role = "arn:aws:iam::123456789012:role/web-task"
)]
pub struct WebTask {
    app: app::Web,
    log_router: LogRouter,
    envoy: Envoy,
    xray: shop_sidecars::tracing::XRay,
}

#[cfg(feature = "worker")]
#[derive(TaskDefinition)]
#[ecs(
    family = "worker",
    fargate,
    cpu = 256,
    memory = 512,
    execution_role = "arn:aws:iam::123456789012:role/worker-execution"
)]
pub struct WorkerTask {
    worker: app::Worker,
}
