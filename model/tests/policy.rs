//! The execution-role policy: each test builds a task from JSON and asserts the exact bytes of
//! the document (or the exact error) that `execution_role_policy` derives from it.

use ecsdef_model::policy::{
    PolicyDocument, PolicyError, PolicyOutcome, Statement, execution_role_policy,
    execution_role_policy_outcome,
};
use ecsdef_model::rules::{ContainerContext, Context};
use ecsdef_model::{TaskDefinition, from_json_strict};
use serde_json::{Value, json};

const ROLE: &str = "arn:aws:iam::111122223333:role/web-execution";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ghcr-pull-AbCdEf";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// A task with the execution role `ROLE` and these containers.
fn task(containers: &Value) -> TaskDefinition {
    task_with_role(Some(ROLE), containers)
}

fn task_with_role(role: Option<&str>, containers: &Value) -> TaskDefinition {
    let mut value = json!({ "family": "web", "containerDefinitions": containers });
    if let Some(role) = role {
        value["executionRoleArn"] = json!(role);
    }
    from_json_strict(&value.to_string()).expect("test task parses")
}

fn context(region: Option<&str>) -> Context {
    Context {
        region: region.map(str::to_owned),
        ..Context::default()
    }
}

fn with_kms_keys(mut context: Context, keys: &[Option<&str>]) -> Context {
    context.containers = keys
        .iter()
        .map(|k| ContainerContext {
            kms_key: k.map(str::to_owned),
            ..ContainerContext::default()
        })
        .collect();
    context
}

fn policy(definition: &TaskDefinition, context: &Context) -> PolicyDocument {
    let document = execution_role_policy(definition, context)
        .expect("policy derives")
        .expect("task has an execution role");
    let outcome = if document.is_empty() {
        PolicyOutcome::Empty
    } else {
        PolicyOutcome::Grants
    };
    assert_eq!(
        execution_role_policy_outcome(definition, context),
        Ok(outcome)
    );
    document
}

fn policy_json(definition: &TaskDefinition, context: &Context) -> String {
    policy(definition, context).to_json()
}

fn error(definition: &TaskDefinition, context: &Context) -> PolicyError {
    let error = execution_role_policy(definition, context).expect_err("policy fails");
    assert_eq!(
        execution_role_policy_outcome(definition, context),
        Err(error.clone())
    );
    error
}

fn web(extra: &Value) -> Value {
    let mut container = json!({ "name": "web", "image": "ghcr.io/acme/web:1.4.2" });
    if let (Some(c), Some(e)) = (container.as_object_mut(), extra.as_object()) {
        c.extend(e.clone());
    }
    container
}

#[test]
fn no_execution_role_gives_no_policy() {
    let definition = task_with_role(
        None,
        &json!([web(
            &json!({ "secrets": [{ "name": "DB", "valueFrom": "/web/db" }] })
        )]),
    );
    assert_eq!(execution_role_policy(&definition, &context(None)), Ok(None));
    assert_eq!(
        execution_role_policy_outcome(&definition, &context(None)),
        Ok(PolicyOutcome::NoRole)
    );
}

