//! The test of every rule: triggered by a mistake and left quiet by a close input that is
//! right. Each area of the rules lists its cases beside its rules (`cases()` in
//! `credentials`, `env`, `task` and `facts`); a case starts from one valid Fargate task
//! ([`base`]) and changes one thing, and the test asserts the rule's level and location, and
//! that the close input has no diagnostic of it. `every_rule_has_a_case` fails when a rule is
//! added without a case.

// Tests unwrap freely: a panic is the failure report.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use super::{ContainerContext, Context, FieldInfo, FieldType, FieldValue, RULES, Rule};
use crate::{TaskDefinition, from_json_strict};

pub(super) fn base() -> Value {
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

pub(super) fn base_context() -> Context {
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

pub(super) fn field(name: &str, variable: &str, ty: FieldType, value: FieldValue) -> FieldInfo {
    FieldInfo {
        name: name.into(),
        variable: variable.into(),
        ty,
        optional: false,
        value,
        allow: vec![],
    }
}

pub(super) type Edit = fn(&mut Value, &mut Context);

/// One rule's mistake and its close, right input.
pub(super) struct Case {
    /// The rule.
    pub rule: &'static Rule,
    /// The diagnostic's location, as `Location`'s Display writes it.
    pub at: &'static str,
    /// The mistake.
    pub bad: Edit,
    /// The close input that is right.
    pub good: Edit,
}

fn run(edit: Edit) -> super::Diagnostics {
    let (td, cx) = edited(edit);
    super::check(&td, &cx)
}

/// The base definition and context, edited.
fn edited(edit: Edit) -> (TaskDefinition, Context) {
    let mut value = base();
    let mut cx = base_context();
    edit(&mut value, &mut cx);
    let td: TaskDefinition = from_json_strict(&value.to_string()).unwrap_or_else(|e| panic!("{e}"));
    (td, cx)
}

pub(super) fn app(v: &mut Value) -> &mut Value {
    &mut v["containerDefinitions"][0]
}

/// Adds `n` sidecars to the task, each valid on its own.
pub(super) fn add_sidecars(v: &mut Value, n: usize) {
    let containers = v["containerDefinitions"].as_array_mut().unwrap();
    for i in 0..n {
        containers.push(json!({
            "name": format!("sidecar{i}"),
            "image": "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0",
            "essential": false
        }));
    }
}

pub(super) fn creds(v: &mut Value, s: &str) {
    app(v)["repositoryCredentials"]["credentialsParameter"] = json!(s);
}

pub(super) fn secret0(v: &mut Value, s: &str) {
    app(v)["secrets"][0]["valueFrom"] = json!(s);
}

pub(super) const CREDS: &str = "containerDefinitions[0].repositoryCredentials.credentialsParameter";

/// Every area's cases.
fn cases() -> Vec<Case> {
    [
        super::credentials::cases(),
        super::env::cases(),
        super::task::cases(),
        super::facts::cases(),
        super::foreign::cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
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
        let found: Vec<_> = bad.of_rule(case.rule.name).collect();
        assert!(
            !found.is_empty(),
            "{}: no diagnostic; got:\n{bad}",
            case.rule
        );
        let d = found[0];
        assert_eq!(d.level, case.rule.level, "{}: level", case.rule);
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
            good.of_rule(case.rule.name).count(),
            0,
            "{}: fires on the close input:\n{good}",
            case.rule
        );
    }
}

/// The tree of a `json!` value.
fn tree(value: &Value) -> crate::tree::Value {
    crate::tree::Value::from(value)
}

/// `extra-unknown-key` and `extra-type` check `extra` JSON, which has its own entry point.
#[test]
fn extra_json_is_checked_against_the_model() {
    let at = super::Location::Context {
        container: Some(0),
        key: "extra",
    };
    let d = super::check_extra(
        &tree(&json!({"privileged": true, "ulimitz": []})),
        "ContainerDefinition",
        &at,
    );
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].rule.name, d[0].level),
        ("extra-unknown-key", super::Level::Error)
    );
    assert_eq!(
        d[0].message,
        "`extra` at `ulimitz`: unknown member `ulimitz` of ContainerDefinition"
    );
    assert_eq!(d[0].help, "did you mean `ulimits`?");

    let d = super::check_extra(
        &tree(&json!({"privileged": "yes"})),
        "ContainerDefinition",
        &at,
    );
    assert_eq!(
        (d[0].rule.name, d[0].message.as_str()),
        (
            "extra-type",
            "`extra` at `privileged`: expected a boolean, found a string"
        )
    );

    let ok = super::check_extra(
        &tree(
            &json!({"privileged": true, "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}]}),
        ),
        "ContainerDefinition",
        &at,
    );
    assert!(ok.is_empty(), "{ok:?}");

    // A task's `extra` is merged into the task: it need not hold `family` or
    // `containerDefinitions`, but what it holds is complete.
    let task = super::Location::Context {
        container: None,
        key: "extra",
    };
    let ok = super::check_extra(
        &tree(&json!({"placementConstraints": [{"type": "memberOf"}]})),
        "RegisterTaskDefinitionRequest",
        &task,
    );
    assert!(ok.is_empty(), "{ok:?}");
    let d = super::check_extra(
        &tree(&json!({"proxyConfiguration": {"type": "APPMESH"}})),
        "RegisterTaskDefinitionRequest",
        &task,
    );
    assert_eq!(
        d[0].message,
        "`extra` at `proxyConfiguration`: missing required member `containerName` of ProxyConfiguration"
    );
}

/// What a help line written for the derive's attributes holds: never in a file's help.
const ATTRIBUTE_SYNTAX: &[&str] = &[
    "#[ecs",
    "allow(",
    "log(",
    "= \"",
    "= true",
    "= 256",
    "`secret =",
    "`execution_role",
    "`network_mode",
    "`kms_key",
    "`credentials`",
    "`rename",
    "`env =",
    "declare ",
];

/// Every finding about a file's value says its fix in the file's terms: no rule's help in a
/// file names an attribute of the derive (a finding about a Rust field, which only a
/// declaration has, keeps its own).
#[test]
fn every_help_in_a_file_is_in_the_files_terms() {
    for case in cases() {
        for d in &run(case.bad).0 {
            if matches!(d.location, super::Location::Field { .. }) {
                continue;
            }
            let help = d.help_in_file();
            for syntax in ATTRIBUTE_SYNTAX {
                assert!(
                    !help.contains(syntax),
                    "{}: the help in a file holds `{syntax}`: {help}",
                    d.rule
                );
            }
        }
    }
}

/// What every finding about a file's value says is in the file's terms too: no message names
/// the derive's `credentials` or `kms_key` (a finding about a Rust field keeps its own).
#[test]
fn every_message_in_a_file_is_in_the_files_terms() {
    let mut said_otherwise = std::collections::BTreeSet::new();
    for case in cases() {
        for d in &run(case.bad).0 {
            if matches!(d.location, super::Location::Field { .. }) {
                continue;
            }
            let message = d.message_in_file();
            if message != d.message {
                said_otherwise.insert(d.rule.name);
            }
            for word in ["`credentials`", "`kms_key`"] {
                assert!(
                    !message.contains(word),
                    "{}: the message in a file holds {word}: {message}",
                    d.rule
                );
            }
        }
    }
    assert_eq!(
        said_otherwise.into_iter().collect::<Vec<_>>(),
        ["execution-role-required", "kms-key-alias"],
        "the cases hold each message a file says in its own terms"
    );
}

/// Every rule a task-definition file can break: all but the two about a Rust field's value.
fn rules_a_file_can_break() -> impl Iterator<Item = &'static Rule> {
    let of_a_field = [
        super::env::MISSING_ENV_VALUE.name,
        super::ENV_VALUE_TYPE.name,
    ];
    RULES
        .iter()
        .copied()
        .filter(move |rule| !of_a_field.contains(&rule.name))
}

