// An EC2 task in `bridge` mode with a host volume: the keys only EC2 takes, and the container
// keys the Fargate case leaves out.
#![allow(dead_code)]

use ecsdef::{Container, TaskDefinition};
use serde_json::{Value, json};

#[derive(Container)]
#[ecs(
    image = "registry.example.com/acme/worker:2.0.1",
    memory = 512,
    port(container = 8080, host = 80),
    ulimit(name = "nofile", soft = 1024, hard = 4096),
    ulimit(name = "core", soft = 0, hard = 0),
    mount(source = "data", path = "/var/data", read_only = true),
    log(driver = "json-file", options("max-size" = "10m")),
)]
struct Worker {
    #[ecs(secret = "arn:aws:ssm:eu-west-1:123456789012:parameter/worker/token")]
    api_token: String,
    #[ecs(env = 2.5)]
    ratio: f64,
    #[ecs(env = true)]
    verbose: bool,
    #[ecs(env = 'x')]
    marker: char,
    #[ecs(env = -1)]
    offset: i32,
}

#[derive(TaskDefinition)]
#[ecs(
    external,
    ec2,
    network_mode = "bridge",
    memory = 1024,
    execution_role = "arn:aws:iam::123456789012:role/worker-execution",
    region = "eu-west-1",
    agent_version = "1.80.0",
    volume(name = "data", host_path = "/var/data"),
    volume(name = "scratch", configured_at_launch = false),
    pid_mode = "task",
    ipc_mode = "none"
)]
pub struct WorkerTask {
    worker: Worker,
}

fn main() {
    let task: Value = serde_json::from_str(&WorkerTask::to_json()).unwrap();
    assert_eq!(task["family"], "worker-task");
    assert_eq!(task["networkMode"], "bridge");
    // The launch types in the order written.
    assert_eq!(task["requiresCompatibilities"], json!(["EXTERNAL", "EC2"]));
    assert_eq!(task["pidMode"], "task");
    assert_eq!(task["ipcMode"], "none");
    assert_eq!(
        task["volumes"][0],
        json!({"name": "data", "host": {"sourcePath": "/var/data"}})
    );
    assert_eq!(
        task["volumes"][1],
        json!({"name": "scratch", "configuredAtLaunch": false})
    );
    let worker = &task["containerDefinitions"][0];
    assert_eq!(worker["name"], "worker");
    // bridge mode maps host port 80 to 8080.
    assert_eq!(
        worker["portMappings"][0],
        json!({"containerPort": 8080, "hostPort": 80})
    );
    assert_eq!(
        worker["ulimits"][1],
        json!({"name": "core", "softLimit": 0, "hardLimit": 0})
    );
    assert_eq!(
        worker["mountPoints"][0],
        json!({"sourceVolume": "data", "containerPath": "/var/data", "readOnly": true})
    );
    let env: Vec<(&str, &str)> = worker["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        env,
        [
            ("RATIO", "2.5"),
            ("VERBOSE", "true"),
            ("MARKER", "x"),
            ("OFFSET", "-1")
        ]
    );

    let policy: Value =
        serde_json::from_str(&WorkerTask::execution_role_policy_json().unwrap()).unwrap();
    let text = policy.to_string();
    assert!(
        text.contains("arn:aws:ssm:eu-west-1:123456789012:parameter/worker/token"),
        "{text}"
    );
    assert!(
        !text.contains("logs:"),
        "json-file needs no log grants: {text}"
    );
    assert!(!WorkerTask::validate().has_errors());
}
