use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
    essential = false,
    memory_reservation = 50
)]
pub struct FluentBit;