/// The catalogue's help of every rule a file can break is in the file's terms too.
#[test]
fn every_rules_help_in_a_file_is_in_the_files_terms() {
    for rule in rules_a_file_can_break() {
        for syntax in ATTRIBUTE_SYNTAX {
            assert!(
                !rule.help_in_file().contains(syntax),
                "{rule}: the help in a file holds `{syntax}`: {}",
                rule.help_in_file()
            );
        }
    }
}

/// The catalogue's summary of every rule a file can break is in the file's terms: it names
/// none of the derive's attributes, and says so in its own words exactly where the
/// declaration's summary names one.
#[test]
fn every_rules_summary_in_a_file_is_in_the_files_terms() {
    const DERIVE_WORDS: &[&str] = &[
        "`credentials`",
        "`execution_role`",
        "`kms_key`",
        "`depends_on`",
        "use `secret`",
    ];
    let mut said_otherwise = Vec::new();
    for rule in rules_a_file_can_break() {
        let summary = rule.summary_in_file();
        for word in DERIVE_WORDS.iter().chain(ATTRIBUTE_SYNTAX) {
            assert!(
                !summary.contains(word),
                "{rule}: the summary in a file holds {word}: {summary}",
            );
        }
        if summary != rule.summary {
            said_otherwise.push(rule.name);
        }
    }
    said_otherwise.sort_unstable();
    assert_eq!(
        said_otherwise,
        [
            "credentials-form",
            "credentials-not-secretsmanager",
            "credentials-on-ecr-image",
            "cross-account-needs-kms-key",
            "depends-on-unknown",
            "execution-role-required",
            "kms-key-alias",
            "plaintext-secret-in-env",
        ],
        "exactly the summaries that name an attribute say it in a file's terms"
    );
}

