//! A nightly report job on EC2 instances (`bridge` networking): its image in a private
//! registry whose pull credentials live in the platform team's account, encrypted with their
//! customer-managed KMS key; its settings in SSM Parameter Store.

use ecsdef::{Container, TaskDefinition};

/// What the report job reads at start-up.
#[derive(Container, serde::Deserialize, Debug)]
#[ecs(
    image = "registry.acme.internal:5000/batch/report:7.0.1",
    credentials = "arn:aws:secretsmanager:us-east-1:210987654321:secret:shared/registry-pull-Xy12Ab",
    kms_key = "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    cpu = 512,
    memory = 1536,
    port(container = 9102, host = 0, protocol = "tcp", name = "metrics"),
    ulimit(name = "nofile", soft = 4096, hard = 8192),
    mount(source = "scratch", path = "/var/scratch"),
    log(
        driver = "awslogs",
        group = "/ecs/batch-report",
        region = "us-east-1",
        stream_prefix = "report",
        create_group = true
    )
)]
pub struct Report {
    /// The warehouse connection string, from SSM by name.
    #[ecs(secret = "/batch/prod/warehouse-url")]
    pub warehouse_url: String,
    /// The mail relay token, from SSM by ARN.
    #[ecs(secret = "arn:aws:ssm:us-east-1:123456789012:parameter/batch/prod/mail-token")]
    pub mail_token: String,
    /// The day to report on; the job defaults to yesterday.
    pub report_date: Option<String>,
}

/// The report job's task.
#[derive(TaskDefinition, Debug)]
#[ecs(
    family = "batch-report",
    ec2,
    network_mode = "bridge",
    memory = 2048,
    region = "us-east-1",
    agent_version = "1.80.0",
    execution_role = "arn:aws:iam::123456789012:role/batch-execution",
    volume(name = "scratch", host_path = "/mnt/scratch")
)]
pub struct ReportTask {
    /// The job.
    pub report: Report,
}
