//! Containers declared in a crate of their own, as a service's sidecars would be: the UI tests
//! of `ecsdef-tests` put them into tasks to show that the task-scope rules (execution role,
//! memory, logs, ports, partitions, accounts, versions) hold across crates, where the task's
//! derive sees only the container's type.
//!
//! Each container is valid by itself; what is wrong is only wrong in the task that uses it.

// The structs exist for their derives; their fields are read by the services they model.
#![allow(dead_code)]

use ecsdef::Container;

/// The ecsdef crate under another path, for `#[ecs(crate = "...")]`.
pub use ecsdef as reexported_ecsdef;

/// Pulls from a private registry with `credentials`: needs an execution role.
#[derive(Debug, Container)]
#[ecs(
    image = "ghcr.io/acme/private:1.0.0",
    credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf"
)]
pub struct PrivateRegistry {}

/// Reads a whole Secrets Manager secret and an SSM parameter: needs an execution role.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/api:1.0.0")]
pub struct WithSecrets {
    #[ecs(secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/db-AbCdEf")]
    pub database_url: String,
    #[ecs(secret = "/api/prod/stripe-key")]
    pub stripe_key: String,
}

/// Reads one JSON key of a secret: needs Fargate 1.4.0 or agent 1.37.0.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/api:1.0.0")]
pub struct JsonKeySecret {
    #[ecs(
        secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/db-AbCdEf:password::"
    )]
    pub database_password: String,
}

/// A secret of account 210987654321 without a `kms_key`: wrong with a role of another account.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/api:1.0.0")]
pub struct CrossAccountSecret {
    #[ecs(secret = "arn:aws:secretsmanager:us-east-1:210987654321:secret:shared/db-AbCdEf")]
    pub database_url: String,
}

/// A secret in the `aws-us-gov` partition: wrong with a role in `aws`.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/api:1.0.0")]
pub struct GovCloudSecret {
    #[ecs(secret = "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf")]
    pub database_url: String,
}

/// A hard memory limit of 4 GiB: too much for a small task.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/batch:1.0.0", memory = 4096)]
pub struct LargeMemory {}

/// No health check: a `HEALTHY` dependency on it can never be met.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/worker:1.0.0")]
pub struct NoHealthCheck {}

/// With a health check.
#[derive(Debug, Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.0.0",
    health_check(command = "curl -fsS http://localhost:8080/health || exit 1")
)]
pub struct Healthy {}

/// `awslogs` without `stream_prefix`: fine on EC2, wrong on Fargate.
#[derive(Debug, Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.0.0",
    log(driver = "awslogs", group = "/ecs/web", region = "us-east-1")
)]
pub struct AwslogsWithoutPrefix {}

/// `awslogs` with everything Fargate needs: needs an execution role there.
#[derive(Debug, Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.0.0",
    log(
        driver = "awslogs",
        group = "/ecs/web",
        region = "us-east-1",
        stream_prefix = "web"
    )
)]
pub struct Awslogs {}

/// `syslog`: not a Fargate log driver.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/web:1.0.0", log(driver = "syslog"))]
pub struct Syslog {}

/// An image in Amazon ECR: on Fargate, pulled with the execution role.
#[derive(Debug, Container)]
#[ecs(image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0")]
pub struct EcrImage {}

/// Host port 80 for container port 8080: wrong in `awsvpc` and `host` modes.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/web:1.0.0", port(container = 8080, host = 80))]
pub struct RemappedPort {}

/// Declares its container name `app`.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/web:1.0.0", name = "app")]
pub struct NamedApp {}

/// Not essential: a task of only such containers has nothing that keeps it running.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/log-router:1.0.0", essential = false)]
pub struct Sidecar {}

/// Declared through the re-export, with `crate = "..."`.
#[derive(Debug, Container)]
#[ecs(
    crate = "crate::reexported_ecsdef",
    image = "ghcr.io/acme/reexported:1.0.0"
)]
pub struct ThroughReexport {}

/// Reads the SSM parameter `/shared/api-key` by name: resolved in the task's region.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/web:1.0.0")]
pub struct SsmByName {
    /// From SSM, by name.
    #[ecs(secret = "/shared/api-key")]
    pub api_key: String,
}

/// Reads the same parameter by ARN, in eu-west-1.
#[derive(Debug, Container)]
#[ecs(image = "ghcr.io/acme/worker:1.0.0")]
pub struct SsmInEuWest1 {
    /// From SSM, by ARN in another region.
    #[ecs(secret = "arn:aws:ssm:eu-west-1:123456789012:parameter/shared/api-key")]
    pub api_key: String,
}