#[test]
fn complete_secret_arn_is_used_as_is() {
    let definition = task(&json!([web(&json!({
        "repositoryCredentials": { "credentialsParameter": SECRET }
    }))]));
    assert_eq!(
        policy_json(&definition, &context(None)),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSecrets",
      "Effect": "Allow",
      "Action": [
        "secretsmanager:GetSecretValue"
      ],
      "Resource": [
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:ghcr-pull-AbCdEf"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn json_key_and_version_fields_are_stripped() {
    let definition = task(&json!([web(&json!({
        "secrets": [
            { "name": "DB_PASSWORD", "valueFrom": format!("{SECRET}:password::") },
            { "name": "DB_OLD", "valueFrom": format!("{SECRET}::AWSPREVIOUS:") }
        ]
    }))]));
    assert_eq!(
        policy_json(&definition, &context(None)),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSecrets",
      "Effect": "Allow",
      "Action": [
        "secretsmanager:GetSecretValue"
      ],
      "Resource": [
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:ghcr-pull-AbCdEf"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn partial_secret_arn_matches_six_characters() {
    let definition = task(&json!([web(&json!({
        "secrets": [{
            "name": "DB",
            "valueFrom": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db:password::"
        }]
    }))]));
    // A partial ARN carries its own region: none needs declaring.
    assert_eq!(
        policy_json(&definition, &context(None)),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSecrets",
      "Effect": "Allow",
      "Action": [
        "secretsmanager:GetSecretValue"
      ],
      "Resource": [
        "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-??????"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn secret_name_resolves_in_the_task_region_and_role_account() {
    let definition = task_with_role(
        Some("arn:aws-us-gov:iam::444455556666:role/exec"),
        &json!([web(&json!({
            "repositoryCredentials": { "credentialsParameter": "dockerhub_creds" }
        }))]),
    );
    assert_eq!(
        policy_json(&definition, &context(Some("us-gov-west-1"))),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSecrets",
      "Effect": "Allow",
      "Action": [
        "secretsmanager:GetSecretValue"
      ],
      "Resource": [
        "arn:aws-us-gov:secretsmanager:us-gov-west-1:444455556666:secret:dockerhub_creds-??????"
      ]
    }
  ]
}
"#
    );
}

/// A role given by its short name is in the account that registers the task, which the
/// definition does not say: names and log groups have `*` for the account, and the partition
/// of their region.
#[test]
fn a_short_role_name_gives_resources_in_any_account() {
    let definition = task_with_role(
        Some("ecsTaskExecutionRole"),
        &json!([web(&json!({
            "secrets": [{ "name": "DB_HOST", "valueFrom": "/web/db/host" }],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": { "awslogs-group": "/ecs/web", "awslogs-region": "eu-west-2" }
            }
        }))]),
    );
    let json = policy_json(&definition, &context(Some("eu-west-2")));
    assert!(
        json.contains("\"arn:aws:ssm:eu-west-2:*:parameter/web/db/host\""),
        "{json}"
    );
    assert!(
        json.contains("\"arn:aws:logs:eu-west-2:*:log-group:/ecs/web:*\""),
        "{json}"
    );
}

#[test]
fn names_without_a_region_are_errors_listing_each_value() {
    let definition = task(&json!([
        web(&json!({ "repositoryCredentials": { "credentialsParameter": "dockerhub_creds" } })),
        {
            "name": "worker",
            "image": "ghcr.io/acme/worker:1",
            "secrets": [
                { "name": "OK", "valueFrom": SECRET },
                { "name": "STRIPE", "valueFrom": "/web/prod/stripe-key" }
            ]
        }
    ]));
    let e = error(&definition, &context(None));
    assert_eq!(
        e.to_string(),
        "error: container `web` names the secret `dockerhub_creds` without its ARN, and the task \
         declares no `region` to resolve the name in at \
         containerDefinitions[0].repositoryCredentials.credentialsParameter\n  \
         = help: declare the task's `region` (ECS looks the secret up by name in the region the \
         task runs in), or give the secret's full ARN\n\
         error: container `worker` names the SSM parameter `/web/prod/stripe-key` without its ARN, \
         and the task declares no `region` to resolve the name in at \
         containerDefinitions[1].secrets[1].valueFrom\n  \
         = help: declare the task's `region` (ECS looks the SSM parameter up by name in the region \
         the task runs in), or give the SSM parameter's full ARN"
    );
    let second = &e.problems[1];
    assert_eq!(second.container, 1);
    assert_eq!(second.container_name.as_deref(), Some("worker"));
    assert_eq!(second.path, "containerDefinitions[1].secrets[1].valueFrom");
    assert_eq!(second.value, "/web/prod/stripe-key");
}

/// A grant does not settle the outcome while a later name may fail: the outcome reads on to
/// the second container's name, as the document does.
#[test]
fn a_name_after_a_grant_still_fails_without_a_region() {
    let definition = task(&json!([
        web(&json!({ "repositoryCredentials": { "credentialsParameter": SECRET } })),
        {
            "name": "worker",
            "image": "ghcr.io/acme/worker:1",
            "secrets": [{ "name": "STRIPE", "valueFrom": "/web/prod/stripe-key" }]
        }
    ]));
    let e = error(&definition, &context(None));
    assert_eq!(e.problems.len(), 1);
    assert_eq!(
        e.problems[0].path,
        "containerDefinitions[1].secrets[0].valueFrom"
    );
    // With the region, the name resolves and the first grant settles the outcome.
    assert!(!policy(&definition, &context(Some("us-east-1"))).is_empty());
}

#[test]
fn ssm_parameter_names_and_arns() {
    let definition = task(&json!([web(&json!({
        "secrets": [
            { "name": "STRIPE", "valueFrom": "/web/prod/stripe-key" },
            { "name": "TOKEN", "valueFrom": "token" },
            { "name": "OTHER", "valueFrom": "arn:aws:ssm:eu-west-1:777788889999:parameter/shared/x" }
        ],
        "logConfiguration": {
            "logDriver": "splunk",
            "options": { "splunk-url": "https://splunk.example.com" },
            "secretOptions": [{ "name": "splunk-token", "valueFrom": "/splunk/token" }]
        }
    }))]));
    assert_eq!(
        policy_json(&definition, &context(Some("us-east-1"))),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSsmParameters",
      "Effect": "Allow",
      "Action": [
        "ssm:GetParameters"
      ],
      "Resource": [
        "arn:aws:ssm:eu-west-1:777788889999:parameter/shared/x",
        "arn:aws:ssm:us-east-1:111122223333:parameter/splunk/token",
        "arn:aws:ssm:us-east-1:111122223333:parameter/token",
        "arn:aws:ssm:us-east-1:111122223333:parameter/web/prod/stripe-key"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn kms_key_of_a_container_with_secrets() {
    let definition = task(&json!([
        web(&json!({ "secrets": [{ "name": "DB", "valueFrom": SECRET }] })),
        // A declared key on a container without credentials or secrets decrypts nothing.
        { "name": "sidecar", "image": "ghcr.io/acme/sidecar:1" }
    ]));
    let other_key = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    let context = with_kms_keys(context(None), &[Some(KEY), Some(other_key)]);
    assert_eq!(
        policy_json(&definition, &context),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DecryptSecrets",
      "Effect": "Allow",
      "Action": [
        "kms:Decrypt"
      ],
      "Resource": [
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      ]
    },
    {
      "Sid": "ReadSecrets",
      "Effect": "Allow",
      "Action": [
        "secretsmanager:GetSecretValue"
      ],
      "Resource": [
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:ghcr-pull-AbCdEf"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn cross_account_secret_keeps_its_account_and_gets_the_key() {
    let secret = "arn:aws:secretsmanager:us-east-1:999988887777:secret:shared/ghcr-AbCdEf";
    let key = "arn:aws:kms:us-east-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let definition = task(&json!([web(&json!({
        "repositoryCredentials": { "credentialsParameter": secret }
    }))]));
    let context = with_kms_keys(context(Some("us-east-1")), &[Some(key)]);
    assert_eq!(
        policy_json(&definition, &context),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DecryptSecrets",
      "Effect": "Allow",
      "Action": [
        "kms:Decrypt"
      ],
      "Resource": [
        "arn:aws:kms:us-east-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      ]
    },
    {
      "Sid": "ReadSecrets",
      "Effect": "Allow",
      "Action": [
        "secretsmanager:GetSecretValue"
      ],
      "Resource": [
        "arn:aws:secretsmanager:us-east-1:999988887777:secret:shared/ghcr-AbCdEf"
      ]
    }
  ]
}
"#
    );
}

