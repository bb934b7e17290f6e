// Ten containers: as many as ECS registers in one task definition.
#![allow(dead_code)]

use ecsdef::TaskDefinition;
use serde_json::Value;

#[derive(TaskDefinition)]
#[ecs(ec2, memory = 2048)]
struct Full {
    web: ecsdef_test_containers::NoHealthCheck,
    a: ecsdef_test_containers::NoHealthCheck,
    b: ecsdef_test_containers::NoHealthCheck,
    c: ecsdef_test_containers::NoHealthCheck,
    d: ecsdef_test_containers::NoHealthCheck,
    e: ecsdef_test_containers::NoHealthCheck,
    f: ecsdef_test_containers::NoHealthCheck,
    g: ecsdef_test_containers::NoHealthCheck,
    h: ecsdef_test_containers::NoHealthCheck,
    i: ecsdef_test_containers::NoHealthCheck,
}

fn main() {
    let task: Value = serde_json::from_str(&Full::to_json()).unwrap();
    assert_eq!(task["containerDefinitions"].as_array().unwrap().len(), 10);
    assert!(!Full::validate().has_errors(), "{}", Full::validate());
}
