//! Every rule of the catalogue, triggered by a mistake and left quiet by a close input that is
//! right. Each case starts from one valid Fargate task and changes one thing; the test asserts
//! the rule's name, level and location, and that the close input has no diagnostic of it.
//! `every_rule_has_a_case` fails when a rule is added without a case here.

// Tests unwrap freely: a panic is the failure report.
#![allow(clippy::unwrap_used)]

use ecsdef_model::rules::{
    self, ContainerContext, Context, FieldInfo, FieldType, FieldValue, Level, RULES,
};
use ecsdef_model::{TaskDefinition, from_json_strict};
use serde_json::{Value, json};

fn base() -> Value {
    json!({
        "family": "web",
        "executionRoleArn": "arn:aws:iam::123456789012:role/web-execution",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [
            {
                "name": "app",
                "image": "ghcr.io/acme/web:1.4.2",
                "repositoryCredentials": {
                    "credentialsParameter": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf"
                },
                "memory": 256,
                "portMappings": [{ "containerPort": 8080, "hostPort": 8080 }],
                "environment": [{ "name": "PORT", "value": "8080" }, { "name": "RUST_LOG", "value": "info" }],
                "secrets": [
                    { "name": "DATABASE_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password::" },
                    { "name": "STRIPE_KEY", "valueFrom": "/web/prod/stripe-key" }
                ],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": { "awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web" }
                },
                "healthCheck": { "command": ["CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1"], "interval": 15 }
            },
            {
                "name": "log_router",
                "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
                "essential": false,
                "dependsOn": [{ "containerName": "app", "condition": "HEALTHY" }]
            }
        ]
    })
}

fn base_context() -> Context {
    Context {
        region: Some("us-east-1".into()),
        platform_version: Some("1.4.0".into()),
        containers: vec![ContainerContext {
            fields: vec![
                field(
                    "port",
                    "PORT",
                    FieldType::U16,
                    FieldValue::Env("8080".into()),
                ),
                field(
                    "rust_log",
                    "RUST_LOG",
                    FieldType::String,
                    FieldValue::Env("info".into()),
                ),
            ],
            ..ContainerContext::default()
        }],
        ..Context::default()
    }
}

fn field(name: &str, variable: &str, ty: FieldType, value: FieldValue) -> FieldInfo {
    FieldInfo {
        name: name.into(),
        variable: variable.into(),
        ty,
        optional: false,
        value,
        allow: vec![],
    }
}

type Edit = fn(&mut Value, &mut Context);

struct Case {
    rule: &'static str,
    level: Level,
    /// The diagnostic's location, as `Location`'s Display writes it.
    at: &'static str,
    bad: Edit,
    good: Edit,
}

fn run(edit: Edit) -> rules::Diagnostics {
    let mut value = base();
    let mut cx = base_context();
    edit(&mut value, &mut cx);
    let td: TaskDefinition = from_json_strict(&value.to_string()).unwrap_or_else(|e| panic!("{e}"));
    rules::check(&td, &cx)
}

fn app(v: &mut Value) -> &mut Value {
    &mut v["containerDefinitions"][0]
}

fn creds(v: &mut Value, s: &str) {
    app(v)["repositoryCredentials"]["credentialsParameter"] = json!(s);
}

fn secret0(v: &mut Value, s: &str) {
    app(v)["secrets"][0]["valueFrom"] = json!(s);
}

const CREDS: &str = "containerDefinitions[0].repositoryCredentials.credentialsParameter";