/// The declaration keeps the attribute form: the two helps differ where a rule's help names
/// an attribute.
#[test]
fn a_declaration_keeps_the_attribute_form() {
    let d = run(|v, _| {
        v.as_object_mut().unwrap().remove("executionRoleArn");
    });
    let d = d.of_rule("execution-role-required").next().unwrap();
    assert!(d.help.starts_with("set `execution_role = "), "{}", d.help);
    assert!(
        d.help_in_file()
            .starts_with("set the task's `executionRoleArn` to the role's name or ARN"),
        "{}",
        d.help_in_file()
    );
    let d = run(|v, _| {
        app(v)["environment"] = json!([{"name": "DB_PASSWORD", "value": "hunter2"}]);
    });
    let d = d.of_rule("plaintext-secret-in-env").next().unwrap();
    assert!(d.help.contains("#[ecs(allow(plaintext-secret-in-env))]"));
    assert!(
        d.help_in_file()
            .contains("move the variable from `environment` to `secrets`"),
        "{}",
        d.help_in_file()
    );
}

#[test]
fn every_rule_has_a_case() {
    let covered: Vec<&str> = cases()
        .iter()
        .map(|c| c.rule.name)
        .chain([super::EXTRA_UNKNOWN_KEY.name, super::EXTRA_TYPE.name])
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

/// No message repeats a value that may be a secret: the type check of a field named like
/// one says `the value`.
#[test]
fn no_message_repeats_a_value_that_may_be_a_secret() {
    // The messages of a `u16` field given `value` for `variable`, and all the findings' text.
    let typed = |variable: &str, value: &str| {
        let mut cx = base_context();
        cx.containers[0].fields[0] =
            field("f", variable, FieldType::U16, FieldValue::Env(value.into()));
        let mut value_json = base();
        app(&mut value_json)["environment"][0] = json!({"name": variable, "value": value});
        let td: TaskDefinition = from_json_strict(&value_json.to_string()).expect("a definition");
        let d = super::check(&td, &cx);
        let messages: Vec<String> = d
            .of_rule("env-value-type")
            .map(|d| d.message.clone())
            .collect();
        (messages, d.to_string())
    };
    let (messages, all) = typed("PIN_PASSWORD", "hunter2-not-real");
    assert_eq!(messages, ["the value is not a valid `u16` for field `f`"]);
    assert!(!all.contains("hunter2-not-real"), "{all}");
    // Any other value is quoted, as the fix needs it.
    let (messages, _) = typed("PORT", "eighty");
    assert_eq!(messages, ["`eighty` is not a valid `u16` for field `f`"]);
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
        if let Ok(load) = crate::from_json_lenient(&std::fs::read_to_string(&path).unwrap()) {
            let _ = super::check(&load.definition, &Context::default());
        }
    }
}

