// Roles as ECS takes them: a short name (`taskRoleArn` is documented as "the short name or
// full Amazon Resource Name (ARN) of the IAM role"), or a whole-value placeholder, judged
// once `cargo ecsdef export` substitutes it. A secret that RDS manages is named `rds!...`.
#![deny(warnings)]
#![allow(dead_code)]

use ecsdef::{Container, TaskDefinition};

#[derive(Container)]
#[ecs(image = "ghcr.io/acme/web:1.4.2")]
struct App {
    #[ecs(secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-1a96bebc-86c1-4982-9f9f-7d6a651d2464-AbCdEf:password::")]
    database_password: String,
}

#[derive(TaskDefinition)]
#[ecs(
    family = "web",
    fargate,
    cpu = 256,
    memory = 512,
    region = "us-east-1",
    execution_role = "${EXECUTION_ROLE_ARN}",
    task_role = "ecsTaskRole",
)]
struct Web {
    app: App,
}

fn main() {
    let json = <Web as TaskDefinition>::to_json();
    assert!(json.contains("\"taskRoleArn\": \"ecsTaskRole\""), "{json}");
    assert!(json.contains("\"executionRoleArn\": \"${EXECUTION_ROLE_ARN}\""), "{json}");
}