fn cases() -> Vec<Case> {
    use Level::{Error, Warning};
    vec![
        // Private registry authentication.
        Case {
            rule: "credentials-form",
            level: Error,
            at: CREDS,
            bad: |v, _| creds(v, "team/ghcr-pull"),
            good: |v, _| creds(v, "team_ghcr-pull"),
        },
        Case {
            rule: "credentials-not-secretsmanager",
            level: Error,
            at: CREDS,
            bad: |v, _| creds(v, "arn:aws:ssm:us-east-1:123456789012:parameter/ghcr-pull"),
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf",
                );
            },
        },
        Case {
            rule: "secret-arn-syntax",
            level: Error,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:12345678901:secret:ghcr-pull-AbCdEf",
                );
            },
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:ghcr-pull-AbCdEf",
                );
            },
        },
        Case {
            rule: "secret-arn-partial",
            level: Warning,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull",
                );
            },
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-Ab12Cd",
                );
            },
        },
        Case {
            rule: "secret-name-suffix",
            level: Warning,
            at: CREDS,
            bad: |v, _| creds(v, "ghcr-pull-AbCdEf"),
            good: |v, _| creds(v, "ghcr-pull-AbCdE"),
        },
        Case {
            rule: "credentials-on-ecr-image",
            level: Error,
            at: CREDS,
            bad: |v, _| {
                app(v)["image"] = json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2");
            },
            good: |v, _| app(v)["image"] = json!("123456789012.dkr.example.com/web:1.4.2"),
        },
        Case {
            rule: "execution-role-required",
            level: Error,
            at: "containerDefinitions[0].repositoryCredentials",
            bad: |v, _| {
                v.as_object_mut().unwrap().remove("executionRoleArn");
            },
            good: |v, _| v["executionRoleArn"] = json!("arn:aws:iam::123456789012:role/other"),
        },
        Case {
            rule: "role-arn-syntax",
            level: Error,
            at: "executionRoleArn",
            bad: |v, _| {
                v["executionRoleArn"] =
                    json!("arn:aws:iam:us-east-1:123456789012:role/web-execution");
            },
            good: |v, _| {
                v["executionRoleArn"] =
                    json!("arn:aws:iam::123456789012:role/service/web-execution");
            },
        },
        Case {
            rule: "partition-mismatch",
            level: Error,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:ghcr-pull-AbCdEf",
                );
            },
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ghcr-pull-AbCdEf",
                );
            },
        },
        Case {
            rule: "cross-account-needs-kms-key",
            level: Error,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:210987654321:secret:ghcr-pull-AbCdEf",
                );
            },
            good: |v, cx| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:210987654321:secret:ghcr-pull-AbCdEf",
                );
                cx.containers[0].kms_key = Some(
                    "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                        .into(),
                );
            },
        },
        Case {
            rule: "credentials-platform-version",
            level: Error,
            at: "`platform_version`",
            bad: |_, cx| cx.platform_version = Some("1.1.0".into()),
            good: |v, cx| {
                cx.platform_version = Some("1.2.0".into());
                v["containerDefinitions"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("secrets");
            },
        },
        Case {
            rule: "kms-key-arn-syntax",
            level: Error,
            at: "containerDefinitions[0] (`kms_key`)",
            bad: |_, cx| {
                cx.containers[0].kms_key =
                    Some("arn:aws:kms:us-east-1:123456789012:key/not-a-uuid".into());
            },
            good: |_, cx| {
                cx.containers[0].kms_key = Some(
                    "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"
                        .into(),
                );
            },
        },
        Case {
            rule: "kms-key-alias",
            level: Warning,
            at: "containerDefinitions[0] (`kms_key`)",
            bad: |_, cx| {
                cx.containers[0].kms_key =
                    Some("arn:aws:kms:us-east-1:123456789012:alias/web-secrets".into());
            },
            good: |_, cx| {
                cx.containers[0].kms_key = Some(
                    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                        .into(),
                );
            },
        },
        Case {
            rule: "placeholder-syntax",
            level: Error,
            at: CREDS,
            bad: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:${account_id}:secret:ghcr-pull-AbCdEf",
                );
            },
            good: |v, _| {
                creds(
                    v,
                    "arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:ghcr-pull-AbCdEf",
                );
            },
        },
        Case {
            rule: "region-syntax",
            level: Error,
            at: "`region`",
            bad: |_, cx| cx.region = Some("us_east_1".into()),
            good: |_, cx| cx.region = Some("us-east-2".into()),
        },
        Case {
            rule: "region-unknown",
            level: Warning,
            at: "`region`",
            bad: |_, cx| cx.region = Some("us-middle-7".into()),
            good: |_, cx| cx.region = Some("ap-southeast-2".into()),
        },
        // Secrets and environment.
        Case {
            rule: "secret-value-from",
            level: Error,
            at: "containerDefinitions[0].secrets[0].valueFrom",
            bad: |v, _| {
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password:",
                );
            },
            good: |v, _| {
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password:AWSCURRENT:",
                );
            },
        },
        Case {
            rule: "ssm-cross-region-needs-arn",
            level: Error,
            at: "containerDefinitions[0].secrets[1].valueFrom",
            bad: |v, _| {
                secret0(
                    v,
                    "arn:aws:ssm:eu-west-1:123456789012:parameter/web/prod/stripe-key",
                );
            },
            good: |v, _| {
                secret0(
                    v,
                    "arn:aws:ssm:us-east-1:123456789012:parameter/web/prod/stripe-key",
                );
            },
        },
        Case {
            rule: "secrets-platform-version",
            level: Error,
            at: "`platform_version`",
            bad: |_, cx| cx.platform_version = Some("1.3.0".into()),
            good: |v, cx| {
                cx.platform_version = Some("1.3.0".into());
                secret0(
                    v,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf",
                );
            },
        },
        Case {
            rule: "missing-env-value",
            level: Error,
            at: "containerDefinitions[0] (field `feature_flags`)",
            bad: |_, cx| {
                cx.containers[0].fields.push(field(
                    "feature_flags",
                    "FEATURE_FLAGS",
                    FieldType::String,
                    FieldValue::None,
                ));
            },
            good: |_, cx| {
                let mut f = field(
                    "feature_flags",
                    "FEATURE_FLAGS",
                    FieldType::String,
                    FieldValue::None,
                );
                f.optional = true;
                cx.containers[0].fields.push(f);
            },
        },
        Case {
            rule: "env-value-type",
            level: Error,
            at: "containerDefinitions[0] (field `port`)",
            bad: |_, cx| cx.containers[0].fields[0].value = FieldValue::Env("80800".into()),
            good: |_, cx| cx.containers[0].fields[0].value = FieldValue::Env("65535".into()),
        },
        Case {
            rule: "plaintext-secret-in-env",
            level: Error,
            at: "containerDefinitions[0].environment[1].value",
            bad: |v, _| app(v)["environment"][1] = json!({"name": "API_TOKEN", "value": "hunter2"}),
            good: |v, _| app(v)["environment"][1] = json!({"name": "TOKEN_TTL", "value": "3600"}),
        },
        Case {
            rule: "duplicate-env-name",
            level: Error,
            at: "containerDefinitions[0].secrets[0].name",
            bad: |v, _| app(v)["secrets"][0]["name"] = json!("PORT"),
            good: |v, _| app(v)["secrets"][0]["name"] = json!("PORT_SECRET_NAME"),
        },
        // Task shape.
        Case {
            rule: "family-name",
            level: Error,
            at: "family",
            bad: |v, _| v["family"] = json!("web.prod"),
            good: |v, _| v["family"] = json!("web-prod_${STAGE}"),
        },
        Case {
            rule: "container-name",
            level: Error,
            at: "containerDefinitions[1].name",
            bad: |v, _| v["containerDefinitions"][1]["name"] = json!("app"),
            good: |v, _| v["containerDefinitions"][1]["name"] = json!("app2"),
        },
        Case {
            rule: "fargate-cpu-memory",
            level: Error,
            at: "memory",
            bad: |v, _| v["memory"] = json!("4096"),
            good: |v, _| v["memory"] = json!("2 GB"),
        },
        Case {
            rule: "fargate-network-mode",
            level: Error,
            at: "networkMode",
            bad: |v, _| v["networkMode"] = json!("bridge"),
            good: |v, _| v["requiresCompatibilities"] = json!(["EC2"]),
        },
        Case {
            rule: "host-port-mismatch",
            level: Error,
            at: "containerDefinitions[0].portMappings[0].hostPort",
            bad: |v, _| app(v)["portMappings"][0]["hostPort"] = json!(80),
            good: |v, _| {
                app(v)["portMappings"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("hostPort");
            },
        },
        Case {
            rule: "fargate-log-driver",
            level: Error,
            at: "containerDefinitions[0].logConfiguration.logDriver",
            bad: |v, _| app(v)["logConfiguration"] = json!({"logDriver": "json-file"}),
            good: |v, _| app(v)["logConfiguration"] = json!({"logDriver": "awsfirelens"}),
        },
        Case {
            rule: "awslogs-options",
            level: Error,
            at: "containerDefinitions[0].logConfiguration.options",
            bad: |v, _| {
                app(v)["logConfiguration"]["options"]
                    .as_object_mut()
                    .unwrap()
                    .remove("awslogs-stream-prefix");
            },
            good: |v, _| {
                v["requiresCompatibilities"] = json!(["EC2"]);
                app(v)["logConfiguration"]["options"]
                    .as_object_mut()
                    .unwrap()
                    .remove("awslogs-stream-prefix");
            },
        },
        Case {
            rule: "no-essential-container",
            level: Error,
            at: "containerDefinitions",
            bad: |v, _| app(v)["essential"] = json!(false),
            good: |v, _| app(v)["essential"] = json!(true),
        },
        Case {
            rule: "health-check-range",
            level: Error,
            at: "containerDefinitions[0].healthCheck.interval",
            bad: |v, _| app(v)["healthCheck"]["interval"] = json!(4),
            good: |v, _| app(v)["healthCheck"]["interval"] = json!(5),
        },
        Case {
            rule: "depends-on-unknown",
            level: Error,
            at: "containerDefinitions[1].dependsOn[0].containerName",
            bad: |v, _| v["containerDefinitions"][1]["dependsOn"][0]["containerName"] = json!("ap"),
            good: |v, _| {
                v["containerDefinitions"][1]["dependsOn"][0]["containerName"] = json!("app");
            },
        },
        Case {
            rule: "depends-on-healthy-without-check",
            level: Error,
            at: "containerDefinitions[1].dependsOn[0].condition",
            bad: |v, _| {
                app(v).as_object_mut().unwrap().remove("healthCheck");
            },
            good: |v, _| {
                app(v).as_object_mut().unwrap().remove("healthCheck");
                v["containerDefinitions"][1]["dependsOn"][0]["condition"] = json!("START");
            },
        },
        Case {
            rule: "container-memory-exceeds-task",
            level: Error,
            at: "containerDefinitions[0].memory",
            bad: |v, _| app(v)["memory"] = json!(513),
            good: |v, _| app(v)["memory"] = json!(512),
        },
        Case {
            rule: "image-reference",
            level: Error,
            at: "containerDefinitions[0].image",
            bad: |v, _| app(v)["image"] = json!("ghcr.io/Acme/web:1.4.2"),
            good: |v, _| {
                app(v)["image"] = json!(
                    "ghcr.io/acme/web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                );
            },
        },
        Case {
            rule: "image-unpinned",
            level: Warning,
            at: "containerDefinitions[0].image",
            bad: |v, _| app(v)["image"] = json!("ghcr.io/acme/web:latest"),
            good: |v, _| app(v)["image"] = json!("ghcr.io/acme/web:${IMAGE_TAG}"),
        },
    ]
}

