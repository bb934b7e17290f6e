// A Fargate web service with a private registry, a customer-managed key, typed environment,
// both kinds of secret, a health check, awslogs and a log router: every container key but
// the EC2-only ones, and every task key a Fargate task takes.
#![allow(dead_code)]

use ecsdef::{Container, TaskDefinition};
use serde_json::{Value, json};

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:${IMAGE_TAG}",
    credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf",
    kms_key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    name = "web",
    essential = true,
    cpu = 512,
    memory = 1024,
    memory_reservation = 512,
    port(container = 8080, host = 8080, protocol = "tcp", name = "http", app_protocol = "http"),
    port = 9090,
    health_check(
        command = "curl -fsS http://localhost:8080/health || exit 1",
        interval = 15,
        timeout = 5,
        retries = 3,
        start_period = 10,
    ),
    log(
        driver = "awslogs",
        group = "/ecs/web",
        region = "us-east-1",
        stream_prefix = "web",
        create_group = true,
        mode = "non-blocking",
        options("max-buffer-size" = "25m"),
    ),
    command = ["serve", "--port", "8080"],
    entry_point = ["/usr/local/bin/web"],
    working_directory = "/srv",
    user = "1000:1000",
    stop_timeout = 30,
    start_timeout = 60,
    read_only_root_filesystem,
    init_process_enabled = true,
    labels("com.acme.team" = "web"),
    env_prefix = "WEB_",
    extra = r#"{"interactive": false}"#,
)]
struct Web {
    #[ecs(env = 8080)]
    port: u16,
    #[ecs(env = "info", rename = "RUST_LOG")]
    rust_log: String,
    #[ecs(
        secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password::"
    )]
    database_password: String,
    #[ecs(secret = "/web/prod/stripe-key")]
    stripe_key: String,
    #[ecs(skip)]
    workers: u32,
    // The name test would flag this; it is a public token URL, not a secret.
    #[ecs(env = "https://auth.example.com/token", allow(plaintext-secret-in-env))]
    public_token: String,
    feature_flags: Option<String>,
}

#[derive(Container)]
#[ecs(
    image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:latest",
    allow(image-unpinned),
    log(driver = "awslogs", group = "/ecs/web", region = "us-east-1", stream_prefix = "router"),
)]
struct LogRouter {}

#[derive(TaskDefinition)]
#[ecs(
    family = "web",
    fargate,
    cpu = "1 vCPU",
    memory = "2 GB",
    execution_role = "arn:aws:iam::123456789012:role/web-execution",
    task_role = "arn:aws:iam::123456789012:role/web-task",
    region = "us-east-1",
    platform_version = "1.4.0",
    runtime_platform(os = "LINUX", arch = "ARM64"),
    ephemeral_storage = 30,
    tags("team" = "web", "env" = "prod"),
    extra = r#"{"enableFaultInjection": false}"#,
    allow(region-unknown),
)]
pub struct WebTask {
    app: Web,
    #[ecs(
        name = "log_router",
        essential = false,
        cpu = 128,
        memory = 256,
        memory_reservation = 128,
        depends_on(container = "web", condition = "HEALTHY"),
        depends_on(container = "web"),
        allow(image-unpinned),
    )]
    router: LogRouter,
}

fn main() {
    let task: Value = serde_json::from_str(&WebTask::to_json()).unwrap();
    assert_eq!(task["family"], "web");
    assert_eq!(task["networkMode"], "awsvpc");
    assert_eq!(task["requiresCompatibilities"], json!(["FARGATE"]));
    assert_eq!(task["cpu"], "1 vCPU");
    assert_eq!(task["memory"], "2 GB");
    assert_eq!(
        task["runtimePlatform"],
        json!({"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"})
    );
    assert_eq!(task["ephemeralStorage"], json!({"sizeInGiB": 30}));
    assert_eq!(task["enableFaultInjection"], false);
    assert_eq!(task["tags"].as_array().unwrap().len(), 2);

    let web = &task["containerDefinitions"][0];
    assert_eq!(web["name"], "web");
    assert_eq!(web["image"], "ghcr.io/acme/web:${IMAGE_TAG}");
    assert_eq!(
        web["portMappings"][0],
        json!({"containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "name": "http", "appProtocol": "http"})
    );
    assert_eq!(web["portMappings"][1], json!({"containerPort": 9090}));
    assert_eq!(
        web["healthCheck"]["command"],
        json!([
            "CMD-SHELL",
            "curl -fsS http://localhost:8080/health || exit 1"
        ])
    );
    assert_eq!(web["healthCheck"]["startPeriod"], 10);
    assert_eq!(
        web["logConfiguration"]["options"]["awslogs-create-group"],
        "true"
    );
    assert_eq!(web["logConfiguration"]["options"]["max-buffer-size"], "25m");
    assert_eq!(web["linuxParameters"]["initProcessEnabled"], true);
    assert_eq!(web["readonlyRootFilesystem"], true);
    assert_eq!(web["interactive"], false);
    assert_eq!(web["dockerLabels"]["com.acme.team"], "web");
    let env: Vec<&str> = web["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    // `rename` is taken as written; `env_prefix` applies to the default names.
    assert_eq!(env, ["WEB_PORT", "RUST_LOG", "WEB_PUBLIC_TOKEN"]);
    assert_eq!(
        web["secrets"][1],
        json!({"name": "WEB_STRIPE_KEY", "valueFrom": "/web/prod/stripe-key"})
    );

    let router = &task["containerDefinitions"][1];
    assert_eq!(router["name"], "log_router");
    assert_eq!(router["essential"], false);
    assert_eq!(router["memoryReservation"], 128);
    assert_eq!(
        router["dependsOn"],
        json!([{"containerName": "web", "condition": "HEALTHY"}, {"containerName": "web", "condition": "START"}])
    );

    let policy = WebTask::execution_role_policy_json().unwrap();
    for grant in [
        "secretsmanager:GetSecretValue",
        "ssm:GetParameters",
        "kms:Decrypt",
        "logs:CreateLogGroup",
        "logs:PutLogEvents",
    ] {
        assert!(policy.contains(grant), "{grant} missing from {policy}");
    }
    assert!(!WebTask::validate().has_errors());
}