fn awslogs(group: &str, create: Option<&str>) -> Value {
    let mut options = json!({
        "awslogs-group": group,
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "web"
    });
    if let Some(create) = create {
        options["awslogs-create-group"] = json!(create);
    }
    json!({ "logConfiguration": { "logDriver": "awslogs", "options": options } })
}

#[test]
fn awslogs_group_without_create_group() {
    let definition = task(&json!([web(&awslogs("/ecs/web", Some("false")))]));
    assert_eq!(
        policy_json(&definition, &context(Some("us-east-1"))),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "WriteLogs",
      "Effect": "Allow",
      "Action": [
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": [
        "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web:*"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn awslogs_group_with_create_group() {
    let definition = task(&json!([
        web(&awslogs("/ecs/web", Some("true"))),
        {
            "name": "worker",
            "image": "ghcr.io/acme/worker:1",
            "logConfiguration": awslogs("/ecs/worker", None)["logConfiguration"]
        }
    ]));
    assert_eq!(
        policy_json(&definition, &context(None)),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "CreateLogGroupsAndWriteLogs",
      "Effect": "Allow",
      "Action": [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": [
        "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web:*"
      ]
    },
    {
      "Sid": "WriteLogs",
      "Effect": "Allow",
      "Action": [
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": [
        "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/worker:*"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn create_group_reads_booleans_as_docker_does() {
    for value in ["True", "1"] {
        let definition = task(&json!([web(&awslogs("/ecs/web", Some(value)))]));
        let document = policy(&definition, &context(None));
        assert_eq!(
            document.statements()[0].actions(),
            [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents"
            ],
            "{value}"
        );
    }
    let definition = task(&json!([web(&awslogs("/ecs/web", Some("yes")))]));
    assert_eq!(
        policy(&definition, &context(None)).statements()[0].actions(),
        ["logs:CreateLogStream", "logs:PutLogEvents"]
    );
}

#[test]
fn a_log_group_name_that_would_widen_the_grant_is_skipped() {
    let definition = task(&json!([web(&awslogs("/ecs/*", Some("true")))]));
    assert!(policy(&definition, &context(None)).is_empty());
}

#[test]
fn ecr_repository_and_nothing_for_ghcr() {
    let definition = task(&json!([
        { "name": "web", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/web:${IMAGE_TAG}" },
        { "name": "public", "image": "ghcr.io/acme/sidecar:1" }
    ]));
    assert_eq!(
        policy_json(&definition, &context(None)),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PullEcrImages",
      "Effect": "Allow",
      "Action": [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer"
      ],
      "Resource": [
        "arn:aws:ecr:us-east-1:111122223333:repository/acme/web"
      ]
    },
    {
      "Sid": "GetEcrAuthorizationToken",
      "Effect": "Allow",
      "Action": [
        "ecr:GetAuthorizationToken"
      ],
      "Resource": [
        "*"
      ]
    }
  ]
}
"#
    );

    let ghcr_only = task(&json!([web(&json!({}))]));
    assert_eq!(
        policy_json(&ghcr_only, &context(None)),
        r#"{
  "Version": "2012-10-17",
  "Statement": []
}
"#
    );
    assert!(policy(&ghcr_only, &context(None)).is_empty());
}

#[test]
fn placeholders_stay_in_resources() {
    let definition = task_with_role(
        Some("arn:aws:iam::${ACCOUNT_ID}:role/exec"),
        &json!([web(&json!({
            "repositoryCredentials": { "credentialsParameter": "${CREDS_NAME}" },
            "secrets": [{
                "name": "DB",
                "valueFrom": "arn:aws:secretsmanager:${AWS_REGION}:${ACCOUNT_ID}:secret:${DB_SECRET}"
            }]
        }))]),
    );
    assert_eq!(
        policy_json(&definition, &context(Some("${AWS_REGION}"))),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSecrets",
      "Effect": "Allow",
      "Action": [
        "secretsmanager:GetSecretValue"
      ],
      "Resource": [
        "arn:aws:secretsmanager:${AWS_REGION}:${ACCOUNT_ID}:secret:${CREDS_NAME}-??????",
        "arn:aws:secretsmanager:${AWS_REGION}:${ACCOUNT_ID}:secret:${DB_SECRET}-??????"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn containers_sharing_a_secret_get_one_statement_listing_it_once() {
    let definition = task(&json!([
        web(&json!({
            "repositoryCredentials": { "credentialsParameter": SECRET },
            "secrets": [{ "name": "DB", "valueFrom": format!("{SECRET}:password::") }]
        })),
        {
            "name": "worker",
            "image": "ghcr.io/acme/worker:1",
            "repositoryCredentials": { "credentialsParameter": SECRET }
        }
    ]));
    assert_eq!(
        policy_json(&definition, &context(None)),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSecrets",
      "Effect": "Allow",
      "Action": [
        "secretsmanager:GetSecretValue"
      ],
      "Resource": [
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:ghcr-pull-AbCdEf"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn unparsable_values_are_skipped_for_the_rule_engine() {
    let definition = task(&json!([{
        "name": "web",
        "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/Web:1",
        "repositoryCredentials": { "credentialsParameter": "arn:aws:kms:us-east-1:111122223333:key/x" },
        "secrets": [{ "name": "A", "valueFrom": "arn:aws:secretsmanager:us-east-1:123:secret:x" }],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": { "awslogs-group": "/ecs/web", "awslogs-region": "nowhere" }
        }
    }]));
    let context = with_kms_keys(context(Some("us-east-1")), &[Some("not-a-key")]);
    assert!(policy(&definition, &context).is_empty());

    // Without a parsable role, names and log groups have no account to resolve in.
    let bad_role = task_with_role(
        Some("arn:aws:iam::1111:role/x"),
        &json!([web(
            &json!({ "repositoryCredentials": { "credentialsParameter": "creds" } })
        )]),
    );
    assert!(policy(&bad_role, &self::context(Some("us-east-1"))).is_empty());
}

/// Every kind of grant at once, in a task whose JSON and context are given in `order`.
fn everything(order: &[usize]) -> (TaskDefinition, Context) {
    let containers = [
        (
            json!({
                "name": "web",
                "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1",
                "secrets": [
                    { "name": "DB", "valueFrom": format!("{SECRET}:password::") },
                    { "name": "STRIPE", "valueFrom": "/web/stripe" }
                ],
                "logConfiguration": awslogs("/ecs/web", Some("true"))["logConfiguration"]
            }),
            Some(KEY),
        ),
        (
            json!({
                "name": "worker",
                "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/worker:1",
                "repositoryCredentials": { "credentialsParameter": "dockerhub" },
                "logConfiguration": awslogs("/ecs/worker", None)["logConfiguration"]
            }),
            None,
        ),
        (
            json!({
                "name": "proxy",
                "image": "ghcr.io/acme/proxy:1",
                "repositoryCredentials": { "credentialsParameter": SECRET }
            }),
            Some(KEY),
        ),
    ];
    let picked: Vec<_> = order.iter().map(|&i| containers[i].clone()).collect();
    let definition = task(&Value::Array(
        picked.iter().map(|(c, _)| c.clone()).collect(),
    ));
    let keys: Vec<Option<&str>> = picked.iter().map(|(_, k)| *k).collect();
    (definition, with_kms_keys(context(Some("us-east-1")), &keys))
}

#[test]
fn every_grant_in_one_document() {
    let (definition, context) = everything(&[0, 1, 2]);
    assert_eq!(
        policy_json(&definition, &context),
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PullEcrImages",
      "Effect": "Allow",
      "Action": [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer"
      ],
      "Resource": [
        "arn:aws:ecr:us-east-1:111122223333:repository/web",
        "arn:aws:ecr:us-east-1:111122223333:repository/worker"
      ]
    },
    {
      "Sid": "GetEcrAuthorizationToken",
      "Effect": "Allow",
      "Action": [
        "ecr:GetAuthorizationToken"
      ],
      "Resource": [
        "*"
      ]
    },
    {
      "Sid": "DecryptSecrets",
      "Effect": "Allow",
      "Action": [
        "kms:Decrypt"
      ],
      "Resource": [
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      ]
    },
    {
      "Sid": "CreateLogGroupsAndWriteLogs",
      "Effect": "Allow",
      "Action": [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": [
        "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web:*"
      ]
    },
    {
      "Sid": "WriteLogs",
      "Effect": "Allow",
      "Action": [
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": [
        "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/worker:*"
      ]
    },
    {
      "Sid": "ReadSecrets",
      "Effect": "Allow",
      "Action": [
        "secretsmanager:GetSecretValue"
      ],
      "Resource": [
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:dockerhub-??????",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:ghcr-pull-AbCdEf"
      ]
    },
    {
      "Sid": "ReadSsmParameters",
      "Effect": "Allow",
      "Action": [
        "ssm:GetParameters"
      ],
      "Resource": [
        "arn:aws:ssm:us-east-1:111122223333:parameter/web/stripe"
      ]
    }
  ]
}
"#
    );
}

#[test]
fn output_is_byte_stable_and_independent_of_container_order() {
    let (definition, context) = everything(&[0, 1, 2]);
    let first = policy_json(&definition, &context);
    assert_eq!(first, policy_json(&definition, &context));
    for order in [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
        let (definition, context) = everything(&order);
        assert_eq!(policy_json(&definition, &context), first, "order {order:?}");
    }
}

#[test]
fn serializes_through_serde_as_to_json_writes_it() {
    let (definition, context) = everything(&[0, 1, 2]);
    let document = policy(&definition, &context);
    let mut via_serde = serde_json::to_string_pretty(&document).expect("serializes");
    via_serde.push('\n');
    assert_eq!(via_serde, document.to_json());
    assert_eq!(document.version(), "2012-10-17");
    let sids: Vec<&str> = document.statements().iter().map(Statement::sid).collect();
    let mut unique = sids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), sids.len(), "{sids:?}");
    assert!(
        sids.iter()
            .all(|s| s.chars().all(|c| c.is_ascii_alphanumeric())),
        "{sids:?}"
    );
}