#[test]
fn the_base_definition_is_clean() {
    let diagnostics = run(|_, _| {});
    assert!(diagnostics.is_empty(), "{diagnostics}");
}

#[test]
fn every_rule_fires_on_its_mistake_and_not_on_the_close_input() {
    for case in cases() {
        let bad = run(case.bad);
        let found: Vec<_> = bad.of_rule(case.rule).collect();
        assert!(
            !found.is_empty(),
            "{}: no diagnostic; got:\n{bad}",
            case.rule
        );
        let d = found[0];
        assert_eq!(d.level, case.level, "{}: level", case.rule);
        assert_eq!(d.location.to_string(), case.at, "{}: location", case.rule);
        assert!(
            !d.message.is_empty() && !d.help.is_empty(),
            "{}: message and help",
            case.rule
        );
        assert!(
            d.link().starts_with("https://docs.aws.amazon.com/"),
            "{}: link",
            case.rule
        );

        let good = run(case.good);
        assert_eq!(
            good.of_rule(case.rule).count(),
            0,
            "{}: fires on the close input:\n{good}",
            case.rule
        );
    }
}

/// `extra-unknown-key` and `extra-type` check `extra` JSON, which has its own entry point.
#[test]
fn extra_json_is_checked_against_the_model() {
    let at = rules::Location::Context {
        container: Some(0),
        key: "extra",
    };
    let d = rules::check_extra(
        &json!({"privileged": true, "ulimitz": []}),
        "ContainerDefinition",
        &at,
    );
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].rule.name, d[0].level),
        ("extra-unknown-key", Level::Error)
    );
    assert_eq!(
        d[0].message,
        "`extra` at `ulimitz`: unknown member `ulimitz` of ContainerDefinition"
    );
    assert_eq!(d[0].help, "did you mean `ulimits`?");

    let d = rules::check_extra(&json!({"privileged": "yes"}), "ContainerDefinition", &at);
    assert_eq!(
        (d[0].rule.name, d[0].message.as_str()),
        (
            "extra-type",
            "`extra` at `privileged`: expected a boolean, found a string"
        )
    );

    let ok = rules::check_extra(
        &json!({"privileged": true, "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}]}),
        "ContainerDefinition",
        &at,
    );
    assert!(ok.is_empty(), "{ok:?}");

    // A task's `extra` is merged into the task: it need not hold `family` or
    // `containerDefinitions`, but what it holds is complete.
    let task = rules::Location::Context {
        container: None,
        key: "extra",
    };
    let ok = rules::check_extra(
        &json!({"placementConstraints": [{"type": "memberOf"}]}),
        "RegisterTaskDefinitionRequest",
        &task,
    );
    assert!(ok.is_empty(), "{ok:?}");
    let d = rules::check_extra(
        &json!({"proxyConfiguration": {"type": "APPMESH"}}),
        "RegisterTaskDefinitionRequest",
        &task,
    );
    assert_eq!(
        d[0].message,
        "`extra` at `proxyConfiguration`: missing required member `containerName` of ProxyConfiguration"
    );
}

#[test]
fn every_rule_has_a_case() {
    let covered: Vec<&str> = cases()
        .iter()
        .map(|c| c.rule)
        .chain(["extra-unknown-key", "extra-type"])
        .collect();
    for rule in RULES {
        assert!(
            covered.contains(&rule.name),
            "rule `{}` has no test case",
            rule.name
        );
    }
}

#[test]
fn allow_silences_warnings_and_the_name_test_only() {
    // A warning, silenced on the container.
    let d = run(|v, cx| {
        app(v)["image"] = json!("ghcr.io/acme/web:latest");
        cx.containers[0].allow.push("image-unpinned".into());
    });
    assert_eq!(d.of_rule("image-unpinned").count(), 0);

    // The name test of plaintext-secret-in-env, silenced on the field.
    let d = run(|v, cx| {
        app(v)["environment"][1] =
            json!({"name": "SESSION_TOKEN", "value": "not-secret-placeholder"});
        let mut f = field(
            "session_token",
            "SESSION_TOKEN",
            FieldType::String,
            FieldValue::Env("not-secret-placeholder".into()),
        );
        f.allow.push("plaintext-secret-in-env".into());
        cx.containers[0].fields[1] = f;
    });
    assert_eq!(d.of_rule("plaintext-secret-in-env").count(), 0, "{d}");

    // An access key id is never silenced.
    let d = run(|v, cx| {
        app(v)["environment"][1] =
            json!({"name": "AWS_ACCESS_KEY_ID", "value": "AKIAIOSFODNN7EXAMPLE"});
        cx.allow.push("plaintext-secret-in-env".into());
    });
    assert_eq!(d.of_rule("plaintext-secret-in-env").count(), 1, "{d}");

    // An error cannot be silenced.
    let d = run(|v, cx| {
        v["family"] = json!("web.prod");
        cx.allow.push("family-name".into());
    });
    assert_eq!(d.of_rule("family-name").count(), 1);
}

#[test]
fn fargate_size_help_lists_valid_memories() {
    let d = run(|v, _| v["memory"] = json!("4096"));
    let d = d.of_rule("fargate-cpu-memory").next().unwrap();
    assert_eq!(
        d.help,
        "with cpu 256, memory (MiB) is one of 512, 1024, 2048"
    );
    let d = run(|v, _| {
        v["cpu"] = json!("8 vCPU");
        v["memory"] = json!("17 GB");
    });
    let d = d.of_rule("fargate-cpu-memory").next().unwrap();
    assert_eq!(
        d.help,
        "with cpu 8192, memory (MiB) is one of 16384 to 61440 in steps of 4096"
    );
}

#[test]
fn the_corpus_definitions_never_make_the_engine_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        if let Ok(load) = ecsdef_model::from_json_lenient(&std::fs::read_to_string(&path).unwrap())
        {
            let _ = rules::check(&load.definition, &Context::default());
        }
    }
}
