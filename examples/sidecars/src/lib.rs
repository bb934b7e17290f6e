//! Containers several services run next to their own: declared once here, used by the `api`
//! and `worker` tasks, checked with each of them.

use ecsdef::Container;

/// The FireLens log router: Fluent Bit, from Amazon ECR Public (no credentials needed), not
/// essential, so a crash of the router does not stop the service.
#[derive(Container, Debug)]
#[ecs(
    image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
    essential = false,
    memory_reservation = 50,
    user = "0",
    log(
        driver = "awslogs",
        group = "/ecs/firelens",
        region = "us-east-1",
        stream_prefix = "firelens"
    ),
    extra = r#"{"firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}}}"#
)]
pub struct FluentBit;
