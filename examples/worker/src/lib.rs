//! The queue worker: an image in Amazon ECR (pulled with the execution role, no credentials),
//! the shared log router, a queue URL from SSM by ARN.

use ecsdef::{Container, TaskDefinition};
use ecsdef_example_sidecars::FluentBit;

/// What the worker reads at start-up.
#[derive(Container, serde::Deserialize, Debug)]
#[ecs(
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:3.1.0",
    memory = 900,
    command = ["worker", "--concurrency", "8"],
    read_only_root_filesystem = true,
    log(driver = "awsfirelens", options("Name" = "cloudwatch_logs", "region" = "us-east-1", "log_group_name" = "/ecs/worker", "log_stream_prefix" = "worker-")),
)]
pub struct Worker {
    /// The SQS queue to drain.
    #[ecs(secret = "arn:aws:ssm:us-east-1:123456789012:parameter/worker/prod/queue-url")]
    pub queue_url: String,
    /// Messages per receive call.
    #[ecs(env = 10, rename = "SQS_BATCH_SIZE")]
    pub batch_size: u8,
}

/// The worker's task.
#[derive(TaskDefinition, Debug)]
#[ecs(
    family = "worker",
    fargate,
    cpu = 512,
    memory = 1024,
    region = "us-east-1",
    execution_role = "arn:aws:iam::123456789012:role/worker-execution",
    ephemeral_storage = 40
)]
pub struct WorkerTask {
    /// The worker.
    pub worker: Worker,
    /// The shared FireLens router.
    pub log_router: FluentBit,
}