/// A container's verdict gives what judging the container alone gives
/// (`ContainerVerdict::findings_alone` against `check_container_alone`): on every container of
/// every case's mistake and close input, with the context the task gives it, under its own
/// name, without one, and under names that break the rule or hold placeholders; and on
/// edits aimed at what the verdict does not hold (an empty image's placeholder named after
/// the container, `allow` lists of a field whose variable name holds a placeholder). A
/// verdict made in place (`ContainerVerdict::of_mut`) is the same, and leaves the container as
/// it was.
#[test]
fn a_verdict_gives_the_findings_of_the_container_alone() {
    use super::{ContainerVerdict, check_container_alone};
    let edits: [Edit; 6] = [
        |v, _| app(v)["image"] = json!(""),
        |v, _| app(v)["dockerLabels"] = json!({"image": ""}),
        |v, cx| {
            app(v)["image"] = json!("ghcr.io/acme/web:latest");
            cx.containers[0].allow.push("image-unpinned".into());
        },
        |v, cx| {
            app(v)["environment"][1] = json!({"name": "<X>_PASSWORD", "value": "hunter2"});
            let mut f = field(
                "password",
                "${X}_PASSWORD",
                FieldType::String,
                FieldValue::Env("hunter2".into()),
            );
            f.allow.push("plaintext-secret-in-env".into());
            cx.containers[0].fields[1] = f;
        },
        |v, cx| {
            app(v)["environment"][1] = json!({"name": "DB_PASSWORD", "value": "hunter2"});
            let mut f = field(
                "db_password",
                "DB_PASSWORD",
                FieldType::String,
                FieldValue::Env("hunter2".into()),
            );
            f.allow.push("plaintext-secret-in-env".into());
            cx.containers[0].fields[1] = f;
        },
        |v, _| app(v)["environment"][0]["value"] = json!("${PORT}"),
    ];
    let names = [
        None,
        Some(""),
        Some("web.api"),
        Some("<NAME>"),
        Some("${NAME}"),
        Some("{{name}}-web"),
    ];
    let (mut compared, mut found) = (0, 0);
    let all = cases()
        .into_iter()
        .flat_map(|case| [case.bad, case.good])
        .chain(edits);
    for edit in all {
        let (td, cx) = edited(edit);
        for (i, container) in td.container_definitions.iter().enumerate() {
            let context = cx.containers.get(i).cloned().unwrap_or_default();
            let own = container.name.as_deref();
            for name in std::iter::once(own).chain(names) {
                let mut container = container.clone();
                container.name = name.map(str::to_owned);
                let alone = check_container_alone(&container, &context);
                let verdict = ContainerVerdict::of(&container, &context);
                // Judged in place, the same verdict, and the container as it was.
                let mut in_place = container.clone();
                let verdict_in_place = ContainerVerdict::of_mut(&mut in_place, &context);
                assert_eq!(in_place, container);
                assert_eq!(
                    format!("{verdict_in_place:?}"),
                    format!("{verdict:?}"),
                    "container {i} named {name:?} of {td:?}"
                );
                assert_eq!(
                    verdict.findings_alone(&container, &context),
                    alone,
                    "container {i} named {name:?} of {td:?}"
                );
                compared += 1;
                found += alone.0.len();
            }
        }
    }
    assert!(compared > 500 && found > 500, "{compared} {found}");
}

/// Verdicts reused in a task give the full check (`check_reusing` against `check`), the
/// task's placeholder scan skipping what the verdicts read: on every case's mistake and close
/// input, with the task renaming its containers (placeholders included) and one container's
/// `dependsOn` naming a placeholder, and with a verdict that does not hold.
#[test]
fn reused_verdicts_give_the_full_check_whatever_the_task_sets() {
    use super::{ContainerVerdict, Judged, check, check_reusing};
    type Rename = fn(&mut TaskDefinition);
    let renames: [Rename; 5] = [
        |_| {},
        |td| td.container_definitions[0].name = Some("<NAME>".into()),
        |td| td.container_definitions[0].name = Some("${APP_NAME}".into()),
        |td| td.container_definitions[1].name = Some(String::new()),
        |td| {
            if let Some(d) = &mut td.container_definitions[1].depends_on {
                d[0].container_name = "{{app}}".into();
            }
        },
    ];
    let mut compared = 0;
    for case in cases() {
        for edit in [case.bad, case.good] {
            let (judged_td, cx) = edited(edit);
            let no_context = ContainerContext::default();
            let verdicts: Vec<ContainerVerdict> = judged_td
                .container_definitions
                .iter()
                .enumerate()
                .map(|(i, c)| ContainerVerdict::of(c, cx.containers.get(i).unwrap_or(&no_context)))
                .collect();
            let judged: Vec<Option<Judged<'_>>> = verdicts
                .iter()
                .enumerate()
                .map(|(i, verdict)| {
                    Some(Judged {
                        definition: &judged_td.container_definitions[i],
                        context: cx.containers.get(i).unwrap_or(&no_context),
                        verdict,
                    })
                })
                .collect();
            for rename in renames {
                let mut td = judged_td.clone();
                rename(&mut td);
                assert_eq!(check_reusing(&td, &cx, &judged), check(&td, &cx), "{td:?}");
                // The first verdict, given for the second container, does not hold.
                let swapped = [judged[0], judged[0]];
                assert_eq!(check_reusing(&td, &cx, &swapped), check(&td, &cx), "{td:?}");
                compared += 1;
            }
        }
    }
    assert!(compared > 300, "{compared}");
}
