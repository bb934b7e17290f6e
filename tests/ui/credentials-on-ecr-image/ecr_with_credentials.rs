// `credentials` kept after moving the image to Amazon ECR: the mistake the README shows.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2",
    credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf"
)]
struct App {}

fn main() {}
